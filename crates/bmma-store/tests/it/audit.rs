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
    t.store.set_member("a1", &bob, Role::Donor, None, &ada.actor()).await.unwrap();
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
    assert_eq!(trail[1].prev_hash, t.store.verify_audit(None).await.map(|_| trail[0].hash.clone()).unwrap());
    // The framework install and the two accounts come first: 6 entries in all.
    assert_eq!(t.store.verify_audit(None).await.unwrap().entries, 6);
    assert_eq!(t.store.verify_audit(None).await.unwrap().first_broken, None);
}

#[tokio::test]
async fn a_changed_entry_is_named_by_verify() {
    let t = with_history().await;
    harness::raw_execute(&t.url, "UPDATE audit_log SET actor_email = 'mallory@example.org' WHERE seq = 4")
        .await;
    let report = t.store.verify_audit(None).await.unwrap();
    let (seq, reason) = report.first_broken.unwrap();
    assert_eq!(seq, 4);
    assert!(reason.contains("changed"), "{reason}");
}

#[tokio::test]
async fn a_removed_entry_is_found() {
    let t = with_history().await;
    harness::raw_execute(&t.url, "DELETE FROM audit_log WHERE seq = 3").await;
    let (seq, reason) = t.store.verify_audit(None).await.unwrap().first_broken.unwrap();
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
    let (seq, reason) = t.store.verify_audit(None).await.unwrap().first_broken.unwrap();
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
    let report = t.store.verify_audit(None).await.unwrap();
    assert_eq!((report.entries, report.first_broken), (20, None));
    assert!(matches!(t.url, DatabaseUrl::Sqlite(_) | DatabaseUrl::Postgres(_)));
}

/// `with_history`, continued by a store that seals with a key: entries 1 to 6 are plain, as
/// before bmma had a key, and 7 to 9 are keyed.
async fn keyed_history() -> (harness::TestDatabase, bmma_store::Store, bmma_store::AuditKey) {
    let t = with_history().await;
    let key = bmma_store::AuditKey::generate().unwrap();
    let keyed = t.store.clone().with_audit_key(key.clone());
    for email in ["cy@example.org", "di@example.org", "ed@example.org"] {
        user(&keyed, email).await;
    }
    (t, keyed, key)
}

#[tokio::test]
async fn entries_before_the_key_keep_their_hash_and_the_keyed_chain_continues_from_them() {
    let (t, keyed, _) = keyed_history().await;
    let report = keyed.verify_audit(None).await.unwrap();
    assert_eq!((report.entries, report.keyed, report.first_broken), (9, 3, None));
    assert_eq!(report.head.as_ref().map(|h| h.seq), Some(9));
    // Without the key the keyed entries cannot be checked, and the check says so.
    let (seq, reason) = t.store.verify_audit(None).await.unwrap().first_broken.unwrap();
    assert_eq!(seq, 7);
    assert!(reason.contains("audit key that was not given"), "{reason}");
    assert!(keyed.audit_needs_key().await.unwrap(), "the newest entry is keyed");
}

#[tokio::test]
async fn a_keyed_entry_rewritten_with_a_recomputed_plain_chain_is_named() {
    let (t, keyed, _) = keyed_history().await;
    // Rewrite entry 8 and recompute the plain SHA-256 chain from there to the end, as
    // someone who can write the database but has no key would.
    let entries = keyed.audit_entries_after(7).await.unwrap();
    let mut prev = entries[0].prev_hash.clone();
    for mut entry in entries {
        entry.prev_hash = prev.clone();
        if entry.seq == 8 {
            entry.actor_email = "mallory@example.org".into();
        }
        entry.hash = entry.compute_hash();
        let sql = format!(
            "UPDATE audit_log SET actor_email = '{}', prev_hash = '{}', hash = '{}' WHERE seq = {}",
            entry.actor_email, entry.prev_hash, entry.hash, entry.seq
        );
        harness::raw_execute(&t.url, &sql).await;
        prev = entry.hash;
    }
    let (seq, reason) = keyed.verify_audit(None).await.unwrap().first_broken.unwrap();
    assert_eq!(seq, 8);
    assert!(reason.contains("rewritten"), "{reason}");
}

