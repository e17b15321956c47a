//! Assessments: what a government asked for, against which framework, and how far it has got.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::country::Country;
use crate::framework::{Framework, FrameworkRef};

/// Where an assessment is in its life cycle, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssessmentStatus {
    Requested,
    Scoping,
    Fieldwork,
    Validation,
    Final,
    FollowUp,
}

impl AssessmentStatus {
    pub const ALL: [AssessmentStatus; 6] = [
        AssessmentStatus::Requested,
        AssessmentStatus::Scoping,
        AssessmentStatus::Fieldwork,
        AssessmentStatus::Validation,
        AssessmentStatus::Final,
        AssessmentStatus::FollowUp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentStatus::Requested => "requested",
            AssessmentStatus::Scoping => "scoping",
            AssessmentStatus::Fieldwork => "fieldwork",
            AssessmentStatus::Validation => "validation",
            AssessmentStatus::Final => "final",
            AssessmentStatus::FollowUp => "follow-up",
        }
    }
}

impl AssessmentStatus {
    /// The statuses this one may move to: the next step forward, or back one step while
    /// the work is still open (validation may send it back to fieldwork). A final
    /// assessment only moves on to follow-up; a later assessment starts afresh.
    pub fn next_steps(self) -> &'static [AssessmentStatus] {
        use AssessmentStatus::*;
        match self {
            Requested => &[Scoping],
            Scoping => &[Fieldwork, Requested],
            Fieldwork => &[Validation, Scoping],
            Validation => &[Final, Fieldwork],
            Final => &[FollowUp],
            FollowUp => &[],
        }
    }

    pub fn can_move_to(self, to: AssessmentStatus) -> bool {
        self.next_steps().contains(&to)
    }

    /// True when `to` lies ahead of this status in the life cycle.
    pub fn is_forward(self, to: AssessmentStatus) -> bool {
        let position = |s| AssessmentStatus::ALL.iter().position(|x| *x == s);
        position(to) > position(self)
    }
}

impl fmt::Display for AssessmentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AssessmentStatus {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        AssessmentStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| format!("unknown assessment status '{text}'"))
    }
}

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

/// The longest title or name, in characters: of an assessment, an item, a site, a person.
pub const TITLE_MAX_CHARS: usize = 200;
/// The longest notes, in characters: of an evidence item or a visit (about eight pages).
pub const NOTES_MAX_CHARS: usize = 20_000;
/// The longest e-mail address, in characters, as mail standards allow.
pub const EMAIL_MAX_CHARS: usize = 254;

/// A free text field: `Required` when `required` and blank, `TooLong` past `max` characters.
/// Every free text a user types is checked by this, so each has a stated limit.
pub fn text_problem(field: &'static str, value: &str, required: bool, max: usize) -> Option<FieldError> {
    let value = value.trim();
    if required && value.is_empty() {
        Some(FieldError { field, kind: FieldErrorKind::Required })
    } else if value.chars().count() > max {
        Some(FieldError { field, kind: FieldErrorKind::TooLong { max } })
    } else {
        None
    }
}

/// One problem with one field of user input. `field` is the name the form and the API use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    #[serde(flatten)]
    pub kind: FieldErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "code")]
pub enum FieldErrorKind {
    Required,
    TooLong {
        max: usize,
    },
    UnknownCountry {
        value: String,
    },
    UnknownFramework {
        value: String,
    },
    UnknownCode {
        value: String,
    },
    EmptyScope,
    UnknownStatus {
        value: String,
    },
    TransitionNotAllowed {
        from: AssessmentStatus,
        to: AssessmentStatus,
    },
    NotRatingPeriod {
        status: AssessmentStatus,
    },
    OutOfScope {
        value: String,
    },
    NotOnScale {
        value: i64,
    },
    NotAssigned {
        value: String,
    },
    BeforeStart,
    AfterEnd {
        value: String,
    },
    BeforeStartNamed {
        value: String,
    },
    BadDate {
        value: String,
    },
    BadCoordinate {
        value: String,
    },
    Negative,
    /// A count that is not a whole number; `value` is what was typed.
    NotANumber {
        value: String,
    },
    /// An upload over the size limit, which is given in whole megabytes.
    FileTooLarge {
        limit_mb: u64,
    },
    /// An upload of a type bmma does not accept; `value` is the file's name.
    FileTypeNotAllowed {
        value: String,
    },
    /// An evidence item that is not in this assessment's register.
    UnknownEvidence {
        value: String,
    },
    /// Text that is not an e-mail address.
    NotAnEmail,
    /// A password shorter than the policy's minimum.
    PasswordTooShort {
        min: usize,
    },
    /// An e-mail address another account has already.
    AccountExists,
    /// The current password, given to change it, is not the account's.
    WrongPassword,
    /// The new password and its confirmation differ.
    PasswordsDiffer,
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
