//! Sessions of a module: scheduling one (`/formations/{id}/sessions/nouvelle`)
//! and editing or cancelling it (`/sessions/{id}/modifier`,
//! `/sessions/{id}/annuler-session`), its page with enrolment and
//! cancellation (`/sessions/{id}`), and for the organising school the
//! roster, enrolling or cancelling someone, and the guests of a day.

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use maillage_core::{
    Actor, CoreError, FieldErrors,
    catalogue::{self, Module},
    cycles::{self, Cycle},
    enrolment::{
        self, Approval, Details, Input, Participant, Session, Standing,
        by_school::{self, Guest, GuestInput, Person},
        form::co_organisers,
    },
    organisations::Organisation,
    schools,
    trainers::{self, Trainer},
};
use uuid::Uuid;

use crate::{
    AppState,
    error::WebError,
    forms::{all, field_errors, first, id_or_404, invalid, page, see_other},
    layout::{Caller, Layout},
};

/// What the school sees and does on a session's page.
struct Manage {
    roster: Vec<Participant>,
    /// People of the school's organisations it may enrol.
    people: Vec<Person>,
}

#[derive(Template)]
#[template(path = "sessions/show.html")]
struct ShowPage {
    layout: Layout,
    s: Session,
    d: Details,
    standing: Option<Standing>,
    open: bool,
    can_cancel: bool,
    /// The roster, for the organising school (the includes read it).
    roster: Option<Vec<Participant>>,
    manage: Option<Manage>,
    /// Guests, for the school and the session's trainers.
    guests: Option<Vec<Guest>>,
    /// Errors of the school's forms (enrolling someone, a guest).
    errors: FieldErrors,
    person: String,
    guest: GuestInput,
}

async fn render_show(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    id: Uuid,
    errors: FieldErrors,
    person: String,
    guest: GuestInput,
) -> Result<ShowPage, WebError> {
    let ctx = &state.ctx;
    let s = enrolment::get(ctx, caller, id).await?;
    let standing = enrolment::standing(ctx, caller, id).await?;
    let manage = if enrolment::can_manage(ctx, caller, &s).await? {
        Some(Manage {
            roster: enrolment::roster(ctx, caller, id).await?,
            people: by_school::candidates(ctx, caller, &s).await?,
        })
    } else {
        None
    };
    let guests = if by_school::sees_guests(ctx, caller, &s).await? {
        Some(by_school::guests(ctx, caller, id).await?)
    } else {
        None
    };
    let today = enrolment::today();
    Ok(ShowPage {
        layout,
        d: enrolment::details(ctx, caller, id).await?,
        open: s.open(today),
        can_cancel: match standing {
            Some(Standing::Enrolled) => today <= s.cancel_until,
            Some(Standing::Waiting(_) | Standing::Pending) => true,
            _ => false,
        },
        standing,
        roster: manage.as_ref().map(|m| m.roster.clone()),
        manage,
        guests,
        s,
        errors,
        person,
        guest,
    })
}

pub async fn show(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    page(
        render_show(
            &state,
            layout,
            &caller,
            id,
            FieldErrors::new(),
            String::new(),
            GuestInput::default(),
        )
        .await?,
    )
}

pub async fn enrol(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let info = match enrolment::enrol(&state.ctx, &caller, id).await? {
        Standing::Enrolled => "inscription-confirmee",
        Standing::Pending => "demande-envoyee",
        _ => "liste-attente",
    };
    Ok(see_other(&format!("/sessions/{id}?info={info}")))
}

pub async fn cancel(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    enrolment::cancel(&state.ctx, &caller, id).await?;
    Ok(see_other(&format!("/sessions/{id}?info=inscription-annulee")))
}

