//! Pushes over HTTP, on each backend: "为你推荐" on an applicant's page from their profile; an
//! employer sees only applicants who consented, masked, and invites them; the invitation is a
//! portal message; bad input is refused naming the field; another street or employer is refused.
//! A street pushes posts to a returnee from their page and from its returnees' push list; they
//! find them on the portal.

use crate::common;

use common::{App, applicant, get, hidden, logged_in, post, post_from, sheet_cells, spawn_apps};
use linkong_core::access::Role;
use linkong_testkit::{
    TestClock, date, first_migrant_id, graduate_on_roster, import_migrant, job_seeking_returnee,
    publishing_employer,
};

/// POSTs `form` from the applicant's own page (its CSRF token): status, location, body.
async fn portal_post(
    client: &reqwest::Client,
    app: &App,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String, String) {
    post_from(client, app, "/me", path, form).await
}

#[tokio::test]
async fn an_employer_finds_only_consenting_applicants_masked_and_invites_them() {
    for app in spawn_apps(&TestClock::at(2025, 9, 1, 2)).await {
        app.db.clock.set(TestClock::at(2025, 9, 1, 2).now());
        let store = &app.db.store;
        let (_, _, _, cashier) = publishing_employer(store, 1, date(2025, 9, 1)).await;
        publishing_employer(store, 2, date(2025, 9, 1)).await;
        let seeker = applicant(&app, "13812345678", "张晓明").await;
        let (status, _, _) = portal_post(
            &seeker,
            &app,
            "/me/profile",
            &[
                ("name", "张晓明"),
                ("education", "bachelor"),
                ("major", "会计学"),
                ("skills", "Excel、出纳"),
                ("wanted_job", ""),
                ("wanted_street", "jinghe"),
                ("salary_expectation", "5000"),
            ],
        )
        .await;
        assert_eq!(status, 200);
        let (_, me) = get(&seeker, &app, "/me").await;
        assert!(me.contains("为你推荐"), "{me}");
        assert!(me.contains("专业匹配：会计学 ↔ 会计"), "{me}");
        assert!(me.contains("意向街道：径河街道"), "{me}");

        let boss = app.client();
        app.login(&boss, "boss1", "Employer#2025").await;
        let candidates = format!("/employer/posts/{cashier}/candidates");
        let (status, page) = get(&boss, &app, &candidates).await;
        assert_eq!(status, 200);
        assert!(page.contains("暂无同意被查看的求职者"), "{page}");
        assert!(!page.contains("张"), "not consented, not shown: {page}");

        // Consent: a wrong value is refused naming the field; then given.
        let (status, _, body) =
            portal_post(&seeker, &app, "/me/findable", &[("findable", "maybe")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("允许单位查看：无法识别“maybe”"), "{body}");
        let (status, location, _) =
            portal_post(&seeker, &app, "/me/findable", &[("findable", "yes")]).await;
        assert_eq!((status, location.as_str()), (303, "/me#consent-h"));
        let (_, page) = get(&boss, &app, &candidates).await;
        assert!(page.contains("张**"), "{page}");
        assert!(page.contains("138****5678"), "{page}");
        assert!(
            !page.contains("张晓明") && !page.contains("13812345678"),
            "masked: {page}"
        );
        assert!(page.contains("专业匹配：会计学 ↔ 会计"), "{page}");
        let applicant_id = hidden(&page, "applicant_id");

        // Another employer may not see this post's candidates.
        let rival = app.client();
        app.login(&rival, "boss2", "Employer#2025").await;
        assert_eq!(get(&rival, &app, &candidates).await.0, 403);

        // The invitation: a wrong candidate is refused naming the field; once; then a message.
        let invite = format!("/employer/posts/{cashier}/invite");
        let (status, _, body) =
            post_from(&boss, &app, "/employer", &invite, &[("applicant_id", "x")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("候选人：无法识别“x”"), "{body}");
        let (status, location, _) = post_from(
            &boss,
            &app,
            "/employer",
            &invite,
            &[("applicant_id", applicant_id.as_str())],
        )
        .await;
        assert_eq!((status, location), (303, format!("{candidates}?invited=1")));
        let (_, page) = get(&boss, &app, &format!("{candidates}?invited=1")).await;
        assert!(
            page.contains("已发送邀请") && page.contains("已邀请"),
            "{page}"
        );
        let (status, _, body) = post_from(
            &boss,
            &app,
            "/employer",
            &invite,
            &[("applicant_id", applicant_id.as_str())],
        )
        .await;
        assert_eq!(status, 422);
        assert!(body.contains("不重复邀请"), "{body}");
        let (_, me) = get(&seeker, &app, "/me").await;
        assert!(me.contains("邀请您投递“出纳（应届）”"), "{me}");
        assert!(me.contains("1 条未读"), "{me}");
        let message = me
            .split("href=\"/me/messages/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        let opened = seeker
            .get(app.url(&format!("/me/messages/{message}")))
            .send()
            .await
            .unwrap();
        assert_eq!(opened.status(), 303);
        assert_eq!(
            opened.headers()["location"].to_str().unwrap(),
            format!("/jobs/{cashier}")
        );
        let (_, me) = get(&seeker, &app, "/me").await;
        assert!(!me.contains("条未读"), "read now: {me}");
        // Someone else cannot open it.
        let other = applicant(&app, "13898765432", "李四").await;
        let response = other
            .get(app.url(&format!("/me/messages/{message}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);

        // Consent withdrawn: gone from the list.
        portal_post(&seeker, &app, "/me/findable", &[("findable", "no")]).await;
        let (_, page) = get(&boss, &app, &candidates).await;
        assert!(!page.contains("张**"), "{page}");
    }
}

#[tokio::test]
async fn push_lists_exports_and_the_conversion_page_keep_to_the_officers_street() {
    for app in spawn_apps(&TestClock::at(2025, 9, 1, 2)).await {
        app.db.clock.set(TestClock::at(2025, 9, 1, 2).now());
        let store = &app.db.store;
        graduate_on_roster(store, 1, date(2025, 9, 1)).await;
        publishing_employer(store, 1, date(2025, 9, 1)).await;
        let changqing = logged_in(&app, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;

        for path in [
            "/people/graduates/push?year=2025&street=jinghe",
            "/people/graduates/push.xlsx?year=2025&street=jinghe",
            "/people/pushes/list?year=2025&street=jinghe",
        ] {
            assert_eq!(get(&changqing, &app, path).await.0, 403, "{path}");
        }
        // Their own list has none of 径河's graduates.
        let (status, page) = get(&changqing, &app, "/people/graduates/push?year=2025").await;
        assert_eq!(status, 200);
        assert!(!page.contains("毕业生1"), "{page}");
        let (_, page) = get(&jinghe, &app, "/people/graduates/push?year=2025").await;
        assert!(page.contains("毕业生1"), "{page}");

        // The funnel: bad filters are refused naming the field.
        for (path, message) in [
            (
                "/people/pushes?channel=bogus",
                "推送渠道：“bogus”无法识别，可填：街道推送清单、1131服务页、返乡人员页、单位邀约",
            ),
            (
                "/people/pushes/list?stage=bogus",
                "推送阶段：“bogus”无法识别，可填：已推送、已查看、已投递、已录用",
            ),
            (
                "/people/pushes?year=1999",
                "年度：须为方案年度（收到“1999”）",
            ),
        ] {
            let (status, body) = get(&jinghe, &app, path).await;
            assert_eq!(status, 422, "{path}");
            assert!(body.contains(message), "{path}: {body}");
        }
        let (status, page) = get(&jinghe, &app, "/people/pushes?year=2025").await;
        assert_eq!(status, 200);
        assert!(page.contains("2025 年尚无岗位推送"), "{page}");
    }
}

/// A gig near 径河 posted by its station: shown to returnees, never pushed.
async fn gig_in_jinghe(app: &App, staff: &linkong_core::access::Actor) {
    let draft = linkong_core::gigs::GigDraft {
        title: "仓库临时分拣".into(),
        work_street: "jinghe".into(),
        pay_basis: "day".into(),
        rate: "180".into(),
        starts_on: "2025-08-30".into(),
        ends_on: "2025-09-10".into(),
        headcount: "6".into(),
        contact_name: "王师傅".into(),
        contact_phone: "13800138000".into(),
        note: "管午饭".into(),
    };
    let plan = app.db.store.plan().await.unwrap();
    app.db
        .store
        .create_gig(&plan, staff, &draft, "")
        .await
        .unwrap();
}

#[tokio::test]
async fn a_street_pushes_posts_to_a_returnee_from_their_page_and_its_push_list() {
    for app in spawn_apps(&TestClock::at(2025, 9, 1, 2)).await {
        app.db.clock.set(TestClock::at(2025, 9, 1, 2).now());
        let store = &app.db.store;
        let (_, _, _, cashier) = publishing_employer(store, 1, date(2025, 9, 1)).await;
        let (_, _, _, second) = publishing_employer(store, 2, date(2025, 9, 1)).await;
        import_migrant(store, job_seeking_returnee(7, "径河", true)).await;
        let jinghe = logged_in(&app, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let changqing = logged_in(&app, "changqing01", Role::UnitStaff, Some("changqing")).await;
        let taskforce = logged_in(&app, "zhuanban01", Role::TaskForce, None).await;
        let staff = store.user_by_name("jinghe01").await.unwrap().unwrap();
        gig_in_jinghe(&app, &staff.actor()).await;
        let id = first_migrant_id(store, &staff.actor()).await;
        let page_at = format!("/people/migrants/{id}");
        let push_at = format!("{page_at}/push");

        // The page: a checkbox for each post, none for the gig.
        let (status, page) = get(&jinghe, &app, &page_at).await;
        assert_eq!(status, 200);
        assert!(page.contains(&format!("action=\"{push_at}\"")), "{page}");
        assert!(
            page.contains(&format!("name=\"post\" value=\"{cashier}\"")),
            "{page}"
        );
        assert!(
            page.contains("<td></td><td>零工</td><td>仓库临时分拣"),
            "{page}"
        );
        assert!(page.contains("本人将收到门户消息和短信"), "{page}");
        // The task force reads the page but may not push; another street reads nothing.
        let (status, page) = get(&taskforce, &app, &page_at).await;
        assert_eq!(status, 200);
        assert!(
            !page.contains(&push_at) && !page.contains("推送所选岗位"),
            "{page}"
        );
        let cashier_id = cashier.to_string();
        let ticked = [("post", cashier_id.as_str())];
        assert_eq!(post(&taskforce, &app, &push_at, &ticked).await.0, 403);
        assert_eq!(get(&changqing, &app, &page_at).await.0, 403);
        assert_eq!(post(&changqing, &app, &push_at, &ticked).await.0, 403);

        // Bad input is refused naming the field; the ticked post is pushed, once.
        let (status, _, body) = post(&jinghe, &app, &push_at, &[("post", "x")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("推送岗位：无法识别“x”"), "{body}");
        let none: [(&str, &str); 0] = [];
        let (status, _, body) = post(&jinghe, &app, &push_at, &none).await;
        assert_eq!(status, 422);
        assert!(body.contains("推送岗位：请至少选择一个岗位"), "{body}");
        let (status, location, _) = post(&jinghe, &app, &push_at, &ticked).await;
        assert_eq!(
            (status, location.as_str()),
            (303, format!("{page_at}?pushed=1#pushes-h").as_str())
        );
        let (_, page) = get(&jinghe, &app, &location).await;
        assert!(page.contains("已推送 1 个岗位"), "{page}");
        assert!(page.contains("返乡人员页 · jinghe01"), "{page}");
        assert!(page.contains("data-stage=\"pushed\""), "{page}");
        assert!(
            !page.contains(&format!("name=\"post\" value=\"{cashier}\"")),
            "suggested no more: {page}"
        );
        let (status, _, body) = post(&jinghe, &app, &push_at, &ticked).await;
        assert_eq!(status, 422);
        assert!(body.contains("不重复推送"), "{body}");

        // The push list of 径河 has the returnee, with the other post to tick; not 长青's.
        let (status, page) = get(&jinghe, &app, "/people/migrants/push").await;
        assert_eq!(status, 200);
        assert!(page.contains("返区求职7"), "{page}");
        let value = format!("{id}:{second}");
        assert!(page.contains(&format!("value=\"{value}\"")), "{page}");
        assert!(
            !page.contains(&format!("value=\"{id}:{cashier}\"")),
            "{page}"
        );
        for path in [
            "/people/migrants/push?street=jinghe",
            "/people/migrants/push.xlsx?street=jinghe",
        ] {
            assert_eq!(get(&changqing, &app, path).await.0, 403, "{path}");
        }
        let (_, page) = get(&changqing, &app, "/people/migrants/push").await;
        assert!(!page.contains("返区求职7"), "{page}");
        let response = jinghe
            .get(app.url("/people/migrants/push.xlsx?street=jinghe"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let cells = sheet_cells(&response.bytes().await.unwrap(), "|");
        assert!(cells.contains("返区求职7"), "{cells}");
        assert!(
            cells.contains(&format!("#{second} 出纳（应届）")),
            "{cells}"
        );
        assert!(cells.contains("零工|仓库临时分拣"), "{cells}");
        let list = [("street", "jinghe"), ("n", "3"), ("push", value.as_str())];
        let (status, back, _) = post(&jinghe, &app, "/people/migrants/push", &list).await;
        assert_eq!(status, 303);
        let (_, page) = get(&jinghe, &app, &back).await;
        assert!(page.contains("已推送 1 个岗位"), "{page}");

        // Both pushes show on the conversion page and its trail, linked to the returnee.
        let (_, page) = get(&jinghe, &app, "/people/pushes?year=2025").await;
        assert!(
            page.contains("返乡人员页") && page.contains("街道推送清单"),
            "{page}"
        );
        let (_, page) = get(&jinghe, &app, "/people/pushes/list?year=2025").await;
        assert!(page.contains(&format!("href=\"{page_at}\"")), "{page}");

        // The returnee signs up with the registry's phone and finds both on the portal.
        let me = applicant(&app, "13650000007", "返区求职7").await;
        let (_, page) = get(&me, &app, "/me").await;
        assert!(page.contains("为您推荐岗位：出纳（应届）"), "{page}");
        assert!(page.contains("2 条未读"), "{page}");
    }
}
