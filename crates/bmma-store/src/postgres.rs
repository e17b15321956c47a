//! PostgreSQL through tokio-postgres with a deadpool pool.

use std::error::Error;

use bytes::BytesMut;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use time::OffsetDateTime;
use tokio_postgres::NoTls;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

use crate::StoreError;
use crate::audit::{self, Change};
use crate::migrations::Migration;
use crate::sql::{BlobTarget, Row, Statement, Value};

const POOL_SIZE: usize = 16;

#[derive(Clone)]
pub(crate) struct Postgres {
    pool: Pool,
}

/// An error and its causes in one line, each cause once: drivers often repeat the
/// message of the cause they wrap.
fn with_causes(error: &dyn Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

fn database_error(e: tokio_postgres::Error) -> StoreError {
    // The causes hold the server's own message ("relation ... does not exist").
    StoreError::Database(with_causes(&e))
}

impl Postgres {
    /// Connects and checks the server answers, so a wrong URL fails here and not on the
    /// first request.
    pub async fn connect(url: &str) -> Result<Postgres, StoreError> {
        let config: tokio_postgres::Config =
            url.parse().map_err(|e| StoreError::BadUrl(format!("{}: {e}", redact(url))))?;
        let manager =
            Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .build()
            .map_err(|e| StoreError::Database(e.to_string()))?;
        let postgres = Postgres { pool };
        drop(postgres.client().await?);
        Ok(postgres)
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        self.pool.get().await.map_err(|e| match e {
            deadpool_postgres::PoolError::Backend(e) => StoreError::Unreachable(with_causes(&e)),
            other => StoreError::Unreachable(with_causes(&other)),
        })
    }

    pub async fn query<T, F>(
        &self,
        sql: &'static str,
        params: Vec<Value>,
        map: F,
    ) -> Result<Vec<T>, StoreError>
    where
        F: Fn(&dyn Row) -> Result<T, StoreError>,
    {
        let client = self.client().await?;
        let statement = client.prepare_cached(sql).await.map_err(database_error)?;
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let rows = client.query(&statement, &refs).await.map_err(database_error)?;
        rows.iter().map(|row| map(&PgRow(row))).collect()
    }

    pub async fn write(&self, statements: Vec<Statement>, changes: Vec<Change>) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(database_error)?;
        if !changes.is_empty() {
            // Audited writes queue here, so each entry links to the one before it.
            tx.batch_execute("SELECT pg_advisory_xact_lock(4242002)").await.map_err(database_error)?;
        }
        for statement in &statements {
            let prepared = tx.prepare_cached(statement.sql).await.map_err(database_error)?;
            let refs: Vec<&(dyn ToSql + Sync)> =
                statement.params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            let changed = tx.execute(&prepared, &refs).await.map_err(database_error)?;
            if statement.expect_rows.is_some_and(|expected| changed != expected) {
                // Dropping the transaction rolls it back.
                return Err(StoreError::Conflict);
            }
            if let (Some(target), 1) = (statement.blob_column, changed) {
                copy_file_into(&tx, target, &statement.params).await?;
            }
        }
        for change in &changes {
            let last = tx
                .query_opt(audit::LAST_SQL, &[])
                .await
                .map_err(database_error)?
                .map(|row| (row.get::<_, i64>(0), row.get::<_, String>(1)));
            let params = audit::seal(change, last);
            let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            tx.execute(audit::INSERT_SQL, &refs).await.map_err(database_error)?;
        }
        tx.commit().await.map_err(database_error)
    }

    /// Applies the migrations not yet applied, all in one transaction. A transaction-level
    /// advisory lock keeps two servers that start together from migrating at once.
    pub async fn migrate(&self, migrations: &'static [Migration]) -> Result<Vec<&'static str>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(database_error)?;
        tx.batch_execute(
            "SELECT pg_advisory_xact_lock(4242001);
             CREATE TABLE IF NOT EXISTS schema_migrations (
                 version BIGINT PRIMARY KEY,
                 name TEXT NOT NULL,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
             );",
        )
        .await
        .map_err(database_error)?;
        let applied: Vec<i64> = tx
            .query("SELECT version FROM schema_migrations ORDER BY version", &[])
            .await
            .map_err(database_error)?
            .iter()
            .map(|row| row.get(0))
            .collect();
        let pending = crate::migrations::pending(migrations, &applied)?;
        for migration in &pending {
            tx.batch_execute(migration.postgres).await.map_err(|e| {
                StoreError::Database(format!("migration {}: {}", migration.name, database_error(e)))
            })?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                &[&migration.version, &migration.name],
            )
            .await
            .map_err(database_error)?;
        }
        tx.commit().await.map_err(database_error)?;
        Ok(pending.iter().map(|m| m.name).collect())
    }
}

