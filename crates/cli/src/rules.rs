//! `linkong rules …`: policy staff check a case file against the rules (the built-in district
//! rules or a rules file they are editing), and read the parameters of a policy in force on a
//! day, with their sources and whether they are confirmed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::Subcommand;
use linkong_core::rules::{DONGXIHU, RuleBook, Unit, check_cases, format_fen};

#[derive(Subcommand)]
pub enum RulesCommand {
    /// Run a case file (policies/cases/*.toml) against the rules; each case ok or failed with
    /// its reason, a non-zero exit on any failure. E.g. `linkong rules test policies/cases/rent_subsidy.toml`.
    Test {
        /// The case file.
        file: PathBuf,
        /// A rules file to test instead of the built-in district rules.
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// The parameters of a policy in force on a day (default: today), with their sources.
    Show {
        /// The policy's id, e.g. `rent_subsidy`.
        policy: String,
        /// The day (YYYY-MM-DD).
        #[arg(long)]
        on: Option<NaiveDate>,
        /// A rules file to read instead of the built-in district rules.
        #[arg(long)]
        rules: Option<PathBuf>,
    },
}

pub fn rules(command: RulesCommand) -> Result<ExitCode> {
    match command {
        RulesCommand::Test { file, rules } => test(&file, rules.as_deref()),
        RulesCommand::Show { policy, on, rules } => {
            let on = on.unwrap_or_else(|| linkong_core::time::local_date(chrono::Utc::now()));
            show(&policy, on, rules.as_deref())
        }
    }
}

/// The rules: the file given, or the district's built-in rules.
fn book(rules: Option<&Path>) -> Result<RuleBook> {
    let (text, name) = match rules {
        Some(path) => (
            std::fs::read_to_string(path)
                .with_context(|| format!("无法读取 {}", path.display()))?,
            path.display().to_string(),
        ),
        None => (DONGXIHU.to_owned(), "内置规则".to_owned()),
    };
    RuleBook::parse(&text).with_context(|| format!("{name}有误"))
}

fn test(file: &Path, rules: Option<&Path>) -> Result<ExitCode> {
    let book = book(rules)?;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("无法读取 {}", file.display()))?;
    let outcomes = match check_cases(&book, &text) {
        Ok(outcomes) => outcomes,
        Err(failure) => {
            println!("{}：{}：{}", file.display(), failure.case, failure.message);
            return Ok(ExitCode::FAILURE);
        }
    };
    let mut failed = 0;
    for outcome in &outcomes {
        match &outcome.failure {
            None => println!("通过  {}", outcome.case),
            Some(why) => {
                failed += 1;
                println!("未通过  {}：{why}", outcome.case);
            }
        }
    }
    println!(
        "{}：{} 个案例，通过 {}，未通过 {failed}（规则版本 {}）。",
        file.display(),
        outcomes.len(),
        outcomes.len() - failed,
        book.version
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn show(policy: &str, on: NaiveDate, rules: Option<&Path>) -> Result<ExitCode> {
    let book = book(rules)?;
    let policy = book.policy(policy)?;
    let until = policy
        .to
        .map_or_else(|| "长期".to_owned(), |d| d.to_string());
    println!("《{}》（{}）", policy.title, policy.source);
    println!(
        "有效期 {} 至 {until}；{on} {}",
        policy.from,
        if policy.in_force(on) {
            "有效"
        } else {
            "不在有效期内"
        }
    );
    if let Some(group) = &policy.group {
        println!("互斥组：{group}");
    }
    for parameter in policy.parameters.values() {
        let Some(value) = parameter.value_on(on) else {
            println!("{}：{on} 无有效取值", parameter.label);
            continue;
        };
        let shown = match parameter.unit {
            Unit::Money => format_fen(value.value),
            Unit::Count => format!("{} 人", value.value),
            Unit::Months => format!("{} 个月", value.value),
            Unit::BasisPoints => format!("{} 个基点", value.value),
            Unit::Fraction => format!("{}/{}", value.value, value.denominator),
        };
        let to = value
            .to
            .map_or_else(|| "起".to_owned(), |d| format!("至 {d}"));
        let mark = if value.confirmed { "" } else { "，待核实" };
        println!(
            "{}：{shown}（自 {} {to}；依据 {}{mark}）",
            parameter.label, value.from, value.source
        );
    }
    Ok(ExitCode::SUCCESS)
}
