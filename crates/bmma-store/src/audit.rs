//! The audit trail. Every change is written in the same transaction as an entry that says
//! who, when, what, and the record before and after; each entry's hash covers its content
//! and the previous entry's hash, so a changed, removed or inserted entry breaks the chain.
//!
//! Entries are sealed with a key kept outside the database (HMAC-SHA256), so that someone
//! who can write the database cannot rewrite an entry and recompute the chain. Entries
//! written before bmma had a key keep their plain SHA-256 hash: the trail is never
//! rewritten, and the keyed chain continues from their head. What the chain cannot show by
//! itself, that the newest entries were removed, a checkpoint kept elsewhere shows.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::sql::{Row, Value};
use crate::{Store, StoreError};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The secret that seals new entries: 32 random bytes, written as 64 hexadecimal digits.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey([u8; 32]);

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuditKey(…)")
    }
}

impl AuditKey {
    pub fn generate() -> Result<AuditKey, StoreError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| StoreError::Database(format!("no randomness for the audit key: {e}")))?;
        Ok(AuditKey(bytes))
    }

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Reads the key file at `path`.
    pub fn read_file(path: &Path) -> Result<AuditKey, StoreError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| StoreError::Refused(format!("cannot read the audit key {}: {e}", path.display())))?;
        text.parse().map_err(|e| StoreError::Refused(format!("{}: {e}", path.display())))
    }

    /// Writes a new key file readable by its owner only; refuses to replace one.
    pub fn create_file(path: &Path) -> Result<AuditKey, StoreError> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let key = AuditKey::generate()?;
        let mut file =
            std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map_err(|e| {
                StoreError::Refused(format!("cannot create the audit key {}: {e}", path.display()))
            })?;
        writeln!(file, "{}", key.to_hex()).and_then(|()| file.sync_all()).map_err(|e| {
            StoreError::Refused(format!("cannot write the audit key {}: {e}", path.display()))
        })?;
        Ok(key)
    }
}

impl FromStr for AuditKey {
    type Err = String;

    fn from_str(text: &str) -> Result<AuditKey, String> {
        let text = text.trim();
        let wrong = || "an audit key is 64 hexadecimal digits".to_string();
        if text.len() != 64 || !text.is_ascii() {
            return Err(wrong());
        }
        let mut bytes = [0u8; 32];
        for (n, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * n..2 * n + 2], 16).map_err(|_| wrong())?;
        }
        Ok(AuditKey(bytes))
    }
}

/// A point of the trail written down elsewhere: the sequence number and hash of what was
/// then the newest entry. `SEQ:HASH` as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
}

impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

impl FromStr for Checkpoint {
    type Err = String;

    fn from_str(text: &str) -> Result<Checkpoint, String> {
        let wrong = || {
            format!(
                "'{}' is not a checkpoint: expected SEQ:HASH, as `bmma audit checkpoint` prints",
                text.trim()
            )
        };
        let (seq, hash) = text.trim().split_once(':').ok_or_else(wrong)?;
        let seq: i64 = seq.parse().map_err(|_| wrong())?;
        if seq < 0 || hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(wrong());
        }
        Ok(Checkpoint { seq, hash: hash.to_ascii_lowercase() })
    }
}

/// Who made a change: an account, or bmma itself acting on a command (`id` None).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: Option<String>,
    pub email: String,
}

impl Actor {
    pub fn user(id: &str, email: &str) -> Actor {
        Actor { id: Some(id.to_string()), email: email.to_string() }
    }

    /// The value of a record's author column: the account's id, or NULL for bmma itself.
    pub(crate) fn user_id(&self) -> crate::sql::Value {
        self.id.clone().map_or(crate::sql::Value::Null, crate::sql::Value::Text)
    }

    /// The author as the audit trail names it: by account id and e-mail address.
    pub(crate) fn author(&self) -> bmma_core::records::Author {
        bmma_core::records::Author { user_id: self.id.clone(), name: self.email.clone() }
    }

