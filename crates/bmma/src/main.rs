//! The bmma command line: the one place that reads configuration and wires the crates
//! together.

mod calibrate;
mod demo;
mod synthetic;

/// Prints a line of command output, returning an error when standard output is closed
/// instead of panicking as `println!` does.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?
    }};
}

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use bmma_store::{DatabaseUrl, Store};
use clap::{Args, Parser, Subcommand};

/// bmma: Border and Migration Management Assessments.
///
/// Carries an assessment from the government's request through scoping, fieldwork and
/// scoring. Data lives in an embedded SQLite database under the data directory unless
/// --database-url names a PostgreSQL server.
#[derive(Parser)]
#[command(name = "bmma", version, about, long_about)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Global {
    /// Directory for the embedded database and files. Created on first use if its parent exists.
    #[arg(long, global = true, env = "BMMA_DATA_DIR", default_value = "bmma-data", value_name = "DIR")]
    data_dir: PathBuf,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DATABASE. Overrides --data-dir for the database.
    #[arg(long, global = true, env = "BMMA_DATABASE_URL", value_name = "URL")]
    database_url: Option<String>,
}

/// How the words of uploads are read: by this executable, or the one named, in a process of
/// its own for each file.
#[derive(Args)]
struct Reading {
    /// The bmma executable that reads uploads (`PATH extract-text`); this one by default.
    #[arg(long, env = "BMMA_TEXT_READER", value_name = "PATH")]
    text_reader: Option<PathBuf>,
    /// The memory one reading process may use, in megabytes.
    #[arg(long, env = "BMMA_TEXT_READER_MEMORY_MB", default_value_t = 1024, value_parser = clap::value_parser!(u64).range(64..=65536))]
    text_reader_memory_mb: u64,
    /// The time one file may take to read, in seconds (processor time, and twice that on the clock).
    #[arg(long, env = "BMMA_TEXT_READER_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    text_reader_seconds: u64,
}

