//! The JSON API under /api/v1.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bmma_app::assessments::OpenAssessment;
use bmma_core::{Action, FrameworkRef};
use serde::Serialize;
use time::OffsetDateTime;

use crate::AppState;
use crate::access::{assessment_for, visible_assessments};
use crate::auth::Auth;
use crate::error::WebError;
use crate::i18n::Tr;
use bmma_app::{AssessmentJson, new_id};

/// One line of the framework list.
#[derive(Serialize)]
struct FrameworkSummary {
    id: String,
    version: String,
    name: String,
    builtin: bool,
    #[serde(with = "time::serde::rfc3339")]
    imported_at: OffsetDateTime,
    components: usize,
    elements: usize,
    indicators: usize,
    url: String,
}

pub async fn list_frameworks(State(state): State<AppState>, tr: Tr) -> Response {
    let result = async {
        let summaries: Vec<FrameworkSummary> = state
            .app
            .frameworks()
            .await?
            .iter()
            .map(|loaded| {
                let f = &loaded.framework;
                FrameworkSummary {
                    id: f.id.clone(),
                    version: f.version.clone(),
                    name: f.name.clone(),
                    builtin: loaded.record.builtin,
                    imported_at: loaded.record.imported_at,
                    components: f.components.len(),
                    elements: f.elements().count(),
                    indicators: f.indicators().count(),
                    url: format!("/api/v1/frameworks/{}/{}", f.id, f.version),
                }
            })
            .collect();
        Ok::<_, WebError>(Json(serde_json::json!({ "frameworks": summaries })).into_response())
    }
    .await;
    result.unwrap_or_else(|e| e.json(&tr))
}

/// The newest version of a framework.
pub async fn get_framework(State(state): State<AppState>, tr: Tr, Path(id): Path<String>) -> Response {
    framework_response(&state, FrameworkRef { id, version: String::new() })
        .await
        .unwrap_or_else(|e| e.json(&tr))
}

pub async fn get_framework_version(
    State(state): State<AppState>,
    tr: Tr,
    Path((id, version)): Path<(String, String)>,
) -> Response {
    framework_response(&state, FrameworkRef { id, version }).await.unwrap_or_else(|e| e.json(&tr))
}

async fn framework_response(state: &AppState, reference: FrameworkRef) -> Result<Response, WebError> {
    let loaded = state.app.framework(&reference).await?.ok_or(WebError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], loaded.json.clone()).into_response())
}

pub async fn list_assessments(State(state): State<AppState>, tr: Tr, auth: Auth) -> Response {
    let result = async {
        let items: Vec<serde_json::Value> = visible_assessments(&state, &auth)
            .await?
            .iter()
            .map(|access| AssessmentJson::new(&access.assessment).for_reader(access.can(Action::ViewDrafts)))
            .collect();
        Ok::<_, WebError>(Json(serde_json::json!({ "assessments": items })).into_response())
    }
    .await;
    result.unwrap_or_else(|e| e.json(&tr))
}

pub async fn get_assessment(
    State(state): State<AppState>,
    tr: Tr,
    auth: Auth,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let access = assessment_for(&state, &auth, &id, Action::View).await?;
        let json = AssessmentJson::new(&access.assessment).for_reader(access.can(Action::ViewDrafts));
        Ok::<_, WebError>(Json(json).into_response())
    }
    .await;
    result.unwrap_or_else(|e| e.json(&tr))
}

pub async fn create_assessment(
    State(state): State<AppState>,
    tr: Tr,
    auth: Auth,
    body: Result<Json<OpenAssessment>, JsonRejection>,
) -> Response {
    let result = async {
        let Json(body) = body.map_err(|e| WebError::Unreadable(e.status(), e.body_text()))?;
        let assessment = state.app.open_assessment(&auth.user, new_id(), body).await?;
        let location = format!("/api/v1/assessments/{}", assessment.id);
        Ok::<_, WebError>(
            (StatusCode::CREATED, [(header::LOCATION, location)], Json(AssessmentJson::new(&assessment)))
                .into_response(),
        )
    }
    .await;
    result.unwrap_or_else(|e| e.json(&tr))
}