    /// bmma itself, for changes made from the command line or at start, named by `what`.
    pub fn system(what: &str) -> Actor {
        Actor { id: None, email: what.to_string() }
    }
}

/// Every kind of change the trail records: the one list, so that each kind has its words
/// in every language. The names written are (entity, action), as in every entry so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audited {
    UserCreate,
    UserChangePassword,
    ApiTokenCreate,
    ApiTokenRevoke,
    FrameworkInstall,
    /// Written only by releases before frameworks became immutable; kept so that their
    /// entries still read in words.
    FrameworkReplace,
    AssessmentCreate,
    AssessmentChangeStatus,
    AssessmentSetScope,
    AssessmentSetPlan,
    AssessmentShare,
    AssessmentLoadScores,
    MembershipSet,
    MembershipRemove,
    InvitationInvite,
    InvitationAccept,
    InvitationEnd,
    ElementAssign,
    IndicatorRate,
    IndicatorAgree,
    EvidenceCreate,
    EvidenceUpdate,
    SiteCreate,
    VisitCreate,
}

impl Audited {
    pub const ALL: [Audited; 24] = [
        Audited::UserCreate,
        Audited::UserChangePassword,
        Audited::ApiTokenCreate,
        Audited::ApiTokenRevoke,
        Audited::FrameworkInstall,
        Audited::FrameworkReplace,
        Audited::AssessmentCreate,
        Audited::AssessmentChangeStatus,
        Audited::AssessmentSetScope,
        Audited::AssessmentSetPlan,
        Audited::AssessmentShare,
        Audited::AssessmentLoadScores,
        Audited::MembershipSet,
        Audited::MembershipRemove,
        Audited::InvitationInvite,
        Audited::InvitationAccept,
        Audited::InvitationEnd,
        Audited::ElementAssign,
        Audited::IndicatorRate,
        Audited::IndicatorAgree,
        Audited::EvidenceCreate,
        Audited::EvidenceUpdate,
        Audited::SiteCreate,
        Audited::VisitCreate,
    ];

    /// What kind of record changed, as the entry names it.
    pub fn entity(self) -> &'static str {
        match self {
            Audited::UserCreate => "user",
            Audited::UserChangePassword => "user",
            Audited::ApiTokenCreate => "api-token",
            Audited::ApiTokenRevoke => "api-token",
            Audited::FrameworkInstall => "framework",
            Audited::FrameworkReplace => "framework",
            Audited::AssessmentCreate => "assessment",
            Audited::AssessmentChangeStatus => "assessment",
            Audited::AssessmentSetScope => "assessment",
            Audited::AssessmentSetPlan => "assessment",
            Audited::AssessmentShare => "assessment",
            Audited::AssessmentLoadScores => "assessment",
            Audited::MembershipSet => "membership",
            Audited::MembershipRemove => "membership",
            Audited::InvitationInvite => "invitation",
            Audited::InvitationAccept => "invitation",
            Audited::InvitationEnd => "invitation",
            Audited::ElementAssign => "element",
            Audited::IndicatorRate => "indicator",
            Audited::IndicatorAgree => "indicator",
            Audited::EvidenceCreate => "evidence",
            Audited::EvidenceUpdate => "evidence",
            Audited::SiteCreate => "site",
            Audited::VisitCreate => "visit",
        }
    }

    /// What was done to it, as the entry names it.
    pub fn action(self) -> &'static str {
        match self {
            Audited::UserCreate => "create",
            Audited::UserChangePassword => "change-password",
            Audited::ApiTokenCreate => "create",
            Audited::ApiTokenRevoke => "revoke",
            Audited::FrameworkInstall => "install",
            Audited::FrameworkReplace => "replace",
            Audited::AssessmentCreate => "create",
            Audited::AssessmentChangeStatus => "change-status",
            Audited::AssessmentSetScope => "set-scope",
            Audited::AssessmentSetPlan => "set-plan",
            Audited::AssessmentShare => "share",
            Audited::AssessmentLoadScores => "load-scores",
            Audited::MembershipSet => "set-member",
            Audited::MembershipRemove => "remove-member",
            Audited::InvitationInvite => "invite",
            Audited::InvitationAccept => "accept",
            Audited::InvitationEnd => "end",
            Audited::ElementAssign => "assign",
            Audited::IndicatorRate => "rate",
            Audited::IndicatorAgree => "agree",
            Audited::EvidenceCreate => "create",
            Audited::EvidenceUpdate => "update",
            Audited::SiteCreate => "create",
            Audited::VisitCreate => "create",
        }
    }
}

