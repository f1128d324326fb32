//! The public job portal (no login): Chinese search with filters, sorting, pagination and
//! highlighted matches; the job detail page with 举报 and 申请; the same at `/api/v1/jobs`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use axum_extra::extract::cookie::CookieJar;
use linkong_core::industry::{LeadingIndustry, SECTIONS};
use linkong_core::jobs::{Education, Experience, check_page, check_query};
use linkong_core::plan::UnitKind;
use linkong_search::{JobHit, JobQuery, Sort};
use linkong_store::jobs::{COMPLAINT_REASONS, JobPost};
use serde::{Deserialize, Serialize};

use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ClientIp, MaybeViewer, anonymous_csrf, check_anonymous_csrf};
use crate::openapi::ErrorBody;
use crate::view::{Choice, choices};
use crate::{AppError, AppState};
use linkong_core::limits::Limited;

pub const PER_PAGE: usize = 20;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/jobs", get(search_page))
        .route("/jobs/{id}", get(detail_page))
        .route("/jobs/{id}/report", post(report))
        .route("/jobs/{id}/apply", post(apply))
}

/// The portal's JSON API, each route with its OpenAPI annotation (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search_api))
        .routes(routes!(detail_api))
}

/// The search form as it arrives in the address; every field optional and checked here.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub leading: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub education: String,
    #[serde(default)]
    pub salary: String,
    #[serde(default)]
    pub emerging: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub page: String,
}

