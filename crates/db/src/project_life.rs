//! SQL for a project's life after the appetizer: its dated timeline,
//! impact indicators and their measures, users' feedback, comments,
//! deliverables (attachments) and help requests (« débogage ») with their
//! offers.
//!
//! Every function is scoped by the project's id (checked visible by the
//! caller through `projects::by_id`), so an id of another project's row
//! never matches. The one list that crosses projects, [`open_help_feed`],
//! carries `projects::visible_sql`.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{
    DbResult, Ex,
    projects::{Viewer, visible_sql},
    query,
    query::Query,
};

// ---------------------------------------------------------------------------
// Timeline
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UpdateRow {
    pub id: Uuid,
    pub author_id: Option<Uuid>,
    pub author_name: Option<String>,
    pub written_on: Date,
    pub body: String,
    pub created_at: OffsetDateTime,
}

const UPDATE_COLUMNS: &str = "u.id, u.author_id, a.display_name AS author_name, u.written_on, u.body, u.created_at";

/// The timeline, newest first.
pub async fn updates(ex: Ex<'_>, project_id: Uuid) -> DbResult<Vec<UpdateRow>> {
    ex.fetch_all(
        query(
            "SELECT u.id, u.author_id, a.display_name AS author_name, u.written_on, u.body, u.created_at \
             FROM project_updates u LEFT JOIN users a ON a.id = u.author_id \
             WHERE u.project_id = $1 ORDER BY u.written_on DESC, u.created_at DESC, u.id DESC",
        )
        .bind(project_id),
    )
    .await
}

pub async fn update_by_id(ex: Ex<'_>, project_id: Uuid, id: Uuid) -> DbResult<Option<UpdateRow>> {
    let sql = format!(
        "SELECT {UPDATE_COLUMNS} FROM project_updates u LEFT JOIN users a ON a.id = u.author_id \
         WHERE u.project_id = $1 AND u.id = $2"
    );
    ex.fetch_optional(Query::dynamic(sql).bind(project_id).bind(id)).await
}

pub async fn insert_update(
    ex: Ex<'_>,
    project_id: Uuid,
    author_id: Option<Uuid>,
    written_on: Date,
    body: &str,
) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO project_updates (id, project_id, author_id, written_on, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(project_id)
        .bind(author_id)
        .bind(written_on)
        .bind(body)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

/// Edits an update; only its author's (`author_id`): 0 rows otherwise.
pub async fn edit_update(
    ex: Ex<'_>,
    project_id: Uuid,
    id: Uuid,
    author_id: Uuid,
    written_on: Date,
    body: &str,
) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE project_updates SET written_on = $4, body = $5 \
             WHERE project_id = $1 AND id = $2 AND author_id = $3",
        )
        .bind(project_id)
        .bind(id)
        .bind(author_id)
        .bind(written_on)
        .bind(body),
    )
    .await
}

/// Deletes an update; only its author's (`author_id`): 0 rows otherwise.
pub async fn delete_update(ex: Ex<'_>, project_id: Uuid, id: Uuid, author_id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM project_updates WHERE project_id = $1 AND id = $2 AND author_id = $3")
            .bind(project_id)
            .bind(id)
            .bind(author_id),
    )
    .await
}

// ---------------------------------------------------------------------------
// Indicators and measures
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IndicatorRow {
    pub id: Uuid,
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub position: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeasureRow {
    pub id: Uuid,
    pub indicator_id: Uuid,
    pub measured_on: Date,
    pub value: f64,
    pub note: String,
}

/// What an indicator says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndicatorFields {
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
}

pub async fn indicators(ex: Ex<'_>, project_id: Uuid) -> DbResult<Vec<IndicatorRow>> {
    ex.fetch_all(
        query(
            "SELECT id, name, unit, baseline, target, position FROM project_indicators \
             WHERE project_id = $1 ORDER BY position, id",
        )
        .bind(project_id),
    )
    .await
}

pub async fn indicator(ex: Ex<'_>, project_id: Uuid, id: Uuid) -> DbResult<Option<IndicatorRow>> {
    ex.fetch_optional(
        query(
            "SELECT id, name, unit, baseline, target, position FROM project_indicators \
             WHERE project_id = $1 AND id = $2",
        )
        .bind(project_id)
        .bind(id),
    )
    .await
}

