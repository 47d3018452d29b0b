//! The catalogue of the schools (`/formations`): modules with their format,
//! objectives, audience, duration and trainers. A school shares a module
//! with the network; another school takes it into its own catalogue and the
//! school that designed it stays credited.

use maillage_db::modules::{self as db, Fields, ModuleRow};
use maillage_domain::{
    catalogue::{DurationUnit, Format, Stage},
    category::Category,
    search::{Query, index_terms},
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors,
    directory::profile::ThemeRef,
    policy::{self, Action},
    schools,
};

pub const PER_PAGE: i64 = 20;

#[derive(Debug, Clone)]
pub struct SchoolRef {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Module {
    pub id: Uuid,
    /// The school that designed it (credited wherever it is used).
    pub school: SchoolRef,
    pub title: String,
    pub format: Format,
    pub objectives: String,
    pub description: String,
    /// Empty: every category.
    pub categories: Vec<Category>,
    pub stage: Stage,
    pub duration_value: i64,
    pub duration_unit: DurationUnit,
    pub trainers: String,
    pub shared: bool,
    pub archived: bool,
    /// Share of a session's half-days to attend to complete it (percent).
    pub completion_percent: i64,
    pub themes: Vec<ThemeRef>,
    /// Other schools that took it into their catalogue.
    pub adopted_by: Vec<SchoolRef>,
    pub updated_at: OffsetDateTime,
}

impl Module {
    pub fn duration(&self) -> String {
        self.duration_unit.describe(self.duration_value)
    }

