//! The bank: proposals, the appetizer, statuses, team, search, exports.
//!
//! A project as the pages, the API and the exports show it is a
//! [`Project`]: its row (visible to the viewer: `projects::load` or the
//! search's `visible_sql`), its themes, the organisations concerned and its
//! team, each team member linked to their directory profile only when the
//! directory lists them for the viewer.

pub mod edit;
pub mod export;
pub mod proposal;
pub mod search;
pub mod similar;
pub mod status;
pub mod team;

use maillage_db::{Ex, projects as db};
use maillage_domain::project::{Status, Visibility};
use uuid::Uuid;

use super::Access;
use crate::{Actor, CoreError, CoreResult, Ctx, directory::profile::ThemeRef, policy};

/// An organisation concerned by a project (with its SIREN, for links).
#[derive(Debug, Clone)]
pub struct OrgRef {
    pub id: Uuid,
    pub name: String,
    pub siren: String,
}

/// A member of the team.
#[derive(Debug, Clone)]
pub struct Member {
    pub profile_id: Uuid,
    pub user_id: Option<Uuid>,
    /// Their name when the viewer may know it (see [`hydrate`]), else
    /// « Une personne de {organisation} ».
    pub name: String,
    pub organisation: String,
    /// `name` is the person's name (not « Une personne de … »).
    pub named: bool,
    /// The directory lists this person for the viewer: their name may link
    /// to their profile.
    pub linked: bool,
}

/// A project of the bank, as the viewer may see it.
#[derive(Debug, Clone)]
pub struct Project {
    pub row: db::ProjectRow,
    pub status: Status,
    pub visibility: Visibility,
    pub themes: Vec<ThemeRef>,
    pub organisations: Vec<OrgRef>,
    pub members: Vec<Member>,
}

impl Project {
    pub fn id(&self) -> Uuid {
        self.row.id
    }

    /// The first words of the problem (result lists).
    pub fn snippet(&self) -> String {
        snippet(&self.row.problem, 220)
    }

    /// « Mis en œuvre », « Non mis en œuvre »… or nothing before the jury.
    pub fn implemented_label(&self) -> &'static str {
        if self.status.is_implemented() {
            "oui"
        } else if self.status == Status::NotImplemented {
            "non"
        } else {
            ""
        }
    }
}

/// `text` cut at a word boundary near `max` characters, with « … ».
pub fn snippet(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut[..i].to_owned(),
        _ => cut,
    };
    format!("{cut} …")
}

/// Rows → projects with their themes, organisations and team: four queries
/// whatever the number of rows, and one per school to know whether the
/// actor manages it.
///
/// The directory rule holds for the team: a person's name shows only where
/// the directory lists them for the viewer; otherwise « Une personne de
/// {organisation} » — on the page, the sheet, the API and the CSV alike,
/// since they all come from here. The team itself and the school's
/// managers, who work with them, see every name.
pub(crate) async fn hydrate(mut ex: Ex<'_>, actor: &Actor, rows: Vec<db::ProjectRow>) -> CoreResult<Vec<Project>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let scope = policy::directory_scope(actor).ok_or(CoreError::Unauthenticated)?;
    let me = actor.user_id();
    let themes = db::themes_of(ex.reborrow(), &ids).await?;
    let orgs = db::organisations_of(ex.reborrow(), &ids).await?;
    let members = db::members_of(ex.reborrow(), &scope, &ids).await?;
    let mut managed: Vec<(Uuid, bool)> = Vec::new();
    for row in &rows {
        if !managed.iter().any(|(s, _)| *s == row.school_id) {
            let manages = super::manages_school(ex.reborrow(), actor, row.school_id).await?;
            managed.push((row.school_id, manages));
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let team: Vec<&db::MemberRow> = members.iter().filter(|m| m.project_id == row.id).collect();
            let works_with = managed.iter().any(|(s, m)| *s == row.school_id && *m)
                || (me.is_some() && team.iter().any(|m| m.user_id == me));
            Project {
                status: Status::parse(&row.status).unwrap_or(Status::Proposed),
                visibility: Visibility::parse(&row.visibility).unwrap_or(Visibility::Draft),
                themes: themes
                    .iter()
                    .filter(|t| t.project_id == row.id)
                    .map(|t| ThemeRef {
                        id: t.id,
                        name: t.name.clone(),
                    })
                    .collect(),
                organisations: orgs
                    .iter()
                    .filter(|o| o.project_id == row.id)
                    .map(|o| OrgRef {
                        id: o.id,
                        name: o.name.clone(),
                        siren: o.siren.clone(),
                    })
                    .collect(),
                members: team.into_iter().map(|m| member(m, works_with)).collect(),
                row,
            }
        })
        .collect())
}

