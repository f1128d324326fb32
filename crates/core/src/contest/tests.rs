use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn edition() -> EditionDraft {
    EditionDraft {
        year: "2025".into(),
        name: "第五届“中国网谷杯”创新创业大赛".into(),
        opens_on: "2025-04-01".into(),
        closes_on: "2025-11-30".into(),
        tracks: "大学生创业组\n成长企业组\n网络安全赛道".into(),
    }
}

fn days() -> EditionDays {
    EditionDays {
        opens_on: day(2025, 4, 1),
        closes_on: day(2025, 11, 30),
    }
}

fn entry() -> EntryDraft {
    EntryDraft {
        track: "3".into(),
        project: "光谷智能巡检机器人".into(),
        team: "巡检先锋".into(),
        leader: "李明".into(),
        school: "华中科技大学".into(),
        field: "智能制造".into(),
        brief: "面向园区的巡检机器人".into(),
        leader_id: String::new(),
        phone: "13912345678".into(),
        registered_on: "2025-05-10".into(),
    }
}

fn fields(errors: &[FieldError]) -> Vec<&'static str> {
    errors.iter().map(|e| e.field).collect()
}

#[test]
fn an_edition_has_a_year_of_the_plan_dates_in_order_and_tracks() {
    let valid = validate_edition(&edition(), 2025..=2027).unwrap();
    assert_eq!(valid.year, 2025);
    assert_eq!(valid.tracks.len(), 3);
    let bad = EditionDraft {
        year: "2024".into(),
        opens_on: "2025-04-01".into(),
        closes_on: "2025-03-01".into(),
        tracks: "大学生创业组\n大学生创业组".into(),
        ..edition()
    };
    let errors = validate_edition(&bad, 2025..=2027).unwrap_err();
    assert_eq!(fields(&errors), ["年度", "结束日期", "赛道"]);
}

#[test]
fn an_edition_without_tracks_is_refused_naming_the_tracks() {
    let bad = EditionDraft {
        tracks: " \n ".into(),
        ..edition()
    };
    let errors = validate_edition(&bad, 2025..=2027).unwrap_err();
    assert_eq!(errors[0].to_string(), "赛道：至少设置一个赛道");
}

#[test]
fn a_second_edition_for_the_same_year_is_refused() {
    assert!(edition_year_free(2025, false).is_ok());
    let error = edition_year_free(2025, true).unwrap_err();
    assert_eq!(error.field, "年度");
    assert!(error.message.contains("2025 年已有一届大赛"));
}

#[test]
fn an_entry_without_a_track_is_refused_naming_the_track() {
    let bad = EntryDraft {
        track: String::new(),
        ..entry()
    };
    let errors = validate_entry(&bad, days(), day(2025, 6, 1)).unwrap_err();
    assert_eq!(errors[0].to_string(), "赛道：请选择赛道");
    assert_eq!(errors.len(), 1);
}

#[test]
fn an_entry_names_a_university_and_registers_within_the_edition_not_in_the_future() {
    let valid = validate_entry(&entry(), days(), day(2025, 6, 1)).unwrap();
    assert_eq!(valid.school, "华中科技大学");
    assert_eq!(valid.phone.unwrap().masked(), "139****5678");
    let bad = EntryDraft {
        school: "隔壁小卖部".into(),
        registered_on: "2025-07-01".into(),
        phone: "12345".into(),
        ..entry()
    };
    let errors = validate_entry(&bad, days(), day(2025, 6, 1)).unwrap_err();
    assert_eq!(fields(&errors), ["学校", "联系电话", "报名日期"]);
    let early = EntryDraft {
        registered_on: "2025-03-01".into(),
        ..entry()
    };
    let errors = validate_entry(&early, days(), day(2025, 6, 1)).unwrap_err();
    assert!(errors[0].message.contains("不在本届大赛"));
}

#[test]
fn a_score_outside_the_rounds_scale_is_refused_naming_the_score() {
    assert_eq!(parse_score("86.5", 100), Ok(8650));
    assert_eq!(parse_score("0", 100), Ok(0));
    assert_eq!(parse_score("100", 100), Ok(10_000));
    for bad in ["100.01", "-1", "150"] {
        let error = parse_score(bad, 100).unwrap_err();
        assert_eq!(error.to_string(), "评分：应在 0 到 100 之间", "{bad}");
    }
    assert_eq!(
        parse_score("95", 10).unwrap_err().message,
        "应在 0 到 10 之间"
    );
    assert_eq!(parse_score("八十", 100).unwrap_err().field, "评分");
}

#[test]
fn rounds_come_once_each_in_order_with_a_scale_and_judges() {
    let draft = RoundDraft {
        stage: "复赛".into(),
        scale: "100".into(),
        judges: "王教授、张总\n刘律师".into(),
        held_on: "2025-09-20".into(),
    };
    let valid = validate_round(&draft, 2025, &[Stage::Preliminary]).unwrap();
    assert_eq!(valid.stage, Stage::Semifinal);
    assert_eq!(valid.judges, ["王教授", "张总", "刘律师"]);
    let again = validate_round(&draft, 2025, &[Stage::Semifinal]).unwrap_err();
    assert_eq!(again[0].to_string(), "赛程：本届已有复赛");
    let late = validate_round(&draft, 2025, &[Stage::Final]).unwrap_err();
    assert!(late[0].message.contains("本届已有决赛"));
    let bad = RoundDraft {
        scale: "0".into(),
        judges: String::new(),
        held_on: "2026-01-02".into(),
        ..draft
    };
    let errors = validate_round(&bad, 2025, &[]).unwrap_err();
    assert_eq!(fields(&errors), ["满分", "评委", "比赛日期"]);
}

