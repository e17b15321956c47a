//! Border crossing points and offices, and the team's visits to them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::fields::{FieldError, FieldErrorKind, TITLE_MAX_CHARS, text_problem};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SiteKind {
    Land,
    Air,
    Sea,
    InlandOffice,
}

impl SiteKind {
    pub const ALL: [SiteKind; 4] = [SiteKind::Land, SiteKind::Air, SiteKind::Sea, SiteKind::InlandOffice];

    pub fn as_str(self) -> &'static str {
        match self {
            SiteKind::Land => "land",
            SiteKind::Air => "air",
            SiteKind::Sea => "sea",
            SiteKind::InlandOffice => "inland-office",
        }
    }
}

impl fmt::Display for SiteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SiteKind {
    type Err = String;

    fn from_str(text: &str) -> Result<SiteKind, String> {
        SiteKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| format!("unknown kind of site '{text}'"))
    }
}

/// A border crossing point or office of one country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    pub name: String,
    pub kind: SiteKind,
    /// Degrees times a million, so coordinates compare exactly on every backend.
    pub latitude_e6: Option<i64>,
    pub longitude_e6: Option<i64>,
    /// The agencies present: border police, customs, health, ...
    pub agencies: Vec<String>,
    /// Travellers crossing in a year, as last reported.
    pub travellers_per_year: Option<i64>,
}

/// Parses a count as people type it ("1,250,000", "1 250 000"); None when blank.
pub fn parse_count(text: &str) -> Result<Option<i64>, FieldErrorKind> {
    match text.trim() {
        "" => Ok(None),
        typed => typed
            .replace([',', ' ', '\u{a0}', '\u{202f}'], "")
            .parse::<i64>()
            .map(Some)
            .map_err(|_| FieldErrorKind::NotANumber { value: typed.to_string() }),
    }
}

/// Parses a coordinate typed in decimal degrees ("-1.2921") into millionths of a degree.
pub fn parse_degrees(text: &str, limit: i64) -> Option<i64> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || fraction.len() > 6
        || !whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let value = whole.parse::<i64>().ok()? * 1_000_000 + format!("{fraction:0<6}").parse::<i64>().ok()?;
    let value = if negative { -value } else { value };
    (value.abs() <= limit * 1_000_000).then_some(value)
}

/// Decimal degrees for display: 36.817223.
pub fn show_degrees(e6: i64) -> String {
    let sign = if e6 < 0 { "-" } else { "" };
    format!("{sign}{}.{:06}", e6.abs() / 1_000_000, e6.abs() % 1_000_000)
}

impl Site {
    pub fn problems(&self) -> Vec<FieldError> {
        let mut errors: Vec<FieldError> =
            text_problem("name", &self.name, true, TITLE_MAX_CHARS).into_iter().collect();
        errors.extend(self.agencies.iter().find_map(|a| text_problem("agencies", a, false, TITLE_MAX_CHARS)));
        if self.travellers_per_year.is_some_and(|n| n < 0) {
            errors.push(FieldError { field: "travellers_per_year", kind: FieldErrorKind::Negative });
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_read_with_their_separators_and_words_are_not_numbers() {
        assert_eq!(parse_count(" 1,250,000 "), Ok(Some(1_250_000)));
        assert_eq!(parse_count("1 250 000"), Ok(Some(1_250_000)));
        assert_eq!(parse_count(""), Ok(None));
        assert_eq!(parse_count("-5"), Ok(Some(-5)), "read here; refused as negative by the site");
        assert_eq!(parse_count("many"), Err(FieldErrorKind::NotANumber { value: "many".into() }));
    }

    #[test]
    fn coordinates_are_read_exactly_and_within_range() {
        for (text, limit, expected) in [
            ("-1.2921", 90, Some(-1_292_100)),
            ("36.817223", 180, Some(36_817_223)),
            ("90", 90, Some(90_000_000)),
            ("90.000001", 90, None),
            ("1.1234567", 90, None),
            ("north", 90, None),
            ("", 90, None),
            ("-.5", 90, None),
        ] {
            assert_eq!(parse_degrees(text, limit), expected, "{text}");
        }
        assert_eq!(show_degrees(-1_292_100), "-1.292100");
        assert_eq!(show_degrees(36_817_223), "36.817223");
    }
}
