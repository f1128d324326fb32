//! `linkong export quarter 2025Q3 --out DIR`: the quarterly data bundle for the municipal
//! platform (xlsx + csv tables and an SM3 manifest, see `linkong_app::exchange`). With
//! `--if-due` (for cron or a systemd timer) it writes the last finished quarter's bundle once:
//! when the quarter is over and its manifest is not yet in DIR; otherwise it does nothing.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate};
use clap::Subcommand;
use linkong_app::exchange::{is_due, quarter_bundle};
use linkong_core::plan::Plan;
use linkong_core::reporting::ReportPeriod;
use linkong_core::time::local_date;

use crate::place::{Place, effective_calendar, open};

#[derive(Subcommand)]
pub enum ExportCommand {
    /// A quarter's bundle, e.g. `linkong export quarter 2025Q3 --out exchange/`; with
    /// `--if-due` and no quarter, the last finished quarter's, once.
    Quarter {
        /// The quarter, written 2025Q3 (default with --if-due: the last finished quarter).
        period: Option<String>,
        /// The directory the bundle's own directory (420112-2025Q3/) is written in.
        #[arg(long)]
        out: PathBuf,
        /// Write only when the quarter is over and its bundle is not in --out yet.
        #[arg(long)]
        if_due: bool,
    },
}

pub async fn export(place: &Place, command: ExportCommand) -> Result<ExitCode> {
    let ExportCommand::Quarter {
        period,
        out,
        if_due,
    } = command;
    let (store, plan) = open(place).await?;
    let today = local_date(store.now());
    let period = match period {
        Some(text) => ReportPeriod::parse(&text, &plan)?,
        None if if_due => match last_finished_quarter(&plan, today) {
            Some(period) => period,
            None => {
                println!("没有已结束的方案季度，无需导出。");
                return Ok(ExitCode::SUCCESS);
            }
        },
        None => bail!("请指定季度，例如 linkong export quarter 2025Q3 --out 目录"),
    };
    if !matches!(period, ReportPeriod::Quarter { .. }) {
        bail!("季度应写作 2025Q3（收到“{}”）", period.code());
    }
    if if_due && !is_due(&plan, period, today, &out) {
        println!("{} 的数据包尚未到期或已导出，未写入。", period.label());
        return Ok(ExitCode::SUCCESS);
    }
    let calendar = effective_calendar(place, &store).await?;
    let bundle = quarter_bundle(&store, &plan, &calendar, period)
        .await
        .context("无法生成季度数据包")?;
    let dir = bundle.write_to(&out)?;
    println!(
        "已导出 {} 数据包：{}（{} 个文件及 manifest.json）",
        period.label(),
        dir.display(),
        bundle.files.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The quarter before `today`'s, if it is one of the plan's.
fn last_finished_quarter(plan: &Plan, today: NaiveDate) -> Option<ReportPeriod> {
    let quarter = today.month0() / 3 + 1;
    let (year, quarter) = if quarter == 1 {
        (today.year() - 1, 4)
    } else {
        (today.year(), quarter - 1)
    };
    ReportPeriod::parse(&format!("{year}Q{quarter}"), plan).ok()
}
