//! Independent scoring: two experts rate alone, the lead sees the disagreement and agrees a
//! score, and the element follows its framework's method.

use axum::http::StatusCode;
use serde_json::json;

use crate::{Caller, TestApp, app};

pub(crate) struct Team {
    pub app: TestApp,
    pub lead: Caller,
    pub ada: Caller,
    pub bob: Caller,
    pub id: String,
}

/// An assessment in fieldwork, with Ada and Bob assigned to ADM.1.
pub(crate) async fn team() -> Team {
    team_in(app().await).await
}

pub(crate) async fn team_in(app: TestApp) -> Team {
    let lead = app.user("lead@example.org").await;
    let ada = app.user("ada@example.org").await;
    let bob = app.user("bob@example.org").await;
    let body =
        json!({ "country": "KE", "framework": "bmm", "title": "Scored", "requesting_body": "Ministry" });
    let id = app.post_json_as(&lead, "/api/v1/assessments", &body.to_string()).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    for who in ["ada@example.org", "bob@example.org"] {
        app.add_member(&lead, &id, who, "expert").await;
    }
    for (n, to) in ["scoping", "fieldwork"].iter().enumerate() {
        let version = (n + 1).to_string();
        let moved = app
            .post_form_as(&lead, &format!("/assessments/{id}/status"), &[("to", to), ("version", &version)])
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    }
    let ada_cell = format!("ADM.1|{}", ada.user.id);
    let bob_cell = format!("ADM.1|{}", bob.user.id);
    let assigned = app
        .post_form_as(
            &lead,
            &format!("/assessments/{id}/assignments"),
            &[("assign", &ada_cell), ("assign", &bob_cell)],
        )
        .await;
    assert_eq!(assigned.status, StatusCode::SEE_OTHER, "{}", assigned.body);
    Team { app, lead, ada, bob, id }
}

fn rate(choice: &str, text: &str, version: &str) -> Vec<(&'static str, String)> {
    vec![("choice", choice.to_string()), ("text", text.to_string()), ("version", version.to_string())]
}

