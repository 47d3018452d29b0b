//! Demo of a project's life (after the bank's demo): the projects presented
//! to their jury and implemented, in full or in part, get a timeline from
//! their start to today, impact indicators with their measures, feedback
//! from the service's users, a sponsor's comment and a small PDF report; one
//! project shared with the network asks the network for help.
//!
//! The projects are found by status, not by title, so this demo follows
//! whatever the bank's demo holds. Written straight to storage: no mail.

use maillage_db::{Ex, project_life as db, projects::ProjectRow, users};
use time::{Date, Duration};
use uuid::Uuid;

use crate::{CoreResult, Ctx, projects::life::attachments::tiny_pdf};

/// What the timeline tells, in order (the first at the start, the others
/// spread up to today).
const TIMELINE: [&str; 5] = [
    "Lancement : l'équipe a rencontré le commanditaire et passé deux demi-journées au guichet pour observer \
     le parcours des usagers.",
    "Restitution devant le jury : la proposition est retenue pour une expérimentation de six mois dans un service pilote.",
    "Premier bilan de l'expérimentation : les agents d'accueil ont été formés ; les délais commencent à baisser.",
    "Extension à deux autres services, avec les ajustements demandés par les agents (horaires, affichage).",
    "Un an après : l'organisation est entrée dans les habitudes. L'équipe d'anciens reste en contact avec le service \
     pour suivre les indicateurs.",
];

const FEEDBACK: [(&str, &str, &str); 4] = [
    (
        "usager",
        "Une usagère venue pour une inscription à la cantine",
        "Avant, on me renvoyait d'un bureau à l'autre ; aujourd'hui tout s'est fait au même endroit, en dix minutes.",
    ),
    (
        "usager",
        "Un habitant du quartier Rochebelle",
        "Le rendez-vous en ligne évite d'attendre, mais il faudrait aussi pouvoir appeler pour le prendre.",
    ),
    (
        "agent",
        "Une agente d'accueil",
        "La formation croisée m'a rassurée : je sais maintenant répondre sur l'état civil comme sur le stationnement.",
    ),
    (
        "elu",
        "L'adjointe chargée de la relation aux usagers",
        "Un projet concret, que les habitants ont remarqué : nous voulons l'étendre aux mairies annexes.",
    ),
];

fn spread(from: Date, to: Date, n: usize, i: usize) -> Date {
    if n <= 1 || to <= from {
        return from;
    }
    let span = (to - from).whole_days();
    from + Duration::days(span * i as i64 / (n as i64 - 1))
}

pub async fn seed(ctx: &Ctx) -> CoreResult<()> {
    let mut tx = ctx.db.begin().await?;
    let implemented = db::at_statuses(tx.ex(), &["mis_en_oeuvre", "partiellement_mis_en_oeuvre"]).await?;
    let school_admin = users::by_email(tx.ex(), "ecole@demo.example").await?.map(|u| u.id);
    let today = crate::dates::paris_today();
    for (i, p) in implemented.iter().take(3).enumerate() {
        follow(tx.ex(), p, i, school_admin, today).await?;
    }
    // One project shared with the network asks for help: the home feed of
    // every logged-in member shows it. An implemented one, or any.
    let shared = match implemented.iter().find(|p| p.visibility == "reseau") {
        Some(p) => Some(p.clone()),
        None => db::at_statuses(tx.ex(), &["en_cours", "restitue"])
            .await?
            .into_iter()
            .find(|p| p.visibility == "reseau"),
    };
    if let Some(p) = shared {
        let asker = db::team_user_ids(tx.ex(), p.id)
            .await?
            .first()
            .copied()
            .or(school_admin);
        db::insert_help_request(
            tx.ex(),
            p.id,
            "Nous voulons mesurer la satisfaction des usagers sans les lasser de questionnaires : \
             quelle méthode légère avez-vous essayée (borne, carte T, appel de suivi) ?",
            asker,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The life of one implemented project: its timeline, indicators,
/// feedback, the sponsor's word and its report.
async fn follow(
    mut ex: Ex<'_>,
    p: &ProjectRow,
    rank: usize,
    school_admin: Option<Uuid>,
    today: Date,
) -> CoreResult<()> {
    let team = db::team_user_ids(ex.reborrow(), p.id).await?;
    let author = |k: usize| team.get(k % team.len().max(1)).copied().or(school_admin);
    let start = p.started_on.unwrap_or_else(|| p.created_at.date()).min(today);
    let jury = p.jury_on.unwrap_or(start).clamp(start, today);

    // Timeline: the start, the jury, then up to today.
    let n = TIMELINE.len();
    for (k, body) in TIMELINE.iter().enumerate() {
        let on = match k {
            0 => start,
            1 => jury,
            _ => spread(jury, today, n - 1, k - 1),
        };
        db::insert_update(ex.reborrow(), p.id, author(k), on, body).await?;
    }

    // Indicators: the delay to answer (down from 12 to near 5 days), and
    // for the first project the share of satisfied users.
    let delay = db::insert_indicator(
        ex.reborrow(),
        p.id,
        &db::IndicatorFields {
            name: "Délai moyen de réponse aux usagers".into(),
            unit: "jours".into(),
            baseline: Some(12.0),
            target: Some(5.0),
        },
    )
    .await?;
    let delays = [12.0, 10.5, 8.0, 6.5, 5.5 + rank as f64 * 0.5];
    for (k, v) in delays.iter().enumerate() {
        let on = spread(start, today, delays.len(), k);
        db::insert_measure(ex.reborrow(), delay, on, *v, "", author(k)).await?;
    }
    if rank == 0 {
        let satisfied = db::insert_indicator(
            ex.reborrow(),
            p.id,
            &db::IndicatorFields {
                name: "Usagers satisfaits de l'accueil".into(),
                unit: "%".into(),
                baseline: Some(62.0),
                target: Some(85.0),
            },
        )
        .await?;
        let shares = [62.0, 71.0, 79.5, 86.0];
        for (k, v) in shares.iter().enumerate() {
            let on = spread(jury, today, shares.len(), k);
            db::insert_measure(
                ex.reborrow(),
                satisfied,
                on,
                *v,
                "Enquête flash au guichet, 100 réponses",
                author(k),
            )
            .await?;
        }
    }

    // Feedback, the users' first.
    for (k, (source, label, body)) in FEEDBACK.iter().enumerate() {
        let on = spread(jury, today, FEEDBACK.len(), k);
        db::insert_feedback(ex.reborrow(), p.id, source, label, body, on, author(k)).await?;
    }

    // The sponsor's word (or the school's, when the sponsor has no account).
    let (commenter, comment) = match p.sponsor_user_id {
        Some(u) => (
            Some(u),
            "Merci à l'équipe : le dispositif tient ses promesses, nous le présentons en comité de direction \
             pour l'étendre.",
        ),
        None => (
            school_admin,
            "L'école a présenté ce projet à la rencontre annuelle du réseau : deux collectivités veulent s'en inspirer.",
        ),
    };
    db::insert_comment(ex.reborrow(), p.id, commenter, comment).await?;

    // The final report.
    if rank == 0 {
        let pdf = tiny_pdf("Rapport final - Maillage (demonstration)");
        db::insert_attachment(
            ex.reborrow(),
            p.id,
            &db::NewAttachment {
                title: "Rapport final présenté au jury",
                file_name: "rapport-final.pdf",
                media_type: "application/pdf",
                content: &pdf,
            },
            author(0),
        )
        .await?;
    }
    Ok(())
}
