use super::*;
use crate::field::FieldError;
use crate::insurance::InsuranceKind;
use crate::people::{Degree, Intention, Placement, Schooling, YesNo};

/// The codes and labels of a vocabulary the table may name, by its Chinese name.
fn vocabulary(name: &str) -> Option<Vec<(&'static str, &'static str)>> {
    fn pairs<T: Copy>(
        all: &[T],
        code: fn(T) -> &'static str,
        label: fn(T) -> &'static str,
    ) -> Vec<(&'static str, &'static str)> {
        all.iter().map(|v| (code(*v), label(*v))).collect()
    }
    Some(match name {
        Intention::NAME => pairs(Intention::ALL, Intention::code, Intention::label),
        Schooling::NAME => pairs(Schooling::ALL, Schooling::code, Schooling::label),
        Degree::NAME => pairs(Degree::ALL, Degree::code, Degree::label),
        Placement::NAME => pairs(Placement::ALL, Placement::code, Placement::label),
        InsuranceKind::NAME => pairs(
            InsuranceKind::ALL,
            InsuranceKind::code,
            InsuranceKind::label,
        ),
        YesNo::NAME => pairs(YesNo::ALL, YesNo::code, YesNo::label),
        _ => return None,
    })
}

#[test]
fn the_shipped_table_is_read() {
    let table = Synonyms::parse(SYNONYMS_FILE).unwrap();
    assert_eq!(&table, Synonyms::shipped());
    assert!(table.vocabularies().count() >= 6);
}

#[test]
fn every_spelling_stands_for_a_code_of_its_vocabulary_and_for_no_other_value() {
    for (name, spellings) in Synonyms::shipped().vocabularies() {
        let values = vocabulary(name)
            .unwrap_or_else(|| panic!("“{name}”不是可写常见写法的词表（见本测试的 vocabulary）"));
        for (spelling, code) in spellings {
            assert!(
                values.iter().any(|(c, _)| c == code),
                "“{name}”中“{spelling}”归入的代码 {code} 不在词表中"
            );
            // A spelling equal to another value's code or label would never be reached.
            for (other_code, other_label) in values.iter().filter(|(c, _)| c != code) {
                assert_ne!(spelling, &key(other_code), "“{name}”中“{spelling}”");
                assert_ne!(spelling, &key(other_label), "“{name}”中“{spelling}”");
            }
        }
    }
}

#[test]
fn every_vocabulary_an_import_reads_has_its_common_spellings() {
    // The rosters (文化程度, 返区意向, 同意联系, 学历) and the enrolment list (参保险种).
    for name in [
        Schooling::NAME,
        Intention::NAME,
        YesNo::NAME,
        Degree::NAME,
        InsuranceKind::NAME,
    ] {
        assert!(
            Synonyms::shipped().vocabularies().any(|(v, _)| v == name),
            "{name}"
        );
    }
}

#[test]
fn a_spelling_listed_twice_is_refused_naming_it() {
    let twice = "[\"返区意向\"]\nnone = [\"无\"]\nundecided = [\"观望\", \"无\"]\n";
    assert_eq!(
        Synonyms::parse(twice),
        Err("常见写法表“返区意向”中“无”重复（none、undecided）".to_owned())
    );
    // Full width and spaces do not make a spelling another.
    let same = "[\"学历\"]\nassociate = [\"专科(高职)\", \"专科（高职）\"]\n";
    assert!(Synonyms::parse(same).unwrap_err().contains("重复"));
    assert!(Synonyms::parse("[\"学历\"]\nassociate = [\" \"]\n").is_err());
    assert!(Synonyms::parse("[\"学历\"]\nassociate = \"大专\"\n").is_err());
}