impl Reading {
    fn settings(&self) -> bmma_app::TextReading {
        let default = bmma_app::TextReading::default();
        bmma_app::TextReading {
            program: self.text_reader.clone().unwrap_or(default.program),
            memory_mb: self.text_reader_memory_mb,
            cpu_seconds: self.text_reader_seconds,
            timeout: std::time::Duration::from_secs(self.text_reader_seconds * 2),
            ..default
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server.
    Serve {
        /// Address and port to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Load the demo assessment and demo accounts before serving (safe to repeat).
        #[arg(long)]
        demo: bool,
        /// Mark cookies Secure: use when bmma is reached over HTTPS, directly or through a proxy.
        #[arg(long, env = "BMMA_SECURE_COOKIES")]
        secure_cookies: bool,
        /// The largest file accepted as evidence, in megabytes (1 to 1000).
        #[arg(long, env = "BMMA_MAX_UPLOAD_MB", default_value_t = 25, value_parser = clap::value_parser!(u64).range(1..=1000))]
        max_upload_mb: u64,
        /// The reverse proxy in front of bmma, as ADDRESS/PREFIX: only requests from it are
        /// taken to come from the address its X-Forwarded-For names. Off by default.
        #[arg(long, env = "BMMA_TRUSTED_PROXY", value_name = "CIDR")]
        trusted_proxy: Option<bmma_web::Cidr>,
        #[command(flatten)]
        reading: Reading,
    },
    /// Read the words of one uploaded file from standard input to standard output, within
    /// limits this process sets on itself. The server runs it for every upload.
    #[command(hide = true)]
    ExtractText {
        #[arg(long)]
        media_type: String,
        #[arg(long, default_value_t = 1024)]
        memory_mb: u64,
        #[arg(long, default_value_t = 30)]
        cpu_seconds: u64,
        #[arg(long, default_value_t = bmma_app::DEFAULT_MAX_UPLOAD_BYTES)]
        input_bytes: u64,
    },
    /// Apply pending database migrations and install the built-in frameworks.
    Migrate,
    /// List, show, validate and import frameworks.
    #[command(subcommand)]
    Framework(FrameworkCommand),
    /// List and show assessments.
    #[command(subcommand)]
    Assessment(AssessmentCommand),
    /// Load the demo assessment of a fictional country and its demo accounts; print its id (safe to repeat).
    Demo {
        /// Also make N synthetic assessments (150 indicators, 5 experts, all rated and agreed), for measurements.
        #[arg(long, value_name = "N")]
        synthetic: Option<usize>,
    },
    /// Create and list accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Create API tokens for scripts.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Aggregate dimension or indicator scores by a method, to check it against published tables.
    ///
    /// Scores are levels of the built-in scale (1 to 5), or with the PEFA methods the
    /// letters A to D (D* for insufficient information). IE marks insufficient evidence
    /// (counted at the lowest level, flagged), NA not applicable and NS not assessed (both
    /// left out). Averaging converts the mean with the built-in framework's table; pefa-m2
    /// looks the combination up in the conversion table given with --table.
    Aggregate {
        #[arg(long, value_enum)]
        method: AggregateMethod,
        /// For pefa-m2: the conversion table, one row per line, such as `D C -> D+`.
        #[arg(long)]
        table: Option<PathBuf>,
        /// The scores to aggregate, for example `3 4 2` or `B C A`.
        #[arg(required = true)]
        scores: Vec<String>,
    },
    /// Copy the embedded database to FILE while bmma keeps running.
    Backup { file: PathBuf },
    /// Put a backup in place of the embedded database. Stop the server first.
    Restore {
        file: PathBuf,
        /// Replace an existing database.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum AggregateMethod {
    WeakestLink,
    Averaging,
    Minimum,
    Mean,
    /// PEFA's M1: weakest link on the letters A to D.
    PefaM1,
    /// PEFA's M2: the combination of dimension scores looked up in a conversion table.
    PefaM2,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. Asks for the password on the terminal, or reads it from standard input.
    Add {
        email: String,
        /// The person's name, as colleagues will see it (defaults to the e-mail address).
        #[arg(long)]
        name: Option<String>,
        /// Make the account an administrator.
        #[arg(long)]
        admin: bool,
        /// Read the password from the first line of standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the accounts.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for the account EMAIL and print it (shown once).
    Create {
        email: String,
        /// What the token is for.
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain of the audit trail and name the first broken entry.
    Verify {
        /// A checkpoint printed earlier (SEQ:HASH): also find entries removed or rewritten since.
        #[arg(long, value_name = "SEQ:HASH")]
        checkpoint: Option<String>,
    },
    /// Print the newest entry's sequence number and hash, to keep somewhere else.
    Checkpoint,
}

#[derive(Subcommand)]
enum FrameworkCommand {
    /// List the installed frameworks.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show a framework: ID@VERSION, or ID for its newest version.
    Show {
        reference: String,
        #[arg(long)]
        json: bool,
    },
    /// Check a framework file and report every problem with its line and column.
    Validate { file: PathBuf },
    /// Check a framework file and install it.
    Import { file: PathBuf },
    /// Warn where a framework file is written in ways that make experts score alike
    /// evidence differently; exits 1 when there is any warning.
    Lint { file: PathBuf },
    /// Print what a rater reads for a calibration set, in Markdown: the framework's scale and
    /// rules, and each write-up with its element's descriptors (never the intended levels).
    Packet {
        /// The framework file.
        file: PathBuf,
        /// The calibration set.
        #[arg(long)]
        set: PathBuf,
        #[arg(long, value_enum, default_value = "all")]
        half: calibrate::Part,
        /// The framework file the set was written for, when it is not FILE (to measure an
        /// earlier version on the same write-ups).
        #[arg(long)]
        written_for: Option<PathBuf>,
    },
    /// Measure a framework on a calibration set from raters' ratings: the element scores
    /// against the intended levels and the agreement between raters, in Markdown.
    Calibrate {
        /// The framework file.
        file: PathBuf,
        /// The calibration set.
        #[arg(long)]
        set: PathBuf,
        /// One ratings file per rater.
        #[arg(long = "ratings", required = true)]
        ratings: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "all")]
        half: calibrate::Part,
        /// The framework file the set was written for, when it is not FILE.
        #[arg(long)]
        written_for: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum AssessmentCommand {
    /// List the assessments, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one assessment.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
}

/// An error caused by what the user gave: exit code 2.
#[derive(Debug)]
struct BadInput(String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

fn bad_input(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(BadInput(message.into()))
}

fn exit_code(error: &anyhow::Error) -> u8 {
    let bad = error.chain().any(|cause| {
        cause.is::<BadInput>()
            || cause.is::<bmma_catalog::LoadError>()
            || cause.downcast_ref::<bmma_store::StoreError>().is_some_and(|e| e.is_bad_input())
    });
    if bad { 2 } else { 1 }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::ExtractText { media_type, memory_mb, cpu_seconds, input_bytes } = &cli.command {
        return extract_text(media_type, *memory_mb, *cpu_seconds, *input_bytes);
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BMMA_LOG").unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`bmma … | head`): not a failure of ours.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(exit_code(&error))
        }
    }
}

/// The reading process: limits first, before a byte of the file is read; no runtime, no
/// logging, nothing but standard input and output.
fn extract_text(media_type: &str, memory_mb: u64, cpu_seconds: u64, input_bytes: u64) -> ExitCode {
    use bmma_extract::child;
    let limits = child::Limits { memory_bytes: memory_mb * 1024 * 1024, cpu_seconds, input_bytes };
    let Some(file_type) = bmma_core::evidence::FileType::from_media_type(media_type) else {
        return ExitCode::from(child::MISUSED as u8);
    };
    if child::restrict(limits).is_err() {
        return ExitCode::from(child::MISUSED as u8);
    }
    let code = child::run(limits, file_type, std::io::stdin().lock(), std::io::stdout().lock());
    ExitCode::from(code as u8)
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let global = cli.global;
    match cli.command {
        Command::Serve { addr, demo, secure_cookies, max_upload_mb, trusted_proxy, reading } => {
            let settings = bmma_web::Settings {
                secure_cookies,
                max_upload_bytes: max_upload_mb * 1_000_000,
                text_reading: reading.settings(),
                trusted_proxy,
            };
            serve(&global, addr, demo, settings).await
        }
        Command::ExtractText { .. } => Err(anyhow!("extract-text runs before the runtime starts")),
        Command::Migrate => {
            let store = open_store(&global).await?;
            say!("database {} is up to date", describe(&global));
            drop(store);
            Ok(())
        }
        Command::Framework(command) => framework(&global, command).await,
        Command::Assessment(command) => assessment(&global, command).await,
        Command::Demo { synthetic } => {
            let store = open_store(&global).await?;
            let app = bmma_app::App::open(store.clone()).await?;
            let id = demo::load(&app, &bmma_app::TextReading::default()).await?;
            if let Some(count) = synthetic {
                let made = synthetic::load(&store, count).await?;
                eprintln!("{made} synthetic assessments made; {} asked for", count);
            }
            for line in demo::credentials() {
                eprintln!("{line}");
            }
            say!("{id}");
            Ok(())
        }
        Command::Aggregate { method, table, scores } => {
            say!("{}", aggregate_scores(method, table.as_deref(), &scores)?);
            Ok(())
        }
        Command::User(command) => user(&global, command).await,
        Command::Token(TokenCommand::Create { email, name }) => {
            let app = open_app(&global).await?;
            let user = app
                .user_by_email(&email)
                .await?
                .ok_or_else(|| bad_input(format!("no account has the e-mail address {email}")))?;
            let token = app.issue_token(&user, &name).await.map_err(refusal)?;
            say!("{token}");
            Ok(())
        }
        Command::Audit(AuditCommand::Verify { checkpoint }) => {
            let checkpoint = checkpoint
                .map(|text| text.parse::<bmma_store::Checkpoint>())
                .transpose()
                .map_err(|e| bad_input(format!("--checkpoint: {e}")))?;
            let store = open_store(&global).await?;
            let report = verify_trail(&store, checkpoint.as_ref()).await?;
            let since = checkpoint.map(|c| format!(", and holds checkpoint {c}")).unwrap_or_default();
            say!(
                "the audit trail is intact: {} entries ({} sealed with the key){since}",
                report.entries,
                report.keyed
            );
            Ok(())
        }
        Command::Audit(AuditCommand::Checkpoint) => {
            let store = open_store(&global).await?;
            match store.audit_checkpoint().await? {
                Some(checkpoint) => say!("{checkpoint}"),
                None => say!("0:{}", bmma_store::audit::GENESIS),
            }
            Ok(())
        }
        Command::Backup { file } => {
            let store = open_store(&global).await?;
            // Read before the copy: the trail only grows, so the copy holds this entry.
            let head = store.audit_checkpoint().await?;
            store.backup_to(&file).await?;
            let beside = checkpoint_file(&file);
            if let Some(head) = head {
                std::fs::write(&beside, format!("{head}\n"))
                    .with_context(|| format!("writing the checkpoint {}", beside.display()))?;
            }
            say!("backup written to {}, its audit checkpoint to {}", file.display(), beside.display());
            Ok(())
        }
        Command::Restore { file, force } => {
            let DatabaseUrl::Sqlite(target) = database_url(&global)? else {
                return Err(bad_input(
                    "bmma restore puts back the embedded SQLite database; for PostgreSQL use pg_restore",
                ));
            };
            let checked = check_backup(&global, &file).await?;
            bmma_store::restore_sqlite(&file, &target, force)?;
            say!("{} restored into {}; {checked}", file.display(), target.display());
            Ok(())
        }
    }
}

fn database_url(global: &Global) -> anyhow::Result<DatabaseUrl> {
    match &global.database_url {
        Some(url) => Ok(DatabaseUrl::parse(url)?),
        None => Ok(DatabaseUrl::in_data_dir(data_dir(global)?)),
    }
}

/// The data directory, created if missing.
fn data_dir(global: &Global) -> anyhow::Result<&Path> {
    let dir = &global.data_dir;
    if !dir.is_dir() {
        // One level only: a mistyped deeper path is reported, not created.
        std::fs::create_dir(dir)
            .map_err(|e| bad_input(format!("cannot create the data directory {}: {e}", dir.display())))?;
    }
    Ok(dir)
}

/// The audit key's file in the data directory, used when `BMMA_AUDIT_KEY` is not set.
const AUDIT_KEY_FILE: &str = "audit.key";

/// The key that seals the audit trail: `BMMA_AUDIT_KEY` (64 hexadecimal digits; what
/// several servers sharing one PostgreSQL database must all be given), or the data
/// directory's key file, made on first use. A new key is never made for a trail already
/// sealed with one: its entries could no longer be checked.
async fn audit_key(global: &Global, store: &Store) -> anyhow::Result<bmma_store::AuditKey> {
    if let Some(text) = std::env::var("BMMA_AUDIT_KEY").ok().filter(|t| !t.trim().is_empty()) {
        return text.parse().map_err(|e| bad_input(format!("BMMA_AUDIT_KEY: {e}")));
    }
    let path = data_dir(global)?.join(AUDIT_KEY_FILE);
    if path.exists() {
        return Ok(bmma_store::AuditKey::read_file(&path)?);
    }
    if store.audit_needs_key().await? {
        return Err(bad_input(format!(
            "the audit trail is sealed with a key that is not here: put its key file at {} or set \
             BMMA_AUDIT_KEY (a new key would leave the trail impossible to check)",
            path.display()
        )));
    }
    let key = bmma_store::AuditKey::create_file(&path)?;
    tracing::info!(
        "made a new audit key in {}; keep a copy apart from the database backups (docs/security.md)",
        path.display()
    );
    Ok(key)
}

/// Checks the whole trail, against `checkpoint` when given; an error names the first entry
/// that does not fit.
async fn verify_trail(
    store: &Store,
    checkpoint: Option<&bmma_store::Checkpoint>,
) -> anyhow::Result<bmma_store::Verification> {
    let report = store.verify_audit(checkpoint).await?;
    match &report.first_broken {
        None => Ok(report),
        Some((seq, reason)) => Err(anyhow!("the audit trail is broken at entry {seq}: {reason}")),
    }
}

/// Where `bmma backup` writes the checkpoint of a copy: beside it.
fn checkpoint_file(backup: &Path) -> PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(".checkpoint");
    PathBuf::from(name)
}

/// Before a backup is put back: its trail must be intact and hold the checkpoint written
/// beside it, checked on a scratch copy so the backup itself is never changed. Says what
/// was checked.
async fn check_backup(global: &Global, backup: &Path) -> anyhow::Result<String> {
    let beside = checkpoint_file(backup);
    let checkpoint = match std::fs::read_to_string(&beside) {
        Ok(text) => Some(
            text.parse::<bmma_store::Checkpoint>()
                .map_err(|e| bad_input(format!("{}: {e}", beside.display())))?,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(bad_input(format!("{}: {e}", beside.display()))),
    };
    let scratch = tempfile::tempdir().context("a scratch directory to check the backup in")?;
    let copy = DatabaseUrl::in_data_dir(scratch.path());
    let DatabaseUrl::Sqlite(copy_path) = &copy else { unreachable!("in_data_dir names an SQLite file") };
    std::fs::copy(backup, copy_path).map_err(|e| bad_input(format!("{}: {e}", backup.display())))?;
    let store = Store::open(&copy).await?;
    let key = match std::env::var("BMMA_AUDIT_KEY").ok().filter(|t| !t.trim().is_empty()) {
        Some(text) => Some(text.parse().map_err(|e| bad_input(format!("BMMA_AUDIT_KEY: {e}")))?),
        None => {
            let path = data_dir(global)?.join(AUDIT_KEY_FILE);
            path.exists().then(|| bmma_store::AuditKey::read_file(&path)).transpose()?
        }
    };
    let store = match key {
        Some(key) => store.with_audit_key(key),
        None => store,
    };
    let report = store.verify_audit(checkpoint.as_ref()).await?;
    if let Some((seq, reason)) = report.first_broken {
        return Err(bad_input(format!(
            "{} was not restored: its audit trail is broken at entry {seq}: {reason}",
            backup.display()
        )));
    }
    Ok(match checkpoint {
        Some(c) => format!("its audit trail is intact and holds the checkpoint {c}"),
        None => format!("its audit trail is intact; no checkpoint was found at {}", beside.display()),
    })
}

fn describe(global: &Global) -> String {
    database_url(global).map_or_else(|_| "?".into(), |u| u.to_string())
}

/// Opens the database, applies pending migrations and installs the built-in frameworks.
async fn open_store(global: &Global) -> anyhow::Result<Store> {
    let url = database_url(global)?;
    let store = Store::open(&url).await?;
    let applied = store.migrate().await.context("migrating the database")?;
    for name in applied {
        tracing::info!(migration = name, "applied");
    }
    let key = audit_key(global, &store).await?;
    let store = store.with_audit_key(key);
    bmma_app::install_builtin(&store).await.context("installing the built-in frameworks")?;
    Ok(store)
}

async fn serve(
    global: &Global,
    addr: SocketAddr,
    demo: bool,
    settings: bmma_web::Settings,
) -> anyhow::Result<()> {
    let store = open_store(global).await?;
    let app = bmma_app::App::open(store.clone()).await?;
    if demo {
        let id = demo::load(&app, &settings.text_reading).await?;
        say!("demo assessment: http://{addr}/assessments/{id}");
        for line in demo::credentials() {
            say!("{line}");
        }
    }
    if !app.has_users().await? {
        say!("No account exists yet. Create the first administrator with:");
        say!("  bmma user add you@example.org --admin");
    }
    // The checkpoint goes to the log at start and every hour, so that the log, kept apart
    // from the database, can show later that no entry was removed or rewritten.
    let watched = store.clone();
    tokio::spawn(async move {
        let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            hourly.tick().await;
            match watched.audit_checkpoint().await {
                Ok(Some(checkpoint)) => tracing::info!(%checkpoint, "audit checkpoint"),
                Ok(None) => tracing::info!("audit checkpoint: the trail is empty"),
                Err(e) => tracing::error!("audit checkpoint could not be read: {e}"),
            }
        }
    });
    let state = bmma_web::AppState::new(app, settings).map_err(|e| anyhow!(e))?;
    let listener =
        tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    say!("bmma is listening on http://{}", listener.local_addr()?);
    bmma_web::serve(listener, state).await?;
    Ok(())
}

async fn framework(global: &Global, command: FrameworkCommand) -> anyhow::Result<()> {
    match command {
        FrameworkCommand::Validate { file } => {
            let (framework, _) = load_framework_file(&file)?;
            say!(
                "{}: {} is valid: {} components, {} elements, {} indicators",
                file.display(),
                framework.reference(),
                framework.components.len(),
                framework.elements().count(),
                framework.indicators().count()
            );
            Ok(())
        }
        FrameworkCommand::Lint { file } => {
            let (framework, _) = load_framework_file(&file)?;
            let warnings = bmma_catalog::lint::lint(&framework);
            for warning in &warnings {
                say!("{}: {warning}", file.display());
            }
            if warnings.is_empty() {
                say!("{}: {} passes the lint", file.display(), framework.reference());
                return Ok(());
            }
            Err(anyhow!("{}: {} warnings", file.display(), warnings.len()))
        }
        FrameworkCommand::Packet { file, set, half, written_for } => {
            let (framework, _) = load_framework_file(&file)?;
            let set = load_calibration_set(&set, &framework, written_for.as_deref())?;
            say!("{}", calibrate::packet(&framework, &set, half));
            Ok(())
        }
        FrameworkCommand::Calibrate { file, set, ratings, half, written_for } => {
            let (framework, _) = load_framework_file(&file)?;
            let set = load_calibration_set(&set, &framework, written_for.as_deref())?;
            let mut raters = Vec::with_capacity(ratings.len());
            for path in &ratings {
                let text = read_text_file(path, FRAMEWORK_FILE_MAX, "a ratings file")?;
                let loaded = bmma_catalog::calibration::load_ratings(
                    &path.display().to_string(),
                    &text,
                    &set,
                    &framework,
                )
                .map_err(load_problems)?;
                raters.push(loaded);
            }
            let measure = bmma_core::calibration::measure(&framework, &set, &raters, |w| half.keeps(w));
            say!("{}", calibrate::report(&measure, half));
            Ok(())
        }
        FrameworkCommand::Import { file } => {
            let (framework, text) = load_framework_file(&file)?;
            let reference = framework.reference();
            let outcome =
                open_app(global).await?.import_framework(&framework, &text).await.map_err(|e| match e {
                    bmma_app::AppError::Refused(_) => {
                        bad_input(format!("framework {reference}: {}", refusal(e)))
                    }
                    other => anyhow!(other),
                })?;
            let what = match outcome {
                bmma_app::frameworks::Imported::AlreadyInstalled => "was already installed",
                bmma_app::frameworks::Imported::Installed => "installed",
            };
            say!("{} {what}", framework.reference());
            Ok(())
        }
        FrameworkCommand::List { json } => {
            let store = open_store(global).await?;
            let records = store.list_frameworks().await?;
            if json {
                let rows: Vec<_> = records
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "id": r.reference.id,
                            "version": r.reference.version,
                            "name": r.name,
                            "builtin": r.builtin,
                        })
                    })
                    .collect();
                say!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for r in records {
                    let origin = if r.builtin { "built in" } else { "imported" };
                    say!("{:<24} {}  ({origin})", r.reference.to_string(), r.name);
                }
            }
            Ok(())
        }
        FrameworkCommand::Show { reference, json } => {
            let wanted: bmma_core::FrameworkRef = reference.parse().map_err(bad_input)?;
            let loaded = open_app(global)
                .await?
                .framework(&wanted)
                .await?
                .ok_or_else(|| bad_input(format!("no framework '{reference}' is installed")))?;
            if json {
                say!("{}", String::from_utf8_lossy(&loaded.json));
            } else {
                let f = &loaded.framework;
                say!("{} ({})\n{}\n", f.name, f.reference(), f.summary);
                for c in &f.components {
                    say!("{} {}", c.code, c.name);
                    for e in &c.elements {
                        say!("  {} {}  [{}]", e.code, e.name, e.aggregation.as_str());
                        for i in &e.indicators {
                            say!("    {} {}", i.code, i.title);
                        }
                    }
                }
            }
            Ok(())
        }
    }
}

