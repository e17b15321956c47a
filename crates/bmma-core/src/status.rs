//! The life cycle of an assessment: its statuses, in order, and the moves between them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

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
