//! Demo policy list (政策清单, issue 14 item 1): 区科服中心 publishes an entry for each policy
//! the plan names — 一次性创业补贴, 一次性吸纳就业补贴, 一次性扩岗补助, 社保补贴 and 创业担保贷款
//! (1.3.1, 2.4.2), 高校毕业生购房补贴和租金优惠 (1.3.2), 返乡创业产业扶持 (2.4.3), 就业见习补贴
//! (1.1.4) — linked to its rule in `policies/dongxihu.toml` where one exists. The texts say only
//! what the plan says; amounts and 文号 the plan does not give are marked 待核实.

use linkong_core::plan::Plan;
use linkong_core::policy_list::PolicyEntryDraft;
use linkong_core::rules::{DONGXIHU, RuleBook};
use linkong_store::Store;

use crate::demo_returnees::staff_of;

const PLAN_ISSUER: &str = "武汉市东西湖区人民政府办公室";
const PLAN_NUMBER: &str = "东政办〔2025〕3号";
const TO_CHECK: &str = "具体补贴标准、申领期限以经办单位公布的文件为准（依据文件文号待核实）。";

/// One entry: title, audiences, benefit, conditions, documents, handling unit, rule id.
struct Seed {
    title: &'static str,
    audiences: &'static [&'static str],
    benefit: &'static str,
    conditions: &'static str,
    documents: &'static str,
    unit: &'static str,
    rule: &'static str,
    /// Whether the plan itself is the entry's document (else its 文号 is left to be checked).
    from_plan: bool,
}

const SEEDS: [Seed; 8] = [
    Seed {
        title: "一次性创业补贴",
        audiences: &["graduate", "returnee"],
        benefit: "对首次创办小微企业或从事个体经营、正常经营的高校毕业生和返乡创业人员，给予一次性创业补贴（行动方案任务 1.3.1）。",
        conditions: "首次领取营业执照；正常经营满规定月数并吸纳就业达到规定人数（月数、人数见下方现行标准，待核实）。",
        documents: "申请人身份证\n营业执照\n经营场所证明\n吸纳就业人员劳动合同及社会保险缴费记录",
        unit: "rsj",
        rule: "startup_subsidy",
        from_plan: true,
    },
    Seed {
        title: "一次性吸纳就业补贴",
        audiences: &["employer"],
        benefit: "对招用符合条件高校毕业生的用人单位，按招用人数给予一次性吸纳就业补贴（行动方案任务 1.3.1）。",
        conditions: "招用当年毕业生、离校 2 年内未就业高校毕业生或 16–24 岁登记失业青年，签订劳动合同并为其缴纳社会保险满规定月数；同一毕业生只由一家单位申领；与一次性扩岗补助不可同时享受。",
        documents: "单位营业执照\n劳动合同\n社会保险缴费明细\n毕业证书或失业登记证明",
        unit: "rsj",
        rule: "hiring_subsidy",
        from_plan: true,
    },
    Seed {
        title: "一次性扩岗补助",
        audiences: &["employer"],
        benefit: "对招用高校毕业生等青年并参保的企业，按招用人数给予一次性扩岗补助。",
        conditions: "招用符合条件的高校毕业生等青年，签订劳动合同并参保满规定月数；与一次性吸纳就业补贴不可同时享受。",
        documents: "单位营业执照\n劳动合同\n社会保险缴费明细",
        unit: "rsj",
        rule: "expansion_subsidy",
        from_plan: false,
    },
    Seed {
        title: "社会保险补贴（社保补贴）",
        audiences: &["graduate", "employer"],
        benefit: "对符合条件的高校毕业生灵活就业或被用人单位招用并缴纳社会保险的，按规定给予社会保险补贴（行动方案任务 1.3.1）。",
        conditions: "离校未就业高校毕业生灵活就业并缴纳社会保险，或被小微企业招用并由单位缴纳社会保险。",
        documents: "身份证\n毕业证书\n社会保险缴费明细\n劳动合同或灵活就业登记",
        unit: "rsj",
        rule: "",
        from_plan: true,
    },
    Seed {
        title: "创业担保贷款及贴息（符合条件免除反担保）",
        audiences: &["graduate", "returnee"],
        benefit: "为符合条件的创业者和小微企业提供创业担保贷款并按规定贴息；对符合相关条件的创业项目免除反担保（行动方案任务 1.3.1、2.4.2）。",
        conditions: "在东西湖区创业并依法登记；贷款额度、期限、贴息比例和免除反担保的条件以经办机构审核为准。",
        documents: "身份证\n营业执照\n创业计划书\n经营场所证明",
        unit: "rsj",
        rule: "",
        from_plan: true,
    },
    Seed {
        title: "高校毕业生购房补贴、租金优惠",
        audiences: &["graduate"],
        benefit: "对来东西湖就业创业的高校毕业生给予购房补贴、租金优惠、房租减免等政策（行动方案任务 1.3.2，大力建设青年社区）。",
        conditions: "来东西湖区就业创业的高校毕业生；补贴标准和申请条件以区住更局公布为准。",
        documents: "身份证\n毕业证书\n劳动合同或营业执照\n购房合同或租赁合同",
        unit: "zgj",
        rule: "",
        from_plan: true,
    },
    Seed {
        title: "返乡创业产业扶持",
        audiences: &["returnee"],
        benefit: "对返区人员创办领办的现代农业等各类产业经营主体，按照相关规定及时兑现产业扶持政策（行动方案任务 2.4.3）。",
        conditions: "返区人员创办或领办、在东西湖区依法登记的产业经营主体；具体扶持项目和标准以区农业农村局公布为准。",
        documents: "经营主体营业执照\n返区人员身份证\n项目申报材料",
        unit: "nyncj",
        rule: "",
        from_plan: true,
    },
    Seed {
        title: "就业见习补贴",
        audiences: &["graduate", "employer"],
        benefit: "优先推荐离校未就业高校毕业生参加就业见习（行动方案任务 1.1.4）；对开展见习的单位按规定给予就业见习补贴。",
        conditions: "见习单位经认定并与见习人员签订见习协议；见习人员为离校 2 年内未就业高校毕业生等青年。",
        documents: "见习单位认定材料\n见习协议\n见习人员身份证及毕业证书\n见习补贴发放花名册",
        unit: "rsj",
        rule: "",
        from_plan: true,
    },
];

