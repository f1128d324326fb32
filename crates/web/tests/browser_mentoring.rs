//! Mentoring (跟踪陪跑, 2.3.2) in a real browser (Debian's Chromium through chromedriver), on
//! each backend: a street's staff member opens a mentoring from the business's page — first
//! without a mentor, which the form refuses naming 创业导师 — then adds a milestone and a visit
//! and ends it with an outcome. Screenshots go to target/screenshots/mentoring-*.png.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{App, spawn_apps};
use linkong_core::access::{Role, Roster};
use linkong_core::businesses::BusinessDraft;
use linkong_core::experts::ExpertDraft;
use linkong_testkit::{
    TestClock, account, import_rows, plan, resident_id_for, skip, uscc_for, would_be_founder,
};
use thirtyfour::prelude::*;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const PASSWORD: &str = "Jinghe#2025xx";

struct Driver {
    process: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Debian's chromedriver on a free port, or `None` after saying loudly why not (a skip fails
/// the run under CI).
fn start_chromedriver() -> Option<Driver> {
    let cannot = |why: String| {
        skip("browser tests", &why);
        None
    };
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        return cannot("Debian chromium and chromium-driver are not installed".into());
    }
    let port = match TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()) {
        Ok(address) => address.port(),
        Err(e) => return cannot(format!("no free port on 127.0.0.1 for chromedriver: {e}")),
    };
    let process = match Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(process) => process,
        Err(e) => return cannot(format!("{CHROMEDRIVER} does not start: {e}")),
    };
    let driver = Driver {
        process,
        url: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(driver);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    cannot(format!(
        "chromedriver did not answer on port {port} within 10 s"
    ))
}

async fn browser(driver: &Driver, profile: &Path) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(CHROMIUM).unwrap();
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=zh-CN",
        &format!("--user-data-dir={}", profile.display()),
    ] {
        caps.add_arg(arg).unwrap();
    }
    WebDriver::new(&driver.url, caps)
        .await
        .expect("browser session")
}

