//! Start-up carriers in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL: carriers
//! kept by their street or by 区经科局, 区农业农村局 and 区人社局; returnee businesses moving in and
//! out (never more residents than places, one carrier at a time); applications for municipal
//! recognition stage by stage. 1.2.2's and 2.4.1's figures come from these rows, kept as
//! tallies in the same transactions and equal to the tallies rebuilt from the rows. Bad input
//! writes nothing; a street neither sees nor changes another street's carriers.

use linkong_core::access::{Actor, Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_core::carriers::applications::Stage;
use linkong_core::carriers::{CarrierDraft, CarrierLevel};
use linkong_store::carriers::CarrierFilter;
use linkong_store::carriers::applications::ApplicationFilter;
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, import_rows, plan, resident_id_for,
    unit_figures, uscc_for, would_be_founder,
};

fn business(n: usize, street: &str) -> BusinessDraft {
    BusinessDraft {
        name: format!("返乡创业{n}号店"),
        uscc: uscc_for(n),
        licensed_on: "2025-02-01".into(),
        legal_form: "individual_business".into(),
        section: "F".into(),
        forms: vec!["live_commerce".into()],
        street: street.into(),
        site: String::new(),
        founders: resident_id_for(n),
        keep_founders: false,
    }
}

fn carrier(name: &str, street: &str, places: &str) -> CarrierDraft {
    CarrierDraft {
        kind: "returnee_park".into(),
        name: name.into(),
        operator: "东西湖区农业发展投资有限公司".into(),
        address: "东西湖区慈惠农场沿江大道 8 号".into(),
        street: street.into(),
        area: "3000".into(),
        places: places.into(),
        rent: "12".into(),
        rent_note: "返乡创业项目前两年租金减半".into(),
        services: "工商注册代办、创业指导、电商培训".into(),
        level: "district".into(),
        contact: "园区服务中心".into(),
        phone: "027-83211234".into(),
    }
}

struct Staff {
    cihui: Actor,
    baiquan: Actor,
    jkj: Actor,
    nyncj: Actor,
    rsj: Actor,
}

/// Returnees 1–4 of 慈惠 and 5 of 柏泉, each with a business of their street; the staff.
async fn setup(store: &Store) -> (Staff, Vec<i64>) {
    let rows = (1..=5)
        .map(|n| would_be_founder(n, "创业者", if n == 5 { "柏泉" } else { "慈惠" }))
        .collect();
    import_rows(store, "rsj", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
    let staff = Staff {
        cihui: account(store, "cihui01", Role::UnitStaff, Some("cihui")).await,
        baiquan: account(store, "baiquan01", Role::UnitStaff, Some("baiquan")).await,
        jkj: account(store, "jkj01", Role::UnitStaff, Some("jkj")).await,
        nyncj: account(store, "nyncj01", Role::UnitStaff, Some("nyncj")).await,
        rsj: account(store, "rsj01", Role::UnitStaff, Some("rsj")).await,
    };
    let plan = plan();
    let mut businesses = Vec::new();
    for n in 1..=5 {
        let (who, street) = if n == 5 {
            (&staff.baiquan, "柏泉")
        } else {
            (&staff.cihui, "慈惠")
        };
        businesses.push(
            store
                .save_business(&plan, who, None, &business(n, street), "")
                .await
                .unwrap(),
        );
    }
    (staff, businesses)
}

/// The `year` figure of `unit` on `code` (hundredths), as the dashboard computes it from the
/// tallies, and as counted from every row.
async fn figures(store: &Store, code: &str, unit: &str, year: i32) -> (Option<i64>, Option<i64>) {
    unit_figures(store, code, unit, year, date(2026, 12, 31)).await
}

async fn same_after_rebuild(store: &Store) {
    let kept = store.stored_tallies().await.unwrap();
    store.rebuild_figures().await.unwrap();
    assert_eq!(kept, store.stored_tallies().await.unwrap());
}

#[tokio::test]
async fn businesses_move_into_a_carrier_and_out_and_its_vacancies_follow() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (staff, businesses) = setup(store).await;
        let id = store
            .save_carrier(
                &plan,
                &staff.cihui,
                None,
                &carrier("慈惠返乡创业园", "慈惠", "3"),
                "",
            )
            .await
            .unwrap();
        for (b, day) in businesses[..2].iter().zip(["2025-03-01", "2025-04-01"]) {
            store
                .move_in(&plan, &staff.cihui, id, (&b.to_string(), day), "")
                .await
                .unwrap();
        }
        let detail = store.carrier(&plan, &staff.cihui, id, "").await.unwrap();
        assert_eq!((detail.carrier.residents, detail.carrier.vacancies), (2, 1));
        assert_eq!(detail.residents[0].business_name, "返乡创业1号店");
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "carrier.move_in"
        );

        // The business's site is now the carrier, and its page shows the stay.
        let page = store
            .business(&plan, &staff.cihui, businesses[0], "")
            .await
            .unwrap();
        assert_eq!(
            page.business.carrier_name.as_deref(),
            Some("慈惠返乡创业园")
        );
        assert_eq!(page.stays.len(), 1);

        // Moving out frees the place and the business's site.
        let stay = detail.residents[0].stay_id;
        store
            .move_out(&plan, &staff.cihui, id, (stay, "2025-09-30"), "")
            .await
            .unwrap();
        let detail = store.carrier(&plan, &staff.cihui, id, "").await.unwrap();
        assert_eq!((detail.carrier.residents, detail.carrier.vacancies), (1, 2));
        assert_eq!(detail.former[0].moved_out_on, Some(date(2025, 9, 30)));
        let page = store
            .business(&plan, &staff.cihui, businesses[0], "")
            .await
            .unwrap();
        assert_eq!(page.business.carrier_id, None);

        // The portal lists it with its vacancies; a filter for vacant ones keeps it.
        let public = store
            .published_carriers(&CarrierFilter {
                vacant: true,
                ..CarrierFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(public.len(), 1);
        assert_eq!(public[0].vacancies, 2);
    }
}

