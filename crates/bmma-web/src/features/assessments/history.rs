//! The history of an assessment in words: each entry of the audit trail names what it is about
//! (the indicator, the element, the evidence item, the person or the site) and what changed,
//! from the details the entry recorded. The trail itself keeps those details exactly as
//! written and hashed; only their reading happens here.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use bmma_app::records::AuditEntry;
use bmma_app::scores::board;
use bmma_core::{Action, Assessment, Framework, Rating};
use serde_json::Value;

use crate::http::access::assessment_for;
use crate::http::auth::Auth;
use crate::http::error::WebError;
use crate::http::format::date;
use crate::http::page::{Chrome, render};
use crate::i18n::Tr;
use crate::state::AppState;

/// An entry as the History page shows it.
pub(crate) struct Described {
    /// What the entry is about: "A.1.2 Border agency mandate", an item's title, an e-mail.
    pub subject: String,
    /// What changed, in a sentence.
    pub detail: String,
}

/// What the reading of entries needs beside the entries themselves.
pub(crate) struct Context<'a> {
    pub t: &'a Tr,
    pub framework: &'a Framework,
    /// Site id → name, for visits (a visit's entry names its site by id).
    pub sites: HashMap<String, String>,
}

fn text<'v>(value: &'v Value, key: &str) -> &'v str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

fn parse(json: Option<&str>) -> Value {
    json.and_then(|j| serde_json::from_str(j).ok()).unwrap_or(Value::Null)
}

impl Context<'_> {
    /// The entry in words. `withheld` keeps another expert's rating out of the detail.
    pub fn describe(&self, entry: &AuditEntry, withheld: bool) -> Described {
        let t = self.t;
        let before = parse(entry.before.as_deref());
        let after = parse(entry.after.as_deref());
        let code = entry.entity_id.rsplit('/').next().unwrap_or("");
        let (subject, detail) = match (entry.entity.as_str(), entry.action.as_str()) {
            ("assessment", "create") => (
                text(&after, "title").to_string(),
                t.with("history-detail-opened", &[("framework", &framework_name(&after["framework"]))]),
            ),
            ("assessment", "change-status") => (
                String::new(),
                t.with(
                    "history-detail-status",
                    &[
                        ("from", &t.get(format!("status-{}", text(&before, "status")))),
                        ("to", &t.get(format!("status-{}", text(&after, "status")))),
                    ],
                ),
            ),
            ("assessment", "set-scope") => (String::new(), self.scope(&after)),
            ("assessment", "set-plan") => (
                String::new(),
                t.with(
                    "history-detail-plan",
                    &[
                        ("counterparts", &count(&after["counterparts"]).to_string()),
                        ("milestones", &count(&after["milestones"]).to_string()),
                    ],
                ),
            ),
            ("assessment", "share") => (
                String::new(),
                t.with(
                    "history-detail-sharing",
                    &[
                        ("donors", &self.yes_no(&after["with_donors"])),
                        ("validation", &self.yes_no(&after["for_validation"])),
                    ],
                ),
            ),
            ("assessment", "load-scores") => (
                String::new(),
                t.with(
                    "history-detail-loaded",
                    &[
                        ("assignments", &number(&after["assignments"])),
                        ("ratings", &number(&after["ratings"])),
                        ("agreed", &number(&after["agreed"])),
                    ],
                ),
            ),
            ("membership", "set-member") => {
                let role = self.role(&after);
                let detail = if before.is_null() {
                    t.with("history-detail-role", &[("role", &role)])
                } else {
                    t.with("history-detail-role-changed", &[("from", &self.role(&before)), ("to", &role)])
                };
                (text(&after, "email").to_string(), detail)
            }
            ("membership", _) => (
                text(&before, "email").to_string(),
                t.with("history-detail-role", &[("role", &self.role(&before))]),
            ),
            ("invitation", "end") => (text(&before, "email").to_string(), String::new()),
            ("invitation", _) => (
                text(&after, "email").to_string(),
                t.with("history-detail-role", &[("role", &self.role(&after))]),
            ),
            ("element", _) => {
                let experts: Vec<&str> =
                    after["experts"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
                let detail = if experts.is_empty() {
                    t.get("history-detail-nobody-assigned")
                } else {
                    t.with("history-detail-assigned", &[("experts", &experts.join(", "))])
                };
                (self.element_name(code), detail)
            }
            ("indicator", action) => {
                let detail = if withheld {
                    String::new()
                } else {
                    let words = if action == "agree" {
                        text(&after, "narrative")
                    } else {
                        text(&after, "justification")
                    };
                    let cited = count(&after["evidence"]);
                    let mut detail = format!("{}: {words}", self.rating(&after["rating"]));
                    if cited > 0 {
                        detail.push(' ');
                        detail.push_str(&t.count("history-detail-cites", cited));
                    }
                    detail
                };
                (self.indicator_name(code), detail)
            }
            ("evidence", "create") => {
                let item = &after["item"];
                let kind = t.get(format!("evidence-kind-{}", text(item, "kind")));
                let file = after["file"].get(0).and_then(Value::as_str);
                let detail = match file {
                    Some(name) => t.with("history-detail-evidence-file", &[("kind", &kind), ("file", name)]),
                    None => kind,
                };
                (text(item, "title").to_string(), detail)
            }
            ("evidence", _) => {
                (text(&after, "title").to_string(), t.get(format!("evidence-kind-{}", text(&after, "kind"))))
            }
            ("site", _) => {
                (text(&after, "name").to_string(), t.get(format!("site-kind-{}", text(&after, "kind"))))
            }
            ("visit", _) => {
                let site = self.sites.get(text(&after, "site_id")).cloned().unwrap_or_default();
                let observed = count(&after["observed"]);
                (
                    site,
                    t.with(
                        "history-detail-visit",
                        &[("date", text(&after, "date")), ("observed", &observed.to_string())],
                    ),
                )
            }
            _ => (String::new(), String::new()),
        };
        Described { subject, detail }
    }

    fn indicator_name(&self, code: &str) -> String {
        match self.framework.indicators().find(|i| i.code == code) {
            Some(indicator) => format!("{code} {}", indicator.title),
            None => code.to_string(),
        }
    }

    fn element_name(&self, code: &str) -> String {
        match self.framework.elements().find(|e| e.code == code) {
            Some(element) => format!("{code} {}", element.name),
            None => code.to_string(),
        }
    }

    fn scope(&self, after: &Value) -> String {
        match after.as_array() {
            None => self.t.get("history-detail-scope-everything"),
            Some(codes) => {
                let codes: Vec<&str> = codes.iter().filter_map(Value::as_str).collect();
                self.t.with("history-detail-scope", &[("codes", &codes.join(", "))])
            }
        }
    }

    fn role(&self, value: &Value) -> String {
        self.t.get(format!("role-{}", text(value, "role")))
    }

    fn yes_no(&self, value: &Value) -> String {
        self.t.get(if value.as_bool() == Some(true) { "history-yes" } else { "history-no" })
    }

    fn rating(&self, value: &Value) -> String {
        match serde_json::from_value::<Rating>(value.clone()) {
            Ok(Rating::Level(level)) => self.t.with("history-detail-level", &[("level", &level.to_string())]),
            Ok(other) => self.t.get(format!("rating-{}", other.state())),
            Err(_) => String::new(),
        }
    }
}

