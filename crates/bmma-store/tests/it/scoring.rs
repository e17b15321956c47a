//! Ratings and agreed scores: saved over the version read, never over someone else's save.

use bmma_core::Rating;
use bmma_store::ScoreSave;

use crate::accounts::user;
use bmma_store::testing as harness;

fn save<'a>(indicator: &'a str, rating: Rating, text: &'a str, expected_version: i64) -> ScoreSave<'a> {
    ScoreSave { assessment_id: "a1", indicator, rating, text, evidence: &[], expected_version }
}

#[tokio::test]
async fn each_expert_keeps_an_own_rating_and_a_stale_save_changes_nothing() {
    let t = harness::fresh().await;
    let lead = user(&t.store, "lead@example.org").await;
    let ada = user(&t.store, "ada@example.org").await;
    let bob = user(&t.store, "bob@example.org").await;
    crate::assessment_led_by(&t.store, "a1", &lead).await;
    t.store.set_assignment("a1", "A.1", &[&ada, &bob], &lead.actor()).await.unwrap();
    assert_eq!(t.store.assignments("a1").await.unwrap().len(), 2);

    assert!(
        t.store.save_rating(&save("A.1.1", Rating::Level(2), "Only a draft law", 0), &ada).await.unwrap()
    );
    assert!(
        t.store
            .save_rating(&save("A.1.1", Rating::Level(4), "Applied at most posts", 0), &bob)
            .await
            .unwrap()
    );
    // A second "first save" from another tab is refused, as is a save over an old version.
    assert!(!t.store.save_rating(&save("A.1.1", Rating::Level(3), "Again", 0), &ada).await.unwrap());
    assert!(
        t.store
            .save_rating(&save("A.1.1", Rating::InsufficientEvidence, "No records", 1), &ada)
            .await
            .unwrap()
    );
    assert!(!t.store.save_rating(&save("A.1.1", Rating::Level(5), "Old tab", 1), &ada).await.unwrap());

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
    assert_eq!(
        (agreed[0].rating, agreed[0].version, agreed[0].agreed_by.as_str()),
        (Rating::NotApplicable, 2, "lead@example.org")
    );
    let trail: Vec<String> =
        t.store.audit_of_assessment("a1").await.unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(trail, ["create", "agree", "agree"]);
}
