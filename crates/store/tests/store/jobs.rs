//! Job posts, review and screening, complaints, applications and events in the store, on SQLite
//! and (with LINKONG_TEST_PG) PostgreSQL; and the indicators they fill.

use linkong_core::access::{Actor, Role};
use linkong_core::fraud::{FraudRules, RiskLevel};
use linkong_core::jobs::{ApplicationStatus, PostDraft, PostStatus};
use linkong_core::password::NewPassword;
use linkong_store::applicants::ApplicantSignup;
use linkong_store::employers::EmployerDraft;
use linkong_store::events::EventDraft;
use linkong_store::jobs::{PostList, PostReview};
use linkong_store::users::NewUser;
use linkong_store::{Error, Store};
use linkong_testkit::{TestClock, audit_actions, databases, date, plan};

const RULES: &str = include_str!("../../../../rules/fraud-screening.toml");

fn rules() -> FraudRules {
    FraudRules::parse(RULES).unwrap()
}

async fn user(store: &Store, username: &str, role: Role, unit: Option<&str>) -> Actor {
    let new = NewUser {
        username: username.into(),
        display_name: username.into(),
        role,
        unit_code: unit.map(str::to_owned),
        password: NewPassword::parse("Jobs#2025x", "x").unwrap(),
        must_change_password: false,
    };
    store.create_user(None, new, "").await.unwrap().actor()
}

/// Registers an employer with an account and returns the account's actor and the employer id.
async fn employer(store: &Store, uscc: &str, name: &str, login: &str) -> (Actor, i64) {
    let registered = store
        .register_employer(
            &plan(),
            &EmployerDraft {
                uscc: uscc.into(),
                name: name.into(),
                industry_section: "I".into(),
                street_code: "jinghe".into(),
                contact_name: "王敏".into(),
                contact_phone: "13812345678".into(),
                account_username: login.into(),
                account_password: "Employer#2025".into(),
            },
            "",
        )
        .await
        .unwrap();
    let account = store.user_by_name(login).await.unwrap().unwrap();
    (account.actor(), registered.id)
}

fn post() -> PostDraft {
    PostDraft {
        title: "前端开发工程师".into(),
        description: "负责公司官网和小程序的前端开发，熟悉 Vue 或 React，能与后端协作联调。".into(),
        occupation_group: "2".into(),
        occupation: "软件工程技术人员".into(),
        industry_section: "I".into(),
        leading_industry: "cyber_security_big_data".into(),
        industry_code: "6513".into(),
        occupation_code: String::new(),
        level: String::new(),
        positions: "6".into(),
        education: "bachelor".into(),
        experience: "fresh".into(),
        salary_min: "6000".into(),
        salary_max: "9000".into(),
        street_code: "jinghe".into(),
        contact_name: "李女士".into(),
        contact_phone: "13900001111".into(),
        valid_from: "2025-10-01".into(),
        valid_until: "2025-12-31".into(),
        raised_by: "jinghe".into(),
    }
}

