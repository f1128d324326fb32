//! Starts the real application on a free port, on each backend, and gives a cookie-keeping client.
#![allow(dead_code)]

use linkong_core::access::Role;
use linkong_core::password::NewPassword;
use linkong_store::users::NewUser;
use linkong_testkit::{TestClock, TestDb, databases};
use linkong_web::AppState;

pub struct App {
    pub base: String,
    pub db: TestDb,
}

impl App {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Creates an account directly in the store.
    pub async fn user(
        &self,
        username: &str,
        role: Role,
        unit: Option<&str>,
        password: &str,
        must_change: bool,
    ) {
        let new = NewUser {
            username: username.into(),
            display_name: format!("{username}测试"),
            role,
            unit_code: unit.map(str::to_owned),
            password: NewPassword::parse(password, "x").expect("test password fits the policy"),
            must_change_password: must_change,
        };
        self.db
            .store
            .create_user(None, new, "")
            .await
            .expect("user created");
    }

    /// Logs `client` in; returns the status of the login POST.
    pub async fn login(
        &self,
        client: &reqwest::Client,
        username: &str,
        password: &str,
    ) -> reqwest::Response {
        let page = client
            .get(self.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = hidden(&page, "csrf");
        client
            .post(self.url("/login"))
            .header("Origin", &self.base)
            .form(&[
                ("username", username),
                ("password", password),
                ("csrf", &csrf),
            ])
            .send()
            .await
            .unwrap()
    }

    /// The session's CSRF token, read from any page with the logout form.
    pub async fn csrf(&self, client: &reqwest::Client) -> String {
        let page = client
            .get(self.url("/plan"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        hidden(&page, "csrf")
    }
}

/// The value of the first hidden input named `name` in `html`.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden {name} in page"))
        + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

/// The application on each backend, the clock at `clock`.
pub async fn spawn_apps(clock: &TestClock) -> Vec<App> {
    let mut apps = Vec::new();
    for db in databases(clock).await {
        let plan = db.store.plan().await.expect("plan");
        let calendar = linkong_core::calendar::WorkCalendar::parse(linkong_testkit::CALENDAR_FILE)
            .expect("calendar");
        let state = AppState::new(db.store.clone(), plan, calendar);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("port");
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = linkong_web::serve_on(state, listener).await;
        });
        apps.push(App { base, db });
    }
    apps
}
