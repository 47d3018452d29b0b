//! The network's list of themes (expertise and interest), managed by the
//! coordinator. Renaming or removing a theme re-indexes the profiles that
//! hold it, in the same transaction.

use maillage_db::profiles as db;
use uuid::Uuid;

use super::{index::reindex, profile::ThemeRef};
use crate::{Actor, CoreError, CoreResult, Ctx, FieldErrors, policy, policy::Action};

/// The list a new installation starts with (seed 001's subjects).
pub const STARTER: &[&str] = &[
    "Transition écologique",
    "Égalité femmes-hommes",
    "Numérique",
    "Ressources humaines",
    "Finances",
    "Conduite du changement",
    "Design de service",
    "Management",
    "Participation citoyenne",
    "Commande publique",
];

pub async fn list(ctx: &Ctx) -> CoreResult<Vec<ThemeRef>> {
    let mut conn = ctx.db.conn().await?;
    Ok(db::themes(conn.ex())
        .await?
        .into_iter()
        .map(|t| ThemeRef { id: t.id, name: t.name })
        .collect())
}

fn check_name(name: &str) -> CoreResult<String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(FieldErrors::single("name", "Saisissez le nom de la thématique."));
    }
    if name.chars().count() > 80 {
        return Err(FieldErrors::single(
            "name",
            "Le nom est trop long (80 caractères au plus).",
        ));
    }
    Ok(name)
}

const TAKEN: &str = "Cette thématique existe déjà (à la casse et aux accents près).";

pub async fn add(ctx: &Ctx, actor: &Actor, name: &str) -> CoreResult<Uuid> {
    policy::require(actor, &Action::ManageThemes)?;
    let name = check_name(name)?;
    let mut tx = ctx.db.begin().await?;
    let id = match db::insert_theme(tx.ex(), &name).await {
        Ok(id) => id,
        Err(e) if e.is_unique_on("name_folded") || e.is_unique_on("themes") => {
            return Err(FieldErrors::single("name", TAKEN));
        }
        Err(e) => return Err(e.into()),
    };
    maillage_db::audit::record(tx.ex(), actor.user_id(), "theme.add", &name, "").await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn rename(ctx: &Ctx, actor: &Actor, id: Uuid, name: &str) -> CoreResult<()> {
    policy::require(actor, &Action::ManageThemes)?;
    let name = check_name(name)?;
    let mut tx = ctx.db.begin().await?;
    match db::rename_theme(tx.ex(), id, &name).await {
        Ok(0) => return Err(CoreError::NotFound),
        Ok(_) => {}
        Err(e) if e.is_unique_on("name_folded") || e.is_unique_on("themes") => {
            return Err(FieldErrors::single("name", TAKEN));
        }
        Err(e) => return Err(e.into()),
    }
    for profile in db::with_theme(tx.ex(), id).await? {
        reindex(tx.ex(), profile).await?;
    }
    maillage_db::audit::record(tx.ex(), actor.user_id(), "theme.rename", &name, "").await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove(ctx: &Ctx, actor: &Actor, id: Uuid) -> CoreResult<()> {
    policy::require(actor, &Action::ManageThemes)?;
    let mut tx = ctx.db.begin().await?;
    let holders = db::with_theme(tx.ex(), id).await?;
    if db::delete_theme(tx.ex(), id).await? == 0 {
        return Err(CoreError::NotFound);
    }
    for profile in holders {
        reindex(tx.ex(), profile).await?;
    }
    maillage_db::audit::record(tx.ex(), actor.user_id(), "theme.remove", &id.to_string(), "").await?;
    tx.commit().await?;
    Ok(())
}
