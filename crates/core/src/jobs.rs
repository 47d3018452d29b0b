//! The job worker: claims due jobs and runs them. `serve` runs it in the
//! background; tests call [`run_pending`] to run queued jobs on demand.

use std::time::Duration as StdDuration;

use maillage_db::jobs::{self, JobRow};
use time::Duration;

use crate::{Ctx, mail::Mail};

const LEASE: Duration = Duration::minutes(5);
const MAX_ATTEMPTS: i32 = 10;

/// Runs every due job; returns how many ran successfully.
pub async fn run_pending(ctx: &Ctx) -> anyhow::Result<usize> {
    let mut done = 0;
    loop {
        let job = {
            let mut tx = ctx.db.begin().await?;
            let job = jobs::claim(tx.ex(), maillage_db::now(), LEASE).await?;
            tx.commit_bookkeeping().await?;
            job
        };
        let Some(job) = job else { return Ok(done) };
        let outcome = run(ctx, &job).await;
        let mut tx = ctx.db.begin().await?;
        match outcome {
            Ok(()) => {
                jobs::complete(tx.ex(), job.id, maillage_db::now()).await?;
                done += 1;
            }
            Err(e) => {
                // Back off exponentially; after MAX_ATTEMPTS the job waits a
                // day between tries and stays visible as failing.
                let wait = if job.attempts >= MAX_ATTEMPTS {
                    Duration::days(1)
                } else {
                    Duration::seconds(2i64.pow(job.attempts.clamp(0, 16) as u32) * 5)
                };
                tracing::warn!(job = %job.id, kind = %job.kind, attempts = job.attempts, error = %e, "tâche en échec, nouvel essai plus tard");
                jobs::fail(tx.ex(), job.id, &e.to_string(), maillage_db::now() + wait).await?;
            }
        }
        tx.commit_bookkeeping().await?;
    }
}

async fn run(ctx: &Ctx, job: &JobRow) -> anyhow::Result<()> {
    match job.kind.as_str() {
        "mail" => {
            let mail: Mail = serde_json::from_str(&job.payload)?;
            ctx.mailer.deliver(&mail).await
        }
        other => anyhow::bail!("type de tâche inconnu : {other}"),
    }
}

/// Deletes what must not be kept: expired sessions, failed-login records
/// past the throttling window (the privacy page promises 15 minutes), links
/// expired or used more than a day ago, jobs done more than 30 days ago.
/// Returns the number of rows deleted.
pub async fn prune(ctx: &Ctx) -> anyhow::Result<u64> {
    use maillage_db::{login_failures, one_time_tokens, sessions};
    let now = maillage_db::now();
    let mut tx = ctx.db.begin().await?;
    let mut n = sessions::delete_expired(tx.ex(), now).await?;
    n += login_failures::delete_before(tx.ex(), now - crate::throttle::WINDOW).await?;
    n += one_time_tokens::delete_stale(tx.ex(), now - Duration::days(1)).await?;
    n += jobs::delete_done_before(tx.ex(), now - Duration::days(30)).await?;
    // Uploaded agents files not validated within a day (they hold personal data).
    n += maillage_db::profiles::prune_imports(tx.ex(), now - Duration::days(1)).await?;
    tx.commit_bookkeeping().await?;
    Ok(n)
}

/// Polls for jobs until `shutdown` resolves; prunes old data every minute.
pub async fn worker(ctx: Ctx, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    let mut last_prune: Option<std::time::Instant> = None;
    loop {
        if let Err(e) = run_pending(&ctx).await {
            tracing::error!(error = %e, "le traitement des tâches a échoué");
        }
        if last_prune.is_none_or(|t| t.elapsed() >= StdDuration::from_secs(60)) {
            match prune(&ctx).await {
                Ok(n) if n > 0 => tracing::debug!(deleted = n, "données expirées supprimées"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "la suppression des données expirées a échoué"),
            }
            // Reminders two days before a session (idempotent).
            if let Err(e) = crate::agenda::send_reminders(&ctx).await {
                tracing::error!(error = %e, "l'envoi des rappels de session a échoué");
            }
            // Questionnaires opening today: their invitations go out once.
            if let Err(e) = crate::evaluations::send_due(&ctx).await {
                tracing::error!(error = %e, "l'envoi des questionnaires d'évaluation a échoué");
            }
            last_prune = Some(std::time::Instant::now());
        }
        tokio::select! {
            _ = tokio::time::sleep(StdDuration::from_secs(2)) => {}
            _ = shutdown.changed() => return,
        }
    }
}
