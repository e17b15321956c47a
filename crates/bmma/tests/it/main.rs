//! The command line, run as a user runs it: the real binary, a real database (SQLite, or
//! PostgreSQL when BMMA_TEST_DATABASE_URL names one), exit codes and messages.

use std::path::Path;
use std::process::{Command, Output};

use bmma_store::DatabaseUrl;
use bmma_store::testing::{self, TestDatabase};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_with_input(dir, args, "")
}

/// Runs bmma with `input` on its standard input.
fn run_with_input(dir: &Path, args: &[&str], input: &str) -> Run {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_bmma"))
        .args(args)
        .current_dir(dir)
        .env_remove("BMMA_DATA_DIR")
        .env_remove("BMMA_DATABASE_URL")
        .env_remove("BMMA_AUDIT_KEY")
        .env("BMMA_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("running bmma");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let Output { status, stdout, stderr } = child.wait_with_output().expect("waiting for bmma");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// A database for one test, and the option that points bmma at it.
struct Cli {
    db: TestDatabase,
    dir: tempfile::TempDir,
}

impl Cli {
    async fn new() -> Cli {
        Cli { db: testing::fresh_unmigrated().await, dir: tempfile::tempdir().unwrap() }
    }

    fn url(&self) -> String {
        match &self.db.url {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => url.clone(),
        }
    }

    /// Runs bmma with the database option after the subcommand, as users often type it.
    fn run(&self, args: &[&str]) -> Run {
        self.run_with_input(args, "")
    }

    fn run_with_input(&self, args: &[&str], input: &str) -> Run {
        let url = self.url();
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--database-url", &url]);
        run_with_input(self.dir.path(), &all, input)
    }
}

#[tokio::test]
async fn the_demo_loads_once_however_often_it_is_asked_for() {
    let cli = Cli::new().await;
    let first = cli.run(&["demo"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let second = cli.run(&["demo"]);
    assert_eq!(second.stdout, first.stdout);
    let list = cli.run(&["assessment", "list", "--json"]);
    let all: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert_eq!(all[0]["id"].as_str().unwrap(), first.stdout.trim());
    assert_eq!(all[0]["country_name"], "Valdoria (fictional)");

    let shown = cli.run(&["assessment", "show", first.stdout.trim()]);
    assert_eq!(shown.code, 0);
    assert!(shown.stdout.contains("the whole framework"), "{}", shown.stdout);

    // The demo's evidence register: five items once, and the words of its PDF searchable.
    let id = first.stdout.trim();
    let store = bmma_store::Store::open(&cli.db.url).await.unwrap();
    let register = store.evidence(id).await.unwrap();
    assert_eq!(register.len(), 5);
    let words = bmma_core::evidence::query_words("roster commander");
    let hits = store.search_evidence(id, &words, 100).await.unwrap();
    let titles: Vec<&str> = hits.iter().map(|h| h.item.title.as_str()).collect();
    assert_eq!(titles, ["Standing Order 12/2023 on command at border posts"]);
    let cited = store.ratings(id).await.unwrap().iter().filter(|r| !r.evidence.is_empty()).count();
    assert!(cited > 0, "the demo's ratings cite evidence");
}

#[tokio::test]
async fn frameworks_are_listed_shown_and_imported() {
    let cli = Cli::new().await;
    let list = cli.run(&["framework", "list"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert!(list.stdout.contains("bmm@1.0"), "{}", list.stdout);

    let shown = cli.run(&["framework", "show", "bmm", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(json["components"].as_array().unwrap().len(), 4);

    let file = cli.dir.path().join("custom.yaml");
    let text = bmma_catalog::BUILTIN[0].1.replace("id: bmm\n", "id: custom\n");
    std::fs::write(&file, &text).unwrap();
    let path = file.to_str().unwrap();
    assert_eq!(cli.run(&["framework", "validate", path]).code, 0);
    let imported = cli.run(&["framework", "import", path]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    assert_eq!(imported.stdout.trim(), "custom@1.0 installed");
    assert_eq!(cli.run(&["framework", "import", path]).stdout.trim(), "custom@1.0 was already installed");
    assert!(cli.run(&["framework", "list"]).stdout.contains("custom@1.0"));

    // The linter: the authors' example passes; a level phrased as an absence is named.
    let example = cli.dir.path().join("minimal.yaml");
    std::fs::write(&example, bmma_catalog::MINIMAL_EXAMPLE).unwrap();
    let linted = cli.run(&["framework", "lint", example.to_str().unwrap()]);
    assert_eq!(linted.code, 0, "{}", linted.stderr);
    assert!(linted.stdout.contains("minimal@0.1 passes the lint"), "{}", linted.stdout);
    let lacking = bmma_catalog::MINIMAL_EXAMPLE.replace("2: Every post has", "2: No post lacks");
    std::fs::write(&example, lacking).unwrap();
    let warned = cli.run(&["framework", "lint", example.to_str().unwrap()]);
    assert_eq!(warned.code, 1);
    assert!(warned.stdout.contains("A.1.1 level 2: says what is missing"), "{}", warned.stdout);
    assert!(warned.stderr.contains("1 warnings"), "{}", warned.stderr);

    std::fs::write(&file, text.replace("name: Border", "name: Changed border")).unwrap();
    let refused = cli.run(&["framework", "import", path]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("already stored with different content"), "{}", refused.stderr);
}

#[test]
fn a_bad_framework_file_is_named_with_line_and_column_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.yaml");
    let text =
        bmma_catalog::BUILTIN[0].1.replacen("aggregation: weakest-link", "aggregation: strongest-link", 1);
    std::fs::write(&file, text).unwrap();
    let run = run_in(dir.path(), &["framework", "validate", "broken.yaml"]);
    assert_eq!(run.code, 2);
    let first = run.stderr.lines().next().unwrap();
    assert!(first.starts_with("error: broken.yaml:"), "{first}");
    assert!(first.contains("strongest-link"), "{first}");
    let missing = run_in(dir.path(), &["framework", "validate", "nowhere.yaml"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("nowhere.yaml"), "{}", missing.stderr);
}

#[test]
fn database_mistakes_give_one_line_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let unknown = run_in(dir.path(), &["migrate", "--database-url", "mysql://root@localhost/bmma"]);
    assert_eq!(unknown.code, 2);
    assert_eq!(unknown.stderr.lines().count(), 1, "{}", unknown.stderr);
    assert!(unknown.stderr.contains("unsupported database URL"));

    let deep = dir.path().join("no").join("such").join("dir");
    let missing = run_in(dir.path(), &["--data-dir", deep.to_str().unwrap(), "migrate"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(!dir.path().join("no").exists());

    let sqlite_missing = run_in(dir.path(), &["migrate", "--database-url", "sqlite://gone/bmma.db"]);
    assert_eq!(sqlite_missing.code, 2, "{}", sqlite_missing.stderr);
    assert!(!dir.path().join("gone").exists());

    let unreachable = run_in(dir.path(), &["migrate", "--database-url", "postgres://bmma@127.0.0.1:1/bmma"]);
    assert_eq!(unreachable.code, 1);
    assert!(unreachable.stderr.starts_with("error: cannot reach the database"), "{}", unreachable.stderr);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing was created");
}

#[test]
fn the_default_data_directory_is_created_on_first_use() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["migrate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("bmma-data").join("bmma.db").exists());
}

#[tokio::test]
async fn an_unknown_assessment_or_framework_exits_2() {
    let cli = Cli::new().await;
    let run = cli.run(&["assessment", "show", "nope"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.trim(), "error: no assessment has the id 'nope'");
    assert_eq!(cli.run(&["framework", "show", "nope@1"]).code, 2);
}

#[test]
fn usage_mistakes_exit_2_and_help_lists_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), &["frobnicate"]).code, 2);
    let help = run_in(dir.path(), &["--help"]);
    assert_eq!(help.code, 0);
    for command in ["serve", "migrate", "framework", "assessment", "demo"] {
        assert!(help.stdout.contains(command), "{command}");
    }
}

#[tokio::test]
async fn the_first_administrator_is_created_from_the_command_line() {
    let cli = Cli::new().await;
    let made = cli.run_with_input(
        &["user", "add", "Chief@Example.org", "--admin", "--password-stdin"],
        "a long enough passphrase\n",
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    assert_eq!(made.stdout.trim(), "administrator chief@example.org created");
    let again = cli.run_with_input(
        &["user", "add", "chief@example.org", "--password-stdin"],
        "another long passphrase\n",
    );
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("exists already"), "{}", again.stderr);
    let short = cli.run_with_input(&["user", "add", "b@example.org", "--password-stdin"], "short\n");
    assert_eq!(short.code, 2);
    assert!(short.stderr.contains("at least") || short.stderr.contains("12 to"), "{}", short.stderr);
    let no_terminal = cli.run(&["user", "add", "c@example.org"]);
    assert_eq!(no_terminal.code, 2);
    assert!(no_terminal.stderr.contains("--password-stdin"), "{}", no_terminal.stderr);
    let listed = cli.run(&["user", "list"]);
    assert!(
        listed.stdout.contains("chief@example.org") && listed.stdout.contains("(administrator)"),
        "{}",
        listed.stdout
    );
    assert!(!listed.stdout.contains("b@example.org"));
}

#[tokio::test]
async fn a_token_for_scripts_is_printed_once_and_stored_hashed() {
    let cli = Cli::new().await;
    cli.run_with_input(&["user", "add", "ops@example.org", "--password-stdin"], "a long enough passphrase\n");
    let made = cli.run(&["token", "create", "ops@example.org", "--name", "nightly export"]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let token = made.stdout.trim();
    assert!(token.starts_with("bmma_") && token.len() == 69, "{token}");
    let store = &cli.db.store;
    let owner = store.user_by_token(&bmma_app::accounts::secret_hash(token)).await.unwrap().unwrap();
    assert_eq!(owner.email, "ops@example.org");
    assert!(store.user_by_token(token).await.unwrap().is_none(), "the token itself is not stored");
    assert_eq!(cli.run(&["token", "create", "nobody@example.org", "--name", "x"]).code, 2);
    // The command line names a token under the same rule as the account page.
    let long = "n".repeat(101);
    for (name, problem) in
        [("  ", "--name: This field is required."), (long.as_str(), "--name: Use at most 100 characters.")]
    {
        let refused = cli.run(&["token", "create", "ops@example.org", "--name", name]);
        assert_eq!(refused.code, 2, "{}", refused.stderr);
        assert!(refused.stderr.contains(problem), "{}", refused.stderr);
    }
}

#[tokio::test]
async fn audit_verify_passes_then_names_a_tampered_entry() {
    let cli = Cli::new().await;
    assert_eq!(cli.run(&["demo"]).code, 0);
    let intact = cli.run(&["audit", "verify"]);
    assert_eq!(intact.code, 0, "{}", intact.stderr);
    assert!(intact.stdout.starts_with("the audit trail is intact: "), "{}", intact.stdout);
    testing::raw_execute(&cli.db.url, "UPDATE audit_log SET after = '{\"title\":\"forged\"}' WHERE seq = 3")
        .await;
    let broken = cli.run(&["audit", "verify"]);
    assert_eq!(broken.code, 1);
    assert!(broken.stderr.contains("broken at entry 3"), "{}", broken.stderr);
}

#[test]
fn a_backup_restores_into_a_new_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), &["demo"]).code, 0);
    let backup = run_in(dir.path(), &["backup", "copy.db"]);
    assert_eq!(backup.code, 0, "{}", backup.stderr);
    assert_eq!(run_in(dir.path(), &["backup", "copy.db"]).code, 2, "an existing file is not overwritten");

    let checkpoint = std::fs::read_to_string(dir.path().join("copy.db.checkpoint")).unwrap();
    assert!(checkpoint.trim().parse::<bmma_store::Checkpoint>().is_ok(), "{checkpoint}");

    // A new data directory without the audit key cannot check the copy, and says what to do.
    std::fs::create_dir(dir.path().join("restored")).unwrap();
    let keyless = run_in(dir.path(), &["restore", "copy.db", "--data-dir", "restored"]);
    assert_eq!(keyless.code, 2, "{}", keyless.stderr);
    assert!(keyless.stderr.contains("was not restored"), "{}", keyless.stderr);
    assert!(!dir.path().join("restored/bmma.db").exists());
    std::fs::copy(dir.path().join("bmma-data/audit.key"), dir.path().join("restored/audit.key")).unwrap();
    let restore = run_in(dir.path(), &["restore", "copy.db", "--data-dir", "restored"]);
    assert_eq!(restore.code, 0, "{}", restore.stderr);
    assert!(restore.stdout.contains("holds the checkpoint"), "{}", restore.stdout);
    let refused = run_in(dir.path(), &["restore", "copy.db", "--data-dir", "restored"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    assert_eq!(run_in(dir.path(), &["restore", "copy.db", "--data-dir", "restored", "--force"]).code, 0);

    let original = run_in(dir.path(), &["assessment", "list", "--json"]).stdout;
    let restored = run_in(dir.path(), &["assessment", "list", "--json", "--data-dir", "restored"]).stdout;
    assert_eq!(restored, original);
    assert_eq!(run_in(dir.path(), &["audit", "verify", "--data-dir", "restored"]).code, 0);
}

#[test]
fn the_first_start_without_accounts_says_how_to_create_one() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_bmma"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("BMMA_DATA_DIR")
        .env_remove("BMMA_DATABASE_URL")
        .env("BMMA_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = Vec::new();
    for line in BufReader::new(server.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let listening = line.starts_with("bmma is listening on http://127.0.0.1:");
        said.push(line);
        if listening {
            break;
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(said.iter().any(|l| l.contains("bmma user add you@example.org --admin")), "{said:?}");
}

#[test]
fn aggregate_prints_the_score_and_how_it_was_reached() {
    let dir = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (vec!["weakest-link", "3", "4", "2", "4"], "2+  (weakest link of 4 scores, 0 left out)"),
        (vec!["minimum", "3", "4", "2", "4"], "2  (minimum of 4 scores, 0 left out)"),
        (vec!["averaging", "3", "4"], "3+  (averaging of 2 scores, 0 left out)"),
        (vec!["averaging", "3", "3", "4"], "3  (averaging of 3 scores, 0 left out)"),
        (vec!["mean", "3", "3", "4", "NA"], "3.3  (mean of 3 scores, 1 left out)"),
        (
            vec!["weakest-link", "IE", "5"],
            "1+  (weakest link of 2 scores, 0 left out, held down by insufficient evidence)",
        ),
        (vec!["pefa-m1", "B", "C", "A"], "C+  (PEFA M1 (weakest link) of 3 scores, 0 left out)"),
        (vec!["pefa-m1", "b", "b"], "B  (PEFA M1 (weakest link) of 2 scores, 0 left out)"),
        (
            vec!["pefa-m1", "D*", "A", "NA"],
            "D+  (PEFA M1 (weakest link) of 2 scores, 1 left out, held down by insufficient evidence)",
        ),
        (vec!["mean", "NA", "NS"], "none  (mean of 0 scores, 2 left out)"),
    ] {
        let mut all = vec!["aggregate", "--method"];
        all.extend(args.iter().copied());
        let run = run_in(dir.path(), &all);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout.trim(), expected, "{args:?}");
    }
    for bad in [vec!["mean", "6"], vec!["pefa-m1", "3"], vec!["weakest-link", "E"]] {
        let mut all = vec!["aggregate", "--method"];
        all.extend(bad.iter().copied());
        let run = run_in(dir.path(), &all);
        assert_eq!(run.code, 2, "{bad:?}");
        assert!(run.stderr.contains(&format!("'{}'", bad[1])), "{}", run.stderr);
    }
}

#[test]
fn pefa_m2_looks_the_combination_up_in_the_table_given() {
    let dir = tempfile::tempdir().unwrap();
    // Illustrative rows for the test, not PEFA's published table.
    std::fs::write(
        dir.path().join("m2.txt"),
        "# dimension scores -> indicator score\nD C -> D+\nA B C -> B\n",
    )
    .unwrap();
    let aggregate = |args: &[&str]| {
        let mut all = vec!["aggregate", "--method", "pefa-m2", "--table", "m2.txt"];
        all.extend_from_slice(args);
        run_in(dir.path(), &all)
    };
    let run = aggregate(&["C", "D"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "D+  (PEFA M2 by m2.txt of 2 scores, 0 left out)");
    let run = aggregate(&["c", "NA", "a", "b"]);
    assert_eq!(run.stdout.trim(), "B  (PEFA M2 by m2.txt of 3 scores, 1 left out)");
    let run = aggregate(&["D*", "C"]);
    assert_eq!(run.stdout.trim(), "D+  (PEFA M2 by m2.txt of 2 scores, 0 left out)", "D* counts as D");

    let missing = aggregate(&["A", "D"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("m2.txt: the table has no row for A D"), "{}", missing.stderr);
    std::fs::write(dir.path().join("bad.txt"), "D C -> D+\nD C D+\n").unwrap();
    let bad = run_in(dir.path(), &["aggregate", "--method", "pefa-m2", "--table", "bad.txt", "C", "D"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("bad.txt:2: 'D C D+' has no '->'"), "{}", bad.stderr);
    let without = run_in(dir.path(), &["aggregate", "--method", "pefa-m2", "C", "D"]);
    assert_eq!(without.code, 2);
    assert!(without.stderr.contains("pefa-m2 needs --table FILE"), "{}", without.stderr);
    let elsewhere = run_in(dir.path(), &["aggregate", "--method", "mean", "--table", "m2.txt", "3"]);
    assert_eq!(elsewhere.code, 2);
    assert!(elsewhere.stderr.contains("--table is used by --method pefa-m2 only"), "{}", elsewhere.stderr);
}

#[tokio::test]
async fn synthetic_assessments_are_fully_rated_and_made_once() {
    let cli = Cli::new().await;
    for _ in 0..2 {
        let run = cli.run(&["demo", "--synthetic", "2"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let list: serde_json::Value =
        serde_json::from_str(&cli.run(&["assessment", "list", "--json"]).stdout).unwrap();
    assert_eq!(
        list.as_array().unwrap().len(),
        3,
        "the demo and two synthetic assessments, however often asked"
    );
    let store = &cli.db.store;
    let id = "00000000-0000-4000-9000-000000000001";
    assert_eq!(store.ratings(id).await.unwrap().len(), 150 * 5);
    assert_eq!(store.agreed_scores(id).await.unwrap().len(), 150);
    assert_eq!(
        store.get_assessment(id).await.unwrap().unwrap().status,
        bmma_core::AssessmentStatus::Fieldwork
    );
    assert_eq!(cli.run(&["audit", "verify"]).code, 0);
}

#[test]
fn an_upload_limit_outside_1_to_1000_mb_is_refused_before_serving() {
    let dir = tempfile::tempdir().unwrap();
    for limit in ["0", "1001", "lots"] {
        let run = run_in(dir.path(), &["serve", "--max-upload-mb", limit]);
        assert_eq!(run.code, 2, "{limit}: {}", run.stderr);
        assert!(run.stderr.contains("--max-upload-mb"), "{limit}: {}", run.stderr);
    }
    assert!(!dir.path().join("bmma-data").exists(), "nothing was created");
}

#[test]
fn files_named_on_the_command_line_are_capped_and_their_problems_counted() {
    let dir = tempfile::tempdir().unwrap();
    // An endless file is refused at the limit instead of filling the memory.
    let endless = run_in(dir.path(), &["framework", "validate", "/dev/zero"]);
    assert_eq!(endless.code, 2, "{}", endless.stderr);
    assert!(endless.stderr.contains("/dev/zero: larger than 8 MB"), "{}", endless.stderr);
    let table = run_in(dir.path(), &["aggregate", "--method", "pefa-m2", "--table", "/dev/zero", "C", "D"]);
    assert_eq!(table.code, 2, "{}", table.stderr);
    assert!(table.stderr.contains("/dev/zero: larger than 1 MB"), "{}", table.stderr);

    // Thousands of bad rows: the first twenty are named, the rest counted.
    std::fs::write(dir.path().join("rows.txt"), "A B C\n".repeat(5000)).unwrap();
    let rows = run_in(dir.path(), &["aggregate", "--method", "pefa-m2", "--table", "rows.txt", "C", "D"]);
    assert_eq!(rows.code, 2);
    assert!(rows.stderr.contains("rows.txt:20: 'A B C' has no '->'"), "{}", rows.stderr);
    assert!(!rows.stderr.contains("rows.txt:21:"), "{}", rows.stderr);
    assert!(rows.stderr.contains("… and 4980 more problems"), "{}", rows.stderr);
    assert!(rows.stderr.lines().count() < 30, "{}", rows.stderr);

    // Bytes that are not UTF-8 are found by line and column.
    std::fs::write(dir.path().join("latin1.txt"), b"D C -> D+\n# r\xe9sum\xe9\n".as_slice()).unwrap();
    let latin1 = run_in(dir.path(), &["aggregate", "--method", "pefa-m2", "--table", "latin1.txt", "C", "D"]);
    assert_eq!(latin1.code, 2);
    assert!(latin1.stderr.contains("latin1.txt:2:4: these bytes are not UTF-8 text"), "{}", latin1.stderr);
    std::fs::write(dir.path().join("fw.yaml"), b"id: x\nname: \"Cr\xe8me\"\n".as_slice()).unwrap();
    let framework = run_in(dir.path(), &["framework", "validate", "fw.yaml"]);
    assert_eq!(framework.code, 2);
    assert!(
        framework.stderr.contains("fw.yaml:2:10: these bytes are not UTF-8 text"),
        "{}",
        framework.stderr
    );
}

#[tokio::test]
async fn the_audit_key_is_made_once_and_a_checkpoint_finds_entries_removed_since() {
    use std::os::unix::fs::PermissionsExt;
    let cli = Cli::new().await;
    assert_eq!(cli.run(&["demo"]).code, 0);
    let key_file = cli.dir.path().join("bmma-data/audit.key");
    assert_eq!(std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777, 0o600);
    let key = std::fs::read_to_string(&key_file).unwrap();
    let printed = cli.run(&["audit", "checkpoint"]);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    let checkpoint: bmma_store::Checkpoint = printed.stdout.trim().parse().unwrap();
    let intact = cli.run(&["audit", "verify", "--checkpoint", printed.stdout.trim()]);
    assert_eq!(intact.code, 0, "{}", intact.stderr);
    assert!(intact.stdout.contains("holds checkpoint"), "{}", intact.stdout);
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), key, "the key is kept, not made again");

    testing::raw_execute(&cli.db.url, &format!("DELETE FROM audit_log WHERE seq = {}", checkpoint.seq)).await;
    assert_eq!(cli.run(&["audit", "verify"]).code, 0, "without a checkpoint the shorter trail looks whole");
    let truncated = cli.run(&["audit", "verify", "--checkpoint", printed.stdout.trim()]);
    assert_eq!(truncated.code, 1);
    assert!(truncated.stderr.contains("entries were removed since"), "{}", truncated.stderr);
    let nonsense = cli.run(&["audit", "verify", "--checkpoint", "yesterday"]);
    assert_eq!(nonsense.code, 2);
    assert!(nonsense.stderr.contains("SEQ:HASH"), "{}", nonsense.stderr);

    // Without its key, a sealed trail is not given a new one.
    std::fs::remove_file(&key_file).unwrap();
    let lost = cli.run(&["assessment", "list"]);
    assert_eq!(lost.code, 2);
    assert!(lost.stderr.contains("sealed with a key that is not here"), "{}", lost.stderr);
    assert!(!key_file.exists());
}

#[test]
fn the_server_writes_the_audit_checkpoint_to_its_log_when_it_starts() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), &["demo"]).code, 0);
    let expected = run_in(dir.path(), &["audit", "checkpoint"]).stdout.trim().to_string();
    let mut server = Command::new(env!("CARGO_BIN_EXE_bmma"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("BMMA_DATA_DIR")
        .env_remove("BMMA_DATABASE_URL")
        .env_remove("BMMA_AUDIT_KEY")
        .env("BMMA_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut logged = None;
    for line in BufReader::new(server.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        if line.contains("audit checkpoint") {
            logged = Some(line);
            break;
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let logged = logged.expect("the server logs a checkpoint");
    assert!(logged.contains(&expected), "{logged} should hold {expected}");
}

#[test]
fn a_calibration_set_gives_raters_a_packet_and_ratings_give_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    let (_, framework) = bmma_catalog::BUILTIN.iter().find(|(name, _)| *name == "bmm-2.0.yaml").unwrap();
    let (_, set) = bmma_catalog::BUILTIN_CALIBRATION[0];
    std::fs::write(dir.path().join("bmm.yaml"), framework).unwrap();
    std::fs::write(dir.path().join("set.yaml"), set).unwrap();

    // The packet holds the write-ups and descriptors, never the intended levels.
    let packet =
        run_in(dir.path(), &["framework", "packet", "bmm.yaml", "--set", "set.yaml", "--half", "held-out"]);
    assert_eq!(packet.code, 0, "{}", packet.stderr);
    assert!(packet.stdout.contains("## Write-up C05: element ADM.3 Recruitment"), "held-out C05 is in it");
    assert!(!packet.stdout.contains("## Write-up C01:"), "C01 belongs to the development half");
    assert!(packet.stdout.contains("Thin evidence"), "the rules are shown");
    assert!(!packet.stdout.contains("intended"), "nothing says what the author intended");

    // Two raters: one rates C01 (intended 1) at level 1 throughout, the other at 3.
    let element = bmma_catalog::load_str("bmm.yaml", framework).unwrap();
    let codes: Vec<String> = element
        .elements()
        .find(|e| e.code == "ADM.1")
        .unwrap()
        .indicators
        .iter()
        .map(|i| i.code.clone())
        .collect();
    for (rater, level) in [("A", 1), ("B", 3)] {
        let lines: String = codes.iter().map(|c| format!("    {c}: {level}\n")).collect();
        let text =
            format!("format: bmma-ratings/1\nrater: {rater}\nframework: bmm@2.0\nratings:\n  C01:\n{lines}");
        std::fs::write(dir.path().join(format!("{rater}.yaml")), text).unwrap();
    }
    let args = [
        "framework",
        "calibrate",
        "bmm.yaml",
        "--set",
        "set.yaml",
        "--ratings",
        "A.yaml",
        "--ratings",
        "B.yaml",
    ];
    let report = run_in(dir.path(), &args);
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert!(report.stdout.contains("| A | 100% (1/1) | +0.00 |"), "{}", report.stdout);
    assert!(report.stdout.contains("| B | 0% (0/1) | +2.00 |"), "{}", report.stdout);
    assert!(
        report.stdout.contains(&format!("| ADM | {} | 0% (0/{}) |", codes.len(), codes.len())),
        "{}",
        report.stdout
    );

    // A rating off the scale is named with its file and line.
    std::fs::write(
        dir.path().join("B.yaml"),
        "format: bmma-ratings/1\nrater: B\nframework: bmm@2.0\nratings:\n  C01:\n    ADM.1.1: 7\n",
    )
    .unwrap();
    let refused = run_in(dir.path(), &args);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("B.yaml:6:14: write-up C01, ADM.1.1: a rating is a level of the scale"),
        "{}",
        refused.stderr
    );
}
