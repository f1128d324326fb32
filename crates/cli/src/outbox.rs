//! `linkong outbox` and `linkong outbox send --gateway URL`: the SMS waiting to go out (each
//! push's SMS, issue 16 item 4), and sending them through the operator's SMS gateway over HTTP.
//! The number goes to the gateway only; nothing here prints or logs it.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Subcommand;
use linkong_store::pushes::{SmsGateway, send_outbox};

use crate::place::{Place, open};

#[derive(Subcommand)]
pub enum OutboxCommand {
    /// How many SMS wait, and how many were given up on after repeated failures.
    Status,
    /// Send the waiting SMS: each is POSTed to the gateway as JSON `{"phone": …, "text": …}`;
    /// a 2xx answer marks it sent, anything else is kept for the next run (at most 5 tries).
    Send {
        /// The gateway's URL (the operator's SMS service, or a relay to it).
        #[arg(long)]
        gateway: url::Url,
        /// The most SMS sent in one run.
        #[arg(long, default_value_t = 1000)]
        limit: i64,
    },
}

/// An SMS gateway reached by an HTTP POST of JSON.
struct HttpGateway {
    client: reqwest::Client,
    url: url::Url,
}

impl SmsGateway for HttpGateway {
    async fn send(&self, phone: &str, text: &str) -> std::result::Result<(), String> {
        let body = serde_json::json!({ "phone": phone, "text": text }).to_string();
        let answer = self
            .client
            .post(self.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| format!("短信网关无法连接：{}", e.without_url()))?;
        match answer.status() {
            status if status.is_success() => Ok(()),
            status => Err(format!("短信网关拒绝：HTTP {}", status.as_u16())),
        }
    }
}

pub async fn outbox(place: &Place, command: OutboxCommand) -> Result<ExitCode> {
    let (store, _) = open(place).await?;
    match command {
        OutboxCommand::Status => {
            let (waiting, abandoned) = store.outbox_counts().await?;
            println!("待发送短信 {waiting} 条；多次失败已放弃 {abandoned} 条");
            Ok(ExitCode::SUCCESS)
        }
        OutboxCommand::Send { gateway, limit } => {
            let gateway = HttpGateway {
                client: reqwest::Client::builder()
                    .timeout(std::time::Duration::from_secs(10))
                    .build()
                    .context("无法创建 HTTP 客户端")?,
                url: gateway,
            };
            let run = send_outbox(&store, &gateway, limit).await?;
            println!(
                "已发送 {} 条，失败 {} 条（失败的下次重试）",
                run.sent, run.failed
            );
            Ok(if run.failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}
