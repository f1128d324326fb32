//! Start-up carriers (创业载体, tasks 1.2.2 and 2.4.1) in the staff console: the list with its
//! filters and xlsx export, the form (new and edit), a carrier's page with the businesses in it
//! (move in, move out) and its applications for municipal recognition. The public pages and
//! the JSON list are in [`portal`], the applications' pages in [`applications`]. Every query is
//! scoped by the store: a street's staff reach only their street's carriers.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use linkong_core::access::PeopleScope;
use linkong_core::businesses::BusinessStatus;
use linkong_core::carriers::applications::ApplicationKind;
use linkong_core::carriers::{CarrierDraft, CarrierKind, CarrierLevel};
use linkong_core::field::FieldError;
use linkong_core::quantity::Quantity;
use linkong_store::businesses::BusinessFilter;
use linkong_store::carriers::{Carrier, CarrierDetail, CarrierFilter};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;

use crate::auth::{Nav, Viewer};
use crate::roster::street_param;
use crate::view::{Choice, choices, streets, unit_name};
use crate::{AppError, AppState};

mod applications;
mod portal;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/carriers", get(list_page).post(create))
        .route("/staff/carriers/export.xlsx", get(export))
        .route("/staff/carriers/new", get(new_page))
        .route("/staff/carriers/{id}", get(detail_page).post(update))
        .route("/staff/carriers/{id}/edit", get(edit_page))
        .route("/staff/carriers/{id}/residents", post(move_in))
        .route("/staff/carriers/{id}/residents/{stay}/out", post(move_out))
        .route("/staff/carriers/{id}/applications", post(apply))
        .merge(applications::router())
        .merge(portal::router())
}

/// The JSON lists, with their OpenAPI annotations (see [`crate::openapi`]).
pub fn api() -> OpenApiRouter<AppState> {
    portal::api().merge(applications::api())
}

/// A carrier as lists and pages show it: labels and amounts in words people read.
pub struct Card {
    pub carrier: Carrier,
    pub street: String,
    pub area: String,
    pub rent: String,
}

pub(crate) fn card(state: &AppState, carrier: Carrier) -> Card {
    let rent = match (carrier.rent, carrier.rent_note.is_empty()) {
        (Some(r), true) => format!("{} 元/㎡·月", Quantity::from_hundredths(r)),
        (Some(r), false) => format!(
            "{} 元/㎡·月（{}）",
            Quantity::from_hundredths(r),
            carrier.rent_note
        ),
        (None, _) => carrier.rent_note.clone(),
    };
    Card {
        street: unit_name(state, &carrier.street_code),
        area: format!("{} ㎡", Quantity::from_hundredths(carrier.area)),
        rent,
        carrier,
    }
}

pub(crate) fn kind_choices(selected: &str) -> Vec<Choice> {
    choices(
        CarrierKind::ALL
            .iter()
            .map(|k| (k.code().to_owned(), k.label().to_owned())),
        selected,
    )
}

fn level_choices(selected: &str) -> Vec<Choice> {
    choices(
        CarrierLevel::ALL
            .iter()
            .map(|l| (l.code().to_owned(), l.label().to_owned())),
        selected,
    )
}

/// The list's filters: kind, street, level, vacant only, a fragment of the name.
#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    vacant: String,
    #[serde(default)]
    q: String,
}

impl ListQuery {
    /// The store's filter, or the first wrong field.
    pub(crate) fn filter(&self, state: &AppState) -> Result<CarrierFilter, String> {
        let kind = match self.kind.trim() {
            "" => None,
            text => Some(CarrierKind::parse(text).map_err(|e| format!("载体类型：{e}"))?),
        };
        let level = match self.level.trim() {
            "" => None,
            text => Some(CarrierLevel::parse(text).map_err(|e| format!("认定级别：{e}"))?),
        };
        let query = self.q.trim();
        linkong_core::jobs::check_query(query)?;
        Ok(CarrierFilter {
            kind,
            street: street_param(state, &self.street)?,
            level,
            vacant: self.vacant == "1",
            query: query.to_owned(),
        })
    }

