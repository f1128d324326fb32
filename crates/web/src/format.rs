//! Numbers and dates as the pages show them.

use chrono::{DateTime, Utc};
use linkong_core::progress::{Figure, Status};
use linkong_core::quantity::Quantity;

pub fn amount(hundredths: i64) -> String {
    Quantity::from_hundredths(hundredths).to_string()
}

pub fn percent(value: f64) -> String {
    format!("{value:.1}%")
}

pub fn status_class(status: Option<Status>) -> &'static str {
    status.map_or("none", Status::code)
}

pub fn status_label(status: Option<Status>) -> &'static str {
    status.map_or("—", Status::label)
}

pub fn time(at: DateTime<Utc>) -> String {
    at.with_timezone(&linkong_core::time::china())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A figure ready for a table row.
#[derive(Debug, Clone)]
pub struct FigureView {
    pub target: String,
    pub actual: String,
    pub completion: String,
    pub pro_rata: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub records: usize,
}

impl FigureView {
    /// An indicator's district figure: an activity indicator (no number in the seed) shows its
    /// count with 无目标值 and no pro-rata progress.
    pub fn of_indicator(figure: &Figure, indicator: &linkong_core::plan::Indicator) -> FigureView {
        let view = FigureView::new(figure, &indicator.measure);
        if indicator.target.is_some() {
            return view;
        }
        FigureView {
            target: "无目标值".into(),
            pro_rata: "—".into(),
            ..view
        }
    }

    pub fn new(figure: &Figure, measure: &str) -> FigureView {
        let unit = if measure == "%" {
            "%".to_owned()
        } else {
            measure.to_owned()
        };
        FigureView {
            target: figure
                .target
                .map_or("—".into(), |t| format!("{}{unit}", amount(t))),
            actual: figure
                .actual
                .map_or("—".into(), |a| format!("{}{unit}", amount(a))),
            completion: figure.completion.map_or("—".into(), percent),
            pro_rata: percent(figure.pro_rata),
            status: status_label(figure.status),
            status_class: status_class(figure.status),
            records: figure.records,
        }
    }
}
