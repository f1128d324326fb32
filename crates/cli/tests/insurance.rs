//! `linkong import insurance FILE` as 区人社局's operator runs it, on each backend: the counts
//! on success (again: unchanged), the wrong rows and an error workbook beside the file on
//! failure, and nothing written then.

mod common;

use common::{run, text};

use std::path::Path;

use linkong_testkit::{TestClock, databases, resident_id_for, uscc_for};
use tempfile::TempDir;

/// A list of people 1..=n at employer 1, the start month of person `bad` (if any) wrong.
fn write_list(path: &Path, n: usize, bad: Option<usize>) {
    let mut csv = String::from(
        "姓名,公民身份号码,单位统一社会信用代码,单位名称,参保险种,参保开始年月,参保终止年月\n",
    );
    for i in 1..=n {
        let started = if bad == Some(i) { "2025-13" } else { "2025-02" };
        csv.push_str(&format!(
            "参保人{i},{},{},临空港企业1,失业、工伤、养老,{started},\n",
            resident_id_for(i),
            uscc_for(1)
        ));
    }
    std::fs::write(path, csv).unwrap();
}

#[tokio::test]
async fn import_insurance_prints_the_counts_or_the_wrong_rows_with_an_error_workbook() {
    for db in databases(&TestClock::at(2025, 12, 1, 2)).await {
        let dir = TempDir::new().unwrap();
        let bad = dir.path().join("参保名单.csv");
        write_list(&bad, 3, Some(2));
        let refused = run(&db, &["import", "insurance", bad.to_str().unwrap()]);
        assert!(!refused.status.success(), "{:?}", db.backend);
        let err = text(&refused.stderr);
        assert!(err.contains("第3行F列“参保开始年月”"), "{err}");
        assert!(dir.path().join("参保名单-错误清单.xlsx").exists(), "{err}");
        assert!(
            db.store
                .enrolments_at_employers(&[uscc_for(1)])
                .await
                .unwrap()
                .is_empty()
        );

        let good = dir.path().join("二月.csv");
        write_list(&good, 3, None);
        let done = run(&db, &["import", "insurance", good.to_str().unwrap()]);
        assert!(
            done.status.success(),
            "{:?}: {}",
            db.backend,
            text(&done.stderr)
        );
        assert!(
            text(&done.stdout).contains("导入完成：共 3 行，新增 3 条，更新 0 条，未变化 0 条。"),
            "{}",
            text(&done.stdout)
        );
        let again = run(&db, &["import", "insurance", good.to_str().unwrap()]);
        assert!(
            text(&again.stdout).contains("未变化 3 条"),
            "{}",
            text(&again.stdout)
        );
        assert_eq!(
            db.store
                .enrolments_at_employers(&[uscc_for(1)])
                .await
                .unwrap()
                .len(),
            3
        );
    }
}
