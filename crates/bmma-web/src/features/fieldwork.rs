//! Fieldwork: the border sites of the assessed country and the team's visits to them, each
//! visit linked to the indicators it observed.

use std::collections::HashMap;

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bmma_app::AppError;
use bmma_app::fieldwork::NewVisit;
use bmma_app::records::{Member, StoredSite};
use bmma_core::plan::parse_date;
use bmma_core::sites::{Site, SiteKind, parse_count, parse_degrees, show_degrees};
use bmma_core::{Action, Assessment, FieldError, FieldErrorKind};

use crate::http::access::{Access, assessment_for};
use crate::http::auth::Auth;
use crate::http::error::WebError;
use crate::http::forms::{IndicatorChoice, Problems, Typed, indicator_choices};
use crate::http::page::{Chrome, render_status};
use crate::i18n::Tr;
use crate::state::AppState;

struct SiteRow {
    id: String,
    name: String,
    kind_key: String,
    place: String,
    agencies: String,
    travellers: String,
}

struct VisitRow {
    site: String,
    date: String,
    members: String,
    observed: Vec<String>,
    notes: String,
}

#[derive(Template)]
#[template(path = "fieldwork/fieldwork.html")]
struct FieldworkPage {
    t: Tr,
    chrome: Chrome,
    a: Assessment,
    can_record: bool,
    /// Visit notes are evidence: shown only to those who may see evidence.
    can_see_notes: bool,
    sites: Vec<SiteRow>,
    site_options: Vec<(String, String)>,
    kinds: Vec<(&'static str, String)>,
    visits: Vec<VisitRow>,
    members: Vec<(String, String, bool)>,
    indicators: Vec<IndicatorChoice>,
    typed: Typed,
    form: &'static str,
    errors: Problems,
}

async fn page(
    state: &AppState,
    t: &Tr,
    auth: &Auth,
    access: Access,
    typed: Typed,
    form: &'static str,
    errors: Vec<FieldError>,
) -> Result<Response, WebError> {
    let a = access.assessment.clone();
    let sites = state.app.sites(&access).await?;
    let visits = state.app.visits(&access).await?;
    let members = state.app.members(&access).await?;
    let loaded = state.app.framework_of(&a).await?;
    let framework = &loaded.framework;
    let site_names: HashMap<&str, &str> =
        sites.iter().map(|s| (s.id.as_str(), s.site.name.as_str())).collect();
    let member_names: HashMap<&str, &str> =
        members.iter().map(|m| (m.user_id.as_str(), m.name.as_str())).collect();
    let ticked_members = typed.all("member");
    let ticked_codes = typed.all("observed");
    let page = FieldworkPage {
        t: t.clone(),
        chrome: Chrome::of(auth, "assessments"),
        can_record: access.can(Action::Fieldwork),
        can_see_notes: access.can(Action::Evidence),
        site_options: sites.iter().map(|s| (s.id.clone(), s.site.name.clone())).collect(),
        sites: sites.iter().map(site_row).collect(),
        kinds: SiteKind::ALL.iter().map(|k| (k.as_str(), t.get(format!("site-kind-{k}")))).collect(),
        visits: visits
            .iter()
            .map(|v| VisitRow {
                site: site_names.get(v.site_id.as_str()).copied().unwrap_or("?").to_string(),
                date: v.date.to_string(),
                members: v
                    .members
                    .iter()
                    .map(|m| member_names.get(m.as_str()).copied().unwrap_or("?"))
                    .collect::<Vec<_>>()
                    .join(", "),
                observed: v.observed.clone(),
                notes: v.notes.clone(),
            })
            .collect(),
        members: members
            .iter()
            .map(|m: &Member| (m.user_id.clone(), m.name.clone(), ticked_members.contains(&m.user_id)))
            .collect(),
        indicators: indicator_choices(&a, framework, |code| ticked_codes.iter().any(|c| c == code)),
        a,
        typed,
        form,
        errors: Problems::of(t, &errors),
    };
    let status = if page.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_status(status, &page)
}

fn site_row(s: &StoredSite) -> SiteRow {
    let place = match (s.site.latitude_e6, s.site.longitude_e6) {
        (Some(lat), Some(lon)) => format!("{}, {}", show_degrees(lat), show_degrees(lon)),
        _ => String::new(),
    };
    SiteRow {
        id: s.id.clone(),
        name: s.site.name.clone(),
        kind_key: format!("site-kind-{}", s.site.kind),
        place,
        agencies: s.site.agencies.join(", "),
        travellers: s.site.travellers_per_year.map(|n| n.to_string()).unwrap_or_default(),
    }
}

pub async fn fieldwork(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let access = assessment_for(&state, &auth, &id, Action::ViewDrafts).await?;
    page(&state, &t, &auth, access, Typed::default(), "", Vec::new()).await
}

/// Reads an optional coordinate field; `limit` is 90 for latitude, 180 for longitude.
fn coordinate(typed: &Typed, field: &'static str, limit: i64, errors: &mut Vec<FieldError>) -> Option<i64> {
    let text = typed.get(field);
    if text.trim().is_empty() {
        return None;
    }
    let value = parse_degrees(&text, limit);
    if value.is_none() {
        errors.push(FieldError { field, kind: FieldErrorKind::BadCoordinate { value: text } });
    }
    value
}

pub async fn add_site(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
    typed: Typed,
) -> Result<Response, WebError> {
    let mut errors = Vec::new();
    let kind = typed.get("kind").parse::<SiteKind>().unwrap_or_else(|_| {
        errors.push(FieldError { field: "kind", kind: FieldErrorKind::Required });
        SiteKind::Land
    });
    let travellers_per_year = parse_count(&typed.get("travellers_per_year")).unwrap_or_else(|kind| {
        errors.push(FieldError { field: "travellers_per_year", kind });
        None
    });
    let site = Site {
        name: typed.get("name"),
        kind,
        latitude_e6: coordinate(&typed, "latitude", 90, &mut errors),
        longitude_e6: coordinate(&typed, "longitude", 180, &mut errors),
        agencies: typed
            .get("agencies")
            .split([',', '\n'])
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(String::from)
            .collect(),
        travellers_per_year,
    };
    match state.app.add_site(&auth.user, &id, &site, errors).await {
        Ok(_) => Ok(Redirect::to(&format!("/assessments/{id}/fieldwork")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let access = assessment_for(&state, &auth, &id, Action::Fieldwork).await?;
            page(&state, &t, &auth, access, typed, "site", errors).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_visit(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
    typed: Typed,
) -> Result<Response, WebError> {
    let mut errors = Vec::new();
    let date = parse_date(&typed.get("date"));
    if date.is_none() {
        errors.push(FieldError { field: "date", kind: FieldErrorKind::BadDate { value: typed.get("date") } });
    }
    let visit = NewVisit {
        site_id: typed.get("site"),
        date,
        members: typed.all("member"),
        observed: typed.all("observed"),
        notes: typed.get("notes"),
    };
    match state.app.add_visit(&auth.user, &id, visit, errors).await {
        Ok(_) => Ok(Redirect::to(&format!("/assessments/{id}/fieldwork")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let access = assessment_for(&state, &auth, &id, Action::Fieldwork).await?;
            page(&state, &t, &auth, access, typed, "visit", errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /api/v1/assessments/{id}/fieldwork`: the country's sites and the assessment's visits.
pub async fn fieldwork_api(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let access = assessment_for(&state, &auth, &id, Action::ViewDrafts).await?;
    let sites = state.app.sites(&access).await?;
    let visits = state.app.visits(&access).await?;
    Ok::<_, WebError>(Json(serde_json::json!({ "sites": sites, "visits": visits })).into_response())
}
