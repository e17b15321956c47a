//! Migrations: in lock-step for both backends, idempotent, and safe against a newer schema.

use std::collections::BTreeSet;
use std::path::Path;

use bmma_store::testing as harness;

fn names_in(dir: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dir);
    std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
}

#[test]
fn both_backends_have_the_same_migrations_and_all_are_listed() {
    let sqlite = names_in("sqlite");
    let postgres = names_in("postgres");
    assert_eq!(sqlite, postgres, "migrations must exist for both backends under one name");
    let listed: BTreeSet<String> =
        bmma_store::migrations::names().into_iter().map(|n| format!("{n}.sql")).collect();
    assert_eq!(listed, sqlite, "every migration file must be listed, in order");
    let ordered = bmma_store::migrations::names();
    let mut sorted = ordered.clone();
    sorted.sort();
    assert_eq!(ordered, sorted, "migrations apply in the order of their names");
}

#[tokio::test]
async fn migrating_twice_applies_nothing_the_second_time() {
    let t = harness::fresh_unmigrated().await;
    let first = t.store.migrate().await.unwrap();
    assert_eq!(first, bmma_store::migrations::names());
    assert!(t.store.migrate().await.unwrap().is_empty());
    t.store.ping().await.unwrap();
}

#[tokio::test]
async fn a_database_migrated_by_a_newer_bmma_is_refused() {
    let t = harness::fresh().await;
    harness::raw_execute(
        &t.url,
        "INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_future')",
    )
    .await;
    let error = t.store.migrate().await.unwrap_err();
    assert!(error.to_string().contains("newer bmma (migration 9999"), "{error}");
}
