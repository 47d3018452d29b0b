//! Schema migrations, one folder per backend (`migrations/sqlite`,
//! `migrations/postgres`) with the same version numbers. Each migration runs
//! in its own transaction and is recorded in `schema_migrations`. Only
//! backward-compatible changes: an older binary must still run on a newer
//! schema during an upgrade.

use sqlx::AssertSqlSafe;

use crate::{Backend, Db, DbError, DbResult, Tx, query};

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

macro_rules! migration {
    ($version:expr, $file:literal) => {
        Migration {
            version: $version,
            name: $file,
            sqlite: include_str!(concat!("../../../migrations/sqlite/", $file, ".sql")),
            postgres: include_str!(concat!("../../../migrations/postgres/", $file, ".sql")),
        }
    };
}

const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_foundation"),
    migration!(2, "0002_directory"),
    migration!(3, "0003_catalogue"),
    migration!(4, "0004_sessions"),
    migration!(5, "0005_school_life"),
    migration!(6, "0006_projects"),
    migration!(7, "0007_profile_terms"),
];

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (\
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

/// Applies the migrations not yet applied; returns how many ran.
pub async fn run(db: &Db) -> DbResult<usize> {
    let mut tx = db.begin().await?;
    tx.ex().execute(query(CREATE_TABLE)).await?;
    tx.commit().await?;

    let mut applied = 0;
    for m in MIGRATIONS {
        let mut tx = db.begin().await?;
        let done = tx
            .ex()
            .fetch_scalar(query("SELECT COUNT(*) FROM schema_migrations WHERE version = $1").bind(m.version))
            .await?;
        if done > 0 {
            continue;
        }
        let sql = match db.backend() {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        raw(&mut tx, sql).await.map_err(|source| DbError::Migration {
            version: m.version,
            name: m.name,
            source,
        })?;
        tx.ex()
            .execute(
                query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                    .bind(m.version)
                    .bind(m.name)
                    .bind(crate::now().to_string()),
            )
            .await?;
        tx.commit().await?;
        tracing::info!(version = m.version, name = m.name, "migration appliquée");
        applied += 1;
    }
    Ok(applied)
}

/// Several statements at once (a migration file).
async fn raw(tx: &mut Tx, sql: &'static str) -> Result<(), sqlx::Error> {
    match tx {
        Tx::Sqlite(t) => {
            sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut **t).await?;
        }
        Tx::Postgres(t) => {
            sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut **t).await?;
        }
    }
    Ok(())
}

/// The schema as (table, column) pairs, sorted: used by the test that both
/// backends expose the same tables and columns. Full-text index tables
/// (`*_fts`, and FTS5's shadow tables `*_fts_*`) differ by nature and are left out.
pub async fn schema_columns(db: &Db) -> DbResult<Vec<(String, String)>> {
    let mut conn = db.conn().await?;
    let q = match db.backend() {
        Backend::Sqlite => query(
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             AND m.name NOT LIKE '%\\_fts' ESCAPE '\\' AND m.name NOT LIKE '%\\_fts\\_%' ESCAPE '\\' \
             ORDER BY 1, 2",
        ),
        Backend::Postgres => query(
            "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name NOT LIKE '%\\_fts' ESCAPE '\\' \
             ORDER BY 1, 2",
        ),
    };
    conn.ex().fetch_all(q).await
}
