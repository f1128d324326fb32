//! Start-up carriers for the demo (issue 13 item 3): incubation bases, maker spaces, returnee
//! parks and converted stock space across the streets, who keeps each, and the applications
//! for municipal recognition in every stage (tasks 1.2.2 and 2.4.1).

/// A demo carrier; `kind` and `level` are `core::carriers` codes, `keeper` the unit that
/// registers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoCarrier {
    pub name: &'static str,
    pub kind: &'static str,
    pub street: &'static str,
    pub keeper: &'static str,
    pub operator: &'static str,
    pub address: &'static str,
    pub area: &'static str,
    pub places: &'static str,
    /// 元/㎡·月, empty when the note says it all.
    pub rent: &'static str,
    pub rent_note: &'static str,
    pub services: &'static str,
    pub level: &'static str,
    pub contact: &'static str,
    pub phone: &'static str,
}

const INCUBATOR_SERVICES: &str = "工商注册代办、创业指导、政策申报、融资对接、财税代理、共享会议室";
const PARK_SERVICES: &str = "场地改造、工商注册代办、电商直播培训、农产品品牌推广、物流对接";

macro_rules! carrier {
    ($name:literal, $kind:literal, $street:literal, $keeper:literal, $operator:literal,
     $address:literal, $area:literal, $places:literal, $rent:literal, $note:literal,
     $services:expr, $level:literal, $contact:literal, $phone:literal) => {
        DemoCarrier {
            name: $name,
            kind: $kind,
            street: $street,
            keeper: $keeper,
            operator: $operator,
            address: $address,
            area: $area,
            places: $places,
            rent: $rent,
            rent_note: $note,
            services: $services,
            level: $level,
            contact: $contact,
            phone: $phone,
        }
    };
}

