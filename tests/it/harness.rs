//! The test application: a migrated database of its own, the router, the
//! operations' context, the mail outbox, and helpers to act as a browser.

use std::{
    path::{Path, PathBuf},
    str::FromStr,
};

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode, header},
};
use http_body_util::BodyExt;
use maillage_core::{Ctx, config::Settings};
use maillage_db::Db;
use tower::ServiceExt;

pub const PASSWORD: &str = "une phrase de passe pour les tests";

/// A folder removed when the test ends.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        let p = std::env::temp_dir().join(format!("maillage-test-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The PostgreSQL server to test against, if any. With
/// `MAILLAGE_TEST_REQUIRE_POSTGRES=1` a missing one is a failure, not a
/// silent fallback to SQLite.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("MAILLAGE_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() && std::env::var("MAILLAGE_TEST_REQUIRE_POSTGRES").as_deref() == Ok("1") {
        panic!("MAILLAGE_TEST_REQUIRE_POSTGRES=1 mais MAILLAGE_TEST_DATABASE_URL n'est pas défini");
    }
    url
}

/// A fresh, migrated database: a new PostgreSQL database (kept, named
/// `maillage_test_…`, so CI can check the suite ran there) or a SQLite file.
pub async fn fresh_db(dir: &Path) -> Db {
    let db = match postgres_url() {
        Some(url) => {
            use sqlx::{Connection, Executor};
            let name = format!("maillage_test_{}", uuid::Uuid::now_v7().simple());
            let mut admin = sqlx::PgConnection::connect(&url).await.expect("connexion à PostgreSQL");
            admin
                .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .await
                .expect("CREATE DATABASE");
            admin.close().await.ok();
            let opts = sqlx::postgres::PgConnectOptions::from_str(&url)
                .expect("url")
                .database(&name);
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(8)
                .connect_with(opts)
                .await
                .expect("pool");
            Db::Postgres(pool)
        }
        None => Db::open_sqlite_dir(dir).await.expect("sqlite"),
    };
    maillage_db::migrate::run(&db).await.expect("migrations");
    db
}

pub struct TestApp {
    pub router: Router,
    pub ctx: Ctx,
    /// Kept alive for the test's duration: the folder is removed on drop.
    _dir: TempDir,
}

pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Res {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    /// The value of a cookie set by this response.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    }
    /// The body with HTML entities undone, for checking messages.
    pub fn text(&self) -> String {
        self.body
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&#34;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("JSON invalide ({e}) : {}", self.body))
    }
}

/// A browser: the cookies it holds.
#[derive(Clone, Default)]
pub struct Browser {
    pub cookies: Vec<(String, String)>,
}

impl Browser {
    fn header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
    fn absorb(&mut self, res: &Res) {
        for v in res
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
        {
            let Some((k, val)) = v.split(';').next().and_then(|kv| kv.split_once('=')) else {
                continue;
            };
            self.cookies.retain(|(n, _)| n != k);
            if !val.is_empty() && !v.contains("Max-Age=0") {
                self.cookies.push((k.to_owned(), val.to_owned()));
            }
        }
    }
}

pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_settings(|_| {}).await
    }

    /// A fresh app whose settings `adjust` changes (SMTP, limits…).
    pub async fn with_settings(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let dir = TempDir::new();
        let db = fresh_db(&dir.0).await;
        let mut settings = Settings {
            data_dir: dir.0.clone(),
            ..Settings::default()
        };
        adjust(&mut settings);
        let ctx = Ctx::new(db, settings).await.expect("ctx");
        let state = maillage_web::AppState::new(ctx.clone()).await.expect("state");
        TestApp {
            router: maillage_web::router(state),
            ctx,
            _dir: dir,
        }
    }

    /// With the demo network (and its 5 role accounts, whose passwords are
    /// then reset to `PASSWORD`).
    pub async fn with_demo() -> TestApp {
        let app = TestApp::new().await;
        let accounts = maillage_core::demo::seed(&app.ctx)
            .await
            .expect("seed")
            .expect("empty db");
        let hash = maillage_core::security::hash_password(PASSWORD.into()).await.unwrap();
        let mut tx = app.ctx.db.begin().await.unwrap();
        for a in accounts {
            let u = maillage_db::users::by_email(tx.ex(), &a.email).await.unwrap().unwrap();
            maillage_db::users::set_password(tx.ex(), u.id, &hash).await.unwrap();
        }
        tx.commit().await.unwrap();
        app
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        browser: Option<&Browser>,
        body: Option<String>,
        extra: &[(&str, &str)],
    ) -> Res {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(b) = browser
            && !b.cookies.is_empty()
        {
            req = req.header(header::COOKIE, b.header());
        }
        if body.is_some() {
            req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        let req = req.body(body.map(Body::from).unwrap_or_else(Body::empty)).unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Res {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, browser: Option<&Browser>) -> Res {
        self.request(Method::GET, path, browser, None, &[]).await
    }

    /// GET with the browser, keeping the cookies the response sets.
    pub async fn visit(&self, path: &str, browser: &mut Browser) -> Res {
        let res = self.get(path, Some(browser)).await;
        browser.absorb(&res);
        res
    }

    /// POST a form as the browser would, keeping the cookies set.
    pub async fn submit(&self, path: &str, browser: &mut Browser, pairs: &[(&str, &str)]) -> Res {
        let res = self
            .request(Method::POST, path, Some(browser), Some(form(pairs)), &[])
            .await;
        browser.absorb(&res);
        res
    }

    pub async fn api(&self, path: &str, token: Option<&str>) -> Res {
        let auth = token.map(|t| format!("Bearer {t}"));
        let extra: Vec<(&str, &str)> = auth.as_deref().map(|a| vec![("authorization", a)]).unwrap_or_default();
        self.request(Method::GET, path, None, None, &extra).await
    }

    /// Logs in through the form; panics if it fails.
    pub async fn login(&self, email: &str, password: &str) -> Browser {
        let mut b = Browser::default();
        let res = self
            .submit(
                "/connexion",
                &mut b,
                &[("email", email), ("password", password), ("retour", "/")],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "connexion de {email} refusée : {}",
            res.body
        );
        b
    }

    /// Creates an account with a role (as `maillage admin create-user` does).
    pub async fn user(&self, email: &str, role: &str, siren: Option<&str>) -> uuid::Uuid {
        maillage_core::accounts::create_user(&self.ctx, email, "Personne Test", role, siren, PASSWORD)
            .await
            .unwrap_or_else(|e| panic!("create_user {email}: {e:?}"))
    }

    /// Runs the queued jobs and returns the mails delivered to the outbox.
    pub async fn mails(&self) -> Vec<String> {
        maillage_core::jobs::run_pending(&self.ctx).await.expect("jobs");
        let dir = self.ctx.settings.outbox_dir();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .map(|p| decode_mail(&std::fs::read_to_string(p).unwrap()))
            .collect()
    }
}

/// Undoes the quoted-printable soft line breaks and `=XX` escapes of a mail
/// body so tests can search its text and links.
pub fn decode_mail(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The first link in `text` starting with `prefix`, as a local path.
pub fn link(text: &str, prefix: &str) -> String {
    let start = text
        .find(prefix)
        .unwrap_or_else(|| panic!("pas de lien {prefix} dans :\n{text}"));
    let rest = &text[start..];
    let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    let url = &rest[..end];
    url.split_once("://")
        .map(|(_, r)| &r[r.find('/').unwrap_or(0)..])
        .unwrap_or(url)
        .to_owned()
}

/// SIRENs of demo members used by tests.
pub const ALES: &str = "200066918";
pub const GRAND_EST: &str = "200052264";
