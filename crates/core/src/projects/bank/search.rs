//! Searching the bank (`/projets`, the API, the CSV export): French
//! full-text over title, problem, solution and lessons (`search_terms`,
//! matched like the catalogue: a word by prefix or its stem exactly), and
//! filters. Only the projects the viewer may see, counts included: every
//! query goes through `visible_sql`.

use maillage_db::projects as db;
use maillage_domain::{project::Status, search::Query};
use uuid::Uuid;

use super::{Project, hydrate};
use crate::{Actor, CoreResult, Ctx, projects::viewer};

pub const PER_PAGE: i64 = 20;

/// A search as typed (query string of `/projets`, API parameters). Unknown
/// or malformed filter values are ignored: a stale link still shows a bank.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pub q: String,
    /// A status key.
    pub status: String,
    /// `oui` (implemented, at least in part), `non` (not implemented), else all.
    pub implemented: String,
    pub theme: String,
    /// An organisation id: sponsor or concerned.
    pub organisation: String,
    pub school: String,
    pub promotion: String,
    pub year: String,
    pub page: i64,
}

#[derive(Debug, Clone)]
pub struct Results {
    pub items: Vec<Project>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl Results {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

fn id(raw: &str) -> Option<Uuid> {
    Uuid::parse_str(raw.trim()).ok()
}

/// The storage filter of some parameters (every project when `all`).
pub(crate) fn filter(p: &Params, page: i64, per_page: i64) -> db::Filter {
    let implemented: Option<&[Status]> = match p.implemented.trim() {
        "oui" => Some(&[Status::Implemented, Status::PartlyImplemented]),
        "non" => Some(&[Status::NotImplemented]),
        _ => None,
    };
    let status = Status::parse(p.status.trim());
    let statuses: Vec<String> = match (status, implemented) {
        (Some(s), Some(set)) if set.contains(&s) => vec![s.key().to_owned()],
        // A status outside the « implemented » choice: nothing matches.
        (Some(_), Some(_)) => vec![String::from("-")],
        (Some(s), None) => vec![s.key().to_owned()],
        (None, Some(set)) => set.iter().map(|s| s.key().to_owned()).collect(),
        (None, None) => Vec::new(),
    };
    db::Filter {
        terms: Query::parse(&p.q).map(|q| q.terms()).unwrap_or_default(),
        statuses,
        theme: id(&p.theme),
        organisation: id(&p.organisation),
        school: id(&p.school),
        promotion: id(&p.promotion),
        year: crate::dates::filter_year(&p.year).map(i64::from),
        limit: per_page,
        offset: (page - 1) * per_page,
        ..Default::default()
    }
}

/// One page of the projects the actor may see.
pub async fn search(ctx: &Ctx, actor: &Actor, p: &Params) -> CoreResult<Results> {
    let viewer = viewer(actor)?;
    let page = p.page.clamp(1, 10_000);
    let filter = filter(p, page, PER_PAGE);
    let mut conn = ctx.db.conn().await?;
    let total = db::count(conn.ex(), &viewer, &filter).await?;
    let rows = db::list(conn.ex(), &viewer, &filter).await?;
    Ok(Results {
        items: hydrate(conn.ex(), actor, rows).await?,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// « Qui a travaillé sur quoi » : the projects of a person (their directory
/// profile's team memberships) that the actor may see.
pub async fn of_profile(ctx: &Ctx, actor: &Actor, profile_id: Uuid) -> CoreResult<Vec<Project>> {
    let viewer = viewer(actor)?;
    let filter = db::Filter {
        member: Some(profile_id),
        limit: 200,
        ..Default::default()
    };
    let mut conn = ctx.db.conn().await?;
    let rows = db::list(conn.ex(), &viewer, &filter).await?;
    hydrate(conn.ex(), actor, rows).await
}
