//! Accounts: login and sessions, password reset, invitations, account
//! creation from the command line, password change.

use maillage_db::{Ex, one_time_tokens, organisations, roles, sessions, users};
use maillage_domain::{email::Email, password, role::Role, siren::Siren};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors, UserCtx,
    mail::{self, Mail},
    policy::{self, Action},
    security,
    throttle::{self, Device},
};

/// Idle lifetime of a session; each visit extends it.
pub const SESSION_IDLE: Duration = Duration::hours(12);
/// A session is extended at most this often (spares a write per request).
const SESSION_TOUCH_EVERY: Duration = Duration::minutes(5);
pub const RESET_TTL: Duration = Duration::hours(1);
/// A new reset link is sent at most this often for one account.
pub const RESET_RESEND_AFTER: Duration = Duration::minutes(2);
pub const INVITATION_TTL: Duration = Duration::days(14);

const BAD_CREDENTIALS: &str = "Adresse électronique ou mot de passe incorrect.";

pub struct LoginInput<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub ip: &'a str,
    /// The raw device cookie sent by the browser, if any.
    pub device_cookie: Option<&'a str>,
    /// The session cookie sent with the login form, ended on success so the
    /// session token is always renewed at login.
    pub previous_session: Option<&'a str>,
}

pub struct LoginOk {
    pub user_id: Uuid,
    /// The new session token (cookie value).
    pub session_token: String,
    /// A fresh device cookie for this account.
    pub device_cookie: String,
}

pub async fn login(ctx: &Ctx, input: LoginInput<'_>) -> CoreResult<LoginOk> {
    let email = Email::parse(input.email).map_err(|e| FieldErrors::single("email", e.to_string()))?;
    if input.password.is_empty() {
        return Err(FieldErrors::single("password", "Saisissez votre mot de passe."));
    }
    let now = maillage_db::now();
    let mut conn = ctx.db.conn().await?;
    let user = users::by_email(conn.ex(), email.as_str()).await?;
    drop(conn);
    let device = input
        .device_cookie
        .and_then(|c| Device::verify(&ctx.keys.device, c))
        .filter(|d| user.as_ref().is_some_and(|u| u.id == d.user_id));

    let attempt = throttle::begin(&ctx.db, input.ip, email.as_str(), device, now).await?;

    // Verify against a dummy hash when there is no usable account, so the
    // answer takes the same time either way (no account enumeration).
    let hash = user
        .as_ref()
        .filter(|u| u.active)
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| ctx.keys.dummy_password_hash.clone());
    let verified = security::verify_password(input.password.to_owned(), hash)
        .await
        .map_err(crate::error::busy_or_internal)?;
    let user = match user {
        Some(u) if verified && u.active && u.password_hash.is_some() => u,
        // The recorded attempt stays: it is a failure now.
        _ => return Err(FieldErrors::single("email", BAD_CREDENTIALS)),
    };

    let mut tx = ctx.db.begin().await?;
    attempt.succeeded(tx.ex()).await?;
    if let Some(prev) = input.previous_session {
        sessions::delete(tx.ex(), &security::token_hash(prev)).await?;
    }
    let session_token = open_session(tx.ex(), user.id, now).await?;
    tx.commit_bookkeeping().await?;
    Ok(LoginOk {
        user_id: user.id,
        session_token,
        device_cookie: Device::issue(&ctx.keys.device, user.id),
    })
}

async fn open_session(ex: Ex<'_>, user_id: Uuid, now: OffsetDateTime) -> CoreResult<String> {
    let token = security::random_token();
    sessions::insert(ex, &security::token_hash(&token), user_id, now + SESSION_IDLE).await?;
    Ok(token)
}

/// The actor behind a session cookie (anonymous if unknown or expired).
pub async fn actor_from_session(ctx: &Ctx, token: &str) -> CoreResult<Actor> {
    let hash = security::token_hash(token);
    let now = maillage_db::now();
    let mut conn = ctx.db.conn().await?;
    let Some(session) = sessions::live(conn.ex(), &hash, now).await? else {
        return Ok(Actor::Anonymous);
    };
    let actor = load_actor(conn.ex(), session.user_id).await?;
    drop(conn);
    if now - session.last_seen_at > SESSION_TOUCH_EVERY {
        let mut tx = ctx.db.begin().await?;
        sessions::touch(tx.ex(), &hash, now, now + SESSION_IDLE).await?;
        tx.commit_bookkeeping().await?;
    }
    Ok(actor)
}

