//! A fresh, migrated database per test, on the backend the environment names.
//!
//! SQLite: a new file in a temporary directory. PostgreSQL (BMMA_TEST_DATABASE_URL): a new
//! schema in that database, chosen through the connection's search_path. If the named
//! database cannot be reached, the test fails: a PostgreSQL run never passes by skipping.

use bmma_store::{DatabaseUrl, Store};

pub struct TestStore {
    pub store: Store,
    pub url: DatabaseUrl,
    // Held so the SQLite directory lives as long as the test.
    _dir: Option<tempfile::TempDir>,
}

pub async fn fresh() -> TestStore {
    let t = fresh_unmigrated().await;
    t.store.migrate().await.expect("migrations apply to a fresh database");
    t
}

pub async fn fresh_unmigrated() -> TestStore {
    match std::env::var("BMMA_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            let url = DatabaseUrl::Postgres(fresh_schema(&base).await);
            let store = Store::open(&url)
                .await
                .unwrap_or_else(|e| panic!("BMMA_TEST_DATABASE_URL: {e}"));
            TestStore { store, url, _dir: None }
        }
        _ => {
            let dir = tempfile::tempdir().unwrap();
            let url = DatabaseUrl::in_data_dir(dir.path());
            let store = Store::open(&url).await.unwrap();
            TestStore { store, url, _dir: Some(dir) }
        }
    }
}

/// Creates an empty schema and returns `base` with a search_path that selects it.
pub async fn fresh_schema(base: &str) -> String {
    let (client, connection) = tokio_postgres::connect(base, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("BMMA_TEST_DATABASE_URL {base} cannot be reached: {e}"));
    tokio::spawn(connection);
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    client
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .await
        .unwrap();
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}options=-csearch_path%3D{schema}")
}

/// Runs SQL straight on the database, past the store: for tests that must set up states
/// the application itself never makes.
pub async fn raw_execute(url: &DatabaseUrl, sql: &str) {
    match url {
        DatabaseUrl::Sqlite(path) => {
            let conn = rusqlite::Connection::open(path).unwrap();
            conn.execute_batch(sql).unwrap();
        }
        DatabaseUrl::Postgres(url) => {
            let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(connection);
            client.batch_execute(sql).await.unwrap();
        }
    }
}

/// Stores the tiny framework used by tests and returns its reference.
pub async fn with_tiny_framework(store: &Store) -> bmma_core::FrameworkRef {
    let reference = bmma_core::FrameworkRef { id: "tiny".into(), version: "0.1".into() };
    store.save_framework(&reference, "Tiny", TINY, false).await.unwrap();
    reference
}

pub const TINY: &str = "format: bmma-framework/1\nid: tiny\n# the rest is not parsed by the store\n";
