//! Schools (écoles) of the network; a mutualised school belongs to several
//! organisations.

use maillage_db::{Ex, activity, audit, organisations as orgs, schools as db};
use serde::Serialize;
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors,
    organisations::Organisation,
    policy::{self, Action},
};

#[derive(Debug, Clone, Serialize)]
pub struct School {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub organisations: Vec<Organisation>,
}

/// School rows with the organisations each belongs to: three queries
/// whatever the number of schools.
async fn hydrate(mut ex: Ex<'_>, rows: Vec<db::SchoolRow>) -> CoreResult<Vec<School>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let links = db::links(ex.reborrow(), &ids).await?;
    let mut org_ids: Vec<Uuid> = links.iter().map(|(_, o)| *o).collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let orgs: Vec<Organisation> = orgs::by_ids(ex, &org_ids)
        .await?
        .into_iter()
        .map(Organisation::from)
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let organisations = orgs
                .iter()
                .filter(|o| links.iter().any(|(s, org)| *s == r.id && *org == o.id))
                .cloned()
                .collect();
            School {
                id: r.id,
                name: r.name,
                description: r.description,
                organisations,
            }
        })
        .collect())
}

/// The schools of an organisation (public; cached).
pub async fn of_organisation(ctx: &Ctx, organisation_id: Uuid) -> CoreResult<Vec<School>> {
    let schools = ctx
        .caches
        .schools
        .get_or_compute(&organisation_id.to_string(), || async {
            let mut conn = ctx.db.conn().await?;
            let rows = db::of_organisation(conn.ex(), organisation_id).await?;
            hydrate(conn.ex(), rows).await
        })
        .await?;
    Ok((*schools).clone())
}

/// Every school of the network (for choosing where a module goes).
pub async fn all(ctx: &Ctx) -> CoreResult<Vec<School>> {
    let mut conn = ctx.db.conn().await?;
    let rows = db::all(conn.ex()).await?;
    hydrate(conn.ex(), rows).await
}

/// The schools whose catalogue `actor` may manage.
pub async fn manageable(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<School>> {
    Ok(all(ctx)
        .await?
        .into_iter()
        .filter(|s| {
            let ids: Vec<Uuid> = s.organisations.iter().map(|o| o.id).collect();
            policy::allows(actor, &Action::ManageSchool { organisations: &ids })
        })
        .collect())
}

pub async fn get(ctx: &Ctx, id: Uuid) -> CoreResult<School> {
    let mut conn = ctx.db.conn().await?;
    let r = db::by_id(conn.ex(), id).await?.ok_or(CoreError::NotFound)?;
    hydrate(conn.ex(), vec![r]).await?.pop().ok_or(CoreError::NotFound)
}

fn check_name(name: &str, errors: &mut FieldErrors) {
    let n = name.trim().chars().count();
    if n == 0 {
        errors.add("name", "Saisissez le nom de l'école.");
    } else if n > 200 {
        errors.add("name", "Le nom est trop long (200 caractères au plus).");
    }
}

/// Creates a school attached to `organisation_id`.
pub async fn create(
    ctx: &Ctx,
    actor: &Actor,
    organisation_id: Uuid,
    name: &str,
    description: &str,
) -> CoreResult<Uuid> {
    policy::require(
        actor,
        &Action::CreateSchool {
            organisation: organisation_id,
        },
    )?;
    let mut errors = FieldErrors::new();
    check_name(name, &mut errors);
    if description.chars().count() > 4000 {
        errors.add(
            "description",
            "La présentation est trop longue (4 000 caractères au plus).",
        );
    }
    errors.into_result()?;
    let mut tx = ctx.db.begin().await?;
    let org = orgs::by_id(tx.ex(), organisation_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let id = db::insert(tx.ex(), name.trim(), description.trim()).await?;
    db::attach(tx.ex(), id, organisation_id).await?;
    activity::record(
        tx.ex(),
        "school.created",
        Some(org.id),
        actor.user_id(),
        &format!("Nouvelle école : {} ({})", name.trim(), org.name),
        Some(&format!("/organisations/{}", org.siren)),
        maillage_db::now(),
    )
    .await?;
    audit::record(tx.ex(), actor.user_id(), "school.create", &id.to_string(), name.trim()).await?;
    tx.commit().await?;
    Ok(id)
}

/// Shares a school with another organisation (a mutualised school), by SIREN.
pub async fn attach(ctx: &Ctx, actor: &Actor, school_id: Uuid, siren: &str) -> CoreResult<()> {
    let school = get(ctx, school_id).await?;
    let ids: Vec<Uuid> = school.organisations.iter().map(|o| o.id).collect();
    policy::require(actor, &Action::ManageSchool { organisations: &ids })?;
    let org = match crate::organisations::get(ctx, siren).await {
        Ok(org) => org,
        Err(CoreError::NotFound) => {
            return Err(FieldErrors::single(
                "siren",
                "Aucune organisation du réseau n'a ce SIREN.",
            ));
        }
        Err(e) => return Err(e),
    };
    // Sharing changes the other organisation's page too: its administrators
    // (or the coordinator) must be the ones doing it.
    policy::require(actor, &Action::CreateSchool { organisation: org.id })?;
    let mut tx = ctx.db.begin().await?;
    db::attach(tx.ex(), school.id, org.id).await?;
    audit::record(
        tx.ex(),
        actor.user_id(),
        "school.attach",
        &school.id.to_string(),
        &org.siren,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