/// Turns the address's parameters into a query, naming the first wrong one.
pub fn parse_params(state: &AppState, p: &SearchParams) -> Result<(JobQuery, usize), String> {
    let text = check_query(&p.q)?;
    let page = if p.page.trim().is_empty() {
        1
    } else {
        check_page(&p.page)?
    };
    let pick = |value: &str| {
        Some(value.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let industry = pick(&p.industry);
    if let Some(letter) = &industry
        && !SECTIONS.iter().any(|(l, _)| l.to_string() == *letter)
    {
        return Err(format!("行业门类“{letter}”不存在"));
    }
    let leading = match pick(&p.leading) {
        Some(code) => Some(LeadingIndustry::parse(&code)?.code().to_owned()),
        None => None,
    };
    let street = pick(&p.street);
    if let Some(code) = &street
        && !state
            .plan
            .unit(code)
            .is_some_and(|u| u.kind == UnitKind::Street)
    {
        return Err(format!("街道“{code}”不存在"));
    }
    let education = match pick(&p.education) {
        Some(code) => Some(
            Education::parse(&code)
                .map_err(|e| format!("学历要求：{e}"))?
                .code()
                .to_owned(),
        ),
        None => None,
    };
    let salary_at_least = match pick(&p.salary) {
        Some(text) => match text.parse::<i64>() {
            Ok(n) if (0..=1_000_000).contains(&n) => Some(n),
            _ => return Err(format!("月薪下限应为 0 至 1000000 的整数（收到“{text}”）")),
        },
        None => None,
    };
    let emerging = match p.emerging.trim() {
        "" => None,
        "1" | "true" => Some(true),
        "0" | "false" => Some(false),
        other => return Err(format!("新兴产业筛选应为 1 或 0（收到“{other}”）")),
    };
    let sort = match p.sort.trim() {
        "" | "relevance" => Sort::Relevance,
        "newest" => Sort::Newest,
        "salary" => Sort::Salary,
        other => {
            return Err(format!(
                "排序方式“{other}”不存在，可用 relevance、newest、salary"
            ));
        }
    };
    let mut query = JobQuery::new(state.today());
    query.text = text;
    query.industry = industry;
    query.leading = leading;
    query.street = street;
    query.education = education;
    query.salary_at_least = salary_at_least;
    query.emerging = emerging;
    query.sort = sort;
    query.offset = (page - 1) * PER_PAGE;
    query.limit = PER_PAGE;
    Ok((query, page))
}

/// A hit as pages and the API show it.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct JobCard {
    pub id: i64,
    pub title: String,
    /// HTML: escaped, keywords in `<mark>`.
    pub title_html: String,
    pub snippet_html: String,
    pub employer: String,
    pub salary: String,
    pub salary_min: i64,
    pub salary_max: i64,
    pub street: String,
    pub education: &'static str,
    pub experience: &'static str,
    pub positions: i64,
    pub leading_industry: &'static str,
    pub emerging: bool,
    pub published_on: String,
    pub valid_until: String,
}

pub fn salary_text(min: i64, max: i64) -> String {
    let k = |yuan: i64| {
        if yuan % 1000 == 0 {
            format!("{}", yuan / 1000)
        } else {
            format!("{:.1}", yuan as f64 / 1000.0)
        }
    };
    format!("{}-{}千/月", k(min), k(max))
}

fn card(state: &AppState, post: &JobPost, title_html: String, snippet_html: String) -> JobCard {
    JobCard {
        id: post.id,
        title: post.title.clone(),
        title_html,
        snippet_html,
        employer: post.employer_name.clone(),
        salary: salary_text(post.salary_min, post.salary_max),
        salary_min: post.salary_min,
        salary_max: post.salary_max,
        street: street_name(state, post.street_code.clone()),
        education: post.education.label(),
        experience: post.experience.label(),
        positions: post.positions,
        leading_industry: post.leading_industry.label(),
        emerging: post.emerging,
        published_on: post
            .published_at
            .map(|at| linkong_core::time::local_date(at).to_string())
            .unwrap_or_default(),
        valid_until: post.valid_until.to_string(),
    }
}

pub struct Found {
    pub total: usize,
    pub cards: Vec<JobCard>,
}

/// Runs a search and makes its cards from the index alone: what a card shows is stored there,
/// and the index holds only published posts, valid through `query.today` (the expiry filter is
/// in the query). A post's own page reads the database.
///
/// The search runs on the request's own thread: a page of hits costs about a millisecond of
/// processor, less than handing it to a blocking thread and back costs at a fair's load.
pub fn find(state: &AppState, query: JobQuery) -> Result<Found, AppError> {
    let hits = state.search.search(&query).map_err(|e| {
        tracing::error!(error = %e, "search failed");
        AppError::Internal
    })?;
    let cards = hits
        .hits
        .into_iter()
        .map(|hit| card_of_hit(state, hit))
        .collect::<Result<_, _>>()?;
    Ok(Found {
        total: hits.total,
        cards,
    })
}

/// A card from a hit's stored fields. A code the vocabularies do not know means the index was
/// written by another version: an error, not a card with a blank.
fn card_of_hit(state: &AppState, hit: JobHit) -> Result<JobCard, AppError> {
    let post = hit.post;
    let unknown = |what: &str, code: &str| {
        tracing::error!(
            post = hit.id,
            what,
            code,
            "search index holds an unknown code"
        );
        AppError::Internal
    };
    let education =
        Education::parse(&post.education).map_err(|_| unknown("education", &post.education))?;
    let experience =
        Experience::parse(&post.experience).map_err(|_| unknown("experience", &post.experience))?;
    let leading =
        LeadingIndustry::parse(&post.leading).map_err(|_| unknown("leading", &post.leading))?;
    let published_on = chrono::DateTime::from_timestamp(post.published_at, 0)
        .map(|at| linkong_core::time::local_date(at).to_string())
        .unwrap_or_default();
    Ok(JobCard {
        id: post.id,
        title_html: hit.title_html,
        snippet_html: hit.snippet_html,
        salary: salary_text(post.salary_min, post.salary_max),
        salary_min: post.salary_min,
        salary_max: post.salary_max,
        street: street_name(state, post.street),
        education: education.label(),
        experience: experience.label(),
        positions: post.positions,
        leading_industry: leading.label(),
        emerging: post.emerging,
        published_on,
        valid_until: post.valid_until.to_string(),
        title: post.title,
        employer: post.employer,
    })
}

/// The street's name in the plan, or its code when the plan no longer has it.
fn street_name(state: &AppState, code: String) -> String {
    state
        .plan
        .unit(&code)
        .map_or(code, |unit| unit.name.clone())
}

pub struct Filters {
    pub industries: Vec<Choice>,
    pub leading: Vec<Choice>,
    pub streets: Vec<Choice>,
    pub educations: Vec<Choice>,
    pub sorts: Vec<Choice>,
}

fn filters(state: &AppState, p: &SearchParams) -> Filters {
    Filters {
        industries: choices(
            SECTIONS
                .iter()
                .map(|(l, n)| (l.to_string(), format!("{l} {n}"))),
            &p.industry,
        ),
        leading: choices(
            LeadingIndustry::ALL
                .iter()
                .map(|i| (i.code().to_owned(), i.label().to_owned())),
            &p.leading,
        ),
        streets: choices(
            state
                .plan
                .units
                .iter()
                .filter(|u| u.kind == UnitKind::Street)
                .map(|u| (u.code.clone(), u.name.clone())),
            &p.street,
        ),
        educations: choices(
            Education::ALL
                .iter()
                .map(|e| (e.code().to_owned(), e.label().to_owned())),
            &p.education,
        ),
        sorts: choices(
            [
                ("relevance", "最相关"),
                ("newest", "最新发布"),
                ("salary", "薪资最高"),
            ]
            .into_iter()
            .map(|(v, l)| (v.to_owned(), l.to_owned())),
            if p.sort.is_empty() {
                "relevance"
            } else {
                &p.sort
            },
        ),
    }
}

pub use crate::view::PortalNav;

#[derive(Template, WebTemplate)]
#[template(path = "jobs.html")]
struct SearchPage {
    portal: PortalNav,
    params: SearchParams,
    filters: Filters,
    error: Option<String>,
    total: usize,
    cards: Vec<JobCard>,
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
    /// Open gigs (零工) of the streets' gig stations matching the search, on its first page.
    gigs: Vec<crate::gigs::GigLine>,
}

/// How many gigs the search's first page shows.
const SEARCH_GIGS: usize = 10;

/// The open gigs that fit a search: of its street, naming one of its words if it has any.
async fn gigs_for(
    state: &AppState,
    params: &SearchParams,
    page: usize,
) -> Result<Vec<crate::gigs::GigLine>, AppError> {
    if page > 1 {
        return Ok(Vec::new());
    }
    let street = Some(params.street.trim()).filter(|s| state.plan.unit(s).is_some());
    let words: Vec<&str> = params.q.split_whitespace().collect();
    Ok(state
        .store
        .open_gigs(street)
        .await?
        .into_iter()
        .filter(|g| {
            words.is_empty()
                || words
                    .iter()
                    .any(|w| g.title.contains(w) || g.note.contains(w))
        })
        .take(SEARCH_GIGS)
        .map(|g| crate::gigs::gig_line(state, g))
        .collect())
}

fn page_link(p: &SearchParams, page: usize) -> String {
    let pairs = [
        ("q", p.q.as_str()),
        ("industry", &p.industry),
        ("leading", &p.leading),
        ("street", &p.street),
        ("education", &p.education),
        ("salary", &p.salary),
        ("emerging", &p.emerging),
        ("sort", &p.sort),
    ];
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if !v.trim().is_empty() {
            query.append_pair(k, v.trim());
        }
    }
    query.append_pair("page", &page.to_string());
    format!("/jobs?{}", query.finish())
}

