//! The “中国网谷杯” start-up contest (创新创业大赛, task 1.2.3): one edition a year organised by
//! the task's lead unit (区经科局), with its tracks (赛道), the entries (参赛项目) registered on a
//! track, the rounds (初赛、复赛、决赛) with their scale and judges, one score per entry and round,
//! the entries advancing from round to round, the awards of the final, the follow-on support
//! the cooperating units give (创业讲堂、创业实训、融资对接、临空港天使投资基金) and the landing of a
//! winning project as a returnee business (落地转化).
//!
//! **A score is the panel's.** Each entry gets one score per round: the average of the judges'
//! marks, as the panel announces it (to two decimals). The judges are kept with the round; their
//! individual sheets stay with the organiser, the platform keeps what decides who advances.
//!
//! **What 1.2.3's figures count** (activity indicators, the seed gives no number): entries
//! registered, for the organising unit on the registration day; and winning entries landed in
//! the district, on the landing day.

use chrono::{Datelike, NaiveDate};

use crate::cells;
use crate::field::{FieldError, checked_text_up_to};
use crate::phone::Phone;
use crate::quantity::{Quantity, QuantityError};
use crate::resident::ResidentId;

/// The task of the contest.
pub const TASK: &str = "1.2.3";

/// 区基金公司, which manages the 临空港天使投资基金 and alone records its investments.
pub const ANGEL_FUND_KEEPER: &str = "jjgs";

vocabulary!(
    /// A round of an edition, in the order they are held.
    // Named apart in the API's document from the carriers' application `Stage`.
    #[cfg_attr(feature = "openapi", schema(as = ContestStage))]
    Stage, "赛程" {
        Preliminary = "preliminary", "初赛";
        Semifinal = "semifinal", "复赛";
        Final = "final", "决赛";
    }
);