/// A framework file is a few hundred kilobytes (the built-in one is under 400 KB).
const FRAMEWORK_FILE_MAX: u64 = 8 * 1024 * 1024;
/// A conversion table is a few dozen lines.
const TABLE_FILE_MAX: u64 = 1024 * 1024;
/// Problems listed for one file; the rest are counted, so a wrong file cannot flood the screen.
const PROBLEMS_SHOWN: usize = 20;

fn load_framework_file(file: &Path) -> anyhow::Result<(bmma_core::Framework, String)> {
    let text = read_text_file(file, FRAMEWORK_FILE_MAX, "a framework file")?;
    let framework = bmma_catalog::load_str(&file.display().to_string(), &text).map_err(load_problems)?;
    Ok((framework, text))
}

/// Loads a calibration set, checked against the framework it was written for: `framework`
/// itself, or the file `written_for` names. Measured on another version, the set keeps the
/// write-ups whose element that version has too.
fn load_calibration_set(
    file: &Path,
    framework: &bmma_core::Framework,
    written_for: Option<&Path>,
) -> anyhow::Result<bmma_core::calibration::CalibrationSet> {
    let text = read_text_file(file, FRAMEWORK_FILE_MAX, "a calibration set")?;
    let source = file.display().to_string();
    match written_for {
        None => bmma_catalog::calibration::load_set(&source, &text, framework).map_err(load_problems),
        Some(path) => {
            let (original, _) = load_framework_file(path)?;
            let set =
                bmma_catalog::calibration::load_set(&source, &text, &original).map_err(load_problems)?;
            Ok(set.for_framework(framework))
        }
    }
}

