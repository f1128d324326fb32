//! The returnee service window (返乡创业服务专窗, task 2.3.1): the staff log at `/staff/window`
//! (list, new visit, a visit with its answer, referral and follow-ups), the portal's question
//! form at `/window/ask` (a walk-in visit waiting for an answer), and `/api/v1/window/visits`.
//! Every read is scoped by the store; handlers extract, call one store function and render.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use axum_extra::extract::cookie::CookieJar;
use linkong_core::access::Gate;
use linkong_core::field::FieldError;
use linkong_core::plan::UnitKind;
use linkong_core::window::{
    AnswerDraft, FollowUpDraft, Interest, PortalQuestion, VisitDraft, VisitStatus, WindowTopic,
};
use linkong_store::window::{Listed, Visit, VisitDetail, VisitFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{
    ApiViewer, ClientIp, CsrfForm, MaybeViewer, Nav, Viewer, anonymous_csrf, check_anonymous_csrf,
};
use crate::jobs::PortalNav;
use crate::openapi::ErrorBody;
use crate::view::{Choice, YearQuery, choices, unit_name, year_of};
use crate::{AppError, AppState};

const PER_PAGE: u32 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/window", get(list_page).post(create))
        .route("/staff/window/new", get(new_form))
        .route("/staff/window/export.xlsx", get(export))
        .route("/staff/window/{id}", get(detail_page))
        .route("/staff/window/{id}/answer", post(answer))
        .route("/staff/window/{id}/follow-up", post(follow_up))
        .route("/staff/window/{id}/unmask", post(unmask))
        .route("/window/ask", get(ask_page).post(ask))
}

/// The window's JSON API, with its OpenAPI annotation (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_list))
}

fn visit_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found("该来访登记不存在"))
}

fn topic_choices(selected: &str) -> Vec<Choice> {
    choices(
        WindowTopic::ALL
            .iter()
            .map(|t| (t.code().to_owned(), t.label().to_owned())),
        selected,
    )
}

fn street_choices(state: &AppState, selected: &str) -> Vec<Choice> {
    choices(crate::view::streets(state), selected)
}

/// Departments a visit may be referred to: every unit of the plan but the streets.
fn unit_choices(state: &AppState, selected: &str) -> Vec<Choice> {
    choices(
        state
            .plan
            .units
            .iter()
            .filter(|u| u.kind != UnitKind::Street)
            .map(|u| (u.code.clone(), u.name.clone())),
        selected,
    )
}

// ---- the list and the API ----

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    listed: String,
    #[serde(default)]
    page: String,
}

impl ListQuery {
    /// The store's filter and page, or the first wrong parameter (named).
    fn filter(&self, state: &AppState, viewer: &Viewer) -> Result<(VisitFilter, u32), AppError> {
        let year = year_of(
            state,
            &YearQuery {
                year: Some(self.year.clone()),
                saved: None,
            },
        )?;
        let unit = |text: &str, label: &str| match text.trim() {
            "" => Ok(None),
            code => state
                .plan
                .unit(code)
                .map(|u| Some(u.code.clone()))
                .ok_or_else(|| AppError::bad_request(format!("{label}：未知的单位“{code}”"))),
        };
        let own = viewer.user.unit_code.clone();
        let (listed, referred_to) = match self.listed.trim() {
            "" | "all" => (Listed::All, None),
            "awaiting" => (Listed::Awaiting, None),
            "open" => (Listed::OpenReferrals, None),
            "overdue" => (Listed::Overdue, None),
            "mine" => (Listed::All, Some(own.unwrap_or_else(|| "-".into()))),
            other => {
                return Err(AppError::bad_request(format!(
                    "列表：“{other}”不存在，可用 all、awaiting、open、overdue、mine"
                )));
            }
        };
        let page = match self.page.trim() {
            "" => 1,
            text => linkong_core::jobs::check_page(text).map_err(AppError::bad_request)? as u32,
        };
        let filter = VisitFilter {
            year: Some(year),
            logged_by: unit(&self.unit, "登记单位")?,
            referred_to,
            person_id: None,
            street: unit(&self.street, "街道")?,
            listed,
        };
        Ok((filter, page))
    }

