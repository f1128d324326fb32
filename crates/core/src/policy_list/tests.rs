use super::*;
use crate::rules::DONGXIHU;

fn plan() -> Plan {
    crate::plan::dongxihu()
}

fn rules() -> RuleBook {
    RuleBook::parse(DONGXIHU).unwrap()
}

fn draft() -> PolicyEntryDraft {
    PolicyEntryDraft {
        title: " 一次性创业补贴 ".into(),
        document_number: "  ".into(),
        issuer: "武汉市东西湖区人民政府办公室".into(),
        effective_from: "2025-01-01".into(),
        effective_to: "2027/12/31".into(),
        audiences: vec!["graduate".into(), "返乡创业人员".into()],
        benefit: "给予一次性创业补贴。".into(),
        conditions: "首次创办小微企业，正常经营 6 个月以上。".into(),
        documents: "营业执照\n\n  身份证  \n".into(),
        handling_unit: "rsj".into(),
        rule_id: "startup_subsidy".into(),
    }
}

fn fields(draft: &PolicyEntryDraft) -> Vec<&'static str> {
    parse_entry(&plan(), &rules(), draft)
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect()
}

#[test]
fn a_complete_entry_is_trimmed_and_parsed() {
    let entry = parse_entry(&plan(), &rules(), &draft()).unwrap();
    assert_eq!(entry.title, "一次性创业补贴");
    assert_eq!(entry.document_number, "");
    assert_eq!(entry.effective_to, NaiveDate::from_ymd_opt(2027, 12, 31));
    assert_eq!(
        entry.audiences,
        vec![Audience::Graduate, Audience::Returnee]
    );
    assert_eq!(entry.documents, vec!["营业执照", "身份证"]);
    assert_eq!(entry.rule_id.as_deref(), Some("startup_subsidy"));
}

#[test]
fn an_entry_round_trips_through_its_form() {
    let entry = parse_entry(&plan(), &rules(), &draft()).unwrap();
    assert_eq!(parse_entry(&plan(), &rules(), &entry.to_draft()), Ok(entry));
}

#[test]
fn title_issuer_benefit_and_conditions_are_required() {
    let mut d = draft();
    d.title = " ".into();
    d.issuer = String::new();
    d.benefit = String::new();
    d.conditions = String::new();
    assert_eq!(
        fields(&d),
        vec!["政策名称", "发文单位", "享受内容", "申请条件"]
    );
}

#[test]
fn the_effective_date_is_required_and_must_be_a_date() {
    let mut d = draft();
    d.effective_from = String::new();
    assert_eq!(fields(&d), vec!["生效日期"]);
    d.effective_from = "明年".into();
    let errors = parse_entry(&plan(), &rules(), &d).unwrap_err();
    assert_eq!(errors[0].field, "生效日期");
    assert!(errors[0].message.contains("明年"), "{}", errors[0].message);
}

#[test]
fn the_end_date_may_be_empty_but_not_before_the_start() {
    let mut d = draft();
    d.effective_to = String::new();
    assert_eq!(
        parse_entry(&plan(), &rules(), &d).unwrap().effective_to,
        None
    );
    d.effective_to = "2024-12-31".into();
    assert_eq!(fields(&d), vec!["截止日期"]);
    d.effective_to = "2025-13-01".into();
    assert_eq!(fields(&d), vec!["截止日期"]);
}

#[test]
fn at_least_one_known_audience_is_required() {
    let mut d = draft();
    d.audiences = vec![];
    let errors = parse_entry(&plan(), &rules(), &d).unwrap_err();
    assert_eq!(errors[0].field, "适用对象");
    assert!(
        errors[0].message.contains("用人单位"),
        "{}",
        errors[0].message
    );
    d.audiences = vec!["farmer".into()];
    assert_eq!(fields(&d), vec!["适用对象"]);
}

#[test]
fn the_same_audience_ticked_twice_counts_once() {
    let mut d = draft();
    d.audiences = vec!["employer".into(), "用人单位".into()];
    let entry = parse_entry(&plan(), &rules(), &d).unwrap();
    assert_eq!(entry.audiences, vec![Audience::Employer]);
}

#[test]
fn the_handling_unit_must_be_a_unit_of_the_plan() {
    let mut d = draft();
    d.handling_unit = "nowhere".into();
    assert_eq!(fields(&d), vec!["经办单位"]);
    d.handling_unit = String::new();
    assert_eq!(fields(&d), vec!["经办单位"]);
}

#[test]
fn an_unknown_rule_id_is_refused_with_the_valid_ids_listed() {
    let mut d = draft();
    d.rule_id = "free_money".into();
    let errors = parse_entry(&plan(), &rules(), &d).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "计算规则");
    for id in ["startup_subsidy", "hiring_subsidy", "expansion_subsidy"] {
        assert!(errors[0].message.contains(id), "{}", errors[0].message);
    }
    d.rule_id = " ".into();
    assert_eq!(parse_entry(&plan(), &rules(), &d).unwrap().rule_id, None);
}

#[test]
fn too_many_documents_are_refused() {
    let mut d = draft();
    d.documents = (0..31).map(|i| format!("材料{i}\n")).collect();
    assert_eq!(fields(&d), vec!["申请材料"]);
}

#[test]
fn an_entry_drops_off_the_public_list_after_its_end_date() {
    let entry = parse_entry(&plan(), &rules(), &draft()).unwrap();
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert!(entry.current_or_coming(day(2024, 6, 1)));
    assert!(entry.current_or_coming(day(2027, 12, 31)));
    assert!(!entry.current_or_coming(day(2028, 1, 1)));
}

#[test]
fn a_new_version_names_the_fields_it_changed() {
    let before = parse_entry(&plan(), &rules(), &draft()).unwrap();
    let mut d = draft();
    d.benefit = "给予一次性创业补贴 5000 元。".into();
    d.effective_to = String::new();
    let after = parse_entry(&plan(), &rules(), &d).unwrap();
    assert_eq!(
        changed_fields(&before, &after),
        vec!["截止日期", "享受内容"]
    );
    assert!(changed_fields(&before, &before).is_empty());
}

#[test]
fn a_draft_or_withdrawn_entry_is_published_and_only_a_published_one_withdrawn() {
    assert_eq!(PolicyStatus::Draft.publish(), Ok(PolicyStatus::Published));
    assert_eq!(
        PolicyStatus::Withdrawn.publish(),
        Ok(PolicyStatus::Published)
    );
    assert!(PolicyStatus::Published.publish().is_err());
    assert_eq!(
        PolicyStatus::Published.withdraw(),
        Ok(PolicyStatus::Withdrawn)
    );
    assert!(PolicyStatus::Draft.withdraw().is_err());
    assert!(PolicyStatus::Withdrawn.withdraw().is_err());
}
