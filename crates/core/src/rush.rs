//! The enrolment rush benchmark (`maillage bench-data inscriptions`): N
//! people enrol at the same moment in a session of S seats, through the same
//! operation as the pages (`enrolment::enrol`). Checks the outcome — exactly
//! S enrolled, the rest waiting in one gap-free order, no duplicate — and
//! measures the time. A benchmark, not a test: run it on a quiet machine.

use std::time::{Duration, Instant};

use maillage_db::{roles, users};
use maillage_domain::siren::Siren;
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, UserCtx, catalogue,
    enrolment::{self, Standing},
    organisations,
};

#[derive(Debug)]
pub struct RushReport {
    pub requests: usize,
    pub seats: i64,
    pub enrolled: usize,
    pub waiting: usize,
    pub errors: usize,
    /// The waitlist ranks form 1..=waiting exactly (no gap, no duplicate).
    pub waitlist_in_order: bool,
    /// Rows in the database for the session (one per person).
    pub rows: i64,
    pub elapsed: Duration,
}

/// Creates a school, a shared module, a session of `seats` seats and
/// `requests` members, then has them all enrol at once.
pub async fn run(ctx: &Ctx, requests: usize, seats: i64) -> CoreResult<RushReport> {
    // Alès Agglomération, from the official list.
    let siren = Siren::parse("200066918").map_err(|e| CoreError::Internal(anyhow::anyhow!("{e}")))?;
    let tag = Uuid::now_v7().simple().to_string();
    let mut tx = ctx.db.begin().await?;
    let org = organisations::ensure_from_reference(tx.ex(), &siren).await?;
    let admin_id = users::insert(tx.ex(), &format!("ecole-{tag}@bench.exemple.fr"), "École Banc", None).await?;
    roles::grant(tx.ex(), admin_id, Some(org), "org-admin", None).await?;
    let mut people = Vec::with_capacity(requests);
    for i in 0..requests {
        let email = format!("p{i}-{tag}@bench.exemple.fr");
        let id = users::insert(tx.ex(), &email, &format!("Personne {i}"), None).await?;
        roles::grant(tx.ex(), id, Some(org), "member", None).await?;
        people.push(Actor::User(UserCtx {
            id,
            email,
            display_name: format!("Personne {i}"),
            roles: vec![(maillage_domain::role::Role::Member, Some(org))],
        }));
    }
    tx.commit().await?;
    let admin = Actor::User(UserCtx {
        id: admin_id,
        email: String::new(),
        display_name: "École Banc".into(),
        roles: vec![(maillage_domain::role::Role::OrgAdmin, Some(org))],
    });
    let school = crate::schools::create(ctx, &admin, org, &format!("École banc {tag}"), "").await?;
    let module = catalogue::create(
        ctx,
        &admin,
        school,
        &catalogue::Input {
            title: "Session très demandée".into(),
            format: "seminaire".into(),
            stage: "tous".into(),
            duration_value: "1".into(),
            duration_unit: "jours".into(),
            ..Default::default()
        },
    )
    .await?;
    let start = maillage_db::now().date() + time::Duration::days(30);
    let session = enrolment::create(
        ctx,
        &admin,
        module,
        &enrolment::Input {
            school: school.to_string(),
            starts_on: start.to_string(),
            ends_on: start.to_string(),
            place: "Salle des fêtes".into(),
            capacity: seats.to_string(),
            ..Default::default()
        },
    )
    .await?;

    let began = Instant::now();
    let tasks: Vec<_> = people
        .into_iter()
        .map(|actor| {
            let ctx = ctx.clone();
            tokio::spawn(async move { enrolment::enrol(&ctx, &actor, session).await })
        })
        .collect();
    let (mut enrolled, mut errors, mut ranks) = (0, 0, Vec::new());
    for t in tasks {
        match t.await {
            Ok(Ok(Standing::Enrolled)) => enrolled += 1,
            Ok(Ok(Standing::Waiting(r))) => ranks.push(r),
            _ => errors += 1,
        }
    }
    let elapsed = began.elapsed();
    ranks.sort_unstable();
    let waiting = ranks.len();
    let waitlist_in_order = ranks.iter().enumerate().all(|(i, r)| *r == i as i64 + 1);
    let mut conn = ctx.db.conn().await?;
    let rows = conn
        .ex()
        .fetch_scalar(
            maillage_db::query::Query::dynamic("SELECT COUNT(*) FROM enrolments WHERE session_id = $1".into())
                .bind(session),
        )
        .await?;
    Ok(RushReport {
        requests,
        seats,
        enrolled,
        waiting,
        errors,
        waitlist_in_order,
        rows,
        elapsed,
    })
}
