//! A fresh, migrated database per test, on the backend the environment names.
//!
//! SQLite by default: a new file in a temporary directory. PostgreSQL when
//! BMMA_TEST_DATABASE_URL names one: a new schema in that database, selected through the
//! connection's search_path. If the named database cannot be reached the test fails, so a
//! PostgreSQL run never passes by skipping.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::{DatabaseUrl, Store};

/// Schemas older than this are left over from earlier runs and are dropped.
const STALE_AFTER_SECS: u64 = 6 * 3600;

pub struct TestDatabase {
    pub store: Store,
    pub url: DatabaseUrl,
    // Held so the SQLite directory lives as long as the test.
    _dir: Option<tempfile::TempDir>,
}

/// The PostgreSQL URL the tests must use, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var("BMMA_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty())
}

pub async fn fresh() -> TestDatabase {
    let t = fresh_unmigrated().await;
    t.store.migrate().await.expect("migrations apply to a fresh database");
    t
}

pub async fn fresh_unmigrated() -> TestDatabase {
    match postgres_url() {
        Some(base) => {
            let url = DatabaseUrl::Postgres(fresh_schema(&base).await);
            let store = Store::open(&url).await.unwrap_or_else(|e| panic!("BMMA_TEST_DATABASE_URL: {e}"));
            TestDatabase { store, url, _dir: None }
        }
        None => {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let url = DatabaseUrl::in_data_dir(dir.path());
            let store = Store::open(&url).await.expect("a fresh SQLite database");
            TestDatabase { store, url, _dir: Some(dir) }
        }
    }
}

/// Creates an empty schema and returns `base` with a search_path that selects it.
async fn fresh_schema(base: &str) -> String {
    let (client, connection) = tokio_postgres::connect(base, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("BMMA_TEST_DATABASE_URL {base} cannot be reached: {e}"));
    tokio::spawn(connection);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let stale: Vec<String> = client
        .query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bmma_test_%'", &[])
        .await
        .expect("listing test schemas")
        .iter()
        .map(|row| row.get::<_, String>(0))
        .filter(|name| {
            let created = name.split('_').nth(2).and_then(|s| s.parse::<u64>().ok()).unwrap_or(now);
            now.saturating_sub(created) > STALE_AFTER_SECS
        })
        .collect();
    for name in stale {
        // Another run may drop it first; either way it is gone.
        let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {name} CASCADE")).await;
    }
    let schema = format!("bmma_test_{now}_{}", uuid::Uuid::new_v4().simple());
    client.batch_execute(&format!("CREATE SCHEMA {schema}")).await.expect("creating a test schema");
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}options=-csearch_path%3D{schema}")
}

/// Runs SQL straight on the database, past the store: for tests that must set up states
/// the application itself never makes.
pub async fn raw_execute(url: &DatabaseUrl, sql: &str) {
    match url {
        DatabaseUrl::Sqlite(path) => {
            let conn = rusqlite::Connection::open(path).expect("opening the test database");
            conn.execute_batch(sql).expect("raw SQL on SQLite");
        }
        DatabaseUrl::Postgres(url) => {
            let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                .await
                .expect("connecting to the test database");
            tokio::spawn(connection);
            client.batch_execute(sql).await.expect("raw SQL on PostgreSQL");
        }
    }
}

/// Applies the migrations up to and including `version` only, leaving a database as the
/// release whose last migration that was made it: for testing the migrations after it.
pub async fn migrate_through(store: &Store, version: i64) {
    let migrations = &crate::migrations::MIGRATIONS;
    let through = &migrations[..migrations.iter().take_while(|m| m.version <= version).count()];
    let applied = match &store.backend {
        crate::Backend::Sqlite(s) => s.migrate(through).await,
        crate::Backend::Postgres(p) => p.migrate(through).await,
    };
    applied.unwrap_or_else(|e| panic!("migrating through {version}: {e}"));
}
