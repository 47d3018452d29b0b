//! Promotions: cohorts following a school's path over given dates, their
//! members (alumni after the end) and the casting of their project groups.
//!
//! Who sees a promotion: its members and the people of its school's
//! organisations (`Action::ViewPromotion`); everyone else gets 404. Who
//! manages it (form, members, casting data, groups): the school's managers
//! (`Action::ManagePromotion`). Every operation starts from [`load`].
//!
//! - [`members`]: members, the casting data the school enters (never shown
//!   to anyone else), wishes, alumni on profiles;
//! - [`groups`]: the casting of project groups (the engine is
//!   `crate::casting`), manual moves, projects of the groups.

use maillage_db::{Ex, promotions as db, schools as db_schools};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors,
    catalogue::SchoolRef,
    dates,
    policy::{self, Action},
    schools::{self, School},
};

pub mod groups;
pub mod members;

pub use members::Alumnus;

/// Where a promotion stands, today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Upcoming,
    Running,
    Ended,
}

impl Phase {
    pub fn of(starts_on: Date, ends_on: Date, today: Date) -> Phase {
        if today < starts_on {
            Phase::Upcoming
        } else if today > ends_on {
            Phase::Ended
        } else {
            Phase::Running
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Phase::Upcoming => "a-venir",
            Phase::Running => "en-cours",
            Phase::Ended => "terminee",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Phase::Upcoming => "à venir",
            Phase::Running => "en cours",
            Phase::Ended => "terminée",
        }
    }
}

#[derive(Debug, Clone)]
pub struct PathRef {
    pub id: Uuid,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct Promotion {
    pub id: Uuid,
    pub school: SchoolRef,
    pub path: Option<PathRef>,
    pub name: String,
    pub description: String,
    pub starts_on: Date,
    pub ends_on: Date,
    /// The temperament categories of the casting, in the school's order.
    pub temperaments: Vec<String>,
    pub member_count: i64,
    pub phase: Phase,
    pub updated_at: OffsetDateTime,
}

impl Promotion {
    fn from_row(r: db::PromotionRow, today: Date) -> Promotion {
        Promotion {
            id: r.id,
            school: SchoolRef {
                id: r.school_id,
                name: r.school_name,
            },
            path: match (r.path_id, r.path_title) {
                (Some(id), Some(title)) => Some(PathRef { id, title }),
                _ => None,
            },
            temperaments: split_lines(&r.temperaments),
            phase: Phase::of(r.starts_on, r.ends_on, today),
            name: r.name,
            description: r.description,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            member_count: r.member_count,
            updated_at: r.updated_at,
        }
    }

    /// The year the promotion starts (lists, project bank).
    pub fn year(&self) -> i32 {
        self.starts_on.year()
    }
}

/// The non-empty lines, trimmed: the temperament categories as stored.
fn split_lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What the actor is to a promotion: the facts the policy decides on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    /// A member (through their directory profile).
    pub member: bool,
    /// Manages its school (or is the coordinator): what the policy said
    /// when the promotion was loaded, for the pages to offer the links.
    pub manages: bool,
    /// The organisations of the promotion's school (what
    /// `Action::ManagePromotion` is decided on).
    pub organisations: Vec<Uuid>,
}

impl Access {
    /// The school's managers only: the policy decides, from the
    /// organisations of the promotion's school.
    pub fn require_manage(&self, actor: &Actor) -> CoreResult<()> {
        policy::require(
            actor,
            &Action::ManagePromotion {
                organisations: &self.organisations,
            },
        )
    }
}

/// A promotion the actor may see (else `NotFound`), and what they are to
/// it. Use it inside an operation's transaction (`tx.ex()`) so the check and
/// the write see the same state.
pub async fn load(mut ex: Ex<'_>, actor: &Actor, id: Uuid) -> CoreResult<(db::PromotionRow, Access)> {
    let user = actor.user().ok_or(CoreError::Unauthenticated)?;
    let row = db::by_id(ex.reborrow(), id).await?.ok_or(CoreError::NotFound)?;
    let organisations = db_schools::organisation_ids(ex.reborrow(), row.school_id).await?;
    let member = db::is_member(ex, id, user.id).await?;
    policy::require(
        actor,
        &Action::ViewPromotion {
            member,
            organisations: &organisations,
        },
    )?;
    let manages = policy::allows(
        actor,
        &Action::ManagePromotion {
            organisations: &organisations,
        },
    );
    Ok((
        row,
        Access {
            member,
            manages,
            organisations,
        },
    ))
}

