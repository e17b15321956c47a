//! SQLite through rusqlite, on blocking threads. A small pool of connections shares one
//! database file in WAL mode: readers never wait for the writer, and writers queue on
//! SQLite's own lock (with a busy timeout) rather than failing.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::types::{ToSqlOutput, Value as SqlValue};
use rusqlite::{Connection, OpenFlags, OptionalExtension, ToSql, TransactionBehavior};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::sync::Semaphore;

use crate::StoreError;
use crate::audit::{self, Change};
use crate::migrations::Migration;
use crate::sql::{Row, Statement, Value};

const POOL_SIZE: usize = 8;

#[derive(Clone)]
pub(crate) struct Sqlite {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
}

fn database_error(e: rusqlite::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

fn open_connection(path: &Path, create: bool) -> Result<Connection, StoreError> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|e| {
        StoreError::Unreachable(format!("cannot open the SQLite database {}: {e}", path.display()))
    })?;
    conn.execute_batch("PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
        .map_err(database_error)?;
    Ok(conn)
}

impl Sqlite {
    /// Opens (creating if needed) the database file at `path`. Its directory must exist:
    /// a mistyped path must not leave an empty database somewhere unexpected.
    pub fn open(path: &Path) -> Result<Sqlite, StoreError> {
        let directory = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !directory.is_dir() {
            return Err(StoreError::MissingDirectory(directory));
        }
        let first = open_connection(path, true)?;
        first.pragma_update(None, "journal_mode", "WAL").map_err(database_error)?;
        Ok(Sqlite {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                idle: Mutex::new(vec![first]),
                permits: Arc::new(Semaphore::new(POOL_SIZE)),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `work` on a pooled connection on a blocking thread.
    pub async fn with<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let permit = self
            .inner
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| StoreError::Database("the connection pool is closed".into()))?;
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let pooled = inner.idle.lock().map_err(|_| poisoned())?.pop();
            let mut conn = match pooled {
                Some(conn) => conn,
                None => open_connection(&inner.path, false)?,
            };
            let result = work(&mut conn);
            inner.idle.lock().map_err(|_| poisoned())?.push(conn);
            result
        })
        .await
        .map_err(|e| StoreError::Database(format!("a database task failed: {e}")))?
    }

    pub async fn query<T, F>(
        &self,
        sql: &'static str,
        params: Vec<Value>,
        map: F,
    ) -> Result<Vec<T>, StoreError>
    where
        T: Send + 'static,
        F: Fn(&dyn Row) -> Result<T, StoreError> + Send + 'static,
    {
        self.with(move |conn| {
            let mut statement = conn.prepare_cached(&placeholders(sql)).map_err(database_error)?;
            let mut rows =
                statement.query(rusqlite::params_from_iter(params.iter())).map_err(database_error)?;
            let mut out = Vec::new();
            while let Some(row) = rows.next().map_err(database_error)? {
                out.push(map(&SqliteRow(row))?);
            }
            Ok(out)
        })
        .await
    }

    pub async fn write(&self, statements: Vec<Statement>, changes: Vec<Change>) -> Result<(), StoreError> {
        self.with(move |conn| {
            // IMMEDIATE takes the write lock at once, so two writers queue instead of
            // failing when both try to upgrade a read lock.
            let tx =
                conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(database_error)?;
            for statement in &statements {
                let changed = tx
                    .prepare_cached(&placeholders(statement.sql))
                    .and_then(|mut s| s.execute(rusqlite::params_from_iter(statement.params.iter())))
                    .map_err(database_error)? as u64;
                if statement.expect_rows.is_some_and(|expected| changed != expected) {
                    return Err(StoreError::Conflict);
                }
                if let (Some(target), 1) = (statement.blob_column, changed) {
                    copy_file_into(&tx, target.table, target.column, &statement.params)?;
                }
            }
            for change in &changes {
                // The IMMEDIATE transaction already holds the write lock: the chain stays linear.
                let last = tx
                    .query_row(audit::LAST_SQL, [], |row| {
                        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
                    })
                    .optional()
                    .map_err(database_error)?;
                let params = audit::seal(change, last);
                tx.execute(&placeholders(audit::INSERT_SQL), rusqlite::params_from_iter(params.iter()))
                    .map_err(database_error)?;
            }
            tx.commit().map_err(database_error)
        })
        .await
    }

    /// Up to `len` bytes from `offset` of the blob `table.column` in the row whose `key` is
    /// `value`, read through SQLite's incremental blob access; None when there is no row.
    pub async fn blob_piece(
        &self,
        table: &'static str,
        column: &'static str,
        key: &'static str,
        value: &str,
        offset: u64,
        len: usize,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let value = value.to_string();
        self.with(move |conn| {
            let rowid: Option<i64> = conn
                .query_row(&format!("SELECT rowid FROM {table} WHERE {key} = ?1"), [&value], |row| row.get(0))
                .optional()
                .map_err(database_error)?;
            let Some(rowid) = rowid else { return Ok(None) };
            let blob =
                conn.blob_open(rusqlite::MAIN_DB, table, column, rowid, true).map_err(database_error)?;
            let size = blob.len() as u64;
            let offset = offset.min(size);
            let take = usize::try_from((size - offset).min(len as u64)).unwrap_or(len);
            let mut piece = vec![0u8; take];
            blob.read_at_exact(&mut piece, usize::try_from(offset).unwrap_or(usize::MAX))
                .map_err(database_error)?;
            Ok(Some(piece))
        })
        .await
    }

    /// Applies the migrations not yet applied, all in one transaction.
    pub async fn migrate(&self, migrations: &'static [Migration]) -> Result<Vec<&'static str>, StoreError> {
        self.with(move |conn| {
            let tx =
                conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(database_error)?;
            tx.execute_batch(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                     version INTEGER PRIMARY KEY,
                     name TEXT NOT NULL,
                     applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                 );",
            )
            .map_err(database_error)?;
            let applied = tx
                .prepare("SELECT version FROM schema_migrations ORDER BY version")
                .and_then(|mut s| s.query_map([], |row| row.get::<_, i64>(0))?.collect::<Result<Vec<_>, _>>())
                .map_err(database_error)?;
            let pending = crate::migrations::pending(migrations, &applied)?;
            for migration in &pending {
                tx.execute_batch(migration.sqlite)
                    .map_err(|e| StoreError::Database(format!("migration {}: {e}", migration.name)))?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)",
                    rusqlite::params![migration.version, migration.name],
                )
                .map_err(database_error)?;
            }
            tx.commit().map_err(database_error)?;
            Ok(pending.iter().map(|m| m.name).collect())
        })
        .await
    }
}

