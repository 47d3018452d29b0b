//! Command line and configuration: `maillage.toml` (or `--config FILE`), then
//! `MAILLAGE_*` environment variables (and `DATABASE_URL`), then flags.

use std::{io::Read, net::SocketAddr, path::PathBuf, process::ExitCode};

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
    /// Import data from files.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Build balanced project groups from a spreadsheet (CSV): prints the
    /// groups and the report. Needs no database nor configuration.
    Casting(CastingArgs),
    /// Synthetic data for benchmarks (not for a real installation).
    #[command(hide = true)]
    BenchData {
        #[command(subcommand)]
        command: BenchDataCommand,
    },
}

#[derive(Args)]
struct CastingArgs {
    /// The promotion: CSV with the columns
    /// id;age;genre;anciennete;temperament;organisation;manager_id;voeux
    /// (and optionally nom;prenom); empty cells allowed but for id.
    file: PathBuf,
    /// Number of groups.
    #[arg(long, visible_alias = "groupes")]
    groups: usize,
    /// Same file, options and seed: same groups.
    #[arg(long, visible_alias = "graine", default_value_t = 1)]
    seed: u64,
    /// Output: « texte » (French, for reading) or « json ».
    #[arg(long, value_enum, default_value_t = CastingFormat::Texte)]
    format: CastingFormat,
    /// Smallest group (default: the even split, sizes differing by at most 1).
    #[arg(long = "taille-min")]
    min_size: Option<usize>,
    /// Largest group (default: the even split).
    #[arg(long = "taille-max")]
    max_size: Option<usize>,
    /// The project of each group, in order, separated by commas: people's
    /// wishes (column voeux) are then taken into account.
    #[arg(long = "projets", value_delimiter = ',')]
    projects: Vec<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CastingFormat {
    Texte,
    Json,
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import an organisation's agents file (CSV from its HR software) into
    /// the directory: all lines or none. A re-import updates the people
    /// found by email.
    Agents {
        /// The CSV file (UTF-8, Windows-1252, ISO-8859-15 or UTF-16; `;`, `,` or tab).
        file: PathBuf,
        /// SIREN of the organisation the agents belong to.
        #[arg(long)]
        organisation: String,
        /// Email each person created an invitation to claim their profile.
        #[arg(long)]
        invite: bool,
        /// Show what the import would do, write nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[derive(Subcommand)]
enum BenchDataCommand {
    /// Load synthetic directory profiles, their organisations and themes,
    /// and accounts to search as (password: MAILLAGE_PASSWORD or generated).
    Annuaire {
        /// Number of profiles to add.
        #[arg(long, default_value_t = 250_000)]
        profiles: usize,
        /// Same seed, same people.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// The casting of project groups: quality against the exact optimum
    /// (small promotions) and an upper bound (large ones), and time for 40
    /// people into 6 groups and 200 into 40. Prints Markdown tables.
    Casting {
        /// Seed of the synthetic promotions.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Small promotions per shape compared with the exact optimum.
        #[arg(long, default_value_t = 10)]
        small: usize,
        /// Large promotions per shape compared with the bound.
        #[arg(long, default_value_t = 5)]
        large: usize,
        /// Timed runs per shape (the median is printed).
        #[arg(long, default_value_t = 7)]
        runs: usize,
    },
    /// The enrolment rush: N people enrol at the same moment in a session
    /// of S seats; prints the time and checks nobody is overbooked.
    Inscriptions {
        /// Simultaneous enrolment requests.
        #[arg(long, default_value_t = 1000)]
        demandes: usize,
        /// Seats in the session.
        #[arg(long, default_value_t = 100)]
        places: i64,
        #[command(flatten)]
        storage: StorageArgs,
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

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve { addr, demo, storage } => {
            let s = settings(cli.config.as_ref(), &storage, addr)?;
            init_logs(&s.log_format);
            crate::serve::serve(s, demo).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate { storage } => {
            let s = settings(cli.config.as_ref(), &storage, None)?;
            init_logs(&s.log_format);
            let db = open_db(&s).await?;
            db.close().await;
            println!("Base de données à jour.");
            Ok(ExitCode::SUCCESS)
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
                    Ok(ExitCode::SUCCESS)
                }
                Err(CoreError::Invalid(f)) => {
                    let lines: Vec<String> = f.0.iter().map(|(_, m)| format!("- {m}")).collect();
                    anyhow::bail!("le compte n'a pas été créé :\n{}", lines.join("\n"))
                }
                Err(e) => Err(anyhow::anyhow!("le compte n'a pas été créé : {e}")),
            }
        }
        Command::Import {
            command:
                ImportCommand::Agents {
                    file,
                    organisation,
                    invite,
                    dry_run,
                    storage,
                },
        } => {
            let s = settings(cli.config.as_ref(), &storage, None)?;
            init_logs(&s.log_format);
            import_agents(s, &file, &organisation, invite, dry_run).await
        }
        Command::BenchData {
            command:
                BenchDataCommand::Annuaire {
                    profiles,
                    seed,
                    storage,
                },
        } => {
            let s = settings(cli.config.as_ref(), &storage, None)?;
            init_logs(&s.log_format);
            bench_data(s, profiles, seed).await?;
            Ok(ExitCode::SUCCESS)
        }
        // No settings, no logs, no database: a pure computation on a file.
        Command::Casting(args) => Ok(casting(&args)),
        Command::BenchData {
            command:
                BenchDataCommand::Casting {
                    seed,
                    small,
                    large,
                    runs,
                },
        } => {
            let config = maillage_core::casting::bench::Config {
                seed,
                small_instances: small,
                large_instances: large,
                timing_runs: runs,
            };
            print!("{}", maillage_core::casting::bench::run(&config).to_markdown());
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchData {
            command:
                BenchDataCommand::Inscriptions {
                    demandes,
                    places,
                    storage,
                },
        } => {
            let s = settings(cli.config.as_ref(), &storage, None)?;
            init_logs(&s.log_format);
            enrolment_rush(s, demandes, places).await
        }
    }
}

/// `maillage import agents`: prints the detected encoding, every line's
/// problem (standard error), then what was (or would be) done. Exit status 1
/// when nothing could be imported.
async fn import_agents(
    s: Settings,
    file: &std::path::Path,
    siren: &str,
    invite: bool,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => anyhow::anyhow!("fichier introuvable : {}", file.display()),
        std::io::ErrorKind::PermissionDenied => {
            anyhow::anyhow!("lecture du fichier {} refusée (droits insuffisants)", file.display())
        }
        _ => anyhow::anyhow!("lecture du fichier {} impossible : {e}", file.display()),
    })?;
    let addr = s.addr;
    let db = open_db(&s).await?;
    let ctx = Ctx::new(db.clone(), s).await?;
    let outcome = maillage_core::directory::import::from_cli(&ctx, siren, &bytes, invite, dry_run).await;
    db.close().await;
    let outcome = match outcome {
        Ok(o) => o,
        Err(CoreError::Invalid(f)) => {
            for (_, m) in &f.0 {
                eprintln!("{m}");
            }
            eprintln!("Rien n'a été importé.");
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(anyhow::anyhow!("l'import a échoué : {e}")),
    };
    println!("Encodage détecté : {}", outcome.encoding);
    for p in &outcome.problems {
        eprintln!("{p}");
    }
    if !outcome.problems.is_empty() {
        let n = outcome.problems.len();
        let verb = if dry_run {
            "ne serait importé"
        } else {
            "n'a été importé"
        };
        eprintln!("Rien {verb} : {n} problème{}.", plural(n));
        return Ok(ExitCode::FAILURE);
    }
    let c = &outcome.counts;
    if c.created + c.updated + c.unchanged == 0 {
        eprintln!("Le fichier ne contient aucune ligne à importer.");
        return Ok(ExitCode::FAILURE);
    }
    let (created, updated, unchanged) = (
        format!("{} fiche{} créée{}", c.created, plural(c.created), plural(c.created)),
        format!("{} mise{} à jour", c.updated, plural(c.updated)),
        format!("{} inchangée{}", c.unchanged, plural(c.unchanged)),
    );
    if !outcome.written {
        println!("Simulation (--dry-run) : rien n'a été écrit.");
        let mut line = format!("Résultat attendu : {created}, {updated}, {unchanged}");
        if invite {
            let n = c.created;
            line.push_str(&format!(", {n} invitation{} à envoyer", plural(n)));
        }
        println!("{line}.");
        return Ok(ExitCode::SUCCESS);
    }
    let mut line = format!("{created}, {updated}, {unchanged}");
    let listening = invite && c.invited > 0 && server_listening(addr);
    if invite {
        let n = c.invited;
        if listening || n == 0 {
            line.push_str(&format!(", {n} invitation{} envoyée{}", plural(n), plural(n)));
        } else {
            line.push_str(&format!(", {n} invitation{} en attente d'envoi", plural(n)));
        }
    }
    println!("{line}.");
    if invite && c.invited > 0 && !listening {
        println!(
            "Le serveur ne semble pas démarré (rien n'écoute sur {addr}) : les invitations partiront au \
             prochain démarrage du serveur."
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n > 1 { "s" } else { "" }
}

/// Whether something answers on the server's address: `maillage serve`
/// sends queued mail within seconds; otherwise it waits for the next start.
fn server_listening(addr: SocketAddr) -> bool {
    let mut target = addr;
    if target.ip().is_unspecified() {
        target.set_ip(match addr {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    std::net::TcpStream::connect_timeout(&target, std::time::Duration::from_millis(300)).is_ok()
}

/// `maillage casting`: reads the file, builds the groups, prints them with
/// the report (standard output) and the reader's warnings (standard error).
/// Exit status 2, with the French reasons on standard error, for a bad file
/// or a casting that cannot respect the hard rules.
fn casting(args: &CastingArgs) -> ExitCode {
    use maillage_core::casting::{self, Document, Params, spreadsheet};
    let refuse = |message: String| {
        eprintln!("{message}");
        ExitCode::from(2)
    };
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            let path = args.file.display();
            return refuse(match e.kind() {
                std::io::ErrorKind::NotFound => format!("Fichier introuvable : {path}"),
                std::io::ErrorKind::PermissionDenied => {
                    format!("Lecture du fichier {path} refusée (droits insuffisants).")
                }
                _ => format!("Lecture du fichier {path} impossible : {e}"),
            });
        }
    };
    let sheet = match spreadsheet::read(&bytes) {
        Ok(s) => s,
        Err(e) => {
            let n = e.problems.len();
            return refuse(format!(
                "{e}\nLe fichier n'a pas été lu : {n} problème{} à corriger.",
                plural(n)
            ));
        }
    };
    for w in &sheet.warnings {
        eprintln!("Attention : {w}");
    }
    let mut params = Params::new(args.groups);
    params.seed = args.seed;
    params.min_size = args.min_size;
    params.max_size = args.max_size;
    params.projects = args.projects.iter().map(|p| p.trim().to_owned()).collect();
    let solution = match casting::solve(&sheet.people, &params) {
        Ok(s) => s,
        Err(e) => return refuse(format!("Casting impossible :\n{e}")),
    };
    match args.format {
        CastingFormat::Json => {
            let doc = Document::new(&sheet.people, &solution, args.seed, sheet.encoding, &sheet.warnings);
            println!("{}", doc.to_json());
        }
        CastingFormat::Texte => {
            println!(
                "Casting de {} (encodage {}, graine {}).",
                args.file.display(),
                sheet.encoding,
                args.seed
            );
            print!("{}", solution.report.to_text());
        }
    }
    ExitCode::SUCCESS
}

/// `maillage bench-data inscriptions` (hidden): the enrolment rush.
async fn enrolment_rush(s: Settings, requests: usize, seats: i64) -> anyhow::Result<ExitCode> {
    let db = open_db(&s).await?;
    let backend = format!("{:?}", db.backend());
    let ctx = Ctx::new(db.clone(), s).await?;
    let report = maillage_core::rush::run(&ctx, requests, seats).await;
    db.close().await;
    let r = report.map_err(|e| anyhow::anyhow!("banc d'essai interrompu : {e}"))?;
    let secs = r.elapsed.as_secs_f64();
    println!(
        "{backend} : {} demandes simultanées pour {} places en {:.3} s ({:.0} demandes/s) — {} inscrites, \
         {} en liste d'attente{}, {} erreurs, {} lignes en base.",
        r.requests,
        r.seats,
        secs,
        r.requests as f64 / secs.max(0.000_001),
        r.enrolled,
        r.waiting,
        if r.waitlist_in_order {
            " dans l'ordre d'arrivée (rangs 1 à N sans trou)"
        } else {
            " — ORDRE ROMPU"
        },
        r.errors,
        r.rows
    );
    let expected_enrolled = (r.seats.max(0) as usize).min(r.requests);
    let ok = r.enrolled == expected_enrolled
        && r.waiting == r.requests - expected_enrolled
        && r.errors == 0
        && r.waitlist_in_order
        && r.rows == r.requests as i64;
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `maillage bench-data annuaire` (hidden): synthetic profiles for the
/// directory benchmark, and accounts to search as.
async fn bench_data(s: Settings, profiles: usize, seed: u64) -> anyhow::Result<()> {
    let given = std::env::var("MAILLAGE_PASSWORD").ok();
    let password = given.clone().unwrap_or_else(maillage_core::security::random_token);
    let db = open_db(&s).await?;
    let ctx = Ctx::new(db.clone(), s).await?;
    let outcome = async {
        let report = maillage_core::directory::generate::profiles(&ctx, profiles, seed).await?;
        let accounts = maillage_core::directory::generate::accounts(&ctx, &report.home_siren, &password).await?;
        Ok::<_, CoreError>((report, accounts))
    }
    .await;
    db.close().await;
    let (report, accounts) = match outcome {
        Ok(r) => r,
        Err(CoreError::Invalid(f)) => {
            let lines: Vec<String> = f.0.iter().map(|(_, m)| format!("- {m}")).collect();
            anyhow::bail!("génération interrompue :\n{}", lines.join("\n"))
        }
        Err(e) => anyhow::bail!("génération interrompue : {e}"),
    };
    let secs = report.elapsed.as_secs_f64();
    println!(
        "{} fiches générées en {secs:.1} s ({:.0} fiches/s), réparties sur {} organisations ({} ajoutées), \
         {} thématiques ajoutées.",
        report.profiles,
        report.profiles as f64 / secs.max(0.001),
        report.organisations,
        report.organisations_created,
        report.themes_created
    );
    println!("Comptes pour chercher (organisation {}) :", report.home_siren);
    for a in &accounts {
        let note = if a.created {
            ""
        } else {
            " (existait déjà, mot de passe inchangé)"
        };
        println!("  {} {}{note}", a.kind, a.email);
    }
    if given.is_none() && accounts.iter().any(|a| a.created) {
        println!("Mot de passe : {password}");
    }
    Ok(())
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
