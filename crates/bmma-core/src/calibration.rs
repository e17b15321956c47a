//! Calibration: evidence write-ups with the element level their author intended, and the
//! figures that say how far raters agree with each other and with that intention.
//!
//! A framework is measured like code: independent raters rate each indicator of a write-up's
//! element; the element score bmma computes from those ratings is compared with the level
//! the author intended, and the raters' ratings are compared with each other.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::aggregation::{Aggregate, AggregateScore, Rating, aggregate};
use crate::framework::{Framework, FrameworkRef};

/// The element level a write-up's author intended, or that evidence is too thin to place it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "state", content = "level")]
pub enum Intended {
    Level(u8),
    InsufficientEvidence,
}

/// Which half of a set a write-up belongs to. Descriptors are revised against the
/// development half only; the held-out half is never used to revise, so its figures show
/// how the framework does on evidence it was not tuned to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Half {
    Development,
    HeldOut,
}

/// One short evidence write-up about one element.
#[derive(Debug, Clone, Serialize)]
pub struct WriteUp {
    pub id: String,
    pub element: String,
    pub half: Half,
    /// The evidence sits near the line between two levels.
    pub borderline: bool,
    pub intended: Intended,
    /// Why the author intends that level; never shown to raters.
    pub why: String,
    pub text: String,
}

/// A calibration set: write-ups of one fictional country for one framework version.
#[derive(Debug, Clone, Serialize)]
pub struct CalibrationSet {
    pub framework: FrameworkRef,
    pub country: String,
    pub summary: String,
    pub writeups: Vec<WriteUp>,
}

impl CalibrationSet {
    /// The set as it applies to another version of the framework: the write-ups whose
    /// element that version has too.
    pub fn for_framework(mut self, framework: &Framework) -> CalibrationSet {
        self.writeups.retain(|w| framework.elements().any(|e| e.code == w.element));
        self.framework = framework.reference();
        self
    }
}

/// How a computed element score compares with the intended level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Comparison {
    pub matches: bool,
    /// The computed whole level minus the intended level; None when either side is
    /// "insufficient evidence" or nothing could be computed.
    pub difference: Option<i32>,
}

/// Compares a computed element score with the intended level. A "2+" or a mean of 2.4 is
/// level 2, so it matches an intended 2; an intended "insufficient evidence" matches an
/// element flagged so, and only that.
pub fn compare(intended: Intended, computed: &Aggregate) -> Comparison {
    let whole = computed.score.map(|score| match score {
        AggregateScore::Level { level, .. } => i32::from(level),
        AggregateScore::Mean { tenths } => (tenths / 10) as i32,
    });
    match intended {
        Intended::InsufficientEvidence => {
            Comparison { matches: computed.insufficient_evidence, difference: None }
        }
        Intended::Level(level) => {
            let difference =
                if computed.insufficient_evidence { None } else { whole.map(|w| w - i32::from(level)) };
            Comparison { matches: difference == Some(0), difference }
        }
    }
}

/// Agreement between two raters over the same items.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Agreement {
    /// Items both raters rated.
    pub pairs: usize,
    /// Items rated the same: the same level, or the same state.
    pub exact: usize,
    /// Cohen's kappa over levels and states as categories; None when chance alone would
    /// give full agreement (both raters used one and the same category throughout).
    pub kappa: Option<f64>,
    /// Cohen's kappa with linear weights, over the items both rated with a level: a
    /// difference of one level counts as partial agreement.
    pub weighted_kappa: Option<f64>,
}

impl Agreement {
    /// The share of items rated the same, from 0 to 1; None with no items.
    pub fn exact_share(&self) -> Option<f64> {
        (self.pairs > 0).then(|| self.exact as f64 / self.pairs as f64)
    }
}

/// The category a rating falls in, for counting agreement.
fn category(rating: Rating) -> (u8, u8) {
    match rating {
        Rating::Level(level) => (0, level),
        Rating::InsufficientEvidence => (1, 0),
        Rating::NotApplicable => (2, 0),
        Rating::NotAssessed => (3, 0),
    }
}

