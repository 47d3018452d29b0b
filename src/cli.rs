//! Command line and configuration: `maillage.toml` (or `--config FILE`), then
//! `MAILLAGE_*` environment variables (and `DATABASE_URL`), then flags.

use std::{io::Read, net::SocketAddr, path::PathBuf};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use maillage_core::{CoreError, Ctx, config::Settings};
use maillage_db::Db;

#[derive(Parser)]
#[command(
    name = "maillage",
    version,
    about = "Maillage : la plateforme d'un réseau d'écoles de management des collectivités"
)]
pub struct Cli {
    /// Configuration file (TOML). Default: ./maillage.toml if it exists.
    #[arg(long, global = true, env = "MAILLAGE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone, Default)]
pub struct StorageArgs {
    /// Folder for the SQLite database, the mail outbox and uploads.
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        addr: Option<SocketAddr>,
        /// Seed the demo network into an empty database and print the demo accounts.
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Apply database migrations, then exit.
    Migrate {
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Administration tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an account with a role. The password is read from standard
    /// input or MAILLAGE_PASSWORD: it never appears on the command line.
    CreateUser {
        #[arg(long)]
        email: String,
        /// First and last name.
        #[arg(long)]
        name: String,
        /// coordinator, org-admin, hr, trainer or member.
        #[arg(long)]
        role: String,
        /// SIREN of the organisation (required for every role but coordinator).
        #[arg(long)]
        organisation: Option<String>,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

/// Layered settings: defaults < file < environment < flags.
fn settings(cli_config: Option<&PathBuf>, storage: &StorageArgs, addr: Option<SocketAddr>) -> anyhow::Result<Settings> {
    let mut fig = Figment::from(Serialized::defaults(SettingsDefaults::default()));
    match cli_config {
        Some(path) => {
            anyhow::ensure!(
                path.exists(),
                "fichier de configuration introuvable : {}",
                path.display()
            );
            fig = fig.merge(Toml::file(path));
        }
        None => fig = fig.merge(Toml::file("maillage.toml")),
    }
    fig = fig
        // Only the settings' own keys: other MAILLAGE_* variables (MAILLAGE_LOG,
        // MAILLAGE_PASSWORD, the test suite's) are not configuration.
        .merge(Env::prefixed("MAILLAGE_").only(&[
            "addr",
            "data_dir",
            "base_url",
            "smtp_url",
            "mail_from",
            "log_format",
            "behind_proxy",
            "max_body_bytes",
            "request_timeout_secs",
        ]))
        .merge(Env::raw().only(&["database_url"]));
    if let Some(dir) = &storage.data_dir {
        fig = fig.merge(("data_dir", dir));
    }
    if let Some(addr) = addr {
        fig = fig.merge(("addr", addr.to_string()));
    }
    fig.extract::<Settings>().context("configuration invalide")
}

/// The defaults of `Settings`, serialisable for figment.
#[derive(serde::Serialize)]
struct SettingsDefaults {
    addr: String,
    data_dir: PathBuf,
    mail_from: String,
    log_format: String,
    behind_proxy: bool,
    max_body_bytes: usize,
    request_timeout_secs: u64,
}

impl Default for SettingsDefaults {
    fn default() -> Self {
        let s = Settings::default();
        SettingsDefaults {
            addr: s.addr.to_string(),
            data_dir: s.data_dir,
            mail_from: s.mail_from,
            log_format: s.log_format,
            behind_proxy: s.behind_proxy,
            max_body_bytes: s.max_body_bytes,
            request_timeout_secs: s.request_timeout_secs,
        }
    }
}

fn init_logs(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MAILLAGE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Opens and migrates the database named by the settings.
pub async fn open_db(s: &Settings) -> anyhow::Result<Db> {
    let db = Db::open(s.database_url.as_deref(), &s.data_dir)
        .await
        .with_context(|| match &s.database_url {
            Some(_) => "connexion à PostgreSQL (DATABASE_URL) impossible".to_owned(),
            None => format!("ouverture de la base SQLite dans {} impossible", s.data_dir.display()),
        })?;
    let applied = maillage_db::migrate::run(&db)
        .await
        .context("migration de la base impossible")?;
    if applied > 0 {
        tracing::info!(applied, "migrations appliquées");
    }
    Ok(db)
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { addr, demo, storage } => {
            let s = settings(cli.config.as_ref(), &storage, addr)?;
            init_logs(&s.log_format);
            crate::serve::serve(s, demo).await
        }
        Command::Migrate { storage } => {
            let s = settings(cli.config.as_ref(), &storage, None)?;
            init_logs(&s.log_format);
            let db = open_db(&s).await?;
            db.close().await;
            println!("Base de données à jour.");
            Ok(())
        }
        Command::Admin {
            command:
                AdminCommand::CreateUser {
                    email,
                    name,
                    role,
                    organisation,
                    storage,
                },
        } => {
            let s = settings(cli.config.as_ref(), &storage, None)?;
            init_logs(&s.log_format);
            let password = read_password()?;
            let db = open_db(&s).await?;
            let ctx = Ctx::new(db.clone(), s).await?;
            let outcome =
                maillage_core::accounts::create_user(&ctx, &email, &name, &role, organisation.as_deref(), &password)
                    .await;
            db.close().await;
            match outcome {
                Ok(_) => {
                    println!("Compte créé : {email} ({role}). Connectez-vous sur /connexion.");
                    Ok(())
                }
                Err(CoreError::Invalid(f)) => {
                    let lines: Vec<String> = f.0.iter().map(|(_, m)| format!("- {m}")).collect();
                    anyhow::bail!("le compte n'a pas été créé :\n{}", lines.join("\n"))
                }
                Err(e) => Err(anyhow::anyhow!("le compte n'a pas été créé : {e}")),
            }
        }
    }
}

/// The password from MAILLAGE_PASSWORD, or the first line of standard input.
fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("MAILLAGE_PASSWORD") {
        return Ok(p);
    }
    eprintln!("Mot de passe (lu sur l'entrée standard, au moins 12 caractères) :");
    let mut input = String::new();
    std::io::stdin()
        .take(4096)
        .read_to_string(&mut input)
        .context("lecture du mot de passe impossible")?;
    let line = input.lines().next().unwrap_or_default().to_owned();
    anyhow::ensure!(
        !line.is_empty(),
        "aucun mot de passe reçu : passez-le sur l'entrée standard ou dans MAILLAGE_PASSWORD"
    );
    Ok(line)
}
