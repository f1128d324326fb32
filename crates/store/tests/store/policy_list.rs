//! The policy list (政策清单, issue 14 item 1) in the store, on SQLite and (with LINKONG_TEST_PG)
//! PostgreSQL: a new entry is a draft at version 1; an edit keeps version 1 and adds version 2
//! with who and what changed; only published entries that have not ended are public, by
//! audience; a street's staff are refused and the refusal audited; bad input writes nothing.

use linkong_core::access::{Actor, Role};
use linkong_core::policy_list::{Audience, PolicyEntryDraft, PolicyStatus};
use linkong_core::rules::{DONGXIHU, RuleBook};
use linkong_store::policy_list::PublicFilter;
use linkong_store::{Error, Store};
use linkong_testkit::{TestClock, account, databases, date, field_errors, plan};

fn draft(title: &str, audiences: &[&str]) -> PolicyEntryDraft {
    PolicyEntryDraft {
        title: title.into(),
        document_number: String::new(),
        issuer: "武汉市东西湖区人民政府办公室".into(),
        effective_from: "2025-01-01".into(),
        effective_to: "2027-12-31".into(),
        audiences: audiences.iter().map(|a| (*a).to_owned()).collect(),
        benefit: "给予一次性创业补贴（金额待核实）。".into(),
        conditions: "首次创办小微企业，正常经营 6 个月以上。".into(),
        documents: "营业执照\n身份证".into(),
        handling_unit: "rsj".into(),
        rule_id: "startup_subsidy".into(),
    }
}

fn rules() -> RuleBook {
    RuleBook::parse(DONGXIHU).unwrap()
}

async fn create(store: &Store, actor: &Actor, draft: &PolicyEntryDraft) -> Result<i64, Error> {
    store
        .create_policy_entry((&plan(), &rules()), actor, draft, "10.0.0.1")
        .await
}

async fn public_titles(store: &Store, audience: Option<Audience>) -> Vec<String> {
    let filter = PublicFilter {
        audience,
        today: date(2025, 10, 10),
    };
    let found = store.public_policy_entries(filter).await.unwrap();
    found.into_iter().map(|p| p.entry.title).collect()
}

#[tokio::test]
async fn an_edit_adds_version_2_and_keeps_version_1() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let kfzx = account(store, "kfzx01", Role::UnitStaff, Some("kfzx")).await;
        let id = create(store, &kfzx, &draft("一次性创业补贴", &["returnee"]))
            .await
            .unwrap();
        let created = store.policy_entry_for_staff(&kfzx, id, "").await.unwrap();
        assert_eq!((created.version, created.status), (1, PolicyStatus::Draft));
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "policy.create"
        );

        let mut edited = draft("一次性创业补贴", &["returnee", "graduate"]);
        edited.benefit = "给予一次性创业补贴 5000 元（待核实）。".into();
        let version = store
            .edit_policy_entry((&plan(), &rules()), &kfzx, id, &edited, "")
            .await
            .unwrap();
        assert_eq!(version, 2, "{:?}", db.backend);
        let versions = store.policy_entry_versions(&kfzx, id, "").await.unwrap();
        assert_eq!(versions.len(), 2);
        assert_eq!((versions[0].version, versions[1].version), (2, 1));
        assert_eq!(versions[0].changed, "适用对象、享受内容");
        assert_eq!(versions[1].changed, "新建");
        assert_eq!(versions[0].saved_by, "kfzx01");
        assert_eq!(
            versions[1].entry.benefit,
            "给予一次性创业补贴（金额待核实）。"
        );
        assert_eq!(
            versions[0].entry.benefit,
            "给予一次性创业补贴 5000 元（待核实）。"
        );
        assert_eq!(
            versions[0].entry.audiences,
            [Audience::Graduate, Audience::Returnee]
        );
        let audit = &store.recent_audit(1).await.unwrap()[0];
        assert_eq!(audit.action, "policy.edit");
        assert!(audit.detail.contains("第 2 版"), "{}", audit.detail);

        // The same form again changes nothing and saves no version 3.
        let again = store
            .edit_policy_entry((&plan(), &rules()), &kfzx, id, &edited, "")
            .await;
        assert!(matches!(again, Err(Error::Conflict(_))), "{again:?}");
        assert_eq!(
            store
                .policy_entry_versions(&kfzx, id, "")
                .await
                .unwrap()
                .len(),
            2
        );
    }
}

