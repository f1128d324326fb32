//! The JSON API describes itself (issue 12, item 5): the OpenAPI document at
//! `/api/openapi.json` names every `/api/` route of the sources, and every answer of every GET
//! endpoint — success and error alike — matches the schema the document gives for its status,
//! on a database with records, reports, posts and residents in it; on each backend.
//!
//! The check is strict where a plain JSON Schema check is lenient: every object the document
//! describes is closed (`unevaluatedProperties: false`), so a field the API sends but the
//! document does not name fails too. `a_wrong_schema_fails_the_check` proves it can fail.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use common::App;
use linkong_core::access::{Role, TokenScope, TokenScopes};
use linkong_core::calendar::WorkCalendar;
use linkong_core::fraud::FraudRules;
use linkong_core::record::RecordDraft;
use linkong_core::reporting::Narrative;
use linkong_core::reporting::{ReportPeriod, Review, Save};
use linkong_store::Store;
use linkong_testkit::{TestClock, account, databases, resident_id_for};
use linkong_web::AppState;
use serde_json::Value;

const PASSWORD: &str = "Openapi#2025x";

/// The document as the application serves it.
async fn document(app: &App) -> Value {
    let response = reqwest::get(app.url("/api/openapi.json")).await.unwrap();
    assert_eq!(response.status(), 200, "the document is public");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    response.json().await.unwrap()
}

/// Every `"/api/…"` string in this crate's sources (the prefix `"/api/"` itself aside).
fn api_paths_in_sources() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.lines().filter(|l| !l.trim_start().starts_with("//"));
                for line in code {
                    for piece in line.split("\"/api/").skip(1) {
                        let rest = &piece[..piece.find('"').unwrap_or(0)];
                        if !rest.is_empty() {
                            found.insert(format!("/api/{rest}"));
                        }
                    }
                }
            }
        }
    }
    found
}

/// The Rust sources (`.rs`) under `dir`, read.
fn sources_under(dir: &str) -> Vec<(std::path::PathBuf, String)> {
    let mut found = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(dir)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                found.push((path, text));
            }
        }
    }
    found
}

/// utoipa names a schema by its type's name alone, so two types of one name in different
/// modules would share one schema in the document and one of them be checked against the
/// other's: every type deriving `ToSchema` in web, store and core has a name of its own.
#[test]
fn no_two_schema_types_share_a_name() {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    for krate in ["web", "store", "core"] {
        for (path, text) in sources_under(&format!("{root}/{krate}/src")) {
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                if !line.contains("ToSchema") || line.trim_start().starts_with("use ") {
                    continue;
                }
                let declared = lines[i + 1..].iter().take(4).find_map(|l| {
                    let words: Vec<&str> = l.split_whitespace().collect();
                    let at = words.iter().position(|w| *w == "struct" || *w == "enum")?;
                    let name = words.get(at + 1)?;
                    Some(
                        name.trim_end_matches(['{', '(', ';'])
                            .split('<')
                            .next()?
                            .to_owned(),
                    )
                });
                let Some(name) = declared else { continue };
                let here = path.display().to_string();
                if let Some(there) = seen.insert(name.clone(), here.clone()) {
                    assert_eq!(there, here, "two schema types are named {name}");
                }
            }
        }
    }
    assert!(seen.contains_key("ApiHrActions") && seen.contains_key("ApiMarketNotices"));
}

#[tokio::test]
async fn the_document_is_openapi_3_1_with_the_platforms_title_and_version() {
    for app in spawn(&TestClock::at(2025, 10, 15, 2)).await {
        let doc = document(&app.app).await;
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["info"]["title"], "临空港就业创业服务平台 API");
        assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
        assert!(
            doc.get("servers").is_none(),
            "no absolute server: clients use the address they reached"
        );
        // An empty figure is written as null, never left out: the document requires it.
        let figure = &doc["components"]["schemas"]["Figure"];
        assert!(figure["properties"]["actual"]["oneOf"][1]["type"] == "null");
        assert!(
            figure["required"]
                .as_array()
                .unwrap()
                .contains(&"actual".into())
        );
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(schemes["bearer"]["scheme"], "bearer");
        assert_eq!(schemes["session"]["name"], "lk_session");
    }
}

#[tokio::test]
async fn every_api_route_in_the_sources_is_in_the_document() {
    let in_sources = api_paths_in_sources();
    // The scan itself must see the routes, or this test could not fail.
    for known in ["/api/v1/plan", "/api/v1/jobs/{id}", "/api/openapi.json"] {
        assert!(in_sources.contains(known), "the scan finds {known}");
    }
    for app in spawn(&TestClock::at(2025, 10, 15, 2)).await {
        let doc = document(&app.app).await;
        let documented: BTreeSet<String> =
            doc["paths"].as_object().unwrap().keys().cloned().collect();
        let missing: Vec<_> = in_sources.difference(&documented).collect();
        assert!(
            missing.is_empty(),
            "routes in the sources but not in /api/openapi.json (register them with \
             routes! and a #[utoipa::path]): {missing:?}"
        );
        let stray: Vec<_> = documented.difference(&in_sources).collect();
        assert!(
            stray.is_empty(),
            "documented but not in the sources: {stray:?}"
        );
    }
}

/// A running application with data behind every endpoint, and tokens to ask with.
struct Seeded {
    app: App,
    /// 工作专班: reads all units, gets the consolidated report.
    task_force: String,
    /// 径河街道 staff: its own residents only, no consolidated report.
    street: String,
    /// 区人社局 staff: the units of the out-migrant roster read all of it.
    rsj: String,
    /// 区商务局 staff: outside the out-migrant roster's tasks.
    outsider: String,
    /// 工作专班 with a token of scope `aggregates`: refused every registry's rows.
    aggregates: String,
    /// An employer's account: refused the staff's API.
    employer: String,
    job_id: i64,
    /// A promotion event of 区人社局 to which every resident of the roster is invited.
    promotion_id: i64,
    /// 区经科局's 2025 edition of the start-up contest, with one entry.
    edition_id: i64,
}

