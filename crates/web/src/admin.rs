//! Administration: accounts (create, disable, reset, unlock) and the audit log with its check.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use linkong_core::access::{Gate, Role};
use linkong_core::password::NewPassword;
use linkong_store::users::NewUser;
use serde::Deserialize;

use crate::auth::{Nav, Viewer};
use crate::format::time;
use crate::view::Choice;
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users_page).post(create_user))
        .route("/admin/users/{id}/{action}", post(user_action))
        .route("/admin/audit", get(audit_page))
        .route("/admin/calendar", get(calendar_page).post(save_calendar))
}

/// The administration pages are an admin's: the store asks core and audits a refusal.
async fn require_admin(state: &AppState, viewer: &Viewer) -> Result<(), AppError> {
    let gate = Gate::Administration;
    Ok(state.store.enter(&viewer.actor(), gate, &viewer.ip).await?)
}

pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    pub unit: String,
    pub state: &'static str,
    pub disabled: bool,
    pub locked: bool,
    /// The account signs in with a second factor, which an admin may reset (a lost phone).
    pub two_factor: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "users.html")]
struct UsersPage {
    nav: Nav,
    users: Vec<UserRow>,
    roles: Vec<Choice>,
    units: Vec<Choice>,
    error: Option<String>,
    notice: Option<String>,
    form_username: String,
    form_display_name: String,
}

async fn render_users(
    state: &AppState,
    viewer: &Viewer,
    error: Option<String>,
    notice: Option<String>,
    form: Option<&NewUserForm>,
) -> Result<UsersPage, AppError> {
    let now = state.store.now();
    let users = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            locked: u.is_locked(now),
            two_factor: linkong_core::two_factor::required(u.role),
            state: if u.disabled {
                "已停用"
            } else if u.is_locked(now) {
                "已锁定"
            } else if u.must_change_password {
                "待改初始密码"
            } else {
                "正常"
            },
            disabled: u.disabled,
            unit: u
                .unit_code
                .as_deref()
                .and_then(|c| state.plan.unit(c))
                .map_or("—".into(), |unit| unit.name.clone()),
            role: u.role.label(),
            username: u.username,
            display_name: u.display_name,
        })
        .collect();
    let selected_role = form.map(|f| f.role.as_str()).unwrap_or("unit_staff");
    let selected_unit = form.map(|f| f.unit.as_str()).unwrap_or("");
    Ok(UsersPage {
        nav: Nav::of(viewer, state),
        users,
        roles: Role::STAFF
            .iter()
            .map(|r| Choice {
                value: r.code().into(),
                label: r.label().into(),
                selected: r.code() == selected_role,
            })
            .collect(),
        units: state
            .plan
            .units
            .iter()
            .map(|u| Choice {
                value: u.code.clone(),
                label: format!("{}（{}）", u.name, u.kind.label()),
                selected: u.code == selected_unit,
            })
            .collect(),
        error,
        notice,
        form_username: form.map(|f| f.username.clone()).unwrap_or_default(),
        form_display_name: form.map(|f| f.display_name.clone()).unwrap_or_default(),
    })
}

async fn users_page(State(state): State<AppState>, viewer: Viewer) -> Result<UsersPage, AppError> {
    require_admin(&state, &viewer).await?;
    render_users(&state, &viewer, None, None, None).await
}

#[derive(Deserialize)]
struct NewUserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
}

/// A one-time password for a new or reset account: 12 characters of four classes.
fn one_time_password() -> String {
    let token = linkong_store::random_token();
    format!(
        "Lk-{}{}",
        &token[..8],
        token[8..10]
            .to_uppercase()
            .replace(|c: char| c.is_ascii_digit(), "Q")
    )
}

