use super::*;

fn plan() -> Plan {
    crate::plan::dongxihu()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn draft(students: &str) -> VisitDraft {
    VisitDraft {
        title: "2025 学子东西湖行·网安专场".into(),
        visited_on: "2025-07-10".into(),
        assisted: true,
        stops: vec![
            StopDraft {
                kind: "park_tour".into(),
                place: "国家网络安全人才与创新基地".into(),
            },
            StopDraft {
                kind: "政策解读会".into(),
                place: "临空港大厦".into(),
            },
            StopDraft::default(),
        ],
        students: student_lines(students),
        note: String::new(),
    }
}

#[test]
fn the_five_quota_units_organise_visits_and_the_culture_bureau_only_assists() {
    let plan = plan();
    let mut units = organisers(&plan);
    units.sort_unstable();
    assert_eq!(units, ["jkj", "kfzx", "rsj", "tuanquwei", "xiandaifuwu"]);
    assert!(!organisers(&plan).contains(&ASSISTING_UNIT));
    assert!(is_lead(&plan, "tuanquwei"));
    assert!(!is_lead(&plan, "rsj"));
}

#[test]
fn a_visit_with_its_stops_and_students_typed_one_a_line_is_taken() {
    let visit = validate_visit(
        &plan(),
        &draft("张三，武汉大学，网络空间安全，大三\n\n李四,华中科技大学,软件工程,研一"),
        day(2025, 7, 10),
    )
    .unwrap();
    assert_eq!(visit.stops.len(), 2);
    assert_eq!(visit.stops[1].kind, StopKind::PolicyBriefing);
    assert_eq!(visit.students.len(), 2);
    assert_eq!(visit.students[1].school, "华中科技大学");
    assert!(visit.assisted);
}

#[test]
fn the_same_student_twice_in_one_visit_is_refused_naming_both_lines() {
    let errors = validate_visit(
        &plan(),
        &draft("张三，武汉大学，网络空间安全，大三\n李四,华中科技大学,软件工程,研一\n张三 ,武汉大学, 网络空间安全,大四"),
        day(2025, 7, 10),
    )
    .unwrap_err();
    let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(
        shown[0].starts_with("参与学生：第 3 行：与第 1 行是同一名学生"),
        "{shown:?}"
    );
}

#[test]
fn a_student_already_on_the_visit_is_refused_when_a_list_is_added() {
    let key = StudentKey::of("张三", "武汉大学", "网络空间安全");
    let rows = vec![(
        4,
        StudentDraft {
            name: "张三".into(),
            school: "武汉大学".into(),
            major: "网络空间安全".into(),
            grade: "大三".into(),
        },
    )];
    let errors = checked_students(&rows, &[key], "行").unwrap_err();
    assert!(
        errors[0]
            .message
            .starts_with("第 4 行：张三（武汉大学 网络空间安全）已在本次活动名单中")
    );
}

#[test]
fn every_wrong_field_of_a_visit_is_named() {
    let mut bad = draft("王五，江汉大学");
    bad.title = String::new();
    bad.visited_on = "2025-07-11".into();
    bad.stops = vec![StopDraft {
        kind: String::new(),
        place: "径河工业园".into(),
    }];
    let errors = validate_visit(&plan(), &bad, day(2025, 7, 10)).unwrap_err();
    let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        shown,
        [
            "活动名称：不能为空",
            "活动日期：2025-07-11 晚于今天",
            "行程：第 1 站：请选择类别",
            "参与学生：第 1 行：专业不能为空；年级不能为空",
        ]
    );
    let mut none = draft("");
    none.stops.clear();
    none.visited_on = "2024-12-31".into();
    let shown: Vec<String> = validate_visit(&plan(), &none, day(2025, 7, 10))
        .unwrap_err()
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(shown.len(), 3, "{shown:?}");
    assert!(shown[0].contains("不在行动方案的年度内"));
}

#[test]
fn a_student_counts_once_a_year_per_unit_on_the_first_visit() {
    let key = |n: &str| StudentKey::of(n, "武汉大学", "软件工程");
    let visit = |id, unit: &str, d, names: &[&str]| CountedVisit {
        id,
        unit: unit.into(),
        visited_on: d,
        students: names.iter().map(|n| key(n)).collect(),
    };
    let counted = counted_students(&[
        visit(2, "rsj", day(2025, 8, 1), &["甲", "乙"]),
        visit(1, "rsj", day(2025, 7, 1), &["甲"]),
        visit(3, "jkj", day(2025, 8, 1), &["甲"]),
        visit(4, "rsj", day(2026, 3, 1), &["甲", "乙"]),
        visit(5, "rsj", day(2026, 4, 1), &["乙"]),
    ]);
    assert_eq!(
        counted,
        [
            (1, "rsj".into(), day(2025, 7, 1), 1),
            (2, "rsj".into(), day(2025, 8, 1), 1),
            (3, "jkj".into(), day(2025, 8, 1), 1),
            (4, "rsj".into(), day(2026, 3, 1), 2),
        ]
    );
}

#[test]
fn a_student_is_the_same_whatever_the_width_and_spaces_typed() {
    assert_eq!(
        StudentKey::of(" 张 三", "武汉大学", "ＡＩ 专业"),
        StudentKey::of("张三", "武汉大学 ", "AI专业")
    );
}
