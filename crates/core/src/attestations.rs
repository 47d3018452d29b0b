//! Attestations of attendance and completion (tagged PDF) and their public
//! verification.
//!
//! An attestation is issued once per person and session, as a snapshot
//! (`attestations`: holder, title, school, what is certified) under a random
//! code; the PDF is rendered from that snapshot each time it is downloaded,
//! and anyone holding the code can check it at `/attestations/{code}`, which
//! shows only what the paper shows.

use maillage_db::{attestations as db, training_sessions};
use time::Date;
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, attendance, catalogue,
    enrolment::{self, Session},
    pdf,
    policy::{self, Action},
};

/// No 0/O, 1/I/L: a code read aloud or typed from paper stays unambiguous.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 12;

use crate::dates::date_fr;

/// « le 2 mars 2027 » or « du 2 mars 2027 au 3 mars 2027 ».
fn dates(s: &Session) -> String {
    if s.starts_on == s.ends_on {
        format!("le {}", date_fr(s.starts_on))
    } else {
        format!("du {} au {}", date_fr(s.starts_on), date_fr(s.ends_on))
    }
}

fn new_code() -> CoreResult<String> {
    // 31 symbols: reject bytes ≥ 248 (8 × 31) so each symbol is equally likely.
    let mut code = String::with_capacity(CODE_LEN);
    while code.len() < CODE_LEN {
        let mut buf = [0u8; 32];
        getrandom::fill(&mut buf).map_err(|e| CoreError::Internal(anyhow::anyhow!("aléa : {e}")))?;
        for b in buf {
            if code.len() < CODE_LEN && (b as usize) < ALPHABET.len() * 8 {
                code.push(ALPHABET[b as usize % ALPHABET.len()] as char);
            }
        }
    }
    Ok(code)
}

