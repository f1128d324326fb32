//! The guaranteed start-up loan ledger (创业担保贷款台账, task 2.4.2): the staff pages at
//! `/staff/loans` (the ledger by year and handling unit, the form recording a loan, a loan with
//! the rules' decisions, its subsidy schedule and payments, and the forms for subsidy payments,
//! repayments, default and guarantee-fund claims), its xlsx export and `/api/v1/loans`. Every
//! read is scoped by the store; handlers extract, call one store function and render.

use std::sync::OnceLock;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::access::Gate;
use linkong_core::field::FieldError;
use linkong_core::loans::{BorrowerKind, LoanDraft, PaymentDraft, loan_units};
use linkong_core::rules::{DONGXIHU, RuleBook, format_fen};
use linkong_store::loans::{Loan, LoanDetail, LoanFilter, PaymentKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ApiViewer, Nav, Viewer};
use crate::openapi::ErrorBody;
use crate::view::{Choice, YearQuery, choices, unit_name, year_of};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/loans", get(list_page).post(create))
        .route("/staff/loans/new", get(new_form))
        .route("/staff/loans/export.xlsx", get(export))
        .route("/staff/loans/{id}", get(detail_page))
        .route("/staff/loans/{id}/payments", post(add_payment))
        .route("/staff/loans/{id}/default", post(mark_default))
}

/// The ledger's JSON API, with its OpenAPI annotation (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_list))
}

/// The district's rules (policies/dongxihu.toml, checked by core's tests), parsed once.
fn rules() -> Result<&'static RuleBook, AppError> {
    static BOOK: OnceLock<Result<RuleBook, String>> = OnceLock::new();
    BOOK.get_or_init(|| RuleBook::parse(DONGXIHU).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(AppError::internal)
}

fn number(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found("该创业担保贷款不存在"))
}

/// Basis points as a percentage ("3.85%").
fn rate(bp: i64) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

/// The badge colour of a loan's standing.
fn badge(loan: &Loan) -> &'static str {
    use linkong_core::loans::LoanStatus;
    match loan.status {
        LoanStatus::Current => "on_track",
        LoanStatus::Overdue => "lagging",
        LoanStatus::Defaulted | LoanStatus::Claimed => "seriously_lagging",
        LoanStatus::Repaid => "done",
    }
}

// ---- the ledger and the API ----

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    unit: String,
}

impl ListQuery {
    /// The store's filter, or the first wrong parameter (named).
    fn filter(&self, state: &AppState) -> Result<LoanFilter, AppError> {
        let year = match self.year.trim() {
            "" => None,
            text => Some(year_of(
                state,
                &YearQuery {
                    year: Some(text.to_owned()),
                    saved: None,
                },
            )?),
        };
        let unit = crate::view::optional_unit(state, "单位", &self.unit)?;
        Ok(LoanFilter { unit, year })
    }
}

/// A loan as the pages show it: the loan with its money, rate and unit as people read them.
pub struct LoanLine {
    pub loan: Loan,
    pub unit: String,
    pub principal: String,
    pub rate: String,
    pub outstanding: String,
    pub arrears: String,
    pub cap: String,
    pub waiver: String,
    pub badge: &'static str,
}

fn loan_line(state: &AppState, loan: Loan) -> LoanLine {
    LoanLine {
        unit: unit_name(state, &loan.unit_code),
        principal: format_fen(loan.principal_fen),
        rate: rate(loan.rate_bp),
        outstanding: format_fen(loan.outstanding_fen),
        arrears: if loan.arrears_fen > 0 {
            format!(
                "{}（逾期 {} 天）",
                format_fen(loan.arrears_fen),
                loan.overdue_days
            )
        } else {
            String::new()
        },
        cap: format_fen(loan.cap_fen),
        waiver: if loan.counter_guarantee_waived() {
            "免除".to_owned()
        } else {
            "须提供".to_owned()
        },
        badge: badge(&loan),
        loan,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "loans.html")]
