//! Where an event is held (task 2.5.1): in the district, or elsewhere (province and city), and
//! whether that place is a coastal, economically developed region (沿海经济发达地区) — the plan
//! asks for one promotion event a year there.

use crate::field::FieldError;
use crate::people::parse_province;

/// The provincial divisions counted as 沿海经济发达地区. The seed names the region but not its
/// members, so the list is our reading, to be confirmed by 区人社局: the coastal provincial
/// divisions (those with a sea coast) that the National Bureau of Statistics counts in the
/// eastern region (国家统计局《东西中部和东北地区划分方法》: 北京、天津、河北、上海、江苏、浙江、
/// 福建、山东、广东、海南 — less 北京, which has no coast), and the two special administrative
/// regions. Inland eastern provinces and the coastal 辽宁 (东北) and 广西 (西部) are not in it.
pub const COASTAL_PROVINCES: [&str; 11] = [
    "天津市",
    "河北省",
    "上海市",
    "江苏省",
    "浙江省",
    "福建省",
    "山东省",
    "广东省",
    "海南省",
    "香港特别行政区",
    "澳门特别行政区",
];

/// Is this province (full name, as [`parse_province`] gives it) a coastal, economically
/// developed region? Decided per province: the seed names regions, not cities.
pub fn is_coastal(province: &str) -> bool {
    COASTAL_PROVINCES.contains(&province)
}

/// Where an event is held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Venue<'a> {
    /// In 东西湖区.
    District,
    /// Elsewhere: the province (full name), the city, and whether it is a coastal, economically
    /// developed region (by [`is_coastal`]).
    Away {
        province: &'static str,
        city: &'a str,
        coastal: bool,
    },
}

impl Venue<'_> {
    pub fn coastal(&self) -> bool {
        matches!(self, Venue::Away { coastal: true, .. })
    }
}

/// Where an event is held, as typed: `away` (区外) with its province and city, and the
/// coastal flag the form ticks. Whether a place is coastal is the rule's to say; a ticked flag
/// that the rule contradicts (a place in the district, an inland province) is refused, so that
/// what staff claimed and what is counted never differ.
pub fn check_venue<'a>(
    away: bool,
    province: &str,
    city: &'a str,
    coastal_flag: bool,
    errors: &mut Vec<FieldError>,
) -> Option<Venue<'a>> {
    let mut wrong =
        |field: &'static str, message: String| errors.push(FieldError { field, message });
    let city = city.trim();
    if !away {
        if coastal_flag {
            wrong(
                "沿海经济发达地区",
                "区内举办的活动不能计为赴沿海经济发达地区的活动".into(),
            );
        }
        if !province.trim().is_empty() || !city.is_empty() {
            wrong(
                "举办地域",
                "填写了外地省份或城市，请选择“区外”，或清空省份和城市".into(),
            );
        }
        return Some(Venue::District);
    }
    let province = parse_province(province)
        .map_err(|message| wrong("举办省份", message.replace("务工所在", "举办地所在")))
        .ok();
    if !(1..=30).contains(&city.chars().count()) {
        wrong("举办城市", "请填写举办城市（30 字以内）".into());
    }
    if let Some(province) = province
        && coastal_flag
        && !is_coastal(province)
    {
        wrong(
            "沿海经济发达地区",
            format!(
                "{province}不属于沿海经济发达地区（{}）",
                COASTAL_PROVINCES.join("、")
            ),
        );
    }
    province.map(|province| Venue::Away {
        province,
        city,
        coastal: is_coastal(province),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_coastal_developed_regions_are_the_eastern_provinces_on_the_sea() {
        for p in [
            "广东省",
            "浙江省",
            "江苏省",
            "上海市",
            "福建省",
            "山东省",
            "天津市",
        ] {
            assert!(is_coastal(p), "{p}");
        }
        // Inland, or coastal but outside the eastern region.
        for p in [
            "北京市",
            "湖北省",
            "四川省",
            "安徽省",
            "辽宁省",
            "广西壮族自治区",
        ] {
            assert!(!is_coastal(p), "{p}");
        }
        assert!(
            COASTAL_PROVINCES
                .iter()
                .all(|p| crate::people::PROVINCES.contains(p))
        );
    }

    fn venue(
        away: bool,
        province: &str,
        city: &str,
        flag: bool,
    ) -> Result<Venue<'static>, Vec<&'static str>> {
        let mut errors = Vec::new();
        let city: &'static str = Box::leak(city.to_owned().into_boxed_str());
        let venue = check_venue(away, province, city, flag, &mut errors);
        match (venue, errors.is_empty()) {
            (Some(v), true) => Ok(v),
            _ => Err(errors.iter().map(|e| e.field).collect()),
        }
    }

    #[test]
    fn an_event_in_shenzhen_is_coastal_whether_ticked_or_not() {
        let expected = Venue::Away {
            province: "广东省",
            city: "深圳",
            coastal: true,
        };
        assert_eq!(venue(true, "广东", "深圳", true), Ok(expected.clone()));
        assert_eq!(venue(true, "广东省", "深圳", false), Ok(expected));
    }

    #[test]
    fn a_coastal_flag_for_a_place_in_the_district_is_refused() {
        assert_eq!(venue(false, "", "", true), Err(vec!["沿海经济发达地区"]));
        assert_eq!(venue(false, "", "", false), Ok(Venue::District));
    }

    #[test]
    fn a_coastal_flag_for_an_inland_province_is_refused() {
        assert_eq!(
            venue(true, "四川", "成都", true),
            Err(vec!["沿海经济发达地区"])
        );
        assert_eq!(
            venue(true, "四川", "成都", false),
            Ok(Venue::Away {
                province: "四川省",
                city: "成都",
                coastal: false
            })
        );
    }

    #[test]
    fn an_event_elsewhere_names_its_province_and_city() {
        assert_eq!(
            venue(true, "", "", false),
            Err(vec!["举办省份", "举办城市"])
        );
        assert_eq!(venue(true, "火星", "x", false), Err(vec!["举办省份"]));
        assert_eq!(venue(false, "广东", "深圳", false), Err(vec!["举办地域"]));
    }
}