/// What a write records, before it is sealed with a sequence number, time and hashes.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub actor: Actor,
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: String,
    pub assessment_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    /// The store's key, added by the store as it writes.
    pub key: Option<AuditKey>,
}

impl Change {
    pub fn new(actor: &Actor, what: Audited, entity_id: &str) -> Change {
        Change {
            actor: actor.clone(),
            action: what.action(),
            entity: what.entity(),
            entity_id: entity_id.to_string(),
            assessment_id: None,
            before: None,
            after: None,
            key: None,
        }
    }

    pub fn assessment(mut self, id: &str) -> Change {
        self.assessment_id = Some(id.to_string());
        self
    }

    pub fn before(mut self, value: &impl serde::Serialize) -> Change {
        self.before = serde_json::to_string(value).ok();
        self
    }

    pub fn after(mut self, value: &impl serde::Serialize) -> Change {
        self.after = serde_json::to_string(value).ok();
        self
    }
}

/// One entry of the trail, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: OffsetDateTime,
    pub actor_id: Option<String>,
    pub actor_email: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub assessment_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

const TIME_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

impl AuditEntry {
    /// The plain hash of an entry written without a key: SHA-256 over every field but the
    /// hash itself.
    pub fn compute_hash(&self) -> String {
        let mut hasher = Sha256::new();
        self.feed(|bytes| hasher.update(bytes));
        hex(&hasher.finalize())
    }

