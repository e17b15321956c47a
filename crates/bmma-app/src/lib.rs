//! The application layer: what bmma does, whoever asks. The web, the command line, the demo
//! and (later) reports and sync call these functions rather than the store, so that each
//! rule has one home. Nothing here knows HTTP.

pub mod accounts;
pub mod catalog;
pub mod error;
pub mod json;
pub mod text_reader;

pub use catalog::{Catalog, CatalogError, Loaded, install_builtin};
pub use error::AppError;
pub use json::{AssessmentJson, FrameworkJson};
pub use text_reader::{TextReader, TextReading, read_waiting};

/// The upload limit when none is set: 25 MB, room for a scanned report.
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 25_000_000;

/// A new record id: a random UUID, so ids made on different servers never collide.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
