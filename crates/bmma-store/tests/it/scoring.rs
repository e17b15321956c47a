//! Ratings and agreed scores: saved over the version read, never over someone else's save.

use bmma_core::{Rating, Role};
use bmma_store::{Member, ScoreSave, StoreError, User};

use crate::accounts::user;
use bmma_store::testing as harness;

fn save<'a>(indicator: &'a str, rating: Rating, text: &'a str, expected_version: i64) -> ScoreSave<'a> {
    ScoreSave { assessment_id: "a1", indicator, rating, text, evidence: &[], expected_version }
}

/// Makes each of `users` an expert of "a1" and returns them as members.
async fn experts_of(store: &bmma_store::Store, lead: &User, users: &[&User]) -> Vec<Member> {
    for user in users {
        store.set_member("a1", user, Role::Expert, None, &lead.actor()).await.unwrap();
    }
    store.members("a1").await.unwrap().into_iter().filter(|m| m.role == Role::Expert).collect()
}

#[tokio::test]
async fn each_expert_keeps_an_own_rating_and_a_stale_save_changes_nothing() {
    let t = harness::fresh().await;
    let lead = user(&t.store, "lead@example.org").await;
    let ada = user(&t.store, "ada@example.org").await;
    let bob = user(&t.store, "bob@example.org").await;
    crate::assessment_led_by(&t.store, "a1", &lead).await;
    let experts = experts_of(&t.store, &lead, &[&ada, &bob]).await;
    t.store.set_assignments("a1", 1, &[("A.1".into(), experts)], &lead.actor()).await.unwrap();
    assert_eq!(t.store.assignments("a1").await.unwrap().len(), 2);

    assert!(
        t.store
            .save_rating(&save("A.1.1", Rating::Level(2), "Only a draft law", 0), "A.1", &ada)
            .await
            .unwrap()
    );
    assert!(
        t.store
            .save_rating(&save("A.1.1", Rating::Level(4), "Applied at most posts", 0), "A.1", &bob)
            .await
            .unwrap()
    );
    // A second "first save" from another tab is refused, as is a save over an old version.
    assert!(!t.store.save_rating(&save("A.1.1", Rating::Level(3), "Again", 0), "A.1", &ada).await.unwrap());
    assert!(
        t.store
            .save_rating(&save("A.1.1", Rating::InsufficientEvidence, "No records", 1), "A.1", &ada)
            .await
            .unwrap()
    );
    assert!(!t.store.save_rating(&save("A.1.1", Rating::Level(5), "Old tab", 1), "A.1", &ada).await.unwrap());

    let ratings = t.store.ratings("a1").await.unwrap();
    let mine: Vec<(String, Rating, i64)> =
        ratings.iter().map(|r| (r.email.clone(), r.rating, r.version)).collect();
    assert_eq!(
        mine,
        [
            ("ada@example.org".to_string(), Rating::InsufficientEvidence, 2),
            ("bob@example.org".to_string(), Rating::Level(4), 1)
        ]
    );
    assert_eq!(ratings[0].justification, "No records");

    // One indicator's ratings, as a save answers with, are those of the full read.
    assert!(t.store.save_rating(&save("A.1.2", Rating::Level(1), "Other", 0), "A.1", &bob).await.unwrap());
    let all = t.store.ratings("a1").await.unwrap();
    let of_one = t.store.ratings_of_indicator("a1", "A.1.1").await.unwrap();
    assert_eq!(of_one, all.iter().filter(|r| r.indicator == "A.1.1").cloned().collect::<Vec<_>>());
    assert_eq!(of_one.len(), 2);
}

