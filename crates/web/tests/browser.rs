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
    wait_for(web, &format!("#{id}")).await;
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
    linkong_testkit::ensure_factor_of(&app.db, username).await;
    web.goto(app.url("/login")).await.unwrap();
    fill(web, "username", username).await;
    fill(web, "password", password).await;
    submit(web, "/login").await;
    for _ in 0..100 {
        let path = web.current_url().await.unwrap().path().to_owned();
        if path == "/login/code" {
            // Admins and the task force: the code their authenticator shows now.
            fill(
                web,
                "code",
                &linkong_testkit::factor_code(&app.db, username),
            )
            .await;
            submit(web, "/login/code").await;
            for _ in 0..100 {
                if web.current_url().await.unwrap().path() != "/login/code" {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            return;
        } else if path != "/login" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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

/// Logs out and waits for the login page, so that the next navigation does not race the
/// logout's redirect.
async fn logout(web: &WebDriver) {
    // The page may still be replacing itself (a redirect landing): find the button afresh until
    // a click takes.
    for _ in 0..100 {
        if let Ok(button) = web.find(By::Css("form[action='/logout'] button")).await
            && button.click().await.is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_for_path(web, "/login").await;
}

/// Waits (up to 10 s) until the element's text contains `part`; returns the text. Survives the
/// page being replaced while it looks.
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
        click(&web, "button[value='submit']").await;
        // The page's path stays the same: wait for the submitted state itself.
        let state = wait_for_text_containing(&web, ".summary", "已报送待审核").await;
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
        click(&web, "button[value='return']").await;
        wait_for_text_containing(&web, ".summary", "已退回待修改").await;
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
        click(&web, "button[value='submit']").await;
        wait_for_text_containing(&web, ".summary", "已报送待审核").await;
        logout(&web).await;

        // The task force accepts; the reporting-rate table shows 径河 late by two working days.
        login(&web, &app, "zhuanban", "Zhuanban#2025").await;
        wait_for_path(&web, "/dashboard").await;
        web.goto(app.url("/reports/2025Q3/jinghe")).await.unwrap();
        click(&web, "button[value='accept']").await;
        wait_for_text_containing(&web, ".summary", "已通过").await;
        let history = wait_for_text_containing(&web, ".history", "报送").await;
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

async fn click(web: &WebDriver, css: &str) {
    wait_for(web, css).await;
    // Survives the page being replaced between finding and clicking.
    for _ in 0..50 {
        if let Ok(found) = web.find(By::Css(css)).await
            && found.click().await.is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "could not click {css} on {}",
        web.current_url().await.unwrap()
    );
}

async fn select(web: &WebDriver, id: &str, value: &str) {
    click(web, &format!("#{id} option[value='{value}']")).await;
}

async fn text(web: &WebDriver, css: &str) -> String {
    wait_for_text_containing(web, css, "").await
}

/// Waits (up to 10 s) until the element's text is `expected`.
async fn wait_for_text(web: &WebDriver, css: &str, expected: &str) {
    for _ in 0..100 {
        if let Ok(found) = web.find(By::Css(css)).await
            && found.text().await.is_ok_and(|t| t == expected)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "{css} never read “{expected}” on {}",
        web.current_url().await.unwrap()
    );
}

/// 径河街道's positions on the indicator page (1.1.1), as the task force sees them.
async fn jinghe_positions(web: &WebDriver, app: &App) -> String {
    web.goto(app.url("/indicators/1.1.1.positions?year=2025"))
        .await
        .unwrap();
    cell(web, "径河街道", 2).await
}

#[tokio::test]
async fn an_employer_posts_a_reviewer_publishes_a_graduate_finds_applies_and_is_hired() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(driver) = start_chromedriver() else {
        return;
    };
    let clock = TestClock::at(2025, 10, 15, 2);
    for app in spawn_apps(&clock).await {
        let backend = format!("{:?}", app.db.backend).to_lowercase();
        let shot = |name: &str| screenshots().join(format!("jobs-{name}-{backend}.png"));
        let profile = tempfile::tempdir().unwrap();
        let web = browser(&driver, profile.path()).await;
        web.set_window_rect(0, 0, 1280, 1000).await.unwrap();
        app.user("shenhe", Role::Reviewer, None, "Review#2025x", false)
            .await;
        app.user("zhuanban", Role::TaskForce, None, "Task#2025xx", false)
            .await;

        login(&web, &app, "zhuanban", "Task#2025xx").await;
        wait_for_path(&web, "/dashboard").await;
        assert_eq!(jinghe_positions(&web, &app).await, "0个");
        logout(&web).await;

        // An employer registers itself.
        web.goto(app.url("/employers/register")).await.unwrap();
        fill(&web, "uscc", "91350100M000100Y43").await;
        fill(&web, "name", "武汉临空港财税服务有限公司").await;
        select(&web, "industry_section", "L").await;
        select(&web, "street_code", "jinghe").await;
        fill(&web, "contact_name", "刘娟").await;
        fill(&web, "contact_phone", "13871234567").await;
        fill(&web, "username", "caishui").await;
        fill(&web, "password", "Caishui#2025").await;
        submit(&web, "/employers/register").await;
        wait_for(&web, ".alert.ok").await;

        // The reviewer verifies it.
        login(&web, &app, "shenhe", "Review#2025x").await;
        web.goto(app.url("/review/employers")).await.unwrap();
        click(&web, "button[value='verify']").await;
        wait_for(&web, "main").await;
        logout(&web).await;

        // The employer submits a post; a gender preference gives it a risk reason.
        login(&web, &app, "caishui", "Caishui#2025").await;
        wait_for_path(&web, "/employer").await;
        click(&web, "a[href='/employer/posts/new']").await;
        fill(&web, "title", "财务会计（应届）").await;
        fill(
            &web,
            "description",
            "负责凭证录入、账务处理和纳税申报，协助编制月度报表。会计学相关专业，男性优先。",
        )
        .await;
        select(&web, "industry_section", "L").await;
        select(&web, "leading_industry", "other").await;
        fill(&web, "positions", "7").await;
        select(&web, "education", "bachelor").await;
        select(&web, "experience", "fresh").await;
        fill(&web, "salary_min", "5000").await;
        fill(&web, "salary_max", "7000").await;
        select(&web, "street_code", "jinghe").await;
        fill(&web, "contact_name", "刘娟").await;
        fill(&web, "contact_phone", "13871234567").await;
        select(&web, "raised_by", "jinghe").await;
        click(&web, "button[value='submit']").await;
        wait_for_path(&web, "/employer").await;
        wait_for_text_containing(&web, "td[data-label='状态']", "待审核").await;
        logout(&web).await;

        // The reviewer sees the risk reason with its source and publishes.
        login(&web, &app, "shenhe", "Review#2025x").await;
        web.goto(app.url("/review/posts")).await.unwrap();
        let reasons = text(&web, "ul.reasons").await;
        assert!(
            reasons.contains("按性别、民族、户籍等设置歧视性条件"),
            "{reasons}"
        );
        assert!(reasons.contains("含“男性优先”"), "{reasons}");
        assert!(
            reasons.contains("就业促进法"),
            "the rule's source is shown: {reasons}"
        );
        web.screenshot(&shot("review")).await.unwrap();
        let note = web
            .find(By::Css("section[data-post] textarea"))
            .await
            .unwrap();
        note.send_keys("已电话提醒删除“男性优先”，其余内容属实")
            .await
            .unwrap();
        click(&web, "button[value='publish']").await;
        wait_for(&web, "main").await;
        wait_for_text_containing(&web, "main", "没有待审核的岗位").await;
        logout(&web).await;

        // An anonymous visitor on a phone finds it by a two-character word.
        web.set_window_rect(0, 0, 390, 844).await.unwrap();
        web.goto(app.url("/jobs")).await.unwrap();
        fill(&web, "q", "会计").await;
        click(&web, "form[role='search'] .searchbar button").await;
        // The unsearched list shows the same post: wait for the searched page's highlight.
        wait_for(&web, "ol.jobs li .job-title mark").await;
        let hit = text(&web, "ol.jobs li .job-title").await;
        assert_eq!(hit, "财务会计（应届）");
        let marked = web
            .find(By::Css("ol.jobs li .job-title mark"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(marked, "会计");
        let width: i64 = web
            .execute("return document.documentElement.scrollWidth", Vec::new())
            .await
            .unwrap()
            .convert()
            .unwrap();
        assert!(width <= 390, "no sideways scrolling on a phone: {width}px");
        web.screenshot(&shot("search-390")).await.unwrap();

        // A graduate registers from the post and applies.
        click(&web, "ol.jobs li .job-title").await;
        click(&web, "form[action$='/apply'] button").await;
        wait_for_path(&web, "/me/login").await;
        click(&web, "a[href^='/me/register']").await;
        fill(&web, "phone", "13700001234").await;
        fill(&web, "name", "张伟").await;
        fill(&web, "password", "Graduate#2025").await;
        submit(&web, "/me/register").await;
        click(&web, "form[action$='/apply'] button").await;
        wait_for(&web, ".alert.ok").await;
        web.screenshot(&shot("applied-390")).await.unwrap();
        web.goto(app.url("/me")).await.unwrap();
        wait_for_text_containing(&web, ".plain-list", "已投递").await;
        logout(&web).await;

        // The employer moves the application to hired.
        web.set_window_rect(0, 0, 1280, 1000).await.unwrap();
        login(&web, &app, "caishui", "Caishui#2025").await;
        wait_for_path(&web, "/employer").await;
        for (step, label) in [
            ("viewed", "已查看"),
            ("interview", "邀请面试"),
            ("offer", "已发录用通知"),
            ("hired", "已录用"),
        ] {
            click(&web, &format!("#applications button[value='{step}']")).await;
            wait_for_text(&web, "#applications .badge", label).await;
        }
        web.screenshot(&shot("employer")).await.unwrap();
        logout(&web).await;

        // The graduate sees the status; the street's positions grew by the post's headcount.
        web.goto(app.url("/me/login")).await.unwrap();
        fill(&web, "phone", "13700001234").await;
        fill(&web, "password", "Graduate#2025").await;
        submit(&web, "/me/login").await;
        wait_for_path(&web, "/me").await;
        wait_for_text_containing(&web, ".plain-list", "已录用").await;
        logout(&web).await;
        login(&web, &app, "zhuanban", "Task#2025xx").await;
        wait_for_path(&web, "/dashboard").await;
        assert_eq!(jinghe_positions(&web, &app).await, "7个");
        web.screenshot(&shot("indicator")).await.unwrap();
        web.quit().await.unwrap();
    }
}

/// The session cookie of the browser, to fetch a download the way the browser would.
async fn session_header(web: &WebDriver) -> String {
    web.get_all_cookies()
        .await
        .unwrap()
        .iter()
        .map(|c| format!("{}={}", c.name, c.value))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Uploads `file` on the roster's import page and waits for the import's end; returns the page.
async fn import_roster(web: &WebDriver, app: &App, base: &str, file: &Path) -> String {
    web.goto(app.url(&format!("{base}/import"))).await.unwrap();
    wait_for(web, "#file").await;
    web.find(By::Id("file"))
        .await
        .unwrap()
        .send_keys(file.display().to_string())
        .await
        .unwrap();
    submit(web, &format!("{base}/import")).await;
    for _ in 0..300 {
        if let Ok(main) = web.find(By::Css("main h1")).await
            && main.text().await.is_ok_and(|t| t.starts_with("导入："))
            && web.find(By::Css("main .alert")).await.is_ok()
        {
            return web
                .find(By::Css("main"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the import never finished: {}", web.source().await.unwrap());
}

/// 径河街道's placement rate on the roster page.
async fn jinghe_rate(web: &WebDriver, app: &App) -> String {
    web.goto(app.url("/people/graduates?year=2025"))
        .await
        .unwrap();
    text(web, "tr[data-street='jinghe'] td[data-label='落实率']").await
}

#[tokio::test]
async fn a_street_imports_graduates_fixes_the_error_workbook_serves_and_places_them() {
    use calamine::{Data, Reader, Xlsx};
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(driver) = start_chromedriver() else {
        return;
    };
    let clock = TestClock::at(2025, 10, 15, 2);
    for app in spawn_apps(&clock).await {
        let backend = format!("{:?}", app.db.backend).to_lowercase();
        let shot = |name: &str| screenshots().join(format!("people-{name}-{backend}.png"));
        let files = tempfile::tempdir().unwrap();
        let profile = tempfile::tempdir().unwrap();
        let web = browser(&driver, profile.path()).await;
        web.set_window_rect(0, 0, 1280, 1000).await.unwrap();
        app.user(
            "jinghe01",
            Role::UnitStaff,
            Some("jinghe"),
            "Street#2025x",
            false,
        )
        .await;
        app.user("zhuanban", Role::TaskForce, None, "Task#2025xx", false)
            .await;

        // A roster of four with two bad rows: a wrong check digit, a street not in the district.
        let ids: Vec<String> = (1..=4).map(linkong_testkit::resident_id_for).collect();
        let mut wrong = ids[1].clone();
        let last = wrong.pop().unwrap();
        wrong.push(if last == '1' { '2' } else { '1' });
        let mut csv = String::from(
            "姓名,身份证号码,手机号码,户籍街道,毕业院校,专业,学历,毕业日期,求职意向\n",
        );
        for (i, (id, street)) in [
            (ids[0].as_str(), "径河"),
            (wrong.as_str(), "径河"),
            (ids[2].as_str(), "汉口"),
            (ids[3].as_str(), "径河街道"),
        ]
        .into_iter()
        .enumerate()
        {
            csv.push_str(&format!(
                "毕业生{},{id},1380000000{},{street},江汉大学,会计学,本科,2025年6月30日,财务\n",
                i + 1,
                i + 1
            ));
        }
        let roster = files.path().join("graduates-2025.csv");
        std::fs::write(&roster, csv).unwrap();

        login(&web, &app, "jinghe01", "Street#2025x").await;
        let refused = import_roster(&web, &app, "/people/graduates", &roster).await;
        assert!(refused.contains("未导入"), "{refused}");
        assert!(refused.contains("第3行B列“身份证号码”"), "{refused}");
        assert!(refused.contains("第4行D列“户籍街道”"), "{refused}");
        web.screenshot(&shot("import-refused")).await.unwrap();
        let href = web
            .find(By::Css("a[href$='/errors.xlsx']"))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        web.goto(app.url("/people/graduates?year=2025"))
            .await
            .unwrap();
        wait_for_text_containing(&web, "main", "本年度尚无名册").await;

        // The error workbook, fetched as the browser's link gives it, then fixed in place.
        let bytes = reqwest::Client::new()
            .get(app.url(&href))
            .header("Cookie", session_header(&web).await)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
        let rows: Vec<Vec<String>> = sheet
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Data::Empty => String::new(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect();
        assert_eq!(rows[0][0], "错误说明");
        assert!(rows[2][0].contains("校验位"), "{:?}", rows[2]);
        assert!(rows[3][0].contains("汉口"), "{:?}", rows[3]);
        assert!(rows[1][0].is_empty(), "a good row has no message");
        let mut fixed = rust_xlsxwriter::Workbook::new();
        let text_format = rust_xlsxwriter::Format::new().set_num_format("@");
        let out = fixed.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                let value = match (r, c) {
                    (2, 2) => ids[1].clone(),
                    (3, 4) => "径河".to_owned(),
                    _ => value.clone(),
                };
                out.write_string_with_format(r as u32, c as u16, value, &text_format)
                    .unwrap();
            }
        }
        let fixed_path = files.path().join("graduates-2025-fixed.xlsx");
        fixed.save(&fixed_path).unwrap();
        let done = import_roster(&web, &app, "/people/graduates", &fixed_path).await;
        assert!(done.contains("导入完成"), "{done}");
        assert!(done.contains("新增 4 人"), "{done}");
        web.screenshot(&shot("import-done")).await.unwrap();
        assert_eq!(jinghe_rate(&web, &app).await, "0.00%");

        // The 1131 services and a placement for the first graduate.
        click(&web, "td[data-label='姓名'] a[href^='/people/graduates/']").await;
        wait_for(&web, "form[action$='/services']").await;
        for item in ["policy", "guidance"] {
            select(&web, "item", item).await;
            web.find(By::Css("form[action$='/services'] button[type='submit']"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for(&web, ".alert.ok").await;
        }
        let progress = text(&web, "section[aria-labelledby='svc'] ul.steps").await;
        assert!(progress.contains("政策宣讲 1/1"), "{progress}");
        assert!(progress.contains("职业指导 1/1"), "{progress}");
        assert!(progress.contains("岗位推荐 0/3"), "{progress}");
        select(&web, "placement", "employed").await;
        web.execute(
            "document.getElementById('placed_on').value = '2025-10-12';",
            Vec::new(),
        )
        .await
        .unwrap();
        fill(&web, "evidence", "劳动合同（武汉某科技有限公司）").await;
        web.find(By::Css("form[action$='/placement'] button[type='submit']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_for_text_containing(&web, "#placement-now", "单位就业").await;
        web.screenshot(&shot("graduate")).await.unwrap();
        assert_eq!(jinghe_rate(&web, &app).await, "25.00%");
        web.screenshot(&shot("graduates")).await.unwrap();
        logout(&web).await;

        // The task force sees the street's rate on indicator 1.1.4.
        login(&web, &app, "zhuanban", "Task#2025xx").await;
        web.goto(app.url("/indicators/1.1.4.placement_rate?year=2025"))
            .await
            .unwrap();
        let jinghe = cell(&web, "径河街道", 2).await;
        assert!(jinghe.starts_with("25"), "{jinghe}");
        web.screenshot(&shot("indicator")).await.unwrap();
        web.quit().await.unwrap();
    }
}

/// Sets a date field (the browser's date picker takes no typed ISO date).
async fn set_date(web: &WebDriver, id: &str, day: &str) {
    wait_for(web, &format!("#{id}")).await;
    web.execute(
        "document.getElementById(arguments[0]).value = arguments[1];",
        vec![serde_json::json!(id), serde_json::json!(day)],
    )
    .await
    .unwrap();
}

/// A returnee of 径河 in the out-migrant registry, and a public e-commerce expert of 商务局.
async fn returnee_and_expert(app: &App) -> i64 {
    use linkong_core::experts::ExpertDraft;
    use linkong_core::people::{MigrantDraft, PersonDraft, validate_migrant};
    use linkong_store::people::{ImportRow, RowData};
    let plan = linkong_core::plan::Plan::parse(linkong_testkit::PLAN_FILE).unwrap();
    let draft = MigrantDraft {
        person: PersonDraft {
            name: "吴返乡".into(),
            id_number: linkong_testkit::resident_id_for(1),
            street: "径河".into(),
            ..Default::default()
        },
        province: "广东".into(),
        city: "深圳".into(),
        section: "I".into(),
        years_away: "6".into(),
        intention: "返区创业".into(),
        business_field: "直播电商".into(),
        contact_consent: "是".into(),
        surveyed_on: "2025-02-01".into(),
        ..Default::default()
    };
    let today = linkong_testkit::date(2025, 10, 15);
    let row = ImportRow {
        row: 2,
        sealed: None,
        data: RowData::Migrant(validate_migrant(&plan, &draft, today).unwrap()),
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
    let swj = linkong_testkit::account(store, "swj_seed", Role::UnitStaff, Some("swj")).await;
    let expert = ExpertDraft {
        name: "周电商".into(),
        field: "ecommerce".into(),
        organisation: "临空港直播基地".into(),
        title: "运营总监".into(),
        services: vec!["marketing".into(), "branding".into()],
        availability: "周末".into(),
        phone: "13812345678".into(),
        intro: "带过三十个农产品直播间".into(),
        consents: vec![
            "name".into(),
            "field".into(),
            "services".into(),
            "intro".into(),
        ],
        status: String::new(),
    };
    store.add_expert(&plan, &swj, &expert, "").await.unwrap()
}

#[tokio::test]
async fn a_returnee_asks_for_an_expert_on_a_phone_the_window_refers_and_the_department_closes_it() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(driver) = start_chromedriver() else {
        return;
    };
    let clock = TestClock::at(2025, 10, 15, 2);
    for app in spawn_apps(&clock).await {
        let backend = format!("{:?}", app.db.backend).to_lowercase();
        let shot = |name: &str| screenshots().join(format!("window-{name}-{backend}.png"));
        let expert = returnee_and_expert(&app).await;
        for (user, unit) in [("xzspj01", "xzspj"), ("nyncj01", "nyncj"), ("swj01", "swj")] {
            app.user(user, Role::UnitStaff, Some(unit), "Window#2025x", false)
                .await;
        }
        app.user(
            "jinghe01",
            Role::UnitStaff,
            Some("jinghe"),
            "Window#2025x",
            false,
        )
        .await;
        let profile = tempfile::tempdir().unwrap();
        let web = browser(&driver, profile.path()).await;

        // On a phone: the expert list, the profile, and the question to the window.
        web.set_window_rect(0, 0, 390, 1100).await.unwrap();
        web.goto(app.url("/experts")).await.unwrap();
        click(&web, &format!("a[href='/experts/{expert}']")).await;
        wait_for_text_containing(&web, "article", "带过三十个").await;
        assert!(
            !web.source().await.unwrap().contains("直播基地"),
            "not agreed to"
        );
        web.screenshot(&shot("expert-390")).await.unwrap();
        click(&web, &format!("a[href='/window/ask?expert={expert}']")).await;
        wait_for_path(&web, "/window/ask").await;
        fill(&web, "name", "吴返乡").await;
        fill(&web, "phone", "13900001234").await;
        select(&web, "street", "jinghe").await;
        submit(&web, "/window/ask").await;
        wait_for_text_containing(&web, ".alert.ok", "已收到您的问题").await;
        let wide = web
            .execute("return document.documentElement.scrollWidth", Vec::new())
            .await
            .unwrap();
        assert!(
            wide.json().as_i64().unwrap() <= 390,
            "no sideways scrolling"
        );
        web.screenshot(&shot("ask-390")).await.unwrap();
        web.set_window_rect(0, 0, 1280, 1000).await.unwrap();

        // The window answers and refers it to 农业农村局 with a due date.
        login(&web, &app, "xzspj01", "Window#2025x").await;
        web.goto(app.url("/staff/window?listed=awaiting"))
            .await
            .unwrap();
        click(&web, "tbody a[href^='/staff/window/']").await;
        wait_for(&web, "form[action$='/answer']").await;
        fill(
            &web,
            "answer",
            "已电话联系，安排周电商专家指导直播选品；用地问题转农业农村局。",
        )
        .await;
        select(&web, "referred_to", "nyncj").await;
        set_date(&web, "due_on", "2025-10-25").await;
        submit(
            &web,
            &format!("{}/answer", web.current_url().await.unwrap().path()),
        )
        .await;
        wait_for_text_containing(&web, "#visit-h", "转办中").await;
        web.screenshot(&shot("answered")).await.unwrap();
        logout(&web).await;

        // 农业农村局 follows it up and closes it.
        login(&web, &app, "nyncj01", "Window#2025x").await;
        web.goto(app.url("/staff/window?listed=mine"))
            .await
            .unwrap();
        click(&web, "tbody a[href^='/staff/window/']").await;
        wait_for(&web, "form[action$='/follow-up']").await;
        set_date(&web, "done_on", "2025-10-15").await;
        fill(&web, "note", "现场查看地块，讲解设施农用地政策").await;
        click(&web, "input[name='close']").await;
        fill(&web, "result", "已完成设施农用地备案指导").await;
        submit(
            &web,
            &format!("{}/follow-up", web.current_url().await.unwrap().path()),
        )
        .await;
        wait_for_text_containing(&web, "#visit-h", "已办结").await;
        logout(&web).await;

        // 商务局 records the expert's service to the returnee.
        login(&web, &app, "swj01", "Window#2025x").await;
        record_expert_service(&web, &app, expert, "2025-10-15", "完成直播间选品和首场试播").await;
        logout(&web).await;

        // The returnee's page at their street shows the expert's service.
        login(&web, &app, "jinghe01", "Window#2025x").await;
        web.goto(app.url("/people/migrants")).await.unwrap();
        click(&web, "tbody a[href^='/people/migrants/']").await;
        let support =
            wait_for_text_containing(&web, "section[aria-labelledby='support']", "周电商").await;
        assert!(support.contains("市场营销"), "{support}");
        web.screenshot(&shot("person")).await.unwrap();
        web.quit().await.unwrap();
    }
}

/// Task 2.5.1 in the browser: a street records a promotion event in Shenzhen, picks everyone of
/// its registry working in 广东/浙江/江苏 who wants to start a business, invites them, and after
/// the event records who came; the portal announces the event, the person's page shows it.
#[tokio::test]
async fn a_street_invites_its_people_on_the_coast_to_a_promotion_event_and_records_who_came() {
    use linkong_core::access::Roster;
    use linkong_core::people::{MigrantDraft, PersonDraft, validate_migrant};
    use linkong_store::people::{ImportRow, RowData};
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(driver) = start_chromedriver() else {
        return;
    };
    let clock = TestClock::at(2025, 10, 10, 2);
    let start = clock.now();
    for app in spawn_apps(&clock).await {
        app.db.clock.set(start);
        let backend = format!("{:?}", app.db.backend).to_lowercase();
        let shot = |name: &str| screenshots().join(format!("promotion-{name}-{backend}.png"));
        let plan = app.db.store.plan().await.unwrap();
        let rows = [(1, "广东"), (2, "浙江"), (3, "四川")]
            .iter()
            .map(|(n, province)| {
                let draft = MigrantDraft {
                    person: PersonDraft {
                        name: format!("在外能人{n}"),
                        id_number: linkong_testkit::resident_id_for(*n),
                        phone: format!("1390000{n:04}"),
                        street: "径河".into(),
                        ..Default::default()
                    },
                    province: (*province).into(),
                    city: "某市".into(),
                    section: "C".into(),
                    years_away: "8".into(),
                    intention: "返区创业".into(),
                    business_field: "智能制造".into(),
                    contact_consent: "是".into(),
                    surveyed_on: "2025-03-01".into(),
                    ..Default::default()
                };
                let today = linkong_testkit::date(2025, 10, 10);
                ImportRow {
                    row: n + 1,
                    sealed: None,
                    data: RowData::Migrant(validate_migrant(&plan, &draft, today).unwrap()),
                }
            })
            .collect();
        linkong_testkit::import_rows(&app.db.store, "rsj", Roster::Migrants, rows, true)
            .await
            .unwrap()
            .unwrap();
        app.user(
            "jinghe_tj",
            Role::UnitStaff,
            Some("jinghe"),
            "Promote#2025",
            false,
        )
        .await;
        let profile = tempfile::tempdir().unwrap();
        let web = browser(&driver, profile.path()).await;
        web.set_window_rect(0, 0, 1280, 1000).await.unwrap();
        login(&web, &app, "jinghe_tj", "Promote#2025").await;

        // The event, held in Shenzhen: a coastal, economically developed region.
        let path = hold_promotion_event_in_shenzhen(&web, &app, "2025-11-08").await;

        // Everyone of 径河 working in 广东/浙江/江苏 who wants to start a business.
        click(&web, "input[name='intention'][value='business']").await;
        fill(&web, "provinces", "广东 浙江 江苏").await;
        click(&web, "form[role='search'] button").await;
        wait_for_text_containing(&web, "p[role='status']", "符合条件 2 人").await;
        web.screenshot(&shot("filter")).await.unwrap();
        click(&web, "#invite-all").await;
        wait_for_text_containing(&web, ".alert.ok", "已邀约 2 人").await;
        web.screenshot(&shot("invited")).await.unwrap();

        // The portal announces it, with place and date.
        web.goto(app.url("/events")).await.unwrap();
        wait_for_text_containing(&web, "#upcoming + ol", "广东省深圳（沿海经济发达地区）").await;
        web.screenshot(&shot("portal")).await.unwrap();

        // After the event (the session has timed out meanwhile): who came, and their intention.
        let after = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2025, 11, 10, 2, 0, 0);
        app.db.clock.set(after.unwrap());
        login(&web, &app, "jinghe_tj", "Promote#2025").await;
        let person = record_first_invitee_came(&web, &app, &path).await;
        web.screenshot(&shot("attendance")).await.unwrap();
        web.goto(app.url(&format!("/people/migrants/{person}")))
            .await
            .unwrap();
        wait_for_text_containing(&web, "#promotions + ul", "参加 · 有意向返乡创业").await;
        web.screenshot(&shot("person")).await.unwrap();
        web.quit().await.unwrap();
    }
}

/// A returnee business of 慈惠 and 慈惠's returnee park with two places, one taken; the park's id
/// and the business's.
async fn seed_carrier(app: &App) -> (i64, i64) {
    use linkong_core::people::{MigrantDraft, PersonDraft, validate_migrant};
    let store = &app.db.store;
    let plan = store.plan().await.unwrap();
    let rows = (1..=2)
        .map(|n| {
            let draft = MigrantDraft {
                person: PersonDraft {
                    name: format!("创业者{n}"),
                    id_number: linkong_testkit::resident_id_for(n),
                    street: "慈惠".into(),
                    ..Default::default()
                },
                province: "广东".into(),
                city: "东莞".into(),
                section: "F".into(),
                years_away: "4".into(),
                intention: "返区创业".into(),
                business_field: "直播电商".into(),
                contact_consent: "是".into(),
                surveyed_on: "2025-02-01".into(),
                ..Default::default()
            };
            let valid = validate_migrant(&plan, &draft, linkong_testkit::date(2025, 10, 10));
            linkong_store::people::ImportRow {
                row: n + 1,
                sealed: None,
                data: linkong_store::people::RowData::Migrant(valid.unwrap()),
            }
        })
        .collect();
    let roster = linkong_core::access::Roster::Migrants;
    linkong_testkit::import_rows(store, "rsj", roster, rows, true)
        .await
        .unwrap()
        .unwrap();
    let rsj = linkong_testkit::account(store, "rsj01", Role::UnitStaff, Some("rsj")).await;
    let mut businesses = Vec::new();
    for n in 1..=2 {
        let draft = linkong_core::businesses::BusinessDraft {
            name: format!("慈惠返乡直播{n}号店"),
            uscc: linkong_testkit::uscc_for(n),
            licensed_on: "2025-03-01".into(),
            legal_form: "individual_business".into(),
            section: "F".into(),
            forms: vec!["live_commerce".into()],
            street: "cihui".into(),
            site: String::new(),
            founders: linkong_testkit::resident_id_for(n),
            keep_founders: false,
        };
        businesses.push(
            store
                .save_business(&plan, &rsj, None, &draft, "")
                .await
                .unwrap(),
        );
    }
    let park = linkong_core::carriers::CarrierDraft {
        kind: "returnee_park".into(),
        name: "慈惠返乡创业园".into(),
        operator: "东西湖区农业发展投资有限公司".into(),
        address: "慈惠街道沿江大道 8 号".into(),
        street: "cihui".into(),
        area: "3000".into(),
        places: "2".into(),
        rent: "8".into(),
        rent_note: "返乡创业项目前两年租金减半".into(),
        services: "工商注册代办、电商直播培训".into(),
        level: "district".into(),
        contact: "园区服务中心".into(),
        phone: "027-83211234".into(),
    };
    let id = store
        .save_carrier(&plan, &rsj, None, &park, "")
        .await
        .unwrap();
    let first = businesses[0].to_string();
    store
        .move_in(&plan, &rsj, id, (&first, "2025-04-01"), "")
        .await
        .unwrap();
    (id, businesses[1])
}

/// 慈惠's staff move a returnee business into the street's park on its page, which fills it;
/// a returnee on a phone finds the park on the portal, now without a free place.
#[tokio::test]
async fn a_street_moves_a_business_into_its_park_and_a_returnee_sees_the_vacancies_on_a_phone() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(driver) = start_chromedriver() else {
        return;
    };
    for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
        let backend = format!("{:?}", app.db.backend).to_lowercase();
        let shot = |name: &str| screenshots().join(format!("carriers-{name}-{backend}.png"));
        let (park, business) = seed_carrier(&app).await;
        let profile = tempfile::tempdir().unwrap();
        let web = browser(&driver, profile.path()).await;
        web.set_window_rect(0, 0, 1280, 1200).await.unwrap();
        app.user(
            "cihui_staff",
            Role::UnitStaff,
            Some("cihui"),
            "Cihui#2025xx",
            false,
        )
        .await;
        login(&web, &app, "cihui_staff", "Cihui#2025xx").await;
        web.goto(app.url(&format!("/staff/carriers/{park}")))
            .await
            .unwrap();
        select(&web, "business", &business.to_string()).await;
        web.execute(
            "document.getElementById('moved_in_on').value = '2025-06-01'",
            Vec::new(),
        )
        .await
        .unwrap();
        submit(&web, &format!("/staff/carriers/{park}/residents")).await;
        // Wait for the answer to the move-in, not for the form still showing (it names the
        // business as a choice before the refusal comes back).
        let residents = wait_for_text_containing(&web, "#residents", "载体已满").await;
        assert!(residents.contains("慈惠返乡直播2号店"), "{residents}");
        web.screenshot(&shot("staff")).await.unwrap();
        logout(&web).await;

        web.set_window_rect(0, 0, 390, 844).await.unwrap();
        web.goto(app.url("/carriers")).await.unwrap();
        select(&web, "street", "cihui").await;
        click(&web, "form[action='/carriers'] button[type='submit']").await;
        let list = wait_for_text_containing(&web, "ol.jobs", "慈惠返乡创业园").await;
        assert!(list.contains("暂无空余"), "{list}");
        web.screenshot(&shot("portal-390")).await.unwrap();
        click(&web, "a.job-title").await;
        wait_for_text_containing(&web, "article", "027-83211234").await;
        web.screenshot(&shot("portal-detail-390")).await.unwrap();
        web.quit().await.unwrap();
    }
}

/// What a returnee's path needs before anyone acts: 吴返乡 of 径河 working in 深圳 who wants to
/// start a business, an e-commerce expert of 商务局, a published project of the library
/// collected by 商务局, and 径河's incubation base with free places: (expert, project, carrier).
async fn seed_returnee_path(app: &App) -> (i64, i64, i64) {
    use linkong_core::projects::{ProjectDraft, ProjectStep};
    let store = &app.db.store;
    let plan = store.plan().await.unwrap();
    let expert = returnee_and_expert(app).await;
    let swj = linkong_testkit::account(store, "swj_lib", Role::UnitStaff, Some("swj")).await;
    let rsj = linkong_testkit::account(store, "rsj_lib", Role::UnitStaff, Some("rsj")).await;
    let draft = ProjectDraft {
        name: "农产品直播间".into(),
        section: "F".into(),
        investment_min: "5".into(),
        investment_max: "20".into(),
        expected_jobs: "4".into(),
        outlook: "东西湖蔬菜和水产线上销售增长快。".into(),
        site_needs: "直播间 40 平方米".into(),
        policies: "一次性创业补贴".into(),
        source_unit: "swj".into(),
        agricultural: false,
    };
    let project = store
        .save_project(&plan, &swj, None, &draft, "")
        .await
        .unwrap();
    for step in [ProjectStep::ScreenIn, ProjectStep::Publish] {
        store
            .move_project(&plan, &rsj, project, &step, "")
            .await
            .unwrap();
    }
    let base = linkong_core::carriers::CarrierDraft {
        kind: "incubation_base".into(),
        name: "径河电商孵化基地".into(),
        operator: "径河街道集体资产公司".into(),
        address: "径河街道临空港大道 18 号".into(),
        street: "jinghe".into(),
        area: "1200".into(),
        places: "20".into(),
        rent: "0".into(),
        rent_note: "返区创业项目首年免租".into(),
        services: "直播间、工商注册代办".into(),
        level: "district".into(),
        contact: "基地服务台".into(),
        phone: "027-83999999".into(),
    };
    let carrier = store
        .save_carrier(&plan, &rsj, None, &base, "")
        .await
        .unwrap();
    (expert, project, carrier)
}

/// The figure in the dashboard's 累计完成 column for the indicator `code`.
async fn dashboard_figure(web: &WebDriver, code: &str) -> String {
    let xpath =
        format!("//tr[td/a[starts-with(@href, '/indicators/{code}?')]]/td[@data-label='累计完成']");
    web.find(By::XPath(xpath))
        .await
        .unwrap_or_else(|_| panic!("{code} on the dashboard"))
        .text()
        .await
        .unwrap()
}

/// Signs `username` in again after the clock jumped past the session's life.
async fn sign_in_at(web: &WebDriver, app: &App, at: (u32, u32), username: &str) {
    let when = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2025, at.0, at.1, 2, 0, 0);
    app.db.clock.set(when.unwrap());
    login(web, app, username, "Path#2025xx").await;
}

/// Issue 13's whole path, in the browser on each backend: a migrant of 径河 who wants to start
/// a business is invited to a promotion event in 深圳 and comes; asks at the service window;
/// gets an expert's service; registers a business that adopts a project of the library and
/// moves into the street's incubation base; gets the expert as its mentor; and is recommended
/// as a showcase case. Each step
/// is a figure on the dashboard and a line on the person's page.
#[tokio::test]
async fn a_migrant_comes_back_through_every_registry_of_part_two_and_each_step_is_counted() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(driver) = start_chromedriver() else {
        return;
    };
    let clock = TestClock::at(2025, 10, 10, 2);
    let start = clock.now();
    for app in spawn_apps(&clock).await {
        app.db.clock.set(start);
        let backend = format!("{:?}", app.db.backend).to_lowercase();
        let shot = |name: &str| screenshots().join(format!("path-{name}-{backend}.png"));
        let (expert, project, carrier) = seed_returnee_path(&app).await;
        for (user, unit) in [
            ("jinghe_path", Some("jinghe")),
            ("xzspj_path", Some("xzspj")),
            ("swj_path", Some("swj")),
            ("rsj_path", Some("rsj")),
        ] {
            app.user(user, Role::UnitStaff, unit, "Path#2025xx", false)
                .await;
        }
        app.user("tf_path", Role::TaskForce, None, "Path#2025xx", false)
            .await;
        let profile = tempfile::tempdir().unwrap();
        let web = browser(&driver, profile.path()).await;
        web.set_window_rect(0, 0, 1280, 1100).await.unwrap();

        // 1. 径河 holds a promotion event in 深圳 and invites everyone of its registry working
        //    in 广东 who wants to start a business.
        login(&web, &app, "jinghe_path", "Path#2025xx").await;
        let event = hold_promotion_event_in_shenzhen(&web, &app, "2025-10-18").await;
        click(&web, "input[name='intention'][value='business']").await;
        fill(&web, "provinces", "广东").await;
        click(&web, "form[role='search'] button").await;
        wait_for_text_containing(&web, "p[role='status']", "符合条件 1 人").await;
        click(&web, "#invite-all").await;
        wait_for_text_containing(&web, ".alert.ok", "已邀约 1 人").await;

        // 2. After the event: 吴返乡 came and wants to start a business.
        sign_in_at(&web, &app, (10, 20), "jinghe_path").await;
        let person = record_first_invitee_came(&web, &app, &event).await;
        logout(&web).await;

        // 3. The service window logs the registered returnee's question.
        login(&web, &app, "xzspj_path", "Path#2025xx").await;
        web.goto(app.url("/staff/window/new")).await.unwrap();
        fill(&web, "id_number", &linkong_testkit::resident_id_for(1)).await;
        set_date(&web, "visited_on", "2025-10-20").await;
        select(&web, "topic", "guidance").await;
        fill(&web, "question", "想回来做农产品直播，从哪里开始？").await;
        fill(
            &web,
            "answer",
            "推荐创业项目库的农产品直播间项目，约商务局电商专家面谈。",
        )
        .await;
        submit(&web, "/staff/window").await;
        // The visit's own page (the form names the question too, so wait for its heading).
        wait_for_text_containing(&web, "h1", "2025-10-20 · 吴返乡").await;
        logout(&web).await;

        // 4. 商务局's expert gives him a service.
        login(&web, &app, "swj_path", "Path#2025xx").await;
        record_expert_service(&web, &app, expert, "2025-10-20", "定下直播间选品和开播计划").await;
        logout(&web).await;

        // 5. A month on: 径河 registers his business, which adopts the library's project and
        //    moves into the street's incubation base.
        sign_in_at(&web, &app, (11, 20), "jinghe_path").await;
        web.goto(app.url(&format!("/people/migrants/{person}")))
            .await
            .unwrap();
        set_date(&web, "returned_on", "2025-11-01").await;
        submit(&web, &format!("/people/migrants/{person}/returned")).await;
        wait_for_text_containing(&web, "main", "2025-11-01 已返区").await;
        web.goto(app.url("/staff/businesses/new")).await.unwrap();
        fill(&web, "name", "径河吴记农产品直播间").await;
        fill(&web, "uscc", &linkong_testkit::uscc_for(1)).await;
        set_date(&web, "licensed_on", "2025-11-10").await;
        select(&web, "legal_form", "individual_business").await;
        select(&web, "section", "F").await;
        click(&web, "input[name='forms'][value='live_commerce']").await;
        select(&web, "street", "jinghe").await;
        fill(&web, "founders", &linkong_testkit::resident_id_for(1)).await;
        submit(&web, "/staff/businesses").await;
        wait_for(&web, "#adopt").await;
        let business = web.current_url().await.unwrap().path().to_owned();
        select(&web, "project", &project.to_string()).await;
        submit(&web, &format!("{business}/adopt")).await;
        // The adopted list, not the choice still showing the project's name.
        wait_for_text_containing(&web, "#adopt ul", "农产品直播间").await;
        let business_id = business.trim_start_matches("/staff/businesses/").to_owned();
        web.goto(app.url(&format!("/staff/carriers/{carrier}")))
            .await
            .unwrap();
        select(&web, "business", &business_id).await;
        set_date(&web, "moved_in_on", "2025-11-15").await;
        submit(&web, &format!("/staff/carriers/{carrier}/residents")).await;
        wait_for_text_containing(&web, "#residents tbody", "径河吴记农产品直播间").await;

        // 6. 径河 gives the business a mentor: the expert who advised him, with the district
        //    fund joining.
        web.goto(app.url(&business)).await.unwrap();
        click(
            &web,
            &format!("a[href='/staff/mentoring/new?business={business_id}']"),
        )
        .await;
        select(&web, "chosen_for", "street_referral").await;
        set_date(&web, "started_on", "2025-11-18").await;
        select(&web, "expert", &expert.to_string()).await;
        click(&web, "#fund_joins").await;
        submit(&web, "/staff/mentoring").await;
        wait_for_text_containing(&web, "#summary", "周电商").await;

        // 7. 径河 recommends him as a showcase case, with his consent and a photo.
        web.goto(app.url("/staff/showcase/new")).await.unwrap();
        select(&web, "pick", &format!("{business_id}:{person}")).await;
        fill(&web, "title", "从深圳回到径河，直播卖家乡菜").await;
        fill(
            &web,
            "story",
            "他在深圳做了六年电商运营，参加推介会后回到径河，入驻电商孵化基地开了农产品直播间。",
        )
        .await;
        let photo = profile.path().join("photo.png");
        std::fs::write(&photo, linkong_demo::photo_png(7)).unwrap();
        web.find(By::Id("photos"))
            .await
            .unwrap()
            .send_keys(photo.display().to_string())
            .await
            .unwrap();
        fill(&web, "consent_by", "吴返乡").await;
        set_date(&web, "consent_on", "2025-11-18").await;
        click(&web, "input[name='consent_scope'][value='portal']").await;
        submit(&web, "/staff/showcase").await;
        wait_for_text_containing(&web, "h1", "从深圳回到径河").await;

        // Every step is on the person's page.
        web.goto(app.url(&format!("/people/migrants/{person}")))
            .await
            .unwrap();
        let promotions = text(&web, "#promotions + ul").await;
        assert!(promotions.contains("参加 · 有意向返乡创业"), "{promotions}");
        let support = text(&web, "section[aria-labelledby='support']").await;
        assert!(support.contains("创业指导"), "window: {support}");
        assert!(support.contains("周电商"), "expert: {support}");
        let founded = text(&web, "section[aria-labelledby='founded']").await;
        for part in [
            "径河吴记农产品直播间",
            "采用项目：农产品直播间",
            "径河电商孵化基地",
            "从深圳回到径河，直播卖家乡菜",
            "导师 周电商",
        ] {
            assert!(founded.contains(part), "{part}: {founded}");
        }
        web.execute(
            "document.getElementById('founded').scrollIntoView()",
            Vec::new(),
        )
        .await
        .unwrap();
        web.screenshot(&shot("person")).await.unwrap();
        logout(&web).await;

        // And each is a figure on the dashboard.
        login(&web, &app, "tf_path", "Path#2025xx").await;
        web.goto(app.url("/dashboard?year=2025")).await.unwrap();
        wait_for(&web, "table").await;
        for (code, figure) in [
            ("2.5.1.promotion_events", "1场"),
            ("2.5.1.coastal_event", "1场"),
            ("2.3.1.window_visits", "1次"),
            ("2.1.3.expert_services", "1次"),
            ("2.1.2.projects", "1个"),
            ("2.4.1.carrier_residents", "1家"),
            ("2.3.2.mentorings", "1个"),
            ("2.5.3.showcase_cases", "1名"),
        ] {
            assert_eq!(dashboard_figure(&web, code).await, figure, "{code}");
        }
        web.execute(
            "document.querySelector(\"a[href^='/indicators/2.1.2.projects?']\").scrollIntoView()",
            Vec::new(),
        )
        .await
        .unwrap();
        web.screenshot(&shot("dashboard")).await.unwrap();
        web.quit().await.unwrap();
    }
}

/// On an expert's page, records a marketing service of two hours to resident 1 on `day`.
async fn record_expert_service(web: &WebDriver, app: &App, expert: i64, day: &str, outcome: &str) {
    web.goto(app.url(&format!("/staff/experts/{expert}")))
        .await
        .unwrap();
    fill(web, "id_number", &linkong_testkit::resident_id_for(1)).await;
    set_date(web, "served_on", day).await;
    select(web, "kind", "marketing").await;
    fill(web, "hours", "2").await;
    fill(web, "outcome", outcome).await;
    submit(web, &format!("/staff/experts/{expert}/services")).await;
    wait_for_text_containing(web, "#services", outcome).await;
}

/// 径河's promotion event in 深圳 (a coastal region) on `held_on`, entered on the events page;
/// the event page's path.
async fn hold_promotion_event_in_shenzhen(web: &WebDriver, app: &App, held_on: &str) -> String {
    web.goto(app.url("/staff/events?kind=returnee_promotion"))
        .await
        .unwrap();
    fill(web, "title", "径河街道赴深圳返区创业推介会").await;
    set_date(web, "held_on", held_on).await;
    click(web, "input[name='away'][value='1']").await;
    fill(web, "province", "广东").await;
    fill(web, "city", "深圳").await;
    click(web, "input[name='coastal']").await;
    fill(web, "place", "深圳市湖北商会").await;
    submit(web, "/staff/events").await;
    wait_for(web, "#find").await;
    web.current_url().await.unwrap().path().to_owned()
}

/// On the event page, records that the first invited person came and wants to start a
/// business; their person id.
async fn record_first_invitee_came(web: &WebDriver, app: &App, event: &str) -> String {
    web.goto(app.url(event)).await.unwrap();
    wait_for(web, "#save-attendance").await;
    let attended = web
        .find(By::Css("select[name^='attended_']"))
        .await
        .unwrap();
    let id = attended.attr("id").await.unwrap().unwrap();
    let person = id.trim_start_matches("attended_").to_owned();
    select(web, &id, "1").await;
    select(web, &format!("outcome_{person}"), "business").await;
    click(web, "#save-attendance").await;
    wait_for_text_containing(web, ".alert.ok", "已登记 1 人").await;
    person
}

mod mentoring {
    // Mentoring (跟踪陪跑, 2.3.2) in a real browser (Debian's Chromium through chromedriver), on
    // each backend: a street's staff member opens a mentoring from the business's page — first
    // without a mentor, which the form refuses naming 创业导师 — then adds a milestone and a visit
    // and ends it with an outcome. Screenshots go to target/screenshots/mentoring-*.png.

    use super::*;
    use linkong_core::access::{Role, Roster};
    use linkong_core::businesses::BusinessDraft;
    use linkong_core::experts::ExpertDraft;
    use linkong_testkit::{
        TestClock, account, import_rows, plan, resident_id_for, uscc_for, would_be_founder,
    };

    const MENTORING_PASSWORD: &str = "Jinghe#2025xx";

    async fn seed_mentoring(app: &App) -> (i64, i64) {
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
        let _turn = ONE_AT_A_TIME.lock().await;
        let Some(driver) = start_chromedriver() else {
            return;
        };
        for app in spawn_apps(&TestClock::at(2025, 10, 10, 2)).await {
            let backend = format!("{:?}", app.db.backend).to_lowercase();
            let shot = |name: &str| screenshots().join(format!("mentoring-{name}-{backend}.png"));
            let (business, expert) = seed_mentoring(&app).await;
            let profile = tempfile::tempdir().unwrap();
            let web = browser(&driver, profile.path()).await;
            web.set_window_rect(0, 0, 1280, 1400).await.unwrap();
            app.user(
                "jinghe_staff",
                Role::UnitStaff,
                Some("jinghe"),
                MENTORING_PASSWORD,
                false,
            )
            .await;
            login(&web, &app, "jinghe_staff", MENTORING_PASSWORD).await;
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
}

mod contest {
    // The start-up contest (1.2.3) in a real browser (Debian's Chromium through chromedriver), on
    // each backend: 区经科局's staff score a finalist on its page — a score beyond the round's scale
    // comes back naming 评分 — and a visitor on a 390 px phone finds the awarded project and its
    // university on `/contest`, the page no wider than the phone. Screenshots go to
    // target/screenshots/contest-*.

    use super::*;
    use linkong_core::access::Role;
    use linkong_core::contest::{AwardDraft, EditionDraft, EntryDraft, RoundDraft};
    use linkong_core::plan::Plan;
    use linkong_testkit::{PLAN_FILE, TestClock};

    const CONTEST_PASSWORD: &str = "Contest#2025x";

    async fn seed_contest(app: &App) -> (i64, i64) {
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
        let _turn = ONE_AT_A_TIME.lock().await;
        let Some(driver) = start_chromedriver() else {
            return;
        };
        for app in spawn_apps(&TestClock::at(2025, 11, 25, 2)).await {
            let backend = format!("{:?}", app.db.backend).to_lowercase();
            let shot = |name: &str| screenshots().join(format!("contest-{name}-{backend}.png"));
            let (finalist, last) = seed_contest(&app).await;
            let profile = tempfile::tempdir().unwrap();
            let web = browser(&driver, profile.path()).await;
            web.set_window_rect(0, 0, 1280, 1200).await.unwrap();
            app.user(
                "jkj_staff",
                Role::UnitStaff,
                Some("jkj"),
                CONTEST_PASSWORD,
                false,
            )
            .await;
            login(&web, &app, "jkj_staff", CONTEST_PASSWORD).await;
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
            let scored =
                wait_for_text_containing(&web, "#score", "决赛（满分 100）：95.5 分").await;
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
}

mod subsidies {
    // Issue 14's acceptance path in a real browser (Debian's Chromium through chromedriver), on
    // each backend: a graduate of the roster hired through the job platform, insured at the
    // employer from July, appears in October's 免申即享 scan for the employer's 扩岗补助 with its
    // trace; 区人社局 confirms it; the public 公示 (on a phone) shows it for seven working days;
    // 区财政局 records the payment after the 公示; the dashboard's money figure and the payments
    // workbook both grow by 1,500 元. A returnee business applying at the window five months
    // after its licence (2025-05-15 to 10-15) is refused with the trace naming the six-month
    // condition. Screenshots go to target/screenshots/subsidies-*.png.

    use super::*;
    use common::sheet_cells;
    use linkong_core::access::{Role, Roster};
    use linkong_core::businesses::BusinessDraft;
    use linkong_testkit::{
        TestClock, account, date, hired_graduate, import_rows, insure, plan, resident_id_for,
        uscc_for, would_be_founder,
    };

    const PASSWORD: &str = "Money#2025xx";

    fn at(app: &App, m: u32, d: u32) {
        let when = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2025, m, d, 2, 0, 0);
        app.db.clock.set(when.unwrap());
    }

    /// The payments workbook's total row for 2025, as 区财政局 downloads it.
    async fn workbook_total(app: &App, czj: &reqwest::Client) -> String {
        let bytes = czj
            .get(app.url("/staff/subsidies/payments.xlsx?year=2025"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let cells = sheet_cells(&bytes, "|");
        cells
            .split("合计|")
            .nth(1)
            .unwrap_or_else(|| panic!("no total in {cells}"))
            .to_owned()
    }

    async fn seed_business(app: &App) {
        let store = &app.db.store;
        let rows = vec![would_be_founder(3, "吴返乡", "径河")];
        import_rows(store, "jinghe", Roster::Migrants, rows, true)
            .await
            .unwrap()
            .unwrap();
        let jinghe = account(store, "jinghe_seed", Role::UnitStaff, Some("jinghe")).await;
        let draft = BusinessDraft {
            name: "径河稻虾共作合作社".into(),
            uscc: uscc_for(3),
            licensed_on: "2025-05-15".into(),
            legal_form: "cooperative".into(),
            section: "A".into(),
            forms: vec!["modern_agriculture".into()],
            street: "jinghe".into(),
            site: "径河街道三店村".into(),
            founders: resident_id_for(3),
            keep_founders: false,
        };
        store
            .save_business(&plan(), &jinghe, None, &draft, "")
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn a_hired_graduate_is_found_confirmed_noticed_and_paid_and_the_money_is_counted() {
        let _turn = ONE_AT_A_TIME.lock().await;
        let Some(driver) = start_chromedriver() else {
            return;
        };
        let clock = TestClock::at(2025, 7, 1, 2);
        for app in spawn_apps(&clock).await {
            at(&app, 7, 1);
            let backend = format!("{:?}", app.db.backend).to_lowercase();
            let shot = |name: &str| screenshots().join(format!("subsidies-{name}-{backend}.png"));
            let store = &app.db.store;
            let importer = account(store, "rsj_import", Role::UnitStaff, Some("rsj")).await;
            let hired = hired_graduate(store, 1, date(2025, 7, 1)).await;
            insure(store, &importer, &hired, "2025-07", date(2025, 7, 1)).await;
            seed_business(&app).await;
            at(&app, 10, 15);
            for (user, role, unit) in [
                ("rsj_money", Role::UnitStaff, Some("rsj")),
                ("czj_money", Role::UnitStaff, Some("czj")),
                ("jinghe_money", Role::UnitStaff, Some("jinghe")),
                ("tf_money", Role::TaskForce, None),
            ] {
                app.user(user, role, unit, PASSWORD, false).await;
            }
            let profile = tempfile::tempdir().unwrap();
            let web = browser(&driver, profile.path()).await;
            web.set_window_rect(0, 0, 1280, 1400).await.unwrap();

            // The scan finds the hire, with the trace; 区人社局 confirms it.
            login(&web, &app, "rsj_money", PASSWORD).await;
            web.goto(app.url("/staff/subsidies/scan")).await.unwrap();
            click(&web, "td details summary").await;
            let row = wait_for_text_containing(&web, "tbody tr", "一次性扩岗补助").await;
            assert!(
                row.contains("1,500.00 元") && row.contains("参保满 3 个月"),
                "{row}"
            );
            web.screenshot(&shot("scan")).await.unwrap();
            click(&web, "input[name='offer']").await;
            submit(&web, "/staff/subsidies/scan").await;
            let listed = wait_for_text_containing(&web, "tbody", "公示中").await;
            assert!(
                listed.contains("免申即享") && listed.contains("2025-11-07"),
                "{listed}"
            );

            // The public 公示, on a phone, for seven working days.
            let phone = browser(&driver, tempfile::tempdir().unwrap().path()).await;
            phone.set_window_rect(0, 0, 390, 844).await.unwrap();
            phone.goto(app.url("/notices")).await.unwrap();
            let notice = wait_for_text_containing(&phone, "ol.notices li", "一次性扩岗补助").await;
            assert!(
                notice.contains("毕***") && notice.contains("2025-10-15 至 2025-10-24"),
                "{notice}"
            );
            phone.screenshot(&shot("notice-phone")).await.unwrap();
            phone.quit().await.unwrap();

            // Before the payment: the figure and the workbook.
            let czj = logged_in_as(&app, "czj_money").await;
            assert_eq!(workbook_total(&app, &czj).await, "|0|0|0");
            login(&web, &app, "tf_money", PASSWORD).await;
            web.goto(app.url("/dashboard?year=2025")).await.unwrap();
            assert_eq!(dashboard_figure(&web, "1.3.1.subsidies_paid").await, "0元");

            // After the 公示, 区财政局 pays.
            at(&app, 10, 27);
            login(&web, &app, "czj_money", PASSWORD).await;
            web.goto(app.url("/staff/subsidies?status=notice"))
                .await
                .unwrap();
            click(&web, "tbody a").await;
            fill(&web, "amount", "1500").await;
            set_date(&web, "paid_on", "2025-10-27").await;
            fill(&web, "account", "6222020200001234").await;
            let pay_path = web.current_url().await.unwrap().path().to_owned();
            submit(&web, &format!("{pay_path}/pay")).await;
            let paid = wait_for_text_containing(&web, "#summary", "拨付").await;
            assert!(
                paid.contains("2025-10-27 拨付 1,500.00 元") && paid.contains("**** 1234"),
                "{paid}"
            );
            web.screenshot(&shot("paid")).await.unwrap();

            let czj = logged_in_as(&app, "czj_money").await;
            assert_eq!(workbook_total(&app, &czj).await, "|1|1500|1500");
            // Seven working days ended on 10-24: the public page no longer lists it.
            let after = app.client().get(app.url("/notices")).send().await.unwrap();
            assert!(!after.text().await.unwrap().contains("一次性扩岗补助"));
            login(&web, &app, "tf_money", PASSWORD).await;
            web.goto(app.url("/dashboard?year=2025")).await.unwrap();
            assert_eq!(
                dashboard_figure(&web, "1.3.1.subsidies_paid").await,
                "1500元"
            );
            assert_eq!(dashboard_figure(&web, "1.3.1.offer_paid").await, "1500元");
            web.screenshot(&shot("dashboard")).await.unwrap();

            // A returnee business five months after its licence: refused, the rule named.
            login(&web, &app, "jinghe_money", PASSWORD).await;
            web.goto(app.url("/staff/subsidies/new")).await.unwrap();
            select(&web, "pick", "startup_subsidy").await;
            submit(&web, "/staff/subsidies/new").await;
            fill(&web, "applicant", &uscc_for(3)).await;
            set_date(&web, "applied_on", "2025-10-15").await;
            fill(&web, "fact-employees", "3").await;
            submit(&web, "/staff/subsidies").await;
            let refused = wait_for_text_containing(&web, ".alert.error", "营业执照满 6 个月").await;
            assert!(
                refused.contains("2025-05-15 至 2025-10-15 为 5 个月，未满足"),
                "{refused}"
            );
            web.screenshot(&shot("refused")).await.unwrap();
            web.quit().await.unwrap();
        }
    }

    /// A cookie-keeping HTTP client signed in as an account made with [`PASSWORD`].
    async fn logged_in_as(app: &App, username: &str) -> reqwest::Client {
        let client = app.client();
        assert_eq!(app.login(&client, username, PASSWORD).await.status(), 303);
        client
    }
}

mod steering {
    // The task force's steering in a real browser (Debian's Chromium through chromedriver), on
    // each backend (issue 15's acceptance): the task force opens the dashboard and raises a
    // supervision item on a lagging street from its lag flag; the street answers with an
    // evidence file; the task force closes it; the next joint meeting's minutes freeze the
    // quarter's figures and list the item. Screenshots: target/screenshots/steering-*.png.

    use super::*;
    use linkong_core::record::RecordDraft;
    use linkong_testkit::{account, plan};

    const PASSWORD: &str = "Steer#2025xx";

    /// 径河 records 1 of its 35 人次 on 2.2.1 by March: seriously lagging in October.
    async fn lagging_street(app: &App) {
        let store = &app.db.store;
        let jinghe = account(store, "jinghe_rec", Role::UnitStaff, Some("jinghe")).await;
        let draft = RecordDraft {
            indicator_code: "2.2.1.guidance".into(),
            unit_code: "jinghe".into(),
            value: "1".into(),
            occurred_on: "2025-03-10".into(),
            description: "创业沙龙".into(),
        };
        store
            .add_record(&jinghe, &plan(), &draft, None, None, "")
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn the_task_force_supervises_a_lagging_street_and_the_minutes_freeze_the_quarter() {
        let _turn = ONE_AT_A_TIME.lock().await;
        let Some(driver) = start_chromedriver() else {
            return;
        };
        for app in spawn_apps(&TestClock::at(2025, 10, 15, 2)).await {
            app.db.clock.set(TestClock::at(2025, 10, 15, 2).now());
            let backend = format!("{:?}", app.db.backend).to_lowercase();
            let shot = |name: &str| screenshots().join(format!("steering-{name}-{backend}.png"));
            lagging_street(&app).await;
            app.user("zhuanban", Role::TaskForce, None, PASSWORD, false)
                .await;
            app.user(
                "jinghe_staff",
                Role::UnitStaff,
                Some("jinghe"),
                PASSWORD,
                false,
            )
            .await;
            let profile = tempfile::tempdir().unwrap();
            let web = browser(&driver, profile.path()).await;
            web.set_window_rect(0, 0, 1280, 1400).await.unwrap();

            // The task force: dashboard → lag flag → supervision item.
            login(&web, &app, "zhuanban", PASSWORD).await;
            web.goto(app.url("/dashboard?year=2025")).await.unwrap();
            let flag = "#lagging a[href^='/staff/steering/supervision/new?unit=jinghe&indicator=2.2.1.guidance']";
            wait_for(&web, flag).await;
            web.find(By::Css("#lagging"))
                .await
                .unwrap()
                .scroll_into_view()
                .await
                .unwrap();
            // Every unit behind is flagged: the list opens on a click.
            click(&web, "#lagging details summary").await;
            web.find(By::Css(flag))
                .await
                .unwrap()
                .scroll_into_view()
                .await
                .unwrap();
            web.screenshot(&shot("lag-flags")).await.unwrap();
            click(&web, flag).await;
            let problem = text(&web, "#problem").await;
            assert!(problem.contains("严重滞后"), "{problem}");
            submit(&web, "/staff/steering/supervision").await;
            let status = wait_for_text_containing(&web, "main", "待办理").await;
            assert!(status.contains("2025-10-29（10 个工作日）"), "{status}");
            let item = web.current_url().await.unwrap().path().to_owned();
            logout(&web).await;

            // The street answers with evidence.
            login(&web, &app, "jinghe_staff", PASSWORD).await;
            web.goto(app.url("/units/jinghe?year=2025")).await.unwrap();
            wait_for_text_containing(&web, "main", "督办事项（未办结 1 项）").await;
            click(&web, &format!("main a[href='{item}']")).await;
            fill(&web, "response", "10 月 22 日已组织创业宣讲，35 人次参加。").await;
            let evidence = profile.path().join("签到表.pdf");
            std::fs::write(
                &evidence,
                b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n",
            )
            .unwrap();
            web.find(By::Id("evidence"))
                .await
                .unwrap()
                .send_keys(evidence.display().to_string())
                .await
                .unwrap();
            submit(&web, &format!("{item}/answer")).await;
            let answered = wait_for_text_containing(&web, "main", "已反馈").await;
            assert!(answered.contains("签到表.pdf"), "{answered}");
            logout(&web).await;

            // The task force closes it.
            login(&web, &app, "zhuanban", PASSWORD).await;
            web.goto(app.url(&item)).await.unwrap();
            fill(&web, "note", "已整改，同意办结。").await;
            click(&web, "button[value='close']").await;
            let closed = wait_for_text_containing(&web, "main", "已办结").await;
            assert!(closed.contains("办结日期"), "{closed}");
            web.screenshot(&shot("closed")).await.unwrap();

            // The joint meeting of 2025-10-20, recorded the next day.
            app.db.clock.set(TestClock::at(2025, 10, 21, 2).now());
            login(&web, &app, "zhuanban", PASSWORD).await;
            web.goto(app.url("/staff/steering/meetings/new"))
                .await
                .unwrap();
            set_date(&web, "held_on", "2025-10-20").await;
            select(&web, "quarter", "2025Q3").await;
            fill(&web, "chair", "分管副区长").await;
            click(&web, "input[name='attendee'][value='rsj']").await;
            click(&web, "input[name='attendee'][value='jinghe']").await;
            fill(&web, "minutes", "通报三季度进展，研究滞后事项。").await;
            fill(&web, "decision_text_1", "径河街道十月底前补齐创业指导人次").await;
            select(&web, "decision_owner_1", "jinghe").await;
            set_date(&web, "decision_due_1", "2025-10-31").await;
            submit(&web, "/staff/steering/meetings").await;
            let listed = wait_for_text_containing(&web, "main", "督办事项（会议召开时）").await;
            assert!(listed.contains("2025年第三季度"), "{listed}");
            assert!(
                listed.contains(
                    "径河街道十月底前补齐创业指导人次（责任单位：径河街道；完成时限：2025-10-31）"
                ),
                "{listed}"
            );
            let items = text(&web, "section[aria-labelledby='items-h']").await;
            assert!(
                items.contains("径河街道") && items.contains("已办结"),
                "{items}"
            );
            let frozen = text(&web, "section[aria-labelledby='figures-h']").await;
            assert!(
                frozen.contains("截至2025年第三季度末") && frozen.contains("2.2.1.guidance"),
                "{frozen}"
            );
            web.screenshot(&shot("minutes")).await.unwrap();
            web.quit().await.unwrap();
        }
    }
}
mod pushes {
    // Push to hire in a real browser, on each backend (issue 16's acceptance): a street officer
    // opens the push list and pushes three posts to an unplaced graduate; the graduate signs up
    // on the portal with the roster's phone, sees the three pushes and a message on a phone,
    // opens one and applies; the employer hires; the graduate's 1131 log shows three referrals
    // and the placement; 区人社局's conversion page traces the hire to the push.
    // Screenshots: target/screenshots/pushes-*.png.

    use super::*;
    use linkong_testkit::{date, graduate_on_roster, publishing_employer};

    const PASSWORD: &str = "Push#2025xxx";

    #[tokio::test]
    async fn an_officer_pushes_three_posts_and_the_hire_is_traced_to_the_push() {
        let _turn = ONE_AT_A_TIME.lock().await;
        let Some(driver) = start_chromedriver() else {
            return;
        };
        for app in spawn_apps(&TestClock::at(2025, 9, 1, 2)).await {
            app.db.clock.set(TestClock::at(2025, 9, 1, 2).now());
            let backend = format!("{:?}", app.db.backend).to_lowercase();
            let shot = |name: &str| screenshots().join(format!("pushes-{name}-{backend}.png"));
            let store = &app.db.store;
            let (_, phone) = graduate_on_roster(store, 1, date(2025, 9, 1)).await;
            let mut posts = Vec::new();
            for n in 1..=3 {
                let (_, _, _, post) = publishing_employer(store, n, date(2025, 9, 1)).await;
                posts.push(post);
            }
            app.user("jinghe01", Role::UnitStaff, Some("jinghe"), PASSWORD, false)
                .await;
            app.user("rsj01", Role::UnitStaff, Some("rsj"), PASSWORD, false)
                .await;
            let profile = tempfile::tempdir().unwrap();
            let web = browser(&driver, profile.path()).await;
            web.set_window_rect(0, 0, 1280, 1000).await.unwrap();

            // The officer ticks the graduate's three suggestions and pushes them.
            login(&web, &app, "jinghe01", PASSWORD).await;
            web.goto(app.url("/people/graduates/push?year=2025&n=3"))
                .await
                .unwrap();
            wait_for(&web, "input[name='push']").await;
            let boxes = web.find_all(By::Css("input[name='push']")).await.unwrap();
            assert_eq!(boxes.len(), 3, "three open posts suggested");
            let ticked = boxes[0].attr("value").await.unwrap().unwrap();
            let graduate = ticked.split(':').next().unwrap().to_owned();
            for tick in boxes {
                tick.click().await.unwrap();
            }
            web.screenshot(&shot("list")).await.unwrap();
            click(
                &web,
                "form[method='post'][action='/people/graduates/push'] button[type='submit']",
            )
            .await;
            wait_for_text_containing(&web, ".alert.ok", "已推送 3 个岗位").await;
            logout(&web).await;

            // The graduate signs up on a phone with the roster's number and finds the pushes.
            web.set_window_rect(0, 0, 390, 844).await.unwrap();
            web.goto(app.url("/me/register")).await.unwrap();
            fill(&web, "phone", &phone).await;
            fill(&web, "name", "毕业生1").await;
            fill(&web, "password", "Graduate#2025").await;
            submit(&web, "/me/register").await;
            wait_for_path(&web, "/me").await;
            let pushed = wait_for_text_containing(
                &web,
                "section[aria-labelledby='pushed-h']",
                "街道推送清单",
            )
            .await;
            assert!(pushed.contains("专业匹配：会计学 ↔ 会计"), "{pushed}");
            let links = web
                .find_all(By::Css("section[aria-labelledby='pushed-h'] li > a"))
                .await
                .unwrap();
            assert_eq!(links.len(), 3, "{pushed}");
            let messages = text(&web, "#messages-h").await;
            assert!(messages.contains("3 条未读"), "{messages}");
            web.screenshot(&shot("portal-390")).await.unwrap();
            let href = links[0].attr("href").await.unwrap().unwrap();
            let post: i64 = href.trim_start_matches("/jobs/").parse().unwrap();
            let boss = posts.iter().position(|p| *p == post).unwrap() + 1;
            links[0].click().await.unwrap();
            wait_for_path(&web, &href).await;
            click(&web, "form[action$='/apply'] button").await;
            wait_for(&web, ".alert.ok").await;
            web.goto(app.url("/me")).await.unwrap();
            wait_for_text_containing(&web, "section[aria-labelledby='pushed-h']", "已投递").await;
            logout(&web).await;

            // The employer hires.
            web.set_window_rect(0, 0, 1280, 1000).await.unwrap();
            login(&web, &app, &format!("boss{boss}"), "Employer#2025").await;
            wait_for_path(&web, "/employer").await;
            for (step, label) in [
                ("viewed", "已查看"),
                ("interview", "邀请面试"),
                ("offer", "已发录用通知"),
                ("hired", "已录用"),
            ] {
                click(&web, &format!("#applications button[value='{step}']")).await;
                wait_for_text(&web, "#applications .badge", label).await;
            }
            logout(&web).await;

            // The 1131 log: three referrals and the placement.
            login(&web, &app, "jinghe01", PASSWORD).await;
            web.goto(app.url(&format!("/people/graduates/{graduate}")))
                .await
                .unwrap();
            wait_for(&web, "#placement-now").await;
            let page = text(&web, "main").await;
            assert!(page.contains("岗位推荐 3/3"), "{page}");
            assert!(
                text(&web, "#placement-now").await.contains("单位就业"),
                "{page}"
            );
            let pushes = text(&web, "section[aria-labelledby='pushes-h']").await;
            assert_eq!(pushes.matches("街道推送清单").count(), 3, "{pushes}");
            assert!(pushes.contains("已录用"), "{pushes}");
            logout(&web).await;

            // 区人社局's conversion page traces the hire to the push.
            login(&web, &app, "rsj01", PASSWORD).await;
            web.goto(app.url("/people/pushes?year=2025")).await.unwrap();
            wait_for(&web, "table").await;
            let row = |stage: &str| {
                format!("a[href='/people/pushes/list?year=2025&street=jinghe&stage={stage}']")
            };
            for (stage, count) in [
                ("pushed", "3"),
                ("viewed", "1"),
                ("applied", "1"),
                ("hired", "1"),
            ] {
                assert_eq!(text(&web, &row(stage)).await, count, "{stage}");
            }
            web.screenshot(&shot("funnel")).await.unwrap();
            click(&web, &row("hired")).await;
            wait_for(&web, "tr[data-stage='hired']").await;
            let traced = text(&web, "tr[data-stage='hired']").await;
            assert!(traced.contains("街道推送清单 · jinghe01"), "{traced}");
            assert!(traced.contains("已录用"), "{traced}");
            assert!(traced.contains("毕***"), "masked: {traced}");
            web.screenshot(&shot("trail")).await.unwrap();
            web.quit().await.unwrap();
        }
    }
}
