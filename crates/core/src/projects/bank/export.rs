//! The CSV of the bank (`/projets/export.csv`) for administrators: the
//! projects they may see, the search's filters applied, French headers, `;`
//! and a byte order mark, formula injection guarded — the directory's
//! writer (`directory::export::csv`).

use maillage_db::projects as db;

use super::{hydrate, search};
use crate::{
    Actor, CoreResult, Ctx,
    dates::date_fr,
    directory::export::csv as write_csv,
    policy::{self, Action},
    projects::viewer,
};

/// Most rows an export holds.
const MAX_ROWS: i64 = 50_000;

const HEADERS: &[&str] = &[
    "Intitulé",
    "Statut",
    "Raison du statut",
    "Mis en œuvre",
    "École",
    "Promotion",
    "Année",
    "Commanditaire",
    "Organisations concernées",
    "Thématiques",
    "Équipe",
    "Problème",
    "Contexte",
    "Impact attendu",
    "Solution",
    "Impact constaté",
    "Outils de formation",
    "Enseignements",
    "Début",
    "Jury",
    "Date du jury",
    "Visibilité",
    "Adresse",
];

/// The CSV bytes of the bank as `p` filters it.
pub async fn csv(ctx: &Ctx, actor: &Actor, p: &search::Params) -> CoreResult<Vec<u8>> {
    policy::require(actor, &Action::ExportProjects)?;
    let viewer = viewer(actor)?;
    let filter = search::filter(p, 1, MAX_ROWS);
    let mut conn = ctx.db.conn().await?;
    let rows = db::list(conn.ex(), &viewer, &filter).await?;
    let projects = hydrate(conn.ex(), actor, rows).await?;
    let site = ctx.settings.public_url();
    Ok(write_csv(
        HEADERS,
        projects.into_iter().map(|p| {
            let r = &p.row;
            vec![
                r.title.clone(),
                p.status.label().to_owned(),
                r.status_reason.clone(),
                p.implemented_label().to_owned(),
                r.school_name.clone(),
                r.promotion_name.clone().unwrap_or_default(),
                r.year.to_string(),
                r.sponsor_organisation_name.clone(),
                p.organisations
                    .iter()
                    .map(|o| o.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                p.themes.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", "),
                p.members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", "),
                r.problem.clone(),
                r.context.clone(),
                r.expected_impact.clone(),
                r.solution.clone(),
                r.impact.clone(),
                r.tools.clone(),
                r.lessons.clone(),
                r.started_on.map(date_fr).unwrap_or_default(),
                r.jury.clone(),
                r.jury_on.map(date_fr).unwrap_or_default(),
                p.visibility.label().to_owned(),
                format!("{site}/projets/{}", r.id),
            ]
        }),
    ))
}
