//! The scoring pages: one indicator with its ratings and agreed score, the overview of an
//! assessment's scores, and the assignment of elements to experts.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bmma_core::framework::{Framework, ScaleLevel};
use bmma_core::scoring::is_rating_period;
use bmma_core::{Action, Aggregate, Assessment, FieldError, Rating};

use super::input::{Kind, ScoreInput, save};
use crate::http::access::assessment_for;
use crate::http::auth::Auth;
use crate::http::error::WebError;
use crate::http::forms::{Problems, Typed};
use crate::http::page::{Chrome, render, render_status};
use crate::i18n::Tr;
use crate::state::AppState;
use bmma_app::scores::board;
use bmma_core::board::{ComponentScore, ElementScore, IndicatorScores, ScoreBoard};

/// How a rating reads: "3", "IE", "N/A", "—".
pub(crate) fn short(rating: &Rating) -> String {
    match rating {
        Rating::Level(level) => level.to_string(),
        Rating::InsufficientEvidence => "IE".into(),
        Rating::NotApplicable => "N/A".into(),
        Rating::NotAssessed => "—".into(),
    }
}

/// The value of the form's choice for a rating.
fn choice_of(rating: &Rating) -> String {
    match rating {
        Rating::Level(level) => level.to_string(),
        other => other.state().to_string(),
    }
}

#[derive(Template)]
#[template(path = "scoring/indicator.html")]
struct IndicatorPage<'a> {
    t: Tr,
    chrome: Chrome,
    a: Assessment,
    element_code: String,
    element_name: String,
    indicator: bmma_core::framework::Indicator,
    scale: Vec<ScaleLevel>,
    scores: IndicatorScores<'a>,
    rating_period: bool,
    can_agree: bool,
    /// What the rating form shows: the caller's own rating, or what they just typed.
    rating_choice: String,
    rating_text: String,
    rating_version: i64,
    agreed_choice: String,
    agreed_text: String,
    agreed_version: i64,
    errors: Problems,
    /// The visits that observed this indicator: (site, date, notes).
    observed_at: Vec<(String, String, String)>,
    /// Whether the caller sees the evidence register.
    can_see_evidence: bool,
    /// The register's items linked to this indicator.
    evidence: Vec<EvidenceLink>,
    /// The items ticked in the two forms.
    rating_evidence: Vec<String>,
    agreed_evidence: Vec<String>,
    /// Titles of every item of the register, by id, for the citations of ratings.
    evidence_titles: HashMap<String, String>,
}

struct EvidenceLink {
    id: String,
    title: String,
    kind_key: String,
    has_file: bool,
}

impl IndicatorPage<'_> {
    fn evidence_title(&self, id: &str) -> String {
        self.evidence_titles.get(id).cloned().unwrap_or_else(|| id.to_string())
    }

    fn short(&self, rating: &Rating) -> String {
        short(rating)
    }

    fn states(&self) -> Vec<(&'static str, String)> {
        ["insufficient-evidence", "not-applicable", "not-assessed"]
            .into_iter()
            .map(|state| (state, self.t.get(format!("rating-{state}"))))
            .collect()
    }
}