#[tokio::test]
async fn a_carrier_never_holds_more_residents_than_places() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (staff, businesses) = setup(store).await;
        let id = store
            .save_carrier(
                &plan,
                &staff.cihui,
                None,
                &carrier("慈惠返乡创业园", "慈惠", "2"),
                "",
            )
            .await
            .unwrap();
        for b in &businesses[..2] {
            store
                .move_in(&plan, &staff.cihui, id, (&b.to_string(), "2025-05-01"), "")
                .await
                .unwrap();
        }
        // A third resident for two places: refused, naming the field, nothing written.
        let errors = field_errors(
            store
                .move_in(
                    &plan,
                    &staff.cihui,
                    id,
                    (&businesses[2].to_string(), "2025-05-02"),
                    "",
                )
                .await
                .unwrap_err(),
        );
        assert_eq!(
            errors,
            ["入驻主体：载体已满：工位/房间数 2，现有入驻主体 2 家"]
        );
        // Lowering the places below the two residents: refused too.
        let errors = field_errors(
            store
                .save_carrier(
                    &plan,
                    &staff.cihui,
                    Some(id),
                    &carrier("慈惠返乡创业园", "慈惠", "1"),
                    "",
                )
                .await
                .unwrap_err(),
        );
        assert_eq!(
            errors,
            ["工位/房间数：不能少于现有入驻主体数（2 家），请先登记迁出"]
        );
        let detail = store.carrier(&plan, &staff.cihui, id, "").await.unwrap();
        assert_eq!((detail.carrier.places, detail.carrier.residents), (2, 2));
        let page = store
            .business(&plan, &staff.cihui, businesses[2], "")
            .await
            .unwrap();
        assert!(page.stays.is_empty());
    }
}

