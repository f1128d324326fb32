//! Two-factor sign-in over HTTP, on each backend (issue 17 item 5): a task-force account binds
//! an authenticator at its first sign-in (QR code and typed secret, a code to confirm, ten
//! recovery codes shown once); after that every sign-in asks for the code, a code is taken
//! once, a recovery code once, five wrong codes end the session; until the code is given the
//! session reaches nothing else, pages and API alike. Unit staff sign in with the password only.

use crate::common;

use chrono::Duration;
use common::{App, get, hidden, post_with, spawn_apps};
use linkong_core::access::Role;
use linkong_core::password::NewPassword;
use linkong_core::two_factor::Authenticator;
use linkong_store::users::NewUser;
use linkong_testkit::TestClock;

const PASSWORD: &str = "Zhuanban#2025";

/// A task-force account made in the store, with no authenticator bound.
async fn task_force(app: &App, username: &str) {
    let new = NewUser {
        username: username.into(),
        display_name: "专班".into(),
        role: Role::TaskForce,
        unit_code: None,
        password: NewPassword::parse(PASSWORD, username).unwrap(),
        must_change_password: false,
    };
    app.db.store.create_user(None, new, "").await.unwrap();
}

/// POSTs `code` to `path` with the session's CSRF token, read from `path` itself.
async fn send_code(
    app: &App,
    client: &reqwest::Client,
    path: &str,
    code: &str,
) -> (u16, String, String) {
    let (_, page) = get(client, app, path).await;
    post_with(client, app, &hidden(&page, "csrf"), path, &[("code", code)]).await
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The secret shown on the binding page, without its spaces.
fn shown_secret(page: &str) -> String {
    let marker = "data-secret=\"";
    let start = page.find(marker).expect("the secret is on the page") + marker.len();
    page[start..start + page[start..].find('"').unwrap()].replace(' ', "")
}

async fn log_out(app: &App, client: &reqwest::Client, from: &str) {
    let (_, page) = get(client, app, from).await;
    client
        .post(app.url("/logout"))
        .header("Origin", &app.base)
        .form(&[("csrf", hidden(&page, "csrf").as_str())])
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_task_force_account_binds_an_authenticator_then_every_sign_in_asks_for_a_fresh_code() {
    let clock = TestClock::at(2025, 6, 10, 2);
    for app in spawn_apps(&clock).await {
        clock.set(TestClock::at(2025, 6, 10, 2).now());
        task_force(&app, "zhuanban").await;
        let client = app.client();
        let answer = app.password_step(&client, "zhuanban", PASSWORD).await;
        assert_eq!(answer.status(), 303);
        assert_eq!(location(&answer), "/login/code");
        // Until a code is given, the session reaches nothing else.
        let dashboard = client.get(app.url("/dashboard")).send().await.unwrap();
        assert_eq!(location(&dashboard), "/login/code");
        let api = client
            .get(app.url("/api/v1/progress"))
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), 401);
        let code_page = client.get(app.url("/login/code")).send().await.unwrap();
        assert_eq!(location(&code_page), "/account/two-factor", "not bound yet");

        // The binding page: a QR code and the secret, the same on a reload.
        let (status, page) = get(&client, &app, "/account/two-factor").await;
        assert_eq!(status, 200);
        assert!(page.contains("<svg"), "the QR code is inline SVG");
        assert!(page.contains("<label for=\"code\">验证码</label>"));
        let secret = shown_secret(&page);
        assert_eq!(
            shown_secret(&get(&client, &app, "/account/two-factor").await.1),
            secret
        );
        let app_code = |at: i64| {
            Authenticator::from_base32(&secret, "zhuanban")
                .unwrap()
                .code_at(at)
        };

        // Bad codes are refused naming the field; the right one binds and shows recovery codes.
        let (status, _, page) = send_code(&app, &client, "/account/two-factor", "12345").await;
        assert_eq!(status, 422);
        assert!(page.contains("验证码：应为 6 位数字"), "{page}");
        let wrong = if app_code(clock.now().timestamp()) == "000000" {
            "111111"
        } else {
            "000000"
        };
        let (status, _, page) = send_code(&app, &client, "/account/two-factor", wrong).await;
        assert_eq!(status, 422);
        assert!(page.contains("验证码：不正确或已过期"), "{page}");
        let now = clock.now().timestamp();
        let (status, _, page) =
            send_code(&app, &client, "/account/two-factor", &app_code(now)).await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("恢复码只显示这一次"));
        let recovery: Vec<String> = page
            .split("<li><code>")
            .skip(1)
            .map(|piece| piece[..piece.find('<').unwrap()].to_owned())
            .collect();
        assert_eq!(recovery.len(), 10);
        assert_eq!(get(&client, &app, "/dashboard").await.0, 200, "bound: in");
        log_out(&app, &client, "/dashboard").await;

        // The next sign-in asks for the code; the code just used is refused, the next one not.
        app.password_step(&client, "zhuanban", PASSWORD).await;
        let (status, _, page) = send_code(&app, &client, "/login/code", &app_code(now)).await;
        assert_eq!(status, 422);
        assert!(page.contains("这个验证码已使用过"), "{page}");
        clock.advance(Duration::seconds(30));
        let next = app_code(clock.now().timestamp());
        let (status, to, _) = send_code(&app, &client, "/login/code", &next).await;
        assert_eq!((status, to.as_str()), (303, "/dashboard"));
        log_out(&app, &client, "/dashboard").await;

        // A recovery code, once.
        app.password_step(&client, "zhuanban", PASSWORD).await;
        let typed = recovery[3].to_lowercase();
        let (status, to, _) = send_code(&app, &client, "/login/code", &typed).await;
        assert_eq!((status, to.as_str()), (303, "/dashboard"));
        log_out(&app, &client, "/dashboard").await;
        app.password_step(&client, "zhuanban", PASSWORD).await;
        let (status, _, _) = send_code(&app, &client, "/login/code", &recovery[3]).await;
        assert_eq!(status, 422, "a recovery code is used once");
        let (_, page) = get(&client, &app, "/login/code").await;
        assert!(page.contains("两步验证"));

        // Wrong codes: the fifth in a session ends it.
        for _ in 0..3 {
            assert_eq!(send_code(&app, &client, "/login/code", wrong).await.0, 422);
        }
        let (status, _, page) = send_code(&app, &client, "/login/code", wrong).await;
        assert_eq!(status, 429);
        assert!(page.contains("验证码错误次数过多，请重新登录"), "{page}");
        let gone = client.get(app.url("/login/code")).send().await.unwrap();
        assert_eq!(location(&gone), "/login", "the session has ended");

        let status = app.db.store.factor_status(
            app.db
                .store
                .user_by_name("zhuanban")
                .await
                .unwrap()
                .unwrap()
                .id,
        );
        assert_eq!(status.await.unwrap().recovery_codes_left, 9);
        let actions: Vec<String> = app
            .db
            .store
            .recent_audit(100)
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.action)
            .collect();
        for action in [
            "two_factor.enrolled",
            "two_factor.passed",
            "two_factor.recovery_code_used",
            "two_factor.failed",
        ] {
            assert!(
                actions.iter().any(|a| a == action),
                "{action} in {actions:?}"
            );
        }
        assert!(app.db.store.verify_audit().await.unwrap().is_intact());
    }
}

