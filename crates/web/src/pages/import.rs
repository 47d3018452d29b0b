//! `/admin/import`: an organisation's administrators import the agents list
//! exported by their HR software — upload, columns, preview, validation.

use askama::Template;
use axum::{
    Form,
    extract::{Multipart, Path, State},
    response::Response,
};
use maillage_core::{
    Actor, FieldErrors,
    directory::{
        import::{self, Counts, LineAction, Preview},
        import_file::Field,
    },
    organisations::{self, Organisation},
    policy::{self, Action},
};
use serde::Deserialize;

use crate::{
    AppState,
    error::WebError,
    forms::{all, field_errors, id_or_404, invalid, page, see_other},
    layout::{Caller, Layout},
    pages::directory::bad_upload,
};

/// Organisations whose agents the caller may import.
async fn importable(state: &AppState, caller: &Actor) -> Result<Vec<Organisation>, WebError> {
    let all = organisations::list(
        &state.ctx,
        &organisations::Filter {
            per_page: 200,
            ..Default::default()
        },
    )
    .await?;
    Ok(all
        .items
        .into_iter()
        .filter(|o| policy::allows(caller, &Action::ImportPeople { organisation: o.id }))
        .collect())
}

#[derive(Template)]
#[template(path = "directory/import_upload.html")]
struct UploadPage {
    layout: Layout,
    organisations: Vec<Organisation>,
    organisation: String,
    errors: FieldErrors,
    fields: [Field; 10],
}

async fn render_upload(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    organisation: String,
    errors: FieldErrors,
) -> Result<UploadPage, WebError> {
    let organisations = importable(state, caller).await?;
    if organisations.is_empty() {
        // Not an administrator of any organisation.
        policy::require(caller, &Action::UseAccount)?;
        return Err(maillage_core::CoreError::Forbidden.into());
    }
    // With a single organisation, it is chosen already.
    let organisation = match organisations.as_slice() {
        [only] if organisation.is_empty() => only.siren.clone(),
        _ => organisation,
    };
    Ok(UploadPage {
        layout,
        organisations,
        organisation,
        errors,
        fields: Field::ALL,
    })
}

pub async fn upload_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    page(render_upload(&state, layout, &caller, String::new(), FieldErrors::new()).await?)
}

pub async fn upload(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    policy::require(&caller, &Action::UseAccount)?;
    let mut organisation = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(bad_upload)? {
        match field.name() {
            Some("organisation") => organisation = field.text().await.map_err(bad_upload)?,
            Some("file") => {
                let name = field.file_name().unwrap_or("agents.csv").to_owned();
                file = Some((name, field.bytes().await.map_err(bad_upload)?.to_vec()));
            }
            _ => {}
        }
    }
    let result = match file.filter(|(_, b)| !b.is_empty()) {
        Some((name, bytes)) => import::upload(&state.ctx, &caller, &organisation, &name, &bytes).await,
        None if organisation.trim().is_empty() => Err(FieldErrors::single(
            "organisation",
            "Choisissez l'organisation dont vous importez les agents.",
        )),
        None => Err(FieldErrors::single(
            "file",
            "Choisissez le fichier des agents (CSV) ; un fichier vide ne peut pas être importé.",
        )),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/admin/import/{id}"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_upload(&state, layout, &caller, organisation, errors).await?)
        }
    }
}

#[derive(Template)]
#[template(path = "directory/import_preview.html")]
struct PreviewPage {
    layout: Layout,
    p: Preview,
    fields: [Field; 10],
    /// Lines shown in the preview table (all problems are always listed).
    shown: usize,
}

impl PreviewPage {
    /// Column `i` currently holds field `f`.
    fn maps(&self, i: &usize, f: &Field) -> bool {
        self.p.mapping.get(*i).copied().flatten() == Some(*f)
    }
}

pub async fn preview(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let p = import::preview(&state.ctx, &caller, id_or_404(&id)?).await?;
    page(PreviewPage {
        layout,
        shown: p.plan.len().min(200),
        p,
        fields: Field::ALL,
    })
}

pub async fn set_columns(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    // One `colonne` value per column, in order.
    let columns = all(&pairs, "colonne");
    import::set_mapping(&state.ctx, &caller, id, &columns).await?;
    Ok(see_other(&format!("/admin/import/{id}#apercu")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CommitForm {
    inviter: String,
}

#[derive(Template)]
#[template(path = "directory/import_report.html")]
struct ReportPage {
    layout: Layout,
    counts: Counts,
    organisation_siren: String,
    organisation_name: String,
}

pub async fn commit(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(f): Form<CommitForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let before = import::preview(&state.ctx, &caller, id).await?;
    let counts = import::commit(&state.ctx, &caller, id, f.inviter == "oui").await?;
    page(ReportPage {
        layout,
        counts,
        organisation_siren: before.organisation_siren,
        organisation_name: before.organisation_name,
    })
}

pub async fn discard(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    import::discard(&state.ctx, &caller, id_or_404(&id)?).await?;
    Ok(see_other("/admin/import?info=import-abandonne"))
}

/// For the template: the French name of an action.
pub fn action_label(a: &LineAction) -> &'static str {
    match a {
        LineAction::Create => "Création",
        LineAction::Update => "Mise à jour",
        LineAction::Unchanged => "Inchangée",
    }
}
