//! Data exchange with the municipal platform (issue 15 item 9): a registry's figures of a year
//! by month, by quarter and for the year, per unit and for the district, added up the way the
//! indicator says (a sum, or a rate whose latest figure stands), and the quarterly bundle's
//! file layout.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::plan::Aggregation;
use crate::progress::RecordFigure;
use crate::quantity::Quantity;

/// A year's figures by period; `null` where nothing was counted in a period.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodFigures {
    /// January to December, twelve entries.
    pub months: Vec<Option<Quantity>>,
    /// Q1 to Q4, four entries.
    pub quarters: Vec<Option<Quantity>>,
    pub year: Option<Quantity>,
}

/// One figure to add up: its day, its id (the later of two on a day wins a rate) and value.
#[derive(Debug, Clone, Copy)]
struct Dated {
    on: NaiveDate,
    id: i64,
    value: i64,
}

/// Adds up figures of one year by period: sums, or for a rate the latest figure of each period.
fn by_period(aggregation: Aggregation, figures: &[Dated]) -> PeriodFigures {
    let fold = |keep: &dyn Fn(&Dated) -> bool| -> Option<Quantity> {
        let mut chosen = figures.iter().filter(|f| keep(f)).peekable();
        chosen.peek()?;
        Some(Quantity::from_hundredths(match aggregation {
            Aggregation::Sum => chosen.map(|f| f.value).sum(),
            Aggregation::Latest => chosen.max_by_key(|f| (f.on, f.id)).map_or(0, |f| f.value),
        }))
    };
    PeriodFigures {
        months: (1..=12).map(|m| fold(&|f| f.on.month() == m)).collect(),
        quarters: (1..=4)
            .map(|q| fold(&|f| f.on.month0() / 3 + 1 == q))
            .collect(),
        year: fold(&|_| true),
    }
}

/// One unit's figures of an indicator.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitFigures {
    pub unit_code: String,
    pub figures: PeriodFigures,
}

/// An indicator's figures per unit that holds any, in unit order, and for the district. A
/// district rate is the figure of the unit that holds it (the task's lead unit); a district
/// sum adds the units.
pub fn unit_figures(
    aggregation: Aggregation,
    year: i32,
    figures: &[&RecordFigure],
) -> (Vec<UnitFigures>, PeriodFigures) {
    let dated = |f: &&RecordFigure| Dated {
        on: f.occurred_on,
        id: f.id,
        value: f.value,
    };
    let of_year: Vec<&RecordFigure> = figures
        .iter()
        .copied()
        .filter(|f| f.occurred_on.year() == year)
        .collect();
    let mut units: Vec<&str> = of_year.iter().map(|f| f.unit_code.as_str()).collect();
    units.sort_unstable();
    units.dedup();
    let per_unit = units
        .iter()
        .map(|unit| {
            let own: Vec<Dated> = of_year
                .iter()
                .filter(|f| f.unit_code == *unit)
                .map(dated)
                .collect();
            UnitFigures {
                unit_code: (*unit).to_owned(),
                figures: by_period(aggregation, &own),
            }
        })
        .collect();
    let all: Vec<Dated> = of_year.iter().map(dated).collect();
    (per_unit, by_period(aggregation, &all))
}

/// The quarterly bundle's files, in the order the manifest lists them: each table as xlsx (to
/// read) and csv (to load), named by the quarter (`2025Q3`).
pub fn bundle_files(period: &str) -> Vec<(String, &'static str)> {
    BUNDLE_TABLES
        .iter()
        .flat_map(|(stem, title)| {
            ["xlsx", "csv"]
                .into_iter()
                .map(move |ext| (format!("{period}_{stem}.{ext}"), *title))
        })
        .collect()
}

/// The bundle's tables: file stem and Chinese title.
pub const BUNDLE_TABLES: [(&str, &str); 3] = [
    ("progress", "分解指标完成情况（按指标和责任单位）"),
    ("reporting", "季度报送情况"),
    ("registries", "台账汇总（按台账、指标、责任单位和月份）"),
];

/// The bundle's manifest file name.
pub const MANIFEST: &str = "manifest.json";

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(id: i64, unit: &str, on: (i32, u32, u32), value: i64) -> RecordFigure {
        RecordFigure {
            id,
            indicator_code: "x".into(),
            unit_code: unit.into(),
            value,
            occurred_on: NaiveDate::from_ymd_opt(on.0, on.1, on.2).unwrap(),
            records: 1,
        }
    }

    fn q(units: i64) -> Option<Quantity> {
        Some(Quantity::whole(units))
    }

    #[test]
    fn a_count_adds_up_by_month_quarter_and_year_per_unit_and_for_the_district() {
        let figures = [
            figure(1, "jinghe", (2025, 1, 5), 300),
            figure(2, "jinghe", (2025, 3, 9), 200),
            figure(3, "changqing", (2025, 8, 1), 100),
            figure(4, "jinghe", (2024, 12, 31), 900),
        ];
        let refs: Vec<&RecordFigure> = figures.iter().collect();
        let (units, district) = unit_figures(Aggregation::Sum, 2025, &refs);
        assert_eq!(
            units.len(),
            2,
            "units in code order, the other year left out"
        );
        assert_eq!(units[1].unit_code, "jinghe");
        assert_eq!(units[1].figures.months[0], q(3));
        assert_eq!(
            units[1].figures.months[1], None,
            "nothing counted is null, not 0"
        );
        assert_eq!(units[1].figures.quarters[0], q(5));
        assert_eq!(district.quarters, vec![q(5), None, q(1), None]);
        assert_eq!(district.year, q(6));
    }

    #[test]
    fn a_rate_takes_the_latest_figure_of_each_period() {
        let figures = [
            figure(1, "rsj", (2025, 7, 31), 8_000),
            figure(2, "rsj", (2025, 9, 30), 8_800),
            figure(3, "rsj", (2025, 9, 30), 9_000),
        ];
        let refs: Vec<&RecordFigure> = figures.iter().collect();
        let (_, district) = unit_figures(Aggregation::Latest, 2025, &refs);
        assert_eq!(district.quarters[2], q(90));
        assert_eq!(district.months[6], q(80));
        assert_eq!(district.year, q(90));
    }

    #[test]
    fn the_bundle_names_each_table_twice_by_the_quarter() {
        let files = bundle_files("2025Q3");
        assert_eq!(files.len(), 6);
        assert_eq!(files[0].0, "2025Q3_progress.xlsx");
        assert_eq!(files[1].0, "2025Q3_progress.csv");
    }
}