#[tokio::test]
async fn only_published_entries_in_force_are_public_and_withdrawing_hides_one() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let kfzx = account(store, "kfzx01", Role::UnitStaff, Some("kfzx")).await;
        let startup = create(
            store,
            &kfzx,
            &draft("一次性创业补贴", &["graduate", "returnee"]),
        )
        .await
        .unwrap();
        let hiring = create(store, &kfzx, &draft("一次性吸纳就业补贴", &["employer"]))
            .await
            .unwrap();
        let mut ended = draft("2024 年度扩岗补助", &["employer"]);
        (ended.effective_from, ended.effective_to) = ("2024-01-01".into(), "2024-12-31".into());
        ended.rule_id = String::new();
        let ended = create(store, &kfzx, &ended).await.unwrap();
        assert!(
            public_titles(store, None).await.is_empty(),
            "drafts are not public"
        );

        for id in [startup, hiring, ended] {
            store.publish_policy_entry(&kfzx, id, "").await.unwrap();
        }
        assert_eq!(
            public_titles(store, None).await,
            ["一次性吸纳就业补贴", "一次性创业补贴"],
            "{:?}: the ended one is not listed, the newest first",
            db.backend
        );
        assert_eq!(
            public_titles(store, Some(Audience::Employer)).await,
            ["一次性吸纳就业补贴"]
        );
        assert_eq!(
            public_titles(store, Some(Audience::Returnee)).await,
            ["一次性创业补贴"]
        );
        assert!(store.public_policy_entry(hiring).await.is_ok());

        store
            .withdraw_policy_entry(&kfzx, hiring, "")
            .await
            .unwrap();
        assert_eq!(
            store.recent_audit(1).await.unwrap()[0].action,
            "policy.withdraw"
        );
        assert!(
            public_titles(store, Some(Audience::Employer))
                .await
                .is_empty()
        );
        assert!(matches!(
            store.public_policy_entry(hiring).await,
            Err(Error::NotFound(_))
        ));
        let twice = store.withdraw_policy_entry(&kfzx, hiring, "").await;
        assert!(matches!(twice, Err(Error::Conflict(_))), "{twice:?}");
        // Staff still see it, withdrawn.
        let all = store.policy_entries_for_staff(&kfzx, "").await.unwrap();
        assert_eq!(all.len(), 3);
        let withdrawn = all.iter().find(|p| p.id == hiring).unwrap();
        assert_eq!(withdrawn.status, PolicyStatus::Withdrawn);
    }
}

#[tokio::test]
async fn a_streets_staff_are_refused_and_the_refusal_is_audited() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let kfzx = account(store, "kfzx01", Role::UnitStaff, Some("kfzx")).await;
        let jinghe = account(store, "jinghe01", Role::UnitStaff, Some("jinghe")).await;
        let task_force = account(store, "zhuanban", Role::TaskForce, None).await;

        let refused = create(store, &jinghe, &draft("一次性创业补贴", &["graduate"])).await;
        assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
        let audit = &store.recent_audit(1).await.unwrap()[0];
        assert_eq!(
            (audit.action.as_str(), audit.actor.as_str()),
            ("access.denied", "jinghe01")
        );
        assert_eq!(audit.ip, "10.0.0.1");
        assert!(
            store
                .policy_entries_for_staff(&kfzx, "")
                .await
                .unwrap()
                .is_empty()
        );

        let id = create(store, &task_force, &draft("一次性创业补贴", &["graduate"]))
            .await
            .unwrap();
        for refused in [
            store.publish_policy_entry(&jinghe, id, "").await,
            store
                .policy_entry_versions(&jinghe, id, "")
                .await
                .map(|_| ()),
            store
                .policy_entries_for_staff(&jinghe, "")
                .await
                .map(|_| ()),
        ] {
            assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
            let audit = &store.recent_audit(1).await.unwrap()[0];
            assert_eq!(audit.action, "access.denied");
        }
        let entry = store.policy_entry_for_staff(&kfzx, id, "").await.unwrap();
        assert_eq!(
            entry.status,
            PolicyStatus::Draft,
            "the refused publish wrote nothing"
        );
    }
}

#[tokio::test]
async fn bad_input_names_every_wrong_field_and_writes_nothing() {
    for db in databases(&TestClock::at(2025, 10, 10, 2)).await {
        let store = &db.store;
        let kfzx = account(store, "kfzx01", Role::UnitStaff, Some("kfzx")).await;
        let audit_before = store.recent_audit(1).await.unwrap()[0].id;
        let mut bad = draft(" ", &[]);
        bad.effective_to = "2024-01-01".into();
        bad.rule_id = "no_such_rule".into();
        bad.handling_unit = "nowhere".into();
        let errors = field_errors(create(store, &kfzx, &bad).await.unwrap_err());
        let fields: Vec<&str> = errors
            .iter()
            .map(|e| e.split('：').next().unwrap())
            .collect();
        assert_eq!(
            fields,
            ["政策名称", "截止日期", "适用对象", "经办单位", "计算规则"],
            "{errors:?}"
        );
        assert!(
            store
                .policy_entries_for_staff(&kfzx, "")
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.recent_audit(1).await.unwrap()[0].id, audit_before);

        let id = create(store, &kfzx, &draft("一次性创业补贴", &["graduate"]))
            .await
            .unwrap();
        let edit = store
            .edit_policy_entry((&plan(), &rules()), &kfzx, id, &bad, "")
            .await;
        assert!(matches!(edit, Err(Error::Fields(_))), "{edit:?}");
        let kept = store.policy_entry_for_staff(&kfzx, id, "").await.unwrap();
        assert_eq!(
            (kept.version, kept.entry.title.as_str()),
            (1, "一次性创业补贴")
        );
        assert_eq!(
            store
                .policy_entry_versions(&kfzx, id, "")
                .await
                .unwrap()
                .len(),
            1
        );
    }
}
