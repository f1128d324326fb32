//! The staff side of the returnee promotion events of 2.5.1 (返区创业推介, 产业对接): the year's
//! events, an event's page where its organiser filters the out-migrant registry and invites
//! people, records who came and the intention they left with, and exports the list for the
//! street; the form adding people of a neighbouring district as targets; the invitation list
//! in the API. Every read is scoped by the store (a street sees its own people only).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use linkong_core::events::EventKind;
use linkong_core::events::neighbours::NEIGHBOURING_DISTRICTS;
use linkong_core::events::promotion::{InviteeQuery, invitee_filter};
use linkong_core::field::FieldError;
use linkong_core::people::{Intention, MigrantDraft, PersonDraft};
use linkong_core::plan::UnitKind;
use linkong_store::promotion::{
    AttendanceDraft, Invitation, InviteeFilter, Invitees, PromotionOutcome, PromotionPage,
};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{EventRow, event_row};
use crate::auth::{ApiViewer, Nav, Viewer};
use crate::openapi::ErrorBody;
use crate::view::{Choice, YearQuery, unit_name, year_of};
use crate::{AppError, AppState};

/// How many of the people a filter finds the page lists (all of them can be invited at once).
const SHOWN: i64 = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/promotion", get(list_page))
        .route(
            "/staff/promotion/neighbours",
            get(neighbour_form).post(add_neighbour),
        )
        .route("/staff/events/{id}", get(event_page))
        .route("/staff/events/{id}/invitations", post(invite))
        .route("/staff/events/{id}/invitations.xlsx", get(export))
        .route("/staff/events/{id}/attendance", post(attendance))
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_invitations))
}

fn event_id(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .map_err(|_| AppError::not_found("该返区创业推介活动不存在"))
}

#[derive(Template, WebTemplate)]
#[template(path = "promotion_list.html")]
struct ListPage {
    nav: Nav,
    year: i32,
    years: Vec<i32>,
    events: Vec<EventRow>,
}

/// The year's promotion events (public data), with links to their staff pages.
async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<YearQuery>,
) -> Result<ListPage, AppError> {
    let year = year_of(&state, &query)?;
    let plan = &state.plan.info;
    let events = state
        .store
        .events_of_year(year)
        .await?
        .into_iter()
        .filter(|e| e.kind.is_promotion())
        .map(|e| event_row(&state, e))
        .collect();
    Ok(ListPage {
        nav: Nav::of(&viewer, &state),
        year,
        years: (plan.first_year..=plan.last_year).collect(),
        events,
    })
}

/// The registry filter as typed (GET parameters or the invite form's fields).
#[derive(Debug, Clone, Default)]
struct FilterForm {
    intentions: Vec<String>,
    provinces: String,
    city: String,
    section: String,
    field: String,
    street: String,
}

impl FilterForm {
    /// The filter's fields among `pairs`; other keys are left to the caller.
    fn from_pairs(pairs: &[(String, String)]) -> FilterForm {
        let mut form = FilterForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "intention" => form.intentions.push(value.clone()),
                "provinces" => form.provinces = value.clone(),
                "city" => form.city = value.clone(),
                "section" => form.section = value.clone(),
                "field" => form.field = value.clone(),
                "street" => form.street = value.clone(),
                _ => {}
            }
        }
        form
    }

    fn query(&self) -> InviteeQuery {
        InviteeQuery {
            intentions: self.intentions.clone(),
            provinces: self.provinces.clone(),
            city: self.city.clone(),
            section: self.section.clone(),
            business_field: self.field.clone(),
            street: self.street.clone(),
        }
    }

    /// Core's filter, or the wrong fields.
    fn filter(&self, state: &AppState) -> Result<InviteeFilter, Vec<FieldError>> {
        invitee_filter(&state.plan, &self.query())
    }
}

/// One person of the registry as the page lists them.
pub struct PersonLine {
    pub person_id: i64,
    pub name: String,
    pub phone: String,
    pub street: String,
    pub workplace: String,
    pub intention: String,
    pub business_field: String,
}

/// One invited person, with what was recorded after the event.
pub struct InvitationLine {
    pub person: PersonLine,
    pub attended: &'static str,
    pub attended_code: &'static str,
    pub outcome: &'static str,
    pub outcome_code: String,
    pub note: String,
}

fn person_line(state: &AppState, p: &linkong_store::promotion::Invitee) -> PersonLine {
    let street = unit_name(state, &p.street_code);
    PersonLine {
        person_id: p.person_id,
        name: p.name.clone(),
        phone: if p.phone_masked.is_empty() {
            "未登记".into()
        } else {
            p.phone_masked.clone()
        },
        street: if p.home_district.is_empty() {
            street
        } else {
            format!("{}户籍（{street}负责）", p.home_district)
        },
        workplace: format!("{}{}", p.province, p.city),
        intention: Intention::parse(&p.intention).map_or(String::new(), |i| i.label().into()),
        business_field: p.business_field.clone(),
    }
}

