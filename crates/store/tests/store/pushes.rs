//! Job pushes from push to hire, on SQLite and (with LINKONG_TEST_PG) PostgreSQL: a street
//! officer pushes a post to an unplaced graduate, who finds it on the portal (signed up with the
//! roster's phone) with a portal message and an SMS in the outbox; opening, applying and the hire
//! are traced to the push, and the funnel counts them per street and channel. Another street
//! sees none of it. Employers see only applicants who consented to be found, masked, and may
//! invite them once. A street pushes posts to its returnees who want to come back to work, all
//! or none and once, and they find them on the portal as the graduates do.

use linkong_core::access::{Actor, Role};
use linkong_core::applicants::Profile;
use linkong_core::jobs::ApplicationStatus;
use linkong_core::matching::{WEIGHTS_FILE, Weights};
use linkong_core::pushes::{Channel, Funnel, Stage};
use linkong_store::applicants::ApplicantSignup;
use linkong_store::graduates::GraduateFilter;
use linkong_store::pushes::{PushFilter, SmsGateway, send_outbox};
use linkong_store::{Error, Store};
use linkong_testkit::{
    TestClock, account, audit_actions, databases, date, graduate_on_roster, import_migrant,
    job_seeking_returnee, plan, publishing_employer, would_be_founder,
};
use std::sync::Mutex;

/// A gateway that keeps what it was given, or refuses everything.
struct Recording {
    sent: Mutex<Vec<(String, String)>>,
    refuse: bool,
}

impl SmsGateway for Recording {
    async fn send(&self, phone: &str, text: &str) -> Result<(), String> {
        if self.refuse {
            return Err("网关维护中".into());
        }
        self.sent.lock().unwrap().push((phone.into(), text.into()));
        Ok(())
    }
}

async fn signed_up(store: &Store, phone: &str, name: &str) -> Actor {
    store
        .register_applicant(
            &ApplicantSignup {
                phone: phone.into(),
                name: name.into(),
                password: "Applicant#2025".into(),
            },
            "",
        )
        .await
        .expect("signed up")
        .actor()
}

/// `officer` pushes a post to a graduate from the push list: `(graduate, post)`.
async fn from_push_list(
    store: &Store,
    officer: &Actor,
    pair: (i64, i64),
) -> linkong_store::Result<usize> {
    let weights = Weights::parse(WEIGHTS_FILE).unwrap();
    store
        .push_referrals(&plan(), officer, Channel::PushList, &weights, &[pair], "")
        .await
}

async fn first_graduate(store: &Store, officer: &Actor) -> i64 {
    let filter = GraduateFilter {
        year: 2025,
        ..Default::default()
    };
    let (graduates, _) = store
        .graduates(&plan(), officer, &filter, 1, 10, "")
        .await
        .unwrap();
    graduates[0].id
}

