//! The HTTP layer every feature shares: errors rendered as a page or JSON, the page chrome,
//! form reading, formatting, the guard with sessions and CSRF, the reader's language, and
//! the site's own routes. It imports no feature; what two features share lives here or in
//! the application layer.

pub(crate) mod access;
pub mod auth;
pub(crate) mod error;
pub(crate) mod format;
pub(crate) mod forms;
pub(crate) mod guard;
pub(crate) mod language;
pub(crate) mod page;
pub(crate) mod site;
