//! PEFA's letter scores, for checking bmma's aggregation against PEFA's published methods:
//! M1 is weakest link on the letters; M2 looks a combination of dimension scores up in a
//! conversion table. The M2 table is data the user supplies from the PEFA framework: bmma
//! does not ship a copy it cannot check cell by cell.

use std::collections::HashMap;

use crate::aggregation::AggregateScore;

/// A letter as a level: A is 4, D is 1.
pub fn level_of(letter: char) -> Option<u8> {
    match letter.to_ascii_uppercase() {
        'A' => Some(4),
        'B' => Some(3),
        'C' => Some(2),
        'D' => Some(1),
        _ => None,
    }
}

/// A level score as PEFA writes it: "B+".
pub fn letter_of(score: AggregateScore) -> String {
    match score {
        AggregateScore::Level { level: level @ 1..=4, plus } => {
            format!("{}{}", char::from(b'E' - level), if plus { "+" } else { "" })
        }
        other => other.to_string(),
    }
}

/// Parses "B" or "B+" into a level score.
fn parse_score(text: &str) -> Option<AggregateScore> {
    let (letter, plus) = match text.strip_suffix('+') {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    let mut chars = letter.chars();
    let level = level_of(chars.next()?)?;
    (chars.next().is_none() && !(plus && level == 4)).then_some(AggregateScore::Level { level, plus })
}

/// The M2 conversion table: for each combination of two to four dimension scores, in any
/// order, the indicator's score.
///
/// One row per line: the dimension letters, `->`, the score, for example `D C -> D+`. Blank
/// lines and lines starting with `#` are skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct M2Table {
    /// Levels sorted from highest to lowest → score.
    rows: HashMap<Vec<u8>, AggregateScore>,
}

impl M2Table {
    /// Reads a table; every problem comes back with its line number (from 1).
    pub fn parse(text: &str) -> Result<M2Table, Vec<(usize, String)>> {
        let mut rows = HashMap::new();
        let mut problems = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((left, right)) = line.split_once("->") else {
                problems.push((
                    number,
                    format!("'{line}' has no '->' between the dimension scores and the result"),
                ));
                continue;
            };
            let letters: Vec<&str> = left.split_whitespace().collect();
            let levels: Option<Vec<u8>> = letters
                .iter()
                .map(|l| if l.len() == 1 { l.chars().next().and_then(level_of) } else { None })
                .collect();
            let Some(mut levels) = levels else {
                problems.push((number, format!("'{}' are not dimension scores A to D", left.trim())));
                continue;
            };
            if !(2..=4).contains(&levels.len()) {
                problems
                    .push((number, format!("a row has two to four dimension scores, not {}", levels.len())));
                continue;
            }
            let Some(score) = parse_score(right.trim()) else {
                problems
                    .push((number, format!("'{}' is not a score (A, B+, B, C+, C, D+ or D)", right.trim())));
                continue;
            };
            levels.sort_unstable_by(|a, b| b.cmp(a));
            if rows.insert(levels, score).is_some() {
                problems.push((number, format!("the combination '{}' appears twice", left.trim())));
            }
        }
        if problems.is_empty() { Ok(M2Table { rows }) } else { Err(problems) }
    }

    /// The indicator score of these dimension levels. One dimension is its own score, as in
    /// PEFA; two to four are looked up; a combination the table lacks is an error naming it.
    pub fn convert(&self, levels: &[u8]) -> Result<AggregateScore, String> {
        if let [level] = levels {
            return Ok(AggregateScore::Level { level: *level, plus: false });
        }
        let mut key = levels.to_vec();
        key.sort_unstable_by(|a, b| b.cmp(a));
        self.rows.get(&key).copied().ok_or_else(|| {
            let letters: Vec<String> =
                key.iter().map(|l| letter_of(AggregateScore::Level { level: *l, plus: false })).collect();
            format!("the table has no row for {}", letters.join(" "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // An illustrative table for the tests, not PEFA's published one.
    const TABLE: &str = "# test rows\nD C -> D+\n\nA B C -> B\nA A A A -> A\n";

    fn level(level: u8, plus: bool) -> AggregateScore {
        AggregateScore::Level { level, plus }
    }

    #[test]
    fn combinations_are_found_in_any_order() {
        let table = M2Table::parse(TABLE).unwrap();
        assert_eq!(table.convert(&[2, 1]), Ok(level(1, true)));
        assert_eq!(table.convert(&[1, 2]), Ok(level(1, true)));
        assert_eq!(table.convert(&[2, 4, 3]), Ok(level(3, false)));
        assert_eq!(letter_of(table.convert(&[1, 2]).unwrap()), "D+");
    }

    #[test]
    fn one_dimension_is_its_own_score_and_a_missing_row_is_named() {
        let table = M2Table::parse(TABLE).unwrap();
        assert_eq!(table.convert(&[3]), Ok(level(3, false)));
        assert_eq!(table.convert(&[4, 1]), Err("the table has no row for A D".to_string()));
    }

    #[test]
    fn every_bad_line_is_named_with_its_number() {
        let text = "D C -> D+\nD C -> C\nA E -> B\nA -> A\nB B => B\nB B -> A+\n";
        let problems = M2Table::parse(text).unwrap_err();
        let lines: Vec<usize> = problems.iter().map(|(n, _)| *n).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6]);
        assert!(problems[0].1.contains("appears twice"), "{problems:?}");
        assert!(problems[4].1.contains("'A+' is not a score"), "{problems:?}");
    }
}
