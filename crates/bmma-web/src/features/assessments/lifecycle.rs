//! Moving an assessment along its life cycle, from the page and the API alike.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use bmma_core::Assessment;
use serde::Deserialize;

use crate::http::auth::Auth;
use crate::http::error::WebError;
use crate::http::forms::{JsonBody, Typed};
use crate::i18n::Tr;
use crate::state::AppState;
use bmma_app::AssessmentJson;

/// A request to move to `to`, made by someone who read the assessment at `version`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Move {
    pub to: String,
    pub version: i64,
}

async fn apply(state: &AppState, auth: &Auth, id: &str, request: &Move) -> Result<Assessment, WebError> {
    Ok(state.app.move_status(&auth.user, id, &request.to, request.version).await?)
}

/// `POST /assessments/{id}/status`, from the buttons on the assessment page.
pub async fn move_from_page(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
    form: Typed,
) -> Result<Response, WebError> {
    let request = Move { to: form.get("to"), version: form.version() };
    match apply(&state, &auth, &id, &request).await {
        Ok(_) => Ok(Redirect::to(&format!("/assessments/{id}")).into_response()),
        // The buttons carry no field to show a problem beside: the page says it whole.
        Err(WebError::Invalid(errors)) => {
            let message = errors.iter().map(|e| t.field_error(e)).collect::<Vec<_>>().join(" ");
            Err(WebError::Unreadable(axum::http::StatusCode::UNPROCESSABLE_ENTITY, message))
        }
        Err(e) => Err(e),
    }
}

/// `POST /api/v1/assessments/{id}/status` with `{"to": "scoping", "version": 3}`.
pub async fn move_from_api(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<Move>,
) -> Result<Response, WebError> {
    let moved = apply(&state, &auth, &id, &request).await?;
    Ok::<_, WebError>(Json(AssessmentJson::new(&moved).for_reader(true)).into_response())
}
