//! Similar projects: those sharing themes (they weigh most) or words of the
//! title and problem with a project, among the ones the viewer may see.

use maillage_db::projects as db;
use maillage_domain::search::index_terms;

use super::{Project, hydrate};
use crate::{Actor, CoreResult, Ctx, projects::viewer};

/// How many similar projects a page shows.
pub const SHOWN: i64 = 5;

/// Words too common in the bank to say two projects are alike.
const COMMON: &[&str] = &[
    "projet", "service", "agent", "usager", "mise", "place", "plus", "leur", "nous", "avec",
];

/// The projects most like `project` (not itself), best first.
pub async fn similar(ctx: &Ctx, actor: &Actor, project: &Project) -> CoreResult<Vec<Project>> {
    let viewer = viewer(actor)?;
    let themes: Vec<_> = project.themes.iter().map(|t| t.id).collect();
    // The stems (and words) of the title and the problem, longest first:
    // the most telling ones.
    let mut terms: Vec<String> = Vec::new();
    for t in index_terms([project.row.title.as_str(), project.row.problem.as_str()]).split(' ') {
        if t.chars().count() >= 5 && !COMMON.iter().any(|c| t.starts_with(c)) && !terms.iter().any(|x| x == t) {
            terms.push(t.to_owned());
        }
    }
    terms.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
    terms.truncate(12);
    let mut conn = ctx.db.conn().await?;
    let rows = db::similar(conn.ex(), &viewer, project.id(), &themes, &terms, SHOWN).await?;
    hydrate(conn.ex(), actor, rows).await
}
