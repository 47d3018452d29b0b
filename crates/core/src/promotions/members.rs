//! A promotion's members: adding people from the directory, the casting
//! data the school enters for each (gender, birth year, seniority as a
//! manager, temperament with the person's recorded consent), the members'
//! project wishes, and the alumni shown on profiles.
//!
//! Who may be added: any profile the school's manager finds in the
//! directory (the directory's rule, `listed <= tier`): everyone of the
//! school's organisations (the manager administers them) and the people of
//! other organisations of the network who are listed for the network — a
//! promotion may gather managers of several employers.
//!
//! The casting data is the school's working data for this promotion only:
//! it is returned only to the school's managers ([`Member::casting`] is
//! `None` for everyone else), never on the public page nor in the API for
//! others.

use maillage_db::{profiles as db_profiles, promotions as db};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{Access, load};
use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors, dates,
    directory::profile::Profile,
    policy::{self},
};

/// Gender as entered for the casting.
pub const GENDERS: [(&str, &str); 3] = [("", "Non renseigné"), ("F", "Femme"), ("H", "Homme")];

/// The casting data of a member (the school's managers only).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Casting {
    /// « F », « H » or `None` (not given).
    pub gender: Option<String>,
    pub birth_year: Option<i64>,
    pub seniority_years: Option<i64>,
    pub temperament: Option<String>,
    /// When the school recorded the person's consent to their temperament.
    pub temperament_consent_at: Option<OffsetDateTime>,
}

impl Casting {
    pub fn gender_label(&self) -> &'static str {
        match self.gender.as_deref() {
            Some("F") => "Femme",
            Some("H") => "Homme",
            _ => "Non renseigné",
        }
    }

    /// Whether something was entered at all.
    pub fn is_empty(&self) -> bool {
        self.gender.is_none()
            && self.birth_year.is_none()
            && self.seniority_years.is_none()
            && self.temperament.is_none()
    }
}

#[derive(Debug, Clone)]
pub struct Member {
    pub profile_id: Uuid,
    pub user_id: Option<Uuid>,
    pub first_name: String,
    pub last_name: String,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    /// The line manager's profile (from the directory): the casting never
    /// puts them together. Managers only.
    pub manager_id: Option<Uuid>,
    /// The casting group (1..K), once a casting was made.
    pub group_no: Option<i64>,
    /// `None` unless the viewer manages the school.
    pub casting: Option<Casting>,
}

impl Member {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    pub(super) fn from_row(r: db::MemberRow, manages: bool) -> Member {
        Member {
            casting: manages.then_some(Casting {
                gender: r.gender,
                birth_year: r.birth_year,
                seniority_years: r.seniority_years,
                temperament: r.temperament,
                temperament_consent_at: r.temperament_consent_at,
            }),
            manager_id: r.manager_id.filter(|_| manages),
            profile_id: r.profile_id,
            user_id: r.user_id,
            first_name: r.first_name,
            last_name: r.last_name,
            organisation_id: r.organisation_id,
            organisation_name: r.organisation_name,
            group_no: r.group_no,
        }
    }
}

/// A member as a viewer of the promotion sees them. The directory's rule
/// holds here too: someone the viewer does not find in the directory
/// (`listed <= tier`) is « Une personne de {organisation} », without name
/// nor link — except for the school's managers, who enrolled them and see
/// the names (still without a link to a profile they may not open).
#[derive(Debug, Clone)]
pub struct Shown {
    /// Names and account blanked when `hidden`.
    pub member: Member,
    /// The name to show: the person's, or « Une personne de … ».
    pub name: String,
    /// The viewer may open their directory profile (`/annuaire/{id}`).
    pub linked: bool,
    /// The name is withheld from the viewer.
    pub hidden: bool,
}

