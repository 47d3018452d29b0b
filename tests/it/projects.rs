//! The project bank: a sponsor proposes a project (the school is mailed),
//! the school screens it at the appetizer (no « non retenu » without a why,
//! nothing written), retains it, starts it, records the jury (not before the
//! start), the outcome; unknown statuses and illegal transitions get clear
//! French errors on the page and in the API; a project not retained is
//! proposed again and taken up by another school; the team edits, the
//! sponsor does not; the French search and its filters; what another
//! organisation never sees (drafts, « organisation » projects) in search,
//! counts, CSV, API, similar projects and a person's profile; the CSV for
//! administrators only; the demo's projects.
//!
//! Each test but the last builds its own small network (`catalogue::net`).

use axum::http::{Method, StatusCode};
use uuid::Uuid;

use crate::{
    catalogue::{Net, net, org_id},
    harness::{ALES, Browser, GRAND_EST, Res, TestApp, form},
};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

async fn post(app: &TestApp, b: &Browser, path: &str, pairs: &[(&str, &str)]) -> Res {
    app.request(Method::POST, path, Some(b), Some(form(pairs)), &[]).await
}

/// A project proposed through the core operation, as `user` (every field
/// a test varies is an argument: clearer at the call than a builder).
#[allow(clippy::too_many_arguments)]
pub async fn propose(
    app: &TestApp,
    user: Uuid,
    school: Uuid,
    sponsor_siren: &str,
    title: &str,
    problem: &str,
    visibility: &str,
    themes: &[Uuid],
) -> Uuid {
    let sponsor = org_id(app, sponsor_siren).await;
    maillage_core::projects::bank::proposal::propose(
        &app.ctx,
        &app.actor(user).await,
        &maillage_core::projects::bank::proposal::Input {
            title: title.into(),
            problem: problem.into(),
            sponsor_organisation: sponsor.to_string(),
            school: school.to_string(),
            themes: themes.iter().map(Uuid::to_string).collect(),
            visibility: visibility.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap_or_else(|e| panic!("proposition {title} : {e:?}"))
}

/// Changes a status through the core operation, as `user`.
pub async fn set_status(app: &TestApp, user: Uuid, project: Uuid, status: &str, reason: &str) {
    maillage_core::projects::bank::status::change(
        &app.ctx,
        &app.actor(user).await,
        project,
        &maillage_core::projects::bank::status::Change {
            status: status.into(),
            reason: reason.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap_or_else(|e| panic!("statut {status} : {e:?}"));
}

async fn scalar(app: &TestApp, sql: &'static str, id: Uuid) -> i64 {
    let mut c = app.ctx.db.conn().await.unwrap();
    c.ex().fetch_scalar(maillage_db::query(sql).bind(id)).await.unwrap()
}

async fn status_of(app: &TestApp, id: Uuid) -> String {
    let mut c = app.ctx.db.conn().await.unwrap();
    let (s,): (String,) = c
        .ex()
        .fetch_one(maillage_db::query("SELECT status FROM projects WHERE id = $1").bind(id))
        .await
        .unwrap();
    s
}

async fn events(app: &TestApp, id: Uuid) -> i64 {
    scalar(app, "SELECT COUNT(*) FROM project_events WHERE project_id = $1", id).await
}

async fn count_projects(app: &TestApp) -> i64 {
    let mut c = app.ctx.db.conn().await.unwrap();
    c.ex()
        .fetch_scalar(maillage_db::query("SELECT COUNT(*) FROM projects"))
        .await
        .unwrap()
}

/// The project ids linked from a page (`/projets/{uuid}`), once each.
fn linked_projects(html: &str) -> Vec<Uuid> {
    let mut out = Vec::new();
    for (i, _) in html.match_indices("href=\"/projets/") {
        let rest = &html[i + "href=\"/projets/".len()..];
        if let Some(id) = rest.get(..36).and_then(|s| Uuid::parse_str(s).ok())
            && !out.contains(&id)
        {
            out.push(id);
        }
    }
    out
}

/// The ids listed by `/projets?{query}` and the status line.
async fn listed(app: &TestApp, b: &Browser, query: &str) -> (Vec<Uuid>, String) {
    let res = app.get(&format!("/projets?{query}"), Some(b)).await;
    assert_eq!(res.status, StatusCode::OK, "/projets?{query} : {}", res.body);
    let text = res.text();
    let at = text.find("role=\"status\"").expect("ligne d'état");
    let r = &text[at..];
    (linked_projects(r), r[..r.find("</p>").unwrap_or(r.len())].to_owned())
}

// ---------------------------------------------------------------------------
// The story
// ---------------------------------------------------------------------------

#[tokio::test]
async fn from_proposal_to_implementation() {
    let app = TestApp::new().await;
    let n: Net = net(&app).await;
    let member = app.session(n.ales_member).await;
    let admin = app.session(n.ales_admin).await;
    let ales = org_id(&app, ALES).await.to_string();
    let ge = org_id(&app, GRAND_EST).await.to_string();
    let school = n.ales_school.to_string();
    let theme = n.theme_a.to_string();

    // The form shows; a proposal without title nor problem comes back (422)
    // with French messages, and nothing is written.
    let res = app.get("/projets/proposer", Some(&member)).await;
    assert_eq!(res.status, StatusCode::OK);
    let before = count_projects(&app).await;
    let res = post(
        &app,
        &member,
        "/projets/proposer",
        &[("sponsor_organisation", &ales), ("school", &school), ("title", "  ")],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("Saisissez l'intitulé du projet."), "{}", res.body);
    assert!(res.text().contains("problème à résoudre"));
    assert_eq!(count_projects(&app).await, before);
    // For another organisation: refused.
    let res = post(
        &app,
        &member,
        "/projets/proposer",
        &[
            ("sponsor_organisation", &ge),
            ("school", &school),
            ("title", "T"),
            ("problem", "P"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(count_projects(&app).await, before);

    // The proposal: « proposé », one event, the school's manager mailed.
    let res = post(
        &app,
        &member,
        "/projets/proposer",
        &[
            ("title", "Former les agents d'accueil à la langue des signes"),
            (
                "problem",
                "Les usagers sourds ne sont pas compris au guichet ; aucune formation n'existe.",
            ),
            ("context", "Deux mairies annexes."),
            ("expected_impact", "Des usagers accueillis dans leur langue."),
            ("sponsor_organisation", &ales),
            ("contact", "Service accueil"),
            ("school", &school),
            ("themes", &theme),
            ("visibility", "reseau"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id = Uuid::parse_str(&res.location()["/projets/".len()..][..36]).unwrap();
    assert_eq!(status_of(&app, id).await, "propose");
    assert_eq!(events(&app, id).await, 1);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM projects WHERE id = $1 AND sponsor_user_id IS NOT NULL",
            id
        )
        .await,
        1,
        "le commanditaire est le compte qui propose pour son organisation"
    );
    let mails = app.mails().await;
    assert!(
        mails
            .iter()
            .any(|m| m.contains("admin@ales.fr") && m.contains("Former les agents")),
        "{mails:?}"
    );
    let page = app
        .get(&format!("/projets/{id}?info=projet-propose"), Some(&member))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Le projet est proposé"));
    // The sponsor does not screen it.
    let path = format!("/projets/{id}/statut");
    let res = post(&app, &member, &path, &[("status", "retenu")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // The school's page shows the appetizer.
    let page = app.get(&format!("/projets/{id}"), Some(&admin)).await;
    assert!(page.text().contains("Appetizer"), "{}", page.body);

    // Not retained without a why: 422, French, nothing written.
    let res = post(&app, &admin, &path, &[("status", "non_retenu"), ("reason", " ")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text().contains("Dites pourquoi le projet est « Non retenu »"),
        "{}",
        res.body
    );
    assert!(res.text().contains("aria-invalid=\"true\""));
    assert_eq!(status_of(&app, id).await, "propose");
    assert_eq!(events(&app, id).await, 1);
    // An unknown status, an illegal move: clear errors, nothing written.
    let res = post(&app, &admin, &path, &[("status", "termine")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("Statut inconnu : « termine »"), "{}", res.body);
    let res = post(&app, &admin, &path, &[("status", "mis_en_oeuvre")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .contains("Un projet « Proposé » ne peut pas passer à « Mis en œuvre »"),
        "{}",
        res.body
    );
    assert_eq!(events(&app, id).await, 1);

    // Retained, started (the start date is set), presented.
    let res = post(
        &app,
        &admin,
        &path,
        &[("status", "retenu"), ("reason", "Sujet prioritaire.")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = post(&app, &admin, &path, &[("status", "en_cours")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let today = maillage_core::dates::paris_today();
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM projects WHERE id = $1 AND started_on IS NOT NULL",
            id
        )
        .await,
        1
    );
    let yesterday = (today - time::Duration::days(1)).to_string();
    let res = post(
        &app,
        &admin,
        &path,
        &[
            ("status", "restitue"),
            ("jury", "Direction générale"),
            ("jury_on", &yesterday),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text().contains("ne peut pas précéder le début du projet"),
        "{}",
        res.body
    );
    let tomorrow = (today + time::Duration::days(1)).to_string();
    let res = post(
        &app,
        &admin,
        &path,
        &[
            ("status", "restitue"),
            ("jury", "Direction générale"),
            ("jury_on", &tomorrow),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text().contains("La date du jury ne peut pas être dans le futur."),
        "{}",
        res.body
    );
    let res = post(
        &app,
        &admin,
        &path,
        &[("status", "restitue"), ("jury_on", &today.to_string())],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("Saisissez le jury"));
    assert_eq!(status_of(&app, id).await, "en_cours");
    let res = post(
        &app,
        &admin,
        &path,
        &[
            ("status", "restitue"),
            ("jury", "Direction générale"),
            ("jury_on", &today.to_string()),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = post(&app, &admin, &path, &[("status", "mis_en_oeuvre")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(status_of(&app, id).await, "mis_en_oeuvre");
    assert_eq!(events(&app, id).await, 5);
    let page = app.get(&format!("/projets/{id}"), Some(&member)).await.text();
    for s in [
        "Proposé",
        "Retenu",
        "En cours",
        "Restitué",
        "Mis en œuvre",
        "Sujet prioritaire.",
        "Direction générale",
    ] {
        assert!(page.contains(s), "{s} absent de l'historique");
    }

    // The API: an unknown status is a clear JSON error, nothing written.
    let token = app.token(n.ales_admin).await;
    let res = app
        .request(
            Method::POST,
            &format!("/api/v1/projets/{id}/statut"),
            None,
            None,
            &[("authorization", &format!("Bearer {token}"))],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let res = app
        .request_bytes(
            Method::POST,
            &format!("/api/v1/projets/{id}/statut"),
            None,
            Some(("application/json".into(), br#"{"statut": "fini"}"#.to_vec())),
            &[("authorization", &format!("Bearer {token}"))],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("Statut inconnu"), "{}", res.body);
    assert_eq!(res.json()["champs"][0]["champ"], "status", "{}", res.body);
    assert_eq!(events(&app, id).await, 5);
    let res = app
        .request_bytes(
            Method::POST,
            &format!("/api/v1/projets/{id}/statut"),
            None,
            Some((
                "application/json".into(),
                br#"{"statut": "partiellement_mis_en_oeuvre", "raison": "Une seule mairie annexe."}"#.to_vec(),
            )),
            &[("authorization", &format!("Bearer {token}"))],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["statut"]["cle"], "partiellement_mis_en_oeuvre");
    assert_eq!(res.json()["historique"].as_array().unwrap().len(), 6);

    // The sponsor may not edit (403); the school adds a team member, who may.
    let edit = format!("/projets/{id}/modifier");
    assert_eq!(app.get(&edit, Some(&member)).await.status, StatusCode::FORBIDDEN);
    let fields = [
        ("title", "Former les agents d'accueil à la langue des signes"),
        ("problem", "Les usagers sourds ne sont pas compris au guichet."),
        ("solution", "Une sensibilisation de deux jours et un visio-interprète."),
        ("lessons", "Impliquer une association d'usagers sourds dès le début."),
        ("visibility", "reseau"),
    ];
    assert_eq!(post(&app, &member, &edit, &fields).await.status, StatusCode::FORBIDDEN);
    let teammate = app.person("equipe@ales.fr", "Eva Équipe", "member", Some(ALES)).await;
    let teammate_profile = app.profile_of(teammate).await.to_string();
    let search = app.get(&format!("{edit}?personne=eva"), Some(&admin)).await;
    assert!(search.text().contains(&teammate_profile), "{}", search.body);
    let res = post(
        &app,
        &admin,
        &format!("/projets/{id}/equipe"),
        &[("profile", &teammate_profile)],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = post(
        &app,
        &admin,
        &format!("/projets/{id}/equipe"),
        &[("profile", "pas-un-id")],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let team = app.session(teammate).await;
    let res = post(&app, &team, &edit, &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.get(&format!("/projets/{id}"), Some(&member)).await.text();
    assert!(page.contains("visio-interprète"));
    assert!(
        page.contains(&format!("href=\"/annuaire/{teammate_profile}\"")),
        "l'équipe renvoie à l'annuaire"
    );
    // The team still does not screen.
    assert_eq!(
        post(&app, &team, &path, &[("status", "abandonne"), ("reason", "x")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // The printable sheet.
    let sheet = app.get(&format!("/projets/{id}/fiche"), Some(&member)).await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert!(sheet.text().contains("project-sheet") && sheet.text().contains("Impliquer une association"));
}

#[tokio::test]
async fn a_project_not_retained_is_proposed_again_and_taken_up_by_another_school() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let id = propose(
        &app,
        n.ales_admin,
        n.ales_school,
        ALES,
        "Mutualiser les salles de réunion",
        "Des salles vides, d'autres réservées deux fois.",
        "reseau",
        &[],
    )
    .await;
    set_status(&app, n.ales_admin, id, "non_retenu", "Pas de promotion cette année.").await;
    let ge_member = app.session(n.ge_member).await;
    let page = app.get(&format!("/projets/{id}"), Some(&ge_member)).await.text();
    assert!(
        page.contains("Pas de promotion cette année."),
        "le projet non retenu reste dans la banque"
    );
    // Nobody but a school's managers proposes it again.
    let path = format!("/projets/{id}/statut");
    let ge_school = n.ge_school.to_string();
    let res = post(
        &app,
        &ge_member,
        &path,
        &[("status", "propose"), ("school", &ge_school)],
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // Taken up by Manag'Est: its manager proposes it to their school.
    let ge_admin = app.session(n.ge_admin).await;
    let page = app.get(&format!("/projets/{id}"), Some(&ge_admin)).await.text();
    assert!(page.contains("Proposer à nouveau"));
    let res = post(&app, &ge_admin, &path, &[("status", "propose"), ("school", &ge_school)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(status_of(&app, id).await, "propose");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM projects WHERE id = $1 AND school_id = (SELECT id FROM schools WHERE name = 'Manag''Est')", id).await,
        1
    );
    assert_eq!(events(&app, id).await, 3);
    let page = app.get(&format!("/projets/{id}"), Some(&ge_admin)).await.text();
    assert!(
        page.contains("Repris par Manag&#39;Est") || page.contains("Repris par Manag'Est"),
        "{page}"
    );
    // Manag'Est now screens it; Alès no longer does.
    let ales_admin = app.session(n.ales_admin).await;
    assert_eq!(
        post(&app, &ales_admin, &path, &[("status", "retenu")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&app, &ge_admin, &path, &[("status", "retenu")]).await.status,
        StatusCode::SEE_OTHER
    );
    // The same school proposes a project it did not retain again, too.
    let other = propose(
        &app,
        n.ales_admin,
        n.ales_school,
        ALES,
        "Autre",
        "Problème.",
        "organisation",
        &[],
    )
    .await;
    set_status(&app, n.ales_admin, other, "non_retenu", "Trop tôt.").await;
    set_status(&app, n.ales_admin, other, "propose", "").await;
    assert_eq!(status_of(&app, other).await, "propose");
    // Each proposal is mailed (the mail is keyed on its history line).
    let mails = app.mails().await;
    let told = mails
        .iter()
        .filter(|m| m.contains("admin@ales.fr") && m.contains("le projet « Autre »"))
        .count();
    assert_eq!(told, 2, "{mails:?}");
}

/// The team's names follow the directory's rule (a person out of the
/// directory is « Une personne de … » on the page, the sheet, the API and
/// the CSV; the team and the school see the names), and the promotion is a
/// link only for whoever may open its page.
#[tokio::test]
async fn the_team_s_names_follow_the_directory_and_the_promotion_links_for_its_people() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let hidden = app
        .person("ulysse@ales.fr", "Ulysse Discret", "member", Some(ALES))
        .await;
    let shown = app.person("lina@ales.fr", "Lina Visible", "member", Some(ALES)).await;
    let (hidden_profile, shown_profile) = (app.profile_of(hidden).await, app.profile_of(shown).await);
    {
        let mut c = app.ctx.db.begin().await.unwrap();
        for (id, first, last, listed) in [
            (hidden_profile, "Ulysse", "Cachédenom", 2),
            (shown_profile, "Lina", "Montrée", 0),
        ] {
            c.ex()
                .execute(
                    maillage_db::query(
                        "UPDATE profiles SET first_name = $1, last_name = $2, listed = $3 WHERE id = $4",
                    )
                    .bind(first)
                    .bind(last)
                    .bind(listed)
                    .bind(id),
                )
                .await
                .unwrap();
        }
        c.commit().await.unwrap();
    }
    let id = propose(
        &app,
        n.ales_admin,
        n.ales_school,
        ALES,
        "Un projet et son équipe",
        "Qui voit les noms ?",
        "reseau",
        &[],
    )
    .await;
    let admin = app.actor(n.ales_admin).await;
    for p in [hidden_profile, shown_profile] {
        maillage_core::projects::bank::team::add(&app.ctx, &admin, id, &p.to_string())
            .await
            .unwrap();
    }
    let today = maillage_core::dates::paris_today();
    let promotion = {
        let mut tx = app.ctx.db.begin().await.unwrap();
        let p = maillage_db::promotions::insert(
            tx.ex(),
            n.ales_school,
            &maillage_db::promotions::Fields {
                path_id: None,
                name: "Promotion Hopper".into(),
                description: String::new(),
                starts_on: today - time::Duration::days(100),
                ends_on: today + time::Duration::days(100),
                temperaments: String::new(),
            },
            None,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        p
    };
    maillage_core::projects::bank::status::change(
        &app.ctx,
        &admin,
        id,
        &maillage_core::projects::bank::status::Change {
            status: "retenu".into(),
            promotion: promotion.to_string(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let org = {
        let mut c = app.ctx.db.conn().await.unwrap();
        let (name,): (String,) = c
            .ex()
            .fetch_one(maillage_db::query("SELECT name FROM organisations WHERE siren = $1").bind(ALES))
            .await
            .unwrap();
        name
    };
    let anonymous = format!("Une personne de {org}");
    let promotion_link = format!("href=\"/promotions/{promotion}\"");

    // Another organisation's member, and a colleague outside the team.
    for who in [n.ge_member, n.ales_member] {
        let b = app.session(who).await;
        for path in [format!("/projets/{id}"), format!("/projets/{id}/fiche")] {
            let page = app.get(&path, Some(&b)).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            let text = page.text();
            assert!(!text.contains("Cachédenom"), "{path} : {text}");
            assert!(text.contains(&anonymous), "{path} : {text}");
            assert!(text.contains("Lina Montrée") && text.contains(&format!("/annuaire/{shown_profile}")));
            assert!(text.contains("Promotion Hopper"), "{path}");
        }
    }
    // The promotion's page is open to its school's organisations only.
    let ge = app.session(n.ge_member).await;
    assert!(
        !app.get(&format!("/projets/{id}"), Some(&ge))
            .await
            .body
            .contains(&promotion_link)
    );
    let colleague = app.session(n.ales_member).await;
    assert!(
        app.get(&format!("/projets/{id}"), Some(&colleague))
            .await
            .body
            .contains(&promotion_link)
    );
    // The API and the CSV say the same.
    let token = app.token(n.ge_admin).await;
    let res = app.api(&format!("/api/v1/projets/{id}"), Some(&token)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(
        !res.body.contains("Cachédenom") && !res.body.contains("Ulysse"),
        "{}",
        res.body
    );
    let json = res.json();
    let team: Vec<&str> = json["equipe"]
        .as_array()
        .expect("équipe")
        .iter()
        .map(|m| m["nom"].as_str().unwrap_or_default())
        .collect();
    assert!(
        team.contains(&anonymous.as_str()) && team.contains(&"Lina Montrée"),
        "{team:?}"
    );
    let csv = app
        .get("/projets/export.csv", Some(&app.session(n.ge_admin).await))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        !csv.body.contains("Cachédenom") && csv.body.contains(&anonymous),
        "{}",
        csv.body
    );
    // The team, and the school's managers, work with them: names shown.
    for who in [shown, n.ales_admin] {
        let page = app.get(&format!("/projets/{id}"), Some(&app.session(who).await)).await;
        assert!(page.text().contains("Ulysse Cachédenom"), "{}", page.body);
    }
}

// ---------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------

#[tokio::test]
async fn the_search_understands_french_and_filters() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let a = propose(
        &app,
        n.ales_admin,
        n.ales_school,
        ALES,
        "Une formation au management à distance",
        "Les encadrants découvrent le télétravail de leurs équipes.",
        "reseau",
        &[n.theme_a],
    )
    .await;
    let b = propose(
        &app,
        n.ge_admin,
        n.ge_school,
        GRAND_EST,
        "Des élus mieux informés",
        "Les élues et élus ne reçoivent pas les notes à temps.",
        "reseau",
        &[n.theme_b],
    )
    .await;
    for s in ["retenu", "en_cours"] {
        set_status(&app, n.ge_admin, b, s, "").await;
    }
    maillage_core::projects::bank::status::change(
        &app.ctx,
        &app.actor(n.ge_admin).await,
        b,
        &maillage_core::projects::bank::status::Change {
            status: "restitue".into(),
            jury: "Comité de direction".into(),
            jury_on: maillage_core::dates::paris_today().to_string(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    set_status(&app, n.ge_admin, b, "mis_en_oeuvre", "").await;
    let viewer = app.session(n.pdl_member).await;
    // « formations » finds « formation »; accents and case do not matter.
    assert_eq!(listed(&app, &viewer, "q=formations").await.0, vec![a]);
    assert_eq!(listed(&app, &viewer, "q=T%C3%89L%C3%89TRAVAIL").await.0, vec![a]);
    assert_eq!(listed(&app, &viewer, "q=%C3%A9lu").await.0, vec![b]);
    let (ids, status) = listed(&app, &viewer, "").await;
    assert_eq!(ids.len(), 2);
    assert!(status.contains("2 projets"), "{status}");
    // Filters.
    assert_eq!(listed(&app, &viewer, "statut=mis_en_oeuvre").await.0, vec![b]);
    assert_eq!(listed(&app, &viewer, "mis_en_oeuvre=oui").await.0, vec![b]);
    assert!(listed(&app, &viewer, "mis_en_oeuvre=non").await.0.is_empty());
    assert_eq!(listed(&app, &viewer, &format!("theme={}", n.theme_a)).await.0, vec![a]);
    let ge = org_id(&app, GRAND_EST).await;
    assert_eq!(listed(&app, &viewer, &format!("organisation={ge}")).await.0, vec![b]);
    assert_eq!(
        listed(&app, &viewer, &format!("ecole={}", n.ales_school)).await.0,
        vec![a]
    );
    let year = maillage_core::dates::paris_today().year();
    assert_eq!(listed(&app, &viewer, &format!("annee={year}")).await.0.len(), 2);
    assert!(listed(&app, &viewer, "annee=1999").await.0.is_empty());
    let (_, status) = listed(&app, &viewer, "q=zzzzzz").await;
    assert!(status.contains("Aucun projet"), "{status}");
    // Stale or odd values are ignored.
    assert_eq!(listed(&app, &viewer, "statut=x&theme=y&page=abc").await.0.len(), 2);
    // The API.
    let token = app.token(n.pdl_member).await;
    let res = app.api("/api/v1/projets?q=formations", Some(&token)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json()["total"], 1);
    assert_eq!(res.json()["projets"][0]["id"], a.to_string());
    // Similar projects: sharing a theme.
    let c = propose(
        &app,
        n.ales_admin,
        n.ales_school,
        ALES,
        "Manager des équipes hybrides",
        "Encadrer à distance.",
        "reseau",
        &[n.theme_a],
    )
    .await;
    let page = app.get(&format!("/projets/{c}"), Some(&viewer)).await.text();
    let at = page.find("Projets similaires").expect("projets similaires");
    assert!(linked_projects(&page[at..]).contains(&a));
    assert!(!linked_projects(&page[at..]).contains(&b));
}

// ---------------------------------------------------------------------------
// Leaks
// ---------------------------------------------------------------------------

#[tokio::test]
async fn drafts_and_organisation_projects_never_leak() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    // A teammate of Alès, in the team of all three projects.
    let teammate = app.person("equipe@ales.fr", "Eva Équipe", "member", Some(ALES)).await;
    let profile = app.profile_of(teammate).await;
    let problem = "Le secret des formations internes.";
    let open = propose(
        &app,
        n.ales_admin,
        n.ales_school,
        ALES,
        "Projet ouvert",
        problem,
        "reseau",
        &[n.theme_a],
    )
    .await;
    let org_only = propose(
        &app,
        n.ales_admin,
        n.ales_school,
        ALES,
        "Projet interne",
        problem,
        "organisation",
        &[n.theme_a],
    )
    .await;
    let draft = propose(
        &app,
        n.ales_admin,
        n.ales_school,
        ALES,
        "Projet brouillon",
        problem,
        "brouillon",
        &[n.theme_a],
    )
    .await;
    for p in [open, org_only, draft] {
        maillage_core::projects::bank::team::add(&app.ctx, &app.actor(n.ales_admin).await, p, &profile.to_string())
            .await
            .unwrap();
    }
    let ge_member = app.session(n.ge_member).await;
    let ge_admin = app.session(n.ge_admin).await;
    let ales_member = app.session(n.ales_member).await;
    let team = app.session(teammate).await;
    let ge_token = app.token(n.ge_admin).await;

    for (who, b) in [("membre Grand Est", &ge_member), ("admin Grand Est", &ge_admin)] {
        for q in [
            "",
            "q=formations",
            &format!("theme={}", n.theme_a),
            &format!("ecole={}", n.ales_school),
        ] {
            let (ids, status) = listed(&app, b, q).await;
            assert_eq!(ids, vec![open], "[{who}] ?{q}");
            assert!(status.contains("1 projet"), "[{who}] ?{q} : {status}");
        }
        for p in [org_only, draft] {
            for path in [
                format!("/projets/{p}"),
                format!("/projets/{p}/fiche"),
                format!("/projets/{p}/modifier"),
            ] {
                assert_eq!(
                    app.get(&path, Some(b)).await.status,
                    StatusCode::NOT_FOUND,
                    "[{who}] {path}"
                );
            }
            let res = post(&app, b, &format!("/projets/{p}/statut"), &[("status", "retenu")]).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "[{who}]");
        }
        // Their profile page lists only the open project.
        let page = app.get(&format!("/annuaire/{profile}"), Some(b)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(linked_projects(&page.text()), vec![open], "[{who}] fiche d'annuaire");
    }
    // The API, the CSV.
    let res = app.api("/api/v1/projets", Some(&ge_token)).await;
    assert_eq!(res.json()["total"], 1, "{}", res.body);
    for p in [org_only, draft] {
        assert_eq!(
            app.api(&format!("/api/v1/projets/{p}"), Some(&ge_token)).await.status,
            StatusCode::NOT_FOUND
        );
    }
    let csv = app.get("/projets/export.csv", Some(&ge_admin)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(csv.body.contains("Intitulé;Statut;"));
    assert!(csv.body.contains("Projet ouvert"));
    assert!(!csv.body.contains("Projet interne") && !csv.body.contains("Projet brouillon"));
    // Similar projects of a Grand Est project sharing everything.
    let ge_project = propose(
        &app,
        n.ge_admin,
        n.ge_school,
        GRAND_EST,
        "Projet ouvert bis",
        problem,
        "reseau",
        &[n.theme_a],
    )
    .await;
    let page = app
        .get(&format!("/projets/{ge_project}"), Some(&ge_member))
        .await
        .text();
    let similar = linked_projects(&page[page.find("Projets similaires").expect("similaires")..]);
    assert!(similar.contains(&open));
    assert!(!similar.contains(&org_only) && !similar.contains(&draft));

    // Alès's member sees the « organisation » project, not the draft.
    let (ids, _) = listed(&app, &ales_member, "q=formations").await;
    assert!(ids.contains(&org_only) && !ids.contains(&draft), "{ids:?}");
    assert_eq!(
        app.get(&format!("/projets/{draft}"), Some(&ales_member)).await.status,
        StatusCode::NOT_FOUND
    );
    // The team sees its draft.
    assert!(listed(&app, &team, "").await.0.contains(&draft));
    // The export is for administrators.
    assert_eq!(
        app.get("/projets/export.csv", Some(&ales_member)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get("/projets/export.csv", None).await.status, StatusCode::SEE_OTHER);
}

/// A CSV cell that a spreadsheet would read as a formula is neutralised.
#[tokio::test]
async fn the_export_guards_formulas() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    propose(
        &app,
        n.ales_admin,
        n.ales_school,
        ALES,
        "=HYPERLINK(\"x\")",
        "+33 problème",
        "reseau",
        &[],
    )
    .await;
    let admin = app.session(n.ales_admin).await;
    let csv = app.get("/projets/export.csv?q=hyperlink", Some(&admin)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("'=HYPERLINK"), "{}", csv.body);
    assert!(csv.body.contains("'+33 problème"), "{}", csv.body);
}

// ---------------------------------------------------------------------------
// The demo
// ---------------------------------------------------------------------------

#[tokio::test]
async fn the_demo_bank_holds_every_status_with_its_reasons() {
    let app = TestApp::with_demo().await;
    let mut c = app.ctx.db.conn().await.unwrap();
    let rows: Vec<(String, String, String)> = c
        .ex()
        .fetch_all(maillage_db::query("SELECT title, status, status_reason FROM projects"))
        .await
        .unwrap();
    assert!(rows.len() >= 15, "{rows:?}");
    for s in maillage_domain::project::Status::ALL {
        assert!(
            rows.iter().any(|r| r.1 == s.key()),
            "aucun projet « {} » : {rows:?}",
            s.label()
        );
        if s.needs_reason() {
            assert!(rows.iter().filter(|r| r.1 == s.key()).all(|r| !r.2.is_empty()));
        }
    }
    let (taken_up,): (i64,) = c
        .ex()
        .fetch_one(maillage_db::query(
            "SELECT COUNT(DISTINCT e.project_id) FROM project_events e JOIN project_events f \
             ON f.project_id = e.project_id AND f.school_id <> e.school_id",
        ))
        .await
        .unwrap();
    assert!(taken_up >= 1, "un projet repris par une autre école");
    drop(c);
    // The member sees their team's project listed on the bank.
    let member = app.login("agent@demo.example", crate::harness::PASSWORD).await;
    let (ids, _) = listed(&app, &member, "q=voirie").await;
    assert_eq!(ids.len(), 1);
}

// ---------------------------------------------------------------------------
// The permission matrix's projects (tests/it/permissions.rs)
// ---------------------------------------------------------------------------

/// `{ales_project}` (Alès's, « organisation »), `{network_project}` (Alès's,
/// « réseau »), both proposed by the coordinator (not a sponsor: no team,
/// no sponsor account); `{ales_org}`: Alès's organisation id; and
/// `{fresh_project}`: a fresh « organisation » project of Alès per cell.
pub struct MatrixWorld {
    ales_project: Uuid,
    network_project: Uuid,
    ales_org: Uuid,
    ales_school: Uuid,
    coordinator: Uuid,
}

pub async fn permission_world(app: &TestApp, ales_school: Uuid, ales_org: Uuid, coordinator: Uuid) -> MatrixWorld {
    let problem = "L'accueil des usagers est saturé.";
    MatrixWorld {
        ales_project: propose(
            app,
            coordinator,
            ales_school,
            ALES,
            "Projet interne de la matrice",
            problem,
            "organisation",
            &[],
        )
        .await,
        network_project: propose(
            app,
            coordinator,
            ales_school,
            ALES,
            "Projet du réseau de la matrice",
            problem,
            "reseau",
            &[],
        )
        .await,
        ales_org,
        ales_school,
        coordinator,
    }
}

impl MatrixWorld {
    pub fn fill(&self, s: &str) -> String {
        s.replace("{ales_project}", &self.ales_project.to_string())
            .replace("{network_project}", &self.network_project.to_string())
            .replace("{ales_org}", &self.ales_org.to_string())
    }

    /// The single-use placeholders `text` needs, made now.
    pub async fn fresh(&self, app: &TestApp, text: &str) -> Vec<(&'static str, String)> {
        if !text.contains("{fresh_project}") {
            return Vec::new();
        }
        let id = propose(
            app,
            self.coordinator,
            self.ales_school,
            ALES,
            "Projet à examiner",
            "Un problème à examiner.",
            "organisation",
            &[],
        )
        .await;
        vec![("{fresh_project}", id.to_string())]
    }
}

/// `{project}` of the page checks (tests/it/pages.rs): the demo's first
/// project, seen by the whole network (team, promotion, jury, outcome).
pub async fn page_project(app: &TestApp) -> Uuid {
    let mut c = app.ctx.db.conn().await.unwrap();
    let (id,): (Uuid,) = c
        .ex()
        .fetch_one(
            maillage_db::query("SELECT id FROM projects WHERE title = $1")
                .bind("Accueil des usagers : un guichet unique à l'hôtel de ville"),
        )
        .await
        .unwrap();
    id
}
