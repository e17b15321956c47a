//! The web crate's layers, read from its source: the shared HTTP layer imports no feature,
//! a feature never imports another, and no module imports one that imports it back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every module of the crate by its path ("features::scoring::pages"), with its source.
fn modules() -> BTreeMap<String, String> {
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
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files
        .into_iter()
        .map(|file| {
            let relative = file.strip_prefix(&src).unwrap().with_extension("");
            let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
                parts.pop();
            }
            (parts.join("::"), std::fs::read_to_string(&file).unwrap())
        })
        .collect()
}

/// The modules `module` names in its code, as `crate::…` or `super::…` paths, resolved to
/// the longest module of the crate they reach. Comments are left out.
fn imports(module: &str, source: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
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
            if path.ends_with("::") && rest[path.len()..].starts_with('{') {
                let group: String = rest[path.len() + 1..].chars().take_while(|c| *c != '}').collect();
                heads = group.split(',').map(|item| format!("{path}{}", item.trim())).collect();
            }
            for head in heads {
                let full = if base.is_empty() { head } else { format!("{base}::{head}") };
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

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let known: BTreeSet<String> = modules.keys().filter(|m| !m.is_empty()).cloned().collect();
    modules
        .iter()
        .filter(|(name, _)| !name.is_empty())
        .map(|(name, source)| (name.clone(), imports(name, source, &known)))
        .collect()
}

/// The feature a module belongs to ("features::scoring" for "features::scoring::pages").
fn feature_of(module: &str) -> Option<String> {
    let mut parts = module.split("::");
    (parts.next() == Some("features")).then(|| parts.next().map(|f| format!("features::{f}"))).flatten()
}

#[test]
fn a_feature_never_imports_another_and_the_http_layer_imports_none() {
    let graph = graph();
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
fn no_module_of_the_web_crate_imports_one_that_imports_it_back() {
    let graph = graph();
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
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        if let Some(cycle) = visit(module, &graph, &mut Vec::new(), &mut done) {
            panic!("a cycle: {}", cycle.join(" → "));
        }
    }
}