#[tokio::test]
async fn bad_moves_and_bad_carriers_name_the_field_and_write_nothing() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (staff, businesses) = setup(store).await;
        let first = store
            .save_carrier(
                &plan,
                &staff.cihui,
                None,
                &carrier("慈惠返乡创业园", "慈惠", "5"),
                "",
            )
            .await
            .unwrap();
        let second = store
            .save_carrier(
                &plan,
                &staff.nyncj,
                None,
                &carrier("慈惠沿江小镇创业街区", "慈惠", "5"),
                "",
            )
            .await
            .unwrap();
        let b = businesses[0].to_string();
        store
            .move_in(&plan, &staff.cihui, first, (&b, "2025-03-01"), "")
            .await
            .unwrap();

        // A business moving into a second carrier while still in the first.
        let errors = field_errors(
            store
                .move_in(&plan, &staff.cihui, second, (&b, "2025-06-01"), "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("入驻主体：该主体仍在“慈惠返乡创业园”入驻"),
            "{errors:?}"
        );

        // A move-out before the move-in.
        let stay = store
            .carrier(&plan, &staff.cihui, first, "")
            .await
            .unwrap()
            .residents[0]
            .stay_id;
        let errors = field_errors(
            store
                .move_out(&plan, &staff.cihui, first, (stay, "2025-02-28"), "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["迁出日期：2025-02-28 早于入驻日期 2025-03-01"]);

        // Negative area and places.
        let mut bad = carrier("柏泉空闲校舍改造", "慈惠", "-4");
        bad.area = "-100".into();
        let errors = field_errors(
            store
                .save_carrier(&plan, &staff.cihui, None, &bad, "")
                .await
                .unwrap_err(),
        );
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("面积（㎡）") && errors[1].starts_with("工位/房间数"));

        let all = store
            .carriers(&plan, &staff.rsj, &CarrierFilter::default(), "")
            .await
            .unwrap();
        assert_eq!(all.len(), 2, "nothing written");
        assert_eq!(all.iter().map(|c| c.residents).sum::<i64>(), 1);
        let detail = store.carrier(&plan, &staff.cihui, first, "").await.unwrap();
        assert!(detail.former.is_empty());
    }
}