    /// The hash of an entry sealed with `key`: HMAC-SHA256 over the same fields.
    pub fn compute_keyed_hash(&self, key: &AuditKey) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC takes a key of any length");
        self.feed(|bytes| mac.update(bytes));
        hex(&mac.finalize().into_bytes())
    }

    /// The hash this entry carries when written with `key` (or without one).
    fn seal_with(&self, key: Option<&AuditKey>) -> String {
        key.map_or_else(|| self.compute_hash(), |key| self.compute_keyed_hash(key))
    }

    /// Every field but the hash itself, each prefixed with its length so no two different
    /// entries give the same bytes.
    fn feed(&self, mut update: impl FnMut(&[u8])) {
        let at = self.at.to_offset(time::UtcOffset::UTC).format(TIME_FORMAT).unwrap_or_default();
        let seq = self.seq.to_string();
        let fields: [Option<&str>; 11] = [
            Some(&seq),
            Some(&at),
            self.actor_id.as_deref(),
            Some(&self.actor_email),
            Some(&self.action),
            Some(&self.entity),
            Some(&self.entity_id),
            self.assessment_id.as_deref(),
            self.before.as_deref(),
            self.after.as_deref(),
            Some(&self.prev_hash),
        ];
        for field in fields {
            match field {
                None => update(b"-;"),
                Some(text) => {
                    update(format!("{}:", text.len()).as_bytes());
                    update(text.as_bytes());
                    update(b";");
                }
            }
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) const LAST_SQL: &str = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";

pub(crate) const INSERT_SQL: &str = "INSERT INTO audit_log (seq, at, actor_id, actor_email, action, entity, entity_id, assessment_id, before, after, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

fn optional(text: &Option<String>) -> Value {
    text.clone().map_or(Value::Null, Value::Text)
}

/// Turns a change into the next entry after `last` (seq and hash of the newest entry), and
/// the parameters of `INSERT_SQL`. Called inside the write's transaction, which holds the
/// lock that keeps the chain linear.
pub(crate) fn seal(change: &Change, last: Option<(i64, String)>) -> Vec<Value> {
    let (last_seq, prev_hash) = last.unwrap_or((0, GENESIS.to_string()));
    let mut entry = AuditEntry {
        seq: last_seq + 1,
        at: crate::sql::now(),
        actor_id: change.actor.id.clone(),
        actor_email: change.actor.email.clone(),
        action: change.action.to_string(),
        entity: change.entity.to_string(),
        entity_id: change.entity_id.clone(),
        assessment_id: change.assessment_id.clone(),
        before: change.before.clone(),
        after: change.after.clone(),
        prev_hash,
        hash: String::new(),
    };
    entry.hash = entry.seal_with(change.key.as_ref());
    vec![
        entry.seq.into(),
        entry.at.into(),
        optional(&entry.actor_id),
        entry.actor_email.into(),
        entry.action.into(),
        entry.entity.into(),
        entry.entity_id.into(),
        optional(&entry.assessment_id),
        optional(&entry.before),
        optional(&entry.after),
        entry.prev_hash.into(),
        entry.hash.into(),
    ]
}

macro_rules! select_entries {
    ($tail:literal) => {
        concat!(
            "SELECT seq, at, actor_id, actor_email, action, entity, entity_id, assessment_id, before, after, prev_hash, hash FROM audit_log ",
            $tail
        )
    };
}

fn entry(row: &dyn Row) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        seq: row.int(0)?,
        at: row.time(1)?,
        actor_id: row.opt_text(2)?,
        actor_email: row.text(3)?,
        action: row.text(4)?,
        entity: row.text(5)?,
        entity_id: row.text(6)?,
        assessment_id: row.opt_text(7)?,
        before: row.opt_text(8)?,
        after: row.opt_text(9)?,
        prev_hash: row.text(10)?,
        hash: row.text(11)?,
    })
}

/// What `verify_audit` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Entries read.
    pub entries: i64,
    /// Entries sealed with the key (the rest were written before bmma had one).
    pub keyed: i64,
    /// The newest entry, to write down as the next checkpoint.
    pub head: Option<Checkpoint>,
    /// The first entry that does not fit the chain, with the reason.
    pub first_broken: Option<(i64, String)>,
}

const PAGE: i64 = 1000;

/// Reads an entry for checking: an entry whose time cannot be read is a finding about that
/// entry, not a failure of the whole check.
fn checked_entry(row: &dyn Row) -> Result<Result<AuditEntry, (i64, String)>, StoreError> {
    let seq = row.int(0)?;
    let at = match row.time(1) {
        Ok(at) => at,
        Err(e) => return Ok(Err((seq, format!("its time cannot be read ({e})")))),
    };
    Ok(Ok(AuditEntry {
        seq,
        at,
        actor_id: row.opt_text(2)?,
        actor_email: row.text(3)?,
        action: row.text(4)?,
        entity: row.text(5)?,
        entity_id: row.text(6)?,
        assessment_id: row.opt_text(7)?,
        before: row.opt_text(8)?,
        after: row.opt_text(9)?,
        prev_hash: row.text(10)?,
        hash: row.text(11)?,
    }))
}

impl Store {
    /// Seals the entries this store writes from now on with `key`.
    pub fn with_audit_key(mut self, key: AuditKey) -> Store {
        self.audit_key = Some(key);
        self
    }

    /// The trail of one assessment, oldest first.
    pub async fn audit_of_assessment(&self, assessment_id: &str) -> Result<Vec<AuditEntry>, StoreError> {
        self.query(
            select_entries!("WHERE assessment_id = $1 ORDER BY seq"),
            vec![assessment_id.into()],
            entry,
        )
        .await
    }

