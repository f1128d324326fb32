//! Demo gig posts (零工, 2.5.4): each street's gig station posts two to four short jobs paid by
//! the day or the piece, most of them running now, a few already over, so that `/gigs`, the job
//! search and the returnees' matches have gigs to show.

use chrono::Duration;
use linkong_core::gigs::GigDraft;
use linkong_core::plan::{Plan, UnitKind};
use linkong_core::time::local_date;
use linkong_store::Store;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::demo_returnees::{on, staff_of};

/// (title, pay basis, rate in yuan, note) of the demo gigs.
const GIGS: [(&str, &str, &str, &str); 10] = [
    ("仓库临时分拣", "day", "180", "管午饭，需站立作业"),
    ("电商大促打包", "piece", "0.8", "按件计酬，多劳多得"),
    ("物流园装卸搬运", "day", "220", "男性优先"),
    ("展会布展搭建", "day", "260", "需有高空作业经验"),
    ("社区绿化养护", "day", "150", "自带防晒用品"),
    ("食品厂临时包装", "day", "170", "需健康证"),
    ("家政保洁（日结）", "day", "200", "熟悉家电清洁"),
    ("农产品采摘", "piece", "1.5", "按筐计酬"),
    ("活动礼仪引导", "day", "200", "形象好，普通话标准"),
    ("小区水电维修帮工", "day", "240", "持电工证优先"),
];

/// Posts each street's demo gigs, as its staff, on days spread over the last month.
pub async fn fill(store: &Store, plan: &Plan, seed: u64) -> anyhow::Result<()> {
    let today = local_date(store.now());
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0254);
    let streets: Vec<&str> = plan
        .units
        .iter()
        .filter(|u| u.kind == UnitKind::Street)
        .map(|u| u.code.as_str())
        .collect();
    for street in &streets {
        let staff = staff_of(store, plan, street).await?;
        for _ in 0..rng.random_range(2..=4) {
            let (title, basis, rate, note) = GIGS[rng.random_range(0..GIGS.len())];
            let posted = today - Duration::days(rng.random_range(0..30));
            let starts = posted + Duration::days(rng.random_range(0..5));
            let ends = starts + Duration::days(rng.random_range(0..20));
            let work_street = if rng.random_bool(0.8) {
                street
            } else {
                streets[rng.random_range(0..streets.len())]
            };
            let draft = GigDraft {
                title: title.into(),
                work_street: (*work_street).into(),
                pay_basis: basis.into(),
                rate: rate.into(),
                starts_on: starts.to_string(),
                ends_on: ends.to_string(),
                headcount: rng.random_range(2..=20).to_string(),
                contact_name: "驿站工作人员".into(),
                contact_phone: format!("139{:08}", rng.random_range(0..100_000_000)),
                note: note.into(),
            };
            on(store, posted)
                .create_gig(plan, &staff, &draft, "demo")
                .await?;
        }
    }
    Ok(())
}
