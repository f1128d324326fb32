//! `linkong match run`, and the benchmarks `bench match`, `bench recommend` and `bench fair`, as an operator runs them.

use std::process::{Command, Output};

use linkong_testkit::{TestClock, TestDb, databases};

fn linkong(db: &TestDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_linkong"))
        .args(["--database-url", &db.url, "--data-dir"])
        .arg(db.files.path())
        .args(args)
        .env(
            "LINKONG_PLAN",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../plans/dongxihu-2025-2027.toml"
            ),
        )
        .output()
        .expect("linkong runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test]
async fn match_run_runs_for_a_street_by_name_and_refuses_an_unknown_street_or_too_many_posts() {
    for db in databases(&TestClock::at(2025, 9, 1, 2)).await {
        let done = linkong(&db, &["match", "run", "--street", "径河", "--n", "3"]);
        assert!(done.status.success(), "{}", text(&done));
        assert!(text(&done).contains("人岗匹配完成"), "{}", text(&done));
        assert!(text(&done).contains("径河街道"), "{}", text(&done));
        let run = db.store.last_match_run().await.unwrap().unwrap();
        assert_eq!(run.street_code.as_deref(), Some("jinghe"));

        let unknown = linkong(&db, &["match", "run", "--street", "atlantis"]);
        assert!(!unknown.status.success());
        assert!(
            text(&unknown).contains("街道：没有代码为“atlantis”的街道"),
            "{}",
            text(&unknown)
        );
        let long = linkong(&db, &["match", "run", "--n", "21"]);
        assert!(!long.status.success());
        assert!(
            text(&long).contains("推荐数量：推荐数量最多为 20（收到 21）"),
            "{}",
            text(&long)
        );
        let last = db.store.last_match_run().await.unwrap().unwrap();
        assert_eq!(last.id, run.id, "a refused run records nothing");
    }
}

/// Points a benchmark at the PostgreSQL server of LINKONG_TEST_PG, if set; its URL.
fn with_test_pg(command: &mut Command) -> Option<String> {
    let pg = std::env::var("LINKONG_TEST_PG")
        .ok()
        .filter(|u| !u.is_empty())?;
    command.args(["--pg", &pg]);
    Some(pg)
}

/// Whether a benchmark ran to its end: exit 0 (budgets met) or 3 (a budget missed, which
/// depends on the machine and its load; these tests assert no time).
fn ran_to_the_end(output: &Output) -> bool {
    matches!(output.status.code(), Some(0) | Some(3))
}

/// The benchmark at a tiny size: its table, and the batch finding exactly what brute force
/// finds, with the prefilter and without. No time is asserted.
#[test]
fn bench_match_at_a_tiny_size_prints_the_table_and_recall_is_one() {
    for extra in [&[][..], &["--no-prefilter"][..]] {
        let output = Command::new(env!("CARGO_BIN_EXE_linkong"))
            .args(["bench", "match", "--sample-percent", "25"])
            .args(extra)
            .env("LINKONG_BENCH_PERSONS", "400")
            .env("LINKONG_BENCH_POSTS", "300")
            .output()
            .expect("linkong runs");
        let report = text(&output);
        assert!(ran_to_the_end(&output), "{report}");
        assert!(
            report.contains("人岗匹配基准：400 人 × 300 个在招岗位"),
            "{report}"
        );
        for row in [
            "| 项目 | 结果 | 预算 |",
            "| 暴力评分：随机 100 人",
            "| 峰值内存（VmHWM）",
        ] {
            assert!(report.contains(row), "{row}: {report}");
        }
        assert!(
            report.contains("| recall@10（样本上，批量 vs 暴力） | 1.0000 |"),
            "{report}"
        );
        assert!(report.contains("本次规模较小"), "{report}");
    }
}

/// The recommendations benchmark at a tiny size, on SQLite and (with LINKONG_TEST_PG) on a
/// PostgreSQL database it creates and drops: every page held the list, the closed post was
/// read again, and the table has a row per backend. No time is asserted.
#[test]
fn bench_recommend_at_a_tiny_size_prints_a_row_per_backend() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_linkong"));
    command.args([
        "bench",
        "recommend",
        "--posts",
        "200",
        "--applicants",
        "3",
        "--requests",
        "30",
    ]);
    let pg = with_test_pg(&mut command);
    let output = command.output().expect("linkong runs");
    let report = text(&output);
    assert!(ran_to_the_end(&output), "{report}");
    assert!(
        report.contains("载入 200 个演示岗位，3 名求职者轮流请求，单客户端，30 次计时"),
        "{report}"
    );
    let rows: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("| SQLite |") || l.starts_with("| PostgreSQL |"))
        .collect();
    assert_eq!(rows.len(), if pg.is_some() { 2 } else { 1 }, "{report}");
    for row in rows {
        assert!(row.contains("| 5 个 |"), "five posts recommended: {row}");
    }
    if pg.is_none() {
        assert!(report.contains("*** SKIPPED: PostgreSQL"), "{report}");
    }
}

/// The job-fair load benchmark at a tiny size, on SQLite and (with LINKONG_TEST_PG) on a
/// PostgreSQL database it creates and drops: a row per step, the static-file floor, and every
/// application the server confirmed found in the database, pair by pair, after the server was
/// killed (a lost one also exits 1, which fails `ran_to_the_end`). No time is asserted.
#[test]
fn bench_fair_at_a_tiny_size_finds_every_accepted_application_in_the_database() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_linkong"));
    command.args([
        "bench",
        "fair",
        "--posts",
        "300",
        "--applicants",
        "4",
        "--rates",
        "20,40",
        "--seconds",
        "2",
        "--floor-seconds",
        "1",
    ]);
    let pg = with_test_pg(&mut command);
    let output = command.output().expect("linkong runs");
    let report = text(&output);
    assert!(ran_to_the_end(&output), "{report}");
    let backends: &[&str] = if pg.is_some() {
        &["SQLite", "PostgreSQL"]
    } else {
        &["SQLite"]
    };
    for backend in backends {
        let line = report
            .lines()
            .find(|l| l.starts_with(&format!("{backend}：保持的最高速率")))
            .unwrap_or_else(|| panic!("no summary for {backend}: {report}"));
        let counts: Vec<u64> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().unwrap())
            .collect();
        let [confirmed, stored, missing] = counts[counts.len() - 3..] else {
            panic!("{line}");
        };
        assert!(confirmed > 0, "some applications were confirmed: {line}");
        assert_eq!(missing, 0, "{line}");
        assert!(stored >= confirmed, "{line}");
    }
    // The second step runs only if the first held, which depends on the machine.
    let first_steps = report.lines().filter(|l| l.starts_with("| 20 |"));
    assert_eq!(first_steps.count(), backends.len(), "{report}");
    if pg.is_none() {
        assert!(report.contains("*** SKIPPED: PostgreSQL"), "{report}");
    }
}