/// The actor for an account id, with its roles (anonymous if inactive or gone).
pub async fn load_actor(mut ex: Ex<'_>, user_id: Uuid) -> CoreResult<Actor> {
    let Some(user) = users::by_id(ex.reborrow(), user_id).await? else {
        return Ok(Actor::Anonymous);
    };
    if !user.active {
        return Ok(Actor::Anonymous);
    }
    let roles = roles::of_user(ex, user.id)
        .await?
        .into_iter()
        .filter_map(|r| Role::parse(&r.role).ok().map(|role| (role, r.organisation_id)))
        .collect();
    Ok(Actor::User(UserCtx {
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        roles,
    }))
}

/// The actor's roles with their organisations (`None`: network-wide), for
/// « Mon compte » and `/api/v1/moi`.
pub async fn my_roles(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<(Role, Option<crate::organisations::Organisation>)>> {
    policy::require(actor, &Action::UseAccount)?;
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let ids: Vec<Uuid> = me.roles.iter().filter_map(|(_, o)| *o).collect();
    let mut conn = ctx.db.conn().await?;
    let orgs = organisations::by_ids(conn.ex(), &ids).await?;
    Ok(me
        .roles
        .iter()
        .map(|(role, org)| {
            let org = org
                .and_then(|id| orgs.iter().find(|o| o.id == id))
                .cloned()
                .map(Into::into);
            (*role, org)
        })
        .collect())
}

pub async fn logout(ctx: &Ctx, session_token: &str) -> CoreResult<()> {
    let mut tx = ctx.db.begin().await?;
    sessions::delete(tx.ex(), &security::token_hash(session_token)).await?;
    tx.commit().await?;
    Ok(())
}

/// Sends a reset link if the address has an account. The caller shows the
/// same answer whatever happens here (no account enumeration).
pub async fn request_password_reset(ctx: &Ctx, email_input: &str) -> CoreResult<()> {
    let email = Email::parse(email_input).map_err(|e| FieldErrors::single("email", e.to_string()))?;
    let now = maillage_db::now();
    // Read first: an unknown address never takes the (SQLite) writer, and a
    // known one gets at most one mail per RESET_RESEND_AFTER (no mail flood).
    let user = {
        let mut conn = ctx.db.conn().await?;
        let Some(user) = users::by_email(conn.ex(), email.as_str()).await?.filter(|u| u.active) else {
            return Ok(());
        };
        if one_time_tokens::count_created_since(conn.ex(), user.id, "reset", now - RESET_RESEND_AFTER).await? > 0 {
            return Ok(());
        }
        user
    };
    let mut tx = ctx.db.begin().await?;
    one_time_tokens::void_for_user(tx.ex(), user.id, "reset", now).await?;
    let token = security::random_token();
    one_time_tokens::insert(
        tx.ex(),
        &one_time_tokens::NewToken {
            token_hash: &security::token_hash(&token),
            purpose: "reset",
            user_id: Some(user.id),
            email: &user.email,
            organisation_id: None,
            role: None,
            created_by: None,
            expires_at: now + RESET_TTL,
        },
    )
    .await?;
    let link = format!("{}/mot-de-passe/nouveau?jeton={token}", ctx.settings.public_url());
    let body = format!(
        "Bonjour {name},\n\n\
         Une réinitialisation du mot de passe de votre compte Maillage a été demandée.\n\
         Pour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure, une seule fois) :\n\n\
         {link}\n\n\
         Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.\n",
        name = user.display_name
    );
    mail::enqueue(
        tx.ex(),
        &Mail {
            to: user.email.clone(),
            subject: "Réinitialisation de votre mot de passe Maillage".into(),
            body,
        },
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a reset link is still usable (to show the form or an explanation).
pub async fn reset_token_is_usable(ctx: &Ctx, token: &str) -> CoreResult<bool> {
    let mut conn = ctx.db.conn().await?;
    Ok(
        one_time_tokens::usable(conn.ex(), &security::token_hash(token), "reset", maillage_db::now())
            .await?
            .is_some(),
    )
}

/// Marks a single-use link used; refused if it already was (a concurrent
/// request won between the check and this write).
async fn consume_link(ex: Ex<'_>, hash: &str, now: OffsetDateTime) -> CoreResult<()> {
    if one_time_tokens::consume(ex, hash, now).await? == 0 {
        return Err(CoreError::Conflict(EXPIRED_LINK.into()));
    }
    Ok(())
}

/// The role an invitation carries (member if it cannot be read).
fn invited_role(row: &one_time_tokens::OneTimeTokenRow) -> Role {
    row.role
        .as_deref()
        .and_then(|r| Role::parse(r).ok())
        .unwrap_or(Role::Member)
}

/// Grants `user_id` the role an invitation carries, where it applies, and
/// gives the account its directory profile in that organisation (claiming
/// the one imported with its address, if any).
async fn grant_invited_role(
    mut ex: Ex<'_>,
    user: (Uuid, &str, &str),
    row: &one_time_tokens::OneTimeTokenRow,
) -> CoreResult<Role> {
    let (user_id, email, display_name) = user;
    let role = invited_role(row);
    let scope = row.organisation_id.and_then(|o| role.scoped(o));
    roles::grant(ex.reborrow(), user_id, scope, role.as_str(), row.created_by).await?;
    if let Some(org) = row.organisation_id {
        crate::directory::edit::attach_account(ex, user_id, email, display_name, org).await?;
    }
    Ok(role)
}

/// Invites the person of a profile created by an import to claim it: a
/// member invitation (an existing account accepts it logged in), whose mail
/// tells what the directory shows and how to choose. Sent at most once a
/// day per address.
pub async fn enqueue_claim(
    mut ex: Ex<'_>,
    ctx: &Ctx,
    org: &organisations::OrganisationRow,
    email: &str,
    by: Option<(Uuid, &str)>,
) -> CoreResult<()> {
    let existing = users::by_email(ex.reborrow(), email).await?;
    let token = security::random_token();
    one_time_tokens::insert(
        ex.reborrow(),
        &one_time_tokens::NewToken {
            token_hash: &security::token_hash(&token),
            purpose: "invitation",
            user_id: existing.as_ref().map(|u| u.id),
            email,
            organisation_id: Some(org.id),
            role: Some(Role::Member.as_str()),
            created_by: by.map(|b| b.0),
            expires_at: maillage_db::now() + INVITATION_TTL,
        },
    )
    .await?;
    let site = ctx.settings.public_url();
    let body = format!(
        "Bonjour,\n\n{org} vous a inscrit·e dans l'annuaire de son réseau d'écoles de management sur Maillage, \
         pour que ses membres sachent qui solliciter dans les autres collectivités.\n\n\
         Votre fiche indique votre nom, votre organisation et, selon vos choix, votre fonction, votre service, \
         vos thématiques et vos coordonnées professionnelles. Vous choisissez pour chaque information qui peut \
         la voir (tout le réseau, votre organisation, ou seulement vous et les administrateurs) et vous pouvez \
         sortir de l'annuaire à tout moment.\n\n\
         Pour revendiquer votre fiche et faire vos choix, ouvrez ce lien (valable 14 jours) :\n\n\
         {site}/invitation?jeton={token}\n\n{by}",
        org = org.name,
        by = by
            .map(|(_, name)| format!("Import réalisé par {name}.\n"))
            .unwrap_or_default()
    );
    crate::mail::enqueue(
        ex,
        &crate::mail::Mail {
            to: email.to_owned(),
            subject: format!("Votre fiche dans l'annuaire du réseau ({})", org.name),
            body,
        },
        Some(&format!("claim:{email}:{}", maillage_db::now().date())),
    )
    .await
    .map_err(CoreError::Internal)?;
    Ok(())
}

pub const EXPIRED_LINK: &str = "Ce lien n'est plus valable : il a déjà servi ou a expiré. Demandez-en un nouveau.";

/// Sets a new password from a reset link and ends every session of the account.
pub async fn reset_password(ctx: &Ctx, token: &str, new_password: &str, confirmation: &str) -> CoreResult<()> {
    let hash = security::token_hash(token);
    let now = maillage_db::now();
    let row = {
        let mut conn = ctx.db.conn().await?;
        one_time_tokens::usable(conn.ex(), &hash, "reset", now).await?
    };
    let Some(row) = row else {
        return Err(CoreError::Conflict(EXPIRED_LINK.into()));
    };
    let user_id = row.user_id.ok_or(CoreError::NotFound)?;
    check_new_password(new_password, confirmation, &[&row.email])?;
    let password_hash = security::hash_password(new_password.to_owned())
        .await
        .map_err(crate::error::busy_or_internal)?;
    let mut tx = ctx.db.begin().await?;
    consume_link(tx.ex(), &hash, now).await?;
    users::set_password(tx.ex(), user_id, &password_hash).await?;
    // A reset ends everything opened with the old password: sessions and
    // API tokens (someone who had the password may have created one).
    sessions::delete_for_user(tx.ex(), user_id, None).await?;
    maillage_db::api_tokens::revoke_all(tx.ex(), user_id).await?;
    maillage_db::audit::record(tx.ex(), Some(user_id), "password.reset", &user_id.to_string(), "").await?;
    tx.commit().await?;
    Ok(())
}

fn check_new_password(new_password: &str, confirmation: &str, personal: &[&str]) -> CoreResult<()> {
    let mut errors = FieldErrors::new();
    if let Err(e) = password::check(new_password, personal) {
        errors.add("password", e.to_string());
    } else if new_password != confirmation {
        errors.add("confirmation", "Les deux mots de passe saisis ne sont pas identiques.");
    }
    errors.into_result()
}

/// Changes one's own password; other sessions end, the current one stays.
pub async fn change_password(
    ctx: &Ctx,
    actor: &Actor,
    current_session: &str,
    current: &str,
    new_password: &str,
    confirmation: &str,
) -> CoreResult<()> {
    policy::require(actor, &Action::UseAccount)?;
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let user = {
        let mut conn = ctx.db.conn().await?;
        users::by_id(conn.ex(), me.id).await?.ok_or(CoreError::NotFound)?
    };
    let ok = match &user.password_hash {
        Some(h) => security::verify_password(current.to_owned(), h.clone())
            .await
            .map_err(crate::error::busy_or_internal)?,
        None => false,
    };
    if !ok {
        return Err(FieldErrors::single(
            "current",
            "Le mot de passe actuel saisi est incorrect.",
        ));
    }
    let local = user.email.split('@').next().unwrap_or_default().to_owned();
    check_new_password(new_password, confirmation, &[&local, &user.display_name])?;
    let password_hash = security::hash_password(new_password.to_owned())
        .await
        .map_err(crate::error::busy_or_internal)?;
    let mut tx = ctx.db.begin().await?;
    users::set_password(tx.ex(), user.id, &password_hash).await?;
    sessions::delete_for_user(tx.ex(), user.id, Some(&security::token_hash(current_session))).await?;
    tx.commit().await?;
    Ok(())
}

/// Parses the email and role fields of a form or command, collecting errors.
fn parse_email_and_role(email: &str, role: &str, errors: &mut FieldErrors) -> (Option<Email>, Option<Role>) {
    let email = Email::parse(email).map_err(|e| errors.add("email", e.to_string())).ok();
    let role = Role::parse(role).map_err(|e| errors.add("role", e.to_string())).ok();
    (email, role)
}

/// Invites someone into an organisation with a role. If the address already
/// has an account, the role is granted at once and they are told by email.
pub async fn invite(
    ctx: &Ctx,
    actor: &Actor,
    organisation_id: Uuid,
    email_input: &str,
    role_input: &str,
) -> CoreResult<()> {
    let mut errors = FieldErrors::new();
    let (email, role) = parse_email_and_role(email_input, role_input, &mut errors);
    // Permission before validation: someone who may not invite here learns
    // nothing from the form's errors (404 for another organisation).
    policy::require(
        actor,
        &Action::AssignRole {
            organisation: organisation_id,
            role: role.unwrap_or(Role::Member),
        },
    )?;
    errors.into_result()?;
    let (email, role) = (email.expect("checked"), role.expect("checked"));
    let inviter = actor.user().ok_or(CoreError::Unauthenticated)?;

    let mut tx = ctx.db.begin().await?;
    let org = organisations::by_id(tx.ex(), organisation_id)
        .await?
        .ok_or(CoreError::NotFound)?;
    let site = ctx.settings.public_url();
    // Always an invitation the person accepts: someone with an account too
    // must consent before appearing in another organisation's people.
    let existing = users::by_email(tx.ex(), email.as_str()).await?;
    let token = security::random_token();
    one_time_tokens::insert(
        tx.ex(),
        &one_time_tokens::NewToken {
            token_hash: &security::token_hash(&token),
            purpose: "invitation",
            user_id: existing.as_ref().map(|u| u.id),
            email: email.as_str(),
            organisation_id: Some(organisation_id),
            role: Some(role.as_str()),
            created_by: Some(inviter.id),
            expires_at: maillage_db::now() + INVITATION_TTL,
        },
    )
    .await?;
    let what_to_do = match &existing {
        Some(_) => "Pour accepter, connectez-vous à votre compte et ouvrez ce lien (valable 14 jours)",
        None => "Pour créer votre compte, ouvrez ce lien (valable 14 jours)",
    };
    let body = format!(
        "Bonjour,\n\n{by} vous invite à rejoindre {org} sur Maillage, la plateforme du réseau, \
         avec le rôle « {role} ».\n\n{what_to_do} :\n\n\
         {site}/invitation?jeton={token}\n\nSi vous ne connaissez pas cette personne, ignorez ce message.\n",
        by = inviter.display_name,
        org = org.name,
        role = role.label()
    );
    mail::enqueue(
        tx.ex(),
        &Mail {
            to: email.to_string(),
            subject: format!("Invitation à rejoindre {} sur Maillage", org.name),
            body,
        },
        None,
    )
    .await?;
    maillage_db::audit::record(
        tx.ex(),
        Some(inviter.id),
        "role.invite",
        email.as_str(),
        &format!("{} @ {}", role.as_str(), org.siren),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub struct InvitationView {
    pub email: String,
    pub organisation_name: String,
    pub role: Role,
    /// The address already has an account: it accepts while logged in,
    /// instead of creating one.
    pub for_account: Option<Uuid>,
}

pub async fn invitation(ctx: &Ctx, token: &str) -> CoreResult<InvitationView> {
    let mut conn = ctx.db.conn().await?;
    let row = one_time_tokens::usable(conn.ex(), &security::token_hash(token), "invitation", maillage_db::now())
        .await?
        .ok_or_else(|| CoreError::Conflict("Cette invitation n'est plus valable : elle a déjà servi ou a expiré. Demandez à la personne qui vous a invité·e de la renouveler.".into()))?;
    let org = match row.organisation_id {
        Some(id) => organisations::by_id(conn.ex(), id).await?,
        None => None,
    };
    Ok(InvitationView {
        role: invited_role(&row),
        for_account: row.user_id,
        email: row.email,
        organisation_name: org.map(|o| o.name).unwrap_or_default(),
    })
}

const EXISTING_ACCOUNT: &str =
    "Un compte existe déjà pour cette adresse : connectez-vous avec lui pour accepter l'invitation.";

/// An invitation to an address that already has an account, accepted by
/// that account (logged in): the role is granted.
pub async fn accept_invitation_as(ctx: &Ctx, actor: &Actor, token: &str) -> CoreResult<()> {
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let hash = security::token_hash(token);
    let now = maillage_db::now();
    let mut tx = ctx.db.begin().await?;
    let row = one_time_tokens::usable(tx.ex(), &hash, "invitation", now)
        .await?
        .ok_or_else(|| CoreError::Conflict(EXPIRED_LINK.into()))?;
    if row.user_id != Some(me.id) {
        return Err(CoreError::Conflict(format!(
            "Cette invitation est adressée à {} : connectez-vous avec ce compte pour l'accepter.",
            row.email
        )));
    }
    consume_link(tx.ex(), &hash, now).await?;
    let role = grant_invited_role(tx.ex(), (me.id, &me.email, &me.display_name), &row).await?;
    maillage_db::audit::record(tx.ex(), Some(me.id), "role.accept", &me.email, role.as_str()).await?;
    tx.commit().await?;
    Ok(())
}

/// Creates the invited account, grants the role and opens a session.
pub async fn accept_invitation(
    ctx: &Ctx,
    token: &str,
    display_name: &str,
    new_password: &str,
    confirmation: &str,
) -> CoreResult<LoginOk> {
    let view = invitation(ctx, token).await?;
    if view.for_account.is_some() {
        return Err(CoreError::Conflict(EXISTING_ACCOUNT.into()));
    }
    let mut errors = FieldErrors::new();
    let name = display_name.trim();
    if name.is_empty() {
        errors.add("display_name", "Saisissez votre prénom et votre nom.");
    } else if name.chars().count() > 120 {
        errors.add("display_name", "Le nom est trop long (120 caractères au plus).");
    }
    if let Err(CoreError::Invalid(e)) = check_new_password(new_password, confirmation, &[&view.email, name]) {
        errors.0.extend(e.0);
    }
    errors.into_result()?;
    let password_hash = security::hash_password(new_password.to_owned())
        .await
        .map_err(crate::error::busy_or_internal)?;
    let hash = security::token_hash(token);
    let now = maillage_db::now();
    let mut tx = ctx.db.begin().await?;
    let row = one_time_tokens::usable(tx.ex(), &hash, "invitation", now)
        .await?
        .ok_or_else(|| CoreError::Conflict(EXPIRED_LINK.into()))?;
    consume_link(tx.ex(), &hash, now).await?;
    let user_id = match users::insert(tx.ex(), &row.email, name, Some(&password_hash)).await {
        Ok(id) => id,
        Err(e) if e.is_unique_on("email") => {
            return Err(CoreError::Conflict(
                "Un compte existe déjà pour cette adresse : connectez-vous avec lui, puis demandez à la personne qui vous a invité·e de vous donner le rôle depuis la fiche de l'organisation.".into(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    grant_invited_role(tx.ex(), (user_id, &row.email, name), &row).await?;
    let session_token = open_session(tx.ex(), user_id, now).await?;
    tx.commit().await?;
    Ok(LoginOk {
        user_id,
        session_token,
        device_cookie: Device::issue(&ctx.keys.device, user_id),
    })
}

/// `maillage admin create-user`: the way to create the first administrator.
/// `organisation`: a SIREN; an organisation not yet in the network but in the
/// official reference is added as a member.
pub async fn create_user(
    ctx: &Ctx,
    email_input: &str,
    display_name: &str,
    role_input: &str,
    organisation: Option<&str>,
    new_password: &str,
) -> CoreResult<Uuid> {
    let mut errors = FieldErrors::new();
    let (email, role) = parse_email_and_role(email_input, role_input, &mut errors);
    if display_name.trim().is_empty() {
        errors.add("name", "Donnez le prénom et le nom de la personne (--name).");
    }
    let siren = organisation
        .map(Siren::parse)
        .transpose()
        .map_err(|e| errors.add("organisation", e.to_string()))
        .ok()
        .flatten();
    if role.is_some_and(|r| r != Role::Coordinator) && organisation.is_none() {
        errors.add(
            "organisation",
            "Ce rôle s'exerce dans une organisation : précisez --organisation SIREN.",
        );
    }
    if let Err(e) = password::check(new_password, &[email_input, display_name]) {
        errors.add("password", e.to_string());
    }
    errors.into_result()?;
    let (email, role) = (email.expect("checked"), role.expect("checked"));
    let password_hash = security::hash_password(new_password.to_owned())
        .await
        .map_err(crate::error::busy_or_internal)?;

    let mut tx = ctx.db.begin().await?;
    let org_id = match &siren {
        Some(s) => Some(crate::organisations::ensure_from_reference(tx.ex(), s).await?),
        None => None,
    };
    let user_id = match users::insert(tx.ex(), email.as_str(), display_name.trim(), Some(&password_hash)).await {
        Ok(id) => id,
        Err(e) if e.is_unique_on("email") => {
            return Err(FieldErrors::single(
                "email",
                "Un compte existe déjà pour cette adresse électronique.",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let scope = org_id.and_then(|o| role.scoped(o));
    roles::grant(tx.ex(), user_id, scope, role.as_str(), None).await?;
    // A coordinator may also be given an organisation: they belong to it as a member.
    if role == Role::Coordinator
        && let Some(org) = org_id
    {
        roles::grant(tx.ex(), user_id, Some(org), Role::Member.as_str(), None).await?;
    }
    if let Some(org) = org_id {
        crate::directory::edit::attach_account(tx.ex(), user_id, email.as_str(), display_name.trim(), org).await?;
    }
    maillage_db::audit::record(tx.ex(), None, "user.create-cli", email.as_str(), role.as_str()).await?;
    tx.commit().await?;
    Ok(user_id)
}
