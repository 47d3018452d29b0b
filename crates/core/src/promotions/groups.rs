//! The casting of a promotion's project groups, as the school runs it:
//! parameters typed in a form, the engine (`crate::casting`, pure and
//! seeded) run on the members' casting data, the result saved
//! (`promotion_members.group_no`, `promotion_castings`, `promotion_groups`),
//! the report per group and per criterion, manual moves re-evaluated by the
//! engine, a project per group, and the groups turned into project teams.
//!
//! Everything here is for the school's managers only
//! (`Action::ManagePromotion`), except [`public_groups`]: the groups
//! themselves (who is with whom, which project) are part of what the
//! promotion's viewers see.

use maillage_db::promotions as db;
use maillage_domain::project::Status;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    load,
    members::{Member, Shown},
};
use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors,
    casting::{self, Assignment, Gender, Infeasible, Params, Person, Report},
};

/// A group as every viewer of the promotion sees it: its number, its
/// project (if visible to the viewer) and its members, as the viewer may
/// see them (the directory's rule: [`Shown`]).
#[derive(Debug, Clone)]
pub struct PublicGroup {
    pub number: i64,
    pub project: Option<db::ProjectRef>,
    pub members: Vec<Shown>,
}

/// The groups of the last casting, for the promotion's page and the API.
pub async fn public_groups(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Vec<PublicGroup>> {
    let viewer = crate::projects::viewer(actor)?;
    let (members, _) = super::members::list(ctx, actor, id).await?;
    let mut conn = ctx.db.conn().await?;
    let groups = db::groups(conn.ex(), id).await?;
    let visible = db::projects(conn.ex(), &viewer, id, false).await?;
    let ids: Vec<Uuid> = groups.iter().filter_map(|g| g.project_id).collect();
    let seen = maillage_db::projects::visible_among(conn.ex(), &viewer, &ids).await?;
    Ok(groups
        .into_iter()
        .map(|g| PublicGroup {
            number: g.group_no,
            project: match (g.project_id, g.project_title) {
                (Some(pid), Some(title)) if seen.contains(&pid) => {
                    Some(visible.iter().find(|p| p.id == pid).cloned().unwrap_or(db::ProjectRef {
                        id: pid,
                        title,
                        status: String::new(),
                    }))
                }
                _ => None,
            },
            members: members
                .iter()
                .filter(|m| m.member.group_no == Some(g.group_no))
                .cloned()
                .collect(),
        })
        .collect())
}

/// Gives group `group_no` a project among the promotion's retained ones
/// (empty: none). The wishes are scored against these projects.
pub async fn set_project(ctx: &Ctx, actor: &Actor, id: Uuid, group_no: i64, project: &str) -> CoreResult<()> {
    let viewer = crate::projects::viewer(actor)?;
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, id).await?;
    access.require_manage(actor)?;
    let groups = db::groups(tx.ex(), id).await?;
    if !groups.iter().any(|g| g.group_no == group_no) {
        return Err(CoreError::NotFound);
    }
    let project_id = match project.trim() {
        "" => None,
        raw => {
            let retained = db::projects(tx.ex(), &viewer, id, true).await?;
            match Uuid::parse_str(raw)
                .ok()
                .filter(|p| retained.iter().any(|r| r.id == *p))
            {
                Some(p) => Some(p),
                None => {
                    return Err(FieldErrors::single(
                        "project",
                        "Choisissez un projet retenu pour la promotion, ou aucun.",
                    ));
                }
            }
        }
    };
    db::set_group_project(tx.ex(), id, group_no, project_id).await?;
    db::touch(tx.ex(), id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "promotion.group.project",
        &id.to_string(),
        &format!("groupe {group_no}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What « Constituer les équipes projet » did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Teams {
    /// People added to a team (those already in it are not counted).
    pub added: u64,
    /// Groups left alone: their project is not (or no longer) a project of
    /// this promotion, retained or under way, that the actor sees.
    pub skipped: Vec<i64>,
}

/// Whether a group's project may receive the group as its team: a project
/// of this promotion, retained or under way (not one taken up elsewhere,
/// screened out, or finished since it was given to the group).
fn takes_a_team(row: &maillage_db::projects::ProjectRow, promotion_id: Uuid) -> bool {
    row.promotion_id == Some(promotion_id)
        && matches!(Status::parse(&row.status), Some(Status::Retained | Status::InProgress))
}

/// « Constituer les équipes projet »: each group's members join the team of
/// its project (nobody is removed). Changing a team is editing the project,
/// so besides managing the promotion the actor must be allowed to edit each
/// project (`projects::Access::can_edit`). A group whose project they may
/// not edit, or that is not one of the promotion's retained or running
/// projects, is skipped and said so; the other groups are staffed.
pub async fn form_teams(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Teams> {
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, id).await?;
    access.require_manage(actor)?;
    let groups = db::groups(tx.ex(), id).await?;
    if !groups.iter().any(|g| g.project_id.is_some()) {
        return Err(CoreError::Conflict(
            "Aucun groupe n’a encore de projet : attribuez un projet à chaque groupe d’abord.".into(),
        ));
    }
    let members = db::members(tx.ex(), id).await?;
    let mut teams = Teams::default();
    for g in &groups {
        let Some(project) = g.project_id else { continue };
        let (row, project_access) = match crate::projects::load(tx.ex(), actor, project).await {
            Ok(found) => found,
            // No longer visible to the actor: not a project they may staff.
            Err(CoreError::NotFound) => {
                teams.skipped.push(g.group_no);
                continue;
            }
            Err(e) => return Err(e),
        };
        // Not (or no longer) this promotion's retained or ongoing project,
        // or one whose team the actor may not change (another school's):
        // left aside and named, the other groups are still staffed.
        if !takes_a_team(&row, id) || !project_access.can_edit(actor) {
            teams.skipped.push(g.group_no);
            continue;
        }
        let people: Vec<Uuid> = members
            .iter()
            .filter(|m| m.group_no == Some(g.group_no))
            .map(|m| m.profile_id)
            .collect();
        teams.added += db::add_to_team(tx.ex(), project, &people).await?;
    }
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "promotion.teams",
        &id.to_string(),
        &teams.added.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(teams)
}

// ---------------------------------------------------------------------------
// The casting itself
// ---------------------------------------------------------------------------

/// A fresh seed to prefill the form with: random, short enough to copy.
/// Any `u64` is accepted (the CLI's range too).
pub fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        return 1;
    }
    u64::from_le_bytes(bytes) % 1_000_000_000 + 1
}

