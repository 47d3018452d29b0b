//! Paths (parcours): ordered steps of modules, who must follow them, progress.
//!
//! A path belongs to a school and is seen like its modules (its school's
//! organisations, or everyone when shared). Three kinds:
//! - « libre »: a person joins or leaves it themselves;
//! - « obligatoire »: everyone with a profile in the school's organisations
//!   who took their post less than `rule_months` months ago must follow it,
//!   and is late after `post_started_on + deadline_months` if not done;
//! - « candidature »: a person applies with a motivation, the school selects
//!   (« retenu » / « non retenu », with a note) and the person is told by mail.
//!
//! Progress has one rule, [`status_of`]: a step is done when its module was
//! completed (`completions`); the path is done when every required step is
//! (optional steps count for nothing).

use std::collections::HashMap;

use maillage_db::{modules::Viewer, paths as db};
use time::{Date, Month, OffsetDateTime};
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors,
    catalogue::{self, SchoolRef},
    enrolment,
    mail::{self, Mail},
    policy::{self, Action},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Free,
    Mandatory,
    Application,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[Kind::Free, Kind::Mandatory, Kind::Application];

    pub fn key(self) -> &'static str {
        match self {
            Kind::Free => "libre",
            Kind::Mandatory => "obligatoire",
            Kind::Application => "candidature",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Free => "Libre (chacun s’y inscrit)",
            Kind::Mandatory => "Obligatoire (selon la date de prise de poste)",
            Kind::Application => "Sur candidature (l’école sélectionne)",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.key() == s.trim())
    }
}

/// Where someone stands on a path they follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Todo,
    InProgress,
    Late,
    Done,
}

impl Status {
    pub const ALL: &'static [Status] = &[Status::Todo, Status::InProgress, Status::Late, Status::Done];

    pub fn key(self) -> &'static str {
        match self {
            Status::Todo => "a-faire",
            Status::InProgress => "en-cours",
            Status::Late => "en-retard",
            Status::Done => "termine",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Todo => "À faire",
            Status::InProgress => "En cours",
            Status::Late => "En retard",
            Status::Done => "Terminé",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.iter().copied().find(|k| k.key() == s.trim())
    }
}

/// The one progress rule. `done`: the modules the person completed.
pub fn status_of(steps: &[Step], done: &[Uuid], deadline: Option<Date>, today: Date) -> Status {
    let is_done = |s: &&Step| done.contains(&s.module_id);
    if steps.iter().filter(|s| s.required).all(|s| done.contains(&s.module_id)) && !steps.is_empty() {
        return Status::Done;
    }
    if deadline.is_some_and(|d| d < today) {
        return Status::Late;
    }
    if steps.iter().any(|s| is_done(&s)) {
        Status::InProgress
    } else {
        Status::Todo
    }
}

/// `d` plus `months` calendar months (the day clamped to the month's end).
pub fn add_months(d: Date, months: i64) -> Date {
    let total = i64::from(d.year()) * 12 + i64::from(d.month() as u8 - 1) + months;
    let year = i32::try_from(total.div_euclid(12)).unwrap_or(d.year());
    let month = Month::try_from((total.rem_euclid(12) + 1) as u8).unwrap_or(Month::January);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, d.day().min(last)).unwrap_or(d)
}

#[derive(Debug, Clone)]
pub struct Step {
    pub id: Uuid,
    pub position: i64,
    pub module_id: Uuid,
    pub module_title: String,
    pub module_school_name: String,
    pub required: bool,
}

#[derive(Debug, Clone)]
pub struct Path {
    pub id: Uuid,
    pub school: SchoolRef,
    pub title: String,
    pub description: String,
    pub kind: Kind,
    pub rule_months: Option<i64>,
    pub deadline_months: Option<i64>,
    pub shared: bool,
    pub step_count: i64,
    /// Filled by [`get`] (empty in lists).
    pub steps: Vec<Step>,
    pub updated_at: OffsetDateTime,
}

impl Path {
    fn from_row(r: db::PathRow) -> Path {
        Path {
            id: r.id,
            school: SchoolRef {
                id: r.school_id,
                name: r.school_name,
            },
            title: r.title,
            description: r.description,
            kind: Kind::parse(&r.kind).unwrap_or(Kind::Free),
            rule_months: r.rule_months,
            deadline_months: r.deadline_months,
            shared: r.shared,
            step_count: r.steps,
            steps: Vec::new(),
            updated_at: r.updated_at,
        }
    }

    pub fn required_steps(&self) -> Vec<&Step> {
        self.steps.iter().filter(|s| s.required).collect()
    }

