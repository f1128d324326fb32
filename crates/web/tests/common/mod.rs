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
        let user = self
            .db
            .store
            .create_user(None, new, "")
            .await
            .expect("user created");
        // Admins and the task force sign in with a second factor: bind their authenticator.
        linkong_testkit::ensure_factor(&self.db, &user).await;
    }

    /// Logs `client` in, giving the authenticator's code when the account needs one; returns
    /// the last answer (the password's, or the code's).
    pub async fn login(
        &self,
        client: &reqwest::Client,
        username: &str,
        password: &str,
    ) -> reqwest::Response {
        linkong_testkit::ensure_factor_of(&self.db, username).await;
        let answer = self.password_step(client, username, password).await;
        let to_code = answer
            .headers()
            .get("location")
            .is_some_and(|l| l == "/login/code");
        if !to_code {
            return answer;
        }
        self.code_step(client, &linkong_testkit::factor_code(&self.db, username))
            .await
    }

    /// POSTs `code` on the second factor's page of `client`'s session.
    pub async fn code_step(&self, client: &reqwest::Client, code: &str) -> reqwest::Response {
        let page = client
            .get(self.url("/login/code"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        client
            .post(self.url("/login/code"))
            .header("Origin", &self.base)
            .form(&[("code", code), ("csrf", &hidden(&page, "csrf"))])
            .send()
            .await
            .unwrap()
    }

    /// Only the password: the answer sends an account with a second factor on to `/login/code`.
    pub async fn password_step(
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

pub use linkong_testkit::hidden;

/// The application on each backend, the clock at `clock`.
pub async fn spawn_apps(clock: &TestClock) -> Vec<App> {
    spawn_apps_with(clock, |state| state).await
}

/// The application on each backend, its state changed by `shape` (other rate limits, say).
pub async fn spawn_apps_with(clock: &TestClock, shape: impl Fn(AppState) -> AppState) -> Vec<App> {
    let mut apps = Vec::new();
    for db in databases(clock).await {
        let plan = db.store.plan().await.expect("plan");
        let calendar = linkong_core::calendar::WorkCalendar::parse(linkong_testkit::CALENDAR_FILE)
            .expect("calendar");
        let state = shape(AppState::new(db.store.clone(), plan, calendar));
        let base = serve(state).await;
        apps.push(App { base, db });
    }
    apps
}

impl App {
    /// Another server on the same database, holding nothing of this one's memory — what the
    /// application is after a restart, or a second server behind the same database: its base URL.
    pub async fn serve_again(&self) -> String {
        let store = self.db.another_server().await;
        let plan = store.plan().await.expect("plan");
        let calendar = linkong_core::calendar::WorkCalendar::parse(linkong_testkit::CALENDAR_FILE)
            .expect("calendar");
        serve(AppState::new(store, plan, calendar)).await
    }
}

/// Serves `state` on a free port: its base URL.
async fn serve(state: AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = linkong_web::serve_on(state, listener).await;
    });
    base
}

/// The password of every account the HTTP tests create with [`logged_in`].
pub const STAFF_PASSWORD: &str = "Staff#2025x";

/// A client signed in as a new account `username` of `role` and `unit`.
pub async fn logged_in(
    app: &App,
    username: &str,
    role: linkong_core::access::Role,
    unit: Option<&str>,
) -> reqwest::Client {
    app.user(username, role, unit, STAFF_PASSWORD, false).await;
    let client = app.client();
    assert_eq!(
        app.login(&client, username, STAFF_PASSWORD).await.status(),
        303
    );
    client
}

/// GETs `path`: the status and the body.
pub async fn get(client: &reqwest::Client, app: &App, path: &str) -> (u16, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// POSTs `form` with the session's CSRF token and the site's Origin: the status, the
/// redirect's location (empty when none) and the body.
pub async fn post<V: AsRef<str>>(
    client: &reqwest::Client,
    app: &App,
    path: &str,
    form: &[(&str, V)],
) -> (u16, String, String) {
    let csrf = app.csrf(client).await;
    post_with(client, app, &csrf, path, form).await
}

/// POSTs `form` with the CSRF token of the page at `from` (a portal or employer page, where
/// the staff pages' token is not to be had): status, location, body.
pub async fn post_from<V: AsRef<str>>(
    client: &reqwest::Client,
    app: &App,
    from: &str,
    path: &str,
    form: &[(&str, V)],
) -> (u16, String, String) {
    let (_, page) = get(client, app, from).await;
    post_with(client, app, &hidden(&page, "csrf"), path, form).await
}

pub async fn post_with<V: AsRef<str>>(
    client: &reqwest::Client,
    app: &App,
    csrf: &str,
    path: &str,
    form: &[(&str, V)],
) -> (u16, String, String) {
    let mut fields = vec![("csrf", csrf)];
    fields.extend(form.iter().map(|(k, v)| (*k, v.as_ref())));
    let response = client
        .post(app.url(path))
        .header("Origin", &app.base)
        .form(&fields)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, response.text().await.unwrap())
}

/// Every cell of a workbook's first sheet, as text joined by `sep`.
pub fn sheet_cells(bytes: &[u8], sep: &str) -> String {
    use calamine::{Reader, Xlsx};
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect::<Vec<_>>()
        .join(sep)
}

/// Lets `username` see ID and phone numbers in clear, granted by a new admin account.
pub async fn grant_unmask(app: &App, username: &str) {
    let store = &app.db.store;
    let user = store.user_by_name(username).await.unwrap().unwrap();
    let admin = format!("admin_for_{username}");
    app.user(
        &admin,
        linkong_core::access::Role::Admin,
        None,
        STAFF_PASSWORD,
        false,
    )
    .await;
    let admin = store.user_by_name(&admin).await.unwrap().unwrap().actor();
    store
        .set_may_unmask(&admin, user.id, true, "")
        .await
        .unwrap();
}

/// The dashboard's table row of the indicator named `name`.
pub fn row_of<'a>(page: &'a str, name: &str) -> &'a str {
    let at = page
        .find(name)
        .unwrap_or_else(|| panic!("{name} on the dashboard"));
    let start = page[..at].rfind("<tr>").unwrap();
    let end = at + page[at..].find("</tr>").unwrap();
    &page[start..end]
}

/// A client signed up on the portal as an applicant.
pub async fn applicant(app: &App, phone: &str, name: &str) -> reqwest::Client {
    let client = app.client();
    let (_, form) = get(&client, app, "/me/register").await;
    let response = client
        .post(app.url("/me/register"))
        .header("Origin", &app.base)
        .form(&[
            ("csrf", hidden(&form, "csrf").as_str()),
            ("phone", phone),
            ("name", name),
            ("password", "Applicant#2025"),
            ("next", "/me"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    client
}

/// Uploads `csv` to `base`/import and follows the import to its end; returns (token, page).
pub async fn upload_roster(
    app: &App,
    client: &reqwest::Client,
    base: &str,
    csv: String,
) -> (String, String) {
    let csrf = app.csrf(client).await;
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
        "file",
        reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("名册.csv"),
    );
    let response = client
        .post(app.url(&format!("{base}/import")))
        .header("Origin", &app.base)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        303,
        "upload redirects to its progress page"
    );
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let token = location.trim_start_matches("/imports/").to_owned();
    for _ in 0..600 {
        let page = client
            .get(app.url(&location))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if !page.contains("http-equiv=\"refresh\"") {
            return (token, page);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import did not finish");
}