/// A team member as the viewer may see them (see [`hydrate`]).
fn member(m: &db::MemberRow, works_with: bool) -> Member {
    let named = m.listed_for_viewer || works_with;
    Member {
        profile_id: m.profile_id,
        user_id: m.user_id,
        name: if named {
            format!("{} {}", m.first_name, m.last_name).trim().to_owned()
        } else {
            format!("Une personne de {}", m.organisation_name)
        },
        organisation: m.organisation_name.clone(),
        named,
        linked: m.listed_for_viewer,
    }
}

/// One line of the status history.
#[derive(Debug, Clone)]
pub struct Event {
    pub status: Status,
    pub reason: String,
    pub school: Option<String>,
    pub promotion: Option<(Uuid, String)>,
    pub by: Option<String>,
    pub at: time::OffsetDateTime,
    /// The project moved to another school with this event (a take-up).
    pub school_changed: bool,
}

/// A project the actor may see, whole, with what the actor is to it.
pub async fn get(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<(Project, Access)> {
    let mut conn = ctx.db.conn().await?;
    let (row, access) = super::load(conn.ex(), actor, id).await?;
    let project = hydrate(conn.ex(), actor, vec![row])
        .await?
        .pop()
        .ok_or(CoreError::NotFound)?;
    Ok((project, access))
}

/// Whether the actor may open the project's promotion (`/promotions/{id}`:
/// its members and the people of its school's organisations, policy
/// `ViewPromotion`): the project's page links to it only then, and names it
/// in plain text otherwise.
pub async fn may_view_promotion(ctx: &Ctx, actor: &Actor, project: &Project) -> CoreResult<bool> {
    let (Some(promotion_id), Some(user_id)) = (project.row.promotion_id, actor.user_id()) else {
        return Ok(false);
    };
    let mut conn = ctx.db.conn().await?;
    let Some(promotion) = maillage_db::promotions::by_id(conn.ex(), promotion_id).await? else {
        return Ok(false);
    };
    let organisations = maillage_db::schools::organisation_ids(conn.ex(), promotion.school_id).await?;
    let member = maillage_db::promotions::is_member(conn.ex(), promotion_id, user_id).await?;
    Ok(policy::allows(
        actor,
        &policy::Action::ViewPromotion {
            member,
            organisations: &organisations,
        },
    ))
}

/// A visible project's status history, oldest first.
pub async fn history(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Vec<Event>> {
    let mut conn = ctx.db.conn().await?;
    super::load(conn.ex(), actor, id).await?;
    let mut previous_school: Option<Uuid> = None;
    Ok(db::events(conn.ex(), id)
        .await?
        .into_iter()
        .map(|e| {
            let school_changed = matches!((previous_school, e.school_id), (Some(a), Some(b)) if a != b);
            if e.school_id.is_some() {
                previous_school = e.school_id;
            }
            Event {
                status: Status::parse(&e.status).unwrap_or(Status::Proposed),
                reason: e.reason,
                school: e.school_name,
                promotion: e.promotion_id.zip(e.promotion_name),
                by: e.by_name,
                at: e.at,
                school_changed,
            }
        })
        .collect())
}

/// The promotions of a school (the screening form's choices).
pub async fn promotions_of_school(ctx: &Ctx, school_id: Uuid) -> CoreResult<Vec<db::PromotionRef>> {
    let mut conn = ctx.db.conn().await?;
    Ok(db::promotions_of_school(conn.ex(), school_id).await?)
}

/// The promotions of the projects the actor sees (the search filter's
/// choices: a promotion's name is shown only with a visible project).
pub async fn visible_promotions(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<db::PromotionRef>> {
    let viewer = super::viewer(actor)?;
    let mut conn = ctx.db.conn().await?;
    Ok(db::visible_promotions(conn.ex(), &viewer).await?)
}

/// The years of the projects the actor sees (the year filter's choices).
pub async fn years(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<i64>> {
    let viewer = super::viewer(actor)?;
    let mut conn = ctx.db.conn().await?;
    Ok(db::years(conn.ex(), &viewer).await?)
}

/// Every organisation of the network, by name (the organisations a project
/// concerns; the sponsor for the schools' managers).
pub async fn organisations(ctx: &Ctx) -> CoreResult<Vec<crate::organisations::Organisation>> {
    Ok(crate::organisations::list(
        ctx,
        &crate::organisations::Filter {
            page: 1,
            per_page: 1000,
            ..Default::default()
        },
    )
    .await?
    .items)
}

/// The organisations `actor` may propose a project for: their own, or any
/// when they manage a school (policy `ProposeProject`).
pub async fn sponsor_choices(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<crate::organisations::Organisation>> {
    let user = actor.user().ok_or(CoreError::Unauthenticated)?;
    let all = organisations(ctx).await?;
    if actor.is_coordinator() || !crate::schools::manageable(ctx, actor).await?.is_empty() {
        return Ok(all);
    }
    Ok(all
        .into_iter()
        .filter(|o| user.roles.iter().any(|(_, r)| *r == Some(o.id)))
        .collect())
}
