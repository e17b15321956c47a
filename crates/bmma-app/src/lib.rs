//! The application layer: what bmma does, whoever asks. The web, the command line, the demo
//! and (later) reports and sync call these functions rather than the store, so that each
//! rule has one home. Nothing here knows HTTP.

pub mod access;
pub mod accounts;
pub mod catalog;
pub mod error;
pub mod json;
pub mod scores;
pub mod scoring;
pub mod text_reader;

pub use catalog::{Catalog, CatalogError, Loaded, install_builtin};
pub use error::AppError;
pub use json::{AssessmentJson, FrameworkJson};
pub use text_reader::{TextReader, TextReading, read_waiting};

/// What the use cases work with: the store and the frameworks in memory. Cheap to make, as
/// it only borrows them.
#[derive(Clone, Copy)]
pub struct App<'a> {
    pub store: &'a bmma_store::Store,
    pub catalog: &'a Catalog,
}

impl App<'_> {
    /// The framework an assessment is scored against.
    pub async fn framework_of(
        &self,
        assessment: &bmma_core::Assessment,
    ) -> Result<std::sync::Arc<Loaded>, AppError> {
        self.catalog.get(self.store, &assessment.framework).await?.ok_or_else(|| {
            AppError::Internal(format!(
                "framework {} of assessment {} is missing",
                assessment.framework, assessment.id
            ))
        })
    }
}

/// The upload limit when none is set: 25 MB, room for a scanned report.
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 25_000_000;

/// A new record id: a random UUID, so ids made on different servers never collide.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
