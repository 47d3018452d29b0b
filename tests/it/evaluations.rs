//! Evaluations: templates edited by the school, questionnaires opened from
//! them (questions copied), invitations mailed once, anonymous answers given
//! once, results only from 3 answers, who sees them, French errors with
//! nothing written.

use axum::http::{Method, StatusCode};
use maillage_core::{catalogue, enrolment, evaluations};
use time::Duration;
use uuid::Uuid;

use crate::{
    harness::{ALES, Browser, GRAND_EST, TestApp, form},
    pages::check_html,
};

struct World {
    admin: Uuid,
    school: Uuid,
    module: Uuid,
    session: Uuid,
    /// Enrolled and present at least once: invited.
    present: Vec<Uuid>,
    /// Enrolled but absent throughout.
    absent: Uuid,
    /// Enrolled then cancelled.
    cancelled: Uuid,
}

/// A module of Alès (not shared), a session that ended yesterday with four
/// people present, one absent, one who cancelled.
async fn world(app: &TestApp) -> World {
    let admin = app
        .person("ecole@ales.fr", "Claude Responsable", "org-admin", Some(ALES))
        .await;
    let actor = app.actor(admin).await;
    let org = maillage_core::organisations::get(&app.ctx, ALES).await.unwrap();
    let school = maillage_core::schools::create(&app.ctx, &actor, org.id, "École d'Alès", "")
        .await
        .unwrap();
    let module = catalogue::create(
        &app.ctx,
        &actor,
        school,
        &catalogue::Input {
            title: "Conduire le changement".into(),
            format: "formation".into(),
            stage: "tous".into(),
            duration_value: "2".into(),
            duration_unit: "jours".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let start = maillage_db::now().date() + Duration::days(30);
    let session = enrolment::create(
        &app.ctx,
        &actor,
        module,
        &enrolment::Input {
            school: school.to_string(),
            starts_on: start.to_string(),
            ends_on: (start + Duration::days(1)).to_string(),
            place: "Salle du conseil, Alès".into(),
            capacity: "20".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut people = Vec::new();
    for i in 0..6 {
        let u = app
            .person(&format!("p{i}@ales.fr"), &format!("Personne {i}"), "member", Some(ALES))
            .await;
        enrolment::enrol(&app.ctx, &app.actor(u).await, session).await.unwrap();
        people.push(u);
    }
    enrolment::cancel(&app.ctx, &app.actor(people[5]).await, session)
        .await
        .unwrap();
    // The session took place: two days ago and yesterday; attendance of the
    // first half-day says who came.
    let today = maillage_db::now().date();
    let mut tx = app.ctx.db.begin().await.unwrap();
    tx.ex()
        .execute(
            maillage_db::query(
                "UPDATE training_sessions SET starts_on = $2, ends_on = $3, enrol_until = NULL, cancel_until = NULL \
                 WHERE id = $1",
            )
            .bind(session)
            .bind(today - Duration::days(2))
            .bind(today - Duration::days(1)),
        )
        .await
        .unwrap();
    let slot = Uuid::now_v7();
    tx.ex()
        .execute(
            maillage_db::query(
                "INSERT INTO session_slots (id, session_id, day, half, starts_at, ends_at) \
                 VALUES ($1, $2, $3, 'matin', '09:00', '12:30')",
            )
            .bind(slot)
            .bind(session)
            .bind(today - Duration::days(2)),
        )
        .await
        .unwrap();
    for (i, u) in people.iter().take(5).enumerate() {
        tx.ex()
            .execute(
                maillage_db::query(
                    "INSERT INTO attendance (slot_id, user_id, status, recorded_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(slot)
                .bind(*u)
                .bind(if i == 4 { "absent" } else { "present" })
                .bind(maillage_db::now()),
            )
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    World {
        admin,
        school,
        module,
        session,
        present: people[..4].to_vec(),
        absent: people[4],
        cancelled: people[5],
    }
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    let mut c = app.ctx.db.conn().await.unwrap();
    c.ex().fetch_scalar(maillage_db::query(sql)).await.unwrap()
}

async fn post(app: &TestApp, b: &Browser, path: &str, pairs: &[(&str, &str)]) -> crate::harness::Res {
    app.request(Method::POST, path, Some(b), Some(form(pairs)), &[]).await
}

/// The default template of a kind for the world's school, through the page.
async fn default_template(app: &TestApp, w: &World, admin: &Browser, kind: &str) -> Uuid {
    let res = post(
        app,
        admin,
        "/formations/questionnaires/defaut",
        &[("school", &w.school.to_string()), ("kind", kind)],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id = res.location().trim_start_matches("/formations/questionnaires/");
    Uuid::parse_str(id).unwrap()
}

/// Templates: defaults offered, questions added, reworded, moved, removed;
/// opening a questionnaire copies them, and later edits of the template do
/// not change it; bad input is refused in French with nothing written.
#[tokio::test]
async fn templates_are_edited_and_copied_when_a_questionnaire_opens() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let admin = app.session(w.admin).await;

    let page = app.get("/formations/questionnaires", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Créer le questionnaire à chaud par défaut"));
    assert!(page.text().contains("Créer le questionnaire à froid par défaut"));
    let chaud = default_template(&app, &w, &admin, "chaud").await;
    let froid = default_template(&app, &w, &admin, "froid").await;
    let t = evaluations::template(&app.ctx, &app.actor(w.admin).await, froid)
        .await
        .unwrap();
    assert!(
        t.questions
            .iter()
            .any(|q| q.label == "Qu'avez-vous mis en application depuis la formation ?")
    );
    let page = app
        .get(&format!("/formations/questionnaires/{chaud}"), Some(&admin))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Ce que vous retenez"));

    // Add, reword, move, remove.
    let questions = format!("/formations/questionnaires/{chaud}/questions");
    let res = post(
        &app,
        &admin,
        &questions,
        &[("kind", "note"), ("label", "Le rythme de la journée")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let actor = app.actor(w.admin).await;
    let t = evaluations::template(&app.ctx, &actor, chaud).await.unwrap();
    assert_eq!(t.questions.len(), 7);
    let last = t.questions[6].id;
    let first = t.questions[0].id;
    let res = post(
        &app,
        &admin,
        &format!("{questions}/{last}"),
        &[("action", "monter"), ("label", "")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = post(
        &app,
        &admin,
        &format!("{questions}/{first}"),
        &[("action", "enregistrer"), ("label", "Satisfaction d'ensemble")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let removed = t.questions[4].id;
    let res = post(
        &app,
        &admin,
        &format!("{questions}/{removed}"),
        &[("action", "supprimer")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let t = evaluations::template(&app.ctx, &actor, chaud).await.unwrap();
    let labels: Vec<&str> = t.questions.iter().map(|q| q.label.as_str()).collect();
    assert_eq!(labels.len(), 6, "{labels:?}");
    assert_eq!(labels[0], "Satisfaction d'ensemble");
    assert_eq!(labels[4], "Le rythme de la journée", "{labels:?}");
    assert_eq!(labels[5], "À améliorer", "{labels:?}");

    // A question without text, an unknown kind, a title missing: 422, nothing written.
    let before = count(&app, "SELECT COUNT(*) FROM evaluation_questions").await;
    for (pairs, message) in [
        (
            vec![("kind", "note"), ("label", "   ")],
            "Saisissez le texte de la question",
        ),
        (
            vec![("kind", "couleur"), ("label", "Une question")],
            "Choisissez le type de question",
        ),
    ] {
        let res = post(&app, &admin, &questions, &pairs).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.text().contains(message), "{message}");
    }
    let res = post(
        &app,
        &admin,
        &format!("{questions}/{first}"),
        &[("action", "enregistrer"), ("label", "")],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("Saisissez le texte de la question"));
    assert!(res.body.contains("id=\"label-error\""));
    check_html("question reformulée sans texte", &res);
    let res = post(
        &app,
        &admin,
        "/formations/questionnaires",
        &[("school", &w.school.to_string()), ("kind", "tiede"), ("title", "")],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("Saisissez le titre du questionnaire"));
    check_html("questionnaire sans titre", &res);
    assert!(res.text().contains("Choisissez « à chaud » ou « à froid »"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM evaluation_questions").await, before);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM evaluation_templates").await, 2);

    // Dates: closing before opening → 422, nothing written.
    let open = format!("/sessions/{}/evaluations", w.session);
    let today = maillage_db::now().date();
    let res = post(
        &app,
        &admin,
        &open,
        &[
            ("template", &chaud.to_string()),
            ("opens_on", &today.to_string()),
            ("closes_on", &(today - Duration::days(1)).to_string()),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.text().contains("La date de clôture précède la date d'ouverture"));
    check_html("dates invalides", &res);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM evaluations").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM evaluation_invitations").await, 0);

    // Opening copies the questions; default dates: the session's last day,
    // three weeks.
    let res = post(&app, &admin, &open, &[("template", &chaud.to_string())]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let e = evaluations::of_session(&app.ctx, &actor, w.session).await.unwrap();
    let (ev, _) = &e.evaluations[0];
    assert_eq!(ev.opens_on, today - Duration::days(1));
    assert_eq!(ev.closes_on, today - Duration::days(1) + Duration::weeks(3));
    let res = post(
        &app,
        &admin,
        &format!("{questions}/{first}"),
        &[("action", "enregistrer"), ("label", "Reformulée après coup")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let q = evaluations::questionnaire(&app.ctx, &app.actor(w.present[0]).await, ev.id)
        .await
        .unwrap();
    assert_eq!(q.items.len(), 6);
    assert_eq!(q.items[0].label, "Satisfaction d'ensemble", "la copie ne change pas");
    // One questionnaire of each kind per session.
    let res = post(&app, &admin, &open, &[("template", &chaud.to_string())]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.text().contains("déjà un questionnaire à chaud"));

    // Another organisation's administrator: templates hidden (404); the
    // session is not shared: hidden too.
    let other = app
        .person("admin@grandest.fr", "Gaëlle Est", "org-admin", Some(GRAND_EST))
        .await;
    let ob = app.session(other).await;
    for path in [format!("/formations/questionnaires/{chaud}"), open.clone()] {
        assert_eq!(app.get(&path, Some(&ob)).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let res = post(&app, &ob, &questions, &[("kind", "note"), ("label", "Intrusion")]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // A member of Alès: no templates page (403: manages no school).
    let member = app.session(w.present[0]).await;
    assert_eq!(
        app.get("/formations/questionnaires", Some(&member)).await.status,
        StatusCode::FORBIDDEN
    );
}

/// Invitations (present people only), mailed once; answering once,
/// anonymously; results from 3 answers; who sees them.
#[tokio::test]
async fn answers_are_anonymous_once_and_shown_from_three() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let admin = app.session(w.admin).await;
    let chaud = default_template(&app, &w, &admin, "chaud").await;
    let res = post(
        &app,
        &admin,
        &format!("/sessions/{}/evaluations", w.session),
        &[("template", &chaud.to_string())],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id = {
        let mut c = app.ctx.db.conn().await.unwrap();
        maillage_db::evaluations::of_sessions(c.ex(), &[w.session])
            .await
            .unwrap()[0]
            .id
    };

    // Invited: the four present; not the absent one nor the one who cancelled.
    let mut invited = {
        let mut c = app.ctx.db.conn().await.unwrap();
        maillage_db::evaluations::invited(c.ex(), id).await.unwrap()
    };
    invited.sort();
    let mut expected = w.present.clone();
    expected.sort();
    assert_eq!(invited, expected);
    assert!(!invited.contains(&w.absent) && !invited.contains(&w.cancelled));

    // The mails go out once.
    assert_eq!(evaluations::send_due(&app.ctx).await.unwrap(), 4);
    assert_eq!(evaluations::send_due(&app.ctx).await.unwrap(), 0);
    let mails = app.mails().await;
    assert_eq!(evaluations::send_due(&app.ctx).await.unwrap(), 0);
    assert_eq!(app.mails().await.len(), mails.len());
    let invitations: Vec<&String> = mails.iter().filter(|m| m.contains("Votre avis sur")).collect();
    assert_eq!(invitations.len(), 4);
    assert!(invitations[0].contains(&format!("/evaluations/{id}")));
    assert!(invitations[0].contains("anonyme"));

    // The form: radio groups with words, the promise of anonymity.
    let path = format!("/evaluations/{id}");
    let mut a = app.session(w.present[0]).await;
    let page = app.get(&path, Some(&a)).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("<legend>Votre satisfaction globale sur la formation"));
    assert!(text.contains("1 — pas du tout satisfait") && text.contains("5 — très satisfait"));
    assert!(text.contains("Vos réponses sont anonymes"));
    assert!(text.contains("<textarea id=\"q5\""));
    // Pending for everyone invited.
    assert!(app.get("/mes-questionnaires", Some(&a)).await.text().contains(&path));

    // Bad answers: a score of 0 or 6, a score missing → 422, nothing written.
    for (pairs, field) in [
        (vec![("q1", "0"), ("q2", "4"), ("q3", "4"), ("q4", "4")], "q1"),
        (vec![("q1", "4"), ("q2", "6"), ("q3", "4"), ("q4", "4")], "q2"),
        (vec![("q1", "4"), ("q2", "4"), ("q3", "4")], "q4"),
    ] {
        let res = post(&app, &a, &path, &pairs).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(res.text().contains("choisissez une note de 1 à 5"), "{field}");
        assert!(res.body.contains(&format!("id=\"{field}-error\"")), "{field}");
        assert!(res.body.contains("checked"), "ce qui a été saisi est gardé");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM evaluation_responses").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM evaluation_answers").await, 0);

    let answer = |scores: [&'static str; 4], keep: &'static str, improve: &'static str| {
        vec![
            ("q1", scores[0]),
            ("q2", scores[1]),
            ("q3", scores[2]),
            ("q4", scores[3]),
            ("q5", keep),
            ("q6", improve),
        ]
    };
    let res = app
        .submit(
            &path,
            &mut a,
            &answer(["5", "4", "5", "3"], "Zèbre : l'écoute active", ""),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // Once only.
    let again = app.submit(&path, &mut a, &answer(["1", "1", "1", "1"], "", "")).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.text().contains("Vous avez déjà répondu"));
    assert!(
        app.get(&path, Some(&a))
            .await
            .text()
            .contains("Merci, votre réponse est enregistrée")
    );
    assert!(!app.get("/mes-questionnaires", Some(&a)).await.text().contains(&path));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM evaluation_responses").await, 1);

    // Anonymity: the response is a random (v4) id and a date, no user
    // column anywhere in the answers' tables.
    {
        let mut c = app.ctx.db.conn().await.unwrap();
        let rows: Vec<(Uuid, Uuid, time::Date)> = c
            .ex()
            .fetch_all(maillage_db::query(
                "SELECT id, evaluation_id, submitted_on FROM evaluation_responses",
            ))
            .await
            .unwrap();
        assert_eq!(rows[0].0.get_version_num(), 4, "identifiant aléatoire");
        assert_eq!(rows[0].2, maillage_db::now().date());
    }
    let columns = maillage_db::migrate::schema_columns(&app.ctx.db).await.unwrap();
    let of = |t: &str| {
        let mut c: Vec<String> = columns
            .iter()
            .filter(|(tt, _)| tt == t)
            .map(|(_, c)| c.clone())
            .collect();
        c.sort();
        c
    };
    assert_eq!(of("evaluation_responses"), ["evaluation_id", "id", "submitted_on"]);
    assert_eq!(of("evaluation_answers"), ["item_id", "response_id", "score", "text"]);

    // One answer: no results yet, the rate only.
    let results = format!("/sessions/{}/evaluations", w.session);
    let page = app.get(&results, Some(&admin)).await.text();
    assert!(page.contains("1 sur 4 (25 %)"), "{page}");
    assert!(page.contains("à partir de 3 réponses"));
    assert!(!page.contains("l'écoute active"), "pas de réponse libre sous le seuil");

    for (who, scores, keep) in [
        (1, ["4", "4", "5", "2"], "Arbre : la délégation"),
        (2, ["3", "5", "4", "4"], ""),
    ] {
        let mut b = app.session(w.present[who]).await;
        let res = app.submit(&path, &mut b, &answer(scores, keep, "Plus de pauses")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    let page = app.get(&results, Some(&admin)).await.text();
    assert!(page.contains("3 sur 4 (75 %)"), "{page}");
    // Satisfaction: 5, 4, 3 → average 4,0; one answer each for 3, 4, 5.
    assert!(
        page.contains("« Votre satisfaction globale sur la formation » : 3 réponse(s), moyenne 4,0 sur 5"),
        "{page}"
    );
    assert!(
        page.contains("<th scope=\"row\">5</th><td>1</td><td>33 %</td>"),
        "{page}"
    );
    assert!(page.contains("role=\"img\"") && page.contains("<title>Répartition des notes"));
    // Free answers sorted, never in submission order.
    let (arbre, zebre) = (
        page.find("Arbre : la délégation").expect("réponse libre"),
        page.find("Zèbre : l'écoute active").expect("réponse libre"),
    );
    assert!(arbre < zebre, "réponses libres triées");
    // Every page of the story passes the page checks (frame, one h1,
    // labelled fields, unique ids), for whom it is meant.
    let d = app.session(w.present[3]).await;
    for (b, p) in [
        (&admin, "/formations/questionnaires".to_owned()),
        (&admin, "/formations/questionnaires/nouveau".to_owned()),
        (&admin, format!("/formations/questionnaires/{chaud}")),
        (&admin, results.clone()),
        (&admin, path.clone()),
        (&a, path.clone()),
        (&d, path.clone()),
        (&d, "/mes-questionnaires".to_owned()),
        (&admin, format!("/formations/{}/evaluations", w.module)),
    ] {
        let res = app.get(&p, Some(b)).await;
        assert_eq!(res.status, StatusCode::OK, "{p}");
        check_html(&p, &res);
    }
    let bad = post(&app, &d, &path, &[("q1", "9")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    check_html("réponse invalide", &bad);
    // The API gives the same figures to the organisers only.
    let api = format!("/api/v1/sessions/{}/evaluations", w.session);
    let j = app.api(&api, Some(&app.token(w.admin).await)).await.json();
    let q = &j["questionnaires"][0];
    assert_eq!(q["resultats_visibles"], true);
    assert_eq!(q["personnes_invitees"], 4);
    assert_eq!(q["questions"][0]["moyenne"], 4.0);
    assert_eq!(q["questions"][0]["repartition"], serde_json::json!([0, 0, 1, 1, 1]));
    let res = app.api(&api, Some(&app.token(w.present[3]).await)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // Per module, too.
    let page = app
        .get(&format!("/formations/{}/evaluations", w.module), Some(&admin))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("moyenne 4,0 sur 5"));

    // Trainers: the session's own sees its results; another does not.
    let trainer_user = app
        .person("formatrice@ales.fr", "Fanny Formatrice", "trainer", Some(ALES))
        .await;
    let other_user = app.person("autre@ales.fr", "Omar Autre", "trainer", Some(ALES)).await;
    let (mine, theirs) = (Uuid::now_v7(), Uuid::now_v7());
    {
        let mut tx = app.ctx.db.begin().await.unwrap();
        for (t, u, name) in [
            (mine, trainer_user, "Fanny Formatrice"),
            (theirs, other_user, "Omar Autre"),
        ] {
            tx.ex()
                .execute(
                    maillage_db::query(
                        "INSERT INTO trainers (id, school_id, user_id, name, name_sort, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $4, $5, $5)",
                    )
                    .bind(t)
                    .bind(w.school)
                    .bind(u)
                    .bind(name)
                    .bind(maillage_db::now()),
                )
                .await
                .unwrap();
        }
        tx.ex()
            .execute(
                maillage_db::query("INSERT INTO session_trainers (session_id, trainer_id) VALUES ($1, $2)")
                    .bind(w.session)
                    .bind(mine),
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let tb = app.session(trainer_user).await;
    let ob = app.session(other_user).await;
    let page = app.get(&results, Some(&tb)).await;
    assert_eq!(page.status, StatusCode::OK);
    check_html("résultats pour l'intervenante", &page);
    let res = app.get(&format!("/intervenants/{mine}/evaluations"), Some(&tb)).await;
    check_html("résultats de l'intervenante", &res);
    assert!(page.text().contains("moyenne 4,0 sur 5"));
    assert!(!page.text().contains("Ouvrir un questionnaire"), "résultats seulement");
    assert_eq!(app.get(&results, Some(&ob)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&format!("/intervenants/{mine}/evaluations"), Some(&tb))
            .await
            .status,
        StatusCode::OK
    );
    assert!(
        app.get(&format!("/intervenants/{mine}/evaluations"), Some(&tb))
            .await
            .text()
            .contains("moyenne 4,0 sur 5")
    );
    assert_eq!(
        app.get(&format!("/intervenants/{mine}/evaluations"), Some(&ob))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/intervenants/{mine}/evaluations"), Some(&admin))
            .await
            .status,
        StatusCode::OK
    );
    // Someone not invited who may see the session: 403 (a French page); the
    // absent person too; another organisation: 404.
    let res = app.get(&path, Some(&ob)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let absent = app.session(w.absent).await;
    let res = post(&app, &absent, &path, &answer(["5", "5", "5", "5"], "", "")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let other = app
        .person("admin@grandest.fr", "Gaëlle Est", "org-admin", Some(GRAND_EST))
        .await;
    let gb = app.session(other).await;
    for p in [
        path.clone(),
        results.clone(),
        format!("/formations/{}/evaluations", w.module),
    ] {
        assert_eq!(app.get(&p, Some(&gb)).await.status, StatusCode::NOT_FOUND, "{p}");
    }
    // The organiser previews the questions.
    let page = app.get(&path, Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Aperçu des questions"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM evaluation_responses").await, 3);
}

/// A questionnaire not yet open or already closed answers a clear French
/// page, and refuses answers.
#[tokio::test]
async fn closed_and_future_questionnaires_refuse_answers() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let admin = app.session(w.admin).await;
    let froid = default_template(&app, &w, &admin, "froid").await;
    let res = post(
        &app,
        &admin,
        &format!("/sessions/{}/evaluations", w.session),
        &[("template", &froid.to_string())],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id = {
        let mut c = app.ctx.db.conn().await.unwrap();
        maillage_db::evaluations::of_sessions(c.ex(), &[w.session])
            .await
            .unwrap()[0]
            .id
    };
    // À froid: three months after the end; no mail before.
    assert_eq!(evaluations::send_due(&app.ctx).await.unwrap(), 0);
    let path = format!("/evaluations/{id}");
    let b = app.session(w.present[0]).await;
    let page = app.get(&path, Some(&b)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("n'est pas encore ouvert"));
    let res = post(&app, &b, &path, &[("q2", "4")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    // Closed: moved into the past.
    let today = maillage_db::now().date();
    let mut tx = app.ctx.db.begin().await.unwrap();
    tx.ex()
        .execute(
            maillage_db::query("UPDATE evaluations SET opens_on = $2, closes_on = $3 WHERE id = $1")
                .bind(id)
                .bind(today - Duration::days(10))
                .bind(today - Duration::days(1)),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        evaluations::send_due(&app.ctx).await.unwrap(),
        0,
        "clos : pas d'invitation"
    );
    assert!(app.get(&path, Some(&b)).await.text().contains("est clos"));
    let res = post(&app, &b, &path, &[("q2", "4")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.text().contains("n'est plus possible d'y répondre"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM evaluation_responses").await, 0);
}
