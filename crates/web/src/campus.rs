//! Campus programmes (“创业培训进校园”, task 1.2.1, and 1.1.2's 一校一策): the staff page at
//! `/staff/campus` (universities and liaison stations, activities, internship placements,
//! internship bases, recruitment plans, each with its form), a university's page with its
//! plan and campus fairs, a placement's page with its outcome, the placements' xlsx export and
//! `/api/v1/campus`. Every read is scoped by the store; handlers extract, call one store
//! function and render.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::campus::{
    ActivityDraft, ActivityKind, BaseDraft, InternshipOutcome, PlacementDraft, PlanDraft,
    StationDraft,
};
use linkong_core::field::FieldError;
use linkong_core::industry::LeadingIndustry;
use linkong_store::campus::{CampusFilter, CampusOverview, Placement, UniversityDetail};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ApiViewer, Nav, Viewer};
use crate::openapi::ErrorBody;
use crate::view::{Choice, YearLink, YearQuery, choices, unit_name, year_links, year_of};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/campus", get(overview_page))
        .route("/staff/campus/universities", post(add_university))
        .route("/staff/campus/stations", post(add_station))
        .route("/staff/campus/activities", post(record_activity))
        .route("/staff/campus/bases", post(add_base))
        .route("/staff/campus/placements", post(record_placement))
        .route("/staff/campus/plans", post(save_plan))
        .route("/staff/campus/placements.xlsx", get(export))
        .route("/staff/campus/universities/{id}", get(university_page))
        .route("/staff/campus/universities/{id}/fairs", post(link_fair))
        .route("/staff/campus/placements/{id}", get(placement_page))
        .route(
            "/staff/campus/placements/{id}/outcome",
            post(record_outcome),
        )
}

/// The campus JSON API, with its OpenAPI annotation (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_overview))
}

fn number(text: &str, what: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found(format!("该{what}不存在")))
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    saved: String,
}

impl ListQuery {
    fn filter(&self, state: &AppState) -> Result<CampusFilter, AppError> {
        let year = year_of(
            state,
            &YearQuery {
                year: Some(self.year.clone()),
                saved: None,
            },
        )?;
        let unit = crate::view::optional_unit(state, "单位", &self.unit)?;
        Ok(CampusFilter { year, unit })
    }
}

// ---- the forms ----

#[derive(Deserialize, Default, Clone)]
struct UniversityForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize, Default, Clone)]
struct StationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    university: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    opened_on: String,
}

#[derive(Deserialize, Default, Clone)]
struct ActivityForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    university: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    participants: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize, Default, Clone)]
struct BaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    employer_uscc: String,
    #[serde(default)]
    employer_name: String,
    #[serde(default)]
    partners: String,
    #[serde(default)]
    places: String,
}

#[derive(Deserialize, Default, Clone)]
struct PlacementForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    student_name: String,
    #[serde(default)]
    student_no: String,
    #[serde(default)]
    university: String,
    #[serde(default)]
    major: String,
    #[serde(default)]
    employer_uscc: String,
    #[serde(default)]
    employer_name: String,
    #[serde(default)]
    base: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    outcome: String,
}

impl PlacementForm {
    fn draft(&self) -> PlacementDraft {
        PlacementDraft {
            student_name: self.student_name.clone(),
            student_no: self.student_no.clone(),
            university: self.university.clone(),
            major: self.major.clone(),
            employer_uscc: self.employer_uscc.clone(),
            employer_name: self.employer_name.clone(),
            base: self.base.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            outcome: self.outcome.clone(),
        }
    }
}

#[derive(Default, Clone)]
struct PlanForm {
    csrf: String,
    university: String,
    year: String,
    disciplines: String,
    wishes: String,
    industries: Vec<String>,
    fairs_planned: String,
}

