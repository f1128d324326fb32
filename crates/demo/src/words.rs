//! The vocabulary the demo data is assembled from: company names, job families, sentence pools,
//! and the words job seekers type. Queries draw only on words that posts use, so most have hits.

mod office;
mod services;
mod tech;

use linkong_core::industry::LeadingIndustry;

use office::{
    ACCOUNTING, ADMINISTRATION, DESIGN, FINANCE_PRO, HUMAN_RESOURCES, MARKETING, RESEARCH, SALES,
    SERVICE,
};
use services::{
    CARE, CUSTOMS, DRIVER, ECOMMERCE, FACILITY, FOOD_LINE, FOOD_QA, FRONT_OF_HOUSE, HEALTH,
    KITCHEN, LOGISTICS, PHARMA, PHARMA_BUSINESS, PROCUREMENT,
};
use tech::{
    BACKEND, CONSTRUCTION, DATA, ELECTRONICS, ENGINEERING, FRONTEND, OPERATIONS, QUALITY, SECURITY,
    TESTING, WORKER,
};

/// A title, its occupation in 职业分类大典 (free text), and skills that go with this title.
pub(crate) type Title = (&'static str, &'static str, &'static [&'static str]);

/// A job family: titles that share duties, requirements, pay and who typically applies.
pub(crate) struct Family {
    /// 职业分类大典 major group (2 专业技术人员, 3 办事人员, 4 社会生产服务和生活服务人员, 6 生产制造人员).
    pub group: u8,
    /// A professional role: an emerging-industry job when the employer's leading industry is one.
    pub professional: bool,
    /// A high-end service (finance, R&D, design): an emerging-industry job in any industry.
    pub high_end: bool,
    /// Production-line, warehouse and care jobs are posted for many people at once.
    pub bulk: bool,
    pub titles: &'static [Title],
    /// The range the monthly minimum pay is drawn from, before education and experience.
    pub pay: (i64, i64),
    pub education: &'static [(&'static str, u32)],
    pub experience: &'static [(&'static str, u32)],
    /// "计算机、软件工程等相关专业", or empty where no major is asked.
    pub majors: &'static str,
    pub duties: &'static [&'static str],
    pub requirements: &'static [&'static str],
    /// How the skills are asked for; `{}` stands for the skills, e.g. "熟悉{}".
    pub skill_line: &'static str,
    pub skills: &'static [&'static str],
}

pub(crate) const EDU_RESEARCH: &[(&str, u32)] = &[("bachelor", 50), ("master", 40), ("doctor", 10)];
pub(crate) const EDU_DEGREE: &[(&str, u32)] =
    &[("associate", 25), ("bachelor", 65), ("master", 10)];
pub(crate) const EDU_TECHNICIAN: &[(&str, u32)] =
    &[("high_school", 10), ("associate", 50), ("bachelor", 40)];
pub(crate) const EDU_OFFICE: &[(&str, u32)] = &[
    ("any", 10),
    ("high_school", 15),
    ("associate", 50),
    ("bachelor", 25),
];
pub(crate) const EDU_SKILLED: &[(&str, u32)] =
    &[("any", 25), ("high_school", 50), ("associate", 25)];
pub(crate) const EDU_WORKER: &[(&str, u32)] = &[("any", 50), ("high_school", 42), ("associate", 8)];

pub(crate) const EXP_EARLY: &[(&str, u32)] = &[
    ("any", 10),
    ("fresh", 20),
    ("y1_3", 40),
    ("y3_5", 22),
    ("y5", 8),
];
pub(crate) const EXP_OPEN: &[(&str, u32)] =
    &[("any", 55), ("fresh", 10), ("y1_3", 30), ("y3_5", 5)];
pub(crate) const EXP_SENIOR: &[(&str, u32)] = &[
    ("any", 5),
    ("fresh", 5),
    ("y1_3", 35),
    ("y3_5", 35),
    ("y5", 20),
];

