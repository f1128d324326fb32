//! `linkong audit verify`: checks the SM3 chain of the audit log; exit code 2 when broken.

use std::process::ExitCode;

use anyhow::Result;

use crate::place::{Place, open_database};

pub async fn verify(place: &Place) -> Result<ExitCode> {
    // Read-only: no plan load, so the check adds nothing to the log it checks.
    let store = open_database(place).await?;
    let report = store.verify_audit().await?;
    if report.is_intact() {
        println!("审计日志完整：{} 条记录，哈希链校验通过。", report.rows);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "审计日志校验失败：{} 条记录中发现 {} 处问题：",
        report.rows,
        report.breaks.len()
    );
    for b in &report.breaks {
        println!("  第 {} 条：{}", b.id, b.problem);
    }
    Ok(ExitCode::from(2))
}
