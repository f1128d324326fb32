//! PostgreSQL's own tools, run as child processes: `pg_dump` of an exported snapshot and
//! `pg_restore` into an empty database. The custom format (`-Fc`) is used rather than plain
//! SQL: `pg_restore` then restores in one transaction, stops at the first error, and leaves
//! out owners and grants so that the dump restores under any role. Its own compression is off
//! (`-Z0`): the archive is compressed as a whole.
//!
//! The password never goes on a command line (other users could read it in `ps`) nor into a
//! message: it is handed over in `PGPASSWORD` and shown as `***`.

use std::path::Path;
use std::process::{Command, Stdio};

use super::BackupError;

/// A PostgreSQL URL split for libpq's tools: the URL without its password, and the password.
struct Connection {
    url: String,
    password: Option<String>,
}

impl Connection {
    fn of(url: &str) -> Result<Connection, BackupError> {
        let mut parsed = url::Url::parse(url)
            .map_err(|e| BackupError::Config(format!("数据库地址无法解析：{e}")))?;
        let password = parsed.password().map(|p| {
            percent_encoding::percent_decode_str(p)
                .decode_utf8_lossy()
                .into_owned()
        });
        let _ = parsed.set_password(None);
        Ok(Connection {
            url: parsed.to_string(),
            password,
        })
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(password) = &self.password {
            command.env("PGPASSWORD", password);
        }
        command
    }
}

/// Runs `command` to its end in a blocking thread; a missing program or a failure is an error
/// naming the tool, with what it wrote to stderr.
async fn run(program: &'static str, mut command: Command) -> Result<(), BackupError> {
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .map_err(|e| BackupError::Tool {
            program,
            message: e.to_string(),
        })?;
    let output = output.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => BackupError::ToolMissing(program),
        _ => BackupError::Tool {
            program,
            message: e.to_string(),
        },
    })?;
    if output.status.success() {
        return Ok(());
    }
    Err(BackupError::Tool {
        program,
        message: format!(
            "{}：{}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ),
    })
}

/// `pg_dump` of the database at `url` as the exported `snapshot` saw it, into `out`.
pub(super) async fn dump(url: &str, snapshot: &str, out: &Path) -> Result<(), BackupError> {
    let snapshot = format!("--snapshot={snapshot}");
    let args = ["--format=custom", "--compress=0", &snapshot, "--file"];
    run_on(url, "pg_dump", &args, out).await
}

/// `pg_restore` of `dump` into the (empty) database at `url`, all or nothing.
pub(super) async fn restore(url: &str, dump: &Path) -> Result<(), BackupError> {
    let args = ["--single-transaction", "--exit-on-error"];
    run_on(url, "pg_restore", &args, dump).await
}

/// `program ARGS FILE --no-owner --no-privileges --dbname URL`, the password in `PGPASSWORD`.
async fn run_on(
    url: &str,
    program: &'static str,
    args: &[&str],
    file: &Path,
) -> Result<(), BackupError> {
    let connection = Connection::of(url)?;
    let mut command = connection.command(program);
    command.args(args).arg(file).args([
        "--no-owner",
        "--no-privileges",
        "--dbname",
        &connection.url,
    ]);
    run(program, command).await
}

/// A scratch database made on the server of `server_url` for a verification, dropped with
/// [`Scratch::drop_now`].
pub(super) struct Scratch {
    admin: sqlx::PgPool,
    name: String,
    pub(super) url: String,
}

impl Scratch {
    pub(super) async fn create(server_url: &str) -> Result<Scratch, BackupError> {
        let admin = sqlx::PgPool::connect(server_url).await?;
        let name = format!("linkong_verify_{}", &linkong_store::random_token()[..12]);
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await?;
        let mut url = url::Url::parse(server_url)
            .map_err(|e| BackupError::Config(format!("数据库地址无法解析：{e}")))?;
        url.set_path(&name);
        Ok(Scratch {
            admin,
            name,
            url: url.to_string(),
        })
    }

    pub(super) async fn drop_now(self) {
        let dropped = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        )))
        .execute(&self.admin)
        .await;
        if let Err(e) = dropped {
            tracing::warn!(database = %self.name, error = %e, "cannot drop the scratch database");
        }
        self.admin.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_and_goes_to_pgpassword_as_typed() {
        let c = Connection::of("postgres://linkong:p%40ss@db:5432/linkong").unwrap();
        assert_eq!(c.url, "postgres://linkong@db:5432/linkong");
        assert_eq!(c.password.as_deref(), Some("p@ss"));
        let none = Connection::of("postgres://postgres@127.0.0.1/x").unwrap();
        assert_eq!(none.password, None);
    }
}