    fn encoded(&self) -> String {
        let mut url = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("kind", &self.kind),
            ("street", &self.street),
            ("level", &self.level),
            ("vacant", &self.vacant),
            ("q", &self.q),
        ] {
            if !value.trim().is_empty() {
                url.append_pair(key, value.trim());
            }
        }
        url.finish()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_carriers.html")]
struct ListPage {
    nav: Nav,
    query: ListQuery,
    error: Option<String>,
    cards: Vec<Card>,
    export: String,
    kinds: Vec<Choice>,
    streets: Vec<Choice>,
    levels: Vec<Choice>,
    whole_district: bool,
    may_register: bool,
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, AppError> {
    let actor = viewer.actor();
    let scope = actor.carrier_scope(&state.plan);
    let mut page = ListPage {
        nav: Nav::of(&viewer, &state),
        error: None,
        cards: Vec::new(),
        export: format!("/staff/carriers/export.xlsx?{}", query.encoded()),
        kinds: kind_choices(&query.kind),
        streets: choices(
            streets(&state).filter(|(code, _)| scope.reaches(code)),
            &query.street,
        ),
        levels: level_choices(&query.level),
        whole_district: scope == PeopleScope::All,
        may_register: streets(&state).any(|(code, _)| actor.may_keep_carrier(&state.plan, &code)),
        query: query.clone(),
    };
    match query.filter(&state) {
        Ok(filter) => {
            let list = state
                .store
                .carriers(&state.plan, &actor, &filter, &viewer.ip)
                .await?;
            page.cards = list.into_iter().map(|c| card(&state, c)).collect();
        }
        Err(message) => page.error = Some(message),
    }
    Ok(page)
}

async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = query.filter(&state).map_err(AppError::bad_request)?;
    let list = state
        .store
        .carriers(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    let cards: Vec<Card> = list.into_iter().map(|c| card(&state, c)).collect();
    crate::download::download("carriers.xlsx", export_workbook(&cards))
}

fn export_workbook(cards: &[Card]) -> Result<Vec<u8>, XlsxError> {
    const HEADERS: [(&str, f64); 14] = [
        ("载体名称", 28.0),
        ("载体类型", 12.0),
        ("认定级别", 10.0),
        ("所在街道", 12.0),
        ("运营单位", 28.0),
        ("地址", 30.0),
        ("面积（㎡）", 12.0),
        ("工位/房间数", 12.0),
        ("已入驻", 8.0),
        ("空余", 8.0),
        ("租金及减免", 30.0),
        ("提供的服务", 36.0),
        ("联系部门", 16.0),
        ("联系电话", 16.0),
    ];
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name("创业载体")?;
    for (c, (header, width)) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *header, &bold)?;
        ws.set_column_width(c as u16, *width)?;
    }
    for (r, card) in cards.iter().enumerate() {
        let c = &card.carrier;
        let values = [
            c.name.clone(),
            c.kind.label().to_owned(),
            c.level.label().to_owned(),
            card.street.clone(),
            c.operator.clone(),
            c.address.clone(),
            Quantity::from_hundredths(c.area).to_string(),
            c.places.to_string(),
            c.residents.to_string(),
            c.vacancies.to_string(),
            card.rent.clone(),
            c.services.clone(),
            c.contact.clone(),
            c.phone.clone(),
        ];
        for (col, value) in values.iter().enumerate() {
            ws.write_string(r as u32 + 1, col as u16, value)?;
        }
    }
    workbook.save_to_buffer()
}

/// The carrier form as submitted.
#[derive(Deserialize, Default, Clone)]
pub struct CarrierForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    operator: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    places: String,
    #[serde(default)]
    rent: String,
    #[serde(default)]
    rent_note: String,
    #[serde(default)]
    services: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    phone: String,
}

