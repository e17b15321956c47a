//! Web tests: the real router on a real database (SQLite, or PostgreSQL when
//! BMMA_TEST_DATABASE_URL names one), in process; one test through a real socket; and
//! browser tests in headless Chromium.

mod access;
mod api;
mod browser;
mod evidence;
mod fieldwork;
mod layers;
mod lifecycle;
mod messages;
mod pages;
mod plan;
mod scoring;
mod server;
mod sign_in;
mod text_reading;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use bmma_store::Store;
use bmma_store::testing::{self, TestDatabase};
use bmma_web::AppState;
use http_body_util::BodyExt;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    /// The database under the server, for tests that set up or inspect records directly.
    pub store: Store,
    pub db: TestDatabase,
    /// An administrator, signed in; the default caller of `get`, `post_form` and `post_json`.
    pub admin: Caller,
}

/// How a test client proves who it is: a browser session (cookie and CSRF token) and an API token.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user: bmma_store::User,
    pub cookie: String,
    pub csrf: String,
    pub bearer: String,
}

/// The password of every account the tests make.
pub const PASSWORD: &str = "correct horse battery staple";

/// A password hash made once: argon2 is slow on purpose.
fn password_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| bmma_app::accounts::hash_password(PASSWORD).unwrap()).clone()
}

/// A fresh database with the built-in frameworks installed, behind the real router.
pub async fn app() -> TestApp {
    app_with(bmma_web::Settings::default()).await
}

/// How the tests read uploads: with the bmma executable, which `cargo test --workspace`
/// builds beside this test binary, in processes limited as in production but quicker to
/// give up on a file.
pub fn text_reading() -> bmma_app::TextReading {
    let here = std::env::current_exe().unwrap();
    let program = here.parent().and_then(|deps| deps.parent()).unwrap().join("bmma");
    assert!(
        program.exists(),
        "the web tests read uploads with the bmma executable, missing at {}: build it with `cargo build -p bmma` \
         (`cargo test --workspace` does)",
        program.display()
    );
    bmma_app::TextReading {
        program,
        memory_mb: 512,
        cpu_seconds: 5,
        timeout: std::time::Duration::from_secs(15),
        ..bmma_app::TextReading::default()
    }
}

/// The default settings, with uploads read as the tests read them.
pub fn settings() -> bmma_web::Settings {
    bmma_web::Settings { text_reading: text_reading(), ..bmma_web::Settings::default() }
}

pub async fn app_with(mut settings: bmma_web::Settings) -> TestApp {
    settings.text_reading = text_reading();
    let db = testing::fresh().await;
    bmma_app::install_builtin(&db.store).await.unwrap();
    let state = state_over(&db.store, settings).await;
    let admin = caller(&db.store, "admin@example.org", true).await;
    TestApp { router: bmma_web::router(state.clone()), state, store: db.store.clone(), db, admin }
}

/// A server's state over `store`, as `bmma serve` makes it.
pub async fn state_over(store: &Store, settings: bmma_web::Settings) -> AppState {
    let app = bmma_app::App::open(store.clone()).await.unwrap();
    AppState::new(app, settings).unwrap()
}

/// Creates an account and signs it in, with a session and an API token.
pub async fn caller(store: &Store, email: &str, is_admin: bool) -> Caller {
    let new = bmma_store::NewUser {
        id: bmma_app::new_id(),
        email: email.into(),
        name: format!("Name of {email}"),
        password_hash: password_hash(),
        is_admin,
    };
    let user = store.create_user(&new, &bmma_store::Actor::system("test")).await.unwrap();
    let secret = bmma_app::accounts::new_secret();
    let csrf = bmma_app::accounts::new_secret();
    let expires = time::OffsetDateTime::now_utc() + bmma_app::accounts::SESSION_LIFETIME;
    store.create_session(&bmma_app::accounts::secret_hash(&secret), &user.id, &csrf, expires).await.unwrap();
    let app = bmma_app::App::open(store.clone()).await.unwrap();
    let bearer = app.issue_token(&user, "tests").await.unwrap();
    Caller { user, cookie: format!("{}={secret}", bmma_web::auth::SESSION_COOKIE), csrf, bearer }
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: header::HeaderName) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

