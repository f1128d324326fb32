//! Employers (用人单位) registered in 东西湖区: name, USCC, industry, street and contact.

use std::collections::HashSet;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::STREETS;
use crate::pick;
use crate::words::{
    BRAND_CHARS, GIVEN_CHARS, MOBILE_PREFIXES, NAME_PREFIXES, NAME_SUFFIXES, PLACE_BRANDS, SECTORS,
    SURNAMES, Sector,
};

/// A demo employer located in 东西湖区.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoEmployer {
    /// "武汉临空港智造科技有限公司"; unique within one call of [`employers`].
    pub name: String,
    /// 统一社会信用代码, valid per GB 32100 and registered in 东西湖区 (420112); unique.
    pub uscc: String,
    /// GB/T 4754 section letter ('C' 制造业, 'G' 交通运输、仓储和邮政业 …).
    pub industry: char,
    /// Leading-industry code (`cyber_security_big_data`, …, `other`).
    pub leading: &'static str,
    /// Unit code of the street the employer is located in.
    pub street: &'static str,
    pub contact_name: String,
    /// A mainland mobile number, 1[3-9] and nine more digits.
    pub contact_phone: String,
}

/// GB 32100-2015: the 31 characters of a USCC and the weights of positions 1–17.
const USCC_CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// "9" 工商登记机关, "1" 企业; then the GB/T 2260 code of 东西湖区.
const USCC_HEAD: &str = "91420112";

/// How many employers each street has, roughly: the industrial parks of 径河、走马岭、金银湖 and
/// 吴家山 host more of them than the farming streets of 辛安渡 and 东山.
const STREET_WEIGHTS: [u32; 12] = [12, 10, 12, 8, 8, 12, 5, 6, 10, 4, 5, 8];

/// Tries at a fresh random name before a branch suffix makes it unique.
const NAME_TRIES: usize = 50;

/// `n` employers, the same for the same seed; the first `k` of them do not depend on `n`.
pub fn employers(seed: u64, n: usize) -> Vec<DemoEmployer> {
    let mut rng = StdRng::seed_from_u64(seed);
    let sectors: Vec<(&Sector, u32)> = SECTORS.iter().map(|s| (s, s.weight)).collect();
    let streets: Vec<(&'static str, u32)> = STREETS
        .iter()
        .zip(STREET_WEIGHTS)
        .map(|((code, _), weight)| (*code, weight))
        .collect();
    let mut names = HashSet::with_capacity(n);
    let mut codes = HashSet::with_capacity(n);
    let mut employers = Vec::with_capacity(n);
    for _ in 0..n {
        let sector = *pick::weighted(&mut rng, &sectors);
        let name = unique_name(&mut rng, sector, &mut names);
        let uscc = loop {
            let code = uscc(&mut rng);
            if codes.insert(code.clone()) {
                break code;
            }
        };
        let street = *pick::weighted(&mut rng, &streets);
        employers.push(DemoEmployer {
            name,
            uscc,
            industry: sector.section,
            leading: sector.leading.code(),
            street,
            contact_name: person_name(&mut rng),
            contact_phone: mobile(&mut rng),
        });
    }
    employers
}

fn unique_name(rng: &mut StdRng, sector: &Sector, taken: &mut HashSet<String>) -> String {
    for _ in 0..NAME_TRIES {
        let name = company_name(rng, sector);
        if taken.insert(name.clone()) {
            return name;
        }
    }
    // Only when the word lists run out: a numbered branch (分公司) is a real and unique form.
    let base = company_name(rng, sector);
    let name = (2..)
        .map(|i| format!("{base}东西湖第{i}分公司"))
        .find(|name| !taken.contains(name))
        .unwrap_or(base);
    taken.insert(name.clone());
    name
}

/// Prefix, brand, trade and form: "武汉" + "金银湖" + "冷链物流" + "有限公司".
fn company_name(rng: &mut StdRng, sector: &Sector) -> String {
    let prefix = pick::weighted(rng, NAME_PREFIXES);
    let brand = if rng.random_bool(0.25) {
        (*pick::one(rng, PLACE_BRANDS)).to_owned()
    } else {
        let first = pick::char_of(rng, BRAND_CHARS);
        let second = loop {
            let c = pick::char_of(rng, BRAND_CHARS);
            if c != first {
                break c;
            }
        };
        format!("{first}{second}")
    };
    let trade = pick::one(rng, sector.trades);
    let suffix = pick::weighted(rng, NAME_SUFFIXES);
    format!("{prefix}{brand}{trade}{suffix}")
}

/// A USCC of a company registered in 东西湖区: positions 9–17 are the organisation code (most
/// codes issued since 2015 begin "MA4"), position 18 the GB 32100 check character.
fn uscc(rng: &mut StdRng) -> String {
    uscc_with(rng, USCC_HEAD)
}

/// A USCC beginning with `head` (registration authority, entity type and the division code,
/// 8 characters): the organisation code drawn, the check character computed.
pub(crate) fn uscc_with(rng: &mut StdRng, head: &str) -> String {
    let mut code = String::with_capacity(18);
    code.push_str(head);
    if rng.random_bool(0.75) {
        code.push_str("MA4");
    }
    while code.len() < 17 {
        code.push(*pick::one(rng, USCC_CHARSET) as char);
    }
    let sum: usize = code
        .bytes()
        .zip(USCC_WEIGHTS)
        .map(|(c, w)| USCC_CHARSET.iter().position(|&x| x == c).unwrap_or(0) * w)
        .sum();
    code.push(USCC_CHARSET[(31 - sum % 31) % 31] as char);
    code
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
    let mut phone = (*pick::one(rng, MOBILE_PREFIXES)).to_owned();
    for _ in 0..8 {
        phone.push(char::from(b'0' + rng.random_range(0..10u8)));
    }
    phone
}
