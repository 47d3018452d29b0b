//! Outgoing mail. Operations never send directly: they enqueue a `mail` job
//! in their own transaction ([`enqueue`]), and the job worker delivers it
//! through SMTP when configured, or else writes it to the outbox folder and
//! logs it. A mail is never silently dropped: delivery failures are retried
//! and stay visible in the `jobs` table.

use std::path::PathBuf;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Mailbox, SinglePart,
        header::{ContentTransferEncoding, ContentType},
    },
};
use maillage_db::{Ex, jobs};
use serde::{Deserialize, Serialize};

use crate::config::Settings;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    /// Plain text body (French).
    pub body: String,
}

pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Outbox {
        dir: PathBuf,
        from: Mailbox,
    },
}

impl Mailer {
    pub fn from_settings(s: &Settings) -> anyhow::Result<Mailer> {
        let from: Mailbox = s
            .mail_from
            .parse()
            .map_err(|e| anyhow::anyhow!("mail_from invalide ({}) : {e}", s.mail_from))?;
        Ok(match &s.smtp_url {
            Some(url) if !url.trim().is_empty() => Mailer::Smtp {
                transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url.trim())
                    .map_err(|e| anyhow::anyhow!("smtp_url invalide : {e}"))?
                    .build(),
                from,
            },
            _ => Mailer::Outbox {
                dir: s.outbox_dir(),
                from,
            },
        })
    }

    pub async fn deliver(&self, mail: &Mail) -> anyhow::Result<()> {
        let from = match self {
            Mailer::Smtp { from, .. } | Mailer::Outbox { from, .. } => from.clone(),
        };
        let message = Message::builder()
            .from(from)
            .to(mail.to.parse()?)
            .subject(&mail.subject)
            // Quoted-printable always (lettre would pick base64 for some
            // texts): readable in the outbox, and links stay greppable.
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(ContentTransferEncoding::QuotedPrintable)
                    .body(mail.body.clone()),
            )?;
        match self {
            Mailer::Smtp { transport, .. } => {
                transport.send(message).await?;
                tracing::info!(to = %mail.to, subject = %mail.subject, "courriel envoyé");
            }
            Mailer::Outbox { dir, .. } => {
                tokio::fs::create_dir_all(dir).await?;
                let name = format!(
                    "{}-{}.eml",
                    time::OffsetDateTime::now_utc().unix_timestamp_nanos(),
                    uuid::Uuid::now_v7()
                );
                let path = dir.join(name);
                tokio::fs::write(&path, message.formatted()).await?;
                tracing::info!(
                    to = %mail.to, subject = %mail.subject, path = %path.display(),
                    "pas de serveur SMTP configuré : courriel écrit dans la boîte d'envoi"
                );
            }
        }
        Ok(())
    }
}

/// Enqueues a mail in the caller's transaction.
pub async fn enqueue(ex: Ex<'_>, mail: &Mail, dedup_key: Option<&str>) -> anyhow::Result<()> {
    let payload = serde_json::to_string(mail)?;
    jobs::enqueue(ex, "mail", &payload, dedup_key, maillage_db::now()).await?;
    Ok(())
}
