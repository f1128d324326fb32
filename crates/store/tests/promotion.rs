//! Returnee promotion events (task 2.5.1) in the store, on SQLite and (with LINKONG_TEST_PG)
//! PostgreSQL: the events fill 2.5.1's figures (one a street, one coastal) in the transaction
//! that records them, and the rebuild agrees; bad events write nothing.

use linkong_core::access::{Actor, Role};
use linkong_core::plan::Plan;
use linkong_store::events::EventDraft;
use linkong_store::{Error, Store};
use linkong_testkit::{PLAN_FILE, TestClock, account, databases, date};

fn plan() -> Plan {
    Plan::parse(PLAN_FILE).unwrap()
}

fn fields(error: Error) -> Vec<String> {
    match error {
        Error::Fields(errors) => errors.iter().map(|e| e.to_string()).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

/// A promotion event of `organiser`, in the district, on `day`.
fn promotion(organiser: &str, day: &str) -> EventDraft {
    EventDraft {
        kind: "returnee_promotion".into(),
        title: "返区创业专题推介会".into(),
        organiser: organiser.into(),
        held_on: day.into(),
        place: "街道党群服务中心".into(),
        ..EventDraft::default()
    }
}

/// The same, held in Shenzhen (a coastal region).
fn in_shenzhen(organiser: &str, day: &str) -> EventDraft {
    EventDraft {
        kind: "industry_matchmaking".into(),
        title: "赴深圳产业对接会".into(),
        away: true,
        province: "广东".into(),
        city: "深圳".into(),
        coastal: true,
        place: "深圳市湖北商会".into(),
        ..promotion(organiser, day)
    }
}

/// The 2025 figures of `indicator` as the dashboard computes them, from the tallies and from
/// the rows: (district, per unit).
async fn figures(store: &Store, indicator: &str) -> (Option<i64>, Vec<(String, Option<i64>)>) {
    let plan = plan();
    let (from, to) = (date(2025, 1, 1), date(2025, 12, 31));
    let today = date(2025, 12, 20);
    let tallied = store.record_figures(&plan, from, to).await.unwrap();
    let counted = store
        .record_figures_from_rows(&plan, from, to)
        .await
        .unwrap();
    let progress = linkong_core::progress::compute(&plan, 2025, today, &tallied);
    assert_eq!(
        progress,
        linkong_core::progress::compute(&plan, 2025, today, &counted)
    );
    let found = progress
        .into_iter()
        .find(|p| p.indicator_code == indicator)
        .unwrap();
    let units = found
        .units
        .into_iter()
        .filter(|u| u.figure.actual.unwrap_or_default() > 0)
        .map(|u| (u.unit_code, u.figure.actual))
        .collect();
    (found.district.actual, units)
}

async fn staff(store: &Store, unit: &str) -> Actor {
    account(store, &format!("{unit}01"), Role::UnitStaff, Some(unit)).await
}

#[tokio::test]
async fn promotion_events_fill_2_5_1_per_street_and_the_coastal_one_district_wide() {
    for db in databases(&TestClock::at(2025, 12, 20, 2)).await {
        let store = &db.store;
        let plan = plan();
        let jinghe = staff(store, "jinghe").await;
        let changqing = staff(store, "changqing").await;
        let rsj = staff(store, "rsj").await;
        store
            .save_event(&jinghe, &plan, &promotion("jinghe", "2025-05-20"), "")
            .await
            .unwrap();
        store
            .save_event(
                &changqing,
                &plan,
                &in_shenzhen("changqing", "2025-11-08"),
                "",
            )
            .await
            .unwrap();
        // The lead unit's own event counts for it, beside the streets' quotas.
        store
            .save_event(&rsj, &plan, &promotion("rsj", "2025-06-18"), "")
            .await
            .unwrap();
        // A recruitment fair is not a promotion event.
        let fair = EventDraft {
            kind: "community".into(),
            ..promotion("jinghe", "2025-05-21")
        };
        store.save_event(&jinghe, &plan, &fair, "").await.unwrap();

        let (district, units) = figures(store, "2.5.1.promotion_events").await;
        assert_eq!(district, Some(3_00), "{:?}", db.backend);
        assert!(units.contains(&("jinghe".into(), Some(1_00))), "{units:?}");
        assert!(
            units.contains(&("changqing".into(), Some(1_00))),
            "{units:?}"
        );
        assert!(units.contains(&("rsj".into(), Some(1_00))), "{units:?}");
        let (coastal, units) = figures(store, "2.5.1.coastal_event").await;
        assert_eq!(coastal, Some(1_00));
        assert_eq!(units, [("changqing".to_owned(), Some(1_00))]);

        // The tallies kept by each write equal those rebuilt from the rows.
        let kept = store.stored_tallies().await.unwrap();
        assert!(kept.iter().any(|t| t.kind == "coastal_event"));
        store.rebuild_figures().await.unwrap();
        assert_eq!(kept, store.stored_tallies().await.unwrap());
    }
}

#[tokio::test]
async fn a_bad_promotion_event_is_refused_naming_the_field_and_writes_nothing() {
    for db in databases(&TestClock::at(2025, 12, 20, 2)).await {
        let store = &db.store;
        let plan = plan();
        let jinghe = staff(store, "jinghe").await;
        let swj = staff(store, "swj").await;
        let before = store.stored_tallies().await.unwrap();
        let unknown_kind = EventDraft {
            kind: "roadshow".into(),
            ..promotion("jinghe", "2025-05-20")
        };
        let coastal_at_home = EventDraft {
            coastal: true,
            ..promotion("jinghe", "2025-05-20")
        };
        let outside_the_plan = promotion("jinghe", "2028-01-10");
        let inland_as_coastal = EventDraft {
            province: "四川".into(),
            city: "成都".into(),
            ..in_shenzhen("jinghe", "2025-05-20")
        };
        for (draft, field) in [
            (unknown_kind, "活动类型"),
            (coastal_at_home, "沿海经济发达地区"),
            (outside_the_plan, "举办日期"),
            (inland_as_coastal, "沿海经济发达地区"),
        ] {
            let errors = fields(
                store
                    .save_event(&jinghe, &plan, &draft, "")
                    .await
                    .unwrap_err(),
            );
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert!(errors[0].starts_with(field), "{errors:?}");
        }
        // 区商务局 brings chambers of commerce; it does not hold promotion events.
        let errors = fields(
            store
                .save_event(&swj, &plan, &promotion("swj", "2025-05-20"), "")
                .await
                .unwrap_err(),
        );
        assert!(errors[0].starts_with("举办单位"), "{errors:?}");
        assert!(store.events_of_year(2025).await.unwrap().is_empty());
        assert_eq!(before, store.stored_tallies().await.unwrap());
    }
}
