//! The application layer: what bmma does, whoever asks. The web, the command line, the demo
//! and (later) reports and sync call these functions rather than the store, so that each
//! rule has one home. Nothing here knows HTTP.
//!
//! Each use case is a method of [`App`], in the module of its feature; each checks the
//! caller's right through `access::assessment_for` and returns [`AppError`].

pub mod access;
pub mod accounts;
mod app;
pub mod assessments;
mod cache;
pub mod catalog;
pub mod error;
pub mod evidence;
pub mod fieldwork;
pub mod frameworks;
pub mod json;
pub mod scores;
pub mod scoring;
pub mod team;
pub mod text_reader;

pub use app::{App, UPLOAD_WRITES_AT_ONCE};
pub use catalog::{Catalog, CatalogError, Loaded, install_builtin};
pub use error::AppError;
pub use json::{AssessmentJson, FrameworkJson};
pub use text_reader::{TextReader, TextReading};

/// The records the use cases hand back, for callers that show them. Those an assessment is
/// made of live in `bmma_core::records`; these are the accounts' and the trail's.
pub mod records {
    pub use bmma_core::records::*;
    pub use bmma_store::{ApiToken, AuditEntry, Content, Invitation, SearchHit, StatusChange, Upload, User};
}

/// The upload limit when none is set: 25 MB, room for a scanned report.
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 25_000_000;

/// A new record id: a random UUID, so ids made on different servers never collide.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
