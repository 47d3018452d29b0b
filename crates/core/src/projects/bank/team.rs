//! The team: people of the directory added to a project (and removed) by
//! its team and its school. Only a person the directory lists for the one
//! adding them can be added: nobody is reached through a hidden profile.

use maillage_db::projects as db;
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors,
    directory::{profile, search},
    projects::load,
};

/// Directory profiles matching `q` that may join the team (the form's
/// choices), at most 10.
pub async fn candidates(ctx: &Ctx, actor: &Actor, project_id: Uuid, q: &str) -> CoreResult<Vec<profile::Profile>> {
    let (project, access) = super::get(ctx, actor, project_id).await?;
    access.require_edit(actor)?;
    if q.trim().is_empty() {
        return Ok(Vec::new());
    }
    let found = search::search(
        ctx,
        actor,
        &search::Params {
            q: q.to_owned(),
            page: 1,
            ..Default::default()
        },
    )
    .await?;
    Ok(found
        .items
        .into_iter()
        .filter(|p| !project.members.iter().any(|m| m.profile_id == p.id))
        .take(10)
        .collect())
}

/// Adds a person (their directory profile) to the team.
pub async fn add(ctx: &Ctx, actor: &Actor, project_id: Uuid, profile_id: &str) -> CoreResult<()> {
    {
        let mut conn = ctx.db.conn().await?;
        let (_, access) = load(conn.ex(), actor, project_id).await?;
        access.require_edit(actor)?;
    }
    let person = match Uuid::parse_str(profile_id.trim()) {
        Ok(id) => match profile::get(ctx, actor, id).await {
            Ok(p) => p,
            Err(CoreError::NotFound) => return Err(unknown_person()),
            Err(e) => return Err(e),
        },
        Err(_) => return Err(unknown_person()),
    };
    let mut tx = ctx.db.begin().await?;
    let (row, access) = load(tx.ex(), actor, project_id).await?;
    access.require_edit(actor)?;
    if db::add_member(tx.ex(), project_id, person.id).await? == 0 {
        return Err(FieldErrors::single(
            "profile",
            format!("{} fait déjà partie de l'équipe.", person.full_name()),
        ));
    }
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.team.add",
        &project_id.to_string(),
        &format!("{} — {}", row.title, person.full_name()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn unknown_person() -> CoreError {
    FieldErrors::single(
        "profile",
        "Choisissez une personne de l'annuaire (cherchez-la par son nom).",
    )
}

/// Removes a person from the team (not in the team: 404).
pub async fn remove(ctx: &Ctx, actor: &Actor, project_id: Uuid, profile_id: Uuid) -> CoreResult<()> {
    let mut tx = ctx.db.begin().await?;
    let (row, access) = load(tx.ex(), actor, project_id).await?;
    access.require_edit(actor)?;
    if db::remove_member(tx.ex(), project_id, profile_id).await? == 0 {
        return Err(CoreError::NotFound);
    }
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.team.remove",
        &project_id.to_string(),
        &format!("{} — {profile_id}", row.title),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
