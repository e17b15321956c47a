//! Fieldwork: the border sites of the assessed country and the team's visits to them, each
//! visit linked to the indicators it observed.

use bmma_core::records::{StoredSite, Visit};
use bmma_core::sites::Site;
use bmma_core::{Action, FieldError, FieldErrorKind, NOTES_MAX_CHARS, text_problem};
use bmma_store::User;
use time::Date;

use crate::access::Access;
use crate::{App, AppError};

/// A visit as the caller recorded it. `date` is None when what was typed is no date; the
/// problem is then in the `read_errors` given with it.
#[derive(Debug, Clone, Default)]
pub struct NewVisit {
    pub site_id: String,
    pub date: Option<Date>,
    /// User ids of the members who went.
    pub members: Vec<String>,
    /// Codes of the indicators observed.
    pub observed: Vec<String>,
    pub notes: String,
}

impl App {
    /// The assessed country's border sites, known to every assessment of that country.
    pub async fn sites(&self, access: &Access) -> Result<Vec<StoredSite>, AppError> {
        access.require(Action::View)?;
        Ok(self.store.sites(&access.assessment.country).await?)
    }

    /// The assessment's visits as the caller may see them. Place, date, team and indicators
    /// observed are shown to everyone who sees work in progress; the notes are evidence (they
    /// can name the officers met), so only those who may see evidence read them.
    pub async fn visits(&self, access: &Access) -> Result<Vec<Visit>, AppError> {
        access.require(Action::ViewDrafts)?;
        let mut visits = self.store.visits(&access.assessment.id).await?;
        if !access.can(Action::Evidence) {
            for visit in &mut visits {
                visit.notes.clear();
            }
        }
        Ok(visits)
    }

    /// Adds a border site of the assessment's country. `read_errors` are the problems found
    /// while reading the request; they are reported with the site's own.
    pub async fn add_site(
        &self,
        user: &User,
        id: &str,
        site: &Site,
        mut read_errors: Vec<FieldError>,
    ) -> Result<String, AppError> {
        let access = self.assessment_for(user, id, Action::Fieldwork).await?;
        read_errors.extend(site.problems());
        if !read_errors.is_empty() {
            return Err(AppError::Invalid(read_errors));
        }
        let site_id = crate::new_id();
        self.store.create_site(&site_id, &access.assessment.country, site, id, &user.actor()).await?;
        Ok(site_id)
    }

    /// Records a visit by members of the team to a site of the country.
    pub async fn add_visit(
        &self,
        user: &User,
        id: &str,
        visit: NewVisit,
        mut read_errors: Vec<FieldError>,
    ) -> Result<String, AppError> {
        let access = self.assessment_for(user, id, Action::Fieldwork).await?;
        let a = &access.assessment;
        let errors = &mut read_errors;
        if !self.store.sites(&a.country).await?.iter().any(|s| s.id == visit.site_id) {
            errors.push(FieldError { field: "site", kind: FieldErrorKind::Required });
        }
        let members = self.store.members(&a.id).await?;
        if visit.members.is_empty() {
            errors.push(FieldError { field: "member", kind: FieldErrorKind::Required });
        }
        for unknown in visit.members.iter().filter(|u| !members.iter().any(|m| &&m.user_id == u)) {
            errors.push(FieldError {
                field: "member",
                kind: FieldErrorKind::NotAssigned { value: unknown.clone() },
            });
        }
        errors.extend(text_problem("notes", &visit.notes, false, NOTES_MAX_CHARS));
        let loaded = self.framework_of(a).await?;
        errors.extend(a.scope.indicator_problems(&loaded.framework, "observed", &visit.observed));
        if !read_errors.is_empty() {
            return Err(AppError::Invalid(read_errors));
        }
        // Without a problem read, a missing date is one that was never given.
        let Some(date) = visit.date else { return Err(AppError::field("date", FieldErrorKind::Required)) };
        let record = Visit {
            id: crate::new_id(),
            site_id: visit.site_id,
            date,
            members: visit.members,
            observed: visit.observed,
            notes: visit.notes,
            created_by: user.author(),
        };
        self.store.create_visit(id, &record, &user.actor()).await?;
        Ok(record.id)
    }
}
