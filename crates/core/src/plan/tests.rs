use super::*;

const SMALL: &str = r#"
[plan]
code = "t"
name = "测试方案"
document_number = "测〔2025〕1号"
issuer = "测试"
issued_on = 2025-04-30
district_code = "420112"
district_name = "东西湖区"
first_year = 2025
last_year = 2027

[reporting]
quarterly_due_working_days = 3
annual_due = "12-05"

[[units]]
code = "rsj"
name = "区人社局"
kind = "department"

[[units]]
code = "jinghe"
name = "径河街道"
kind = "street"

[[sections]]
code = "1"
title = "一"
[[sections]]
code = "1.1"
title = "（一）"

[[tasks]]
code = "1.1.1"
section = "1.1"
name = "岗位"
text = "每年筹集岗位"
lead_units = ["rsj"]
cooperating_units = ["jinghe"]

[[tasks.indicators]]
code = "1.1.1.positions"
name = "岗位数"
measure = "个"
comparator = "at_least"
target = 100
period = "year"
quotas = { jinghe = 100 }
quotas_sum_to_target = true
"#;

fn errors_of(text: &str) -> Vec<PlanError> {
    Plan::parse(text).expect_err("the plan should be refused").0
}

#[test]
fn a_valid_small_plan_parses() {
    let plan = Plan::parse(SMALL).unwrap();
    assert_eq!(plan.tasks.len(), 1);
    let indicator = &plan.tasks[0].indicators[0];
    assert_eq!(indicator.target, Some(10_000));
    assert_eq!(
        indicator.quotas,
        vec![Quota {
            unit: "jinghe".into(),
            target: 10_000
        }]
    );
    assert_eq!(plan.reporting.annual_due, (12, 5));
}

#[test]
fn an_unknown_unit_in_a_quota_is_named_with_its_line() {
    let text = SMALL.replace("quotas = { jinghe = 100 }", "quotas = { nowhere = 100 }");
    let errors = errors_of(&text);
    let unknown = errors
        .iter()
        .find(|e| e.message.contains("nowhere"))
        .expect("unknown unit reported");
    assert_eq!(
        unknown.path,
        "tasks[1.1.1].indicators[1.1.1.positions].quotas.nowhere"
    );
    let line = text.lines().position(|l| l.contains("nowhere")).unwrap() + 1;
    assert_eq!(unknown.line, Some(line));
}

#[test]
fn a_duplicate_task_code_is_reported() {
    let duplicate = format!(
        "{SMALL}\n[[tasks]]\ncode = \"1.1.1\"\nsection = \"1.1\"\nname = \"重复\"\ntext = \"x\"\nlead_units = [\"rsj\"]\n"
    );
    let errors = errors_of(&duplicate);
    assert!(
        errors
            .iter()
            .any(|e| e.message == "任务编号重复" && e.path == "tasks[1.1.1]"),
        "{errors:?}"
    );
}

#[test]
fn quotas_that_do_not_add_up_to_the_total_are_reported() {
    let text = SMALL.replace("quotas = { jinghe = 100 }", "quotas = { jinghe = 90 }");
    let errors = errors_of(&text);
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("合计 90") && e.message.contains("总目标 100")),
        "{errors:?}"
    );
}

#[test]
fn every_error_is_reported_not_only_the_first() {
    let text = SMALL
        .replace("lead_units = [\"rsj\"]", "lead_units = [\"ghost\"]")
        .replace("comparator = \"at_least\"", "comparator = \"most\"")
        .replace("period = \"year\"", "period = \"decade\"");
    let errors = errors_of(&text);
    assert!(errors.len() >= 3, "{errors:?}");
}

#[test]
fn a_non_positive_reporting_window_is_refused() {
    let errors = errors_of(&SMALL.replace(
        "quarterly_due_working_days = 3",
        "quarterly_due_working_days = 0",
    ));
    assert!(
        errors
            .iter()
            .any(|e| e.path == "reporting.quarterly_due_working_days"),
        "{errors:?}"
    );
}

#[test]
fn malformed_toml_is_reported_with_its_line() {
    let errors = errors_of("[plan]\ncode = \n");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, Some(2));
    assert!(errors[0].message.starts_with("不是有效的计划文件"));
}

#[test]
fn an_unknown_field_is_refused_rather_than_ignored() {
    let errors = errors_of(&SMALL.replace("measure = \"个\"", "measure = \"个\"\nmeasur = \"个\""));
    assert!(errors[0].message.contains("measur"), "{errors:?}");
}