impl Shown {
    fn from_row(r: db::MemberRow, manages: bool) -> Shown {
        let linked = r.listed_for_viewer;
        let hidden = !linked && !manages;
        let mut member = Member::from_row(r, manages);
        let name = if hidden {
            format!("Une personne de {}", member.organisation_name)
        } else {
            member.name()
        };
        if hidden {
            member.first_name.clear();
            member.last_name.clear();
            member.user_id = None;
        }
        Shown {
            member,
            name,
            linked,
            hidden,
        }
    }
}

/// The members of a promotion the actor may see, by name, as the actor may
/// see them ([`Shown`]); casting data only for its school's managers.
pub async fn list(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<(Vec<Shown>, Access)> {
    let scope = policy::directory_scope(actor).ok_or(CoreError::Unauthenticated)?;
    let mut conn = ctx.db.conn().await?;
    let (_, access) = load(conn.ex(), actor, id).await?;
    let rows = db::members_for(conn.ex(), &scope, id).await?;
    Ok((
        rows.into_iter().map(|r| Shown::from_row(r, access.manages)).collect(),
        access,
    ))
}

/// One member, for the school's casting-data form.
pub async fn get_managed(ctx: &Ctx, actor: &Actor, id: Uuid, profile_id: Uuid) -> CoreResult<Member> {
    let mut conn = ctx.db.conn().await?;
    let (_, access) = load(conn.ex(), actor, id).await?;
    access.require_manage(actor)?;
    let row = db::member(conn.ex(), id, profile_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    Ok(Member::from_row(row, true))
}

/// A profile offered to be added.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub profile_id: Uuid,
    pub name: String,
    pub organisation_name: String,
}

/// Profiles whose name contains `q` (folded), listed for the actor in the
/// directory and not yet members (at most 20). Managers only.
pub async fn candidates(ctx: &Ctx, actor: &Actor, id: Uuid, q: &str) -> CoreResult<Vec<Candidate>> {
    let scope = policy::directory_scope(actor).ok_or(CoreError::Unauthenticated)?;
    let mut conn = ctx.db.conn().await?;
    let (_, access) = load(conn.ex(), actor, id).await?;
    access.require_manage(actor)?;
    let folded = maillage_domain::text::fold(q);
    if folded.chars().count() < 2 {
        return Ok(Vec::new());
    }
    Ok(db::candidates(conn.ex(), &scope, id, &folded, 20)
        .await?
        .into_iter()
        .map(|c| Candidate {
            profile_id: c.id,
            name: format!("{} {}", c.first_name, c.last_name),
            organisation_name: c.organisation_name,
        })
        .collect())
}

/// Adds a person found in the directory.
pub async fn add(ctx: &Ctx, actor: &Actor, id: Uuid, profile: &str) -> CoreResult<()> {
    let scope = policy::directory_scope(actor).ok_or(CoreError::Unauthenticated)?;
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, id).await?;
    access.require_manage(actor)?;
    let profile_id = match Uuid::parse_str(profile.trim()) {
        Ok(p) if db::listed_for(tx.ex(), &scope, p).await? => p,
        _ => {
            return Err(FieldErrors::single(
                "person",
                "Choisissez une personne dans la liste des résultats de la recherche.",
            ));
        }
    };
    if db::add_member(tx.ex(), id, profile_id).await? == 0 {
        return Err(FieldErrors::single(
            "person",
            "Cette personne fait déjà partie de la promotion.",
        ));
    }
    db::touch(tx.ex(), id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "promotion.member.add",
        &id.to_string(),
        &profile_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds the people of a pasted list of professional addresses (one per
/// line, or separated by commas or semicolons). All or nothing: an address
/// unknown to the directory (or not listed for the actor) is reported and
/// nobody is added. Returns how many were added (already members skipped).
pub async fn add_by_emails(ctx: &Ctx, actor: &Actor, id: Uuid, text: &str) -> CoreResult<usize> {
    let scope = policy::directory_scope(actor).ok_or(CoreError::Unauthenticated)?;
    let mut emails: Vec<String> = text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(|e| e.trim().trim_matches(|c| c == '<' || c == '>').to_lowercase())
        .filter(|e| !e.is_empty())
        .collect();
    emails.sort();
    emails.dedup();
    if emails.is_empty() {
        return Err(FieldErrors::single(
            "emails",
            "Collez au moins une adresse de courriel professionnelle, une par ligne.",
        ));
    }
    if emails.len() > 200 {
        return Err(FieldErrors::single("emails", "Collez 200 adresses au plus à la fois."));
    }
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, id).await?;
    access.require_manage(actor)?;
    let found = db::listed_by_email(tx.ex(), &scope, &emails).await?;
    let unknown: Vec<&str> = emails
        .iter()
        .filter(|e| !found.iter().any(|(_, f)| f == *e))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(FieldErrors::single(
            "emails",
            format!(
                "Aucune fiche de l’annuaire ne correspond à ces adresses : {}. Corrigez-les ou retirez-les ; personne n’a été ajouté.",
                unknown.join(", ")
            ),
        ));
    }
    let mut added = 0;
    for (profile_id, _) in &found {
        added += db::add_member(tx.ex(), id, *profile_id).await? as usize;
    }
    db::touch(tx.ex(), id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "promotion.member.add",
        &id.to_string(),
        &format!("{added} par courriel"),
    )
    .await?;
    tx.commit().await?;
    Ok(added)
}

/// Removes a member (their casting data and wishes go with them).
pub async fn remove(ctx: &Ctx, actor: &Actor, id: Uuid, profile_id: Uuid) -> CoreResult<()> {
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, id).await?;
    access.require_manage(actor)?;
    if db::remove_member(tx.ex(), id, profile_id).await? == 0 {
        return Err(CoreError::NotFound);
    }
    db::touch(tx.ex(), id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "promotion.member.remove",
        &id.to_string(),
        &profile_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The casting-data form, as typed.
#[derive(Debug, Clone, Default)]
pub struct CastingInput {
    /// « F », « H » or empty.
    pub gender: String,
    pub birth_year: String,
    pub seniority_years: String,
    pub temperament: String,
    /// « La personne a donné son accord » (to their temperament being used),
    /// ticked now. Needed to enter or change a temperament; the consent
    /// already recorded for an unchanged temperament stands without it.
    pub consent: bool,
}

/// Birth years accepted: people between 18 and 75 years old this year.
pub fn birth_year_range(today: Date) -> (i64, i64) {
    let y = i64::from(today.year());
    (y - 75, y - 18)
}

fn validate_casting(
    input: &CastingInput,
    categories: &[String],
    before: &Casting,
    today: Date,
    errors: &mut FieldErrors,
) -> Casting {
    let gender = match input.gender.trim() {
        "" => None,
        g @ ("F" | "H") => Some(g.to_owned()),
        _ => {
            errors.add("gender", "Choisissez Femme, Homme ou Non renseigné.");
            None
        }
    };
    let (lo, hi) = birth_year_range(today);
    let birth_year = match input.birth_year.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(y) if (lo..=hi).contains(&y) => Some(y),
            Ok(_) => {
                errors.add(
                    "birth_year",
                    format!("L’année de naissance doit être comprise entre {lo} et {hi}."),
                );
                None
            }
            Err(_) => {
                errors.add(
                    "birth_year",
                    "Saisissez l’année de naissance en quatre chiffres, par exemple 1980.",
                );
                None
            }
        },
    };
    let seniority_years = match input.seniority_years.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(n) if (0..=50).contains(&n) => {
                if birth_year.is_some_and(|y| i64::from(today.year()) - y - 16 < n) {
                    errors.add(
                        "seniority_years",
                        "L’ancienneté comme manager ne peut pas dépasser l’âge de la personne moins 16 ans : vérifiez les deux valeurs.",
                    );
                    None
                } else {
                    Some(n)
                }
            }
            Ok(_) => {
                errors.add(
                    "seniority_years",
                    "L’ancienneté comme manager doit être comprise entre 0 et 50 ans.",
                );
                None
            }
            Err(_) => {
                errors.add(
                    "seniority_years",
                    "Saisissez l’ancienneté en années, en chiffres, par exemple 5.",
                );
                None
            }
        },
    };
    let raw = input.temperament.trim();
    let temperament = if raw.is_empty() {
        None
    } else if let Some(t) = categories
        .iter()
        .find(|c| maillage_domain::text::fold(c) == maillage_domain::text::fold(raw))
    {
        // The consent recorded for this very temperament stands: the school
        // need not re-affirm it at each save (the box, never pre-ticked, is
        // for a temperament entered or changed now).
        let consented = before.temperament.as_deref() == Some(t.as_str()) && before.temperament_consent_at.is_some();
        if input.consent || consented {
            Some(t.clone())
        } else {
            errors.add(
                "temperament",
                "Un tempérament ne s’enregistre qu’avec l’accord de la personne : cochez « La personne a donné son accord », ou choisissez « Non renseigné ».",
            );
            None
        }
    } else if categories.is_empty() {
        errors.add(
            "temperament",
            "La promotion n’a pas de catégories de tempérament : ajoutez-les d’abord en modifiant la promotion.",
        );
        None
    } else {
        errors.add(
            "temperament",
            format!("Choisissez un tempérament parmi : {}.", categories.join(", ")),
        );
        None
    };
    // The consent recorded stays the first one given for this temperament;
    // another temperament is consented to now.
    let temperament_consent_at = match (&temperament, before.temperament_consent_at) {
        (None, _) => None,
        (Some(t), Some(at)) if before.temperament.as_deref() == Some(t.as_str()) => Some(at),
        (Some(_), _) => Some(maillage_db::now()),
    };
    Casting {
        gender,
        birth_year,
        seniority_years,
        temperament,
        temperament_consent_at,
    }
}

