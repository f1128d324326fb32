//! The quarterly data bundle (issue 15 item 9), on each backend: the files a municipal data
//! request expects, each listed in the manifest with an SM3 digest that matches its bytes; the
//! figures as of the quarter's last day; `--if-due` writes a quarter once, after it is over.

use linkong_app::exchange::{is_due, quarter_bundle, sm3_hex};
use linkong_core::access::Role;
use linkong_core::calendar::WorkCalendar;
use linkong_core::record::RecordDraft;
use linkong_core::reporting::ReportPeriod;
use linkong_testkit::{TestClock, account, databases, date};
use serde_json::Value;

#[tokio::test]
async fn the_q3_bundle_holds_six_files_whose_sm3_digests_the_manifest_lists() {
    for db in databases(&TestClock::at(2025, 10, 15, 2)).await {
        let store = &db.store;
        let plan = store.plan().await.unwrap();
        let calendar = WorkCalendar::parse(linkong_testkit::CALENDAR_FILE).unwrap();
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        for (day, value) in [("2025-08-20", "12"), ("2025-10-10", "5")] {
            let draft = RecordDraft {
                indicator_code: "2.2.1.guidance".into(),
                unit_code: "jinghe".into(),
                value: value.into(),
                occurred_on: day.into(),
                description: "创业宣讲".into(),
            };
            store
                .add_record(&jinghe, &plan, &draft, None, None, "")
                .await
                .unwrap();
        }
        let period = ReportPeriod::parse("2025Q3", &plan).unwrap();
        let bundle = quarter_bundle(store, &plan, &calendar, period)
            .await
            .unwrap();
        let out = tempfile::tempdir().unwrap();
        assert!(is_due(&plan, period, date(2025, 10, 15), out.path()));
        let dir = bundle.write_to(out.path()).unwrap();
        assert_eq!(dir.file_name().unwrap(), "420112-2025Q3");
        assert!(
            !is_due(&plan, period, date(2025, 10, 15), out.path()),
            "written once"
        );
        let q4 = ReportPeriod::parse("2025Q4", &plan).unwrap();
        assert!(
            !is_due(&plan, q4, date(2025, 10, 15), out.path()),
            "Q4 is not over"
        );

        let manifest: Value =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        assert_eq!(manifest["period"], "2025Q3");
        assert_eq!(manifest["district_code"], "420112");
        assert_eq!(manifest["as_of"], "2025-09-30");
        let files = manifest["files"].as_array().unwrap();
        let names: Vec<&str> = files.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            [
                "2025Q3_progress.xlsx",
                "2025Q3_progress.csv",
                "2025Q3_reporting.xlsx",
                "2025Q3_reporting.csv",
                "2025Q3_registries.xlsx",
                "2025Q3_registries.csv",
            ]
        );
        for file in files {
            let bytes = std::fs::read(dir.join(file["name"].as_str().unwrap())).unwrap();
            assert_eq!(file["sm3"], sm3_hex(&bytes), "{}", file["name"]);
            assert_eq!(file["bytes"], bytes.len());
            assert_eq!(file["sm3"].as_str().unwrap().len(), 64);
        }
        // The progress table: 径河街道's 12 of August, not the 5 of October.
        let progress = std::fs::read_to_string(dir.join("2025Q3_progress.csv")).unwrap();
        assert!(progress.starts_with("\u{feff}任务编号,指标代码"));
        let row = progress
            .lines()
            .find(|l| l.contains("2.2.1.guidance") && l.contains(",jinghe,"))
            .unwrap();
        assert!(row.contains(",12,"), "{row}");
        // Every unit's reporting status of the quarter; every registry's figures.
        let reporting = std::fs::read_to_string(dir.join("2025Q3_reporting.csv")).unwrap();
        assert_eq!(reporting.lines().count(), plan.units.len() + 1);
        let registries = std::fs::read_to_string(dir.join("2025Q3_registries.csv")).unwrap();
        assert!(
            registries
                .lines()
                .next()
                .unwrap()
                .contains("9月,第1季度,第2季度,第3季度,年度累计")
        );
        assert!(registries.contains("loans.issued"));
        assert!(
            std::fs::read(dir.join("2025Q3_progress.xlsx"))
                .unwrap()
                .starts_with(b"PK")
        );
    }
}
