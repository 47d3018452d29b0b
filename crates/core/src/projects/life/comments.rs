//! Comments on a project: its sponsor (who follows it after the jury), its
//! team and its school. The team is told by mail when the sponsor writes.

use maillage_db::project_life as db;
use uuid::Uuid;

use super::text_field;
use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors,
    mail::{self, Mail},
    projects::load,
};

/// Adds a comment (sponsor, team, school).
pub async fn add(ctx: &Ctx, actor: &Actor, project_id: Uuid, body: &str) -> CoreResult<Uuid> {
    let mut tx = ctx.db.begin().await?;
    let (project, access) = load(tx.ex(), actor, project_id).await?;
    access.require_comment(actor)?;
    let mut errors = FieldErrors::new();
    let body = text_field(
        &mut errors,
        "body",
        body,
        4000,
        Some("Écrivez votre commentaire : il est vide."),
    );
    errors.into_result()?;
    let id = db::insert_comment(tx.ex(), project_id, actor.user_id(), &body).await?;
    // The sponsor's word matters to the team: they are told; the team's and
    // the school's own comments are read on the page.
    if access.sponsor && !access.team {
        let author = actor.user().map(|u| u.display_name.clone()).unwrap_or_default();
        let site = ctx.settings.public_url();
        for r in db::team_recipients(tx.ex(), project_id).await? {
            mail::enqueue(
                tx.ex(),
                &Mail {
                    to: r.email.clone(),
                    subject: format!("Commentaire du commanditaire sur « {} »", project.title),
                    body: format!(
                        "Bonjour {name},\n\n{author}, commanditaire du projet « {title} », a écrit :\n\n{body}\n\n\
                         Le projet : {site}/projets/{project_id}#commentaires\n",
                        name = r.display_name,
                        title = project.title,
                    ),
                },
                Some(&format!("project-comment:{id}:{}", r.email)),
            )
            .await
            .map_err(CoreError::Internal)?;
        }
    }
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.comment.add",
        &project_id.to_string(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Deletes one's own comment.
pub async fn delete(ctx: &Ctx, actor: &Actor, project_id: Uuid, comment_id: Uuid) -> CoreResult<()> {
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, project_id).await?;
    access.require_comment(actor)?;
    let me = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    if db::delete_own_comment(tx.ex(), project_id, comment_id, me).await? == 0 {
        return Err(CoreError::NotFound);
    }
    maillage_db::audit::record(tx.ex(), Some(me), "project.comment.delete", &comment_id.to_string(), "").await?;
    tx.commit().await?;
    Ok(())
}
