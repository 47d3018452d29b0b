//! A project's life after the appetizer (crates/core/src/projects/life.rs):
//! the timeline, indicators and measures, users' feedback, comments,
//! deliverables (types decided by content, size limit, downloads), help
//! requests in the network's home feed and their offers; on both databases.
//!
//! The projects are inserted directly (the bank's own operations have their
//! tests in projects.rs): [`World`] is a project of Alès's school, seen by
//! the organisations (« organisation »), with a team of one, a sponsor's
//! account, the school's manager, a colleague of Alès and someone of Grand
//! Est who may not see it.

use axum::http::{Method, StatusCode};
use maillage_core::projects::life::attachments::{MAX_BYTES, stored_zip, tiny_pdf};
use time::{Date, Duration};
use uuid::Uuid;

use crate::harness::{ALES, Browser, GRAND_EST, Part, Res, TestApp, form};

pub struct World {
    pub project: Uuid,
    pub school: Uuid,
    pub ales: Uuid,
    pub ge: Uuid,
    pub started_on: Date,
    pub team: Uuid,
    pub manager: Uuid,
    pub sponsor: Uuid,
    pub colleague: Uuid,
    pub outsider: Uuid,
}

async fn org_id(app: &TestApp, siren: &str) -> Uuid {
    let mut c = app.ctx.db.conn().await.unwrap();
    maillage_db::organisations::by_siren(c.ex(), siren)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A project inserted as the bank would have left it.
pub struct NewProject<'a> {
    pub school: Uuid,
    pub title: &'a str,
    pub sponsor_organisation: Uuid,
    pub sponsor_user: Option<Uuid>,
    pub visibility: &'a str,
    pub status: &'a str,
    pub started_on: Option<Date>,
    pub team: &'a [Uuid],
}

