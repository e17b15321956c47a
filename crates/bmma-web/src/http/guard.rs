//! The guard every request passes: it finds the caller from a session cookie or an API
//! token, and applies CSRF protection.
//!
//! Every request passes through `authenticate`, which finds the caller from a session
//! cookie or a bearer token. Everything is closed by default: `guard` refuses an anonymous
//! caller on every route except the few listed in `PUBLIC`, and refuses a state-changing
//! request made with a session cookie unless it carries the session's CSRF token.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::http::auth::{Auth, Credential, SESSION_COOKIE, cookie_value};
use crate::http::error::{WebError, is_api};
use crate::state::AppState;

/// Paths open to anyone. Everything else needs a signed-in caller.
const PUBLIC: &[&str] = &["/login", "/health", "/static/"];

fn is_public(path: &str) -> bool {
    PUBLIC.iter().any(|p| if p.ends_with('/') { path.starts_with(p) } else { path == *p })
}

/// Finds the caller, if any, and hands them to the handlers as an `Auth` extension.
async fn identify(state: &AppState, headers: &HeaderMap) -> Result<Option<Auth>, WebError> {
    if let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let Some(token) = value.strip_prefix("Bearer ") else { return Ok(None) };
        let user = state.app.user_by_token(token).await?;
        return Ok(user.map(|user| Auth { user, credential: Credential::Bearer }));
    }
    let Some(secret) = cookie_value(headers, SESSION_COOKIE) else { return Ok(None) };
    let session = state.app.session(secret).await?;
    Ok(session.map(|s| Auth {
        user: s.user,
        credential: Credential::Session { secret: secret.to_string(), csrf: s.csrf_token },
    }))
}

/// A state-changing request: one that CSRF protection applies to.
fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Forms are small; a larger body is refused before it is read for its CSRF token.
const FORM_LIMIT: usize = 1 << 20;

/// The middleware that identifies the caller and applies the rules above.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let tr = crate::http::language::language_of(&parts.uri, &parts.headers, &state);
    // Chosen once per request; the handlers and the error wording take it from here.
    parts.extensions.insert(tr.clone());
    let path = parts.uri.path().to_string();
    let api = is_api(&path);
    let fail = |e: WebError| if api { e.json(&tr) } else { e.html(&tr) };
    let auth = match identify(&state, &parts.headers).await {
        Ok(auth) => auth,
        Err(e) => return fail(e),
    };
    let Some(auth) = auth else {
        if is_public(&path) {
            return next.run(Request::from_parts(parts, body)).await;
        }
        if api {
            return WebError::Unauthenticated.json(&tr);
        }
        let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        return Redirect::to(&format!("/login?next={}", crate::http::format::encode_component(target)))
            .into_response();
    };
    let mut body = body;
    if let Credential::Session { csrf, .. } = &auth.credential
        && is_unsafe(&parts.method)
    {
        let from_header = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string);
        let presented = match from_header {
            Some(token) => Some(token),
            None => match multipart_boundary(&parts.headers) {
                // An upload form is not read whole: only its start, up to its token, and the
                // rest streams on to the handler.
                Some(boundary) => match token_first(body, boundary).await {
                    Ok((token, whole)) => {
                        body = whole;
                        token
                    }
                    Err(e) => return fail(WebError::Unreadable(StatusCode::BAD_REQUEST, e.to_string())),
                },
                None => {
                    let Ok(bytes) = to_bytes(body, FORM_LIMIT).await else {
                        return fail(WebError::Unreadable(
                            StatusCode::PAYLOAD_TOO_LARGE,
                            "the form is too large".into(),
                        ));
                    };
                    let token = form_field(&bytes, "csrf");
                    body = Body::from(bytes);
                    token
                }
            },
        };
        if presented.as_deref() != Some(csrf.as_str()) {
            let refused = WebError::Forbidden("error-csrf");
            return if api { refused.json(&tr) } else { refused.html_for(&tr, &auth) };
        }
    }
    parts.extensions.insert(auth);
    next.run(Request::from_parts(parts, body)).await
}

/// The boundary of a multipart/form-data body, if the request has one.
fn multipart_boundary(headers: &axum::http::HeaderMap) -> Option<String> {
    let content_type = headers.get(axum::http::header::CONTENT_TYPE)?.to_str().ok()?;
    multer::parse_boundary(content_type).ok()
}

/// How far into a multipart body its CSRF token is looked for.
const TOKEN_WITHIN: usize = 64 * 1024;

/// Reads the start of a multipart body until its first field, which must be `csrf` (as in
/// bmma's forms, ahead of any file), is whole, or `TOKEN_WITHIN` bytes have come without it. Returns the token, if found, and a body that yields every
/// byte of the original: the chunks already read, then the rest as it arrives.
async fn token_first(body: Body, boundary: String) -> Result<(Option<String>, Body), axum::Error> {
    use futures_util::StreamExt;
    let mut rest = body.into_data_stream();
    let mut read: Vec<axum::body::Bytes> = Vec::new();
    let mut token = None;
    while read.iter().map(axum::body::Bytes::len).sum::<usize>() < TOKEN_WITHIN {
        let Some(chunk) = rest.next().await else { break };
        read.push(chunk?);
        token = first_field(read.clone(), boundary.clone(), "csrf").await;
        if token.is_some() {
            break;
        }
    }
    let again = futures_util::stream::iter(read.into_iter().map(Ok::<_, axum::Error>));
    Ok((token, Body::from_stream(again.chain(rest))))
}

/// The value of the first field of a multipart body, from its start, when that field is the
/// text field `name`; None when it is another field, or not whole yet.
async fn first_field(chunks: Vec<axum::body::Bytes>, boundary: String, name: &str) -> Option<String> {
    let stream = futures_util::stream::iter(chunks.into_iter().map(Ok::<_, std::convert::Infallible>));
    let mut multipart = multer::Multipart::new(stream, boundary);
    let field = multipart.next_field().await.ok()??;
    if field.name() != Some(name) {
        return None;
    }
    field.text().await.ok()
}

/// The value of `name` in a URL-encoded form body.
pub(crate) fn form_field(body: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded_pairs(body);
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn serde_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}
