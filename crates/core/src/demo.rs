//! Demo data (`serve --demo`): the « Réseau Remix » of the source documents,
//! with ~45 real member collectivités from the official list, a school per
//! member (some mutualised), a few hundred fictional people and one account
//! per role. Only into an empty database.
//!
//! The demo accounts' passwords are random, generated at seeding (there is no
//! default password anywhere); they are printed and kept in
//! `DATA_DIR/demo-accounts.txt` so a later `serve --demo` can print them again.

use std::collections::HashMap;

use maillage_db::{activity, network, organisations as orgs, roles, schools, users};
use maillage_domain::{reference, role::Role, siren::Siren};
use time::{Date, Duration};
use uuid::Uuid;

use crate::{CoreResult, Ctx, organisations::Membership, security};

const MEMBERS: &str = include_str!("../data/demo_members.csv");

pub struct DemoAccount {
    pub role: Role,
    pub email: String,
    pub password: String,
    pub organisation: String,
}

const FIRST: &[&str] = &[
    "Camille",
    "Dominique",
    "Claude",
    "Sacha",
    "Alix",
    "Morgane",
    "Yanis",
    "Inès",
    "Lucas",
    "Chloé",
    "Nadia",
    "Karim",
    "Sophie",
    "Julien",
    "Amandine",
    "Thibault",
    "Hélène",
    "Mathieu",
    "Léa",
    "Bastien",
    "Élodie",
    "Rémi",
    "Aurélie",
    "Fabien",
    "Noémie",
    "Cédric",
    "Laëtitia",
    "Grégoire",
    "Maëlle",
    "Hugo",
];
const LAST: &[&str] = &[
    "Aubertin",
    "Belcourt",
    "Chassagne",
    "Delorme-Vidal",
    "Escoffier",
    "Fontanel",
    "Guérande",
    "Hautecœur",
    "Isambert",
    "Jolivet",
    "Kervella",
    "Lamarzelle",
    "Mercadier",
    "Nogaret",
    "Olivari",
    "Pradelle",
    "Quintard",
    "Rochebrune",
    "Sauveterre",
    "Tissandier",
    "Urbain-Lasalle",
    "Valmorin",
    "Wattrelos",
    "Ysambart",
    "Zanetti",
    "L'Hôte",
    "Saint-Aubin",
    "Desmarest",
    "Fauconnet",
    "Gallardon",
];