#[tokio::test]
async fn a_push_reaches_the_portal_and_the_hire_is_traced_back_to_it() {
    for db in databases(&TestClock::at(2025, 9, 1, 2)).await {
        let (store, plan) = (&db.store, plan());
        db.clock.set(TestClock::at(2025, 9, 1, 2).now());
        let today = date(2025, 9, 1);
        let (_, phone) = graduate_on_roster(store, 1, today).await;
        let (boss, _, _, cashier) = publishing_employer(store, 1, today).await;
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let changqing = account(store, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
        let graduate = first_graduate(store, &jinghe).await;

        let pushed = from_push_list(store, &jinghe, (graduate, cashier)).await;
        assert_eq!(pushed.unwrap(), 1);
        // The SMS waits in the outbox; a refusing gateway keeps it, a working one sends it.
        assert_eq!(store.outbox_counts().await.unwrap(), (1, 0));
        let down = Recording {
            sent: Mutex::default(),
            refuse: true,
        };
        assert_eq!(send_outbox(store, &down, 10).await.unwrap().failed, 1);
        assert_eq!(store.outbox_counts().await.unwrap(), (1, 0));
        let up = Recording {
            sent: Mutex::default(),
            refuse: false,
        };
        assert_eq!(send_outbox(store, &up, 10).await.unwrap().sent, 1);
        let sent = up.sent.lock().unwrap().clone();
        assert_eq!(sent[0].0, phone, "the number opened for the gateway only");
        assert!(
            sent[0].1.starts_with("【临空港就业】为您推荐岗位："),
            "{}",
            sent[0].1
        );
        assert_eq!(store.outbox_counts().await.unwrap(), (0, 0));

        // The graduate signs up on the portal with the roster's phone and finds the push.
        let me = signed_up(store, &phone, "毕业生1").await;
        let mine = store.pushed_to_me(&me).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(
            (mine[0].post_id, mine[0].channel),
            (cashier, Channel::PushList)
        );
        assert!(
            mine[0].reasons.contains("专业匹配：会计学 ↔ 会计"),
            "{}",
            mine[0].reasons
        );
        let messages = store.my_messages(&me).await.unwrap();
        assert_eq!(messages.len(), 1, "one portal message (the SMS is not one)");
        assert_eq!(
            store.read_message(&me, messages[0].id).await.unwrap(),
            format!("/jobs/{cashier}")
        );
        // Someone else's message is not theirs to open.
        let other = signed_up(store, "13911112222", "路人").await;
        assert!(store.my_messages(&other).await.unwrap().is_empty());
        assert!(matches!(
            store.read_message(&other, messages[0].id).await,
            Err(Error::NotFound(_))
        ));

        // Viewed, applied, hired: each traced to the push.
        assert_eq!(store.record_push_view(&other, cashier).await.unwrap(), 0);
        assert_eq!(store.record_push_view(&me, cashier).await.unwrap(), 1);
        let (district, reader) = (&plan, &rsj);
        let funnel = |stage| async move {
            store
                .push_trail(
                    district,
                    reader,
                    &PushFilter {
                        year: 2025,
                        stage: Some(stage),
                        ..Default::default()
                    },
                    "",
                )
                .await
                .unwrap()
                .len()
        };
        assert_eq!(
            (funnel(Stage::Viewed).await, funnel(Stage::Applied).await),
            (1, 0)
        );
        let application = store.apply(&me, cashier, "").await.unwrap();
        for to in [
            ApplicationStatus::Viewed,
            ApplicationStatus::Interview,
            ApplicationStatus::Offer,
            ApplicationStatus::Hired,
        ] {
            store
                .move_application(&boss, application, to, "")
                .await
                .unwrap();
        }
        let trail = store
            .push_trail(
                &plan,
                &jinghe,
                &PushFilter {
                    year: 2025,
                    ..Default::default()
                },
                "",
            )
            .await
            .unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!(
            (trail[0].application_id, trail[0].stage),
            (Some(application), Stage::Hired)
        );
        assert_eq!(trail[0].name_masked, "毕***");
        let conversion = store.push_conversion(&plan, &rsj, 2025, "").await.unwrap();
        let all = Funnel {
            pushed: 1,
            viewed: 1,
            applied: 1,
            hired: 1,
        };
        assert_eq!(conversion.total, all);
        assert_eq!(conversion.by_street, [("jinghe".to_owned(), all)]);
        assert_eq!(conversion.by_channel, [(Channel::PushList, all)]);
        assert_eq!(
            store
                .push_conversion(&plan, &rsj, 2026, "")
                .await
                .unwrap()
                .total,
            Funnel::default()
        );

        // Another street sees an empty funnel of its own, and is refused 径河's.
        assert_eq!(
            store
                .push_conversion(&plan, &changqing, 2025, "")
                .await
                .unwrap()
                .total,
            Funnel::default()
        );
        let asked = PushFilter {
            year: 2025,
            street: Some("jinghe".into()),
            ..Default::default()
        };
        assert!(matches!(
            store.push_trail(&plan, &changqing, &asked, "").await,
            Err(Error::Forbidden(_))
        ));
        // The graduate's page lists the push with its stage.
        let theirs = store.pushes_to_graduate(graduate).await.unwrap();
        assert_eq!(theirs[0].stage, Stage::Hired);
    }
}

#[tokio::test]
async fn employers_find_only_applicants_who_consented_and_invite_them_once() {
    for db in databases(&TestClock::at(2025, 9, 1, 2)).await {
        let (store, plan) = (&db.store, plan());
        db.clock.set(TestClock::at(2025, 9, 1, 2).now());
        let today = date(2025, 9, 1);
        let weights = Weights::parse(WEIGHTS_FILE).unwrap();
        let (boss, _, _, cashier) = publishing_employer(store, 1, today).await;
        let (rival, _, _, _) = publishing_employer(store, 2, today).await;
        let shy = signed_up(store, "13800001111", "王小明").await;
        let open = signed_up(store, "13800002222", "李晓红").await;
        for who in [&shy, &open] {
            let profile = Profile {
                name: if who.username == shy.username {
                    "王小明"
                } else {
                    "李晓红"
                }
                .into(),
                education: "bachelor".into(),
                major: "会计学".into(),
                skills: "Excel、出纳".into(),
                ..Profile::default()
            };
            store.save_profile(who, &plan, &profile, "").await.unwrap();
        }
        let applicant_of = |a: &Actor| a.applicant_id.unwrap();

        // Nobody consented: nobody is shown, and an invitation is refused.
        assert!(
            store
                .post_candidates(&plan, &boss, cashier, &weights, 10)
                .await
                .unwrap()
                .is_empty()
        );
        let err = store
            .invite_candidate(&plan, &boss, (cashier, applicant_of(&open)), &weights, "")
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "候选人：该求职者未同意单位查看其求职信息，不能邀请"
        );

        store.set_findable(&open, true, "").await.unwrap();
        assert!(store.findable(&open).await.unwrap());
        let found = store
            .post_candidates(&plan, &boss, cashier, &weights, 10)
            .await
            .unwrap();
        assert_eq!(found.len(), 1, "only the one who consented: {found:?}");
        assert_eq!(found[0].name_masked, "李**");
        assert!(
            found[0].phone_masked.contains("****"),
            "{}",
            found[0].phone_masked
        );
        assert!(
            found[0].reasons.iter().any(|r| r.starts_with("专业匹配")),
            "{:?}",
            found[0].reasons
        );
        // Another employer may not look at this post's candidates nor invite to it.
        assert!(matches!(
            store
                .post_candidates(&plan, &rival, cashier, &weights, 10)
                .await,
            Err(Error::Forbidden(_))
        ));
        assert!(matches!(
            store
                .invite_candidate(&plan, &rival, (cashier, applicant_of(&open)), &weights, "")
                .await,
            Err(Error::Forbidden(_))
        ));

        store
            .invite_candidate(&plan, &boss, (cashier, applicant_of(&open)), &weights, "")
            .await
            .unwrap();
        let err = store
            .invite_candidate(&plan, &boss, (cashier, applicant_of(&open)), &weights, "")
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "推送岗位：已邀请过该求职者，不重复邀请");
        let messages = store.my_messages(&open).await.unwrap();
        assert!(
            messages[0].title.ends_with("邀请您投递“出纳（应届）”"),
            "{}",
            messages[0].title
        );
        assert!(
            store
                .post_candidates(&plan, &boss, cashier, &weights, 10)
                .await
                .unwrap()[0]
                .invited
        );

        // Consent withdrawn: gone from the list again.
        store.set_findable(&open, false, "").await.unwrap();
        assert!(
            store
                .post_candidates(&plan, &boss, cashier, &weights, 10)
                .await
                .unwrap()
                .is_empty()
        );
        // Too many asked for.
        let err = store
            .post_candidates(&plan, &boss, cashier, &weights, 21)
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "推荐数量：推荐数量最多为 20（收到 21）");
    }
}

