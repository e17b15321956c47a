//! Online backups of the embedded database, and restoring them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bmma_store::{Actor, DatabaseUrl, Store, StoreError};

use bmma_store::testing as harness;

#[tokio::test]
async fn a_backup_taken_during_writes_restores_with_nothing_missing() {
    let t = harness::fresh().await;
    let DatabaseUrl::Sqlite(_) = &t.url else {
        // PostgreSQL is backed up with pg_dump; the store says so.
        let error = t.store.backup_to(std::path::Path::new("unused.db")).await.unwrap_err();
        assert!(error.to_string().contains("pg_dump"), "{error}");
        return;
    };
    let framework = crate::with_tiny_framework(&t.store).await;
    for n in 0..50 {
        let record = crate::assessments::record(&format!("before-{n}"), &framework, "T");
        t.store.create_assessment(&record, &Actor::system("test")).await.unwrap();
    }
    // Keep writing while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let store = t.store.clone();
        let stop = stop.clone();
        let framework = framework.clone();
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let record = crate::assessments::record(&format!("during-{n}"), &framework, "T");
                store.create_assessment(&record, &Actor::system("test")).await.unwrap();
                n += 1;
            }
            n
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    t.store.backup_to(&copy).await.unwrap();
    stop.store(true, Ordering::Relaxed);
    let written_during = writer.await.unwrap();
    assert!(written_during > 0, "the writer ran during the backup");

    let restored_path = dir.path().join("restored").join("bmma.db");
    std::fs::create_dir(restored_path.parent().unwrap()).unwrap();
    bmma_store::restore_sqlite(&copy, &restored_path, false).unwrap();
    let restored = Store::open(&DatabaseUrl::Sqlite(restored_path.clone())).await.unwrap();
    let ids: Vec<String> = restored.list_assessments().await.unwrap().into_iter().map(|a| a.id).collect();
    for n in 0..50 {
        assert!(ids.contains(&format!("before-{n}")), "before-{n} is missing");
    }
    let report = restored.verify_audit(None).await.unwrap();
    assert_eq!(report.first_broken, None, "the restored trail is whole");
    assert_eq!(
        report.entries as usize,
        ids.len() + 1,
        "every restored assessment has its entry, nothing more"
    );

    let refused = bmma_store::restore_sqlite(&copy, &restored_path, false).unwrap_err();
    assert!(matches!(refused, StoreError::Refused(_)), "{refused}");
    bmma_store::restore_sqlite(&copy, &restored_path, true).unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "not a database").unwrap();
    let error = bmma_store::restore_sqlite(&junk, &restored_path, true).unwrap_err();
    assert!(error.to_string().contains("not a bmma database"), "{error}");
    assert!(t.store.backup_to(&copy).await.is_err(), "an existing backup is not overwritten");
}
