//! The evidence register: filing documents (uploads), interview notes, observations and
//! visit records against indicators; full-text search; downloads; edits that never
//! overwrite someone else's.

use askama::Template;
use axum::Json;
use axum::body::Body;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use bmma_app::AppError;
use bmma_app::evidence::{EvidenceEdit, Filing, Find, Found, Offered};
use bmma_app::records::{Content, EvidenceItem};
use bmma_core::evidence::{EvidenceKind, FileType, Sniffer, TextState};
use bmma_core::{Action, Assessment, FieldError};
use serde::Serialize;

use crate::http::access::{Access, assessment_for};
use crate::http::auth::Auth;
use crate::http::error::{WebError, error_status};
use crate::http::forms::{IndicatorChoice, JsonBody, Problems, Typed, indicator_choices};
use crate::http::page::{Chrome, render_status};
use crate::i18n::Tr;
use crate::state::AppState;

/// Room for the form's other fields on top of the upload limit.
pub(crate) const FORM_SLACK: usize = 1 << 20;

/// What a form or API call filed, as read from the request: the text fields, and the file
/// if one was chosen.
#[derive(Default)]
struct Filed {
    typed: Typed,
    file: Option<Spooled>,
}

/// An upload as it arrived: written to a scratch file of its own while it streamed in, so
/// the server holds none of it in memory until it is stored. The file is gone when this is
/// dropped.
struct Spooled {
    /// The name the user's machine gave.
    name: String,
    file: tokio::fs::File,
    /// Its size and type, learnt on the way; bytes past the upload limit are not kept.
    sniffer: Sniffer,
}

impl Spooled {
    /// The upload as the application takes it, still in its scratch file.
    async fn offered(self) -> Offered {
        let content = Content::File(std::sync::Arc::new(self.file.into_std().await));
        Offered { name: self.name, sniffer: self.sniffer, content }
    }
}

impl Filed {
    /// The filing as the application takes it.
    async fn filing(self) -> Filing {
        let typed = self.typed;
        Filing {
            kind: typed.get("kind"),
            title: typed.get("title"),
            notes: typed.get("notes"),
            indicators: typed.all("indicators"),
            file: match self.file {
                Some(spooled) => Some(spooled.offered().await),
                None => None,
            },
        }
    }
}

/// Reads a multipart body: text fields, and the part named `file`, if a file was chosen.
async fn read_multipart(state: &AppState, mut multipart: Multipart) -> Result<Filed, WebError> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::from(state.app.upload_too_large())
        } else {
            WebError::Unreadable(e.status(), e.body_text())
        }
    };
    let mut filed = Filed::default();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            use tokio::io::AsyncWriteExt;
            let spool = |e: std::io::Error| WebError::Internal(format!("a scratch file for an upload: {e}"));
            let file_name = field.file_name().unwrap_or_default().to_string();
            let mut file = tokio::fs::File::from_std(tempfile::tempfile().map_err(spool)?);
            let mut sniffer = Sniffer::default();
            let mut field = field;
            while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                sniffer.feed(&chunk);
                // Past the limit the rest is only counted, to say how large it was.
                if sniffer.size() <= state.app.max_upload_bytes() {
                    file.write_all(&chunk).await.map_err(spool)?;
                }
            }
            file.flush().await.map_err(spool)?;
            if !(file_name.is_empty() && sniffer.size() == 0) {
                filed.file = Some(Spooled { name: file_name, file, sniffer });
            }
        } else {
            let value = field.text().await.map_err(unreadable)?;
            filed.typed.pairs.push((name, value));
        }
    }
    Ok(filed)
}

/// A file size as people read it.
fn size_label(bytes: i64) -> String {
    match bytes {
        b if b < 1_000 => format!("{b} B"),
        b if b < 1_000_000 => format!("{} KB", (b + 999) / 1_000),
        b => format!("{:.1} MB", b as f64 / 1_000_000.0),
    }
}

struct Row {
    id: String,
    kind_key: String,
    title: String,
    notes: String,
    excerpt: String,
    indicators: Vec<String>,
    /// The upload's name, size, and a note on its words unless they were read.
    file: Option<(String, String, String)>,
    by: String,
    day: String,
}

/// An item as a row of the register.
fn row(t: &Tr, item: &EvidenceItem, found: Option<&str>) -> Row {
    Row {
        id: item.id.clone(),
        kind_key: format!("evidence-kind-{}", item.kind),
        title: item.title.clone(),
        notes: item.notes.clone(),
        excerpt: found.unwrap_or_default().to_string(),
        indicators: item.indicators.clone(),
        file: item.file.as_ref().map(|f| {
            let note = match f.text_state {
                TextState::Read => String::new(),
                state => t.get(format!("evidence-text-{state}")),
            };
            (f.name.clone(), size_label(f.size_bytes), note)
        }),
        by: item.created_by.name.clone(),
        day: crate::http::format::date(item.created_at).0,
    }
}

