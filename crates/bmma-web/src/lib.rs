//! The bmma HTTP server: HTML pages, the JSON API under /api/v1, messages and static assets.
//!
//! The only crate that knows HTTP. It holds no state of its own beyond what it can rebuild
//! from the database (the parsed frameworks), so several servers can share one database.

mod access;
mod account;
mod api;
pub mod auth;
mod error;
mod evidence;
mod fieldwork;
mod history;
pub use bmma_i18n as i18n;
mod lifecycle;
mod pages;
mod people;
mod plan_page;
mod score_pages;
mod scoring;

use std::convert::Infallible;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::{FromRequestParts, Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{MethodRouter, get, post, put};
use serde_json::json;
use tokio::net::TcpListener;

use bmma_app::{App, TextReading};
pub use i18n::{I18n, Tr};

use error::WebError;

/// How this server is deployed.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Mark cookies Secure: set when bmma is reached over HTTPS (directly or through a proxy).
    pub secure_cookies: bool,
    /// The largest file accepted as evidence, in bytes.
    pub max_upload_bytes: u64,
    /// How the words of uploads are read, outside the server.
    pub text_reading: TextReading,
    /// The reverse proxy whose `X-Forwarded-For` names the caller; none by default, and
    /// then the peer's own address counts.
    pub trusted_proxy: Option<Cidr>,
}

/// A block of network addresses, as `ADDRESS/PREFIX` (or one address alone).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: std::net::IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn contains(&self, address: std::net::IpAddr) -> bool {
        use std::net::IpAddr;
        // An IPv4 peer may arrive as an IPv4-mapped IPv6 address.
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
            v4 => v4,
        };
        match (self.network, address) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

impl std::str::FromStr for Cidr {
    type Err = String;

    fn from_str(text: &str) -> Result<Cidr, String> {
        let (address, prefix) = text.split_once('/').map_or((text, None), |(a, p)| (a, Some(p)));
        let network: std::net::IpAddr =
            address.trim().parse().map_err(|_| format!("'{address}' is not an IP address"))?;
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .ok_or_else(|| format!("'{p}' is not a prefix length from 0 to {bits}"))?,
        };
        Ok(Cidr { network, prefix })
    }
}

pub use bmma_app::DEFAULT_MAX_UPLOAD_BYTES;

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            secure_cookies: false,
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            text_reading: TextReading::default(),
            trusted_proxy: None,
        }
    }
}

/// Everything a request handler needs; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The application layer: every use case, over the store and the frameworks.
    pub app: App,
    pub i18n: I18n,
    pub settings: Settings,
}

impl AppState {
    /// The server over `app`, reading the words of uploads as `settings` says.
    pub fn new(app: App, settings: Settings) -> Result<AppState, String> {
        let i18n = I18n::new()?;
        let mut reading = settings.text_reading.clone();
        reading.input_bytes = settings.max_upload_bytes;
        Ok(AppState { app: app.reading_uploads(reading), i18n, settings })
    }

    /// The framework an assessment is scored against.
    pub(crate) async fn framework_of(
        &self,
        assessment: &bmma_core::Assessment,
    ) -> Result<std::sync::Arc<bmma_app::Loaded>, WebError> {
        Ok(self.app.framework_of(assessment).await?)
    }
}

/// The router under construction, recording each route as it is added: axum cannot list
/// its routes, and the guard test must walk every one. Routes are declared only here.
struct Routes {
    prefix: &'static str,
    router: Router<AppState>,
    listed: Vec<(Method, String)>,
}

impl Routes {
    fn new(prefix: &'static str) -> Routes {
        Routes { prefix, router: Router::new(), listed: Vec::new() }
    }

    fn add(mut self, method: Method, path: &'static str, endpoint: MethodRouter<AppState>) -> Routes {
        self.listed.push((method, format!("{}{path}", self.prefix)));
        self.router = self.router.route(path, endpoint);
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Routes {
        self.add(Method::GET, path, get(handler))
    }

    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Routes {
        self.add(Method::POST, path, post(handler))
    }

    fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Routes {
        self.add(Method::PUT, path, put(handler))
    }

    /// A POST that carries an upload, so its body may be as large as the upload limit.
    fn post_upload<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        handler: H,
        limit: DefaultBodyLimit,
    ) -> Routes {
        self.add(Method::POST, path, post(handler).layer(limit))
    }

    fn nest(mut self, other: Routes) -> Routes {
        self.listed.extend(other.listed);
        self.router = self.router.nest(other.prefix, other.router);
        self
    }
}

