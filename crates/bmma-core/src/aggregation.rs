//! Scoring states and the aggregation of indicator ratings into an element score.
//!
//! Four states are kept apart everywhere: a level; insufficient evidence (counted as the
//! lowest level, and flagged); not applicable and not assessed (both left out).

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What an expert, or the team, records for one indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "state", content = "level")]
pub enum Rating {
    Level(u8),
    InsufficientEvidence,
    NotApplicable,
    NotAssessed,
}

impl Rating {
    /// The name stored for the state: level, insufficient-evidence, not-applicable, not-assessed.
    pub fn state(self) -> &'static str {
        match self {
            Rating::Level(_) => "level",
            Rating::InsufficientEvidence => "insufficient-evidence",
            Rating::NotApplicable => "not-applicable",
            Rating::NotAssessed => "not-assessed",
        }
    }

    pub fn level(self) -> Option<u8> {
        match self {
            Rating::Level(level) => Some(level),
            _ => None,
        }
    }

    /// Rebuilds a rating from its state and level, as stored or as typed in a form.
    pub fn from_parts(state: &str, level: Option<i64>) -> Result<Rating, String> {
        match (state, level) {
            ("level", Some(level)) => {
                u8::try_from(level).map(Rating::Level).map_err(|_| format!("level {level} is out of range"))
            }
            ("level", None) => Err("a level is required".into()),
            ("insufficient-evidence", _) => Ok(Rating::InsufficientEvidence),
            ("not-applicable", _) => Ok(Rating::NotApplicable),
            ("not-assessed", _) => Ok(Rating::NotAssessed),
            (other, _) => Err(format!("'{other}' is not a rating state")),
        }
    }
}

/// How the indicator scores of one element combine into the element's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AggregationMethod {
    /// The lowest score, with a "+" when any other counted score is higher.
    WeakestLink,
    /// The mean of the scores, converted to a score by the framework's conversion table.
    Averaging,
    /// The lowest score, without a "+".
    Minimum,
    /// The arithmetic mean, to one decimal place.
    Mean,
}

impl AggregationMethod {
    pub const ALL: [AggregationMethod; 4] = [
        AggregationMethod::WeakestLink,
        AggregationMethod::Averaging,
        AggregationMethod::Minimum,
        AggregationMethod::Mean,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AggregationMethod::WeakestLink => "weakest-link",
            AggregationMethod::Averaging => "averaging",
            AggregationMethod::Minimum => "minimum",
            AggregationMethod::Mean => "mean",
        }
    }
}

/// An aggregated score: a level with an optional "+", or a mean to one decimal place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum AggregateScore {
    Level {
        level: u8,
        plus: bool,
    },
    /// The mean times ten, rounded half up: 34 means 3.4.
    Mean {
        tenths: u32,
    },
}

impl AggregateScore {
    /// Parses "3" or "3+".
    pub fn parse_level(text: &str) -> Option<AggregateScore> {
        let text = text.trim();
        let (digits, plus) = match text.strip_suffix('+') {
            Some(rest) => (rest, true),
            None => (text, false),
        };
        let level = digits.parse::<u8>().ok()?;
        Some(AggregateScore::Level { level, plus })
    }
}

impl fmt::Display for AggregateScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AggregateScore::Level { level, plus } => {
                write!(f, "{level}{}", if *plus { "+" } else { "" })
            }
            AggregateScore::Mean { tenths } => write!(f, "{}.{}", tenths / 10, tenths % 10),
        }
    }
}

/// The result of aggregating the ratings of one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Aggregate {
    /// None when no rating could be counted.
    pub score: Option<AggregateScore>,
    /// Some counted rating was "insufficient evidence": the score is held down by missing
    /// evidence rather than observed capacity.
    pub insufficient_evidence: bool,
    /// Ratings that entered the score.
    pub counted: usize,
    /// Ratings left out: not applicable or not assessed.
    pub left_out: usize,
}

