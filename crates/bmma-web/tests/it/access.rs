//! Every route is closed to anonymous callers, and members of one assessment cannot reach
//! another's, through pages and API alike.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::{Caller, TestApp, app};

/// Paths with their parameters filled in with ids that exist.
fn concrete(path: &str, assessment: &str, user: &str) -> String {
    path.replace("{id}/{version}", "bmm/1.0")
        .replace("frameworks/{id}", "frameworks/bmm")
        .replace("tokens/{id}", "tokens/some-token")
        .replace("{id}", assessment)
        .replace("{user_id}", user)
}

fn is_public(path: &str) -> bool {
    matches!(path, "/login" | "/health") || path.starts_with("/static/")
}

/// Opens an assessment led by `lead`, through the API; returns its id.
async fn open_assessment(app: &TestApp, lead: &Caller, title: &str) -> String {
    let body =
        json!({ "country": "KE", "framework": "bmm@1.0", "title": title, "requesting_body": "Ministry" });
    let reply = app.post_json_as(lead, "/api/v1/assessments", &body.to_string()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.json()["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn every_route_refuses_an_anonymous_caller_unless_it_is_public() {
    let app = app().await;
    let id = open_assessment(&app, &app.admin, "A").await;
    let routes = bmma_web::route_list();
    assert!(routes.len() > 50, "every route is recorded as the router is built");
    for (method, path) in routes {
        let uri = concrete(&path, &id, &app.admin.user.id);
        let request = Request::builder().method(method.clone()).uri(&uri).body(Body::empty()).unwrap();
        let reply = app.send(request).await;
        if is_public(&path) {
            assert!(
                reply.status != StatusCode::UNAUTHORIZED && reply.header(header::LOCATION) != "/login",
                "{method} {uri} is public but refused"
            );
        } else if path.starts_with("/api/") {
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
            assert_eq!(reply.json()["error"]["status"], 401, "{method} {uri}");
        } else {
            assert_eq!(reply.status, StatusCode::SEE_OTHER, "{method} {uri}");
            assert!(reply.header(header::LOCATION).starts_with("/login?next="), "{method} {uri}");
        }
    }
}

#[tokio::test]
async fn every_listed_route_exists() {
    let app = app().await;
    let id = open_assessment(&app, &app.admin, "A").await;
    // No route answers PATCH: a listed path that exists says "method not allowed", one
    // that does not says "not found". The token keeps CSRF checks out of the way.
    for (_, path) in bmma_web::route_list() {
        let uri = concrete(&path, &id, &app.admin.user.id);
        let request = Request::builder()
            .method(Method::PATCH)
            .uri(&uri)
            .header(header::AUTHORIZATION, format!("Bearer {}", app.admin.bearer))
            .body(Body::empty())
            .unwrap();
        let status = app.send(request).await.status;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{uri}");
    }
}

#[tokio::test]
async fn a_member_of_one_assessment_cannot_reach_another_by_its_id() {
    let app = app().await;
    let alice = app.user("alice@example.org").await;
    let bruno = app.user("bruno@example.org").await;
    let _mine = open_assessment(&app, &alice, "Alice's").await;
    let theirs = open_assessment(&app, &bruno, "Bruno's").await;
    let trail_before = app.store.audit_of_assessment(&theirs).await.unwrap().len();

    for uri in [
        format!("/assessments/{theirs}"),
        format!("/assessments/{theirs}/members"),
        format!("/assessments/{theirs}/history"),
        format!("/api/v1/assessments/{theirs}"),
    ] {
        let reply = app.get_as(&alice, &uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!reply.body.contains("Bruno's"), "{uri} leaks the title");
    }
    for (uri, form) in [
        (
            format!("/assessments/{theirs}/members"),
            vec![("email", "alice@example.org"), ("role", "team-lead")],
        ),
        (format!("/assessments/{theirs}/members/{}/remove", bruno.user.id), vec![]),
        (format!("/assessments/{theirs}/sharing"), vec![("with_donors", "yes")]),
    ] {
        let reply = app.post_form_as(&alice, &uri, &form).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let listed = app.get_as(&alice, "/api/v1/assessments").await.json();
    let titles: Vec<&str> =
        listed["assessments"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Alice's"]);
    assert_eq!(
        app.store.audit_of_assessment(&theirs).await.unwrap().len(),
        trail_before,
        "nothing was written"
    );
    assert_eq!(app.store.members(&theirs).await.unwrap().len(), 1);
}

#[tokio::test]
async fn donors_see_nothing_until_shared_and_never_drafts() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let donor = app.user("donor@example.org").await;
    let id = open_assessment(&app, &lead, "Shared later").await;
    let added = app.add_member(&lead, &id, "donor@example.org", "donor").await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);

    assert_eq!(app.get_as(&donor, &format!("/assessments/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get_as(&donor, &format!("/api/v1/assessments/{id}")).await.status, StatusCode::NOT_FOUND);

    app.post_form_as(&lead, &format!("/assessments/{id}/sharing"), &[("with_donors", "yes")]).await;
    let page = app.get_as(&donor, &format!("/assessments/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"drafts-withheld\""));
    assert!(!page.body.contains("class=\"list scope\""));
    let json = app.get_as(&donor, &format!("/api/v1/assessments/{id}")).await.json();
    assert_eq!(json["title"], "Shared later");
    assert!(json.get("scope").is_none(), "no draft content in the API either: {json}");
    for uri in [format!("/assessments/{id}/history")] {
        assert_eq!(app.get_as(&donor, &uri).await.status, StatusCode::FORBIDDEN, "{uri}");
    }
}

#[tokio::test]
async fn the_government_sees_drafts_once_shared_for_validation() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let official = app.user("official@example.org").await;
    let id = open_assessment(&app, &lead, "Validation").await;
    app.add_member(&lead, &id, "official@example.org", "government-focal-point").await;
    let before = app.get_as(&official, &format!("/assessments/{id}")).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.body.contains("id=\"drafts-withheld\""));
    app.post_form_as(&lead, &format!("/assessments/{id}/sharing"), &[("for_validation", "yes")]).await;
    let after = app.get_as(&official, &format!("/assessments/{id}")).await;
    assert!(after.body.contains("class=\"list scope\""));
}

#[tokio::test]
async fn only_the_team_lead_manages_members_and_sharing() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let expert = app.user("expert@example.org").await;
    let id = open_assessment(&app, &lead, "Roles").await;
    app.add_member(&lead, &id, "expert@example.org", "expert").await;
    let members = app.get_as(&expert, &format!("/assessments/{id}/members")).await;
    assert_eq!(members.status, StatusCode::OK);
    assert!(!members.body.contains("action=\"/assessments/"), "no member forms for an expert");
    for (uri, form) in [
        (format!("/assessments/{id}/members"), vec![("email", "expert@example.org"), ("role", "team-lead")]),
        (format!("/assessments/{id}/sharing"), vec![("with_donors", "yes")]),
    ] {
        let reply = app.post_form_as(&expert, &uri, &form).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(reply.body.contains("Your role in this assessment does not allow this."));
    }
    assert_eq!(app.store.role_in(&id, &expert.user.id).await.unwrap(), Some(bmma_core::Role::Expert));
}

#[tokio::test]
async fn the_last_team_lead_cannot_be_removed_or_demoted() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let id = open_assessment(&app, &lead, "Lead").await;
    let demote = app.add_member(&lead, &id, "lead@example.org", "observer").await;
    assert_eq!(demote.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(demote.body.contains("An assessment needs a team lead"));
    let remove =
        app.post_form_as(&lead, &format!("/assessments/{id}/members/{}/remove", lead.user.id), &[]).await;
    assert_eq!(remove.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.store.role_in(&id, &lead.user.id).await.unwrap(), Some(bmma_core::Role::TeamLead));
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused_and_change_nothing() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let id = open_assessment(&app, &lead, "CSRF").await;
    let uri = format!("/assessments/{id}/sharing");
    for form in [vec![("with_donors", "yes")], vec![("csrf", "forged"), ("with_donors", "yes")]] {
        let reply = app.post_form_raw(Some(&lead.cookie), &uri, &form).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert!(reply.body.contains("This form had expired or did not come from bmma."));
    }
    assert!(!app.store.get_assessment(&id).await.unwrap().unwrap().sharing.with_donors);
    // The API with a session cookie needs the token in a header; with a bearer token it does not.
    let body =
        json!({ "country": "KE", "framework": "bmm", "title": "T", "requesting_body": "M" }).to_string();
    let cookie_only = app
        .send(
            Request::post("/api/v1/assessments")
                .header(header::COOKIE, &lead.cookie)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(cookie_only.status, StatusCode::FORBIDDEN);
    let with_header = app
        .send(
            Request::post("/api/v1/assessments")
                .header(header::COOKIE, &lead.cookie)
                .header("x-csrf-token", &lead.csrf)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(with_header.status, StatusCode::CREATED);
}

#[tokio::test]
async fn markup_typed_into_any_text_field_comes_back_as_text() {
    let app = app().await;
    let payload = "<script>alert(1)</script>";
    let tagged = format!("{payload}@example.org");
    // An account whose name and e-mail carry the payload, made by an administrator.
    let made = app
        .post_form("/users", &[("email", tagged.as_str()), ("name", payload), ("password", crate::PASSWORD)])
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    // An assessment whose title and requesting body carry it.
    let body = json!({ "country": "KE", "framework": "bmm", "title": payload, "requesting_body": payload });
    let id = app.post_json("/api/v1/assessments", &body.to_string()).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // A member and a token named with it.
    app.post_form(&format!("/assessments/{id}/members"), &[("email", tagged.as_str()), ("role", "expert")])
        .await;
    app.post_form("/account/tokens", &[("name", payload)]).await;
    // A site and a visit, from fieldwork.
    app.post_form(
        &format!("/assessments/{id}/sites"),
        &[("name", payload), ("kind", "land"), ("agencies", payload)],
    )
    .await;
    let site = app.store.sites("KE").await.unwrap()[0].id.clone();
    let admin = app.admin.user.id.clone();
    app.post_form(
        &format!("/assessments/{id}/visits"),
        &[("site", site.as_str()), ("date", "2027-01-05"), ("member", admin.as_str()), ("notes", payload)],
    )
    .await;
    // Forms that echo what was typed.
    let echoed = [
        app.post_form("/assessments", &[("title", payload), ("requesting_body", payload)]).await,
        app.post_form("/users", &[("email", payload), ("name", payload)]).await,
        app.post_form(&format!("/assessments/{id}/members"), &[("email", payload), ("role", "expert")]).await,
    ];
    for reply in &echoed {
        assert!(!reply.body.contains("<script"), "a form echoed markup");
    }
    for uri in [
        "/assessments".to_string(),
        format!("/assessments/{id}"),
        format!("/assessments/{id}/members"),
        format!("/assessments/{id}/history"),
        format!("/assessments/{id}/fieldwork"),
        "/users".to_string(),
        "/account".to_string(),
    ] {
        let page = app.get(&uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert!(!page.body.contains("<script"), "{uri} shows markup unescaped");
        assert!(page.body.contains("&#60;script&#62;alert(1)"), "{uri} shows the text");
    }
}

#[tokio::test]
async fn the_history_page_lists_each_change_in_words_with_who_made_it() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    app.user("expert@example.org").await;
    let id = open_assessment(&app, &lead, "History").await;
    app.add_member(&lead, &id, "expert@example.org", "expert").await;
    app.post_form_as(&lead, &format!("/assessments/{id}/sharing"), &[("for_validation", "yes")]).await;
    let page = app.get_as(&lead, &format!("/assessments/{id}/history")).await;
    assert_eq!(page.status, StatusCode::OK);
    let rows: Vec<&str> = page.body.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 4, "{}", page.body);
    for (row, (what, who)) in rows.iter().zip([
        ("Assessment opened", "lead@example.org"),
        ("Invited to join, or invitation changed", "lead@example.org"),
        ("Invitation accepted", "expert@example.org"),
        ("Sharing changed", "lead@example.org"),
    ]) {
        assert!(row.contains(what) && row.contains(who), "{row}");
    }
    // Each entry says what it is about and what changed, in words rather than recorded JSON.
    assert!(rows[0].contains("History") && rows[0].contains("Opened with the framework bmm@"), "{}", rows[0]);
    assert!(rows[1].contains("expert@example.org") && rows[1].contains("As Expert."), "{}", rows[1]);
    assert!(rows[3].contains("Drafts shared with the government: yes."), "{}", rows[3]);
    assert!(
        rows.iter().all(|row| !row.contains('{') && !row.contains("&#34;")),
        "no JSON shows: {}",
        page.body
    );
}

#[tokio::test]
async fn a_team_lead_invites_with_the_same_answer_whether_or_not_an_account_exists() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let ana = app.user("ana@example.org").await;
    let id = open_assessment(&app, &lead, "Invitations").await;
    let members = format!("/assessments/{id}/members");

    let known = app.post_form_as(&lead, &members, &[("email", "Ana@Example.org"), ("role", "expert")]).await;
    let unknown =
        app.post_form_as(&lead, &members, &[("email", "nobody@example.org"), ("role", "expert")]).await;
    for reply in [&known, &unknown] {
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        assert_eq!(reply.headers.get(header::LOCATION).unwrap(), members.as_str());
    }
    let page = app.get_as(&lead, &members).await;
    assert!(!page.body.contains("No account has this e-mail address"), "{}", page.body);
    assert!(page.body.contains("ana@example.org") && page.body.contains("nobody@example.org"));
    assert_eq!(page.body.matches("class=\"invited\"").count(), 2, "both are listed as invited");
    assert!(!page.body.contains("Name of ana@example.org"), "an invitation shows no account's name");
    assert!(app.store.role_in(&id, &ana.user.id).await.unwrap().is_none(), "not a member yet");

    // Someone else cannot answer Ana's invitation; Ana accepts it from her start page.
    let bruno = app.user("bruno@example.org").await;
    let answer = format!("/assessments/{id}/invitations/answer");
    let stolen = app.post_form_as(&bruno, &answer, &[("answer", "accept")]).await;
    assert_eq!(stolen.status, StatusCode::NOT_FOUND);
    let start = app.get_as(&ana, "/assessments").await;
    assert!(
        start.body.contains("id=\"invitations\"") && start.body.contains("Invitations"),
        "{}",
        start.body
    );
    let accepted = app.post_form_as(&ana, &answer, &[("answer", "accept")]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    assert_eq!(app.store.role_in(&id, &ana.user.id).await.unwrap(), Some(bmma_core::Role::Expert));
    assert_eq!(app.get_as(&ana, &format!("/assessments/{id}")).await.status, StatusCode::OK);
    assert!(!app.get_as(&ana, "/assessments").await.body.contains("id=\"invitations\""));

    // The address without an account waits until an administrator creates one; then it can
    // be declined, and the lead may withdraw any invitation still pending.
    let nobody = app.user("nobody@example.org").await;
    let declined = app.post_form_as(&nobody, &answer, &[("answer", "decline")]).await;
    assert_eq!(declined.status, StatusCode::SEE_OTHER, "{}", declined.body);
    assert!(app.store.role_in(&id, &nobody.user.id).await.unwrap().is_none());
    app.post_form_as(&lead, &members, &[("email", "carla@example.org"), ("role", "observer")]).await;
    let withdraw = format!("/assessments/{id}/invitations/withdraw");
    let withdrawn = app.post_form_as(&lead, &withdraw, &[("email", "carla@example.org")]).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    assert!(app.store.invitations(&id).await.unwrap().is_empty());
    let bad = app.post_form_as(&lead, &members, &[("email", "not an address"), ("role", "expert")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Enter an e-mail address"), "{}", bad.body);
}

#[tokio::test]
async fn team_and_sharing_forms_read_before_another_change_are_refused() {
    let app = app().await;
    let lead = app.user("lead@example.org").await;
    let id = open_assessment(&app, &lead, "Versions").await;
    let read = app.store.get_assessment(&id).await.unwrap().unwrap();
    let members_page = app.get_as(&lead, &format!("/assessments/{id}/members")).await;
    assert!(members_page.body.contains(&format!("name=\"version\" value=\"{}\"", read.members_version)));

    // Another tab invites someone; the page read before can neither invite nor withdraw.
    let members = format!("/assessments/{id}/members");
    let first = app.post_form_as(&lead, &members, &[("email", "ana@example.org"), ("role", "expert")]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let old = read.members_version.to_string();
    let stale = app
        .post_form_as(&lead, &members, &[("email", "ben@example.org"), ("role", "expert"), ("version", &old)])
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("The team was changed by someone else"), "{}", stale.body);
    assert!(stale.body.contains("ana@example.org"), "the page shows the team as it is now");
    let withdraw = format!("/assessments/{id}/invitations/withdraw");
    let stale = app.post_form_as(&lead, &withdraw, &[("email", "ana@example.org"), ("version", &old)]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    let invited: Vec<String> =
        app.store.invitations(&id).await.unwrap().into_iter().map(|i| i.email).collect();
    assert_eq!(invited, ["ana@example.org"]);

    // Sharing over the assessment as it was before another save is refused too.
    let sharing = format!("/assessments/{id}/sharing");
    let version = app.store.get_assessment(&id).await.unwrap().unwrap().version.to_string();
    let shared = app.post_form_as(&lead, &sharing, &[("with_donors", "yes"), ("version", &version)]).await;
    assert_eq!(shared.status, StatusCode::SEE_OTHER, "{}", shared.body);
    let stale = app.post_form_as(&lead, &sharing, &[("version", &version)]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(app.store.get_assessment(&id).await.unwrap().unwrap().sharing.with_donors, "still shared");
}
