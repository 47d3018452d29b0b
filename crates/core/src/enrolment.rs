//! Sessions of a module and enrolment: a person enrols in a session of a
//! module they can see; beyond its capacity they join the waitlist, served
//! in arrival order; when someone enrolled cancels, the first waiting is
//! enrolled and told by email. Never overbooked, even with simultaneous
//! requests: see `maillage_db::training_sessions::lock`.
//!
//! A session may need an approval first (by the school or the person's line
//! manager: [`approval`]); the school enrols and cancels people itself and
//! invites guests ([`by_school`]); what a session form accepts is checked in
//! [`form`].

pub mod approval;
pub mod by_school;
pub mod form;

use maillage_db::training_sessions::{self as db, SessionRow};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors, catalogue,
    mail::{self, Mail},
    policy::{self, Action},
};

use crate::dates::date_fr;

const ENROLLED: &str = "inscrit";
const WAITING: &str = "attente";
const CANCELLED: &str = "annule";
const PENDING: &str = "a_valider";
const REFUSED: &str = "refuse";

/// Who approves an enrolment before it takes a seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Approval {
    #[default]
    None,
    /// The organising school.
    School,
    /// The person's line manager (the school when none is known).
    Manager,
}

impl Approval {
    pub const ALL: [Approval; 3] = [Approval::None, Approval::School, Approval::Manager];
    pub fn key(self) -> &'static str {
        match self {
            Approval::None => "aucune",
            Approval::School => "ecole",
            Approval::Manager => "responsable",
        }
    }
    pub fn parse(s: &str) -> Option<Approval> {
        Approval::ALL.into_iter().find(|a| a.key() == s.trim())
    }
    pub fn label(self) -> &'static str {
        match self {
            Approval::None => "aucune",
            Approval::School => "par l'école",
            Approval::Manager => "par le ou la responsable hiérarchique",
        }
    }
}

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
    /// Its title within its cycle (may be empty).
    pub title: String,
    pub cycle_id: Option<Uuid>,
    pub cycle_title: Option<String>,
    /// A volunteers' extra within its cycle.
    pub optional: bool,
    pub approval: Approval,
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
            title: r.title,
            cycle_id: r.cycle_id,
            cycle_title: r.cycle_title,
            optional: r.optional,
            approval: Approval::parse(&r.approval).unwrap_or_default(),
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
    /// Asked, waiting for approval (holds no seat).
    Pending,
    /// Approval refused.
    Refused,
}

impl Standing {
    fn of(status: &str, rank: i64) -> Standing {
        match status {
            ENROLLED => Standing::Enrolled,
            WAITING => Standing::Waiting(rank),
            PENDING => Standing::Pending,
            REFUSED => Standing::Refused,
            _ => Standing::Cancelled,
        }
    }