    pub fn audience(&self) -> String {
        let cats = if self.categories.is_empty() {
            "toutes catégories".to_owned()
        } else {
            format!(
                "catégorie{} {}",
                if self.categories.len() > 1 { "s" } else { "" },
                self.categories
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        format!("{} — {cats}", self.stage.label())
    }
}

async fn hydrate(mut ex: maillage_db::Ex<'_>, rows: Vec<ModuleRow>) -> CoreResult<Vec<Module>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let themes = db::themes_of(ex.reborrow(), &ids).await?;
    let adoptions = db::adoptions_of(ex, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| Module {
            themes: themes
                .iter()
                .filter(|t| t.module_id == r.id)
                .map(|t| ThemeRef {
                    id: t.theme_id,
                    name: t.name.clone(),
                })
                .collect(),
            adopted_by: adoptions
                .iter()
                .filter(|a| a.module_id == r.id)
                .map(|a| SchoolRef {
                    id: a.school_id,
                    name: a.school_name.clone(),
                })
                .collect(),
            id: r.id,
            school: SchoolRef {
                id: r.school_id,
                name: r.school_name,
            },
            format: Format::parse(&r.format).unwrap_or(Format::Formation),
            categories: r
                .audience_categories
                .split(',')
                .filter_map(|c| Category::parse(c).ok().flatten())
                .collect(),
            stage: Stage::parse(&r.audience_stage).unwrap_or(Stage::All),
            duration_unit: DurationUnit::parse(&r.duration_unit).unwrap_or(DurationUnit::Days),
            title: r.title,
            objectives: r.objectives,
            description: r.description,
            duration_value: r.duration_value,
            trainers: r.trainers,
            shared: r.shared,
            archived: r.archived,
            completion_percent: r.completion_percent,
            updated_at: r.updated_at,
        })
        .collect())
}

/// A catalogue search as typed (`/formations` query string, API).
#[derive(Debug, Clone, Default)]
pub struct Params {
    pub q: String,
    pub format: String,
    pub theme: String,
    pub school: String,
    pub category: String,
    pub stage: String,
    pub page: i64,
}

#[derive(Debug, Clone)]
pub struct Results {
    pub items: Vec<Module>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl Results {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

fn viewer(actor: &Actor) -> CoreResult<db::Viewer> {
    policy::require(actor, &Action::ViewCatalogue)?;
    policy::catalogue_viewer(actor).ok_or(CoreError::Unauthenticated)
}

/// The modules this viewer may see, by title. Unknown filter values are
/// ignored (a stale link still shows a catalogue).
pub async fn search(ctx: &Ctx, actor: &Actor, p: &Params) -> CoreResult<Results> {
    let viewer = viewer(actor)?;
    let page = p.page.clamp(1, 10_000);
    let terms = Query::parse(&p.q).map(|q| q.terms()).unwrap_or_default();
    let category = Category::parse(&p.category).ok().flatten();
    let filter = db::Filter {
        terms,
        format: Format::parse(&p.format).map(Format::key),
        theme: Uuid::parse_str(p.theme.trim()).ok(),
        school: Uuid::parse_str(p.school.trim()).ok(),
        category: category.map(Category::as_str),
        stage: Stage::parse(&p.stage).filter(|s| *s != Stage::All).map(Stage::key),
        include_archived: false,
        limit: PER_PAGE,
        offset: (page - 1) * PER_PAGE,
    };
    let mut conn = ctx.db.conn().await?;
    let total = db::count(conn.ex(), &viewer, &filter).await?;
    let rows = db::list(conn.ex(), &viewer, &filter).await?;
    Ok(Results {
        items: hydrate(conn.ex(), rows).await?,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// One module, if the viewer may see it.
pub async fn get(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Module> {
    let viewer = viewer(actor)?;
    let mut conn = ctx.db.conn().await?;
    let row = db::by_id(conn.ex(), &viewer, id).await?.ok_or(CoreError::NotFound)?;
    hydrate(conn.ex(), vec![row]).await?.pop().ok_or(CoreError::NotFound)
}

/// Whether `actor` may edit the modules of `school_id`.
pub async fn can_manage(ctx: &Ctx, actor: &Actor, school_id: Uuid) -> CoreResult<bool> {
    let school = schools::get(ctx, school_id).await?;
    let ids: Vec<Uuid> = school.organisations.iter().map(|o| o.id).collect();
    Ok(policy::allows(actor, &Action::ManageSchool { organisations: &ids }))
}

/// `ManageSchool` on this school, as a `Result` (sessions use it too).
pub async fn require_manage(ctx: &Ctx, actor: &Actor, school_id: Uuid) -> CoreResult<()> {
    let school = schools::get(ctx, school_id).await?;
    let ids: Vec<Uuid> = school.organisations.iter().map(|o| o.id).collect();
    policy::require(actor, &Action::ManageSchool { organisations: &ids })
}

/// A module's form, as typed.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub title: String,
    pub format: String,
    pub objectives: String,
    pub description: String,
    pub categories: Vec<String>,
    pub stage: String,
    pub duration_value: String,
    pub duration_unit: String,
    pub trainers: String,
    pub themes: Vec<String>,
    pub shared: bool,
    pub archived: bool,
    /// Empty: 100.
    pub completion_percent: String,
}

fn validate(input: &Input, known_themes: &[Uuid], errors: &mut FieldErrors) -> (Fields, Vec<Uuid>) {
    let title = input.title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        errors.add("title", "Saisissez l'intitulé du module.");
    } else if title.chars().count() > 200 {
        errors.add("title", "L'intitulé est trop long (200 caractères au plus).");
    }
    let format = Format::parse(&input.format);
    if format.is_none() {
        errors.add("format", "Choisissez le format du module.");
    }
    let mut long = |field: &'static str, value: &str, label: &str, max: usize| -> String {
        let v = value.trim().to_owned();
        if v.chars().count() > max {
            errors.add(
                field,
                format!("Le champ « {label} » est trop long ({max} caractères au plus)."),
            );
        }
        v
    };
    let objectives = long("objectives", &input.objectives, "objectifs", 4000);
    let description = long("description", &input.description, "programme", 8000);
    let trainers = long("trainers", &input.trainers, "intervenants", 500);
    let mut categories: Vec<Category> = Vec::new();
    for c in &input.categories {
        match Category::parse(c) {
            Ok(Some(c)) if !categories.contains(&c) => categories.push(c),
            Ok(_) => {}
            Err(e) => errors.add("categories", e.to_string()),
        }
    }
    categories.sort();
    let stage = Stage::parse(&input.stage);
    if stage.is_none() {
        errors.add("stage", "Choisissez à quels managers le module s'adresse.");
    }
    let duration_value = match input.duration_value.trim().parse::<i64>() {
        Ok(n) if (1..=1000).contains(&n) => n,
        Ok(_) => {
            errors.add("duration_value", "La durée doit être comprise entre 1 et 1 000.");
            0
        }
        Err(_) => {
            errors.add(
                "duration_value",
                "Saisissez la durée en chiffres, par exemple 2 (jours) ou 3 (heures).",
            );
            0
        }
    };
    let completion_percent = match input.completion_percent.trim() {
        "" => 100,
        v => match v.trim_end_matches('%').trim().parse::<i64>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => {
                errors.add(
                    "completion_percent",
                    "Saisissez un pourcentage entre 1 et 100, par exemple 80.",
                );
                100
            }
        },
    };
    let unit = DurationUnit::parse(&input.duration_unit);
    if unit.is_none() {
        errors.add("duration_unit", "Choisissez l'unité de la durée.");
    }
    let mut themes = Vec::new();
    for t in &input.themes {
        match Uuid::parse_str(t).ok().filter(|t| known_themes.contains(t)) {
            Some(t) if !themes.contains(&t) => themes.push(t),
            Some(_) => {}
            None => errors.add("themes", "Une thématique choisie n'existe plus : rechargez la page."),
        }
    }
    let search_terms = index_terms([
        title.as_str(),
        objectives.as_str(),
        description.as_str(),
        trainers.as_str(),
    ]);
    (
        Fields {
            title,
            format: format.map(Format::key).unwrap_or_default().to_owned(),
            objectives,
            description,
            audience_categories: categories.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(","),
            audience_stage: stage.map(Stage::key).unwrap_or("tous").to_owned(),
            duration_value,
            duration_unit: unit.map(DurationUnit::key).unwrap_or_default().to_owned(),
            trainers,
            shared: input.shared,
            archived: input.archived,
            search_terms,
            completion_percent,
        },
        themes,
    )
}

async fn known_themes(ctx: &Ctx) -> CoreResult<Vec<Uuid>> {
    Ok(crate::directory::themes::list(ctx)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect())
}

/// Adds a module to a school's catalogue.
pub async fn create(ctx: &Ctx, actor: &Actor, school_id: Uuid, input: &Input) -> CoreResult<Uuid> {
    // Log in first: nothing about schools is said to anonymous callers.
    policy::require(actor, &Action::ViewCatalogue)?;
    require_manage(ctx, actor, school_id).await?;
    let mut errors = FieldErrors::new();
    let (fields, themes) = validate(input, &known_themes(ctx).await?, &mut errors);
    errors.into_result()?;
    let mut tx = ctx.db.begin().await?;
    let id = db::insert(tx.ex(), school_id, &fields, actor.user_id()).await?;
    db::set_themes(tx.ex(), id, &themes).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "module.create",
        &id.to_string(),
        &fields.title,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Edits a module (its own school only).
pub async fn update(ctx: &Ctx, actor: &Actor, id: Uuid, input: &Input) -> CoreResult<()> {
    let module = get(ctx, actor, id).await?;
    require_manage(ctx, actor, module.school.id).await?;
    let mut errors = FieldErrors::new();
    let (fields, themes) = validate(input, &known_themes(ctx).await?, &mut errors);
    errors.into_result()?;
    let mut tx = ctx.db.begin().await?;
    db::update(tx.ex(), id, &fields).await?;
    db::set_themes(tx.ex(), id, &themes).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "module.update",
        &id.to_string(),
        &fields.title,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Another school takes a shared module into its catalogue.
pub async fn adopt(ctx: &Ctx, actor: &Actor, id: Uuid, school_id: Uuid) -> CoreResult<()> {
    // Log in first: nothing about schools is said to anonymous callers.
    policy::require(actor, &Action::ViewCatalogue)?;
    let module = get(ctx, actor, id).await?;
    require_manage(ctx, actor, school_id).await?;
    if !module.shared {
        return Err(CoreError::Conflict(
            "Ce module n'est pas partagé avec le réseau : seule son école peut le proposer.".into(),
        ));
    }
    if module.school.id == school_id {
        // Not offered by the page: a crafted request, answered plainly.
        return Err(CoreError::Conflict("Ce module est déjà celui de cette école.".into()));
    }
    let mut tx = ctx.db.begin().await?;
    db::adopt(tx.ex(), id, school_id, actor.user_id()).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "module.adopt",
        &id.to_string(),
        &school_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A school withdraws a module it had taken from its catalogue.
pub async fn unadopt(ctx: &Ctx, actor: &Actor, id: Uuid, school_id: Uuid) -> CoreResult<()> {
    // Log in first: nothing about schools is said to anonymous callers.
    policy::require(actor, &Action::ViewCatalogue)?;
    get(ctx, actor, id).await?;
    require_manage(ctx, actor, school_id).await?;
    let mut tx = ctx.db.begin().await?;
    if db::unadopt(tx.ex(), id, school_id).await? == 0 {
        return Err(CoreError::NotFound);
    }
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "module.unadopt",
        &id.to_string(),
        &school_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
