//! Demo data (`serve --demo`): the « Réseau Remix » of the source documents,
//! with ~45 real member collectivités from the official list, a school per
//! member (some mutualised), a few hundred fictional people and one account
//! per role. Only into an empty database.
//!
//! Every person has a directory profile (post, contact, themes, varied
//! visibility choices), made up deterministically from `data/demo_posts.csv`
//! and `data/demo_bios.txt`; the network has the starter list of themes.
//!
//! The schools have a catalogue (`data/demo_modules.txt`, after seeds 002
//! and 003): the Alès school's modules in every format, Manag'Est's, and the
//! Albigeois pole's « Management par la coopération » cycle; some are shared
//! with the network and taken up by another school.
//!
//! The demo accounts' passwords are random, generated at seeding (there is no
//! default password anywhere); they are printed and kept in
//! `DATA_DIR/demo-accounts.txt` so a later `serve --demo` can print them again.

use std::collections::HashMap;

use maillage_db::{activity, modules, network, organisations as orgs, profiles, roles, schools, users};
use maillage_domain::{
    catalogue::{DurationUnit, Format, Stage},
    category::Category,
    reference,
    role::Role,
    search::index_terms,
    siren::Siren,
};
use time::{Date, Duration};
use uuid::Uuid;

use crate::{
    CoreResult, Ctx,
    directory::{
        edit::{defaults, split_name},
        index::reindex,
        themes::STARTER,
    },
    organisations::Membership,
    security,
};

const MEMBERS: &str = include_str!("../data/demo_members.csv");
/// `usage;masculin;feminin;direction;service;categorie;cadre;expertises`.
const POSTS: &str = include_str!("../data/demo_posts.csv");
/// One sentence a line.
const BIOS: &str = include_str!("../data/demo_bios.txt");
/// The schools' catalogue; the format is described at the top of the file.
const MODULES: &str = include_str!("../data/demo_modules.txt");

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

