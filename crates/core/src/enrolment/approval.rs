//! Enrolments that need an approval first: the request waits ('a_valider',
//! no seat held, not on the waitlist yet); the school (approval 'ecole') or
//! the person's line manager (approval 'responsable' — the school when no
//! manager is known) approves it, and it then takes a seat or joins the
//! waitlist under the session's lock, in the order of approval; or refuses
//! it with a note. Mails go both ways, in the same transaction.

use maillage_db::{Ex, training_sessions as db};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{ALREADY, Approval, PENDING, REFUSED, Session, Standing, date_fr, get, take_seat};
use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors, UserCtx, mail,
    mail::Mail,
    policy::{self, Action},
    schools,
};

/// Records the request and tells whoever decides. Called by
/// [`super::enrol`] in its transaction.
pub(crate) async fn request(ctx: &Ctx, mut ex: Ex<'_>, session: &Session, me: &UserCtx) -> CoreResult<Standing> {
    db::lock(ex.reborrow(), session.id).await?.ok_or(CoreError::NotFound)?;
    let existing = db::enrolment_of(ex.reborrow(), session.id, me.id).await?;
    if existing.as_ref().is_some_and(|e| Standing::of(&e.status, 0).active()) {
        return Err(CoreError::Conflict(ALREADY.into()));
    }
    match existing {
        Some(e) => {
            db::reactivate(ex.reborrow(), e.id, session.id, PENDING).await?;
        }
        None => {
            db::insert_enrolment(ex.reborrow(), session.id, me.id, PENDING, Some(me.id)).await?;
        }
    }
    let manager = match session.approval {
        Approval::Manager => db::line_manager(ex.reborrow(), me.id).await?,
        _ => None,
    };
    let deciders = match manager {
        Some(m) => vec![m],
        None => db::school_admins(ex.reborrow(), session.school_id).await?,
    };
    let site = ctx.settings.public_url();
    for d in deciders {
        mail::enqueue(
            ex.reborrow(),
            &Mail {
                to: d.email.clone(),
                subject: format!("Demande d'inscription à valider : {}", session.module_title),
                body: format!(
                    "Bonjour {name},\n\n{who} demande à participer à la session « {title} » du {start} \
                     organisée par {school}. Vous pouvez accepter ou refuser sa demande :\n\n{site}/mes-validations\n",
                    name = d.display_name,
                    who = me.display_name,
                    title = session.module_title,
                    start = date_fr(session.starts_on),
                    school = session.school_name,
                ),
            },
            None,
        )
        .await
        .map_err(CoreError::Internal)?;
    }
    Ok(Standing::Pending)
}

/// A request waiting for the viewer's decision.
#[derive(Debug, Clone)]
pub struct Request {
    pub id: Uuid,
    pub session_id: Uuid,
    pub name: String,
    pub email: String,
    pub module_title: String,
    pub school_name: String,
    pub starts_on: time::Date,
    /// Decided as the line manager (else for the school).
    pub as_manager: bool,
    pub since: OffsetDateTime,
}

fn request_of(r: db::PendingRow, me: Uuid) -> Request {
    Request {
        as_manager: r.approval == Approval::Manager.key() && r.manager_user_id == Some(me),
        id: r.id,
        session_id: r.session_id,
        name: r.display_name,
        email: r.email,
        module_title: r.module_title,
        school_name: r.school_name,
        starts_on: r.starts_on,
        since: r.created_at,
    }
}

/// The requests waiting for the viewer (`/mes-validations`), oldest first.
pub async fn pending(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<Request>> {
    policy::require(actor, &Action::UseAccount)?;
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let schools: Vec<Uuid> = schools::manageable(ctx, actor)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let mut conn = ctx.db.conn().await?;
    Ok(db::pending_for(conn.ex(), me.id, &schools)
        .await?
        .into_iter()
        .map(|r| request_of(r, me.id))
        .collect())
}

/// Approves (`approve`) or refuses a request, with an optional note. Only
/// whoever decides for it may (anyone else: 404).
pub async fn decide(ctx: &Ctx, actor: &Actor, enrolment_id: Uuid, approve: bool, note: &str) -> CoreResult<Standing> {
    policy::require(actor, &Action::UseAccount)?;
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let row = {
        let mut conn = ctx.db.conn().await?;
        db::pending_by_id(conn.ex(), enrolment_id)
            .await?
            .ok_or(CoreError::NotFound)?
    };
    let school = schools::get(ctx, row.school_id).await?;
    let orgs: Vec<Uuid> = school.organisations.iter().map(|o| o.id).collect();
    let manager_decides = row.approval == Approval::Manager.key() && row.manager_user_id.is_some();
    policy::require(
        actor,
        &Action::DecideEnrolment {
            line_manager: manager_decides && row.manager_user_id == Some(me.id),
            school_decides: !manager_decides,
            organisations: &orgs,
        },
    )?;
    let note = note.trim();
    if note.chars().count() > 1000 {
        return Err(FieldErrors::single(
            "note",
            "La note est trop longue (1 000 caractères au plus).",
        ));
    }
    let session = get(ctx, actor, row.session_id).await?;
    let mut tx = ctx.db.begin().await?;
    db::lock(tx.ex(), session.id).await?.ok_or(CoreError::NotFound)?;
    let current = db::enrolment_of(tx.ex(), session.id, row.user_id)
        .await?
        .filter(|e| e.id == enrolment_id && e.status == PENDING)
        .ok_or_else(|| CoreError::Conflict("Cette demande a déjà été traitée ou annulée.".into()))?;
    let standing = if approve {
        if session.cancelled {
            return Err(CoreError::Conflict("Cette session est annulée.".into()));
        }
        // Back to « not asked » then a seat or the waitlist, in the order
        // of approval.
        db::decide(tx.ex(), current.id, session.id, super::CANCELLED, me.id, note).await?;
        take_seat(tx.ex(), &session, row.user_id, Some(me.id)).await?
    } else {
        db::decide(tx.ex(), current.id, session.id, REFUSED, me.id, note).await?;
        Standing::Refused
    };
    let (subject, what) = match standing {
        Standing::Enrolled => ("Inscription acceptée", "est acceptée : vous êtes inscrit·e.".to_owned()),
        Standing::Waiting(r) => (
            "Inscription acceptée",
            format!("est acceptée ; la session est complète : vous êtes sur la liste d'attente, en position {r}."),
        ),
        _ => ("Inscription refusée", "n'a pas été acceptée.".to_owned()),
    };
    let site = ctx.settings.public_url();
    mail::enqueue(
        tx.ex(),
        &Mail {
            to: row.email.clone(),
            subject: format!("{subject} : {}", session.module_title),
            body: format!(
                "Bonjour {name},\n\nVotre demande de participation à la session « {title} » du {start} {what}\n{note}\n{site}/sessions/{id}\n",
                name = row.display_name,
                title = session.module_title,
                start = date_fr(session.starts_on),
                note = if note.is_empty() { String::new() } else { format!("\nMessage de {} : {note}\n", me.display_name) },
                id = session.id,
            ),
        },
        None,
    )
    .await
    .map_err(CoreError::Internal)?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        if approve {
            "enrolment.approve"
        } else {
            "enrolment.refuse"
        },
        &enrolment_id.to_string(),
        &session.module_title,
    )
    .await?;
    tx.commit().await?;
    Ok(standing)
}
