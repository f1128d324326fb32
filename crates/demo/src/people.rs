//! Demo rosters of people: out-migrants of 东西湖区 working elsewhere (task 2.1.1) and
//! unplaced graduates (task 1.1.4), as the rows of a roster file, one at a time, so that a
//! million rows need never be in memory together. Every resident ID is valid (GB 11643, area
//! 420112 东西湖区) and unique within a stream: the n-th person's ID encodes n.

use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::STREETS;
use crate::pick;
use crate::words::{GIVEN_CHARS, MOBILE_PREFIXES, SURNAMES};

/// The header of the out-migrant roster file (the import template's columns).
pub const MIGRANT_HEADER: [&str; 17] = [
    "姓名",
    "身份证号码",
    "手机号码",
    "户籍街道",
    "社区（村）",
    "文化程度",
    "务工省份",
    "务工城市",
    "从事行业",
    "职业（工种）",
    "技能特长",
    "外出年限",
    "返区意向",
    "拟创业领域",
    "同意联系",
    "调查日期",
    "返区日期",
];

/// The header of the unplaced-graduate roster file.
pub const GRADUATE_HEADER: [&str; 11] = [
    "姓名",
    "身份证号码",
    "手机号码",
    "户籍街道",
    "社区（村）",
    "文化程度",
    "毕业院校",
    "专业",
    "学历",
    "毕业日期",
    "求职意向",
];

/// Where people of 东西湖区 go to work, weighted (most stay in the province).
const DESTINATIONS: [((&str, &[&str]), u32); 10] = [
    (("湖北省", &["武汉市", "孝感市", "宜昌市", "襄阳市"]), 30),
    (("广东省", &["深圳市", "广州市", "东莞市", "佛山市"]), 22),
    (("浙江省", &["杭州市", "宁波市", "义乌市"]), 12),
    (("江苏省", &["苏州市", "南京市", "无锡市"]), 9),
    (("上海市", &["上海市"]), 8),
    (("北京市", &["北京市"]), 5),
    (("福建省", &["厦门市", "福州市", "泉州市"]), 5),
    (("湖南省", &["长沙市"]), 4),
    (("四川省", &["成都市"]), 3),
    (("河南省", &["郑州市"]), 2),
];

/// Trades (GB/T 4754 section name) with an occupation and skills typical of them.
const TRADES: [((&str, &str, &str), u32); 9] = [
    (("制造业", "电子装配工", "焊接、设备维护"), 24),
    (("建筑业", "钢筋工", "施工管理"), 14),
    (("批发和零售业", "销售员", "电商运营"), 12),
    (("交通运输、仓储和邮政业", "货车司机", "A2驾照"), 11),
    (("住宿和餐饮业", "厨师", "中式烹调师证"), 10),
    (
        (
            "信息传输、软件和信息技术服务业",
            "软件工程师",
            "Java、数据分析",
        ),
        9,
    ),
    (("居民服务、修理和其他服务业", "汽修工", "汽车维修"), 8),
    (("农、林、牧、渔业", "种植户", "蔬菜大棚种植"), 6),
    (("卫生和社会工作", "护理员", "养老护理员证"), 6),
];

const INTENTIONS: [(&str, u32); 4] = [
    ("无意向", 40),
    ("未确定", 30),
    ("返区就业", 18),
    ("返区创业", 12),
];

const BUSINESS_FIELDS: [&str; 8] = [
    "农产品电商",
    "餐饮连锁",
    "物流配送",
    "汽车维修",
    "家政服务",
    "特色种养殖",
    "软件外包",
    "民宿文旅",
];

const SCHOOLING: [(&str, u32); 6] = [
    ("初中", 20),
    ("高中/中专/技校", 35),
    ("大专", 25),
    ("本科", 17),
    ("硕士", 2),
    ("小学及以下", 1),
];

const SCHOOLS: [&str; 10] = [
    "武汉大学",
    "华中科技大学",
    "武汉理工大学",
    "华中师范大学",
    "中南财经政法大学",
    "湖北大学",
    "江汉大学",
    "武汉纺织大学",
    "武汉城市职业学院",
    "武汉船舶职业技术学院",
];

const MAJORS: [(&str, &str); 10] = [
    ("会计学", "财务会计"),
    ("计算机科学与技术", "软件开发"),
    ("网络空间安全", "网络安全"),
    ("电子信息工程", "硬件工程师"),
    ("物流管理", "供应链管理"),
    ("食品科学与工程", "品控"),
    ("机械设计制造及其自动化", "设备工程师"),
    ("市场营销", "市场推广"),
    ("汉语言文学", "文员"),
    ("护理学", "护士"),
];

const DEGREES: [(&str, u32); 4] = [
    ("专科", 35),
    ("本科", 55),
    ("硕士研究生", 9),
    ("博士研究生", 1),
];

