//! Stored assessments.

use bmma_core::{Assessment, AssessmentStatus, FrameworkRef, NewAssessment, Scope};

use crate::sql::{Row, Statement, Value, now};
use crate::{Store, StoreError};

/// A validated new assessment, ready to store. `id` is chosen by the caller: a random UUID,
/// or a fixed one for the demo, which makes loading the demo idempotent.
#[derive(Debug, Clone)]
pub struct NewAssessmentRecord {
    pub id: String,
    pub framework: FrameworkRef,
    pub assessment: NewAssessment,
}

/// `SELECT` of every column that `assessment` reads, in its order, then the given clauses.
macro_rules! select_assessments {
    ($($tail:literal)?) => {
        concat!(
            "SELECT id, country, framework_id, framework_version, title, requesting_body, status, scope, created_at, updated_at, version FROM assessments ",
            $($tail)?
        )
    };
}

fn assessment(row: &dyn Row) -> Result<Assessment, StoreError> {
    let status = row.text(6)?;
    let scope = match row.json(7)? {
        None => Scope::everything(),
        Some(json) => serde_json::from_value(json)
            .map_err(|e| StoreError::Database(format!("bad scope in the database: {e}")))?,
    };
    Ok(Assessment {
        id: row.text(0)?,
        country: row.text(1)?,
        framework: FrameworkRef { id: row.text(2)?, version: row.text(3)? },
        title: row.text(4)?,
        requesting_body: row.text(5)?,
        status: status.parse().map_err(StoreError::Database)?,
        scope,
        created_at: row.time(8)?,
        updated_at: row.time(9)?,
        version: row.int(10)?,
    })
}

impl Store {
    /// All assessments, newest first.
    pub async fn list_assessments(&self) -> Result<Vec<Assessment>, StoreError> {
        self.query(select_assessments!("ORDER BY created_at DESC, id"), vec![], assessment).await
    }

    pub async fn get_assessment(&self, id: &str) -> Result<Option<Assessment>, StoreError> {
        self.query_one(select_assessments!("WHERE id = $1"), vec![id.into()], assessment).await
    }

    /// Stores a new assessment in status "requested". Returns false, and changes nothing,
    /// when an assessment with this id exists already.
    pub async fn create_assessment(&self, record: &NewAssessmentRecord) -> Result<bool, StoreError> {
        let new = &record.assessment;
        let scope = serde_json::to_value(&new.scope.0).map_err(|e| StoreError::Database(e.to_string()))?;
        let scope = if new.scope.is_everything() { None } else { Some(scope) };
        let created = now();
        let result = self
            .write(vec![
                Statement::new(
                    "INSERT INTO assessments (id, country, framework_id, framework_version, title, requesting_body, status, scope, created_at, updated_at, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1) ON CONFLICT (id) DO NOTHING",
                    vec![
                        record.id.clone().into(),
                        new.country.trim().to_ascii_uppercase().into(),
                        record.framework.id.clone().into(),
                        record.framework.version.clone().into(),
                        new.title.trim().into(),
                        new.requesting_body.trim().into(),
                        AssessmentStatus::Requested.as_str().into(),
                        Value::Json(scope),
                        created.into(),
                    ],
                )
                .expect_rows(1),
            ])
            .await;
        match result {
            Ok(()) => Ok(true),
            Err(StoreError::Conflict) => Ok(false),
            Err(e) => Err(e),
        }
    }
}
