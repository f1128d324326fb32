//! Demo traineeships and skills training of unplaced graduates (1.1.4): 区人社局 recognises a
//! few traineeship bases in the first plan year; about three in ten demo graduates of each
//! roster so far are placed at a base (some hired by it when it ended) or enrolled in a
//! course, by their street or by 区人社局, so that 1.1.4.trainees has a figure and the
//! graduates' 1131 logs show the training item.

use chrono::{Datelike, Duration, Months, NaiveDate};
use linkong_core::plan::Plan;
use linkong_core::time::local_date;
use linkong_core::traineeships::{BaseDraft, CourseDraft, TraineeshipDraft};
use linkong_store::Store;
use linkong_store::graduates::GraduateEntry;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo_people::graduates_of_year;
use crate::demo_returnees::{on, staff_of};

/// (base, employer, street, places a year, posts).
const BASES: [(&str, &str, &str, &str, &str); 4] = [
    (
        "临空港智能制造就业见习基地",
        "武汉临空港智造科技有限公司",
        "jinghe",
        "12",
        "质量检验员、设备维护、行政助理",
    ),
    (
        "东西湖食品产业就业见习基地",
        "武汉东西湖食品有限公司",
        "zoumaling",
        "8",
        "食品检验、仓储管理",
    ),
    (
        "网安基地就业见习基地",
        "武汉网安创新科技有限公司",
        "changqing",
        "10",
        "网络安全运维、软件测试",
    ),
    (
        "临空港物流就业见习基地",
        "武汉临空港物流有限公司",
        "jinyinhu",
        "6",
        "物流调度、报关助理",
    ),
];

/// (course, provider, certificate).
const COURSES: [(&str, &str, &str); 3] = [
    (
        "电子商务师",
        "东西湖区职业技能培训中心",
        "电子商务师（四级）",
    ),
    ("育婴员", "武汉临空港职业培训学校", "育婴员（五级）"),
    ("Python 程序设计", "东西湖区职业技能培训中心", ""),
];

/// Fills bases, traineeships and courses for the demo graduates of every plan year so far.
pub async fn fill(store: &Store, plan: &Plan, seed: u64) -> anyhow::Result<()> {
    let today = local_date(store.now());
    let mut rng = StdRng::seed_from_u64(seed ^ 0x1140);
    let rsj = staff_of(store, plan, "rsj").await?;
    let recognised = NaiveDate::from_ymd_opt(plan.info.first_year, 3, 1).unwrap_or(today);
    if recognised >= today {
        return Ok(());
    }
    let mut bases = Vec::new();
    for (name, employer, street, places, posts) in BASES {
        let draft = BaseDraft {
            name: name.into(),
            employer: employer.into(),
            uscc: String::new(),
            street: street.into(),
            places: places.into(),
            posts: posts.into(),
            contact_name: "人事部".into(),
            contact_phone: format!("1387{:07}", rng.random_range(0..10_000_000)),
            recognised_on: recognised.to_string(),
        };
        let id = on(store, recognised)
            .record_traineeship_base(plan, &rsj, &draft, "demo")
            .await?;
        bases.push(id);
    }
    let task_force = linkong_core::access::Actor {
        role: linkong_core::access::Role::TaskForce,
        unit_code: None,
        ..rsj.clone()
    };
    for year in plan.years().filter(|y| *y <= today.year()) {
        for graduate in graduates_of_year(store, plan, &task_force, year).await? {
            match rng.random_range(0..20) {
                0..=3 => place(store, plan, &mut rng, &graduate, &bases, today).await?,
                4..=5 => enroll(store, plan, &mut rng, &graduate, today).await?,
                _ => {}
            }
        }
    }
    Ok(())
}

/// The unit that records for `graduate`: mostly their street, sometimes 区人社局.
async fn recorder(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    graduate: &GraduateEntry,
) -> anyhow::Result<linkong_core::access::Actor> {
    let unit = if rng.random_bool(0.8) {
        graduate.street_code.as_str()
    } else {
        "rsj"
    };
    staff_of(store, plan, unit).await
}

/// A day some weeks after the graduate left school, if it is past.
fn start_after(rng: &mut StdRng, graduate: &GraduateEntry, today: NaiveDate) -> Option<NaiveDate> {
    let day = graduate.graduated_on + Duration::days(rng.random_range(20..120));
    (day < today).then_some(day)
}

/// Places the graduate at a base; one that has ended was completed, quit, or hired.
async fn place(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    graduate: &GraduateEntry,
    bases: &[i64],
    today: NaiveDate,
) -> anyhow::Result<()> {
    let Some(starts) = start_after(rng, graduate, today) else {
        return Ok(());
    };
    let planned = starts + Months::new(rng.random_range(3..=6));
    let (outcome, ended) = if planned < today {
        match rng.random_range(0..10) {
            0..=2 => ("hired", planned),
            3..=7 => ("completed", planned),
            _ => ("quit", starts + Duration::days(rng.random_range(20..60))),
        }
    } else {
        ("ongoing", starts)
    };
    let draft = TraineeshipDraft {
        base: bases[rng.random_range(0..bases.len())].to_string(),
        starts_on: starts.to_string(),
        planned_end_on: planned.to_string(),
        ended_on: if outcome == "ongoing" {
            String::new()
        } else {
            ended.to_string()
        },
        outcome: outcome.into(),
    };
    let staff = recorder(store, plan, rng, graduate).await?;
    let day = if outcome == "ongoing" { starts } else { ended };
    match on(store, day)
        .record_traineeship(plan, &staff, graduate.id, &draft, "demo")
        .await
    {
        // A base full for the year takes nobody more: the demo moves on.
        Err(linkong_store::Error::Fields(_)) => Ok(()),
        other => other.map(|_| ()).map_err(Into::into),
    }
}

/// Enrolls the graduate in a course, certified when it gives a certificate.
async fn enroll(
    store: &Store,
    plan: &Plan,
    rng: &mut StdRng,
    graduate: &GraduateEntry,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let Some(starts) = start_after(rng, graduate, today) else {
        return Ok(());
    };
    let (course, provider, certificate) = COURSES[rng.random_range(0..COURSES.len())];
    let ends = starts + Duration::days(rng.random_range(10..30));
    let (result, certificate) = match (ends < today, certificate) {
        (false, _) => ("not_completed", ""),
        (true, "") => ("completed", ""),
        (true, name) => ("certified", name),
    };
    let draft = CourseDraft {
        course: course.into(),
        provider: provider.into(),
        starts_on: starts.to_string(),
        ends_on: ends.to_string(),
        result: result.into(),
        certificate: certificate.into(),
    };
    let staff = recorder(store, plan, rng, graduate).await?;
    on(store, starts.max(ends.min(today)))
        .record_graduate_course(plan, &staff, graduate.id, &draft, "demo")
        .await?;
    Ok(())
}