/// The school enrols someone (`person`: an account id from the list, or an
/// email).
pub async fn enrol_person(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    // The email typed wins over the list.
    let typed = first(&pairs, "email");
    let person = if typed.trim().is_empty() {
        first(&pairs, "person")
    } else {
        typed
    };
    match by_school::enrol_person(&state.ctx, &caller, id, &person).await {
        Ok(_) => Ok(see_other(&format!("/sessions/{id}?info=personne-inscrite"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_show(&state, layout, &caller, id, errors, person, GuestInput::default()).await?)
        }
    }
}

/// The school cancels someone's enrolment.
pub async fn cancel_person(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, user)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (id, user) = (id_or_404(&id)?, id_or_404(&user)?);
    by_school::cancel_person(&state.ctx, &caller, id, user).await?;
    Ok(see_other(&format!("/sessions/{id}?info=inscription-retiree")))
}

pub async fn add_guest(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let guest = GuestInput {
        day: first(&pairs, "day"),
        name: first(&pairs, "name"),
        quality: first(&pairs, "quality"),
    };
    match by_school::add_guest(&state.ctx, &caller, id, &guest).await {
        Ok(_) => Ok(see_other(&format!("/sessions/{id}?info=invite-ajoute#invites"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_show(&state, layout, &caller, id, errors, String::new(), guest).await?)
        }
    }
}

pub async fn remove_guest(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, guest)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (id, guest) = (id_or_404(&id)?, id_or_404(&guest)?);
    by_school::remove_guest(&state.ctx, &caller, id, guest).await?;
    Ok(see_other(&format!("/sessions/{id}?info=invite-retire#invites")))
}

/// The session form, as typed (checkbox lists repeat their name).
#[derive(Default, Clone)]
pub struct SessionForm {
    school: String,
    starts_on: String,
    ends_on: String,
    place: String,
    online_url: String,
    capacity: String,
    enrol_until: String,
    cancel_until: String,
    title: String,
    cycle: String,
    new_cycle: String,
    optional: bool,
    organisers: Vec<String>,
    approval: String,
    trainers: Vec<String>,
    confirm: bool,
}

impl SessionForm {
    fn from_pairs(pairs: &[(String, String)]) -> SessionForm {
        let get = |k: &str| first(pairs, k);
        SessionForm {
            school: get("school"),
            starts_on: get("starts_on"),
            ends_on: get("ends_on"),
            place: get("place"),
            online_url: get("online_url"),
            capacity: get("capacity"),
            enrol_until: get("enrol_until"),
            cancel_until: get("cancel_until"),
            title: get("title"),
            cycle: get("cycle"),
            new_cycle: get("new_cycle"),
            optional: get("optional") == "oui",
            organisers: all(pairs, "organisers"),
            approval: get("approval"),
            trainers: all(pairs, "trainers"),
            confirm: get("confirm") == "oui",
        }
    }

    fn of(s: &Session, d: &Details) -> SessionForm {
        let opt = |d: Option<time::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        SessionForm {
            school: s.school_id.to_string(),
            starts_on: s.starts_on.to_string(),
            ends_on: s.ends_on.to_string(),
            place: s.place.clone(),
            online_url: s.online_url.clone().unwrap_or_default(),
            capacity: s.capacity.to_string(),
            enrol_until: opt(Some(s.enrol_until)),
            cancel_until: opt(Some(s.cancel_until)),
            title: s.title.clone(),
            cycle: s.cycle_id.map(|c| c.to_string()).unwrap_or_default(),
            new_cycle: String::new(),
            optional: s.optional,
            organisers: d.organisers.iter().map(|o| o.id.to_string()).collect(),
            approval: s.approval.key().to_owned(),
            trainers: d.trainers.iter().map(|t| t.id.to_string()).collect(),
            confirm: false,
        }
    }

    fn input(&self) -> Input {
        Input {
            school: self.school.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            place: self.place.clone(),
            online_url: self.online_url.clone(),
            capacity: self.capacity.clone(),
            enrol_until: self.enrol_until.clone(),
            cancel_until: self.cancel_until.clone(),
            title: self.title.clone(),
            cycle: self.cycle.clone(),
            new_cycle: self.new_cycle.clone(),
            optional: self.optional,
            organisers: self.organisers.clone(),
            approval: self.approval.clone(),
            trainers: self.trainers.clone(),
            warn_double_bookings: true,
            confirm: self.confirm,
        }
    }

