//! The evidence register: what the team has read, heard and seen, each item linked to the
//! indicators it supports; which uploads are accepted; and the search terms of an item.
//!
//! Search terms are made here, not by the databases' own parsers, so that SQLite and
//! PostgreSQL index exactly the same words and find exactly the same items: each word is
//! lower-cased and stripped of accents, and a word with letters outside ASCII is spelled
//! in fixed-width hexadecimal, which every full-text parser reads as one plain word.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::fields::{FieldError, FieldErrorKind, NOTES_MAX_CHARS, TITLE_MAX_CHARS, text_problem};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// A document: a law, a procedure, statistics, a report. Usually an upload.
    Document,
    /// Notes of an interview.
    Interview,
    /// Something the team saw for itself.
    Observation,
    /// The record of a visit to a border site.
    VisitRecord,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 4] = [
        EvidenceKind::Document,
        EvidenceKind::Interview,
        EvidenceKind::Observation,
        EvidenceKind::VisitRecord,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Document => "document",
            EvidenceKind::Interview => "interview",
            EvidenceKind::Observation => "observation",
            EvidenceKind::VisitRecord => "visit-record",
        }
    }
}

impl fmt::Display for EvidenceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EvidenceKind {
    type Err = String;

    fn from_str(text: &str) -> Result<EvidenceKind, String> {
        EvidenceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| format!("unknown kind of evidence '{text}'"))
    }
}

/// Where reading the words of an upload stands. Words are read after the upload is
/// stored, by a separate process, so a damaged or hostile file never holds up filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextState {
    /// Filed; its words are still being read.
    Waiting,
    /// Its words are in the search index.
    Read,
    /// The reader failed: the file is damaged or too complex (or hit a limit).
    Unreadable,
    /// A type that holds no words bmma reads (images, office documents).
    NoText,
}

impl TextState {
    pub const ALL: [TextState; 4] =
        [TextState::Waiting, TextState::Read, TextState::Unreadable, TextState::NoText];

    pub fn as_str(self) -> &'static str {
        match self {
            TextState::Waiting => "waiting",
            TextState::Read => "read",
            TextState::Unreadable => "unreadable",
            TextState::NoText => "no-text",
        }
    }
}

impl fmt::Display for TextState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TextState {
    type Err = String;

    fn from_str(text: &str) -> Result<TextState, String> {
        TextState::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| format!("unknown text state '{text}'"))
    }
}

/// The most text kept from one uploaded file, in bytes; the rest of a very long file is not
/// indexed.
pub const DOCUMENT_TEXT_MAX: usize = 2_000_000;

/// The longest file name kept for display, in characters.
pub const FILE_NAME_MAX: usize = 200;

/// What a team member files: the item without its upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceDraft {
    pub kind: EvidenceKind,
    pub title: String,
    pub notes: String,
    /// Codes of the indicators the item supports.
    pub indicators: Vec<String>,
}

impl EvidenceDraft {
    /// What is wrong with the item on its own; scope is checked by the caller, who knows it.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut errors: Vec<FieldError> = [
            text_problem("title", &self.title, true, TITLE_MAX_CHARS),
            text_problem("notes", &self.notes, false, NOTES_MAX_CHARS),
        ]
        .into_iter()
        .flatten()
        .collect();
        if self.indicators.is_empty() {
            errors.push(FieldError { field: "indicators", kind: FieldErrorKind::Required });
        }
        errors
    }
}

/// The file types bmma accepts as evidence, recognised by their content, not their name.
/// Types a browser would run (HTML, SVG, scripts) are never among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    PlainText,
    Csv,
    Png,
    Jpeg,
    Docx,
    Xlsx,
    Pptx,
    Odt,
    Ods,
}

impl FileType {
    pub const ALL: [FileType; 10] = [
        FileType::Pdf,
        FileType::PlainText,
        FileType::Csv,
        FileType::Png,
        FileType::Jpeg,
        FileType::Docx,
        FileType::Xlsx,
        FileType::Pptx,
        FileType::Odt,
        FileType::Ods,
    ];

