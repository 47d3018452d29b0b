//! A project's life after the appetizer: the dated timeline written by the
//! team and its alumni for years, impact indicators and their measures,
//! feedback from the public service's users, comments (the sponsor's, the
//! team's, the school's), deliverables, and help requests (« débogage »).
//!
//! [`sections`] gathers everything the project page (and its printable
//! sheet) shows of it, with what the viewer may do; each operation of the
//! submodules starts from [`super::load`] inside its write transaction,
//! then checks `Access::require_edit` (team, school) or `require_comment`
//! (sponsor, team, school). A project the actor may not see is `NotFound`.

use maillage_db::{project_life as db, projects::ProjectRow};
use maillage_domain::project::{FeedbackSource, HelpStatus};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Actor, CoreResult, Ctx, projects::Access};

pub(crate) use super::text_field;

pub mod attachments;
pub mod comments;
pub mod feedback;
pub mod help;
pub mod indicators;
pub mod timeline;

pub use indicators::{Indicator, Measure, format_number, parse_number};

/// Everything the project page shows of the project's life, and what the
/// viewer may do there (the forms are shown only when allowed; the routes
/// check again).
#[derive(Debug, Clone)]
pub struct Sections {
    pub project_id: Uuid,
    /// The project's start, the earliest date of an update or a measure.
    pub started_on: Option<Date>,
    /// Today in Paris (the latest date of an update, measure or feedback).
    pub today: Date,
    /// Team and school: timeline, indicators, feedback, deliverables, help.
    pub can_edit: bool,
    /// Sponsor, team and school.
    pub can_comment: bool,
    /// Anyone who sees the project and is not its team may offer help.
    pub can_offer_help: bool,
    pub timeline: Vec<Update>,
    pub indicators: Vec<Indicator>,
    /// Grouped by source, the public service's users first.
    pub feedback: Vec<FeedbackGroup>,
    pub comments: Vec<Comment>,
    pub attachments: Vec<Attachment>,
    /// Newest first.
    pub help: Vec<HelpRequest>,
}

impl Sections {
    /// The feedback sources offered by the form, users first.
    pub fn feedback_sources(&self) -> &'static [FeedbackSource] {
        FeedbackSource::ALL
    }

    pub fn feedback_count(&self) -> usize {
        self.feedback.iter().map(|g| g.items.len()).sum()
    }

    pub fn open_help(&self) -> Vec<&HelpRequest> {
        self.help.iter().filter(|h| h.status == HelpStatus::Open).collect()
    }

    /// « 10 Mo »: the size limit of a deliverable, for the form's hint.
    pub fn max_attachment_label(&self) -> String {
        attachments::max_label()
    }
}

/// One entry of the timeline.
#[derive(Debug, Clone)]
pub struct Update {
    pub id: Uuid,
    pub author: String,
    pub written_on: Date,
    pub body: String,
    /// Written by the viewer, who may still edit or delete it.
    pub mine: bool,
}

#[derive(Debug, Clone)]
pub struct FeedbackGroup {
    pub source: FeedbackSource,
    pub items: Vec<Feedback>,
}

#[derive(Debug, Clone)]
pub struct Feedback {
    pub id: Uuid,
    /// Who said it, as they agreed to be named (may be empty).
    pub author_label: String,
    pub body: String,
    pub received_on: Date,
}

#[derive(Debug, Clone)]
pub struct Comment {
    pub id: Uuid,
    pub author: String,
    pub body: String,
    pub created_at: OffsetDateTime,
    pub mine: bool,
}

#[derive(Debug, Clone)]
pub struct Attachment {
    pub id: Uuid,
    pub title: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub uploaded_by: String,
    pub created_at: OffsetDateTime,
}

impl Attachment {
    /// « PDF », « Document Word »…: what the file is, found from its content.
    pub fn kind_label(&self) -> &'static str {
        attachments::Kind::from_media_type(&self.media_type)
            .map(attachments::Kind::label)
            .unwrap_or("Fichier")
    }

    /// « 245 ko », « 1,2 Mo ».
    pub fn size_label(&self) -> String {
        attachments::size_label(self.size_bytes)
    }
}

#[derive(Debug, Clone)]
pub struct HelpRequest {
    pub id: Uuid,
    pub question: String,
    pub status: HelpStatus,
    pub created_by: String,
    pub created_at: OffsetDateTime,
    pub closed_at: Option<OffsetDateTime>,
    pub offer_count: usize,
    /// The offers themselves (who and what they propose): for the team and
    /// the school only, who answer them; others see the count.
    pub offers: Vec<Offer>,
    /// The viewer already offered help on this request.
    pub offered_by_me: bool,
}

impl HelpRequest {
    pub fn is_open(&self) -> bool {
        self.status == HelpStatus::Open
    }
}

#[derive(Debug, Clone)]
pub struct Offer {
    pub user_name: String,
    pub message: String,
    pub created_at: OffsetDateTime,
}