    fn has_organiser(&self, id: &Uuid) -> bool {
        self.organisers.iter().any(|o| *o == id.to_string())
    }

    fn has_trainer(&self, id: &Uuid) -> bool {
        self.trainers.iter().any(|t| *t == id.to_string())
    }
}

#[derive(Template)]
#[template(path = "sessions/form.html")]
struct FormPage {
    layout: Layout,
    m: Module,
    /// The session edited (else a new one).
    editing: Option<Session>,
    /// Schools that may organise it: the module's own and those that took it.
    organisers: Vec<(Uuid, String)>,
    cycles: Vec<Cycle>,
    orgs: Vec<Organisation>,
    trainers: Vec<Trainer>,
    approvals: [Approval; 3],
    f: SessionForm,
    errors: FieldErrors,
}

async fn render_form(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    module_id: Uuid,
    editing: Option<Session>,
    f: SessionForm,
    errors: FieldErrors,
) -> Result<FormPage, WebError> {
    let ctx = &state.ctx;
    let m = catalogue::get(ctx, caller, module_id).await?;
    let mine: Vec<Uuid> = schools::manageable(ctx, caller)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let organisers: Vec<(Uuid, String)> = match &editing {
        Some(s) => vec![(s.school_id, s.school_name.clone())],
        None => std::iter::once((m.school.id, m.school.name.clone()))
            .chain(m.adopted_by.iter().map(|a| (a.id, a.name.clone())))
            .filter(|(id, _)| mine.contains(id))
            .collect(),
    };
    if organisers.is_empty() || organisers.iter().all(|(id, _)| !mine.contains(id)) {
        return Err(CoreError::Forbidden.into());
    }
    // Cycles and trainers of the school chosen (the first one by default).
    let school = organisers
        .iter()
        .find(|(id, _)| f.school == id.to_string())
        .unwrap_or(&organisers[0])
        .0;
    Ok(FormPage {
        layout,
        cycles: cycles::of_school(ctx, caller, school).await?,
        orgs: co_organisers(ctx).await?,
        trainers: trainers::bookable(ctx, caller, school).await?,
        approvals: Approval::ALL,
        m,
        editing,
        organisers,
        f,
        errors,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let f = SessionForm {
        capacity: "12".into(),
        approval: Approval::None.key().into(),
        ..Default::default()
    };
    page(render_form(&state, layout, &caller, id_or_404(&id)?, None, f, FieldErrors::new()).await?)
}

pub async fn create(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let module_id = id_or_404(&id)?;
    let f = SessionForm::from_pairs(&pairs);
    match enrolment::create(&state.ctx, &caller, module_id, &f.input()).await {
        Ok(id) => Ok(see_other(&format!("/sessions/{id}?info=session-creee"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_form(&state, layout, &caller, module_id, None, f, errors).await?)
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let s = enrolment::get(&state.ctx, &caller, id).await?;
    catalogue::require_manage(&state.ctx, &caller, s.school_id).await?;
    let d = enrolment::details(&state.ctx, &caller, id).await?;
    let f = SessionForm::of(&s, &d);
    page(render_form(&state, layout, &caller, s.module_id, Some(s), f, FieldErrors::new()).await?)
}

pub async fn update(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let f = SessionForm::from_pairs(&pairs);
    match enrolment::update(&state.ctx, &caller, id, &f.input()).await {
        Ok(()) => Ok(see_other(&format!("/sessions/{id}?info=session-modifiee"))),
        Err(e) => {
            let errors = field_errors(e)?;
            let s = enrolment::get(&state.ctx, &caller, id).await?;
            invalid(render_form(&state, layout, &caller, s.module_id, Some(s), f, errors).await?)
        }
    }
}

pub async fn cancel_session(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    enrolment::cancel_session(&state.ctx, &caller, id).await?;
    Ok(see_other(&format!("/sessions/{id}?info=session-annulee")))
}
