//! Feedback on the project, first of all from the public service's users
//! (not only the team or the sponsor): where it comes from, who said it as
//! they agreed to be named, what they said, when it was received.

use maillage_db::project_life as db;
use maillage_domain::project::FeedbackSource;
use uuid::Uuid;

use super::{Feedback, FeedbackGroup, dated_field, text_field};
use crate::{Actor, CoreError, CoreResult, Ctx, FieldErrors, projects::load};

/// The form, as typed. An empty source is the users' (the form's default).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct FeedbackInput {
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub author_label: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub received_on: String,
}

/// Groups the feedback by source, in the order of [`FeedbackSource::ALL`]
/// (the users first), newest first within a source. A source unknown to
/// this version (written by a later one) is shown with the team's.
pub fn group(rows: Vec<db::FeedbackRow>) -> Vec<FeedbackGroup> {
    let mut groups: Vec<FeedbackGroup> = FeedbackSource::ALL
        .iter()
        .map(|s| FeedbackGroup {
            source: *s,
            items: Vec::new(),
        })
        .collect();
    for r in rows {
        let source = FeedbackSource::parse(&r.source).unwrap_or(FeedbackSource::Team);
        if let Some(g) = groups.iter_mut().find(|g| g.source == source) {
            g.items.push(Feedback {
                id: r.id,
                author_label: r.author_label,
                body: r.body,
                received_on: r.received_on,
            });
        }
    }
    groups.retain(|g| !g.items.is_empty());
    groups
}

/// Records a piece of feedback (team and school).
pub async fn add(ctx: &Ctx, actor: &Actor, project_id: Uuid, input: &FeedbackInput) -> CoreResult<Uuid> {
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, project_id).await?;
    access.require_edit(actor)?;
    let mut errors = FieldErrors::new();
    let source = if input.source.trim().is_empty() {
        Some(FeedbackSource::User)
    } else {
        let s = FeedbackSource::parse(input.source.trim());
        if s.is_none() {
            errors.add(
                "source",
                "Choisissez d’où vient ce retour dans la liste (usager, agent, élu, partenaire, commanditaire, équipe).",
            );
        }
        s
    };
    let author_label = text_field(&mut errors, "author_label", &input.author_label, 200, None);
    let body = text_field(
        &mut errors,
        "body",
        &input.body,
        4000,
        Some("Saisissez ce qui a été dit : le retour est vide."),
    );
    let received_on = dated_field(
        &mut errors,
        "received_on",
        &input.received_on,
        None,
        crate::dates::paris_today(),
        "La date du retour",
    );
    errors.into_result()?;
    let (Some(source), Some(received_on)) = (source, received_on) else {
        return Err(CoreError::Internal(anyhow::anyhow!("retour validé incomplet")));
    };
    let id = db::insert_feedback(
        tx.ex(),
        project_id,
        source.key(),
        &author_label,
        &body,
        received_on,
        actor.user_id(),
    )
    .await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.feedback.add",
        &project_id.to_string(),
        source.key(),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a piece of feedback (team and school).
pub async fn delete(ctx: &Ctx, actor: &Actor, project_id: Uuid, feedback_id: Uuid) -> CoreResult<()> {
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, project_id).await?;
    access.require_edit(actor)?;
    if db::delete_feedback(tx.ex(), project_id, feedback_id).await? == 0 {
        return Err(CoreError::NotFound);
    }
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.feedback.delete",
        &feedback_id.to_string(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
