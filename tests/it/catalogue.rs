//! The catalogue of the schools (`/formations`): an administrator creates a
//! module for their school (and is told, in French, what is wrong with what
//! they typed), edits it, shares it with the network; another school takes
//! it into its catalogue, the designing school staying credited, then
//! withdraws it; who sees which module in lists, searches, filters, pages
//! and the API; archived modules; the French search; pagination.
//!
//! Each test builds its own small network (people without passwords,
//! sessions opened directly), so the demo's modules never interfere.

use axum::http::{Method, StatusCode};
use maillage_core::catalogue::Input;
use uuid::Uuid;

use crate::harness::{ALES, Browser, GRAND_EST, Res, TestApp, form};

// ---------------------------------------------------------------------------
// Shared helpers (also used by permissions.rs, pages.rs and hostile.rs)
// ---------------------------------------------------------------------------

/// A third member organisation, with no school of its own.
pub const PAYS_DE_LA_LOIRE: &str = "234400034";

/// A module's form as the browser sends it: every field, valid.
#[derive(Clone, Debug)]
pub struct ModuleForm {
    pub school: String,
    pub title: String,
    pub format: String,
    pub objectives: String,
    pub description: String,
    pub categories: Vec<String>,
    pub stage: String,
    pub duration_value: String,
    pub duration_unit: String,
    pub trainers: String,
    pub themes: Vec<String>,
    pub shared: bool,
    pub archived: bool,
}

impl ModuleForm {
    pub fn new(school: Uuid, title: &str) -> ModuleForm {
        ModuleForm {
            school: school.to_string(),
            title: title.to_owned(),
            format: "formation".into(),
            objectives: String::new(),
            description: String::new(),
            categories: Vec::new(),
            stage: "tous".into(),
            duration_value: "1".into(),
            duration_unit: "jours".into(),
            trainers: String::new(),
            themes: Vec::new(),
            shared: false,
            archived: false,
        }
    }

    /// The pairs of the form (repeated `categories` and `themes`; the
    /// checkboxes only when checked).
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut p: Vec<(String, String)> = [
            ("school", &self.school),
            ("title", &self.title),
            ("format", &self.format),
            ("objectives", &self.objectives),
            ("description", &self.description),
            ("stage", &self.stage),
            ("duration_value", &self.duration_value),
            ("duration_unit", &self.duration_unit),
            ("trainers", &self.trainers),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).clone()))
        .collect();
        for c in &self.categories {
            p.push(("categories".into(), c.clone()));
        }
        for t in &self.themes {
            p.push(("themes".into(), t.clone()));
        }
        if self.shared {
            p.push(("shared".into(), "oui".into()));
        }
        if self.archived {
            p.push(("archived".into(), "oui".into()));
        }
        p
    }

    pub fn input(&self) -> Input {
        Input {
            title: self.title.clone(),
            format: self.format.clone(),
            objectives: self.objectives.clone(),
            description: self.description.clone(),
            categories: self.categories.clone(),
            stage: self.stage.clone(),
            duration_value: self.duration_value.clone(),
            duration_unit: self.duration_unit.clone(),
            trainers: self.trainers.clone(),
            themes: self.themes.clone(),
            shared: self.shared,
            archived: self.archived,
            // Empty: the default threshold (100 %).
            completion_percent: String::new(),
        }
    }

    /// Creates it through the core operation, as `user`.
    pub async fn create(&self, app: &TestApp, user: Uuid) -> Uuid {
        let school = Uuid::parse_str(&self.school).expect("école");
        maillage_core::catalogue::create(&app.ctx, &app.actor(user).await, school, &self.input())
            .await
            .unwrap_or_else(|e| panic!("module {} : {e:?}", self.title))
    }

    /// Posts it to `path` (`/formations` or `/formations/{id}/modifier`).
    pub async fn post(&self, app: &TestApp, browser: &Browser, path: &str) -> Res {
        let pairs = self.pairs();
        let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        app.request(Method::POST, path, Some(browser), Some(form(&refs)), &[])
            .await
    }
}

/// A module with just a title, created by `user` for `school`.
pub async fn module(app: &TestApp, user: Uuid, school: Uuid, title: &str, shared: bool) -> Uuid {
    let mut f = ModuleForm::new(school, title);
    f.shared = shared;
    f.create(app, user).await
}

/// `school` takes the module into its catalogue, as `user`.
pub async fn adopt(app: &TestApp, user: Uuid, module: Uuid, school: Uuid) {
    maillage_core::catalogue::adopt(&app.ctx, &app.actor(user).await, module, school)
        .await
        .unwrap_or_else(|e| panic!("reprise de {module} : {e:?}"));
}

/// A school created for the organisation `siren` by `user` (its admin or
/// the coordinator).
pub async fn school(app: &TestApp, user: Uuid, siren: &str, name: &str) -> Uuid {
    let org = org_id(app, siren).await;
    maillage_core::schools::create(&app.ctx, &app.actor(user).await, org, name, "")
        .await
        .unwrap_or_else(|e| panic!("école {name} : {e:?}"))
}

pub async fn org_id(app: &TestApp, siren: &str) -> Uuid {
    let mut c = app.ctx.db.conn().await.unwrap();
    maillage_db::organisations::by_siren(c.ex(), siren)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("organisation {siren} absente"))
        .id
}

/// The module ids linked from a page (`/formations/{uuid}`), in order, once each.
pub fn linked_modules(html: &str) -> Vec<Uuid> {
    let mut out = Vec::new();
    for (i, _) in html.match_indices("href=\"/formations/") {
        let rest = &html[i + "href=\"/formations/".len()..];
        if let Some(id) = rest.get(..36).and_then(|s| Uuid::parse_str(s).ok())
            && rest[36..].starts_with('"')
            && !out.contains(&id)
        {
            out.push(id);
        }
    }
    out
}

/// The results part of a list page (after its status line): what the
/// filters above it list (every school, every theme) left out.
pub fn results(res: &Res) -> String {
    let text = res.text();
    let at = text.find("role=\"status\"").expect("ligne d'état des résultats");
    text[at..].to_owned()
}

