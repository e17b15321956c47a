//! The people around an assessment: members and their roles, what is shared, the history
//! of changes; and, for administrators, the accounts.

pub(crate) mod users;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bmma_app::AppError;
use bmma_app::records::{Invitation, Member};
use bmma_core::{Action, Assessment, Role, Sharing};

use crate::http::access::assessment_for;
use crate::http::auth::Auth;
use crate::http::error::WebError;
use crate::http::forms::Typed;
use crate::http::page::{Chrome, render_status};
use crate::i18n::Tr;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "people/members.html")]
struct MembersPage {
    t: Tr,
    chrome: Chrome,
    a: Assessment,
    members: Vec<Member>,
    invitations: Vec<Invitation>,
    can_manage: bool,
    roles: Vec<&'static str>,
    email: String,
    error: Option<String>,
}

impl MembersPage {
    fn role_key(&self, role: impl std::fmt::Display) -> String {
        format!("role-{role}")
    }
}

async fn members_page(
    state: &AppState,
    t: &Tr,
    auth: &Auth,
    id: &str,
    email: String,
    error: Option<String>,
) -> Result<Response, WebError> {
    let access = assessment_for(state, auth, id, Action::ViewDrafts).await?;
    let members = state.app.members(&access).await?;
    let invitations = state.app.invitations(&access).await?;
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = MembersPage {
        t: t.clone(),
        chrome: Chrome::of(auth, "assessments"),
        can_manage: access.can(Action::ManageMembers),
        a: access.assessment,
        members,
        invitations,
        roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
        email,
        error,
    };
    render_status(status, &page)
}

pub async fn members(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    members_page(&state, &t, &auth, &id, String::new(), None).await
}

pub async fn set_member(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
    form: Typed,
) -> Result<Response, WebError> {
    let added =
        state.app.add_member(&auth.user, &id, &form.get("email"), &form.get("role"), form.version()).await;
    team_answer(&state, &t, &auth, &id, added.map(|_| ()), form.get("email")).await
}

/// The answer to a change of the team: back to the team page, or the page again with the
/// reason the change was refused (as 409 when the team changed since it was read).
async fn team_answer(
    state: &AppState,
    t: &Tr,
    auth: &Auth,
    id: &str,
    result: Result<(), AppError>,
    email: String,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/assessments/{id}/members")).into_response()),
        Err(AppError::Refused(key)) => members_page(state, t, auth, id, email, Some(t.get(key))).await,
        Err(AppError::Stale { key, .. }) => {
            members_page(state, t, auth, id, email, Some(t.get(key))).await.map(conflict)
        }
        Err(e) => Err(e.into()),
    }
}

/// A team form's answer when the team changed after the page was read: the page as it is
/// now, with the reason, as 409.
fn conflict(mut response: Response) -> Response {
    *response.status_mut() = StatusCode::CONFLICT;
    response
}

/// `POST /assessments/{id}/invitations/withdraw`: the team lead ends a pending invitation.
pub async fn withdraw_invitation(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
    form: Typed,
) -> Result<Response, WebError> {
    let withdrawn = state.app.withdraw_invitation(&auth.user, &id, &form.get("email"), form.version()).await;
    team_answer(&state, &t, &auth, &id, withdrawn, String::new()).await
}

/// `POST /assessments/{id}/invitations/answer`: the person invited accepts or declines. Only
/// an invitation to the caller's own address can be answered; any other looks like none.
pub async fn answer_invitation(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    form: Typed,
) -> Result<Response, WebError> {
    let answer = form.get("answer");
    let accept = match answer.as_str() {
        "accept" => true,
        "decline" => false,
        other => {
            let message = format!("answer: expected accept or decline, not {other:?}");
            return Err(WebError::Unreadable(StatusCode::UNPROCESSABLE_ENTITY, message));
        }
    };
    state.app.answer_invitation(&auth.user, &id, accept).await?;
    let to = if accept { format!("/assessments/{id}") } else { "/assessments".to_string() };
    Ok(Redirect::to(&to).into_response())
}

pub async fn remove_member(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path((id, user_id)): Path<(String, String)>,
    form: Typed,
) -> Result<Response, WebError> {
    let removed = state.app.remove_member(&auth.user, &id, &user_id, form.version()).await;
    team_answer(&state, &t, &auth, &id, removed, String::new()).await
}

pub async fn set_sharing(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    form: Typed,
) -> Result<Response, WebError> {
    let sharing =
        Sharing { with_donors: form.has("with_donors"), for_validation: form.has("for_validation") };
    state.app.set_sharing(&auth.user, &id, sharing, form.version()).await?;
    Ok::<_, WebError>(Redirect::to(&format!("/assessments/{id}")).into_response())
}
