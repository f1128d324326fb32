//! The district's consolidated report of a period (全区汇总表): every unit's figures as it
//! submitted them, or, for a unit that has not, as its records stand, with a remark that says
//! which, so the task force can send it on time whoever is late.

use chrono::NaiveDate;

use super::{
    ConsolidatedTask, ReportLine, ReportPeriod, ReportStatus, Standing, UnitContribution,
    consolidate,
};
use crate::plan::Plan;

/// One unit's report as the district report needs it.
pub struct HandedIn<'a> {
    pub unit_code: &'a str,
    pub status: Option<ReportStatus>,
    /// The figures frozen at submission (only for a submitted or accepted report).
    pub frozen: Option<&'a [ReportLine]>,
    /// The unit's lines as its records stand today.
    pub live: Vec<ReportLine>,
    pub standing: Standing,
}

/// The consolidated report: its period, deadline and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictReport {
    pub period: ReportPeriod,
    pub due: NaiveDate,
    pub tasks: Vec<ConsolidatedTask>,
}

/// The remark beside a unit's figures: its timeliness, and where the figures come from.
pub fn district_remark(status: Option<ReportStatus>, standing: Standing, frozen: bool) -> String {
    let timeliness = standing.timeliness.label();
    match status {
        Some(status) if frozen => format!("{timeliness}，{}", status.label()),
        _ => {
            let why = match status {
                Some(ReportStatus::Returned) => "已退回修改",
                Some(ReportStatus::Draft) => "草稿未报送",
                _ => "未报送",
            };
            format!("{timeliness}（{why}，数据取自填报记录）")
        }
    }
}

/// Builds the district report of `period` from every unit's report.
pub fn district_report(
    plan: &Plan,
    period: ReportPeriod,
    due: NaiveDate,
    units: &[HandedIn],
) -> DistrictReport {
    let contributions: Vec<UnitContribution> = units
        .iter()
        .map(|unit| UnitContribution {
            unit_code: unit.unit_code,
            lines: unit.frozen.unwrap_or(&unit.live),
            remark: district_remark(unit.status, unit.standing, unit.frozen.is_some()),
        })
        .collect();
    DistrictReport {
        period,
        due,
        tasks: consolidate(plan, period, &contributions),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reporting::Timeliness;

    fn standing(timeliness: Timeliness) -> Standing {
        Standing {
            due: NaiveDate::from_ymd_opt(2025, 10, 11).unwrap(),
            timeliness,
        }
    }

    #[test]
    fn a_submitted_report_is_shown_with_its_timeliness_and_review_state() {
        let remark = district_remark(
            Some(ReportStatus::Accepted),
            standing(Timeliness::Late { working_days: 2 }),
            true,
        );
        assert_eq!(remark, "逾期 2 个工作日，已通过");
    }

    #[test]
    fn a_unit_without_a_submission_is_shown_from_its_records_and_says_so() {
        assert_eq!(
            district_remark(None, standing(Timeliness::Missing), false),
            "逾期未报（未报送，数据取自填报记录）"
        );
        assert_eq!(
            district_remark(
                Some(ReportStatus::Returned),
                standing(Timeliness::Missing),
                false
            ),
            "逾期未报（已退回修改，数据取自填报记录）"
        );
        assert_eq!(
            district_remark(
                Some(ReportStatus::Draft),
                standing(Timeliness::NotDue),
                false
            ),
            "未到期（草稿未报送，数据取自填报记录）"
        );
    }
}
