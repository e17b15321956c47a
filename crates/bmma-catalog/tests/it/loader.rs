//! Bad framework files get a message that names the file, line, column and problem.

use bmma_catalog::load_str;

/// A small, valid framework; tests break one thing in it at a time.
const GOOD: &str = bmma_catalog::MINIMAL_EXAMPLE;

/// Replaces `from` by `to` in the good file, checking the text to break is there.
fn broken(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "the example no longer contains {from:?}");
    GOOD.replacen(from, to, 1)
}

/// Loads `text` and returns the error message, which must exist.
fn error_of(text: &str) -> String {
    match load_str("minimal.yaml", text) {
        Ok(_) => panic!("expected the file to be refused"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_good_file_loads() {
    let framework = load_str("minimal.yaml", GOOD).unwrap();
    assert_eq!(framework.reference().to_string(), "minimal@0.1");
    assert_eq!(framework.indicators().count(), 1);
    assert_eq!(framework.indicators().next().unwrap().levels.len(), 2);
}

const COMPONENT_SUMMARY: &str = "    summary: The arrangements the indicator asks about.\n";

#[test]
fn an_unknown_key_is_named_with_its_line() {
    let message = error_of(&broken(COMPONENT_SUMMARY, &format!("{COMPONENT_SUMMARY}    colour: red\n")));
    assert!(message.starts_with("minimal.yaml:21:"), "{message}");
    assert!(message.contains("colour"), "{message}");
}

#[test]
fn a_duplicate_code_points_at_the_second_one() {
    let text = broken("      - code: A.1\n", "      - code: A\n");
    assert_eq!(error_of(&text), "minimal.yaml:22:15: duplicate code 'A'");
}

#[test]
fn a_missing_level_names_the_indicator_and_the_level() {
    let text = broken(
        "              2: Every post has a written referral route that names the health service.\n",
        "",
    );
    assert_eq!(error_of(&text), "minimal.yaml:28:19: indicator A.1.1: level 2 has no descriptor");
}

#[test]
fn a_wrong_type_is_reported_where_it_stands() {
    let text = broken("documents: [The referral instructions at each post]", "documents: 7");
    assert_eq!(error_of(&text), "minimal.yaml:36:26: expected sequence start");
}

#[test]
fn an_unknown_aggregation_method_is_named() {
    let message = error_of(&broken("aggregation: weakest-link", "aggregation: median"));
    assert!(message.starts_with("minimal.yaml:25:"), "{message}");
    assert!(message.contains("median"), "{message}");
}

#[test]
fn several_problems_are_reported_together_in_file_order() {
    let text =
        broken("version: \"0.1\"", "version: \"0 1\"").replacen("topics: [health]", "topics: [weather]", 1);
    let message = error_of(&text);
    let lines: Vec<_> = message.lines().collect();
    assert_eq!(lines.len(), 2, "{message}");
    assert!(lines[0].starts_with("minimal.yaml:4:"), "{message}");
    assert!(lines[1].contains("topic 'weather' is not declared"), "{message}");
}

#[test]
fn a_wrong_format_version_is_refused() {
    let text = broken("bmma-framework/1", "bmma-framework/9");
    assert_eq!(
        error_of(&text),
        "minimal.yaml:2:9: format is 'bmma-framework/9'; this version of bmma reads 'bmma-framework/1'"
    );
}

#[test]
fn broken_yaml_is_a_message_not_a_panic() {
    for text in ["", "components: [", "\u{0}", "- a\n- b", "id: [1, 2]", "format: {"] {
        let message = error_of(text);
        assert!(message.starts_with("minimal.yaml:"), "{message}");
    }
}

#[test]
fn an_averaging_table_that_leaves_low_means_unconverted_is_refused() {
    let text = broken("  - { from: 1.0, score: \"1\" }\n", "");
    assert!(error_of(&text).contains("every mean converts"));
    let text = broken("score: \"1+\"", "score: \"7\"");
    assert!(error_of(&text).contains("score '7' is not a level of the scale"));
}

#[test]
fn scale_levels_must_be_consecutive() {
    let message = error_of(&broken("level: 2, name: In place", "level: 3, name: In place"));
    assert!(message.contains("scale level 3 follows level 1"), "{message}");
}

#[test]
fn messages_carry_no_second_position() {
    for text in [
        broken("aggregation: weakest-link", "aggregation: median"),
        broken(COMPONENT_SUMMARY, &format!("{COMPONENT_SUMMARY}    colour: red\n")),
        broken("level: 2, name", "level: two, name"),
    ] {
        let message = error_of(&text);
        assert!(!message.contains(" line "), "{message}");
        assert_eq!(message.lines().count(), 1, "{message}");
    }
}

#[test]
fn a_component_names_its_aggregation_or_averages() {
    let framework = load_str("minimal.yaml", GOOD).unwrap();
    assert_eq!(framework.components[0].aggregation, bmma_core::AggregationMethod::Averaging);
    let minimum = broken(COMPONENT_SUMMARY, &format!("{COMPONENT_SUMMARY}    aggregation: minimum\n"));
    let framework = load_str("minimal.yaml", &minimum).unwrap();
    assert_eq!(framework.components[0].aggregation, bmma_core::AggregationMethod::Minimum);
    let message =
        error_of(&broken(COMPONENT_SUMMARY, &format!("{COMPONENT_SUMMARY}    aggregation: median\n")));
    assert!(message.starts_with("minimal.yaml:21:"), "{message}");
    assert!(message.contains("median"), "{message}");
}

const ACTION: &str = "              1: Write a referral route for each post and name the health service.\n";

/// The minimal file with a planned action, an agency list and the optional indicator parts.
fn planned(agency: &str) -> String {
    let text = broken(
        ACTION,
        &format!(
            "              1: {{ text: Write a referral route for each post., horizon: short, agency: {agency}, cost: low }}\n            not_applicable: When the state has no border post.\n            reference_list: {{ name: referral services, items: [hospital, clinic] }}\n"
        ),
    );
    text.replacen("averaging:\n", "agencies:\n  - { id: health, name: Ministry of health }\naveraging:\n", 1)
}

#[test]
fn an_action_can_carry_its_horizon_agency_and_cost() {
    use bmma_core::framework::{CostClass, Horizon};
    let framework = load_str("minimal.yaml", &planned("health")).unwrap_or_else(|e| panic!("{e}"));
    let indicator = framework.indicators().next().unwrap();
    let action = &indicator.actions[0];
    assert_eq!(
        (action.horizon, action.agency.as_deref(), action.cost),
        (Some(Horizon::Short), Some("health"), Some(CostClass::Low))
    );
    assert_eq!(indicator.not_applicable.as_deref(), Some("When the state has no border post."));
    assert_eq!(indicator.reference_list.as_ref().unwrap().items, ["hospital", "clinic"]);
    // A sentence alone stays a valid action, as bmm@1.0 writes them.
    let plain = load_str("minimal.yaml", GOOD).unwrap();
    assert_eq!(plain.indicators().next().unwrap().actions[0].horizon, None);
}

#[test]
fn an_action_naming_an_undeclared_agency_is_refused() {
    let message = error_of(&planned("customs"));
    assert!(message.contains("agency 'customs', which is not declared under 'agencies'"), "{message}");
    assert!(message.starts_with("minimal.yaml:"), "{message}");
}

#[test]
fn an_unknown_horizon_is_refused_with_its_line() {
    let message = error_of(&planned("health").replace("horizon: short", "horizon: soon"));
    assert!(message.starts_with("minimal.yaml:"), "{message}");
}
