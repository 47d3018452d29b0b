//! Sessions of a module and enrolment: a person enrols in a session of a
//! module they can see; beyond its capacity they join the waitlist, served
//! in arrival order; when someone enrolled cancels, the first waiting is
//! enrolled and told by email. Never overbooked, even with simultaneous
//! requests: see `maillage_db::training_sessions::lock`.

use maillage_db::training_sessions::{self as db, SessionRow};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors, catalogue,
    mail::{self, Mail},
    policy::{self, Action},
};

const ENROLLED: &str = "inscrit";
const WAITING: &str = "attente";
const CANCELLED: &str = "annule";

#[derive(Debug, Clone)]
pub struct Session {
    pub id: Uuid,
    pub module_id: Uuid,
    pub module_title: String,
    pub school_id: Uuid,
    pub school_name: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub place: String,
    pub online_url: Option<String>,
    pub capacity: i64,
    pub enrolled: i64,
    pub waiting: i64,
    pub enrol_until: Date,
    pub cancel_until: Date,
    pub cancelled: bool,
}

impl Session {
    pub fn seats_left(&self) -> i64 {
        (self.capacity - self.enrolled).max(0)
    }

    /// Enrolment is open today.
    pub fn open(&self, today: Date) -> bool {
        !self.cancelled && today <= self.enrol_until
    }
}

impl From<SessionRow> for Session {
    fn from(r: SessionRow) -> Session {
        // Without explicit limits: until the day before the session starts.
        let eve = r.starts_on.previous_day().unwrap_or(r.starts_on);
        Session {
            enrol_until: r.enrol_until.unwrap_or(eve),
            cancel_until: r.cancel_until.unwrap_or(eve),
            id: r.id,
            module_id: r.module_id,
            module_title: r.module_title,
            school_id: r.school_id,
            school_name: r.school_name,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            place: r.place,
            online_url: r.online_url,
            capacity: r.capacity,
            enrolled: r.enrolled,
            waiting: r.waiting,
            cancelled: r.cancelled,
        }
    }
}

/// Where someone stands in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Enrolled,
    /// On the waitlist, at this rank (1 = next).
    Waiting(i64),
    Cancelled,
}

pub fn today() -> Date {
    maillage_db::now().date()
}

/// A session, if the viewer may see its module.
pub async fn get(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Session> {
    policy::require(actor, &Action::ViewCatalogue)?;
    let mut conn = ctx.db.conn().await?;
    let row = db::by_id(conn.ex(), id).await?.ok_or(CoreError::NotFound)?;
    drop(conn);
    catalogue::get(ctx, actor, row.module_id).await?;
    Ok(row.into())
}

/// The coming sessions of a module the viewer may see.
pub async fn of_module(ctx: &Ctx, actor: &Actor, module_id: Uuid) -> CoreResult<Vec<Session>> {
    catalogue::get(ctx, actor, module_id).await?;
    let mut conn = ctx.db.conn().await?;
    Ok(db::of_module(conn.ex(), module_id, today())
        .await?
        .into_iter()
        .map(Session::from)
        .collect())
}

/// A new session, as typed.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub school: String,
    pub starts_on: String,
    pub ends_on: String,
    pub place: String,
    pub online_url: String,
    pub capacity: String,
    pub enrol_until: String,
    pub cancel_until: String,
}

fn date(errors: &mut FieldErrors, field: &'static str, value: &str, required: bool) -> Option<Date> {
    let v = value.trim();
    if v.is_empty() {
        if required {
            errors.add(field, "Saisissez une date.");
        }
        return None;
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(v, &format) {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(field, "Saisissez une date valide (jj/mm/aaaa).");
            None
        }
    }
}

