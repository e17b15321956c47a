//! The built-in framework: complete, consistent and faithful to the assessment model.
//! `bmm@2.0` is the current version; `bmm@1.0` stays installed, unchanged, for the
//! assessments opened on it.

use bmma_core::Framework;
use bmma_core::calibration::{Half, Intended};

fn version(version: &str) -> Framework {
    let all = bmma_catalog::builtin().unwrap_or_else(|e| panic!("{e}"));
    all.into_iter().find(|f| f.id == "bmm" && f.version == version).expect("built in")
}

/// The current version, the one new assessments are opened on.
fn bmm() -> Framework {
    version("2.0")
}

#[test]
fn has_the_four_components_and_every_element_of_the_model() {
    let framework = bmm();
    let outline: Vec<(String, Vec<String>)> = framework
        .components
        .iter()
        .map(|c| (c.name.clone(), c.elements.iter().map(|e| e.name.clone()).collect()))
        .collect();
    let expected = [
        (
            "Administration",
            vec![
                "Structure",
                "Resources",
                "Recruitment",
                "Performance standards",
                "Training programmes",
                "Staff turnover",
                "Values and conduct",
            ],
        ),
        (
            "Regulatory framework",
            vec![
                "Policy",
                "Legislation",
                "Regulations",
                "Procedures",
                "International agreements",
                "Inter-agency cooperation",
                "Regional cooperation",
            ],
        ),
        (
            "Operations",
            vec![
                "Entry and residence",
                "Passenger processing at border posts",
                "Investigations",
                "Intelligence",
                "Prosecutions",
                "Detention",
                "Removal",
                "Humanitarian considerations",
                "Health considerations",
                "Border surveillance",
            ],
        ),
        (
            "Information management",
            vec![
                "Border management information systems",
                "Alert lists",
                "Passport and travel document systems",
                "Visa systems",
                "System integrity",
            ],
        ),
    ];
    let expected: Vec<(String, Vec<String>)> = expected
        .into_iter()
        .map(|(c, es)| (c.to_string(), es.into_iter().map(String::from).collect()))
        .collect();
    assert_eq!(outline, expected);
}

#[test]
fn every_element_has_three_to_ten_indicators_with_a_descriptor_per_level() {
    let framework = bmm();
    let levels: Vec<u8> = framework.scale.iter().map(|l| l.level).collect();
    assert_eq!(levels, [1, 2, 3, 4, 5]);
    for element in framework.elements() {
        let n = element.indicators.len();
        assert!((3..=10).contains(&n), "{} has {n} indicators", element.code);
        for indicator in &element.indicators {
            let described: Vec<u8> = indicator.levels.iter().map(|l| l.level).collect();
            assert_eq!(described, levels, "{}", indicator.code);
            let evidence = &indicator.evidence;
            assert!(
                !evidence.documents.is_empty()
                    && !evidence.interviews.is_empty()
                    && !evidence.observation.is_empty()
                    && !evidence.does_not_count.is_empty(),
                "{} lacks evidence guidance",
                indicator.code
            );
            assert!(
                indicator.code.starts_with(&format!("{}.", element.code)),
                "{} is not numbered under {}",
                indicator.code,
                element.code
            );
        }
    }
}

#[test]
fn the_scale_names_the_five_capacity_levels() {
    let names: Vec<String> = bmm().scale.iter().map(|l| l.name.clone()).collect();
    assert_eq!(names, ["None", "Limited", "Developed", "Demonstrated", "Sustainable"]);
}

#[test]
fn every_topic_the_brochure_names_is_findable() {
    let framework = bmm();
    for topic in [
        "travel-documents",
        "visa-issuance",
        "entry-exit-controls",
        "health",
        "it",
        "hr",
        "monitoring-reporting",
        "legislation",
        "policy",
        "sops",
    ] {
        let found = framework.indicators_with_topic(topic).count();
        assert!(found >= 2, "topic {topic} tags only {found} indicators");
    }
}

#[test]
fn every_element_says_why_it_combines_its_indicators_as_it_does() {
    use bmma_core::AggregationMethod::*;
    for element in bmm().elements() {
        assert!(
            element.aggregation_reason.len() > 40,
            "{} gives no reason for {:?}",
            element.code,
            element.aggregation
        );
        // Calibration showed that one strict indicator pulling a whole element down made
        // scores experts rejected: the minimum is gone, and the plain mean is descriptive.
        assert!(
            matches!(element.aggregation, Averaging | WeakestLink),
            "{} uses {:?}",
            element.code,
            element.aggregation
        );
    }
}

#[test]
fn the_scoring_rules_every_indicator_relies_on_are_written_down() {
    let rules = bmm().rules;
    for (name, text) in
        [("sampling", &rules.sampling), ("thin evidence", &rules.thin_evidence), ("periods", &rules.periods)]
    {
        assert!(text.len() > 100, "the {name} rule is missing or a stub: {text:?}");
    }
    assert!(rules.sampling.contains("traffic"), "the sample is weighted by traffic");
    assert!(
        bmm().quantifiers.iter().any(|q| q.term == "recent period" && q.meaning.contains("reporting year"))
    );
}

#[test]
fn every_action_carries_what_the_road_map_starts_from() {
    let framework = bmm();
    let agencies: Vec<&str> = framework.agencies.iter().map(|a| a.id.as_str()).collect();
    for indicator in framework.indicators() {
        let from: Vec<u8> = indicator.actions.iter().map(|a| a.from_level).collect();
        assert_eq!(from, [1, 2, 3, 4], "{} suggests actions from {from:?}", indicator.code);
        for action in &indicator.actions {
            assert!(
                action.horizon.is_some() && action.cost.is_some(),
                "{} {}",
                indicator.code,
                action.from_level
            );
            assert!(action.agency.as_deref().is_some_and(|a| agencies.contains(&a)), "{}", indicator.code);
        }
    }
}