impl CarrierForm {
    fn of(c: &Carrier) -> CarrierForm {
        CarrierForm {
            csrf: String::new(),
            kind: c.kind.code().to_owned(),
            name: c.name.clone(),
            operator: c.operator.clone(),
            address: c.address.clone(),
            street: c.street_code.clone(),
            area: Quantity::from_hundredths(c.area).to_string(),
            places: c.places.to_string(),
            rent: c
                .rent
                .map(|r| Quantity::from_hundredths(r).to_string())
                .unwrap_or_default(),
            rent_note: c.rent_note.clone(),
            services: c.services.clone(),
            level: c.level.code().to_owned(),
            contact: c.contact.clone(),
            phone: c.phone.clone(),
        }
    }

    fn draft(&self) -> CarrierDraft {
        CarrierDraft {
            kind: self.kind.clone(),
            name: self.name.clone(),
            operator: self.operator.clone(),
            address: self.address.clone(),
            street: self.street.clone(),
            area: self.area.clone(),
            places: self.places.clone(),
            rent: self.rent.clone(),
            rent_note: self.rent_note.clone(),
            services: self.services.clone(),
            level: self.level.clone(),
            contact: self.contact.clone(),
            phone: self.phone.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "carrier_form.html")]
struct FormPage {
    nav: Nav,
    /// The carrier being changed: (id, name).
    editing: Option<(i64, String)>,
    form: CarrierForm,
    kinds: Vec<Choice>,
    levels: Vec<Choice>,
    streets: Vec<Choice>,
    errors: Vec<FieldError>,
}

fn form_page(
    state: &AppState,
    viewer: &Viewer,
    editing: Option<(i64, String)>,
    form: CarrierForm,
    errors: Vec<FieldError>,
) -> Response {
    let actor = viewer.actor();
    let page = FormPage {
        nav: Nav::of(viewer, state),
        kinds: kind_choices(&form.kind),
        levels: level_choices(&form.level),
        streets: choices(
            streets(state).filter(|(code, _)| actor.may_keep_carrier(&state.plan, code)),
            &form.street,
        ),
        editing,
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

async fn new_page(State(state): State<AppState>, viewer: Viewer) -> Response {
    form_page(&state, &viewer, None, CarrierForm::default(), Vec::new())
}

pub(crate) fn carrier_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found("该创业载体不存在"))
}

async fn edit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let detail = state
        .store
        .carrier(&state.plan, &viewer.actor(), carrier_id(&id)?, &viewer.ip)
        .await?;
    let c = &detail.carrier;
    let form = CarrierForm::of(c);
    Ok(form_page(
        &state,
        &viewer,
        Some((c.id, c.name.clone())),
        form,
        Vec::new(),
    ))
}

/// Saves the form as a new carrier (`id` None) or a change; errors show on the form.
async fn save(
    state: AppState,
    viewer: Viewer,
    id: Option<i64>,
    form: CarrierForm,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let saved = state
        .store
        .save_carrier(&state.plan, &viewer.actor(), id, &form.draft(), &viewer.ip)
        .await;
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/staff/carriers/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            let editing = id.map(|id| (id, form.name.clone()));
            Ok(form_page(&state, &viewer, editing, form, errors))
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<CarrierForm>,
) -> Result<Response, AppError> {
    save(state, viewer, None, form).await
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<CarrierForm>,
) -> Result<Response, AppError> {
    let id = carrier_id(&id)?;
    save(state, viewer, Some(id), form).await
}

/// The forms of a carrier's page: move in, move out, apply for recognition.
#[derive(Deserialize, Default, Clone)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    business: String,
    #[serde(default)]
    moved_in_on: String,
    #[serde(default)]
    moved_out_on: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    recommended_on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff_carrier.html")]
struct DetailPage {
    nav: Nav,
    card: Card,
    detail: CarrierDetail,
    may_keep: bool,
    /// Businesses the viewer may move in: (id, name and street).
    movable: Vec<(i64, String)>,
    application_kinds: Vec<Choice>,
    form: ActionForm,
    /// Which form the errors belong to: move_in, move_out or apply.
    errors_of: String,
    errors: Vec<FieldError>,
    saved: bool,
    today: String,
}