#[test]
fn a_return_intention_is_read_as_a_survey_writes_it() {
    let read = |text: &str| Intention::parse(text);
    assert_eq!(read("观望"), Ok(Intention::Undecided));
    assert_eq!(read("有意向返乡创业"), Ok(Intention::Business));
    assert_eq!(read("无"), Ok(Intention::None));
    assert_eq!(read("想回来上班"), Ok(Intention::Work));
    assert_eq!(read(" 看 情况 "), Ok(Intention::Undecided));
    // The codes and labels, as before.
    assert_eq!(read("business"), Ok(Intention::Business));
    assert_eq!(read("返区就业"), Ok(Intention::Work));
    assert_eq!(read("  未确定\u{3000}"), Ok(Intention::Undecided));
}

#[test]
fn schooling_and_degree_are_read_as_survey_sheets_write_them() {
    for (written, schooling) in [
        ("初中毕业", Schooling::Junior),
        ("初中", Schooling::Junior),
        ("中专", Schooling::Senior),
        ("高中", Schooling::Senior),
        ("大专", Schooling::Associate),
        ("专科", Schooling::Associate),
        ("高职", Schooling::Associate),
        ("大学本科", Schooling::Bachelor),
        ("本　科", Schooling::Bachelor),
        ("研究生", Schooling::Master),
        ("小学", Schooling::Primary),
        ("博士研究生", Schooling::Doctor),
    ] {
        assert_eq!(Schooling::parse(written), Ok(schooling), "{written}");
    }
    for (written, degree) in [
        ("大专", Degree::Associate),
        ("高职", Degree::Associate),
        ("专科（高职）", Degree::Associate),
        ("专科", Degree::Associate),
        ("大学本科", Degree::Bachelor),
        ("硕士", Degree::Master),
        ("研究生", Degree::Master),
        ("博士", Degree::Doctor),
    ] {
        assert_eq!(Degree::parse(written), Ok(degree), "{written}");
    }
}

#[test]
fn consent_insurance_kinds_and_placements_take_their_common_spellings() {
    for (written, answer) in [
        ("是", YesNo::Yes),
        ("同意", YesNo::Yes),
        ("√", YesNo::Yes),
        ("Y", YesNo::Yes),
        ("ｙｅｓ", YesNo::Yes),
        ("1", YesNo::Yes),
        ("否", YesNo::No),
        ("不同意", YesNo::No),
        ("×", YesNo::No),
        ("n", YesNo::No),
        ("0", YesNo::No),
    ] {
        assert_eq!(YesNo::parse(written), Ok(answer), "{written}");
    }
    assert_eq!(
        InsuranceKind::parse("企业职工基本养老保险"),
        Ok(InsuranceKind::Pension)
    );
    assert_eq!(
        InsuranceKind::parse("失业保险"),
        Ok(InsuranceKind::Unemployment)
    );
    assert_eq!(Placement::parse("签约"), Ok(Placement::Employed));
    assert_eq!(Placement::parse("待业"), Ok(Placement::NotYet));
}

#[test]
fn a_refusal_quotes_the_cell_and_lists_what_may_be_written() {
    assert_eq!(
        Intention::parse("随便"),
        Err("“随便”无法识别，可填：无意向、未确定、返区就业、返区创业".to_owned())
    );
    assert_eq!(
        Schooling::parse(" 幼儿园 "),
        Err(
            "“幼儿园”无法识别，可填：小学及以下、初中、高中/中专/技校、大专、本科、硕士、博士"
                .to_owned()
        )
    );
    assert_eq!(YesNo::parse(""), Err("未填写，可填：是、否".to_owned()));
    // A spelling of one vocabulary is not taken by another.
    assert!(Degree::parse("初中").is_err());
    assert!(Intention::parse("同意").is_err());
}

#[test]
fn a_refused_survey_row_names_the_field_once() {
    let error = FieldError {
        field: "返区意向",
        message: Intention::parse("随便").unwrap_err(),
    };
    assert_eq!(
        error.to_string(),
        "返区意向：“随便”无法识别，可填：无意向、未确定、返区就业、返区创业"
    );
}
