//! The people around an assessment: members and their roles, what is shared, the history
//! of changes; and, for administrators, the accounts.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bmma_app::AppError;
use bmma_app::accounts::NewAccount;
use bmma_app::records::{Invitation, Member};
use bmma_app::scores::board;
use bmma_core::{Action, Assessment, Role, Sharing};
use serde::Deserialize;

use crate::AppState;
use crate::access::assessment_for;
use crate::auth::Auth;
use crate::error::WebError;
use crate::history;
use crate::i18n::Tr;
use crate::pages::{Me, date, render};

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    t: Tr,
    nav: &'static str,
    me: Option<Me>,
    a: Assessment,
    members: Vec<Member>,
    invitations: Vec<Invitation>,
    can_manage: bool,
    csrf: String,
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
        nav: "assessments",
        me: Some(Me::of(auth)),
        can_manage: access.can(Action::ManageMembers),
        a: access.assessment,
        members,
        invitations,
        csrf: auth.csrf().to_string(),
        roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
        email,
        error,
    };
    let mut response = render(&page)?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn members(State(state): State<AppState>, t: Tr, auth: Auth, Path(id): Path<String>) -> Response {
    members_page(&state, &t, &auth, &id, String::new(), None).await.unwrap_or_else(|e| e.html_for(&t, &auth))
}

#[derive(Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    /// The team's `members_version` as the page showed it; 0 when missing, which is stale.
    #[serde(default)]
    version: i64,
}

pub async fn set_member(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
    Form(form): Form<MemberForm>,
) -> Response {
    let added = state.app.add_member(&auth.user, &id, &form.email, &form.role, form.version).await;
    team_answer(&state, &t, &auth, &id, added.map(|_| ()), form.email.clone()).await
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
) -> Response {
    let answer = match result {
        Ok(()) => Ok(Redirect::to(&format!("/assessments/{id}/members")).into_response()),
        Err(AppError::Refused(key)) => members_page(state, t, auth, id, email, Some(t.get(key))).await,
        Err(AppError::Stale { key, .. }) => {
            members_page(state, t, auth, id, email, Some(t.get(key))).await.map(conflict)
        }
        Err(e) => Err(e.into()),
    };
    answer.unwrap_or_else(|e| e.html_for(t, auth))
}

#[derive(Deserialize)]
pub struct InvitationForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    version: i64,
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
    Form(form): Form<InvitationForm>,
) -> Response {
    let withdrawn = state.app.withdraw_invitation(&auth.user, &id, &form.email, form.version).await;
    team_answer(&state, &t, &auth, &id, withdrawn, String::new()).await
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
}

/// `POST /assessments/{id}/invitations/answer`: the person invited accepts or declines. Only
/// an invitation to the caller's own address can be answered; any other looks like none.
pub async fn answer_invitation(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Response {
    let result = async {
        let accept = match form.answer.as_str() {
            "accept" => true,
            "decline" => false,
            other => {
                let message = format!("answer: expected accept or decline, not {other:?}");
                return Err(WebError::Unreadable(StatusCode::UNPROCESSABLE_ENTITY, message));
            }
        };
        state.app.answer_invitation(&auth.user, &id, accept).await?;
        let to =
            if form.answer == "accept" { format!("/assessments/{id}") } else { "/assessments".to_string() };
        Ok(Redirect::to(&to).into_response())
    }
    .await;
    result.unwrap_or_else(|e| e.html_for(&t, &auth))
}

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    version: i64,
}

pub async fn remove_member(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path((id, user_id)): Path<(String, String)>,
    Form(form): Form<RemoveForm>,
) -> Response {
    let removed = state.app.remove_member(&auth.user, &id, &user_id, form.version).await;
    team_answer(&state, &t, &auth, &id, removed, String::new()).await
}

#[derive(Deserialize)]
pub struct SharingForm {
    #[serde(default)]
    with_donors: Option<String>,
    #[serde(default)]
    for_validation: Option<String>,
    /// The assessment's version as the page showed it; 0 when missing, which is stale.
    #[serde(default)]
    version: i64,
}

pub async fn set_sharing(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
    Form(form): Form<SharingForm>,
) -> Response {
    let result = async {
        let sharing = Sharing {
            with_donors: form.with_donors.is_some(),
            for_validation: form.for_validation.is_some(),
        };
        state.app.set_sharing(&auth.user, &id, sharing, form.version).await?;
        Ok::<_, WebError>(Redirect::to(&format!("/assessments/{id}")).into_response())
    }
    .await;
    result.unwrap_or_else(|e| e.html_for(&t, &auth))
}

