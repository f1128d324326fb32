//! Job families of the technical leading industries: software, data, cyber security, electronics,
//! manufacturing engineering and production, construction.

use super::{
    EDU_DEGREE, EDU_SKILLED, EDU_TECHNICIAN, EDU_WORKER, EXP_EARLY, EXP_OPEN, EXP_SENIOR, Family,
};

#[rustfmt::skip]
pub(crate) const FRONTEND: Family = Family {
    group: 2, professional: true, high_end: false, bulk: false,
    titles: &[
        ("前端开发工程师", "软件工程技术人员", &["Vue", "React"]),
        ("Web前端开发", "软件工程技术人员", &["Vue", "JavaScript"]),
        ("小程序开发工程师", "软件工程技术人员", &["uni-app", "微信小程序"]),
        ("Android开发工程师", "软件工程技术人员", &["Kotlin", "Android SDK"]),
        ("iOS开发工程师", "软件工程技术人员", &["Swift", "Objective-C"]),
        ("全栈开发工程师", "软件工程技术人员", &["Vue", "Node.js", "Java"]),
    ],
    pay: (7000, 14000), education: EDU_DEGREE, experience: EXP_EARLY,
    majors: "计算机、软件工程等相关专业",
    duties: &[
        "负责公司产品前端页面的开发与交互实现",
        "与UI设计师、后端工程师协作完成需求开发",
        "优化页面性能，保证多浏览器和移动端兼容",
        "参与前端组件库和工程化体系建设",
        "参与需求评审，评估开发工作量并按期交付",
        "编写技术文档，参与代码评审",
    ],
    requirements: &[
        "具备良好的代码规范和团队协作意识",
        "有政务、工业或物流类系统开发经验者优先",
        "学习能力强，能独立解决开发中的问题",
    ],
    skill_line: "熟悉{}", skills: &["TypeScript", "JavaScript", "HTML5", "CSS3", "Webpack", "Vite", "Element Plus", "Git", "Node.js"],
};

#[rustfmt::skip]
pub(crate) const BACKEND: Family = Family {
    group: 2, professional: true, high_end: false, bulk: false,
    titles: &[
        ("Java后端开发", "软件工程技术人员", &["Java", "Spring Boot"]),
        ("Java开发工程师", "软件工程技术人员", &["Java", "Spring Cloud"]),
        ("Python开发工程师", "软件工程技术人员", &["Python", "Django"]),
        ("Go开发工程师", "软件工程技术人员", &["Go", "gRPC"]),
        ("C++开发工程师", "软件工程技术人员", &["C++", "Qt"]),
        ("PHP开发工程师", "软件工程技术人员", &["PHP", "Laravel"]),
        ("后端开发工程师", "软件工程技术人员", &["Java", "Go"]),
        ("软件工程师", "软件工程技术人员", &["Java", "C#"]),
        ("Java实习生", "软件工程技术人员", &["Java", "Spring Boot"]),
    ],
    pay: (7500, 14000), education: EDU_DEGREE, experience: EXP_EARLY,
    majors: "计算机、软件工程、通信等相关专业",
    duties: &[
        "负责业务系统后端接口的设计、开发与维护",
        "参与系统架构设计和核心模块编码",
        "负责数据库表结构设计与SQL性能优化",
        "排查并解决线上问题，保障系统稳定运行",
        "参与需求评审，编写技术方案和接口文档",
        "配合测试和运维完成版本发布",
    ],
    requirements: &[
        "熟悉MySQL或PostgreSQL，具备SQL调优经验",
        "了解微服务架构和常用中间件",
        "有大数据、物流或制造业信息化项目经验者优先",
    ],
    skill_line: "熟悉{}", skills: &["MySQL", "Redis", "Kafka", "MyBatis", "Linux", "Docker", "Nginx", "PostgreSQL", "微服务"],
};

