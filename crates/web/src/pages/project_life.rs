//! A project's life on its page (`/projets/{id}`, the bank's page, which
//! includes `projects/life/sections.html`): timeline, indicators and
//! measures, users' feedback, comments, deliverables, help requests; and
//! `/entraide`, the network's open help requests.
//!
//! The project page carries simple forms posting to the routes below; each
//! form also has a page of its own (`…/nouveau`, `…/nouvelle`), which is
//! where a form comes back with its errors and what was typed (422).

use askama::Template;
use axum::{
    Form, Router,
    extract::{Multipart, Path, State},
    response::Response,
    routing::{get, post},
};
use maillage_core::{
    Actor, FieldErrors,
    projects::life::{
        self, Indicator, Sections, attachments, comments, feedback, help, indicators,
        timeline::{self, UpdateInput},
    },
};
use maillage_db::projects::ProjectRow;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    AppState,
    charts::{self, Point, Reference},
    error::WebError,
    forms::{download, field_errors, id_or_404, invalid, page, see_other},
    layout::{Caller, Layout},
    pages::directory::bad_upload,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/entraide", get(help_list))
        .route("/projets/{id}/actualites", post(update_add))
        .route("/projets/{id}/actualites/nouvelle", get(update_new))
        .route(
            "/projets/{id}/actualites/{update}/modifier",
            get(update_edit_form).post(update_edit),
        )
        .route("/projets/{id}/actualites/{update}/supprimer", post(update_delete))
        .route("/projets/{id}/indicateurs", post(indicator_add))
        .route("/projets/{id}/indicateurs/nouveau", get(indicator_new))
        .route("/projets/{id}/indicateurs/{indicator}", get(indicator_show))
        .route(
            "/projets/{id}/indicateurs/{indicator}/supprimer",
            post(indicator_delete),
        )
        .route("/projets/{id}/indicateurs/{indicator}/mesures", post(measure_add))
        .route(
            "/projets/{id}/indicateurs/{indicator}/mesures/{measure}/supprimer",
            post(measure_delete),
        )
        .route("/projets/{id}/retours", post(feedback_add))
        .route("/projets/{id}/retours/nouveau", get(feedback_new))
        .route("/projets/{id}/retours/{feedback}/supprimer", post(feedback_delete))
        .route("/projets/{id}/commentaires", post(comment_add))
        .route("/projets/{id}/commentaires/nouveau", get(comment_new))
        .route("/projets/{id}/commentaires/{comment}/supprimer", post(comment_delete))
        .route("/projets/{id}/livrables/nouveau", get(attachment_new))
        .route("/projets/{id}/livrables/{attachment}", get(attachment_download))
        .route(
            "/projets/{id}/livrables/{attachment}/supprimer",
            post(attachment_delete),
        )
        .route("/projets/{id}/entraide", post(help_ask))
        .route("/projets/{id}/entraide/nouvelle", get(help_new))
        .route("/projets/{id}/entraide/{request}", get(help_show))
        .route("/projets/{id}/entraide/{request}/aide", post(help_offer))
        .route("/projets/{id}/entraide/{request}/resolue", post(help_resolve))
        .route("/projets/{id}/entraide/{request}/codeveloppement", post(help_codev))
}

/// Routes taking files (deliverables): the uploads' body limit.
pub fn upload_routes() -> Router<AppState> {
    Router::new().route("/projets/{id}/livrables", post(attachment_upload))
}

// ---------------------------------------------------------------------------
// What the templates call
// ---------------------------------------------------------------------------

/// « 12/2024 »: a measure's date under the chart's axis.
fn month_label(d: time::Date) -> String {
    format!("{:02}/{}", d.month() as u8, d.year())
}