/// A tiny deterministic generator: the demo is the same on every machine.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Seeds the demo network if the database is empty. Returns the demo
/// accounts, or `None` if the database already had data.
pub async fn seed(ctx: &Ctx) -> CoreResult<Option<Vec<DemoAccount>>> {
    let mut tx = ctx.db.begin().await?;
    if users::count(tx.ex()).await? > 0
        || orgs::count(
            tx.ex(),
            &orgs::ListFilter {
                limit: 1,
                ..Default::default()
            },
        )
        .await?
            > 0
    {
        return Ok(None);
    }
    network::upsert(
        tx.ex(),
        "Réseau Remix",
        "Le réseau des écoles de management interne des collectivités : échanges entre pairs, \
         outils et projets partagés, événements communs et « learning expeditions ».",
    )
    .await?;

    let format = time::macros::format_description!("[year]-[month]-[day]");
    let mut school_ids: HashMap<String, Uuid> = HashMap::new();
    let mut members = Vec::new();
    for line in MEMBERS.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let mut cols = line.split(';');
        let (Some(siren), Some(joined), Some(school)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        let siren = Siren::parse(siren).map_err(|e| anyhow::anyhow!("demo_members.csv: {e}"))?;
        let r = reference::by_siren(&siren)
            .ok_or_else(|| anyhow::anyhow!("demo_members.csv: {siren} absent de la référence"))?;
        let joined = Date::parse(joined, &format).map_err(|e| anyhow::anyhow!("demo_members.csv: {e}"))?;
        let id = orgs::insert(
            tx.ex(),
            &orgs::NewOrganisation {
                siren: siren.as_str(),
                name: &r.name,
                name_folded: &maillage_domain::text::fold(&r.name),
                kind: r.kind.as_str(),
                departement: r.departement.as_deref(),
                region: r.region.as_deref(),
                membership: Membership::Membre.as_str(),
                joined_on: Some(joined),
            },
        )
        .await?;
        let at = joined.with_hms(10, 0, 0).expect("valid time").assume_utc();
        activity::record(
            tx.ex(),
            "organisation.joined",
            Some(id),
            None,
            &format!("{} rejoint le réseau", r.name),
            Some(&format!("/organisations/{}", siren.as_str())),
            at,
        )
        .await?;
        let school_id = match school_ids.get(school) {
            Some(s) => *s,
            None => {
                let s = schools::insert(
                    tx.ex(),
                    school,
                    &format!("L'école de management interne de {}.", r.name),
                )
                .await?;
                activity::record(
                    tx.ex(),
                    "school.created",
                    Some(id),
                    None,
                    &format!("Nouvelle école : {school} ({})", r.name),
                    Some(&format!("/organisations/{}", siren.as_str())),
                    at + Duration::hours(1),
                )
                .await?;
                school_ids.insert(school.to_owned(), s);
                s
            }
        };
        schools::attach(tx.ex(), school_id, id).await?;
        members.push((id, r.name.clone(), siren));
    }

    // Fictional people, without passwords (they exist in the network; they
    // would receive an invitation to activate their account).
    let mut rng = Lcg(2020);
    for (i, (org_id, _, _)) in members.iter().enumerate() {
        let n = if i % 5 == 0 { 12 } else { 6 };
        for k in 0..n {
            let first = FIRST[rng.next(FIRST.len())];
            let last = LAST[rng.next(LAST.len())];
            let email = format!(
                "{}.{}.{i}{k}@demo.example",
                maillage_domain::text::fold_words(first).replace(' ', "-"),
                maillage_domain::text::fold_words(last).replace(' ', "-")
            );
            let uid = users::insert(tx.ex(), &email, &format!("{first} {last}"), None).await?;
            let role = match k {
                0 => Role::OrgAdmin,
                1 if i % 3 == 0 => Role::Hr,
                2 if i % 4 == 0 => Role::Trainer,
                _ => Role::Member,
            };
            roles::grant(tx.ex(), uid, Some(*org_id), role.as_str(), None).await?;
            if role != Role::Member {
                roles::grant(tx.ex(), uid, Some(*org_id), Role::Member.as_str(), None).await?;
            }
        }
    }

    // One account per role, in Alès Agglomération (seed 003) and the
    // coordinator in Région Grand Est (seed 000: Manag'Est started Remix).
    let find = |needle: &str| {
        members
            .iter()
            .find(|(_, name, _)| name.contains(needle))
            .map(|(id, name, _)| (*id, name.clone()))
    };
    let ales = find("Alès Agglo")
        .or_else(|| members.first().map(|(id, n, _)| (*id, n.clone())))
        .expect("demo members");
    let grand_est = find("Grand Est").unwrap_or_else(|| ales.clone());
    let specs = [
        (
            Role::Coordinator,
            "animation@demo.example",
            "Dominique Animatrice",
            grand_est.clone(),
        ),
        (
            Role::OrgAdmin,
            "ecole@demo.example",
            "Claude Responsable-École",
            ales.clone(),
        ),
        (Role::Hr, "rh@demo.example", "Sacha Chargé-RH", ales.clone()),
        (
            Role::Trainer,
            "intervenant@demo.example",
            "Alix Intervenante",
            ales.clone(),
        ),
        (Role::Member, "agent@demo.example", "Camille Encadrante", ales.clone()),
    ];
    let mut accounts = Vec::new();
    for (role, email, name, (org_id, org_name)) in specs {
        let password = demo_password();
        let hash = security::hash_password(password.clone()).await?;
        let uid = users::insert(tx.ex(), email, name, Some(&hash)).await?;
        let scope = role.scoped(org_id);
        roles::grant(tx.ex(), uid, scope, role.as_str(), None).await?;
        roles::grant(tx.ex(), uid, Some(org_id), Role::Member.as_str(), None).await?;
        accounts.push(DemoAccount {
            role,
            email: email.into(),
            password,
            organisation: org_name,
        });
    }
    tx.commit().await?;
    Ok(Some(accounts))
}

/// Four random words' worth of entropy, readable: `xxxx-xxxx-xxxx-xxxx`.
fn demo_password() -> String {
    let t = security::random_token().replace(['-', '_'], "x");
    format!("{}-{}-{}-{}", &t[0..5], &t[5..10], &t[10..15], &t[15..20])
}
