//! The cell and form-field parsers that imports and web forms run on what people type: resident
//! ID, USCC, phone, dates, counts, money, vocabularies, and whole roster rows.
//!
//! The input is read as UTF-8 (lossily) and split on the unit separator (0x1F) into fields;
//! each field goes through every single-field parser, and the first fields together make
//! a migrant, a graduate and an insurance row checked against the shipped plan.
#![no_main]

use std::sync::OnceLock;

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use linkong_core::people::{GraduateDraft, MigrantDraft, PersonDraft};
use linkong_core::plan::Plan;
use linkong_core::{
    calendar, cells, contest, field, industry, insurance, loans, password, people, phone, quantity,
    resident, student_visits, synonyms, uscc, users,
};

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        Plan::parse(include_str!("../../plans/dongxihu-2025-2027.toml")).expect("shipped plan")
    })
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).expect("a date")
}

/// Every parser of one field; none may panic, whatever the text.
fn one_field(text: &str) {
    let today = today();
    if let Ok(id) = resident::ResidentId::parse(text) {
        let _ = (id.birth_date(), id.gender(), id.area_name(), id.masked());
    }
    let _ = resident::ResidentId::parse_on(text, today);
    let _ = resident::mask_id(text);
    if let Ok(code) = uscc::Uscc::parse(text) {
        let _ = code.division_code();
    }
    let _ = phone::Phone::parse(text);
    let _ = cells::normalise(text);
    let _ = cells::parse_date(text);
    let _ = cells::parse_count(text);
    let _ = cells::may_be_formula(text);
    let _ = cells::csv_field(text);
    let _ = cells::footer(text, 1, text);
    let _ = field::parse_date(text);
    let _ = field::past_day(text, today);
    let _ = loans::parse_money(text);
    let _ = loans::parse_principal(text);
    let _ = loans::parse_rate(text);
    let _ = insurance::parse_kinds(text);
    let _ = insurance::parse_month(text);
    let _ = people::parse_province(text);
    let _ = people::parse_yes_no(text);
    let _ = people::parse_section(text);
    let _ = people::parse_street(plan(), text);
    let _ = people::five_ones_year(text, plan().years());
    let _ = people::Degree::parse(text);
    let _ = people::Intention::parse(text);
    let _ = quantity::Quantity::parse(text);
    let _ = quantity::Quantity::parse_for_measure(text, "人");
    let _ = industry::Section::parse(text);
    let _ = industry::IndustryCode::parse(text);
    let _ = industry::LeadingIndustry::parse(text);
    let _ = contest::parse_score(text, 100);
    let _ = calendar::calendar_year(text);
    let _ = users::parse_username(text);
    let _ = password::NewPassword::parse(text, "zhangsan");
    let _ = synonyms::key(text);
    let _ = student_visits::student_lines(text);
}

/// The `i`-th field, or "".
fn at(fields: &[&str], i: usize) -> String {
    fields.get(i).copied().unwrap_or_default().to_owned()
}

/// The first fields as whole roster rows, checked as an import checks them.
fn rows(fields: &[&str]) {
    let person = PersonDraft {
        name: at(fields, 0),
        id_number: at(fields, 1),
        phone: at(fields, 2),
        street: at(fields, 3),
        community: at(fields, 4),
        schooling: at(fields, 5),
    };
    let migrant = MigrantDraft {
        person: person.clone(),
        province: at(fields, 6),
        city: at(fields, 7),
        section: at(fields, 8),
        occupation: at(fields, 9),
        skills: at(fields, 10),
        years_away: at(fields, 11),
        intention: at(fields, 12),
        business_field: at(fields, 13),
        contact_consent: at(fields, 14),
        surveyed_on: at(fields, 15),
        returned_on: at(fields, 16),
    };
    let _ = people::validate_migrant(plan(), &migrant, today());
    let graduate = GraduateDraft {
        person,
        school: at(fields, 6),
        major: at(fields, 7),
        degree: at(fields, 8),
        graduated_on: at(fields, 9),
        wish: at(fields, 10),
    };
    let _ = people::validate_graduate(plan(), &graduate, today());
    let enrolment = insurance::EnrolmentDraft {
        name: at(fields, 0),
        id_number: at(fields, 1),
        uscc: at(fields, 2),
        employer_name: at(fields, 3),
        kinds: at(fields, 4),
        started: at(fields, 5),
        ended: at(fields, 6),
    };
    let _ = insurance::validate_enrolment(&enrolment, today());
    let students = student_visits::student_lines(&fields.join("\n"));
    let _ = student_visits::checked_students(&students, &[], "行");
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let fields: Vec<&str> = text.split('\u{1F}').collect();
    for field in &fields {
        one_field(field);
    }
    rows(&fields);
    // An Excel date cell holds a number: the first eight bytes as one.
    if let Some(bytes) = data.get(..8) {
        let serial = f64::from_le_bytes(bytes.try_into().expect("eight bytes"));
        let _ = cells::date_from_excel_serial(serial);
    }
});
