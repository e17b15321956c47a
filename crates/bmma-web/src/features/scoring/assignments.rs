//! Which experts rate which elements: the form and its save, all or nothing.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use bmma_app::team::Assignments;
use bmma_core::{Action, Assessment};

use crate::http::access::assessment_for;
use crate::http::auth::Auth;
use crate::http::error::WebError;
use crate::http::forms::Typed;
use crate::http::page::{Chrome, render};
use crate::i18n::Tr;
use crate::state::AppState;

struct Rater {
    user_id: String,
    name: String,
}

struct AssignmentRow {
    code: String,
    name: String,
    /// One per rater, in the order of `raters`: assigned or not.
    checked: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "scoring/assignments.html")]
struct AssignmentsPage {
    t: Tr,
    chrome: Chrome,
    a: Assessment,
    raters: Vec<Rater>,
    rows: Vec<AssignmentRow>,
}

pub async fn assignments(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let access = assessment_for(&state, &auth, &id, Action::Assign).await?;
    let loaded = state.app.framework_of(&access.assessment).await?;
    let current = state.app.assignments(&access).await?;
    let raters: Vec<Rater> = state
        .app
        .raters(&access)
        .await?
        .into_iter()
        .map(|m| Rater { user_id: m.user_id, name: m.name })
        .collect();
    let rows = loaded
        .framework
        .elements()
        .map(|e| AssignmentRow {
            code: e.code.clone(),
            name: e.name.clone(),
            checked: raters
                .iter()
                .map(|r| {
                    (
                        format!("{}|{}", e.code, r.user_id),
                        current.contains(&(e.code.clone(), r.user_id.clone())),
                    )
                })
                .collect(),
        })
        .collect();
    render(&AssignmentsPage {
        t: t.clone(),
        chrome: Chrome::of(&auth, "assessments"),
        a: access.assessment,
        raters,
        rows,
    })
}

pub async fn save_assignments(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Typed { pairs }: Typed,
) -> Result<Response, WebError> {
    // The assignments as the form was read; a form without it is treated as out of date.
    let read_at = pairs
        .iter()
        .find(|(name, _)| name == "version")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .unwrap_or(0);
    let wanted: Assignments = pairs
        .into_iter()
        .filter(|(name, _)| name == "assign")
        .filter_map(|(_, value)| value.split_once('|').map(|(e, u)| (e.to_string(), u.to_string())))
        .collect();
    state.app.set_assignments(&auth.user, &id, &wanted, read_at).await?;
    Ok::<_, WebError>(Redirect::to(&format!("/assessments/{id}/scores")).into_response())
}