/// Every problem of a file that could not be loaded, one `FILE:LINE:COLUMN: message` a line.
fn load_problems(error: bmma_catalog::LoadError) -> anyhow::Error {
    let lines =
        error.problems.iter().map(|p| format!("{}:{}:{}: {}", error.source, p.line, p.column, p.message));
    bad_input(problem_list(lines, error.problems.len()))
}

/// Reads a text file the user names, refusing one over `max` bytes without reading past the
/// limit (so `/dev/zero` is refused too), and naming the line and column of bytes that are
/// not UTF-8.
fn read_text_file(path: &Path, max: u64, what: &str) -> anyhow::Result<String> {
    use std::io::Read;
    let shown = path.display();
    let file = std::fs::File::open(path).map_err(|e| bad_input(format!("{shown}: {e}")))?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes).map_err(|e| bad_input(format!("{shown}: {e}")))?;
    if bytes.len() as u64 > max {
        return Err(bad_input(format!(
            "{shown}: larger than {} MB, which is more than {what} ever needs; is it the right file?",
            max / (1024 * 1024)
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let start = good.iter().rposition(|&b| b == b'\n').map_or(0, |n| n + 1);
        let column = String::from_utf8_lossy(&good[start..]).chars().count() + 1;
        bad_input(format!("{shown}:{line}:{column}: these bytes are not UTF-8 text; save the file as UTF-8"))
    })
}

/// The first `PROBLEMS_SHOWN` of `total` problems, one per line, then how many more there are.
fn problem_list(lines: impl Iterator<Item = String>, total: usize) -> String {
    let mut text: Vec<String> = lines.take(PROBLEMS_SHOWN).collect();
    if total > PROBLEMS_SHOWN {
        text.push(format!("… and {} more problems", total - PROBLEMS_SHOWN));
    }
    text.join("\n")
}

async fn assessment(global: &Global, command: AssessmentCommand) -> anyhow::Result<()> {
    let store = open_store(global).await?;
    match command {
        AssessmentCommand::List { json } => {
            let all = store.list_assessments().await?;
            if json {
                let rows: Vec<_> = all.iter().map(bmma_app::AssessmentJson::new).collect();
                say!("{}", serde_json::to_string_pretty(&rows)?);
            } else if all.is_empty() {
                say!("no assessments yet");
            } else {
                for a in all {
                    say!("{}  {}  {:<10}  {}", a.id, a.country, a.status.as_str(), a.title);
                }
            }
        }
        AssessmentCommand::Show { id, json } => {
            let a = store
                .get_assessment(&id)
                .await?
                .ok_or_else(|| bad_input(format!("no assessment has the id '{id}'")))?;
            if json {
                say!("{}", serde_json::to_string_pretty(&bmma_app::AssessmentJson::new(&a))?);
            } else {
                let country = bmma_core::Country::by_code(&a.country).map_or("?", |c| c.name);
                say!("{}\n", a.title);
                say!("id               {}", a.id);
                say!("country          {} ({})", country, a.country);
                say!("requesting body  {}", a.requesting_body);
                say!("status           {}", a.status);
                say!("framework        {}", a.framework);
                match &a.scope.0 {
                    None => say!("scope            the whole framework"),
                    Some(codes) => say!("scope            {}", codes.join(", ")),
                }
                say!("opened           {}", a.created_at);
            }
        }
    }
    Ok(())
}

/// The password for a new account: asked twice on the terminal, or the first line of
/// standard input.
fn read_new_password(from_stdin: bool) -> anyhow::Result<String> {
    let password = if from_stdin {
        use std::io::{BufRead, Read};
        // One line, read no further than the longest password allowed could need.
        let mut line = Vec::new();
        std::io::stdin()
            .lock()
            .take(8 * 1024)
            .read_until(b'\n', &mut line)
            .context("reading the password from standard input")?;
        String::from_utf8(line)
            .map_err(|_| bad_input("the password on standard input is not UTF-8 text"))?
            .trim_end_matches(['\n', '\r'])
            .to_string()
    } else {
        let first = rpassword::prompt_password("Password: ")
            .map_err(|_| bad_input("no terminal to ask for the password on; use --password-stdin"))?;
        let second = rpassword::prompt_password("Password, again: ")
            .map_err(|_| bad_input("no terminal to ask for the password on; use --password-stdin"))?;
        if first != second {
            return Err(bad_input("the two passwords differ"));
        }
        first
    };
    if let Some(problem) = bmma_app::accounts::password_problem("password", &password) {
        return Err(refusal(bmma_app::AppError::Invalid(vec![problem])));
    }
    Ok(password)
}

async fn user(global: &Global, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add { email, name, admin, password_stdin } => {
            if !bmma_app::accounts::looks_like_email(&email) {
                return Err(bad_input(format!("'{email}' is not an e-mail address")));
            }
            let password = read_new_password(password_stdin)?;
            let app = open_app(global).await?;
            let name = name.unwrap_or_else(|| email.clone());
            let new =
                bmma_app::accounts::NewAccount { email: &email, name: &name, password: &password, admin };
            let user = app.create_user(None, new).await.map_err(refusal)?;
            let kind = if user.is_admin { "administrator" } else { "account" };
            say!("{kind} {} created", user.email);
        }
        UserCommand::List { json } => {
            let users = open_app(global).await?.users(None).await?;
            if json {
                say!("{}", serde_json::to_string_pretty(&users)?);
            } else {
                for u in users {
                    let admin = if u.is_admin { "  (administrator)" } else { "" };
                    say!("{:<32} {}{admin}", u.email, u.name);
                }
            }
        }
    }
    Ok(())
}

