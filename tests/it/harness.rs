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
    /// The body as received (images, files).
    pub bytes: Vec<u8>,
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
    pub fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
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
        let body = body.map(|b| ("application/x-www-form-urlencoded".to_owned(), b.into_bytes()));
        self.request_bytes(method, path, browser, body, extra).await
    }

    /// A request with a body of any type: `(content type, bytes)`.
    pub async fn request_bytes(
        &self,
        method: Method,
        path: &str,
        browser: Option<&Browser>,
        body: Option<(String, Vec<u8>)>,
        extra: &[(&str, &str)],
    ) -> Res {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(b) = browser
            && !b.cookies.is_empty()
        {
            req = req.header(header::COOKIE, b.header());
        }
        if let Some((ct, _)) = &body {
            req = req.header(header::CONTENT_TYPE, ct.as_str());
        }
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        let req = req
            .body(body.map(|(_, b)| Body::from(b)).unwrap_or_else(Body::empty))
            .unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Res {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    /// POST a `multipart/form-data` body (file uploads) as the browser would.
    pub async fn upload(&self, path: &str, browser: &Browser, parts: &[Part<'_>]) -> Res {
        let (ct, body) = multipart(parts);
        self.request_bytes(Method::POST, path, Some(browser), Some((ct, body)), &[])
            .await
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

    /// A person without a password (as the demo's, or an imported person's
    /// account), with `role` in the organisation `siren` (added from the
    /// official list if needed) and a member role there, and their directory
    /// profile (from their name), as an invitation would give. Fast: no
    /// password hash.
    pub async fn person(&self, email: &str, display_name: &str, role: &str, siren: Option<&str>) -> uuid::Uuid {
        let mut tx = self.ctx.db.begin().await.unwrap();
        let uid = maillage_db::users::insert(tx.ex(), email, display_name, None)
            .await
            .unwrap_or_else(|e| panic!("compte {email} : {e:?}"));
        match siren {
            Some(s) => {
                let siren = maillage_domain::siren::Siren::parse(s).unwrap();
                let org = maillage_core::organisations::ensure_from_reference(tx.ex(), &siren)
                    .await
                    .unwrap();
                let scoped = if role == "coordinator" { None } else { Some(org) };
                maillage_db::roles::grant(tx.ex(), uid, scoped, role, None)
                    .await
                    .unwrap();
                maillage_db::roles::grant(tx.ex(), uid, Some(org), "member", None)
                    .await
                    .unwrap();
                maillage_core::directory::edit::attach_account(tx.ex(), uid, email, display_name, org)
                    .await
                    .unwrap();
            }
            None => {
                maillage_db::roles::grant(tx.ex(), uid, None, role, None).await.unwrap();
            }
        }
        tx.commit().await.unwrap();
        uid
    }

    /// The operations' view of an account.
    pub async fn actor(&self, user: uuid::Uuid) -> maillage_core::Actor {
        let mut c = self.ctx.db.conn().await.unwrap();
        maillage_core::accounts::load_actor(c.ex(), user).await.unwrap()
    }

    /// The id of an account.
    pub async fn user_id(&self, email: &str) -> uuid::Uuid {
        let mut c = self.ctx.db.conn().await.unwrap();
        maillage_db::users::by_email(c.ex(), email)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("pas de compte {email}"))
            .id
    }

    /// The directory profile of an account.
    pub async fn profile_of(&self, user: uuid::Uuid) -> uuid::Uuid {
        let mut c = self.ctx.db.conn().await.unwrap();
        maillage_db::profiles::id_of_user(c.ex(), user)
            .await
            .unwrap()
            .expect("une fiche")
    }

    /// A browser with a session of its own for this account, opened directly
    /// (no password needed; the login form has its own tests).
    pub async fn session(&self, user: uuid::Uuid) -> Browser {
        let token = maillage_core::security::random_token();
        let mut tx = self.ctx.db.begin().await.unwrap();
        maillage_db::sessions::insert(
            tx.ex(),
            &maillage_core::security::token_hash(&token),
            user,
            maillage_db::now() + maillage_core::accounts::SESSION_IDLE,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        Browser {
            cookies: vec![(maillage_web::auth::SESSION_COOKIE.to_owned(), token)],
        }
    }

    /// A personal API token of this account (its secret).
    pub async fn token(&self, user: uuid::Uuid) -> String {
        let name = format!("jeton {}", uuid::Uuid::now_v7().simple());
        maillage_core::api_tokens::create(&self.ctx, &self.actor(user).await, &name)
            .await
            .unwrap()
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

/// One part of a `multipart/form-data` body: a field, or a file when
/// `file_name` is given.
pub struct Part<'a> {
    pub name: &'a str,
    pub file_name: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub data: &'a [u8],
}

impl<'a> Part<'a> {
    pub fn field(name: &'a str, value: &'a str) -> Part<'a> {
        Part {
            name,
            file_name: None,
            content_type: None,
            data: value.as_bytes(),
        }
    }
    pub fn file(name: &'a str, file_name: &'a str, content_type: &'a str, data: &'a [u8]) -> Part<'a> {
        Part {
            name,
            file_name: Some(file_name),
            content_type: Some(content_type),
            data,
        }
    }
}

/// A `multipart/form-data` body: `(content type with its boundary, bytes)`.
/// The boundary is random, so no payload can contain it by chance.
pub fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = format!("----maillage-test-{}", uuid::Uuid::now_v7().simple());
    let mut body = Vec::new();
    for p in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        // Quotes and line breaks in names would break the header: browsers
        // escape them as %22, %0D, %0A (WHATWG HTML, multipart/form-data).
        let quote = |s: &str| s.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
        match p.file_name {
            Some(f) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\n",
                    quote(p.name),
                    quote(f)
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{}\"\r\n", quote(p.name)).as_bytes(),
            ),
        }
        if let Some(ct) = p.content_type {
            body.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(p.data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A valid PNG image of `width`×`height` pixels (RGB, a gradient), written
/// by hand: zlib « stored » blocks, CRC-32 and Adler-32 — no image library.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut typed = kind.to_vec();
        typed.extend_from_slice(data);
        out.extend_from_slice(&typed);
        out.extend_from_slice(&crc32(&typed).to_be_bytes());
    }
    // The raw scanlines: filter byte 0, then RGB.
    let mut raw = Vec::with_capacity(((width * 3 + 1) * height) as usize);
    for y in 0..height {
        raw.push(0);
        for x in 0..width {
            raw.extend_from_slice(&[(x * 255 / width.max(1)) as u8, (y * 255 / height.max(1)) as u8, 128]);
        }
    }
    // zlib: header, stored blocks of at most 65,535 bytes, Adler-32.
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8 bits, RGB, deflate, no filter, no interlace
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
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
