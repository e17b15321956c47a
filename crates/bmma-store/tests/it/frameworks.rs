//! Stored frameworks: text kept as imported, and never silently replaced.

use bmma_core::FrameworkRef;
use bmma_store::{Actor, SaveOutcome, StoreError};

fn actor() -> Actor {
    Actor::system("test")
}

use bmma_store::testing as harness;

fn reference(id: &str, version: &str) -> FrameworkRef {
    FrameworkRef { id: id.into(), version: version.into() }
}

#[tokio::test]
async fn saving_the_same_text_again_changes_nothing() {
    let t = harness::fresh().await;
    let r = reference("bmm", "1.0");
    assert_eq!(t.store.save_framework(&r, "BMM", "text", true, &actor()).await.unwrap(), SaveOutcome::Added);
    assert_eq!(
        t.store.save_framework(&r, "BMM", "text", true, &actor()).await.unwrap(),
        SaveOutcome::Unchanged
    );
    assert_eq!(t.store.list_frameworks().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_import_with_other_text_under_a_stored_version_is_refused() {
    let t = harness::fresh().await;
    let r = reference("custom", "2");
    t.store.save_framework(&r, "Custom", "first text", false, &actor()).await.unwrap();
    let error = t.store.save_framework(&r, "Custom", "second text", false, &actor()).await.unwrap_err();
    assert!(matches!(error, StoreError::Duplicate(_)), "{error}");
    assert!(error.to_string().contains("custom@2"), "{error}");
    assert_eq!(t.store.framework_source(&r).await.unwrap().as_deref(), Some("first text"));
}

#[tokio::test]
async fn a_builtin_text_is_never_replaced_a_correction_is_a_new_version() {
    let t = harness::fresh().await;
    let r = reference("bmm", "1.0");
    t.store.save_framework(&r, "BMM", "old", true, &actor()).await.unwrap();
    let error = t.store.save_framework(&r, "BMM", "corrected", true, &actor()).await.unwrap_err();
    assert!(matches!(error, StoreError::Duplicate(_)), "{error}");
    assert!(error.to_string().contains("new version"), "{error}");
    assert_eq!(t.store.framework_source(&r).await.unwrap().as_deref(), Some("old"));
    let corrected = reference("bmm", "1.0.1");
    assert_eq!(
        t.store.save_framework(&corrected, "BMM", "corrected", true, &actor()).await.unwrap(),
        SaveOutcome::Added
    );
}

#[tokio::test]
async fn versions_are_listed_side_by_side_in_order() {
    let t = harness::fresh().await;
    for (id, version) in [("zeta", "1"), ("bmm", "1.1"), ("bmm", "1.0")] {
        t.store.save_framework(&reference(id, version), id, version, false, &actor()).await.unwrap();
    }
    let listed: Vec<String> =
        t.store.list_frameworks().await.unwrap().iter().map(|f| f.reference.to_string()).collect();
    assert_eq!(listed, ["bmm@1.0", "bmm@1.1", "zeta@1"]);
    let sources = t.store.framework_sources().await.unwrap();
    assert_eq!(sources[1].1, "1.1");
    assert!(!sources[1].0.builtin);
}
