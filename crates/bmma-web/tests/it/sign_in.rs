//! Signing in and out, sessions, passwords and API tokens, through the real router.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::{Reply, TestApp, app, app_with, encode};

/// Loads the sign-in form and returns the cookie and token that tie a submission to it.
async fn login_form(app: &TestApp) -> (String, String) {
    let page = app.send(Request::get("/login").body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    let cookie = page.header(header::SET_COOKIE).split(';').next().unwrap().to_string();
    let token =
        page.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    (cookie, token)
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> Reply {
    let (cookie, token) = login_form(app).await;
    let body =
        format!("csrf={token}&email={}&password={}&next=%2Fframeworks", encode(email), encode(password));
    app.send(
        Request::post("/login")
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

fn session_of(reply: &Reply) -> String {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("bmma_session="))
        .unwrap_or_else(|| panic!("no session cookie in {:?}", reply.headers))
        .to_string()
}

#[tokio::test]
async fn the_right_password_opens_a_session_with_a_strict_http_only_cookie() {
    let app = app().await;
    let reply = sign_in(&app, "ADMIN@example.org", crate::PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header(header::LOCATION), "/frameworks");
    let cookie = session_of(&reply);
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP by default: {cookie}");
    let session = cookie.split(';').next().unwrap();
    let page = app
        .send(Request::get("/frameworks").header(header::COOKIE, session).body(Body::empty()).unwrap())
        .await;
    assert_eq!(page.status, StatusCode::OK);
}

#[tokio::test]
async fn cookies_are_secure_when_served_over_https() {
    let app = app_with(bmma_web::Settings { secure_cookies: true, ..Default::default() }).await;
    let cookie = session_of(&sign_in(&app, "admin@example.org", crate::PASSWORD).await);
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_account_get_the_same_answer() {
    let app = app().await;
    let wrong = sign_in(&app, "admin@example.org", "not the password at all").await;
    let unknown = sign_in(&app, "nobody@example.org", "not the password at all").await;
    for reply in [&wrong, &unknown] {
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert!(reply.body.contains("The e-mail address or the password is wrong."));
        assert!(
            !reply
                .headers
                .get_all(header::SET_COOKIE)
                .iter()
                .any(|c| c.to_str().unwrap().starts_with("bmma_session"))
        );
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while_even_with_the_right_password() {
    let app = app().await;
    for _ in 0..5 {
        assert_eq!(
            sign_in(&app, "admin@example.org", "guess guess guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = sign_in(&app, "admin@example.org", crate::PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.body.contains("Too many failed sign-ins"));
    // An address that does not exist is throttled the same way: nothing tells them apart.
    for _ in 0..5 {
        sign_in(&app, "ghost@example.org", "guess guess guess").await;
    }
    assert_eq!(sign_in(&app, "ghost@example.org", "x").await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_form_without_its_cookie_or_token_is_refused() {
    let app = app().await;
    let (_, token) = login_form(&app).await;
    let body = format!("csrf={token}&email=admin%40example.org&password={}", encode(crate::PASSWORD));
    let reply = app
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.body.contains("The sign-in form had expired"));
}

#[tokio::test]
async fn after_signing_in_only_local_pages_are_followed() {
    let app = app().await;
    // Browsers drop tabs and newlines from a Location and read a backslash as a slash, so
    // each of these would lead to another site, or could not be sent as a header at all.
    let cases = [
        ("%2F%2Fevil.example", "/assessments"),
        ("%2F%09%2Fevil.example%2F", "/assessments"),
        ("%2F%0A%2Fevil.example", "/assessments"),
        ("%2F%5Cevil.example", "/assessments"),
        ("%2Fa%5C..%5C%5Cevil.example", "/assessments"),
        ("%2F%7F", "/assessments"),
        ("%2F%01", "/assessments"),
        ("https%3A%2F%2Fevil.example", "/assessments"),
        ("%2Fassessments%3Fq%3Dx", "/assessments?q=x"),
        ("%2Fframeworks%2Fbmm%2F1.0", "/frameworks/bmm/1.0"),
    ];
    for (next, expected) in cases {
        let (cookie, token) = login_form(&app).await;
        let body = format!(
            "csrf={token}&email=admin%40example.org&password={}&next={next}",
            encode(crate::PASSWORD)
        );
        let reply = app
            .send(
                Request::post("/login")
                    .header(header::COOKIE, cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "next={next}: {}", reply.body);
        assert_eq!(reply.header(header::LOCATION), expected, "next={next}");
    }
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = app().await;
    let out = app.post_form("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(out.header(header::SET_COOKIE).contains("Max-Age=0"));
    let after = app.get("/assessments").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.header(header::LOCATION).starts_with("/login"));
}

#[tokio::test]
async fn an_expired_session_sends_the_reader_to_the_sign_in_form() {
    let app = app().await;
    let secret = bmma_app::accounts::new_secret();
    let past = time::OffsetDateTime::now_utc() - time::Duration::minutes(1);
    app.store
        .create_session(&bmma_app::accounts::secret_hash(&secret), &app.admin.user.id, "c", past)
        .await
        .unwrap();
    let reply = app
        .send(
            Request::get("/assessments")
                .header(header::COOKIE, format!("bmma_session={secret}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let api = app
        .send(
            Request::get("/api/v1/assessments")
                .header(header::COOKIE, format!("bmma_session={secret}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn changing_the_password_signs_out_other_sessions_and_keeps_this_one() {
    let app = app().await;
    let other = sign_in(&app, "admin@example.org", crate::PASSWORD).await;
    let other = session_of(&other).split(';').next().unwrap().to_string();
    let new = "a brand new passphrase for tests";
    let wrong =
        app.post_form("/account/password", &[("current", "wrong one"), ("new", new), ("confirm", new)]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("The current password is wrong."));
    let short = app
        .post_form(
            "/account/password",
            &[("current", crate::PASSWORD), ("new", "short"), ("confirm", "short")],
        )
        .await;
    assert!(short.body.contains("Use at least 12 characters."));
    let done = app
        .post_form("/account/password", &[("current", crate::PASSWORD), ("new", new), ("confirm", new)])
        .await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("Your password was changed."));
    assert_eq!(app.get("/account").await.status, StatusCode::OK, "this session goes on");
    let elsewhere =
        app.send(Request::get("/account").header(header::COOKIE, other).body(Body::empty()).unwrap()).await;
    assert_eq!(elsewhere.status, StatusCode::SEE_OTHER, "the other session was ended");
    assert_eq!(sign_in(&app, "admin@example.org", new).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn api_tokens_are_made_shown_once_and_revoked_from_the_account_page() {
    let app = app().await;
    let page = app.post_form("/account/tokens", &[("name", "monthly export")]).await;
    assert_eq!(page.status, StatusCode::OK);
    let token =
        page.body.split("<code id=\"new-token\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    assert!(token.starts_with("bmma_"));
    let use_it = |token: String| {
        Request::get("/api/v1/assessments")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(app.send(use_it(token.clone())).await.status, StatusCode::OK);
    assert!(!app.get("/account").await.body.contains(&token), "shown only once");

    let id = app
        .store
        .tokens_of(&app.admin.user.id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == "monthly export")
        .unwrap()
        .id;
    let revoked = app.post_form(&format!("/account/tokens/{id}/revoke"), &[]).await;
    assert!(revoked.body.contains("The token was revoked."));
    let refused = app.send(use_it(token)).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.json()["error"]["message"], "Sign in first.");
    let empty = app.post_form("/account/tokens", &[("name", " ")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn only_administrators_manage_accounts() {
    let app = app().await;
    let member = app.user("member@example.org").await;
    assert_eq!(app.get_as(&member, "/users").await.status, StatusCode::FORBIDDEN);
    let refused = app
        .post_form_as(
            &member,
            "/users",
            &[("email", "x@example.org"), ("name", "X"), ("password", crate::PASSWORD)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(app.store.user_by_email("x@example.org").await.unwrap().is_none());

    let made = app
        .post_form(
            "/users",
            &[("email", "new@example.org"), ("name", "New Colleague"), ("password", crate::PASSWORD)],
        )
        .await;
    assert!(made.body.contains("The account new@example.org was created."));
    let twice = app
        .post_form(
            "/users",
            &[("email", "NEW@example.org"), ("name", "Again"), ("password", crate::PASSWORD)],
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("An account with this e-mail address exists already."));
}

/// Signs in as if the connection came from `peer`, with an `X-Forwarded-For` header if given.
async fn sign_in_via(
    app: &TestApp,
    peer: &str,
    forwarded: Option<&str>,
    email: &str,
    password: &str,
) -> StatusCode {
    let (cookie, token) = login_form(app).await;
    let body = format!("csrf={token}&email={}&password={}", encode(email), encode(password));
    let mut request = Request::post("/login")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(forwarded) = forwarded {
        request = request.header("x-forwarded-for", forwarded);
    }
    let mut request = request.body(Body::from(body)).unwrap();
    let peer: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
    request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
    app.send(request).await.status
}

#[tokio::test]
async fn behind_the_trusted_proxy_the_forwarded_address_counts_and_elsewhere_it_is_ignored() {
    let proxy = "10.0.0.1/32".parse().unwrap();
    let app = app_with(bmma_web::Settings { trusted_proxy: Some(proxy), ..crate::settings() }).await;
    for n in 0..20 {
        let status = sign_in_via(
            &app,
            "10.0.0.1",
            Some("203.0.113.7, 198.51.100.7"),
            &format!("g{n}@example.org"),
            "x",
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let again = sign_in_via(&app, "10.0.0.1", Some("198.51.100.7"), "g99@example.org", "x").await;
    assert_eq!(again, StatusCode::TOO_MANY_REQUESTS, "the address the proxy saw is slowed down");
    let other =
        sign_in_via(&app, "10.0.0.1", Some("198.51.100.8"), "admin@example.org", crate::PASSWORD).await;
    assert_eq!(other, StatusCode::SEE_OTHER, "someone else behind the same proxy is not");

    // A caller who is not the proxy cannot choose the address that is counted.
    for n in 0..20 {
        let forged = format!("192.0.2.{n}");
        let status =
            sign_in_via(&app, "203.0.113.50", Some(&forged), &format!("h{n}@example.org"), "x").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let forged = sign_in_via(&app, "203.0.113.50", Some("192.0.2.200"), "h99@example.org", "x").await;
    assert_eq!(forged, StatusCode::TOO_MANY_REQUESTS, "its own address counts, whatever it forwards");
}
