//! Migrations: in lock-step for both backends, idempotent, and safe against a newer schema.

use std::collections::BTreeSet;
use std::path::Path;

use bmma_core::records::Author;
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

/// What the release before the link tables wrote (migrations up to 0011): lists kept as JSON
/// text, including a repeated entry and entries naming records that do not exist or belong
/// elsewhere, and authors named by e-mail address or, for bmma itself, by a label.
const BEFORE_LINK_TABLES: &str = "
INSERT INTO users (id, email, name, password_hash, is_admin, created_at, password_changed_at) VALUES
    ('u1', 'lead@example.org', 'Lead', 'x', FALSE, '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z'),
    ('u2', 'expert@example.org', 'Expert', 'x', FALSE, '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z');
INSERT INTO frameworks (id, version, name, source, builtin, imported_at) VALUES
    ('tiny', '0.1', 'Tiny', 'format: bmma-framework/1', FALSE, '2026-01-05T09:00:00Z');
INSERT INTO assessments (id, country, framework_id, framework_version, title, requesting_body, status, scope, created_at, updated_at, version) VALUES
    ('a1', 'MD', 'tiny', '0.1', 'One', 'Ministry', 'fieldwork', NULL, '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z', 1),
    ('a2', 'MD', 'tiny', '0.1', 'Two', 'Ministry', 'fieldwork', NULL, '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z', 1);
UPDATE assessments SET updated_by = 'expert@example.org' WHERE id = 'a1';
UPDATE assessments SET updated_by = 'bmma demo' WHERE id = 'a2';
INSERT INTO status_changes (assessment_id, from_status, to_status, changed_by, changed_at) VALUES
    ('a1', 'requested', 'fieldwork', 'lead@example.org', '2026-01-05T10:00:00Z');
INSERT INTO evidence (id, assessment_id, kind, title, indicators, created_by, created_at, updated_by, updated_at, version, notes, search_text) VALUES
    ('e1', 'a1', 'document', 'Border Police Act', '[\"A.1.2\",\"A.1.1\",\"A.1.2\"]', 'lead@example.org', '2026-01-06T09:00:00Z', 'lead@example.org', '2026-01-06T09:00:00Z', 1, '', 'border police act'),
    ('e2', 'a1', 'interview', 'Chief of post', '[]', 'lead@example.org', '2026-01-07T09:00:00Z', 'lead@example.org', '2026-01-07T09:00:00Z', 1, '', 'chief of post'),
    ('e9', 'a2', 'document', 'Elsewhere', '[\"A.1.1\"]', 'lead@example.org', '2026-01-07T09:00:00Z', 'lead@example.org', '2026-01-07T09:00:00Z', 1, '', 'elsewhere');
INSERT INTO ratings (assessment_id, indicator_code, user_id, state, level, justification, updated_at, version, evidence) VALUES
    ('a1', 'A.1.1', 'u2', 'level', 2, 'Seen at the post.', '2026-01-08T09:00:00Z', 3, '[\"e2\",\"e1\",\"gone\",\"e9\"]'),
    ('a1', 'A.1.2', 'u2', 'not-assessed', NULL, '', '2026-01-08T09:00:00Z', 1, '[]');
INSERT INTO agreed_scores (assessment_id, indicator_code, state, level, narrative, agreed_by, updated_at, version, evidence) VALUES
    ('a1', 'A.1.1', 'level', 2, 'Agreed.', 'lead@example.org', '2026-01-09T09:00:00Z', 1, '[\"e1\"]');
INSERT INTO sites (id, country, name, kind, latitude_e6, longitude_e6, agencies, travellers_per_year, created_at) VALUES
    ('s1', 'MD', 'Leuseni', 'land', NULL, NULL, '[\"Border Police\"]', 1000, '2026-01-05T09:00:00Z');
INSERT INTO visits (id, assessment_id, site_id, visit_date, members, observed, notes, created_by, created_at) VALUES
    ('v1', 'a1', 's1', '2026-01-10', '[\"u2\",\"u1\",\"nobody\"]', '[\"A.1.1\",\"A.1.2\"]', 'Queue at dawn.', 'lead@example.org', '2026-01-10T18:00:00Z');
