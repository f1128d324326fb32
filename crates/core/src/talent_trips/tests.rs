use super::*;

fn plan() -> Plan {
    crate::plan::dongxihu()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn trip() -> TripDraft {
    TripDraft {
        destination: "西安".into(),
        departed_on: "2025-10-20".into(),
        returned_on: "2025-10-23".into(),
        partners: vec!["gaoxin".into(), "jinghe".into()],
        fairs: vec![
            FairDraft {
                school: "西安电子科技大学".into(),
                held_on: "2025-10-21".into(),
            },
            FairDraft::default(),
        ],
        note: String::new(),
    }
}

#[test]
fn rsj_leads_and_the_streets_and_industry_offices_join_trips() {
    let plan = plan();
    let units = trip_units(&plan);
    assert_eq!(units[0], "rsj");
    assert!(units.contains(&"gaoxin") && units.contains(&"jinghe"));
    assert!(!units.contains(&"tuanquwei"));
    assert!(is_lead(&plan, "rsj"));
}

#[test]
fn a_trip_to_another_city_with_a_fair_within_its_days_is_taken() {
    let t = validate_trip(&plan(), "rsj", &trip(), day(2025, 11, 1)).unwrap();
    assert_eq!(
        t.fairs,
        [Fair {
            school: "西安电子科技大学".into(),
            held_on: day(2025, 10, 21)
        }]
    );
    assert_eq!(t.partners, ["gaoxin", "jinghe"]);
}

#[test]
fn every_wrong_field_of_a_trip_is_named() {
    let mut bad = trip();
    bad.destination = "武汉市".into();
    bad.partners = vec!["rsj".into(), "tuanquwei".into()];
    bad.fairs[0].held_on = "2025-10-25".into();
    let shown: Vec<String> = validate_trip(&plan(), "rsj", &bad, day(2025, 11, 1))
        .unwrap_err()
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(
        shown,
        [
            "目的地城市：揽才团赴市外高校招聘，目的地不能是武汉",
            "参与单位：组织单位不必再列为参与单位",
            "参与单位：单位“tuanquwei”不是任务 1.1.3 的责任单位",
            "高校招聘会：第 1 场：2025-10-25 不在揽才团行程（2025-10-20 至 2025-10-23）之内",
        ]
    );
    let mut back_first = trip();
    back_first.returned_on = "2025-10-19".into();
    back_first.fairs.clear();
    let shown: Vec<String> = validate_trip(&plan(), "rsj", &back_first, day(2025, 11, 1))
        .unwrap_err()
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(
        shown,
        [
            "返回日期：2025-10-19 早于出发日期 2025-10-20",
            "高校招聘会：至少填写一场参加的高校招聘会",
        ]
    );
}

#[test]
fn an_employer_joins_a_delegation_once_offering_at_least_one_post() {
    let ok = validate_delegate(
        &DelegateDraft {
            employer: "7".into(),
            posts: "12".into(),
            cvs: "0".into(),
        },
        &[3],
    )
    .unwrap();
    assert_eq!((ok.employer_id, ok.posts, ok.cvs), (7, 12, 0));
    let shown: Vec<String> = validate_delegate(
        &DelegateDraft {
            employer: "3".into(),
            posts: "0".into(),
            cvs: "-1".into(),
        },
        &[3],
    )
    .unwrap_err()
    .iter()
    .map(|e| e.to_string())
    .collect();
    assert_eq!(
        shown,
        [
            "用人单位：该用人单位已在本次揽才团中",
            "提供岗位数：至少为 1",
            "收到简历数：数量“-1”不能为负数",
        ]
    );
}

#[test]
fn a_hire_is_traced_to_a_trip_only_by_a_delegation_employer_within_a_year_of_departure() {
    let hire = |employer: &str, on: &str, application: &str| HireDraft {
        name: "陈晓".into(),
        employer: employer.into(),
        hired_on: on.into(),
        application: application.into(),
    };
    let departed = day(2025, 10, 20);
    let today = day(2026, 12, 1);
    let ok = validate_hire(&hire("7", "2026-03-01", "15"), &[7], departed, today).unwrap();
    assert_eq!(ok.application_id, Some(15));
    let shown = |draft: HireDraft| -> Vec<String> {
        validate_hire(&draft, &[7], departed, today)
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect()
    };
    assert_eq!(
        shown(hire("8", "2025-10-19", "x")),
        [
            "用人单位：该用人单位不在本次揽才团中",
            "录用日期：2025-10-19 早于揽才团出发日期 2025-10-20",
            "求职申请编号：“x”不是申请编号",
        ]
    );
    assert_eq!(
        shown(hire("7", "2026-10-21", "")),
        ["录用日期：2026-10-21 已超过出发后 365 天，不能再计为揽才团引才"]
    );
}
