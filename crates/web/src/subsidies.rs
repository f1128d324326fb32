//! Subsidy applications on the web (issue 14 items 5, 6, 9): the staff list at
//! `/staff/subsidies` (scoped, with overdue steps and the 财政局's workbook of payments by policy
//! and month), the window's filing form with the policy's facts, an application's page with
//! its trace, history, reviews, objections and payment (`subsidies/detail.rs`), the 免申即享
//! scan and its bulk confirmation, and on the portal the public 公示 with its objection form and
//! an employer's own applications (`subsidies/public.rs`). Every decision is the store's and
//! core's; this module parses and renders.

mod detail;
mod public;

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use linkong_core::field::FieldError;
use linkong_core::rules::{Decision, RuleBook, format_fen};
use linkong_core::subsidies::facts::needed;
use linkong_core::subsidies::{
    ApplicantKind, Category, Channel, SCHEMES, Scheme, SubsidyStatus, scheme,
};
use linkong_store::subsidies::{
    ApplicationDraft, Filed, MonthlyPayment, OfferKey, SubsidyApplication, SubsidyFilter,
};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Nav, Viewer};
use crate::view::{Choice, choices, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/subsidies", get(list_page).post(create))
        .route("/staff/subsidies/new", get(new_page))
        .route("/staff/subsidies/payments.xlsx", get(payments_export))
        .route("/staff/subsidies/export.xlsx", get(export))
        .route("/staff/subsidies/scan", get(scan_page).post(confirm))
        .route("/staff/subsidies/{id}", get(detail::page))
        .route("/staff/subsidies/{id}/review", post(detail::review))
        .route(
            "/staff/subsidies/{id}/objections/{objection}",
            post(detail::answer),
        )
        .route("/staff/subsidies/{id}/pay", post(detail::pay))
        .merge(public::router())
}

/// The public 公示's JSON API (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(public::api_notices))
}

/// 分 as people read it: "1,500.00 元".
pub fn yuan(fen: i64) -> String {
    format_fen(fen)
}

/// 分 as a plain number of 元 with two decimals, from integers ("1500.00").
pub fn plain_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", fen.abs() / 100, fen.abs() % 100)
}

/// An application as lists show it.
pub struct Line {
    pub a: SubsidyApplication,
    pub street: String,
    pub amount: String,
    pub paid: String,
    pub badge: &'static str,
}

