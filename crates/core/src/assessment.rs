//! The yearly assessment (考核, 东政办〔2025〕3号 三（三）): each unit's score out of 100 from
//! the completion of its quotas and the timeliness of its reports, by the plan's rules.

use serde::Serialize;

use crate::plan::Plan;
use crate::progress::IndicatorProgress;
use crate::reporting::Timeliness;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitScore {
    pub unit_code: String,
    /// Quotas the unit holds this year.
    pub quotas: usize,
    /// Points for completion, `None` for a unit without quotas.
    pub completion_points: Option<f64>,
    pub reports_due: usize,
    pub on_time: usize,
    pub late: usize,
    pub missing: usize,
    pub timeliness_points: f64,
    /// Out of 100. A unit without quotas is scored on timeliness alone, scaled to 100.
    pub total: f64,
    /// Rank within the unit's group (1 is best; ties share a rank): units holding quotas are
    /// ranked together, units without quotas separately on timeliness.
    pub rank: usize,
}

/// The formula in words, as the assessment page shows it.
pub fn formula(plan: &Plan) -> String {
    let a = &plan.assessment;
    format!(
        "总分 = 完成情况得分（{c} 分）+ 报送及时性得分（{t} 分）。完成情况得分 = {c} × Σ(指标权重 × min(完成率, 100%)) ÷ Σ 指标权重，\
         只计本单位承担的分解指标，默认各指标等权；报送及时性得分 = {t} × (按时报送数 + 逾期报送数 × {l}%) ÷ 已到期应报数，\
         尚无到期报告时得满分。没有量化分解指标的单位只按报送及时性折算为百分制，另行排名。",
        c = a.completion_points,
        t = a.timeliness_points,
        l = a.late_credit_percent
    )
}

/// Scores every unit of the plan. `reports` holds each unit's report timeliness for the year.
pub fn assess(
    plan: &Plan,
    progress: &[IndicatorProgress],
    reports: &[(String, Timeliness)],
) -> Vec<UnitScore> {
    let mut scores: Vec<UnitScore> = plan
        .units
        .iter()
        .map(|unit| score_unit(plan, progress, reports, &unit.code))
        .collect();
    rank_within_groups(&mut scores);
    scores
}

/// One unit's score, not yet ranked.
fn score_unit(
    plan: &Plan,
    progress: &[IndicatorProgress],
    reports: &[(String, Timeliness)],
    unit_code: &str,
) -> UnitScore {
    let rules = &plan.assessment;
    let (quotas, completion_points) = completion_points(plan, progress, unit_code);
    let (on_time, late, missing) = count_reports(reports, unit_code);
    let due = on_time + late + missing;
    let share = if due == 0 {
        1.0
    } else {
        (on_time as f64 + late as f64 * f64::from(rules.late_credit_percent) / 100.0) / due as f64
    };
    let timeliness_points = f64::from(rules.timeliness_points) * share;
    let total = match completion_points {
        Some(points) => points + timeliness_points,
        None => 100.0 * share,
    };
    UnitScore {
        unit_code: unit_code.to_owned(),
        quotas,
        completion_points,
        reports_due: due,
        on_time,
        late,
        missing,
        timeliness_points,
        total,
        rank: 0,
    }
}

/// The number of quotas the unit holds, and its completion points: the weighted mean of their
/// completion, each capped at 100 %; `None` for a unit without quotas.
fn completion_points(
    plan: &Plan,
    progress: &[IndicatorProgress],
    unit_code: &str,
) -> (usize, Option<f64>) {
    let mut weighted = 0.0;
    let mut weights = 0.0;
    let mut quotas = 0;
    for p in progress {
        let weight = plan
            .indicators()
            .find(|(_, i)| i.code == p.indicator_code)
            .map_or(1, |(_, i)| i.weight) as f64;
        for u in p
            .units
            .iter()
            .filter(|u| u.unit_code == unit_code && u.figure.target.is_some())
        {
            quotas += 1;
            weights += weight;
            weighted += weight * u.figure.completion.unwrap_or(0.0).clamp(0.0, 100.0) / 100.0;
        }
    }
    let points =
        (quotas > 0).then(|| f64::from(plan.assessment.completion_points) * weighted / weights);
    (quotas, points)
}