#[test]
fn the_gaps_the_coverage_review_ranked_are_covered() {
    let framework = bmm();
    let title =
        |code: &str| framework.find_indicator(code).map(|(_, i)| i.title.to_lowercase()).unwrap_or_default();
    for (code, words) in [
        ("OPS.10.1", "surveillance"),
        ("OPS.8.6", "rescued"),
        ("OPS.8.7", "deaths"),
        ("ADM.7.7", "independent body monitors border operations"),
        ("ADM.3.5", "women"),
        ("INF.1.5", "biometric"),
        ("OPS.6.7", "children"),
        ("ADM.4.5", "inspection"),
        ("INF.2.6", "interpol notices"),
        ("REG.6.6", "facilitation committee"),
        ("REG.7.5", "border residents"),
    ] {
        assert!(title(code).contains(words), "{code} is {:?}", title(code));
    }
    for topic in ["gender", "children", "fundamental-rights", "surveillance", "integrity", "return"] {
        assert!(framework.indicators_with_topic(topic).count() >= 2, "topic {topic}");
    }
    // Split in two: API and PNR are scored apart, and occupational health moved to resources.
    assert!(title("OPS.4.4").contains("advance passenger") && title("OPS.4.5").contains("passenger name"));
    assert!(framework.find_indicator("OPS.9.4").is_none() && title("ADM.2.7").contains("occupational"));
}

#[test]
fn the_calibration_set_covers_every_component_level_and_state() {
    let framework = bmm();
    let set = bmma_catalog::builtin_calibration(&framework)
        .expect("a set for bmm@2.0")
        .unwrap_or_else(|e| panic!("{e}"));
    let n = set.writeups.len();
    assert!(n >= 40, "{n} write-ups");
    let count = |keep: &dyn Fn(&bmma_core::calibration::WriteUp) -> bool| {
        set.writeups.iter().filter(|w| keep(w)).count()
    };
    for component in &framework.components {
        let prefix = format!("{}.", component.code);
        assert!(count(&|w| w.element.starts_with(&prefix)) >= 4, "{}", component.code);
    }
    for level in 1..=5 {
        assert!(count(&|w| w.intended == Intended::Level(level)) >= 4, "level {level}");
    }
    assert!(count(&|w| w.intended == Intended::InsufficientEvidence) >= 4);
    assert!(3 * count(&|w| w.borderline) >= n, "a third are borderline");
    let held_out = count(&|w| w.half == Half::HeldOut);
    assert!(held_out >= n / 3 && held_out <= 2 * n / 3, "{held_out} of {n} held out");
    assert_ne!(set.country, "Valdoria", "a different country from the demo's");
}

#[test]
fn the_first_version_stays_installed_beside_the_current_one() {
    let first = version("1.0");
    assert_eq!(first.indicators().count(), 124);
    assert!(bmm().indicators().count() > first.indicators().count());
}

#[test]
fn descriptors_avoid_words_nobody_can_check() {
    let vague = ["adequate", "effective", "good", "appropriate", "sufficient", "proper", "satisfactory"];
    for indicator in bmm().indicators() {
        for descriptor in &indicator.levels {
            let lower = descriptor.text.to_lowercase();
            for word in vague {
                let hit = lower
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w == word || w == format!("{word}ly"));
                assert!(!hit, "{} level {} uses '{word}'", indicator.code, descriptor.level);
            }
        }
    }
}

#[test]
fn the_committed_json_schema_matches_the_format() {
    let generated = serde_json::to_string_pretty(&bmma_catalog::json_schema()).unwrap() + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/framework.schema.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed != generated {
        if std::env::var_os("BMMA_UPDATE_SCHEMA").is_some() {
            std::fs::write(path, &generated).unwrap();
        } else {
            panic!("docs/framework.schema.json is out of date; run the tests with BMMA_UPDATE_SCHEMA=1");
        }
    }
}

#[test]
fn the_outline_is_stable() {
    let framework = version("1.0");
    let outline: Vec<String> = framework.indicators().map(|i| format!("{} {}", i.code, i.title)).collect();
    insta::assert_snapshot!(outline.join("\n"));
}

#[test]
fn the_outline_of_the_current_version_is_stable() {
    let framework = bmm();
    let outline: Vec<String> = framework.indicators().map(|i| format!("{} {}", i.code, i.title)).collect();
    insta::assert_snapshot!(outline.join("\n"));
}

#[test]
fn a_released_builtin_version_keeps_its_text_and_each_version_is_recorded() {
    use sha2::Digest;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("frameworks/released.txt");
    let released: std::collections::BTreeMap<String, String> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let (reference, hash) = line.split_once(' ').expect("`id@version sha256` on each line");
            (reference.to_string(), hash.trim().to_string())
        })
        .collect();
    for (name, text) in bmma_catalog::BUILTIN {
        let reference = bmma_catalog::load_str(name, text).unwrap().reference().to_string();
        let hash: String = sha2::Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        match released.get(&reference) {
            Some(recorded) => assert_eq!(
                recorded, &hash,
                "{name} changed the text of the released {reference}: give the corrected file a new version"
            ),
            None => {
                panic!("{reference} ({name}) is not in frameworks/released.txt; add `{reference} {hash}`")
            }
        }
    }
}