pub fn line(state: &AppState, a: SubsidyApplication) -> Line {
    Line {
        street: unit_name(state, &a.street_code),
        amount: yuan(a.amount_fen),
        paid: a.paid_fen.map(yuan).unwrap_or_default(),
        badge: match a.status {
            SubsidyStatus::Paid => "done",
            SubsidyStatus::Rejected => "late",
            _ if a.overdue_days.is_some() => "behind",
            _ => "on_track",
        },
        a,
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    paid_in: String,
    #[serde(default)]
    counted_for: String,
    #[serde(default)]
    channel: String,
}

fn bad(field: &str, e: impl std::fmt::Display) -> AppError {
    AppError::bad_request(format!("{field}：{e}"))
}

impl ListQuery {
    /// The filter asked for; a wrong value is a 422 naming the field.
    fn filter(&self, state: &AppState) -> Result<SubsidyFilter, AppError> {
        fn optional(text: &str) -> Option<&str> {
            Some(text.trim()).filter(|t| !t.is_empty())
        }
        let unit = |text: &str, field: &str| match optional(text) {
            None => Ok(None),
            Some(code) if state.plan.unit(code).is_some() => Ok(Some(code.to_owned())),
            Some(code) => Err(bad(field, format!("未知的单位“{code}”"))),
        };
        Ok(SubsidyFilter {
            status: optional(&self.status)
                .map(SubsidyStatus::parse)
                .transpose()
                .map_err(|e| bad("办理状态", e))?,
            category: optional(&self.category)
                .map(Category::parse)
                .transpose()
                .map_err(|e| bad("补贴类别", e))?,
            channel: optional(&self.channel)
                .map(Channel::parse)
                .transpose()
                .map_err(|e| bad("申请渠道", e))?,
            paid_in: optional(&self.paid_in)
                .map(|y| match y.parse::<i32>() {
                    Ok(year) if state.plan.years().contains(&year) => Ok(year),
                    _ => Err(bad("拨付年度", format!("须为方案年度（收到“{y}”）"))),
                })
                .transpose()?,
            street: unit(&self.street, "街道")?,
            counted_for: unit(&self.counted_for, "区级主管单位")?,
            overdue: !self.overdue.trim().is_empty(),
            ..SubsidyFilter::default()
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_subsidies.html")]
struct ListPage {
    nav: Nav,
    query: ListQuery,
    statuses: Vec<Choice>,
    categories: Vec<Choice>,
    years: Vec<i32>,
    lines: Vec<Line>,
    total_paid: String,
    may_file: bool,
    may_scan: bool,
    may_export: bool,
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    let filter = query.filter(&state)?;
    let actor = viewer.actor();
    let calendar = state.calendar();
    let rows = state
        .store
        .subsidies(&calendar, &actor, &filter, &viewer.ip)
        .await?;
    let vocabulary = |all: Vec<(&str, &str)>, selected: &str| {
        choices(
            all.into_iter().map(|(c, l)| (c.to_owned(), l.to_owned())),
            selected,
        )
    };
    let may_district = Category::ALL
        .iter()
        .any(|c| actor.may_review_subsidy_for_district(*c));
    Ok(ListPage {
        nav: Nav::of(&viewer, &state),
        statuses: vocabulary(
            SubsidyStatus::ALL
                .iter()
                .map(|s| (s.code(), s.label()))
                .collect(),
            &query.status,
        ),
        categories: vocabulary(
            Category::ALL
                .iter()
                .map(|c| (c.code(), c.label()))
                .collect(),
            &query.category,
        ),
        years: state.plan.years().collect(),
        total_paid: yuan(rows.iter().filter_map(|a| a.paid_fen).sum()),
        lines: rows.into_iter().map(|a| line(&state, a)).collect(),
        may_file: actor.unit_code.is_some() && !actor.may_pay_subsidy(),
        may_scan: may_district,
        may_export: actor.reads_every_subsidy() || may_district,
        query,
    })
}

#[derive(Deserialize)]
struct YearQuery {
    #[serde(default)]
    year: String,
}

/// 区财政局's workbook: payments of a year by policy and month, with the 免申即享 part.
async fn payments_export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<YearQuery>,
) -> Result<Response, AppError> {
    let year = match query.year.trim().parse::<i32>() {
        Ok(year) if state.plan.years().contains(&year) => year,
        _ => {
            return Err(bad(
                "年度",
                format!("须为方案年度（收到“{}”）", query.year.trim()),
            ));
        }
    };
    let rows = state
        .store
        .subsidy_payments_by_month(&viewer.actor(), year, &viewer.ip)
        .await?;
    crate::download::download(
        &format!("subsidy-payments-{year}.xlsx"),
        payments_workbook(year, &rows),
    )
}

/// Amounts are written as numbers of 元 to the fen (two decimals) from integer 分.
fn payments_workbook(
    year: i32,
    rows: &[MonthlyPayment],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let money = rust_xlsxwriter::Format::new().set_num_format("#,##0.00");
    let ws = workbook.add_worksheet();
    ws.set_name(format!("{year}年补贴拨付"))?;
    let headers = [
        ("政策", 28),
        ("月份", 8),
        ("拨付笔数", 10),
        ("拨付金额（元）", 16),
        ("其中免申即享（元）", 18),
    ];
    for (c, (h, width)) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, *width)?;
    }
    let as_yuan = |fen: i64| fen as f64 / 100.0;
    let mut total = (0, 0, 0);
    for (r, line) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, &line.policy_title)?;
        ws.write_string(r, 1, format!("{}月", line.month))?;
        ws.write_number(r, 2, line.payments as f64)?;
        ws.write_number_with_format(r, 3, as_yuan(line.amount_fen), &money)?;
        ws.write_number_with_format(r, 4, as_yuan(line.offer_fen), &money)?;
        total = (
            total.0 + line.payments,
            total.1 + line.amount_fen,
            total.2 + line.offer_fen,
        );
    }
    let r = rows.len() as u32 + 1;
    ws.write_string_with_format(r, 0, "合计", &bold)?;
    ws.write_number(r, 2, total.0 as f64)?;
    ws.write_number_with_format(r, 3, as_yuan(total.1), &money)?;
    ws.write_number_with_format(r, 4, as_yuan(total.2), &money)?;
    workbook.save_to_buffer()
}

/// The list's applications with each decision's trace, for audit.
async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = query.filter(&state)?;
    let rows = state
        .store
        .export_subsidies(&state.calendar(), &viewer.actor(), &filter, &viewer.ip)
        .await?;
    crate::download::download("subsidies.xlsx", export_workbook(&state, &rows))
}

