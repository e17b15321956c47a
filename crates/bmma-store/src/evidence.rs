//! The evidence register, its uploaded files and its full-text search.
//!
//! Search runs in each database's own engine (FTS5 on SQLite, a GIN-indexed tsvector on
//! PostgreSQL) over the same search words, made by `bmma_core::evidence`; only the search
//! statement itself differs between the backends.

use bmma_core::evidence::{EvidenceDraft, TextState, search_text};
use bmma_core::records::Author;
use sha2::{Digest, Sha256};

use crate::audit::{Actor, Audited, Change};
use crate::sql::{FileContent, Row, Statement, Value, gather_links, link_rows, now};
use crate::{Backend, Store, StoreError};

/// How often a write that raced with another is tried again over what was read anew.
const RECORD_TRIES: usize = 5;

pub use bmma_core::records::{EvidenceItem, StoredFile};

/// An upload on its way in, already checked: its name for display, its type and its bytes,
/// and whether its words are to be read (they are read later, outside the server).
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub media_type: String,
    pub content: Content,
    pub holds_text: bool,
}

/// The bytes of an upload: in memory, for the small files bmma makes itself (the demo), or
/// in a file (what users upload), read from its start as it is written.
#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Vec<u8>),
    File(std::sync::Arc<std::fs::File>),
}

impl Content {
    /// The hex SHA-256 and the size, reading a file 64 KB at a time.
    fn digest(&self) -> std::io::Result<(String, u64)> {
        match self {
            Content::Bytes(bytes) => Ok((sha256_hex(bytes), bytes.len() as u64)),
            Content::File(file) => {
                use std::io::{Read, Seek, SeekFrom};
                let mut file = &**file;
                file.seek(SeekFrom::Start(0))?;
                let mut hasher = Sha256::new();
                let mut buffer = vec![0u8; 64 * 1024];
                let mut size = 0;
                loop {
                    let n = file.read(&mut buffer)?;
                    if n == 0 {
                        break;
                    }
                    hasher.update(&buffer[..n]);
                    size += n as u64;
                }
                Ok((hasher.finalize().iter().map(|b| format!("{b:02x}")).collect(), size))
            }
        }
    }
}

/// An upload whose words are still to be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextToRead {
    pub assessment_id: String,
    pub item_id: String,
    pub media_type: String,
    pub sha256: String,
}

/// A search hit: the item, and the words of its document, for an excerpt to be cut from.
#[derive(Debug, Clone)]
pub struct SearchHit {
    pub item: EvidenceItem,
    pub document_text: Option<String>,
}

/// The columns `item` reads, in its order; `e` is the evidence, `f` its file.
macro_rules! item_columns {
    () => {
        "e.id, e.kind, e.title, e.notes, e.file_name, e.media_type, e.sha256, f.size_bytes, \
         e.text_state, e.created_by_id, cb.name, e.created_at, e.updated_by_id, ub.name, e.updated_at, e.version"
    };
}

/// Hex SHA-256, as stored and shown.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// An item as its row holds it; its indicators are read from their link table after.
fn item(row: &dyn Row) -> Result<EvidenceItem, StoreError> {
    let file = match row.opt_text(4)? {
        Some(name) => Some(StoredFile {
            name,
            media_type: row.opt_text(5)?.unwrap_or_default(),
            sha256: row.opt_text(6)?.unwrap_or_default(),
            size_bytes: row.opt_int(7)?.unwrap_or_default(),
            text_state: row.text(8)?.parse().map_err(StoreError::Database)?,
        }),
        None => None,
    };
    Ok(EvidenceItem {
        id: row.text(0)?,
        kind: row.text(1)?.parse().map_err(StoreError::Database)?,
        title: row.text(2)?,
        notes: row.text(3)?,
        indicators: Vec::new(),
        file,
        created_by: Author::of(row.opt_text(9)?, row.opt_text(10)?),
        created_at: row.time(11)?,
        updated_by: Author::of(row.opt_text(12)?, row.opt_text(13)?),
        updated_at: row.time(14)?,
        version: row.int(15)?,
    })
}

/// The statements that make `codes` the indicators of item `id`, replacing any before.
fn indicator_links(id: &str, codes: &[String]) -> Vec<Statement> {
    let key = [Value::from(id)];
    let mut statements =
        vec![Statement::new("DELETE FROM evidence_indicators WHERE evidence_id = $1", key.to_vec())];
    statements.extend(link_rows(
        "INSERT INTO evidence_indicators (evidence_id, indicator_code, position) VALUES ($1, $2, $3)",
        &key,
        codes,
    ));
    statements
}

