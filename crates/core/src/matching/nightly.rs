//! When the nightly matching batch is due (issue 16 item 6): once a day at a set local hour in
//! Wuhan. The batch is due when no run has happened since the latest such hour — so a server
//! that was down at the hour runs the missed batch once when it is back, and a run started by
//! hand (`linkong match run`) after the hour counts for the night.

use chrono::{DateTime, Days, NaiveTime, TimeZone, Utc};

use crate::time::china;

/// The latest instant at or before `now` that is `hour` o'clock in Wuhan (`hour` below 24;
/// a larger one is read as 23).
pub fn latest_slot(now: DateTime<Utc>, hour: u32) -> DateTime<Utc> {
    let local = now.with_timezone(&china());
    let at = NaiveTime::from_hms_opt(hour.min(23), 0, 0).unwrap_or(NaiveTime::MIN);
    let today = local.date_naive().and_time(at);
    let slot = if local.naive_local() >= today {
        today
    } else {
        today.checked_sub_days(Days::new(1)).unwrap_or(today)
    };
    china()
        .from_local_datetime(&slot)
        .single()
        .map_or(now, |s| s.with_timezone(&Utc))
}

/// Is the batch due at `now`, the last run having started at `last_run` (None: never run)?
pub fn is_due(now: DateTime<Utc>, hour: u32, last_run: Option<DateTime<Utc>>) -> bool {
    last_run.is_none_or(|last| last < latest_slot(now, hour))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An instant given in Wuhan time.
    fn wuhan(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        china()
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn the_batch_is_due_at_two_in_the_night_once_a_day() {
        let last = Some(wuhan(2025, 9, 1, 2, 0));
        assert!(!is_due(wuhan(2025, 9, 1, 23, 59), 2, last));
        assert!(!is_due(wuhan(2025, 9, 2, 1, 59), 2, last));
        assert!(is_due(wuhan(2025, 9, 2, 2, 0), 2, last));
        assert!(!is_due(
            wuhan(2025, 9, 2, 2, 1),
            2,
            Some(wuhan(2025, 9, 2, 2, 0))
        ));
    }

    #[test]
    fn a_batch_missed_while_the_server_was_down_runs_once_when_it_is_back() {
        let last = Some(wuhan(2025, 8, 28, 2, 0));
        assert!(is_due(wuhan(2025, 9, 1, 10, 0), 2, last));
        assert!(!is_due(
            wuhan(2025, 9, 1, 10, 5),
            2,
            Some(wuhan(2025, 9, 1, 10, 0))
        ));
    }

    #[test]
    fn a_run_by_hand_after_the_hour_counts_for_the_night_and_never_run_is_due() {
        assert!(!is_due(
            wuhan(2025, 9, 2, 3, 0),
            2,
            Some(wuhan(2025, 9, 2, 2, 30))
        ));
        assert!(is_due(wuhan(2025, 9, 2, 3, 0), 2, None));
    }

    #[test]
    fn the_hour_is_wuhan_time_not_utc() {
        // 02:00 in Wuhan is 18:00 UTC the day before.
        assert_eq!(
            latest_slot(wuhan(2025, 9, 2, 2, 30), 2),
            Utc.with_ymd_and_hms(2025, 9, 1, 18, 0, 0).unwrap()
        );
        assert_eq!(
            latest_slot(wuhan(2025, 9, 2, 1, 30), 2),
            Utc.with_ymd_and_hms(2025, 8, 31, 18, 0, 0).unwrap()
        );
    }
}