struct HistoryRow {
    seq: i64,
    at: String,
    at_short: String,
    who: String,
    what: String,
    /// What the entry is about, and what changed, in words.
    subject: String,
    detail: String,
    /// Another expert's rating the caller may not see yet: only that it happened is shown.
    withheld: bool,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    t: Tr,
    nav: &'static str,
    me: Option<Me>,
    a: Assessment,
    entries: Vec<HistoryRow>,
}

pub async fn history(State(state): State<AppState>, t: Tr, auth: Auth, Path(id): Path<String>) -> Response {
    let result = async {
        let access = assessment_for(&state, &auth, &id, Action::ViewHistory).await?;
        // The trail shows ratings under the scores board's rule: another expert's rating of an
        // indicator stays hidden until the caller has rated it too.
        let loaded = state.framework_of(&access.assessment).await?;
        let data = state.app.score_data(&access).await?;
        let board = board(&data, &access, &auth.user, &loaded.framework);
        let hidden = board.hidden_ratings();
        let sites = state.app.sites(&access).await?.into_iter().map(|s| (s.id, s.site.name)).collect();
        let words = history::Context { t: &t, framework: &loaded.framework, sites };
        let entries = state
            .app
            .history(&access)
            .await?
            .into_iter()
            .map(|e| {
                let (day, iso) = date(e.at);
                let withheld = e.action == "rate"
                    && e.actor_id.as_deref() != Some(auth.user.id.as_str())
                    && e.entity_id.rsplit('/').next().is_some_and(|code| hidden.contains(code));
                let described = words.describe(&e, withheld);
                HistoryRow {
                    seq: e.seq,
                    at_short: format!("{day} {}", iso.get(11..16).unwrap_or("")),
                    at: iso,
                    who: e.actor_email,
                    what: t.get(format!("audit-{}-{}", e.entity, e.action)),
                    subject: described.subject,
                    detail: described.detail,
                    withheld,
                }
            })
            .collect();
        render(&HistoryPage {
            t: t.clone(),
            nav: "assessments",
            me: Some(Me::of(&auth)),
            a: access.assessment,
            entries,
        })
    }
    .await;
    result.unwrap_or_else(|e| e.html_for(&t, &auth))
}

struct UserRow {
    name: String,
    email: String,
    is_admin: bool,
    created: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    t: Tr,
    nav: &'static str,
    me: Option<Me>,
    users: Vec<UserRow>,
    csrf: String,
    min_chars: usize,
    form_email: String,
    form_name: String,
    errors: Vec<(&'static str, String)>,
    notice: Option<String>,
}

impl UsersPage {
    fn error_for(&self, field: &str) -> Option<String> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone())
    }
}

#[derive(Deserialize, Default)]
pub struct NewUserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    admin: Option<String>,
}

async fn users_page(
    state: &AppState,
    t: &Tr,
    auth: &Auth,
    form: NewUserForm,
    errors: Vec<(&'static str, String)>,
    notice: Option<String>,
) -> Result<Response, WebError> {
    let users = state
        .app
        .users(Some(&auth.user))
        .await?
        .into_iter()
        .map(|u| UserRow {
            created: date(u.created_at).0,
            name: u.name,
            email: u.email,
            is_admin: u.is_admin,
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = UsersPage {
        t: t.clone(),
        nav: "users",
        me: Some(Me::of(auth)),
        users,
        csrf: auth.csrf().to_string(),
        min_chars: bmma_app::accounts::PASSWORD_MIN_CHARS,
        form_email: form.email,
        form_name: form.name,
        errors,
        notice,
    };
    let mut response = render(&page)?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn users(State(state): State<AppState>, t: Tr, auth: Auth) -> Response {
    users_page(&state, &t, &auth, NewUserForm::default(), Vec::new(), None)
        .await
        .unwrap_or_else(|e| e.html_for(&t, &auth))
}

pub async fn create_user(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Form(form): Form<NewUserForm>,
) -> Response {
    let result = async {
        let new = NewAccount {
            email: &form.email,
            name: &form.name,
            password: &form.password,
            admin: form.admin.is_some(),
        };
        match state.app.create_user(Some(&auth.user), new).await {
            Ok(user) => {
                let notice = t.with("users-added", &[("email", &user.email)]);
                users_page(&state, &t, &auth, NewUserForm::default(), Vec::new(), Some(notice)).await
            }
            Err(AppError::Invalid(problems)) => {
                let errors = problems.iter().map(|p| (p.field, t.field_error(p))).collect();
                users_page(&state, &t, &auth, form, errors, None).await
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    result.unwrap_or_else(|e| e.html_for(&t, &auth))
}
