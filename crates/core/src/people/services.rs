//! The checks of what staff record about a person already in a roster: the note of a 1131
//! service and the job post a referral names (task 1.1.4), the day an out-migrant came back
//! (task 2.1.1). Whether a post is published is the store's to look up; these rules decide.

use chrono::NaiveDate;

use crate::cells;
use crate::field::FieldError;

/// The longest note of a 1131 service, in characters.
pub const MAX_SERVICE_NOTE_CHARS: usize = 200;

/// A 1131 service's note, trimmed, of at most [`MAX_SERVICE_NOTE_CHARS`] characters.
pub fn service_note(note: &str) -> Result<&str, FieldError> {
    let note = note.trim();
    if note.chars().count() > MAX_SERVICE_NOTE_CHARS {
        return Err(FieldError {
            field: "说明",
            message: format!("最多 {MAX_SERVICE_NOTE_CHARS} 个字"),
        });
    }
    Ok(note)
}

fn referral_error(message: String) -> FieldError {
    FieldError {
        field: "推荐岗位",
        message,
    }
}

/// The number of the job post a referral names, as typed (a leading # allowed): a referral
/// counts toward the 1131 service only as a post on the platform.
pub fn referred_post_number(typed: &str) -> Result<i64, FieldError> {
    let text = typed.trim();
    if text.is_empty() {
        return Err(referral_error("岗位推荐须填写平台上的岗位编号".into()));
    }
    text.trim_start_matches('#')
        .parse::<i64>()
        .map_err(|_| referral_error(format!("“{text}”不是岗位编号")))
}

/// A referral names a published post: `published` is whether post `id` is (None: no such post).
pub fn referable_post(id: i64, published: Option<bool>) -> Result<i64, FieldError> {
    match published {
        Some(true) => Ok(id),
        Some(false) => Err(referral_error(format!("岗位 {id} 尚未发布，不能推荐"))),
        None => Err(referral_error(format!("岗位 {id} 不存在"))),
    }
}

/// The day an out-migrant surveyed on `surveyed_on` came back, as typed (empty clears it): no
/// later than today, and not more than ten years before the survey.
pub fn return_day(
    input: &str,
    today: NaiveDate,
    surveyed_on: NaiveDate,
) -> Result<Option<NaiveDate>, FieldError> {
    let wrong = |message: String| FieldError {
        field: "返区日期",
        message,
    };
    match input.trim() {
        "" => Ok(None),
        text => match cells::parse_date(text) {
            Ok(day) if day > today => Err(wrong(format!("{day} 晚于今天"))),
            Ok(day) if day < surveyed_on - chrono::Duration::days(3650) => {
                Err(wrong(format!("{day} 过早")))
            }
            Ok(day) => Ok(Some(day)),
            Err(message) => Err(wrong(message)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_service_note_has_at_most_200_characters() {
        assert_eq!(service_note(" 电话沟通 "), Ok("电话沟通"));
        assert!(service_note(&"字".repeat(200)).is_ok());
        let long = service_note(&"字".repeat(201)).unwrap_err();
        assert_eq!(
            (long.field, long.message.as_str()),
            ("说明", "最多 200 个字")
        );
    }

    #[test]
    fn a_referral_names_a_published_post_by_its_number() {
        assert_eq!(referred_post_number(" #42 "), Ok(42));
        assert_eq!(referred_post_number("42"), Ok(42));
        let none = referred_post_number(" ").unwrap_err();
        assert_eq!(
            (none.field, none.message.as_str()),
            ("推荐岗位", "岗位推荐须填写平台上的岗位编号")
        );
        assert_eq!(
            referred_post_number("前端开发").unwrap_err().message,
            "“前端开发”不是岗位编号"
        );
        assert_eq!(referable_post(42, Some(true)), Ok(42));
        assert_eq!(
            referable_post(42, Some(false)).unwrap_err().message,
            "岗位 42 尚未发布，不能推荐"
        );
        assert_eq!(
            referable_post(42, None).unwrap_err().message,
            "岗位 42 不存在"
        );
    }

    #[test]
    fn a_return_is_no_later_than_today_and_at_most_ten_years_before_the_survey() {
        let (today, surveyed) = (day(2025, 10, 10), day(2025, 3, 1));
        assert_eq!(return_day(" ", today, surveyed), Ok(None));
        assert_eq!(
            return_day("2025年9月1日", today, surveyed),
            Ok(Some(day(2025, 9, 1)))
        );
        let later = return_day("2025-10-11", today, surveyed).unwrap_err();
        assert_eq!(
            (later.field, later.message.as_str()),
            ("返区日期", "2025-10-11 晚于今天")
        );
        assert_eq!(
            return_day("2015-03-01", today, surveyed)
                .unwrap_err()
                .message,
            "2015-03-01 过早"
        );
        assert!(return_day("2015-03-04", today, surveyed).is_ok());
        assert_eq!(
            return_day("上个月", today, surveyed).unwrap_err().field,
            "返区日期"
        );
    }
}

/// A 1131 service, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidService<'a> {
    pub item: super::ServiceItem,
    pub done_on: NaiveDate,
    /// The published post a referral names (None for other items).
    pub post_id: Option<i64>,
    pub note: &'a str,
}

/// A 1131 service with the fields that need no look-up checked; a referral's post number
/// waits for the store to say whether that post is published ([`ServiceCheck::finish`]), so
/// that every wrong field is named at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceCheck<'a> {
    item: Option<super::ServiceItem>,
    done_on: Option<NaiveDate>,
    referred_post: Option<i64>,
    note: &'a str,
    errors: Vec<FieldError>,
}

/// Checks a service as typed in (item, date, referred post, note) for a graduate of the
/// roster of `graduation_year`, on `today`.
pub fn check_service<'a>(
    item: &str,
    done_on: &str,
    post: &str,
    note: &'a str,
    today: NaiveDate,
    graduation_year: i64,
) -> ServiceCheck<'a> {
    let mut errors = Vec::new();
    let field = |field: &'static str| move |message: String| FieldError { field, message };
    let item = super::ServiceItem::parse(item)
        .map_err(field("服务项目"))
        .map_err(|e| errors.push(e))
        .ok();
    let done_on = super::service_day(done_on, today, graduation_year)
        .map_err(field("服务日期"))
        .map_err(|e| errors.push(e))
        .ok();
    let referred_post = match item {
        Some(super::ServiceItem::Referral) => {
            referred_post_number(post).map_err(|e| errors.push(e)).ok()
        }
        _ => None,
    };
    let note = service_note(note).map_err(|e| errors.push(e)).unwrap_or("");
    ServiceCheck {
        item,
        done_on,
        referred_post,
        note,
        errors,
    }
}

