//! Recruitment events (招聘活动) and returnee promotion events (返区创业推介, 产业对接): their
//! kinds, and the checks of an event as typed in. Apart from `jobs` because the plan's
//! registries count events per kind, and the plan sits below jobs; so the checks take the
//! plan's years and units as arguments rather than the plan.

use chrono::NaiveDate;

use crate::field::FieldError;

pub mod neighbours;
pub mod promotion;
pub mod venue;

pub use venue::Venue;

vocabulary!(
    /// Kinds of event: recruitment events (招聘活动) in tasks 1.1.2, 1.1.3 and 2.5.4, and the
    /// returnee promotion and industry matchmaking events of 2.5.1.
    EventKind, "活动类型" {
        CampusFair = "campus_fair", "“就在武汉·职在临空港”校园招聘";
        OtherFair = "other_fair", "其他线上线下招聘活动";
        Community = "community", "“送岗位进社区”招聘活动";
        OutOfCity = "out_of_city", "市外引才活动";
        ReturneePromotion = "returnee_promotion", "返区创业推介";
        IndustryMatchmaking = "industry_matchmaking", "产业对接";
    }
);

impl EventKind {
    /// The kinds of 2.5.1 (推介和产业对接活动): they invite people from the out-migrant
    /// registry, and only a street or a lead unit of 2.5.1 organises them.
    pub const PROMOTION: [EventKind; 2] =
        [EventKind::ReturneePromotion, EventKind::IndustryMatchmaking];

    pub fn is_promotion(self) -> bool {
        EventKind::PROMOTION.contains(&self)
    }
}

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

/// An event as typed into the form, untouched.
#[derive(Debug, Clone, Default)]
pub struct EventDraft {
    pub kind: String,
    pub title: String,
    pub organiser: String,
    pub held_on: String,
    pub online: bool,
    pub place: String,
    /// Held outside the district (区外), in `province` and `city`.
    pub away: bool,
    pub province: String,
    pub city: String,
    /// Ticked as held in a coastal, economically developed region (checked by the rule).
    pub coastal: bool,
    pub attendance: String,
    pub intentions: String,
    pub note: String,
    pub employer_ids: Vec<i64>,
    pub post_ids: Vec<i64>,
}

/// An event whose fields are right, with the employers and posts taking part listed once each
/// (whether they exist is the store's to look up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidEvent<'a> {
    pub kind: EventKind,
    pub title: &'a str,
    pub organiser: &'a str,
    pub held_on: NaiveDate,
    pub online: bool,
    pub place: &'a str,
    pub venue: Venue<'a>,
    pub attendance: i64,
    pub intentions: i64,
    pub note: &'a str,
    pub employers: Vec<i64>,
    pub posts: Vec<i64>,
}

/// The most people an event's attendance or intentions count.
const MAX_COUNT: i64 = 1_000_000;

/// A head count as typed: empty is 0; otherwise a whole number from 0 to `MAX_COUNT`.
fn count(input: &str, field: &'static str, errors: &mut Vec<FieldError>) -> i64 {
    let input = input.trim();
    if input.is_empty() {
        return 0;
    }
    match input.parse::<i64>() {
        Ok(n) if (0..=MAX_COUNT).contains(&n) => n,
        _ => {
            errors.push(FieldError {
                field,
                message: "应为不小于 0 的整数".into(),
            });
            0
        }
    }
}

/// The plan's units as an event's checks see them.
pub struct Organisers<F: Fn(&str) -> bool, G: Fn(&str) -> bool> {
    /// Is this code one of the plan's units?
    pub is_unit: F,
    /// May this unit organise promotion events (a street, or a lead unit of 2.5.1)?
    pub may_promote: G,
}

/// Checks an event typed into `draft`, field by field; what is wrong goes to `errors`.
/// `years` are the plan's years, `organisers` say which codes are units and which of them
/// organise promotion events, `today` is Wuhan's local date. An online event needs no place;
/// the intentions reached cannot outnumber the attendance, when the attendance is known.
pub fn validate_event<'a>(
    draft: &'a EventDraft,
    years: std::ops::RangeInclusive<i32>,
    organisers: Organisers<impl Fn(&str) -> bool, impl Fn(&str) -> bool>,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<ValidEvent<'a>> {
    let mut wrong =
        |field: &'static str, message: String| errors.push(FieldError { field, message });
    let organiser = draft.organiser.trim();
    let kind = EventKind::parse(&draft.kind)
        .map_err(|e| wrong("活动类型", e))
        .ok();
    let title = draft.title.trim();
    if !(2..=80).contains(&title.chars().count()) {
        wrong("活动名称", "请填写活动名称（2 至 80 字）".into());
    }
    if !(organisers.is_unit)(organiser) {
        wrong("举办单位", format!("未知的单位“{organiser}”"));
    } else if kind.is_some_and(EventKind::is_promotion) && !(organisers.may_promote)(organiser) {
        wrong(
            "举办单位",
            "返区创业推介和产业对接活动由街道或牵头单位（区人社局、区农业农村局）举办".into(),
        );
    }
    let held_on = event_day(&draft.held_on, years, today)
        .map_err(|message| wrong("举办日期", message))
        .ok();
    let place = draft.place.trim();
    if !draft.online && place.is_empty() {
        wrong("举办地点", "线下活动请填写地点".into());
    }
    let venue = venue::check_venue(
        draft.away,
        &draft.province,
        &draft.city,
        draft.coastal,
        errors,
    );
    let attendance = count(&draft.attendance, "参加人数", errors);
    let intentions = count(&draft.intentions, "达成意向人数", errors);
    if intentions > attendance && attendance > 0 {
        errors.push(FieldError {
            field: "达成意向人数",
            message: format!("达成意向人数（{intentions}）不能多于参加人数（{attendance}）"),
        });
    }
    Some(ValidEvent {
        kind: kind?,
        title,
        organiser,
        held_on: held_on?,
        online: draft.online,
        place,
        venue: venue?,
        attendance,
        intentions,
        note: draft.note.trim(),
        employers: once_each(&draft.employer_ids),
        posts: once_each(&draft.post_ids),
    })
}

