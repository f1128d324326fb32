//! Demo failure support (2.3.4): a few more demo returnee businesses close (their founders'
//! cases open with the closure, like those the returnee demo closed), and every case gets its
//! steps — job services by the street, job aid by 区人社局, social relief by 区民政局, and for
//! those who want to start again training and a guaranteed loan — some done on their day, some
//! past their planned date and not done (overdue); one founder starts a new business and the
//! case closes with 再创业, so that 2.3.4's dashboard row has figures and the pages every state.

use chrono::{Duration, NaiveDate};
use linkong_core::access::Actor;
use linkong_core::businesses::{BusinessDraft, BusinessStatus};
use linkong_core::failure::{CloseDraft, StepDraft};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use linkong_store::Store;
use linkong_store::businesses::{Business, BusinessFilter};
use linkong_store::failure::{CaseFilter, FailureCase};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo_returnees::{on, staff_of};

/// Why the demo's businesses close.
const REASONS: [&str; 4] = [
    "客源不足，连续亏损",
    "门面租约到期未能续租",
    "合伙人退出，资金链断裂",
    "线上流量下滑，库存积压",
];

/// The most businesses the demo closes beside those the returnee demo closed.
const MORE_CLOSURES: usize = 5;

/// Closes a few businesses and gives every case its steps, up to today.
pub async fn fill(store: &Store, plan: &Plan, seed: u64, migrants: usize) -> anyhow::Result<()> {
    let today = local_date(store.now());
    let rsj = staff_of(store, plan, "rsj").await?;
    let mut rng = StdRng::seed_from_u64(seed ^ 0x2340);
    let trading: Vec<Business> = store
        .businesses(plan, &rsj, &BusinessFilter::default(), "demo")
        .await?
        .into_iter()
        .filter(|b| b.status == BusinessStatus::Operating && !b.founders.is_empty())
        .filter(|b| b.licensed_on + Duration::days(40) < today)
        .collect();
    for business in trading.iter().step_by(3).take(MORE_CLOSURES) {
        close(store, plan, &mut rng, business, today).await?;
    }
    let cases = store
        .failure_cases(plan, &rsj, &CaseFilter::default(), "demo")
        .await?;
    let mut steps = 0;
    for (n, case) in cases.iter().enumerate() {
        let wants_restart = n % 3 == 0;
        steps += support(store, plan, &mut rng, case, wants_restart, today).await?;
    }
    // Restarting needs the 65 days after the case opened: the new business, then the closing
    // after the restart steps' days.
    let restarted = match cases
        .iter()
        .step_by(3)
        .find(|c| c.opened_on + Duration::days(65) <= today)
    {
        Some(case) => restart(store, plan, (seed, migrants), case).await?,
        None => false,
    };
    println!(
        "创业失败帮扶演示数据：{} 份帮扶档案，{steps} 项帮扶措施{}。",
        cases.len(),
        if restarted {
            "，1 人再创业结案"
        } else {
            ""
        }
    );
    Ok(())
}

/// Closes a business 10 to 70 days ago (after its licence), by its street's staff.
async fn close(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    business: &Business,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let staff = staff_of(store, plan, &business.street_code).await?;
    let day = (today - Duration::days(rng.random_range(10..70)))
        .max(business.licensed_on + Duration::days(30));
    let reason = REASONS[rng.random_range(0..REASONS.len())];
    let change = ("closed", day.to_string(), reason);
    on(store, day)
        .change_business_status(
            plan,
            &staff,
            business.id,
            (change.0, &change.1, change.2),
            "demo",
        )
        .await?;
    Ok(())
}

/// A step planned for `planned` days after the case opened, done `done` days after it (if
/// that day has come), by `unit`.
struct Planned {
    kind: &'static str,
    unit: String,
    planned: i64,
    done: Option<i64>,
    note: &'static str,
}

/// The case's steps: what its street plans the day after it opened, each done on its day by
/// its unit when that day has come. How many were written.
async fn support(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    case: &FailureCase,
    wants_restart: bool,
    today: NaiveDate,
) -> anyhow::Result<usize> {
    let keeper = staff_of(store, plan, &case.street_code).await?;
    let planned_on = (case.opened_on + Duration::days(1)).min(today);
    if wants_restart {
        on(store, planned_on)
            .set_failure_restart(plan, &keeper, case.id, true, "demo")
            .await?;
    }
    let mut steps = vec![
        Planned {
            kind: "employment_service",
            unit: case.street_code.clone(),
            planned: 7,
            done: Some(rng.random_range(3..10)),
            note: "上门走访，登记求职意向并推荐岗位三个",
        },
        Planned {
            kind: "employment_aid",
            unit: "rsj".into(),
            planned: 20,
            done: rng.random_bool(0.6).then(|| rng.random_range(15..30)),
            note: "认定就业困难人员，推荐公益性岗位",
        },
    ];
    if rng.random_bool(0.5) {
        steps.push(Planned {
            kind: "social_relief",
            unit: "mzj".into(),
            planned: 15,
            done: rng.random_bool(0.7).then(|| rng.random_range(10..25)),
            note: "核查家庭经济状况，纳入临时救助",
        });
    }
    if wants_restart {
        steps.extend(restart_steps(rng));
    }
    let mut written = 0;
    for step in steps {
        written += usize::from(write_step(store, plan, (&keeper, case), &step, today).await?);
    }
    Ok(written)
}

