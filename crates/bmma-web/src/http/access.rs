//! What a signed-in person may do with an assessment, asked of the application layer with the
//! caller the guard identified.

use bmma_core::Action;

pub(crate) use bmma_app::access::Access;

use crate::http::auth::Auth;
use crate::http::error::WebError;
use crate::state::AppState;

/// Loads the assessment `id` for `auth` and checks `action` (`bmma_app::access`).
pub(crate) async fn assessment_for(
    state: &AppState,
    auth: &Auth,
    id: &str,
    action: Action,
) -> Result<Access, WebError> {
    Ok(state.app.assessment_for(&auth.user, id, action).await?)
}

/// The assessments `auth` may see, newest first, each with what they may do with it.
pub(crate) async fn visible_assessments(state: &AppState, auth: &Auth) -> Result<Vec<Access>, WebError> {
    Ok(state.app.visible_assessments(&auth.user).await?)
}