struct ListPage {
    nav: Nav,
    query: ListQuery,
    lines: Vec<LoanLine>,
    total: String,
    may_record: bool,
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    let filter = query.filter(&state)?;
    let loans = state
        .store
        .loans(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    let total = format_fen(loans.iter().map(|l| l.principal_fen).sum());
    Ok(ListPage {
        nav: Nav::of(&viewer, &state),
        lines: loans.into_iter().map(|l| loan_line(&state, l)).collect(),
        total,
        may_record: viewer.actor().loan_unit(&state.plan).is_some(),
        query,
    })
}

/// The loans of the list's filter the viewer reads, as a workbook (ID numbers masked).
async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = query.filter(&state)?;
    let loans = state
        .store
        .export_loans(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    let lines: Vec<LoanLine> = loans.into_iter().map(|l| loan_line(&state, l)).collect();
    crate::download::download("loans.xlsx", export_workbook(&lines))
}

fn export_row(l: &LoanLine) -> Vec<String> {
    let loan = &l.loan;
    vec![
        loan.issued_on.to_string(),
        l.unit.clone(),
        loan.borrower_kind.label().to_owned(),
        loan.borrower_name.clone(),
        loan.id_masked
            .clone()
            .or(loan.uscc.clone())
            .unwrap_or_default(),
        loan.bank.clone(),
        l.principal.clone(),
        loan.term_months.to_string(),
        l.rate.clone(),
        l.waiver.clone(),
        loan.waived_by.clone().unwrap_or_default(),
        format_fen(loan.subsidy_due_fen),
        format_fen(loan.subsidy_paid_fen),
        format_fen(loan.repaid_fen),
        format_fen(loan.claimed_fen),
        l.outstanding.clone(),
        l.arrears.clone(),
        loan.status.label().to_owned(),
        loan.rule_version.clone(),
    ]
}

fn export_workbook(lines: &[LoanLine]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name("创业担保贷款台账")?;
    let headers = [
        "放款日期",
        "经办单位",
        "借款人类别",
        "借款人",
        "身份证号码/统一社会信用代码",
        "经办银行",
        "贷款金额",
        "期限（月）",
        "年利率",
        "反担保",
        "免除依据",
        "应贴息",
        "已贴息",
        "已还本金",
        "担保基金代偿",
        "尚欠本金",
        "逾期",
        "状态",
        "规则版本",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, 14)?;
    }
    for (r, line) in lines.iter().enumerate() {
        for (c, text) in export_row(line).iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, text)?;
        }
    }
    workbook.save_to_buffer()
}

/// The ledger's loans.
#[derive(Serialize, ToSchema)]
struct ApiLoans {
    total: usize,
    /// The principal of the loans listed, in 分.
    principal_fen: i64,
    loans: Vec<Loan>,
}

/// The guaranteed start-up loan ledger (创业担保贷款台账, task 2.4.2), scoped like the pages:
/// 区人社局 and the district's readers every loan, a cooperating unit of 2.4.2 the loans it
/// handled. Money in 分, rates in basis points, resident IDs masked.
#[utoipa::path(
    get,
    path = "/api/v1/loans",
    operation_id = "listLoans",
    tag = "loans",
    params(
        ("year" = Option<String>, Query, description = "放款年度"),
        ("unit" = Option<String>, Query, description = "经办单位代码"),
    ),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "创业担保贷款", body = ApiLoans),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看该单位的贷款", body = ErrorBody),
        (status = 422, description = "参数有误", body = ErrorBody),
    )
)]
async fn api_list(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<ListQuery>,
) -> Result<Json<ApiLoans>, AppError> {
    let filter = query.filter(&state)?;
    let loans = state
        .store
        .loans(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    Ok(Json(ApiLoans {
        total: loans.len(),
        principal_fen: loans.iter().map(|l| l.principal_fen).sum(),
        loans,
    }))
}

// ---- recording a loan ----

#[derive(Deserialize, Default, Clone)]
struct LoanForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    borrower_kind: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    partners: String,
    #[serde(default)]
    uscc: String,
    #[serde(default)]
    bank: String,
    #[serde(default)]
    principal: String,
    #[serde(default)]
    term_months: String,
    #[serde(default)]
    rate: String,
    #[serde(default)]
    issued_on: String,
    #[serde(default)]
    incubator_project: String,
    #[serde(default)]
    honoured: String,
}

