//! Unplaced graduates (离校未就业高校毕业生, task 1.1.4) for unit staff: the year's roster
//! with placement rates per street against the plan's target (90 %) and who still waits for which 1131
//! item; a graduate's page with the service log, the service form and the placement form;
//! import with a template. Scoped by the store like every roster of people.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Datelike;
use linkong_core::people::{Degree, Placement, ServiceItem};

use linkong_core::access::Roster;
use linkong_core::field::FieldError;
use linkong_core::registry::Registry;
use linkong_store::graduates::{
    GraduateEntry, GraduateFilter, PlacementDraft, PlacementRate, ServiceDraft, ServiceEntry,
};
use serde::Deserialize;

use crate::auth::{Nav, Viewer};
use crate::format::amount;
use crate::roster::{MAX_UPLOAD_BYTES, RosterPages, import_form_of, upload};
use crate::view::unit_name;
use crate::view::{Choice, choices};
use crate::{AppError, AppState};

mod trainees;

const PER_PAGE: u32 = 50;

pub const GRADUATE_PAGES: RosterPages = RosterPages {
    file: linkong_import::graduates::FILE,
    base: "/people/graduates",
    title: "导入离校未就业高校毕业生名册",
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people/graduates", get(list_page))
        .route("/people/graduates/template.xlsx", get(template))
        .route("/people/graduates/export.xlsx", get(export))
        .route(
            "/people/graduates/import",
            get(import_form)
                .post(import_upload)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024)),
        )
        .route("/people/graduates/{id}", get(detail_page))
        .route("/people/graduates/{id}/services", post(add_service))
        .route("/people/graduates/{id}/placement", post(set_placement))
        .merge(trainees::router())
}

#[derive(Deserialize, Default, Clone)]
struct ListQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    placement: String,
    #[serde(default)]
    waiting: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
}

impl ListQuery {
    fn filter(&self, state: &AppState) -> Result<(GraduateFilter, u32), String> {
        let info = &state.plan.info;
        let year = match self.year.trim() {
            "" => state.today().year().clamp(info.first_year, info.last_year),
            text => text
                .parse::<i32>()
                .ok()
                .filter(|y| (info.first_year..=info.last_year).contains(y))
                .ok_or_else(|| {
                    format!(
                        "年度：须为 {}—{} 之间的年份（收到“{text}”）",
                        info.first_year, info.last_year
                    )
                })?,
        };
        let street = crate::roster::street_param(state, &self.street)?;
        let placement = match self.placement.trim() {
            "" => None,
            text => Some(Placement::parse(text).map_err(|e| format!("去向：{e}"))?),
        };
        let waiting = match self.waiting.trim() {
            "" => None,
            text => Some(ServiceItem::parse(text).map_err(|e| format!("服务项目：{e}"))?),
        };
        linkong_core::jobs::check_query(self.q.trim())?;
        let page = match self.page.trim() {
            "" => 1,
            text => linkong_core::jobs::check_page(text)? as u32,
        };
        Ok((
            GraduateFilter {
                year,
                street,
                placement,
                waiting,
                query: self.q.trim().to_owned(),
            },
            page,
        ))
    }

    fn link(&self, year: i32, page: u32) -> String {
        let mut url = url::form_urlencoded::Serializer::new(String::new());
        url.append_pair("year", &year.to_string());
        for (key, value) in [
            ("street", &self.street),
            ("placement", &self.placement),
            ("waiting", &self.waiting),
            ("q", &self.q),
        ] {
            if !value.trim().is_empty() {
                url.append_pair(key, value.trim());
            }
        }
        url.append_pair("page", &page.to_string());
        url.finish()
    }
}

pub struct Line {
    pub entry: GraduateEntry,
    pub street: String,
    pub degree: &'static str,
    pub placement: &'static str,
    pub waiting: String,
}

fn line(state: &AppState, entry: GraduateEntry) -> Line {
    Line {
        street: unit_name(state, &entry.street_code),
        degree: Degree::parse(&entry.degree).map_or("", |d| d.label()),
        placement: Placement::parse(&entry.placement).map_or("", |p| p.label()),
        waiting: entry
            .waiting()
            .iter()
            .map(|i| i.label())
            .collect::<Vec<_>>()
            .join("、"),
        entry,
    }
}

pub struct RateRow {
    pub name: String,
    pub code: String,
    pub total: i64,
    pub placed: i64,
    pub rate: String,
    pub status: &'static str,
}

