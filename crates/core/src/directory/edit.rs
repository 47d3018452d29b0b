//! Changing profiles: the person edits their whole profile and chooses who
//! sees each field; their organisation's administrators edit the
//! administrative fields. Every change is dated in the profile's history
//! (who, when, which fields — never the values) and re-indexed in the same
//! transaction.

use maillage_db::{
    Ex,
    profiles::{self as db, Fields},
};
use maillage_domain::{category::Category, email::Email, phone::Phone};
use uuid::Uuid;

use super::{index::reindex, photo, visibility::Visibility};
use crate::{Actor, CoreError, CoreResult, Ctx, FieldErrors, policy, policy::Action};

/// What the administrators may change (names, post, professional contact),
/// as typed.
#[derive(Debug, Clone, Default)]
pub struct AdminInput {
    pub first_name: String,
    pub last_name: String,
    pub function_title: String,
    pub direction: String,
    pub service: String,
    pub category: String,
    pub cadre: String,
    pub email: String,
    pub phone: String,
    /// « Date de prise de poste », `AAAA-MM-JJ` (a date field) or `JJ/MM/AAAA`.
    pub post_started_on: String,
    /// « Responsable hiérarchique »: a profile id of the same organisation, or empty.
    pub manager: String,
}

/// The visibility chosen for each field, as form keys (`reseau`,
/// `organisation`, `prive`).
#[derive(Debug, Clone, Default)]
pub struct VisibilityInput {
    pub function: String,
    pub unit: String,
    pub category: String,
    pub cadre: String,
    pub email: String,
    pub phone: String,
    pub bio: String,
    pub languages: String,
    pub themes: String,
    pub photo: String,
    pub listed: String,
    /// « Mon parcours de formation »; empty keeps the current choice.
    pub training: String,
    /// « Mes promotions (ancienne ou ancien de…) »; empty keeps the current choice.
    pub alumni: String,
}

/// The person's own form: everything.
#[derive(Debug, Clone, Default)]
pub struct OwnInput {
    pub admin: AdminInput,
    pub bio: String,
    pub languages: String,
    /// Theme ids, as submitted.
    pub expertise: Vec<String>,
    pub interests: Vec<String>,
    pub visibility: VisibilityInput,
}

fn text(errors: &mut FieldErrors, field: &'static str, value: &str, label: &str, max: usize, required: bool) -> String {
    // Collapse runs of whitespace in one-line fields.
    let v = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if required && v.is_empty() {
        errors.add(field, format!("Saisissez le {label}."));
    } else if v.chars().count() > max {
        errors.add(
            field,
            format!("Le champ « {label} » est trop long ({max} caractères au plus)."),
        );
    }
    v
}

/// Validates the administrative fields into `f` (the rest of `f` is kept).
fn apply_admin(input: &AdminInput, f: &mut Fields, errors: &mut FieldErrors) {
    f.first_name = text(errors, "first_name", &input.first_name, "prénom", 80, true);
    f.last_name = text(errors, "last_name", &input.last_name, "nom", 80, true);
    f.function_title = text(errors, "function_title", &input.function_title, "fonction", 150, false);
    f.direction = text(errors, "direction", &input.direction, "direction", 150, false);
    f.service = text(errors, "service", &input.service, "service", 150, false);
    f.cadre = text(errors, "cadre", &input.cadre, "cadre d'emplois", 120, false);
    f.category = match Category::parse(&input.category) {
        Ok(c) => c.map(|c| c.as_str().to_owned()),
        Err(e) => {
            errors.add("category", e.to_string());
            None
        }
    };
    f.email = if input.email.trim().is_empty() {
        None
    } else {
        match Email::parse(&input.email) {
            Ok(e) => Some(e.as_str().to_owned()),
            Err(e) => {
                errors.add("email", e.to_string());
                None
            }
        }
    };
    f.phone = match Phone::parse(&input.phone) {
        Ok(p) => p.map(|p| p.as_str().to_owned()),
        Err(e) => {
            errors.add("phone", e.to_string());
            None
        }
    };
}