/// The visibility rule's viewer, from the project bank's (same facts).
pub(crate) fn viewer(actor: &Actor) -> CoreResult<db::Viewer> {
    let v = policy::project_viewer(actor).ok_or(CoreError::Unauthenticated)?;
    Ok(db::Viewer {
        everything: v.everything,
        user_id: v.user_id,
        member_of: v.member_of,
    })
}

/// One promotion and what the actor is to it.
pub async fn get(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<(Promotion, Access)> {
    let mut conn = ctx.db.conn().await?;
    let (row, access) = load(conn.ex(), actor, id).await?;
    Ok((Promotion::from_row(row, dates::paris_today()), access))
}

/// A promotion the actor manages: 404 when they may not see it, 403 when
/// they see it without managing it.
pub async fn get_managed(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Promotion> {
    let (p, access) = get(ctx, actor, id).await?;
    access.require_manage(actor)?;
    Ok(p)
}

/// A list's filters, as typed (`ecole`, `annee`); unreadable values are
/// ignored.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub school: Option<Uuid>,
    pub year: Option<i32>,
}

/// The promotions the actor may see, the latest first.
pub async fn list(ctx: &Ctx, actor: &Actor, f: &ListFilter) -> CoreResult<Vec<Promotion>> {
    let viewer = viewer(actor)?;
    // No promotion runs in a year outside the platform's (and PostgreSQL
    // cannot even compare dates that old).
    if f.year.is_some_and(|y| !dates::YEARS.contains(&y)) {
        return Ok(Vec::new());
    }
    let mut conn = ctx.db.conn().await?;
    let today = dates::paris_today();
    Ok(db::list(
        conn.ex(),
        &viewer,
        &db::Filter {
            school: f.school,
            year: f.year,
        },
    )
    .await?
    .into_iter()
    .map(|r| Promotion::from_row(r, today))
    .collect())
}

/// The schools whose promotions the actor may create.
pub async fn manageable_schools(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<School>> {
    Ok(schools::all(ctx)
        .await?
        .into_iter()
        .filter(|s| {
            let ids: Vec<Uuid> = s.organisations.iter().map(|o| o.id).collect();
            policy::allows(actor, &Action::ManagePromotion { organisations: &ids })
        })
        .collect())
}

/// The paths a promotion of this school may follow: the school's own.
pub async fn path_choices(ctx: &Ctx, school_id: Uuid) -> CoreResult<Vec<PathRef>> {
    let mut conn = ctx.db.conn().await?;
    let all = maillage_db::paths::list(
        conn.ex(),
        &maillage_db::modules::Viewer {
            everything: true,
            member_of: Vec::new(),
        },
    )
    .await?;
    Ok(all
        .into_iter()
        .filter(|p| p.school_id == school_id)
        .map(|p| PathRef {
            id: p.id,
            title: p.title,
        })
        .collect())
}

/// A promotion's form, as typed.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub path: String,
    pub name: String,
    pub description: String,
    pub starts_on: String,
    pub ends_on: String,
    /// One category per line.
    pub temperaments: String,
}

const MAX_TEMPERAMENTS: usize = 12;

fn validate(input: &Input, paths: &[PathRef], errors: &mut FieldErrors) -> Option<db::Fields> {
    let name = input.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        errors.add(
            "name",
            "Saisissez le nom de la promotion, par exemple « Promotion 2026 ».",
        );
    } else if name.chars().count() > 200 {
        errors.add("name", "Le nom est trop long (200 caractères au plus).");
    }
    let description = input.description.trim().to_owned();
    if description.chars().count() > 8000 {
        errors.add(
            "description",
            "La présentation est trop longue (8 000 caractères au plus).",
        );
    }
    let path_id = match input.path.trim() {
        "" => None,
        raw => match Uuid::parse_str(raw).ok().filter(|id| paths.iter().any(|p| p.id == *id)) {
            Some(id) => Some(id),
            None => {
                errors.add("path", "Choisissez un parcours de l’école, ou aucun.");
                None
            }
        },
    };
    let starts_on = dates::date_field(errors, "starts_on", &input.starts_on, true);
    let ends_on = dates::date_field(errors, "ends_on", &input.ends_on, true);
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.add(
            "ends_on",
            "La date de fin doit être le même jour que la date de début ou après : vérifiez les deux dates.",
        );
    }
    let mut temperaments: Vec<String> = Vec::new();
    for line in split_lines(&input.temperaments) {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.chars().count() > 60 {
            errors.add(
                "temperaments",
                format!("La catégorie « {line} » est trop longue (60 caractères au plus)."),
            );
        } else if !temperaments
            .iter()
            .any(|t| maillage_domain::text::fold(t) == maillage_domain::text::fold(&line))
        {
            temperaments.push(line);
        }
    }
    if temperaments.len() > MAX_TEMPERAMENTS {
        errors.add(
            "temperaments",
            format!("Indiquez {MAX_TEMPERAMENTS} catégories de tempérament au plus, une par ligne."),
        );
    }
    Some(db::Fields {
        path_id,
        name,
        description,
        starts_on: starts_on?,
        ends_on: ends_on?,
        temperaments: temperaments.join("\n"),
    })
}