/// The accessible chart of an indicator's measures (SVG with a title and a
/// description; the values are written; the page follows it with a table).
pub fn indicator_chart(ind: &Indicator) -> String {
    let points: Vec<Point> = ind
        .measures
        .iter()
        .map(|m| Point {
            x: m.measured_on.to_julian_day() as f64,
            value: m.value,
            label: month_label(m.measured_on),
            text: ind.with_unit(m.value),
        })
        .collect();
    let mut references = Vec::new();
    if let Some(b) = ind.baseline {
        references.push(Reference {
            value: b,
            text: format!("Référence : {}", ind.with_unit(b)),
        });
    }
    if let Some(t) = ind.target {
        references.push(Reference {
            value: t,
            text: format!("Objectif : {}", ind.with_unit(t)),
        });
    }
    let summary = match (ind.measures.first(), ind.measures.last()) {
        (Some(first), Some(last)) if ind.measures.len() > 1 => format!(
            "{} mesures, de {} le {} à {} le {}.",
            ind.measures.len(),
            ind.with_unit(first.value),
            crate::pages::date_fr(first.measured_on),
            ind.with_unit(last.value),
            crate::pages::date_fr(last.measured_on),
        ),
        (Some(only), _) => format!(
            "Une mesure : {} le {}.",
            ind.with_unit(only.value),
            crate::pages::date_fr(only.measured_on)
        ),
        _ => "Aucune mesure pour l’instant.".to_owned(),
    };
    let desc = format!(
        "{summary} Référence : {}. Objectif : {}. Le tableau qui suit donne les mêmes mesures.",
        ind.baseline_label(),
        ind.target_label()
    );
    charts::line(
        &format!("indicateur-{}", ind.id),
        &format!("Évolution : {}", ind.name),
        &desc,
        &points,
        &references,
    )
}

/// A name safe in a `Content-Disposition` header: ASCII letters, digits,
/// dots, hyphens and underscores (anything else becomes a hyphen).
fn header_file_name(name: &str) -> String {
    let folded = maillage_domain::text::fold(name);
    let safe: String = folded
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let safe = safe.trim_matches(['-', '.']).to_owned();
    if safe.is_empty() { "livrable".into() } else { safe }
}

/// The hint of a date field bounded by the project's start and today.
pub fn date_hint(started_on: impl std::borrow::Borrow<Option<time::Date>>) -> String {
    match *started_on.borrow() {
        Some(s) => format!(
            "Entre le début du projet, le {}, et aujourd’hui.",
            crate::pages::date_fr(s)
        ),
        None => "Jusqu’à aujourd’hui.".to_owned(),
    }
}

/// The hint of a measure's value: « Un nombre en jours, par exemple 12,5. »
pub fn value_hint(unit: &str) -> String {
    if unit.is_empty() {
        "Un nombre, par exemple 12,5.".to_owned()
    } else {
        format!("Un nombre, en {unit}, par exemple 12,5.")
    }
}

/// The project's page at one of its sections, with the confirmation
/// `notice` (a code of `layout::NOTICES`).
fn project_url(id: Uuid, notice: &str, anchor: &str) -> String {
    format!("/projets/{id}?info={notice}#{anchor}")
}

/// An indicator's page, with the confirmation `notice`, at its top or at
/// its measures.
fn indicator_url(id: Uuid, indicator: Uuid, notice: &str, at_measures: bool) -> String {
    let anchor = if at_measures { "#mesures" } else { "" };
    format!("/projets/{id}/indicateurs/{indicator}?info={notice}{anchor}")
}

/// A help request's page, with the confirmation `notice`.
fn help_url(id: Uuid, request: Uuid, notice: &str) -> String {
    format!("/projets/{id}/entraide/{request}?info={notice}")
}

// ---------------------------------------------------------------------------
// Timeline
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "projects/life/update_form.html")]
struct UpdateFormPage {
    layout: Layout,
    project: ProjectRow,
    /// The update being edited.
    stored: Option<Uuid>,
    f: UpdateInput,
    errors: FieldErrors,
}

fn today_field() -> String {
    maillage_core::dates::paris_today().to_string()
}

pub async fn update_new(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let project = life::editable(&state.ctx, &caller, id_or_404(&id)?).await?;
    page(UpdateFormPage {
        layout,
        project,
        stored: None,
        f: UpdateInput {
            written_on: today_field(),
            body: String::new(),
        },
        errors: FieldErrors::new(),
    })
}

pub async fn update_add(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(f): Form<UpdateInput>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match timeline::add(&state.ctx, &caller, id, &f).await {
        Ok(_) => Ok(see_other(&project_url(id, "actualite-publiee", "actualites"))),
        Err(e) => {
            let errors = field_errors(e)?;
            let project = life::editable(&state.ctx, &caller, id).await?;
            invalid(UpdateFormPage {
                layout,
                project,
                stored: None,
                f,
                errors,
            })
        }
    }
}

pub async fn update_edit_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path((id, update)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (project, u) = timeline::own(&state.ctx, &caller, id_or_404(&id)?, id_or_404(&update)?).await?;
    page(UpdateFormPage {
        layout,
        project,
        stored: Some(u.id),
        f: UpdateInput {
            written_on: u.written_on.to_string(),
            body: u.body,
        },
        errors: FieldErrors::new(),
    })
}

