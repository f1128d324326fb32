//! Promotion events (返区创业推介, 产业对接; task 2.5.1) and the people they invite from the
//! out-migrant registry: who may be invited, what is recorded after the event (attended, the
//! intention they left with, a note), and the event's counts drawn from those rows.
//!
//! A person is invited when the registry holds them as an out-migrant still working away, they
//! agreed to be contacted (同意联系, asked at the survey: an invitation is a contact), and the
//! inviting actor reaches them — a street its own people (by the street the registry files
//! them under: their household street, or for people of a neighbouring district the street
//! responsible for them), the lead units and the task force everyone.

use chrono::NaiveDate;

use crate::access::PeopleScope;
use crate::field::FieldError;
use crate::people::{Intention, parse_province, parse_section, parse_street};
use crate::plan::Plan;

vocabulary!(
    /// The intention a person leaves a promotion event with (活动后意向).
    PromotionOutcome, "活动后意向" {
        Business = "business", "有意向返乡创业";
        Work = "work", "有意向返乡就业";
        NoIntention = "none", "暂无意向";
    }
);

impl PromotionOutcome {
    /// Counts as an intention reached (达成意向) at the event.
    pub fn is_intention(self) -> bool {
        self != PromotionOutcome::NoIntention
    }
}

/// The most people one promotion event invites.
pub const MAX_INVITEES: usize = 2000;

/// What the registry holds about a person someone means to invite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invitee<'a> {
    pub person_id: i64,
    /// The street the registry files them under (household street, or the responsible one).
    pub street: &'a str,
    /// On the out-migrant roster at all.
    pub migrant: bool,
    pub contact_consent: bool,
    /// Recorded as come back (返区): no longer a target of promotion.
    pub returned: bool,
}

/// Why a person cannot be invited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InviteRefusal {
    /// Outside the actor's reach: a street inviting another street's person. An access
    /// refusal, audited by the store.
    OutsideReach,
    /// Not a person to invite: the message names why.
    Unfit(String),
}

/// May `person` (what the registry holds under the id, if anything) be invited by an actor
/// reaching `scope`? The reach is checked first, so that nothing about another street's
/// person is told.
pub fn check_invitee(
    person_id: i64,
    found: Option<Invitee<'_>>,
    scope: &PeopleScope,
) -> Result<(), InviteRefusal> {
    let Some(person) = found.filter(|p| p.migrant) else {
        return Err(InviteRefusal::Unfit(format!(
            "人员 {person_id} 不在外出就业人员信息库中"
        )));
    };
    if !scope.reaches(person.street) {
        return Err(InviteRefusal::OutsideReach);
    }
    if person.returned {
        return Err(InviteRefusal::Unfit(format!(
            "人员 {person_id} 已登记返区，不再作为推介对象"
        )));
    }
    if !person.contact_consent {
        return Err(InviteRefusal::Unfit(format!(
            "人员 {person_id} 调查时未同意联系，不能邀约"
        )));
    }
    Ok(())
}

/// The ids to invite, each once, in order; none, or more than [`MAX_INVITEES`], is refused.
pub fn invitee_list(ids: &[i64]) -> Result<Vec<i64>, FieldError> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let refused = |message: String| FieldError {
        field: "邀约对象",
        message,
    };
    if ids.is_empty() {
        return Err(refused("请选择要邀约的人员".into()));
    }
    if ids.len() > MAX_INVITEES {
        return Err(refused(format!("一场活动最多邀约 {MAX_INVITEES} 人")));
    }
    Ok(ids)
}

/// The filter of the out-migrant registry that picks a promotion event's invitees, as typed:
/// return intentions (codes or labels), provinces where they work (several, separated by
/// spaces, commas or 、: 广东 浙江 江苏), a city, a GB/T 4754 section, words of the field they
/// mean to start a business in, and a street (for those who reach every street).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InviteeQuery {
    pub intentions: Vec<String>,
    pub provinces: String,
    pub city: String,
    pub section: String,
    pub business_field: String,
    pub street: String,
}