";

#[tokio::test]
async fn the_last_releases_lists_move_into_link_tables_and_its_authors_become_accounts() {
    let t = harness::fresh_unmigrated().await;
    harness::migrate_through(&t.store, 11).await;
    harness::raw_execute(&t.url, BEFORE_LINK_TABLES).await;
    assert_eq!(t.store.migrate().await.unwrap(), vec!["0012_links", "0013_actors_by_id"]);

    // Each list keeps its order; a repeated entry is kept once, at its first place.
    let item = t.store.evidence_item("a1", "e1").await.unwrap().unwrap();
    assert_eq!(item.indicators, ["A.1.2", "A.1.1"]);
    let register = t.store.evidence("a1").await.unwrap();
    let lists: Vec<(&str, Vec<String>)> =
        register.iter().map(|item| (item.id.as_str(), item.indicators.clone())).collect();
    assert_eq!(lists, [("e2", vec![]), ("e1", vec!["A.1.2".to_string(), "A.1.1".to_string()])]);

    // A citation of evidence that does not exist, or of another assessment's, is not carried.
    let ratings = t.store.ratings("a1").await.unwrap();
    assert_eq!(ratings[0].evidence, ["e2", "e1"]);
    assert_eq!((ratings[0].version, ratings[0].justification.as_str()), (3, "Seen at the post."));
    assert!(ratings[1].evidence.is_empty());
    let agreed = t.store.agreed_scores("a1").await.unwrap();
    assert_eq!(agreed[0].evidence, ["e1"]);

    // A visit keeps the people who exist, and what they observed.
    let visits = t.store.visits("a1").await.unwrap();
    assert_eq!(visits[0].members, ["u2", "u1"]);
    assert_eq!(visits[0].observed, ["A.1.1", "A.1.2"]);
    assert_eq!(visits[0].notes, "Queue at dawn.");

    // Authors are accounts, shown by name; a label of bmma itself stays bmma.
    let account = |id: &str, name: &str| Author { user_id: Some(id.into()), name: name.into() };
    assert_eq!(item.created_by, account("u1", "Lead"));
    assert_eq!(item.updated_by, account("u1", "Lead"));
    assert_eq!(agreed[0].agreed_by, account("u1", "Lead"));
    assert_eq!(visits[0].created_by, account("u1", "Lead"));
    assert_eq!(t.store.status_changes("a1").await.unwrap()[0].changed_by, account("u1", "Lead"));
    assert_eq!(t.store.get_assessment("a1").await.unwrap().unwrap().updated_by, account("u2", "Expert"));
    let by_bmma = t.store.get_assessment("a2").await.unwrap().unwrap().updated_by;
    assert_eq!(by_bmma, Author { user_id: None, name: "bmma".into() });
}

fn agreed_citing(evidence: &[String]) -> bmma_store::ScoreSave<'_> {
    bmma_store::ScoreSave {
        assessment_id: "a1",
        indicator: "A.1.1",
        rating: bmma_core::Rating::Level(3),
        text: "Agreed again.",
        evidence,
        expected_version: 1,
    }
}

#[tokio::test]
async fn the_database_refuses_a_citation_of_another_assessments_evidence() {
    let t = harness::fresh_unmigrated().await;
    harness::migrate_through(&t.store, 11).await;
    harness::raw_execute(&t.url, BEFORE_LINK_TABLES).await;
    t.store.migrate().await.unwrap();
    let lead = bmma_store::Actor::user("u1", "lead@example.org");
    let elsewhere = ["e9".to_string()];
    assert!(t.store.save_agreed(&agreed_citing(&elsewhere), &lead).await.is_err(), "e9 belongs to a2");
    let agreed = t.store.agreed_scores("a1").await.unwrap();
    assert_eq!(
        (agreed[0].version, agreed[0].evidence.as_slice()),
        (1, ["e1".to_string()].as_slice()),
        "nothing changed"
    );
    assert!(t.store.save_agreed(&agreed_citing(&["e2".to_string()]), &lead).await.unwrap());
    assert_eq!(t.store.agreed_scores("a1").await.unwrap()[0].evidence, ["e2"]);
}
