//! `linkong match run [--street S] [--n N]`: the matching batch for the district or one street
//! (issue 16 items 4 and 6) — every unplaced graduate of the current year and every returnee
//! seeking a job with their best N open posts, kept for the push lists; prints what it did.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use linkong_core::matching::{WEIGHTS_FILE, Weights};
use linkong_core::plan::{Plan, UnitKind};

use crate::place::{Place, open};

#[derive(Subcommand)]
pub enum MatchCommand {
    /// Scores every unplaced graduate of this year and every returnee seeking a job against
    /// the open posts and keeps each one's best N for the push lists.
    Run {
        /// One street, by code or name (径河街道, 径河 or jinghe); default: the district.
        #[arg(long)]
        street: Option<String>,
        /// Posts per person (at most the weights file's max_results).
        #[arg(long, default_value_t = 10)]
        n: usize,
    },
}

pub async fn matching(place: &Place, command: MatchCommand) -> Result<ExitCode> {
    let MatchCommand::Run { street, n } = command;
    let (store, plan) = open(place).await?;
    let weights = Weights::parse(WEIGHTS_FILE).map_err(anyhow::Error::msg)?;
    let street = street.map(|s| street_code(&plan, &s));
    let done =
        linkong_app::match_batch::run(&store, &plan, &weights, street.as_deref(), n, "command")
            .await?;
    let scope = done
        .street
        .as_deref()
        .and_then(|code| plan.unit(code))
        .map_or("全区", |u| u.name.as_str());
    println!(
        "人岗匹配完成（第 {} 次运行，{}）：{scope}",
        done.run_id,
        done.run_at
            .with_timezone(&linkong_core::time::china())
            .format("%Y-%m-%d %H:%M")
    );
    println!(
        "  未就业毕业生 {} 人，返区求职人员 {} 人，在招岗位 {} 个",
        done.graduates, done.returnees, done.posts
    );
    println!(
        "  保存推荐 {} 条（每人最多 {} 个），用时 {:.1} 秒",
        done.results, done.top_n, done.seconds
    );
    Ok(ExitCode::SUCCESS)
}

/// The code of the street named `text` (its code, name or an alias); anything else is passed
/// on as it is, for the batch to refuse naming 街道.
fn street_code(plan: &Plan, text: &str) -> String {
    let text = text.trim();
    plan.units
        .iter()
        .filter(|u| u.kind == UnitKind::Street)
        .find(|u| u.code == text || u.name == text || u.aliases.iter().any(|a| a == text))
        .map_or_else(|| text.to_owned(), |u| u.code.clone())
}
