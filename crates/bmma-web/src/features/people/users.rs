//! The accounts, for administrators: the list, and opening a new one.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use bmma_app::AppError;
use bmma_app::accounts::NewAccount;

use crate::http::auth::Auth;
use crate::http::error::WebError;
use crate::http::format::date;
use crate::http::forms::{Problems, Typed};
use crate::http::page::{Chrome, render_status};
use crate::i18n::Tr;
use crate::state::AppState;

struct UserRow {
    name: String,
    email: String,
    is_admin: bool,
    created: String,
}

#[derive(Template)]
#[template(path = "people/users.html")]
struct UsersPage {
    t: Tr,
    chrome: Chrome,
    users: Vec<UserRow>,
    min_chars: usize,
    form_email: String,
    form_name: String,
    errors: Problems,
    notice: Option<String>,
}

async fn users_page(
    state: &AppState,
    t: &Tr,
    auth: &Auth,
    form: Typed,
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
        chrome: Chrome::of(auth, "users"),
        users,
        min_chars: bmma_app::accounts::PASSWORD_MIN_CHARS,
        form_email: form.get("email"),
        form_name: form.get("name"),
        errors: errors.into(),
        notice,
    };
    render_status(status, &page)
}

pub async fn users(State(state): State<AppState>, t: Tr, auth: Auth) -> Result<Response, WebError> {
    users_page(&state, &t, &auth, Typed::default(), Vec::new(), None).await
}

pub async fn create_user(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    form: Typed,
) -> Result<Response, WebError> {
    let new = NewAccount {
        email: &form.get("email"),
        name: &form.get("name"),
        password: &form.get("password"),
        admin: form.has("admin"),
    };
    match state.app.create_user(Some(&auth.user), new).await {
        Ok(user) => {
            let notice = t.with("users-added", &[("email", &user.email)]);
            users_page(&state, &t, &auth, Typed::default(), Vec::new(), Some(notice)).await
        }
        Err(AppError::Invalid(problems)) => {
            let errors = problems.iter().map(|p| (p.field, t.field_error(p))).collect();
            users_page(&state, &t, &auth, form, errors, None).await
        }
        Err(e) => Err(e.into()),
    }
}