/// Copies the file parameter of the row just inserted into its blob, 64 KB at a time.
fn copy_file_into(
    tx: &rusqlite::Transaction<'_>,
    table: &'static str,
    column: &'static str,
    params: &[Value],
) -> Result<(), StoreError> {
    use std::io::{Seek, SeekFrom};
    let Some(content) = params.iter().find_map(|p| match p {
        Value::File(content) => Some(content),
        _ => None,
    }) else {
        return Ok(());
    };
    let mut blob = tx
        .blob_open(rusqlite::MAIN_DB, table, column, tx.last_insert_rowid(), false)
        .map_err(database_error)?;
    let mut file = &*content.file;
    file.seek(SeekFrom::Start(0)).map_err(|e| StoreError::Database(format!("reading an upload: {e}")))?;
    let copied = std::io::copy(&mut std::io::Read::take(file, content.size), &mut blob)
        .map_err(|e| StoreError::Database(format!("writing an upload: {e}")))?;
    if copied != content.size {
        return Err(StoreError::Database(format!("an upload of {} bytes gave {copied}", content.size)));
    }
    Ok(())
}

fn poisoned() -> StoreError {
    StoreError::Database("the connection pool lock is poisoned".into())
}

/// SQLite reads `$1` as a named parameter; `?1` is its positional form.
fn placeholders(sql: &str) -> String {
    sql.replace('$', "?")
}

const TIME_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Owned(SqlValue::Null),
            Value::Bool(b) => ToSqlOutput::Owned(SqlValue::Integer(i64::from(*b))),
            Value::Int(n) => ToSqlOutput::Owned(SqlValue::Integer(*n)),
            Value::Text(s) => ToSqlOutput::Borrowed(s.as_str().into()),
            // Fixed width and always UTC, so text order is time order.
            Value::Time(t) => ToSqlOutput::Owned(SqlValue::Text(
                t.to_offset(time::UtcOffset::UTC)
                    .format(TIME_FORMAT)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?,
            )),
            Value::Json(None) => ToSqlOutput::Owned(SqlValue::Null),
            Value::Json(Some(json)) => ToSqlOutput::Owned(SqlValue::Text(json.to_string())),
            Value::Bytes(bytes) => ToSqlOutput::Borrowed(bytes.as_slice().into()),
            // Room for the file, filled by `copy_file_into` once the row exists.
            Value::File(content) => ToSqlOutput::ZeroBlob(
                i32::try_from(content.size)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?,
            ),
        })
    }
}

struct SqliteRow<'a>(&'a rusqlite::Row<'a>);

impl Row for SqliteRow<'_> {
    fn text(&self, column: usize) -> Result<String, StoreError> {
        self.0.get(column).map_err(database_error)
    }

    fn opt_text(&self, column: usize) -> Result<Option<String>, StoreError> {
        self.0.get(column).map_err(database_error)
    }

    fn int(&self, column: usize) -> Result<i64, StoreError> {
        self.0.get(column).map_err(database_error)
    }

    fn opt_int(&self, column: usize) -> Result<Option<i64>, StoreError> {
        self.0.get(column).map_err(database_error)
    }

    fn boolean(&self, column: usize) -> Result<bool, StoreError> {
        self.0.get(column).map_err(database_error)
    }

    fn time(&self, column: usize) -> Result<OffsetDateTime, StoreError> {
        let text: String = self.0.get(column).map_err(database_error)?;
        OffsetDateTime::parse(&text, &Rfc3339)
            .map_err(|e| StoreError::Database(format!("bad time '{text}' in column {column}: {e}")))
    }

    fn opt_time(&self, column: usize) -> Result<Option<OffsetDateTime>, StoreError> {
        let text: Option<String> = self.0.get(column).map_err(database_error)?;
        text.map(|text| {
            OffsetDateTime::parse(&text, &Rfc3339)
                .map_err(|e| StoreError::Database(format!("bad time '{text}' in column {column}: {e}")))
        })
        .transpose()
    }

    fn json(&self, column: usize) -> Result<Option<serde_json::Value>, StoreError> {
        let text: Option<String> = self.0.get(column).map_err(database_error)?;
        text.map(|t| {
            serde_json::from_str(&t)
                .map_err(|e| StoreError::Database(format!("bad JSON in column {column}: {e}")))
        })
        .transpose()
    }

    fn bytes(&self, column: usize) -> Result<Vec<u8>, StoreError> {
        self.0.get(column).map_err(database_error)
    }
}
