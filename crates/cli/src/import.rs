//! `linkong import …`: a roster file into the database, all of it or nothing, with a progress
//! bar on the terminal and an error workbook beside the file when rows are wrong.

use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use linkong_core::plan::Plan;
use linkong_import::run::{Failure, Imported, Progress, ProgressFn, RosterFile};
use linkong_store::people::Importer;

use crate::place::{Place, open};

/// Problems printed on the terminal; the error workbook has them all.
const PRINTED: usize = 50;

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Out-migrants (外出就业人员), e.g. `linkong import migrants 名册.xlsx --unit 径河街道`.
    Migrants(ImportArgs),
    /// Unplaced graduates (离校未就业高校毕业生), e.g. `linkong import graduates 名册.csv --unit rsj`.
    Graduates(ImportArgs),
    /// The social-insurance enrolment list (参保名单) from the 社保 system, as 区人社局, e.g.
    /// `linkong import insurance 参保名单.xlsx`.
    Insurance(InsuranceArgs),
}

#[derive(Args)]
pub struct InsuranceArgs {
    /// The list, xlsx or csv (UTF-8 or GBK).
    pub file: PathBuf,
    /// Where to write the error workbook (default: beside FILE, named …-错误清单.xlsx).
    #[arg(long)]
    pub errors: Option<PathBuf>,
}

#[derive(Args)]
pub struct ImportArgs {
    /// The roster file, xlsx or csv (UTF-8 or GBK).
    pub file: PathBuf,
    /// The importing unit (code or name): a street imports its own residents, a lead unit any.
    #[arg(long)]
    pub unit: String,
    /// Where to write the error workbook (default: beside FILE, named …-错误清单.xlsx).
    #[arg(long)]
    pub errors: Option<PathBuf>,
}

pub async fn import(place: &Place, command: ImportCommand) -> anyhow::Result<ExitCode> {
    match command {
        ImportCommand::Migrants(args) => roster(place, linkong_import::migrants::FILE, args).await,
        ImportCommand::Graduates(args) => {
            roster(place, linkong_import::graduates::FILE, args).await
        }
        ImportCommand::Insurance(args) => insurance(place, args).await,
    }
}

/// The error workbook's default place: beside `file`, named …-错误清单.xlsx.
fn errors_beside(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "名册".into());
    file.with_file_name(format!("{stem}-错误清单.xlsx"))
}

/// Imports the enrolment list as the console (whoever runs the binary on the data directory
/// holds the database already, as an admin does).
async fn insurance(place: &Place, args: InsuranceArgs) -> anyhow::Result<ExitCode> {
    let InsuranceArgs { file, errors } = args;
    let file = file.as_path();
    let (store, _plan) = open(place).await?;
    let errors_to = errors.unwrap_or_else(|| errors_beside(file));
    let file_name = file
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let today = linkong_core::time::local_date(store.now());
    let actor = linkong_core::access::Actor::console();
    let result = linkong_import::insurance::import_insurance(
        &store,
        &actor,
        file,
        &file_name,
        today,
        Some(&errors_to),
        "",
        None,
    )
    .await;
    store.close().await;
    report_outcome("条", result, file, &errors_to)
}

async fn roster(place: &Place, roster: RosterFile, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let ImportArgs { file, unit, errors } = args;
    let (file, unit) = (file.as_path(), unit.as_str());
    let (store, plan) = open(place).await?;
    let unit_code = importing_unit(&plan, roster, unit)?;
    let errors_to = errors.unwrap_or_else(|| errors_beside(file));
    let importer = Importer {
        user_id: None,
        name: "命令行".into(),
        unit_code,
        ip: String::new(),
        run: None,
    };
    let (bar, progress) = progress_bar()?;
    let file_name = file
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let today = linkong_core::time::local_date(store.now());
    let result = linkong_import::run::import_file(
        roster,
        &store,
        Arc::new(plan),
        &importer,
        file,
        &file_name,
        today,
        Some(&errors_to),
        progress,
    )
    .await;
    // The last connection closed checkpoints SQLite's WAL into the database file: the import
    // is whole in the file when the command returns.
    store.close().await;
    bar.finish_and_clear();
    report_outcome("人", result, file, &errors_to)
}

/// The code of the unit named by `--unit` (code, name, full name or alias), if it may import
/// this roster.
fn importing_unit(plan: &Plan, roster: RosterFile, unit: &str) -> anyhow::Result<String> {
    let unit_code = plan
        .units
        .iter()
        .find(|u| {
            u.code == unit
                || u.name == unit
                || u.full_name == unit
                || u.aliases.iter().any(|a| a == unit)
        })
        .map(|u| u.code.clone())
        .with_context(|| format!("--unit：单位“{unit}”不存在"))?;
    if !linkong_core::access::may_import(plan, &unit_code, roster.roster) {
        return Err(anyhow::anyhow!(
            "--unit：{unit} 不能导入{}（应为街道或牵头单位）",
            roster.roster.label()
        ));
    }
    Ok(unit_code)
}

/// A progress bar on the terminal, and the callback the import moves it with.
fn progress_bar() -> anyhow::Result<(ProgressBar, ProgressFn)> {
    let bar = ProgressBar::new(1000);
    bar.set_style(
        ProgressStyle::with_template("导入 [{bar:40}] {percent:>3}% {msg}")?.progress_chars("=> "),
    );
    let shown = bar.clone();
    let progress: ProgressFn = Arc::new(move |p: Progress| {
        shown.set_message(format!("{} 行", p.rows));
        shown.set_position((p.fraction.clamp(0.0, 1.0) * 1000.0) as u64);
    });
    Ok((bar, progress))
}

/// Prints the counts of an import, or its first problems and where the error workbook is.
/// `what` counts the rows: 人 for a roster (one row a person), 条 for the enrolment list.
fn report_outcome(
    what: &str,
    result: Result<Imported, Failure>,
    file: &Path,
    errors_to: &Path,
) -> anyhow::Result<ExitCode> {
    match result {
        Ok(Imported { outcome, skipped }) => {
            println!(
                "导入完成：共 {} 行，新增 {} {what}，更新 {} {what}，未变化 {} {what}。",
                outcome.rows, outcome.created, outcome.updated, outcome.unchanged
            );
            // The footer rows (合计, 填表人 …) left out, each on its own line.
            for row in skipped {
                println!("{row}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(Failure::Rows {
            count, problems, ..
        }) => {
            for problem in problems.iter().take(PRINTED) {
                eprintln!("{problem}");
            }
            if count > PRINTED {
                eprintln!("……另有 {} 处错误", count - PRINTED);
            }
            if errors_to.exists() {
                eprintln!(
                    "错误清单已写入 {}，改正后可直接再次导入。",
                    errors_to.display()
                );
            }
            Err(anyhow::anyhow!("{count} 处错误，未导入任何数据"))
        }
        Err(Failure::File(message)) => Err(anyhow::anyhow!("{}：{message}", file.display())),
        Err(Failure::Store(e)) => Err(e.into()),
    }
}