fn invitation_line(state: &AppState, i: &Invitation) -> InvitationLine {
    let outcome = i
        .outcome
        .as_deref()
        .and_then(|o| PromotionOutcome::parse(o).ok());
    InvitationLine {
        person: person_line(state, &i.person),
        attended: match i.attended {
            Some(true) => "参加",
            Some(false) => "未参加",
            None => "未登记",
        },
        attended_code: match i.attended {
            Some(true) => "1",
            Some(false) => "0",
            None => "",
        },
        outcome: outcome.map_or("", |o| o.label()),
        outcome_code: outcome.map_or(String::new(), |o| o.code().into()),
        note: i.note.clone(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "promotion_event.html")]
struct EventPage {
    nav: Nav,
    row: EventRow,
    may_run: bool,
    held: bool,
    filter: FilterForm,
    intentions: Vec<Choice>,
    sections: Vec<Choice>,
    streets: Vec<Choice>,
    outcomes: Vec<Choice>,
    candidates: Vec<PersonLine>,
    candidates_total: i64,
    shown: i64,
    invitations: Vec<InvitationLine>,
    errors: Vec<FieldError>,
    notice: String,
}

/// The choices of the filter form, as `filter` has them.
fn filter_choices(state: &AppState, viewer: &Viewer, filter: &FilterForm) -> [Vec<Choice>; 3] {
    let intentions = Intention::ALL
        .iter()
        .map(|i| Choice {
            value: i.code().into(),
            label: i.label().into(),
            selected: filter
                .intentions
                .iter()
                .any(|t| t.trim() == i.code() || t.trim() == i.label()),
        })
        .collect();
    let sections = linkong_core::industry::SECTIONS
        .iter()
        .map(|(letter, name)| Choice {
            value: letter.to_string(),
            label: format!("{letter} {name}"),
            selected: filter.section.trim() == letter.to_string(),
        })
        .collect();
    // A street sees its own people only: no street to choose.
    let streets = if viewer.user.unit_code.as_deref().is_some_and(|u| {
        state
            .plan
            .unit(u)
            .is_some_and(|u| u.kind == UnitKind::Street)
    }) {
        Vec::new()
    } else {
        state
            .plan
            .units
            .iter()
            .filter(|u| u.kind == UnitKind::Street)
            .map(|u| Choice {
                value: u.code.clone(),
                label: u.name.clone(),
                selected: u.code == filter.street.trim(),
            })
            .collect()
    };
    [intentions, sections, streets]
}

/// Renders an event's staff page for `filter`; `errors` from a refused form (422).
async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    filter: FilterForm,
    mut errors: Vec<FieldError>,
    notice: String,
) -> Result<Response, AppError> {
    let checked = match filter.filter(state) {
        Ok(checked) => checked,
        Err(wrong) => {
            errors.extend(wrong);
            InviteeFilter::default()
        }
    };
    let actor = viewer.actor();
    let PromotionPage {
        event,
        may_run,
        candidates,
        candidates_total,
        invitations,
    } = state
        .store
        .promotion_page(&actor, &state.plan, id, &checked, SHOWN, &viewer.ip)
        .await?;
    let [intentions, sections, streets] = filter_choices(state, viewer, &filter);
    let invitations: Vec<InvitationLine> = invitations
        .iter()
        .map(|i| invitation_line(state, i))
        .collect();
    let page = EventPage {
        nav: Nav::of(viewer, state),
        held: event.held_on <= state.today(),
        row: event_row(state, event),
        may_run,
        intentions,
        sections,
        streets,
        outcomes: PromotionOutcome::ALL
            .iter()
            .map(|o| Choice {
                value: o.code().into(),
                label: o.label().into(),
                selected: false,
            })
            .collect(),
        candidates: candidates.iter().map(|p| person_line(state, p)).collect(),
        candidates_total,
        shown: SHOWN,
        invitations,
        filter,
        errors,
        notice,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}

async fn event_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = event_id(&id)?;
    let notice = pairs
        .iter()
        .find_map(|(k, v)| match (k.as_str(), v.parse::<usize>()) {
            ("invited", Ok(n)) => Some(format!("已邀约 {n} 人。")),
            ("recorded", Ok(n)) => Some(format!("已登记 {n} 人的参加情况。")),
            _ => None,
        })
        .unwrap_or_default();
    let filter = FilterForm::from_pairs(&pairs);
    render(&state, &viewer, id, filter, Vec::new(), notice).await
}

