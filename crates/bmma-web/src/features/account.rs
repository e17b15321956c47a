//! Signing in and out, and the caller's own account: password and API tokens.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use bmma_app::AppError;
use bmma_app::accounts::SignInRefused;
use bmma_app::records::User;
use serde::Deserialize;

use crate::http::auth::{self, Auth, Credential};
use crate::http::error::WebError;
use crate::http::forms::Typed;
use crate::http::page::{Chrome, render_status};
use crate::i18n::Tr;
use crate::state::AppState;

/// The cookie that ties the sign-in form to the browser that loaded it.
const LOGIN_COOKIE: &str = "bmma_login";

/// The network address the request came from: the peer's, or, when the peer is the
/// trusted proxy, the last address that proxy added to `X-Forwarded-For`.
pub struct PeerAddress(pub String);

impl FromRequestParts<AppState> for PeerAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<PeerAddress, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        let forwarded = || {
            let header = parts.headers.get_all("x-forwarded-for").iter().next_back()?.to_str().ok()?;
            header.rsplit(',').next()?.trim().parse::<std::net::IpAddr>().ok()
        };
        let address = match (peer, &state.settings.trusted_proxy) {
            (Some(peer), Some(proxy)) if proxy.contains(peer) => forwarded().unwrap_or(peer),
            (Some(peer), _) => peer,
            (None, _) => return Ok(PeerAddress("unknown".to_string())),
        };
        Ok(PeerAddress(address.to_string()))
    }
}