/// A code as typed: upper case, spaces and dashes dropped.
pub fn normalise_code(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

#[derive(Debug, Clone)]
pub struct Attestation {
    pub code: String,
    pub holder_name: String,
    pub title: String,
    pub school_name: String,
    pub details: String,
    pub issued_on: Date,
    pub revoked: bool,
}

impl From<db::AttestationRow> for Attestation {
    fn from(r: db::AttestationRow) -> Attestation {
        Attestation {
            code: r.code,
            holder_name: r.holder_name,
            title: r.title,
            school_name: r.school_name,
            details: r.details,
            issued_on: r.issued_on,
            revoked: r.revoked_at.is_some(),
        }
    }
}

/// The attestation of `user_id` for a session: the one already issued, or a
/// new one if they were enrolled and attended at least one half-day.
async fn issue(ctx: &Ctx, actor: &Actor, session: &Session, user_id: Uuid) -> CoreResult<Attestation> {
    let mut tx = ctx.db.begin().await?;
    if let Some(a) = db::of_person(tx.ex(), session.id, user_id).await? {
        return Ok(a.into());
    }
    let enrolment = training_sessions::enrolment_of(tx.ex(), session.id, user_id)
        .await?
        .filter(|e| e.status == "inscrit")
        .ok_or_else(|| CoreError::Conflict("Cette personne n'est pas inscrite à cette session.".into()))?;
    let (present, hours, total) = attendance::attended(tx.ex(), session, user_id).await?;
    if present == 0 {
        return Err(CoreError::Conflict(
            "Aucune présence n'est enregistrée pour cette session : l'attestation sera disponible une fois l'émargement rempli.".into(),
        ));
    }
    let percent = maillage_db::attendance::completion_percent(tx.ex(), session.id).await?;
    let hours = format!("{hours:.1}").replace(".0", "").replace('.', ",");
    let details = format!(
        "Présence : {present} demi-journée{s} sur {total} ({hours} heure{hs}). {done}",
        s = if present > 1 { "s" } else { "" },
        hs = if hours == "0" || hours == "1" { "" } else { "s" },
        done = if attendance::completes(present, total, percent) {
            format!("Module validé (seuil d'assiduité de {percent} %).")
        } else {
            format!("Module non validé (seuil d'assiduité de {percent} %).")
        },
    );
    let today = enrolment::today();
    let mut attempt = 0;
    let code = loop {
        let code = new_code()?;
        let inserted = db::insert(
            tx.ex(),
            &db::NewAttestation {
                code: &code,
                user_id,
                holder_name: &enrolment.display_name,
                session_id: session.id,
                school_id: session.school_id,
                title: &session.module_title,
                school_name: &session.school_name,
                details: &format!("Formation suivie {}. {details}", dates(session)),
                issued_on: today,
                issued_by: actor.user_id(),
            },
        )
        .await;
        match inserted {
            Ok(_) => break code,
            // 31^12 codes: a collision is astronomically rare, but never fatal.
            Err(e) if e.is_unique_on("code") && attempt < 3 => attempt += 1,
            Err(e) => return Err(e.into()),
        }
    };
    maillage_db::audit::record(
        tx.ex(),
        actor.user_id(),
        "attestation.issue",
        &code,
        &session.id.to_string(),
    )
    .await?;
    let row = db::by_code(tx.ex(), &code).await?.ok_or(CoreError::NotFound)?;
    tx.commit().await?;
    Ok(row.into())
}

/// The PDF of an attestation.
pub fn pdf(ctx: &Ctx, a: &Attestation) -> CoreResult<Vec<u8>> {
    let url = format!("{}/attestations/{}", ctx.settings.public_url(), a.code);
    pdf::render(
        pdf::Kind::Attestation,
        pdf::Inputs::default()
            .text(
                "doc_title",
                format!("Attestation de présence — {} — {}", a.holder_name, a.title),
            )
            .text("school", &a.school_name)
            .text("holder", &a.holder_name)
            .text("title", &a.title)
            .text("details", &a.details)
            .text("issued_on", date_fr(a.issued_on))
            .text("code", &a.code)
            .text("verify_url", url),
    )
}

/// The person's own attestation for a session (issued at the first
/// download): only someone enrolled has one to ask for (403 otherwise); with
/// no presence recorded yet, there is nothing to certify (409).
pub async fn own(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<Attestation> {
    let me = actor.user().ok_or(CoreError::Unauthenticated)?.id;
    let session = enrolment::get(ctx, actor, session_id).await?;
    let enrolled = {
        let mut conn = ctx.db.conn().await?;
        training_sessions::enrolment_of(conn.ex(), session_id, me)
            .await?
            .is_some_and(|e| e.status == "inscrit")
    };
    policy::require(
        actor,
        &Action::ObtainAttestation {
            holder: enrolled,
            manages_school: false,
        },
    )?;
    // The coordinator passes every policy check, but has no attestation of
    // their own for a session they did not follow.
    if !enrolled {
        return Err(CoreError::Forbidden);
    }
    issue(ctx, actor, &session, me).await
}

/// Whether the person has an attestation to download for this session (a
/// link on the session page): enrolled and present at least once.
pub async fn available(ctx: &Ctx, actor: &Actor, session: &Session) -> CoreResult<bool> {
    let Some(me) = actor.user_id() else {
        return Ok(false);
    };
    let mut conn = ctx.db.conn().await?;
    let enrolled = training_sessions::enrolment_of(conn.ex(), session.id, me)
        .await?
        .is_some_and(|e| e.status == "inscrit");
    Ok(enrolled && attendance::attended(conn.ex(), session, me).await?.0 > 0)
}

/// A participant of a session as the school sees it for attestations.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub user_id: Uuid,
    pub name: String,
    pub present: i64,
    pub total: i64,
    pub completed: bool,
    pub code: Option<String>,
}

/// Everyone enrolled in a session, with what they attended and their
/// attestation if issued (the organising school).
pub async fn of_session(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<(Session, Vec<Candidate>)> {
    let register = attendance::register(ctx, actor, session_id).await?;
    let session = register.session;
    let manages_school = catalogue::can_manage(ctx, actor, session.school_id).await?;
    policy::require(
        actor,
        &Action::ObtainAttestation {
            holder: false,
            manages_school,
        },
    )?;
    let mut conn = ctx.db.conn().await?;
    let issued = db::of_session(conn.ex(), session_id).await?;
    let total = register.slots.len() as i64;
    let people = register
        .people
        .into_iter()
        .map(|p| Candidate {
            present: p
                .statuses
                .iter()
                .filter(|s| **s == Some(attendance::Status::Present))
                .count() as i64,
            total,
            completed: p.completed,
            code: issued
                .iter()
                .find(|a| a.user_id == Some(p.user_id) && a.revoked_at.is_none())
                .map(|a| a.code.clone()),
            user_id: p.user_id,
            name: p.name,
        })
        .collect();
    Ok((session, people))
}

/// A participant's attestation, for the organising school.
pub async fn for_person(ctx: &Ctx, actor: &Actor, session_id: Uuid, user_id: Uuid) -> CoreResult<Attestation> {
    let session = enrolment::get(ctx, actor, session_id).await?;
    let manages_school = catalogue::can_manage(ctx, actor, session.school_id).await?;
    policy::require(
        actor,
        &Action::ObtainAttestation {
            holder: actor.user_id() == Some(user_id),
            manages_school,
        },
    )?;
    issue(ctx, actor, &session, user_id).await
}

/// Public verification: what an attestation certifies, by its code (no
/// login). Unknown code: `NotFound`.
pub async fn verify(ctx: &Ctx, code: &str) -> CoreResult<Attestation> {
    let code = normalise_code(code);
    if code.len() != CODE_LEN || !code.bytes().all(|b| ALPHABET.contains(&b)) {
        return Err(CoreError::NotFound);
    }
    let mut conn = ctx.db.conn().await?;
    Ok(db::by_code(conn.ex(), &code).await?.ok_or(CoreError::NotFound)?.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_unambiguous_and_different() {
        let a = new_code().unwrap();
        let b = new_code().unwrap();
        assert_eq!(a.len(), CODE_LEN);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| ALPHABET.contains(&c)));
        assert!(!a.contains(['0', 'O', '1', 'I', 'L']));
        assert_eq!(normalise_code(" abcd-2345 efgh "), "ABCD2345EFGH");
    }
}