/// First names that are not epicene and take the feminine form of a title.
const FEMININE: &[&str] = &[
    "Morgane",
    "Inès",
    "Chloé",
    "Nadia",
    "Sophie",
    "Amandine",
    "Hélène",
    "Léa",
    "Élodie",
    "Aurélie",
    "Noémie",
    "Laëtitia",
    "Maëlle",
];
const MASCULINE: &[&str] = &[
    "Yanis",
    "Lucas",
    "Karim",
    "Julien",
    "Thibault",
    "Mathieu",
    "Bastien",
    "Rémi",
    "Fabien",
    "Cédric",
    "Grégoire",
    "Hugo",
];
const LANGUAGES: &[&str] = &[
    "anglais", "espagnol", "occitan", "LSF", "allemand", "italien", "breton", "arabe",
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
    let mut school_of_siren: HashMap<String, Uuid> = HashMap::new();
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
        school_of_siren.insert(siren.as_str().to_owned(), school_id);
        members.push(Member {
            id,
            name: r.name.clone(),
            region: r.region.clone(),
            departement: r.departement.clone(),
        });
    }

    let mut theme_ids = HashMap::new();
    for name in STARTER {
        theme_ids.insert(*name, profiles::insert_theme(tx.ex(), name).await?);
    }

    // The schools' catalogue, then the shared modules other schools took.
    let school = |siren: &str| {
        school_of_siren
            .get(siren)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("demo_modules.txt: {siren} n'est pas un membre de la démo"))
    };
    let mut module_ids: HashMap<String, Uuid> = HashMap::new();
    for m in DemoModule::parse_all().map_err(|e| anyhow::anyhow!("demo_modules.txt: {e}"))? {
        let id = modules::insert(tx.ex(), school(&m.siren)?, &m.fields, None).await?;
        module_ids.insert(m.fields.title.clone(), id);
        let themes: Vec<Uuid> = m
            .themes
            .iter()
            .filter_map(|t| theme_ids.get(t.as_str()).copied())
            .collect();
        modules::set_themes(tx.ex(), id, &themes).await?;
        for siren in &m.adopted_by {
            modules::adopt(tx.ex(), id, school(siren)?, None).await?;
        }
    }
    let mut people = People::new(theme_ids);

    // Fictional people, without passwords (they exist in the network; they
    // would receive an invitation to activate their account).
    let mut rng = Lcg(2020);
    for (i, member) in members.iter().enumerate() {
        let org_id = &member.id;
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
            let usage = match (role, i, k) {
                (Role::OrgAdmin, ..) => Usage::School,
                (Role::Hr, ..) => Usage::Hr,
                (Role::Trainer, ..) => Usage::Training,
                // Examples the directory's search is shown with.
                (_, 0 | 7, 3) => Usage::Elected,
                (_, 4, 3) => Usage::SaintEtienne,
                _ => Usage::Any,
            };
            let profile = people.make(first, last, &email, member, usage);
            people.insert(tx.ex(), *org_id, Some(uid), profile).await?;
        }
    }

    // One account per role, in Alès Agglomération (seed 003) and the
    // coordinator in Région Grand Est (seed 000: Manag'Est started Remix).
    let find = |needle: &str| members.iter().find(|m| m.name.contains(needle));
    let ales = find("Alès Agglo").or_else(|| members.first()).expect("demo members");
    let grand_est = find("Grand Est").unwrap_or(ales);
    // Their profiles are filled in but not yet acknowledged (as after an
    // invitation): « Mon profil » shows them the directory's information.
    let specs = [
        (
            Role::Coordinator,
            "animation@demo.example",
            "Dominique Animatrice",
            grand_est,
            Post::role_account(
                "Coordinatrice du réseau Remix",
                "Manag'Est",
                &["Management", "Conduite du changement"],
            ),
        ),
        (
            Role::OrgAdmin,
            "ecole@demo.example",
            "Claude Responsable-École",
            ales,
            Post::role_account(
                "Responsable de l'école de management interne",
                "École de management",
                &["Management", "Ressources humaines"],
            ),
        ),
        (
            Role::Hr,
            "rh@demo.example",
            "Sacha Chargé-RH",
            ales,
            Post::role_account(
                "Chargé de mission ressources humaines",
                "Service Carrières et paie",
                &["Ressources humaines"],
            ),
        ),
        (
            Role::Trainer,
            "intervenant@demo.example",
            "Alix Intervenante",
            ales,
            Post::role_account(
                "Formatrice interne en management",
                "Service Formation et compétences",
                &["Management", "Design de service"],
            ),
        ),
        (
            Role::Member,
            "agent@demo.example",
            "Camille Encadrante",
            ales,
            Post {
                direction: "Direction de l'aménagement".into(),
                cadre: "Ingénieurs territoriaux".into(),
                ..Post::role_account(
                    "Cheffe du service Mobilités",
                    "Service Mobilités",
                    &["Transition écologique"],
                )
            },
        ),
    ];
    let mut accounts = Vec::new();
    for (role, email, name, member, post) in specs {
        let password = demo_password();
        let hash = security::hash_password(password.clone()).await?;
        let uid = users::insert(tx.ex(), email, name, Some(&hash)).await?;
        let scope = role.scoped(member.id);
        roles::grant(tx.ex(), uid, scope, role.as_str(), None).await?;
        roles::grant(tx.ex(), uid, Some(member.id), Role::Member.as_str(), None).await?;
        let (first, last) = split_name(name);
        let mut profile = people.make(&first, &last, email, member, Usage::Fixed(post));
        profile.consented = false;
        people.insert(tx.ex(), member.id, Some(uid), profile).await?;
        accounts.push(DemoAccount {
            role,
            email: email.into(),
            password,
            organisation: member.name.clone(),
        });
    }
    // Seeds 003 and 002 give figures: Alès's school has 230 managers; the
    // five communautés de communes of the Pôle territorial sent 40 managers
    // to the cycle. More people for those, with a generator of their own so
    // that everyone above stays who they are.
    let mut crowd = Lcg(2026);
    let mut extra = |n: usize| -> Vec<(String, String)> {
        (0..n)
            .map(|_| {
                (
                    FIRST[crowd.next(FIRST.len())].to_owned(),
                    LAST[crowd.next(LAST.len())].to_owned(),
                )
            })
            .collect()
    };
    let mut by_siren: HashMap<&str, Vec<Uuid>> = HashMap::new();
    let ales_orgs = ["200066918", "213000078"];
    let pole = ["200034031", "200040905", "200034049", "200034064", "248100497"];
    let org_of = |siren: &str| {
        let name = &reference::by_siren(&Siren::parse(siren).ok()?)?.name;
        members.iter().find(|m| m.name == *name)
    };
    let targets: Vec<(&str, usize)> = ales_orgs
        .iter()
        .map(|s| (*s, 115))
        .chain(pole.iter().map(|s| (*s, 9)))
        .collect();
    for (siren, target) in targets {
        let Some(member) = org_of(siren) else { continue };
        let existing = profiles::count_in(tx.ex(), member.id).await? as usize;
        for (k, (first, last)) in extra(target.saturating_sub(existing)).into_iter().enumerate() {
            let email = format!(
                "{}.{}.{siren}-{k}@demo.example",
                maillage_domain::text::fold_words(&first).replace(' ', "-"),
                maillage_domain::text::fold_words(&last).replace(' ', "-")
            );
            let uid = users::insert(tx.ex(), &email, &format!("{first} {last}"), None).await?;
            roles::grant(tx.ex(), uid, Some(member.id), Role::Member.as_str(), None).await?;
            let profile = people.make(&first, &last, &email, member, Usage::Any);
            people.insert(tx.ex(), member.id, Some(uid), profile).await?;
        }
        by_siren.insert(siren, profiles::users_in(tx.ex(), member.id).await?);
    }
    tx.commit().await?;

    crate::demo_school::seed(
        ctx,
        crate::demo_school::Seeded {
            modules: module_ids,
            schools: school_of_siren,
            people: by_siren.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        },
    )
    .await?;
    crate::demo_projects::seed(ctx).await?;
    Ok(Some(accounts))
}