#[tokio::test]
async fn recommendations_follow_the_profile_and_the_posts_at_once() {
    for db in databases(&TestClock::at(2025, 9, 1, 2)).await {
        let (store, plan) = (&db.store, plan());
        db.clock.set(TestClock::at(2025, 9, 1, 2).now());
        let today = date(2025, 9, 1);
        let weights = Weights::parse(WEIGHTS_FILE).unwrap();
        let (boss, _, _, cashier) = publishing_employer(store, 1, today).await;
        let me = signed_up(store, "13800003333", "张三").await;
        let mut profile = Profile {
            name: "张三".into(),
            education: "bachelor".into(),
            major: "会计学".into(),
            ..Profile::default()
        };
        store.save_profile(&me, &plan, &profile, "").await.unwrap();
        let found = store
            .recommend_for_me(&plan, &me, &weights, 5)
            .await
            .unwrap();
        assert_eq!(found[0].post_id, cashier);
        assert_eq!(found[0].reasons[0], "专业匹配：会计学 ↔ 会计");
        // A changed profile changes the reasons at once.
        profile.major = "机械设计".into();
        store.save_profile(&me, &plan, &profile, "").await.unwrap();
        let found = store
            .recommend_for_me(&plan, &me, &weights, 5)
            .await
            .unwrap();
        assert!(
            found[0].reasons.iter().all(|r| !r.starts_with("专业匹配")),
            "{:?}",
            found[0].reasons
        );
        // A closed post is gone at once.
        store
            .close_job_post(&boss, cashier, "已招满", "")
            .await
            .unwrap();
        assert!(
            store
                .recommend_for_me(&plan, &me, &weights, 5)
                .await
                .unwrap()
                .is_empty()
        );
        // Only an applicant has recommendations.
        let officer = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        assert!(matches!(
            store.recommend_for_me(&plan, &officer, &weights, 5).await,
            Err(Error::Forbidden(_))
        ));
    }
}

