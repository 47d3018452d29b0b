//! Trainers (`/intervenants`): internal ones (an account of the school's
//! organisations) and external ones (name, employer, optional email), their
//! modules and sessions. A school may offer a trainer to the network
//! (« proposer au réseau »): the other schools then see and book them.
//! A viewer sees the trainers of their organisations' schools and the shared
//! ones; another school's unshared trainer does not exist for them (404).

use maillage_db::trainers::{self as db, Fields, TrainerRow};
use maillage_domain::email::Email;
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors, catalogue,
    enrolment::{self, Session},
    policy::{self, Action},
};

#[derive(Debug, Clone)]
pub struct Trainer {
    pub id: Uuid,
    pub school_id: Uuid,
    pub school_name: String,
    pub user_id: Option<Uuid>,
    pub name: String,
    pub internal: bool,
    pub employer: String,
    /// Shown to the trainer's school only.
    pub email: Option<String>,
    pub bio: String,
    pub shared: bool,
}

impl From<TrainerRow> for Trainer {
    fn from(r: TrainerRow) -> Trainer {
        Trainer {
            id: r.id,
            school_id: r.school_id,
            school_name: r.school_name,
            user_id: r.user_id,
            name: r.name,
            internal: r.internal,
            employer: r.employer,
            email: r.email,
            bio: r.bio,
            shared: r.shared,
        }
    }
}

fn viewer(actor: &Actor) -> CoreResult<db::Viewer> {
    policy::require(actor, &Action::ViewCatalogue)?;
    let v = policy::catalogue_viewer(actor).ok_or(CoreError::Unauthenticated)?;
    Ok(db::Viewer {
        everything: v.everything,
        member_of: v.member_of,
    })
}

