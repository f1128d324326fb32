//! `linkong user add | reset-password | unlock | reset-2fa`: accounts from the console; passwords are
//! read from standard input, never from the command line.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use linkong_core::access::Role;
use linkong_core::password::NewPassword;
use linkong_store::users::NewUser;

use crate::place::{Place, open};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input.
    Add {
        #[arg(long)]
        username: String,
        /// Unit code (required for unit_staff), e.g. jinghe.
        #[arg(long)]
        unit: Option<String>,
        /// admin | task_force | unit_staff | reviewer
        #[arg(long)]
        role: String,
        /// Display name (default: the username).
        #[arg(long)]
        name: Option<String>,
    },
    /// Set a new one-time password (read from standard input); it must be changed at login.
    ResetPassword {
        #[arg(long)]
        username: String,
    },
    /// Lift a lockout after failed logins.
    Unlock {
        #[arg(long)]
        username: String,
    },
    /// Remove an account's two-factor authenticator (a lost phone): its sessions end and it
    /// binds a new one at the next sign-in.
    #[command(name = "reset-2fa")]
    ResetTwoFactor {
        #[arg(long)]
        username: String,
    },
}

pub async fn user(place: &Place, command: UserCommand) -> Result<ExitCode> {
    let (store, plan) = open(place).await?;
    match command {
        UserCommand::Add {
            username,
            unit,
            role,
            name,
        } => {
            let role = Role::parse(&role).with_context(|| {
                format!("未知的角色“{role}”（可选：admin、task_force、unit_staff、reviewer）")
            })?;
            if let Some(code) = &unit
                && plan.unit(code).is_none()
            {
                bail!("未知的单位代码“{code}”");
            }
            let password = new_password(&username)?;
            let new = NewUser {
                display_name: name.unwrap_or_else(|| username.clone()),
                username,
                role,
                unit_code: unit,
                password,
                must_change_password: false,
            };
            let user = store.create_user(None, new, "").await?;
            println!("已创建用户 {}（{}）。", user.username, user.role.label());
        }
        UserCommand::ResetPassword { username } => {
            let user = store
                .user_by_name(&username)
                .await?
                .with_context(|| format!("用户“{username}”不存在"))?;
            let password = new_password(&username)?;
            store.reset_password(None, user.id, &password, "").await?;
            println!("已重置 {username} 的密码；下次登录须修改。");
        }
        UserCommand::Unlock { username } => {
            store.unlock_user(None, &username, "").await?;
            println!("已解锁 {username}。");
        }
        UserCommand::ResetTwoFactor { username } => {
            let user = store
                .user_by_name(&username)
                .await?
                .with_context(|| format!("用户“{username}”不存在"))?;
            store.reset_factor(None, user.id, "").await?;
            println!("已重置 {username} 的两步验证；其会话已结束，下次登录时重新绑定身份验证器。");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A password read from standard input and checked against the rules.
fn new_password(username: &str) -> Result<NewPassword> {
    if std::io::stdin().is_terminal() {
        eprint!("请输入密码（输入后回车）：");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("无法读取密码")?;
    let password = line.trim_end_matches(['\r', '\n']);
    NewPassword::parse(password, username).context("密码")
}
