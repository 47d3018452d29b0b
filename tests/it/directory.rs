//! The directory (« annuaire »): who sees which field of whose profile on
//! every surface (page, lists, searches, filters, CSV, vCard, photo, API);
//! the French search; the history of changes; the agents-file import and the
//! claim of an imported profile; the photo.
//!
//! The privacy matrix builds its data through the real operations
//! (`directory::edit::update_own` as the person, or the `/profil` form) and
//! marks every field of every profile with a word found nowhere else
//! (« zorglubfonctionab »…), so that a match or an appearance is never
//! ambiguous. Mismatches are collected and reported together.

use std::collections::{BTreeMap, BTreeSet};

use axum::http::{Method, StatusCode};
use maillage_core::directory::edit::{AdminInput, OwnInput, VisibilityInput, update_own};
use uuid::Uuid;

use crate::harness::{ALES, Browser, GRAND_EST, PASSWORD, Part, Res, TestApp, form, link, png};

// ---------------------------------------------------------------------------
// Shared helpers (also used by permissions.rs, pages.rs and hostile.rs)
// ---------------------------------------------------------------------------

/// Everything the person's form (`/profil`) holds.
#[derive(Clone, Debug)]
pub struct Own {
    pub first_name: String,
    pub last_name: String,
    pub function_title: String,
    pub direction: String,
    pub service: String,
    pub category: String,
    pub cadre: String,
    pub email: String,
    pub phone: String,
    pub bio: String,
    pub languages: String,
    pub expertise: Vec<String>,
    pub interests: Vec<String>,
    /// function, unit, category, cadre, email, phone, bio, languages,
    /// themes, photo: `reseau`, `organisation` or `prive`.
    pub vis: [&'static str; 10],
    pub listed: &'static str,
}

/// The names of the visibility selects, in the order of [`Own::vis`].
pub const VIS_NAMES: [&str; 10] = [
    "function_vis",
    "unit_vis",
    "category_vis",
    "cadre_vis",
    "email_vis",
    "phone_vis",
    "bio_vis",
    "languages_vis",
    "themes_vis",
    "photo_vis",
];

impl Own {
    pub fn new(first_name: &str, last_name: &str) -> Own {
        Own {
            first_name: first_name.into(),
            last_name: last_name.into(),
            function_title: String::new(),
            direction: String::new(),
            service: String::new(),
            category: String::new(),
            cadre: String::new(),
            email: String::new(),
            phone: String::new(),
            bio: String::new(),
            languages: String::new(),
            expertise: Vec::new(),
            interests: Vec::new(),
            vis: ["reseau"; 10],
            listed: "reseau",
        }
    }

    pub fn input(&self) -> OwnInput {
        OwnInput {
            admin: AdminInput {
                first_name: self.first_name.clone(),
                last_name: self.last_name.clone(),
                function_title: self.function_title.clone(),
                direction: self.direction.clone(),
                service: self.service.clone(),
                category: self.category.clone(),
                cadre: self.cadre.clone(),
                email: self.email.clone(),
                phone: self.phone.clone(),
                ..Default::default()
            },
            bio: self.bio.clone(),
            languages: self.languages.clone(),
            expertise: self.expertise.clone(),
            interests: self.interests.clone(),
            visibility: VisibilityInput {
                function: self.vis[0].into(),
                unit: self.vis[1].into(),
                category: self.vis[2].into(),
                cadre: self.vis[3].into(),
                email: self.vis[4].into(),
                phone: self.vis[5].into(),
                bio: self.vis[6].into(),
                languages: self.vis[7].into(),
                themes: self.vis[8].into(),
                photo: self.vis[9].into(),
                listed: self.listed.into(),
                ..Default::default()
            },
        }
    }

    /// The `/profil` form as a browser sends it (repeated `expertise` and
    /// `interests`).
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut p: Vec<(String, String)> = [
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
            ("function_title", &self.function_title),
            ("direction", &self.direction),
            ("service", &self.service),
            ("category", &self.category),
            ("cadre", &self.cadre),
            ("email", &self.email),
            ("phone", &self.phone),
            ("bio", &self.bio),
            ("languages", &self.languages),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).clone()))
        .collect();
        for t in &self.expertise {
            p.push(("expertise".into(), t.clone()));
        }
        for t in &self.interests {
            p.push(("interests".into(), t.clone()));
        }
        for (name, v) in VIS_NAMES.iter().zip(self.vis) {
            p.push(((*name).into(), v.into()));
        }
        p.push(("listed".into(), self.listed.into()));
        p
    }

    /// Saves it as the person, through the core operation.
    pub async fn save(&self, app: &TestApp, user: Uuid) {
        update_own(&app.ctx, &app.actor(user).await, &self.input())
            .await
            .unwrap_or_else(|e| panic!("update_own {} {} : {e:?}", self.first_name, self.last_name));
    }

    /// Saves it through the `/profil` form; returns the answer.
    pub async fn post(&self, app: &TestApp, browser: &Browser) -> Res {
        let pairs = self.pairs();
        let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        app.request(Method::POST, "/profil", Some(browser), Some(form(&refs)), &[])
            .await
    }
}

/// A theme added by the coordinator `coordinator`.
pub async fn theme(app: &TestApp, coordinator: Uuid, name: &str) -> Uuid {
    maillage_core::directory::themes::add(&app.ctx, &app.actor(coordinator).await, name)
        .await
        .unwrap_or_else(|e| panic!("thématique {name} : {e:?}"))
}

/// Sets the photo of the account's profile, through the core operation.
pub async fn set_photo(app: &TestApp, user: Uuid, bytes: Vec<u8>) {
    maillage_core::directory::edit::set_own_photo(&app.ctx, &app.actor(user).await, Some(bytes))
        .await
        .unwrap_or_else(|e| panic!("photo : {e:?}"));
}

/// How many profiles the directory holds (all organisations).
pub async fn count_profiles(app: &TestApp) -> i64 {
    let mut c = app.ctx.db.conn().await.unwrap();
    c.ex()
        .fetch_scalar(maillage_db::query("SELECT COUNT(*) FROM profiles"))
        .await
        .unwrap()
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    let mut c = app.ctx.db.conn().await.unwrap();
    c.ex().fetch_scalar(maillage_db::query(sql)).await.unwrap()
}

/// The profile ids linked from a page (`/annuaire/{uuid}`), in order, once each.
pub fn linked_profiles(html: &str) -> Vec<Uuid> {
    let mut out = Vec::new();
    for (i, _) in html.match_indices("href=\"/annuaire/") {
        let rest = &html[i + "href=\"/annuaire/".len()..];
        if let Some(id) = rest.get(..36).and_then(|s| Uuid::parse_str(s).ok())
            && rest[36..].starts_with('"')
            && !out.contains(&id)
        {
            out.push(id);
        }
    }
    out
}

/// The result cards of a directory page: profile id → the card's HTML.
fn cards(html: &str) -> Vec<(Uuid, String)> {
    html.split("<li class=\"card\">")
        .skip(1)
        .map(|chunk| {
            let card = &chunk[..chunk.find("</li>").unwrap_or(chunk.len())];
            let id = linked_profiles(card).first().copied().expect("fiche sans lien");
            (id, card.to_owned())
        })
        .collect()
}

/// A CSV as the export writes it: BOM, `;`, CRLF, `"` quoting.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let text = text
        .strip_prefix('\u{feff}')
        .expect("l'export commence par un BOM UTF-8");
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                _ => cell.push(c),
            }
        } else {
            match c {
                '"' => quoted = true,
                ';' => row.push(std::mem::take(&mut cell)),
                '\r' if chars.peek() == Some(&'\n') => {}
                '\n' => {
                    row.push(std::mem::take(&mut cell));
                    rows.push(std::mem::take(&mut row));
                }
                _ => cell.push(c),
            }
        }
    }
    assert!(cell.is_empty() && row.is_empty(), "l'export ne finit pas par CRLF");
    rows
}

/// A vCard with its folded lines joined (RFC 6350 §3.2).
pub fn unfold(vcard: &str) -> String {
    vcard.replace("\r\n ", "")
}

/// Windows-1252 bytes of a text (the letters French HR files use).
pub fn cp1252(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '€' => 0x80,
            '’' => 0x92,
            'Œ' => 0x8C,
            'œ' => 0x9C,
            c if (c as u32) < 0x80 || (0xA0..=0xFF).contains(&(c as u32)) => c as u32 as u8,
            c => panic!("{c} hors de Windows-1252"),
        })
        .collect()
}

/// Collects mismatches, to report them all at once.
#[derive(Default)]
struct Failures(Vec<String>);

impl Failures {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }
    fn eq<T: PartialEq + std::fmt::Debug>(&mut self, got: T, want: T, what: impl FnOnce() -> String) {
        if got != want {
            self.0.push(format!("{} : attendu {want:?}, obtenu {got:?}", what()));
        }
    }
    fn done(self) {
        assert!(
            self.0.is_empty(),
            "{} écart(s) :\n{}",
            self.0.len(),
            self.0.iter().take(80).cloned().collect::<Vec<_>>().join("\n")
        );
    }
}

// ---------------------------------------------------------------------------
// The privacy matrix
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum F {
    Function,
    Unit,
    Category,
    Cadre,
    Email,
    Phone,
    Bio,
    Languages,
    Themes,
    Photo,
}

const FIELDS: [F; 10] = [
    F::Function,
    F::Unit,
    F::Category,
    F::Cadre,
    F::Email,
    F::Phone,
    F::Bio,
    F::Languages,
    F::Themes,
    F::Photo,
];
const LEVELS: [&str; 3] = ["reseau", "organisation", "prive"];

/// A profile of the matrix: every field filled with its own marker word.
struct Subject {
    code: String,
    user: Uuid,
    id: Uuid,
    /// The level of each field (0 network, 1 organisation, 2 private).
    vis: [usize; 10],
    listed: usize,
    last_name: String,
    phone: String,
    theme: String,
}

impl Subject {
    fn vis_of(&self, f: F) -> usize {
        self.vis[FIELDS.iter().position(|x| *x == f).unwrap()]
    }
    /// Whether a viewer at `tier` sees field `f` (the profile being listed for them).
    fn sees(&self, tier: usize, f: F) -> bool {
        self.vis_of(f) <= tier
    }
    fn listed_for(&self, tier: Option<usize>) -> bool {
        tier.is_some_and(|t| self.listed <= t)
    }
    fn marker(&self, f: F) -> String {
        let c = &self.code;
        match f {
            F::Function => format!("zorglubfonction{c}"),
            F::Unit => format!("zorglubdirection{c}"),
            F::Category => "A+".into(),
            F::Cadre => format!("zorglubcadre{c}"),
            F::Email => format!("zorglubcourriel{c}@ales.fr"),
            F::Phone => self.phone.clone(),
            F::Bio => format!("zorglubbio{c}"),
            F::Languages => format!("zorglublangues{c}"),
            F::Themes => self.theme.clone(),
            F::Photo => format!("/annuaire/{}/photo", self.id),
        }
    }
    fn service(&self) -> String {
        format!("zorglubservice{}", self.code)
    }
    /// The words a text search can find, per field (the photo, the phone
    /// and the category are not searched as text).
    fn words(&self) -> Vec<(F, String)> {
        vec![
            (F::Function, self.marker(F::Function)),
            (F::Unit, self.marker(F::Unit)),
            (F::Unit, self.service()),
            (F::Cadre, self.marker(F::Cadre)),
            (F::Email, format!("zorglubcourriel{}", self.code)),
            (F::Bio, self.marker(F::Bio)),
            (F::Languages, self.marker(F::Languages)),
            (F::Themes, self.theme.clone()),
        ]
    }
}

