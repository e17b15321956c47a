//! The one place that decides what a signed-in person may do with an assessment. Every use
//! case asks `assessment_for`; the rules themselves are the table in `bmma_core::access`.

use bmma_core::access::Holder;
use bmma_core::{Action, Assessment, Role, permits};
use bmma_store::User;

use crate::{App, AppError};

/// An assessment together with what the caller may do with it.
#[derive(Debug, Clone)]
pub struct Access {
    pub assessment: Assessment,
    pub role: Option<Role>,
    pub admin: bool,
}

impl Access {
    pub fn can(&self, action: Action) -> bool {
        let holder = if self.admin { Some(Holder::Administrator) } else { self.role.map(Holder::Member) };
        permits(holder, action, self.assessment.sharing)
    }

    /// Refuses unless the caller may do `action`: the check a use case makes when it is
    /// handed an access read for something else.
    pub fn require(&self, action: Action) -> Result<(), AppError> {
        if self.can(action) { Ok(()) } else { Err(AppError::Forbidden("error-forbidden")) }
    }
}

impl App {
    /// Loads the assessment `id` for `user` and checks `action`. Someone who may not even
    /// see the assessment is told it does not exist, so ids cannot be probed; someone who
    /// may see it but not do `action` is told so.
    pub async fn assessment_for(&self, user: &User, id: &str, action: Action) -> Result<Access, AppError> {
        let (assessment, role) =
            self.store.assessment_and_role(id, &user.id).await?.ok_or(AppError::NotFound)?;
        let access = Access { assessment, role, admin: user.is_admin };
        if !access.can(Action::View) {
            return Err(AppError::NotFound);
        }
        access.require(action)?;
        Ok(access)
    }

    /// The assessments `user` may see, newest first, each with what they may do with it.
    pub async fn visible_assessments(&self, user: &User) -> Result<Vec<Access>, AppError> {
        if user.is_admin {
            let all = self.store.list_assessments().await?;
            return Ok(all
                .into_iter()
                .map(|assessment| Access { assessment, role: None, admin: true })
                .collect());
        }
        let mine = self.store.list_assessments_of(&user.id).await?;
        Ok(mine
            .into_iter()
            .map(|(assessment, role)| Access { assessment, role: Some(role), admin: false })
            .filter(|access| access.can(Action::View))
            .collect())
    }
}