fn fields(error: Error) -> Vec<&'static str> {
    match error {
        Error::Fields(errors) => errors.iter().map(|e| e.field).collect(),
        Error::Invalid { field, .. } => vec![field],
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[tokio::test]
async fn a_published_post_fills_the_raising_units_positions_and_the_emerging_share() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let reviewer = user(store, "shenhe1", Role::Reviewer, None).await;
        let (boss, employer_id) = employer(
            store,
            "91350100M000100Y43",
            "武汉临空港智造科技有限公司",
            "zhizao",
        )
        .await;
        store
            .review_employer(&reviewer, employer_id, true, "", "")
            .await
            .unwrap();
        let figures = |store: Store| async move {
            let all = store
                .record_figures(&self::plan(), date(2025, 1, 1), date(2025, 12, 31))
                .await
                .unwrap();
            let sum = |code: &str, unit: &str| -> i64 {
                all.iter()
                    .filter(|f| f.indicator_code == code && f.unit_code == unit)
                    .map(|f| f.value)
                    .sum()
            };
            (
                sum("1.1.1.positions", "jinghe"),
                sum("1.1.1.emerging_share", "rsj"),
            )
        };
        assert_eq!(figures(store.clone()).await, (0, 0));

        let draft = store
            .save_job_post(&boss, &plan, &rules(), None, None, &post(), false, "")
            .await
            .unwrap();
        assert_eq!(draft.status, PostStatus::Draft);
        let submitted = store
            .save_job_post(
                &boss,
                &plan,
                &rules(),
                Some(draft.id),
                None,
                &post(),
                true,
                "",
            )
            .await
            .unwrap();
        assert_eq!(submitted.status, PostStatus::Pending);
        assert_eq!(submitted.risk.as_ref().unwrap().level, RiskLevel::Low);
        assert_eq!(
            figures(store.clone()).await,
            (0, 0),
            "pending does not count"
        );

        store
            .review_job_post(
                &reviewer,
                draft.id,
                &PostReview::Publish {
                    override_reason: None,
                },
                "",
            )
            .await
            .unwrap();
        // 6 positions in hundredths; all of them emerging: 100.00 %.
        assert_eq!(figures(store.clone()).await, (600, 100_00));

        // A second post, not emerging, of 4 positions: the share is 6 / 10 = 60.00 %.
        let other = PostDraft {
            title: "仓库管理员".into(),
            description: "负责仓库收发货、盘点和台账管理，熟练使用 Excel。".into(),
            // A warehouse job in logistics: not emerging whatever the employer thinks.
            occupation_group: "4".into(),
            industry_section: "G".into(),
            industry_code: String::new(),
            positions: "4".into(),
            ..post()
        };
        let second = store
            .save_job_post(&boss, &plan, &rules(), None, None, &other, true, "")
            .await
            .unwrap();
        store
            .review_job_post(
                &reviewer,
                second.id,
                &PostReview::Publish {
                    override_reason: None,
                },
                "",
            )
            .await
            .unwrap();
        assert_eq!(figures(store.clone()).await, (1000, 60_00));

        // Manual records for an indicator a registry fills are refused.
        let staff = user(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let refused = store
            .add_record(
                &staff,
                &plan,
                &linkong_core::record::RecordDraft {
                    indicator_code: "1.1.1.positions".into(),
                    unit_code: "jinghe".into(),
                    value: "100".into(),
                    occurred_on: "2025-10-09".into(),
                    description: "手工填报".into(),
                },
                None,
                None,
                "",
            )
            .await
            .unwrap_err();
        assert_eq!(fields(refused), ["指标"]);
    }
}

#[tokio::test]
async fn bad_posts_are_refused_with_the_field_named_and_nothing_written() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let (boss, _) = employer(
            store,
            "91350100M000100Y43",
            "武汉临空港智造科技有限公司",
            "zhizao",
        )
        .await;
        let cases = [
            (
                PostDraft {
                    salary_min: "9000".into(),
                    salary_max: "6000".into(),
                    ..post()
                },
                "最高月薪",
            ),
            (
                PostDraft {
                    positions: "0".into(),
                    ..post()
                },
                "招聘人数",
            ),
            (
                PostDraft {
                    positions: "-2".into(),
                    ..post()
                },
                "招聘人数",
            ),
            (
                PostDraft {
                    valid_from: "2025-12-01".into(),
                    valid_until: "2025-11-30".into(),
                    ..post()
                },
                "有效期截止",
            ),
            (
                PostDraft {
                    contact_phone: "12345".into(),
                    ..post()
                },
                "联系电话",
            ),
        ];
        for (draft, field) in cases {
            let error = store
                .save_job_post(&boss, &plan, &rules(), None, None, &draft, true, "")
                .await
                .unwrap_err();
            assert_eq!(fields(error), [field]);
        }
        assert!(
            store
                .job_posts(&boss, PostList::Mine)
                .await
                .unwrap()
                .is_empty(),
            "nothing was written"
        );
    }
}

#[tokio::test]
async fn another_employer_cannot_edit_or_close_a_post_and_the_attempt_is_audited() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let (boss, _) = employer(
            store,
            "91350100M000100Y43",
            "武汉临空港智造科技有限公司",
            "zhizao",
        )
        .await;
        let (rival, _) = employer(
            store,
            "91420112MA4KXXXX0R",
            "武汉金银湖冷链物流有限公司",
            "lenglian",
        )
        .await;
        let mine = store
            .save_job_post(&boss, &plan, &rules(), None, None, &post(), false, "")
            .await
            .unwrap();
        let edited = PostDraft {
            title: "被篡改的岗位".into(),
            ..post()
        };
        let error = store
            .save_job_post(
                &rival,
                &plan,
                &rules(),
                Some(mine.id),
                None,
                &edited,
                false,
                "",
            )
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Forbidden(_)), "{error:?}");
        assert!(store.close_job_post(&rival, mine.id, "", "").await.is_err());
        assert_eq!(
            store.job_post(mine.id).await.unwrap().unwrap().title,
            "前端开发工程师",
            "unchanged"
        );
        assert!(audit_actions(store).await.contains(&"access.denied".into()));
    }
}