/// The prefixes shared by every subject's words, per field.
const PREFIXES: [(F, &str); 8] = [
    (F::Function, "zorglubfonction"),
    (F::Unit, "zorglubdirection"),
    (F::Unit, "zorglubservice"),
    (F::Cadre, "zorglubcadre"),
    (F::Email, "zorglubcourriel"),
    (F::Bio, "zorglubbio"),
    (F::Languages, "zorglublangues"),
    (F::Themes, "zorglubtheme"),
];

/// Who looks, and their tier for the profiles of Alès (None: anonymous).
struct Viewer {
    name: &'static str,
    browser: Browser,
    token: Option<String>,
    tier: Option<usize>,
}

/// Every result of a search of the HTML directory, all pages: id → card.
async fn html_results(app: &TestApp, query: &str, b: &Browser, fail: &mut Failures) -> BTreeMap<Uuid, String> {
    let mut out = BTreeMap::new();
    for page in 1..=20 {
        let path = format!("/annuaire?{query}&page={page}");
        let res = app.get(&path, Some(b)).await;
        assert_eq!(res.status, StatusCode::OK, "{path} : {}", res.body);
        let found = cards(&res.body);
        fail.check(found.len() <= 20, || {
            format!("{path} : {} fiches sur une page", found.len())
        });
        for (id, card) in found {
            fail.check(!out.contains_key(&id), || format!("{path} : {id} sur deux pages"));
            out.insert(id, card);
        }
        if !res.body.contains("rel=\"next\"") {
            break;
        }
    }
    out
}

/// Every result of an API search, all pages: id → the JSON of the profile.
async fn api_results(
    app: &TestApp,
    query: &str,
    token: &str,
    fail: &mut Failures,
) -> BTreeMap<Uuid, serde_json::Value> {
    let mut out = BTreeMap::new();
    for page in 1..=20 {
        let path = format!("/api/v1/annuaire?{query}&page={page}");
        let res = app.api(&path, Some(token)).await;
        assert_eq!(res.status, StatusCode::OK, "{path} : {}", res.body);
        let j = res.json();
        let fiches = j["fiches"].as_array().expect("fiches").clone();
        fail.check(fiches.len() <= 20, || {
            format!("{path} : {} fiches sur une page", fiches.len())
        });
        for f in fiches.iter() {
            let id = Uuid::parse_str(f["id"].as_str().unwrap()).unwrap();
            out.insert(id, f.clone());
        }
        if fiches.is_empty() || out.len() as i64 >= j["total"].as_i64().unwrap() {
            break;
        }
    }
    out
}

/// The API's view of one profile agrees with what the viewer may see.
fn check_api_profile(fail: &mut Failures, what: &str, s: &Subject, tier: usize, j: &serde_json::Value) {
    let text = j.to_string();
    let has = |key: &str| match &j[key] {
        serde_json::Value::Null => false,
        serde_json::Value::Array(a) => !a.is_empty(),
        serde_json::Value::String(v) => !v.is_empty(),
        _ => true,
    };
    for (f, keys) in [
        (F::Function, &["fonction"][..]),
        (F::Unit, &["direction", "service"][..]),
        (F::Category, &["categorie"][..]),
        (F::Cadre, &["cadre_emplois"][..]),
        (F::Email, &["courriel"][..]),
        (F::Phone, &["telephone"][..]),
        (F::Bio, &["presentation"][..]),
        (F::Languages, &["langues"][..]),
        (F::Themes, &["expertises", "centres_interet"][..]),
        (F::Photo, &["photo"][..]),
    ] {
        let sees = s.sees(tier, f);
        for key in keys {
            fail.eq(has(key), sees, || {
                format!("{what} : API « {key} » ({f:?} {})", LEVELS[s.vis_of(f)])
            });
        }
        if f != F::Category {
            fail.eq(text.contains(&s.marker(f)), sees, || {
                format!("{what} : API contient {f:?} ({})", LEVELS[s.vis_of(f)])
            });
        }
    }
    fail.eq(text.contains(&s.service()), s.sees(tier, F::Unit), || {
        format!("{what} : API service")
    });
    fail.eq(j.get("visibilite").is_some_and(|v| !v.is_null()), tier == 2, || {
        format!("{what} : API « visibilite »")
    });
}

/// The answer to an anonymous page request: the login page.
fn is_login(res: &Res) -> bool {
    res.status == StatusCode::SEE_OTHER && res.location().starts_with("/connexion?retour=")
}

