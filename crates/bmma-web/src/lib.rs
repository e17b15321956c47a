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
pub mod i18n;
mod lifecycle;
mod pages;
mod people;
mod plan_page;
mod score_pages;
mod scoring;

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post, put};
use bmma_core::Assessment;
use bmma_store::Store;
use serde_json::json;
use tokio::net::TcpListener;

pub use api::CreateAssessment;
use bmma_app::{Catalog, TextReader, TextReading};
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
    pub store: Store,
    pub catalog: Catalog,
    pub i18n: I18n,
    pub settings: Settings,
    /// Score data of recently read assessments; checked against the database on every use.
    pub scores: scoring::ScoresCache,
    /// Reads the words of uploads in separate processes.
    pub text_reader: TextReader,
    /// Uploads being written to the database; see `UPLOAD_WRITES_AT_ONCE`.
    pub upload_writes: Arc<tokio::sync::Semaphore>,
}

/// Uploads written to the database at once. A database parameter is held whole (and the
/// driver copies it once more), so this bounds the server's memory when many experts upload
/// large files together; the rest wait in their scratch files, on disk.
pub const UPLOAD_WRITES_AT_ONCE: usize = 2;

impl AppState {
    /// Loads the frameworks stored in `store` and the message files.
    pub async fn new(store: Store, settings: Settings) -> Result<AppState, String> {
        let catalog = Catalog::load(&store).await.map_err(|e| e.to_string())?;
        let i18n = I18n::new()?;
        let mut reading = settings.text_reading.clone();
        reading.input_bytes = settings.max_upload_bytes;
        let text_reader = TextReader::start(store.clone(), reading);
        Ok(AppState {
            store,
            catalog,
            i18n,
            settings,
            scores: scoring::ScoresCache::default(),
            text_reader,
            upload_writes: Arc::new(tokio::sync::Semaphore::new(UPLOAD_WRITES_AT_ONCE)),
        })
    }
}

impl AppState {
    /// The application layer over this server's store and frameworks.
    pub(crate) fn app(&self) -> bmma_app::App<'_> {
        bmma_app::App { store: &self.store, catalog: &self.catalog }
    }

    /// The framework an assessment is scored against.
    pub(crate) async fn framework_of(
        &self,
        assessment: &Assessment,
    ) -> Result<std::sync::Arc<bmma_app::Loaded>, WebError> {
        Ok(self.app().framework_of(assessment).await?)
    }
}

/// Every route of the application, as (method, path). The router is built from the same
/// paths; a test walks this list to prove each one refuses an anonymous caller unless it
/// is public, and exists for a signed-in one.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/account"),
    ("POST", "/account/password"),
    ("POST", "/account/tokens"),
    ("POST", "/account/tokens/{id}/revoke"),
    ("GET", "/users"),
    ("POST", "/users"),
    ("GET", "/frameworks"),
    ("GET", "/frameworks/{id}/{version}"),
    ("GET", "/assessments"),
    ("POST", "/assessments"),
    ("GET", "/assessments/new"),
    ("GET", "/assessments/{id}"),
    ("GET", "/assessments/{id}/members"),
    ("POST", "/assessments/{id}/members"),
    ("POST", "/assessments/{id}/members/{user_id}/remove"),
    ("POST", "/assessments/{id}/invitations/withdraw"),
    ("POST", "/assessments/{id}/invitations/answer"),
    ("POST", "/assessments/{id}/sharing"),
    ("POST", "/assessments/{id}/status"),
    ("GET", "/assessments/{id}/fieldwork"),
    ("POST", "/assessments/{id}/sites"),
    ("POST", "/assessments/{id}/visits"),
    ("GET", "/assessments/{id}/evidence"),
    ("POST", "/assessments/{id}/evidence"),
    ("GET", "/assessments/{id}/evidence/{item}"),
    ("POST", "/assessments/{id}/evidence/{item}"),
    ("GET", "/assessments/{id}/evidence/{item}/file"),
    ("GET", "/assessments/{id}/plan"),
    ("POST", "/assessments/{id}/plan"),
    ("GET", "/assessments/{id}/scope"),
    ("POST", "/assessments/{id}/scope"),
    ("GET", "/assessments/{id}/scores"),
    ("GET", "/assessments/{id}/assignments"),
    ("POST", "/assessments/{id}/assignments"),
    ("GET", "/assessments/{id}/indicators/{code}"),
    ("POST", "/assessments/{id}/indicators/{code}/rating"),
    ("POST", "/assessments/{id}/indicators/{code}/agreed"),
    ("GET", "/assessments/{id}/history"),
    ("GET", "/health"),
    ("GET", "/static/bmma.css"),
    ("GET", "/static/favicon.svg"),
    ("GET", "/api/v1/frameworks"),
    ("GET", "/api/v1/frameworks/{id}"),
    ("GET", "/api/v1/frameworks/{id}/{version}"),
    ("GET", "/api/v1/assessments"),
    ("POST", "/api/v1/assessments"),
    ("GET", "/api/v1/assessments/{id}"),
    ("POST", "/api/v1/assessments/{id}/status"),
    ("GET", "/api/v1/assessments/{id}/scores"),
    ("GET", "/api/v1/assessments/{id}/fieldwork"),
    ("GET", "/api/v1/assessments/{id}/evidence"),
    ("POST", "/api/v1/assessments/{id}/evidence"),
    ("PUT", "/api/v1/assessments/{id}/evidence/{item}"),
    ("GET", "/api/v1/assessments/{id}/evidence/{item}/file"),
    ("PUT", "/api/v1/assessments/{id}/indicators/{code}/rating"),
    ("PUT", "/api/v1/assessments/{id}/indicators/{code}/agreed"),
];

