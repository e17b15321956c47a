//! Framework files: the built-in framework and the loader that reads any framework file.
//!
//! A file is parsed, then checked against the rules of the format; every problem is
//! reported with the file name, line and column, so an author can go straight to it.

pub mod calibration;
mod file;
pub mod lint;

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use bmma_core::aggregation::{AggregateScore, AggregationMethod, ConversionRow, ConversionTable};
use bmma_core::framework::{
    Agency, Component, Element, EvidenceGuidance, Framework, Indicator, LevelDescriptor, Quantifier,
    ReferenceList, ScaleLevel, ScoringRules, SuggestedAction, Topic,
};
use serde_saphyr::{Location, Spanned};

pub use file::{FORMAT, FrameworkFile};

/// The frameworks shipped inside the binary: (file name, text).
pub const BUILTIN: &[(&str, &str)] = &[
    ("bmm-1.0.yaml", include_str!("../frameworks/bmm-1.0.yaml")),
    ("bmm-2.0.yaml", include_str!("../frameworks/bmm-2.0.yaml")),
];

/// The calibration sets shipped with the built-in frameworks: (file name, text). Each names
/// the framework version it was written for.
pub const BUILTIN_CALIBRATION: &[(&str, &str)] =
    &[("bmm-2.0.calibration.yaml", include_str!("../frameworks/bmm-2.0.calibration.yaml"))];

/// Loads the built-in calibration set written for `framework`, if there is one.
pub fn builtin_calibration(
    framework: &Framework,
) -> Option<Result<bmma_core::calibration::CalibrationSet, LoadError>> {
    let wanted = format!("framework: {}", framework.reference());
    BUILTIN_CALIBRATION
        .iter()
        .find(|(_, text)| text.lines().any(|line| line.trim() == wanted))
        .map(|(name, text)| calibration::load_set(name, text, framework))
}

/// The smallest useful framework: a starting point for authors, and a fixture for tests.
pub const MINIMAL_EXAMPLE: &str = include_str!("../frameworks/examples/minimal.yaml");

/// Loads every built-in framework. They are checked by the test suite, so a failure here is
/// a defect of the build, reported as an error all the same.
pub fn builtin() -> Result<Vec<Framework>, LoadError> {
    BUILTIN.iter().map(|(name, text)| load_str(name, text)).collect()
}

/// One problem in a framework file, at a line and column (both counted from 1; 0 when the
/// parser could not tell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

/// Why a framework file could not be loaded: every problem found, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub source: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, p) in self.problems.iter().enumerate() {
            if n > 0 {
                writeln!(f)?;
            }
            write!(f, "{}:{}:{}: {}", self.source, p.line, p.column, p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// Loads a framework from YAML text. `source` names the text in messages (a file name).
pub fn load_str(source: &str, text: &str) -> Result<Framework, LoadError> {
    let parsed: FrameworkFile = serde_saphyr::from_str(text).map_err(|e| parse_error(source, &e))?;
    let mut checker = Checker::default();
    let framework = checker.convert(parsed);
    checker.problems.finish(source)?;
    Ok(framework)
}

/// The problems found in one file, collected as it is checked.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, at: Location, message: String) {
        self.0.push(Problem { line: at.line(), column: at.column(), message });
    }

    /// Nothing when no problem was found; otherwise every problem, in file order.
    fn finish(mut self, source: &str) -> Result<(), LoadError> {
        if self.0.is_empty() {
            return Ok(());
        }
        self.0.sort_by_key(|p| (p.line, p.column));
        Err(LoadError { source: source.to_string(), problems: self.0 })
    }
}

/// A file the parser could not read, as a load error at the parser's position.
fn parse_error(source: &str, error: &serde_saphyr::Error) -> LoadError {
    let (line, column) = error.location().map_or((0, 0), |l| (l.line(), l.column()));
    LoadError {
        source: source.to_string(),
        problems: vec![Problem { line, column, message: parse_message(error) }],
    }
}