/// How many entries a list holds (0 for anything else).
fn count(value: &Value) -> usize {
    value.as_array().map_or(0, Vec::len)
}

fn number(value: &Value) -> String {
    value.as_i64().unwrap_or(0).to_string()
}

/// A framework reference as recorded: `id@version` text, or its parts.
fn framework_name(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => format!("{}@{}", text(other, "id"), text(other, "version")),
    }
}

struct HistoryRow {
    seq: i64,
    at: String,
    at_short: String,
    who: String,
    what: String,
    /// What the entry is about, and what changed, in words.
    subject: String,
    detail: String,
    /// Another expert's rating the caller may not see yet: only that it happened is shown.
    withheld: bool,
}

#[derive(Template)]
#[template(path = "assessments/history.html")]
struct HistoryPage {
    t: Tr,
    chrome: Chrome,
    a: Assessment,
    entries: Vec<HistoryRow>,
}

pub async fn history(
    State(state): State<AppState>,
    t: Tr,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let access = assessment_for(&state, &auth, &id, Action::ViewHistory).await?;
    // The trail shows ratings under the scores board's rule: another expert's rating of an
    // indicator stays hidden until the caller has rated it too.
    let loaded = state.app.framework_of(&access.assessment).await?;
    let data = state.app.score_data(&access).await?;
    let board = board(&data, &access, &auth.user, &loaded.framework);
    let hidden = board.hidden_ratings();
    let sites = state.app.sites(&access).await?.into_iter().map(|s| (s.id, s.site.name)).collect();
    let words = Context { t: &t, framework: &loaded.framework, sites };
    let entries = state
        .app
        .history(&access)
        .await?
        .into_iter()
        .map(|e| {
            let (day, iso) = date(e.at);
            let withheld = e.action == "rate"
                && e.actor_id.as_deref() != Some(auth.user.id.as_str())
                && e.entity_id.rsplit('/').next().is_some_and(|code| hidden.contains(code));
            let described = words.describe(&e, withheld);
            HistoryRow {
                seq: e.seq,
                at_short: format!("{day} {}", iso.get(11..16).unwrap_or("")),
                at: iso,
                who: e.actor_email,
                what: t.get(format!("audit-{}-{}", e.entity, e.action)),
                subject: described.subject,
                detail: described.detail,
                withheld,
            }
        })
        .collect();
    render(&HistoryPage {
        t: t.clone(),
        chrome: Chrome::of(&auth, "assessments"),
        a: access.assessment,
        entries,
    })
}