impl Store {
    /// Fills in the indicators of `items`, all of one assessment, from their link table.
    async fn with_indicators(
        &self,
        assessment_id: &str,
        mut items: Vec<EvidenceItem>,
    ) -> Result<Vec<EvidenceItem>, StoreError> {
        if items.is_empty() {
            return Ok(items);
        }
        let (sql, params) = match items.as_slice() {
            [one] => (
                "SELECT evidence_id, indicator_code FROM evidence_indicators WHERE evidence_id = $1 ORDER BY position",
                vec![one.id.clone().into()],
            ),
            _ => (
                "SELECT l.evidence_id, l.indicator_code FROM evidence_indicators l JOIN evidence e ON e.id = l.evidence_id \
                 WHERE e.assessment_id = $1 ORDER BY l.evidence_id, l.position",
                vec![assessment_id.into()],
            ),
        };
        let mut links = gather_links(self.query(sql, params, |row| Ok((row.text(0)?, row.text(1)?))).await?);
        for item in &mut items {
            item.indicators = links.remove(&item.id).unwrap_or_default();
        }
        Ok(items)
    }

    /// The register of an assessment, newest first.
    pub async fn evidence(&self, assessment_id: &str) -> Result<Vec<EvidenceItem>, StoreError> {
        let items = self
            .query(
                concat!(
                    "SELECT ",
                    item_columns!(),
                    " FROM evidence e LEFT JOIN evidence_files f ON f.sha256 = e.sha256 \
                 LEFT JOIN users cb ON cb.id = e.created_by_id LEFT JOIN users ub ON ub.id = e.updated_by_id \
                 WHERE e.assessment_id = $1 ORDER BY e.created_at DESC, e.id"
                ),
                vec![assessment_id.into()],
                item,
            )
            .await?;
        self.with_indicators(assessment_id, items).await
    }

    /// The ids of an assessment's items, sorted: enough to check what a rating cites.
    pub async fn evidence_ids(
        &self,
        assessment_id: &str,
    ) -> Result<std::collections::BTreeSet<String>, StoreError> {
        let ids = self
            .query("SELECT id FROM evidence WHERE assessment_id = $1", vec![assessment_id.into()], |row| {
                row.text(0)
            })
            .await?;
        Ok(ids.into_iter().collect())
    }

    /// One item of an assessment's register.
    pub async fn evidence_item(
        &self,
        assessment_id: &str,
        id: &str,
    ) -> Result<Option<EvidenceItem>, StoreError> {
        let items = self
            .query(
                concat!(
                    "SELECT ",
                    item_columns!(),
                    " FROM evidence e LEFT JOIN evidence_files f ON f.sha256 = e.sha256 \
                 LEFT JOIN users cb ON cb.id = e.created_by_id LEFT JOIN users ub ON ub.id = e.updated_by_id \
                     WHERE e.assessment_id = $1 AND e.id = $2"
                ),
                vec![assessment_id.into(), id.into()],
                item,
            )
            .await?;
        Ok(self.with_indicators(assessment_id, items).await?.pop())
    }

    /// Files an item, with its upload if there is one, in one transaction.
    pub async fn create_evidence(
        &self,
        assessment_id: &str,
        id: &str,
        draft: &EvidenceDraft,
        upload: Option<Upload>,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let at = now();
        let text_state = match &upload {
            Some(u) if u.holds_text => TextState::Waiting,
            _ => TextState::NoText,
        };
        let digest = match upload.as_ref().map(|u| u.content.clone()) {
            Some(content) => Some(
                tokio::task::spawn_blocking(move || content.digest())
                    .await
                    .map_err(|e| StoreError::Database(format!("hashing an upload: {e}")))?
                    .map_err(|e| StoreError::Database(format!("reading an upload: {e}")))?,
            ),
            None => None,
        };
        let sha256 = digest.as_ref().map(|(sha256, _)| sha256.clone());
        let file = upload.as_ref().map(|u| (u.name.clone(), u.media_type.clone()));
        let mut statements = Vec::new();
        if let (Some(upload), Some((sha256, size))) = (upload, digest) {
            // The bytes move into the statement, or stream from their file: an upload is
            // never copied whole.
            let content = match upload.content {
                Content::Bytes(bytes) => Value::Bytes(bytes),
                Content::File(file) => Value::File(FileContent { file, size }),
            };
            statements.push(
                Statement::new(
                    "INSERT INTO evidence_files (sha256, size_bytes, content) VALUES ($1, $2, $3) \
                     ON CONFLICT (sha256) DO NOTHING",
                    vec![sha256.into(), i64::try_from(size).unwrap_or(i64::MAX).into(), content],
                )
                .blob_column("evidence_files", "content", "sha256"),
            );
        }
        let opt = |text: Option<&str>| text.map_or(Value::Null, Value::from);
        statements.push(Statement::new(
            "INSERT INTO evidence (id, assessment_id, kind, title, notes, file_name, media_type, sha256, \
             text_state, search_text, created_by_id, created_at, updated_by_id, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $12, 1)",
            vec![
                id.into(),
                assessment_id.into(),
                draft.kind.as_str().into(),
                draft.title.trim().into(),
                draft.notes.trim().into(),
                opt(file.as_ref().map(|f| f.0.as_str())),
                opt(file.as_ref().map(|f| f.1.as_str())),
                opt(sha256.as_deref()),
                text_state.as_str().into(),
                search_text(&[&draft.title, &draft.notes]).into(),
                actor.user_id(),
                at.into(),
            ],
        ));
        statements.extend(indicator_links(id, &draft.indicators));
        let change = Change::new(actor, Audited::EvidenceCreate, id)
            .assessment(assessment_id)
            .after(&serde_json::json!({ "item": draft, "file": file, "sha256": sha256 }));
        self.write_audited(statements, change).await
    }

