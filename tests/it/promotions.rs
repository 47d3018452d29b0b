//! Promotions: a school creates a promotion (bad dates refused in French,
//! nothing written), adds members from the directory (one by one, or by
//! pasting addresses: all or nothing), enters their casting data (a
//! temperament only with consent), members state their project wishes; the
//! casting of project groups through the page (groups saved, report shown,
//! the seed reproduces the groups, a manual move re-evaluates the report and
//! a move next to one's manager is reported as broken, an impossible casting
//! is 422 with the rule explained); the casting data never leaks to a
//! member or another organisation (page and API); another school's
//! promotion is hidden; alumni on a profile per `alumni_vis`.
//!
//! Each test builds its own small network (`catalogue::net`).

use axum::http::{Method, StatusCode};
use uuid::Uuid;

use crate::{
    catalogue::{Net, net},
    harness::{Browser, TestApp},
};

async fn scalar(app: &TestApp, sql: &'static str, id: Uuid) -> i64 {
    let mut c = app.ctx.db.conn().await.unwrap();
    c.ex().fetch_scalar(maillage_db::query(sql).bind(id)).await.unwrap()
}

async fn count_promotions(app: &TestApp) -> i64 {
    let mut c = app.ctx.db.conn().await.unwrap();
    c.ex()
        .fetch_scalar(maillage_db::query("SELECT COUNT(*) FROM promotions"))
        .await
        .unwrap()
}

fn id_from(location: &str, prefix: &str) -> Uuid {
    let rest = location.strip_prefix(prefix).unwrap_or_else(|| panic!("{location}"));
    Uuid::parse_str(&rest[..36]).unwrap()
}

