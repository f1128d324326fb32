//! What the municipal platform reads (issue 15 item 9): progress as of a day, and the
//! aggregates of every registry — generically over `Registry::ALL`, from the same tallies the
//! dashboard reads, so a registry added to the plan appears here without code of its own.

use chrono::NaiveDate;
use linkong_core::exchange::{PeriodFigures, UnitFigures, unit_figures};
use linkong_core::plan::{Aggregation, Plan};
use linkong_core::progress::{self, IndicatorProgress, RecordFigure};
use linkong_core::registry::Registry;
use linkong_core::time::local_date;
use serde::Serialize;

use crate::{Result, Store};

/// A registry's figures of a year: one entry per plan indicator it fills.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegistryAggregates {
    /// The registry's code, as in the plan file (`loans.issued`).
    pub registry: String,
    /// Where staff keep it (创业担保贷款台账).
    pub label: String,
    pub year: i32,
    /// The day the figures stand on.
    pub as_of: NaiveDate,
    /// Empty when no indicator of the plan names the registry.
    pub indicators: Vec<IndicatorAggregates>,
}

/// An indicator's figures by unit and for the district, by month, quarter and year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorAggregates {
    pub task_code: String,
    pub indicator_code: String,
    pub indicator_name: String,
    /// The unit of measure (个, 场, 万元, %).
    pub measure: String,
    /// `sum`: figures add up; `latest`: a rate, the latest figure of a period stands.
    pub aggregation: Aggregation,
    pub district: PeriodFigures,
    /// Each unit that holds figures, by unit code.
    pub units: Vec<UnitFigures>,
}

impl Store {
    /// Progress of every indicator for `year` as it stood on `as_of`: figures dated on or
    /// before that day, pro-rata progress measured on it.
    pub async fn progress_as_of(
        &self,
        plan: &Plan,
        year: i32,
        as_of: NaiveDate,
    ) -> Result<Vec<IndicatorProgress>> {
        let from = NaiveDate::from_ymd_opt(plan.info.first_year, 1, 1).unwrap_or_default();
        let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
        let records = self.record_figures(plan, from, end.min(as_of)).await?;
        Ok(progress::compute(plan, year, as_of, &records))
    }

    /// Every registry's figures of `year` up to `as_of` (no later than today), in the order of
    /// `Registry::ALL`.
    pub async fn registry_aggregates(
        &self,
        plan: &Plan,
        year: i32,
        as_of: NaiveDate,
    ) -> Result<Vec<RegistryAggregates>> {
        let as_of = as_of.min(local_date(self.now()));
        let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
        let to = NaiveDate::from_ymd_opt(year, 12, 31)
            .unwrap_or_default()
            .min(as_of);
        let figures = self.registry_figures(plan, from, to).await?;
        Ok(Registry::ALL
            .into_iter()
            .map(|registry| aggregates_of(plan, registry, year, as_of, &figures))
            .collect())
    }
}

fn aggregates_of(
    plan: &Plan,
    registry: Registry,
    year: i32,
    as_of: NaiveDate,
    figures: &[RecordFigure],
) -> RegistryAggregates {
    let indicators = plan
        .indicators()
        .filter(|(_, indicator)| indicator.registry == Some(registry))
        .map(|(task, indicator)| {
            let own: Vec<&RecordFigure> = figures
                .iter()
                .filter(|f| f.indicator_code == indicator.code)
                .collect();
            let (units, district) = unit_figures(indicator.aggregation, year, &own);
            IndicatorAggregates {
                task_code: task.code.clone(),
                indicator_code: indicator.code.clone(),
                indicator_name: indicator.name.clone(),
                measure: indicator.measure.clone(),
                aggregation: indicator.aggregation,
                district,
                units,
            }
        })
        .collect();
    RegistryAggregates {
        registry: registry.code().to_owned(),
        label: registry.label().to_owned(),
        year,
        as_of,
        indicators,
    }
}
