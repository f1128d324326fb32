//! Industries: the 20 sections of GB/T 4754-2017 (国民经济行业分类) and the plan's leading
//! industries (东政办〔2025〕3号 任务 1.1.1: 网络安全+大数据、电子信息、智能制造、现代商贸物流、食品大健康).

use serde::Serialize;

/// GB/T 4754-2017 sections, letter and name.
pub const SECTIONS: [(char, &str); 20] = [
    ('A', "农、林、牧、渔业"),
    ('B', "采矿业"),
    ('C', "制造业"),
    ('D', "电力、热力、燃气及水生产和供应业"),
    ('E', "建筑业"),
    ('F', "批发和零售业"),
    ('G', "交通运输、仓储和邮政业"),
    ('H', "住宿和餐饮业"),
    ('I', "信息传输、软件和信息技术服务业"),
    ('J', "金融业"),
    ('K', "房地产业"),
    ('L', "租赁和商务服务业"),
    ('M', "科学研究和技术服务业"),
    ('N', "水利、环境和公共设施管理业"),
    ('O', "居民服务、修理和其他服务业"),
    ('P', "教育"),
    ('Q', "卫生和社会工作"),
    ('R', "文化、体育和娱乐业"),
    ('S', "公共管理、社会保障和社会组织"),
    ('T', "国际组织"),
];

/// A GB/T 4754 section, parsed from its letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Section(char);

impl Section {
    pub fn parse(input: &str) -> Result<Section, String> {
        let letter = input.trim().to_uppercase();
        let mut chars = letter.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if SECTIONS.iter().any(|(l, _)| *l == c) => Ok(Section(c)),
            _ => Err(format!(
                "行业门类“{}”不存在（应为 GB/T 4754 门类字母 A 至 T）",
                input.trim()
            )),
        }
    }

    pub fn letter(self) -> char {
        self.0
    }

    pub fn name(self) -> &'static str {
        SECTIONS
            .iter()
            .find(|(l, _)| *l == self.0)
            .map_or("", |(_, n)| n)
    }
}

/// The divisions (大类, two digits) of each GB/T 4754-2017 section, first and last.
const DIVISIONS: [(char, u8, u8); 20] = [
    ('A', 1, 5),
    ('B', 6, 12),
    ('C', 13, 43),
    ('D', 44, 46),
    ('E', 47, 50),
    ('F', 51, 52),
    ('G', 53, 60),
    ('H', 61, 62),
    ('I', 63, 65),
    ('J', 66, 69),
    ('K', 70, 70),
    ('L', 71, 72),
    ('M', 73, 75),
    ('N', 76, 79),
    ('O', 80, 82),
    ('P', 83, 83),
    ('Q', 84, 85),
    ('R', 86, 90),
    ('S', 91, 96),
    ('T', 97, 97),
];

/// A GB/T 4754-2017 code below the section: a division (大类 `65`), a group (中类 `651`) or a
/// class (小类 `6513`). Its section follows from the division.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct IndustryCode(String);

impl IndustryCode {
    pub fn parse(input: &str) -> Result<IndustryCode, String> {
        let code = input.trim();
        let digits = (2..=4).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit());
        let division = code.get(..2).and_then(|d| d.parse::<u8>().ok());
        match division {
            Some(d) if digits && DIVISIONS.iter().any(|(_, lo, hi)| (*lo..=*hi).contains(&d)) => {
                Ok(IndustryCode(code.to_owned()))
            }
            _ => Err(format!(
                "行业代码“{code}”不对：应为 GB/T 4754-2017 的 2 至 4 位数字代码，如 6513"
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The section the code's division belongs to.
    pub fn section(&self) -> Section {
        let division = self.0[..2].parse::<u8>().unwrap_or(0);
        let letter = DIVISIONS
            .iter()
            .find(|(_, lo, hi)| (*lo..=*hi).contains(&division))
            .map_or('T', |(l, _, _)| *l);
        Section(letter)
    }
}

/// The plan's leading industries, the tag a job post carries for indicator 1.1.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadingIndustry {
    CyberSecurityBigData,
    ElectronicInformation,
    IntelligentManufacturing,
    ModernLogistics,
    FoodHealth,
    Other,
}

impl LeadingIndustry {
    pub const ALL: [LeadingIndustry; 6] = [
        LeadingIndustry::CyberSecurityBigData,
        LeadingIndustry::ElectronicInformation,
        LeadingIndustry::IntelligentManufacturing,
        LeadingIndustry::ModernLogistics,
        LeadingIndustry::FoodHealth,
        LeadingIndustry::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LeadingIndustry::CyberSecurityBigData => "cyber_security_big_data",
            LeadingIndustry::ElectronicInformation => "electronic_information",
            LeadingIndustry::IntelligentManufacturing => "intelligent_manufacturing",
            LeadingIndustry::ModernLogistics => "modern_logistics",
            LeadingIndustry::FoodHealth => "food_health",
            LeadingIndustry::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LeadingIndustry::CyberSecurityBigData => "网络安全+大数据",
            LeadingIndustry::ElectronicInformation => "电子信息",
            LeadingIndustry::IntelligentManufacturing => "智能制造",
            LeadingIndustry::ModernLogistics => "现代商贸物流",
            LeadingIndustry::FoodHealth => "食品大健康",
            LeadingIndustry::Other => "其他",
        }
    }

    pub fn parse(code: &str) -> Result<LeadingIndustry, String> {
        LeadingIndustry::ALL
            .into_iter()
            .find(|i| i.code() == code.trim() || i.label() == code.trim())
            .ok_or_else(|| format!("主导产业“{}”不存在", code.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_parse_by_letter_in_either_case() {
        assert_eq!(
            Section::parse("i").unwrap().name(),
            "信息传输、软件和信息技术服务业"
        );
        assert_eq!(Section::parse(" C ").unwrap().letter(), 'C');
        assert!(Section::parse("Z").unwrap_err().contains("A 至 T"));
        assert!(Section::parse("CC").is_err());
    }

    #[test]
    fn an_industry_code_names_its_section_by_its_division() {
        assert_eq!(IndustryCode::parse("6513").unwrap().section().letter(), 'I');
        assert_eq!(IndustryCode::parse(" 27 ").unwrap().section().letter(), 'C');
        assert_eq!(IndustryCode::parse("721").unwrap().section().letter(), 'L');
        for bad in ["", "6", "65131", "98", "ab", "00"] {
            assert!(
                IndustryCode::parse(bad)
                    .unwrap_err()
                    .starts_with("行业代码"),
                "{bad}"
            );
        }
    }

    #[test]
    fn leading_industries_parse_by_code_or_name() {
        assert_eq!(
            LeadingIndustry::parse("智能制造").unwrap(),
            LeadingIndustry::IntelligentManufacturing
        );
        assert_eq!(
            LeadingIndustry::parse("food_health").unwrap().label(),
            "食品大健康"
        );
        assert!(LeadingIndustry::parse("航天").is_err());
    }
}
