//! The audit trail. Every change is written in the same transaction as an entry that says
//! who, when, what, and the record before and after; each entry's hash covers its content
//! and the previous entry's hash, so a changed, removed or inserted entry breaks the chain.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::sql::{Row, Value};
use crate::{Store, StoreError};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

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

    /// bmma itself, for changes made from the command line or at start, named by `what`.
    pub fn system(what: &str) -> Actor {
        Actor { id: None, email: what.to_string() }
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
}

impl Change {
    pub fn new(actor: &Actor, action: &'static str, entity: &'static str, entity_id: &str) -> Change {
        Change {
            actor: actor.clone(),
            action,
            entity,
            entity_id: entity_id.to_string(),
            assessment_id: None,
            before: None,
            after: None,
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
    /// The hash this entry should carry: SHA-256 over every field but the hash itself, each
    /// prefixed with its length so no two different entries hash the same text.
    pub fn compute_hash(&self) -> String {
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
        let mut hasher = Sha256::new();
        for field in fields {
            match field {
                None => hasher.update(b"-;"),
                Some(text) => {
                    hasher.update(format!("{}:", text.len()).as_bytes());
                    hasher.update(text.as_bytes());
                    hasher.update(b";");
                }
            }
        }
        hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
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
    entry.hash = entry.compute_hash();
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
    /// The first entry that does not fit the chain, with the reason.
    pub first_broken: Option<(i64, String)>,
}

const PAGE: i64 = 1000;

impl Store {
    /// The trail of one assessment, oldest first.
    pub async fn audit_of_assessment(&self, assessment_id: &str) -> Result<Vec<AuditEntry>, StoreError> {
        self.query(
            select_entries!("WHERE assessment_id = $1 ORDER BY seq"),
            vec![assessment_id.into()],
            entry,
        )
        .await
    }

    /// Recomputes the whole chain and names the first entry that does not fit: a changed
    /// entry (its hash no longer matches), a removed or inserted one (the sequence or the
    /// link to the previous hash breaks).
    pub async fn verify_audit(&self) -> Result<Verification, StoreError> {
        let mut expected_seq = 1;
        let mut prev_hash = GENESIS.to_string();
        let mut after_seq = 0;
        loop {
            let page = self
                .query(
                    select_entries!("WHERE seq > $1 ORDER BY seq LIMIT $2"),
                    vec![after_seq.into(), PAGE.into()],
                    entry,
                )
                .await?;
            let Some(last) = page.last() else { break };
            after_seq = last.seq;
            for e in &page {
                let broken = if e.seq != expected_seq {
                    Some(format!("expected entry {expected_seq} here; entries are missing or were inserted"))
                } else if e.prev_hash != prev_hash {
                    Some("does not link to the entry before it".to_string())
                } else if e.compute_hash() != e.hash {
                    Some("its content does not match its hash: it was changed".to_string())
                } else {
                    None
                };
                if let Some(reason) = broken {
                    return Ok(Verification { entries: e.seq, first_broken: Some((e.seq, reason)) });
                }
                expected_seq += 1;
                prev_hash = e.hash.clone();
            }
        }
        Ok(Verification { entries: expected_seq - 1, first_broken: None })
    }
}