#[rustfmt::skip]
pub(crate) const TESTING: Family = Family {
    group: 2, professional: true, high_end: false, bulk: false,
    titles: &[
        ("软件测试工程师", "计算机软件测试员", &["JMeter", "Postman"]),
        ("自动化测试工程师", "计算机软件测试员", &["Selenium", "Python"]),
        ("测试开发工程师", "计算机软件测试员", &["Python", "pytest"]),
        ("嵌入式测试工程师", "计算机软件测试员", &["CANoe", "自动化测试"]),
    ],
    pay: (6000, 12000), education: EDU_TECHNICIAN, experience: EXP_EARLY,
    majors: "计算机、软件工程等相关专业",
    duties: &[
        "负责系统功能测试、接口测试和性能测试",
        "编写测试计划和测试用例，跟踪缺陷直至关闭",
        "搭建和维护自动化测试框架",
        "参与需求评审，从测试角度提出改进建议",
        "输出测试报告，评估版本发布质量",
    ],
    requirements: &[
        "工作细致认真，具备较强的问题分析能力",
        "持有软件测评师证书者优先",
        "有工业软件或物联网产品测试经验者优先",
    ],
    skill_line: "熟悉{}", skills: &["SQL", "Linux", "Git", "Jenkins", "自动化测试"],
};

#[rustfmt::skip]
pub(crate) const OPERATIONS: Family = Family {
    group: 2, professional: true, high_end: false, bulk: false,
    titles: &[
        ("运维工程师", "信息系统运行维护工程技术人员", &["Linux", "Shell"]),
        ("软件实施工程师", "信息系统运行维护工程技术人员", &["SQL", "Oracle"]),
        ("技术支持工程师", "信息系统运行维护工程技术人员", &["Windows Server", "网络配置"]),
        ("DevOps工程师", "信息系统运行维护工程技术人员", &["Kubernetes", "Jenkins"]),
        ("IT运维专员", "信息系统运行维护工程技术人员", &["Linux", "网络配置"]),
        ("数据库管理员", "数据库运行管理员", &["MySQL", "Oracle"]),
    ],
    pay: (6000, 12000), education: EDU_TECHNICIAN, experience: EXP_EARLY,
    majors: "计算机、网络工程等相关专业",
    duties: &[
        "负责服务器、数据库和网络设备的日常运维与监控",
        "负责系统部署上线和故障应急处理",
        "为客户提供系统实施、使用指导和技术支持",
        "编写运维文档，完善自动化运维脚本",
        "负责数据备份与恢复演练，保障数据安全",
    ],
    requirements: &[
        "能适应短期出差和节假日值班",
        "持有RHCE、HCIP等证书者优先",
        "服务意识强，沟通表达清晰",
    ],
    skill_line: "熟悉{}", skills: &["Linux", "Docker", "Python", "SQL", "Zabbix", "Prometheus", "Nginx"],
};

#[rustfmt::skip]
pub(crate) const DATA: Family = Family {
    group: 2, professional: true, high_end: false, bulk: false,
    titles: &[
        ("数据分析师", "大数据工程技术人员", &["SQL", "Python", "Tableau"]),
        ("大数据开发工程师", "大数据工程技术人员", &["Spark", "Hadoop", "Flink"]),
        ("数据仓库工程师", "大数据工程技术人员", &["Hive", "SQL"]),
        ("数据治理工程师", "大数据工程技术人员", &["元数据管理", "SQL"]),
        ("BI开发工程师", "大数据工程技术人员", &["Power BI", "SQL"]),
        ("数据挖掘工程师", "大数据工程技术人员", &["Python", "Spark"]),
        ("算法工程师", "人工智能工程技术人员", &["PyTorch", "Python"]),
        ("机器学习工程师", "人工智能工程技术人员", &["TensorFlow", "Python"]),
    ],
    pay: (8000, 15000), education: EDU_DEGREE, experience: EXP_EARLY,
    majors: "统计学、数学、计算机等相关专业",
    duties: &[
        "负责业务数据的采集、清洗、建模与分析",
        "搭建数据仓库和数据指标体系",
        "开发离线和实时数据处理任务",
        "撰写数据分析报告，为业务决策提供支持",
        "负责算法模型的训练、评估与上线",
        "参与数据安全与数据质量治理工作",
    ],
    requirements: &[
        "逻辑思维清晰，对数据敏感",
        "有政务大数据或工业互联网项目经验者优先",
        "能阅读英文技术文档",
    ],
    skill_line: "熟悉{}", skills: &["SQL", "Python", "Excel", "Pandas", "Hive", "ClickHouse", "Kafka", "Linux"],
};

