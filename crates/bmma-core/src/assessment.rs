//! Assessments: what a government asked for, against which framework, and how far it has got.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::country::Country;
use crate::fields::{FieldError, FieldErrorKind, TITLE_MAX_CHARS, text_problem};
use crate::framework::{Framework, FrameworkRef};
use crate::status::AssessmentStatus;

/// Which parts of the framework an assessment covers. `None` covers everything; otherwise
/// each code names a component, an element or an indicator, and covers all beneath it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Scope(pub Option<Vec<String>>);

impl Scope {
    pub fn everything() -> Scope {
        Scope(None)
    }

    pub fn is_everything(&self) -> bool {
        self.0.is_none()
    }

    /// True when `code` is an indicator of `framework` and in scope.
    pub fn includes_indicator(&self, framework: &Framework, code: &str) -> bool {
        let selected = |c: &str| self.0.as_ref().is_none_or(|codes| codes.iter().any(|s| s == c));
        framework.components.iter().any(|component| {
            component.elements.iter().any(|element| {
                element.indicators.iter().any(|indicator| {
                    indicator.code == code
                        && (selected(&component.code) || selected(&element.code) || selected(&indicator.code))
                })
            })
        })
    }

    /// The codes of every indicator of `framework` the scope covers, resolved in one walk.
    pub fn indicators_covered<'f>(&self, framework: &'f Framework) -> std::collections::HashSet<&'f str> {
        let selected = |c: &str| self.0.as_ref().is_none_or(|codes| codes.iter().any(|s| s == c));
        let mut covered = std::collections::HashSet::new();
        for component in &framework.components {
            let whole_component = selected(&component.code);
            for element in &component.elements {
                let whole_element = whole_component || selected(&element.code);
                for indicator in &element.indicators {
                    if whole_element || selected(&indicator.code) {
                        covered.insert(indicator.code.as_str());
                    }
                }
            }
        }
        covered
    }

    /// What is wrong with this scope for `framework`: an empty selection, or codes the
    /// framework does not have. Empty when the scope is fine.
    pub fn problems(&self, framework: &Framework) -> Vec<FieldError> {
        let Some(codes) = &self.0 else { return Vec::new() };
        let mut errors = Vec::new();
        if codes.is_empty() {
            errors.push(FieldError { field: "scope", kind: FieldErrorKind::EmptyScope });
        }
        for code in codes.iter().filter(|c| !framework.has_code(c)) {
            errors.push(FieldError {
                field: "scope",
                kind: FieldErrorKind::UnknownCode { value: code.clone() },
            });
        }
        errors
    }

    /// What is wrong with indicator codes a user linked something to (`field` names the
    /// input): codes `framework` does not have, and indicators outside this scope.
    pub fn indicator_problems(
        &self,
        framework: &Framework,
        field: &'static str,
        codes: &[String],
    ) -> Vec<FieldError> {
        let covered = self.indicators_covered(framework);
        codes
            .iter()
            .filter_map(|code| {
                let kind = if !framework.indicators().any(|i| &i.code == code) {
                    FieldErrorKind::UnknownCode { value: code.clone() }
                } else if !covered.contains(code.as_str()) {
                    FieldErrorKind::OutOfScope { value: code.clone() }
                } else {
                    return None;
                };
                Some(FieldError { field, kind })
            })
            .collect()
    }

    /// How many indicators of `framework` are in scope.
    pub fn indicator_count(&self, framework: &Framework) -> usize {
        self.indicators_covered(framework).len()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub id: String,
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    pub framework: FrameworkRef,
    pub title: String,
    pub requesting_body: String,
    pub status: AssessmentStatus,
    pub scope: Scope,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Increases with every change; a save that names an older version is refused.
    pub version: i64,
    /// Whoever made the last change.
    pub updated_by: crate::records::Author,
    /// Increases with every change to the scores, assignments or members.
    pub scores_version: i64,
    /// Increases with every change to the team (members and invitations); the team's forms
    /// carry it, so that one read before another's change is refused.
    pub members_version: i64,
    /// Increases with every change to who is assigned to which element, for the same reason.
    pub assignments_version: i64,
    /// What the team lead has shared, and with whom.
    pub sharing: crate::access::Sharing,
}

/// What a user supplies to open an assessment.
#[derive(Debug, Clone, Default)]
pub struct NewAssessment {
    pub country: String,
    pub framework: Option<FrameworkRef>,
    pub title: String,
    pub requesting_body: String,
    pub scope: Scope,
}

impl NewAssessment {
    /// Checks every field against `framework`, the framework the user chose (None when it
    /// could not be found). Returns every problem at once, so a form can show them together.
    pub fn validate(&self, framework: Option<&Framework>) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut push = |field, kind| errors.push(FieldError { field, kind });
        if self.country.trim().is_empty() {
            push("country", FieldErrorKind::Required);
        } else if Country::by_code(&self.country).is_none() {
            push("country", FieldErrorKind::UnknownCountry { value: self.country.clone() });
        }
        match (&self.framework, framework) {
            (None, _) => push("framework", FieldErrorKind::Required),
            (Some(reference), None) => {
                push("framework", FieldErrorKind::UnknownFramework { value: reference.to_string() })
            }
            (Some(_), Some(framework)) => {
                for error in self.scope.problems(framework) {
                    push(error.field, error.kind);
                }
            }
        }
        for (field, value) in [("title", &self.title), ("requesting_body", &self.requesting_body)] {
            if let Some(error) = text_problem(field, value, true, TITLE_MAX_CHARS) {
                push(error.field, error.kind);
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_names_in_life_cycle_order() {
        let names: Vec<_> = AssessmentStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(names, ["requested", "scoping", "fieldwork", "validation", "final", "follow-up"]);
        for status in AssessmentStatus::ALL {
            assert_eq!(status.as_str().parse::<AssessmentStatus>(), Ok(status));
        }
        assert!("closed".parse::<AssessmentStatus>().is_err());
    }

    #[test]
    fn the_life_cycle_moves_one_step_at_a_time_and_never_back_from_final() {
        use AssessmentStatus::*;
        let allowed: Vec<(AssessmentStatus, AssessmentStatus)> = AssessmentStatus::ALL
            .iter()
            .flat_map(|from| AssessmentStatus::ALL.iter().map(move |to| (*from, *to)))
            .filter(|(from, to)| from.can_move_to(*to))
            .collect();
        assert_eq!(
            allowed,
            [
                (Requested, Scoping),
                (Scoping, Requested),
                (Scoping, Fieldwork),
                (Fieldwork, Scoping),
                (Fieldwork, Validation),
                (Validation, Fieldwork),
                (Validation, Final),
                (Final, FollowUp),
            ]
        );
        assert!(Scoping.is_forward(Fieldwork) && !Scoping.is_forward(Requested));
    }

    #[test]
    fn missing_fields_are_all_reported_at_once() {
        let errors = NewAssessment::default().validate(None).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["country", "framework", "title", "requesting_body"]);
    }

    #[test]
    fn an_unknown_country_is_named_with_its_value() {
        let new = NewAssessment { country: "QQ".into(), ..NewAssessment::default() };
        let errors = new.validate(None).unwrap_err();
        assert_eq!(errors[0].field, "country");
        assert_eq!(errors[0].kind, FieldErrorKind::UnknownCountry { value: "QQ".into() });
    }
}
