//! Job families found in every industry: finance, office, sales and marketing, design, R&D and
//! project management.

use super::{EDU_DEGREE, EDU_OFFICE, EDU_RESEARCH, EXP_EARLY, EXP_OPEN, EXP_SENIOR, Family};

#[rustfmt::skip]
pub(crate) const ACCOUNTING: Family = Family {
    group: 2, professional: false, high_end: false, bulk: false,
    titles: &[
        ("会计", "会计专业人员", &["用友", "金蝶"]),
        ("财务会计", "会计专业人员", &["金蝶", "Excel"]),
        ("出纳", "会计专业人员", &["网银", "Excel"]),
        ("总账会计", "会计专业人员", &["总账处理", "SAP"]),
        ("成本会计", "会计专业人员", &["成本核算", "SAP"]),
        ("税务会计", "会计专业人员", &["纳税申报", "电子税务局"]),
        ("应收会计", "会计专业人员", &["应收账款", "用友"]),
        ("会计助理", "会计专业人员", &["凭证录入", "Excel"]),
    ],
    pay: (4000, 7000), education: EDU_OFFICE, experience: EXP_EARLY,
    majors: "会计、财务管理等相关专业",
    duties: &[
        "负责日常账务处理，审核原始凭证并编制记账凭证",
        "负责现金、银行收付和出纳日记账登记",
        "编制月度、季度和年度财务报表",
        "负责增值税、企业所得税等纳税申报",
        "协助会计主管完成成本核算和费用分析",
        "整理、装订和保管会计档案",
    ],
    requirements: &[
        "持有初级会计职称及以上者优先",
        "熟悉企业会计准则和税务法规",
        "工作细致，原则性强，能保守公司秘密",
    ],
    skill_line: "熟悉{}", skills: &["Excel", "用友", "金蝶", "SAP", "电子税务局"],
};

#[rustfmt::skip]
pub(crate) const FINANCE_PRO: Family = Family {
    group: 2, professional: true, high_end: true, bulk: false,
    titles: &[
        ("财务分析师", "金融专业人员", &["财务模型", "Power BI"]),
        ("审计助理", "审计专业人员", &["审计流程", "Excel"]),
        ("审计专员", "审计专业人员", &["内部审计", "内控制度"]),
        ("税务专员", "税务专业人员", &["税务筹划", "电子税务局"]),
        ("财务经理", "会计专业人员", &["预算管理", "SAP"]),
        ("投融资专员", "金融专业人员", &["投资分析", "尽职调查"]),
        ("风控专员", "金融专业人员", &["风险控制", "征信"]),
        ("内控专员", "审计专业人员", &["内控制度", "流程梳理"]),
        ("资金专员", "金融专业人员", &["资金计划", "银行业务"]),
    ],
    pay: (6500, 12000), education: EDU_DEGREE, experience: EXP_SENIOR,
    majors: "财务管理、金融、审计等相关专业",
    duties: &[
        "负责经营数据分析，编制财务分析报告",
        "参与年度预算编制和执行监控",
        "开展内部审计，跟踪问题整改",
        "负责税务筹划和涉税风险管理",
        "参与投融资项目尽职调查和方案设计",
        "建立健全内控制度，优化财务流程",
    ],
    requirements: &[
        "持有CPA、CMA或中级会计职称者优先",
        "有会计师事务所或集团财务工作经历者优先",
        "逻辑清晰，表达和报告撰写能力强",
    ],
    skill_line: "熟悉{}", skills: &["Excel", "SAP", "Power BI", "用友NC", "PPT"],
};

#[rustfmt::skip]
pub(crate) const HUMAN_RESOURCES: Family = Family {
    group: 3, professional: false, high_end: false, bulk: false,
    titles: &[
        ("人力资源专员", "人力资源管理专业人员", &["招聘流程", "社保业务"]),
        ("招聘专员", "人力资源管理专业人员", &["招聘渠道", "校园招聘"]),
        ("薪酬绩效专员", "人力资源管理专业人员", &["薪酬核算", "绩效考核"]),
        ("人事助理", "人力资源管理专业人员", &["员工关系", "社保业务"]),
        ("培训专员", "人力资源管理专业人员", &["培训体系", "课程开发"]),
    ],
    pay: (4000, 6500), education: EDU_OFFICE, experience: EXP_EARLY,
    majors: "人力资源管理、工商管理等相关专业",
    duties: &[
        "负责招聘渠道维护、简历筛选和面试安排",
        "办理员工入离职手续和社保公积金业务",
        "负责考勤统计和薪酬核算",
        "组织新员工入职培训和内部培训",
        "处理员工关系，维护劳动合同台账",
    ],
    requirements: &[
        "熟悉劳动合同法和社保政策",
        "亲和力强，有良好的沟通协调能力",
        "持有人力资源管理师证书者优先",
    ],
    skill_line: "熟悉{}", skills: &["Excel", "钉钉", "企业微信", "人事系统"],
};

