//! The people around an assessment: members and their roles, what is shared, the history
//! of changes; and, for administrators, the accounts.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bmma_core::{Action, Assessment, Role, Sharing, TITLE_MAX_CHARS, text_problem};
use bmma_store::{Invitation, Member, NewUser, StoreError};
use serde::Deserialize;

use crate::AppState;
use crate::access::assessment_for;
use crate::auth::Auth;
use crate::error::WebError;
use crate::history;
use crate::i18n::Tr;
use crate::pages::{Me, date, render};
use crate::scoring::board;

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
    let members = state.store.members(id).await?;
    let invitations = state.store.invitations(id).await?;
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
    let result = async {
        assessment_for(&state, &auth, &id, Action::ManageMembers).await?;
        let again = |key: &str| Some(t.get(key));
        let Ok(role) = form.role.parse::<Role>() else {
            return members_page(&state, &t, &auth, &id, form.email.clone(), again("error-unknown-role"))
                .await;
        };
        if !bmma_app::accounts::looks_like_email(&form.email) {
            return members_page(&state, &t, &auth, &id, form.email.clone(), again("error-email")).await;
        }
        let members = state.store.members(&id).await?;
        let email = bmma_store::normalise_email(&form.email);
        let member = members.iter().find(|m| m.email == email);
        // Only an administrator, who sees every account anyway, adds an account directly. Anyone
        // else invites, with the same answer whether or not the address has an account, so that
        // adding people tells nothing about who has one.
        let user = match member {
            Some(m) => state.store.user_by_id(&m.user_id).await?,
            None if auth.user.is_admin => match state.store.user_by_email(&email).await? {
                Some((user, _)) => Some(user),
                None => {
                    return members_page(
                        &state,
                        &t,
                        &auth,
                        &id,
                        form.email.clone(),
                        again("error-no-such-account"),
                    )
                    .await;
                }
            },
            None => None,
        };
        let stale = || async {
            members_page(&state, &t, &auth, &id, form.email.clone(), again("error-stale-members")).await
        };
        let Some(user) = user else {
            return match state.store.invite(&id, &email, role, Some(form.version), &auth.user.actor()).await {
                Err(StoreError::Conflict) => stale().await.map(conflict),
                Err(e) => Err(e.into()),
                Ok(()) => Ok(Redirect::to(&format!("/assessments/{id}/members")).into_response()),
            };
        };
        if role != Role::TeamLead && is_last_lead(&members, &user.id) {
            return members_page(&state, &t, &auth, &id, form.email.clone(), again("error-last-team-lead"))
                .await;
        }
        match state.store.set_member(&id, &user, role, Some(form.version), &auth.user.actor()).await {
            Err(StoreError::Conflict) => {
                if team_version(&state, &id).await? != form.version {
                    return stale().await.map(conflict);
                }
                // Another lead stepped down at the same moment: the store's own check refused.
                members_page(&state, &t, &auth, &id, form.email.clone(), again("error-last-team-lead")).await
            }
            Err(e) => Err(e.into()),
            Ok(()) => Ok(Redirect::to(&format!("/assessments/{id}/members")).into_response()),
        }
    }
    .await;
    result.unwrap_or_else(|e| e.html_for(&t, &auth))
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

async fn team_version(state: &AppState, id: &str) -> Result<i64, WebError> {
    Ok(state.store.get_assessment(id).await?.ok_or(WebError::NotFound)?.members_version)
}

/// `POST /assessments/{id}/invitations/withdraw`: the team lead ends a pending invitation.
pub async fn withdraw_invitation(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
    Form(form): Form<InvitationForm>,
) -> Response {
    let result = async {
        assessment_for(&state, &auth, &id, Action::ManageMembers).await?;
        if !state.store.end_invitation(&id, &form.email, Some(form.version), &auth.user.actor()).await? {
            if team_version(&state, &id).await? != form.version {
                let stale = Some(t.get("error-stale-members"));
                return members_page(&state, &t, &auth, &id, String::new(), stale).await.map(conflict);
            }
            return Err(WebError::NotFound);
        }
        Ok(Redirect::to(&format!("/assessments/{id}/members")).into_response())
    }
    .await;
    result.unwrap_or_else(|e| e.html_for(&t, &auth))
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
        let answered = match form.answer.as_str() {
            "accept" => state.store.accept_invitation(&id, &auth.user).await?,
            "decline" => state.store.end_invitation(&id, &auth.user.email, None, &auth.user.actor()).await?,
            other => {
                let message = format!("answer: expected accept or decline, not {other:?}");
                return Err(WebError::Unreadable(StatusCode::UNPROCESSABLE_ENTITY, message));
            }
        };
        if !answered {
            return Err(WebError::NotFound);
        }
        let to =
            if form.answer == "accept" { format!("/assessments/{id}") } else { "/assessments".to_string() };
        Ok(Redirect::to(&to).into_response())
    }
    .await;
    result.unwrap_or_else(|e| e.html_for(&t, &auth))
}