#[rustfmt::skip]
pub(crate) const SECURITY: Family = Family {
    group: 2, professional: true, high_end: false, bulk: false,
    titles: &[
        ("网络安全工程师", "信息安全工程技术人员", &["防火墙", "等级保护2.0"]),
        ("渗透测试工程师", "信息安全工程技术人员", &["Burp Suite", "Kali Linux"]),
        ("安全运维工程师", "信息安全工程技术人员", &["SIEM", "Linux"]),
        ("等保测评工程师", "信息安全工程技术人员", &["等级保护2.0", "风险评估"]),
        ("安全服务工程师", "信息安全工程技术人员", &["漏洞扫描", "应急响应"]),
        ("网络工程师", "网络与信息安全管理员", &["华为设备", "思科设备", "路由交换"]),
        ("安全售前工程师", "信息安全工程技术人员", &["安全解决方案", "等级保护2.0"]),
        ("应急响应工程师", "信息安全工程技术人员", &["应急响应", "日志分析"]),
        ("代码审计工程师", "信息安全工程技术人员", &["Java", "OWASP Top 10"]),
        ("安全研发工程师", "信息安全工程技术人员", &["Go", "Python"]),
    ],
    pay: (8000, 14000), education: EDU_DEGREE, experience: EXP_EARLY,
    majors: "网络空间安全、信息安全、计算机等相关专业",
    duties: &[
        "负责客户网络安全设备的部署、配置与巡检",
        "开展渗透测试和漏洞扫描，出具安全评估报告",
        "参与等级保护测评和安全加固工作",
        "负责安全事件的监测分析与应急处置",
        "跟踪最新漏洞情报，编写安全通告",
        "参与网络安全攻防演练和重要时期安全保障",
    ],
    requirements: &[
        "持有CISP、CISSP或NISP证书者优先",
        "有CTF竞赛或攻防演练经验者优先",
        "具有良好的保密意识和职业操守",
    ],
    skill_line: "熟悉{}", skills: &["Nmap", "Wireshark", "Metasploit", "Linux", "Python", "WAF", "IDS/IPS", "TCP/IP"],
};

#[rustfmt::skip]
pub(crate) const ELECTRONICS: Family = Family {
    group: 2, professional: true, high_end: false, bulk: false,
    titles: &[
        ("嵌入式软件工程师", "电子工程技术人员", &["C语言", "STM32", "FreeRTOS"]),
        ("单片机开发工程师", "电子工程技术人员", &["C语言", "Keil", "STM32"]),
        ("硬件工程师", "电子工程技术人员", &["Altium Designer", "原理图设计"]),
        ("硬件测试工程师", "电子工程技术人员", &["示波器", "信号完整性"]),
        ("PCB设计工程师", "电子工程技术人员", &["PCB", "Cadence", "Altium Designer"]),
        ("射频工程师", "电子工程技术人员", &["频谱仪", "天线"]),
        ("FPGA工程师", "集成电路工程技术人员", &["Verilog", "Vivado"]),
        ("集成电路设计工程师", "集成电路工程技术人员", &["Verilog", "EDA"]),
        ("光通信工程师", "光电子器件工程技术人员", &["光模块", "光纤"]),
        ("电子工艺工程师", "电子工程技术人员", &["SMT", "回流焊"]),
        ("半导体设备工程师", "集成电路工程技术人员", &["刻蚀", "薄膜沉积"]),
        ("显示面板工艺工程师", "电子工程技术人员", &["OLED", "LCD"]),
    ],
    pay: (7000, 13000), education: EDU_DEGREE, experience: EXP_EARLY,
    majors: "电子信息、微电子、通信工程等相关专业",
    duties: &[
        "负责产品电路原理图和PCB的设计与调试",
        "负责嵌入式软件和驱动程序的开发与维护",
        "制定测试方案，完成硬件功能和可靠性测试",
        "跟进样机试产，解决量产中的技术问题",
        "编写设计文档、测试报告和工艺文件",
        "配合供应商完成元器件选型与认证",
    ],
    requirements: &[
        "动手能力强，能熟练使用示波器等仪器",
        "有光电子、半导体或汽车电子行业经验者优先",
        "英语读写能力良好，能阅读器件手册",
    ],
    skill_line: "熟悉{}", skills: &["C语言", "ARM", "Linux驱动", "CAN总线", "Modbus", "RTOS", "PCB", "示波器"],
};

