//! The roster of unplaced graduates (离校未就业高校毕业生, task 1.1.4): its columns, and the
//! reading of a row. The roster year is the year of graduation.

use chrono::NaiveDate;
use linkong_core::access::Roster;
use linkong_core::field::FieldError;
use linkong_core::people::{GraduateDraft, validate_graduate};
use linkong_core::plan::Plan;
use linkong_store::people::RowData;

use crate::layout::{Column, Kind};
use crate::migrants::{PERSON, column, person};
use crate::run::RosterFile;

/// The graduate roster as a file.
pub const FILE: RosterFile = RosterFile {
    roster: Roster::Graduates,
    sheet_name: "离校未就业毕业生",
    columns: &COLUMNS,
    read,
};

/// The columns, in template order; headers equal the field names of the row checks.
pub const COLUMNS: [Column; 11] = [
    PERSON[0],
    PERSON[1],
    PERSON[2],
    PERSON[3],
    PERSON[4],
    PERSON[5],
    column("毕业院校", &["院校", "学校"], true, Kind::Text, "必填"),
    column("专业", &["所学专业"], true, Kind::Text, "必填"),
    column(
        "学历",
        &["学历层次"],
        true,
        Kind::Text,
        "必填：专科、本科、硕士研究生、博士研究生（“大专”“高职”“硕士”“研究生”等常见写法亦可）",
    ),
    column(
        "毕业日期",
        &["毕业时间"],
        true,
        Kind::Date,
        "必填，如 2025-06-30；名册年度取毕业年份",
    ),
    column("求职意向", &["就业意向", "意向"], false, Kind::Text, ""),
];

fn read(plan: &Plan, values: &mut [String], today: NaiveDate) -> Result<RowData, Vec<FieldError>> {
    let person = person(values);
    let mut take = |i: usize| std::mem::take(&mut values[i]);
    let draft = GraduateDraft {
        person,
        school: take(6),
        major: take(7),
        degree: take(8),
        graduated_on: take(9),
        wish: take(10),
    };
    validate_graduate(plan, &draft, today).map(RowData::Graduate)
}
