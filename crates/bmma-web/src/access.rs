//! The one place that decides what a signed-in person may do with an assessment. Handlers
//! ask `assessment_for`; the rules themselves are the table in `bmma_core::access`.

use bmma_core::{Action, Assessment, Role, permits};

use crate::AppState;
use crate::auth::Auth;
use crate::error::WebError;

/// An assessment together with what the caller may do with it.
pub(crate) struct Access {
    pub assessment: Assessment,
    pub role: Option<Role>,
    pub admin: bool,
}

impl Access {
    pub fn can(&self, action: Action) -> bool {
        self.admin || permits(self.role, action, self.assessment.sharing)
    }
}

/// Loads the assessment `id` for `auth` and checks `action`. Someone who may not even see
/// the assessment is told it does not exist, so ids cannot be probed; someone who may see
/// it but not do `action` is told so.
pub(crate) async fn assessment_for(
    state: &AppState,
    auth: &Auth,
    id: &str,
    action: Action,
) -> Result<Access, WebError> {
    let assessment = state.store.get_assessment(id).await?.ok_or(WebError::NotFound)?;
    let role = state.store.role_in(id, &auth.user.id).await?;
    let access = Access { assessment, role, admin: auth.user.is_admin };
    if !access.can(Action::View) {
        return Err(WebError::NotFound);
    }
    if !access.can(action) {
        return Err(WebError::Forbidden("error-forbidden"));
    }
    Ok(access)
}

/// The assessments `auth` may see, newest first, each with what they may do with it.
pub(crate) async fn visible_assessments(state: &AppState, auth: &Auth) -> Result<Vec<Access>, WebError> {
    if auth.user.is_admin {
        let all = state.store.list_assessments().await?;
        return Ok(all
            .into_iter()
            .map(|assessment| Access { assessment, role: None, admin: true })
            .collect());
    }
    let mine = state.store.list_assessments_of(&auth.user.id).await?;
    Ok(mine
        .into_iter()
        .map(|(assessment, role)| Access { assessment, role: Some(role), admin: false })
        .filter(|access| access.can(Action::View))
        .collect())
}
