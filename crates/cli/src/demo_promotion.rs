//! `linkong demo`, returnee promotion events (task 2.5.1): in each demo year every street holds
//! one promotion or matchmaking event — one of them in a coastal city — inviting people of its
//! own street from the demo out-migrants who mean to come back, and records who came and the
//! intention they left with; 区人社局 announces an upcoming matchmaking event on the portal.

use anyhow::Context;
use chrono::{Datelike, Duration, NaiveDate};
use linkong_core::access::{Actor, Role};
use linkong_core::events::EventKind;
use linkong_core::events::promotion::{InviteeQuery, invitee_filter};
use linkong_core::plan::{Plan, UnitKind};
use linkong_core::time::local_date;
use linkong_store::Store;
use linkong_store::events::EventDraft;
use linkong_store::promotion::{AttendanceDraft, Invitees, PromotionOutcome};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo::ensure_user;

/// The coastal cities a street's yearly trip goes to, in turn: (province, city, venue).
const COASTAL: [(&str, &str, &str); 3] = [
    ("广东", "深圳", "深圳市湖北商会"),
    ("浙江", "杭州", "杭州市武汉商会"),
    ("江苏", "苏州", "苏州工业园区湖北同乡会"),
];

/// How many people a street invites to its event.
const INVITED: i64 = 30;

/// One street's event of a year: (organiser, name), the day, and whether it goes to the coast.
struct Planned<'a> {
    unit: (&'a str, &'a str),
    held_on: NaiveDate,
    coastal: Option<(&'static str, &'static str, &'static str)>,
    kind: EventKind,
}

pub async fn fill(store: &Store, plan: &Plan, seed: u64) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x2510);
    let today = local_date(store.now());
    let streets: Vec<(&str, &str)> = plan
        .units
        .iter()
        .filter(|u| u.kind == UnitKind::Street)
        .map(|u| (u.code.as_str(), u.name.as_str()))
        .collect();
    let mut held = 0;
    for year in plan.info.first_year..=plan.info.last_year {
        let start = NaiveDate::from_ymd_opt(year, 3, 1).unwrap_or(today);
        if start > today {
            continue;
        }
        let end = today.min(NaiveDate::from_ymd_opt(year, 12, 20).unwrap_or(today));
        let span = (end - start).num_days().max(0);
        let trip = streets.len().max(1);
        for (i, unit) in streets.iter().enumerate() {
            let planned = Planned {
                unit: *unit,
                held_on: start + Duration::days(rng.random_range(0..=span)),
                coastal: (i == year as usize % trip).then(|| COASTAL[year as usize % 3]),
                kind: EventKind::PROMOTION[i % 2],
            };
            held += street_event(store, plan, &mut rng, &planned, today).await?;
        }
    }
    upcoming(store, plan, today).await?;
    println!(
        "演示返区创业推介活动：{held} 场（每个街道每年 1 场，含赴沿海经济发达地区 1 场），并邀约外出就业人员、登记参加情况。"
    );
    Ok(())
}

/// A street's event, its invitations and (once held) attendance; 1 when it was held.
async fn street_event(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    planned: &Planned<'_>,
    today: NaiveDate,
) -> anyhow::Result<usize> {
    let (code, name) = planned.unit;
    let staff = ensure_user(
        store,
        &format!("{code}01"),
        &format!("{name}填报员"),
        Role::UnitStaff,
        Some(code),
    )
    .await?
    .actor();
    let year = planned.held_on.year();
    let mut draft = EventDraft {
        kind: planned.kind.code().into(),
        title: format!("{name}{year}年返区创业{}会", planned.kind.label()),
        organiser: code.into(),
        held_on: planned.held_on.to_string(),
        place: format!("{name}党群服务中心"),
        note: "邀请在外创业就业能人回乡考察，推介街道产业资源和返区创业政策。".into(),
        ..EventDraft::default()
    };
    let mut provinces = String::new();
    if let Some((province, city, venue)) = planned.coastal {
        draft.title = format!("{name}赴{city}{}会（{year}年）", planned.kind.label());
        draft.away = true;
        draft.province = province.into();
        draft.city = city.into();
        draft.coastal = true;
        draft.place = venue.into();
        provinces = "广东 浙江 江苏 上海 福建".into();
    }
    let event = store
        .save_event(&staff, plan, &draft, "demo")
        .await
        .with_context(|| format!("演示推介活动：{}", draft.title))?;
    let invited = invite(store, plan, &staff, event, &provinces).await?;
    if planned.held_on > today || invited.is_empty() {
        return Ok(usize::from(planned.held_on <= today));
    }
    let rows: Vec<AttendanceDraft> = invited
        .iter()
        .map(|person_id| attendance(rng, *person_id))
        .collect();
    store
        .record_attendance(&staff, plan, event, &rows, "demo")
        .await
        .with_context(|| format!("演示推介活动参加情况：{}", draft.title))?;
    Ok(1)
}

/// Invites up to [`INVITED`] people of the staff's street who mean to come back (working in
/// `provinces`, when given); returns their ids.
async fn invite(
    store: &Store,
    plan: &Plan,
    staff: &Actor,
    event: i64,
    provinces: &str,
) -> anyhow::Result<Vec<i64>> {
    let query = InviteeQuery {
        intentions: vec!["business".into(), "work".into()],
        provinces: provinces.into(),
        ..InviteeQuery::default()
    };
    let filter =
        invitee_filter(plan, &query).map_err(|e| anyhow::anyhow!("演示邀约条件：{e:?}"))?;
    let (people, _) = store
        .invitee_candidates(staff, plan, event, &filter, INVITED, "demo")
        .await?;
    let ids: Vec<i64> = people.iter().map(|p| p.person_id).collect();
    if !ids.is_empty() {
        store
            .invite(staff, plan, event, &Invitees::Persons(ids.clone()), "demo")
            .await
            .with_context(|| "演示邀约")?;
    }
    Ok(ids)
}

/// Two in three come; of those, some mean to start a business, some to work, some not yet.
fn attendance(rng: &mut StdRng, person_id: i64) -> AttendanceDraft {
    let came = rng.random_range(0..3) < 2;
    let outcome = if came {
        match rng.random_range(0..10) {
            0..=2 => PromotionOutcome::Business,
            3..=5 => PromotionOutcome::Work,
            _ => PromotionOutcome::NoIntention,
        }
        .code()
        .to_owned()
    } else {
        String::new()
    };
    AttendanceDraft {
        person_id,
        attended: if came { "是" } else { "否" }.into(),
        outcome,
        note: String::new(),
    }
}

/// 区人社局's district-wide matchmaking event three weeks ahead, for the portal's list, when
/// that day is still within the plan.
async fn upcoming(store: &Store, plan: &Plan, today: NaiveDate) -> anyhow::Result<()> {
    let day = today + Duration::days(21);
    if !plan.years().contains(&day.year()) {
        return Ok(());
    }
    let rsj = ensure_user(
        store,
        "rsj01",
        "区人社局填报员",
        Role::UnitStaff,
        Some("rsj"),
    )
    .await?
    .actor();
    let draft = EventDraft {
        kind: EventKind::IndustryMatchmaking.code().into(),
        title: "临空港返区创业项目产业对接会".into(),
        organiser: "rsj".into(),
        held_on: day.to_string(),
        place: "东西湖区政务服务中心多功能厅".into(),
        note: "发布创业项目库项目和创业载体空间，现场对接金融、法律、规划专家。".into(),
        ..EventDraft::default()
    };
    store
        .save_event(&rsj, plan, &draft, "demo")
        .await
        .with_context(|| "演示产业对接会")?;
    Ok(())
}