impl Stage {
    /// The place of the stage in an edition: 初赛 0, 复赛 1, 决赛 2.
    pub fn rank(self) -> usize {
        Stage::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

vocabulary!(
    /// The grade of an award of the final.
    AwardGrade, "奖项" {
        First = "first", "一等奖";
        Second = "second", "二等奖";
        Third = "third", "三等奖";
        Excellence = "excellence", "优秀奖";
    }
);

vocabulary!(
    /// Follow-on support of an entry (配套服务).
    SupportKind, "服务类型" {
        Lecture = "lecture", "创业讲堂";
        Practice = "practice", "创业实训";
        Financing = "financing", "融资对接";
        AngelFund = "angel_fund", "临空港天使投资基金";
    }
);

fn note(errors: &mut Vec<FieldError>, field: &'static str, message: impl Into<String>) {
    errors.push(FieldError {
        field,
        message: message.into(),
    });
}

fn one(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

/// A date typed into `field`, not after today when `past` is set.
fn day_of(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    input: &str,
    today: Option<NaiveDate>,
) -> Option<NaiveDate> {
    match cells::parse_date(input) {
        Ok(day) if today.is_some_and(|t| day > t) => {
            note(errors, field, format!("{day} 晚于今天"));
            None
        }
        Ok(day) => Some(day),
        Err(message) => {
            note(errors, field, message);
            None
        }
    }
}

/// An edition as typed into the form; tracks one a line.
#[derive(Debug, Clone, Default)]
pub struct EditionDraft {
    pub year: String,
    pub name: String,
    pub opens_on: String,
    pub closes_on: String,
    pub tracks: String,
}

/// A checked edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidEdition {
    pub year: i32,
    pub name: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub tracks: Vec<String>,
}

/// The tracks typed one a line (or separated by 、): at least one, each at most 30 字, none twice.
fn checked_tracks(errors: &mut Vec<FieldError>, input: &str) -> Vec<String> {
    let mut tracks: Vec<String> = Vec::new();
    for track in input
        .split(['\n', '、', ';', '；'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        if track.chars().count() > 30 {
            note(errors, "赛道", format!("“{track}”超过 30 个字"));
        } else if tracks.iter().any(|t| t == track) {
            note(errors, "赛道", format!("“{track}”重复"));
        } else {
            tracks.push(track.to_owned());
        }
    }
    if tracks.is_empty() && errors.iter().all(|e| e.field != "赛道") {
        note(errors, "赛道", "至少设置一个赛道");
    }
    tracks
}

/// Checks an edition as typed in: its year within the plan (`years`), its name, its dates
/// (opening in its year, closing no earlier) and its tracks. Every wrong field is reported.
pub fn validate_edition(
    draft: &EditionDraft,
    years: std::ops::RangeInclusive<i32>,
) -> Result<ValidEdition, Vec<FieldError>> {
    let mut errors = Vec::new();
    let year = match draft.year.trim().parse::<i32>() {
        Ok(year) if years.contains(&year) => Some(year),
        _ => {
            note(
                &mut errors,
                "年度",
                format!("应为行动方案年度 {}—{} 年之一", years.start(), years.end()),
            );
            None
        }
    };
    let name = checked_text_up_to(&mut errors, "大赛名称", &draft.name, true, 60);
    let opens_on = day_of(&mut errors, "开始日期", &draft.opens_on, None);
    let closes_on = day_of(&mut errors, "结束日期", &draft.closes_on, None);
    if let (Some(year), Some(opens)) = (year, opens_on)
        && opens.year() != year
    {
        note(&mut errors, "开始日期", format!("{opens} 不在 {year} 年"));
    }
    if let (Some(opens), Some(closes)) = (opens_on, closes_on)
        && closes < opens
    {
        note(&mut errors, "结束日期", format!("{closes} 早于开始日期"));
    }
    let tracks = checked_tracks(&mut errors, &draft.tracks);
    match (year, opens_on, closes_on) {
        (Some(year), Some(opens_on), Some(closes_on)) if errors.is_empty() => Ok(ValidEdition {
            year,
            name,
            opens_on,
            closes_on,
            tracks,
        }),
        _ => Err(errors),
    }
}

/// One edition a year: refused naming the year when `year` already has one.
pub fn edition_year_free(year: i32, taken: bool) -> Result<(), FieldError> {
    if taken {
        Err(one("年度", format!("{year} 年已有一届大赛，每年只办一届")))
    } else {
        Ok(())
    }
}

/// An entry as typed into the form; `track` is the id picked, the leader's resident ID and
/// phone are optional.
#[derive(Debug, Clone, Default)]
pub struct EntryDraft {
    pub track: String,
    pub project: String,
    pub team: String,
    pub leader: String,
    pub school: String,
    pub field: String,
    pub brief: String,
    pub leader_id: String,
    pub phone: String,
    pub registered_on: String,
}

/// A checked entry; the store checks the track belongs to the edition and finds the leader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidEntry {
    pub track_id: i64,
    pub project: String,
    pub team: String,
    pub leader: String,
    pub school: String,
    pub field: String,
    pub brief: String,
    pub leader_id: Option<ResidentId>,
    pub phone: Option<Phone>,
    pub registered_on: NaiveDate,
}

/// The edition an entry registers for, as far as its checks need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditionDays {
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

/// A school is a higher-education institution's full name: it names a 大学, 学院 or 学校.
fn school_name(errors: &mut Vec<FieldError>, input: &str) -> String {
    let school = checked_text_up_to(errors, "学校", input, true, 50);
    if !school.is_empty()
        && school.chars().count() <= 50
        && !["大学", "学院", "学校"].iter().any(|w| school.contains(w))
    {
        note(
            errors,
            "学校",
            format!("“{school}”不像高校全称（应含“大学”“学院”或“学校”）"),
        );
    }
    school
}

/// The registration day: within the edition's dates and not after today.
fn registration_day(
    errors: &mut Vec<FieldError>,
    input: &str,
    edition: EditionDays,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let day = day_of(errors, "报名日期", input, Some(today))?;
    if day < edition.opens_on || day > edition.closes_on {
        note(
            errors,
            "报名日期",
            format!(
                "{day} 不在本届大赛 {}—{} 之内",
                edition.opens_on, edition.closes_on
            ),
        );
        return None;
    }
    Some(day)
}

/// Checks an entry as typed in, every wrong field in the form's order.
pub fn validate_entry(
    draft: &EntryDraft,
    edition: EditionDays,
    today: NaiveDate,
) -> Result<ValidEntry, Vec<FieldError>> {
    let mut errors = Vec::new();
    let track_id = match draft.track.trim().parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            note(&mut errors, "赛道", "请选择赛道");
            None
        }
    };
    let project = checked_text_up_to(&mut errors, "项目名称", &draft.project, true, 60);
    let team = checked_text_up_to(&mut errors, "团队名称", &draft.team, true, 60);
    let leader = checked_text_up_to(&mut errors, "负责人", &draft.leader, true, 30);
    let school = school_name(&mut errors, &draft.school);
    let field = checked_text_up_to(&mut errors, "所属领域", &draft.field, true, 30);
    let brief = checked_text_up_to(&mut errors, "项目简介", &draft.brief, false, 1000);
    let leader_id = match draft.leader_id.trim() {
        "" => None,
        text => ResidentId::parse_on(text, today)
            .map_err(|e| note(&mut errors, "负责人身份证号码", e.to_string()))
            .ok(),
    };
    let phone = match cells::normalise(&draft.phone).as_str() {
        "" => None,
        text => Phone::parse(text)
            .map_err(|e| note(&mut errors, "联系电话", e.to_string()))
            .ok(),
    };
    let registered_on = registration_day(&mut errors, &draft.registered_on, edition, today);
    match (track_id, registered_on) {
        (Some(track_id), Some(registered_on)) if errors.is_empty() => Ok(ValidEntry {
            track_id,
            project,
            team,
            leader,
            school,
            field,
            brief,
            leader_id,
            phone,
            registered_on,
        }),
        _ => Err(errors),
    }
}

