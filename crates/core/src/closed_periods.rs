//! Closed periods (`/formations/periodes-fermees`): when a school schedules
//! no session (holidays, closure). A session whose dates fall in one is
//! refused with the period's name (see `enrolment::form`).

use maillage_db::closed_periods as db;
use time::Date;
use uuid::Uuid;

use crate::{Actor, CoreError, CoreResult, Ctx, FieldErrors, catalogue, enrolment::form::date, schools};

pub use db::ClosedPeriodRow as ClosedPeriod;

/// The periods of the schools the viewer manages.
pub async fn list(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<ClosedPeriod>> {
    let ids: Vec<Uuid> = schools::manageable(ctx, actor)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let mut conn = ctx.db.conn().await?;
    Ok(db::of_schools(conn.ex(), &ids).await?)
}

/// A period, as typed.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub school: String,
    pub label: String,
    pub starts_on: String,
    pub ends_on: String,
}

pub async fn add(ctx: &Ctx, actor: &Actor, input: &Input) -> CoreResult<Uuid> {
    crate::policy::require(actor, &crate::policy::Action::ViewCatalogue)?;
    let Ok(school_id) = Uuid::parse_str(input.school.trim()) else {
        return Err(FieldErrors::single("school", "Choisissez l'école."));
    };
    catalogue::require_manage(ctx, actor, school_id).await?;
    let mut errors = FieldErrors::new();
    let label = input.label.split_whitespace().collect::<Vec<_>>().join(" ");
    if label.is_empty() {
        errors.add(
            "label",
            "Saisissez le nom de la période, par exemple « Vacances de Noël ».",
        );
    } else if label.chars().count() > 200 {
        errors.add("label", "Le nom est trop long (200 caractères au plus).");
    }
    let starts_on = date(&mut errors, "starts_on", &input.starts_on, true);
    let ends_on = date(&mut errors, "ends_on", &input.ends_on, true);
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.add("ends_on", "La date de fin précède la date de début.");
    }
    errors.into_result()?;
    let (s, e): (Date, Date) = (starts_on.expect("checked"), ends_on.expect("checked"));
    let mut tx = ctx.db.begin().await?;
    let id = db::insert(tx.ex(), school_id, s, e, &label).await?;
    maillage_db::audit::record(tx.ex(), actor.user_id(), "closed_period.add", &id.to_string(), &label).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn remove(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<()> {
    crate::policy::require(actor, &crate::policy::Action::ViewCatalogue)?;
    let p = {
        let mut conn = ctx.db.conn().await?;
        db::by_id(conn.ex(), id).await?.ok_or(CoreError::NotFound)?
    };
    // Another school's period: as if it did not exist.
    if !catalogue::can_manage(ctx, actor, p.school_id).await? {
        return Err(CoreError::NotFound);
    }
    let mut tx = ctx.db.begin().await?;
    db::delete(tx.ex(), p.school_id, id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "closed_period.remove",
        &id.to_string(),
        &p.label,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