#[derive(Template)]
#[template(path = "account/login.html")]
struct LoginPage {
    t: Tr,
    chrome: Chrome,
    csrf: String,
    next: String,
    email: String,
    message: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

/// Only a path on this site is followed after signing in, never another site. Browsers
/// drop tabs and newlines from a location and read a backslash as a slash, so a path with
/// any of them, or any other control character or space, is not followed either.
fn safe_next(next: &str) -> &str {
    let plain = next.chars().all(|c| !c.is_control() && !c.is_whitespace() && c != '\\');
    let local = next.starts_with('/') && !next.starts_with("//");
    if plain && local && next.parse::<axum::http::uri::PathAndQuery>().is_ok() {
        next
    } else {
        "/assessments"
    }
}

/// The sign-in form's token: the one the browser already holds, so that several tabs or
/// reloads of the form all stay valid, or a new one.
fn login_token(headers: &HeaderMap) -> String {
    auth::cookie_value(headers, LOGIN_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map_or_else(bmma_app::accounts::new_secret, str::to_string)
}

fn login_page(
    t: &Tr,
    secure: bool,
    csrf: String,
    next: &str,
    email: &str,
    status: StatusCode,
    message: Option<String>,
) -> Response {
    let page = LoginPage {
        t: t.clone(),
        chrome: Chrome::anonymous(),
        csrf: csrf.clone(),
        next: next.to_string(),
        email: email.to_string(),
        message,
    };
    // The sign-in page answers even a failure itself, with the token its form needs.
    match render_status::<WebError>(status, &page) {
        Ok(mut response) => {
            let secure = if secure { "; Secure" } else { "" };
            if let Ok(cookie) = HeaderValue::from_str(&format!(
                "{LOGIN_COOKIE}={csrf}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600{secure}"
            )) {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            response
        }
        Err(e) => e.html(t),
    }
}

pub async fn login_form(
    State(state): State<AppState>,
    t: Tr,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Response {
    let token = login_token(&headers);
    login_page(&t, state.settings.secure_cookies, token, safe_next(&query.next), "", StatusCode::OK, None)
}

pub async fn login(
    State(state): State<AppState>,
    t: Tr,
    PeerAddress(address): PeerAddress,
    headers: HeaderMap,
    form: Typed,
) -> Response {
    let secure = state.settings.secure_cookies;
    let next = safe_next(&form.get("next")).to_string();
    let again = |status, key: &str| {
        login_page(&t, secure, login_token(&headers), &next, &form.get("email"), status, Some(t.get(key)))
    };
    if auth::cookie_value(&headers, LOGIN_COOKIE) != Some(form.get("csrf").as_str())
        || form.get("csrf").is_empty()
    {
        return again(StatusCode::FORBIDDEN, "error-login-expired");
    }
    match state.app.sign_in(&form.get("email"), &form.get("password"), &address).await {
        Ok(Ok(signed_in)) => {
            let mut response = Redirect::to(&next).into_response();
            response
                .headers_mut()
                .append(header::SET_COOKIE, auth::session_cookie(&signed_in.secret, secure));
            response
        }
        Ok(Err(SignInRefused::Throttled)) => again(StatusCode::TOO_MANY_REQUESTS, "error-login-throttled"),
        Ok(Err(SignInRefused::Failed)) => again(StatusCode::UNAUTHORIZED, "error-login-failed"),
        Err(e) => WebError::from(e).html(&t),
    }
}

pub async fn logout(State(state): State<AppState>, t: Tr, auth: Auth) -> Response {
    if let Credential::Session { secret, .. } = &auth.credential
        && let Err(e) = state.app.sign_out(secret).await
    {
        return WebError::from(e).html(&t);
    }
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, auth::clear_session_cookie(state.settings.secure_cookies));
    response
}

struct TokenRow {
    id: String,
    name: String,
    created: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "account/account.html")]
struct AccountPage {
    t: Tr,
    chrome: Chrome,
    user: User,
    min_chars: usize,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    notice: Option<String>,
    password_error: Option<String>,
    token_error: Option<String>,
}

/// What the account page shows besides the account itself.
#[derive(Default)]
struct AccountMessages {
    new_token: Option<String>,
    notice: Option<String>,
    password_error: Option<String>,
    token_error: Option<String>,
}

async fn account_page(
    state: &AppState,
    t: &Tr,
    auth: &Auth,
    messages: AccountMessages,
    status: StatusCode,
) -> Result<Response, WebError> {
    let tokens = state
        .app
        .tokens(&auth.user)
        .await?
        .into_iter()
        .map(|token| TokenRow {
            created: crate::http::format::date(token.created_at).0,
            revoked: token.revoked_at.is_some(),
            id: token.id,
            name: token.name,
        })
        .collect();
    let page = AccountPage {
        t: t.clone(),
        chrome: Chrome::of(auth, "account"),
        user: auth.user.clone(),
        min_chars: bmma_app::accounts::PASSWORD_MIN_CHARS,
        tokens,
        new_token: messages.new_token,
        notice: messages.notice,
        password_error: messages.password_error,
        token_error: messages.token_error,
    };
    render_status(status, &page)
}

pub async fn account(State(state): State<AppState>, t: Tr, auth: Auth) -> Result<Response, WebError> {
    account_page(&state, &t, &auth, AccountMessages::default(), StatusCode::OK).await
}

pub async fn change_password(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    form: Typed,
) -> Result<Response, WebError> {
    let keep = match &auth.credential {
        Credential::Session { secret, .. } => Some(secret.as_str()),
        Credential::Bearer => None,
    };
    let changed = state
        .app
        .change_password(&auth.user, &form.get("current"), &form.get("new"), &form.get("confirm"), keep)
        .await;
    let messages = match changed {
        Ok(()) => AccountMessages { notice: Some(t.get("account-password-changed")), ..Default::default() },
        Err(AppError::Invalid(problems)) => {
            let message = problems.iter().map(|p| t.field_error(p)).collect::<Vec<_>>().join(" ");
            let refused = AccountMessages { password_error: Some(message), ..Default::default() };
            return account_page(&state, &t, &auth, refused, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Err(e) => return Err(e.into()),
    };
    account_page(&state, &t, &auth, messages, StatusCode::OK).await
}

pub async fn create_token(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    form: Typed,
) -> Result<Response, WebError> {
    let secret = match state.app.issue_token(&auth.user, &form.get("name")).await {
        Err(AppError::Invalid(problems)) => {
            let message = problems.iter().map(|p| t.field_error(p)).collect::<Vec<_>>().join(" ");
            let messages = AccountMessages { token_error: Some(message), ..AccountMessages::default() };
            return account_page(&state, &t, &auth, messages, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        other => other?,
    };
    let messages = AccountMessages { new_token: Some(secret), ..AccountMessages::default() };
    account_page(&state, &t, &auth, messages, StatusCode::OK).await
}

pub async fn revoke_token(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    state.app.revoke_token(&auth.user, &id).await?;
    let notice =
        AccountMessages { notice: Some(t.get("account-token-revoked-notice")), ..AccountMessages::default() };
    account_page(&state, &t, &auth, notice, StatusCode::OK).await
}
