//! Assessments: the list, one assessment's page, opening one, and its scope; its life
//! cycle, history and JSON API are the submodules.

pub(crate) mod api;
pub(crate) mod history;
pub(crate) mod lifecycle;

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bmma_core::framework::Framework;
use bmma_core::{Action, Assessment, AssessmentStatus, FieldError, FrameworkRef};

use crate::http::access::{assessment_for, visible_assessments};
use crate::http::auth::Auth;
use crate::http::error::WebError;
use crate::http::format::date;
use crate::http::forms::{Problems, Typed};
use crate::http::page::{Chrome, render, render_status};
use crate::i18n::Tr;
use crate::state::AppState;
use bmma_app::AppError;
use bmma_app::Loaded;
use bmma_app::assessments::OpenAssessment;

/// The message id of a status's name.
fn status_key(status: AssessmentStatus) -> String {
    format!("status-{}", status.as_str())
}

struct AssessmentRow {
    id: String,
    title: String,
    country: String,
    status: &'static str,
    status_key: String,
    framework: String,
    created: String,
    created_iso: String,
}

#[derive(Template)]
#[template(path = "assessments/assessments.html")]
struct AssessmentsPage {
    t: Tr,
    chrome: Chrome,
    rows: Vec<AssessmentRow>,
    /// Assessments the caller is invited into and has not answered yet.
    invitations: Vec<bmma_app::records::Invitation>,
}

impl AssessmentsPage {
    fn role_key(&self, role: impl std::fmt::Display) -> String {
        format!("role-{role}")
    }
}

/// The country's name in the reader's language.
fn country_name(t: &Tr, code: &str) -> String {
    t.country_name(code).unwrap_or_else(|| "?".into())
}

pub async fn assessments(State(state): State<AppState>, t: Tr, auth: Auth) -> Result<Response, WebError> {
    let rows = visible_assessments(&state, &auth)
        .await?
        .into_iter()
        .map(|access| {
            let a = access.assessment;
            let (created, created_iso) = date(a.created_at);
            AssessmentRow {
                country: country_name(&t, &a.country),
                status: a.status.as_str(),
                status_key: status_key(a.status),
                framework: a.framework.to_string(),
                id: a.id,
                title: a.title,
                created,
                created_iso,
            }
        })
        .collect();
    let invitations = state.app.invitations_for(&auth.user).await?;
    render(&AssessmentsPage { t: t.clone(), chrome: Chrome::of(&auth, "assessments"), rows, invitations })
}

struct Step {
    key: String,
    current: bool,
    done: bool,
}

struct ScopeRow {
    code: String,
    name: String,
    component: bool,
    in_scope: usize,
    total: usize,
}

#[derive(Template)]
#[template(path = "assessments/assessment.html")]
struct AssessmentPage {
    t: Tr,
    chrome: Chrome,
    a: Assessment,
    country: String,
    status_key: String,
    framework_name: String,
    created: String,
    created_iso: String,
    lifecycle: Vec<Step>,
    scope_rows: Vec<ScopeRow>,
    in_scope_total: usize,
    can_view_drafts: bool,
    can_see_evidence: bool,
    can_edit: bool,
    can_manage: bool,
    can_view_history: bool,
    /// The moves the caller may make now, forward first.
    moves: Vec<StatusMove>,
    /// When and by whom the assessment reached its current status.
    since: Option<String>,
    /// The timeline in words, and the next milestone, if any.
    timeline: String,
    next_milestone: Option<String>,
}

struct StatusMove {
    to: &'static str,
    label: String,
}

fn scope_rows(a: &Assessment, f: &Framework) -> Vec<ScopeRow> {
    let covered = a.scope.indicators_covered(f);
    let count = |indicators: &mut dyn Iterator<Item = &bmma_core::framework::Indicator>| {
        indicators.fold((0, 0), |(inside, total), i| {
            (inside + usize::from(covered.contains(i.code.as_str())), total + 1)
        })
    };
    let mut rows = Vec::new();
    for c in &f.components {
        let (in_scope, total) = count(&mut c.elements.iter().flat_map(|e| e.indicators.iter()));
        rows.push(ScopeRow { code: c.code.clone(), name: c.name.clone(), component: true, in_scope, total });
        for e in &c.elements {
            let (in_scope, total) = count(&mut e.indicators.iter());
            rows.push(ScopeRow {
                code: e.code.clone(),
                name: e.name.clone(),
                component: false,
                in_scope,
                total,
            });
        }
    }
    rows
}