/// Validates the post fields into `post`: the date of taking the post (not
/// more than a year ahead) and the line manager, chosen among `colleagues`.
fn apply_post(input: &AdminInput, colleagues: &[Uuid], post: &mut db::Post, errors: &mut FieldErrors) {
    let raw = input.post_started_on.trim();
    post.post_started_on = if raw.is_empty() {
        None
    } else {
        let today = maillage_db::now().date();
        match crate::dates::parse_day(raw) {
            Some(d) if d.year() >= 1950 && d <= today + time::Duration::days(366) => Some(d),
            Some(_) => {
                errors.add(
                    "post_started_on",
                    "La date de prise de poste doit être passée ou dans l'année qui vient.",
                );
                None
            }
            None => {
                errors.add(
                    "post_started_on",
                    "Saisissez la date de prise de poste au format JJ/MM/AAAA, par exemple 01/09/2025.",
                );
                None
            }
        }
    };
    let raw = input.manager.trim();
    post.manager_id = if raw.is_empty() {
        None
    } else {
        match Uuid::parse_str(raw).ok().filter(|m| colleagues.contains(m)) {
            Some(m) => Some(m),
            None => {
                errors.add(
                    "manager",
                    "Choisissez le responsable hiérarchique parmi les personnes de la même organisation.",
                );
                None
            }
        }
    };
}

/// The history keys of what differs between two versions of the post fields.
fn post_changed(before: &db::Post, after: &db::Post) -> Vec<&'static str> {
    let mut out = Vec::new();
    if before.post_started_on != after.post_started_on {
        out.push("prise_de_poste");
    }
    if before.manager_id != after.manager_id {
        out.push("responsable");
    }
    if before.training_vis != after.training_vis {
        out.push("visibilite_formation");
    }
    if before.alumni_vis != after.alumni_vis {
        out.push("visibilite_promotions");
    }
    out
}

/// The line managers a profile may have: the other profiles of its organisation.
async fn colleague_ids(ex: Ex<'_>, row: &db::ProfileRow) -> CoreResult<Vec<Uuid>> {
    Ok(db::colleagues(ex, row.organisation_id, row.id)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect())
}

fn apply_visibility(input: &VisibilityInput, f: &mut Fields, errors: &mut FieldErrors) {
    let mut vis = |field: &'static str, value: &str, target: &mut i32| match Visibility::parse(value) {
        Some(v) => *target = v.level(),
        None => errors.add(field, "Choisissez qui peut voir ce champ."),
    };
    vis("function_vis", &input.function, &mut f.function_vis);
    vis("unit_vis", &input.unit, &mut f.unit_vis);
    vis("category_vis", &input.category, &mut f.category_vis);
    vis("cadre_vis", &input.cadre, &mut f.cadre_vis);
    vis("email_vis", &input.email, &mut f.email_vis);
    vis("phone_vis", &input.phone, &mut f.phone_vis);
    vis("bio_vis", &input.bio, &mut f.bio_vis);
    vis("languages_vis", &input.languages, &mut f.languages_vis);
    vis("themes_vis", &input.themes, &mut f.themes_vis);
    vis("photo_vis", &input.photo, &mut f.photo_vis);
    vis("listed", &input.listed, &mut f.listed);
}

/// The history keys of what differs between two versions (also what an
/// import's preview announces).
pub(super) fn changed(before: &Fields, after: &Fields) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut cmp = |key: &'static str, differs: bool| {
        if differs {
            out.push(key);
        }
    };
    cmp("prenom", before.first_name != after.first_name);
    cmp("nom", before.last_name != after.last_name);
    cmp("fonction", before.function_title != after.function_title);
    cmp("direction", before.direction != after.direction);
    cmp("service", before.service != after.service);
    cmp("categorie", before.category != after.category);
    cmp("cadre", before.cadre != after.cadre);
    cmp("courriel", before.email != after.email);
    cmp("telephone", before.phone != after.phone);
    cmp("bio", before.bio != after.bio);
    cmp("langues", before.languages != after.languages);
    cmp(
        "visibilite",
        (
            before.function_vis,
            before.unit_vis,
            before.category_vis,
            before.cadre_vis,
            before.email_vis,
            before.phone_vis,
            before.bio_vis,
            before.languages_vis,
            before.themes_vis,
            before.photo_vis,
        ) != (
            after.function_vis,
            after.unit_vis,
            after.category_vis,
            after.cadre_vis,
            after.email_vis,
            after.phone_vis,
            after.bio_vis,
            after.languages_vis,
            after.themes_vis,
            after.photo_vis,
        ),
    );
    cmp("presence", before.listed != after.listed);
    out
}

