//! Assessments in the JSON API: the list, one assessment, and opening one.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bmma_app::assessments::OpenAssessment;
use bmma_app::{AssessmentJson, new_id};
use bmma_core::Action;

use crate::http::access::{assessment_for, visible_assessments};
use crate::http::auth::Auth;
use crate::http::error::WebError;
use crate::http::forms::JsonBody;
use crate::state::AppState;

pub async fn list(State(state): State<AppState>, auth: Auth) -> Result<Response, WebError> {
    let items: Vec<serde_json::Value> = visible_assessments(&state, &auth)
        .await?
        .iter()
        .map(|access| AssessmentJson::new(&access.assessment).for_reader(access.can(Action::ViewDrafts)))
        .collect();
    Ok::<_, WebError>(Json(serde_json::json!({ "assessments": items })).into_response())
}

pub async fn one(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let access = assessment_for(&state, &auth, &id, Action::View).await?;
    let json = AssessmentJson::new(&access.assessment).for_reader(access.can(Action::ViewDrafts));
    Ok::<_, WebError>(Json(json).into_response())
}

pub async fn open(
    State(state): State<AppState>,
    auth: Auth,
    JsonBody(body): JsonBody<OpenAssessment>,
) -> Result<Response, WebError> {
    let assessment = state.app.open_assessment(&auth.user, new_id(), body).await?;
    let location = format!("/api/v1/assessments/{}", assessment.id);
    Ok::<_, WebError>(
        (StatusCode::CREATED, [(header::LOCATION, location)], Json(AssessmentJson::new(&assessment)))
            .into_response(),
    )
}
