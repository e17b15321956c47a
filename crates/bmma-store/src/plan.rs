//! The method and timeline of an assessment.

use bmma_core::Assessment;
use bmma_core::plan::{Milestone, Plan, parse_date};
use time::Date;

use crate::audit::{Actor, Audited, Change};
use crate::sql::{Statement, Value, now};
use crate::{Store, StoreError};

fn date_value(date: Option<Date>) -> Value {
    date.map_or(Value::Null, |d| Value::Text(d.to_string()))
}

fn date_of(text: Option<String>) -> Result<Option<Date>, StoreError> {
    text.map(|t| {
        parse_date(&t).ok_or_else(|| StoreError::Database(format!("bad date '{t}' in the database")))
    })
    .transpose()
}

fn from_json<T: serde::de::DeserializeOwned>(text: Option<String>) -> Result<Option<T>, StoreError> {
    text.map(|t| serde_json::from_str(&t).map_err(|e| StoreError::Database(format!("bad plan JSON: {e}"))))
        .transpose()
}

fn json_text(value: &impl serde::Serialize) -> Result<Value, StoreError> {
    serde_json::to_string(value).map(Value::Text).map_err(|e| StoreError::Database(e.to_string()))
}

impl Store {
    pub async fn plan(&self, assessment_id: &str) -> Result<Plan, StoreError> {
        let head = self
            .query_one(
                "SELECT start_date, end_date, evidence_cutoff, counterparts, methods FROM assessments WHERE id = $1",
                vec![assessment_id.into()],
                |row| Ok((row.opt_text(0)?, row.opt_text(1)?, row.opt_text(2)?, row.opt_text(3)?, row.opt_text(4)?)),
            )
            .await?;
        let Some((start, end, cutoff, counterparts, methods)) = head else { return Ok(Plan::default()) };
        let milestones = self
            .query(
                "SELECT name, due FROM milestones WHERE assessment_id = $1 ORDER BY position",
                vec![assessment_id.into()],
                |row| {
                    let due = row.text(1)?;
                    Ok(Milestone {
                        name: row.text(0)?,
                        due: parse_date(&due)
                            .ok_or_else(|| StoreError::Database(format!("bad date '{due}'")))?,
                    })
                },
            )
            .await?;
        Ok(Plan {
            start: date_of(start)?,
            end: date_of(end)?,
            evidence_cutoff: date_of(cutoff)?,
            counterparts: from_json(counterparts)?.unwrap_or_default(),
            methods: from_json(methods)?.unwrap_or_default(),
            milestones,
        })
    }

    /// Replaces the plan, provided nobody changed the assessment since `expected_version`
    /// was read; false, with nothing written, when someone did.
    pub async fn set_plan(
        &self,
        before: &Assessment,
        plan: &Plan,
        expected_version: i64,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let old = self.plan(&before.id).await?;
        let mut statements = vec![
            Statement::new(
                "UPDATE assessments SET start_date = $2, end_date = $3, evidence_cutoff = $4, counterparts = $5, methods = $6, \
                 updated_at = $7, updated_by_id = $8, version = version + 1 WHERE id = $1 AND version = $9",
                vec![
                    before.id.clone().into(),
                    date_value(plan.start),
                    date_value(plan.end),
                    date_value(plan.evidence_cutoff),
                    json_text(&plan.counterparts)?,
                    json_text(&plan.methods)?,
                    now().into(),
                    actor.user_id(),
                    expected_version.into(),
                ],
            )
            .expect_rows(1),
            Statement::new("DELETE FROM milestones WHERE assessment_id = $1", vec![before.id.clone().into()]),
        ];
        for (position, milestone) in plan.milestones.iter().enumerate() {
            statements.push(Statement::new(
                "INSERT INTO milestones (assessment_id, position, name, due) VALUES ($1, $2, $3, $4)",
                vec![
                    before.id.clone().into(),
                    (position as i64).into(),
                    milestone.name.trim().into(),
                    milestone.due.to_string().into(),
                ],
            ));
        }
        let change = Change::new(actor, Audited::AssessmentSetPlan, &before.id)
            .assessment(&before.id)
            .before(&old)
            .after(plan);
        crate::applied(self.write_audited(statements, change).await)
    }
}