/// Converts a mean of levels to a score for the averaging method. Held as data in the
/// framework file, so an organisation can publish and change its own table. Serialised as
/// the file writes it: `[{"from": 1.5, "score": "1+"}, …]`, lowest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionTable {
    /// Sorted from the highest threshold down.
    rows: Vec<ConversionRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConversionRow {
    /// The lowest mean, in tenths, that converts to `score`.
    pub from_tenths: u32,
    pub score: AggregateScore,
}

impl Serialize for ConversionTable {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        #[derive(Serialize)]
        struct Row {
            from: f64,
            score: String,
        }
        let mut seq = serializer.serialize_seq(Some(self.rows.len()))?;
        for row in self.rows.iter().rev() {
            seq.serialize_element(&Row {
                from: f64::from(row.from_tenths) / 10.0,
                score: row.score.to_string(),
            })?;
        }
        seq.end()
    }
}

impl ConversionTable {
    /// Builds a table; rows may come in any order. Returns None when two rows share a
    /// threshold, since the conversion would then be ambiguous.
    pub fn new(mut rows: Vec<ConversionRow>) -> Option<ConversionTable> {
        rows.sort_by_key(|row| std::cmp::Reverse(row.from_tenths));
        if rows.windows(2).any(|w| w[0].from_tenths == w[1].from_tenths) {
            return None;
        }
        Some(ConversionTable { rows })
    }

    pub fn rows(&self) -> &[ConversionRow] {
        &self.rows
    }

    /// Converts the mean `sum / count`. Compared in whole numbers, so no rounding error can
    /// move a mean across a threshold.
    fn convert(&self, sum: u32, count: u32) -> Option<AggregateScore> {
        self.rows.iter().find(|row| sum * 10 >= row.from_tenths * count).map(|row| row.score)
    }
}