async fn search_page(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    Query(params): Query<SearchParams>,
) -> Result<Response, AppError> {
    let portal = PortalNav::of(&viewer);
    let filters = filters(&state, &params);
    let (query, page) = match parse_params(&state, &params) {
        Ok(parsed) => parsed,
        Err(message) => {
            let page = SearchPage {
                portal,
                params: SearchParams {
                    q: params.q.chars().take(50).collect(),
                    ..params.clone()
                },
                filters,
                error: Some(message),
                total: 0,
                cards: Vec::new(),
                page: 1,
                pages: 0,
                prev: None,
                next: None,
                gigs: Vec::new(),
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let found = find(&state, query)?;
    let gigs = gigs_for(&state, &params, page).await?;
    let pages = found
        .total
        .div_ceil(PER_PAGE)
        .min(linkong_core::jobs::MAX_PAGE as usize);
    Ok(SearchPage {
        portal,
        prev: (page > 1).then(|| page_link(&params, page - 1)),
        next: (page < pages).then(|| page_link(&params, page + 1)),
        params,
        filters,
        error: None,
        total: found.total,
        cards: found.cards,
        page,
        pages,
        gigs,
    }
    .into_response())
}

/// A page of search results.
#[derive(Serialize, ToSchema)]
struct SearchAnswer {
    total: usize,
    page: usize,
    per_page: usize,
    jobs: Vec<JobCard>,
}

/// The public job search (no login): Chinese full text over title, employer and description,
/// with the filters of `/jobs`; 20 a page.
#[utoipa::path(
    get,
    path = "/api/v1/jobs",
    operation_id = "searchJobs",
    tag = "jobs",
    params(
        ("q" = Option<String>, Query, description = "关键词（两个字及以上的词均可检索，如 会计、前端）"),
        ("street" = Option<String>, Query, description = "街道代码，如 jinghe"),
        ("leading" = Option<String>, Query, description = "五大主导产业代码"),
        ("industry" = Option<String>, Query, description = "GB/T 4754 行业门类字母，如 I"),
        ("education" = Option<String>, Query, description = "最低学历代码，如 bachelor"),
        ("salary" = Option<i64>, Query, description = "月薪下限（元，0–1000000）"),
        ("emerging" = Option<String>, Query, description = "1 只看新兴产业，0 排除"),
        ("sort" = Option<String>, Query, description = "relevance（默认）、newest 或 salary"),
        ("page" = Option<u32>, Query, description = "页码，从 1 开始"),
    ),
    responses(
        (status = 200, description = "一页搜索结果", body = SearchAnswer),
        (status = 422, description = "参数有误，消息指明是哪一个", body = ErrorBody),
        (status = 429, description = "同一 IP 搜索过于频繁（rules/rate-limits.toml 的 search_ip）；Retry-After 头给出等待秒数", body = ErrorBody),
    )
)]
async fn search_api(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchAnswer>, AppError> {
    let (query, page) = parse_params(&state, &params).map_err(AppError::BadRequest)?;
    let found = find(&state, query)?;
    Ok(Json(SearchAnswer {
        total: found.total,
        page,
        per_page: PER_PAGE,
        jobs: found.cards,
    }))
}

/// A post id from the address: a positive whole number.
fn post_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| AppError::not_found("该岗位不存在或已停止招聘"))
}

