//! The evidence register: filing documents, interview notes, observations and visit
//! records against indicators; search; downloads; edits that never overwrite another's.

use bmma_core::evidence::{
    EvidenceDraft, EvidenceKind, FILE_NAME_MAX, Sniffer, display_file_name, excerpt, query_words,
    stored_file_name,
};
use bmma_core::records::EvidenceItem;
use bmma_core::{Action, FieldError, FieldErrorKind};
use bmma_store::{Content, Upload, User};

use crate::access::Access;
use crate::{App, AppError};

/// The most items a search returns; a search that matches more asks for another word.
pub const SEARCH_LIMIT: usize = 200;

/// A file as it arrived: its bytes (in a scratch file, for what users upload), the name the
/// sender's machine gave it, and what was learnt of its size and type on the way in.
#[derive(Debug)]
pub struct Offered {
    pub name: String,
    pub sniffer: Sniffer,
    pub content: Content,
}

impl Offered {
    /// A file held in memory, such as the demo's.
    pub fn bytes(name: &str, bytes: Vec<u8>) -> Offered {
        let mut sniffer = Sniffer::default();
        sniffer.feed(&bytes);
        Offered { name: name.to_string(), sniffer, content: Content::Bytes(bytes) }
    }
}

/// A new item of the register, as the caller typed it.
#[derive(Debug, Default)]
pub struct Filing {
    /// An `EvidenceKind` name.
    pub kind: String,
    pub title: String,
    pub notes: String,
    pub indicators: Vec<String>,
    pub file: Option<Offered>,
}

/// A change to an item's title, notes and indicators, over the version read.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EvidenceEdit {
    pub title: String,
    pub notes: String,
    pub indicators: Vec<String>,
    pub version: i64,
}

/// What the register is asked for.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct Find {
    /// Words to search for; every one must begin a word of the item.
    pub q: String,
    /// Only items linked to this indicator.
    pub indicator: String,
}

/// What a search found: items newest first, each with the passage where the words were
/// found, and whether more than `SEARCH_LIMIT` matched, of which only the newest are given.
#[derive(Debug, Default)]
pub struct Found {
    pub items: Vec<(EvidenceItem, Option<String>)>,
    pub truncated: bool,
}

/// An upload's content, to be handed back as a download.
#[derive(Debug)]
pub struct Download {
    pub name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

impl App {
    /// The whole register.
    pub async fn evidence(&self, access: &Access) -> Result<Vec<EvidenceItem>, AppError> {
        access.require(Action::Evidence)?;
        Ok(self.store.evidence(&access.assessment.id).await?)
    }

    /// The items matching `find`.
    pub async fn find_evidence(&self, access: &Access, find: &Find) -> Result<Found, AppError> {
        let indicator = find.indicator.trim();
        let keep =
            |item: &EvidenceItem| indicator.is_empty() || item.indicators.iter().any(|c| c == indicator);
        if find.q.trim().is_empty() {
            let items = self.evidence(access).await?;
            let items = items.into_iter().filter(|i| keep(i)).map(|i| (i, None)).collect();
            return Ok(Found { items, truncated: false });
        }
        access.require(Action::Evidence)?;
        let words = query_words(&find.q);
        let mut hits = self.store.search_evidence(&access.assessment.id, &words, SEARCH_LIMIT + 1).await?;
        let truncated = hits.len() > SEARCH_LIMIT;
        hits.truncate(SEARCH_LIMIT);
        let items = hits
            .into_iter()
            .filter(|hit| keep(&hit.item))
            .map(|hit| {
                let passage = excerpt(&hit.item.notes, &words, 12)
                    .or_else(|| hit.document_text.as_deref().and_then(|text| excerpt(text, &words, 12)));
                (hit.item, passage)
            })
            .collect();
        Ok(Found { items, truncated })
    }

    /// One item of the register.
    pub async fn evidence_item(&self, access: &Access, item_id: &str) -> Result<EvidenceItem, AppError> {
        access.require(Action::Evidence)?;
        self.store.evidence_item(&access.assessment.id, item_id).await?.ok_or(AppError::NotFound)
    }

