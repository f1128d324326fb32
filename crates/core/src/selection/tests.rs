use super::*;
use crate::registry::Registry;

fn plan() -> Plan {
    crate::plan::dongxihu()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn fields(errors: &[FieldError]) -> Vec<&'static str> {
    errors.iter().map(|e| e.field).collect()
}

#[test]
fn the_21_units_with_a_2_5_2_quota_recommend() {
    let plan = plan();
    let units = recommending_units(&plan);
    assert_eq!(units.len(), 21);
    for unit in [
        "jkj",
        "wlj",
        "swj",
        "jinghe",
        "changqinghuayuan",
        "gaoxin",
        "shiyao",
    ] {
        assert!(units.contains(&unit), "{unit}");
    }
    assert!(!units.contains(&"rsj") && !units.contains(&"nyncj"));
}

#[test]
fn agricultural_entries_route_to_nyncj_and_the_others_to_rsj() {
    use BusinessForm::*;
    assert_eq!(route_of('A', &[]), Route::Agricultural);
    assert_eq!(route_of('A', &[RuralTourism]), Route::Agricultural);
    assert_eq!(
        route_of('F', &[LiveCommerce, ModernAgriculture]),
        Route::Agricultural,
        "a farm shop selling online"
    );
    assert_eq!(
        route_of('H', &[Homestay, RuralTourism, Wellness]),
        Route::Other
    );
    assert_eq!(route_of('I', &[TechInnovation]), Route::Other);
    assert_eq!(Route::Agricultural.lead(), "nyncj");
    assert_eq!(Route::Other.lead(), "rsj");
    assert_eq!(Route::led_by("nyncj"), Some(Route::Agricultural));
    assert_eq!(Route::led_by("jinghe"), None);
}

#[test]
fn the_route_leads_are_the_lead_units_of_2_5_2() {
    let plan = plan();
    let task = plan.tasks.iter().find(|t| t.code == TASK).unwrap();
    for route in Route::ALL {
        assert!(
            task.lead_units.iter().any(|l| l == route.lead()),
            "{route:?}"
        );
    }
}

#[test]
fn an_entry_is_shortlisted_or_not_then_sent_up_then_decided() {
    use EntryStatus::*;
    let send = EntryStep::SendUp { on: d(2025, 9, 1) };
    let selected = EntryStep::Outcome {
        selected: true,
        note: String::new(),
    };
    let not = EntryStep::Outcome {
        selected: false,
        note: "名额有限".into(),
    };
    let pass = EntryStep::Pass {
        note: "材料不全".into(),
    };
    assert_eq!(Recommended.after(&EntryStep::Shortlist), Ok(Shortlisted));
    assert_eq!(Recommended.after(&pass), Ok(NotShortlisted));
    assert_eq!(Shortlisted.after(&send), Ok(SentUp));
    assert_eq!(SentUp.after(&selected), Ok(Selected));
    assert_eq!(SentUp.after(&not), Ok(NotSelected));
    assert!(
        Recommended.after(&send).is_err(),
        "only the shortlist goes up"
    );
    assert!(NotShortlisted.after(&send).is_err());
    assert!(Selected.after(&not).is_err(), "decided once");
    assert!(Selected.is_decided() && !SentUp.is_decided());
}

#[test]
fn an_outcome_before_the_shortlist_was_sent_up_is_refused() {
    let outcome = EntryStep::Outcome {
        selected: true,
        note: String::new(),
    };
    for status in [EntryStatus::Recommended, EntryStatus::Shortlisted] {
        assert_eq!(
            status.after(&outcome),
            Err("尚未报送上级，不能登记遴选结果".into())
        );
    }
}

#[test]
fn a_recommendation_needs_a_business_a_title_and_a_reason() {
    let valid = validate_entry(&EntryDraft {
        business: " 12 ".into(),
        title: "稻虾共作生态种养".into(),
        reason: "带动周边 20 户农户增收，亩均效益翻番。".into(),
    })
    .unwrap();
    assert_eq!(valid.business_id, 12);
    let errors = validate_entry(&EntryDraft {
        business: "".into(),
        title: " ".into(),
        reason: "好".repeat(1001),
    })
    .unwrap_err();
    assert_eq!(fields(&errors), ["创业主体", "项目名称", "推荐理由"]);
    assert_eq!(errors[0].message, "请选择返区创业主体");
}

#[test]
fn a_closed_business_or_one_already_recommended_this_year_is_not_recommended_again() {
    assert!(recommendable(BusinessStatus::Operating, None).is_ok());
    assert!(recommendable(BusinessStatus::Suspended, None).is_ok());
    let closed = recommendable(BusinessStatus::Closed, None).unwrap_err();
    assert_eq!(
        (closed.field, closed.message.as_str()),
        ("创业主体", "已关闭的创业主体不能推荐")
    );
    let twice = recommendable(BusinessStatus::Operating, Some("径河街道")).unwrap_err();
    assert_eq!(twice.message, "本年度已由径河街道推荐，不能重复推荐");
}

#[test]
fn the_round_is_the_year_of_the_recommendation_within_the_plan() {
    let plan = plan();
    assert_eq!(round_year(&plan, d(2026, 3, 5)), Ok(2026));
    assert!(
        round_year(&plan, d(2028, 1, 2))
            .unwrap_err()
            .contains("2028")
    );
}

#[test]
fn the_shortlist_goes_up_on_a_day_of_the_rounds_year_not_in_the_future() {
    let today = d(2025, 10, 10);
    assert_eq!(sent_up_day("2025-09-30", 2025, today), Ok(d(2025, 9, 30)));
    let late = sent_up_day("2025-10-11", 2025, today).unwrap_err();
    assert_eq!(
        (late.field, late.message.as_str()),
        ("报送日期", "2025-10-11 晚于今天")
    );
    assert!(sent_up_day("2024-12-31", 2025, today).is_err());
    assert!(sent_up_day("", 2025, today).is_err());
}

#[test]
fn a_pass_needs_a_reason_and_an_outcome_note_is_optional() {
    assert_eq!(pass_note(" ").unwrap_err().field, "未入围原因");
    assert_eq!(pass_note(" 材料不全 ").unwrap(), "材料不全");
    assert_eq!(outcome_note("").unwrap(), "");
    assert_eq!(
        outcome_note(&"字".repeat(201)).unwrap_err().field,
        "结果说明"
    );
}

#[test]
fn indicator_2_5_2_is_filled_by_the_recommendations() {
    let plan = plan();
    let indicator = plan
        .indicator_filled_by(Registry::SelectionRecommendations)
        .unwrap();
    assert_eq!(indicator.code, "2.5.2.selected_projects");
    assert_eq!(
        Registry::parse("selection.recommendations"),
        Some(Registry::SelectionRecommendations)
    );
}

#[test]
fn the_round_checklist_shows_every_recommending_unit_with_its_entries() {
    let plan = plan();
    let list = round_checklist(&plan, &["jinghe", "wlj", "jinghe"]);
    assert_eq!(list.len(), 21);
    assert!(list.contains(&("jinghe", 2)) && list.contains(&("wlj", 1)));
    assert!(list.contains(&("shiyao", 0)));
}
