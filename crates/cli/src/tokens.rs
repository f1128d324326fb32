//! `linkong token create | list | revoke`: bearer tokens for API clients.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;

use crate::place::{Place, open, open_database};

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create a bearer token for API clients acting as a user; printed once.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "API")]
        name: String,
    },
    /// List tokens (id, user, purpose, last use; never the token itself).
    List,
    /// Revoke a token by its id.
    Revoke { id: i64 },
}

pub async fn token(place: &Place, command: TokenCommand) -> Result<ExitCode> {
    match command {
        TokenCommand::Create { username, name } => {
            let (store, _) = open(place).await?;
            let token = store.create_token(&username, &name).await?;
            println!("{token}");
            eprintln!(
                "这是 {username} 的 API 令牌，只显示这一次。请求时使用：Authorization: Bearer <令牌>"
            );
        }
        TokenCommand::List => {
            let store = open_database(place).await?;
            for t in store.tokens().await? {
                let state = match t.revoked_at {
                    Some(at) => format!("已撤销 {}", at.format("%Y-%m-%d %H:%M")),
                    None => "有效".into(),
                };
                let used = t.last_used_at.map_or("从未使用".into(), |at| {
                    format!("最近使用 {}", at.format("%Y-%m-%d %H:%M"))
                });
                println!("#{}\t{}\t{}\t{}\t{}", t.id, t.username, t.name, used, state);
            }
        }
        TokenCommand::Revoke { id } => {
            let store = open_database(place).await?;
            store.revoke_token(id).await?;
            println!("已撤销令牌 #{id}。");
        }
    }
    Ok(ExitCode::SUCCESS)
}