/// A kind of employer: leading industry, GB/T 4754 section, how common it is in the district,
/// what its name says it does, and which job families it posts.
pub(crate) struct Sector {
    pub leading: LeadingIndustry,
    pub section: char,
    /// Relative number of employers of this kind.
    pub weight: u32,
    /// The business word of the company name ("冷链物流", "食品科技"); disjoint between sectors
    /// of the same leading industry and section, so a name tells its sector.
    pub trades: &'static [&'static str],
    pub families: &'static [(&'static Family, u32)],
}

use LeadingIndustry::{
    CyberSecurityBigData as Cyber, ElectronicInformation as Electronic, FoodHealth as Food,
    IntelligentManufacturing as Manufacturing, ModernLogistics as Logistics, Other,
};
#[rustfmt::skip]
pub(crate) const SECTORS: &[Sector] = &[
    Sector { leading: Cyber, section: 'I', weight: 19,
        trades: &["网络安全技术", "信息安全技术", "数据科技", "大数据科技", "网络科技", "云计算科技", "数智科技", "软件技术", "信息技术", "智能科技"],
        families: &[(&SECURITY, 30), (&DATA, 22), (&BACKEND, 15), (&FRONTEND, 9), (&TESTING, 5), (&OPERATIONS, 5), (&RESEARCH, 5), (&SALES, 3), (&SERVICE, 1), (&HUMAN_RESOURCES, 2), (&ADMINISTRATION, 2), (&ACCOUNTING, 2)] },
    Sector { leading: Cyber, section: 'M', weight: 3,
        trades: &["网安技术研究院", "数据技术研究院", "信息安全测评技术"],
        families: &[(&SECURITY, 40), (&DATA, 30), (&RESEARCH, 20), (&HUMAN_RESOURCES, 2), (&ADMINISTRATION, 2), (&ACCOUNTING, 5)] },
    Sector { leading: Electronic, section: 'C', weight: 12,
        trades: &["电子", "光电", "电子科技", "光电子", "半导体", "微电子", "光通信技术", "电子信息", "智能终端", "显示技术", "精密电子", "电子元器件"],
        families: &[(&ELECTRONICS, 40), (&WORKER, 14), (&QUALITY, 9), (&ENGINEERING, 8), (&RESEARCH, 7), (&TESTING, 2), (&OPERATIONS, 2), (&LOGISTICS, 4), (&SALES, 3), (&SERVICE, 2), (&HUMAN_RESOURCES, 2), (&ADMINISTRATION, 2), (&ACCOUNTING, 4), (&DESIGN, 2)] },
    Sector { leading: Electronic, section: 'I', weight: 5,
        trades: &["物联网科技", "通信技术", "集成电路设计", "智能硬件科技", "北斗导航科技"],
        families: &[(&ELECTRONICS, 35), (&BACKEND, 15), (&FRONTEND, 8), (&TESTING, 6), (&OPERATIONS, 6), (&DATA, 8), (&RESEARCH, 10), (&SALES, 4), (&SERVICE, 2), (&HUMAN_RESOURCES, 2), (&ADMINISTRATION, 2), (&ACCOUNTING, 3)] },
    Sector { leading: Manufacturing, section: 'C', weight: 17,
        trades: &["智造科技", "智能装备", "精密机械", "自动化设备", "机电设备", "汽车零部件", "机器人科技", "数控机床", "智能制造", "新材料科技", "模具", "电气设备", "液压机械", "激光科技"],
        families: &[(&ENGINEERING, 40), (&WORKER, 22), (&QUALITY, 8), (&RESEARCH, 6), (&LOGISTICS, 4), (&DRIVER, 1), (&SALES, 4), (&SERVICE, 2), (&HUMAN_RESOURCES, 2), (&ADMINISTRATION, 2), (&ACCOUNTING, 4), (&DESIGN, 2), (&FINANCE_PRO, 2)] },
    Sector { leading: Manufacturing, section: 'M', weight: 3,
        trades: &["工业设计", "自动化技术", "工业检测技术"],
        families: &[(&ENGINEERING, 40), (&DESIGN, 20), (&RESEARCH, 25), (&SALES, 3), (&SERVICE, 2), (&HUMAN_RESOURCES, 2), (&ADMINISTRATION, 2), (&ACCOUNTING, 5)] },
    Sector { leading: Logistics, section: 'G', weight: 12,
        trades: &["冷链物流", "物流", "供应链管理", "国际货运代理", "仓储服务", "运输", "快运", "航空物流", "多式联运", "城市配送", "冷链仓储"],
        families: &[(&LOGISTICS, 42), (&DRIVER, 22), (&ECOMMERCE, 4), (&CUSTOMS, 4), (&PROCUREMENT, 2), (&SALES, 4), (&SERVICE, 2), (&HUMAN_RESOURCES, 3), (&ADMINISTRATION, 3), (&ACCOUNTING, 6), (&TESTING, 1), (&OPERATIONS, 1), (&DATA, 1), (&FACILITY, 3), (&FINANCE_PRO, 2)] },
    Sector { leading: Logistics, section: 'F', weight: 6,
        trades: &["商贸", "跨境电商", "进出口贸易", "国际贸易", "电子商务", "商贸物流", "农产品贸易"],
        families: &[(&ECOMMERCE, 14), (&CUSTOMS, 12), (&PROCUREMENT, 9), (&SALES, 13), (&SERVICE, 7), (&LOGISTICS, 15), (&MARKETING, 10), (&DRIVER, 5), (&HUMAN_RESOURCES, 2), (&ADMINISTRATION, 2), (&ACCOUNTING, 7), (&DESIGN, 3)] },
    Sector { leading: Logistics, section: 'L', weight: 2,
        trades: &["供应链服务", "物流园管理", "商务服务"],
        families: &[(&LOGISTICS, 30), (&ECOMMERCE, 8), (&CUSTOMS, 7), (&PROCUREMENT, 5), (&SALES, 10), (&SERVICE, 5), (&HUMAN_RESOURCES, 8), (&ADMINISTRATION, 8), (&ACCOUNTING, 15), (&FACILITY, 5)] },
    Sector { leading: Food, section: 'C', weight: 9,
        trades: &["食品", "食品科技", "乳业", "饮品", "粮油", "肉类食品", "调味品", "食品工业", "休闲食品", "冷冻食品", "烘焙食品"],
        families: &[(&FOOD_QA, 22), (&FOOD_LINE, 30), (&QUALITY, 4), (&LOGISTICS, 8), (&DRIVER, 5), (&SALES, 6), (&SERVICE, 4), (&MARKETING, 5), (&HUMAN_RESOURCES, 3), (&ADMINISTRATION, 3), (&ACCOUNTING, 6), (&RESEARCH, 4)] },
    Sector { leading: Food, section: 'C', weight: 4,
        trades: &["生物医药", "药业", "医疗器械", "生物科技", "制药", "生物工程"],
        families: &[(&PHARMA, 27), (&PHARMA_BUSINESS, 18), (&QUALITY, 8), (&RESEARCH, 12), (&SALES, 8), (&SERVICE, 4), (&HUMAN_RESOURCES, 4), (&ADMINISTRATION, 4), (&ACCOUNTING, 8), (&LOGISTICS, 7)] },
    Sector { leading: Food, section: 'Q', weight: 4,
        trades: &["康复医院", "健康管理", "养老服务", "护理院", "口腔门诊部", "中医门诊部", "体检中心"],
        families: &[(&HEALTH, 50), (&CARE, 20), (&HUMAN_RESOURCES, 3), (&ADMINISTRATION, 3), (&ACCOUNTING, 6), (&SALES, 5), (&SERVICE, 3), (&FACILITY, 5), (&KITCHEN, 5)] },
    Sector { leading: Food, section: 'F', weight: 3,
        trades: &["医药连锁", "大药房", "食品商贸", "生鲜超市"],
        families: &[(&SALES, 20), (&SERVICE, 10), (&PHARMA_BUSINESS, 15), (&LOGISTICS, 15), (&DRIVER, 8), (&HEALTH, 10), (&HUMAN_RESOURCES, 3), (&ADMINISTRATION, 3), (&ACCOUNTING, 8), (&MARKETING, 8)] },
    Sector { leading: Food, section: 'H', weight: 2,
        trades: &["餐饮管理", "中央厨房", "团餐服务"],
        families: &[(&KITCHEN, 30), (&FRONT_OF_HOUSE, 25), (&FOOD_LINE, 15), (&FOOD_QA, 8), (&HUMAN_RESOURCES, 3), (&ADMINISTRATION, 3), (&ACCOUNTING, 6), (&DRIVER, 5), (&SALES, 3), (&SERVICE, 2)] },
    Sector { leading: Other, section: 'L', weight: 4,
        trades: &["企业管理咨询", "商务咨询", "广告", "会展服务", "人力资源服务", "知识产权代理", "财税咨询"],
        families: &[(&SALES, 13), (&SERVICE, 7), (&HUMAN_RESOURCES, 10), (&ADMINISTRATION, 10), (&MARKETING, 15), (&ACCOUNTING, 15), (&FINANCE_PRO, 12), (&DESIGN, 8), (&RESEARCH, 5), (&FACILITY, 5)] },
    Sector { leading: Other, section: 'H', weight: 3,
        trades: &["酒店管理", "酒店", "主题餐饮", "快餐连锁"],
        families: &[(&KITCHEN, 33), (&FRONT_OF_HOUSE, 27), (&FACILITY, 10), (&SALES, 6), (&SERVICE, 4), (&HUMAN_RESOURCES, 4), (&ADMINISTRATION, 4), (&ACCOUNTING, 7), (&MARKETING, 5)] },
    Sector { leading: Other, section: 'M', weight: 3,
        trades: &["工程设计", "检验检测", "环境科技", "工程技术", "规划设计", "认证服务"],
        families: &[(&RESEARCH, 30), (&DESIGN, 20), (&CONSTRUCTION, 20), (&FINANCE_PRO, 5), (&SALES, 6), (&SERVICE, 4), (&HUMAN_RESOURCES, 4), (&ADMINISTRATION, 4), (&ACCOUNTING, 7)] },
    Sector { leading: Other, section: 'E', weight: 3,
        trades: &["建设工程", "建筑安装", "市政工程", "装饰工程", "园林绿化工程", "机电安装工程"],
        families: &[(&CONSTRUCTION, 50), (&WORKER, 15), (&DRIVER, 5), (&HUMAN_RESOURCES, 4), (&ADMINISTRATION, 4), (&ACCOUNTING, 10), (&SALES, 3), (&SERVICE, 2), (&FACILITY, 7)] },
    Sector { leading: Other, section: 'O', weight: 2,
        trades: &["家政服务", "汽车维修", "洗涤服务", "家电维修"],
        families: &[(&FACILITY, 30), (&CARE, 20), (&SALES, 10), (&SERVICE, 5), (&WORKER, 15), (&HUMAN_RESOURCES, 5), (&ADMINISTRATION, 5), (&ACCOUNTING, 10)] },
    Sector { leading: Other, section: 'J', weight: 1,
        trades: &["融资担保", "保险代理", "金融信息服务"],
        families: &[(&FINANCE_PRO, 45), (&SALES, 16), (&SERVICE, 9), (&ACCOUNTING, 15), (&HUMAN_RESOURCES, 5), (&ADMINISTRATION, 5), (&BACKEND, 5)] },
    Sector { leading: Other, section: 'K', weight: 2,
        trades: &["物业管理", "置业", "房地产经纪"],
        families: &[(&FACILITY, 40), (&SALES, 16), (&SERVICE, 9), (&HUMAN_RESOURCES, 5), (&ADMINISTRATION, 5), (&ACCOUNTING, 10), (&CONSTRUCTION, 10), (&DESIGN, 5)] },
    Sector { leading: Other, section: 'R', weight: 2,
        trades: &["文化传媒", "影视传媒", "文化创意"],
        families: &[(&MARKETING, 45), (&DESIGN, 30), (&SALES, 6), (&SERVICE, 4), (&HUMAN_RESOURCES, 4), (&ADMINISTRATION, 4), (&ACCOUNTING, 7)] },
];