/// A checked invitee filter; empty parts match everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InviteeFilter {
    pub intentions: Vec<Intention>,
    pub provinces: Vec<&'static str>,
    pub city: String,
    pub section: Option<char>,
    pub business_field: String,
    pub street: Option<String>,
}

/// Checks an invitee filter; every wrong part is named.
pub fn invitee_filter(plan: &Plan, query: &InviteeQuery) -> Result<InviteeFilter, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut wrong =
        |field: &'static str, message: String| errors.push(FieldError { field, message });
    let mut filter = InviteeFilter::default();
    for text in query
        .intentions
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
    {
        match Intention::parse(text) {
            Ok(i) if !filter.intentions.contains(&i) => filter.intentions.push(i),
            Ok(_) => {}
            Err(message) => wrong("返区意向", message),
        }
    }
    let separators = |c: char| c == ',' || c == '，' || c == '、' || c == ';' || c.is_whitespace();
    for text in query.provinces.split(separators).filter(|t| !t.is_empty()) {
        match parse_province(text) {
            Ok(p) if !filter.provinces.contains(&p) => filter.provinces.push(p),
            Ok(_) => {}
            Err(message) => wrong("务工省份", message),
        }
    }
    for (field, text, slot) in [
        ("务工城市", query.city.trim(), &mut filter.city),
        (
            "拟创业领域",
            query.business_field.trim(),
            &mut filter.business_field,
        ),
    ] {
        if text.chars().count() > 30 {
            wrong(field, "最多 30 个字".into());
        }
        *slot = text.to_owned();
    }
    if !query.section.trim().is_empty() {
        match parse_section(&query.section) {
            Ok(section) => filter.section = Some(section.letter()),
            Err(message) => wrong("从事行业", message),
        }
    }
    if !query.street.trim().is_empty() {
        match parse_street(plan, &query.street) {
            Ok(code) => filter.street = Some(code.to_owned()),
            Err(message) => wrong("街道", message),
        }
    }
    if errors.is_empty() {
        Ok(filter)
    } else {
        Err(errors)
    }
}

/// What was recorded about one invited person after the event, as typed: `attended` is
/// 是/否 (or 1/0), empty when not yet known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttendanceDraft {
    pub person_id: i64,
    pub attended: String,
    pub outcome: String,
    pub note: String,
}

/// A checked attendance row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAttendance {
    pub person_id: i64,
    pub attended: bool,
    pub outcome: Option<PromotionOutcome>,
    pub note: String,
}

/// The longest note on an invited person, in characters.
pub const MAX_NOTE_CHARS: usize = 200;

