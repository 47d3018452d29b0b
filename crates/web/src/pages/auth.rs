//! Login, logout, forgotten password, reset link, invitation.

use askama::Template;
use axum::{
    Extension, Form,
    extract::{Query, State},
    http::header,
    response::Response,
};
use maillage_core::{FieldErrors, accounts};
use serde::Deserialize;

use crate::{
    AppState,
    auth::{ClientIp, DEVICE_COOKIE, SESSION_COOKIE, SessionToken, clear_cookie, cookie, set_cookie},
    error::WebError,
    forms::{field_errors, invalid, page, safe_return, see_other},
    layout::{Caller, Layout},
};

const DEVICE_MAX_AGE: i64 = 365 * 24 * 3600;

#[derive(Template)]
#[template(path = "auth/login.html")]
struct Login {
    layout: Layout,
    email: String,
    retour: String,
    errors: FieldErrors,
    throttled: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    retour: Option<String>,
}

pub async fn login_form(layout: Layout, Query(q): Query<LoginQuery>) -> Result<Response, WebError> {
    page(Login {
        layout,
        email: String::new(),
        retour: safe_return(q.retour.as_deref()),
        errors: FieldErrors::new(),
        throttled: None,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginInput {
    email: String,
    password: String,
    retour: String,
}

/// Sets the session and device cookies of a successful login or invitation.
fn logged_in(state: &AppState, mut res: Response, ok: &accounts::LoginOk) -> Response {
    let secure = state.ctx.settings.secure_cookies();
    let h = res.headers_mut();
    // Session cookie without Max-Age: it ends with the browser; the server
    // side expires it after `SESSION_IDLE` of inactivity anyway.
    h.append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, &ok.session_token, None, secure),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(DEVICE_COOKIE, &ok.device_cookie, Some(DEVICE_MAX_AGE), secure),
    );
    res
}

pub async fn login(
    State(state): State<AppState>,
    layout: Layout,
    Extension(ip): Extension<ClientIp>,
    headers: axum::http::HeaderMap,
    Form(input): Form<LoginInput>,
) -> Result<Response, WebError> {
    let retour = safe_return(Some(&input.retour));
    let outcome = accounts::login(
        &state.ctx,
        accounts::LoginInput {
            email: &input.email,
            password: &input.password,
            ip: &ip.0,
            device_cookie: cookie(&headers, DEVICE_COOKIE),
            previous_session: cookie(&headers, SESSION_COOKIE),
        },
    )
    .await;
    match outcome {
        Ok(ok) => {
            let sep = if retour.contains('?') { '&' } else { '?' };
            let target = if retour == "/" {
                "/?info=connecte".to_owned()
            } else {
                format!("{retour}{sep}info=connecte")
            };
            Ok(logged_in(&state, see_other(&target), &ok))
        }
        Err(maillage_core::CoreError::TooManyRequests(message)) => {
            let mut res = invalid(Login {
                layout,
                email: input.email,
                retour,
                errors: FieldErrors::new(),
                throttled: Some(message),
            })?;
            *res.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
            Ok(res)
        }
        Err(e) => invalid(Login {
            layout,
            email: input.email,
            retour,
            errors: field_errors(e)?,
            throttled: None,
        }),
    }
}

#[derive(Template)]
#[template(path = "auth/logout.html")]
struct Logout {
    layout: Layout,
}

pub async fn logout_form(layout: Layout) -> Result<Response, WebError> {
    page(Logout { layout })
}

pub async fn logout(
    State(state): State<AppState>,
    session: Option<Extension<SessionToken>>,
) -> Result<Response, WebError> {
    if let Some(Extension(SessionToken(token))) = session {
        accounts::logout(&state.ctx, &token).await?;
    }
    let mut res = see_other("/connexion?info=deconnecte");
    res.headers_mut().append(
        header::SET_COOKIE,
        clear_cookie(SESSION_COOKIE, state.ctx.settings.secure_cookies()),
    );
    Ok(res)
}

#[derive(Template)]
#[template(path = "auth/forgot.html")]
struct Forgot {
    layout: Layout,
    email: String,
    errors: FieldErrors,
    sent: bool,
}

pub async fn forgot_form(layout: Layout) -> Result<Response, WebError> {
    page(Forgot {
        layout,
        email: String::new(),
        errors: FieldErrors::new(),
        sent: false,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ForgotInput {
    email: String,
}

pub async fn forgot(
    State(state): State<AppState>,
    layout: Layout,
    Form(input): Form<ForgotInput>,
) -> Result<Response, WebError> {
    match accounts::request_password_reset(&state.ctx, &input.email).await {
        // Same page whether the address has an account or not.
        Ok(()) => page(Forgot {
            layout,
            email: input.email,
            errors: FieldErrors::new(),
            sent: true,
        }),
        Err(e) => invalid(Forgot {
            layout,
            email: input.email,
            errors: field_errors(e)?,
            sent: false,
        }),
    }
}

#[derive(Template)]
#[template(path = "auth/reset.html")]
struct Reset {
    layout: Layout,
    jeton: String,
    usable: bool,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenQuery {
    jeton: String,
}

pub async fn reset_form(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<TokenQuery>,
) -> Result<Response, WebError> {
    let usable = accounts::reset_token_is_usable(&state.ctx, &q.jeton).await?;
    page(Reset {
        layout,
        jeton: q.jeton,
        usable,
        errors: FieldErrors::new(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetInput {
    jeton: String,
    password: String,
    confirmation: String,
}

pub async fn reset(
    State(state): State<AppState>,
    layout: Layout,
    Form(input): Form<ResetInput>,
) -> Result<Response, WebError> {
    match accounts::reset_password(&state.ctx, &input.jeton, &input.password, &input.confirmation).await {
        Ok(()) => {
            let mut res = see_other("/connexion?info=mot-de-passe-reinitialise");
            res.headers_mut().append(
                header::SET_COOKIE,
                clear_cookie(SESSION_COOKIE, state.ctx.settings.secure_cookies()),
            );
            Ok(res)
        }
        Err(maillage_core::CoreError::Conflict(_)) => invalid(Reset {
            layout,
            jeton: input.jeton,
            usable: false,
            errors: FieldErrors::new(),
        }),
        Err(e) => invalid(Reset {
            layout,
            jeton: input.jeton,
            usable: true,
            errors: field_errors(e)?,
        }),
    }
}

#[derive(Template)]
#[template(path = "auth/invitation.html")]
struct Invitation {
    layout: Layout,
    jeton: String,
    invitation: Option<accounts::InvitationView>,
    problem: Option<String>,
    display_name: String,
    errors: FieldErrors,
    /// Who is logged in, for invitations to an existing account.
    caller: Option<uuid::Uuid>,
    /// The login link that comes back to this invitation.
    login_link: String,
}

fn login_link(jeton: &str) -> String {
    let back = format!("/invitation?jeton={jeton}");
    format!("/connexion?retour={}", crate::middleware::url_encode(&back))
}

pub async fn invitation_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Query(q): Query<TokenQuery>,
) -> Result<Response, WebError> {
    let (invitation, problem) = match accounts::invitation(&state.ctx, &q.jeton).await {
        Ok(v) => (Some(v), None),
        Err(maillage_core::CoreError::Conflict(m)) => (None, Some(m)),
        Err(e) => return Err(e.into()),
    };
    page(Invitation {
        layout,
        login_link: login_link(&q.jeton),
        jeton: q.jeton,
        invitation,
        problem,
        display_name: String::new(),
        errors: FieldErrors::new(),
        caller: caller.user_id(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InvitationInput {
    jeton: String,
    display_name: String,
    password: String,
    confirmation: String,
}

pub async fn accept_invitation(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Form(input): Form<InvitationInput>,
) -> Result<Response, WebError> {
    let render = |invitation, problem, errors| Invitation {
        layout,
        login_link: login_link(&input.jeton),
        jeton: input.jeton.clone(),
        invitation,
        problem,
        display_name: input.display_name.clone(),
        errors,
        caller: caller.user_id(),
    };
    // An invitation to an existing account is accepted by that account.
    let for_account = accounts::invitation(&state.ctx, &input.jeton)
        .await
        .ok()
        .and_then(|v| v.for_account);
    if for_account.is_some() {
        return match accounts::accept_invitation_as(&state.ctx, &caller, &input.jeton).await {
            Ok(()) => Ok(see_other("/compte?info=invitation-acceptee")),
            Err(maillage_core::CoreError::Conflict(m)) => invalid(render(None, Some(m), FieldErrors::new())),
            Err(e) => Err(e.into()),
        };
    }
    match accounts::accept_invitation(
        &state.ctx,
        &input.jeton,
        &input.display_name,
        &input.password,
        &input.confirmation,
    )
    .await
    {
        Ok(ok) => Ok(logged_in(&state, see_other("/compte?info=bienvenue"), &ok)),
        Err(maillage_core::CoreError::Conflict(m)) => invalid(render(None, Some(m), FieldErrors::new())),
        Err(e) => {
            let errors = field_errors(e)?;
            let invitation = accounts::invitation(&state.ctx, &input.jeton).await.ok();
            invalid(render(invitation, None, errors))
        }
    }
}
