//! Person–job matching in the store, on SQLite and (with LINKONG_TEST_PG) PostgreSQL: a 会计学
//! graduate of 径河 is suggested the accounting post in 径河 before an electrician's post across
//! the district, with the reasons; a post referred to them, or closed, is suggested no more;
//! another street cannot ask; a list longer than the maximum is refused.

use chrono::Duration;
use linkong_core::access::Role;
use linkong_core::fraud::FraudRules;
use linkong_core::jobs::PostDraft;
use linkong_core::matching::{WEIGHTS_FILE, Weights};
use linkong_core::pushes::Channel;
use linkong_store::Error;
use linkong_store::graduates::{GraduateFilter, ServiceDraft};
use linkong_store::jobs::PostReview;
use linkong_store::matching::PushAsk;
use linkong_testkit::{
    TestClock, account, databases, date, graduate_on_roster, plan, publishing_employer,
};

#[tokio::test]
async fn a_graduate_is_suggested_the_post_of_their_field_near_home_first_with_the_reasons() {
    for db in databases(&TestClock::at(2025, 9, 1, 2)).await {
        let (store, plan) = (&db.store, plan());
        db.clock.set(TestClock::at(2025, 9, 1, 2).now());
        let today = date(2025, 9, 1);
        let weights = Weights::parse(WEIGHTS_FILE).unwrap();
        graduate_on_roster(store, 1, today).await;
        let (boss, _, _, cashier) = publishing_employer(store, 1, today).await;
        let electrician = publish(store, &boss, today).await;
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let (graduates, _) = store
            .graduates(
                &plan,
                &jinghe,
                &GraduateFilter {
                    year: 2025,
                    ..Default::default()
                },
                1,
                10,
                "",
            )
            .await
            .unwrap();
        let graduate = graduates[0].id;

        let found = store
            .graduate_matches(&plan, &jinghe, graduate, &weights, 5, "")
            .await
            .unwrap();
        let ids: Vec<i64> = found.iter().map(|m| m.post_id).collect();
        assert_eq!(ids, [cashier, electrician]);
        assert_eq!(
            found[0].reasons,
            [
                "专业匹配：会计学 ↔ 会计",
                "学历满足：本科",
                "离家近：径河街道"
            ]
        );
        assert!(found[0].score > found[1].score);

        // Referred once, the post is not suggested again.
        let referral = ServiceDraft {
            item: "referral".into(),
            post_id: cashier.to_string(),
            done_on: "2025-09-01".into(),
            note: "人岗匹配推荐".into(),
        };
        store
            .add_service(&plan, &jinghe, graduate, &referral, "")
            .await
            .unwrap();
        let found = store
            .graduate_matches(&plan, &jinghe, graduate, &weights, 5, "")
            .await
            .unwrap();
        assert_eq!(
            found.iter().map(|m| m.post_id).collect::<Vec<_>>(),
            [electrician]
        );

        // A closed post is never suggested.
        store
            .close_job_post(&boss, electrician, "已招满", "")
            .await
            .unwrap();
        assert!(
            store
                .graduate_matches(&plan, &jinghe, graduate, &weights, 5, "")
                .await
                .unwrap()
                .is_empty()
        );

        // Another street may not ask; more than the maximum is refused naming the field.
        let changqing = account(store, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let err = store
            .graduate_matches(&plan, &changqing, graduate, &weights, 5, "")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Forbidden(_)), "{err}");
        let err = store
            .graduate_matches(&plan, &jinghe, graduate, &weights, 21, "")
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "推荐数量：推荐数量最多为 20（收到 21）");
    }
}

/// An electrician's post in 辛安渡 by the same employer, published: its id.
async fn publish(
    store: &linkong_store::Store,
    boss: &linkong_core::access::Actor,
    today: chrono::NaiveDate,
) -> i64 {
    let plan = plan();
    let draft = PostDraft {
        title: "电工".into(),
        description: "持低压电工证，负责厂区配电维护。".into(),
        occupation_group: "6".into(),
        occupation: "电工".into(),
        industry_section: "C".into(),
        leading_industry: "intelligent_manufacturing".into(),
        industry_code: String::new(),
        occupation_code: String::new(),
        level: String::new(),
        positions: "1".into(),
        education: "high_school".into(),
        experience: "fresh".into(),
        salary_min: "5000".into(),
        salary_max: "7000".into(),
        street_code: "xinandu".into(),
        contact_name: "李女士".into(),
        contact_phone: "13900001111".into(),
        valid_from: today.to_string(),
        valid_until: (today + Duration::days(60)).to_string(),
        raised_by: "jinghe".into(),
    };
    let rules = FraudRules::parse(include_str!("../../../../rules/fraud-screening.toml")).unwrap();
    let post = store
        .save_job_post(boss, &plan, &rules, None, None, &draft, true, "")
        .await
        .unwrap();
    let reviewer = account(store, "shenhe_match", Role::Reviewer, None).await;
    let publish = PostReview::Publish {
        override_reason: None,
    };
    store
        .review_job_post(&reviewer, post.id, &publish, "")
        .await
        .unwrap();
    post.id
}

