//! Proposing a project (`/projets/proposer`): a sponsor (commanditaire)
//! proposes a project for their organisation to a school of the network; the
//! school's managers may propose for any organisation. The project starts
//! « proposé », the proposal is the first line of its history, and the
//! school's managers are told by mail.

use maillage_db::{organisations as db_orgs, projects as db, training_sessions};
use maillage_domain::{
    project::{Status, Visibility},
    search::index_terms,
};
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors,
    mail::{self, Mail},
    policy::{self, Action},
    projects::{manages_school, viewer},
};

/// The proposal form, as typed.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub title: String,
    pub problem: String,
    pub context: String,
    pub expected_impact: String,
    /// The sponsoring organisation's id.
    pub sponsor_organisation: String,
    pub contact: String,
    /// The school's id.
    pub school: String,
    /// Theme ids.
    pub themes: Vec<String>,
    /// `brouillon`, `organisation`, `reseau`; empty: « organisation ».
    pub visibility: String,
}

/// A text field trimmed, with its length checked (and its presence when
/// `required`, the French message naming the field): the projects' one
/// rule, [`crate::projects::text_field`].
pub(crate) fn text(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    label: &str,
    max: usize,
    required: bool,
) -> String {
    let empty = required.then(|| format!("Saisissez le champ « {label} »."));
    crate::projects::text_field(errors, field, value, max, empty.as_deref())
}

/// The title on one line (required, 200 characters at most).
pub(crate) fn title(errors: &mut FieldErrors, value: &str) -> String {
    let t = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        errors.add("title", "Saisissez l'intitulé du projet.");
    } else if t.chars().count() > 200 {
        errors.add("title", "L'intitulé est trop long (200 caractères au plus).");
    }
    t
}

/// The visibility chosen (default « organisation »).
pub(crate) fn visibility(errors: &mut FieldErrors, value: &str) -> Visibility {
    if value.trim().is_empty() {
        return Visibility::Organisation;
    }
    Visibility::parse(value.trim()).unwrap_or_else(|| {
        errors.add(
            "visibility",
            "Choisissez qui voit le projet : l'équipe (brouillon), les organisations du projet ou tout le réseau.",
        );
        Visibility::Organisation
    })
}

/// The themes chosen, among the network's list.
pub(crate) async fn themes(ctx: &Ctx, errors: &mut FieldErrors, chosen: &[String]) -> CoreResult<Vec<Uuid>> {
    let known: Vec<Uuid> = crate::directory::themes::list(ctx)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let mut out = Vec::new();
    for t in chosen.iter().filter(|t| !t.trim().is_empty()) {
        match Uuid::parse_str(t.trim()).ok().filter(|t| known.contains(t)) {
            Some(t) if !out.contains(&t) => out.push(t),
            Some(_) => {}
            None => errors.add("themes", "Une thématique choisie n'existe plus : rechargez la page."),
        }
    }
    Ok(out)
}

/// The terms the bank's search matches: title, problem, solution, lessons.
pub(crate) fn search_terms(f: &db::Fields) -> String {
    index_terms([
        f.title.as_str(),
        f.problem.as_str(),
        f.solution.as_str(),
        f.lessons.as_str(),
    ])
}