/// The application layer over the database the options name.
async fn open_app(global: &Global) -> anyhow::Result<bmma_app::App> {
    Ok(bmma_app::App::open(open_store(global).await?).await?)
}

/// A refusal of the application layer, as the command line says it: each field named as
/// its option, in the words of the message files that the pages use too.
fn refusal(error: bmma_app::AppError) -> anyhow::Error {
    let tr = match bmma_i18n::I18n::new() {
        Ok(i18n) => i18n.translator("en"),
        Err(e) => return anyhow!(e),
    };
    match error {
        bmma_app::AppError::Invalid(problems) => {
            let problems: Vec<String> =
                problems.iter().map(|p| format!("--{}: {}", p.field, tr.field_error(p))).collect();
            bad_input(problems.join("; "))
        }
        bmma_app::AppError::Refused(key) | bmma_app::AppError::Forbidden(key) => bad_input(tr.get(key)),
        other => anyhow!(other),
    }
}

/// `bmma aggregate`: the scores combined by `method`, with how the figure was reached.
fn aggregate_scores(
    method: AggregateMethod,
    table: Option<&Path>,
    scores: &[String],
) -> anyhow::Result<String> {
    use bmma_core::Rating;
    use bmma_core::aggregation::{AggregateScore, AggregationMethod, aggregate};
    let pefa = matches!(method, AggregateMethod::PefaM1 | AggregateMethod::PefaM2);
    if table.is_some() && !matches!(method, AggregateMethod::PefaM2) {
        return Err(bad_input("--table is used by --method pefa-m2 only"));
    }
    let ratings = scores
        .iter()
        .map(|text| {
            let upper = text.trim().to_ascii_uppercase();
            if let [one] = upper.as_bytes()
                && pefa
                && let Some(level) = bmma_core::pefa::level_of(char::from(*one))
            {
                return Ok(Rating::Level(level));
            }
            match upper.as_str() {
                "IE" | "D*" => Ok(Rating::InsufficientEvidence),
                "NA" => Ok(Rating::NotApplicable),
                "NS" | "NR" => Ok(Rating::NotAssessed),
                digits if !pefa && digits.parse::<u8>().is_ok_and(|l| (1..=5).contains(&l)) => {
                    Ok(Rating::Level(digits.parse().unwrap_or(1)))
                }
                _ if pefa => Err(bad_input(format!("'{text}' is not a PEFA score (A, B, C, D, D*, NA, NR)"))),
                _ => Err(bad_input(format!("'{text}' is not a level from 1 to 5, IE, NA or NS"))),
            }
        })
        .collect::<anyhow::Result<Vec<Rating>>>()?;
    if matches!(method, AggregateMethod::PefaM2) {
        return pefa_m2(table, &ratings);
    }
    let (core_method, name) = match method {
        AggregateMethod::WeakestLink => (AggregationMethod::WeakestLink, "weakest link"),
        AggregateMethod::Averaging => (AggregationMethod::Averaging, "averaging"),
        AggregateMethod::Minimum => (AggregationMethod::Minimum, "minimum"),
        AggregateMethod::Mean => (AggregationMethod::Mean, "mean"),
        AggregateMethod::PefaM1 | AggregateMethod::PefaM2 => {
            (AggregationMethod::WeakestLink, "PEFA M1 (weakest link)")
        }
    };
    let framework =
        bmma_catalog::builtin()?.into_iter().next().ok_or_else(|| anyhow!("no built-in framework"))?;
    let result = aggregate(core_method, &ratings, 1, &framework.averaging);
    let score = match result.score {
        None => "none".to_string(),
        Some(score @ AggregateScore::Level { .. }) if pefa => bmma_core::pefa::letter_of(score),
        Some(score) => score.to_string(),
    };
    let flag = if result.insufficient_evidence { ", held down by insufficient evidence" } else { "" };
    Ok(format!("{score}  ({name} of {} scores, {} left out{flag})", result.counted, result.left_out))
}

