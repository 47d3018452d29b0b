//! Member organisations: listing, public page, adding from the official
//! reference, membership, profile, people and roles.

use maillage_db::{Ex, activity, audit, organisations as db, organisations::OrganisationRow, roles, users};
use maillage_domain::{org_kind::OrgKind, reference, role::Role, siren::Siren, text::fold};
use serde::Serialize;
use time::Date;
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors,
    policy::{self, Action},
};

/// Membership status of an organisation in the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Membership {
    Membre,
    Candidate,
    Partenaire,
    Ancien,
}

impl Membership {
    pub const ALL: [Membership; 4] = [
        Membership::Membre,
        Membership::Candidate,
        Membership::Partenaire,
        Membership::Ancien,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Membership::Membre => "membre",
            Membership::Candidate => "candidate",
            Membership::Partenaire => "partenaire",
            Membership::Ancien => "ancien",
        }
    }
    pub fn parse(s: &str) -> Option<Membership> {
        Membership::ALL.into_iter().find(|m| m.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Membership::Membre => "Membre",
            Membership::Candidate => "Adhésion en cours",
            Membership::Partenaire => "Partenaire",
            Membership::Ancien => "Ancien membre",
        }
    }
}

/// An organisation as shown to anyone (its public profile).
#[derive(Debug, Clone, Serialize)]
pub struct Organisation {
    pub id: Uuid,
    pub siren: String,
    pub name: String,
    pub kind: OrgKind,
    pub departement: Option<String>,
    pub region: Option<String>,
    pub membership: Membership,
    pub joined_on: Option<Date>,
    pub left_on: Option<Date>,
    pub description: String,
    pub website: Option<String>,
}

impl Organisation {
    pub fn departement_name(&self) -> Option<&'static str> {
        self.departement.as_deref().and_then(reference::departement_name)
    }
    pub fn region_name(&self) -> Option<&'static str> {
        self.region.as_deref().and_then(reference::region_name)
    }
    pub fn siren_display(&self) -> String {
        Siren::parse(&self.siren)
            .map(|s| s.to_string())
            .unwrap_or_else(|_| self.siren.clone())
    }
}