struct Member {
    id: Uuid,
    name: String,
    region: Option<String>,
    departement: Option<String>,
}

/// A post, from `data/demo_posts.csv`.
#[derive(Clone)]
struct Post {
    usage: String,
    masculine: String,
    feminine: String,
    direction: String,
    service: String,
    category: String,
    cadre: String,
    expertise: Vec<String>,
}

impl Post {
    fn parse_all() -> Vec<Post> {
        POSTS
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let c: Vec<&str> = l.split(';').collect();
                let col = |i: usize| c.get(i).copied().unwrap_or("").trim().to_owned();
                Post {
                    usage: col(0),
                    masculine: col(1),
                    feminine: col(2),
                    direction: col(3),
                    service: col(4),
                    category: col(5),
                    cadre: col(6),
                    expertise: col(7).split('|').filter(|t| !t.is_empty()).map(str::to_owned).collect(),
                }
            })
            .collect()
    }

    /// A role account's post, in the human resources direction.
    fn role_account(title: &str, service: &str, expertise: &[&str]) -> Post {
        Post {
            usage: String::new(),
            masculine: title.to_owned(),
            feminine: title.to_owned(),
            direction: "Direction des ressources humaines".into(),
            service: service.to_owned(),
            category: "A".into(),
            cadre: "Attachés territoriaux".into(),
            expertise: expertise.iter().map(|t| (*t).to_owned()).collect(),
        }
    }
}

/// Which post a demo person gets.
enum Usage {
    /// Runs the organisation's school (its administrator).
    School,
    Hr,
    Training,
    /// Works with the elected members (a search example: « élus »).
    Elected,
    /// Works at an antenna in Saint-Étienne (a search example; no demo
    /// member is named after the city).
    SaintEtienne,
    Any,
    Fixed(Post),
}

struct NewProfile {
    fields: profiles::Fields,
    expertise: Vec<Uuid>,
    interests: Vec<Uuid>,
    consented: bool,
}

/// Makes up the demo's profiles, deterministically (its own generator, so
/// the accounts' names stay what they were before profiles existed).
struct People {
    rng: Lcg,
    posts: Vec<Post>,
    bios: Vec<&'static str>,
    themes: HashMap<&'static str, Uuid>,
    theme_list: Vec<Uuid>,
}

impl People {
    fn new(themes: HashMap<&'static str, Uuid>) -> People {
        let theme_list = STARTER.iter().filter_map(|t| themes.get(t).copied()).collect();
        People {
            rng: Lcg(1871),
            posts: Post::parse_all(),
            bios: BIOS.lines().map(str::trim).filter(|l| !l.is_empty()).collect(),
            themes,
            theme_list,
        }
    }

    fn pick_post(&mut self, usage: &str) -> Post {
        let matching: Vec<&Post> = self.posts.iter().filter(|p| p.usage == usage).collect();
        let any: Vec<&Post> = self.posts.iter().filter(|p| p.usage == "*").collect();
        let from = if matching.is_empty() { any } else { matching };
        from[self.rng.next(from.len())].clone()
    }

