//! SQL for evaluations: the question templates of a school, the
//! questionnaires opened for a session (questions copied into
//! `evaluation_items`), who is invited and whether they answered, and the
//! anonymous answers.
//!
//! Anonymity is a property of the tables: an invitation says *that* someone
//! answered, a response says *what* was answered, and nothing joins the two
//! (responses carry a random id and a date, no user, no time).

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{DbResult, Ex, query, query::Query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TemplateRow {
    pub id: Uuid,
    pub school_id: Uuid,
    pub school_name: String,
    pub kind: String,
    pub title: String,
    pub questions: i64,
    pub updated_at: OffsetDateTime,
}

const TEMPLATE_COLUMNS: &str = "t.id, t.school_id, s.name AS school_name, t.kind, t.title, \
    (SELECT COUNT(*) FROM evaluation_questions q WHERE q.template_id = t.id) AS questions, t.updated_at";

/// The templates of these schools, by school name, kind, title.
pub async fn templates_of(ex: Ex<'_>, schools: &[Uuid]) -> DbResult<Vec<TemplateRow>> {
    if schools.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = Query::dynamic(String::new()).bind_list(schools);
    let sql = format!(
        "SELECT {TEMPLATE_COLUMNS} FROM evaluation_templates t JOIN schools s ON s.id = t.school_id \
         WHERE t.school_id IN ({marks}) ORDER BY s.name, t.kind, t.title, t.id"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

pub async fn template(ex: Ex<'_>, id: Uuid) -> DbResult<Option<TemplateRow>> {
    ex.fetch_optional(
        Query::dynamic(format!(
            "SELECT {TEMPLATE_COLUMNS} FROM evaluation_templates t JOIN schools s ON s.id = t.school_id \
             WHERE t.id = $1"
        ))
        .bind(id),
    )
    .await
}

pub async fn insert_template(ex: Ex<'_>, school_id: Uuid, kind: &str, title: &str) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO evaluation_templates (id, school_id, kind, title, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(id)
        .bind(school_id)
        .bind(kind)
        .bind(title)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

pub async fn touch_template(ex: Ex<'_>, id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("UPDATE evaluation_templates SET updated_at = $2 WHERE id = $1")
            .bind(id)
            .bind(crate::now()),
    )
    .await
}

/// A question of a template, or an item of a questionnaire (same shape).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuestionRow {
    pub id: Uuid,
    pub position: i64,
    /// 'note' (1 to 5) or 'texte'.
    pub kind: String,
    pub label: String,
}

pub async fn questions(ex: Ex<'_>, template_id: Uuid) -> DbResult<Vec<QuestionRow>> {
    ex.fetch_all(
        query(
            "SELECT id, position, kind, label FROM evaluation_questions WHERE template_id = $1 \
             ORDER BY position",
        )
        .bind(template_id),
    )
    .await
}

/// Adds a question at the end of the template.
pub async fn insert_question(ex: Ex<'_>, template_id: Uuid, kind: &str, label: &str) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO evaluation_questions (id, template_id, position, kind, label) VALUES ($1, $2, \
             (SELECT COALESCE(MAX(position), 0) + 1 FROM evaluation_questions WHERE template_id = $2), $3, $4)",
        )
        .bind(id)
        .bind(template_id)
        .bind(kind)
        .bind(label),
    )
    .await?;
    Ok(id)
}

pub async fn set_question_label(ex: Ex<'_>, template_id: Uuid, id: Uuid, label: &str) -> DbResult<u64> {
    ex.execute(
        query("UPDATE evaluation_questions SET label = $3 WHERE template_id = $1 AND id = $2")
            .bind(template_id)
            .bind(id)
            .bind(label),
    )
    .await
}

pub async fn delete_question(ex: Ex<'_>, template_id: Uuid, id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM evaluation_questions WHERE template_id = $1 AND id = $2")
            .bind(template_id)
            .bind(id),
    )
    .await
}

