//! The seam between the repository and the two drivers: parameter values, rows and
//! statements. Repository code writes each SQL statement once, with `$1`-style
//! placeholders, and reads rows through `Row`; the backends do the rest.

use time::OffsetDateTime;

use crate::StoreError;

/// A parameter value. Each backend maps it to its own column types: a time is TIMESTAMPTZ
/// on PostgreSQL and RFC 3339 text on SQLite; JSON is JSONB or text.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Text(String),
    Time(OffsetDateTime),
    /// None stores SQL NULL.
    Json(Option<serde_json::Value>),
    /// BLOB on SQLite, BYTEA on PostgreSQL.
    Bytes(Vec<u8>),
    /// The same, read from a file as it is written, so that a large upload is never held
    /// whole in memory on SQLite (a statement with it names its column in `blob_column`).
    File(FileContent),
}

/// A file whose bytes are a parameter: read from its start, `size` bytes.
#[derive(Debug, Clone)]
pub(crate) struct FileContent {
    pub file: std::sync::Arc<std::fs::File>,
    pub size: u64,
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::Text(text.to_string())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::Text(text)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Int(n)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<OffsetDateTime> for Value {
    fn from(t: OffsetDateTime) -> Value {
        Value::Time(t)
    }
}

/// One result row, read by column position.
pub(crate) trait Row {
    fn text(&self, column: usize) -> Result<String, StoreError>;
    fn opt_text(&self, column: usize) -> Result<Option<String>, StoreError>;
    fn int(&self, column: usize) -> Result<i64, StoreError>;
    fn opt_int(&self, column: usize) -> Result<Option<i64>, StoreError>;
    fn boolean(&self, column: usize) -> Result<bool, StoreError>;
    fn time(&self, column: usize) -> Result<OffsetDateTime, StoreError>;
    fn opt_time(&self, column: usize) -> Result<Option<OffsetDateTime>, StoreError>;
    fn json(&self, column: usize) -> Result<Option<serde_json::Value>, StoreError>;
    fn bytes(&self, column: usize) -> Result<Vec<u8>, StoreError>;
}

/// One statement of a write. With `expect_rows`, the whole write is rolled back unless the
/// statement touches exactly that many rows: this is how a save that lost a race is refused.
#[derive(Debug, Clone)]
pub(crate) struct Statement {
    pub sql: &'static str,
    pub params: Vec<Value>,
    pub expect_rows: Option<u64>,
    /// For an INSERT with a `Value::File`: the column it fills, which the backend fills
    /// from the file piece by piece once the row exists.
    pub blob_column: Option<BlobTarget>,
}

/// A column filled from a file: `table.column` of the row whose `key` is the statement's
/// first parameter.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BlobTarget {
    pub table: &'static str,
    pub column: &'static str,
    pub key: &'static str,
}

impl Statement {
    pub fn new(sql: &'static str, params: Vec<Value>) -> Statement {
        Statement { sql, params, expect_rows: None, blob_column: None }
    }

    pub fn blob_column(mut self, table: &'static str, column: &'static str, key: &'static str) -> Statement {
        self.blob_column = Some(BlobTarget { table, column, key });
        self
    }

    pub fn expect_rows(mut self, rows: u64) -> Statement {
        self.expect_rows = Some(rows);
        self
    }
}

/// Now, cut to whole microseconds: the precision PostgreSQL keeps, so both backends hand
/// back exactly the time that was stored.
pub(crate) fn now() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(now.nanosecond() / 1_000 * 1_000).unwrap_or(now)
}

/// The statements that write a list as rows of a link table, in its order and each entry
/// once (a repeated entry keeps its first place). `sql` inserts one row; its parameters are
/// `key`, then the entry, then its position.
pub(crate) fn link_rows(sql: &'static str, key: &[Value], entries: &[String]) -> Vec<Statement> {
    let mut seen = std::collections::HashSet::new();
    entries
        .iter()
        .filter(|entry| seen.insert(entry.as_str()))
        .enumerate()
        .map(|(position, entry)| {
            let mut params = key.to_vec();
            params.push(entry.clone().into());
            params.push(i64::try_from(position).unwrap_or(i64::MAX).into());
            Statement::new(sql, params)
        })
        .collect()
}

/// Link rows read as (owner, entry), ordered by owner and position, gathered into each
/// owner's list.
pub(crate) fn gather_links<K: std::hash::Hash + Eq>(
    rows: Vec<(K, String)>,
) -> std::collections::HashMap<K, Vec<String>> {
    let mut lists: std::collections::HashMap<K, Vec<String>> = std::collections::HashMap::new();
    for (owner, entry) in rows {
        lists.entry(owner).or_default().push(entry);
    }
    lists
}