/// Every row of the catalogue's tables, for checking that nothing was
/// written.
pub async fn catalogue_state(app: &TestApp) -> Vec<String> {
    use maillage_db::modules as db;
    let mut c = app.ctx.db.conn().await.unwrap();
    let everything = db::Viewer {
        everything: true,
        member_of: Vec::new(),
    };
    let rows = db::list(
        c.ex(),
        &everything,
        &db::Filter {
            include_archived: true,
            limit: 1000,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut out: Vec<String> = rows.iter().map(|r| format!("{r:?}")).collect();
    out.sort();
    let mut themes: Vec<String> = db::themes_of(c.ex(), &ids)
        .await
        .unwrap()
        .iter()
        .map(|t| format!("{} {}", t.module_id, t.theme_id))
        .collect();
    themes.sort();
    let mut adoptions: Vec<String> = db::adoptions_of(c.ex(), &ids)
        .await
        .unwrap()
        .iter()
        .map(|a| format!("{} {} {}", a.module_id, a.school_id, a.adopted_at))
        .collect();
    adoptions.sort();
    out.extend(themes);
    out.extend(adoptions);
    let n: i64 = c
        .ex()
        .fetch_scalar(maillage_db::query("SELECT COUNT(*) FROM modules"))
        .await
        .unwrap();
    out.push(format!("{n} modules"));
    out
}

/// A small network: two organisations with a school each (Alès, Grand Est),
/// a third without one, their people, the coordinator, two themes.
pub struct Net {
    pub ales_admin: Uuid,
    pub ales_member: Uuid,
    pub ge_admin: Uuid,
    pub ge_member: Uuid,
    /// A member of an organisation without a school.
    pub pdl_member: Uuid,
    pub coordinator: Uuid,
    pub ales_school: Uuid,
    pub ge_school: Uuid,
    pub theme_a: Uuid,
    pub theme_b: Uuid,
}

pub async fn net(app: &TestApp) -> Net {
    let ales_admin = app.person("admin@ales.fr", "Admin Alès", "org-admin", Some(ALES)).await;
    let ales_member = app.person("agent@ales.fr", "Agent Alès", "member", Some(ALES)).await;
    let ge_admin = app
        .person("admin@grandest.fr", "Admin Grand Est", "org-admin", Some(GRAND_EST))
        .await;
    let ge_member = app
        .person("agent@grandest.fr", "Agent Grand Est", "member", Some(GRAND_EST))
        .await;
    let pdl_member = app
        .person(
            "agent@paysdelaloire.fr",
            "Agent Loire",
            "member",
            Some(PAYS_DE_LA_LOIRE),
        )
        .await;
    let coordinator = app
        .person("coordination@reseau.fr", "Coordination", "coordinator", None)
        .await;
    let ales_school = school(app, ales_admin, ALES, "École des cadres d'Alès").await;
    let ge_school = school(app, ge_admin, GRAND_EST, "Manag'Est").await;
    let theme_a = crate::directory::theme(app, coordinator, "Coopération territoriale").await;
    let theme_b = crate::directory::theme(app, coordinator, "Qualité de vie au travail").await;
    Net {
        ales_admin,
        ales_member,
        ge_admin,
        ge_member,
        pdl_member,
        coordinator,
        ales_school,
        ge_school,
        theme_a,
        theme_b,
    }
}

// ---------------------------------------------------------------------------
// Local helpers
// ---------------------------------------------------------------------------

async fn post(app: &TestApp, b: &Browser, path: &str, pairs: &[(&str, &str)]) -> Res {
    app.request(Method::POST, path, Some(b), Some(form(pairs)), &[]).await
}

/// The ids of the modules listed by `/formations?{query}`, with the total
/// the page announces.
async fn listed(app: &TestApp, b: &Browser, query: &str) -> (Vec<Uuid>, String) {
    let res = app.get(&format!("/formations?{query}"), Some(b)).await;
    assert_eq!(res.status, StatusCode::OK, "/formations?{query} : {}", res.body);
    let r = results(&res);
    let status = r[..r.find("</p>").unwrap_or(r.len())].to_owned();
    (linked_modules(&r), status)
}

/// The ids of the modules the API lists for `query`, and its total.
async fn api_listed(app: &TestApp, token: &str, query: &str) -> (Vec<String>, i64) {
    let res = app.api(&format!("/api/v1/formations?{query}"), Some(token)).await;
    assert_eq!(res.status, StatusCode::OK, "API ?{query} : {}", res.body);
    let j = res.json();
    let ids = j["modules"]
        .as_array()
        .expect("modules")
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect();
    (ids, j["total"].as_i64().expect("total"))
}

fn count_status(status: &str) -> i64 {
    if status.contains("Aucun module") {
        return 0;
    }
    let digits: String = status
        .split('>')
        .nth(1)
        .unwrap_or("")
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("nombre de résultats illisible : {status}"))
}

// ---------------------------------------------------------------------------
// The story
// ---------------------------------------------------------------------------

/// An administrator creates a module for their school (with every field,
/// after the form told them, in French and keeping what they typed, what
/// was wrong), edits it, shares it; a member of another organisation sees it
/// only from then on; another school's administrator takes it (the
/// designing school stays credited), finds it under their school, and
/// withdraws it; an archived module leaves the catalogue.
#[tokio::test]
async fn a_module_from_creation_to_adoption_and_withdrawal() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let admin = app.session(n.ales_admin).await;
    let member = app.session(n.ales_member).await;
    let ge_admin = app.session(n.ge_admin).await;
    let ge_member = app.session(n.ge_member).await;
    let pdl = app.session(n.pdl_member).await;
    let coord = app.session(n.coordinator).await;
    let ge_token = app.token(n.ge_member).await;
    let pdl_token = app.token(n.pdl_member).await;

    // The form: the administrator's school offered.
    let res = app.get("/formations/nouveau", Some(&admin)).await;
    assert_eq!(res.status, StatusCode::OK);
    let text = res.text();
    assert!(text.contains(&format!("<option value=\"{}\"", n.ales_school)), "{text}");
    assert!(
        !text.contains(&n.ge_school.to_string()),
        "école d'une autre organisation proposée"
    );
    assert!(text.contains("Nouveau module"));
    // A plain member may not add a module.
    assert_eq!(
        app.get("/formations/nouveau", Some(&member)).await.status,
        StatusCode::FORBIDDEN
    );
    let res = app.get("/formations", Some(&admin)).await;
    assert!(res.body.contains("href=\"/formations/nouveau\""));
    let res = app.get("/formations", Some(&member)).await;
    assert!(!res.body.contains("href=\"/formations/nouveau\""));

    // Every field filled.
    let mut f = ModuleForm::new(
        n.ales_school,
        "  Coopération   et management :  les formations de base ",
    );
    f.format = "seminaire".into();
    f.objectives = "Comprendre la coopération entre services.\nAnimer une équipe.".into();
    f.description = "Jour 1 : diagnostic. Jour 2 : outils « agiles ».".into();
    f.categories = vec!["A".into(), "B".into(), "A".into()];
    f.stage = "nouveaux".into();
    f.duration_value = "2".into();
    f.duration_unit = "demi-journees".into();
    f.trainers = "Marie Durand (psychologue du travail)".into();
    f.themes = vec![n.theme_a.to_string(), n.theme_b.to_string()];

    // What is wrong is said in French, next to the field; what was typed
    // stays; nothing is written.
    let before = catalogue_state(&app).await;
    let long = |n: usize| "é".repeat(n);
    type Case = (
        &'static str,
        fn(&mut ModuleForm, &dyn Fn(usize) -> String),
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (
            "intitulé vide",
            |f, _| f.title = "   ".into(),
            "Saisissez l'intitulé du module.",
        ),
        (
            "intitulé trop long",
            |f, long| f.title = long(201),
            "L'intitulé est trop long (200 caractères au plus).",
        ),
        (
            "sans format",
            |f, _| f.format = String::new(),
            "Choisissez le format du module.",
        ),
        (
            "format inconnu",
            |f, _| f.format = "atelier".into(),
            "Choisissez le format du module.",
        ),
        (
            "durée « deux »",
            |f, _| f.duration_value = "deux".into(),
            "Saisissez la durée en chiffres, par exemple 2 (jours) ou 3 (heures).",
        ),
        (
            "durée vide",
            |f, _| f.duration_value = String::new(),
            "Saisissez la durée en chiffres",
        ),
        (
            "durée 0",
            |f, _| f.duration_value = "0".into(),
            "La durée doit être comprise entre 1 et 1 000.",
        ),
        (
            "durée 1001",
            |f, _| f.duration_value = "1001".into(),
            "La durée doit être comprise entre 1 et 1 000.",
        ),
        (
            "durée négative",
            |f, _| f.duration_value = "-3".into(),
            "La durée doit être comprise entre 1 et 1 000.",
        ),
        (
            "durée décimale",
            |f, _| f.duration_value = "1,5".into(),
            "Saisissez la durée en chiffres",
        ),
        (
            "unité inconnue",
            |f, _| f.duration_unit = "semaines".into(),
            "Choisissez l'unité de la durée.",
        ),
        (
            "catégorie inconnue",
            |f, _| f.categories.push("D".into()),
            "Catégorie inconnue « D » : indiquez A+, A, B ou C.",
        ),
        (
            "public inconnu",
            |f, _| f.stage = "debutants".into(),
            "Choisissez à quels managers le module s'adresse.",
        ),
        (
            "objectifs trop longs",
            |f, long| f.objectives = long(4001),
            "Le champ « objectifs » est trop long (4000 caractères au plus).",
        ),
        (
            "programme trop long",
            |f, long| f.description = long(8001),
            "Le champ « programme » est trop long (8000 caractères au plus).",
        ),
        (
            "intervenants trop longs",
            |f, long| f.trainers = long(501),
            "Le champ « intervenants » est trop long (500 caractères au plus).",
        ),
        (
            "thématique inconnue",
            |f, _| f.themes.push(Uuid::now_v7().to_string()),
            "Une thématique choisie n'existe plus : rechargez la page.",
        ),
        (
            "thématique illisible",
            |f, _| f.themes.push("pas-un-id".into()),
            "Une thématique choisie n'existe plus : rechargez la page.",
        ),
        (
            "sans école",
            |f, _| f.school = String::new(),
            "Choisissez l'école dont ce module fait partie.",
        ),
    ];
    for (what, change, message) in cases {
        let mut bad = f.clone();
        change(&mut bad, &long);
        let res = bad.post(&app, &admin, "/formations").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{what} : {}", res.body);
        let text = res.text();
        assert!(text.contains(message), "{what} : message « {message} » absent");
        // Fields with their own message are marked (the checkbox groups
        // carry theirs in their fieldset).
        if !what.contains("catégorie") && !what.contains("thématique") {
            assert!(text.contains("aria-invalid=\"true\""), "{what} : champ non signalé");
        }
        assert!(
            text.starts_with("<!DOCTYPE html>") || text.contains("<html lang=\"fr\""),
            "{what}"
        );
        assert!(text.contains("<title>Erreur — Nouveau module"), "{what}");
        // What was typed is still there (the values left valid too).
        for kept in [
            bad.title.as_str(),
            bad.objectives.as_str(),
            bad.description.as_str(),
            bad.trainers.as_str(),
        ] {
            assert!(
                text.contains(kept.trim_start_matches(' ')),
                "{what} : « {} » perdu",
                kept.chars().take(40).collect::<String>()
            );
        }
        assert!(
            text.contains(&format!("value=\"{}\"", bad.duration_value)),
            "{what} : durée perdue"
        );
        if !bad.format.is_empty() && bad.format != "atelier" {
            assert!(
                text.contains(&format!("value=\"{}\" selected", bad.format)),
                "{what} : format perdu"
            );
        }
        for c in ["A", "B"] {
            assert!(
                text.contains(&format!("name=\"categories\" value=\"{c}\" checked")),
                "{what} : catégorie {c} décochée"
            );
        }
        assert!(!text.contains("name=\"categories\" value=\"C\" checked"), "{what}");
        for t in [n.theme_a, n.theme_b] {
            assert!(
                text.contains(&format!("value=\"{t}\" checked")),
                "{what} : thématique décochée"
            );
        }
        if what != "sans école" {
            assert!(
                text.contains(&format!("<option value=\"{}\" selected", n.ales_school)),
                "{what} : école perdue"
            );
        }
        assert_eq!(
            catalogue_state(&app).await,
            before,
            "{what} : quelque chose a été écrit"
        );
    }
    // All at once: every message.
    let mut bad = f.clone();
    bad.title = String::new();
    bad.format = String::new();
    bad.duration_value = "deux".into();
    bad.categories = vec!["Z".into()];
    let res = bad.post(&app, &admin, "/formations").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text();
    for m in [
        "Saisissez l'intitulé du module.",
        "Choisissez le format du module.",
        "Saisissez la durée en chiffres",
        "Catégorie inconnue « Z »",
    ] {
        assert!(text.contains(m), "{m}");
    }
    // Another organisation's school: refused (403), nothing written.
    let mut other = f.clone();
    other.school = n.ge_school.to_string();
    let res = other.post(&app, &admin, "/formations").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = f.post(&app, &member, "/formations").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = f.post(&app, &Browser::default(), "/formations").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.location().starts_with("/connexion?retour="));
    assert_eq!(catalogue_state(&app).await, before, "un refus a écrit");

    // Created.
    let res = f.post(&app, &admin, "/formations").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let location = res.location().to_owned();
    let id = Uuid::parse_str(
        location
            .strip_prefix("/formations/")
            .and_then(|r| r.strip_suffix("?info=module-enregistre"))
            .unwrap_or_else(|| panic!("redirection {location}")),
    )
    .unwrap();
    let page = format!("/formations/{id}");
    let res = app.get(&location, Some(&admin)).await;
    assert_eq!(res.status, StatusCode::OK);
    let text = res.text();
    for shown in [
        "<h1>Coopération et management : les formations de base</h1>",
        "Le module a été enregistré.",
        "Séminaire",
        "2 demi-journées",
        "<dt>Conçu par</dt><dd>École des cadres d'Alès</dd>",
        "Managers nouvellement en poste — catégories A, B",
        "Marie Durand (psychologue du travail)",
        "Coopération territoriale",
        "Qualité de vie au travail",
        "Comprendre la coopération entre services.",
        "Jour 2 : outils « agiles ».",
        "Modifier le module",
    ] {
        assert!(text.contains(shown), "« {shown} » absent de la page du module");
    }
    assert!(!text.contains("Repris par"));
    assert!(!text.contains("Partagé avec le réseau"));
    assert!(
        !text.contains("Proposer ce module dans mon école"),
        "module non partagé"
    );
    assert_eq!(
        catalogue_state(&app).await.len(),
        before.len() + 3,
        "module + 2 thématiques"
    );
    {
        let mut c = app.ctx.db.conn().await.unwrap();
        let row = maillage_db::modules::by_id(
            c.ex(),
            &maillage_db::modules::Viewer {
                everything: true,
                member_of: Vec::new(),
            },
            id,
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(row.title, "Coopération et management : les formations de base");
        assert_eq!(row.audience_categories, "A,B");
        assert_eq!(row.audience_stage, "nouveaux");
        assert_eq!((row.duration_value, row.duration_unit.as_str()), (2, "demi-journees"));
        assert_eq!(row.school_id, n.ales_school);
        assert!(!row.shared && !row.archived);
    }

    // Not shared: the school's people and the coordinator see it; nobody else.
    let ge_token_ = ge_token.clone();
    let sees = |b: Browser, token: Option<String>, visible: bool, who: &'static str| {
        let app = &app;
        async move {
            let res = app.get(&page_of(id), Some(&b)).await;
            assert_eq!(
                res.status,
                if visible { StatusCode::OK } else { StatusCode::NOT_FOUND },
                "[{who}] page du module"
            );
            if !visible {
                assert!(!res.body.contains("Coopération et management"), "[{who}]");
            }
            for query in ["", "q=cooperation", "format=seminaire", "categorie=A"] {
                let (ids, _) = listed(app, &b, query).await;
                assert_eq!(ids.contains(&id), visible, "[{who}] /formations?{query}");
            }
            if let Some(t) = token {
                let res = app.api(&format!("/api/v1/formations/{id}"), Some(&t)).await;
                assert_eq!(
                    res.status,
                    if visible { StatusCode::OK } else { StatusCode::NOT_FOUND },
                    "[{who}] API : {}",
                    res.body
                );
                let (ids, _) = api_listed(app, &t, "q=cooperation").await;
                assert_eq!(ids.contains(&id.to_string()), visible, "[{who}] API liste");
            }
        }
    };
    sees(admin.clone(), None, true, "admin Alès").await;
    sees(member.clone(), None, true, "membre Alès").await;
    sees(coord.clone(), None, true, "animation").await;
    sees(ge_member.clone(), Some(ge_token_.clone()), false, "membre Grand Est").await;
    sees(ge_admin.clone(), None, false, "admin Grand Est").await;
    sees(pdl.clone(), Some(pdl_token.clone()), false, "membre Pays de la Loire").await;
    let res = app.get(&page, None).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.location().starts_with("/connexion?retour="));
    let res = app.api(&format!("/api/v1/formations/{id}"), None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);

    // Edited by its school's administrator (the form holds what is stored);
    // 403 for the school's members, 404 for the others.
    let edit = format!("{page}/modifier");
    let res = app.get(&edit, Some(&admin)).await;
    assert_eq!(res.status, StatusCode::OK);
    let text = res.text();
    assert!(text.contains("value=\"Coopération et management : les formations de base\""));
    assert!(text.contains("<option value=\"seminaire\" selected"));
    assert!(text.contains("<option value=\"demi-journees\" selected"));
    assert!(text.contains("<option value=\"nouveaux\" selected"));
    assert!(text.contains("name=\"categories\" value=\"A\" checked"));
    assert!(!text.contains("name=\"categories\" value=\"C\" checked"));
    assert!(text.contains(&format!("value=\"{}\" checked", n.theme_a)));
    assert!(!text.contains("name=\"school\""), "l'école d'un module ne change pas");
    assert_eq!(app.get(&edit, Some(&member)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&edit, Some(&ge_admin)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&edit, Some(&coord)).await.status, StatusCode::OK);
    let before = catalogue_state(&app).await;
    let mut bad = f.clone();
    bad.title = String::new();
    bad.duration_value = "1001".into();
    let res = bad.post(&app, &admin, &edit).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text();
    assert!(text.contains("Saisissez l'intitulé du module."));
    assert!(text.contains("value=\"1001\""));
    assert!(text.contains("<title>Erreur — Modifier le module"));
    assert_eq!(f.post(&app, &member, &edit).await.status, StatusCode::FORBIDDEN);
    assert_eq!(f.post(&app, &ge_admin, &edit).await.status, StatusCode::NOT_FOUND);
    assert_eq!(catalogue_state(&app).await, before, "un refus a écrit");

    let mut f = f.clone();
    f.title = "Coopération et management".into();
    f.themes = vec![n.theme_b.to_string()];
    f.categories = Vec::new();
    f.stage = "tous".into();
    let res = f.post(&app, &admin, &edit).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), format!("{page}?info=module-enregistre"));
    let text = app.get(&page, Some(&admin)).await.text();
    assert!(text.contains("<h1>Coopération et management</h1>"));
    assert!(text.contains("Tous les managers — toutes catégories"));
    assert!(
        !text.contains("Coopération territoriale"),
        "thématique retirée toujours là"
    );
    assert!(text.contains("Qualité de vie au travail"));
    // Still not shared.
    sees(ge_member.clone(), Some(ge_token_.clone()), false, "membre Grand Est").await;

    // Shared: the whole network sees it.
    f.shared = true;
    let res = f.post(&app, &admin, &edit).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let text = app.get(&page, Some(&admin)).await.text();
    assert!(text.contains("Partagé avec le réseau"));
    sees(ge_member.clone(), Some(ge_token_.clone()), true, "membre Grand Est").await;
    sees(ge_admin.clone(), None, true, "admin Grand Est").await;
    sees(pdl.clone(), Some(pdl_token.clone()), true, "membre Pays de la Loire").await;
    // Seen, not editable, by another school.
    assert_eq!(app.get(&edit, Some(&ge_admin)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(f.post(&app, &ge_admin, &edit).await.status, StatusCode::FORBIDDEN);
    let res = app.api(&format!("/api/v1/formations/{id}"), Some(&ge_token)).await;
    let j = res.json();
    assert_eq!(j["intitule"], "Coopération et management");
    assert_eq!(j["format"]["cle"], "seminaire");
    assert_eq!(j["partage"], true);
    assert_eq!(j["ecole"]["id"], n.ales_school.to_string());
    assert_eq!(j["duree"]["texte"], "2 demi-journées");
    assert_eq!(j["duree"]["heures"], 7.0);
    assert_eq!(j["categories"], serde_json::json!([]));
    assert_eq!(j["public"]["cle"], "tous");

    // Another school's administrator takes it.
    let text = app.get(&page, Some(&ge_admin)).await.text();
    assert!(text.contains("Proposer ce module dans mon école"));
    assert!(text.contains(&format!("<option value=\"{}\">Manag'Est</option>", n.ge_school)));
    assert!(!text.contains("Modifier le module"));
    // The designing school cannot take its own module; a member cannot take it.
    let text = app.get(&page, Some(&admin)).await.text();
    assert!(!text.contains("Proposer ce module dans mon école"), "sa propre école");
    let text = app.get(&page, Some(&ge_member)).await.text();
    assert!(!text.contains("Proposer ce module"));
    let adopt_path = format!("{page}/reprendre");
    let before = catalogue_state(&app).await;
    // (Not offered by the page: a crafted request gets a plain 409.)
    let res = post(&app, &admin, &adopt_path, &[("school", &n.ales_school.to_string())]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.text().contains("Ce module est déjà celui de cette école."));
    let res = post(&app, &ge_member, &adopt_path, &[("school", &n.ge_school.to_string())]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = post(&app, &admin, &adopt_path, &[("school", &n.ge_school.to_string())]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "Alès n'administre pas Manag'Est");
    let res = post(&app, &ge_admin, &adopt_path, &[("school", "")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("Choisissez l'école qui reprend ce module."));
    let res = post(&app, &ge_admin, &adopt_path, &[("school", &Uuid::now_v7().to_string())]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(catalogue_state(&app).await, before, "un refus a écrit");

    let res = post(&app, &ge_admin, &adopt_path, &[("school", &n.ge_school.to_string())]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), format!("{page}?info=module-repris"));
    let text = app.get(res.location(), Some(&ge_admin)).await.text();
    assert!(text.contains("Le module figure désormais dans le catalogue de votre école."));
    assert!(text.contains("<dt>Conçu par</dt><dd>École des cadres d'Alès</dd>"));
    assert!(text.contains("<dt>Repris par</dt><dd>Manag'Est</dd>"));
    assert!(text.contains("Retirer du catalogue de Manag'Est"));
    assert!(!text.contains("Proposer ce module dans mon école"), "déjà repris");
    // Twice: no error, one adoption.
    let res = post(&app, &ge_admin, &adopt_path, &[("school", &n.ge_school.to_string())]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let j = app
        .api(&format!("/api/v1/formations/{id}"), Some(&ge_token))
        .await
        .json();
    assert_eq!(j["ecole"]["nom"], "École des cadres d'Alès");
    assert_eq!(
        j["reprise_par"],
        serde_json::json!([{"id": n.ge_school.to_string(), "nom": "Manag'Est"}])
    );
    // In the lists: credited, and under both schools' filters.
    let res = app.get("/formations?q=cooperation", Some(&pdl)).await;
    let r = results(&res);
    assert!(
        r.contains("Conçu par École des cadres d'Alès · repris par 1 école"),
        "{r}"
    );
    for (b, who) in [(&ge_member, "membre Grand Est"), (&pdl, "membre Pays de la Loire")] {
        for s in [n.ge_school, n.ales_school] {
            let (ids, _) = listed(&app, b, &format!("ecole={s}")).await;
            assert_eq!(ids, vec![id], "[{who}] ecole={s}");
        }
    }
    let (ids, _) = api_listed(&app, &ge_token, &format!("ecole={}", n.ge_school)).await;
    assert_eq!(ids, vec![id.to_string()]);

    // Unshared after being taken: still seen by the school that took it,
    // no longer by the rest of the network.
    f.shared = false;
    assert_eq!(f.post(&app, &admin, &edit).await.status, StatusCode::SEE_OTHER);
    sees(
        ge_member.clone(),
        Some(ge_token_.clone()),
        true,
        "membre Grand Est (repris)",
    )
    .await;
    sees(pdl.clone(), Some(pdl_token.clone()), false, "membre Pays de la Loire").await;
    let (ids, _) = listed(&app, &pdl, &format!("ecole={}", n.ge_school)).await;
    assert!(ids.is_empty(), "fuite par le filtre d'école : {ids:?}");

    // Withdrawn by the school that took it.
    let withdraw = format!("{page}/retirer");
    let before = catalogue_state(&app).await;
    for (b, expected) in [
        (&ge_member, StatusCode::FORBIDDEN),
        (&admin, StatusCode::FORBIDDEN),
        (&pdl, StatusCode::NOT_FOUND),
    ] {
        let res = post(&app, b, &withdraw, &[("school", &n.ge_school.to_string())]).await;
        assert_eq!(res.status, expected);
    }
    let res = post(&app, &ge_admin, &withdraw, &[("school", "pas-un-id")]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(catalogue_state(&app).await, before, "un refus a écrit");
    let res = post(&app, &ge_admin, &withdraw, &[("school", &n.ge_school.to_string())]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // Unshared and no longer taken: Grand Est does not see it any more, so
    // it is sent back to its school's catalogue, not to a 404.
    assert_eq!(
        res.location(),
        format!("/formations?ecole={}&info=module-retire", n.ge_school)
    );
    assert_eq!(app.get(&page, Some(&ge_admin)).await.status, StatusCode::NOT_FOUND);
    sees(
        ge_member.clone(),
        Some(ge_token_.clone()),
        false,
        "membre Grand Est (retiré)",
    )
    .await;
    let text = app.get(&page, Some(&admin)).await.text();
    assert!(!text.contains("Repris par"));
    let (ids, _) = listed(&app, &coord, &format!("ecole={}", n.ge_school)).await;
    assert!(ids.is_empty());
    // Twice: nothing left to withdraw.
    let res = post(&app, &coord, &withdraw, &[("school", &n.ge_school.to_string())]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    // Withdrawn while shared: stays visible to all, just not under Manag'Est.
    f.shared = true;
    assert_eq!(f.post(&app, &admin, &edit).await.status, StatusCode::SEE_OTHER);
    adopt(&app, n.ge_admin, id, n.ge_school).await;
    let res = post(&app, &coord, &withdraw, &[("school", &n.ge_school.to_string())]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        listed(&app, &ge_member, &format!("ecole={}", n.ge_school))
            .await
            .0
            .is_empty()
    );
    sees(
        ge_member.clone(),
        Some(ge_token_.clone()),
        true,
        "membre Grand Est (partagé)",
    )
    .await;

    // Archived: out of every list, for everyone; its page remains.
    let unshared = module(&app, n.ales_admin, n.ales_school, "Coopération à archiver", false).await;
    f.archived = true;
    assert_eq!(f.post(&app, &admin, &edit).await.status, StatusCode::SEE_OTHER);
    let mut g = ModuleForm::new(n.ales_school, "Coopération à archiver");
    g.archived = true;
    let res = g.post(&app, &admin, &format!("/formations/{unshared}/modifier")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    for (b, who) in [
        (&admin, "admin Alès"),
        (&coord, "animation"),
        (&ge_member, "membre Grand Est"),
    ] {
        for query in [
            "".to_owned(),
            "q=cooperation".into(),
            format!("ecole={}", n.ales_school),
            format!("theme={}", n.theme_b),
        ] {
            let (ids, _) = listed(&app, b, &query).await;
            assert!(
                !ids.contains(&id) && !ids.contains(&unshared),
                "[{who}] module archivé listé : ?{query}"
            );
        }
    }
    let (ids, total) = api_listed(&app, &ge_token, "").await;
    assert!(ids.is_empty() && total == 0, "API : {ids:?}");
    let text = app.get(&page, Some(&admin)).await.text();
    assert!(text.contains("Archivé"));
    let res = app.get(&format!("/formations/{unshared}"), Some(&ge_member)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "archivé et non partagé");
    // The edit form offers to take it out of the archive.
    let text = app.get(&edit, Some(&admin)).await.text();
    assert!(text.contains("id=\"archived\" name=\"archived\" value=\"oui\" checked"));
    f.archived = false;
    assert_eq!(f.post(&app, &admin, &edit).await.status, StatusCode::SEE_OTHER);
    assert_eq!(listed(&app, &ge_member, "").await.0, vec![id]);

    // Everything was recorded in the audit log.
    let mut c = app.ctx.db.conn().await.unwrap();
    let n_audit: i64 = c
        .ex()
        .fetch_scalar(maillage_db::query(
            "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'module.%'",
        ))
        .await
        .unwrap();
    assert!(n_audit >= 12, "{n_audit} entrées module.* au journal");
}

fn page_of(id: Uuid) -> String {
    format!("/formations/{id}")
}

/// A module not shared with the network never shows to other organisations:
/// not in the list, not in a search on any of its words, not through any
/// filter (format, theme, school, category, public), not in the API, not
/// by its id; while its own school's people find it everywhere.
#[tokio::test]
async fn unshared_modules_never_leak() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let secret_theme = crate::directory::theme(&app, n.coordinator, "Thème confidentiel").await;
    let mut f = ModuleForm::new(n.ales_school, "Zorglubintitulé confidentiel");
    f.format = "psychologue".into();
    f.objectives = "zorglubobjectif".into();
    f.description = "zorglubprogramme".into();
    f.trainers = "Zorglubintervenant".into();
    f.categories = vec!["C".into()];
    f.stage = "confirmes".into();
    f.themes = vec![secret_theme.to_string()];
    let secret = f.create(&app, n.ales_admin).await;
    // A shared one, so that the filters are not empty for trivial reasons.
    let mut g = ModuleForm::new(n.ales_school, "Zorglub partagé");
    g.shared = true;
    g.categories = vec!["C".into()];
    g.stage = "confirmes".into();
    g.format = "psychologue".into();
    g.themes = vec![secret_theme.to_string()];
    let shared = g.create(&app, n.ales_admin).await;
    // Archived, unshared: for nobody's list.
    let mut h = ModuleForm::new(n.ales_school, "Zorglub archivé");
    h.archived = true;
    let archived = h.create(&app, n.ales_admin).await;

    // (query, whether the shared module matches it too)
    let queries = [
        ("".to_owned(), true),
        ("q=zorglub".into(), true),
        ("q=zorglubintitule".into(), false),
        ("q=ZORGLUBOBJECTIF".into(), false),
        ("q=zorglubprogramme".into(), false),
        ("q=zorglubintervenant".into(), false),
        ("q=confidentiel".into(), false),
        ("format=psychologue".into(), true),
        (format!("theme={secret_theme}"), true),
        (format!("ecole={}", n.ales_school), true),
        ("categorie=C".into(), true),
        ("public=confirmes".into(), true),
        (
            format!(
                "q=zorglub&format=psychologue&theme={secret_theme}&ecole={}&categorie=C&public=confirmes",
                n.ales_school
            ),
            true,
        ),
        ("page=1".into(), true),
    ];
    let markers = [
        "Zorglubintitulé",
        "zorglubobjectif",
        "zorglubprogramme",
        "Zorglubintervenant",
        "Zorglub archivé",
    ];
    for (user, visible, who) in [
        (n.ales_admin, true, "admin Alès"),
        (n.ales_member, true, "membre Alès"),
        (n.coordinator, true, "animation"),
        (n.ge_admin, false, "admin Grand Est"),
        (n.ge_member, false, "membre Grand Est"),
        (n.pdl_member, false, "membre Pays de la Loire"),
    ] {
        let b = app.session(user).await;
        let token = app.token(user).await;
        for (query, with_shared) in &queries {
            let res = app.get(&format!("/formations?{query}"), Some(&b)).await;
            assert_eq!(res.status, StatusCode::OK);
            let r = results(&res);
            let ids = linked_modules(&r);
            assert_eq!(ids.contains(&secret), visible, "[{who}] ?{query}");
            assert_eq!(ids.contains(&shared), *with_shared, "[{who}] ?{query} : module partagé");
            assert!(!ids.contains(&archived), "[{who}] ?{query} : archivé listé");
            let status = &r[..r.find("</p>").unwrap()];
            assert_eq!(count_status(status), ids.len() as i64, "[{who}] ?{query} : {status}");
            if !visible {
                for m in markers {
                    assert!(!r.contains(m), "[{who}] ?{query} : « {m} »");
                }
            }
            let api = app.api(&format!("/api/v1/formations?{query}"), Some(&token)).await;
            assert_eq!(api.status, StatusCode::OK, "[{who}] API ?{query} : {}", api.body);
            assert_eq!(api.body.contains(&secret.to_string()), visible, "[{who}] API ?{query}");
            assert!(!api.body.contains(&archived.to_string()), "[{who}] API ?{query}");
            assert_eq!(
                api.json()["total"].as_i64().unwrap(),
                ids.len() as i64,
                "[{who}] API ?{query}"
            );
            if !visible {
                for m in markers {
                    assert!(!api.body.contains(m), "[{who}] API ?{query} : « {m} »");
                }
            }
        }
        // By id: the page, its form, the API; the archived one too.
        for m in [secret, archived] {
            let expected = if visible { StatusCode::OK } else { StatusCode::NOT_FOUND };
            let res = app.get(&format!("/formations/{m}"), Some(&b)).await;
            assert_eq!(res.status, expected, "[{who}] /formations/{m}");
            let api = app.api(&format!("/api/v1/formations/{m}"), Some(&token)).await;
            assert_eq!(api.status, expected, "[{who}] API /formations/{m}");
            if !visible {
                for m in markers {
                    assert!(!res.body.contains(m) && !api.body.contains(m), "[{who}] « {m} »");
                }
                // Hidden reads exactly like absent.
                let absent = app
                    .api(&format!("/api/v1/formations/{}", Uuid::now_v7()), Some(&token))
                    .await;
                assert_eq!((api.status, &api.body), (absent.status, &absent.body), "[{who}]");
                let res = app.get(&format!("/formations/{m}/modifier"), Some(&b)).await;
                assert_eq!(res.status, StatusCode::NOT_FOUND, "[{who}] /modifier");
            }
        }
    }
    // Anonymous: nothing at all.
    for path in ["/formations", "/formations?q=zorglub", &format!("/formations/{secret}")] {
        let res = app.get(path, None).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{path}");
        assert!(res.location().starts_with("/connexion?retour="), "{path}");
        assert!(!res.body.contains("Zorglub"));
    }
    for path in [
        "/api/v1/formations?q=zorglub".to_owned(),
        format!("/api/v1/formations/{secret}"),
    ] {
        let res = app.api(&path, None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(res.json()["erreur"], "connexion-requise");
    }
}

/// The French search: accents and case do not count, a word's beginning is
/// enough, plurals and singulars find each other; every word must match.
#[tokio::test]
async fn search_equivalences() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let b = app.session(n.ge_member).await;
    let token = app.token(n.ge_member).await;
    let mut made = Vec::new();
    for (title, objectives) in [
        ("La coopération entre services", ""),
        ("Formation des élus", ""),
        ("Les formations des nouveaux managers", "Prendre son poste sereinement"),
        ("Codéveloppement", "Écouter, questionner, coopérer"),
        ("Qualité de vie au travail", "Prévenir l'épuisement professionnel"),
    ] {
        let mut f = ModuleForm::new(n.ales_school, title);
        f.objectives = objectives.into();
        f.shared = true;
        made.push(f.create(&app, n.ales_admin).await);
    }
    let [coop, elus, managers, codev, qvt] = made[..] else {
        unreachable!()
    };
    for (q, expected) in [
        // « coopérer » has the stem of « coopération ».
        ("coopération", vec![codev, coop]),
        ("COOPERATION", vec![codev, coop]),
        ("coopérer", vec![codev, coop]),
        ("coopérations", vec![codev, coop]),
        ("coop", vec![codev, coop]),
        ("COOP", vec![codev, coop]),
        ("formation", vec![elus, managers]),
        ("formations", vec![elus, managers]),
        ("FORMATIONS", vec![elus, managers]),
        ("élu", vec![elus]),
        ("elus", vec![elus]),
        ("ELUE", vec![elus]),
        ("codeveloppement", vec![codev]),
        ("CODÉVELOPPEMENT", vec![codev]),
        ("formation manager", vec![managers]),
        ("formation élus", vec![elus]),
        ("qualite vie", vec![qvt]),
        ("épuisement", vec![qvt]),
        ("epuis", vec![qvt]),
        ("l'épuisement", vec![qvt]),
        ("prévenir", vec![qvt]),
        ("serein", vec![managers]),
        ("formation zzzzzz", vec![]),
        ("zzzzzz", vec![]),
        ("ération", vec![]),
        // Nothing searchable: the whole catalogue.
        ("de la", vec![codev, elus, managers, coop, qvt]),
        ("%", vec![codev, elus, managers, coop, qvt]),
        ("_", vec![codev, elus, managers, coop, qvt]),
    ] {
        let query = form(&[("q", q)]);
        let (mut ids, status) = listed(&app, &b, &query).await;
        let mut expected = expected.clone();
        ids.sort();
        expected.sort();
        assert_eq!(ids, expected, "q={q} ({status})");
        let (mut api_ids, total) = api_listed(&app, &token, &query).await;
        api_ids.sort();
        let mut exp: Vec<String> = expected.iter().map(Uuid::to_string).collect();
        exp.sort();
        assert_eq!(api_ids, exp, "API q={q}");
        assert_eq!(total, exp.len() as i64, "API q={q}");
    }
    // The query is kept in the search field.
    let res = app.get("/formations?q=coop%C3%A9ration", Some(&b)).await;
    assert!(res.body.contains("value=\"coopération\""));
    assert!(res.text().contains("<title>Catalogue des formations — « coopération »"));
}

/// Filters: format, theme, school (its own modules and those it took),
/// category (a module for every category matches any), public (a module
/// for all managers matches any); unknown values are ignored; they combine.
#[tokio::test]
async fn filters() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let b = app.session(n.pdl_member).await;
    let token = app.token(n.pdl_member).await;
    let new = |school: Uuid, title: &'static str| {
        let mut f = ModuleForm::new(school, title);
        f.shared = true;
        f
    };
    let mut f = new(n.ales_school, "Un séminaire pour tous");
    f.format = "seminaire".into();
    f.themes = vec![n.theme_a.to_string()];
    let all_cats = f.create(&app, n.ales_admin).await;
    let mut f = new(n.ales_school, "Un coaching pour les A+");
    f.format = "coaching-individuel".into();
    f.categories = vec!["A+".into()];
    f.stage = "nouveaux".into();
    f.themes = vec![n.theme_a.to_string(), n.theme_b.to_string()];
    let a_plus = f.create(&app, n.ales_admin).await;
    let mut f = new(n.ge_school, "Une formation B et C");
    f.categories = vec!["B".into(), "C".into()];
    f.stage = "confirmes".into();
    f.themes = vec![n.theme_b.to_string()];
    let b_c = f.create(&app, n.ge_admin).await;
    let mut f = new(n.ge_school, "Une conférence pour les A");
    f.format = "conference".into();
    f.categories = vec!["A".into()];
    let a = f.create(&app, n.ge_admin).await;
    // Taken by Grand Est.
    adopt(&app, n.ge_admin, all_cats, n.ge_school).await;

    let every = vec![all_cats, a_plus, b_c, a];
    for (query, expected) in [
        ("".to_owned(), every.clone()),
        ("format=seminaire".into(), vec![all_cats]),
        ("format=coaching-individuel".into(), vec![a_plus]),
        ("format=formation".into(), vec![b_c]),
        ("format=debat".into(), vec![]),
        ("format=inconnu".into(), every.clone()),
        (format!("theme={}", n.theme_a), vec![all_cats, a_plus]),
        (format!("theme={}", n.theme_b), vec![a_plus, b_c]),
        (format!("theme={}", Uuid::now_v7()), vec![]),
        ("theme=pas-un-id".into(), every.clone()),
        (format!("ecole={}", n.ales_school), vec![all_cats, a_plus]),
        (format!("ecole={}", n.ge_school), vec![all_cats, b_c, a]),
        ("ecole=n-importe".into(), every.clone()),
        (format!("ecole={}", Uuid::now_v7()), vec![]),
        ("categorie=A%2B".into(), vec![all_cats, a_plus]),
        ("categorie=A".into(), vec![all_cats, a]),
        ("categorie=a".into(), vec![all_cats, a]),
        ("categorie=B".into(), vec![all_cats, b_c]),
        ("categorie=C".into(), vec![all_cats, b_c]),
        ("categorie=D".into(), every.clone()),
        ("public=nouveaux".into(), vec![all_cats, a_plus, a]),
        ("public=confirmes".into(), vec![all_cats, b_c, a]),
        ("public=tous".into(), every.clone()),
        ("public=autre".into(), every.clone()),
        (format!("ecole={}&categorie=C", n.ge_school), vec![all_cats, b_c]),
        (
            format!("ecole={}&public=confirmes&format=formation", n.ge_school),
            vec![b_c],
        ),
        (
            format!("theme={}&categorie=A%2B&public=nouveaux", n.theme_b),
            vec![a_plus],
        ),
        ("q=coaching&categorie=B".into(), vec![]),
        ("q=conference&categorie=A".into(), vec![a]),
    ] {
        let (mut ids, status) = listed(&app, &b, &query).await;
        let mut expected = expected.clone();
        ids.sort();
        expected.sort();
        assert_eq!(ids, expected, "?{query} ({status})");
        assert_eq!(count_status(&status), expected.len() as i64, "?{query} : {status}");
        let (mut api_ids, total) = api_listed(&app, &token, &query).await;
        api_ids.sort();
        let mut exp: Vec<String> = expected.iter().map(Uuid::to_string).collect();
        exp.sort();
        assert_eq!(api_ids, exp, "API ?{query}");
        assert_eq!(total, exp.len() as i64, "API ?{query}");
    }
    // The chosen filters stay selected.
    let res = app
        .get(
            &format!(
                "/formations?format=seminaire&ecole={}&categorie=A%2B&public=nouveaux&theme={}",
                n.ge_school, n.theme_a
            ),
            Some(&b),
        )
        .await;
    let text = res.text();
    for selected in [
        "<option value=\"seminaire\" selected".to_owned(),
        format!("<option value=\"{}\" selected", n.ge_school),
        "<option value=\"A+\" selected".into(),
        "<option value=\"nouveaux\" selected".into(),
        format!("<option value=\"{}\" selected", n.theme_a),
    ] {
        assert!(text.contains(&selected), "{selected}");
    }
    // A card says what the module is.
    let res = app.get("/formations?format=coaching-individuel", Some(&b)).await;
    let r = results(&res);
    for shown in [
        "Un coaching pour les A+",
        "Coaching individuel",
        "1 jour",
        "Partagé avec le réseau",
        "Conçu par École des cadres d'Alès",
        "Managers nouvellement en poste — catégorie A+",
        "1 module",
    ] {
        assert!(r.contains(shown), "carte : « {shown} » absent");
    }
}

/// More than 20 modules: 20 a page, in title order, every module once;
/// links to the next and previous pages keep the search; a page number
/// beyond the end or unreadable shows no error.
#[tokio::test]
async fn pagination() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let b = app.session(n.ge_member).await;
    let token = app.token(n.ge_member).await;
    let mut all = Vec::new();
    for k in 0..45 {
        // Alternately shared and not: Grand Est sees the shared ones (23).
        let shared = k % 2 == 0;
        all.push((
            format!("Module paginé {k:02}"),
            module(
                &app,
                n.ales_admin,
                n.ales_school,
                &format!("Module paginé {k:02}"),
                shared,
            )
            .await,
            shared,
        ));
    }
    // An unrelated one, not found by the search.
    module(&app, n.ales_admin, n.ales_school, "Autre chose", true).await;
    let visible: Vec<Uuid> = all.iter().filter(|(_, _, s)| *s).map(|(_, id, _)| *id).collect();
    assert_eq!(visible.len(), 23);

    let (page1, status) = listed(&app, &b, "q=pagine").await;
    assert!(status.contains("23 modules"), "{status}");
    assert_eq!(page1, visible[..20].to_vec(), "page 1 : ordre des intitulés");
    let res = app.get("/formations?q=pagine", Some(&b)).await;
    let text = res.text();
    assert!(
        text.contains("href=\"/formations?q=pagine&page=2\" rel=\"next\""),
        "lien vers la page 2"
    );
    assert!(!text.contains("rel=\"prev\""));
    assert!(text.contains("1 sur 2"));
    let (page2, _) = listed(&app, &b, "q=pagine&page=2").await;
    assert_eq!(page2, visible[20..].to_vec());
    let res = app.get("/formations?q=pagine&page=2", Some(&b)).await;
    let text = res.text();
    assert!(text.contains("href=\"/formations?q=pagine&page=1\" rel=\"prev\""));
    assert!(!text.contains("rel=\"next\""));
    assert!(text.contains("<title>Catalogue des formations — « pagine » — page 2"));
    for page in ["3", "10000", "99999999999"] {
        let (ids, status) = listed(&app, &b, &format!("q=pagine&page={page}")).await;
        assert!(ids.is_empty(), "page {page}");
        assert!(status.contains("23 modules"), "page {page} : {status}");
    }
    for page in ["0", "-1", "abc", ""] {
        let (ids, _) = listed(&app, &b, &format!("q=pagine&page={page}")).await;
        assert_eq!(ids, page1, "page={page}");
    }
    // Without a search: the whole visible catalogue, 24 modules.
    let (p1, status) = listed(&app, &b, "").await;
    let (p2, _) = listed(&app, &b, "page=2").await;
    assert!(status.contains("24 modules"), "{status}");
    assert_eq!(p1.len() + p2.len(), 24);
    // The school's people: all 46.
    let mine = app.session(n.ales_member).await;
    let mut seen = Vec::new();
    for page in 1..=3 {
        let (ids, status) = listed(&app, &mine, &format!("page={page}")).await;
        assert!(status.contains("46 modules"), "{status}");
        assert_eq!(ids.len(), if page < 3 { 20 } else { 6 }, "page {page}");
        seen.extend(ids);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 46, "un module sur deux pages, ou absent");

    // The API pages the same way.
    let res = app.api("/api/v1/formations?q=pagine&page=2", Some(&token)).await;
    let j = res.json();
    assert_eq!(j["total"], 23);
    assert_eq!(j["page"], 2);
    assert_eq!(j["par_page"], 20);
    let ids: Vec<String> = j["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, visible[20..].iter().map(Uuid::to_string).collect::<Vec<_>>());
    for page in ["abc", "0", "-5"] {
        let res = app
            .api(&format!("/api/v1/formations?q=pagine&page={page}"), Some(&token))
            .await;
        assert_eq!(res.status, StatusCode::OK, "page={page}");
        assert_eq!(res.json()["page"], 1, "page={page}");
    }
}

/// The catalogue is « par ordre alphabétique » (the API says so): in French
/// order, where case and accents do not count — « Écoute active » between
/// « Animer » and « Management », not after « Zen » — on both databases.
#[tokio::test]
async fn modules_are_listed_in_french_alphabetical_order() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let b = app.session(n.ales_member).await;
    let titles = [
        "Zen au travail",
        "écoute active",
        "Élus et agents",
        "management",
        "Animer",
        "Œuvrer ensemble",
    ];
    let mut ids = std::collections::BTreeMap::new();
    for t in titles {
        ids.insert(module(&app, n.ales_admin, n.ales_school, t, false).await, t);
    }
    let (listed, _) = listed(&app, &b, "").await;
    let order: Vec<&str> = listed.iter().map(|id| ids[id]).collect();
    assert_eq!(
        order,
        [
            "Animer",
            "écoute active",
            "Élus et agents",
            "management",
            "Œuvrer ensemble",
            "Zen au travail"
        ],
        "ordre du catalogue"
    );
}

/// After a failed edit that emptied the title, the page still names the
/// module in its breadcrumb (a link must have a text).
#[tokio::test]
async fn a_failed_edit_keeps_the_module_named_in_the_breadcrumb() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let admin = app.session(n.ales_admin).await;
    let id = module(&app, n.ales_admin, n.ales_school, "Prise de poste", false).await;
    let mut f = ModuleForm::new(n.ales_school, "");
    f.duration_value = "0".into();
    let res = f.post(&app, &admin, &format!("/formations/{id}/modifier")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let empty_link = format!("<a href=\"/formations/{id}\"></a>");
    assert!(!res.body.contains(&empty_link), "lien vide dans le fil d'Ariane");
    assert!(
        res.body
            .contains(&format!("<a href=\"/formations/{id}\">Prise de poste</a>")),
        "le fil d'Ariane ne nomme plus le module"
    );
}

/// A school withdrawing a module it had taken, once the designing school no
/// longer shares it, is sent to a page it can see (not « Page introuvable »),
/// with the notice that the module was withdrawn.
#[tokio::test]
async fn withdrawing_an_unshared_module_lands_on_a_visible_page() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let ge_admin = app.session(n.ge_admin).await;
    let id = module(&app, n.ales_admin, n.ales_school, "Module repris", true).await;
    adopt(&app, n.ge_admin, id, n.ge_school).await;
    let mut f = ModuleForm::new(n.ales_school, "Module repris");
    f.shared = false;
    maillage_core::catalogue::update(&app.ctx, &app.actor(n.ales_admin).await, id, &f.input())
        .await
        .unwrap();
    let res = post(
        &app,
        &ge_admin,
        &format!("/formations/{id}/retirer"),
        &[("school", &n.ge_school.to_string())],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let next = app.get(res.location(), Some(&ge_admin)).await;
    assert_eq!(
        next.status,
        StatusCode::OK,
        "redirection vers {} : {}",
        res.location(),
        next.status
    );
    assert!(
        next.text()
            .contains("Le module a été retiré du catalogue de votre école.")
    );
}

/// Anonymous callers are sent to log in whatever they post to the
/// catalogue — also with a school or module that does not exist (the
/// answer must not depend on what exists).
#[tokio::test]
async fn anonymous_posts_are_sent_to_log_in() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let id = module(&app, n.ales_admin, n.ales_school, "Module", true).await;
    let unknown = Uuid::now_v7().to_string();
    let mut f = ModuleForm::new(n.ales_school, "Module");
    f.school = unknown.clone();
    let anonymous = Browser::default();
    let mut wrong = Vec::new();
    for (path, res) in [
        (
            "/formations (école inconnue)",
            f.post(&app, &anonymous, "/formations").await,
        ),
        (
            "/formations/{id}/retirer (école illisible)",
            post(
                &app,
                &anonymous,
                &format!("/formations/{id}/retirer"),
                &[("school", "x")],
            )
            .await,
        ),
        (
            "/formations/{id}/reprendre (école inconnue)",
            post(
                &app,
                &anonymous,
                &format!("/formations/{id}/reprendre"),
                &[("school", &unknown)],
            )
            .await,
        ),
    ] {
        if res.status != StatusCode::SEE_OTHER || !res.location().starts_with("/connexion?retour=") {
            wrong.push(format!("{path} : {} {}", res.status, res.location()));
        }
    }
    assert!(wrong.is_empty(), "pas envoyé à la connexion : {wrong:#?}");
}