/// A promotion of Alès's school created through the page; returns its id.
async fn promotion(app: &TestApp, admin: &mut Browser, name: &str, starts: &str, ends: &str, school: Uuid) -> Uuid {
    let res = app
        .submit(
            "/promotions",
            admin,
            &[
                ("school", &school.to_string()),
                ("name", name),
                ("path", ""),
                ("starts_on", starts),
                ("ends_on", ends),
                ("description", "Une promotion de test."),
                ("temperaments", "Meneur\nAnalytique\nCréatif"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    id_from(res.location(), "/promotions/")
}

/// `n` people of Alès (alternately women and men), members of `promo`,
/// with casting data; returns their profiles in that order.
async fn members(app: &TestApp, admin: &mut Browser, promo: Uuid, n: usize, tag: &str) -> Vec<Uuid> {
    let mut out = Vec::new();
    for i in 0..n {
        let user = app
            .person(
                &format!("{tag}{i}@ales.fr"),
                &format!("Personne {tag} {i}"),
                "member",
                Some(crate::harness::ALES),
            )
            .await;
        let profile = app.profile_of(user).await;
        let res = app
            .submit(
                &format!("/promotions/{promo}/membres"),
                admin,
                &[("person", &profile.to_string()), ("q", "")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let year = (1970 + (i * 3) % 25).to_string();
        let seniority = ((i * 2) % 15).to_string();
        let res = app
            .submit(
                &format!("/promotions/{promo}/membres/{profile}"),
                admin,
                &[
                    ("gender", if i % 2 == 0 { "F" } else { "H" }),
                    ("birth_year", &year),
                    ("seniority_years", &seniority),
                    ("temperament", ""),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        out.push(profile);
    }
    out
}

async fn browsers(app: &TestApp, n: &Net) -> (Browser, Browser, Browser, Browser) {
    (
        app.session(n.ales_admin).await,
        app.session(n.ales_member).await,
        app.session(n.ge_admin).await,
        app.session(n.ge_member).await,
    )
}

#[tokio::test]
async fn a_school_creates_a_promotion_and_its_members() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let (mut admin, mut member, _, _) = browsers(&app, &n).await;

    // Bad dates: French errors, nothing written.
    let school = n.ales_school.to_string();
    let res = app
        .submit(
            "/promotions",
            &mut admin,
            &[
                ("school", &school),
                ("name", "Promotion 2026"),
                ("starts_on", "2026-06-01"),
                ("ends_on", "2026-01-15"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body
            .contains("La date de fin doit être le même jour que la date de début ou après")
    );
    assert!(res.body.contains("aria-invalid=\"true\""));
    assert!(
        res.body.contains("value=\"Promotion 2026\""),
        "le formulaire garde la saisie"
    );
    let res = app
        .submit(
            "/promotions",
            &mut admin,
            &[
                ("school", &school),
                ("name", ""),
                ("starts_on", "pas une date"),
                ("ends_on", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Saisissez le nom de la promotion"));
    assert!(res.body.contains("Saisissez une date valide"));
    assert_eq!(count_promotions(&app).await, 0);
    // A member of the school's organisation may not create one.
    let res = app
        .submit(
            "/promotions",
            &mut member,
            &[
                ("school", &school),
                ("name", "X"),
                ("starts_on", "2026-01-01"),
                ("ends_on", "2026-02-01"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    let promo = promotion(
        &app,
        &mut admin,
        "Promotion 2026",
        "2026-01-15",
        "2026-11-30",
        n.ales_school,
    )
    .await;
    assert_eq!(count_promotions(&app).await, 1);
    // Editing with bad dates changes nothing.
    let res = app
        .submit(
            &format!("/promotions/{promo}/modifier"),
            &mut admin,
            &[
                ("name", "Renommée"),
                ("starts_on", "2026-12-01"),
                ("ends_on", "2026-11-30"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = app.get(&format!("/promotions/{promo}"), Some(&admin)).await;
    assert!(res.body.contains("Promotion 2026") && !res.body.contains("Renommée"));

    // Members: from the directory search, then by pasting addresses.
    let res = app
        .get(&format!("/promotions/{promo}/membres?q=agent"), Some(&admin))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("Agent Alès"), "{}", res.body);
    let agent = app.profile_of(n.ales_member).await;
    let res = app
        .submit(
            &format!("/promotions/{promo}/membres"),
            &mut admin,
            &[("person", &agent.to_string())],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let res = app
        .submit(
            &format!("/promotions/{promo}/membres"),
            &mut admin,
            &[("person", &agent.to_string())],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("déjà partie de la promotion"));
    let other = app
        .person("autre@ales.fr", "Autre Personne", "member", Some(crate::harness::ALES))
        .await;
    let res = app
        .submit(
            &format!("/promotions/{promo}/membres/courriels"),
            &mut admin,
            &[("emails", "autre@ales.fr\ninconnu@ales.fr")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("inconnu@ales.fr") && res.body.contains("personne n’a été ajouté"));
    let count = "SELECT COUNT(*) FROM promotion_members WHERE promotion_id = $1";
    assert_eq!(scalar(&app, count, promo).await, 1);
    let res = app
        .submit(
            &format!("/promotions/{promo}/membres/courriels"),
            &mut admin,
            &[("emails", "Autre@ales.fr; agent@ales.fr")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(scalar(&app, count, promo).await, 2);

    // Casting data: a temperament only with consent.
    let other_profile = app.profile_of(other).await;
    let data = |consent: bool| {
        let mut v = vec![
            ("gender", "F"),
            ("birth_year", "1979"),
            ("seniority_years", "8"),
            ("temperament", "Meneur"),
        ];
        if consent {
            v.push(("consent", "oui"));
        }
        v
    };
    let url = format!("/promotions/{promo}/membres/{other_profile}");
    let res = app.submit(&url, &mut admin, &data(false)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("qu’avec l’accord de la personne"));
    let birth = "SELECT COALESCE(birth_year, 0) FROM promotion_members WHERE profile_id = $1";
    assert_eq!(scalar(&app, birth, other_profile).await, 0, "rien n'est enregistré");
    let res = app
        .submit(&url, &mut admin, &[("birth_year", "1890"), ("seniority_years", "x")])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("L’année de naissance doit être comprise entre"));
    let res = app.submit(&url, &mut admin, &data(true)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(scalar(&app, birth, other_profile).await, 1979);
    let consent = "SELECT COUNT(*) FROM promotion_members WHERE profile_id = $1 AND temperament = 'Meneur' AND temperament_consent_at IS NOT NULL";
    assert_eq!(scalar(&app, consent, other_profile).await, 1);
    // Saved again with the same temperament: the recorded consent stands
    // (the box, never pre-ticked, is for a new temperament).
    let form = app.get(&url, Some(&admin)).await;
    assert!(
        !form
            .body
            .contains("value=\"oui\" aria-describedby=\"consent-hint\" checked")
    );
    let mut again = data(false);
    again[2] = ("seniority_years", "9");
    let res = app.submit(&url, &mut admin, &again).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(scalar(&app, consent, other_profile).await, 1);
    // Another temperament without the box: refused.
    let mut other_one = data(false);
    other_one[3] = ("temperament", "Analytique");
    let res = app.submit(&url, &mut admin, &other_one).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(scalar(&app, consent, other_profile).await, 1);
    // The member may not see anyone's casting form.
    let res = app.get(&url, Some(&member)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // Wishes: among the promotion's retained projects, at most once each.
    let projects = retained_projects(&app, &n, promo, 2).await;
    let wishes = format!("/promotions/{promo}/voeux");
    let res = app.get(&wishes, Some(&member)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("Projet retenu 1"));
    let (a, b) = (projects[0].to_string(), projects[1].to_string());
    let res = app
        .submit(&wishes, &mut member, &[("wish1", &a), ("wish2", &a), ("wish3", "")])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("déjà choisi à un rang précédent"));
    // The error is filed under the second wish, the one to change.
    assert!(res.body.contains("href=\"#wish2\""), "{}", res.body);
    assert!(
        res.body
            .contains("id=\"wish2\" name=\"wish2\" aria-invalid=\"true\" aria-describedby=\"wish2-error\"")
    );
    assert!(!res.body.contains("id=\"wish1-error\""));
    let res = app
        .submit(&wishes, &mut member, &[("wish1", &b), ("wish2", &a), ("wish3", "")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let first = "SELECT rank FROM promotion_wishes WHERE project_id = $1";
    assert_eq!(scalar(&app, first, projects[1]).await, 1);
    // The school sees them on the casting page; the admin (not a member) has no wishes page.
    let res = app.get(&format!("/promotions/{promo}/groupes"), Some(&admin)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(app.get(&wishes, Some(&admin)).await.status, StatusCode::FORBIDDEN);

    // Removing a member.
    let res = app
        .submit(
            &format!("/promotions/{promo}/membres/{other_profile}/retirer"),
            &mut admin,
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(scalar(&app, count, promo).await, 1);

    // The list and its filters.
    let res = app.get("/promotions?annee=2026", Some(&member)).await;
    assert!(res.body.contains("Promotion 2026"));
    let res = app.get("/promotions?annee=2019", Some(&member)).await;
    assert!(!res.body.contains("Promotion 2026"));
    // The API: a year outside the platform's is a year without promotions
    // (PostgreSQL refuses dates before 4713 BC: found by the API fuzzing).
    let token = app.token(n.ales_member).await;
    let res = app.api("/api/v1/promotions?annee=2026", Some(&token)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("Promotion 2026"));
    for year in ["-8690", "0", "99999"] {
        let res = app.api(&format!("/api/v1/promotions?annee={year}"), Some(&token)).await;
        assert_eq!(res.status, StatusCode::OK, "{year}: {}", res.body);
        assert_eq!(res.json(), serde_json::json!([]), "{year}");
    }
}

/// `n` projects retained for the promotion, as the bank would store them.
async fn retained_projects(app: &TestApp, n: &Net, promo: Uuid, count: usize) -> Vec<Uuid> {
    let ales_org = {
        let mut c = app.ctx.db.conn().await.unwrap();
        maillage_db::schools::organisation_ids(c.ex(), n.ales_school)
            .await
            .unwrap()[0]
    };
    let mut tx = app.ctx.db.begin().await.unwrap();
    let mut out = Vec::new();
    for i in 1..=count {
        let id = Uuid::now_v7();
        let title = format!("Projet retenu {i}");
        tx.ex()
            .execute(
                maillage_db::query(
                    "INSERT INTO projects (id, school_id, promotion_id, title, title_sort, sponsor_organisation_id, \
                     status, visibility, year, search_terms, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, 'retenu', 'organisation', 2026, '', $7, $7)",
                )
                .bind(id)
                .bind(n.ales_school)
                .bind(promo)
                .bind(title.as_str())
                .bind(title.to_lowercase())
                .bind(ales_org)
                .bind(maillage_db::now()),
            )
            .await
            .unwrap();
        out.push(id);
    }
    tx.commit().await.unwrap();
    out
}

async fn groups_of(app: &TestApp, promo: Uuid, people: &[Uuid]) -> Vec<i64> {
    let mut out = Vec::new();
    for p in people {
        let mut c = app.ctx.db.conn().await.unwrap();
        out.push(
            c.ex()
                .fetch_scalar(
                    maillage_db::query(
                        "SELECT COALESCE(group_no, 0) FROM promotion_members WHERE promotion_id = $1 AND profile_id = $2",
                    )
                    .bind(promo)
                    .bind(*p),
                )
                .await
                .unwrap(),
        );
    }
    out
}

#[tokio::test]
async fn casting_through_the_page() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let (mut admin, member, _, _) = browsers(&app, &n).await;
    let promo = promotion(
        &app,
        &mut admin,
        "Promotion casting",
        "2026-01-15",
        "2026-11-30",
        n.ales_school,
    )
    .await;
    let people = members(&app, &mut admin, promo, 12, "c").await;
    // people[1] is people[0]'s line manager (as the directory says).
    {
        let mut tx = app.ctx.db.begin().await.unwrap();
        tx.ex()
            .execute(
                maillage_db::query("UPDATE profiles SET manager_id = $2 WHERE id = $1")
                    .bind(people[0])
                    .bind(people[1]),
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let url = format!("/promotions/{promo}/groupes");
    let res = app.get(&url, Some(&admin)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("id=\"seed\""), "la graine est proposée");
    // Not for a member of the organisation (403), hidden from Grand Est (404).
    assert_eq!(app.get(&url, Some(&member)).await.status, StatusCode::FORBIDDEN);
    let ge = app.session(n.ge_admin).await;
    assert_eq!(app.get(&url, Some(&ge)).await.status, StatusCode::NOT_FOUND);

    let run = [("groups", "3"), ("min_size", ""), ("max_size", ""), ("seed", "42")];
    let res = app.submit(&url, &mut admin, &run).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let first = groups_of(&app, promo, &people).await;
    assert!(first.iter().all(|g| (1..=3).contains(g)), "{first:?}");
    for g in 1..=3 {
        assert_eq!(first.iter().filter(|x| **x == g).count(), 4, "{first:?}");
    }
    assert_ne!(first[0], first[1], "jamais avec sa ou son responsable");
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM promotion_groups WHERE promotion_id = $1",
            promo
        )
        .await,
        3
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT seed FROM promotion_castings WHERE promotion_id = $1",
            promo
        )
        .await,
        42
    );
    let res = app.get(&url, Some(&admin)).await;
    assert!(
        res.body.contains("Rapport") && res.body.contains("Règles respectées"),
        "{}",
        res.body
    );
    assert!(res.body.contains("graine <strong>42</strong>"));
    assert!(res.body.contains("respecté") && res.body.contains("Genre"));

    // The same seed gives the same groups.
    let res = app.submit(&url, &mut admin, &run).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(groups_of(&app, promo, &people).await, first);

    // A move by hand putting someone with their manager: allowed, reported.
    let target = first[1].to_string();
    let res = app
        .submit(
            &format!("{url}/deplacer"),
            &mut admin,
            &[("person", &people[0].to_string()), ("group", &target)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(groups_of(&app, promo, &people[..1]).await, vec![first[1]]);
    assert_eq!(
        scalar(
            &app,
            "SELECT moves FROM promotion_castings WHERE promotion_id = $1",
            promo
        )
        .await,
        1
    );
    let res = app.get(&url, Some(&admin)).await;
    assert!(res.body.contains("Règles non respectées"), "{}", res.body);
    assert!(res.body.contains("Jamais avec sa ou son responsable"));
    assert!(res.body.contains("1 déplacement(s) à la main"));
    // The API gives the same report to the school.
    let token = app.token(n.ales_admin).await;
    let api = app
        .api(&format!("/api/v1/promotions/{promo}/groupes"), Some(&token))
        .await;
    assert_eq!(api.status, StatusCode::OK);
    let json = api.json();
    assert_eq!(json["graine"], 42);
    assert_eq!(json["rapport"]["hard_rules_met"], false);
    assert_eq!(json["groupes"].as_array().unwrap().len(), 3);

    // More groups than members: 422, the rule explained, nothing changed.
    let res = app.submit(&url, &mut admin, &[("groups", "20"), ("seed", "7")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Règle « "), "{}", res.body);
    assert!(res.body.contains("value=\"20\""), "le formulaire est gardé");
    assert_eq!(
        scalar(
            &app,
            "SELECT seed FROM promotion_castings WHERE promotion_id = $1",
            promo
        )
        .await,
        42
    );
    // The same through the API (JSON).
    let res = app
        .request(
            Method::POST,
            &format!("/api/v1/promotions/{promo}/casting"),
            None,
            None,
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let auth = format!("Bearer {token}");
    let res = app
        .request_bytes(
            Method::POST,
            &format!("/api/v1/promotions/{promo}/casting"),
            None,
            Some(("application/json".into(), br#"{"groupes": 20, "graine": 3}"#.to_vec())),
            &[("authorization", &auth)],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("Règle"));
    let res = app
        .request_bytes(
            Method::POST,
            &format!("/api/v1/promotions/{promo}/casting"),
            None,
            Some(("application/json".into(), br#"{"groupes": 2, "graine": 42}"#.to_vec())),
            &[("authorization", &auth)],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["groupes"].as_array().unwrap().len(), 2);

    // A project per group, then the project teams.
    let projects = retained_projects(&app, &n, promo, 2).await;
    for (g, p) in projects.iter().enumerate() {
        let res = app
            .submit(
                &format!("{url}/{}/projet", g + 1),
                &mut admin,
                &[("project", &p.to_string())],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
    }
    let res = app.submit(&format!("{url}/equipes"), &mut admin, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let team = "SELECT COUNT(*) FROM project_members WHERE project_id = $1";
    assert_eq!(
        scalar(&app, team, projects[0]).await + scalar(&app, team, projects[1]).await,
        12
    );
}

async fn write(app: &TestApp, q: maillage_db::query::Query) {
    let mut tx = app.ctx.db.begin().await.unwrap();
    tx.ex().execute(q).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_seed_above_i64_max_round_trips() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let (mut admin, _, _, _) = browsers(&app, &n).await;
    let promo = promotion(
        &app,
        &mut admin,
        "Promotion graine",
        "2026-01-15",
        "2026-11-30",
        n.ales_school,
    )
    .await;
    let people = members(&app, &mut admin, promo, 8, "s").await;
    let url = format!("/promotions/{promo}/groupes");
    let big: u64 = u64::MAX - 58;
    let seed = big.to_string();
    let run = [
        ("groups", "2"),
        ("min_size", ""),
        ("max_size", ""),
        ("seed", seed.as_str()),
    ];
    let res = app.submit(&url, &mut admin, &run).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let first = groups_of(&app, promo, &people).await;
    // Stored bit for bit in the signed column, shown and answered as typed.
    let stored = scalar(
        &app,
        "SELECT seed FROM promotion_castings WHERE promotion_id = $1",
        promo,
    )
    .await;
    assert_eq!(stored as u64, big);
    let page = app.get(&url, Some(&admin)).await;
    assert!(
        page.body.contains(&format!("graine <strong>{big}</strong>")),
        "{}",
        page.body
    );
    let token = app.token(n.ales_admin).await;
    let api = app
        .api(&format!("/api/v1/promotions/{promo}/groupes"), Some(&token))
        .await;
    assert_eq!(api.json()["graine"], big);
    // Another seed moves people; the big one gives the same groups again,
    // through the page and through the API (JSON number above i64::MAX).
    let other = [("groups", "2"), ("min_size", ""), ("max_size", ""), ("seed", "7")];
    assert_eq!(app.submit(&url, &mut admin, &other).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.submit(&url, &mut admin, &run).await.status, StatusCode::SEE_OTHER);
    assert_eq!(groups_of(&app, promo, &people).await, first);
    let auth = format!("Bearer {token}");
    let res = app
        .request_bytes(
            Method::POST,
            &format!("/api/v1/promotions/{promo}/casting"),
            None,
            Some((
                "application/json".into(),
                format!(r#"{{"groupes": 2, "graine": {big}}}"#).into_bytes(),
            )),
            &[("authorization", &auth)],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["graine"], big);
    assert_eq!(groups_of(&app, promo, &people).await, first);
    // Beyond u64: a French error, nothing changed.
    let res = app
        .submit(&url, &mut admin, &[("groups", "2"), ("seed", "18446744073709551616")])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Saisissez la graine en chiffres"));
    assert_eq!(
        scalar(
            &app,
            "SELECT seed FROM promotion_castings WHERE promotion_id = $1",
            promo
        )
        .await,
        stored
    );
    // Group sizes beyond the promotion: refused in French.
    let res = app
        .submit(&url, &mut admin, &[("groups", "2"), ("min_size", "9"), ("seed", "1")])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("dépasse le nombre de membres de la promotion (8)"));
}

#[tokio::test]
async fn a_casting_computed_on_stale_data_is_not_saved() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let (mut admin, _, _, _) = browsers(&app, &n).await;
    let promo = promotion(
        &app,
        &mut admin,
        "Promotion mouvante",
        "2026-01-15",
        "2026-11-30",
        n.ales_school,
    )
    .await;
    let people = members(&app, &mut admin, promo, 8, "m").await;
    let actor = app.actor(n.ales_admin).await;
    let input = maillage_core::promotions::groups::RunInput {
        groups: "2".into(),
        seed: "11".into(),
        ..Default::default()
    };
    let computed = maillage_core::promotions::groups::compute(&app.ctx, &actor, promo, &input)
        .await
        .unwrap();
    // Between the computation and the save, the school corrects a birth year.
    let res = app
        .submit(
            &format!("/promotions/{promo}/membres/{}", people[0]),
            &mut admin,
            &[("gender", "F"), ("birth_year", "1990"), ("seniority_years", "2")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let err = maillage_core::promotions::groups::save(&app.ctx, &actor, promo, &computed)
        .await
        .unwrap_err();
    match err {
        maillage_core::CoreError::Conflict(m) => {
            assert_eq!(m, "La promotion a changé pendant le calcul : relancez le casting.")
        }
        other => panic!("{other:?}"),
    }
    let castings = "SELECT COUNT(*) FROM promotion_castings WHERE promotion_id = $1";
    assert_eq!(scalar(&app, castings, promo).await, 0, "rien n'est enregistré");
    assert!(groups_of(&app, promo, &people).await.iter().all(|g| *g == 0));
    // Any write that moves the promotion (wishes, projects of the groups…) counts.
    let computed = maillage_core::promotions::groups::compute(&app.ctx, &actor, promo, &input)
        .await
        .unwrap();
    write(
        &app,
        maillage_db::query("UPDATE promotions SET updated_at = $2 WHERE id = $1")
            .bind(promo)
            .bind(maillage_db::now() + time::Duration::seconds(1)),
    )
    .await;
    assert!(
        maillage_core::promotions::groups::save(&app.ctx, &actor, promo, &computed)
            .await
            .is_err()
    );
    // Computed and saved on the same data: saved.
    let computed = maillage_core::promotions::groups::compute(&app.ctx, &actor, promo, &input)
        .await
        .unwrap();
    maillage_core::promotions::groups::save(&app.ctx, &actor, promo, &computed)
        .await
        .unwrap();
    assert_eq!(scalar(&app, castings, promo).await, 1);
}

#[tokio::test]
async fn teams_go_only_to_the_promotions_projects_the_school_may_edit() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let (mut admin, _, _, _) = browsers(&app, &n).await;
    let promo = promotion(
        &app,
        &mut admin,
        "Promotion équipes",
        "2026-01-15",
        "2026-11-30",
        n.ales_school,
    )
    .await;
    let people = members(&app, &mut admin, promo, 8, "e").await;
    let url = format!("/promotions/{promo}/groupes");
    let run = [("groups", "2"), ("min_size", ""), ("max_size", ""), ("seed", "5")];
    assert_eq!(app.submit(&url, &mut admin, &run).await.status, StatusCode::SEE_OTHER);
    let projects = retained_projects(&app, &n, promo, 2).await;

    // A refused project form: the summary reaches the group's select,
    // which says it is invalid.
    let res = app
        .submit(
            &format!("{url}/1/projet"),
            &mut admin,
            &[("project", &Uuid::now_v7().to_string())],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("href=\"#project-1\""), "{}", res.body);
    assert!(res.body.contains(
        "<select id=\"project-1\" name=\"project\" aria-invalid=\"true\" aria-describedby=\"project-1-error\""
    ));
    assert!(
        !res.body
            .contains("<select id=\"project-2\" name=\"project\" aria-invalid")
    );
    // A refused move: the same for the person's select.
    let res = app
        .submit(
            &format!("{url}/deplacer"),
            &mut admin,
            &[("person", &people[0].to_string()), ("group", "9")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let select = format!("id=\"move-{}\"", people[0]);
    assert!(
        res.body.contains(&format!("href=\"#move-{}\"", people[0])),
        "{}",
        res.body
    );
    assert!(res.body.contains(&format!(
        "<select {select} name=\"group\" aria-invalid=\"true\" aria-describedby=\"move-{}-error\"",
        people[0]
    )));

    for (g, p) in projects.iter().enumerate() {
        let res = app
            .submit(
                &format!("{url}/{}/projet", g + 1),
                &mut admin,
                &[("project", &p.to_string())],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
    }
    // Group 2's project was presented since: no longer one to staff.
    write(
        &app,
        maillage_db::query("UPDATE projects SET status = 'restitue' WHERE id = $1").bind(projects[1]),
    )
    .await;
    let res = app.submit(&format!("{url}/equipes"), &mut admin, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.location().contains("ignores=2"), "{}", res.location());
    let team = "SELECT COUNT(*) FROM project_members WHERE project_id = $1";
    assert_eq!(scalar(&app, team, projects[0]).await, 4);
    assert_eq!(scalar(&app, team, projects[1]).await, 0);
    let page = app.get(res.location(), Some(&admin)).await;
    assert!(page.body.contains("Groupe(s) 2 laissé(s) de côté"), "{}", page.body);

    // A project of the promotion carried by another school, visible to the
    // network: the promotion's managers may not change its team, so that
    // group is left aside and the others are staffed.
    let ge_org = {
        let mut c = app.ctx.db.conn().await.unwrap();
        maillage_db::schools::organisation_ids(c.ex(), n.ge_school)
            .await
            .unwrap()[0]
    };
    let foreign = Uuid::now_v7();
    write(
        &app,
        maillage_db::query(
            "INSERT INTO projects (id, school_id, promotion_id, title, title_sort, sponsor_organisation_id, \
             status, visibility, year, search_terms, created_at, updated_at) \
             VALUES ($1, $2, $3, 'Projet d’ailleurs', 'projet d’ailleurs', $4, 'retenu', 'reseau', 2026, '', $5, $5)",
        )
        .bind(foreign)
        .bind(n.ge_school)
        .bind(promo)
        .bind(ge_org)
        .bind(maillage_db::now()),
    )
    .await;
    write(
        &app,
        maillage_db::query("UPDATE promotion_groups SET project_id = $2 WHERE promotion_id = $1 AND group_no = 2")
            .bind(promo)
            .bind(foreign),
    )
    .await;
    let res = app.submit(&format!("{url}/equipes"), &mut admin, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.location().contains("ignores=2"), "{}", res.location());
    assert_eq!(scalar(&app, team, foreign).await, 0);
    assert_eq!(scalar(&app, team, projects[0]).await, 4);
    let page = app.get(res.location(), Some(&admin)).await;
    assert!(page.body.contains("relève d’une autre école"), "{}", page.body);
}

#[tokio::test]
async fn people_the_directory_hides_stay_hidden_on_the_promotion() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let (mut admin, member, _, ge_member) = browsers(&app, &n).await;
    let promo = promotion(
        &app,
        &mut admin,
        "Promotion discrète",
        "2026-01-15",
        "2026-11-30",
        n.ales_school,
    )
    .await;
    let people = members(&app, &mut admin, promo, 4, "d").await;
    // people[0] is listed for themselves and the administrators only;
    // people[1] for their organisation only.
    for (p, level) in [(people[0], 2), (people[1], 1)] {
        write(
            &app,
            maillage_db::query("UPDATE profiles SET listed = $2 WHERE id = $1")
                .bind(p)
                .bind(level),
        )
        .await;
    }
    let url = format!("/promotions/{promo}/groupes");
    let run = [("groups", "1"), ("min_size", ""), ("max_size", ""), ("seed", "3")];
    assert_eq!(app.submit(&url, &mut admin, &run).await.status, StatusCode::SEE_OTHER);
    // A member of Grand Est joins the promotion (network tier for Alès).
    let ge_profile = app.profile_of(n.ge_member).await;
    write(
        &app,
        maillage_db::query("INSERT INTO promotion_members (promotion_id, profile_id, added_at) VALUES ($1, $2, $3)")
            .bind(promo)
            .bind(ge_profile)
            .bind(maillage_db::now()),
    )
    .await;
    let page = format!("/promotions/{promo}");
    let link = |p: Uuid| format!("href=\"/annuaire/{p}\"");

    // The school's managers, who enrolled them, see every name.
    let res = app.get(&page, Some(&admin)).await;
    assert!(res.body.contains("Personne d 0") && res.body.contains("Personne d 1"));
    // A colleague of Alès: people[0] hidden (members table and groups),
    // people[1] shown.
    let res = app.get(&page, Some(&member)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(!res.body.contains("Personne d 0"), "{}", res.body);
    assert!(!res.body.contains(&link(people[0])));
    assert!(res.body.contains("Une personne de "));
    assert!(res.body.contains("Personne d 1") && res.body.contains(&link(people[1])));
    assert!(res.body.contains("Personne d 2") && res.body.contains(&link(people[2])));
    // Grand Est's member: both hidden.
    let res = app.get(&page, Some(&ge_member)).await;
    assert_eq!(res.status, StatusCode::OK);
    for hidden in &people[..2] {
        assert!(!res.body.contains(&link(*hidden)));
    }
    assert!(
        !res.body.contains("Personne d 0") && !res.body.contains("Personne d 1"),
        "{}",
        res.body
    );
    assert!(res.body.contains("Personne d 3"));

    // The API: the same names, no profile id for the hidden ones.
    let token = app.token(n.ales_member).await;
    let res = app.api(&format!("/api/v1/promotions/{promo}"), Some(&token)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        !res.body.contains("Personne d 0") && !res.body.contains(&people[0].to_string()),
        "{}",
        res.body
    );
    let json = res.json();
    let hidden: Vec<&serde_json::Value> = json["membres"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["fiche"].is_null())
        .collect();
    assert_eq!(hidden.len(), 1);
    assert!(hidden[0]["nom"].as_str().unwrap().starts_with("Une personne de "));
    let admin_token = app.token(n.ales_admin).await;
    let res = app
        .api(&format!("/api/v1/promotions/{promo}"), Some(&admin_token))
        .await;
    assert!(res.body.contains("Personne d 0") && res.body.contains(&people[0].to_string()));
}

#[tokio::test]
async fn casting_data_and_promotions_do_not_leak() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let (mut admin, member, ge_admin, ge_member) = browsers(&app, &n).await;
    let promo = promotion(
        &app,
        &mut admin,
        "Promotion privée",
        "2026-01-15",
        "2026-11-30",
        n.ales_school,
    )
    .await;
    let people = members(&app, &mut admin, promo, 2, "p").await;
    // The organisation's member joins the promotion too.
    let agent = app.profile_of(n.ales_member).await;
    let res = app
        .submit(
            &format!("/promotions/{promo}/membres"),
            &mut admin,
            &[("person", &agent.to_string())],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let page = format!("/promotions/{promo}");
    // The school's managers see the casting data; on the promotion's page
    // nobody does (born in 1970 and 1973 here).
    let admin_members = app.get(&format!("{page}/membres"), Some(&admin)).await;
    assert!(admin_members.body.contains("1973"));
    for b in [&admin, &member] {
        let res = app.get(&page, Some(b)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("Personne p 0"));
        assert!(!res.body.contains("1970") && !res.body.contains("1973"), "{}", res.body);
    }
    // Another organisation: 404 on the page, absent from the list.
    for b in [&ge_admin, &ge_member] {
        assert_eq!(app.get(&page, Some(b)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            app.get(&format!("{page}/groupes"), Some(b)).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get(&format!("{page}/membres/{}", people[0]), Some(b)).await.status,
            StatusCode::NOT_FOUND
        );
        let list = app.get("/promotions", Some(b)).await;
        assert!(!list.body.contains("Promotion privée"));
    }
    // The API: casting data for the school only; hidden from Grand Est.
    let admin_token = app.token(n.ales_admin).await;
    let member_token = app.token(n.ales_member).await;
    let ge_token = app.token(n.ge_admin).await;
    let res = app
        .api(&format!("/api/v1/promotions/{promo}"), Some(&admin_token))
        .await;
    let json = res.json();
    let first = json["membres"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["nom"] == "Personne p 0")
        .unwrap();
    assert_eq!(first["casting"]["annee_naissance"], 1970);
    let res = app
        .api(&format!("/api/v1/promotions/{promo}"), Some(&member_token))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        !res.body.contains("1970") && !res.body.contains("annee_naissance\":1"),
        "{}",
        res.body
    );
    assert!(
        res.json()["membres"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["casting"].is_null())
    );
    let res = app
        .api(&format!("/api/v1/promotions/{promo}/groupes"), Some(&member_token))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app.api(&format!("/api/v1/promotions/{promo}"), Some(&ge_token)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = app.api("/api/v1/promotions", Some(&ge_token)).await;
    assert_eq!(res.json().as_array().unwrap().len(), 0);
    let res = app.api("/api/v1/promotions", Some(&member_token)).await;
    assert_eq!(res.json().as_array().unwrap().len(), 1);
    // A member of another organisation added to the promotion sees it.
    let ge_profile = app.profile_of(n.ge_member).await;
    {
        let mut tx = app.ctx.db.begin().await.unwrap();
        maillage_db::promotions::add_member(tx.ex(), promo, ge_profile)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(app.get(&page, Some(&ge_member)).await.status, StatusCode::OK);
    assert_eq!(app.get(&page, Some(&ge_admin)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn alumni_show_on_a_profile_as_the_person_allows() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let (mut admin, _, ge_admin, _) = browsers(&app, &n).await;
    let last_year = maillage_db::now().date().year() - 1;
    let promo = promotion(
        &app,
        &mut admin,
        "Promotion des anciens",
        &format!("{last_year}-01-15"),
        &format!("{last_year}-11-30"),
        n.ales_school,
    )
    .await;
    let agent = app.profile_of(n.ales_member).await;
    let res = app
        .submit(
            &format!("/promotions/{promo}/membres"),
            &mut admin,
            &[("person", &agent.to_string())],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // Ended: the page says « anciens et anciennes ».
    let res = app.get(&format!("/promotions/{promo}"), Some(&admin)).await;
    assert!(res.body.contains("Anciens et anciennes de la promotion") && res.body.contains("terminée"));

    let profile = format!("/annuaire/{agent}");
    let me = app.session(n.ales_member).await;
    let section = "Ancienne ou ancien des promotions";
    // Default: the person and the administrators only.
    assert!(app.get(&profile, Some(&me)).await.body.contains(section));
    let res = app.get(&profile, Some(&ge_admin)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(!res.body.contains(section));
    // The person allows the network, on their own profile form.
    let mut me = me;
    let form_page = app.get("/profil", Some(&me)).await;
    assert!(form_page.body.contains("name=\"alumni_vis\""));
    let own = crate::directory::Own::new("Agent", "Alès");
    let mut pairs = own.pairs();
    pairs.push(("alumni_vis".into(), "reseau".into()));
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app.submit("/profil", &mut me, &refs).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(
        app.get(&profile, Some(&ge_admin))
            .await
            .body
            .contains("Promotion des anciens")
    );
    // Back to « organisation »: Grand Est no longer sees it.
    let mut pairs = own.pairs();
    pairs.push(("alumni_vis".into(), "organisation".into()));
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.submit("/profil", &mut me, &refs).await;
    assert!(!app.get(&profile, Some(&ge_admin)).await.body.contains(section));
}
