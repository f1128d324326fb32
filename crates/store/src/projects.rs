//! The project library (创业项目库, task 2.1.2): projects entered by the unit that collected
//! them, screened in or dropped and published by the lead unit, adopted by returnee
//! businesses. A project screened in counts toward 2.1.2 for its source unit on the screening
//! day: the screening writes the project, its tally and the audit row in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use linkong_core::access::Actor;
use linkong_core::businesses::BusinessStatus;
use linkong_core::field::FieldError;
use linkong_core::plan::Plan;
use linkong_core::projects::{
    ProjectDraft, ProjectStatus, ProjectStep, ValidProject, drop_reason, validate_project,
};
use linkong_core::time::local_date;
use serde::Serialize;
use sqlx::{PgConnection, SqliteConnection};

use crate::audit::{AuditAppend, AuditEvent};
use crate::figures::{DayKey, FigureWrite, Kind};
use crate::{BeginWrite, Error, Result, Store, on_db};

/// A project of the library as pages and the API show it (no personal data).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Project {
    pub id: i64,
    pub name: String,
    /// GB/T 4754 section letter.
    pub section: String,
    /// 投资规模下限（万元）.
    #[cfg_attr(feature = "openapi", schema(value_type = linkong_core::quantity::Quantity))]
    #[serde(serialize_with = "linkong_core::quantity::serialize_hundredths")]
    pub investment_min: i64,
    /// 投资规模上限（万元）.
    #[cfg_attr(feature = "openapi", schema(value_type = linkong_core::quantity::Quantity))]
    #[serde(serialize_with = "linkong_core::quantity::serialize_hundredths")]
    pub investment_max: i64,
    pub expected_jobs: i64,
    pub outlook: String,
    pub site_needs: String,
    pub policies: String,
    pub source_unit: String,
    /// 涉农项目.
    pub agricultural: bool,
    pub status: ProjectStatus,
    pub screened_on: Option<NaiveDate>,
    pub drop_reason: String,
    pub published_at: Option<DateTime<Utc>>,
    /// How many returnee businesses adopted it.
    pub adoptions: i64,
}

/// A project with the businesses that adopted it: (business id, name, street).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectDetail {
    pub project: Project,
    pub adopters: Vec<(i64, String, String)>,
}

/// Filters of a project list.
#[derive(Debug, Clone, Default)]
pub struct ProjectFilter {
    pub status: Option<ProjectStatus>,
    pub source_unit: Option<String>,
    pub section: Option<char>,
    pub agricultural: Option<bool>,
}

#[derive(sqlx::FromRow)]
struct ProjectRow {
    id: i64,
    name: String,
    section: String,
    investment_min: i64,
    investment_max: i64,
    expected_jobs: i64,
    outlook: String,
    site_needs: String,
    policies: String,
    source_unit: String,
    agricultural: bool,
    status: String,
    screened_on: Option<NaiveDate>,
    drop_reason: String,
    published_at: Option<DateTime<Utc>>,
    adoptions: i64,
}

impl ProjectRow {
    fn view(self) -> Result<Project> {
        let id = self.id;
        Ok(Project {
            status: ProjectStatus::parse(&self.status)
                .map_err(|_| Error::Config(format!("创业项目 {id} 的状态无法识别")))?,
            id,
            name: self.name,
            section: self.section,
            investment_min: self.investment_min,
            investment_max: self.investment_max,
            expected_jobs: self.expected_jobs,
            outlook: self.outlook,
            site_needs: self.site_needs,
            policies: self.policies,
            source_unit: self.source_unit,
            agricultural: self.agricultural,
            screened_on: self.screened_on,
            drop_reason: self.drop_reason,
            published_at: self.published_at,
            adoptions: self.adoptions,
        })
    }
}

const PROJECT_SELECT: &str = "SELECT p.id, p.name, p.section, p.investment_min, p.investment_max, p.expected_jobs, \
     p.outlook, p.site_needs, p.policies, p.source_unit, p.agricultural, p.status, p.screened_on, p.drop_reason, \
     p.published_at, (SELECT COUNT(*) FROM project_adoptions a WHERE a.project_id = p.id) AS adoptions \
     FROM projects p";

