//! The records of an assessment's team and scores, as every layer sees them: the store maps
//! its rows into these, the rules and the board work on them, pages and reports show them.

use serde::Serialize;
use time::OffsetDateTime;

use time::Date;

use crate::access::Role;
use crate::aggregation::Rating;
use crate::evidence::{EvidenceKind, TextState};
use crate::sites::Site;

/// A person taking part in an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    #[serde(with = "time::serde::rfc3339")]
    pub added_at: OffsetDateTime,
}

/// One expert's rating of one indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpertRating {
    pub indicator: String,
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub rating: Rating,
    pub justification: String,
    /// Ids of the evidence items the expert cites.
    pub evidence: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub version: i64,
}

/// The score the team agreed for one indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgreedScore {
    pub indicator: String,
    pub rating: Rating,
    pub narrative: String,
    /// Ids of the evidence items the team cites.
    pub evidence: Vec<String>,
    pub agreed_by: Author,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub version: i64,
}

/// An upload as it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredFile {
    /// The name the user's file had; shown, never used as a path.
    pub name: String,
    pub media_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    /// Whether its words are in the search index, still being read, or unreadable.
    pub text_state: TextState,
}

/// One item of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceItem {
    pub id: String,
    pub kind: EvidenceKind,
    pub title: String,
    pub notes: String,
    pub indicators: Vec<String>,
    pub file: Option<StoredFile>,
    pub created_by: Author,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub updated_by: Author,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub version: i64,
}

/// A border site of a country, known to every assessment of that country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredSite {
    pub id: String,
    pub country: String,
    #[serde(flatten)]
    pub site: Site,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Visit {
    pub id: String,
    pub site_id: String,
    pub date: Date,
    /// User ids of the team members who went.
    pub members: Vec<String>,
    /// Codes of the indicators observed during the visit.
    pub observed: Vec<String>,
    pub notes: String,
    pub created_by: Author,
}

/// Who made a change: an account, by id and shown by name, or bmma itself (the command
/// line, the demo's set-up), which has no account and is shown as `bmma`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Author {
    pub user_id: Option<String>,
    pub name: String,
}

impl Author {
    /// The author of a record whose author column is `user_id`, the account's name being `name`.
    pub fn of(user_id: Option<String>, name: Option<String>) -> Author {
        match (user_id, name) {
            (Some(id), Some(name)) => Author { user_id: Some(id), name },
            _ => Author { user_id: None, name: "bmma".into() },
        }
    }
}

impl std::fmt::Display for Author {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}
