//! The public JSON of bmma's records: what the API returns and the command line prints.

use bmma_core::{Assessment, Country, Framework};
use bmma_store::FrameworkRecord;
use serde::Serialize;
use time::OffsetDateTime;

/// A whole framework as the API returns it: the framework, and how it came to be stored.
#[derive(Serialize)]
pub struct FrameworkJson<'a> {
    #[serde(flatten)]
    framework: &'a Framework,
    builtin: bool,
    #[serde(with = "time::serde::rfc3339")]
    imported_at: OffsetDateTime,
}

impl<'a> FrameworkJson<'a> {
    pub fn new(framework: &'a Framework, record: &FrameworkRecord) -> FrameworkJson<'a> {
        FrameworkJson { framework, builtin: record.builtin, imported_at: record.imported_at }
    }
}

/// An assessment as the API returns it.
#[derive(Serialize)]
pub struct AssessmentJson<'a> {
    #[serde(flatten)]
    assessment: &'a Assessment,
    country_name: &'static str,
    url: String,
}

impl<'a> AssessmentJson<'a> {
    pub fn new(assessment: &'a Assessment) -> AssessmentJson<'a> {
        AssessmentJson {
            assessment,
            country_name: Country::by_code(&assessment.country).map_or("", |c| c.name),
            url: format!("/api/v1/assessments/{}", assessment.id),
        }
    }

    /// The JSON a reader sees: without the work in progress (the scope) unless they may
    /// see drafts.
    pub fn for_reader(&self, sees_drafts: bool) -> serde_json::Value {
        let mut json = serde_json::to_value(self).unwrap_or_default();
        if !sees_drafts && let Some(object) = json.as_object_mut() {
            object.remove("scope");
        }
        json
    }
}