impl PlanForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> PlanForm {
        let mut form = PlanForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "csrf" => form.csrf = value,
                "university" => form.university = value,
                "year" => form.year = value,
                "disciplines" => form.disciplines = value,
                "wishes" => form.wishes = value,
                "industries" => form.industries.push(value),
                "fairs_planned" => form.fairs_planned = value,
                _ => {}
            }
        }
        form
    }

    fn draft(&self) -> PlanDraft {
        PlanDraft {
            university: self.university.clone(),
            year: self.year.clone(),
            disciplines: self.disciplines.clone(),
            wishes: self.wishes.clone(),
            industries: self.industries.clone(),
            fairs_planned: self.fairs_planned.clone(),
        }
    }
}

/// The forms of the campus page as submitted, with what is wrong (empty on a fresh page).
#[derive(Default)]
struct Forms {
    university: UniversityForm,
    station: StationForm,
    activity: ActivityForm,
    base: BaseForm,
    placement: PlacementForm,
    plan: PlanForm,
    /// Which form the errors belong to: university, station, activity, base, placement, plan.
    errors_of: &'static str,
    errors: Vec<FieldError>,
}

// ---- the campus page ----

/// A unit's figures of the year as the page counts them from its lists.
pub struct UnitCount {
    pub unit: String,
    pub policy_events: usize,
    pub interns: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "campus.html")]
struct CampusPage {
    nav: Nav,
    query: ListQuery,
    years: Vec<YearLink>,
    overview: CampusOverview,
    counts: Vec<UnitCount>,
    recorder: Option<String>,
    universities: Vec<Choice>,
    kinds: Vec<Choice>,
    bases: Vec<Choice>,
    outcomes: Vec<Choice>,
    industries: Vec<Choice>,
    forms: Forms,
    today: String,
}

/// The units' codes in a campus overview replaced by their names, for the page.
fn with_unit_names(state: &AppState, mut o: CampusOverview) -> CampusOverview {
    let name = |code: &mut String| *code = unit_name(state, code);
    o.stations.iter_mut().for_each(|s| name(&mut s.host_unit));
    o.bases.iter_mut().for_each(|b| name(&mut b.unit_code));
    o.plans.iter_mut().for_each(|p| name(&mut p.unit_code));
    o.activities.iter_mut().for_each(|a| name(&mut a.organiser));
    o.placements.iter_mut().for_each(|p| name(&mut p.organiser));
    o
}

/// Per campus unit read: 政策宣传 activities and counted placements of the year.
fn unit_counts(state: &AppState, o: &CampusOverview) -> Vec<UnitCount> {
    linkong_core::campus::UNITS
        .iter()
        .map(|unit| UnitCount {
            unit: unit_name(state, unit),
            policy_events: o
                .activities
                .iter()
                .filter(|a| a.organiser == *unit && a.kind == ActivityKind::PolicyPublicity)
                .count(),
            interns: o
                .placements
                .iter()
                .filter(|p| p.organiser == *unit && p.counted)
                .count(),
        })
        .filter(|c| c.policy_events + c.interns > 0)
        .collect()
}

fn vocabulary_choices(items: &[(&str, &str)], selected: &str) -> Vec<Choice> {
    choices(
        items
            .iter()
            .map(|(c, l)| ((*c).to_owned(), (*l).to_owned())),
        selected,
    )
}