/// Starts the application on each backend and fills it: records (one with a decimal amount),
/// Q3 reports submitted on time, late and accepted, published job posts in the search, and an
/// out-migrant roster.
async fn spawn(clock: &TestClock) -> Vec<Seeded> {
    let mut out = Vec::new();
    for db in databases(clock).await {
        let plan = db.store.plan().await.expect("plan");
        let calendar =
            WorkCalendar::parse(linkong_testkit::CALENDAR_FILE).expect("the test calendar");
        let state = AppState::new(db.store.clone(), plan.clone(), calendar.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let sync = state.search_sync.clone();
        tokio::spawn(async move {
            let _ = linkong_web::serve_on(state, listener).await;
        });
        let app = App { base, db };
        fill(&app.db.store, &plan, &calendar, clock).await;
        sync.sync().await.expect("the search follows the posts");
        let found: Value = reqwest::get(app.url("/api/v1/jobs?sort=newest"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let job_id = found["jobs"][0]["id"]
            .as_i64()
            .expect("an open post is found");
        upload_roster(&app).await;
        seed_returnees(&app.db.store, &plan).await;
        fill_support(&app.db.store, &plan).await;
        seed_visits_and_trips(&app.db.store, &plan).await;
        seed_steering(&app.db.store, &plan, &calendar).await;
        seed_traineeship_base(&app.db.store, &plan).await;
        seed_gig(&app.db.store, &plan).await;
        let scoped = |username: &'static str, role, unit, scopes| {
            let store = app.db.store.clone();
            async move {
                account(&store, username, role, unit).await;
                store
                    .create_token(username, "接口测试", scopes)
                    .await
                    .unwrap()
            }
        };
        let rows = TokenScopes::of(&[TokenScope::Registries]);
        let token = |username: &'static str, role, unit| scoped(username, role, unit, rows);
        let task_force = token("zhuanban", Role::TaskForce, None).await;
        let street = token("jinghe_api", Role::UnitStaff, Some("jinghe")).await;
        let rsj = token("rsj_api", Role::UnitStaff, Some("rsj")).await;
        let outsider = token("swj_api", Role::UnitStaff, Some("swj")).await;
        let aggregates = scoped(
            "zhuanban_sum",
            Role::TaskForce,
            None,
            TokenScopes::AGGREGATES,
        )
        .await;
        let boss = linkong_store::employers::EmployerDraft {
            uscc: linkong_testkit::uscc_for(77),
            name: "武汉临空港接口测试有限公司".into(),
            industry_section: "C".into(),
            street_code: "jinghe".into(),
            contact_name: "王敏".into(),
            contact_phone: "13812345678".into(),
            account_username: "boss_api".into(),
            account_password: "Employer#2025".into(),
        };
        app.db
            .store
            .register_employer(&plan, &boss, "")
            .await
            .unwrap();
        let employer = app
            .db
            .store
            .create_token("boss_api", "接口测试", rows)
            .await
            .unwrap();
        let promotion_id = promotion(&app.db.store, &plan).await;
        let edition_id = contest(&app.db.store, &plan).await;
        out.push(Seeded {
            app,
            task_force,
            street,
            rsj,
            outsider,
            aggregates,
            employer,
            job_id,
            promotion_id,
            edition_id,
        });
    }
    out
}

fn narrative() -> Narrative {
    Narrative {
        progress: "本季度开展创业指导 14 人次，新增发放创业担保贷款 1234.56 万元。".into(),
        practices: "组织创业导师进社区。".into(),
        problems: "部分社区覆盖不足。".into(),
        next_steps: "下季度扩大到全部社区。".into(),
    }
}

/// Records, reports and job posts, through the store.
async fn fill(
    store: &Store,
    plan: &linkong_core::plan::Plan,
    calendar: &WorkCalendar,
    clock: &TestClock,
) {
    let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
    let rsj = account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
    let review = account(store, "zhuanban01", Role::TaskForce, None).await;
    for (actor, unit, indicator, value) in [(&jinghe, "jinghe", "2.2.1.guidance", "14")] {
        let draft = RecordDraft {
            indicator_code: indicator.into(),
            unit_code: unit.into(),
            value: value.into(),
            occurred_on: "2025-09-20".into(),
            description: "接口测试记录".into(),
        };
        store
            .add_record(actor, plan, &draft, None, None, "")
            .await
            .expect("record saved");
    }
    // Q3 2025 is due on Saturday 11 October: jinghe submits on the 9th, rsj on the 15th.
    let q3 = ReportPeriod::parse("2025Q3", plan).unwrap();
    let now = clock.now();
    clock.set(now - chrono::Duration::days(6));
    store
        .save_report(
            &jinghe,
            plan,
            calendar,
            "jinghe",
            q3,
            &narrative(),
            Save::Submit,
            "",
        )
        .await
        .expect("jinghe submits on time");
    clock.set(now);
    store
        .save_report(
            &rsj,
            plan,
            calendar,
            "rsj",
            q3,
            &narrative(),
            Save::Submit,
            "",
        )
        .await
        .expect("rsj submits late");
    store
        .review_report(&review, "jinghe", q3, Review::Accept, "", "")
        .await
        .expect("the task force accepts");
    let admin = account(store, "admin01", Role::Admin, None).await;
    let reviewer = account(store, "shenhe01", Role::Reviewer, None).await;
    linkong_demo::load_jobs(
        store,
        plan,
        &FraudRules::shipped(),
        &admin,
        &reviewer,
        7,
        30,
        0,
        "",
        None,
    )
    .await
    .expect("demo posts load");
}

/// A published entry of the policy list, linked to its rule, and a draft.
async fn seed_policy(store: &Store, plan: &linkong_core::plan::Plan) {
    let kfzx = account(store, "kfzx01", Role::UnitStaff, Some("kfzx")).await;
    let rules = linkong_core::rules::RuleBook::parse(linkong_core::rules::DONGXIHU).unwrap();
    let draft = linkong_core::policy_list::PolicyEntryDraft {
        title: "社会保险补贴".into(),
        document_number: String::new(),
        issuer: "武汉市东西湖区人力资源和社会保障局".into(),
        effective_from: "2025-01-01".into(),
        effective_to: String::new(),
        audiences: vec!["employer".into(), "graduate".into()],
        benefit: "按实际缴纳的社会保险费给予补贴（标准待核实）。".into(),
        conditions: "招用离校 2 年内未就业高校毕业生并缴纳社会保险。".into(),
        documents: "劳动合同\n社会保险缴费明细".into(),
        handling_unit: "rsj".into(),
        rule_id: "hiring_subsidy".into(),
    };
    let id = store
        .create_policy_entry((plan, &rules), &kfzx, &draft, "")
        .await
        .expect("the policy is saved");
    store
        .publish_policy_entry(&kfzx, id, "")
        .await
        .expect("the policy is published");
}

/// A failure-support case opened by hand for resident 1 (径河), with a step done, so that the
/// API's answer holds a case with its steps.
async fn seed_failure_case(
    store: &Store,
    plan: &linkong_core::plan::Plan,
    jinghe: &linkong_core::access::Actor,
) {
    let draft = linkong_core::failure::CaseDraft {
        id_number: resident_id_for(1),
        business_name: "径河夜市小吃摊".into(),
        business_closed_on: "2024-06-30".into(),
        reason: "夜市搬迁".into(),
        opened_on: "2025-09-01".into(),
        wants_restart: true,
    };
    let case = store
        .open_failure_case(plan, jinghe, &draft, "")
        .await
        .expect("the case is opened");
    let step = linkong_core::failure::StepDraft {
        kind: "startup_guidance".into(),
        unit: "rsj".into(),
        planned_on: "2025-09-10".into(),
        done_on: "2025-09-12".into(),
        note: "创业导师一对一指导".into(),
    };
    store
        .add_failure_step(plan, jinghe, case, &step, "")
        .await
        .expect("the step is added");
}

/// A guaranteed loan of 1,234,500 元 to the business of 径河 (uscc 1), handled by 区人社局, so that
/// 2.4.2's figure is 123.45 万元 and the ledger's API answers with a loan.
async fn seed_loan(
    store: &Store,
    plan: &linkong_core::plan::Plan,
    rsj: &linkong_core::access::Actor,
) {
    let draft = linkong_core::loans::LoanDraft {
        borrower_kind: "business".into(),
        uscc: linkong_testkit::uscc_for(1),
        bank: "汉口银行东西湖支行".into(),
        principal: "1234500".into(),
        term_months: "24".into(),
        rate: "3.85".into(),
        issued_on: "2025-09-20".into(),
        ..Default::default()
    };
    let book = linkong_core::rules::RuleBook::parse(linkong_core::rules::DONGXIHU).unwrap();
    store
        .record_loan(plan, &book, rsj, "rsj", &draft, "")
        .await
        .expect("the loan is recorded");
}

/// A returnee business in 径河 founded by resident 1 of the roster, and a project of the
/// library collected by 区商务局, screened in and published by 区人社局.
async fn seed_returnees(store: &Store, plan: &linkong_core::plan::Plan) {
    let jinghe = store
        .user_by_name("jinghe01")
        .await
        .unwrap()
        .unwrap()
        .actor();
    let rsj = store.user_by_name("rsj01").await.unwrap().unwrap().actor();
    let business = linkong_core::businesses::BusinessDraft {
        name: "径河乡村民宿".into(),
        uscc: linkong_testkit::uscc_for(1),
        licensed_on: "2025-04-01".into(),
        legal_form: "individual_business".into(),
        section: "H".into(),
        forms: vec!["homestay".into()],
        street: "jinghe".into(),
        site: "径河街道三店村".into(),
        founders: resident_id_for(1),
        keep_founders: false,
    };
    let business = store
        .save_business(plan, &jinghe, None, &business, "")
        .await
        .expect("the business is registered");
    publish_story(store, plan, &jinghe, business).await;
    seed_carrier(store, plan, &jinghe, business).await;
    seed_mentoring(store, plan, &jinghe, business).await;
    seed_failure_case(store, plan, &jinghe).await;
    seed_loan(store, plan, &rsj).await;
    seed_policy(store, plan).await;
    let swj = account(store, "swj01", Role::UnitStaff, Some("swj")).await;
    let project = linkong_core::projects::ProjectDraft {
        name: "社区生鲜团购".into(),
        section: "F".into(),
        investment_min: "5".into(),
        investment_max: "12.5".into(),
        expected_jobs: "4".into(),
        outlook: "社区团购需求增长。".into(),
        site_needs: "临街门面".into(),
        policies: "一次性创业补贴".into(),
        source_unit: "swj".into(),
        agricultural: false,
    };
    let id = store
        .save_project(plan, &swj, None, &project, "")
        .await
        .expect("the project is collected");
    for step in [
        linkong_core::projects::ProjectStep::ScreenIn,
        linkong_core::projects::ProjectStep::Publish,
    ] {
        store
            .move_project(plan, &rsj, id, &step, "")
            .await
            .expect("screened in and published");
    }
}

/// A mentoring of the business opened by 径河 with an instructor, the fund joining, ended.
async fn seed_mentoring(
    store: &Store,
    plan: &linkong_core::plan::Plan,
    jinghe: &linkong_core::access::Actor,
    business: i64,
) {
    let draft = linkong_core::mentoring::MentoringDraft {
        business: business.to_string(),
        chosen_for: "street_referral".into(),
        started_on: "2025-05-01".into(),
        instructor_name: "周指导".into(),
        instructor_organisation: "径河街道创业服务站".into(),
        fund_joins: true,
        ..Default::default()
    };
    let id = store
        .open_mentoring(plan, jinghe, &draft, "")
        .await
        .expect("the mentoring is opened");
    let end = linkong_core::mentoring::EndDraft {
        outcome: "achieved".into(),
        ended_on: "2025-10-01".into(),
        note: String::new(),
    };
    store
        .end_mentoring(plan, jinghe, id, &end, "")
        .await
        .expect("the mentoring is ended");
}

/// A showcase case of the business's founder, with a photo and consent, recommended by 径河
/// and published on the portal by 区委宣传部.
async fn publish_story(
    store: &Store,
    plan: &linkong_core::plan::Plan,
    jinghe: &linkong_core::access::Actor,
    business: i64,
) {
    let founder = store
        .business(plan, jinghe, business, "")
        .await
        .unwrap()
        .business
        .founders[0]
        .person_id;
    let case = linkong_core::showcase::CaseDraft {
        business: business.to_string(),
        founder: founder.to_string(),
        title: "回到径河开民宿".into(),
        story: "在深圳做了三年电工后回乡，把老屋改成民宿。".into(),
        consent_by: "居民1".into(),
        consent_on: "2025-09-01".into(),
        consent_scopes: vec!["portal".into()],
    };
    let photo = linkong_store::evidence::EvidenceUpload {
        file_name: "民宿.png".into(),
        bytes: linkong_demo::photo_png(1),
    };
    let id = store
        .recommend_case(plan, jinghe, &case, vec![photo], "")
        .await
        .expect("the case is recommended");
    let xcb = account(store, "xcb01", Role::UnitStaff, Some("xcb")).await;
    store
        .publish_showcase_case(plan, &xcb, id, true, "")
        .await
        .expect("the case is published");
}

/// A carrier of 径河 with the business in it and an application for recognition.
async fn seed_carrier(
    store: &Store,
    plan: &linkong_core::plan::Plan,
    jinghe: &linkong_core::access::Actor,
    business: i64,
) {
    let carrier = linkong_core::carriers::CarrierDraft {
        kind: "maker_space".into(),
        name: "径河众创空间".into(),
        operator: "径河街道创业服务中心".into(),
        address: "径河街道三店村".into(),
        street: "jinghe".into(),
        area: "800.5".into(),
        places: "12".into(),
        rent: "15.5".into(),
        rent_note: "首年免租".into(),
        services: "创业指导".into(),
        level: "district".into(),
        contact: "服务中心".into(),
        phone: "027-83001234".into(),
    };
    let id = store
        .save_carrier(plan, jinghe, None, &carrier, "")
        .await
        .expect("the carrier is registered");
    store
        .move_in(plan, jinghe, id, (&business.to_string(), "2025-05-01"), "")
        .await
        .expect("the business moves in");
    store
        .apply_for_recognition(plan, jinghe, id, ("incubation_base", "2025-06-01"), "")
        .await
        .expect("the carrier is recommended");
}

/// Uploads a small out-migrant roster as 区人社局 staff do, and waits for the import.
/// A coastal promotion event of 区人社局 with the roster's three residents invited.
async fn promotion(store: &Store, plan: &linkong_core::plan::Plan) -> i64 {
    let rsj = account(store, "rsj_promotion", Role::UnitStaff, Some("rsj")).await;
    let draft = linkong_store::events::EventDraft {
        kind: "industry_matchmaking".into(),
        title: "赴深圳产业对接会".into(),
        organiser: "rsj".into(),
        held_on: "2025-09-20".into(),
        away: true,
        province: "广东".into(),
        city: "深圳".into(),
        place: "深圳市湖北商会".into(),
        ..Default::default()
    };
    let id = store.save_event(&rsj, plan, &draft, "").await.unwrap();
    let everyone = linkong_store::promotion::Invitees::Matching(Default::default());
    assert_eq!(
        store.invite(&rsj, plan, id, &everyone, "").await.unwrap(),
        3
    );
    id
}

async fn upload_roster(app: &App) {
    app.user("rsj_upload", Role::UnitStaff, Some("rsj"), PASSWORD, false)
        .await;
    let client = app.client();
    assert_eq!(
        app.login(&client, "rsj_upload", PASSWORD).await.status(),
        303
    );
    let mut csv = String::from(
        "姓名,身份证号码,手机号码,户籍街道,社区（村）,文化程度,务工省份,务工城市,从事行业,职业（工种）,技能特长,外出年限,返区意向,拟创业领域,同意联系,调查日期,返区日期\n",
    );
    for (n, street) in [(1, "径河"), (2, "径河"), (3, "长青")] {
        let id = resident_id_for(n);
        csv.push_str(&format!(
            "居民{n},{id},1390000{n:04},{street},,大专,广东,深圳,C,电工,,3,返区创业,电商,是,2025-03-01,\n"
        ));
    }
    let csrf = app.csrf(&client).await;
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
        "file",
        reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("名册.csv"),
    );
    let response = client
        .post(app.url("/people/migrants/import"))
        .header("Origin", &app.base)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "the upload starts an import");
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    for _ in 0..600 {
        let page = client.get(app.url(&location)).send().await.unwrap();
        let page = page.text().await.unwrap();
        if !page.contains("http-equiv=\"refresh\"") {
            assert!(page.contains("新增 3 人"), "{page}");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the roster import did not finish");
}

/// An expert with a public profile and window visits: a walk-in of 径河 and a registered
/// resident referred with a due date (the roster above is imported by then).
async fn fill_support(store: &Store, plan: &linkong_core::plan::Plan) {
    use linkong_core::experts::ExpertDraft;
    use linkong_core::window::VisitDraft;
    let swj = account(store, "swj_experts", Role::UnitStaff, Some("swj")).await;
    let xzspj = account(store, "xzspj_api", Role::UnitStaff, Some("xzspj")).await;
    let expert = ExpertDraft {
        name: "周电商".into(),
        field: "ecommerce".into(),
        organisation: "临空港直播基地".into(),
        title: String::new(),
        services: vec!["marketing".into()],
        availability: "周末".into(),
        phone: "13812345678".into(),
        intro: String::new(),
        consents: vec!["name".into(), "field".into(), "services".into()],
        status: String::new(),
    };
    store.add_expert(plan, &swj, &expert, "").await.unwrap();
    let walk_in = VisitDraft {
        name: "赵强".into(),
        phone: "13700001111".into(),
        street: "jinghe".into(),
        visited_on: "2025-10-14".into(),
        topic: "policy".into(),
        question: "开网店有补贴吗？".into(),
        answer: "有一次性创业补贴。".into(),
        ..VisitDraft::default()
    };
    store.log_visit(plan, &xzspj, &walk_in, "").await.unwrap();
    let registered = VisitDraft {
        id_number: resident_id_for(3),
        topic: "land".into(),
        referred_to: "nyncj".into(),
        due_on: "2025-10-30".into(),
        ..walk_in
    };
    store
        .log_visit(plan, &xzspj, &registered, "")
        .await
        .unwrap();
}

/// A 学子东西湖行 visit of 区人社局 with two students and a 揽才团 trip of 区人社局 that 径河
/// joined.
/// One traineeship base (1.1.4), so that the bases' answer has a row to check.
async fn seed_traineeship_base(store: &Store, plan: &linkong_core::plan::Plan) {
    let rsj = account(store, "rsj_bases", Role::UnitStaff, Some("rsj")).await;
    let base = linkong_core::traineeships::BaseDraft {
        name: "临空港智造就业见习基地".into(),
        employer: "武汉临空港智造科技有限公司".into(),
        uscc: String::new(),
        street: "jinghe".into(),
        places: "10".into(),
        posts: "会计、行政助理".into(),
        contact_name: "王敏".into(),
        contact_phone: "13812345678".into(),
        recognised_on: "2025-03-01".into(),
    };
    store
        .record_traineeship_base(plan, &rsj, &base, "")
        .await
        .unwrap();
}

/// One open gig of 径河's gig station (2.5.4), so that the gigs' answer has a row to check.
async fn seed_gig(store: &Store, plan: &linkong_core::plan::Plan) {
    let jinghe = account(store, "jinghe_gigs", Role::UnitStaff, Some("jinghe")).await;
    let today = linkong_core::time::local_date(store.now());
    let gig = linkong_core::gigs::GigDraft {
        title: "仓库临时分拣".into(),
        work_street: "jinghe".into(),
        pay_basis: "day".into(),
        rate: "180".into(),
        starts_on: today.to_string(),
        ends_on: (today + chrono::Duration::days(6)).to_string(),
        headcount: "6".into(),
        contact_name: "王师傅".into(),
        contact_phone: "13800138000".into(),
        note: "管午饭".into(),
    };
    store.create_gig(plan, &jinghe, &gig, "").await.unwrap();
}

async fn seed_visits_and_trips(store: &Store, plan: &linkong_core::plan::Plan) {
    use linkong_core::student_visits::{StopDraft, VisitDraft, student_lines};
    use linkong_core::talent_trips::{FairDraft, TripDraft};
    let rsj = account(store, "rsj_visits", Role::UnitStaff, Some("rsj")).await;
    let visit = VisitDraft {
        title: "学子东西湖行".into(),
        visited_on: "2025-07-10".into(),
        assisted: false,
        stops: vec![StopDraft {
            kind: "park_tour".into(),
            place: "国家网络安全人才与创新基地".into(),
        }],
        students: student_lines(
            "张三，武汉大学，网络空间安全，大三\n李四，江汉大学，物流管理，大二",
        ),
        note: String::new(),
    };
    store
        .record_student_visit(plan, &rsj, &visit, "")
        .await
        .unwrap();
    let trip = TripDraft {
        destination: "西安".into(),
        departed_on: "2025-09-20".into(),
        returned_on: "2025-09-22".into(),
        partners: vec!["jinghe".into()],
        fairs: vec![FairDraft {
            school: "西安电子科技大学".into(),
            held_on: "2025-09-21".into(),
        }],
        note: String::new(),
    };
    store
        .record_talent_trip(plan, &rsj, &trip, "")
        .await
        .unwrap();
}

/// A supervision item on 径河 and a joint meeting (#1) reviewing 2025Q3 with one decision.
async fn seed_steering(store: &Store, plan: &linkong_core::plan::Plan, calendar: &WorkCalendar) {
    use linkong_core::steering::{DecisionDraft, MeetingDraft, SupervisionDraft};
    let task_force = account(store, "zhuanban_steer", Role::TaskForce, None).await;
    let item = SupervisionDraft {
        unit: "jinghe".into(),
        indicator: "2.2.1.guidance".into(),
        problem: "创业指导人次滞后".into(),
        action: "组织一场创业宣讲并反馈".into(),
        working_days: "10".into(),
    };
    store
        .raise_supervision(plan, calendar, &task_force, &item, "")
        .await
        .unwrap();
    let meeting = MeetingDraft {
        held_on: "2025-10-14".into(),
        quarter: "2025Q3".into(),
        chair: "分管副区长".into(),
        attendees: vec!["rsj".into(), "jinghe".into()],
        minutes: "通报三季度进展。".into(),
        decisions: vec![DecisionDraft {
            text: "径河街道补办创业宣讲".into(),
            owner: "jinghe".into(),
            due_on: "2025-10-31".into(),
        }],
    };
    store
        .record_meeting(plan, &task_force, &meeting, "")
        .await
        .unwrap();
    // An HR agencies' action of 区人社局, so that its list answers with a row to validate.
    let rsj = account(store, "rsj_hr", Role::UnitStaff, Some("rsj")).await;
    let action = linkong_core::hr_actions::ActionDraft {
        name: "2025年稳就业促创业专项行动".into(),
        agencies: "武汉临空港人力资源服务有限公司".into(),
        starts_on: "2025-04-01".into(),
        ends_on: "2025-10-31".into(),
    };
    store
        .record_hr_action(plan, &rsj, &action, "")
        .await
        .unwrap();
}

/// 区经科局's 2025 edition of the start-up contest with one entry: its id.
async fn contest(store: &Store, plan: &linkong_core::plan::Plan) -> i64 {
    use linkong_core::contest::{EditionDraft, EntryDraft};
    let jkj = account(store, "jkj_api", Role::UnitStaff, Some("jkj")).await;
    let edition = EditionDraft {
        year: "2025".into(),
        name: "第五届“中国网谷杯”创新创业大赛".into(),
        opens_on: "2025-04-01".into(),
        closes_on: "2025-11-30".into(),
        tracks: "大学生创业组".into(),
    };
    let id = store
        .create_contest_edition(plan, &jkj, &edition, "")
        .await
        .unwrap();
    let page = store.contest_edition(plan, &jkj, id, "").await.unwrap();
    let entry = EntryDraft {
        track: page.edition.tracks[0].id.to_string(),
        project: "校园智能巡检".into(),
        team: "巡检先锋".into(),
        leader: "李明".into(),
        school: "华中科技大学".into(),
        field: "智能制造".into(),
        phone: "13912345678".into(),
        registered_on: "2025-05-10".into(),
        ..EntryDraft::default()
    };
    store
        .register_contest_entry(plan, &jkj, id, &entry, "")
        .await
        .unwrap();
    id
}

/// The document made strict for checking: every described object closed against fields it
/// does not name. An object that is a branch of an `allOf` (a flattened part) is closed at the
/// `allOf` instead, where the other branches' fields are known.
fn closed(mut doc: Value) -> Value {
    let mut parts = BTreeSet::new();
    collect_all_of_refs(&doc, &mut parts);
    close(&mut doc, &parts, false);
    doc
}

fn collect_all_of_refs(value: &Value, parts: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(branches)) = map.get("allOf") {
                for branch in branches {
                    if let Some(Value::String(target)) = branch.get("$ref") {
                        parts.insert(target.clone());
                    }
                }
            }
            map.values().for_each(|v| collect_all_of_refs(v, parts));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_all_of_refs(v, parts)),
        _ => {}
    }
}

