//! The out-migrant registry (外出就业人员信息库) for unit staff: the list with its summary
//! charts, a resident's page (numbers masked; shown whole to users allowed, audited) with the
//! jobs that fit them and the posts pushed to them (2.5.4), import from xlsx or csv with a
//! template, and export. Every query is scoped by the store.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::access::{PeopleScope, Roster};
use linkong_core::industry::SECTIONS;
use linkong_core::jobs::check_page;
use linkong_core::people::{Intention, PROVINCES};
use linkong_core::pushes::Channel;
use linkong_store::people::{MigrantEntry, MigrantFilter, MigrantSummary, Unmasked};
use linkong_store::pushes::PushTrail;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};

use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ApiViewer, CsrfForm, Nav, Viewer};
use crate::openapi::ErrorBody;
use crate::roster::{
    ImportForm, MAX_UPLOAD_BYTES, RosterPages, import_form_of, roster_reach, street_param, upload,
};
use crate::view::{Choice, MatchLine, choices, match_line, unit_name};
use crate::{AppError, AppState};

const PER_PAGE: u32 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people/migrants", get(list_page))
        .route("/people/migrants/template.xlsx", get(template))
        .route("/people/migrants/export.xlsx", get(export))
        .route(
            "/people/migrants/import",
            get(import_form)
                .post(import_upload)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024)),
        )
        .route("/people/migrants/{id}", get(detail_page))
        .route("/people/migrants/{id}/unmask", post(unmask))
        .route("/people/migrants/{id}/returned", post(returned))
        .route("/people/migrants/{id}/push", post(push))
}

/// The registry's JSON API, with its OpenAPI annotation (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_list))
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    street: String,
    /// A year: only the district's residents surveyed in it (2.1.1's drill-down).
    #[serde(default)]
    counted_in: String,
    #[serde(default)]
    intention: String,
    #[serde(default)]
    province: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
}

impl ListQuery {
    /// The store's filter, or the first wrong field.
    fn filter(&self, state: &AppState) -> Result<(MigrantFilter, u32), String> {
        let street = street_param(state, &self.street)?;
        let intention = match self.intention.trim() {
            "" => None,
            text => Some(Intention::parse(text).map_err(|e| format!("返区意向：{e}"))?),
        };
        let province = match self.province.trim() {
            "" => None,
            text => Some(linkong_core::people::parse_province(text)?.to_owned()),
        };
        let section = match self.section.trim() {
            "" => None,
            text => Some(linkong_core::industry::Section::parse(text)?.letter()),
        };
        let counted_in = match self.counted_in.trim() {
            "" => None,
            text => Some(
                text.parse::<i32>()
                    .ok()
                    .filter(|y| state.plan.years().contains(y))
                    .ok_or_else(|| format!("摸排年度：“{text}”不是行动方案的年度"))?,
            ),
        };
        let query = self.q.trim();
        linkong_core::jobs::check_query(query)?;
        let page = match self.page.trim() {
            "" => 1,
            text => check_page(text)? as u32,
        };
        Ok((
            MigrantFilter {
                street,
                counted_in,
                intention,
                province,
                section,
                query: query.to_owned(),
            },
            page,
        ))
    }

    fn with_page(&self, page: u32) -> String {
        let pairs = [
            ("street", &self.street),
            ("counted_in", &self.counted_in),
            ("intention", &self.intention),
            ("province", &self.province),
            ("section", &self.section),
            ("q", &self.q),
        ];
        let mut url = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in pairs {
            if !value.trim().is_empty() {
                url.append_pair(key, value.trim());
            }
        }
        if page > 0 {
            url.append_pair("page", &page.to_string());
        }
        url.finish()
    }
}

pub struct Line {
    pub entry: MigrantEntry,
    pub street: String,
    pub section: String,
    pub intention: &'static str,
}

fn line(state: &AppState, entry: MigrantEntry) -> Line {
    Line {
        street: unit_name(state, &entry.street_code),
        section: linkong_core::industry::Section::parse(&entry.section)
            .map(|s| s.name().to_owned())
            .unwrap_or_default(),
        intention: Intention::parse(&entry.intention).map_or("", |i| i.label()),
        entry,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "migrants.html")]
