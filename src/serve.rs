//! `maillage serve`: the site, the job worker, graceful shutdown.

use std::net::SocketAddr;

use anyhow::Context;
use maillage_core::{Ctx, config::Settings, demo};
use maillage_web::{AppState, router};

pub async fn serve(settings: Settings, seed_demo: bool) -> anyhow::Result<()> {
    let db = crate::cli::open_db(&settings).await?;
    let addr = settings.addr;
    let data_dir = settings.data_dir.clone();
    let ctx = Ctx::new(db.clone(), settings).await?;
    if seed_demo {
        print_demo_accounts(&ctx, &data_dir).await?;
    }
    let state = AppState::new(ctx.clone()).await?;
    let app = router(state);

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(maillage_core::jobs::worker(ctx.clone(), stop_rx));

    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("impossible d'écouter sur {addr} (adresse déjà utilisée ?)"))?;
    let local = listener.local_addr()?;
    println!("Maillage écoute sur http://{local}  (Ctrl-C pour arrêter)");
    tracing::info!(%local, backend = ?db.backend(), "serveur démarré");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    // Requests in flight have completed; stop the worker and close the pools.
    let _ = stop_tx.send(true);
    let _ = worker.await;
    db.close().await;
    tracing::info!("serveur arrêté proprement");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("arrêt demandé : fin des requêtes en cours");
}

/// Seeds the demo (empty database only) and prints its accounts. Passwords
/// are random per installation, kept in DATA_DIR/demo-accounts.txt so later
/// runs can print them again.
async fn print_demo_accounts(ctx: &Ctx, data_dir: &std::path::Path) -> anyhow::Result<()> {
    let file = data_dir.join("demo-accounts.txt");
    let text = match demo::seed(ctx).await? {
        Some(accounts) => {
            let mut t = String::from("Comptes de démonstration (mots de passe générés pour cette installation) :\n");
            for a in &accounts {
                t.push_str(&format!(
                    "  {:<12} {:<28} {}   ({})\n",
                    a.role.as_str(),
                    a.email,
                    a.password,
                    a.organisation
                ));
            }
            std::fs::create_dir_all(data_dir)?;
            write_private(&file, &t)?;
            t
        }
        None => std::fs::read_to_string(&file).unwrap_or_else(|_| {
            "La base contient déjà des données : la démonstration n'a pas été ajoutée.\n".to_owned()
        }),
    };
    println!("{text}");
    Ok(())
}

/// Writes a file only its owner can read, created so from the start (no
/// window where the demo passwords are world-readable).
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(text.as_bytes())
}
