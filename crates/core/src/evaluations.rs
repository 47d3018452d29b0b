//! Evaluations « à chaud » (right after a session) and « à froid » (months
//! later, seed 003: what was applied, tools against the reality of the
//! work): question templates a school edits, questionnaires opened for a
//! session (the template's questions are copied, so editing the template
//! never changes what was asked), invitations mailed when the questionnaire
//! opens, anonymous answers, and aggregated results per session, module and
//! trainer — shown only from [`THRESHOLD`] answers on.

use maillage_db::{
    Ex,
    evaluations::{self as db, EvaluationRow, QuestionRow},
    training_sessions,
};
use time::{Date, Duration};
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors, catalogue,
    enrolment::{self, Session},
    mail::{self, Mail},
    policy::{self, Action},
    schools,
};

/// Results are shown from this many answers on: fewer could be traced back
/// to the people who gave them.
pub const THRESHOLD: i64 = maillage_db::statistics::MIN_ANSWERS;
/// Questions per template at most (each becomes a form field).
pub const MAX_QUESTIONS: usize = 40;
const LABEL_MAX: usize = 300;
const TEXT_MAX: usize = 4000;

/// Form field names of the answers, by position (field errors need `'static` names).
const FIELDS: [&str; MAX_QUESTIONS] = [
    "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10", "q11", "q12", "q13", "q14", "q15", "q16", "q17",
    "q18", "q19", "q20", "q21", "q22", "q23", "q24", "q25", "q26", "q27", "q28", "q29", "q30", "q31", "q32", "q33",
    "q34", "q35", "q36", "q37", "q38", "q39", "q40",
];

/// The answer field of the item at `position` (1-based).
pub fn field(position: i64) -> &'static str {
    FIELDS.get((position.max(1) - 1) as usize).copied().unwrap_or("q40")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Right after the session.
    Chaud,
    /// Months later.
    Froid,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Chaud, Kind::Froid];
    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim() {
            "chaud" => Some(Kind::Chaud),
            "froid" => Some(Kind::Froid),
            _ => None,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Kind::Chaud => "chaud",
            Kind::Froid => "froid",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Kind::Chaud => "à chaud",
            Kind::Froid => "à froid",
        }
    }
    /// When a questionnaire of this kind opens and closes by default: à
    /// chaud on the session's last day for three weeks; à froid three months
    /// after the end, for a month.
    pub fn default_dates(self, session_ends_on: Date) -> (Date, Date) {
        match self {
            Kind::Chaud => (session_ends_on, session_ends_on + Duration::weeks(3)),
            Kind::Froid => {
                let opens = add_months(session_ends_on, 3);
                (opens, add_months(opens, 1))
            }
        }
    }
}

/// `d` plus `n` months, on the last day of the month when it is shorter.
fn add_months(d: Date, n: u8) -> Date {
    let total = d.month() as i32 - 1 + i32::from(n);
    let year = d.year() + total / 12;
    let month = time::Month::try_from((total % 12 + 1) as u8).unwrap_or(time::Month::January);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, d.day().min(last)).unwrap_or(d)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionKind {
    /// A score from 1 to 5.
    Note,
    /// A free answer.
    Texte,
}

impl QuestionKind {
    pub fn parse(s: &str) -> Option<QuestionKind> {
        match s.trim() {
            "note" => Some(QuestionKind::Note),
            "texte" => Some(QuestionKind::Texte),
            _ => None,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            QuestionKind::Note => "note",
            QuestionKind::Texte => "texte",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            QuestionKind::Note => "note de 1 à 5",
            QuestionKind::Texte => "réponse libre",
        }
    }
}

/// The words of each score, shown next to the number (never a colour alone).
pub const SCALE: [&str; 5] = [
    "1 — pas du tout satisfait",
    "2 — peu satisfait",
    "3 — moyennement satisfait",
    "4 — satisfait",
    "5 — très satisfait",
];

#[derive(Debug, Clone)]
pub struct Question {
    pub id: Uuid,
    pub position: i64,
    pub kind: QuestionKind,
    pub label: String,
}

impl From<QuestionRow> for Question {
    fn from(r: QuestionRow) -> Question {
        Question {
            id: r.id,
            position: r.position,
            kind: QuestionKind::parse(&r.kind).unwrap_or(QuestionKind::Texte),
            label: r.label,
        }
    }
}

// ---------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct TemplateSummary {
    pub id: Uuid,
    pub school_id: Uuid,
    pub kind: Kind,
    pub title: String,
    pub questions: i64,
}

impl From<db::TemplateRow> for TemplateSummary {
    fn from(r: db::TemplateRow) -> TemplateSummary {
        TemplateSummary {
            id: r.id,
            school_id: r.school_id,
            kind: Kind::parse(&r.kind).unwrap_or(Kind::Chaud),
            title: r.title,
            questions: r.questions,
        }
    }
}

/// A school the viewer manages, with its templates and the kinds it has none of.
#[derive(Debug, Clone)]
pub struct SchoolTemplates {
    pub school_id: Uuid,
    pub school_name: String,
    pub templates: Vec<TemplateSummary>,
    pub missing: Vec<Kind>,
}

