//! The demo's school year, after seeds 002 and 003: Alès's school trains
//! more than 150 of its 230 managers in the year (sessions of every format,
//! with their registers, completions and « à chaud » answers, and sessions
//! to come), and the Pôle territorial de l'Albigeois et des Bastides runs its
//! « Management par la coopération » cycle for 40 managers of its five
//! communautés de communes: five days, each in another place, elected
//! officials invited on the fifth, and a sixth day for volunteers.
//!
//! Dates are relative to the day the demo is seeded, so the statistics of
//! the current year always have something to show. Deterministic.

use std::collections::HashMap;

use maillage_db::{Ex, attendance, cycles, profiles, training_sessions as sessions, users};
use time::{Date, Duration, Month, Weekday};
use uuid::Uuid;

use crate::{CoreResult, Ctx};

/// What `demo::seed` made that the school year needs.
pub struct Seeded {
    /// Module ids by title.
    pub modules: HashMap<String, Uuid>,
    /// School ids by SIREN of one of their organisations.
    pub schools: HashMap<String, Uuid>,
    /// Accounts of the people of some organisations, by SIREN.
    pub people: HashMap<String, Vec<Uuid>>,
}

const ALES_ORGS: [&str; 2] = ["200066918", "213000078"];
/// The five communautés de communes, and where each cycle day took place.
const POLE: [(&str, &str); 5] = [
    ("200034031", "Salle des fêtes de Réalmont, Centre Tarn"),
    ("200040905", "Maison de la communauté, Valence-d'Albigeois"),
    ("200034049", "Espace culturel de Saint-Juéry"),
    ("200034064", "La Halle d'Alban, Monts d'Alban et du Villefranchois"),
    ("248100497", "Cap'Découverte, Carmausin-Ségala"),
];

/// Alès's sessions of the past months: (module title, sessions, seats,
/// days, half a day only).
const ALES_PAST: [(&str, usize, i64, i64, bool); 11] = [
    ("Prise de poste : les fondamentaux du management", 3, 14, 2, false),
    ("Séminaire annuel des managers", 1, 120, 1, false),
    ("Les débats de l'école : manager en période de sobriété", 2, 30, 1, true),
    ("Coaching d'équipe de direction", 2, 10, 1, false),
    (
        "Ateliers de codéveloppement : des outils à la réalité du terrain",
        4,
        8,
        1,
        true,
    ),
    ("Entretiens avec la psychologue du travail", 3, 6, 1, true),
    (
        "Conférence : prévenir l'épuisement professionnel des encadrants",
        1,
        60,
        1,
        true,
    ),
    (
        "Expédition apprenante à Alès : une école des cadres mutualisée",
        1,
        20,
        1,
        false,
    ),
    (
        "Fonctions support : l'exécution budgétaire pour les managers",
        2,
        14,
        1,
        false,
    ),
    ("Fonctions support : la commande publique au quotidien", 2, 14, 1, false),
    ("Coaching individuel des managers", 2, 4, 1, true),
];

/// The first weekday on or after `d`.
fn weekday(mut d: Date) -> Date {
    while matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
        d = d.next_day().expect("in range");
    }
    d
}

/// Where past sessions go: from mid-January of this year to last week when
/// the year is old enough, otherwise the ten months before last week.
fn past_window(today: Date) -> (Date, Date) {
    let end = today - Duration::days(8);
    let january = Date::from_calendar_date(today.year(), Month::January, 12).expect("valid date");
    if end - january >= Duration::days(120) {
        (january, end)
    } else {
        (end - Duration::days(300), end)
    }
}

struct NewRun<'a> {
    module: Uuid,
    school: Uuid,
    starts_on: Date,
    days: i64,
    half_day: bool,
    place: &'a str,
    capacity: i64,
    cycle: Option<Uuid>,
    optional: bool,
    title: &'a str,
}

