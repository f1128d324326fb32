//! The job platform over HTTP, on each backend: the public search and its bad inputs, the
//! review page publishing into the search, ownership of posts, applications to closed posts.

use crate::common;

use common::{App, hidden, spawn_apps};
use linkong_core::access::Role;
use linkong_core::fraud::FraudRules;
use linkong_core::jobs::PostDraft;
use linkong_store::employers::EmployerDraft;
use linkong_testkit::TestClock;
use serde_json::Value;

fn post(title: &str, description: &str) -> PostDraft {
    PostDraft {
        title: title.into(),
        description: description.into(),
        occupation_group: "2".into(),
        occupation: "软件工程技术人员".into(),
        industry_section: "I".into(),
        leading_industry: "cyber_security_big_data".into(),
        industry_code: "6513".into(),
        occupation_code: String::new(),
        level: String::new(),
        positions: "5".into(),
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

/// A verified employer with a login, and one of its posts submitted for review.
async fn submitted_post(app: &App, login: &str, uscc: &str, draft: &PostDraft) -> i64 {
    let store = &app.db.store;
    let plan = store.plan().await.unwrap();
    let employer = store
        .register_employer(
            &plan,
            &EmployerDraft {
                uscc: uscc.into(),
                name: format!("{login}科技有限公司"),
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
    let reviewer = store.user_by_name("shenhe").await.unwrap().unwrap().actor();
    store
        .review_employer(&reviewer, employer.id, true, "", "")
        .await
        .unwrap();
    let boss = store.user_by_name(login).await.unwrap().unwrap().actor();
    let rules = FraudRules::shipped();
    store
        .save_job_post(&boss, &plan, &rules, None, None, draft, true, "")
        .await
        .unwrap()
        .id
}

/// The reviewer publishes a post through the review page (which updates the search index).
async fn publish(app: &App, reviewer: &reqwest::Client, id: i64, note: &str) -> reqwest::Response {
    let csrf = app.csrf(reviewer).await;
    reviewer
        .post(app.url(&format!("/review/posts/{id}")))
        .header("Origin", &app.base)
        .form(&[
            ("csrf", csrf.as_str()),
            ("decision", "publish"),
            ("note", note),
        ])
        .send()
        .await
        .unwrap()
}

async fn json(client: &reqwest::Client, url: String) -> (u16, Value) {
    let response = client.get(url).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn a_published_post_is_found_by_a_two_character_word_and_bad_searches_get_clear_answers() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        app.user("shenhe", Role::Reviewer, None, "Review#2025x", false)
            .await;
        let id = submitted_post(
            &app,
            "qianduan",
            "91350100M000100Y43",
            &post(
                "前端开发工程师",
                "负责小程序和管理后台的前端开发，熟悉 Vue，与后端联调接口。",
            ),
        )
        .await;
        let anonymous = app.client();
        let (_, found) = json(&anonymous, app.url("/api/v1/jobs?q=前端")).await;
        assert_eq!(found["total"], 0, "not found before it is published");

        let reviewer = app.client();
        app.login(&reviewer, "shenhe", "Review#2025x").await;
        let review_page = reviewer
            .get(app.url("/review/posts"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(review_page.contains("前端开发工程师"));
        assert!(review_page.contains("低风险"));
        assert_eq!(publish(&app, &reviewer, id, "").await.status(), 200);

        let (status, found) = json(&anonymous, app.url("/api/v1/jobs?q=前端")).await;
        assert_eq!(status, 200);
        assert_eq!(found["total"], 1);
        assert_eq!(found["jobs"][0]["id"], id);
        assert_eq!(
            found["jobs"][0]["title_html"],
            "<mark>前端</mark>开发工程师"
        );
        assert_eq!(found["jobs"][0]["street"], "径河街道");
        // Inside a word, and with filters that hold or exclude it.
        let (_, found) = json(
            &anonymous,
            app.url("/api/v1/jobs?q=联调&street=jinghe&education=bachelor"),
        )
        .await;
        assert_eq!(found["total"], 1);
        let (_, found) = json(&anonymous, app.url("/api/v1/jobs?q=前端&street=changqing")).await;
        assert_eq!(found["total"], 0);
        let (_, found) = json(&anonymous, app.url("/api/v1/jobs?q=会计")).await;
        assert_eq!(found["total"], 0);
        let (status, detail) = json(&anonymous, app.url(&format!("/api/v1/jobs/{id}"))).await;
        assert_eq!(status, 200);
        assert_eq!(detail["contact_phone_masked"], "139****1111");
        // The list's card is made from the index, the detail from the database: they agree.
        let (_, listed) = json(&anonymous, app.url("/api/v1/jobs?q=前端")).await;
        for field in [
            "title",
            "employer",
            "salary",
            "salary_min",
            "salary_max",
            "street",
            "education",
            "experience",
            "positions",
            "leading_industry",
            "emerging",
            "published_on",
            "valid_until",
        ] {
            assert_eq!(listed["jobs"][0][field], detail[field], "{field}");
        }
        assert!(listed["jobs"][0].get("contact_phone_masked").is_none());

        let page = anonymous
            .get(app.url("/jobs?q=前端"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("<mark>前端</mark>开发工程师"),
            "highlighted on the page"
        );
        assert!(page.contains("共找到 <strong>1</strong> 个岗位"));

        // Bad input: a clear message naming what is wrong, never a 500.
        // 10,000 characters (ASCII, so that the address stays within what HTTP clients send).
        let long = "k".repeat(10_000);
        let cases = [
            (format!("/api/v1/jobs?q={long}"), "关键词过长"),
            ("/api/v1/jobs?page=-1".to_owned(), "页码"),
            ("/api/v1/jobs?page=abc".to_owned(), "页码应为整数"),
            ("/api/v1/jobs?sort=cheapest".to_owned(), "排序方式"),
            ("/api/v1/jobs?street=atlantis".to_owned(), "街道"),
            ("/api/v1/jobs?salary=-5".to_owned(), "月薪下限"),
        ];
        for (url, message) in cases {
            let (status, body) = json(&anonymous, app.url(&url)).await;
            let shown: String = url.chars().take(60).collect();
            assert_eq!(status, 422, "{shown}");
            assert!(
                body["error"].as_str().unwrap().contains(message),
                "{shown}: {body}"
            );
        }
        let page = anonymous
            .get(app.url("/jobs?page=-1"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 422);
        assert!(
            page.text()
                .await
                .unwrap()
                .contains("页码应为 1 至 500 之间的整数（收到 -1）")
        );
        for syntax in ["\"(*:^~", "前端 AND (", "*", "~~~"] {
            let (status, body) = json(
                &anonymous,
                app.url(&format!("/api/v1/jobs?q={}", urlencode(syntax))),
            )
            .await;
            assert_eq!(status, 200, "{syntax}: {body}");
        }
        for missing in ["/api/v1/jobs/abc", "/api/v1/jobs/99999", "/api/v1/jobs/-1"] {
            let (status, body) = json(&anonymous, app.url(missing)).await;
            assert_eq!(status, 404, "{missing}");
            assert!(body["error"].as_str().unwrap().contains("岗位"));
        }
    }
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn a_high_risk_post_is_not_published_without_the_reviewers_reason() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        app.user("shenhe", Role::Reviewer, None, "Review#2025x", false)
            .await;
        let id = submitted_post(
            &app,
            "rijie",
            "91350100M000100Y43",
            &post("日结兼职", "入职先交押金 300 元，日结过万，轻松上手。"),
        )
        .await;
        let reviewer = app.client();
        app.login(&reviewer, "shenhe", "Review#2025x").await;
        let page = reviewer
            .get(app.url("/review/posts"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("高风险"));
        assert!(page.contains("向求职者收取报名费、押金等费用"));
        assert!(page.contains("宣传远高于正常水平的收入"));
        let refused = publish(&app, &reviewer, id, "").await;
        assert_eq!(refused.status(), 422);
        assert!(
            refused
                .text()
                .await
                .unwrap()
                .contains("须写明复核意见才能发布")
        );
        let (_, found) = json(&app.client(), app.url("/api/v1/jobs?q=日结")).await;
        assert_eq!(found["total"], 0);
        assert_eq!(
            publish(
                &app,
                &reviewer,
                id,
                "电话核实：押金为误写，单位已书面承诺不收费"
            )
            .await
            .status(),
            200
        );
        let (_, found) = json(&app.client(), app.url("/api/v1/jobs?q=日结")).await;
        assert_eq!(found["total"], 1);
    }
}

#[tokio::test]
async fn an_employer_cannot_open_anothers_post_and_a_closed_post_takes_no_applications() {
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        app.user("shenhe", Role::Reviewer, None, "Review#2025x", false)
            .await;
        let id = submitted_post(
            &app,
            "qianduan",
            "91350100M000100Y43",
            &post(
                "前端开发工程师",
                "负责小程序和管理后台的前端开发，熟悉 Vue。",
            ),
        )
        .await;
        submitted_post(
            &app,
            "lenglian",
            "91420112MA4KXXXX0R",
            &post("冷链物流专员", "负责冷库出入库和冷链车辆调度。"),
        )
        .await;
        let reviewer = app.client();
        app.login(&reviewer, "shenhe", "Review#2025x").await;
        publish(&app, &reviewer, id, "").await;

        let rival = app.client();
        app.login(&rival, "lenglian", "Employer#2025").await;
        let response = rival
            .get(app.url(&format!("/employer/posts/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        let csrf = hidden(
            &rival
                .get(app.url("/employer"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
            "csrf",
        );
        let response = rival
            .post(app.url(&format!("/employer/posts/{id}/close")))
            .header("Origin", &app.base)
            .form(&[("csrf", csrf.as_str()), ("note", "恶意关闭")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        // Employers stay out of the staff console.
        assert_eq!(
            rival
                .get(app.url("/review/posts"))
                .send()
                .await
                .unwrap()
                .status(),
            403
        );

        // A graduate registers by phone; the owner closes the post; applying is refused.
        let graduate = app.client();
        let form = graduate
            .get(app.url("/me/register"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let response = graduate
            .post(app.url("/me/register"))
            .header("Origin", &app.base)
            .form(&[
                ("csrf", hidden(&form, "csrf").as_str()),
                ("phone", "13700001234"),
                ("name", "张伟"),
                ("password", "Graduate#2025"),
                ("next", "/me"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let owner = app.client();
        app.login(&owner, "qianduan", "Employer#2025").await;
        let csrf = hidden(
            &owner
                .get(app.url("/employer"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
            "csrf",
        );
        owner
            .post(app.url(&format!("/employer/posts/{id}/close")))
            .header("Origin", &app.base)
            .form(&[("csrf", csrf.as_str()), ("note", "已招满")])
            .send()
            .await
            .unwrap();
        let csrf = hidden(
            &graduate
                .get(app.url("/me"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
            "csrf",
        );
        let response = graduate
            .post(app.url(&format!("/jobs/{id}/apply")))
            .header("Origin", &app.base)
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 409);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("已关闭，不能再申请")
        );
        let (_, found) = json(&app.client(), app.url("/api/v1/jobs?q=前端")).await;
        assert_eq!(found["total"], 0, "a closed post leaves the search at once");
        // The graduate's own pages only.
        assert_eq!(
            graduate
                .get(app.url("/dashboard"))
                .send()
                .await
                .unwrap()
                .status(),
            403
        );
    }
}