/// The parser's message without the snippet and position it renders around it; the
/// position is reported separately.
fn parse_message(error: &serde_saphyr::Error) -> String {
    let full = error.to_string();
    let first = full.lines().next().unwrap_or_default().trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // Drop a leading "line 3 column 7: " and a trailing " at line 3 column 7".
    let first = match first.strip_prefix("line ").and_then(|rest| rest.split_once(": ")) {
        Some((position, rest)) if position.contains(" column ") => rest,
        _ => first,
    };
    match first.find(" at line ") {
        Some(cut) => first[..cut].to_string(),
        None => first.to_string(),
    }
}

/// The JSON Schema of the framework file format, for editors.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(FrameworkFile)).unwrap_or_default()
}

/// What the file declares at the top, which its indicators may refer to.
#[derive(Clone, Copy)]
struct Declared<'a> {
    levels: &'a [u8],
    topics: &'a HashSet<String>,
    agencies: &'a HashSet<String>,
}

#[derive(Default)]
struct Checker {
    problems: Problems,
    codes: HashSet<String>,
}

impl Checker {
    fn problem(&mut self, at: Location, message: String) {
        self.problems.add(at, message);
    }

    /// The ids declared in a top-level list (topics, agencies), each named once.
    fn declared<'a>(
        &mut self,
        ids: impl Iterator<Item = &'a Spanned<String>>,
        what: &str,
    ) -> HashSet<String> {
        let mut declared = HashSet::new();
        for id in ids {
            if !declared.insert(id.value.clone()) {
                self.problem(id.referenced, format!("duplicate {what} '{}'", id.value));
            }
        }
        declared
    }

    /// Records a component, element or indicator code, refusing empty, badly formed and
    /// duplicate codes. Codes must be unique across the whole framework.
    fn code(&mut self, code: &Spanned<String>, what: &str) -> String {
        let value = code.value.trim().to_string();
        if value.is_empty() || value.chars().any(|c| c.is_whitespace() || c == '@') {
            self.problem(
                code.referenced,
                format!("{what} code '{value}' must be non-empty, without spaces or '@'"),
            );
        } else if !self.codes.insert(value.clone()) {
            self.problem(code.referenced, format!("duplicate code '{value}'"));
        }
        value
    }

    fn text(&mut self, at: Location, what: &str, value: String) -> String {
        if value.trim().is_empty() {
            self.problem(at, format!("{what} is empty"));
        }
        value.trim().to_string()
    }

    fn convert(&mut self, file: FrameworkFile) -> Framework {
        if file.format.value != FORMAT {
            self.problem(
                file.format.referenced,
                format!("format is '{}'; this version of bmma reads '{FORMAT}'", file.format.value),
            );
        }
        let id_ok = !file.id.value.is_empty()
            && file.id.value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !id_ok {
            self.problem(
                file.id.referenced,
                format!("id '{}' must use only lower case letters, digits and '-'", file.id.value),
            );
        }
        let version_ok = !file.version.value.is_empty()
            && file.version.value.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if !version_ok {
            self.problem(
                file.version.referenced,
                format!("version '{}' must use only letters, digits, '.' and '-'", file.version.value),
            );
        }
        let top = file.id.referenced;

        let scale = self.scale(&file.scale, top);
        let levels: Vec<u8> = scale.iter().map(|l| l.level).collect();
        let averaging = self.averaging(&file.averaging, &levels, top);

        let topic_ids = self.declared(file.topics.iter().map(|t| &t.id), "topic");
        let topics: Vec<Topic> =
            file.topics.into_iter().map(|t| Topic { id: t.id.value, name: t.name }).collect();
        let agency_ids = self.declared(file.agencies.iter().map(|a| &a.id), "agency");
        let agencies: Vec<Agency> =
            file.agencies.into_iter().map(|a| Agency { id: a.id.value, name: a.name }).collect();

        if file.components.is_empty() {
            self.problem(top, "a framework needs at least one component".into());
        }
        let declared = Declared { levels: &levels, topics: &topic_ids, agencies: &agency_ids };
        let components = file.components.into_iter().map(|c| self.component(c, &declared)).collect();

        Framework {
            id: file.id.value,
            version: file.version.value,
            name: self.text(top, "name", file.name),
            summary: file.summary.trim().to_string(),
            language: file.language,
            scale,
            quantifiers: file
                .quantifiers
                .into_iter()
                .map(|q| Quantifier { term: q.term, meaning: q.meaning })
                .collect(),
            topics,
            averaging,
            agencies,
            rules: ScoringRules {
                sampling: file.rules.sampling.trim().to_string(),
                thin_evidence: file.rules.thin_evidence.trim().to_string(),
                periods: file.rules.periods.trim().to_string(),
            },
            components,
        }
    }

    fn scale(&mut self, file: &[file::ScaleLevelFile], top: Location) -> Vec<ScaleLevel> {
        if file.len() < 2 {
            self.problem(top, "the scale needs at least two levels".into());
        }
        let mut scale = Vec::with_capacity(file.len());
        for (n, level) in file.iter().enumerate() {
            if let Some(previous) = scale.last().map(|l: &ScaleLevel| l.level)
                && level.level.value != previous.wrapping_add(1)
            {
                self.problem(
                    level.level.referenced,
                    format!(
                        "scale level {} follows level {previous}; levels must be numbered consecutively, lowest first",
                        level.level.value
                    ),
                );
            }
            let name = self.text(
                level.level.referenced,
                &format!("the name of scale level {}", n + 1),
                level.name.clone(),
            );
            scale.push(ScaleLevel {
                level: level.level.value,
                name,
                meaning: level.meaning.trim().to_string(),
                terms: level
                    .terms
                    .iter()
                    .map(|t| t.trim().to_lowercase())
                    .filter(|t| !t.is_empty())
                    .collect(),
            });
        }
        scale
    }

    fn averaging(
        &mut self,
        file: &[file::ConversionRowFile],
        levels: &[u8],
        top: Location,
    ) -> ConversionTable {
        let mut rows = Vec::with_capacity(file.len());
        for row in file {
            let tenths = row.from.value * 10.0;
            if tenths < 0.0 || (tenths - tenths.round()).abs() > 1e-9 {
                self.problem(
                    row.from.referenced,
                    format!(
                        "averaging: 'from: {}' must be a positive number with at most one decimal place",
                        row.from.value
                    ),
                );
                continue;
            }
            match AggregateScore::parse_level(&row.score) {
                Some(score @ AggregateScore::Level { level, .. }) if levels.contains(&level) => {
                    rows.push(ConversionRow { from_tenths: tenths.round() as u32, score });
                }
                _ => self.problem(
                    row.from.referenced,
                    format!(
                        "averaging: score '{}' is not a level of the scale, with or without '+'",
                        row.score
                    ),
                ),
            }
        }
        let lowest = u32::from(levels.first().copied().unwrap_or(1)) * 10;
        if !rows.iter().any(|r| r.from_tenths <= lowest) {
            self.problem(top, "averaging: the table needs a row whose 'from' is at or below the lowest level, so that every mean converts".into());
        }
        ConversionTable::new(rows).unwrap_or_else(|| {
            self.problem(top, "averaging: two rows have the same 'from'".into());
            ConversionTable::new(Vec::new())
                .unwrap_or_else(|| unreachable!("an empty table is never ambiguous"))
        })
    }

    fn component(&mut self, file: file::ComponentFile, declared: &Declared) -> Component {
        let code = self.code(&file.code, "component");
        if file.elements.is_empty() {
            self.problem(file.code.referenced, format!("component {code} has no elements"));
        }
        Component {
            name: self.text(file.code.referenced, &format!("the name of component {code}"), file.name),
            summary: file.summary.trim().to_string(),
            aggregation: file.aggregation.unwrap_or(AggregationMethod::Averaging),
            elements: file.elements.into_iter().map(|e| self.element(e, declared)).collect(),
            code,
        }
    }

    fn element(&mut self, file: file::ElementFile, declared: &Declared) -> Element {
        let code = self.code(&file.code, "element");
        if file.indicators.is_empty() {
            self.problem(file.code.referenced, format!("element {code} has no indicators"));
        }
        Element {
            name: self.text(file.code.referenced, &format!("the name of element {code}"), file.name),
            summary: file.summary.trim().to_string(),
            aggregation: file.aggregation,
            aggregation_reason: file.aggregation_reason.trim().to_string(),
            indicators: file.indicators.into_iter().map(|i| self.indicator(i, declared)).collect(),
            code,
        }
    }

    fn indicator(&mut self, file: file::IndicatorFile, declared: &Declared) -> Indicator {
        let Declared { levels, topics, agencies } = *declared;
        let at = file.code.referenced;
        let code = self.code(&file.code, "indicator");
        for level in levels {
            match file.levels.get(level) {
                None => self.problem(at, format!("indicator {code}: level {level} has no descriptor")),
                Some(text) if text.trim().is_empty() => {
                    self.problem(at, format!("indicator {code}: the descriptor of level {level} is empty"))
                }
                Some(_) => {}
            }
        }
        for level in file.levels.keys().filter(|l| !levels.contains(l)) {
            self.problem(at, format!("indicator {code}: level {level} is not on the scale"));
        }
        let top = levels.last().copied().unwrap_or_default();
        for level in file.actions.keys().filter(|l| !levels.contains(l) || **l == top) {
            self.problem(at, format!("indicator {code}: an action from level {level} is not possible; actions lead from a level to the next one up"));
        }
        for topic in file.topics.iter().filter(|t| !topics.contains(*t)) {
            self.problem(at, format!("indicator {code}: topic '{topic}' is not declared under 'topics'"));
        }
        let actions: Vec<SuggestedAction> = file
            .actions
            .into_iter()
            .map(|(from_level, action)| match action {
                file::ActionFile::Text(text) => {
                    SuggestedAction { from_level, text: text.trim().to_string(), horizon: None, agency: None, cost: None }
                }
                file::ActionFile::Planned(planned) => {
                    if !agencies.contains(&planned.agency) {
                        self.problem(at, format!("indicator {code}: the action from level {from_level} names agency '{}', which is not declared under 'agencies'", planned.agency));
                    }
                    SuggestedAction {
                        from_level,
                        text: planned.text.trim().to_string(),
                        horizon: Some(planned.horizon),
                        agency: Some(planned.agency),
                        cost: Some(planned.cost),
                    }
                }
            })
            .collect();
        for action in actions.iter().filter(|a| a.text.is_empty()) {
            self.problem(
                at,
                format!("indicator {code}: the action from level {} is empty", action.from_level),
            );
        }
        let reference_list = file.reference_list.map(|list| {
            if list.name.trim().is_empty() || list.items.is_empty() {
                self.problem(
                    at,
                    format!("indicator {code}: a reference list needs a name and at least one item"),
                );
            }
            ReferenceList { name: list.name.trim().to_string(), items: list.items }
        });
        let title = self.text(at, &format!("the title of indicator {code}"), file.title);
        let question = self.text(at, &format!("the question of indicator {code}"), file.question);
        Indicator {
            title,
            question,
            topics: file.topics,
            levels: descriptors(file.levels),
            evidence: EvidenceGuidance {
                documents: file.evidence.documents,
                interviews: file.evidence.interviews,
                observation: file.evidence.observation,
                does_not_count: file.evidence.does_not_count,
            },
            not_applicable: file.not_applicable.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()),
            reference_list,
            actions,
            code,
        }
    }
}

fn descriptors(levels: BTreeMap<u8, String>) -> Vec<LevelDescriptor> {
    levels.into_iter().map(|(level, text)| LevelDescriptor { level, text: text.trim().to_string() }).collect()
}