/// The templates of the schools the viewer manages; 403 for those who manage none.
pub async fn templates(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<SchoolTemplates>> {
    policy::require(actor, &Action::ViewCatalogue)?;
    let schools = schools::manageable(ctx, actor).await?;
    if schools.is_empty() {
        return Err(CoreError::Forbidden);
    }
    let ids: Vec<Uuid> = schools.iter().map(|s| s.id).collect();
    let mut conn = ctx.db.conn().await?;
    let rows = db::templates_of(conn.ex(), &ids).await?;
    Ok(schools
        .into_iter()
        .map(|s| {
            let templates: Vec<TemplateSummary> = rows
                .iter()
                .filter(|r| r.school_id == s.id)
                .cloned()
                .map(TemplateSummary::from)
                .collect();
            let missing = Kind::ALL
                .into_iter()
                .filter(|k| !templates.iter().any(|t| t.kind == *k))
                .collect();
            SchoolTemplates {
                school_id: s.id,
                school_name: s.name,
                templates,
                missing,
            }
        })
        .collect())
}

/// `ManageEvaluationTemplates` on this school (404 for anyone else).
async fn require_templates(ctx: &Ctx, actor: &Actor, school_id: Uuid) -> CoreResult<()> {
    policy::require(actor, &Action::ViewCatalogue)?;
    let school = schools::get(ctx, school_id).await?;
    let ids: Vec<Uuid> = school.organisations.iter().map(|o| o.id).collect();
    policy::require(actor, &Action::ManageEvaluationTemplates { organisations: &ids })
}

#[derive(Debug, Clone)]
pub struct Template {
    pub id: Uuid,
    pub school_id: Uuid,
    pub school_name: String,
    pub kind: Kind,
    pub title: String,
    pub questions: Vec<Question>,
}

/// One template with its questions, for its school's managers.
pub async fn template(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Template> {
    policy::require(actor, &Action::ViewCatalogue)?;
    let mut conn = ctx.db.conn().await?;
    let row = db::template(conn.ex(), id).await?.ok_or(CoreError::NotFound)?;
    let questions = db::questions(conn.ex(), id).await?;
    drop(conn);
    require_templates(ctx, actor, row.school_id).await?;
    Ok(Template {
        id: row.id,
        school_id: row.school_id,
        school_name: row.school_name,
        kind: Kind::parse(&row.kind).unwrap_or(Kind::Chaud),
        title: row.title,
        questions: questions.into_iter().map(Question::from).collect(),
    })
}

/// A new template, as typed.
#[derive(Debug, Clone, Default)]
pub struct TemplateInput {
    pub school: String,
    pub kind: String,
    pub title: String,
}

fn clean_label(errors: &mut FieldErrors, field: &'static str, value: &str, what: &str) -> String {
    let v = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if v.is_empty() {
        errors.add(field, format!("Saisissez {what}."));
    } else if v.chars().count() > LABEL_MAX {
        errors.add(
            field,
            format!("Le texte est trop long ({LABEL_MAX} caractères au plus)."),
        );
    }
    v
}

/// Creates an empty template for a school the viewer manages.
pub async fn create_template(ctx: &Ctx, actor: &Actor, input: &TemplateInput) -> CoreResult<Uuid> {
    policy::require(actor, &Action::ViewCatalogue)?;
    let mut errors = FieldErrors::new();
    let school = Uuid::parse_str(input.school.trim()).ok();
    match school {
        Some(s) => require_templates(ctx, actor, s).await?,
        None => errors.add("school", "Choisissez l'école du questionnaire."),
    }
    let kind = Kind::parse(&input.kind);
    if kind.is_none() {
        errors.add("kind", "Choisissez « à chaud » ou « à froid ».");
    }
    let title = clean_label(&mut errors, "title", &input.title, "le titre du questionnaire");
    errors.into_result()?;
    let (school, kind) = (school.expect("checked"), kind.expect("checked"));
    let mut tx = ctx.db.begin().await?;
    let id = db::insert_template(tx.ex(), school, kind.key(), &title).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "evaluation.template.create",
        &id.to_string(),
        &title,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The default questions of each kind (seed 003 for « à froid »).
pub fn default_questions(kind: Kind) -> (&'static str, Vec<(QuestionKind, &'static str)>) {
    use QuestionKind::{Note, Texte};
    match kind {
        Kind::Chaud => (
            "Questionnaire à chaud",
            vec![
                (Note, "Votre satisfaction globale sur la formation"),
                (Note, "Le contenu de la formation"),
                (Note, "L'intervention de la formatrice ou du formateur"),
                (Note, "L'organisation (lieu, horaires, accueil)"),
                (Texte, "Ce que vous retenez"),
                (Texte, "À améliorer"),
            ],
        ),
        Kind::Froid => (
            "Questionnaire à froid",
            vec![
                (Texte, "Qu'avez-vous mis en application depuis la formation ?"),
                (Note, "Les outils sont-ils adaptés à la réalité de votre travail ?"),
                (Texte, "Les outils et la réalité de votre travail : précisez"),
                (Texte, "Quels freins avez-vous rencontrés ?"),
                (Texte, "Quels besoins de formation complémentaires ?"),
            ],
        ),
    }
}

/// Writes the default template of `kind` for a school (no permission check:
/// callers check, or are the demo).
pub(crate) async fn insert_default(mut ex: Ex<'_>, school_id: Uuid, kind: Kind) -> CoreResult<Uuid> {
    let (title, questions) = default_questions(kind);
    let id = db::insert_template(ex.reborrow(), school_id, kind.key(), title).await?;
    for (k, label) in questions {
        db::insert_question(ex.reborrow(), id, k.key(), label).await?;
    }
    Ok(id)
}

/// Creates the default template of a kind for a school the viewer manages.
pub async fn create_default_template(ctx: &Ctx, actor: &Actor, school: &str, kind: &str) -> CoreResult<Uuid> {
    policy::require(actor, &Action::ViewCatalogue)?;
    let school = Uuid::parse_str(school.trim()).map_err(|_| CoreError::NotFound)?;
    require_templates(ctx, actor, school).await?;
    let kind =
        Kind::parse(kind).ok_or_else(|| FieldErrors::single("kind", "Choisissez « à chaud » ou « à froid »."))?;
    let mut tx = ctx.db.begin().await?;
    let id = insert_default(tx.ex(), school, kind).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "evaluation.template.create",
        &id.to_string(),
        default_questions(kind).0,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds a question at the end of a template.
pub async fn add_question(ctx: &Ctx, actor: &Actor, template_id: Uuid, kind: &str, label: &str) -> CoreResult<()> {
    let t = template(ctx, actor, template_id).await?;
    let mut errors = FieldErrors::new();
    let kind = QuestionKind::parse(kind);
    if kind.is_none() {
        errors.add(
            "kind",
            "Choisissez le type de question : note de 1 à 5 ou réponse libre.",
        );
    }
    let label = clean_label(&mut errors, "label", label, "le texte de la question");
    if t.questions.len() >= MAX_QUESTIONS {
        errors.add(
            "label",
            format!("Un questionnaire compte {MAX_QUESTIONS} questions au plus."),
        );
    }
    errors.into_result()?;
    let mut tx = ctx.db.begin().await?;
    db::insert_question(tx.ex(), template_id, kind.expect("checked").key(), &label).await?;
    db::touch_template(tx.ex(), template_id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "evaluation.template.update",
        &template_id.to_string(),
        &t.title,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What to do to one question of a template.
#[derive(Debug, Clone)]
pub enum QuestionEdit {
    Reword(String),
    Up,
    Down,
    Remove,
}

/// Rewords, moves or removes a question of a template. Questionnaires
/// already opened keep their own copy.
pub async fn edit_question(
    ctx: &Ctx,
    actor: &Actor,
    template_id: Uuid,
    question_id: Uuid,
    edit: &QuestionEdit,
) -> CoreResult<()> {
    let t = template(ctx, actor, template_id).await?;
    let i = t
        .questions
        .iter()
        .position(|q| q.id == question_id)
        .ok_or(CoreError::NotFound)?;
    let row = |q: &Question| QuestionRow {
        id: q.id,
        position: q.position,
        kind: q.kind.key().to_owned(),
        label: q.label.clone(),
    };
    let mut tx = ctx.db.begin().await?;
    match edit {
        QuestionEdit::Reword(label) => {
            let mut errors = FieldErrors::new();
            let label = clean_label(&mut errors, "label", label, "le texte de la question");
            errors.into_result()?;
            db::set_question_label(tx.ex(), template_id, question_id, &label).await?;
        }
        QuestionEdit::Up if i > 0 => {
            db::swap_questions(tx.ex(), template_id, &row(&t.questions[i]), &row(&t.questions[i - 1])).await?;
        }
        QuestionEdit::Down if i + 1 < t.questions.len() => {
            db::swap_questions(tx.ex(), template_id, &row(&t.questions[i]), &row(&t.questions[i + 1])).await?;
        }
        QuestionEdit::Up | QuestionEdit::Down => {}
        QuestionEdit::Remove => {
            db::delete_question(tx.ex(), template_id, question_id).await?;
        }
    }
    db::touch_template(tx.ex(), template_id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "evaluation.template.update",
        &template_id.to_string(),
        &t.title,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Questionnaires of a session
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct Evaluation {
    pub id: Uuid,
    pub session_id: Uuid,
    pub kind: Kind,
    pub title: String,
    pub opens_on: Date,
    pub closes_on: Date,
    pub invited: i64,
    pub answered: i64,
    pub responses: i64,
}

impl From<EvaluationRow> for Evaluation {
    fn from(r: EvaluationRow) -> Evaluation {
        Evaluation {
            id: r.id,
            session_id: r.session_id,
            kind: Kind::parse(&r.kind).unwrap_or(Kind::Chaud),
            title: r.title,
            opens_on: r.opens_on,
            closes_on: r.closes_on,
            invited: r.invited,
            answered: r.answered,
            responses: r.responses,
        }
    }
}

impl Evaluation {
    pub fn is_open(&self, today: impl std::borrow::Borrow<Date>) -> bool {
        let today = *today.borrow();
        self.opens_on <= today && today <= self.closes_on
    }
    pub fn not_yet_open(&self, today: impl std::borrow::Borrow<Date>) -> bool {
        *today.borrow() < self.opens_on
    }
    /// « 3 réponses sur 4 (75 %) ».
    pub fn rate(&self) -> String {
        rate(self.answered, self.invited)
    }
}

/// « 12/03/2026 », for mails and messages.
fn fr_date(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month() as u8, d.year())
}

/// « 3 sur 4 (75 %) », or « aucune personne invitée ».
pub fn rate(answered: i64, invited: i64) -> String {
    if invited == 0 {
        "aucune personne invitée".to_owned()
    } else {
        format!(
            "{answered} sur {invited} ({} %)",
            (answered * 100 + invited / 2) / invited
        )
    }
}

/// A questionnaire to open, as typed.
#[derive(Debug, Clone, Default)]
pub struct OpenInput {
    pub template: String,
    pub opens_on: String,
    pub closes_on: String,
}

/// Whether the viewer may see the results of this session's questionnaires,
/// and whether they manage it.
async fn access(ctx: &Ctx, actor: &Actor, session: &Session) -> CoreResult<(bool, bool)> {
    let manages = enrolment::can_manage(ctx, actor, session).await?;
    let trains = match actor.user_id() {
        Some(me) => {
            let mut conn = ctx.db.conn().await?;
            db::trains(conn.ex(), session.id, me).await?
        }
        None => false,
    };
    Ok((manages, trains))
}

/// Opens a questionnaire for a session from one of its school's templates:
/// the questions are copied, and everyone enrolled is invited.
pub async fn open(ctx: &Ctx, actor: &Actor, session_id: Uuid, input: &OpenInput) -> CoreResult<Uuid> {
    let session = enrolment::get(ctx, actor, session_id).await?;
    catalogue::require_manage(ctx, actor, session.school_id).await?;
    let mut errors = FieldErrors::new();
    let template = match Uuid::parse_str(input.template.trim()) {
        Ok(id) => {
            let mut conn = ctx.db.conn().await?;
            db::template(conn.ex(), id)
                .await?
                .filter(|t| t.school_id == session.school_id)
        }
        Err(_) => None,
    };
    if template.is_none() {
        errors.add("template", "Choisissez un questionnaire de l'école.");
    }
    // Dates left empty: the kind's defaults (see `Kind::default_dates`).
    let defaults = template
        .as_ref()
        .and_then(|t| Kind::parse(&t.kind))
        .map(|k| k.default_dates(session.ends_on));
    let date_or_default = |errors: &mut FieldErrors, field, value: &str, default: Option<Date>| {
        if value.trim().is_empty() && default.is_some() {
            default
        } else {
            crate::dates::date_field(errors, field, value, true)
        }
    };
    let opens_on = date_or_default(&mut errors, "opens_on", &input.opens_on, defaults.map(|d| d.0));
    let closes_on = date_or_default(&mut errors, "closes_on", &input.closes_on, defaults.map(|d| d.1));
    if let (Some(o), Some(c)) = (opens_on, closes_on)
        && c < o
    {
        errors.add("closes_on", "La date de clôture précède la date d'ouverture.");
    }
    if let Some(o) = opens_on
        && o < session.starts_on
    {
        errors.add(
            "opens_on",
            "Le questionnaire ne peut pas ouvrir avant le début de la session.",
        );
    }
    if let Some(c) = closes_on
        && c < enrolment::today()
    {
        errors.add("closes_on", "La date de clôture est déjà passée.");
    }
    let questions = match &template {
        Some(t) => {
            let mut conn = ctx.db.conn().await?;
            db::questions(conn.ex(), t.id).await?
        }
        None => Vec::new(),
    };
    if template.is_some() && questions.is_empty() {
        errors.add(
            "template",
            "Ce questionnaire ne contient aucune question : ajoutez-en avant de l'ouvrir.",
        );
    }
    errors.into_result()?;
    let template = template.expect("checked");
    let (opens_on, closes_on) = (opens_on.expect("checked"), closes_on.expect("checked"));
    let mut tx = ctx.db.begin().await?;
    let id = match db::insert_evaluation(
        tx.ex(),
        session_id,
        &template.kind,
        &template.title,
        opens_on,
        closes_on,
    )
    .await
    {
        Ok(id) => id,
        Err(e) if e.is_unique_on("evaluations") || e.is_unique_on("session_id") => {
            let kind = Kind::parse(&template.kind).unwrap_or(Kind::Chaud);
            return Err(CoreError::Conflict(format!(
                "Cette session a déjà un questionnaire {} : il n'y en a qu'un de chaque sorte par session.",
                kind.label()
            )));
        }
        Err(e) => return Err(e.into()),
    };
    db::copy_questions(tx.ex(), id, &questions).await?;
    db::sync_invitations(tx.ex(), id, session_id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "evaluation.open",
        &id.to_string(),
        &session.module_title,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A session's questionnaires as its managers and trainers see them.
#[derive(Debug, Clone)]
pub struct SessionEvaluations {
    pub session: Session,
    /// The viewer organises the session (may open questionnaires).
    pub manages: bool,
    /// The school's templates (for managers).
    pub templates: Vec<TemplateSummary>,
    pub evaluations: Vec<(Evaluation, Results)>,
}

pub async fn of_session(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<SessionEvaluations> {
    let session = enrolment::get(ctx, actor, session_id).await?;
    let (manages, trains) = access(ctx, actor, &session).await?;
    policy::require(
        actor,
        &Action::ViewEvaluationResults {
            manages_school: manages,
            trains_session: trains,
        },
    )?;
    let mut conn = ctx.db.conn().await?;
    let templates = if manages {
        db::templates_of(conn.ex(), &[session.school_id])
            .await?
            .into_iter()
            .map(TemplateSummary::from)
            .collect()
    } else {
        Vec::new()
    };
    let mut evaluations = Vec::new();
    for row in db::of_sessions(conn.ex(), &[session_id]).await? {
        let results = aggregate(conn.ex(), std::slice::from_ref(&row)).await?;
        evaluations.push((Evaluation::from(row), results));
    }
    Ok(SessionEvaluations {
        session,
        manages,
        templates,
        evaluations,
    })
}

// ---------------------------------------------------------------------------
// Answering
// ---------------------------------------------------------------------------

/// Where the viewer stands with a questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Invited, open, not answered yet: the form.
    ToAnswer,
    Answered,
    NotYetOpen,
    Closed,
    /// Not invited, but organises the session: a preview of the questions.
    Preview,
}

#[derive(Debug, Clone)]
pub struct Questionnaire {
    pub evaluation: Evaluation,
    pub session: Session,
    pub items: Vec<Question>,
    pub standing: Standing,
}

/// A questionnaire for the person invited to it (or, as a preview, for the
/// session's organisers); 403 for anyone else who may see the session.
pub async fn questionnaire(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Questionnaire> {
    let me = actor.user().ok_or(CoreError::Unauthenticated)?.id;
    let mut conn = ctx.db.conn().await?;
    let row = db::evaluation(conn.ex(), id).await?.ok_or(CoreError::NotFound)?;
    drop(conn);
    let session = enrolment::get(ctx, actor, row.session_id).await?;
    let mut conn = ctx.db.conn().await?;
    let invitation = db::invitation(conn.ex(), id, me).await?;
    let items = db::items(conn.ex(), id).await?;
    drop(conn);
    let evaluation = Evaluation::from(row);
    let today = enrolment::today();
    if invitation.is_some() {
        policy::require(actor, &Action::AnswerEvaluation { invited: true })?;
    }
    let standing = match invitation {
        Some(true) => Standing::Answered,
        Some(false) if today < evaluation.opens_on => Standing::NotYetOpen,
        Some(false) if today > evaluation.closes_on => Standing::Closed,
        Some(false) => Standing::ToAnswer,
        None => {
            let (manages, trains) = access(ctx, actor, &session).await?;
            policy::require(
                actor,
                &Action::ViewEvaluationResults {
                    manages_school: manages,
                    trains_session: trains,
                },
            )?;
            Standing::Preview
        }
    };
    Ok(Questionnaire {
        evaluation,
        session,
        items: items.into_iter().map(Question::from).collect(),
        standing,
    })
}

/// Records an anonymous response: the scores and texts under a random id
/// with today's date, and the invitation marked answered, in one
/// transaction — never which response is whose. `answers` are the form's
/// pairs (`q1` = "4", `q5` = "texte"…).
pub async fn answer(ctx: &Ctx, actor: &Actor, id: Uuid, answers: &[(String, String)]) -> CoreResult<()> {
    let me = actor.user().ok_or(CoreError::Unauthenticated)?.id;
    let q = questionnaire(ctx, actor, id).await?;
    policy::require(
        actor,
        &Action::AnswerEvaluation {
            invited: q.standing != Standing::Preview,
        },
    )?;
    match q.standing {
        Standing::ToAnswer => {}
        Standing::Answered => {
            return Err(CoreError::Conflict(
                "Vous avez déjà répondu à ce questionnaire : merci ! Une seule réponse est possible.".into(),
            ));
        }
        Standing::NotYetOpen => {
            return Err(CoreError::Conflict(format!(
                "Ce questionnaire n'est pas encore ouvert : il ouvrira le {}.",
                fr_date(q.evaluation.opens_on)
            )));
        }
        Standing::Preview => {
            return Err(CoreError::Conflict(
                "Vous n'êtes pas invité·e à répondre à ce questionnaire : seules les personnes inscrites à la session le sont.".into(),
            ));
        }
        Standing::Closed => {
            return Err(CoreError::Conflict(
                "Ce questionnaire est clos : il n'est plus possible d'y répondre.".into(),
            ));
        }
    }
    let value = |name: &str| {
        answers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    };
    let mut errors = FieldErrors::new();
    let mut parsed: Vec<(Uuid, Option<i64>, Option<String>)> = Vec::new();
    for item in &q.items {
        let name = field(item.position);
        let v = value(name);
        match item.kind {
            QuestionKind::Note => match v.parse::<i64>() {
                Ok(n) if (1..=5).contains(&n) => parsed.push((item.id, Some(n), None)),
                _ => errors.add(name, format!("« {} » : choisissez une note de 1 à 5.", item.label)),
            },
            QuestionKind::Texte => {
                if v.chars().count() > TEXT_MAX {
                    errors.add(
                        name,
                        format!(
                            "« {} » : la réponse est trop longue ({TEXT_MAX} caractères au plus).",
                            item.label
                        ),
                    );
                }
                parsed.push((item.id, None, Some(v.to_owned()).filter(|t| !t.is_empty())));
            }
        }
    }
    errors.into_result()?;
    let mut tx = ctx.db.begin().await?;
    if db::mark_answered(tx.ex(), id, me).await? == 0 {
        return Err(CoreError::Conflict(
            "Vous avez déjà répondu à ce questionnaire : merci ! Une seule réponse est possible.".into(),
        ));
    }
    // A random id (not time-ordered like every other key) and a date with
    // no time: nothing orders the responses or ties one to its author.
    let response = Uuid::new_v4();
    db::insert_response(tx.ex(), response, id, enrolment::today()).await?;
    for (item, score, text) in &parsed {
        db::insert_answer(tx.ex(), response, *item, *score, text.as_deref()).await?;
    }
    db::touch_invitations(tx.ex(), id).await?;
    tx.commit().await?;
    Ok(())
}

/// A questionnaire waiting for the viewer's answer.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: Uuid,
    pub kind: Kind,
    pub title: String,
    pub closes_on: Date,
    pub session_id: Uuid,
    pub module_title: String,
    pub starts_on: Date,
    pub school_name: String,
}

/// The viewer's open questionnaires not yet answered.
pub async fn pending(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<Pending>> {
    policy::require(actor, &Action::UseAccount)?;
    let me = actor.user().ok_or(CoreError::Unauthenticated)?.id;
    let mut conn = ctx.db.conn().await?;
    Ok(db::pending_for(conn.ex(), me, enrolment::today())
        .await?
        .into_iter()
        .map(|r| Pending {
            id: r.id,
            kind: Kind::parse(&r.kind).unwrap_or(Kind::Chaud),
            title: r.title,
            closes_on: r.closes_on,
            session_id: r.session_id,
            module_title: r.module_title,
            starts_on: r.starts_on,
            school_name: r.school_name,
        })
        .collect())
}

// ---------------------------------------------------------------------------
// Invitations by mail
// ---------------------------------------------------------------------------

/// Mails the invitations of the questionnaires open today that have not
/// been mailed yet (each once: the invitation is marked in the same
/// transaction, and the mail carries a dedup key). Called by the job
/// worker; returns the number of mails queued.
pub async fn send_due(ctx: &Ctx) -> anyhow::Result<usize> {
    let today = enrolment::today();
    let due = {
        let mut conn = ctx.db.conn().await?;
        db::due(conn.ex(), today).await?
    };
    let site = ctx.settings.public_url();
    let mut sent = 0;
    for e in due {
        let mut tx = ctx.db.begin().await?;
        let Some(ev) = db::evaluation(tx.ex(), e.id).await? else {
            continue;
        };
        let Some(session) = training_sessions::by_id(tx.ex(), e.session_id).await? else {
            continue;
        };
        db::sync_invitations(tx.ex(), e.id, e.session_id).await?;
        let kind = Kind::parse(&ev.kind).unwrap_or(Kind::Chaud);
        for person in db::not_notified(tx.ex(), e.id).await? {
            if db::mark_notified(tx.ex(), e.id, person.user_id, today).await? == 0 {
                continue;
            }
            mail::enqueue(
                tx.ex(),
                &Mail {
                    to: person.email.clone(),
                    subject: format!("Votre avis sur « {} »", session.module_title),
                    body: format!(
                        "Bonjour {name},\n\nVous avez suivi la session « {title} » du {start} organisée par {school}. \
                         Votre avis aide l'école à améliorer ses formations : le questionnaire {kind} est ouvert \
                         jusqu'au {closes} inclus. Il est anonyme : vos réponses ne sont jamais associées à votre nom.\n\n\
                         {site}/evaluations/{id}\n",
                        name = person.display_name,
                        title = session.module_title,
                        start = fr_date(session.starts_on),
                        school = session.school_name,
                        kind = kind.label(),
                        closes = fr_date(ev.closes_on),
                        id = ev.id,
                    ),
                },
                Some(&format!("evaluation:{}:{}", ev.id, person.user_id)),
            )
            .await?;
            sent += 1;
        }
        // Invitations and mails are in no cache of public pages: no need to
        // invalidate them every minute.
        tx.commit_bookkeeping().await?;
    }
    Ok(sent)
}

// ---------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------

/// The aggregated results of one or several questionnaires.
#[derive(Debug, Clone, Default)]
pub struct Results {
    /// Questionnaires counted (those with at least [`THRESHOLD`] answers).
    pub included: i64,
    /// Questionnaires left out for having fewer answers.
    pub withheld: i64,
    pub invited: i64,
    pub answered: i64,
    /// Answers counted in the figures below.
    pub responses: i64,
    pub questions: Vec<QuestionResult>,
}

impl Results {
    pub fn rate(&self) -> String {
        rate(self.answered, self.invited)
    }
    pub fn shown(&self) -> bool {
        self.included > 0
    }
}

#[derive(Debug, Clone)]
pub struct QuestionResult {
    pub label: String,
    pub kind: QuestionKind,
    pub count: i64,
    /// Number of answers giving 1, 2, 3, 4, 5.
    pub distribution: [i64; 5],
    /// Free answers, sorted alphabetically.
    pub texts: Vec<String>,
}

impl QuestionResult {
    /// « 4,2 », or « — » without answers.
    pub fn average(&self) -> String {
        if self.count == 0 {
            return "—".to_owned();
        }
        let sum: i64 = self
            .distribution
            .iter()
            .enumerate()
            .map(|(i, n)| (i as i64 + 1) * n)
            .sum();
        let tenths = (sum * 10 + self.count / 2) / self.count;
        format!("{},{}", tenths / 10, tenths % 10)
    }
    /// The share of answers giving `score` (1–5), in percent, for the bars.
    pub fn percent(&self, score: impl std::borrow::Borrow<usize>) -> i64 {
        let score = *score.borrow();
        if self.count == 0 || !(1..=5).contains(&score) {
            0
        } else {
            self.distribution[score - 1] * 100 / self.count
        }
    }
}

/// Aggregates the questionnaires of `rows` having at least [`THRESHOLD`]
/// answers; questions are grouped by kind and wording (a template reused
/// over sessions gives one line per question).
async fn aggregate(mut ex: Ex<'_>, rows: &[EvaluationRow]) -> CoreResult<Results> {
    let mut r = Results::default();
    let mut ids = Vec::new();
    for row in rows {
        r.invited += row.invited;
        r.answered += row.answered;
        if row.responses >= THRESHOLD {
            r.included += 1;
            r.responses += row.responses;
            ids.push(row.id);
        } else {
            r.withheld += 1;
        }
    }
    if ids.is_empty() {
        return Ok(r);
    }
    let items = db::items_of(ex.reborrow(), &ids).await?;
    let scores = db::score_counts(ex.reborrow(), &ids).await?;
    let texts = db::text_answers(ex, &ids).await?;
    let mut groups: Vec<QuestionResult> = Vec::new();
    let mut item_group: Vec<(Uuid, usize)> = Vec::new();
    for item in &items {
        let kind = QuestionKind::parse(&item.kind).unwrap_or(QuestionKind::Texte);
        let g = match groups.iter().position(|g| g.kind == kind && g.label == item.label) {
            Some(g) => g,
            None => {
                groups.push(QuestionResult {
                    label: item.label.clone(),
                    kind,
                    count: 0,
                    distribution: [0; 5],
                    texts: Vec::new(),
                });
                groups.len() - 1
            }
        };
        item_group.push((item.id, g));
    }
    let group_of = |item: Uuid| item_group.iter().find(|(i, _)| *i == item).map(|(_, g)| *g);
    for s in scores {
        if let (Some(g), 1..=5) = (group_of(s.item_id), s.score) {
            groups[g].distribution[(s.score - 1) as usize] += s.n;
            groups[g].count += s.n;
        }
    }
    for t in texts {
        if let Some(g) = group_of(t.item_id) {
            groups[g].texts.push(t.text);
            groups[g].count += 1;
        }
    }
    for g in &mut groups {
        g.texts.sort();
    }
    r.questions = groups;
    Ok(r)
}

/// Results grouped by kind over several sessions, with each session's response rate.
#[derive(Debug, Clone)]
pub struct Overview {
    pub title: String,
    pub sessions: Vec<SessionLine>,
    /// One entry per kind that has questionnaires.
    pub by_kind: Vec<(Kind, Results)>,
}

#[derive(Debug, Clone)]
pub struct SessionLine {
    pub session_id: Uuid,
    pub module_title: String,
    pub starts_on: Date,
    pub evaluation: Evaluation,
}

async fn overview(ctx: &Ctx, title: String, sessions: Vec<db::SessionRef>) -> CoreResult<Overview> {
    let ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
    let mut conn = ctx.db.conn().await?;
    let rows = db::of_sessions(conn.ex(), &ids).await?;
    let mut by_kind = Vec::new();
    for kind in Kind::ALL {
        let of_kind: Vec<EvaluationRow> = rows.iter().filter(|r| r.kind == kind.key()).cloned().collect();
        if !of_kind.is_empty() {
            by_kind.push((kind, aggregate(conn.ex(), &of_kind).await?));
        }
    }
    let mut lines = Vec::new();
    for s in &sessions {
        for r in rows.iter().filter(|r| r.session_id == s.id) {
            lines.push(SessionLine {
                session_id: s.id,
                module_title: s.module_title.clone(),
                starts_on: s.starts_on,
                evaluation: Evaluation::from(r.clone()),
            });
        }
    }
    Ok(Overview {
        title,
        sessions: lines,
        by_kind,
    })
}

/// The sessions among `sessions` whose results the viewer may see.
async fn viewable(ctx: &Ctx, actor: &Actor, sessions: Vec<db::SessionRef>) -> CoreResult<Vec<db::SessionRef>> {
    let me = actor.user_id();
    let mut schools: Vec<(Uuid, bool)> = Vec::new();
    let mut out = Vec::new();
    for s in sessions {
        let manages = match schools.iter().find(|(id, _)| *id == s.school_id) {
            Some((_, m)) => *m,
            None => {
                let m = catalogue::can_manage(ctx, actor, s.school_id).await?;
                schools.push((s.school_id, m));
                m
            }
        };
        let trains = match me {
            Some(me) if !manages => {
                let mut conn = ctx.db.conn().await?;
                db::trains(conn.ex(), s.id, me).await?
            }
            _ => false,
        };
        if policy::allows(
            actor,
            &Action::ViewEvaluationResults {
                manages_school: manages,
                trains_session: trains,
            },
        ) {
            out.push(s);
        }
    }
    Ok(out)
}

/// The results of a module's sessions the viewer organises or trains in;
/// 403 when there are none of those.
pub async fn of_module(ctx: &Ctx, actor: &Actor, module_id: Uuid) -> CoreResult<Overview> {
    let module = catalogue::get(ctx, actor, module_id).await?;
    let sessions = {
        let mut conn = ctx.db.conn().await?;
        db::sessions_of_module(conn.ex(), module_id).await?
    };
    let mine = viewable(ctx, actor, sessions).await?;
    let manages_any = catalogue::can_manage(ctx, actor, module.school.id).await?;
    if mine.is_empty() {
        policy::require(
            actor,
            &Action::ViewEvaluationResults {
                manages_school: manages_any,
                trains_session: false,
            },
        )?;
    }
    overview(ctx, module.title, mine).await
}

/// The results of the sessions a trainer runs: for the trainer themself
/// (their account is linked to the trainer), and for the managers of the
/// sessions' schools (each their own sessions); hidden from anyone else.
pub async fn of_trainer(ctx: &Ctx, actor: &Actor, trainer_id: Uuid) -> CoreResult<Overview> {
    policy::require(actor, &Action::ViewCatalogue)?;
    let (trainer, sessions) = {
        let mut conn = ctx.db.conn().await?;
        let t = db::trainer(conn.ex(), trainer_id).await?.ok_or(CoreError::NotFound)?;
        let s = db::sessions_of_trainer(conn.ex(), trainer_id).await?;
        (t, s)
    };
    let is_self = trainer.user_id.is_some() && trainer.user_id == actor.user_id();
    let manages_school = catalogue::can_manage(ctx, actor, trainer.school_id).await?;
    if !policy::allows(
        actor,
        &Action::ViewEvaluationResults {
            manages_school,
            trains_session: is_self,
        },
    ) {
        // A trainer's results are theirs and their school's: others do not
        // learn what there is.
        return Err(CoreError::NotFound);
    }
    let mine = viewable(ctx, actor, sessions).await?;
    overview(ctx, trainer.name, mine).await
}

// ---------------------------------------------------------------------------
// Demo
// ---------------------------------------------------------------------------

/// For the demo: gives `school_id` the default templates it lacks and, if
/// `past_session` is given (a session already over, with people enrolled),
/// opens its « à chaud » questionnaire and records answers for all but one
/// of the invited people (marked notified: no mail goes out). Idempotent.
pub(crate) async fn seed_demo(ctx: &Ctx, school_id: Uuid, past_session: Option<Uuid>) -> anyhow::Result<()> {
    let mut tx = ctx.db.begin().await?;
    let existing = db::templates_of(tx.ex(), &[school_id]).await?;
    let mut chaud = None;
    for kind in Kind::ALL {
        let have = existing.iter().find(|t| t.kind == kind.key()).map(|t| t.id);
        let id = match have {
            Some(id) => id,
            None => insert_default(tx.ex(), school_id, kind)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        };
        if kind == Kind::Chaud {
            chaud = Some(id);
        }
    }
    if let (Some(session_id), Some(template)) = (past_session, chaud)
        && let Some(session) = training_sessions::by_id(tx.ex(), session_id).await?
        && db::of_sessions(tx.ex(), &[session_id]).await?.is_empty()
    {
        let (opens, closes) = Kind::Chaud.default_dates(session.ends_on);
        let title = default_questions(Kind::Chaud).0;
        let id = db::insert_evaluation(tx.ex(), session_id, Kind::Chaud.key(), title, opens, closes).await?;
        let questions = db::questions(tx.ex(), template).await?;
        db::copy_questions(tx.ex(), id, &questions).await?;
        db::sync_invitations(tx.ex(), id, session_id).await?;
        let items = db::items(tx.ex(), id).await?;
        let invited = db::invited(tx.ex(), id).await?;
        const REMARKS: [&str; 4] = [
            "Des outils concrets, directement utilisables avec mon équipe.",
            "Les échanges entre pairs, plus que la théorie.",
            "Un peu dense sur une journée : prévoir plus de pauses.",
            "Davantage de cas pratiques issus de nos services.",
        ];
        let answering = invited.len().saturating_sub(1);
        for (n, user) in invited.iter().enumerate() {
            db::mark_notified(tx.ex(), id, *user, opens).await?;
            if n >= answering {
                continue;
            }
            db::mark_answered(tx.ex(), id, *user).await?;
            let response = Uuid::new_v4();
            db::insert_response(tx.ex(), response, id, opens).await?;
            for (k, item) in items.iter().enumerate() {
                if item.kind == "note" {
                    let score = 3 + ((n + k) % 3) as i64;
                    db::insert_answer(tx.ex(), response, item.id, Some(score), None).await?;
                } else {
                    let text = REMARKS[(n + k) % REMARKS.len()];
                    db::insert_answer(tx.ex(), response, item.id, None, Some(text)).await?;
                }
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn default_dates() {
        assert_eq!(
            Kind::Chaud.default_dates(date!(2026 - 03 - 12)),
            (date!(2026 - 03 - 12), date!(2026 - 04 - 02))
        );
        assert_eq!(
            Kind::Froid.default_dates(date!(2026 - 11 - 30)),
            (date!(2027 - 02 - 28), date!(2027 - 03 - 28))
        );
    }

    #[test]
    fn averages_and_rates() {
        let q = QuestionResult {
            label: "x".into(),
            kind: QuestionKind::Note,
            count: 3,
            distribution: [0, 0, 1, 1, 1],
            texts: vec![],
        };
        assert_eq!(q.average(), "4,0");
        assert_eq!(q.percent(5), 33);
        assert_eq!(rate(3, 4), "3 sur 4 (75 %)");
        assert_eq!(rate(0, 0), "aucune personne invitée");
        assert_eq!(field(1), "q1");
        assert_eq!(field(40), "q40");
    }
}
