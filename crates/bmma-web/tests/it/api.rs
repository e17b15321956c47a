//! The JSON API through the real router.

use axum::http::{StatusCode, header};
use serde_json::json;

use crate::app;

#[tokio::test]
async fn health_reports_the_database_reachable() {
    let app = app().await;
    let reply = app.get("/health").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["database"], "reachable");
}

#[tokio::test]
async fn the_framework_list_shows_the_builtin_framework_with_its_size() {
    let app = app().await;
    let reply = app.get("/api/v1/frameworks").await;
    assert_eq!(reply.status, StatusCode::OK);
    let list = reply.json();
    let versions: Vec<&str> =
        list["frameworks"].as_array().unwrap().iter().map(|f| f["version"].as_str().unwrap()).collect();
    assert_eq!(versions, ["1.0", "2.0"], "both versions stay installed");
    let bmm = &list["frameworks"][1];
    assert_eq!(bmm["id"], "bmm");
    assert_eq!(bmm["components"], 4);
    assert_eq!(bmm["elements"], 29);
    assert_eq!(bmm["builtin"], true);
    let builtin = &bmma_catalog::builtin().unwrap()[1];
    assert_eq!(bmm["indicators"].as_u64(), Some(builtin.indicators().count() as u64));
}

#[tokio::test]
async fn a_framework_comes_whole_by_id_and_by_id_and_version() {
    let app = app().await;
    let newest = app.get("/api/v1/frameworks/bmm").await;
    assert_eq!(newest.status, StatusCode::OK);
    assert_eq!(newest.header(header::CONTENT_TYPE), "application/json");
    let pinned = app.get("/api/v1/frameworks/bmm/2.0").await;
    assert_eq!(newest.body, pinned.body);
    let framework = pinned.json();
    let first = &framework["components"][0]["elements"][0]["indicators"][0];
    assert_eq!(first["code"], "ADM.1.1");
    assert_eq!(first["levels"].as_array().unwrap().len(), 5);
    assert!(!first["evidence"]["does_not_count"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn an_imported_framework_is_served_as_json() {
    let app = app().await;
    let text = bmma_catalog::MINIMAL_EXAMPLE;
    let framework = bmma_catalog::load_str("minimal.yaml", text).unwrap();
    let store = &app.store;
    let actor = bmma_store::Actor::system("test");
    store.save_framework(&framework.reference(), &framework.name, text, false, &actor).await.unwrap();
    let reply = app.get("/api/v1/frameworks/minimal/0.1").await;
    assert_eq!(reply.status, StatusCode::OK);
    insta::assert_json_snapshot!(reply.json(), { ".imported_at" => "[time]" });
}

#[tokio::test]
async fn an_unknown_framework_is_a_json_404() {
    let app = app().await;
    for uri in ["/api/v1/frameworks/bmm/9.9", "/api/v1/frameworks/nothing", "/api/v1/nothing"] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(reply.json()["error"]["status"], 404, "{uri}");
    }
}

fn valid() -> serde_json::Value {
    json!({
        "country": "KE",
        "framework": "bmm@1.0",
        "title": "Assessment of Kenya",
        "requesting_body": "Department of Immigration Services",
    })
}

#[tokio::test]
async fn an_assessment_created_through_the_api_can_be_read_back_and_is_listed() {
    let app = app().await;
    let created = app.post_json("/api/v1/assessments", &valid().to_string()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let body = created.json();
    let location = created.header(header::LOCATION).to_string();
    assert_eq!(location, format!("/api/v1/assessments/{}", body["id"].as_str().unwrap()));
    assert_eq!(body["status"], "requested");
    assert_eq!(body["country_name"], "Kenya");
    assert_eq!(body["scope"], serde_json::Value::Null);

    let read = app.get(&location).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json(), body);
    let list = app.get("/api/v1/assessments").await.json();
    assert_eq!(list["assessments"][0]["id"], body["id"]);
}

#[tokio::test]
async fn a_framework_named_without_version_takes_the_newest() {
    let app = app().await;
    let mut request = valid();
    request["framework"] = json!("bmm");
    let created = app.post_json("/api/v1/assessments", &request.to_string()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["framework"], json!({ "id": "bmm", "version": "2.0" }));
}

#[tokio::test]
async fn a_partial_scope_is_kept_and_checked_against_the_framework() {
    let app = app().await;
    let mut request = valid();
    request["scope"] = json!(["ADM", "OPS.2", "INF.3.1"]);
    let created = app.post_json("/api/v1/assessments", &request.to_string()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["scope"], json!(["ADM", "OPS.2", "INF.3.1"]));

    request["scope"] = json!(["ADM", "XYZ.9"]);
    let refused = app.post_json("/api/v1/assessments", &request.to_string()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let field = &refused.json()["error"]["fields"][0];
    assert_eq!(field["field"], "scope");
    assert_eq!(field["code"], "unknown-code");
    assert!(field["message"].as_str().unwrap().contains("XYZ.9"));
}

#[tokio::test]
async fn missing_fields_are_all_named_and_nothing_is_stored() {
    let app = app().await;
    let reply = app.post_json("/api/v1/assessments", "{}").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = reply.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["country", "framework", "title", "requesting_body"]);
    assert_eq!(app.get("/api/v1/assessments").await.json()["assessments"], json!([]));
}

#[tokio::test]
async fn bad_json_gets_a_4xx_with_a_json_error_and_nothing_is_stored() {
    let app = app().await;
    let cases = [
        ("{\"country\": ", StatusCode::BAD_REQUEST),
        ("[1, 2]", StatusCode::UNPROCESSABLE_ENTITY),
        ("{\"title\": 42}", StatusCode::UNPROCESSABLE_ENTITY),
        ("{\"colour\": \"red\"}", StatusCode::UNPROCESSABLE_ENTITY),
    ];
    for (body, expected) in cases {
        let reply = app.post_json("/api/v1/assessments", body).await;
        assert_eq!(reply.status, expected, "{body}");
        let message = reply.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(!message.is_empty(), "{body}");
    }
    let unknown = app.post_json("/api/v1/assessments", "{\"colour\": \"red\"}").await;
    assert!(unknown.json()["error"]["message"].as_str().unwrap().contains("colour"));
    assert_eq!(app.get("/api/v1/assessments").await.json()["assessments"], json!([]));
}

#[tokio::test]
async fn a_body_that_is_not_json_is_refused() {
    let app = app().await;
    let reply = app
        .send(
            axum::http::Request::post("/api/v1/assessments")
                .header(header::AUTHORIZATION, format!("Bearer {}", app.admin.bearer))
                .header(header::CONTENT_TYPE, "text/plain")
                .body(axum::body::Body::from("country=KE"))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(reply.json()["error"]["message"].as_str().is_some());
}

#[tokio::test]
async fn an_unknown_country_or_framework_is_named() {
    let app = app().await;
    let mut request = valid();
    request["country"] = json!("QQ");
    request["framework"] = json!("bmm@7");
    let reply = app.post_json("/api/v1/assessments", &request.to_string()).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = reply.json()["error"]["fields"].clone();
    assert_eq!(fields[0]["field"], "country");
    assert_eq!(fields[0]["value"], "QQ");
    assert_eq!(fields[1]["field"], "framework");
    assert_eq!(fields[1]["value"], "bmm@7");

    for typed in ["@1", "nothing"] {
        request["framework"] = json!(typed);
        let reply = app.post_json("/api/v1/assessments", &request.to_string()).await;
        assert_eq!(reply.json()["error"]["fields"][1]["value"], typed);
    }
}

#[tokio::test]
async fn api_errors_follow_the_requested_language() {
    let app = app().await;
    let reply = app
        .send(
            axum::http::Request::post("/api/v1/assessments")
                .header(header::AUTHORIZATION, format!("Bearer {}", app.admin.bearer))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT_LANGUAGE, "fr-FR,fr;q=0.9,en;q=0.5")
                .body(axum::body::Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.json()["error"]["fields"][0]["message"], "Ce champ est obligatoire.");
}

#[tokio::test]
async fn an_unknown_assessment_is_a_json_404() {
    let app = app().await;
    let reply = app.get("/api/v1/assessments/00000000-0000-0000-0000-000000000000").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.json()["error"]["status"], 404);
}
