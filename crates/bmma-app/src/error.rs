//! The one error of the application layer. Each entry point words it in its own way: the web
//! as a page or JSON in the reader's language, the command line as a line of text.

use bmma_core::FieldError;
use time::OffsetDateTime;

use crate::catalog::CatalogError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist, or the caller may not know it does.
    #[error("not found")]
    NotFound,
    /// The caller may not do this; the key names the message.
    #[error("not allowed: {0}")]
    Forbidden(&'static str),
    /// Someone else changed the record since the caller read it; `key` names the message
    /// that says so, with who and when where they are known.
    #[error("changed since it was read ({key})")]
    Stale { key: &'static str, by: Option<(String, OffsetDateTime)> },
    /// What the caller sent is wrong, field by field.
    #[error("invalid: {0:?}")]
    Invalid(Vec<FieldError>),
    /// A rule of the product refuses the request as a whole (the last team lead cannot
    /// leave, an account exists already); the key names the message.
    #[error("refused: {0}")]
    Refused(&'static str),
    /// Something broke on our side.
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    /// "Changed by `who` at `when`".
    pub fn stale_by(key: &'static str, who: &str, when: OffsetDateTime) -> AppError {
        AppError::Stale { key, by: Some((who.to_string(), when)) }
    }

    /// One field's problem.
    pub fn field(field: &'static str, kind: bmma_core::FieldErrorKind) -> AppError {
        AppError::Invalid(vec![FieldError { field, kind }])
    }
}

impl From<bmma_store::StoreError> for AppError {
    fn from(e: bmma_store::StoreError) -> AppError {
        AppError::Internal(e.to_string())
    }
}

impl From<CatalogError> for AppError {
    fn from(e: CatalogError) -> AppError {
        AppError::Internal(e.to_string())
    }
}