#[test]
fn negative_targets_are_refused() {
    let errors = errors_of(&SMALL.replace("target = 100", "target = -5"));
    assert!(
        errors.iter().any(|e| e.message.contains("正数")),
        "{errors:?}"
    );
}

mod dongxihu {
    use super::super::*;

    const FILE: &str = include_str!("../../../../plans/dongxihu-2025-2027.toml");

    fn plan() -> Plan {
        Plan::parse(FILE).unwrap_or_else(|e| panic!("{e}"))
    }

    fn indicator<'a>(plan: &'a Plan, code: &str) -> &'a Indicator {
        plan.indicators()
            .map(|(_, i)| i)
            .find(|i| i.code == code)
            .unwrap_or_else(|| panic!("no {code}"))
    }

    #[test]
    fn the_plan_has_all_29_tasks_in_order() {
        let plan = plan();
        let codes: Vec<&str> = plan.tasks.iter().map(|t| t.code.as_str()).collect();
        let expected: Vec<String> = [
            (1, 1, 4),
            (1, 2, 3),
            (1, 3, 4),
            (2, 1, 4),
            (2, 2, 2),
            (2, 3, 4),
            (2, 4, 4),
            (2, 5, 4),
        ]
        .iter()
        .flat_map(|&(part, chapter, n)| (1..=n).map(move |i| format!("{part}.{chapter}.{i}")))
        .collect();
        assert_eq!(codes, expected);
    }

    #[test]
    fn twelve_streets_and_six_industry_offices() {
        let plan = plan();
        let count = |kind| plan.units.iter().filter(|u| u.kind == kind).count();
        assert_eq!(count(UnitKind::Street), 12);
        assert_eq!(count(UnitKind::IndustryOffice), 6);
        assert!(plan.units.iter().any(|u| u.name.contains("常青花园")));
    }

    #[test]
    fn job_position_quotas_add_up_to_30000() {
        let plan = plan();
        let positions = plan.tasks[0]
            .indicators
            .iter()
            .find(|i| i.measure == "个")
            .unwrap();
        assert_eq!(positions.target, Some(30_000 * 100));
        assert_eq!(positions.quotas.len(), 18);
        assert_eq!(
            positions.quotas.iter().map(|q| q.target).sum::<i64>(),
            30_000 * 100
        );
    }

    #[test]
    fn guidance_person_times_add_up_to_500_over_the_12_streets() {
        let plan = plan();
        let task = plan.tasks.iter().find(|t| t.code == "2.2.1").unwrap();
        let guidance = &task.indicators[0];
        assert_eq!(guidance.measure, "人次");
        assert_eq!(guidance.quotas.len(), 12);
        assert_eq!(
            guidance.quotas.iter().map(|q| q.target).sum::<i64>(),
            500 * 100
        );
    }

    #[test]
    fn guaranteed_loans_are_at_least_100_million_yuan_a_year() {
        let plan = plan();
        let task = plan.tasks.iter().find(|t| t.code == "2.4.2").unwrap();
        let loans = &task.indicators[0];
        assert_eq!(
            (loans.measure.as_str(), loans.target),
            ("万元", Some(10_000 * 100))
        );
        assert_eq!(loans.comparator, Comparator::AtLeast);
        let _ = indicator(&plan, &loans.code);
    }

    /// Every per-unit quota of the appendix (附件 重点任务清单), transcribed from the seed by hand.
    #[test]
    fn every_quota_matches_the_appendix() {
        let streets = [
            "jinghe",
            "changqing",
            "zoumaling",
            "cihui",
            "jiangjunlu",
            "jinyinhu",
            "baiquan",
            "xingouzhen",
            "wujiashan",
            "xinandu",
            "dongshan",
            "changqinghuayuan",
        ];
        let offices = [
            "gaoxin",
            "jidian",
            "zongbao",
            "xiandaifuwu",
            "linkong",
            "shiyao",
        ];
        let each =
            |units: &[&'static str], n: i64| units.iter().map(|u| (*u, n)).collect::<Vec<_>>();
        let mut expected: Vec<(&str, Vec<(&str, i64)>)> = vec![
            (
                "1.1.1.positions",
                [
                    ("jinghe", 2100),
                    ("changqing", 2100),
                    ("zoumaling", 2100),
                    ("cihui", 1800),
                    ("jiangjunlu", 1800),
                    ("jinyinhu", 1800),
                    ("baiquan", 1400),
                    ("xingouzhen", 1100),
                    ("wujiashan", 1100),
                    ("xinandu", 900),
                    ("dongshan", 900),
                    ("changqinghuayuan", 900),
                ]
                .into_iter()
                .chain(each(&offices, 2000))
                .collect(),
            ),
            ("1.2.1.policy_events", vec![("tuanquwei", 2), ("rsj", 2)]),
            (
                "1.2.1.interns",
                vec![
                    ("tuanquwei", 80),
                    ("rsj", 80),
                    ("jkj", 70),
                    ("xiandaifuwu", 70),
                ],
            ),
            (
                "1.3.3.students",
                vec![
                    ("tuanquwei", 100),
                    ("rsj", 100),
                    ("jkj", 100),
                    ("kfzx", 100),
                    ("xiandaifuwu", 100),
                ],
            ),
            (
                "2.1.2.projects",
                [("swj", 5), ("jkj", 3), ("fgj", 3), ("nyncj", 5)]
                    .into_iter()
                    .chain(each(&offices, 2))
                    .collect(),
            ),
            (
                "2.2.1.guidance",
                vec![
                    ("changqing", 65),
                    ("jinyinhu", 65),
                    ("wujiashan", 65),
                    ("jiangjunlu", 50),
                    ("cihui", 35),
                    ("jinghe", 35),
                    ("zoumaling", 35),
                    ("baiquan", 30),
                    ("changqinghuayuan", 45),
                    ("xinandu", 25),
                    ("xingouzhen", 25),
                    ("dongshan", 25),
                ],
            ),
            ("2.5.1.promotion_events", each(&streets, 1)),
            (
                "2.5.2.selected_projects",
                [("jkj", 1), ("wlj", 1), ("swj", 1)]
                    .into_iter()
                    .chain(each(&streets, 1))
                    .chain(each(&offices, 1))
                    .collect(),
            ),
            (
                "2.5.3.showcase_cases",
                [("nyncj", 5)]
                    .into_iter()
                    .chain(each(&streets, 1))
                    .collect(),
            ),
            ("2.5.4.community_job_events", each(&streets, 1)),
        ];
        let plan = plan();
        let mut actual: Vec<(&str, Vec<(&str, i64)>)> = plan
            .indicators()
            .filter(|(_, i)| !i.quotas.is_empty())
            .map(|(_, i)| {
                (
                    i.code.as_str(),
                    i.quotas
                        .iter()
                        .map(|q| (q.unit.as_str(), q.target / 100))
                        .collect(),
                )
            })
            .collect();
        for (_, quotas) in expected.iter_mut().chain(actual.iter_mut()) {
            quotas.sort();
        }
        expected.sort();
        actual.sort();
        assert_eq!(actual, expected);
    }

    #[test]
    fn reports_are_due_three_working_days_after_the_quarter_and_on_5_december() {
        let plan = plan();
        assert_eq!(plan.reporting.quarterly_due_working_days, 3);
        assert_eq!(plan.reporting.annual_due, (12, 5));
    }
}