fn everything() -> db::Scope {
    db::Scope {
        everything: true,
        ..Default::default()
    }
}

const EMAIL_TAKEN: &str = "Cette adresse est déjà celle d'une autre fiche de l'annuaire.";

/// Writes new fields (email uniqueness reported on the field), the history
/// entry and the index.
async fn write(
    mut ex: Ex<'_>,
    id: Uuid,
    before: &Fields,
    after: &Fields,
    extra_changes: &[&'static str],
    by: Option<Uuid>,
    source: &str,
) -> CoreResult<()> {
    let mut keys = changed(before, after);
    keys.extend_from_slice(extra_changes);
    if keys.is_empty() {
        return Ok(());
    }
    match db::update(ex.reborrow(), id, after).await {
        Ok(_) => {}
        Err(e) if e.is_unique_on("email") => return Err(FieldErrors::single("email", EMAIL_TAKEN)),
        Err(e) => return Err(e.into()),
    }
    db::record_change(ex.reborrow(), id, by, source, &keys).await?;
    reindex(ex, id).await
}

/// Someone who may be chosen as a line manager.
#[derive(Debug, Clone)]
pub struct Colleague {
    pub id: Uuid,
    pub name: String,
}

/// The line managers the viewer may choose for `profile`: the other profiles
/// of its organisation, offered only to who edits it (the person, its
/// administrators).
pub async fn colleagues(ctx: &Ctx, profile: &super::profile::Profile) -> CoreResult<Vec<Colleague>> {
    if !profile.sees_everything() {
        return Ok(Vec::new());
    }
    let mut conn = ctx.db.conn().await?;
    Ok(db::colleagues(conn.ex(), profile.organisation_id, profile.id)
        .await?
        .into_iter()
        .map(|c| Colleague {
            id: c.id,
            name: format!("{} {}", c.first_name, c.last_name),
        })
        .collect())
}

/// The person updates their own profile. Saving the form, which shows the
/// directory's information text, records that they read it.
pub async fn update_own(ctx: &Ctx, actor: &Actor, input: &OwnInput) -> CoreResult<()> {
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let mut tx = ctx.db.begin().await?;
    let id = db::id_of_user(tx.ex(), me.id).await?.ok_or(CoreError::NotFound)?;
    let row = db::by_id(tx.ex(), &everything(), id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let before = Fields::from(&row);
    let mut after = before.clone();
    let mut errors = FieldErrors::new();
    apply_admin(&input.admin, &mut after, &mut errors);
    after.bio = input.bio.trim().to_owned();
    if after.bio.chars().count() > 2000 {
        errors.add("bio", "La présentation est trop longue (2 000 caractères au plus).");
    }
    after.languages = text(&mut errors, "languages", &input.languages, "langues", 200, false);
    apply_visibility(&input.visibility, &mut after, &mut errors);
    let post_before = db::Post::from(&row);
    let mut post_after = post_before.clone();
    let colleagues = colleague_ids(tx.ex(), &row).await?;
    apply_post(&input.admin, &colleagues, &mut post_after, &mut errors);
    // The line manager approves enrolments: only the organisation's
    // administrators set it, never the person.
    post_after.manager_id = post_before.manager_id;
    errors.0.retain(|(field, _)| *field != "manager");
    if !input.visibility.training.trim().is_empty() {
        match Visibility::parse(input.visibility.training.trim()) {
            Some(v) => post_after.training_vis = v.level(),
            None => errors.add("training_vis", "Choisissez qui peut voir ce champ."),
        }
    }
    if !input.visibility.alumni.trim().is_empty() {
        match Visibility::parse(input.visibility.alumni.trim()) {
            Some(v) => post_after.alumni_vis = v.level(),
            None => errors.add("alumni_vis", "Choisissez qui peut voir ce champ."),
        }
    }
    let known: Vec<Uuid> = db::themes(tx.ex()).await?.into_iter().map(|t| t.id).collect();
    let mut chosen: Vec<(Uuid, &str)> = Vec::new();
    for (list, kind) in [(&input.expertise, "expertise"), (&input.interests, "interest")] {
        for raw in list {
            match Uuid::parse_str(raw).ok().filter(|t| known.contains(t)) {
                Some(t) if !chosen.contains(&(t, kind)) => chosen.push((t, kind)),
                Some(_) => {}
                None => errors.add("themes", "Une thématique choisie n'existe plus : rechargez la page."),
            }
        }
    }
    if chosen.len() > 30 {
        errors.add("themes", "Choisissez 30 thématiques au plus.");
    }
    errors.into_result()?;

    let mut current: Vec<(Uuid, String)> = db::themes_of(tx.ex(), &[id])
        .await?
        .into_iter()
        .map(|t| (t.theme_id, t.kind))
        .collect();
    let mut wanted: Vec<(Uuid, String)> = chosen.iter().map(|(t, k)| (*t, (*k).to_owned())).collect();
    current.sort();
    wanted.sort();
    let mut extra = Vec::new();
    if current != wanted {
        db::set_themes(tx.ex(), id, &chosen).await?;
        extra.push("thematiques");
    }
    if post_after != post_before {
        db::set_post(tx.ex(), id, &post_after).await?;
        extra.extend(post_changed(&post_before, &post_after));
    }
    write(tx.ex(), id, &before, &after, &extra, Some(me.id), "profil").await?;
    db::set_consented(tx.ex(), id).await?;
    tx.commit().await?;
    Ok(())
}

/// An administrator of the profile's organisation (or the coordinator)
/// updates its administrative fields.
pub async fn update_admin(ctx: &Ctx, actor: &Actor, id: Uuid, input: &AdminInput) -> CoreResult<()> {
    let scope = policy::directory_scope(actor).ok_or(CoreError::Unauthenticated)?;
    let mut tx = ctx.db.begin().await?;
    let row = db::by_id(tx.ex(), &scope, id).await?.ok_or(CoreError::NotFound)?;
    policy::require(
        actor,
        &Action::EditProfileAdministrative {
            organisation: row.organisation_id,
        },
    )?;
    let before = Fields::from(&row);
    let mut after = before.clone();
    let mut errors = FieldErrors::new();
    apply_admin(input, &mut after, &mut errors);
    let post_before = db::Post::from(&row);
    let mut post_after = post_before.clone();
    let colleagues = colleague_ids(tx.ex(), &row).await?;
    apply_post(input, &colleagues, &mut post_after, &mut errors);
    errors.into_result()?;
    let mut extra = Vec::new();
    if post_after != post_before {
        db::set_post(tx.ex(), id, &post_after).await?;
        extra = post_changed(&post_before, &post_after);
    }
    write(tx.ex(), id, &before, &after, &extra, actor.user_id(), "administration").await?;
    tx.commit().await?;
    Ok(())
}

/// The person sets (Some) or removes (None) their photo. The upload is
/// decoded, stripped of its metadata and re-encoded before anything is kept.
pub async fn set_own_photo(ctx: &Ctx, actor: &Actor, upload: Option<Vec<u8>>) -> CoreResult<()> {
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let jpeg = match upload {
        Some(bytes) => {
            // Decoding and resizing is CPU work (and up to a few hundred MiB
            // for a huge image): off the async threads, two at a time.
            static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
            let _permit = DECODING.acquire().await.map_err(|e| CoreError::Internal(e.into()))?;
            let processed = tokio::task::spawn_blocking(move || photo::process(&bytes))
                .await
                .map_err(|e| CoreError::Internal(e.into()))?;
            Some(processed.map_err(|e| FieldErrors::single("photo", e.to_string()))?.jpeg)
        }
        None => None,
    };
    let mut tx = ctx.db.begin().await?;
    let id = db::id_of_user(tx.ex(), me.id).await?.ok_or(CoreError::NotFound)?;
    // Removing a photo there is not changes nothing, and is not history.
    if db::set_photo(tx.ex(), id, jpeg.as_deref()).await? > 0 {
        db::record_change(tx.ex(), id, Some(me.id), "profil", &["photo"]).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An administrator removes a profile from the directory for good (the
/// person left the organisation): the profile, its history and the person's
/// roles in that organisation go; their account, if any, stays.
pub async fn remove(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<String> {
    let scope = policy::directory_scope(actor).ok_or(CoreError::Unauthenticated)?;
    let mut tx = ctx.db.begin().await?;
    let row = db::by_id(tx.ex(), &scope, id).await?.ok_or(CoreError::NotFound)?;
    policy::require(
        actor,
        &Action::EditProfileAdministrative {
            organisation: row.organisation_id,
        },
    )?;
    db::delete(tx.ex(), id, row.search_seq).await?;
    // The person left the organisation: their roles there go too, or their
    // next visit to « Ma fiche » would give them a new profile in it.
    if let Some(user) = row.user_id {
        maillage_db::roles::revoke_all_in(tx.ex(), user, row.organisation_id).await?;
    }
    let name = format!("{} {}", row.first_name, row.last_name);
    maillage_db::audit::record(tx.ex(), actor.user_id(), "profile.delete", &name, &row.org_siren).await?;
    tx.commit().await?;
    Ok(name)
}

/// Gives an account its profile in `organisation_id`: the profile carrying
/// the account's address (imported earlier) is claimed; otherwise one is
/// created from the account's name. An account that already has a profile
/// keeps it.
pub async fn attach_account(
    mut ex: Ex<'_>,
    user_id: Uuid,
    email: &str,
    display_name: &str,
    organisation_id: Uuid,
) -> CoreResult<Uuid> {
    if let Some(id) = db::id_of_user(ex.reborrow(), user_id).await? {
        return Ok(id);
    }
    if let Some(id) = db::link_user_by_email(ex.reborrow(), user_id, email).await? {
        db::record_change(ex.reborrow(), id, Some(user_id), "profil", &["compte"]).await?;
        return Ok(id);
    }
    let (first, last) = split_name(display_name);
    // The address is the account's; if another profile carries it (claimed
    // by another account), the new profile simply has none.
    let email_free = db::by_email(ex.reborrow(), email).await?.is_none();
    let fields = Fields {
        first_name: first,
        last_name: last,
        email: email_free.then(|| email.to_owned()),
        ..defaults()
    };
    let (id, _) = db::insert(ex.reborrow(), organisation_id, Some(user_id), &fields, false).await?;
    db::record_change(ex.reborrow(), id, Some(user_id), "profil", &["creation"]).await?;
    reindex(ex, id).await?;
    Ok(id)
}

/// The person's profile, created on first visit for an account that has a
/// role in an organisation but no profile yet (accounts from before the
/// directory existed). `None`: no organisation (e.g. a coordinator only).
pub async fn ensure_own(ctx: &Ctx, actor: &Actor) -> CoreResult<Option<Uuid>> {
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    if let Some(id) = super::profile::mine(ctx, actor).await? {
        return Ok(Some(id));
    }
    let Some(org) = me.roles.iter().find_map(|(_, o)| *o) else {
        return Ok(None);
    };
    let mut tx = ctx.db.begin().await?;
    let id = attach_account(tx.ex(), me.id, &me.email, &me.display_name, org).await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// The visibility a new profile starts with, until the person chooses:
/// their post and themes to the network, their contact details to their
/// organisation, their cadre d'emplois to the administrators.
pub fn defaults() -> Fields {
    Fields {
        function_vis: Visibility::Network.level(),
        unit_vis: Visibility::Network.level(),
        category_vis: Visibility::Organisation.level(),
        cadre_vis: Visibility::Private.level(),
        email_vis: Visibility::Organisation.level(),
        phone_vis: Visibility::Organisation.level(),
        bio_vis: Visibility::Network.level(),
        languages_vis: Visibility::Network.level(),
        themes_vis: Visibility::Network.level(),
        photo_vis: Visibility::Network.level(),
        listed: Visibility::Network.level(),
        ..Default::default()
    }
}

/// « Marie-Claire de La Tour » → (« Marie-Claire », « de La Tour »).
pub fn split_name(display_name: &str) -> (String, String) {
    let name = display_name.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.split_once(' ') {
        Some((first, last)) => (first.to_owned(), last.to_owned()),
        None => (String::new(), name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_on_the_first_space() {
        assert_eq!(
            split_name(" Marie-Claire  de La Tour "),
            ("Marie-Claire".into(), "de La Tour".into())
        );
        assert_eq!(split_name("Cher"), (String::new(), "Cher".into()));
    }

    #[test]
    fn history_names_what_changed() {
        let a = defaults();
        let mut b = a.clone();
        b.phone = Some("01 02 03 04 05".into());
        b.email_vis = 0;
        b.listed = 2;
        assert_eq!(changed(&a, &b), vec!["telephone", "visibilite", "presence"]);
        assert!(changed(&a, &a).is_empty());
    }
}
