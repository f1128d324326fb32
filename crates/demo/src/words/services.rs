//! Job families of logistics, trade, food and health, and of hospitality and facility services.

use super::{EDU_OFFICE, EDU_SKILLED, EDU_TECHNICIAN, EDU_WORKER, EXP_EARLY, EXP_OPEN, Family};

#[rustfmt::skip]
pub(crate) const LOGISTICS: Family = Family {
    group: 4, professional: false, high_end: false, bulk: true,
    titles: &[
        ("仓库管理员", "仓储管理员", &["WMS系统使用经验", "库存盘点经验"]),
        ("仓管员", "仓储管理员", &["WMS系统使用经验", "出入库管理经验"]),
        ("叉车司机", "装卸搬运工", &["叉车证", "电动叉车驾驶经验"]),
        ("分拣员", "快件处理员", &["扫码分拣经验", "RF枪使用经验"]),
        ("理货员", "理货员", &["理货经验", "条码扫描操作经验"]),
        ("冷链物流专员", "物流服务师", &["冷链运输管理经验", "温控设备使用经验"]),
        ("物流调度员", "物流服务师", &["TMS系统使用经验", "车辆调度经验"]),
        ("仓储主管", "仓储管理员", &["WMS系统使用经验", "团队管理经验"]),
        ("快递员", "快递员", &["快递派送经验", "电动车驾驶经验"]),
        ("装卸工", "装卸搬运工", &["货物装卸经验"]),
        ("物流专员", "物流服务师", &["TMS系统使用经验", "Excel基础"]),
        ("冷库管理员", "仓储管理员", &["冷库管理经验", "温控设备使用经验"]),
    ],
    pay: (4500, 7000), education: EDU_WORKER, experience: EXP_OPEN,
    majors: "",
    duties: &[
        "负责货物出入库的验收、登记和上架",
        "定期盘点库存，做到账实相符",
        "按订单完成拣货、分拣、打包和发运",
        "负责冷库温度监控和冷链货物交接",
        "合理安排车辆和线路，跟踪在途货物",
        "保持仓库整洁，落实消防和安全要求",
    ],
    requirements: &[
        "能适应夜班和节假日轮班",
        "有物流园或电商仓工作经验者优先",
        "持叉车证者优先，可协助办理",
    ],
    skill_line: "具备{}者优先", skills: &["Excel基础", "仓储管理经验", "物流园工作经验"],
};

#[rustfmt::skip]
pub(crate) const DRIVER: Family = Family {
    group: 4, professional: false, high_end: false, bulk: false,
    titles: &[
        ("货车司机", "道路货运汽车驾驶员", &["B2驾照", "道路运输从业资格证"]),
        ("配送司机", "道路货运汽车驾驶员", &["C1驾照"]),
        ("冷链车司机", "道路货运汽车驾驶员", &["B2驾照"]),
        ("大货车司机", "道路货运汽车驾驶员", &["A2驾照", "道路运输从业资格证"]),
        ("商务司机", "小型车驾驶员", &["C1驾照"]),
        ("厂区驾驶员", "小型车驾驶员", &["C1驾照", "叉车证"]),
        ("物流司机", "道路货运汽车驾驶员", &["B2驾照", "C1驾照"]),
    ],
    pay: (5500, 8000), education: EDU_WORKER, experience: EXP_OPEN,
    majors: "",
    duties: &[
        "负责武汉市内及周边城市的货物运输配送",
        "出车前检查车辆，做好日常维护保养",
        "按要求装卸货物，确保货物完好、签收及时",
        "遵守交通法规，安全驾驶，准时到达",
        "填写行车记录，配合调度完成临时任务",
    ],
    requirements: &[
        "驾龄3年以上，无重大交通事故记录",
        "熟悉武汉市区及周边路线",
        "身体健康，能适应早晚班",
    ],
    skill_line: "持有{}", skills: &["C1驾照", "B2驾照", "道路运输从业资格证"],
};