/// A published post: its card and the whole description; the contact phone masked.
#[derive(Serialize, ToSchema)]
struct JobDetail {
    #[serde(flatten)]
    card: JobCard,
    description: String,
    occupation: String,
    occupation_group: &'static str,
    /// 职业分类大典 code and its name ("2-06-03-00 会计专业人员"), when given.
    occupation_code: Option<String>,
    /// 岗位层次.
    level: &'static str,
    industry: String,
    /// What the emerging flag rests on: the row of the emerging-industry mapping.
    emerging_basis: Option<String>,
    /// Why the flag is not the derived one: a reviewer's change with its reason, or the note
    /// that migration 0040 kept the employer's tick.
    emerging_override: Option<String>,
    contact_name: String,
    contact_phone_masked: String,
}

fn detail(state: &AppState, post: &JobPost) -> JobDetail {
    let escaped = askama::filters::escape(&post.title, askama::filters::Html)
        .map(|s| s.to_string())
        .unwrap_or_default();
    JobDetail {
        card: card(state, post, escaped, String::new()),
        description: post.description.clone(),
        occupation: post.occupation.clone(),
        occupation_group: post.occupation_group.label(),
        occupation_code: post.occupation_code.as_deref().map(occupation_named),
        level: post.level.label(),
        industry: SECTIONS
            .iter()
            .find(|(l, _)| l.to_string() == post.industry_section)
            .map_or(post.industry_section.clone(), |(l, n)| format!("{l} {n}"))
            + &post
                .industry_code
                .as_deref()
                .map(|c| format!("，行业代码 {c}"))
                .unwrap_or_default(),
        emerging_basis: post.emerging_basis.clone(),
        emerging_override: post
            .emerging_override
            .as_ref()
            .map(|o| match (&o.by, o.at) {
                (Some(by), Some(at)) => {
                    let on = linkong_core::time::local_date(at);
                    format!("审核更改：{}（{by}，{on}）", o.reason)
                }
                // Migration 0040 kept the employer's tick: nobody has reviewed it yet.
                _ => o.reason.clone(),
            }),
        contact_name: post.contact_name.clone(),
        contact_phone_masked: post.contact_phone_masked.clone(),
    }
}