/// The ids in order, each once.
fn once_each(ids: &[i64]) -> Vec<i64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
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

    fn fair() -> EventDraft {
        EventDraft {
            kind: "campus_fair".into(),
            title: "2025 届高校毕业生专场招聘会".into(),
            organiser: "jinghe".into(),
            held_on: "2025-05-20".into(),
            place: "径河街道办事处".into(),
            attendance: "300".into(),
            intentions: "45".into(),
            employer_ids: vec![3, 1, 3],
            post_ids: vec![9, 9],
            ..EventDraft::default()
        }
    }

    fn checked(draft: &EventDraft) -> Result<ValidEvent<'_>, Vec<FieldError>> {
        let mut errors = Vec::new();
        let organisers = Organisers {
            is_unit: |u: &str| u == "jinghe" || u == "swj",
            may_promote: |u: &str| u == "jinghe",
        };
        let event = validate_event(draft, 2025..=2027, organisers, day(2025, 5, 1), &mut errors);
        match (event, errors.is_empty()) {
            (Some(event), true) => Ok(event),
            _ => Err(errors),
        }
    }

    fn fields(draft: &EventDraft) -> Vec<&'static str> {
        checked(draft)
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_sane_event_passes_with_each_employer_and_post_once() {
        let draft = fair();
        let event = checked(&draft).unwrap();
        assert_eq!(event.kind, EventKind::CampusFair);
        assert_eq!(event.held_on, day(2025, 5, 20));
        assert_eq!((event.attendance, event.intentions), (300, 45));
        assert_eq!(event.employers, [1, 3]);
        assert_eq!(event.posts, [9]);
    }

    #[test]
    fn every_wrong_field_of_an_event_is_named() {
        let draft = EventDraft {
            kind: "picnic".into(),
            title: "会".into(),
            organiser: "atlantis".into(),
            held_on: "下周".into(),
            place: " ".into(),
            attendance: "-1".into(),
            intentions: "很多".into(),
            ..EventDraft::default()
        };
        assert_eq!(
            fields(&draft),
            [
                "活动类型",
                "活动名称",
                "举办单位",
                "举办日期",
                "举办地点",
                "参加人数",
                "达成意向人数"
            ]
        );
    }

    #[test]
    fn an_online_event_needs_no_place() {
        let draft = EventDraft {
            online: true,
            place: String::new(),
            ..fair()
        };
        assert!(checked(&draft).is_ok());
    }

    #[test]
    fn intentions_reached_cannot_outnumber_the_attendance() {
        let draft = EventDraft {
            attendance: "40".into(),
            intentions: "45".into(),
            ..fair()
        };
        let errors = checked(&draft).unwrap_err();
        assert_eq!(errors[0].field, "达成意向人数");
        assert_eq!(
            errors[0].message,
            "达成意向人数（45）不能多于参加人数（40）"
        );
        // An attendance not counted does not bound the intentions.
        let unknown = EventDraft {
            attendance: String::new(),
            ..draft
        };
        assert!(checked(&unknown).is_ok());
    }

    fn promotion() -> EventDraft {
        EventDraft {
            kind: "returnee_promotion".into(),
            title: "径河街道赴深圳返区创业推介会".into(),
            organiser: "jinghe".into(),
            held_on: "2025-11-08".into(),
            place: "深圳市湖北商会".into(),
            away: true,
            province: "广东".into(),
            city: "深圳".into(),
            coastal: true,
            ..EventDraft::default()
        }
    }

    #[test]
    fn a_promotion_event_in_shenzhen_is_held_in_a_coastal_region() {
        let draft = promotion();
        let event = checked(&draft).unwrap();
        assert!(event.kind.is_promotion());
        assert!(event.venue.coastal());
        assert_eq!(
            event.venue,
            Venue::Away {
                province: "广东省",
                city: "深圳",
                coastal: true
            }
        );
    }

    #[test]
    fn only_a_street_or_a_lead_unit_organises_a_promotion_event() {
        let draft = EventDraft {
            organiser: "swj".into(),
            ..promotion()
        };
        assert_eq!(fields(&draft), ["举办单位"]);
        // 区商务局 may still record a fair of its own.
        let fair = EventDraft {
            organiser: "swj".into(),
            ..fair()
        };
        assert!(checked(&fair).is_ok());
    }

    #[test]
    fn a_promotion_event_with_an_unknown_kind_a_date_outside_the_plan_or_a_coastal_flag_at_home_is_refused()
     {
        let unknown = EventDraft {
            kind: "roadshow".into(),
            ..promotion()
        };
        assert_eq!(fields(&unknown), ["活动类型"]);
        let too_early = EventDraft {
            held_on: "2024-11-08".into(),
            ..promotion()
        };
        assert_eq!(fields(&too_early), ["举办日期"]);
        let at_home = EventDraft {
            away: false,
            province: String::new(),
            city: String::new(),
            ..promotion()
        };
        assert_eq!(fields(&at_home), ["沿海经济发达地区"]);
    }
}
