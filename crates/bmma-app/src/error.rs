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
    /// that says so, with `who` and `when`.
    #[error("changed by {who} at {when}")]
    Stale { key: &'static str, who: String, when: OffsetDateTime },
    /// What the caller sent is wrong, field by field.
    #[error("invalid: {0:?}")]
    Invalid(Vec<FieldError>),
    /// Something broke on our side.
    #[error("{0}")]
    Internal(String),
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
