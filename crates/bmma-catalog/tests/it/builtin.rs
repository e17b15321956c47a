//! The built-in framework: complete, consistent and faithful to the assessment model.

use bmma_core::Framework;

fn bmm() -> Framework {
    let mut all = bmma_catalog::builtin().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.len(), 1);
    all.remove(0)
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
fn every_element_has_three_to_six_indicators_with_a_descriptor_per_level() {
    let framework = bmm();
    let levels: Vec<u8> = framework.scale.iter().map(|l| l.level).collect();
    assert_eq!(levels, [1, 2, 3, 4, 5]);
    for element in framework.elements() {
        let n = element.indicators.len();
        assert!((3..=6).contains(&n), "{} has {n} indicators", element.code);
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
fn elements_choose_their_aggregation_method_deliberately() {
    use bmma_core::AggregationMethod::*;
    let framework = bmm();
    // Chains of prerequisites, compensating contributions and hard safeguards all occur;
    // the plain mean is descriptive and left to organisations' own frameworks.
    for method in [WeakestLink, Averaging, Minimum] {
        assert!(framework.elements().any(|e| e.aggregation == method), "no element uses {method:?}");
    }
    let method_of = |code: &str| framework.elements().find(|e| e.code == code).unwrap().aggregation;
    assert_eq!(method_of("OPS.6"), Minimum, "detention safeguards cannot compensate each other");
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
