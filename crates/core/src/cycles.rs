//! Cycles (`/formations/cycles/{id}`): sessions of a school grouped under a
//! title — e.g. five days, each in a different town, co-organised with the
//! CNFPT, plus an optional sixth for volunteers. A cycle is created from the
//! session form (by typing its title); its school edits its title and
//! description. Anyone who may see one of its sessions sees the cycle with
//! the sessions they may see.

use maillage_db::cycles as db;
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors, catalogue,
    enrolment::{self, Session, Slot},
    policy::{self, Action},
    schools,
};

#[derive(Debug, Clone)]
pub struct Cycle {
    pub id: Uuid,
    pub school_id: Uuid,
    pub school_name: String,
    pub title: String,
    pub description: String,
}

/// A session of the cycle with its half-days (each day's place).
#[derive(Debug, Clone)]
pub struct Step {
    pub session: Session,
    pub slots: Vec<Slot>,
}

#[derive(Debug, Clone)]
pub struct CycleView {
    pub cycle: Cycle,
    /// Its sessions the viewer may see, by date.
    pub steps: Vec<Step>,
    pub can_edit: bool,
}

fn cycle_of(r: db::CycleRow) -> Cycle {
    Cycle {
        id: r.id,
        school_id: r.school_id,
        school_name: r.school_name,
        title: r.title,
        description: r.description,
    }
}

/// A cycle with its sessions; 404 unless the viewer manages its school or
/// may see one of its sessions.
pub async fn get(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<CycleView> {
    policy::require(actor, &Action::ViewCatalogue)?;
    let viewer = policy::catalogue_viewer(actor).ok_or(CoreError::Unauthenticated)?;
    let mut conn = ctx.db.conn().await?;
    let cycle = cycle_of(db::by_id(conn.ex(), id).await?.ok_or(CoreError::NotFound)?);
    let mut steps = Vec::new();
    for r in maillage_db::training_sessions::of_cycle(conn.ex(), id).await? {
        if maillage_db::modules::by_id(conn.ex(), &viewer, r.module_id)
            .await?
            .is_none()
        {
            continue;
        }
        let slots = maillage_db::attendance::slots(conn.ex(), r.id).await?;
        steps.push(Step {
            session: Session::from(r),
            slots,
        });
    }
    drop(conn);
    let can_edit = catalogue::can_manage(ctx, actor, cycle.school_id).await?;
    if steps.is_empty() && !can_edit {
        return Err(CoreError::NotFound);
    }
    Ok(CycleView { cycle, steps, can_edit })
}

/// The cycles of the schools the viewer manages (for the session form).
pub async fn of_school(ctx: &Ctx, actor: &Actor, school_id: Uuid) -> CoreResult<Vec<Cycle>> {
    catalogue::require_manage(ctx, actor, school_id).await?;
    let mut conn = ctx.db.conn().await?;
    Ok(db::of_school(conn.ex(), school_id)
        .await?
        .into_iter()
        .map(cycle_of)
        .collect())
}

/// The cycles of every school the viewer manages.
pub async fn manageable(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<Cycle>> {
    let mut out = Vec::new();
    for s in schools::manageable(ctx, actor).await? {
        out.extend(of_school(ctx, actor, s.id).await?);
    }
    Ok(out)
}

/// Its school edits the title and description.
pub async fn update(ctx: &Ctx, actor: &Actor, id: Uuid, title: &str, description: &str) -> CoreResult<()> {
    let view = get(ctx, actor, id).await?;
    catalogue::require_manage(ctx, actor, view.cycle.school_id).await?;
    let mut errors = FieldErrors::new();
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        errors.add("title", "Saisissez le titre du cycle.");
    } else if title.chars().count() > 200 {
        errors.add("title", "Le titre est trop long (200 caractères au plus).");
    }
    let description = description.trim();
    if description.chars().count() > 4000 {
        errors.add(
            "description",
            "La description est trop longue (4 000 caractères au plus).",
        );
    }
    errors.into_result()?;
    let mut tx = ctx.db.begin().await?;
    db::update(tx.ex(), view.cycle.school_id, id, &title, description).await?;
    maillage_db::audit::record(tx.ex(), actor.user_id(), "cycle.update", &id.to_string(), &title).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether one day of a session is a volunteers' extra: used by pages.
pub fn optional_label(s: &Session) -> &'static str {
    if s.optional {
        "facultative (volontaires)"
    } else {
        "obligatoire"
    }
}

/// Today's date, for pages that split coming and past sessions.
pub fn today() -> time::Date {
    enrolment::today()
}