#[rustfmt::skip]
pub(crate) const ADMINISTRATION: Family = Family {
    group: 3, professional: false, high_end: false, bulk: false,
    titles: &[
        ("行政文员", "行政办事员", &["公文写作", "Office"]),
        ("行政专员", "行政办事员", &["会务组织", "行政采购"]),
        ("前台文员", "行政办事员", &["接待礼仪", "Office"]),
        ("办公室文员", "行政办事员", &["Office", "档案整理"]),
        ("综合文员", "行政办事员", &["Excel", "公文写作"]),
        ("档案管理员", "档案专业人员", &["档案管理", "档案数字化"]),
        ("统计员", "统计专业人员", &["统计报表", "Excel"]),
    ],
    pay: (3500, 5500), education: EDU_OFFICE, experience: EXP_OPEN,
    majors: "行政管理、文秘、统计等相关专业",
    duties: &[
        "负责公文收发、会议记录和档案管理",
        "负责前台接待、办公用品采购和会务保障",
        "负责各类统计报表的填报和数据整理",
        "协助做好后勤、车辆和办公环境管理",
        "完成上级交办的其他行政事务",
    ],
    requirements: &[
        "文字功底扎实，办事细致",
        "形象端正，有良好的服务意识",
        "能熟练操作办公设备",
    ],
    skill_line: "熟悉{}", skills: &["Word", "Excel", "PPT", "钉钉", "企业微信"],
};

#[rustfmt::skip]
pub(crate) const SALES: Family = Family {
    group: 4, professional: false, high_end: false, bulk: false,
    titles: &[
        ("销售代表", "销售人员", &["客户开发", "商务谈判"]),
        ("销售助理", "销售人员", &["订单跟进", "Excel"]),
        ("大客户经理", "销售人员", &["大客户管理", "商务谈判"]),
        ("渠道经理", "销售人员", &["渠道拓展", "经销商管理"]),
        ("门店销售", "营业员", &["门店陈列", "收银系统"]),
        ("业务员", "销售人员", &["客户开发"]),
        ("销售工程师", "销售人员", &["技术方案", "招投标"]),
    ],
    pay: (4000, 7000), education: EDU_OFFICE, experience: EXP_OPEN,
    majors: "",
    duties: &[
        "负责区域市场开拓和新客户开发",
        "维护老客户关系，完成销售目标",
        "负责报价、合同签订和回款跟进",
        "参与展会和招投标，收集市场信息",
        "协助整理销售数据和客户档案",
    ],
    requirements: &[
        "收入由底薪加提成构成，能力突出者可晋升",
        "普通话标准，沟通表达能力强",
        "有C1驾照、能适应短期出差者优先",
    ],
    skill_line: "熟悉{}", skills: &["Excel", "CRM", "Office", "企业微信"],
};

#[rustfmt::skip]
pub(crate) const SERVICE: Family = Family {
    group: 4, professional: false, high_end: false, bulk: false,
    titles: &[
        ("客服专员", "客户服务管理员", &["客户回访", "投诉处理"]),
        ("电话客服", "呼叫中心服务员", &["电话沟通技巧", "工单系统"]),
        ("在线客服", "呼叫中心服务员", &["在线咨询", "工单系统"]),
        ("售后服务专员", "客户服务管理员", &["售后流程", "投诉处理"]),
    ],
    pay: (3800, 5500), education: EDU_OFFICE, experience: EXP_OPEN,
    majors: "",
    duties: &[
        "负责客户咨询、订单查询和售后服务",
        "处理客户投诉，做好客户回访记录",
        "记录和跟进工单，协调相关部门解决问题",
        "整理常见问题，完善客服话术",
    ],
    requirements: &[
        "普通话标准，打字速度每分钟50字以上",
        "有耐心，情绪稳定，服务意识强",
        "能适应排班，有客服工作经验者优先",
    ],
    skill_line: "熟悉{}", skills: &["Excel", "CRM", "Office", "工单系统"],
};