#[rustfmt::skip]
pub(crate) const ENGINEERING: Family = Family {
    group: 2, professional: true, high_end: false, bulk: false,
    titles: &[
        ("电气工程师", "电气工程技术人员", &["PLC", "EPLAN"]),
        ("机械设计工程师", "机械工程技术人员", &["SolidWorks", "AutoCAD"]),
        ("自动化工程师", "自动化工程技术人员", &["PLC", "西门子S7-1200"]),
        ("PLC工程师", "自动化工程技术人员", &["PLC", "三菱PLC", "触摸屏"]),
        ("工艺工程师", "机械工程技术人员", &["工艺文件", "AutoCAD"]),
        ("机器人调试工程师", "自动化工程技术人员", &["工业机器人", "发那科", "ABB"]),
        ("质量工程师", "质量管理工程技术人员", &["FMEA", "SPC", "ISO 9001"]),
        ("设备工程师", "机械工程技术人员", &["设备维护", "PLC"]),
        ("机电一体化技术员", "机电一体化工程技术人员", &["PLC", "伺服系统"]),
        ("结构工程师", "机械工程技术人员", &["UG", "CATIA"]),
        ("精益生产工程师", "工业工程技术人员", &["精益生产", "六西格玛"]),
        ("模具设计工程师", "模具设计工程技术人员", &["UG", "模流分析"]),
        ("生产计划工程师", "工业工程技术人员", &["ERP", "MES"]),
        ("电气自动化实习生", "自动化工程技术人员", &["PLC", "AutoCAD"]),
    ],
    pay: (6500, 13000), education: EDU_TECHNICIAN, experience: EXP_EARLY,
    majors: "机械、电气自动化、机电一体化等相关专业",
    duties: &[
        "负责非标自动化设备的电气或机械设计",
        "编制生产工艺文件，持续改进生产工艺",
        "负责设备安装调试、技术改造和故障处理",
        "参与新产品导入，跟进试制和量产过程",
        "推动质量改善，分析处理客户质量问题",
        "组织开展精益生产和降本增效项目",
    ],
    requirements: &[
        "能看懂机械图纸和电气原理图",
        "有汽车零部件、工程机械或智能装备行业经验者优先",
        "能适应车间现场工作环境",
    ],
    skill_line: "熟悉{}", skills: &["AutoCAD", "SolidWorks", "PLC", "变频器", "MES", "ERP", "Office"],
};

