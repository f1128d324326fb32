//! Push lists (精准推送, plan task 1.1.4; issue 16 item 4): for a street, every unplaced
//! graduate of the year with the open posts that fit them best and why; the officer ticks the
//! posts to push and each becomes a job referral in the graduate's 1131 log. The list as a
//! workbook for the street's staff. Who reaches which street, and whether a post may be pushed,
//! is decided in core and the store.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Path;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Datelike;
use linkong_app::workbook::Cell;
use linkong_core::people::Degree;
use linkong_core::pushes::Channel;
use linkong_store::matching::{PushAsk, PushLine};
use serde::Deserialize;

use crate::auth::{Nav, Viewer};
use crate::view::{Choice, choices, streets, unit_name};
use crate::{AppError, AppState};

/// Posts suggested per graduate unless asked otherwise.
const DEFAULT_N: usize = 3;

mod returnees;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people/graduates/push", get(list_page).post(push))
        .route("/people/graduates/push.xlsx", get(list_xlsx))
        .route("/people/graduates/{id}/push", post(push_one))
        .merge(returnees::router())
}

#[derive(Deserialize, Default, Clone)]
struct PushQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    n: String,
    #[serde(default)]
    pushed: String,
}

/// The list asked for: (year, street, n); a wrong one is a 422 naming the field.
struct Asked {
    year: i32,
    street: Option<String>,
    n: usize,
}

impl PushQuery {
    fn asked(&self, state: &AppState) -> Result<Asked, AppError> {
        let year =
            crate::view::optional_year(state, &self.year)?.unwrap_or_else(|| state.today().year());
        let (street, n) = self.street_and_n(state)?;
        Ok(Asked { year, street, n })
    }

    /// The street asked (none: all the viewer reaches) and how many posts per person.
    fn street_and_n(&self, state: &AppState) -> Result<(Option<String>, usize), AppError> {
        let street = crate::view::optional_unit(state, "街道", &self.street)?;
        let n = match self.n.trim() {
            "" => DEFAULT_N,
            text => text.parse::<usize>().map_err(|_| {
                AppError::bad_request(format!("推荐数量：须为整数（收到“{text}”）"))
            })?,
        };
        Ok((street, n))
    }

    /// The list a push form was sent from (its hidden fields), with the CSRF token checked.
    async fn of_form(
        state: &AppState,
        viewer: &Viewer,
        form: &[(String, String)],
    ) -> Result<PushQuery, AppError> {
        let field = |name: &str| {
            form.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        viewer.check_csrf(state, &field("csrf")).await?;
        Ok(PushQuery {
            year: field("year"),
            street: field("street"),
            n: field("n"),
            pushed: String::new(),
        })
    }
}

/// The ticked `push=PERSON:POST` pairs of a push form; a malformed one is a 422 naming the field.
fn ticked(form: &[(String, String)]) -> Result<Vec<(i64, i64)>, AppError> {
    let mut pushes = Vec::new();
    for (_, value) in form.iter().filter(|(k, _)| k == "push") {
        let pair = value
            .split_once(':')
            .and_then(|(g, p)| Some((g.parse::<i64>().ok()?, p.parse::<i64>().ok()?)));
        match pair {
            Some(pair) => pushes.push(pair),
            None => {
                return Err(AppError::bad_request(format!(
                    "推送岗位：无法识别“{value}”"
                )));
            }
        }
    }
    Ok(pushes)
}

#[derive(Template, WebTemplate)]
#[template(path = "push_list.html")]
struct ListPage {
    nav: Nav,
    year: i32,
    street: String,
    n: usize,
    streets: Vec<Choice>,
    lines: Vec<(PushLine, Vec<String>)>,
    pushed: Option<usize>,
    error: Option<String>,
}

/// The push list asked for, each graduate's degree by its label.
async fn lines_of(
    state: &AppState,
    viewer: &Viewer,
    asked: &Asked,
) -> Result<Vec<PushLine>, AppError> {
    let mut lines = state
        .store
        .push_list(
            &state.plan,
            &viewer.actor(),
            &PushAsk {
                year: asked.year,
                street: asked.street.as_deref(),
                n: asked.n,
            },
            &state.matching,
            &viewer.ip,
        )
        .await?;
    for line in &mut lines {
        if let Ok(degree) = Degree::parse(&line.degree) {
            line.degree = degree.label().to_owned();
        }
    }
    Ok(lines)
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    asked: &Asked,
    pushed: Option<usize>,
    error: Option<String>,
) -> Result<ListPage, AppError> {
    let lines = lines_of(state, viewer, asked).await?;
    let street = asked.street.clone().unwrap_or_default();
    Ok(ListPage {
        nav: Nav::of(viewer, state),
        year: asked.year,
        n: asked.n,
        streets: choices(streets(state), &street),
        street,
        lines: lines
            .into_iter()
            .map(|line| {
                let streets = line
                    .matches
                    .iter()
                    .map(|m| unit_name(state, &m.street_code))
                    .collect();
                (line, streets)
            })
            .collect(),
        pushed,
        error,
    })
}

async fn list_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<PushQuery>,
) -> Result<ListPage, AppError> {
    let asked = query.asked(&state)?;
    let pushed = query.pushed.parse::<usize>().ok();
    render(&state, &viewer, &asked, pushed, None).await
}

