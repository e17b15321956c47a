//! Border sites and the team's visits to them.

use bmma_core::plan::parse_date;
use bmma_core::sites::Site;
use serde::Serialize;
use time::Date;

use crate::audit::{Actor, Audited, Change};
use crate::sql::{Row, Statement, Value, now};
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredSite {
    pub id: String,
    pub country: String,
    #[serde(flatten)]
    pub site: Site,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Visit {
    pub id: String,
    pub site_id: String,
    pub date: Date,
    /// User ids of the team members who went.
    pub members: Vec<String>,
    /// Codes of the indicators observed during the visit.
    pub observed: Vec<String>,
    pub notes: String,
    pub created_by: String,
}

fn json<T: serde::de::DeserializeOwned>(row: &dyn Row, column: usize) -> Result<T, StoreError> {
    serde_json::from_str(&row.text(column)?)
        .map_err(|e| StoreError::Database(format!("bad JSON in column {column}: {e}")))
}

fn as_json(value: &impl Serialize) -> Result<Value, StoreError> {
    serde_json::to_string(value).map(Value::Text).map_err(|e| StoreError::Database(e.to_string()))
}

fn optional(n: Option<i64>) -> Value {
    n.map_or(Value::Null, Value::Int)
}

impl Store {
    /// The sites of a country, by name.
    pub async fn sites(&self, country: &str) -> Result<Vec<StoredSite>, StoreError> {
        self.query(
            "SELECT id, country, name, kind, latitude_e6, longitude_e6, agencies, travellers_per_year FROM sites \
             WHERE country = $1 ORDER BY name, id",
            vec![country.into()],
            |row| {
                Ok(StoredSite {
                    id: row.text(0)?,
                    country: row.text(1)?,
                    site: Site {
                        name: row.text(2)?,
                        kind: row.text(3)?.parse().map_err(StoreError::Database)?,
                        latitude_e6: row.opt_int(4)?,
                        longitude_e6: row.opt_int(5)?,
                        agencies: json(row, 6)?,
                        travellers_per_year: row.opt_int(7)?,
                    },
                })
            },
        )
        .await
    }

    /// Adds a site to a country; `assessment_id` is the assessment it was added from.
    pub async fn create_site(
        &self,
        id: &str,
        country: &str,
        site: &Site,
        assessment_id: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let change = Change::new(actor, Audited::SiteCreate, id).assessment(assessment_id).after(site);
        self.write_audited(
            vec![Statement::new(
                "INSERT INTO sites (id, country, name, kind, latitude_e6, longitude_e6, agencies, travellers_per_year, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                vec![
                    id.into(),
                    country.into(),
                    site.name.trim().into(),
                    site.kind.as_str().into(),
                    optional(site.latitude_e6),
                    optional(site.longitude_e6),
                    as_json(&site.agencies)?,
                    optional(site.travellers_per_year),
                    now().into(),
                ],
            )],
            change,
        )
        .await
    }

    /// The visits of an assessment, latest first.
    pub async fn visits(&self, assessment_id: &str) -> Result<Vec<Visit>, StoreError> {
        self.query(
            "SELECT id, site_id, visit_date, members, observed, notes, created_by FROM visits \
             WHERE assessment_id = $1 ORDER BY visit_date DESC, id",
            vec![assessment_id.into()],
            |row| {
                let date = row.text(2)?;
                Ok(Visit {
                    id: row.text(0)?,
                    site_id: row.text(1)?,
                    date: parse_date(&date)
                        .ok_or_else(|| StoreError::Database(format!("bad date '{date}'")))?,
                    members: json(row, 3)?,
                    observed: json(row, 4)?,
                    notes: row.text(5)?,
                    created_by: row.text(6)?,
                })
            },
        )
        .await
    }

    pub async fn create_visit(
        &self,
        assessment_id: &str,
        visit: &Visit,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let change =
            Change::new(actor, Audited::VisitCreate, &visit.id).assessment(assessment_id).after(visit);
        self.write_audited(
            vec![Statement::new(
                "INSERT INTO visits (id, assessment_id, site_id, visit_date, members, observed, notes, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                vec![
                    visit.id.clone().into(),
                    assessment_id.into(),
                    visit.site_id.clone().into(),
                    visit.date.to_string().into(),
                    as_json(&visit.members)?,
                    as_json(&visit.observed)?,
                    visit.notes.trim().into(),
                    actor.email.clone().into(),
                    now().into(),
                ],
            )],
            change,
        )
        .await
    }
}
