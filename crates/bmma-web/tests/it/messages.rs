//! Message files: French as complete as English, and every message the code asks for exists.

use std::collections::BTreeSet;
use std::path::Path;

use bmma_core::{AggregationMethod, AssessmentStatus, Role};

fn ids(lang: &str) -> BTreeSet<String> {
    let text = bmma_web::i18n::LANGUAGES.iter().find(|(l, _)| *l == lang).unwrap().1;
    text.lines()
        .filter(|line| !line.starts_with([' ', '#', '*', '[']) && line.contains(" ="))
        .map(|line| line.split(" =").next().unwrap().trim().to_string())
        .collect()
}

/// Every string literal in the templates and code that has the shape of a message id
/// (a known prefix, then lower-case words joined by '-'), plus the ids built at run time.
fn used_ids() -> BTreeSet<String> {
    const PREFIXES: &[&str] = &[
        "nav-",
        "footer-",
        "login-",
        "error-",
        "account-",
        "members-",
        "role-",
        "sharing-",
        "assessment-",
        "assessments-",
        "history-",
        "users-",
        "frameworks-",
        "framework-",
        "evidence-",
        "method-",
        "status-",
        "new-",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut used = BTreeSet::new();
    // The web's templates and code, and the application layer, whose refusals name their
    // messages.
    let places = [
        ("templates", root.join("templates")),
        ("src", root.join("src")),
        ("src", root.join("../bmma-app/src")),
    ];
    for (kind, dir) in places {
        for path in files_under(&dir) {
            let text = std::fs::read_to_string(path).unwrap();
            // In templates, only what is handed to the translator; HTML ids look alike.
            let candidates: Vec<&str> = if kind == "templates" {
                ["t.get(\"", "t.count(\"", "t.with(\""]
                    .iter()
                    .flat_map(|call| {
                        text.split(call).skip(1).map(|rest| rest.split('"').next().unwrap_or(""))
                    })
                    .collect()
            } else {
                text.split('"').skip(1).step_by(2).collect()
            };
            for piece in candidates {
                let id_shaped =
                    !piece.is_empty() && piece.chars().all(|c| c.is_ascii_lowercase() || c == '-');
                if id_shaped && PREFIXES.iter().any(|p| piece.starts_with(p)) && !piece.ends_with('-') {
                    used.insert(piece.to_string());
                }
            }
        }
    }
    for status in AssessmentStatus::ALL {
        used.insert(format!("status-{}", status.as_str()));
    }
    for method in AggregationMethod::ALL {
        used.insert(format!("method-{}", method.as_str()));
    }
    for role in Role::ALL {
        used.insert(format!("role-{}", role.as_str()));
    }
    // Kinds and rating states are named by building their ids (the History page among others).
    for kind in bmma_core::evidence::EvidenceKind::ALL {
        used.insert(format!("evidence-kind-{}", kind.as_str()));
    }
    for kind in bmma_core::sites::SiteKind::ALL {
        used.insert(format!("site-kind-{}", kind.as_str()));
    }
    for rating in [
        bmma_core::Rating::InsufficientEvidence,
        bmma_core::Rating::NotApplicable,
        bmma_core::Rating::NotAssessed,
    ] {
        used.insert(format!("rating-{}", rating.state()));
    }
    // The History page names every kind of entry the trail can hold.
    for what in bmma_store::Audited::ALL {
        used.insert(format!("audit-{}-{}", what.entity(), what.action()));
    }
    used
}

/// Every file under `dir`, in its subfolders too.
fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { files.extend(files_under(&path)) } else { files.push(path) }
    }
    files
}

#[test]
fn french_has_exactly_the_english_messages() {
    let english = ids("en");
    let french = ids("fr");
    assert!(english.len() > 50, "{} English messages", english.len());
    let missing: Vec<_> = english.difference(&french).collect();
    let extra: Vec<_> = french.difference(&english).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing in French: {missing:?}; only in French: {extra:?}"
    );
}

#[test]
fn every_message_the_code_uses_exists_in_english() {
    let english = ids("en");
    let used = used_ids();
    assert!(used.len() > 40, "{} ids found in code", used.len());
    let missing: Vec<_> = used.difference(&english).collect();
    assert!(missing.is_empty(), "used but not defined: {missing:?}");
}

#[test]
fn messages_with_arguments_format_in_both_languages() {
    let i18n = bmma_web::I18n::new().unwrap();
    let en = i18n.translator("en");
    let fr = i18n.translator("fr");
    assert_eq!(en.count("assessment-scope-count", 1usize), "one indicator.");
    assert_eq!(en.count("assessment-scope-count", 124usize), "124 indicators.");
    assert_eq!(fr.count("assessment-scope-count", 124usize), "124 indicateurs.");
    assert_eq!(
        fr.with("error-unknown-country", &[("value", "QQ")]),
        "« QQ » n'est pas un code de pays connu (ISO 3166-1 alpha-2)."
    );
}

#[test]
fn languages_are_negotiated_from_the_request() {
    let i18n = bmma_web::I18n::new().unwrap();
    assert_eq!(i18n.negotiate(None, Some("de-DE,fr;q=0.8,en;q=0.5")), "fr");
    assert_eq!(i18n.negotiate(None, Some("en;q=0.2, fr-BE;q=0.9")), "fr");
    assert_eq!(i18n.negotiate(Some("fr"), Some("en")), "fr");
    assert_eq!(i18n.negotiate(Some("xx"), None), "en");
    assert_eq!(i18n.negotiate(None, Some("")), "en");
    assert_eq!(i18n.translator("fr").dir(), "ltr");
}