#[tokio::test]
async fn a_high_risk_post_needs_an_override_and_an_unverified_employer_waits() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let reviewer = user(store, "shenhe1", Role::Reviewer, None).await;
        let (boss, employer_id) = employer(
            store,
            "91350100M000100Y43",
            "武汉临空港智造科技有限公司",
            "zhizao",
        )
        .await;
        let risky = PostDraft {
            title: "日结兼职".into(),
            description: "入职需先交押金 200 元，日结过万，轻松上手，名额有限。".into(),
            ..post()
        };
        let pending = store
            .save_job_post(&boss, &plan, &rules(), None, None, &risky, true, "")
            .await
            .unwrap();
        let risk = pending.risk.clone().unwrap();
        assert_eq!(risk.level, RiskLevel::High);
        let codes: Vec<&str> = risk.reasons.iter().map(|r| r.code.as_str()).collect();
        assert!(
            codes.contains(&"fee") && codes.contains(&"too_good_pay"),
            "{codes:?}"
        );

        let publish = |reason: Option<&str>| PostReview::Publish {
            override_reason: reason.map(str::to_owned),
        };
        let error = store
            .review_job_post(&reviewer, pending.id, &publish(Some("核实无误")), "")
            .await
            .unwrap_err();
        assert!(error.to_string().contains("尚未通过单位认证"), "{error}");
        store
            .review_job_post(&reviewer, pending.id, &publish(None), "")
            .await
            .unwrap_err();
        store
            .review_employer(&reviewer, employer_id, true, "", "")
            .await
            .unwrap();
        let error = store
            .review_job_post(&reviewer, pending.id, &publish(Some("  ")), "")
            .await
            .unwrap_err();
        assert_eq!(fields(error), ["人工复核意见"]);
        assert_eq!(
            store.job_post(pending.id).await.unwrap().unwrap().status,
            PostStatus::Pending
        );
        // The employer itself cannot review.
        assert!(matches!(
            store
                .review_job_post(&boss, pending.id, &publish(Some("我自己批准")), "")
                .await,
            Err(Error::Forbidden(_))
        ));
        let published = store
            .review_job_post(
                &reviewer,
                pending.id,
                &publish(Some("电话核实：押金为笔误，已要求删除")),
                "",
            )
            .await
            .unwrap();
        assert_eq!(published.status, PostStatus::Published);
        assert!(
            audit_actions(store)
                .await
                .contains(&"job_post.publish_override".into())
        );
    }
}

#[tokio::test]
async fn a_rejected_post_shows_its_reason_and_can_be_resubmitted() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let reviewer = user(store, "shenhe1", Role::Reviewer, None).await;
        let (boss, _) = employer(
            store,
            "91350100M000100Y43",
            "武汉临空港智造科技有限公司",
            "zhizao",
        )
        .await;
        let pending = store
            .save_job_post(&boss, &plan, &rules(), None, None, &post(), true, "")
            .await
            .unwrap();
        let empty = store
            .review_job_post(
                &reviewer,
                pending.id,
                &PostReview::Reject { reason: "".into() },
                "",
            )
            .await
            .unwrap_err();
        assert_eq!(fields(empty), ["审核意见"]);
        let rejected = store
            .review_job_post(
                &reviewer,
                pending.id,
                &PostReview::Reject {
                    reason: "请写明工作地点所在园区".into(),
                },
                "",
            )
            .await
            .unwrap();
        assert_eq!(rejected.status, PostStatus::Rejected);
        let mine = store.job_posts(&boss, PostList::Mine).await.unwrap();
        assert_eq!(
            mine[0].review_note.as_deref(),
            Some("请写明工作地点所在园区")
        );
        let again = store
            .save_job_post(
                &boss,
                &plan,
                &rules(),
                Some(pending.id),
                None,
                &post(),
                true,
                "",
            )
            .await
            .unwrap();
        assert_eq!(again.status, PostStatus::Pending);
    }
}