/// The GB 11643 check character of 17 digits.
pub fn check_character(first17: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize]
}

/// The resident ID of person `n` of a stream: area 420112, a birth date from `born_from` plus
/// n / 1000 days, the sequence n % 1000 — unique for n below 1000 × the days in range.
fn resident_id(n: u64, born_from: NaiveDate, span_days: u64) -> String {
    let born = born_from + Duration::days(((n / 1000) % span_days) as i64);
    let first17 = format!("420112{}{:03}", born.format("%Y%m%d"), n % 1000);
    let check = check_character(&first17);
    format!("{first17}{check}")
}

fn person_name(rng: &mut StdRng) -> String {
    let mut name = String::new();
    name.push(pick::char_of(rng, SURNAMES));
    name.push(pick::char_of(rng, GIVEN_CHARS));
    if rng.random_bool(0.7) {
        name.push(pick::char_of(rng, GIVEN_CHARS));
    }
    name
}

fn mobile(rng: &mut StdRng) -> String {
    format!(
        "{}{:08}",
        pick::one(rng, MOBILE_PREFIXES),
        rng.random_range(0..100_000_000u32)
    )
}

/// The n-th person's first six cells: name, ID, phone, street, community, schooling.
fn person(rng: &mut StdRng, id: String, street: &str) -> Vec<String> {
    let phone = if rng.random_bool(0.9) {
        mobile(rng)
    } else {
        String::new()
    };
    vec![
        person_name(rng),
        id,
        phone,
        street.to_owned(),
        format!("{}社区", pick::char_of(rng, "东西南北新和平安康乐福")),
        pick::weighted(rng, &SCHOOLING).to_string(),
    ]
}

/// An endless stream of out-migrant roster rows (cells as text), for `street` (every street
/// in turn when None). Born 1965–1999, surveyed in 2025.
pub fn migrant_rows(seed: u64, street: Option<&str>) -> impl Iterator<Item = Vec<String>> {
    let mut rng = StdRng::seed_from_u64(seed);
    let born_from = NaiveDate::from_ymd_opt(1965, 1, 1).unwrap_or_default();
    let street = street.map(str::to_owned);
    (0u64..).map(move |n| {
        let home = street
            .clone()
            .unwrap_or_else(|| STREETS[(n % STREETS.len() as u64) as usize].1.to_owned());
        let mut row = person(&mut rng, resident_id(n, born_from, 12_700), &home);
        let (province, cities) = *pick::weighted(&mut rng, &DESTINATIONS);
        let (section, occupation, skills) = *pick::weighted(&mut rng, &TRADES);
        let intention = *pick::weighted(&mut rng, &INTENTIONS);
        let surveyed = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default()
            + Duration::days(rng.random_range(0..200));
        let returned = if intention != "无意向" && rng.random_bool(0.08) {
            (surveyed + Duration::days(rng.random_range(1..60))).to_string()
        } else {
            String::new()
        };
        row.extend([
            province.to_owned(),
            pick::one(&mut rng, cities).to_string(),
            section.to_owned(),
            occupation.to_owned(),
            skills.to_owned(),
            rng.random_range(1..25u32).to_string(),
            intention.to_owned(),
            if intention == "返区创业" {
                pick::one(&mut rng, &BUSINESS_FIELDS).to_string()
            } else {
                String::new()
            },
            if rng.random_bool(0.85) { "是" } else { "否" }.to_owned(),
            surveyed.to_string(),
            returned,
        ]);
        row
    })
}

/// An endless stream of unplaced-graduate roster rows of `year` (graduated in June), for
/// `street` (every street in turn when None). Born 1998–2004; IDs apart from the migrants'.
pub fn graduate_rows(
    seed: u64,
    year: i32,
    street: Option<&str>,
) -> impl Iterator<Item = Vec<String>> {
    let mut rng = StdRng::seed_from_u64(seed);
    let born_from = NaiveDate::from_ymd_opt(1998, 1, 1).unwrap_or_default();
    let street = street.map(str::to_owned);
    (0u64..).map(move |n| {
        let home = street
            .clone()
            .unwrap_or_else(|| STREETS[(n % STREETS.len() as u64) as usize].1.to_owned());
        let mut row = person(&mut rng, resident_id(n, born_from, 2_500), &home);
        row[5] = String::new();
        let (major, wish) = *pick::one(&mut rng, &MAJORS);
        let graduated = NaiveDate::from_ymd_opt(year, 6, 20).unwrap_or_default()
            + Duration::days(rng.random_range(0..15));
        row.extend([
            pick::one(&mut rng, &SCHOOLS).to_string(),
            major.to_owned(),
            pick::weighted(&mut rng, &DEGREES).to_string(),
            graduated.to_string(),
            wish.to_owned(),
        ]);
        row
    })
}
