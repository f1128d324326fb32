//! The start-up contest (1.2.3) in a real browser (Debian's Chromium through chromedriver), on
//! each backend: 区经科局's staff score a finalist on its page — a score beyond the round's scale
//! comes back naming 评分 — and a visitor on a 390 px phone finds the awarded project and its
//! university on `/contest`, the page no wider than the phone. Screenshots go to
//! target/screenshots/contest-*.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{App, spawn_apps};
use linkong_core::access::Role;
use linkong_core::contest::{AwardDraft, EditionDraft, EntryDraft, RoundDraft};
use linkong_core::plan::Plan;
use linkong_testkit::{PLAN_FILE, TestClock, skip};
use thirtyfour::prelude::*;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const PASSWORD: &str = "Contest#2025x";

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
/// the run under CI): not installed, no free port, it does not start, or it does not answer.
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
    // Dropped (killed and reaped) on every path below that does not hand it out.
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

async fn fill(web: &WebDriver, id: &str, value: &str) {
    let field = web.find(By::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

async fn submit(web: &WebDriver, form_action: &str) {
    web.find(By::Css(format!(
        "form[action='{form_action}'] button[type='submit']"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
}

/// Logs in and waits (up to 10 s) until the browser has left the login page, so that the next
/// navigation does not race the login's redirect.
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

/// 区经科局's 2025 edition: two entries, 初赛 scored, the first advanced to 决赛 and awarded
/// 一等奖. The finalist's id and the final's id.
async fn seed(app: &App) -> (i64, i64) {
    let (store, plan) = (&app.db.store, Plan::parse(PLAN_FILE).unwrap());
    let jkj = linkong_testkit::account(store, "jkj_seed", Role::UnitStaff, Some("jkj")).await;
    let edition = EditionDraft {
        year: "2025".into(),
        name: "第五届“中国网谷杯”创新创业大赛".into(),
        opens_on: "2025-04-01".into(),
        closes_on: "2025-11-30".into(),
        tracks: "大学生创业组\n网络安全赛道".into(),
    };
    let id = store
        .create_contest_edition(&plan, &jkj, &edition, "")
        .await
        .unwrap();
    let track = store
        .contest_edition(&plan, &jkj, id, "")
        .await
        .unwrap()
        .edition
        .tracks[1]
        .id;
    let mut entries = Vec::new();
    for (project, school) in [
        ("工控安全监测盒子", "武汉理工大学"),
        ("园区能耗优化系统", "湖北大学"),
    ] {
        let draft = EntryDraft {
            track: track.to_string(),
            project: project.into(),
            team: "网谷先锋".into(),
            leader: "王思远".into(),
            school: school.into(),
            field: "网络安全".into(),
            phone: "13912345678".into(),
            registered_on: "2025-05-10".into(),
            ..EntryDraft::default()
        };
        entries.push(
            store
                .register_contest_entry(&plan, &jkj, id, &draft, "")
                .await
                .unwrap(),
        );
    }
    let mut rounds = Vec::new();
    for (stage, day) in [("初赛", "2025-09-10"), ("决赛", "2025-11-15")] {
        let draft = RoundDraft {
            stage: stage.into(),
            scale: "100".into(),
            judges: "王教授、张总".into(),
            held_on: day.into(),
        };
        rounds.push(
            store
                .add_contest_round(&plan, &jkj, id, &draft, "")
                .await
                .unwrap(),
        );
    }
    for (entry, score) in entries.iter().zip(["91", "80"]) {
        store
            .score_contest_entry(&plan, &jkj, (*entry, rounds[0]), score, "")
            .await
            .unwrap();
    }
    store
        .advance_contest_entries(&plan, &jkj, (id, rounds[0]), &entries[..1], "")
        .await
        .unwrap();
    let award = AwardDraft {
        grade: "一等奖".into(),
        amount: "50000".into(),
        awarded_on: "2025-11-20".into(),
    };
    store
        .award_contest_entry(&plan, &jkj, entries[0], &award, "")
        .await
        .unwrap();
    (entries[0], rounds[1])
}

#[tokio::test]
async fn the_organiser_scores_a_finalist_and_a_visitor_on_a_phone_finds_the_winner() {
    let Some(driver) = start_chromedriver() else {
        return;
    };
    for app in spawn_apps(&TestClock::at(2025, 11, 25, 2)).await {
        let backend = format!("{:?}", app.db.backend).to_lowercase();
        let shot = |name: &str| screenshots().join(format!("contest-{name}-{backend}.png"));
        let (finalist, last) = seed(&app).await;
        let profile = tempfile::tempdir().unwrap();
        let web = browser(&driver, profile.path()).await;
        web.set_window_rect(0, 0, 1280, 1200).await.unwrap();
        app.user("jkj_staff", Role::UnitStaff, Some("jkj"), PASSWORD, false)
            .await;
        login(&web, &app, "jkj_staff", PASSWORD).await;
        web.goto(app.url(&format!("/staff/contest/entries/{finalist}")))
            .await
            .unwrap();
        let action = format!("/staff/contest/entries/{finalist}/score");
        web.find(By::Css(format!("#round option[value='{last}']")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        fill(&web, "score-value", "120").await;
        submit(&web, &action).await;
        let refused = wait_for_text_containing(&web, "#score", "应在 0 到 100 之间").await;
        assert!(refused.contains("评分"), "{refused}");
        web.screenshot(&shot("score-refused")).await.unwrap();
        web.find(By::Css(format!("#round option[value='{last}']")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        fill(&web, "score-value", "95.5").await;
        submit(&web, &action).await;
        let scored = wait_for_text_containing(&web, "#score", "决赛（满分 100）：95.5 分").await;
        assert!(scored.contains("初赛（满分 100）：91 分"), "{scored}");

        let phone = browser(&driver, tempfile::tempdir().unwrap().path()).await;
        phone.set_window_rect(0, 0, 390, 844).await.unwrap();
        phone.goto(app.url("/contest")).await.unwrap();
        let winners = wait_for_text_containing(&phone, "ol.jobs", "工控安全监测盒子").await;
        assert!(
            winners.contains("一等奖") && winners.contains("武汉理工大学"),
            "{winners}"
        );
        assert!(
            !winners.contains("园区能耗优化系统") && !winners.contains("王思远"),
            "{winners}"
        );
        let wide = phone
            .execute("return document.documentElement.scrollWidth", Vec::new())
            .await
            .unwrap()
            .convert::<i64>()
            .unwrap();
        assert!(wide <= 390, "the page is {wide} px wide on a 390 px phone");
        phone.screenshot(&shot("portal-390")).await.unwrap();
        phone.quit().await.unwrap();
        web.quit().await.unwrap();
    }
}
