//! SQL exists only in this crate: no other crate's source holds a statement or depends on a
//! database driver. (Tests elsewhere may set up states through `testing::raw_execute`.)

use std::path::{Path, PathBuf};

const DRIVERS: [&str; 4] = ["rusqlite", "tokio-postgres", "deadpool-postgres", "postgres-types"];
const STATEMENTS: [&str; 6] =
    ["SELECT ", "INSERT INTO ", "DELETE FROM ", "CREATE TABLE ", "ALTER TABLE ", "DROP TABLE "];

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// Whether a line holds a string literal that starts like a SQL statement, or an UPDATE.
fn holds_sql(line: &str) -> bool {
    line.split('"').skip(1).step_by(2).any(|literal| {
        let literal = literal.trim_start();
        STATEMENTS.iter().any(|s| literal.starts_with(s))
            || (literal.starts_with("UPDATE ") && literal.contains(" SET "))
    })
}

#[test]
fn no_crate_but_the_store_writes_sql_or_talks_to_a_database() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut checked = 0;
    let mut offences = Vec::new();
    for entry in std::fs::read_dir(&crates).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if name == "bmma-store" || !dir.join("Cargo.toml").exists() {
            continue;
        }
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        for line in manifest.lines() {
            if DRIVERS.iter().any(|d| line.trim_start().starts_with(d)) {
                offences.push(format!("{name}/Cargo.toml: {line}"));
            }
        }
        let mut files = Vec::new();
        rust_files(&dir.join("src"), &mut files);
        for file in files {
            checked += 1;
            let text = std::fs::read_to_string(&file).unwrap();
            for (number, line) in text.lines().enumerate() {
                if holds_sql(line) {
                    offences.push(format!("{}:{}: {}", file.display(), number + 1, line.trim()));
                }
            }
        }
    }
    assert!(checked > 30, "the other crates' sources were found ({checked} files)");
    assert!(offences.is_empty(), "SQL belongs in bmma-store:\n{}", offences.join("\n"));
}

#[test]
fn the_check_recognises_a_statement() {
    assert!(holds_sql(r#"    "SELECT id FROM users WHERE email = $1","#));
    assert!(holds_sql(r#"let s = "UPDATE evidence SET title = $2";"#));
    assert!(!holds_sql(r#"t.get("select-all") // SELECT in a comment"#));
    assert!(!holds_sql(r#""Update the plan""#));
}