#[rustfmt::skip]
pub(crate) const MARKETING: Family = Family {
    group: 4, professional: false, high_end: false, bulk: false,
    titles: &[
        ("新媒体运营", "互联网营销师", &["抖音", "小红书", "微信公众号"]),
        ("内容运营", "互联网营销师", &["小红书", "内容策划"]),
        ("用户运营", "互联网营销师", &["社群运营", "数据分析"]),
        ("社群运营", "互联网营销师", &["社群运营", "企业微信"]),
        ("市场专员", "市场营销专业人员", &["市场调研", "活动策划"]),
        ("品牌策划", "市场营销专业人员", &["品牌推广", "文案写作"]),
        ("文案策划", "市场营销专业人员", &["文案写作", "公众号排版"]),
        ("活动策划", "会展策划专业人员", &["活动执行", "展会策划"]),
        ("视频剪辑师", "影视剪辑师", &["Premiere", "剪映"]),
    ],
    pay: (4500, 8000), education: EDU_OFFICE, experience: EXP_EARLY,
    majors: "市场营销、新闻传播、广告学等相关专业",
    duties: &[
        "负责公司公众号、抖音等新媒体账号的日常运营",
        "策划并撰写推广文案，提升品牌曝光",
        "策划执行线上线下营销活动",
        "拍摄剪辑短视频，跟踪投放效果",
        "分析运营数据，持续优化内容策略",
    ],
    requirements: &[
        "网感好，熟悉各主流内容平台规则",
        "文字功底好，有一定审美能力",
        "有成功运营账号案例者优先",
    ],
    skill_line: "熟悉{}", skills: &["剪映", "Premiere", "Photoshop", "Excel", "秀米"],
};

#[rustfmt::skip]
pub(crate) const DESIGN: Family = Family {
    group: 2, professional: true, high_end: true, bulk: false,
    titles: &[
        ("平面设计师", "平面设计师", &["Photoshop", "Illustrator"]),
        ("UI设计师", "数字媒体艺术专业人员", &["Figma", "Sketch"]),
        ("交互设计师", "数字媒体艺术专业人员", &["Axure", "Figma"]),
        ("视觉设计师", "平面设计师", &["Photoshop", "C4D"]),
        ("工业设计师", "工业设计工程技术人员", &["Rhino", "KeyShot"]),
        ("包装设计师", "平面设计师", &["Illustrator", "CorelDRAW"]),
        ("3D建模师", "数字媒体艺术专业人员", &["3ds Max", "Blender"]),
        ("室内设计师", "室内装饰设计师", &["AutoCAD", "SketchUp"]),
    ],
    pay: (5500, 11000), education: EDU_OFFICE, experience: EXP_EARLY,
    majors: "视觉传达、工业设计、数字媒体艺术等相关专业",
    duties: &[
        "负责产品包装、宣传物料和展会视觉设计",
        "负责App和网页界面的视觉与交互设计",
        "参与产品外观和结构的造型设计",
        "建立和维护品牌视觉规范",
        "配合市场和研发团队完成设计需求",
    ],
    requirements: &[
        "面试请携带个人作品集",
        "审美能力强，有良好的创意和表达能力",
        "有工业品或快消品设计经验者优先",
    ],
    skill_line: "熟练使用{}", skills: &["Photoshop", "Illustrator", "Figma", "AutoCAD", "C4D"],
};

#[rustfmt::skip]
pub(crate) const RESEARCH: Family = Family {
    group: 2, professional: true, high_end: true, bulk: false,
    titles: &[
        ("产品经理", "产品设计工程技术人员", &["Axure", "需求分析"]),
        ("项目经理", "项目管理专业人员", &["项目管理", "PMP知识体系"]),
        ("研发工程师", "研究开发工程技术人员", &["技术研发流程", "专利申请"]),
        ("研发助理", "研究开发工程技术人员", &["实验记录", "Office"]),
        ("检测工程师", "检验检测工程技术人员", &["CNAS体系", "检测标准"]),
        ("认证工程师", "质量认证认可工程技术人员", &["CCC认证", "CE认证"]),
        ("专利工程师", "知识产权专业人员", &["专利撰写", "专利检索"]),
        ("技术经理", "研究开发工程技术人员", &["技术管理", "项目管理"]),
        ("博士后研究员", "研究开发工程技术人员", &["科研项目申报", "论文写作"]),
    ],
    pay: (8000, 14000), education: EDU_RESEARCH, experience: EXP_SENIOR,
    majors: "理工科相关专业",
    duties: &[
        "负责产品规划、需求分析和原型设计",
        "统筹项目进度、成本和质量，组织项目验收",
        "承担新技术、新产品的研发和试验验证",
        "负责检测方法开发和检测报告审核",
        "组织申报高新技术企业和科技项目",
        "撰写专利和技术文档，管理知识产权",
    ],
    requirements: &[
        "持有PMP或中级职称者优先",
        "有承担省市级科研项目经历者优先",
        "具备较强的沟通协调和团队管理能力",
    ],
    skill_line: "熟悉{}", skills: &["Axure", "Visio", "Project", "Office", "MATLAB"],
};