    pub fn optional_steps(&self) -> Vec<&Step> {
        self.steps.iter().filter(|s| !s.required).collect()
    }

    /// The rule in French, for the path's page.
    pub fn rule(&self) -> String {
        match (self.kind, self.rule_months, self.deadline_months) {
            (Kind::Mandatory, Some(r), Some(d)) => format!(
                "Toute personne ayant pris son poste il y a moins de {r} mois doit le suivre, \
                 et le terminer dans les {d} mois suivant sa prise de poste."
            ),
            (Kind::Mandatory, Some(r), None) => {
                format!("Toute personne ayant pris son poste il y a moins de {r} mois doit le suivre.")
            }
            (Kind::Application, ..) => {
                "Entrée sur candidature : vous présentez votre motivation, l’école sélectionne.".to_owned()
            }
            _ => "Chacun peut s’y inscrire ou s’en retirer librement.".to_owned(),
        }
    }
}

fn step_from(r: db::StepRow) -> Step {
    Step {
        id: r.id,
        position: r.position,
        module_id: r.module_id,
        module_title: r.module_title,
        module_school_name: r.module_school_name,
        required: r.required,
    }
}

async fn with_steps(mut ex: maillage_db::Ex<'_>, rows: Vec<db::PathRow>) -> CoreResult<Vec<Path>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut steps = db::steps_of(ex.reborrow(), &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut p = Path::from_row(r);
            let (mine, rest): (Vec<_>, Vec<_>) =
                std::mem::take(&mut steps).into_iter().partition(|s| s.path_id == p.id);
            steps = rest;
            p.steps = mine.into_iter().map(step_from).collect();
            p
        })
        .collect())
}

fn viewer(actor: &Actor) -> CoreResult<Viewer> {
    policy::require(actor, &Action::ViewCatalogue)?;
    policy::catalogue_viewer(actor).ok_or(CoreError::Unauthenticated)
}

/// The paths the viewer may see, by title.
pub async fn list(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<Path>> {
    let viewer = viewer(actor)?;
    let mut conn = ctx.db.conn().await?;
    Ok(db::list(conn.ex(), &viewer)
        .await?
        .into_iter()
        .map(Path::from_row)
        .collect())
}

/// One path with its steps, if the viewer may see it.
pub async fn get(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Path> {
    let viewer = viewer(actor)?;
    let mut conn = ctx.db.conn().await?;
    let row = db::by_id(conn.ex(), &viewer, id).await?.ok_or(CoreError::NotFound)?;
    let mut paths = with_steps(conn.ex(), vec![row]).await?;
    mask_private_steps(conn.ex(), &viewer, &mut paths).await?;
    paths.pop().ok_or(CoreError::NotFound)
}

/// Title shown for a step whose module the viewer may not see (a shared
/// path may include a school's own, unshared modules).
pub const PRIVATE_STEP: &str = "Module réservé aux organisations de l'école";

/// Masks the steps whose module the viewer may not see: the step stays (it
/// is part of the path), its title does not leak.
async fn mask_private_steps(ex: maillage_db::Ex<'_>, viewer: &Viewer, paths: &mut [Path]) -> CoreResult<()> {
    let ids: Vec<Uuid> = paths.iter().flat_map(|p| p.steps.iter().map(|s| s.module_id)).collect();
    let visible = maillage_db::modules::visible_among(ex, viewer, &ids).await?;
    for step in paths.iter_mut().flat_map(|p| p.steps.iter_mut()) {
        if !visible.contains(&step.module_id) {
            step.module_title = PRIVATE_STEP.to_owned();
        }
    }
    Ok(())
}

/// A path the viewer may edit: visible, and of a school they manage.
/// Another school's private path is 404 (it was not visible anyway).
pub async fn get_managed(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Path> {
    let path = get(ctx, actor, id).await?;
    catalogue::require_manage(ctx, actor, path.school.id).await?;
    Ok(path)
}

/// A path's form, as typed.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub title: String,
    pub description: String,
    pub kind: String,
    pub rule_months: String,
    pub deadline_months: String,
    pub shared: bool,
}

/// A number of months typed in a form: empty is `None`; otherwise 1 to 120.
fn months(raw: &str, field: &'static str, range: &str, digits: &str, errors: &mut FieldErrors) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<i64>() {
        Ok(n) if (1..=120).contains(&n) => Some(n),
        Ok(_) => {
            errors.add(field, range.to_owned());
            None
        }
        Err(_) => {
            errors.add(field, digits.to_owned());
            None
        }
    }
}

fn validate(input: &Input, errors: &mut FieldErrors) -> db::Fields {
    let title = input.title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        errors.add("title", "Saisissez l’intitulé du parcours.");
    } else if title.chars().count() > 200 {
        errors.add("title", "L’intitulé est trop long (200 caractères au plus).");
    }
    let description = input.description.trim().to_owned();
    if description.chars().count() > 8000 {
        errors.add(
            "description",
            "La présentation est trop longue (8 000 caractères au plus).",
        );
    }
    let kind = Kind::parse(&input.kind);
    if kind.is_none() {
        errors.add("kind", "Choisissez le type de parcours.");
    }
    let rule = months(
        &input.rule_months,
        "rule_months",
        "La durée de la règle doit être comprise entre 1 et 120 mois.",
        "Saisissez la durée de la règle en chiffres, par exemple 12.",
        errors,
    );
    let deadline = months(
        &input.deadline_months,
        "deadline_months",
        "Le délai doit être compris entre 1 et 120 mois.",
        "Saisissez le délai en chiffres, par exemple 12.",
        errors,
    );
    let (rule, deadline) = match kind {
        Some(Kind::Mandatory) => {
            if rule.is_none() && input.rule_months.trim().is_empty() {
                errors.add(
                    "rule_months",
                    "Un parcours obligatoire concerne les personnes en poste depuis moins de N mois : saisissez N.",
                );
            }
            (rule, deadline)
        }
        _ => {
            // The rule only means something for a mandatory path: a deadline
            // or rule typed for another kind is a mistake, said plainly.
            if !input.rule_months.trim().is_empty() {
                errors.add(
                    "rule_months",
                    "Seul un parcours obligatoire a une règle : videz ce champ ou choisissez « Obligatoire ».",
                );
            }
            if !input.deadline_months.trim().is_empty() {
                errors.add("deadline_months", "Un délai ne s’applique qu’à un parcours obligatoire avec une règle : videz ce champ ou choisissez « Obligatoire ».");
            }
            (None, None)
        }
    };
    db::Fields {
        title,
        description,
        kind: kind.map(Kind::key).unwrap_or_default().to_owned(),
        rule_months: rule,
        deadline_months: deadline,
        shared: input.shared,
    }
}