/// Sixteen carriers in eleven streets.
pub const CARRIERS: [DemoCarrier; 16] = [
    carrier!(
        "临空港创业孵化基地",
        "incubation_base",
        "jinghe",
        "jkj",
        "武汉临空港创业服务有限公司",
        "径河街道临空港大道 88 号",
        "12000",
        "80",
        "15",
        "入驻前两年租金减半",
        INCUBATOR_SERVICES,
        "district",
        "基地招商服务中心",
        "027-83890101"
    ),
    carrier!(
        "东西湖区大学生创业孵化基地",
        "incubation_base",
        "wujiashan",
        "rsj",
        "东西湖区就业训练中心",
        "吴家山街道东吴大道 16 号",
        "8600",
        "60",
        "",
        "高校毕业生创业项目免租金三年",
        INCUBATOR_SERVICES,
        "municipal",
        "区人社局创业服务窗口",
        "027-83890102"
    ),
    carrier!(
        "中国网谷众创空间",
        "maker_space",
        "changqing",
        "jkj",
        "武汉网谷科技园运营有限公司",
        "长青街道网谷大道 1 号",
        "15000",
        "120",
        "20",
        "科技创新项目首年免租",
        "共享工位、技术对接、投融资路演、知识产权代理",
        "national",
        "空间运营部",
        "027-83890103"
    ),
    carrier!(
        "金银湖众创空间",
        "maker_space",
        "jinyinhu",
        "jkj",
        "武汉金银湖科创发展有限公司",
        "金银湖街道金银湖路 9 号",
        "4200",
        "40",
        "18",
        "入驻首年按 50% 收取",
        "共享工位、创业辅导、直播间、会议路演",
        "district",
        "空间服务台",
        "027-83890104"
    ),
    carrier!(
        "东山众创空间",
        "maker_space",
        "dongshan",
        "dongshan",
        "东山街道经济发展服务中心",
        "东山街道东山大道 21 号",
        "1800",
        "20",
        "10",
        "",
        "共享工位、创业指导、政策咨询",
        "district",
        "街道经济发展服务中心",
        "027-83890105"
    ),
    carrier!(
        "常青花园青年创业空间",
        "maker_space",
        "changqinghuayuan",
        "changqinghuayuan",
        "常青花园社管办",
        "常青花园十三区商业街 2 楼",
        "900",
        "15",
        "",
        "免租金，水电自理",
        "共享工位、创业沙龙、社区团购对接",
        "district",
        "社管办便民服务中心",
        "027-83890106"
    ),
    carrier!(
        "慈惠返乡创业园",
        "returnee_park",
        "cihui",
        "cihui",
        "东西湖区农业发展投资有限公司",
        "慈惠街道沿江大道 8 号",
        "6500",
        "30",
        "8",
        "返乡创业项目前两年租金减半",
        PARK_SERVICES,
        "district",
        "园区服务中心",
        "027-83890107"
    ),
    carrier!(
        "柏泉茅庙集返乡创业园",
        "returnee_park",
        "baiquan",
        "nyncj",
        "柏泉农旅文化发展有限公司",
        "柏泉街道茅庙集村",
        "5200",
        "25",
        "6",
        "乡村旅游、休闲民宿项目首年免租",
        PARK_SERVICES,
        "district",
        "茅庙集游客服务中心",
        "027-83890108"
    ),
    carrier!(
        "走马岭返乡创业园",
        "returnee_park",
        "zoumaling",
        "zoumaling",
        "走马岭街道集体资产管理公司",
        "走马岭街道革新大道 66 号",
        "4800",
        "20",
        "9",
        "",
        PARK_SERVICES,
        "district",
        "街道返乡创业服务站",
        "027-83890109"
    ),
    carrier!(
        "新沟镇闲置厂房改造创业园",
        "idle_factory",
        "xingouzhen",
        "xingouzhen",
        "新沟镇街道资产经营公司",
        "新沟镇街道工业园路 3 号",
        "7200",
        "16",
        "5",
        "改造后首年免租",
        "标准厂房、仓储物流、工商注册代办",
        "district",
        "街道招商办",
        "027-83890110"
    ),
    carrier!(
        "辛安渡闲置厂房创业车间",
        "idle_factory",
        "xinandu",
        "xinandu",
        "辛安渡街道农业服务中心",
        "辛安渡街道辛安大道 12 号",
        "3600",
        "12",
        "4.5",
        "",
        "农产品加工车间、冷库、电商直播间",
        "district",
        "街道农业服务中心",
        "027-83890111"
    ),
    carrier!(
        "柏泉空闲校舍改造创业基地",
        "idle_school",
        "baiquan",
        "baiquan",
        "柏泉街道办事处",
        "柏泉街道原柏泉小学",
        "2400",
        "10",
        "",
        "免租金",
        "创业指导、直播间、研学接待",
        "district",
        "街道社会事务办",
        "027-83890112"
    ),
    carrier!(
        "东山空闲校舍创业工坊",
        "idle_school",
        "dongshan",
        "dongshan",
        "东山街道办事处",
        "东山街道原东山中学",
        "1600",
        "8",
        "",
        "免租金，三年一评",
        "手工作坊、非遗传承、创业指导",
        "district",
        "街道文化站",
        "027-83890113"
    ),
    carrier!(
        "临空港食品产业园创业区",
        "industrial_park",
        "zoumaling",
        "jkj",
        "武汉临空港食品产业园管理公司",
        "走马岭街道食品工业园 5 号",
        "9800",
        "24",
        "12",
        "入园返乡项目租金补贴 30%",
        "食品检测、标准厂房、冷链物流、品牌推广",
        "district",
        "产业园招商部",
        "027-83890114"
    ),
    carrier!(
        "吴家山电商直播产业园",
        "industrial_park",
        "wujiashan",
        "wujiashan",
        "武汉吴家山电商产业园有限公司",
        "吴家山街道张柏路 20 号",
        "5600",
        "30",
        "16",
        "",
        "直播间、选品中心、电商培训、物流对接",
        "district",
        "园区运营中心",
        "027-83890115"
    ),
    carrier!(
        "将军路社区创业驿站",
        "other",
        "jiangjunlu",
        "jiangjunlu",
        "将军路街道社区服务中心",
        "将军路街道将军路 101 号",
        "600",
        "6",
        "",
        "免租金",
        "社区创业指导、便民服务项目孵化",
        "district",
        "社区服务中心",
        "027-83890116"
    ),
];

/// A demo application for municipal recognition: its carrier, kind (`core` code), the stage it
/// reaches (`core` code; the stages before it are passed on the way) and, if it did not pass,
/// why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoApplication {
    pub carrier: &'static str,
    pub kind: &'static str,
    pub reaches: &'static str,
    pub reason: &'static str,
}

/// Applications in every stage; one of each kind recognised.
pub const APPLICATIONS: [DemoApplication; 6] = [
    DemoApplication {
        carrier: "临空港创业孵化基地",
        kind: "incubation_base",
        reaches: "approved",
        reason: "",
    },
    DemoApplication {
        carrier: "慈惠返乡创业园",
        kind: "returnee_park",
        reaches: "approved",
        reason: "",
    },
    DemoApplication {
        carrier: "新沟镇闲置厂房改造创业园",
        kind: "returnee_park",
        reaches: "submitted_to_city",
        reason: "",
    },
    DemoApplication {
        carrier: "走马岭返乡创业园",
        kind: "returnee_park",
        reaches: "district_review",
        reason: "",
    },
    DemoApplication {
        carrier: "金银湖众创空间",
        kind: "incubation_base",
        reaches: "recommended",
        reason: "",
    },
    DemoApplication {
        carrier: "东山众创空间",
        kind: "incubation_base",
        reaches: "rejected",
        reason: "孵化场地面积和在孵企业数未达到市级创业孵化基地申报条件",
    },
];

/// The documents an application carries (申报材料), by name.
pub const APPLICATION_DOCUMENTS: [&str; 4] = [
    "申报书",
    "场地产权证明或租赁合同",
    "入驻主体名单及营业执照复印件",
    "运营管理制度和服务记录",
];