/// Saves a member's casting data (the school's managers).
pub async fn set_casting(ctx: &Ctx, actor: &Actor, id: Uuid, profile_id: Uuid, input: &CastingInput) -> CoreResult<()> {
    let mut tx = ctx.db.begin().await?;
    let (row, access) = load(tx.ex(), actor, id).await?;
    access.require_manage(actor)?;
    let member = db::member(tx.ex(), id, profile_id).await?.ok_or(CoreError::NotFound)?;
    let before = Member::from_row(member, true).casting.unwrap_or_default();
    let categories = super::split_lines(&row.temperaments);
    let mut errors = FieldErrors::new();
    let after = validate_casting(input, &categories, &before, dates::paris_today(), &mut errors);
    errors.into_result()?;
    db::set_casting_data(
        tx.ex(),
        id,
        profile_id,
        &db::CastingData {
            gender: after.gender,
            birth_year: after.birth_year,
            seniority_years: after.seniority_years,
            temperament: after.temperament,
            temperament_consent_at: after.temperament_consent_at,
        },
    )
    .await?;
    db::touch(tx.ex(), id).await?;
    // The audit says that the data changed, never what it is.
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "promotion.member.casting",
        &id.to_string(),
        &profile_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Wishes
// ---------------------------------------------------------------------------

/// Up to this many wishes per member.
pub const MAX_WISHES: usize = 3;

/// The form's field of each rank (`wish1` is the first choice): each error
/// is filed under the field it is about.
pub const WISH_FIELDS: [&str; MAX_WISHES] = ["wish1", "wish2", "wish3"];

/// A member's wishes page: the projects retained for the promotion (the
/// choices) and their wishes in order.
#[derive(Debug, Clone)]
pub struct Wishes {
    pub choices: Vec<db::ProjectRef>,
    pub mine: Vec<Uuid>,
}

async fn my_profile(ex: maillage_db::Ex<'_>, actor: &Actor) -> CoreResult<Uuid> {
    let user = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    db_profiles::id_of_user(ex, user).await?.ok_or(CoreError::Forbidden)
}

/// The actor's own wishes (members only: 403 for the other viewers).
pub async fn my_wishes(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Wishes> {
    let viewer = crate::projects::viewer(actor)?;
    let mut conn = ctx.db.conn().await?;
    let (_, access) = load(conn.ex(), actor, id).await?;
    if !access.member {
        return Err(CoreError::Forbidden);
    }
    let me = my_profile(conn.ex(), actor).await?;
    let choices = db::projects(conn.ex(), &viewer, id, true).await?;
    let mine = db::wishes(conn.ex(), id)
        .await?
        .into_iter()
        .filter(|w| w.profile_id == me)
        .map(|w| w.project_id)
        .collect();
    Ok(Wishes { choices, mine })
}

/// Saves the actor's wishes, in order (empty choices are skipped).
pub async fn set_my_wishes(ctx: &Ctx, actor: &Actor, id: Uuid, raw: &[String]) -> CoreResult<()> {
    let viewer = crate::projects::viewer(actor)?;
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, id).await?;
    if !access.member {
        return Err(CoreError::Forbidden);
    }
    let me = my_profile(tx.ex(), actor).await?;
    let choices = db::projects(tx.ex(), &viewer, id, true).await?;
    let mut wanted: Vec<Uuid> = Vec::new();
    let mut errors = FieldErrors::new();
    if raw.len() > MAX_WISHES {
        errors.add(WISH_FIELDS[0], format!("Choisissez {MAX_WISHES} projets au plus."));
    }
    for (&field, r) in WISH_FIELDS.iter().zip(raw).filter(|(_, r)| !r.trim().is_empty()) {
        match Uuid::parse_str(r.trim())
            .ok()
            .filter(|p| choices.iter().any(|c| c.id == *p))
        {
            Some(p) if wanted.contains(&p) => {
                errors.add(
                    field,
                    "Ce projet est déjà choisi à un rang précédent : choisissez un autre projet, ou « Aucun ».",
                );
            }
            Some(p) => wanted.push(p),
            None => errors.add(
                field,
                "Ce projet n’est plus retenu pour la promotion : choisissez-en un autre dans la liste.",
            ),
        }
    }
    errors.into_result()?;
    db::set_wishes(tx.ex(), id, me, &wanted).await?;
    // The casting reads the wishes: a casting computed before this save
    // must not be saved after it (`groups::run` compares `updated_at`).
    db::touch(tx.ex(), id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "promotion.wishes",
        &id.to_string(),
        &wanted.len().to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Every member's wishes as (profile, projects in order): the school's view.
pub async fn all_wishes(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Vec<(Uuid, Vec<Uuid>)>> {
    let mut conn = ctx.db.conn().await?;
    let (_, access) = load(conn.ex(), actor, id).await?;
    access.require_manage(actor)?;
    Ok(by_person(db::wishes(conn.ex(), id).await?))
}

/// Wishes (by person then rank) as (profile, projects in order).
pub(super) fn by_person(rows: Vec<db::WishRow>) -> Vec<(Uuid, Vec<Uuid>)> {
    let mut out: Vec<(Uuid, Vec<Uuid>)> = Vec::new();
    for w in rows {
        match out.last_mut() {
            Some((p, list)) if *p == w.profile_id => list.push(w.project_id),
            _ => out.push((w.profile_id, vec![w.project_id])),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Alumni
// ---------------------------------------------------------------------------

/// A promotion someone is an alumna or alumnus of.
#[derive(Debug, Clone)]
pub struct Alumnus {
    pub promotion_id: Uuid,
    pub name: String,
    pub school_name: String,
    pub starts_on: Date,
    pub ends_on: Date,
}

/// The promotions a profile's person is an alumna or alumnus of, when the
/// viewer may see them (`alumni_vis <= tier`, decided with the profile's
/// other fields: `Profile::shows_alumni`); else nothing.
pub async fn alumni_for_profile(ctx: &Ctx, profile: &Profile) -> CoreResult<Vec<Alumnus>> {
    if !profile.shows_alumni {
        return Ok(Vec::new());
    }
    let mut conn = ctx.db.conn().await?;
    Ok(db::alumni_of(conn.ex(), profile.id, dates::paris_today())
        .await?
        .into_iter()
        .map(|r| Alumnus {
            promotion_id: r.promotion_id,
            name: r.name,
            school_name: r.school_name,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn input(t: &str, consent: bool) -> CastingInput {
        CastingInput {
            gender: "F".into(),
            birth_year: "1980".into(),
            seniority_years: "6".into(),
            temperament: t.into(),
            consent,
        }
    }

    #[test]
    fn temperament_needs_consent_and_a_category() {
        let cats = vec!["Meneur".to_owned(), "Analytique".to_owned()];
        let today = date!(2026 - 05 - 01);
        let mut e = FieldErrors::new();
        let c = validate_casting(&input("meneur", true), &cats, &Casting::default(), today, &mut e);
        assert!(e.is_empty(), "{e}");
        assert_eq!(c.temperament.as_deref(), Some("Meneur"));
        assert!(c.temperament_consent_at.is_some());
        let mut e = FieldErrors::new();
        validate_casting(&input("Meneur", false), &cats, &Casting::default(), today, &mut e);
        assert!(e.get("temperament").unwrap().contains("accord"));
        let mut e = FieldErrors::new();
        validate_casting(&input("Rêveur", true), &cats, &Casting::default(), today, &mut e);
        assert!(e.get("temperament").unwrap().contains("Meneur, Analytique"));
        let mut e = FieldErrors::new();
        let c = validate_casting(&input("", false), &cats, &Casting::default(), today, &mut e);
        assert!(e.is_empty() && c.temperament_consent_at.is_none());
    }

    #[test]
    fn a_recorded_consent_stands_for_the_same_temperament() {
        let cats = vec!["Meneur".to_owned(), "Analytique".to_owned()];
        let today = date!(2026 - 05 - 01);
        let at = maillage_db::now() - time::Duration::days(30);
        let before = Casting {
            temperament: Some("Meneur".into()),
            temperament_consent_at: Some(at),
            ..Casting::default()
        };
        // Saved again unchanged, the box not ticked: the consent and its date stay.
        let mut e = FieldErrors::new();
        let c = validate_casting(&input("Meneur", false), &cats, &before, today, &mut e);
        assert!(e.is_empty(), "{e}");
        assert_eq!(c.temperament_consent_at, Some(at));
        // Another temperament needs a consent given now, and gets a new date.
        let mut e = FieldErrors::new();
        validate_casting(&input("Analytique", false), &cats, &before, today, &mut e);
        assert!(e.get("temperament").unwrap().contains("accord"));
        let mut e = FieldErrors::new();
        let c = validate_casting(&input("Analytique", true), &cats, &before, today, &mut e);
        assert!(e.is_empty(), "{e}");
        assert!(c.temperament_consent_at.is_some_and(|d| d > at));
        // A consent without date (never recorded) does not count.
        let before = Casting {
            temperament: Some("Meneur".into()),
            ..Casting::default()
        };
        let mut e = FieldErrors::new();
        validate_casting(&input("Meneur", false), &cats, &before, today, &mut e);
        assert!(e.get("temperament").is_some());
    }

    #[test]
    fn plausible_numbers() {
        let today = date!(2026 - 05 - 01);
        let mut e = FieldErrors::new();
        let mut i = input("", false);
        i.birth_year = "1900".into();
        i.seniority_years = "x".into();
        i.gender = "Z".into();
        validate_casting(&i, &[], &Casting::default(), today, &mut e);
        assert!(e.get("birth_year").unwrap().contains("1951 et 2008"));
        assert!(e.get("seniority_years").is_some());
        assert!(e.get("gender").is_some());
        let mut e = FieldErrors::new();
        let mut i = input("", false);
        i.birth_year = "2000".into();
        i.seniority_years = "20".into();
        validate_casting(&i, &[], &Casting::default(), today, &mut e);
        assert!(e.get("seniority_years").is_some());
    }
}