struct ListPage {
    nav: Nav,
    query: ListQuery,
    error: Option<String>,
    lines: Vec<Line>,
    total: i64,
    page: u32,
    pages: u32,
    prev: Option<String>,
    next: Option<String>,
    export: String,
    streets: Vec<Choice>,
    intentions: Vec<Choice>,
    provinces: Vec<Choice>,
    sections: Vec<Choice>,
    whole_district: bool,
    may_import: bool,
    charts: Vec<(&'static str, String)>,
}

fn summary_charts(state: &AppState, summary: &MigrantSummary) -> Vec<(&'static str, String)> {
    use crate::charts::count_bars;
    let named = |rows: &[(String, i64)], name: &dyn Fn(&str) -> String| -> Vec<(String, i64)> {
        rows.iter().take(15).map(|(k, n)| (name(k), *n)).collect()
    };
    let chart = |title: &'static str, bars: Vec<(String, i64)>| (title, count_bars(title, &bars));
    vec![
        chart(
            "按户籍街道",
            named(&summary.by_street, &|code| unit_name(state, code)),
        ),
        chart("按务工省份", named(&summary.by_province, &|p| p.to_owned())),
        chart(
            "按从事行业",
            named(&summary.by_section, &|s| {
                linkong_core::industry::Section::parse(s)
                    .map(|s| s.name().to_owned())
                    .unwrap_or_else(|_| s.to_owned())
            }),
        ),
        chart(
            "按返区意向",
            named(&summary.by_intention, &|i| {
                Intention::parse(i).map_or_else(|_| i.to_owned(), |i| i.label().to_owned())
            }),
        ),
    ]
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    let actor = viewer.actor();
    let (scope, streets) = roster_reach(&state, &viewer, Roster::Migrants).await?;
    let mut page =
        ListPage {
            nav: Nav::of(&viewer, &state),
            error: None,
            lines: Vec::new(),
            total: 0,
            page: 1,
            pages: 1,
            prev: None,
            next: None,
            export: format!("/people/migrants/export.xlsx?{}", query.with_page(0)),
            streets: choices(streets.into_iter(), &query.street),
            intentions: choices(
                Intention::ALL
                    .iter()
                    .map(|i| (i.code().to_owned(), i.label().to_owned())),
                &query.intention,
            ),
            provinces: choices(
                PROVINCES.iter().map(|p| (p.to_string(), p.to_string())),
                &query.province,
            ),
            sections: choices(
                SECTIONS
                    .iter()
                    .map(|(l, n)| (l.to_string(), format!("{l} {n}"))),
                &query.section,
            ),
            whole_district: scope == PeopleScope::All,
            may_import: viewer.user.unit_code.as_deref().is_some_and(|u| {
                linkong_core::access::may_import(&state.plan, u, Roster::Migrants)
            }),
            charts: Vec::new(),
            query: query.clone(),
        };
    let (filter, number) = match query.filter(&state) {
        Ok(parsed) => parsed,
        Err(message) => {
            page.error = Some(message);
            return Ok(page);
        }
    };
    let (entries, total) = state
        .store
        .migrants(&state.plan, &actor, &filter, number, PER_PAGE, &viewer.ip)
        .await?;
    let summary = state
        .store
        .migrant_summary(&state.plan, &actor, &filter, &viewer.ip)
        .await?;
    page.pages = (total as u32).div_ceil(PER_PAGE).max(1);
    page.page = number;
    page.prev = (number > 1).then(|| query.with_page(number - 1));
    page.next = (number < page.pages).then(|| query.with_page(number + 1));
    page.total = total;
    page.lines = entries.into_iter().map(|e| line(&state, e)).collect();
    page.charts = summary_charts(&state, &summary);
    Ok(page)
}

#[derive(Template, WebTemplate)]
#[template(path = "migrant.html")]
struct DetailPage {
    nav: Nav,
    line: Line,
    schooling: &'static str,
    surveyed_by: String,
    may_unmask: bool,
    clear: Option<Unmasked>,
    trainings: Vec<(String, &'static str, String)>,
    five_ones: Vec<(i64, &'static str, String, String)>,
    /// The businesses this resident founded, with the library projects each adopted.
    founded: Vec<(linkong_store::businesses::Business, Vec<(i64, String)>)>,
    /// The selection entries (2.5.2) of their businesses and the showcase cases (2.5.3) of
    /// them or their businesses, as far as the viewer reads.
    entries: Vec<linkong_store::selection::SelectionEntry>,
    cases: Vec<linkong_store::showcase::ShowcaseCase>,
    /// The mentorings (2.3.2) of the businesses they founded, as far as the viewer reads.
    mentorings: Vec<linkong_store::mentoring::Mentoring>,
    support: Support,
    /// The failure-support cases (2.3.4) of the person, as far as the viewer reads.
    failure_cases: Vec<linkong_store::failure::FailureCase>,
    /// The promotion events of 2.5.1 the person was invited to: (date, title, event id, what
    /// was recorded after it).
    promotions: Vec<(String, String, i64, String)>,
    /// 岗位匹配 (2.5.4): open posts and gigs near home that fit their skills, with why.
    matches: Vec<MatchLine>,
    /// The posts pushed to them and how far each came.
    pushes: Vec<PushTrail>,
    /// Whether the viewer may push posts to them (their street's staff, 区人社局), and whether
    /// a push reaches them by SMS too.
    may_push: bool,
    by_sms: bool,
    /// How many posts were just pushed.
    pushed: Option<usize>,
    may_record: bool,
    error: Option<String>,
    saved: bool,
    today: String,
}

fn person_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found("该人员不存在"))
}

/// A promotion event the person was invited to, as their page lists it: (date, title, event
/// id, what was recorded after it).
fn promotion_line(p: linkong_store::promotion::PersonPromotion) -> (String, String, i64, String) {
    let after = match (p.attended, p.outcome) {
        (Some(true), Some(o)) => format!("参加 · {}", o.label()),
        (Some(true), None) => "参加".into(),
        (Some(false), _) => "未参加".into(),
        (None, _) => "已邀约，参加情况未登记".into(),
    };
    let after = if p.note.is_empty() {
        after
    } else {
        format!("{after}（{}）", p.note)
    };
    (
        p.event.held_on.to_string(),
        p.event.title,
        p.event.id,
        after,
    )
}

async fn detail(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    clear: Option<Unmasked>,
) -> Result<DetailPage, AppError> {
    let file = state
        .store
        .returnee_file(
            &state.plan,
            &viewer.actor(),
            id,
            &state.matching,
            &viewer.ip,
        )
        .await?;
    let entry = file.entry;
    let actor = viewer.actor();
    Ok(DetailPage {
        promotions: file.promotions.into_iter().map(promotion_line).collect(),
        pushes: file.pushes,
        may_push: actor.may_serve_graduate(&state.plan, &entry.street_code),
        by_sms: linkong_store::pushes::reaches_by_sms(&entry),
        pushed: None,
        matches: file
            .matches
            .into_iter()
            .map(|m| match_line(state, m))
            .collect(),
        trainings: file
            .trainings
            .into_iter()
            .map(|t| {
                (
                    t.held_on.to_string(),
                    linkong_core::people::TrainingKind::parse(&t.kind).map_or("", |k| k.label()),
                    t.title,
                )
            })
            .collect(),
        five_ones: file
            .five_ones
            .into_iter()
            .map(|(year, festival, items, on)| {
                let given: Vec<&str> = linkong_core::people::FIVE_ONES
                    .iter()
                    .zip(items)
                    .filter(|(_, g)| *g)
                    .map(|(name, _)| *name)
                    .collect();
                (year, festival.label(), on.to_string(), given.join("、"))
            })
            .collect(),
        founded: file.founded,
        entries: file.selection_entries,
        cases: file.showcase_cases,
        mentorings: file.mentorings,
        support: support_lines(file.support),
        failure_cases: file.failure_cases,
        may_record: actor.may_record_return(&state.plan, &entry.street_code),
        error: None,
        saved: false,
        today: state.today().to_string(),
        nav: Nav::of(viewer, state),
        schooling: entry
            .schooling
            .as_deref()
            .and_then(|s| linkong_core::people::Schooling::parse(s).ok())
            .map_or("", |s| s.label()),
        surveyed_by: unit_name(state, &entry.surveyed_by),
        may_unmask: file.may_unmask,
        line: line(state, entry),
        clear,
    })
}

/// The person's window visits (date, topic, status, id) and expert services (date, expert,
/// kind, outcome, expert id), as their page lists them.
#[derive(Default)]
pub struct Support {
    pub visits: Vec<(String, &'static str, &'static str, i64)>,
    pub services: Vec<(String, String, &'static str, String, i64)>,
}

fn support_lines(support: linkong_store::window::ReturneeSupport) -> Support {
    Support {
        visits: support
            .visits
            .into_iter()
            .map(|v| {
                (
                    v.visited_on.to_string(),
                    v.topic.label(),
                    v.status.label(),
                    v.id,
                )
            })
            .collect(),
        services: support
            .expert_services
            .into_iter()
            .map(|s| {
                (
                    s.served_on.to_string(),
                    s.expert_name,
                    s.kind.label(),
                    s.outcome,
                    s.expert_id,
                )
            })
            .collect(),
    }
}

#[derive(Deserialize, Default)]
struct Saved {
    #[serde(default)]
    saved: String,
    #[serde(default)]
    pushed: String,
}

async fn detail_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<DetailPage, AppError> {
    let mut page = detail(&state, &viewer, person_id(&id)?, None).await?;
    page.saved = saved.saved == "1";
    page.pushed = saved.pushed.parse::<usize>().ok();
    Ok(page)
}

/// Shows the whole numbers once, on this response only (never in a URL), audited.
async fn unmask(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<DetailPage, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = person_id(&id)?;
    let clear = state
        .store
        .unmask_person(
            &state.plan,
            &viewer.actor(),
            Roster::Migrants,
            id,
            &viewer.ip,
        )
        .await?;
    detail(&state, &viewer, id, Some(clear)).await
}

#[derive(Deserialize)]
struct ReturnedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    returned_on: String,
}

/// Records the date an out-migrant came back (or clears it).
async fn returned(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<ReturnedForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = person_id(&id)?;
    match state
        .store
        .set_returned(
            &state.plan,
            &viewer.actor(),
            id,
            &form.returned_on,
            &viewer.ip,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/people/migrants/{id}?saved=1")).into_response()),
        Err(refused) => again(&state, &viewer, id, refused).await,
    }
}

/// The resident's page again, 422, with a refusal that names its field; any other error as it is.
async fn again(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    refused: linkong_store::Error,
) -> Result<Response, AppError> {
    let linkong_store::Error::Invalid { field, message } = refused else {
        return Err(refused.into());
    };
    let mut page = detail(state, viewer, id, None).await?;
    page.error = Some(format!("{field}：{message}"));
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Pushes the ticked posts (`post`, repeated) to the returnee (2.5.4), all or none: each a
/// portal message and, when they may be texted, an SMS.
async fn push(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let csrf = form
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    viewer.check_csrf(&state, csrf.unwrap_or("")).await?;
    let id = person_id(&id)?;
    let mut pushes = Vec::new();
    for (_, value) in form.iter().filter(|(k, _)| k == "post") {
        let post = value
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::bad_request(format!("推送岗位：无法识别“{value}”")))?;
        pushes.push((id, post));
    }
    let pushed = state
        .store
        .push_to_returnees(
            &state.plan,
            &viewer.actor(),
            Channel::ReturneePage,
            &state.matching,
            &pushes,
            &viewer.ip,
        )
        .await;
    match pushed {
        Ok(count) => {
            let to = format!("/people/migrants/{id}?pushed={count}#pushes-h");
            Ok(Redirect::to(&to).into_response())
        }
        Err(refused) => again(&state, &viewer, id, refused).await,
    }
}

async fn template() -> Result<Response, AppError> {
    crate::download::download(
        "migrants-template.xlsx",
        linkong_import::run::template(MIGRANT_PAGES.file),
    )
}

#[derive(Deserialize, Default)]
struct ExportQuery {
    #[serde(flatten)]
    list: ListQuery,
    #[serde(default)]
    unmasked: String,
}

async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let (filter, _) = query.list.filter(&state).map_err(AppError::bad_request)?;
    let unmasked = query.unmasked == "1";
    let rows = state
        .store
        .export_migrants(&state.plan, &viewer.actor(), &filter, unmasked, &viewer.ip)
        .await?;
    crate::download::download("migrants.xlsx", export_workbook(&state, &rows))
}