/// Invites the ticked people, or (`all=1`) everyone the filter finds.
async fn invite(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = event_id(&id)?;
    let csrf = value_of(&pairs, "csrf");
    viewer.check_csrf(&state, csrf).await?;
    let filter = FilterForm::from_pairs(&pairs);
    let invitees = if value_of(&pairs, "all") == "1" {
        match filter.filter(&state) {
            Ok(checked) => Invitees::Matching(checked),
            Err(errors) => return render(&state, &viewer, id, filter, errors, String::new()).await,
        }
    } else {
        let mut ids = Vec::new();
        for (_, value) in pairs.iter().filter(|(k, _)| k == "person") {
            match value.parse::<i64>() {
                Ok(n) => ids.push(n),
                Err(_) => {
                    return Err(AppError::bad_request(format!(
                        "邀约对象：“{value}”不是人员编号"
                    )));
                }
            }
        }
        Invitees::Persons(ids)
    };
    match state
        .store
        .invite(&viewer.actor(), &state.plan, id, &invitees, &viewer.ip)
        .await
    {
        Ok(n) => Ok(Redirect::to(&format!("/staff/events/{id}?invited={n}")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            render(&state, &viewer, id, filter, errors, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

fn value_of<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

/// The attendance rows of the form: `attended_{id}`, `outcome_{id}` and `note_{id}` per person.
fn attendance_rows(pairs: &[(String, String)]) -> Result<Vec<AttendanceDraft>, AppError> {
    let mut rows: Vec<AttendanceDraft> = Vec::new();
    for (key, value) in pairs {
        let Some((part, id)) = key.split_once('_') else {
            continue;
        };
        if !matches!(part, "attended" | "outcome" | "note") {
            continue;
        }
        let person_id = id
            .parse::<i64>()
            .map_err(|_| AppError::bad_request(format!("参加情况：“{id}”不是人员编号")))?;
        let at = match rows.iter().position(|r| r.person_id == person_id) {
            Some(at) => at,
            None => {
                rows.push(AttendanceDraft {
                    person_id,
                    ..AttendanceDraft::default()
                });
                rows.len() - 1
            }
        };
        let row = &mut rows[at];
        match part {
            "attended" => row.attended = value.clone(),
            "outcome" => row.outcome = value.clone(),
            _ => row.note = value.clone(),
        }
    }
    Ok(rows)
}

/// Records who came and the intention they left with.
async fn attendance(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = event_id(&id)?;
    viewer.check_csrf(&state, value_of(&pairs, "csrf")).await?;
    let rows = attendance_rows(&pairs)?;
    match state
        .store
        .record_attendance(&viewer.actor(), &state.plan, id, &rows, &viewer.ip)
        .await
    {
        Ok(n) => Ok(Redirect::to(&format!("/staff/events/{id}?recorded={n}")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            let filter = FilterForm::default();
            render(&state, &viewer, id, filter, errors, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The invitation list as a workbook for the street: names, masked phones, where they work,
/// their intention, and what was recorded after the event.
async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = event_id(&id)?;
    let rows = state
        .store
        .export_invitations(&viewer.actor(), &state.plan, id, &viewer.ip)
        .await?;
    let lines: Vec<InvitationLine> = rows.iter().map(|i| invitation_line(&state, i)).collect();
    crate::download::download(&format!("invitations-{id}.xlsx"), workbook(&lines))
}

fn workbook(lines: &[InvitationLine]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let ws = workbook.add_worksheet();
    ws.set_name("邀约名单")?;
    let headers = [
        ("姓名", 10),
        ("手机号码", 14),
        ("街道", 26),
        ("务工地", 16),
        ("返区意向", 10),
        ("拟创业领域", 16),
        ("是否参加", 10),
        ("活动后意向", 16),
        ("备注", 30),
    ];
    for (c, (name, width)) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *name, &header)?;
        ws.set_column_width(c as u16, *width)?;
    }
    ws.set_column_format(1, &text)?;
    for (r, line) in lines.iter().enumerate() {
        let r = r as u32 + 1;
        let p = &line.person;
        let values = [
            p.name.as_str(),
            p.phone.as_str(),
            p.street.as_str(),
            p.workplace.as_str(),
            p.intention.as_str(),
            p.business_field.as_str(),
            line.attended,
            line.outcome,
            line.note.as_str(),
        ];
        for (c, value) in values.iter().enumerate() {
            ws.write_string(r, c as u16, *value)?;
        }
    }
    workbook.save_to_buffer()
}

#[derive(Template, WebTemplate)]
#[template(path = "neighbour_form.html")]
struct NeighbourPage {
    nav: Nav,
    form: NeighbourForm,
    districts: Vec<Choice>,
    streets: Vec<Choice>,
    intentions: Vec<Choice>,
    errors: Vec<FieldError>,
}

/// A person of a neighbouring district as typed.
#[derive(Deserialize, Default, Clone)]
struct NeighbourForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    home_district: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    province: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    intention: String,
    #[serde(default)]
    business_field: String,
    #[serde(default)]
    consent: String,
    #[serde(default)]
    years_away: String,
}

fn neighbour_page(
    state: &AppState,
    viewer: &Viewer,
    mut form: NeighbourForm,
    errors: Vec<FieldError>,
) -> Response {
    let own = viewer.user.unit_code.clone().unwrap_or_default();
    if form.street.is_empty() {
        form.street = own.clone();
    }
    let own_is_street = state
        .plan
        .unit(&own)
        .is_some_and(|u| u.kind == UnitKind::Street);
    let page = NeighbourPage {
        nav: Nav::of(viewer, state),
        districts: NEIGHBOURING_DISTRICTS
            .iter()
            .map(|d| Choice {
                value: (*d).into(),
                label: (*d).into(),
                selected: *d == form.home_district,
            })
            .collect(),
        streets: state
            .plan
            .units
            .iter()
            .filter(|u| u.kind == UnitKind::Street && (!own_is_street || u.code == own))
            .map(|u| Choice {
                value: u.code.clone(),
                label: u.name.clone(),
                selected: u.code == form.street,
            })
            .collect(),
        intentions: Intention::ALL
            .iter()
            .map(|i| Choice {
                value: i.code().into(),
                label: i.label().into(),
                selected: i.code() == form.intention,
            })
            .collect(),
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

async fn neighbour_form(State(state): State<AppState>, viewer: Viewer) -> Response {
    neighbour_page(&state, &viewer, NeighbourForm::default(), Vec::new())
}

async fn add_neighbour(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<NeighbourForm>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let draft = MigrantDraft {
        person: PersonDraft {
            name: form.name.clone(),
            id_number: form.id_number.clone(),
            phone: form.phone.clone(),
            street: form.street.clone(),
            ..PersonDraft::default()
        },
        province: form.province.clone(),
        city: form.city.clone(),
        section: form.section.clone(),
        years_away: form.years_away.clone(),
        intention: form.intention.clone(),
        business_field: form.business_field.clone(),
        contact_consent: if form.consent == "1" { "是" } else { "否" }.into(),
        surveyed_on: state.today().to_string(),
        ..MigrantDraft::default()
    };
    match state
        .store
        .add_neighbour(
            &viewer.actor(),
            &state.plan,
            &draft,
            &form.home_district,
            &viewer.ip,
        )
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/people/migrants/{id}?saved=1")).into_response()),
        Err(linkong_store::Error::Fields(errors)) => {
            Ok(neighbour_page(&state, &viewer, form, errors))
        }
        Err(linkong_store::Error::Invalid { field, message }) => Ok(neighbour_page(
            &state,
            &viewer,
            form,
            vec![FieldError { field, message }],
        )),
        Err(e) => Err(e.into()),
    }
}

/// The people invited to a promotion event whom the caller reaches.
#[derive(Serialize, ToSchema)]
struct ApiInvitations {
    event_id: i64,
    kind: EventKind,
    title: String,
    held_on: chrono::NaiveDate,
    invitations: Vec<Invitation>,
}

/// The people invited to a returnee promotion event (返区创业推介、产业对接, task 2.5.1), with
/// whether they came and the intention they left with. Scoped like the registry: a street's
/// staff get only the people filed under their street. Phone numbers are masked.
#[utoipa::path(
    get,
    path = "/api/v1/events/{id}/invitations",
    operation_id = "listEventInvitations",
    tag = "people",
    params(("id" = i64, Path, description = "活动编号")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "邀约名单", body = ApiInvitations),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "无权查看外出就业人员信息", body = ErrorBody),
        (status = 404, description = "没有该返区创业推介活动", body = ErrorBody),
    )
)]
async fn api_invitations(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<String>,
) -> Result<Json<ApiInvitations>, AppError> {
    let id = event_id(&id)?;
    let PromotionPage {
        event, invitations, ..
    } = state
        .store
        .promotion_page(
            &viewer.actor(),
            &state.plan,
            id,
            &InviteeFilter::default(),
            0,
            &viewer.ip,
        )
        .await?;
    Ok(Json(ApiInvitations {
        event_id: event.id,
        kind: event.kind,
        title: event.title,
        held_on: event.held_on,
        invitations,
    }))
}
