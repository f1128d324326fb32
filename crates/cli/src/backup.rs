//! `linkong backup --out FILE`, `linkong backup verify FILE` and `linkong restore FILE`: the
//! work is `linkong_app::backup`'s; this file parses, calls and prints. Verify and restore end
//! with exit code 2 when the archive or the restored database differs from the manifest.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use linkong_app::backup::{self, BackupError, Difference, Scratch, Source, Target};
use linkong_store::backup::TableCounts;

use crate::place::{Place, database_url, is_postgres, open_database};

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BackupArgs {
    #[command(subcommand)]
    command: Option<BackupCommand>,
    /// The archive to write (it must not exist yet), e.g. linkong-2026-12-06.tar.zst.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Subcommand)]
enum BackupCommand {
    /// Check an archive: every file's SM3 digest, the rows per table and the audit chain of its
    /// database copy; exit code 2 when anything differs from its manifest.
    Verify {
        file: PathBuf,
        /// An empty PostgreSQL database to restore a PostgreSQL backup into for the check
        /// (default: one made on the --database-url server and dropped afterwards).
        #[arg(long)]
        scratch_url: Option<String>,
    },
}

pub async fn backup(place: &Place, args: BackupArgs) -> Result<ExitCode> {
    match (args.command, args.out) {
        (Some(BackupCommand::Verify { file, scratch_url }), _) => {
            verify(place, &file, scratch_url.as_deref()).await
        }
        (None, Some(out)) => create(place, &out).await,
        (None, None) => anyhow::bail!("请用 --out 给出备份文件，或用 backup verify FILE 校验备份"),
    }
}

async fn create(place: &Place, out: &Path) -> Result<ExitCode> {
    let source = Source {
        store: open_database(place).await?,
        database_url: database_url(place),
        files_dir: place.data_dir.join("files"),
    };
    let done = backup::create(&source, out)
        .await
        .with_context(|| format!("备份失败（{}）", out.display()))?;
    let manifest = &done.manifest;
    println!(
        "备份完成：{}（{:.1} MB，用时 {:.1} 秒）",
        out.display(),
        done.bytes as f64 / 1e6,
        done.seconds
    );
    println!(
        "  数据库副本和 {} 个文件；{} 张表共 {} 行；审计日志至第 {} 条。",
        manifest.entries.len() - 1,
        manifest.tables.len(),
        manifest.tables.values().sum::<i64>(),
        manifest.audit.as_ref().map_or(0, |a| a.last_id)
    );
    println!(
        "  密钥 keys/field.key 不在备份中：请另行离线保管两份，没有它备份中的个人信息无法读取。"
    );
    Ok(ExitCode::SUCCESS)
}

async fn verify(place: &Place, file: &Path, scratch_url: Option<&str>) -> Result<ExitCode> {
    let server = place.database_url.as_deref().filter(|url| is_postgres(url));
    let scratch = match (scratch_url, server) {
        (Some(url), _) => Scratch::Database(url),
        (None, Some(url)) => Scratch::OnServer(url),
        (None, None) => Scratch::None,
    };
    let found = match backup::verify(file, scratch).await {
        Ok(found) => found,
        Err(e) if is_about_the_archive(&e) => {
            println!("备份校验失败：{e}");
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e).with_context(|| format!("无法校验备份 {}", file.display())),
    };
    if !found.holds() {
        return Ok(differs("备份校验失败", &found.differences));
    }
    println!(
        "备份校验通过：{}（{} 个条目的 SM3 摘要一致，{}；审计日志哈希链完整）",
        file.display(),
        found.manifest.entries.len(),
        totals(&found.tables)
    );
    Ok(ExitCode::SUCCESS)
}

/// Errors that say the archive is not a good linkong backup (exit code 2), rather than that
/// the check could not be made (exit code 1).
fn is_about_the_archive(e: &BackupError) -> bool {
    matches!(
        e,
        BackupError::NotAnArchive(..) | BackupError::NoManifest(_) | BackupError::Manifest(_)
    )
}

fn differs(what: &str, differences: &[Difference]) -> ExitCode {
    println!("{what}：{} 处与清单不符：", differences.len());
    for difference in differences {
        println!("  {difference}");
    }
    ExitCode::from(2)
}

fn totals(tables: &TableCounts) -> String {
    format!(
        "{} 张表共 {} 行与清单一致",
        tables.len(),
        tables.values().sum::<i64>()
    )
}

pub async fn restore(place: &Place, file: &Path) -> Result<ExitCode> {
    let data_dir = place.data_dir.clone();
    let target = match &place.database_url {
        Some(url) if is_postgres(url) => Target::Postgres {
            url: url.clone(),
            data_dir,
        },
        _ => Target::Sqlite { data_dir },
    };
    let done = backup::restore(file, target)
        .await
        .with_context(|| format!("无法恢复备份 {}", file.display()))?;
    if !done.differences.is_empty() {
        return Ok(differs("恢复后的数据库", &done.differences));
    }
    println!(
        "已恢复：{}（备份于 {}）",
        file.display(),
        done.manifest.created_at
    );
    for (table, rows) in done.tables.iter().filter(|(_, rows)| **rows > 0) {
        println!("  {table:<40} {rows:>10}");
    }
    println!("  {}；审计日志哈希链完整。", totals(&done.tables));
    if !place.data_dir.join("keys/field.key").exists()
        && std::env::var_os("LINKONG_FIELD_KEY").is_none()
    {
        println!(
            "注意：{} 下没有密钥：请先把备份时的 field.key 放回，再启动服务；否则会生成新密钥，个人信息将无法读取。",
            place.data_dir.join("keys").display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