pub async fn assessment(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let access = assessment_for(&state, &auth, &id, Action::View).await?;
    let can_view_drafts = access.can(Action::ViewDrafts);
    let can_edit = access.can(Action::Edit);
    let can_manage = access.can(Action::ManageMembers);
    let can_view_history = access.can(Action::ViewHistory);
    let can_see_evidence = access.can(Action::Evidence);
    let can_move = access.can(Action::ChangeStatus);
    let a = access.assessment.clone();
    let loaded = state.app.framework_of(&a).await?;
    let f = &loaded.framework;
    let position = AssessmentStatus::ALL.iter().position(|s| *s == a.status).unwrap_or(0);
    let lifecycle = AssessmentStatus::ALL
        .iter()
        .enumerate()
        .map(|(n, s)| Step { key: status_key(*s), current: n == position, done: n < position })
        .collect();
    let (created, created_iso) = date(a.created_at);
    let moves = if can_move {
        let mut steps = a.status.next_steps().to_vec();
        steps.sort_by_key(|to| !a.status.is_forward(*to));
        steps
            .into_iter()
            .map(|to| {
                let key = if a.status.is_forward(to) { "status-move-forward" } else { "status-move-back" };
                StatusMove { to: to.as_str(), label: t.with(key, &[("status", &t.get(status_key(to)))]) }
            })
            .collect()
    } else {
        Vec::new()
    };
    let plan = state.app.plan(&access).await?;
    let timeline = match (plan.start, plan.end) {
        (Some(start), Some(end)) => {
            t.with("plan-summary", &[("start", &start.to_string()), ("end", &end.to_string())])
        }
        _ => t.get("plan-none"),
    };
    let today = time::OffsetDateTime::now_utc().date();
    let next_milestone = plan
        .milestones
        .iter()
        .filter(|m| m.due >= today)
        .min_by_key(|m| m.due)
        .map(|m| t.with("plan-next", &[("name", &m.name), ("due", &m.due.to_string())]));
    let since = state.app.status_changes(&access).await?.pop().map(|change| {
        t.with(
            "assessment-status-since",
            &[("when", &date(change.changed_at).0), ("who", &change.changed_by.name)],
        )
    });
    render(&AssessmentPage {
        t: t.clone(),
        chrome: Chrome::of(&auth, "assessments"),
        can_view_drafts,
        can_see_evidence,
        can_edit,
        can_manage,
        can_view_history,
        moves,
        since,
        timeline,
        next_milestone,
        country: country_name(&t, &a.country),
        status_key: status_key(a.status),
        framework_name: f.name.clone(),
        created,
        created_iso,
        lifecycle,
        scope_rows: scope_rows(&a, f),
        in_scope_total: a.scope.indicator_count(f),
        a,
    })
}

// ---------------------------------------------------------------- the new-assessment form

/// What the user typed, echoed back when the form is shown again with errors.
#[derive(Default)]
struct FormValues {
    title: String,
    country: String,
    requesting_body: String,
    framework: String,
    partial: bool,
    scope: Vec<String>,
}

impl FormValues {
    fn has(&self, code: &str) -> bool {
        self.scope.iter().any(|c| c == code)
    }
}

struct FrameworkOption {
    id: String,
    version: String,
    name: String,
    reference: String,
}

#[derive(Template)]
#[template(path = "assessments/new_assessment.html")]
struct NewAssessmentPage {
    t: Tr,
    chrome: Chrome,
    form: FormValues,
    errors: Problems,
    countries: Vec<bmma_i18n::NamedCountry>,
    frameworks: Vec<FrameworkOption>,
    scope_framework: Arc<Loaded>,
}

#[derive(Template)]
#[template(path = "assessments/scope.html")]
struct ScopePage {
    t: Tr,
    chrome: Chrome,
    a: Assessment,
    form: FormValues,
    errors: Problems,
    scope_framework: Arc<Loaded>,
}