#[rustfmt::skip]
pub(crate) const ECOMMERCE: Family = Family {
    group: 4, professional: false, high_end: false, bulk: false,
    titles: &[
        ("跨境电商运营", "电子商务师", &["亚马逊", "TikTok Shop"]),
        ("电商运营", "电子商务师", &["淘宝", "抖音"]),
        ("直播运营", "互联网营销师", &["抖音", "直播"]),
        ("跨境电商客服", "电子商务师", &["亚马逊", "英语"]),
    ],
    pay: (5000, 8500), education: EDU_OFFICE, experience: EXP_EARLY,
    majors: "电子商务、国际贸易、市场营销等相关专业",
    duties: &[
        "负责店铺日常运营、商品上架和活动策划",
        "优化商品标题、详情页和广告投放",
        "分析店铺流量、转化和库存数据，制定补货计划",
        "对接仓库和物流，跟进订单发货和售后",
        "跟踪平台规则和竞品动态，调整运营策略",
    ],
    requirements: &[
        "英语四级以上，能用英语沟通者优先",
        "有食品、家居或电子产品类目运营经验者优先",
        "沟通能力强，有较强的执行力",
    ],
    skill_line: "熟悉{}", skills: &["Excel", "ERP", "亚马逊", "速卖通", "Shopee"],
};

#[rustfmt::skip]
pub(crate) const CUSTOMS: Family = Family {
    group: 4, professional: false, high_end: false, bulk: false,
    titles: &[
        ("报关员", "报关员", &["报关单", "海关监管"]),
        ("关务专员", "报关员", &["综合保税区", "海关监管"]),
        ("单证员", "报关员", &["外贸单证", "信用证"]),
        ("外贸业务员", "国际商务专业人员", &["英语", "阿里巴巴国际站"]),
        ("国际货代操作", "物流服务师", &["订舱", "空运"]),
    ],
    pay: (5000, 8500), education: EDU_OFFICE, experience: EXP_EARLY,
    majors: "国际贸易、物流管理、英语等相关专业",
    duties: &[
        "负责进出口货物的报关、报检和单证制作",
        "对接海关、货代和客户，跟进货物通关进度",
        "办理综合保税区货物进出区和账册核销",
        "开发海外客户，跟进外贸订单和回款",
        "安排订舱、拖车和空运，跟踪货物在途状态",
    ],
    requirements: &[
        "英语四级以上，能阅读外贸单证",
        "熟悉综合保税区业务流程者优先",
        "责任心强，能承受一定工作压力",
    ],
    skill_line: "熟悉{}", skills: &["Excel", "报关单", "海关监管", "国际贸易术语"],
};

#[rustfmt::skip]
pub(crate) const PROCUREMENT: Family = Family {
    group: 4, professional: false, high_end: false, bulk: false,
    titles: &[
        ("采购专员", "采购员", &["SAP", "供应商管理"]),
        ("采购员", "采购员", &["ERP", "询价比价"]),
        ("供应链专员", "物流服务师", &["ERP", "库存计划"]),
        ("计划物控专员", "物流服务师", &["物料需求计划", "ERP"]),
    ],
    pay: (5000, 8000), education: EDU_OFFICE, experience: EXP_EARLY,
    majors: "物流管理、供应链管理等相关专业",
    duties: &[
        "负责供应商开发、询价比价和采购订单跟进",
        "根据生产计划编制物料需求和采购计划",
        "跟踪物料到货和库存，处理呆滞物料",
        "参与供应商评估和年度考核",
        "维护ERP中的采购和库存数据",
    ],
    requirements: &[
        "有制造业或商贸企业采购经验者优先",
        "谈判和沟通能力强，廉洁自律",
        "数据敏感，能熟练制作报表",
    ],
    skill_line: "熟悉{}", skills: &["Excel", "ERP", "SAP", "供应商管理"],
};

