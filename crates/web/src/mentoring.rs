//! Mentoring of returnee businesses (跟踪陪跑, task 2.3.2) in the staff console: the list at
//! `/staff/mentoring` (scoped, by status, year, street and opening unit) and its workbook, the
//! open form (reachable from a business's page), a mentoring's page with its plan, visits,
//! financing contacts and end (`mentoring/detail.rs`), and `GET /api/v1/mentorings`. Who reads
//! and writes what is decided in core and enforced by the store.

mod detail;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::access::Gate;
use linkong_core::businesses::BusinessStatus;
use linkong_core::experts::ExpertStatus;
use linkong_core::field::FieldError;
use linkong_core::mentoring::{ChosenFor, MentorKind, MentoringDraft, MentoringStatus};
use linkong_store::businesses::BusinessFilter;
use linkong_store::experts::ExpertFilter;
use linkong_store::mentoring::{Mentoring, MentoringFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ApiViewer, Nav, Viewer};
use crate::openapi::ErrorBody;
use crate::view::{Choice, choices, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/mentoring", get(list_page).post(create))
        .route("/staff/mentoring/new", get(new_page))
        .route("/staff/mentoring/export.xlsx", get(export))
        .route("/staff/mentoring/{id}", get(detail::page))
        .route(
            "/staff/mentoring/{id}/milestones",
            post(detail::add_milestone),
        )
        .route(
            "/staff/mentoring/{id}/milestones/{milestone}/reached",
            post(detail::reach_milestone),
        )
        .route("/staff/mentoring/{id}/visits", post(detail::log_visit))
        .route(
            "/staff/mentoring/{id}/financing",
            post(detail::record_financing),
        )
        .route("/staff/mentoring/{id}/end", post(detail::end))
}

/// The mentorings' JSON API, with its OpenAPI annotation (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_list))
}

/// A mentoring as lists and its page show it.
pub struct Line {
    pub m: Mentoring,
    pub street: String,
    pub opened_by: String,
    pub badge: &'static str,
}