impl LoanForm {
    fn draft(&self) -> LoanDraft {
        LoanDraft {
            borrower_kind: self.borrower_kind.clone(),
            id_number: self.id_number.clone(),
            partners: self.partners.clone(),
            uscc: self.uscc.clone(),
            bank: self.bank.clone(),
            principal: self.principal.clone(),
            term_months: self.term_months.clone(),
            rate: self.rate.clone(),
            issued_on: self.issued_on.clone(),
            incubator_project: self.incubator_project == "1",
            honoured: self.honoured == "1",
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "loan_form.html")]
struct FormPage {
    nav: Nav,
    form: LoanForm,
    kinds: Vec<Choice>,
    units: Vec<Choice>,
    errors: Vec<FieldError>,
    today: String,
}

fn form_page(
    state: &AppState,
    viewer: &Viewer,
    form: LoanForm,
    errors: Vec<FieldError>,
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        nav: Nav::of(viewer, state),
        today: state.today().to_string(),
        kinds: choices(
            BorrowerKind::ALL
                .iter()
                .map(|k| (k.code().to_owned(), k.label().to_owned())),
            &form.borrower_kind,
        ),
        units: choices(
            loan_units(&state.plan)
                .into_iter()
                .map(|code| (code.to_owned(), unit_name(state, code))),
            &form.unit,
        ),
        form,
        errors,
    };
    (status, page).into_response()
}

async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let gate = Gate::LoanForm { plan: &state.plan };
    state.store.enter(&actor, gate, &viewer.ip).await?;
    let form = LoanForm {
        unit: actor.loan_unit(&state.plan).unwrap_or_default().to_owned(),
        borrower_kind: BorrowerKind::Person.code().to_owned(),
        term_months: "36".into(),
        issued_on: state.today().to_string(),
        ..LoanForm::default()
    };
    Ok(form_page(&state, &viewer, form, Vec::new()))
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<LoanForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let book = rules()?;
    let saved = state
        .store
        .record_loan(
            &state.plan,
            book,
            &viewer.actor(),
            form.unit.trim(),
            &form.draft(),
            &viewer.ip,
        )
        .await;
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/staff/loans/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => Ok(form_page(&state, &viewer, form, errors)),
        Err(e) => Err(e.into()),
    }
}

// ---- one loan ----

#[derive(Deserialize, Default, Clone)]
struct PaymentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    paid_on: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    period: String,
}

#[derive(Deserialize, Default, Clone)]
struct DefaultForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    defaulted_on: String,
    #[serde(default)]
    note: String,
}

/// A period of the subsidy schedule as the page shows it.
pub struct PeriodLine {
    pub period: i64,
    pub from: String,
    pub due_on: String,
    pub due: String,
    pub paid: String,
}

/// A payment as the page shows it.
pub struct PaymentLine {
    pub kind: &'static str,
    pub period: String,
    pub paid_on: String,
    pub amount: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "loan.html")]
struct DetailPage {
    nav: Nav,
    line: LoanLine,
    periods: Vec<PeriodLine>,
    payments: Vec<PaymentLine>,
    trace_lines: Vec<String>,
    may_keep: bool,
    payment: PaymentForm,
    default: DefaultForm,
    /// Which form the errors belong to: payment, default.
    errors_of: &'static str,
    errors: Vec<FieldError>,
    saved: bool,
    today: String,
}