fn export_workbook(
    state: &AppState,
    rows: &[(MigrantEntry, Option<Unmasked>)],
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let ws = workbook.add_worksheet();
    ws.set_name("外出就业人员")?;
    let headers = linkong_import::migrants::COLUMNS.map(|c| c.header);
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &header)?;
    }
    ws.set_column_format(1, &text)?;
    ws.set_column_format(2, &text)?;
    ws.set_column_width(1, 22)?;
    ws.set_column_width(2, 16)?;
    for (r, (m, clear)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        let (id, phone) = match clear {
            Some(c) => (c.id_number.clone(), c.phone.clone().unwrap_or_default()),
            None => (m.id_masked.clone(), m.phone_masked.clone()),
        };
        let values = [
            m.name.clone(),
            id,
            phone,
            unit_name(state, &m.street_code),
            m.community.clone(),
            m.schooling
                .as_deref()
                .and_then(|s| linkong_core::people::Schooling::parse(s).ok())
                .map_or(String::new(), |s| s.label().to_owned()),
            m.province.clone(),
            m.city.clone(),
            linkong_core::industry::Section::parse(&m.section)
                .map_or(m.section.clone(), |s| s.name().to_owned()),
            m.occupation.clone(),
            m.skills.clone(),
            m.years_away.to_string(),
            Intention::parse(&m.intention).map_or(String::new(), |i| i.label().to_owned()),
            m.business_field.clone(),
            if m.contact_consent { "是" } else { "否" }.to_owned(),
            m.surveyed_on.to_string(),
            m.returned_on.map(|d| d.to_string()).unwrap_or_default(),
        ];
        for (c, value) in values.iter().enumerate() {
            if c == 1 || c == 2 {
                ws.write_string_with_format(r, c as u16, value, &text)?;
            } else {
                ws.write_string(r, c as u16, value)?;
            }
        }
    }
    workbook.save_to_buffer()
}

