//! Directory profiles, their themes, photos, change history and full-text
//! index.
//!
//! Privacy lives in one SQL expression, [`tier_sql`]: for each profile, the
//! viewer's tier (0 network, 1 same organisation, 2 the person themself or an
//! administrator). A profile is listed when `listed <= tier`, a field is seen
//! when its `*_vis <= tier`, and a search matches only the index row written
//! for that tier, which holds only the fields visible at that tier. Every
//! read here returns the tier so that the core blanks the fields the same
//! way.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Backend, DbResult, Ex, query, query::Query};

/// Who is looking, as the storage needs it (built by `core::policy`).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// The coordinator: tier 2 everywhere.
    pub everything: bool,
    /// The viewer's account: tier 2 on their own profile.
    pub me: Option<Uuid>,
    /// Organisations the viewer administers: tier 2.
    pub admin_of: Vec<Uuid>,
    /// Organisations the viewer belongs to: tier 1.
    pub member_of: Vec<Uuid>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProfileRow {
    pub id: Uuid,
    pub search_seq: i64,
    pub user_id: Option<Uuid>,
    pub organisation_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub function_title: String,
    pub function_vis: i32,
    pub direction: String,
    pub service: String,
    pub unit_vis: i32,
    pub category: Option<String>,
    pub category_vis: i32,
    pub cadre: String,
    pub cadre_vis: i32,
    pub email: Option<String>,
    pub email_vis: i32,
    pub phone: Option<String>,
    pub phone_vis: i32,
    pub bio: String,
    pub bio_vis: i32,
    pub languages: String,
    pub languages_vis: i32,
    pub themes_vis: i32,
    pub photo_vis: i32,
    pub listed: i32,
    pub consented_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub org_name: String,
    pub org_siren: String,
    pub org_kind: String,
    pub org_departement: Option<String>,
    pub has_photo: bool,
    /// When the person took their current post (who a « prise de poste »
    /// path concerns), their line manager's profile, and who sees their
    /// training record (`*_vis` levels).
    pub post_started_on: Option<time::Date>,
    pub manager_id: Option<Uuid>,
    pub training_vis: i32,
    /// Who sees the person's promotions as alumni (`*_vis` level).
    pub alumni_vis: i32,
    /// The viewer's tier for this profile (see the module comment).
    pub tier: i32,
}

const COLUMNS: &str = "p.id, p.search_seq, p.user_id, p.organisation_id, p.first_name, p.last_name, \
    p.function_title, p.function_vis, p.direction, p.service, p.unit_vis, p.category, p.category_vis, \
    p.cadre, p.cadre_vis, p.email, p.email_vis, p.phone, p.phone_vis, p.bio, p.bio_vis, p.languages, \
    p.languages_vis, p.themes_vis, p.photo_vis, p.listed, p.consented_at, p.created_at, p.updated_at, \
    o.name AS org_name, o.siren AS org_siren, o.kind AS org_kind, o.departement AS org_departement, \
    EXISTS (SELECT 1 FROM profile_photos ph WHERE ph.profile_id = p.id) AS has_photo, \
    p.post_started_on, p.manager_id, p.training_vis, p.alumni_vis";

/// The viewer's tier for the profile `p` as an SQL expression, its
/// arguments bound on `q`. The one place where relation → tier is decided.
pub fn tier_sql(mut q: Query, scope: &Scope) -> (Query, String) {
    if scope.everything {
        return (q, "CAST(2 AS INTEGER)".to_owned());
    }
    let mut top = Vec::new();
    if let Some(me) = scope.me {
        top.push(format!("p.user_id = {}", q.next_placeholder()));
        q = q.bind(me);
    }
    if !scope.admin_of.is_empty() {
        let (nq, marks) = q.bind_list(&scope.admin_of);
        q = nq;
        top.push(format!("p.organisation_id IN ({marks})"));
    }
    let mut sql = String::from("CAST(CASE");
    if !top.is_empty() {
        sql.push_str(&format!(" WHEN {} THEN 2", top.join(" OR ")));
    }
    if !scope.member_of.is_empty() {
        let (nq, marks) = q.bind_list(&scope.member_of);
        q = nq;
        sql.push_str(&format!(" WHEN p.organisation_id IN ({marks}) THEN 1"));
    }
    sql.push_str(" ELSE 0 END AS INTEGER)");
    (q, sql)
}

/// A condition on a full-text row `f` (rowid = `search_seq * 4 + tier`)
/// that keeps every row that can be at the viewer's tier for its profile,
/// and leaves out rows that cannot, before they are joined to their profile:
/// a member's search would otherwise join the tier-2 rows of every match,
/// which only their own profile can use. Derived from [`tier_sql`]: tier 2
/// comes from `me`, `admin_of` or `everything`, tier 1 from `member_of`.
/// `None`: any tier may be the viewer's (an administrator).
fn tier_rows_sql(mut q: Query, scope: &Scope) -> (Query, Option<String>) {
    if scope.everything {
        return (q, Some("f.rowid % 4 = 2".to_owned()));
    }
    if !scope.admin_of.is_empty() {
        return (q, None);
    }
    let mut sql = if scope.member_of.is_empty() {
        "f.rowid % 4 = 0".to_owned()
    } else {
        "f.rowid % 4 < 2".to_owned()
    };
    if let Some(me) = scope.me {
        sql = format!(
            "({sql} OR f.rowid / 4 IN (SELECT search_seq FROM profiles WHERE user_id = {}))",
            q.next_placeholder()
        );
        q = q.bind(me);
    }
    (q, Some(sql))
}

