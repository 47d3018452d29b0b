//! Half-day slots of a session, attendance sheets and module completion.
//!
//! A session is split into half-days (`session_slots`, created with the
//! session: see `maillage_db::attendance::insert_default_slots`); the school
//! adjusts them (times, a place per half-day). For each half-day the school or
//! one of the session's trainers records who was present, absent or excused.
//! After each sheet is saved, who completed the module is recomputed
//! ([`completes`] is the one rule).

use std::collections::HashMap;

use maillage_db::{
    attendance::{self as db, AFTERNOON, MORNING, SlotRow},
    training_sessions,
};
use time::Date;
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors, catalogue,
    enrolment::{self, Session},
    policy::{self, Action},
};

const ENROLLED: &str = "inscrit";

/// A person's status for one half-day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Present,
    Absent,
    Excused,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Present, Status::Absent, Status::Excused];

    pub fn key(self) -> &'static str {
        match self {
            Status::Present => "present",
            Status::Absent => "absent",
            Status::Excused => "excuse",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Present => "Présent·e",
            Status::Absent => "Absent·e",
            Status::Excused => "Excusé·e",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.key() == s.trim())
    }
}

/// Half of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Half {
    Morning,
    Afternoon,
}

impl Half {
    pub fn key(self) -> &'static str {
        match self {
            Half::Morning => MORNING,
            Half::Afternoon => AFTERNOON,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Half::Morning => "matin",
            Half::Afternoon => "après-midi",
        }
    }

    pub fn parse(s: &str) -> Option<Half> {
        match s.trim() {
            MORNING => Some(Half::Morning),
            AFTERNOON => Some(Half::Afternoon),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Slot {
    pub id: Uuid,
    pub day: Date,
    pub half: Half,
    pub starts_at: String,
    pub ends_at: String,
    /// Where it takes place: its own place, else the session's.
    pub place: String,
    /// Its own place, if any (else '').
    pub own_place: String,
    pub room: String,
    /// How many statuses were recorded for it.
    pub recorded: i64,
}

impl Slot {
    fn new(r: SlotRow, session: &Session) -> Slot {
        Slot {
            id: r.id,
            day: r.day,
            half: Half::parse(&r.half).unwrap_or(Half::Morning),
            place: if r.place.is_empty() {
                session.place.clone()
            } else {
                r.place.clone()
            },
            own_place: r.place,
            room: r.room,
            recorded: r.recorded,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
        }
    }

    /// Its length in hours (for attestations).
    pub fn hours(&self) -> f64 {
        crate::dates::hours_between(&self.starts_at, &self.ends_at)
    }
}

/// The rule of completion: someone completes a module when the half-days they
/// attended reach `percent` of all the session's half-days.
pub fn completes(attended: i64, total: i64, percent: i64) -> bool {
    total > 0 && attended > 0 && attended * 100 >= percent * total
}

/// The session, if the actor may record its attendance (the school's
/// managers and the session's trainers). Another organisation's private
/// module: 404 (from `enrolment::get`).
pub async fn require_record(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<Session> {
    let session = enrolment::get(ctx, actor, session_id).await?;
    let manages_school = catalogue::can_manage(ctx, actor, session.school_id).await?;
    let trains_session = match actor.user_id() {
        Some(me) if !manages_school => {
            let mut conn = ctx.db.conn().await?;
            db::is_trainer(conn.ex(), session_id, me).await?
        }
        _ => false,
    };
    policy::require(
        actor,
        &Action::RecordAttendance {
            manages_school,
            trains_session,
        },
    )?;
    Ok(session)
}

/// The session, if the actor manages its school (half-days, attestations).
pub async fn require_manage(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<Session> {
    let session = enrolment::get(ctx, actor, session_id).await?;
    catalogue::require_manage(ctx, actor, session.school_id).await?;
    Ok(session)
}

/// Whether the actor may record the attendance of this session (for links).
pub async fn can_record(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<bool> {
    match require_record(ctx, actor, session_id).await {
        Ok(_) => Ok(true),
        Err(CoreError::Forbidden | CoreError::NotFound | CoreError::Unauthenticated) => Ok(false),
        Err(e) => Err(e),
    }
}

async fn load_slots(ctx: &Ctx, session: &Session) -> CoreResult<Vec<Slot>> {
    let mut conn = ctx.db.conn().await?;
    Ok(db::slots(conn.ex(), session.id)
        .await?
        .into_iter()
        .map(|r| Slot::new(r, session))
        .collect())
}

/// The half-days of a session, for those who record its attendance.
pub async fn slots(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<(Session, Vec<Slot>)> {
    let session = require_record(ctx, actor, session_id).await?;
    let slots = load_slots(ctx, &session).await?;
    Ok((session, slots))
}

/// The half-days of a session, for the organising school to adjust.
pub async fn half_days(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<(Session, Vec<Slot>)> {
    let session = require_manage(ctx, actor, session_id).await?;
    let slots = load_slots(ctx, &session).await?;
    Ok((session, slots))
}

/// The printable sign-in sheet of a half-day (PDF): names and an empty
/// signature column, and blank rows for guests.
pub async fn sign_in_sheet(ctx: &Ctx, actor: &Actor, session_id: Uuid, slot_id: Uuid) -> CoreResult<Vec<u8>> {
    let sheet = sheet(ctx, actor, session_id, slot_id).await?;
    let day = crate::dates::date_fr(sheet.slot.day);
    let place = [sheet.slot.place.as_str(), sheet.slot.room.as_str()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let names: Vec<String> = sheet.lines.iter().map(|l| l.name.clone()).collect();
    let guests = {
        let mut conn = ctx.db.conn().await?;
        db::guests_of_day(conn.ex(), session_id, sheet.slot.day).await?
    };
    let guest_names: Vec<String> = guests.iter().map(|g| g.0.clone()).collect();
    let guest_qualities: Vec<String> = guests.iter().map(|g| g.1.clone()).collect();
    crate::pdf::render(
        crate::pdf::Kind::SignInSheet,
        crate::pdf::Inputs::default()
            .text(
                "doc_title",
                format!(
                    "Feuille d'émargement — {} — {day} {}",
                    sheet.session.module_title,
                    sheet.slot.half.label()
                ),
            )
            .text("school", &sheet.session.school_name)
            .text("module", &sheet.session.module_title)
            .text("day", &day)
            .text(
                "half",
                format!(
                    "{}, de {} à {}",
                    sheet.slot.half.label(),
                    sheet.slot.starts_at,
                    sheet.slot.ends_at
                ),
            )
            .text("place", if place.is_empty() { "en ligne".to_owned() } else { place })
            .text(
                "trainers",
                if sheet.trainers.is_empty() {
                    "—".to_owned()
                } else {
                    sheet.trainers.join(", ")
                },
            )
            .list("people", &names)
            .list("guest_names", &guest_names)
            .list("guest_qualities", &guest_qualities)
            // Blank lines for guests who come unannounced.
            .int("guest_rows", 3),
    )
}

/// A half-day, as typed.
#[derive(Debug, Clone, Default)]
pub struct SlotInput {
    pub day: String,
    pub half: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub room: String,
}

/// « HH:MM » in 00:00–23:59, as minutes.
fn clock(errors: &mut FieldErrors, field: &'static str, value: &str) -> Option<i64> {
    let v = value.trim();
    let parsed = v.split_once(':').and_then(|(h, m)| {
        if h.len() != 2 || m.len() != 2 {
            return None;
        }
        let (h, m) = (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?);
        ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
    });
    if parsed.is_none() {
        errors.add(field, "Saisissez une heure au format HH:MM, par exemple 09:00.");
    }
    parsed
}

/// Adds a half-day to a session (the organising school).
pub async fn add_slot(ctx: &Ctx, actor: &Actor, session_id: Uuid, input: &SlotInput) -> CoreResult<Uuid> {
    let session = require_manage(ctx, actor, session_id).await?;
    let mut errors = FieldErrors::new();
    let day = match crate::dates::parse_day(&input.day) {
        Some(d) if d < session.starts_on || d > session.ends_on => {
            errors.add(
                "day",
                format!(
                    "Choisissez un jour de la session, entre le {} et le {}.",
                    crate::dates::date_fr(session.starts_on),
                    crate::dates::date_fr(session.ends_on)
                ),
            );
            None
        }
        Some(d) => Some(d),
        None => {
            errors.add("day", "Saisissez une date valide (jj/mm/aaaa).");
            None
        }
    };
    let half = Half::parse(&input.half);
    if half.is_none() {
        errors.add("half", "Choisissez le matin ou l'après-midi.");
    }
    let starts = clock(&mut errors, "starts_at", &input.starts_at);
    let ends = clock(&mut errors, "ends_at", &input.ends_at);
    if let (Some(s), Some(e)) = (starts, ends)
        && e <= s
    {
        errors.add("ends_at", "L'heure de fin doit suivre l'heure de début.");
    }
    let place = input.place.trim();
    let room = input.room.trim();
    if place.chars().count() > 300 {
        errors.add("place", "Le lieu est trop long (300 caractères au plus).");
    }
    if room.chars().count() > 100 {
        errors.add("room", "La salle est trop longue (100 caractères au plus).");
    }
    errors.into_result()?;
    let (day, half) = (day.expect("checked"), half.expect("checked"));
    let mut tx = ctx.db.begin().await?;
    let id = match db::insert_slot(
        tx.ex(),
        &db::NewSlot {
            session_id,
            day,
            half: half.key(),
            starts_at: input.starts_at.trim(),
            ends_at: input.ends_at.trim(),
            place,
            room,
        },
    )
    .await
    {
        Ok(id) => id,
        Err(e) if e.is_unique_on("session_slots") || e.is_unique_on("half") => {
            return Err(FieldErrors::single(
                "half",
                format!(
                    "Cette session a déjà une demi-journée le {} {} : modifiez l'autre demi-journée ou choisissez-en une autre.",
                    crate::dates::date_fr(day),
                    half.label()
                ),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    // One more half-day changes everyone's share of attendance.
    update_completions(tx.ex(), session_id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "session.slot.add",
        &session_id.to_string(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a half-day that has no attendance recorded.
pub async fn remove_slot(ctx: &Ctx, actor: &Actor, session_id: Uuid, slot_id: Uuid) -> CoreResult<()> {
    require_manage(ctx, actor, session_id).await?;
    let mut tx = ctx.db.begin().await?;
    let slot = db::slot(tx.ex(), session_id, slot_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    if slot.recorded > 0 || db::delete_slot(tx.ex(), session_id, slot_id).await? == 0 {
        return Err(CoreError::Conflict(
            "L'émargement de cette demi-journée a commencé : elle ne peut plus être supprimée.".into(),
        ));
    }
    update_completions(tx.ex(), session_id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "session.slot.remove",
        &session_id.to_string(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One line of a half-day's sheet.
#[derive(Debug, Clone)]
pub struct Line {
    pub user_id: Uuid,
    pub name: String,
    pub status: Option<Status>,
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub session: Session,
    pub slot: Slot,
    /// The people enrolled, by name.
    pub lines: Vec<Line>,
    pub trainers: Vec<String>,
}

/// The sheet of one half-day: everyone enrolled and their status.
pub async fn sheet(ctx: &Ctx, actor: &Actor, session_id: Uuid, slot_id: Uuid) -> CoreResult<Sheet> {
    let session = require_record(ctx, actor, session_id).await?;
    let mut conn = ctx.db.conn().await?;
    let slot = db::slot(conn.ex(), session_id, slot_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let slot = Slot::new(slot, &session);
    let statuses: HashMap<Uuid, Status> = db::of_session(conn.ex(), session_id)
        .await?
        .into_iter()
        .filter(|a| a.slot_id == slot_id)
        .filter_map(|a| Status::parse(&a.status).map(|s| (a.user_id, s)))
        .collect();
    let mut lines: Vec<Line> = training_sessions::enrolments(conn.ex(), session_id)
        .await?
        .into_iter()
        .filter(|e| e.status == ENROLLED)
        .map(|e| Line {
            status: statuses.get(&e.user_id).copied(),
            user_id: e.user_id,
            name: e.display_name,
        })
        .collect();
    lines.sort_by_key(|l| maillage_domain::text::fold(&l.name));
    let trainers = db::trainer_names(conn.ex(), session_id).await?;
    Ok(Sheet {
        session,
        slot,
        lines,
        trainers,
    })
}

/// Saves a half-day's sheet: `entries` are (person id, status) as posted.
/// Everyone must be enrolled; all or nothing, then completion is recomputed
/// in the same transaction.
pub async fn record(
    ctx: &Ctx,
    actor: &Actor,
    session_id: Uuid,
    slot_id: Uuid,
    entries: &[(String, String)],
) -> CoreResult<usize> {
    require_record(ctx, actor, session_id).await?;
    let mut tx = ctx.db.begin().await?;
    // The session's lock: enrolments do not change while the sheet is saved.
    training_sessions::lock(tx.ex(), session_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    db::slot(tx.ex(), session_id, slot_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let enrolled: HashMap<Uuid, String> = training_sessions::enrolments(tx.ex(), session_id)
        .await?
        .into_iter()
        .filter(|e| e.status == ENROLLED)
        .map(|e| (e.user_id, e.display_name))
        .collect();
    let mut errors = FieldErrors::new();
    let mut valid = Vec::new();
    for (who, status) in entries {
        let Some(user) = Uuid::parse_str(who.trim()).ok().filter(|u| enrolled.contains_key(u)) else {
            errors.add(
                "presences",
                "Une des personnes de la feuille n'est pas inscrite à cette session (inscription annulée ou liste d'attente) : rechargez la feuille, rien n'a été enregistré.",
            );
            continue;
        };
        match Status::parse(status) {
            Some(s) => valid.push((user, s)),
            None => errors.add(
                "presences",
                format!("Choisissez présent·e, absent·e ou excusé·e pour {}.", enrolled[&user]),
            ),
        }
    }
    errors.into_result()?;
    for (user, status) in &valid {
        db::upsert(tx.ex(), slot_id, *user, status.key(), actor.user_id()).await?;
    }
    update_completions(tx.ex(), session_id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "session.attendance",
        &session_id.to_string(),
        &format!("{} statut(s)", valid.len()),
    )
    .await?;
    tx.commit().await?;
    Ok(valid.len())
}

/// Recomputes who completed the module through this session (inside the
/// transaction that changed its attendance or half-days).
async fn update_completions(mut ex: maillage_db::Ex<'_>, session_id: Uuid) -> CoreResult<()> {
    let session = training_sessions::by_id(ex.reborrow(), session_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let total = db::count_slots(ex.reborrow(), session_id).await?;
    let percent = db::completion_percent(ex.reborrow(), session_id).await?;
    let done = db::completed(ex.reborrow(), session_id).await?;
    for t in db::tallies(ex.reborrow(), session_id).await? {
        if completes(t.present, total, percent) {
            if !done.contains(&t.user_id) {
                db::insert_completion(ex.reborrow(), t.user_id, session.module_id, session_id, session.ends_on).await?;
            }
        } else if done.contains(&t.user_id) {
            db::delete_completion(ex.reborrow(), t.user_id, session_id).await?;
        }
    }
    Ok(())
}

/// The whole register of a session (every half-day × everyone enrolled).
#[derive(Debug, Clone)]
pub struct Register {
    pub session: Session,
    pub slots: Vec<Slot>,
    /// (person id, name, status per slot in the order of `slots`, completed)
    pub people: Vec<RegisterLine>,
}

#[derive(Debug, Clone)]
pub struct RegisterLine {
    pub user_id: Uuid,
    pub name: String,
    pub statuses: Vec<Option<Status>>,
    pub completed: bool,
}

pub async fn register(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<Register> {
    let session = require_record(ctx, actor, session_id).await?;
    let slots = load_slots(ctx, &session).await?;
    let mut conn = ctx.db.conn().await?;
    let recorded: HashMap<(Uuid, Uuid), Status> = db::of_session(conn.ex(), session_id)
        .await?
        .into_iter()
        .filter_map(|a| Status::parse(&a.status).map(|s| ((a.slot_id, a.user_id), s)))
        .collect();
    let done = db::completed(conn.ex(), session_id).await?;
    let mut people: Vec<RegisterLine> = training_sessions::enrolments(conn.ex(), session_id)
        .await?
        .into_iter()
        .filter(|e| e.status == ENROLLED)
        .map(|e| RegisterLine {
            statuses: slots
                .iter()
                .map(|s| recorded.get(&(s.id, e.user_id)).copied())
                .collect(),
            completed: done.contains(&e.user_id),
            user_id: e.user_id,
            name: e.display_name,
        })
        .collect();
    people.sort_by_key(|l| maillage_domain::text::fold(&l.name));
    Ok(Register { session, slots, people })
}

/// What one person attended of a session: (half-days present, their hours,
/// all half-days). For attestations.
pub(crate) async fn attended(
    mut ex: maillage_db::Ex<'_>,
    session: &Session,
    user_id: Uuid,
) -> CoreResult<(i64, f64, i64)> {
    let slots: Vec<Slot> = db::slots(ex.reborrow(), session.id)
        .await?
        .into_iter()
        .map(|r| Slot::new(r, session))
        .collect();
    let present: Vec<Uuid> = db::of_session(ex, session.id)
        .await?
        .into_iter()
        .filter(|a| a.user_id == user_id && a.status == Status::Present.key())
        .map(|a| a.slot_id)
        .collect();
    let mine: Vec<&Slot> = slots.iter().filter(|s| present.contains(&s.id)).collect();
    Ok((
        mine.len() as i64,
        mine.iter().map(|s| s.hours()).sum(),
        slots.len() as i64,
    ))
}

/// Demo data: marks `present` for every half-day of a session for each of
/// `people` (all enrolled), the others of the session's enrolled absent,
/// then computes completions — inside the caller's transaction. Used by
/// `demo` to give past demo sessions a filled register.
pub(crate) async fn record_demo(
    mut ex: maillage_db::Ex<'_>,
    session_id: Uuid,
    present: &[Uuid],
    recorded_by: Option<Uuid>,
) -> CoreResult<()> {
    let enrolled: Vec<Uuid> = training_sessions::enrolments(ex.reborrow(), session_id)
        .await?
        .into_iter()
        .filter(|e| e.status == ENROLLED)
        .map(|e| e.user_id)
        .collect();
    for slot in db::slots(ex.reborrow(), session_id).await? {
        for user in &enrolled {
            let status = if present.contains(user) {
                Status::Present
            } else {
                Status::Absent
            };
            db::upsert(ex.reborrow(), slot.id, *user, status.key(), recorded_by).await?;
        }
    }
    update_completions(ex, session_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_rule() {
        assert!(completes(4, 4, 100));
        assert!(!completes(3, 4, 100));
        assert!(completes(3, 4, 75));
        assert!(!completes(2, 4, 75));
        assert!(!completes(0, 0, 100), "no half-day, nothing to complete");
        assert!(!completes(0, 4, 1), "attending nothing completes nothing");
    }

    #[test]
    fn statuses_and_halves_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.key()), Some(s));
        }
        assert_eq!(Status::parse("ailleurs"), None);
        assert_eq!(Half::parse("apres-midi"), Some(Half::Afternoon));
        assert_eq!(Half::parse("soir"), None);
    }
}
