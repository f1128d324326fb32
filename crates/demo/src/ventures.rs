//! Returnee ventures for the demo (issue 13): the businesses demo returnees open, by the
//! start-up field they gave in the survey, and the start-up projects each collecting unit of
//! task 2.1.2 puts into the project library.

use rand::rngs::StdRng;

use crate::employers::uscc_with;

/// What a returnee with a start-up field (拟创业领域) opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Venture {
    pub field: &'static str,
    /// The trade in the business's name (name = street + trade).
    pub trade: &'static str,
    /// `core::businesses::LegalForm` code.
    pub legal_form: &'static str,
    /// GB/T 4754 section letter.
    pub section: &'static str,
    /// `core::businesses::BusinessForm` codes.
    pub forms: &'static [&'static str],
    /// Where such a business sets up.
    pub site: &'static str,
}

/// One venture per start-up field of the demo out-migrants.
pub const VENTURES: [Venture; 8] = [
    Venture {
        field: "农产品电商",
        trade: "优品农产品电商服务部",
        legal_form: "individual_business",
        section: "F",
        forms: &["live_commerce", "modern_agriculture"],
        site: "东西湖区返乡创业园",
    },
    Venture {
        field: "餐饮连锁",
        trade: "乡味小厨餐饮店",
        legal_form: "individual_business",
        section: "H",
        forms: &["other"],
        site: "",
    },
    Venture {
        field: "物流配送",
        trade: "速达同城配送有限公司",
        legal_form: "small_micro",
        section: "G",
        forms: &["other"],
        site: "临空港物流园",
    },
    Venture {
        field: "汽车维修",
        trade: "安途汽车维修服务部",
        legal_form: "individual_business",
        section: "O",
        forms: &["other"],
        site: "",
    },
    Venture {
        field: "家政服务",
        trade: "暖心家政服务有限公司",
        legal_form: "small_micro",
        section: "O",
        forms: &["other"],
        site: "",
    },
    Venture {
        field: "特色种养殖",
        trade: "绿野种养殖专业合作社",
        legal_form: "cooperative",
        section: "A",
        forms: &["modern_agriculture", "rural_tourism"],
        site: "柏泉茅庙集",
    },
    Venture {
        field: "软件外包",
        trade: "云启软件科技有限公司",
        legal_form: "small_micro",
        section: "I",
        forms: &["tech_innovation"],
        site: "东西湖区创业孵化基地",
    },
    Venture {
        field: "民宿文旅",
        trade: "江畔休闲民宿",
        legal_form: "individual_business",
        section: "H",
        forms: &["homestay", "rural_tourism", "wellness"],
        site: "慈惠沿江小镇",
    },
];

/// The venture of a start-up field; an unknown field opens a small shop.
pub fn venture_for(field: &str) -> &'static Venture {
    VENTURES
        .iter()
        .find(|v| v.field == field)
        .unwrap_or(&VENTURES[1])
}

/// A USCC for a business of `legal_form` registered in 东西湖区: 92 for 个体工商户, 93 for
/// 农民专业合作社, 52 for 民办非企业单位, 91 for enterprises (GB 32100 registration authority and
/// entity type).
pub fn business_uscc(rng: &mut StdRng, legal_form: &str) -> String {
    let head = match legal_form {
        "individual_business" => "92420112",
        "cooperative" => "93420112",
        "private_non_enterprise" => "52420112",
        _ => "91420112",
    };
    uscc_with(rng, head)
}

/// A start-up project a unit collects for the library (task 2.1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectIdea {
    pub unit: &'static str,
    pub name: &'static str,
    pub section: &'static str,
    pub agricultural: bool,
    /// 万元.
    pub investment: (u32, u32),
    pub jobs: u32,
    pub outlook: &'static str,
    pub site_needs: &'static str,
}

const fn idea(
    unit: &'static str,
    name: &'static str,
    section: &'static str,
    agricultural: bool,
    (min, max, jobs): (u32, u32, u32),
    outlook: &'static str,
    site_needs: &'static str,
) -> ProjectIdea {
    ProjectIdea {
        unit,
        name,
        section,
        agricultural,
        investment: (min, max),
        jobs,
        outlook,
        site_needs,
    }
}

