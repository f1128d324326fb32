//! Demo guaranteed start-up loans (2.4.2): for each plan year up to yesterday, loans issued to
//! the out-migrants who came back to start a business (alone or with partners) and to the
//! returnee businesses, mostly by 区人社局 and some by 区农业农村局, 团区委 and 区财政局, until the
//! year's principal reaches about 90–98% of the 1 亿 target (pro rata for the year so far): the
//! 2.4.2 figure comes from this ledger. Every loan goes through the rules (cap, rate ceiling,
//! counter-guarantee waiver); then the subsidy falls due and is paid, matured loans are repaid,
//! a few run into arrears and a few default with a guarantee-fund claim.

use chrono::{Duration, NaiveDate};
use linkong_core::access::Actor;
use linkong_core::loans::{LoanDraft, PaymentDraft};
use linkong_core::plan::Plan;
use linkong_core::rules::{DONGXIHU, RuleBook};
use linkong_core::time::local_date;
use linkong_store::businesses::BusinessFilter;
use linkong_store::loans::{LoanDetail, PaymentKind};
use linkong_store::{Error, Store};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo_returnees::{on, staff_of};

const BANKS: [&str; 5] = [
    "汉口银行东西湖支行",
    "湖北银行东西湖支行",
    "中国邮政储蓄银行东西湖区支行",
    "武汉农村商业银行东西湖支行",
    "中国工商银行武汉吴家山支行",
];

/// The handling units and how often each handles a loan (per mille).
const UNITS: [(&str, u32); 4] = [("rsj", 800), ("nyncj", 100), ("tuanquwei", 60), ("czj", 40)];

/// 分 in one 万元.
const WAN: i64 = 1_000_000;

/// Who the demo lends to: the resident IDs of returning founders, the businesses' USCCs.
struct Borrowers {
    people: Vec<String>,
    businesses: Vec<String>,
}

/// Issues each year's loans, then their subsidy payments, repayments, arrears and defaults.
pub async fn fill(store: &Store, plan: &Plan, seed: u64, migrants: usize) -> anyhow::Result<()> {
    let today = local_date(store.now());
    let book = RuleBook::parse(DONGXIHU)?;
    let rsj = staff_of(store, plan, "rsj").await?;
    let borrowers = Borrowers {
        people: linkong_demo::migrant_rows(seed, None)
            .take(migrants)
            .filter(|r| r[12] == "返区创业")
            .map(|r| r[1].clone())
            .collect(),
        businesses: store
            .businesses(plan, &rsj, &BusinessFilter::default(), "demo")
            .await?
            .into_iter()
            .map(|b| b.uscc)
            .collect(),
    };
    if borrowers.people.is_empty() {
        return Ok(());
    }
    let mut rng = StdRng::seed_from_u64(seed ^ 0x2420);
    let mut issued = Vec::new();
    for year in plan.years() {
        let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1).filter(|d| *d < today) else {
            continue;
        };
        let last = NaiveDate::from_ymd_opt(year, 12, 31)
            .unwrap_or(first)
            .min(today - Duration::days(1));
        let days_in_year = if first.leap_year() { 366 } else { 365 };
        let share = ((last - first).num_days() + 1) as f64 / f64::from(days_in_year);
        let target = (rng.random_range(9_000.0..9_800.0) * share) as i64 * WAN;
        let mut total = 0;
        while total < target {
            let day = first + Duration::days(rng.random_range(0..=(last - first).num_days()));
            let draft = draft_for(&mut rng, &borrowers, day);
            if let Some(id) = issue(store, plan, &book, &mut rng, &draft).await? {
                total += draft.principal.parse::<i64>().unwrap_or(0) * 100;
                issued.push(id);
            }
        }
        println!("创业担保贷款演示数据：{year} 年发放 {} 万元。", total / WAN);
    }
    let mut followed = 0;
    for id in &issued {
        followed += follow_up(store, plan, &rsj, &mut rng, *id, today).await?;
    }
    println!(
        "创业担保贷款演示数据：{} 笔贷款，{followed} 笔贴息拨付、还款与代偿。",
        issued.len()
    );
    Ok(())
}

/// A loan as a handling unit would type it: mostly personal loans of 5–30 万元, some
/// partnerships, some small enterprises of 50–300 万元; rates 3.45%–4.35%.
fn draft_for(rng: &mut StdRng, borrowers: &Borrowers, day: NaiveDate) -> LoanDraft {
    let person = borrowers.people[rng.random_range(0..borrowers.people.len())].clone();
    let roll = rng.random_range(0..100);
    let (kind, partners, principal_wan, term) = if roll < 15 && !borrowers.businesses.is_empty() {
        ("business", 1, rng.random_range(5..=30) * 10, 24)
    } else if roll < 25 {
        let n = rng.random_range(2..=4);
        ("partnership", n, rng.random_range(20..=22 * n), 36)
    } else if roll < 50 {
        ("person", 1, rng.random_range(5..=10), 24)
    } else {
        (
            "person",
            1,
            rng.random_range(12..=30),
            [12, 24, 36][rng.random_range(0..3)],
        )
    };
    let uscc = if kind == "business" {
        borrowers.businesses[rng.random_range(0..borrowers.businesses.len())].clone()
    } else {
        String::new()
    };
    let rate_bp = rng.random_range(69..=87) * 5;
    LoanDraft {
        borrower_kind: kind.into(),
        id_number: person,
        partners: partners.to_string(),
        uscc,
        bank: BANKS[rng.random_range(0..BANKS.len())].into(),
        principal: (principal_wan * 10_000).to_string(),
        term_months: term.to_string(),
        rate: format!("{}.{:02}", rate_bp / 100, rate_bp % 100),
        issued_on: day.to_string(),
        incubator_project: rng.random_bool(0.1),
        honoured: rng.random_bool(0.05),
    }
}

