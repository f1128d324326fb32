//! The demo's subsidies: 区人社局 runs the 免申即享 scan at the end of each past month of the
//! plan and confirms every offer into its 公示; 区财政局 pays those whose 公示 ended three weeks
//! later; today's scan is confirmed and left in 公示. So the dashboard's money figures, the
//! payments workbook and the public 公示 have something true to show, every step taken through
//! the same store calls as the pages, with the clock set to the day it happens.

use std::sync::Arc;

use chrono::{Datelike, Duration, Months, NaiveDate};
use linkong_core::access::Role;
use linkong_core::calendar::WorkCalendar;
use linkong_core::rules::{DONGXIHU, RuleBook};
use linkong_core::subsidies::{PaymentDraft, SubsidyStatus};
use linkong_core::time::local_date;
use linkong_store::Store;
use linkong_store::subsidies::{OfferKey, SubsidyFilter};

use crate::demo::ensure_user;

/// The store acting on `day` at 10:00 Wuhan time.
fn on(store: &Store, day: NaiveDate) -> Store {
    let at = linkong_store::figures::start_of(day) + Duration::hours(10);
    store.with_clock(Arc::new(move || at))
}

/// The month ends from the first hires to before today.
fn month_ends(today: NaiveDate) -> Vec<NaiveDate> {
    let mut ends = Vec::new();
    let mut month = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or(today);
    while let Some(next) = month.checked_add_months(Months::new(1)) {
        let end = next - Duration::days(1);
        if end + Duration::days(21) >= today {
            break;
        }
        ends.push(end);
        month = next;
    }
    ends
}

pub async fn fill(store: &Store, calendar: &WorkCalendar) -> anyhow::Result<()> {
    let book = RuleBook::parse(DONGXIHU)?;
    let rsj = ensure_user(store, "rsj01", "区人社局", Role::UnitStaff, Some("rsj"))
        .await?
        .actor();
    let czj = ensure_user(store, "czj01", "区财政局", Role::UnitStaff, Some("czj"))
        .await?
        .actor();
    let today = local_date(store.now());
    let (mut confirmed, mut paid, mut paid_fen) = (0, 0, 0);
    for end in month_ends(today) {
        let day = if calendar.is_working_day(end) {
            end
        } else {
            calendar.add_working_days(end, 1)
        };
        let then = on(store, day);
        let page = then.subsidy_scan(&book, &rsj, "demo").await?;
        let keys: Vec<OfferKey> = page.offers.iter().map(OfferKey::of).collect();
        if keys.is_empty() {
            continue;
        }
        confirmed += then
            .confirm_offers(&book, calendar, &rsj, &keys, "demo")
            .await?;
        let payday = calendar.add_working_days(day, 15);
        let later = on(store, payday);
        let noticed = later
            .subsidies(
                calendar,
                &czj,
                &SubsidyFilter {
                    status: Some(SubsidyStatus::Notice),
                    ..SubsidyFilter::default()
                },
                "demo",
            )
            .await?;
        for a in noticed
            .iter()
            .filter(|a| a.notice_until.is_some_and(|u| u < payday))
        {
            let draft = PaymentDraft {
                amount: linkong_core::rules::format_fen(a.amount_fen)
                    .trim_end_matches(" 元")
                    .replace(',', ""),
                paid_on: payday.to_string(),
                account: format!("62220202{:08}", a.id),
            };
            later
                .pay_subsidy(calendar, &czj, a.id, &draft, "demo")
                .await?;
            paid += 1;
            paid_fen += a.amount_fen;
        }
    }
    let now = store.subsidy_scan(&book, &rsj, "demo").await?;
    let keys: Vec<OfferKey> = now.offers.iter().map(OfferKey::of).collect();
    if !keys.is_empty() {
        confirmed += store
            .confirm_offers(&book, calendar, &rsj, &keys, "demo")
            .await?;
    }
    println!(
        "演示补贴：“免申即享”确认 {confirmed} 项，区财政局拨付 {paid} 笔共 {}（{} 年起）。",
        linkong_core::rules::format_fen(paid_fen),
        today.year().min(2025)
    );
    Ok(())
}
