//! The portal side of subsidies: the public 公示 (`/notices`, anyone; names of people masked,
//! no numbers) with its objection form, `GET /api/v1/subsidies/notices`, and an employer's own
//! applications and messages with its hiring-subsidy form (`/employer/subsidies`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use axum_extra::extract::cookie::CookieJar;
use linkong_core::field::FieldError;
use linkong_core::subsidies::{ApplicantKind, Channel, ObjectionDraft, scheme};
use linkong_store::subsidies::{Filed, NoticeLine, SubsidyFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{FactInput, FileForm, Line, fact_inputs, line, policy_choices, refused, yuan};
use crate::auth::{ClientIp, MaybeViewer, Nav, Viewer, anonymous_csrf, check_anonymous_csrf};
use crate::view::{Choice, PortalNav, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notices", get(notices_page))
        .route("/notices/{id}/objection", post(object))
        .route(
            "/employer/subsidies",
            get(employer_page).post(employer_apply),
        )
}

pub struct NoticeView {
    pub n: NoticeLine,
    pub street: String,
    pub amount: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "notices.html")]
struct NoticesPage {
    portal: PortalNav,
    csrf: String,
    notices: Vec<NoticeView>,
    /// The notice an objection was just lodged against, or whose form came back.
    lodged: Option<i64>,
    failed: Option<(i64, Vec<FieldError>)>,
}

#[derive(Deserialize, Default)]
struct NoticesQuery {
    #[serde(default)]
    lodged: String,
}

async fn notices_view(
    state: &AppState,
    viewer: &MaybeViewer,
    jar: CookieJar,
    lodged: Option<i64>,
    failed: Option<(i64, Vec<FieldError>)>,
) -> Result<(CookieJar, NoticesPage), AppError> {
    let (jar, csrf) = anonymous_csrf(state, jar);
    let notices = state.store.subsidy_notices().await?;
    Ok((
        jar,
        NoticesPage {
            portal: PortalNav::of(viewer),
            csrf,
            notices: notices
                .into_iter()
                .map(|n| NoticeView {
                    street: unit_name(state, &n.street_code),
                    amount: yuan(n.amount_fen),
                    n,
                })
                .collect(),
            lodged,
            failed,
        },
    ))
}

async fn notices_page(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    jar: CookieJar,
    Query(query): Query<NoticesQuery>,
) -> Result<Response, AppError> {
    let lodged = query.lodged.trim().parse().ok();
    Ok(notices_view(&state, &viewer, jar, lodged, None)
        .await?
        .into_response())
}

#[derive(Deserialize, Default)]
struct ObjectionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    contact: String,
}

/// An objection from anyone while the 公示 runs; the contact is kept encrypted.
async fn object(
    State(state): State<AppState>,
    viewer: MaybeViewer,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Path(id): Path<i64>,
    Form(form): Form<ObjectionForm>,
) -> Result<Response, AppError> {
    check_anonymous_csrf(&state, &jar, &form.csrf, "subsidy.objection", &ip).await?;
    let draft = ObjectionDraft {
        text: form.text,
        contact: form.contact,
    };
    match state
        .store
        .object_to_subsidy(&state.calendar(), id, &draft, &ip)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/notices?lodged={id}")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            let page = notices_view(&state, &viewer, jar, None, Some((id, errors))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The applications in 公示 today.
#[derive(Serialize, ToSchema)]
pub struct ApiNotices {
    notices: Vec<NoticeLine>,
}

/// The public 公示 of subsidy applications (7 working days before payment): policy, employer or
/// business name (people masked), street, approved amount in 分, and the notice period.
#[utoipa::path(
    get,
    path = "/api/v1/subsidies/notices",
    operation_id = "listSubsidyNotices",
    tag = "subsidies",
    responses((status = 200, description = "公示中的补贴申请", body = ApiNotices))
)]
pub async fn api_notices(State(state): State<AppState>) -> Result<Json<ApiNotices>, AppError> {
    Ok(Json(ApiNotices {
        notices: state.store.subsidy_notices().await?,
    }))
}

// ---- an employer's own ----

#[derive(Template, WebTemplate)]
#[template(path = "employer_subsidies.html")]
struct EmployerPage {
    nav: Nav,
    /// Each application with its decision's trace in plain Chinese.
    lines: Vec<(Line, Vec<String>)>,
    messages: Vec<(String, String)>,
    policies: Vec<Choice>,
    facts: Vec<FactInput>,
    form: FileForm,
    errors: Vec<FieldError>,
}

async fn employer_view(
    state: &AppState,
    viewer: &Viewer,
    form: FileForm,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let actor = viewer.actor();
    let rows = state
        .store
        .subsidies_with_traces(
            &state.calendar(),
            &actor,
            &SubsidyFilter::default(),
            &viewer.ip,
        )
        .await?;
    let messages = state.store.employer_messages(&actor).await?;
    let facts = scheme(form.policy.trim())
        .map_or_else(Vec::new, |s| fact_inputs(&state.rules, s, &form.facts()));
    let page = EmployerPage {
        nav: Nav::of(viewer, state),
        lines: rows
            .into_iter()
            .map(|(a, decision)| (line(state, a), decision.trace.lines()))
            .collect(),
        messages: messages
            .into_iter()
            .map(|(at, body)| {
                let day = linkong_core::time::local_date(at).to_string();
                (day, body)
            })
            .collect(),
        policies: policy_choices(&state.rules, Some(ApplicantKind::Employer), &form.policy),
        facts,
        form,
        errors,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}

#[derive(Deserialize, Default)]
struct PolicyQuery {
    #[serde(default)]
    policy: String,
}

async fn employer_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<PolicyQuery>,
) -> Result<Response, AppError> {
    if viewer.user.employer_id.is_none() {
        return Err(AppError::forbidden("只有用人单位账户可以申领招用补贴"));
    }
    let form = FileForm {
        policy: query.policy,
        ..FileForm::default()
    };
    employer_view(&state, &viewer, form, Vec::new()).await
}

async fn employer_apply(
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
            Channel::Portal,
            &viewer.ip,
        )
        .await;
    match filed {
        Ok(Filed::Filed(_)) => Ok(Redirect::to("/employer/subsidies").into_response()),
        Ok(Filed::Refused(decision)) => Ok(refused(
            Nav::of(&viewer, &state),
            &decision,
            "/employer/subsidies",
        )),
        Err(linkong_store::Error::Fields(errors)) => {
            employer_view(&state, &viewer, form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}
