//! The out-migrant roster (外出就业人员信息库, task 2.1.1): its columns, and the reading of a
//! row into a survey draft.

use chrono::NaiveDate;
use linkong_core::access::Roster;
use linkong_core::field::FieldError;
use linkong_core::people::{MigrantDraft, PersonDraft, validate_migrant};
use linkong_core::plan::Plan;
use linkong_store::people::RowData;

use crate::layout::{Column, Kind};
use crate::run::RosterFile;

/// The out-migrant roster as a file.
pub const FILE: RosterFile = RosterFile {
    roster: Roster::Migrants,
    sheet_name: "外出就业人员",
    columns: &COLUMNS,
    read,
};

fn read(plan: &Plan, values: &mut [String], today: NaiveDate) -> Result<RowData, Vec<FieldError>> {
    validate_migrant(plan, &draft(values), today).map(RowData::Migrant)
}

/// The first six columns of every roster: the resident.
pub(crate) fn person(values: &mut [String]) -> PersonDraft {
    let mut take = |i: usize| std::mem::take(&mut values[i]);
    PersonDraft {
        name: take(0),
        id_number: take(1),
        phone: take(2),
        street: take(3),
        community: take(4),
        schooling: take(5),
    }
}

pub(crate) const fn column(
    header: &'static str,
    aliases: &'static [&'static str],
    required: bool,
    kind: Kind,
    note: &'static str,
) -> Column {
    Column {
        header,
        aliases,
        required,
        kind,
        note,
    }
}

/// The resident's columns, first in every roster.
pub(crate) const PERSON: [Column; 6] = [
    column("姓名", &[], true, Kind::Text, "必填"),
    column(
        "身份证号码",
        &["公民身份号码", "身份证号", "身份证"],
        true,
        Kind::Identifier,
        "必填，18位；请保持“文本”格式，勿让 Excel 转成数字",
    ),
    column(
        "手机号码",
        &["联系电话", "手机号", "电话"],
        false,
        Kind::Identifier,
        "11位手机号或“区号-号码”；请保持“文本”格式",
    ),
    column(
        "户籍街道",
        &["街道", "所属街道"],
        true,
        Kind::Text,
        "必填，东西湖区街道名称，如“径河街道”或“径河”",
    ),
    column(
        "社区（村）",
        &["社区", "村（社区）", "所在社区"],
        false,
        Kind::Text,
        "",
    ),
    column(
        "文化程度",
        &[],
        false,
        Kind::Text,
        "小学及以下、初中、高中/中专/技校、大专、本科、硕士、博士（“初中毕业”“中专”“大学本科”“研究生”等常见写法亦可）",
    ),
];

/// The columns, in template order. Headers equal the field names of the row checks, so that a
/// problem found by `core` points at its column.
pub const COLUMNS: [Column; 17] = [
    PERSON[0],
    PERSON[1],
    PERSON[2],
    PERSON[3],
    PERSON[4],
    PERSON[5],
    column(
        "务工省份",
        &["所在省份", "省份"],
        true,
        Kind::Text,
        "必填，如“广东省”或“广东”",
    ),
    column("务工城市", &["所在城市", "城市"], true, Kind::Text, "必填"),
    column(
        "从事行业",
        &["行业", "行业门类"],
        true,
        Kind::Text,
        "必填，国民经济行业分类门类名称或字母，如“制造业”或“C”",
    ),
    column("职业（工种）", &["职业", "工种"], false, Kind::Text, ""),
    column("技能特长", &["技能"], false, Kind::Text, ""),
    column(
        "外出年限",
        &["外出年数"],
        true,
        Kind::Text,
        "必填，整数（年）",
    ),
    column(
        "返区意向",
        &["返乡意向", "意向"],
        true,
        Kind::Text,
        "必填：无意向、未确定、返区就业、返区创业（“无”“观望”“有意向返乡创业”等常见写法亦可）",
    ),
    column(
        "拟创业领域",
        &["创业领域"],
        false,
        Kind::Text,
        "返区创业意向必填",
    ),
    column(
        "同意联系",
        &["是否同意联系"],
        true,
        Kind::Text,
        "必填：是 / 否（同意/不同意、√/× 亦可）",
    ),
    column(
        "调查日期",
        &["摸排日期"],
        true,
        Kind::Date,
        "必填，如 2025-03-01、2025/3/1 或 2025年3月1日",
    ),
    column(
        "返区日期",
        &["返乡日期"],
        false,
        Kind::Date,
        "已返区的填写返区日期",
    ),
];

/// A survey draft from the texts of one row, in [`COLUMNS`] order.
pub fn draft(values: &mut [String]) -> MigrantDraft {
    let person = person(values);
    let mut take = |i: usize| std::mem::take(&mut values[i]);
    MigrantDraft {
        person,
        province: take(6),
        city: take(7),
        section: take(8),
        occupation: take(9),
        skills: take(10),
        years_away: take(11),
        intention: take(12),
        business_field: take(13),
        contact_consent: take(14),
        surveyed_on: take(15),
        returned_on: take(16),
    }
}