/// The trainers the viewer may see, by name.
pub async fn list(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<Trainer>> {
    let viewer = viewer(actor)?;
    let mut conn = ctx.db.conn().await?;
    Ok(db::list(conn.ex(), &viewer, None)
        .await?
        .into_iter()
        .map(Trainer::from)
        .collect())
}

/// The trainers a session of this school may book: its own and the shared
/// ones.
pub async fn bookable(ctx: &Ctx, actor: &Actor, school_id: Uuid) -> CoreResult<Vec<Trainer>> {
    let viewer = viewer(actor)?;
    let mut conn = ctx.db.conn().await?;
    Ok(db::list(conn.ex(), &viewer, Some(school_id))
        .await?
        .into_iter()
        .map(Trainer::from)
        .collect())
}

/// The trainers of a module, as the viewer may see them.
pub async fn of_module(ctx: &Ctx, actor: &Actor, module_id: Uuid) -> CoreResult<Vec<Trainer>> {
    let viewer = viewer(actor)?;
    let mut conn = ctx.db.conn().await?;
    Ok(db::of_module(conn.ex(), &viewer, module_id)
        .await?
        .into_iter()
        .map(Trainer::from)
        .collect())
}

/// A trainer's page: who, their modules, their sessions (coming first, then
/// past ones, latest first).
#[derive(Debug, Clone)]
pub struct Profile {
    pub trainer: Trainer,
    pub modules: Vec<(Uuid, String)>,
    pub upcoming: Vec<Session>,
    pub past: Vec<Session>,
    /// The viewer manages the trainer's school.
    pub can_edit: bool,
}

/// One trainer, if the viewer may see them (else 404).
pub async fn get(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Trainer> {
    let viewer = viewer(actor)?;
    let mut conn = ctx.db.conn().await?;
    let mut t: Trainer = db::by_id(conn.ex(), &viewer, id)
        .await?
        .ok_or(CoreError::NotFound)?
        .into();
    drop(conn);
    if !catalogue::can_manage(ctx, actor, t.school_id).await? {
        t.email = None;
    }
    Ok(t)
}

pub async fn profile(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Profile> {
    let trainer = get(ctx, actor, id).await?;
    let can_edit = catalogue::can_manage(ctx, actor, trainer.school_id).await?;
    let catalogue_viewer = policy::catalogue_viewer(actor).ok_or(CoreError::Unauthenticated)?;
    let mut conn = ctx.db.conn().await?;
    let mut modules = Vec::new();
    for m in db::modules_of(conn.ex(), id).await? {
        // Only modules the viewer may see.
        if maillage_db::modules::by_id(conn.ex(), &catalogue_viewer, m.id)
            .await?
            .is_some()
        {
            modules.push((m.id, m.title));
        }
    }
    let today = enrolment::today();
    let (mut upcoming, mut past) = (Vec::new(), Vec::new());
    for r in maillage_db::training_sessions::of_trainer(conn.ex(), id).await? {
        if maillage_db::modules::by_id(conn.ex(), &catalogue_viewer, r.module_id)
            .await?
            .is_none()
        {
            continue;
        }
        let s = Session::from(r);
        if s.ends_on >= today {
            upcoming.push(s)
        } else {
            past.push(s)
        }
    }
    upcoming.reverse();
    Ok(Profile {
        trainer,
        modules,
        upcoming,
        past,
        can_edit,
    })
}

/// A trainer, as typed.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub school: String,
    /// 'interne' or 'externe'.
    pub kind: String,
    /// Internal: the account's address (required); external: optional.
    pub email: String,
    /// External only (internal: the account's name).
    pub name: String,
    pub employer: String,
    pub bio: String,
    pub shared: bool,
}

struct Checked {
    user_id: Option<Uuid>,
    name: String,
    internal: bool,
    employer: String,
    email: Option<String>,
    bio: String,
}

async fn check(ctx: &Ctx, school_id: Uuid, input: &Input) -> CoreResult<Checked> {
    let mut errors = FieldErrors::new();
    let internal = match input.kind.trim() {
        "interne" => true,
        "externe" => false,
        _ => {
            errors.add("kind", "Choisissez s'il s'agit d'un intervenant interne ou externe.");
            false
        }
    };
    let email = input.email.trim();
    let parsed = if email.is_empty() {
        None
    } else {
        match Email::parse(email) {
            Ok(e) => Some(e.as_str().to_owned()),
            Err(_) => {
                errors.add(
                    "email",
                    "Saisissez une adresse électronique valide, par exemple prenom.nom@ville.fr.",
                );
                None
            }
        }
    };
    let mut name = input.name.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut user_id = None;
    if internal {
        if email.is_empty() {
            errors.add("email", "Saisissez l'adresse du compte de l'intervenant interne.");
        } else if let Some(e) = &parsed {
            let mut conn = ctx.db.conn().await?;
            let people = maillage_db::training_sessions::people_of_school(conn.ex(), school_id).await?;
            match people.into_iter().find(|p| &p.email == e) {
                Some(p) => {
                    user_id = Some(p.id);
                    name = p.display_name;
                }
                None => errors.add(
                    "email",
                    "Aucun compte à cette adresse dans les organisations de l'école : un intervenant interne doit avoir un compte.",
                ),
            }
        }
    } else if name.is_empty() {
        errors.add("name", "Saisissez le nom de l'intervenant.");
    }
    if name.chars().count() > 200 {
        errors.add("name", "Le nom est trop long (200 caractères au plus).");
    }
    let employer = input.employer.split_whitespace().collect::<Vec<_>>().join(" ");
    if employer.chars().count() > 200 {
        errors.add("employer", "L'employeur est trop long (200 caractères au plus).");
    }
    let bio = input.bio.trim().to_owned();
    if bio.chars().count() > 4000 {
        errors.add("bio", "La présentation est trop longue (4 000 caractères au plus).");
    }
    errors.into_result()?;
    Ok(Checked {
        user_id,
        name,
        internal,
        employer,
        email: parsed,
        bio,
    })
}

fn fields<'a>(c: &'a Checked, shared: bool) -> Fields<'a> {
    Fields {
        user_id: c.user_id,
        name: &c.name,
        internal: c.internal,
        employer: &c.employer,
        email: c.email.as_deref(),
        bio: &c.bio,
        shared,
    }
}

/// Adds a trainer to a school (its managers).
pub async fn create(ctx: &Ctx, actor: &Actor, input: &Input) -> CoreResult<Uuid> {
    policy::require(actor, &Action::ViewCatalogue)?;
    let Ok(school_id) = Uuid::parse_str(input.school.trim()) else {
        return Err(FieldErrors::single("school", "Choisissez l'école de l'intervenant."));
    };
    catalogue::require_manage(ctx, actor, school_id).await?;
    let c = check(ctx, school_id, input).await?;
    let mut tx = ctx.db.begin().await?;
    let id = db::insert(tx.ex(), school_id, &fields(&c, input.shared)).await?;
    maillage_db::audit::record(tx.ex(), actor.user_id(), "trainer.create", &id.to_string(), &c.name).await?;
    tx.commit().await?;
    Ok(id)
}

/// Edits a trainer (their school's managers).
pub async fn update(ctx: &Ctx, actor: &Actor, id: Uuid, input: &Input) -> CoreResult<()> {
    let t = get(ctx, actor, id).await?;
    catalogue::require_manage(ctx, actor, t.school_id).await?;
    let c = check(ctx, t.school_id, input).await?;
    let mut tx = ctx.db.begin().await?;
    db::update(tx.ex(), t.school_id, id, &fields(&c, input.shared)).await?;
    maillage_db::audit::record(tx.ex(), actor.user_id(), "trainer.update", &id.to_string(), &c.name).await?;
    tx.commit().await?;
    Ok(())
}

