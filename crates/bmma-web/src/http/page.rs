//! What every page has: the chrome around its content (the menu, who is signed in, the
//! token their forms carry) and rendering.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::http::auth::Auth;
use crate::i18n::Tr;

/// A page as HTML; a template that fails to render is a defect, reported as one.
pub(crate) fn render<E: From<askama::Error>>(page: &impl Template) -> Result<Response, E> {
    render_status(StatusCode::OK, page)
}

/// A page as HTML, answered with `status` (a form shown again with its problems is 422).
pub(crate) fn render_status<E: From<askama::Error>>(
    status: StatusCode,
    page: &impl Template,
) -> Result<Response, E> {
    Ok((status, Html(page.render()?)).into_response())
}

/// The signed-in person, as the page header shows them.
pub struct Me {
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    /// The token every form of theirs must carry.
    pub csrf: String,
}

impl Me {
    pub fn of(auth: &Auth) -> Me {
        Me {
            email: auth.user.email.clone(),
            name: auth.user.name.clone(),
            is_admin: auth.user.is_admin,
            csrf: auth.csrf().to_string(),
        }
    }
}

/// The chrome of a page: which menu entry is current and who is signed in. Every page
/// struct has one, and `base.html` draws it.
pub struct Chrome {
    pub nav: &'static str,
    pub me: Option<Me>,
}

impl Chrome {
    /// The chrome for `auth`'s pages, with `nav` the current menu entry.
    pub fn of(auth: &Auth, nav: &'static str) -> Chrome {
        Chrome { nav, me: Some(Me::of(auth)) }
    }

    /// The chrome of a page for someone not signed in.
    pub fn anonymous() -> Chrome {
        Chrome { nav: "", me: None }
    }

    /// The token the page's forms carry; empty for someone not signed in.
    pub fn csrf(&self) -> &str {
        self.me.as_ref().map_or("", |me| me.csrf.as_str())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub status: u16,
    pub message: String,
}