/// The open posts' matcher is kept between requests (the portal's 为你推荐 answers without
/// reading and indexing every open post), yet the recommendations follow at once every post
/// published or closed — through another server on the same database too — and the day a post
/// expires, with no write at all.
#[tokio::test]
async fn kept_recommendations_follow_another_servers_writes_and_the_day() {
    for db in databases(&TestClock::at(2025, 9, 1, 2)).await {
        // The backends share the clock, which the SQLite half moves on.
        db.clock.set(TestClock::at(2025, 9, 1, 2).now());
        let (store, plan) = (&db.store, plan());
        let today = date(2025, 9, 1);
        let weights = Weights::parse(WEIGHTS_FILE).unwrap();
        let (_, _, _, first) = publishing_employer(store, 1, today).await;
        let me = signed_up(store, "13800004444", "李四").await;
        let profile = Profile {
            name: "李四".into(),
            education: "bachelor".into(),
            major: "会计学".into(),
            ..Profile::default()
        };
        store.save_profile(&me, &plan, &profile, "").await.unwrap();
        let recommended = |store: &Store| {
            let (plan, me, weights) = (plan.clone(), me.clone(), weights.clone());
            let store = store.clone();
            async move {
                let found = store
                    .recommend_for_me(&plan, &me, &weights, 5)
                    .await
                    .unwrap();
                found.iter().map(|m| m.post_id).collect::<Vec<_>>()
            }
        };
        assert_eq!(recommended(store).await, vec![first]);
        assert_eq!(recommended(store).await, vec![first], "asked again, kept");

        // A second server publishes a post and closes the first: this server's next list
        // has the new one and not the closed one.
        let other = db.another_server().await;
        let (_, _, _, second) = publishing_employer(&other, 2, today).await;
        assert_eq!(recommended(store).await, vec![first, second]);
        let boss1 = other.user_by_name("boss1").await.unwrap().unwrap().actor();
        other
            .close_job_post(&boss1, first, "已招满", "")
            .await
            .unwrap();
        assert_eq!(recommended(store).await, vec![second]);

        // The post runs 60 days: on the 61st it is gone with nothing written.
        db.clock.advance(chrono::Duration::days(60));
        assert_eq!(recommended(store).await, vec![second], "its last day");
        db.clock.advance(chrono::Duration::days(1));
        assert!(recommended(store).await.is_empty(), "expired");
    }
}