/// Checks the attendance recorded after an event held on `held_on`: only once it has been
/// held (`today` is Wuhan's date), only for people it invited (`invited`), each with 是/否;
/// who attended leaves with an intention, who did not has none. Rows left wholly blank are
/// skipped. What is wrong goes to `errors`, naming the person.
pub fn validate_attendance(
    drafts: &[AttendanceDraft],
    invited: impl Fn(i64) -> bool,
    held_on: NaiveDate,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Vec<ValidAttendance> {
    let mut found = Vec::new();
    let mut wrong =
        |field: &'static str, message: String| found.push(FieldError { field, message });
    if held_on > today {
        wrong(
            "参加情况",
            format!("活动于 {held_on} 举办，举办后才能登记参加情况"),
        );
        errors.extend(found);
        return Vec::new();
    }
    let mut rows = Vec::new();
    for d in drafts {
        let (attended, outcome, note) = (d.attended.trim(), d.outcome.trim(), d.note.trim());
        if attended.is_empty() && outcome.is_empty() && note.is_empty() {
            continue;
        }
        let who = d.person_id;
        if !invited(who) {
            wrong("参加情况", format!("人员 {who} 未受邀参加本次活动"));
            continue;
        }
        let attended = match crate::people::parse_yes_no(attended) {
            Ok(yes) => yes,
            Err(message) => {
                wrong("是否参加", format!("人员 {who}：{message}"));
                continue;
            }
        };
        let outcome = match (attended, outcome) {
            (true, "") => {
                wrong("活动后意向", format!("人员 {who}：参加者请登记活动后意向"));
                continue;
            }
            (false, "") => None,
            (false, _) => {
                wrong("活动后意向", format!("人员 {who}：未参加者不登记意向"));
                continue;
            }
            (true, text) => match PromotionOutcome::parse(text) {
                Ok(o) => Some(o),
                Err(message) => {
                    wrong("活动后意向", format!("人员 {who}：{message}"));
                    continue;
                }
            },
        };
        if note.chars().count() > MAX_NOTE_CHARS {
            wrong("备注", format!("人员 {who}：最多 {MAX_NOTE_CHARS} 个字"));
            continue;
        }
        rows.push(ValidAttendance {
            person_id: who,
            attended,
            outcome,
            note: note.to_owned(),
        });
    }
    if rows.is_empty() && found.is_empty() {
        found.push(FieldError {
            field: "参加情况",
            message: "请至少登记一位受邀人员的参加情况".into(),
        });
    }
    errors.extend(found);
    rows
}

/// How an event's invitations stand: invited, how many attended, how many of those left
/// with an intention to come back and start a business or work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InvitationCounts {
    pub invited: i64,
    pub attended: i64,
    pub intentions: i64,
}

