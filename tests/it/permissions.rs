//! Permissions: every route of the router × every kind of caller × own or
//! another organisation, against a literal table that spells out the policy
//! (`crates/core/src/policy.rs`); then the leaks the policy must prevent.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use maillage_core::Actor;
use uuid::Uuid;

use crate::harness::{ALES, Browser, GRAND_EST, PASSWORD, Part, Res, TestApp};

// ---------------------------------------------------------------------------
// The callers
// ---------------------------------------------------------------------------

/// The columns of the table, in this order.
const CALLERS: [&str; 7] = [
    "anonyme",
    "membre (Alès)",
    "intervenant (Alès)",
    "RH (Alès)",
    "admin (Alès)",
    "admin (Grand Est)",
    "animation",
];
/// The account of each column (`None`: anonymous).
const EMAILS: [Option<&str>; 7] = [
    None,
    Some("agent@demo.example"),
    Some("intervenant@demo.example"),
    Some("rh@demo.example"),
    Some("ecole@demo.example"),
    Some(OTHER_ADMIN),
    Some("animation@demo.example"),
];
const OTHER_ADMIN: &str = "admin-ge@ville.fr";
/// An account outside the table: owns the « foreign » API token, is the
/// target of password resets, and the one anonymous logs in as.
const THIRD_PARTY: &str = "tiers@ville.fr";
/// Whose password the reset links reset (a reset also revokes the person's
/// API tokens, so not the third party, whose token the table must find intact).
const RESET_TARGET: &str = "oubli@ville.fr";

// ---------------------------------------------------------------------------
// The expected outcomes
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum E {
    /// 200.
    Okay,
    /// 200, and the page shows the organisation's « Personnes et rôles ».
    People,
    /// 200, and the page does not show them.
    NoPeople,
    /// 303 somewhere else than the login page: the action was done.
    Done,
    /// 303 to `/connexion?retour=…`: log in first (pages).
    Login,
    /// 401 JSON (API without a valid token).
    Unauth,
    /// 403: logged in, knows the thing exists, may not do this.
    Deny,
    /// 404: must not learn the thing exists.
    Hide,
    /// 409: may do this, but not in this state (a module not shared with
    /// the network cannot be taken by another school, nor a school's own
    /// module by that school).
    Conflict,
}
use E::{Conflict, Deny, Done, Hide, Login, NoPeople, Okay, People, Unauth};

/// One line of the table. Placeholders in `path` and `body`, filled per cell:
/// `{ales}`, `{ge}` (SIRENs), `{third}` (a third member's SIREN),
/// `{ales_school}`, `{ge_school}`, `{ales_person}`, `{ge_person}` (ids),
/// `{email}` (the caller's address; anonymous: the third party's),
/// `{password}`, `{new_email}`, `{new_siren}` (a collectivité of the official
/// list not yet in the network), `{n}` (unique number), `{reset_token}`,
/// `{invitation_token}` (fresh single-use links), `{own_token}` (a fresh API
/// token of the caller), `{foreign_token}` (the third party's API token).
/// The catalogue: `{ales_module}`, `{ge_module}` (not shared, of Alès's and
/// Grand Est's schools), `{shared_module}` (Alès's, shared), `{taken_module}`
/// (Alès's, taken by Grand Est's school, then no longer shared);
/// `{adoptable}` (a fresh shared module of Alès), `{adopted}` (a fresh one
/// taken by Grand Est's school).
struct Row {
    method: &'static str,
    path: &'static str,
    body: &'static [(&'static str, &'static str)],
    /// anonyme, membre, intervenant, RH, admin (Alès), admin (Grand Est), animation.
    expect: [E; 7],
    /// The call ends the caller's session (login, logout): each cell runs
    /// from a session of its own.
    fresh: bool,
    /// The body is sent as `multipart/form-data` (file uploads): a value
    /// `{png}` is a PNG photo, `{csv}` an agents file.
    multipart: bool,
}

const fn get(path: &'static str, expect: [E; 7]) -> Row {
    Row {
        method: "GET",
        path,
        body: &[],
        expect,
        fresh: false,
        multipart: false,
    }
}
const fn post(path: &'static str, body: &'static [(&'static str, &'static str)], expect: [E; 7]) -> Row {
    Row {
        method: "POST",
        path,
        body,
        expect,
        fresh: false,
        multipart: false,
    }
}
const fn post_fresh(path: &'static str, body: &'static [(&'static str, &'static str)], expect: [E; 7]) -> Row {
    Row {
        method: "POST",
        path,
        body,
        expect,
        fresh: true,
        multipart: false,
    }
}
const fn upload(path: &'static str, body: &'static [(&'static str, &'static str)], expect: [E; 7]) -> Row {
    Row {
        method: "POST",
        path,
        body,
        expect,
        fresh: false,
        multipart: true,
    }
}

const ALL_OK: [E; 7] = [Okay; 7];
const ACCOUNT: [E; 7] = [Login, Okay, Okay, Okay, Okay, Okay, Okay];
const COORDINATOR_PAGE: [E; 7] = [Login, Deny, Deny, Deny, Deny, Deny, Okay];
const COORDINATOR_ACTION: [E; 7] = [Login, Deny, Deny, Deny, Deny, Deny, Done];
/// The organisation's administrators and the coordinator; hidden from the rest.
const ALES_ADMINS: [E; 7] = [Login, Hide, Hide, Hide, Okay, Hide, Okay];
const GE_ADMINS: [E; 7] = [Login, Hide, Hide, Hide, Hide, Okay, Okay];
const ALES_ADMINS_DO: [E; 7] = [Login, Hide, Hide, Hide, Done, Hide, Done];
const GE_ADMINS_DO: [E; 7] = [Login, Hide, Hide, Hide, Hide, Done, Done];
/// Everyone with an account (each has a directory profile).
const ACCOUNT_DO: [E; 7] = [Login, Done, Done, Done, Done, Done, Done];
/// The administrative fields of a profile, as its administrators edit them.
const ADMIN_FIELDS: &[(&str, &str)] = &[
    ("first_name", "Prénom"),
    ("last_name", "Nom {n}"),
    ("function_title", "Fonction {n}"),
    ("direction", "Direction"),
    ("service", ""),
    ("category", "A"),
    ("cadre", ""),
    ("email", ""),
    ("phone", "04 66 00 00 00"),
];
/// The person's whole form (`/profil`).
const OWN_FIELDS: &[(&str, &str)] = &[
    ("first_name", "Prénom"),
    ("last_name", "Nom {n}"),
    ("function_title", "Fonction {n}"),
    ("direction", ""),
    ("service", ""),
    ("category", ""),
    ("cadre", ""),
    ("email", ""),
    ("phone", ""),
    ("bio", "Présentation {n}"),
    ("languages", "anglais"),
    ("function_vis", "reseau"),
    ("unit_vis", "reseau"),
    ("category_vis", "organisation"),
    ("cadre_vis", "prive"),
    ("email_vis", "organisation"),
    ("phone_vis", "organisation"),
    ("bio_vis", "reseau"),
    ("languages_vis", "reseau"),
    ("themes_vis", "reseau"),
    ("photo_vis", "reseau"),
    ("listed", "reseau"),
];
/// The columns of the `{csv}` agents file.
const COLUMNS: &[(&str, &str)] = &[("colonne", "nom"), ("colonne", "prenom"), ("colonne", "courriel")];
/// A session's form (`/formations/{id}/sessions`).
const SESSION: &[(&str, &str)] = &[
    ("starts_on", "{start}"),
    ("ends_on", "{start}"),
    // A place of its own: the same place on the same day would warn.
    ("place", "Salle {n}"),
    ("capacity", "12"),
];
/// A session edited (`/sessions/{id}/modifier`): a place of its own, so
/// that no double booking warns.
const SESSION_EDIT: &[(&str, &str)] = &[
    ("starts_on", "{start}"),
    ("ends_on", "{start}"),
    ("place", "Salle {n}"),
    ("capacity", "20"),
    ("cycle", "{ales_cycle}"),
];
/// A path's form (`/formations/parcours`, `…/{id}/modifier`).
const PATH_ALES: &[(&str, &str)] = &[
    ("school", "{ales_school}"),
    ("title", "Parcours {n}"),
    ("kind", "libre"),
    ("rule_months", ""),
    ("deadline_months", ""),
];
const PATH_GE: &[(&str, &str)] = &[("title", "Parcours de Grand Est {n}"), ("kind", "candidature")];
/// A module's form (`/formations`, `/formations/{id}/modifier`), not shared.
const MODULE_ALES: &[(&str, &str)] = &[
    ("school", "{ales_school}"),
    ("title", "Module {n}"),
    ("format", "seminaire"),
    ("objectives", "Objectifs {n}"),
    ("description", ""),
    ("categories", "A"),
    ("categories", "B"),
    ("stage", "nouveaux"),
    ("duration_value", "2"),
    ("duration_unit", "jours"),
    ("trainers", ""),
];
const MODULE_GE: &[(&str, &str)] = &[
    ("school", "{ge_school}"),
    ("title", "Module {n}"),
    ("format", "formation"),
    ("stage", "tous"),
    ("duration_value", "3"),
    ("duration_unit", "heures"),
];
/// The same, shared with the network (editing keeps it shared).
const MODULE_SHARED: &[(&str, &str)] = &[
    ("title", "Module partagé {n}"),
    ("format", "debat"),
    ("stage", "tous"),
    ("duration_value", "1"),
    ("duration_unit", "demi-journees"),
    ("shared", "oui"),
];
/// A promotion's form (`/promotions`, `…/{id}/modifier`).
const PROMOTION_ALES: &[(&str, &str)] = &[
    ("school", "{ales_school}"),
    ("name", "Promotion {n}"),
    ("starts_on", "2026-01-15"),
    ("ends_on", "2026-11-30"),
];
const PROMOTION_EDIT: &[(&str, &str)] = &[
    ("name", "Promotion renommée {n}"),
    ("starts_on", "2026-01-12"),
    ("ends_on", "2026-12-11"),
    ("temperaments", "Meneur\nAnalytique"),
];
const PASSWORDS: &[(&str, &str)] = &[
    ("current", "{password}"),
    ("password", "{password}"),
    ("confirmation", "{password}"),
];

