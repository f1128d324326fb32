//! The policy list (政策清单, issue 14 item 1): each entry's current version with its status, and
//! every version ever saved (`policy_entry_versions`, numbered from 1, with who saved it, when
//! and which fields changed). Creating, editing (a new version), publishing and withdrawing are
//! one transaction each with their audit row. Keeping the list is 区科服中心's, the task force's
//! and admins' (core's `Actor::may_keep_policy_list`); a refusal is audited. The public reads
//! published entries that have not ended.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::plan::Plan;
use linkong_core::policy_list::{
    Audience, PolicyEntry, PolicyEntryDraft, PolicyStatus, changed_fields, parse_entry,
};
use linkong_core::rules::RuleBook;
use linkong_core::time::local_date;
use serde::Serialize;

use crate::audit::{AuditAppend, AuditEvent};
use crate::{BeginWrite, Error, Result, Store, on_db};

mod write;
use write::PolicyWrite;

/// See [`Store::policy_list_mark`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyListMark {
    entries: i64,
    published: i64,
    versions: i64,
    last_change: Option<DateTime<Utc>>,
    today: NaiveDate,
}

/// An entry of the list as pages and the API show it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredPolicy {
    pub id: i64,
    /// The current version's number (1 for a new entry).
    pub version: i64,
    pub status: PolicyStatus,
    pub entry: PolicyEntry,
    pub updated_at: DateTime<Utc>,
    /// When it was last published; `null` if never.
    pub published_at: Option<DateTime<Utc>>,
}

/// One saved version of an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyVersion {
    pub version: i64,
    pub entry: PolicyEntry,
    /// The labels of the fields this version changed; "新建" for the first.
    pub changed: String,
    pub saved_by: String,
    pub saved_at: DateTime<Utc>,
}

/// What the public list shows: published entries not ended by `today`, for one audience or all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicFilter {
    pub audience: Option<Audience>,
    pub today: NaiveDate,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    version: i64,
    status: String,
    title: String,
    document_number: String,
    issuer: String,
    effective_from: NaiveDate,
    effective_to: Option<NaiveDate>,
    audiences: String,
    benefit: String,
    conditions: String,
    documents: String,
    handling_unit: String,
    rule_id: Option<String>,
    updated_at: DateTime<Utc>,
    published_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    version: i64,
    title: String,
    document_number: String,
    issuer: String,
    effective_from: NaiveDate,
    effective_to: Option<NaiveDate>,
    audiences: String,
    benefit: String,
    conditions: String,
    documents: String,
    handling_unit: String,
    rule_id: Option<String>,
    changed: String,
    saved_by: String,
    saved_at: DateTime<Utc>,
}

const ENTRY_SELECT: &str = "SELECT id, version, status, title, document_number, issuer, \
     effective_from, effective_to, audiences, benefit, conditions, documents, handling_unit, \
     rule_id, updated_at, published_at FROM policy_entries";

/// The content columns of a row, read back into core's entry.
fn entry_of(
    id: i64,
    (title, document_number, issuer): (String, String, String),
    (effective_from, effective_to): (NaiveDate, Option<NaiveDate>),
    audiences: &str,
    (benefit, conditions, documents): (String, String, String),
    handling_unit: String,
    rule_id: Option<String>,
) -> Result<PolicyEntry> {
    let audiences = audiences
        .split_whitespace()
        .map(Audience::parse)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| Error::Config(format!("政策 {id} 的适用对象无法识别：{e}")))?;
    Ok(PolicyEntry {
        title,
        document_number,
        issuer,
        effective_from,
        effective_to,
        audiences,
        benefit,
        conditions,
        documents: documents.lines().map(str::to_owned).collect(),
        handling_unit,
        rule_id,
    })
}

impl EntryRow {
    fn into_stored(self) -> Result<StoredPolicy> {
        let status = PolicyStatus::parse(&self.status)
            .map_err(|e| Error::Config(format!("政策 {} 的状态无法识别：{e}", self.id)))?;
        let entry = entry_of(
            self.id,
            (self.title, self.document_number, self.issuer),
            (self.effective_from, self.effective_to),
            &self.audiences,
            (self.benefit, self.conditions, self.documents),
            self.handling_unit,
            self.rule_id,
        )?;
        Ok(StoredPolicy {
            id: self.id,
            version: self.version,
            status,
            entry,
            updated_at: self.updated_at,
            published_at: self.published_at,
        })
    }
}

