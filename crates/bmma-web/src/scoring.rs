//! Independent ratings, the team's agreed scores and the overview built from them, for the
//! pages and the API alike.

use axum::Form;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use bmma_app::scoring::ScoreRequest;
pub(crate) use bmma_core::board::{ComponentScore, ElementScore, IndicatorScores, ScoreBoard};
use bmma_core::{Action, FieldError, FieldErrorKind, Rating};
use serde::Deserialize;

use crate::AppState;
use crate::access::assessment_for;
use crate::auth::Auth;
use crate::error::WebError;
use crate::i18n::Tr;

pub(crate) use bmma_app::scores::board;

/// A rating or an agreed score as sent by a form or the API.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScoreInput {
    /// level, insufficient-evidence, not-applicable or not-assessed.
    pub state: String,
    pub level: Option<String>,
    /// The expert's justification, or the team's narrative for an agreed score.
    pub text: String,
    /// The version read; 0 when there was none.
    pub version: i64,
    /// The form's single choice: a level ("3") or a state ("not-applicable").
    pub choice: Option<String>,
    /// Ids of the evidence items cited, from the assessment's register.
    pub evidence: Vec<String>,
}

impl ScoreInput {
    /// Reads a form, whose evidence boxes repeat one name.
    fn from_form(pairs: Vec<(String, String)>) -> ScoreInput {
        let mut input = ScoreInput::default();
        for (key, value) in pairs {
            match key.as_str() {
                "state" => input.state = value,
                "level" => input.level = Some(value),
                "text" => input.text = value,
                "version" => input.version = value.trim().parse().unwrap_or(0),
                "choice" => input.choice = Some(value),
                "evidence" => input.evidence.push(value),
                _ => {}
            }
        }
        input
    }
}

fn parse_rating(input: &ScoreInput) -> Result<Rating, WebError> {
    if let Some(choice) = input.choice.as_deref().map(str::trim) {
        return match choice.parse::<i64>() {
            Ok(level) => Rating::from_parts("level", Some(level))
                .map_err(|_| invalid("level", FieldErrorKind::NotOnScale { value: level })),
            Err(_) if choice.is_empty() => Err(invalid("choice", FieldErrorKind::Required)),
            Err(_) => Rating::from_parts(choice, None)
                .map_err(|_| invalid("choice", FieldErrorKind::UnknownStatus { value: choice.to_string() })),
        };
    }
    let level = match input.level.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            text.parse::<i64>().map_err(|_| invalid("level", FieldErrorKind::NotOnScale { value: -1 }))?,
        ),
    };
    Rating::from_parts(input.state.trim(), level).map_err(|_| match input.state.as_str() {
        "level" => invalid("level", FieldErrorKind::Required),
        other => invalid("state", FieldErrorKind::UnknownStatus { value: other.to_string() }),
    })
}

fn invalid(field: &'static str, kind: FieldErrorKind) -> WebError {
    WebError::Invalid(vec![FieldError { field, kind }])
}

pub(crate) use bmma_app::scoring::Kind;

/// Reads what a form or the API sent, and saves it through the application layer.
pub(crate) async fn save(
    state: &AppState,
    auth: &Auth,
    id: &str,
    code: &str,
    kind: Kind,
    input: &ScoreInput,
) -> Result<bmma_app::access::Access, WebError> {
    let rating = parse_rating(input)?;
    let request =
        ScoreRequest { rating, text: &input.text, evidence: &input.evidence, version: input.version };
    Ok(state.app.save_score(&auth.user, id, code, kind, request).await?)
}

pub async fn scores_api(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let access = assessment_for(&state, &auth, &id, Action::ViewDrafts).await?;
        let loaded = state.framework_of(&access.assessment).await?;
        let data = state.app.score_data(&access).await?;
        let json = data.board_json(&access, &auth.user, &loaded.framework)?;
        Ok::<_, WebError>(
            (
                [(
                    axum::http::header::CONTENT_TYPE,
                    axum::http::HeaderValue::from_static("application/json"),
                )],
                json,
            )
                .into_response(),
        )
    }
    .await;
    result.unwrap_or_else(|e| e.json(&t))
}

async fn save_api(
    state: AppState,
    t: Tr,
    auth: Auth,
    id: String,
    code: String,
    kind: Kind,
    body: Result<Json<ScoreInput>, JsonRejection>,
) -> Response {
    let result = async {
        let Json(input) = body.map_err(|e| WebError::Unreadable(e.status(), e.body_text()))?;
        let access = save(&state, &auth, &id, &code, kind, &input).await?;
        let loaded = state.framework_of(&access.assessment).await?;
        // The answer is the saved indicator as the caller now sees it: built from that
        // indicator's records alone, not from a reload of every score of the assessment.
        let data = state.app.indicator_score_data(&access, &code).await?;
        let board = board(&data, &access, &auth.user, &loaded.framework);
        let indicator = board.indicators.into_iter().find(|i| i.code == code).ok_or(WebError::NotFound)?;
        Ok::<_, WebError>(Json(indicator).into_response())
    }
    .await;
    result.unwrap_or_else(|e| e.json(&t))
}

pub async fn rating_api(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path((id, code)): Path<(String, String)>,
    body: Result<Json<ScoreInput>, JsonRejection>,
) -> Response {
    save_api(state, t, auth, id, code, Kind::Rating, body).await
}

pub async fn agreed_api(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path((id, code)): Path<(String, String)>,
    body: Result<Json<ScoreInput>, JsonRejection>,
) -> Response {
    save_api(state, t, auth, id, code, Kind::Agreed, body).await
}

async fn save_form(
    state: AppState,
    t: Tr,
    auth: Auth,
    id: String,
    code: String,
    kind: Kind,
    input: ScoreInput,
) -> Response {
    match save(&state, &auth, &id, &code, kind, &input).await {
        Ok(_) => Redirect::to(&format!("/assessments/{id}/indicators/{code}")).into_response(),
        Err(WebError::Invalid(errors)) => {
            crate::score_pages::indicator_page(&state, &t, &auth, &id, &code, Some((kind, input, errors)))
                .await
                .unwrap_or_else(|e| e.html_for(&t, &auth))
        }
        Err(e) => e.html_for(&t, &auth),
    }
}

pub async fn rating_form(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path((id, code)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    save_form(state, t, auth, id, code, Kind::Rating, ScoreInput::from_form(pairs)).await
}

pub async fn agreed_form(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path((id, code)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    save_form(state, t, auth, id, code, Kind::Agreed, ScoreInput::from_form(pairs)).await
}