/// Each field × each visibility × each viewer, over every surface.
#[tokio::test]
async fn privacy_matrix_every_field_every_visibility_every_viewer_every_surface() {
    let started = std::time::Instant::now();
    let app = TestApp::new().await;
    let mut fail = Failures::default();

    // The viewers.
    let coordinator = app
        .person("coordination@reseau.fr", "Dominique Coordination", "coordinator", None)
        .await;
    let colleague = app
        .person("collegue@ales.fr", "Camille Collègue", "member", Some(ALES))
        .await;
    let outsider = app
        .person("externe@grandest.fr", "Sacha Externe", "member", Some(GRAND_EST))
        .await;
    let admin = app
        .person("admin@ales.fr", "Claude Admin-Alès", "org-admin", Some(ALES))
        .await;
    let other_admin = app
        .person(
            "admin@grandest.fr",
            "Alix Admin-Grand-Est",
            "org-admin",
            Some(GRAND_EST),
        )
        .await;

    // The themes: one per subject (expertise), one shared (interest).
    let shared = theme(&app, coordinator, "Zorglubpartage").await;

    // The subjects: for each field and level, a profile where that field has
    // that level and every other field another one; then one listed for its
    // organisation only, and one that left the directory.
    let photo = png(96, 80);
    let mut specs: Vec<([usize; 10], usize)> = Vec::new();
    for (i, _) in FIELDS.iter().enumerate() {
        for level in 0..3 {
            let other = if level == 2 { 0 } else { 2 };
            let mut vis = [other; 10];
            vis[i] = level;
            specs.push((vis, 0));
        }
    }
    specs.push(([0; 10], 1));
    specs.push(([0; 10], 2));
    let mut subjects = Vec::new();
    let mut jpeg: Option<Vec<u8>> = None;
    for (n, (vis, listed)) in specs.into_iter().enumerate() {
        let code = format!("{}{}", (b'a' + (n / 26) as u8) as char, (b'a' + (n % 26) as u8) as char);
        let user = app
            .person(
                &format!("sujet-{code}@ales.fr"),
                &format!("Témoin {code}"),
                "member",
                Some(ALES),
            )
            .await;
        let theme_name = format!("zorglubtheme{code}");
        let own_theme = theme(&app, coordinator, &theme_name).await;
        let mut own = Own::new("Témoin", &format!("Sujet-{code}"));
        own.function_title = format!("zorglubfonction{code}");
        own.direction = format!("zorglubdirection{code}");
        own.service = format!("zorglubservice{code}");
        own.category = "A+".into();
        own.cadre = format!("zorglubcadre{code}");
        own.email = format!("zorglubcourriel{code}@ales.fr");
        own.phone = format!("04 66 10 {n:02} 00");
        own.bio = format!("zorglubbio{code} : passionnée de vélo.");
        own.languages = format!("zorglublangues{code}, anglais");
        own.expertise = vec![own_theme.to_string()];
        own.interests = vec![shared.to_string()];
        own.vis = vis.map(|l| LEVELS[l]);
        own.listed = LEVELS[listed];
        if listed == 0 {
            own.save(&app, user).await;
        } else {
            // The two presence cases go through the person's own form.
            let b = app.session(user).await;
            let res = own.post(&app, &b).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "/profil : {}", res.body);
            assert_eq!(res.location(), "/profil?info=profil-enregistre");
        }
        // The first photo goes through the operation (decoded, re-encoded:
        // a fraction of a second unoptimised); the others are that JPEG.
        let id = app.profile_of(user).await;
        match &jpeg {
            None => {
                set_photo(&app, user, photo.clone()).await;
                let mut c = app.ctx.db.conn().await.unwrap();
                jpeg = maillage_db::profiles::photo(c.ex(), id).await.unwrap();
            }
            Some(bytes) => {
                let mut tx = app.ctx.db.begin().await.unwrap();
                maillage_db::profiles::set_photo(tx.ex(), id, Some(bytes))
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            }
        }
        subjects.push(Subject {
            id,
            phone: own.phone.clone(),
            last_name: own.last_name.clone(),
            theme: theme_name,
            code,
            user,
            vis,
            listed,
        });
    }
    eprintln!("matrice : données prêtes en {:?}", started.elapsed());

    let mut viewers = vec![Viewer {
        name: "anonyme",
        browser: Browser::default(),
        token: None,
        tier: None,
    }];
    for (name, user, tier) in [
        ("membre d'Alès", colleague, 1),
        ("membre du Grand Est", outsider, 0),
        ("admin d'Alès", admin, 2),
        ("animation", coordinator, 2),
    ] {
        viewers.push(Viewer {
            name,
            browser: app.session(user).await,
            token: Some(app.token(user).await),
            tier: Some(tier),
        });
    }

    // --- One profile: page, photo, vCard, API ------------------------------
    for v in &viewers {
        for s in &subjects {
            let what = format!("[{}] fiche {} ({:?} {})", v.name, s.code, s.vis, LEVELS[s.listed]);
            let page = app.get(&format!("/annuaire/{}", s.id), Some(&v.browser)).await;
            let photo_res = app.get(&format!("/annuaire/{}/photo", s.id), Some(&v.browser)).await;
            let card = app.get(&format!("/annuaire/{}/vcard", s.id), Some(&v.browser)).await;
            let api = app.api(&format!("/api/v1/annuaire/{}", s.id), v.token.as_deref()).await;
            let Some(tier) = v.tier else {
                for (surface, res) in [("page", &page), ("photo", &photo_res), ("vCard", &card)] {
                    fail.check(is_login(res), || {
                        format!("{what} : {surface} {} {}", res.status, res.location())
                    });
                }
                fail.eq(api.status, StatusCode::UNAUTHORIZED, || format!("{what} : API"));
                continue;
            };
            if !s.listed_for(Some(tier)) {
                for (surface, res) in [("page", &page), ("photo", &photo_res), ("vCard", &card), ("API", &api)] {
                    fail.eq(res.status, StatusCode::NOT_FOUND, || format!("{what} : {surface}"));
                    fail.check(!res.body.contains("Sujet-"), || {
                        format!("{what} : {surface} nomme la fiche")
                    });
                }
                continue;
            }
            // The page.
            fail.eq(page.status, StatusCode::OK, || format!("{what} : page"));
            let body = &page.body;
            for f in FIELDS {
                let shown = match f {
                    F::Category => body.contains("<dt>Catégorie</dt>"),
                    F::Photo => body.contains(&format!("src=\"{}\"", s.marker(F::Photo))),
                    _ => body.contains(&s.marker(f)),
                };
                fail.eq(shown, s.sees(tier, f), || format!("{what} : page, {f:?}"));
            }
            fail.eq(body.contains(&s.service()), s.sees(tier, F::Unit), || {
                format!("{what} : page, service")
            });
            fail.eq(body.contains("Zorglubpartage"), s.sees(tier, F::Themes), || {
                format!("{what} : page, centre d'intérêt")
            });
            fail.eq(body.contains("Historique des modifications"), tier == 2, || {
                format!("{what} : page, historique")
            });
            fail.eq(body.contains("(visible :"), tier == 2, || {
                format!("{what} : page, réglages")
            });
            // Downloads of personal data are never cached.
            for (surface, res) in [("photo", &photo_res), ("vCard", &card), ("page", &page)] {
                let cc = res
                    .headers
                    .get("cache-control")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                fail.eq(cc, "no-store", || format!("{what} : {surface}, cache-control"));
            }
            // The photo.
            if s.sees(tier, F::Photo) {
                fail.eq(photo_res.status, StatusCode::OK, || format!("{what} : photo"));
                fail.eq(photo_res.content_type(), "image/jpeg", || format!("{what} : photo"));
                fail.check(photo_res.bytes.starts_with(&[0xFF, 0xD8, 0xFF]), || {
                    format!("{what} : pas un JPEG")
                });
            } else {
                fail.eq(photo_res.status, StatusCode::NOT_FOUND, || format!("{what} : photo"));
            }
            // The vCard: only what the page shows (it has no category nor cadre).
            fail.eq(card.status, StatusCode::OK, || format!("{what} : vCard"));
            fail.check(card.content_type().starts_with("text/vcard"), || {
                format!("{what} : vCard {}", card.content_type())
            });
            let vcf = unfold(&card.body);
            // Languages become tags (« anglais » → en); free words are left out.
            fail.eq(vcf.contains("\r\nLANG:en\r\n"), s.sees(tier, F::Languages), || {
                format!("{what} : vCard, Languages")
            });
            fail.check(!vcf.contains(&s.marker(F::Languages)), || {
                format!("{what} : vCard, langue libre")
            });
            for f in [F::Function, F::Unit, F::Email, F::Phone, F::Bio, F::Themes] {
                fail.eq(vcf.contains(&s.marker(f)), s.sees(tier, f), || {
                    format!("{what} : vCard, {f:?}")
                });
            }
            fail.eq(vcf.contains(&s.service()), s.sees(tier, F::Unit), || {
                format!("{what} : vCard, service")
            });
            fail.eq(vcf.contains("\r\nPHOTO"), s.sees(tier, F::Photo), || {
                format!("{what} : vCard, photo")
            });
            fail.check(!vcf.contains(&s.marker(F::Cadre)), || format!("{what} : vCard, cadre"));
            // The API.
            fail.eq(api.status, StatusCode::OK, || format!("{what} : API {}", api.body));
            if api.status == StatusCode::OK {
                check_api_profile(&mut fail, &what, s, tier, &api.json());
            }
        }
    }
    // The person sees their whole profile, whatever they chose.
    for s in &subjects {
        let b = app.session(s.user).await;
        let page = app.get(&format!("/annuaire/{}", s.id), Some(&b)).await;
        fail.eq(page.status, StatusCode::OK, || format!("[soi] fiche {}", s.code));
        for f in FIELDS.into_iter().filter(|f| *f != F::Category && *f != F::Photo) {
            fail.check(page.body.contains(&s.marker(f)), || {
                format!("[soi] fiche {} : {f:?}", s.code)
            });
        }
        fail.check(page.body.contains("C'est votre fiche"), || {
            format!("[soi] fiche {}", s.code)
        });
    }
    eprintln!("matrice : fiches vérifiées en {:?}", started.elapsed());

    // --- Lists: the directory of Alès, HTML and API -------------------------
    let by_id: BTreeMap<Uuid, &Subject> = subjects.iter().map(|s| (s.id, s)).collect();
    for v in &viewers {
        let query = format!("organisation={ALES}");
        let Some(tier) = v.tier else {
            let res = app.get(&format!("/annuaire?{query}"), Some(&v.browser)).await;
            fail.check(is_login(&res), || format!("[anonyme] /annuaire : {}", res.status));
            let api = app.api(&format!("/api/v1/annuaire?{query}"), None).await;
            fail.eq(api.status, StatusCode::UNAUTHORIZED, || "[anonyme] API annuaire".into());
            continue;
        };
        let what = format!("[{}] liste", v.name);
        let html = html_results(&app, &query, &v.browser, &mut fail).await;
        let listed: BTreeSet<Uuid> = html.keys().filter(|id| by_id.contains_key(id)).copied().collect();
        let expected: BTreeSet<Uuid> = subjects
            .iter()
            .filter(|s| s.listed_for(Some(tier)))
            .map(|s| s.id)
            .collect();
        fail.eq(&listed, &expected, || format!("{what} : fiches listées"));
        for (id, card) in &html {
            let Some(s) = by_id.get(id) else { continue };
            // The card shows the function, the direction and the expertise.
            for f in [F::Function, F::Unit, F::Themes] {
                fail.eq(card.contains(&s.marker(f)), s.sees(tier, f), || {
                    format!("{what} : carte {} ({:?}), {f:?}", s.code, s.vis)
                });
            }
            // Nothing else, and nothing hidden.
            for f in [F::Cadre, F::Email, F::Phone, F::Bio, F::Languages, F::Photo] {
                fail.check(!card.contains(&s.marker(f)), || {
                    format!("{what} : carte {}, {f:?}", s.code)
                });
            }
        }
        let token = v.token.as_deref().unwrap();
        let api = api_results(&app, &query, token, &mut fail).await;
        let listed: BTreeSet<Uuid> = api.keys().filter(|id| by_id.contains_key(id)).copied().collect();
        fail.eq(&listed, &expected, || format!("{what} API : fiches listées"));
        for (id, j) in &api {
            if let Some(s) = by_id.get(id) {
                check_api_profile(&mut fail, &format!("{what} API, {}", s.code), s, tier, j);
            }
        }

        // --- Text searches: a hidden field never makes a profile match ------
        for (f, prefix) in PREFIXES {
            let expected: BTreeSet<Uuid> = subjects
                .iter()
                .filter(|s| s.listed_for(Some(tier)) && s.sees(tier, f))
                .map(|s| s.id)
                .collect();
            let what = format!("[{}] recherche « {prefix} »", v.name);
            let html = html_results(&app, &format!("q={prefix}"), &v.browser, &mut fail).await;
            fail.eq(html.keys().copied().collect::<BTreeSet<_>>(), expected.clone(), || {
                what.clone()
            });
            let api = api_results(&app, &format!("q={prefix}"), token, &mut fail).await;
            fail.eq(api.keys().copied().collect::<BTreeSet<_>>(), expected, || {
                format!("{what} (API)")
            });
        }
        // A subject's own word in the one field that varies.
        for (n, s) in subjects.iter().enumerate().take(30) {
            let f = FIELDS[n / 3];
            for (wf, word) in s.words().into_iter().filter(|(wf, _)| *wf == f) {
                let path = format!("/annuaire?{}", form(&[("q", &word)]));
                let res = app.get(&path, Some(&v.browser)).await;
                let found = cards(&res.body).iter().any(|(id, _)| *id == s.id);
                fail.eq(found, s.sees(tier, wf), || {
                    format!("[{}] recherche « {word} » ({wf:?} {})", v.name, LEVELS[s.vis_of(wf)])
                });
            }
        }

        // --- Filters on a field: category and theme -------------------------
        for (f, query) in [
            (F::Category, format!("organisation={ALES}&categorie=A%2B")),
            // Without an organisation, the SQLite count starts from the
            // organisations of the département (CA Alès Agglomération: Gard).
            (F::Category, "departement=30&categorie=A%2B".to_owned()),
            (F::Themes, format!("theme={shared}")),
        ] {
            let expected: BTreeSet<Uuid> = subjects
                .iter()
                .filter(|s| s.listed_for(Some(tier)) && s.sees(tier, f))
                .map(|s| s.id)
                .collect();
            let what = format!("[{}] filtre {query}", v.name);
            let html = html_results(&app, &query, &v.browser, &mut fail).await;
            fail.eq(html.keys().copied().collect::<BTreeSet<_>>(), expected.clone(), || {
                what.clone()
            });
            let api = api_results(&app, &query, token, &mut fail).await;
            fail.eq(api.keys().copied().collect::<BTreeSet<_>>(), expected, || {
                format!("{what} (API)")
            });
        }
    }
    eprintln!("matrice : listes et recherches vérifiées en {:?}", started.elapsed());

    // --- CSV export: administrators only, with what they may see ------------
    let exporters = [
        ("admin d'Alès", admin, Some(2)),
        ("admin du Grand Est", other_admin, Some(0)),
        ("animation", coordinator, Some(2)),
        ("membre d'Alès", colleague, None),
        ("membre du Grand Est", outsider, None),
    ];
    let headers = [
        "Nom",
        "Prénom",
        "Organisation",
        "SIREN",
        "Fonction",
        "Direction",
        "Service",
        "Catégorie",
        "Cadre d'emplois",
        "Courriel",
        "Téléphone",
        "Langues",
        "Expertises",
        "Centres d'intérêt",
    ];
    for (name, user, tier) in exporters {
        let b = app.session(user).await;
        let res = app
            .get(&format!("/annuaire/export.csv?organisation={ALES}"), Some(&b))
            .await;
        let what = format!("[{name}] export CSV");
        let Some(tier) = tier else {
            fail.eq(res.status, StatusCode::FORBIDDEN, || what.clone());
            fail.check(!res.body.contains("zorglub"), || {
                format!("{what} : données dans le refus")
            });
            continue;
        };
        fail.eq(res.status, StatusCode::OK, || what.clone());
        fail.check(res.content_type().starts_with("text/csv"), || {
            format!("{what} : {}", res.content_type())
        });
        let rows = parse_csv(&res.body);
        fail.eq(rows[0].clone(), headers.map(String::from).to_vec(), || {
            format!("{what} : titres")
        });
        let by_name: BTreeMap<&str, &Vec<String>> = rows[1..].iter().map(|r| (r[0].as_str(), r)).collect();
        for s in &subjects {
            let row = by_name.get(s.last_name.as_str());
            fail.eq(row.is_some(), s.listed_for(Some(tier)), || {
                format!("{what} : ligne de {}", s.code)
            });
            let Some(row) = row else { continue };
            let cell = |i: usize| row[i].as_str();
            for (f, i) in [
                (F::Function, 4),
                (F::Unit, 5),
                (F::Category, 7),
                (F::Cadre, 8),
                (F::Email, 9),
                (F::Phone, 10),
                (F::Languages, 11),
                (F::Themes, 12),
            ] {
                fail.eq(cell(i).contains(&s.marker(f)), s.sees(tier, f), || {
                    format!("{what} : {} ({:?}), {f:?} = « {} »", s.code, s.vis, cell(i))
                });
                if !s.sees(tier, f) {
                    fail.eq(cell(i), "", || {
                        format!("{what} : {}, {f:?} masqué mais non vide", s.code)
                    });
                }
            }
            fail.eq(cell(6) == s.service(), s.sees(tier, F::Unit), || {
                format!("{what} : {}, service", s.code)
            });
            fail.eq(cell(13) == "Zorglubpartage", s.sees(tier, F::Themes), || {
                format!("{what} : {}, centres d'intérêt", s.code)
            });
            let line = row.join(";");
            fail.check(!line.contains(&s.marker(F::Bio)), || {
                format!("{what} : {}, présentation", s.code)
            });
        }
        // A search in the export: only on what the exporter may see.
        for (f, prefix) in [
            (F::Bio, "zorglubbio"),
            (F::Cadre, "zorglubcadre"),
            (F::Email, "zorglubcourriel"),
        ] {
            let res = app.get(&format!("/annuaire/export.csv?q={prefix}"), Some(&b)).await;
            let names: BTreeSet<String> = parse_csv(&res.body)[1..].iter().map(|r| r[0].clone()).collect();
            let expected: BTreeSet<String> = subjects
                .iter()
                .filter(|s| s.listed_for(Some(tier)) && s.sees(tier, f))
                .map(|s| s.last_name.clone())
                .collect();
            fail.eq(names, expected, || format!("{what} ?q={prefix}"));
        }
    }
    let anon = app.get("/annuaire/export.csv", None).await;
    fail.check(is_login(&anon), || format!("[anonyme] export : {}", anon.status));

    eprintln!("matrice de confidentialité : {:?}", started.elapsed());
    fail.done();
}