/// PEFA M2: the dimension scores looked up in the conversion table of `table`. Insufficient
/// information (D*) counts as D; NA and NR are left out, as PEFA leaves them out.
fn pefa_m2(table: Option<&Path>, ratings: &[bmma_core::Rating]) -> anyhow::Result<String> {
    use bmma_core::Rating;
    use bmma_core::pefa::{M2Table, letter_of};
    let Some(path) = table else {
        return Err(bad_input(
            "pefa-m2 needs --table FILE: the M2 conversion table from the PEFA framework, one row per \
             line such as `D C -> D+` (bmma does not ship a copy)",
        ));
    };
    let text = read_text_file(path, TABLE_FILE_MAX, "a conversion table")?;
    let table = M2Table::parse(&text).map_err(|problems| {
        let lines = problems.iter().map(|(line, problem)| format!("{}:{line}: {problem}", path.display()));
        bad_input(problem_list(lines, problems.len()))
    })?;
    let levels: Vec<u8> = ratings
        .iter()
        .filter_map(|r| match r {
            Rating::Level(level) => Some(*level),
            Rating::InsufficientEvidence => Some(1),
            Rating::NotApplicable | Rating::NotAssessed => None,
        })
        .collect();
    let left_out = ratings.len() - levels.len();
    if levels.is_empty() {
        return Ok(format!("none  (PEFA M2 of 0 scores, {left_out} left out)"));
    }
    let score = table.convert(&levels).map_err(|e| bad_input(format!("{}: {e}", path.display())))?;
    Ok(format!(
        "{}  (PEFA M2 by {} of {} scores, {left_out} left out)",
        letter_of(score),
        path.display(),
        levels.len()
    ))
}
