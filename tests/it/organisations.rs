//! Organisations: adding from the official reference, SIREN validation,
//! membership, schools, listing and filters.

use axum::http::StatusCode;

use crate::harness::{ALES, GRAND_EST, PASSWORD, TestApp};

const COORDINATOR: &str = "animation@demo.example";

async fn count_orgs(app: &TestApp) -> i64 {
    let mut c = app.ctx.db.conn().await.unwrap();
    maillage_db::organisations::count(
        c.ex(),
        &maillage_db::organisations::ListFilter {
            limit: 1,
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn the_coordinator_adds_a_collectivite_picked_from_the_official_list() {
    let app = TestApp::with_demo().await;
    let mut b = app.login(COORDINATOR, PASSWORD).await;
    let picker = app
        .visit("/admin/organisations/nouvelle?q=saint+etienne&type=commune", &mut b)
        .await;
    assert_eq!(picker.status, StatusCode::OK);
    assert!(picker.text().contains("Saint-Étienne"), "{}", picker.body);
    // Saint-Étienne (commune), SIREN from the reference.
    let siren =
        maillage_domain::reference::search_kind("saint etienne", Some(maillage_domain::org_kind::OrgKind::Commune), 1)
            [0]
        .siren
        .as_str()
        .to_owned();
    let before = count_orgs(&app).await;
    let r = app
        .submit(
            "/admin/organisations",
            &mut b,
            &[("siren", &siren), ("membership", "candidate"), ("joined_on", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location(),
        format!("/organisations/{siren}?info=organisation-ajoutee")
    );
    let page = app.visit(&format!("/organisations/{siren}"), &mut b).await;
    assert!(
        page.text().contains("Saint-Étienne")
            && page.text().contains("Adhésion en cours")
            && page.text().contains("Commune"),
        "{}",
        page.body
    );
    assert_eq!(count_orgs(&app).await, before + 1);

    // Twice: a field error, nothing written.
    let again = app
        .submit(
            "/admin/organisations",
            &mut b,
            &[("siren", &siren), ("membership", "membre")],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().contains("fait déjà partie du réseau"));
    assert_eq!(count_orgs(&app).await, before + 1);
}

#[tokio::test]
async fn malformed_sirens_get_french_messages_and_write_nothing() {
    let app = TestApp::with_demo().await;
    let mut b = app.login(COORDINATOR, PASSWORD).await;
    let before = count_orgs(&app).await;
    let cases = [
        ("12345678", "9 chiffres"),
        ("2000669A8", "chiffres"),
        ("200066919", "clé de contrôle"),
        ("", "SIREN"),
    ];
    for (siren, expected) in cases {
        let r = app
            .submit(
                "/admin/organisations",
                &mut b,
                &[
                    ("siren", siren),
                    ("name", "Centre de gestion du Gard"),
                    ("kind", "cdg"),
                    ("membership", "membre"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{siren}");
        assert!(r.text().contains(expected), "{siren}: {expected} absent de {}", r.body);
        assert!(
            r.text().contains("value=\"Centre de gestion du Gard\""),
            "saisie perdue"
        );
    }
    // A collectivité's kind must come from the official list, not be typed.
    let r = app
        .submit(
            "/admin/organisations",
            &mut b,
            &[
                ("siren", "356000000"),
                ("name", "Commune inventée"),
                ("kind", "commune"),
                ("membership", "membre"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A bad date.
    let r = app
        .submit(
            "/admin/organisations",
            &mut b,
            &[
                ("siren", "356000000"),
                ("name", "Organisme partenaire"),
                ("kind", "autre"),
                ("membership", "partenaire"),
                ("joined_on", "mars 2024"),
            ],
        )
        .await;
    assert!(r.text().contains("AAAA-MM-JJ"));
    assert_eq!(count_orgs(&app).await, before);
    // And a valid manual entry for an organisation outside the list.
    let r = app
        .submit(
            "/admin/organisations",
            &mut b,
            &[
                ("siren", "356 000 000"),
                ("name", "Organisme partenaire"),
                ("kind", "autre"),
                ("membership", "partenaire"),
                ("joined_on", "2024-03-25"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(count_orgs(&app).await, before + 1);
}

#[tokio::test]
async fn membership_dates_are_checked() {
    let app = TestApp::with_demo().await;
    let mut b = app.login(COORDINATOR, PASSWORD).await;
    let r = app
        .submit(
            &format!("/admin/organisations/{ALES}/adhesion"),
            &mut b,
            &[
                ("membership", "ancien"),
                ("joined_on", "2024-01-10"),
                ("left_on", "2023-12-31"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("ne peut pas précéder"));
    assert!(r.text().contains("value=\"2023-12-31\""));
    let r = app
        .submit(
            &format!("/admin/organisations/{ALES}/adhesion"),
            &mut b,
            &[
                ("membership", "ancien"),
                ("joined_on", "2021-01-10"),
                ("left_on", "2026-06-30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.visit(&format!("/organisations/{ALES}"), &mut b).await;
    assert!(page.text().contains("Ancien membre") && page.text().contains("30 juin 2026"));
}

#[tokio::test]
async fn schools_can_be_mutualised_between_organisations() {
    let app = TestApp::with_demo().await;
    let mut admin = app.login("ecole@demo.example", PASSWORD).await;
    let empty = app
        .submit(&format!("/organisations/{ALES}/ecoles"), &mut admin, &[("name", "  ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().contains("Saisissez le nom de l'école."));
    let r = app
        .submit(
            &format!("/organisations/{ALES}/ecoles"),
            &mut admin,
            &[("name", "Académie cévenole du management")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let school = {
        let orgs = maillage_core::organisations::get(&app.ctx, ALES).await.unwrap();
        maillage_core::schools::of_organisation(&app.ctx, orgs.id)
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.name == "Académie cévenole du management")
            .unwrap()
    };
    let share = format!("/organisations/{ALES}/ecoles/{}/organisations", school.id);
    // Alès's admin alone may not add the school to Grand Est's page…
    let r = app.submit(&share, &mut admin, &[("siren", GRAND_EST)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // …someone who administers both may (here: made admin of Grand Est too).
    app.user("ge-admin@ville.fr", "org-admin", Some(GRAND_EST)).await;
    let mut coordinator = app.login("animation@demo.example", PASSWORD).await;
    let people = app
        .visit(&format!("/organisations/{GRAND_EST}"), &mut coordinator)
        .await;
    assert_eq!(people.status, StatusCode::OK);
    let admin_id = {
        let mut c = app.ctx.db.conn().await.unwrap();
        maillage_db::users::by_email(c.ex(), "ecole@demo.example")
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let grant = app
        .submit(
            &format!("/organisations/{GRAND_EST}/roles"),
            &mut coordinator,
            &[
                ("user_id", &admin_id.to_string()),
                ("role", "org-admin"),
                ("action", "attribuer"),
            ],
        )
        .await;
    assert_eq!(grant.status, StatusCode::SEE_OTHER, "{}", grant.body);
    let mut admin = app.login("ecole@demo.example", PASSWORD).await;
    let r = app.submit(&share, &mut admin, &[("siren", GRAND_EST)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let other = app.get(&format!("/organisations/{GRAND_EST}"), None).await;
    assert!(
        other.text().contains("Académie cévenole du management") && other.text().contains("École mutualisée"),
        "{}",
        other.body
    );
    // An org-admin may not create a school for an organisation they do not
    // administer (Région Pays de la Loire).
    let r = app
        .submit("/organisations/234400034/ecoles", &mut admin, &[("name", "Intrusion")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_members_list_filters_without_accents_and_paginates() {
    let app = TestApp::with_demo().await;
    let r = app.get("/organisations?q=ALES", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("CA Alès Agglomération"));
    assert!(!r.text().contains("Région Grand Est"));
    let regions = app.get("/organisations?type=region", None).await;
    assert!(regions.text().contains("Région Grand Est") && !regions.text().contains("CA Alès Agglomération"));
    let page2 = app.get("/organisations?page=2", None).await;
    assert_eq!(page2.status, StatusCode::OK);
    assert!(page2.text().contains("page 2 sur 2"), "{}", page2.body);
    let junk = app.get("/organisations?page=abc&type=%3Cscript%3E", None).await;
    assert_eq!(junk.status, StatusCode::OK);
    assert!(!junk.text().contains("<script>"));
    let none = app.get("/organisations?q=zzzz", None).await;
    assert!(none.text().contains("Aucun membre ne correspond"));
}

#[tokio::test]
async fn the_home_page_shows_the_network_alive() {
    let app = TestApp::with_demo().await;
    let r = app.get("/", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("Réseau Remix"));
    assert!(r.text().contains("Quoi de neuf"));
    assert!(r.text().contains("rejoint le réseau"));
    assert!(r.text().contains("<dd>45</dd>"), "{}", r.body);
}

/// Public pages are cached, but a write shows at once on the next request.
#[tokio::test]
async fn cached_public_pages_show_a_write_at_once() {
    let app = TestApp::with_demo().await;
    let home = app.get("/", None).await;
    assert!(home.text().contains("<dd>45</dd>"));
    let list = app.get("/organisations?q=mende", None).await;
    assert!(list.text().contains("Aucun membre ne correspond"));
    // Mende (Lozère) joins.
    let siren = maillage_domain::reference::search_kind("mende", Some(maillage_domain::org_kind::OrgKind::Commune), 1)
        [0]
    .siren
    .as_str()
    .to_owned();
    let mut b = app.login(COORDINATOR, PASSWORD).await;
    let r = app
        .submit(
            "/admin/organisations",
            &mut b,
            &[("siren", &siren), ("membership", "membre"), ("joined_on", "2026-11-20")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(app.get("/", None).await.text().contains("<dd>46</dd>"));
    assert!(app.get("/", None).await.text().contains("Mende rejoint le réseau"));
    assert!(app.get("/organisations?q=mende", None).await.text().contains("Mende"));
    // And a membership change shows on its page at once.
    app.submit(
        &format!("/admin/organisations/{siren}/adhesion"),
        &mut b,
        &[
            ("membership", "ancien"),
            ("joined_on", "2026-11-20"),
            ("left_on", "2026-11-21"),
        ],
    )
    .await;
    assert!(
        app.get(&format!("/organisations/{siren}"), None)
            .await
            .text()
            .contains("Ancien membre")
    );
}

#[tokio::test]
async fn the_coordinator_names_the_network() {
    let app = TestApp::new().await;
    app.user("animation@reseau.fr", "coordinator", None).await;
    let mut b = app.login("animation@reseau.fr", PASSWORD).await;
    // A fresh installation has a default name until the coordinator sets one.
    assert!(
        app.visit("/", &mut b)
            .await
            .text()
            .contains("Réseau des écoles de management")
    );
    let empty = app
        .submit(
            "/admin/reseau",
            &mut b,
            &[("name", "  "), ("description", "Une présentation")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().contains("Donnez un nom au réseau"));
    assert!(empty.text().contains("Une présentation"), "saisie perdue");
    let ok = app
        .submit(
            "/admin/reseau",
            &mut b,
            &[
                ("name", "Réseau des écoles d'Occitanie"),
                ("description", "Échanges entre pairs."),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let home = app.get("/", None).await.text();
    assert!(
        home.contains("<title>Accueil — Réseau des écoles d'Occitanie · Maillage</title>"),
        "{home}"
    );
    assert!(home.contains("Échanges entre pairs."));
}