impl TestApp {
    /// Waits until the words of every upload of `assessment` have been read or given up on.
    pub async fn wait_for_texts(&self, assessment: &str) -> Vec<bmma_store::EvidenceItem> {
        let started = std::time::Instant::now();
        loop {
            let items = self.store.evidence(assessment).await.unwrap();
            let waiting = items.iter().any(|i| {
                i.file.as_ref().is_some_and(|f| f.text_state == bmma_core::evidence::TextState::Waiting)
            });
            if !waiting {
                return items;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(60),
                "uploads still waiting to be read"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    pub async fn user(&self, email: &str) -> Caller {
        caller(&self.store, email, false).await
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.get_as(&self.admin, uri).await
    }

    /// A page or API read in `caller`'s browser session.
    pub async fn get_as(&self, caller: &Caller, uri: &str) -> Reply {
        self.send(Request::get(uri).header(header::COOKIE, &caller.cookie).body(Body::empty()).unwrap()).await
    }

    pub async fn post_json(&self, uri: &str, body: &str) -> Reply {
        self.post_json_as(&self.admin, uri, body).await
    }

    /// An API call with `caller`'s token.
    pub async fn post_json_as(&self, caller: &Caller, uri: &str, body: &str) -> Reply {
        self.json_as(Method::POST, caller, uri, body).await
    }

    pub async fn put_json_as(&self, caller: &Caller, uri: &str, body: &str) -> Reply {
        self.json_as(Method::PUT, caller, uri, body).await
    }

    async fn json_as(&self, method: Method, caller: &Caller, uri: &str, body: &str) -> Reply {
        self.send(
            Request::builder()
                .method(method)
                .uri(uri)
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, format!("Bearer {}", caller.bearer))
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    pub async fn post_form(&self, uri: &str, pairs: &[(&str, &str)]) -> Reply {
        self.post_form_as(&self.admin, uri, pairs).await
    }

    /// `lead` adds `email` as `role` on the members page; a team lead who is not an
    /// administrator invites, so the person then accepts, as they would from their start page.
    pub async fn add_member(&self, lead: &Caller, id: &str, email: &str, role: &str) -> Reply {
        let reply = self
            .post_form_as(lead, &format!("/assessments/{id}/members"), &[("email", email), ("role", role)])
            .await;
        let store = &self.store;
        let invited = store.invitations(id).await.unwrap().iter().any(|i| i.email == email);
        if let (true, Some((user, _))) = (invited, store.user_by_email(email).await.unwrap()) {
            assert!(store.accept_invitation(id, &user).await.unwrap(), "{email} accepts");
        }
        reply
    }

    /// A form sent from `caller`'s browser session, with its CSRF token. Forms whose page
    /// carries a version (sharing, the team, the assignments) get the version current now,
    /// as a page just opened would; a test of a stale form sends its own `version`.
    pub async fn post_form_as(&self, caller: &Caller, uri: &str, pairs: &[(&str, &str)]) -> Reply {
        let mut with_csrf = vec![("csrf", caller.csrf.as_str())];
        with_csrf.extend_from_slice(pairs);
        let version = match pairs.iter().any(|(name, _)| *name == "version") {
            true => None,
            false => self.version_shown(uri).await,
        };
        if let Some(version) = &version {
            with_csrf.push(("version", version.as_str()));
        }
        self.post_form_raw(Some(&caller.cookie), uri, &with_csrf).await
    }

    /// The version the page holding the form at `uri` shows, for forms that carry one.
    async fn version_shown(&self, uri: &str) -> Option<String> {
        let parts: Vec<&str> = uri.split('/').collect();
        let ["", "assessments", id, rest @ ..] = parts.as_slice() else { return None };
        let assessment = self.store.get_assessment(id).await.ok()??;
        let version = match rest {
            ["sharing"] => assessment.version,
            ["members"] | ["members", _, "remove"] | ["invitations", "withdraw"] => {
                assessment.members_version
            }
            ["assignments"] => assessment.assignments_version,
            _ => return None,
        };
        Some(version.to_string())
    }

    /// A multipart form (text fields and at most one file, as `file`) sent from `caller`'s
    /// browser session with its CSRF token, or with `caller`'s API token when `api`.
    pub async fn upload_as(
        &self,
        caller: &Caller,
        uri: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &[u8])>,
        api: bool,
    ) -> Reply {
        const BOUNDARY: &str = "bmma-test-boundary-7d1f";
        let mut body = Vec::new();
        let mut fields = fields.to_vec();
        if !api {
            fields.insert(0, ("csrf", caller.csrf.as_str()));
        }
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        if let Some((file_name, bytes)) = file {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"));
        request = if api {
            request.header(header::AUTHORIZATION, format!("Bearer {}", caller.bearer))
        } else {
            request.header(header::COOKIE, &caller.cookie)
        };
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    /// A form exactly as given: no CSRF token is added.
    pub async fn post_form_raw(&self, cookie: Option<&str>, uri: &str, pairs: &[(&str, &str)]) -> Reply {
        let body =
            pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }
}

/// Percent-encodes a form value.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