fn rate_row(state: &AppState, rate: &PlacementRate) -> RateRow {
    RateRow {
        name: if rate.unit_code.is_empty() {
            "全区".into()
        } else {
            unit_name(state, &rate.unit_code)
        },
        code: rate.unit_code.clone(),
        total: rate.total,
        placed: rate.placed,
        rate: rate
            .rate
            .map_or("—".into(), |r| format!("{}.{:02}%", r / 100, r % 100)),
        status: match (rate.rate, placement_target(state)) {
            (Some(r), Some(target)) if r >= target => "done",
            (Some(_), Some(_)) => "lagging",
            _ => "",
        },
    }
}

/// The placement rate the plan asks for (1.1.4: 90 %), in hundredths of a percent point;
/// `None` when the plan has no indicator filled by the roster.
fn placement_target(state: &AppState) -> Option<i64> {
    state
        .plan
        .indicator_filled_by(Registry::PlacementRate)
        .and_then(|indicator| indicator.target)
}

#[derive(Template, WebTemplate)]
#[template(path = "graduates.html")]
struct ListPage {
    nav: Nav,
    query: ListQuery,
    year: i32,
    years: Vec<i32>,
    error: Option<String>,
    rates: Vec<RateRow>,
    district: Option<RateRow>,
    waiting: Vec<(String, &'static str, i64)>,
    lines: Vec<Line>,
    total: i64,
    page: u32,
    pages: u32,
    prev: Option<String>,
    next: Option<String>,
    streets: Vec<Choice>,
    placements: Vec<Choice>,
    items: Vec<Choice>,
    may_import: bool,
    /// The plan's placement-rate target as shown ("90%"), or 无目标值.
    target: String,
}

/// For each 1131 item, how many graduates of the filter still wait for it.
async fn waiting_counts(
    state: &AppState,
    viewer: &Viewer,
    filter: &GraduateFilter,
) -> Result<Vec<(String, &'static str, i64)>, AppError> {
    let mut counts = Vec::new();
    for item in ServiceItem::ALL {
        let waiting = GraduateFilter {
            year: filter.year,
            street: filter.street.clone(),
            waiting: Some(*item),
            ..Default::default()
        };
        let (_, count) = state
            .store
            .graduates(&state.plan, &viewer.actor(), &waiting, 1, 1, &viewer.ip)
            .await?;
        counts.push((item.code().to_owned(), item.label(), count));
    }
    Ok(counts)
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    let actor = viewer.actor();
    let (_, streets) = crate::roster::roster_reach(&state, &viewer, Roster::Graduates).await?;
    let info = &state.plan.info;
    let mut page =
        ListPage {
            nav: Nav::of(&viewer, &state),
            year: state.today().year().clamp(info.first_year, info.last_year),
            years: (info.first_year..=info.last_year).collect(),
            error: None,
            rates: Vec::new(),
            district: None,
            waiting: Vec::new(),
            lines: Vec::new(),
            total: 0,
            page: 1,
            pages: 1,
            prev: None,
            next: None,
            streets: choices(streets.into_iter(), &query.street),
            placements: choices(
                Placement::ALL
                    .iter()
                    .map(|p| (p.code().to_owned(), p.label().to_owned())),
                &query.placement,
            ),
            items: choices(
                ServiceItem::ALL
                    .iter()
                    .map(|i| (i.code().to_owned(), i.label().to_owned())),
                &query.waiting,
            ),
            may_import: viewer.user.unit_code.as_deref().is_some_and(|u| {
                linkong_core::access::may_import(&state.plan, u, Roster::Graduates)
            }),
            target: placement_target(&state)
                .map_or("无目标值".into(), |t| format!("{}%", amount(t))),
            query: query.clone(),
        };
    let (filter, number) = match query.filter(&state) {
        Ok(parsed) => parsed,
        Err(message) => {
            page.error = Some(message);
            return Ok(page);
        }
    };
    page.year = filter.year;
    let today = state.today();
    let on = today.min(chrono::NaiveDate::from_ymd_opt(filter.year, 12, 31).unwrap_or(today));
    let (rates, district) = state.store.placement_rates(filter.year, on).await?;
    page.rates = rates.iter().map(|r| rate_row(&state, r)).collect();
    page.district = Some(rate_row(&state, &district));
    page.waiting = waiting_counts(&state, &viewer, &filter).await?;
    let (entries, total) = state
        .store
        .graduates(&state.plan, &actor, &filter, number, PER_PAGE, &viewer.ip)
        .await?;
    page.total = total;
    page.page = number;
    page.pages = (total as u32).div_ceil(PER_PAGE).max(1);
    page.prev = (number > 1).then(|| query.link(filter.year, number - 1));
    page.next = (number < page.pages).then(|| query.link(filter.year, number + 1));
    page.lines = entries.into_iter().map(|e| line(&state, e)).collect();
    Ok(page)
}

pub struct ServiceLine {
    pub entry: ServiceEntry,
    pub item: &'static str,
    pub unit: String,
}

pub struct ItemProgress {
    pub label: &'static str,
    pub done: i64,
    pub required: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "graduate.html")]