/// Training soon, a guaranteed loan later (often not yet done): for those starting again.
fn restart_steps(rng: &mut StdRng) -> [Planned; 2] {
    [
        Planned {
            kind: "startup_training",
            unit: "rsj".into(),
            planned: 30,
            done: Some(rng.random_range(28..40)),
            note: "参加“马兰花”创业培训（SYB）",
        },
        Planned {
            kind: "financing",
            unit: "rsj".into(),
            planned: 45,
            done: rng.random_bool(0.4).then(|| rng.random_range(45..60)),
            note: "指导申请创业担保贷款，反担保按规定免除",
        },
    ]
}

/// Plans a step (the day after the case opened) and records it done on its day by its unit,
/// when those days have come. Whether it was written.
async fn write_step(
    store: &Store,
    plan: &Plan,
    (keeper, case): (&Actor, &FailureCase),
    step: &Planned,
    today: NaiveDate,
) -> anyhow::Result<bool> {
    let planned_day = (case.opened_on + Duration::days(1)).min(today);
    let draft = StepDraft {
        kind: step.kind.into(),
        unit: step.unit.clone(),
        planned_on: (case.opened_on + Duration::days(step.planned)).to_string(),
        done_on: String::new(),
        note: step.note.into(),
    };
    let id = on(store, planned_day)
        .add_failure_step(plan, keeper, case.id, &draft, "demo")
        .await?;
    let Some(done) = step
        .done
        .map(|d| case.opened_on + Duration::days(d))
        .filter(|d| *d <= today)
    else {
        return Ok(true);
    };
    let unit = staff_of(store, plan, &step.unit).await?;
    on(store, done)
        .record_step_done(plan, &unit, (case.id, id), &done.to_string(), "demo")
        .await?;
    Ok(true)
}

/// The case's founder opens a new business 40 days after the case opened and the case closes
/// with 再创业 25 days later, naming it. Whether it did (the founder's resident ID is found among the demo's
/// returnees who wanted to start a business, by name and street).
async fn restart(
    store: &Store,
    plan: &Plan,
    (seed, migrants): (u64, usize),
    case: &FailureCase,
) -> anyhow::Result<bool> {
    let Some(&(_, street)) = linkong_demo::STREETS
        .iter()
        .find(|(code, _)| *code == case.street_code)
    else {
        return Ok(false);
    };
    let Some(row) = linkong_demo::migrant_rows(seed, None)
        .take(migrants)
        .find(|r| r[0] == case.name && r[3] == street && r[12] == "返区创业")
    else {
        return Ok(false);
    };
    let keeper = staff_of(store, plan, &case.street_code).await?;
    let venture = linkong_demo::venture_for(&row[13]);
    let mut rng = StdRng::seed_from_u64(case.id as u64);
    let opened = case.opened_on + Duration::days(40);
    let closed_on = case.opened_on + Duration::days(65);
    let draft = BusinessDraft {
        name: format!(
            "{}{}（再创业）",
            street.trim_end_matches("街道"),
            venture.trade
        ),
        uscc: linkong_demo::business_uscc(&mut rng, venture.legal_form),
        licensed_on: opened.to_string(),
        legal_form: venture.legal_form.into(),
        section: venture.section.into(),
        forms: venture.forms.iter().map(|f| f.to_string()).collect(),
        street: case.street_code.clone(),
        site: venture.site.into(),
        founders: row[1].clone(),
        keep_founders: false,
    };
    let new = on(store, opened)
        .save_business(plan, &keeper, None, &draft, "demo")
        .await?;
    let close = CloseDraft {
        outcome: "restarted".into(),
        closed_on: closed_on.to_string(),
        new_business: new.to_string(),
        note: "经创业培训和创业担保贷款支持，重新登记开业".into(),
    };
    on(store, closed_on)
        .close_failure_case(plan, &keeper, case.id, &close, "demo")
        .await?;
    Ok(true)
}