/// The application: every route, behind the guard that identifies the caller.
pub fn router(state: AppState) -> Router {
    let upload_limit = axum::extract::DefaultBodyLimit::max(
        usize::try_from(state.settings.max_upload_bytes)
            .unwrap_or(usize::MAX)
            .saturating_add(evidence::FORM_SLACK),
    );
    let api = Router::new()
        .route("/frameworks", get(api::list_frameworks))
        .route("/frameworks/{id}", get(api::get_framework))
        .route("/frameworks/{id}/{version}", get(api::get_framework_version))
        .route("/assessments", get(api::list_assessments).post(api::create_assessment))
        .route("/assessments/{id}", get(api::get_assessment))
        .route("/assessments/{id}/status", post(lifecycle::move_from_api))
        .route("/assessments/{id}/scores", get(scoring::scores_api))
        .route("/assessments/{id}/fieldwork", get(fieldwork::fieldwork_api))
        .route(
            "/assessments/{id}/evidence",
            get(evidence::register_api).post(evidence::file_from_api).layer(upload_limit),
        )
        .route("/assessments/{id}/evidence/{item}", put(evidence::edit_from_api))
        .route("/assessments/{id}/evidence/{item}/file", get(evidence::file_api))
        .route("/assessments/{id}/indicators/{code}/rating", put(scoring::rating_api))
        .route("/assessments/{id}/indicators/{code}/agreed", put(scoring::agreed_api))
        .fallback(api_not_found);
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(account::login_form).post(account::login))
        .route("/logout", post(account::logout))
        .route("/account", get(account::account))
        .route("/account/password", post(account::change_password))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/users", get(people::users).post(people::create_user))
        .route("/frameworks", get(pages::frameworks))
        .route("/frameworks/{id}/{version}", get(pages::framework))
        .route("/assessments", get(pages::assessments).post(pages::create_assessment))
        .route("/assessments/new", get(pages::new_assessment))
        .route("/assessments/{id}", get(pages::assessment))
        .route("/assessments/{id}/members", get(people::members).post(people::set_member))
        .route("/assessments/{id}/members/{user_id}/remove", post(people::remove_member))
        .route("/assessments/{id}/invitations/withdraw", post(people::withdraw_invitation))
        .route("/assessments/{id}/invitations/answer", post(people::answer_invitation))
        .route("/assessments/{id}/sharing", post(people::set_sharing))
        .route("/assessments/{id}/status", post(lifecycle::move_from_page))
        .route("/assessments/{id}/scope", get(pages::scope).post(pages::save_scope))
        .route("/assessments/{id}/plan", get(plan_page::plan).post(plan_page::save_plan))
        .route("/assessments/{id}/fieldwork", get(fieldwork::fieldwork))
        .route("/assessments/{id}/sites", post(fieldwork::add_site))
        .route("/assessments/{id}/visits", post(fieldwork::add_visit))
        .route(
            "/assessments/{id}/evidence",
            get(evidence::register).post(evidence::file_from_form).layer(upload_limit),
        )
        .route("/assessments/{id}/evidence/{item}", get(evidence::item).post(evidence::edit_from_form))
        .route("/assessments/{id}/evidence/{item}/file", get(evidence::file))
        .route("/assessments/{id}/scores", get(score_pages::scores))
        .route(
            "/assessments/{id}/assignments",
            get(score_pages::assignments).post(score_pages::save_assignments),
        )
        .route("/assessments/{id}/indicators/{code}", get(score_pages::indicator))
        .route("/assessments/{id}/indicators/{code}/rating", post(scoring::rating_form))
        .route("/assessments/{id}/indicators/{code}/agreed", post(scoring::agreed_form))
        .route("/assessments/{id}/history", get(people::history))
        .route("/health", get(health))
        .route("/static/bmma.css", get(pages::stylesheet))
        .route("/static/favicon.svg", get(pages::favicon))
        .nest("/api/v1", api)
        .fallback(page_not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth::guard))
        .layer(middleware::from_fn(common_headers))
        .with_state(state)
}

/// Serves until the process is asked to stop (Ctrl-C or SIGTERM).
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    match state.text_reader.resume().await {
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

/// Validates and stores a new assessment, led by the person who opens it; shared by the
/// form and the API.
pub(crate) async fn create_assessment(
    state: &AppState,
    auth: &auth::Auth,
    request: CreateAssessment,
) -> Result<Assessment, WebError> {
    let record = request.validate(state, &auth.user.id).await?;
    state.store.create_assessment(&record, &auth.user.actor()).await?;
    state
        .store
        .get_assessment(&record.id)
        .await?
        .ok_or_else(|| WebError::Internal(format!("assessment {} vanished after saving", record.id)))
}

async fn health(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => {
            Json(json!({ "status": "ok", "database": "reachable", "backend": state.store.backend_name() }))
                .into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "database": "unreachable", "backend": state.store.backend_name() })),
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