/// Pushes the ticked posts (`push=GRADUATE:POST`, repeated), all or none.
async fn push(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let asked = PushQuery::of_form(&state, &viewer, &form)
        .await?
        .asked(&state)?;
    let refused = match push_ticked(&state, &viewer, Of::Graduates, &form).await? {
        Ok(count) => {
            let street = asked.street.as_deref().unwrap_or("");
            let back = format!(
                "/people/graduates/push?year={}&street={street}&n={}&pushed={count}",
                asked.year, asked.n
            );
            return Ok(Redirect::to(&back).into_response());
        }
        Err(refused) => refusal(refused)?,
    };
    let page = render(&state, &viewer, &asked, None, Some(refused)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Whom a push list is of.
#[derive(Clone, Copy)]
enum Of {
    Graduates,
    Returnees,
}

/// Pushes the posts ticked on a push list (channel 街道推送清单), all or none: the store's answer
/// (how many, or why not); a malformed tick is a 422 naming the field.
async fn push_ticked(
    state: &AppState,
    viewer: &Viewer,
    of: Of,
    form: &[(String, String)],
) -> Result<linkong_store::Result<usize>, AppError> {
    let pushes = ticked(form)?;
    let (store, plan, actor) = (&state.store, &state.plan, &viewer.actor());
    let (channel, weights, ip) = (Channel::PushList, &state.matching, viewer.ip.as_str());
    Ok(match of {
        Of::Graduates => {
            store
                .push_referrals(plan, actor, channel, weights, &pushes, ip)
                .await
        }
        Of::Returnees => {
            store
                .push_to_returnees(plan, actor, channel, weights, &pushes, ip)
                .await
        }
    })
}

/// A refusal that names its field, as the list shows it ("字段：说明"); any other error as it is.
fn refusal(refused: linkong_store::Error) -> Result<String, AppError> {
    match refused {
        linkong_store::Error::Invalid { field, message } => Ok(format!("{field}：{message}")),
        other => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct PushOne {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    post_id: String,
}

/// Pushes one suggested post from a graduate's 1131 page.
async fn push_one(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<PushOne>,
) -> Result<Response, AppError> {
    viewer.check_csrf(&state, &form.csrf).await?;
    let post_id = form
        .post_id
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::bad_request(format!("推送岗位：无法识别“{}”", form.post_id)))?;
    state
        .store
        .push_referrals(
            &state.plan,
            &viewer.actor(),
            Channel::ServicePage,
            &state.matching,
            &[(id, post_id)],
            &viewer.ip,
        )
        .await?;
    Ok(Redirect::to(&format!("/people/graduates/{id}#pushes-h")).into_response())
}

/// The push list as a workbook: one row per graduate and suggested post.
async fn list_xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<PushQuery>,
) -> Result<Response, AppError> {
    let asked = query.asked(&state)?;
    let lines = lines_of(&state, &viewer, &asked).await?;
    let mut rows = Vec::new();
    for line in &lines {
        for (rank, m) in line.matches.iter().enumerate() {
            rows.push(vec![
                Cell::Text(line.name.clone()),
                Cell::Text(unit_name(&state, &line.street_code)),
                Cell::Text(format!("{} · {}", line.major, line.degree)),
                Cell::Number((rank + 1) as f64),
                Cell::Text(format!("#{} {}", m.post_id, m.title)),
                Cell::Text(m.employer_name.clone()),
                Cell::Text(unit_name(&state, &m.street_code)),
                Cell::Text(format!("{}–{}", m.salary_min, m.salary_max)),
                Cell::Number(m.score),
                Cell::Text(m.reasons.join("；")),
            ]);
        }
    }
    let headers = [
        ("姓名", 10.0),
        ("户籍街道", 12.0),
        ("专业 · 学历", 22.0),
        ("序", 5.0),
        ("推荐岗位", 26.0),
        ("用人单位", 26.0),
        ("岗位所在街道", 12.0),
        ("月薪（元）", 12.0),
        ("匹配度", 8.0),
        ("匹配理由", 48.0),
    ];
    let title = format!("{} 届离校未就业高校毕业生岗位推送清单", asked.year);
    let bytes = linkong_app::workbook::table("推送清单", &title, &headers, &rows);
    crate::download::download(&format!("push-list-{}.xlsx", asked.year), bytes)
}
