//! Bad framework files get a message that names the file, line, column and problem.

use bmma_catalog::load_str;

/// A small, valid framework; tests break one thing in it at a time.
const GOOD: &str = r#"format: bmma-framework/1
id: tiny
version: "0.1"
name: Tiny
summary: A framework for tests.
language: en
scale:
  - { level: 1, name: Low, meaning: Nothing. }
  - { level: 2, name: High, meaning: Everything. }
topics:
  - { id: health, name: Health }
averaging:
  - { from: 1.0, score: "1" }
  - { from: 1.5, score: "1+" }
  - { from: 2.0, score: "2" }
components:
  - code: A
    name: Alpha
    summary: First.
    elements:
      - code: A.1
        name: One
        summary: The only element.
        aggregation: weakest-link
        indicators:
          - code: A.1.1
            title: Something exists
            question: Does it exist?
            topics: [health]
            levels:
              1: It does not.
              2: It does.
            evidence:
              documents: [The thing]
            actions:
              1: Make it.
"#;

/// Loads `text` and returns the error message, which must exist.
fn error_of(text: &str) -> String {
    match load_str("tiny.yaml", text) {
        Ok(_) => panic!("expected the file to be refused"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_good_file_loads() {
    let framework = load_str("tiny.yaml", GOOD).unwrap();
    assert_eq!(framework.reference().to_string(), "tiny@0.1");
    assert_eq!(framework.indicators().count(), 1);
    assert_eq!(framework.indicators().next().unwrap().levels.len(), 2);
}

#[test]
fn an_unknown_key_is_named_with_its_line() {
    let text = GOOD.replace("    summary: First.\n", "    summary: First.\n    colour: red\n");
    let message = error_of(&text);
    assert!(message.starts_with("tiny.yaml:20:"), "{message}");
    assert!(message.contains("colour"), "{message}");
}

#[test]
fn a_duplicate_code_points_at_the_second_one() {
    let text = GOOD.replace("      - code: A.1\n", "      - code: A\n");
    assert_eq!(error_of(&text), "tiny.yaml:21:15: duplicate code 'A'");
}

#[test]
fn a_missing_level_names_the_indicator_and_the_level() {
    let text = GOOD.replace("              2: It does.\n", "");
    assert_eq!(
        error_of(&text),
        "tiny.yaml:26:19: indicator A.1.1: level 2 has no descriptor"
    );
}

#[test]
fn a_wrong_type_is_reported_where_it_stands() {
    let text = GOOD.replace(
        "              documents: [The thing]",
        "              documents: 7",
    );
    assert_eq!(error_of(&text), "tiny.yaml:34:26: expected sequence start");
}

#[test]
fn an_unknown_aggregation_method_lists_nothing_silently() {
    let text = GOOD.replace("aggregation: weakest-link", "aggregation: median");
    let message = error_of(&text);
    assert!(message.starts_with("tiny.yaml:24:"), "{message}");
    assert!(message.contains("median"), "{message}");
}

#[test]
fn several_problems_are_reported_together_in_file_order() {
    let text = GOOD
        .replace("version: \"0.1\"", "version: \"0 1\"")
        .replace("topics: [health]", "topics: [weather]");
    let message = error_of(&text);
    let lines: Vec<_> = message.lines().collect();
    assert_eq!(lines.len(), 2, "{message}");
    assert!(lines[0].starts_with("tiny.yaml:3:"), "{message}");
    assert!(lines[1].contains("topic 'weather' is not declared"), "{message}");
}

#[test]
fn a_wrong_format_version_is_refused() {
    let text = GOOD.replace("bmma-framework/1", "bmma-framework/9");
    assert_eq!(
        error_of(&text),
        "tiny.yaml:1:9: format is 'bmma-framework/9'; this version of bmma reads 'bmma-framework/1'"
    );
}

#[test]
fn broken_yaml_is_a_message_not_a_panic() {
    for text in [
        "",
        "components: [",
        "\u{0}",
        "- a\n- b",
        "id: [1, 2]",
        "format: {",
    ] {
        let message = error_of(text);
        assert!(message.starts_with("tiny.yaml:"), "{message}");
    }
}

#[test]
fn an_averaging_table_that_leaves_low_means_unconverted_is_refused() {
    let text = GOOD.replace("  - { from: 1.0, score: \"1\" }\n", "");
    assert!(error_of(&text).contains("every mean converts"));
    let text = GOOD.replace("score: \"1+\"", "score: \"7\"");
    assert!(error_of(&text).contains("score '7' is not a level of the scale"));
}

#[test]
fn scale_levels_must_be_consecutive() {
    let text = GOOD.replace("level: 2, name: High", "level: 3, name: High");
    let message = error_of(&text);
    assert!(message.contains("scale level 3 follows level 1"), "{message}");
}

#[test]
fn messages_carry_no_second_position() {
    for text in [
        GOOD.replace("aggregation: weakest-link", "aggregation: median"),
        GOOD.replace("    summary: First.\n", "    summary: First.\n    colour: red\n"),
        GOOD.replace("level: 2, name", "level: two, name"),
    ] {
        let message = error_of(&text);
        assert!(!message.contains(" line "), "{message}");
        assert_eq!(message.lines().count(), 1, "{message}");
    }
}