    fn phone(&mut self, member: &Member) -> String {
        // The ranges ARCEP reserves for fiction: no real line rings.
        let zone = match (member.region.as_deref(), member.departement.as_deref()) {
            (Some("11"), _) => "01 99 00",
            (Some("24" | "28" | "52" | "53"), _) => "02 61 91",
            (Some("27" | "32" | "44"), _) => "03 53 01",
            (Some("76"), Some("11" | "30" | "34" | "48" | "66")) => "04 65 71",
            (Some("84" | "93" | "94"), _) => "04 65 71",
            (Some("75" | "76"), _) => "05 35 55",
            _ => "01 99 00",
        };
        format!("{zone} {:02} {:02}", self.rng.next(100), self.rng.next(100))
    }

    fn make(&mut self, first: &str, last: &str, email: &str, member: &Member, usage: Usage) -> NewProfile {
        let example = matches!(usage, Usage::Elected | Usage::SaintEtienne | Usage::Fixed(_));
        let mut post = match usage {
            Usage::School => self.pick_post("ecole"),
            Usage::Hr => self.pick_post("rh"),
            Usage::Training => self.pick_post("formation"),
            Usage::Elected => self.pick_post("elus"),
            Usage::SaintEtienne => self.pick_post("saint-etienne"),
            Usage::Any => self.pick_post("*"),
            Usage::Fixed(post) => post,
        };
        let feminine = if FEMININE.contains(&first) {
            true
        } else if MASCULINE.contains(&first) {
            false
        } else {
            self.rng.next(2) == 0
        };
        // Now and then, the same post one grade lower or higher.
        if post.category == "A" && self.rng.next(8) == 0 {
            post.category = "B".into();
            post.cadre = "Rédacteurs territoriaux".into();
        }
        let mut f = profiles::Fields {
            first_name: first.to_owned(),
            last_name: last.to_owned(),
            function_title: if feminine { post.feminine } else { post.masculine },
            direction: post.direction,
            service: post.service,
            category: Some(post.category).filter(|c| !c.is_empty()),
            cadre: post.cadre,
            email: Some(email.to_owned()),
            ..defaults()
        };
        if self.rng.next(100) < 85 {
            f.phone = Some(self.phone(member));
        }
        if self.rng.next(2) == 0 {
            let a = self.rng.next(self.bios.len());
            let b = self.rng.next(self.bios.len());
            f.bio = if a == b || self.rng.next(2) == 0 {
                self.bios[a].to_owned()
            } else {
                format!("{} {}", self.bios[a], self.bios[b])
            };
        }
        if self.rng.next(100) < 30 {
            let a = LANGUAGES[self.rng.next(LANGUAGES.len())];
            let b = LANGUAGES[self.rng.next(LANGUAGES.len())];
            f.languages = if a == b || self.rng.next(2) == 0 {
                a.to_owned()
            } else {
                format!("{a}, {b}")
            };
        }

        // Visibility: most keep what a new profile starts with.
        if !example {
            match self.rng.next(100) {
                0..5 => f.listed = 2,
                5..15 => f.listed = 1,
                _ => {}
            }
            if self.rng.next(100) < 20 {
                f.email_vis = 0;
            }
            if self.rng.next(100) < 30 {
                f.category_vis = 0;
            }
            if self.rng.next(100) < 10 {
                f.phone_vis = 0;
            }
            if !f.bio.is_empty() && self.rng.next(100) < 25 {
                f.bio_vis = 1;
            }
        }
        let d = defaults();
        let chose = (f.listed, f.email_vis, f.phone_vis, f.bio_vis, f.category_vis)
            != (d.listed, d.email_vis, d.phone_vis, d.bio_vis, d.category_vis);

        // 1 to 3 themes of expertise, those of the post first; 0 to 2 interests.
        let wanted = 1 + self.rng.next(3);
        let mut expertise: Vec<Uuid> = post
            .expertise
            .iter()
            .filter_map(|t| self.themes.get(t.as_str()).copied())
            .take(wanted)
            .collect();
        if expertise.is_empty() && !self.theme_list.is_empty() {
            expertise.push(self.theme_list[self.rng.next(self.theme_list.len())]);
        }
        let mut interests = Vec::new();
        for _ in 0..self.rng.next(3) {
            let t = self.theme_list[self.rng.next(self.theme_list.len())];
            if !expertise.contains(&t) && !interests.contains(&t) {
                interests.push(t);
            }
        }
        NewProfile {
            fields: f,
            expertise,
            interests,
            consented: chose || self.rng.next(10) != 0,
        }
    }

