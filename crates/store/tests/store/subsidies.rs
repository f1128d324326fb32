//! Subsidy applications in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL: the
//! 免申即享 scan finds a graduate hired through the job platform with three months of social
//! insurance for the employer's 扩岗补助; 区人社局 confirms it into a 公示 of seven working
//! days; an objection holds the payment until answered; 区财政局 pays at most the approved
//! amount after the 公示; the money figure of 1.3.1 is the payment, equal to the rows and to a
//! rebuild. A second hiring subsidy for the same graduate, a payment with three decimals, a
//! negative or too large one, a payment inside the 公示, a policy not in force on its date, two
//! rules in conflict and the wrong hands are each refused, nothing written. A returnee business
//! applying five months after its licence is refused with the trace naming the six-month rule.

use linkong_core::access::{Actor, Role};
use linkong_core::businesses::BusinessDraft;
use linkong_core::calendar::WorkCalendar;
use linkong_core::rules::{DONGXIHU, RuleBook};
use linkong_core::subsidies::{Channel, ObjectionDraft, PaymentDraft, SubsidyStatus};
use linkong_store::subsidies::{
    ApplicationDraft, Filed, Level, OfferKey, ReviewDraft, SubsidyFilter,
};
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, databases, date, field_errors, hired_graduate, insure, resident_id_for,
    unit_figures, uscc_for,
};

fn calendar() -> WorkCalendar {
    WorkCalendar::parse(include_str!("../../../../calendar/cn-workdays.toml")).unwrap()
}

/// The seed rules with 扩岗补助 stated to take priority over 一次性吸纳就业补贴 (if the seed does
/// not say so already), so that a 2025 hire has one benefit to offer.
fn book_with_priority() -> RuleBook {
    let seed = RuleBook::parse(DONGXIHU).unwrap();
    let stated = seed
        .policy("expansion_subsidy")
        .is_ok_and(|p| p.priority_over.iter().any(|q| q == "hiring_subsidy"));
    if stated {
        return seed;
    }
    let text = DONGXIHU.replacen(
        "id = \"expansion_subsidy\"",
        "id = \"expansion_subsidy\"\npriority_over = [\"hiring_subsidy\"]",
        1,
    );
    RuleBook::parse(&text).unwrap()
}

fn payment(amount: &str, paid_on: &str) -> PaymentDraft {
    PaymentDraft {
        amount: amount.into(),
        paid_on: paid_on.into(),
        account: "6222 0202 0000 1234".into(),
    }
}

async fn applications(store: &Store, actor: &Actor) -> usize {
    store
        .subsidies(&calendar(), actor, &SubsidyFilter::default(), "")
        .await
        .unwrap()
        .len()
}

fn at(clock: &TestClock, y: i32, m: u32, d: u32) {
    clock.set(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, y, m, d, 2, 0, 0)
            .single()
            .unwrap(),
    );
}