/// A round as typed in: its stage, its scale (the highest score), the judges (one a line or
/// separated by 、) and the day it is held.
#[derive(Debug, Clone, Default)]
pub struct RoundDraft {
    pub stage: String,
    pub scale: String,
    pub judges: String,
    pub held_on: String,
}

/// A checked round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRound {
    pub stage: Stage,
    pub scale: i64,
    pub judges: Vec<String>,
    pub held_on: NaiveDate,
}

/// The highest scale a round may take.
const MAX_SCALE: i64 = 1000;

/// Checks a round of an edition of `year`: `held` are the stages the edition already has. A
/// stage comes once, and after the stages already held (初赛, then 复赛, then 决赛).
pub fn validate_round(
    draft: &RoundDraft,
    year: i32,
    held: &[Stage],
) -> Result<ValidRound, Vec<FieldError>> {
    let mut errors = Vec::new();
    let stage = Stage::parse(&draft.stage)
        .map_err(|e| note(&mut errors, "赛程", e))
        .ok();
    if let Some(stage) = stage {
        if held.contains(&stage) {
            note(&mut errors, "赛程", format!("本届已有{}", stage.label()));
        } else if let Some(later) = held.iter().find(|s| s.rank() > stage.rank()) {
            note(
                &mut errors,
                "赛程",
                format!("本届已有{}，不能再添加{}", later.label(), stage.label()),
            );
        }
    }
    let scale = match draft.scale.trim().parse::<i64>() {
        Ok(scale) if (1..=MAX_SCALE).contains(&scale) => Some(scale),
        _ => {
            note(&mut errors, "满分", format!("应为 1 到 {MAX_SCALE} 的整数"));
            None
        }
    };
    let judges: Vec<String> = draft
        .judges
        .split(['\n', '、', ',', '，'])
        .map(str::trim)
        .filter(|j| !j.is_empty())
        .map(str::to_owned)
        .collect();
    if judges.is_empty() {
        note(&mut errors, "评委", "至少填写一名评委");
    } else if judges.iter().any(|j| j.chars().count() > 30) {
        note(&mut errors, "评委", "每名评委最多 30 个字");
    }
    let held_on = day_of(&mut errors, "比赛日期", &draft.held_on, None);
    if let Some(day) = held_on
        && day.year() != year
    {
        note(&mut errors, "比赛日期", format!("{day} 不在 {year} 年"));
    }
    match (stage, scale, held_on) {
        (Some(stage), Some(scale), Some(held_on)) if errors.is_empty() => Ok(ValidRound {
            stage,
            scale,
            judges,
            held_on,
        }),
        _ => Err(errors),
    }
}