// ---------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------

/// A person of the search tests.
struct Person {
    key: &'static str,
    email: &'static str,
    first: &'static str,
    last: &'static str,
    siren: &'static str,
    function: &'static str,
    service: &'static str,
    bio: &'static str,
}

impl Person {
    fn new(
        key: &'static str,
        email: &'static str,
        first: &'static str,
        last: &'static str,
        siren: &'static str,
    ) -> Person {
        Person {
            key,
            email,
            first,
            last,
            siren,
            function: "",
            service: "",
            bio: "",
        }
    }
    fn function(self, function: &'static str) -> Person {
        Person { function, ..self }
    }
    fn service(self, service: &'static str) -> Person {
        Person { service, ..self }
    }
    fn bio(self, bio: &'static str) -> Person {
        Person { bio, ..self }
    }
}

/// One of the 25 ornithologists.
struct Bird {
    id: Uuid,
    siren: &'static str,
    category: &'static str,
    themed: bool,
}

/// The French equivalences, prefixes, ranking, pagination and filters — on
/// SQLite and on PostgreSQL (the suite runs on both).
#[tokio::test]
async fn search_equivalences_prefixes_pagination_and_filters() {
    let app = TestApp::new().await;
    let coordinator = app
        .person("coordination@reseau.fr", "Dominique Coordination", "coordinator", None)
        .await;
    let viewer = app.session(coordinator).await;
    let token = app.token(coordinator).await;
    let numerique = theme(&app, coordinator, "Numérique responsable").await;

    let people = [
        Person::new("elodie", "e.martin@ales.fr", "Élodie", "Martin", ALES).function("Chargée de mission"),
        Person::new("hote", "p.lhote@ales.fr", "Paul", "L’Hôte", ALES).function("Directeur"),
        Person::new("elus", "i.garnier@ales.fr", "Inès", "Garnier", ALES).function("Assistante des élus"),
        Person::new("elue", "j.dupont@grandest.fr", "Jeanne", "Dupont", GRAND_EST).bio("Ancienne élue municipale."),
        Person::new("stetienne", "m.petit@grandest.fr", "Marc", "Petit", GRAND_EST).service("Antenne de Saint-Étienne"),
        Person::new("formation", "j.bernard@ales.fr", "Julie", "Bernard", ALES).function("Responsable formation"),
    ];
    let mut ids: BTreeMap<&str, Uuid> = BTreeMap::new();
    for p in &people {
        let user = app
            .person(p.email, &format!("{} {}", p.first, p.last), "member", Some(p.siren))
            .await;
        let mut own = Own::new(p.first, p.last);
        own.function_title = p.function.into();
        own.service = p.service.into();
        own.bio = p.bio.into();
        own.save(&app, user).await;
        ids.insert(p.key, app.profile_of(user).await);
    }
    // 25 ornithologists, for pages and filters: in both organisations, of
    // categories A and B, some with a theme.
    let mut birds: Vec<Bird> = Vec::new();
    for i in 0..25 {
        let siren = if i % 2 == 0 { ALES } else { GRAND_EST };
        let category = if i % 3 == 0 { "B" } else { "A" };
        let with_theme = i % 4 == 0;
        let user = app
            .person(
                &format!("oiseau{i}@exemple.fr"),
                &format!("Oiseau {i}"),
                "member",
                Some(siren),
            )
            .await;
        let mut own = Own::new("Camille", &format!("Passereau{i:02}"));
        own.function_title = "Ornithologue territorial".into();
        own.category = category.into();
        if with_theme {
            own.expertise = vec![numerique.to_string()];
        }
        own.save(&app, user).await;
        birds.push(Bird {
            id: app.profile_of(user).await,
            siren,
            category,
            themed: with_theme,
        });
    }

    let search = |q: String| {
        let app = &app;
        let viewer = &viewer;
        async move {
            let res = app.get(&format!("/annuaire?{q}"), Some(viewer)).await;
            assert_eq!(res.status, StatusCode::OK, "{q} : {}", res.body);
            (cards(&res.body).into_iter().map(|(id, _)| id).collect::<Vec<_>>(), res)
        }
    };
    let q = |s: &str| form(&[("q", s)]);

    // The equivalences of the issue, both ways where they go both ways.
    for (query, key) in [
        ("elodie", "elodie"),
        ("ELODIE", "elodie"),
        ("Élodie", "elodie"),
        ("elo", "elodie"),
        ("élue", "elus"),
        ("élue", "elue"),
        ("élus", "elue"),
        ("élus", "elus"),
        ("elus", "elue"),
        ("l'hote", "hote"),
        ("L'HÔTE", "hote"),
        ("l’hôte", "hote"),
        ("Saint-Etienne", "stetienne"),
        ("saint etienne", "stetienne"),
        ("form", "formation"),
        ("formations", "formation"),
        ("ornitho", ""),
    ] {
        let (found, _) = search(q(query)).await;
        if key.is_empty() {
            assert!(found.len() >= 20, "« {query} » : {found:?}");
        } else {
            assert!(
                found.contains(&ids[key]),
                "« {query} » ne trouve pas « {key} » : {found:?}"
            );
        }
        let api = app.api(&format!("/api/v1/annuaire?{}", q(query)), Some(&token)).await;
        assert_eq!(api.status, StatusCode::OK, "API « {query} » : {}", api.body);
        if !key.is_empty() {
            assert!(
                api.body.contains(&ids[key].to_string()),
                "API « {query} » ne trouve pas « {key} »"
            );
        }
    }
    // And not too much.
    for (query, key) in [
        ("mélodie", "elodie"),
        ("formation numérique", "formation"),
        ("émilie", "elodie"),
    ] {
        let (found, _) = search(q(query)).await;
        assert!(!found.contains(&ids[key]), "« {query} » trouve « {key} »");
    }
    // On SQLite a word is spelled out as the indexed terms it begins, up to
    // 64 of them; one that begins more stays a prefix query. Either way the
    // same profiles, and a term written by an edit is found at once.
    let user = app
        .person("vocabulaire@ales.fr", "Val Vocabulaire", "member", Some(ALES))
        .await;
    let mut own = Own::new("Val", "Vocabulaire");
    own.bio = (0..70).map(|i| format!("zorglub{i:03}")).collect::<Vec<_>>().join(" ");
    own.save(&app, user).await;
    let val = app.profile_of(user).await;
    if app.ctx.db.backend() == maillage_db::Backend::Sqlite {
        let sql = "SELECT COUNT(*) FROM profile_fts_terms WHERE term LIKE 'zorglub%'";
        assert_eq!(count(&app, sql).await, 70);
    }
    for query in [
        "zorg",
        "zorglub",
        "zorglub06",
        "zorglub069",
        "ZORGLUB00",
        "zorglub005 zorglub069",
    ] {
        let (found, _) = search(q(query)).await;
        assert_eq!(found, vec![val], "« {query} »");
    }
    for query in ["zorglub070", "zorglub1", "zorglub005 zorglub1"] {
        let (found, _) = search(q(query)).await;
        assert!(found.is_empty(), "« {query} » : {found:?}");
    }
    own.bio = "Zorglubophile convaincu.".into();
    own.save(&app, user).await;
    let (found, _) = search(q("zorglubo")).await;
    assert_eq!(found, vec![val]);
    let (found, _) = search(q("zorglub069")).await;
    assert!(found.is_empty(), "{found:?}");

    let (found, res) = search(q("zzzqqq")).await;
    assert!(found.is_empty());
    assert!(res.body.contains("Aucune fiche ne correspond"), "{}", res.body);

    // Pagination: 20 per page.
    let (page1, res1) = search(format!("{}&page=1", q("ornithologue"))).await;
    let (page2, res2) = search(format!("{}&page=2", q("ornithologue"))).await;
    assert_eq!((page1.len(), page2.len()), (20, 5));
    assert!(res1.text().contains("25 fiches"), "{}", res1.body);
    assert!(res1.body.contains("rel=\"next\"") && !res1.body.contains("rel=\"prev\""));
    assert!(res2.body.contains("rel=\"prev\"") && !res2.body.contains("rel=\"next\""));
    let all: BTreeSet<Uuid> = page1.iter().chain(&page2).copied().collect();
    let expected: BTreeSet<Uuid> = birds.iter().map(|b| b.id).collect();
    assert_eq!(all, expected);
    let (page3, _) = search(format!("{}&page=3", q("ornithologue"))).await;
    assert!(page3.is_empty());
    let api = app
        .api("/api/v1/annuaire?q=ornithologue&page=2", Some(&token))
        .await
        .json();
    assert_eq!(api["total"], 25);
    assert_eq!(api["par_page"], 20);
    assert_eq!(api["fiches"].as_array().unwrap().len(), 5);
    // Past the count's cap (here 5 instead of 1,000), pages come unranked,
    // on SQLite from the one full-text evaluation that counted them: every
    // page, inside the counted matches or beyond, in one order, without a
    // gap or a repeat.
    {
        let everything = maillage_db::profiles::Scope {
            everything: true,
            ..Default::default()
        };
        let text = maillage_domain::search::Query::parse("ornithologue").unwrap();
        let mut seen: Vec<Uuid> = Vec::new();
        for offset in (0..30).step_by(2) {
            let s = maillage_db::profiles::Search {
                text: Some(&text),
                limit: 2,
                offset,
                ..Default::default()
            };
            let mut c = app.ctx.db.conn().await.unwrap();
            let (total, rows) = maillage_db::profiles::search_counted(c.ex(), &everything, &s, 5)
                .await
                .unwrap();
            assert_eq!(total, 6, "offset {offset}");
            seen.extend(rows.iter().map(|r| r.id));
        }
        let distinct: BTreeSet<Uuid> = seen.iter().copied().collect();
        assert_eq!(seen.len(), 25, "{seen:?}");
        assert_eq!(distinct, birds.iter().map(|b| b.id).collect::<BTreeSet<_>>());
    }
    // Browsing without words: by name, paginated too.
    let (browse, res) = search(String::new()).await;
    assert_eq!(browse.len(), 20);
    assert!(res.body.contains("rel=\"next\""));

    // Filters, alone and combined with words and each other.
    let (ales_kind, ales_region, ales_dep) = {
        let mut c = app.ctx.db.conn().await.unwrap();
        let o = maillage_db::organisations::by_siren(c.ex(), ALES)
            .await
            .unwrap()
            .unwrap();
        (o.kind, o.region.unwrap(), o.departement.unwrap())
    };
    let bird_ids =
        |keep: &dyn Fn(&Bird) -> bool| -> BTreeSet<Uuid> { birds.iter().filter(|b| keep(b)).map(|b| b.id).collect() };
    let cases: Vec<(String, BTreeSet<Uuid>)> = vec![
        (format!("organisation={GRAND_EST}"), bird_ids(&|b| b.siren == GRAND_EST)),
        ("categorie=B".into(), bird_ids(&|b| b.category == "B")),
        (format!("theme={numerique}"), bird_ids(&|b| b.themed)),
        (
            format!("organisation={ALES}&categorie=A"),
            bird_ids(&|b| b.siren == ALES && b.category == "A"),
        ),
        (
            format!("organisation={ALES}&categorie=B&theme={numerique}"),
            bird_ids(&|b| b.siren == ALES && b.category == "B" && b.themed),
        ),
        (
            format!("type={ales_kind}&categorie=A"),
            bird_ids(&|b| b.siren == ALES && b.category == "A"),
        ),
        (format!("region={ales_region}"), bird_ids(&|b| b.siren == ALES)),
        (
            format!("departement={ales_dep}&theme={numerique}"),
            bird_ids(&|b| b.siren == ALES && b.themed),
        ),
        (
            "type=region&categorie=B".into(),
            bird_ids(&|b| b.siren == GRAND_EST && b.category == "B"),
        ),
        // An organisation outside the network, an unknown theme: nothing.
        ("organisation=220500011".into(), BTreeSet::new()),
        (format!("theme={}", Uuid::now_v7()), BTreeSet::new()),
    ];
    for (filters, expected) in cases {
        let mut fail = Failures::default();
        let query = format!("{}&{filters}", q("ornithologue"));
        let html = html_results(&app, &query, &viewer, &mut fail).await;
        assert_eq!(html.keys().copied().collect::<BTreeSet<_>>(), expected, "{query}");
        let api = api_results(&app, &query, &token, &mut fail).await;
        assert_eq!(api.keys().copied().collect::<BTreeSet<_>>(), expected, "API {query}");
        fail.done();
    }
    // Unknown values of other filters are ignored: a stale link still works.
    let (found, _) = search(format!("{}&categorie=Z&type=nope&region=99", q("ornithologue"))).await;
    assert_eq!(found.len(), 20);
    // The organisation's name is searched too.
    let (found, _) = search(format!("{}&categorie=B", q("alès"))).await;
    assert_eq!(
        found.into_iter().collect::<BTreeSet<_>>(),
        bird_ids(&|b| b.siren == ALES && b.category == "B")
    );
}