    /// Saves new title, notes and indicators over `expected_version`. Returns false, and
    /// changes nothing, when someone saved the item meanwhile.
    pub async fn update_evidence(
        &self,
        assessment_id: &str,
        id: &str,
        draft: &EvidenceDraft,
        expected_version: i64,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        // The search words include the document's, which the text reader may record between
        // this read and the write; the write then touches no row, and is tried again over
        // the words just recorded. Only a change of version is someone else's save.
        for _ in 0..RECORD_TRIES {
            let Some((document_text, text_state, version)) = self.document_text(assessment_id, id).await?
            else {
                return Ok(false);
            };
            if version != expected_version {
                return Ok(false);
            }
            let statement = Statement::new(
                "UPDATE evidence SET title = $3, notes = $4, search_text = $5, updated_by_id = $6, \
                 updated_at = $7, version = version + 1 \
                 WHERE assessment_id = $1 AND id = $2 AND version = $8 AND text_state = $9",
                vec![
                    assessment_id.into(),
                    id.into(),
                    draft.title.trim().into(),
                    draft.notes.trim().into(),
                    search_text(&[&draft.title, &draft.notes, document_text.as_deref().unwrap_or("")]).into(),
                    actor.user_id(),
                    now().into(),
                    expected_version.into(),
                    text_state.into(),
                ],
            )
            .expect_rows(1);
            let mut statements = vec![statement];
            statements.extend(indicator_links(id, &draft.indicators));
            let change =
                Change::new(actor, Audited::EvidenceUpdate, id).assessment(assessment_id).after(draft);
            if crate::applied(self.write_audited(statements, change).await)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The words read from an item's upload, where reading them stands, and the item's version.
    async fn document_text(
        &self,
        assessment_id: &str,
        id: &str,
    ) -> Result<Option<(Option<String>, String, i64)>, StoreError> {
        self.query_one(
            "SELECT document_text, text_state, version FROM evidence WHERE assessment_id = $1 AND id = $2",
            vec![assessment_id.into(), id.into()],
            |row| Ok((row.opt_text(0)?, row.text(1)?, row.int(2)?)),
        )
        .await
    }

    /// Uploads whose words are still to be read, oldest first: after a restart, what the
    /// server was reading when it stopped.
    pub async fn texts_to_read(&self) -> Result<Vec<TextToRead>, StoreError> {
        self.query(
            "SELECT assessment_id, id, media_type, sha256 FROM evidence WHERE text_state = 'waiting' ORDER BY created_at, id",
            vec![],
            |row| {
                Ok(TextToRead {
                    assessment_id: row.text(0)?,
                    item_id: row.text(1)?,
                    media_type: row.text(2)?,
                    sha256: row.text(3)?,
                })
            },
        )
        .await
    }

    /// Up to `len` bytes of an uploaded file from `offset`, by its SHA-256; empty past its
    /// end, None when there is no such file. Read piece by piece, a large file is never held
    /// whole.
    pub async fn file_piece(
        &self,
        sha256: &str,
        offset: u64,
        len: usize,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        match &self.backend {
            Backend::Sqlite(sqlite) => {
                sqlite.blob_piece("evidence_files", "content", "sha256", sha256, offset, len).await
            }
            Backend::Postgres(_) => {
                let start = i64::try_from(offset).unwrap_or(i64::MAX).saturating_add(1);
                let len = i64::try_from(len).unwrap_or(i64::MAX);
                self.query_one(
                    "SELECT substr(content, CAST(CAST($2 AS BIGINT) AS INTEGER), CAST(CAST($3 AS BIGINT) AS INTEGER)) \
                     FROM evidence_files WHERE sha256 = $1",
                    vec![sha256.into(), start.into(), len.into()],
                    |row| row.bytes(0),
                )
                .await
            }
        }
    }

    /// Records what reading an upload gave: its words (cut to what is kept), or None when
    /// the file could not be read. The item's search words then include the document's.
    /// Returns false when the item is no longer waiting (already recorded). This is derived
    /// data, not anyone's change, so it bumps no version and writes no audit entry.
    pub async fn record_text(
        &self,
        assessment_id: &str,
        id: &str,
        text: Option<&str>,
    ) -> Result<bool, StoreError> {
        for _ in 0..RECORD_TRIES {
            let current = self
                .query_one(
                    "SELECT title, notes, version, text_state FROM evidence WHERE assessment_id = $1 AND id = $2",
                    vec![assessment_id.into(), id.into()],
                    |row| Ok((row.text(0)?, row.text(1)?, row.int(2)?, row.text(3)?)),
                )
                .await?;
            let Some((title, notes, version, state)) = current else { return Ok(false) };
            if state != TextState::Waiting.as_str() {
                return Ok(false);
            }
            let (state, words) = match text {
                Some(text) => (TextState::Read, search_text(&[&title, &notes, text])),
                None => (TextState::Unreadable, search_text(&[&title, &notes])),
            };
            let statement = Statement::new(
                "UPDATE evidence SET document_text = $3, text_state = $4, search_text = $5 \
                 WHERE assessment_id = $1 AND id = $2 AND version = $6 AND text_state = 'waiting'",
                vec![
                    assessment_id.into(),
                    id.into(),
                    text.map_or(Value::Null, Value::from),
                    state.as_str().into(),
                    words.into(),
                    version.into(),
                ],
            )
            .expect_rows(1);
            // Someone saved the title or notes meanwhile: read them again.
            if crate::applied(self.write(vec![statement]).await)? {
                return Ok(true);
            }
        }
        Err(StoreError::Database(format!(
            "the words of evidence {id} could not be recorded: the item kept changing"
        )))
    }

    /// The items of an assessment whose search words start with every one of `words`
    /// (already made by `bmma_core::evidence::query_words`), newest first, `limit` at most.
    pub async fn search_evidence(
        &self,
        assessment_id: &str,
        words: &[String],
        limit: usize,
    ) -> Result<Vec<SearchHit>, StoreError> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        // The words are plain ASCII letters and digits, so they need no escaping in either
        // query language. Newest first: on SQLite by filing order, which FTS5 walks backwards
        // and stops at the limit, instead of sorting every match by time.
        let (sql, query) = match self.backend {
            Backend::Sqlite(_) => (
                concat!(
                    "SELECT ",
                    item_columns!(),
                    ", e.document_text FROM evidence_search s JOIN evidence e ON e.seq = s.rowid \
                     LEFT JOIN evidence_files f ON f.sha256 = e.sha256 \
                 LEFT JOIN users cb ON cb.id = e.created_by_id LEFT JOIN users ub ON ub.id = e.updated_by_id \
                     WHERE evidence_search MATCH $2 AND e.assessment_id = $1 ORDER BY s.rowid DESC LIMIT $3"
                ),
                words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" "),
            ),
            Backend::Postgres(_) => (
                concat!(
                    "SELECT ",
                    item_columns!(),
                    ", e.document_text FROM evidence e LEFT JOIN evidence_files f ON f.sha256 = e.sha256 \
                 LEFT JOIN users cb ON cb.id = e.created_by_id LEFT JOIN users ub ON ub.id = e.updated_by_id \
                     WHERE e.assessment_id = $1 AND e.search_vector @@ to_tsquery('simple', $2) \
                     ORDER BY e.created_at DESC, e.id LIMIT $3"
                ),
                words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & "),
            ),
        };
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let hits = self
            .query(sql, vec![assessment_id.into(), query.into(), limit.into()], |row| {
                Ok((item(row)?, row.opt_text(16)?))
            })
            .await?;
        let (items, texts): (Vec<_>, Vec<_>) = hits.into_iter().unzip();
        let items = self.with_indicators(assessment_id, items).await?;
        Ok(items
            .into_iter()
            .zip(texts)
            .map(|(item, document_text)| SearchHit { item, document_text })
            .collect())
    }

    /// The upload of an item: its name, type and bytes.
    pub async fn evidence_file(
        &self,
        assessment_id: &str,
        id: &str,
    ) -> Result<Option<(String, String, Vec<u8>)>, StoreError> {
        self.query_one(
            "SELECT e.file_name, e.media_type, f.content FROM evidence e JOIN evidence_files f ON f.sha256 = e.sha256 \
             WHERE e.assessment_id = $1 AND e.id = $2",
            vec![assessment_id.into(), id.into()],
            |row| Ok((row.text(0)?, row.text(1)?, row.bytes(2)?)),
        )
        .await
    }
}