/// A seed as stored: `promotion_castings.seed` is a signed 64-bit integer,
/// so the `u64` is kept bit for bit (`as i64`; above `i64::MAX` it reads
/// negative in the database) and read back with [`seed_of`].
pub fn stored_seed(seed: u64) -> i64 {
    seed as i64
}

/// The seed of a stored casting (the inverse of [`stored_seed`]).
pub fn seed_of(stored: i64) -> u64 {
    stored as u64
}

/// The school's casting page: members with their data, the groups, the last
/// casting's parameters and the report of the groups as they are now
/// (re-evaluated after every manual move).
#[derive(Debug, Clone)]
pub struct Casting {
    pub members: Vec<Member>,
    pub groups: Vec<db::GroupRow>,
    pub last: Option<db::CastingRow>,
    pub report: Option<Report>,
    /// The projects retained for the promotion (what groups may carry).
    pub retained: Vec<db::ProjectRef>,
    /// Each member's wishes, in order.
    pub wishes: Vec<(Uuid, Vec<Uuid>)>,
    /// The promotion's `updated_at` when this was read (before everything
    /// else): a casting computed from it is saved only if it has not moved.
    pub version: OffsetDateTime,
}

impl Casting {
    /// The last casting's seed, as typed (see [`stored_seed`]).
    pub fn seed(&self) -> Option<u64> {
        self.last.as_ref().map(|l| seed_of(l.seed))
    }

