//! The notices 区人社局 publishes on the portal (定期发布招聘求职陷阱提示和违规典型案例, 1.3.4):
//! each for a month's issue, each from its source (a complaint or an inspection); a typical
//! violation case always names one. The schedule is monthly: each kind is due every month.

use chrono::{Datelike, NaiveDate};

use super::{note, past_day, picked};
use crate::field::{FieldError, checked_text_up_to};

vocabulary!(
    /// What a notice is.
    NoticeKind, "发布类型" {
        TrapTip = "trap_tip", "招聘求职陷阱提示";
        ViolationCase = "violation_case", "违规典型案例";
    }
);

/// A month of the publication schedule (an issue, 期).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IssueMonth {
    pub year: i32,
    pub month: u32,
}

impl IssueMonth {
    pub fn of(day: NaiveDate) -> IssueMonth {
        IssueMonth {
            year: day.year(),
            month: day.month(),
        }
    }

    /// `2025-07` (also `2025-7`, `2025年7月`).
    pub fn parse(input: &str) -> Result<IssueMonth, String> {
        let text = input.trim();
        let cleaned = text.replace('年', "-").replace('月', "");
        let unrecognised = || format!("期次“{text}”无法识别，请写成 2025-07");
        let (year, month) = cleaned.split_once('-').ok_or_else(unrecognised)?;
        let year: i32 = year.parse().map_err(|_| unrecognised())?;
        let month: u32 = month.parse().map_err(|_| unrecognised())?;
        if !(2000..=2100).contains(&year) || !(1..=12).contains(&month) {
            return Err(unrecognised());
        }
        Ok(IssueMonth { year, month })
    }

    /// `2025-07`, as stored.
    pub fn code(self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }

    /// `2025年7月`, as shown.
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }

    pub fn next(self) -> IssueMonth {
        if self.month == 12 {
            IssueMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            IssueMonth {
                month: self.month + 1,
                ..self
            }
        }
    }
}

/// Where a notice comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeSource {
    Complaint(i64),
    Inspection(i64),
}

impl NoticeSource {
    /// `complaint:12` or `inspection:3`, as the form sends it.
    pub fn parse(input: &str) -> Result<NoticeSource, String> {
        let wrong = || "请从列表中选择来源（举报或检查）".to_owned();
        let (kind, id) = input.trim().split_once(':').ok_or_else(wrong)?;
        let id: i64 = id.parse().ok().filter(|id| *id > 0).ok_or_else(wrong)?;
        match kind {
            "complaint" => Ok(NoticeSource::Complaint(id)),
            "inspection" => Ok(NoticeSource::Inspection(id)),
            _ => Err(wrong()),
        }
    }

    /// (`complaint` or `inspection`, id), as stored.
    pub fn parts(self) -> (&'static str, i64) {
        match self {
            NoticeSource::Complaint(id) => ("complaint", id),
            NoticeSource::Inspection(id) => ("inspection", id),
        }
    }

    pub fn code(self) -> String {
        let (kind, id) = self.parts();
        format!("{kind}:{id}")
    }
}

/// A notice as typed into its form.
#[derive(Debug, Clone, Default)]
pub struct NoticeDraft {
    pub kind: String,
    pub title: String,
    pub body: String,
    /// The month's issue it is, `2025-07`.
    pub issue_month: String,
    pub published_on: String,
    /// `complaint:ID` or `inspection:ID`; empty: none.
    pub source: String,
}

/// A checked notice; the store checks that the source exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNotice {
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
    pub issue_month: IssueMonth,
    pub published_on: NaiveDate,
    pub source: Option<NoticeSource>,
}

/// Checks a notice: its kind, title and text, the issue (not after the month it is published
/// in), the publication day (not after today), its source — required for a violation case.
pub fn validate_notice(
    draft: &NoticeDraft,
    today: NaiveDate,
) -> Result<ValidNotice, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = picked(&mut errors, "发布类型", &draft.kind, NoticeKind::parse);
    let title = checked_text_up_to(&mut errors, "标题", &draft.title, true, 100);
    let body = checked_text_up_to(&mut errors, "正文", &draft.body, true, 5000);
    let published_on = note(
        &mut errors,
        "发布日期",
        past_day(&draft.published_on, today),
    );
    let issue = IssueMonth::parse(&draft.issue_month).and_then(|issue| match published_on {
        Some(day) if issue > IssueMonth::of(day) => Err(format!(
            "{} 晚于发布日期所在月份 {}",
            issue.label(),
            IssueMonth::of(day).label()
        )),
        _ => Ok(issue),
    });
    let issue_month = note(&mut errors, "期次", issue);
    let source = match draft.source.trim() {
        "" if kind == Some(NoticeKind::ViolationCase) => note(
            &mut errors,
            "来源",
            Err("违规典型案例须注明来源（举报或检查）".into()),
        ),
        "" => None,
        text => note(&mut errors, "来源", NoticeSource::parse(text)),
    };
    match (kind, published_on, issue_month) {
        (Some(kind), Some(published_on), Some(issue_month)) if errors.is_empty() => {
            Ok(ValidNotice {
                kind,
                title,
                body,
                issue_month,
                published_on,
                source,
            })
        }
        _ => Err(errors),
    }
}

/// The monthly schedule of one kind of notice, seen on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticeSchedule {
    pub kind: NoticeKind,
    pub this_month: IssueMonth,
    /// Has this month's issue been published?
    pub published_this_month: bool,
    /// The next issue due: this month's when it is not out yet, else next month's.
    pub next_due: IssueMonth,
    /// The latest issue published, if any.
    pub latest: Option<IssueMonth>,
}

impl NoticeSchedule {
    /// The schedule of `kind` on `today`, from the issues published so far.
    pub fn of(kind: NoticeKind, issues: &[IssueMonth], today: NaiveDate) -> NoticeSchedule {
        let this_month = IssueMonth::of(today);
        let published_this_month = issues.contains(&this_month);
        NoticeSchedule {
            kind,
            this_month,
            published_this_month,
            next_due: if published_this_month {
                this_month.next()
            } else {
                this_month
            },
            latest: issues.iter().copied().max(),
        }
    }
}
