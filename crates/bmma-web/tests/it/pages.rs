//! HTML pages through the real router.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::app;

#[tokio::test]
async fn the_framework_browser_shows_components_elements_indicators_and_descriptors() {
    let app = app().await;
    let list = app.get("/frameworks").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("href=\"/frameworks/bmm/1.0\""));

    let page = app.get("/frameworks/bmm/1.0").await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "Administration",
        "Information management",
        "ADM.1.1",
        "Weakest link",
        "Documents to ask for",
        "Sustainable",
    ] {
        assert!(page.body.contains(expected), "missing {expected}");
    }
}

#[tokio::test]
async fn a_topic_filter_shows_only_the_indicators_with_that_topic() {
    let app = app().await;
    let page = app.get("/frameworks/bmm/1.0?topic=health").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"OPS.9.1\""), "health indicators are shown");
    assert!(!page.body.contains("id=\"ADM.1.1\""), "others are hidden");
    assert!(page.body.contains("indicators have this topic"));
}

#[tokio::test]
async fn the_assessment_form_creates_an_assessment_and_redirects_to_it() {
    let app = app().await;
    let form = app.get("/assessments/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"title\""));
    assert!(form.body.contains("<option value=\"KE\">Kenya</option>"));

    let reply = app
        .post_form(
            "/assessments",
            &[
                ("title", "Assessment of Kenya"),
                ("country", "KE"),
                ("requesting_body", "Department of Immigration Services"),
                ("framework", "bmm@1.0"),
                ("scope_kind", "selected"),
                ("scope", "OPS"),
                ("scope", "INF.2"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let location = reply.header(header::LOCATION).to_string();
    let page = app.get(&location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Assessment of Kenya"));
    assert!(page.body.contains("Part of the framework is in scope"));
    let list = app.get("/assessments").await;
    assert!(list.body.contains(&format!("href=\"{location}\"")));
}

#[tokio::test]
async fn bad_form_input_shows_the_message_beside_the_field_and_keeps_what_was_typed() {
    let app = app().await;
    let reply = app
        .post_form(
            "/assessments",
            &[
                ("title", "Kept title"),
                ("country", ""),
                ("requesting_body", ""),
                ("framework", "bmm@1.0"),
                ("scope_kind", "selected"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("id=\"country-error\""));
    assert!(reply.body.contains("id=\"requesting_body-error\""));
    assert!(reply.body.contains("id=\"scope-error\""));
    assert!(!reply.body.contains("id=\"title-error\""));
    assert!(reply.body.contains("value=\"Kept title\""));
    assert!(app.store.list_assessments().await.unwrap().is_empty());
}

#[tokio::test]
async fn text_that_looks_like_markup_is_shown_as_text() {
    let app = app().await;
    let payload = "<script>alert('x')</script>";
    let reply = app
        .post_form(
            "/assessments",
            &[
                ("title", payload),
                ("country", "KE"),
                ("requesting_body", payload),
                ("framework", "bmm@1.0"),
                ("scope_kind", "all"),
            ],
        )
        .await;
    let location = reply.header(header::LOCATION).to_string();
    for uri in [location.as_str(), "/assessments"] {
        let page = app.get(uri).await;
        assert!(!page.body.contains("<script"), "{uri} echoes markup");
        assert!(page.body.contains("script&#62;alert(&#39;x&#39;)"), "{uri} shows the text as text");
    }
    // Echoed back in a form with errors, too.
    let form = app.post_form("/assessments", &[("title", payload), ("framework", "bmm@1.0")]).await;
    assert!(!form.body.contains(payload));
}

#[tokio::test]
async fn pages_follow_the_browser_language_and_an_explicit_choice_sticks() {
    let app = app().await;
    let french = app
        .send(
            Request::get("/assessments")
                .header(header::COOKIE, &app.admin.cookie)
                .header(header::ACCEPT_LANGUAGE, "fr-CH, fr;q=0.9")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(french.body.contains("<html lang=\"fr\" dir=\"ltr\">"));
    assert!(french.body.contains("Nouvelle évaluation"));

    let chosen = app.get("/frameworks?lang=fr").await;
    assert!(chosen.body.contains("Référentiels"));
    let cookie = chosen.header(header::SET_COOKIE).to_string();
    assert!(cookie.starts_with("bmma_lang=fr;"), "{cookie}");

    let later = app
        .send(
            Request::get("/assessments")
                .header(header::COOKIE, format!("bmma_lang=fr; {}", app.admin.cookie))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(later.body.contains("Évaluations"));
    let english = app.get("/assessments").await;
    assert!(english.body.contains("<html lang=\"en\""));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = app().await;
    for uri in ["/assessments", "/api/v1/frameworks", "/health", "/no-such-page", "/static/bmma.css"] {
        let reply = app.get(uri).await;
        let csp = reply.header(header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{uri}");
        assert_eq!(reply.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{uri}");
        assert_eq!(reply.header(header::REFERRER_POLICY), "same-origin", "{uri}");
    }
}

#[tokio::test]
async fn pages_carry_no_inline_script_or_style() {
    let app = app().await;
    for uri in ["/assessments", "/assessments/new", "/frameworks", "/frameworks/bmm/1.0"] {
        let page = app.get(uri).await;
        assert!(!page.body.contains("<script"), "{uri}");
        assert!(!page.body.contains("style=\""), "{uri}");
    }
}

#[tokio::test]
async fn an_unknown_page_is_a_404_page() {
    let app = app().await;
    for uri in ["/no-such-page", "/assessments/nope", "/frameworks/bmm/0.0"] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(reply.body.contains("does not exist"), "{uri}");
    }
}

#[tokio::test]
async fn countries_are_named_and_sorted_in_the_readers_language() {
    let app = app().await;
    let body = r#"{"country":"DE","framework":"bmm@1.0","title":"Federal assessment","requesting_body":"Federal Ministry"}"#;
    assert_eq!(app.post_json("/api/v1/assessments", body).await.status, StatusCode::CREATED);

    let english = app.get("/assessments?lang=en").await;
    assert!(english.body.contains("Germany"), "{}", english.body);
    let french = app.get("/assessments?lang=fr").await;
    assert!(french.body.contains("Allemagne"), "{}", french.body);
    assert!(!french.body.contains("Germany"));

    // The new-assessment form lists countries as French sorts them: accents do not push
    // Égypte past the other E's, and the fictional country comes last.
    let form = app.get("/assessments/new?lang=fr").await;
    let at =
        |name: &str| form.body.find(&format!(">{name}</option>")).unwrap_or_else(|| panic!("{name} missing"));
    assert!(at("Danemark") < at("Égypte") && at("Égypte") < at("Espagne") && at("Espagne") < at("Fidji"));
    assert!(at("Zimbabwe") < at("Valdoria (fictive)"));
}