/// Every job family, for tests and for vocabulary checks.
#[cfg(test)]
pub(crate) const FAMILIES: &[&Family] = &[
    &FRONTEND,
    &BACKEND,
    &TESTING,
    &OPERATIONS,
    &DATA,
    &SECURITY,
    &ELECTRONICS,
    &ENGINEERING,
    &WORKER,
    &QUALITY,
    &CONSTRUCTION,
    &LOGISTICS,
    &DRIVER,
    &ECOMMERCE,
    &CUSTOMS,
    &PROCUREMENT,
    &FOOD_QA,
    &FOOD_LINE,
    &PHARMA,
    &PHARMA_BUSINESS,
    &HEALTH,
    &CARE,
    &KITCHEN,
    &FRONT_OF_HOUSE,
    &FACILITY,
    &ACCOUNTING,
    &FINANCE_PRO,
    &HUMAN_RESOURCES,
    &ADMINISTRATION,
    &SALES,
    &SERVICE,
    &MARKETING,
    &DESIGN,
    &RESEARCH,
];

/// Where the company is registered: "武汉" 武汉临空港…, "湖北" 湖北金盛….
pub(crate) const NAME_PREFIXES: &[(&str, u32)] = &[("武汉", 60), ("湖北", 25), ("武汉市", 15)];