#[tokio::test]
async fn applicants_apply_once_to_open_posts_and_employers_move_them_to_hired() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let reviewer = user(store, "shenhe1", Role::Reviewer, None).await;
        let (boss, employer_id) = employer(
            store,
            "91350100M000100Y43",
            "武汉临空港智造科技有限公司",
            "zhizao",
        )
        .await;
        let (rival, _) = employer(
            store,
            "91420112MA4KXXXX0R",
            "武汉金银湖冷链物流有限公司",
            "lenglian",
        )
        .await;
        store
            .review_employer(&reviewer, employer_id, true, "", "")
            .await
            .unwrap();
        let pending = store
            .save_job_post(&boss, &plan, &rules(), None, None, &post(), true, "")
            .await
            .unwrap();
        let graduate = store
            .register_applicant(
                &ApplicantSignup {
                    phone: "13700001234".into(),
                    name: "张伟".into(),
                    password: "Graduate#2025".into(),
                },
                "",
            )
            .await
            .unwrap()
            .actor();
        let not_yet = store.apply(&graduate, pending.id, "").await.unwrap_err();
        assert!(
            matches!(not_yet, Error::Conflict(_)),
            "a pending post takes no applications"
        );
        store
            .review_job_post(
                &reviewer,
                pending.id,
                &PostReview::Publish {
                    override_reason: None,
                },
                "",
            )
            .await
            .unwrap();
        let application = store.apply(&graduate, pending.id, "").await.unwrap();
        let twice = store.apply(&graduate, pending.id, "").await.unwrap_err();
        assert!(twice.to_string().contains("您已申请过岗位"), "{twice}");

        // The same phone cannot register twice.
        let again = store
            .register_applicant(
                &ApplicantSignup {
                    phone: "137 0000 1234".into(),
                    name: "张伟".into(),
                    password: "Graduate#2025".into(),
                },
                "",
            )
            .await
            .unwrap_err();
        assert_eq!(fields(again), ["手机号码"]);

        assert!(matches!(
            store
                .move_application(&rival, application, ApplicationStatus::Viewed, "")
                .await,
            Err(Error::Forbidden(_))
        ));
        let skip = store
            .move_application(&boss, application, ApplicationStatus::Hired, "")
            .await
            .unwrap_err();
        assert!(
            matches!(skip, Error::Conflict(_)),
            "received cannot jump to hired"
        );
        for status in [
            ApplicationStatus::Viewed,
            ApplicationStatus::Interview,
            ApplicationStatus::Offer,
            ApplicationStatus::Hired,
        ] {
            store
                .move_application(&boss, application, status, "")
                .await
                .unwrap();
        }
        let mine = store.my_applications(&graduate).await.unwrap();
        assert_eq!(mine[0].status, ApplicationStatus::Hired);
        assert!(mine[0].hired_at.is_some(), "the hire is kept with its date");

        store
            .close_job_post(&boss, pending.id, "已招满", "")
            .await
            .unwrap();
        let other = store
            .register_applicant(
                &ApplicantSignup {
                    phone: "13700005678".into(),
                    name: "王芳".into(),
                    password: "Graduate#2025".into(),
                },
                "",
            )
            .await
            .unwrap()
            .actor();
        let closed = store.apply(&other, pending.id, "").await.unwrap_err();
        assert!(closed.to_string().contains("已关闭"), "{closed}");
        assert!(store.my_applications(&other).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn an_upheld_complaint_closes_the_post_and_the_search_feed_removes_it() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let reviewer = user(store, "shenhe1", Role::Reviewer, None).await;
        let (boss, employer_id) = employer(
            store,
            "91350100M000100Y43",
            "武汉临空港智造科技有限公司",
            "zhizao",
        )
        .await;
        store
            .review_employer(&reviewer, employer_id, true, "", "")
            .await
            .unwrap();
        let post = store
            .save_job_post(&boss, &plan, &rules(), None, None, &post(), true, "")
            .await
            .unwrap();
        store
            .review_job_post(
                &reviewer,
                post.id,
                &PostReview::Publish {
                    override_reason: None,
                },
                "",
            )
            .await
            .unwrap();
        let feed = store.search_changes(0, 100).await.unwrap();
        assert_eq!(feed.published.len(), 1);
        assert!(feed.removed.is_empty());

        let bad = store
            .report_job_post(post.id, "随便写的原因", "", "")
            .await
            .unwrap_err();
        assert_eq!(fields(bad), ["举报原因"]);
        let complaint = store
            .report_job_post(post.id, "收取费用或押金", "面试时要求交 300 元服装费", "")
            .await
            .unwrap();
        assert!(
            store.complaints(&boss).await.unwrap().is_empty(),
            "employers do not see the queue"
        );
        assert_eq!(store.complaints(&reviewer).await.unwrap().len(), 1);
        store
            .handle_complaint(&reviewer, complaint, true, "核实属实，已下架", "")
            .await
            .unwrap();
        assert_eq!(
            store.job_post(post.id).await.unwrap().unwrap().status,
            PostStatus::Closed
        );
        let feed = store.search_changes(feed.seq, 100).await.unwrap();
        assert_eq!(feed.removed, [post.id]);
        assert!(store.public_post(post.id).await.is_err());
    }
}