/// The URL without its password, for messages.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Fills the file parameter's column of the row just inserted (it went in empty): the file
/// is sent in pieces into a large object, which the database then copies into the column
/// and drops, so that neither this process nor the connection's buffers hold it whole.
async fn copy_file_into(
    tx: &deadpool_postgres::Transaction<'_>,
    target: BlobTarget,
    params: &[Value],
) -> Result<(), StoreError> {
    use std::io::{Read, Seek, SeekFrom};
    let Some(content) = params.iter().find_map(|p| match p {
        Value::File(content) => Some(content),
        _ => None,
    }) else {
        return Ok(());
    };
    let io = |e: std::io::Error| StoreError::Database(format!("reading an upload: {e}"));
    let oid: u32 = tx.query_one("SELECT lo_create(0)", &[]).await.map_err(database_error)?.get(0);
    let mut file = &*content.file;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut piece = vec![0u8; FILE_PIECE];
    let mut offset: i64 = 0;
    loop {
        let n = file.read(&mut piece).map_err(io)?;
        if n == 0 {
            break;
        }
        tx.execute("SELECT lo_put($1, $2, $3)", &[&oid, &offset, &&piece[..n]])
            .await
            .map_err(database_error)?;
        offset += n as i64;
    }
    if u64::try_from(offset).ok() != Some(content.size) {
        return Err(StoreError::Database(format!("an upload of {} bytes gave {offset}", content.size)));
    }
    let fill =
        format!("UPDATE {} SET {} = lo_get($1) WHERE {} = $2", target.table, target.column, target.key);
    tx.execute(&fill, &[&oid, &params[0]]).await.map_err(database_error)?;
    tx.execute("SELECT lo_unlink($1)", &[&oid]).await.map_err(database_error)?;
    Ok(())
}

/// The size of the pieces a file is sent in.
const FILE_PIECE: usize = 1 << 20;

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Bool(b) => b.to_sql(ty, out),
            Value::Int(n) => n.to_sql(ty, out),
            Value::Text(s) => s.to_sql(ty, out),
            Value::Time(t) => t.to_sql(ty, out),
            Value::Json(json) => json.to_sql(ty, out),
            Value::Bytes(bytes) => bytes.to_sql(ty, out),
            // Inserted empty; `copy_file_into` sends the file in pieces.
            Value::File(_) => Vec::<u8>::new().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        // Checked per value by the delegate above.
        true
    }

    to_sql_checked!();
}

struct PgRow<'a>(&'a tokio_postgres::Row);

impl Row for PgRow<'_> {
    fn text(&self, column: usize) -> Result<String, StoreError> {
        self.0.try_get(column).map_err(database_error)
    }

    fn opt_text(&self, column: usize) -> Result<Option<String>, StoreError> {
        self.0.try_get(column).map_err(database_error)
    }

    fn int(&self, column: usize) -> Result<i64, StoreError> {
        self.0.try_get(column).map_err(database_error)
    }

    fn opt_int(&self, column: usize) -> Result<Option<i64>, StoreError> {
        self.0.try_get(column).map_err(database_error)
    }

    fn boolean(&self, column: usize) -> Result<bool, StoreError> {
        self.0.try_get(column).map_err(database_error)
    }

    fn time(&self, column: usize) -> Result<OffsetDateTime, StoreError> {
        self.0.try_get(column).map_err(database_error)
    }

    fn opt_time(&self, column: usize) -> Result<Option<OffsetDateTime>, StoreError> {
        self.0.try_get(column).map_err(database_error)
    }

    fn json(&self, column: usize) -> Result<Option<serde_json::Value>, StoreError> {
        self.0.try_get(column).map_err(database_error)
    }

    fn bytes(&self, column: usize) -> Result<Vec<u8>, StoreError> {
        self.0.try_get(column).map_err(database_error)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_kept_out_of_messages() {
        assert_eq!(super::redact("postgres://bmma:secret@db:5432/x"), "postgres://bmma:***@db:5432/x");
        assert_eq!(super::redact("postgres://db/x"), "postgres://db/x");
    }
}