/// Schedules a session of a module, organised by the module's school or by
/// a school that took it into its catalogue.
pub async fn create(ctx: &Ctx, actor: &Actor, module_id: Uuid, input: &Input) -> CoreResult<Uuid> {
    let module = catalogue::get(ctx, actor, module_id).await?;
    let school_id = match Uuid::parse_str(input.school.trim()) {
        Ok(s) if s == module.school.id || module.adopted_by.iter().any(|a| a.id == s) => s,
        _ => module.school.id,
    };
    catalogue::require_manage(ctx, actor, school_id).await?;
    let mut errors = FieldErrors::new();
    let starts_on = date(&mut errors, "starts_on", &input.starts_on, true);
    let ends_on = date(&mut errors, "ends_on", &input.ends_on, true);
    let enrol_until = date(&mut errors, "enrol_until", &input.enrol_until, false);
    let cancel_until = date(&mut errors, "cancel_until", &input.cancel_until, false);
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.add("ends_on", "La date de fin précède la date de début.");
    }
    if let Some(s) = starts_on {
        if s < today() {
            errors.add("starts_on", "La session ne peut pas commencer dans le passé.");
        }
        for (field, d, what) in [
            ("enrol_until", enrol_until, "La clôture des inscriptions"),
            ("cancel_until", cancel_until, "La limite d'annulation"),
        ] {
            if d.is_some_and(|d| d > s) {
                errors.add(field, format!("{what} doit précéder le début de la session."));
            }
        }
    }
    let capacity = match input.capacity.trim().parse::<i64>() {
        Ok(n) if (1..=10_000).contains(&n) => n,
        Ok(_) => {
            errors.add("capacity", "Le nombre de places doit être compris entre 1 et 10 000.");
            0
        }
        Err(_) => {
            errors.add("capacity", "Saisissez le nombre de places en chiffres, par exemple 12.");
            0
        }
    };
    let place = input.place.trim();
    let online_url = input.online_url.trim();
    if place.is_empty() && online_url.is_empty() {
        errors.add(
            "place",
            "Indiquez le lieu (adresse, salle) ou le lien de la visioconférence.",
        );
    }
    if place.chars().count() > 300 {
        errors.add("place", "Le lieu est trop long (300 caractères au plus).");
    }
    if !online_url.is_empty()
        && (!(online_url.starts_with("https://") || online_url.starts_with("http://"))
            || online_url.len() > 500
            || online_url.chars().any(char::is_whitespace))
    {
        errors.add(
            "online_url",
            "Saisissez l'adresse complète du lien, commençant par https://.",
        );
    }
    errors.into_result()?;
    let (starts_on, ends_on) = (starts_on.expect("checked"), ends_on.expect("checked"));
    let mut tx = ctx.db.begin().await?;
    let id = db::insert(
        tx.ex(),
        &db::NewSession {
            module_id,
            school_id,
            starts_on,
            ends_on,
            place,
            online_url: Some(online_url).filter(|u| !u.is_empty()),
            capacity,
            enrol_until,
            cancel_until,
            created_by: actor.user_id(),
        },
    )
    .await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "session.create",
        &id.to_string(),
        &module.title,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Where the viewer stands in a session, if they enrolled.
