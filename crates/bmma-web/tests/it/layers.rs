//! The layers, read from the source: the crates depend on each other one way only; in the
//! web crate the shared HTTP layer imports no feature and a feature never imports another;
//! and in no crate does a module import one that imports it back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crates of the workspace, by folder name.
fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Every module of `krate` by its path ("features::scoring::pages"), with its source.
fn modules(krate: &str) -> BTreeMap<String, String> {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, files)
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path)
            }
        }
    }
    let src = crates_dir().join(krate).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files
        .into_iter()
        .map(|file| {
            let relative = file.strip_prefix(&src).unwrap().with_extension("");
            let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            if parts.last().is_some_and(|p| p == "mod" || p == "lib" || p == "main") {
                parts.pop();
            }
            (parts.join("::"), std::fs::read_to_string(&file).unwrap())
        })
        .collect()
}

/// The modules `module` names in its code, as `crate::…` or `super::…` paths, resolved to
/// the longest module of the crate they reach, a name the root re-exports to the module it
/// comes from. Comments are left out.
fn imports(
    module: &str,
    source: &str,
    known: &BTreeSet<String>,
    exports: &BTreeMap<String, String>,
) -> BTreeSet<String> {
    let code: String =
        source.lines().map(|line| line.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
    let parent = module.rsplit_once("::").map_or("", |(p, _)| p).to_string();
    let mut found = BTreeSet::new();
    for (prefix, base) in [("crate::", String::new()), ("super::", parent)] {
        for (at, _) in code.match_indices(prefix) {
            // `use super::{a, b}` and `use crate::x::{a, b}` name several paths at once.
            let rest = &code[at + prefix.len()..];
            let path: String =
                rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            let mut heads = vec![path.trim_end_matches(':').to_string()];
            if (path.is_empty() || path.ends_with("::")) && rest[path.len()..].starts_with('{') {
                let group: String = rest[path.len() + 1..].chars().take_while(|c| *c != '}').collect();
                heads = group.split(',').map(|item| format!("{path}{}", item.trim())).collect();
            }
            for head in heads {
                // A name the root re-exports is read as the path it comes from.
                let first = head.split("::").next().unwrap_or("");
                let full = match exports.get(first) {
                    Some(from) if base.is_empty() && !known.contains(first) => format!("{from}::{head}"),
                    _ if base.is_empty() => head,
                    _ => format!("{base}::{head}"),
                };
                let segments: Vec<&str> = full.split("::").collect();
                let reached = (1..=segments.len())
                    .rev()
                    .map(|n| segments[..n].join("::"))
                    .find(|candidate| known.contains(candidate));
                if let Some(target) = reached
                    && target != module
                    && !module.starts_with(&format!("{target}::"))
                {
                    found.insert(target);
                }
            }
        }
    }
    found
}

/// What the crate root re-exports from its modules (`pub use app::{App, …}`), so that
/// `crate::App` counts as an import of `app`.
fn root_exports(root: &str) -> BTreeMap<String, String> {
    let mut exports = BTreeMap::new();
    for statement in root.split(';') {
        let Some(rest) = statement.trim().strip_prefix("pub use ") else { continue };
        let Some((module, names)) = rest.split_once("::") else { continue };
        let names = names.trim().trim_start_matches('{').trim_end_matches('}');
        for name in names.split(',') {
            let name = name.rsplit("::").next().unwrap_or("").rsplit(" as ").next().unwrap_or("").trim();
            if !name.is_empty() {
                exports.insert(name.to_string(), module.trim().to_string());
            }
        }
    }
    exports
}

fn graph(krate: &str) -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules(krate);
    let known: BTreeSet<String> = modules.keys().filter(|m| !m.is_empty()).cloned().collect();
    let exports = root_exports(modules.get("").map_or("", String::as_str));
    modules
        .iter()
        .filter(|(name, _)| !name.is_empty())
        .map(|(name, source)| (name.clone(), imports(name, source, &known, &exports)))
        .collect()
}