#[tokio::test]
async fn a_street_neither_sees_nor_changes_another_streets_carriers() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let (store, plan) = (&db.store, plan());
        let (staff, businesses) = setup(store).await;
        let theirs = store
            .save_carrier(
                &plan,
                &staff.cihui,
                None,
                &carrier("慈惠返乡创业园", "慈惠", "5"),
                "",
            )
            .await
            .unwrap();
        let ours = store
            .save_carrier(
                &plan,
                &staff.baiquan,
                None,
                &carrier("柏泉空闲校舍改造", "柏泉", "5"),
                "",
            )
            .await
            .unwrap();
        store
            .apply_for_recognition(
                &plan,
                &staff.cihui,
                theirs,
                ("returnee_park", "2025-05-01"),
                "",
            )
            .await
            .unwrap();
        let list = store
            .carriers(&plan, &staff.baiquan, &CarrierFilter::default(), "")
            .await
            .unwrap();
        assert_eq!(list.iter().map(|c| c.id).collect::<Vec<_>>(), [ours]);
        let applications = store
            .carrier_applications(&plan, &staff.baiquan, &ApplicationFilter::default(), "")
            .await
            .unwrap();
        assert!(applications.is_empty());
        let asked = CarrierFilter {
            street: Some("cihui".into()),
            ..CarrierFilter::default()
        };
        let refusals = [
            store
                .carriers(&plan, &staff.baiquan, &asked, "")
                .await
                .map(|_| ()),
            store
                .carrier(&plan, &staff.baiquan, theirs, "")
                .await
                .map(|_| ()),
            store
                .save_carrier(
                    &plan,
                    &staff.baiquan,
                    Some(theirs),
                    &carrier("慈惠返乡创业园", "慈惠", "9"),
                    "",
                )
                .await
                .map(|_| ()),
            store
                .save_carrier(
                    &plan,
                    &staff.baiquan,
                    None,
                    &carrier("慈惠新园", "慈惠", "9"),
                    "",
                )
                .await
                .map(|_| ()),
            store
                .move_in(
                    &plan,
                    &staff.baiquan,
                    theirs,
                    (&businesses[4].to_string(), "2025-06-01"),
                    "",
                )
                .await
                .map(|_| ()),
            // Its own carrier, but a business of another street.
            store
                .move_in(
                    &plan,
                    &staff.baiquan,
                    ours,
                    (&businesses[0].to_string(), "2025-06-01"),
                    "",
                )
                .await
                .map(|_| ()),
            store
                .apply_for_recognition(
                    &plan,
                    &staff.baiquan,
                    theirs,
                    ("incubation_base", "2025-06-01"),
                    "",
                )
                .await
                .map(|_| ()),
        ];
        for refused in refusals {
            assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
        }
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "access.denied"
        );
        let detail = store
            .carrier(&plan, &staff.cihui, theirs, "")
            .await
            .unwrap();
        assert_eq!((detail.carrier.places, detail.residents.len()), (5, 0));
        assert_eq!(detail.applications.len(), 1);
        // 区农业农村局 (lead of 2.4.1) keeps every street's.
        store
            .save_carrier(
                &plan,
                &staff.nyncj,
                Some(theirs),
                &carrier("慈惠返乡创业园", "慈惠", "8"),
                "",
            )
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn an_approved_incubation_base_fills_1_2_2_for_jkj_and_rebuilds_the_same() {
    let clock = TestClock::at(2025, 3, 1, 2);
    let start = clock.now();
    for db in databases(&clock).await {
        clock.set(start);
        let (store, plan) = (&db.store, plan());
        let (staff, _) = setup(store).await;
        let mut draft = carrier("临空港创业孵化基地", "慈惠", "40");
        draft.kind = "incubation_base".into();
        let id = store
            .save_carrier(&plan, &staff.jkj, None, &draft, "")
            .await
            .unwrap();
        let app = store
            .apply_for_recognition(
                &plan,
                &staff.cihui,
                id,
                ("incubation_base", "2025-03-01"),
                "",
            )
            .await
            .unwrap();
        clock.advance(chrono::Duration::days(200));
        store
            .add_application_document(
                &plan,
                &staff.cihui,
                app,
                ("市级创业孵化基地申报书", "2025-02-20"),
                "",
            )
            .await
            .unwrap();

        // Skipping a stage, and a stage of another task's lead: refused, nothing written.
        let errors = field_errors(
            store
                .step_carrier_application(
                    &plan,
                    &staff.rsj,
                    app,
                    ("approved", "2025-06-01", ""),
                    "",
                )
                .await
                .unwrap_err(),
        );
        assert!(
            errors[0].starts_with("申报阶段：当前为“街道/部门推荐”"),
            "{errors:?}"
        );
        let refused = store
            .step_carrier_application(
                &plan,
                &staff.nyncj,
                app,
                ("district_review", "2025-04-01", ""),
                "",
            )
            .await;
        assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
        let refused = store
            .step_carrier_application(
                &plan,
                &staff.cihui,
                app,
                ("district_review", "2025-04-01", ""),
                "",
            )
            .await;
        assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");

        for (who, stage, on) in [
            (&staff.rsj, "district_review", "2025-04-01"),
            (&staff.rsj, "submitted_to_city", "2025-05-01"),
        ] {
            store
                .step_carrier_application(&plan, who, app, (stage, on, ""), "")
                .await
                .unwrap();
        }
        // A rejection without its reason.
        let errors = field_errors(
            store
                .step_carrier_application(
                    &plan,
                    &staff.jkj,
                    app,
                    ("rejected", "2025-08-01", " "),
                    "",
                )
                .await
                .unwrap_err(),
        );
        assert_eq!(errors, ["未通过原因：不能为空"]);
        assert_eq!(
            figures(store, "1.2.2.incubators", "jkj", 2025).await,
            (Some(0), Some(0))
        );
        store
            .step_carrier_application(
                &plan,
                &staff.jkj,
                app,
                ("approved", "2025-08-01", "武人社函〔2025〕1号"),
                "",
            )
            .await
            .unwrap();

        let detail = store
            .carrier_application(&plan, &staff.cihui, app, "")
            .await
            .unwrap();
        assert_eq!(detail.application.stage, Stage::Approved);
        assert_eq!(detail.application.approved_on, Some(date(2025, 8, 1)));
        assert_eq!(detail.application.recommended_by, "cihui");
        assert_eq!(detail.steps.len(), 4);
        assert_eq!(detail.documents[0].name, "市级创业孵化基地申报书");
        let carrier = store
            .carrier(&plan, &staff.jkj, id, "")
            .await
            .unwrap()
            .carrier;
        assert_eq!(carrier.level, CarrierLevel::Municipal);
        // Recognised: no second application of the kind; nothing follows the approval.
        assert!(
            store
                .apply_for_recognition(
                    &plan,
                    &staff.cihui,
                    id,
                    ("incubation_base", "2025-09-01"),
                    ""
                )
                .await
                .is_err()
        );

        assert_eq!(
            figures(store, "1.2.2.incubators", "jkj", 2025).await,
            (Some(100), Some(100))
        );
        let behind = store
            .recognitions(
                &staff.jkj,
                linkong_core::carriers::applications::ApplicationKind::IncubationBase,
                "jkj",
                2025,
                "",
            )
            .await
            .unwrap();
        assert_eq!(behind.len(), 1);
        same_after_rebuild(store).await;
        assert_eq!(
            figures(store, "1.2.2.incubators", "jkj", 2025).await,
            (Some(100), Some(100))
        );
    }
}