/// The indicator of SMALL turned into one the seed gives no number for.
fn activity_plan(extra: &str) -> String {
    SMALL
        .replace("comparator = \"at_least\"", "comparator = \"activity\"")
        .replace("target = 100\n", extra)
        .replace(
            "quotas = { jinghe = 100 }\nquotas_sum_to_target = true\n",
            "",
        )
}

#[test]
fn a_task_without_a_number_in_the_seed_gets_an_activity_indicator_with_no_target() {
    let plan = Plan::parse(&activity_plan("")).unwrap();
    let indicator = &plan.tasks[0].indicators[0];
    assert_eq!(indicator.comparator, Comparator::Activity);
    assert_eq!(indicator.comparator.label(), "无目标值");
    assert_eq!(indicator.target, None);
    assert!(indicator.quotas.is_empty());
}

#[test]
fn an_activity_indicator_may_not_carry_a_target_or_quotas() {
    let with_target = errors_of(&activity_plan("target = 5\n"));
    assert!(
        with_target
            .iter()
            .any(|e| e.path.ends_with(".target") && e.message.contains("无目标值")),
        "{with_target:?}"
    );
    let with_quotas = errors_of(&activity_plan("quotas = { jinghe = 1 }\n"));
    assert!(
        with_quotas
            .iter()
            .any(|e| e.message.contains("不能分解到单位")),
        "{with_quotas:?}"
    );
}

#[test]
fn every_other_indicator_must_give_its_target() {
    let text = SMALL
        .replace("target = 100\n", "")
        .replace("quotas_sum_to_target = true\n", "");
    let errors = errors_of(&text);
    assert!(
        errors
            .iter()
            .any(|e| e.path == "tasks[1.1.1].indicators[1.1.1.positions]"
                && e.message.contains("缺少 target")),
        "{errors:?}"
    );
}