    fn with_page(&self, page: u32) -> String {
        let mut url = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("year", &self.year),
            ("unit", &self.unit),
            ("street", &self.street),
            ("listed", &self.listed),
        ] {
            if !value.trim().is_empty() {
                url.append_pair(key, value.trim());
            }
        }
        url.append_pair("page", &page.to_string());
        url.finish()
    }
}

/// A visit as the pages show it.
pub struct VisitLine {
    pub visit: Visit,
    pub topic: &'static str,
    pub status: &'static str,
    /// The badge's colour class.
    pub badge: &'static str,
    pub street: String,
    pub logged_by: String,
    pub referred_to: String,
}

fn visit_line(state: &AppState, visit: Visit) -> VisitLine {
    let name = |code: &Option<String>| {
        code.as_deref()
            .map(|c| unit_name(state, c))
            .unwrap_or_default()
    };
    VisitLine {
        topic: visit.topic.label(),
        status: visit.status.label(),
        badge: match visit.status {
            VisitStatus::Overdue => "seriously_lagging",
            VisitStatus::AwaitingAnswer => "lagging",
            VisitStatus::Referred => "on_track",
            VisitStatus::Answered | VisitStatus::Closed => "done",
        },
        street: name(&visit.street_code),
        logged_by: name(&visit.logged_by),
        referred_to: name(&visit.referred_to),
        visit,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "window_visits.html")]
struct ListPage {
    nav: Nav,
    query: ListQuery,
    year: i32,
    years: Vec<i32>,
    lines: Vec<VisitLine>,
    total: i64,
    page: u32,
    pages: u32,
    prev: Option<String>,
    next: Option<String>,
    may_keep: bool,
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    let (filter, page) = query.filter(&state, &viewer)?;
    let (visits, total) = state
        .store
        .window_visits(
            &state.plan,
            &viewer.actor(),
            &filter,
            (page, PER_PAGE),
            &viewer.ip,
        )
        .await?;
    let pages = (total as u32).div_ceil(PER_PAGE).max(1);
    Ok(ListPage {
        nav: Nav::of(&viewer, &state),
        year: filter.year.unwrap_or_default(),
        years: state.plan.years().collect(),
        lines: visits.into_iter().map(|v| visit_line(&state, v)).collect(),
        total,
        page,
        pages,
        prev: (page > 1).then(|| query.with_page(page - 1)),
        next: (page < pages).then(|| query.with_page(page + 1)),
        may_keep: viewer.actor().may_keep_window(&state.plan),
        query,
    })
}

/// The visits of the list's filter the viewer reaches, as a workbook (numbers masked).
async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let (filter, _) = query.filter(&state, &viewer)?;
    let visits = state
        .store
        .export_window_visits(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    let lines: Vec<VisitLine> = visits.into_iter().map(|v| visit_line(&state, v)).collect();
    crate::download::download("window-visits.xlsx", export_workbook(&lines))
}

fn export_workbook(lines: &[VisitLine]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name("返乡创业服务专窗")?;
    let headers = [
        "来访日期",
        "来访人",
        "身份证号码",
        "联系电话",
        "户籍街道",
        "咨询事项",
        "问题",
        "答复",
        "登记单位",
        "转办部门",
        "办结期限",
        "办结日期",
        "办结结果",
        "状态",
    ];
    for (c, (h, width)) in headers
        .iter()
        .zip([12, 10, 20, 14, 12, 10, 40, 40, 12, 12, 12, 12, 30, 10])
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, width)?;
    }
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for (r, l) in lines.iter().enumerate() {
        let v = &l.visit;
        let cells = [
            v.visited_on.to_string(),
            v.name.clone(),
            v.id_masked.clone(),
            v.phone_masked.clone(),
            l.street.clone(),
            l.topic.into(),
            v.question.clone(),
            v.answer.clone(),
            l.logged_by.clone(),
            l.referred_to.clone(),
            day(v.due_on),
            day(v.closed_on),
            v.result.clone(),
            l.status.into(),
        ];
        for (c, text) in cells.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, text)?;
        }
    }
    workbook.save_to_buffer()
}