pub async fn update_edit(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path((id, update)): Path<(String, String)>,
    Form(f): Form<UpdateInput>,
) -> Result<Response, WebError> {
    let (id, update) = (id_or_404(&id)?, id_or_404(&update)?);
    match timeline::edit(&state.ctx, &caller, id, update, &f).await {
        Ok(()) => Ok(see_other(&project_url(id, "actualite-modifiee", "actualites"))),
        Err(e) => {
            let errors = field_errors(e)?;
            let (project, _) = timeline::own(&state.ctx, &caller, id, update).await?;
            invalid(UpdateFormPage {
                layout,
                project,
                stored: Some(update),
                f,
                errors,
            })
        }
    }
}

pub async fn update_delete(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, update)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    timeline::delete(&state.ctx, &caller, id, id_or_404(&update)?).await?;
    Ok(see_other(&project_url(id, "actualite-supprimee", "actualites")))
}

// ---------------------------------------------------------------------------
// Indicators and measures
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "projects/life/indicator_form.html")]
struct IndicatorFormPage {
    layout: Layout,
    project: ProjectRow,
    f: indicators::IndicatorInput,
    errors: FieldErrors,
}

pub async fn indicator_new(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let project = life::editable(&state.ctx, &caller, id_or_404(&id)?).await?;
    page(IndicatorFormPage {
        layout,
        project,
        f: Default::default(),
        errors: FieldErrors::new(),
    })
}

pub async fn indicator_add(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(f): Form<indicators::IndicatorInput>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match indicators::add(&state.ctx, &caller, id, &f).await {
        Ok(ind) => Ok(see_other(&indicator_url(id, ind, "indicateur-cree", false))),
        Err(e) => {
            let errors = field_errors(e)?;
            let project = life::editable(&state.ctx, &caller, id).await?;
            invalid(IndicatorFormPage {
                layout,
                project,
                f,
                errors,
            })
        }
    }
}

#[derive(Template)]
#[template(path = "projects/life/indicator.html")]
struct IndicatorPage {
    layout: Layout,
    project: ProjectRow,
    ind: Indicator,
    can_edit: bool,
    f: indicators::MeasureInput,
    errors: FieldErrors,
}

async fn render_indicator(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    id: Uuid,
    indicator: Uuid,
    f: indicators::MeasureInput,
    errors: FieldErrors,
) -> Result<IndicatorPage, WebError> {
    let (project, life) = life::page(&state.ctx, caller, id).await?;
    let ind = life
        .indicators
        .iter()
        .find(|i| i.id == indicator)
        .cloned()
        .ok_or_else(WebError::not_found)?;
    Ok(IndicatorPage {
        layout,
        project,
        ind,
        can_edit: life.can_edit,
        f,
        errors,
    })
}

pub async fn indicator_show(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path((id, indicator)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let f = indicators::MeasureInput {
        measured_on: today_field(),
        ..Default::default()
    };
    page(
        render_indicator(
            &state,
            layout,
            &caller,
            id_or_404(&id)?,
            id_or_404(&indicator)?,
            f,
            FieldErrors::new(),
        )
        .await?,
    )
}

pub async fn indicator_delete(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, indicator)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    indicators::delete(&state.ctx, &caller, id, id_or_404(&indicator)?).await?;
    Ok(see_other(&project_url(id, "indicateur-supprime", "indicateurs")))
}

pub async fn measure_add(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path((id, indicator)): Path<(String, String)>,
    Form(f): Form<indicators::MeasureInput>,
) -> Result<Response, WebError> {
    let (id, indicator) = (id_or_404(&id)?, id_or_404(&indicator)?);
    match indicators::add_measure(&state.ctx, &caller, id, indicator, &f).await {
        Ok(_) => Ok(see_other(&indicator_url(id, indicator, "mesure-ajoutee", true))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_indicator(&state, layout, &caller, id, indicator, f, errors).await?)
        }
    }
}

pub async fn measure_delete(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, indicator, measure)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let (id, indicator) = (id_or_404(&id)?, id_or_404(&indicator)?);
    indicators::delete_measure(&state.ctx, &caller, id, id_or_404(&measure)?).await?;
    Ok(see_other(&indicator_url(id, indicator, "mesure-supprimee", true)))
}

