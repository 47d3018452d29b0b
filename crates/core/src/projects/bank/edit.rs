//! Editing what a project says (`/projets/{id}/modifier`): its team and its
//! school. The sponsor comments, they do not edit.

use maillage_db::{organisations as db_orgs, projects as db};
use uuid::Uuid;

use super::proposal::{search_terms, text, themes, title, visibility};
use crate::{Actor, CoreResult, Ctx, FieldErrors, projects::load};

/// The edit form, as typed.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub title: String,
    pub problem: String,
    pub context: String,
    pub expected_impact: String,
    pub solution: String,
    pub impact: String,
    pub tools: String,
    pub lessons: String,
    pub contact: String,
    pub visibility: String,
    /// Theme ids.
    pub themes: Vec<String>,
    /// Ids of the organisations concerned besides the sponsor.
    pub organisations: Vec<String>,
}

/// Saves what a project says, its themes and its organisations.
pub async fn update(ctx: &Ctx, actor: &Actor, id: Uuid, input: &Input) -> CoreResult<()> {
    {
        let mut conn = ctx.db.conn().await?;
        let (_, access) = load(conn.ex(), actor, id).await?;
        access.require_edit(actor)?;
    }
    let mut errors = FieldErrors::new();
    let long = |errors: &mut FieldErrors, field, value: &str, label| text(errors, field, value, label, 8000, false);
    let mut fields = db::Fields {
        title: title(&mut errors, &input.title),
        problem: text(
            &mut errors,
            "problem",
            &input.problem,
            "problème à résoudre",
            8000,
            true,
        ),
        context: long(&mut errors, "context", &input.context, "contexte"),
        expected_impact: long(&mut errors, "expected_impact", &input.expected_impact, "impact attendu"),
        solution: long(&mut errors, "solution", &input.solution, "solution proposée"),
        impact: long(&mut errors, "impact", &input.impact, "impact constaté"),
        tools: long(&mut errors, "tools", &input.tools, "outils de formation utilisés"),
        lessons: long(&mut errors, "lessons", &input.lessons, "enseignements"),
        contact: text(&mut errors, "contact", &input.contact, "contact", 500, false),
        visibility: visibility(&mut errors, &input.visibility).key().to_owned(),
        ..Default::default()
    };
    let themes = themes(ctx, &mut errors, &input.themes).await?;
    let mut organisations = Vec::new();
    {
        let mut conn = ctx.db.conn().await?;
        for o in input.organisations.iter().filter(|o| !o.trim().is_empty()) {
            match Uuid::parse_str(o.trim()) {
                Ok(o) if db_orgs::by_id(conn.ex(), o).await?.is_some() => {
                    if !organisations.contains(&o) {
                        organisations.push(o);
                    }
                }
                _ => errors.add(
                    "organisations",
                    "Une organisation choisie n'est plus dans le réseau : rechargez la page.",
                ),
            }
        }
    }
    errors.into_result()?;
    fields.search_terms = search_terms(&fields);
    let mut tx = ctx.db.begin().await?;
    let (row, access) = load(tx.ex(), actor, id).await?;
    access.require_edit(actor)?;
    organisations.retain(|o| *o != row.sponsor_organisation_id);
    db::update(tx.ex(), id, &fields).await?;
    db::set_themes(tx.ex(), id, &themes).await?;
    db::set_organisations(tx.ex(), id, &organisations).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "project.update",
        &id.to_string(),
        &fields.title,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
