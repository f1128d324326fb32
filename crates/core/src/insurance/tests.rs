use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

const USCC: &str = "91420112MA4K00001X";

fn enrolment(kinds: &[InsuranceKind], from: NaiveDate, to: Option<NaiveDate>) -> Enrolment {
    Enrolment {
        person_id: Some(1),
        id_number_index: "00ff".into(),
        employer_uscc: USCC.into(),
        kinds: kinds.to_vec(),
        started_on: from,
        ended_on: to,
    }
}

const ALL3: &[InsuranceKind] = InsuranceKind::ALL;

#[test]
fn a_month_counts_once_it_is_over() {
    let rows = [enrolment(ALL3, day(2025, 1, 1), None)];
    // January to June: the sixth month ends on 30 June.
    assert_eq!(insured_months(&rows, USCC, day(2025, 6, 29)), 5);
    assert_eq!(insured_months(&rows, USCC, day(2025, 6, 30)), 6);
    assert_eq!(insured_months(&rows, USCC, day(2025, 7, 1)), 6);
    // Before the first month is over: none.
    assert_eq!(insured_months(&rows, USCC, day(2025, 1, 30)), 0);
    assert_eq!(insured_months(&rows, USCC, day(2025, 1, 31)), 1);
    // A leap February ends on the 29th.
    let feb = [enrolment(ALL3, day(2024, 2, 1), None)];
    assert_eq!(insured_months(&feb, USCC, day(2024, 2, 28)), 0);
    assert_eq!(insured_months(&feb, USCC, day(2024, 2, 29)), 1);
}

#[test]
fn an_ended_enrolment_stops_counting_at_its_end() {
    let rows = [enrolment(ALL3, day(2025, 1, 1), Some(day(2025, 3, 31)))];
    assert_eq!(insured_months(&rows, USCC, day(2025, 12, 31)), 3);
}

#[test]
fn only_months_with_all_three_kinds_count_even_across_rows() {
    let two = [enrolment(
        &[InsuranceKind::Pension, InsuranceKind::Injury],
        day(2025, 1, 1),
        None,
    )];
    assert_eq!(insured_months(&two, USCC, day(2025, 12, 31)), 0);
    // Unemployment insurance from April, on a row of its own: April to June count.
    let mut split = two.to_vec();
    split.push(enrolment(
        &[InsuranceKind::Unemployment],
        day(2025, 4, 1),
        None,
    ));
    assert_eq!(insured_months(&split, USCC, day(2025, 6, 30)), 3);
}

#[test]
fn overlapping_rows_do_not_count_a_month_twice_and_other_employers_do_not_count() {
    let mut rows = vec![
        enrolment(ALL3, day(2025, 1, 1), Some(day(2025, 6, 30))),
        enrolment(ALL3, day(2025, 4, 1), Some(day(2025, 9, 30))),
    ];
    assert_eq!(insured_months(&rows, USCC, day(2025, 12, 31)), 9);
    rows.push(Enrolment {
        employer_uscc: "91420112MA4K00002Y".into(),
        ..enrolment(ALL3, day(2025, 10, 1), None)
    });
    assert_eq!(insured_months(&rows, USCC, day(2025, 12, 31)), 9);
    assert_eq!(
        insured_months(&rows, "91420112MA4K00002Y", day(2025, 12, 31)),
        3
    );
    assert_eq!(insured_months(&[], USCC, day(2025, 12, 31)), 0);
}

#[test]
fn a_gap_between_rows_is_not_counted() {
    let rows = [
        enrolment(ALL3, day(2025, 1, 1), Some(day(2025, 2, 28))),
        enrolment(ALL3, day(2025, 5, 1), None),
    ];
    assert_eq!(insured_months(&rows, USCC, day(2025, 5, 31)), 3);
    assert!(rows[1].covers(day(2025, 5, 1)));
    assert!(!rows[0].covers(day(2025, 3, 1)));
    assert!(rows[0].covers(day(2025, 2, 28)));
}

#[test]
fn kinds_are_read_in_any_separator_and_stored_in_one_order() {
    assert_eq!(
        parse_kinds("养老、失业").unwrap(),
        vec![InsuranceKind::Unemployment, InsuranceKind::Pension]
    );
    assert_eq!(
        parse_kinds("工伤保险,养老保险，失业").unwrap(),
        ALL3.to_vec()
    );
    assert_eq!(
        parse_kinds("失业、失业").unwrap(),
        vec![InsuranceKind::Unemployment]
    );
    assert_eq!(
        parse_kinds("企业职工基本养老保险、失业险").unwrap(),
        vec![InsuranceKind::Unemployment, InsuranceKind::Pension]
    );
    assert_eq!(
        parse_kinds("养老、医疗保险"),
        Err("“医疗保险”无法识别，可填：失业、工伤、养老（一种或几种，用“、”分隔）".to_owned())
    );
    assert!(parse_kinds(" ").is_err());
    assert_eq!(
        kinds_code(&parse_kinds("养老、工伤").unwrap()),
        "injury,pension"
    );
    assert_eq!(
        kinds_from_code("unemployment,pension"),
        vec![InsuranceKind::Unemployment, InsuranceKind::Pension]
    );
}

