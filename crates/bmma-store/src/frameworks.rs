//! Stored frameworks. The text of each framework file is kept as imported; the catalog in
//! memory is rebuilt from it at start.

use bmma_core::FrameworkRef;
use time::OffsetDateTime;

use crate::audit::{Actor, Audited, Change};
use crate::sql::{Row, Statement, now};
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkRecord {
    pub reference: FrameworkRef,
    pub name: String,
    pub builtin: bool,
    pub imported_at: OffsetDateTime,
}

/// What `save_framework` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    Added,
    /// The same text was already stored.
    Unchanged,
}

fn record(row: &dyn Row) -> Result<FrameworkRecord, StoreError> {
    Ok(FrameworkRecord {
        reference: FrameworkRef { id: row.text(0)?, version: row.text(1)? },
        name: row.text(2)?,
        builtin: row.boolean(3)?,
        imported_at: row.time(4)?,
    })
}

impl Store {
    pub async fn list_frameworks(&self) -> Result<Vec<FrameworkRecord>, StoreError> {
        self.query(
            "SELECT id, version, name, builtin, imported_at FROM frameworks ORDER BY id, version",
            vec![],
            record,
        )
        .await
    }

    /// Every stored framework with its file text, for building the catalog at start.
    pub async fn framework_sources(&self) -> Result<Vec<(FrameworkRecord, String)>, StoreError> {
        self.query(
            "SELECT id, version, name, builtin, imported_at, source FROM frameworks ORDER BY id, version",
            vec![],
            |row| Ok((record(row)?, row.text(5)?)),
        )
        .await
    }

    pub async fn framework_source(&self, reference: &FrameworkRef) -> Result<Option<String>, StoreError> {
        self.query_one(
            "SELECT source FROM frameworks WHERE id = $1 AND version = $2",
            vec![reference.id.clone().into(), reference.version.clone().into()],
            |row| row.text(0),
        )
        .await
    }

    /// Stores a framework that has passed validation. An id and version, once stored, keep
    /// their text, built-in or not: different text under them is refused, since assessments
    /// may already be scored against it. A corrected framework is a new version.
    pub async fn save_framework(
        &self,
        reference: &FrameworkRef,
        name: &str,
        source: &str,
        builtin: bool,
        actor: &Actor,
    ) -> Result<SaveOutcome, StoreError> {
        // The trail records which text was installed by its hash; the text itself is kept
        // in the frameworks table.
        let digest: String = {
            use sha2::Digest;
            sha2::Sha256::digest(source.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
        };
        let summary = serde_json::json!({ "id": reference.id, "version": reference.version, "name": name, "builtin": builtin, "sha256": digest });
        let existing = self
            .query_one(
                "SELECT source FROM frameworks WHERE id = $1 AND version = $2",
                vec![reference.id.clone().into(), reference.version.clone().into()],
                |row| row.text(0),
            )
            .await?;
        match existing {
            Some(stored) if stored == source => Ok(SaveOutcome::Unchanged),
            Some(_) => Err(StoreError::Duplicate(format!(
                "framework {reference} is already stored with different content; give the changed file a new version"
            ))),
            None => {
                let change =
                    Change::new(actor, Audited::FrameworkInstall, &reference.to_string()).after(&summary);
                self.write_audited(vec![
                    Statement::new(
                        "INSERT INTO frameworks (id, version, name, source, builtin, imported_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id, version) DO NOTHING",
                        vec![
                            reference.id.clone().into(),
                            reference.version.clone().into(),
                            name.into(),
                            source.into(),
                            builtin.into(),
                            now().into(),
                        ],
                    )
                    .expect_rows(1),
                ], change)
                .await?;
                Ok(SaveOutcome::Added)
            }
        }
    }
}