#[derive(Template)]
#[template(path = "evidence/evidence.html")]
struct EvidencePage {
    t: Tr,
    chrome: Chrome,
    a: Assessment,
    query: String,
    indicator: String,
    searched: bool,
    /// The search matched more items than are shown.
    truncated: bool,
    rows: Vec<Row>,
    kinds: Vec<(&'static str, String)>,
    indicators: Vec<IndicatorChoice>,
    filter_note: String,
    file_hint: String,
    typed: Typed,
    errors: Problems,
}

async fn page(
    state: &AppState,
    t: &Tr,
    auth: &Auth,
    access: Access,
    find: Find,
    typed: Typed,
    errors: Vec<FieldError>,
) -> Result<Response, WebError> {
    let a = access.assessment.clone();
    let loaded = state.app.framework_of(&a).await?;
    let framework = &loaded.framework;
    let Found { items: results, truncated } = state.app.find_evidence(&access, &find).await?;
    let ticked = typed.all("indicators");
    let status = if errors.is_empty() { StatusCode::OK } else { error_status(&errors) };
    let page = EvidencePage {
        t: t.clone(),
        chrome: Chrome::of(auth, "assessments"),
        searched: !find.q.trim().is_empty(),
        truncated,
        rows: results.iter().map(|(item, passage)| row(t, item, passage.as_deref())).collect(),
        kinds: EvidenceKind::ALL.iter().map(|k| (k.as_str(), t.get(format!("evidence-kind-{k}")))).collect(),
        indicators: indicator_choices(&a, framework, |code| {
            ticked.iter().any(|c| c == code) || (typed.pairs.is_empty() && code == find.indicator)
        }),
        filter_note: t.with("evidence-for-indicator", &[("code", &find.indicator)]),
        file_hint: t.with(
            "evidence-file-hint",
            &[("limit", &(state.settings.max_upload_bytes / 1_000_000).to_string())],
        ),
        query: find.q,
        indicator: find.indicator,
        a,
        typed,
        errors: Problems::of(t, &errors),
    };
    render_status(status, &page)
}

/// `GET /assessments/{id}/evidence`: the register, searchable.
pub async fn register(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
    Query(find): Query<Find>,
) -> Result<Response, WebError> {
    let access = assessment_for(&state, &auth, &id, Action::Evidence).await?;
    page(&state, &t, &auth, access, find, Typed::default(), Vec::new()).await
}

/// A filing refused for its fields: what was typed, to show again, and the problems.
struct Refused {
    access: Access,
    typed: Typed,
    errors: Vec<FieldError>,
}

/// Reads and files an item; the one path for the form and the API. Returns the new item's
/// id with the access read before, or, for bad fields, what the form needs to show them.
async fn file_evidence(
    state: &AppState,
    auth: &Auth,
    id: &str,
    multipart: Multipart,
) -> Result<Result<(String, Access), Refused>, WebError> {
    // Who may file is checked before the upload is read (and again by the filing itself).
    let access = assessment_for(state, auth, id, Action::Evidence).await?;
    let filed = read_multipart(state, multipart).await?;
    let typed = filed.typed.clone();
    let item_id = bmma_app::new_id();
    match state.app.file_evidence(&auth.user, id, &item_id, filed.filing().await).await {
        Ok(()) => Ok(Ok((item_id, access))),
        Err(AppError::Invalid(errors)) => Ok(Err(Refused { access, typed, errors })),
        Err(e) => Err(e.into()),
    }
}

/// `POST /assessments/{id}/evidence` (multipart): files an item from the form.
pub async fn file_from_form(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    match file_evidence(&state, &auth, &id, multipart).await? {
        Ok((item_id, _)) => {
            Ok(Redirect::to(&format!("/assessments/{id}/evidence#evidence-{item_id}")).into_response())
        }
        Err(Refused { access, typed, errors }) => {
            page(&state, &t, &auth, access, Find::default(), typed, errors).await
        }
    }
}

/// One item as the API shows it, with the passage a search found.
#[derive(Serialize)]
struct ItemJson {
    #[serde(flatten)]
    item: EvidenceItem,
    #[serde(skip_serializing_if = "Option::is_none")]
    excerpt: Option<String>,
}

/// `GET /api/v1/assessments/{id}/evidence?q=&indicator=`
pub async fn register_api(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(find): Query<Find>,
) -> Result<Response, WebError> {
    let access = assessment_for(&state, &auth, &id, Action::Evidence).await?;
    let Found { items, truncated } = state.app.find_evidence(&access, &find).await?;
    let items: Vec<ItemJson> = items.into_iter().map(|(item, excerpt)| ItemJson { item, excerpt }).collect();
    Ok::<_, WebError>(Json(serde_json::json!({ "items": items, "truncated": truncated })).into_response())
}

/// `POST /api/v1/assessments/{id}/evidence` (multipart, the same fields as the form):
/// 201 with the item.
pub async fn file_from_api(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let (item_id, access) =
        file_evidence(&state, &auth, &id, multipart).await?.map_err(|r| WebError::Invalid(r.errors))?;
    let item = state.app.evidence_item(&access, &item_id).await?;
    Ok::<_, WebError>((StatusCode::CREATED, Json(item)).into_response())
}

/// The upload of an item, as an attachment: a browser saves it rather than opening it
/// inside bmma's pages, whatever it holds.
async fn download(state: &AppState, auth: &Auth, id: &str, item_id: &str) -> Result<Response, WebError> {
    let bmma_app::evidence::Download { name, media_type, bytes } =
        state.app.evidence_file(&auth.user, id, item_id).await?;
    let media_type =
        FileType::from_media_type(&media_type).map_or("application/octet-stream", |t| t.media_type());
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::http::format::encode_component(&name)
    );
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(response)
}

