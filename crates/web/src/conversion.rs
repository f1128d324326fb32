//! From push to hire, for 区人社局 and the streets (issue 16 item 5): the year's pushes per street
//! and per channel as a funnel (pushed → viewed → applied → hired), each figure a link to the
//! pushes behind it, and each push traced to its application and hire.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use chrono::Datelike;
use linkong_core::pushes::{Channel, Funnel, Stage};
use linkong_store::pushes::{PushFilter, PushTrail};
use serde::Deserialize;

use crate::auth::{Nav, Viewer};
use crate::view::{optional_unit, optional_year, unit_name};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people/pushes", get(funnel_page))
        .route("/people/pushes/list", get(trail_page))
}

#[derive(Deserialize, Default)]
struct Asked {
    #[serde(default)]
    year: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    stage: String,
}

impl Asked {
    fn filter(&self, state: &AppState) -> Result<PushFilter, AppError> {
        let vocabulary =
            |field: &str, text: &str, parse: &dyn Fn(&str) -> Result<(), String>| match text.trim()
            {
                "" => Ok(false),
                text => parse(text)
                    .map(|_| true)
                    .map_err(|e| AppError::bad_request(format!("{field}：{e}"))),
            };
        vocabulary("推送渠道", &self.channel, &|t| {
            Channel::parse(t).map(drop)
        })?;
        vocabulary("推送阶段", &self.stage, &|t| Stage::parse(t).map(drop))?;
        Ok(PushFilter {
            year: optional_year(state, &self.year)?.unwrap_or_else(|| state.today().year()),
            street: optional_unit(state, "街道", &self.street)?,
            channel: Channel::parse(&self.channel).ok(),
            stage: Stage::parse(&self.stage).ok(),
        })
    }
}

/// One row of a funnel table: what it is, its link's query, its count per stage (stage code,
/// count) and its hire rate.
pub struct FunnelRow {
    pub label: String,
    pub query: String,
    pub counts: Vec<(&'static str, i64)>,
    pub rate: String,
}

impl FunnelRow {
    fn of(label: String, query: String, funnel: &Funnel) -> FunnelRow {
        FunnelRow {
            label,
            query,
            counts: Stage::ALL
                .iter()
                .map(|s| (s.code(), funnel.count(*s)))
                .collect(),
            rate: funnel.rate(Stage::Hired),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "push_funnel.html")]
struct FunnelPage {
    nav: Nav,
    year: i32,
    total: FunnelRow,
    pushed: i64,
    streets: Vec<FunnelRow>,
    channels: Vec<FunnelRow>,
    stages: Vec<&'static str>,
}

async fn funnel_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(asked): Query<Asked>,
) -> Result<FunnelPage, AppError> {
    let filter = asked.filter(&state)?;
    let conversion = state
        .store
        .push_conversion(&state.plan, &viewer.actor(), filter.year, &viewer.ip)
        .await?;
    let year = filter.year;
    Ok(FunnelPage {
        nav: Nav::of(&viewer, &state),
        year,
        total: FunnelRow::of("合计".into(), format!("year={year}"), &conversion.total),
        pushed: conversion.total.pushed,
        streets: conversion
            .by_street
            .iter()
            .map(|(street, funnel)| {
                let query = format!("year={year}&street={street}");
                FunnelRow::of(unit_name(&state, street), query, funnel)
            })
            .collect(),
        channels: conversion
            .by_channel
            .iter()
            .map(|(channel, funnel)| {
                let query = format!("year={year}&channel={}", channel.code());
                FunnelRow::of(channel.label().to_owned(), query, funnel)
            })
            .collect(),
        stages: Stage::ALL.iter().map(|s| s.label()).collect(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "push_trail.html")]
struct TrailPage {
    nav: Nav,
    year: i32,
    what: String,
    rows: Vec<TrailLine>,
}

/// A push as the trail lists it: its street by name, its times formatted.
pub struct TrailLine {
    pub street: String,
    pub pushed: String,
    pub viewed: Option<String>,
    pub hired: Option<String>,
    pub trail: PushTrail,
}

async fn trail_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(asked): Query<Asked>,
) -> Result<TrailPage, AppError> {
    let filter = asked.filter(&state)?;
    let trail = state
        .store
        .push_trail(&state.plan, &viewer.actor(), &filter, &viewer.ip)
        .await?;
    let what = [
        filter.street.as_deref().map(|s| unit_name(&state, s)),
        filter.channel.map(|c| c.label().to_owned()),
        filter.stage.map(|s| s.label().to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    Ok(TrailPage {
        nav: Nav::of(&viewer, &state),
        year: filter.year,
        what,
        rows: trail
            .into_iter()
            .map(|trail| TrailLine {
                street: unit_name(&state, &trail.street_code),
                pushed: crate::format::time(trail.pushed_at),
                viewed: trail.viewed_at.map(crate::format::time),
                hired: trail.hired_at.map(crate::format::time),
                trail,
            })
            .collect(),
    })
}