#[rustfmt::skip]
pub(crate) const WORKER: Family = Family {
    group: 6, professional: false, high_end: false, bulk: true,
    titles: &[
        ("数控操作工", "数控车工", &["数控车床操作经验", "FANUC系统操作经验"]),
        ("CNC操作工", "数控铣工", &["加工中心操作经验", "数控编程基础"]),
        ("焊工", "焊工", &["焊工证", "二氧化碳保护焊经验", "氩弧焊经验"]),
        ("电工", "电工", &["低压电工证", "电工证"]),
        ("钳工", "钳工", &["钳工证", "设备装配经验"]),
        ("普工", "机械设备装配工", &["流水线作业经验"]),
        ("装配工", "机械设备装配工", &["看图装配能力", "气动工具使用经验"]),
        ("设备维修工", "设备维修工", &["电工证", "设备保养经验"]),
        ("注塑技工", "塑料制品成型制作工", &["注塑机调机经验", "模具调试经验"]),
        ("冲压工", "冲压工", &["冲床操作经验"]),
        ("喷涂工", "涂装工", &["喷涂作业经验"]),
        ("电子装配工", "电子产品装配工", &["电子装配经验", "防静电操作知识"]),
        ("SMT操作员", "电子产品装配工", &["贴片机操作经验", "SMT产线经验"]),
        ("车间操作工", "机械设备装配工", &["流水线作业经验"]),
    ],
    pay: (4000, 6500), education: EDU_WORKER, experience: EXP_OPEN,
    majors: "",
    duties: &[
        "按照作业指导书完成本岗位生产任务",
        "遵守安全操作规程，做好设备日常点检和保养",
        "做好产品自检，发现异常及时上报班组长",
        "做好交接班记录和现场6S管理",
        "配合班组完成生产计划和临时任务",
    ],
    requirements: &[
        "身体健康，能适应倒班或站立作业",
        "吃苦耐劳，服从安排，有团队精神",
        "有同岗位工作经验者可直接上岗",
    ],
    skill_line: "具备{}者优先", skills: &["识图能力", "量具使用能力", "设备操作经验", "质量意识"],
};

#[rustfmt::skip]
pub(crate) const QUALITY: Family = Family {
    group: 6, professional: false, high_end: false, bulk: true,
    titles: &[
        ("质检员", "检验试验员", &["卡尺", "千分尺"]),
        ("品质检验员", "检验试验员", &["抽样检验", "三坐标"]),
        ("来料检验员", "检验试验员", &["IQC", "抽样检验"]),
        ("品质主管", "质量管理员", &["ISO 9001", "8D报告"]),
        ("计量员", "计量员", &["量具校准", "计量器具"]),
    ],
    pay: (4500, 7000), education: EDU_SKILLED, experience: EXP_OPEN,
    majors: "",
    duties: &[
        "负责来料、过程和成品的质检工作",
        "按标准抽样检验，填写检验记录",
        "对不合格品进行标识、隔离并跟踪处理",
        "统计分析质量数据，编制质量报表",
        "配合客户审核和质量体系内审",
    ],
    requirements: &[
        "工作认真负责，原则性强",
        "能看懂图纸，会使用常用检测量具",
        "熟悉ISO 9001质量管理体系者优先",
    ],
    skill_line: "熟悉{}", skills: &["Excel", "卡尺", "投影仪", "三坐标"],
};

#[rustfmt::skip]
pub(crate) const CONSTRUCTION: Family = Family {
    group: 2, professional: false, high_end: false, bulk: false,
    titles: &[
        ("施工员", "土木建筑工程技术人员", &["施工图识读", "AutoCAD"]),
        ("安全员", "安全工程技术人员", &["安全生产法规", "安全检查"]),
        ("造价员", "工程造价工程技术人员", &["广联达", "工程量清单"]),
        ("资料员", "土木建筑工程技术人员", &["工程资料管理", "Office"]),
        ("测量员", "工程测量员", &["全站仪", "GPS测量"]),
        ("土建工程师", "土木建筑工程技术人员", &["AutoCAD", "施工组织设计"]),
    ],
    pay: (5000, 9000), education: EDU_TECHNICIAN, experience: EXP_SENIOR,
    majors: "土木工程、工程管理、建筑工程等相关专业",
    duties: &[
        "负责施工现场的进度、质量和安全管理",
        "编制施工方案，组织技术交底",
        "负责工程量计算和预结算编制",
        "整理归档工程技术资料",
        "协调建设单位、监理单位和分包单位",
    ],
    requirements: &[
        "持有施工员、安全员等岗位证书者优先",
        "能适应项目现场工作",
        "有市政或厂房建设项目经验者优先",
    ],
    skill_line: "熟悉{}", skills: &["AutoCAD", "广联达", "Office", "BIM"],
};