    async fn insert(
        &self,
        mut ex: maillage_db::Ex<'_>,
        org: Uuid,
        user: Option<Uuid>,
        p: NewProfile,
    ) -> CoreResult<Uuid> {
        let (id, _) = profiles::insert(ex.reborrow(), org, user, &p.fields, p.consented).await?;
        let themes: Vec<(Uuid, &str)> = p
            .expertise
            .iter()
            .map(|t| (*t, "expertise"))
            .chain(p.interests.iter().map(|t| (*t, "interest")))
            .collect();
        profiles::set_themes(ex.reborrow(), id, &themes).await?;
        profiles::record_change(ex.reborrow(), id, None, "import", &["creation"]).await?;
        reindex(ex, id).await?;
        Ok(id)
    }
}

/// A module of `data/demo_modules.txt`, as the core's form would store it.
#[derive(Debug)]
struct DemoModule {
    /// SIREN of an organisation of the designing school.
    siren: String,
    fields: modules::Fields,
    themes: Vec<String>,
    /// SIRENs of organisations whose school took the module.
    adopted_by: Vec<String>,
}

impl DemoModule {
    fn parse_all() -> Result<Vec<DemoModule>, String> {
        // (siren, title, [(key, value)]) blocks.
        type Block = (String, String, Vec<(String, String)>);
        let mut blocks: Vec<Block> = Vec::new();
        for (n, line) in MODULES.lines().enumerate() {
            let at = || format!("ligne {}", n + 1);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(head) = line.strip_prefix("==") {
                let (siren, title) = head
                    .split_once('|')
                    .ok_or_else(|| format!("{} : « == SIREN | intitulé »", at()))?;
                blocks.push((siren.trim().to_owned(), title.trim().to_owned(), Vec::new()));
                continue;
            }
            let (_, _, keys) = blocks
                .last_mut()
                .ok_or_else(|| format!("{} : hors d'un module", at()))?;
            if line.starts_with(char::is_whitespace) {
                let (_, value) = keys.last_mut().ok_or_else(|| format!("{} : suite sans clé", at()))?;
                value.push('\n');
                value.push_str(line.trim());
            } else {
                let (key, value) = line
                    .split_once(':')
                    .ok_or_else(|| format!("{} : « clé: valeur »", at()))?;
                keys.push((key.trim().to_owned(), value.trim().to_owned()));
            }
        }
        blocks
            .into_iter()
            .map(|(siren, title, keys)| DemoModule::build(siren, title, &keys))
            .collect()
    }

