//! `linkong token create | list | revoke`: bearer tokens for API clients.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use linkong_core::access::TokenScopes;

use crate::place::{Place, open, open_database};

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create a bearer token for API clients acting as a user; printed once.
    Create {
        /// The user the token acts as (as an option or as the first argument).
        #[arg(long = "username", value_name = "USER")]
        username_option: Option<String>,
        /// The user the token acts as.
        #[arg(conflicts_with = "username_option")]
        username: Option<String>,
        /// What the token is for (as an option or as the second argument).
        #[arg(long = "name", value_name = "NAME")]
        name_option: Option<String>,
        /// What the token is for.
        #[arg(conflicts_with = "name_option")]
        name: Option<String>,
        /// What the token may do: aggregates (default), registries, write; repeat or separate
        /// with commas.
        #[arg(long = "scope", value_name = "SCOPE")]
        scopes: Vec<String>,
    },
    /// List tokens (id, user, purpose, scopes, last use; never the token itself).
    List,
    /// Revoke a token by its id.
    Revoke { id: i64 },
}

pub async fn token(place: &Place, command: TokenCommand) -> Result<ExitCode> {
    match command {
        TokenCommand::Create {
            username_option,
            username,
            name_option,
            name,
            scopes,
        } => {
            let Some(username) = username_option.or(username) else {
                anyhow::bail!(
                    "请指定令牌所属的用户：linkong token create 用户名 [用途] [--scope …]"
                );
            };
            let name = name_option.or(name).unwrap_or_else(|| "API".into());
            let scopes = TokenScopes::parse(scopes.iter().map(String::as_str))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let (store, _) = open(place).await?;
            let token = store.create_token(&username, &name, scopes).await?;
            println!("{token}");
            eprintln!(
                "这是 {username} 的 API 令牌（权限：{scopes}），只显示这一次。请求时使用：Authorization: Bearer <令牌>"
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
                println!(
                    "#{}\t{}\t{}\t{}\t{}\t{}",
                    t.id, t.username, t.name, t.scopes, used, state
                );
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