/// The measures of all the project's indicators, oldest first.
pub async fn measures(ex: Ex<'_>, project_id: Uuid) -> DbResult<Vec<MeasureRow>> {
    ex.fetch_all(
        query(
            "SELECT m.id, m.indicator_id, m.measured_on, m.value, m.note FROM project_measures m \
             JOIN project_indicators i ON i.id = m.indicator_id WHERE i.project_id = $1 \
             ORDER BY m.indicator_id, m.measured_on, m.created_at, m.id",
        )
        .bind(project_id),
    )
    .await
}

/// Appends an indicator after the project's others.
pub async fn insert_indicator(mut ex: Ex<'_>, project_id: Uuid, f: &IndicatorFields) -> DbResult<Uuid> {
    let last = ex
        .reborrow()
        .fetch_scalar(
            query("SELECT COALESCE(MAX(position), 0) FROM project_indicators WHERE project_id = $1").bind(project_id),
        )
        .await?;
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO project_indicators (id, project_id, name, unit, baseline, target, position, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(project_id)
        .bind(f.name.as_str())
        .bind(f.unit.as_str())
        .bind(f.baseline)
        .bind(f.target)
        .bind(last + 1)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

pub async fn delete_indicator(ex: Ex<'_>, project_id: Uuid, id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM project_indicators WHERE project_id = $1 AND id = $2")
            .bind(project_id)
            .bind(id),
    )
    .await
}

/// Adds a measure to an indicator (the caller checked it is the project's).
pub async fn insert_measure(
    ex: Ex<'_>,
    indicator_id: Uuid,
    measured_on: Date,
    value: f64,
    note: &str,
    created_by: Option<Uuid>,
) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO project_measures (id, indicator_id, measured_on, value, note, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(indicator_id)
        .bind(measured_on)
        .bind(value)
        .bind(note)
        .bind(created_by)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

pub async fn delete_measure(ex: Ex<'_>, project_id: Uuid, id: Uuid) -> DbResult<u64> {
    ex.execute(
        query(
            "DELETE FROM project_measures WHERE id = $2 AND indicator_id IN \
             (SELECT id FROM project_indicators WHERE project_id = $1)",
        )
        .bind(project_id)
        .bind(id),
    )
    .await
}

// ---------------------------------------------------------------------------
// Users' feedback
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedbackRow {
    pub id: Uuid,
    pub source: String,
    pub author_label: String,
    pub body: String,
    pub received_on: Date,
}

pub async fn feedback(ex: Ex<'_>, project_id: Uuid) -> DbResult<Vec<FeedbackRow>> {
    ex.fetch_all(
        query(
            "SELECT id, source, author_label, body, received_on FROM project_feedback \
             WHERE project_id = $1 ORDER BY received_on DESC, created_at DESC, id DESC",
        )
        .bind(project_id),
    )
    .await
}

pub async fn insert_feedback(
    ex: Ex<'_>,
    project_id: Uuid,
    source: &str,
    author_label: &str,
    body: &str,
    received_on: Date,
    recorded_by: Option<Uuid>,
) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO project_feedback (id, project_id, source, author_label, body, received_on, recorded_by, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(project_id)
        .bind(source)
        .bind(author_label)
        .bind(body)
        .bind(received_on)
        .bind(recorded_by)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

pub async fn delete_feedback(ex: Ex<'_>, project_id: Uuid, id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM project_feedback WHERE project_id = $1 AND id = $2")
            .bind(project_id)
            .bind(id),
    )
    .await
}

// ---------------------------------------------------------------------------
// Comments
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommentRow {
    pub id: Uuid,
    pub author_id: Option<Uuid>,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: OffsetDateTime,
}

/// Comments, oldest first (a conversation reads down).
pub async fn comments(ex: Ex<'_>, project_id: Uuid) -> DbResult<Vec<CommentRow>> {
    ex.fetch_all(
        query(
            "SELECT c.id, c.author_id, a.display_name AS author_name, c.body, c.created_at \
             FROM project_comments c LEFT JOIN users a ON a.id = c.author_id \
             WHERE c.project_id = $1 ORDER BY c.created_at, c.id",
        )
        .bind(project_id),
    )
    .await
}

pub async fn insert_comment(ex: Ex<'_>, project_id: Uuid, author_id: Option<Uuid>, body: &str) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query("INSERT INTO project_comments (id, project_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(project_id)
            .bind(author_id)
            .bind(body)
            .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

/// Deletes a comment of its author.
pub async fn delete_own_comment(ex: Ex<'_>, project_id: Uuid, id: Uuid, author_id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM project_comments WHERE project_id = $1 AND id = $2 AND author_id = $3")
            .bind(project_id)
            .bind(id)
            .bind(author_id),
    )
    .await
}

// ---------------------------------------------------------------------------
// Deliverables
// ---------------------------------------------------------------------------

/// An attachment without its content.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: Uuid,
    pub title: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub uploaded_by_name: Option<String>,
    pub created_at: OffsetDateTime,
}

pub async fn attachments(ex: Ex<'_>, project_id: Uuid) -> DbResult<Vec<AttachmentRow>> {
    ex.fetch_all(
        query(
            "SELECT t.id, t.title, t.file_name, t.media_type, t.size_bytes, a.display_name AS uploaded_by_name, \
             t.created_at FROM project_attachments t LEFT JOIN users a ON a.id = t.uploaded_by \
             WHERE t.project_id = $1 ORDER BY t.created_at DESC, t.id DESC",
        )
        .bind(project_id),
    )
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentFile {
    pub file_name: String,
    pub media_type: String,
    pub content: Vec<u8>,
}

pub async fn attachment_file(ex: Ex<'_>, project_id: Uuid, id: Uuid) -> DbResult<Option<AttachmentFile>> {
    ex.fetch_optional(
        query("SELECT file_name, media_type, content FROM project_attachments WHERE project_id = $1 AND id = $2")
            .bind(project_id)
            .bind(id),
    )
    .await
}

/// A file to store.
#[derive(Debug, Clone)]
pub struct NewAttachment<'a> {
    pub title: &'a str,
    pub file_name: &'a str,
    pub media_type: &'a str,
    pub content: &'a [u8],
}

pub async fn insert_attachment(
    ex: Ex<'_>,
    project_id: Uuid,
    a: &NewAttachment<'_>,
    uploaded_by: Option<Uuid>,
) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO project_attachments (id, project_id, title, file_name, media_type, size_bytes, content, \
             uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(project_id)
        .bind(a.title)
        .bind(a.file_name)
        .bind(a.media_type)
        .bind(a.content.len() as i64)
        .bind(a.content)
        .bind(uploaded_by)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

pub async fn delete_attachment(ex: Ex<'_>, project_id: Uuid, id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM project_attachments WHERE project_id = $1 AND id = $2")
            .bind(project_id)
            .bind(id),
    )
    .await
}

// ---------------------------------------------------------------------------
// Help requests (« débogage ») and offers
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HelpRequestRow {
    pub id: Uuid,
    pub question: String,
    pub status: String,
    pub created_by_name: Option<String>,
    pub created_at: OffsetDateTime,
    pub closed_at: Option<OffsetDateTime>,
}

const HELP_COLUMNS: &str = "h.id, h.question, h.status, a.display_name AS created_by_name, h.created_at, h.closed_at";

pub async fn help_requests(ex: Ex<'_>, project_id: Uuid) -> DbResult<Vec<HelpRequestRow>> {
    let sql = format!(
        "SELECT {HELP_COLUMNS} FROM help_requests h LEFT JOIN users a ON a.id = h.created_by \
         WHERE h.project_id = $1 ORDER BY h.created_at DESC, h.id DESC"
    );
    ex.fetch_all(Query::dynamic(sql).bind(project_id)).await
}

pub async fn help_request(ex: Ex<'_>, project_id: Uuid, id: Uuid) -> DbResult<Option<HelpRequestRow>> {
    let sql = format!(
        "SELECT {HELP_COLUMNS} FROM help_requests h LEFT JOIN users a ON a.id = h.created_by \
         WHERE h.project_id = $1 AND h.id = $2"
    );
    ex.fetch_optional(Query::dynamic(sql).bind(project_id).bind(id)).await
}

pub async fn insert_help_request(
    ex: Ex<'_>,
    project_id: Uuid,
    question: &str,
    created_by: Option<Uuid>,
) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO help_requests (id, project_id, question, status, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(project_id)
        .bind(question)
        .bind("ouverte")
        .bind(created_by)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

/// Closes an open request with `status` (resolue, codeveloppement); 0 when
/// it was not open.
pub async fn close_help_request(ex: Ex<'_>, project_id: Uuid, id: Uuid, status: &str) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE help_requests SET status = $3, closed_at = $4 \
             WHERE project_id = $1 AND id = $2 AND status = $5",
        )
        .bind(project_id)
        .bind(id)
        .bind(status)
        .bind(crate::now())
        .bind("ouverte"),
    )
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OfferRow {
    pub id: Uuid,
    pub request_id: Uuid,
    pub user_id: Uuid,
    pub user_name: String,
    pub message: String,
    pub created_at: OffsetDateTime,
}

/// The offers made on the project's requests, oldest first.
pub async fn offers(ex: Ex<'_>, project_id: Uuid) -> DbResult<Vec<OfferRow>> {
    ex.fetch_all(
        query(
            "SELECT o.id, o.request_id, o.user_id, u.display_name AS user_name, o.message, o.created_at \
             FROM help_offers o JOIN help_requests h ON h.id = o.request_id JOIN users u ON u.id = o.user_id \
             WHERE h.project_id = $1 ORDER BY o.created_at, o.id",
        )
        .bind(project_id),
    )
    .await
}

pub async fn has_offered(ex: Ex<'_>, request_id: Uuid, user_id: Uuid) -> DbResult<bool> {
    let n = ex
        .fetch_scalar(
            query("SELECT COUNT(*) FROM help_offers WHERE request_id = $1 AND user_id = $2")
                .bind(request_id)
                .bind(user_id),
        )
        .await?;
    Ok(n > 0)
}

pub async fn insert_offer(ex: Ex<'_>, request_id: Uuid, user_id: Uuid, message: &str) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query("INSERT INTO help_offers (id, request_id, user_id, message, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(request_id)
            .bind(user_id)
            .bind(message)
            .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

/// An open help request in the network's feed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HelpFeedRow {
    pub id: Uuid,
    pub project_id: Uuid,
    pub project_title: String,
    pub school_name: String,
    pub question: String,
    pub created_at: OffsetDateTime,
    pub offers: i64,
}

/// The open help requests of the projects `viewer` may see, newest first.
pub async fn open_help_feed(ex: Ex<'_>, viewer: &Viewer, limit: i64) -> DbResult<Vec<HelpFeedRow>> {
    let (q, visible) = visible_sql(Query::dynamic(String::new()), viewer);
    let open = q.next_placeholder();
    let q = q.bind("ouverte");
    let lim = q.next_placeholder();
    let q = q.bind(limit);
    let sql = format!(
        "SELECT h.id, p.id AS project_id, p.title AS project_title, s.name AS school_name, h.question, h.created_at, \
         (SELECT COUNT(*) FROM help_offers o WHERE o.request_id = h.id) AS offers \
         FROM help_requests h JOIN projects p ON p.id = h.project_id JOIN schools s ON s.id = p.school_id \
         WHERE h.status = {open} AND {visible} ORDER BY h.created_at DESC, h.id DESC LIMIT {lim}"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

// ---------------------------------------------------------------------------
// Who to tell
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recipient {
    pub email: String,
    pub display_name: String,
}

/// The team members who have an active account.
pub async fn team_recipients(ex: Ex<'_>, project_id: Uuid) -> DbResult<Vec<Recipient>> {
    ex.fetch_all(
        query(
            "SELECT DISTINCT u.email, u.display_name FROM project_members pm \
             JOIN profiles tp ON tp.id = pm.profile_id JOIN users u ON u.id = tp.user_id \
             WHERE pm.project_id = $1 AND u.active = $2 ORDER BY u.email",
        )
        .bind(project_id)
        .bind(true),
    )
    .await
}

// ---------------------------------------------------------------------------
// For the demo
// ---------------------------------------------------------------------------

/// Every project at one of these statuses, by title (the demo follows the
/// bank's demo projects through their life).
pub async fn at_statuses(ex: Ex<'_>, statuses: &[&str]) -> DbResult<Vec<crate::projects::ProjectRow>> {
    if statuses.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = Query::dynamic(String::new()).bind_list(statuses);
    let sql = format!(
        "SELECT {} FROM projects p {} WHERE p.status IN ({marks}) ORDER BY p.title_sort, p.id",
        crate::projects::COLUMNS,
        crate::projects::JOINS
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// The accounts of the project's team.
pub async fn team_user_ids(ex: Ex<'_>, project_id: Uuid) -> DbResult<Vec<Uuid>> {
    #[derive(sqlx::FromRow)]
    struct Id {
        user_id: Uuid,
    }
    let rows: Vec<Id> = ex
        .fetch_all(
            query(
                "SELECT tp.user_id FROM project_members pm JOIN profiles tp ON tp.id = pm.profile_id \
                 WHERE pm.project_id = $1 AND tp.user_id IS NOT NULL ORDER BY tp.name_sort, tp.id",
            )
            .bind(project_id),
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.user_id).collect())
}