    pub fn media_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::PlainText => "text/plain",
            FileType::Csv => "text/csv",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            FileType::Odt => "application/vnd.oasis.opendocument.text",
            FileType::Ods => "application/vnd.oasis.opendocument.spreadsheet",
        }
    }

    /// The name endings this type is known by; the first is the usual one.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Pdf => &["pdf"],
            FileType::PlainText => &["txt", "text", "md"],
            FileType::Csv => &["csv"],
            FileType::Png => &["png"],
            FileType::Jpeg => &["jpg", "jpeg"],
            FileType::Docx => &["docx"],
            FileType::Xlsx => &["xlsx"],
            FileType::Pptx => &["pptx"],
            FileType::Odt => &["odt"],
            FileType::Ods => &["ods"],
        }
    }

    /// Whether bmma reads words out of files of this type for the search index.
    pub fn holds_text(self) -> bool {
        matches!(self, FileType::Pdf | FileType::PlainText | FileType::Csv)
    }

    pub fn from_media_type(media_type: &str) -> Option<FileType> {
        FileType::ALL.into_iter().find(|t| t.media_type() == media_type)
    }

    /// Recognises an upload held whole in memory; see `detect_from`.
    pub fn detect(file_name: &str, bytes: &[u8]) -> Option<FileType> {
        let mut sniffer = Sniffer::default();
        sniffer.feed(bytes);
        sniffer.file_type(file_name)
    }

    /// Recognises an upload from the start of its bytes (`head`, at least `Sniffer::HEAD`
    /// of them when the file is that long) and whether all of it is text (UTF-8 without
    /// NUL). The name's ending only chooses between types that share a container (a ZIP is
    /// a .docx or an .xlsx) or have none (text); the bytes decide.
    fn detect_from(file_name: &str, head: &[u8], all_text: bool) -> Option<FileType> {
        let bytes = head;
        let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        let named = |t: FileType| t.extensions().contains(&extension.as_str());
        if bytes.starts_with(b"%PDF-") {
            return Some(FileType::Pdf);
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(FileType::Png);
        }
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Some(FileType::Jpeg);
        }
        if bytes.starts_with(b"PK\x03\x04") {
            return [FileType::Docx, FileType::Xlsx, FileType::Pptx, FileType::Odt, FileType::Ods]
                .into_iter()
                .find(|&t| named(t));
        }
        if all_text {
            return [FileType::Csv, FileType::PlainText].into_iter().find(|&t| named(t));
        }
        None
    }
}

/// Learns an upload's type as its bytes stream past, holding only its start: what
/// `FileType::detect` needs without the whole file in memory.
#[derive(Debug, Clone)]
pub struct Sniffer {
    head: Vec<u8>,
    /// The end of the last chunk when it stops inside a character.
    pending: Vec<u8>,
    text: bool,
    size: u64,
}

impl Default for Sniffer {
    fn default() -> Sniffer {
        Sniffer { head: Vec::new(), pending: Vec::new(), text: true, size: 0 }
    }
}

impl Sniffer {
    /// The bytes kept from the start: enough for every signature bmma checks.
    pub const HEAD: usize = 64;

    pub fn feed(&mut self, chunk: &[u8]) {
        self.size += chunk.len() as u64;
        let room = Sniffer::HEAD.saturating_sub(self.head.len());
        self.head.extend_from_slice(&chunk[..room.min(chunk.len())]);
        if !self.text {
            return;
        }
        let mut rest = chunk;
        if !self.pending.is_empty() {
            // Finish the character the last chunk cut, then check the rest in place.
            let width = match self.pending[0] {
                0xF0.. => 4,
                0xE0.. => 3,
                _ => 2,
            };
            let needed = (width - self.pending.len()).min(rest.len());
            self.pending.extend_from_slice(&rest[..needed]);
            rest = &rest[needed..];
            if self.pending.len() < width {
                return;
            }
            if std::str::from_utf8(&self.pending).is_err() {
                self.text = false;
                return;
            }
            self.pending.clear();
        }
        if rest.contains(&0) {
            self.text = false;
            return;
        }
        match std::str::from_utf8(rest) {
            Ok(_) => {}
            // A character cut by the chunk's end: keep its first bytes for the next chunk.
            Err(e) if e.error_len().is_none() => self.pending = rest[e.valid_up_to()..].to_vec(),
            Err(_) => self.text = false,
        }
    }

    /// Bytes seen so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The type of everything fed, named `file_name`; None when bmma does not accept it.
    pub fn file_type(&self, file_name: &str) -> Option<FileType> {
        FileType::detect_from(file_name, &self.head, self.text && self.pending.is_empty())
    }
}

/// Characters that change how the text around them is shown without being seen themselves:
/// bidirectional embeddings, overrides and isolates, zero-width spaces and marks, the byte
/// order mark, invisible operators and tags. A name holding them could show as another name
/// ("invoice", U+202E, "fdp.exe" reads as "invoiceexe.pdf"). The joiners U+200C and U+200D stay: some
/// scripts need them to spell words.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// The name of an upload as it is shown: its last path part, without control or invisible
/// characters. It is only ever displayed, never used to name a file. Not cut: the type is
/// read from the name's ending first, then `stored_file_name` shortens it.
pub fn display_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = last.chars().filter(|&c| !is_invisible(c)).collect();
    let clean = clean.trim().to_string();
    if clean.is_empty() { "upload".to_string() } else { clean }
}

