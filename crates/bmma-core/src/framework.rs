//! A framework: components, elements and indicators, with a scale of capacity levels.
//!
//! Frameworks are data. The catalog crate reads them from files and validates them; these
//! types hold a framework that has passed validation, so code here may rely on its rules
//! (unique codes, one descriptor per level of the scale).

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::aggregation::{AggregationMethod, ConversionTable};

/// Names one version of one framework, written `id@version`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FrameworkRef {
    pub id: String,
    pub version: String,
}

/// `id@version`, or the bare id when no version is named.
impl fmt::Display for FrameworkRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.version.is_empty() {
            f.write_str(&self.id)
        } else {
            write!(f, "{}@{}", self.id, self.version)
        }
    }
}

/// Parses `id@version`, or a bare `id` (version left empty, meaning "the newest").
impl FromStr for FrameworkRef {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (id, version) = match text.split_once('@') {
            Some((id, version)) if !version.is_empty() => (id, version),
            Some(_) => return Err(format!("'{text}' has an empty version after '@'")),
            None => (text, ""),
        };
        if id.is_empty() {
            return Err(format!("'{text}' has no framework id"));
        }
        Ok(FrameworkRef { id: id.to_string(), version: version.to_string() })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Framework {
    pub id: String,
    pub version: String,
    pub name: String,
    pub summary: String,
    /// BCP 47 tag of the language the texts are written in.
    pub language: String,
    pub scale: Vec<ScaleLevel>,
    /// Words with a fixed meaning wherever a descriptor uses them ("most": 75% or more).
    pub quantifiers: Vec<Quantifier>,
    /// Themes that cut across components (travel documents, health, ...), so a reader can
    /// find every indicator that touches one.
    pub topics: Vec<Topic>,
    /// The conversion table used by elements whose method is averaging.
    pub averaging: ConversionTable,
    /// The kinds of agency a suggested action can name as responsible.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub agencies: Vec<Agency>,
    /// How raters go from what they examined to a rating, for every indicator.
    #[serde(skip_serializing_if = "ScoringRules::is_empty")]
    pub rules: ScoringRules,
    pub components: Vec<Component>,
}

/// A kind of agency ("border-agency": Border police or guard).
#[derive(Debug, Clone, Serialize)]
pub struct Agency {
    pub id: String,
    pub name: String,
}

/// The framework-wide rules that every indicator's levels rely on. Empty when the file
/// states none.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScoringRules {
    /// How the posts and systems examined speak for the whole country.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sampling: String,
    /// What to do with evidence that mentions a matter but is too thin to place.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub thin_evidence: String,
    /// Which periods of records a level's "recent period" accepts.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub periods: String,
}