/// The person id of the returnee named `name` on `officer`'s push list.
async fn on_list(store: &Store, officer: &Actor, name: &str) -> i64 {
    let weights = Weights::parse(WEIGHTS_FILE).unwrap();
    store
        .returnee_push_list(&plan(), officer, None, 3, &weights, "")
        .await
        .unwrap()
        .iter()
        .find(|l| l.name == name)
        .unwrap_or_else(|| panic!("{name} on the list"))
        .person_id
}

#[tokio::test]
async fn a_street_pushes_posts_to_its_job_seeking_returnees_all_or_none_and_once() {
    for db in databases(&TestClock::at(2025, 9, 1, 2)).await {
        let (store, plan) = (&db.store, plan());
        db.clock.set(TestClock::at(2025, 9, 1, 2).now());
        let today = date(2025, 9, 1);
        let weights = Weights::parse(WEIGHTS_FILE).unwrap();
        let (_, _, _, cashier) = publishing_employer(store, 1, today).await;
        let (boss2, _, _, closed) = publishing_employer(store, 2, today).await;
        import_migrant(store, job_seeking_returnee(7, "径河", true)).await;
        import_migrant(store, job_seeking_returnee(8, "径河", false)).await;
        import_migrant(store, job_seeking_returnee(9, "长青街道", true)).await;
        import_migrant(store, would_be_founder(10, "返区创业", "径河")).await;
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let changqing = account(store, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;

        // 径河's list: its two returnees who want to work, not the would-be founder nor 长青's.
        // (A post closed is suggested no more; it weighs in the matching no more either.)
        store
            .close_job_post(&boss2, closed, "已招满", "")
            .await
            .unwrap();
        let list = store
            .returnee_push_list(&plan, &jinghe, None, 3, &weights, "")
            .await
            .unwrap();
        let names: Vec<&str> = list.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names.contains(&"返区求职7") && names.contains(&"返区求职8"));
        let seven = on_list(store, &jinghe, "返区求职7").await;
        let eight = on_list(store, &jinghe, "返区求职8").await;
        let nine = on_list(store, &changqing, "返区求职9").await;
        let suggested = list
            .iter()
            .find(|l| l.person_id == seven)
            .and_then(|l| l.matches.iter().find(|m| !m.gig && m.id == cashier))
            .expect("the cashier's post suggested")
            .reasons
            .join("；");
        assert!(!suggested.is_empty());
        let err = store
            .returnee_push_list(&plan, &jinghe, None, 21, &weights, "")
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "推荐数量：推荐数量最多为 20（收到 21）");
        // Another street's list is refused, and the attempt audited.
        let asked = store
            .returnee_push_list(&plan, &changqing, Some("jinghe"), 3, &weights, "")
            .await;
        assert!(matches!(asked, Err(Error::Forbidden(_))), "{asked:?}");
        assert_eq!(audit_actions(store).await[0], "access.denied");

        // All or none: a closed post or another street's returnee in the batch, nothing written.
        let push = |actor, pairs: Vec<(i64, i64)>| {
            let (plan, weights) = (plan.clone(), weights.clone());
            async move {
                store
                    .push_to_returnees(&plan, actor, Channel::ReturneePage, &weights, &pairs, "")
                    .await
            }
        };
        let err = push(&jinghe, vec![(seven, cashier), (eight, closed)])
            .await
            .unwrap_err();
        assert!(
            err.to_string().starts_with("推送岗位：岗位 #")
                && err.to_string().ends_with("不能推送"),
            "{err}"
        );
        let err = push(&jinghe, vec![(seven, cashier), (nine, cashier)])
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
        let err = push(&jinghe, vec![(seven, cashier), (seven, cashier)])
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("推送岗位：岗位 #{cashier} 重复选择")
        );
        let err = push(&jinghe, vec![]).await.unwrap_err();
        assert_eq!(err.to_string(), "推送岗位：请至少选择一个岗位");
        let year = PushFilter {
            year: 2025,
            ..Default::default()
        };
        assert!(
            store
                .push_trail(&plan, &rsj, &year, "")
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.outbox_counts().await.unwrap(), (0, 0));

        // The push: a message each, an SMS only to the one who agreed to be contacted.
        let pushed = push(&jinghe, vec![(seven, cashier), (eight, cashier)])
            .await
            .unwrap();
        assert_eq!(pushed, 2);
        assert_eq!(store.outbox_counts().await.unwrap(), (1, 0));
        let actions = audit_actions(store).await;
        assert_eq!(actions[..2], ["returnee.push", "returnee.push"]);
        // Not twice, whoever asks; nor by another street.
        let err = push(&rsj, vec![(seven, cashier)]).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("推送岗位：岗位 #{cashier} 已推送给返区求职7，不重复推送")
        );
        assert!(matches!(
            push(&changqing, vec![(seven, cashier)]).await,
            Err(Error::Forbidden(_))
        ));

        // The returnee signs up with the registry's phone and finds the push and its message.
        let me = signed_up(store, "13650000007", "返区求职7").await;
        let mine = store.pushed_to_me(&me).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(
            (mine[0].post_id, mine[0].channel),
            (cashier, Channel::ReturneePage)
        );
        assert_eq!(mine[0].reasons, suggested, "the reasons their page gave");
        let messages = store.my_messages(&me).await.unwrap();
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0].title, "为您推荐岗位：出纳（应届）");
        let up = Recording {
            sent: Mutex::default(),
            refuse: false,
        };
        assert_eq!(send_outbox(store, &up, 10).await.unwrap().sent, 1);
        assert_eq!(up.sent.lock().unwrap()[0].0, "13650000007");

        // Their page lists the push and suggests the post no more; nor does the list.
        let file = store
            .returnee_file(&plan, &jinghe, seven, &weights, "")
            .await
            .unwrap();
        assert_eq!(file.pushes.len(), 1);
        assert_eq!(
            (file.pushes[0].stage, file.pushes[0].pushed_by.as_str()),
            (Stage::Pushed, "jinghe01")
        );
        assert!(file.matches.iter().all(|m| m.gig || m.id != cashier));
        let list = store
            .returnee_push_list(&plan, &jinghe, Some("jinghe"), 3, &weights, "")
            .await
            .unwrap();
        assert!(
            list.iter()
                .all(|l| l.matches.iter().all(|m| m.id != cashier))
        );

        // The conversion page counts the channel 返乡人员页.
        store.record_push_view(&me, cashier).await.unwrap();
        let conversion = store.push_conversion(&plan, &rsj, 2025, "").await.unwrap();
        let funnel = Funnel {
            pushed: 2,
            viewed: 1,
            applied: 0,
            hired: 0,
        };
        assert_eq!(conversion.by_channel, [(Channel::ReturneePage, funnel)]);
        assert_eq!(conversion.by_street, [("jinghe".to_owned(), funnel)]);

        // The same resident on the graduates' roster is not pushed the post again as a graduate.
        graduate_on_roster(store, 7, today).await;
        let graduate = first_graduate(store, &jinghe).await;
        let err = from_push_list(store, &jinghe, (graduate, cashier))
            .await
            .unwrap_err();
        assert!(err.to_string().ends_with("不重复推送"), "{err}");
    }
}