/// The name an upload of `file_type` is kept under: the displayed name, ending in one of the
/// type's extensions (the usual one is added when it does not, so a PDF named `.html` is kept
/// as `….html.pdf`), and cut to `FILE_NAME_MAX` characters before that ending.
pub fn stored_file_name(name: &str, file_type: FileType) -> String {
    let name = display_file_name(name);
    let ending = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let (stem, extension) = match ending {
        Some(e) if file_type.extensions().contains(&e.as_str()) => {
            let (stem, e) = name.rsplit_once('.').unwrap_or((&name, ""));
            (stem.to_string(), e.to_string())
        }
        _ => (name.clone(), file_type.extensions()[0].to_string()),
    };
    let room = FILE_NAME_MAX.saturating_sub(extension.chars().count() + 1);
    let stem: String = stem.chars().take(room).collect();
    format!("{}.{extension}", stem.trim_end())
}

/// The longest word that is indexed, in characters; longer runs are noise (hashes, base64).
const WORD_MAX: usize = 40;
/// The most search text kept for one item, in bytes. PostgreSQL refuses a tsvector over
/// 1 MB; distinct words of even a long report stay well under this.
const SEARCH_TEXT_MAX: usize = 400_000;

/// The search word for one run of letters and digits, already lower-case.
fn search_word(word: &str) -> Option<String> {
    let folded: String = word.nfd().filter(|c| !is_combining_mark(*c)).collect();
    let count = folded.chars().count();
    if count == 0 || count > WORD_MAX {
        return None;
    }
    if folded.is_ascii() {
        return Some(folded);
    }
    // One letter, six hex digits: a prefix of the word is a prefix of its spelling.
    let mut spelled = String::from("u");
    for c in folded.chars() {
        spelled.push_str(&format!("{:06x}", u32::from(c)));
    }
    Some(spelled)
}

/// The search words of a text, in order of first appearance, each once.
pub fn search_words(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut seen = HashSet::new();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(search_word)
        .filter(|w| seen.insert(w.clone()))
        .collect()
}

/// The text both databases index for an item: its distinct search words, space-separated.
pub fn search_text(parts: &[&str]) -> String {
    let mut seen = HashSet::new();
    let mut out = String::new();
    for word in parts.iter().flat_map(|p| search_words(p)) {
        if out.len() + word.len() + 1 > SEARCH_TEXT_MAX {
            break;
        }
        if seen.insert(word.clone()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&word);
        }
    }
    out
}

/// The words of a search as typed; every one must match the start of a word of an item.
/// At most eight are kept.
pub fn query_words(query: &str) -> Vec<String> {
    search_words(query).into_iter().take(8).collect()
}

/// Whether a whitespace-separated word of a text matches a word of `query` as the search
/// does. Plain ASCII, the usual case, is compared in place, without making search words.
fn matches_query(word: &str, query: &[String]) -> bool {
    word.split(|c: char| !c.is_alphanumeric()).filter(|piece| !piece.is_empty()).any(|piece| {
        if piece.is_ascii() {
            query.iter().any(|q| {
                piece.len() >= q.len() && piece.as_bytes()[..q.len()].eq_ignore_ascii_case(q.as_bytes())
            })
        } else {
            search_word(&piece.to_lowercase())
                .is_some_and(|w| query.iter().any(|q| w.starts_with(q.as_str())))
        }
    })
}