#[tokio::test]
async fn events_count_for_their_organiser_once_held() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let staff = user(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let event = |kind: &str, day: &str| EventDraft {
            kind: kind.into(),
            title: "径河街道“送岗位进社区”招聘会".into(),
            organiser: "jinghe".into(),
            held_on: day.into(),
            online: false,
            place: "径河街道党群服务中心".into(),
            attendance: "320".into(),
            intentions: "41".into(),
            ..EventDraft::default()
        };
        store
            .save_event(&staff, &plan, &event("community", "2025-09-20"), "")
            .await
            .unwrap();
        // Planned for later: counts once held.
        store
            .save_event(&staff, &plan, &event("community", "2025-11-20"), "")
            .await
            .unwrap();
        let count = |store: Store| async move {
            store
                .record_figures(&self::plan(), date(2025, 1, 1), date(2025, 12, 31))
                .await
                .unwrap()
                .iter()
                .filter(|f| {
                    f.indicator_code == "2.5.4.community_job_events" && f.unit_code == "jinghe"
                })
                .map(|f| f.value)
                .sum::<i64>()
        };
        assert_eq!(count(store.clone()).await, 100);

        let other_street = EventDraft {
            organiser: "changqing".into(),
            ..event("community", "2025-09-21")
        };
        assert!(matches!(
            store.save_event(&staff, &plan, &other_street, "").await,
            Err(Error::Forbidden(_))
        ));
        let bad = EventDraft {
            intentions: "400".into(),
            held_on: "2024-05-01".into(),
            place: "".into(),
            ..event("fair", "")
        };
        let error = store.save_event(&staff, &plan, &bad, "").await.unwrap_err();
        assert_eq!(
            fields(error),
            ["活动类型", "举办日期", "举办地点", "达成意向人数"]
        );
        assert_eq!(store.events_of_year(2025).await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn an_industry_office_enters_a_post_collected_offline_and_it_counts_for_the_office() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let reviewer = user(store, "shenhe1", Role::Reviewer, None).await;
        let office = user(store, "gaoxin01", Role::UnitStaff, Some("gaoxin")).await;
        let (_, employer_id) = employer(
            store,
            "91350100M000100Y43",
            "武汉临空港智造科技有限公司",
            "zhizao",
        )
        .await;
        let offline = PostDraft {
            raised_by: "gaoxin".into(),
            ..post()
        };
        let unverified = store
            .save_job_post(
                &office,
                &plan,
                &rules(),
                None,
                Some(employer_id),
                &offline,
                true,
                "",
            )
            .await
            .unwrap_err();
        assert_eq!(fields(unverified), ["用人单位"]);
        store
            .review_employer(&reviewer, employer_id, true, "", "")
            .await
            .unwrap();
        let for_another_unit = PostDraft {
            raised_by: "jidian".into(),
            ..post()
        };
        let error = store
            .save_job_post(
                &office,
                &plan,
                &rules(),
                None,
                Some(employer_id),
                &for_another_unit,
                true,
                "",
            )
            .await
            .unwrap_err();
        assert_eq!(fields(error), ["筹集单位"]);
        let entered = store
            .save_job_post(
                &office,
                &plan,
                &rules(),
                None,
                Some(employer_id),
                &offline,
                true,
                "",
            )
            .await
            .unwrap();
        assert_eq!(entered.employer_id, employer_id);
        store
            .review_job_post(
                &reviewer,
                entered.id,
                &PostReview::Publish {
                    override_reason: None,
                },
                "",
            )
            .await
            .unwrap();
        let figures = store
            .record_figures(&plan, date(2025, 1, 1), date(2025, 12, 31))
            .await
            .unwrap();
        let gaoxin: i64 = figures
            .iter()
            .filter(|f| f.indicator_code == "1.1.1.positions" && f.unit_code == "gaoxin")
            .map(|f| f.value)
            .sum();
        assert_eq!(gaoxin, 600, "the office's 6 positions");
        let listed = store
            .job_posts(
                &office,
                PostList::RaisedBy {
                    unit: "gaoxin",
                    year: 2025,
                },
            )
            .await
            .unwrap();
        assert_eq!(listed.len(), 1, "the drill-down lists it");
        let street = user(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        assert!(
            store
                .job_posts(
                    &street,
                    PostList::RaisedBy {
                        unit: "gaoxin",
                        year: 2025
                    }
                )
                .await
                .unwrap()
                .is_empty(),
            "another unit's staff do not see it"
        );
    }
}

#[tokio::test]
async fn applications_arriving_together_are_each_kept_once_and_a_bad_one_fails_alone() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let plan = plan();
        let reviewer = user(store, "shenhe1", Role::Reviewer, None).await;
        let (boss, employer_id) = employer(
            store,
            "91350100M000100Y43",
            "武汉临空港智造科技有限公司",
            "zhizao",
        )
        .await;
        store
            .review_employer(&reviewer, employer_id, true, "", "")
            .await
            .unwrap();
        let mut posts = Vec::new();
        for _ in 0..2 {
            let post = store
                .save_job_post(&boss, &plan, &rules(), None, None, &post(), true, "")
                .await
                .unwrap();
            let publish = PostReview::Publish {
                override_reason: None,
            };
            store
                .review_job_post(&reviewer, post.id, &publish, "")
                .await
                .unwrap();
            posts.push(post.id);
        }
        let mut applicants = Vec::new();
        for i in 0..8 {
            let signup = ApplicantSignup {
                phone: format!("1370000{:04}", 2000 + i),
                name: format!("求职者{i}"),
                password: "Graduate#2025".into(),
            };
            applicants.push(store.register_applicant(&signup, "").await.unwrap().actor());
        }
        // An account whose applicant is not in the database: its application breaks the
        // transaction it is written in, and must fail alone.
        let mut ghost = applicants[0].clone();
        ghost.applicant_id = Some(999_999);

        // Every applicant applies to both posts, and to the first twice, all at once.
        let mut tasks = tokio::task::JoinSet::new();
        for (who, actor) in applicants.iter().chain([&ghost]).enumerate() {
            for (n, post) in [posts[0], posts[1], posts[0]].into_iter().enumerate() {
                let (store, actor) = (store.clone(), actor.clone());
                tasks.spawn(async move { (who, n, store.apply(&actor, post, "").await) });
            }
        }
        let mut ids = Vec::new();
        let mut twice = 0;
        while let Some(done) = tasks.join_next().await {
            match done.unwrap() {
                (8, _, answer) => assert!(answer.is_err(), "the ghost's application: {answer:?}"),
                (_, _, Ok(id)) => ids.push(id),
                (_, _, Err(e)) if e.to_string().contains("您已申请过岗位") => twice += 1,
                (who, n, Err(e)) => panic!("applicant {who}, application {n}: {e}"),
            }
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 16, "each applicant's two posts, each kept once");
        assert_eq!(
            twice, 8,
            "each second application to the first post is refused"
        );
        assert_eq!(store.application_pairs().await.unwrap().len(), 16);
        let counts = store.table_counts().await.unwrap();
        assert_eq!(
            counts["application_events"], 16,
            "one first step per application kept, none for a pair named twice in a group"
        );
        let audited = audit_actions(store)
            .await
            .iter()
            .filter(|a| *a == "application.create")
            .count();
        assert_eq!(audited, 16, "one audit link per application written");
        assert!(store.verify_audit().await.unwrap().is_intact());
        for actor in &applicants {
            assert_eq!(store.my_applications(actor).await.unwrap().len(), 2);
        }
    }
}