/// "2-06-03-00 会计专业人员": a code with its name in the shipped excerpt.
pub fn occupation_named(code: &str) -> String {
    let names = linkong_core::occupations::Classification::shipped();
    match names.code(code) {
        Ok(parsed) => format!("{code} {}", names.name(&parsed)),
        Err(_) => code.to_owned(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "job.html")]
struct DetailPage {
    portal: PortalNav,
    job: JobDetail,
    csrf: String,
    reasons: &'static [&'static str],
    can_apply: bool,
    /// A reviewer may change the derived emerging flag here.
    may_override: bool,
    message: Option<String>,
    error: Option<String>,
}

async fn render_detail(
    state: &AppState,
    viewer: &MaybeViewer,
    jar: CookieJar,
    id: i64,
    message: Option<String>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let post = state.store.public_post(id).await?;
    let (jar, csrf) = match &viewer.0 {
        Some(v) => (jar, v.csrf.clone()),
        None => anonymous_csrf(state, jar),
    };
    let can_apply = viewer
        .0
        .as_ref()
        .is_none_or(|v| v.user.role == linkong_core::access::Role::Applicant);
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        jar,
        DetailPage {
            portal: PortalNav::of(viewer),
            job: detail(state, &post),
            csrf,
            reasons: &COMPLAINT_REASONS,
            can_apply,
            may_override: viewer
                .0
                .as_ref()
                .is_some_and(|v| v.actor().may_review_posts()),
            message,
            error,
        },
    )
        .into_response())
}

async fn detail_page(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    jar: CookieJar,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = post_id(&id)?;
    if let Some(signed_in) = &viewer.0 {
        state.store.record_push_view(&signed_in.actor(), id).await?;
    }
    render_detail(&state, &viewer, jar, id, None, None).await
}

/// One published post (no login).
#[utoipa::path(
    get,
    path = "/api/v1/jobs/{id}",
    operation_id = "getJob",
    tag = "jobs",
    params(("id" = i64, Path, description = "岗位编号", minimum = 1)),
    responses(
        (status = 200, description = "岗位详情", body = JobDetail),
        (status = 404, description = "岗位不存在、未发布或已停止招聘", body = ErrorBody),
    )
)]
async fn detail_api(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<JobDetail>, AppError> {
    let id = post_id(&id)?;
    let post = state.store.public_post(id).await?;
    Ok(Json(detail(&state, &post)))
}

#[derive(Deserialize)]
struct ReportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    detail: String,
}

async fn report(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(form): Form<ReportForm>,
) -> Result<Response, AppError> {
    let id = post_id(&id)?;
    match &viewer.0 {
        Some(v) => {
            v.check_csrf(&state, &form.csrf).await?;
            state
                .limits
                .check_account(Limited::ComplaintAccount, v.user.id)?;
        }
        None => check_anonymous_csrf(&state, &jar, &form.csrf, "job_post.complaint", &ip).await?,
    }
    match state
        .store
        .report_job_post(id, &form.reason, &form.detail, &ip)
        .await
    {
        Ok(_) => {
            render_detail(
                &state,
                &viewer,
                jar,
                id,
                Some("举报已收到，区人社局将尽快核查处理。感谢您的监督！".into()),
                None,
            )
            .await
        }
        Err(e @ linkong_store::Error::Invalid { .. }) => {
            render_detail(&state, &viewer, jar, id, None, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct ApplyForm {
    #[serde(default)]
    csrf: String,
}

async fn apply(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    jar: CookieJar,
    Path(id): Path<String>,
    Form(form): Form<ApplyForm>,
) -> Result<Response, AppError> {
    let id = post_id(&id)?;
    let Some(v) = &viewer.0 else {
        return Ok(Redirect::to(&format!("/me/login?next=/jobs/{id}")).into_response());
    };
    v.check_csrf(&state, &form.csrf).await?;
    state
        .limits
        .check_account(Limited::ApplyAccount, v.user.id)?;
    match state.store.apply(&v.actor(), id, &v.ip).await {
        Ok(_) => {
            render_detail(
                &state,
                &viewer,
                jar,
                id,
                Some("申请已投递，可在“我的求职”中查看进度。".into()),
                None,
            )
            .await
        }
        Err(linkong_store::Error::Conflict(message)) => {
            // A closed post has no detail page any more: the message stands alone.
            match render_detail(&state, &viewer, jar, id, None, Some(message.clone())).await {
                Ok(page) => Ok(page),
                Err(_) => Err(AppError::Conflict(message)),
            }
        }
        Err(e) => Err(e.into()),
    }
}