/// `$1` status ('' any), `$2` source unit, `$3` section letter, `$4` 涉农 (-1 any, 0, 1),
/// `$5` 1 for published projects only.
const PROJECT_WHERE: &str = " WHERE ($1 = '' OR p.status = $1) AND ($2 = '' OR p.source_unit = $2) \
     AND ($3 = '' OR p.section = $3) AND ($4 < 0 OR p.agricultural = ($4 = 1)) \
     AND ($5 = 0 OR p.status IN ('published', 'adopted'))";

/// The library's statuses that count toward 2.1.2, as SQL.
const IN_LIBRARY: &str = "('screened_in', 'published', 'adopted')";

impl Store {
    async fn project_list(&self, filter: &ProjectFilter, public: bool) -> Result<Vec<Project>> {
        let rows: Vec<ProjectRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{PROJECT_SELECT}{PROJECT_WHERE} ORDER BY p.id DESC LIMIT 2000"
        )))
        .bind(filter.status.map_or("", |s| s.code()))
        .bind(filter.source_unit.as_deref().unwrap_or_default())
        .bind(filter.section.map(String::from).unwrap_or_default())
        .bind(filter.agricultural.map_or(-1_i64, i64::from))
        .bind(i64::from(public))
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(ProjectRow::view).collect()
    }

    async fn stored_project(&self, id: i64) -> Result<Project> {
        let row: Option<ProjectRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{PROJECT_SELECT} WHERE p.id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?);
        row.ok_or_else(|| Error::not_found("该创业项目不存在"))?
            .view()
    }

    /// The businesses that adopted a project: (id, name, street), in adoption order.
    async fn adopters(&self, project_id: i64) -> Result<Vec<(i64, String, String)>> {
        Ok(on_db!(self, pool => sqlx::query_as(
            "SELECT b.id, b.name, b.street_code FROM project_adoptions a \
             JOIN businesses b ON b.id = a.business_id WHERE a.project_id = $1 ORDER BY a.adopted_on, b.id"
        )
        .bind(project_id)
        .fetch_all(pool)
        .await?))
    }

    /// Refuses (and audits) an actor who does not work in the staff console.
    async fn check_reads_projects(&self, actor: &Actor, ip: &str) -> Result<()> {
        if actor.may_read_projects() {
            return Ok(());
        }
        Err(self
            .deny(actor, "projects".into(), "无权查看创业项目库", ip)
            .await)
    }

    /// The library in the console: every project matching `filter`, newest first.
    pub async fn projects(
        &self,
        actor: &Actor,
        filter: &ProjectFilter,
        ip: &str,
    ) -> Result<Vec<Project>> {
        self.check_reads_projects(actor, ip).await?;
        self.project_list(filter, false).await
    }

    /// One project with its adopters, in the console.
    pub async fn project(&self, actor: &Actor, id: i64, ip: &str) -> Result<ProjectDetail> {
        self.check_reads_projects(actor, ip).await?;
        let project = self.stored_project(id).await?;
        Ok(ProjectDetail {
            adopters: self.adopters(id).await?,
            project,
        })
    }

    /// The published projects matching `filter` (public: the portal and the API).
    pub async fn published_projects(&self, filter: &ProjectFilter) -> Result<Vec<Project>> {
        self.project_list(filter, true).await
    }

    /// One published project (public); any other is not found.
    pub async fn published_project(&self, id: i64) -> Result<Project> {
        match self.stored_project(id).await {
            Ok(project) if project.status.is_public() => Ok(project),
            Ok(_) | Err(Error::NotFound(_)) => Err(Error::not_found("该创业项目不存在或未发布")),
            Err(e) => Err(e),
        }
    }

    /// The projects of `unit` screened into the library in `year`: the rows behind its 2.1.2
    /// figure. Only readers of the unit's records see them.
    pub async fn screened_projects(
        &self,
        actor: &Actor,
        unit: &str,
        year: i32,
        ip: &str,
    ) -> Result<Vec<Project>> {
        if !actor.may_read_records_of(unit) {
            return Err(self
                .deny(
                    actor,
                    format!("projects:{unit}"),
                    "只能查看本单位的明细",
                    ip,
                )
                .await);
        }
        let rows: Vec<ProjectRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{PROJECT_SELECT} WHERE p.source_unit = $1 AND p.status IN {IN_LIBRARY} \
             AND p.screened_on >= $2 AND p.screened_on <= $3 ORDER BY p.screened_on, p.id"
        )))
        .bind(unit)
        .bind(NaiveDate::from_ymd_opt(year, 1, 1))
        .bind(NaiveDate::from_ymd_opt(year, 12, 31))
        .fetch_all(pool)
        .await?);
        rows.into_iter().map(ProjectRow::view).collect()
    }

    /// Projects screened into the library within [from, to]: (id, source unit, day), the
    /// reference the tallies are held to.
    pub(crate) async fn screened_in_from_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String, NaiveDate)>> {
        Ok(
            on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, source_unit, screened_on FROM projects WHERE status IN {IN_LIBRARY} \
             AND screened_on >= $1 AND screened_on <= $2"
        )))
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?),
        )
    }

    /// Enters a project collected by the actor's unit (`id` None) or changes one not yet
    /// screened; one transaction with its audit row.
    pub async fn save_project(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: Option<i64>,
        draft: &ProjectDraft,
        ip: &str,
    ) -> Result<i64> {
        let refuse = |target: String| async move {
            self.deny(actor, target, "只能录入和修改本单位收集的创业项目", ip)
                .await
        };
        if let Some(id) = id {
            let stored = self.stored_project(id).await?;
            if !actor.may_collect_projects_for(plan, &stored.source_unit) {
                return Err(refuse(format!("project:{id}")).await);
            }
            if !stored.status.is_editable() {
                return Err(Error::Conflict(format!(
                    "项目已{}，不能再修改",
                    stored.status.label()
                )));
            }
        }
        let source = draft.source_unit.trim();
        if !actor.may_collect_projects_for(plan, source) {
            return Err(refuse(format!("projects:{source}")).await);
        }
        let valid = validate_project(plan, draft).map_err(Error::Fields)?;
        let now = self.now();
        let event = AuditEvent::new(
            if id.is_some() {
                "project.update"
            } else {
                "project.create"
            },
            format!("projects:{source}"),
        )
        .by(Some(actor.user_id), &actor.username)
        .detail(valid.name.clone())
        .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        Ok(on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = tx.write_project(id, &valid, actor.user_id, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
            id
        }))
    }

    /// Screens a collected project in (it counts toward 2.1.2 from today) or drops it with a
    /// reason, or publishes a screened-in one: the lead unit of 2.1.2 only.
    pub async fn move_project(
        &self,
        plan: &Plan,
        actor: &Actor,
        id: i64,
        step: &ProjectStep,
        ip: &str,
    ) -> Result<()> {
        if !actor.may_screen_projects(plan) {
            return Err(self
                .deny(
                    actor,
                    format!("project:{id}"),
                    "只有牵头单位（区人社局）可以筛选和发布创业项目",
                    ip,
                )
                .await);
        }
        let step = match step {
            ProjectStep::Drop { reason } => ProjectStep::Drop {
                reason: drop_reason(reason).map_err(|e| Error::Fields(vec![e]))?,
            },
            ProjectStep::Adopt => {
                return Err(Error::Conflict("项目的采用在返区创业主体页面登记".into()));
            }
            other => other.clone(),
        };
        let project = self.stored_project(id).await?;
        let next = project.status.after(&step).map_err(Error::Conflict)?;
        let now = self.now();
        let today = local_date(now);
        let event = AuditEvent::new("project.move", format!("project:{id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{}：{}", step.label(), project.name))
            .from_ip(ip);
        let keys = [DayKey::new(Kind::Project, "", &project.source_unit, today)];
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.move_project(id, next, &step, now).await?;
            if next == ProjectStatus::ScreenedIn {
                tx.refresh_figures(&keys).await?;
            }
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records that a returnee business adopted a published project; by whoever may change the
    /// business.
    pub async fn adopt_project(
        &self,
        plan: &Plan,
        actor: &Actor,
        business_id: i64,
        project_id: &str,
        ip: &str,
    ) -> Result<()> {
        let business = self.writable_business(plan, actor, business_id, ip).await?;
        let field = |message: String| {
            Error::Fields(vec![FieldError {
                field: "采用项目",
                message,
            }])
        };
        let project_id: i64 = project_id
            .trim()
            .parse()
            .map_err(|_| field("请选择项目库中已发布的项目".into()))?;
        let project = match self.stored_project(project_id).await {
            Ok(project) => project,
            Err(Error::NotFound(m)) => return Err(field(m)),
            Err(e) => return Err(e),
        };
        let next = project.status.after(&ProjectStep::Adopt).map_err(field)?;
        if business.status == BusinessStatus::Closed {
            return Err(field("已关闭的主体不能登记采用项目".into()));
        }
        if self
            .adopted_projects(business_id)
            .await?
            .iter()
            .any(|(id, _)| *id == project_id)
        {
            return Err(field(format!("已登记采用“{}”", project.name)));
        }
        let now = self.now();
        let event = AuditEvent::new("project.adopt", format!("project:{project_id}"))
            .by(Some(actor.user_id), &actor.username)
            .detail(format!("{} 采用 {}", business.name, project.name))
            .from_ip(ip);
        let _guard = self.write_lock.lock().await;
        on_db!(self, pool => {
            let mut tx = pool.begin_write().await?;
            tx.adopt(project_id, business_id, next, actor.user_id, now).await?;
            tx.append_audit(now, &event).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

/// The writes of the project library, inside the caller's transaction so that the project, its
/// tally and the audit row commit together.
trait ProjectWrite {
    async fn write_project(
        &mut self,
        id: Option<i64>,
        valid: &ValidProject,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<i64>;
    async fn move_project(
        &mut self,
        id: i64,
        next: ProjectStatus,
        step: &ProjectStep,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn adopt(
        &mut self,
        project_id: i64,
        business_id: i64,
        next: ProjectStatus,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

macro_rules! impl_project_write {
    ($conn:ty) => {
        impl ProjectWrite for $conn {
            async fn write_project(
                &mut self,
                id: Option<i64>,
                v: &ValidProject,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<i64> {
                // $11 is the author on insert, the project's id on update.
                let (sql, last) = match id {
                    None => ("INSERT INTO projects (name, section, investment_min, investment_max, expected_jobs, \
                         outlook, site_needs, policies, source_unit, agricultural, status, screened_on, drop_reason, \
                         published_at, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
                         $9, $10, 'collected', NULL, '', NULL, $11, $12, $12) RETURNING id", user_id),
                    Some(id) => ("UPDATE projects SET name = $1, section = $2, investment_min = $3, investment_max = $4, \
                         expected_jobs = $5, outlook = $6, site_needs = $7, policies = $8, source_unit = $9, \
                         agricultural = $10, updated_at = $12 WHERE id = $11 RETURNING id", id),
                };
                Ok(sqlx::query_scalar(sql)
                    .bind(&v.name)
                    .bind(v.section.letter().to_string())
                    .bind(v.investment_min.hundredths())
                    .bind(v.investment_max.hundredths())
                    .bind(v.expected_jobs)
                    .bind(&v.outlook)
                    .bind(&v.site_needs)
                    .bind(&v.policies)
                    .bind(&v.source_unit)
                    .bind(v.agricultural)
                    .bind(last)
                    .bind(now)
                    .fetch_one(&mut *self)
                    .await?)
            }

            async fn move_project(
                &mut self,
                id: i64,
                next: ProjectStatus,
                step: &ProjectStep,
                now: DateTime<Utc>,
            ) -> Result<()> {
                let today = local_date(now);
                let query = match step {
                    ProjectStep::Publish => sqlx::query(
                        "UPDATE projects SET status = $1, published_at = $2, updated_at = $2 WHERE id = $3",
                    )
                    .bind(next.code())
                    .bind(now)
                    .bind(id),
                    _ => sqlx::query(
                        "UPDATE projects SET status = $1, screened_on = $2, drop_reason = $3, updated_at = $4 \
                         WHERE id = $5",
                    )
                    .bind(next.code())
                    .bind(today)
                    .bind(match step {
                        ProjectStep::Drop { reason } => reason.as_str(),
                        _ => "",
                    })
                    .bind(now)
                    .bind(id),
                };
                query.execute(&mut *self).await?;
                Ok(())
            }

            async fn adopt(
                &mut self,
                project_id: i64,
                business_id: i64,
                next: ProjectStatus,
                user_id: i64,
                now: DateTime<Utc>,
            ) -> Result<()> {
                sqlx::query(
                    "INSERT INTO project_adoptions (project_id, business_id, adopted_on, recorded_by, recorded_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(project_id)
                .bind(business_id)
                .bind(local_date(now))
                .bind(user_id)
                .bind(now)
                .execute(&mut *self)
                .await?;
                sqlx::query("UPDATE projects SET status = $1, updated_at = $2 WHERE id = $3")
                    .bind(next.code())
                    .bind(now)
                    .bind(project_id)
                    .execute(&mut *self)
                    .await?;
                Ok(())
            }
        }
    };
}

impl_project_write!(SqliteConnection);
impl_project_write!(PgConnection);