fn close(value: &mut Value, parts: &BTreeSet<String>, in_all_of: bool) {
    match value {
        Value::Object(map) => {
            let describes_fields = map.contains_key("properties") || map.contains_key("allOf");
            if describes_fields && !in_all_of {
                map.entry("unevaluatedProperties")
                    .or_insert(Value::Bool(false));
            }
            for (key, child) in map.iter_mut() {
                if key == "allOf" {
                    if let Value::Array(branches) = child {
                        branches.iter_mut().for_each(|b| close(b, parts, true));
                    }
                } else if key == "schemas" {
                    // components.schemas: a schema used as a flattened part stays open.
                    if let Value::Object(schemas) = child {
                        for (name, schema) in schemas.iter_mut() {
                            let target = format!("#/components/schemas/{name}");
                            close(schema, parts, parts.contains(&target));
                        }
                    }
                } else {
                    close(child, parts, false);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| close(v, parts, false)),
        _ => {}
    }
}

/// Checks answers against a document (JSON Schema 2020-12, formats asserted).
struct Checker {
    schemas: boon::Schemas,
    compiled: BTreeMap<String, boon::SchemaIndex>,
    doc: Value,
}

const DOC_URL: &str = "http://linkong.invalid/api/openapi.json";

impl Checker {
    fn new(doc: Value) -> Checker {
        Checker {
            schemas: boon::Schemas::new(),
            compiled: BTreeMap::new(),
            doc: closed(doc),
        }
    }

    /// Does `body`, answered with `status` to GET `path`, match what the document promises?
    fn check(&mut self, path: &str, status: u16, body: &Value) -> Result<(), String> {
        let pointer = format!(
            "/paths/{}/get/responses/{status}/content/application~1json/schema",
            path.replace('~', "~0").replace('/', "~1")
        );
        if self.doc.pointer(&pointer).is_none() {
            return Err(format!("GET {path} does not document a {status} answer"));
        }
        let index = match self.compiled.get(&pointer) {
            Some(index) => *index,
            None => {
                let mut compiler = boon::Compiler::new();
                compiler.enable_format_assertions();
                compiler.set_default_draft(boon::Draft::V2020_12);
                compiler
                    .add_resource(DOC_URL, self.doc.clone())
                    .map_err(|e| format!("{e:#}"))?;
                let index = compiler
                    .compile(&format!("{DOC_URL}#{pointer}"), &mut self.schemas)
                    .map_err(|e| format!("the document's schema for {path} {status}: {e:#}"))?;
                self.compiled.insert(pointer.clone(), index);
                index
            }
        };
        self.schemas
            .validate(body, index)
            .map_err(|e| format!("GET {path} {status}: {e:#}"))
    }
}

/// A request of the table below: who asks, what, and the status expected.
struct Ask {
    /// The path as documented (`{id}` and all).
    documented: &'static str,
    url: String,
    token: Option<String>,
    status: u16,
}

fn ask(documented: &'static str, url: impl Into<String>, token: Option<&str>, status: u16) -> Ask {
    Ask {
        documented,
        url: url.into(),
        token: token.map(str::to_owned),
        status,
    }
}

/// Every documented GET endpoint, its success and each error it documents, as a person or a
/// client would meet them.
fn asks(s: &Seeded) -> Vec<Ask> {
    let (tf, street, rsj) = (
        Some(s.task_force.as_str()),
        Some(s.street.as_str()),
        Some(s.rsj.as_str()),
    );
    let (sums, boss) = (Some(s.aggregates.as_str()), Some(s.employer.as_str()));
    vec![
        // Token scopes: an employer is refused the staff's API, an aggregates token the rows.
        ask("/api/v1/progress", "/api/v1/progress?year=2025", sums, 200),
        ask(
            "/api/v1/progress",
            "/api/v1/progress?as_of=2025-09-30",
            tf,
            200,
        ),
        ask("/api/v1/progress", "/api/v1/progress?as_of=30/9", tf, 422),
        ask("/api/v1/progress", "/api/v1/progress", boss, 403),
        ask(
            "/api/v1/reports/deadlines",
            "/api/v1/reports/deadlines",
            boss,
            403,
        ),
        ask(
            "/api/v1/reports/quarterly/{period}",
            "/api/v1/reports/quarterly/2025Q3",
            boss,
            403,
        ),
        ask(
            "/api/v1/registries",
            "/api/v1/registries?year=2025",
            sums,
            200,
        ),
        ask("/api/v1/registries", "/api/v1/registries", None, 401),
        ask("/api/v1/registries", "/api/v1/registries", boss, 403),
        ask(
            "/api/v1/registries",
            "/api/v1/registries?year=2031",
            tf,
            422,
        ),
        ask(
            "/api/v1/registries/{code}",
            "/api/v1/registries/loans.issued?as_of=2025-09-30",
            sums,
            200,
        ),
        ask(
            "/api/v1/registries/{code}",
            "/api/v1/registries/loans.issued",
            None,
            401,
        ),
        ask(
            "/api/v1/registries/{code}",
            "/api/v1/registries/loans.issued",
            boss,
            403,
        ),
        ask(
            "/api/v1/registries/{code}",
            "/api/v1/registries/none",
            tf,
            404,
        ),
        ask(
            "/api/v1/registries/{code}",
            "/api/v1/registries/loans.issued?as_of=x",
            tf,
            422,
        ),
        ask("/api/v1/jobs", "/api/v1/jobs", sums, 403),
        ask(
            "/api/v1/jobs/{id}",
            format!("/api/v1/jobs/{}", s.job_id),
            sums,
            403,
        ),
        ask("/api/v1/policies", "/api/v1/policies", sums, 403),
        ask("/api/v1/experts", "/api/v1/experts", sums, 403),
        ask("/api/v1/stories", "/api/v1/stories", sums, 403),
        ask("/api/v1/projects", "/api/v1/projects", sums, 403),
        ask("/api/v1/carriers", "/api/v1/carriers", sums, 403),
        ask(
            "/api/v1/subsidies/notices",
            "/api/v1/subsidies/notices",
            sums,
            403,
        ),
        ask("/api/openapi.json", "/api/openapi.json", None, 200),
        ask("/api/v1/plan", "/api/v1/plan", None, 200),
        ask("/api/v1/progress", "/api/v1/progress?year=2025", tf, 200),
        ask("/api/v1/progress", "/api/v1/progress", None, 401),
        ask("/api/v1/progress", "/api/v1/progress?year=2030", tf, 422),
        ask(
            "/api/v1/reports/deadlines",
            "/api/v1/reports/deadlines?year=2025",
            tf,
            200,
        ),
        ask(
            "/api/v1/reports/deadlines",
            "/api/v1/reports/deadlines?year=2025",
            None,
            401,
        ),
        ask(
            "/api/v1/reports/deadlines",
            "/api/v1/reports/deadlines?year=1999",
            street,
            422,
        ),
        ask(
            "/api/v1/reports/quarterly/{period}",
            "/api/v1/reports/quarterly/2025Q3",
            tf,
            200,
        ),
        ask(
            "/api/v1/reports/quarterly/{period}",
            "/api/v1/reports/quarterly/2025Q3",
            street,
            200,
        ),
        ask(
            "/api/v1/reports/quarterly/{period}",
            "/api/v1/reports/quarterly/2025Q3",
            None,
            401,
        ),
        ask(
            "/api/v1/reports/quarterly/{period}",
            "/api/v1/reports/quarterly/2025",
            tf,
            422,
        ),
        ask("/api/v1/jobs", "/api/v1/jobs", None, 200),
        ask("/api/v1/jobs", "/api/v1/jobs?sort=cheapest", None, 422),
        ask(
            "/api/v1/jobs/{id}",
            format!("/api/v1/jobs/{}", s.job_id),
            None,
            200,
        ),
        ask("/api/v1/jobs/{id}", "/api/v1/jobs/999999", None, 404),
        ask(
            "/api/v1/people/migrants",
            "/api/v1/people/migrants",
            rsj,
            200,
        ),
        ask(
            "/api/v1/people/migrants",
            "/api/v1/people/migrants",
            street,
            200,
        ),
        ask(
            "/api/v1/people/migrants",
            "/api/v1/people/migrants",
            None,
            401,
        ),
        ask(
            "/api/v1/people/migrants",
            "/api/v1/people/migrants?street=changqing",
            street,
            403,
        ),
        ask(
            "/api/v1/people/migrants",
            "/api/v1/people/migrants?page=abc",
            rsj,
            422,
        ),
        ask("/api/v1/businesses", "/api/v1/businesses", rsj, 200),
        ask("/api/v1/businesses", "/api/v1/businesses", street, 200),
        ask("/api/v1/businesses", "/api/v1/businesses", None, 401),
        ask(
            "/api/v1/businesses",
            "/api/v1/businesses?street=changqing",
            street,
            403,
        ),
        ask("/api/v1/experts", "/api/v1/experts", None, 200),
        ask(
            "/api/v1/experts",
            "/api/v1/experts?field=fortune",
            None,
            422,
        ),
        ask("/api/v1/window/visits", "/api/v1/window/visits", rsj, 200),
        ask(
            "/api/v1/window/visits",
            "/api/v1/window/visits",
            street,
            200,
        ),
        ask("/api/v1/window/visits", "/api/v1/window/visits", None, 401),
        ask(
            "/api/v1/window/visits",
            "/api/v1/window/visits?street=changqing",
            street,
            403,
        ),
        ask(
            "/api/v1/businesses",
            "/api/v1/businesses?status=open",
            rsj,
            422,
        ),
        ask("/api/v1/failure-cases", "/api/v1/failure-cases", rsj, 200),
        ask(
            "/api/v1/failure-cases",
            "/api/v1/failure-cases",
            street,
            200,
        ),
        ask("/api/v1/failure-cases", "/api/v1/failure-cases", None, 401),
        ask(
            "/api/v1/failure-cases",
            "/api/v1/failure-cases?street=changqing",
            street,
            403,
        ),
        ask(
            "/api/v1/failure-cases",
            "/api/v1/failure-cases?listed=bogus",
            rsj,
            422,
        ),
        ask("/api/v1/projects", "/api/v1/projects", None, 200),
        ask("/api/v1/projects", "/api/v1/projects?field=Z", None, 422),
        ask("/api/v1/stories", "/api/v1/stories", None, 200),
        ask("/api/v1/policies", "/api/v1/policies?q=社保", None, 200),
        ask(
            "/api/v1/policies",
            "/api/v1/policies?audience=farmer",
            None,
            422,
        ),
        ask(
            "/api/v1/window/visits",
            "/api/v1/window/visits?listed=bogus",
            rsj,
            422,
        ),
        ask(
            "/api/v1/events/{id}/invitations",
            format!("/api/v1/events/{}/invitations", s.promotion_id),
            street,
            200,
        ),
        ask(
            "/api/v1/events/{id}/invitations",
            format!("/api/v1/events/{}/invitations", s.promotion_id),
            rsj,
            200,
        ),
        ask(
            "/api/v1/events/{id}/invitations",
            format!("/api/v1/events/{}/invitations", s.promotion_id),
            None,
            401,
        ),
        ask(
            "/api/v1/events/{id}/invitations",
            format!("/api/v1/events/{}/invitations", s.promotion_id),
            Some(s.outsider.as_str()),
            403,
        ),
        ask(
            "/api/v1/events/{id}/invitations",
            "/api/v1/events/999999/invitations",
            tf,
            404,
        ),
        ask("/api/v1/loans", "/api/v1/loans?year=2025", rsj, 200),
        ask("/api/v1/loans", "/api/v1/loans", None, 401),
        ask("/api/v1/loans", "/api/v1/loans", street, 403),
        ask("/api/v1/loans", "/api/v1/loans?year=2031", rsj, 422),
        ask("/api/v1/campus", "/api/v1/campus?year=2025", rsj, 200),
        ask("/api/v1/campus", "/api/v1/campus", tf, 200),
        ask("/api/v1/campus", "/api/v1/campus", None, 401),
        ask("/api/v1/campus", "/api/v1/campus", street, 403),
        ask("/api/v1/campus", "/api/v1/campus?year=2031", rsj, 422),
        ask(
            "/api/v1/student-visits",
            "/api/v1/student-visits?year=2025",
            rsj,
            200,
        ),
        ask("/api/v1/student-visits", "/api/v1/student-visits", tf, 200),
        ask(
            "/api/v1/student-visits",
            "/api/v1/student-visits",
            None,
            401,
        ),
        ask(
            "/api/v1/student-visits",
            "/api/v1/student-visits",
            street,
            403,
        ),
        ask(
            "/api/v1/student-visits",
            "/api/v1/student-visits?year=2031",
            rsj,
            422,
        ),
        ask("/api/v1/talent-trips", "/api/v1/talent-trips", rsj, 200),
        ask("/api/v1/talent-trips", "/api/v1/talent-trips", street, 200),
        ask("/api/v1/talent-trips", "/api/v1/talent-trips", None, 401),
        ask(
            "/api/v1/talent-trips",
            "/api/v1/talent-trips",
            Some(s.outsider.as_str()),
            403,
        ),
        ask(
            "/api/v1/talent-trips",
            "/api/v1/talent-trips?unit=nowhere",
            rsj,
            422,
        ),
        ask("/api/v1/mentorings", "/api/v1/mentorings", rsj, 200),
        ask(
            "/api/v1/subsidies/notices",
            "/api/v1/subsidies/notices",
            None,
            200,
        ),
        ask("/api/v1/mentorings", "/api/v1/mentorings", street, 200),
        ask("/api/v1/mentorings", "/api/v1/mentorings", None, 401),
        ask(
            "/api/v1/mentorings",
            "/api/v1/mentorings?street=changqing",
            street,
            403,
        ),
        ask(
            "/api/v1/mentorings",
            "/api/v1/mentorings?status=paused",
            rsj,
            422,
        ),
        ask("/api/v1/carriers", "/api/v1/carriers", None, 200),
        ask(
            "/api/v1/carriers",
            "/api/v1/carriers?kind=office",
            None,
            422,
        ),
        ask(
            "/api/v1/carriers/applications",
            "/api/v1/carriers/applications",
            rsj,
            200,
        ),
        ask(
            "/api/v1/carriers/applications",
            "/api/v1/carriers/applications",
            street,
            200,
        ),
        ask(
            "/api/v1/carriers/applications",
            "/api/v1/carriers/applications",
            None,
            401,
        ),
        ask(
            "/api/v1/carriers/applications",
            "/api/v1/carriers/applications?street=changqing",
            street,
            403,
        ),
        ask(
            "/api/v1/carriers/applications",
            "/api/v1/carriers/applications?stage=done",
            rsj,
            422,
        ),
        ask(
            "/api/v1/contest/editions",
            "/api/v1/contest/editions",
            rsj,
            200,
        ),
        ask(
            "/api/v1/contest/editions",
            "/api/v1/contest/editions",
            None,
            401,
        ),
        ask(
            "/api/v1/contest/editions",
            "/api/v1/contest/editions",
            street,
            403,
        ),
        ask(
            "/api/v1/contest/editions/{id}/entries",
            format!("/api/v1/contest/editions/{}/entries", s.edition_id),
            tf,
            200,
        ),
        ask(
            "/api/v1/contest/editions/{id}/entries",
            format!("/api/v1/contest/editions/{}/entries", s.edition_id),
            None,
            401,
        ),
        ask(
            "/api/v1/contest/editions/{id}/entries",
            format!("/api/v1/contest/editions/{}/entries", s.edition_id),
            street,
            403,
        ),
        ask(
            "/api/v1/contest/editions/{id}/entries",
            "/api/v1/contest/editions/999999/entries",
            rsj,
            404,
        ),
        ask(
            "/api/v1/market-order/actions",
            "/api/v1/market-order/actions",
            street,
            200,
        ),
        ask(
            "/api/v1/market-order/actions",
            "/api/v1/market-order/actions",
            None,
            401,
        ),
        ask(
            "/api/v1/market-order/actions",
            "/api/v1/market-order/actions",
            Some(s.outsider.as_str()),
            403,
        ),
        ask(
            "/api/v1/market-order/inspections",
            "/api/v1/market-order/inspections?year=2025",
            rsj,
            200,
        ),
        ask(
            "/api/v1/market-order/inspections",
            "/api/v1/market-order/inspections",
            None,
            401,
        ),
        ask(
            "/api/v1/market-order/inspections",
            "/api/v1/market-order/inspections?unit=gaj",
            street,
            403,
        ),
        ask(
            "/api/v1/market-order/inspections",
            "/api/v1/market-order/inspections?year=2031",
            rsj,
            422,
        ),
        ask(
            "/api/v1/market-order/notices",
            "/api/v1/market-order/notices",
            None,
            200,
        ),
        ask(
            "/api/v1/market-order/notices",
            "/api/v1/market-order/notices?kind=rumour",
            None,
            422,
        ),
        ask(
            "/api/v1/skills/classes",
            "/api/v1/skills/classes?year=2025",
            street,
            200,
        ),
        ask(
            "/api/v1/skills/classes",
            "/api/v1/skills/classes",
            None,
            401,
        ),
        ask(
            "/api/v1/skills/classes",
            "/api/v1/skills/classes?unit=nowhere",
            rsj,
            422,
        ),
        ask(
            "/api/v1/skills/classes",
            "/api/v1/skills/classes",
            boss,
            403,
        ),
        ask(
            "/api/v1/market-order/notices",
            "/api/v1/market-order/notices",
            sums,
            403,
        ),
        ask(
            "/api/v1/steering/supervision",
            "/api/v1/steering/supervision?open=1",
            street,
            200,
        ),
        ask(
            "/api/v1/steering/supervision",
            "/api/v1/steering/supervision",
            None,
            401,
        ),
        ask(
            "/api/v1/steering/supervision",
            "/api/v1/steering/supervision?unit=changqing",
            street,
            403,
        ),
        ask(
            "/api/v1/steering/supervision",
            "/api/v1/steering/supervision?open=yes",
            tf,
            422,
        ),
        ask(
            "/api/v1/steering/meetings",
            "/api/v1/steering/meetings",
            rsj,
            200,
        ),
        ask(
            "/api/v1/steering/meetings",
            "/api/v1/steering/meetings",
            None,
            401,
        ),
        ask(
            "/api/v1/steering/meetings",
            "/api/v1/steering/meetings",
            sums,
            403,
        ),
        ask(
            "/api/v1/steering/meetings/{id}",
            "/api/v1/steering/meetings/1",
            tf,
            200,
        ),
        ask(
            "/api/v1/steering/meetings/{id}",
            "/api/v1/steering/meetings/1",
            None,
            401,
        ),
        ask(
            "/api/v1/steering/meetings/{id}",
            "/api/v1/steering/meetings/1",
            boss,
            403,
        ),
        ask(
            "/api/v1/steering/meetings/{id}",
            "/api/v1/steering/meetings/999",
            tf,
            404,
        ),
        // HR agencies' special actions (2.4.4): aggregates only, so an aggregates token reads them.
        ask(
            "/api/v1/hr-actions",
            "/api/v1/hr-actions?year=2025",
            sums,
            200,
        ),
        ask(
            "/api/v1/hr-actions",
            "/api/v1/hr-actions?year=",
            street,
            200,
        ),
        ask("/api/v1/hr-actions", "/api/v1/hr-actions", None, 401),
        ask("/api/v1/hr-actions", "/api/v1/hr-actions", boss, 403),
        ask(
            "/api/v1/hr-actions",
            "/api/v1/hr-actions?unit=nowhere",
            rsj,
            422,
        ),
        ask(
            "/api/v1/traineeships/bases",
            "/api/v1/traineeships/bases?year=2025",
            street,
            200,
        ),
        ask(
            "/api/v1/traineeships/bases",
            "/api/v1/traineeships/bases?year=",
            rsj,
            200,
        ),
        ask(
            "/api/v1/traineeships/bases",
            "/api/v1/traineeships/bases",
            None,
            401,
        ),
        ask(
            "/api/v1/traineeships/bases",
            "/api/v1/traineeships/bases?year=1999",
            rsj,
            422,
        ),
        ask(
            "/api/v1/traineeships/bases",
            "/api/v1/traineeships/bases",
            boss,
            403,
        ),
        ask("/api/v1/gigs", "/api/v1/gigs", None, 200),
        ask("/api/v1/gigs", "/api/v1/gigs?street=jinghe", street, 200),
        ask("/api/v1/gigs", "/api/v1/gigs?street=nowhere", None, 422),
        // An aggregates token is refused the gigs' rows.
        ask("/api/v1/gigs", "/api/v1/gigs", sums, 403),
        // Last, as it spends the address's search bucket: asked again until refused.
        ask("/api/v1/jobs", "/api/v1/jobs?q=会计", None, 429),
    ]
}

/// A 429 is met by asking again until the bucket (rules/rate-limits.toml) is empty.
async fn answer(app: &App, ask: &Ask) -> (u16, Value) {
    let burst = linkong_core::limits::RateLimits::shipped()
        .rate(linkong_core::limits::Limited::SearchIp)
        .burst;
    let tries = if ask.status == 429 { burst * 2 } else { 1 };
    let mut last = (0, Value::Null);
    for _ in 0..tries {
        let mut request = app.client().get(app.url(&ask.url));
        if let Some(token) = &ask.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        if status == 429 {
            assert!(
                response.headers().contains_key("retry-after"),
                "{}",
                ask.url
            );
        }
        let body = response.json().await.unwrap_or_else(|e| {
            panic!("GET {} answers JSON: {e}", ask.url);
        });
        last = (status, body);
        if status == ask.status {
            break;
        }
    }
    last
}

#[tokio::test]
async fn every_answer_of_every_get_endpoint_matches_its_schema() {
    for s in spawn(&TestClock::at(2025, 10, 15, 2)).await {
        let doc = document(&s.app).await;
        let asks = asks(&s);
        // Every documented operation is a GET and is asked here with each answer it documents:
        // an endpoint or an error added later without a line in `asks` fails this test.
        for (path, item) in doc["paths"].as_object().unwrap() {
            let methods: Vec<&String> = item.as_object().unwrap().keys().collect();
            assert_eq!(
                methods,
                ["get"],
                "{path}: only GET is documented so far; add its checks"
            );
            for status in item["get"]["responses"].as_object().unwrap().keys() {
                assert!(
                    asks.iter()
                        .any(|a| a.documented == path && a.status.to_string() == *status),
                    "GET {path} documents a {status} answer that this test never meets"
                );
            }
        }
        let mut checker = Checker::new(doc);
        let mut answers = BTreeMap::new();
        for ask in &asks {
            let (status, body) = answer(&s.app, ask).await;
            assert_eq!(status, ask.status, "GET {}: {body}", ask.url);
            if let Err(e) = checker.check(ask.documented, status, &body) {
                panic!("{e}\nbody: {body}");
            }
            answers.insert((ask.url.clone(), ask.token.clone()), body);
        }
        // The data is there, so the schemas were checked against real values, not empty lists.
        let tf = Some(s.task_force.clone());
        // A street sees its two residents of the three invited.
        let invited = &answers[&(
            format!("/api/v1/events/{}/invitations", s.promotion_id),
            Some(s.street.clone()),
        )];
        assert_eq!(invited["invitations"].as_array().unwrap().len(), 2);
        let progress = &answers[&("/api/v1/progress?year=2025".to_owned(), tf.clone())];
        let loans = progress["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["indicator_code"] == "2.4.2.guaranteed_loans")
            .unwrap();
        assert_eq!(
            loans["district"]["actual"], 123.45,
            "a decimal amount, from the ledger"
        );
        let quarter = &answers[&("/api/v1/reports/quarterly/2025Q3".to_owned(), tf.clone())];
        let kinds: BTreeSet<&str> = quarter["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["timeliness"]["kind"].as_str().unwrap())
            .collect();
        assert!(
            kinds.contains("on_time") && kinds.contains("late"),
            "{kinds:?}"
        );
        assert!(quarter["consolidated"].is_array());
        let street_quarter = &answers[&(
            "/api/v1/reports/quarterly/2025Q3".to_owned(),
            Some(s.street.clone()),
        )];
        assert!(street_quarter["consolidated"].is_null());
        assert!(
            answers[&("/api/v1/jobs".to_owned(), None)]["total"]
                .as_u64()
                .unwrap()
                > 0
        );
        let migrants = &answers[&("/api/v1/people/migrants".to_owned(), Some(s.rsj.clone()))];
        assert_eq!(migrants["total"], 3);
        let businesses = &answers[&("/api/v1/businesses".to_owned(), Some(s.street.clone()))];
        assert_eq!(businesses["total"], 1);
        let projects = &answers[&("/api/v1/projects".to_owned(), None)];
        assert_eq!(projects["projects"][0]["investment_max"], 12.5);
        let stories = &answers[&("/api/v1/stories".to_owned(), None)];
        assert_eq!(stories["total"], 1);
        assert_eq!(stories["stories"][0]["photos"][0], "/stories/1/photos/1");
        let carriers = &answers[&("/api/v1/carriers".to_owned(), None)];
        assert_eq!(carriers["carriers"][0]["vacancies"], 11);
        assert_eq!(carriers["carriers"][0]["area"], 800.5);
        let applications = &answers[&(
            "/api/v1/carriers/applications".to_owned(),
            Some(s.street.clone()),
        )];
        assert_eq!(applications["applications"][0]["stage"], "recommended");
        let experts = &answers[&("/api/v1/experts".to_owned(), None)];
        assert_eq!(experts["experts"][0]["organisation"], Value::Null);
        let visits = &answers[&("/api/v1/window/visits".to_owned(), Some(s.rsj.clone()))];
        assert_eq!(visits["total"], 2);
        let street_visits = &answers[&("/api/v1/window/visits".to_owned(), Some(s.street.clone()))];
        assert_eq!(street_visits["total"], 1, "the walk-in of 径河 only");
    }
}

/// The check above can fail: a document that says an amount is an integer, that an error's
/// status is text, or that omits a field the API sends, is caught.
#[tokio::test]
async fn a_wrong_schema_fails_the_check() {
    let s = spawn(&TestClock::at(2025, 10, 15, 2)).await.remove(0);
    let doc = document(&s.app).await;
    let tf = Some(s.task_force.as_str());
    let progress = answer(
        &s.app,
        &ask("/api/v1/progress", "/api/v1/progress?year=2025", tf, 200),
    )
    .await
    .1;
    let refused = answer(
        &s.app,
        &ask("/api/v1/progress", "/api/v1/progress", None, 401),
    )
    .await
    .1;
    let job = answer(
        &s.app,
        &ask(
            "/api/v1/jobs/{id}",
            format!("/api/v1/jobs/{}", s.job_id),
            None,
            200,
        ),
    )
    .await
    .1;
    assert!(
        Checker::new(doc.clone())
            .check("/api/v1/progress", 200, &progress)
            .is_ok()
    );
    assert!(
        Checker::new(doc.clone())
            .check("/api/v1/progress", 401, &refused)
            .is_ok()
    );
    assert!(
        Checker::new(doc.clone())
            .check("/api/v1/jobs/{id}", 200, &job)
            .is_ok()
    );

    let mut whole_amounts = doc.clone();
    whole_amounts["components"]["schemas"]["Amount"]["type"] = "integer".into();
    assert!(
        Checker::new(whole_amounts)
            .check("/api/v1/progress", 200, &progress)
            .is_err()
    );

    let mut text_status = doc.clone();
    text_status["components"]["schemas"]["ErrorBody"]["properties"]["status"] =
        serde_json::json!({ "type": "string" });
    assert!(
        Checker::new(text_status)
            .check("/api/v1/progress", 401, &refused)
            .is_err()
    );

    let mut fewer_fields = doc.clone();
    let card = fewer_fields["components"]["schemas"]["JobCard"]["properties"]
        .as_object_mut()
        .unwrap();
    card.remove("salary_min")
        .expect("a job card documents salary_min");
    assert!(
        Checker::new(fewer_fields)
            .check("/api/v1/jobs/{id}", 200, &job)
            .is_err(),
        "a field the document does not name is caught"
    );

    let mut undocumented_status = doc;
    undocumented_status["paths"]["/api/v1/progress"]["get"]["responses"]
        .as_object_mut()
        .unwrap()
        .remove("401");
    assert!(
        Checker::new(undocumented_status)
            .check("/api/v1/progress", 401, &refused)
            .is_err()
    );
}