/// Kappa from an observed agreement and the agreement chance would give.
fn kappa(observed: f64, chance: f64) -> Option<f64> {
    (chance < 1.0 - 1e-12).then(|| (observed - chance) / (1.0 - chance))
}

/// Agreement between two raters, from their ratings of the same items in pairs.
/// `lowest` and `highest` bound the scale, for the weights of the weighted kappa.
pub fn agreement(pairs: &[(Rating, Rating)], lowest: u8, highest: u8) -> Agreement {
    let n = pairs.len();
    let exact = pairs.iter().filter(|(a, b)| category(*a) == category(*b)).count();
    let plain = if n == 0 {
        None
    } else {
        let mut first: BTreeMap<(u8, u8), usize> = BTreeMap::new();
        let mut second: BTreeMap<(u8, u8), usize> = BTreeMap::new();
        for (a, b) in pairs {
            *first.entry(category(*a)).or_default() += 1;
            *second.entry(category(*b)).or_default() += 1;
        }
        let total = n as f64;
        let chance: f64 = first
            .iter()
            .map(|(k, count)| *count as f64 / total * second.get(k).copied().unwrap_or(0) as f64 / total)
            .sum();
        kappa(exact as f64 / total, chance)
    };
    let levels: Vec<(u8, u8)> = pairs.iter().filter_map(|(a, b)| Some((a.level()?, b.level()?))).collect();
    Agreement { pairs: n, exact, kappa: plain, weighted_kappa: weighted_kappa(&levels, lowest, highest) }
}

/// Cohen's kappa with linear weights: full credit for the same level, none for the two
/// ends of the scale, and a share in between.
fn weighted_kappa(levels: &[(u8, u8)], lowest: u8, highest: u8) -> Option<f64> {
    if levels.is_empty() || highest <= lowest {
        return None;
    }
    let span = f64::from(highest - lowest);
    let weight = |a: u8, b: u8| 1.0 - f64::from(a.abs_diff(b)) / span;
    let total = levels.len() as f64;
    let observed = levels.iter().map(|(a, b)| weight(*a, *b)).sum::<f64>() / total;
    let share = |pick: fn(&(u8, u8)) -> u8, level: u8| {
        levels.iter().filter(|pair| pick(pair) == level).count() as f64 / total
    };
    let mut chance = 0.0;
    for a in lowest..=highest {
        for b in lowest..=highest {
            chance += share(|p| p.0, a) * share(|p| p.1, b) * weight(a, b);
        }
    }
    kappa(observed, chance)
}

/// One rater's ratings of a set: write-up id, then indicator code, to the rating.
#[derive(Debug, Clone, Default)]
pub struct RaterRatings {
    pub rater: String,
    pub ratings: BTreeMap<String, BTreeMap<String, Rating>>,
}

/// How one write-up came out: the element score computed from each rater's ratings.
#[derive(Debug, Clone, Serialize)]
pub struct WriteUpResult {
    pub id: String,
    pub element: String,
    pub intended: Intended,
    pub borderline: bool,
    /// In the order of the raters; None where the rater did not rate the write-up.
    pub computed: Vec<Option<(Aggregate, Comparison)>>,
}

/// How one rater's ratings compare with the intended levels.
#[derive(Debug, Clone, Serialize)]
pub struct RaterResult {
    pub rater: String,
    /// Write-ups the rater rated.
    pub rated: usize,
    /// Of those, the ones whose computed element score equals the intended level.
    pub matched: usize,
    /// The mean of the computed minus the intended level, over write-ups where both are levels.
    pub mean_difference: Option<f64>,
}

/// A measured calibration: the computed element scores against the intended levels, and
/// the agreement between raters, pooled per component and over the whole set.
#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    pub framework: FrameworkRef,
    pub writeups: Vec<WriteUpResult>,
    pub raters: Vec<RaterResult>,
    /// Every rater's results together.
    pub pooled: RaterResult,
    /// Agreement over every pair of raters, per component code, in the framework's order.
    pub agreement_by_component: Vec<(String, Agreement)>,
    pub agreement: Agreement,
}

