//! Independent ratings, the team's agreed scores and the overview built from them, for the
//! pages and the API alike.

pub(crate) mod assignments;
mod input;
pub(crate) mod pages;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use bmma_app::scores::board;
use bmma_core::Action;

use crate::http::access::assessment_for;
use crate::http::auth::Auth;
use crate::http::error::WebError;
use crate::http::forms::JsonBody;
use crate::state::AppState;
use input::{Kind, ScoreInput, save};

pub async fn scores_api(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let access = assessment_for(&state, &auth, &id, Action::ViewDrafts).await?;
    let loaded = state.app.framework_of(&access.assessment).await?;
    let data = state.app.score_data(&access).await?;
    let json = data.board_json(&access, &auth.user, &loaded.framework)?;
    let json_type = axum::http::HeaderValue::from_static("application/json");
    Ok(([(axum::http::header::CONTENT_TYPE, json_type)], json).into_response())
}

/// The answer to a save through the API: the saved indicator as the caller now sees it,
/// built from that indicator's records alone, not from a reload of every score.
async fn save_api(
    state: &AppState,
    auth: &Auth,
    id: &str,
    code: &str,
    kind: Kind,
    input: &ScoreInput,
) -> Result<Response, WebError> {
    let access = save(state, auth, id, code, kind, input).await?;
    let loaded = state.app.framework_of(&access.assessment).await?;
    let data = state.app.indicator_score_data(&access, code).await?;
    let board = board(&data, &access, &auth.user, &loaded.framework);
    let indicator = board.indicators.into_iter().find(|i| i.code == code).ok_or(WebError::NotFound)?;
    Ok(Json(indicator).into_response())
}

pub async fn rating_api(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code)): Path<(String, String)>,
    JsonBody(input): JsonBody<ScoreInput>,
) -> Result<Response, WebError> {
    save_api(&state, &auth, &id, &code, Kind::Rating, &input).await
}

pub async fn agreed_api(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, code)): Path<(String, String)>,
    JsonBody(input): JsonBody<ScoreInput>,
) -> Result<Response, WebError> {
    save_api(&state, &auth, &id, &code, Kind::Agreed, &input).await
}
