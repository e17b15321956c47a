//! The method and timeline page: dates, evidence cut-off, counterparts, methods per element
//! and milestones, agreed with the government and kept by the team lead.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bmma_core::plan::{DEFAULT_MILESTONES, Method, Milestone, Plan, default_end, parse_date};
use bmma_core::{Action, Assessment, FieldError, FieldErrorKind};
use time::{Duration, OffsetDateTime};

use crate::http::access::assessment_for;
use crate::http::auth::Auth;
use crate::http::error::WebError;
use crate::http::forms::{Problems, Typed};
use crate::http::page::{Chrome, render_status};
use crate::i18n::Tr;
use crate::state::AppState;
use bmma_app::AppError;

/// Blank milestone rows offered below the filled ones.
const SPARE_ROWS: usize = 2;

struct MethodRow {
    code: String,
    name: String,
    /// (checkbox value, label, ticked)
    methods: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "plan/plan.html")]
struct PlanPage {
    t: Tr,
    chrome: Chrome,
    a: Assessment,
    start: String,
    end: String,
    cutoff: String,
    counterparts: String,
    rows: Vec<MethodRow>,
    milestones: Vec<(String, String)>,
    errors: Problems,
}

fn text(date: Option<time::Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

/// The form as typed: kept apart from `Plan` so that a bad date can be shown back.
#[derive(Default)]
struct PlanForm {
    start: String,
    end: String,
    cutoff: String,
    counterparts: String,
    methods: BTreeMap<String, Vec<Method>>,
    milestones: Vec<(String, String)>,
}

impl PlanForm {
    fn of(t: &Tr, plan: &Plan) -> PlanForm {
        // A plan never saved is offered the 12-week default, from today.
        let start = plan.start.unwrap_or_else(|| OffsetDateTime::now_utc().date());
        let milestones = if plan.milestones.is_empty() {
            DEFAULT_MILESTONES
                .iter()
                .map(|(key, week)| (t.get(key), (start + Duration::weeks(*week)).to_string()))
                .collect()
        } else {
            plan.milestones.iter().map(|m| (m.name.clone(), m.due.to_string())).collect()
        };
        PlanForm {
            start: start.to_string(),
            end: text(plan.end.or(Some(default_end(start)))),
            cutoff: text(plan.evidence_cutoff),
            counterparts: plan.counterparts.join("\n"),
            methods: plan.methods.clone(),
            milestones,
        }
    }
}

async fn page(
    state: &AppState,
    t: &Tr,
    auth: &Auth,
    a: Assessment,
    typed: PlanForm,
    errors: Vec<FieldError>,
) -> Result<Response, WebError> {
    let loaded = state.app.framework_of(&a).await?;
    let framework = &loaded.framework;
    let covered = a.scope.indicators_covered(framework);
    let rows = framework
        .elements()
        .filter(|e| e.indicators.iter().any(|i| covered.contains(i.code.as_str())))
        .map(|e| MethodRow {
            code: e.code.clone(),
            name: e.name.clone(),
            methods: Method::ALL
                .iter()
                .map(|m| {
                    let ticked = typed.methods.get(&e.code).is_some_and(|ms| ms.contains(m));
                    (format!("{}|{}", e.code, m.as_str()), t.get(format!("method-{}", m.as_str())), ticked)
                })
                .collect(),
        })
        .collect();
    let mut milestones = typed.milestones;
    milestones.extend(std::iter::repeat_n((String::new(), String::new()), SPARE_ROWS));
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = PlanPage {
        t: t.clone(),
        chrome: Chrome::of(auth, "assessments"),
        a,
        start: typed.start,
        end: typed.end,
        cutoff: typed.cutoff,
        counterparts: typed.counterparts,
        rows,
        milestones,
        errors: Problems::of(t, &errors),
    };
    render_status(status, &page)
}

pub async fn plan(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let access = assessment_for(&state, &auth, &id, Action::Edit).await?;
    let plan = state.app.plan(&access).await?;
    page(&state, &t, &auth, access.assessment, PlanForm::of(&t, &plan), Vec::new()).await
}

/// Reads a date field: empty is no date, anything else must be YYYY-MM-DD.
fn date_field(field: &'static str, text: &str, errors: &mut Vec<FieldError>) -> Option<time::Date> {
    if text.trim().is_empty() {
        return None;
    }
    let parsed = parse_date(text);
    if parsed.is_none() {
        errors.push(FieldError { field, kind: FieldErrorKind::BadDate { value: text.to_string() } });
    }
    parsed
}

pub async fn save_plan(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
    Typed { pairs }: Typed,
) -> Result<Response, WebError> {
    let mut typed = PlanForm::default();
    let mut version = -1;
    let (mut names, mut dues) = (Vec::new(), Vec::new());
    for (name, value) in pairs {
        match name.as_str() {
            "start" => typed.start = value,
            "end" => typed.end = value,
            "evidence_cutoff" => typed.cutoff = value,
            "counterparts" => typed.counterparts = value,
            "version" => version = value.parse().unwrap_or(-1),
            "milestone_name" => names.push(value),
            "milestone_due" => dues.push(value),
            "method" => {
                if let Some((element, method)) =
                    value.split_once('|').and_then(|(e, m)| Some((e, Method::parse(m)?)))
                {
                    typed.methods.entry(element.to_string()).or_default().push(method);
                }
            }
            _ => {}
        }
    }
    typed.milestones =
        names.into_iter().zip(dues).filter(|(n, d)| !n.trim().is_empty() || !d.trim().is_empty()).collect();
    let mut errors = Vec::new();
    let mut plan = Plan {
        start: date_field("start", &typed.start, &mut errors),
        end: date_field("end", &typed.end, &mut errors),
        evidence_cutoff: date_field("evidence_cutoff", &typed.cutoff, &mut errors),
        counterparts: typed
            .counterparts
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        methods: typed.methods.clone(),
        milestones: Vec::new(),
    };
    for (name, due) in &typed.milestones {
        match parse_date(due) {
            Some(due) => plan.milestones.push(Milestone { name: name.trim().to_string(), due }),
            None => errors.push(FieldError {
                field: "milestones",
                kind: FieldErrorKind::BadDate { value: due.clone() },
            }),
        }
    }
    match state.app.set_plan(&auth.user, &id, &plan, version, errors).await {
        Ok(()) => {}
        // The use case checked the caller's right; the page shown again reads the assessment.
        Err(AppError::Invalid(errors)) => {
            let a = assessment_for(&state, &auth, &id, Action::Edit).await?.assessment;
            return page(&state, &t, &auth, a, typed, errors).await;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("/assessments/{id}")).into_response())
}
