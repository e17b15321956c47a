//! Stored assessments: what goes in comes out, exactly, on both backends.

use bmma_core::{AssessmentStatus, NewAssessment, Role, Scope, Sharing};
use bmma_store::{Actor, NewAssessmentRecord};

use bmma_store::testing as harness;

pub fn record(id: &str, framework: &bmma_core::FrameworkRef, title: &str) -> NewAssessmentRecord {
    NewAssessmentRecord {
        id: id.into(),
        framework: framework.clone(),
        assessment: NewAssessment {
            country: "ke".into(),
            framework: Some(framework.clone()),
            title: title.into(),
            requesting_body: "Ministry of the Interior".into(),
            scope: Scope::everything(),
        },
        team_lead: None,
    }
}

fn actor() -> Actor {
    Actor::system("test")
}

#[tokio::test]
async fn a_created_assessment_reads_back_field_for_field() {
    let t = harness::fresh().await;
    let framework = crate::with_tiny_framework(&t.store).await;
    let mut new = record("a1", &framework, "  Évaluation «frontières» 'quoted' \"double\"  ");
    new.assessment.scope = Scope(Some(vec!["A".into(), "A.1.1".into()]));
    assert!(t.store.create_assessment(&new, &actor()).await.unwrap());
    let stored = t.store.get_assessment("a1").await.unwrap().unwrap();
    assert_eq!(stored.country, "KE");
    assert_eq!(stored.title, "Évaluation «frontières» 'quoted' \"double\"");
    assert_eq!(stored.framework, framework);
    assert_eq!(stored.status, AssessmentStatus::Requested);
    assert_eq!(stored.scope, Scope(Some(vec!["A".into(), "A.1.1".into()])));
    assert_eq!(stored.version, 1);
    assert_eq!(stored.created_at, stored.updated_at);
    assert_eq!(stored.created_at.offset(), time::UtcOffset::UTC);
}

#[tokio::test]
async fn the_whole_framework_scope_is_stored_as_everything() {
    let t = harness::fresh().await;
    let framework = crate::with_tiny_framework(&t.store).await;
    t.store.create_assessment(&record("a1", &framework, "T"), &actor()).await.unwrap();
    let stored = t.store.get_assessment("a1").await.unwrap().unwrap();
    assert!(stored.scope.is_everything());
}

#[tokio::test]
async fn creating_an_existing_id_again_changes_nothing() {
    let t = harness::fresh().await;
    let framework = crate::with_tiny_framework(&t.store).await;
    assert!(t.store.create_assessment(&record("demo", &framework, "First"), &actor()).await.unwrap());
    assert!(!t.store.create_assessment(&record("demo", &framework, "Second"), &actor()).await.unwrap());
    let all = t.store.list_assessments().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].title, "First");
}