/// Renders the indicator page; `failed` carries a save that was refused, to show again.
pub(crate) async fn indicator_page(
    state: &AppState,
    t: &Tr,
    auth: &Auth,
    id: &str,
    code: &str,
    failed: Option<(Kind, ScoreInput, Vec<FieldError>)>,
) -> Result<Response, WebError> {
    let access = assessment_for(state, auth, id, Action::ViewDrafts).await?;
    let loaded = state.app.framework_of(&access.assessment).await?;
    let framework = &loaded.framework;
    let (element, indicator) = framework.find_indicator(code).ok_or(WebError::NotFound)?;
    let data = state.app.score_data(&access).await?;
    let scores = board(&data, &access, &auth.user, framework)
        .indicators
        .into_iter()
        .find(|i| i.code == code)
        .ok_or(WebError::NotFound)?;
    let mut rating_choice = scores.mine.map(|r| choice_of(&r.rating)).unwrap_or_default();
    let mut rating_text = scores.mine.map(|r| r.justification.clone()).unwrap_or_default();
    let rating_version = scores.mine.map_or(0, |r| r.version);
    let mut agreed_choice = scores.agreed.map(|a| choice_of(&a.rating)).unwrap_or_default();
    let mut agreed_text = scores.agreed.map(|a| a.narrative.clone()).unwrap_or_default();
    let mut rating_evidence = scores.mine.map(|r| r.evidence.clone()).unwrap_or_default();
    let mut agreed_evidence = scores.agreed.map(|a| a.evidence.clone()).unwrap_or_default();
    let can_see_evidence = access.can(Action::Evidence);
    let register = if can_see_evidence { state.app.evidence(&access).await? } else { Vec::new() };
    let evidence_titles = register.iter().map(|e| (e.id.clone(), e.title.clone())).collect();
    let evidence = register
        .iter()
        .filter(|e| e.indicators.iter().any(|c| c == code))
        .map(|e| EvidenceLink {
            id: e.id.clone(),
            title: e.title.clone(),
            kind_key: format!("evidence-kind-{}", e.kind),
            has_file: e.file.is_some(),
        })
        .collect();
    let agreed_version = scores.agreed.map_or(0, |a| a.version);
    let sites = state.app.sites(&access).await?;
    let observed_at = state
        .app
        .visits(&access)
        .await?
        .into_iter()
        .filter(|v| v.observed.iter().any(|c| c == code))
        .map(|v| {
            let site =
                sites.iter().find(|s| s.id == v.site_id).map_or("?".to_string(), |s| s.site.name.clone());
            (site, v.date.to_string(), v.notes)
        })
        .collect();
    let mut errors = Vec::new();
    let status = if let Some((kind, input, problems)) = failed {
        let typed = input.choice.clone().unwrap_or_default();
        match kind {
            Kind::Rating => {
                (rating_choice, rating_text, rating_evidence) = (typed, input.text, input.evidence)
            }
            Kind::Agreed => {
                (agreed_choice, agreed_text, agreed_evidence) = (typed, input.text, input.evidence)
            }
        }
        errors = problems.iter().map(|e| (e.field, t.field_error(e))).collect();
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = IndicatorPage {
        t: t.clone(),
        chrome: Chrome::of(auth, "assessments"),
        rating_period: is_rating_period(access.assessment.status),
        can_agree: access.can(Action::Agree),
        a: access.assessment,
        element_code: element.code.clone(),
        element_name: element.name.clone(),
        indicator: indicator.clone(),
        scale: framework.scale.clone(),
        scores,
        rating_choice,
        rating_text,
        rating_version,
        agreed_choice,
        agreed_text,
        agreed_version,
        errors: errors.into(),
        observed_at,
        can_see_evidence,
        evidence,
        rating_evidence,
        agreed_evidence,
        evidence_titles,
    };
    render_status(status, &page)
}

pub async fn indicator(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path((id, code)): Path<(String, String)>,
) -> Result<Response, WebError> {
    indicator_page(&state, &t, &auth, &id, &code, None).await
}

struct Cell {
    code: String,
    class: String,
    label: String,
    flagged: bool,
    in_scope: bool,
}

struct ElementRow {
    code: String,
    name: String,
    method_key: String,
    score: String,
    explanation: String,
    flagged: bool,
    in_scope: usize,
    rated: usize,
    agreed: usize,
    disagreements: usize,
    assigned: String,
    cells: Vec<Cell>,
}

struct ComponentBlock {
    code: String,
    name: String,
    score: String,
    explanation: String,
    flagged: bool,
    elements: Vec<ElementRow>,
}

#[derive(Template)]
#[template(path = "scoring/scores.html")]
struct ScoresPage {
    t: Tr,
    chrome: Chrome,
    a: Assessment,
    components: Vec<ComponentBlock>,
    my_unrated: Vec<String>,
    my_total: usize,
    can_assign: bool,
}

fn explain(t: &Tr, method: bmma_core::AggregationMethod, aggregate: &Aggregate) -> String {
    if aggregate.counted == 0 {
        return t.get("scores-none-agreed");
    }
    let method = t.get(format!("method-{}", method.as_str()));
    let mut text = t.count_with(
        "scores-explanation",
        aggregate.counted,
        &[("method", &method), ("left_out", &aggregate.left_out.to_string())],
    );
    if aggregate.insufficient_evidence {
        text.push(' ');
        text.push_str(&t.get("scores-insufficient-evidence"));
    }
    text
}

fn rows(t: &Tr, framework: &Framework, board: ScoreBoard<'_>) -> Vec<ComponentBlock> {
    let mut by_code: BTreeMap<&str, IndicatorScores<'_>> =
        board.indicators.into_iter().map(|i| (i.code, i)).collect();
    let mut element_scores: BTreeMap<&str, ElementScore<'_>> =
        board.elements.into_iter().map(|e| (e.code, e)).collect();
    let component_scores: BTreeMap<&str, ComponentScore<'_>> =
        board.components.into_iter().map(|c| (c.code, c)).collect();
    framework
        .components
        .iter()
        .map(|component| ComponentBlock {
            code: component.code.clone(),
            name: component.name.clone(),
            score: component_scores
                .get(component.code.as_str())
                .and_then(|c| c.aggregate.score)
                .map_or("—".to_string(), |s| s.to_string()),
            explanation: component_scores
                .get(component.code.as_str())
                .map(|c| explain(t, c.method, &c.aggregate))
                .unwrap_or_default(),
            flagged: component_scores
                .get(component.code.as_str())
                .is_some_and(|c| c.aggregate.insufficient_evidence),
            elements: component
                .elements
                .iter()
                .filter_map(|element| {
                    let score = element_scores.remove(element.code.as_str())?;
                    let cells: Vec<Cell> = element
                        .indicators
                        .iter()
                        .filter_map(|i| by_code.remove(i.code.as_str()))
                        .map(|s| {
                            let (class, label) = match s.agreed.as_ref().map(|a| a.rating) {
                                Some(Rating::Level(level)) => (format!("level-{level}"), level.to_string()),
                                Some(other) => ("state".to_string(), short(&other)),
                                None => ("open".to_string(), String::new()),
                            };
                            let flagged = s.spread.is_some_and(|sp| sp.disagreement) && s.agreed.is_none();
                            Cell { code: s.code.to_string(), class, label, flagged, in_scope: s.in_scope }
                        })
                        .collect();
                    Some(ElementRow {
                        code: element.code.clone(),
                        name: element.name.clone(),
                        method_key: format!("method-{}", element.aggregation.as_str()),
                        score: score.aggregate.score.map_or("—".to_string(), |s| s.to_string()),
                        explanation: explain(t, score.method, &score.aggregate),
                        flagged: score.aggregate.insufficient_evidence,
                        in_scope: score.in_scope,
                        rated: score.rated,
                        agreed: score.agreed,
                        disagreements: score.disagreements,
                        // Filled in by the caller, which knows the members' names.
                        assigned: String::new(),
                        cells,
                    })
                })
                .collect(),
        })
        .collect()
}

pub async fn scores(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let access = assessment_for(&state, &auth, &id, Action::ViewDrafts).await?;
    let loaded = state.app.framework_of(&access.assessment).await?;
    let framework = &loaded.framework;
    let data = state.app.score_data(&access).await?;
    let board = board(&data, &access, &auth.user, framework);
    let mine: Vec<&IndicatorScores<'_>> =
        board.indicators.iter().filter(|i| i.mine_to_rate && i.in_scope).collect();
    let my_total = mine.len();
    let my_unrated = mine.iter().filter(|i| i.mine.is_none()).map(|i| i.code.to_string()).collect();
    let names: BTreeMap<&str, &str> =
        data.members().iter().map(|m| (m.user_id.as_str(), m.name.as_str())).collect();
    let mut components = rows(&t, framework, board);
    for element in components.iter_mut().flat_map(|c| c.elements.iter_mut()) {
        let experts: Vec<&str> = data
            .assignments()
            .iter()
            .filter(|(e, _)| *e == element.code)
            .map(|(_, u)| names.get(u.as_str()).copied().unwrap_or("?"))
            .collect();
        element.assigned = experts.join(", ");
    }
    render(&ScoresPage {
        t: t.clone(),
        chrome: Chrome::of(&auth, "assessments"),
        can_assign: access.can(Action::Assign),
        a: access.assessment,
        components,
        my_unrated,
        my_total,
    })
}

/// The answer to a save from the indicator page: back to it, or the page again with the
/// problems beside what was typed.
async fn save_form(
    state: &AppState,
    t: &Tr,
    auth: &Auth,
    id: &str,
    code: &str,
    kind: Kind,
    input: ScoreInput,
) -> Result<Response, WebError> {
    match save(state, auth, id, code, kind, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/assessments/{id}/indicators/{code}")).into_response()),
        Err(WebError::Invalid(errors)) => {
            indicator_page(state, t, auth, id, code, Some((kind, input, errors))).await
        }
        Err(e) => Err(e),
    }
}

pub async fn rating_form(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path((id, code)): Path<(String, String)>,
    typed: Typed,
) -> Result<Response, WebError> {
    save_form(&state, &t, &auth, &id, &code, Kind::Rating, ScoreInput::from_form(typed.pairs)).await
}

pub async fn agreed_form(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path((id, code)): Path<(String, String)>,
    typed: Typed,
) -> Result<Response, WebError> {
    save_form(&state, &t, &auth, &id, &code, Kind::Agreed, ScoreInput::from_form(typed.pairs)).await
}
