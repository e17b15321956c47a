//! The frameworks: their list and each version's components, elements and indicators, as
//! pages and as JSON.

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use bmma_core::framework::Framework;
use bmma_core::{AggregationMethod, FrameworkRef};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::http::auth::Auth;
use crate::http::error::WebError;
use crate::http::page::{Chrome, render};
use crate::i18n::Tr;
use crate::state::AppState;

struct FrameworkRow {
    id: String,
    version: String,
    name: String,
    builtin: bool,
    components: usize,
    indicators: usize,
}

#[derive(Template)]
#[template(path = "frameworks/frameworks.html")]
struct FrameworksPage {
    t: Tr,
    chrome: Chrome,
    frameworks: Vec<FrameworkRow>,
}

pub async fn frameworks(State(state): State<AppState>, t: Tr, auth: Auth) -> Result<Response, WebError> {
    let frameworks = state
        .app
        .frameworks()
        .await?
        .iter()
        .map(|l| FrameworkRow {
            id: l.framework.id.clone(),
            version: l.framework.version.clone(),
            name: l.framework.name.clone(),
            builtin: l.record.builtin,
            components: l.framework.components.len(),
            indicators: l.framework.indicators().count(),
        })
        .collect();
    render(&FrameworksPage { t: t.clone(), chrome: Chrome::of(&auth, "frameworks"), frameworks })
}

#[derive(Template)]
#[template(path = "frameworks/framework.html")]
struct FrameworkPage<'a> {
    t: Tr,
    chrome: Chrome,
    f: &'a Framework,
    selected_topic: String,
    shown: usize,
}

impl FrameworkPage<'_> {
    fn method_key(&self, method: &AggregationMethod) -> String {
        format!("method-{}", method.as_str())
    }

    fn topic_name(&self, id: &str) -> String {
        self.f.topics.iter().find(|t| t.id == id).map_or(id.to_string(), |t| t.name.clone())
    }
}

#[derive(Deserialize)]
pub struct TopicQuery {
    #[serde(default)]
    topic: String,
}

pub async fn framework(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path((id, version)): Path<(String, String)>,
    Query(query): Query<TopicQuery>,
) -> Result<Response, WebError> {
    let loaded = state.app.framework(&FrameworkRef { id, version }).await?.ok_or(WebError::NotFound)?;
    let f = &loaded.framework;
    let shown = f.indicators_with_topic(&query.topic).count();
    render(&FrameworkPage {
        t: t.clone(),
        chrome: Chrome::of(&auth, "frameworks"),
        f,
        selected_topic: query.topic,
        shown,
    })
}

/// One line of the framework list.
#[derive(Serialize)]
struct FrameworkSummary {
    id: String,
    version: String,
    name: String,
    builtin: bool,
    #[serde(with = "time::serde::rfc3339")]
    imported_at: OffsetDateTime,
    components: usize,
    elements: usize,
    indicators: usize,
    url: String,
}

pub async fn list_api(State(state): State<AppState>, _tr: Tr) -> Result<Response, WebError> {
    let summaries: Vec<FrameworkSummary> = state
        .app
        .frameworks()
        .await?
        .iter()
        .map(|loaded| {
            let f = &loaded.framework;
            FrameworkSummary {
                id: f.id.clone(),
                version: f.version.clone(),
                name: f.name.clone(),
                builtin: loaded.record.builtin,
                imported_at: loaded.record.imported_at,
                components: f.components.len(),
                elements: f.elements().count(),
                indicators: f.indicators().count(),
                url: format!("/api/v1/frameworks/{}/{}", f.id, f.version),
            }
        })
        .collect();
    Ok::<_, WebError>(Json(serde_json::json!({ "frameworks": summaries })).into_response())
}

/// The newest version of a framework.
pub async fn newest_api(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, WebError> {
    framework_response(&state, FrameworkRef { id, version: String::new() }).await
}

pub async fn version_api(
    State(state): State<AppState>,
    Path((id, version)): Path<(String, String)>,
) -> Result<Response, WebError> {
    framework_response(&state, FrameworkRef { id, version }).await
}

async fn framework_response(state: &AppState, reference: FrameworkRef) -> Result<Response, WebError> {
    let loaded = state.app.framework(&reference).await?.ok_or(WebError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], loaded.json.clone()).into_response())
}
