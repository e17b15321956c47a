//! Moving an assessment along its life cycle: allowed steps only, by the team lead, and
//! never over someone else's change.

use axum::http::{StatusCode, header};
use serde_json::json;

use crate::{Caller, TestApp, app};

async fn open(app: &TestApp, lead: &Caller) -> String {
    let body =
        json!({ "country": "KE", "framework": "bmm", "title": "Life cycle", "requesting_body": "Ministry" });
    app.post_json_as(lead, "/api/v1/assessments", &body.to_string()).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn status_of(app: &TestApp, id: &str) -> (String, i64) {
    let a = app.store.get_assessment(id).await.unwrap().unwrap();
    (a.status.as_str().to_string(), a.version)
}

#[tokio::test]
async fn the_team_lead_moves_the_assessment_one_step_at_a_time_from_the_page() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let id = open(&app, &lead).await;
    let page = app.get_as(&lead, &format!("/assessments/{id}")).await;
    assert!(page.body.contains("data-to=\"scoping\""), "a button to move on");
    assert!(!page.body.contains("data-to=\"fieldwork\""), "no button to skip a step");

    let moved = app
        .post_form_as(&lead, &format!("/assessments/{id}/status"), &[("to", "scoping"), ("version", "1")])
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    assert_eq!(moved.header(header::LOCATION), format!("/assessments/{id}"));
    let page = app.get_as(&lead, &format!("/assessments/{id}")).await;
    assert!(page.body.contains("moved by Name of lead@example.org"), "the page says who moved it");
    assert!(page.body.contains("data-to=\"fieldwork\"") && page.body.contains("data-to=\"requested\""));
    assert_eq!(status_of(&app, &id).await, ("scoping".to_string(), 2));
}

#[tokio::test]
async fn a_step_that_skips_or_goes_back_from_final_is_refused() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let id = open(&app, &lead).await;
    let skip = app
        .post_form_as(&lead, &format!("/assessments/{id}/status"), &[("to", "fieldwork"), ("version", "1")])
        .await;
    assert_eq!(skip.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(skip.body.contains("An assessment cannot move from Requested to Fieldwork."), "{}", skip.body);
    assert_eq!(status_of(&app, &id).await, ("requested".to_string(), 1));

    let uri = format!("/api/v1/assessments/{id}/status");
    for (n, to) in ["scoping", "fieldwork", "validation", "final"].iter().enumerate() {
        let body = json!({ "to": to, "version": n + 1 }).to_string();
        assert_eq!(app.post_json_as(&lead, &uri, &body).await.status, StatusCode::OK, "{to}");
    }
    let back = app.post_json_as(&lead, &uri, &json!({ "to": "validation", "version": 5 }).to_string()).await;
    assert_eq!(back.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(back.json()["error"]["fields"][0]["field"], "to");
    let history = app.store.status_changes(&id).await.unwrap();
    assert_eq!(history.len(), 4);
}

#[tokio::test]
async fn a_move_over_someone_elses_change_is_refused_with_who_and_when() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let id = open(&app, &lead).await;
    // Both read version 1; the administrator moves first.
    let uri = format!("/api/v1/assessments/{id}/status");
    let first = app.post_json(&uri, &json!({ "to": "scoping", "version": 1 }).to_string()).await;
    assert_eq!(first.status, StatusCode::OK);
    let second = app
        .post_form_as(&lead, &format!("/assessments/{id}/status"), &[("to", "scoping"), ("version", "1")])
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(
        second.body.contains("This assessment was changed by Name of admin@example.org at "),
        "{}",
        second.body
    );
    assert!(second.body.contains("Review it and save again."));
    let api = app.post_json_as(&lead, &uri, &json!({ "to": "fieldwork", "version": 1 }).to_string()).await;
    assert_eq!(api.status, StatusCode::CONFLICT);
    assert!(api.json()["error"]["message"].as_str().unwrap().contains("admin@example.org"));
    assert_eq!(status_of(&app, &id).await, ("scoping".to_string(), 2), "nothing else was written");
}

#[tokio::test]
async fn only_the_team_lead_moves_the_assessment() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let expert = app.user("expert@example.org").await;
    let id = open(&app, &lead).await;
    app.add_member(&lead, &id, "expert@example.org", "expert").await;
    let page = app.get_as(&expert, &format!("/assessments/{id}")).await;
    assert!(!page.body.contains("data-to="), "no buttons for an expert");
    let refused = app
        .post_form_as(&expert, &format!("/assessments/{id}/status"), &[("to", "scoping"), ("version", "1")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let api = app
        .post_json_as(
            &expert,
            &format!("/api/v1/assessments/{id}/status"),
            &json!({ "to": "scoping", "version": 1 }).to_string(),
        )
        .await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, &id).await, ("requested".to_string(), 1));
}

#[tokio::test]
async fn a_malformed_move_is_named() {
    let app = app().await;
    let id = open(&app, &app.admin).await;
    let uri = format!("/api/v1/assessments/{id}/status");
    let unknown = app.post_json(&uri, &json!({ "to": "closed", "version": 1 }).to_string()).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.json()["error"]["fields"][0]["message"], "\"closed\" is not a status.");
    let broken = app.post_json(&uri, "{\"to\": ").await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    let wrong_type = app.post_json(&uri, &json!({ "to": "scoping", "version": "one" }).to_string()).await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status_of(&app, &id).await, ("requested".to_string(), 1));
}

#[tokio::test]
async fn the_api_takes_no_form_token_and_names_the_field_it_refuses() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let id = open(&app, &lead).await;
    let uri = format!("/api/v1/assessments/{id}/status");
    let body = json!({ "to": "scoping", "version": 1, "csrf": "anything" });
    let refused = app.post_json_as(&lead, &uri, &body.to_string()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.json()["error"]["message"].as_str().unwrap().contains("csrf"), "{}", refused.body);
    assert_eq!(status_of(&app, &id).await, ("requested".to_string(), 1), "nothing moved");
}
