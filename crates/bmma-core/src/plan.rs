//! The method and timeline agreed with the government: dates, evidence cut-off, the
//! government's counterparts, the methods per element, and the milestones.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::fields::{FieldError, FieldErrorKind, TITLE_MAX_CHARS, text_problem};
use crate::framework::Framework;

/// How evidence for an element is gathered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    DeskReview,
    Interviews,
    Questionnaires,
    SiteVisits,
    Observation,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::DeskReview,
        Method::Interviews,
        Method::Questionnaires,
        Method::SiteVisits,
        Method::Observation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::DeskReview => "desk-review",
            Method::Interviews => "interviews",
            Method::Questionnaires => "questionnaires",
            Method::SiteVisits => "site-visits",
            Method::Observation => "observation",
        }
    }

    pub fn parse(text: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub name: String,
    pub due: Date,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub start: Option<Date>,
    pub end: Option<Date>,
    /// Evidence dated after this day is not taken into account.
    pub evidence_cutoff: Option<Date>,
    /// The government's counterparts, one per entry ("Director of Border Police").
    pub counterparts: Vec<String>,
    /// Element code → the methods used for it.
    pub methods: BTreeMap<String, Vec<Method>>,
    pub milestones: Vec<Milestone>,
}

/// The length of the default plan: assessments typically take two to three months.
pub const DEFAULT_WEEKS: i64 = 12;

/// The default 12-week plan from `start`: (milestone name key, week it falls due).
pub const DEFAULT_MILESTONES: [(&str, i64); 5] = [
    ("milestone-scope-agreed", 2),
    ("milestone-desk-review", 4),
    ("milestone-field-visits", 8),
    ("milestone-draft-shared", 10),
    ("milestone-final-report", 12),
];

/// The default end of an assessment starting on `start`.
pub fn default_end(start: Date) -> Date {
    start + Duration::weeks(DEFAULT_WEEKS)
}

/// Parses a date typed as YYYY-MM-DD.
pub fn parse_date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), format).ok()
}

impl Plan {
    /// What is wrong with the plan, each problem naming its field.
    pub fn problems(&self, framework: &Framework) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut push = |field, kind| errors.push(FieldError { field, kind });
        if let (Some(start), Some(end)) = (self.start, self.end)
            && end < start
        {
            push("end", FieldErrorKind::BeforeStart);
        }
        if let (Some(cutoff), Some(start)) = (self.evidence_cutoff, self.start)
            && cutoff < start
        {
            push("evidence_cutoff", FieldErrorKind::BeforeStart);
        }
        if let Some(error) =
            self.counterparts.iter().find_map(|c| text_problem("counterparts", c, false, TITLE_MAX_CHARS))
        {
            push(error.field, error.kind);
        }
        for milestone in &self.milestones {
            if let Some(error) = text_problem("milestones", &milestone.name, true, TITLE_MAX_CHARS) {
                push(error.field, error.kind);
            }
            if self.end.is_some_and(|end| milestone.due > end) {
                push("milestones", FieldErrorKind::AfterEnd { value: milestone.name.clone() });
            }
            if self.start.is_some_and(|start| milestone.due < start) {
                push("milestones", FieldErrorKind::BeforeStartNamed { value: milestone.name.clone() });
            }
        }
        for element in self.methods.keys().filter(|code| !framework.elements().any(|e| &e.code == *code)) {
            push("methods", FieldErrorKind::UnknownCode { value: element.clone() });
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_default_plan_ends_twelve_weeks_after_the_start() {
        assert_eq!(default_end(date!(2027 - 01 - 04)), date!(2027 - 03 - 29));
        assert_eq!(DEFAULT_MILESTONES.last().map(|m| m.1), Some(DEFAULT_WEEKS));
    }

    #[test]
    fn dates_parse_only_as_year_month_day() {
        assert_eq!(parse_date(" 2027-02-28 "), Some(date!(2027 - 02 - 28)));
        assert_eq!(parse_date("2027-02-30"), None);
        assert_eq!(parse_date("28/02/2027"), None);
    }

    #[test]
    fn methods_round_trip_through_their_names() {
        for method in Method::ALL {
            assert_eq!(Method::parse(method.as_str()), Some(method));
        }
        assert_eq!(Method::parse("telepathy"), None);
    }
}
