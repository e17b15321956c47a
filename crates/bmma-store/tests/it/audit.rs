//! The audit trail: every change leaves an entry, and tampering is found.

use bmma_core::{Role, Sharing};
use bmma_store::{Actor, DatabaseUrl};

use crate::accounts::user;
use bmma_store::testing as harness;

/// A database with a few audited changes: a user, an assessment, a member, a share.
async fn with_history() -> harness::TestDatabase {
    let t = harness::fresh().await;
    let ada = user(&t.store, "ada@example.org").await;
    let bob = user(&t.store, "bob@example.org").await;
    crate::assessment_led_by(&t.store, "a1", &ada).await;
    t.store.set_member("a1", &bob, Role::Donor, &ada.actor()).await.unwrap();
    let before = t.store.get_assessment("a1").await.unwrap().unwrap();
    t.store
        .set_sharing(&before, Sharing { with_donors: true, for_validation: false }, &ada.actor())
        .await
        .unwrap();
    t
}

#[tokio::test]
async fn each_change_is_recorded_with_who_what_before_and_after() {
    let t = with_history().await;
    let trail = t.store.audit_of_assessment("a1").await.unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["create", "set-member", "share"]);
    let share = &trail[2];
    assert_eq!(share.actor_email, "ada@example.org");
    assert_eq!(share.before.as_deref(), Some(r#"{"with_donors":false,"for_validation":false}"#));
    assert_eq!(share.after.as_deref(), Some(r#"{"with_donors":true,"for_validation":false}"#));
    assert_eq!(trail[1].prev_hash, t.store.verify_audit().await.map(|_| trail[0].hash.clone()).unwrap());
    // The framework install and the two accounts come first: 6 entries in all.
    assert_eq!(t.store.verify_audit().await.unwrap().entries, 6);
    assert_eq!(t.store.verify_audit().await.unwrap().first_broken, None);
}

#[tokio::test]
async fn a_changed_entry_is_named_by_verify() {
    let t = with_history().await;
    harness::raw_execute(&t.url, "UPDATE audit_log SET actor_email = 'mallory@example.org' WHERE seq = 4")
        .await;
    let report = t.store.verify_audit().await.unwrap();
    let (seq, reason) = report.first_broken.unwrap();
    assert_eq!(seq, 4);
    assert!(reason.contains("changed"), "{reason}");
}

#[tokio::test]
async fn a_removed_entry_is_found() {
    let t = with_history().await;
    harness::raw_execute(&t.url, "DELETE FROM audit_log WHERE seq = 3").await;
    let (seq, reason) = t.store.verify_audit().await.unwrap().first_broken.unwrap();
    assert_eq!(seq, 4);
    assert!(reason.contains("missing"), "{reason}");
}

#[tokio::test]
async fn a_rewritten_entry_with_a_fresh_hash_still_breaks_the_link() {
    let t = with_history().await;
    let mut entry = t.store.audit_of_assessment("a1").await.unwrap().remove(0);
    entry.after = Some("{}".into());
    entry.hash = entry.compute_hash();
    let sql =
        format!("UPDATE audit_log SET after = '{{}}', hash = '{}' WHERE seq = {}", entry.hash, entry.seq);
    harness::raw_execute(&t.url, &sql).await;
    let (seq, reason) = t.store.verify_audit().await.unwrap().first_broken.unwrap();
    assert_eq!(seq, entry.seq + 1);
    assert!(reason.contains("does not link"), "{reason}");
}

#[tokio::test]
async fn concurrent_changes_keep_one_unbroken_chain() {
    let t = harness::fresh().await;
    let mut tasks = Vec::new();
    for n in 0..20 {
        let store = t.store.clone();
        tasks.push(tokio::spawn(async move {
            let new = bmma_store::NewUser {
                id: format!("u{n}"),
                email: format!("u{n}@example.org"),
                name: "U".into(),
                password_hash: "h".into(),
                is_admin: false,
            };
            store.create_user(&new, &Actor::system("test")).await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let report = t.store.verify_audit().await.unwrap();
    assert_eq!((report.entries, report.first_broken), (20, None));
    assert!(matches!(t.url, DatabaseUrl::Sqlite(_) | DatabaseUrl::Postgres(_)));
}
