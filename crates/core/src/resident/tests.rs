use super::*;

/// A made-up number: the first 17 digits and the check character GB 11643 gives them,
/// computed here from the definition (weight 2^(18-i) mod 11) rather than from the module.
fn with_check(first_17: &str) -> String {
    let sum: u32 = first_17
        .chars()
        .enumerate()
        .map(|(i, c)| c.to_digit(10).unwrap() * (2u32.pow(17 - i as u32) % 11))
        .sum();
    let check = (12 - sum % 11) % 11;
    let check = if check == 10 {
        'X'
    } else {
        char::from_digit(check, 10).unwrap()
    };
    format!("{first_17}{check}")
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

#[test]
fn the_example_in_gb_11643_is_valid() {
    let id = ResidentId::parse("11010519491231002X").unwrap();
    assert_eq!(id.birth_date(), date(1949, 12, 31));
    assert_eq!(id.gender(), Gender::Female);
    assert_eq!(id.area_code(), "110105");
}

#[test]
fn a_valid_number_tells_birth_date_gender_and_area() {
    let text = with_check("42011219900307123");
    let id = ResidentId::parse(&text).unwrap();
    assert_eq!(id.as_str(), text);
    assert_eq!(id.birth_date(), date(1990, 3, 7));
    assert_eq!(id.gender(), Gender::Male);
    assert_eq!((id.gender().label(), id.gender().code()), ("男", "male"));
    assert_eq!(id.area_code(), "420112");
    assert_eq!(id.area_name(), Some("东西湖区"));

    let woman = ResidentId::parse(&with_check("42011219900307124")).unwrap();
    assert_eq!(woman.gender(), Gender::Female);
    assert_eq!(
        (woman.gender().label(), woman.gender().code()),
        ("女", "female")
    );
}

#[test]
fn full_width_spaced_and_lower_case_input_is_normalised() {
    // 42011219900307003 has the check character X.
    let text = with_check("42011219900307003");
    assert_eq!(text, "42011219900307003X");
    for typed in [
        " 420112 19900307 003x ",
        "４２０１１２１９９００３０７００３Ｘ",
        "４２０１１２　１９９００３０７　００３ｘ",
        "\u{FEFF}420112199003070 03X\u{200B}",
    ] {
        assert_eq!(ResidentId::parse(typed).unwrap().as_str(), text, "{typed}");
    }
}

#[test]
fn ids_issued_by_counties_since_abolished_are_still_valid() {
    // 监利县 became 监利市 (421088) in 2020, 武昌县 became 江夏区 in 1995, and 随州 had a
    // provincial code 429001 until 2000: IDs issued there keep the old code.
    for (code, name) in [
        ("421023", "监利县"),
        ("420122", "武昌县"),
        ("429001", "随州市"),
    ] {
        let id = ResidentId::parse(&with_check(&format!("{code}19850612002"))).unwrap();
        assert_eq!(id.area_name(), Some(name));
    }
}

#[test]
fn a_leap_day_is_valid_only_in_a_leap_year() {
    let id = ResidentId::parse(&with_check("42011220000229002")).unwrap();
    assert_eq!(id.birth_date(), date(2000, 2, 29));
    assert_eq!(
        ResidentId::parse(&with_check("42011219000229002")).unwrap_err(),
        ResidentIdError::NoSuchBirthDate("19000229".into())
    );
}

#[test]
fn an_impossible_birth_date_is_named() {
    let error = ResidentId::parse(&with_check("42011219990230002")).unwrap_err();
    assert_eq!(error, ResidentIdError::NoSuchBirthDate("19990230".into()));
    assert_eq!(error.to_string(), "身份证号码中的出生日期19990230不存在");
    assert_eq!(
        ResidentId::parse(&with_check("42011219901301002")).unwrap_err(),
        ResidentIdError::NoSuchBirthDate("19901301".into())
    );
}

#[test]
fn births_before_1900_or_after_today_are_refused() {
    let error = ResidentId::parse(&with_check("42011218991231002")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "身份证号码中的出生日期18991231早于1900年"
    );

    let today = date(2025, 3, 1);
    let born_today = with_check("42011220250301002");
    assert!(ResidentId::parse_on(&born_today, today).is_ok());
    let born_tomorrow = with_check("42011220250302002");
    assert!(ResidentId::parse(&born_tomorrow).is_ok());
    let error = ResidentId::parse_on(&born_tomorrow, today).unwrap_err();
    assert_eq!(error, ResidentIdError::BornAfterToday("20250302".into()));
    assert_eq!(error.to_string(), "身份证号码中的出生日期20250302晚于今天");
}

#[test]
fn an_unknown_area_code_is_named() {
    let error = ResidentId::parse(&with_check("42019919900307123")).unwrap_err();
    assert_eq!(error, ResidentIdError::UnknownArea("420199".into()));
    assert_eq!(
        error.to_string(),
        "身份证号码前6位地区代码420199不存在（GB/T 2260）"
    );
}

#[test]
fn a_wrong_check_character_names_the_right_one() {
    let error = ResidentId::parse("42011219900307003A").unwrap_err();
    assert_eq!(error, ResidentIdError::CheckCharacter('A'));
    assert_eq!(
        ResidentId::parse("42011219900307003一").unwrap_err(),
        ResidentIdError::CheckCharacter('一')
    );
    let error = ResidentId::parse("420112199003070031").unwrap_err();
    assert_eq!(error, ResidentIdError::Check { expected: 'X' });
    assert_eq!(error.to_string(), "身份证号码校验位错误，应为“X”");
}

#[test]
fn wrong_lengths_and_letters_say_what_is_wrong() {
    let error = ResidentId::parse("4201121990030712").unwrap_err();
    assert_eq!(error, ResidentIdError::Length(16));
    assert_eq!(error.to_string(), "身份证号码应为18位，收到16位");
    assert_eq!(
        ResidentId::parse("42011219900307123X5").unwrap_err(),
        ResidentIdError::Length(19)
    );
    assert_eq!(ResidentId::parse(" ").unwrap_err(), ResidentIdError::Empty);

    let error = ResidentId::parse("4201121990O307123X").unwrap_err();
    assert_eq!(
        error,
        ResidentIdError::NotDigit {
            position: 11,
            found: 'O'
        }
    );
    assert_eq!(error.to_string(), "身份证号码第11位“O”不是数字");
    assert_eq!(
        ResidentId::parse("42011219900307一23X").unwrap_err(),
        ResidentIdError::NotDigit {
            position: 15,
            found: '一'
        }
    );
}

#[test]
fn a_number_mangled_by_excel_says_to_format_the_column_as_text() {
    for mangled in ["4.20112199003071E+17", "4.20112199003071e17", "4.2E+17"] {
        let error = ResidentId::parse(mangled).unwrap_err();
        assert_eq!(error, ResidentIdError::SavedAsNumber, "{mangled}");
        assert_eq!(
            error.to_string(),
            "身份证号码被当作数字保存（科学计数法），请将该列设为文本后重新填写"
        );
    }
    // Shown in full, the number has kept only 15 significant digits.
    assert_eq!(
        ResidentId::parse("420112199003071000").unwrap_err(),
        ResidentIdError::TrailingDigitsLost
    );
}

#[test]
fn masking_keeps_the_first_6_and_last_4() {
    let id = ResidentId::parse("11010519491231002X").unwrap();
    assert_eq!(id.masked(), "110105********002X");
    assert_eq!(format!("{id:?}"), "ResidentId(110105********002X)");
    assert_eq!(mask_id(" 420112199003071234 "), "420112********1234");
    assert_eq!(mask_id("420112900307123"), "420112*****7123");
}

#[test]
fn masking_never_panics_and_hides_short_text_whole() {
    assert_eq!(mask_id(""), "");
    assert_eq!(mask_id("12345"), "*****");
    assert_eq!(mask_id("身份证"), "***");
    assert_eq!(
        mask_id("四二零一一二一九九零零三零七一二三四"),
        "四二零一一二********一二三四"
    );
}

#[test]
fn the_area_table_is_sorted_and_holds_every_current_hubei_code() {
    assert!(AREAS.len() > 7000);
    assert!(AREAS.windows(2).all(|pair| pair[0].0 < pair[1].0));
    assert!(AREAS.iter().all(|(code, name)| code.len() == 6
        && code.bytes().all(|b| b.is_ascii_digit())
        && !name.is_empty()));
    assert_eq!(area_name_of("420112"), Some("东西湖区"));
    assert_eq!(area_name_of("420000"), Some("湖北省"));
    // 湖北省 as listed by the MCA 国家地名信息库 in 2026.
    let hubei = "420000 420100 420102 420103 420104 420105 420106 420107 420111 420112 420113 \
        420114 420115 420116 420117 420200 420202 420203 420204 420205 420222 420281 420300 \
        420302 420303 420304 420322 420323 420324 420325 420381 420500 420502 420503 420504 \
        420505 420506 420525 420526 420527 420528 420529 420581 420582 420583 420600 420602 \
        420606 420607 420624 420625 420626 420682 420683 420684 420700 420702 420703 420704 \
        420800 420802 420804 420822 420881 420882 420900 420902 420921 420922 420923 420981 \
        420982 420984 421000 421002 421003 421022 421024 421081 421083 421087 421088 421100 \
        421102 421121 421122 421123 421124 421125 421126 421127 421181 421182 421200 421202 \
        421221 421222 421223 421224 421281 421300 421303 421321 421381 422800 422801 422802 \
        422822 422823 422825 422826 422827 422828 429004 429005 429006 429021";
    let missing: Vec<&str> = hubei
        .split_whitespace()
        .filter(|code| area_name_of(code).is_none())
        .collect();
    assert_eq!(missing, Vec::<&str>::new());
    assert_eq!(hubei.split_whitespace().count(), 117);
}
