//! `linkong plan check FILE`: validates a plan file and names every error with its line.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use linkong_core::plan::Plan;

pub fn check(file: &Path) -> Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("无法读取 {}", file.display()))?;
    match Plan::parse(&text) {
        Ok(plan) => {
            let quotas: usize = plan.indicators().map(|(_, i)| i.quotas.len()).sum();
            println!(
                "{}：有效。{} 个责任单位，{} 项任务，{} 项指标，{} 项分解指标。",
                file.display(),
                plan.units.len(),
                plan.tasks.len(),
                plan.indicators().count(),
                quotas
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            print!("{}：{errors}", file.display());
            Ok(ExitCode::FAILURE)
        }
    }
}