/// Swaps the positions of two questions of a template. Positions are unique
/// per template and checked row by row on both backends: one goes through 0
/// (never used, positions start at 1).
pub async fn swap_questions(mut ex: Ex<'_>, template_id: Uuid, a: &QuestionRow, b: &QuestionRow) -> DbResult<()> {
    for (id, position) in [(a.id, 0), (b.id, a.position), (a.id, b.position)] {
        ex.reborrow()
            .execute(
                query("UPDATE evaluation_questions SET position = $3 WHERE template_id = $1 AND id = $2")
                    .bind(template_id)
                    .bind(id)
                    .bind(position),
            )
            .await?;
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvaluationRow {
    pub id: Uuid,
    pub session_id: Uuid,
    pub kind: String,
    pub title: String,
    pub opens_on: Date,
    pub closes_on: Date,
    pub invited: i64,
    pub answered: i64,
    pub responses: i64,
}

const EVALUATION_COLUMNS: &str = "e.id, e.session_id, e.kind, e.title, e.opens_on, e.closes_on, \
    (SELECT COUNT(*) FROM evaluation_invitations i WHERE i.evaluation_id = e.id) AS invited, \
    (SELECT COUNT(*) FROM evaluation_invitations i WHERE i.evaluation_id = e.id AND i.answered = $1) AS answered, \
    (SELECT COUNT(*) FROM evaluation_responses r WHERE r.evaluation_id = e.id) AS responses";

pub async fn evaluation(ex: Ex<'_>, id: Uuid) -> DbResult<Option<EvaluationRow>> {
    ex.fetch_optional(
        Query::dynamic(format!(
            "SELECT {EVALUATION_COLUMNS} FROM evaluations e WHERE e.id = $2"
        ))
        .bind(true)
        .bind(id),
    )
    .await
}

/// The questionnaires of these sessions, by opening date.
pub async fn of_sessions(ex: Ex<'_>, sessions: &[Uuid]) -> DbResult<Vec<EvaluationRow>> {
    if sessions.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = query("").bind(true).bind_list(sessions);
    let sql = format!(
        "SELECT {EVALUATION_COLUMNS} FROM evaluations e WHERE e.session_id IN ({marks}) \
         ORDER BY e.opens_on, e.kind, e.id"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// Opens a questionnaire. A unique violation on (session_id, kind): the
/// session already has one of this kind.
pub async fn insert_evaluation(
    ex: Ex<'_>,
    session_id: Uuid,
    kind: &str,
    title: &str,
    opens_on: Date,
    closes_on: Date,
) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO evaluations (id, session_id, kind, title, opens_on, closes_on, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(session_id)
        .bind(kind)
        .bind(title)
        .bind(opens_on)
        .bind(closes_on)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

/// Copies the template's questions, in order, into the questionnaire.
pub async fn copy_questions(ex: Ex<'_>, evaluation_id: Uuid, questions: &[QuestionRow]) -> DbResult<()> {
    let mut ex = ex;
    for (n, q) in questions.iter().enumerate() {
        ex.reborrow()
            .execute(
                query(
                    "INSERT INTO evaluation_items (id, evaluation_id, position, kind, label) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(crate::new_id())
                .bind(evaluation_id)
                .bind(n as i64 + 1)
                .bind(q.kind.as_str())
                .bind(q.label.as_str()),
            )
            .await?;
    }
    Ok(())
}

pub async fn items(ex: Ex<'_>, evaluation_id: Uuid) -> DbResult<Vec<QuestionRow>> {
    ex.fetch_all(
        query("SELECT id, position, kind, label FROM evaluation_items WHERE evaluation_id = $1 ORDER BY position")
            .bind(evaluation_id),
    )
    .await
}

/// Who is asked: everyone enrolled in the session; once attendance has
/// been taken for the session, only those present at least once. Adds the
/// missing invitations and withdraws those not yet mailed nor answered of
/// people no longer eligible (cancelled, or absent throughout).
pub async fn sync_invitations(mut ex: Ex<'_>, evaluation_id: Uuid, session_id: Uuid) -> DbResult<()> {
    const ELIGIBLE: &str = "SELECT e.user_id FROM enrolments e WHERE e.session_id = $2 AND e.status = 'inscrit' \
        AND (NOT EXISTS (SELECT 1 FROM attendance a JOIN session_slots s ON s.id = a.slot_id WHERE s.session_id = $2) \
        OR EXISTS (SELECT 1 FROM attendance a JOIN session_slots s ON s.id = a.slot_id \
                   WHERE s.session_id = $2 AND a.user_id = e.user_id AND a.status = 'present'))";
    ex.reborrow()
        .execute(
            Query::dynamic(format!(
                "INSERT INTO evaluation_invitations (evaluation_id, user_id, answered) \
                 SELECT $1, x.user_id, $3 FROM ({ELIGIBLE}) x WHERE 1 = 1 \
                 ON CONFLICT (evaluation_id, user_id) DO NOTHING"
            ))
            .bind(evaluation_id)
            .bind(session_id)
            .bind(false),
        )
        .await?;
    ex.execute(
        Query::dynamic(format!(
            "DELETE FROM evaluation_invitations WHERE evaluation_id = $1 AND answered = $3 \
             AND notified_on IS NULL AND user_id NOT IN ({ELIGIBLE})"
        ))
        .bind(evaluation_id)
        .bind(session_id)
        .bind(false),
    )
    .await?;
    Ok(())
}

/// A questionnaire open on `today` whose invitations have not all been mailed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueRow {
    pub id: Uuid,
    pub session_id: Uuid,
}

pub async fn due(ex: Ex<'_>, today: Date) -> DbResult<Vec<DueRow>> {
    ex.fetch_all(
        query(
            "SELECT e.id, e.session_id FROM evaluations e WHERE e.opens_on <= $1 AND e.closes_on >= $1 \
             ORDER BY e.opens_on, e.id",
        )
        .bind(today),
    )
    .await
}

/// An invitation to mail: who, and what about.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ToNotify {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
}

pub async fn not_notified(ex: Ex<'_>, evaluation_id: Uuid) -> DbResult<Vec<ToNotify>> {
    ex.fetch_all(
        query(
            "SELECT i.user_id, u.email, u.display_name FROM evaluation_invitations i JOIN users u ON u.id = i.user_id \
             WHERE i.evaluation_id = $1 AND i.notified_on IS NULL AND i.answered = $2 ORDER BY u.email",
        )
        .bind(evaluation_id)
        .bind(false),
    )
    .await
}

/// Marks the invitation mailed; 0 if someone else did it first.
pub async fn mark_notified(ex: Ex<'_>, evaluation_id: Uuid, user_id: Uuid, today: Date) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE evaluation_invitations SET notified_on = $3 \
             WHERE evaluation_id = $1 AND user_id = $2 AND notified_on IS NULL",
        )
        .bind(evaluation_id)
        .bind(user_id)
        .bind(today),
    )
    .await
}

/// The people invited to a questionnaire (the demo answers for them).
pub async fn invited(ex: Ex<'_>, evaluation_id: Uuid) -> DbResult<Vec<Uuid>> {
    let rows: Vec<(Uuid,)> = ex
        .fetch_all(
            query("SELECT user_id FROM evaluation_invitations WHERE evaluation_id = $1 ORDER BY user_id")
                .bind(evaluation_id),
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// `Some(answered)` if the person is invited.
pub async fn invitation(ex: Ex<'_>, evaluation_id: Uuid, user_id: Uuid) -> DbResult<Option<bool>> {
    let row: Option<(bool,)> = ex
        .fetch_optional(
            query("SELECT answered FROM evaluation_invitations WHERE evaluation_id = $1 AND user_id = $2")
                .bind(evaluation_id)
                .bind(user_id),
        )
        .await?;
    Ok(row.map(|r| r.0))
}

/// Records that the person answered; 0 if they already had (a second
/// submission, even a simultaneous one, changes nothing: the row is
/// locked by the first update until its transaction ends).
/// Rewrites every invitation of a questionnaire unchanged. Called in the
/// transaction of each answer so that the rows it writes are not the only
/// ones of that transaction: on PostgreSQL every row carries the id of the
/// transaction that last wrote it (`xmin`), which would otherwise tie the
/// person's invitation to their anonymous response.
pub async fn touch_invitations(ex: Ex<'_>, evaluation_id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("UPDATE evaluation_invitations SET answered = answered WHERE evaluation_id = $1").bind(evaluation_id),
    )
    .await
}

pub async fn mark_answered(ex: Ex<'_>, evaluation_id: Uuid, user_id: Uuid) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE evaluation_invitations SET answered = $3 \
             WHERE evaluation_id = $1 AND user_id = $2 AND answered = $4",
        )
        .bind(evaluation_id)
        .bind(user_id)
        .bind(true)
        .bind(false),
    )
    .await
}

/// An anonymous response: a random (v4) id chosen by the caller, the date only.
pub async fn insert_response(ex: Ex<'_>, id: Uuid, evaluation_id: Uuid, on: Date) -> DbResult<()> {
    ex.execute(
        query("INSERT INTO evaluation_responses (id, evaluation_id, submitted_on) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(evaluation_id)
            .bind(on),
    )
    .await?;
    Ok(())
}

pub async fn insert_answer(
    ex: Ex<'_>,
    response_id: Uuid,
    item_id: Uuid,
    score: Option<i64>,
    text: Option<&str>,
) -> DbResult<()> {
    ex.execute(
        query("INSERT INTO evaluation_answers (response_id, item_id, score, text) VALUES ($1, $2, $3, $4)")
            .bind(response_id)
            .bind(item_id)
            .bind(score)
            .bind(text),
    )
    .await?;
    Ok(())
}

/// How many answers gave each score to each item of these questionnaires.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScoreCount {
    pub item_id: Uuid,
    pub score: i64,
    pub n: i64,
}

pub async fn score_counts(ex: Ex<'_>, evaluations: &[Uuid]) -> DbResult<Vec<ScoreCount>> {
    if evaluations.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = query("").bind_list(evaluations);
    let sql = format!(
        "SELECT a.item_id, a.score, COUNT(*) AS n FROM evaluation_answers a \
         JOIN evaluation_items i ON i.id = a.item_id \
         WHERE i.evaluation_id IN ({marks}) AND a.score IS NOT NULL GROUP BY a.item_id, a.score"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// The free-text answers to the items of these questionnaires, sorted by
/// text (never in submission order, which could tell who wrote what).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TextAnswer {
    pub item_id: Uuid,
    pub text: String,
}

pub async fn text_answers(ex: Ex<'_>, evaluations: &[Uuid]) -> DbResult<Vec<TextAnswer>> {
    if evaluations.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = query("").bind_list(evaluations);
    let sql = format!(
        "SELECT a.item_id, a.text FROM evaluation_answers a JOIN evaluation_items i ON i.id = a.item_id \
         WHERE i.evaluation_id IN ({marks}) AND a.text IS NOT NULL AND a.text <> '' ORDER BY a.text"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// The items of these questionnaires (to group the results by question).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRef {
    pub id: Uuid,
    pub evaluation_id: Uuid,
    pub position: i64,
    pub kind: String,
    pub label: String,
}

pub async fn items_of(ex: Ex<'_>, evaluations: &[Uuid]) -> DbResult<Vec<ItemRef>> {
    if evaluations.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = query("").bind_list(evaluations);
    let sql = format!(
        "SELECT id, evaluation_id, position, kind, label FROM evaluation_items \
         WHERE evaluation_id IN ({marks}) ORDER BY position, id"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// The questionnaires a person is invited to and has not answered, open on
/// `today`, with their session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingRow {
    pub id: Uuid,
    pub kind: String,
    pub title: String,
    pub closes_on: Date,
    pub session_id: Uuid,
    pub module_title: String,
    pub starts_on: Date,
    pub school_name: String,
}

pub async fn pending_for(ex: Ex<'_>, user_id: Uuid, today: Date) -> DbResult<Vec<PendingRow>> {
    ex.fetch_all(
        query(
            "SELECT e.id, e.kind, e.title, e.closes_on, t.id AS session_id, m.title AS module_title, t.starts_on, \
             s.name AS school_name FROM evaluation_invitations i \
             JOIN evaluations e ON e.id = i.evaluation_id \
             JOIN training_sessions t ON t.id = e.session_id \
             JOIN modules m ON m.id = t.module_id JOIN schools s ON s.id = t.school_id \
             WHERE i.user_id = $1 AND i.answered = $2 AND e.opens_on <= $3 AND e.closes_on >= $3 \
             ORDER BY e.closes_on, e.id",
        )
        .bind(user_id)
        .bind(false)
        .bind(today),
    )
    .await
}

/// A session as the results pages list it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRef {
    pub id: Uuid,
    pub school_id: Uuid,
    pub module_title: String,
    pub starts_on: Date,
}

/// The sessions of a module, by date.
pub async fn sessions_of_module(ex: Ex<'_>, module_id: Uuid) -> DbResult<Vec<SessionRef>> {
    ex.fetch_all(
        query(
            "SELECT t.id, t.school_id, m.title AS module_title, t.starts_on FROM training_sessions t \
             JOIN modules m ON m.id = t.module_id WHERE t.module_id = $1 ORDER BY t.starts_on, t.id",
        )
        .bind(module_id),
    )
    .await
}

/// The sessions a trainer runs, by date.
pub async fn sessions_of_trainer(ex: Ex<'_>, trainer_id: Uuid) -> DbResult<Vec<SessionRef>> {
    ex.fetch_all(
        query(
            "SELECT t.id, t.school_id, m.title AS module_title, t.starts_on FROM session_trainers st \
             JOIN training_sessions t ON t.id = st.session_id JOIN modules m ON m.id = t.module_id \
             WHERE st.trainer_id = $1 ORDER BY t.starts_on, t.id",
        )
        .bind(trainer_id),
    )
    .await
}

/// Whether this account is one of the session's trainers.
pub async fn trains(ex: Ex<'_>, session_id: Uuid, user_id: Uuid) -> DbResult<bool> {
    let n = ex
        .fetch_scalar(
            query(
                "SELECT COUNT(*) FROM session_trainers st JOIN trainers tr ON tr.id = st.trainer_id \
                 WHERE st.session_id = $1 AND tr.user_id = $2",
            )
            .bind(session_id)
            .bind(user_id),
        )
        .await?;
    Ok(n > 0)
}

/// A trainer: their school and linked account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TrainerRef {
    pub id: Uuid,
    pub school_id: Uuid,
    pub user_id: Option<Uuid>,
    pub name: String,
}

pub async fn trainer(ex: Ex<'_>, id: Uuid) -> DbResult<Option<TrainerRef>> {
    ex.fetch_optional(query("SELECT id, school_id, user_id, name FROM trainers WHERE id = $1").bind(id))
        .await
}