fn screenshots() -> PathBuf {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/screenshots"
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Waits (up to 10 s) for an element to appear; on failure shows the page it was not on.
async fn wait_for(web: &WebDriver, css: &str) {
    for _ in 0..100 {
        if !web.find_all(By::Css(css)).await.unwrap().is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "no {css} on {}: {}",
        web.current_url().await.unwrap(),
        web.source().await.unwrap()
    );
}

/// Clicks `css` once it is there; survives the page being replaced in between.
async fn click(web: &WebDriver, css: &str) {
    wait_for(web, css).await;
    for _ in 0..50 {
        if let Ok(found) = web.find(By::Css(css)).await
            && found.click().await.is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("could not click {css}");
}

/// Types into the input labelled by `id`.
async fn fill(web: &WebDriver, id: &str, value: &str) {
    wait_for(web, &format!("#{id}")).await;
    let field = web.find(By::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

async fn select(web: &WebDriver, id: &str, value: &str) {
    click(web, &format!("#{id} option[value='{value}']")).await;
}

/// A date input's value, set directly (typing into one depends on the browser's locale).
async fn set_date(web: &WebDriver, id: &str, day: &str) {
    wait_for(web, &format!("#{id}")).await;
    web.execute(
        "document.getElementById(arguments[0]).value = arguments[1];",
        vec![serde_json::json!(id), serde_json::json!(day)],
    )
    .await
    .unwrap();
}

async fn submit(web: &WebDriver, form_action: &str) {
    click(
        web,
        &format!("form[action='{form_action}'] button[type='submit']"),
    )
    .await;
}

/// Waits (up to 10 s) until the element's text contains `part`; returns the text.
async fn wait_for_text_containing(web: &WebDriver, css: &str, part: &str) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(found) = web.find(By::Css(css)).await
            && let Ok(text) = found.text().await
        {
            if text.contains(part) {
                return text;
            }
            last = text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never contained “{part}”: {last}");
}

/// Logs in and waits until the browser has left the login page.
async fn login(web: &WebDriver, app: &App, username: &str, password: &str) {
    web.goto(app.url("/login")).await.unwrap();
    fill(web, "username", username).await;
    fill(web, "password", password).await;
    submit(web, "/login").await;
    for _ in 0..100 {
        if web.current_url().await.unwrap().path() != "/login" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A business of 径河 founded by a returnee, and an expert of the pool: (business, expert).
async fn seed(app: &App) -> (i64, i64) {
    let (store, plan) = (&app.db.store, plan());
    let rows = vec![would_be_founder(1, "陪跑", "径河")];
    import_rows(store, "rsj", Roster::Migrants, rows, true)
        .await
        .unwrap()
        .unwrap();
    let jinghe = account(store, "jinghe_seed", Role::UnitStaff, Some("jinghe")).await;
    let rsj = account(store, "rsj_seed", Role::UnitStaff, Some("rsj")).await;
    let business = BusinessDraft {
        name: "径河稻虾共作合作社".into(),
        uscc: uscc_for(1),
        licensed_on: "2025-03-01".into(),
        legal_form: "cooperative".into(),
        section: "A".into(),
        forms: vec!["modern_agriculture".into()],
        street: "jinghe".into(),
        site: "径河街道三店村".into(),
        founders: resident_id_for(1),
        keep_founders: false,
    };
    let business = store
        .save_business(&plan, &jinghe, None, &business, "")
        .await
        .unwrap();
    let expert = ExpertDraft {
        name: "冯农技".into(),
        field: "种植".into(),
        organisation: "区农技推广中心".into(),
        services: vec!["technical".into()],
        availability: "工作日".into(),
        phone: "13812345678".into(),
        consents: vec!["name".into()],
        ..ExpertDraft::default()
    };
    let expert = store.add_expert(&plan, &rsj, &expert, "").await.unwrap();
    (business, expert)
}

#[tokio::test]
async fn a_street_opens_a_mentoring_from_the_business_page_and_follows_it_to_its_end() {
    let Some(driver) = start_chromedriver() else {
        return;
    };
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let backend = format!("{:?}", app.db.backend).to_lowercase();
        let shot = |name: &str| screenshots().join(format!("mentoring-{name}-{backend}.png"));
        let (business, expert) = seed(&app).await;
        let profile = tempfile::tempdir().unwrap();
        let web = browser(&driver, profile.path()).await;
        web.set_window_rect(0, 0, 1280, 1400).await.unwrap();
        app.user(
            "jinghe_staff",
            Role::UnitStaff,
            Some("jinghe"),
            PASSWORD,
            false,
        )
        .await;
        login(&web, &app, "jinghe_staff", PASSWORD).await;
        web.goto(app.url(&format!("/staff/businesses/{business}")))
            .await
            .unwrap();
        click(
            &web,
            &format!("a[href='/staff/mentoring/new?business={business}']"),
        )
        .await;
        select(&web, "chosen_for", "street_referral").await;
        set_date(&web, "started_on", "2025-06-01").await;
        submit(&web, "/staff/mentoring").await;
        let refused = wait_for_text_containing(&web, ".alert.error", "创业导师").await;
        assert!(refused.contains("请从专业人才库选择专家"), "{refused}");
        web.screenshot(&shot("refused")).await.unwrap();
        select(&web, "expert", &expert.to_string()).await;
        click(&web, "#fund_joins").await;
        submit(&web, "/staff/mentoring").await;
        let facts = wait_for_text_containing(&web, "#summary", "冯农技").await;
        assert!(
            facts.contains("径河稻虾共作合作社") && facts.contains("参与"),
            "{facts}"
        );
        let path = web.current_url().await.unwrap().path().to_owned();

        fill(&web, "title", "亩产提高 10%").await;
        set_date(&web, "due_on", "2025-12-31").await;
        submit(&web, &format!("{path}/milestones")).await;
        wait_for_text_containing(&web, "#milestone", "亩产提高 10%").await;
        set_date(&web, "visited_on", "2025-07-15").await;
        fill(&web, "visitor", "冯农技、径河街道 陈干事").await;
        fill(&web, "problems_raised", "虾苗成活率低").await;
        fill(&web, "problems_solved", "调整投苗密度").await;
        submit(&web, &format!("{path}/visits")).await;
        wait_for_text_containing(&web, "#visit", "虾苗成活率低").await;
        select(&web, "outcome", "achieved").await;
        set_date(&web, "ended_on", "2025-10-10").await;
        submit(&web, &format!("{path}/end")).await;
        let ended = wait_for_text_containing(&web, "#summary", "达成目标").await;
        assert!(ended.contains("2025-10-10 结束"), "{ended}");
        assert!(web.find_all(By::Id("visitor")).await.unwrap().is_empty());
        web.screenshot(&shot("ended")).await.unwrap();
        web.quit().await.unwrap();
    }
}
