//! The session form (scheduling and editing): what was typed, checked into
//! a [`Valid`] session or French field errors. Dates in a closed period of
//! the school are an error; a trainer or a place already booked on
//! overlapping dates is a warning the school confirms (« Programmer malgré
//! tout »), reported on the `confirm` field.

use maillage_db::{
    Ex, closed_periods,
    training_sessions::{self as db, NewSession},
};
use time::Date;
use uuid::Uuid;

use super::{Approval, Session, date_fr, today};
use crate::{
    Actor, CoreResult, Ctx, FieldErrors,
    organisations::{self, Membership},
    trainers,
};

/// A session, as typed.
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub school: String,
    pub starts_on: String,
    pub ends_on: String,
    pub place: String,
    pub online_url: String,
    pub capacity: String,
    pub enrol_until: String,
    pub cancel_until: String,
    /// Its title within its cycle.
    pub title: String,
    /// A cycle of the school (id), or empty.
    pub cycle: String,
    /// …or the title of a new cycle.
    pub new_cycle: String,
    pub optional: bool,
    /// Co-organising organisations (ids).
    pub organisers: Vec<String>,
    /// 'aucune' (or empty), 'ecole', 'responsable'.
    pub approval: String,
    /// Trainers (ids).
    pub trainers: Vec<String>,
    /// Ask before a double booking (the session form does): a trainer or
    /// the place already booked on overlapping dates comes back as a
    /// warning. Other callers (demo data, imports) schedule as told.
    pub warn_double_bookings: bool,
    /// « Programmer malgré tout »: the double bookings were seen.
    pub confirm: bool,
}

/// The cycle chosen: none, one of the school's, or a new one by title.
#[derive(Debug, Clone)]
pub enum CycleChoice {
    None,
    Existing(Uuid),
    New(String),
}

/// A session that passed every check.
#[derive(Debug, Clone)]
pub struct Valid {
    pub starts_on: Date,
    pub ends_on: Date,
    pub place: String,
    pub online_url: Option<String>,
    pub capacity: i64,
    pub enrol_until: Option<Date>,
    pub cancel_until: Option<Date>,
    pub title: String,
    pub cycle: CycleChoice,
    pub optional: bool,
    pub organisers: Vec<Uuid>,
    pub approval: Approval,
    pub trainers: Vec<Uuid>,
}

impl Valid {
    pub(crate) fn new_session(
        &self,
        module_id: Uuid,
        school_id: Uuid,
        cycle_id: Option<Uuid>,
        by: Option<Uuid>,
    ) -> NewSession<'_> {
        NewSession {
            module_id,
            school_id,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            place: &self.place,
            online_url: self.online_url.as_deref(),
            capacity: self.capacity,
            enrol_until: self.enrol_until,
            cancel_until: self.cancel_until,
            created_by: by,
            cycle_id,
            optional: self.optional,
            title: &self.title,
            approval: self.approval.key(),
        }
    }
}

/// The cycle's id, creating it when a new title was typed (in the session's
/// transaction).
pub(crate) async fn cycle_id(ex: Ex<'_>, school_id: Uuid, c: &CycleChoice) -> CoreResult<Option<Uuid>> {
    Ok(match c {
        CycleChoice::None => None,
        CycleChoice::Existing(id) => Some(*id),
        CycleChoice::New(title) => Some(maillage_db::cycles::insert(ex, school_id, title, "").await?),
    })
}

pub(crate) use crate::dates::date_field as date;

/// The organisations that may co-organise: the network's members and
/// partners.
pub async fn co_organisers(ctx: &Ctx) -> CoreResult<Vec<organisations::Organisation>> {
    let mut all = Vec::new();
    for m in [Membership::Membre, Membership::Partenaire] {
        let page = organisations::list(
            ctx,
            &organisations::Filter {
                membership: Some(m),
                per_page: 200,
                ..Default::default()
            },
        )
        .await?;
        all.extend(page.items);
    }
    all.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(all)
}

