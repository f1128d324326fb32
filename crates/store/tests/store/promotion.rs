//! Returnee promotion events (task 2.5.1) in the store, on SQLite and (with LINKONG_TEST_PG)
//! PostgreSQL: the events fill 2.5.1's figures (one a street, one coastal) in the transaction
//! that records them, and the rebuild agrees; bad events write nothing.

use linkong_core::access::{Actor, Role};
use linkong_store::events::EventDraft;
use linkong_store::{Error, Store};
use linkong_testkit::{TestClock, account, databases, date, field_errors, plan};

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
            let errors = field_errors(
                store
                    .save_event(&jinghe, &plan, &draft, "")
                    .await
                    .unwrap_err(),
            );
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert!(errors[0].starts_with(field), "{errors:?}");
        }
        // 区商务局 brings chambers of commerce; it does not hold promotion events.
        let errors = field_errors(
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

mod invitations {
    use super::*;
    use linkong_core::access::Roster;
    use linkong_core::events::promotion::{InviteeQuery, invitee_filter};
    use linkong_core::people::{MigrantDraft, PersonDraft, validate_migrant};
    use linkong_store::people::{ImportRow, MigrantFilter, RowData};
    use linkong_store::promotion::{AttendanceDraft, Invitees, PromotionOutcome};
    use linkong_testkit::{import_rows, resident_id_for};

    fn migrant(
        n: usize,
        street: &str,
        province: &str,
        intention: &str,
        consent: &str,
    ) -> ImportRow {
        let draft = MigrantDraft {
            person: PersonDraft {
                name: format!("外出人员{n}"),
                id_number: resident_id_for(n),
                phone: format!("1380000{n:04}"),
                street: street.into(),
                ..Default::default()
            },
            province: province.into(),
            city: "某市".into(),
            section: "F".into(),
            years_away: "6".into(),
            intention: intention.into(),
            business_field: "电商".into(),
            contact_consent: consent.into(),
            surveyed_on: "2025-02-01".into(),
            ..Default::default()
        };
        ImportRow {
            row: n + 1,
            sealed: None,
            data: RowData::Migrant(validate_migrant(&plan(), &draft, date(2025, 10, 10)).unwrap()),
        }
    }

    /// The person id of `外出人员{n}`.
    async fn person(store: &Store, n: usize) -> i64 {
        let admin = account(store, &format!("admin{n}"), Role::Admin, None).await;
        let filter = MigrantFilter {
            query: format!("外出人员{n}"),
            ..MigrantFilter::default()
        };
        let (rows, _) = store
            .migrants(&plan(), &admin, &filter, 1, 10, "")
            .await
            .unwrap();
        rows.iter()
            .find(|r| r.name == format!("外出人员{n}"))
            .unwrap()
            .person_id
    }

    fn business_in_the_coastal_east() -> Invitees {
        let query = InviteeQuery {
            intentions: vec!["返区创业".into()],
            provinces: "广东 浙江 江苏".into(),
            ..InviteeQuery::default()
        };
        Invitees::Matching(invitee_filter(&plan(), &query).unwrap())
    }

    fn row(person_id: i64, attended: &str, outcome: &str) -> AttendanceDraft {
        AttendanceDraft {
            person_id,
            attended: attended.into(),
            outcome: outcome.into(),
            note: String::new(),
        }
    }

    #[tokio::test]
    async fn a_street_invites_its_own_people_working_on_the_coast_and_records_who_came() {
        let clock = TestClock::at(2025, 10, 10, 2);
        let start = clock.now();
        for db in databases(&clock).await {
            clock.set(start);
            let store = &db.store;
            let plan = plan();
            let rows = vec![
                migrant(1, "径河", "广东", "返区创业", "是"),
                migrant(2, "径河", "浙江", "返区创业", "是"),
                migrant(3, "径河", "湖南", "返区就业", "是"),
                migrant(4, "径河", "广东", "返区创业", "否"),
                migrant(5, "长青", "广东", "返区创业", "是"),
            ];
            import_rows(store, "rsj", Roster::Migrants, rows, true)
                .await
                .unwrap()
                .unwrap();
            let p: Vec<i64> = {
                let mut ids = vec![0];
                for n in 1..=5 {
                    ids.push(person(store, n).await);
                }
                ids
            };
            let jinghe = staff(store, "jinghe").await;
            let changqing = staff(store, "changqing").await;
            let rsj = staff(store, "rsj").await;
            let event = store
                .save_event(&jinghe, &plan, &in_shenzhen("jinghe", "2025-11-08"), "")
                .await
                .unwrap();
            let Invitees::Matching(filter) = business_in_the_coastal_east() else {
                unreachable!()
            };
            let (found, total) = store
                .invitee_candidates(&jinghe, &plan, event, &filter, 50, "")
                .await
                .unwrap();
            assert_eq!(total, 2, "{:?}", db.backend);
            assert_eq!(
                found.iter().map(|f| f.person_id).collect::<Vec<_>>(),
                [p[1], p[2]]
            );
            assert!(found[0].phone_masked.contains("****"), "{found:?}");

            // Bad input: another street's person, one who did not agree to be contacted.
            let other = store
                .invite(
                    &jinghe,
                    &plan,
                    event,
                    &Invitees::Persons(vec![p[1], p[5]]),
                    "",
                )
                .await
                .unwrap_err();
            assert!(
                matches!(&other, Error::Forbidden(m) if m.contains(&format!("人员 {}", p[5]))),
                "{other:?}"
            );
            let unwilling = field_errors(
                store
                    .invite(
                        &jinghe,
                        &plan,
                        event,
                        &Invitees::Persons(vec![p[1], p[4]]),
                        "",
                    )
                    .await
                    .unwrap_err(),
            );
            assert_eq!(unwilling.len(), 1);
            assert!(
                unwilling[0].contains(&format!("人员 {}", p[4])),
                "{unwilling:?}"
            );
            assert!(
                store
                    .invitations(&rsj, &plan, event, "")
                    .await
                    .unwrap()
                    .is_empty()
            );

            let invited = store
                .invite(&jinghe, &plan, event, &business_in_the_coastal_east(), "")
                .await
                .unwrap();
            assert_eq!(invited, 2);
            // The lead unit invites for every street.
            store
                .invite(&rsj, &plan, event, &Invitees::Persons(vec![p[5], p[1]]), "")
                .await
                .unwrap();
            let names = |list: Vec<linkong_store::promotion::Invitation>| -> Vec<i64> {
                list.iter().map(|i| i.person.person_id).collect()
            };
            assert_eq!(
                names(store.invitations(&jinghe, &plan, event, "").await.unwrap()),
                [p[1], p[2]]
            );
            assert_eq!(
                names(store.invitations(&rsj, &plan, event, "").await.unwrap()).len(),
                3
            );
            assert_eq!(
                names(
                    store
                        .export_invitations(&changqing, &plan, event, "")
                        .await
                        .unwrap()
                ),
                [p[5]]
            );

            // Attendance waits for the event.
            let early = field_errors(
                store
                    .record_attendance(&jinghe, &plan, event, &[row(p[1], "是", "business")], "")
                    .await
                    .unwrap_err(),
            );
            assert!(early[0].contains("举办后"), "{early:?}");
            clock.set(
                chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2025, 11, 10, 2, 0, 0).unwrap(),
            );
            let stray = field_errors(
                store
                    .record_attendance(
                        &jinghe,
                        &plan,
                        event,
                        &[row(p[1], "是", "business"), row(p[3], "是", "work")],
                        "",
                    )
                    .await
                    .unwrap_err(),
            );
            assert_eq!(
                stray,
                [format!("参加情况：人员 {} 未受邀参加本次活动", p[3])]
            );
            let outside = store
                .record_attendance(&jinghe, &plan, event, &[row(p[5], "是", "work")], "")
                .await
                .unwrap_err();
            assert!(matches!(outside, Error::Forbidden(_)), "{outside:?}");
            let public = store.event(event).await.unwrap().event;
            assert_eq!((public.attendance, public.intentions), (0, 0));

            store
                .record_attendance(
                    &jinghe,
                    &plan,
                    event,
                    &[row(p[1], "是", "有意向返乡创业"), row(p[2], "否", "")],
                    "",
                )
                .await
                .unwrap();
            let public = store.event(event).await.unwrap().event;
            assert_eq!((public.attendance, public.intentions), (1, 1));
            let history = store
                .promotion_history(&jinghe, &plan, p[1], "")
                .await
                .unwrap();
            assert_eq!(history.len(), 1);
            assert_eq!(history[0].attended, Some(true));
            assert_eq!(history[0].outcome, Some(PromotionOutcome::Business));
            assert!(history[0].event.coastal);
            assert!(matches!(
                store.promotion_history(&changqing, &plan, p[1], "").await,
                Err(Error::Forbidden(_))
            ));
        }
    }

    fn neighbour(street: &str) -> MigrantDraft {
        MigrantDraft {
            person: PersonDraft {
                name: "黄陂人员".into(),
                id_number: "420116199001010039".into(),
                street: street.into(),
                ..Default::default()
            },
            province: "广东".into(),
            city: "东莞".into(),
            section: "C".into(),
            years_away: "5".into(),
            intention: "返区创业".into(),
            business_field: "电子元器件".into(),
            contact_consent: "是".into(),
            surveyed_on: "2025-05-30".into(),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn people_of_a_neighbouring_district_become_targets_of_the_street_responsible_for_them() {
        for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
            let store = &db.store;
            let plan = plan();
            let jinghe = staff(store, "jinghe").await;
            let refused = store
                .add_neighbour(&jinghe, &plan, &neighbour("长青"), "黄陂", "")
                .await
                .unwrap_err();
            assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
            let bad = field_errors(
                store
                    .add_neighbour(&jinghe, &plan, &neighbour("径河"), "东西湖区", "")
                    .await
                    .unwrap_err(),
            );
            assert!(bad[0].starts_with("户籍所在区"), "{bad:?}");
            let id = store
                .add_neighbour(&jinghe, &plan, &neighbour("径河"), "黄陂", "")
                .await
                .unwrap();
            let again = store
                .add_neighbour(&jinghe, &plan, &neighbour("径河"), "黄陂", "")
                .await
                .unwrap_err();
            assert!(
                matches!(
                    again,
                    Error::Invalid {
                        field: "身份证号码",
                        ..
                    }
                ),
                "{again:?}"
            );
            let entry = store.migrant(&plan, &jinghe, id, "").await.unwrap();
            assert_eq!(
                (entry.home_district.as_str(), entry.street_code.as_str()),
                ("黄陂区", "jinghe")
            );
            let event = store
                .save_event(&jinghe, &plan, &promotion("jinghe", "2025-11-20"), "")
                .await
                .unwrap();
            let Invitees::Matching(filter) = business_in_the_coastal_east() else {
                unreachable!()
            };
            let (found, _) = store
                .invitee_candidates(&jinghe, &plan, event, &filter, 50, "")
                .await
                .unwrap();
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].home_district, "黄陂区");
        }
    }
}
