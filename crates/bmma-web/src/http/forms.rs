//! Reading forms, whose checkboxes repeat one name, and showing their problems again.

use axum::extract::{FromRequest, Request};
use bmma_core::framework::Framework;
use bmma_core::{Assessment, FieldError};

use crate::http::error::WebError;
use crate::i18n::Tr;

/// What was typed into a form, shown again when something was wrong.
#[derive(Debug, Default, Clone)]
pub(crate) struct Typed {
    pub pairs: Vec<(String, String)>,
}

impl Typed {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> String {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// Whether the form has `name` at all (a ticked checkbox).
    pub fn has(&self, name: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == name)
    }

    /// The version of the record the form was read at; 0 when missing or not a number,
    /// which no saved record has, so such a form is refused as out of date.
    pub fn version(&self) -> i64 {
        self.get("version").trim().parse().unwrap_or(0)
    }

    /// Every value of `name` (ticked boxes), trimmed.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).collect()
    }
}

/// Every form is read as its pairs, in order, so a repeated name keeps all its values; a
/// body that is not a form is refused with what was wrong.
impl<S: Send + Sync> FromRequest<S> for Typed {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<Typed, WebError> {
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(request, state)
            .await
            .map_err(|e| WebError::Unreadable(e.status(), e.body_text()))?;
        Ok(Typed { pairs })
    }
}

/// One indicator offered as a checkbox in a form.
pub(crate) struct IndicatorChoice {
    pub code: String,
    pub title: String,
    pub ticked: bool,
}

/// The indicators of `framework` in the assessment's scope, as a form's checkboxes.
pub(crate) fn indicator_choices(
    a: &Assessment,
    framework: &Framework,
    ticked: impl Fn(&str) -> bool,
) -> Vec<IndicatorChoice> {
    let covered = a.scope.indicators_covered(framework);
    framework
        .indicators()
        .filter(|i| covered.contains(i.code.as_str()))
        .map(|i| IndicatorChoice { code: i.code.clone(), title: i.title.clone(), ticked: ticked(&i.code) })
        .collect()
}

/// A JSON body; one that cannot be read is refused with what was wrong and where (400 for
/// malformed JSON, 422 for a field of the wrong type or an unknown field, 415 for another
/// content type).
pub(crate) struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<JsonBody<T>, WebError> {
        let axum::Json(value) = axum::Json::<T>::from_request(request, state)
            .await
            .map_err(|e| WebError::Unreadable(e.status(), e.body_text()))?;
        Ok(JsonBody(value))
    }
}

/// A form's problems as its page shows them: each with its field and its message in the
/// reader's language.
#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<(&'static str, String)>);

impl Problems {
    /// `errors` worded for `t`'s reader.
    pub fn of(t: &Tr, errors: &[FieldError]) -> Problems {
        Problems(errors.iter().map(|e| (e.field, t.field_error(e))).collect())
    }

    /// The messages about `field`, joined, for showing beside it.
    pub fn error_for(&self, field: &str) -> Option<String> {
        let messages: Vec<&str> =
            self.0.iter().filter(|(f, _)| *f == field).map(|(_, m)| m.as_str()).collect();
        if messages.is_empty() { None } else { Some(messages.join(" ")) }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every problem, in order, as (field, message).
    pub fn iter(&self) -> std::slice::Iter<'_, (&'static str, String)> {
        self.0.iter()
    }
}

impl From<Vec<(&'static str, String)>> for Problems {
    fn from(messages: Vec<(&'static str, String)>) -> Problems {
        Problems(messages)
    }
}
