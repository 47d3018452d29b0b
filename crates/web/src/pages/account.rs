//! `/compte`: one's account — identity, roles, password, API tokens.

use askama::Template;
use axum::{
    Extension, Form,
    extract::{Path, State},
    response::Response,
};
use maillage_core::{
    CoreError, FieldErrors, accounts, api_tokens,
    policy::{self, Action},
};
use maillage_domain::role::Role;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    AppState,
    auth::SessionToken,
    error::WebError,
    forms::{field_errors, invalid, page, see_other},
    layout::{Caller, Layout},
};

#[derive(Template)]
#[template(path = "account.html")]
struct Account {
    layout: Layout,
    email: String,
    roles: Vec<(Role, String)>,
    tokens: Vec<api_tokens::TokenInfo>,
    new_token: Option<String>,
    token_name: String,
    password_errors: FieldErrors,
    token_errors: FieldErrors,
}

async fn render(
    state: &AppState,
    layout: Layout,
    caller: &maillage_core::Actor,
    new_token: Option<String>,
    token_name: String,
    password_errors: FieldErrors,
    token_errors: FieldErrors,
) -> Result<Account, WebError> {
    policy::require(caller, &Action::UseAccount)?;
    let me = caller.user().ok_or(CoreError::Unauthenticated)?;
    let roles = accounts::my_roles(&state.ctx, caller)
        .await?
        .into_iter()
        .map(|(role, org)| (role, org.map(|o| o.name).unwrap_or_else(|| "tout le réseau".to_owned())))
        .collect();
    let tokens = api_tokens::list(&state.ctx, caller).await?;
    Ok(Account {
        layout,
        email: me.email.clone(),
        roles,
        tokens,
        new_token,
        token_name,
        password_errors,
        token_errors,
    })
}

pub async fn show(State(state): State<AppState>, layout: Layout, Caller(caller): Caller) -> Result<Response, WebError> {
    page(
        render(
            &state,
            layout,
            &caller,
            None,
            String::new(),
            FieldErrors::new(),
            FieldErrors::new(),
        )
        .await?,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordInput {
    current: String,
    password: String,
    confirmation: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    session: Option<Extension<SessionToken>>,
    Form(input): Form<PasswordInput>,
) -> Result<Response, WebError> {
    let current_session = session.map(|Extension(SessionToken(t))| t).unwrap_or_default();
    match accounts::change_password(
        &state.ctx,
        &caller,
        &current_session,
        &input.current,
        &input.password,
        &input.confirmation,
    )
    .await
    {
        Ok(()) => Ok(see_other("/compte?info=mot-de-passe-modifie")),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render(&state, layout, &caller, None, String::new(), errors, FieldErrors::new()).await?)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenInput {
    name: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Form(input): Form<TokenInput>,
) -> Result<Response, WebError> {
    match api_tokens::create(&state.ctx, &caller, &input.name).await {
        // Shown once, in this response; never again.
        Ok(secret) => page(
            render(
                &state,
                layout,
                &caller,
                Some(secret),
                String::new(),
                FieldErrors::new(),
                FieldErrors::new(),
            )
            .await?,
        ),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render(&state, layout, &caller, None, input.name, FieldErrors::new(), errors).await?)
        }
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<Uuid>,
) -> Result<Response, WebError> {
    api_tokens::revoke(&state.ctx, &caller, id).await?;
    Ok(see_other("/compte?info=jeton-revoque"))
}
