//! Border sites and visits: recorded by the team, linked to the indicators they observed.

use axum::http::StatusCode;
use serde_json::json;

use crate::{Caller, TestApp, app};

async fn open(app: &TestApp, lead: &Caller, scope: serde_json::Value) -> String {
    let body = json!({ "country": "KE", "framework": "bmm", "title": "Field", "requesting_body": "Ministry", "scope": scope });
    app.post_json_as(lead, "/api/v1/assessments", &body.to_string()).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_site_and_a_visit_are_recorded_and_the_visit_shows_on_its_indicators() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let id = open(&app, &lead, serde_json::Value::Null).await;
    let site = app
        .post_form_as(
            &lead,
            &format!("/assessments/{id}/sites"),
            &[
                ("name", "Namanga one-stop border post"),
                ("kind", "land"),
                ("latitude", "-2.5453"),
                ("longitude", "36.7906"),
                ("agencies", "Immigration, Customs, Port health"),
                ("travellers_per_year", "1,250,000"),
            ],
        )
        .await;
    assert_eq!(site.status, StatusCode::SEE_OTHER, "{}", site.body);
    let sites = app.store.sites("KE").await.unwrap();
    assert_eq!(sites.len(), 1);
    assert_eq!(
        (sites[0].site.latitude_e6, sites[0].site.travellers_per_year),
        (Some(-2_545_300), Some(1_250_000))
    );
    assert_eq!(sites[0].site.agencies, ["Immigration", "Customs", "Port health"]);

    let visit = app
        .post_form_as(
            &lead,
            &format!("/assessments/{id}/visits"),
            &[
                ("site", &sites[0].id),
                ("date", "2027-02-10"),
                ("member", &lead.user.id),
                ("observed", "OPS.2.1"),
                ("observed", "INF.2.3"),
                ("notes", "Document readers at 4 of 6 desks; no SLTD check at the truck lane"),
            ],
        )
        .await;
    assert_eq!(visit.status, StatusCode::SEE_OTHER, "{}", visit.body);
    let page = app.get_as(&lead, &format!("/assessments/{id}/fieldwork")).await;
    assert!(page.body.contains("Namanga one-stop border post") && page.body.contains("-2.545300, 36.790600"));
    assert!(page.body.contains("no SLTD check at the truck lane"));
    let indicator = app.get_as(&lead, &format!("/assessments/{id}/indicators/INF.2.3")).await;
    assert!(indicator.body.contains("id=\"observed-at\""), "the visit is evidence for the indicator");
    assert!(indicator.body.contains("Namanga one-stop border post</strong>, 2027-02-10"));
    let api = app.get_as(&lead, &format!("/api/v1/assessments/{id}/fieldwork")).await.json();
    assert_eq!(api["visits"][0]["date"], "2027-02-10");
    assert_eq!(api["visits"][0]["observed"], json!(["OPS.2.1", "INF.2.3"]));
    assert_eq!(api["sites"][0]["kind"], "land");
}

