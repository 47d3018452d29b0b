//! Hostile input in every text field of every form, and in the search
//! fields: the answer is never a server error; what is echoed back (a form
//! shown again, a value stored then shown on a page, the audit log, the API)
//! comes back escaped in HTML and intact in JSON; every response carries the
//! security headers; an organisation's website cannot be a `javascript:` URL.
//!
//! File uploads (the agents list of an import, the profile photo): files
//! that are not what their name or type says, hostile names and cells.

use axum::http::StatusCode;

use crate::harness::{ALES, Browser, PASSWORD, Part, Res, TestApp, form, link};

const COORDINATOR: &str = "animation@demo.example";
const ORG_ADMIN: &str = "ecole@demo.example";
const MEMBER: &str = "agent@demo.example";

/// A new password the policy accepts.
const GOOD_PASSWORD: &str = "une autre phrase de passe assez longue";

// ---------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------

/// Hostile values, by name: markup and attribute breakouts, a URL scheme,
/// template syntax, a long string, Unicode controls, a NUL byte, SQL.
fn corpus() -> Vec<(&'static str, String)> {
    let long = format!("{}{}", "é".repeat(2_500), "<script>alert(1)</script>".repeat(200));
    vec![
        ("script", "<script>alert(1)</script>".to_owned()),
        ("img", "\"><img src=x onerror=alert(1)>".to_owned()),
        ("javascript", "javascript:alert(1)".to_owned()),
        ("attribut", "' onmouseover='x".to_owned()),
        ("textarea", "</textarea><script>alert(1)</script>".to_owned()),
        ("gabarit", "{{7*7}} {% raw %}${7*7}".to_owned()),
        ("10 ko", long),
        (
            "unicode",
            "\u{202E}fdp.exe\u{200B}\u{200D}\u{2066}ﷺ\u{2069}\u{FEFF}𝕏".to_owned(),
        ),
        ("nul", "avant\u{0}après".to_owned()),
        ("sql", "'; DROP TABLE users; --".to_owned()),
    ]
}

/// Address-shaped hostile values that pass the email syntax check, so they
/// are stored and shown (pending invitations, accounts).
fn hostile_emails() -> Vec<String> {
    vec![
        "x\"onmouseover=\"alert(1)@ville.fr".to_owned(),
        "{{7*7}}'--@ville.fr".to_owned(),
        "a';drop-table-users;--@ville.fr".to_owned(),
    ]
}

/// What storage keeps of a value: trimmed, without NUL characters.
fn stored(v: &str) -> String {
    v.trim().replace('\u{0}', "")
}

/// A markup-free marker is safe to show raw; anything with `<>"'` must be
/// escaped wherever it is shown.
fn needs_escaping(v: &str) -> bool {
    v.contains(['<', '>', '"', '\''])
}

/// The 9-digit SIREN (Luhn key) starting with `prefix` (8 digits).
fn siren(prefix: &str) -> String {
    assert_eq!(prefix.len(), 8);
    (0..10)
        .map(|k| format!("{prefix}{k}"))
        .find(|s| maillage_domain::siren::Siren::parse(s).is_ok())
        .expect("une clé convient")
}

// ---------------------------------------------------------------------------
// Checks on every response
// ---------------------------------------------------------------------------

fn header<'a>(res: &'a Res, name: &str) -> &'a str {
    res.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

fn short(body: &str) -> String {
    body.chars().take(600).collect()
}

/// Not a server error; the security headers; HTML without any raw payload,
/// JSON that parses.
fn safe(what: &str, res: &Res) {
    assert!(
        !res.status.is_server_error(),
        "{what} : {} {}",
        res.status,
        short(&res.body)
    );
    let csp = header(res, "content-security-policy");
    assert!(csp.contains("default-src 'self'"), "{what} : CSP « {csp} »");
    assert_eq!(header(res, "x-content-type-options"), "nosniff", "{what}");
    let ct = header(res, "content-type");
    if ct.starts_with("text/html") {
        for raw in ["<script>alert", "<img src=x", "onmouseover='", "onmouseover=\"alert"] {
            assert!(!res.body.contains(raw), "{what} : « {raw} » non échappé dans la page");
        }
        for (name, p) in corpus() {
            if needs_escaping(&p) {
                assert!(!res.body.contains(&p), "{what} : charge « {name} » non échappée");
            }
        }
        for e in hostile_emails() {
            assert!(!res.body.contains(&e), "{what} : adresse « {e} » non échappée");
        }
    } else if ct.starts_with("application/json") {
        res.json();
    }
}

/// The text of a page: character references undone, named (`&lt;`) and
/// numeric (`&#60;`, `&#x3C;`), as askama writes them.
fn unescape(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The page shows `value` (its text, entities undone).
fn shows(what: &str, res: &Res, value: &str) {
    assert!(
        unescape(&res.body).contains(value),
        "{what} : « {} » absent de la page ({})",
        short(value),
        res.status
    );
}

/// A form sent back with its errors shows what was typed.
fn echoed(what: &str, res: &Res, value: &str) {
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{what} : {}",
        short(&res.body)
    );
    shows(what, res, value);
}

async fn get(app: &TestApp, what: &str, path: &str, b: Option<&Browser>) -> Res {
    let res = app.get(path, b).await;
    safe(what, &res);
    res
}

async fn post(app: &TestApp, what: &str, path: &str, b: &mut Browser, pairs: &[(&str, &str)]) -> Res {
    let res = app.submit(path, b, pairs).await;
    safe(what, &res);
    res
}

/// Each search parameter of `page` and of its `api` twin, alone, set to
/// `value`: 200 on both, and the words typed (`q`) shown back on the page.
#[allow(clippy::too_many_arguments)]
async fn every_search_parameter(
    app: &TestApp,
    what: &str,
    page: &str,
    api: &str,
    params: &[&str],
    value: &str,
    b: &Browser,
    token: &str,
) {
    for field in params {
        let query = form(&[(field, value)]);
        let r = get(app, what, &format!("{page}?{query}"), Some(b)).await;
        assert_eq!(r.status, StatusCode::OK, "{what} {field}");
        if *field == "q" {
            shows(what, &r, value);
        }
        let r = app.api(&format!("{api}?{query}"), Some(token)).await;
        safe(what, &r);
        assert_eq!(r.status, StatusCode::OK, "{what} {field} (API) : {}", short(&r.body));
    }
}

