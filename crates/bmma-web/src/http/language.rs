//! The reader's language, and the headers every response carries.

use std::convert::Infallible;

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::i18n::{self, Tr};
use crate::state::AppState;

const LANGUAGE_COOKIE: &str = "bmma_lang";

/// The value of `name` in the query string, if present.
fn query_value<'a>(query: Option<&'a str>, name: &str) -> Option<&'a str> {
    query?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then_some(value)
    })
}

/// The user's language: `?lang=`, then the language cookie, then Accept-Language.
pub(crate) fn language_of(uri: &Uri, headers: &HeaderMap, state: &AppState) -> Tr {
    let chosen = query_value(uri.query(), "lang")
        .or_else(|| crate::http::auth::cookie_value(headers, LANGUAGE_COOKIE));
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    state.i18n.translator(state.i18n.negotiate(chosen, accept))
}

impl FromRequestParts<AppState> for Tr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Tr, Infallible> {
        // The guard chose it already for every routed request.
        Ok(parts
            .extensions
            .get::<Tr>()
            .cloned()
            .unwrap_or_else(|| language_of(&parts.uri, &parts.headers, state)))
    }
}

/// Security headers on every response, and the language cookie when `?lang=` chose one.
pub(crate) async fn common_headers(request: Request, next: Next) -> Response {
    let chosen = query_value(request.uri().query(), "lang")
        .filter(|l| i18n::LANGUAGES.iter().any(|(known, _)| known == l))
        .map(str::to_string);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let Some(lang) = chosen {
        let cookie = format!("{LANGUAGE_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Strict; HttpOnly");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}
