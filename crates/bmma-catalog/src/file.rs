//! The framework file format, as read from YAML. These types mirror the file one to one;
//! `load` turns them into `bmma_core::Framework` after checking the rules serde cannot.
//! The JSON Schema for editors is generated from these same types.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

/// The value of `format` that this version of bmma reads.
pub const FORMAT: &str = "bmma-framework/1";

/// A bmma assessment framework.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameworkFile {
    /// Always `bmma-framework/1`.
    #[schemars(with = "String")]
    pub format: Spanned<String>,
    /// Stable identifier, lower case letters, digits and hyphens (for example `bmm`).
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Version of this framework; an assessment pins the version it uses.
    #[schemars(with = "String")]
    pub version: Spanned<String>,
    pub name: String,
    pub summary: String,
    /// BCP 47 tag of the language of the texts, for example `en`.
    pub language: String,
    /// The capacity levels, lowest first, numbered consecutively.
    pub scale: Vec<ScaleLevelFile>,
    /// Words that descriptors use with a fixed meaning.
    #[serde(default)]
    pub quantifiers: Vec<QuantifierFile>,
    /// Themes that indicators can be tagged with.
    #[serde(default)]
    pub topics: Vec<TopicFile>,
    /// Conversion table for the averaging method: a mean at or above `from` converts to
    /// `score` (the row with the highest such `from` wins).
    pub averaging: Vec<ConversionRowFile>,
    /// Kinds of agency that suggested actions can name as responsible.
    #[serde(default)]
    pub agencies: Vec<AgencyFile>,
    /// The rules every indicator relies on: sampling, thin evidence, periods.
    #[serde(default)]
    pub rules: RulesFile,
    pub components: Vec<ComponentFile>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgencyFile {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub name: String,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    /// How the posts and systems examined speak for the whole country.
    #[serde(default)]
    pub sampling: String,
    /// What raters do with evidence that mentions a matter but is too thin to place.
    #[serde(default)]
    pub thin_evidence: String,
    /// Which periods of records a level's "recent period" accepts.
    #[serde(default)]
    pub periods: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScaleLevelFile {
    #[schemars(with = "u8")]
    pub level: Spanned<u8>,
    pub name: String,
    pub meaning: String,
    /// Words that say what the level stands for ("written", "applied", "reviewed"); the
    /// linter checks that each indicator's descriptor of the level uses one of them.
    #[serde(default)]
    pub terms: Vec<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuantifierFile {
    pub term: String,
    pub meaning: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicFile {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    pub name: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversionRowFile {
    /// The lowest mean that converts to `score`, with at most one decimal place.
    #[schemars(with = "f64")]
    pub from: Spanned<f64>,
    /// A level of the scale, optionally followed by `+`, for example `"3+"`.
    pub score: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ComponentFile {
    #[schemars(with = "String")]
    pub code: Spanned<String>,
    pub name: String,
    pub summary: String,
    /// How the component's score combines the agreed scores of all its indicators in scope;
    /// `averaging` (by the framework's table) when left out.
    #[serde(default)]
    pub aggregation: Option<bmma_core::AggregationMethod>,
    pub elements: Vec<ElementFile>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ElementFile {
    #[schemars(with = "String")]
    pub code: Spanned<String>,
    pub name: String,
    pub summary: String,
    pub aggregation: bmma_core::AggregationMethod,
    /// Why the element combines its indicators this way.
    #[serde(default)]
    pub aggregation_reason: String,
    pub indicators: Vec<IndicatorFile>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorFile {
    #[schemars(with = "String")]
    pub code: Spanned<String>,
    /// A short name, shown in lists.
    pub title: String,
    /// The one question the team answers with evidence.
    pub question: String,
    #[serde(default)]
    pub topics: Vec<String>,
    /// One descriptor per level of the scale, keyed by level.
    pub levels: BTreeMap<u8, String>,
    pub evidence: EvidenceFile,
    /// When the indicator does not apply to a state (then raters choose "not applicable").
    #[serde(default)]
    pub not_applicable: Option<String>,
    /// A list the levels refer to by its name.
    #[serde(default)]
    pub reference_list: Option<ReferenceListFile>,
    /// Keyed by level: the action that lifts the indicator from that level to the next,
    /// as a sentence or with its usual horizon, agency and cost class.
    #[serde(default)]
    pub actions: BTreeMap<u8, ActionFile>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferenceListFile {
    pub name: String,
    pub items: Vec<String>,
}

/// A suggested action: a sentence alone, or the sentence with what the road map needs.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ActionFile {
    Text(String),
    Planned(PlannedActionFile),
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlannedActionFile {
    pub text: String,
    /// `short` (within 12 months), `medium` (1 to 3 years) or `long` (beyond 3 years).
    pub horizon: bmma_core::framework::Horizon,
    /// The id of one of the framework's `agencies`.
    pub agency: String,
    /// `low`, `medium` or `high`.
    pub cost: bmma_core::framework::CostClass,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceFile {
    /// Documents to ask for.
    #[serde(default)]
    pub documents: Vec<String>,
    /// People to interview.
    #[serde(default)]
    pub interviews: Vec<String>,
    /// What to observe at a border post or office.
    #[serde(default)]
    pub observation: Vec<String>,
    /// What does not count as evidence for this indicator.
    #[serde(default)]
    pub does_not_count: Vec<String>,
}