/// Brands taken from places in and around 东西湖.
#[rustfmt::skip]
pub(crate) const PLACE_BRANDS: &[&str] = &[
    "临空港", "金银湖", "径河", "走马岭", "吴家山", "东西湖", "柏泉", "慈惠", "新沟", "辛安渡",
    "府河", "汉北", "常青", "金潭", "舵落口", "张公堤", "园博", "汉江", "楚天", "荆楚", "江城",
    "长江", "华中", "九州", "中部",
];

/// Characters that invented two-character brands are made of (金盛, 华创, 鸿远 …).
pub(crate) const BRAND_CHARS: &str =
    "金华鑫博瑞泰恒盛达鸿宏嘉安顺远新益佳汇源诚信丰隆通捷德卓润宇天辰明正君海光星云智中合创联锦昊";

pub(crate) const NAME_SUFFIXES: &[(&str, u32)] =
    &[("有限公司", 80), ("股份有限公司", 12), ("有限责任公司", 8)];

/// Common surnames, with those frequent in Hubei (胡、熊、万、程、喻、涂).
pub(crate) const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏吕丁任沈姚卢姜钟谭陆汪范金石廖贾夏付方邹熊秦江雷龚万喻涂舒柯";
pub(crate) const GIVEN_CHARS: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉兰萍红鹏飞斌浩婷雪琳晨宇欣怡佳思雨子轩梓涵博文俊凯峰亮倩慧莉颖琴健";

