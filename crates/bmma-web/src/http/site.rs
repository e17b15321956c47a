//! The site's own routes: the start page, the stylesheet and icon, the health check, and
//! what answers an unknown path.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Json, Redirect, Response};
use serde_json::json;

use crate::http::error::WebError;
use crate::state::AppState;

pub async fn home() -> Redirect {
    Redirect::to("/assessments")
}

pub async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/bmma.css"),
    )
        .into_response()
}

pub async fn favicon() -> Response {
    (
        [(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")],
        include_str!("../../static/favicon.svg"),
    )
        .into_response()
}

pub async fn health(State(state): State<AppState>) -> Response {
    let backend = state.app.backend_name();
    match state.app.ping().await {
        Ok(()) => {
            Json(json!({ "status": "ok", "database": "reachable", "backend": backend })).into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "database": "unreachable", "backend": backend })),
            )
                .into_response()
        }
    }
}

/// Any path no route has: a page, or JSON under /api.
pub async fn not_found() -> WebError {
    WebError::NotFound
}
