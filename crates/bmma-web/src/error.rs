//! The one error type of the web layer. It renders as JSON under /api and as an HTML page
//! elsewhere, in the user's language, and logs the whole cause of a server error.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use bmma_core::FieldError;
use serde_json::json;

use crate::i18n::Tr;
use bmma_app::CatalogError;

#[derive(Debug)]
pub enum WebError {
    /// 404: the thing asked for does not exist, or the caller may not know it does.
    NotFound,
    /// 401: no one is signed in (API only; pages redirect to the sign-in form).
    Unauthenticated,
    /// 403: signed in, but not allowed; the key names the message.
    Forbidden(&'static str),
    /// 409: someone else changed the record since it was read; the message says who and when.
    Stale { key: &'static str, by: Option<(String, time::OffsetDateTime)> },
    /// The request could not be read: malformed JSON (400), a value of the wrong type or
    /// an unknown field (422), a wrong content type (415).
    Unreadable(StatusCode, String),
    /// 422: the request was read, and fields are wrong.
    Invalid(Vec<FieldError>),
    /// 422: a rule refuses the request as a whole; the key names the message.
    Refused(&'static str),
    /// 500: something broke on our side; details go to the log, not to the user.
    Internal(String),
}

impl From<CatalogError> for WebError {
    fn from(e: CatalogError) -> WebError {
        WebError::Internal(e.to_string())
    }
}

impl From<bmma_app::AppError> for WebError {
    fn from(e: bmma_app::AppError) -> WebError {
        use bmma_app::AppError;
        match e {
            AppError::NotFound => WebError::NotFound,
            AppError::Forbidden(key) => WebError::Forbidden(key),
            AppError::Stale { key, by } => WebError::Stale { key, by },
            AppError::Invalid(errors) => WebError::Invalid(errors),
            AppError::Refused(key) => WebError::Refused(key),
            AppError::Internal(cause) => WebError::Internal(cause),
        }
    }
}

impl WebError {
    fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Unauthenticated => StatusCode::UNAUTHORIZED,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::Stale { .. } => StatusCode::CONFLICT,
            WebError::Unreadable(status, _) => *status,
            WebError::Invalid(errors) => crate::evidence::error_status(errors),
            WebError::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self, tr: &Tr) -> String {
        match self {
            WebError::NotFound => tr.get("error-not-found"),
            WebError::Unauthenticated => tr.get("error-unauthenticated"),
            WebError::Forbidden(key) => tr.get(key),
            WebError::Stale { key, by: None } => tr.get(key),
            WebError::Stale { key, by: Some((who, when)) } => {
                tr.with(key, &[("who", who), ("when", &crate::pages::minute_utc(*when))])
            }
            WebError::Unreadable(_, detail) => tr.with("error-bad-request", &[("detail", detail)]),
            WebError::Invalid(_) => tr.get("error-invalid"),
            WebError::Refused(key) => tr.get(key),
            WebError::Internal(_) => tr.get("error-internal"),
        }
    }

    fn log(&self) {
        if let WebError::Internal(cause) = self {
            tracing::error!(%cause, "request failed");
        }
    }

    /// The JSON form: `{"error": {"status", "message", "fields": [...]}}`.
    pub fn json(self, tr: &Tr) -> Response {
        self.log();
        let fields: Vec<_> = match &self {
            WebError::Invalid(errors) => errors
                .iter()
                .map(|e| {
                    let mut value = serde_json::to_value(e).unwrap_or_default();
                    value["message"] = json!(tr.field_error(e));
                    value
                })
                .collect(),
            _ => Vec::new(),
        };
        let status = self.status();
        let body = json!({
            "error": {
                "status": status.as_u16(),
                "message": self.message(tr),
                "fields": fields,
            }
        });
        (status, Json(body)).into_response()
    }

    /// The HTML form: a short page in the site's layout.
    pub fn html(self, tr: &Tr) -> Response {
        self.page(tr, None)
    }

    /// The HTML form for a signed-in caller, whose header keeps their menu.
    pub fn html_for(self, tr: &Tr, auth: &crate::auth::Auth) -> Response {
        self.page(tr, Some(crate::pages::Me::of(auth)))
    }

    fn page(self, tr: &Tr, me: Option<crate::pages::Me>) -> Response {
        self.log();
        let status = self.status();
        let page = crate::pages::ErrorPage {
            t: tr.clone(),
            nav: "",
            me,
            status: status.as_u16(),
            message: self.message(tr),
        };
        match askama::Template::render(&page) {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(%e, "error page failed to render");
                (status, self.message(tr)).into_response()
            }
        }
    }
}