#[tokio::test]
async fn removing_the_newest_entries_is_found_against_a_checkpoint() {
    for removed in ["seq = 9", "seq >= 4", "seq >= 1"] {
        let (t, keyed, _) = keyed_history().await;
        let checkpoint = keyed.audit_checkpoint().await.unwrap().unwrap();
        assert_eq!(checkpoint.seq, 9);
        harness::raw_execute(&t.url, &format!("DELETE FROM audit_log WHERE {removed}")).await;
        // The chain that is left is whole; only the checkpoint shows what is gone.
        assert_eq!(keyed.verify_audit(None).await.unwrap().first_broken, None, "{removed}");
        let (seq, reason) = keyed.verify_audit(Some(&checkpoint)).await.unwrap().first_broken.unwrap();
        assert!(reason.contains("removed since"), "{removed}: {reason}");
        assert!(seq <= 9, "{removed}: {seq}");
    }
    // An entry rewritten in place after the checkpoint was taken, with the key, differs.
    let (t, keyed, _) = keyed_history().await;
    let checkpoint = keyed.audit_checkpoint().await.unwrap().unwrap();
    harness::raw_execute(&t.url, "DELETE FROM audit_log WHERE seq = 9").await;
    user(&keyed, "fay@example.org").await;
    let (seq, reason) = keyed.verify_audit(Some(&checkpoint)).await.unwrap().first_broken.unwrap();
    assert_eq!(seq, 9);
    assert!(reason.contains("differs from the checkpoint"), "{reason}");
    assert_eq!(
        keyed
            .verify_audit(Some(&keyed.audit_checkpoint().await.unwrap().unwrap()))
            .await
            .unwrap()
            .first_broken,
        None
    );
}

#[tokio::test]
async fn an_entry_whose_time_cannot_be_read_is_named() {
    let t = with_history().await;
    if let DatabaseUrl::Sqlite(_) = t.url {
        harness::raw_execute(&t.url, "UPDATE audit_log SET at = 'yesterday' WHERE seq = 5").await;
    } else {
        // PostgreSQL keeps times typed; an unreadable one cannot be stored, so a broken row
        // is made another way: a sequence number out of place.
        harness::raw_execute(&t.url, "UPDATE audit_log SET seq = 50 WHERE seq = 5").await;
    }
    let (seq, reason) = t.store.verify_audit(None).await.unwrap().first_broken.unwrap();
    match t.url {
        DatabaseUrl::Sqlite(_) => {
            assert_eq!(seq, 5);
            assert!(reason.contains("time cannot be read"), "{reason}");
        }
        DatabaseUrl::Postgres(_) => assert_eq!(seq, 6, "{reason}"),
    }
}

#[test]
fn keys_and_checkpoints_are_read_back_as_written() {
    let key = bmma_store::AuditKey::generate().unwrap();
    assert_eq!(key.to_hex().parse::<bmma_store::AuditKey>().unwrap(), key);
    assert!("abc".parse::<bmma_store::AuditKey>().is_err());
    assert!(!format!("{key:?}").contains(&key.to_hex()), "the key is never printed");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.key");
    let made = bmma_store::AuditKey::create_file(&path).unwrap();
    assert_eq!(bmma_store::AuditKey::read_file(&path).unwrap(), made);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(bmma_store::AuditKey::create_file(&path).is_err(), "an existing key is never replaced");
    let text = format!("12:{}", "ab".repeat(32));
    assert_eq!(text.parse::<bmma_store::Checkpoint>().unwrap().to_string(), text);
    assert!("12:xyz".parse::<bmma_store::Checkpoint>().unwrap_err().contains("SEQ:HASH"));
}
