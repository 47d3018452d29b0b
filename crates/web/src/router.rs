//! Every route of the site and the layers around them. The list of page
//! routes is also exported ([`PAGES`]) so tests can check each one.

use std::time::Duration;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::StatusCode,
    middleware::from_fn_with_state,
    response::IntoResponse,
    routing::{get, post},
};
use tower_http::{
    catch_panic::CatchPanicLayer, csrf::CsrfLayer, limit::RequestBodyLimitLayer, timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::{
    AppState, api, auth,
    middleware::{error_pages, security_headers},
    pages::{account, admin, auth as login, catalogue, directory, home, import, info, organisations, sessions},
};

/// The GET pages of the site (paths with `{siren}` take a real SIREN in tests).
pub const PAGES: &[&str] = &[
    "/",
    "/connexion",
    "/deconnexion",
    "/mot-de-passe-oublie",
    "/mot-de-passe/nouveau",
    "/invitation",
    "/compte",
    "/organisations",
    "/organisations/{siren}",
    "/admin",
    "/admin/reseau",
    "/admin/organisations/nouvelle",
    "/admin/organisations/{siren}/adhesion",
    "/admin/personnes",
    "/admin/journal",
    "/admin/thematiques",
    "/admin/import",
    "/admin/import/{import}",
    "/annuaire",
    "/annuaire/export.csv",
    "/annuaire/{profile}",
    "/annuaire/{profile}/modifier",
    "/annuaire/{profile}/vcard",
    "/annuaire/{profile}/photo",
    "/profil",
    "/formations",
    "/formations/nouveau",
    "/formations/{module}",
    "/formations/{module}/modifier",
    "/formations/{module}/sessions/nouvelle",
    "/sessions/{session}",
    // École — paths (parcours)
    "/formations/parcours",
    "/formations/parcours/nouveau",
    "/formations/parcours/{path}",
    "/formations/parcours/{path}/modifier",
    "/formations/parcours/{path}/suivi",
    "/mon-parcours",
    // École — attendance and attestations
    "/sessions/{session}/demi-journees",
    "/sessions/{session}/emargement",
    "/sessions/{session}/emargement/{slot}",
    "/sessions/{session}/emargement/{slot}/feuille.pdf",
    "/sessions/{session}/attestations",
    "/sessions/{session}/attestations/{person}",
    "/sessions/{session}/attestation.pdf",
    "/attestations/verifier",
    "/attestations/{attestation}",
    // École — evaluations
    "/formations/questionnaires",
    "/formations/questionnaires/nouveau",
    "/formations/questionnaires/{template}",
    "/sessions/{session}/evaluations",
    "/evaluations/{evaluation}",
    "/mes-questionnaires",
    "/formations/{module}/evaluations",
    "/intervenants/{trainer}/evaluations",
    // École — agenda, trainers, cycles
    "/sessions/{session}/modifier",
    "/mes-validations",
    "/formations/cycles/{cycle}",
    "/formations/periodes-fermees",
    "/intervenants",
    "/intervenants/nouveau",
    "/intervenants/{trainer}",
    "/intervenants/{trainer}/modifier",
    "/mon-agenda",
    "/sessions/{session}/agenda.ics",
    "/agenda/{feed}",
    // École — statistics
    "/ecole/statistiques",
    "/ecole/statistiques.csv",
    // Projets — promotions and casting (pages/promotions.rs)
    "/promotions",
    "/promotions/nouvelle",
    "/promotions/{promotion}",
    "/promotions/{promotion}/modifier",
    "/promotions/{promotion}/membres",
    "/promotions/{promotion}/membres/{promotion_member}",
    "/promotions/{promotion}/voeux",
    "/promotions/{promotion}/groupes",
    // Projets — the bank (pages/projects.rs)
    "/projets",
    "/projets/export.csv",
    "/projets/proposer",
    "/projets/{project}",
    "/projets/{project}/modifier",
    "/projets/{project}/fiche",
    // Projets — a project's life (pages/project_life.rs)
    "/entraide",
    "/projets/{life_project}/actualites/nouvelle",
    "/projets/{life_project}/actualites/{life_update}/modifier",
    "/projets/{life_project}/indicateurs/nouveau",
    "/projets/{life_project}/indicateurs/{life_indicator}",
    "/projets/{life_project}/retours/nouveau",
    "/projets/{life_project}/commentaires/nouveau",
    "/projets/{life_project}/livrables/nouveau",
    "/projets/{life_project}/livrables/{life_attachment}",
    "/projets/{life_project}/entraide/nouvelle",
    "/projets/{life_project}/entraide/{life_request}",
    "/accessibilite",
    "/donnees-personnelles",
    "/plan-du-site",
];

pub fn router(state: AppState) -> Router {
    let settings = state.ctx.settings.clone();
    let pages = Router::new()
        .route("/", get(home::show))
        .route("/connexion", get(login::login_form).post(login::login))
        .route("/deconnexion", get(login::logout_form).post(login::logout))
        .route("/mot-de-passe-oublie", get(login::forgot_form).post(login::forgot))
        .route("/mot-de-passe/nouveau", get(login::reset_form).post(login::reset))
        .route(
            "/invitation",
            get(login::invitation_form).post(login::accept_invitation),
        )
        .route("/compte", get(account::show))
        .route("/compte/mot-de-passe", post(account::change_password))
        .route("/compte/jetons", post(account::create_token))
        .route("/compte/jetons/{id}/revoquer", post(account::revoke_token))
        .route("/organisations", get(organisations::list))
        .route("/organisations/{siren}", get(organisations::show))
        .route("/organisations/{siren}/invitations", post(organisations::invite))
        .route("/organisations/{siren}/roles", post(organisations::set_role))
        .route(
            "/organisations/{siren}/presentation",
            post(organisations::update_profile),
        )
        .route("/organisations/{siren}/ecoles", post(organisations::create_school))
        .route(
            "/organisations/{siren}/ecoles/{school}/organisations",
            post(organisations::attach_school),
        )
        .route("/admin", get(admin::index))
        .route("/admin/reseau", get(admin::network_form).post(admin::update_network))
        .route("/admin/organisations/nouvelle", get(admin::new_organisation))
        .route("/admin/organisations", post(admin::create_organisation))
        .route(
            "/admin/organisations/{siren}/adhesion",
            get(admin::membership_form).post(admin::set_membership),
        )
        .route("/admin/personnes", get(admin::people))
        .route("/admin/journal", get(admin::audit))
        .route("/annuaire", get(directory::search))
        .route("/annuaire/export.csv", get(directory::export_csv))
        .route("/annuaire/{id}", get(directory::show))
        .route("/annuaire/{id}/photo", get(directory::photo))
        .route("/annuaire/{id}/vcard", get(directory::vcard))
        .route(
            "/annuaire/{id}/modifier",
            get(directory::admin_edit_form).post(directory::admin_edit),
        )
        .route("/annuaire/{id}/supprimer", post(directory::remove))
        .route("/profil", get(directory::own_form).post(directory::own_update))
        .route("/profil/photo/supprimer", post(directory::own_photo_remove))
        .route(
            "/admin/thematiques",
            get(directory::themes_page).post(directory::theme_add),
        )
        .route("/admin/thematiques/suggerees", post(directory::theme_add_starter))
        .route("/admin/thematiques/{id}", post(directory::theme_rename))
        .route("/admin/thematiques/{id}/supprimer", post(directory::theme_remove))
        .route("/admin/import", get(import::upload_form))
        .route("/admin/import/{id}", get(import::preview))
        .route("/admin/import/{id}/colonnes", post(import::set_columns))
        .route("/admin/import/{id}/valider", post(import::commit))
        .route("/admin/import/{id}/abandonner", post(import::discard))
        .route("/formations", get(catalogue::list).post(catalogue::create))
        .route("/formations/nouveau", get(catalogue::new_form))
        .route("/formations/{id}", get(catalogue::show))
        .route(
            "/formations/{id}/modifier",
            get(catalogue::edit_form).post(catalogue::update),
        )
        .route("/formations/{id}/sessions/nouvelle", get(sessions::new_form))
        .route("/formations/{id}/sessions", post(sessions::create))
        .route("/sessions/{id}", get(sessions::show))
        .route("/sessions/{id}/inscription", post(sessions::enrol))
        .route("/sessions/{id}/annulation", post(sessions::cancel))
        .route("/formations/{id}/reprendre", post(catalogue::adopt))
        .route("/formations/{id}/retirer", post(catalogue::withdraw))
        // École — paths (parcours)
        .route(
            "/formations/parcours",
            get(crate::pages::paths::list).post(crate::pages::paths::create),
        )
        .route("/formations/parcours/nouveau", get(crate::pages::paths::new_form))
        .route("/formations/parcours/{id}", get(crate::pages::paths::show))
        .route(
            "/formations/parcours/{id}/modifier",
            get(crate::pages::paths::edit_form).post(crate::pages::paths::update),
        )
        .route("/formations/parcours/{id}/etapes", post(crate::pages::paths::add_step))
        .route(
            "/formations/parcours/{id}/etapes/{step}",
            post(crate::pages::paths::change_step),
        )
        .route("/formations/parcours/{id}/inscription", post(crate::pages::paths::join))
        .route("/formations/parcours/{id}/retrait", post(crate::pages::paths::leave))
        .route(
            "/formations/parcours/{id}/candidature",
            post(crate::pages::paths::apply),
        )
        .route("/formations/parcours/{id}/suivi", get(crate::pages::paths::tracking))
        .route(
            "/formations/parcours/{id}/candidatures/{user}",
            post(crate::pages::paths::decide),
        )
        .route("/mon-parcours", get(crate::pages::paths::mine))
        // École — attendance and attestations
        .route(
            "/sessions/{id}/demi-journees",
            get(crate::pages::attendance::slots).post(crate::pages::attendance::add_slot),
        )
        .route(
            "/sessions/{id}/demi-journees/{slot}/supprimer",
            post(crate::pages::attendance::remove_slot),
        )
        .route("/sessions/{id}/emargement", get(crate::pages::attendance::index))
        .route(
            "/sessions/{id}/emargement/{slot}",
            get(crate::pages::attendance::sheet).post(crate::pages::attendance::record),
        )
        .route(
            "/sessions/{id}/emargement/{slot}/feuille.pdf",
            get(crate::pages::attendance::sign_in_sheet),
        )
        .route("/sessions/{id}/attestations", get(crate::pages::attestations::list))
        .route(
            "/sessions/{id}/attestations/{person}",
            get(crate::pages::attestations::of_person),
        )
        .route("/sessions/{id}/attestation.pdf", get(crate::pages::attestations::own))
        .route("/attestations/verifier", get(crate::pages::attestations::verify_form))
        .route("/attestations/{code}", get(crate::pages::attestations::show))
        // École — evaluations
        .route(
            "/formations/questionnaires",
            get(crate::pages::evaluations::templates).post(crate::pages::evaluations::create_template),
        )
        .route(
            "/formations/questionnaires/nouveau",
            get(crate::pages::evaluations::new_template),
        )
        .route(
            "/formations/questionnaires/defaut",
            post(crate::pages::evaluations::create_default),
        )
        .route(
            "/formations/questionnaires/{id}",
            get(crate::pages::evaluations::template),
        )
        .route(
            "/formations/questionnaires/{id}/questions",
            post(crate::pages::evaluations::add_question),
        )
        .route(
            "/formations/questionnaires/{id}/questions/{question}",
            post(crate::pages::evaluations::edit_question),
        )
        .route(
            "/sessions/{id}/evaluations",
            get(crate::pages::evaluations::session).post(crate::pages::evaluations::open),
        )
        .route(
            "/evaluations/{id}",
            get(crate::pages::evaluations::questionnaire).post(crate::pages::evaluations::answer),
        )
        .route("/mes-questionnaires", get(crate::pages::evaluations::pending))
        .route("/formations/{id}/evaluations", get(crate::pages::evaluations::module))
        .route(
            "/intervenants/{id}/evaluations",
            get(crate::pages::evaluations::trainer),
        )
        // École — agenda, trainers, cycles
        .route(
            "/sessions/{id}/modifier",
            get(sessions::edit_form).post(sessions::update),
        )
        .route("/sessions/{id}/annuler-session", post(sessions::cancel_session))
        .route("/sessions/{id}/inscrire", post(sessions::enrol_person))
        .route(
            "/sessions/{id}/participants/{user}/annuler",
            post(sessions::cancel_person),
        )
        .route("/sessions/{id}/invites", post(sessions::add_guest))
        .route("/sessions/{id}/invites/{guest}/supprimer", post(sessions::remove_guest))
        .route("/mes-validations", get(crate::pages::cycles::approvals))
        .route("/mes-validations/{id}", post(crate::pages::cycles::decide))
        .route(
            "/formations/cycles/{id}",
            get(crate::pages::cycles::show).post(crate::pages::cycles::update),
        )
        .route(
            "/formations/periodes-fermees",
            get(crate::pages::cycles::closed_list).post(crate::pages::cycles::closed_add),
        )
        .route(
            "/formations/periodes-fermees/{id}/supprimer",
            post(crate::pages::cycles::closed_remove),
        )
        .route(
            "/intervenants",
            get(crate::pages::trainers::list).post(crate::pages::trainers::create),
        )
        .route("/intervenants/nouveau", get(crate::pages::trainers::new_form))
        .route("/intervenants/{id}", get(crate::pages::trainers::show))
        .route(
            "/intervenants/{id}/modifier",
            get(crate::pages::trainers::edit_form).post(crate::pages::trainers::update),
        )
        .route("/intervenants/{id}/partage", post(crate::pages::trainers::share))
        .route("/intervenants/{id}/modules", post(crate::pages::trainers::link_module))
        .route(
            "/intervenants/{id}/modules/{module}/retirer",
            post(crate::pages::trainers::unlink_module),
        )
        .route("/mon-agenda", get(crate::pages::agenda::mine))
        .route("/mon-agenda/lien", post(crate::pages::agenda::create_feed))
        .route("/mon-agenda/lien/supprimer", post(crate::pages::agenda::delete_feed))
        .route("/sessions/{id}/agenda.ics", get(crate::pages::agenda::session_ics))
        // `/agenda/{token}.ics`: one segment, `.ics` checked by the handler.
        .route("/agenda/{file}", get(crate::pages::agenda::feed))
        // École — statistics
        .route("/ecole/statistiques", get(crate::pages::statistics::show))
        .route("/ecole/statistiques.csv", get(crate::pages::statistics::export_csv))
        .route("/accessibilite", get(info::accessibility))
        .route("/donnees-personnelles", get(info::privacy))
        .route("/plan-du-site", get(info::sitemap))
        .route("/static/maillage.css", get(info::css))
        .route("/static/favicon.svg", get(info::favicon))
        .route("/health", get(info::health))
        // Projets: each module lists its own routes
        .merge(crate::pages::promotions::routes())
        .merge(crate::pages::projects::routes())
        .merge(crate::pages::project_life::routes());
    let api = Router::new()
        .route("/api/openapi.json", get(api::openapi_json))
        .route("/api/v1/organisations", get(api::organisations::list))
        .route("/api/v1/organisations/{siren}", get(api::organisations::show))
        .route(
            "/api/v1/organisations/{siren}/personnes",
            get(api::organisations::people),
        )
        .route("/api/v1/annuaire", get(api::directory::search))
        .route("/api/v1/annuaire/{id}", get(api::directory::show))
        .route("/api/v1/formations", get(api::catalogue::search))
        .route("/api/v1/formations/{id}", get(api::catalogue::show))
        // École — API: paths
        .route("/api/v1/parcours", get(api::paths::list))
        .route("/api/v1/parcours/{id}", get(api::paths::show))
        .route("/api/v1/moi/parcours", get(api::paths::mine))
        // École — API: sessions and enrolments
        .route("/api/v1/sessions", get(api::sessions::list))
        .route("/api/v1/sessions/{id}", get(api::sessions::show))
        .route("/api/v1/sessions/{id}/inscriptions", get(api::sessions::roster))
        .route("/api/v1/sessions/{id}/inscription", post(api::sessions::enrol))
        .route("/api/v1/moi/inscriptions", get(api::sessions::mine))
        .route("/api/v1/intervenants", get(api::sessions::trainers))
        // École — API: attendance
        .route("/api/v1/sessions/{id}/emargement", get(api::attendance::register))
        // École — API: evaluations
        .route("/api/v1/sessions/{id}/evaluations", get(api::evaluations::session))
        .route("/api/v1/moi", get(api::me::show))
        // Projets — API: each module lists its own routes
        .merge(api::promotions::routes())
        .merge(api::projects::routes());

    // File uploads (agents lists, photos) get a larger body limit than the
    // rest of the site; their handlers then apply each file's own limit.
    let uploads = Router::new()
        .route("/admin/import", post(import::upload))
        .route("/profil/photo", post(directory::own_photo))
        .merge(crate::pages::project_life::upload_routes())
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(settings.max_upload_bytes));

    // Innermost first: bound the body, resolve the caller, refuse cross-site
    // writes (CSRF), bound the time, turn panics into a bare 500; then render
    // every error of those layers and of the handlers (French page or JSON),
    // add the security headers, trace.
    pages
        .merge(api)
        .layer(RequestBodyLimitLayer::new(settings.max_body_bytes))
        .merge(uploads)
        .fallback(|| async { StatusCode::NOT_FOUND })
        .layer(from_fn_with_state(state.clone(), auth::resolve_actor))
        .layer(CsrfLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(settings.request_timeout_secs),
        ))
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("panique pendant le traitement d'une requête");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }))
        .layer(from_fn_with_state(state.clone(), error_pages))
        .layer(from_fn_with_state(state.clone(), security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