/// Every route, with the largest body an upload route takes.
fn routes(upload_limit: DefaultBodyLimit) -> Routes {
    let api = Routes::new("/api/v1")
        .get("/frameworks", api::list_frameworks)
        .get("/frameworks/{id}", api::get_framework)
        .get("/frameworks/{id}/{version}", api::get_framework_version)
        .get("/assessments", api::list_assessments)
        .post("/assessments", api::create_assessment)
        .get("/assessments/{id}", api::get_assessment)
        .post("/assessments/{id}/status", lifecycle::move_from_api)
        .get("/assessments/{id}/scores", scoring::scores_api)
        .get("/assessments/{id}/fieldwork", fieldwork::fieldwork_api)
        .get("/assessments/{id}/evidence", evidence::register_api)
        .post_upload("/assessments/{id}/evidence", evidence::file_from_api, upload_limit)
        .put("/assessments/{id}/evidence/{item}", evidence::edit_from_api)
        .get("/assessments/{id}/evidence/{item}/file", evidence::file_api)
        .put("/assessments/{id}/indicators/{code}/rating", scoring::rating_api)
        .put("/assessments/{id}/indicators/{code}/agreed", scoring::agreed_api);
    let api = Routes { router: api.router.fallback(api_not_found), ..api };
    Routes::new("")
        .get("/", pages::home)
        .get("/login", account::login_form)
        .post("/login", account::login)
        .post("/logout", account::logout)
        .get("/account", account::account)
        .post("/account/password", account::change_password)
        .post("/account/tokens", account::create_token)
        .post("/account/tokens/{id}/revoke", account::revoke_token)
        .get("/users", people::users)
        .post("/users", people::create_user)
        .get("/frameworks", pages::frameworks)
        .get("/frameworks/{id}/{version}", pages::framework)
        .get("/assessments", pages::assessments)
        .post("/assessments", pages::create_assessment)
        .get("/assessments/new", pages::new_assessment)
        .get("/assessments/{id}", pages::assessment)
        .get("/assessments/{id}/members", people::members)
        .post("/assessments/{id}/members", people::set_member)
        .post("/assessments/{id}/members/{user_id}/remove", people::remove_member)
        .post("/assessments/{id}/invitations/withdraw", people::withdraw_invitation)
        .post("/assessments/{id}/invitations/answer", people::answer_invitation)
        .post("/assessments/{id}/sharing", people::set_sharing)
        .post("/assessments/{id}/status", lifecycle::move_from_page)
        .get("/assessments/{id}/scope", pages::scope)
        .post("/assessments/{id}/scope", pages::save_scope)
        .get("/assessments/{id}/plan", plan_page::plan)
        .post("/assessments/{id}/plan", plan_page::save_plan)
        .get("/assessments/{id}/fieldwork", fieldwork::fieldwork)
        .post("/assessments/{id}/sites", fieldwork::add_site)
        .post("/assessments/{id}/visits", fieldwork::add_visit)
        .get("/assessments/{id}/evidence", evidence::register)
        .post_upload("/assessments/{id}/evidence", evidence::file_from_form, upload_limit)
        .get("/assessments/{id}/evidence/{item}", evidence::item)
        .post("/assessments/{id}/evidence/{item}", evidence::edit_from_form)
        .get("/assessments/{id}/evidence/{item}/file", evidence::file)
        .get("/assessments/{id}/scores", score_pages::scores)
        .get("/assessments/{id}/assignments", score_pages::assignments)
        .post("/assessments/{id}/assignments", score_pages::save_assignments)
        .get("/assessments/{id}/indicators/{code}", score_pages::indicator)
        .post("/assessments/{id}/indicators/{code}/rating", scoring::rating_form)
        .post("/assessments/{id}/indicators/{code}/agreed", scoring::agreed_form)
        .get("/assessments/{id}/history", people::history)
        .get("/health", health)
        .get("/static/bmma.css", pages::stylesheet)
        .get("/static/favicon.svg", pages::favicon)
        .nest(api)
}

/// Every route of the application, as (method, path), recorded as the router is built: a
/// test walks this list to prove each one refuses an anonymous caller unless it is public.
pub fn route_list() -> Vec<(Method, String)> {
    routes(DefaultBodyLimit::disable()).listed
}

/// The application: every route, behind the guard that identifies the caller.
pub fn router(state: AppState) -> Router {
    let upload_limit = DefaultBodyLimit::max(
        usize::try_from(state.settings.max_upload_bytes)
            .unwrap_or(usize::MAX)
            .saturating_add(evidence::FORM_SLACK),
    );
    routes(upload_limit)
        .router
        .fallback(page_not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth::guard))
        .layer(middleware::from_fn(common_headers))
        .with_state(state)
}

/// Serves until the process is asked to stop (Ctrl-C or SIGTERM).
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    match state.app.resume_reading().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(items = n, "reading the text of uploads left waiting"),
        Err(e) => tracing::error!(error = %e, "cannot list the uploads whose text is waiting to be read"),
    }
    // The peer's address is what the sign-in throttle counts.
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

async fn health(State(state): State<AppState>) -> Response {
    let backend = state.app.backend_name();
    match state.app.ping().await {
        Ok(()) => {
            Json(json!({ "status": "ok", "database": "reachable", "backend": backend })).into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "database": "unreachable", "backend": backend })),
            )
                .into_response()
        }
    }
}

async fn api_not_found(t: Tr) -> Response {
    WebError::NotFound.json(&t)
}

async fn page_not_found(t: Tr, auth: auth::Auth) -> Response {
    WebError::NotFound.html_for(&t, &auth)
}

const LANGUAGE_COOKIE: &str = "bmma_lang";

/// The value of `name` in the query string, if present.
fn query_value<'a>(query: Option<&'a str>, name: &str) -> Option<&'a str> {
    query?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then_some(value)
    })
}

/// The user's language: `?lang=`, then the language cookie, then Accept-Language.
pub(crate) fn language_of(parts: &Parts, state: &AppState) -> Tr {
    let chosen = query_value(parts.uri.query(), "lang")
        .or_else(|| auth::cookie_value(&parts.headers, LANGUAGE_COOKIE));
    let accept = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    state.i18n.translator(state.i18n.negotiate(chosen, accept))
}

impl FromRequestParts<AppState> for Tr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Tr, Infallible> {
        Ok(language_of(parts, state))
    }
}

/// Security headers on every response, and the language cookie when `?lang=` chose one.
async fn common_headers(request: Request, next: Next) -> Response {
    let chosen = query_value(request.uri().query(), "lang")
        .filter(|l| i18n::LANGUAGES.iter().any(|(known, _)| known == l))
        .map(str::to_string);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let Some(lang) = chosen {
        let cookie = format!("{LANGUAGE_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Strict; HttpOnly");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}