/// Ranked: a match on the name comes before a match in the presentation,
/// whatever the alphabetical order (« Roux » before « Zéphyrin »).
#[tokio::test]
async fn search_ranks_a_name_match_before_a_presentation_match() {
    let app = TestApp::new().await;
    let coordinator = app
        .person("coordination@reseau.fr", "Dominique Coordination", "coordinator", None)
        .await;
    let viewer = app.session(coordinator).await;
    let token = app.token(coordinator).await;
    let by_name = app
        .person("h.zephyrin@grandest.fr", "Hugo Zéphyrin", "member", Some(GRAND_EST))
        .await;
    let by_bio = app.person("l.roux@ales.fr", "Léa Roux", "member", Some(ALES)).await;
    let mut own = Own::new("Léa", "Roux");
    own.bio = "Travaille souvent avec Zéphyrin.".into();
    own.save(&app, by_bio).await;
    let (name, bio) = (app.profile_of(by_name).await, app.profile_of(by_bio).await);
    for query in ["zéphyrin", "zephyr"] {
        let res = app
            .get(&format!("/annuaire?{}", form(&[("q", query)])), Some(&viewer))
            .await;
        let found: Vec<Uuid> = cards(&res.body).into_iter().map(|(id, _)| id).collect();
        assert_eq!(found, vec![name, bio], "« {query} » : le nom d'abord");
        let api = app
            .api(&format!("/api/v1/annuaire?{}", form(&[("q", query)])), Some(&token))
            .await
            .json();
        let order: Vec<String> = api["fiches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            order,
            vec![name.to_string(), bio.to_string()],
            "API « {query} » : le nom d'abord"
        );
    }
}

// ---------------------------------------------------------------------------
// History and the information text
// ---------------------------------------------------------------------------

/// The person's edits and their administrator's appear in the profile's
/// history (who, when, which fields) for the person and the administrators
/// only; the information text shows on /profil until the first save.
#[tokio::test]
async fn history_of_changes_and_the_information_text() {
    let app = TestApp::new().await;
    let person = app
        .person("elodie.martin@ales.fr", "Élodie Martin", "member", Some(ALES))
        .await;
    let admin = app
        .person("admin@ales.fr", "Claude Administratrice", "org-admin", Some(ALES))
        .await;
    let colleague = app
        .person("collegue@ales.fr", "Camille Collègue", "member", Some(ALES))
        .await;
    let outsider = app
        .person("externe@grandest.fr", "Sacha Externe", "member", Some(GRAND_EST))
        .await;
    let other_admin = app
        .person(
            "admin@grandest.fr",
            "Alix Admin-Grand-Est",
            "org-admin",
            Some(GRAND_EST),
        )
        .await;
    let coordinator = app
        .person("coordination@reseau.fr", "Dominique Coordination", "coordinator", None)
        .await;
    let id = app.profile_of(person).await;
    let me = app.session(person).await;

    // Before the first save: the information text, on /profil and as a
    // reminder on the directory.
    let info = "Vous figurez dans l'annuaire du réseau";
    let res = app.get("/profil", Some(&me)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.text().contains(info), "{}", res.body);
    assert!(
        res.text()
            .contains("Pour chaque information, vous choisissez qui peut la voir")
    );
    assert!(res.body.contains("href=\"/donnees-personnelles\""));
    let res = app.get("/annuaire", Some(&me)).await;
    assert!(res.body.contains("Vérifiez votre fiche"), "{}", res.body);
    // A refused form does not count as read.
    let mut own = Own::new("Élodie", "Martin");
    own.email = "pas-une-adresse".into();
    let res = own.post(&app, &me).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains(info));
    let mut bad_vis = Own::new("Élodie", "Martin");
    bad_vis.vis[3] = "tout-le-monde";
    let res = bad_vis.post(&app, &me).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("Choisissez qui peut voir ce champ."));
    let res = app.get("/profil", Some(&me)).await;
    assert!(res.text().contains(info));

    // The person's edit.
    let mut own = Own::new("Élodie", "Martin");
    own.function_title = "Cheffe de projet".into();
    own.bio = "Je coordonne l'école interne.".into();
    let res = own.post(&app, &me).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = app.get("/profil?info=profil-enregistre", Some(&me)).await;
    assert!(!res.text().contains(info), "le texte d'information reste affiché");
    assert!(res.text().contains("vos choix de visibilité s'appliquent"));
    assert!(res.body.contains("Cheffe de projet"));
    let res = app.get("/annuaire", Some(&me)).await;
    assert!(!res.body.contains("Vérifiez votre fiche"));

    // The administrator's edit of the administrative fields.
    let admin_b = app.session(admin).await;
    let edit = format!("/annuaire/{id}/modifier");
    let res = app.get(&edit, Some(&admin_b)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("Cheffe de projet"));
    let fields = |service: &str, phone: &str, email: &str| {
        vec![
            ("first_name".to_owned(), "Élodie".to_owned()),
            ("last_name".into(), "Martin".into()),
            ("function_title".into(), "Cheffe de projet".into()),
            ("direction".into(), String::new()),
            ("service".into(), service.into()),
            ("category".into(), String::new()),
            ("cadre".into(), String::new()),
            ("email".into(), email.into()),
            ("phone".into(), phone.into()),
        ]
    };
    let send = |b: &Browser, pairs: Vec<(String, String)>| {
        let app = &app;
        let edit = edit.clone();
        let b = b.clone();
        async move {
            let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.request(Method::POST, &edit, Some(&b), Some(form(&refs)), &[]).await
        }
    };
    let res = send(
        &admin_b,
        fields("Service formation", "pas un numéro", "elodie.martin@ales.fr"),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Service formation"), "le formulaire garde la saisie");
    let res = send(
        &admin_b,
        fields("Service formation", "04 66 56 10 10", "elodie.martin@ales.fr"),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), format!("/annuaire/{id}?info=fiche-modifiee"));
    // Neither another organisation's administrator nor a colleague.
    for user in [other_admin, colleague] {
        let b = app.session(user).await;
        assert_eq!(app.get(&edit, Some(&b)).await.status, StatusCode::NOT_FOUND);
        let res = send(&b, fields("Piratage", "", "")).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    }
    // An address another profile has is refused on the field.
    let res = send(
        &admin_b,
        fields("Service formation", "04 66 56 10 10", "collegue@ales.fr"),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("déjà celle d'une autre fiche"), "{}", res.body);

    // The history: who, when, which fields, newest first.
    for (who, user, shown) in [
        ("la personne", person, true),
        ("son administratrice", admin, true),
        ("l'animation", coordinator, true),
        ("une collègue", colleague, false),
        ("une personne d'ailleurs", outsider, false),
        ("l'admin d'ailleurs", other_admin, false),
    ] {
        let b = app.session(user).await;
        let res = app.get(&format!("/annuaire/{id}"), Some(&b)).await;
        assert_eq!(res.status, StatusCode::OK, "{who}");
        let text = res.text();
        assert_eq!(text.contains("Historique des modifications"), shown, "{who}");
        if !shown {
            assert!(!text.contains("Claude Administratrice"), "{who}");
            continue;
        }
        let history = &text[text.find("Historique des modifications").unwrap()..];
        let admin_row = history.find("Claude Administratrice").expect("l'administratrice");
        let own_row = history.find("Élodie Martin").expect("la personne");
        assert!(admin_row < own_row, "{who} : du plus récent au plus ancien");
        let row = |at: usize| history[at..].split("</tr>").next().unwrap().to_owned();
        let a = row(admin_row);
        assert!(a.contains("Service") && a.contains("Téléphone"), "{who} : {a}");
        assert!(!a.contains("Fonction") && !a.contains("Présentation"), "{who} : {a}");
        let o = row(own_row);
        assert!(o.contains("Fonction") && o.contains("Présentation"), "{who} : {o}");
        // Dated (« 22 novembre 2025 à 10 h 05 » or the like: a year).
        let year = time::OffsetDateTime::now_utc().year().to_string();
        assert!(history.contains(&year), "{who} : pas de date");
        // Never the values.
        assert!(
            !history.contains("04 66 56 10 10") && !history.contains("Cheffe"),
            "{who}"
        );
    }
}