#[rustfmt::skip]
const TABLE: &[Row] = &[
    //                                                         anonyme  membre    interv.   RH        admin     admin GE  animation
    // --- Public pages -------------------------------------------------------
    get("/",                                                  ALL_OK),
    get("/connexion",                                         ALL_OK),
    get("/deconnexion",                                       ALL_OK),
    get("/mot-de-passe-oublie",                               ALL_OK),
    get("/mot-de-passe/nouveau",                              ALL_OK),
    get("/invitation",                                        ALL_OK),
    get("/organisations",                                     ALL_OK),
    get("/accessibilite",                                     ALL_OK),
    get("/donnees-personnelles",                              ALL_OK),
    get("/plan-du-site",                                      ALL_OK),
    get("/static/maillage.css",                               ALL_OK),
    get("/static/favicon.svg",                                ALL_OK),
    get("/health",                                            ALL_OK),
    // An organisation's page is public; its people only for its admins, HR, and the coordinator.
    get("/organisations/{ales}",                             [NoPeople, NoPeople, NoPeople, People,   People,   NoPeople, People]),
    get("/organisations/{ge}",                               [NoPeople, NoPeople, NoPeople, NoPeople, NoPeople, People,   People]),
    get("/organisations/{new_siren}",                        [Hide;  7]),
    // --- One's account --------------------------------------------------------
    get("/compte",                                            ACCOUNT),
    post("/compte/mot-de-passe", PASSWORDS,                  [Login,    Done,     Done,     Done,     Done,     Done,     Done]),
    post("/compte/jetons", &[("name", "Jeton {n}")],          ACCOUNT),
    post("/compte/jetons/{own_token}/revoquer", &[],         [Login,    Done,     Done,     Done,     Done,     Done,     Done]),
    // Another person's token: not even the coordinator may revoke it, nor learn it exists.
    post("/compte/jetons/{foreign_token}/revoquer", &[],     [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    // --- Login, logout, links sent by email: for anyone -------------------------
    post_fresh("/connexion", &[("email", "{email}"), ("password", "{password}"), ("retour", "/")], [Done; 7]),
    post_fresh("/deconnexion", &[],                           [Done; 7]),
    post("/mot-de-passe-oublie", &[("email", "tiers@ville.fr")], ALL_OK),
    post("/mot-de-passe/nouveau", &[("jeton", "{reset_token}"), ("password", "{password}"), ("confirmation", "{password}")], [Done; 7]),
    post("/invitation", &[("jeton", "{invitation_token}"), ("display_name", "Personne Invitée {n}"), ("password", "{password}"), ("confirmation", "{password}")], [Done; 7]),
    // --- An organisation's people: its admins and the coordinator; hidden from everyone else
    post("/organisations/{ales}/invitations", &[("email", "{new_email}"), ("role", "member")],
                                                             [Login,    Hide,     Hide,     Hide,     Done,     Hide,     Done]),
    post("/organisations/{ge}/invitations", &[("email", "{new_email}"), ("role", "member")],
                                                             [Login,    Hide,     Hide,     Hide,     Hide,     Done,     Done]),
    // Only the coordinator makes coordinators.
    post("/organisations/{ales}/invitations", &[("email", "{new_email}"), ("role", "coordinator")],
                                                             [Login,    Hide,     Hide,     Hide,     Deny,     Hide,     Done]),
    post("/organisations/{ales}/roles", &[("user_id", "{ales_person}"), ("role", "trainer"), ("action", "attribuer")],
                                                             [Login,    Hide,     Hide,     Hide,     Done,     Hide,     Done]),
    post("/organisations/{ge}/roles", &[("user_id", "{ge_person}"), ("role", "hr"), ("action", "attribuer")],
                                                             [Login,    Hide,     Hide,     Hide,     Hide,     Done,     Done]),
    post("/organisations/{ales}/roles", &[("user_id", "{ales_person}"), ("role", "coordinator"), ("action", "attribuer")],
                                                             [Login,    Hide,     Hide,     Hide,     Deny,     Hide,     Done]),
    // --- An organisation's profile and schools: public things, so 403 not 404 ---
    post("/organisations/{ales}/presentation", &[("description", "Présentation {n}"), ("website", "https://www.ales.fr")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Deny,     Done]),
    post("/organisations/{ge}/presentation", &[("description", "Présentation {n}"), ("website", "https://www.grandest.fr")],
                                                             [Login,    Deny,     Deny,     Deny,     Deny,     Done,     Done]),
    post("/organisations/{ales}/ecoles", &[("name", "École {n}")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Deny,     Done]),
    post("/organisations/{ge}/ecoles", &[("name", "École {n}")],
                                                             [Login,    Deny,     Deny,     Deny,     Deny,     Done,     Done]),
    // Sharing a school changes the other organisation too: only someone who
    // administers both (here: the coordinator) may do it.
    post("/organisations/{ales}/ecoles/{ales_school}/organisations", &[("siren", "{third}")],
                                                             [Login,    Deny,     Deny,     Deny,     Deny,     Deny,     Done]),
    post("/organisations/{ge}/ecoles/{ge_school}/organisations", &[("siren", "{third}")],
                                                             [Login,    Deny,     Deny,     Deny,     Deny,     Deny,     Done]),
    // A school under an organisation it does not belong to does not exist there.
    post("/organisations/{ge}/ecoles/{ales_school}/organisations", &[("siren", "{third}")], [Hide; 7]),
    // --- Network administration: the coordinator only ---------------------------
    get("/admin",                                             COORDINATOR_PAGE),
    get("/admin/organisations/nouvelle",                      COORDINATOR_PAGE),
    get("/admin/organisations/{ales}/adhesion",               COORDINATOR_PAGE),
    get("/admin/organisations/{ge}/adhesion",                 COORDINATOR_PAGE),
    get("/admin/personnes",                                   COORDINATOR_PAGE),
    get("/admin/journal",                                     COORDINATOR_PAGE),
    get("/admin/reseau",                                      COORDINATOR_PAGE),
    post("/admin/reseau", &[("name", "Réseau Remix"), ("description", "Le réseau des écoles.")],
                                                              COORDINATOR_ACTION),
    post("/admin/organisations", &[("siren", "{new_siren}"), ("membership", "membre"), ("joined_on", "2024-01-15")],
                                                              COORDINATOR_ACTION),
    post("/admin/organisations/{ales}/adhesion", &[("membership", "membre"), ("joined_on", "2021-03-25"), ("left_on", "")],
                                                              COORDINATOR_ACTION),
    post("/admin/organisations/{ge}/adhesion", &[("membership", "membre"), ("joined_on", "2020-06-15"), ("left_on", "")],
                                                              COORDINATOR_ACTION),
    // --- The directory: any account; a profile only to those it is listed for --
    get("/annuaire",                                          ACCOUNT),
    get("/annuaire?q=martin&categorie=A&page=2",              ACCOUNT),
    // Exports: administrators of some organisation, and the coordinator (403 for the rest).
    get("/annuaire/export.csv",                              [Login,    Deny,     Deny,     Deny,     Okay,     Okay,     Okay]),
    get("/annuaire/export.csv?organisation={ales}&q=a",      [Login,    Deny,     Deny,     Deny,     Okay,     Okay,     Okay]),
    get("/annuaire/{ales_profile}",                           ACCOUNT),
    get("/annuaire/{ge_profile}",                             ACCOUNT),
    // Listed for its organisation only: not for another organisation's people.
    get("/annuaire/{ales_orgonly}",                          [Login,    Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    // Out of the directory: its organisation's administrators and the coordinator.
    get("/annuaire/{ales_private}",                           ALES_ADMINS),
    get("/annuaire/{unknown_id}",                            [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    get("/annuaire/{ales_profile}/vcard",                     ACCOUNT),
    get("/annuaire/{ales_orgonly}/vcard",                    [Login,    Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/annuaire/{ales_private}/vcard",                     ALES_ADMINS),
    get("/annuaire/{ales_profile}/photo",                     ACCOUNT),
    get("/annuaire/{ales_private}/photo",                     ALES_ADMINS),
    // No photo: nothing to show anyone.
    get("/annuaire/{ge_profile}/photo",                      [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    // Administrative fields: the organisation's administrators (404 for the rest) and the coordinator.
    get("/annuaire/{ales_profile}/modifier",                  ALES_ADMINS),
    get("/annuaire/{ales_private}/modifier",                  ALES_ADMINS),
    get("/annuaire/{ge_profile}/modifier",                    GE_ADMINS),
    post("/annuaire/{ales_profile}/modifier", ADMIN_FIELDS,   ALES_ADMINS_DO),
    post("/annuaire/{ge_profile}/modifier", ADMIN_FIELDS,     GE_ADMINS_DO),
    post("/annuaire/{ales_victim}/supprimer", &[],            ALES_ADMINS_DO),
    post("/annuaire/{ge_victim}/supprimer", &[],              GE_ADMINS_DO),
    // One's own profile.
    get("/profil",                                            ACCOUNT),
    post("/profil", OWN_FIELDS,                               ACCOUNT_DO),
    upload("/profil/photo", &[("photo", "{png}")],            ACCOUNT_DO),
    post("/profil/photo/supprimer", &[],                      ACCOUNT_DO),
    // Themes: the coordinator only.
    get("/admin/thematiques",                                 COORDINATOR_PAGE),
    post("/admin/thematiques", &[("name", "Thématique {n}")], COORDINATOR_ACTION),
    post("/admin/thematiques/suggerees", &[("suggeree", "{missing_starter}")], COORDINATOR_ACTION),
    post("/admin/thematiques/{theme}", &[("name", "Renommée {n}")], COORDINATOR_ACTION),
    post("/admin/thematiques/{theme}/supprimer", &[],         COORDINATOR_ACTION),
    // Imports: an organisation's administrators (and the coordinator), each
    // their own pending imports only.
    get("/admin/import",                                     [Login,    Deny,     Deny,     Deny,     Okay,     Okay,     Okay]),
    upload("/admin/import", &[("organisation", "{ales}"), ("file", "{csv}")], ALES_ADMINS_DO),
    upload("/admin/import", &[("organisation", "{ge}"), ("file", "{csv}")],   GE_ADMINS_DO),
    get("/admin/import/{import}",                             ALES_ADMINS),
    // Someone else's pending import: not even the coordinator.
    get("/admin/import/{foreign_import}",                    [Login,    Hide,     Hide,     Hide,     Okay,     Hide,     Hide]),
    post("/admin/import/{import}/colonnes", COLUMNS,          ALES_ADMINS_DO),
    post("/admin/import/{foreign_import}/colonnes", COLUMNS, [Login,    Hide,     Hide,     Hide,     Done,     Hide,     Hide]),
    post("/admin/import/{import}/valider", &[("inviter", "non")], ALES_ADMINS),
    post("/admin/import/{foreign_import}/valider", &[("inviter", "non")], [Login, Hide, Hide,  Hide,     Okay,     Hide,     Hide]),
    post("/admin/import/{import}/abandonner", &[],            ALES_ADMINS_DO),
    // --- The catalogue: any account; a module not shared with the network only
    // for the people of its school's organisations (and of the schools that
    // took it), hidden from the others; editing: the school's administrators.
    get("/formations",                                        ACCOUNT),
    get("/formations?q=module&format=seminaire&theme=x&ecole={ales_school}&categorie=A&public=nouveaux&page=2", ACCOUNT),
    get("/formations/nouveau",                               [Login,    Deny,     Deny,     Deny,     Okay,     Okay,     Okay]),
    // --- Statistics: figures of what one manages (HR included); the network's for any of them
    get("/ecole/statistiques",                               [Login,    Deny,     Deny,     Okay,     Okay,     Okay,     Okay]),
    get("/ecole/statistiques.csv",                           [Login,    Deny,     Deny,     Okay,     Okay,     Okay,     Okay]),
    get("/ecole/statistiques?portee=ecole-{ales_school}",    [Login,    Deny,     Deny,     Okay,     Okay,     Deny,     Okay]),
    get("/ecole/statistiques.csv?portee=organisation-{ge}",  [Login,    Deny,     Deny,     Deny,     Deny,     Okay,     Okay]),
    get("/formations/{shared_module}",                        ACCOUNT),
    get("/formations/{ales_module}",                         [Login,    Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/formations/{ge_module}",                           [Login,    Hide,     Hide,     Hide,     Hide,     Okay,     Okay]),
    get("/formations/{taken_module}",                         ACCOUNT),
    get("/formations/{unknown_id}",                          [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    get("/formations/{shared_module}/modifier",              [Login,    Deny,     Deny,     Deny,     Okay,     Deny,     Okay]),
    get("/formations/{ales_module}/modifier",                [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/formations/{ge_module}/modifier",                  [Login,    Hide,     Hide,     Hide,     Hide,     Okay,     Okay]),
    get("/formations/{taken_module}/modifier",               [Login,    Deny,     Deny,     Deny,     Okay,     Deny,     Okay]),
    get("/formations/{unknown_id}/modifier",                 [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    // Schools are public: another school's catalogue is 403, not 404.
    post("/formations", MODULE_ALES,                         [Login,    Deny,     Deny,     Deny,     Done,     Deny,     Done]),
    post("/formations", MODULE_GE,                           [Login,    Deny,     Deny,     Deny,     Deny,     Done,     Done]),
    post("/formations/{shared_module}/modifier", MODULE_SHARED, [Login, Deny,     Deny,     Deny,     Done,     Deny,     Done]),
    post("/formations/{ales_module}/modifier", MODULE_ALES,  [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/formations/{ge_module}/modifier", MODULE_GE,      [Login,    Hide,     Hide,     Hide,     Hide,     Done,     Done]),
    post("/formations/{unknown_id}/modifier", MODULE_ALES,   [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    // Taking a module: the target school's administrators, a shared module,
    // not into its own school (409 otherwise).
    post("/formations/{adoptable}/reprendre", &[("school", "{ge_school}")],
                                                             [Login,    Deny,     Deny,     Deny,     Deny,     Done,     Done]),
    post("/formations/{shared_module}/reprendre", &[("school", "{ales_school}")],
                                                             [Login,    Deny,     Deny,     Deny,     Conflict, Deny,     Conflict]),
    post("/formations/{ales_module}/reprendre", &[("school", "{ge_school}")],
                                                             [Login,    Deny,     Deny,     Deny,     Deny,     Hide,     Conflict]),
    post("/formations/{ales_module}/reprendre", &[("school", "{ales_school}")],
                                                             [Login,    Deny,     Deny,     Deny,     Conflict, Hide,     Conflict]),
    post("/formations/{ge_module}/reprendre", &[("school", "{ales_school}")],
                                                             [Login,    Hide,     Hide,     Hide,     Hide,     Deny,     Conflict]),
    post("/formations/{unknown_id}/reprendre", &[("school", "{ge_school}")],
                                                             [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    // Withdrawing it: the administrators of the school that took it.
    // Sessions and enrolment.
    get("/formations/{shared_module}/sessions/nouvelle",     [Login,    Deny,     Deny,     Deny,     Okay,     Deny,     Okay]),
    get("/formations/{ales_module}/sessions/nouvelle",       [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    post("/formations/{shared_module}/sessions", SESSION,    [Login,    Deny,     Deny,     Deny,     Done,     Deny,     Done]),
    post("/formations/{ales_module}/sessions", SESSION,      [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    get("/sessions/{shared_session}",                        ACCOUNT),
    get("/sessions/{ales_session}",                          [Login,    Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/sessions/{unknown_id}",                            [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    post("/sessions/{shared_session}/inscription", &[],      ACCOUNT_DO),
    post("/sessions/{shared_session}/annulation", &[],       ACCOUNT_DO),
    post("/sessions/{ales_session}/inscription", &[],        [Login,    Done,     Done,     Done,     Done,     Hide,     Done]),
    post("/sessions/{ales_session}/annulation", &[],         [Login,    Done,     Done,     Done,     Done,     Hide,     Done]),
    post("/sessions/{unknown_id}/inscription", &[],          [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    // Calendars: a session's .ics like its page; one's agenda and its link
    // (shown once, in the answer to the POST); the feed answers only its
    // secret link (tests/it/agenda.rs), anything else is 404 for everyone.
    get("/sessions/{shared_session}/agenda.ics",             ACCOUNT),
    get("/sessions/{ales_session}/agenda.ics",              [Login,    Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/sessions/{unknown_id}/agenda.ics",                [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    get("/mon-agenda",                                       ACCOUNT),
    post("/mon-agenda/lien", &[],                            ACCOUNT),
    post("/mon-agenda/lien/supprimer", &[],                  ACCOUNT),
    get("/agenda/{unknown_id}",                              [Hide; 7]),
    // Session options (tests/it/enrolment.rs): the organising school edits,
    // cancels, enrols and cancels people, invites guests; `{evaluable_session}`
    // is a fresh session of Alès's unshared module for each cell.
    get("/sessions/{ales_session}/modifier",                [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/sessions/{shared_session}/modifier",              [Login,    Deny,     Deny,     Deny,     Okay,     Deny,     Okay]),
    get("/sessions/{unknown_id}/modifier",                  [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    post("/sessions/{ales_session}/modifier", SESSION_EDIT, [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/sessions/{evaluable_session}/annuler-session", &[], [Login, Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/sessions/{evaluable_session}/inscrire", &[("person", "{ales_person}")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    // Nobody is enrolled in a fresh session: the school is told so (409).
    post("/sessions/{evaluable_session}/participants/{ales_person}/annuler", &[],
                                                             [Login,    Deny,     Deny,     Deny,     Conflict, Hide,     Conflict]),
    post("/sessions/{evaluable_session}/invites", &[("name", "Invitée {n}"), ("quality", "élue"), ("day", "{start}")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/sessions/{ales_session}/invites/{unknown_id}/supprimer", &[],
                                                             [Login,    Deny,     Deny,     Deny,     Hide,     Hide,     Hide]),
    // Requests waiting for one's approval: one's own list; deciding on
    // someone else's request does not exist for the others.
    get("/mes-validations",                                  ACCOUNT),
    post("/mes-validations/{unknown_id}", &[("decision", "accepter")],
                                                             [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    // Cycles: `{ales_cycle}` holds `{ales_session}` (seen like it).
    get("/formations/cycles/{ales_cycle}",                   [Login,    Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/formations/cycles/{unknown_id}",                   [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    post("/formations/cycles/{ales_cycle}", &[("title", "Cycle {n}"), ("description", "")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    // Closed periods: the schools' managers (far in the future, to block
    // no session of the table).
    get("/formations/periodes-fermees",                      [Login,    Deny,     Deny,     Deny,     Okay,     Okay,     Okay]),
    post("/formations/periodes-fermees", &[("school", "{ales_school}"), ("label", "Fermeture {n}"), ("starts_on", "2090-08-01"), ("ends_on", "2090-08-15")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Deny,     Done]),
    post("/formations/periodes-fermees/{unknown_id}/supprimer", &[],
                                                             [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    // Trainers: `{ales_trainer}` is Alès's, not offered to the network.
    get("/intervenants",                                     ACCOUNT),
    get("/intervenants/nouveau",                             [Login,    Deny,     Deny,     Deny,     Okay,     Okay,     Okay]),
    post("/intervenants", &[("school", "{ales_school}"), ("kind", "externe"), ("name", "Intervenant {n}")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Deny,     Done]),
    get("/intervenants/{ales_trainer}",                      [Login,    Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/intervenants/{unknown_id}",                        [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    get("/intervenants/{ales_trainer}/modifier",             [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    post("/intervenants/{ales_trainer}/modifier", &[("kind", "interne"), ("email", "intervenant@demo.example"), ("bio", "Bio {n}")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/intervenants/{ales_trainer}/partage", &[("shared", "non")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/intervenants/{ales_trainer}/modules", &[("module", "{ales_module}")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/intervenants/{ales_trainer}/modules/{unknown_id}/retirer", &[],
                                                             [Login,    Deny,     Deny,     Deny,     Hide,     Hide,     Hide]),
    post("/formations/{adopted}/retirer", &[("school", "{ge_school}")],
                                                             [Login,    Deny,     Deny,     Deny,     Deny,     Done,     Done]),
    post("/formations/{ales_module}/retirer", &[("school", "{ge_school}")],
                                                             [Login,    Deny,     Deny,     Deny,     Deny,     Hide,     Hide]),
    post("/formations/{ge_module}/retirer", &[("school", "{ales_school}")],
                                                             [Login,    Hide,     Hide,     Hide,     Hide,     Deny,     Hide]),
    // Paths (parcours): `{ales_path}` (Alès, libre, not shared, one step
    // `{ales_step}`), `{ge_path}` (Grand Est, by application, not shared),
    // `{shared_path}` (Alès, by application, shared; `{ales_person}` applied).
    get("/formations/parcours",                              ACCOUNT),
    get("/formations/parcours/nouveau",                      [Login,    Deny,     Deny,     Deny,     Okay,     Okay,     Okay]),
    post("/formations/parcours", PATH_ALES,                  [Login,    Deny,     Deny,     Deny,     Done,     Deny,     Done]),
    get("/formations/parcours/{ales_path}",                  [Login,    Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/formations/parcours/{ge_path}",                    [Login,    Hide,     Hide,     Hide,     Hide,     Okay,     Okay]),
    get("/formations/parcours/{shared_path}",                ACCOUNT),
    get("/formations/parcours/{unknown_id}",                 [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    get("/formations/parcours/{ales_path}/modifier",         [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/formations/parcours/{ge_path}/modifier",           [Login,    Hide,     Hide,     Hide,     Hide,     Okay,     Okay]),
    get("/formations/parcours/{shared_path}/modifier",       [Login,    Deny,     Deny,     Deny,     Okay,     Deny,     Okay]),
    post("/formations/parcours/{ales_path}/modifier", PATH_ALES,
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/formations/parcours/{ge_path}/modifier", PATH_GE, [Login,    Hide,     Hide,     Hide,     Hide,     Done,     Done]),
    post("/formations/parcours/{ales_path}/etapes", &[("module", "{ales_module}"), ("required", "oui")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/formations/parcours/{ales_path}/etapes/{ales_step}", &[("action", "optionnelle")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/formations/parcours/{ales_path}/inscription", &[], [Login,   Done,     Done,     Done,     Done,     Hide,     Done]),
    post("/formations/parcours/{ales_path}/retrait", &[],    [Login,    Done,     Done,     Done,     Done,     Hide,     Done]),
    post("/formations/parcours/{ge_path}/inscription", &[],  [Login,    Hide,     Hide,     Hide,     Hide,     Conflict, Conflict]),
    post("/formations/parcours/{shared_path}/candidature", &[("motivation", "Pour progresser.")],
                                                             ACCOUNT_DO),
    post("/formations/parcours/{ge_path}/candidature", &[("motivation", "Pour progresser.")],
                                                             [Login,    Hide,     Hide,     Hide,     Hide,     Done,     Done]),
    get("/formations/parcours/{ales_path}/suivi",            [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/formations/parcours/{ge_path}/suivi",              [Login,    Hide,     Hide,     Hide,     Hide,     Okay,     Okay]),
    get("/formations/parcours/{shared_path}/suivi?statut=en-retard",
                                                             [Login,    Deny,     Deny,     Deny,     Okay,     Deny,     Okay]),
    post("/formations/parcours/{shared_path}/candidatures/{ales_person}", &[("decision", "retenu"), ("note", "Bienvenue")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Deny,     Done]),
    get("/mon-parcours",                                     ACCOUNT),
    // Evaluations: a school's templates are its managers' own (hidden from
    // the rest); a session's questionnaires and results for its organisers
    // (and its own trainers); answering for the people invited.
    get("/formations/questionnaires",                        [Login,    Deny,     Deny,     Deny,     Okay,     Okay,     Okay]),
    get("/formations/questionnaires/nouveau",                [Login,    Deny,     Deny,     Deny,     Okay,     Okay,     Okay]),
    post("/formations/questionnaires", &[("school", "{ales_school}"), ("kind", "chaud"), ("title", "Questionnaire {n}")],
                                                              ALES_ADMINS_DO),
    post("/formations/questionnaires/defaut", &[("school", "{ales_school}"), ("kind", "froid")],
                                                              ALES_ADMINS_DO),
    get("/formations/questionnaires/{ales_template}",         ALES_ADMINS),
    get("/formations/questionnaires/{unknown_id}",           [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    post("/formations/questionnaires/{ales_template}/questions", &[("kind", "note"), ("label", "Question {n}")],
                                                              ALES_ADMINS_DO),
    post("/formations/questionnaires/{ales_template}/questions/{ales_question}", &[("action", "enregistrer"), ("label", "Reformulée {n}")],
                                                              ALES_ADMINS_DO),
    get("/sessions/{ales_session}/evaluations",              [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/sessions/{shared_session}/evaluations",            [Login,    Deny,     Deny,     Deny,     Okay,     Deny,     Okay]),
    post("/sessions/{evaluable_session}/evaluations", &[("template", "{ales_template}")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    get("/evaluations/{ales_evaluation}",                    [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/evaluations/{unknown_id}",                         [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    // Nobody here is invited: the organisers only preview it (403; the
    // coordinator, allowed everything, is told why: 409).
    post("/evaluations/{ales_evaluation}", &[("q1", "4")],   [Login,    Deny,     Deny,     Deny,     Deny,     Hide,     Conflict]),
    get("/mes-questionnaires",                                ACCOUNT),
    get("/formations/{ales_module}/evaluations",             [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/formations/{shared_module}/evaluations",           [Login,    Deny,     Deny,     Deny,     Okay,     Deny,     Okay]),
    // A trainer's results: the trainer (the « intervenant » account is
    // linked to it) and the school's managers; hidden from anyone else.
    get("/intervenants/{ales_trainer}/evaluations",          [Login,    Hide,     Okay,     Hide,     Okay,     Hide,     Okay]),
    // --- Attendance and attestations: the organising school's managers (and the
    // session's own trainers — the « intervenant » trains for Alès, not this
    // session); another organisation's private module: 404.
    get("/sessions/{ales_session}/demi-journees",            [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/sessions/{shared_session}/demi-journees",          [Login,    Deny,     Deny,     Deny,     Okay,     Deny,     Okay]),
    post("/sessions/{fresh_session}/demi-journees", &[("day", "{start}"), ("half", "matin"), ("starts_at", "09:00"), ("ends_at", "12:00")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/sessions/{fresh_session}/demi-journees/{fresh_slot}/supprimer", &[],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    get("/sessions/{ales_session}/emargement",               [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/sessions/{shared_session}/emargement",             [Login,    Deny,     Deny,     Deny,     Okay,     Deny,     Okay]),
    get("/sessions/{unknown_id}/emargement",                 [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    get("/sessions/{ales_session}/emargement/{ales_slot}",   [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/sessions/{ales_session}/emargement/{unknown_id}",  [Login,    Deny,     Deny,     Deny,     Hide,     Hide,     Hide]),
    post("/sessions/{ales_session}/emargement/{ales_slot}", &[],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    get("/sessions/{ales_session}/emargement/{ales_slot}/feuille.pdf",
                                                             [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/sessions/{ales_session}/attestations",             [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/sessions/{shared_session}/attestations",           [Login,    Deny,     Deny,     Deny,     Okay,     Deny,     Okay]),
    // Nobody attended yet: nothing to certify (409) to those who may ask.
    get("/sessions/{ales_session}/attestations/{ales_person}",
                                                             [Login,    Deny,     Deny,     Deny,     Conflict, Hide,     Conflict]),
    // One's own: only someone enrolled (the rows above enrolled then cancelled).
    get("/sessions/{ales_session}/attestation.pdf",          [Login,    Deny,     Deny,     Deny,     Deny,     Hide,     Deny]),
    // Public verification, no login; an unknown code is 404 for everyone.
    get("/attestations/verifier",                             ALL_OK),
    get("/attestations/{unknown_code}",                       [Hide; 7]),
    // --- API (with each caller's personal token; anonymous: none) --------------
    get("/api/openapi.json",                                  ALL_OK),
    get("/api/v1/sessions/{ales_session}/evaluations",       [Unauth,   Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/api/v1/sessions/{shared_session}/evaluations",     [Unauth,   Deny,     Deny,     Deny,     Okay,     Deny,     Okay]),
    get("/api/v1/organisations",                              ALL_OK),
    get("/api/v1/organisations/{ales}",                       ALL_OK),
    get("/api/v1/organisations/{ales}/personnes",            [Unauth,   Hide,     Hide,     Okay,       Okay,       Hide,     Okay]),
    get("/api/v1/organisations/{ge}/personnes",              [Unauth,   Hide,     Hide,     Hide,     Hide,     Okay,       Okay]),
    // An organisation outside the network: 404 for all (which organisations are members is public).
    get("/api/v1/organisations/{new_siren}/personnes",       [Hide;  7]),
    get("/api/v1/moi",                                       [Unauth,   Okay,       Okay,       Okay,       Okay,       Okay,       Okay]),
    get("/api/v1/sessions",                                  [Unauth,   Okay,     Okay,     Okay,     Okay,     Okay,     Okay]),
    get("/api/v1/sessions?module={ales_module}&ecole={ales_school}&depuis=2000-01-01",
                                                             [Unauth,   Okay,     Okay,     Okay,     Okay,     Okay,     Okay]),
    get("/api/v1/sessions/{ales_session}",                   [Unauth,   Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/api/v1/sessions/{unknown_id}",                     [Unauth,   Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    get("/api/v1/sessions/{ales_session}/inscriptions",      [Unauth,   Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/api/v1/sessions/{ales_session}/emargement",        [Unauth,   Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/api/v1/sessions/{unknown_id}/emargement",          [Unauth,   Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    post("/api/v1/sessions/{evaluable_session}/inscription", &[],
                                                             [Unauth,   Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/api/v1/moi/inscriptions",                          [Unauth,   Okay,     Okay,     Okay,     Okay,     Okay,     Okay]),
    get("/api/v1/intervenants",                              [Unauth,   Okay,     Okay,     Okay,     Okay,     Okay,     Okay]),
    get("/api/v1/annuaire",                                  [Unauth,   Okay,     Okay,     Okay,     Okay,     Okay,     Okay]),
    get("/api/v1/annuaire?q=a&organisation={ales}",          [Unauth,   Okay,     Okay,     Okay,     Okay,     Okay,     Okay]),
    get("/api/v1/annuaire/{ales_profile}",                   [Unauth,   Okay,     Okay,     Okay,     Okay,     Okay,     Okay]),
    get("/api/v1/annuaire/{ales_orgonly}",                   [Unauth,   Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/api/v1/annuaire/{ales_private}",                   [Unauth,   Hide,     Hide,     Hide,     Okay,     Hide,     Okay]),
    get("/api/v1/annuaire/{unknown_id}",                     [Unauth,   Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    get("/api/v1/formations",                                [Unauth,   Okay,     Okay,     Okay,     Okay,     Okay,     Okay]),
    get("/api/v1/formations?q=module&format=seminaire&theme=x&ecole={ge_school}&categorie=A&public=nouveaux&page=2",
                                                             [Unauth,   Okay,     Okay,     Okay,     Okay,     Okay,     Okay]),
    get("/api/v1/formations/{shared_module}",                [Unauth,   Okay,     Okay,     Okay,     Okay,     Okay,     Okay]),
    get("/api/v1/formations/{ales_module}",                  [Unauth,   Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/api/v1/formations/{ge_module}",                    [Unauth,   Hide,     Hide,     Hide,     Hide,     Okay,     Okay]),
    get("/api/v1/formations/{taken_module}",                 [Unauth,   Okay,     Okay,     Okay,     Okay,     Okay,     Okay]),
    get("/api/v1/formations/{unknown_id}",                   [Unauth,   Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    get("/api/v1/formations/{unknown_id}",                   [Unauth,   Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    get("/api/v1/parcours",                                  [Unauth,   Okay,     Okay,     Okay,     Okay,     Okay,     Okay]),
    get("/api/v1/parcours/{ales_path}",                      [Unauth,   Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/api/v1/parcours/{ge_path}",                        [Unauth,   Hide,     Hide,     Hide,     Hide,     Okay,     Okay]),
    get("/api/v1/parcours/{unknown_id}",                     [Unauth,   Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    get("/api/v1/moi/parcours",                              [Unauth,   Okay,     Okay,     Okay,     Okay,     Okay,     Okay]),
    // --- Promotions and casting (tests/it/promotions.rs) -----------------------
    // `{ales_promotion}`: the demo's current promotion of Alès's school (the
    // member account is in it); `{ge_promotion}`: one of Grand Est's school;
    // `{promotion_member}` (and its `{promotion_email}`): a member of
    // `{ales_promotion}`; `{promotion_candidate}`: a fresh profile of Alès;
    // `{promotion_removable}`: a fresh member; `{promotion_group}`: group 1;
    // `{promotion_other_group}`: a group `{promotion_member}` is not in.
    // Seen by its members and its school's organisations, hidden from the
    // rest; managed by the school's administrators.
    get("/promotions",                                       ACCOUNT),
    get("/promotions?ecole={ales_school}&annee=2026",        ACCOUNT),
    get("/promotions/nouvelle",                              [Login,    Deny,     Deny,     Deny,     Okay,     Okay,     Okay]),
    post("/promotions", PROMOTION_ALES,                      [Login,    Deny,     Deny,     Deny,     Done,     Deny,     Done]),
    get("/promotions/{ales_promotion}",                      [Login,    Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/promotions/{ge_promotion}",                        [Login,    Hide,     Hide,     Hide,     Hide,     Okay,     Okay]),
    get("/promotions/{unknown_id}",                          [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    get("/promotions/{ales_promotion}/modifier",             [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    post("/promotions/{ales_promotion}/modifier", PROMOTION_EDIT,
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/promotions/{ge_promotion}/modifier", PROMOTION_EDIT,
                                                             [Login,    Hide,     Hide,     Hide,     Hide,     Done,     Done]),
    get("/promotions/{ales_promotion}/membres?q=a",          [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    post("/promotions/{ales_promotion}/membres", &[("person", "{promotion_candidate}")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/promotions/{ales_promotion}/membres/courriels", &[("emails", "{promotion_email}")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    get("/promotions/{ales_promotion}/membres/{promotion_member}",
                                                             [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    post("/promotions/{ales_promotion}/membres/{promotion_member}", &[("gender", "F"), ("birth_year", "1980"), ("seniority_years", "5")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/promotions/{ales_promotion}/membres/{promotion_removable}/retirer", &[],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    // Wishes: the members themselves (the member account).
    get("/promotions/{ales_promotion}/voeux",                [Login,    Okay,     Deny,     Deny,     Deny,     Hide,     Deny]),
    post("/promotions/{ales_promotion}/voeux", &[("wish1", "")],
                                                             [Login,    Done,     Deny,     Deny,     Deny,     Hide,     Deny]),
    get("/promotions/{ales_promotion}/groupes",              [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    post("/promotions/{ales_promotion}/groupes", &[("groups", "3"), ("min_size", ""), ("max_size", ""), ("seed", "{n}")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/promotions/{ales_promotion}/groupes/deplacer", &[("person", "{promotion_member}"), ("group", "{promotion_other_group}")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/promotions/{ales_promotion}/groupes/{promotion_group}/projet", &[("project", "")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    // No group has a project yet: nothing to turn into teams (409).
    post("/promotions/{ales_promotion}/groupes/equipes", &[],
                                                             [Login,    Deny,     Deny,     Deny,     Conflict, Hide,     Conflict]),
    get("/api/v1/promotions",                                [Unauth,   Okay,     Okay,     Okay,     Okay,     Okay,     Okay]),
    get("/api/v1/promotions/{ales_promotion}",               [Unauth,   Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/api/v1/promotions/{ge_promotion}",                 [Unauth,   Hide,     Hide,     Hide,     Hide,     Okay,     Okay]),
    get("/api/v1/promotions/{ales_promotion}/groupes",       [Unauth,   Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    post("/api/v1/promotions/{ales_promotion}/casting", &[("groupes", "2"), ("graine", "{n}")],
                                                             [Unauth,   Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    // --- Projets — the bank (tests/it/projects.rs, MatrixWorld) --------------
    // `{ales_project}`: Alès's, seen by its organisations (« organisation »);
    // `{network_project}`: Alès's, seen by everyone (« réseau »); neither has
    // a team or a sponsor account. `{fresh_project}`: a fresh « organisation »
    // project of Alès for each cell; `{ales_org}`: Alès's organisation id.
    // Anyone proposes for their own organisation, a school's managers for any;
    // the school's managers screen and edit; the export is the administrators'.
    get("/projets",                                          ACCOUNT),
    get("/projets?q=accueil&statut=propose&mis_en_oeuvre=non&theme=x&ecole={ales_school}&annee=2026&page=2",
                                                              ACCOUNT),
    get("/projets/export.csv",                               [Login,    Deny,     Deny,     Deny,     Okay,     Okay,     Okay]),
    get("/projets/proposer",                                  ACCOUNT),
    post("/projets/proposer", &[("title", "Projet {n}"), ("problem", "Un problème."), ("sponsor_organisation", "{ales_org}"), ("school", "{ales_school}")],
                                                             [Login,    Done,     Done,     Done,     Done,     Deny,     Done]),
    get("/projets/{ales_project}",                           [Login,    Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/projets/{network_project}",                         ACCOUNT),
    get("/projets/{unknown_id}",                             [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    get("/projets/{ales_project}/fiche",                     [Login,    Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/projets/{ales_project}/modifier",                  [Login,    Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/projets/{network_project}/modifier",               [Login,    Deny,     Deny,     Deny,     Okay,     Deny,     Okay]),
    post("/projets/{fresh_project}/statut", &[("status", "retenu")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/projets/{ales_project}/modifier", &[("title", "Projet interne {n}"), ("problem", "Un problème."), ("visibility", "organisation")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/projets/{fresh_project}/equipe", &[("profile", "{ales_profile}")],
                                                             [Login,    Deny,     Deny,     Deny,     Done,     Hide,     Done]),
    // Nobody is in its team: nothing to remove (404 for those who may edit).
    post("/projets/{ales_project}/equipe/{unknown_id}/retirer", &[],
                                                             [Login,    Deny,     Deny,     Deny,     Hide,     Hide,     Hide]),
    get("/api/v1/projets",                                   [Unauth,   Okay,     Okay,     Okay,     Okay,     Okay,     Okay]),
    get("/api/v1/projets?q=accueil&statut=propose&ecole={ales_school}",
                                                             [Unauth,   Okay,     Okay,     Okay,     Okay,     Okay,     Okay]),
    get("/api/v1/projets/{ales_project}",                    [Unauth,   Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/api/v1/projets/{unknown_id}",                      [Unauth,   Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    post("/api/v1/projets", &[("intitule", "Projet {n}"), ("probleme", "Un problème."), ("commanditaire", "{ales_org}"), ("ecole", "{ales_school}")],
                                                             [Unauth,   Okay,     Okay,     Okay,     Okay,     Deny,     Okay]),
    post("/api/v1/projets/{fresh_project}/statut", &[("statut", "retenu")],
                                                             [Unauth,   Deny,     Deny,     Deny,     Okay,     Hide,     Okay]),
    // --- A project's life (tests/it/project_life.rs, MatrixWorld) ------------
    // `{life_project}`: a project of Alès's school seen by its organisations
    // (« organisation »): its team is the member account, its sponsor the
    // « intervenant » account; RH of Alès only sees it; Grand Est does not
    // know it exists. The team and the school edit, the sponsor comments,
    // anyone who sees it offers help (not its team: 409). `{life_update}`:
    // the team's update; `{life_indicator}`, `{life_attachment}` (a PDF),
    // `{life_request}` (open); `{life_fresh_…}`: single-use ones (updates
    // and comments written by the team); `{life_today}`: today.
    get("/entraide",                                          ACCOUNT),
    get("/projets/{life_project}/actualites/nouvelle",       [Login,    Okay,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/projets/{life_project}/actualites/{life_update}/modifier",
                                                             [Login,    Okay,     Deny,     Deny,     Deny,     Hide,     Deny]),
    get("/projets/{life_project}/indicateurs/nouveau",       [Login,    Okay,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/projets/{life_project}/indicateurs/{life_indicator}",
                                                             [Login,    Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/projets/{life_project}/indicateurs/{unknown_id}",  [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    get("/projets/{life_project}/retours/nouveau",           [Login,    Okay,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/projets/{life_project}/commentaires/nouveau",      [Login,    Okay,     Okay,     Deny,     Okay,     Hide,     Okay]),
    get("/projets/{life_project}/livrables/nouveau",         [Login,    Okay,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/projets/{life_project}/livrables/{life_attachment}",
                                                             [Login,    Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    get("/projets/{life_project}/livrables/{unknown_id}",    [Login,    Hide,     Hide,     Hide,     Hide,     Hide,     Hide]),
    get("/projets/{life_project}/entraide/nouvelle",         [Login,    Okay,     Deny,     Deny,     Okay,     Hide,     Okay]),
    get("/projets/{life_project}/entraide/{life_request}",   [Login,    Okay,     Okay,     Okay,     Okay,     Hide,     Okay]),
    post("/projets/{life_project}/actualites", &[("written_on", "{life_today}"), ("body", "Point d'étape {n}")],
                                                             [Login,    Done,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/projets/{life_project}/actualites/{life_update}/modifier", &[("written_on", "{life_today}"), ("body", "Corrigé {n}")],
                                                             [Login,    Done,     Deny,     Deny,     Deny,     Hide,     Deny]),
    post("/projets/{life_project}/actualites/{life_fresh_update}/supprimer", &[],
                                                             [Login,    Done,     Deny,     Deny,     Deny,     Hide,     Deny]),
    post("/projets/{life_project}/indicateurs", &[("name", "Indicateur {n}"), ("unit", "jours"), ("baseline", "12,5")],
                                                             [Login,    Done,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/projets/{life_project}/indicateurs/{life_fresh_indicator}/supprimer", &[],
                                                             [Login,    Done,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/projets/{life_project}/indicateurs/{life_indicator}/mesures", &[("measured_on", "{life_today}"), ("value", "{n}")],
                                                             [Login,    Done,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/projets/{life_project}/indicateurs/{life_indicator}/mesures/{life_fresh_measure}/supprimer", &[],
                                                             [Login,    Done,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/projets/{life_project}/retours", &[("source", "usager"), ("body", "Retour {n}"), ("received_on", "{life_today}")],
                                                             [Login,    Done,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/projets/{life_project}/retours/{life_fresh_feedback}/supprimer", &[],
                                                             [Login,    Done,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/projets/{life_project}/commentaires", &[("body", "Commentaire {n}")],
                                                             [Login,    Done,     Done,     Deny,     Done,     Hide,     Done]),
    // One deletes one's own comment only (the team's here).
    post("/projets/{life_project}/commentaires/{life_fresh_comment}/supprimer", &[],
                                                             [Login,    Done,     Hide,     Deny,     Hide,     Hide,     Hide]),
    upload("/projets/{life_project}/livrables", &[("title", "Livrable {n}"), ("file", "{png}")],
                                                             [Login,    Done,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/projets/{life_project}/livrables/{life_fresh_attachment}/supprimer", &[],
                                                             [Login,    Done,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/projets/{life_project}/entraide", &[("question", "Question {n}")],
                                                             [Login,    Done,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/projets/{life_project}/entraide/{life_fresh_request}/aide", &[("message", "Aide {n}")],
                                                             [Login,    Deny,     Done,     Done,     Done,     Hide,     Done]),
    post("/projets/{life_project}/entraide/{life_fresh_request}/resolue", &[],
                                                             [Login,    Done,     Deny,     Deny,     Done,     Hide,     Done]),
    post("/projets/{life_project}/entraide/{life_fresh_request}/codeveloppement", &[],
                                                             [Login,    Done,     Deny,     Deny,     Done,     Hide,     Done]),
];

// ---------------------------------------------------------------------------
// The routes of the router, read from its source
// ---------------------------------------------------------------------------

const ROUTER_SOURCE: &str = include_str!("../../crates/web/src/router.rs");
/// Modules that list their own routes (`routes()` merged in router.rs).
const ROUTE_MODULES: &[&str] = &[
    include_str!("../../crates/web/src/pages/promotions.rs"),
    include_str!("../../crates/web/src/pages/projects.rs"),
    include_str!("../../crates/web/src/pages/project_life.rs"),
    include_str!("../../crates/web/src/api/promotions.rs"),
    include_str!("../../crates/web/src/api/projects.rs"),
];

/// `{anything}` → `{}`, and the query string dropped.
fn shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// Every (method, path) declared by `.route("…", get(…).post(…))` in router.rs.
fn router_routes() -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let sources = std::iter::once(ROUTER_SOURCE).chain(ROUTE_MODULES.iter().copied());
    for mut rest in sources {
        while let Some(i) = rest.find(".route(") {
            rest = &rest[i + ".route(".len()..];
            let s = rest.trim_start();
            let s = s.strip_prefix('"').expect(".route( suivi d'une chaîne littérale");
            let end = s.find('"').unwrap();
            let path = &s[..end];
            // The handlers: up to the parenthesis closing `.route(`.
            let mut depth = 1;
            let mut stop = 0;
            for (k, c) in s[end + 1..].char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            stop = end + 1 + k;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let handlers = &s[end + 1..stop];
            let mut found = false;
            for (word, method) in [
                ("get(", "GET"),
                ("post(", "POST"),
                ("put(", "PUT"),
                ("patch(", "PATCH"),
                ("delete(", "DELETE"),
            ] {
                let hit = handlers.match_indices(word).any(|(k, _)| {
                    k == 0 || !handlers.as_bytes()[k - 1].is_ascii_alphanumeric() && handlers.as_bytes()[k - 1] != b'_'
                });
                if hit {
                    out.insert((method.to_owned(), path.to_owned()));
                    found = true;
                }
            }
            assert!(found, "route {path} : méthode non reconnue dans « {handlers} »");
        }
    }
    out
}

/// A new route without a line in the table fails here; so does a line of the
/// table that matches no route (a typo would otherwise test a 404).
#[test]
fn the_table_covers_every_route_of_the_router() {
    let routes = router_routes();
    assert!(routes.len() >= 35, "lecture de router.rs suspecte : {routes:?}");
    let table: BTreeSet<(String, String)> = TABLE.iter().map(|r| (r.method.to_owned(), shape(r.path))).collect();
    let routes_shaped: BTreeSet<(String, String)> = routes.iter().map(|(m, p)| (m.clone(), shape(p))).collect();
    let missing: Vec<_> = routes_shaped.difference(&table).collect();
    assert!(
        missing.is_empty(),
        "routes sans ligne dans la table des permissions : {missing:?}"
    );
    let unknown: Vec<_> = table.difference(&routes_shaped).collect();
    assert!(
        unknown.is_empty(),
        "lignes de la table qui ne correspondent à aucune route : {unknown:?}"
    );
    // And the GET pages the page tests walk through are routes too (their
    // parameters may be named differently: `{profile}` for `{id}`).
    for p in maillage_web::router::PAGES {
        assert!(
            routes_shaped.contains(&("GET".to_owned(), shape(p))),
            "PAGES contient {p}, absent du routeur"
        );
    }
    let gets: BTreeSet<_> = routes
        .iter()
        .filter(|(m, p)| m == "GET" && !p.starts_with("/api") && !p.starts_with("/static") && p != "/health")
        .map(|(_, p)| shape(p))
        .collect();
    let pages: BTreeSet<_> = maillage_web::router::PAGES.iter().map(|p| shape(p)).collect();
    assert_eq!(gets, pages, "PAGES doit lister toutes les pages GET du routeur");
}

// ---------------------------------------------------------------------------
// What the database holds, to check that a refused call wrote nothing
// ---------------------------------------------------------------------------

/// The state the table's actions can change. A refused call must leave it
/// as it was; so must every GET.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    audit_entries: i64,
    users: i64,
    organisations: i64,
    coordinators: i64,
    roles: Vec<String>,
    invitations: Vec<String>,
    /// Schools, and their links to organisations.
    schools: Vec<i64>,
    profiles: Vec<String>,
    accounts: Vec<String>,
    /// The directory: profiles, their history, themes, photos, pending
    /// imports (with their column mappings).
    directory: Vec<String>,
    /// The catalogue: modules, their themes, their adoptions.
    catalogue: Vec<String>,
}

struct World {
    ales: Uuid,
    ge: Uuid,
    third_party: Uuid,
    callers: Vec<Uuid>,
}

async fn snapshot(app: &TestApp, w: &World) -> Snapshot {
    use maillage_db::{api_tokens, one_time_tokens, organisations as orgs, roles, users};
    let catalogue = crate::catalogue::catalogue_state(app).await;
    let mut c = app.ctx.db.conn().await.unwrap();
    let mut roles_ = Vec::new();
    let mut invitations = Vec::new();
    let mut profiles = Vec::new();
    for org in [w.ales, w.ge] {
        for r in roles::in_organisation(c.ex(), org).await.unwrap() {
            roles_.push(format!("{org} {} {}", r.user_id, r.role));
        }
        for t in one_time_tokens::pending_invitations(c.ex(), org, maillage_db::now())
            .await
            .unwrap()
        {
            invitations.push(format!("{org} {} {:?}", t.email, t.role));
        }
        let o = orgs::by_id(c.ex(), org).await.unwrap().unwrap();
        profiles.push(format!(
            "{:?}",
            (o.description, o.website, o.membership, o.joined_on, o.left_on)
        ));
    }
    roles_.sort();
    invitations.sort();
    let count = |sql: &'static str| maillage_db::query(sql);
    let schools_ = vec![
        c.ex()
            .fetch_scalar(count("SELECT COUNT(*) FROM schools"))
            .await
            .unwrap(),
        c.ex()
            .fetch_scalar(count("SELECT COUNT(*) FROM school_organisations"))
            .await
            .unwrap(),
    ];
    let mut accounts = Vec::new();
    for u in w.callers.iter().chain([&w.third_party]) {
        let row = users::by_id(c.ex(), *u).await.unwrap().unwrap();
        let mut tokens: Vec<_> = api_tokens::of_user(c.ex(), *u)
            .await
            .unwrap()
            .into_iter()
            .map(|t| format!("{}:{}", t.id, t.revoked_at.is_some()))
            .collect();
        tokens.sort();
        accounts.push(format!("{} {:?} {tokens:?}", row.email, row.password_hash));
    }
    let mut directory = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM profiles",
        "SELECT COUNT(*) FROM profile_changes",
        "SELECT COUNT(*) FROM profile_themes",
        "SELECT COUNT(*) FROM profile_photos",
        "SELECT COUNT(*) FROM themes",
        "SELECT COUNT(*) FROM imports",
        "SELECT COUNT(*) FROM training_sessions",
        "SELECT COUNT(*) FROM enrolments WHERE status = 'inscrit'",
        "SELECT COUNT(*) FROM enrolments WHERE status = 'attente'",
        "SELECT COUNT(*) FROM enrolments WHERE status = 'annule'",
    ] {
        let n: i64 = c.ex().fetch_scalar(maillage_db::query(sql)).await.unwrap();
        directory.push(format!("{sql}: {n}"));
    }
    let mut mappings: Vec<(Option<String>,)> = c
        .ex()
        .fetch_all(maillage_db::query("SELECT mapping FROM imports"))
        .await
        .unwrap();
    mappings.sort();
    directory.push(format!("{mappings:?}"));
    Snapshot {
        catalogue,
        directory,
        audit_entries: c
            .ex()
            .fetch_scalar(count("SELECT COUNT(*) FROM audit_log"))
            .await
            .unwrap(),
        users: users::count(c.ex()).await.unwrap(),
        organisations: orgs::count(
            c.ex(),
            &orgs::ListFilter {
                limit: 1_000_000,
                ..Default::default()
            },
        )
        .await
        .unwrap(),
        coordinators: roles::count_role(c.ex(), "coordinator").await.unwrap(),
        roles: roles_,
        invitations,
        schools: schools_,
        profiles,
        accounts,
    }
}

/// The directory's fixed placeholders: profiles of demo people (not callers).
struct DirectoryWorld {
    /// Listed for the network, with a photo.
    ales_profile: Uuid,
    /// Listed for the network, without a photo.
    ge_profile: Uuid,
    /// Listed for its organisation only.
    ales_orgonly: Uuid,
    /// Out of the directory, with a photo.
    ales_private: Uuid,
}

/// Picks fictional people of the demo (no password, no role beyond member)
/// and sets their profiles as the people themselves would.
async fn directory_world(app: &TestApp, ales: Uuid, ge: Uuid) -> DirectoryWorld {
    let people = |org: Uuid| async move {
        let mut c = app.ctx.db.conn().await.unwrap();
        let mut out = Vec::new();
        for u in maillage_db::users::in_organisation(c.ex(), org).await.unwrap() {
            let roles = maillage_db::roles::of_user(c.ex(), u.id).await.unwrap();
            if u.password_hash.is_none() && roles.iter().all(|r| r.role == "member") {
                out.push(u.id);
            }
        }
        out
    };
    let ales_people = people(ales).await;
    let ge_people = people(ge).await;
    // Skip the first (the table's {ales_person}, {ge_person}).
    let (a, b, c) = (ales_people[1], ales_people[2], ales_people[3]);
    let g = ge_people[1];
    let photo = crate::harness::png(80, 80);
    let save = |user: Uuid, listed: &'static str| async move {
        let actor = actor(app, user).await;
        let current = {
            let mut conn = app.ctx.db.conn().await.unwrap();
            let id = maillage_db::profiles::id_of_user(conn.ex(), user)
                .await
                .unwrap()
                .unwrap();
            maillage_core::directory::profile::get(&app.ctx, &actor, id)
                .await
                .unwrap()
        };
        let mut own = crate::directory::Own::new(&current.first_name, &current.last_name);
        own.function_title = "Chargée de mission".into();
        own.listed = listed;
        own.save(app, user).await;
        current.id
    };
    let ales_profile = save(a, "reseau").await;
    crate::directory::set_photo(app, a, photo.clone()).await;
    let ales_orgonly = save(b, "organisation").await;
    let ales_private = save(c, "prive").await;
    crate::directory::set_photo(app, c, photo).await;
    let ge_profile = {
        let mut conn = app.ctx.db.conn().await.unwrap();
        let id = maillage_db::profiles::id_of_user(conn.ex(), g).await.unwrap().unwrap();
        drop(conn);
        // The demo may have given it one: none here.
        let actor = actor(app, g).await;
        maillage_core::directory::edit::set_own_photo(&app.ctx, &actor, None)
            .await
            .unwrap();
        id
    };
    DirectoryWorld {
        ales_profile,
        ge_profile,
        ales_orgonly,
        ales_private,
    }
}

async fn actor(app: &TestApp, id: Uuid) -> Actor {
    let mut c = app.ctx.db.conn().await.unwrap();
    maillage_core::accounts::load_actor(c.ex(), id).await.unwrap()
}

async fn user_id(app: &TestApp, email: &str) -> Uuid {
    let mut c = app.ctx.db.conn().await.unwrap();
    maillage_db::users::by_email(c.ex(), email)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("pas de compte {email}"))
        .id
}

async fn org_id(app: &TestApp, siren: &str) -> Uuid {
    let mut c = app.ctx.db.conn().await.unwrap();
    maillage_db::organisations::by_siren(c.ex(), siren)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A fresh API token of this account; returns (id, secret).
async fn new_token(app: &TestApp, user: Uuid, name: &str) -> (Uuid, String) {
    let secret = maillage_core::api_tokens::create(&app.ctx, &actor(app, user).await, name)
        .await
        .unwrap();
    let mut c = app.ctx.db.conn().await.unwrap();
    let id = maillage_db::api_tokens::of_user(c.ex(), user)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == name)
        .unwrap()
        .id;
    (id, secret)
}

/// A browser with a session of its own for this account, opened directly
/// (spares a password hash; the login form is tested by its own row).
async fn session_of(app: &TestApp, user: Uuid) -> Browser {
    let token = maillage_core::security::random_token();
    let mut tx = app.ctx.db.begin().await.unwrap();
    maillage_db::sessions::insert(
        tx.ex(),
        &maillage_core::security::token_hash(&token),
        user,
        maillage_db::now() + maillage_core::accounts::SESSION_IDLE,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    Browser {
        cookies: vec![(maillage_web::auth::SESSION_COOKIE.to_owned(), token)],
    }
}

/// A single-use link (reset or invitation) written as the application would.
async fn one_time_link(
    app: &TestApp,
    purpose: &str,
    user: Option<Uuid>,
    email: &str,
    organisation: Option<Uuid>,
) -> String {
    let token = maillage_core::security::random_token();
    let mut tx = app.ctx.db.begin().await.unwrap();
    maillage_db::one_time_tokens::insert(
        tx.ex(),
        &maillage_db::one_time_tokens::NewToken {
            token_hash: &maillage_core::security::token_hash(&token),
            purpose,
            user_id: user,
            email,
            organisation_id: organisation,
            role: (purpose == "invitation").then_some("member"),
            created_by: None,
            expires_at: maillage_db::now() + time::Duration::hours(1),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    token
}

fn check(cell: &str, expected: E, res: &Res) {
    let ctx = || {
        format!(
            "{cell} : attendu {expected:?}, reçu {} {}\n{}",
            res.status,
            res.location(),
            &res.body[..res.body.len().min(600)]
        )
    };
    let api = cell.contains(" /api/");
    let html = res
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .starts_with("text/html");
    let people_section = res.body.contains("id=\"personnes\"") || res.body.contains("Personnes et rôles");
    // Whatever the answer, the security headers are there.
    let header = |n: &str| {
        res.headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    assert!(
        header("content-security-policy").contains("frame-ancestors 'none'"),
        "{}",
        ctx()
    );
    assert_eq!(header("x-content-type-options"), "nosniff", "{}", ctx());
    match expected {
        Okay => assert_eq!(res.status, StatusCode::OK, "{}", ctx()),
        People => {
            assert_eq!(res.status, StatusCode::OK, "{}", ctx());
            assert!(people_section, "{}", ctx());
        }
        NoPeople => {
            assert_eq!(res.status, StatusCode::OK, "{}", ctx());
            assert!(!people_section, "{}", ctx());
        }
        Done => {
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", ctx());
            assert!(!res.location().starts_with("/connexion?retour="), "{}", ctx());
        }
        Login => {
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", ctx());
            assert!(res.location().starts_with("/connexion?retour=/"), "{}", ctx());
        }
        Unauth => {
            assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", ctx());
            assert_eq!(res.json()["erreur"], "connexion-requise", "{}", ctx());
        }
        Conflict => {
            assert_eq!(res.status, StatusCode::CONFLICT, "{}", ctx());
            assert!(html, "{}", ctx());
            assert!(res.body.contains("<html lang=\"fr\""), "{}", ctx());
        }
        Deny | Hide => {
            let (status, code) = if expected == Deny {
                (StatusCode::FORBIDDEN, "acces-refuse")
            } else {
                (StatusCode::NOT_FOUND, "introuvable")
            };
            assert_eq!(res.status, status, "{}", ctx());
            if api {
                assert_eq!(res.json()["erreur"], code, "{}", ctx());
            } else {
                assert!(html, "{}", ctx());
                assert!(res.body.contains("<html lang=\"fr\""), "{}", ctx());
                assert!(!people_section, "{}", ctx());
            }
        }
    }
}

/// The whole table: 7 callers × every line, on one application.
#[tokio::test]
async fn every_route_for_every_caller() {
    let app = TestApp::with_demo().await;
    app.user(OTHER_ADMIN, "org-admin", Some(GRAND_EST)).await;
    let third_party = app.user(THIRD_PARTY, "member", Some(GRAND_EST)).await;
    let reset_target = app.user(RESET_TARGET, "member", Some(GRAND_EST)).await;
    let ales = org_id(&app, ALES).await;
    let ge = org_id(&app, GRAND_EST).await;

    // Each caller: a browser (pages) and a personal token (API).
    let mut callers = Vec::new();
    let mut browsers = Vec::new();
    let mut tokens = Vec::new();
    for email in EMAILS {
        match email {
            Some(e) => {
                let id = user_id(&app, e).await;
                callers.push(id);
                browsers.push(app.login(e, PASSWORD).await);
                tokens.push(Some(new_token(&app, id, "matrice").await.1));
            }
            None => {
                browsers.push(Browser::default());
                tokens.push(None);
            }
        }
    }
    let world = World {
        ales,
        ge,
        third_party,
        callers: callers.clone(),
    };

    // The fixed placeholders.
    let (ales_school, ge_school, ales_person, ge_person, third) = {
        let mut c = app.ctx.db.conn().await.unwrap();
        let ales_school = maillage_db::schools::of_organisation(c.ex(), ales).await.unwrap()[0].id;
        let ge_school = maillage_db::schools::of_organisation(c.ex(), ge).await.unwrap()[0].id;
        let pick = |people: Vec<maillage_db::users::UserRow>| {
            people
                .into_iter()
                .find(|u| u.password_hash.is_none())
                .expect("une personne fictive")
                .id
        };
        let ales_person = pick(maillage_db::users::in_organisation(c.ex(), ales).await.unwrap());
        let ge_person = pick(maillage_db::users::in_organisation(c.ex(), ge).await.unwrap());
        // A member that shares no school with Alès or Grand Est.
        let third = "234400034";
        (ales_school, ge_school, ales_person, ge_person, third)
    };
    let (foreign_token, _) = new_token(&app, third_party, "jeton du tiers").await;
    let directory = directory_world(&app, ales, ge).await;
    // The catalogue's fixed modules, created by the coordinator.
    let coordinator_id = callers[5];
    let ales_module =
        crate::catalogue::module(&app, coordinator_id, ales_school, "Module d'Alès non partagé", false).await;
    let ge_module = crate::catalogue::module(
        &app,
        coordinator_id,
        ge_school,
        "Module de Grand Est non partagé",
        false,
    )
    .await;
    let shared_module = crate::catalogue::module(&app, coordinator_id, ales_school, "Module partagé", true).await;
    let taken_module = crate::catalogue::module(&app, coordinator_id, ales_school, "Module repris", true).await;
    crate::catalogue::adopt(&app, coordinator_id, taken_module, ge_school).await;
    {
        let mut f = crate::catalogue::ModuleForm::new(ales_school, "Module repris");
        f.shared = false;
        maillage_core::catalogue::update(&app.ctx, &actor(&app, coordinator_id).await, taken_module, &f.input())
            .await
            .unwrap();
    }
    // Sessions of the shared module and of Alès's unshared one.
    let start = (maillage_db::now().date() + time::Duration::days(30)).to_string();
    let mut sessions = Vec::new();
    for module in [shared_module, ales_module] {
        sessions.push(
            maillage_core::enrolment::create(
                &app.ctx,
                &actor(&app, coordinator_id).await,
                module,
                &maillage_core::enrolment::Input {
                    starts_on: start.clone(),
                    ends_on: start.clone(),
                    place: "Salle du conseil".into(),
                    capacity: "20".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap(),
        );
    }
    let (shared_session, ales_session) = (sessions[0], sessions[1]);
    // Attendance: the first half-day of `{ales_session}`.
    let ales_slot = {
        let mut c = app.ctx.db.conn().await.unwrap();
        maillage_db::attendance::slots(c.ex(), ales_session).await.unwrap()[0].id
    };
    // Evaluations: a template of Alès's school, a questionnaire opened from
    // it for `{ales_session}` (nobody invited yet), a trainer of Alès
    // linked to the « intervenant » account.
    let coordinator_actor = actor(&app, coordinator_id).await;
    let ales_template = maillage_core::evaluations::create_default_template(
        &app.ctx,
        &coordinator_actor,
        &ales_school.to_string(),
        "chaud",
    )
    .await
    .unwrap();
    let ales_question = maillage_core::evaluations::template(&app.ctx, &coordinator_actor, ales_template)
        .await
        .unwrap()
        .questions[0]
        .id;
    let ales_evaluation = maillage_core::evaluations::open(
        &app.ctx,
        &coordinator_actor,
        ales_session,
        &maillage_core::evaluations::OpenInput {
            template: ales_template.to_string(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let ales_trainer = Uuid::now_v7();
    {
        let mut tx = app.ctx.db.begin().await.unwrap();
        tx.ex()
            .execute(
                maillage_db::query(
                    "INSERT INTO trainers (id, school_id, user_id, name, name_sort, created_at, updated_at) \
                     VALUES ($1, $2, $3, 'Intervenant de la matrice', 'intervenant de la matrice', $4, $4)",
                )
                .bind(ales_trainer)
                .bind(ales_school)
                .bind(callers[1])
                .bind(maillage_db::now()),
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    // A cycle of Alès's school holding `{ales_session}`.
    let ales_cycle = {
        let mut tx = app.ctx.db.begin().await.unwrap();
        let id = maillage_db::cycles::insert(tx.ex(), ales_school, "Cycle de la matrice", "")
            .await
            .unwrap();
        tx.ex()
            .execute(
                maillage_db::query("UPDATE training_sessions SET cycle_id = $2 WHERE id = $1")
                    .bind(ales_session)
                    .bind(id),
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    };
    let (ales_path, ge_path, shared_path, ales_step) =
        crate::paths::permission_world(&app, coordinator_id, ales_school, ge_school, ales_module, ales_person).await;
    // A project's life: a project of its own (tests/it/project_life.rs).
    let life = crate::project_life::permission_world(&app, ales_school, ales, callers[0], callers[1]).await;
    // The bank: projects of its own (tests/it/projects.rs).
    let bank = crate::projects::permission_world(&app, ales_school, ales, callers[5]).await;
    // Promotions: the demo's current promotion of Alès's school, a
    // promotion of Grand Est's school, a member of the former and their address.
    let (ales_promotion, ge_promotion, promotion_member, promotion_email) = {
        let today = maillage_db::now().date();
        let mut c = app.ctx.db.conn().await.unwrap();
        let ales_promotion =
            maillage_db::promotions::by_name(c.ex(), &format!("Promotion {} – Excellence managériale", today.year()))
                .await
                .unwrap()
                .expect("la promotion de démonstration")
                .id;
        let agent = maillage_db::profiles::id_of_user(c.ex(), callers[0]).await.unwrap();
        let member = maillage_db::promotions::members(c.ex(), ales_promotion)
            .await
            .unwrap()
            .into_iter()
            .find(|m| Some(m.profile_id) != agent)
            .unwrap()
            .profile_id;
        let everything = maillage_db::profiles::Scope {
            everything: true,
            ..Default::default()
        };
        let email = maillage_db::profiles::by_id(c.ex(), &everything, member)
            .await
            .unwrap()
            .unwrap()
            .email
            .expect("une adresse");
        drop(c);
        let ge_promotion = maillage_core::promotions::create(
            &app.ctx,
            &actor(&app, coordinator_id).await,
            ge_school,
            &maillage_core::promotions::Input {
                name: "Promotion de Grand Est".into(),
                starts_on: "2026-01-15".into(),
                ends_on: "2026-11-30".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        (ales_promotion, ge_promotion, member, email)
    };
    let network: BTreeSet<String> = {
        let mut c = app.ctx.db.conn().await.unwrap();
        maillage_db::organisations::list(
            c.ex(),
            &maillage_db::organisations::ListFilter {
                limit: 10_000,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.siren)
        .collect()
    };
    let mut unused_sirens = maillage_domain::reference::all()
        .iter()
        .map(|c| c.siren.as_str().to_owned())
        .filter(|s| !network.contains(s));

    let photo = crate::harness::png(80, 80);
    let started = std::time::Instant::now();
    let mut cells = 0;
    let mut before = snapshot(&app, &world).await;
    for row in TABLE {
        for (col, expected) in row.expect.iter().enumerate() {
            cells += 1;
            let who = CALLERS[col];
            let me = if col == 0 { third_party } else { callers[col - 1] };
            let my_email = EMAILS[col].unwrap_or(THIRD_PARTY);
            let n = cells.to_string();

            // Fill the placeholders (some write: a fresh link, a token).
            let needs = |p: &str| row.path.contains(p) || row.body.iter().any(|(_, v)| v.contains(p));
            let new_siren = if needs("{new_siren}") {
                unused_sirens.next().unwrap()
            } else {
                String::new()
            };
            let reset_token = if needs("{reset_token}") {
                one_time_link(&app, "reset", Some(reset_target), RESET_TARGET, None).await
            } else {
                String::new()
            };
            let new_email = format!("invite-{n}@ville.fr");
            let invitation_token = if needs("{invitation_token}") {
                one_time_link(&app, "invitation", None, &new_email, Some(ales)).await
            } else {
                String::new()
            };
            let own_token = if needs("{own_token}") {
                new_token(&app, me, &format!("à révoquer {n}")).await.0.to_string()
            } else {
                String::new()
            };
            // The directory's single-use things: a profile to delete, a
            // theme, a pending import (the caller's own when they may import
            // for Alès, else its administrator's).
            let victim = |siren: &'static str| {
                let app = &app;
                let n = n.clone();
                async move {
                    let email = format!("victime-{n}@{siren}.fr");
                    let file = format!("Nom;Prénom;Courriel\nVictime;Cellule {n};{email}\n");
                    let out =
                        maillage_core::directory::import::from_cli(&app.ctx, siren, file.as_bytes(), false, false)
                            .await
                            .unwrap();
                    assert!(out.written);
                    let mut c = app.ctx.db.conn().await.unwrap();
                    maillage_db::profiles::by_email(c.ex(), &email)
                        .await
                        .unwrap()
                        .unwrap()
                        .0
                        .to_string()
                }
            };
            let ales_victim = if needs("{ales_victim}") {
                victim(ALES).await
            } else {
                String::new()
            };
            let ge_victim = if needs("{ge_victim}") {
                victim(GRAND_EST).await
            } else {
                String::new()
            };
            let coordinator = actor(&app, callers[5]).await;
            let theme = if needs("{theme}") {
                maillage_core::directory::themes::add(&app.ctx, &coordinator, &format!("À changer {n}"))
                    .await
                    .unwrap()
                    .to_string()
            } else {
                String::new()
            };
            if needs("{missing_starter}") {
                let present = maillage_core::directory::themes::list(&app.ctx).await.unwrap();
                let starter = present
                    .iter()
                    .find(|t| maillage_core::directory::themes::STARTER.contains(&t.name.as_str()))
                    .expect("une thématique suggérée");
                maillage_core::directory::themes::remove(&app.ctx, &coordinator, starter.id)
                    .await
                    .unwrap();
            }
            let import_of = |user: Uuid| {
                let app = &app;
                let n = n.clone();
                async move {
                    let file = format!("Nom;Prénom;Courriel\nImport;Cellule {n};import-{n}@ales.fr\n");
                    maillage_core::directory::import::upload(
                        &app.ctx,
                        &actor(app, user).await,
                        ALES,
                        "agents.csv",
                        file.as_bytes(),
                    )
                    .await
                    .unwrap()
                    .to_string()
                }
            };
            let import = if needs("{import}") {
                let mine = col > 0
                    && maillage_core::policy::allows(
                        &actor(&app, me).await,
                        &maillage_core::policy::Action::ImportPeople { organisation: ales },
                    );
                import_of(if mine { me } else { callers[3] }).await
            } else {
                String::new()
            };
            let foreign_import = if needs("{foreign_import}") {
                import_of(callers[3]).await
            } else {
                String::new()
            };
            // The catalogue's single-use modules: a shared one to take, one
            // taken by Grand Est's school to withdraw.
            let adoptable = if needs("{adoptable}") {
                crate::catalogue::module(&app, coordinator_id, ales_school, &format!("À reprendre {n}"), true)
                    .await
                    .to_string()
            } else {
                String::new()
            };
            let adopted = if needs("{adopted}") {
                let id =
                    crate::catalogue::module(&app, coordinator_id, ales_school, &format!("Repris {n}"), true).await;
                crate::catalogue::adopt(&app, coordinator_id, id, ge_school).await;
                id.to_string()
            } else {
                String::new()
            };
            // Attendance: a fresh session of Alès's module whose morning
            // half-day was removed (to add it back), `{fresh_slot}` its
            // afternoon (to remove).
            let (fresh_session, fresh_slot) = if needs("{fresh_session}") {
                let id = maillage_core::enrolment::create(
                    &app.ctx,
                    &coordinator,
                    ales_module,
                    &maillage_core::enrolment::Input {
                        starts_on: start.clone(),
                        ends_on: start.clone(),
                        place: format!("Salle d'émargement {n}"),
                        capacity: "20".into(),
                        confirm: true,
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
                let mut c = app.ctx.db.begin().await.unwrap();
                let slots = maillage_db::attendance::slots(c.ex(), id).await.unwrap();
                maillage_db::attendance::delete_slot(c.ex(), id, slots[0].id)
                    .await
                    .unwrap();
                c.commit().await.unwrap();
                (id.to_string(), slots[1].id.to_string())
            } else {
                (String::new(), String::new())
            };
            // A fresh session of Alès's module to open a questionnaire for.
            let evaluable_session = if needs("{evaluable_session}") {
                maillage_core::enrolment::create(
                    &app.ctx,
                    &coordinator,
                    ales_module,
                    &maillage_core::enrolment::Input {
                        starts_on: start.clone(),
                        ends_on: start.clone(),
                        place: format!("Salle d'évaluation {n}"),
                        capacity: "20".into(),
                        confirm: true,
                        ..Default::default()
                    },
                )
                .await
                .unwrap()
                .to_string()
            } else {
                String::new()
            };
            // Promotions' single-use things: a fresh profile of Alès to
            // add, a fresh member to remove, a group to move someone to.
            let promotion_candidate = if needs("{promotion_candidate}") {
                victim(ALES).await
            } else {
                String::new()
            };
            let promotion_removable = if needs("{promotion_removable}") {
                let profile = victim(ALES).await;
                let mut tx = app.ctx.db.begin().await.unwrap();
                maillage_db::promotions::add_member(tx.ex(), ales_promotion, Uuid::parse_str(&profile).unwrap())
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                profile
            } else {
                String::new()
            };
            let promotion_other_group = if needs("{promotion_other_group}") {
                let mut c = app.ctx.db.conn().await.unwrap();
                let m = maillage_db::promotions::member(c.ex(), ales_promotion, promotion_member)
                    .await
                    .unwrap()
                    .unwrap();
                if m.group_no == Some(1) { "2" } else { "1" }
            } else {
                ""
            };
            let subst = |s: &str| {
                s.replace("{ales}", ALES)
                    .replace("{ge}", GRAND_EST)
                    .replace("{third}", third)
                    .replace("{ales_school}", &ales_school.to_string())
                    .replace("{ge_school}", &ge_school.to_string())
                    .replace("{ales_person}", &ales_person.to_string())
                    .replace("{ge_person}", &ge_person.to_string())
                    .replace("{email}", my_email)
                    .replace("{password}", PASSWORD)
                    .replace("{new_email}", &new_email)
                    .replace("{new_siren}", &new_siren)
                    .replace("{n}", &n)
                    .replace("{reset_token}", &reset_token)
                    .replace("{invitation_token}", &invitation_token)
                    .replace("{own_token}", &own_token)
                    .replace("{foreign_token}", &foreign_token.to_string())
                    .replace("{ales_profile}", &directory.ales_profile.to_string())
                    .replace("{ge_profile}", &directory.ge_profile.to_string())
                    .replace("{ales_orgonly}", &directory.ales_orgonly.to_string())
                    .replace("{ales_private}", &directory.ales_private.to_string())
                    .replace("{unknown_id}", &Uuid::now_v7().to_string())
                    .replace("{ales_victim}", &ales_victim)
                    .replace("{ge_victim}", &ge_victim)
                    .replace("{theme}", &theme)
                    .replace("{missing_starter}", "")
                    .replace("{import}", &import)
                    .replace("{foreign_import}", &foreign_import)
                    .replace("{ales_module}", &ales_module.to_string())
                    .replace("{ge_module}", &ge_module.to_string())
                    .replace("{shared_module}", &shared_module.to_string())
                    .replace("{taken_module}", &taken_module.to_string())
                    .replace("{adoptable}", &adoptable)
                    .replace("{adopted}", &adopted)
                    .replace("{shared_session}", &shared_session.to_string())
                    .replace("{ales_session}", &ales_session.to_string())
                    .replace("{ales_path}", &ales_path.to_string())
                    .replace("{ge_path}", &ge_path.to_string())
                    .replace("{shared_path}", &shared_path.to_string())
                    .replace("{ales_step}", &ales_step.to_string())
                    .replace("{start}", &start)
                    .replace("{ales_template}", &ales_template.to_string())
                    .replace("{ales_question}", &ales_question.to_string())
                    .replace("{ales_evaluation}", &ales_evaluation.to_string())
                    .replace("{ales_trainer}", &ales_trainer.to_string())
                    .replace("{ales_cycle}", &ales_cycle.to_string())
                    .replace("{evaluable_session}", &evaluable_session)
                    .replace("{ales_slot}", &ales_slot.to_string())
                    .replace("{unknown_code}", "ABCDEFGHJKMN")
                    .replace("{fresh_session}", &fresh_session)
                    .replace("{fresh_slot}", &fresh_slot)
                    .replace("{ales_promotion}", &ales_promotion.to_string())
                    .replace("{ge_promotion}", &ge_promotion.to_string())
                    .replace("{promotion_member}", &promotion_member.to_string())
                    .replace("{promotion_email}", &promotion_email)
                    .replace("{promotion_candidate}", &promotion_candidate)
                    .replace("{promotion_removable}", &promotion_removable)
                    .replace("{promotion_group}", "1")
                    .replace("{promotion_other_group}", promotion_other_group)
            };
            // A project's life: its fixed and single-use placeholders.
            let life_fresh = life.fresh(&app, &format!("{} {:?}", row.path, row.body)).await;
            let bank_fresh = bank.fresh(&app, &format!("{} {:?}", row.path, row.body)).await;
            if !life_fresh.is_empty() || !bank_fresh.is_empty() {
                before = snapshot(&app, &world).await;
            }
            let subst = |s: &str| {
                let mut s = bank.fill(&life.fill(&subst(s)));
                for (k, v) in life_fresh.iter().chain(&bank_fresh) {
                    s = s.replace(k, v);
                }
                s
            };
            let path = subst(row.path);
            assert!(!path.contains('{'), "paramètre inconnu dans {path}");
            let body: Vec<(String, String)> = row.body.iter().map(|(k, v)| ((*k).to_owned(), subst(v))).collect();
            let pairs: Vec<(&str, &str)> = body.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            if [
                "{reset_token}",
                "{invitation_token}",
                "{own_token}",
                "{ales_victim}",
                "{ge_victim}",
                "{theme}",
                "{missing_starter}",
                "{import}",
                "{foreign_import}",
                "{adoptable}",
                "{adopted}",
                "{evaluable_session}",
                "{fresh_session}",
                "{promotion_candidate}",
                "{promotion_removable}",
            ]
            .iter()
            .any(|p| needs(p))
            {
                before = snapshot(&app, &world).await;
            }

            let cell = format!("[{who}] {} {path}", row.method);
            let res = if path.starts_with("/api/") && row.method == "POST" {
                // The API's writes: the caller's token, no cookie.
                let auth = tokens[col].as_deref().map(|t| format!("Bearer {t}"));
                let extra: Vec<(&str, &str)> = auth.as_deref().map(|a| vec![("authorization", a)]).unwrap_or_default();
                app.request(Method::POST, &path, None, Some(crate::harness::form(&pairs)), &extra)
                    .await
            } else if path.starts_with("/api/") {
                app.api(&path, tokens[col].as_deref()).await
            } else {
                let fresh;
                let browser = if row.fresh {
                    fresh = match EMAILS[col] {
                        Some(_) => session_of(&app, me).await,
                        None => Browser::default(),
                    };
                    &fresh
                } else {
                    &browsers[col]
                };
                if row.multipart {
                    let csv = format!("Nom;Prénom;Courriel\nEnvoi;Cellule {n};envoi-{n}@ales.fr\n");
                    let parts: Vec<Part> = pairs
                        .iter()
                        .map(|(k, v)| match *v {
                            "{png}" => Part::file(k, "photo.png", "image/png", &photo),
                            "{csv}" => Part::file(k, "agents.csv", "text/csv", csv.as_bytes()),
                            v => Part::field(k, v),
                        })
                        .collect();
                    app.upload(&path, browser, &parts).await
                } else {
                    let method = if row.method == "GET" { Method::GET } else { Method::POST };
                    let body = (row.method == "POST").then(|| crate::harness::form(&pairs));
                    app.request(method, &path, Some(browser), body, &[]).await
                }
            };
            check(&cell, *expected, &res);

            // A refused call, and any GET, writes nothing; an accepted action does.
            let mut after = snapshot(&app, &world).await;
            let refused = matches!(expected, Login | Unauth | Deny | Hide | Conflict);
            let writes =
                row.method == "POST" && !matches!(row.path, "/connexion" | "/deconnexion" | "/mot-de-passe-oublie");
            if !refused && row.path.starts_with("/annuaire/export.csv") {
                // An export of personal data is recorded in the audit log, and
                // that is all it writes.
                assert_eq!(
                    after.audit_entries,
                    before.audit_entries + 1,
                    "{cell} : export non journalisé"
                );
                after.audit_entries -= 1;
                assert_eq!(before, after, "{cell} : l'appel a modifié les données");
                after.audit_entries += 1;
            } else if refused || row.method == "GET" || !writes {
                assert_eq!(before, after, "{cell} : l'appel a modifié les données");
            } else {
                assert_ne!(before, after, "{cell} : l'action acceptée n'a rien enregistré");
            }
            before = after;
        }
    }
    eprintln!("{cells} cases de la matrice en {:?}", started.elapsed());
    assert_eq!(cells, TABLE.len() * CALLERS.len());

    // Spot checks of what the accepted actions did.
    let mut c = app.ctx.db.conn().await.unwrap();
    let roles = maillage_db::roles::of_user(c.ex(), ales_person).await.unwrap();
    assert!(
        roles
            .iter()
            .any(|r| r.role == "trainer" && r.organisation_id == Some(ales)),
        "{roles:?}"
    );
    assert!(
        roles
            .iter()
            .any(|r| r.role == "coordinator" && r.organisation_id.is_none()),
        "{roles:?}"
    );
    let ge_roles = maillage_db::roles::of_user(c.ex(), ge_person).await.unwrap();
    assert!(
        ge_roles.iter().any(|r| r.role == "hr" && r.organisation_id == Some(ge)),
        "{ge_roles:?}"
    );
    let foreign = maillage_db::api_tokens::of_user(c.ex(), third_party).await.unwrap();
    assert!(
        foreign.iter().all(|t| t.revoked_at.is_none()),
        "le jeton d'un tiers a été révoqué"
    );
}

// ---------------------------------------------------------------------------
// Leaks
// ---------------------------------------------------------------------------

/// The addresses of an organisation's people (and of pending invitations)
/// appear only to those the policy lets see them: on its page, in the API,
/// in /admin/personnes and /admin/journal.
#[tokio::test]
async fn people_and_addresses_do_not_leak() {
    let app = TestApp::with_demo().await;
    app.user(OTHER_ADMIN, "org-admin", Some(GRAND_EST)).await;
    let ales = org_id(&app, ALES).await;
    let mut emails: Vec<String> = {
        let mut c = app.ctx.db.conn().await.unwrap();
        maillage_db::users::in_organisation(c.ex(), ales)
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.email)
            .collect()
    };
    assert!(emails.len() >= 10, "{emails:?}");

    let admin = app.login("ecole@demo.example", PASSWORD).await;
    // A pending invitation: its address is as private as the people's.
    let invited = "nouvelle.recrue@ales.fr";
    let res = app
        .request(
            Method::POST,
            &format!("/organisations/{ALES}/invitations"),
            Some(&admin),
            Some(crate::harness::form(&[("email", invited), ("role", "trainer")])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    emails.push(invited.to_owned());

    let mut browsers = Vec::new();
    let mut tokens = Vec::new();
    for email in EMAILS {
        match email {
            Some(e) => {
                let id = user_id(&app, e).await;
                browsers.push(if e == "ecole@demo.example" {
                    admin.clone()
                } else {
                    app.login(e, PASSWORD).await
                });
                tokens.push(Some(new_token(&app, id, "fuites").await.1));
            }
            None => {
                browsers.push(Browser::default());
                tokens.push(None);
            }
        }
    }
    let sees_people = [false, false, false, true, true, false, true];
    let coordinator = [false, false, false, false, false, false, true];

    for col in 0..CALLERS.len() {
        let who = CALLERS[col];
        let browser = &browsers[col];

        // The organisation's page.
        let res = app.get(&format!("/organisations/{ALES}"), Some(browser)).await;
        assert_eq!(res.status, StatusCode::OK, "[{who}]");
        for e in &emails {
            assert_eq!(
                res.body.contains(e.as_str()),
                sees_people[col],
                "[{who}] /organisations/{ALES} et {e}"
            );
        }
        assert_eq!(res.body.contains("Personnes et rôles"), sees_people[col], "[{who}]");

        // The API, with the caller's token.
        let res = app
            .api(
                &format!("/api/v1/organisations/{ALES}/personnes"),
                tokens[col].as_deref(),
            )
            .await;
        if sees_people[col] {
            assert_eq!(res.status, StatusCode::OK, "[{who}] {}", res.body);
            let listed: Vec<String> = res
                .json()
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["courriel"].as_str().unwrap().to_owned())
                .collect();
            for e in emails.iter().filter(|e| e.as_str() != invited) {
                assert!(listed.contains(e), "[{who}] API : {e} absent");
            }
        } else {
            let (status, code) = if col == 0 {
                (StatusCode::UNAUTHORIZED, "connexion-requise")
            } else {
                (StatusCode::NOT_FOUND, "introuvable")
            };
            assert_eq!(res.status, status, "[{who}] {}", res.body);
            assert_eq!(res.json()["erreur"], code, "[{who}]");
            assert!(!res.body.contains('@'), "[{who}] {}", res.body);
            // Hidden reads exactly like absent: the same answer as for an
            // organisation outside the network.
            let absent = app
                .api("/api/v1/organisations/220500011/personnes", tokens[col].as_deref())
                .await;
            if col > 0 {
                assert_eq!((absent.status, &absent.body), (res.status, &res.body), "[{who}]");
            }
        }

        // The network's accounts and the audit log: the coordinator only.
        for page in ["/admin/personnes", "/admin/personnes?q=demo", "/admin/journal"] {
            let res = app.get(page, Some(browser)).await;
            if coordinator[col] {
                assert_eq!(res.status, StatusCode::OK, "[{who}] {page}");
                assert!(
                    res.body.contains("@demo.example") || page == "/admin/journal",
                    "[{who}] {page}"
                );
            } else {
                let expected = if col == 0 {
                    StatusCode::SEE_OTHER
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(res.status, expected, "[{who}] {page}");
                if col == 0 {
                    assert!(res.location().starts_with("/connexion?retour="), "[{who}] {page}");
                }
                for e in &emails {
                    assert!(!res.body.contains(e.as_str()), "[{who}] {page} montre {e}");
                }
                assert!(!res.body.contains("@demo.example"), "[{who}] {page}");
                assert!(!res.body.contains(invited), "[{who}] {page}");
            }
        }
    }
    // The coordinator sees the invitation in the log.
    let res = app.get("/admin/journal", Some(&browsers[6])).await;
    assert!(res.body.contains(invited), "{}", res.body);
}

/// A revoked token no longer opens the API (401 JSON), whether revoked from
/// /compte or by the operation; an unknown one neither.
#[tokio::test]
async fn a_revoked_token_gets_401() {
    let app = TestApp::with_demo().await;
    let hr = user_id(&app, "rh@demo.example").await;
    let path = format!("/api/v1/organisations/{ALES}/personnes");

    // Revoked from the account page.
    let (id, secret) = new_token(&app, hr, "tableau RH").await;
    assert_eq!(app.api(&path, Some(&secret)).await.status, StatusCode::OK);
    assert_eq!(app.api("/api/v1/moi", Some(&secret)).await.status, StatusCode::OK);
    let mut browser = app.login("rh@demo.example", PASSWORD).await;
    let res = app
        .submit(&format!("/compte/jetons/{id}/revoquer"), &mut browser, &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    for p in [path.as_str(), "/api/v1/moi", "/api/v1/organisations"] {
        let res = app.api(p, Some(&secret)).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{p} : {}", res.body);
        assert_eq!(res.json()["erreur"], "jeton-invalide", "{p}");
        assert!(!res.body.contains('@'), "{}", res.body);
    }

    // Revoked by the operation.
    let (id, secret) = new_token(&app, hr, "script").await;
    assert_eq!(app.api(&path, Some(&secret)).await.status, StatusCode::OK);
    maillage_core::api_tokens::revoke(&app.ctx, &actor(&app, hr).await, id)
        .await
        .unwrap();
    let res = app.api(&path, Some(&secret)).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.body);
    assert_eq!(res.json()["erreur"], "jeton-invalide");

    // Unknown, or not even of our format.
    for t in ["mlg_inconnu", "n-importe-quoi"] {
        let res = app.api(&path, Some(t)).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{t} : {}", res.body);
        assert_eq!(res.json()["erreur"], "jeton-invalide", "{t}");
    }
}

/// The directory's lists, searches, filters, exports and API answers show
/// a profile, and match on a field, only for those who may see them — with
/// the table's seven callers (HR and trainers are plain members here).
#[tokio::test]
async fn directory_lists_and_searches_do_not_leak() {
    let app = TestApp::with_demo().await;
    app.user(OTHER_ADMIN, "org-admin", Some(GRAND_EST)).await;
    let ales = org_id(&app, ALES).await;
    let ge = org_id(&app, GRAND_EST).await;
    let world = directory_world(&app, ales, ge).await;
    let coordinator = user_id(&app, "animation@demo.example").await;
    let secret_theme = crate::directory::theme(&app, coordinator, "Fuitethème").await;

    // A profile in the directory with fields at each level, and one out of it.
    let (shown, gone) = (world.ales_profile, world.ales_private);
    let app_ = &app;
    let account_of = |profile: Uuid| async move {
        let mut c = app_.ctx.db.conn().await.unwrap();
        let everything = maillage_db::profiles::Scope {
            everything: true,
            ..Default::default()
        };
        let row = maillage_db::profiles::by_id(c.ex(), &everything, profile)
            .await
            .unwrap()
            .unwrap();
        row.user_id.expect("un compte")
    };
    let shown_user = account_of(shown).await;
    let mut own = crate::directory::Own::new("Prénom", "Fuitevisible");
    own.function_title = "fuitefonctionreseau".into();
    own.cadre = "fuitecadreorga".into();
    own.email = "fuite.courriel@ales.fr".into();
    own.bio = "fuitebioprive".into();
    own.expertise = vec![secret_theme.to_string()];
    own.vis = [
        "reseau",
        "reseau",
        "reseau",
        "organisation",
        "organisation",
        "organisation",
        "prive",
        "reseau",
        "prive",
        "reseau",
    ];
    own.save(&app, shown_user).await;
    let gone_user = account_of(gone).await;
    let mut own = crate::directory::Own::new("Prénom", "Fuitenom");
    own.function_title = "fuitesortie".into();
    own.listed = "prive";
    own.save(&app, gone_user).await;

    // The tier of each column for Alès's profiles (None: anonymous).
    let tiers = [None, Some(1), Some(1), Some(1), Some(2), Some(0), Some(2)];
    let exports = [false, false, false, false, true, true, true];
    for col in 0..CALLERS.len() {
        let who = CALLERS[col];
        let (browser, token) = match EMAILS[col] {
            Some(e) => {
                let id = user_id(&app, e).await;
                (session_of(&app, id).await, Some(new_token(&app, id, "fuites").await.1))
            }
            None => (Browser::default(), None),
        };
        let Some(tier) = tiers[col] else {
            for path in ["/annuaire?q=fuite", "/annuaire/export.csv?q=fuite"] {
                let res = app.get(path, Some(&browser)).await;
                assert_eq!(res.status, StatusCode::SEE_OTHER, "[{who}] {path}");
                assert!(!res.body.contains("fuite"), "[{who}] {path}");
            }
            let res = app.api("/api/v1/annuaire?q=fuite", None).await;
            assert_eq!(res.status, StatusCode::UNAUTHORIZED, "[{who}]");
            assert!(!res.body.contains("fuite"), "[{who}]");
            continue;
        };
        for (query, profile, visible) in [
            ("q=fuitefonctionreseau", shown, true),
            ("q=fuitecadreorga", shown, tier >= 1),
            ("q=fuite.courriel", shown, tier >= 1),
            ("q=fuitebioprive", shown, tier == 2),
            (&*format!("theme={secret_theme}"), shown, tier == 2),
            ("q=fuitenom", gone, tier == 2),
            ("q=fuitesortie", gone, tier == 2),
            (&*format!("organisation={ALES}&q=prenom"), gone, tier == 2),
        ] {
            let res = app.get(&format!("/annuaire?{query}"), Some(&browser)).await;
            assert_eq!(res.status, StatusCode::OK, "[{who}] {query}");
            assert_eq!(
                res.body.contains(&format!("href=\"/annuaire/{profile}\"")),
                visible,
                "[{who}] /annuaire?{query}"
            );
            let api = app.api(&format!("/api/v1/annuaire?{query}"), token.as_deref()).await;
            assert_eq!(api.status, StatusCode::OK, "[{who}] API {query} : {}", api.body);
            assert_eq!(api.body.contains(&profile.to_string()), visible, "[{who}] API ?{query}");
        }
        // What a list shows: never the hidden fields, never the hidden profile.
        let res = app.get("/annuaire?q=fuite", Some(&browser)).await;
        let api = app.api("/api/v1/annuaire?q=fuite", token.as_deref()).await;
        for (hidden, secret) in [
            (tier < 2, "fuitebioprive"),
            (tier < 1, "fuitecadreorga"),
            (tier < 1, "fuite.courriel@ales.fr"),
            (tier < 2, "Fuitethème"),
            (tier < 2, "Fuitenom"),
        ] {
            if hidden {
                // The results (the theme filter above them lists every theme).
                let text = res.text();
                let results = &text[text.find("role=\"status\"").expect("résultats")..];
                assert!(!results.contains(secret), "[{who}] liste : {secret}");
                assert!(!api.body.contains(secret), "[{who}] API : {secret}");
            }
        }
        // Exports: administrators, with only what they see.
        let res = app.get("/annuaire/export.csv?q=fuite", Some(&browser)).await;
        if !exports[col] {
            assert_eq!(res.status, StatusCode::FORBIDDEN, "[{who}] export");
            assert!(!res.body.contains("fuite"), "[{who}] export");
            continue;
        }
        assert_eq!(res.status, StatusCode::OK, "[{who}] export");
        let rows = crate::directory::parse_csv(&res.body);
        let names: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
        assert!(names.contains(&"Fuitevisible"), "[{who}] export : {names:?}");
        assert_eq!(names.contains(&"Fuitenom"), tier == 2, "[{who}] export : {names:?}");
        let visible = rows.iter().find(|r| r[0] == "Fuitevisible").unwrap();
        assert_eq!(visible[9].is_empty(), tier < 1, "[{who}] export, courriel");
        assert_eq!(visible[8].is_empty(), tier < 1, "[{who}] export, cadre");
        assert_eq!(visible[12].is_empty(), tier < 2, "[{who}] export, expertises");
    }
}

/// The catalogue's lists, searches, filters and API answers show a module
/// not shared with the network, and match on its words, only for the people
/// of its school's organisations and the coordinator — with the table's
/// seven callers, for a module of Alès's school and one of Grand Est's.
#[tokio::test]
async fn catalogue_lists_and_searches_do_not_leak() {
    let app = TestApp::with_demo().await;
    app.user(OTHER_ADMIN, "org-admin", Some(GRAND_EST)).await;
    let ales = org_id(&app, ALES).await;
    let ge = org_id(&app, GRAND_EST).await;
    let coordinator = user_id(&app, "animation@demo.example").await;
    let (ales_school, ge_school) = {
        let mut c = app.ctx.db.conn().await.unwrap();
        (
            maillage_db::schools::of_organisation(c.ex(), ales).await.unwrap()[0].id,
            maillage_db::schools::of_organisation(c.ex(), ge).await.unwrap()[0].id,
        )
    };
    // Every field marked with a word found nowhere else.
    let secret = |school: Uuid, tag: &'static str| {
        let app = &app;
        async move {
            let theme = crate::directory::theme(app, coordinator, &format!("Fuitethème{tag}")).await;
            let mut f = crate::catalogue::ModuleForm::new(school, &format!("Fuitemodule fuiteintitule{tag}"));
            f.format = "expedition".into();
            f.objectives = format!("fuiteobjectif{tag}");
            f.description = format!("fuiteprogramme{tag}");
            f.trainers = format!("fuiteintervenant{tag}");
            f.categories = vec!["C".into()];
            f.stage = "confirmes".into();
            f.themes = vec![theme.to_string()];
            (f.create(app, coordinator).await, theme)
        }
    };
    let (ales_module, ales_theme) = secret(ales_school, "ales").await;
    let (ge_module, ge_theme) = secret(ge_school, "ge").await;
    // (module, its theme, its school, its tag, who sees it by column)
    let cases = [
        (
            ales_module,
            ales_theme,
            ales_school,
            "ales",
            [false, true, true, true, true, false, true],
        ),
        (
            ge_module,
            ge_theme,
            ge_school,
            "ge",
            [false, false, false, false, false, true, true],
        ),
    ];

    for col in 0..CALLERS.len() {
        let who = CALLERS[col];
        let (browser, token) = match EMAILS[col] {
            Some(e) => {
                let id = user_id(&app, e).await;
                (session_of(&app, id).await, Some(new_token(&app, id, "fuites").await.1))
            }
            None => (Browser::default(), None),
        };
        let Some(token) = token else {
            for path in [
                "/formations".to_owned(),
                "/formations?q=fuitemodule".into(),
                format!("/formations/{ales_module}"),
                format!("/formations/{ales_module}/modifier"),
            ] {
                let res = app.get(&path, Some(&browser)).await;
                assert_eq!(res.status, StatusCode::SEE_OTHER, "[{who}] {path}");
                assert!(res.location().starts_with("/connexion?retour="), "[{who}] {path}");
                assert!(!res.body.contains("fuite"), "[{who}] {path}");
            }
            for path in [
                "/api/v1/formations?q=fuitemodule".to_owned(),
                format!("/api/v1/formations/{ales_module}"),
            ] {
                let res = app.api(&path, None).await;
                assert_eq!(res.status, StatusCode::UNAUTHORIZED, "[{who}] {path}");
                assert!(!res.body.contains("fuite"), "[{who}] {path}");
            }
            continue;
        };
        for (module, theme, school, tag, sees) in &cases {
            let visible = sees[col];
            let words = [
                format!("fuiteintitule{tag}"),
                format!("fuiteobjectif{tag}"),
                format!("fuiteprogramme{tag}"),
                format!("fuiteintervenant{tag}"),
                format!("Fuitethème{tag}"),
            ];
            let mut queries: Vec<String> = words[..4].iter().map(|w| format!("q={w}")).collect();
            for filter in [
                String::new(),
                "format=expedition".into(),
                format!("theme={theme}"),
                format!("ecole={school}"),
                "categorie=C".into(),
                "public=confirmes".into(),
                format!("format=expedition&theme={theme}&ecole={school}&categorie=C&public=confirmes"),
            ] {
                queries.push(format!("q=fuitemodule&{filter}"));
            }
            for query in &queries {
                let res = app.get(&format!("/formations?{query}"), Some(&browser)).await;
                assert_eq!(res.status, StatusCode::OK, "[{who}] ?{query}");
                let results = crate::catalogue::results(&res);
                assert_eq!(
                    crate::catalogue::linked_modules(&results).contains(module),
                    visible,
                    "[{who}] /formations?{query}"
                );
                let api = app.api(&format!("/api/v1/formations?{query}"), Some(&token)).await;
                assert_eq!(api.status, StatusCode::OK, "[{who}] API ?{query} : {}", api.body);
                assert_eq!(api.body.contains(&module.to_string()), visible, "[{who}] API ?{query}");
                if !visible {
                    for w in &words {
                        assert!(!results.contains(w.as_str()), "[{who}] ?{query} : {w}");
                        assert!(!api.body.contains(w.as_str()), "[{who}] API ?{query} : {w}");
                    }
                }
            }
            // The whole catalogue, page after page.
            let mut found = false;
            for page in 1..=50 {
                let res = app.get(&format!("/formations?page={page}"), Some(&browser)).await;
                let ids = crate::catalogue::linked_modules(&crate::catalogue::results(&res));
                found |= ids.contains(module);
                if ids.is_empty() {
                    break;
                }
            }
            assert_eq!(found, visible, "[{who}] /formations, toutes les pages");
            // By its id: the page, its form, the API.
            let expected = if visible { StatusCode::OK } else { StatusCode::NOT_FOUND };
            let res = app.get(&format!("/formations/{module}"), Some(&browser)).await;
            assert_eq!(res.status, expected, "[{who}] /formations/{module}");
            let api = app.api(&format!("/api/v1/formations/{module}"), Some(&token)).await;
            assert_eq!(api.status, expected, "[{who}] API /formations/{module}");
            if !visible {
                let edit = app.get(&format!("/formations/{module}/modifier"), Some(&browser)).await;
                assert_eq!(edit.status, StatusCode::NOT_FOUND, "[{who}] modifier");
                for body in [&res.body, &api.body, &edit.body] {
                    assert!(!body.contains("fuite"), "[{who}] {module}");
                }
                // Hidden reads exactly like absent.
                let absent = app
                    .api(&format!("/api/v1/formations/{}", Uuid::now_v7()), Some(&token))
                    .await;
                assert_eq!((absent.status, &absent.body), (api.status, &api.body), "[{who}]");
            }
        }
    }
}