// ---------------------------------------------------------------------------
// Users' feedback
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "projects/life/feedback_form.html")]
struct FeedbackFormPage {
    layout: Layout,
    project: ProjectRow,
    f: feedback::FeedbackInput,
    errors: FieldErrors,
    sources: &'static [maillage_domain::project::FeedbackSource],
}

pub async fn feedback_new(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let project = life::editable(&state.ctx, &caller, id_or_404(&id)?).await?;
    page(FeedbackFormPage {
        layout,
        project,
        f: feedback::FeedbackInput {
            source: "usager".into(),
            received_on: today_field(),
            ..Default::default()
        },
        errors: FieldErrors::new(),
        sources: maillage_domain::project::FeedbackSource::ALL,
    })
}

pub async fn feedback_add(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(f): Form<feedback::FeedbackInput>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match feedback::add(&state.ctx, &caller, id, &f).await {
        Ok(_) => Ok(see_other(&project_url(id, "retour-ajoute", "retours"))),
        Err(e) => {
            let errors = field_errors(e)?;
            let project = life::editable(&state.ctx, &caller, id).await?;
            invalid(FeedbackFormPage {
                layout,
                project,
                f,
                errors,
                sources: maillage_domain::project::FeedbackSource::ALL,
            })
        }
    }
}

pub async fn feedback_delete(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, item)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    feedback::delete(&state.ctx, &caller, id, id_or_404(&item)?).await?;
    Ok(see_other(&project_url(id, "retour-supprime", "retours")))
}

// ---------------------------------------------------------------------------
// Comments
// ---------------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CommentForm {
    body: String,
}

#[derive(Template)]
#[template(path = "projects/life/comment_form.html")]
struct CommentFormPage {
    layout: Layout,
    project: ProjectRow,
    body: String,
    errors: FieldErrors,
}

pub async fn comment_new(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let project = life::commentable(&state.ctx, &caller, id_or_404(&id)?).await?;
    page(CommentFormPage {
        layout,
        project,
        body: String::new(),
        errors: FieldErrors::new(),
    })
}

pub async fn comment_add(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(f): Form<CommentForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match comments::add(&state.ctx, &caller, id, &f.body).await {
        Ok(_) => Ok(see_other(&project_url(id, "commentaire-publie", "commentaires"))),
        Err(e) => {
            let errors = field_errors(e)?;
            let project = life::commentable(&state.ctx, &caller, id).await?;
            invalid(CommentFormPage {
                layout,
                project,
                body: f.body,
                errors,
            })
        }
    }
}

pub async fn comment_delete(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, comment)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    comments::delete(&state.ctx, &caller, id, id_or_404(&comment)?).await?;
    Ok(see_other(&project_url(id, "commentaire-supprime", "commentaires")))
}

// ---------------------------------------------------------------------------
// Deliverables
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "projects/life/attachment_form.html")]
struct AttachmentFormPage {
    layout: Layout,
    project: ProjectRow,
    title: String,
    errors: FieldErrors,
    max: String,
}

pub async fn attachment_new(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let project = life::editable(&state.ctx, &caller, id_or_404(&id)?).await?;
    page(AttachmentFormPage {
        layout,
        project,
        title: String::new(),
        errors: FieldErrors::new(),
        max: attachments::max_label(),
    })
}

pub async fn attachment_upload(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    // Who may attach is checked before the file is read in full.
    life::editable(&state.ctx, &caller, id).await?;
    let mut input = attachments::AttachmentInput::default();
    while let Some(field) = multipart.next_field().await.map_err(bad_upload)? {
        match field.name() {
            Some("title") => input.title = field.text().await.map_err(bad_upload)?,
            Some("file") => {
                input.file_name = field.file_name().unwrap_or_default().to_owned();
                input.content = field.bytes().await.map_err(bad_upload)?.to_vec();
            }
            _ => {}
        }
    }
    match attachments::add(&state.ctx, &caller, id, &input).await {
        Ok(_) => Ok(see_other(&project_url(id, "livrable-joint", "livrables"))),
        Err(e) => {
            let errors = field_errors(e)?;
            let project = life::editable(&state.ctx, &caller, id).await?;
            invalid(AttachmentFormPage {
                layout,
                project,
                title: input.title,
                errors,
                max: attachments::max_label(),
            })
        }
    }
}

