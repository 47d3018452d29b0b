//! Searching the directory, and exporting what was found. The viewer's scope
//! goes down to the SQL (a hidden field never makes a profile match); the
//! rows come back blanked for that viewer ([`Profile::from_row`]).

use maillage_db::{organisations as orgs, profiles as db};
use maillage_domain::{category::Category, org_kind::OrgKind, reference, search::Query};
use uuid::Uuid;

use super::{
    export::{self, Card},
    profile::Profile,
};
use crate::{Actor, CoreError, CoreResult, Ctx, policy, policy::Action};

pub const PER_PAGE: i64 = 20;
/// Results counted at most: past this, « plus de 1 000 ».
pub const COUNT_CAP: i64 = 1000;
/// Rows in one CSV export at most.
pub const EXPORT_MAX: i64 = 10_000;

/// A search as typed (query string of `/annuaire`, API parameters).
/// Unknown or malformed filter values are ignored, never an error: a stale
/// link still shows a directory.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pub q: String,
    /// SIREN
    pub organisation: String,
    /// organisation kind key (`commune`, `epci`…)
    pub kind: String,
    /// région code (INSEE)
    pub region: String,
    /// département code
    pub departement: String,
    /// `A+`, `A`, `B`, `C`
    pub category: String,
    /// theme id
    pub theme: String,
    pub page: i64,
}

#[derive(Debug, Clone)]
pub struct Results {
    pub items: Vec<Profile>,
    /// Matches counted up to [`COUNT_CAP`].
    pub total: i64,
    pub capped: bool,
    pub page: i64,
    pub per_page: i64,
    /// The query had words to search for (otherwise: browsing by name).
    pub searched: bool,
}

impl Results {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

struct Resolved {
    text: Option<Query>,
    organisation: Option<Uuid>,
    kind: Option<&'static str>,
    region: Option<String>,
    departement: Option<String>,
    category: Option<&'static str>,
    theme: Option<Uuid>,
    /// A filter named something that does not exist: nothing can match.
    impossible: bool,
}

async fn resolve(ctx: &Ctx, p: &Params) -> CoreResult<Resolved> {
    let mut impossible = false;
    let organisation = match p.organisation.trim() {
        "" => None,
        siren => {
            let mut conn = ctx.db.conn().await?;
            let found = orgs::by_siren(conn.ex(), &siren.replace(' ', "")).await?.map(|o| o.id);
            impossible |= found.is_none();
            found
        }
    };
    let kind = OrgKind::parse(p.kind.trim()).map(|k| k.as_str());
    let region = Some(p.region.trim())
        .filter(|r| reference::region_name(r).is_some())
        .map(str::to_owned);
    let departement = Some(p.departement.trim())
        .filter(|d| reference::departement_name(d).is_some())
        .map(str::to_owned);
    let category = Category::parse(&p.category).ok().flatten().map(Category::as_str);
    let theme = match p.theme.trim() {
        "" => None,
        t => {
            let id = Uuid::parse_str(t).ok();
            impossible |= id.is_none();
            id
        }
    };
    Ok(Resolved {
        text: Query::parse(&p.q),
        organisation,
        kind,
        region,
        departement,
        category,
        theme,
        impossible,
    })
}

fn db_search<'a>(r: &'a Resolved, limit: i64, offset: i64) -> db::Search<'a> {
    db::Search {
        ranked: true,
        text: r.text.as_ref(),
        organisation: r.organisation,
        kind: r.kind,
        region: r.region.as_deref(),
        departement: r.departement.as_deref(),
        category: r.category,
        theme: r.theme,
        limit,
        offset,
    }
}

/// One page of the directory for this viewer.
pub async fn search(ctx: &Ctx, actor: &Actor, p: &Params) -> CoreResult<Results> {
    policy::require(actor, &Action::ViewDirectory)?;
    let scope = policy::directory_scope(actor).ok_or(CoreError::Unauthenticated)?;
    let page = p.page.clamp(1, 10_000);
    let r = resolve(ctx, p).await?;
    let searched = r.text.is_some();
    if r.impossible {
        return Ok(Results {
            items: Vec::new(),
            total: 0,
            capped: false,
            page,
            per_page: PER_PAGE,
            searched,
        });
    }
    let s = db_search(&r, PER_PAGE, (page - 1) * PER_PAGE);
    let mut conn = ctx.db.conn().await?;
    // Past the cap the page is unranked (« plus de 1 000 fiches : précisez »).
    let (total, rows) = db::search_counted(conn.ex(), &scope, &s, COUNT_CAP).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let themes = db::themes_of(conn.ex(), &ids).await?;
    let me = actor.user_id();
    Ok(Results {
        items: rows
            .into_iter()
            .map(|row| Profile::from_row(row, &themes, me))
            .collect(),
        capped: total > COUNT_CAP,
        total: total.min(COUNT_CAP),
        page,
        per_page: PER_PAGE,
        searched,
    })
}