/// Mobile number segments in use (工业和信息化部 号段): 13x, 15x, 16x, 17x, 18x, 19x.
pub(crate) const MOBILE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "171", "173", "175", "176", "177", "178",
    "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "193", "195",
    "198", "199",
];

/// How the week is worked; one per post.
pub(crate) const REST: &[(&str, u32)] = &[
    ("双休", 50),
    ("单休", 18),
    ("大小周", 14),
    ("排班轮休", 12),
    ("做五休二", 6),
];

#[rustfmt::skip]
pub(crate) const BENEFITS: &[&str] = &[
    "餐补", "包住宿", "免费工作餐", "交通补贴", "年终奖", "带薪年假", "节日福利", "定期体检",
    "通讯补贴", "绩效奖金", "员工宿舍", "班车接送", "团建旅游", "加班补贴", "高温补贴", "全勤奖",
    "技能补贴", "岗前带薪培训", "晋升空间大", "包吃住", "住房补贴", "人才公寓",
];

/// Sentences that round off a short description.
pub(crate) const CLOSINGS: &[&str] = &[
    "公司发展稳定，提供良好的晋升通道。",
    "有意者请投递简历，合适者将安排面试。",
    "公司位于临空港经济技术开发区，交通便利。",
    "符合条件的高校毕业生可申请东西湖区就业补贴。",
    "欢迎有志青年加入我们！",
];