/// One page of the window's visits.
#[derive(Serialize, ToSchema)]
struct ApiVisits {
    total: i64,
    page: u32,
    visits: Vec<Visit>,
}

/// The service window's visits (返乡创业服务专窗, task 2.3.1), scoped like the pages: a street
/// gets the visits of its residents (and of walk-ins giving its street), a department what it
/// logged or was referred. ID and phone numbers are masked.
#[utoipa::path(
    get,
    path = "/api/v1/window/visits",
    operation_id = "listWindowVisits",
    tag = "window",
    params(
        ("year" = Option<String>, Query, description = "方案年度，四位数字（空或不填为当年）"),
        ("unit" = Option<String>, Query, description = "登记或答复单位代码"),
        ("street" = Option<String>, Query, description = "来访人户籍街道代码"),
        ("listed" = Option<String>, Query, description = "all、awaiting（待答复）、open（转办中）、overdue（转办逾期）、mine（转给本单位）"),
        ("page" = Option<u32>, Query, description = "页码，从 1 开始"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "一页来访登记", body = ApiVisits),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看该街道或该登记", body = ErrorBody),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_list(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<ListQuery>,
) -> Result<Json<ApiVisits>, AppError> {
    let (filter, page) = query.filter(&state, &viewer)?;
    let (visits, total) = state
        .store
        .window_visits(
            &state.plan,
            &viewer.actor(),
            &filter,
            (page, PER_PAGE),
            &viewer.ip,
        )
        .await?;
    Ok(Json(ApiVisits {
        total,
        page,
        visits,
    }))
}

// ---- a new visit at the counter ----

#[derive(Deserialize, Default, Clone)]
struct VisitForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    visited_on: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    referred_to: String,
    #[serde(default)]
    due_on: String,
}

impl VisitForm {
    fn draft(&self) -> VisitDraft {
        VisitDraft {
            id_number: self.id_number.clone(),
            name: self.name.clone(),
            phone: self.phone.clone(),
            street: self.street.clone(),
            visited_on: self.visited_on.clone(),
            topic: self.topic.clone(),
            question: self.question.clone(),
            answer: self.answer.clone(),
            referred_to: self.referred_to.clone(),
            due_on: self.due_on.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "window_form.html")]
struct FormPage {
    nav: Nav,
    form: VisitForm,
    topics: Vec<Choice>,
    streets: Vec<Choice>,
    units: Vec<Choice>,
    errors: Vec<FieldError>,
    today: String,
}

fn form_page(
    state: &AppState,
    viewer: &Viewer,
    form: VisitForm,
    errors: Vec<FieldError>,
) -> Response {
    let page = FormPage {
        nav: Nav::of(viewer, state),
        topics: topic_choices(&form.topic),
        streets: street_choices(state, &form.street),
        units: unit_choices(state, &form.referred_to),
        today: state.today().to_string(),
        form,
        errors,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, page).into_response()
}

async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    let gate = Gate::WindowForm { plan: &state.plan };
    state.store.enter(&viewer.actor(), gate, &viewer.ip).await?;
    let form = VisitForm {
        visited_on: state.today().to_string(),
        ..VisitForm::default()
    };
    Ok(form_page(&state, &viewer, form, Vec::new()))
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<VisitForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    match state
        .store
        .log_visit(&state.plan, &viewer.actor(), &form.draft(), &viewer.ip)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/staff/window/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => Ok(form_page(&state, &viewer, form, errors)),
        Err(e) => Err(e.into()),
    }
}

// ---- one visit: answer and follow-ups ----

#[derive(Deserialize, Default, Clone)]
struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    referred_to: String,
    #[serde(default)]
    due_on: String,
}

#[derive(Deserialize, Default, Clone)]
struct FollowUpForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    done_on: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    close: String,
    #[serde(default)]
    result: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "window_visit.html")]
