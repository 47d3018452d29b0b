//! Mail delivery through a real SMTP server (aiosmtpd from PyPI, on
//! loopback), and retries when the server is down. CI installs aiosmtpd and
//! sets `MAILLAGE_TEST_REQUIRE_SMTP=1`; elsewhere the SMTP test says it did
//! not run rather than pretending.

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::Duration,
};

use crate::harness::{TempDir, TestApp, decode_mail, link};

struct SmtpSink {
    child: Child,
    port: u16,
    maildir: TempDir,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts aiosmtpd storing mail in a Maildir; `None` if it is not installed.
fn smtp_sink() -> Option<SmtpSink> {
    let available = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        assert!(
            std::env::var("MAILLAGE_TEST_REQUIRE_SMTP").as_deref() != Ok("1"),
            "MAILLAGE_TEST_REQUIRE_SMTP=1 mais aiosmtpd n'est pas installé (pip install aiosmtpd)"
        );
        eprintln!("aiosmtpd absent (pip install aiosmtpd) : test SMTP non exécuté");
        return None;
    }
    let maildir = TempDir::new();
    let port = free_port();
    let child = Command::new("python3")
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
        ])
        .arg(maildir.0.join("Maildir"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("aiosmtpd");
    // The guard kills and reaps the server on every path, panics included.
    let sink = SmtpSink { child, port, maildir };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(sink);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("aiosmtpd n'a pas démarré sur le port {port}");
}

fn delivered(sink: &SmtpSink) -> Vec<String> {
    let dir = sink.maildir.0.join("Maildir").join("new");
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| decode_mail(&std::fs::read_to_string(e.path()).unwrap()))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_reset_link_is_delivered_through_smtp() {
    let Some(sink) = smtp_sink() else { return };
    let app = TestApp::with_settings(|s| s.smtp_url = Some(format!("smtp://127.0.0.1:{}", sink.port))).await;
    app.user("camille@ville.fr", "coordinator", None).await;
    maillage_core::accounts::request_password_reset(&app.ctx, "camille@ville.fr")
        .await
        .unwrap();
    assert_eq!(maillage_core::jobs::run_pending(&app.ctx).await.unwrap(), 1);
    let mails = delivered(&sink);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].contains("To: camille@ville.fr"));
    assert!(
        mails[0].contains("Subject: =?utf-8?") || mails[0].contains("Réinitialisation"),
        "{}",
        mails[0]
    );
    let path = link(&mails[0], "http://");
    assert!(path.starts_with("/mot-de-passe/nouveau?jeton="));
    // Nothing went to the outbox folder: SMTP was used.
    assert!(!app.ctx.settings.outbox_dir().exists());
}

/// With the SMTP server down, the mail is not lost: the job stays pending with
/// its error and is retried later.
#[tokio::test]
async fn mail_is_kept_and_retried_when_smtp_is_down() {
    let port = free_port(); // nothing listens there
    let app = TestApp::with_settings(|s| s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    app.user("camille@ville.fr", "coordinator", None).await;
    maillage_core::accounts::request_password_reset(&app.ctx, "camille@ville.fr")
        .await
        .unwrap();
    assert_eq!(maillage_core::jobs::run_pending(&app.ctx).await.unwrap(), 0);
    let mut c = app.ctx.db.conn().await.unwrap();
    assert_eq!(maillage_db::jobs::count_pending(c.ex()).await.unwrap(), 1);
    let (attempts, error): (i32, Option<String>) = c
        .ex()
        .fetch_one(maillage_db::query("SELECT attempts, last_error FROM jobs"))
        .await
        .unwrap();
    assert_eq!(attempts, 1);
    assert!(error.is_some_and(|e| !e.is_empty()));
}