#[test]
fn months_are_read_as_the_social_insurance_system_writes_them() {
    for text in [
        "2025-03",
        "2025/3",
        "2025.03",
        "2025年3月",
        "2025年03月",
        "202503",
        "2025-03-15",
        "２０２５－０３",
    ] {
        assert_eq!(parse_month(text), Ok(day(2025, 3, 1)), "{text}");
    }
    for text in ["2025-13", "25-03", "2025", "三月", "2025-00", ""] {
        assert!(parse_month(text).is_err(), "{text}");
    }
}

fn draft() -> EnrolmentDraft {
    EnrolmentDraft {
        name: "张三".into(),
        // A valid made-up ID of 东西湖区.
        id_number: valid_id(),
        uscc: valid_uscc(),
        employer_name: "临空港科技有限公司".into(),
        kinds: "失业、工伤、养老".into(),
        started: "2025-01".into(),
        ended: String::new(),
    }
}

fn valid_id() -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let first17 = "42011219900101001";
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{first17}{check}")
}

fn valid_uscc() -> String {
    const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let first17 = "91420112MA4K00001";
    let sum: usize = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| CHARSET.find(c).unwrap() * w)
        .sum();
    format!(
        "{first17}{}",
        CHARSET.as_bytes()[(31 - sum % 31) % 31] as char
    )
}

fn fields_of(draft: &EnrolmentDraft) -> Vec<&'static str> {
    validate_enrolment(draft, day(2025, 12, 1))
        .unwrap_err()
        .iter()
        .map(|e| e.field)
        .collect()
}

#[test]
fn a_good_row_is_whole_months() {
    let good = EnrolmentDraft {
        uscc: valid_uscc(),
        ended: "2025年6月".into(),
        ..draft()
    };
    let valid = validate_enrolment(&good, day(2025, 12, 1)).unwrap();
    assert_eq!(valid.started_on, day(2025, 1, 1));
    assert_eq!(valid.ended_on, Some(day(2025, 6, 30)));
    assert_eq!(valid.kinds_code(), "unemployment,injury,pension");
    let open = EnrolmentDraft {
        uscc: valid_uscc(),
        ..draft()
    };
    assert_eq!(
        validate_enrolment(&open, day(2025, 12, 1))
            .unwrap()
            .ended_on,
        None
    );
    // Ending in the month it started is one month.
    let one = EnrolmentDraft {
        uscc: valid_uscc(),
        ended: "2025-01".into(),
        ..draft()
    };
    assert_eq!(
        validate_enrolment(&one, day(2025, 12, 1)).unwrap().ended_on,
        Some(day(2025, 1, 31))
    );
}

#[test]
fn each_wrong_cell_is_named_by_its_column() {
    let base = EnrolmentDraft {
        uscc: valid_uscc(),
        ..draft()
    };
    let mut bad_id = base.clone();
    bad_id.id_number.replace_range(
        17..,
        if bad_id.id_number.ends_with('1') {
            "2"
        } else {
            "1"
        },
    );
    assert_eq!(fields_of(&bad_id), vec![field::ID_NUMBER]);
    let bad_uscc = EnrolmentDraft {
        uscc: "91420112MA4K000010".into(),
        ..base.clone()
    };
    assert_eq!(fields_of(&bad_uscc), vec![field::USCC]);
    let bad_month = EnrolmentDraft {
        started: "2025-13".into(),
        ..base.clone()
    };
    assert_eq!(fields_of(&bad_month), vec![field::STARTED]);
    let backwards = EnrolmentDraft {
        started: "2025-05".into(),
        ended: "2025-04".into(),
        ..base.clone()
    };
    let errors = validate_enrolment(&backwards, day(2025, 12, 1)).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, field::ENDED);
    assert!(errors[0].message.contains("早于"), "{}", errors[0].message);
    let future = EnrolmentDraft {
        started: "2026-01".into(),
        ..base.clone()
    };
    assert_eq!(fields_of(&future), vec![field::STARTED]);
    let nameless = EnrolmentDraft {
        name: " ".into(),
        employer_name: String::new(),
        kinds: "医疗".into(),
        ..base
    };
    assert_eq!(
        fields_of(&nameless),
        vec![field::KINDS, field::NAME, field::EMPLOYER]
    );
}