/// What a directory search asks for, beyond the viewer's scope.
#[derive(Debug, Default, Clone)]
pub struct Search<'a> {
    pub text: Option<&'a maillage_domain::search::Query>,
    pub organisation: Option<Uuid>,
    pub kind: Option<&'a str>,
    pub region: Option<&'a str>,
    pub departement: Option<&'a str>,
    pub category: Option<&'a str>,
    pub theme: Option<Uuid>,
    /// Rank the matches (best first). Off when a search matches so many
    /// profiles that ranking them all would cost more than it helps: the
    /// page then comes in index order, and the viewer is asked to refine.
    pub ranked: bool,
    pub limit: i64,
    pub offset: i64,
}

/// FROM … WHERE … of a search, the tier expression (for the SELECT list)
/// and the ranking (for ORDER BY). Field filters (category, theme) apply
/// only where the viewer may see the field: a hidden field never makes a
/// profile match.
struct SearchSql {
    q: Query,
    from: String,
    tier: String,
    /// Sort keys, most significant first: (expression, `""` or `" DESC"`).
    order: Vec<(String, &'static str)>,
    /// The names-only MATCH expression for `{names}` in `order`, bound by
    /// the page after the filters (a count has no use for it).
    names: Option<String>,
}

/// What the statement is for: its plan differs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Page,
    Count,
}

