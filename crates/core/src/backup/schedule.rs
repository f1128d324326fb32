//! The server's daily backup (`serve --backup-dir DIR --backup-keep N --backup-hour H`): one
//! backup a night at H o'clock Wuhan time, named by the night's date, then all but the newest N
//! of linkong's own backups in DIR are deleted. Whether a night is done is read from the file
//! names, so a restart neither skips nor repeats one, and a server that was down at the hour
//! takes the missed backup once when it is back (as the nightly matching batch does).

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::matching::nightly::latest_slot;
use crate::time::local_date;

const PREFIX: &str = "linkong-backup-";
const SUFFIX: &str = ".tar.zst";

/// The file name of the backup for the night of `date`: `linkong-backup-2026-12-06.tar.zst`.
pub fn scheduled_name(date: NaiveDate) -> String {
    format!("{PREFIX}{}{SUFFIX}", date.format("%Y-%m-%d"))
}

/// The night a file name is the scheduled backup of; None for every other file, which the
/// schedule never touches.
pub fn scheduled_date(name: &str) -> Option<NaiveDate> {
    let date = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let parsed = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    (scheduled_name(parsed) == name).then_some(parsed)
}

/// The night whose backup is due at `now` (its date names the file), or None when the latest
/// `hour` o'clock already has its backup (or a later one) among `existing` file names.
pub fn due_backup<'a>(
    now: DateTime<Utc>,
    hour: u32,
    existing: impl IntoIterator<Item = &'a str>,
) -> Option<NaiveDate> {
    let night = local_date(latest_slot(now, hour));
    let done = existing
        .into_iter()
        .filter_map(scheduled_date)
        .any(|date| date >= night);
    (!done).then_some(night)
}

/// When the next backup is due if the latest one is done: the next `hour` o'clock in Wuhan.
pub fn next_backup(now: DateTime<Utc>, hour: u32) -> DateTime<Utc> {
    let latest = latest_slot(now, hour);
    latest.checked_add_days(Days::new(1)).unwrap_or(latest)
}

/// The scheduled backups among `existing` to delete so that the newest `keep` remain (at least
/// one is always kept: the one just written). Other files are never listed.
pub fn to_delete(existing: &[String], keep: usize) -> Vec<String> {
    let mut backups: Vec<(NaiveDate, &String)> = existing
        .iter()
        .filter_map(|name| scheduled_date(name).map(|date| (date, name)))
        .collect();
    backups.sort_by_key(|b| std::cmp::Reverse(b.0));
    backups
        .into_iter()
        .skip(keep.max(1))
        .map(|(_, name)| name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::china;
    use chrono::TimeZone;

    fn wuhan(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        china()
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_backup_is_named_by_its_night_and_only_such_names_are_ours() {
        assert_eq!(
            scheduled_name(date(2026, 12, 6)),
            "linkong-backup-2026-12-06.tar.zst"
        );
        assert_eq!(
            scheduled_date("linkong-backup-2026-12-06.tar.zst"),
            Some(date(2026, 12, 6))
        );
        for other in [
            "linkong-backup-2026-12-6.tar.zst",
            "linkong-backup-2026-12-06.tar.zst.partial",
            "linkong-backup-2026-13-01.tar.zst",
            "my-linkong-backup-2026-12-06.tar.zst",
            "notes.txt",
        ] {
            assert_eq!(scheduled_date(other), None, "{other}");
        }
    }

    #[test]
    fn the_backup_is_due_once_a_night_at_the_hour_in_wuhan() {
        let last_night = ["linkong-backup-2026-12-05.tar.zst"];
        assert_eq!(due_backup(wuhan(2026, 12, 6, 1), 2, last_night), None);
        assert_eq!(
            due_backup(wuhan(2026, 12, 6, 2), 2, last_night),
            Some(date(2026, 12, 6))
        );
        let tonight = ["linkong-backup-2026-12-06.tar.zst"];
        assert_eq!(due_backup(wuhan(2026, 12, 6, 23), 2, tonight), None);
    }

    #[test]
    fn a_night_missed_while_the_server_was_down_is_taken_once_when_it_is_back() {
        let old = ["linkong-backup-2026-11-30.tar.zst", "notes.txt"];
        assert_eq!(
            due_backup(wuhan(2026, 12, 6, 10), 2, old),
            Some(date(2026, 12, 6))
        );
        assert_eq!(
            due_backup(wuhan(2026, 12, 6, 10), 2, []),
            Some(date(2026, 12, 6))
        );
    }

    #[test]
    fn the_next_backup_is_the_next_hour_oclock_in_wuhan() {
        assert_eq!(
            next_backup(wuhan(2026, 12, 6, 10), 2),
            wuhan(2026, 12, 7, 2)
        );
        assert_eq!(next_backup(wuhan(2026, 12, 6, 1), 2), wuhan(2026, 12, 6, 2));
    }

    #[test]
    fn retention_keeps_the_newest_n_of_our_backups_and_never_touches_other_files() {
        let existing: Vec<String> = [
            "linkong-backup-2026-12-03.tar.zst",
            "notes.txt",
            "linkong-backup-2026-12-06.tar.zst",
            "linkong-backup-2026-12-01.tar.zst",
            "linkong-backup-2026-12-05.tar.zst",
            "linkong-backup-2026-12-04.tar.zst.partial",
            "manual.tar.zst",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            to_delete(&existing, 2),
            [
                "linkong-backup-2026-12-03.tar.zst",
                "linkong-backup-2026-12-01.tar.zst"
            ]
        );
        assert!(to_delete(&existing, 4).is_empty());
        assert_eq!(
            to_delete(&existing, 0).len(),
            3,
            "the newest backup is always kept"
        );
    }
}
