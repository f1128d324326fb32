//! Import runs (导入任务) started on the web: what is imported, where a run stands, and when a
//! run that says it is still going has in fact stopped.
//!
//! A run is kept in the database so that any server, and the same server after a restart,
//! shows it. While it runs, its server beats a heartbeat every [`HEARTBEAT_EVERY`]; a run whose
//! last heartbeat is older than [`STALE_AFTER`] has lost its server (a crash, a `kill -9`, a
//! power cut). The import writes the whole file in one transaction, which the database rolled
//! back when the server went, so such a run is shown as 中断 with [`INTERRUPTED`]: nothing of the
//! file was written, and it is imported again as it is.

use chrono::{DateTime, Utc};

vocabulary!(
    /// What a run imports.
    ImportKind, "导入名单" {
        Migrants = "migrants", "外出就业人员信息库";
        Graduates = "graduates", "离校未就业高校毕业生名册";
        Insurance = "insurance", "参保名单";
    }
);

impl From<crate::access::Roster> for ImportKind {
    fn from(roster: crate::access::Roster) -> ImportKind {
        match roster {
            crate::access::Roster::Migrants => ImportKind::Migrants,
            crate::access::Roster::Graduates => ImportKind::Graduates,
        }
    }
}

impl ImportKind {
    /// What a row of the file counts: a person of a roster, an entry (条) of the enrolment list.
    pub fn counted(self) -> &'static str {
        match self {
            ImportKind::Migrants | ImportKind::Graduates => "人",
            ImportKind::Insurance => "条",
        }
    }
}

vocabulary!(
    /// Where a run stands as it is kept. A running run may have stopped without a word: see
    /// [`standing`].
    RunState, "导入状态" {
        Running = "running", "正在导入";
        Done = "done", "导入完成";
        Refused = "refused", "未导入";
        Interrupted = "interrupted", "中断";
    }
);

/// How often a running import's server says it is still at work.
pub const HEARTBEAT_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// A running import whose heartbeat is older than this has lost its server: fifteen beats
/// missed, more than a busy database (a SQLite writer waits up to 10 s) ever delays one.
pub const STALE_AFTER: chrono::TimeDelta = chrono::TimeDelta::seconds(30);

/// The sentence shown for an interrupted run.
pub const INTERRUPTED: &str = "服务器在导入过程中停止，导入已中断。整个文件在一个事务中导入，本次没有写入任何数据；请重新导入该文件。";

/// Where a run stands, as people are shown it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Started, no row read yet.
    Queued,
    Running,
    Done,
    Refused,
    /// Its server stopped while it ran; nothing of it was written.
    Interrupted,
}

impl Standing {
    pub fn label(self) -> &'static str {
        match self {
            Standing::Queued => "排队",
            Standing::Running => "正在导入",
            Standing::Done => "导入完成",
            Standing::Refused => "未导入",
            Standing::Interrupted => "中断",
        }
    }

    /// Is the run still to end (its page keeps refreshing)?
    pub fn is_open(self) -> bool {
        matches!(self, Standing::Queued | Standing::Running)
    }
}

/// Where a run kept as `state` stands at `now`: a running run whose last heartbeat is older
/// than [`STALE_AFTER`] is interrupted; one that has read no row yet is queued.
pub fn standing(
    state: RunState,
    reading: bool,
    heartbeat_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Standing {
    match state {
        RunState::Running if now - heartbeat_at > STALE_AFTER => Standing::Interrupted,
        RunState::Running if reading => Standing::Running,
        RunState::Running => Standing::Queued,
        RunState::Done => Standing::Done,
        RunState::Refused => Standing::Refused,
        RunState::Interrupted => Standing::Interrupted,
    }
}

/// How long a refused import's problems (sentences that may quote an ID's birth date or a
/// mistyped phone number) and its error workbook (every row of the file) are kept after it
/// ended: long enough to correct the file, not longer.
pub const KEEP_PROBLEMS: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// Are the problems of a run that ended at `finished_at` still kept at `now`?
pub fn problems_kept(finished_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    finished_at.is_none_or(|ended| now - ended <= KEEP_PROBLEMS)
}

/// Only the user who started an import sees it (its rows hold personal data of their reach).
pub fn may_see(owner_id: i64, viewer_id: i64) -> bool {
    owner_id == viewer_id
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 10, 10, 2, 0, 0).unwrap() + chrono::TimeDelta::seconds(seconds)
    }

    #[test]
    fn a_refused_imports_problems_are_kept_for_a_day_after_it_ended() {
        let ended = Some(at(0));
        assert!(problems_kept(None, at(0)), "still running");
        assert!(problems_kept(ended, at(24 * 3600)));
        assert!(!problems_kept(ended, at(24 * 3600 + 1)));
    }

    #[test]
    fn a_running_import_whose_heartbeat_is_over_thirty_seconds_old_is_interrupted() {
        let beat = at(0);
        assert_eq!(
            standing(RunState::Running, true, beat, at(30)),
            Standing::Running
        );
        assert_eq!(
            standing(RunState::Running, true, beat, at(31)),
            Standing::Interrupted
        );
        assert_eq!(
            standing(RunState::Running, false, beat, at(31)),
            Standing::Interrupted
        );
    }

    #[test]
    fn an_import_that_has_read_no_row_is_queued() {
        assert_eq!(
            standing(RunState::Running, false, at(0), at(1)),
            Standing::Queued
        );
        assert!(Standing::Queued.is_open() && Standing::Running.is_open());
    }

    #[test]
    fn an_ended_import_stays_as_it_ended_however_old_its_heartbeat() {
        for (state, shown) in [
            (RunState::Done, Standing::Done),
            (RunState::Refused, Standing::Refused),
            (RunState::Interrupted, Standing::Interrupted),
        ] {
            assert_eq!(standing(state, true, at(0), at(86_400)), shown);
            assert!(!shown.is_open());
        }
    }

    #[test]
    fn the_interrupted_sentence_says_nothing_was_written_and_to_import_again() {
        assert_eq!(Standing::Interrupted.label(), "中断");
        assert!(INTERRUPTED.contains("没有写入任何数据"));
        assert!(INTERRUPTED.contains("重新导入"));
    }

    #[test]
    fn only_the_user_who_started_an_import_sees_it() {
        assert!(may_see(7, 7));
        assert!(!may_see(7, 8));
    }

    #[test]
    fn kinds_and_states_read_back_from_their_codes() {
        for kind in ImportKind::ALL {
            assert_eq!(ImportKind::parse(kind.code()), Ok(*kind));
        }
        for state in RunState::ALL {
            assert_eq!(RunState::parse(state.code()), Ok(*state));
        }
        assert_eq!(ImportKind::Insurance.counted(), "条");
        assert_eq!(ImportKind::Migrants.counted(), "人");
    }
}
