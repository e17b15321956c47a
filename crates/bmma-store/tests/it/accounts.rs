//! Accounts, sessions, tokens, memberships and failed sign-ins.

use bmma_core::Role;
use bmma_store::{Actor, NewUser, StoreError, User};
use time::{Duration, OffsetDateTime};

use bmma_store::testing as harness;

pub async fn user(store: &bmma_store::Store, email: &str) -> User {
    let new = NewUser {
        id: format!("id-{email}"),
        email: email.into(),
        name: format!("Name of {email}"),
        password_hash: "argon2-hash".into(),
        is_admin: false,
    };
    store.create_user(&new, &Actor::system("test")).await.unwrap()
}

#[tokio::test]
async fn e_mail_addresses_are_unique_whatever_their_case() {
    let t = harness::fresh().await;
    let first = user(&t.store, " Ada@Example.org ").await;
    assert_eq!(first.email, "ada@example.org");
    let again = NewUser {
        id: "other".into(),
        email: "ADA@example.org".into(),
        name: "Ada".into(),
        password_hash: "h".into(),
        is_admin: false,
    };
    let error = t.store.create_user(&again, &Actor::system("test")).await.unwrap_err();
    assert!(matches!(error, StoreError::Duplicate(_)), "{error}");
    assert_eq!(t.store.count_users().await.unwrap(), 1);
    let (found, hash) = t.store.user_by_email("ADA@EXAMPLE.ORG").await.unwrap().unwrap();
    assert_eq!((found.id.as_str(), hash.as_str()), ("id- Ada@Example.org ", "argon2-hash"));
}

#[tokio::test]
async fn a_session_lives_until_it_expires_or_is_ended() {
    let t = harness::fresh().await;
    let ada = user(&t.store, "ada@example.org").await;
    let later = OffsetDateTime::now_utc() + Duration::hours(1);
    t.store.create_session("live", &ada.id, "csrf-1", later).await.unwrap();
    t.store
        .create_session("old", &ada.id, "csrf-2", OffsetDateTime::now_utc() - Duration::seconds(1))
        .await
        .unwrap();
    let live = t.store.session("live").await.unwrap().unwrap();
    assert_eq!((live.user.email.as_str(), live.csrf_token.as_str()), ("ada@example.org", "csrf-1"));
    assert!(t.store.session("old").await.unwrap().is_none(), "an expired session is refused");
    t.store.delete_session("live").await.unwrap();
    assert!(t.store.session("live").await.unwrap().is_none());
}

#[tokio::test]
async fn a_new_password_ends_every_other_session() {
    let t = harness::fresh().await;
    let ada = user(&t.store, "ada@example.org").await;
    let later = OffsetDateTime::now_utc() + Duration::hours(1);
    for name in ["this", "laptop", "phone"] {
        t.store.create_session(name, &ada.id, "c", later).await.unwrap();
    }
    t.store.set_password(&ada, "new-hash", Some("this"), &ada.actor()).await.unwrap();
    assert!(t.store.session("this").await.unwrap().is_some());
    assert!(t.store.session("laptop").await.unwrap().is_none());
    assert!(t.store.session("phone").await.unwrap().is_none());
    assert_eq!(t.store.user_by_email("ada@example.org").await.unwrap().unwrap().1, "new-hash");
}

#[tokio::test]
async fn a_revoked_token_no_longer_opens_the_account() {
    let t = harness::fresh().await;
    let ada = user(&t.store, "ada@example.org").await;
    let bob = user(&t.store, "bob@example.org").await;
    let token = t.store.create_token(&ada, "tok-1", "export", "hash-1", &ada.actor()).await.unwrap();
    assert_eq!(t.store.user_by_token("hash-1").await.unwrap().map(|u| u.id), Some(ada.id.clone()));
    assert!(!t.store.revoke_token(&bob.id, &token.id, &bob.actor()).await.unwrap(), "only the owner revokes");
    assert!(t.store.revoke_token(&ada.id, &token.id, &ada.actor()).await.unwrap());
    assert!(t.store.user_by_token("hash-1").await.unwrap().is_none());
    assert!(!t.store.revoke_token(&ada.id, &token.id, &ada.actor()).await.unwrap(), "revoked once");
    let listed = t.store.tokens_of(&ada.id).await.unwrap();
    assert!(listed[0].revoked_at.is_some());
}

#[tokio::test]
async fn sign_in_attempts_are_counted_per_account_and_per_address_and_old_ones_forgotten() {
    let t = harness::fresh().await;
    let since = OffsetDateTime::now_utc() - Duration::minutes(15);
    let reserve = |email: &'static str, address: &'static str| {
        let store = t.store.clone();
        async move { store.reserve_login_attempt(email, address, since, 3, 4).await.unwrap() }
    };
    for _ in 0..3 {
        assert!(reserve("Ada@example.org", "10.0.0.1").await);
    }
    assert!(!reserve("ada@example.org", "10.0.0.2").await, "the account's limit holds from any address");
    assert!(reserve("nobody@example.org", "10.0.0.1").await);
    assert!(!reserve("x@example.org", "10.0.0.1").await, "the address's limit holds for any account");
    assert!(reserve("x@example.org", "10.0.0.9").await);
    t.store.clear_login_failures("ADA@example.org").await.unwrap();
    assert!(reserve("ada@example.org", "10.0.0.2").await, "a sign-in forgets the account's attempts");

    // Attempts from before the window are removed, not only ignored.
    let later = OffsetDateTime::now_utc() + Duration::seconds(1);
    assert!(t.store.reserve_login_attempt("y@example.org", "10.0.0.7", later, 3, 4).await.unwrap());
    assert_eq!(t.store.count_login_failures().await.unwrap(), 1, "only the newest attempt is kept");
}

#[tokio::test]
async fn simultaneous_attempts_for_one_account_never_pass_its_limit() {
    let t = harness::fresh().await;
    let since = OffsetDateTime::now_utc() - Duration::minutes(15);
    let attempts: Vec<_> = (0..40)
        .map(|n| {
            let store = t.store.clone();
            tokio::spawn(async move {
                store
                    .reserve_login_attempt("ada@example.org", &format!("10.0.1.{n}"), since, 5, 20)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut passed = 0;
    for attempt in attempts {
        passed += usize::from(attempt.await.unwrap());
    }
    assert_eq!(passed, 5, "exactly the limit of attempts go through on {}", t.store.backend_name());
}

#[tokio::test]
async fn members_have_one_role_per_assessment() {
    let t = harness::fresh().await;
    let ada = user(&t.store, "ada@example.org").await;
    let bob = user(&t.store, "bob@example.org").await;
    crate::assessment_led_by(&t.store, "a1", &ada).await;
    assert_eq!(t.store.role_in("a1", &ada.id).await.unwrap(), Some(Role::TeamLead));
    t.store.set_member("a1", &bob, Role::Donor, None, &ada.actor()).await.unwrap();
    t.store.set_member("a1", &bob, Role::Expert, None, &ada.actor()).await.unwrap();
    let members = t.store.members("a1").await.unwrap();
    assert_eq!(members.iter().map(|m| m.role).collect::<Vec<_>>(), [Role::TeamLead, Role::Expert]);
    let mine = t.store.list_assessments_of(&bob.id).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].1, Role::Expert);
    assert!(t.store.remove_member("a1", &members[1], None, &ada.actor()).await.unwrap());
    assert!(t.store.role_in("a1", &bob.id).await.unwrap().is_none());
    assert!(t.store.list_assessments_of(&bob.id).await.unwrap().is_empty());
}
