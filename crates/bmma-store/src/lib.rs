//! The one repository layer of bmma, on SQLite (embedded, the default) and PostgreSQL.
//!
//! This is the only crate that holds SQL. Each statement is written once with `$1`-style
//! placeholders; `Store` runs it on whichever backend the database URL chose. Migrations
//! exist for both backends in lock-step.

mod accounts;
mod assessments;
pub mod audit;
mod backup;
mod evidence;
mod frameworks;
pub mod migrations;
mod plan;
mod postgres;
mod scoring;
mod sites;
mod sql;
mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;

use std::fmt;
use std::path::{Path, PathBuf};

pub use accounts::{ApiToken, NewUser, Session, User, normalise_email};
pub use assessments::{Invitation, Member, NewAssessmentRecord, StatusChange};
pub use audit::{Actor, AuditEntry, AuditKey, Audited, Checkpoint, Verification};
pub use backup::restore_sqlite;
pub use evidence::{Content, EvidenceItem, SearchHit, StoredFile, TextToRead, Upload, sha256_hex};
pub use frameworks::{FrameworkRecord, SaveOutcome};
pub use scoring::{AgreedScore, ExpertRating, ScoreSave, ScoreSet};
pub use sites::{StoredSite, Visit};

use sql::{Row, Statement, Value};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL '{0}': use sqlite://PATH or postgres://USER@HOST/DATABASE")]
    UnknownScheme(String),
    #[error("invalid database URL {0}")]
    BadUrl(String),
    #[error("the directory {} for the SQLite database does not exist", .0.display())]
    MissingDirectory(PathBuf),
    #[error("cannot reach the database: {0}")]
    Unreachable(String),
    #[error("the database was migrated by a newer bmma (migration {found}; this bmma knows up to {known})")]
    TooNew { found: i64, known: i64 },
    #[error("someone else changed this record meanwhile")]
    Conflict,
    #[error("{0}")]
    Duplicate(String),
    /// An operation refused on purpose, for a reason the message gives.
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Unsupported(String),
    #[error("database error: {0}")]
    Database(String),
}

impl StoreError {
    /// True when the error comes from what the user supplied (a URL, a path), not from the
    /// database or the machine.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            StoreError::UnknownScheme(_)
                | StoreError::BadUrl(_)
                | StoreError::MissingDirectory(_)
                | StoreError::Refused(_)
                | StoreError::Unsupported(_)
                | StoreError::Duplicate(_)
        )
    }
}

/// Turns the outcome of a write with a row-count expectation into "did it apply": false
/// when the expectation refused it (the row was not there, or was there already).
fn applied(result: Result<(), StoreError>) -> Result<bool, StoreError> {
    match result {
        Ok(()) => Ok(true),
        Err(StoreError::Conflict) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Where the data lives, parsed from a database URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    /// Accepts `sqlite://PATH` (`sqlite:///abs/path` or `sqlite://relative/path`),
    /// `postgres://…` and `postgresql://…`. Anything else is refused, never guessed.
    pub fn parse(url: &str) -> Result<DatabaseUrl, StoreError> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(StoreError::BadUrl(format!("'{url}' names no file")));
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_string()));
        }
        Err(StoreError::UnknownScheme(postgres::redact(url)))
    }

    /// The embedded database inside a data directory.
    pub fn in_data_dir(data_dir: &Path) -> DatabaseUrl {
        DatabaseUrl::Sqlite(data_dir.join("bmma.db"))
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => f.write_str(&postgres::redact(url)),
        }
    }
}

/// A handle on the database; cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
    /// Seals new audit entries; None writes plain hashes (a store opened only to read).
    audit_key: Option<audit::AuditKey>,
}

#[derive(Clone)]
enum Backend {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.backend {
            Backend::Sqlite(s) => write!(f, "Store(sqlite {})", s.path().display()),
            Backend::Postgres(_) => f.write_str("Store(postgres)"),
        }
    }
}

impl Store {
    /// Opens the database. Creates an SQLite file when missing, but never its directory;
    /// checks that PostgreSQL answers. Does not migrate: see `migrate`.
    pub async fn open(url: &DatabaseUrl) -> Result<Store, StoreError> {
        let backend = match url {
            DatabaseUrl::Sqlite(path) => Backend::Sqlite(sqlite::Sqlite::open(path)?),
            DatabaseUrl::Postgres(url) => Backend::Postgres(postgres::Postgres::connect(url).await?),
        };
        Ok(Store { backend, audit_key: None })
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Applies pending migrations; returns the names of those applied.
    pub async fn migrate(&self) -> Result<Vec<&'static str>, StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.migrate(migrations::MIGRATIONS).await,
            Backend::Postgres(p) => p.migrate(migrations::MIGRATIONS).await,
        }
    }

    /// Answers when the database does: the health check.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.query("SELECT CAST(1 AS BIGINT)", vec![], |row| row.int(0)).await.map(drop)
    }

    async fn query<T, F>(&self, sql: &'static str, params: Vec<Value>, map: F) -> Result<Vec<T>, StoreError>
    where
        T: Send + 'static,
        F: Fn(&dyn Row) -> Result<T, StoreError> + Send + 'static,
    {
        match &self.backend {
            Backend::Sqlite(s) => s.query(sql, params, map).await,
            Backend::Postgres(p) => p.query(sql, params, map).await,
        }
    }

    async fn query_one<T, F>(
        &self,
        sql: &'static str,
        params: Vec<Value>,
        map: F,
    ) -> Result<Option<T>, StoreError>
    where
        T: Send + 'static,
        F: Fn(&dyn Row) -> Result<T, StoreError> + Send + 'static,
    {
        Ok(self.query(sql, params, map).await?.into_iter().next())
    }

    /// Runs the statements in one transaction: all of them take effect, or none.
    async fn write(&self, statements: Vec<Statement>) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(s) => s.write(statements, Vec::new()).await,
            Backend::Postgres(p) => p.write(statements, Vec::new()).await,
        }
    }

    /// Like `write`, and appends `change` to the audit trail in the same transaction.
    async fn write_audited(
        &self,
        statements: Vec<Statement>,
        change: audit::Change,
    ) -> Result<(), StoreError> {
        self.write_audited_all(statements, vec![change]).await
    }

    /// One transaction that records several changes, each its own entry of the trail.
    async fn write_audited_all(
        &self,
        statements: Vec<Statement>,
        mut changes: Vec<audit::Change>,
    ) -> Result<(), StoreError> {
        for change in &mut changes {
            change.key = self.audit_key.clone();
        }
        match &self.backend {
            Backend::Sqlite(s) => s.write(statements, changes).await,
            Backend::Postgres(p) => p.write(statements, changes).await,
        }
    }
}