struct DetailPage {
    nav: Nav,
    line: Line,
    services: Vec<ServiceLine>,
    progress: Vec<ItemProgress>,
    items: Vec<Choice>,
    placements: Vec<Choice>,
    service: ServiceForm,
    placement: PlacementForm,
    trainees: trainees::Section,
    errors: Vec<FieldError>,
    saved: bool,
    today: String,
    /// The open posts that best match an unplaced graduate, for those who serve them.
    matches: Vec<MatchLine>,
    /// The posts pushed to the graduate and how far each came.
    pushes: Vec<linkong_store::pushes::PushTrail>,
}

/// A suggested post with its street by name.
pub struct MatchLine {
    pub post_id: i64,
    pub title: String,
    pub employer_name: String,
    pub street: String,
    pub salary_min: i64,
    pub salary_max: i64,
    pub score: f64,
    pub reasons: Vec<String>,
    pub warnings: Vec<String>,
}

/// How many matching posts a graduate's page suggests.
const MATCHES_SHOWN: usize = 5;

/// The best open posts for a graduate if the viewer serves them and they are not placed.
async fn matches_for(
    state: &AppState,
    viewer: &Viewer,
    entry: &GraduateEntry,
    services: &[ServiceEntry],
) -> Result<Vec<MatchLine>, AppError> {
    let placed = Placement::parse(&entry.placement).is_ok_and(Placement::is_placed);
    if placed
        || !viewer
            .actor()
            .may_serve_graduate(&state.plan, &entry.street_code)
    {
        return Ok(Vec::new());
    }
    let found = state
        .store
        .matches_of(&state.plan, entry, services, &state.matching, MATCHES_SHOWN)
        .await?;
    Ok(found
        .into_iter()
        .map(|m| MatchLine {
            street: unit_name(state, &m.street_code),
            post_id: m.post_id,
            title: m.title,
            employer_name: m.employer_name,
            salary_min: m.salary_min,
            salary_max: m.salary_max,
            score: m.score,
            reasons: m.reasons,
            warnings: m.warnings,
        })
        .collect())
}

/// The forms of a graduate's page, as typed (empty but the one sent back with errors).
#[derive(Default)]
struct Forms {
    service: ServiceForm,
    placement: PlacementForm,
    trainees: trainees::Forms,
}

#[derive(Deserialize, Default, Clone)]
struct ServiceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    post_id: String,
    #[serde(default)]
    done_on: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize, Default, Clone)]
struct PlacementForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    placement: String,
    #[serde(default)]
    placed_on: String,
    #[serde(default)]
    evidence: String,
}

#[derive(Deserialize, Default)]
struct Saved {
    #[serde(default)]
    saved: String,
}

fn graduate_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found("该毕业生不存在"))
}

