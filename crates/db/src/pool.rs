//! The two backends behind one type. `Db` is cheap to clone (pools are
//! reference-counted).
//!
//! SQLite: WAL, foreign keys, `busy_timeout`, and every write transaction
//! goes through a single-connection writer pool with `BEGIN IMMEDIATE`, so
//! concurrent writers queue instead of failing with « database is locked ».
//! Readers use their own pool and are never blocked by the writer (WAL).

use std::{
    path::Path,
    str::FromStr,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use sqlx::{
    PgConnection, Postgres, Sqlite, SqliteConnection, Transaction,
    pool::PoolConnection,
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

use crate::{DbError, DbResult};

/// Bumped after every committed write transaction of this process. Read
/// caches compare it to know whether what they hold may be stale. Shared by
/// every `Db` of the process: more invalidation than needed, never less.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// The current write generation (see [`GENERATION`]).
pub fn write_generation() -> u64 {
    GENERATION.load(Ordering::Acquire)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite {
        read: sqlx::SqlitePool,
        write: sqlx::SqlitePool,
    },
    Postgres(sqlx::PgPool),
}

/// A pooled connection, for reads outside a transaction.
pub enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// A transaction; dropped without `commit`, it rolls back.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Where a statement runs: borrowed from a [`Conn`] or a [`Tx`].
pub enum Ex<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl Db {
    /// Opens (creating it if needed) the SQLite file `dir/maillage.sqlite3`.
    pub async fn open_sqlite_dir(dir: &Path) -> DbResult<Db> {
        std::fs::create_dir_all(dir).map_err(|e| {
            DbError::Config(format!(
                "impossible de créer le dossier de données {} : {e}",
                dir.display()
            ))
        })?;
        Db::open_sqlite_file(&dir.join("maillage.sqlite3")).await
    }

    pub async fn open_sqlite_file(path: &Path) -> DbResult<Db> {
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Reads through a shared memory map (up to 1 GiB of the file:
            // address space, not memory) instead of copying pages into each
            // connection's own small cache: a third off directory searches
            // at 250,000 profiles, whose database is 560 MB; with a 256 MiB
            // map the pages past it were copied again, and concurrent
            // searches cost up to twice the CPU (docs/BENCHMARKS.md).
            .pragma("mmap_size", "1073741824");
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts.clone())
            .await?;
        // Read-only: a write outside `Db::begin` fails loudly instead of
        // racing the single writer.
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(opts.read_only(true))
            .await?;
        Ok(Db::Sqlite { read, write })
    }

    /// Connects to PostgreSQL (`postgres://…`).
    pub async fn open_postgres(url: &str, max_connections: u32) -> DbResult<Db> {
        let opts = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts)
            .await?;
        Ok(Db::Postgres(pool))
    }

    /// `DATABASE_URL` if given (postgres:// or sqlite://path), else the data dir.
    pub async fn open(database_url: Option<&str>, data_dir: &Path) -> DbResult<Db> {
        match database_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Db::open_postgres(url, 20).await
            }
            Some(url) if url.starts_with("sqlite:") => {
                let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
                Db::open_sqlite_file(Path::new(path)).await
            }
            Some(other) => Err(DbError::Config(format!(
                "DATABASE_URL non reconnue ({}…) : utilisez postgres://… ou sqlite://chemin",
                other.chars().take(12).collect::<String>()
            ))),
            None => Db::open_sqlite_dir(data_dir).await,
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn conn(&self) -> DbResult<Conn> {
        Ok(match self {
            Db::Sqlite { read, .. } => Conn::Sqlite(read.acquire().await?),
            Db::Postgres(p) => Conn::Postgres(p.acquire().await?),
        })
    }

    /// A write transaction (SQLite: the single writer, `BEGIN IMMEDIATE`).
    pub async fn begin(&self) -> DbResult<Tx> {
        Ok(match self {
            Db::Sqlite { write, .. } => Tx::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(p) => p.close().await,
        }
    }
}

impl Conn {
    pub fn ex(&mut self) -> Ex<'_> {
        match self {
            Conn::Sqlite(c) => Ex::Sqlite(c),
            Conn::Postgres(c) => Ex::Postgres(c),
        }
    }
}

impl Tx {
    pub fn ex(&mut self) -> Ex<'_> {
        match self {
            Tx::Sqlite(t) => Ex::Sqlite(t),
            Tx::Postgres(t) => Ex::Postgres(t),
        }
    }

    pub async fn commit(self) -> DbResult<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        GENERATION.fetch_add(1, Ordering::Release);
        Ok(())
    }

    /// Commits without invalidating read caches: only for bookkeeping that no
    /// cached read model depends on (sessions, login-failure counters, job
    /// claims, token last use, pruning). Anything shown to users: `commit`.
    pub async fn commit_bookkeeping(self) -> DbResult<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

impl Ex<'_> {
    pub fn backend(&self) -> Backend {
        match self {
            Ex::Sqlite(_) => Backend::Sqlite,
            Ex::Postgres(_) => Backend::Postgres,
        }
    }
}

impl<'c> Ex<'c> {
    /// A shorter-lived `Ex` on the same connection, for several statements in a row.
    pub fn reborrow(&mut self) -> Ex<'_> {
        match self {
            Ex::Sqlite(c) => Ex::Sqlite(c),
            Ex::Postgres(c) => Ex::Postgres(c),
        }
    }
}