/// Creates a path for a school.
pub async fn create(ctx: &Ctx, actor: &Actor, school_id: Uuid, input: &Input) -> CoreResult<Uuid> {
    policy::require(actor, &Action::ViewCatalogue)?;
    catalogue::require_manage(ctx, actor, school_id).await?;
    let mut errors = FieldErrors::new();
    let fields = validate(input, &mut errors);
    errors.into_result()?;
    let mut tx = ctx.db.begin().await?;
    let id = db::insert(tx.ex(), school_id, &fields, actor.user_id()).await?;
    maillage_db::audit::record(tx.ex(), actor.user_id(), "path.create", &id.to_string(), &fields.title).await?;
    tx.commit().await?;
    Ok(id)
}

/// Edits a path's fields (its own school only).
pub async fn update(ctx: &Ctx, actor: &Actor, id: Uuid, input: &Input) -> CoreResult<()> {
    get_managed(ctx, actor, id).await?;
    let mut errors = FieldErrors::new();
    let fields = validate(input, &mut errors);
    errors.into_result()?;
    let mut tx = ctx.db.begin().await?;
    db::update(tx.ex(), id, &fields).await?;
    maillage_db::audit::record(tx.ex(), actor.user_id(), "path.update", &id.to_string(), &fields.title).await?;
    tx.commit().await?;
    Ok(())
}

/// A module offered as a step.
#[derive(Debug, Clone)]
pub struct ModuleChoice {
    pub id: Uuid,
    pub title: String,
}

/// The modules a path of this school may use as steps: the school's own and
/// those it took from the network, not archived.
pub async fn step_choices(ctx: &Ctx, school_id: Uuid) -> CoreResult<Vec<ModuleChoice>> {
    let mut conn = ctx.db.conn().await?;
    let rows = maillage_db::modules::list(
        conn.ex(),
        &Viewer {
            everything: true,
            member_of: Vec::new(),
        },
        &maillage_db::modules::Filter {
            school: Some(school_id),
            limit: 1000,
            ..Default::default()
        },
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ModuleChoice {
            id: r.id,
            title: r.title,
        })
        .collect())
}