/// The project and the actor's sections, for a page of the project's life
/// (an indicator, a help request): `NotFound` when the project is not
/// visible to the actor.
pub async fn page(ctx: &Ctx, actor: &Actor, project_id: Uuid) -> CoreResult<(ProjectRow, Sections)> {
    let (project, access) = {
        let mut conn = ctx.db.conn().await?;
        super::load(conn.ex(), actor, project_id).await?
    };
    let sections = sections(ctx, actor, &project, &access).await?;
    Ok((project, sections))
}

/// A project the actor may edit (team, school), for a form's page.
pub async fn editable(ctx: &Ctx, actor: &Actor, project_id: Uuid) -> CoreResult<ProjectRow> {
    let mut conn = ctx.db.conn().await?;
    let (project, access) = super::load(conn.ex(), actor, project_id).await?;
    access.require_edit(actor)?;
    Ok(project)
}

/// A project the actor may comment on (sponsor, team, school).
pub async fn commentable(ctx: &Ctx, actor: &Actor, project_id: Uuid) -> CoreResult<ProjectRow> {
    let mut conn = ctx.db.conn().await?;
    let (project, access) = super::load(conn.ex(), actor, project_id).await?;
    access.require_comment(actor)?;
    Ok(project)
}

fn name_or_former(name: Option<String>) -> String {
    name.unwrap_or_else(|| "Compte supprimé".to_owned())
}

/// What the project page shows of the project's life, for `actor` who sees
/// `project` (as returned with `access` by [`super::load`]).
pub async fn sections(ctx: &Ctx, actor: &Actor, project: &ProjectRow, access: &Access) -> CoreResult<Sections> {
    let me = actor.user_id();
    let can_edit = access.can_edit(actor);
    let can_comment = access.can_comment(actor);
    let mut conn = ctx.db.conn().await?;
    let id = project.id;

    let timeline = db::updates(conn.ex(), id)
        .await?
        .into_iter()
        .map(|u| Update {
            id: u.id,
            mine: me.is_some() && u.author_id == me,
            author: name_or_former(u.author_name),
            written_on: u.written_on,
            body: u.body,
        })
        .collect();

    let indicator_rows = db::indicators(conn.ex(), id).await?;
    let measure_rows = db::measures(conn.ex(), id).await?;
    let indicators = indicators::assemble(indicator_rows, measure_rows);

    let feedback = feedback::group(db::feedback(conn.ex(), id).await?);

    let comments = db::comments(conn.ex(), id)
        .await?
        .into_iter()
        .map(|c| Comment {
            id: c.id,
            mine: me.is_some() && c.author_id == me,
            author: name_or_former(c.author_name),
            body: c.body,
            created_at: c.created_at,
        })
        .collect();

    let attachments = db::attachments(conn.ex(), id)
        .await?
        .into_iter()
        .map(|a| Attachment {
            id: a.id,
            title: a.title,
            file_name: a.file_name,
            media_type: a.media_type,
            size_bytes: a.size_bytes,
            uploaded_by: name_or_former(a.uploaded_by_name),
            created_at: a.created_at,
        })
        .collect();

    let offers = db::offers(conn.ex(), id).await?;
    let help = db::help_requests(conn.ex(), id)
        .await?
        .into_iter()
        .map(|h| {
            let mine: Vec<&db::OfferRow> = offers.iter().filter(|o| o.request_id == h.id).collect();
            HelpRequest {
                id: h.id,
                status: HelpStatus::parse(&h.status).unwrap_or(HelpStatus::Open),
                question: h.question,
                created_by: name_or_former(h.created_by_name),
                created_at: h.created_at,
                closed_at: h.closed_at,
                offer_count: mine.len(),
                offered_by_me: me.is_some_and(|u| mine.iter().any(|o| o.user_id == u)),
                offers: if can_edit {
                    mine.iter()
                        .map(|o| Offer {
                            user_name: o.user_name.clone(),
                            message: o.message.clone(),
                            created_at: o.created_at,
                        })
                        .collect()
                } else {
                    Vec::new()
                },
            }
        })
        .collect();

    Ok(Sections {
        project_id: id,
        started_on: project.started_on,
        today: crate::dates::paris_today(),
        can_edit,
        can_comment,
        can_offer_help: me.is_some()
            && crate::policy::allows(actor, &crate::policy::Action::OfferHelp { team: access.team }),
        timeline,
        indicators,
        feedback,
        comments,
        attachments,
        help,
    })
}

/// A date typed in a form that must lie between the project's start (if
/// known) and today: French errors naming the bound that is crossed.
pub(crate) fn dated_field(
    errors: &mut crate::FieldErrors,
    field: &'static str,
    raw: &str,
    started_on: Option<Date>,
    today: Date,
    what: &str,
) -> Option<Date> {
    let d = crate::dates::date_field(errors, field, raw, true)?;
    if d > today {
        errors.add(
            field,
            format!("{what} ne peut pas être dans le futur : saisissez une date jusqu’à aujourd’hui."),
        );
        return None;
    }
    if let Some(start) = started_on
        && d < start
    {
        errors.add(
            field,
            format!(
                "{what} ne peut pas précéder le début du projet, le {} : saisissez une date à partir de celle-ci.",
                crate::dates::date_fr(start)
            ),
        );
        return None;
    }
    Some(d)
}
