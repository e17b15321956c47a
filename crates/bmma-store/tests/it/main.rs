//! Store tests. Every test runs on SQLite by default and on PostgreSQL when
//! BMMA_TEST_DATABASE_URL names one; see `bmma_store::testing`.

mod accounts;
mod assessments;
mod audit;
mod backup;
mod evidence;
mod frameworks;
mod layers;
mod migrations;
mod scoring;
mod urls;

/// Stores a stand-in framework text for tests that need an assessment's framework to exist.
pub async fn with_tiny_framework(store: &bmma_store::Store) -> bmma_core::FrameworkRef {
    let reference = bmma_core::FrameworkRef { id: "tiny".into(), version: "0.1".into() };
    store
        .save_framework(
            &reference,
            "Tiny",
            "format: bmma-framework/1\n",
            false,
            &bmma_store::Actor::system("test"),
        )
        .await
        .unwrap();
    reference
}

/// Opens the assessment `id` on the stand-in framework, led by `lead`.
pub async fn assessment_led_by(store: &bmma_store::Store, id: &str, lead: &bmma_store::User) {
    let framework = with_tiny_framework(store).await;
    let mut record = assessments::record(id, &framework, "T");
    record.team_lead = Some(lead.id.clone());
    store.create_assessment(&record, &lead.actor()).await.unwrap();
}