// ---------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------

async fn upload(app: &TestApp, b: &Browser, siren: &str, name: &str, bytes: &[u8]) -> Res {
    app.upload(
        "/admin/import",
        b,
        &[
            Part::field("organisation", siren),
            Part::file("file", name, "text/csv", bytes),
        ],
    )
    .await
}

/// The id of the import an upload redirected to.
fn import_id(res: &Res) -> String {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "envoi refusé : {}", res.text());
    res.location()
        .strip_prefix("/admin/import/")
        .expect("aperçu")
        .to_owned()
}

/// A good agents file from an HR software: Windows-1252, `;`, French titles;
/// then a re-import with one change; the column mapping of an unknown title;
/// and the claim of an imported profile through the invitation mail.
#[tokio::test]
async fn import_an_agents_file_reimport_map_columns_and_claim() {
    let app = TestApp::new().await;
    let admin = app
        .person("admin@ales.fr", "Claude Administratrice", "org-admin", Some(ALES))
        .await;
    let b = app.session(admin).await;
    let start = count_profiles(&app).await;

    let file = "Nom;Prénom;Courriel;Fonction;Téléphone;Catégorie;Direction;Service\r\n\
                Lefèvre;Hélène;helene.lefevre@ales.fr;Chargée de mission égalité;04 66 00 00 01;A;DRH;Formation\r\n\
                Cœurderoy;Noël;noel.coeurderoy@ales.fr;Directeur général adjoint;;A+;DGS;\r\n\
                L’Hôte;Zoé;zoe.lhote@ales.fr;Agente d’accueil;04.66.00.00.03;C;Population;Accueil\r\n";
    let bytes = cp1252(file);
    let res = upload(&app, &b, ALES, "agents-2025.csv", &bytes).await;
    let id = import_id(&res);
    let preview = app.get(&format!("/admin/import/{id}"), Some(&b)).await;
    assert_eq!(preview.status, StatusCode::OK);
    let text = preview.text();
    assert!(text.contains("Windows-1252"), "{text}");
    assert!(text.contains("séparateur « ; »"), "{text}");
    assert!(
        text.contains("3 fiche(s) à créer, 0 à mettre à jour, 0 inchangée(s)"),
        "{text}"
    );
    assert!(text.contains("Hélène Lefèvre") && text.contains("Noël Cœurderoy") && text.contains("Zoé L’Hôte"));
    // Nothing is written before the validation.
    assert_eq!(count_profiles(&app).await, start);
    let res = app
        .submit(
            &format!("/admin/import/{id}/valider"),
            &mut b.clone(),
            &[("inviter", "oui")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let report = res.text();
    assert!(report.contains("<dt>Fiches créées</dt><dd>3</dd>"), "{report}");
    assert!(report.contains("<dt>Invitations envoyées</dt><dd>3</dd>"), "{report}");
    assert_eq!(count_profiles(&app).await, start + 3);
    // The pending import is gone.
    assert_eq!(
        app.get(&format!("/admin/import/{id}"), Some(&b)).await.status,
        StatusCode::NOT_FOUND
    );
    // Found in the directory, accents and all.
    let res = app.get("/annuaire?q=helene+egalite", Some(&b)).await;
    let found = cards(&res.body);
    assert_eq!(found.len(), 1, "{}", res.body);
    let helene = found[0].0;
    let page = app.get(&format!("/annuaire/{helene}"), Some(&b)).await;
    let text = page.text();
    for v in [
        "Hélène Lefèvre",
        "Chargée de mission égalité",
        "04 66 00 00 01",
        "DRH",
        "Formation",
    ] {
        assert!(text.contains(v), "{v} absent de la fiche importée");
    }
    assert!(text.contains("n'a pas encore de compte"), "{text}");
    assert!(text.contains("(import)"), "l'historique nomme l'import");

    // Re-import: one change, the rest unchanged, no duplicates.
    let changed = file.replace("Chargée de mission égalité", "Cheffe de projet égalité");
    let res = upload(&app, &b, ALES, "agents-2025-bis.csv", &cp1252(&changed)).await;
    let id = import_id(&res);
    let preview = app.get(&format!("/admin/import/{id}"), Some(&b)).await;
    assert!(
        preview
            .text()
            .contains("0 fiche(s) à créer, 1 à mettre à jour, 2 inchangée(s)"),
        "{}",
        preview.text()
    );
    let res = app
        .submit(
            &format!("/admin/import/{id}/valider"),
            &mut b.clone(),
            &[("inviter", "oui")],
        )
        .await;
    let report = res.text();
    assert!(report.contains("<dt>Fiches créées</dt><dd>0</dd>"), "{report}");
    assert!(report.contains("<dt>Fiches mises à jour</dt><dd>1</dd>"), "{report}");
    assert!(report.contains("<dt>Fiches inchangées</dt><dd>2</dd>"), "{report}");
    assert!(report.contains("<dt>Invitations envoyées</dt><dd>0</dd>"), "{report}");
    assert_eq!(count_profiles(&app).await, start + 3);
    let page = app.get(&format!("/annuaire/{helene}"), Some(&b)).await;
    assert!(page.text().contains("Cheffe de projet égalité"));
    // An empty cell keeps what is there: Noël's service stays empty, and a
    // file without the phone column does not erase Hélène's phone.
    let res = upload(
        &app,
        &b,
        ALES,
        "sans-telephone.csv",
        "Nom;Prénom;Courriel\nLefèvre;Hélène;helene.lefevre@ales.fr\n".as_bytes(),
    )
    .await;
    let id = import_id(&res);
    let res = app
        .submit(&format!("/admin/import/{id}/valider"), &mut b.clone(), &[])
        .await;
    assert!(
        res.text().contains("<dt>Fiches inchangées</dt><dd>1</dd>"),
        "{}",
        res.text()
    );
    assert!(
        app.get(&format!("/annuaire/{helene}"), Some(&b))
            .await
            .body
            .contains("04 66 00 00 01")
    );

    // An unknown title: the mandatory column is missing until mapped.
    let file = "Nom;Prénom;Adresse pro;Emploi occupé\nBerger;Anne;anne.berger@ales.fr;Juriste\n";
    let res = upload(&app, &b, ALES, "sirh.csv", file.as_bytes()).await;
    let id = import_id(&res);
    let preview = app.get(&format!("/admin/import/{id}"), Some(&b)).await;
    let text = preview.text();
    assert!(text.contains("La colonne « Courriel » est obligatoire"), "{text}");
    assert!(
        !text.contains(&format!("action=\"/admin/import/{id}/valider\"")),
        "bouton d'import affiché"
    );
    assert!(text.contains("Adresse pro") && text.contains("Emploi occupé"));
    let before = count_profiles(&app).await;
    let res = app
        .submit(&format!("/admin/import/{id}/valider"), &mut b.clone(), &[])
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(res.text().contains("Courriel"), "{}", res.text());
    assert_eq!(count_profiles(&app).await, before);
    // The mapping: one value per column.
    let res = app
        .submit(
            &format!("/admin/import/{id}/colonnes"),
            &mut b.clone(),
            &[
                ("colonne", "nom"),
                ("colonne", "prenom"),
                ("colonne", "courriel"),
                ("colonne", "fonction"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), format!("/admin/import/{id}#apercu"));
    let preview = app.get(&format!("/admin/import/{id}"), Some(&b)).await;
    let text = preview.text();
    assert!(text.contains("1 fiche(s) à créer"), "{text}");
    assert!(text.contains(&format!("action=\"/admin/import/{id}/valider\"")));
    // A mapping that does not fit the file (stale form) is refused.
    let res = app
        .submit(
            &format!("/admin/import/{id}/colonnes"),
            &mut b.clone(),
            &[("colonne", "nom")],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let res = app
        .submit(
            &format!("/admin/import/{id}/valider"),
            &mut b.clone(),
            &[("inviter", "oui")],
        )
        .await;
    assert!(
        res.text().contains("<dt>Fiches créées</dt><dd>1</dd>"),
        "{}",
        res.text()
    );
    assert_eq!(count_profiles(&app).await, before + 1);
    let res = app.get("/annuaire?q=berger", Some(&b)).await;
    assert!(res.body.contains("Juriste"));

    // Discarding a pending import.
    let res = upload(&app, &b, ALES, "a-jeter.csv", b"Nom;Prenom;Courriel\nX;Y;x.y@ales.fr\n").await;
    let id = import_id(&res);
    let res = app
        .submit(&format!("/admin/import/{id}/abandonner"), &mut b.clone(), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("/admin/import/{id}"), Some(&b)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM imports").await, 0);

    // The claim: each created person got one mail with a link.
    let mails = app.mails().await;
    let zoe = mails
        .iter()
        .find(|m| m.contains("zoe.lhote@ales.fr"))
        .expect("invitation de Zoé");
    assert!(zoe.contains("annuaire"), "{zoe}");
    assert_eq!(
        mails.iter().filter(|m| m.contains("helene.lefevre@ales.fr")).count(),
        1,
        "une seule invitation par personne"
    );
    let path = link(zoe, "http://");
    assert!(path.starts_with("/invitation?jeton="), "{path}");
    let jeton = path.split("jeton=").nth(1).unwrap().to_owned();
    let res = app.get(&path, None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let mut zoe_b = Browser::default();
    let res = app
        .submit(
            "/invitation",
            &mut zoe_b,
            &[
                ("jeton", &jeton),
                ("display_name", "Zoé L’Hôte"),
                ("password", PASSWORD),
                ("confirmation", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // Linked, not duplicated.
    assert_eq!(count_profiles(&app).await, before + 1);
    let res = app.visit("/profil", &mut zoe_b).await;
    assert_eq!(res.status, StatusCode::OK);
    let text = res.text();
    assert!(text.contains(">Ma fiche</a>"), "lien « Ma fiche »");
    assert!(text.contains("Agente d’accueil"), "{text}");
    assert!(text.contains("04 66 00 00 03") && text.contains("Population") && text.contains("Accueil"));
    assert!(
        text.contains("Vous figurez dans l'annuaire du réseau"),
        "texte d'information"
    );
    let zoe_user = app.user_id("zoe.lhote@ales.fr").await;
    let zoe_profile = app.profile_of(zoe_user).await;
    let res = app.get(&format!("/annuaire/{zoe_profile}"), Some(&b)).await;
    assert!(
        !res.text().contains("n'a pas encore de compte"),
        "la fiche est revendiquée"
    );
    assert!(res.text().contains("Fiche revendiquée par son compte"), "historique");

    // She chooses; a later import updates her post but keeps her choices
    // and what she wrote.
    let mut own = Own::new("Zoé", "L’Hôte");
    own.function_title = "Agente d’accueil".into();
    own.direction = "Population".into();
    own.service = "Accueil".into();
    own.category = "C".into();
    own.email = "zoe.lhote@ales.fr".into();
    own.phone = "04 66 00 00 03".into();
    own.bio = "J'accueille le public.".into();
    own.vis[5] = "prive";
    own.listed = "organisation";
    let res = own.post(&app, &zoe_b).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let file = "Nom;Prénom;Courriel;Fonction\nL’Hôte;Zoé;zoe.lhote@ales.fr;Responsable de l’accueil\n";
    let res = upload(&app, &b, ALES, "agents.csv", &cp1252(file)).await;
    let id = import_id(&res);
    let res = app
        .submit(&format!("/admin/import/{id}/valider"), &mut b.clone(), &[])
        .await;
    assert!(
        res.text().contains("<dt>Fiches mises à jour</dt><dd>1</dd>"),
        "{}",
        res.text()
    );
    let mine = app.get("/profil", Some(&zoe_b)).await.text();
    assert!(mine.contains("Responsable de l’accueil"), "{mine}");
    assert!(mine.contains("J'accueille le public."), "la présentation est effacée");
    assert!(
        mine.contains("<option value=\"prive\" selected>") && mine.contains("<option value=\"organisation\" selected>"),
        "les choix de visibilité sont effacés"
    );
    let outsider = app
        .person("externe@grandest.fr", "Sacha Externe", "member", Some(GRAND_EST))
        .await;
    let ob = app.session(outsider).await;
    assert_eq!(
        app.get(&format!("/annuaire/{zoe_profile}"), Some(&ob)).await.status,
        StatusCode::NOT_FOUND
    );
}

/// Every bad file of the issue: a clear French message naming the line and
/// the column where they exist, and nothing imported.
#[tokio::test]
async fn bad_agents_files_are_refused_with_their_line_and_nothing_is_imported() {
    let app = TestApp::new().await;
    let admin = app
        .person("admin@ales.fr", "Claude Administratrice", "org-admin", Some(ALES))
        .await;
    app.person("deja.ailleurs@grandest.fr", "Déjà Ailleurs", "member", Some(GRAND_EST))
        .await;
    let b = app.session(admin).await;
    let profiles = count_profiles(&app).await;

    let mut latin_after_bom = b"\xEF\xBB\xBFNom;Prenom;Courriel\nMartin;Paul;p.martin@ales.fr\n".to_vec();
    latin_after_bom.extend_from_slice(b"Dupr\xE9;Jean;j.dupre@ales.fr\n");
    let huge = format!(
        "Nom;Prénom;Courriel;Fonction\nMartin;Paul;p.martin@ales.fr;{}\n",
        "x".repeat(10 * 1024 * 1024)
    );
    let mut xlsx = b"PK\x03\x04\x14\x00\x06\x00".to_vec();
    xlsx.extend_from_slice(&[0u8; 64]);
    let mut utf16_odd = vec![0xFF, 0xFE];
    for c in "Nom;Prénom;Courriel\n".encode_utf16() {
        utf16_odd.extend_from_slice(&c.to_le_bytes());
    }
    utf16_odd.push(b'x');

    // (what, bytes, fragments of the message shown at upload)
    let refused_at_upload: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        (
            "encodage déclaré faux",
            latin_after_bom,
            vec!["Ligne 3", "UTF-8", "ré-enregistrez-le"],
        ),
        ("UTF-16 tronqué", utf16_odd, vec!["UTF-16", "tronqué"]),
        (
            "ligne de travers",
            b"Nom;Prenom;Courriel\nMartin;Paul;p.martin@ales.fr\nDupont;Jean\n".to_vec(),
            vec!["Ligne 3", "2 cellules au lieu de 3"],
        ),
        (
            "guillemet non fermé",
            b"Nom;Prenom;Courriel\nMartin;\"Paul;p.martin@ales.fr\nDupont;Jean;j.dupont@ales.fr\n".to_vec(),
            vec!["Ligne 2", "colonne « Prenom »", "guillemet non fermé"],
        ),
        (
            "cellule de 10 Mo",
            huge.into_bytes(),
            vec!["Ligne 2", "colonne « Fonction »", "beaucoup trop longue"],
        ),
        (
            "fichier de blancs",
            b" \r\n \r\n".to_vec(),
            vec!["Le fichier est vide."],
        ),
        (
            "fichier vide",
            Vec::new(),
            vec!["un fichier vide ne peut pas être importé"],
        ),
        (
            "PDF",
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n".to_vec(),
            vec!["C'est un document PDF"],
        ),
        ("classeur xlsx", xlsx, vec!["C'est un classeur"]),
        ("image", png(80, 80), vec!["C'est une image"]),
        (
            "page web",
            b"<!DOCTYPE html><html><body><table><tr><td>Nom</td></tr></table>".to_vec(),
            vec!["page web"],
        ),
        (
            "binaire",
            b"Nom;Prenom;Courriel\n\x00\x01\x02\x03".to_vec(),
            vec!["données binaires"],
        ),
    ];
    for (what, bytes, fragments) in refused_at_upload {
        let res = upload(&app, &b, ALES, "agents.csv", &bytes).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{what} : {}", res.status);
        let text = res.text();
        for f in fragments {
            assert!(
                text.contains(f),
                "{what} : « {f} » absent de :\n{}",
                &text[..text.len().min(20_000)]
            );
        }
        assert!(text.contains("aria-invalid=\"true\""), "{what} : champ non signalé");
        assert!(!text.contains(&"x".repeat(200)), "{what} : la cellule est recopiée");
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM imports").await,
            0,
            "{what} : import conservé"
        );
        assert_eq!(count_profiles(&app).await, profiles, "{what}");
    }
    // Without organisation or file.
    let res = app
        .upload(
            "/admin/import",
            &b,
            &[Part::file("file", "a.csv", "text/csv", b"Nom;Prenom;Courriel\n")],
        )
        .await;
    assert!(res.status.is_client_error(), "{}", res.status);
    let res = app
        .upload("/admin/import", &b, &[Part::field("organisation", ALES)])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Problems seen in the preview; the validation then refuses (409).
    let cases: Vec<(&str, &[u8], Vec<&str>)> = vec![
        (
            "colonne obligatoire manquante",
            b"Nom;Prenom;Fonction\nMartin;Paul;Juriste\n",
            vec!["La colonne « Courriel » est obligatoire"],
        ),
        (
            "deux colonnes obligatoires manquantes",
            b"Nom;Fonction\nMartin;Juriste\n",
            vec!["Les colonnes « Prénom » et « Courriel » sont obligatoires"],
        ),
        (
            "courriels en double",
            b"Nom;Prenom;Courriel\nMartin;Paul;p.martin@ales.fr\nMartin;Pauline;P.Martin@ales.fr\n",
            vec!["Ligne 3, colonne « Courriel »", "déjà présente ligne 2"],
        ),
        (
            "courriel d'une autre organisation",
            b"Nom;Prenom;Courriel\nAilleurs;Deja;deja.ailleurs@grandest.fr\nMartin;Paul;p.martin@ales.fr\n",
            vec!["Ligne 2, colonne « Courriel »", "autre organisation du réseau"],
        ),
        (
            "courriel invalide et catégorie inconnue",
            b"Nom;Prenom;Courriel;Categorie\nMartin;Paul;pas-une-adresse;A\nDurand;Lea;l.durand@ales.fr;Z\n",
            vec![
                "Ligne 2, colonne « Courriel »",
                "non valide",
                "Ligne 3, colonne « Categorie »",
            ],
        ),
        (
            "nom manquant",
            b"Nom;Prenom;Courriel\n;Paul;p.martin@ales.fr\n",
            vec!["Ligne 2, colonne « Nom »", "obligatoire"],
        ),
        ("titres seuls", b"Nom;Prenom;Courriel\n", vec!["0 fiche(s) à créer"]),
    ];
    for (what, bytes, fragments) in cases {
        let res = upload(&app, &b, ALES, "agents.csv", bytes).await;
        let id = import_id(&res);
        let preview = app.get(&format!("/admin/import/{id}"), Some(&b)).await;
        assert_eq!(preview.status, StatusCode::OK, "{what}");
        let text = preview.text();
        for f in fragments {
            assert!(text.contains(f), "{what} : « {f} » absent de l'aperçu :\n{text}");
        }
        assert!(
            !text.contains(&format!("action=\"/admin/import/{id}/valider\"")),
            "{what} : bouton d'import affiché"
        );
        let res = app
            .submit(
                &format!("/admin/import/{id}/valider"),
                &mut b.clone(),
                &[("inviter", "oui")],
            )
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{what} : {}", res.status);
        assert!(
            res.text().contains("rien n'a été importé")
                || res.text().contains("obligatoire")
                || res.text().contains("aucune ligne"),
            "{what} : {}",
            res.text()
        );
        assert_eq!(count_profiles(&app).await, profiles, "{what} : fiches créées");
        // All or nothing: the valid line of the file was not imported either.
        let found = app.get("/annuaire?q=p.martin", Some(&b)).await;
        assert!(cards(&found.body).is_empty(), "{what} : une ligne a été importée");
    }
    assert!(
        app.mails().await.is_empty(),
        "invitations envoyées pour un import refusé"
    );
    // Another organisation's import is not reachable, nor is uploading for it.
    let res = upload(
        &app,
        &b,
        GRAND_EST,
        "agents.csv",
        b"Nom;Prenom;Courriel\nA;B;a.b@grandest.fr\n",
    )
    .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

/// `maillage import agents` runs the same plan: a dry run writes nothing,
/// then the import writes; a file with problems writes nothing.
#[tokio::test]
async fn import_from_the_command_line() {
    use maillage_core::directory::import::from_cli;
    let app = TestApp::new().await;
    app.person("admin@ales.fr", "Claude Administratrice", "org-admin", Some(ALES))
        .await;
    let start = count_profiles(&app).await;
    let file =
        cp1252("Nom;Prénom;Courriel;Fonction\nLefèvre;Hélène;h.lefevre@ales.fr;Juriste\nCœur;Noël;n.coeur@ales.fr;\n");

    let dry = from_cli(&app.ctx, ALES, &file, true, true).await.expect("simulation");
    assert!(!dry.written);
    assert_eq!(dry.encoding, "Windows-1252");
    assert_eq!(
        (dry.counts.created, dry.counts.updated, dry.counts.unchanged),
        (2, 0, 0)
    );
    assert!(dry.problems.is_empty());
    assert_eq!(count_profiles(&app).await, start, "la simulation a écrit");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM jobs").await,
        0,
        "la simulation a envoyé des courriels"
    );

    let done = from_cli(&app.ctx, ALES, &file, false, false).await.expect("import");
    assert!(done.written);
    assert_eq!(done.counts.created, 2);
    assert_eq!(count_profiles(&app).await, start + 2);
    assert!(app.mails().await.is_empty(), "sans --inviter, pas d'invitation");
    let again = from_cli(&app.ctx, ALES, &file, false, false).await.expect("réimport");
    assert_eq!((again.counts.created, again.counts.unchanged), (0, 2));
    assert_eq!(count_profiles(&app).await, start + 2);

    let bad = b"Nom;Prenom;Courriel\nA;B;x@ales.fr\nC;D;X@ales.fr\n";
    let out = from_cli(&app.ctx, ALES, bad, false, false).await.expect("problèmes");
    assert!(!out.written);
    assert_eq!(out.problems.len(), 1);
    assert_eq!(out.problems[0].line, 3);
    assert_eq!(count_profiles(&app).await, start + 2);
    assert!(from_cli(&app.ctx, "123", &file, false, true).await.is_err());
    assert!(from_cli(&app.ctx, "220500011", &file, false, true).await.is_err());
    assert!(from_cli(&app.ctx, ALES, b"", false, true).await.is_err());
    assert_eq!(count_profiles(&app).await, start + 2);
}

// ---------------------------------------------------------------------------
// Photo
// ---------------------------------------------------------------------------

/// A real PNG is taken (and served as a JPEG), a GIF named .jpg is refused
/// with a French message, the photo follows its visibility, and is removed.
#[tokio::test]
async fn profile_photo_upload_visibility_and_removal() {
    let app = TestApp::new().await;
    let person = app.person("photo@ales.fr", "Élodie Martin", "member", Some(ALES)).await;
    let colleague = app
        .person("collegue@ales.fr", "Camille Collègue", "member", Some(ALES))
        .await;
    let outsider = app
        .person("externe@grandest.fr", "Sacha Externe", "member", Some(GRAND_EST))
        .await;
    let id = app.profile_of(person).await;
    let me = app.session(person).await;
    let photo_url = format!("/annuaire/{id}/photo");
    let send = |name: &'static str, ct: &'static str, bytes: Vec<u8>| {
        let app = &app;
        let me = me.clone();
        async move {
            app.upload("/profil/photo", &me, &[Part::file("photo", name, ct, &bytes)])
                .await
        }
    };

    assert_eq!(app.get(&photo_url, Some(&me)).await.status, StatusCode::NOT_FOUND);
    // Refused: a GIF named .jpg, too small, empty, not a file at all.
    let gif = b"GIF89a\x40\x00\x40\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;".to_vec();
    for (what, name, ct, bytes, message) in [
        (
            "GIF renommé",
            "portrait.jpg",
            "image/jpeg",
            gif,
            "Ce fichier n'est pas une image JPEG, PNG ou WebP.",
        ),
        (
            "trop petite",
            "icone.png",
            "image/png",
            png(16, 16),
            "La photo est trop petite",
        ),
        ("vide", "vide.png", "image/png", Vec::new(), "Choisissez une photo"),
    ] {
        let res = send(name, ct, bytes).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        let text = res.text();
        assert!(text.contains(message), "{what} : {text}");
        assert!(text.contains("id=\"photo-error\""), "{what}");
        assert_eq!(
            app.get(&photo_url, Some(&me)).await.status,
            StatusCode::NOT_FOUND,
            "{what}"
        );
    }
    // A real PNG, wider than high: kept as a square JPEG.
    let res = send("portrait.png", "image/png", png(200, 120)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert_eq!(res.location(), "/profil?info=photo-enregistree");
    let res = app.get(&photo_url, Some(&me)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.content_type(), "image/jpeg");
    assert!(res.bytes.starts_with(&[0xFF, 0xD8, 0xFF]) && res.bytes.ends_with(&[0xFF, 0xD9]));
    let page = app.get("/profil", Some(&me)).await;
    assert!(page.body.contains(&format!("src=\"{photo_url}\"")));
    assert!(page.body.contains("Retirer ma photo"));
    // Everyone logged in sees it (network by default); not anonymous.
    for user in [colleague, outsider] {
        let b = app.session(user).await;
        assert_eq!(app.get(&photo_url, Some(&b)).await.status, StatusCode::OK);
    }
    assert!(is_login(&app.get(&photo_url, None).await));
    // Organisation only.
    let mut own = Own::new("Élodie", "Martin");
    own.vis[9] = "organisation";
    assert_eq!(own.post(&app, &me).await.status, StatusCode::SEE_OTHER);
    let b = app.session(colleague).await;
    assert_eq!(app.get(&photo_url, Some(&b)).await.status, StatusCode::OK);
    let b = app.session(outsider).await;
    assert_eq!(app.get(&photo_url, Some(&b)).await.status, StatusCode::NOT_FOUND);
    let page = app.get(&format!("/annuaire/{id}"), Some(&b)).await;
    assert!(!page.body.contains(&photo_url));
    // Removed.
    let res = app.submit("/profil/photo/supprimer", &mut me.clone(), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get(&photo_url, Some(&me)).await.status, StatusCode::NOT_FOUND);
    let history = app.get(&format!("/annuaire/{id}"), Some(&me)).await.text();
    assert!(history.contains("Photo"), "l'historique nomme la photo");
}

// ---------------------------------------------------------------------------
// Themes
// ---------------------------------------------------------------------------

/// The coordinator manages the list of themes; a renamed theme is found by
/// its new name, a removed one disappears from the profiles.
#[tokio::test]
async fn themes_are_managed_by_the_coordinator() {
    let app = TestApp::new().await;
    let coordinator = app
        .person("coordination@reseau.fr", "Dominique Coordination", "coordinator", None)
        .await;
    let person = app.person("p@ales.fr", "Paul Martin", "member", Some(ALES)).await;
    let admin = app
        .person("admin@ales.fr", "Claude Admin", "org-admin", Some(ALES))
        .await;
    let mut c = app.session(coordinator).await;

    let res = app.visit("/admin/thematiques", &mut c).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.text().contains("Aucune thématique"));
    let res = app.submit("/admin/thematiques/suggerees", &mut c, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let list = maillage_core::directory::themes::list(&app.ctx).await.unwrap();
    assert_eq!(list.len(), maillage_core::directory::themes::STARTER.len());
    let res = app
        .submit("/admin/thematiques", &mut c, &[("name", "Urbanisme tactique")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    for dup in ["urbanisme TACTIQUE", "Urbanisme  tactique", ""] {
        let res = app.submit("/admin/thematiques", &mut c, &[("name", dup)]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "« {dup} »");
    }
    let id = maillage_core::directory::themes::list(&app.ctx)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == "Urbanisme tactique")
        .unwrap()
        .id;
    let mut own = Own::new("Paul", "Martin");
    own.expertise = vec![id.to_string()];
    own.save(&app, person).await;
    let b = app.session(person).await;
    assert_eq!(cards(&app.get("/annuaire?q=tactique", Some(&b)).await.body).len(), 1);

    let res = app
        .submit(
            &format!("/admin/thematiques/{id}"),
            &mut c,
            &[("name", "Urbanisme transitoire")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(cards(&app.get("/annuaire?q=tactique", Some(&b)).await.body).is_empty());
    assert_eq!(cards(&app.get("/annuaire?q=transitoire", Some(&b)).await.body).len(), 1);
    // Others may not.
    let mut a = app.session(admin).await;
    for (path, pairs) in [
        ("/admin/thematiques".to_owned(), vec![("name", "Piratage")]),
        (format!("/admin/thematiques/{id}"), vec![("name", "Piratage")]),
        (format!("/admin/thematiques/{id}/supprimer"), vec![]),
    ] {
        let res = app.submit(&path, &mut a, &pairs).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(
        app.visit("/admin/thematiques", &mut a).await.status,
        StatusCode::FORBIDDEN
    );

    let res = app
        .submit(&format!("/admin/thematiques/{id}/supprimer"), &mut c, &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(cards(&app.get("/annuaire?q=transitoire", Some(&b)).await.body).is_empty());
    let res = app
        .submit(&format!("/admin/thematiques/{id}/supprimer"), &mut c, &[])
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // The person's form still saves (the removed theme is no longer offered).
    let page = app.get("/profil", Some(&b)).await;
    assert!(!page.body.contains(&id.to_string()));
}

/// Removing a photo one does not have changes nothing, so the history
/// records nothing (the history lists changes that happened).
#[tokio::test]
async fn removing_a_missing_photo_records_no_change() {
    let app = TestApp::new().await;
    let person = app.person("p@ales.fr", "Paul Martin", "member", Some(ALES)).await;
    let id = app.profile_of(person).await;
    let changes = || async {
        let mut c = app.ctx.db.conn().await.unwrap();
        maillage_db::profiles::changes(c.ex(), id, 100).await.unwrap().len()
    };
    let before = changes().await;
    let mut me = app.session(person).await;
    let res = app.submit("/profil/photo/supprimer", &mut me, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        changes().await,
        before,
        "une suppression de photo sans photo figure dans l'historique"
    );
}

/// An administrator removes the profile of someone who left: gone from the
/// pages, the searches (its index rows too), the API; the account stays.
#[tokio::test]
async fn an_administrator_removes_a_profile_for_good() {
    let app = TestApp::new().await;
    let person = app.person("partie@ales.fr", "Paule Partie", "member", Some(ALES)).await;
    let admin = app
        .person("admin@ales.fr", "Claude Admin", "org-admin", Some(ALES))
        .await;
    let other_admin = app
        .person(
            "admin@grandest.fr",
            "Alix Admin-Grand-Est",
            "org-admin",
            Some(GRAND_EST),
        )
        .await;
    let coordinator = app
        .person("coordination@reseau.fr", "Dominique Coordination", "coordinator", None)
        .await;
    let mut own = Own::new("Paule", "Partie");
    own.function_title = "Archiviste zorglubdepart".into();
    own.save(&app, person).await;
    let id = app.profile_of(person).await;
    let mut admin_b = app.session(admin).await;
    let token = app.token(admin).await;
    let remove = format!("/annuaire/{id}/supprimer");

    // Not the person themself, nor another organisation's administrator.
    for user in [person, other_admin] {
        let mut b = app.session(user).await;
        assert_eq!(app.submit(&remove, &mut b, &[]).await.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        cards(&app.get("/annuaire?q=zorglubdepart", Some(&admin_b)).await.body).len(),
        1
    );
    let res = app.submit(&remove, &mut admin_b, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/annuaire?info=fiche-supprimee");
    for user in [admin, coordinator, person] {
        let b = app.session(user).await;
        assert_eq!(
            app.get(&format!("/annuaire/{id}"), Some(&b)).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(cards(&app.get("/annuaire?q=zorglubdepart", Some(&b)).await.body).is_empty());
        assert!(cards(&app.get("/annuaire?q=partie", Some(&b)).await.body).is_empty());
    }
    let api = app.api("/api/v1/annuaire?q=zorglubdepart", Some(&token)).await.json();
    assert_eq!(api["total"], 0);
    assert_eq!(
        app.api(&format!("/api/v1/annuaire/{id}"), Some(&token)).await.status,
        StatusCode::NOT_FOUND
    );
    // A second removal: nothing there.
    assert_eq!(
        app.submit(&remove, &mut admin_b, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    // The directory still searches (no index row left behind).
    let mut own = Own::new("Nouvelle", "Recrue");
    own.function_title = "Archiviste zorglubarrivee".into();
    let newcomer = app
        .person("recrue@ales.fr", "Nouvelle Recrue", "member", Some(ALES))
        .await;
    own.save(&app, newcomer).await;
    assert_eq!(
        cards(&app.get("/annuaire?q=archiviste", Some(&admin_b)).await.body).len(),
        1
    );
    // The account stays; visiting « Ma fiche » does not bring the removed
    // profile back into the directory (nor does any GET write).
    let profiles = count_profiles(&app).await;
    let b = app.session(person).await;
    let res = app.get("/profil", Some(&b)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        count_profiles(&app).await,
        profiles,
        "GET /profil a recréé la fiche supprimée par l'administration"
    );
    assert!(cards(&app.get("/annuaire?q=partie", Some(&admin_b)).await.body).is_empty());
    let mut c = app.ctx.db.conn().await.unwrap();
    assert!(
        maillage_db::users::by_email(c.ex(), "partie@ales.fr")
            .await
            .unwrap()
            .is_some()
    );
    drop(c);
}