/// `fts` is the SQLite MATCH expression of `s.text` ([`sqlite_match`]).
fn search_sql(backend: Backend, scope: &Scope, s: &Search<'_>, fts: Option<&str>, purpose: Purpose) -> SearchSql {
    let (mut q, tier) = tier_sql(Query::dynamic(String::new()), scope);
    let mut sql = String::new();
    let order: Vec<(String, &'static str)>;
    let mut names = None;
    let org_filters = s.kind.is_some() || s.region.is_some() || s.departement.is_some();
    // SQLite only: counting by organisation-level filters (région,
    // département, kind) starts from the organisations and reaches their
    // profiles through `profiles_org`. From `profiles_category`, the count
    // walked half the directory checking each profile's région (finding 4
    // of docs/BENCHMARKS.md). The page keeps the name-ordered plan: it stops
    // after 20 rows.
    let org_first = purpose == Purpose::Count
        && backend == Backend::Sqlite
        && s.text.is_none()
        && s.organisation.is_none()
        && org_filters;
    match (s.text, backend) {
        (Some(text), Backend::Sqlite) => {
            // The organisation is read only for its filters: each match
            // would otherwise pay one more lookup.
            let organisations = if org_filters {
                " JOIN organisations o ON o.id = p.organisation_id"
            } else {
                ""
            };
            let expr = fts.map_or_else(|| text.fts5(), str::to_owned);
            let m = q.next_placeholder();
            q = q.bind(expr.as_str());
            let (nq, rows) = tier_rows_sql(q, scope);
            q = nq;
            let rows = rows.map(|r| format!(" AND {r}")).unwrap_or_default();
            sql.push_str(&format!(
                // CROSS JOIN: the full-text index drives (SQLite keeps the
                // order); otherwise a filter's index may be chosen first and
                // the MATCH re-run for every profile it yields. The profile
                // is read from its covering index (migration 0007).
                " FROM profile_fts f CROSS JOIN profiles p INDEXED BY profiles_search \
                 ON p.search_seq = f.rowid / 4{organisations} \
                 WHERE profile_fts MATCH {m}{rows} AND f.rowid % 4 = {tier}"
            ));
            // Name matches first, then bm25 (lower is better; names weigh ten
            // times the other fields). bm25 alone is not enough: its IDF is
            // clamped to zero for a term in half the rows or more, which in a
            // small directory makes every score equal.
            order = if s.ranked {
                names = Some(format!("{{names}} : ({expr})"));
                vec![
                    (
                        "(f.rowid IN (SELECT rowid FROM profile_fts WHERE profile_fts MATCH {names}))".to_owned(),
                        " DESC",
                    ),
                    ("bm25(profile_fts, 10.0, 1.0)".to_owned(), ""),
                    ("p.name_sort".to_owned(), ""),
                    ("p.id".to_owned(), ""),
                ]
            } else {
                // FTS5 yields rowids in order: no sort, and the scan stops
                // at LIMIT.
                vec![("f.rowid".to_owned(), "")]
            };
        }
        (Some(text), Backend::Postgres) => {
            let m = q.next_placeholder();
            sql.push_str(&format!(
                " FROM profile_fts f JOIN profiles p ON p.id = f.profile_id \
                 JOIN organisations o ON o.id = p.organisation_id \
                 WHERE f.document @@ to_tsquery('simple', {m}) AND f.tier = {tier}"
            ));
            q = q.bind(text.tsquery());
            order = vec![
                (format!("ts_rank(f.document, to_tsquery('simple', {m}))"), " DESC"),
                ("p.name_sort".to_owned(), ""),
                ("p.id".to_owned(), ""),
            ];
        }
        (None, _) if org_first => {
            sql.push_str(" FROM organisations o CROSS JOIN profiles p ON p.organisation_id = o.id WHERE 1 = 1");
            order = Vec::new();
        }
        (None, _) => {
            sql.push_str(" FROM profiles p JOIN organisations o ON o.id = p.organisation_id WHERE 1 = 1");
            order = vec![("p.name_sort".to_owned(), ""), ("p.id".to_owned(), "")];
        }
    }
    sql.push_str(&format!(" AND p.listed <= {tier}"));
    if let Some(org) = s.organisation {
        sql.push_str(&format!(" AND p.organisation_id = {}", q.next_placeholder()));
        q = q.bind(org);
    }
    for (col, v) in [
        ("o.kind", s.kind),
        ("o.region", s.region),
        ("o.departement", s.departement),
    ] {
        if let Some(v) = v {
            sql.push_str(&format!(" AND {col} = {}", q.next_placeholder()));
            q = q.bind(v);
        }
    }
    if let Some(c) = s.category {
        // `+p.category` (SQLite's no-op unary plus) keeps the category index
        // out of the organisation-first plan.
        let column = if org_first { "+p.category" } else { "p.category" };
        sql.push_str(&format!(
            " AND {column} = {} AND p.category_vis <= {tier}",
            q.next_placeholder()
        ));
        q = q.bind(c);
    }
    if let Some(t) = s.theme {
        sql.push_str(&format!(
            " AND p.themes_vis <= {tier} AND EXISTS (SELECT 1 FROM profile_themes pt \
             WHERE pt.profile_id = p.id AND pt.theme_id = {})",
            q.next_placeholder()
        ));
        q = q.bind(t);
    }
    SearchSql {
        q,
        from: sql,
        tier,
        order,
        names,
    }
}

/// One page of a search, best matches first (by name when browsing).
///
/// In two steps: the inner statement sorts only the keys and keeps the page,
/// the outer one reads the columns of those rows alone. Sorting whole rows
/// carried every column of every match through the sort (finding 3 of
/// docs/BENCHMARKS.md). SQLite does not flatten a LIMIT subquery into a
/// join, so the steps stay apart.
pub async fn search(mut ex: Ex<'_>, scope: &Scope, s: &Search<'_>) -> DbResult<Vec<ProfileRow>> {
    let fts = sqlite_match(ex.reborrow(), s).await?;
    search_page(ex, scope, s, fts.as_deref()).await
}

async fn search_page(ex: Ex<'_>, scope: &Scope, s: &Search<'_>, fts: Option<&str>) -> DbResult<Vec<ProfileRow>> {
    let SearchSql {
        mut q,
        from,
        tier,
        mut order,
        names,
    } = search_sql(ex.backend(), scope, s, fts, Purpose::Page);
    if let Some(names) = names {
        for (expr, _) in order.iter_mut().filter(|(e, _)| e.contains("{names}")) {
            *expr = expr.replace("{names}", &q.next_placeholder());
            q = q.bind(names.as_str());
        }
    }
    let keys: Vec<String> = order
        .iter()
        .enumerate()
        .map(|(i, (expr, _))| format!(", {expr} AS k{i}"))
        .collect();
    let sort = |prefix: &str| {
        order
            .iter()
            .enumerate()
            .map(|(i, (_, dir))| format!("{prefix}k{i}{dir}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sql = format!(
        "SELECT {COLUMNS}, k.tier AS tier FROM (SELECT p.id AS pid, {tier} AS tier{keys}{from} \
         ORDER BY {inner} LIMIT {limit} OFFSET {offset}) k \
         JOIN profiles p ON p.id = k.pid JOIN organisations o ON o.id = p.organisation_id \
         ORDER BY {outer}",
        keys = keys.concat(),
        inner = sort(""),
        outer = sort("k."),
        limit = s.limit.clamp(1, 10_000),
        offset = s.offset.max(0),
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// How many profiles a search finds, counted up to `cap` (a search for
/// « a » should not count 250,000 rows to say « plus de 1 000 »).
pub async fn count(mut ex: Ex<'_>, scope: &Scope, s: &Search<'_>, cap: i64) -> DbResult<i64> {
    let fts = sqlite_match(ex.reborrow(), s).await?;
    count_matches(ex, scope, s, fts.as_deref(), cap).await
}

async fn count_matches(ex: Ex<'_>, scope: &Scope, s: &Search<'_>, fts: Option<&str>, cap: i64) -> DbResult<i64> {
    let SearchSql { q, from, .. } = search_sql(ex.backend(), scope, s, fts, Purpose::Count);
    let sql = format!("SELECT COUNT(*) FROM (SELECT 1 AS one{from} LIMIT {}) c", cap.max(1));
    ex.fetch_scalar(q.with_sql(sql)).await
}

/// One page of a search and how many profiles it finds, counted up to
/// `cap + 1` (more than `cap`: « plus de 1 000 »). Past the cap the page is
/// unranked (ranking every match would cost more than it helps, the viewer
/// is asked to refine); up to it, ranked.
///
/// On SQLite, a text search evaluates its full-text query once: the first
/// `cap + 1` matches in index order are both the count and, past the cap,
/// the page. Reading those matches (and joining each to its profile) is
/// most of a broad search's cost, and counting then paging paid it twice.
/// Elsewhere a count, then the page.
pub async fn search_counted(
    mut ex: Ex<'_>,
    scope: &Scope,
    s: &Search<'_>,
    cap: i64,
) -> DbResult<(i64, Vec<ProfileRow>)> {
    let cap = cap.max(1);
    let mut s = s.clone();
    let fts = sqlite_match(ex.reborrow(), &s).await?;
    if let Some(fts) = fts.as_deref() {
        // The first cap + 1 matches, counted by a window, and the page's
        // keys among them: only the page's rows leave SQLite (each row
        // fetched through sqlx costs as much as a few matches evaluated).
        #[derive(sqlx::FromRow)]
        struct Key {
            pid: Uuid,
            total: i64,
        }
        let SearchSql { q, from, .. } = search_sql(Backend::Sqlite, scope, &s, Some(fts), Purpose::Count);
        let (offset, limit) = (s.offset.max(0), s.limit.clamp(1, 10_000));
        let sql = format!(
            "SELECT pid, total FROM (SELECT pid, r, COUNT(*) OVER () AS total FROM \
             (SELECT p.id AS pid, f.rowid AS r{from} ORDER BY f.rowid LIMIT {})) \
             ORDER BY r LIMIT {limit} OFFSET {offset}",
            cap + 1
        );
        let keys: Vec<Key> = ex.reborrow().fetch_all(q.with_sql(sql)).await?;
        match keys.first().map(|k| k.total) {
            // Past the cap, and the page among the counted matches.
            Some(total) if total > cap => {
                let ids: Vec<Uuid> = keys.iter().map(|k| k.pid).collect();
                return Ok((total, by_ids_in_order(ex, scope, &ids).await?));
            }
            Some(total) => {
                s.ranked = true;
                return Ok((total, search_page(ex, scope, &s, Some(fts)).await?));
            }
            None if offset == 0 => return Ok((0, Vec::new())),
            // A page beyond the counted matches: counted again below.
            None => {}
        }
    }
    let total = count_matches(ex.reborrow(), scope, &s, fts.as_deref(), cap + 1).await?;
    s.ranked = total <= cap;
    Ok((total, search_page(ex, scope, &s, fts.as_deref()).await?))
}

/// Most indexed terms a search word is spelled out as; a word that begins
/// more (« co ») stays a prefix query.
const MAX_PREFIX_TERMS: usize = 64;

/// Words this short are prefix queries as they are: `profile_fts` keeps a
/// prefix index for two and three letters, read as lazily as a term.
const INDEXED_PREFIX_LEN: usize = 3;

/// The SQLite MATCH expression of a text search (`None` on PostgreSQL or
/// without text), each word longer than the prefix index's spelled out as
/// the indexed terms it begins (`profile_fts_terms`): see
/// [`maillage_domain::search::Query::fts5_expanded`].
async fn sqlite_match(mut ex: Ex<'_>, s: &Search<'_>) -> DbResult<Option<String>> {
    let Some(text) = s.text.filter(|_| ex.backend() == Backend::Sqlite) else {
        return Ok(None);
    };
    let mut expansions = Vec::new();
    for (word, _) in text.terms() {
        if word.chars().count() <= INDEXED_PREFIX_LEN {
            expansions.push(None);
            continue;
        }
        let terms: Vec<(String,)> = ex
            .reborrow()
            .fetch_all(
                query("SELECT term FROM profile_fts_terms WHERE term >= $1 ORDER BY term LIMIT $2")
                    .bind(word.as_str())
                    .bind(MAX_PREFIX_TERMS as i64 + 1),
            )
            .await?;
        let terms: Vec<String> = terms
            .into_iter()
            .map(|(t,)| t)
            .take_while(|t| t.starts_with(word.as_str()))
            .collect();
        // None found: the vocabulary may not know a term the index holds
        // (nothing should write one without the other, but a prefix query
        // finds it regardless and costs nothing when nothing matches).
        let usable = !terms.is_empty() && terms.len() <= MAX_PREFIX_TERMS;
        expansions.push(usable.then_some(terms));
    }
    Ok(Some(text.fts5_expanded(&expansions)))
}

/// These profiles with the viewer's tier, in the order of `ids`.
async fn by_ids_in_order(ex: Ex<'_>, scope: &Scope, ids: &[Uuid]) -> DbResult<Vec<ProfileRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (q, tier) = tier_sql(Query::dynamic(String::new()), scope);
    let (q, marks) = q.bind_list(ids);
    let sql = format!(
        "SELECT {COLUMNS}, {tier} AS tier FROM profiles p JOIN organisations o ON o.id = p.organisation_id \
         WHERE p.id IN ({marks})"
    );
    let mut rows: Vec<ProfileRow> = ex.fetch_all(q.with_sql(sql)).await?;
    rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    Ok(rows)
}

/// One profile with the viewer's tier, whether or not the viewer may see it
/// (the core decides with `listed` and the tier).
pub async fn by_id(ex: Ex<'_>, scope: &Scope, id: Uuid) -> DbResult<Option<ProfileRow>> {
    let (q, tier) = tier_sql(Query::dynamic(String::new()), scope);
    let p = q.next_placeholder();
    let sql = format!(
        "SELECT {COLUMNS}, {tier} AS tier FROM profiles p JOIN organisations o ON o.id = p.organisation_id \
         WHERE p.id = {p}"
    );
    ex.fetch_optional(q.bind(id).with_sql(sql)).await
}

/// The profile of an account.
pub async fn id_of_user(ex: Ex<'_>, user_id: Uuid) -> DbResult<Option<Uuid>> {
    let row: Option<(Uuid,)> = ex
        .fetch_optional(query("SELECT id FROM profiles WHERE user_id = $1").bind(user_id))
        .await?;
    Ok(row.map(|r| r.0))
}

/// A profile's id, organisation and account by its (normalised) email.
pub async fn by_email(ex: Ex<'_>, email: &str) -> DbResult<Option<(Uuid, Uuid, Option<Uuid>)>> {
    ex.fetch_optional(query("SELECT id, organisation_id, user_id FROM profiles WHERE email = $1").bind(email))
        .await
}

/// The editable content of a profile (everything but ids, dates and the
/// account link).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub first_name: String,
    pub last_name: String,
    pub function_title: String,
    pub function_vis: i32,
    pub direction: String,
    pub service: String,
    pub unit_vis: i32,
    pub category: Option<String>,
    pub category_vis: i32,
    pub cadre: String,
    pub cadre_vis: i32,
    pub email: Option<String>,
    pub email_vis: i32,
    pub phone: Option<String>,
    pub phone_vis: i32,
    pub bio: String,
    pub bio_vis: i32,
    pub languages: String,
    pub languages_vis: i32,
    pub themes_vis: i32,
    pub photo_vis: i32,
    pub listed: i32,
}

impl From<&ProfileRow> for Fields {
    fn from(r: &ProfileRow) -> Fields {
        Fields {
            first_name: r.first_name.clone(),
            last_name: r.last_name.clone(),
            function_title: r.function_title.clone(),
            function_vis: r.function_vis,
            direction: r.direction.clone(),
            service: r.service.clone(),
            unit_vis: r.unit_vis,
            category: r.category.clone(),
            category_vis: r.category_vis,
            cadre: r.cadre.clone(),
            cadre_vis: r.cadre_vis,
            email: r.email.clone(),
            email_vis: r.email_vis,
            phone: r.phone.clone(),
            phone_vis: r.phone_vis,
            bio: r.bio.clone(),
            bio_vis: r.bio_vis,
            languages: r.languages.clone(),
            languages_vis: r.languages_vis,
            themes_vis: r.themes_vis,
            photo_vis: r.photo_vis,
            listed: r.listed,
        }
    }
}

const FIELD_COLUMNS: [&str; 22] = [
    "first_name",
    "last_name",
    "function_title",
    "function_vis",
    "direction",
    "service",
    "unit_vis",
    "category",
    "category_vis",
    "cadre",
    "cadre_vis",
    "email",
    "email_vis",
    "phone",
    "phone_vis",
    "bio",
    "bio_vis",
    "languages",
    "languages_vis",
    "themes_vis",
    "photo_vis",
    "listed",
];

fn bind_fields(mut q: Query, f: &Fields) -> Query {
    q = q
        .bind(f.first_name.as_str())
        .bind(f.last_name.as_str())
        .bind(f.function_title.as_str())
        .bind(f.function_vis)
        .bind(f.direction.as_str())
        .bind(f.service.as_str())
        .bind(f.unit_vis)
        .bind(f.category.as_deref())
        .bind(f.category_vis)
        .bind(f.cadre.as_str())
        .bind(f.cadre_vis)
        .bind(f.email.as_deref())
        .bind(f.email_vis)
        .bind(f.phone.as_deref())
        .bind(f.phone_vis)
        .bind(f.bio.as_str())
        .bind(f.bio_vis)
        .bind(f.languages.as_str())
        .bind(f.languages_vis)
        .bind(f.themes_vis)
        .bind(f.photo_vis)
        .bind(f.listed);
    q
}

fn name_sort(f: &Fields) -> String {
    maillage_domain::text::fold(&format!("{} {}", f.last_name, f.first_name))
}

/// Inserts a profile; returns its id and search sequence number. A unique
/// violation on `profiles.email` means the address is another profile's.
pub async fn insert(
    mut ex: Ex<'_>,
    organisation_id: Uuid,
    user_id: Option<Uuid>,
    f: &Fields,
    consented: bool,
) -> DbResult<(Uuid, i64)> {
    let id = crate::new_id();
    let now = crate::now();
    let n = FIELD_COLUMNS.len();
    let marks: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    // SQLite numbers profiles for FTS5 rowids inside the single writer;
    // PostgreSQL takes its sequence.
    let (seq_col, seq_val) = match ex.backend() {
        Backend::Sqlite => (
            "search_seq, ",
            "(SELECT COALESCE(MAX(search_seq), 0) + 1 FROM profiles), ".to_owned(),
        ),
        Backend::Postgres => ("", String::new()),
    };
    let sql = format!(
        "INSERT INTO profiles ({seq_col}{}, id, organisation_id, user_id, name_sort, consented_at, created_at, \
         updated_at) VALUES ({seq_val}{}, ${}, ${}, ${}, ${}, ${}, ${}, ${}) RETURNING search_seq",
        FIELD_COLUMNS.join(", "),
        marks.join(", "),
        n + 1,
        n + 2,
        n + 3,
        n + 4,
        n + 5,
        n + 6,
        n + 6
    );
    let q = bind_fields(Query::dynamic(sql), f)
        .bind(id)
        .bind(organisation_id)
        .bind(user_id)
        .bind(name_sort(f))
        .bind(consented.then_some(now))
        .bind(now);
    let seq = ex.reborrow().fetch_scalar(q).await?;
    Ok((id, seq))
}

/// Replaces a profile's fields.
pub async fn update(ex: Ex<'_>, id: Uuid, f: &Fields) -> DbResult<u64> {
    let n = FIELD_COLUMNS.len();
    let sets: Vec<String> = FIELD_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE profiles SET {}, name_sort = ${}, updated_at = ${} WHERE id = ${}",
        sets.join(", "),
        n + 1,
        n + 2,
        n + 3
    );
    ex.execute(
        bind_fields(Query::dynamic(sql), f)
            .bind(name_sort(f))
            .bind(crate::now())
            .bind(id),
    )
    .await
}

/// Deletes a profile and its index rows (FTS5 rows are not tied to the
/// profile by a foreign key).
pub async fn delete(mut ex: Ex<'_>, id: Uuid, seq: i64) -> DbResult<u64> {
    if ex.backend() == Backend::Sqlite {
        ex.reborrow()
            .execute(
                query("DELETE FROM profile_fts WHERE rowid IN ($1, $2, $3)")
                    .bind(seq * 4)
                    .bind(seq * 4 + 1)
                    .bind(seq * 4 + 2),
            )
            .await?;
    }
    ex.execute(query("DELETE FROM profiles WHERE id = $1").bind(id)).await
}

pub async fn set_consented(ex: Ex<'_>, id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("UPDATE profiles SET consented_at = $2 WHERE id = $1 AND consented_at IS NULL")
            .bind(id)
            .bind(crate::now()),
    )
    .await
}

/// Links an account to the profile carrying its address, if that profile
/// has no account yet. Returns the profile's id.
pub async fn link_user_by_email(ex: Ex<'_>, user_id: Uuid, email: &str) -> DbResult<Option<Uuid>> {
    let row: Option<(Uuid,)> = ex
        .fetch_optional(
            query("UPDATE profiles SET user_id = $1 WHERE email = $2 AND user_id IS NULL RETURNING id")
                .bind(user_id)
                .bind(email),
        )
        .await?;
    Ok(row.map(|r| r.0))
}

/// Replaces the full-text rows of a profile: `docs[tier] = (names, body)`,
/// already analysed (`maillage_domain::search::index_terms`).
pub async fn set_index(mut ex: Ex<'_>, id: Uuid, seq: i64, docs: &[(String, String); 3]) -> DbResult<()> {
    match ex.backend() {
        Backend::Sqlite => {
            ex.reborrow()
                .execute(
                    query("DELETE FROM profile_fts WHERE rowid IN ($1, $2, $3)")
                        .bind(seq * 4)
                        .bind(seq * 4 + 1)
                        .bind(seq * 4 + 2),
                )
                .await?;
            for (tier, (names, body)) in docs.iter().enumerate() {
                ex.reborrow()
                    .execute(
                        query("INSERT INTO profile_fts (rowid, names, body) VALUES ($1, $2, $3)")
                            .bind(seq * 4 + tier as i64)
                            .bind(names.as_str())
                            .bind(body.as_str()),
                    )
                    .await?;
            }
            // The documents are already analysed: their words, split on
            // spaces, are the terms FTS5 stores (see `sqlite_match`).
            let terms: std::collections::BTreeSet<&str> = docs
                .iter()
                .flat_map(|(names, body)| names.split(' ').chain(body.split(' ')))
                .filter(|t| !t.is_empty())
                .collect();
            if !terms.is_empty() {
                let mut q = Query::dynamic(String::new());
                let mut rows = Vec::with_capacity(terms.len());
                for term in terms {
                    rows.push(format!("({})", q.next_placeholder()));
                    q = q.bind(term);
                }
                let sql = format!(
                    "INSERT OR IGNORE INTO profile_fts_terms (term) VALUES {}",
                    rows.join(", ")
                );
                ex.reborrow().execute(q.with_sql(sql)).await?;
            }
        }
        Backend::Postgres => {
            ex.reborrow()
                .execute(query("DELETE FROM profile_fts WHERE profile_id = $1").bind(id))
                .await?;
            for (tier, (names, body)) in docs.iter().enumerate() {
                ex.reborrow()
                    .execute(
                        query(
                            "INSERT INTO profile_fts (profile_id, tier, document) VALUES ($1, $2, \
                             setweight(to_tsvector('simple', $3), 'A') || to_tsvector('simple', $4))",
                        )
                        .bind(id)
                        .bind(tier as i32)
                        .bind(names.as_str())
                        .bind(body.as_str()),
                    )
                    .await?;
            }
        }
    }
    Ok(())
}

// ---- themes ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ThemeRow {
    pub id: Uuid,
    pub name: String,
}

pub async fn themes(ex: Ex<'_>) -> DbResult<Vec<ThemeRow>> {
    ex.fetch_all(query("SELECT id, name FROM themes ORDER BY name_folded"))
        .await
}

/// A unique violation on `themes.name_folded` means the theme exists.
pub async fn insert_theme(ex: Ex<'_>, name: &str) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query("INSERT INTO themes (id, name, name_folded, created_at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(name)
            .bind(maillage_domain::text::fold(name))
            .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

pub async fn rename_theme(ex: Ex<'_>, id: Uuid, name: &str) -> DbResult<u64> {
    ex.execute(
        query("UPDATE themes SET name = $2, name_folded = $3 WHERE id = $1")
            .bind(id)
            .bind(name)
            .bind(maillage_domain::text::fold(name)),
    )
    .await
}

pub async fn delete_theme(ex: Ex<'_>, id: Uuid) -> DbResult<u64> {
    ex.execute(query("DELETE FROM themes WHERE id = $1").bind(id)).await
}

/// Profiles holding a theme (to re-index them after a rename or removal).
pub async fn with_theme(ex: Ex<'_>, theme_id: Uuid) -> DbResult<Vec<Uuid>> {
    let rows: Vec<(Uuid,)> = ex
        .fetch_all(query("SELECT DISTINCT profile_id FROM profile_themes WHERE theme_id = $1").bind(theme_id))
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProfileThemeRow {
    pub profile_id: Uuid,
    pub theme_id: Uuid,
    pub name: String,
    pub kind: String,
}

/// The themes of some profiles, by name.
pub async fn themes_of(ex: Ex<'_>, profile_ids: &[Uuid]) -> DbResult<Vec<ProfileThemeRow>> {
    if profile_ids.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = Query::dynamic(String::new()).bind_list(profile_ids);
    let sql = format!(
        "SELECT pt.profile_id, pt.theme_id, t.name, pt.kind FROM profile_themes pt \
         JOIN themes t ON t.id = pt.theme_id WHERE pt.profile_id IN ({marks}) ORDER BY t.name_folded"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

pub async fn set_themes(mut ex: Ex<'_>, profile_id: Uuid, themes: &[(Uuid, &str)]) -> DbResult<()> {
    ex.reborrow()
        .execute(query("DELETE FROM profile_themes WHERE profile_id = $1").bind(profile_id))
        .await?;
    for (theme, kind) in themes {
        ex.reborrow()
            .execute(
                query("INSERT INTO profile_themes (profile_id, theme_id, kind) VALUES ($1, $2, $3)")
                    .bind(profile_id)
                    .bind(*theme)
                    .bind(*kind),
            )
            .await?;
    }
    Ok(())
}

// ---- photos ----

pub async fn photo(ex: Ex<'_>, profile_id: Uuid) -> DbResult<Option<Vec<u8>>> {
    let row: Option<(Vec<u8>,)> = ex
        .fetch_optional(query("SELECT jpeg FROM profile_photos WHERE profile_id = $1").bind(profile_id))
        .await?;
    Ok(row.map(|r| r.0))
}

pub async fn set_photo(ex: Ex<'_>, profile_id: Uuid, jpeg: Option<&[u8]>) -> DbResult<u64> {
    match jpeg {
        Some(bytes) => {
            ex.execute(
                query(
                    "INSERT INTO profile_photos (profile_id, jpeg, updated_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (profile_id) DO UPDATE SET jpeg = excluded.jpeg, updated_at = excluded.updated_at",
                )
                .bind(profile_id)
                .bind(bytes)
                .bind(crate::now()),
            )
            .await
        }
        None => {
            ex.execute(query("DELETE FROM profile_photos WHERE profile_id = $1").bind(profile_id))
                .await
        }
    }
}

// ---- history ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChangeRow {
    pub changed_at: OffsetDateTime,
    pub source: String,
    pub fields: String,
    pub changed_by_name: Option<String>,
}

pub async fn record_change(
    ex: Ex<'_>,
    profile_id: Uuid,
    changed_by: Option<Uuid>,
    source: &str,
    fields: &[&str],
) -> DbResult<u64> {
    ex.execute(
        query(
            "INSERT INTO profile_changes (id, profile_id, changed_by, changed_at, source, fields) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(crate::new_id())
        .bind(profile_id)
        .bind(changed_by)
        .bind(crate::now())
        .bind(source)
        .bind(fields.join(",")),
    )
    .await
}

pub async fn changes(ex: Ex<'_>, profile_id: Uuid, limit: i64) -> DbResult<Vec<ChangeRow>> {
    ex.fetch_all(
        query(
            "SELECT c.changed_at, c.source, c.fields, u.display_name AS changed_by_name FROM profile_changes c \
             LEFT JOIN users u ON u.id = c.changed_by WHERE c.profile_id = $1 \
             ORDER BY c.changed_at DESC, c.id DESC LIMIT $2",
        )
        .bind(profile_id)
        .bind(limit),
    )
    .await
}

// ---- imports ----

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportRow {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub created_by: Option<Uuid>,
    pub file_name: String,
    pub data: Vec<u8>,
    pub mapping: Option<String>,
    pub created_at: OffsetDateTime,
}

pub async fn insert_import(
    ex: Ex<'_>,
    organisation_id: Uuid,
    created_by: Option<Uuid>,
    file_name: &str,
    data: &[u8],
) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO imports (id, organisation_id, created_by, file_name, data, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(organisation_id)
        .bind(created_by)
        .bind(file_name)
        .bind(data)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

/// A pending import, only to the account that uploaded it.
pub async fn import(ex: Ex<'_>, id: Uuid, created_by: Uuid) -> DbResult<Option<ImportRow>> {
    ex.fetch_optional(
        query(
            "SELECT id, organisation_id, created_by, file_name, data, mapping, created_at FROM imports \
             WHERE id = $1 AND created_by = $2",
        )
        .bind(id)
        .bind(created_by),
    )
    .await
}

pub async fn set_import_mapping(ex: Ex<'_>, id: Uuid, mapping: &str) -> DbResult<u64> {
    ex.execute(
        query("UPDATE imports SET mapping = $2 WHERE id = $1")
            .bind(id)
            .bind(mapping),
    )
    .await
}

pub async fn delete_import(ex: Ex<'_>, id: Uuid) -> DbResult<u64> {
    ex.execute(query("DELETE FROM imports WHERE id = $1").bind(id)).await
}

pub async fn prune_imports(ex: Ex<'_>, before: OffsetDateTime) -> DbResult<u64> {
    ex.execute(query("DELETE FROM imports WHERE created_at < $1").bind(before))
        .await
}

/// Profiles by email (for re-imports), whatever their organisation: the
/// caller refuses an address that belongs to another organisation.
pub async fn by_emails(mut ex: Ex<'_>, emails: &[&str]) -> DbResult<Vec<ProfileRow>> {
    let mut out = Vec::with_capacity(emails.len());
    // Bounded lists: SQLite and PostgreSQL cap the number of parameters.
    for chunk in emails.chunks(500) {
        let (q, marks) = Query::dynamic(String::new()).bind_list(chunk);
        let sql = format!(
            "SELECT {COLUMNS}, CAST(2 AS INTEGER) AS tier FROM profiles p \
             JOIN organisations o ON o.id = p.organisation_id WHERE p.email IN ({marks})"
        );
        out.extend(ex.reborrow().fetch_all::<ProfileRow>(q.with_sql(sql)).await?);
    }
    Ok(out)
}

/// How many profiles an organisation has (listed or not).
pub async fn count_in(ex: Ex<'_>, organisation_id: Uuid) -> DbResult<i64> {
    ex.fetch_scalar(query("SELECT COUNT(*) FROM profiles WHERE organisation_id = $1").bind(organisation_id))
        .await
}

/// The accounts of an organisation's profiles, in name order.
pub async fn users_in(ex: Ex<'_>, organisation_id: Uuid) -> DbResult<Vec<Uuid>> {
    #[derive(sqlx::FromRow)]
    struct UserOf {
        user_id: Uuid,
    }
    let rows: Vec<UserOf> = ex
        .fetch_all(
            query(
                "SELECT user_id FROM profiles WHERE organisation_id = $1 AND user_id IS NOT NULL \
                 ORDER BY name_sort, id",
            )
            .bind(organisation_id),
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.user_id).collect())
}

/// A profile's post and training settings (kept apart from [`Fields`]: they
/// are not indexed for search).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Post {
    pub post_started_on: Option<time::Date>,
    pub manager_id: Option<Uuid>,
    pub training_vis: i32,
    pub alumni_vis: i32,
}

impl From<&ProfileRow> for Post {
    fn from(r: &ProfileRow) -> Post {
        Post {
            post_started_on: r.post_started_on,
            manager_id: r.manager_id,
            training_vis: r.training_vis,
            alumni_vis: r.alumni_vis,
        }
    }
}

/// The date someone took their post (demo data).
pub async fn set_post_started(ex: Ex<'_>, id: Uuid, on: time::Date) -> DbResult<u64> {
    ex.execute(
        query("UPDATE profiles SET post_started_on = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(on)
            .bind(crate::now()),
    )
    .await
}

pub async fn set_post(ex: Ex<'_>, id: Uuid, p: &Post) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE profiles SET post_started_on = $2, manager_id = $3, training_vis = $4, alumni_vis = $6, \
             updated_at = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(p.post_started_on)
        .bind(p.manager_id)
        .bind(p.training_vis)
        .bind(crate::now())
        .bind(p.alumni_vis),
    )
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ColleagueRow {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
}

/// The other profiles of an organisation, by name (the choice of a line
/// manager).
pub async fn colleagues(ex: Ex<'_>, organisation_id: Uuid, except: Uuid) -> DbResult<Vec<ColleagueRow>> {
    ex.fetch_all(
        query(
            "SELECT id, first_name, last_name FROM profiles WHERE organisation_id = $1 AND id <> $2 \
             ORDER BY name_sort, id",
        )
        .bind(organisation_id)
        .bind(except),
    )
    .await
}