impl VersionRow {
    fn into_version(self, id: i64) -> Result<PolicyVersion> {
        let entry = entry_of(
            id,
            (self.title, self.document_number, self.issuer),
            (self.effective_from, self.effective_to),
            &self.audiences,
            (self.benefit, self.conditions, self.documents),
            self.handling_unit,
            self.rule_id,
        )?;
        Ok(PolicyVersion {
            version: self.version,
            entry,
            changed: self.changed,
            saved_by: self.saved_by,
            saved_at: self.saved_at,
        })
    }
}

impl Store {
    /// Lets a keeper of the list through; refuses (and audits) anyone else.
    async fn keep_policy_list(&self, actor: &Actor, target: String, ip: &str) -> Result<()> {
        if actor.may_keep_policy_list() {
            return Ok(());
        }
        Err(self
            .deny(
                actor,
                target,
                "只有区科服中心、工作专班和系统管理员可以维护政策清单",
                ip,
            )
            .await)
    }

    /// The entries of `status` ('' any) and `id` (0 any), latest in force first.
    async fn policy_rows(&self, status: &str, id: i64) -> Result<Vec<StoredPolicy>> {
        let rows: Vec<EntryRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(
            format!("{ENTRY_SELECT} WHERE ($1 = '' OR status = $1) AND ($2 = 0 OR id = $2) \
                     ORDER BY effective_from DESC, id DESC")
        ))
        .bind(status)
        .bind(id)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(EntryRow::into_stored).collect()
    }

    async fn policy_by_id(&self, id: i64) -> Result<StoredPolicy> {
        self.policy_rows("", id)
            .await?
            .pop()
            .ok_or_else(|| Error::not_found(format!("政策 {id}")))
    }

    /// Every entry, drafts and withdrawn ones too, for the list's keepers.
    pub async fn policy_entries_for_staff(
        &self,
        actor: &Actor,
        ip: &str,
    ) -> Result<Vec<StoredPolicy>> {
        self.keep_policy_list(actor, "policy_list".into(), ip)
            .await?;
        self.policy_rows("", 0).await
    }

    /// One entry with all its fields for its keepers, whatever its status.
    pub async fn policy_entry_for_staff(
        &self,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<StoredPolicy> {
        self.keep_policy_list(actor, format!("policy_entry:{id}"), ip)
            .await?;
        self.policy_by_id(id).await
    }

    /// The published entries not ended by `filter.today`, for the audience asked (all when
    /// none), newest first. Anyone reads them.
    pub async fn public_policy_entries(&self, filter: PublicFilter) -> Result<Vec<StoredPolicy>> {
        let published = self.policy_rows(PolicyStatus::Published.code(), 0).await?;
        Ok(published
            .into_iter()
            .filter(|p| p.entry.current_or_coming(filter.today))
            .filter(|p| {
                filter
                    .audience
                    .is_none_or(|a| p.entry.audiences.contains(&a))
            })
            .collect())
    }

    /// One published entry for the public; a draft or withdrawn one is not found.
    pub async fn public_policy_entry(&self, id: i64) -> Result<StoredPolicy> {
        let policy = self.policy_by_id(id).await?;
        if policy.status != PolicyStatus::Published {
            return Err(Error::not_found(format!("政策 {id}")));
        }
        Ok(policy)
    }

    /// Every saved version of an entry, newest first, for the list's keepers.
    pub async fn policy_entry_versions(
        &self,
        actor: &Actor,
        id: i64,
        ip: &str,
    ) -> Result<Vec<PolicyVersion>> {
        self.keep_policy_list(actor, format!("policy_entry:{id}"), ip)
            .await?;
        let rows: Vec<VersionRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT v.version, v.title, v.document_number, v.issuer, v.effective_from, v.effective_to, \
             v.audiences, v.benefit, v.conditions, v.documents, v.handling_unit, v.rule_id, v.changed, \
             u.username AS saved_by, v.saved_at FROM policy_entry_versions v JOIN users u ON u.id = v.saved_by \
             WHERE v.entry_id = $1 ORDER BY v.version DESC",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(|r| r.into_version(id)).collect()
    }

    /// Creates a draft entry (version 1). Every wrong field is named; nothing is written then.
    pub async fn create_policy_entry(
        &self,
        (plan, rules): (&Plan, &RuleBook),
        actor: &Actor,
        draft: &PolicyEntryDraft,
        ip: &str,
    ) -> Result<i64> {
        self.keep_policy_list(actor, "policy_list:new".into(), ip)
            .await?;
        let entry = parse_entry(plan, rules, draft).map_err(Error::Fields)?;
        let now = self.now();
        let event = |id: i64| {
            AuditEvent::new("policy.create", format!("policy_entry:{id}"))
                .by(Some(actor.user_id), &actor.username)
                .detail(format!("新建政策《{}》（草稿，第 1 版）", entry.title))
                .from_ip(ip)
        };
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.insert_entry(&entry, actor.user_id, now).await?;
            tx.insert_version(id, 1, &entry, "新建", actor.user_id, now).await?;
            tx.append_audit(now, &event(id)).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Saves a new version of an entry (its status unchanged); returns the version's number.
    /// A save that changes nothing is refused, and one racing another edit of the same version.
    pub async fn edit_policy_entry(
        &self,
        (plan, rules): (&Plan, &RuleBook),
        actor: &Actor,
        id: i64,
        draft: &PolicyEntryDraft,
        ip: &str,
    ) -> Result<i64> {
        let before = self.policy_entry_for_staff(actor, id, ip).await?;
        let entry = parse_entry(plan, rules, draft).map_err(Error::Fields)?;
        let changed = changed_fields(&before.entry, &entry);
        if changed.is_empty() {
            return Err(Error::Conflict("没有修改任何内容，未保存新版本".into()));
        }
        let (version, changed) = (before.version + 1, changed.join("、"));
        let now = self.now();
        let event = AuditEvent::new("policy.edit", format!("policy_entry:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("《{}》第 {version} 版：修改{changed}", entry.title))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if !tx.update_entry(id, before.version, &entry, now).await? {
                return Err(Error::Conflict("该政策已被他人修改，请刷新后重试".into()));
            }
            tx.insert_version(id, version, &entry, &changed, actor.user_id, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(version)
    }

    /// Publishes a draft or withdrawn entry: the public sees it from now on.
    pub async fn publish_policy_entry(&self, actor: &Actor, id: i64, ip: &str) -> Result<()> {
        let policy = self.policy_entry_for_staff(actor, id, ip).await?;
        let after = policy.status.publish().map_err(Error::Conflict)?;
        self.move_policy_entry(actor, &policy, after, ip).await
    }

    /// Withdraws a published entry: gone from the public list and page.
    pub async fn withdraw_policy_entry(&self, actor: &Actor, id: i64, ip: &str) -> Result<()> {
        let policy = self.policy_entry_for_staff(actor, id, ip).await?;
        let after = policy.status.withdraw().map_err(Error::Conflict)?;
        self.move_policy_entry(actor, &policy, after, ip).await
    }

    async fn move_policy_entry(
        &self,
        actor: &Actor,
        policy: &StoredPolicy,
        after: PolicyStatus,
        ip: &str,
    ) -> Result<()> {
        let now = self.now();
        let action = match after {
            PolicyStatus::Published => "policy.publish",
            PolicyStatus::Draft | PolicyStatus::Withdrawn => "policy.withdraw",
        };
        let event = AuditEvent::new(action, format!("policy_entry:{}", policy.id))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!(
                "《{}》第 {} 版：{} → {}",
                policy.entry.title,
                policy.version,
                policy.status.label(),
                after.label()
            ))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if !tx.set_status(policy.id, policy.status, after, now).await? {
                return Err(Error::Conflict("该政策的状态已被他人更改，请刷新后重试".into()));
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Where the policy list stands: it changes whenever what the public search shows may
    /// change — an entry added, edited (a new version), published or withdrawn, or a new day
    /// (an entry ends at midnight). Each server's search index compares it before a search, so
    /// a change made through any server shows on every server at once.
    pub async fn policy_list_mark(&self) -> Result<PolicyListMark> {
        let (entries, published, versions, last_change): (i64, i64, i64, Option<DateTime<Utc>>) = on_db!(self, pool => sqlx::query_as(
                "SELECT COUNT(*), \
                 CAST(COALESCE(SUM(CASE WHEN status = 'published' THEN 1 ELSE 0 END), 0) AS BIGINT), \
                 CAST(COALESCE(SUM(version), 0) AS BIGINT), MAX(updated_at) \
                 FROM policy_entries"
            )
            .fetch_one(pool)
            .await?);
        Ok(PolicyListMark {
            entries,
            published,
            versions,
            last_change,
            today: local_date(self.now()),
        })
    }

    /// Published entries not ended today, for the search index.
    pub async fn searchable_policy_entries(&self) -> Result<Vec<StoredPolicy>> {
        let today = local_date(self.now());
        self.public_policy_entries(PublicFilter {
            audience: None,
            today,
        })
        .await
    }
}