    /// The entries after `seq`, oldest first.
    pub async fn audit_entries_after(&self, seq: i64) -> Result<Vec<AuditEntry>, StoreError> {
        self.query(select_entries!("WHERE seq > $1 ORDER BY seq"), vec![seq.into()], entry).await
    }

    /// The newest entry as a checkpoint; None while the trail is empty.
    pub async fn audit_checkpoint(&self) -> Result<Option<Checkpoint>, StoreError> {
        self.query_one(LAST_SQL, vec![], |row| Ok(Checkpoint { seq: row.int(0)?, hash: row.text(1)? })).await
    }

    /// Whether the newest entry carries a hash that only a key can make: then the trail
    /// must be checked and continued with that key, and a new one must not be made.
    pub async fn audit_needs_key(&self) -> Result<bool, StoreError> {
        let newest = self.query_one(select_entries!("ORDER BY seq DESC LIMIT 1"), vec![], entry).await?;
        Ok(newest.is_some_and(|e| e.compute_hash() != e.hash))
    }

    /// Recomputes the whole chain and names the first entry that does not fit: a changed
    /// entry (its hash no longer matches), a removed or inserted one (the sequence or the
    /// link to the previous hash breaks), one that cannot be read. With a `checkpoint`, also
    /// finds entries removed or rewritten since it was taken.
    pub async fn verify_audit(&self, checkpoint: Option<&Checkpoint>) -> Result<Verification, StoreError> {
        let key = self.audit_key.as_ref();
        let mut report = Verification { entries: 0, keyed: 0, head: None, first_broken: None };
        let mut prev_hash = GENESIS.to_string();
        let mut checkpoint_seen = false;
        loop {
            let page = self
                .query(
                    select_entries!("WHERE seq > $1 ORDER BY seq LIMIT $2"),
                    vec![report.entries.into(), PAGE.into()],
                    checked_entry,
                )
                .await?;
            if page.is_empty() {
                break;
            }
            for read in page {
                let expected_seq = report.entries + 1;
                let e = match read {
                    Ok(e) => e,
                    Err((seq, reason)) => {
                        report.first_broken = Some((seq, reason));
                        return Ok(report);
                    }
                };
                let broken = if e.seq != expected_seq {
                    Some(format!("expected entry {expected_seq} here; entries are missing or were inserted"))
                } else if e.prev_hash != prev_hash {
                    Some("does not link to the entry before it".to_string())
                } else if key.is_some_and(|k| e.compute_keyed_hash(k) == e.hash) {
                    report.keyed += 1;
                    None
                } else if e.compute_hash() == e.hash {
                    // Sealed without a key: only entries older than the keyed chain may be.
                    (report.keyed > 0).then(|| {
                        "is sealed without the audit key although entries before it are sealed with it: it was rewritten".to_string()
                    })
                } else if key.is_none() {
                    Some("its hash does not match its content: it was changed, or it is sealed with an audit key that was not given".to_string())
                } else {
                    Some("its content does not match its hash: it was changed".to_string())
                };
                let broken = broken.or_else(|| {
                    let differs = checkpoint.is_some_and(|c| c.seq == e.seq && c.hash != e.hash);
                    differs.then(|| "differs from the checkpoint: the trail was rewritten since".to_string())
                });
                if let Some(reason) = broken {
                    report.first_broken = Some((e.seq, reason));
                    return Ok(report);
                }
                checkpoint_seen |= checkpoint.is_some_and(|c| c.seq == e.seq);
                report.entries = e.seq;
                prev_hash = e.hash.clone();
                report.head = Some(Checkpoint { seq: e.seq, hash: e.hash });
            }
        }
        if let Some(c) = checkpoint.filter(|c| c.seq > 0 && !checkpoint_seen) {
            let reason = format!(
                "the trail ends at entry {}, before the checkpoint's entry {}: entries were removed since",
                report.entries, c.seq
            );
            report.first_broken = Some((report.entries + 1, reason));
        }
        Ok(report)
    }
}
