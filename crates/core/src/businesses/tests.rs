use super::*;

fn plan() -> Plan {
    crate::plan::dongxihu()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A USCC of 东西湖区 with its GB 32100 check character.
fn uscc(body: &str) -> String {
    const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let first17 = format!("92420112{body}");
    let sum: usize = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| CHARSET.find(c).unwrap() * w)
        .sum();
    let check = CHARSET.as_bytes()[(31 - sum % 31) % 31] as char;
    format!("{first17}{check}")
}

const FOUNDER: &str = "420112199001011239";

fn draft() -> BusinessDraft {
    BusinessDraft {
        name: "柏泉农庄民宿".into(),
        uscc: uscc("MA4K0001X"),
        licensed_on: "2025-03-18".into(),
        legal_form: "个体工商户".into(),
        section: "H".into(),
        forms: vec!["homestay".into(), "rural_tourism".into(), "homestay".into()],
        street: "柏泉".into(),
        site: "柏泉茅庙集".into(),
        founders: FOUNDER.into(),
        keep_founders: false,
    }
}

fn fields(errors: &[FieldError]) -> Vec<&'static str> {
    errors.iter().map(|e| e.field).collect()
}

#[test]
fn a_business_with_every_field_right_is_accepted_with_its_forms_once_each() {
    let today = day(2025, 10, 10);
    assert!(
        ResidentId::parse(FOUNDER).is_ok(),
        "the test's founder ID is valid"
    );
    let valid = validate_business(&plan(), &draft(), today).unwrap();
    assert_eq!(valid.street_code, "baiquan");
    assert_eq!(valid.legal_form, LegalForm::IndividualBusiness);
    assert_eq!(valid.section.letter(), 'H');
    assert_eq!(
        valid.forms,
        [BusinessForm::Homestay, BusinessForm::RuralTourism]
    );
    assert_eq!(valid.founders.len(), 1);
}

#[test]
fn an_invalid_uscc_is_refused_citing_gb_32100() {
    let mut bad = draft();
    let mut code = uscc("MA4K0001X");
    let last = code.pop().unwrap();
    code.push(if last == '0' { '1' } else { '0' });
    bad.uscc = code;
    let errors = validate_business(&plan(), &bad, day(2025, 10, 10)).unwrap_err();
    assert_eq!(fields(&errors), ["统一社会信用代码"]);
    assert!(errors[0].message.contains("校验位"), "{errors:?}");
}

#[test]
fn a_licence_date_in_the_future_or_before_1990_is_refused() {
    let today = day(2025, 10, 10);
    assert_eq!(
        licence_day("2025-10-11", today),
        Err("2025-10-11 晚于今天".into())
    );
    assert_eq!(
        licence_day("1989-12-31", today),
        Err("1989-12-31 早于 1990 年".into())
    );
    assert_eq!(licence_day("1990-01-01", today), Ok(day(1990, 1, 1)));
    let mut bad = draft();
    bad.licensed_on = "2026-01-01".into();
    assert_eq!(
        fields(&validate_business(&plan(), &bad, today).unwrap_err()),
        ["登记日期"]
    );
}

#[test]
fn every_wrong_field_is_named_in_the_forms_order() {
    let bad = BusinessDraft {
        name: String::new(),
        uscc: "123".into(),
        licensed_on: "昨天".into(),
        legal_form: "公司".into(),
        section: "Z".into(),
        forms: vec!["航天".into()],
        street: "汉口".into(),
        site: String::new(),
        founders: String::new(),
        keep_founders: false,
    };
    let errors = validate_business(&plan(), &bad, day(2025, 10, 10)).unwrap_err();
    assert_eq!(
        fields(&errors),
        [
            "名称",
            "统一社会信用代码",
            "登记日期",
            "组织形式",
            "行业门类",
            "新业态",
            "所在街道",
            "创办人"
        ]
    );
}