struct DetailPage {
    nav: Nav,
    line: VisitLine,
    follow_ups: Vec<(String, String, bool, String)>,
    may_answer: bool,
    may_follow_up: bool,
    answer: AnswerForm,
    units: Vec<Choice>,
    follow: FollowUpForm,
    errors: Vec<FieldError>,
    saved: bool,
    today: String,
    may_unmask: bool,
    /// A walk-in's whole phone number, on the one response that asked for it (audited).
    clear_phone: Option<String>,
}

/// The forms of a visit's page as submitted, with what is wrong (empty on a fresh page).
#[derive(Default)]
struct Forms {
    answer: AnswerForm,
    follow: FollowUpForm,
    errors: Vec<FieldError>,
}

async fn detail(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    forms: Forms,
) -> Result<DetailPage, AppError> {
    let actor = viewer.actor();
    let VisitDetail { visit, follow_ups } = state
        .store
        .window_visit(&state.plan, &actor, id, &viewer.ip)
        .await?;
    let awaiting = visit.logged_by.is_none();
    let open = visit.referred_to.is_some() && visit.closed_on.is_none();
    let may_follow_up = open
        && visit
            .referred_to
            .as_deref()
            .is_some_and(|unit| actor.may_follow_up(unit));
    Ok(DetailPage {
        nav: Nav::of(viewer, state),
        follow_ups: follow_ups
            .into_iter()
            .map(|f| {
                let unit = unit_name(state, &f.unit_code);
                (f.done_on.to_string(), f.note, f.closes, unit)
            })
            .collect(),
        may_answer: awaiting && actor.may_keep_window(&state.plan),
        may_follow_up,
        units: unit_choices(state, &forms.answer.referred_to),
        answer: forms.answer,
        follow: forms.follow,
        errors: forms.errors,
        saved: false,
        today: state.today().to_string(),
        may_unmask: state.store.may_unmask(&actor).await?,
        clear_phone: None,
        line: visit_line(state, visit),
    })
}

/// Shows a walk-in's whole phone number once, on this response only (never in a URL),
/// audited.
async fn unmask(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<DetailPage, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = visit_id(&id)?;
    let phone = state
        .store
        .unmask_walk_in_phone(&state.plan, &viewer.actor(), id, &viewer.ip)
        .await?;
    let mut page = detail(&state, &viewer, id, Forms::default()).await?;
    page.clear_phone = Some(phone.unwrap_or_else(|| "未留".into()));
    Ok(page)
}

#[derive(Deserialize, Default)]
struct Saved {
    #[serde(default)]
    saved: String,
}

async fn detail_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<DetailPage, AppError> {
    let mut page = detail(&state, &viewer, visit_id(&id)?, Forms::default()).await?;
    page.saved = saved.saved == "1";
    Ok(page)
}

/// The visit's page again with what was wrong (422), or on to it saved.
async fn after_save(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    saved: linkong_store::Result<()>,
    forms: impl FnOnce(Vec<FieldError>) -> Forms,
) -> Result<Response, AppError> {
    let to = format!("/staff/window/{id}?saved=1");
    crate::error::saved_or_again(saved, &to, |errors| {
        detail(state, viewer, id, forms(errors))
    })
    .await
}

async fn answer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let id = visit_id(&id)?;
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = AnswerDraft {
        answer: form.answer.clone(),
        referred_to: form.referred_to.clone(),
        due_on: form.due_on.clone(),
    };
    let saved = state
        .store
        .answer_visit(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await;
    after_save(&state, &viewer, id, saved, |errors| Forms {
        answer: form,
        errors,
        ..Forms::default()
    })
    .await
}

async fn follow_up(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<FollowUpForm>,
) -> Result<Response, AppError> {
    let id = visit_id(&id)?;
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = FollowUpDraft {
        done_on: form.done_on.clone(),
        note: form.note.clone(),
        close: form.close == "1",
        result: form.result.clone(),
    };
    let saved = state
        .store
        .follow_up_visit(&viewer.actor(), id, &draft, &viewer.ip)
        .await;
    after_save(&state, &viewer, id, saved, |errors| Forms {
        follow: form,
        errors,
        ..Forms::default()
    })
    .await
}