#[tokio::test]
async fn the_agreed_score_is_one_per_indicator_and_versioned() {
    let t = harness::fresh().await;
    let lead = user(&t.store, "lead@example.org").await;
    crate::assessment_led_by(&t.store, "a1", &lead).await;
    assert!(
        t.store
            .save_agreed(&save("A.1.1", Rating::Level(3), "Law adopted; not yet applied", 0), &lead.actor())
            .await
            .unwrap()
    );
    assert!(
        !t.store
            .save_agreed(&save("A.1.1", Rating::Level(2), "Second first", 0), &lead.actor())
            .await
            .unwrap()
    );
    assert!(
        t.store
            .save_agreed(&save("A.1.1", Rating::NotApplicable, "No such agency", 1), &lead.actor())
            .await
            .unwrap()
    );
    let agreed = t.store.agreed_scores("a1").await.unwrap();
    assert_eq!(agreed.len(), 1);
    assert_eq!(t.store.agreed_score_of_indicator("a1", "A.1.1").await.unwrap().as_ref(), agreed.first());
    assert_eq!(t.store.agreed_score_of_indicator("a1", "A.1.2").await.unwrap(), None);
    assert_eq!(
        (agreed[0].rating, agreed[0].version, agreed[0].agreed_by.name.as_str()),
        (Rating::NotApplicable, 2, "Name of lead@example.org")
    );
    let trail: Vec<String> =
        t.store.audit_of_assessment("a1").await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(trail, ["create", "agree", "agree"]);
}

#[tokio::test]
async fn the_assignments_of_a_form_are_saved_together_or_not_at_all() {
    let t = harness::fresh().await;
    let lead = user(&t.store, "lead@example.org").await;
    let ada = user(&t.store, "ada@example.org").await;
    let bob = user(&t.store, "bob@example.org").await;
    crate::assessment_led_by(&t.store, "a1", &lead).await;
    let experts = experts_of(&t.store, &lead, &[&ada, &bob]).await;
    let (ada_member, bob_member) = (experts[0].clone(), experts[1].clone());

    // Bob became a donor after the form was read: the whole form is refused, A.1 included.
    t.store.set_member("a1", &bob, Role::Donor, None, &lead.actor()).await.unwrap();
    let form = [("A.1".to_string(), vec![ada_member.clone()]), ("A.2".to_string(), vec![bob_member])];
    let refused = t.store.set_assignments("a1", 1, &form, &lead.actor()).await;
    assert!(matches!(refused, Err(StoreError::Conflict)), "{refused:?}");
    assert!(t.store.assignments("a1").await.unwrap().is_empty());
    let trail = t.store.audit_of_assessment("a1").await.unwrap();
    assert!(trail.iter().all(|e| e.entity != "element"), "nothing refused reaches the trail");

    // Saved at the version read, each element gets its own entry; a form read before that is stale.
    let both = [("A.1".to_string(), vec![ada_member.clone()]), ("A.2".to_string(), vec![ada_member.clone()])];
    t.store.set_assignments("a1", 1, &both, &lead.actor()).await.unwrap();
    assert_eq!(t.store.assignments("a1").await.unwrap().len(), 2);
    let entries = t.store.audit_of_assessment("a1").await.unwrap();
    assert_eq!(entries.iter().filter(|e| e.entity == "element").count(), 2);
    let stale = t.store.set_assignments("a1", 1, &[("A.1".to_string(), Vec::new())], &lead.actor()).await;
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
    assert_eq!(t.store.assignments("a1").await.unwrap().len(), 2, "the stale form removed nobody");
    assert_eq!(t.store.get_assessment("a1").await.unwrap().unwrap().assignments_version, 2);
}

#[tokio::test]
async fn only_an_expert_assigned_as_the_rating_is_written_may_save_it() {
    let t = harness::fresh().await;
    let lead = user(&t.store, "lead@example.org").await;
    let ada = user(&t.store, "ada@example.org").await;
    crate::assessment_led_by(&t.store, "a1", &lead).await;
    let experts = experts_of(&t.store, &lead, &[&ada]).await;
    t.store.set_assignments("a1", 1, &[("A.1".into(), experts)], &lead.actor()).await.unwrap();
    // Assigned to A.1, not to A.2.
    assert!(
        !t.store.save_rating(&save("A.2.1", Rating::Level(2), "Not mine", 0), "A.2", &ada).await.unwrap()
    );
    assert!(t.store.save_rating(&save("A.1.1", Rating::Level(2), "Mine", 0), "A.1", &ada).await.unwrap());
    // Unassigned, the next save is refused and the rating stays as it was.
    t.store.set_assignments("a1", 2, &[("A.1".into(), Vec::new())], &lead.actor()).await.unwrap();
    assert!(
        !t.store.save_rating(&save("A.1.1", Rating::Level(4), "Too late", 1), "A.1", &ada).await.unwrap()
    );
    let ratings = t.store.ratings("a1").await.unwrap();
    assert_eq!(ratings.iter().map(|r| r.justification.as_str()).collect::<Vec<_>>(), ["Mine"]);
}
