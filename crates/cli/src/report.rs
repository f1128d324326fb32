//! `linkong report quarterly 2025Q3 --out q3.xlsx` and `linkong report annual 2025 --out
//! 2025.xlsx`: the district's consolidated report as a workbook, as the web page makes it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use linkong_app::workbook::district_workbook;
use linkong_core::access::Actor;
use linkong_core::reporting::ReportPeriod;
use linkong_core::time::local_date;

use crate::place::{Place, effective_calendar, open};

#[derive(Subcommand)]
pub enum ReportCommand {
    /// The consolidated quarterly report, e.g. `linkong report quarterly 2025Q3 --out q3.xlsx`.
    Quarterly {
        period: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// The consolidated annual report, e.g. `linkong report annual 2025 --out 2025.xlsx`.
    Annual {
        year: String,
        #[arg(long)]
        out: PathBuf,
    },
}

pub async fn report(place: &Place, command: ReportCommand) -> Result<ExitCode> {
    let (text, out, quarterly) = match command {
        ReportCommand::Quarterly { period, out } => (period, out, true),
        ReportCommand::Annual { year, out } => (year, out, false),
    };
    let (store, plan) = open(place).await?;
    let period = ReportPeriod::parse(&text, &plan)?;
    if quarterly != matches!(period, ReportPeriod::Quarter { .. }) {
        if quarterly {
            bail!("季度报告期应写作 2025Q3（收到“{text}”）");
        }
        bail!("年度报告期应写作 2025（收到“{text}”）");
    }
    let calendar = effective_calendar(place, &store).await?;
    let district = store
        .district_report(&Actor::console(), &plan, &calendar, period, "")
        .await?;
    let today = local_date(store.now());
    let overdue = store
        .overdue_supervision(&Actor::console(), period.range().1.min(today), "")
        .await?;
    let bytes = district_workbook(&plan, &calendar, &district, &overdue, today)
        .context("无法生成工作簿")?;
    std::fs::write(&out, bytes).with_context(|| format!("无法写入 {}", out.display()))?;
    println!("已生成 {}：{}", period.label(), out.display());
    Ok(ExitCode::SUCCESS)
}
