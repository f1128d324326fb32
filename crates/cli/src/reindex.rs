//! `linkong reindex`: rebuilds the search index of job posts from the database.

use std::process::ExitCode;

use anyhow::{Context, Result};
use linkong_app::SearchSync;

use crate::place::{Place, open, open_index};

pub async fn reindex(place: &Place) -> Result<ExitCode> {
    let (store, _) = open(place).await?;
    let index = open_index(place)?;
    index.clear()?;
    let sync = SearchSync::new(store, std::sync::Arc::new(index));
    sync.sync().await.context("重建搜索索引失败")?;
    println!("搜索索引已重建：{} 个在招岗位。", sync.index().num_docs());
    Ok(ExitCode::SUCCESS)
}