async fn campus_page(
    state: &AppState,
    viewer: &Viewer,
    query: ListQuery,
    forms: Forms,
) -> Result<CampusPage, AppError> {
    let filter = query.filter(state)?;
    let actor = viewer.actor();
    let overview = state
        .store
        .campus_overview(&actor, &filter, &viewer.ip)
        .await?;
    let counts = unit_counts(state, &overview);
    let overview = with_unit_names(state, overview);
    let universities = choices(
        overview
            .universities
            .iter()
            .map(|u| (u.id.to_string(), u.name.clone())),
        "",
    );
    let bases = choices(
        overview
            .bases
            .iter()
            .map(|b| (b.id.to_string(), b.name.clone())),
        &forms.placement.base,
    );
    let kinds: Vec<(&str, &str)> = ActivityKind::ALL
        .iter()
        .map(|k| (k.code(), k.label()))
        .collect();
    let outcomes: Vec<(&str, &str)> = InternshipOutcome::ALL
        .iter()
        .map(|o| (o.code(), o.label()))
        .collect();
    let industries: Vec<(&str, &str)> = LeadingIndustry::ALL
        .iter()
        .filter(|i| **i != LeadingIndustry::Other)
        .map(|i| (i.code(), i.label()))
        .collect();
    let mut industry_choices = vocabulary_choices(&industries, "");
    for c in &mut industry_choices {
        c.selected = forms.plan.industries.contains(&c.value);
    }
    Ok(CampusPage {
        nav: Nav::of(viewer, state),
        years: year_links(&state.plan, filter.year),
        recorder: actor.campus_unit().map(|u| unit_name(state, u)),
        kinds: vocabulary_choices(&kinds, &forms.activity.kind),
        outcomes: vocabulary_choices(&outcomes, &forms.placement.outcome),
        industries: industry_choices,
        today: state.today().to_string(),
        counts,
        overview,
        universities,
        bases,
        forms,
        query,
    })
}

async fn overview_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<CampusPage, AppError> {
    campus_page(&state, &viewer, query, Forms::default()).await
}

/// After a save: back to the page's section; on wrong fields, the page again (422) with the
/// form as typed and its errors.
async fn saved_or_again<T>(
    state: &AppState,
    viewer: &Viewer,
    saved: linkong_store::Result<T>,
    section: &str,
    forms: impl FnOnce(Vec<FieldError>) -> Forms,
) -> Result<Response, AppError> {
    let to = format!("/staff/campus?saved=1#{section}");
    crate::error::saved_or_again(saved, &to, |errors| {
        campus_page(state, viewer, ListQuery::default(), forms(errors))
    })
    .await
}

async fn add_university(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<UniversityForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let saved = state
        .store
        .add_university(&viewer.actor(), &form.name, &viewer.ip)
        .await;
    saved_or_again(&state, &viewer, saved, "universities", |errors| Forms {
        university: form,
        errors_of: "university",
        errors,
        ..Forms::default()
    })
    .await
}

async fn add_station(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<StationForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = StationDraft {
        university: form.university.clone(),
        contact_name: form.contact_name.clone(),
        contact_phone: form.contact_phone.clone(),
        opened_on: form.opened_on.clone(),
    };
    let saved = state
        .store
        .add_station(&viewer.actor(), &draft, &viewer.ip)
        .await;
    // The phone typed is never sent back to the page.
    let station = StationForm {
        contact_phone: String::new(),
        ..form
    };
    saved_or_again(&state, &viewer, saved, "universities", |errors| Forms {
        station,
        errors_of: "station",
        errors,
        ..Forms::default()
    })
    .await
}

async fn record_activity(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<ActivityForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = ActivityDraft {
        kind: form.kind.clone(),
        university: form.university.clone(),
        held_on: form.held_on.clone(),
        participants: form.participants.clone(),
        note: form.note.clone(),
    };
    let saved = state
        .store
        .record_campus_activity(&viewer.actor(), &draft, &viewer.ip)
        .await;
    saved_or_again(&state, &viewer, saved, "activities", |errors| Forms {
        activity: form,
        errors_of: "activity",
        errors,
        ..Forms::default()
    })
    .await
}

async fn add_base(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<BaseForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = BaseDraft {
        name: form.name.clone(),
        employer_uscc: form.employer_uscc.clone(),
        employer_name: form.employer_name.clone(),
        partners: form.partners.clone(),
        places: form.places.clone(),
    };
    let saved = state
        .store
        .add_internship_base(&viewer.actor(), &draft, &viewer.ip)
        .await;
    saved_or_again(&state, &viewer, saved, "bases", |errors| Forms {
        base: form,
        errors_of: "base",
        errors,
        ..Forms::default()
    })
    .await
}

