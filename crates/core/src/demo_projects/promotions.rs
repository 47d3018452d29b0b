//! Demo promotions of Alès's school, following its « Excellence
//! managériale » path (when the school demo made it):
//!
//! - [`past_name`] (« Promotion 2025 – Excellence managériale » in 2026):
//!   ended last year, 18 members of Alès's two organisations, their casting
//!   data, a casting computed by the engine (seed 2025, 3 groups) whose
//!   groups have no project yet — the bank's demo, which runs after this
//!   one, attaches its projects to `promotion_groups` by this name; some
//!   of its alumni show the promotion on their profile (`alumni_vis`);
//! - [`current_name`] (« Promotion 2026 – Excellence managériale »): under
//!   way, 24 members from Alès's organisations and two communautés de
//!   communes of the Pôle territorial (the demo member account among them),
//!   casting data for most, temperaments only with consent; no casting yet
//!   (the school runs it on `/promotions/{id}/groupes`).
//!
//! Deterministic: everything derives from the stored order and `today`.

use maillage_db::{Ex, organisations, promotions as db, schools};
use time::{Date, Month};
use uuid::Uuid;

use crate::{
    CoreResult, Ctx,
    casting::{self, Effort, Params},
    promotions::{groups, members::Member},
};

const ALES_ORGS: [&str; 2] = ["200066918", "213000078"];
const POLE_ORGS: [&str; 2] = ["200034031", "200040905"];
const ROLE_ACCOUNTS: [&str; 5] = [
    "agent@demo.example",
    "intervenant@demo.example",
    "rh@demo.example",
    "ecole@demo.example",
    "animation@demo.example",
];
const TEMPERAMENTS: &str = "Meneur\nAnalytique\nCréatif\nFédérateur";

/// The past promotion's name: « Promotion {last year} – Excellence managériale ».
pub fn past_name(today: Date) -> String {
    format!("Promotion {} – Excellence managériale", today.year() - 1)
}

/// The current promotion's name: « Promotion {this year} – Excellence managériale ».
pub fn current_name(today: Date) -> String {
    format!("Promotion {} – Excellence managériale", today.year())
}

fn date(year: i32, month: Month, day: u8) -> CoreResult<Date> {
    Date::from_calendar_date(year, month, day).map_err(|e| anyhow::anyhow!("date de démo : {e}").into())
}

async fn org(ex: Ex<'_>, siren: &str) -> CoreResult<Option<Uuid>> {
    Ok(organisations::by_siren(ex, siren).await?.map(|o| o.id))
}

/// Casting data of the i-th member: a deterministic mix (two people in
/// eleven without a gender given, one in seven without a birth year).
fn casting_data(i: usize, today: Date, consent: bool) -> db::CastingData {
    let year = i64::from(today.year());
    let birth_year = (i % 7 != 3).then(|| year - 28 - ((i * 7) % 30) as i64);
    let seniority = birth_year.map(|b| (((i * 5) % 18) as i64).min(year - 16 - b));
    let temperament = (consent && i.is_multiple_of(3))
        .then(|| ["Meneur", "Analytique", "Créatif", "Fédérateur"][(i / 3) % 4].to_owned());
    db::CastingData {
        gender: match i % 11 {
            4 | 9 => None,
            _ if i.is_multiple_of(2) => Some("F".to_owned()),
            _ => Some("H".to_owned()),
        },
        birth_year,
        seniority_years: seniority,
        temperament_consent_at: temperament.as_ref().map(|_| maillage_db::now()),
        temperament,
    }
}

