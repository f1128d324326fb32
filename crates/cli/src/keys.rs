//! `linkong keys rotate`: re-encrypts every ID and phone number with a new key and recomputes
//! the blind indexes, in place and resumably; the server must be stopped.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use linkong_store::crypto::FieldCipher;

use crate::place::{Place, open_database};

pub async fn rotate(place: &Place) -> Result<ExitCode> {
    if std::env::var_os("LINKONG_FIELD_KEY").is_some() {
        bail!(
            "密钥由环境变量 LINKONG_FIELD_KEY 提供：请去掉该变量、把密钥写入 data/keys/field.key 后再轮换"
        );
    }
    let keys = place.data_dir.join("keys");
    let next = keys.join("field.next.key");
    if !keys.join("field.key").exists() && next.exists() {
        // Stopped after retiring the old key: only the promotion is left.
        FieldCipher::promote_next(&keys, &stamp())?;
        println!("已启用新密钥（上次轮换在最后一步中断）。");
        return Ok(ExitCode::SUCCESS);
    }
    let store = open_database(place).await?;
    let old = FieldCipher::load_or_create_file(&keys)?;
    let new = FieldCipher::load_or_create_next(&keys)?;
    let report = store
        .rotate_field_key(&old, &new, &|column, done| {
            eprintln!("{column}：{done}");
        })
        .await
        .context("密钥轮换中断（已完成的部分保留，再次运行可继续）")?;
    store.close().await;
    FieldCipher::promote_next(&keys, &stamp())?;
    for (column, rotated, skipped) in &report.columns {
        println!("{column}：重新加密 {rotated} 个，已是新密钥 {skipped} 个");
    }
    println!("密钥已轮换：旧密钥改名为 field.key.retired-…，请离线保管后删除。");
    Ok(ExitCode::SUCCESS)
}

/// The suffix of a retired key's file name.
fn stamp() -> String {
    chrono::Utc::now().format("%Y%m%d%H%M%S").to_string()
}
