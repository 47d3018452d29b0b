//! Every change of a project's status goes through [`change`]: the
//! appetizer (retenu / non retenu and why), the start, the jury, the
//! outcome, an abandonment, a new proposal (possibly to another school: a
//! take-up). One operation, so the rules hold for the pages, the API and
//! the demo alike:
//! - the status must be known (`Status::parse`) and reachable from the
//!   current one (`Status::may_become`);
//! - statuses that need a why (`Status::needs_reason`) get one;
//! - « restitué » needs the jury and its date, not before the start;
//! - « en cours » sets the start date; a new proposal starts a new round.
//!
//! Each change writes a line of `project_events`.

use maillage_db::projects as db;
use maillage_domain::project::Status;
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors,
    dates::{date_field, date_fr, paris_today},
    policy::{self, Action},
    projects::load,
};

/// A status change, as typed.
#[derive(Debug, Clone, Default)]
pub struct Change {
    /// The status asked for (key: `retenu`, `non_retenu`…).
    pub status: String,
    pub reason: String,
    /// At the appetizer or the start: the promotion that carries it.
    pub promotion: String,
    /// For a new proposal: the school it goes to (empty: the same).
    pub school: String,
    /// For « restitué »: the jury and its date (`AAAA-MM-JJ`).
    pub jury: String,
    pub jury_on: String,
}

fn known_statuses() -> String {
    Status::ALL
        .iter()
        .map(|s| format!("« {} »", s.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Changes a project's status; returns the new one.
pub async fn change(ctx: &Ctx, actor: &Actor, id: Uuid, c: &Change) -> CoreResult<Status> {
    let mut errors = FieldErrors::new();
    let asked = c.status.trim();
    let next = Status::parse(asked);
    let mut tx = ctx.db.begin().await?;
    let (row, access) = load(tx.ex(), actor, id).await?;
    let current = Status::parse(&row.status).unwrap_or(Status::Proposed);
    // A new proposal to another school may come from that school's
    // managers (they take the project up); every other change is the
    // current school's.
    let target_school = match c.school.trim() {
        "" => None,
        s => match Uuid::parse_str(s) {
            Ok(school) if maillage_db::schools::by_id(tx.ex(), school).await?.is_some() => Some(school),
            _ => {
                errors.add("school", "Choisissez une école du réseau.");
                None
            }
        },
    };
    match target_school {
        // A take-up: the actor must manage the school the project goes to.
        Some(s) if next == Some(Status::Proposed) && s != row.school_id && !access.can_screen(actor) => {
            let organisations = maillage_db::schools::organisation_ids(tx.ex(), s).await?;
            policy::require(
                actor,
                &Action::ManageSchool {
                    organisations: &organisations,
                },
            )?;
        }
        _ => access.require_screen(actor)?,
    }
    let Some(next) = next else {
        errors.add(
            "status",
            format!(
                "Statut inconnu : « {} ». Les statuts possibles sont {}.",
                asked.chars().take(60).collect::<String>(),
                known_statuses()
            ),
        );
        return Err(CoreError::Invalid(errors));
    };
    if !current.may_become(next) {
        let possible = current
            .next()
            .iter()
            .map(|s| format!("« {} »", s.label()))
            .collect::<Vec<_>>()
            .join(", ");
        errors.add(
            "status",
            format!(
                "Un projet « {} » ne peut pas passer à « {} ». Depuis « {} », il peut passer à : {possible}.",
                current.label(),
                next.label(),
                current.label()
            ),
        );
    }
    let reason = c.reason.trim().to_owned();
    if next.needs_reason() && reason.is_empty() {
        errors.add(
            "reason",
            format!(
                "Dites pourquoi le projet est « {} » : la banque garde les raisons, elles instruisent autant que les réussites.",
                next.label()
            ),
        );
    } else if reason.chars().count() > 4000 {
        errors.add("reason", "La raison est trop longue (4 000 caractères au plus).");
    }
    let mut standing = db::Standing {
        status: next.key().to_owned(),
        status_reason: reason.clone(),
        school_id: row.school_id,
        promotion_id: row.promotion_id,
        started_on: row.started_on,
        jury_on: row.jury_on,
        jury: row.jury.clone(),
        year: row.year,
    };
    // The promotion, when given, must be one of the school's.
    let promotion = match c.promotion.trim() {
        "" => None,
        p => match Uuid::parse_str(p) {
            Ok(p) => match db::promotion(tx.ex(), p).await? {
                Some(pr) if pr.school_id == row.school_id => Some(pr),
                _ => {
                    errors.add("promotion", "Choisissez une promotion de l'école du projet.");
                    None
                }
            },
            Err(_) => {
                errors.add("promotion", "Choisissez une promotion de l'école du projet.");
                None
            }
        },
    };
    if let Some(pr) = &promotion {
        standing.promotion_id = Some(pr.id);
        standing.year = i64::from(pr.starts_on.year());
    }
    match next {
        Status::Proposed => {
            // A new round: to a later promotion, or to another school.
            standing.school_id = target_school.unwrap_or(row.school_id);
            standing.promotion_id = None;
            standing.started_on = None;
            standing.jury_on = None;
            standing.jury = String::new();
            standing.year = i64::from(paris_today().year());
        }
        Status::InProgress => {
            standing.started_on = Some(row.started_on.unwrap_or_else(paris_today));
        }
        Status::Presented => {
            let jury = c.jury.trim().to_owned();
            if jury.is_empty() {
                errors.add("jury", "Saisissez le jury devant lequel le projet a été restitué.");
            } else if jury.chars().count() > 500 {
                errors.add("jury", "Le jury est trop long (500 caractères au plus).");
            }
            let on = date_field(&mut errors, "jury_on", &c.jury_on, true);
            if c.jury_on.trim().is_empty() {
                // `date_field` says « Saisissez une date. »: say which.
                errors.0.retain(|(f, _)| *f != "jury_on");
                errors.add("jury_on", "Saisissez la date du jury.");
            }
            if let Some(on) = on
                && on > paris_today()
            {
                errors.add("jury_on", "La date du jury ne peut pas être dans le futur.");
            } else if let (Some(on), Some(start)) = (on, row.started_on)
                && on < start
            {
                errors.add(
                    "jury_on",
                    format!(
                        "La date du jury ({}) ne peut pas précéder le début du projet ({}).",
                        date_fr(on),
                        date_fr(start)
                    ),
                );
            }
            standing.jury = jury;
            standing.jury_on = on;
        }
        _ => {}
    }
    errors.into_result()?;
    db::set_standing(tx.ex(), id, &standing).await?;
    let event_id = db::insert_event(
        tx.ex(),
        &db::NewEvent {
            project_id: id,
            status: next.key(),
            reason: &reason,
            school_id: Some(standing.school_id),
            promotion_id: standing.promotion_id,
            by_user: actor.user_id(),
            at: maillage_db::now(),
        },
    )
    .await?;
    if next == Status::Proposed {
        let school = maillage_db::schools::by_id(tx.ex(), standing.school_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        super::proposal::tell_school(
            ctx,
            tx.ex(),
            event_id,
            id,
            school.id,
            &school.name,
            &row.title,
            &row.sponsor_organisation_name,
        )
        .await?;
    }
    maillage_db::audit::record(tx.ex(), actor.user_id(), "project.status", &id.to_string(), next.key()).await?;
    tx.commit().await?;
    Ok(next)
}
