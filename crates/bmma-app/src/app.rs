//! The application itself: what every use case works with.

use crate::text_reader::read_waiting;
use crate::{AppError, Catalog, DEFAULT_MAX_UPLOAD_BYTES, Loaded, TextReader, TextReading, cache};

/// The store, the frameworks in memory and the scores recently read: everything the use
/// cases work with. Cheap to clone; clones share all three.
#[derive(Clone, Debug)]
pub struct App {
    pub(crate) store: bmma_store::Store,
    pub(crate) catalog: Catalog,
    pub(crate) scores: cache::ScoresCache,
    pub(crate) uploads: Uploads,
}

/// How uploads are taken in: their size limit, how many are written at once, and who reads
/// their words.
#[derive(Clone, Debug)]
pub(crate) struct Uploads {
    pub(crate) max_bytes: u64,
    pub(crate) writes: std::sync::Arc<tokio::sync::Semaphore>,
    /// None where nothing reads words as items are filed (the command line reads them in
    /// one go with `read_waiting`).
    pub(crate) reader: Option<TextReader>,
}

impl Uploads {
    pub(crate) fn too_large(&self) -> bmma_core::FieldError {
        bmma_core::FieldError {
            field: "file",
            kind: bmma_core::FieldErrorKind::FileTooLarge { limit_mb: self.max_bytes / 1_000_000 },
        }
    }
}

/// Uploads written to the database at once. A database parameter is held whole (and the
/// driver copies it once more), so this bounds the server's memory when many experts upload
/// large files together; the rest wait in their scratch files, on disk.
pub const UPLOAD_WRITES_AT_ONCE: usize = 2;

impl App {
    /// The application over `store`, with the frameworks it holds loaded.
    pub async fn open(store: bmma_store::Store) -> Result<App, AppError> {
        let catalog = Catalog::load(&store).await?;
        let uploads = Uploads {
            max_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            writes: std::sync::Arc::new(tokio::sync::Semaphore::new(UPLOAD_WRITES_AT_ONCE)),
            reader: None,
        };
        Ok(App { store, catalog, scores: cache::ScoresCache::default(), uploads })
    }

    /// This application, reading the words of each upload as it is filed, in processes of
    /// its own as `reading` says; uploads are taken up to `reading.input_bytes`. Needs a
    /// Tokio runtime.
    pub fn reading_uploads(mut self, reading: TextReading) -> App {
        self.uploads.max_bytes = reading.input_bytes;
        self.uploads.reader = Some(TextReader::start(self.store.clone(), reading));
        self
    }

    /// The largest upload taken, in bytes.
    pub fn max_upload_bytes(&self) -> u64 {
        self.uploads.max_bytes
    }

    /// The refusal of an upload over the limit, for a caller that stopped reading it.
    pub fn upload_too_large(&self) -> AppError {
        AppError::Invalid(vec![self.uploads.too_large()])
    }

    /// Reads the words of uploads left waiting when a server stopped; returns how many.
    pub async fn resume_reading(&self) -> Result<usize, AppError> {
        match &self.uploads.reader {
            Some(reader) => Ok(reader.resume().await?),
            None => Ok(0),
        }
    }

    /// Reads the words of every upload waiting, now, and returns how many were read.
    pub async fn read_waiting(&self, reading: &TextReading) -> Result<usize, AppError> {
        Ok(read_waiting(&self.store, reading).await?)
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), AppError> {
        Ok(self.store.ping().await?)
    }

    /// "sqlite" or "postgres".
    pub fn backend_name(&self) -> &'static str {
        self.store.backend_name()
    }

    /// The framework an assessment is scored against.
    pub async fn framework_of(
        &self,
        assessment: &bmma_core::Assessment,
    ) -> Result<std::sync::Arc<Loaded>, AppError> {
        self.catalog.get(&self.store, &assessment.framework).await?.ok_or_else(|| {
            AppError::Internal(format!(
                "framework {} of assessment {} is missing",
                assessment.framework, assessment.id
            ))
        })
    }

    /// The framework `reference` names (its newest version when none is given), if installed.
    pub async fn framework(
        &self,
        reference: &bmma_core::FrameworkRef,
    ) -> Result<Option<std::sync::Arc<Loaded>>, AppError> {
        Ok(self.catalog.get(&self.store, reference).await?)
    }

    /// Every installed framework version.
    pub async fn frameworks(&self) -> Result<Vec<std::sync::Arc<Loaded>>, AppError> {
        Ok(self.catalog.all(&self.store).await?)
    }
}
