use chrono::NaiveDate;

use super::applications::{ApplicationKind, Stage, application_step, document, new_application};
use super::*;
use crate::registry::Registry;

fn plan() -> Plan {
    crate::plan::dongxihu()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn draft() -> CarrierDraft {
    CarrierDraft {
        kind: "incubation_base".into(),
        name: "临空港创业孵化基地".into(),
        operator: "武汉临空港创业服务有限公司".into(),
        address: "东西湖区金山大道 1 号".into(),
        street: "径河".into(),
        area: "5200.5".into(),
        places: "60".into(),
        rent: "".into(),
        rent_note: "入驻前两年免租金，第三年减半".into(),
        services: "工商注册代办、创业指导、融资对接".into(),
        level: "区级".into(),
        contact: "基地招商服务中心".into(),
        phone: "027－83891234".into(),
    }
}

fn fields(errors: &[FieldError]) -> Vec<&'static str> {
    errors.iter().map(|e| e.field).collect()
}

#[test]
fn a_carrier_with_every_field_right_is_accepted() {
    let valid = validate_carrier(&plan(), &draft()).unwrap();
    assert_eq!(valid.kind, CarrierKind::IncubationBase);
    assert_eq!(valid.street_code, "jinghe");
    assert_eq!(valid.area.hundredths(), 520_050);
    assert_eq!(valid.places, 60);
    assert_eq!(valid.rent, None);
    assert_eq!(valid.level, CarrierLevel::District);
    assert_eq!(valid.phone, "027-83891234");
    let priced = CarrierDraft {
        rent: "18.5".into(),
        rent_note: String::new(),
        ..draft()
    };
    let valid = validate_carrier(&plan(), &priced).unwrap();
    assert_eq!(valid.rent.map(|r| r.hundredths()), Some(1_850));
}

#[test]
fn negative_area_or_places_are_refused_naming_the_field() {
    let bad = CarrierDraft {
        area: "-20".into(),
        places: "-3".into(),
        ..draft()
    };
    let errors = validate_carrier(&plan(), &bad).unwrap_err();
    assert_eq!(fields(&errors), ["面积（㎡）", "工位/房间数"]);
    let none = CarrierDraft {
        area: "0".into(),
        places: "0".into(),
        ..draft()
    };
    let errors = validate_carrier(&plan(), &none).unwrap_err();
    assert_eq!(fields(&errors), ["面积（㎡）", "工位/房间数"]);
}

#[test]
fn every_wrong_field_of_a_carrier_is_named_in_the_forms_order() {
    let bad = CarrierDraft {
        kind: "写字楼".into(),
        name: " ".into(),
        street: "汉口".into(),
        rent: "abc".into(),
        level: "省级".into(),
        phone: "12345".into(),
        ..draft()
    };
    let errors = validate_carrier(&plan(), &bad).unwrap_err();
    assert_eq!(
        fields(&errors),
        [
            "载体类型",
            "载体名称",
            "所在街道",
            "租金（元/㎡·月）",
            "认定级别",
            "联系电话"
        ]
    );
}

#[test]
fn a_carrier_gives_its_rent_as_a_figure_or_in_words() {
    let unknown = CarrierDraft {
        rent: String::new(),
        rent_note: String::new(),
        ..draft()
    };
    let errors = validate_carrier(&plan(), &unknown).unwrap_err();
    assert_eq!(fields(&errors), ["租金（元/㎡·月）"]);
}

#[test]
fn the_portal_shows_an_office_landline_never_a_persons_mobile() {
    assert_eq!(office_phone("027-83891234").unwrap(), "027-83891234");
    let mobile = office_phone("13812345678").unwrap_err();
    assert!(mobile.contains("个人手机号码"), "{mobile}");
    let with_mobile = CarrierDraft {
        phone: "13812345678".into(),
        ..draft()
    };
    let errors = validate_carrier(&plan(), &with_mobile).unwrap_err();
    assert_eq!(fields(&errors), ["联系电话"]);
}

#[test]
fn places_may_not_be_lowered_below_the_businesses_in_the_carrier() {
    assert!(check_places(10, 10).is_ok());
    let error = check_places(8, 10).unwrap_err();
    assert_eq!(error.field, "工位/房间数");
    assert!(error.message.contains("10 家"), "{}", error.message);
}