/// The businesses the viewer reaches that may move in: trading and in no carrier now.
async fn movable(state: &AppState, viewer: &Viewer) -> Result<Vec<(i64, String)>, AppError> {
    let list = state
        .store
        .businesses(
            &state.plan,
            &viewer.actor(),
            &BusinessFilter::default(),
            &viewer.ip,
        )
        .await?;
    Ok(list
        .into_iter()
        .filter(|b| b.carrier_id.is_none() && b.status != BusinessStatus::Closed)
        .map(|b| {
            let street = unit_name(state, &b.street_code);
            (b.id, format!("{}（{street}）", b.name))
        })
        .collect())
}

async fn detail(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    form: ActionForm,
    (errors_of, errors): (String, Vec<FieldError>),
) -> Result<DetailPage, AppError> {
    let actor = viewer.actor();
    let mut detail = state
        .store
        .carrier(&state.plan, &actor, id, &viewer.ip)
        .await?;
    for r in detail.residents.iter_mut().chain(detail.former.iter_mut()) {
        r.business_street = unit_name(state, &r.business_street);
    }
    let may_keep = actor.may_keep_carrier(&state.plan, &detail.carrier.street_code);
    let movable = if may_keep && detail.carrier.vacancies > 0 {
        movable(state, viewer).await?
    } else {
        Vec::new()
    };
    Ok(DetailPage {
        nav: Nav::of(viewer, state),
        card: card(state, detail.carrier.clone()),
        application_kinds: choices(
            ApplicationKind::ALL
                .iter()
                .map(|k| (k.code().to_owned(), k.label().to_owned())),
            &form.kind,
        ),
        detail,
        may_keep,
        movable,
        form,
        errors_of,
        errors,
        saved: false,
        today: state.today().to_string(),
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
    let id = carrier_id(&id)?;
    let none = (String::new(), Vec::new());
    let mut page = detail(&state, &viewer, id, ActionForm::default(), none).await?;
    page.saved = saved.saved == "1";
    Ok(page)
}

/// The outcome of one action of a carrier's page: back to the page, or the page again with
/// the action's errors beside its form.
async fn after(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    form: ActionForm,
    (which, done): (String, Result<(), linkong_store::Error>),
) -> Result<Response, AppError> {
    match done {
        Ok(()) => {
            let anchor = if which == "apply" {
                "applications"
            } else {
                "residents"
            };
            Ok(Redirect::to(&format!("/staff/carriers/{id}?saved=1#{anchor}")).into_response())
        }
        Err(linkong_store::Error::Fields(errors)) => {
            let page = detail(state, viewer, id, form, (which, errors)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn move_in(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = carrier_id(&id)?;
    let done = state
        .store
        .move_in(
            &state.plan,
            &viewer.actor(),
            id,
            (&form.business, &form.moved_in_on),
            &viewer.ip,
        )
        .await
        .map(|_| ());
    after(&state, &viewer, id, form, ("move_in".into(), done)).await
}

async fn move_out(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, stay)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = carrier_id(&id)?;
    let stay: i64 = stay
        .parse()
        .map_err(|_| AppError::not_found("该主体不在此载体入驻"))?;
    let done = state
        .store
        .move_out(
            &state.plan,
            &viewer.actor(),
            id,
            (stay, &form.moved_out_on),
            &viewer.ip,
        )
        .await;
    after(&state, &viewer, id, form, ("move_out".into(), done)).await
}

async fn apply(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let id = carrier_id(&id)?;
    let done = state
        .store
        .apply_for_recognition(
            &state.plan,
            &viewer.actor(),
            id,
            (&form.kind, &form.recommended_on),
            &viewer.ip,
        )
        .await
        .map(|_| ());
    after(&state, &viewer, id, form, ("apply".into(), done)).await
}
