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

        web.goto(app.url("/indicators/1.1.1.positions?year=2025"))
            .await
            .unwrap();
        assert_eq!(cell(&web, "径河街道", 3).await, "0.0%");
        logout(&web).await;

        // The street user logs in, changes the one-time password and lands on its own unit.
        login(&web, &app, "jinghe_staff", &one_time).await;
        change_password(&web, &one_time, "Jinghe#2025x").await;
        wait_for_path(&web, "/units/jinghe").await;
        web.find(By::Css("#q-1\\.1\\.1\\.positions a.button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        fill(&web, "value", "1050").await;
        fill(
            &web,
            "description",
            "走访临空港经济开发区企业，收集高校毕业生适用岗位",
        )
        .await;
        web.set_window_rect(0, 0, 390, 1100).await.unwrap();
        web.screenshot(&screenshots().join(format!("record-form-390-{backend}.png")))
            .await
            .unwrap();
        submit(&web, "/units/jinghe/records").await;
        wait_for_path(&web, "/units/jinghe").await;
        let positions = web
            .find(By::Css("#q-1\\.1\\.1\\.positions"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            positions.contains("1050个") && positions.contains("50.0%"),
            "{positions}"
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
        web.goto(app.url("/indicators/1.1.1.positions?year=2025"))
            .await
            .unwrap();
        assert_eq!(cell(&web, "径河街道", 3).await, "50.0%");
        let district = web
            .find(By::Css(".summary"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            district.contains("1050个") && district.contains("3.5%"),
            "{district}"
        );
        web.screenshot(&screenshots().join(format!("indicator-positions-{backend}.png")))
            .await
            .unwrap();
        web.goto(app.url("/dashboard?year=2025")).await.unwrap();
        let row = cell(&web, "1.1.1", 3).await;
        assert_eq!(row, "1050个");
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