#[tokio::test]
async fn bad_sites_and_visits_are_refused_by_field_and_nothing_is_written() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let id = open(&app, &lead, json!(["OPS"])).await;
    let site = app
        .post_form_as(
            &lead,
            &format!("/assessments/{id}/sites"),
            &[("name", " "), ("kind", "land"), ("latitude", "95.5")],
        )
        .await;
    assert_eq!(site.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(site.body.contains("id=\"latitude-error\"") && site.body.contains("95.5"));
    assert!(site.body.contains("This field is required."));
    assert!(app.store.sites("KE").await.unwrap().is_empty());
    let words = app
        .post_form_as(
            &lead,
            &format!("/assessments/{id}/sites"),
            &[("name", "Port"), ("kind", "sea"), ("travellers_per_year", "about 2000")],
        )
        .await;
    assert_eq!(words.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(words.body.contains("is not a number"), "{}", words.body);
    assert!(!words.body.contains("zero or more"), "a word is not called negative");
    assert!(app.store.sites("KE").await.unwrap().is_empty());

    app.post_form_as(&lead, &format!("/assessments/{id}/sites"), &[("name", "Airport"), ("kind", "air")])
        .await;
    let site_id = app.store.sites("KE").await.unwrap()[0].id.clone();
    let visit = app
        .post_form_as(
            &lead,
            &format!("/assessments/{id}/visits"),
            &[("site", &site_id), ("date", "10/02/2027"), ("observed", "ADM.1.1")],
        )
        .await;
    assert_eq!(visit.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(visit.body.contains("id=\"date-error\""));
    assert!(visit.body.contains("id=\"member-error\""));
    assert!(visit.body.contains("ADM.1.1 is outside the assessment"));
    assert!(app.store.visits(&id).await.unwrap().is_empty());

    // A code the framework does not have is named as such, even when the scope is everything.
    let whole = open(&app, &lead, serde_json::Value::Null).await;
    let unknown = app
        .post_form_as(
            &lead,
            &format!("/assessments/{whole}/visits"),
            &[("site", &site_id), ("date", "2027-02-10"), ("member", &lead.user.id), ("observed", "ZZZ.9.9")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("ZZZ.9.9"), "{}", unknown.body);
    assert!(app.store.visits(&whole).await.unwrap().is_empty());
}

#[tokio::test]
async fn observers_read_fieldwork_but_record_nothing() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let observer = app.user("observer@example.org").await;
    let id = open(&app, &lead, serde_json::Value::Null).await;
    app.add_member(&lead, &id, "observer@example.org", "observer").await;
    let page = app.get_as(&observer, &format!("/assessments/{id}/fieldwork")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("action=\"/assessments/"), "no forms for an observer");
    let refused = app
        .post_form_as(&observer, &format!("/assessments/{id}/sites"), &[("name", "X"), ("kind", "sea")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(app.store.sites("KE").await.unwrap().is_empty());
}

#[tokio::test]
async fn visit_notes_stay_with_the_team_while_observers_and_the_government_see_the_visit() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let observer = app.user("observer@example.org").await;
    let official = app.user("official@example.org").await;
    let id = open(&app, &lead, serde_json::Value::Null).await;
    for (email, role) in
        [("observer@example.org", "observer"), ("official@example.org", "government-focal-point")]
    {
        app.add_member(&lead, &id, email, role).await;
    }
    app.post_form_as(&lead, &format!("/assessments/{id}/sharing"), &[("for_validation", "yes")]).await;
    app.post_form_as(
        &lead,
        &format!("/assessments/{id}/sites"),
        &[("name", "Lunga airport"), ("kind", "air")],
    )
    .await;
    let site_id = app.store.sites("KE").await.unwrap()[0].id.clone();
    let notes = "The shift supervisor said the watch list was last updated in March";
    let visit = app
        .post_form_as(
            &lead,
            &format!("/assessments/{id}/visits"),
            &[
                ("site", &site_id),
                ("date", "2027-03-02"),
                ("member", &lead.user.id),
                ("observed", "INF.2.3"),
                ("notes", notes),
            ],
        )
        .await;
    assert_eq!(visit.status, StatusCode::SEE_OTHER, "{}", visit.body);

    let lead_page = app.get_as(&lead, &format!("/assessments/{id}/fieldwork")).await;
    assert!(lead_page.body.contains(notes), "the team reads its notes");
    for who in [&observer, &official] {
        let page = app.get_as(who, &format!("/assessments/{id}/fieldwork")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Lunga airport") && page.body.contains("2027-03-02"), "{}", page.body);
        assert!(page.body.contains("id=\"notes-withheld\""), "{}", page.body);
        assert!(!page.body.contains(notes), "{}", page.body);
        let api = app.get_as(who, &format!("/api/v1/assessments/{id}/fieldwork")).await;
        assert_eq!(api.json()["visits"][0]["date"], "2027-03-02");
        assert!(!api.body.contains(notes), "{}", api.body);
        let indicator = app.get_as(who, &format!("/assessments/{id}/indicators/INF.2.3")).await;
        assert!(indicator.body.contains("id=\"observed-at\""), "{}", indicator.body);
        assert!(!indicator.body.contains(notes), "{}", indicator.body);
    }
}

#[tokio::test]
async fn site_and_visit_texts_past_their_limits_are_refused_by_field() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let id = open(&app, &lead, serde_json::Value::Null).await;
    let long_name = "N".repeat(201);
    let site = app
        .post_form_as(&lead, &format!("/assessments/{id}/sites"), &[("name", &long_name), ("kind", "land")])
        .await;
    assert_eq!(site.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(site.body.contains("200"), "{}", site.body);
    let agencies = format!("Immigration, {}", "A".repeat(201));
    let site = app
        .post_form_as(
            &lead,
            &format!("/assessments/{id}/sites"),
            &[("name", "Port"), ("kind", "sea"), ("agencies", &agencies)],
        )
        .await;
    assert_eq!(site.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(site.body.contains("id=\"agencies-error\""), "{}", site.body);
    assert!(app.store.sites("KE").await.unwrap().is_empty());

    app.post_form_as(&lead, &format!("/assessments/{id}/sites"), &[("name", "Port"), ("kind", "sea")]).await;
    let site_id = app.store.sites("KE").await.unwrap()[0].id.clone();
    let notes = "n".repeat(bmma_core::NOTES_MAX_CHARS + 1);
    let visit = app
        .post_form_as(
            &lead,
            &format!("/assessments/{id}/visits"),
            &[("site", &site_id), ("date", "2027-02-10"), ("member", &lead.user.id), ("notes", &notes)],
        )
        .await;
    assert_eq!(visit.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(visit.body.contains("id=\"notes-error\""), "{}", visit.body);
    assert!(app.store.visits(&id).await.unwrap().is_empty());
}