#[tokio::test]
async fn unit_staff_sign_in_with_the_password_alone_and_cannot_bind() {
    for app in spawn_apps(&TestClock::at(2025, 6, 10, 2)).await {
        app.user("jinghe01", Role::UnitStaff, Some("jinghe"), PASSWORD, false)
            .await;
        let client = app.client();
        let answer = app.password_step(&client, "jinghe01", PASSWORD).await;
        assert_eq!(answer.status(), 303);
        assert_eq!(location(&answer), "/units/jinghe");
        let (status, page) = get(&client, &app, "/account/two-factor").await;
        assert_eq!(status, 403, "{page}");
        assert!(page.contains("本账号无需两步验证"));
    }
}

#[tokio::test]
async fn an_admin_resets_a_lost_authenticator_and_the_account_binds_anew() {
    for app in spawn_apps(&TestClock::at(2025, 6, 10, 2)).await {
        task_force(&app, "zhuanban").await;
        let user = app
            .db
            .store
            .user_by_name("zhuanban")
            .await
            .unwrap()
            .unwrap();
        linkong_testkit::ensure_factor(&app.db, &user).await;
        let holder = app.client();
        assert_eq!(app.login(&holder, "zhuanban", PASSWORD).await.status(), 303);
        assert_eq!(get(&holder, &app, "/dashboard").await.0, 200);

        let admin = common::logged_in(&app, "admin2", Role::Admin, None).await;
        let (status, page) = get(&admin, &app, "/admin/users").await;
        assert_eq!(status, 200);
        let action = format!("/admin/users/{}/reset-2fa", user.id);
        assert!(page.contains(&action), "the button is on the users' page");
        let (status, _, page) = common::post(&admin, &app, &action, &[] as &[(&str, &str)]).await;
        assert_eq!(status, 200);
        assert!(page.contains("已重置 zhuanban 的两步验证"), "{page}");

        // The holder's session has ended; the next sign-in binds a new authenticator.
        let gone = holder.get(app.url("/dashboard")).send().await.unwrap();
        assert_eq!(location(&gone), "/login");
        app.password_step(&holder, "zhuanban", PASSWORD).await;
        let code_page = holder.get(app.url("/login/code")).send().await.unwrap();
        assert_eq!(location(&code_page), "/account/two-factor");
        let status = app.db.store.factor_status(user.id).await.unwrap();
        assert!(!status.enrolled);
        assert_eq!(status.recovery_codes_left, 0);
    }
}