async fn post(t: &Team, who: &Caller, path: &str, form: Vec<(&'static str, String)>) -> crate::Reply {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    t.app.post_form_as(who, &format!("/assessments/{}/{path}", t.id), &pairs).await
}

#[tokio::test]
async fn two_experts_rate_alone_and_the_lead_agrees_a_score() {
    let t = team().await;
    let page = t.app.get_as(&t.ada, &format!("/assessments/{}/scores", t.id)).await;
    assert!(page.body.contains("id=\"my-work\""), "Ada sees her work");
    assert!(page.body.contains("4 indicators assigned to you are still unrated"), "{}", page.body);

    let saved =
        post(&t, &t.ada, "indicators/ADM.1.1/rating", rate("2", "Mandates in law for the police only", "0"))
            .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    // Bob has not rated yet: Ada's rating is hidden from him, in the page and the API.
    let hidden = t.app.get_as(&t.bob, &format!("/assessments/{}/indicators/ADM.1.1", t.id)).await;
    assert!(hidden.body.contains("id=\"ratings-hidden\""));
    assert!(!hidden.body.contains("Mandates in law for the police only"));
    let board = t.app.get_as(&t.bob, &format!("/api/v1/assessments/{}/scores", t.id)).await.json();
    let first =
        board["indicators"].as_array().unwrap().iter().find(|i| i["code"] == "ADM.1.1").unwrap().clone();
    assert_eq!(first["ratings"], serde_json::Value::Null);
    assert_eq!(first["rated_by"], 1);

    post(
        &t,
        &t.bob,
        "indicators/ADM.1.1/rating",
        rate("4", "All agencies mandated; rule applied at posts", "0"),
    )
    .await;
    let both = t.app.get_as(&t.bob, &format!("/assessments/{}/indicators/ADM.1.1", t.id)).await;
    assert!(both.body.contains("Mandates in law for the police only"), "Bob now sees Ada's rating");
    assert!(both.body.contains("id=\"disagreement\""), "two levels apart are flagged");

    let lead_view = t.app.get_as(&t.lead, &format!("/assessments/{}/scores", t.id)).await;
    assert!(lead_view.body.contains("<span class=\"flag\">1</span>"), "one disagreement waits");
    let agreed = post(
        &t,
        &t.lead,
        "indicators/ADM.1.1/agreed",
        rate("3", "Mandates set for all; application not shown", "0"),
    )
    .await;
    assert_eq!(agreed.status, StatusCode::SEE_OTHER, "{}", agreed.body);

    let board = t.app.get_as(&t.lead, &format!("/api/v1/assessments/{}/scores", t.id)).await.json();
    let element =
        board["elements"].as_array().unwrap().iter().find(|e| e["code"] == "ADM.1").unwrap().clone();
    assert_eq!(element["method"], "averaging");
    assert_eq!(element["agreed"], 1);
    assert_eq!(element["disagreements"], 0);
    assert_eq!(element["aggregate"]["score"], json!({ "kind": "level", "level": 3, "plus": false }));
    assert_eq!(element["aggregate"]["counted"], 1);

    // A second agreed score enters the element's average: 3 and 5 make 4.
    post(
        &t,
        &t.lead,
        "indicators/ADM.1.2/agreed",
        rate("5", "Chain of command documented and reviewed", "0"),
    )
    .await;
    let page = t.app.get_as(&t.lead, &format!("/assessments/{}/scores", t.id)).await;
    assert!(page.body.contains("<strong>4</strong>"), "the element averages 3 and 5 to 4");

    // The component averages the agreed scores of all its indicators, 3 and 5, by the table.
    let board = t.app.get_as(&t.lead, &format!("/api/v1/assessments/{}/scores", t.id)).await.json();
    let component =
        board["components"].as_array().unwrap().iter().find(|c| c["code"] == "ADM").unwrap().clone();
    assert_eq!(component["method"], "averaging");
    assert_eq!(component["aggregate"]["counted"], 2);
    assert_eq!(component["agreed"], 2);
    assert_eq!(component["aggregate"]["score"], json!({ "kind": "level", "level": 4, "plus": false }));
    let heading = page.body.split("id=\"component-ADM\"").nth(1).unwrap().split("</div>").next().unwrap();
    assert!(heading.contains("<strong>4</strong>") && heading.contains("of 2 agreed scores"), "{heading}");
}

#[tokio::test]
async fn ratings_that_break_the_rules_are_refused_by_name_and_nothing_is_written() {
    let t = team().await;
    let cases = [
        ("indicators/ADM.1.1/rating", rate("9", "x", "0"), "level"),
        ("indicators/ADM.1.1/rating", rate("3", "  ", "0"), "justification-error"),
        ("indicators/ADM.2.1/rating", rate("3", "Not my element", "0"), "is not assigned to you"),
        ("indicators/ADM.1.1/rating", rate("maybe", "x", "0"), "is not a status"),
    ];
    for (path, form, expected) in cases {
        let reply = post(&t, &t.ada, path, form).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(reply.body.contains(expected), "{path}: expected {expected}");
    }
    let missing = post(&t, &t.ada, "indicators/XYZ.9.9/rating", rate("3", "x", "0")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(t.app.store.ratings(&t.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn outside_fieldwork_or_scope_nothing_can_be_rated() {
    let app = app().await;
    let body = json!({ "country": "KE", "framework": "bmm", "title": "Early", "requesting_body": "M", "scope": ["INF"] });
    let id = app.post_json("/api/v1/assessments", &body.to_string()).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let early = app
        .post_form(
            &format!("/assessments/{id}/indicators/INF.1.1/agreed"),
            &[("choice", "3"), ("text", "Too early"), ("version", "0")],
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        early.body.contains(
            "Ratings are recorded during fieldwork and validation; this assessment is in Requested."
        )
    );
    for (n, to) in ["scoping", "fieldwork"].iter().enumerate() {
        app.post_json(
            &format!("/api/v1/assessments/{id}/status"),
            &json!({ "to": to, "version": n + 1 }).to_string(),
        )
        .await;
    }
    let outside = app
        .put_json_as(
            &app.admin,
            &format!("/api/v1/assessments/{id}/indicators/ADM.1.1/agreed"),
            &json!({ "state": "level", "level": "3", "text": "Out of scope", "version": 0 }).to_string(),
        )
        .await;
    assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(outside.json()["error"]["fields"][0]["field"], "indicator");
    assert!(app.store.agreed_scores(&id).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_save_from_an_old_page_is_refused_with_who_saved_first() {
    let t = team().await;
    let first = post(&t, &t.ada, "indicators/ADM.1.1/rating", rate("2", "First tab", "0")).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let second = post(&t, &t.ada, "indicators/ADM.1.1/rating", rate("3", "Second tab", "0")).await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(second.body.contains("This was saved by Name of ada@example.org at "), "{}", second.body);
    let ratings = t.app.store.ratings(&t.id).await.unwrap();
    assert_eq!(ratings[0].justification, "First tab");
    // The API says the same with 409.
    let uri = format!("/api/v1/assessments/{}/indicators/ADM.1.1/rating", t.id);
    let api = t
        .app
        .put_json_as(&t.ada, &uri, &json!({ "choice": "4", "text": "API", "version": 0 }).to_string())
        .await;
    assert_eq!(api.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn only_the_lead_agrees_and_assigns_and_donors_see_no_scores() {
    let t = team().await;
    let agreed = post(&t, &t.ada, "indicators/ADM.1.1/agreed", rate("3", "Not mine to agree", "0")).await;
    assert_eq!(agreed.status, StatusCode::FORBIDDEN);
    let assign = t.app.post_form_as(&t.ada, &format!("/assessments/{}/assignments", t.id), &[]).await;
    assert_eq!(assign.status, StatusCode::FORBIDDEN);
    let donor = t.app.user("donor@example.org").await;
    t.app.add_member(&t.lead, &t.id, "donor@example.org", "donor").await;
    t.app.post_form_as(&t.lead, &format!("/assessments/{}/sharing", t.id), &[("with_donors", "yes")]).await;
    assert_eq!(
        t.app.get_as(&donor, &format!("/assessments/{}/scores", t.id)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.app.get_as(&donor, &format!("/api/v1/assessments/{}/scores", t.id)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(t.app.store.assignments(&t.id).await.unwrap().len(), 2, "assignments unchanged");
}

#[tokio::test]
async fn narrowing_the_scope_hides_ratings_and_widening_it_brings_them_back() {
    let t = team().await;
    post(&t, &t.ada, "indicators/ADM.1.1/rating", rate("2", "Kept through scope changes", "0")).await;
    // Read once before the change, so a board kept in memory would show if it went stale.
    let before = t.app.get_as(&t.lead, &format!("/api/v1/assessments/{}/scores", t.id)).await.json();
    assert!(
        before["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["code"] == "ADM.1.1" && i["in_scope"] == true)
    );
    let version = |t: &Team| {
        let store = t.app.store.clone();
        let id = t.id.clone();
        async move { store.get_assessment(&id).await.unwrap().unwrap().version.to_string() }
    };
    let v = version(&t).await;
    let narrowed = post(
        &t,
        &t.lead,
        "scope",
        vec![("scope_kind", "selected".into()), ("scope", "INF".into()), ("version", v.clone())],
    )
    .await;
    assert_eq!(narrowed.status, StatusCode::SEE_OTHER, "{}", narrowed.body);
    let board = t.app.get_as(&t.lead, &format!("/api/v1/assessments/{}/scores", t.id)).await.json();
    let first =
        board["indicators"].as_array().unwrap().iter().find(|i| i["code"] == "ADM.1.1").unwrap().clone();
    assert_eq!(first["in_scope"], false);
    assert_eq!(first["rated_by"], 1, "the rating is kept");
    let refused = post(&t, &t.bob, "indicators/ADM.1.1/rating", rate("3", "Out of scope now", "0")).await;
    assert!(refused.body.contains("ADM.1.1 is outside the assessment"), "{}", refused.body);

    let stale = post(&t, &t.lead, "scope", vec![("scope_kind", "all".into()), ("version", v)]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "an old form does not overwrite the newer scope");
    let empty =
        post(&t, &t.lead, "scope", vec![("scope_kind", "selected".into()), ("version", version(&t).await)])
            .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Tick at least one component or element"));

    let widened =
        post(&t, &t.lead, "scope", vec![("scope_kind", "all".into()), ("version", version(&t).await)]).await;
    assert_eq!(widened.status, StatusCode::SEE_OTHER);
    let page = t.app.get_as(&t.lead, &format!("/assessments/{}/indicators/ADM.1.1", t.id)).await;
    assert!(page.body.contains("Kept through scope changes"));
    assert!(!page.body.contains("id=\"out-of-scope\""));
    assert_eq!(
        t.app.get_as(&t.ada, &format!("/assessments/{}/scope", t.id)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_second_server_sees_a_rating_saved_through_the_first_at_once() {
    let t = team().await;
    let board_of = |app: &TestApp| {
        let uri = format!("/api/v1/assessments/{}/scores", t.id);
        let lead = t.lead.clone();
        let router = app.router.clone();
        async move {
            let request = axum::http::Request::get(&uri)
                .header(axum::http::header::AUTHORIZATION, format!("Bearer {}", lead.bearer))
                .body(axum::body::Body::empty())
                .unwrap();
            let response = tower::ServiceExt::oneshot(router, request).await.unwrap();
            let bytes = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
            let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            json["indicators"].as_array().unwrap().iter().find(|i| i["code"] == "ADM.1.1").unwrap()["rated_by"].clone()
        }
    };
    assert_eq!(board_of(&t.app).await, 0, "the first server now holds the scores in memory");
    // Another server on the same database takes Ada's rating.
    let other_state = crate::state_over(&t.app.store, crate::settings()).await;
    let other = TestApp {
        router: bmma_web::router(other_state.clone()),
        state: other_state,
        store: t.app.store.clone(),
        db: bmma_store::testing::fresh().await,
        admin: t.lead.clone(),
    };
    let saved = other
        .post_form_as(
            &t.ada,
            &format!("/assessments/{}/indicators/ADM.1.1/rating", t.id),
            &[("choice", "3"), ("text", "Via the other server"), ("version", "0")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(board_of(&t.app).await, 1, "the first server noticed the change");
}

#[tokio::test]
async fn the_history_hides_another_experts_rating_as_the_board_does() {
    let t = team().await;
    let saved =
        post(&t, &t.ada, "indicators/ADM.1.1/rating", rate("2", "Mandates in law for the police only", "0"))
            .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let history = format!("/assessments/{}/history", t.id);

    // Bob has not rated ADM.1.1: the trail says Ada rated it, but not what she wrote.
    let before = t.app.get_as(&t.bob, &history).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.body.contains("ada@example.org"), "{}", before.body);
    assert!(before.body.contains("shown once you have rated this indicator yourself"), "{}", before.body);
    assert!(!before.body.contains("Mandates in law for the police only"), "{}", before.body);
    assert!(before.body.contains("Indicator rated by an expert"), "the entry is named in words");
    assert!(!before.body.contains("audit-"), "no message id shows: {}", before.body);

    // The entry names the indicator by code and title, for everyone who sees the trail.
    let frameworks = bmma_catalog::builtin().unwrap();
    let title = &frameworks[0].indicators().find(|i| i.code == "ADM.1.1").unwrap().title;
    assert!(before.body.contains(&format!("ADM.1.1 {title}")), "{}", before.body);

    // Ada sees her own words, and the lead sees everyone's, with the level in words.
    for who in [&t.ada, &t.lead] {
        let page = t.app.get_as(who, &history).await;
        assert!(page.body.contains("Level 2: Mandates in law for the police only"), "{}", page.body);
    }

    // Once Bob has rated it himself, the trail shows him Ada's rating too.
    let rated = post(&t, &t.bob, "indicators/ADM.1.1/rating", rate("3", "Bob's own reading", "0")).await;
    assert_eq!(rated.status, StatusCode::SEE_OTHER, "{}", rated.body);
    let after = t.app.get_as(&t.bob, &history).await;
    assert!(after.body.contains("Mandates in law for the police only"), "{}", after.body);
}

#[tokio::test]
async fn an_assignments_form_read_before_another_save_is_refused_whole() {
    let t = team().await;
    let uri = format!("/assessments/{}/assignments", t.id);
    let page = t.app.get_as(&t.lead, &uri).await;
    let shown = t.app.store.get_assessment(&t.id).await.unwrap().unwrap().assignments_version.to_string();
    assert!(
        page.body.contains(&format!("name=\"version\" value=\"{shown}\"")),
        "the form carries its version"
    );

    // Another tab assigns Bob to ADM.2; the page read before that would take Ada off ADM.1.
    let bob_adm2 = format!("ADM.2|{}", t.bob.user.id);
    let ada_adm1 = format!("ADM.1|{}", t.ada.user.id);
    let bob_adm1 = format!("ADM.1|{}", t.bob.user.id);
    let other = t
        .app
        .post_form_as(&t.lead, &uri, &[("assign", &ada_adm1), ("assign", &bob_adm1), ("assign", &bob_adm2)])
        .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER, "{}", other.body);
    let stale = t.app.post_form_as(&t.lead, &uri, &[("assign", &bob_adm1), ("version", &shown)]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("changed by someone else after you opened this page"), "{}", stale.body);
    let kept = t.app.store.assignments(&t.id).await.unwrap();
    assert_eq!(kept.len(), 3, "nothing of the stale form was saved: {kept:?}");
}