/// The secret of a token created from /compte.
fn token_in(res: &Res) -> String {
    let start = res.body.find("mlg_").expect("jeton affiché");
    res.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

// ---------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------

/// Login, forgotten password, reset link, invitation link: anonymous forms.
#[tokio::test]
async fn hostile_input_in_the_sign_in_forms() {
    let app = TestApp::with_demo().await;
    let mut anon = Browser::default();

    for (name, p) in corpus() {
        let what = format!("connexion, adresse « {name} »");
        let r = post(
            &app,
            &what,
            "/connexion",
            &mut anon,
            &[("email", &p), ("password", "x")],
        )
        .await;
        echoed(&what, &r, &p);

        // The return address, kept in a hidden field when it is a local path.
        let back = format!("/{p}");
        let what = format!("connexion, retour « {name} »");
        let r = post(
            &app,
            &what,
            "/connexion",
            &mut anon,
            &[("email", ""), ("password", ""), ("retour", &back)],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        get(&app, &what, &format!("/connexion?{}", form(&[("retour", &back)])), None).await;
        get(&app, &what, &format!("/connexion?{}", form(&[("retour", &p)])), None).await;

        // A password is never shown again, but must not break anything (one
        // Argon2 verification each, against the dummy hash).
        let what = format!("connexion, mot de passe « {name} »");
        let email = format!("inconnu.{}@ville.fr", name.replace(' ', "-"));
        let r = post(
            &app,
            &what,
            "/connexion",
            &mut anon,
            &[("email", &email), ("password", &p)],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        assert!(!unescape(&r.body).contains(&p), "{what} : mot de passe réaffiché");

        let what = format!("mot de passe oublié « {name} »");
        let r = post(&app, &what, "/mot-de-passe-oublie", &mut anon, &[("email", &p)]).await;
        echoed(&what, &r, &p);

        let what = format!("lien de réinitialisation inconnu « {name} »");
        get(
            &app,
            &what,
            &format!("/mot-de-passe/nouveau?{}", form(&[("jeton", &p)])),
            None,
        )
        .await;
        let r = post(
            &app,
            &what,
            "/mot-de-passe/nouveau",
            &mut anon,
            &[("jeton", &p), ("password", &p), ("confirmation", &p)],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");

        let what = format!("invitation inconnue « {name} »");
        get(&app, &what, &format!("/invitation?{}", form(&[("jeton", &p)])), None).await;
        post(
            &app,
            &what,
            "/invitation",
            &mut anon,
            &[
                ("jeton", &p),
                ("display_name", &p),
                ("password", &p),
                ("confirmation", &p),
            ],
        )
        .await;
    }
    for e in hostile_emails() {
        let what = format!("mot de passe oublié « {e} »");
        let r = post(&app, &what, "/mot-de-passe-oublie", &mut anon, &[("email", &e)]).await;
        assert_eq!(r.status, StatusCode::OK, "{what}");
        shows(&what, &r, &e);
    }

    // A real reset link: the password fields with hostile values (never
    // matching, so the link is not used up).
    let r = post(&app, "oubli", "/mot-de-passe-oublie", &mut anon, &[("email", MEMBER)]).await;
    assert_eq!(r.status, StatusCode::OK);
    let mails = app.mails().await;
    let path = link(mails.last().expect("courriel"), "http://");
    let jeton = path.split("jeton=").nth(1).expect("jeton").to_owned();
    get(&app, "lien de réinitialisation", &path, None).await;
    for (name, p) in corpus() {
        let what = format!("réinitialisation, mot de passe « {name} »");
        let other = format!("{p}!");
        let r = post(
            &app,
            &what,
            "/mot-de-passe/nouveau",
            &mut anon,
            &[("jeton", &jeton), ("password", &p), ("confirmation", &other)],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
    }
    // Still usable.
    let r = get(&app, "lien toujours valable", &path, None).await;
    assert!(r.body.contains("name=\"password\""), "le lien a été consommé");
}

/// /compte: token names (stored, listed, in the audit log) and the password
/// change form; an invitation accepted with a hostile display name, shown in
/// the header, the account, the organisation's people, the admin list, the
/// audit log and the API.
#[tokio::test]
async fn hostile_input_in_the_account_and_the_invitation() {
    let app = TestApp::with_demo().await;
    let mut coord = app.login(COORDINATOR, PASSWORD).await;

    let mut token = String::new();
    for (name, p) in corpus() {
        let what = format!("jeton d'API « {name} »");
        let r = post(&app, &what, "/compte/jetons", &mut coord, &[("name", &p)]).await;
        if p.chars().count() > 100 {
            echoed(&what, &r, &p);
        } else {
            assert_eq!(r.status, StatusCode::OK, "{what} : {}", short(&r.body));
            shows(&what, &r, &stored(&p));
            token = token_in(&r);
        }

        let what = format!("changement de mot de passe « {name} »");
        // Wrong current password (one Argon2 verification).
        let r = post(
            &app,
            &what,
            "/compte/mot-de-passe",
            &mut coord,
            &[
                ("current", &p),
                ("password", GOOD_PASSWORD),
                ("confirmation", GOOD_PASSWORD),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        // Right current password, hostile new one that never matches.
        let other = format!("{p}!");
        let r = post(
            &app,
            &what,
            "/compte/mot-de-passe",
            &mut coord,
            &[("current", PASSWORD), ("password", &p), ("confirmation", &other)],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
    }
    let account = get(&app, "compte", "/compte", Some(&coord)).await;
    let journal = get(&app, "journal", "/admin/journal", Some(&coord)).await;
    for (name, p) in corpus().into_iter().filter(|(_, p)| p.chars().count() <= 100) {
        shows(&format!("liste des jetons « {name} »"), &account, &stored(&p));
        shows(&format!("journal, jeton « {name} »"), &journal, &stored(&p));
    }
    let me = app.api("/api/v1/moi", Some(&token)).await;
    safe("API moi", &me);
    assert_eq!(me.status, StatusCode::OK);

    // An invitation, accepted with a hostile display name.
    let hostile_name = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>' onmouseover='x {{7*7}}";
    let r = post(
        &app,
        "invitation",
        &format!("/organisations/{ALES}/invitations"),
        &mut coord,
        &[("email", "nouvelle.recrue@ales.fr"), ("role", "member")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", short(&r.body));
    let mails = app.mails().await;
    let path = link(mails.last().expect("courriel d'invitation"), "http://");
    let jeton = path.split("jeton=").nth(1).expect("jeton").to_owned();
    let mut newcomer = Browser::default();
    get(&app, "page d'invitation", &path, None).await;
    for (name, p) in corpus() {
        let what = format!("invitation, nom « {name} »");
        // Passwords that differ: the form comes back, the invitation stays.
        let r = post(
            &app,
            &what,
            "/invitation",
            &mut newcomer,
            &[
                ("jeton", &jeton),
                ("display_name", &p),
                ("password", GOOD_PASSWORD),
                ("confirmation", "pas la même phrase de passe"),
            ],
        )
        .await;
        echoed(&what, &r, &p);
        let what = format!("invitation, mot de passe « {name} »");
        let other = format!("{p}!");
        let r = post(
            &app,
            &what,
            "/invitation",
            &mut newcomer,
            &[
                ("jeton", &jeton),
                ("display_name", "Nouvelle Recrue"),
                ("password", &p),
                ("confirmation", &other),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
    }
    let r = post(
        &app,
        "invitation acceptée",
        "/invitation",
        &mut newcomer,
        &[
            ("jeton", &jeton),
            ("display_name", hostile_name),
            ("password", GOOD_PASSWORD),
            ("confirmation", GOOD_PASSWORD),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", short(&r.body));
    let mine = get(&app, "compte du nouveau venu", "/compte", Some(&newcomer)).await;
    shows("nom dans l'en-tête", &mine, hostile_name);
    let r = post(
        &app,
        "jeton du nouveau venu",
        "/compte/jetons",
        &mut newcomer,
        &[("name", "outil")],
    )
    .await;
    let newcomer_token = token_in(&r);
    for path in [
        format!("/organisations/{ALES}"),
        "/admin/personnes?q=recrue".to_owned(),
        "/admin/journal".to_owned(),
    ] {
        let r = get(&app, &path, &path, Some(&coord)).await;
        shows(&path, &r, hostile_name);
    }
    let me = app.api("/api/v1/moi", Some(&newcomer_token)).await;
    safe("API moi (nouveau venu)", &me);
    assert_eq!(me.json()["nom"], hostile_name);
    let people = app
        .api(&format!("/api/v1/organisations/{ALES}/personnes"), Some(&token))
        .await;
    safe("API personnes", &people);
    assert!(
        people
            .json()
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["nom"] == hostile_name),
        "nom absent de l'API"
    );
}

/// An organisation's page: presentation (description, website), schools,
/// sharing a school, invitations — by the organisation's administrator.
#[tokio::test]
async fn hostile_input_in_the_organisation_forms() {
    let app = TestApp::with_demo().await;
    let mut admin = app.login(ORG_ADMIN, PASSWORD).await;
    let org_page = format!("/organisations/{ALES}");
    let presentation = format!("{org_page}/presentation");

    for (name, p) in corpus() {
        let what = format!("présentation « {name} »");
        let r = post(
            &app,
            &what,
            &presentation,
            &mut admin,
            &[("description", &p), ("website", "")],
        )
        .await;
        if p.chars().count() > 4000 {
            echoed(&what, &r, &p);
        } else {
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{what} : {}", short(&r.body));
            let page = get(&app, &what, &org_page, Some(&admin)).await;
            shows(&what, &page, &stored(&p));
            let anon = get(&app, &what, &org_page, None).await;
            shows(&what, &anon, &stored(&p));
            let api = app.api(&format!("/api/v1/organisations/{ALES}"), None).await;
            safe(&what, &api);
            assert_eq!(api.json()["presentation"], stored(&p), "{what} : API");
        }

        // Only http(s) websites: every hostile value that is not one is
        // refused and shown again.
        let what = format!("site internet « {name} »");
        let r = post(
            &app,
            &what,
            &presentation,
            &mut admin,
            &[("description", ""), ("website", &p)],
        )
        .await;
        echoed(&what, &r, &p);
        // Refused as not an http(s) address, or (the 10 kB one) as too long.
        let text = unescape(&r.body);
        assert!(
            text.contains("commençant par https://") || text.contains("trop longue (500 caractères au plus)"),
            "{what} : pas d'explication du refus ({})",
            r.status
        );
    }

    // Never a script URL, however written.
    for url in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "\tjavascript:alert(1)",
        "java\tscript:alert(1)",
        "\u{0}javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "https:javascript:alert(1)",
        "//evil.example/",
        "/relative",
    ] {
        let what = format!("site « {} »", url.escape_debug());
        let r = post(
            &app,
            &what,
            &presentation,
            &mut admin,
            &[("description", ""), ("website", url)],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{what} accepté");
    }
    // An http(s) address with markup in it is kept, escaped in the link.
    let tricky = "https://example.org/\"><script>alert(1)</script>' onmouseover='x";
    let r = post(
        &app,
        "site piégé",
        &presentation,
        &mut admin,
        &[("description", ""), ("website", tricky)],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", short(&r.body));
    let page = get(&app, "site piégé", &org_page, None).await;
    shows("site piégé", &page, tricky);
    for (i, _) in page.body.match_indices("href=\"") {
        let href = &page.body[i + 6..];
        let href = &href[..href.find('"').unwrap_or(href.len())];
        assert!(
            href.starts_with('/')
                || href.starts_with('#')
                || href.starts_with("https://")
                || href.starts_with("http://"),
            "lien suspect : {href}"
        );
    }
    assert!(
        page.body
            .contains("href=\"https://example.org/&#34;&#62;&#60;script&#62;"),
        "lien du site mal échappé"
    );
    let api = app.api(&format!("/api/v1/organisations/{ALES}"), None).await;
    assert_eq!(api.json()["site"], tricky);

    // Schools: the name is stored and shown (page, home feed, API).
    let schools = format!("{org_page}/ecoles");
    for (name, p) in corpus() {
        let what = format!("école « {name} »");
        let r = post(&app, &what, &schools, &mut admin, &[("name", &p)]).await;
        if p.chars().count() > 200 {
            echoed(&what, &r, &p);
        } else {
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{what} : {}", short(&r.body));
        }
    }
    let page = get(&app, "écoles", &org_page, Some(&admin)).await;
    let home = get(&app, "accueil", "/", None).await;
    let api = app.api(&format!("/api/v1/organisations/{ALES}"), None).await;
    safe("API écoles", &api);
    let api = api.json();
    let names: Vec<&str> = api["ecoles"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["nom"].as_str())
        .collect();
    for (name, p) in corpus().into_iter().filter(|(_, p)| p.chars().count() <= 200) {
        shows(&format!("école « {name} » sur la fiche"), &page, &stored(&p));
        shows(&format!("école « {name} » à l'accueil"), &home, &stored(&p));
        assert!(
            names.contains(&stored(&p).as_str()),
            "école « {name} » absente de l'API"
        );
    }

    // Sharing a school: the SIREN field.
    let school = api["ecoles"][0]["id"].as_str().unwrap().to_owned();
    let share = format!("{org_page}/ecoles/{school}/organisations");
    for (name, p) in corpus() {
        let what = format!("partage d'école « {name} »");
        let r = post(&app, &what, &share, &mut admin, &[("siren", &p)]).await;
        assert!(r.status.is_client_error(), "{what} : {}", r.status);
    }

    // Invitations: address and role.
    let invitations = format!("{org_page}/invitations");
    for (name, p) in corpus() {
        let what = format!("invitation, adresse « {name} »");
        let r = post(
            &app,
            &what,
            &invitations,
            &mut admin,
            &[("email", &p), ("role", "member")],
        )
        .await;
        echoed(&what, &r, &p);
        let what = format!("invitation, rôle « {name} »");
        let r = post(
            &app,
            &what,
            &invitations,
            &mut admin,
            &[("email", "quelquun@ales.fr"), ("role", &p)],
        )
        .await;
        assert!(r.status.is_client_error(), "{what} : {}", r.status);
    }
    for e in hostile_emails() {
        let what = format!("invitation « {e} »");
        let r = post(
            &app,
            &what,
            &invitations,
            &mut admin,
            &[("email", &e), ("role", "trainer")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{what} : {}", short(&r.body));
    }
    let page = get(&app, "invitations en attente", &org_page, Some(&admin)).await;
    for e in hostile_emails() {
        shows("invitations en attente", &page, &e.to_lowercase());
    }
}

/// The coordinator's forms (new organisation, membership), the search
/// fields, page numbers, and the API's query parameters.
#[tokio::test]
async fn hostile_input_in_the_admin_forms_and_searches() {
    let app = TestApp::with_demo().await;
    let mut coord = app.login(COORDINATOR, PASSWORD).await;

    for (i, (name, p)) in corpus().into_iter().enumerate() {
        // Another organisation (outside the official list), named `p`.
        let what = format!("nouvelle organisation, nom « {name} »");
        let s = siren(&format!("1899990{i}"));
        let r = post(
            &app,
            &what,
            "/admin/organisations",
            &mut coord,
            &[
                ("siren", &s),
                ("name", &p),
                ("kind", "cdg"),
                ("membership", "membre"),
                ("joined_on", "2024-01-15"),
            ],
        )
        .await;
        if p.chars().count() > 200 {
            echoed(&what, &r, &p);
        } else {
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{what} : {}", short(&r.body));
            let page = get(&app, &what, &format!("/organisations/{s}"), None).await;
            shows(&what, &page, &stored(&p));
            let api = app.api(&format!("/api/v1/organisations/{s}"), None).await;
            safe(&what, &api);
            assert_eq!(api.json()["nom"], stored(&p), "{what} : API");
            // Its membership form, with its name in the title.
            let r = get(&app, &what, &format!("/admin/organisations/{s}/adhesion"), Some(&coord)).await;
            shows(&what, &r, &stored(&p));
        }

        let adhesion = format!("/admin/organisations/{ALES}/adhesion");
        for field in ["membership", "joined_on", "left_on"] {
            let mut pairs = vec![("membership", "membre"), ("joined_on", ""), ("left_on", "")];
            pairs.retain(|(k, _)| *k != field);
            pairs.push((field, &p));
            let what = format!("adhésion, {field} « {name} »");
            let r = post(&app, &what, &adhesion, &mut coord, &pairs).await;
            if field == "membership" {
                assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
            } else {
                echoed(&what, &r, &p);
            }
        }

        for field in ["siren", "joined_on", "kind", "membership"] {
            let what = format!("nouvelle organisation, {field} « {name} »");
            let mut pairs = vec![
                ("siren", "180043032"),
                ("name", "Un organisme"),
                ("kind", "autre"),
                ("membership", "membre"),
                ("joined_on", ""),
            ];
            pairs.retain(|(k, _)| *k != field);
            pairs.push((field, &p));
            let r = post(&app, &what, "/admin/organisations", &mut coord, &pairs).await;
            match field {
                "siren" | "joined_on" => echoed(&what, &r, &p),
                // A bad kind or status is a field error or the default value.
                _ => assert!(
                    r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::SEE_OTHER,
                    "{what} : {}",
                    r.status
                ),
            }
        }

        // Search fields.
        let what = format!("recherche « {name} »");
        let q = form(&[("q", &p)]);
        let r = get(&app, &what, &format!("/organisations?{q}"), None).await;
        assert_eq!(r.status, StatusCode::OK, "{what}");
        shows(&what, &r, &p);
        for field in ["type", "statut", "region", "page"] {
            get(&app, &what, &format!("/organisations?{}", form(&[(field, &p)])), None).await;
        }
        // Ignored filters: several pages, whose links carry the filters.
        let filters = form(&[("type", &p), ("statut", &p), ("page", "2")]);
        let r = get(&app, &what, &format!("/organisations?{filters}"), None).await;
        assert!(r.body.contains("rel=\"prev\""), "{what} : pas de pagination");
        let r = get(&app, &what, &format!("/admin/personnes?{q}"), Some(&coord)).await;
        assert_eq!(r.status, StatusCode::OK, "{what}");
        shows(&what, &r, &p);
        get(
            &app,
            &what,
            &format!("/admin/personnes?{}", form(&[("q", &p), ("page", &p)])),
            Some(&coord),
        )
        .await;
        let r = get(&app, &what, &format!("/admin/organisations/nouvelle?{q}"), Some(&coord)).await;
        assert_eq!(r.status, StatusCode::OK, "{what}");
        shows(&what, &r, &p);
        get(
            &app,
            &what,
            &format!("/admin/organisations/nouvelle?{}", form(&[("q", &p), ("type", &p)])),
            Some(&coord),
        )
        .await;

        // The API: valid JSON, the filters taken as text.
        let what = format!("API recherche « {name} »");
        for field in ["q", "type", "statut", "region"] {
            let r = app
                .api(&format!("/api/v1/organisations?{}", form(&[(field, &p)])), None)
                .await;
            safe(&what, &r);
            assert_eq!(r.status, StatusCode::OK, "{what} {field} : {}", short(&r.body));
            r.json();
        }
        let r = app
            .api(&format!("/api/v1/organisations?{}", form(&[("page", &p)])), None)
            .await;
        safe(&what, &r);
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{what}");
        assert!(r.json()["message"].is_string());
        for path in [
            format!("/api/v1/organisations/{}", form(&[("", &p)]).trim_start_matches('=')),
            format!(
                "/api/v1/organisations/{}/personnes",
                form(&[("", &p)]).trim_start_matches('=')
            ),
        ] {
            let r = app.api(&path, None).await;
            safe(&what, &r);
            assert!(r.status.is_client_error(), "{what} {path} : {}", r.status);
        }
    }

    // The organisations created above: in the list, the news of the home
    // page (« X rejoint le réseau ») and the audit log, escaped.
    let home = get(&app, "accueil", "/", None).await;
    let journal = get(&app, "journal", "/admin/journal", Some(&coord)).await;
    let list = get(&app, "liste", "/organisations?statut=membre&type=cdg", None).await;
    for (name, p) in corpus().into_iter().filter(|(_, p)| p.chars().count() <= 200) {
        shows(&format!("accueil « {name} »"), &home, &stored(&p));
        shows(&format!("journal « {name} »"), &journal, &stored(&p));
        shows(&format!("liste « {name} »"), &list, &stored(&p));
    }

    // Page numbers far beyond the end: an empty page, not an overflow.
    for path in [
        "/organisations?page=9223372036854775807",
        "/organisations?page=-9223372036854775808",
        "/admin/personnes?page=9223372036854775807",
    ] {
        let r = get(&app, path, path, Some(&coord)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
    }
    for path in [
        "/api/v1/organisations?page=9223372036854775807",
        "/api/v1/organisations?page=9223372036854775807&par_page=9223372036854775807",
        "/api/v1/organisations?page=-9223372036854775808&par_page=-9223372036854775808",
    ] {
        let r = app.api(path, None).await;
        safe(path, &r);
        assert_eq!(r.status, StatusCode::OK, "{path} : {}", short(&r.body));
        r.json();
    }
    let r = app.api("/api/v1/organisations?page=9223372036854775808", None).await;
    safe("page hors de i64", &r);
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

// ---------------------------------------------------------------------------
// The directory
// ---------------------------------------------------------------------------

/// `/profil`, the administrators' form, the themes, and every query
/// parameter of the directory and its API: escaped in HTML, intact in JSON,
/// on one line in a vCard, neutralised in a CSV export.
#[tokio::test]
async fn hostile_input_in_the_directory_forms_and_searches() {
    use crate::directory::{Own, parse_csv, unfold};
    let app = TestApp::new().await;
    let person = app
        .person("hostile@ales.fr", "Personne Hostile", "member", Some(ALES))
        .await;
    let admin = app.person("admin@ales.fr", "Admin Alès", "org-admin", Some(ALES)).await;
    let coordinator = app
        .person("coordination@reseau.fr", "Coordination", "coordinator", None)
        .await;
    let id = app.profile_of(person).await;
    let me = app.session(person).await;
    let admin_b = app.session(admin).await;
    let mut coord = app.session(coordinator).await;
    let token = app.token(coordinator).await;
    let page = format!("/annuaire/{id}");
    let edit = format!("/annuaire/{id}/modifier");
    let send = |b: &Browser, path: &str, pairs: Vec<(String, String)>| {
        let app = &app;
        let b = b.clone();
        let path = path.to_owned();
        async move {
            let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let res = app
                .request(axum::http::Method::POST, &path, Some(&b), Some(form(&refs)), &[])
                .await;
            safe(&path, &res);
            res
        }
    };

    for (name, p) in corpus() {
        // Every text field of the person's form.
        let mut own = Own::new(&p, &p);
        own.function_title = p.clone();
        own.direction = p.clone();
        own.service = p.clone();
        own.cadre = p.clone();
        own.bio = p.clone();
        own.languages = p.clone();
        let what = format!("/profil « {name} »");
        let r = send(&me, "/profil", own.pairs()).await;
        if p.chars().count() > 80 {
            echoed(&what, &r, &p);
        } else {
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{what} : {}", short(&r.body));
            for b in [&me, &admin_b] {
                let r = get(&app, &what, &page, Some(b)).await;
                shows(&what, &r, &stored(&p));
            }
            let r = get(&app, &what, "/profil", Some(&me)).await;
            shows(&what, &r, &stored(&p));
            let r = get(&app, &what, &edit, Some(&admin_b)).await;
            shows(&what, &r, &stored(&p));
            let api = app.api(&format!("/api/v1/annuaire/{id}"), Some(&token)).await;
            safe(&what, &api);
            let j = api.json();
            for key in [
                "prenom",
                "nom",
                "fonction",
                "direction",
                "service",
                "cadre_emplois",
                "presentation",
            ] {
                assert_eq!(j[key], stored(&p), "{what} : API {key}");
            }
            let card = app.get(&format!("{page}/vcard"), Some(&me)).await;
            assert_eq!(card.status, StatusCode::OK, "{what}");
            let vcf = unfold(&card.body);
            let begins = vcf.split("\r\n").filter(|l| l.starts_with("BEGIN:")).count();
            assert_eq!(begins, 1, "{what} : {vcf}");
            assert!(
                card.body.split("\r\n").all(|l| l.len() <= 75),
                "{what} : ligne trop longue"
            );
            // In a list and a search for it.
            let q = form(&[("q", &p)]);
            let r = get(&app, &what, &format!("/annuaire?{q}"), Some(&me)).await;
            assert_eq!(r.status, StatusCode::OK, "{what}");
        }
        // Fields that are checked: refused and shown again.
        for field in ["email", "phone", "category"] {
            let mut own = Own::new("Personne", "Hostile");
            match field {
                "email" => own.email = p.clone(),
                "phone" => own.phone = p.clone(),
                _ => own.category = p.clone(),
            }
            let what = format!("/profil, {field} « {name} »");
            let r = send(&me, "/profil", own.pairs()).await;
            echoed(&what, &r, &p);
        }
        // Choices that are not offered: refused.
        for (k, _) in crate::directory::VIS_NAMES
            .iter()
            .map(|n| (*n, ()))
            .chain([("listed", ())])
        {
            let mut pairs = Own::new("Personne", "Hostile").pairs();
            for (name_, v) in pairs.iter_mut() {
                if name_ == k {
                    *v = p.clone();
                }
            }
            let r = send(&me, "/profil", pairs).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "/profil, {k} « {name} »");
        }
        let mut own = Own::new("Personne", "Hostile");
        own.expertise = vec![p.clone()];
        let r = send(&me, "/profil", own.pairs()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "/profil, thématique « {name} »"
        );

        // The administrators' form.
        let what = format!("{edit} « {name} »");
        let fields: Vec<(String, String)> = [
            "first_name",
            "last_name",
            "function_title",
            "direction",
            "service",
            "cadre",
        ]
        .iter()
        .map(|k| ((*k).to_owned(), p.clone()))
        .chain([
            ("category".to_owned(), String::new()),
            ("email".into(), String::new()),
            ("phone".into(), String::new()),
        ])
        .collect();
        let r = send(&admin_b, &edit, fields).await;
        if p.chars().count() > 80 {
            echoed(&what, &r, &p);
        } else {
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{what} : {}", short(&r.body));
            let r = get(&app, &what, &page, Some(&admin_b)).await;
            shows(&what, &r, &stored(&p));
        }
        for field in ["email", "phone", "category"] {
            let fields = vec![
                ("first_name".to_owned(), "Personne".to_owned()),
                ("last_name".into(), "Hostile".into()),
                (field.into(), p.clone()),
            ];
            let r = send(&admin_b, &edit, fields).await;
            echoed(&format!("{edit}, {field} « {name} »"), &r, &p);
        }

        // Themes.
        let what = format!("thématique « {name} »");
        let r = post(&app, &what, "/admin/thematiques", &mut coord, &[("name", &p)]).await;
        if p.chars().count() > 80 {
            echoed(&what, &r, &p);
        } else {
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{what} : {}", short(&r.body));
        }

        // Every query parameter of the directory, its export and its API.
        let what = format!("recherche dans l'annuaire « {name} »");
        let q = form(&[("q", &p)]);
        let r = get(&app, &what, &format!("/annuaire?{q}"), Some(&me)).await;
        assert_eq!(r.status, StatusCode::OK, "{what}");
        shows(&what, &r, &p);
        for field in [
            "q",
            "organisation",
            "type",
            "region",
            "departement",
            "categorie",
            "theme",
            "page",
        ] {
            let query = if field == "q" {
                form(&[(field, &p)])
            } else {
                form(&[(field, &p), ("q", "hostile")])
            };
            let r = get(&app, &what, &format!("/annuaire?{query}"), Some(&me)).await;
            assert_eq!(r.status, StatusCode::OK, "{what} {field}");
            let r = get(&app, &what, &format!("/annuaire/export.csv?{query}"), Some(&admin_b)).await;
            assert_eq!(r.status, StatusCode::OK, "{what} {field} (export)");
            let r = app.api(&format!("/api/v1/annuaire?{query}"), Some(&token)).await;
            safe(&what, &r);
            assert_eq!(r.status, StatusCode::OK, "{what} {field} (API) : {}", short(&r.body));
        }
        let hostile_id = form(&[("", &p)]).trim_start_matches('=').to_owned();
        for path in [
            format!("/annuaire/{hostile_id}"),
            format!("/annuaire/{hostile_id}/vcard"),
            format!("/annuaire/{hostile_id}/photo"),
            format!("/annuaire/{hostile_id}/modifier"),
            format!("/admin/import/{hostile_id}"),
        ] {
            let r = get(&app, &what, &path, Some(&admin_b)).await;
            assert!(r.status.is_client_error(), "{what} {path} : {}", r.status);
        }
        let r = app.api(&format!("/api/v1/annuaire/{hostile_id}"), Some(&token)).await;
        safe(&what, &r);
        assert!(r.status.is_client_error(), "{what} : {}", r.status);
    }
    // The themes created above, escaped in the list and the person's form.
    let list = get(&app, "thématiques", "/admin/thematiques", Some(&coord)).await;
    let profil = get(&app, "formulaire", "/profil", Some(&me)).await;
    let directory = get(&app, "annuaire", "/annuaire", Some(&me)).await;
    for (name, p) in corpus().into_iter().filter(|(_, p)| p.chars().count() <= 80) {
        let expected = stored(&p).split_whitespace().collect::<Vec<_>>().join(" ");
        for (what, r) in [("liste", &list), ("/profil", &profil), ("filtre", &directory)] {
            shows(&format!("thématique « {name} » ({what})"), r, &expected);
        }
    }
    // Page numbers far beyond the end.
    for path in [
        "/annuaire?page=9223372036854775807",
        "/annuaire?page=-9223372036854775808",
    ] {
        let r = get(&app, path, path, Some(&me)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let r = app.api(&format!("/api/v1{path}"), Some(&token)).await;
        safe(path, &r);
        assert_eq!(r.status, StatusCode::OK, "API {path} : {}", short(&r.body));
    }

    // A line break in the presentation cannot add a line to the vCard.
    let mut own = Own::new("Personne", "Hostile");
    own.bio = "Ligne\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Intrus".into();
    own.function_title = "Poste\r\nTEL:0800".into();
    let r = send(&me, "/profil", own.pairs()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let vcf = unfold(&app.get(&format!("{page}/vcard"), Some(&me)).await.body);
    let lines: Vec<&str> = vcf.split("\r\n").collect();
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("BEGIN:VCARD")).count(),
        1,
        "{vcf}"
    );
    assert_eq!(lines.iter().filter(|l| l.starts_with("END:VCARD")).count(), 1, "{vcf}");
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with("FN:Intrus") || l.starts_with("TEL:0800")),
        "{vcf}"
    );

    // Formulas in every exported text field, typed in the form or imported:
    // neutralised in the CSV.
    let formulas = [
        "=cmd|' /C calc'!A0",
        "+33 CALC()",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
    ];
    let mut own = Own::new(formulas[0], formulas[1]);
    own.function_title = formulas[0].into();
    own.direction = formulas[1].into();
    own.service = formulas[2].into();
    own.cadre = formulas[3].into();
    own.languages = formulas[0].into();
    let r = send(&me, "/profil", own.pairs()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", short(&r.body));
    let file = "Nom;Prénom;Courriel;Fonction;Direction;Service;Cadre d'emplois\n\
                =HYPERLINK(\"http://evil.example\");@Prénom;formule@ales.fr;=cmd|' /C calc'!A0;+1+1;-1-1;@A1\n";
    let res = app
        .upload(
            "/admin/import",
            &admin_b,
            &[
                Part::field("organisation", ALES),
                Part::file("file", "formules.csv", "text/csv", file.as_bytes()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", short(&res.text()));
    let import = res.location().to_owned();
    let r = get(&app, "aperçu des formules", &import, Some(&admin_b)).await;
    assert!(r.text().contains("=cmd|' /C calc'!A0"));
    let r = app
        .request(
            axum::http::Method::POST,
            &format!("{import}/valider"),
            Some(&admin_b),
            Some(form(&[("inviter", "non")])),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", short(&r.body));
    for exporter in [&admin_b, &coord] {
        let r = app
            .get(&format!("/annuaire/export.csv?organisation={ALES}"), Some(exporter))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let rows = parse_csv(&r.body);
        assert!(rows.len() >= 3, "{rows:?}");
        let mut cells = 0;
        for row in &rows[1..] {
            for cell in row {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "cellule non neutralisée : {cell:?} dans {row:?}"
                );
                if cell.starts_with('\'') {
                    cells += 1;
                }
            }
        }
        assert!(cells >= 10, "{cells} cellules neutralisées seulement : {rows:?}");
        assert!(
            rows.iter().any(|r| r.contains(&"'=cmd|' /C calc'!A0".to_owned())),
            "{rows:?}"
        );
        assert!(
            rows.iter()
                .any(|r| r.contains(&"'=HYPERLINK(\"http://evil.example\")".to_owned())),
            "{rows:?}"
        );
    }
}

/// The catalogue: every text field of the module form (stored, then shown
/// on the module's page, its form, the lists and the API), every choice of
/// the form, the school of a taking or a withdrawal, the module's id in
/// every path, and every query parameter of `/formations` and its API.
#[tokio::test]
async fn hostile_input_in_the_catalogue_forms_and_searches() {
    use crate::catalogue::ModuleForm;
    let app = TestApp::new().await;
    let n = crate::catalogue::net(&app).await;
    let mut admin = app.session(n.ales_admin).await;
    let mut ge_admin = app.session(n.ge_admin).await;
    let member = app.session(n.ge_member).await;
    let token = app.token(n.ge_member).await;
    let send = |b: &Browser, path: &str, f: &ModuleForm| {
        let app = &app;
        let b = b.clone();
        let path = path.to_owned();
        let pairs = f.pairs();
        async move {
            let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let res = app
                .request(axum::http::Method::POST, &path, Some(&b), Some(form(&refs)), &[])
                .await;
            safe(&path, &res);
            res
        }
    };
    // What the title keeps: its words, one space apart.
    let title_of = |p: &str| stored(p).split_whitespace().collect::<Vec<_>>().join(" ");
    let all_params = ["q", "format", "theme", "ecole", "categorie", "public", "page"];
    let check_searches = async |what: &str, p: &str| {
        every_search_parameter(
            &app,
            what,
            "/formations",
            "/api/v1/formations",
            &all_params,
            p,
            &member,
            &token,
        )
        .await;
        // All at once, with a valid page number (short values: an address
        // holds 64 kB at most).
        if p.len() > 2_000 {
            return;
        }
        let pairs: Vec<(&str, &str)> = all_params
            .iter()
            .map(|f| (*f, if *f == "page" { "2" } else { p }))
            .collect();
        let r = get(&app, what, &format!("/formations?{}", form(&pairs)), Some(&member)).await;
        assert_eq!(r.status, StatusCode::OK, "{what} (tous les paramètres)");
    };

    let mut modules = Vec::new();
    for (name, p) in corpus() {
        // Each text field, in turn, on a new module.
        for (field, max) in [
            ("title", 200),
            ("objectives", 4000),
            ("description", 8000),
            ("trainers", 500),
        ] {
            let what = format!("nouveau module, {field} « {name} »");
            let mut f = ModuleForm::new(n.ales_school, &format!("Module {field} {name}"));
            f.shared = true;
            match field {
                "title" => f.title = p.clone(),
                "objectives" => f.objectives = p.clone(),
                "description" => f.description = p.clone(),
                _ => f.trainers = p.clone(),
            }
            let r = send(&admin, "/formations", &f).await;
            if p.chars().count() > max {
                echoed(&what, &r, &p);
                continue;
            }
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{what} : {}", short(&r.body));
            let page = r.location().split('?').next().unwrap().to_owned();
            let id = page.trim_start_matches("/formations/").to_owned();
            modules.push(id.clone());
            let expected = if field == "title" { title_of(&p) } else { stored(&p) };
            for b in [&admin, &member] {
                let r = get(&app, &what, &page, Some(b)).await;
                assert_eq!(r.status, StatusCode::OK, "{what}");
                shows(&what, &r, &expected);
            }
            let r = get(&app, &what, &format!("{page}/modifier"), Some(&admin)).await;
            assert_eq!(r.status, StatusCode::OK, "{what}");
            shows(&what, &r, &expected);
            // Edited with the same value: unchanged.
            let r = send(&admin, &format!("{page}/modifier"), &f).await;
            assert_eq!(
                r.status,
                StatusCode::SEE_OTHER,
                "{what} (modification) : {}",
                short(&r.body)
            );
            let r = app.api(&format!("/api/v1/formations/{id}"), Some(&token)).await;
            safe(&what, &r);
            let key = match field {
                "title" => "intitule",
                "objectives" => "objectifs",
                "description" => "programme",
                _ => "intervenants",
            };
            assert_eq!(r.json()[key], expected, "{what} : API {key}");
            // Taken by Grand Est: shown in its « Repris par » with its title.
            if field == "title" {
                let r = post(
                    &app,
                    &what,
                    &format!("{page}/reprendre"),
                    &mut ge_admin,
                    &[("school", &n.ge_school.to_string())],
                )
                .await;
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{what} (reprise)");
                let r = get(&app, &what, &page, Some(&ge_admin)).await;
                shows(&what, &r, &expected);
            }
        }

        // The choices of the form: refused, the form shown again.
        type Set = fn(&mut ModuleForm, String);
        let choices: [(&str, Set); 7] = [
            ("format", |f, p| f.format = p),
            ("stage", |f, p| f.stage = p),
            ("duration_unit", |f, p| f.duration_unit = p),
            ("duration_value", |f, p| f.duration_value = p),
            ("categories", |f, p| f.categories = vec![p]),
            ("themes", |f, p| f.themes = vec![p]),
            ("school", |f, p| f.school = p),
        ];
        for (field, set) in choices {
            let what = format!("nouveau module, {field} « {name} »");
            let mut f = ModuleForm::new(n.ales_school, "Module valide");
            set(&mut f, p.clone());
            let r = send(&admin, "/formations", &f).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{what} : {}",
                short(&r.body)
            );
            if matches!(field, "duration_value" | "categories") {
                shows(&what, &r, p.trim());
            }
        }
        let edit = format!("/formations/{}/modifier", modules[0]);
        let mut f = ModuleForm::new(n.ales_school, "Module valide");
        f.duration_value = p.clone();
        f.categories = vec![p.clone()];
        let r = send(&admin, &edit, &f).await;
        echoed(&format!("modification, durée « {name} »"), &r, &p);

        // The school of a taking or a withdrawal.
        let what = format!("école « {name} »");
        let target = format!("/formations/{}", modules[0]);
        let r = post(
            &app,
            &what,
            &format!("{target}/reprendre"),
            &mut ge_admin,
            &[("school", &p)],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        let r = post(
            &app,
            &what,
            &format!("{target}/retirer"),
            &mut ge_admin,
            &[("school", &p)],
        )
        .await;
        assert!(r.status.is_client_error(), "{what} : {}", r.status);

        // The module's id in every path.
        let hostile_id = form(&[("", &p)]).trim_start_matches('=').to_owned();
        for path in [
            format!("/formations/{hostile_id}"),
            format!("/formations/{hostile_id}/modifier"),
        ] {
            let r = get(&app, &what, &path, Some(&admin)).await;
            assert!(r.status.is_client_error(), "{what} {path} : {}", r.status);
        }
        for path in [
            format!("/formations/{hostile_id}/modifier"),
            format!("/formations/{hostile_id}/reprendre"),
            format!("/formations/{hostile_id}/retirer"),
        ] {
            let r = post(&app, &what, &path, &mut admin, &[("school", &n.ge_school.to_string())]).await;
            assert!(r.status.is_client_error(), "{what} POST {path} : {}", r.status);
        }
        let r = app.api(&format!("/api/v1/formations/{hostile_id}"), Some(&token)).await;
        safe(&what, &r);
        assert!(r.status.is_client_error(), "{what} : {}", r.status);

        // Every query parameter.
        check_searches(&format!("recherche dans le catalogue « {name} »"), &p).await;
    }
    // Enough modules now for several pages: the pagination links carry the
    // hostile parameters, encoded.
    assert!(modules.len() > 20, "{} modules", modules.len());
    for (name, p) in corpus() {
        check_searches(&format!("pagination « {name} »"), &p).await;
    }
    for page in 1..=(modules.len() / 20 + 1) {
        for b in [&admin, &member] {
            let r = get(&app, "liste", &format!("/formations?page={page}"), Some(b)).await;
            assert_eq!(r.status, StatusCode::OK);
        }
    }
    for path in [
        "/formations?page=9223372036854775807",
        "/formations?page=-9223372036854775808",
        "/formations?page=99999999999999999999999",
    ] {
        let r = get(&app, path, path, Some(&member)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let r = app.api(&format!("/api/v1{path}"), Some(&token)).await;
        safe(path, &r);
        assert_eq!(r.status, StatusCode::OK, "API {path} : {}", short(&r.body));
    }
    // The audit log shows the hostile titles escaped.
    let mut coord = app.session(n.coordinator).await;
    let r = post(&app, "journal", "/compte/jetons", &mut coord, &[("name", "x")]).await;
    assert_eq!(r.status, StatusCode::OK);
    let journal = get(&app, "journal", "/admin/journal", Some(&coord)).await;
    for (name, p) in corpus().into_iter().filter(|(_, p)| p.chars().count() <= 200) {
        shows(&format!("journal, intitulé « {name} »"), &journal, &title_of(&p));
    }
}

/// Files that are not what they claim: an agents list that is a script, a
/// web page, an archive or an image; a photo that is an SVG with a script,
/// a web page or a GIF. Refused (or, for text, never imported), escaped
/// where shown; a photo is always served re-encoded.
#[tokio::test]
async fn disguised_uploads_are_refused() {
    let app = TestApp::new().await;
    let person = app
        .person("photo@ales.fr", "Personne Photo", "member", Some(ALES))
        .await;
    let admin = app.person("admin@ales.fr", "Admin Alès", "org-admin", Some(ALES)).await;
    let me = app.session(person).await;
    let admin_b = app.session(admin).await;
    let profiles = crate::directory::count_profiles(&app).await;

    let mut zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
    zip.extend_from_slice(b"evil.php");
    zip.extend_from_slice(&[0u8; 40]);
    let png = crate::harness::png(80, 80);
    let agents: Vec<(&str, &str, Vec<u8>)> = vec![
        (
            "agents.csv",
            "text/csv",
            b"<?php system($_GET['c']); ?>\n<script>alert(1)</script>\n".to_vec(),
        ),
        (
            "agents.csv",
            "text/csv",
            b"<html><body onload=alert(1)><script>alert(1)</script></body></html>".to_vec(),
        ),
        (
            "agents.csv",
            "text/csv",
            b"<!DOCTYPE html><html><script>alert(1)</script>".to_vec(),
        ),
        (
            "agents.csv",
            "text/csv",
            b"<?xml version=\"1.0\"?><Workbook><script>alert(1)</script></Workbook>".to_vec(),
        ),
        (
            "agents.csv",
            "text/csv",
            b"<svg onload=alert(1)><script>alert(1)</script></svg>\n".to_vec(),
        ),
        ("agents.csv", "application/zip", zip),
        ("agents.csv", "text/csv", png.clone()),
        // A real list, with hostile cells and a hostile file name.
        (
            "\"><img src=x onerror=alert(1)>.csv",
            "text/csv",
            b"Nom;Prenom;Courriel\n<script>alert(1)</script>;\"\"\"><img src=x onerror=alert(1)>\";x@ales.fr\n"
                .to_vec(),
        ),
    ];
    for (name, ct, bytes) in agents {
        let what = format!("import « {} »", String::from_utf8_lossy(&bytes[..bytes.len().min(30)]));
        let res = app
            .upload(
                "/admin/import",
                &admin_b,
                &[Part::field("organisation", ALES), Part::file("file", name, ct, &bytes)],
            )
            .await;
        safe(&what, &res);
        let real_list = name.starts_with('"');
        match res.status {
            StatusCode::UNPROCESSABLE_ENTITY if !real_list => {}
            StatusCode::SEE_OTHER => {
                // Read as text: its preview is escaped, and it cannot be
                // imported unless it really is an agents list.
                let preview = app.get(res.location(), Some(&admin_b)).await;
                safe(&what, &preview);
                assert_eq!(preview.status, StatusCode::OK, "{what}");
                let valider = format!("{}/valider", res.location());
                let r = app
                    .request(
                        axum::http::Method::POST,
                        &valider,
                        Some(&admin_b),
                        Some(form(&[("inviter", "non")])),
                        &[],
                    )
                    .await;
                safe(&what, &r);
                if !real_list {
                    assert_eq!(r.status, StatusCode::CONFLICT, "{what} importé");
                } else {
                    // The real list with hostile cells: imported, escaped.
                    assert_eq!(r.status, StatusCode::OK, "{what}");
                    let list = app.get("/annuaire?q=alert", Some(&admin_b)).await;
                    safe(&what, &list);
                    shows(&what, &list, "<script>alert(1)</script>");
                    shows(&what, &list, "\"><img src=x onerror=alert(1)>");
                }
            }
            s => panic!("{what} : {s} {}", short(&res.text())),
        }
    }
    assert_eq!(crate::directory::count_profiles(&app).await, profiles + 1);

    // Photos.
    let mut polyglot = png.clone();
    polyglot.extend_from_slice(b"<script>alert(1)</script><?php system('id'); ?>");
    let photos: Vec<(&str, &str, Vec<u8>, &str)> = vec![
        (
            "portrait.svg",
            "image/svg+xml",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(1)</script></svg>".to_vec(),
            "n'est pas une image JPEG, PNG ou WebP",
        ),
        (
            "portrait.png",
            "image/png",
            b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
                .to_vec(),
            "n'est pas une image JPEG, PNG ou WebP",
        ),
        (
            "portrait.jpg",
            "image/jpeg",
            b"<html><script>alert(1)</script></html>".to_vec(),
            "n'est pas une image JPEG, PNG ou WebP",
        ),
        (
            "portrait.jpg",
            "image/jpeg",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
            "n'est pas une image JPEG, PNG ou WebP",
        ),
        (
            "portrait.jpg",
            "image/jpeg",
            b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00<script>alert(1)</script>".to_vec(),
            "endommagée",
        ),
        (
            "\"><img src=x onerror=alert(1)>.php",
            "application/x-php",
            b"<?php system($_GET['c']); ?>".to_vec(),
            "n'est pas une image JPEG, PNG ou WebP",
        ),
    ];
    let id = app.profile_of(person).await;
    for (name, ct, bytes, message) in photos {
        let what = format!("photo {name}");
        let res = app
            .upload("/profil/photo", &me, &[Part::file("photo", name, ct, &bytes)])
            .await;
        safe(&what, &res);
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        assert!(res.text().contains(message), "{what} : {}", short(&res.text()));
        let r = app.get(&format!("/annuaire/{id}/photo"), Some(&me)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{what} : gardée");
    }
    // A PNG with a script appended: taken, but served re-encoded, as a JPEG.
    let res = app
        .upload(
            "/profil/photo",
            &me,
            &[Part::file("photo", "x.html", "text/html", &polyglot)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", short(&res.text()));
    let r = app.get(&format!("/annuaire/{id}/photo"), Some(&me)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.content_type(), "image/jpeg");
    assert_eq!(header(&r, "x-content-type-options"), "nosniff");
    assert!(r.bytes.starts_with(&[0xFF, 0xD8, 0xFF]));
    let served = String::from_utf8_lossy(&r.bytes);
    assert!(
        !served.contains("<script") && !served.contains("<?php"),
        "la charge est servie"
    );
}

#[tokio::test]
async fn hostile_input_in_the_project_bank() {
    let app = TestApp::new().await;
    let n = crate::catalogue::net(&app).await;
    let mut member = app.session(n.ales_member).await;
    let mut admin = app.session(n.ales_admin).await;
    let outsider = app.session(n.ge_member).await;
    let token = app.token(n.ge_member).await;
    let ales = crate::catalogue::org_id(&app, ALES).await.to_string();
    let school = n.ales_school.to_string();
    // What the title keeps: its words, one space apart.
    let title_of = |p: &str| stored(p).split_whitespace().collect::<Vec<_>>().join(" ");

    for (name, p) in corpus() {
        // Each text field of a proposal, in turn, on a new project seen by
        // the whole network.
        for (field, max, api_key) in [
            ("title", 200, "intitule"),
            ("problem", 8000, "probleme"),
            ("context", 8000, "contexte"),
            ("expected_impact", 8000, "impact_attendu"),
            ("contact", 500, "contact"),
        ] {
            let what = format!("projet proposé, {field} « {name} »");
            let title = format!("Projet {field} {name}");
            let mut pairs = vec![
                ("title", title.as_str()),
                ("problem", "Un problème à résoudre."),
                ("sponsor_organisation", ales.as_str()),
                ("school", school.as_str()),
                ("visibility", "reseau"),
            ];
            pairs.retain(|(k, _)| *k != field);
            pairs.push((field, p.as_str()));
            let r = post(&app, &what, "/projets/proposer", &mut member, &pairs).await;
            if stored(&p).chars().count() > max {
                echoed(&what, &r, &p);
                continue;
            }
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{what} : {}", short(&r.body));
            let page = r.location().split('?').next().unwrap().to_owned();
            let id = page.trim_start_matches("/projets/").to_owned();
            let expected = if field == "title" { title_of(&p) } else { stored(&p) };
            for b in [&member, &admin, &outsider] {
                let r = get(&app, &what, &page, Some(b)).await;
                assert_eq!(r.status, StatusCode::OK, "{what}");
                shows(&what, &r, &expected);
            }
            let r = get(&app, &what, &format!("{page}/modifier"), Some(&admin)).await;
            assert_eq!(r.status, StatusCode::OK, "{what}");
            let r = get(&app, &what, &format!("{page}/fiche"), Some(&outsider)).await;
            assert_eq!(r.status, StatusCode::OK, "{what} (fiche)");
            let r = app.api(&format!("/api/v1/projets/{id}"), Some(&token)).await;
            safe(&what, &r);
            assert_eq!(r.json()[api_key], expected, "{what} : API {api_key}");

            // The reason of a status change, in the history.
            if field == "title" {
                let r = post(
                    &app,
                    &what,
                    &format!("{page}/statut"),
                    &mut admin,
                    &[("status", "non_retenu"), ("reason", p.as_str())],
                )
                .await;
                if stored(&p).chars().count() > 4000 {
                    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{what} (raison)");
                } else {
                    assert_eq!(r.status, StatusCode::SEE_OTHER, "{what} (raison) : {}", short(&r.body));
                    let r = get(&app, &what, &page, Some(&outsider)).await;
                    shows(&what, &r, &stored(&p));
                }
            }
        }

        // Every search parameter, on the page and in the API.
        let params = [
            "q",
            "statut",
            "mis_en_oeuvre",
            "theme",
            "organisation",
            "ecole",
            "promotion",
            "annee",
            "page",
        ];
        let what = format!("recherche de projets « {name} »");
        every_search_parameter(
            &app,
            &what,
            "/projets",
            "/api/v1/projets",
            &params,
            &p,
            &outsider,
            &token,
        )
        .await;
    }
}