pub async fn seed(ctx: &Ctx) -> CoreResult<()> {
    let today = maillage_db::now().date();
    let mut tx = ctx.db.begin().await?;
    let Some(ales) = org(tx.ex(), ALES_ORGS[0]).await? else {
        return Ok(());
    };
    let Some(school) = schools::of_organisation(tx.ex(), ales).await?.into_iter().next() else {
        return Ok(());
    };
    let path = maillage_db::paths::list(
        tx.ex(),
        &maillage_db::modules::Viewer {
            everything: true,
            member_of: Vec::new(),
        },
    )
    .await?
    .into_iter()
    .find(|p| p.school_id == school.id && p.title == "Excellence managériale")
    .map(|p| p.id);

    // People: Alès's two organisations, then two communautés de communes.
    let mut ales_people = Vec::new();
    for siren in ALES_ORGS {
        if let Some(o) = org(tx.ex(), siren).await? {
            ales_people.extend(db::profiles_in(tx.ex(), o, 40).await?);
        }
    }
    let mut pole_people = Vec::new();
    for siren in POLE_ORGS {
        if let Some(o) = org(tx.ex(), siren).await? {
            pole_people.extend(db::profiles_in(tx.ex(), o, 3).await?);
        }
    }
    // The role accounts are no one's fellow learners, except the member
    // account, in the current promotion (so it can state its wishes).
    let mut roles = Vec::new();
    for email in ROLE_ACCOUNTS {
        if let Some(u) = maillage_db::users::by_email(tx.ex(), email).await? {
            roles.extend(maillage_db::profiles::id_of_user(tx.ex(), u.id).await?);
        }
    }
    ales_people.retain(|p| !roles.contains(p));
    pole_people.retain(|p| !roles.contains(p));
    if ales_people.len() < 38 {
        return Ok(());
    }
    let member_account = maillage_db::users::by_email(tx.ex(), "agent@demo.example").await?;
    let member_profile = match member_account {
        Some(u) => maillage_db::profiles::id_of_user(tx.ex(), u.id).await?,
        None => None,
    };

    // The past promotion: people 20..38 of Alès (not the current ones).
    let past = db::insert(
        tx.ex(),
        school.id,
        &db::Fields {
            path_id: path,
            name: past_name(today),
            description: "La promotion de l’an dernier du parcours Excellence managériale : trois groupes projet, \
                          présentés au jury en décembre."
                .into(),
            starts_on: date(today.year() - 1, Month::January, 15)?,
            ends_on: date(today.year() - 1, Month::December, 12)?,
            temperaments: TEMPERAMENTS.into(),
        },
        None,
    )
    .await?;
    let past_people: Vec<Uuid> = ales_people
        .iter()
        .skip(20)
        .take(18)
        .copied()
        .filter(|p| Some(*p) != member_profile)
        .collect();
    for (i, p) in past_people.iter().enumerate() {
        db::add_member(tx.ex(), past, *p).await?;
        db::set_casting_data(tx.ex(), past, *p, &casting_data(i, today, true)).await?;
        // Some alumni show the promotion on their profile: to the network,
        // or to their organisation.
        match i % 4 {
            0 => db::set_alumni_vis(tx.ex(), *p, 0).await?,
            1 => db::set_alumni_vis(tx.ex(), *p, 1).await?,
            _ => 0,
        };
    }

    // The current promotion.
    let current = db::insert(
        tx.ex(),
        school.id,
        &db::Fields {
            path_id: path,
            name: current_name(today),
            description: "Vingt-quatre managers d’Alès Agglomération, de la Ville d’Alès et de deux communautés \
                          de communes du Pôle territorial, pour dix mois de parcours et un projet en groupe."
                .into(),
            starts_on: date(today.year(), Month::January, 12)?,
            ends_on: date(today.year(), Month::December, 11)?,
            temperaments: TEMPERAMENTS.into(),
        },
        None,
    )
    .await?;
    let mut current_people: Vec<Uuid> = member_profile.into_iter().collect();
    current_people.extend(
        ales_people
            .iter()
            .take(20)
            .copied()
            .filter(|p| Some(*p) != member_profile),
    );
    current_people.extend(pole_people.iter().copied());
    current_people.truncate(24);
    for (i, p) in current_people.iter().enumerate() {
        db::add_member(tx.ex(), current, *p).await?;
        // Casting data for most (the last four not entered yet); a
        // temperament for every third person, who agreed.
        if i < current_people.len().saturating_sub(4) {
            db::set_casting_data(tx.ex(), current, *p, &casting_data(i + 3, today, true)).await?;
        }
    }
    tx.commit().await?;

    // The past promotion's casting, by the engine, saved as the page would.
    let mut tx = ctx.db.begin().await?;
    let rows = db::members(tx.ex(), past).await?;
    let members: Vec<Member> = rows
        .into_iter()
        .map(|r| Member {
            profile_id: r.profile_id,
            user_id: r.user_id,
            first_name: r.first_name,
            last_name: r.last_name,
            organisation_id: r.organisation_id,
            organisation_name: r.organisation_name,
            manager_id: r.manager_id,
            group_no: None,
            casting: Some(crate::promotions::members::Casting {
                gender: r.gender,
                birth_year: r.birth_year,
                seniority_years: r.seniority_years,
                temperament: r.temperament,
                temperament_consent_at: r.temperament_consent_at,
            }),
        })
        .collect();
    let people = groups::people(&members, &[], date(today.year() - 1, Month::January, 15)?);
    let mut params = Params::new(3);
    params.seed = 2025;
    // A small budget: the demo seeds at every start.
    params.effort = Effort {
        restarts: 1,
        evaluations: 20_000,
        patience: 20,
    };
    if let Ok(solution) = casting::solve(&people, &params) {
        db::save_casting(
            tx.ex(),
            past,
            &db::NewCasting {
                group_count: 3,
                min_size: None,
                max_size: None,
                seed: 2025,
            },
            None,
        )
        .await?;
        db::resize_groups(tx.ex(), past, 3).await?;
        for (m, g) in members.iter().zip(&solution.assignment.groups) {
            db::set_group(tx.ex(), past, m.profile_id, Some(*g as i64 + 1)).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
