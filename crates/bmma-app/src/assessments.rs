//! An assessment's own record: opening it, its scope, its plan, its life cycle and its
//! history.

use bmma_core::plan::Plan;
use bmma_core::{
    Action, Assessment, AssessmentStatus, FieldError, FieldErrorKind, FrameworkRef, NewAssessment, Scope,
};
use bmma_store::{AuditEntry, NewAssessmentRecord, StatusChange, User};
use serde::Deserialize;

use crate::access::Access;
use crate::{App, AppError};

/// What opening an assessment asks for, from the form, the API or the demo. Every field
/// defaults to empty, so that a missing field is reported by name with the others.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OpenAssessment {
    pub country: String,
    /// `id@version`, or `id` for its newest version.
    pub framework: String,
    pub title: String,
    pub requesting_body: String,
    /// Codes of the components, elements and indicators in scope; absent or null for all.
    pub scope: Option<Vec<String>>,
}

/// "Changed by X at T": why a write over an older version of the assessment was refused.
pub fn stale(current: &Assessment) -> AppError {
    AppError::stale_by("error-stale", &current.updated_by.name, current.updated_at)
}

impl App {
    /// Checks every field and opens the assessment under `id` (a new id, or one an offline
    /// copy or the demo chose), led by `user`.
    pub async fn open_assessment(
        &self,
        user: &User,
        id: String,
        request: OpenAssessment,
    ) -> Result<Assessment, AppError> {
        let reference = match request.framework.trim() {
            "" => None,
            // Text that is no reference at all ("@1") can name no installed framework; kept
            // whole as the id, it is reported back exactly as typed.
            text => Some(
                text.parse::<FrameworkRef>()
                    .unwrap_or(FrameworkRef { id: text.to_string(), version: String::new() }),
            ),
        };
        let loaded = match &reference {
            Some(r) => self.framework(r).await?,
            None => None,
        };
        let new = NewAssessment {
            country: request.country,
            framework: reference,
            title: request.title,
            requesting_body: request.requesting_body,
            scope: Scope(request.scope),
        };
        new.validate(loaded.as_ref().map(|l| &l.framework)).map_err(AppError::Invalid)?;
        let framework = loaded.map(|l| l.framework.reference()).ok_or(AppError::NotFound)?;
        let record = NewAssessmentRecord { id, framework, assessment: new, team_lead: Some(user.id.clone()) };
        self.store.create_assessment(&record, &user.actor()).await?;
        self.store
            .get_assessment(&record.id)
            .await?
            .ok_or_else(|| AppError::Internal(format!("assessment {} vanished after saving", record.id)))
    }

    /// Moves the assessment to the status named `to`, over the `version` the caller read.
    pub async fn move_status(
        &self,
        user: &User,
        id: &str,
        to: &str,
        version: i64,
    ) -> Result<Assessment, AppError> {
        let current = self.assessment_for(user, id, Action::ChangeStatus).await?.assessment;
        let to = to
            .parse::<AssessmentStatus>()
            .map_err(|_| AppError::field("to", FieldErrorKind::UnknownStatus { value: to.to_string() }))?;
        if current.version != version {
            return Err(stale(&current));
        }
        if !current.status.can_move_to(to) {
            return Err(AppError::field(
                "to",
                FieldErrorKind::TransitionNotAllowed { from: current.status, to },
            ));
        }
        let moved = self.store.change_status(&current, to, version, &user.actor()).await?;
        let now = self.store.get_assessment(id).await?.ok_or(AppError::NotFound)?;
        if !moved {
            return Err(stale(&now));
        }
        Ok(now)
    }

    /// Sets what the assessment covers, over the `version` the caller read.
    pub async fn set_scope(
        &self,
        user: &User,
        id: &str,
        scope: &Scope,
        version: i64,
    ) -> Result<(), AppError> {
        let a = self.assessment_for(user, id, Action::Edit).await?.assessment;
        let loaded = self.framework_of(&a).await?;
        let problems = scope.problems(&loaded.framework);
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        self.over_version(&a, version, self.store.set_scope(&a, scope, version, &user.actor())).await
    }

    /// The assessment's method and timeline, shown to everyone who sees the assessment.
    pub async fn plan(&self, access: &Access) -> Result<Plan, AppError> {
        access.require(Action::View)?;
        Ok(self.store.plan(&access.assessment.id).await?)
    }

    /// Saves the plan over the `version` the caller read. `read_errors` are the problems found
    /// while reading the caller's request (a date that is no date); they are reported with
    /// the plan's own, so a form shows every problem at once.
    pub async fn set_plan(
        &self,
        user: &User,
        id: &str,
        plan: &Plan,
        version: i64,
        mut read_errors: Vec<FieldError>,
    ) -> Result<(), AppError> {
        let a = self.assessment_for(user, id, Action::Edit).await?.assessment;
        let loaded = self.framework_of(&a).await?;
        read_errors.extend(plan.problems(&loaded.framework));
        if !read_errors.is_empty() {
            return Err(AppError::Invalid(read_errors));
        }
        self.over_version(&a, version, self.store.set_plan(&a, plan, version, &user.actor())).await
    }

    /// A write guarded by the assessment's version: refused as stale unless the caller read
    /// the version the store holds and the store's own check agrees.
    pub(crate) async fn over_version(
        &self,
        read: &Assessment,
        version: i64,
        write: impl std::future::Future<Output = Result<bool, bmma_store::StoreError>>,
    ) -> Result<(), AppError> {
        if version == read.version && write.await? {
            return Ok(());
        }
        let now = self.store.get_assessment(&read.id).await?.ok_or(AppError::NotFound)?;
        Err(stale(&now))
    }

    /// The moves of the assessment's status, oldest first.
    pub async fn status_changes(&self, access: &Access) -> Result<Vec<StatusChange>, AppError> {
        Ok(self.store.status_changes(&access.assessment.id).await?)
    }

    /// The assessment's audit trail, oldest first, as written and hashed.
    pub async fn history(&self, access: &Access) -> Result<Vec<AuditEntry>, AppError> {
        access.require(Action::ViewHistory)?;
        Ok(self.store.audit_of_assessment(&access.assessment.id).await?)
    }
}