/// The columns of a CSV export.
const CSV_HEADERS: [&str; 14] = [
    "Nom",
    "Prénom",
    "Organisation",
    "SIREN",
    "Fonction",
    "Direction",
    "Service",
    "Catégorie",
    "Cadre d'emplois",
    "Courriel",
    "Téléphone",
    "Langues",
    "Expertises",
    "Centres d'intérêt",
];

fn csv_row(p: &Profile) -> Vec<String> {
    let themes =
        |list: &[super::profile::ThemeRef]| list.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", ");
    vec![
        p.last_name.clone(),
        p.first_name.clone(),
        p.organisation_name.clone(),
        p.organisation_siren.clone(),
        p.function.clone().unwrap_or_default(),
        p.direction.clone().unwrap_or_default(),
        p.service.clone().unwrap_or_default(),
        p.category.map(|c| c.as_str().to_owned()).unwrap_or_default(),
        p.cadre.clone().unwrap_or_default(),
        p.email.clone().unwrap_or_default(),
        p.phone.clone().unwrap_or_default(),
        p.languages.join(", "),
        themes(&p.expertise),
        themes(&p.interests),
    ]
}

/// The CSV of a search (every page, up to [`EXPORT_MAX`] rows), with only
/// the fields the exporter may see. Exports of personal data are audited.
pub async fn export_csv(ctx: &Ctx, actor: &Actor, p: &Params) -> CoreResult<Vec<u8>> {
    policy::require(actor, &Action::ExportDirectory)?;
    let scope = policy::directory_scope(actor).ok_or(CoreError::Unauthenticated)?;
    let r = resolve(ctx, p).await?;
    let mut conn = ctx.db.conn().await?;
    let rows = if r.impossible {
        Vec::new()
    } else {
        db::search(conn.ex(), &scope, &db_search(&r, EXPORT_MAX, 0)).await?
    };
    let mut profiles = Vec::with_capacity(rows.len());
    let me = actor.user_id();
    for chunk in rows.chunks(500) {
        let ids: Vec<Uuid> = chunk.iter().map(|r| r.id).collect();
        let themes = db::themes_of(conn.ex(), &ids).await?;
        profiles.extend(chunk.iter().cloned().map(|row| Profile::from_row(row, &themes, me)));
    }
    drop(conn);
    let mut tx = ctx.db.begin().await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "directory.export",
        &format!("{} fiches", profiles.len()),
        &format!("q={:?}", p.q),
    )
    .await?;
    tx.commit_bookkeeping().await?;
    Ok(export::csv(&CSV_HEADERS, profiles.iter().map(csv_row)))
}

/// The vCard of a profile, with only what the viewer sees on its page.
pub async fn vcard(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<(String, String)> {
    let p = super::profile::get(ctx, actor, id).await?;
    let photo = if p.has_photo {
        let mut conn = ctx.db.conn().await?;
        db::photo(conn.ex(), id).await?
    } else {
        None
    };
    let categories: Vec<String> = p.expertise.iter().map(|t| t.name.clone()).collect();
    let card = Card {
        first_name: &p.first_name,
        last_name: &p.last_name,
        organisation: &p.organisation_name,
        direction: p.direction.as_deref(),
        service: p.service.as_deref(),
        title: p.function.as_deref(),
        email: p.email.as_deref(),
        phone: p.phone.as_deref(),
        note: p.bio.as_deref(),
        categories: &categories,
        languages: &p.languages,
        photo_jpeg: photo.as_deref(),
    };
    let file = format!(
        "{}.vcf",
        maillage_domain::text::fold_words(&p.full_name()).replace(' ', "-")
    );
    Ok((file, export::vcard(&card)))
}