/// The unit's reports that were on time, late and missing; reports not yet due are left out.
fn count_reports(reports: &[(String, Timeliness)], unit_code: &str) -> (usize, usize, usize) {
    let mine: Vec<Timeliness> = reports
        .iter()
        .filter(|(u, _)| *u == unit_code)
        .map(|(_, t)| *t)
        .collect();
    let on_time = mine.iter().filter(|t| **t == Timeliness::OnTime).count();
    let late = mine
        .iter()
        .filter(|t| matches!(t, Timeliness::Late { .. }))
        .count();
    let missing = mine.iter().filter(|t| **t == Timeliness::Missing).count();
    (on_time, late, missing)
}

/// Sorts units with quotas before those without, each group best total first, and gives
/// competition ranks (1, 2, 2, 4) within each group.
fn rank_within_groups(scores: &mut [UnitScore]) {
    scores.sort_by(|a, b| {
        b.completion_points
            .is_some()
            .cmp(&a.completion_points.is_some())
            .then(b.total.total_cmp(&a.total))
    });
    let mut previous: Option<(bool, f64, usize)> = None;
    let mut position_in_group = 0;
    for score in scores.iter_mut() {
        let group = score.completion_points.is_some();
        if previous.is_none_or(|(g, _, _)| g != group) {
            position_in_group = 0;
        }
        position_in_group += 1;
        let rank = match previous {
            Some((g, total, rank)) if g == group && (total - score.total).abs() < 1e-9 => rank,
            _ => position_in_group,
        };
        score.rank = rank;
        previous = Some((group, score.total, rank));
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::progress::{RecordFigure, compute};

    const PLAN: &str = include_str!("../../../plans/dongxihu-2025-2027.toml");

    fn record(id: i64, indicator: &str, unit: &str, value: i64) -> RecordFigure {
        RecordFigure {
            id,
            indicator_code: indicator.into(),
            unit_code: unit.into(),
            value,
            occurred_on: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            records: 1,
        }
    }

    #[test]
    fn a_street_scores_by_hand() {
        let plan = Plan::parse(PLAN).unwrap();
        // 径河 holds six quotas in 2025: positions 2100, guidance 35, and one each of promotion
        // events, selected projects, showcase cases and community job events.
        let records = [
            record(1, "1.1.1.positions", "jinghe", 1050_00), // 50 %
            record(2, "2.2.1.guidance", "jinghe", 70_00),    // 200 %, capped at 100 %
            record(3, "2.5.1.promotion_events", "jinghe", 1_00), // 100 %
        ];
        let progress = compute(
            &plan,
            2025,
            NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
            &records,
        );
        let reports: Vec<(String, Timeliness)> = [
            Timeliness::OnTime,
            Timeliness::OnTime,
            Timeliness::OnTime,
            Timeliness::Late { working_days: 2 },
            Timeliness::Missing,
        ]
        .into_iter()
        .map(|t| ("jinghe".to_owned(), t))
        .collect();
        let scores = assess(&plan, &progress, &reports);
        let jinghe = scores.iter().find(|s| s.unit_code == "jinghe").unwrap();
        assert_eq!(jinghe.quotas, 6);
        // 80 × (0.5 + 1 + 1 + 0 + 0 + 0) / 6 = 33.333…
        assert!((jinghe.completion_points.unwrap() - 80.0 * 2.5 / 6.0).abs() < 1e-9);
        // 20 × (3 + 0.5 × 1) / 5 = 14
        assert!((jinghe.timeliness_points - 14.0).abs() < 1e-9);
        assert!((jinghe.total - (80.0 * 2.5 / 6.0 + 14.0)).abs() < 1e-9);
        assert_eq!(jinghe.rank, 1);
        // 长青 did nothing and owes no report yet in this list: 0 + 20.
        let changqing = scores.iter().find(|s| s.unit_code == "changqing").unwrap();
        assert_eq!(
            (changqing.completion_points, changqing.timeliness_points),
            (Some(0.0), 20.0)
        );
        // Units with the same score share a rank.
        assert_eq!(
            changqing.rank,
            scores
                .iter()
                .find(|s| s.unit_code == "zoumaling")
                .unwrap()
                .rank
        );
        // A unit with no quota (区财政局) is ranked among such units, on timeliness: 100.
        let czj = scores.iter().find(|s| s.unit_code == "czj").unwrap();
        assert_eq!(
            (czj.completion_points, czj.total, czj.rank),
            (None, 100.0, 1)
        );
        let position = |code: &str| scores.iter().position(|s| s.unit_code == code);
        assert!(
            position("czj") > position("changqing"),
            "units with quotas come first"
        );
    }
}
