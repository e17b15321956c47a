//! Calibration sets and ratings files: checked against the framework they are for, with
//! every problem at its line.

use bmma_catalog::calibration::{load_ratings, load_set};
use bmma_core::Rating;
use bmma_core::calibration::{Half, Intended};

fn framework() -> bmma_core::Framework {
    bmma_catalog::load_str("minimal.yaml", bmma_catalog::MINIMAL_EXAMPLE).unwrap()
}

const SET: &str = "format: bmma-calibration/1
framework: minimal@0.1
country: Republic of Ardesia
writeups:
  - id: W1
    element: A.1
    half: development
    borderline: true
    intended: 2
    why: Each post has a written route.
    text: The team read the referral route of each post.
  - id: W2
    element: A.1
    half: held-out
    intended: insufficient
    why: Nothing was shown.
    text: The instructions were promised but never arrived.
";

fn error_of(result: Result<impl std::fmt::Debug, bmma_catalog::LoadError>) -> String {
    result.expect_err("expected a refusal").to_string()
}

#[test]
fn a_set_loads_with_its_halves_and_intended_levels() {
    let set = load_set("set.yaml", SET, &framework()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(set.writeups.len(), 2);
    assert_eq!(
        (set.writeups[0].half, set.writeups[0].borderline, set.writeups[0].intended),
        (Half::Development, true, Intended::Level(2))
    );
    assert_eq!(
        (set.writeups[1].half, set.writeups[1].intended),
        (Half::HeldOut, Intended::InsufficientEvidence)
    );
}

#[test]
fn a_set_names_an_unknown_element_and_an_intended_level_off_the_scale_at_their_lines() {
    let message = error_of(load_set(
        "set.yaml",
        &SET.replacen("element: A.1", "element: B.7", 1).replacen("intended: 2", "intended: 4", 1),
        &framework(),
    ));
    assert!(
        message.contains("set.yaml:6:14: write-up W1: 'B.7' is not an element of minimal@0.1"),
        "{message}"
    );
    assert!(
        message.contains(
            "set.yaml:9:15: write-up W1: intended '4' is neither a level of the scale nor 'insufficient'"
        ),
        "{message}"
    );
}

#[test]
fn a_set_for_another_framework_or_with_a_repeated_id_is_refused() {
    let message = error_of(load_set("set.yaml", &SET.replace("minimal@0.1", "bmm@2.0"), &framework()));
    assert!(message.contains("the set is for 'bmm@2.0', but is checked against minimal@0.1"), "{message}");
    let message = error_of(load_set("set.yaml", &SET.replace("id: W2", "id: W1"), &framework()));
    assert!(message.contains("'W1' is empty or used twice"), "{message}");
}

const RATINGS: &str = "format: bmma-ratings/1
rater: A
framework: minimal@0.1
ratings:
  W1:
    A.1.1: 2
  W2:
    A.1.1: insufficient
";

#[test]
fn ratings_load_per_write_up_and_indicator() {
    let set = load_set("set.yaml", SET, &framework()).unwrap();
    let ratings = load_ratings("a.yaml", RATINGS, &set, &framework()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ratings.rater, "A");
    assert_eq!(ratings.ratings["W1"]["A.1.1"], Rating::Level(2));
    assert_eq!(ratings.ratings["W2"]["A.1.1"], Rating::InsufficientEvidence);
}

#[test]
fn ratings_of_an_unknown_write_up_indicator_or_state_are_refused_at_their_lines() {
    let set = load_set("set.yaml", SET, &framework()).unwrap();
    let bad = RATINGS.replacen("W1:\n    A.1.1: 2", "W9:\n    A.1.1: 2", 1).replacen(
        "A.1.1: insufficient",
        "A.1.2: high",
        1,
    );
    let message = error_of(load_ratings("a.yaml", &bad, &set, &framework()));
    assert!(message.contains("a.yaml:6:12: write-up 'W9' is not in the set"), "{message}");
    assert!(
        message.contains("a.yaml:8:12: write-up W2: 'A.1.2' is not an indicator of element A.1"),
        "{message}"
    );
}
