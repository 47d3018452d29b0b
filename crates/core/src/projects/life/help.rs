//! Help wanted (« débogage »): a project's team asks the network a
//! question; it shows in the home feed of everyone who may see the project
//! and on `/entraide`; anyone who sees the project may offer help once (the
//! team is told by mail); the team marks the request resolved, or turns it
//! into a co-development request, which is passed on to the school's
//! managers by mail (the co-development workshops themselves are not on
//! the platform yet).

use maillage_db::project_life as db;
use maillage_domain::project::HelpStatus;
use time::OffsetDateTime;
use uuid::Uuid;

use super::text_field;
use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors,
    mail::{self, Mail},
    policy::{self, Action},
    projects::{load, viewer},
};

/// Flags « Besoin d'aide » with a question (team and school).
pub async fn ask(ctx: &Ctx, actor: &Actor, project_id: Uuid, question: &str) -> CoreResult<Uuid> {
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, project_id).await?;
    access.require_edit(actor)?;
    let mut errors = FieldErrors::new();
    let question = text_field(
        &mut errors,
        "question",
        question,
        2000,
        Some("Posez votre question : dites sur quoi l’équipe bloque et quelle aide l’aiderait."),
    );
    errors.into_result()?;
    let id = db::insert_help_request(tx.ex(), project_id, &question, actor.user_id()).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.help.ask",
        &project_id.to_string(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Offers help on an open request: anyone who sees the project but its
/// team, once. The team is told by mail, with how to reach the person.
pub async fn offer(ctx: &Ctx, actor: &Actor, project_id: Uuid, request_id: Uuid, message: &str) -> CoreResult<()> {
    let user = actor.user().ok_or(CoreError::Unauthenticated)?.clone();
    let mut tx = ctx.db.begin().await?;
    let (project, access) = load(tx.ex(), actor, project_id).await?;
    let request = db::help_request(tx.ex(), project_id, request_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    policy::require(actor, &Action::OfferHelp { team: access.team })?;
    // A closed request or a second offer: said on the form, which keeps
    // what was typed (the request may have closed while it was written).
    if request.status != HelpStatus::Open.key() {
        return Err(FieldErrors::single(
            "message",
            "Cette demande d’aide est close : l’équipe n’attend plus de proposition.",
        ));
    }
    if db::has_offered(tx.ex(), request_id, user.id).await? {
        return Err(FieldErrors::single(
            "message",
            "Vous avez déjà proposé votre aide sur cette demande : l’équipe a reçu votre message.",
        ));
    }
    let mut errors = FieldErrors::new();
    let message = text_field(
        &mut errors,
        "message",
        message,
        2000,
        Some("Dites en quelques mots ce que vous proposez (une expérience, un outil, un échange…)."),
    );
    errors.into_result()?;
    db::insert_offer(tx.ex(), request_id, user.id, &message).await?;
    let site = ctx.settings.public_url();
    for r in db::team_recipients(tx.ex(), project_id).await? {
        mail::enqueue(
            tx.ex(),
            &Mail {
                to: r.email.clone(),
                subject: format!("Une proposition d’aide pour « {} »", project.title),
                body: format!(
                    "Bonjour {name},\n\n{helper} propose son aide à l’équipe du projet « {title} », \
                     en réponse à votre question :\n\n« {question} »\n\nSon message :\n\n{message}\n\n\
                     Pour lui répondre : {email}\n\nLe projet : {site}/projets/{project_id}#entraide\n",
                    name = r.display_name,
                    helper = user.display_name,
                    title = project.title,
                    question = request.question,
                    email = user.email,
                ),
            },
            Some(&format!("help-offer:{request_id}:{}:{}", user.id, r.email)),
        )
        .await
        .map_err(CoreError::Internal)?;
    }
    maillage_db::audit::record(
        tx.ex(),
        Some(user.id),
        "project.help.offer",
        &request_id.to_string(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Closes an open request as resolved (team and school).
pub async fn resolve(ctx: &Ctx, actor: &Actor, project_id: Uuid, request_id: Uuid) -> CoreResult<()> {
    close(ctx, actor, project_id, request_id, HelpStatus::Solved).await
}

/// Turns an open request into a co-development request: the school's
/// managers are told by mail, to organise it (team and school).
pub async fn to_codevelopment(ctx: &Ctx, actor: &Actor, project_id: Uuid, request_id: Uuid) -> CoreResult<()> {
    close(ctx, actor, project_id, request_id, HelpStatus::Codevelopment).await
}

async fn close(ctx: &Ctx, actor: &Actor, project_id: Uuid, request_id: Uuid, status: HelpStatus) -> CoreResult<()> {
    let mut tx = ctx.db.begin().await?;
    let (project, access) = load(tx.ex(), actor, project_id).await?;
    access.require_edit(actor)?;
    let request = db::help_request(tx.ex(), project_id, request_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    if db::close_help_request(tx.ex(), project_id, request_id, status.key()).await? == 0 {
        return Err(CoreError::Conflict("Cette demande d’aide est déjà close.".into()));
    }
    if status == HelpStatus::Codevelopment {
        let site = ctx.settings.public_url();
        let asker = actor
            .user()
            .map(|u| format!("{} ({})", u.display_name, u.email))
            .unwrap_or_default();
        for r in maillage_db::training_sessions::school_admins(tx.ex(), project.school_id).await? {
            mail::enqueue(
                tx.ex(),
                &Mail {
                    to: r.email.clone(),
                    subject: format!("Demande de codéveloppement : « {} »", project.title),
                    body: format!(
                        "Bonjour {name},\n\nL’équipe du projet « {title} » ({school}) demande une séance de \
                         codéveloppement sur la question suivante :\n\n« {question} »\n\n\
                         Demande transmise par {asker}.\n\nLes séances de codéveloppement ne s’organisent pas \
                         encore sur la plateforme : prenez contact avec l’équipe pour en convenir.\n\n\
                         Le projet : {site}/projets/{project_id}#entraide\n",
                        name = r.display_name,
                        title = project.title,
                        school = project.school_name,
                        question = request.question,
                    ),
                },
                Some(&format!("help-codev:{request_id}:{}", r.email)),
            )
            .await
            .map_err(CoreError::Internal)?;
        }
    }
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.help.close",
        &request_id.to_string(),
        status.key(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An open help request in the network's feed.
#[derive(Debug, Clone)]
pub struct FeedItem {
    pub id: Uuid,
    pub project_id: Uuid,
    pub project_title: String,
    pub school_name: String,
    pub question: String,
    pub created_at: OffsetDateTime,
    pub offers: i64,
}

/// The open help requests of the projects the actor may see, newest first;
/// nothing for a visitor who is not logged in.
pub async fn feed(ctx: &Ctx, actor: &Actor, limit: i64) -> CoreResult<Vec<FeedItem>> {
    let Ok(viewer) = viewer(actor) else {
        return Ok(Vec::new());
    };
    let mut conn = ctx.db.conn().await?;
    Ok(db::open_help_feed(conn.ex(), &viewer, limit)
        .await?
        .into_iter()
        .map(|r| FeedItem {
            id: r.id,
            project_id: r.project_id,
            project_title: r.project_title,
            school_name: r.school_name,
            question: r.question,
            created_at: r.created_at,
            offers: r.offers,
        })
        .collect())
}