pub fn line(state: &AppState, m: Mentoring) -> Line {
    Line {
        street: unit_name(state, &m.street_code),
        opened_by: unit_name(state, &m.opened_by),
        badge: if m.status == MentoringStatus::Active {
            "on_track"
        } else {
            "done"
        },
        m,
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    unit: String,
}

impl ListQuery {
    /// The filter asked for; a wrong year, status or unit is a 422 naming the field.
    fn filter(&self, state: &AppState) -> Result<MentoringFilter, AppError> {
        let year = crate::view::optional_year(state, &self.year)?;
        let status = match self.status.trim() {
            "" => None,
            text => Some(
                MentoringStatus::parse(text)
                    .map_err(|e| AppError::bad_request(format!("陪跑状态：{e}")))?,
            ),
        };
        let unit = |text: &str, field: &str| crate::view::optional_unit(state, field, text);
        Ok(MentoringFilter {
            year,
            status,
            street: unit(&self.street, "街道")?,
            unit: unit(&self.unit, "发起单位")?,
            ..MentoringFilter::default()
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_mentoring.html")]
struct ListPage {
    nav: Nav,
    query: ListQuery,
    years: Vec<i32>,
    statuses: Vec<Choice>,
    lines: Vec<Line>,
    may_open: bool,
    /// The query string of the list, for the export link.
    export: String,
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    let filter = query.filter(&state)?;
    let (actor, plan) = (viewer.actor(), &state.plan);
    let rows = state
        .store
        .mentorings(plan, &actor, &filter, &viewer.ip)
        .await?;
    Ok(ListPage {
        nav: Nav::of(&viewer, &state),
        years: plan.years().collect(),
        statuses: choices(
            MentoringStatus::ALL
                .iter()
                .map(|s| (s.code().to_owned(), s.label().to_owned())),
            &query.status,
        ),
        lines: rows.into_iter().map(|m| line(&state, m)).collect(),
        may_open: actor.mentoring_opener(plan).is_some(),
        export: format!(
            "year={}&status={}&street={}&unit={}",
            query.year.trim(),
            query.status.trim(),
            query.street.trim(),
            query.unit.trim()
        ),
        query,
    })
}

/// The mentorings of the list's filter the viewer reads, as a workbook.
async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = query.filter(&state)?;
    let rows = state
        .store
        .export_mentorings(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    let lines: Vec<Line> = rows.into_iter().map(|m| line(&state, m)).collect();
    crate::download::download("mentorings.xlsx", export_workbook(&lines))
}

fn export_workbook(lines: &[Line]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name("跟踪陪跑")?;
    let headers = [
        ("创业主体", 24),
        ("所在街道", 12),
        ("发起单位", 14),
        ("选定原因", 10),
        ("开始日期", 12),
        ("创业导师", 12),
        ("导师单位", 20),
        ("区基金公司参与", 8),
        ("节点（已完成/计划）", 10),
        ("走访次数", 8),
        ("融资对接次数", 8),
        ("状态", 8),
        ("结束结果", 10),
        ("结束日期", 12),
    ];
    for (c, (h, width)) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, *width)?;
    }
    for (r, l) in lines.iter().enumerate() {
        let m = &l.m;
        let cells = [
            m.business_name.clone(),
            l.street.clone(),
            l.opened_by.clone(),
            m.chosen_for.label().into(),
            m.started_on.to_string(),
            m.mentor_name.clone(),
            m.mentor_organisation.clone(),
            if m.fund_joins { "是" } else { "否" }.into(),
            format!("{}/{}", m.milestones_done, m.milestones),
            m.visits.to_string(),
            m.financing_contacts.to_string(),
            m.status.label().into(),
            m.outcome.map(|o| o.label()).unwrap_or_default().into(),
            m.ended_on.map(|d| d.to_string()).unwrap_or_default(),
        ];
        for (c, text) in cells.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, text)?;
        }
    }
    workbook.save_to_buffer()
}

/// The mentorings the caller reads.
#[derive(Serialize, ToSchema)]
struct ApiMentorings {
    mentorings: Vec<Mentoring>,
}

/// Mentorings of returnee businesses (跟踪陪跑, task 2.3.2), scoped like the pages: 区人社局 and
/// the task force all; a unit those it opened; a street those of its street's businesses;
/// 区基金公司 also those it joined. Amounts are not listed here (see each mentoring's page).
#[utoipa::path(
    get,
    path = "/api/v1/mentorings",
    operation_id = "listMentorings",
    tag = "mentoring",
    params(
        ("year" = Option<String>, Query, description = "开始年度，四位数字（空或不填为全部）"),
        ("status" = Option<String>, Query, description = "active（陪跑中）或 ended（已结束）"),
        ("street" = Option<String>, Query, description = "创业主体所在街道代码"),
        ("unit" = Option<String>, Query, description = "发起单位代码"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "跟踪陪跑列表", body = ApiMentorings),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看该街道的跟踪陪跑", body = ErrorBody),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_list(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<ListQuery>,
) -> Result<Json<ApiMentorings>, AppError> {
    let filter = query.filter(&state)?;
    let mentorings = state
        .store
        .mentorings(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    Ok(Json(ApiMentorings { mentorings }))
}

// ---- the open form ----

#[derive(Deserialize, Default, Clone)]
struct OpenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    business: String,
    #[serde(default)]
    chosen_for: String,
    #[serde(default)]
    chosen_note: String,
    #[serde(default)]
    started_on: String,
    #[serde(default)]
    mentor_kind: String,
    #[serde(default)]
    expert: String,
    #[serde(default)]
    instructor_name: String,
    #[serde(default)]
    instructor_organisation: String,
    #[serde(default)]
    fund_joins: String,
}

impl OpenForm {
    fn draft(&self) -> MentoringDraft {
        MentoringDraft {
            business: self.business.clone(),
            chosen_for: self.chosen_for.clone(),
            chosen_note: self.chosen_note.clone(),
            started_on: self.started_on.clone(),
            mentor_kind: self.mentor_kind.clone(),
            expert: self.expert.clone(),
            instructor_name: self.instructor_name.clone(),
            instructor_organisation: self.instructor_organisation.clone(),
            fund_joins: !self.fund_joins.trim().is_empty(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "mentoring_form.html")]
struct FormPage {
    nav: Nav,
    unit: String,
    businesses: Vec<Choice>,
    reasons: Vec<Choice>,
    kinds: Vec<Choice>,
    experts: Vec<Choice>,
    form: OpenForm,
    errors: Vec<FieldError>,
    today: String,
}

/// The form, with the businesses the viewer may open a mentoring for (still trading, of its
/// street for a street) and the experts in the pool.
async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    form: OpenForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let (actor, plan, store) = (viewer.actor(), &state.plan, &state.store);
    let gate = Gate::MentoringForm { plan };
    store.enter(&actor, gate, &viewer.ip).await?;
    let businesses = store
        .businesses(plan, &actor, &BusinessFilter::default(), &viewer.ip)
        .await?
        .into_iter()
        .filter(|b| b.status != BusinessStatus::Closed)
        .filter(|b| actor.may_open_mentoring(plan, &b.street_code))
        .map(|b| {
            let street = unit_name(state, &b.street_code);
            (b.id.to_string(), format!("{}（{street}）", b.name))
        });
    let experts = store
        .experts(&actor, &ExpertFilter::default(), &viewer.ip)
        .await?
        .into_iter()
        .filter(|e| e.status == ExpertStatus::Active)
        .map(|e| {
            let label = format!("{} · {}（{}）", e.name, e.organisation, e.field.label());
            (e.id.to_string(), label)
        });
    let vocabulary = |all: &[(&str, &str)], selected: &str| {
        choices(
            all.iter().map(|(c, l)| (c.to_string(), l.to_string())),
            selected,
        )
    };
    let reasons: Vec<(&str, &str)> = ChosenFor::ALL
        .iter()
        .map(|c| (c.code(), c.label()))
        .collect();
    let kinds: Vec<(&str, &str)> = MentorKind::ALL
        .iter()
        .map(|k| (k.code(), k.label()))
        .collect();
    let page = FormPage {
        nav: Nav::of(viewer, state),
        unit: actor
            .mentoring_opener(plan)
            .map(|u| unit_name(state, u))
            .unwrap_or_default(),
        businesses: choices(businesses, &form.business),
        reasons: vocabulary(&reasons, &form.chosen_for),
        kinds: vocabulary(&kinds, &form.mentor_kind),
        experts: choices(experts, &form.expert),
        form,
        errors,
        today: state.today().to_string(),
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}

#[derive(Deserialize, Default)]
struct NewQuery {
    #[serde(default)]
    business: String,
}

async fn new_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<NewQuery>,
) -> Result<Response, AppError> {
    let form = OpenForm {
        business: query.business,
        started_on: state.today().to_string(),
        ..OpenForm::default()
    };
    form_page(&state, &viewer, form, Vec::new()).await
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<OpenForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    match state
        .store
        .open_mentoring(&state.plan, &viewer.actor(), &form.draft(), &viewer.ip)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/staff/mentoring/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => form_page(&state, &viewer, form, errors).await,
        Err(e) => Err(e.into()),
    }
}