#[test]
fn vacancies_are_the_places_less_the_businesses_in_the_carrier_now() {
    assert_eq!(vacancies(60, 45), 15);
    assert_eq!(vacancies(10, 10), 0);
    assert_eq!(vacancies(3, 5), 0);
}

fn stay(carrier: &str, moved_in_on: NaiveDate, out: Option<NaiveDate>) -> Stay {
    Stay {
        carrier_name: carrier.into(),
        moved_in_on,
        moved_out_on: out,
    }
}

fn check<'a>(stays: &'a [Stay], residents: i64) -> MoveIn<'a> {
    MoveIn {
        places: 10,
        residents,
        stays,
        closed: false,
        today: d(2025, 10, 10),
    }
}

#[test]
fn a_business_moves_into_a_carrier_with_a_free_place() {
    assert_eq!(move_in("2025-09-01", &check(&[], 9)), Ok(d(2025, 9, 1)));
}

#[test]
fn a_full_carrier_refuses_another_resident_naming_the_field() {
    let errors = move_in("2025-09-01", &check(&[], 10)).unwrap_err();
    assert_eq!(fields(&errors), ["入驻主体"]);
    assert!(errors[0].message.contains("载体已满"), "{errors:?}");
}

#[test]
fn a_business_is_in_one_carrier_at_a_time() {
    let stays = [stay("慈惠返乡创业园", d(2025, 3, 1), None)];
    let errors = move_in("2025-09-01", &check(&stays, 0)).unwrap_err();
    assert_eq!(fields(&errors), ["入驻主体"]);
    assert!(errors[0].message.contains("慈惠返乡创业园"), "{errors:?}");
}

#[test]
fn a_business_moves_in_again_only_from_the_day_it_moved_out() {
    let stays = [stay("慈惠返乡创业园", d(2025, 3, 1), Some(d(2025, 6, 30)))];
    let errors = move_in("2025-06-01", &check(&stays, 0)).unwrap_err();
    assert_eq!(fields(&errors), ["入驻日期"]);
    assert_eq!(move_in("2025-06-30", &check(&stays, 0)), Ok(d(2025, 6, 30)));
}

#[test]
fn a_closed_business_or_a_future_day_is_refused() {
    let closed = MoveIn {
        closed: true,
        ..check(&[], 0)
    };
    let errors = move_in("2025-12-01", &closed).unwrap_err();
    assert_eq!(fields(&errors), ["入驻主体", "入驻日期"]);
}

#[test]
fn a_move_out_before_the_move_in_is_refused() {
    let error = move_out("2025-02-28", d(2025, 3, 1), d(2025, 10, 10)).unwrap_err();
    assert_eq!(error.field, "迁出日期");
    assert!(error.message.contains("早于入驻日期"), "{}", error.message);
    assert_eq!(
        move_out("2025-03-01", d(2025, 3, 1), d(2025, 10, 10)),
        Ok(d(2025, 3, 1))
    );
    assert!(move_out("2025-10-11", d(2025, 3, 1), d(2025, 10, 10)).is_err());
}

#[test]
fn an_application_goes_through_each_stage_in_turn_to_recognition() {
    let today = d(2025, 10, 10);
    let mut at = (Stage::Recommended, d(2025, 3, 1));
    for (stage, on) in [
        ("district_review", "2025-04-01"),
        ("报市里", "2025-05-01"),
        ("approved", "2025-09-01"),
    ] {
        let step = application_step(at, stage, on, "", today).unwrap();
        at = (step.stage, step.on);
    }
    assert_eq!(at, (Stage::Approved, d(2025, 9, 1)));
}

#[test]
fn an_application_skipping_a_stage_is_refused() {
    let today = d(2025, 10, 10);
    let errors = application_step(
        (Stage::Recommended, d(2025, 3, 1)),
        "approved",
        "2025-04-01",
        "",
        today,
    )
    .unwrap_err();
    assert_eq!(fields(&errors), ["申报阶段"]);
    assert!(errors[0].message.contains("区人社局审核"), "{errors:?}");
    let skipped = application_step(
        (Stage::Recommended, d(2025, 3, 1)),
        "submitted_to_city",
        "2025-04-01",
        "",
        today,
    );
    assert!(skipped.is_err());
}

