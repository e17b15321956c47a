//! What a form or the API sends to rate or agree, read into the application's request.

use bmma_app::scoring::ScoreRequest;
use bmma_core::{FieldError, FieldErrorKind, Rating};
use serde::Deserialize;

use crate::http::auth::Auth;
use crate::http::error::WebError;
use crate::state::AppState;

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
    pub(crate) fn from_form(pairs: Vec<(String, String)>) -> ScoreInput {
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
