//! Warnings about how a framework is written: the habits that make two experts score the
//! same evidence differently. A framework with warnings is still valid; `bmma framework
//! lint` lists them so that a new version can be written without them.

use std::collections::BTreeSet;

use bmma_core::framework::Framework;
use serde::Serialize;

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// A level from 2 up says what is missing rather than what is present; only level 1
    /// ("nothing of level 2") may be phrased as an absence.
    LevelAsAbsence,
    /// A level asks for what the same indicator lists under "does not count".
    LevelCountsWhatDoesNot,
    /// A level uses a quantifier ("most", "nearly all" …) that the file does not define.
    UndefinedQuantifier,
    /// A level's descriptor uses none of the words that say what the scale's level stands
    /// for, so the indicator's ladder does not follow the scale.
    LadderSkipsScale,
    /// An element does not say why it combines its indicators the way it does.
    AggregationWithoutReason,
}

/// One warning: the indicator or element, the level when it is about one, and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The code of the indicator, or of the element for a warning about an element.
    pub code: String,
    pub level: Option<u8>,
    pub rule: Rule,
    /// The words that raised it, as written.
    pub found: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = match self.level {
            Some(level) => format!("{} level {level}", self.code),
            None => self.code.clone(),
        };
        let what = match self.rule {
            Rule::LevelAsAbsence => "says what is missing; state what is present at this level",
            Rule::LevelCountsWhatDoesNot => "asks for what the indicator says does not count",
            Rule::UndefinedQuantifier => "uses a quantifier the framework does not define",
            Rule::LadderSkipsScale => "does not use what this level of the scale stands for",
            Rule::AggregationWithoutReason => "gives no aggregation_reason for its aggregation",
        };
        write!(f, "{at}: {what}: \"{}\"", self.found)
    }
}

/// Words that describe an absence. Matched as whole words, in lower case.
const ABSENCE: &[&str] = &[
    "no", "not", "none", "nothing", "without", "lacking", "lacks", "lack", "missing", "absent", "neither",
    "nor", "never", "unless",
];

/// Quantifiers a level may use only when the framework defines them, longest first, so
/// that "nearly all" is reported rather than the "all" inside it.
const QUANTIFIERS: &[&str] = &[
    "occasionally",
    "nearly all",
    "almost all",
    "sufficient",
    "regularly",
    "majority",
    "adequate",
    "several",
    "usually",
    "most of",
    "rarely",
    "often",
    "every",
    "most",
    "some",
    "many",
    "few",
    "all",
];

/// How many words in a row a level must share with a "does not count" entry to repeat it.
const REPEATED_WORDS: usize = 4;

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The first run of `REPEATED_WORDS` words of `entry` that `level` contains too.
fn shared_run(level: &[String], entry: &[String]) -> Option<String> {
    if entry.len() < REPEATED_WORDS {
        return None;
    }
    let runs: BTreeSet<&[String]> = level.windows(REPEATED_WORDS).collect();
    entry.windows(REPEATED_WORDS).find(|run| runs.contains(run)).map(|run| run.join(" "))
}

/// Every warning for `framework`, indicator by indicator in the file's order.
pub fn lint(framework: &Framework) -> Vec<Warning> {
    let defined: BTreeSet<String> = framework.quantifiers.iter().map(|q| q.term.to_lowercase()).collect();
    let mut warnings = Vec::new();
    for element in framework.elements().filter(|e| e.aggregation_reason.is_empty()) {
        warnings.push(Warning {
            code: element.code.clone(),
            level: None,
            rule: Rule::AggregationWithoutReason,
            found: element.aggregation.as_str().to_string(),
        });
    }
    for indicator in framework.indicators() {
        let excluded: Vec<Vec<String>> = indicator.evidence.does_not_count.iter().map(|e| words(e)).collect();
        for level in &indicator.levels {
            let text = words(&level.text);
            let mut warn = |rule, found: String| {
                warnings.push(Warning { code: indicator.code.clone(), level: Some(level.level), rule, found })
            };
            if level.level >= 2
                && let Some(word) = text.iter().find(|w| ABSENCE.contains(&w.as_str()))
            {
                warn(Rule::LevelAsAbsence, word.clone());
            }
            if let Some(scale) = framework.scale.iter().find(|s| s.level == level.level)
                && !scale.terms.is_empty()
                && !scale.terms.iter().any(|term| text.iter().any(|w| w.starts_with(term.as_str())))
            {
                warn(Rule::LadderSkipsScale, scale.terms.join(", "));
            }
            for entry in &excluded {
                if let Some(run) = shared_run(&text, entry) {
                    warn(Rule::LevelCountsWhatDoesNot, run);
                }
            }
            let mut seen = format!(" {} ", text.join(" "));
            for phrase in QUANTIFIERS {
                let padded = format!(" {phrase} ");
                if seen.contains(&padded) {
                    seen = seen.replace(&padded, " ");
                    if !defined.contains(*phrase) {
                        warn(Rule::UndefinedQuantifier, phrase.to_string());
                    }
                }
            }
        }
    }
    warnings
}
