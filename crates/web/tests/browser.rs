//! End-to-end in a real browser (Debian's Chromium driven through chromedriver): the admin's
//! first login, a street user's first record, the dashboard following, and a refused attempt
//! on another unit. Screenshots go to target/screenshots/.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{App, spawn_apps};
use linkong_core::access::Role;
use linkong_testkit::{TestClock, skip};
use thirtyfour::prelude::*;

const CHROMIUM: &str = "/usr/bin/chromium";

/// One browser test at a time: on two cores, two browsers and four servers at once make clicks
/// land on pages still loading.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

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

// The child is handed to `Driver`, whose Drop kills and reaps it; clippy cannot see through that.
#[allow(clippy::zombie_processes)]
fn start_chromedriver() -> Option<Driver> {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        skip(
            "browser tests",
            "Debian chromium and chromium-driver are not installed",
        );
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let process = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(Driver {
                process,
                url: format!("http://127.0.0.1:{port}"),
            });
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("chromedriver did not start on port {port}");
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

async fn login(web: &WebDriver, app: &App, username: &str, password: &str) {
    web.goto(app.url("/login")).await.unwrap();
    fill(web, "username", username).await;
    fill(web, "password", password).await;
    submit(web, "/login").await;
}

/// Waits (up to 10 s) until the browser is on a page whose path ends with `suffix`.
async fn wait_for_path(web: &WebDriver, suffix: &str) {
    for _ in 0..100 {
        let url = web.current_url().await.unwrap();
        if url.path().ends_with(suffix) && web.find(By::Css("footer, main")).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "browser did not reach {suffix}: at {}",
        web.current_url().await.unwrap()
    );
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

async fn change_password(web: &WebDriver, current: &str, new: &str) {
    wait_for_path(web, "/account/password").await;
    fill(web, "current", current).await;
    fill(web, "new", new).await;
    fill(web, "confirm", new).await;
    submit(web, "/account/password").await;
}

async fn logout(web: &WebDriver) {
    web.find(By::Css("form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// The text of the table cell in `column` (1-based) of the row whose header contains `row`.
async fn cell(web: &WebDriver, row: &str, column: usize) -> String {
    for tr in web.find_all(By::Css("tbody tr")).await.unwrap() {
        let Some(th) = tr.find_all(By::Css("th")).await.unwrap().into_iter().next() else {
            continue;
        };
        if th.text().await.unwrap().contains(row) {
            return tr
                .find(By::Css(format!("td:nth-of-type({column})")))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
        }
    }
    panic!("no row {row}");
}

#[tokio::test]
async fn admin_creates_a_street_user_who_records_progress_that_the_dashboard_follows() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(driver) = start_chromedriver() else {
        return;
    };
    let clock = TestClock::at(2025, 10, 15, 2);
    for app in spawn_apps(&clock).await {
        let backend = format!("{:?}", app.db.backend).to_lowercase();
        let profile = tempfile::tempdir().unwrap();
        let web = browser(&driver, profile.path()).await;
        web.set_window_rect(0, 0, 1366, 1000).await.unwrap();

        // The first start created admin with a one-time password that must be changed.
        app.user("admin", Role::Admin, None, "OneTime#2025", true)
            .await;
        login(&web, &app, "admin", "OneTime#2025").await;
        change_password(&web, "OneTime#2025", "Admin#Strong1").await;
        wait_for_path(&web, "/dashboard").await;

        // The admin creates a street user for 径河街道.
        web.goto(app.url("/admin/users")).await.unwrap();
        fill(&web, "username", "jinghe_staff").await;
        fill(&web, "display_name", "径河街道王敏").await;
        web.find(By::Css("#role option[value='unit_staff']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        web.find(By::Css("#unit option[value='jinghe']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        submit(&web, "/admin/users").await;
        wait_for(&web, ".alert.ok").await;
        let notice = web
            .find(By::Css(".alert.ok"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let start =
            notice.find("初始密码：").expect("one-time password shown") + "初始密码：".len();
        let one_time: String = notice[start..].chars().take_while(|c| *c != '（').collect();
        web.screenshot(&screenshots().join(format!("admin-users-{backend}.png")))
            .await
            .unwrap();

        web.goto(app.url("/indicators/2.2.1.guidance?year=2025"))
            .await
            .unwrap();
        assert_eq!(cell(&web, "径河街道", 3).await, "0.0%");
        logout(&web).await;

        // The street user logs in, changes the one-time password and lands on its own unit.
        login(&web, &app, "jinghe_staff", &one_time).await;
        change_password(&web, &one_time, "Jinghe#2025x").await;
        wait_for_path(&web, "/units/jinghe").await;
        web.find(By::Css("#q-2\\.2\\.1\\.guidance a.button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        fill(&web, "value", "14").await;
        fill(
            &web,
            "description",
            "邀请返乡创业者进社区开展创业宣讲，为返区人员提供创业指导",
        )
        .await;
        web.set_window_rect(0, 0, 390, 1100).await.unwrap();
        web.screenshot(&screenshots().join(format!("record-form-390-{backend}.png")))
            .await
            .unwrap();
        submit(&web, "/units/jinghe/records").await;
        wait_for_path(&web, "/units/jinghe").await;
        // 14 of 径河's 35 人次.
        let guidance = web
            .find(By::Css("#q-2\\.2\\.1\\.guidance"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            guidance.contains("14人次") && guidance.contains("40.0%"),
            "{guidance}"
        );
        web.screenshot(&screenshots().join(format!("unit-390-{backend}.png")))
            .await
            .unwrap();

        // Another unit's form is refused, and the attempt lands in the audit log.
        web.goto(app.url("/units/changqing/records/new"))
            .await
            .unwrap();
        let refused = web
            .find(By::Css(".alert.error"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(refused.contains("只能为本单位填报进度"), "{refused}");
        let audit = app.db.store.recent_audit(1).await.unwrap();
        assert_eq!(
            (
                audit[0].action.as_str(),
                audit[0].target.as_str(),
                audit[0].actor.as_str()
            ),
            ("access.denied", "unit:changqing", "jinghe_staff")
        );
        web.set_window_rect(0, 0, 1366, 1000).await.unwrap();
        web.goto(app.url("/units/jinghe")).await.unwrap();
        logout(&web).await;

        // The admin's dashboard now shows the street's and the district's completion.
        login(&web, &app, "admin", "Admin#Strong1").await;
        wait_for_path(&web, "/dashboard").await;
        web.goto(app.url("/indicators/2.2.1.guidance?year=2025"))
            .await
            .unwrap();
        assert_eq!(cell(&web, "径河街道", 3).await, "40.0%");
        let district = web
            .find(By::Css(".summary"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // 14 of the district's 500 人次.
        assert!(
            district.contains("14人次") && district.contains("2.8%"),
            "{district}"
        );
        web.screenshot(&screenshots().join(format!("indicator-guidance-{backend}.png")))
            .await
            .unwrap();
        web.goto(app.url("/dashboard?year=2025")).await.unwrap();
        let row = cell(&web, "2.2.1", 3).await;
        assert_eq!(row, "14人次");
        web.set_window_rect(0, 0, 1366, 2400).await.unwrap();
        web.screenshot(&screenshots().join(format!("dashboard-desktop-{backend}.png")))
            .await
            .unwrap();
        web.set_window_rect(0, 0, 390, 2400).await.unwrap();
        web.screenshot(&screenshots().join(format!("dashboard-390-{backend}.png")))
            .await
            .unwrap();
        web.quit().await.unwrap();
    }
}

#[tokio::test]
async fn a_street_reports_the_quarter_and_the_task_force_returns_then_accepts_it() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(driver) = start_chromedriver() else {
        return;
    };
    // Tuesday 14 October 2025: the 2025Q3 report was due on Saturday 11 October.
    let clock = TestClock::at(2025, 10, 14, 2);
    for app in spawn_apps(&clock).await {
        let backend = format!("{:?}", app.db.backend).to_lowercase();
        let profile = tempfile::tempdir().unwrap();
        let web = browser(&driver, profile.path()).await;
        web.set_window_rect(0, 0, 1366, 1000).await.unwrap();
        app.user(
            "jinghe_staff",
            Role::UnitStaff,
            Some("jinghe"),
            "Jinghe#2025x",
            false,
        )
        .await;
        app.user("zhuanban", Role::TaskForce, None, "Zhuanban#2025", false)
            .await;
        let actor = app
            .db
            .store
            .user_by_name("jinghe_staff")
            .await
            .unwrap()
            .unwrap()
            .actor();
        let draft = linkong_core::record::RecordDraft {
            indicator_code: "2.2.1.guidance".into(),
            unit_code: "jinghe".into(),
            value: "14".into(),
            occurred_on: "2025-08-20".into(),
            description: "创业指导".into(),
        };
        app.db
            .store
            .add_record(
                &actor,
                &app.db.store.plan().await.unwrap(),
                &draft,
                None,
                None,
                "",
            )
            .await
            .unwrap();

        // The street opens its 2025Q3 report: the figures are already there.
        login(&web, &app, "jinghe_staff", "Jinghe#2025x").await;
        wait_for_path(&web, "/units/jinghe").await;
        web.goto(app.url("/reports")).await.unwrap();
        web.find(By::Css("a[href='/reports/2025Q3/jinghe']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for_path(&web, "/reports/2025Q3/jinghe").await;
        let figures = web
            .find(By::Css("section.card table"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // 14 recorded against 径河's 35 人次.
        assert!(
            figures.contains("14人次") && figures.contains("35人次"),
            "{figures}"
        );
        fill(
            &web,
            "progress",
            "第三季度组织创业宣讲 2 场，为返区人员提供创业指导 14 人次。",
        )
        .await;
        fill(&web, "problems", "部分返区人员创业意愿尚不明确。").await;
        web.find(By::Css("button[value='submit']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for_path(&web, "/reports/2025Q3/jinghe").await;
        let state = web
            .find(By::Css(".summary"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            state.contains("已报送待审核") && state.contains("逾期 2 个工作日"),
            "{state}"
        );
        logout(&web).await;

        // The task force returns it with a reason.
        login(&web, &app, "zhuanban", "Zhuanban#2025").await;
        wait_for_path(&web, "/dashboard").await;
        web.goto(app.url("/reports/2025Q3/jinghe")).await.unwrap();
        fill(&web, "comment", "请补充创业指导对象的行业分布").await;
        web.find(By::Css("button[value='return']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for_path(&web, "/reports/2025Q3/jinghe").await;
        assert!(
            web.find(By::Css(".summary"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
                .contains("已退回待修改")
        );
        logout(&web).await;

        // The street sees the reason, amends and resubmits.
        login(&web, &app, "jinghe_staff", "Jinghe#2025x").await;
        wait_for_path(&web, "/units/jinghe").await;
        web.goto(app.url("/reports/2025Q3/jinghe")).await.unwrap();
        assert!(
            web.find(By::Css(".alert.warn"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
                .contains("请补充创业指导对象的行业分布")
        );
        fill(
            &web,
            "practices",
            "创业指导对象按行业分：农产品加工 6 人次，电商直播 5 人次，餐饮 3 人次。",
        )
        .await;
        web.find(By::Css("button[value='submit']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for_path(&web, "/reports/2025Q3/jinghe").await;
        logout(&web).await;

        // The task force accepts; the reporting-rate table shows 径河 late by two working days.
        login(&web, &app, "zhuanban", "Zhuanban#2025").await;
        wait_for_path(&web, "/dashboard").await;
        web.goto(app.url("/reports/2025Q3/jinghe")).await.unwrap();
        web.find(By::Css("button[value='accept']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for_path(&web, "/reports/2025Q3/jinghe").await;
        let state = web
            .find(By::Css(".summary"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(state.contains("已通过"), "{state}");
        let history = web
            .find(By::Css(".history"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(history.matches("报送").count(), 2, "{history}");
        web.screenshot(&screenshots().join(format!("report-accepted-{backend}.png")))
            .await
            .unwrap();
        web.goto(app.url("/reports?year=2025")).await.unwrap();
        let jinghe = cell(&web, "径河街道", 3).await;
        assert!(
            jinghe.contains("逾期 2 个工作日") && jinghe.contains("已通过"),
            "{jinghe}"
        );
        assert!(cell(&web, "长青街道", 3).await.contains("逾期未报"));
        assert!(cell(&web, "长青街道", 4).await.contains("未到期"));
        web.set_window_rect(0, 0, 1366, 2000).await.unwrap();
        web.screenshot(&screenshots().join(format!("reporting-rates-{backend}.png")))
            .await
            .unwrap();
        web.quit().await.unwrap();
    }
}
