//! Storage: both schemas alike, migrations idempotent, concurrent writers.

use maillage_db::{Backend, Db};

use crate::harness::{TempDir, fresh_db, postgres_url};

/// Both backends must expose the same tables and columns. Runs when a
/// PostgreSQL server is available (always in CI).
#[tokio::test]
async fn sqlite_and_postgres_schemas_have_the_same_tables_and_columns() {
    let Some(_) = postgres_url() else {
        eprintln!("pas de PostgreSQL (MAILLAGE_TEST_DATABASE_URL) : comparaison des schémas non faite ici");
        return;
    };
    let dir = TempDir::new();
    let pg = fresh_db(&dir.0).await;
    assert_eq!(pg.backend(), Backend::Postgres);
    let sqlite = Db::open_sqlite_dir(&dir.0).await.unwrap();
    maillage_db::migrate::run(&sqlite).await.unwrap();
    let mut a = maillage_db::migrate::schema_columns(&sqlite).await.unwrap();
    let mut b = maillage_db::migrate::schema_columns(&pg).await.unwrap();
    a.sort();
    b.sort();
    assert!(a.len() > 50, "schéma SQLite suspect : {a:?}");
    assert_eq!(a, b, "les schémas SQLite et PostgreSQL diffèrent");
}

#[tokio::test]
async fn migrations_are_idempotent() {
    let dir = TempDir::new();
    let db = fresh_db(&dir.0).await;
    assert_eq!(
        maillage_db::migrate::run(&db).await.unwrap(),
        0,
        "une migration a été rejouée"
    );
}

#[tokio::test]
async fn the_suite_uses_postgres_when_asked() {
    let dir = TempDir::new();
    let db = fresh_db(&dir.0).await;
    let expected = if postgres_url().is_some() {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    assert_eq!(db.backend(), expected);
}

/// Many concurrent write transactions never fail with « database is locked »
/// (SQLite: single writer + BEGIN IMMEDIATE + busy_timeout).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_do_not_fail() {
    let dir = TempDir::new();
    let db = fresh_db(&dir.0).await;
    let mut tasks = Vec::new();
    for i in 0..64 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = db.begin().await?;
            // Read, then write in the same transaction: the pattern that
            // deadlocks deferred SQLite transactions.
            let n = maillage_db::users::count(tx.ex()).await?;
            maillage_db::users::insert(tx.ex(), &format!("personne{i}@ville.fr"), &format!("P {n}"), None).await?;
            tx.commit().await?;
            Ok::<_, maillage_db::DbError>(())
        }));
    }
    for t in tasks {
        t.await.unwrap().expect("écriture concurrente refusée");
    }
    let mut c = db.conn().await.unwrap();
    assert_eq!(maillage_db::users::count(c.ex()).await.unwrap(), 64);
}

/// A read connection cannot write by mistake (SQLite read pool is read-only).
#[tokio::test]
async fn sqlite_reads_cannot_write() {
    if postgres_url().is_some() {
        return;
    }
    let dir = TempDir::new();
    let db = fresh_db(&dir.0).await;
    let mut c = db.conn().await.unwrap();
    let err = maillage_db::users::insert(c.ex(), "a@ville.fr", "A", None).await;
    assert!(err.is_err(), "une écriture est passée par la connexion de lecture");
}

/// A unique violation is recognisable on both backends (it becomes a field error).
#[tokio::test]
async fn unique_violation_is_recognised() {
    let dir = TempDir::new();
    let db = fresh_db(&dir.0).await;
    let mut tx = db.begin().await.unwrap();
    maillage_db::users::insert(tx.ex(), "a@ville.fr", "A", None)
        .await
        .unwrap();
    let err = maillage_db::users::insert(tx.ex(), "a@ville.fr", "B", None)
        .await
        .unwrap_err();
    assert!(err.is_unique_on("email"), "{err:?}");
}