// ---- the portal's question form ----

#[derive(Deserialize, Default, Clone)]
struct AskForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    question: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "window_ask.html")]
struct AskPage {
    portal: PortalNav,
    csrf: String,
    form: AskForm,
    topics: Vec<Choice>,
    streets: Vec<Choice>,
    errors: Vec<FieldError>,
    refused: Option<String>,
    asked: bool,
}

#[derive(Deserialize, Default)]
struct AskQuery {
    #[serde(default)]
    expert: String,
    #[serde(default)]
    project: String,
    #[serde(default)]
    carrier: String,
}

impl AskQuery {
    /// What the form was opened for, by number: an expert, a project or a carrier.
    fn interest(&self) -> Option<(Interest, i64)> {
        [
            (Interest::Expert, &self.expert),
            (Interest::Project, &self.project),
            (Interest::Carrier, &self.carrier),
        ]
        .into_iter()
        .find_map(|(interest, id)| Some((interest, id.trim().parse::<i64>().ok()?)))
    }
}

fn ask_form_page(
    state: &AppState,
    viewer: &MaybeViewer,
    jar: CookieJar,
    form: AskForm,
    (errors, refused, asked): (Vec<FieldError>, Option<String>, bool),
) -> Response {
    let (jar, csrf) = match &viewer.0 {
        Some(v) => (jar, v.csrf.clone()),
        None => anonymous_csrf(state, jar),
    };
    let status = if errors.is_empty() && refused.is_none() {
        StatusCode::OK
    } else if refused.is_some() {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AskPage {
        portal: PortalNav::of(viewer),
        csrf,
        topics: topic_choices(&form.topic),
        streets: street_choices(state, &form.street),
        form,
        errors,
        refused,
        asked,
    };
    (status, jar, page).into_response()
}

/// The name of the public expert, published project or carrier a question is about (404 for
/// one that is not public).
async fn interest_name(state: &AppState, interest: Interest, id: i64) -> Result<String, AppError> {
    Ok(match interest {
        Interest::Expert => state.store.public_expert(id).await?.name,
        Interest::Project => state.store.published_project(id).await?.name,
        Interest::Carrier => state.store.published_carrier(id).await?.name,
    })
}

/// The question form; from an expert's profile, a project or a carrier the question names it.
async fn ask_page(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    jar: CookieJar,
    Query(query): Query<AskQuery>,
) -> Result<Response, AppError> {
    let mut form = AskForm::default();
    if let Some((interest, id)) = query.interest() {
        let name = interest_name(&state, interest, id).await?;
        form.topic = interest.topic().code().into();
        form.question = interest.question(&name, id);
    }
    Ok(ask_form_page(
        &state,
        &viewer,
        jar,
        form,
        (Vec::new(), None, false),
    ))
}

async fn ask(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Form(form): Form<AskForm>,
) -> Result<Response, AppError> {
    match &viewer.0 {
        Some(v) => v.check_csrf(&state, &form.csrf).await?,
        None => check_anonymous_csrf(&state, &jar, &form.csrf, "window.ask", &ip).await?,
    }
    let asked = PortalQuestion {
        name: form.name.clone(),
        phone: form.phone.clone(),
        street: form.street.clone(),
        topic: form.topic.clone(),
        question: form.question.clone(),
    };
    let outcome = match state.store.ask_window(&state.plan, &asked, &ip).await {
        Ok(_) => (Vec::new(), None, true),
        Err(linkong_store::Error::Fields(errors)) => (errors, None, false),
        Err(linkong_store::Error::Conflict(why)) => (Vec::new(), Some(why), false),
        Err(e) => return Err(e.into()),
    };
    let form = if outcome.2 { AskForm::default() } else { form };
    Ok(ask_form_page(&state, &viewer, jar, form, outcome))
}