/// A score typed in for a round of `scale`: a number from 0 to the scale, two decimals at most,
/// kept in hundredths. Anything else is refused naming 评分.
pub fn parse_score(input: &str, scale: i64) -> Result<i64, FieldError> {
    let out_of_range = || one("评分", format!("应在 0 到 {scale} 之间"));
    match Quantity::parse(input) {
        Ok(q) if q.hundredths() <= scale * 100 => Ok(q.hundredths()),
        Ok(_) | Err(QuantityError::Negative | QuantityError::TooLarge) => Err(out_of_range()),
        Err(e) => Err(one("评分", e.to_string())),
    }
}

/// Where an entry stands toward a round: scored in it, or not there at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// The round is the edition's first, or the entry advanced into it.
    pub reached: bool,
    /// The entry has a score in the round.
    pub scored: bool,
}

/// May an entry be scored in a round of `stage`? Only if it reached the round.
pub fn may_score(stage: Stage, standing: Standing) -> Result<(), FieldError> {
    if standing.reached {
        Ok(())
    } else {
        Err(one(
            "参赛项目",
            format!("未进入{}，不能评分", stage.label()),
        ))
    }
}

/// May an entry advance from a round of `stage` into the next (`next`: the edition's next
/// round, if it has one; `already`: it advanced before)? Only scored entries, once.
pub fn may_advance(
    stage: Stage,
    standing: Standing,
    next: Option<Stage>,
    already: bool,
) -> Result<Stage, FieldError> {
    let next = next.ok_or_else(|| {
        one(
            "赛程",
            format!("本届{}之后还没有登记下一轮比赛", stage.label()),
        )
    })?;
    if !standing.reached || !standing.scored {
        return Err(one(
            "参赛项目",
            format!("在{}尚无评分，不能晋级", stage.label()),
        ));
    }
    if already {
        return Err(one("参赛项目", format!("已晋级{}", next.label())));
    }
    Ok(next)
}

/// An award as typed in.
#[derive(Debug, Clone, Default)]
pub struct AwardDraft {
    pub grade: String,
    pub amount: String,
    pub awarded_on: String,
}

/// A checked award: the amount in whole 元.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAward {
    pub grade: AwardGrade,
    pub amount: i64,
    pub awarded_on: NaiveDate,
}

/// An amount of 元: a whole number, not negative.
fn yuan(errors: &mut Vec<FieldError>, field: &'static str, input: &str) -> Option<i64> {
    match Quantity::parse(input) {
        Ok(q) if q.is_whole() => Some(q.hundredths() / 100),
        Ok(_) => {
            note(errors, field, "以元计，不能有小数");
            None
        }
        Err(QuantityError::Negative) => {
            note(errors, field, "不能为负数");
            None
        }
        Err(e) => {
            note(errors, field, e.to_string());
            None
        }
    }
}

/// Checks an award of an entry: `reached_final` says whether the entry reached the final round
/// (only they are awarded), `awarded` whether it already has an award. The day is not after
/// today.
pub fn validate_award(
    draft: &AwardDraft,
    reached_final: bool,
    awarded: bool,
    today: NaiveDate,
) -> Result<ValidAward, Vec<FieldError>> {
    let mut errors = Vec::new();
    if !reached_final {
        note(&mut errors, "获奖项目", "未进入决赛，不能获奖");
    } else if awarded {
        note(&mut errors, "获奖项目", "已登记奖项");
    }
    let grade = AwardGrade::parse(&draft.grade)
        .map_err(|e| note(&mut errors, "奖项", e))
        .ok();
    let amount = yuan(&mut errors, "奖金（元）", &draft.amount);
    let awarded_on = day_of(&mut errors, "获奖日期", &draft.awarded_on, Some(today));
    match (grade, amount, awarded_on) {
        (Some(grade), Some(amount), Some(awarded_on)) if errors.is_empty() => Ok(ValidAward {
            grade,
            amount,
            awarded_on,
        }),
        _ => Err(errors),
    }
}