#[tokio::test]
async fn the_list_shows_the_newest_first() {
    let t = harness::fresh().await;
    let framework = crate::with_tiny_framework(&t.store).await;
    for id in ["older", "newer"] {
        t.store.create_assessment(&record(id, &framework, id), &actor()).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    let ids: Vec<String> = t.store.list_assessments().await.unwrap().into_iter().map(|a| a.id).collect();
    assert_eq!(ids, ["newer", "older"]);
}

#[tokio::test]
async fn an_unknown_id_reads_as_none() {
    let t = harness::fresh().await;
    assert!(t.store.get_assessment("nope").await.unwrap().is_none());
}

#[tokio::test]
async fn an_assessment_of_an_unstored_framework_is_refused_and_nothing_is_written() {
    let t = harness::fresh().await;
    let ghost = bmma_core::FrameworkRef { id: "ghost".into(), version: "1".into() };
    assert!(t.store.create_assessment(&record("a1", &ghost, "T"), &actor()).await.is_err());
    assert!(t.store.list_assessments().await.unwrap().is_empty());
}

#[tokio::test]
async fn concurrent_creations_all_land() {
    let t = harness::fresh().await;
    let framework = crate::with_tiny_framework(&t.store).await;
    let mut tasks = Vec::new();
    for n in 0..20 {
        let store = t.store.clone();
        let record = record(&format!("a{n}"), &framework, "T");
        tasks.push(tokio::spawn(async move { store.create_assessment(&record, &actor()).await }));
    }
    for task in tasks {
        assert!(task.await.unwrap().unwrap());
    }
    assert_eq!(t.store.list_assessments().await.unwrap().len(), 20);
}

#[tokio::test]
async fn a_status_change_names_the_version_it_read_and_loses_a_race_cleanly() {
    let t = harness::fresh().await;
    let lead = crate::accounts::user(&t.store, "lead@example.org").await;
    let other = crate::accounts::user(&t.store, "other@example.org").await;
    crate::assessment_led_by(&t.store, "a1", &lead).await;
    let read = t.store.get_assessment("a1").await.unwrap().unwrap();
    assert_eq!(read.updated_by.user_id.as_deref(), Some(lead.id.as_str()));
    assert_eq!(read.updated_by.name, "Name of lead@example.org", "an author is shown by name");

    assert!(
        t.store.change_status(&read, AssessmentStatus::Scoping, read.version, &other.actor()).await.unwrap()
    );
    // The same read, saved again: someone changed it meanwhile, so nothing is written.
    let trail = t.store.audit_of_assessment("a1").await.unwrap().len();
    assert!(
        !t.store.change_status(&read, AssessmentStatus::Scoping, read.version, &lead.actor()).await.unwrap()
    );
    assert_eq!(t.store.audit_of_assessment("a1").await.unwrap().len(), trail);

    let now = t.store.get_assessment("a1").await.unwrap().unwrap();
    assert_eq!((now.status, now.version), (AssessmentStatus::Scoping, read.version + 1));
    assert_eq!(now.updated_by.user_id.as_deref(), Some(other.id.as_str()));
    let history = t.store.status_changes("a1").await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!((history[0].from, history[0].to), (AssessmentStatus::Requested, AssessmentStatus::Scoping));
    assert_eq!(history[0].changed_by.name, "Name of other@example.org");
}

#[tokio::test]
async fn two_team_leads_removing_each_other_at_once_never_leave_the_assessment_without_one() {
    let t = bmma_store::testing::fresh().await;
    let ada = crate::accounts::user(&t.store, "ada@example.org").await;
    let bob = crate::accounts::user(&t.store, "bob@example.org").await;
    for round in 0..10 {
        let id = format!("a{round}");
        crate::assessment_led_by(&t.store, &id, &ada).await;
        t.store.set_member(&id, &bob, bmma_core::Role::TeamLead, None, &ada.actor()).await.unwrap();
        let members = t.store.members(&id).await.unwrap();
        let (a, b) = (
            members.iter().find(|m| m.user_id == ada.id).unwrap().clone(),
            members.iter().find(|m| m.user_id == bob.id).unwrap().clone(),
        );
        // Each removes the other, and on the odd rounds steps down instead.
        let (store_a, store_b, id_a, id_b) = (t.store.clone(), t.store.clone(), id.clone(), id.clone());
        let (actor_a, actor_b) = (ada.actor(), bob.actor());
        let (ada_user, bob_user) = (ada.clone(), bob.clone());
        let first = tokio::spawn(async move {
            if round % 2 == 0 {
                store_a.remove_member(&id_a, &b, None, &actor_a).await.unwrap()
            } else {
                store_a.set_member(&id_a, &ada_user, bmma_core::Role::Expert, None, &actor_a).await.is_ok()
            }
        });
        let second = tokio::spawn(async move {
            if round % 2 == 0 {
                store_b.remove_member(&id_b, &a, None, &actor_b).await.unwrap()
            } else {
                store_b.set_member(&id_b, &bob_user, bmma_core::Role::Expert, None, &actor_b).await.is_ok()
            }
        });
        let done = [first.await.unwrap(), second.await.unwrap()];
        let leads = t
            .store
            .members(&id)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.role == bmma_core::Role::TeamLead)
            .count();
        assert_eq!(leads, 1, "round {round} on {}: {done:?}", t.store.backend_name());
        assert_eq!(done.iter().filter(|d| **d).count(), 1, "round {round}: exactly one change went through");
    }
}

#[tokio::test]
async fn a_team_change_or_sharing_read_before_another_change_is_refused() {
    let t = bmma_store::testing::fresh().await;
    let ada = crate::accounts::user(&t.store, "ada@example.org").await;
    let bob = crate::accounts::user(&t.store, "bob@example.org").await;
    crate::assessment_led_by(&t.store, "a1", &ada).await;
    let read = t.store.get_assessment("a1").await.unwrap().unwrap();

    // Someone invites Bob's colleague; a form read before that cannot add Bob.
    t.store
        .invite("a1", "carla@example.org", Role::Expert, Some(read.members_version), &ada.actor())
        .await
        .unwrap();
    let stale = t.store.set_member("a1", &bob, Role::Expert, Some(read.members_version), &ada.actor()).await;
    assert!(matches!(stale, Err(bmma_store::StoreError::Conflict)), "{stale:?}");
    assert!(t.store.role_in("a1", &bob.id).await.unwrap().is_none());
    assert!(
        !t.store
            .end_invitation("a1", "carla@example.org", Some(read.members_version), &ada.actor())
            .await
            .unwrap()
    );
    assert_eq!(t.store.invitations("a1").await.unwrap().len(), 1, "the stale form withdrew nothing");
    let now = t.store.get_assessment("a1").await.unwrap().unwrap();
    assert_eq!(now.members_version, read.members_version + 1);
    t.store.set_member("a1", &bob, Role::Expert, Some(now.members_version), &ada.actor()).await.unwrap();

    // Sharing over an old version of the assessment is refused and changes nothing.
    let shared = Sharing { with_donors: true, for_validation: true };
    assert!(t.store.set_sharing(&now, shared, &ada.actor()).await.unwrap());
    assert!(!t.store.set_sharing(&now, Sharing::default(), &ada.actor()).await.unwrap());
    assert_eq!(t.store.get_assessment("a1").await.unwrap().unwrap().sharing, shared);
}
