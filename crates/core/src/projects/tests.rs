use super::*;

fn plan() -> Plan {
    crate::plan::dongxihu()
}

fn draft() -> ProjectDraft {
    ProjectDraft {
        name: "稻虾共作生态种养".into(),
        section: "A".into(),
        investment_min: "20".into(),
        investment_max: "50.5".into(),
        expected_jobs: "8".into(),
        outlook: "小龙虾市场需求稳定，可与乡村旅游结合。".into(),
        site_needs: "水田 50 亩".into(),
        policies: "一次性创业补贴；创业担保贷款".into(),
        source_unit: "nyncj".into(),
        agricultural: true,
    }
}

fn fields(errors: &[FieldError]) -> Vec<&'static str> {
    errors.iter().map(|e| e.field).collect()
}

#[test]
fn the_units_with_a_2_1_2_quota_and_the_lead_unit_collect_projects() {
    let plan = plan();
    let units = source_units(&plan);
    for unit in ["swj", "jkj", "fgj", "nyncj", "gaoxin", "shiyao", "rsj"] {
        assert!(units.contains(&unit), "{unit}");
    }
    assert!(!units.contains(&"jinghe"));
    assert_eq!(units.len(), 11);
}

#[test]
fn a_project_with_every_field_right_is_accepted() {
    let valid = validate_project(&plan(), &draft()).unwrap();
    assert_eq!(valid.section.letter(), 'A');
    assert_eq!(valid.investment_min, Quantity::whole(20));
    assert_eq!(valid.investment_max.hundredths(), 50_50);
    assert_eq!(valid.expected_jobs, 8);
    assert!(valid.agricultural);
    assert_eq!(
        valid.outlook, "小龙虾市场需求稳定，可与乡村旅游结合。",
        "punctuation kept"
    );
}

#[test]
fn an_investment_minimum_above_the_maximum_is_refused() {
    let mut bad = draft();
    bad.investment_min = "80".into();
    let errors = validate_project(&plan(), &bad).unwrap_err();
    assert_eq!(fields(&errors), ["投资上限（万元）"]);
    assert_eq!(errors[0].message, "上限（50.5）不能小于下限（80）");
}

#[test]
fn every_wrong_field_is_named_and_a_street_is_not_a_source_unit() {
    let bad = ProjectDraft {
        name: " ".into(),
        section: "乡村振兴".into(),
        investment_min: "-1".into(),
        investment_max: "200000".into(),
        expected_jobs: "很多".into(),
        outlook: String::new(),
        site_needs: "场".repeat(201),
        policies: String::new(),
        source_unit: "jinghe".into(),
        agricultural: false,
    };
    let errors = validate_project(&plan(), &bad).unwrap_err();
    assert_eq!(
        fields(&errors),
        [
            "项目名称",
            "所属行业",
            "投资下限（万元）",
            "投资上限（万元）",
            "预计带动就业（人）",
            "市场前景",
            "场地需求",
            "收集单位"
        ]
    );
}

#[test]
fn collected_projects_are_screened_in_or_dropped_then_published_then_adopted() {
    use ProjectStatus::*;
    let drop = ProjectStep::Drop {
        reason: "市场饱和".into(),
    };
    assert_eq!(Collected.after(&ProjectStep::ScreenIn), Ok(ScreenedIn));
    assert_eq!(Collected.after(&drop), Ok(Dropped));
    assert_eq!(ScreenedIn.after(&ProjectStep::Publish), Ok(Published));
    assert_eq!(Published.after(&ProjectStep::Adopt), Ok(Adopted));
    assert_eq!(Adopted.after(&ProjectStep::Adopt), Ok(Adopted));
    assert_eq!(
        Collected.after(&ProjectStep::Publish),
        Err("项目当前为“已收集”，不能发布".into())
    );
    assert!(Dropped.after(&ProjectStep::ScreenIn).is_err());
    assert!(ScreenedIn.after(&drop).is_err());
    assert!(ScreenedIn.after(&ProjectStep::Adopt).is_err());
}

#[test]
fn only_screened_in_projects_count_and_only_published_ones_are_public() {
    use ProjectStatus::*;
    let counted: Vec<_> = ProjectStatus::ALL
        .iter()
        .filter(|s| s.is_in_library())
        .collect();
    assert_eq!(counted, [&ScreenedIn, &Published, &Adopted]);
    let public: Vec<_> = ProjectStatus::ALL
        .iter()
        .filter(|s| s.is_public())
        .collect();
    assert_eq!(public, [&Published, &Adopted]);
    assert!(Collected.is_editable() && !ScreenedIn.is_editable());
}

#[test]
fn a_dropped_project_needs_a_reason() {
    assert_eq!(drop_reason("  ").unwrap_err().field, "不予入库原因");
    assert_eq!(drop_reason(" 与已有项目重复 ").unwrap(), "与已有项目重复");
}

#[test]
fn indicator_2_1_2_is_filled_by_the_projects_screened_in() {
    let plan = plan();
    let (_, indicator) = plan
        .indicators()
        .find(|(_, i)| i.code == "2.1.2.projects")
        .unwrap();
    assert_eq!(
        indicator.registry,
        Some(crate::registry::Registry::ProjectsScreenedIn)
    );
    assert_eq!(
        crate::registry::Registry::parse("projects.screened_in"),
        indicator.registry
    );
}
