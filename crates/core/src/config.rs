//! Settings of one installation. Read by the binary from `maillage.toml`
//! (or `--config FILE`), then `MAILLAGE_*` environment variables, then
//! command-line flags; see the README's configuration reference.

use std::{net::SocketAddr, path::PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Folder for the SQLite file, the mail outbox and uploads.
    pub data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL instead of SQLite.
    pub database_url: Option<String>,
    /// Public address of the site, for links in emails (default: from `addr`).
    pub base_url: Option<String>,
    /// `smtps://user:password@host:465` (TLS), `smtp://…:587?tls=required`
    /// (STARTTLS), or plain `smtp://host:25` for a relay on the same machine.
    /// Unset: mails are written to the outbox folder and logged.
    pub smtp_url: Option<String>,
    /// Sender of the platform's emails.
    pub mail_from: String,
    /// `text` (default) or `json` logs.
    pub log_format: String,
    /// Trust `X-Forwarded-For` / `X-Forwarded-Proto` from a reverse proxy.
    pub behind_proxy: bool,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Bodies of file uploads (agents lists, photos).
    pub max_upload_bytes: usize,
    /// Seconds before a request is abandoned with a 503 page.
    pub request_timeout_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            base_url: None,
            smtp_url: None,
            mail_from: "Maillage <ne-pas-repondre@maillage.localhost>".into(),
            log_format: "text".into(),
            behind_proxy: false,
            max_body_bytes: 2 * 1024 * 1024,
            max_upload_bytes: 20 * 1024 * 1024,
            request_timeout_secs: 30,
        }
    }
}

impl Settings {
    /// The public base URL, without trailing slash.
    pub fn public_url(&self) -> String {
        match &self.base_url {
            Some(u) => u.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.addr),
        }
    }

    /// Cookies get `Secure` when the site is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url().starts_with("https://")
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }
}
