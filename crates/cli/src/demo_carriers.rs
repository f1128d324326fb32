//! Demo start-up carriers (issue 13 item 3): sixteen carriers across the streets, registered by
//! their keepers; the demo returnee businesses moving into them (most into a carrier of their
//! own street, a few moving out again) on the days it happened, so that 2.4.1's figures fill
//! through the year; and applications for municipal recognition in every stage, one
//! incubation base and one returnee park recognised, so that 1.2.2 and 2.4.1 show figures.

use chrono::{Duration, NaiveDate};
use linkong_core::access::Actor;
use linkong_core::businesses::BusinessStatus;
use linkong_core::carriers::CarrierDraft;
use linkong_core::carriers::applications::{ApplicationKind, Stage};
use linkong_core::plan::{Plan, UnitKind};
use linkong_core::time::local_date;
use linkong_demo::{APPLICATION_DOCUMENTS, APPLICATIONS, CARRIERS, DemoApplication, DemoCarrier};
use linkong_store::Store;
use linkong_store::businesses::BusinessFilter;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo_returnees::{on, staff_of};

/// The day the demo carriers are registered.
fn opened() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 2, 15).unwrap_or_default()
}

/// Fills carriers, their residents and applications, as of the store's today.
pub async fn fill(store: &Store, plan: &Plan, seed: u64) -> anyhow::Result<()> {
    let today = local_date(store.now());
    if opened() >= today {
        return Ok(());
    }
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0122);
    let mut carriers = Vec::new();
    for demo in &CARRIERS {
        let keeper = staff_of(store, plan, demo.keeper).await?;
        let id = on(store, opened())
            .save_carrier(plan, &keeper, None, &draft(demo), "demo")
            .await?;
        carriers.push((id, demo));
    }
    let (moved_in, moved_out) = residents(store, plan, &mut rng, &carriers, today).await?;
    let mut followed = 0;
    for (n, demo) in APPLICATIONS.iter().enumerate() {
        if let Some(&(id, carrier)) = carriers.iter().find(|(_, c)| c.name == demo.carrier) {
            let start = NaiveDate::from_ymd_opt(2025, 3, 10).unwrap_or_default()
                + Duration::days(7 * n as i64);
            followed += application(store, plan, (id, carrier), demo, (start, today)).await?;
        }
    }
    println!(
        "创业载体演示数据：{} 个载体，{moved_in} 次入驻（其中 {moved_out} 家已迁出），{followed} 份市级认定申报。",
        carriers.len()
    );
    Ok(())
}

fn draft(demo: &DemoCarrier) -> CarrierDraft {
    CarrierDraft {
        kind: demo.kind.into(),
        name: demo.name.into(),
        operator: demo.operator.into(),
        address: demo.address.into(),
        street: demo.street.into(),
        area: demo.area.into(),
        places: demo.places.into(),
        rent: demo.rent.into(),
        rent_note: demo.rent_note.into(),
        services: demo.services.into(),
        level: demo.level.into(),
        contact: demo.contact.into(),
        phone: demo.phone.into(),
    }
}

/// Who records a business moving into `carrier`: its keeper, unless that is a street and the
/// business is of another street (a street reaches only its own): then 区农业农村局.
async fn mover(
    store: &Store,
    plan: &Plan,
    carrier: &DemoCarrier,
    business_street: &str,
) -> anyhow::Result<Actor> {
    let street_keeper = plan
        .unit(carrier.keeper)
        .is_some_and(|u| u.kind == UnitKind::Street);
    let unit = if street_keeper && carrier.keeper != business_street {
        "nyncj"
    } else {
        carrier.keeper
    };
    staff_of(store, plan, unit).await
}