/// Follow-on support as typed in; the amount only for the angel fund.
#[derive(Debug, Clone, Default)]
pub struct SupportDraft {
    pub kind: String,
    pub given_on: String,
    pub note: String,
    pub amount: String,
}

/// Checked follow-on support; `amount` in 元, for the angel fund only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSupport {
    pub kind: SupportKind,
    pub given_on: NaiveDate,
    pub note: String,
    pub amount: Option<i64>,
}

/// Checks follow-on support of an entry registered on `registered_on`: a kind, a day from the
/// registration to today, a note, and an investment amount for the angel fund (and only there).
pub fn validate_support(
    draft: &SupportDraft,
    registered_on: NaiveDate,
    today: NaiveDate,
) -> Result<ValidSupport, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = SupportKind::parse(&draft.kind)
        .map_err(|e| note(&mut errors, "服务类型", e))
        .ok();
    let given_on = day_of(&mut errors, "服务日期", &draft.given_on, Some(today));
    if let Some(day) = given_on
        && day < registered_on
    {
        note(
            &mut errors,
            "服务日期",
            format!("{day} 早于项目报名日期 {registered_on}"),
        );
    }
    let note_text = checked_text_up_to(&mut errors, "服务内容", &draft.note, true, 200);
    let amount = match (kind, draft.amount.trim()) {
        (Some(SupportKind::AngelFund), "") => {
            note(
                &mut errors,
                "金额（元）",
                "临空港天使投资基金须填写投资金额",
            );
            None
        }
        (Some(SupportKind::AngelFund), text) => yuan(&mut errors, "金额（元）", text),
        (_, "") => None,
        (_, _) => {
            note(&mut errors, "金额（元）", "只有临空港天使投资基金登记金额");
            None
        }
    };
    match (kind, given_on) {
        (Some(kind), Some(given_on)) if errors.is_empty() => Ok(ValidSupport {
            kind,
            given_on,
            note: note_text,
            amount,
        }),
        _ => Err(errors),
    }
}

/// A landing as typed in: the returnee business the project became, and the day.
#[derive(Debug, Clone, Default)]
pub struct LandingDraft {
    pub business: String,
    pub landed_on: String,
}

/// A checked landing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidLanding {
    pub business_id: i64,
    pub landed_on: NaiveDate,
}

/// Checks a landing of an entry awarded on `awarded_on` (`None`: no award) that has `landed`
/// already or not: only a winning project lands, once, on a day from its award to today.
pub fn validate_landing(
    draft: &LandingDraft,
    awarded_on: Option<NaiveDate>,
    landed: bool,
    today: NaiveDate,
) -> Result<ValidLanding, Vec<FieldError>> {
    let mut errors = Vec::new();
    match (awarded_on, landed) {
        (None, _) => note(&mut errors, "获奖项目", "只有获奖项目可以登记落地"),
        (Some(_), true) => note(&mut errors, "获奖项目", "已登记落地"),
        _ => {}
    }
    let business_id = match draft.business.trim().parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            note(&mut errors, "创业主体", "请选择落地的返区创业主体");
            None
        }
    };
    let landed_on = day_of(&mut errors, "落地日期", &draft.landed_on, Some(today));
    if let (Some(day), Some(awarded)) = (landed_on, awarded_on)
        && day < awarded
    {
        note(
            &mut errors,
            "落地日期",
            format!("{day} 早于获奖日期 {awarded}"),
        );
    }
    match (business_id, landed_on) {
        (Some(business_id), Some(landed_on)) if errors.is_empty() => Ok(ValidLanding {
            business_id,
            landed_on,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests;
