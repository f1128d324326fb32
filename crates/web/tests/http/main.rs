//! HTTP tests against the real router on a real port, on SQLite and PostgreSQL.

#[path = "../common/mod.rs"]
mod common;

// The registries' HTTP tests, one module each: one test binary beside the browser's, so that
// the web crate and its dependencies are linked twice, not once a file.
mod businesses;
mod campus;
mod carriers;
mod contest;
mod exchange;
mod failure;
mod insurance;
mod jobs;
mod levels;
mod limits;
mod loans;
mod market_order;
mod matching;
mod mentoring;
mod metrics;
mod openapi;
mod people;
mod policy_list;
mod projects;
mod promotion;
mod pushes;
mod showcase;
mod skills;
mod steering;
mod student_visits;
mod subsidies;
mod talent_trips;
mod titles;
mod traineeships;
mod two_factor;
mod window;

use common::{App, hidden, spawn_apps};
use linkong_core::access::Role;
use linkong_testkit::TestClock;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

const STAFF_PASSWORD: &str = "Street#2025";

fn clock() -> TestClock {
    TestClock::at(2025, 10, 15, 2)
}

async fn street_client(app: &App, username: &str, unit: &str) -> reqwest::Client {
    app.user(username, Role::UnitStaff, Some(unit), STAFF_PASSWORD, false)
        .await;
    let client = app.client();
    let response = app.login(&client, username, STAFF_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    client
}

fn record_form(csrf: &str, indicator: &str, value: &str, date: &str) -> Form {
    Form::new()
        .text("csrf", csrf.to_owned())
        .text("indicator", indicator.to_owned())
        .text("value", value.to_owned())
        .text("occurred_on", date.to_owned())
        .text("description", "邀请优秀创业者进社区开展创业宣讲".to_owned())
}

async fn progress(app: &App, client: &reqwest::Client) -> Value {
    client
        .get(app.url("/api/v1/progress?year=2025"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn actual(progress: &Value, indicator: &str, unit: Option<&str>) -> Value {
    let entry = progress["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["indicator_code"] == indicator)
        .unwrap();
    match unit {
        None => entry["district"]["actual"].clone(),
        Some(unit) => entry["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["unit_code"] == unit)
            .unwrap()["figure"]["actual"]
            .clone(),
    }
}

#[tokio::test]
async fn a_wrong_password_gets_a_chinese_message_and_the_right_one_a_session() {
    for app in spawn_apps(&clock()).await {
        app.user(
            "jinghe1",
            Role::UnitStaff,
            Some("jinghe"),
            STAFF_PASSWORD,
            false,
        )
        .await;
        let client = app.client();
        let wrong = app.login(&client, "jinghe1", "nope").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert!(wrong.text().await.unwrap().contains("用户名或密码错误"));
        let right = app.login(&client, "jinghe1", STAFF_PASSWORD).await;
        assert_eq!(right.status(), StatusCode::SEE_OTHER);
        // Unit staff land on their own unit's quotas.
        assert_eq!(right.headers()["location"], "/units/jinghe");
        let page = client.get(app.url("/units/jinghe")).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page.text().await.unwrap().contains("径河街道"));
    }
}

#[tokio::test]
async fn pages_need_a_login() {
    for app in spawn_apps(&clock()).await {
        let response = app
            .client()
            .get(app.url("/dashboard"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()["location"], "/login");
    }
}

#[tokio::test]
async fn a_login_without_its_csrf_token_is_refused_and_audited() {
    for app in spawn_apps(&clock()).await {
        app.user(
            "jinghe2",
            Role::UnitStaff,
            Some("jinghe"),
            STAFF_PASSWORD,
            false,
        )
        .await;
        let client = app.client();
        let response = client
            .post(app.url("/login"))
            .form(&[("username", "jinghe2"), ("password", STAFF_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(response.text().await.unwrap().contains("安全令牌"));
        let audit = app.db.store.recent_audit(1).await.unwrap();
        assert_eq!(audit[0].action, "csrf.rejected");
    }
}

#[tokio::test]
async fn a_form_posted_from_another_origin_is_refused() {
    for app in spawn_apps(&clock()).await {
        let client = street_client(&app, "jinghe3", "jinghe").await;
        let csrf = app.csrf(&client).await;
        let response = client
            .post(app.url("/logout"))
            .header("Origin", "http://evil.example")
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            app.db.store.recent_audit(1).await.unwrap()[0].action,
            "origin.rejected"
        );
    }
}

#[tokio::test]
async fn a_form_without_the_session_csrf_token_is_refused() {
    for app in spawn_apps(&clock()).await {
        let client = street_client(&app, "jinghe4", "jinghe").await;
        let form = record_form("", "2.2.1.guidance", "10", "2025-10-01");
        let response = client
            .post(app.url("/units/jinghe/records"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(
            app.db
                .store
                .record_figures(
                    &app.db.store.plan().await.unwrap(),
                    linkong_testkit::date(2025, 1, 1),
                    linkong_testkit::date(2025, 12, 31)
                )
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    for app in spawn_apps(&clock()).await {
        let response = app.client().get(app.url("/login")).send().await.unwrap();
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        let cookie = response.headers()["set-cookie"].to_str().unwrap();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
    }
}

#[tokio::test]
async fn the_initial_password_must_be_changed_before_anything_else() {
    for app in spawn_apps(&clock()).await {
        app.user("newbie", Role::TaskForce, None, "Initial#2025", true)
            .await;
        let client = app.client();
        let login = app.login(&client, "newbie", "Initial#2025").await;
        assert_eq!(login.headers()["location"], "/account/password");
        let dashboard = client.get(app.url("/dashboard")).send().await.unwrap();
        assert_eq!(dashboard.headers()["location"], "/account/password");
        let page = client
            .get(app.url("/account/password"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = hidden(&page, "csrf");
        let weak = client
            .post(app.url("/account/password"))
            .form(&[
                ("current", "Initial#2025"),
                ("new", "password"),
                ("confirm", "password"),
                ("csrf", &csrf),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(weak.text().await.unwrap().contains("新密码"));
        let changed = client
            .post(app.url("/account/password"))
            .form(&[
                ("current", "Initial#2025"),
                ("new", "Changed#2025"),
                ("confirm", "Changed#2025"),
                ("csrf", &csrf),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(changed.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            client
                .get(app.url("/dashboard"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn a_street_records_progress_and_the_figures_follow() {
    for app in spawn_apps(&clock()).await {
        let client = street_client(&app, "jinghe5", "jinghe").await;
        let before = progress(&app, &client).await;
        assert_eq!(actual(&before, "2.2.1.guidance", None), 0);
        let csrf = app.csrf(&client).await;
        let pdf = Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec())
            .file_name("创业指导签到表.pdf")
            .mime_str("application/pdf")
            .unwrap();
        let form = record_form(&csrf, "2.2.1.guidance", "14", "2025-09-30").part("evidence", pdf);
        let response = client
            .post(app.url("/units/jinghe/records"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "{}",
            response.text().await.unwrap()
        );
        let after = progress(&app, &client).await;
        assert_eq!(actual(&after, "2.2.1.guidance", Some("jinghe")), 14);
        assert_eq!(actual(&after, "2.2.1.guidance", None), 14);
        let page = client
            .get(app.url("/units/jinghe?year=2025"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("14人次") && page.contains("40.0%"),
            "unit page shows 14 of 35"
        );
        let records = client
            .get(app.url("/records?unit=jinghe&indicator=2.2.1.guidance&year=2025"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(records.contains("创业指导签到表.pdf"));
    }
}

#[tokio::test]
async fn a_street_cannot_open_another_units_record_form_and_the_attempt_is_audited() {
    for app in spawn_apps(&clock()).await {
        let client = street_client(&app, "jinghe6", "jinghe").await;
        let response = client
            .get(app.url("/units/changqing/records/new"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("只能为本单位填报进度")
        );
        let audit = app.db.store.recent_audit(1).await.unwrap();
        assert_eq!(
            (audit[0].action.as_str(), audit[0].target.as_str()),
            ("access.denied", "unit:changqing")
        );
        let csrf = app.csrf(&client).await;
        let post = client
            .post(app.url("/units/changqing/records"))
            .multipart(record_form(&csrf, "2.2.1.guidance", "10", "2025-10-01"))
            .send()
            .await
            .unwrap();
        assert_eq!(post.status(), StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn the_review_queues_the_roster_import_and_the_api_refuse_outsiders_and_audit_it() {
    for app in spawn_apps(&clock()).await {
        let street = street_client(&app, "jinghe11", "jinghe").await;
        for (path, why, target) in [
            (
                "/review/posts",
                "只有审核员可以审核岗位",
                "job_posts:review",
            ),
            ("/review/complaints", "只有审核员可以处理举报", "complaints"),
        ] {
            let response = street.get(app.url(path)).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
            assert!(response.text().await.unwrap().contains(why), "{path}");
            let audit = app.db.store.recent_audit(1).await.unwrap();
            assert_eq!(
                (audit[0].action.as_str(), audit[0].target.as_str()),
                ("access.denied", target)
            );
        }
        let swj = street_client(&app, "swj11", "swj").await;
        let import = swj
            .get(app.url("/people/migrants/import"))
            .send()
            .await
            .unwrap();
        assert_eq!(import.status(), StatusCode::FORBIDDEN);
        let audit = app.db.store.recent_audit(1).await.unwrap();
        assert_eq!(
            (audit[0].action.as_str(), audit[0].target.as_str()),
            ("access.denied", "import:migrants")
        );

        let plan = app.db.store.plan().await.unwrap();
        let draft = linkong_store::employers::EmployerDraft {
            uscc: "91350100M000100Y43".into(),
            name: "武汉临空港智造科技有限公司".into(),
            industry_section: "C".into(),
            street_code: "jinghe".into(),
            contact_name: "王敏".into(),
            contact_phone: "13812345678".into(),
            account_username: "boss11".into(),
            account_password: "Employer#2025".into(),
        };
        app.db
            .store
            .register_employer(&plan, &draft, "")
            .await
            .unwrap();
        let employer = app.client();
        app.login(&employer, "boss11", "Employer#2025").await;
        let api = employer
            .get(app.url("/api/v1/progress?year=2025"))
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), StatusCode::FORBIDDEN);
        let body: Value = api.json().await.unwrap();
        assert!(body.to_string().contains("不能使用该接口"), "{body}");
        let audit = app.db.store.recent_audit(1).await.unwrap();
        assert_eq!(
            (audit[0].action.as_str(), audit[0].target.as_str()),
            ("access.denied", "/api/v1/progress")
        );
    }
}

#[tokio::test]
async fn bad_record_input_names_the_field_and_writes_nothing() {
    for app in spawn_apps(&clock()).await {
        let client = street_client(&app, "jinghe7", "jinghe").await;
        let csrf = app.csrf(&client).await;
        let cases = [
            ("2.2.1.guidance", "-3", "2025-10-01", "数值"),
            ("2.2.1.guidance", "很多", "2025-10-01", "数值"),
            // 径河's quota is 35 人次: 351 is more than ten times that.
            ("2.2.1.guidance", "351", "2025-10-01", "10 倍"),
            ("2.2.1.guidance", "5", "2025-10-16", "日期不能晚于今天"),
            ("2.2.1.guidance", "5", "2024-12-31", "方案期"),
            ("9.9.9.nothing", "5", "2025-10-01", "未知的指标"),
            // Positions are counted from published job posts, never typed in.
            ("1.1.1.positions", "5", "2025-10-01", "由岗位发布自动统计"),
        ];
        for (indicator, value, date, expected) in cases {
            let response = client
                .post(app.url("/units/jinghe/records"))
                .multipart(record_form(&csrf, indicator, value, date))
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{value} {date}"
            );
            let body = response.text().await.unwrap();
            assert!(
                body.contains(expected),
                "{value} {date}: expected {expected}"
            );
        }
        let text_file = Part::bytes(b"just text".to_vec()).file_name("a.png");
        let form =
            record_form(&csrf, "2.2.1.guidance", "5", "2025-10-01").part("evidence", text_file);
        let response = client
            .post(app.url("/units/jinghe/records"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("只接受图片"));
        let figures = app
            .db
            .store
            .record_figures(
                &app.db.store.plan().await.unwrap(),
                linkong_testkit::date(2025, 1, 1),
                linkong_testkit::date(2025, 12, 31),
            )
            .await
            .unwrap();
        assert!(figures.is_empty());
    }
}

#[tokio::test]
async fn the_plan_api_holds_all_29_tasks_and_every_quota_exactly() {
    for app in spawn_apps(&clock()).await {
        let plan: Value = app
            .client()
            .get(app.url("/api/v1/plan"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let tasks = plan["tasks"].as_array().unwrap();
        assert_eq!(tasks.len(), 29);
        let indicator = |code: &str| {
            tasks
                .iter()
                .flat_map(|t| t["indicators"].as_array().unwrap())
                .find(|i| i["code"] == code)
                .unwrap()
                .clone()
        };
        let positions = indicator("1.1.1.positions");
        let quota = |i: &Value, unit: &str| {
            i["quotas"]
                .as_array()
                .unwrap()
                .iter()
                .find(|q| q["unit"] == unit)
                .unwrap()["target"]
                .as_i64()
                .unwrap()
        };
        let sum = |i: &Value| {
            i["quotas"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| q["target"].as_i64().unwrap())
                .sum::<i64>()
        };
        assert_eq!(positions["target"], 30000);
        assert_eq!(sum(&positions), 30000);
        // Spot checks against the appendix, one per quota size.
        for (unit, expected) in [
            ("jinghe", 2100),
            ("cihui", 1800),
            ("baiquan", 1400),
            ("wujiashan", 1100),
            ("changqinghuayuan", 900),
            ("gaoxin", 2000),
        ] {
            assert_eq!(quota(&positions, unit), expected, "{unit}");
        }
        let guidance = indicator("2.2.1.guidance");
        assert_eq!(sum(&guidance), 500);
        for (unit, expected) in [
            ("changqing", 65),
            ("jiangjunlu", 50),
            ("cihui", 35),
            ("baiquan", 30),
            ("changqinghuayuan", 45),
            ("dongshan", 25),
        ] {
            assert_eq!(quota(&guidance, unit), expected, "{unit}");
        }
        assert_eq!(sum(&indicator("1.3.3.students")), 500);
        assert_eq!(indicator("2.4.2.guaranteed_loans")["target"], 10000);
    }
}

#[tokio::test]
async fn the_progress_api_takes_a_session_or_a_bearer_token() {
    for app in spawn_apps(&clock()).await {
        let anonymous = app
            .client()
            .get(app.url("/api/v1/progress?year=2025"))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        let body: Value = anonymous.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("请先登录"));
        app.user("platform", Role::TaskForce, None, "Platform#2025", false)
            .await;
        let token = app
            .db
            .store
            .create_token(
                "platform",
                "市级平台",
                linkong_core::access::TokenScopes::AGGREGATES,
            )
            .await
            .unwrap();
        let with_token = app
            .client()
            .get(app.url("/api/v1/progress?year=2025"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(with_token.status(), StatusCode::OK);
        let bad_year = app
            .client()
            .get(app.url("/api/v1/progress?year=2030"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(bad_year.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = bad_year.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("年份"));
    }
}

#[tokio::test]
async fn an_admin_creates_a_street_user_with_a_one_time_password() {
    for app in spawn_apps(&clock()).await {
        app.user("boss", Role::Admin, None, "Admin#2025x", false)
            .await;
        let client = app.client();
        app.login(&client, "boss", "Admin#2025x").await;
        let csrf = app.csrf(&client).await;
        let created = client
            .post(app.url("/admin/users"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "cihui1"),
                ("display_name", "慈惠填报员"),
                ("role", "unit_staff"),
                ("unit", "cihui"),
            ])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let start =
            created.find("初始密码：").expect("one-time password shown") + "初始密码：".len();
        let password: String = created[start..]
            .chars()
            .take_while(|c| !"（<".contains(*c))
            .collect();
        let street = app.client();
        assert_eq!(
            app.login(&street, "cihui1", &password).await.headers()["location"],
            "/account/password"
        );
        let missing_unit = client
            .post(app.url("/admin/users"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "nounit"),
                ("display_name", "某人"),
                ("role", "unit_staff"),
                ("unit", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(missing_unit.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing_unit.text().await.unwrap().contains("所属单位"));
        // A street user cannot reach the admin pages, and the attempt is audited.
        let street_staff = street_client(&app, "jinghe8", "jinghe").await;
        assert_eq!(
            street_staff
                .get(app.url("/admin/users"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.db
                .store
                .recent_audit(3)
                .await
                .unwrap()
                .iter()
                .filter(|r| r.action == "access.denied")
                .count(),
            1
        );
    }
}

#[tokio::test]
async fn malformed_requests_get_chinese_answers() {
    for app in spawn_apps(&clock()).await {
        let client = street_client(&app, "jinghe9", "jinghe").await;
        let bad_id = client
            .get(app.url("/records/abc/evidence"))
            .send()
            .await
            .unwrap();
        assert_eq!(bad_id.status(), StatusCode::BAD_REQUEST);
        assert!(bad_id.text().await.unwrap().contains("编号不是数字"));
        let unknown = client.get(app.url("/no/such/page")).send().await.unwrap();
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
        assert!(unknown.text().await.unwrap().contains("页面不存在"));
        let api = client
            .get(app.url("/api/v1/progress?year=x"))
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = api.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("年份"));
    }
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions() {
    for app in spawn_apps(&clock()).await {
        let laptop = street_client(&app, "jinghe10", "jinghe").await;
        let phone = app.client();
        app.login(&phone, "jinghe10", STAFF_PASSWORD).await;
        let csrf = app.csrf(&laptop).await;
        let changed = laptop
            .post(app.url("/account/password"))
            .form(&[
                ("current", STAFF_PASSWORD),
                ("new", "Another#2026"),
                ("confirm", "Another#2026"),
                ("csrf", &csrf),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(changed.status(), StatusCode::OK);
        assert!(changed.text().await.unwrap().contains("密码已修改"));
        assert_eq!(
            laptop
                .get(app.url("/dashboard"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::OK
        );
        let stale = phone.get(app.url("/dashboard")).send().await.unwrap();
        assert_eq!(stale.headers()["location"], "/login");
    }
}

#[tokio::test]
async fn report_periods_and_report_actions_are_checked() {
    for app in spawn_apps(&clock()).await {
        let client = street_client(&app, "jinghe11", "jinghe").await;
        let bad = client
            .get(app.url("/reports/2025Q5/jinghe"))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text().await.unwrap().contains("季度须为 1 至 4"));
        let api_bad = client
            .get(app.url("/api/v1/reports/quarterly/2025Q5"))
            .send()
            .await
            .unwrap();
        assert_eq!(api_bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let csrf = app.csrf(&client).await;
        let form = [
            ("csrf", csrf.as_str()),
            ("action", "submit"),
            ("progress", "第三季度工作进展"),
            ("practices", ""),
            ("problems", ""),
            ("next_steps", ""),
        ];
        let other = client
            .post(app.url("/reports/2025Q3/changqing"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), StatusCode::FORBIDDEN);
        let own = client
            .post(app.url("/reports/2025Q3/jinghe"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(own.status(), StatusCode::SEE_OTHER);
        let twice = client
            .post(app.url("/reports/2025Q3/jinghe"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(twice.status(), StatusCode::CONFLICT);
        assert!(twice.text().await.unwrap().contains("等待工作专班审核"));

        let deadlines: Value = client
            .get(app.url("/api/v1/reports/deadlines?year=2025"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let rows = deadlines.as_array().unwrap();
        assert_eq!(rows.len(), 5, "a street sees its own five reports");
        let q3 = rows.iter().find(|r| r["period"] == "2025Q3").unwrap();
        assert_eq!(q3["due"], "2025-10-11");
        assert_eq!(q3["timeliness"]["kind"], "late");
        // Submitted Wednesday 15 October; due Saturday 11th: the 13th, 14th and 15th are late.
        assert_eq!(q3["timeliness"]["working_days"], 3);
        let figures: Value = client
            .get(app.url("/api/v1/reports/quarterly/2025Q3"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let jinghe = figures["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["unit_code"] == "jinghe")
            .unwrap();
        let positions = jinghe["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["indicator_code"] == "1.1.1.positions")
            .unwrap();
        assert_eq!(
            positions["target"], 2100,
            "amounts in the measure, not hundredths"
        );
        assert_eq!(figures["calendar_estimated"], false);
        let q4 = rows.iter().find(|r| r["period"] == "2025Q4").unwrap();
        assert_eq!(
            (
                q4["due"].as_str().unwrap(),
                q4["timeliness"]["kind"].as_str().unwrap()
            ),
            ("2026-01-06", "not_due")
        );
    }
}

#[tokio::test]
async fn the_district_report_is_for_the_task_force_as_a_page_and_a_workbook() {
    for app in spawn_apps(&clock()).await {
        app.user("zhuanban", Role::TaskForce, None, "Zhuanban#2025", false)
            .await;
        let task_force = app.client();
        app.login(&task_force, "zhuanban", "Zhuanban#2025").await;
        let page = task_force
            .get(app.url("/reports/2025Q3/district"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(
            html.contains("全区合计") && html.contains("径河街道") && html.contains("本季度完成")
        );
        let workbook = task_force
            .get(app.url("/reports/2025Q3/district.xlsx"))
            .send()
            .await
            .unwrap();
        assert_eq!(workbook.status(), StatusCode::OK);
        assert!(
            workbook.headers()["content-type"]
                .to_str()
                .unwrap()
                .contains("spreadsheetml")
        );
        assert_eq!(
            &workbook.bytes().await.unwrap()[..2],
            b"PK",
            "an xlsx is a zip file"
        );
        let street = street_client(&app, "jinghe12", "jinghe").await;
        assert_eq!(
            street
                .get(app.url("/reports/2025Q3/district"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::FORBIDDEN
        );
    }
}

#[tokio::test]
async fn the_assessment_ranks_every_unit_shows_its_formula_and_exports() {
    use calamine::{Data, Reader, Xlsx};
    for app in spawn_apps(&clock()).await {
        let client = street_client(&app, "jinghe13", "jinghe").await;
        let csrf = app.csrf(&client).await;
        // 2.5.1's promotion events are counted from the events registry, not typed in.
        let staff =
            linkong_testkit::account(&app.db.store, "jinghe13e", Role::UnitStaff, Some("jinghe"))
                .await;
        let promotion = linkong_store::events::EventDraft {
            kind: "returnee_promotion".into(),
            title: "径河街道返区创业推介会".into(),
            organiser: "jinghe".into(),
            held_on: "2025-06-01".into(),
            place: "径河街道党群服务中心".into(),
            ..Default::default()
        };
        let plan = app.db.store.plan().await.unwrap();
        app.db
            .store
            .save_event(&staff, &plan, &promotion, "")
            .await
            .unwrap();
        // So is 2.5.2: 径河 recommends a returnee business's project to the selection round.
        recommend_a_project(&app, &plan, &staff).await;
        for (indicator, value) in [("2.2.1.guidance", "14")] {
            let response = client
                .post(app.url("/units/jinghe/records"))
                .multipart(record_form(&csrf, indicator, value, "2025-06-01"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::SEE_OTHER);
        }
        app.user("zhuanban", Role::TaskForce, None, "Zhuanban#2025", false)
            .await;
        let task_force = app.client();
        app.login(&task_force, "zhuanban", "Zhuanban#2025").await;
        let page = task_force
            .get(app.url("/assessment?year=2025"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("完成情况得分 = 80 × Σ(指标权重 × min(完成率, 100%))"),
            "the formula is shown"
        );
        // 径河: 80 × (14/35 = 40 % + 1/1 = 100 % + 1/1 = 100 %) / 6 quotas = 32.00; Q1–Q3
        // reports all overdue on 15 October: 0.
        let row = page.split("<tr>").find(|r| r.contains("径河街道")).unwrap();
        assert!(
            row.contains("32.00")
                && row.contains("应报 3，按时 0，逾期 0，未报 3")
                && row.contains("1　径河街道"),
            "{row}"
        );
        let ranked = page.matches("<tr><th scope=\"row\">").count();
        assert_eq!(ranked, 42, "every unit of the plan is listed");

        for path in [
            "/assessment.xlsx?year=2025",
            "/dashboard.xlsx?year=2025",
            "/records.xlsx?year=2025&unit=jinghe",
        ] {
            let bytes = task_force
                .get(app.url(path))
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec()))
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
            let text: Vec<String> = sheet
                .rows()
                .flat_map(|r| r.iter().map(Data::to_string))
                .collect();
            assert!(text.iter().any(|t| t.contains("径河街道")), "{path}");
            if path.starts_with("/assessment") {
                let jinghe = sheet
                    .rows()
                    .find(|r| r[1] == Data::String("径河街道".into()))
                    .unwrap();
                assert_eq!(jinghe[0], Data::Float(1.0));
                assert!(
                    matches!(jinghe[10], Data::Float(total) if (total - 80.0 * 2.4 / 6.0).abs() < 1e-9)
                );
            }
        }
    }
}

/// A returnee of 径河 in the registry, the business they founded, and its project recommended
/// by 径河 to the year's selection round (2.5.2).
async fn recommend_a_project(
    app: &App,
    plan: &linkong_core::plan::Plan,
    staff: &linkong_core::access::Actor,
) {
    use linkong_core::people::{MigrantDraft, PersonDraft, validate_migrant};
    use linkong_store::people::{ImportRow, RowData};
    let draft = MigrantDraft {
        person: PersonDraft {
            name: "返乡能人".into(),
            id_number: linkong_testkit::resident_id_for(7),
            street: "径河".into(),
            ..Default::default()
        },
        province: "广东".into(),
        city: "东莞".into(),
        section: "C".into(),
        years_away: "6".into(),
        intention: "返区创业".into(),
        business_field: "直播电商".into(),
        contact_consent: "是".into(),
        surveyed_on: "2025-02-01".into(),
        ..Default::default()
    };
    let row = ImportRow {
        row: 2,
        sealed: None,
        data: RowData::Migrant(
            validate_migrant(plan, &draft, linkong_testkit::date(2025, 6, 1)).unwrap(),
        ),
    };
    let store = &app.db.store;
    linkong_testkit::import_rows(
        store,
        "rsj",
        linkong_core::access::Roster::Migrants,
        vec![row],
        true,
    )
    .await
    .unwrap()
    .unwrap();
    let business = linkong_core::businesses::BusinessDraft {
        name: "径河直播电商工作室".into(),
        uscc: linkong_testkit::uscc_for(7),
        licensed_on: "2025-03-01".into(),
        legal_form: "small_micro".into(),
        section: "I".into(),
        forms: vec!["live_commerce".into()],
        street: "jinghe".into(),
        site: "径河街道".into(),
        founders: linkong_testkit::resident_id_for(7),
        keep_founders: false,
    };
    let business = store
        .save_business(plan, staff, None, &business, "")
        .await
        .expect("the business is registered");
    let entry = linkong_core::selection::EntryDraft {
        business: business.to_string(),
        title: "社区直播带货".into(),
        reason: "带动周边农户增收。".into(),
    };
    store
        .recommend_project(plan, staff, &entry, "")
        .await
        .expect("the project is recommended");
}

#[tokio::test]
async fn an_admin_enters_next_years_holidays_and_deadlines_follow() {
    for app in spawn_apps(&clock()).await {
        app.user("boss2", Role::Admin, None, "Admin#2025x", false)
            .await;
        let admin = app.client();
        app.login(&admin, "boss2", "Admin#2025x").await;
        let q4_2026_due = |client: reqwest::Client| {
            let url = app.url("/api/v1/reports/deadlines?year=2026");
            async move {
                let rows: Value = client.get(url).send().await.unwrap().json().await.unwrap();
                let row = rows
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["unit_code"] == "jinghe" && r["period"] == "2026Q4")
                    .unwrap()
                    .clone();
                (
                    row["due"].as_str().unwrap().to_owned(),
                    row["calendar_estimated"].as_bool().unwrap(),
                )
            }
        };
        assert_eq!(
            q4_2026_due(admin.clone()).await,
            ("2027-01-05".to_owned(), true)
        );
        let page = admin
            .get(app.url("/admin/calendar"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("以下年份尚未录入节假日安排：2027"));
        let csrf = hidden(&page, "csrf");

        let clash = admin
            .post(app.url("/admin/calendar"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("year", "2027"),
                ("source", "国办通知"),
                ("holidays", "元旦 2027-01-01 2027-01-03"),
                ("working_days", "2027-01-02"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(clash.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            clash
                .text()
                .await
                .unwrap()
                .contains("2027-01-02 既是节假日又是调休上班日")
        );
        assert_eq!(
            q4_2026_due(admin.clone()).await.0,
            "2027-01-05",
            "nothing was saved"
        );

        let saved = admin
            .post(app.url("/admin/calendar"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("year", "2027"),
                ("source", "国务院办公厅关于2027年部分节假日安排的通知"),
                ("holidays", "元旦 2027-01-01 2027-01-03"),
                ("working_days", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), StatusCode::OK);
        // 1/1–1/3 are now holidays: Monday 4, Tuesday 5 and Wednesday 6 January.
        assert_eq!(
            q4_2026_due(admin.clone()).await,
            ("2027-01-06".to_owned(), false)
        );
        assert_eq!(
            app.db.store.recent_audit(1).await.unwrap()[0].action,
            "calendar.update"
        );
        assert_eq!(app.db.store.calendar_years().await.unwrap().len(), 1);

        let street = street_client(&app, "jinghe14", "jinghe").await;
        let street_csrf = app.csrf(&street).await;
        let refused = street
            .post(app.url("/admin/calendar"))
            .form(&[("csrf", street_csrf.as_str()), ("year", "2027")])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            app.db.store.recent_audit(1).await.unwrap()[0].action,
            "access.denied"
        );
    }
}

#[tokio::test]
async fn a_calendar_edit_does_not_change_whether_a_submitted_report_was_on_time() {
    for app in spawn_apps(&clock()).await {
        let street = street_client(&app, "jinghe15", "jinghe").await;
        let csrf = app.csrf(&street).await;
        let form = [
            ("csrf", csrf.as_str()),
            ("action", "submit"),
            ("progress", "第三季度工作进展"),
            ("practices", ""),
            ("problems", ""),
            ("next_steps", ""),
        ];
        assert_eq!(
            street
                .post(app.url("/reports/2025Q3/jinghe"))
                .form(&form)
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::SEE_OTHER
        );

        // An admin re-enters 2025 with 9–10 October as holidays: the computed Q3 deadline moves to
        // Tuesday 14 October (the working Saturday 11th, 13th, 14th), but the submitted report
        // keeps the 11 October it was submitted against.
        app.user("boss3", Role::Admin, None, "Admin#2025x", false)
            .await;
        let admin = app.client();
        app.login(&admin, "boss3", "Admin#2025x").await;
        let admin_csrf = app.csrf(&admin).await;
        let holidays = "元旦 2025-01-01\n春节 2025-01-28 2025-02-04\n清明节 2025-04-04 2025-04-06\n劳动节 2025-05-01 2025-05-05\n端午节 2025-05-31 2025-06-02\n国庆节 2025-10-01 2025-10-10";
        let saved = admin
            .post(app.url("/admin/calendar"))
            .form(&[
                ("csrf", admin_csrf.as_str()),
                ("year", "2025"),
                ("source", "测试"),
                ("holidays", holidays),
                (
                    "working_days",
                    "2025-01-26 2025-02-08 2025-04-27 2025-09-28 2025-10-11",
                ),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), StatusCode::OK);
        let rows: Value = admin
            .get(app.url("/api/v1/reports/deadlines?year=2025"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let find = |unit: &str| {
            rows.as_array()
                .unwrap()
                .iter()
                .find(|r| r["unit_code"] == unit && r["period"] == "2025Q3")
                .unwrap()
                .clone()
        };
        let jinghe = find("jinghe");
        assert_eq!(
            (
                jinghe["due"].as_str().unwrap(),
                jinghe["timeliness"]["working_days"].as_i64().unwrap()
            ),
            ("2025-10-11", 3)
        );
        assert_eq!(
            find("changqing")["due"],
            "2025-10-14",
            "an unsubmitted report follows the new calendar"
        );
    }
}

#[tokio::test]
async fn an_employer_registers_is_verified_and_stays_out_of_the_staff_console() {
    for app in spawn_apps(&clock()).await {
        let visitor = app.client();
        let page = visitor
            .get(app.url("/employers/register"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = hidden(&page, "csrf");
        let form = |uscc: &'static str, username: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("uscc", uscc.to_owned()),
                ("name", "武汉临空港智造科技有限公司".to_owned()),
                ("industry_section", "C".to_owned()),
                ("street_code", "jinghe".to_owned()),
                ("contact_name", "王敏".to_owned()),
                ("contact_phone", "13812345678".to_owned()),
                ("username", username.to_owned()),
                ("password", "Employer#2025".to_owned()),
            ]
        };
        let bad = visitor
            .post(app.url("/employers/register"))
            .form(&form("91350100M000100Y44", "zhizao"))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.text()
                .await
                .unwrap()
                .contains("<strong>统一社会信用代码</strong>：统一社会信用代码校验位错误，应为“3”")
        );
        let page = visitor
            .get(app.url("/employers/register"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = hidden(&page, "csrf");
        let mut good = form("91350100M000100Y43", "zhizao");
        good[0].1 = csrf;
        let done = visitor
            .post(app.url("/employers/register"))
            .form(&good)
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), StatusCode::OK);
        assert!(done.text().await.unwrap().contains("已提交注册"));

        let employer = app.client();
        assert_eq!(
            app.login(&employer, "zhizao", "Employer#2025")
                .await
                .headers()["location"],
            "/employer"
        );
        let own = employer
            .get(app.url("/employer"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            own.contains("待审核") && own.contains("138****5678") && !own.contains("13812345678")
        );
        let console = employer.get(app.url("/dashboard")).send().await.unwrap();
        assert_eq!(
            console.status(),
            StatusCode::FORBIDDEN,
            "employers stay out of the staff console"
        );
        assert_eq!(
            employer
                .get(app.url("/api/v1/progress?year=2025"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::FORBIDDEN
        );

        app.user("shenhe", Role::Reviewer, None, "Reviewer#2025", false)
            .await;
        let reviewer = app.client();
        app.login(&reviewer, "shenhe", "Reviewer#2025").await;
        let list = reviewer
            .get(app.url("/review/employers"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(list.contains("武汉临空港智造科技有限公司") && list.contains("138****5678"));
        let reviewer_csrf = hidden(&list, "csrf");
        let id = app
            .db
            .store
            .user_by_name("zhizao")
            .await
            .unwrap()
            .unwrap()
            .employer_id
            .unwrap();
        let verified = reviewer
            .post(app.url(&format!("/review/employers/{id}")))
            .form(&[
                ("csrf", reviewer_csrf.as_str()),
                ("decision", "verify"),
                ("note", "营业执照核验一致"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(verified.status(), StatusCode::OK);
        assert!(
            employer
                .get(app.url("/employer"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
                .contains("已认证")
        );

        // 长青's staff do not see an employer of 径河.
        let changqing = street_client(&app, "changqing9", "changqing").await;
        assert!(
            !changqing
                .get(app.url("/review/employers"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
                .contains("智造科技")
        );
    }
}

#[tokio::test]
async fn the_site_root_is_the_public_home_with_coming_events_and_a_staff_sign_in_link() {
    for app in spawn_apps(&clock()).await {
        let plan = app.db.store.plan().await.unwrap();
        app.user(
            "jinghe9",
            Role::UnitStaff,
            Some("jinghe"),
            STAFF_PASSWORD,
            false,
        )
        .await;
        let staff = app
            .db
            .store
            .user_by_name("jinghe9")
            .await
            .unwrap()
            .unwrap()
            .actor();
        for (title, day) in [
            ("已办的社区招聘会", "2025-10-01"),
            ("径河送岗位进社区", "2025-11-20"),
        ] {
            let draft = linkong_store::events::EventDraft {
                kind: "community".into(),
                title: title.into(),
                organiser: "jinghe".into(),
                held_on: day.into(),
                place: "径河街道社区服务中心".into(),
                attendance: "0".into(),
                intentions: "0".into(),
                ..Default::default()
            };
            app.db
                .store
                .save_event(&staff, &plan, &draft, "")
                .await
                .unwrap();
        }
        let response = app.client().get(app.url("/")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "no login needed");
        let html = response.text().await.unwrap();
        assert!(html.contains("action=\"/jobs\""), "a job search box");
        for link in [
            "/events",
            "/projects",
            "/carriers",
            "/experts",
            "/stories",
            "/employers/register",
            "/login",
        ] {
            assert!(
                html.contains(&format!("href=\"{link}\"")),
                "links to {link}"
            );
        }
        assert!(
            html.contains("径河送岗位进社区"),
            "the coming event is listed"
        );
        assert!(!html.contains("已办的社区招聘会"), "a past event is not");
    }
}