    /// The members of group `number` (1-based).
    pub fn members_of(&self, number: &i64) -> Vec<&Member> {
        self.members.iter().filter(|m| m.group_no == Some(*number)).collect()
    }

    /// Members without a group although a casting exists (added since).
    pub fn ungrouped(&self) -> Vec<&Member> {
        if self.last.is_none() {
            return Vec::new();
        }
        self.members.iter().filter(|m| m.group_no.is_none()).collect()
    }

    pub fn project_title(&self, id: &Uuid) -> String {
        self.retained
            .iter()
            .find(|p| p.id == *id)
            .map(|p| p.title.clone())
            .unwrap_or_else(|| "Projet non retenu".to_owned())
    }

    pub fn wishes_of(&self, profile: &Uuid) -> Vec<String> {
        self.wishes
            .iter()
            .find(|(p, _)| p == profile)
            .map(|(_, list)| list.iter().map(|id| self.project_title(id)).collect())
            .unwrap_or_default()
    }

    /// The group report of group `number`.
    pub fn report_of(&self, number: &i64) -> Option<&casting::GroupReport> {
        self.report
            .as_ref()
            .and_then(|r| r.groups.iter().find(|g| g.number as i64 == *number))
    }
}

/// The engine's people, in the members' order: age from the birth year
/// (this year's birthday assumed), the employer's name, the line manager
/// only when they are in the promotion too, wishes as project ids.
pub fn people(members: &[Member], wishes: &[(Uuid, Vec<Uuid>)], today: time::Date) -> Vec<Person> {
    members
        .iter()
        .map(|m| {
            let c = m.casting.clone().unwrap_or_default();
            Person {
                id: m.profile_id.to_string(),
                name: Some(m.name()),
                age: c
                    .birth_year
                    .and_then(|y| u32::try_from(i64::from(today.year()) - y).ok()),
                gender: match c.gender.as_deref() {
                    Some("F") => Some(Gender::Femme),
                    Some("H") => Some(Gender::Homme),
                    _ => None,
                },
                seniority_years: c.seniority_years.and_then(|s| u32::try_from(s).ok()),
                temperament: c.temperament,
                organisation: Some(m.organisation_name.clone()),
                manager_id: m
                    .manager_id
                    .filter(|boss| members.iter().any(|o| o.profile_id == *boss))
                    .map(|b| b.to_string()),
                wishes: wishes
                    .iter()
                    .find(|(p, _)| *p == m.profile_id)
                    .map(|(_, list)| list.iter().map(Uuid::to_string).collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The engine's parameters of a stored casting (projects of the groups as
/// they are now).
fn params_of(last: &db::CastingRow, groups: &[db::GroupRow]) -> Params {
    let mut p = Params::new(last.group_count.max(0) as usize);
    p.min_size = last.min_size.map(|n| n.max(0) as usize);
    p.max_size = last.max_size.map(|n| n.max(0) as usize);
    p.seed = seed_of(last.seed);
    p.projects = projects_of(groups, p.groups);
    p
}

fn projects_of(groups: &[db::GroupRow], k: usize) -> Vec<String> {
    (1..=k as i64)
        .map(|g| {
            groups
                .iter()
                .find(|r| r.group_no == g)
                .and_then(|r| r.project_id)
                .map(|p| p.to_string())
                .unwrap_or_default()
        })
        .collect()
}

/// The assignment stored in the members' `group_no` (1-based; none: out of
/// every group, which the report says).
fn stored_assignment(members: &[Member]) -> Assignment {
    Assignment::new(
        members
            .iter()
            .map(|m| match m.group_no {
                Some(g) if g >= 1 => (g - 1) as usize,
                _ => usize::MAX,
            })
            .collect(),
    )
}

/// The casting page's data (the school's managers only).
pub async fn casting_page(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<Casting> {
    let viewer = crate::projects::viewer(actor)?;
    let mut conn = ctx.db.conn().await?;
    // The promotion first: its `updated_at` is the version of all that is
    // read after it (a write in between makes a save refuse, never the
    // reverse).
    let (row, access) = load(conn.ex(), actor, id).await?;
    access.require_manage(actor)?;
    let members: Vec<Member> = db::members(conn.ex(), id)
        .await?
        .into_iter()
        .map(|r| Member::from_row(r, true))
        .collect();
    let wishes = super::members::by_person(db::wishes(conn.ex(), id).await?);
    let groups = db::groups(conn.ex(), id).await?;
    let last = db::casting(conn.ex(), id).await?;
    let retained = db::projects(conn.ex(), &viewer, id, true).await?;
    drop(conn);
    let report = last.as_ref().map(|l| {
        let people = people(&members, &wishes, crate::dates::paris_today());
        casting::evaluate(&people, &params_of(l, &groups), &stored_assignment(&members))
    });
    Ok(Casting {
        members,
        groups,
        last,
        report,
        retained,
        wishes,
        version: row.updated_at,
    })
}

/// The casting form, as typed.
#[derive(Debug, Clone, Default)]
pub struct RunInput {
    pub groups: String,
    pub min_size: String,
    pub max_size: String,
    pub seed: String,
}

fn whole(raw: &str, field: &'static str, what: &str, errors: &mut FieldErrors) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<i64>() {
        Ok(n) if n >= 1 => Some(n),
        _ => {
            errors.add(
                field,
                format!("Saisissez {what} en chiffres, 1 ou plus, ou laissez vide."),
            );
            None
        }
    }
}

/// The casting's parameters, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunParams {
    pub group_count: i64,
    pub min_size: Option<i64>,
    pub max_size: Option<i64>,
    pub seed: u64,
}

impl RunParams {
    fn stored(&self) -> db::NewCasting {
        db::NewCasting {
            group_count: self.group_count,
            min_size: self.min_size,
            max_size: self.max_size,
            seed: stored_seed(self.seed),
        }
    }
}

fn validate_run(input: &RunInput, people: usize, errors: &mut FieldErrors) -> Option<RunParams> {
    let groups = match input.groups.trim().parse::<i64>() {
        Ok(k) if (1..=500).contains(&k) => Some(k),
        _ => {
            errors.add("groups", "Saisissez le nombre de groupes en chiffres, par exemple 4.");
            None
        }
    };
    let mut min_size = whole(&input.min_size, "min_size", "la taille minimale", errors);
    let mut max_size = whole(&input.max_size, "max_size", "la taille maximale", errors);
    // A group cannot be larger than the promotion.
    let people_i = people as i64;
    if people > 0 {
        if let Some(a) = min_size.filter(|a| *a > people_i) {
            errors.add(
                "min_size",
                format!(
                    "La taille minimale ({a}) dépasse le nombre de membres de la promotion ({people}) : saisissez {people} au plus."
                ),
            );
            min_size = None;
        }
        if let Some(b) = max_size.filter(|b| *b > people_i) {
            errors.add(
                "max_size",
                format!(
                    "La taille maximale ({b}) dépasse le nombre de membres de la promotion ({people}) : saisissez {people} au plus, ou laissez vide."
                ),
            );
            max_size = None;
        }
    }
    if let (Some(a), Some(b)) = (min_size, max_size)
        && a > b
    {
        errors.add(
            "max_size",
            "La taille maximale doit être supérieure ou égale à la taille minimale.",
        );
    }
    let seed = match input.seed.trim().parse::<u64>() {
        Ok(s) => Some(s),
        _ => {
            errors.add(
                "seed",
                format!(
                    "Saisissez la graine en chiffres, un nombre entier de 0 à {} : la même graine redonne les mêmes groupes.",
                    u64::MAX
                ),
            );
            None
        }
    };
    if people == 0 {
        errors.add(
            "groups",
            "La promotion n’a aucun membre : ajoutez des personnes d’abord.",
        );
    }
    Some(RunParams {
        group_count: groups?,
        min_size,
        max_size,
        seed: seed?,
    })
}

/// The hard rules that cannot hold, as field errors (the form is kept): one
/// sentence per reason, naming the rule.
fn infeasible_errors(inf: &Infeasible) -> CoreError {
    let mut errors = FieldErrors::new();
    for r in &inf.reasons {
        let field = match r.rule {
            casting::Rule::GroupSize => "min_size",
            _ => "groups",
        };
        errors.add(
            field,
            format!("Règle « {} » impossible à tenir : {}", r.rule.label(), r.message),
        );
    }
    CoreError::Invalid(errors)
}

/// A casting computed, not yet saved ([`compute`] then [`save`]).
#[derive(Debug, Clone)]
pub struct Computed {
    params: RunParams,
    /// The members, in the engine's order, and the group of each (0-based).
    assignment: Vec<(Uuid, usize)>,
    /// The promotion's `updated_at` the computation started from.
    version: OffsetDateTime,
}

impl Computed {
    pub fn params(&self) -> RunParams {
        self.params
    }
}

/// Computes a casting from the promotion as it is now (nothing written). A
/// casting that cannot respect the hard rules says why (field errors).
pub async fn compute(ctx: &Ctx, actor: &Actor, id: Uuid, input: &RunInput) -> CoreResult<Computed> {
    let page = casting_page(ctx, actor, id).await?;
    let mut errors = FieldErrors::new();
    let run = validate_run(input, page.members.len(), &mut errors);
    errors.into_result()?;
    let run = run.ok_or_else(|| anyhow::anyhow!("paramètres validés sans valeur"))?;
    let people = people(&page.members, &page.wishes, crate::dates::paris_today());
    let mut params = Params::new(run.group_count as usize);
    params.min_size = run.min_size.map(|n| n as usize);
    params.max_size = run.max_size.map(|n| n as usize);
    params.seed = run.seed;
    params.projects = projects_of(&page.groups, params.groups);
    // The search is CPU work (an iteration budget): off the async workers,
    // and outside the write transaction (SQLite has one writer).
    let solved = tokio::task::spawn_blocking(move || casting::solve(&people, &params))
        .await
        .map_err(|e| anyhow::anyhow!("casting interrompu : {e}"))?;
    let solution = solved.map_err(|inf| infeasible_errors(&inf))?;
    Ok(Computed {
        params: run,
        assignment: page
            .members
            .iter()
            .map(|m| m.profile_id)
            .zip(solution.assignment.groups.iter().copied())
            .collect(),
        version: page.version,
    })
}

/// Whether the promotion is still as it was when the casting was computed:
/// every write that matters to the casting (members, their data, wishes,
/// groups' projects, the promotion's form) moves `updated_at`
/// (`db::touch`).
fn unchanged_since(computed: OffsetDateTime, now: OffsetDateTime) -> bool {
    computed == now
}

/// Saves a computed casting (replacing the previous groups; the groups'
/// projects are kept for the groups that remain) — unless the promotion
/// changed since it was computed: then nothing is written and the school is
/// asked to run it again (409).
pub async fn save(ctx: &Ctx, actor: &Actor, id: Uuid, computed: &Computed) -> CoreResult<()> {
    let mut tx = ctx.db.begin().await?;
    let (row, access) = load(tx.ex(), actor, id).await?;
    access.require_manage(actor)?;
    if !unchanged_since(computed.version, row.updated_at) {
        return Err(CoreError::Conflict(
            "La promotion a changé pendant le calcul : relancez le casting.".into(),
        ));
    }
    let new = computed.params.stored();
    db::save_casting(tx.ex(), id, &new, actor.user_id()).await?;
    db::resize_groups(tx.ex(), id, new.group_count).await?;
    for (profile, g) in &computed.assignment {
        db::set_group(tx.ex(), id, *profile, Some(*g as i64 + 1)).await?;
    }
    db::touch(tx.ex(), id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "promotion.casting",
        &id.to_string(),
        &format!(
            "{} groupes, graine {}",
            computed.params.group_count, computed.params.seed
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Runs the casting and saves its groups ([`compute`] then [`save`]). A
/// casting that cannot respect the hard rules writes nothing and says why.
pub async fn run(ctx: &Ctx, actor: &Actor, id: Uuid, input: &RunInput) -> CoreResult<()> {
    let computed = compute(ctx, actor, id, input).await?;
    save(ctx, actor, id, &computed).await
}

/// Moves a member to another group by hand (« Déplacer vers le groupe N »).
/// Allowed even when it breaks a hard rule: the report then says which.
pub async fn move_member(ctx: &Ctx, actor: &Actor, id: Uuid, profile_id: Uuid, group: &str) -> CoreResult<()> {
    let mut tx = ctx.db.begin().await?;
    let (_, access) = load(tx.ex(), actor, id).await?;
    access.require_manage(actor)?;
    let last = db::casting(tx.ex(), id)
        .await?
        .ok_or_else(|| CoreError::Conflict("Lancez d’abord le casting : les groupes n’existent pas encore.".into()))?;
    let member = db::member(tx.ex(), id, profile_id).await?.ok_or(CoreError::NotFound)?;
    let target = match group.trim().parse::<i64>() {
        Ok(g) if (1..=last.group_count).contains(&g) => g,
        _ => {
            return Err(FieldErrors::single(
                "group",
                format!("Choisissez un groupe entre 1 et {}.", last.group_count),
            ));
        }
    };
    if member.group_no == Some(target) {
        return Err(FieldErrors::single(
            "group",
            format!(
                "{} {} est déjà dans le groupe {target}.",
                member.first_name, member.last_name
            ),
        ));
    }
    db::set_group(tx.ex(), id, profile_id, Some(target)).await?;
    db::count_move(tx.ex(), id).await?;
    db::touch(tx.ex(), id).await?;
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "promotion.casting.move",
        &id.to_string(),
        &format!("{profile_id} → groupe {target}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(groups: &str, min: &str, max: &str, seed: &str) -> RunInput {
        RunInput {
            groups: groups.into(),
            min_size: min.into(),
            max_size: max.into(),
            seed: seed.into(),
        }
    }

    #[test]
    fn run_form() {
        let mut e = FieldErrors::new();
        let ok = validate_run(&input("3", "", "6", "42"), 12, &mut e);
        assert!(e.is_empty());
        assert_eq!(ok.unwrap().seed, 42);
        let mut e = FieldErrors::new();
        validate_run(&input("x", "5", "4", "-1"), 12, &mut e);
        assert!(e.get("groups").is_some() && e.get("max_size").is_some() && e.get("seed").is_some());
    }

    #[test]
    fn sizes_are_capped_at_the_promotion() {
        let mut e = FieldErrors::new();
        validate_run(&input("2", "13", "40", "1"), 12, &mut e);
        assert!(
            e.get("min_size")
                .unwrap()
                .contains("dépasse le nombre de membres de la promotion (12)")
        );
        assert!(e.get("max_size").unwrap().contains("saisissez 12 au plus"));
        let mut e = FieldErrors::new();
        validate_run(&input("2", "12", "12", "1"), 12, &mut e);
        assert!(e.is_empty(), "{e}");
    }

    #[test]
    fn every_u64_seed_is_accepted_and_kept_bit_for_bit() {
        let mut e = FieldErrors::new();
        let big = u64::MAX - 58;
        let p = validate_run(&input("2", "", "", &big.to_string()), 12, &mut e).unwrap();
        assert!(e.is_empty(), "{e}");
        assert_eq!(p.seed, big);
        assert!(p.stored().seed < 0, "stored as the same 64 bits");
        assert_eq!(seed_of(p.stored().seed), big);
        assert_eq!(seed_of(stored_seed(u64::MAX)), u64::MAX);
        assert_eq!(seed_of(stored_seed(0)), 0);
        let mut e = FieldErrors::new();
        validate_run(&input("2", "", "", "18446744073709551616"), 12, &mut e);
        assert!(e.get("seed").unwrap().contains("18446744073709551615"));
    }

    #[test]
    fn a_casting_is_saved_only_on_the_data_it_was_computed_from() {
        let then = maillage_db::now();
        assert!(unchanged_since(then, then));
        assert!(!unchanged_since(then, then + time::Duration::microseconds(1)));
    }
}