/// Two in three trading businesses move into a carrier (of their own street when there is one)
/// some weeks after their licence; one in six of those moves out again. (Move-ins, move-outs.)
async fn residents(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    carriers: &[(i64, &DemoCarrier)],
    today: NaiveDate,
) -> anyhow::Result<(usize, usize)> {
    let mut businesses = store
        .businesses(plan, &Actor::console(), &BusinessFilter::default(), "demo")
        .await?;
    businesses.sort_by_key(|b| b.id);
    let (mut moved_in, mut moved_out) = (0, 0);
    for business in businesses {
        if business.status == BusinessStatus::Closed || !rng.random_bool(0.67) {
            continue;
        }
        let near: Vec<&(i64, &DemoCarrier)> = carriers
            .iter()
            .filter(|(_, c)| c.street == business.street_code)
            .collect();
        let &(carrier_id, carrier) = match near.is_empty() {
            true => &carriers[rng.random_range(0..carriers.len())],
            false => near[rng.random_range(0..near.len())],
        };
        let day = business.licensed_on.max(opened()) + Duration::days(rng.random_range(7..60));
        if day > today {
            continue;
        }
        let actor = mover(store, plan, carrier, &business.street_code).await?;
        let stay = on(store, day)
            .move_in(
                plan,
                &actor,
                carrier_id,
                (&business.id.to_string(), &day.to_string()),
                "demo",
            )
            .await?;
        moved_in += 1;
        let out = day + Duration::days(rng.random_range(30..150));
        if out <= today && rng.random_range(0..6) == 0 {
            on(store, out)
                .move_out(plan, &actor, carrier_id, (stay, &out.to_string()), "demo")
                .await?;
            moved_out += 1;
        }
    }
    Ok((moved_in, moved_out))
}

/// One application, followed from `start` a month a stage to the stage it reaches (as far as
/// today allows), with its documents; 1 if it was made.
async fn application(
    store: &Store,
    plan: &Plan,
    (id, carrier): (i64, &DemoCarrier),
    demo: &DemoApplication,
    (start, today): (NaiveDate, NaiveDate),
) -> anyhow::Result<usize> {
    if start > today {
        return Ok(0);
    }
    let keeper = staff_of(store, plan, carrier.keeper).await?;
    let application = on(store, start)
        .apply_for_recognition(plan, &keeper, id, (demo.kind, &start.to_string()), "demo")
        .await?;
    for name in &APPLICATION_DOCUMENTS[..3] {
        let dated = (start - Duration::days(5)).to_string();
        on(store, start)
            .add_application_document(plan, &keeper, application, (name, &dated), "demo")
            .await?;
    }
    let rsj = staff_of(store, plan, "rsj").await?;
    let kind = ApplicationKind::parse(demo.kind).map_err(anyhow::Error::msg)?;
    let lead = staff_of(store, plan, kind.counted_for(plan).unwrap_or("rsj")).await?;
    let reaches = Stage::parse(demo.reaches).map_err(anyhow::Error::msg)?;
    let path: &[(Stage, &Actor, i64)] = &[
        (Stage::DistrictReview, &rsj, 30),
        (Stage::SubmittedToCity, &rsj, 60),
        (Stage::Approved, &lead, 150),
    ];
    for &(stage, actor, after) in path {
        let day = start + Duration::days(after);
        let (stage, note) = match reaches {
            Stage::Rejected if stage == Stage::Approved => (Stage::Rejected, demo.reason),
            _ if stage == Stage::Approved => (stage, "武人社函〔2025〕市级认定"),
            _ => (stage, ""),
        };
        if day > today || (reaches != Stage::Rejected && stage_order(stage) > stage_order(reaches))
        {
            break;
        }
        on(store, day)
            .step_carrier_application(
                plan,
                actor,
                application,
                (stage.code(), &day.to_string(), note),
                "demo",
            )
            .await?;
        if stage == Stage::DistrictReview {
            let name = APPLICATION_DOCUMENTS[3];
            on(store, day)
                .add_application_document(
                    plan,
                    actor,
                    application,
                    (name, &day.to_string()),
                    "demo",
                )
                .await?;
        }
    }
    Ok(1)
}

/// How far along the way to recognition a stage is.
fn stage_order(stage: Stage) -> usize {
    match stage {
        Stage::Recommended => 0,
        Stage::DistrictReview => 1,
        Stage::SubmittedToCity => 2,
        Stage::Approved | Stage::Rejected => 3,
    }
}
