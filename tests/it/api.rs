//! The JSON API: OpenAPI document, organisations, personal tokens.

use axum::http::StatusCode;

use crate::harness::{ALES, PASSWORD, TestApp};

#[tokio::test]
async fn openapi_document_describes_the_api() {
    let app = TestApp::new().await;
    let r = app.api("/api/openapi.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{doc}");
    for path in [
        "/api/v1/organisations",
        "/api/v1/organisations/{siren}",
        "/api/v1/organisations/{siren}/personnes",
        "/api/v1/moi",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} absent");
    }
    assert_eq!(doc["components"]["securitySchemes"]["jeton"]["scheme"], "bearer");
}

#[tokio::test]
async fn organisations_as_json() {
    let app = TestApp::with_demo().await;
    let r = app.api("/api/v1/organisations?q=ales&par_page=10", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let j = r.json();
    assert!(j["total"].as_i64().unwrap() >= 1);
    assert!(
        j["organisations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["siren"] == ALES && o["type"] == "ca")
    );
    let one = app.api(&format!("/api/v1/organisations/{ALES}"), None).await.json();
    assert_eq!(one["nom"], "CA Alès Agglomération");
    assert!(!one["ecoles"].as_array().unwrap().is_empty());
    let missing = app.api("/api/v1/organisations/200066919", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["erreur"], "introuvable");
    let bad = app.api("/api/v1/organisations?page=x", None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.json()["message"].as_str().is_some());
}

#[tokio::test]
async fn personal_tokens_are_shown_once_hashed_at_rest_and_revocable() {
    let app = TestApp::with_demo().await;
    let anonymous = app.api("/api/v1/moi", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.json()["erreur"], "connexion-requise");

    let mut b = app.login("rh@demo.example", PASSWORD).await;
    let empty = app.submit("/compte/jetons", &mut b, &[("name", "")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let created = app
        .submit("/compte/jetons", &mut b, &[("name", "Tableau de bord RH")])
        .await;
    assert_eq!(created.status, StatusCode::OK);
    let start = created.body.find("mlg_").expect("jeton affiché");
    let token: String = created.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    assert!(token.len() > 40);
    // Shown once only.
    let later = app.visit("/compte", &mut b).await;
    assert!(!later.text().contains(&token));
    assert!(later.text().contains("Tableau de bord RH"));
    // Hashed at rest.
    let mut c = app.ctx.db.conn().await.unwrap();
    let stored: Vec<(String,)> = c
        .ex()
        .fetch_all(maillage_db::query("SELECT token_hash FROM api_tokens"))
        .await
        .unwrap();
    assert!(stored.iter().all(|(h,)| h != &token && h.len() == 64));
    drop(c);

    let me = app.api("/api/v1/moi", Some(&token)).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.json()["courriel"], "rh@demo.example");
    // Organisations are named by SIREN, as everywhere in the API.
    let roles = me.json()["roles"].as_array().unwrap().clone();
    assert!(
        roles.iter().any(|r| r["role"] == "hr" && r["organisation"] == ALES),
        "{roles:?}"
    );
    // Same permissions as the owner: HR sees their own organisation's people.
    let people = app
        .api(&format!("/api/v1/organisations/{ALES}/personnes"), Some(&token))
        .await;
    assert_eq!(people.status, StatusCode::OK);

    let id = {
        let mut c = app.ctx.db.conn().await.unwrap();
        let (id,): (uuid::Uuid,) = c
            .ex()
            .fetch_one(maillage_db::query("SELECT id FROM api_tokens"))
            .await
            .unwrap();
        id
    };
    let r = app.submit(&format!("/compte/jetons/{id}/revoquer"), &mut b, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = app.api("/api/v1/moi", Some(&token)).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.json()["erreur"], "jeton-invalide");

    // Someone else cannot revoke my token: 404.
    let mut other = app.login("agent@demo.example", PASSWORD).await;
    let r = app
        .submit(&format!("/compte/jetons/{id}/revoquer"), &mut other, &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// A token opens the API only (not the pages, which change state), and a
/// password reset revokes it: someone who had the old password may have
/// created it.
#[tokio::test]
async fn tokens_open_only_the_api_and_die_with_a_password_reset() {
    let app = TestApp::with_demo().await;
    let actor = {
        let mut c = app.ctx.db.conn().await.unwrap();
        let u = maillage_db::users::by_email(c.ex(), "rh@demo.example")
            .await
            .unwrap()
            .unwrap();
        maillage_core::accounts::load_actor(c.ex(), u.id).await.unwrap()
    };
    let token = maillage_core::api_tokens::create(&app.ctx, &actor, "outil")
        .await
        .unwrap();
    let bearer = format!("Bearer {token}");
    assert_eq!(app.api("/api/v1/moi", Some(&token)).await.status, StatusCode::OK);

    // On a page, the token is ignored: no new token minted with it.
    let r = app
        .request(
            axum::http::Method::POST,
            "/compte/jetons",
            None,
            Some("name=persistance".into()),
            &[("authorization", &bearer)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/connexion"), "{}", r.location());
    assert_eq!(
        maillage_core::api_tokens::list(&app.ctx, &actor).await.unwrap().len(),
        1
    );

    // A password reset revokes it.
    maillage_core::accounts::request_password_reset(&app.ctx, "rh@demo.example")
        .await
        .unwrap();
    let mails = app.mails().await;
    let path = crate::harness::link(&mails[0], "http://");
    let jeton = path.split("jeton=").nth(1).unwrap();
    maillage_core::accounts::reset_password(
        &app.ctx,
        jeton,
        "une toute nouvelle phrase",
        "une toute nouvelle phrase",
    )
    .await
    .unwrap();
    assert_eq!(
        app.api("/api/v1/moi", Some(&token)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // The sent mail's link is no longer stored in the job queue.
    let mut c = app.ctx.db.conn().await.unwrap();
    let (n,): (i64,) = c
        .ex()
        .fetch_one(maillage_db::query(
            "SELECT COUNT(*) FROM jobs WHERE payload LIKE '%jeton=%'",
        ))
        .await
        .unwrap();
    assert_eq!(n, 0);
}
