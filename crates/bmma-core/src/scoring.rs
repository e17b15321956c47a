//! Independent ratings and the team's agreed scores: what may be recorded, and how far
//! the experts' ratings of one indicator lie apart.

use serde::Serialize;

use crate::aggregation::Rating;
use crate::assessment::Scope;
use crate::fields::{FieldError, FieldErrorKind};
use crate::framework::Framework;
use crate::status::AssessmentStatus;

/// Experts whose levels differ by this much or more must talk before a score is agreed.
pub const DISAGREEMENT_LEVELS: u8 = 2;

pub const TEXT_MAX_CHARS: usize = 4000;

/// Ratings and agreed scores are recorded while the team works on evidence: during
/// fieldwork and validation.
pub fn is_rating_period(status: AssessmentStatus) -> bool {
    matches!(status, AssessmentStatus::Fieldwork | AssessmentStatus::Validation)
}

/// Checks a rating (or an agreed score) of `indicator` and its written reason, named
/// `text_field` in the form and the API. The indicator must exist; the caller reports an
/// unknown one as not found.
pub fn check(
    framework: &Framework,
    scope: &Scope,
    status: AssessmentStatus,
    indicator: &str,
    rating: Rating,
    text: &str,
    text_field: &'static str,
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if !is_rating_period(status) {
        errors.push(FieldError { field: "status", kind: FieldErrorKind::NotRatingPeriod { status } });
    }
    if !scope.includes_indicator(framework, indicator) {
        errors.push(FieldError {
            field: "indicator",
            kind: FieldErrorKind::OutOfScope { value: indicator.to_string() },
        });
    }
    if let Rating::Level(level) = rating
        && !framework.scale.iter().any(|l| l.level == level)
    {
        errors.push(FieldError {
            field: "level",
            kind: FieldErrorKind::NotOnScale { value: i64::from(level) },
        });
    }
    if text.trim().is_empty() {
        errors.push(FieldError { field: text_field, kind: FieldErrorKind::Required });
    } else if text.chars().count() > TEXT_MAX_CHARS {
        errors.push(FieldError { field: text_field, kind: FieldErrorKind::TooLong { max: TEXT_MAX_CHARS } });
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// How far the experts' ratings of one indicator lie apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Spread {
    /// Highest minus lowest level among the ratings that carry one (insufficient evidence
    /// counts at the lowest level); None with fewer than two such ratings.
    pub levels: Option<u8>,
    /// The levels differ by `DISAGREEMENT_LEVELS` or more.
    pub disagreement: bool,
}

pub fn spread(ratings: &[Rating], lowest_level: u8) -> Spread {
    let levels: Vec<u8> = ratings
        .iter()
        .filter_map(|r| match r {
            Rating::Level(level) => Some(*level),
            Rating::InsufficientEvidence => Some(lowest_level),
            _ => None,
        })
        .collect();
    let range = match (levels.iter().min(), levels.iter().max()) {
        (Some(low), Some(high)) if levels.len() >= 2 => Some(high - low),
        _ => None,
    };
    Spread { levels: range, disagreement: range.is_some_and(|r| r >= DISAGREEMENT_LEVELS) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Rating::*;

    #[test]
    fn experts_two_levels_apart_are_flagged() {
        for (ratings, levels, flagged) in [
            (vec![Level(2), Level(4)], Some(2), true),
            (vec![Level(3), Level(4)], Some(1), false),
            (vec![Level(3), Level(3), Level(5)], Some(2), true),
            (vec![InsufficientEvidence, Level(3)], Some(2), true),
            (vec![NotApplicable, Level(3)], None, false),
            (vec![Level(4)], None, false),
            (vec![], None, false),
        ] {
            assert_eq!(spread(&ratings, 1), Spread { levels, disagreement: flagged }, "{ratings:?}");
        }
    }

    #[test]
    fn ratings_are_recorded_only_during_fieldwork_and_validation() {
        let allowed: Vec<_> = AssessmentStatus::ALL.into_iter().filter(|s| is_rating_period(*s)).collect();
        assert_eq!(allowed, [AssessmentStatus::Fieldwork, AssessmentStatus::Validation]);
    }

    #[test]
    fn rating_states_round_trip_through_their_parts() {
        for rating in [Level(3), InsufficientEvidence, NotApplicable, NotAssessed] {
            assert_eq!(Rating::from_parts(rating.state(), rating.level().map(i64::from)), Ok(rating));
        }
        assert!(Rating::from_parts("level", None).is_err());
        assert!(Rating::from_parts("level", Some(300)).is_err());
        assert!(Rating::from_parts("maybe", None).is_err());
    }
}