/// A short passage of `text` around the first word that `query` matches, for a result list.
pub fn excerpt(text: &str, query: &[String], words_around: usize) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let hit = words.iter().position(|w| matches_query(w, query))?;
    let start = hit.saturating_sub(words_around);
    let end = (hit + words_around + 1).min(words.len());
    let mut passage = words[start..end].join(" ");
    if start > 0 {
        passage.insert_str(0, "… ");
    }
    if end < words.len() {
        passage.push_str(" …");
    }
    Some(passage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_the_same_way_whatever_the_accent_or_case() {
        assert_eq!(search_words("Déclaration d'ENTRÉE, entree"), vec!["declaration", "d", "entree"]);
        assert_eq!(search_words("visa-free 2025 e-mail"), vec!["visa", "free", "2025", "e", "mail"]);
    }

    #[test]
    fn words_beyond_ascii_are_spelled_so_prefixes_still_match() {
        let word = &search_words("Граница")[0];
        let prefix = &search_words("Гран")[0];
        assert!(word.starts_with(prefix.as_str()), "{word} should start with {prefix}");
        assert!(word.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(search_words("حدود").len(), 1);
    }

    #[test]
    fn search_text_keeps_each_word_once_and_drops_noise() {
        let long = "x".repeat(WORD_MAX + 1);
        assert_eq!(search_text(&["Border border BORDER", &long, "post"]), "border post");
    }

    #[test]
    fn search_text_stays_under_the_postgresql_limit() {
        let many: String = (0..200_000).map(|n| format!("w{n} ")).collect();
        assert!(search_text(&[&many]).len() <= SEARCH_TEXT_MAX);
    }

    #[test]
    fn files_are_recognised_by_content_and_the_name_only_breaks_ties() {
        assert_eq!(FileType::detect("report.txt", b"%PDF-1.7\n"), Some(FileType::Pdf));
        assert_eq!(FileType::detect("notes.txt", "Entrée\n".as_bytes()), Some(FileType::PlainText));
        assert_eq!(FileType::detect("figures.CSV", b"post,travellers\n"), Some(FileType::Csv));
        assert_eq!(FileType::detect("plan.docx", b"PK\x03\x04rest"), Some(FileType::Docx));
        assert_eq!(FileType::detect("archive.zip", b"PK\x03\x04rest"), None);
        assert_eq!(FileType::detect("page.html", b"<html><script>"), None);
        assert_eq!(FileType::detect("tool.exe", b"MZ\x90\x00"), None);
        assert_eq!(FileType::detect("binary.txt", b"abc\x00def"), None);
        assert_eq!(FileType::detect("latin1.txt", b"caf\xE9"), None);
        // Fed in pieces that cut a character, text is still text; a bad byte far from the
        // start is still found.
        let mut sniffer = Sniffer::default();
        for piece in "Entrée à la frontière".as_bytes().chunks(3) {
            sniffer.feed(piece);
        }
        assert_eq!(sniffer.file_type("notes.txt"), Some(FileType::PlainText));
        let mut sniffer = Sniffer::default();
        sniffer.feed(&[b'a'; 10_000]);
        sniffer.feed(b"\xE9");
        assert_eq!(sniffer.file_type("notes.txt"), None);
        assert_eq!(sniffer.size(), 10_001);
    }

    #[test]
    fn file_names_are_for_display_only() {
        assert_eq!(display_file_name("../../etc/passwd"), "passwd");
        assert_eq!(display_file_name("C:\\Users\\me\\Report 2025.pdf"), "Report 2025.pdf");
        assert_eq!(display_file_name("a\u{0}b\n.txt"), "ab.txt");
        assert_eq!(display_file_name("/"), "upload");
        assert_eq!(display_file_name("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        assert_eq!(display_file_name("\u{2066}memo\u{200B}.pdf\u{2069}\u{FEFF}"), "memo.pdf");
        assert_eq!(display_file_name("گزارش\u{200C}ها.pdf"), "گزارش\u{200C}ها.pdf", "joiners stay");
    }

    #[test]
    fn a_stored_name_is_cut_before_its_ending_and_ends_as_its_type() {
        let long = format!("{}.pdf", "a".repeat(300));
        let stored = stored_file_name(&long, FileType::Pdf);
        assert_eq!(stored.chars().count(), FILE_NAME_MAX);
        assert!(stored.ends_with("aaa.pdf"));
        assert_eq!(stored_file_name("report.html", FileType::Pdf), "report.html.pdf");
        assert_eq!(stored_file_name("Figures.CSV", FileType::Csv), "Figures.CSV");
        assert_eq!(stored_file_name("notes", FileType::PlainText), "notes.txt");
    }

    #[test]
    fn an_excerpt_shows_the_words_around_the_first_match() {
        let query = query_words("pass");
        let text = "The post has no reader for biometric passports at the second lane";
        assert_eq!(excerpt(text, &query, 2).as_deref(), Some("… for biometric passports at the …"));
        assert_eq!(excerpt(text, &query_words("visa"), 2), None);
        let accented = "Contrôle à l'ENTRÉE du poste";
        assert_eq!(excerpt(accented, &query_words("entree"), 1).as_deref(), Some("… à l'ENTRÉE du …"));
        assert_eq!(excerpt(accented, &query_words("CONTROLE"), 0).as_deref(), Some("Contrôle …"));
    }

    #[test]
    fn a_draft_needs_a_title_and_an_indicator() {
        let draft = EvidenceDraft {
            kind: EvidenceKind::Interview,
            title: " ".into(),
            notes: String::new(),
            indicators: vec![],
        };
        let fields: Vec<_> = draft.problems().iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["title", "indicators"]);
    }
}