pub async fn standing(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<Option<Standing>> {
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let mut conn = ctx.db.conn().await?;
    let Some(e) = db::enrolment_of(conn.ex(), session_id, me.id).await? else {
        return Ok(None);
    };
    Ok(Some(match e.status.as_str() {
        ENROLLED => Standing::Enrolled,
        WAITING => Standing::Waiting(db::waiting_rank(conn.ex(), session_id, e.seq).await?),
        _ => Standing::Cancelled,
    }))
}

/// The person enrols: a seat if one is left, else the end of the waitlist.
pub async fn enrol(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<Standing> {
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let session = get(ctx, actor, session_id).await?;
    if session.cancelled {
        return Err(CoreError::Conflict("Cette session est annulée.".into()));
    }
    if today() > session.enrol_until {
        return Err(CoreError::Conflict(
            "Les inscriptions à cette session sont closes. Contactez l'école si vous souhaitez y participer.".into(),
        ));
    }
    let mut tx = ctx.db.begin().await?;
    let capacity = db::lock(tx.ex(), session_id).await?.ok_or(CoreError::NotFound)?;
    let existing = db::enrolment_of(tx.ex(), session_id, me.id).await?;
    if existing.as_ref().is_some_and(|e| e.status != CANCELLED) {
        return Err(CoreError::Conflict(
            "Vous êtes déjà inscrit·e à cette session (ou sur sa liste d'attente).".into(),
        ));
    }
    let status = if db::count_enrolled(tx.ex(), session_id).await? < capacity {
        ENROLLED
    } else {
        WAITING
    };
    match existing {
        Some(e) => {
            db::reactivate(tx.ex(), e.id, session_id, status).await?;
        }
        None => match db::insert_enrolment(tx.ex(), session_id, me.id, status, Some(me.id)).await {
            Ok(_) => {}
            Err(e) if e.is_unique_on("enrolments") || e.is_unique_on("user_id") => {
                return Err(CoreError::Conflict("Vous êtes déjà inscrit·e à cette session.".into()));
            }
            Err(e) => return Err(e.into()),
        },
    }
    let standing = if status == ENROLLED {
        Standing::Enrolled
    } else {
        let row = db::enrolment_of(tx.ex(), session_id, me.id)
            .await?
            .ok_or(CoreError::NotFound)?;
        Standing::Waiting(db::waiting_rank(tx.ex(), session_id, row.seq).await?)
    };
    tx.commit().await?;
    Ok(standing)
}

/// The person cancels. A seat freed goes to the first person waiting, who is
/// told by email, in the same transaction.
pub async fn cancel(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<()> {
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let session = get(ctx, actor, session_id).await?;
    let mut tx = ctx.db.begin().await?;
    db::lock(tx.ex(), session_id).await?.ok_or(CoreError::NotFound)?;
    let e = db::enrolment_of(tx.ex(), session_id, me.id)
        .await?
        .filter(|e| e.status != CANCELLED)
        .ok_or_else(|| CoreError::Conflict("Vous n'êtes pas inscrit·e à cette session.".into()))?;
    if e.status == ENROLLED && today() > session.cancel_until {
        return Err(CoreError::Conflict(
            "Le délai d'annulation est passé : prévenez l'école directement.".into(),
        ));
    }
    db::set_status(tx.ex(), e.id, CANCELLED).await?;
    if e.status == ENROLLED {
        promote(ctx, tx.ex(), &session).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Gives a freed seat to the first person waiting. Call under the lock.
async fn promote(ctx: &Ctx, mut ex: maillage_db::Ex<'_>, session: &Session) -> CoreResult<()> {
    let capacity = session.capacity;
    if db::count_enrolled(ex.reborrow(), session.id).await? >= capacity {
        return Ok(());
    }
    let Some(next) = db::first_waiting(ex.reborrow(), session.id).await? else {
        return Ok(());
    };
    db::set_status(ex.reborrow(), next.id, ENROLLED).await?;
    let site = ctx.settings.public_url();
    mail::enqueue(
        ex,
        &Mail {
            to: next.email.clone(),
            subject: format!("Une place s'est libérée : {}", session.module_title),
            body: format!(
                "Bonjour {name},\n\nUne place s'est libérée pour la session « {title} » du {start} \
                 organisée par {school} : vous étiez sur la liste d'attente, vous êtes maintenant inscrit·e.\n\n\
                 Si vous ne pouvez plus y participer, annulez votre inscription pour libérer la place :\n\n\
                 {site}/sessions/{id}\n",
                name = next.display_name,
                title = session.module_title,
                start = session.starts_on,
                school = session.school_name,
                id = session.id,
            ),
        },
        Some(&format!("promotion:{}", next.id)),
    )
    .await
    .map_err(CoreError::Internal)?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Participant {
    pub name: String,
    pub email: String,
    pub standing: Standing,
    pub since: OffsetDateTime,
}

/// Who is enrolled and waiting, for the organising school.
pub async fn roster(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<Vec<Participant>> {
    let session = get(ctx, actor, session_id).await?;
    catalogue::require_manage(ctx, actor, session.school_id).await?;
    let mut conn = ctx.db.conn().await?;
    let mut rank = 0;
    Ok(db::enrolments(conn.ex(), session_id)
        .await?
        .into_iter()
        .map(|e| {
            let standing = match e.status.as_str() {
                ENROLLED => Standing::Enrolled,
                WAITING => {
                    rank += 1;
                    Standing::Waiting(rank)
                }
                _ => Standing::Cancelled,
            };
            Participant {
                name: e.display_name,
                email: e.email,
                standing,
                since: e.created_at,
            }
        })
        .collect())
}

/// Whether the actor organises this session (sees the roster).
pub async fn can_manage(ctx: &Ctx, actor: &Actor, session: &Session) -> CoreResult<bool> {
    catalogue::can_manage(ctx, actor, session.school_id).await
}