#[tokio::test]
async fn a_hire_with_three_months_of_insurance_is_offered_noticed_and_paid_once() {
    let clock = TestClock::at(2025, 7, 1, 2);
    for db in databases(&clock).await {
        at(&clock, 2025, 7, 1);
        let store = &db.store;
        let calendar = calendar();
        let book = book_with_priority();
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let czj = account(store, "czj01", Role::UnitStaff, Some("czj")).await;
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let hired = hired_graduate(store, 1, date(2025, 7, 1)).await;
        insure(store, &rsj, &hired, "2025-07", date(2025, 7, 1)).await;

        // Two full months by 9-15: nothing yet. Three by 10-15: 扩岗补助, 1,500 元.
        at(&clock, 2025, 9, 15);
        assert!(
            store
                .subsidy_scan(&book, &rsj, "")
                .await
                .unwrap()
                .offers
                .is_empty()
        );
        at(&clock, 2025, 10, 15);
        let seed = RuleBook::parse(DONGXIHU).unwrap();
        let seeded = store.subsidy_scan(&seed, &rsj, "").await.unwrap();
        if !seed
            .policy("expansion_subsidy")
            .unwrap()
            .priority_over
            .iter()
            .any(|q| q == "hiring_subsidy")
        {
            assert!(seeded.offers.is_empty(), "{:?}", db.backend);
            assert!(
                seeded.conflicts[0]
                    .1
                    .contains("《一次性扩岗补助》与《一次性吸纳就业补贴》")
            );
        }
        let page = store.subsidy_scan(&book, &rsj, "").await.unwrap();
        assert_eq!(page.offers.len(), 1, "{:?}", db.backend);
        let offer = &page.offers[0];
        assert_eq!(offer.scheme.policy_id, "expansion_subsidy");
        assert_eq!(offer.decision.amount_fen, 150_000);
        assert!(
            offer
                .decision
                .trace
                .lines()
                .iter()
                .any(|l| l.contains("参保满 3 个月"))
        );
        assert!(matches!(
            store.subsidy_scan(&book, &jinghe, "").await.unwrap_err(),
            Error::Forbidden(_)
        ));

        let key = OfferKey::of(offer);
        let confirmed = store
            .confirm_offers(&book, &calendar, &rsj, std::slice::from_ref(&key), "")
            .await
            .unwrap();
        assert_eq!(confirmed, 1);
        let again = store
            .confirm_offers(&book, &calendar, &rsj, &[key], "")
            .await
            .unwrap_err();
        assert!(matches!(again, Error::Conflict(_)), "{again:?}");
        let list = store
            .subsidies(&calendar, &rsj, &SubsidyFilter::default(), "")
            .await
            .unwrap();
        assert_eq!(list.len(), 1);
        let id = list[0].id;
        assert_eq!(list[0].status, SubsidyStatus::Notice);
        assert_eq!(list[0].channel, Channel::Offer);
        assert_eq!(list[0].notice_until, Some(date(2025, 10, 24)));
        let notices = store.subsidy_notices().await.unwrap();
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].graduate_name.as_deref(), Some("毕***"));
        let messages = store.employer_messages(&hired.boss).await.unwrap();
        assert!(messages[0].1.contains("一次性扩岗补助"), "{messages:?}");

        // A second hiring subsidy for the same graduate: the rule refuses it, nothing kept.
        for policy in ["expansion_subsidy", "hiring_subsidy"] {
            let draft = ApplicationDraft {
                policy: policy.into(),
                applicant: hired.employer_uscc.clone(),
                graduate: hired.resident_id.clone(),
                applied_on: "2025-10-15".into(),
                facts: [("labour_contract", "是"), ("graduate_eligible", "是")]
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            };
            let filed = store
                .file_subsidy(&book, &rsj, &draft, Channel::Window, "")
                .await
                .unwrap();
            let Filed::Refused(decision) = filed else {
                panic!("{policy} filed twice for one graduate");
            };
            assert!(
                decision
                    .trace
                    .conditions
                    .iter()
                    .any(|c| c.id == "not_counted_elsewhere" && !c.met)
            );
        }
        assert_eq!(applications(store, &rsj).await, 1);

        // An objection holds the payment; inside the 公示 nothing may be paid.
        store
            .object_to_subsidy(
                &calendar,
                id,
                &ObjectionDraft {
                    text: "该毕业生未实际到岗".into(),
                    contact: "13800001111".into(),
                },
                "",
            )
            .await
            .unwrap();
        at(&clock, 2025, 10, 24);
        let early = store
            .pay_subsidy(&calendar, &czj, id, &payment("1500", "2025-10-24"), "")
            .await
            .unwrap_err();
        assert!(early.to_string().contains("公示期至 2025-10-24"), "{early}");
        at(&clock, 2025, 10, 27);
        let held = store
            .pay_subsidy(&calendar, &czj, id, &payment("1500", "2025-10-27"), "")
            .await
            .unwrap_err();
        assert!(held.to_string().contains("异议尚未答复"), "{held}");
        let detail = store.subsidy(&calendar, &rsj, id, "").await.unwrap();
        let objection = detail.objections[0].id;
        assert_eq!(detail.objections[0].contact.as_deref(), Some("13800001111"));
        store
            .answer_objection(
                &calendar,
                &rsj,
                id,
                objection,
                "dismissed",
                "经核实已到岗并参保",
                "",
            )
            .await
            .unwrap();

        // Bad payments, and the wrong hands.
        for (amount, message) in [
            ("1500.001", "拨付金额：金额最多保留两位小数（到分）"),
            ("-1", "拨付金额：金额不能为负数"),
            ("1500.01", "拨付金额：1,500.01 元超过核定金额 1,500.00 元"),
        ] {
            let refused = store
                .pay_subsidy(&calendar, &czj, id, &payment(amount, "2025-10-27"), "")
                .await
                .unwrap_err();
            assert_eq!(field_errors(refused), [message]);
        }
        assert!(matches!(
            store
                .pay_subsidy(&calendar, &rsj, id, &payment("1500", "2025-10-27"), "")
                .await
                .unwrap_err(),
            Error::Forbidden(_)
        ));
        assert_eq!(
            unit_figures(
                store,
                "1.3.1.subsidies_paid",
                "rsj",
                2025,
                date(2025, 10, 27)
            )
            .await,
            (Some(0), Some(0))
        );
        store
            .pay_subsidy(&calendar, &czj, id, &payment("1,500.00", "2025-10-27"), "")
            .await
            .unwrap();
        let paid = store.subsidy(&calendar, &czj, id, "").await.unwrap();
        assert_eq!(paid.application.status, SubsidyStatus::Paid);
        assert_eq!(paid.payment.as_ref().unwrap().account, "**** 1234");
        assert!(paid.steps.iter().any(|s| s.step == "paid"));
        assert_eq!(
            unit_figures(
                store,
                "1.3.1.subsidies_paid",
                "rsj",
                2025,
                date(2025, 10, 27)
            )
            .await,
            (Some(150_000), Some(150_000)),
            "{:?}",
            db.backend
        );
        assert_eq!(
            unit_figures(store, "1.3.1.offer_paid", "rsj", 2025, date(2025, 10, 27)).await,
            (Some(150_000), Some(150_000))
        );
        store.rebuild_figures().await.unwrap();
        assert_eq!(
            unit_figures(
                store,
                "1.3.1.subsidies_paid",
                "rsj",
                2025,
                date(2025, 10, 27)
            )
            .await,
            (Some(150_000), Some(150_000))
        );
        let months = store
            .subsidy_payments_by_month(&czj, 2025, "")
            .await
            .unwrap();
        assert_eq!(months.len(), 1);
        assert_eq!(
            (months[0].month, months[0].amount_fen, months[0].offer_fen),
            (10, 150_000, 150_000)
        );
        assert!(matches!(
            store.subsidy_payments_by_month(&jinghe, 2025, "").await,
            Ok(ref rows) if rows.is_empty()
        ));
        let audit = store.recent_audit(80).await.unwrap();
        for action in [
            "subsidy.offer_confirm",
            "subsidy.refused",
            "subsidy.objection",
            "subsidy.pay",
            "access.denied",
        ] {
            assert!(audit.iter().any(|a| a.action == action), "{action}");
        }
        assert!(audit.iter().all(|a| !a.detail.contains("6222020200001234")));
    }
}

