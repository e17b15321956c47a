//! The one error type of the web layer. It renders as JSON under /api and as an HTML page
//! elsewhere, in the user's language, and logs the whole cause of a server error.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use bmma_app::CatalogError;
use bmma_core::{FieldError, FieldErrorKind};
use serde_json::json;

use crate::http::auth::Auth;
use crate::http::page::{Chrome, ErrorPage, Me};
use crate::i18n::Tr;
use crate::state::AppState;

#[derive(Debug, Clone)]
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

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> WebError {
        WebError::Internal(format!("template: {e}"))
    }
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
            WebError::Invalid(errors) => error_status(errors),
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
                tr.with(key, &[("who", who), ("when", &crate::http::format::minute_utc(*when))])
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
    pub fn html_for(self, tr: &Tr, auth: &Auth) -> Response {
        self.page(tr, Some(Me::of(auth)))
    }

    fn page(self, tr: &Tr, me: Option<Me>) -> Response {
        self.log();
        let status = self.status();
        let page = ErrorPage {
            t: tr.clone(),
            chrome: Chrome { nav: "", me },
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

/// Whether a path is the JSON API's, whose answers, errors included, are JSON.
pub(crate) fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// 413 for an upload over the limit, 415 for a type not accepted, 422 otherwise.
pub(crate) fn error_status(errors: &[FieldError]) -> StatusCode {
    if errors.iter().any(|e| matches!(e.kind, FieldErrorKind::FileTooLarge { .. })) {
        StatusCode::PAYLOAD_TOO_LARGE
    } else if errors.iter().any(|e| matches!(e.kind, FieldErrorKind::FileTypeNotAllowed { .. })) {
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// An error a handler returned, waiting to be worded: a handler knows neither the reader's
/// language nor whether its caller wants a page or JSON, so `render_errors` words it.
#[derive(Clone)]
struct Unrendered(WebError);

/// Handlers return `Result<_, WebError>`; the error is worded on the way out.
impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(Unrendered(self));
        response
    }
}

/// Words every error a handler returned: as JSON under /api, otherwise as a page in the
/// site's layout, keeping the signed-in caller's menu; both in the reader's language.
pub(crate) async fn render_errors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let tr = match request.extensions().get::<Tr>() {
        Some(tr) => tr.clone(),
        None => crate::http::language::language_of(request.uri(), request.headers(), &state),
    };
    let api = is_api(request.uri().path());
    let auth = request.extensions().get::<Auth>().cloned();
    let mut response = next.run(request).await;
    let Some(Unrendered(error)) = response.extensions_mut().remove::<Unrendered>() else {
        return response;
    };
    match (api, auth) {
        (true, _) => error.json(&tr),
        (false, Some(auth)) => error.html_for(&tr, &auth),
        (false, None) => error.html(&tr),
    }
}