async fn detail(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    forms: Forms,
    errors: Vec<FieldError>,
    saved: bool,
) -> Result<DetailPage, AppError> {
    let Forms {
        service,
        placement,
        trainees,
    } = forms;
    let (entry, services) = state
        .store
        .graduate(&state.plan, &viewer.actor(), id, &viewer.ip)
        .await?;
    let trainees = trainees::section(state, viewer, &entry, trainees).await?;
    let progress = ServiceItem::ALL
        .iter()
        .map(|item| ItemProgress {
            label: item.label(),
            done: entry.done(*item),
            required: item.required() as i64,
        })
        .collect();
    let current = if placement.placement.is_empty() {
        entry.placement.clone()
    } else {
        placement.placement.clone()
    };
    let matches = matches_for(state, viewer, &entry, &services).await?;
    let pushes = state.store.pushes_to_graduate(entry.id).await?;
    Ok(DetailPage {
        matches,
        pushes,
        nav: Nav::of(viewer, state),
        services: services
            .into_iter()
            .map(|s| ServiceLine {
                item: ServiceItem::parse(&s.item).map_or("", |i| i.label()),
                unit: unit_name(state, &s.unit_code),
                entry: s,
            })
            .collect(),
        progress,
        items: choices(
            ServiceItem::ALL
                .iter()
                .map(|i| (i.code().to_owned(), i.label().to_owned())),
            &service.item,
        ),
        placements: choices(
            Placement::ALL
                .iter()
                .map(|p| (p.code().to_owned(), p.label().to_owned())),
            &current,
        ),
        line: line(state, entry),
        service,
        placement,
        trainees,
        errors,
        saved,
        today: state.today().to_string(),
    })
}

async fn detail_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<DetailPage, AppError> {
    detail(
        &state,
        &viewer,
        graduate_id(&id)?,
        Forms::default(),
        Vec::new(),
        saved.saved == "1",
    )
    .await
}

async fn add_service(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<ServiceForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = graduate_id(&id)?;
    let draft = ServiceDraft {
        item: form.item.clone(),
        post_id: form.post_id.clone(),
        done_on: form.done_on.clone(),
        note: form.note.clone(),
    };
    match state
        .store
        .add_service(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/people/graduates/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            detail(
                &state,
                &viewer,
                id,
                Forms {
                    service: form,
                    ..Forms::default()
                },
                errors,
                false,
            )
            .await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn set_placement(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<PlacementForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = graduate_id(&id)?;
    let draft = PlacementDraft {
        placement: form.placement.clone(),
        placed_on: form.placed_on.clone(),
        evidence: form.evidence.clone(),
    };
    match state
        .store
        .set_placement(&state.plan, &viewer.actor(), id, &draft, &viewer.ip)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/people/graduates/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            detail(
                &state,
                &viewer,
                id,
                Forms {
                    placement: form,
                    ..Forms::default()
                },
                errors,
                false,
            )
            .await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let (filter, _) = query.filter(&state).map_err(AppError::bad_request)?;
    let rows = state
        .store
        .export_graduates(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    crate::download::download(
        &format!("graduates-{}.xlsx", filter.year),
        export_workbook(&state, &rows),
    )
}

fn export_workbook(
    state: &AppState,
    rows: &[GraduateEntry],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name("离校未就业毕业生")?;
    let headers = [
        "姓名",
        "身份证号码",
        "手机号码",
        "户籍街道",
        "毕业院校",
        "专业",
        "学历",
        "毕业日期",
        "求职意向",
        "去向",
        "落实日期",
        "佐证说明",
        "政策宣讲",
        "职业指导",
        "岗位推荐",
        "培训或见习",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    ws.set_column_width(1, 22)?;
    for (r, g) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        let texts = [
            g.name.clone(),
            g.id_masked.clone(),
            g.phone_masked.clone(),
            unit_name(state, &g.street_code),
            g.school.clone(),
            g.major.clone(),
            Degree::parse(&g.degree).map_or(String::new(), |d| d.label().to_owned()),
            g.graduated_on.to_string(),
            g.wish.clone(),
            Placement::parse(&g.placement).map_or(String::new(), |p| p.label().to_owned()),
            g.placed_on.map(|d| d.to_string()).unwrap_or_default(),
            g.placement_evidence.clone(),
        ];
        for (c, text) in texts.iter().enumerate() {
            ws.write_string(r, c as u16, text)?;
        }
        for (i, item) in ServiceItem::ALL.iter().enumerate() {
            ws.write_number(r, (texts.len() + i) as u16, g.done(*item) as f64)?;
        }
    }
    workbook.save_to_buffer()
}

async fn template() -> Result<Response, AppError> {
    crate::download::download(
        "graduates-template.xlsx",
        linkong_import::run::template(GRADUATE_PAGES.file),
    )
}

async fn import_form(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<crate::roster::ImportForm, AppError> {
    import_form_of(&state, &viewer, GRADUATE_PAGES, None).await
}

async fn import_upload(
    State(state): State<AppState>,
    viewer: Viewer,
    multipart: Multipart,
) -> Result<Response, AppError> {
    upload(state, viewer, multipart, GRADUATE_PAGES).await
}
