//! Two `linkong serve` processes on one PostgreSQL database, each with a data directory of its
//! own (its own search index) and the same field key, and nginx in front of both — the
//! deployment `docs/operations.md` describes, all on loopback.

use std::time::{Duration, Instant};

use linkong_core::access::Role;
use linkong_core::fraud::FraudRules;
use linkong_core::jobs::PostDraft;
use linkong_core::password::NewPassword;
use linkong_store::Store;
use linkong_store::employers::EmployerDraft;
use linkong_store::users::NewUser;
use linkong_testkit::{EmptyPostgres, skip, uscc_for};

use crate::kit::DataDir;
use crate::nginx::Nginx;
use crate::server::{PASSWORD, Server};

/// The reviewer who publishes posts, the employer who raised one, the street's staff.
pub const REVIEWER: &str = "shenhe";
pub const EMPLOYER: &str = "boss";
pub const STAFF: &str = "w_jinghe";

/// Fields drop in order: nginx and the servers before the database they use.
pub struct Cluster {
    pub nginx: Nginx,
    _nginx_dir: tempfile::TempDir,
    pub a: Server,
    pub b: Server,
    pub a_data: DataDir,
    pub b_data: DataDir,
    _pg: EmptyPostgres,
}

impl Cluster {
    /// The two servers and nginx, or None after a loud skip when PostgreSQL or nginx is missing
    /// (never in CI: `.ci/run` installs nginx and starts PostgreSQL).
    pub async fn start(what: &str) -> Option<Cluster> {
        if !Nginx::installed() {
            skip(what, "nginx is not installed (apt-get install nginx-light)");
            return None;
        }
        let Some(pg) = EmptyPostgres::create().await else {
            skip(what, "LINKONG_TEST_PG is not set");
            return None;
        };
        let a_data = DataDir::init(Some(pg.url.clone()));
        let b_data = a_data.beside();
        accounts(&a_data).await;
        let a = Server::start(&a_data).await;
        let b = Server::start(&b_data).await;
        let nginx_dir = tempfile::TempDir::new().unwrap();
        let nginx = Nginx::start(nginx_dir.path(), &[&a.addr(), &b.addr()])
            .await
            .unwrap();
        Some(Cluster {
            nginx,
            _nginx_dir: nginx_dir,
            a,
            b,
            a_data,
            b_data,
            _pg: pg,
        })
    }

    /// The store of the shared database, as a third party (set-up and counts only).
    pub async fn store(&self) -> Store {
        open_store(&self.a_data).await
    }

    /// A post titled `title`, valid from today, raised by the employer and waiting for review.
    pub async fn submitted_post(&self, title: &str) -> i64 {
        let store = self.store().await;
        let plan = store.plan().await.unwrap();
        let boss = store.user_by_name(EMPLOYER).await.unwrap().unwrap().actor();
        let today = linkong_core::time::local_date(chrono::Utc::now());
        let draft = draft(title, today);
        let rules = FraudRules::shipped();
        let post = store
            .save_job_post(&boss, &plan, &rules, None, None, &draft, true, "")
            .await
            .unwrap();
        store.close().await;
        post.id
    }
}

/// The database of `data` with its field key, as the servers open it.
async fn open_store(data: &DataDir) -> Store {
    let cipher =
        linkong_store::crypto::FieldCipher::load_or_create(&data.path().join("keys")).unwrap();
    Store::open(
        &data.database_url(),
        &data.path().join("files"),
        linkong_store::system_clock(),
    )
    .await
    .unwrap()
    .with_field_cipher(std::sync::Arc::new(cipher))
}

/// The reviewer, the street's staff and a verified employer, made as an admin would.
async fn accounts(data: &DataDir) {
    let store = open_store(data).await;
    let plan = store.plan().await.unwrap();
    for (username, role, unit) in [
        (REVIEWER, Role::Reviewer, None),
        (STAFF, Role::UnitStaff, Some("jinghe")),
    ] {
        let new = NewUser {
            username: username.into(),
            display_name: format!("{username}测试"),
            role,
            unit_code: unit.map(str::to_owned),
            password: NewPassword::parse(PASSWORD, username).unwrap(),
            must_change_password: false,
        };
        store.create_user(None, new, "").await.unwrap();
    }
    let employer = EmployerDraft {
        uscc: uscc_for(77),
        name: "武汉临空港集群测试科技有限公司".into(),
        industry_section: "I".into(),
        street_code: "jinghe".into(),
        contact_name: "王敏".into(),
        contact_phone: "13812345678".into(),
        account_username: EMPLOYER.into(),
        account_password: PASSWORD.into(),
    };
    let registered = store.register_employer(&plan, &employer, "").await.unwrap();
    let reviewer = store.user_by_name(REVIEWER).await.unwrap().unwrap().actor();
    store
        .review_employer(&reviewer, registered.id, true, "", "")
        .await
        .unwrap();
    store.close().await;
}

fn draft(title: &str, today: chrono::NaiveDate) -> PostDraft {
    PostDraft {
        title: title.into(),
        description: "负责航空货运站的调度联络，熟悉办公软件，应届毕业生可投递。".into(),
        occupation_group: "2".into(),
        occupation: "软件工程技术人员".into(),
        industry_section: "I".into(),
        leading_industry: "cyber_security_big_data".into(),
        industry_code: "6513".into(),
        occupation_code: String::new(),
        level: String::new(),
        positions: "3".into(),
        education: "bachelor".into(),
        experience: "fresh".into(),
        salary_min: "6000".into(),
        salary_max: "9000".into(),
        street_code: "jinghe".into(),
        contact_name: "李女士".into(),
        contact_phone: "13900001111".into(),
        valid_from: today.to_string(),
        valid_until: (today + chrono::Duration::days(30)).to_string(),
        raised_by: "jinghe".into(),
    }
}

/// How many open posts the server at `base` finds for `q` (the public search API).
pub async fn found(base: &str, q: &str) -> u64 {
    let answer = reqwest::get(format!("{base}/api/v1/jobs?q={q}"))
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let body: serde_json::Value = answer.json().await.unwrap();
    body["total"].as_u64().unwrap()
}

/// Polls `check` every 10 ms until it holds: how long that took, or None after `limit`.
pub async fn within<F, Fut>(limit: Duration, mut check: F) -> Option<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    loop {
        if check().await {
            return Some(started.elapsed());
        }
        if started.elapsed() > limit {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
