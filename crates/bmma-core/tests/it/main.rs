//! Core checks against third-party reference data kept beside the repository in
//! `../shared/data` (see its SOURCES.md).

use std::path::PathBuf;

use bmma_core::Country;

/// The file from `../shared/data`. A clone without that folder beside it skips these
/// checks, saying so, except in CI (`CI` set), where the folder must be there.
fn shared(path: &str) -> Option<String> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(path);
    match std::fs::read_to_string(&file) {
        Ok(text) => Some(text),
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("skipped: {} cannot be read ({e}); CI runs this check", file.display());
            None
        }
        Err(e) => panic!("{}: {e}", file.display()),
    }
}

/// Splits one CSV line, honouring double quotes around fields that contain commas.
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            _ => out.last_mut().unwrap().push(c),
        }
    }
    out
}

#[test]
fn every_iso_3166_country_is_known_with_its_alpha_3_code() {
    let Some(csv) = shared("iso3166/lukes/all.csv") else { return };
    let mut rows = csv.lines();
    let header = fields(rows.next().unwrap());
    assert_eq!(header[1..3], ["alpha-2", "alpha-3"]);
    let mut count = 0;
    for line in rows.filter(|l| !l.is_empty()) {
        let row = fields(line);
        let country =
            Country::by_code(&row[1]).unwrap_or_else(|| panic!("{} ({}) is unknown", row[0], row[1]));
        assert_eq!(country.alpha3, row[2], "{}", row[0]);
        assert!(!country.fictional);
        count += 1;
    }
    assert_eq!(count, 249);
    let real = Country::all().iter().filter(|c| !c.fictional).count();
    assert_eq!(real, count, "the list holds exactly the ISO 3166-1 countries");
}

#[test]
fn the_roles_document_shows_the_table_the_code_applies() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/roles.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let table = bmma_core::access::markdown_table();
    assert!(
        doc.contains(&table),
        "docs/roles.md is out of date; paste the output of `cargo run -p bmma-core --example roles_table`"
    );
}
