//! What the organising school does on a session page: enrol a person of
//! its organisations (same rules: capacity, waitlist, never twice; no
//! approval — the school decides), cancel someone's enrolment (after the
//! deadline too; the seat goes to the waitlist), and the guests invited
//! for one day (shown to the school and the session's trainers).

use maillage_db::training_sessions as db;
use maillage_domain::email::Email;
use time::Date;
use uuid::Uuid;

use super::{CANCELLED, ENROLLED, Session, Standing, date_fr, get, promote, take_seat};
use crate::{Actor, CoreError, CoreResult, Ctx, FieldErrors, catalogue, mail, mail::Mail};

/// A person the school may enrol.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
    pub email: String,
}

/// The people with an account in the school's organisations, by name.
pub async fn candidates(ctx: &Ctx, actor: &Actor, session: &Session) -> CoreResult<Vec<Person>> {
    catalogue::require_manage(ctx, actor, session.school_id).await?;
    let mut conn = ctx.db.conn().await?;
    Ok(db::people_of_school(conn.ex(), session.school_id)
        .await?
        .into_iter()
        .map(|p| Person {
            id: p.id,
            name: p.display_name,
            email: p.email,
        })
        .collect())
}

/// The school enrols someone of its organisations, chosen by id (from the
/// list) or by email.
pub async fn enrol_person(ctx: &Ctx, actor: &Actor, session_id: Uuid, person: &str) -> CoreResult<Standing> {
    let session = get(ctx, actor, session_id).await?;
    catalogue::require_manage(ctx, actor, session.school_id).await?;
    if session.cancelled {
        return Err(CoreError::Conflict("Cette session est annulée.".into()));
    }
    if super::today() > session.ends_on {
        return Err(CoreError::Conflict("Cette session est terminée.".into()));
    }
    let person = person.trim();
    if person.is_empty() {
        return Err(FieldErrors::single(
            "person",
            "Choisissez une personne dans la liste ou saisissez son adresse électronique.",
        ));
    }
    let people = candidates(ctx, actor, &session).await?;
    let found = match Uuid::parse_str(person) {
        Ok(id) => people.iter().find(|p| p.id == id),
        Err(_) => match Email::parse(person) {
            Ok(e) => people.iter().find(|p| p.email == e.as_str()),
            Err(_) => {
                return Err(FieldErrors::single(
                    "person",
                    "Saisissez une adresse électronique valide, par exemple prenom.nom@ville.fr.",
                ));
            }
        },
    };
    let Some(who) = found.cloned() else {
        return Err(FieldErrors::single(
            "person",
            "Aucun compte de ce nom dans les organisations de l'école : invitez d'abord la personne.",
        ));
    };
    let mut tx = ctx.db.begin().await?;
    let standing = match take_seat(tx.ex(), &session, who.id, actor.user_id()).await {
        Err(CoreError::Conflict(_)) => {
            return Err(CoreError::Conflict(format!(
                "{} est déjà inscrit·e à cette session (ou sur sa liste d'attente).",
                who.name
            )));
        }
        other => other?,
    };
    let site = ctx.settings.public_url();
    let what = match standing {
        Standing::Enrolled => "vous a inscrit·e".to_owned(),
        Standing::Waiting(r) => format!("vous a placé·e sur la liste d'attente (position {r})"),
        _ => "a enregistré votre demande".to_owned(),
    };
    mail::enqueue(
        tx.ex(),
        &Mail {
            to: who.email.clone(),
            subject: format!("Inscription : {}", session.module_title),
            body: format!(
                "Bonjour {name},\n\n{school} {what} à la session « {title} » du {start}.\n\n{site}/sessions/{id}\n",
                name = who.name,
                school = session.school_name,
                title = session.module_title,
                start = date_fr(session.starts_on),
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
        "enrolment.by_school",
        &session.id.to_string(),
        &who.email,
    )
    .await?;
    tx.commit().await?;
    Ok(standing)
}

/// The school cancels someone's enrolment (any time before the session
/// ends); a freed seat goes to the first waiting.
pub async fn cancel_person(ctx: &Ctx, actor: &Actor, session_id: Uuid, user_id: Uuid) -> CoreResult<()> {
    let session = get(ctx, actor, session_id).await?;
    catalogue::require_manage(ctx, actor, session.school_id).await?;
    let mut tx = ctx.db.begin().await?;
    db::lock(tx.ex(), session_id).await?.ok_or(CoreError::NotFound)?;
    let e = db::enrolment_of(tx.ex(), session_id, user_id)
        .await?
        .filter(|e| Standing::of(&e.status, 0).active())
        .ok_or_else(|| CoreError::Conflict("Cette personne n'est pas inscrite à cette session.".into()))?;
    db::set_status(tx.ex(), e.id, CANCELLED).await?;
    if e.status == ENROLLED {
        promote(ctx, tx.ex(), &session).await?;
    }
    mail::enqueue(
        tx.ex(),
        &Mail {
            to: e.email.clone(),
            subject: format!("Inscription annulée : {}", session.module_title),
            body: format!(
                "Bonjour {name},\n\n{school} a annulé votre inscription à la session « {title} » du {start}.\n",
                name = e.display_name,
                school = session.school_name,
                title = session.module_title,
                start = date_fr(session.starts_on),
            ),
        },
        None,
    )
    .await
    .map_err(CoreError::Internal)?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "enrolment.cancel_by_school",
        &session.id.to_string(),
        &e.email,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Guest {
    pub id: Uuid,
    pub day: Date,
    pub name: String,
    pub quality: String,
}

/// Whether the viewer sees the guests: the school, the session's trainers.
pub async fn sees_guests(ctx: &Ctx, actor: &Actor, session: &Session) -> CoreResult<bool> {
    let Some(me) = actor.user() else {
        return Ok(false);
    };
    if catalogue::can_manage(ctx, actor, session.school_id).await? {
        return Ok(true);
    }
    let mut conn = ctx.db.conn().await?;
    Ok(db::is_trainer(conn.ex(), session.id, me.id).await?)
}

/// The guests of a session, by day (the school and the trainers; others 404).
pub async fn guests(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<Vec<Guest>> {
    let session = get(ctx, actor, session_id).await?;
    if !sees_guests(ctx, actor, &session).await? {
        return Err(CoreError::NotFound);
    }
    let mut conn = ctx.db.conn().await?;
    Ok(db::guests_of(conn.ex(), session_id)
        .await?
        .into_iter()
        .map(|g| Guest {
            id: g.id,
            day: g.day,
            name: g.name,
            quality: g.quality,
        })
        .collect())
}

/// A guest, as typed.
#[derive(Debug, Clone, Default)]
pub struct GuestInput {
    pub day: String,
    pub name: String,
    pub quality: String,
}

/// Invites a guest for one day of the session (the school).
pub async fn add_guest(ctx: &Ctx, actor: &Actor, session_id: Uuid, input: &GuestInput) -> CoreResult<Uuid> {
    let session = get(ctx, actor, session_id).await?;
    catalogue::require_manage(ctx, actor, session.school_id).await?;
    let mut errors = FieldErrors::new();
    let day = super::form::date(&mut errors, "day", &input.day, true);
    if let Some(d) = day
        && (d < session.starts_on || d > session.ends_on)
    {
        errors.add(
            "day",
            format!(
                "Choisissez un jour de la session (du {} au {}).",
                date_fr(session.starts_on),
                date_fr(session.ends_on)
            ),
        );
    }
    let name = input.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        errors.add("name", "Saisissez le nom de la personne invitée.");
    } else if name.chars().count() > 200 {
        errors.add("name", "Le nom est trop long (200 caractères au plus).");
    }
    let quality = input.quality.split_whitespace().collect::<Vec<_>>().join(" ");
    if quality.chars().count() > 200 {
        errors.add("quality", "La qualité est trop longue (200 caractères au plus).");
    }
    errors.into_result()?;
    let mut tx = ctx.db.begin().await?;
    let id = db::insert_guest(tx.ex(), session_id, day.expect("checked"), &name, &quality).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "session.guest_add",
        &session_id.to_string(),
        &name,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a guest (the school).
pub async fn remove_guest(ctx: &Ctx, actor: &Actor, session_id: Uuid, guest_id: Uuid) -> CoreResult<()> {
    let session = get(ctx, actor, session_id).await?;
    catalogue::require_manage(ctx, actor, session.school_id).await?;
    let mut tx = ctx.db.begin().await?;
    if db::delete_guest(tx.ex(), session_id, guest_id).await? == 0 {
        return Err(CoreError::NotFound);
    }
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "session.guest_remove",
        &session_id.to_string(),
        &guest_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