/// The ideas of every collecting unit; a unit draws its own in turn.
pub const PROJECT_IDEAS: [ProjectIdea; 30] = [
    idea(
        "swj",
        "社区生鲜团购服务站",
        "F",
        false,
        (5, 20, 4),
        "社区团购订单稳定增长，临空港新建小区多，末端配送需求大。",
        "临街门面 60 平方米",
    ),
    idea(
        "swj",
        "汉派小吃连锁加盟店",
        "H",
        false,
        (15, 40, 6),
        "热干面、豆皮等汉派小吃客流稳定，品牌连锁降低经营风险。",
        "商圈门面 80 平方米",
    ),
    idea(
        "swj",
        "直播带货选品中心",
        "F",
        false,
        (10, 50, 8),
        "本地农产品和食品企业有线上销售需求，缺少专业选品和主播团队。",
        "直播间 3 间",
    ),
    idea(
        "swj",
        "跨境电商小商品出口",
        "F",
        false,
        (20, 80, 5),
        "综保区通关便利，小商品出口订单增长。",
        "办公及仓储 200 平方米",
    ),
    idea(
        "swj",
        "社区便民维修服务",
        "O",
        false,
        (3, 10, 3),
        "家电、管道等上门维修需求大，从业门槛低。",
        "",
    ),
    idea(
        "jkj",
        "工业产品设计工作室",
        "M",
        false,
        (10, 30, 5),
        "区内制造企业新品开发外包需求增加。",
        "孵化器工位 10 个",
    ),
    idea(
        "jkj",
        "小程序和软件外包服务",
        "I",
        false,
        (5, 20, 6),
        "中小企业数字化改造带来软件定制需求。",
        "孵化器工位 8 个",
    ),
    idea(
        "jkj",
        "智能硬件组装测试",
        "C",
        false,
        (30, 100, 12),
        "电子信息产业配套组装测试订单较多。",
        "标准厂房 500 平方米",
    ),
    idea(
        "fgj",
        "屋顶光伏运维服务",
        "D",
        false,
        (20, 60, 6),
        "分布式光伏装机量增长，运维服务供不应求。",
        "仓库 100 平方米",
    ),
    idea(
        "fgj",
        "新能源汽车充电站运营",
        "D",
        false,
        (50, 150, 4),
        "新能源汽车保有量快速增长，社区充电设施不足。",
        "停车场场地",
    ),
    idea(
        "fgj",
        "冷链物流城市配送",
        "G",
        false,
        (40, 120, 10),
        "食品产业园冷链需求旺盛。",
        "冷库 300 平方米",
    ),
    idea(
        "nyncj",
        "稻虾共作生态种养",
        "A",
        true,
        (20, 60, 8),
        "小龙虾市场需求稳定，稻虾共作亩均效益高。",
        "水田 50 亩",
    ),
    idea(
        "nyncj",
        "特色果蔬采摘园",
        "A",
        true,
        (30, 80, 10),
        "城郊休闲采摘客源充足，可与乡村旅游结合。",
        "土地 30 亩",
    ),
    idea(
        "nyncj",
        "花卉苗木种植",
        "A",
        true,
        (15, 50, 6),
        "城市绿化和家庭园艺需求增长。",
        "大棚 20 亩",
    ),
    idea(
        "nyncj",
        "生态渔业和休闲垂钓",
        "A",
        true,
        (25, 70, 7),
        "周末休闲垂钓客流稳定。",
        "鱼塘 40 亩",
    ),
    idea(
        "nyncj",
        "农产品初加工和电商",
        "C",
        true,
        (10, 40, 8),
        "本地蔬菜、禽蛋缺少品牌和线上渠道。",
        "加工用房 200 平方米",
    ),
    idea(
        "gaoxin",
        "网络安全技能培训",
        "P",
        false,
        (10, 30, 5),
        "国家网络安全人才与创新基地带动培训需求。",
        "教室 2 间",
    ),
    idea(
        "gaoxin",
        "数据标注服务",
        "I",
        false,
        (5, 20, 15),
        "人工智能企业数据标注外包需求大，吸纳就业多。",
        "办公 150 平方米",
    ),
    idea(
        "jidian",
        "机电设备维修服务",
        "O",
        false,
        (10, 30, 6),
        "园区机电企业设备维保外包增加。",
        "维修车间 200 平方米",
    ),
    idea(
        "jidian",
        "汽车零部件再制造",
        "C",
        false,
        (50, 200, 15),
        "汽车后市场零部件再制造符合循环经济方向。",
        "标准厂房 800 平方米",
    ),
    idea(
        "zongbao",
        "跨境电商海外仓服务",
        "G",
        false,
        (30, 100, 8),
        "综保区跨境电商企业需要一站式仓储和物流服务。",
        "保税仓 500 平方米",
    ),
    idea(
        "zongbao",
        "保税商品展示交易",
        "F",
        false,
        (20, 60, 6),
        "保税商品线下展示交易模式受消费者欢迎。",
        "展厅 300 平方米",
    ),
    idea(
        "xiandaifuwu",
        "社区托育服务",
        "Q",
        false,
        (20, 60, 8),
        "新建小区年轻家庭多，普惠托育供给不足。",
        "场地 300 平方米",
    ),
    idea(
        "xiandaifuwu",
        "居家养老上门服务",
        "Q",
        false,
        (10, 30, 10),
        "老龄人口增长，居家养老服务需求大。",
        "",
    ),
    idea(
        "linkong",
        "航空物流配套服务",
        "G",
        false,
        (30, 100, 10),
        "天河机场货运增长带动配套服务需求。",
        "仓储 400 平方米",
    ),
    idea(
        "linkong",
        "临空商务会展服务",
        "L",
        false,
        (10, 40, 6),
        "临空经济区会展活动增多。",
        "办公 100 平方米",
    ),
    idea(
        "shiyao",
        "预制菜加工作坊",
        "C",
        false,
        (30, 90, 12),
        "食品产业园预制菜产业链完整，市场增长快。",
        "食品加工厂房 400 平方米",
    ),
    idea(
        "shiyao",
        "休闲食品品牌工作室",
        "C",
        false,
        (10, 40, 6),
        "本地特色休闲食品有品牌化空间。",
        "食品生产许可场地",
    ),
    idea(
        "rsj",
        "返乡创业孵化服务",
        "L",
        false,
        (10, 30, 5),
        "返区创业人员需要一站式孵化和代办服务。",
        "孵化基地场地",
    ),
    idea(
        "rsj",
        "人力资源外包服务",
        "L",
        false,
        (10, 30, 8),
        "园区企业灵活用工需求大。",
        "办公 120 平方米",
    ),
];

