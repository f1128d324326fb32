use super::*;
use crate::plan::Plan;

const PLAN: &str = include_str!("../../../../plans/dongxihu-2025-2027.toml");

fn plan() -> Plan {
    Plan::parse(PLAN).unwrap()
}

fn good() -> GigDraft {
    GigDraft {
        title: "仓库临时分拣".into(),
        work_street: "jinghe".into(),
        pay_basis: "day".into(),
        rate: "180".into(),
        starts_on: "2025-09-01".into(),
        ends_on: "2025-09-07".into(),
        headcount: "6".into(),
        contact_name: "王师傅".into(),
        contact_phone: "13800138000".into(),
        note: "管午饭".into(),
    }
}

fn fields(draft: &GigDraft) -> Vec<&'static str> {
    validate_gig(&plan(), draft)
        .unwrap_err()
        .iter()
        .map(|e| e.field)
        .collect()
}

#[test]
fn a_week_of_sorting_at_180_a_day_is_a_gig() {
    let gig = validate_gig(&plan(), &good()).unwrap();
    assert_eq!(gig.rate_fen, 18_000);
    assert_eq!(rate_label(gig.rate_fen, gig.pay_basis), "180 元/天");
    assert_eq!(rate_label(80, PayBasis::Piece), "0.8 元/件");
    assert_eq!(rate_label(1_205, PayBasis::Piece), "12.05 元/件");
}

#[test]
fn a_gig_longer_than_30_days_is_refused_naming_the_end_date() {
    let mut draft = good();
    draft.ends_on = "2025-10-01".into();
    let errors = validate_gig(&plan(), &draft).unwrap_err();
    assert_eq!(errors[0].field, "结束日期");
    assert!(
        errors[0].message.contains("最长 30 天"),
        "{}",
        errors[0].message
    );
    draft.ends_on = "2025-09-30".into();
    assert!(
        validate_gig(&plan(), &draft).is_ok(),
        "30 days in all is allowed"
    );
    draft.ends_on = "2025-08-31".into();
    assert_eq!(fields(&draft), ["结束日期"]);
}

#[test]
fn every_wrong_field_of_a_gig_is_named() {
    let draft = GigDraft {
        title: "x".into(),
        work_street: "wuhan".into(),
        pay_basis: "month".into(),
        rate: "-3".into(),
        starts_on: "soon".into(),
        headcount: "0".into(),
        contact_phone: "123".into(),
        note: "很".repeat(201),
        ..GigDraft::default()
    };
    assert_eq!(
        fields(&draft),
        [
            "零工名称",
            "工作街道",
            "计酬方式",
            "工价",
            "开始日期",
            "招用人数",
            "联系人",
            "联系电话",
            "备注"
        ]
    );
}

#[test]
fn a_rate_takes_at_most_two_decimals() {
    assert_eq!(rate_fen("0.8"), Ok(80));
    assert_eq!(rate_fen("12.05"), Ok(1_205));
    assert!(rate_fen("1.234").is_err());
    assert!(rate_fen("0").is_err());
    assert!(rate_fen("5000.01").is_err());
    assert!(rate_fen("1e3").is_err());
}

#[test]
fn only_a_streets_staff_post_gigs_for_their_station() {
    let plan = plan();
    let staff = crate::access::test_actors::staff("jinghe");
    assert_eq!(gig_station(&plan, &staff), Ok("jinghe".into()));
    let office = crate::access::test_actors::staff("rsj");
    assert!(gig_station(&plan, &office).is_err());
    assert_eq!(station_name("径河街道"), "径河街道零工驿站");
}

#[test]
fn a_gig_is_open_until_its_last_day_unless_closed() {
    let day = |d| NaiveDate::from_ymd_opt(2025, 9, d).unwrap();
    assert!(gig_is_open(false, day(7), day(7)));
    assert!(!gig_is_open(false, day(7), day(8)));
    assert!(!gig_is_open(true, day(7), day(1)));
}