/// Phrases that a fraud screen must flag (东政办〔2025〕3号 任务 1.3.4): fees, deposits, training
/// loans, brushing, impossible pay, withheld papers, discrimination. Only risky posts carry one.
pub(crate) const RISKY_PHRASES: &[&str] = &[
    "入职前需先交押金500元，工作满三个月退还。",
    "岗前统一培训，需缴纳培训费800元。",
    "另招兼职刷单人员，日结过万。",
    "本岗位仅限男性，限本地户口。",
    "入职需交身份证原件由公司保管。",
    "入职需缴纳服装费200元。",
    "可办理培训贷，先培训后上岗。",
    "女性优先，已婚已育优先。",
];

/// One-word queries of more than two characters, or Latin words.
#[rustfmt::skip]
pub(crate) const ONE_WORDS: &[&str] = &[
    "工程师", "数据分析", "Java", "Python", "嵌入式", "网络安全", "大数据", "跨境电商", "软件测试",
    "冷链物流", "前端开发", "叉车司机", "货车司机", "仓库管理员", "食品检验", "质检员", "机械设计",
    "自动化", "电气工程师", "渗透测试", "产品经理", "项目经理", "人力资源", "行政文员", "平面设计师",
    "新媒体", "营养师", "康复治疗师", "报关员", "五险一金", "应届生", "单片机", "机器人", "算法工程师",
    "运维工程师", "外贸业务员", "销售代表", "客服专员", "PLC", "SQL", "Vue", "Excel", "AutoCAD",
    "SAP", "Linux", "STM32", "HACCP", "GMP", "包吃住", "财务会计", "实习生", "数控操作工",
];

/// Two-word queries: words that appear together in posts.
#[rustfmt::skip]
pub(crate) const TWO_WORDS: &[(&str, &str)] = &[
    ("前端", "Vue"), ("Java", "Spring"), ("数据分析", "SQL"), ("数据分析", "Python"),
    ("会计", "出纳"), ("仓库", "叉车"), ("食品", "检验"), ("电气", "PLC"), ("机械", "CAD"),
    ("嵌入式", "STM32"), ("网络安全", "渗透"), ("运维", "Linux"), ("跨境电商", "亚马逊"),
    ("报关", "海关"), ("货车", "B2"), ("护士", "医院"), ("康复", "治疗"), ("厨师", "健康证"),
    ("行政", "Excel"), ("销售", "提成"), ("客服", "双休"), ("司机", "五险一金"), ("焊工", "焊工证"),
    ("电工", "电工证"), ("质检", "ISO"), ("财务", "SAP"), ("设计", "Photoshop"), ("新媒体", "抖音"),
    ("产品经理", "Axure"), ("算法", "PyTorch"), ("普工", "包吃住"), ("冷链", "司机"), ("物流", "WMS"),
    ("数控", "FANUC"), ("硬件", "PCB"), ("测试", "自动化"), ("外贸", "英语"), ("营养", "膳食"),
    ("食品", "HACCP"), ("药品", "GMP"), ("养老", "护理"), ("招聘", "社保"), ("工程师", "双休"),
    ("大数据", "Spark"), ("仓管", "Excel"), ("应届生", "五险一金"),
];

/// Two-character queries, the shortest words a search must still find.
#[rustfmt::skip]
pub(crate) const TWO_CHARS: &[&str] = &[
    "会计", "前端", "司机", "电工", "焊工", "出纳", "文员", "护士", "厨师", "销售", "运营", "客服",
    "物流", "质检", "仓管", "叉车", "保安", "保洁", "钳工", "普工", "行政", "财务", "设计", "测试",
    "运维", "数据", "算法", "硬件", "报关", "外贸", "采购", "营养", "康复", "品控", "审计", "税务",
    "招聘", "前台", "剪辑", "文案", "装配", "检验", "电商", "包装", "分拣", "理货", "数控", "双休",
];
