//! The project bank: projects proposed by sponsors, screened at the
//! appetizer, carried by a promotion's group, presented to a jury, and
//! followed for years (timeline, indicators, users' feedback).
//!
//! Every operation starts from [`load`]: the project if the actor may see it
//! (else `NotFound`), and what the actor is to it ([`Access`]), which the
//! policy turns into permissions. Visibility is decided in SQL once
//! (`maillage_db::projects::visible_sql`).

use maillage_db::{Ex, projects as db, schools as db_schools};
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult,
    policy::{self, Action},
};

/// What the actor is to a project: the facts the policy decides on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Access {
    /// In the team (through their directory profile).
    pub team: bool,
    /// Administers one of the school's organisations (or is the coordinator).
    pub manages_school: bool,
    /// The sponsor's account.
    pub sponsor: bool,
}

impl Access {
    pub fn can_edit(&self, actor: &Actor) -> bool {
        policy::allows(
            actor,
            &Action::EditProject {
                team: self.team,
                manages_school: self.manages_school,
            },
        )
    }

    pub fn can_screen(&self, actor: &Actor) -> bool {
        policy::allows(
            actor,
            &Action::ScreenProject {
                manages_school: self.manages_school,
            },
        )
    }

    pub fn can_comment(&self, actor: &Actor) -> bool {
        policy::allows(
            actor,
            &Action::CommentProject {
                sponsor: self.sponsor,
                team: self.team,
                manages_school: self.manages_school,
            },
        )
    }

    pub fn require_edit(&self, actor: &Actor) -> CoreResult<()> {
        policy::require(
            actor,
            &Action::EditProject {
                team: self.team,
                manages_school: self.manages_school,
            },
        )
    }

    pub fn require_screen(&self, actor: &Actor) -> CoreResult<()> {
        policy::require(
            actor,
            &Action::ScreenProject {
                manages_school: self.manages_school,
            },
        )
    }

    pub fn require_comment(&self, actor: &Actor) -> CoreResult<()> {
        policy::require(
            actor,
            &Action::CommentProject {
                sponsor: self.sponsor,
                team: self.team,
                manages_school: self.manages_school,
            },
        )
    }
}

/// The viewer for the visibility rule; `Unauthenticated` when not logged in.
pub fn viewer(actor: &Actor) -> CoreResult<db::Viewer> {
    policy::project_viewer(actor).ok_or(CoreError::Unauthenticated)
}

/// Whether `actor` manages `school_id` (administers one of its organisations).
pub async fn manages_school(ex: Ex<'_>, actor: &Actor, school_id: Uuid) -> CoreResult<bool> {
    let organisations = db_schools::organisation_ids(ex, school_id).await?;
    Ok(policy::allows(
        actor,
        &Action::ManageSchool {
            organisations: &organisations,
        },
    ))
}

/// A project the actor may see, and what they are to it. Use it inside the
/// write transaction of an operation (`tx.ex()`) so the check and the write
/// see the same state.
pub async fn load(mut ex: Ex<'_>, actor: &Actor, id: Uuid) -> CoreResult<(db::ProjectRow, Access)> {
    let viewer = viewer(actor)?;
    let row = db::by_id(ex.reborrow(), &viewer, id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let team = db::is_team_member(ex.reborrow(), id, viewer.user_id).await?;
    let manages_school = manages_school(ex, actor, row.school_id).await?;
    let access = Access {
        team,
        manages_school,
        sponsor: row.sponsor_user_id == Some(viewer.user_id),
    };
    Ok((row, access))
}

/// A text typed in a form, trimmed: a French error on `field` when `empty`
/// is given and the text is empty, or when longer than `max` characters.
/// The one rule for the texts of the bank and of a project's life.
pub(crate) fn text_field(
    errors: &mut crate::FieldErrors,
    field: &'static str,
    raw: &str,
    max: usize,
    empty: Option<&str>,
) -> String {
    let value = raw.trim().to_owned();
    if value.is_empty() {
        if let Some(message) = empty {
            errors.add(field, message);
        }
    } else if value.chars().count() > max {
        errors.add(
            field,
            format!(
                "Ce texte est trop long ({} caractères au plus) : raccourcissez-le.",
                maillage_domain::text::thousands(i64::try_from(max).unwrap_or(i64::MAX))
            ),
        );
    }
    value
}

pub mod bank;
pub mod life;