#[test]
fn a_rejection_needs_its_reason() {
    let today = d(2025, 10, 10);
    let at = (Stage::SubmittedToCity, d(2025, 5, 1));
    let errors = application_step(at, "rejected", "2025-09-01", " ", today).unwrap_err();
    assert_eq!(fields(&errors), ["未通过原因"]);
    let step = application_step(at, "rejected", "2025-09-01", "孵化面积不足", today).unwrap();
    assert_eq!(step.stage, Stage::Rejected);
    assert_eq!(step.note, "孵化面积不足");
    // Any open stage may end as not passed: the district review may refuse too.
    let early = (Stage::Recommended, d(2025, 3, 1));
    assert!(application_step(early, "rejected", "2025-03-02", "材料不全", today).is_ok());
}

#[test]
fn nothing_follows_a_final_stage_and_a_stage_is_dated_in_order() {
    let today = d(2025, 10, 10);
    for done in [Stage::Approved, Stage::Rejected] {
        let errors = application_step((done, d(2025, 9, 1)), "rejected", "2025-09-02", "x", today)
            .unwrap_err();
        assert_eq!(fields(&errors), ["申报阶段"]);
    }
    let at = (Stage::Recommended, d(2025, 3, 1));
    let errors = application_step(at, "district_review", "2025-02-01", "", today).unwrap_err();
    assert_eq!(fields(&errors), ["阶段日期"]);
    let errors = application_step(at, "district_review", "2025-10-11", "", today).unwrap_err();
    assert_eq!(fields(&errors), ["阶段日期"]);
}

#[test]
fn a_carrier_has_one_open_application_of_a_kind_and_none_once_recognised() {
    let today = d(2025, 10, 10);
    let (base, park) = (
        ApplicationKind::IncubationBase,
        ApplicationKind::ReturneePark,
    );
    assert_eq!(
        new_application("incubation_base", "2025-03-01", &[], today),
        Ok((base, d(2025, 3, 1)))
    );
    let open = [(base, Stage::DistrictReview)];
    let errors = new_application("incubation_base", "2025-03-01", &open, today).unwrap_err();
    assert_eq!(fields(&errors), ["申报类型"]);
    assert!(new_application("returnee_park", "2025-03-01", &open, today).is_ok());
    let recognised = [(park, Stage::Approved)];
    let errors = new_application("returnee_park", "2025-03-01", &recognised, today).unwrap_err();
    assert!(errors[0].message.contains("已认定"), "{errors:?}");
    let refused = [(park, Stage::Rejected)];
    assert!(new_application("returnee_park", "2025-03-01", &refused, today).is_ok());
}

#[test]
fn a_document_has_a_name_and_a_day_not_in_the_future() {
    let today = d(2025, 10, 10);
    let doc = document("市级创业孵化基地申报书", "2025-03-01", today).unwrap();
    assert_eq!(doc.on, d(2025, 3, 1));
    let errors = document("", "2025-10-11", today).unwrap_err();
    assert_eq!(fields(&errors), ["材料名称", "材料日期"]);
}

#[test]
fn a_recognition_counts_for_the_lead_unit_of_its_task() {
    let plan = plan();
    assert_eq!(
        ApplicationKind::IncubationBase.counted_for(&plan),
        Some("jkj")
    );
    assert_eq!(
        ApplicationKind::ReturneePark.counted_for(&plan),
        Some("nyncj")
    );
}

#[test]
fn the_plan_fills_1_2_2_and_2_4_1_from_the_carriers() {
    let plan = plan();
    let registry = |code: &str| {
        plan.indicators()
            .find(|(_, i)| i.code == code)
            .and_then(|(_, i)| i.registry)
    };
    assert_eq!(
        registry("1.2.2.incubators"),
        Some(ApplicationKind::IncubationBase.registry())
    );
    assert_eq!(
        registry("2.4.1.returnee_parks"),
        Some(ApplicationKind::ReturneePark.registry())
    );
    assert_eq!(
        registry("2.4.1.carrier_residents"),
        Some(Registry::CarrierResidents)
    );
    for code in ["carriers.residents", "carriers.incubation_bases"] {
        assert_eq!(Registry::parse(code).map(|r| r.code()), Some(code));
    }
}

#[test]
fn a_municipal_recognition_raises_a_district_carrier_to_municipal() {
    assert_eq!(
        CarrierLevel::District.recognised_municipal(),
        CarrierLevel::Municipal
    );
    assert_eq!(
        CarrierLevel::National.recognised_municipal(),
        CarrierLevel::National
    );
}
