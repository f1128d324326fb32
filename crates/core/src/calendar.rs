//! The working-day calendar: State Council holidays and adjusted working days per year
//! (`calendar/cn-workdays.toml`). Report deadlines are counted in working days by it
//! (东政办〔2025〕3号 三、保障措施（二）: 每季度结束后3个工作日内).
//!
//! A year without data falls back to Monday–Friday; [`WorkCalendar::has_data`] tells callers
//! to say so wherever they show a date from such a year.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::field::parse_date;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// One year's notice: its holidays and the weekend days that are working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCalendar {
    pub year: i32,
    pub source: String,
    pub holidays: Vec<Holiday>,
    pub working_days: Vec<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    years: BTreeMap<i32, YearCalendar>,
    off: BTreeSet<NaiveDate>,
    on: BTreeSet<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarError(pub Vec<String>);

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "工作日历有误：{}", self.0.join("；"))
    }
}

impl std::error::Error for CalendarError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    years: Vec<RawYear>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    year: i32,
    source: String,
    #[serde(default)]
    holidays: Vec<RawHoliday>,
    #[serde(default)]
    working_days: Vec<toml::value::Datetime>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    name: String,
    from: toml::value::Datetime,
    to: toml::value::Datetime,
}

fn to_date(value: &toml::value::Datetime) -> Option<NaiveDate> {
    let date = value.date?;
    if value.time.is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

impl WorkCalendar {
    /// Reads a calendar file, reporting every inconsistency.
    pub fn parse(text: &str) -> Result<WorkCalendar, CalendarError> {
        let raw: RawFile = toml::from_str(text)
            .map_err(|e| CalendarError(vec![format!("不是有效的日历文件：{}", e.message())]))?;
        let mut errors = Vec::new();
        let mut years = Vec::new();
        for year in raw.years {
            let mut holidays = Vec::new();
            for h in &year.holidays {
                match (to_date(&h.from), to_date(&h.to)) {
                    (Some(from), Some(to)) if from <= to => holidays.push(Holiday {
                        name: h.name.clone(),
                        from,
                        to,
                    }),
                    _ => errors.push(format!("{} 年“{}”的起止日期无效", year.year, h.name)),
                }
            }
            let mut working_days = Vec::new();
            for day in &year.working_days {
                match to_date(day) {
                    Some(date) => working_days.push(date),
                    None => errors.push(format!("{} 年调休上班日“{day}”不是日期", year.year)),
                }
            }
            years.push(YearCalendar {
                year: year.year,
                source: year.source,
                holidays,
                working_days,
            });
        }
        match WorkCalendar::from_years(years) {
            Ok(calendar) if errors.is_empty() => Ok(calendar),
            Ok(_) => Err(CalendarError(errors)),
            Err(CalendarError(more)) => {
                Err(CalendarError(errors.into_iter().chain(more).collect()))
            }
        }
    }

    /// Builds a calendar from per-year notices (as edited by an admin), checking that no day is
    /// both a holiday and a working day, that adjusted working days fall on weekends, and that
    /// every date lies in its year.
    pub fn from_years(years: Vec<YearCalendar>) -> Result<WorkCalendar, CalendarError> {
        let mut errors = Vec::new();
        let mut calendar = WorkCalendar::default();
        for year in years {
            if calendar.years.contains_key(&year.year) {
                errors.push(format!("{} 年重复", year.year));
                continue;
            }
            let mut off = BTreeSet::new();
            for h in &year.holidays {
                let mut day = h.from;
                while day <= h.to {
                    off.insert(day);
                    day += Duration::days(1);
                }
                if h.from.year() != year.year && h.to.year() != year.year {
                    errors.push(format!("{} 年的“{}”不在该年内", year.year, h.name));
                }
            }
            for day in &year.working_days {
                if day.year() != year.year {
                    errors.push(format!("{} 年的调休上班日 {day} 不在该年内", year.year));
                }
                if !is_weekend(*day) {
                    errors.push(format!("调休上班日 {day} 不是周末，无需调休"));
                }
                if off.contains(day) {
                    errors.push(format!("{day} 既是节假日又是调休上班日"));
                }
            }
            calendar.off.extend(off);
            calendar.on.extend(year.working_days.iter().copied());
            calendar.years.insert(year.year, year);
        }
        if errors.is_empty() {
            Ok(calendar)
        } else {
            Err(CalendarError(errors))
        }
    }

    /// Whether the State Council's notice for `year` is in the calendar.
    pub fn has_data(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    pub fn years(&self) -> impl Iterator<Item = &YearCalendar> {
        self.years.values()
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.on.contains(&date) {
            return true;
        }
        if self.off.contains(&date) {
            return false;
        }
        !is_weekend(date)
    }

    /// The `n`-th working day after `date` (not counting `date` itself).
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day += Duration::days(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days strictly after `from` up to and including `to` (0 when `to <= from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day += Duration::days(1);
            if self.is_working_day(day) {
                count += 1;
            }
        }
        count
    }
}

impl WorkCalendar {
    /// The calendar with `year` replaced (or added), checked as a whole.
    pub fn with_year(&self, year: YearCalendar) -> Result<WorkCalendar, CalendarError> {
        let mut years: Vec<YearCalendar> = self
            .years
            .values()
            .filter(|y| y.year != year.year)
            .cloned()
            .collect();
        years.push(year);
        years.sort_by_key(|y| y.year);
        WorkCalendar::from_years(years)
    }
}

/// The year a calendar is entered for: four digits, 2000–2100.
pub fn calendar_year(input: &str) -> Result<i32, crate::field::FieldError> {
    input
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| crate::field::FieldError {
            field: "年份",
            message: "请填写四位年份，如 2027".into(),
        })
}

/// Reads a year as an admin types it: one holiday per line, "名称 起始日期 [结束日期]", and the
/// adjusted working days separated by spaces, commas or new lines. Dates as in
/// [`parse_date`].
pub fn parse_year_text(
    year: i32,
    source: &str,
    holidays: &str,
    working_days: &str,
) -> Result<YearCalendar, CalendarError> {
    let mut errors = Vec::new();
    if source.trim().is_empty() {
        errors.push("请填写依据（国务院办公厅通知的名称和文号）".to_owned());
    }
    let mut parsed_holidays = Vec::new();
    for (n, line) in holidays
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let dates: Vec<Option<NaiveDate>> = parts.iter().skip(1).map(|p| parse_date(p)).collect();
        match (parts.first(), dates.as_slice()) {
            (Some(name), [Some(from)]) => parsed_holidays.push(Holiday {
                name: (*name).to_owned(),
                from: *from,
                to: *from,
            }),
            (Some(name), [Some(from), Some(to)]) if from <= to => parsed_holidays.push(Holiday {
                name: (*name).to_owned(),
                from: *from,
                to: *to,
            }),
            _ => errors.push(format!(
                "节假日第 {} 行“{}”应写作“名称 起始日期 结束日期”",
                n + 1,
                line.trim()
            )),
        }
    }
    let mut days = Vec::new();
    for token in working_days
        .split(|c: char| c.is_whitespace() || c == ',' || c == '，' || c == '、')
        .filter(|t| !t.is_empty())
    {
        match parse_date(token) {
            Some(day) => days.push(day),
            None => errors.push(format!("调休上班日“{token}”不是有效日期")),
        }
    }
    if !errors.is_empty() {
        return Err(CalendarError(errors));
    }
    let candidate = YearCalendar {
        year,
        source: source.trim().to_owned(),
        holidays: parsed_holidays,
        working_days: days,
    };
    WorkCalendar::from_years(vec![candidate.clone()])?;
    Ok(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = include_str!("../../../calendar/cn-workdays.toml");

    fn calendar() -> WorkCalendar {
        WorkCalendar::parse(FILE).unwrap_or_else(|e| panic!("{e}"))
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// 3 working days after the quarter's last day (东政办〔2025〕3号 三（二）).
    fn quarterly_due(calendar: &WorkCalendar, year: i32, quarter: u32) -> NaiveDate {
        let end = match quarter {
            1 => day(year, 3, 31),
            2 => day(year, 6, 30),
            3 => day(year, 9, 30),
            _ => day(year, 12, 31),
        };
        calendar.add_working_days(end, 3)
    }

    #[test]
    fn q1_2025_report_is_due_on_thursday_3_april_before_qingming() {
        assert_eq!(quarterly_due(&calendar(), 2025, 1), day(2025, 4, 3));
    }

    #[test]
    fn q2_2025_report_is_due_on_thursday_3_july() {
        assert_eq!(quarterly_due(&calendar(), 2025, 2), day(2025, 7, 3));
    }

    #[test]
    fn q3_2025_report_is_due_on_saturday_11_october() {
        // 10/1–10/8 are holidays; 10/9 and 10/10 count, and Saturday 10/11 is a working day.
        assert_eq!(quarterly_due(&calendar(), 2025, 3), day(2025, 10, 11));
    }

    #[test]
    fn q4_2025_report_is_due_on_tuesday_6_january_2026() {
        // 1/1–1/3 are holidays, Sunday 1/4 is a working day: 1/4, 1/5, 1/6.
        assert_eq!(quarterly_due(&calendar(), 2025, 4), day(2026, 1, 6));
    }

    #[test]
    fn q1_2026_report_is_due_on_friday_3_april() {
        assert_eq!(quarterly_due(&calendar(), 2026, 1), day(2026, 4, 3));
    }

    #[test]
    fn q2_2026_report_is_due_on_friday_3_july() {
        assert_eq!(quarterly_due(&calendar(), 2026, 2), day(2026, 7, 3));
    }

    #[test]
    fn q3_2026_report_is_due_on_saturday_10_october() {
        // 10/1–10/7 are holidays; 10/8, 10/9 and the working Saturday 10/10.
        assert_eq!(quarterly_due(&calendar(), 2026, 3), day(2026, 10, 10));
    }

    #[test]
    fn q4_2026_report_falls_back_to_monday_to_friday_in_2027() {
        let calendar = calendar();
        assert!(!calendar.has_data(2027));
        // Without the 2027 notice, Friday 1 January counts as a working day: 1/1, 1/4, 1/5.
        assert_eq!(quarterly_due(&calendar, 2026, 4), day(2027, 1, 5));
    }

    #[test]
    fn adjusted_weekend_days_are_working_days_and_holidays_are_not() {
        let calendar = calendar();
        assert!(calendar.is_working_day(day(2025, 1, 26)));
        assert!(!calendar.is_working_day(day(2025, 10, 6)));
        assert!(!calendar.is_working_day(day(2026, 2, 16)));
        assert!(calendar.is_working_day(day(2026, 2, 28)));
        assert!(!calendar.is_working_day(day(2026, 3, 1)));
    }

    #[test]
    fn lateness_is_counted_in_working_days() {
        let calendar = calendar();
        // Due Saturday 11 October 2025; submitted Tuesday 14 October: 13th and 14th are late days.
        assert_eq!(
            calendar.working_days_between(day(2025, 10, 11), day(2025, 10, 14)),
            2
        );
    }

    #[test]
    fn a_day_both_holiday_and_working_day_is_refused() {
        let text = FILE.replace(
            "working_days = [2025-01-26,",
            "working_days = [2025-02-01, 2025-01-26,",
        );
        let error = WorkCalendar::parse(&text).unwrap_err();
        assert!(
            error
                .0
                .iter()
                .any(|e| e.contains("2025-02-01 既是节假日又是调休上班日")),
            "{error}"
        );
    }

    #[test]
    fn an_admin_types_a_year_and_contradictions_are_named() {
        let year = parse_year_text(
            2027,
            "国办发明电〔2026〕X号",
            "元旦 2027-01-01 2027-01-03\n春节 2027-02-06 2027-02-13",
            "2027-02-20",
        )
        .unwrap();
        assert_eq!(year.holidays.len(), 2);
        let calendar = calendar().with_year(year).unwrap();
        assert!(calendar.has_data(2027));
        assert!(!calendar.is_working_day(day(2027, 1, 1)));
        let clash =
            parse_year_text(2027, "通知", "春节 2027-02-06 2027-02-13", "2027-02-06").unwrap_err();
        assert!(
            clash
                .0
                .iter()
                .any(|e| e.contains("2027-02-06 既是节假日又是调休上班日")),
            "{clash}"
        );
        let garbled = parse_year_text(2027, "", "元旦", "明天").unwrap_err();
        assert_eq!(garbled.0.len(), 3, "{garbled}");
    }

    #[test]
    fn an_adjusted_working_day_on_a_weekday_is_refused() {
        let text = FILE.replace(
            "working_days = [2025-01-26,",
            "working_days = [2025-01-27, 2025-01-26,",
        );
        let error = WorkCalendar::parse(&text).unwrap_err();
        assert!(error.0.iter().any(|e| e.contains("不是周末")), "{error}");
    }
}

#[cfg(test)]
mod year_tests {
    use super::*;

    #[test]
    fn a_calendar_is_entered_for_a_four_digit_year_from_2000_to_2100() {
        assert_eq!(calendar_year(" 2027 ").unwrap(), 2027);
        for bad in ["", "27", "1999", "2101", "二〇二七"] {
            let why = calendar_year(bad).unwrap_err();
            assert_eq!(why.field, "年份", "{bad}");
        }
    }
}
