//! Keys generated at first start and kept in the database, so every instance
//! of a PostgreSQL deployment shares them and none lives in a config file.

use crate::{DbResult, Ex, query};

/// The secret named `name`, created with `generate` if it does not exist yet.
/// Two instances starting at once agree: the first insert wins.
pub async fn get_or_create(mut ex: Ex<'_>, name: &str, generate: impl FnOnce() -> String) -> DbResult<String> {
    let candidate = generate();
    ex.reborrow()
        .execute(
            query(
                "INSERT INTO app_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(candidate)
            .bind(crate::now()),
        )
        .await?;
    let (value,): (String,) = ex
        .fetch_one(query("SELECT value FROM app_secrets WHERE name = $1").bind(name))
        .await?;
    Ok(value)
}