pub const MIGRANT_PAGES: RosterPages = RosterPages {
    file: linkong_import::migrants::FILE,
    base: "/people/migrants",
    title: "导入外出就业人员名册",
};

async fn import_form(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<ImportForm, AppError> {
    import_form_of(&state, &viewer, MIGRANT_PAGES, None).await
}

async fn import_upload(
    State(state): State<AppState>,
    viewer: Viewer,
    multipart: Multipart,
) -> Result<Response, AppError> {
    upload(state, viewer, multipart, MIGRANT_PAGES).await
}

/// A page of the out-migrant registry (50 a page), numbers masked.
#[derive(Serialize, ToSchema)]
struct ApiList {
    total: i64,
    page: u32,
    people: Vec<MigrantEntry>,
}

/// The out-migrant registry (外出就业人员信息库), scoped like the page: a street's staff get
/// only residents whose household street is theirs. ID and phone numbers are masked.
#[utoipa::path(
    get,
    path = "/api/v1/people/migrants",
    operation_id = "listMigrants",
    tag = "people",
    params(
        ("street" = Option<String>, Query, description = "户籍街道代码"),
        ("intention" = Option<String>, Query, description = "返区意向（代码或中文）"),
        ("province" = Option<String>, Query, description = "务工省份"),
        ("section" = Option<String>, Query, description = "从事行业门类字母"),
        ("q" = Option<String>, Query, description = "姓名，或完整的身份证号码、手机号码"),
        ("page" = Option<u32>, Query, description = "页码，从 1 开始"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "一页名册", body = ApiList),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看该名册或该街道", body = ErrorBody),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_list(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<ListQuery>,
) -> Result<Json<ApiList>, AppError> {
    let (filter, page) = query.filter(&state).map_err(AppError::BadRequest)?;
    let (people, total) = state
        .store
        .migrants(
            &state.plan,
            &viewer.actor(),
            &filter,
            page,
            PER_PAGE,
            &viewer.ip,
        )
        .await?;
    Ok(Json(ApiList {
        total,
        page,
        people,
    }))
}