fn business(n: usize, licensed_on: &str) -> BusinessDraft {
    BusinessDraft {
        name: format!("径河农创{n}号"),
        uscc: uscc_for(n),
        licensed_on: licensed_on.into(),
        legal_form: "small_micro".into(),
        section: "I".into(),
        forms: vec!["tech_innovation".into()],
        street: "jinghe".into(),
        site: "径河街道".into(),
        founders: resident_id_for(n),
        keep_founders: false,
    }
}

#[tokio::test]
async fn a_business_five_months_after_its_licence_is_refused_with_the_six_month_rule() {
    let clock = TestClock::at(2025, 10, 15, 2);
    for db in databases(&clock).await {
        at(&clock, 2025, 10, 15);
        let store = &db.store;
        let plan = linkong_testkit::plan();
        let calendar = calendar();
        let book = RuleBook::parse(DONGXIHU).unwrap();
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let changqing = account(store, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        linkong_testkit::import_rows(
            store,
            "jinghe",
            linkong_core::access::Roster::Migrants,
            vec![linkong_testkit::would_be_founder(3, "吴返乡", "径河")],
            true,
        )
        .await
        .unwrap()
        .unwrap();
        store
            .save_business(&plan, &jinghe, None, &business(3, "2025-05-15"), "")
            .await
            .unwrap();
        let draft = |applied_on: &str| ApplicationDraft {
            policy: "startup_subsidy".into(),
            applicant: uscc_for(3),
            graduate: String::new(),
            applied_on: applied_on.into(),
            facts: [("employees", "3")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        let filed = store
            .file_subsidy(&book, &jinghe, &draft("2025-10-15"), Channel::Window, "")
            .await
            .unwrap();
        let Filed::Refused(decision) = filed else {
            panic!("filed five months after the licence");
        };
        let months = decision
            .trace
            .conditions
            .iter()
            .find(|c| c.id == "months_in_operation")
            .unwrap();
        assert!(!months.met);
        assert!(
            months.sentence.contains("营业执照满 6 个月"),
            "{}",
            months.sentence
        );
        assert_eq!(applications(store, &jinghe).await, 0);

        // Another street may not file for 径河's business; a date outside the policy is named.
        assert!(matches!(
            store
                .file_subsidy(&book, &changqing, &draft("2025-10-15"), Channel::Window, "")
                .await
                .unwrap_err(),
            Error::Forbidden(_)
        ));
        let mut expansion = draft("2026-01-05");
        expansion.policy = "expansion_subsidy".into();
        let refused = store
            .file_subsidy(&book, &rsj, &expansion, Channel::Window, "")
            .await
            .unwrap_err();
        assert!(
            field_errors(refused)
                .iter()
                .any(|e| e.starts_with("申请日期："))
        );
        let mut bad = draft("2025-10-15");
        bad.facts.insert("employees".into(), "三".into());
        let refused = store
            .file_subsidy(&book, &jinghe, &bad, Channel::Window, "")
            .await
            .unwrap_err();
        assert_eq!(
            field_errors(refused),
            ["申报事项：吸纳就业人数：“三”不是整数"]
        );

        // Six months on, it is filed, reviewed by the street and the district, and noticed.
        clock.advance(chrono::Duration::days(32));
        let Filed::Filed(id) = store
            .file_subsidy(&book, &jinghe, &draft("2025-11-16"), Channel::Window, "")
            .await
            .unwrap()
        else {
            panic!("six months after the licence is enough");
        };
        let duplicate = store
            .file_subsidy(&book, &jinghe, &draft("2025-11-16"), Channel::Window, "")
            .await
            .unwrap_err();
        assert!(matches!(duplicate, Error::Conflict(_)), "{duplicate:?}");
        let pass = ReviewDraft {
            verdict: "pass".into(),
            note: String::new(),
        };
        assert!(matches!(
            store
                .review_subsidy(&calendar, &rsj, id, Level::Street, &pass, "")
                .await
                .unwrap_err(),
            Error::Forbidden(_)
        ));
        let reject = ReviewDraft {
            verdict: "reject".into(),
            note: String::new(),
        };
        assert_eq!(
            field_errors(
                store
                    .review_subsidy(&calendar, &jinghe, id, Level::Street, &reject, "")
                    .await
                    .unwrap_err()
            ),
            ["审核意见：不通过时请写明理由"]
        );
        store
            .review_subsidy(&calendar, &jinghe, id, Level::Street, &pass, "")
            .await
            .unwrap();
        let twice = store
            .review_subsidy(&calendar, &jinghe, id, Level::Street, &pass, "")
            .await
            .unwrap_err();
        assert!(matches!(twice, Error::Conflict(_)));
        store
            .review_subsidy(&calendar, &rsj, id, Level::District, &pass, "")
            .await
            .unwrap();
        let detail = store.subsidy(&calendar, &jinghe, id, "").await.unwrap();
        assert_eq!(detail.application.status, SubsidyStatus::Notice);
        assert_eq!(detail.application.amount_fen, 500_000);
        assert!(detail.known_facts.iter().any(|f| f == "营业执照登记日期"));
        assert_eq!(detail.steps.len(), 3);
        assert!(matches!(
            store
                .subsidy(&calendar, &changqing, id, "")
                .await
                .unwrap_err(),
            Error::Forbidden(_)
        ));
    }
}

#[tokio::test]
async fn two_rules_in_conflict_refuse_the_application_naming_both() {
    let clock = TestClock::at(2025, 7, 1, 2);
    for db in databases(&clock).await {
        at(&clock, 2025, 7, 1);
        let store = &db.store;
        let seed = DONGXIHU.replace("priority_over = [\"hiring_subsidy\"]\n", "");
        let book = RuleBook::parse(&seed).unwrap();
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let hired = hired_graduate(store, 2, date(2025, 7, 1)).await;
        insure(store, &rsj, &hired, "2025-07", date(2025, 7, 1)).await;
        at(&clock, 2025, 10, 15);
        let draft = ApplicationDraft {
            policy: "hiring_subsidy".into(),
            applicant: hired.employer_uscc.clone(),
            graduate: hired.resident_id.clone(),
            applied_on: "2025-10-15".into(),
            facts: [("labour_contract", "是"), ("graduate_eligible", "是")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        let refused = store
            .file_subsidy(&book, &rsj, &draft, Channel::Window, "")
            .await
            .unwrap_err();
        let errors = field_errors(refused);
        assert!(
            errors[0].contains("《一次性扩岗补助》与《一次性吸纳就业补贴》"),
            "{errors:?}"
        );
        assert_eq!(applications(store, &rsj).await, 0);
    }
}