async fn scope_page(
    state: &AppState,
    t: &Tr,
    auth: &Auth,
    a: Assessment,
    form: FormValues,
    errors: Vec<FieldError>,
) -> Result<Response, WebError> {
    let scope_framework = state.app.framework_of(&a).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ScopePage {
        t: t.clone(),
        chrome: Chrome::of(auth, "assessments"),
        a,
        form,
        errors: Problems::of(t, &errors),
        scope_framework,
    };
    render_status(status, &page)
}

pub async fn scope(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let access = assessment_for(&state, &auth, &id, Action::Edit).await?;
    let a = access.assessment;
    let form = FormValues {
        partial: !a.scope.is_everything(),
        scope: a.scope.0.clone().unwrap_or_default(),
        ..FormValues::default()
    };
    scope_page(&state, &t, &auth, a, form, Vec::new()).await
}

pub async fn save_scope(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
    Typed { pairs }: Typed,
) -> Result<Response, WebError> {
    let mut form = FormValues::default();
    let mut version = 0;
    for (name, value) in pairs {
        match name.as_str() {
            "scope_kind" => form.partial = value == "selected",
            "scope" => form.scope.push(value),
            "version" => version = value.parse().unwrap_or(-1),
            _ => {}
        }
    }
    let scope = bmma_core::Scope(form.partial.then(|| form.scope.clone()));
    match state.app.set_scope(&auth.user, &id, &scope, version).await {
        Ok(()) => Ok(Redirect::to(&format!("/assessments/{id}")).into_response()),
        // The use case checked the caller's right; the page shown again reads the assessment.
        Err(AppError::Invalid(errors)) => {
            let a = assessment_for(&state, &auth, &id, Action::Edit).await?.assessment;
            scope_page(&state, &t, &auth, a, form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn form_page(
    state: &AppState,
    t: &Tr,
    auth: &Auth,
    form: FormValues,
    errors: Vec<FieldError>,
) -> Result<Response, WebError> {
    let all = state.app.frameworks().await?;
    let chosen = form.framework.parse::<FrameworkRef>().ok();
    // The scope tree shows the chosen framework, or else the newest built-in one.
    let scope_framework = all
        .iter()
        .find(|l| Some(l.framework.reference()) == chosen)
        .or_else(|| all.iter().rfind(|l| l.record.builtin))
        .or_else(|| all.last())
        .cloned()
        .ok_or_else(|| WebError::Internal("no framework is installed".into()))?;
    let mut form = form;
    if form.framework.is_empty() {
        form.framework = scope_framework.framework.reference().to_string();
    }
    let frameworks = all
        .iter()
        .map(|l| FrameworkOption {
            id: l.framework.id.clone(),
            version: l.framework.version.clone(),
            name: l.framework.name.clone(),
            reference: l.framework.reference().to_string(),
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = NewAssessmentPage {
        t: t.clone(),
        chrome: Chrome::of(auth, "assessments"),
        form,
        errors: Problems::of(t, &errors),
        countries: t.countries(),
        frameworks,
        scope_framework,
    };
    render_status(status, &page)
}

pub async fn new_assessment(State(state): State<AppState>, t: Tr, auth: Auth) -> Result<Response, WebError> {
    form_page(&state, &t, &auth, FormValues::default(), Vec::new()).await
}

pub async fn create_assessment(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Typed { pairs }: Typed,
) -> Result<Response, WebError> {
    let mut values = FormValues::default();
    for (name, value) in pairs {
        match name.as_str() {
            "title" => values.title = value,
            "country" => values.country = value,
            "requesting_body" => values.requesting_body = value,
            "framework" => values.framework = value,
            "scope_kind" => values.partial = value == "selected",
            "scope" => values.scope.push(value),
            _ => {}
        }
    }
    let request = OpenAssessment {
        country: values.country.clone(),
        framework: values.framework.clone(),
        title: values.title.clone(),
        requesting_body: values.requesting_body.clone(),
        scope: values.partial.then(|| values.scope.clone()),
    };
    match state.app.open_assessment(&auth.user, bmma_app::new_id(), request).await {
        Ok(a) => Ok(Redirect::to(&format!("/assessments/{}", a.id)).into_response()),
        Err(AppError::Invalid(errors)) => form_page(&state, &t, &auth, values, errors).await,
        Err(e) => Err(e.into()),
    }
}