async fn school_organisations(ctx: &Ctx, school_id: Uuid) -> CoreResult<Vec<Uuid>> {
    let mut conn = ctx.db.conn().await?;
    Ok(db_schools::organisation_ids(conn.ex(), school_id).await?)
}

/// Creates a promotion of a school (its managers).
pub async fn create(ctx: &Ctx, actor: &Actor, school_id: Uuid, input: &Input) -> CoreResult<Uuid> {
    policy::require(actor, &Action::UseAccount)?;
    // An unknown school is a field error, not a 404: it came from a select.
    let organisations = school_organisations(ctx, school_id).await?;
    if organisations.is_empty() {
        return Err(FieldErrors::single("school", "Choisissez l’école de la promotion."));
    }
    policy::require(
        actor,
        &Action::ManagePromotion {
            organisations: &organisations,
        },
    )?;
    let paths = path_choices(ctx, school_id).await?;
    let mut errors = FieldErrors::new();
    let fields = validate(input, &paths, &mut errors);
    errors.into_result()?;
    let fields = fields.ok_or_else(|| anyhow::anyhow!("champs validés sans valeur"))?;
    let mut tx = ctx.db.begin().await?;
    let id = db::insert(tx.ex(), school_id, &fields, actor.user_id()).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "promotion.create",
        &id.to_string(),
        &fields.name,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Edits a promotion (its school's managers).
pub async fn update(ctx: &Ctx, actor: &Actor, id: Uuid, input: &Input) -> CoreResult<()> {
    let p = get_managed(ctx, actor, id).await?;
    let paths = path_choices(ctx, p.school.id).await?;
    let mut errors = FieldErrors::new();
    let fields = validate(input, &paths, &mut errors);
    errors.into_result()?;
    let fields = fields.ok_or_else(|| anyhow::anyhow!("champs validés sans valeur"))?;
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, id).await?;
    access.require_manage(actor)?;
    db::update(tx.ex(), id, &fields).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "promotion.update",
        &id.to_string(),
        &fields.name,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The promotion's projects the actor may see (`projects::visible_sql`):
/// every status, for its page.
pub async fn projects(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Vec<db::ProjectRef>> {
    let viewer = crate::projects::viewer(actor)?;
    let mut conn = ctx.db.conn().await?;
    load(conn.ex(), actor, id).await?;
    Ok(db::projects(conn.ex(), &viewer, id, false).await?)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn phases() {
        let (s, e) = (date!(2026 - 01 - 10), date!(2026 - 06 - 30));
        assert_eq!(Phase::of(s, e, date!(2026 - 01 - 09)), Phase::Upcoming);
        assert_eq!(Phase::of(s, e, s), Phase::Running);
        assert_eq!(Phase::of(s, e, e), Phase::Running);
        assert_eq!(Phase::of(s, e, date!(2026 - 07 - 01)), Phase::Ended);
    }

    #[test]
    fn dates_and_categories() {
        let mut errors = FieldErrors::new();
        let input = Input {
            name: "  Promotion   2026 ".into(),
            starts_on: "2026-06-01".into(),
            ends_on: "2026-05-31".into(),
            temperaments: "Meneur\n\n  méneur \nAnalytique\n".into(),
            ..Default::default()
        };
        let f = validate(&input, &[], &mut errors).unwrap();
        assert!(errors.get("ends_on").unwrap().contains("date de fin"));
        assert_eq!(f.name, "Promotion 2026");
        assert_eq!(f.temperaments, "Meneur\nAnalytique");
        let mut errors = FieldErrors::new();
        let bad_path = Input {
            path: Uuid::now_v7().to_string(),
            ..input
        };
        validate(&bad_path, &[], &mut errors);
        assert!(errors.get("path").is_some());
    }
}