#[tokio::test]
async fn move_ins_fill_2_4_1_for_the_carriers_street_once_a_business_a_year() {
    let clock = TestClock::at(2025, 10, 10, 2);
    let start = clock.now();
    for db in databases(&clock).await {
        clock.set(start);
        let (store, plan) = (&db.store, plan());
        let (staff, businesses) = setup(store).await;
        let park = store
            .save_carrier(
                &plan,
                &staff.cihui,
                None,
                &carrier("慈惠返乡创业园", "慈惠", "5"),
                "",
            )
            .await
            .unwrap();
        let town = store
            .save_carrier(
                &plan,
                &staff.nyncj,
                None,
                &carrier("慈惠沿江小镇创业街区", "慈惠", "5"),
                "",
            )
            .await
            .unwrap();
        let b = businesses[0].to_string();
        store
            .move_in(&plan, &staff.cihui, park, (&b, "2025-03-01"), "")
            .await
            .unwrap();
        store
            .move_in(
                &plan,
                &staff.cihui,
                park,
                (&businesses[1].to_string(), "2025-04-01"),
                "",
            )
            .await
            .unwrap();
        let stay = store
            .carrier(&plan, &staff.cihui, park, "")
            .await
            .unwrap()
            .residents[0]
            .stay_id;
        store
            .move_out(&plan, &staff.cihui, park, (stay, "2025-06-30"), "")
            .await
            .unwrap();
        // The same business moves on to the town the same year: it counts once.
        store
            .move_in(&plan, &staff.nyncj, town, (&b, "2025-07-01"), "")
            .await
            .unwrap();
        assert_eq!(
            figures(store, "2.4.1.carrier_residents", "cihui", 2025).await,
            (Some(200), Some(200))
        );
        let arrivals = store
            .carrier_arrivals(&staff.cihui, "cihui", 2025, "")
            .await
            .unwrap();
        assert_eq!(arrivals.len(), 2);
        assert!(
            store
                .carrier_arrivals(&staff.baiquan, "cihui", 2025, "")
                .await
                .is_err()
        );
        same_after_rebuild(store).await;

        // The town turns out to stand in 柏泉: its move-in goes with it, but the business had
        // already counted for 慈惠 this year.
        store
            .save_carrier(
                &plan,
                &staff.nyncj,
                Some(town),
                &carrier("慈惠沿江小镇创业街区", "柏泉", "5"),
                "",
            )
            .await
            .unwrap();
        assert_eq!(
            figures(store, "2.4.1.carrier_residents", "cihui", 2025).await,
            (Some(200), Some(200))
        );
        // A new year: the business counts again where it moves in.
        clock.set(start + chrono::Duration::days(120));
        let stay = store
            .carrier(&plan, &staff.nyncj, town, "")
            .await
            .unwrap()
            .residents[0]
            .stay_id;
        store
            .move_out(&plan, &staff.nyncj, town, (stay, "2026-01-05"), "")
            .await
            .unwrap();
        store
            .move_in(&plan, &staff.cihui, park, (&b, "2026-01-06"), "")
            .await
            .unwrap();
        assert_eq!(
            figures(store, "2.4.1.carrier_residents", "cihui", 2026).await,
            (Some(100), Some(100))
        );
        same_after_rebuild(store).await;
    }
}
