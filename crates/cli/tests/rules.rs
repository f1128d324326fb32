//! `linkong rules test FILE [--rules RULES]` and `linkong rules show POLICY --on DAY` as policy
//! staff run them: each case ok or failed with its reason in Chinese, a non-zero exit on any
//! failure (a changed amount in a rules file breaks the case that checks it, by name), and the
//! parameters in force on a day with their sources.

use std::process::{Command, Output};

const POLICIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies");

fn linkong(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_linkong"))
        .args(args)
        .env_remove("LINKONG_DATABASE_URL")
        .output()
        .expect("linkong runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_case_file_passes_against_the_built_in_rules_case_by_case() {
    let cases = format!("{POLICIES}/cases/rent_subsidy.toml");
    let out = linkong(&["rules", "test", &cases]);
    let text = stdout(&out);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("通过  2026-01-01 换档当日，按新标准 600 元/月 × 6 个月"),
        "{text}"
    );
    assert!(text.contains("5 个案例，通过 5，未通过 0"), "{text}");
}

#[test]
fn a_changed_amount_in_a_rules_file_fails_the_case_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string(format!("{POLICIES}/dongxihu.toml")).unwrap();
    let changed = seed.replacen(
        "value = 600, source = \"未找到依据，占位值（2026 年新标准）\"",
        "value = 700, source = \"未找到依据，占位值（2026 年新标准）\"",
        1,
    );
    assert_ne!(changed, seed);
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, changed).unwrap();
    let cases = format!("{POLICIES}/cases/rent_subsidy.toml");
    let out = linkong(&["rules", "test", &cases, "--rules", rules.to_str().unwrap()]);
    let text = stdout(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("未通过  2026-01-01 换档当日，按新标准 600 元/月 × 6 个月：金额应为 3,600.00 元，实际 4,200.00 元"),
        "{text}"
    );
    // The day before the change is still right.
    assert!(
        text.contains("通过  2025-12-31 申请，按旧标准 500 元/月 × 6 个月"),
        "{text}"
    );
    assert!(text.contains("通过 3，未通过 2"), "{text}");
}

#[test]
fn an_unreadable_case_file_or_rules_file_fails() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "policy = \"rent_subsidy\"\n[[case]]\nname = 1\n").unwrap();
    let out = linkong(&["rules", "test", broken.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stdout(&out).contains("案例文件"), "{}", stdout(&out));
    let bad_rules = dir.path().join("rules.toml");
    std::fs::write(&bad_rules, "version = 1\n").unwrap();
    let cases = format!("{POLICIES}/cases/rent_subsidy.toml");
    let out = linkong(&[
        "rules",
        "test",
        &cases,
        "--rules",
        bad_rules.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("有误"));
}

#[test]
fn show_prints_the_parameters_in_force_on_a_day() {
    let before = stdout(&linkong(&[
        "rules",
        "show",
        "rent_subsidy",
        "--on",
        "2025-12-31",
    ]));
    assert!(
        before.contains("每月租房补贴：500.00 元（自 2025-01-01 至 2025-12-31"),
        "{before}"
    );
    assert!(before.contains("待核实"), "{before}");
    assert!(before.contains("互斥组：youth_housing"), "{before}");
    let after = stdout(&linkong(&[
        "rules",
        "show",
        "rent_subsidy",
        "--on",
        "2026-01-01",
    ]));
    assert!(
        after.contains("每月租房补贴：600.00 元（自 2026-01-01 起"),
        "{after}"
    );
    let share = stdout(&linkong(&[
        "rules",
        "show",
        "flexible_insurance_subsidy",
        "--on",
        "2026-01-01",
    ]));
    assert!(share.contains("补贴比例（不超过实际缴费）：2/3"), "{share}");
    let unknown = linkong(&["rules", "show", "no_such_policy"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("政策“no_such_policy”不存在"));
}
