//! Who is asking: the signed-in caller as handlers receive it, and the session cookie.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bmma_app::accounts::SESSION_LIFETIME;
use bmma_app::records::User;

pub const SESSION_COOKIE: &str = "bmma_session";

/// How the caller proved who they are.
#[derive(Clone, Debug)]
pub enum Credential {
    /// A browser session: `csrf` must accompany every state-changing request.
    Session {
        /// The secret of the session's cookie.
        secret: String,
        csrf: String,
    },
    Bearer,
}

/// The signed-in caller, found by `authenticate`.
#[derive(Clone, Debug)]
pub struct Auth {
    pub user: User,
    pub credential: Credential,
}

impl Auth {
    /// The CSRF token to put in forms (empty for token-authenticated callers, who use no forms).
    pub fn csrf(&self) -> &str {
        match &self.credential {
            Credential::Session { csrf, .. } => csrf,
            Credential::Bearer => "",
        }
    }
}

pub(crate) fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then_some(value)
        })
}

/// Handlers of guarded routes take `Auth` as an argument; it is always there.
impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Auth, Response> {
        parts
            .extensions
            .get::<Auth>()
            .cloned()
            .ok_or_else(|| (StatusCode::UNAUTHORIZED, "sign in first").into_response())
    }
}

/// The session cookie: HttpOnly, SameSite=Strict, and Secure when bmma is served over HTTPS.
pub fn session_cookie(secret: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let max_age = SESSION_LIFETIME.whole_seconds();
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn clear_session_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}"))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}