impl From<OrganisationRow> for Organisation {
    fn from(r: OrganisationRow) -> Self {
        Organisation {
            id: r.id,
            kind: OrgKind::parse(&r.kind).unwrap_or(OrgKind::Autre),
            membership: Membership::parse(&r.membership).unwrap_or(Membership::Membre),
            siren: r.siren,
            name: r.name,
            departement: r.departement,
            region: r.region,
            joined_on: r.joined_on,
            left_on: r.left_on,
            description: r.description,
            website: r.website,
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub text: Option<String>,
    pub kind: Option<OrgKind>,
    pub membership: Option<Membership>,
    pub region: Option<String>,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

/// The organisations of the network: public information, visible to anyone
/// (cached per filter).
pub async fn list(ctx: &Ctx, f: &Filter) -> CoreResult<Page<Organisation>> {
    let key = format!("{f:?}");
    let page = ctx
        .caches
        .organisation_lists
        .get_or_compute(&key, || compute_list(ctx, f))
        .await?;
    Ok((*page).clone())
}

async fn compute_list(ctx: &Ctx, f: &Filter) -> CoreResult<Page<Organisation>> {
    let per_page = if f.per_page <= 0 { 50 } else { f.per_page.min(200) };
    let page = f.page.max(1);
    let filter = db::ListFilter {
        name: f.text.as_deref().map(fold).filter(|t| !t.is_empty()),
        kind: f.kind.map(|k| k.as_str().to_owned()),
        membership: f.membership.map(|m| m.as_str().to_owned()),
        region: f.region.clone().filter(|r| !r.is_empty()),
        limit: per_page,
        // Saturating: a huge page number from the address bar is an empty page, not a panic.
        offset: (page - 1).saturating_mul(per_page),
    };
    let mut conn = ctx.db.conn().await?;
    let total = db::count(conn.ex(), &filter).await?;
    let items = db::list(conn.ex(), &filter)
        .await?
        .into_iter()
        .map(Organisation::from)
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

/// The members that joined most recently (public).
pub async fn recently_joined(ctx: &Ctx, limit: i64) -> CoreResult<Vec<Organisation>> {
    let list = ctx
        .caches
        .recent_members
        .get_or_compute(&limit.to_string(), || async {
            let mut conn = ctx.db.conn().await?;
            Ok(db::recently_joined(conn.ex(), limit)
                .await?
                .into_iter()
                .map(Organisation::from)
                .collect())
        })
        .await?;
    Ok((*list).clone())
}

/// The public profile of one organisation, by SIREN.
pub async fn get(ctx: &Ctx, siren: &str) -> CoreResult<Organisation> {
    let siren = Siren::parse(siren).map_err(|_| CoreError::NotFound)?;
    let org = ctx
        .caches
        .organisations
        .get_or_compute(siren.as_str(), || async {
            let mut conn = ctx.db.conn().await?;
            db::by_siren(conn.ex(), siren.as_str())
                .await?
                .map(Organisation::from)
                .ok_or(CoreError::NotFound)
        })
        .await?;
    Ok((*org).clone())
}

/// Adds an organisation from the official reference (coordinator), or
/// returns the existing one. Used by the CLI for the first administrator.
pub async fn ensure_from_reference(mut ex: Ex<'_>, siren: &Siren) -> CoreResult<Uuid> {
    if let Some(o) = db::by_siren(ex.reborrow(), siren.as_str()).await? {
        return Ok(o.id);
    }
    let r = reference::by_siren(siren).ok_or_else(|| {
        FieldErrors::single(
            "siren",
            format!("Le SIREN {siren} ne figure pas dans la liste officielle des collectivités : ajoutez l'organisation depuis l'administration (type CNFPT, centre de gestion ou autre)."),
        )
    })?;
    insert(
        ex,
        siren,
        &r.name,
        r.kind,
        r.departement.as_deref(),
        r.region.as_deref(),
        Membership::Membre,
        Some(today()),
    )
    .await
}

fn today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

#[expect(clippy::too_many_arguments, reason = "one column each")]
async fn insert(
    ex: Ex<'_>,
    siren: &Siren,
    name: &str,
    kind: OrgKind,
    departement: Option<&str>,
    region: Option<&str>,
    membership: Membership,
    joined_on: Option<Date>,
) -> CoreResult<Uuid> {
    let row = db::NewOrganisation {
        siren: siren.as_str(),
        name,
        name_folded: &fold(name),
        kind: kind.as_str(),
        departement,
        region,
        membership: membership.as_str(),
        joined_on,
    };
    match db::insert(ex, &row).await {
        Ok(id) => Ok(id),
        Err(e) if e.is_unique_on("siren") => Err(FieldErrors::single(
            "siren",
            "Cette organisation fait déjà partie du réseau.",
        )),
        Err(e) => Err(e.into()),
    }
}

/// What the coordinator submits to add an organisation.
#[derive(Debug, Default, Clone)]
pub struct NewOrganisation {
    /// From the reference picker; for the kinds outside the reference
    /// (CNFPT, centre de gestion, autre) it is typed with `name` and `kind`.
    pub siren: String,
    pub name: String,
    pub kind: String,
    pub membership: String,
    pub joined_on: String,
}

pub async fn create(ctx: &Ctx, actor: &Actor, input: &NewOrganisation) -> CoreResult<Organisation> {
    policy::require(actor, &Action::CreateOrganisation)?;
    let mut errors = FieldErrors::new();
    let siren = Siren::parse(&input.siren)
        .map_err(|e| errors.add("siren", e.to_string()))
        .ok();
    let membership = Membership::parse(&input.membership).unwrap_or(Membership::Membre);
    let joined_on = parse_date(&input.joined_on, "joined_on", &mut errors);
    // A SIREN of the official list brings its own name and kind; others must
    // be typed, and only for the kinds the list does not hold.
    let from_ref = siren.as_ref().and_then(reference::by_siren);
    let (name, kind, dep, reg) = match from_ref {
        Some(r) => (r.name.clone(), r.kind, r.departement.clone(), r.region.clone()),
        None => {
            let kind = OrgKind::parse(&input.kind);
            if siren.is_some() {
                match kind {
                    Some(OrgKind::Cnfpt | OrgKind::CentreDeGestion | OrgKind::Autre) => {}
                    _ => errors.add(
                        "siren",
                        "Ce SIREN n'est pas celui d'une collectivité de la liste officielle : choisissez-la dans la liste, ou indiquez le type CNFPT, centre de gestion ou autre.",
                    ),
                }
            }
            let name = input.name.trim().to_owned();
            if name.is_empty() {
                errors.add("name", "Saisissez le nom de l'organisation.");
            } else if name.chars().count() > 200 {
                errors.add("name", "Le nom est trop long (200 caractères au plus).");
            }
            (name, kind.unwrap_or(OrgKind::Autre), None, None)
        }
    };
    errors.into_result()?;
    let siren = siren.expect("checked");
    let actor_id = actor.user_id();
    let mut tx = ctx.db.begin().await?;
    let id = insert(
        tx.ex(),
        &siren,
        &name,
        kind,
        dep.as_deref(),
        reg.as_deref(),
        membership,
        joined_on,
    )
    .await?;
    if membership == Membership::Membre {
        activity::record(
            tx.ex(),
            "organisation.joined",
            Some(id),
            actor_id,
            &format!("{name} rejoint le réseau"),
            Some(&format!("/organisations/{}", siren.as_str())),
            maillage_db::now(),
        )
        .await?;
    }
    audit::record(tx.ex(), actor_id, "organisation.create", siren.as_str(), &name).await?;
    let org = db::by_id(tx.ex(), id).await?.ok_or(CoreError::NotFound)?;
    tx.commit().await?;
    Ok(org.into())
}

fn parse_date(input: &str, field: &'static str, errors: &mut FieldErrors) -> Option<Date> {
    let s = input.trim();
    if s.is_empty() {
        return None;
    }
    match crate::dates::parse_day(s) {
        Some(d) => Some(d),
        None => {
            errors.add(
                field,
                "Saisissez une date au format AAAA-MM-JJ, par exemple 2026-03-25.",
            );
            None
        }
    }
}

/// Changes membership status and dates (coordinator).
pub async fn set_membership(
    ctx: &Ctx,
    actor: &Actor,
    siren: &str,
    membership: &str,
    joined_on: &str,
    left_on: &str,
) -> CoreResult<()> {
    policy::require(actor, &Action::ManageMembership)?;
    let org = get(ctx, siren).await?;
    let mut errors = FieldErrors::new();
    let m = Membership::parse(membership);
    if m.is_none() {
        errors.add("membership", "Choisissez un statut dans la liste.");
    }
    let joined = parse_date(joined_on, "joined_on", &mut errors);
    let left = parse_date(left_on, "left_on", &mut errors);
    if let (Some(j), Some(l)) = (joined, left)
        && l < j
    {
        errors.add("left_on", "La date de départ ne peut pas précéder la date d'adhésion.");
    }
    errors.into_result()?;
    let m = m.expect("checked");
    let mut tx = ctx.db.begin().await?;
    db::update_membership(tx.ex(), org.id, m.as_str(), joined, left).await?;
    if m == Membership::Membre && org.membership != Membership::Membre {
        activity::record(
            tx.ex(),
            "organisation.joined",
            Some(org.id),
            actor.user_id(),
            &format!("{} rejoint le réseau", org.name),
            Some(&format!("/organisations/{}", org.siren)),
            maillage_db::now(),
        )
        .await?;
    }
    audit::record(
        tx.ex(),
        actor.user_id(),
        "organisation.membership",
        &org.siren,
        m.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Edits the public profile (coordinator, or the organisation's administrators).
pub async fn update_profile(ctx: &Ctx, actor: &Actor, siren: &str, description: &str, website: &str) -> CoreResult<()> {
    let org = get(ctx, siren).await?;
    policy::require(actor, &Action::EditOrganisation { organisation: org.id })?;
    let mut errors = FieldErrors::new();
    let description = description.trim();
    if description.chars().count() > 4000 {
        errors.add(
            "description",
            "La présentation est trop longue (4 000 caractères au plus).",
        );
    }
    let website = website.trim();
    let is_url = website.starts_with("https://") || website.starts_with("http://");
    if website.chars().count() > 500 {
        errors.add("website", "L'adresse du site est trop longue (500 caractères au plus).");
    } else if !website.is_empty() && !is_url {
        errors.add(
            "website",
            "Saisissez l'adresse complète du site, commençant par https://",
        );
    }
    errors.into_result()?;
    let mut tx = ctx.db.begin().await?;
    db::update_profile(tx.ex(), org.id, description, (!website.is_empty()).then_some(website)).await?;
    audit::record(tx.ex(), actor.user_id(), "organisation.profile", &org.siren, "").await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub roles: Vec<Role>,
}

pub struct People {
    pub people: Vec<Person>,
    pub invitations: Vec<(String, Role)>,
}

/// An organisation's people with their roles, and pending invitations: private
/// to its administrators, HR and the coordinator (others get 404).
pub async fn people(ctx: &Ctx, actor: &Actor, siren: &str) -> CoreResult<People> {
    people_of(ctx, actor, &get(ctx, siren).await?).await
}

/// [`people`] for an organisation already loaded.
pub async fn people_of(ctx: &Ctx, actor: &Actor, org: &Organisation) -> CoreResult<People> {
    policy::require(actor, &Action::ViewOrganisationPeople { organisation: org.id })?;
    let mut conn = ctx.db.conn().await?;
    let assignments = roles::in_organisation(conn.ex(), org.id).await?;
    let people = users::in_organisation(conn.ex(), org.id)
        .await?
        .into_iter()
        .map(|u| Person {
            roles: assignments
                .iter()
                .filter(|a| a.user_id == u.id)
                .filter_map(|a| Role::parse(&a.role).ok())
                .collect(),
            user_id: u.id,
            display_name: u.display_name,
            email: u.email,
        })
        .collect();
    let invitations = maillage_db::one_time_tokens::pending_invitations(conn.ex(), org.id, maillage_db::now())
        .await?
        .into_iter()
        .map(|t| {
            (
                t.email,
                t.role
                    .as_deref()
                    .and_then(|r| Role::parse(r).ok())
                    .unwrap_or(Role::Member),
            )
        })
        .collect();
    Ok(People { people, invitations })
}

/// Grants or revokes a role of an existing account in an organisation.
pub async fn set_role(ctx: &Ctx, actor: &Actor, siren: &str, user_id: Uuid, role: &str, grant: bool) -> CoreResult<()> {
    let org = get(ctx, siren).await?;
    let parsed = Role::parse(role);
    // Permission before validation, as for invitations.
    policy::require(
        actor,
        &Action::AssignRole {
            organisation: org.id,
            role: parsed.clone().unwrap_or(Role::Member),
        },
    )?;
    let role = parsed.map_err(|e| FieldErrors::single("role", e.to_string()))?;
    let scope = role.scoped(org.id);
    let mut tx = ctx.db.begin().await?;
    // Only people of this organisation can be given a role here (others are
    // invited): an administrator cannot pull in any account of the network.
    let member_of_org = roles::in_organisation(tx.ex(), org.id)
        .await?
        .iter()
        .any(|r| r.user_id == user_id);
    if !member_of_org && !actor.is_coordinator() {
        return Err(CoreError::NotFound);
    }
    let target = users::by_id(tx.ex(), user_id).await?.ok_or(CoreError::NotFound)?;
    if grant {
        roles::grant(tx.ex(), target.id, scope, role.as_str(), actor.user_id()).await?;
    } else {
        if role == Role::Coordinator && roles::count_role(tx.ex(), role.as_str()).await? <= 1 {
            return Err(CoreError::Conflict(
                "Le réseau doit garder au moins un·e animateur·rice : nommez-en un·e autre avant de retirer ce rôle."
                    .into(),
            ));
        }
        roles::revoke(tx.ex(), target.id, scope, role.as_str()).await?;
    }
    audit::record(
        tx.ex(),
        actor.user_id(),
        if grant { "role.grant" } else { "role.revoke" },
        &target.email,
        &format!("{} @ {}", role.as_str(), org.siren),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