#[test]
fn founders_are_named_by_position_when_wrong_or_repeated() {
    let mut errors = Vec::new();
    let typed = format!("{FOUNDER}\n420112199001011230、{FOUNDER}");
    let ids = resident_ids(&mut errors, "创办人", &typed, 10, day(2025, 10, 10));
    assert_eq!(ids.len(), 1);
    assert_eq!(errors.len(), 2);
    assert!(errors[0].message.starts_with("第2个："), "{errors:?}");
    assert_eq!(errors[1].message, "第3个号码重复");
    let mut errors = Vec::new();
    let many = [FOUNDER; 11].join(",");
    resident_ids(&mut errors, "创办人", &many, 10, day(2025, 10, 10));
    assert_eq!(errors[0].message, "最多 10 人");
}

#[test]
fn the_insured_cannot_outnumber_the_headcount() {
    let (licensed, today) = (day(2025, 3, 18), day(2025, 10, 10));
    assert_eq!(
        validate_employment("2025-09-30", "8", "5", licensed, today),
        Ok(Employment {
            on: day(2025, 9, 30),
            headcount: 8,
            insured: 5
        })
    );
    let errors = validate_employment("2025-09-30", "3", "5", licensed, today).unwrap_err();
    assert_eq!(fields(&errors), ["参保人数"]);
    assert_eq!(errors[0].message, "参保人数（5）不能多于从业人数（3）");
}

#[test]
fn an_employment_snapshot_is_dated_between_the_licence_and_today() {
    let (licensed, today) = (day(2025, 3, 18), day(2025, 10, 10));
    let errors = validate_employment("2025-03-17", "-1", "x", licensed, today).unwrap_err();
    assert_eq!(fields(&errors), ["统计日期", "从业人数", "参保人数"]);
    let errors = validate_employment("2025-10-11", "1", "0", licensed, today).unwrap_err();
    assert_eq!(errors[0].message, "2025-10-11 晚于今天");
}

#[test]
fn a_business_closes_with_a_reason_and_stays_closed() {
    let (licensed, today) = (day(2025, 3, 18), day(2025, 10, 10));
    let open = BusinessStatus::Operating;
    let errors = status_change(open, "closed", "2025-09-01", " ", licensed, today).unwrap_err();
    assert_eq!(fields(&errors), ["关闭原因"]);
    let closed = status_change(open, "已关闭", "2025-09-01", "客源不足", licensed, today).unwrap();
    assert_eq!(closed.status, BusinessStatus::Closed);
    assert_eq!(closed.reason, "客源不足");
    let errors = status_change(
        BusinessStatus::Closed,
        "operating",
        "2025-09-02",
        "",
        licensed,
        today,
    )
    .unwrap_err();
    assert_eq!(errors[0].message, "当前为“已关闭”，不能改为“正常经营”");
    assert!(BusinessStatus::Operating.may_become(BusinessStatus::Suspended));
    assert!(BusinessStatus::Suspended.may_become(BusinessStatus::Operating));
    assert!(!BusinessStatus::Operating.may_become(BusinessStatus::Operating));
}

#[test]
fn vocabularies_parse_by_code_or_label() {
    assert_eq!(
        LegalForm::parse("农民专业合作社"),
        Ok(LegalForm::Cooperative)
    );
    assert_eq!(
        BusinessForm::parse("live_commerce"),
        Ok(BusinessForm::LiveCommerce)
    );
    assert_eq!(BusinessForm::ALL.len(), 8);
    assert!(LegalForm::parse("股份公司").is_err());
}

#[test]
fn a_change_that_leaves_the_founders_empty_keeps_them() {
    let kept = BusinessDraft {
        founders: " ".into(),
        keep_founders: true,
        ..draft()
    };
    let valid = validate_business(&plan(), &kept, day(2025, 10, 10)).unwrap();
    assert!(valid.founders.is_empty());
    let new = BusinessDraft {
        founders: String::new(),
        ..draft()
    };
    let errors = validate_business(&plan(), &new, day(2025, 10, 10)).unwrap_err();
    assert_eq!(fields(&errors), ["创办人"]);
}