#[tokio::test]
async fn a_push_list_pushes_open_posts_once_to_the_streets_own_graduates_all_or_none() {
    for db in databases(&TestClock::at(2025, 9, 1, 2)).await {
        let (store, plan) = (&db.store, plan());
        db.clock.set(TestClock::at(2025, 9, 1, 2).now());
        let today = date(2025, 9, 1);
        let weights = Weights::parse(WEIGHTS_FILE).unwrap();
        graduate_on_roster(store, 5, today).await;
        let (boss, _, _, cashier) = publishing_employer(store, 5, today).await;
        let electrician = publish(store, &boss, today).await;
        let jinghe = account(store, "jinghe05", Role::UnitStaff, Some("jinghe")).await;
        let changqing = account(store, "changqing05", Role::UnitStaff, Some("changqing")).await;

        let list = store
            .push_list(
                &plan,
                &jinghe,
                &PushAsk {
                    year: 2025,
                    street: Some("jinghe"),
                    n: 3,
                },
                &weights,
                "",
            )
            .await
            .unwrap();
        assert_eq!(list.len(), 1);
        let graduate = list[0].graduate_id;
        let ids: Vec<i64> = list[0].matches.iter().map(|m| m.post_id).collect();
        assert_eq!(ids, [cashier, electrician]);
        // Another street's list is refused; so are more than the maximum.
        let err = store
            .push_list(
                &plan,
                &changqing,
                &PushAsk {
                    year: 2025,
                    street: Some("jinghe"),
                    n: 3,
                },
                &weights,
                "",
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Forbidden(_)), "{err}");
        let err = store
            .push_list(
                &plan,
                &jinghe,
                &PushAsk {
                    year: 2025,
                    street: None,
                    n: 50,
                },
                &weights,
                "",
            )
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "推荐数量：推荐数量最多为 20（收到 50）");

        // Another street may not push to 径河's graduate; a closed post is refused; nothing of
        // a refused batch is written.
        let err = store
            .push_referrals(
                &plan,
                &changqing,
                Channel::PushList,
                &weights,
                &[(graduate, cashier)],
                "",
            )
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Forbidden(_)), "{err}");
        store
            .close_job_post(&boss, electrician, "已招满", "")
            .await
            .unwrap();
        let err = store
            .push_referrals(
                &plan,
                &jinghe,
                Channel::PushList,
                &weights,
                &[(graduate, cashier), (graduate, electrician)],
                "",
            )
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("推送岗位：岗位 #{electrician}“电工”已关闭，不能推送")
        );
        let (_, services) = store.graduate(&plan, &jinghe, graduate, "").await.unwrap();
        assert!(services.is_empty(), "all or none: {services:?}");

        assert_eq!(
            store
                .push_referrals(
                    &plan,
                    &jinghe,
                    Channel::PushList,
                    &weights,
                    &[(graduate, cashier)],
                    ""
                )
                .await
                .unwrap(),
            1
        );
        let (_, services) = store.graduate(&plan, &jinghe, graduate, "").await.unwrap();
        assert_eq!(
            (
                services[0].item.as_str(),
                services[0].post_id,
                services[0].note.as_str()
            ),
            ("referral", Some(cashier), "人岗匹配推送")
        );
        // Never the same post twice.
        let err = store
            .push_referrals(
                &plan,
                &jinghe,
                Channel::PushList,
                &weights,
                &[(graduate, cashier)],
                "",
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("不重复推送"), "{err}");
        let list = store
            .push_list(
                &plan,
                &jinghe,
                &PushAsk {
                    year: 2025,
                    street: Some("jinghe"),
                    n: 3,
                },
                &weights,
                "",
            )
            .await
            .unwrap();
        assert!(list[0].matches.is_empty(), "{list:?}");
    }
}