/// Aggregates the ratings of one element. `lowest_level` is the bottom of the framework's
/// scale, at which "insufficient evidence" is counted.
pub fn aggregate(
    method: AggregationMethod,
    ratings: &[Rating],
    lowest_level: u8,
    table: &ConversionTable,
) -> Aggregate {
    let mut levels = Vec::with_capacity(ratings.len());
    let mut insufficient_evidence = false;
    for rating in ratings {
        match rating {
            Rating::Level(level) => levels.push(*level),
            Rating::InsufficientEvidence => {
                insufficient_evidence = true;
                levels.push(lowest_level);
            }
            Rating::NotApplicable | Rating::NotAssessed => {}
        }
    }
    let counted = levels.len();
    let score = match (method, levels.iter().min(), levels.iter().max()) {
        (_, None, _) | (_, _, None) => None,
        (AggregationMethod::WeakestLink, Some(&low), Some(&high)) => {
            Some(AggregateScore::Level { level: low, plus: high > low })
        }
        (AggregationMethod::Minimum, Some(&low), _) => {
            Some(AggregateScore::Level { level: low, plus: false })
        }
        (AggregationMethod::Averaging, _, _) => {
            table.convert(levels.iter().map(|&l| u32::from(l)).sum(), counted as u32)
        }
        (AggregationMethod::Mean, _, _) => {
            let sum: u32 = levels.iter().map(|&l| u32::from(l)).sum();
            let count = counted as u32;
            // Round half up: (sum * 10 / count) with the remainder deciding.
            let tenths = (sum * 20 + count) / (2 * count);
            Some(AggregateScore::Mean { tenths })
        }
    };
    Aggregate { score, insufficient_evidence, counted, left_out: ratings.len() - counted }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use AggregationMethod::*;
    use Rating::*;

    /// The table of the built-in framework: whole levels, with "+" from halfway.
    pub(crate) fn halves() -> ConversionTable {
        let rows = (2..=10)
            .map(|half| ConversionRow {
                from_tenths: half * 5,
                score: AggregateScore::Level { level: (half / 2) as u8, plus: half % 2 == 1 },
            })
            .collect();
        ConversionTable::new(rows).unwrap()
    }

    fn check(method: AggregationMethod, ratings: &[Rating], expected: &str, flagged: bool) {
        let result = aggregate(method, ratings, 1, &halves());
        let shown = result.score.map_or("none".to_string(), |s| s.to_string());
        assert_eq!(shown, expected, "{method:?} of {ratings:?}");
        assert_eq!(result.insufficient_evidence, flagged, "{method:?} of {ratings:?}");
    }

    #[test]
    fn weakest_link_is_the_lowest_with_a_plus_when_another_is_higher() {
        check(WeakestLink, &[Level(3), Level(3), Level(3)], "3", false);
        check(WeakestLink, &[Level(3), Level(4), Level(3)], "3+", false);
        check(WeakestLink, &[Level(5), Level(1)], "1+", false);
        check(WeakestLink, &[Level(2)], "2", false);
        check(WeakestLink, &[Level(4), NotApplicable, Level(4)], "4", false);
        check(WeakestLink, &[Level(4), InsufficientEvidence], "1+", true);
        check(WeakestLink, &[NotAssessed, NotApplicable], "none", false);
        check(WeakestLink, &[], "none", false);
    }

    #[test]
    fn minimum_is_the_lowest_without_a_plus() {
        check(Minimum, &[Level(3), Level(5), Level(4)], "3", false);
        check(Minimum, &[Level(2), Level(2)], "2", false);
        check(Minimum, &[InsufficientEvidence, Level(5)], "1", true);
        check(Minimum, &[NotApplicable], "none", false);
    }

    #[test]
    fn averaging_converts_the_mean_through_the_table() {
        check(Averaging, &[Level(3), Level(3)], "3", false);
        // 3.5 is exactly on the threshold for "3+".
        check(Averaging, &[Level(3), Level(4)], "3+", false);
        // 3.33 stays at 3.
        check(Averaging, &[Level(3), Level(3), Level(4)], "3", false);
        // 3.67 reaches "3+" but not 4.
        check(Averaging, &[Level(3), Level(4), Level(4)], "3+", false);
        check(Averaging, &[Level(5), Level(5), Level(5), Level(4)], "4+", false);
        check(Averaging, &[Level(1), Level(1), Level(2)], "1", false);
        check(Averaging, &[InsufficientEvidence, Level(5)], "3", true);
        check(Averaging, &[NotAssessed, Level(2), NotApplicable], "2", false);
    }

    #[test]
    fn mean_rounds_half_up_to_one_decimal() {
        check(Mean, &[Level(3), Level(4)], "3.5", false);
        check(Mean, &[Level(3), Level(3), Level(4)], "3.3", false);
        check(Mean, &[Level(3), Level(4), Level(4)], "3.7", false);
        check(Mean, &[Level(1), Level(2), Level(2), Level(2)], "1.8", false);
        // 1.75 rounds up to 1.8, 2.25 to 2.3.
        check(
            Mean,
            &[Level(1), Level(2), Level(2), Level(2), Level(1), Level(2), Level(2), Level(2)],
            "1.8",
            false,
        );
        check(Mean, &[Level(2), Level(2), Level(2), Level(3)], "2.3", false);
        check(Mean, &[Level(5)], "5.0", false);
        check(Mean, &[InsufficientEvidence, Level(4)], "2.5", true);
    }

    #[test]
    fn counts_what_entered_and_what_was_left_out() {
        let result = aggregate(
            WeakestLink,
            &[Level(2), NotApplicable, NotAssessed, InsufficientEvidence],
            1,
            &halves(),
        );
        assert_eq!((result.counted, result.left_out), (2, 2));
    }

    #[test]
    fn a_table_with_two_rows_on_one_threshold_is_refused() {
        let row = ConversionRow { from_tenths: 30, score: AggregateScore::Level { level: 3, plus: false } };
        assert_eq!(ConversionTable::new(vec![row, row]), None);
    }

    #[test]
    fn scores_parse_and_print_alike() {
        for text in ["1", "3+", "5"] {
            assert_eq!(AggregateScore::parse_level(text).unwrap().to_string(), text);
        }
        assert_eq!(AggregateScore::parse_level("x"), None);
        assert_eq!(AggregateScore::Mean { tenths: 7 }.to_string(), "0.7");
    }
}