/// The forms of a loan's page as submitted, with what is wrong (empty on a fresh page).
#[derive(Default)]
struct Forms {
    payment: PaymentForm,
    default: DefaultForm,
    errors_of: &'static str,
    errors: Vec<FieldError>,
}

fn payment_kind(code: &str) -> Option<PaymentKind> {
    [
        PaymentKind::Subsidy,
        PaymentKind::Repayment,
        PaymentKind::Claim,
    ]
    .into_iter()
    .find(|k| k.code() == code)
}

fn lines_of(detail: &LoanDetail) -> (Vec<PeriodLine>, Vec<PaymentLine>) {
    let periods = detail
        .periods
        .iter()
        .map(|p| PeriodLine {
            period: p.period.period,
            from: p.period.from.to_string(),
            due_on: p.period.due_on.to_string(),
            due: format_fen(p.period.due_fen),
            paid: format_fen(p.paid_fen),
        })
        .collect();
    let payments = detail
        .payments
        .iter()
        .map(|p| PaymentLine {
            kind: payment_kind(&p.kind).map_or("", PaymentKind::label),
            period: p.period.map(|n| format!("第 {n} 期")).unwrap_or_default(),
            paid_on: p.paid_on.to_string(),
            amount: format_fen(p.amount_fen),
        })
        .collect();
    (periods, payments)
}

async fn detail(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    forms: Forms,
) -> Result<DetailPage, AppError> {
    let actor = viewer.actor();
    let detail = state
        .store
        .loan(&state.plan, &actor, id, &viewer.ip)
        .await?;
    let (periods, payments) = lines_of(&detail);
    Ok(DetailPage {
        nav: Nav::of(viewer, state),
        may_keep: actor.may_keep_loan(&state.plan, &detail.loan.unit_code),
        periods,
        payments,
        trace_lines: detail.trace_lines,
        payment: forms.payment,
        default: forms.default,
        errors_of: forms.errors_of,
        errors: forms.errors,
        saved: false,
        today: state.today().to_string(),
        line: loan_line(state, detail.loan),
    })
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
    let mut page = detail(&state, &viewer, number(&id)?, Forms::default()).await?;
    page.saved = saved.saved == "1";
    Ok(page)
}

async fn add_payment(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<PaymentForm>,
) -> Result<Response, AppError> {
    let id = number(&id)?;
    viewer.check_csrf(&state, &form.csrf).await?;
    let kind = payment_kind(form.kind.trim())
        .ok_or_else(|| AppError::bad_request("款项类别：应为贴息拨付、还款或担保基金代偿"))?;
    let draft = PaymentDraft {
        paid_on: form.paid_on.clone(),
        amount: form.amount.clone(),
        period: form.period.clone(),
    };
    let saved = state
        .store
        .record_loan_payment(&state.plan, &viewer.actor(), (id, kind), &draft, &viewer.ip)
        .await;
    let to = format!("/staff/loans/{id}?saved=1");
    crate::error::saved_or_again(saved, &to, |errors| {
        let forms = Forms {
            payment: form,
            errors_of: "payment",
            errors,
            ..Forms::default()
        };
        detail(&state, &viewer, id, forms)
    })
    .await
}

async fn mark_default(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<DefaultForm>,
) -> Result<Response, AppError> {
    let id = number(&id)?;
    viewer.check_csrf(&state, &form.csrf).await?;
    let saved = state
        .store
        .mark_loan_default(
            &state.plan,
            &viewer.actor(),
            id,
            (&form.defaulted_on, &form.note),
            &viewer.ip,
        )
        .await;
    let to = format!("/staff/loans/{id}?saved=1");
    crate::error::saved_or_again(saved, &to, |errors| {
        let forms = Forms {
            default: form,
            errors_of: "default",
            errors,
            ..Forms::default()
        };
        detail(&state, &viewer, id, forms)
    })
    .await
}