#[rustfmt::skip]
pub(crate) const FOOD_QA: Family = Family {
    group: 2, professional: true, high_end: false, bulk: false,
    titles: &[
        ("食品研发工程师", "食品工程技术人员", &["配方开发", "感官评价"]),
        ("食品检验员", "食品检验员", &["微生物检验", "理化检验"]),
        ("食品工艺员", "食品工程技术人员", &["工艺参数", "HACCP"]),
        ("食品安全管理员", "食品安全管理师", &["HACCP", "ISO 22000"]),
        ("品控专员", "食品检验员", &["HACCP", "来料检验"]),
        ("化验员", "食品检验员", &["理化检验", "化验"]),
        ("微生物检验员", "食品检验员", &["微生物检验", "无菌操作"]),
    ],
    pay: (4500, 8000), education: EDU_TECHNICIAN, experience: EXP_EARLY,
    majors: "食品科学、生物工程、食品质量与安全等相关专业",
    duties: &[
        "负责原辅料、半成品和成品的食品检验",
        "执行HACCP体系，监控关键控制点",
        "参与新产品配方开发和工艺优化",
        "负责生产过程的品控巡检和记录审核",
        "配合市场监管部门和客户的检查审核",
        "整理检验报告，维护实验室仪器设备",
    ],
    requirements: &[
        "熟悉食品安全国家标准",
        "持有食品检验工证书者优先",
        "工作细致，有责任心",
    ],
    skill_line: "熟悉{}", skills: &["HACCP", "ISO 22000", "GB 2760", "气相色谱", "Excel"],
};

#[rustfmt::skip]
pub(crate) const FOOD_LINE: Family = Family {
    group: 6, professional: false, high_end: false, bulk: true,
    titles: &[
        ("食品生产操作工", "食品加工工", &["食品加工经验"]),
        ("包装工", "包装工", &["包装机操作经验"]),
        ("烘焙师", "西式面点师", &["烘焙经验", "面包制作经验"]),
        ("中央厨房操作员", "中式烹调师", &["食材加工经验"]),
        ("冷冻食品加工工", "食品加工工", &["速冻食品加工经验"]),
        ("卤制品加工工", "食品加工工", &["卤制品加工经验"]),
    ],
    pay: (4000, 6000), education: EDU_WORKER, experience: EXP_OPEN,
    majors: "",
    duties: &[
        "按工艺要求完成食品加工、灌装或包装",
        "严格执行食品卫生规范和车间消毒制度",
        "做好生产记录和设备清洁保养",
        "配合品控人员完成过程检验",
        "服从车间安排，完成每日生产任务",
    ],
    requirements: &[
        "持有健康证或入职后办理",
        "能适应两班倒和冷库环境",
        "有食品厂工作经验者优先",
    ],
    skill_line: "具备{}者优先", skills: &["健康证", "食品厂工作经验", "流水线作业经验"],
};

#[rustfmt::skip]
pub(crate) const PHARMA: Family = Family {
    group: 2, professional: true, high_end: false, bulk: false,
    titles: &[
        ("药品质量检验员", "药物检验员", &["高效液相色谱", "GMP"]),
        ("药品QA专员", "药物检验员", &["GMP", "偏差管理"]),
        ("药物制剂工艺员", "药物制剂工", &["GMP", "制剂工艺"]),
        ("GMP专员", "药学技术人员", &["GMP", "验证管理"]),
        ("医疗器械质量专员", "医疗器械工程技术人员", &["ISO 13485", "GMP"]),
    ],
    pay: (5000, 9000), education: EDU_TECHNICIAN, experience: EXP_EARLY,
    majors: "药学、制药工程、生物工程等相关专业",
    duties: &[
        "按GMP要求完成药品原辅料和成品的质量检验",
        "负责质量文件起草、审核和偏差调查",
        "参与生产工艺验证和设备确认",
        "监督生产过程，确保批记录真实完整",
        "配合药品监管部门的检查和客户审计",
    ],
    requirements: &[
        "熟悉药品管理法规和GMP要求",
        "能适应洁净区工作环境",
        "有药品或医疗器械企业质量岗位经验者优先",
    ],
    skill_line: "熟悉{}", skills: &["GMP", "高效液相色谱", "Office", "药品管理法"],
};

