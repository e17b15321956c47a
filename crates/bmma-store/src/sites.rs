//! Border sites and the team's visits to them.

use bmma_core::plan::parse_date;
use bmma_core::records::Author;
use bmma_core::sites::Site;
use serde::Serialize;

use crate::audit::{Actor, Audited, Change};
use crate::sql::{Row, Statement, Value, gather_links, link_rows, now};
use crate::{Store, StoreError};

pub use bmma_core::records::{StoredSite, Visit};

/// The agencies of a site: a value object, kept as a JSON list.
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
        let mut visits = self
            .query(
                "SELECT v.id, v.site_id, v.visit_date, v.notes, v.created_by_id, u.name FROM visits v \
                 LEFT JOIN users u ON u.id = v.created_by_id WHERE v.assessment_id = $1 ORDER BY v.visit_date DESC, v.id",
                vec![assessment_id.into()],
                |row| {
                    let date = row.text(2)?;
                    Ok(Visit {
                        id: row.text(0)?,
                        site_id: row.text(1)?,
                        date: parse_date(&date)
                            .ok_or_else(|| StoreError::Database(format!("bad date '{date}'")))?,
                        members: Vec::new(),
                        observed: Vec::new(),
                        notes: row.text(3)?,
                        created_by: Author::of(row.opt_text(4)?, row.opt_text(5)?),
                    })
                },
            )
            .await?;
        let link = |row: &dyn Row| Ok((row.text(0)?, row.text(1)?));
        let mut members = gather_links(
            self.query(
                "SELECT l.visit_id, l.user_id FROM visit_members l JOIN visits v ON v.id = l.visit_id \
                 WHERE v.assessment_id = $1 ORDER BY l.visit_id, l.position",
                vec![assessment_id.into()],
                link,
            )
            .await?,
        );
        let mut observed = gather_links(
            self.query(
                "SELECT l.visit_id, l.indicator_code FROM visit_indicators l JOIN visits v ON v.id = l.visit_id \
                 WHERE v.assessment_id = $1 ORDER BY l.visit_id, l.position",
                vec![assessment_id.into()],
                link,
            )
            .await?,
        );
        for visit in &mut visits {
            visit.members = members.remove(&visit.id).unwrap_or_default();
            visit.observed = observed.remove(&visit.id).unwrap_or_default();
        }
        Ok(visits)
    }

    pub async fn create_visit(
        &self,
        assessment_id: &str,
        visit: &Visit,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let change =
            Change::new(actor, Audited::VisitCreate, &visit.id).assessment(assessment_id).after(visit);
        let mut statements = vec![Statement::new(
            "INSERT INTO visits (id, assessment_id, site_id, visit_date, notes, created_by_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            vec![
                visit.id.clone().into(),
                assessment_id.into(),
                visit.site_id.clone().into(),
                visit.date.to_string().into(),
                visit.notes.trim().into(),
                actor.user_id(),
                now().into(),
            ],
        )];
        let key = [Value::from(visit.id.as_str())];
        statements.extend(link_rows(
            "INSERT INTO visit_members (visit_id, user_id, position) VALUES ($1, $2, $3)",
            &key,
            &visit.members,
        ));
        statements.extend(link_rows(
            "INSERT INTO visit_indicators (visit_id, indicator_code, position) VALUES ($1, $2, $3)",
            &key,
            &visit.observed,
        ));
        self.write_audited(statements, change).await
    }
}