/// An assessment always keeps a team lead: someone must be able to manage it.
fn is_last_lead(members: &[Member], user_id: &str) -> bool {
    let leads: Vec<&Member> = members.iter().filter(|m| m.role == Role::TeamLead).collect();
    leads.len() == 1 && leads[0].user_id == user_id
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
    let result = async {
        assessment_for(&state, &auth, &id, Action::ManageMembers).await?;
        let members = state.store.members(&id).await?;
        let member = members.iter().find(|m| m.user_id == user_id).ok_or(WebError::NotFound)?;
        if is_last_lead(&members, &user_id) {
            return members_page(&state, &t, &auth, &id, String::new(), Some(t.get("error-last-team-lead")))
                .await;
        }
        if !state.store.remove_member(&id, member, Some(form.version), &auth.user.actor()).await? {
            if team_version(&state, &id).await? != form.version {
                let stale = Some(t.get("error-stale-members"));
                return members_page(&state, &t, &auth, &id, String::new(), stale).await.map(conflict);
            }
            // Another lead left at the same moment, and the store's own check refused this one.
            let members = state.store.members(&id).await?;
            if is_last_lead(&members, &user_id) {
                return members_page(
                    &state,
                    &t,
                    &auth,
                    &id,
                    String::new(),
                    Some(t.get("error-last-team-lead")),
                )
                .await;
            }
        }
        Ok(Redirect::to(&format!("/assessments/{id}/members")).into_response())
    }
    .await;
    result.unwrap_or_else(|e| e.html_for(&t, &auth))
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
        let access = assessment_for(&state, &auth, &id, Action::Share).await?;
        let sharing = Sharing {
            with_donors: form.with_donors.is_some(),
            for_validation: form.for_validation.is_some(),
        };
        // The store refuses a write over a version other than the one read; the form must
        // also have been read at that version.
        let current = access.assessment;
        if current.version != form.version
            || !state.store.set_sharing(&current, sharing, &auth.user.actor()).await?
        {
            let now = state.store.get_assessment(&id).await?.ok_or(WebError::NotFound)?;
            return Err(crate::lifecycle::stale(&now));
        }
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
        let data = state.scores.get(&state.store, &access.assessment).await?;
        let board = board(&data, &access, &auth.user, &loaded.framework);
        let hidden = board.hidden_ratings();
        let sites = state
            .store
            .sites(&access.assessment.country)
            .await?
            .into_iter()
            .map(|s| (s.id, s.site.name))
            .collect();
        let words = history::Context { t: &t, framework: &loaded.framework, sites };
        let entries = state
            .store
            .audit_of_assessment(&id)
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
    if !auth.user.is_admin {
        return Err(WebError::Forbidden("error-admin-only"));
    }
    let users = state
        .store
        .list_users()
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
        if !auth.user.is_admin {
            return Err(WebError::Forbidden("error-admin-only"));
        }
        let mut errors = Vec::new();
        if !bmma_app::accounts::looks_like_email(&form.email) {
            errors.push(("email", t.get("error-email")));
        }
        if let Some(error) = text_problem("name", &form.name, true, TITLE_MAX_CHARS) {
            errors.push(("name", t.field_error(&error)));
        }
        if let Err(key) = bmma_app::accounts::check_password_policy(&form.password) {
            errors.push(("password", t.count(key, bmma_app::accounts::PASSWORD_MIN_CHARS)));
        }
        if !errors.is_empty() {
            return users_page(&state, &t, &auth, form, errors, None).await;
        }
        let password = form.password.clone();
        let password_hash = tokio::task::spawn_blocking(move || bmma_app::accounts::hash_password(&password))
            .await
            .map_err(|e| WebError::Internal(e.to_string()))?
            .map_err(WebError::Internal)?;
        let new = NewUser {
            id: bmma_app::new_id(),
            email: form.email.clone(),
            name: form.name.clone(),
            password_hash,
            is_admin: form.admin.is_some(),
        };
        match state.store.create_user(&new, &auth.user.actor()).await {
            Ok(user) => {
                let notice = t.with("users-added", &[("email", &user.email)]);
                users_page(&state, &t, &auth, NewUserForm::default(), Vec::new(), Some(notice)).await
            }
            Err(StoreError::Duplicate(_)) => {
                let errors = vec![("email", t.get("error-account-exists"))];
                users_page(&state, &t, &auth, form, errors, None).await
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    result.unwrap_or_else(|e| e.html_for(&t, &auth))
}
