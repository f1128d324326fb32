//! Recruitment events (招聘活动): their kinds. Apart from `jobs` because the plan's registries
//! count events per kind, and the plan sits below jobs.

vocabulary!(
    /// Kinds of recruitment event (招聘活动) in tasks 1.1.2, 1.1.3 and 2.5.4.
    EventKind, "活动类型" {
        CampusFair = "campus_fair", "“就在武汉·职在临空港”校园招聘";
        OtherFair = "other_fair", "其他线上线下招聘活动";
        Community = "community", "“送岗位进社区”招聘活动";
        OutOfCity = "out_of_city", "市外引才活动";
    }
);

/// The day an event is held: within the plan's years, and no more than a year ahead (an event
/// is recorded once it is planned or held).
pub fn event_day(
    input: &str,
    years: std::ops::RangeInclusive<i32>,
    today: chrono::NaiveDate,
) -> Result<chrono::NaiveDate, String> {
    use chrono::Datelike;
    match crate::field::parse_date(input) {
        Some(day) if years.contains(&day.year()) && day <= today + chrono::Duration::days(366) => {
            Ok(day)
        }
        Some(_) => Err(format!("须在 {}—{} 年内", years.start(), years.end())),
        None => Err("请填写日期，如 2025-05-20".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn an_event_is_held_within_the_plan_years_and_at_most_a_year_ahead() {
        let today = day(2025, 5, 1);
        assert_eq!(
            event_day("2025年5月20日", 2025..=2027, today),
            Ok(day(2025, 5, 20))
        );
        assert_eq!(
            event_day("2026-05-02", 2025..=2027, today),
            Ok(day(2026, 5, 2))
        );
        assert_eq!(
            event_day("2026-05-03", 2025..=2027, today),
            Err("须在 2025—2027 年内".to_owned())
        );
        assert_eq!(
            event_day("2024-12-31", 2025..=2027, today),
            Err("须在 2025—2027 年内".to_owned())
        );
        assert_eq!(
            event_day("下周", 2025..=2027, today),
            Err("请填写日期，如 2025-05-20".to_owned())
        );
    }
}