/// The other session of a double booking, as the viewer may know it:
/// another school's private session is « une autre session », its title
/// must not leak through the warning.
async fn clash_label(mut ex: Ex<'_>, viewer: &maillage_db::modules::Viewer, c: &db::Clash) -> CoreResult<String> {
    let module = db::by_id(ex.reborrow(), c.session_id).await?.map(|r| r.module_id);
    let visible = match module {
        Some(m) => maillage_db::modules::by_id(ex, viewer, m).await?.is_some(),
        None => false,
    };
    Ok(if visible {
        format!("la session « {} » du {}", c.module_title, date_fr(c.starts_on))
    } else {
        format!("une autre session, le {}", date_fr(c.starts_on))
    })
}

/// Checks a session form for `school_id`; `current`: the session edited.
pub async fn validate(
    ctx: &Ctx,
    actor: &Actor,
    school_id: Uuid,
    input: &Input,
    current: Option<&Session>,
) -> CoreResult<Valid> {
    let mut errors = FieldErrors::new();
    let starts_on = date(&mut errors, "starts_on", &input.starts_on, true);
    let ends_on = date(&mut errors, "ends_on", &input.ends_on, true);
    let enrol_until = date(&mut errors, "enrol_until", &input.enrol_until, false);
    let cancel_until = date(&mut errors, "cancel_until", &input.cancel_until, false);
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.add("ends_on", "La date de fin précède la date de début.");
    }
    if let Some(s) = starts_on {
        // An edited session keeps its start even once it has begun.
        if s < today() && current.is_none_or(|c| c.starts_on != s) {
            errors.add("starts_on", "La session ne peut pas commencer dans le passé.");
        }
        for (field, d, what) in [
            ("enrol_until", enrol_until, "La clôture des inscriptions"),
            ("cancel_until", cancel_until, "La limite d'annulation"),
        ] {
            if d.is_some_and(|d| d > s) {
                errors.add(field, format!("{what} doit précéder le début de la session."));
            }
        }
    }
    let capacity = match input.capacity.trim().parse::<i64>() {
        Ok(n) if (1..=10_000).contains(&n) => n,
        Ok(_) => {
            errors.add("capacity", "Le nombre de places doit être compris entre 1 et 10 000.");
            0
        }
        Err(_) => {
            errors.add("capacity", "Saisissez le nombre de places en chiffres, par exemple 12.");
            0
        }
    };
    let place = input.place.trim();
    let online_url = input.online_url.trim();
    if place.is_empty() && online_url.is_empty() {
        errors.add(
            "place",
            "Indiquez le lieu (adresse, salle) ou le lien de la visioconférence.",
        );
    }
    if place.chars().count() > 300 {
        errors.add("place", "Le lieu est trop long (300 caractères au plus).");
    }
    if !online_url.is_empty()
        && (!(online_url.starts_with("https://") || online_url.starts_with("http://"))
            || online_url.len() > 500
            || online_url.chars().any(char::is_whitespace))
    {
        errors.add(
            "online_url",
            "Saisissez l'adresse complète du lien, commençant par https://.",
        );
    }
    let title = input.title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.chars().count() > 200 {
        errors.add("title", "Le titre est trop long (200 caractères au plus).");
    }
    let new_cycle = input.new_cycle.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut conn = ctx.db.conn().await?;
    let cycle = match (input.cycle.trim(), new_cycle.as_str()) {
        ("", "") => CycleChoice::None,
        ("", t) if t.chars().count() > 200 => {
            errors.add("new_cycle", "Le titre du cycle est trop long (200 caractères au plus).");
            CycleChoice::None
        }
        ("", t) => CycleChoice::New(t.to_owned()),
        (id, "") => match Uuid::parse_str(id) {
            Ok(id)
                if maillage_db::cycles::by_id(conn.ex(), id)
                    .await?
                    .is_some_and(|c| c.school_id == school_id) =>
            {
                CycleChoice::Existing(id)
            }
            _ => {
                errors.add("cycle", "Ce cycle n'existe plus : choisissez-en un autre.");
                CycleChoice::None
            }
        },
        _ => {
            errors.add(
                "cycle",
                "Choisissez un cycle existant ou saisissez le titre d'un nouveau cycle, pas les deux.",
            );
            CycleChoice::None
        }
    };
    let approval = if input.approval.trim().is_empty() {
        Some(Approval::None)
    } else {
        Approval::parse(&input.approval)
    };
    if approval.is_none() {
        errors.add("approval", "Choisissez qui valide les inscriptions.");
    }
    let known_orgs: Vec<Uuid> = co_organisers(ctx).await?.into_iter().map(|o| o.id).collect();
    let mut organisers = Vec::new();
    for o in &input.organisers {
        match Uuid::parse_str(o.trim()).ok().filter(|o| known_orgs.contains(o)) {
            Some(o) if !organisers.contains(&o) => organisers.push(o),
            Some(_) => {}
            None => errors.add(
                "organisers",
                "Une organisation choisie ne fait plus partie du réseau : rechargez la page.",
            ),
        }
    }
    let bookable: Vec<(Uuid, String)> = trainers::bookable(ctx, actor, school_id)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let mut chosen = Vec::new();
    for t in &input.trainers {
        match Uuid::parse_str(t.trim())
            .ok()
            .filter(|t| bookable.iter().any(|(id, _)| id == t))
        {
            Some(t) if !chosen.contains(&t) => chosen.push(t),
            Some(_) => {}
            None => errors.add(
                "trainers",
                "Un intervenant choisi n'est plus disponible : rechargez la page.",
            ),
        }
    }
    errors.into_result()?;
    let (starts_on, ends_on) = (starts_on.expect("checked"), ends_on.expect("checked"));

    // A closed period of the school: an error naming it.
    let closed = closed_periods::overlapping(conn.ex(), school_id, starts_on, ends_on).await?;
    if let Some(p) = closed.first() {
        return Err(FieldErrors::single(
            "starts_on",
            format!(
                "Ces dates tombent dans la période de fermeture « {} » de l'école (du {} au {}) : choisissez d'autres dates.",
                p.label,
                date_fr(p.starts_on),
                date_fr(p.ends_on)
            ),
        ));
    }
    // Double bookings: a warning, unless confirmed.
    if input.warn_double_bookings && !input.confirm {
        let except = current.map(|c| c.id);
        let viewer = crate::policy::catalogue_viewer(actor).unwrap_or_default();
        let mut warnings = Vec::new();
        for c in db::trainer_clashes(conn.ex(), &chosen, starts_on, ends_on, except).await? {
            let other = clash_label(conn.ex(), &viewer, &c).await?;
            warnings.push(format!("{} intervient déjà dans {other}.", c.what));
        }
        if !place.is_empty() {
            for c in db::place_clashes(conn.ex(), place, starts_on, ends_on, except).await? {
                let other = clash_label(conn.ex(), &viewer, &c).await?;
                warnings.push(format!("Le lieu « {} » est déjà pris par {other}.", c.what));
            }
        }
        if !warnings.is_empty() {
            warnings.push("Cochez « Programmer malgré tout » pour confirmer.".to_owned());
            return Err(FieldErrors::single("confirm", warnings.join(" ")));
        }
    }
    Ok(Valid {
        starts_on,
        ends_on,
        place: place.to_owned(),
        online_url: Some(online_url.to_owned()).filter(|u| !u.is_empty()),
        capacity,
        enrol_until,
        cancel_until,
        title,
        cycle,
        optional: input.optional,
        organisers,
        approval: approval.unwrap_or_default(),
        trainers: chosen,
    })
}