async fn create_user(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<NewUserForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    require_admin(&state, &viewer).await?;
    let Some(role) = Role::parse(&form.role) else {
        let page = render_users(
            &state,
            &viewer,
            Some("角色：请选择角色".into()),
            None,
            Some(&form),
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let password = one_time_password();
    let new = NewUser {
        username: form.username.clone(),
        display_name: form.display_name.clone(),
        role,
        unit_code: Some(form.unit.trim().to_owned()).filter(|u| !u.is_empty() && role.needs_unit()),
        password: NewPassword::parse(&password, "").map_err(|_| AppError::Internal)?,
        must_change_password: true,
    };
    match state
        .store
        .create_user(Some(&viewer.actor()), new, &viewer.ip)
        .await
    {
        Ok(user) => {
            let notice = format!(
                "已创建用户 {}，初始密码：{password}（仅显示这一次，请当面或电话告知本人；首次登录须修改）",
                user.username
            );
            Ok(render_users(&state, &viewer, None, Some(notice), None)
                .await?
                .into_response())
        }
        Err(linkong_store::Error::Invalid { field, message }) => {
            let page = render_users(
                &state,
                &viewer,
                Some(format!("{field}：{message}")),
                None,
                Some(&form),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct ActionForm {
    #[serde(default)]
    csrf: String,
}

async fn user_action(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, action)): Path<(i64, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    require_admin(&state, &viewer).await?;
    let user = state
        .store
        .user(id)
        .await?
        .ok_or_else(|| AppError::not_found("用户不存在"))?;
    let actor = viewer.actor();
    let notice = match action.as_str() {
        "disable" => {
            state
                .store
                .set_user_disabled(&actor, id, true, &viewer.ip)
                .await?;
            format!("已停用 {}", user.username)
        }
        "enable" => {
            state
                .store
                .set_user_disabled(&actor, id, false, &viewer.ip)
                .await?;
            format!("已启用 {}", user.username)
        }
        "unlock" => {
            state
                .store
                .unlock_user(Some(&actor), &user.username, &viewer.ip)
                .await?;
            format!("已解锁 {}", user.username)
        }
        "reset" => {
            let password = one_time_password();
            let new = NewPassword::parse(&password, "").map_err(|_| AppError::Internal)?;
            state
                .store
                .reset_password(Some(&actor), id, &new, &viewer.ip)
                .await?;
            format!(
                "已重置 {} 的密码，新的初始密码：{password}（仅显示这一次；首次登录须修改）",
                user.username
            )
        }
        "reset-2fa" => {
            state
                .store
                .reset_factor(Some(&actor), id, &viewer.ip)
                .await?;
            format!(
                "已重置 {} 的两步验证：其会话已结束，下次登录时重新绑定身份验证器",
                user.username
            )
        }
        other => return Err(AppError::not_found(format!("未知操作“{other}”"))),
    };
    Ok(render_users(&state, &viewer, None, Some(notice), None)
        .await?
        .into_response())
}

pub struct AuditView {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub ip: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
struct AuditPage {
    nav: Nav,
    rows: Vec<AuditView>,
    intact: bool,
    total: i64,
    breaks: Vec<(i64, String)>,
}

async fn audit_page(State(state): State<AppState>, viewer: Viewer) -> Result<AuditPage, AppError> {
    require_admin(&state, &viewer).await?;
    let report = state.store.verify_audit().await?;
    let rows = state
        .store
        .recent_audit(200)
        .await?
        .into_iter()
        .map(|r| AuditView {
            id: r.id,
            at: time(r.at),
            actor: r.actor,
            action: r.action,
            target: r.target,
            detail: r.detail,
            ip: r.ip,
        })
        .collect();
    Ok(AuditPage {
        nav: Nav::of(&viewer, &state),
        rows,
        intact: report.is_intact(),
        total: report.rows,
        breaks: report
            .breaks
            .into_iter()
            .map(|b| (b.id, b.problem))
            .collect(),
    })
}

pub struct CalendarYearView {
    pub year: i32,
    pub source: String,
    pub holidays: Vec<String>,
    pub working_days: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "calendar.html")]
struct CalendarPage {
    nav: Nav,
    years: Vec<CalendarYearView>,
    missing: Vec<i32>,
    form_year: String,
    form_source: String,
    form_holidays: String,
    form_working_days: String,
    errors: Vec<String>,
    notice: Option<String>,
}

fn calendar_view(
    state: &AppState,
    viewer: &Viewer,
    form: Option<&CalendarForm>,
    errors: Vec<String>,
    notice: Option<String>,
) -> CalendarPage {
    let calendar = state.calendar();
    let years = calendar
        .years()
        .map(|y| CalendarYearView {
            year: y.year,
            source: y.source.clone(),
            holidays: y
                .holidays
                .iter()
                .map(|h| {
                    if h.from == h.to {
                        format!("{} {}", h.name, h.from)
                    } else {
                        format!("{} {} 至 {}", h.name, h.from, h.to)
                    }
                })
                .collect(),
            working_days: y
                .working_days
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("、"),
        })
        .collect();
    let mut missing: Vec<i32> = state
        .plan
        .years()
        .filter(|y| !calendar.has_data(*y))
        .collect();
    // The Q4 report of the last plan year is due in the following January.
    if !calendar.has_data(state.plan.info.last_year + 1) {
        missing.push(state.plan.info.last_year + 1);
    }
    CalendarPage {
        nav: Nav::of(viewer, state),
        years,
        missing,
        form_year: form.map(|f| f.year.clone()).unwrap_or_default(),
        form_source: form.map(|f| f.source.clone()).unwrap_or_default(),
        form_holidays: form.map(|f| f.holidays.clone()).unwrap_or_default(),
        form_working_days: form.map(|f| f.working_days.clone()).unwrap_or_default(),
        errors,
        notice,
    }
}

async fn calendar_page(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<CalendarPage, AppError> {
    require_admin(&state, &viewer).await?;
    Ok(calendar_view(&state, &viewer, None, Vec::new(), None))
}

#[derive(Deserialize)]
struct CalendarForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    holidays: String,
    #[serde(default)]
    working_days: String,
}

async fn save_calendar(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<CalendarForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    require_admin(&state, &viewer).await?;
    let refuse = |errors: Vec<String>| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            calendar_view(&state, &viewer, Some(&form), errors, None),
        )
            .into_response()
    };
    let year = match linkong_core::calendar::calendar_year(&form.year) {
        Ok(year) => year,
        Err(why) => return Ok(refuse(vec![why.to_string()])),
    };
    let parsed = linkong_core::calendar::parse_year_text(
        year,
        &form.source,
        &form.holidays,
        &form.working_days,
    )
    .and_then(|y| {
        state
            .calendar()
            .with_year(y.clone())
            .map(|whole| (y, whole))
    });
    let (entry, whole) = match parsed {
        Ok(ok) => ok,
        Err(e) => return Ok(refuse(e.0)),
    };
    state
        .store
        .save_calendar_year(&viewer.actor(), &entry, &viewer.ip)
        .await?;
    state.replace_calendar(whole);
    Ok(calendar_view(
        &state,
        &viewer,
        None,
        Vec::new(),
        Some(format!(
            "已保存 {year} 年节假日安排，报送截止日期即时按新日历计算。"
        )),
    )
    .into_response())
}