/// A session with its default half-days (the morning only for a
/// half-day format), and its people enrolled in order.
async fn run(mut ex: Ex<'_>, r: &NewRun<'_>, people: &[Uuid]) -> CoreResult<Uuid> {
    let ends_on = weekday(r.starts_on + Duration::days(r.days - 1));
    let id = sessions::insert(
        ex.reborrow(),
        &sessions::NewSession {
            module_id: r.module,
            school_id: r.school,
            starts_on: r.starts_on,
            ends_on,
            place: r.place,
            online_url: None,
            capacity: r.capacity,
            enrol_until: None,
            cancel_until: None,
            created_by: None,
            cycle_id: r.cycle,
            optional: r.optional,
            title: r.title,
            approval: "aucune",
        },
    )
    .await?;
    attendance::insert_default_slots(ex.reborrow(), id, r.starts_on, ends_on).await?;
    if r.half_day {
        for slot in attendance::slots(ex.reborrow(), id).await? {
            if slot.half != "matin" {
                attendance::delete_slot(ex.reborrow(), id, slot.id).await?;
            }
        }
    }
    for u in people.iter().take(r.capacity as usize) {
        sessions::insert_enrolment(ex.reborrow(), id, *u, "inscrit", None).await?;
    }
    Ok(id)
}