/// Records a loan on its issue day by a handling unit's staff; `None` when the rules refuse it
/// (a borrower not registered, above the cap).
async fn issue(
    store: &Store,
    plan: &Plan,
    book: &RuleBook,
    rng: &mut StdRng,
    draft: &LoanDraft,
) -> anyhow::Result<Option<i64>> {
    let roll = rng.random_range(0..1000);
    let mut unit = UNITS[0].0;
    let mut upto = 0;
    for (code, weight) in UNITS {
        upto += weight;
        if roll < upto {
            unit = code;
            break;
        }
    }
    let keeper = staff_of(store, plan, unit).await?;
    let day = NaiveDate::parse_from_str(&draft.issued_on, "%Y-%m-%d")?;
    match on(store, day)
        .record_loan(plan, book, &keeper, unit, draft, "demo")
        .await
    {
        Ok(id) => Ok(Some(id)),
        Err(Error::Fields(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Pays the subsidy of the periods past due (most of them, ten days after), repays matured
/// loans, leaves one in ten in arrears and defaults one in twenty with a guarantee-fund claim.
/// Returns how many payments were written.
async fn follow_up(
    store: &Store,
    plan: &Plan,
    rsj: &Actor,
    rng: &mut StdRng,
    id: i64,
    today: NaiveDate,
) -> anyhow::Result<usize> {
    let detail = store.loan(plan, rsj, id, "demo").await?;
    let mut written = 0;
    for p in &detail.periods {
        let paid_on = p.period.due_on + Duration::days(10);
        if paid_on <= today && rng.random_bool(0.9) {
            let draft = PaymentDraft {
                paid_on: paid_on.to_string(),
                amount: format!("{}.{:02}", p.period.due_fen / 100, p.period.due_fen % 100),
                period: p.period.period.to_string(),
            };
            pay(
                store,
                plan,
                rsj,
                (id, PaymentKind::Subsidy),
                &draft,
                paid_on,
            )
            .await?;
            written += 1;
        }
    }
    if detail.loan.matures_on < today {
        written += settle(store, plan, rsj, rng, &detail, today).await?;
    }
    Ok(written)
}

/// A matured loan: repaid on the day (85%), left in arrears (10%), or defaulted a month after
/// maturity with the guarantee fund paying what is owed (5%).
async fn settle(
    store: &Store,
    plan: &Plan,
    rsj: &Actor,
    rng: &mut StdRng,
    detail: &LoanDetail,
    today: NaiveDate,
) -> anyhow::Result<usize> {
    let (id, due, owed) = (
        detail.loan.id,
        detail.loan.matures_on,
        detail.loan.principal_fen,
    );
    let amount = |fen: i64| format!("{}.{:02}", fen / 100, fen % 100);
    let roll = rng.random_range(0..100);
    if roll < 85 {
        let draft = PaymentDraft {
            paid_on: due.to_string(),
            amount: amount(owed),
            period: String::new(),
        };
        pay(store, plan, rsj, (id, PaymentKind::Repayment), &draft, due).await?;
        return Ok(1);
    }
    let defaulted_on = due + Duration::days(30);
    if roll < 95 || defaulted_on + Duration::days(30) > today {
        return Ok(0);
    }
    on(store, defaulted_on)
        .mark_loan_default(
            plan,
            rsj,
            id,
            (&defaulted_on.to_string(), "到期未还本，经催收仍未归还"),
            "demo",
        )
        .await?;
    let claimed_on = defaulted_on + Duration::days(30);
    let draft = PaymentDraft {
        paid_on: claimed_on.to_string(),
        amount: amount(owed),
        period: String::new(),
    };
    pay(
        store,
        plan,
        rsj,
        (id, PaymentKind::Claim),
        &draft,
        claimed_on,
    )
    .await?;
    Ok(1)
}

async fn pay(
    store: &Store,
    plan: &Plan,
    rsj: &Actor,
    what: (i64, PaymentKind),
    draft: &PaymentDraft,
    day: NaiveDate,
) -> anyhow::Result<()> {
    on(store, day)
        .record_loan_payment(plan, rsj, what, draft, "demo")
        .await?;
    Ok(())
}