/// Appends a step (a module of the school's catalogue).
pub async fn add_step(ctx: &Ctx, actor: &Actor, id: Uuid, module: &str, required: bool) -> CoreResult<()> {
    let path = get_managed(ctx, actor, id).await?;
    let choices = step_choices(ctx, path.school.id).await?;
    let module = Uuid::parse_str(module.trim())
        .ok()
        .filter(|m| choices.iter().any(|c| c.id == *m))
        .ok_or_else(|| {
            FieldErrors::single(
                "module",
                "Choisissez un module du catalogue de l’école (ses modules et ceux qu’elle a repris).",
            )
        })?;
    let mut tx = ctx.db.begin().await?;
    db::add_step(tx.ex(), id, module, required).await?;
    db::touch(tx.ex(), id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "path.step.add",
        &id.to_string(),
        &module.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What to do to a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepChange {
    Up,
    Down,
    Required(bool),
    Remove,
}

impl StepChange {
    pub fn parse(s: &str) -> Option<StepChange> {
        Some(match s.trim() {
            "monter" => StepChange::Up,
            "descendre" => StepChange::Down,
            "obligatoire" => StepChange::Required(true),
            "optionnelle" => StepChange::Required(false),
            "retirer" => StepChange::Remove,
            _ => return None,
        })
    }
}

/// Moves, marks or removes a step of a path.
pub async fn change_step(ctx: &Ctx, actor: &Actor, id: Uuid, step_id: Uuid, change: StepChange) -> CoreResult<()> {
    let path = get_managed(ctx, actor, id).await?;
    let at = path
        .steps
        .iter()
        .position(|s| s.id == step_id)
        .ok_or(CoreError::NotFound)?;
    let step = &path.steps[at];
    let mut tx = ctx.db.begin().await?;
    match change {
        StepChange::Up | StepChange::Down => {
            let other = if change == StepChange::Up {
                at.checked_sub(1).map(|i| &path.steps[i])
            } else {
                path.steps.get(at + 1)
            };
            // Already first or last: nothing to move.
            if let Some(other) = other {
                db::swap_steps(tx.ex(), id, (step.id, step.position), (other.id, other.position)).await?;
            }
        }
        StepChange::Required(r) => {
            db::set_required(tx.ex(), id, step.id, r).await?;
        }
        StepChange::Remove => {
            db::remove_step(tx.ex(), id, step.id).await?;
        }
    }
    db::touch(tx.ex(), id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "path.step.change",
        &id.to_string(),
        &format!("{change:?}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Members and applications
// ---------------------------------------------------------------------------

/// `path_members.status` values.
pub mod member {
    pub const CANDIDATE: &str = "candidat";
    pub const SELECTED: &str = "retenu";
    pub const REJECTED: &str = "non_retenu";
    pub const JOINED: &str = "inscrit";
    pub const WITHDRAWN: &str = "retire";

    /// Whether a member with this status follows the path.
    pub fn follows(status: &str) -> bool {
        status == SELECTED || status == JOINED
    }

    pub fn label(status: &str) -> &'static str {
        match status {
            CANDIDATE => "Candidature en attente",
            SELECTED => "Candidature retenue",
            REJECTED => "Candidature non retenue",
            JOINED => "Inscrit·e",
            _ => "Retiré·e",
        }
    }
}

/// The viewer's own membership of a path, if any.
pub async fn my_membership(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Option<db::MemberRow>> {
    let Some(user) = actor.user_id() else { return Ok(None) };
    let mut conn = ctx.db.conn().await?;
    Ok(db::member(conn.ex(), id, user).await?)
}

/// A person joins a « libre » path.
pub async fn join(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<()> {
    policy::require(actor, &Action::UseAccount)?;
    let path = get(ctx, actor, id).await?;
    let user = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    if path.kind != Kind::Free {
        return Err(CoreError::Conflict(
            "On ne s’inscrit pas soi-même à ce parcours : il est obligatoire ou sur candidature.".into(),
        ));
    }
    let mut tx = ctx.db.begin().await?;
    db::upsert_member(tx.ex(), id, user, member::JOINED, "").await?;
    maillage_db::audit::record(tx.ex(), Some(user), "path.join", &id.to_string(), "").await?;
    tx.commit().await?;
    Ok(())
}

/// A person leaves a path they joined, or withdraws their application.
pub async fn leave(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<()> {
    policy::require(actor, &Action::UseAccount)?;
    get(ctx, actor, id).await?;
    let user = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    let mut tx = ctx.db.begin().await?;
    if db::set_member_status(tx.ex(), id, user, member::WITHDRAWN).await? == 0 {
        return Err(CoreError::Conflict("Vous ne suivez pas ce parcours.".into()));
    }
    maillage_db::audit::record(tx.ex(), Some(user), "path.leave", &id.to_string(), "").await?;
    tx.commit().await?;
    Ok(())
}

/// A person applies to a « candidature » path with their motivation.
pub async fn apply(ctx: &Ctx, actor: &Actor, id: Uuid, motivation: &str) -> CoreResult<()> {
    policy::require(actor, &Action::UseAccount)?;
    let path = get(ctx, actor, id).await?;
    let user = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    if path.kind != Kind::Application {
        return Err(CoreError::Conflict(
            "Ce parcours ne se rejoint pas sur candidature.".into(),
        ));
    }
    let motivation = motivation.trim();
    if motivation.is_empty() {
        return Err(FieldErrors::single(
            "motivation",
            "Dites en quelques lignes pourquoi vous souhaitez suivre ce parcours.",
        ));
    }
    if motivation.chars().count() > 4000 {
        return Err(FieldErrors::single(
            "motivation",
            "Votre motivation est trop longue (4 000 caractères au plus).",
        ));
    }
    let mut conn = ctx.db.conn().await?;
    let existing = db::member(conn.ex(), id, user).await?;
    drop(conn);
    if existing.is_some_and(|m| m.status != member::WITHDRAWN) {
        return Err(CoreError::Conflict(
            "Vous avez déjà présenté votre candidature à ce parcours.".into(),
        ));
    }
    let mut tx = ctx.db.begin().await?;
    db::upsert_member(tx.ex(), id, user, member::CANDIDATE, motivation).await?;
    // The motivation stays out of the log: it is the person's own words.
    maillage_db::audit::record(tx.ex(), Some(user), "path.apply", &id.to_string(), "").await?;
    tx.commit().await?;
    Ok(())
}

/// The school selects (or not) a candidate; the person is told by mail.
pub async fn decide(ctx: &Ctx, actor: &Actor, id: Uuid, user: Uuid, decision: &str, note: &str) -> CoreResult<()> {
    let path = get_managed(ctx, actor, id).await?;
    let status = match decision.trim() {
        member::SELECTED => member::SELECTED,
        member::REJECTED => member::REJECTED,
        _ => {
            return Err(FieldErrors::single(
                "decision",
                "Choisissez « retenu » ou « non retenu ».",
            ));
        }
    };
    let note = note.trim();
    if note.chars().count() > 2000 {
        return Err(FieldErrors::single(
            "note",
            "La note est trop longue (2 000 caractères au plus).",
        ));
    }
    let mut conn = ctx.db.conn().await?;
    let m = db::member(conn.ex(), id, user).await?.ok_or(CoreError::NotFound)?;
    drop(conn);
    if !matches!(
        m.status.as_str(),
        member::CANDIDATE | member::SELECTED | member::REJECTED
    ) {
        return Err(CoreError::Conflict(
            "Cette personne n’est pas candidate à ce parcours.".into(),
        ));
    }
    let mut tx = ctx.db.begin().await?;
    db::decide(tx.ex(), id, user, status, note, actor.user_id()).await?;
    let site = ctx.settings.public_url();
    let verdict = if status == member::SELECTED {
        "Votre candidature a été retenue : vous pouvez suivre ce parcours dès maintenant."
    } else {
        "Votre candidature n’a pas été retenue cette fois-ci."
    };
    let note_text = if note.is_empty() {
        String::new()
    } else {
        format!("\n\nMot de l’école : {note}")
    };
    mail::enqueue(
        tx.ex(),
        &Mail {
            to: m.email.clone(),
            subject: format!("Votre candidature au parcours « {} »", path.title),
            body: format!(
                "Bonjour {name},\n\n{verdict}\n\nParcours « {title} », proposé par {school}.{note_text}\n\n\
                 Votre parcours de formation : {site}/mon-parcours\n",
                name = m.display_name,
                title = path.title,
                school = path.school.name,
            ),
        },
        None,
    )
    .await
    .map_err(CoreError::Internal)?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "path.decide",
        &id.to_string(),
        &format!("{user} {status}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Progress
// ---------------------------------------------------------------------------

/// Someone a path concerns, with their progress.
#[derive(Debug, Clone)]
pub struct Follower {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    /// Concerned by the path's rule (else: a member).
    pub by_rule: bool,
    pub post_started_on: Option<Date>,
    pub deadline: Option<Date>,
    pub done: Vec<Uuid>,
    pub steps_done: usize,
    pub status: Status,
}

/// Who a path concerns today: by its rule, then its members who follow it.
async fn followers(ctx: &Ctx, path: &Path, today: Date) -> CoreResult<Vec<Follower>> {
    let mut conn = ctx.db.conn().await?;
    let person = |user_id, name, email, by_rule, post_started_on, deadline| Follower {
        user_id,
        name,
        email,
        by_rule,
        post_started_on,
        deadline,
        done: Vec::new(),
        steps_done: 0,
        status: Status::Todo,
    };
    let mut out: Vec<Follower> = Vec::new();
    if let (Kind::Mandatory, Some(rule)) = (path.kind, path.rule_months) {
        // « less than N months ago »: after the same day N months back.
        let since = add_months(today, -rule).next_day().unwrap_or(today);
        for r in db::concerned_by_rule(conn.ex(), path.school.id, since).await? {
            let deadline = path.deadline_months.map(|d| add_months(r.post_started_on, d));
            out.push(person(
                r.user_id,
                r.display_name,
                r.email,
                true,
                Some(r.post_started_on),
                deadline,
            ));
        }
    }
    for m in db::members(conn.ex(), path.id).await? {
        if member::follows(&m.status) && !out.iter().any(|f| f.user_id == m.user_id) {
            out.push(person(
                m.user_id,
                m.display_name,
                m.email,
                false,
                m.post_started_on,
                None,
            ));
        }
    }
    let ids: Vec<Uuid> = out.iter().map(|f| f.user_id).collect();
    let mut done: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for c in db::completions_of(conn.ex(), &ids).await? {
        done.entry(c.user_id).or_default().push(c.module_id);
    }
    for f in &mut out {
        f.done = done.remove(&f.user_id).unwrap_or_default();
        f.steps_done = path.steps.iter().filter(|s| f.done.contains(&s.module_id)).count();
        f.status = status_of(&path.steps, &f.done, f.deadline, today);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.user_id.cmp(&b.user_id)));
    Ok(out)
}

/// The school's follow-up of a path.
#[derive(Debug, Clone)]
pub struct Tracking {
    pub path: Path,
    /// Everyone concerned, filtered by status when asked.
    pub followers: Vec<Follower>,
    /// How many people per status (before filtering).
    pub counts: Vec<(Status, usize)>,
    pub total: usize,
    /// Applications and decisions (« candidature » paths).
    pub candidates: Vec<db::MemberRow>,
}

/// `/formations/parcours/{id}/suivi`: managers of the path's school only.
pub async fn tracking(ctx: &Ctx, actor: &Actor, id: Uuid, filter: Option<Status>) -> CoreResult<Tracking> {
    let path = get_managed(ctx, actor, id).await?;
    let today = enrolment::today();
    let all = followers(ctx, &path, today).await?;
    let counts = Status::ALL
        .iter()
        .map(|s| (*s, all.iter().filter(|f| f.status == *s).count()))
        .collect();
    let total = all.len();
    let mut conn = ctx.db.conn().await?;
    let candidates = db::members(conn.ex(), id)
        .await?
        .into_iter()
        .filter(|m| {
            matches!(
                m.status.as_str(),
                member::CANDIDATE | member::SELECTED | member::REJECTED
            )
        })
        .collect();
    Ok(Tracking {
        followers: all
            .into_iter()
            .filter(|f| filter.is_none_or(|s| f.status == s))
            .collect(),
        path,
        counts,
        total,
        candidates,
    })
}

/// One step of someone's path, with what they did.
#[derive(Debug, Clone)]
pub struct MyStep {
    pub step: Step,
    pub done_on: Option<Date>,
    /// Coming sessions of the module (not-done steps only).
    pub sessions: Vec<enrolment::Session>,
}

/// A path someone follows or applied to, with their progress.
#[derive(Debug, Clone)]
pub struct MyPath {
    pub path: Path,
    /// `None`: an application not (or not yet) retained.
    pub status: Option<Status>,
    pub by_rule: bool,
    /// Their membership status (`member::*`), if they joined or applied.
    pub membership: Option<String>,
    pub decision_note: String,
    pub deadline: Option<Date>,
    pub steps: Vec<MyStep>,
}

impl MyPath {
    pub fn steps_done(&self) -> usize {
        self.steps.iter().filter(|s| s.done_on.is_some()).count()
    }

    pub fn membership_label(&self) -> &'static str {
        self.membership.as_deref().map(member::label).unwrap_or("")
    }
}

/// A module someone completed.
#[derive(Debug, Clone)]
pub struct Completed {
    pub module_id: Uuid,
    pub module_title: String,
    pub completed_on: Date,
}

/// Someone's training record: their paths and completed modules.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub paths: Vec<MyPath>,
    pub completed: Vec<Completed>,
}

/// The paths that concern `user` and their completions. No permission check:
/// callers decide who may read it ([`mine`], the directory's profile page).
pub(crate) async fn record_of(ctx: &Ctx, user: Uuid, with_sessions: Option<&Actor>) -> CoreResult<Record> {
    let today = enrolment::today();
    let mut conn = ctx.db.conn().await?;
    let post = db::post_of(conn.ex(), user).await?;
    let mut concerned: Vec<(Uuid, Option<Date>)> = Vec::new();
    if let Some(post) = &post
        && let Some(started) = post.post_started_on
    {
        for p in db::mandatory_of_organisation(conn.ex(), post.organisation_id).await? {
            let Some(rule) = p.rule_months else { continue };
            if started > add_months(today, -rule) {
                concerned.push((p.id, p.deadline_months.map(|d| add_months(started, d))));
            }
        }
    }
    let memberships: Vec<db::MemberRow> = db::memberships_of(conn.ex(), user)
        .await?
        .into_iter()
        .filter(|m| m.status != member::WITHDRAWN)
        .collect();
    let mut ids: Vec<Uuid> = concerned.iter().map(|c| c.0).collect();
    ids.extend(
        memberships
            .iter()
            .map(|m| m.path_id)
            .filter(|id| !concerned.iter().any(|c| c.0 == *id)),
    );
    let rows = db::by_ids(conn.ex(), &ids).await?;
    let paths = with_steps(conn.ex(), rows).await?;
    let completions = db::completions_of(conn.ex(), &[user]).await?;
    drop(conn);
    let done: Vec<Uuid> = completions.iter().map(|c| c.module_id).collect();
    let mut out = Vec::new();
    for path in paths {
        let rule = concerned.iter().find(|c| c.0 == path.id);
        let membership = memberships.iter().find(|m| m.path_id == path.id);
        let deadline = rule.and_then(|r| r.1);
        let follows = rule.is_some() || membership.is_some_and(|m| member::follows(&m.status));
        let status = follows.then(|| status_of(&path.steps, &done, deadline, today));
        let mut steps = Vec::new();
        for s in &path.steps {
            let done_on = completions
                .iter()
                .find(|c| c.module_id == s.module_id)
                .map(|c| c.completed_on);
            let sessions = match with_sessions {
                Some(actor) if done_on.is_none() && follows => {
                    enrolment::of_module(ctx, actor, s.module_id).await.unwrap_or_default()
                }
                _ => Vec::new(),
            };
            steps.push(MyStep {
                step: s.clone(),
                done_on,
                sessions,
            });
        }
        out.push(MyPath {
            by_rule: rule.is_some(),
            membership: membership.map(|m| m.status.clone()),
            decision_note: membership.map(|m| m.decision_note.clone()).unwrap_or_default(),
            status,
            deadline,
            steps,
            path,
        });
    }
    Ok(Record {
        paths: out,
        completed: completions
            .into_iter()
            .map(|c| Completed {
                module_id: c.module_id,
                module_title: c.module_title,
                completed_on: c.completed_on,
            })
            .collect(),
    })
}

/// `/mon-parcours`: the logged-in person's paths, steps and completions.
pub async fn mine(ctx: &Ctx, actor: &Actor) -> CoreResult<Record> {
    policy::require(actor, &Action::UseAccount)?;
    let user = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    record_of(ctx, user, Some(actor)).await
}

/// The training record shown on a directory profile: `None` unless the
/// person allows this viewer to see it (`Profile::training_user`, from the
/// directory's one tier rule: `training_vis <= tier`).
/// Someone's training record as `viewer` may see it on their profile (when
/// the person shows it at the viewer's level): only the paths and modules
/// the viewer may see themselves, the other steps masked.
pub async fn record_for_profile(
    ctx: &Ctx,
    actor: &Actor,
    profile: &crate::directory::profile::Profile,
) -> CoreResult<Option<Record>> {
    let Some(user) = profile.training_user else {
        return Ok(None);
    };
    let viewer = viewer(actor)?;
    let mut record = record_of(ctx, user, None).await?;
    let mut conn = ctx.db.conn().await?;
    let path_ids: Vec<Uuid> = record.paths.iter().map(|p| p.path.id).collect();
    let mut visible_paths = Vec::new();
    for id in path_ids {
        if db::by_id(conn.ex(), &viewer, id).await?.is_some() {
            visible_paths.push(id);
        }
    }
    record.paths.retain(|p| visible_paths.contains(&p.path.id));
    let mut paths: Vec<Path> = record.paths.iter().map(|p| p.path.clone()).collect();
    mask_private_steps(conn.ex(), &viewer, &mut paths).await?;
    for (mine, masked) in record.paths.iter_mut().zip(paths) {
        mine.path = masked;
    }
    let modules: Vec<Uuid> = record.completed.iter().map(|c| c.module_id).collect();
    let visible = maillage_db::modules::visible_among(conn.ex(), &viewer, &modules).await?;
    record.completed.retain(|c| visible.contains(&c.module_id));
    Ok(Some(record))
}

/// Like [`mine`], without looking up coming sessions (the API).
pub async fn mine_without_sessions(ctx: &Ctx, actor: &Actor) -> CoreResult<Record> {
    policy::require(actor, &Action::UseAccount)?;
    let user = actor.user_id().ok_or(CoreError::Unauthenticated)?;
    record_of(ctx, user, None).await
}

// ---------------------------------------------------------------------------
// Demo
// ---------------------------------------------------------------------------

/// Demo paths of the Alès school: a mandatory « Prise de poste » of its first
/// modules (some optional) and an « Excellence managériale » by application;
/// dates of taking the post for a few dozen of its people. Deterministic:
/// everything derives from the order of the stored rows and `today`.
pub(crate) async fn seed_demo(mut ex: maillage_db::Ex<'_>, school_id: Uuid) -> CoreResult<()> {
    let modules = maillage_db::modules::list(
        ex.reborrow(),
        &Viewer {
            everything: true,
            member_of: Vec::new(),
        },
        &maillage_db::modules::Filter {
            school: Some(school_id),
            limit: 1000,
            ..Default::default()
        },
    )
    .await?;
    let own: Vec<Uuid> = modules
        .iter()
        .filter(|m| m.school_id == school_id)
        .map(|m| m.id)
        .collect();
    if own.len() < 5 {
        return Ok(());
    }
    let intake = db::insert(
        ex.reborrow(),
        school_id,
        &db::Fields {
            title: "Prise de poste".into(),
            description: "Le parcours des managers qui prennent un nouveau poste : le socle à suivre dans \
                          l’année, et des options pour aller plus loin."
                .into(),
            kind: Kind::Mandatory.key().into(),
            rule_months: Some(12),
            // To be done within six months: after that, « en retard ».
            deadline_months: Some(6),
            shared: false,
        },
        None,
    )
    .await?;
    for (i, m) in own.iter().take(5).enumerate() {
        db::add_step(ex.reborrow(), intake, *m, i < 3).await?;
    }
    let excellence = db::insert(
        ex.reborrow(),
        school_id,
        &db::Fields {
            title: "Excellence managériale".into(),
            description: "Un parcours exigeant pour les managers confirmés, sur candidature : l’école retient \
                          une promotion chaque année."
                .into(),
            kind: Kind::Application.key().into(),
            rule_months: None,
            deadline_months: None,
            shared: true,
        },
        None,
    )
    .await?;
    for (i, m) in own.iter().skip(own.len().saturating_sub(4)).enumerate() {
        db::add_step(ex.reborrow(), excellence, *m, i != 3).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn step(module: Uuid, required: bool) -> Step {
        Step {
            id: Uuid::now_v7(),
            position: 1,
            module_id: module,
            module_title: String::new(),
            module_school_name: String::new(),
            required,
        }
    }

    #[test]
    fn progress_rule() {
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let steps = [step(a, true), step(b, true), step(c, false)];
        let today = date!(2026 - 06 - 01);
        assert_eq!(status_of(&steps, &[], None, today), Status::Todo);
        assert_eq!(status_of(&steps, &[c], None, today), Status::InProgress);
        assert_eq!(
            status_of(&steps, &[a], Some(date!(2026 - 05 - 31)), today),
            Status::Late
        );
        assert_eq!(status_of(&steps, &[a], Some(today), today), Status::InProgress);
        // optional steps count for nothing
        assert_eq!(
            status_of(&steps, &[a, b], Some(date!(2020 - 01 - 01)), today),
            Status::Done
        );
        assert_eq!(status_of(&[], &[a], None, today), Status::Todo);
    }

    #[test]
    fn months() {
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2026 - 03 - 15), -12), date!(2025 - 03 - 15));
        assert_eq!(add_months(date!(2026 - 03 - 15), -3), date!(2025 - 12 - 15));
    }
}