impl ScoringRules {
    pub fn is_empty(&self) -> bool {
        self.sampling.is_empty() && self.thin_evidence.is_empty() && self.periods.is_empty()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ScaleLevel {
    pub level: u8,
    pub name: String,
    pub meaning: String,
    /// Words that say what the level stands for ("written", "applied", "reviewed"); each
    /// indicator's descriptor of the level uses one of them. Empty when the file names none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Quantifier {
    pub term: String,
    pub meaning: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Topic {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Component {
    pub code: String,
    pub name: String,
    pub summary: String,
    /// How the component's score combines the agreed scores of all its indicators.
    pub aggregation: AggregationMethod,
    pub elements: Vec<Element>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Element {
    pub code: String,
    pub name: String,
    pub summary: String,
    pub aggregation: AggregationMethod,
    /// Why the element combines its indicators this way. Empty when the file gives none.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub aggregation_reason: String,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    pub code: String,
    pub title: String,
    pub question: String,
    pub topics: Vec<String>,
    /// One descriptor per level of the scale, lowest first.
    pub levels: Vec<LevelDescriptor>,
    pub evidence: EvidenceGuidance,
    /// When the indicator does not apply to a state, so that raters choose "not applicable".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<String>,
    /// A list the levels refer to by its name ("the core instruments").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_list: Option<ReferenceList>,
    /// Actions that lift the indicator from a level to the next one.
    pub actions: Vec<SuggestedAction>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReferenceList {
    pub name: String,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelDescriptor {
    pub level: u8,
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct EvidenceGuidance {
    pub documents: Vec<String>,
    pub interviews: Vec<String>,
    pub observation: Vec<String>,
    pub does_not_count: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SuggestedAction {
    pub from_level: u8,
    pub text: String,
    /// How long the action usually takes; unknown for frameworks that do not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub horizon: Option<Horizon>,
    /// The id of the kind of agency usually responsible, one of the framework's agencies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<CostClass>,
}

/// How long an action usually takes, in the road map's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Horizon {
    /// Within 12 months.
    Short,
    /// One to three years.
    Medium,
    /// Beyond three years.
    Long,
}

/// A rough cost class: what kind of decision pays for an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CostClass {
    /// Within the agency's running budget.
    Low,
    /// A budget decision or a project of moderate size.
    Medium,
    /// A major investment: systems, infrastructure or a multi-year programme.
    High,
}

impl Framework {
    pub fn reference(&self) -> FrameworkRef {
        FrameworkRef { id: self.id.clone(), version: self.version.clone() }
    }

    pub fn lowest_level(&self) -> u8 {
        self.scale.first().map_or(1, |l| l.level)
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.components.iter().flat_map(|c| c.elements.iter())
    }

    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.elements().flat_map(|e| e.indicators.iter())
    }

    /// True when `code` names a component, an element or an indicator of this framework.
    /// The indicator `code`, with the element it belongs to.
    pub fn find_indicator(&self, code: &str) -> Option<(&Element, &Indicator)> {
        self.elements().find_map(|e| e.indicators.iter().find(|i| i.code == code).map(|i| (e, i)))
    }

    pub fn has_code(&self, code: &str) -> bool {
        self.components.iter().any(|c| {
            c.code == code
                || c.elements.iter().any(|e| e.code == code || e.indicators.iter().any(|i| i.code == code))
        })
    }

    pub fn indicators_with_topic<'a>(&'a self, topic: &'a str) -> impl Iterator<Item = &'a Indicator> {
        self.indicators().filter(move |i| i.topics.iter().any(|t| t == topic))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framework_refs_parse_with_and_without_version() {
        let full: FrameworkRef = "bmma@2026.1".parse().unwrap();
        assert_eq!((full.id.as_str(), full.version.as_str()), ("bmma", "2026.1"));
        assert_eq!(full.to_string(), "bmma@2026.1");
        let bare: FrameworkRef = "bmma".parse().unwrap();
        assert_eq!(bare.version, "");
        assert_eq!(bare.to_string(), "bmma");
        assert!("bmma@".parse::<FrameworkRef>().is_err());
        assert!("@1".parse::<FrameworkRef>().is_err());
    }
}

/// Orders framework versions: dot-separated parts, numerically where both are numbers
/// ("1.10" after "1.9"), as text otherwise.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let mut left = a.split('.');
    let mut right = b.split('.');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(x), Ok(y)) => x.cmp(&y),
                    _ => x.cmp(y),
                };
                if order != std::cmp::Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

#[cfg(test)]
mod version_tests {
    use super::compare_versions;
    use std::cmp::Ordering::*;

    #[test]
    fn versions_compare_part_by_part() {
        for (a, b, expected) in [
            ("1.0", "1.0", Equal),
            ("1.9", "1.10", Less),
            ("2", "1.99", Greater),
            ("1.0", "1.0.1", Less),
            ("2026.1", "2025.12", Greater),
            ("1.0-draft", "1.0-final", Less),
        ] {
            assert_eq!(compare_versions(a, b), expected, "{a} vs {b}");
        }
    }
}