fn export_workbook(
    state: &AppState,
    rows: &[(SubsidyApplication, Decision)],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let wrap = rust_xlsxwriter::Format::new().set_text_wrap();
    let ws = workbook.add_worksheet();
    ws.set_name("补贴申请")?;
    let headers = [
        ("编号", 8),
        ("政策", 20),
        ("申请主体", 24),
        ("所在街道", 12),
        ("渠道", 10),
        ("申请日期", 12),
        ("核定金额（元）", 14),
        ("状态", 10),
        ("拨付金额（元）", 14),
        ("规则版本", 14),
        ("判定依据", 80),
    ];
    for (c, (h, width)) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, *width)?;
    }
    for (r, (a, decision)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        let who = match &a.graduate_name {
            Some(g) => format!("{}（招用 {g}）", a.applicant_name),
            None => a.applicant_name.clone(),
        };
        let cells = [
            a.id.to_string(),
            a.policy_title.clone(),
            who,
            unit_name(state, &a.street_code),
            a.channel.label().to_owned(),
            a.applied_on.to_string(),
            plain_yuan(a.amount_fen),
            a.status.label().to_owned(),
            a.paid_fen.map(plain_yuan).unwrap_or_default(),
            a.rule_version.clone(),
        ];
        for (c, text) in cells.iter().enumerate() {
            ws.write_string(r, c as u16, text)?;
        }
        ws.write_string_with_format(r, 10, decision.trace.lines().join("\n"), &wrap)?;
    }
    workbook.save_to_buffer()
}

// ---- the window's filing form ----

/// One fact input of the form: the fact's name, label and kind, and what was typed.
pub struct FactInput {
    pub name: String,
    pub label: String,
    /// date, integer or boolean (text otherwise).
    pub kind: &'static str,
    pub value: String,
    /// Filled from the registries, not the form.
    pub known: bool,
}

/// The facts a policy reads, for its form: those the registries fill are marked.
pub fn fact_inputs(
    book: &RuleBook,
    scheme: &Scheme,
    typed: &BTreeMap<String, String>,
) -> Vec<FactInput> {
    let Ok(policy) = book.policy(scheme.policy_id) else {
        return Vec::new();
    };
    let from_registry = |name: &str| match name {
        "licence_date" | "first_licence" => scheme.applicant == ApplicantKind::Business,
        "counted_elsewhere" | "insured_months" | "left_school_on" => scheme.names_graduate,
        _ => false,
    };
    needed(book, policy)
        .into_iter()
        .map(|n| FactInput {
            known: from_registry(&n.name),
            kind: match n.decl.kind {
                linkong_core::rules::FactKind::Date => "date",
                linkong_core::rules::FactKind::Integer => "integer",
                linkong_core::rules::FactKind::Boolean => "boolean",
                linkong_core::rules::FactKind::Money => "money",
                linkong_core::rules::FactKind::Text => "text",
            },
            value: typed.get(&n.name).cloned().unwrap_or_default(),
            label: n.decl.label,
            name: n.name,
        })
        .collect()
}

/// The schemes of the rule book, as a select.
pub fn policy_choices(book: &RuleBook, only: Option<ApplicantKind>, selected: &str) -> Vec<Choice> {
    choices(
        SCHEMES
            .iter()
            .filter(|s| only.is_none_or(|k| s.applicant == k))
            .filter_map(|s| {
                let policy = book.policy(s.policy_id).ok()?;
                Some((
                    s.policy_id.to_owned(),
                    format!("{}（{}）", policy.title, s.applicant.label()),
                ))
            }),
        selected,
    )
}

/// A filing form as posted: fixed fields, and each fact as `fact.<name>`.
#[derive(Deserialize, Default, Clone)]
pub struct FileForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub policy: String,
    #[serde(default)]
    pub applicant: String,
    #[serde(default)]
    pub graduate: String,
    #[serde(default)]
    pub applied_on: String,
    #[serde(flatten)]
    pub rest: BTreeMap<String, String>,
}