impl<'a> ServiceCheck<'a> {
    /// The post number a referral names, for the store to look up.
    pub fn referred_post(&self) -> Option<i64> {
        self.referred_post
    }

    /// The service, given whether the referred post is published (None: no such post, or no
    /// referral); every wrong field is named.
    pub fn finish(mut self, published: Option<bool>) -> Result<ValidService<'a>, Vec<FieldError>> {
        let post_id = match self.referred_post {
            Some(id) => referable_post(id, published)
                .map_err(|e| self.errors.push(e))
                .ok(),
            None => None,
        };
        match (self.item, self.done_on) {
            (Some(item), Some(done_on)) if self.errors.is_empty() => Ok(ValidService {
                item,
                done_on,
                post_id,
                note: self.note,
            }),
            _ => Err(self.errors),
        }
    }
}

/// Where a graduate went, checked: the date and evidence are asked for a placement only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPlacement<'a> {
    pub placement: super::Placement,
    pub placed_on: Option<NaiveDate>,
    pub evidence: &'a str,
}

/// Checks a placement as typed in for a graduate who left school on `graduated_on`.
pub fn validate_placement<'a>(
    placement: &str,
    placed_on: &str,
    evidence: &'a str,
    today: NaiveDate,
    graduated_on: NaiveDate,
) -> Result<ValidPlacement<'a>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let field = |field: &'static str| move |message: String| FieldError { field, message };
    let placement = super::Placement::parse(placement)
        .map_err(field("去向"))
        .map_err(|e| errors.push(e))
        .ok();
    let placed = placement.is_some_and(super::Placement::is_placed);
    let placed_on = placed
        .then(|| {
            super::placement_day(placed_on, today, graduated_on)
                .map_err(field("落实日期"))
                .map_err(|e| errors.push(e))
                .ok()
        })
        .flatten();
    let evidence = super::placement_evidence(evidence, placed)
        .map_err(field("佐证说明"))
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    match placement {
        Some(placement) if errors.is_empty() => Ok(ValidPlacement {
            placement,
            placed_on,
            evidence,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod form_tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, d).unwrap()
    }

    #[test]
    fn every_wrong_field_of_a_1131_service_is_named() {
        let errors = check_service("nonsense", "2031-01-01", "", "", day(9, 1), 2025)
            .finish(None)
            .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["服务项目", "服务日期"]);
    }

    #[test]
    fn a_referral_must_name_a_published_post_and_every_wrong_field_is_named() {
        let item = super::super::ServiceItem::Referral.code();
        let errors = check_service(item, "2025-08-01", "", "", day(9, 1), 2025)
            .finish(None)
            .unwrap_err();
        assert_eq!(errors[0].field, "推荐岗位");
        let late = check_service(item, "2031-01-01", "#12", "", day(9, 1), 2025);
        assert_eq!(late.referred_post(), Some(12));
        let fields: Vec<&str> = late
            .finish(Some(false))
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["服务日期", "推荐岗位"]);
        let ok = check_service(item, "2025-08-01", "#12", " 已推荐 ", day(9, 1), 2025)
            .finish(Some(true))
            .unwrap();
        assert_eq!((ok.post_id, ok.note), (Some(12), "已推荐"));
    }

    #[test]
    fn a_placement_needs_its_date_and_evidence_and_no_placement_needs_neither() {
        let placed = super::super::Placement::ALL
            .iter()
            .copied()
            .find(|p| p.is_placed())
            .unwrap()
            .code();
        let errors = validate_placement(placed, "", "", day(9, 1), day(6, 30)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["落实日期", "佐证说明"]);
        let unplaced = super::super::Placement::ALL
            .iter()
            .copied()
            .find(|p| !p.is_placed())
            .unwrap()
            .code();
        let ok = validate_placement(unplaced, "", "", day(9, 1), day(6, 30)).unwrap();
        assert_eq!(ok.placed_on, None);
    }
}
