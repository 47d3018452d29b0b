//! Evaluations: a school's question templates (`/formations/questionnaires`),
//! a session's questionnaires and results (`/sessions/{id}/evaluations`),
//! answering (`/evaluations/{id}`), one's pending questionnaires
//! (`/mes-questionnaires`), and results per module and per trainer.

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use maillage_core::{
    Actor, FieldErrors,
    evaluations::{
        self, Kind, Overview, Pending, QuestionEdit, Questionnaire, SCALE, SchoolTemplates, SessionEvaluations,
        Standing, Template as QTemplate,
    },
    schools,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    AppState,
    error::WebError,
    forms::{field_errors, first, id_or_404, invalid, page, see_other},
    layout::{Caller, Layout},
};

// ---------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "evaluations/templates.html")]
struct TemplatesPage {
    layout: Layout,
    schools: Vec<SchoolTemplates>,
}

pub async fn templates(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    let schools = evaluations::templates(&state.ctx, &caller).await?;
    page(TemplatesPage { layout, schools })
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct NewTemplateForm {
    school: String,
    kind: String,
    title: String,
}

#[derive(Template)]
#[template(path = "evaluations/new_template.html")]
struct NewTemplatePage {
    layout: Layout,
    schools: Vec<(Uuid, String)>,
    kinds: [Kind; 2],
    f: NewTemplateForm,
    errors: FieldErrors,
}

async fn render_new(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    f: NewTemplateForm,
    errors: FieldErrors,
) -> Result<NewTemplatePage, WebError> {
    // Only for those who manage a school (403 otherwise, as the list).
    evaluations::templates(&state.ctx, caller).await?;
    let schools = schools::manageable(&state.ctx, caller)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    Ok(NewTemplatePage {
        layout,
        schools,
        kinds: Kind::ALL,
        f,
        errors,
    })
}

pub async fn new_template(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    let f = NewTemplateForm {
        kind: "chaud".into(),
        ..Default::default()
    };
    page(render_new(&state, layout, &caller, f, FieldErrors::new()).await?)
}

pub async fn create_template(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Form(f): Form<NewTemplateForm>,
) -> Result<Response, WebError> {
    let input = evaluations::TemplateInput {
        school: f.school.clone(),
        kind: f.kind.clone(),
        title: f.title.clone(),
    };
    match evaluations::create_template(&state.ctx, &caller, &input).await {
        Ok(id) => Ok(see_other(&format!("/formations/questionnaires/{id}"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_new(&state, layout, &caller, f, errors).await?)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DefaultForm {
    school: String,
    kind: String,
}

pub async fn create_default(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(f): Form<DefaultForm>,
) -> Result<Response, WebError> {
    let id = evaluations::create_default_template(&state.ctx, &caller, &f.school, &f.kind).await?;
    Ok(see_other(&format!("/formations/questionnaires/{id}")))
}

#[derive(Template)]
#[template(path = "evaluations/template.html")]
struct TemplatePage {
    layout: Layout,
    t: QTemplate,
    /// The question whose rewording failed (its field takes the id `label`).
    editing: Option<Uuid>,
    /// What was typed in the failed form.
    typed: String,
    new_kind: String,
    errors: FieldErrors,
}

impl TemplatePage {
    /// The id of a question's rewording field: `label` for the one in error.
    fn label_id(&self, q: &Uuid, n: &usize) -> String {
        if self.editing == Some(*q) {
            "label".to_owned()
        } else {
            format!("label-{n}")
        }
    }
    fn is_editing(&self, q: &Uuid) -> bool {
        self.editing == Some(*q)
    }
    fn label_error(&self, q: &Uuid) -> Option<&str> {
        self.errors.get("label").filter(|_| self.editing == Some(*q))
    }
    fn new_label_error(&self) -> Option<&str> {
        self.errors.get("label").filter(|_| self.editing.is_none())
    }
    fn new_label_id(&self) -> &'static str {
        if self.editing.is_some() { "label-new" } else { "label" }
    }
}

pub async fn template(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let t = evaluations::template(&state.ctx, &caller, id_or_404(&id)?).await?;
    page(TemplatePage {
        layout,
        t,
        editing: None,
        typed: String::new(),
        new_kind: "note".into(),
        errors: FieldErrors::new(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct QuestionForm {
    kind: String,
    label: String,
}

pub async fn add_question(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(f): Form<QuestionForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match evaluations::add_question(&state.ctx, &caller, id, &f.kind, &f.label).await {
        Ok(()) => Ok(see_other(&format!("/formations/questionnaires/{id}#questions"))),
        Err(e) => {
            let errors = field_errors(e)?;
            let t = evaluations::template(&state.ctx, &caller, id).await?;
            invalid(TemplatePage {
                layout,
                t,
                editing: None,
                typed: f.label,
                new_kind: f.kind,
                errors,
            })
        }
    }
}

pub async fn edit_question(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path((id, question)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let (id, question) = (id_or_404(&id)?, id_or_404(&question)?);
    let label = first(&pairs, "label");
    let edit = match first(&pairs, "action").as_str() {
        "monter" => QuestionEdit::Up,
        "descendre" => QuestionEdit::Down,
        "supprimer" => QuestionEdit::Remove,
        _ => QuestionEdit::Reword(label.clone()),
    };
    match evaluations::edit_question(&state.ctx, &caller, id, question, &edit).await {
        Ok(()) => Ok(see_other(&format!("/formations/questionnaires/{id}#questions"))),
        Err(e) => {
            let errors = field_errors(e)?;
            let t = evaluations::template(&state.ctx, &caller, id).await?;
            invalid(TemplatePage {
                layout,
                t,
                editing: Some(question),
                typed: label,
                new_kind: "note".into(),
                errors,
            })
        }
    }
}

// ---------------------------------------------------------------------------
// A session's questionnaires
// ---------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct OpenForm {
    template: String,
    opens_on: String,
    closes_on: String,
}

#[derive(Template)]
#[template(path = "evaluations/session.html")]
struct SessionPage {
    layout: Layout,
    e: SessionEvaluations,
    today: time::Date,
    f: OpenForm,
    errors: FieldErrors,
}

pub async fn session(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let e = evaluations::of_session(&state.ctx, &caller, id_or_404(&id)?).await?;
    page(SessionPage {
        layout,
        e,
        today: maillage_core::enrolment::today(),
        f: OpenForm::default(),
        errors: FieldErrors::new(),
    })
}

pub async fn open(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(f): Form<OpenForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let input = evaluations::OpenInput {
        template: f.template.clone(),
        opens_on: f.opens_on.clone(),
        closes_on: f.closes_on.clone(),
    };
    match evaluations::open(&state.ctx, &caller, id, &input).await {
        Ok(_) => Ok(see_other(&format!("/sessions/{id}/evaluations"))),
        Err(e) => {
            let errors = field_errors(e)?;
            let e = evaluations::of_session(&state.ctx, &caller, id).await?;
            invalid(SessionPage {
                layout,
                e,
                today: maillage_core::enrolment::today(),
                f,
                errors,
            })
        }
    }
}

// ---------------------------------------------------------------------------
// Answering
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "evaluations/answer.html")]
struct AnswerPage {
    layout: Layout,
    q: Questionnaire,
    scale: [&'static str; 5],
    typed: Vec<(String, String)>,
    errors: FieldErrors,
}

impl AnswerPage {
    fn typed(&self, name: &str) -> &str {
        self.typed
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
    fn field(&self, position: &i64) -> &'static str {
        evaluations::field(*position)
    }
}

pub async fn questionnaire(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let q = evaluations::questionnaire(&state.ctx, &caller, id_or_404(&id)?).await?;
    page(AnswerPage {
        layout,
        q,
        scale: SCALE,
        typed: Vec::new(),
        errors: FieldErrors::new(),
    })
}

pub async fn answer(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match evaluations::answer(&state.ctx, &caller, id, &pairs).await {
        Ok(()) => Ok(see_other(&format!("/evaluations/{id}"))),
        Err(e) => {
            let errors = field_errors(e)?;
            let q = evaluations::questionnaire(&state.ctx, &caller, id).await?;
            invalid(AnswerPage {
                layout,
                q,
                scale: SCALE,
                typed: pairs,
                errors,
            })
        }
    }
}

#[derive(Template)]
#[template(path = "evaluations/pending.html")]
struct PendingPage {
    layout: Layout,
    pending: Vec<Pending>,
}

pub async fn pending(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    let pending = evaluations::pending(&state.ctx, &caller).await?;
    page(PendingPage { layout, pending })
}

// ---------------------------------------------------------------------------
// Results per module and per trainer
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "evaluations/overview.html")]
struct OverviewPage {
    layout: Layout,
    o: Overview,
    /// « du module », « de l'intervenant·e ».
    of_what: &'static str,
    back: (String, String),
}

pub async fn module(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let o = evaluations::of_module(&state.ctx, &caller, id).await?;
    let back = (format!("/formations/{id}"), o.title.clone());
    page(OverviewPage {
        layout,
        o,
        of_what: "du module",
        back,
    })
}

pub async fn trainer(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let o = evaluations::of_trainer(&state.ctx, &caller, id).await?;
    let back = (format!("/intervenants/{id}"), o.title.clone());
    page(OverviewPage {
        layout,
        o,
        of_what: "de l'intervenant·e",
        back,
    })
}

/// A unique id prefix for the results of the n-th questionnaire of a page.
pub fn prefix(what: &str, n: impl std::borrow::Borrow<usize>) -> String {
    format!("{what}{}", n.borrow())
}