    /// Asked and not cancelled nor refused: asking again is « twice ».
    pub fn active(self) -> bool {
        matches!(self, Standing::Enrolled | Standing::Waiting(_) | Standing::Pending)
    }
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

pub use form::Input;

/// Schedules a session of a module, organised by the module's school or by
/// a school that took it into its catalogue.
pub async fn create(ctx: &Ctx, actor: &Actor, module_id: Uuid, input: &Input) -> CoreResult<Uuid> {
    let module = catalogue::get(ctx, actor, module_id).await?;
    let school_id = match Uuid::parse_str(input.school.trim()) {
        Ok(s) if s == module.school.id || module.adopted_by.iter().any(|a| a.id == s) => s,
        _ => module.school.id,
    };
    catalogue::require_manage(ctx, actor, school_id).await?;
    let v = form::validate(ctx, actor, school_id, input, None).await?;
    let mut tx = ctx.db.begin().await?;
    let cycle_id = form::cycle_id(tx.ex(), school_id, &v.cycle).await?;
    let id = db::insert(tx.ex(), &v.new_session(module_id, school_id, cycle_id, actor.user_id())).await?;
    maillage_db::attendance::insert_default_slots(tx.ex(), id, v.starts_on, v.ends_on).await?;
    db::set_organisers(tx.ex(), id, &v.organisers).await?;
    db::set_trainers(tx.ex(), id, &v.trainers).await?;
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

/// Changes a session (its school only). The capacity cannot go below the
/// number enrolled; raising it gives the new seats to the waitlist, in
/// order, each told by email.
pub async fn update(ctx: &Ctx, actor: &Actor, id: Uuid, input: &Input) -> CoreResult<()> {
    let session = get(ctx, actor, id).await?;
    catalogue::require_manage(ctx, actor, session.school_id).await?;
    if session.cancelled {
        return Err(CoreError::Conflict(
            "Cette session est annulée : elle ne peut plus être modifiée.".into(),
        ));
    }
    let v = form::validate(ctx, actor, session.school_id, input, Some(&session)).await?;
    let mut tx = ctx.db.begin().await?;
    db::lock(tx.ex(), id).await?.ok_or(CoreError::NotFound)?;
    let enrolled = db::count_enrolled(tx.ex(), id).await?;
    if v.capacity < enrolled {
        return Err(FieldErrors::single(
            "capacity",
            format!(
                "{enrolled} personnes sont déjà inscrites : le nombre de places ne peut pas être inférieur à {enrolled}."
            ),
        ));
    }
    let cycle_id = form::cycle_id(tx.ex(), session.school_id, &v.cycle).await?;
    db::update(
        tx.ex(),
        id,
        &v.new_session(session.module_id, session.school_id, cycle_id, actor.user_id()),
    )
    .await?;
    db::set_organisers(tx.ex(), id, &v.organisers).await?;
    db::set_trainers(tx.ex(), id, &v.trainers).await?;
    let updated = Session {
        capacity: v.capacity,
        starts_on: v.starts_on,
        ..session.clone()
    };
    while promote(ctx, tx.ex(), &updated).await? {}
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "session.update",
        &id.to_string(),
        &session.module_title,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Cancels a whole session (its school only); everyone enrolled, waiting or
/// awaiting approval is told by email.
pub async fn cancel_session(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<()> {
    let session = get(ctx, actor, id).await?;
    catalogue::require_manage(ctx, actor, session.school_id).await?;
    if session.cancelled {
        return Err(CoreError::Conflict("Cette session est déjà annulée.".into()));
    }
    let mut tx = ctx.db.begin().await?;
    db::lock(tx.ex(), id).await?.ok_or(CoreError::NotFound)?;
    db::set_cancelled(tx.ex(), id).await?;
    let site = ctx.settings.public_url();
    for e in db::enrolments(tx.ex(), id).await? {
        if !Standing::of(&e.status, 0).active() {
            continue;
        }
        mail::enqueue(
            tx.ex(),
            &Mail {
                to: e.email.clone(),
                subject: format!("Session annulée : {}", session.module_title),
                body: format!(
                    "Bonjour {name},\n\nLa session « {title} » du {start} organisée par {school} est annulée. \
                     Votre inscription ne vous engage plus.\n\nLes autres sessions du module :\n\n{site}/formations/{module}\n",
                    name = e.display_name,
                    title = session.module_title,
                    start = crate::dates::date_fr(session.starts_on),
                    school = session.school_name,
                    module = session.module_id,
                ),
            },
            Some(&format!("session-annulee:{}", e.id)),
        )
        .await
        .map_err(CoreError::Internal)?;
    }
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "session.cancel",
        &id.to_string(),
        &session.module_title,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Where the viewer stands in a session, if they enrolled.
pub async fn standing(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<Option<Standing>> {
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let mut conn = ctx.db.conn().await?;
    let Some(e) = db::enrolment_of(conn.ex(), session_id, me.id).await? else {
        return Ok(None);
    };
    let rank = if e.status == WAITING {
        db::waiting_rank(conn.ex(), session_id, e.seq).await?
    } else {
        0
    };
    Ok(Some(Standing::of(&e.status, rank)))
}

/// The person enrols: a seat if one is left, else the end of the waitlist;
/// with an approval, a request waiting for it (no seat held yet).
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
    let standing = if session.approval == Approval::None {
        take_seat(tx.ex(), &session, me.id, Some(me.id)).await?
    } else {
        approval::request(ctx, tx.ex(), &session, me).await?
    };
    tx.commit().await?;
    Ok(standing)
}

const ALREADY: &str = "Vous êtes déjà inscrit·e à cette session (ou sur sa liste d'attente).";

/// Under the session's lock (taken here): a seat for `user_id` if one is
/// left, else the end of the waitlist. Refused if they are already there.
pub(crate) async fn take_seat(
    mut ex: maillage_db::Ex<'_>,
    session: &Session,
    user_id: Uuid,
    by: Option<Uuid>,
) -> CoreResult<Standing> {
    let capacity = db::lock(ex.reborrow(), session.id).await?.ok_or(CoreError::NotFound)?;
    let existing = db::enrolment_of(ex.reborrow(), session.id, user_id).await?;
    if existing.as_ref().is_some_and(|e| Standing::of(&e.status, 0).active()) {
        return Err(CoreError::Conflict(ALREADY.into()));
    }
    let status = if db::count_enrolled(ex.reborrow(), session.id).await? < capacity {
        ENROLLED
    } else {
        WAITING
    };
    match existing {
        Some(e) => {
            db::reactivate(ex.reborrow(), e.id, session.id, status).await?;
        }
        None => match db::insert_enrolment(ex.reborrow(), session.id, user_id, status, by).await {
            Ok(_) => {}
            Err(e) if e.is_unique_on("enrolments") || e.is_unique_on("user_id") => {
                return Err(CoreError::Conflict(ALREADY.into()));
            }
            Err(e) => return Err(e.into()),
        },
    }
    rank_of(ex, session.id, user_id).await
}

/// Where someone stands, read under the lock.
async fn rank_of(mut ex: maillage_db::Ex<'_>, session_id: Uuid, user_id: Uuid) -> CoreResult<Standing> {
    let row = db::enrolment_of(ex.reborrow(), session_id, user_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let rank = if row.status == WAITING {
        db::waiting_rank(ex, session_id, row.seq).await?
    } else {
        0
    };
    Ok(Standing::of(&row.status, rank))
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
        .filter(|e| Standing::of(&e.status, 0).active())
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
/// Returns whether someone was promoted.
pub(crate) async fn promote(ctx: &Ctx, mut ex: maillage_db::Ex<'_>, session: &Session) -> CoreResult<bool> {
    let capacity = session.capacity;
    if db::count_enrolled(ex.reborrow(), session.id).await? >= capacity {
        return Ok(false);
    }
    let Some(next) = db::first_waiting(ex.reborrow(), session.id).await? else {
        return Ok(false);
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
        Some(&format!("promotion:{}:{}", next.id, next.seq)),
    )
    .await
    .map_err(CoreError::Internal)?;
    Ok(true)
}

#[derive(Debug, Clone)]
pub struct Participant {
    pub user_id: Uuid,
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
            if e.status == WAITING {
                rank += 1;
            }
            let standing = Standing::of(&e.status, rank);
            Participant {
                user_id: e.user_id,
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

pub use maillage_db::{
    attendance::SlotRow as Slot,
    training_sessions::{MineRow as MyEnrolment, Named},
};

/// What a session's page and the API show besides the session itself.
#[derive(Debug, Clone)]
pub struct Details {
    /// Organisations co-organising it besides its school.
    pub organisers: Vec<Named>,
    pub trainers: Vec<Named>,
    /// Its half-days, when set.
    pub slots: Vec<Slot>,
}

/// The organisers, trainers and half-days of a session the viewer may see.
pub async fn details(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<Details> {
    get(ctx, actor, session_id).await?;
    let mut conn = ctx.db.conn().await?;
    Ok(Details {
        organisers: db::organisers_of(conn.ex(), session_id).await?,
        trainers: db::trainers_of(conn.ex(), session_id).await?,
        slots: maillage_db::attendance::slots(conn.ex(), session_id).await?,
    })
}

/// Coming sessions the viewer may see (not cancelled), from `from` (today
/// by default), optionally of one module or one school; 200 at most.
pub async fn upcoming(
    ctx: &Ctx,
    actor: &Actor,
    module_id: Option<Uuid>,
    school_id: Option<Uuid>,
    from: Option<Date>,
) -> CoreResult<Vec<Session>> {
    policy::require(actor, &Action::ViewCatalogue)?;
    let viewer = policy::catalogue_viewer(actor).ok_or(CoreError::Unauthenticated)?;
    let mut conn = ctx.db.conn().await?;
    let rows = db::upcoming(conn.ex(), from.unwrap_or_else(today), module_id, school_id, 1000).await?;
    // Only sessions of modules the viewer may see (the catalogue's rule).
    let mut visible: Vec<(Uuid, bool)> = Vec::new();
    let mut out = Vec::new();
    for r in rows {
        let seen = match visible.iter().find(|(m, _)| *m == r.module_id) {
            Some((_, v)) => *v,
            None => {
                let v = maillage_db::modules::by_id(conn.ex(), &viewer, r.module_id)
                    .await?
                    .is_some();
                visible.push((r.module_id, v));
                v
            }
        };
        if seen {
            out.push(Session::from(r));
            if out.len() == 200 {
                break;
            }
        }
    }
    Ok(out)
}

/// Every session the viewer asked for, with where they stand, latest first.
pub async fn mine(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<MyEnrolment>> {
    policy::require(actor, &Action::UseAccount)?;
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let mut conn = ctx.db.conn().await?;
    Ok(db::of_user(conn.ex(), me.id).await?)
}