impl FileForm {
    pub fn facts(&self) -> BTreeMap<String, String> {
        self.rest
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("fact.")?.to_owned(), v.clone())))
            .collect()
    }

    pub fn draft(&self) -> ApplicationDraft {
        ApplicationDraft {
            policy: self.policy.clone(),
            applicant: self.applicant.clone(),
            graduate: self.graduate.clone(),
            applied_on: self.applied_on.clone(),
            facts: self.facts(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "subsidy_form.html")]
struct FormPage {
    nav: Nav,
    policies: Vec<Choice>,
    scheme: Option<&'static Scheme>,
    applicant_label: &'static str,
    facts: Vec<FactInput>,
    form: FileForm,
    errors: Vec<FieldError>,
    today: String,
}

fn applicant_label(scheme: Option<&Scheme>) -> &'static str {
    match scheme.map(|s| s.applicant) {
        Some(ApplicantKind::Employer) => "申请单位统一社会信用代码",
        Some(ApplicantKind::Business) => "创业主体统一社会信用代码",
        Some(ApplicantKind::Person) => "申请人公民身份号码",
        None => "申请主体",
    }
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    form: FileForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let scheme = scheme(form.policy.trim());
    let page = FormPage {
        nav: Nav::of(viewer, state),
        policies: policy_choices(&state.rules, None, &form.policy),
        applicant_label: applicant_label(scheme),
        facts: scheme.map_or_else(Vec::new, |s| fact_inputs(&state.rules, s, &form.facts())),
        scheme,
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
    policy: String,
}

async fn new_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<NewQuery>,
) -> Result<Response, AppError> {
    let form = FileForm {
        policy: query.policy,
        applied_on: state.today().to_string(),
        ..FileForm::default()
    };
    form_page(&state, &viewer, form, Vec::new()).await
}

#[derive(Template, WebTemplate)]
#[template(path = "subsidy_refused.html")]
pub struct RefusedPage {
    pub nav: Nav,
    pub title: String,
    pub lines: Vec<String>,
    pub failed: Vec<String>,
    pub back: &'static str,
}

/// The rules' refusal: 422 with the trace in plain Chinese, the conditions not met first.
pub fn refused(nav: Nav, decision: &Decision, back: &'static str) -> Response {
    let page = RefusedPage {
        nav,
        title: decision.trace.policy_title.clone(),
        lines: decision.trace.lines(),
        failed: decision
            .trace
            .conditions
            .iter()
            .filter(|c| !c.met)
            .map(|c| c.sentence.clone())
            .collect(),
        back,
    };
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<FileForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let filed = state
        .store
        .file_subsidy(
            &state.rules,
            &viewer.actor(),
            &form.draft(),
            Channel::Window,
            &viewer.ip,
        )
        .await;
    match filed {
        Ok(Filed::Filed(id)) => {
            Ok(Redirect::to(&format!("/staff/subsidies/{id}?saved=1")).into_response())
        }
        Ok(Filed::Refused(decision)) => Ok(refused(
            Nav::of(&viewer, &state),
            &decision,
            "/staff/subsidies/new",
        )),
        Err(linkong_store::Error::Fields(errors)) => form_page(&state, &viewer, form, errors).await,
        Err(e) => Err(e.into()),
    }
}

// ---- 免申即享 ----

/// One offer on the scan page.
pub struct OfferLine {
    pub key: String,
    pub title: String,
    pub who: String,
    pub street: String,
    pub amount: String,
    pub lines: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "subsidy_scan.html")]
struct ScanPage {
    nav: Nav,
    day: String,
    offers: Vec<OfferLine>,
    conflicts: Vec<(String, String)>,
    total: String,
}

async fn scan_page(State(state): State<AppState>, viewer: Viewer) -> Result<ScanPage, AppError> {
    let page = state
        .store
        .subsidy_scan(&state.rules, &viewer.actor(), &viewer.ip)
        .await?;
    let total = page.offers.iter().map(|o| o.decision.amount_fen).sum();
    Ok(ScanPage {
        nav: Nav::of(&viewer, &state),
        day: page.day.map(|d| d.to_string()).unwrap_or_default(),
        offers: page
            .offers
            .iter()
            .map(|o| OfferLine {
                key: OfferKey::of(o).0,
                title: o.decision.trace.policy_title.clone(),
                who: o.who.clone(),
                street: unit_name(&state, &o.street_code),
                amount: yuan(o.decision.amount_fen),
                lines: o.decision.trace.lines(),
            })
            .collect(),
        conflicts: page.conflicts,
        total: yuan(total),
    })
}

async fn confirm(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    viewer.check_csrf(&state, &csrf).await?;
    let keys: Vec<OfferKey> = pairs
        .into_iter()
        .filter(|(k, _)| k == "offer")
        .map(|(_, v)| OfferKey(v))
        .collect();
    state
        .store
        .confirm_offers(
            &state.rules,
            &state.calendar(),
            &viewer.actor(),
            &keys,
            &viewer.ip,
        )
        .await?;
    Ok(Redirect::to("/staff/subsidies?status=notice&channel=offer").into_response())
}
