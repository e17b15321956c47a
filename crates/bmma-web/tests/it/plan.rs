//! The method and timeline: the 12-week default offered, milestones kept inside the
//! assessment's dates, and saves over the version read.

use axum::http::StatusCode;
use serde_json::json;

use crate::{Caller, TestApp, app};

async fn open(app: &TestApp, lead: &Caller) -> String {
    let body = json!({ "country": "KE", "framework": "bmm", "title": "Planned", "requesting_body": "Ministry", "scope": ["ADM.1", "OPS"] });
    app.post_json_as(lead, "/api/v1/assessments", &body.to_string()).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn version(app: &TestApp, id: &str) -> String {
    app.store.get_assessment(id).await.unwrap().unwrap().version.to_string()
}

#[tokio::test]
async fn a_new_plan_offers_the_twelve_week_default_and_is_saved_as_typed() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let id = open(&app, &lead).await;
    let form = app.get_as(&lead, &format!("/assessments/{id}/plan")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"Scope and method agreed with the government\""));
    assert!(form.body.contains("value=\"Final report delivered\""));
    assert!(form.body.contains("value=\"ADM.1|desk-review\""), "methods for elements in scope");
    assert!(!form.body.contains("value=\"ADM.2|desk-review\""), "none for elements out of scope");

    let v = version(&app, &id).await;
    let saved = app
        .post_form_as(
            &lead,
            &format!("/assessments/{id}/plan"),
            &[
                ("version", &v),
                ("start", "2027-01-04"),
                ("end", "2027-03-29"),
                ("evidence_cutoff", "2027-02-26"),
                ("counterparts", "Director of Border Police\n\nHead of Immigration Service\n"),
                ("method", "ADM.1|desk-review"),
                ("method", "ADM.1|interviews"),
                ("method", "OPS.2|site-visits"),
                ("milestone_name", "Scope agreed"),
                ("milestone_due", "2027-01-18"),
                ("milestone_name", "Field visits"),
                ("milestone_due", "2027-03-01"),
                ("milestone_name", ""),
                ("milestone_due", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let plan = app.store.plan(&id).await.unwrap();
    assert_eq!(plan.counterparts, ["Director of Border Police", "Head of Immigration Service"]);
    assert_eq!(plan.milestones.len(), 2);
    assert_eq!(plan.methods["ADM.1"].len(), 2);
    assert_eq!(plan.evidence_cutoff.unwrap().to_string(), "2027-02-26");
    let page = app.get_as(&lead, &format!("/assessments/{id}")).await;
    assert!(page.body.contains("From 2027-01-04 to 2027-03-29."), "the assessment page shows the timeline");
}

#[tokio::test]
async fn a_milestone_after_the_end_is_named_and_nothing_is_saved() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let id = open(&app, &lead).await;
    let v = version(&app, &id).await;
    let uri = format!("/assessments/{id}/plan");
    let late = app
        .post_form_as(
            &lead,
            &uri,
            &[
                ("version", &v),
                ("start", "2027-01-04"),
                ("end", "2027-03-29"),
                ("milestone_name", "Final report"),
                ("milestone_due", "2027-05-03"),
            ],
        )
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.body.contains("id=\"milestones-error\""));
    assert!(late.body.contains("Final report"), "{}", late.body);
    assert!(late.body.contains("falls after the assessment"), "{}", late.body);
    assert!(late.body.contains("value=\"2027-05-03\""), "what was typed is kept");
    let backwards = app
        .post_form_as(&lead, &uri, &[("version", &v), ("start", "2027-03-01"), ("end", "2027-01-01")])
        .await;
    assert!(backwards.body.contains("id=\"end-error\""));
    let garbled = app.post_form_as(&lead, &uri, &[("version", &v), ("start", "next Monday")]).await;
    assert!(garbled.body.contains("is not a date"));
    assert_eq!(app.store.plan(&id).await.unwrap(), bmma_core::plan::Plan::default());
    assert_eq!(version(&app, &id).await, v);
}

#[tokio::test]
async fn only_the_lead_plans_and_an_old_form_does_not_overwrite() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let expert = app.user("expert@example.org").await;
    let id = open(&app, &lead).await;
    app.add_member(&lead, &id, "expert@example.org", "expert").await;
    assert_eq!(app.get_as(&expert, &format!("/assessments/{id}/plan")).await.status, StatusCode::FORBIDDEN);
    let v = version(&app, &id).await;
    let uri = format!("/assessments/{id}/plan");
    let first = app.post_form_as(&lead, &uri, &[("version", &v), ("start", "2027-01-04")]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let second = app.post_form_as(&lead, &uri, &[("version", &v), ("start", "2027-02-01")]).await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert_eq!(app.store.plan(&id).await.unwrap().start.unwrap().to_string(), "2027-01-04");
}