#[rustfmt::skip]
pub(crate) const PHARMA_BUSINESS: Family = Family {
    group: 2, professional: false, high_end: false, bulk: false,
    titles: &[
        ("医药代表", "医药商品购销员", &["医院渠道", "学术推广"]),
        ("医疗器械注册专员", "医疗器械工程技术人员", &["注册申报", "ISO 13485"]),
        ("临床研究协调员", "药学技术人员", &["GCP", "临床试验"]),
        ("药剂师", "药师", &["处方审核", "药品管理法"]),
    ],
    pay: (5000, 9000), education: EDU_TECHNICIAN, experience: EXP_EARLY,
    majors: "药学、临床医学、生物工程等相关专业",
    duties: &[
        "维护医院和药店客户，开展产品学术推广",
        "负责医疗器械产品注册申报资料的编写",
        "协助研究者开展临床试验，管理试验资料",
        "负责处方审核、药品调配和用药咨询",
        "收集市场和用药反馈，完成月度工作报告",
    ],
    requirements: &[
        "持有执业药师证者优先",
        "熟悉药品和医疗器械相关法规",
        "沟通能力强，能适应武汉市内外勤",
    ],
    skill_line: "熟悉{}", skills: &["药品管理法", "Office", "CRM"],
};

#[rustfmt::skip]
pub(crate) const HEALTH: Family = Family {
    group: 2, professional: false, high_end: false, bulk: false,
    titles: &[
        ("护士", "护士", &["护士执业证书"]),
        ("口腔护士", "护士", &["护士执业证书"]),
        ("康复治疗师", "康复技师", &["康复治疗师资格证"]),
        ("营养师", "营养师", &["公共营养师证"]),
        ("健康管理师", "健康管理师", &["健康管理师证"]),
        ("针灸推拿师", "中医技师", &["中医康复理疗师证"]),
        ("医学检验技师", "临床检验技师", &["检验技师资格证"]),
        ("体检中心医生助理", "医疗辅助服务员", &["医学相关证书"]),
    ],
    pay: (4500, 8000), education: EDU_TECHNICIAN, experience: EXP_EARLY,
    majors: "护理学、康复治疗学、营养学、医学检验等相关专业",
    duties: &[
        "按照诊疗和护理规范完成本岗位专业工作",
        "为患者提供康复训练、膳食营养等健康指导",
        "开展健康宣教和慢病随访管理",
        "协助医生完成体检、检验和病历记录",
        "严格执行院感防控和医疗安全制度",
    ],
    requirements: &[
        "持有相应执业资格证书",
        "有二级以上医院工作经历者优先",
        "有爱心、耐心，沟通能力好",
    ],
    skill_line: "持有{}", skills: &["健康证", "BLS证书"],
};

#[rustfmt::skip]
pub(crate) const CARE: Family = Family {
    group: 4, professional: false, high_end: false, bulk: true,
    titles: &[
        ("护理员", "医疗护理员", &["护理员证"]),
        ("养老护理员", "养老护理员", &["养老护理员证"]),
        ("保育员", "保育员", &["保育员证", "健康证"]),
        ("育婴员", "育婴员", &["育婴员证"]),
        ("康复护理员", "医疗护理员", &["护理员证"]),
    ],
    pay: (4000, 6000), education: EDU_WORKER, experience: EXP_OPEN,
    majors: "",
    duties: &[
        "负责老人或患者的生活照料和基础护理",
        "协助完成康复训练和日常活动",
        "观察服务对象身体状况，异常及时报告",
        "保持房间整洁，做好护理记录",
    ],
    requirements: &[
        "有爱心、耐心，身体健康",
        "持有相关职业技能等级证书者优先",
        "能适应轮班工作",
    ],
    skill_line: "持有{}者优先", skills: &["健康证", "护理员证", "养老护理员证"],
};

