//! `linkong bench cluster` at a tiny size: both layouts measured, the lag probe finds every
//! post it published, the rolling restart answers every request, and every application the
//! servers confirmed is in the database. No time is asserted (the lag budget is the benchmark's
//! own verdict, exit 3 when missed).

use std::process::Command;

use crate::nginx::Nginx;

/// The numbers of `line`, in order.
fn numbers(line: &str) -> Vec<u64> {
    line.split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .map(|n| n.parse().unwrap())
        .collect()
}

fn line<'a>(report: &'a str, start: &str) -> &'a str {
    report
        .lines()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting {start}: {report}"))
}

#[test]
fn bench_cluster_at_a_tiny_size_loses_no_application_and_no_request_in_the_restart() {
    let what = "bench cluster at a tiny size";
    let Some(pg) = std::env::var("LINKONG_TEST_PG")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        linkong_testkit::skip(what, "LINKONG_TEST_PG is not set");
        return;
    };
    if !Nginx::installed() {
        linkong_testkit::skip(what, "nginx is not installed (apt-get install nginx-light)");
        return;
    }
    let output = Command::new(env!("CARGO_BIN_EXE_linkong"))
        .args(["bench", "cluster", "--posts", "300", "--applicants", "4"])
        .args(["--rates", "20", "--seconds", "4", "--probe-ms", "100"])
        .args([
            "--restart-rate",
            "20",
            "--warm-up-seconds",
            "1",
            "--pg",
            &pg,
        ])
        .env("LINKONG_LOG", "warn")
        .output()
        .expect("linkong runs");
    let report = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 3)),
        "ran to its end: {report}"
    );
    for layout in ["一台服务器", "两台服务器"] {
        assert!(report.contains(&format!("{layout}：20 次/秒")), "{report}");
    }
    // The lag table's row: | rate | probes | lost | p50 | p99 | max |
    let lag_table = &report[report.find("| 目标 次/秒 | 探针 |").expect("the lag table")..];
    let lag = numbers(lag_table.lines().nth(2).expect("a row of the lag table"));
    assert!(lag[1] > 0, "probes were published: {report}");
    assert_eq!(lag[2], 0, "every probe was found on B: {report}");
    let restart = numbers(line(&report, "滚动重启（"));
    // 滚动重启（R 次/秒，S 秒）：请求 N，错误 E，重发 T，p99 X.Y ms
    let [_, _, requests, errors, ..] = restart[..] else {
        panic!("{report}");
    };
    assert!(requests > 0, "{report}");
    assert_eq!(
        errors, 0,
        "no request failed in the rolling restart: {report}"
    );
    // 投递成功 N 次，数据库中 M 条，缺少 K 条
    let [confirmed, stored, missing] = numbers(line(&report, "投递成功"))[..] else {
        panic!("{report}");
    };
    assert!(confirmed > 0, "{report}");
    assert_eq!(
        missing, 0,
        "every confirmed application is stored: {report}"
    );
    // A request the generator gave up on may still have been saved: never fewer than confirmed.
    assert!(stored >= confirmed, "{report}");
}
