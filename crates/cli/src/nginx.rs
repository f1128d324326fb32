//! nginx (Debian's package) in front of the app servers, as `docs/operations.md` sets it up:
//! one upstream of loopback servers, round robin, on a port of its own; each answer names the
//! server that gave it in `X-Upstream`, so a test can see both servers at work. A server can be
//! taken out of the upstream and put back with a graceful reload (`nginx -s reload`), as an
//! operator does for a rolling restart.
//!
//! Used by `linkong bench cluster` and, by path, by the two-server test (`tests/cluster`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

/// Debian's nginx binary.
pub const NGINX: &str = "/usr/sbin/nginx";
const CONF: &str = "nginx.conf";

pub struct Nginx {
    pub base: String,
    port: u16,
    dir: PathBuf,
    child: Child,
}

/// A free loopback port.
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl Nginx {
    /// Whether nginx is installed here (CI installs it; elsewhere the tests skip loudly).
    pub fn installed() -> bool {
        std::path::Path::new(NGINX).exists()
    }

    /// nginx on a free loopback port, in front of `upstreams` (`127.0.0.1:PORT` each), its
    /// configuration, logs and temporary files in `dir`.
    pub async fn start(dir: &Path, upstreams: &[&str]) -> anyhow::Result<Nginx> {
        std::fs::create_dir_all(dir.join("logs"))?;
        let port = free_port()?;
        write_conf(dir, port, upstreams, &[])?;
        let child = Command::new(NGINX)
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(dir.join(CONF))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("无法启动 nginx")?;
        let mut nginx = Nginx {
            base: format!("http://127.0.0.1:{port}"),
            port,
            dir: dir.to_owned(),
            child,
        };
        nginx.wait_until_up().await?;
        Ok(nginx)
    }

    /// `nginx -s SIGNAL` to the running master.
    fn signal(&self, signal: &str) -> bool {
        Command::new(NGINX)
            .arg("-p")
            .arg(&self.dir)
            .arg("-c")
            .arg(self.dir.join(CONF))
            .args(["-s", signal])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Rewrites the upstream with `down` marked down and reloads nginx gracefully: requests in
    /// flight finish on the old workers, new ones go to the servers left.
    pub async fn reload(&self, upstreams: &[&str], down: &[&str]) -> anyhow::Result<()> {
        write_conf(&self.dir, self.port, upstreams, down)?;
        anyhow::ensure!(self.signal("reload"), "nginx -s reload 失败");
        // The old worker closes its listening socket once the new one runs.
        tokio::time::sleep(Duration::from_millis(300)).await;
        Ok(())
    }

    async fn wait_until_up(&mut self) -> anyhow::Result<()> {
        let started = Instant::now();
        loop {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return Ok(());
            }
            if let Some(status) = self.child.try_wait()? {
                anyhow::bail!("nginx 启动即退出：{status}");
            }
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(20),
                "nginx 20 秒内未开始监听"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// The configuration: `down` servers are kept in the upstream, marked down.
fn write_conf(dir: &Path, port: u16, upstreams: &[&str], down: &[&str]) -> std::io::Result<()> {
    let servers: String = upstreams
        .iter()
        .map(|u| {
            let mark = if down.contains(u) { " down" } else { "" };
            format!("        server {u}{mark};\n")
        })
        .collect();
    let prefix = dir.display();
    let user = if is_root() { "user root;\n" } else { "" };
    let conf = format!(
        "{user}daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\n\
             error_log {prefix}/logs/error.log warn;\n\
             worker_rlimit_nofile 20000;\n\
             events {{ worker_connections 9000; }}\n\
             http {{\n\
             access_log off;\n\
             client_body_temp_path {prefix}/body;\n\
             proxy_temp_path {prefix}/proxy;\n\
             client_max_body_size 60m;\n\
             upstream linkong {{\n{servers}        keepalive 64;\n    }}\n\
             server {{\n\
                 listen 127.0.0.1:{port};\n\
                 location / {{\n\
                     proxy_pass http://linkong;\n\
                     proxy_http_version 1.1;\n\
                     proxy_set_header Connection \"\";\n\
                     proxy_set_header Host $http_host;\n\
                     proxy_set_header X-Real-IP $remote_addr;\n\
                     proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n\
                     proxy_read_timeout 300s;\n\
                     add_header X-Upstream $upstream_addr always;\n\
                 }}\n\
             }}\n\
             }}\n",
    );
    std::fs::write(dir.join(CONF), conf)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // A fast shutdown takes the workers with the master; SIGKILL would orphan them.
        if !self.signal("stop") {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}
