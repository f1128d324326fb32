//! An edition's results of the start-up contest (1.2.3) as a workbook: each entry with its track,
//! school, the panel's score in each round, how far it went, its award and its landing. No
//! phone and no ID: the results are what the organiser publishes and files.

use linkong_store::contest::EditionPage;
use rust_xlsxwriter::XlsxError;

use crate::workbook::{Cell, table};

/// The results of `page`'s edition, one row per entry, by track.
pub fn results_workbook(page: &EditionPage) -> Result<Vec<u8>, XlsxError> {
    let edition = &page.edition;
    let mut headers: Vec<(String, f64)> = [
        ("赛道", 14.0),
        ("项目名称", 24.0),
        ("团队名称", 16.0),
        ("负责人", 10.0),
        ("学校", 18.0),
        ("所属领域", 12.0),
        ("报名日期", 12.0),
    ]
    .iter()
    .map(|(h, w)| ((*h).to_owned(), *w))
    .collect();
    for round in &edition.rounds {
        headers.push((
            format!("{}（满分 {}）", round.stage.label(), round.scale),
            12.0,
        ));
    }
    for (h, w) in [
        ("最远赛程", 10.0),
        ("奖项", 10.0),
        ("奖金（元）", 12.0),
        ("落地创业主体", 22.0),
        ("落地日期", 12.0),
    ] {
        headers.push((h.to_owned(), w));
    }
    let rows: Vec<Vec<Cell>> = page
        .entries
        .iter()
        .map(|e| {
            let mut row: Vec<Cell> = [
                &e.track, &e.project, &e.team, &e.leader, &e.school, &e.field,
            ]
            .iter()
            .map(|t| Cell::Text((*t).clone()))
            .collect();
            row.push(Cell::Text(e.registered_on.to_string()));
            for r in &e.results {
                row.push(match (r.reached, r.score) {
                    (_, Some(score)) => Cell::Number(score as f64 / 100.0),
                    (true, None) => Cell::Text("未评分".into()),
                    (false, None) => Cell::Text("—".into()),
                });
            }
            row.push(Cell::Text(
                e.furthest().map(|s| s.label()).unwrap_or("—").into(),
            ));
            match &e.award {
                Some(a) => {
                    row.push(Cell::Text(a.grade.label().into()));
                    row.push(Cell::Number(a.amount as f64));
                }
                None => row.extend([Cell::Text(String::new()), Cell::Text(String::new())]),
            }
            match &e.landing {
                Some(l) => row.extend([
                    Cell::Text(l.business_name.clone()),
                    Cell::Text(l.landed_on.to_string()),
                ]),
                None => row.extend([Cell::Text(String::new()), Cell::Text(String::new())]),
            }
            row
        })
        .collect();
    let headers: Vec<(&str, f64)> = headers.iter().map(|(h, w)| (h.as_str(), *w)).collect();
    table(
        &format!("{}年大赛", edition.year),
        &format!("{}成绩表", edition.name),
        &headers,
        &rows,
    )
}