pub async fn seed(ctx: &Ctx, s: Seeded) -> CoreResult<()> {
    let today = maillage_db::now().date();
    let module = |title: &str| {
        s.modules
            .get(title)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("demo_school : pas de module « {title} »"))
    };
    let ales_school = *s
        .schools
        .get(ALES_ORGS[0])
        .ok_or_else(|| anyhow::anyhow!("demo_school : pas d'école à Alès"))?;
    let pole_school = *s
        .schools
        .get(POLE[0].0)
        .ok_or_else(|| anyhow::anyhow!("demo_school : pas d'école au Pôle territorial"))?;
    let ales_people: Vec<Uuid> = ALES_ORGS
        .iter()
        .flat_map(|o| s.people.get(*o).cloned().unwrap_or_default())
        .collect();
    let mut conn = ctx.db.conn().await?;
    let trainer_user = users::by_email(conn.ex(), "intervenant@demo.example")
        .await?
        .map(|u| u.id);
    let member_user = users::by_email(conn.ex(), "agent@demo.example").await?.map(|u| u.id);
    let admin_user = users::by_email(conn.ex(), "ecole@demo.example").await?.map(|u| u.id);
    drop(conn);

    // Trainers first (each in its own transaction).
    let alix = match trainer_user {
        Some(u) => Some(
            crate::trainers::demo_internal(
                ctx,
                ales_school,
                u,
                "Alix Intervenante",
                "Formatrice interne en management à Alès Agglomération depuis 2019 : prise de poste, \
                 codéveloppement, conduite de réunion.",
                true,
            )
            .await?,
        ),
        None => None,
    };
    let psy = crate::trainers::demo_external(
        ctx,
        ales_school,
        "Hélène Marchand",
        "Cabinet Parenthèse, psychologue du travail",
        "Psychologue du travail ; entretiens individuels des managers et prévention de l'épuisement \
         professionnel.",
        false,
    )
    .await?;
    let coach = crate::trainers::demo_external(
        ctx,
        ales_school,
        "Nadia Benali",
        "Trajectoires Coaching",
        "Coach certifiée, accompagne les équipes de direction des collectivités.",
        true,
    )
    .await?;
    let cnfpt = crate::trainers::demo_external(
        ctx,
        pole_school,
        "Julien Costes",
        "CNFPT, antenne du Tarn",
        "Conseiller formation du CNFPT, co-organisateur du cycle « Management par la coopération ».",
        false,
    )
    .await?;

    let mut tx = ctx.db.begin().await?;
    // Alès: the past months, people taken in turn among 170 of the 230 so
    // that a little more than 150 came at least once.
    let (from, to) = past_window(today);
    let runs: usize = ALES_PAST.iter().map(|r| r.1).sum();
    let step = (to - from).whole_days().max(1) / runs as i64;
    let pool = ales_people.len().clamp(1, 170);
    let mut cursor = 0usize;
    let mut k = 0i64;
    let mut past_sessions = Vec::new();
    let mut trainer_runs: Vec<(Uuid, Uuid, Uuid)> = Vec::new();
    for (title, count, seats, days, half) in ALES_PAST {
        let m = module(title)?;
        for _ in 0..count {
            let starts_on = weekday(from + Duration::days(step * k));
            k += 1;
            let n = (seats as usize).min(14).min(pool);
            let who: Vec<Uuid> = (0..n).map(|j| ales_people[(cursor + j) % pool]).collect();
            cursor += n;
            let id = run(
                tx.ex(),
                &NewRun {
                    module: m,
                    school: ales_school,
                    starts_on,
                    days,
                    half_day: half,
                    place: "Maison de l'école des cadres, 2 rue Michelet, Alès",
                    capacity: seats,
                    cycle: None,
                    optional: false,
                    title: "",
                },
                &who,
            )
            .await?;
            // Everyone came but one in seven.
            let present: Vec<Uuid> = who
                .iter()
                .enumerate()
                .filter(|(j, _)| !(j + k as usize).is_multiple_of(7))
                .map(|(_, u)| *u)
                .collect();
            crate::attendance::record_demo(tx.ex(), id, &present, admin_user).await?;
            let trainer = if title.contains("psychologue") || title.contains("épuisement") {
                Some(psy)
            } else if title.contains("Coaching") {
                Some(coach)
            } else {
                alix
            };
            if let Some(t) = trainer {
                trainer_runs.push((t, m, id));
            }
            past_sessions.push(id);
        }
    }

    // Sessions to come, the member demo account in the first.
    let coming = [
        ("Prise de poste : les fondamentaux du management", 20, 2, 12, 9),
        (
            "Ateliers de codéveloppement : des outils à la réalité du terrain",
            34,
            1,
            8,
            8,
        ),
        ("Séminaire annuel des managers", 48, 1, 120, 40),
        ("Fonctions support : la commande publique au quotidien", 62, 1, 14, 5),
    ];
    for (i, (title, in_days, days, seats, enrolled)) in coming.into_iter().enumerate() {
        let m = module(title)?;
        let mut who: Vec<Uuid> = ales_people.iter().skip(170 + i * 7).take(enrolled).copied().collect();
        if i == 0
            && let Some(u) = member_user
        {
            who.insert(0, u);
        }
        let id = run(
            tx.ex(),
            &NewRun {
                module: m,
                school: ales_school,
                starts_on: weekday(today + Duration::days(in_days)),
                days,
                half_day: false,
                place: "Maison de l'école des cadres, 2 rue Michelet, Alès",
                capacity: seats,
                cycle: None,
                optional: false,
                title: "",
            },
            &who,
        )
        .await?;
        if let Some(t) = alix {
            trainer_runs.push((t, m, id));
        }
    }

    // The Pôle territorial's cycle: 8 managers of each communauté de
    // communes, one day in each, then a sixth day for 18 volunteers.
    let cycle = cycles::insert(
        tx.ex(),
        pole_school,
        "Management par la coopération — premier cycle",
        "Formation expérimentale de cinq jours co-organisée avec l'antenne tarnaise du CNFPT pour les \
         managers des cinq communautés de communes du Pôle territorial (DGS, responsables de pôle, chef·fes \
         de service), chaque journée dans une communauté différente. Une sixième journée facultative, à \
         Albi, permet aux volontaires de tester les outils d'animation de la coopération.",
    )
    .await?;
    let pole_orgs: Vec<Uuid> = {
        let mut v = Vec::new();
        for (siren, _) in POLE {
            if let Some(o) = maillage_db::organisations::by_siren(tx.ex(), siren).await? {
                v.push(o.id);
            }
        }
        v
    };
    let cohort: Vec<Uuid> = POLE
        .iter()
        .flat_map(|(siren, _)| s.people.get(*siren).cloned().unwrap_or_default().into_iter().take(8))
        .collect();
    let cycle_module = module("Management par la coopération")?;
    let tools_module = module("Outils d'animation de la coopération")?;
    let first_day = weekday(past_window(today).0 + Duration::days(20));
    let themes = [
        "Journée 1 — Se connaître et coopérer",
        "Journée 2 — La coopération dans son équipe",
        "Journée 3 — Coopérer entre services",
        "Journée 4 — Manager les projets dans la transversalité",
        "Journée 5 — Piloter et faire évoluer collectivement nos collectivités",
    ];
    let mut last_day_session = None;
    for (d, ((_, place), title)) in POLE.iter().zip(themes).enumerate() {
        let day = weekday(first_day + Duration::days(21 * d as i64));
        let id = run(
            tx.ex(),
            &NewRun {
                module: cycle_module,
                school: pole_school,
                starts_on: day,
                days: 1,
                half_day: false,
                place,
                capacity: 40,
                cycle: Some(cycle),
                optional: false,
                title,
            },
            &cohort,
        )
        .await?;
        sessions::set_organisers(tx.ex(), id, &pole_orgs).await?;
        let present: Vec<Uuid> = cohort
            .iter()
            .enumerate()
            .filter(|(j, _)| !(j + d).is_multiple_of(9))
            .map(|(_, u)| *u)
            .collect();
        crate::attendance::record_demo(tx.ex(), id, &present, None).await?;
        trainer_runs.push((cnfpt, cycle_module, id));
        if d == 4 {
            for (name, quality) in [
                ("Sylvie Fabre", "Vice-présidente, Carmausin-Ségala"),
                ("Bernard Delmas", "Président, Monts d'Alban et du Villefranchois"),
                ("Martine Cabrol", "Élue communautaire, Centre Tarn"),
            ] {
                sessions::insert_guest(tx.ex(), id, day, name, quality).await?;
            }
            last_day_session = Some(id);
        }
    }
    let sixth = weekday(first_day + Duration::days(21 * 5 + 10));
    let volunteers: Vec<Uuid> = cohort.iter().step_by(2).take(18).copied().collect();
    let id = run(
        tx.ex(),
        &NewRun {
            module: tools_module,
            school: pole_school,
            starts_on: sixth,
            days: 1,
            half_day: false,
            place: "CNFPT, délégation Occitanie, antenne du Tarn, Albi",
            capacity: 20,
            cycle: Some(cycle),
            optional: true,
            title: "Journée 6 (volontaires) — Tester les outils d'animation de la coopération",
        },
        &volunteers,
    )
    .await?;
    sessions::set_organisers(tx.ex(), id, &pole_orgs).await?;
    crate::attendance::record_demo(tx.ex(), id, &volunteers, None).await?;
    trainer_runs.push((cnfpt, tools_module, id));

    // Alès's paths, and when its managers took their post: one in four over
    // the last two years (some due for « Prise de poste », some late).
    crate::paths::seed_demo(tx.ex(), ales_school).await?;
    for (i, u) in ales_people.iter().step_by(4).enumerate() {
        if let Some(profile) = profiles::id_of_user(tx.ex(), *u).await? {
            let started = today - Duration::days(((i * 37) % 730) as i64);
            profiles::set_post_started(tx.ex(), profile, started).await?;
        }
    }
    tx.commit().await?;

    for (trainer, module, session) in trainer_runs {
        crate::trainers::demo_assign(ctx, trainer, module, Some(session)).await?;
    }
    // « À chaud » answers for the last Prise de poste and the cycle's fifth day.
    let last_intake = past_sessions.get(2).copied();
    crate::evaluations::seed_demo(ctx, ales_school, last_intake).await?;
    crate::evaluations::seed_demo(ctx, pole_school, last_day_session).await?;
    Ok(())
}