    /// Checks and normalises one module the way `catalogue::create` does.
    fn build(siren: String, title: String, keys: &[(String, String)]) -> Result<DemoModule, String> {
        const KEYS: &[&str] = &[
            "format",
            "stage",
            "categories",
            "duration",
            "shared",
            "archived",
            "themes",
            "adopted_by",
            "trainers",
            "objectives",
            "description",
        ];
        if let Some((k, _)) = keys.iter().find(|(k, _)| !KEYS.contains(&k.as_str())) {
            return Err(format!("{title} : clé inconnue « {k} »"));
        }
        let get = |key: &str| {
            keys.iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
                .unwrap_or("")
        };
        let yes = |key: &str| match get(key) {
            "oui" => Ok(true),
            "non" | "" => Ok(false),
            v => Err(format!("{title} : {key} « {v} » (oui ou non)")),
        };
        let list = |key: &str, sep: char| -> Vec<String> {
            get(key)
                .split(sep)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let format = Format::parse(get("format")).ok_or_else(|| format!("{title} : format inconnu"))?;
        let stage = Stage::parse(get("stage")).ok_or_else(|| format!("{title} : public inconnu"))?;
        let mut categories = Vec::new();
        for c in list("categories", ',') {
            match Category::parse(&c) {
                Ok(Some(c)) if !categories.contains(&c) => categories.push(c),
                _ => return Err(format!("{title} : catégorie « {c} »")),
            }
        }
        categories.sort();
        let (value, unit) = get("duration")
            .split_once(' ')
            .and_then(|(n, u)| {
                Some((
                    n.parse::<i64>().ok().filter(|n| (1..=1000).contains(n))?,
                    DurationUnit::parse(u)?,
                ))
            })
            .ok_or_else(|| format!("{title} : durée « {} »", get("duration")))?;
        let (objectives, description, trainers) = (get("objectives"), get("description"), get("trainers"));
        if title.is_empty()
            || title.chars().count() > 200
            || objectives.chars().count() > 4000
            || description.chars().count() > 8000
            || trainers.chars().count() > 500
        {
            return Err(format!("{title} : intitulé vide ou texte trop long"));
        }
        let themes = list("themes", '|');
        if let Some(t) = themes.iter().find(|t| !STARTER.contains(&t.as_str())) {
            return Err(format!("{title} : thématique « {t} » hors de la liste de départ"));
        }
        let shared = yes("shared")?;
        let adopted_by = list("adopted_by", ',');
        if !adopted_by.is_empty() && !shared {
            return Err(format!("{title} : seul un module partagé peut être repris"));
        }
        Ok(DemoModule {
            fields: modules::Fields {
                search_terms: index_terms([title.as_str(), objectives, description, trainers]),
                format: format.key().to_owned(),
                objectives: objectives.to_owned(),
                description: description.to_owned(),
                audience_categories: categories.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(","),
                audience_stage: stage.key().to_owned(),
                duration_value: value,
                duration_unit: unit.key().to_owned(),
                trainers: trainers.to_owned(),
                shared,
                archived: yes("archived")?,
                completion_percent: 100,
                title,
            },
            siren,
            themes,
            adopted_by,
        })
    }
}

/// Four random words' worth of entropy, readable: `xxxx-xxxx-xxxx-xxxx`.
fn demo_password() -> String {
    let t = security::random_token().replace(['-', '_'], "x");
    format!("{}-{}-{}-{}", &t[0..5], &t[5..10], &t[10..15], &t[15..20])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_cover_every_usage_and_name_existing_themes() {
        let posts = Post::parse_all();
        for usage in ["ecole", "rh", "formation", "elus", "saint-etienne", "*"] {
            assert!(posts.iter().any(|p| p.usage == usage), "no post for {usage}");
        }
        for p in &posts {
            assert!(!p.masculine.is_empty() && !p.feminine.is_empty(), "{}", p.masculine);
            assert!(
                maillage_domain::category::Category::parse(&p.category).is_ok_and(|c| c.is_some()),
                "{}",
                p.masculine
            );
            for t in &p.expertise {
                assert!(STARTER.contains(&t.as_str()), "{t} is not a starter theme");
            }
        }
        assert!(
            posts
                .iter()
                .any(|p| p.feminine.contains("élue") || p.feminine.contains("élus"))
        );
        assert!(BIOS.lines().filter(|l| !l.trim().is_empty()).count() >= 10);
    }

    #[test]
    fn demo_catalogue_is_valid_and_covers_every_format() {
        let modules = DemoModule::parse_all().unwrap();
        let members: Vec<&str> = MEMBERS.lines().skip(1).filter_map(|l| l.split(';').next()).collect();
        for m in &modules {
            assert!(members.contains(&m.siren.as_str()), "{}", m.siren);
            for s in &m.adopted_by {
                assert!(members.contains(&s.as_str()), "{s}");
                assert_ne!(s, &m.siren, "{}", m.fields.title);
            }
            assert!(!m.themes.is_empty(), "{}", m.fields.title);
            assert!(!m.fields.search_terms.is_empty());
        }
        let ales: Vec<&DemoModule> = modules.iter().filter(|m| m.siren == "200066918").collect();
        for f in Format::ALL {
            assert!(
                ales.iter().any(|m| m.fields.format == f.key() && !m.fields.archived),
                "Alès has no {f:?}"
            );
        }
        assert!(
            modules
                .iter()
                .any(|m| m.fields.title == "Management par la coopération" && m.fields.shared)
        );
        assert!(modules.iter().any(|m| !m.adopted_by.is_empty()));
        let terms = maillage_domain::search::index_terms(["coopération"]);
        assert!(
            modules
                .iter()
                .filter(|m| m
                    .fields
                    .search_terms
                    .split(' ')
                    .any(|t| terms.split(' ').any(|q| q == t)))
                .count()
                >= 2
        );
    }

    #[test]
    fn phone_numbers_are_valid_and_fictional() {
        let mut people = People::new(HashMap::new());
        for (region, departement) in [("11", "75"), ("76", "30"), ("76", "31"), ("44", "67"), ("01", "971")] {
            let member = Member {
                id: Uuid::nil(),
                name: String::new(),
                region: Some(region.into()),
                departement: Some(departement.into()),
            };
            let phone = people.phone(&member);
            let parsed = maillage_domain::phone::Phone::parse(&phone).unwrap().unwrap();
            assert_eq!(parsed.as_str(), phone);
        }
    }
}
