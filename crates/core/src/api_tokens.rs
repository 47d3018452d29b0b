//! Personal API tokens: created from /compte, shown once, hashed at rest,
//! revocable, with exactly their owner's permissions (the token resolves to
//! the owner's `Actor`).

use maillage_db::api_tokens as db;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, FieldErrors, accounts,
    policy::{self, Action},
    security,
};

pub const PREFIX: &str = "mlg_";

#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub id: Uuid,
    pub name: String,
    pub prefix: String,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

/// Creates a token; returns the secret, to be shown once.
pub async fn create(ctx: &Ctx, actor: &Actor, name: &str) -> CoreResult<String> {
    policy::require(actor, &Action::UseAccount)?;
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(FieldErrors::single(
            "name",
            "Donnez un nom au jeton, par exemple « Tableau de bord RH ».",
        ));
    }
    if name.chars().count() > 100 {
        return Err(FieldErrors::single(
            "name",
            "Le nom est trop long (100 caractères au plus).",
        ));
    }
    let secret = format!("{PREFIX}{}", security::random_token());
    let mut tx = ctx.db.begin().await?;
    db::insert(tx.ex(), me.id, name, &security::token_hash(&secret), &secret[..12]).await?;
    maillage_db::audit::record(tx.ex(), Some(me.id), "api-token.create", &me.email, name).await?;
    tx.commit().await?;
    Ok(secret)
}

pub async fn list(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<TokenInfo>> {
    policy::require(actor, &Action::UseAccount)?;
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let mut conn = ctx.db.conn().await?;
    Ok(db::of_user(conn.ex(), me.id)
        .await?
        .into_iter()
        .map(|t| TokenInfo {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        })
        .collect())
}

/// Revokes one of the actor's own tokens (another's answers 404).
pub async fn revoke(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<()> {
    policy::require(actor, &Action::UseAccount)?;
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let mut tx = ctx.db.begin().await?;
    if db::revoke(tx.ex(), me.id, id).await? == 0 {
        return Err(CoreError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// The actor behind `Authorization: Bearer mlg_…`; `None` if the token is unknown or revoked.
pub async fn authenticate(ctx: &Ctx, secret: &str) -> CoreResult<Option<Actor>> {
    if !secret.starts_with(PREFIX) {
        return Ok(None);
    }
    let mut conn = ctx.db.conn().await?;
    let Some((id, user_id, last_used)) = db::live(conn.ex(), &security::token_hash(secret)).await? else {
        return Ok(None);
    };
    let actor = accounts::load_actor(conn.ex(), user_id).await?;
    drop(conn);
    // « Last used » to the minute is enough, and spares a write per call.
    let now = maillage_db::now();
    if last_used.is_none_or(|t| now - t > time::Duration::minutes(1)) {
        let mut tx = ctx.db.begin().await?;
        db::mark_used(tx.ex(), id, now).await?;
        tx.commit_bookkeeping().await?;
    }
    Ok(match actor {
        Actor::Anonymous => None,
        a => Some(a),
    })
}