#[rustfmt::skip]
pub(crate) const KITCHEN: Family = Family {
    group: 4, professional: false, high_end: false, bulk: false,
    titles: &[
        ("厨师", "中式烹调师", &["鄂菜", "湘菜"]),
        ("厨师长", "中式烹调师", &["菜品研发", "成本控制"]),
        ("面点师", "中式面点师", &["面点", "早点"]),
        ("厨师助理", "中式烹调师", &["配菜", "切配"]),
        ("食堂厨师", "中式烹调师", &["大锅菜", "家常菜"]),
    ],
    pay: (4500, 7000), education: EDU_WORKER, experience: EXP_OPEN,
    majors: "",
    duties: &[
        "负责菜品或面点制作，保证出品质量和口味稳定",
        "负责食材验收、粗加工和切配",
        "按菜单备餐，保障员工餐或团餐按时供应",
        "执行食品安全和后厨卫生管理制度",
        "控制食材损耗，配合厨师长完成成本核算",
    ],
    requirements: &[
        "持有健康证",
        "有团餐、酒店或连锁餐饮后厨经验者优先",
        "能适应早晚班",
    ],
    skill_line: "擅长{}", skills: &["鄂菜", "湘菜", "川菜", "家常菜", "大锅菜"],
};

#[rustfmt::skip]
pub(crate) const FRONT_OF_HOUSE: Family = Family {
    group: 4, professional: false, high_end: false, bulk: false,
    titles: &[
        ("服务员", "餐厅服务员", &["餐饮服务"]),
        ("餐厅店长", "餐厅服务员", &["门店管理"]),
        ("酒店前台", "前厅服务员", &["前台接待", "收银"]),
        ("客房服务员", "客房服务员", &["客房清洁"]),
        ("收银员", "收银员", &["收银系统"]),
    ],
    pay: (3500, 5500), education: EDU_WORKER, experience: EXP_OPEN,
    majors: "",
    duties: &[
        "为顾客提供点餐、上菜和结账服务",
        "负责前台接待、入住登记和收银工作",
        "负责客房清洁整理和布草更换",
        "处理顾客咨询和意见，维护门店秩序",
        "做好营业区卫生和物品摆放",
    ],
    requirements: &[
        "持有健康证或入职后办理",
        "服务意识强，形象亲和",
        "能适应早晚班和节假日轮班",
    ],
    skill_line: "擅长{}", skills: &["沟通接待", "热情服务", "收银"],
};

#[rustfmt::skip]
pub(crate) const FACILITY: Family = Family {
    group: 4, professional: false, high_end: false, bulk: true,
    titles: &[
        ("保安", "保安员", &["保安员证"]),
        ("保洁员", "保洁员", &["健康证"]),
        ("宿舍管理员", "物业管理员", &[]),
        ("物业管理员", "物业管理员", &["物业管理员证"]),
        ("水电维修工", "电工", &["电工证"]),
        ("绿化工", "园林绿化工", &["绿化工证"]),
        ("消防控制室值班员", "消防设施操作员", &["消防设施操作员证"]),
    ],
    pay: (3500, 5000), education: EDU_SKILLED, experience: EXP_OPEN,
    majors: "",
    duties: &[
        "负责园区或楼宇的日常服务保障工作",
        "按排班完成巡查、清洁、绿化或维修任务",
        "做好工作记录，发现安全隐患及时上报",
        "配合物业做好消防安全检查和突发事件处置",
        "文明服务，礼貌对待业主和访客",
    ],
    requirements: &[
        "身体健康，责任心强",
        "能适应轮班和夜班",
        "有物业或园区工作经验者优先",
    ],
    skill_line: "持有{}者优先", skills: &["保安员证", "电工证", "消防设施操作员证", "健康证"],
};
