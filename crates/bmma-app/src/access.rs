//! The one place that decides what a signed-in person may do with an assessment. Every use
//! case asks `assessment_for`; the rules themselves are the table in `bmma_core::access`.

use bmma_core::access::Holder;
use bmma_core::{Action, Assessment, Role, permits};
use bmma_store::{Store, User};

use crate::AppError;

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
}

/// Loads the assessment `id` for `user` and checks `action`. Someone who may not even see
/// the assessment is told it does not exist, so ids cannot be probed; someone who may see
/// it but not do `action` is told so.
pub async fn assessment_for(
    store: &Store,
    user: &User,
    id: &str,
    action: Action,
) -> Result<Access, AppError> {
    let assessment = store.get_assessment(id).await?.ok_or(AppError::NotFound)?;
    let role = store.role_in(id, &user.id).await?;
    let access = Access { assessment, role, admin: user.is_admin };
    if !access.can(Action::View) {
        return Err(AppError::NotFound);
    }
    if !access.can(action) {
        return Err(AppError::Forbidden("error-forbidden"));
    }
    Ok(access)
}

/// The assessments `user` may see, newest first, each with what they may do with it.
pub async fn visible_assessments(store: &Store, user: &User) -> Result<Vec<Access>, AppError> {
    if user.is_admin {
        let all = store.list_assessments().await?;
        return Ok(all
            .into_iter()
            .map(|assessment| Access { assessment, role: None, admin: true })
            .collect());
    }
    let mine = store.list_assessments_of(&user.id).await?;
    Ok(mine
        .into_iter()
        .map(|(assessment, role)| Access { assessment, role: Some(role), admin: false })
        .filter(|access| access.can(Action::View))
        .collect())
}