pub async fn insert_project(app: &TestApp, p: &NewProject<'_>) -> Uuid {
    let id = Uuid::now_v7();
    let now = maillage_db::now();
    let mut tx = app.ctx.db.begin().await.unwrap();
    tx.ex()
        .execute(
            maillage_db::query(
                "INSERT INTO projects (id, school_id, title, title_sort, problem, sponsor_organisation_id, \
                 sponsor_user_id, status, started_on, visibility, year, search_terms, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
            )
            .bind(id)
            .bind(p.school)
            .bind(p.title)
            .bind(maillage_domain::text::fold(p.title))
            .bind("Un problème à résoudre.")
            .bind(p.sponsor_organisation)
            .bind(p.sponsor_user)
            .bind(p.status)
            .bind(p.started_on)
            .bind(p.visibility)
            .bind(2024_i64)
            .bind("")
            .bind(now),
        )
        .await
        .unwrap();
    for user in p.team {
        let profile = maillage_db::profiles::id_of_user(tx.ex(), *user)
            .await
            .unwrap()
            .unwrap();
        tx.ex()
            .execute(
                maillage_db::query(
                    "INSERT INTO project_members (project_id, profile_id, added_at) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(profile)
                .bind(now),
            )
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    id
}

/// The world of these tests, on a fresh app (without the demo).
pub async fn world(app: &TestApp) -> World {
    let manager = app
        .person("ecole@ales.fr", "Responsable de l'école", "org-admin", Some(ALES))
        .await;
    let team = app
        .person("equipe@ales.fr", "Camille Équipe", "member", Some(ALES))
        .await;
    let sponsor = app
        .person("commanditaire@ales.fr", "Dominique Commanditaire", "member", Some(ALES))
        .await;
    let colleague = app
        .person("collegue@ales.fr", "Sacha Collègue", "member", Some(ALES))
        .await;
    let outsider = app
        .person("externe@grandest.fr", "Alex Externe", "member", Some(GRAND_EST))
        .await;
    let ales = org_id(app, ALES).await;
    let ge = org_id(app, GRAND_EST).await;
    let school = {
        let mut tx = app.ctx.db.begin().await.unwrap();
        let s = maillage_db::schools::insert(tx.ex(), "École du management d'Alès", "")
            .await
            .unwrap();
        maillage_db::schools::attach(tx.ex(), s, ales).await.unwrap();
        tx.commit().await.unwrap();
        s
    };
    let started_on = maillage_core::dates::paris_today() - Duration::days(700);
    let project = insert_project(
        app,
        &NewProject {
            school,
            title: "Accueil unique des usagers",
            sponsor_organisation: ales,
            sponsor_user: Some(sponsor),
            visibility: "organisation",
            status: "mis_en_oeuvre",
            started_on: Some(started_on),
            team: &[team],
        },
    )
    .await;
    World {
        project,
        school,
        ales,
        ge,
        started_on,
        team,
        manager,
        sponsor,
        colleague,
        outsider,
    }
}

async fn post(app: &TestApp, path: &str, who: &Browser, pairs: &[(&str, &str)]) -> Res {
    app.request(Method::POST, path, Some(who), Some(form(pairs)), &[]).await
}

async fn count(app: &TestApp, table: &'static str) -> i64 {
    let mut c = app.ctx.db.conn().await.unwrap();
    c.ex()
        .fetch_scalar(maillage_db::query::Query::dynamic(format!(
            "SELECT COUNT(*) FROM {table}"
        )))
        .await
        .unwrap()
}

/// The id a creation redirected to: the last segment of its path
/// (`/projets/{id}/indicateurs/{indicator}?info=…`).
fn created_id(res: &Res) -> String {
    let path = res.location().split(['?', '#']).next().unwrap_or_default();
    path.rsplit('/').next().unwrap_or_default().to_owned()
}

fn day(d: Date) -> String {
    d.to_string()
}

#[tokio::test]
async fn the_timeline_is_dated_between_the_start_and_today() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let team = app.session(w.team).await;
    let url = format!("/projets/{}/actualites", w.project);
    let today = maillage_core::dates::paris_today();

    let res = post(
        &app,
        &url,
        &team,
        &[
            ("written_on", &day(today - Duration::days(30))),
            ("body", "Le guichet unique a ouvert."),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        res.location(),
        format!("/projets/{}?info=actualite-publiee#actualites", w.project)
    );
    // The page it leads to says it was done.
    let shown = app.get(res.location().split('#').next().unwrap(), Some(&team)).await;
    assert!(
        shown.text().contains("L'actualité est publiée dans la vie du projet."),
        "{}",
        shown.body
    );
    post(
        &app,
        &url,
        &team,
        &[
            ("written_on", &day(today)),
            ("body", "Un an après : 40 % de rappels en moins."),
        ],
    )
    .await;

    // A date in the future, or before the project's start: French errors,
    // the form comes back with what was typed, nothing is written.
    let before = count(&app, "project_updates").await;
    let res = post(
        &app,
        &url,
        &team,
        &[("written_on", &day(today + Duration::days(3))), ("body", "Texte gardé")],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("ne peut pas être dans le futur"), "{}", res.body);
    assert!(res.body.contains("Texte gardé") && res.body.contains("aria-invalid=\"true\""));
    let res = post(
        &app,
        &url,
        &team,
        &[
            ("written_on", &day(w.started_on - Duration::days(1))),
            ("body", "Trop tôt"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("ne peut pas précéder le début du projet")
            && res.body.contains(&maillage_core::dates::date_fr(w.started_on)),
        "{}",
        res.body
    );
    let res = post(&app, &url, &team, &[("written_on", "hier"), ("body", "")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Saisissez une date valide") && res.body.contains("l’actualité est vide"));
    assert_eq!(count(&app, "project_updates").await, before);

    // Newest first, with the author, on the project page.
    let actor = app.actor(w.colleague).await;
    let life = sections(&app, &actor, w.project).await;
    assert_eq!(life.timeline.len(), 2);
    assert!(life.timeline[0].body.starts_with("Un an après"));
    assert_eq!(life.timeline[0].author, "Camille Équipe");
    assert!(!life.can_edit && !life.timeline[0].mine);
    let page = app
        .get(
            &format!("/projets/{}", w.project),
            Some(&app.session(w.colleague).await),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Un an après : 40 % de rappels en moins."),
        "{}",
        page.body
    );

    // Only the team and the school write; the project's organisations read;
    // others do not learn it exists.
    let colleague = app.session(w.colleague).await;
    let body = [("written_on", day(today)), ("body", "Intrus".into())];
    let pairs: Vec<(&str, &str)> = body.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(post(&app, &url, &colleague, &pairs).await.status, StatusCode::FORBIDDEN);
    let outsider = app.session(w.outsider).await;
    assert_eq!(post(&app, &url, &outsider, &pairs).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("{url}/nouvelle"), Some(&outsider)).await.status,
        StatusCode::NOT_FOUND
    );
    let manager = app.session(w.manager).await;
    assert_eq!(post(&app, &url, &manager, &pairs).await.status, StatusCode::SEE_OTHER);

    // One's own update is edited and deleted; another's is not.
    let team_actor = app.actor(w.team).await;
    let mine = sections(&app, &team_actor, w.project).await;
    let own = mine
        .timeline
        .iter()
        .find(|u| u.body.starts_with("Un an après"))
        .unwrap()
        .id;
    let managers = mine.timeline.iter().find(|u| u.body == "Intrus").unwrap().id;
    let edit = format!("{url}/{own}/modifier");
    assert_eq!(app.get(&edit, Some(&team)).await.status, StatusCode::OK);
    let res = post(&app, &edit, &team, &[("written_on", &day(today)), ("body", "Corrigé")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        post(&app, &format!("{url}/{managers}/supprimer"), &team, &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&app, &format!("{url}/{own}/supprimer"), &team, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let after = sections(&app, &team_actor, w.project).await;
    assert_eq!(after.timeline.len(), 2);
    assert!(after.timeline.iter().all(|u| u.body != "Corrigé"));
}

/// An update is edited and deleted by its author only: the core operation
/// answers `Forbidden` to a teammate, and the statements themselves filter
/// on the author, so nothing changes.
#[tokio::test]
async fn another_s_update_is_never_edited_nor_deleted() {
    use maillage_core::projects::life::timeline::{self, UpdateInput};
    let app = TestApp::new().await;
    let w = world(&app).await;
    let today = maillage_core::dates::paris_today();
    let input = |body: &str| UpdateInput {
        written_on: today.to_string(),
        body: body.into(),
    };
    let managers = timeline::add(&app.ctx, &app.actor(w.manager).await, w.project, &input("De l'école"))
        .await
        .unwrap();
    let team = app.actor(w.team).await;
    let err = timeline::edit(&app.ctx, &team, w.project, managers, &input("Réécrit"))
        .await
        .unwrap_err();
    assert!(matches!(err, maillage_core::CoreError::Forbidden), "{err:?}");
    let err = timeline::delete(&app.ctx, &team, w.project, managers)
        .await
        .unwrap_err();
    assert!(matches!(err, maillage_core::CoreError::Forbidden), "{err:?}");
    // The statements filter on the author too.
    {
        let mut tx = app.ctx.db.begin().await.unwrap();
        assert_eq!(
            maillage_db::project_life::edit_update(tx.ex(), w.project, managers, w.team, today, "Réécrit")
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            maillage_db::project_life::delete_update(tx.ex(), w.project, managers, w.team)
                .await
                .unwrap(),
            0
        );
        tx.commit().await.unwrap();
    }
    let life = sections(&app, &team, w.project).await;
    assert_eq!(life.timeline.len(), 1);
    assert_eq!(life.timeline[0].body, "De l'école");
    // The author edits, then deletes it.
    let manager = app.actor(w.manager).await;
    timeline::edit(&app.ctx, &manager, w.project, managers, &input("De l'école, corrigé"))
        .await
        .unwrap();
    assert_eq!(
        sections(&app, &team, w.project).await.timeline[0].body,
        "De l'école, corrigé"
    );
    timeline::delete(&app.ctx, &manager, w.project, managers).await.unwrap();
    assert!(sections(&app, &team, w.project).await.timeline.is_empty());
}

async fn sections(
    app: &TestApp,
    actor: &maillage_core::Actor,
    project: Uuid,
) -> maillage_core::projects::life::Sections {
    maillage_core::projects::life::page(&app.ctx, actor, project)
        .await
        .unwrap()
        .1
}

#[tokio::test]
async fn indicators_take_french_numbers_and_dated_measures() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let team = app.session(w.team).await;
    let url = format!("/projets/{}/indicateurs", w.project);

    let res = post(
        &app,
        &url,
        &team,
        &[
            ("name", "Délai"),
            ("unit", "jours"),
            ("baseline", "douze"),
            ("target", "5,5,5"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.body.matches("Saisissez un nombre, par exemple 12,5").count(),
        4,
        "summary and fields"
    );
    assert!(res.body.contains("douze"), "what was typed comes back");
    assert_eq!(count(&app, "project_indicators").await, 0);

    let res = post(
        &app,
        &url,
        &team,
        &[
            ("name", "Délai moyen de réponse aux usagers"),
            ("unit", "jours"),
            ("baseline", "12"),
            ("target", "5"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let indicator = created_id(&res);
    let measures = format!("{url}/{indicator}/mesures");
    let today = maillage_core::dates::paris_today();
    for (days, value) in [(400, "11"), (200, "8,5"), (10, "6.25")] {
        let res = post(
            &app,
            &measures,
            &team,
            &[("measured_on", &day(today - Duration::days(days))), ("value", value)],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{value}: {}", res.body);
    }

    // Bad measures: not a number, before the project's start (named).
    let before = count(&app, "project_measures").await;
    let res = post(
        &app,
        &measures,
        &team,
        &[("measured_on", &day(today)), ("value", "beaucoup")],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Saisissez un nombre, par exemple 12,5") && res.body.contains("beaucoup"));
    // A number too large to mean anything (and to be written back exactly).
    let res = post(
        &app,
        &measures,
        &team,
        &[("measured_on", &day(today)), ("value", "100000000000000000000000")],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("Saisissez un nombre plus petit") && res.body.contains("100000000000000000000000"),
        "{}",
        res.body
    );
    let res = post(
        &app,
        &url,
        &team,
        &[
            ("name", "Énorme"),
            ("baseline", "1 000 000 000 000,5"),
            ("target", "-2e3"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Saisissez un nombre plus petit"), "{}", res.body);
    assert_eq!(count(&app, "project_indicators").await, 1);
    let res = post(
        &app,
        &measures,
        &team,
        &[("measured_on", &day(w.started_on - Duration::days(10))), ("value", "9")],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body
            .contains("La date de la mesure ne peut pas précéder le début du projet, le ")
            && res.body.contains(&maillage_core::dates::date_fr(w.started_on)),
        "{}",
        res.body
    );
    assert_eq!(count(&app, "project_measures").await, before);

    // The chart and the table, for whoever sees the project.
    let colleague = app.session(w.colleague).await;
    let page = app.get(&format!("{url}/{indicator}"), Some(&colleague)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"role="img""#) && page.body.contains("<title id=\"indicateur-"));
    assert!(page.body.contains("6,25 jours") && page.body.contains("8,5 jours"));
    assert!(page.body.contains(&format!(
        "<caption id=\"mesures-{indicator}\">Mesures de l’indicateur « Délai moyen de réponse aux usagers »"
    )));
    assert!(page.body.contains("Référence : 12 jours") && page.body.contains("Objectif : 5 jours"));
    assert!(page.body.contains("encore 1,25 jours pour l’atteindre"));
    assert!(!page.body.contains("Ajouter une mesure"), "no form for a reader");
    let life = sections(&app, &app.actor(w.colleague).await, w.project).await;
    assert_eq!(life.indicators[0].measures.len(), 3);
    assert_eq!(life.indicators[0].measures[0].value, 11.0, "oldest first");

    // The sponsor comments but does not measure; others see nothing.
    let sponsor = app.session(w.sponsor).await;
    let res = post(&app, &url, &sponsor, &[("name", "Autre")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let outsider = app.session(w.outsider).await;
    assert_eq!(
        app.get(&format!("{url}/{indicator}"), Some(&outsider)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(
            &app,
            &measures,
            &outsider,
            &[("measured_on", &day(today)), ("value", "1")]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    // The school removes a measure, then the indicator.
    let manager = app.session(w.manager).await;
    let m = life.indicators[0].measures[0].id;
    assert_eq!(
        post(&app, &format!("{measures}/{m}/supprimer"), &manager, &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(count(&app, "project_measures").await, 2);
    assert_eq!(
        post(&app, &format!("{url}/{indicator}/supprimer"), &manager, &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(count(&app, "project_measures").await, 0);
}

#[tokio::test]
async fn feedback_is_grouped_with_the_users_first() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let team = app.session(w.team).await;
    let url = format!("/projets/{}/retours", w.project);
    let today = day(maillage_core::dates::paris_today());

    for (source, label, body) in [
        ("elu", "Le maire adjoint", "Un projet exemplaire."),
        (
            "usager",
            "Une usagère de la médiathèque",
            "On ne me renvoie plus d'un guichet à l'autre.",
        ),
        ("", "", "Sans source : c'est un usager."),
    ] {
        let res = post(
            &app,
            &url,
            &team,
            &[
                ("source", source),
                ("author_label", label),
                ("body", body),
                ("received_on", &today),
            ],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    let res = post(
        &app,
        &url,
        &team,
        &[("source", "martien"), ("body", "Bip"), ("received_on", &today)],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Choisissez d’où vient ce retour"), "{}", res.body);
    assert_eq!(count(&app, "project_feedback").await, 3);

    let life = sections(&app, &app.actor(w.sponsor).await, w.project).await;
    let sources: Vec<&str> = life.feedback.iter().map(|g| g.source.key()).collect();
    assert_eq!(sources, ["usager", "elu"]);
    assert_eq!(life.feedback[0].items.len(), 2);
    assert_eq!(life.feedback_count(), 3);

    let sponsor = app.session(w.sponsor).await;
    let res = post(&app, &url, &sponsor, &[("body", "Moi aussi"), ("received_on", &today)]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_sponsor_comments_and_the_team_is_told() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let url = format!("/projets/{}/commentaires", w.project);
    let sponsor = app.session(w.sponsor).await;

    let res = post(&app, &url, &sponsor, &[("body", "   ")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Écrivez votre commentaire"));
    let res = post(
        &app,
        &url,
        &sponsor,
        &[("body", "Bravo : la DGS veut l'étendre aux autres services.")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let mails = app.mails().await;
    assert!(
        mails
            .iter()
            .any(|m| m.contains("equipe@ales.fr") && m.contains("Bravo : la DGS veut l'étendre")),
        "{mails:?}"
    );

    let team = app.session(w.team).await;
    assert_eq!(
        post(&app, &url, &team, &[("body", "Merci !")]).await.status,
        StatusCode::SEE_OTHER
    );
    let colleague = app.session(w.colleague).await;
    assert_eq!(
        post(&app, &url, &colleague, &[("body", "Et moi ?")]).await.status,
        StatusCode::FORBIDDEN
    );
    let outsider = app.session(w.outsider).await;
    assert_eq!(
        post(&app, &url, &outsider, &[("body", "Et moi ?")]).await.status,
        StatusCode::NOT_FOUND
    );

    let life = sections(&app, &app.actor(w.colleague).await, w.project).await;
    assert_eq!(life.comments.len(), 2);
    assert_eq!(life.comments[0].author, "Dominique Commanditaire");
    assert!(!life.can_comment);
    // One deletes one's own comment only.
    let first = life.comments[0].id;
    assert_eq!(
        post(&app, &format!("{url}/{first}/supprimer"), &team, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(&app, &format!("{url}/{first}/supprimer"), &sponsor, &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(count(&app, "project_comments").await, 1);
}

#[tokio::test]
async fn deliverables_are_typed_by_their_content() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let team = app.session(w.team).await;
    let url = format!("/projets/{}/livrables", w.project);
    let pdf = tiny_pdf("Rapport final");

    let res = app
        .upload(
            &url,
            &team,
            &[
                Part::field("title", "Rapport final"),
                Part::file("file", "Rapport final.PDF", "application/pdf", &pdf),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let docx = stored_zip(&[
        ("[Content_Types].xml", b"<Types/>".as_slice()),
        ("word/document.xml", b"<w:document/>".as_slice()),
    ]);
    // A Word document sent as « octet-stream » with no extension: its
    // content says what it is.
    let res = app
        .upload(
            &url,
            &team,
            &[
                Part::field("title", "Compte rendu"),
                Part::file("file", "compte-rendu", "application/octet-stream", &docx),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    // Disguised files: an HTML page, an executable, named .pdf and sent as
    // PDF; an empty title; a file over the limit. Nothing is written.
    let before = count(&app, "project_attachments").await;
    let mut elf = b"\x7fELF\x02\x01\x01\0".to_vec();
    elf.extend_from_slice(&[0; 64]);
    for body in [b"<!doctype html><script>alert(1)</script>".to_vec(), elf] {
        let res = app
            .upload(
                &url,
                &team,
                &[
                    Part::field("title", "Faux PDF"),
                    Part::file("file", "rapport.pdf", "application/pdf", &body),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body
                .contains("Ce fichier n’est pas un PDF, un document bureautique ni une image"),
            "{}",
            res.body
        );
        assert!(res.body.contains("Faux PDF"), "the title comes back");
    }
    let mut big = tiny_pdf("gros");
    big.resize(MAX_BYTES + 1, b' ');
    let res = app
        .upload(
            &url,
            &team,
            &[
                Part::field("title", "Trop gros"),
                Part::file("file", "gros.pdf", "application/pdf", &big),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Le fichier dépasse 10 Mo"), "{}", res.body);
    let res = app
        .upload(
            &url,
            &team,
            &[
                Part::field("title", ""),
                Part::file("file", "a.pdf", "application/pdf", &pdf),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Donnez un titre au livrable"));
    // Beyond the server's upload limit, the body is not even read.
    let huge = vec![b'%'; app.ctx.settings.max_upload_bytes + 1024];
    let res = app
        .upload(
            &url,
            &team,
            &[
                Part::field("title", "Énorme"),
                Part::file("file", "x.pdf", "application/pdf", &huge),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(count(&app, "project_attachments").await, before);

    // The sponsor may not attach.
    let sponsor = app.session(w.sponsor).await;
    let res = app
        .upload(
            &url,
            &sponsor,
            &[
                Part::field("title", "X"),
                Part::file("file", "a.pdf", "application/pdf", &pdf),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // Downloads: the stored type, as an attachment with a safe name, for
    // whoever sees the project; 404 for others.
    let life = sections(&app, &app.actor(w.colleague).await, w.project).await;
    assert_eq!(life.attachments.len(), 2);
    let report = life.attachments.iter().find(|a| a.title == "Rapport final").unwrap();
    assert_eq!(report.file_name, "Rapport final.pdf");
    assert_eq!(report.kind_label(), "PDF");
    let word = life.attachments.iter().find(|a| a.title == "Compte rendu").unwrap();
    assert_eq!(word.file_name, "compte-rendu.docx");
    let colleague = app.session(w.colleague).await;
    let res = app.get(&format!("{url}/{}", report.id), Some(&colleague)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.content_type(), "application/pdf");
    assert_eq!(res.bytes, pdf);
    assert_eq!(
        res.headers["content-disposition"],
        "attachment; filename=\"rapport-final.pdf\""
    );
    assert_eq!(res.headers["x-content-type-options"], "nosniff");
    let res = app.get(&format!("{url}/{}", word.id), Some(&colleague)).await;
    assert_eq!(
        res.content_type(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let outsider = app.session(w.outsider).await;
    assert_eq!(
        app.get(&format!("{url}/{}", report.id), Some(&outsider)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("{url}/{}", Uuid::now_v7()), Some(&colleague))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The team removes it.
    assert_eq!(
        post(&app, &format!("{url}/{}/supprimer", report.id), &colleague, &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&app, &format!("{url}/{}/supprimer", report.id), &team, &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(count(&app, "project_attachments").await, 1);
}

#[tokio::test]
async fn help_requests_reach_the_network_and_offers_reach_the_team() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let team = app.session(w.team).await;
    let url = format!("/projets/{}/entraide", w.project);

    let res = post(&app, &url, &team, &[("question", "")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Posez votre question"));
    let res = post(
        &app,
        &url,
        &team,
        &[("question", "Comment mesurer la satisfaction des usagers au guichet ?")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let request = created_id(&res);

    // In the home feed of those who see the project; not of others, not of
    // visitors.
    let colleague = app.session(w.colleague).await;
    let home = app.get("/", Some(&colleague)).await;
    assert!(home.body.contains("Comment mesurer la satisfaction"), "{}", home.body);
    assert!(
        home.body
            .contains(&format!("/projets/{}/entraide/{request}", w.project))
    );
    let outsider = app.session(w.outsider).await;
    assert!(!app.get("/", Some(&outsider)).await.body.contains("Comment mesurer"));
    assert!(!app.get("/", None).await.body.contains("Comment mesurer"));
    assert!(
        app.get("/entraide", Some(&colleague))
            .await
            .body
            .contains("Comment mesurer")
    );
    assert!(
        !app.get("/entraide", Some(&outsider))
            .await
            .body
            .contains("Comment mesurer")
    );

    // A colleague offers help, once; the team is mailed with their address.
    let offer = format!("{url}/{request}/aide");
    let res = post(&app, &offer, &colleague, &[("message", "")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Dites en quelques mots"));
    let res = post(
        &app,
        &offer,
        &colleague,
        &[("message", "Nous avons fait un questionnaire en 3 questions à Nîmes.")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let mails = app.mails().await;
    let to_team: Vec<&String> = mails.iter().filter(|m| m.contains("equipe@ales.fr")).collect();
    assert_eq!(to_team.len(), 1, "{mails:?}");
    assert!(to_team[0].contains("questionnaire en 3 questions") && to_team[0].contains("collegue@ales.fr"));
    // A second offer: said on the form, which keeps what was typed.
    let res = post(&app, &offer, &colleague, &[("message", "Encore une idée")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("déjà proposé votre aide")
            && res.body.contains("Encore une idée")
            && res.body.contains("aria-invalid=\"true\""),
        "{}",
        res.body
    );
    // The team does not offer help to itself (policy `OfferHelp`).
    assert_eq!(
        post(&app, &offer, &team, &[("message", "Moi")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&app, &offer, &outsider, &[("message", "Moi")]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(count(&app, "help_offers").await, 1);
    // The team reads the offer; others see a count.
    let page = app.get(&format!("{url}/{request}"), Some(&team)).await;
    assert!(page.body.contains("questionnaire en 3 questions"));
    let sponsor = app.session(w.sponsor).await;
    let page = app.get(&format!("{url}/{request}"), Some(&sponsor)).await;
    assert!(
        !page.body.contains("questionnaire en 3 questions") && page.body.contains("Une personne a proposé son aide")
    );

    // Turned into a co-development request: the school's managers are told,
    // and it leaves the feed.
    assert_eq!(
        post(&app, &format!("{url}/{request}/codeveloppement"), &colleague, &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let res = post(&app, &format!("{url}/{request}/codeveloppement"), &team, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let mails = app.mails().await;
    assert!(
        mails
            .iter()
            .any(|m| m.contains("To: ecole@ales.fr") && m.contains("demande une séance de codéveloppement")),
        "{mails:?}"
    );
    assert!(!app.get("/", Some(&colleague)).await.body.contains("Comment mesurer"));
    let page = app.get(&format!("{url}/{request}"), Some(&colleague)).await;
    assert!(page.body.contains("transmise à l’école"));
    assert_eq!(
        post(&app, &format!("{url}/{request}/resolue"), &team, &[]).await.status,
        StatusCode::CONFLICT
    );
    // Offering on a closed request: said on the form, the text kept.
    let res = post(
        &app,
        &offer,
        &app.session(w.manager).await,
        &[("message", "Tard mais utile")],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("Cette demande d’aide est close") && res.body.contains("Tard mais utile"),
        "{}",
        res.body
    );

    // A second request, resolved.
    let res = post(
        &app,
        &url,
        &team,
        &[("question", "Quel outil de prise de rendez-vous ?")],
    )
    .await;
    let second = created_id(&res);
    assert_eq!(
        post(&app, &format!("{url}/{second}/resolue"), &team, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let life = sections(&app, &app.actor(w.team).await, w.project).await;
    let statuses: Vec<&str> = life.help.iter().map(|h| h.status.key()).collect();
    assert_eq!(statuses, ["resolue", "codeveloppement"]);
}

#[tokio::test]
async fn the_home_feed_never_shows_a_request_one_may_not_see() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let ge_school = {
        let mut tx = app.ctx.db.begin().await.unwrap();
        let s = maillage_db::schools::insert(tx.ex(), "École de Grand Est", "")
            .await
            .unwrap();
        maillage_db::schools::attach(tx.ex(), s, w.ge).await.unwrap();
        tx.commit().await.unwrap();
        s
    };
    let ge_team = app
        .person("equipe@grandest.fr", "Équipe Grand Est", "member", Some(GRAND_EST))
        .await;
    // A draft of Alès (its team only), an « organisation » project of Grand
    // Est, and a project of Grand Est shared with the network.
    let mut asked = Vec::new();
    for (school, sponsor, visibility, team, question) in [
        (w.school, w.ales, "brouillon", w.team, "Question du brouillon"),
        (
            ge_school,
            w.ge,
            "organisation",
            ge_team,
            "Question réservée à Grand Est",
        ),
        (ge_school, w.ge, "reseau", ge_team, "Question pour tout le réseau"),
    ] {
        let project = insert_project(
            &app,
            &NewProject {
                school,
                title: question,
                sponsor_organisation: sponsor,
                sponsor_user: None,
                visibility,
                status: "en_cours",
                started_on: None,
                team: &[team],
            },
        )
        .await;
        maillage_core::projects::life::help::ask(&app.ctx, &app.actor(team).await, project, question)
            .await
            .unwrap();
        asked.push(project);
    }
    let colleague = app.session(w.colleague).await;
    let home = app.get("/", Some(&colleague)).await.body;
    assert!(!home.contains("Question du brouillon"));
    assert!(!home.contains("Question réservée à Grand Est"));
    assert!(home.contains("Question pour tout le réseau"));
    let list = app.get("/entraide", Some(&colleague)).await.body;
    assert!(!list.contains("Question du brouillon") && !list.contains("Question réservée à Grand Est"));
    let feed = maillage_core::projects::life::help::feed(&app.ctx, &app.actor(w.colleague).await, 100)
        .await
        .unwrap();
    assert_eq!(feed.len(), 1, "counts included");
    // Grand Est's people see theirs, not Alès's « organisation » project nor the draft.
    let outsider = app.session(w.outsider).await;
    let home = app.get("/", Some(&outsider)).await.body;
    assert!(home.contains("Question réservée à Grand Est") && home.contains("Question pour tout le réseau"));
    assert!(!home.contains("Question du brouillon"));
    // The draft's team sees its own.
    let team = app.session(w.team).await;
    assert!(app.get("/", Some(&team)).await.body.contains("Question du brouillon"));
    // Visitors see none, and /entraide asks them to log in.
    let anonymous = app.get("/", None).await.body;
    for question in [
        "Question du brouillon",
        "Question réservée",
        "Question pour tout le réseau",
    ] {
        assert!(!anonymous.contains(question), "{anonymous}");
    }
    assert!(!anonymous.contains("besoin-aide"));
    let res = app.get("/entraide", None).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.location().starts_with("/connexion"));
    // A draft's request page: 404 for the colleague.
    let draft_request = {
        let mut c = app.ctx.db.conn().await.unwrap();
        maillage_db::project_life::help_requests(c.ex(), asked[0])
            .await
            .unwrap()[0]
            .id
    };
    assert_eq!(
        app.get(
            &format!("/projets/{}/entraide/{draft_request}", asked[0]),
            Some(&colleague)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_form_pages_show_for_the_team_and_the_school() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let manager = app.session(w.manager).await;
    let colleague = app.session(w.colleague).await;
    let sponsor = app.session(w.sponsor).await;
    for form_page in [
        "actualites/nouvelle",
        "indicateurs/nouveau",
        "retours/nouveau",
        "livrables/nouveau",
        "entraide/nouvelle",
    ] {
        let path = format!("/projets/{}/{form_page}", w.project);
        let res = app.get(&path, Some(&manager)).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert!(res.body.contains("<form class=\"form\""), "{path}");
        assert_eq!(
            app.get(&path, Some(&colleague)).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let comment = format!("/projets/{}/commentaires/nouveau", w.project);
    assert_eq!(app.get(&comment, Some(&sponsor)).await.status, StatusCode::OK);
    assert_eq!(app.get(&comment, Some(&colleague)).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_demo_follows_implemented_projects_for_years() {
    let app = TestApp::with_demo().await;
    let coordinator = app.actor(app.user_id("animation@demo.example").await).await;
    let implemented = {
        let mut c = app.ctx.db.conn().await.unwrap();
        maillage_db::project_life::at_statuses(c.ex(), &["mis_en_oeuvre", "partiellement_mis_en_oeuvre"])
            .await
            .unwrap()
    };
    assert!(
        !implemented.is_empty(),
        "la démo de la banque n'a aucun projet mis en œuvre"
    );
    let first = sections(&app, &coordinator, implemented[0].id).await;
    assert!(first.timeline.len() >= 4);
    assert!(first.indicators.len() >= 2 && first.indicators.iter().all(|i| i.measures.len() >= 4));
    assert_eq!(first.feedback[0].source.key(), "usager");
    assert_eq!(first.comments.len(), 1);
    let report = &first.attachments[0];
    let browser = app.login("animation@demo.example", crate::harness::PASSWORD).await;
    let res = app
        .get(
            &format!("/projets/{}/livrables/{}", implemented[0].id, report.id),
            Some(&browser),
        )
        .await;
    assert_eq!(res.content_type(), "application/pdf");
    assert!(res.bytes.starts_with(b"%PDF-"));
    // One open request, in the home feed of a member of the network.
    let member = app.login("agent@demo.example", crate::harness::PASSWORD).await;
    let home = app.get("/", Some(&member)).await;
    assert!(
        home.body.contains("Des équipes projet ont besoin d’aide"),
        "{}",
        home.body
    );
    let feed = maillage_core::projects::life::help::feed(&app.ctx, &coordinator, 10)
        .await
        .unwrap();
    assert_eq!(feed.len(), 1);
    // The indicator's page draws the measures.
    let ind = &first.indicators[0];
    let page = app
        .get(
            &format!("/projets/{}/indicateurs/{}", implemented[0].id, ind.id),
            Some(&member),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<polyline"));
}

/// The placeholders of the life pages in `PAGES`, on the demo (for
/// pages.rs and permissions.rs): the first implemented project, its first
/// indicator, report and help request (or a new one), and an update written
/// by `author` (who may edit it).
pub struct PageWorld {
    pub project: Uuid,
    pub update: Uuid,
    pub indicator: Uuid,
    pub attachment: Uuid,
    pub request: Uuid,
}

pub async fn page_world(app: &TestApp, author: Uuid) -> PageWorld {
    let project = {
        let mut c = app.ctx.db.conn().await.unwrap();
        maillage_db::project_life::at_statuses(c.ex(), &["mis_en_oeuvre", "partiellement_mis_en_oeuvre"])
            .await
            .unwrap()
            .first()
            .expect("un projet mis en œuvre dans la démo")
            .id
    };
    let actor = app.actor(author).await;
    let update = maillage_core::projects::life::timeline::add(
        &app.ctx,
        &actor,
        project,
        &maillage_core::projects::life::timeline::UpdateInput {
            written_on: maillage_core::dates::paris_today().to_string(),
            body: "Point d'étape de l'école.".into(),
        },
    )
    .await
    .unwrap();
    let life = sections(app, &actor, project).await;
    let request = match life.help.first() {
        Some(h) => h.id,
        None => maillage_core::projects::life::help::ask(&app.ctx, &actor, project, "Une question au réseau ?")
            .await
            .unwrap(),
    };
    PageWorld {
        project,
        update,
        indicator: life.indicators[0].id,
        attachment: life.attachments[0].id,
        request,
    }
}

/// The permission matrix's world (permissions.rs): `{life_project}`, a
/// project of Alès's school seen by its organisations, whose team is
/// `team` (the member account) and sponsor `sponsor` (the « intervenant »
/// account), started two years ago; an update of the team, an indicator, a
/// PDF report and an open help request.
pub struct MatrixWorld {
    pub project: Uuid,
    pub team: Uuid,
    pub update: Uuid,
    pub indicator: Uuid,
    pub attachment: Uuid,
    pub request: Uuid,
    pub today: String,
}

pub async fn permission_world(app: &TestApp, school: Uuid, ales: Uuid, team: Uuid, sponsor: Uuid) -> MatrixWorld {
    let today = maillage_core::dates::paris_today();
    let project = insert_project(
        app,
        &NewProject {
            school,
            title: "Projet de la matrice des permissions",
            sponsor_organisation: ales,
            sponsor_user: Some(sponsor),
            visibility: "organisation",
            status: "mis_en_oeuvre",
            started_on: Some(today - Duration::days(730)),
            team: &[team],
        },
    )
    .await;
    use maillage_db::project_life as db;
    let mut tx = app.ctx.db.begin().await.unwrap();
    let update = db::insert_update(tx.ex(), project, Some(team), today, "Actualité de la matrice")
        .await
        .unwrap();
    let indicator = db::insert_indicator(
        tx.ex(),
        project,
        &db::IndicatorFields {
            name: "Indicateur de la matrice".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let pdf = tiny_pdf("Matrice");
    let attachment = db::insert_attachment(
        tx.ex(),
        project,
        &db::NewAttachment {
            title: "Rapport",
            file_name: "rapport.pdf",
            media_type: "application/pdf",
            content: &pdf,
        },
        Some(team),
    )
    .await
    .unwrap();
    let request = db::insert_help_request(tx.ex(), project, "Question de la matrice", Some(team))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    MatrixWorld {
        project,
        team,
        update,
        indicator,
        attachment,
        request,
        today: today.to_string(),
    }
}

impl MatrixWorld {
    /// Fills the fixed placeholders `{life_…}` of `s`.
    pub fn fill(&self, s: &str) -> String {
        s.replace("{life_project}", &self.project.to_string())
            .replace("{life_update}", &self.update.to_string())
            .replace("{life_indicator}", &self.indicator.to_string())
            .replace("{life_attachment}", &self.attachment.to_string())
            .replace("{life_request}", &self.request.to_string())
            .replace("{life_today}", &self.today)
    }

    /// The single-use things a row needs (`{life_fresh_…}` in `text`, its
    /// path and body), written straight to storage: the placeholders and
    /// their values. Updates and comments are the team's.
    pub async fn fresh(&self, app: &TestApp, text: &str) -> Vec<(&'static str, String)> {
        use maillage_db::project_life as db;
        let (p, team) = (self.project, Some(self.team));
        let today = maillage_core::dates::paris_today();
        let mut out = Vec::new();
        let mut tx = app.ctx.db.begin().await.unwrap();
        for key in [
            "{life_fresh_update}",
            "{life_fresh_indicator}",
            "{life_fresh_measure}",
            "{life_fresh_feedback}",
            "{life_fresh_comment}",
            "{life_fresh_attachment}",
            "{life_fresh_request}",
        ] {
            if !text.contains(key) {
                continue;
            }
            let ex = tx.ex();
            let id = match key {
                "{life_fresh_update}" => db::insert_update(ex, p, team, today, "À supprimer").await,
                "{life_fresh_indicator}" => {
                    let f = db::IndicatorFields {
                        name: "À supprimer".into(),
                        ..Default::default()
                    };
                    db::insert_indicator(ex, p, &f).await
                }
                "{life_fresh_measure}" => db::insert_measure(ex, self.indicator, today, 1.0, "", team).await,
                "{life_fresh_feedback}" => db::insert_feedback(ex, p, "usager", "", "À supprimer", today, team).await,
                "{life_fresh_comment}" => db::insert_comment(ex, p, team, "À supprimer").await,
                "{life_fresh_attachment}" => {
                    let pdf = tiny_pdf("x");
                    let a = db::NewAttachment {
                        title: "À supprimer",
                        file_name: "x.pdf",
                        media_type: "application/pdf",
                        content: &pdf,
                    };
                    db::insert_attachment(ex, p, &a, team).await
                }
                _ => db::insert_help_request(ex, p, "Question à usage unique", team).await,
            };
            out.push((key, id.unwrap().to_string()));
        }
        tx.commit().await.unwrap();
        out
    }
}
