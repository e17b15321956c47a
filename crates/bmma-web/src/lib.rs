//! The bmma HTTP server: HTML pages, the JSON API under /api/v1, messages and static assets.
//!
//! The only crate that knows HTTP. It holds no state of its own beyond what it can rebuild
//! from the database (the parsed frameworks), so several servers can share one database.

mod features;
mod http;
mod state;

pub use bmma_i18n as i18n;
pub use http::auth;
pub use state::{AppState, Cidr, Settings};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware;
use axum::routing::{MethodRouter, get, post, put};
use tokio::net::TcpListener;

pub use i18n::{I18n, Tr};

use features::{account, assessments, evidence, fieldwork, frameworks, people, plan, scoring};
use http::site;

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
        .get("/frameworks", frameworks::list_api)
        .get("/frameworks/{id}", frameworks::newest_api)
        .get("/frameworks/{id}/{version}", frameworks::version_api)
        .get("/assessments", assessments::api::list)
        .post("/assessments", assessments::api::open)
        .get("/assessments/{id}", assessments::api::one)
        .post("/assessments/{id}/status", assessments::lifecycle::move_from_api)
        .get("/assessments/{id}/scores", scoring::scores_api)
        .get("/assessments/{id}/fieldwork", fieldwork::fieldwork_api)
        .get("/assessments/{id}/evidence", evidence::register_api)
        .post_upload("/assessments/{id}/evidence", evidence::file_from_api, upload_limit)
        .put("/assessments/{id}/evidence/{item}", evidence::edit_from_api)
        .get("/assessments/{id}/evidence/{item}/file", evidence::file)
        .put("/assessments/{id}/indicators/{code}/rating", scoring::rating_api)
        .put("/assessments/{id}/indicators/{code}/agreed", scoring::agreed_api);
    let api = Routes { router: api.router.fallback(site::not_found), ..api };
    Routes::new("")
        .get("/", site::home)
        .get("/login", account::login_form)
        .post("/login", account::login)
        .post("/logout", account::logout)
        .get("/account", account::account)
        .post("/account/password", account::change_password)
        .post("/account/tokens", account::create_token)
        .post("/account/tokens/{id}/revoke", account::revoke_token)
        .get("/users", people::users::users)
        .post("/users", people::users::create_user)
        .get("/frameworks", frameworks::frameworks)
        .get("/frameworks/{id}/{version}", frameworks::framework)
        .get("/assessments", assessments::assessments)
        .post("/assessments", assessments::create_assessment)
        .get("/assessments/new", assessments::new_assessment)
        .get("/assessments/{id}", assessments::assessment)
        .get("/assessments/{id}/members", people::members)
        .post("/assessments/{id}/members", people::set_member)
        .post("/assessments/{id}/members/{user_id}/remove", people::remove_member)
        .post("/assessments/{id}/invitations/withdraw", people::withdraw_invitation)
        .post("/assessments/{id}/invitations/answer", people::answer_invitation)
        .post("/assessments/{id}/sharing", people::set_sharing)
        .post("/assessments/{id}/status", assessments::lifecycle::move_from_page)
        .get("/assessments/{id}/scope", assessments::scope)
        .post("/assessments/{id}/scope", assessments::save_scope)
        .get("/assessments/{id}/plan", plan::plan)
        .post("/assessments/{id}/plan", plan::save_plan)
        .get("/assessments/{id}/fieldwork", fieldwork::fieldwork)
        .post("/assessments/{id}/sites", fieldwork::add_site)
        .post("/assessments/{id}/visits", fieldwork::add_visit)
        .get("/assessments/{id}/evidence", evidence::register)
        .post_upload("/assessments/{id}/evidence", evidence::file_from_form, upload_limit)
        .get("/assessments/{id}/evidence/{item}", evidence::item)
        .post("/assessments/{id}/evidence/{item}", evidence::edit_from_form)
        .get("/assessments/{id}/evidence/{item}/file", evidence::file)
        .get("/assessments/{id}/scores", scoring::pages::scores)
        .get("/assessments/{id}/assignments", scoring::assignments::assignments)
        .post("/assessments/{id}/assignments", scoring::assignments::save_assignments)
        .get("/assessments/{id}/indicators/{code}", scoring::pages::indicator)
        .post("/assessments/{id}/indicators/{code}/rating", scoring::pages::rating_form)
        .post("/assessments/{id}/indicators/{code}/agreed", scoring::pages::agreed_form)
        .get("/assessments/{id}/history", assessments::history::history)
        .get("/health", site::health)
        .get("/static/bmma.css", site::stylesheet)
        .get("/static/favicon.svg", site::favicon)
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
        .fallback(site::not_found)
        // Inside the guard, so that an error page keeps the signed-in caller's menu.
        .layer(middleware::from_fn_with_state(state.clone(), http::error::render_errors))
        .layer(middleware::from_fn_with_state(state.clone(), http::guard::guard))
        .layer(middleware::from_fn(http::language::common_headers))
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