/// Offers a trainer to the network, or withdraws the offer.
pub async fn set_shared(ctx: &Ctx, actor: &Actor, id: Uuid, shared: bool) -> CoreResult<()> {
    let t = get(ctx, actor, id).await?;
    catalogue::require_manage(ctx, actor, t.school_id).await?;
    let mut full: Trainer = {
        let mut conn = ctx.db.conn().await?;
        db::by_id(
            conn.ex(),
            &db::Viewer {
                everything: true,
                member_of: Vec::new(),
            },
            id,
        )
        .await?
        .ok_or(CoreError::NotFound)?
        .into()
    };
    full.shared = shared;
    let mut tx = ctx.db.begin().await?;
    db::update(
        tx.ex(),
        full.school_id,
        id,
        &Fields {
            user_id: full.user_id,
            name: &full.name,
            internal: full.internal,
            employer: &full.employer,
            email: full.email.as_deref(),
            bio: &full.bio,
            shared,
        },
    )
    .await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        if shared { "trainer.share" } else { "trainer.unshare" },
        &id.to_string(),
        &full.name,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Links a trainer to a module the viewer may see (the trainer's school).
pub async fn link_module(ctx: &Ctx, actor: &Actor, id: Uuid, module: &str) -> CoreResult<()> {
    let t = get(ctx, actor, id).await?;
    catalogue::require_manage(ctx, actor, t.school_id).await?;
    let Ok(module_id) = Uuid::parse_str(module.trim()) else {
        return Err(FieldErrors::single("module", "Choisissez un module du catalogue."));
    };
    match catalogue::get(ctx, actor, module_id).await {
        Ok(_) => {}
        Err(CoreError::NotFound) => {
            return Err(FieldErrors::single(
                "module",
                "Ce module n'existe plus : rechargez la page.",
            ));
        }
        Err(e) => return Err(e),
    }
    let mut tx = ctx.db.begin().await?;
    db::link_module(tx.ex(), id, module_id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "trainer.link_module",
        &id.to_string(),
        &module_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Unlinks a trainer from a module (the trainer's school).
pub async fn unlink_module(ctx: &Ctx, actor: &Actor, id: Uuid, module_id: Uuid) -> CoreResult<()> {
    let t = get(ctx, actor, id).await?;
    catalogue::require_manage(ctx, actor, t.school_id).await?;
    let mut tx = ctx.db.begin().await?;
    if db::unlink_module(tx.ex(), id, module_id).await? == 0 {
        return Err(CoreError::NotFound);
    }
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "trainer.unlink_module",
        &id.to_string(),
        &module_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Demo data: an external trainer of a school (no permission check — the
/// demo seeding only).
pub(crate) async fn demo_external(
    ctx: &Ctx,
    school_id: Uuid,
    name: &str,
    employer: &str,
    bio: &str,
    shared: bool,
) -> CoreResult<Uuid> {
    let mut tx = ctx.db.begin().await?;
    let id = db::insert(
        tx.ex(),
        school_id,
        &Fields {
            user_id: None,
            name,
            internal: false,
            employer,
            email: None,
            bio,
            shared,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Demo data: an internal trainer linked to an account (named after it).
pub(crate) async fn demo_internal(
    ctx: &Ctx,
    school_id: Uuid,
    user_id: Uuid,
    name: &str,
    bio: &str,
    shared: bool,
) -> CoreResult<Uuid> {
    let mut tx = ctx.db.begin().await?;
    let id = db::insert(
        tx.ex(),
        school_id,
        &Fields {
            user_id: Some(user_id),
            name,
            internal: true,
            employer: "",
            email: None,
            bio,
            shared,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Demo data: links a trainer to a module and to a session.
pub(crate) async fn demo_assign(
    ctx: &Ctx,
    trainer_id: Uuid,
    module_id: Uuid,
    session_id: Option<Uuid>,
) -> CoreResult<()> {
    let mut tx = ctx.db.begin().await?;
    db::link_module(tx.ex(), trainer_id, module_id).await?;
    if let Some(s) = session_id {
        let mut ids: Vec<Uuid> = maillage_db::training_sessions::trainers_of(tx.ex(), s)
            .await?
            .into_iter()
            .map(|t| t.id)
            .collect();
        if !ids.contains(&trainer_id) {
            ids.push(trainer_id);
        }
        maillage_db::training_sessions::set_trainers(tx.ex(), s, &ids).await?;
    }
    tx.commit().await?;
    Ok(())
}
