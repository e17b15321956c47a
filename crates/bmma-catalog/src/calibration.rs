//! Calibration files: a set of evidence write-ups for one framework version, and the
//! ratings that raters gave them. Both are YAML, checked against the framework they are
//! for, with every problem reported at its line and column.

use std::collections::{BTreeMap, HashSet};

use bmma_core::Rating;
use bmma_core::calibration::{CalibrationSet, Half, Intended, RaterRatings, WriteUp};
use bmma_core::framework::{Framework, FrameworkRef};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::{LoadError, Problems, parse_error};

/// The value of `format` in a calibration set.
pub const SET_FORMAT: &str = "bmma-calibration/1";
/// The value of `format` in a ratings file.
pub const RATINGS_FORMAT: &str = "bmma-ratings/1";

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SetFile {
    #[schemars(with = "String")]
    format: Spanned<String>,
    /// The framework version the write-ups are for, `id@version`.
    #[schemars(with = "String")]
    framework: Spanned<String>,
    /// The fictional country the write-ups describe.
    country: String,
    #[serde(default)]
    summary: String,
    writeups: Vec<WriteUpFile>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WriteUpFile {
    #[schemars(with = "String")]
    id: Spanned<String>,
    /// The code of the element the write-up describes.
    #[schemars(with = "String")]
    element: Spanned<String>,
    /// `development` or `held-out`.
    half: HalfFile,
    #[serde(default)]
    borderline: bool,
    /// A level of the scale, or `insufficient`.
    #[schemars(with = "String")]
    intended: Spanned<IntendedFile>,
    why: String,
    text: String,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum HalfFile {
    Development,
    HeldOut,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
enum IntendedFile {
    Level(u8),
    State(String),
}

/// The word a file uses for "insufficient evidence", in a set and in ratings alike.
const INSUFFICIENT: &str = "insufficient";

/// Loads a calibration set and checks it against `framework`: the framework it names, the
/// element of every write-up, and every intended level.
pub fn load_set(source: &str, text: &str, framework: &Framework) -> Result<CalibrationSet, LoadError> {
    let file: SetFile = serde_saphyr::from_str(text).map_err(|e| parse_error(source, &e))?;
    let mut problems = Problems::default();
    if file.format.value != SET_FORMAT {
        problems.add(
            file.format.referenced,
            format!("format is '{}'; a calibration set is '{SET_FORMAT}'", file.format.value),
        );
    }
    let named = file.framework.value.parse::<FrameworkRef>();
    if named.as_ref().ok() != Some(&framework.reference()) {
        problems.add(
            file.framework.referenced,
            format!(
                "the set is for '{}', but is checked against {}",
                file.framework.value,
                framework.reference()
            ),
        );
    }
    let levels: Vec<u8> = framework.scale.iter().map(|l| l.level).collect();
    let elements: HashSet<&str> = framework.elements().map(|e| e.code.as_str()).collect();
    let mut ids = HashSet::new();
    let mut writeups = Vec::with_capacity(file.writeups.len());
    for w in file.writeups {
        let id = w.id.value.trim().to_string();
        if id.is_empty() || !ids.insert(id.clone()) {
            problems.add(w.id.referenced, format!("write-up id '{id}' is empty or used twice"));
        }
        if !elements.contains(w.element.value.as_str()) {
            problems.add(
                w.element.referenced,
                format!(
                    "write-up {id}: '{}' is not an element of {}",
                    w.element.value,
                    framework.reference()
                ),
            );
        }
        let intended = match &w.intended.value {
            IntendedFile::Level(level) if levels.contains(level) => Intended::Level(*level),
            IntendedFile::State(state) if state == INSUFFICIENT => Intended::InsufficientEvidence,
            other => {
                let shown = match other {
                    IntendedFile::Level(level) => level.to_string(),
                    IntendedFile::State(state) => state.clone(),
                };
                problems.add(w.intended.referenced, format!("write-up {id}: intended '{shown}' is neither a level of the scale nor '{INSUFFICIENT}'"));
                Intended::InsufficientEvidence
            }
        };
        for (what, value) in [("text", &w.text), ("why", &w.why)] {
            if value.trim().is_empty() {
                problems.add(w.id.referenced, format!("write-up {id}: the {what} is empty"));
            }
        }
        writeups.push(WriteUp {
            id,
            element: w.element.value,
            half: match w.half {
                HalfFile::Development => Half::Development,
                HalfFile::HeldOut => Half::HeldOut,
            },
            borderline: w.borderline,
            intended,
            why: w.why.trim().to_string(),
            text: w.text.trim().to_string(),
        });
    }
    problems.finish(source)?;
    Ok(CalibrationSet {
        framework: framework.reference(),
        country: file.country.trim().to_string(),
        summary: file.summary.trim().to_string(),
        writeups,
    })
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RatingsFile {
    #[schemars(with = "String")]
    format: Spanned<String>,
    /// Who rated: a name or a code, unique among the raters of a set.
    rater: String,
    /// The framework version rated with, `id@version`.
    #[schemars(with = "String")]
    framework: Spanned<String>,
    /// Keyed by write-up id, then by indicator code: a level, `insufficient`,
    /// `not-applicable` or `not-assessed`.
    #[schemars(with = "BTreeMap<String, BTreeMap<String, String>>")]
    ratings: BTreeMap<String, BTreeMap<String, Spanned<IntendedFile>>>,
}

/// Loads one rater's ratings and checks them against the set and the framework: each
/// write-up must be in the set, and each indicator must belong to the write-up's element.
pub fn load_ratings(
    source: &str,
    text: &str,
    set: &CalibrationSet,
    framework: &Framework,
) -> Result<RaterRatings, LoadError> {
    let file: RatingsFile = serde_saphyr::from_str(text).map_err(|e| parse_error(source, &e))?;
    let mut problems = Problems::default();
    if file.format.value != RATINGS_FORMAT {
        problems.add(
            file.format.referenced,
            format!("format is '{}'; a ratings file is '{RATINGS_FORMAT}'", file.format.value),
        );
    }
    if file.framework.value.parse::<FrameworkRef>().ok() != Some(framework.reference()) {
        problems.add(
            file.framework.referenced,
            format!(
                "the ratings are for '{}', but are checked against {}",
                file.framework.value,
                framework.reference()
            ),
        );
    }
    let levels: Vec<u8> = framework.scale.iter().map(|l| l.level).collect();
    let mut ratings = BTreeMap::new();
    for (id, given) in file.ratings {
        // Map keys carry no position; a problem with one is reported at its first rating.
        let at = given.values().next().map_or(file.framework.referenced, |v| v.referenced);
        let Some(writeup) = set.writeups.iter().find(|w| w.id == id) else {
            problems.add(at, format!("write-up '{id}' is not in the set"));
            continue;
        };
        let indicators: HashSet<&str> = framework
            .elements()
            .filter(|e| e.code == writeup.element)
            .flat_map(|e| e.indicators.iter().map(|i| i.code.as_str()))
            .collect();
        let mut rated = BTreeMap::new();
        for (code, value) in given {
            if !indicators.contains(code.as_str()) {
                problems.add(
                    value.referenced,
                    format!("write-up {id}: '{code}' is not an indicator of element {}", writeup.element),
                );
                continue;
            }
            let rating = match &value.value {
                IntendedFile::Level(level) if levels.contains(level) => Some(Rating::Level(*level)),
                IntendedFile::State(state) => match state.as_str() {
                    INSUFFICIENT => Some(Rating::InsufficientEvidence),
                    "not-applicable" => Some(Rating::NotApplicable),
                    "not-assessed" => Some(Rating::NotAssessed),
                    _ => None,
                },
                IntendedFile::Level(_) => None,
            };
            match rating {
                Some(rating) => {
                    rated.insert(code, rating);
                }
                None => problems.add(
                    value.referenced,
                    format!("write-up {id}, {code}: a rating is a level of the scale, '{INSUFFICIENT}', 'not-applicable' or 'not-assessed'"),
                ),
            }
        }
        ratings.insert(id, rated);
    }
    problems.finish(source)?;
    Ok(RaterRatings { rater: file.rater.trim().to_string(), ratings })
}