#[test]
fn a_score_for_an_entry_that_did_not_reach_the_round_is_refused() {
    let reached = Standing {
        reached: true,
        scored: false,
    };
    assert!(may_score(Stage::Final, reached).is_ok());
    let error = may_score(
        Stage::Final,
        Standing {
            reached: false,
            scored: false,
        },
    )
    .unwrap_err();
    assert_eq!(error.to_string(), "参赛项目：未进入决赛，不能评分");
}

#[test]
fn only_scored_entries_advance_once_into_the_next_round() {
    let scored = Standing {
        reached: true,
        scored: true,
    };
    assert_eq!(
        may_advance(Stage::Preliminary, scored, Some(Stage::Final), false),
        Ok(Stage::Final)
    );
    let unscored = Standing {
        reached: true,
        scored: false,
    };
    assert!(
        may_advance(Stage::Preliminary, unscored, Some(Stage::Semifinal), false)
            .unwrap_err()
            .message
            .contains("尚无评分")
    );
    assert!(
        may_advance(Stage::Preliminary, scored, Some(Stage::Semifinal), true)
            .unwrap_err()
            .message
            .contains("已晋级复赛")
    );
    assert_eq!(
        may_advance(Stage::Final, scored, None, false)
            .unwrap_err()
            .field,
        "赛程"
    );
}

#[test]
fn an_award_goes_only_to_an_entry_of_the_final_once_with_an_amount_not_negative() {
    let draft = AwardDraft {
        grade: "一等奖".into(),
        amount: "50000".into(),
        awarded_on: "2025-11-20".into(),
    };
    let today = day(2025, 12, 1);
    let valid = validate_award(&draft, true, false, today).unwrap();
    assert_eq!((valid.grade, valid.amount), (AwardGrade::First, 50_000));
    let not_final = validate_award(&draft, false, false, today).unwrap_err();
    assert_eq!(not_final[0].to_string(), "获奖项目：未进入决赛，不能获奖");
    assert!(validate_award(&draft, true, true, today).is_err());
    let bad = AwardDraft {
        amount: "-10".into(),
        awarded_on: "2025-12-02".into(),
        ..draft
    };
    let errors = validate_award(&bad, true, false, today).unwrap_err();
    assert_eq!(fields(&errors), ["奖金（元）", "获奖日期"]);
}

#[test]
fn the_angel_fund_takes_an_amount_and_the_other_support_none() {
    let registered = day(2025, 5, 10);
    let today = day(2025, 12, 1);
    let fund = SupportDraft {
        kind: "临空港天使投资基金".into(),
        given_on: "2025-11-28".into(),
        note: "天使轮投资".into(),
        amount: "300000".into(),
    };
    assert_eq!(
        validate_support(&fund, registered, today).unwrap().amount,
        Some(300_000)
    );
    let no_amount = SupportDraft {
        amount: String::new(),
        ..fund.clone()
    };
    assert_eq!(
        validate_support(&no_amount, registered, today).unwrap_err()[0].field,
        "金额（元）"
    );
    let lecture = SupportDraft {
        kind: "创业讲堂".into(),
        ..fund
    };
    assert!(validate_support(&lecture, registered, today).is_err());
    let before = SupportDraft {
        amount: String::new(),
        given_on: "2025-05-01".into(),
        ..lecture
    };
    let errors = validate_support(&before, registered, today).unwrap_err();
    assert_eq!(fields(&errors), ["服务日期"]);
}

#[test]
fn a_landing_is_a_winning_entrys_not_before_the_award_and_not_in_the_future() {
    let awarded = Some(day(2025, 11, 20));
    let today = day(2025, 12, 1);
    let draft = LandingDraft {
        business: "7".into(),
        landed_on: "2025-11-25".into(),
    };
    assert_eq!(
        validate_landing(&draft, awarded, false, today).unwrap(),
        ValidLanding {
            business_id: 7,
            landed_on: day(2025, 11, 25)
        }
    );
    let before = LandingDraft {
        landed_on: "2025-11-19".into(),
        ..draft.clone()
    };
    let errors = validate_landing(&before, awarded, false, today).unwrap_err();
    assert_eq!(
        errors[0].to_string(),
        "落地日期：2025-11-19 早于获奖日期 2025-11-20"
    );
    let future = LandingDraft {
        landed_on: "2025-12-02".into(),
        ..draft.clone()
    };
    let errors = validate_landing(&future, awarded, false, today).unwrap_err();
    assert_eq!(errors[0].to_string(), "落地日期：2025-12-02 晚于今天");
    assert_eq!(
        validate_landing(&draft, None, false, today).unwrap_err()[0].message,
        "只有获奖项目可以登记落地"
    );
    assert!(validate_landing(&draft, awarded, true, today).is_err());
}