pub async fn attachment_download(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, attachment)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let file = attachments::file(&state.ctx, &caller, id_or_404(&id)?, id_or_404(&attachment)?).await?;
    // The stored type was decided from the content at upload; a type this
    // version does not know is served as opaque bytes.
    let media_type = attachments::Kind::from_media_type(&file.media_type)
        .map(attachments::Kind::media_type)
        .unwrap_or("application/octet-stream");
    Ok(download(file.content, media_type, &header_file_name(&file.file_name)))
}

pub async fn attachment_delete(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, attachment)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    attachments::delete(&state.ctx, &caller, id, id_or_404(&attachment)?).await?;
    Ok(see_other(&project_url(id, "livrable-supprime", "livrables")))
}

// ---------------------------------------------------------------------------
// Help wanted
// ---------------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct QuestionForm {
    question: String,
}

#[derive(Template)]
#[template(path = "projects/life/help_form.html")]
struct HelpFormPage {
    layout: Layout,
    project: ProjectRow,
    question: String,
    errors: FieldErrors,
}

pub async fn help_new(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let project = life::editable(&state.ctx, &caller, id_or_404(&id)?).await?;
    page(HelpFormPage {
        layout,
        project,
        question: String::new(),
        errors: FieldErrors::new(),
    })
}

pub async fn help_ask(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(f): Form<QuestionForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match help::ask(&state.ctx, &caller, id, &f.question).await {
        Ok(request) => Ok(see_other(&help_url(id, request, "aide-demandee"))),
        Err(e) => {
            let errors = field_errors(e)?;
            let project = life::editable(&state.ctx, &caller, id).await?;
            invalid(HelpFormPage {
                layout,
                project,
                question: f.question,
                errors,
            })
        }
    }
}

#[derive(Template)]
#[template(path = "projects/life/help_request.html")]
struct HelpRequestPage {
    layout: Layout,
    project: ProjectRow,
    life: Sections,
    request: life::HelpRequest,
    message: String,
    errors: FieldErrors,
}

async fn render_help(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    id: Uuid,
    request: Uuid,
    message: String,
    errors: FieldErrors,
) -> Result<HelpRequestPage, WebError> {
    let (project, life) = life::page(&state.ctx, caller, id).await?;
    let request = life
        .help
        .iter()
        .find(|h| h.id == request)
        .cloned()
        .ok_or_else(WebError::not_found)?;
    Ok(HelpRequestPage {
        layout,
        project,
        life,
        request,
        message,
        errors,
    })
}

pub async fn help_show(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path((id, request)): Path<(String, String)>,
) -> Result<Response, WebError> {
    page(
        render_help(
            &state,
            layout,
            &caller,
            id_or_404(&id)?,
            id_or_404(&request)?,
            String::new(),
            FieldErrors::new(),
        )
        .await?,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OfferForm {
    message: String,
}

pub async fn help_offer(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path((id, request)): Path<(String, String)>,
    Form(f): Form<OfferForm>,
) -> Result<Response, WebError> {
    let (id, request) = (id_or_404(&id)?, id_or_404(&request)?);
    match help::offer(&state.ctx, &caller, id, request, &f.message).await {
        Ok(()) => Ok(see_other(&help_url(id, request, "aide-proposee"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_help(&state, layout, &caller, id, request, f.message, errors).await?)
        }
    }
}

pub async fn help_resolve(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, request)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (id, request) = (id_or_404(&id)?, id_or_404(&request)?);
    help::resolve(&state.ctx, &caller, id, request).await?;
    Ok(see_other(&help_url(id, request, "aide-resolue")))
}

pub async fn help_codev(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, request)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (id, request) = (id_or_404(&id)?, id_or_404(&request)?);
    help::to_codevelopment(&state.ctx, &caller, id, request).await?;
    Ok(see_other(&help_url(id, request, "aide-codeveloppement")))
}

#[derive(Template)]
#[template(path = "projects/life/help_list.html")]
struct HelpListPage {
    layout: Layout,
    items: Vec<help::FeedItem>,
}

/// `/entraide`: the open help requests of the projects the caller may see.
pub async fn help_list(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    maillage_core::projects::viewer(&caller)?;
    let items = help::feed(&state.ctx, &caller, 200).await?;
    page(HelpListPage { layout, items })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_are_plain_ascii() {
        assert_eq!(header_file_name("Rapport d'étape n°2.pdf"), "rapport-d-etape-n-2.pdf");
        assert_eq!(header_file_name("\"\r\n.pdf"), "pdf");
        assert_eq!(header_file_name("é"), "e");
        assert_eq!(header_file_name("«»"), "livrable");
    }
}
