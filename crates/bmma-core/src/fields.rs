//! What is wrong with what a user typed, field by field, and the limits of free text. Every
//! rule that checks input reports in these terms; the message files word them.

use serde::Serialize;

use crate::status::AssessmentStatus;

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