/// The attendance and intentions an event shows: from its invitations when it has any, as
/// typed on the event otherwise (events without a list of invited people).
pub fn event_counts(typed: (i64, i64), invitations: InvitationCounts) -> (i64, i64) {
    if invitations.invited > 0 {
        (invitations.attended, invitations.intentions)
    } else {
        typed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(street: &str) -> Invitee<'_> {
        Invitee {
            person_id: 7,
            street,
            migrant: true,
            contact_consent: true,
            returned: false,
        }
    }

    #[test]
    fn a_street_invites_only_its_own_people() {
        let jinghe = PeopleScope::Street("jinghe".into());
        assert_eq!(check_invitee(7, Some(person("jinghe")), &jinghe), Ok(()));
        assert_eq!(
            check_invitee(7, Some(person("changqing")), &jinghe),
            Err(InviteRefusal::OutsideReach)
        );
        // The lead units and the task force reach every street.
        assert_eq!(
            check_invitee(7, Some(person("changqing")), &PeopleScope::All),
            Ok(())
        );
    }

    #[test]
    fn only_consenting_out_migrants_still_away_are_invited() {
        let all = PeopleScope::All;
        let no_consent = Invitee {
            contact_consent: false,
            ..person("jinghe")
        };
        let back = Invitee {
            returned: true,
            ..person("jinghe")
        };
        let graduate_only = Invitee {
            migrant: false,
            ..person("jinghe")
        };
        let unfit = |r: Result<(), InviteRefusal>| match r {
            Err(InviteRefusal::Unfit(m)) => m,
            other => panic!("{other:?}"),
        };
        assert!(unfit(check_invitee(7, Some(no_consent), &all)).contains("未同意联系"));
        assert!(unfit(check_invitee(7, Some(back), &all)).contains("已登记返区"));
        assert!(unfit(check_invitee(7, Some(graduate_only), &all)).contains("不在外出就业人员"));
        assert!(unfit(check_invitee(9, None, &all)).contains("人员 9"));
    }

    #[test]
    fn another_streets_person_is_refused_before_anything_about_them_is_told() {
        let returned_elsewhere = Invitee {
            returned: true,
            contact_consent: false,
            ..person("changqing")
        };
        assert_eq!(
            check_invitee(
                7,
                Some(returned_elsewhere),
                &PeopleScope::Street("jinghe".into())
            ),
            Err(InviteRefusal::OutsideReach)
        );
    }

    #[test]
    fn an_invitation_list_names_each_person_once_and_is_bounded() {
        assert_eq!(invitee_list(&[3, 1, 3]), Ok(vec![1, 3]));
        assert!(invitee_list(&[]).is_err());
        let many: Vec<i64> = (0..=MAX_INVITEES as i64).collect();
        assert_eq!(invitee_list(&many).unwrap_err().field, "邀约对象");
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, d).unwrap()
    }

    fn row(person_id: i64, attended: &str, outcome: &str) -> AttendanceDraft {
        AttendanceDraft {
            person_id,
            attended: attended.into(),
            outcome: outcome.into(),
            note: String::new(),
        }
    }

    fn attendance(
        drafts: &[AttendanceDraft],
        held_on: NaiveDate,
    ) -> Result<Vec<ValidAttendance>, Vec<String>> {
        let mut errors = Vec::new();
        let rows = validate_attendance(drafts, |id| id < 10, held_on, day(6, 1), &mut errors);
        if errors.is_empty() {
            Ok(rows)
        } else {
            Err(errors.iter().map(ToString::to_string).collect())
        }
    }

    #[test]
    fn attendance_is_recorded_for_invited_people_after_the_event() {
        let rows = attendance(
            &[
                row(1, "是", "有意向返乡创业"),
                row(2, "否", ""),
                row(3, "", ""),
            ],
            day(5, 20),
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].outcome, Some(PromotionOutcome::Business));
        assert!(!rows[1].attended);
    }

    #[test]
    fn attendance_for_a_person_not_invited_is_refused_naming_them() {
        let errors = attendance(
            &[row(1, "是", "business"), row(12, "是", "work")],
            day(5, 20),
        )
        .unwrap_err();
        assert_eq!(errors, ["参加情况：人员 12 未受邀参加本次活动"]);
    }

    #[test]
    fn attendance_waits_for_the_event_and_intentions_follow_attendance() {
        let early = attendance(&[row(1, "是", "work")], day(6, 2)).unwrap_err();
        assert!(early[0].contains("举办后才能登记"), "{early:?}");
        let errors = attendance(
            &[row(1, "是", ""), row(2, "否", "work"), row(3, "也许", "")],
            day(5, 20),
        )
        .unwrap_err();
        assert_eq!(errors.len(), 3);
        assert!(errors[0].starts_with("活动后意向：人员 1"));
        assert!(errors[1].starts_with("活动后意向：人员 2"));
        assert!(errors[2].starts_with("是否参加：人员 3"));
        assert!(attendance(&[row(1, "", "")], day(5, 20)).is_err());
    }

    #[test]
    fn an_events_counts_come_from_its_invitations_when_it_has_any() {
        let none = InvitationCounts::default();
        assert_eq!(event_counts((300, 40), none), (300, 40));
        let invited = InvitationCounts {
            invited: 25,
            attended: 18,
            intentions: 6,
        };
        assert_eq!(event_counts((300, 40), invited), (18, 6));
    }

    #[test]
    fn everyone_working_in_guangdong_zhejiang_or_jiangsu_who_wants_to_start_a_business() {
        let plan = crate::plan::dongxihu();
        let query = InviteeQuery {
            intentions: vec!["返区创业".into()],
            provinces: "广东、浙江 江苏省,广东".into(),
            section: "F".into(),
            street: "径河".into(),
            ..InviteeQuery::default()
        };
        let filter = invitee_filter(&plan, &query).unwrap();
        assert_eq!(filter.intentions, [Intention::Business]);
        assert_eq!(filter.provinces, ["广东省", "浙江省", "江苏省"]);
        assert_eq!(filter.section, Some('F'));
        assert_eq!(filter.street.as_deref(), Some("jinghe"));
        let bad = InviteeQuery {
            intentions: vec!["发财".into()],
            provinces: "广东 火星".into(),
            street: "外滩".into(),
            ..InviteeQuery::default()
        };
        let fields: Vec<_> = invitee_filter(&plan, &bad)
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["返区意向", "务工省份", "街道"]);
    }
}