fn draft(seed: &Seed) -> PolicyEntryDraft {
    PolicyEntryDraft {
        title: seed.title.into(),
        document_number: if seed.from_plan { PLAN_NUMBER } else { "" }.into(),
        issuer: if seed.from_plan {
            PLAN_ISSUER
        } else {
            "上级人力资源社会保障部门（待核实）"
        }
        .into(),
        // The plan's policies from its issue date; a national one from its year's start.
        effective_from: if seed.from_plan {
            "2025-04-30"
        } else {
            "2025-01-01"
        }
        .into(),
        effective_to: if seed.rule == "expansion_subsidy" {
            "2025-12-31"
        } else {
            "2027-12-31"
        }
        .into(),
        audiences: seed.audiences.iter().map(|a| (*a).to_owned()).collect(),
        benefit: format!("{}{TO_CHECK}", seed.benefit),
        conditions: seed.conditions.into(),
        documents: seed.documents.into(),
        handling_unit: seed.unit.into(),
        rule_id: seed.rule.into(),
    }
}

/// Publishes the demo's policy list as 区科服中心.
pub async fn fill(store: &Store, plan: &Plan) -> anyhow::Result<()> {
    let kfzx = staff_of(store, plan, "kfzx").await?;
    let rules = RuleBook::parse(DONGXIHU)?;
    for seed in &SEEDS {
        let id = store
            .create_policy_entry((plan, &rules), &kfzx, &draft(seed), "demo")
            .await?;
        store.publish_policy_entry(&kfzx, id, "demo").await?;
    }
    println!("政策清单：已发布 {} 项政策", SEEDS.len());
    Ok(())
}