async fn record_placement(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<PlacementForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let saved = state
        .store
        .record_placement(&viewer.actor(), &form.draft(), &viewer.ip)
        .await;
    saved_or_again(&state, &viewer, saved, "placements", |errors| Forms {
        placement: form,
        errors_of: "placement",
        errors,
        ..Forms::default()
    })
    .await
}

async fn save_plan(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = PlanForm::from_pairs(pairs);
    viewer.check_csrf(&state, &form.csrf).await?;
    let saved = state
        .store
        .save_campus_plan(&state.plan, &viewer.actor(), &form.draft(), &viewer.ip)
        .await;
    saved_or_again(&state, &viewer, saved, "plans", |errors| Forms {
        plan: form,
        errors_of: "plan",
        errors,
        ..Forms::default()
    })
    .await
}

// ---- the placements' export and the API ----

fn export_row(state: &AppState, p: &Placement) -> Vec<String> {
    vec![
        p.starts_on.to_string(),
        p.ends_on.to_string(),
        unit_name(state, &p.organiser),
        p.student_name.clone(),
        p.student_no.clone(),
        p.university.clone(),
        p.major.clone(),
        p.employer_name.clone(),
        p.base_name.clone().unwrap_or_default(),
        p.outcome
            .map_or("进行中", InternshipOutcome::label)
            .to_owned(),
        if p.counted {
            "是"
        } else {
            "否（当年已计）"
        }
        .to_owned(),
    ]
}

fn export_workbook(
    state: &AppState,
    placements: &[Placement],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name("实习实训")?;
    let headers = [
        ("开始日期", 12),
        ("结束日期", 12),
        ("组织单位", 16),
        ("学生姓名", 10),
        ("学号", 14),
        ("高校", 24),
        ("专业", 18),
        ("接收单位", 28),
        ("实习实训基地", 24),
        ("实习结果", 10),
        ("计入指标", 14),
    ];
    for (c, (h, width)) in headers.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or_default();
        ws.write_string_with_format(0, c, *h, &bold)?;
        ws.set_column_width(c, *width)?;
    }
    for (r, p) in placements.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, text) in export_row(state, p).iter().enumerate() {
            ws.write_string(r, u16::try_from(c).unwrap_or_default(), text)?;
        }
    }
    workbook.save_to_buffer()
}

/// The placements of the year (of the unit asked) the viewer reads, as a workbook.
async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = query.filter(&state)?;
    let placements = state
        .store
        .export_placements(&viewer.actor(), &filter, &viewer.ip)
        .await?;
    crate::download::download("internships.xlsx", export_workbook(&state, &placements))
}

/// The campus programmes of a year (任务 1.2.1、1.1.2 一校一策): universities, liaison stations
/// (contact phones masked), internship bases, recruitment plans with campus fairs planned and
/// held, and the activities and internship placements of the units the reader reads (the task
/// force all; 团区委、区人社局、区经科局、现代服务业产业办 their own).
#[utoipa::path(
    get,
    path = "/api/v1/campus",
    operation_id = "campusOverview",
    tag = "campus",
    params(
        ("year" = Option<String>, Query, description = "年度（默认当年）"),
        ("unit" = Option<String>, Query, description = "组织单位代码"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "校园工作", body = CampusOverview),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看", body = ErrorBody),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_overview(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<ListQuery>,
) -> Result<Json<CampusOverview>, AppError> {
    let filter = query.filter(&state)?;
    Ok(Json(
        state
            .store
            .campus_overview(&viewer.actor(), &filter, &viewer.ip)
            .await?,
    ))
}

// ---- a university ----