/// `GET /assessments/{id}/evidence/{item}/file`
pub async fn file(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    download(&state, &auth, &id, &item_id).await
}

#[derive(Template)]
#[template(path = "evidence/evidence_item.html")]
struct ItemPage {
    t: Tr,
    chrome: Chrome,
    a: Assessment,
    item: Row,
    title: String,
    notes: String,
    version: i64,
    updated: String,
    indicators: Vec<IndicatorChoice>,
    errors: Problems,
}

async fn item_page(
    state: &AppState,
    t: &Tr,
    auth: &Auth,
    id: &str,
    item_id: &str,
    failed: Option<(EvidenceEdit, Vec<FieldError>)>,
) -> Result<Response, WebError> {
    let access = assessment_for(state, auth, id, Action::Evidence).await?;
    let item = state.app.evidence_item(&access, item_id).await?;
    let loaded = state.app.framework_of(&access.assessment).await?;
    let framework = &loaded.framework;
    let a = access.assessment;
    let (title, notes, ticked, version, errors) = match failed {
        Some((edit, errors)) => (edit.title, edit.notes, edit.indicators, edit.version, errors),
        None => (item.title.clone(), item.notes.clone(), item.indicators.clone(), item.version, Vec::new()),
    };
    let page = ItemPage {
        t: t.clone(),
        chrome: Chrome::of(auth, "assessments"),
        item: row(t, &item, None),
        title,
        notes,
        version,
        updated: format!("{} · {}", item.updated_by, crate::http::format::minute_utc(item.updated_at)),
        indicators: indicator_choices(&a, framework, |code| ticked.iter().any(|c| c == code)),
        a,
        errors: Problems::of(t, &errors),
    };
    let status = if page.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_status(status, &page)
}

/// `GET /assessments/{id}/evidence/{item}`: one item, with its edit form.
pub async fn item(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path((id, item_id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    item_page(&state, &t, &auth, &id, &item_id, None).await
}

/// `POST /assessments/{id}/evidence/{item}`: saves the edit form.
pub async fn edit_from_form(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path((id, item_id)): Path<(String, String)>,
    typed: Typed,
) -> Result<Response, WebError> {
    let edit = EvidenceEdit {
        title: typed.get("title"),
        notes: typed.get("notes"),
        indicators: typed.all("indicators"),
        version: typed.get("version").trim().parse().unwrap_or(0),
    };
    match state.app.edit_evidence(&auth.user, &id, &item_id, &edit).await {
        Ok(_) => Ok(Redirect::to(&format!("/assessments/{id}/evidence/{item_id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            item_page(&state, &t, &auth, &id, &item_id, Some((edit, errors))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `PUT /api/v1/assessments/{id}/evidence/{item}`: saves an edit; 409 when stale.
pub async fn edit_from_api(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, item_id)): Path<(String, String)>,
    JsonBody(edit): JsonBody<EvidenceEdit>,
) -> Result<Response, WebError> {
    let access = state.app.edit_evidence(&auth.user, &id, &item_id, &edit).await?;
    let item = state.app.evidence_item(&access, &item_id).await?;
    Ok::<_, WebError>(Json(item).into_response())
}