/// The feature a module belongs to ("features::scoring" for "features::scoring::pages").
fn feature_of(module: &str) -> Option<String> {
    let mut parts = module.split("::");
    (parts.next() == Some("features")).then(|| parts.next().map(|f| format!("features::{f}"))).flatten()
}

#[test]
fn a_feature_never_imports_another_and_the_http_layer_imports_none() {
    let graph = graph("bmma-web");
    assert!(graph.len() > 20, "modules found: {:?}", graph.keys());
    assert!(graph["features::scoring::pages"].contains("http::page"), "imports are read");
    let mut wrong = Vec::new();
    for (module, targets) in &graph {
        for target in targets {
            let crosses = match (feature_of(module), feature_of(target)) {
                (Some(mine), Some(theirs)) => mine != theirs,
                (None, Some(_)) => true,
                _ => false,
            };
            if crosses {
                wrong.push(format!("{module} imports {target}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn in_no_crate_does_a_module_import_one_that_imports_it_back() {
    // Depth-first search; a module met again on the current path closes a cycle.
    fn visit<'a>(
        module: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|m| *m == module) {
            let mut cycle: Vec<String> = path[at..].iter().map(|m| m.to_string()).collect();
            cycle.push(module.to_string());
            return Some(cycle);
        }
        if !done.insert(module) {
            return None;
        }
        path.push(module);
        for target in graph.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(target, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut cycles = Vec::new();
    for krate in [
        "bmma-core",
        "bmma-catalog",
        "bmma-store",
        "bmma-i18n",
        "bmma-extract",
        "bmma-app",
        "bmma-web",
        "bmma",
    ] {
        let graph = graph(krate);
        assert!(!modules(krate).is_empty(), "{krate} has source");
        let mut done = BTreeSet::new();
        for module in graph.keys() {
            if let Some(cycle) = visit(module, &graph, &mut Vec::new(), &mut done) {
                cycles.push(format!("{krate}: {}", cycle.join(" → ")));
                break;
            }
        }
    }
    assert!(cycles.is_empty(), "{cycles:#?}");
}

/// The bmma crates `krate` depends on, from its manifest (development ones aside).
fn depends_on(krate: &str) -> BTreeSet<String> {
    let manifest = std::fs::read_to_string(crates_dir().join(krate).join("Cargo.toml")).unwrap();
    let mut section = String::new();
    let mut found = BTreeSet::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line.to_string();
        } else if section == "[dependencies]"
            && let Some(name) = line.split(['.', ' ', '=']).next().filter(|n| n.starts_with("bmma"))
        {
            found.insert(name.to_string());
        }
    }
    found
}

#[test]
fn the_crates_depend_on_each_other_one_way_core_at_the_bottom_web_and_command_line_on_top() {
    // What each crate may build on; anything else would point sideways or up.
    let allowed: &[(&str, &[&str])] = &[
        ("bmma-core", &[]),
        ("bmma-catalog", &["bmma-core"]),
        ("bmma-store", &["bmma-core"]),
        ("bmma-i18n", &["bmma-core"]),
        ("bmma-extract", &["bmma-core"]),
        ("bmma-app", &["bmma-core", "bmma-catalog", "bmma-store"]),
        ("bmma-web", &["bmma-core", "bmma-catalog", "bmma-i18n", "bmma-app"]),
        (
            "bmma",
            &["bmma-core", "bmma-catalog", "bmma-store", "bmma-i18n", "bmma-extract", "bmma-app", "bmma-web"],
        ),
    ];
    let mut wrong = Vec::new();
    for (krate, may) in allowed {
        let uses = depends_on(krate);
        for dependency in uses.iter().filter(|d| !may.contains(&d.as_str())) {
            wrong.push(format!("{krate} depends on {dependency}"));
        }
    }
    assert!(depends_on("bmma-web").contains("bmma-app"), "manifests are read");
    assert!(wrong.is_empty(), "{wrong:#?}");
}