#[derive(Deserialize, Default)]
struct LinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    event: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "campus_university.html")]
struct UniversityPage {
    nav: Nav,
    year: i32,
    years: Vec<YearLink>,
    detail: UniversityDetail,
    may_record: bool,
    errors: Vec<FieldError>,
}

async fn university(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    year: i32,
    errors: Vec<FieldError>,
) -> Result<UniversityPage, AppError> {
    let actor = viewer.actor();
    let mut detail = state
        .store
        .university_detail(&actor, id, year, &viewer.ip)
        .await?;
    let name = |code: &mut String| *code = unit_name(state, code);
    detail
        .stations
        .iter_mut()
        .for_each(|s| name(&mut s.host_unit));
    detail
        .activities
        .iter_mut()
        .for_each(|a| name(&mut a.organiser));
    detail
        .placements
        .iter_mut()
        .for_each(|p| name(&mut p.organiser));
    detail.fairs.iter_mut().for_each(|f| name(&mut f.organiser));
    detail
        .unlinked_fairs
        .iter_mut()
        .for_each(|f| name(&mut f.organiser));
    if let Some(plan) = detail.plan.as_mut() {
        name(&mut plan.unit_code);
    }
    Ok(UniversityPage {
        nav: Nav::of(viewer, state),
        years: year_links(&state.plan, year),
        may_record: actor.campus_unit().is_some(),
        year,
        detail,
        errors,
    })
}

async fn university_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<YearQuery>,
) -> Result<UniversityPage, AppError> {
    let year = year_of(&state, &query)?;
    university(&state, &viewer, number(&id, "高校")?, year, Vec::new()).await
}

async fn link_fair(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<YearQuery>,
    Form(form): Form<LinkForm>,
) -> Result<Response, AppError> {
    let id = number(&id, "高校")?;
    let year = year_of(&state, &query)?;
    viewer.check_csrf(&state, &form.csrf).await?;
    let saved = state
        .store
        .link_campus_fair(&viewer.actor(), id, &form.event, &viewer.ip)
        .await;
    let to = format!("/staff/campus/universities/{id}?year={year}");
    crate::error::saved_or_again(saved, &to, |errors| {
        university(&state, &viewer, id, year, errors)
    })
    .await
}

// ---- a placement ----

#[derive(Deserialize, Default)]
struct OutcomeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    outcome: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "campus_placement.html")]
struct PlacementPage {
    nav: Nav,
    placement: Placement,
    unit: String,
    may_keep: bool,
    outcomes: Vec<Choice>,
    errors: Vec<FieldError>,
}

async fn placement(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    errors: Vec<FieldError>,
) -> Result<PlacementPage, AppError> {
    let actor = viewer.actor();
    let placement = state.store.placement(&actor, id, &viewer.ip).await?;
    let outcomes: Vec<(&str, &str)> = InternshipOutcome::ALL
        .iter()
        .map(|o| (o.code(), o.label()))
        .collect();
    Ok(PlacementPage {
        nav: Nav::of(viewer, state),
        unit: unit_name(state, &placement.organiser),
        may_keep: actor.campus_unit() == Some(placement.organiser.as_str()),
        outcomes: vocabulary_choices(&outcomes, placement.outcome.map_or("", |o| o.code())),
        placement,
        errors,
    })
}

async fn placement_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<PlacementPage, AppError> {
    placement(&state, &viewer, number(&id, "实习实训记录")?, Vec::new()).await
}

async fn record_outcome(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<OutcomeForm>,
) -> Result<Response, AppError> {
    let id = number(&id, "实习实训记录")?;
    viewer.check_csrf(&state, &form.csrf).await?;
    let saved = state
        .store
        .record_placement_outcome(&viewer.actor(), id, &form.outcome, &viewer.ip)
        .await;
    let to = format!("/staff/campus/placements/{id}");
    crate::error::saved_or_again(saved, &to, |errors| placement(&state, &viewer, id, errors)).await
}