/// Proposes a project; returns its id.
pub async fn propose(ctx: &Ctx, actor: &Actor, input: &Input) -> CoreResult<Uuid> {
    let me = viewer(actor)?;
    let mut errors = FieldErrors::new();
    let schools = crate::schools::all(ctx).await?;
    let school = Uuid::parse_str(input.school.trim())
        .ok()
        .and_then(|id| schools.iter().find(|s| s.id == id));
    if school.is_none() {
        errors.add("school", "Choisissez l'école à qui vous proposez le projet.");
    }
    let sponsor = match Uuid::parse_str(input.sponsor_organisation.trim()) {
        Ok(id) => {
            let mut conn = ctx.db.conn().await?;
            db_orgs::by_id(conn.ex(), id).await?
        }
        Err(_) => None,
    };
    if sponsor.is_none() {
        errors.add(
            "sponsor_organisation",
            "Choisissez l'organisation commanditaire du projet.",
        );
    }
    // Who may propose for whom is decided as soon as both are known: a
    // person proposes for their own organisation, a school's managers for
    // any organisation.
    if let (Some(school), Some(sponsor)) = (school, &sponsor) {
        let manages = {
            let mut conn = ctx.db.conn().await?;
            manages_school(conn.ex(), actor, school.id).await?
        };
        policy::require(
            actor,
            &Action::ProposeProject {
                organisation: sponsor.id,
                manages_school: manages,
            },
        )?;
    }
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
        context: text(&mut errors, "context", &input.context, "contexte", 8000, false),
        expected_impact: text(
            &mut errors,
            "expected_impact",
            &input.expected_impact,
            "impact attendu",
            8000,
            false,
        ),
        contact: text(&mut errors, "contact", &input.contact, "contact", 500, false),
        visibility: visibility(&mut errors, &input.visibility).key().to_owned(),
        ..Default::default()
    };
    let themes = themes(ctx, &mut errors, &input.themes).await?;
    errors.into_result()?;
    let (Some(school), Some(sponsor)) = (school, sponsor) else {
        return Err(CoreError::Internal(anyhow::anyhow!("proposition validée sans école")));
    };
    fields.search_terms = search_terms(&fields);
    let own_organisation = actor
        .user()
        .is_some_and(|u| u.roles.iter().any(|(_, o)| *o == Some(sponsor.id)));
    let mut tx = ctx.db.begin().await?;
    let id = db::insert(
        tx.ex(),
        &db::NewProject {
            school_id: school.id,
            sponsor_organisation_id: sponsor.id,
            sponsor_user_id: own_organisation.then_some(me.user_id),
            status: Status::Proposed.key().to_owned(),
            year: i64::from(crate::dates::paris_today().year()),
            created_by: Some(me.user_id),
        },
        &fields,
    )
    .await?;
    db::set_themes(tx.ex(), id, &themes).await?;
    let event_id = db::insert_event(
        tx.ex(),
        &db::NewEvent {
            project_id: id,
            status: Status::Proposed.key(),
            reason: "",
            school_id: Some(school.id),
            promotion_id: None,
            by_user: Some(me.user_id),
            at: maillage_db::now(),
        },
    )
    .await?;
    tell_school(
        ctx,
        tx.ex(),
        event_id,
        id,
        school.id,
        &school.name,
        &fields.title,
        &sponsor.name,
    )
    .await?;
    maillage_db::audit::record(
        tx.ex(),
        Some(me.user_id),
        "project.propose",
        &id.to_string(),
        &fields.title,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Mails the school's managers that a proposal arrived (a new one, or one
/// proposed again to them): once per history line (`event_id`) and manager.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn tell_school(
    ctx: &Ctx,
    mut ex: maillage_db::Ex<'_>,
    event_id: Uuid,
    project_id: Uuid,
    school_id: Uuid,
    school_name: &str,
    title: &str,
    sponsor: &str,
) -> CoreResult<()> {
    let site = ctx.settings.public_url();
    for admin in training_sessions::school_admins(ex.reborrow(), school_id).await? {
        mail::enqueue(
            ex.reborrow(),
            &Mail {
                to: admin.email.clone(),
                subject: format!("Projet proposé : {title}"),
                body: format!(
                    "Bonjour {name},\n\n{sponsor} propose le projet « {title} » à {school_name}.\n\n\
                     Vous pouvez l'examiner (retenu ou non retenu, et pourquoi) sur sa page :\n\n\
                     {site}/projets/{project_id}\n",
                    name = admin.display_name,
                ),
            },
            Some(&format!("projet-propose:{project_id}:{event_id}:{}", admin.id)),
        )
        .await
        .map_err(CoreError::Internal)?;
    }
    Ok(())
}
