//! People of the neighbouring districts working elsewhere as promotion targets (task 2.5.1:
//! 将周边区域外出就业人员纳入推介对象，同等享受相关返区服务).
//!
//! The smallest honest model: such a person is an out-migrant of the registry like any other —
//! one row per resident ID, with where they work and what they mean to do — whose household is
//! not in 东西湖区. The registry keeps the district their household is in (`home_district`),
//! and files them under a street of the district that is responsible for them (the street
//! that found them, or the one they would come back to). Everything the registry scopes by
//! street — lists, invitations, returnee services, the five-ones — then serves them the same
//! way as the street's own residents, which is what 同等享受相关返区服务 asks.

use chrono::NaiveDate;

use crate::field::FieldError;
use crate::people::{MigrantDraft, ValidMigrant, validate_migrant};
use crate::plan::Plan;

/// The districts around 东西湖区 whose people working elsewhere the seed takes in as promotion
/// targets (将周边区域外出就业人员纳入推介对象，同等享受相关返区服务). The seed does not list them;
/// these are the districts that share a border with 东西湖区 on the map — 武汉市's 黄陂区,
/// 江岸区, 江汉区, 硚口区, 汉阳区 and 蔡甸区, and 孝感市's 孝南区 and 汉川市 — to be confirmed by
/// 区人社局.
pub const NEIGHBOURING_DISTRICTS: [&str; 8] = [
    "黄陂区",
    "江岸区",
    "江汉区",
    "硚口区",
    "汉阳区",
    "蔡甸区",
    "孝南区",
    "汉川市",
];

/// A neighbouring district by its name (黄陂, 黄陂区, 武汉市黄陂区, 孝感市汉川市).
pub fn parse_home_district(input: &str) -> Result<&'static str, String> {
    let input = input.trim();
    let bare = ["武汉市", "孝感市"]
        .iter()
        .find_map(|city| input.strip_prefix(city))
        .unwrap_or(input);
    if bare.is_empty() {
        return Err("请填写户籍所在区".into());
    }
    if bare.starts_with("东西湖") {
        return Err("东西湖区户籍人员请按户籍街道登记，无需填写周边区域".into());
    }
    NEIGHBOURING_DISTRICTS
        .iter()
        .copied()
        .find(|d| *d == bare || d.strip_suffix(['区', '市']) == Some(bare))
        .ok_or_else(|| {
            format!(
                "“{input}”不是东西湖区的周边区域（{}）",
                NEIGHBOURING_DISTRICTS.join("、")
            )
        })
}

/// Checks a person of a neighbouring district as typed in: the survey row as for any
/// out-migrant, with the street responsible for them in place of a household street (its
/// errors named 负责街道), and their home district.
pub fn validate_neighbour(
    plan: &Plan,
    draft: &MigrantDraft,
    home_district: &str,
    today: NaiveDate,
) -> Result<(ValidMigrant, &'static str), Vec<FieldError>> {
    let home = parse_home_district(home_district);
    let migrant = validate_migrant(plan, draft, today);
    let mut errors = Vec::new();
    if let Err(message) = &home {
        errors.push(FieldError {
            field: "户籍所在区",
            message: message.clone(),
        });
    }
    match (migrant, home) {
        (Ok(migrant), Ok(home)) => Ok((migrant, home)),
        (migrant, _) => {
            let mut found = migrant.err().unwrap_or_default();
            for e in &mut found {
                if e.field == "户籍街道" {
                    e.field = "负责街道";
                    e.message = e.message.replace("户籍所在街道", "负责街道");
                }
            }
            errors.extend(found);
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::PersonDraft;

    #[test]
    fn neighbouring_districts_are_named_and_dongxihu_is_not_one() {
        assert_eq!(parse_home_district("黄陂"), Ok("黄陂区"));
        assert_eq!(parse_home_district("武汉市蔡甸区"), Ok("蔡甸区"));
        assert_eq!(parse_home_district("孝感市汉川市"), Ok("汉川市"));
        assert_eq!(parse_home_district("汉川"), Ok("汉川市"));
        assert!(parse_home_district("东西湖区").is_err());
        assert!(
            parse_home_district("洪山区")
                .unwrap_err()
                .contains("周边区域")
        );
        assert!(parse_home_district(" ").is_err());
    }

    #[test]
    fn a_person_of_huangpi_is_filed_under_the_street_responsible_for_them() {
        let plan = crate::plan::dongxihu();
        let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        let draft = MigrantDraft {
            person: PersonDraft {
                name: "周边人员".into(),
                // A 黄陂区 (420116) resident ID.
                id_number: "420116199001010039".into(),
                street: "径河".into(),
                ..PersonDraft::default()
            },
            province: "广东".into(),
            city: "东莞".into(),
            section: "C".into(),
            years_away: "5".into(),
            intention: "返区创业".into(),
            business_field: "电子元器件".into(),
            contact_consent: "是".into(),
            surveyed_on: "2025-05-30".into(),
            ..MigrantDraft::default()
        };
        let (migrant, home) = validate_neighbour(&plan, &draft, "黄陂", today).unwrap();
        assert_eq!(home, "黄陂区");
        assert_eq!(migrant.person.street_code, "jinghe");
        let no_street = MigrantDraft {
            person: PersonDraft {
                street: String::new(),
                ..draft.person.clone()
            },
            ..draft.clone()
        };
        let errors = validate_neighbour(&plan, &no_street, "东西湖区", today).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["户籍所在区", "负责街道"]);
    }
}
