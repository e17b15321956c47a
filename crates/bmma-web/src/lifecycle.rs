//! Moving an assessment along its life cycle, from the page and the API alike.

use axum::Form;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use bmma_core::{Action, Assessment, AssessmentStatus, FieldError, FieldErrorKind};
use serde::Deserialize;

use crate::AppState;
use crate::access::assessment_for;
use crate::auth::Auth;
use crate::error::WebError;
use crate::i18n::Tr;
use bmma_app::AssessmentJson;

/// A request to move to `to`, made by someone who read the assessment at `version`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Move {
    pub to: String,
    pub version: i64,
    /// The form's CSRF token; checked by the guard, carried here only so the form parses.
    pub csrf: Option<String>,
}

/// "Changed by X at T": why a save that lost a race was refused.
pub(crate) fn stale(current: &Assessment) -> WebError {
    WebError::Stale { key: "error-stale", by: Some((current.updated_by.name.clone(), current.updated_at)) }
}

async fn apply(state: &AppState, auth: &Auth, id: &str, request: &Move) -> Result<Assessment, WebError> {
    let access = assessment_for(state, auth, id, Action::ChangeStatus).await?;
    let current = access.assessment;
    let to = request.to.parse::<AssessmentStatus>().map_err(|_| {
        WebError::Invalid(vec![FieldError {
            field: "to",
            kind: FieldErrorKind::UnknownStatus { value: request.to.clone() },
        }])
    })?;
    if current.version != request.version {
        return Err(stale(&current));
    }
    if !current.status.can_move_to(to) {
        return Err(WebError::Invalid(vec![FieldError {
            field: "to",
            kind: FieldErrorKind::TransitionNotAllowed { from: current.status, to },
        }]));
    }
    let moved = state.store.change_status(&current, to, request.version, &auth.user.actor()).await?;
    let now = state.store.get_assessment(id).await?.ok_or(WebError::NotFound)?;
    if !moved {
        return Err(stale(&now));
    }
    Ok(now)
}

/// `POST /assessments/{id}/status`, from the buttons on the assessment page.
pub async fn move_from_page(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
    Form(request): Form<Move>,
) -> Response {
    match apply(&state, &auth, &id, &request).await {
        Ok(_) => Redirect::to(&format!("/assessments/{id}")).into_response(),
        Err(WebError::Invalid(errors)) => {
            let message = errors.iter().map(|e| t.field_error(e)).collect::<Vec<_>>().join(" ");
            WebError::Unreadable(axum::http::StatusCode::UNPROCESSABLE_ENTITY, message).html_for(&t, &auth)
        }
        Err(e) => e.html_for(&t, &auth),
    }
}

/// `POST /api/v1/assessments/{id}/status` with `{"to": "scoping", "version": 3}`.
pub async fn move_from_api(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
    body: Result<Json<Move>, JsonRejection>,
) -> Response {
    let result = async {
        let Json(request) = body.map_err(|e| WebError::Unreadable(e.status(), e.body_text()))?;
        let moved = apply(&state, &auth, &id, &request).await?;
        Ok::<_, WebError>(Json(AssessmentJson::new(&moved).for_reader(true)).into_response())
    }
    .await;
    result.unwrap_or_else(|e| e.json(&t))
}