/// The ideas of one collecting unit, in order.
pub fn project_ideas(unit: &str) -> Vec<&'static ProjectIdea> {
    PROJECT_IDEAS.iter().filter(|i| i.unit == unit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use linkong_core::businesses::{BusinessForm, LegalForm};
    use linkong_core::industry::Section;
    use linkong_core::plan::Plan;
    use linkong_core::uscc::Uscc;
    use rand::SeedableRng;

    #[test]
    fn every_venture_speaks_the_cores_vocabularies_and_gets_a_valid_uscc() {
        let mut rng = StdRng::seed_from_u64(7);
        for v in VENTURES {
            assert!(LegalForm::parse(v.legal_form).is_ok(), "{}", v.field);
            assert!(Section::parse(v.section).is_ok(), "{}", v.field);
            assert!(v.forms.iter().all(|f| BusinessForm::parse(f).is_ok()));
            let code = business_uscc(&mut rng, v.legal_form);
            assert!(Uscc::parse(&code).is_ok(), "{code}");
        }
        assert_eq!(venture_for("民宿文旅").legal_form, "individual_business");
    }

    #[test]
    fn every_collecting_unit_of_2_1_2_has_ideas_and_only_they_do() {
        let plan = Plan::parse(include_str!("../../../plans/dongxihu-2025-2027.toml")).unwrap();
        let sources = linkong_core::projects::source_units(&plan);
        for unit in &sources {
            assert!(!project_ideas(unit).is_empty(), "{unit}");
        }
        for idea in PROJECT_IDEAS {
            assert!(sources.contains(&idea.unit), "{}", idea.unit);
            assert!(Section::parse(idea.section).is_ok(), "{}", idea.name);
            assert!(idea.investment.0 <= idea.investment.1, "{}", idea.name);
        }
    }
}