    /// The upload of an item.
    pub async fn evidence_file(&self, user: &User, id: &str, item_id: &str) -> Result<Download, AppError> {
        self.assessment_for(user, id, Action::Evidence).await?;
        let (name, media_type, bytes) =
            self.store.evidence_file(id, item_id).await?.ok_or(AppError::NotFound)?;
        Ok(Download { name, media_type, bytes })
    }

    /// Checks and files an item under `item_id`; every problem of the filing is reported at
    /// once. An upload's words are read afterwards, outside the server.
    pub async fn file_evidence(
        &self,
        user: &User,
        id: &str,
        item_id: &str,
        filing: Filing,
    ) -> Result<(), AppError> {
        let access = self.assessment_for(user, id, Action::Evidence).await?;
        let loaded = self.framework_of(&access.assessment).await?;
        let mut errors = Vec::new();
        let kind = filing.kind.parse::<EvidenceKind>().unwrap_or_else(|_| {
            errors.push(FieldError { field: "kind", kind: FieldErrorKind::Required });
            EvidenceKind::Document
        });
        let draft =
            EvidenceDraft { kind, title: filing.title, notes: filing.notes, indicators: filing.indicators };
        errors.extend(draft.problems());
        errors.extend(access.assessment.scope.indicator_problems(
            &loaded.framework,
            "indicators",
            &draft.indicators,
        ));
        let mut upload = None;
        if let Some(offered) = filing.file {
            let name = display_file_name(&offered.name);
            if offered.sniffer.size() > self.uploads.max_bytes {
                errors.push(self.uploads.too_large());
            } else if let Some(file_type) = offered.sniffer.file_type(&name) {
                upload = Some(Upload {
                    name: stored_file_name(&name, file_type),
                    media_type: file_type.media_type().to_string(),
                    content: offered.content,
                    holds_text: file_type.holds_text(),
                });
            } else {
                let value = name.chars().take(FILE_NAME_MAX).collect();
                errors.push(FieldError { field: "file", kind: FieldErrorKind::FileTypeNotAllowed { value } });
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let holds_text = upload.as_ref().is_some_and(|u| u.holds_text);
        // Uploads are written a few at a time: on PostgreSQL each is held whole for its
        // write, so however many arrive together, the server holds at most this many.
        let _writing = match &upload {
            Some(_) => {
                Some(self.uploads.writes.acquire().await.map_err(|e| AppError::Internal(e.to_string()))?)
            }
            None => None,
        };
        self.store.create_evidence(id, item_id, &draft, upload, &user.actor()).await?;
        if holds_text && let Some(reader) = &self.uploads.reader {
            reader.read(id, item_id);
        }
        Ok(())
    }

    /// Checks and saves an edit of an item's title, notes and indicators. Returns the access
    /// checked, for reading the item as saved.
    pub async fn edit_evidence(
        &self,
        user: &User,
        id: &str,
        item_id: &str,
        edit: &EvidenceEdit,
    ) -> Result<Access, AppError> {
        let access = self.assessment_for(user, id, Action::Evidence).await?;
        let current = self.evidence_item(&access, item_id).await?;
        let loaded = self.framework_of(&access.assessment).await?;
        let draft = EvidenceDraft {
            kind: current.kind,
            title: edit.title.clone(),
            notes: edit.notes.clone(),
            indicators: edit.indicators.iter().map(|c| c.trim().to_string()).collect(),
        };
        let mut errors = draft.problems();
        errors.extend(access.assessment.scope.indicator_problems(
            &loaded.framework,
            "indicators",
            &draft.indicators,
        ));
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        if self.store.update_evidence(id, item_id, &draft, edit.version, &user.actor()).await? {
            return Ok(access);
        }
        let now = self.evidence_item(&access, item_id).await?;
        Err(AppError::stale_by("error-stale-score", &now.updated_by.name, now.updated_at))
    }
}
