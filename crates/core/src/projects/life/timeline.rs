//! The dated timeline: what became of the project, written by its team
//! (and its alumni, who stay in the team for years after the jury) and its
//! school. A date is never in the future nor before the project's start.

use maillage_db::{Ex, project_life as db, projects::ProjectRow};
use uuid::Uuid;

use super::{dated_field, text_field};
use crate::{Actor, CoreError, CoreResult, Ctx, FieldErrors, projects::load};

/// What the form sends.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct UpdateInput {
    #[serde(default)]
    pub written_on: String,
    #[serde(default)]
    pub body: String,
}

fn validate(input: &UpdateInput, project: &ProjectRow, errors: &mut FieldErrors) -> (Option<time::Date>, String) {
    let today = crate::dates::paris_today();
    let date = dated_field(
        errors,
        "written_on",
        &input.written_on,
        project.started_on,
        today,
        "La date de l’actualité",
    );
    let body = text_field(
        errors,
        "body",
        &input.body,
        8000,
        Some("Écrivez ce qui s’est passé : l’actualité est vide."),
    );
    (date, body)
}

/// Adds an update to the timeline.
pub async fn add(ctx: &Ctx, actor: &Actor, project_id: Uuid, input: &UpdateInput) -> CoreResult<Uuid> {
    let mut tx = ctx.db.begin().await?;
    let (project, access) = load(tx.ex(), actor, project_id).await?;
    access.require_edit(actor)?;
    let mut errors = FieldErrors::new();
    let (date, body) = validate(input, &project, &mut errors);
    errors.into_result()?;
    let date = date.ok_or(CoreError::Internal(anyhow::anyhow!("date validée absente")))?;
    let id = db::insert_update(tx.ex(), project_id, actor.user_id(), date, &body).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.update.add",
        &project_id.to_string(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// An update the actor wrote, to edit it (another's is `Forbidden` to the
/// team, who sees it; `NotFound` when it is not this project's).
pub async fn own(
    ctx: &Ctx,
    actor: &Actor,
    project_id: Uuid,
    update_id: Uuid,
) -> CoreResult<(ProjectRow, db::UpdateRow)> {
    let mut conn = ctx.db.conn().await?;
    own_in(conn.ex(), actor, project_id, update_id).await
}

/// [`own`] on a given connection: the edit and the deletion call it inside
/// their transaction, so the check and the write see the same state.
async fn own_in(
    mut ex: Ex<'_>,
    actor: &Actor,
    project_id: Uuid,
    update_id: Uuid,
) -> CoreResult<(ProjectRow, db::UpdateRow)> {
    let (project, access) = load(ex.reborrow(), actor, project_id).await?;
    let update = db::update_by_id(ex, project_id, update_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    access.require_edit(actor)?;
    if update.author_id.is_none() || update.author_id != actor.user_id() {
        return Err(CoreError::Forbidden);
    }
    Ok((project, update))
}

/// Edits one's own update.
pub async fn edit(ctx: &Ctx, actor: &Actor, project_id: Uuid, update_id: Uuid, input: &UpdateInput) -> CoreResult<()> {
    let author = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let mut tx = ctx.db.begin().await?;
    let (project, _) = own_in(tx.ex(), actor, project_id, update_id).await?;
    let mut errors = FieldErrors::new();
    let (date, body) = validate(input, &project, &mut errors);
    errors.into_result()?;
    let date = date.ok_or(CoreError::Internal(anyhow::anyhow!("date validée absente")))?;
    // The SQL filters on the author too: the rule holds in the statement.
    if db::edit_update(tx.ex(), project_id, update_id, author, date, &body).await? == 0 {
        return Err(CoreError::NotFound);
    }
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.update.edit",
        &update_id.to_string(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes one's own update.
pub async fn delete(ctx: &Ctx, actor: &Actor, project_id: Uuid, update_id: Uuid) -> CoreResult<()> {
    let author = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let mut tx = ctx.db.begin().await?;
    own_in(tx.ex(), actor, project_id, update_id).await?;
    if db::delete_update(tx.ex(), project_id, update_id, author).await? == 0 {
        return Err(CoreError::NotFound);
    }
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.update.delete",
        &update_id.to_string(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