/// Measures a framework on the write-ups of `set` that `include` keeps (one half, or all),
/// from the ratings of each rater. Each element score is computed by the element's own
/// aggregation, exactly as in an assessment; an indicator a rater left unrated is left out.
pub fn measure(
    framework: &Framework,
    set: &CalibrationSet,
    raters: &[RaterRatings],
    include: impl Fn(&WriteUp) -> bool,
) -> Measure {
    let lowest = framework.lowest_level();
    let highest = framework.scale.last().map_or(lowest, |l| l.level);
    let mut writeups = Vec::new();
    let mut pairs_by_component: BTreeMap<String, Vec<(Rating, Rating)>> = BTreeMap::new();
    for writeup in set.writeups.iter().filter(|w| include(w)) {
        let Some(element) = framework.elements().find(|e| e.code == writeup.element) else { continue };
        let component = framework
            .components
            .iter()
            .find(|c| c.elements.iter().any(|e| e.code == element.code))
            .map(|c| c.code.clone())
            .unwrap_or_default();
        let given: Vec<Option<&BTreeMap<String, Rating>>> =
            raters.iter().map(|r| r.ratings.get(&writeup.id)).collect();
        let computed = given
            .iter()
            .map(|ratings| {
                let ratings = (*ratings)?;
                let of_element: Vec<Rating> =
                    element.indicators.iter().filter_map(|i| ratings.get(&i.code).copied()).collect();
                let result = aggregate(element.aggregation, &of_element, lowest, &framework.averaging);
                Some((result, compare(writeup.intended, &result)))
            })
            .collect();
        for (a, first) in given.iter().enumerate() {
            for second in given.iter().skip(a + 1) {
                let (Some(first), Some(second)) = (first, second) else { continue };
                for indicator in &element.indicators {
                    if let (Some(x), Some(y)) = (first.get(&indicator.code), second.get(&indicator.code)) {
                        pairs_by_component.entry(component.clone()).or_default().push((*x, *y));
                    }
                }
            }
        }
        writeups.push(WriteUpResult {
            id: writeup.id.clone(),
            element: writeup.element.clone(),
            intended: writeup.intended,
            borderline: writeup.borderline,
            computed,
        });
    }
    let result_of = |rater: String, picks: &mut dyn Iterator<Item = &Comparison>| {
        let picked: Vec<&Comparison> = picks.collect();
        let differences: Vec<i32> = picked.iter().filter_map(|c| c.difference).collect();
        RaterResult {
            rater,
            rated: picked.len(),
            matched: picked.iter().filter(|c| c.matches).count(),
            mean_difference: (!differences.is_empty())
                .then(|| f64::from(differences.iter().sum::<i32>()) / differences.len() as f64),
        }
    };
    let rater_results = raters
        .iter()
        .enumerate()
        .map(|(n, r)| {
            result_of(
                r.rater.clone(),
                &mut writeups.iter().filter_map(|w| w.computed[n].as_ref().map(|(_, c)| c)),
            )
        })
        .collect();
    let pooled = result_of(
        "all raters".into(),
        &mut writeups.iter().flat_map(|w| w.computed.iter().flatten().map(|(_, c)| c)),
    );
    let agreement_by_component: Vec<(String, Agreement)> = framework
        .components
        .iter()
        .filter_map(|c| {
            pairs_by_component.get(&c.code).map(|p| (c.code.clone(), agreement(p, lowest, highest)))
        })
        .collect();
    let all: Vec<(Rating, Rating)> = pairs_by_component.into_values().flatten().collect();
    Measure {
        framework: framework.reference(),
        writeups,
        raters: rater_results,
        pooled,
        agreement_by_component,
        agreement: agreement(&all, lowest, highest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Rating::*;

    fn computed(score: Option<AggregateScore>, insufficient_evidence: bool) -> Aggregate {
        Aggregate { score, insufficient_evidence, counted: 1, left_out: 0 }
    }

    #[test]
    fn a_plus_or_a_mean_matches_its_whole_level() {
        let two_plus = computed(Some(AggregateScore::Level { level: 2, plus: true }), false);
        assert_eq!(compare(Intended::Level(2), &two_plus), Comparison { matches: true, difference: Some(0) });
        assert_eq!(
            compare(Intended::Level(3), &two_plus),
            Comparison { matches: false, difference: Some(-1) }
        );
        let mean = computed(Some(AggregateScore::Mean { tenths: 39 }), false);
        assert_eq!(compare(Intended::Level(3), &mean).difference, Some(0));
    }

    #[test]
    fn insufficient_evidence_matches_only_a_flagged_element() {
        let flagged = computed(Some(AggregateScore::Level { level: 1, plus: true }), true);
        let clean = computed(Some(AggregateScore::Level { level: 1, plus: false }), false);
        assert!(compare(Intended::InsufficientEvidence, &flagged).matches);
        assert!(!compare(Intended::InsufficientEvidence, &clean).matches);
        // An intended level never matches a score held down by missing evidence.
        assert_eq!(compare(Intended::Level(1), &flagged), Comparison { matches: false, difference: None });
    }

    #[test]
    fn identical_raters_agree_fully_and_opposite_ones_below_chance() {
        let same = [(Level(1), Level(1)), (Level(3), Level(3)), (InsufficientEvidence, InsufficientEvidence)];
        let result = agreement(&same, 1, 5);
        assert_eq!((result.pairs, result.exact), (3, 3));
        assert!((result.kappa.unwrap() - 1.0).abs() < 1e-9);
        assert!((result.weighted_kappa.unwrap() - 1.0).abs() < 1e-9);
        let opposite = [(Level(1), Level(5)), (Level(5), Level(1))];
        let result = agreement(&opposite, 1, 5);
        assert_eq!(result.exact, 0);
        assert!(result.kappa.unwrap() < 0.0);
        assert!(result.weighted_kappa.unwrap() < 0.0);
    }

    #[test]
    fn kappa_matches_a_worked_example() {
        // 10 items: 4 both level 2, 3 both level 3, 2 rated 2 then 3, 1 rated 3 then 2.
        // Observed 0.7; rater one 6/10 at 2, rater two 5/10 at 2: chance 0.6*0.5 + 0.4*0.5 = 0.5.
        let mut pairs = vec![(Level(2), Level(2)); 4];
        pairs.extend([(Level(3), Level(3)); 3]);
        pairs.extend([(Level(2), Level(3)); 2]);
        pairs.push((Level(3), Level(2)));
        let result = agreement(&pairs, 2, 3);
        assert!((result.kappa.unwrap() - 0.4).abs() < 1e-9, "{result:?}");
        // On a two-level scale the linear weights are those of plain kappa.
        assert!((result.weighted_kappa.unwrap() - 0.4).abs() < 1e-9);
        assert!((result.exact_share().unwrap() - 0.7).abs() < 1e-9);
    }

    #[test]
    fn one_level_apart_earns_partial_credit_in_the_weighted_kappa() {
        let near = [(Level(2), Level(3)), (Level(3), Level(4)), (Level(4), Level(5)), (Level(1), Level(1))];
        let far = [(Level(2), Level(5)), (Level(3), Level(1)), (Level(4), Level(1)), (Level(1), Level(1))];
        let near = agreement(&near, 1, 5).weighted_kappa.unwrap();
        let far = agreement(&far, 1, 5).weighted_kappa.unwrap();
        assert!(near > far, "near {near} far {far}");
    }

    #[test]
    fn one_category_throughout_has_no_kappa() {
        let pairs = [(Level(3), Level(3)), (Level(3), Level(3))];
        assert_eq!(agreement(&pairs, 1, 5).kappa, None);
        assert_eq!(agreement(&[], 1, 5).exact_share(), None);
    }
}
