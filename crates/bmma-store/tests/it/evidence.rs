//! The evidence register: uploads kept whole with their hash, edits over the version read,
//! and full-text search that finds the same items on SQLite and PostgreSQL.

use bmma_core::evidence::{EvidenceDraft, EvidenceKind, TextState, query_words};
use bmma_store::testing as harness;
use bmma_store::{Content, Store, Upload, sha256_hex};

use crate::accounts::user;

fn draft(kind: EvidenceKind, title: &str, notes: &str, indicators: &[&str]) -> EvidenceDraft {
    EvidenceDraft {
        kind,
        title: title.into(),
        notes: notes.into(),
        indicators: indicators.iter().map(|c| c.to_string()).collect(),
    }
}

/// The titles of the items a search finds, sorted.
async fn found(store: &Store, assessment: &str, query: &str) -> Vec<String> {
    let hits = store.search_evidence(assessment, &query_words(query), 100).await.unwrap();
    let mut titles: Vec<String> = hits.into_iter().map(|h| h.item.title).collect();
    titles.sort();
    titles
}

#[tokio::test]
async fn an_upload_streamed_from_its_file_comes_back_byte_for_byte_and_is_stored_once() {
    use std::io::Write;
    let t = harness::fresh().await;
    let lead = user(&t.store, "lead@example.org").await;
    crate::assessment_led_by(&t.store, "a1", &lead).await;
    // Larger than one piece of the copy, and not a multiple of it.
    let bytes: Vec<u8> = (0..3_000_001u32).map(|n| (n % 251) as u8).collect();
    let mut spool = tempfile::tempfile().unwrap();
    spool.write_all(&bytes).unwrap();
    let spool = std::sync::Arc::new(spool);
    for id in ["e1", "e2"] {
        let upload = Upload {
            name: "scan.png".into(),
            media_type: "image/png".into(),
            content: Content::File(spool.clone()),
            holds_text: false,
        };
        let item = draft(EvidenceKind::Document, "Scan", "", &["A.1.1"]);
        t.store.create_evidence("a1", id, &item, Some(upload), &lead.actor()).await.unwrap();
    }
    for id in ["e1", "e2"] {
        let (_, _, content) = t.store.evidence_file("a1", id).await.unwrap().unwrap();
        assert!(content == bytes, "{id}: the file comes back byte for byte");
    }
    // Read back in pieces, it is the same bytes.
    let sha = sha256_hex(&bytes);
    let mut pieces = Vec::new();
    loop {
        let piece = t.store.file_piece(&sha, pieces.len() as u64, 1 << 20).await.unwrap().unwrap();
        if piece.is_empty() {
            break;
        }
        pieces.extend_from_slice(&piece);
    }
    assert!(pieces == bytes, "the pieces make the file");
    let stored = t.store.evidence("a1").await.unwrap();
    assert_eq!(stored[0].file.as_ref().unwrap().sha256, sha256_hex(&bytes));
    assert_eq!(stored[0].file.as_ref().unwrap().size_bytes, 3_000_001);
}

#[tokio::test]
async fn an_upload_is_kept_whole_with_its_hash_and_an_edit_over_an_old_version_is_refused() {
    let t = harness::fresh().await;
    let lead = user(&t.store, "lead@example.org").await;
    crate::assessment_led_by(&t.store, "a1", &lead).await;
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let upload = Upload {
        name: "roster.png".into(),
        media_type: "image/png".into(),
        content: Content::Bytes(bytes.clone()),
        holds_text: false,
    };
    let item = draft(EvidenceKind::Document, "Duty roster", "Photographed at the post", &["A.1.1"]);
    t.store.create_evidence("a1", "e1", &item, Some(upload.clone()), &lead.actor()).await.unwrap();

    let stored = t.store.evidence("a1").await.unwrap();
    let file = stored[0].file.as_ref().unwrap();
    assert_eq!(file.sha256, sha256_hex(&bytes));
    assert_eq!(file.size_bytes, 70_000);
    assert_eq!(file.text_state, TextState::NoText, "an image holds no words to read");
    assert!(t.store.texts_to_read().await.unwrap().is_empty());
    let (name, media_type, content) = t.store.evidence_file("a1", "e1").await.unwrap().unwrap();
    assert_eq!((name.as_str(), media_type.as_str()), ("roster.png", "image/png"));
    assert_eq!(content, bytes, "the file comes back byte for byte");
    assert!(t.store.evidence_file("other", "e1").await.unwrap().is_none(), "only through its assessment");
    assert_eq!(t.store.evidence_item("a1", "e1").await.unwrap().as_ref(), Some(&stored[0]));
    assert!(t.store.evidence_item("other", "e1").await.unwrap().is_none());

    let edited = draft(EvidenceKind::Document, "Duty roster, March", "", &["A.1.1", "A.1.2"]);
    assert!(t.store.update_evidence("a1", "e1", &edited, 1, &lead.actor()).await.unwrap());
    let stale = draft(EvidenceKind::Document, "Old tab", "", &["A.1.1"]);
    assert!(!t.store.update_evidence("a1", "e1", &stale, 1, &lead.actor()).await.unwrap());
    let now = &t.store.evidence("a1").await.unwrap()[0];
    assert_eq!((now.title.as_str(), now.version), ("Duty roster, March", 2));
    assert_eq!(now.indicators, ["A.1.1", "A.1.2"]);
}

#[tokio::test]
async fn search_finds_words_in_titles_notes_and_document_text_alike_on_every_backend() {
    let t = harness::fresh().await;
    let lead = user(&t.store, "lead@example.org").await;
    crate::assessment_led_by(&t.store, "a1", &lead).await;
    crate::assessment_led_by(&t.store, "a2", &lead).await;
    let law = Upload {
        name: "act.txt".into(),
        media_type: "text/plain".into(),
        content: Content::Bytes(b"Article 9: entry refusals".to_vec()),
        holds_text: true,
    };
    let items = [
        (
            "e1",
            draft(EvidenceKind::Document, "Border Police Act", "Unofficial translation", &["A.1.1"]),
            Some(&law),
        ),
        (
            "e2",
            draft(
                EvidenceKind::Interview,
                "Interview: deputy director",
                "Passports are stamped by hand; the déclaration d'entrée is kept on paper.",
                &["A.1.2"],
            ),
            None,
        ),
        (
            "e3",
            draft(
                EvidenceKind::Observation,
                "Night shift at Harren Bridge",
                "No supervisor named. Москва flights arrive at 02:00.",
                &["A.1.2"],
            ),
            None,
        ),
    ];
    for (id, item, upload) in &items {
        t.store.create_evidence("a1", id, item, upload.cloned(), &lead.actor()).await.unwrap();
    }
    let text = "Article 9. The Immigration Service decides on entry refusals; 2016 edition.";
    assert!(t.store.record_text("a1", "e1", Some(text)).await.unwrap());
    let other = draft(EvidenceKind::Observation, "Passport readers elsewhere", "", &["A.1.1"]);
    t.store.create_evidence("a2", "x1", &other, None, &lead.actor()).await.unwrap();

    let cases: [(&str, &[&str]); 10] = [
        ("refusals", &["Border Police Act"]),
        ("immigration 2016", &["Border Police Act"]),
        ("pass", &["Interview: deputy director"]),
        ("PASSPORTS stamped", &["Interview: deputy director"]),
        ("declaration entree", &["Interview: deputy director"]),
        ("Déclaration", &["Interview: deputy director"]),
        ("моск", &["Night shift at Harren Bridge"]),
        ("02", &["Night shift at Harren Bridge"]),
        ("police", &["Border Police Act"]),
        ("passports supervisor", &[]),
    ];
    for (query, expected) in cases {
        assert_eq!(
            found(&t.store, "a1", query).await,
            expected,
            "search {query:?} on {}",
            t.store.backend_name()
        );
    }
    assert!(found(&t.store, "a1", "  ,; ").await.is_empty(), "a search of no words finds nothing");
    let newest: Vec<String> = t
        .store
        .search_evidence("a1", &query_words("a"), 2)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.item.title)
        .collect();
    assert_eq!(
        newest,
        ["Night shift at Harren Bridge", "Interview: deputy director"],
        "the newest, up to the limit"
    );

    // An edit re-indexes the item: the old words go, the new ones come.
    let renamed =
        draft(EvidenceKind::Observation, "Night shift at Kalvor", "Supervisor present.", &["A.1.2"]);
    assert!(t.store.update_evidence("a1", "e3", &renamed, 1, &lead.actor()).await.unwrap());
    assert!(found(&t.store, "a1", "harren").await.is_empty());
    assert_eq!(found(&t.store, "a1", "kalvor").await, ["Night shift at Kalvor"]);
}

#[tokio::test]
async fn words_read_after_filing_join_the_index_without_losing_an_edit_made_meanwhile() {
    let t = harness::fresh().await;
    let lead = user(&t.store, "lead@example.org").await;
    crate::assessment_led_by(&t.store, "a1", &lead).await;
    let upload = |name: &str| Upload {
        name: name.into(),
        media_type: "application/pdf".into(),
        content: Content::Bytes(format!("%PDF-1.4 {name}").into_bytes()),
        holds_text: true,
    };
    let item = draft(EvidenceKind::Document, "Standing order", "", &["A.1.1"]);
    t.store.create_evidence("a1", "e1", &item, Some(upload("order.pdf")), &lead.actor()).await.unwrap();
    t.store.create_evidence("a1", "e2", &item, Some(upload("scan.pdf")), &lead.actor()).await.unwrap();
    let waiting: Vec<String> =
        t.store.texts_to_read().await.unwrap().into_iter().map(|w| w.item_id).collect();
    assert_eq!(waiting, ["e1", "e2"], "both wait to be read, oldest first");
    let state = |id: &'static str| {
        let store = t.store.clone();
        async move { store.evidence_item("a1", id).await.unwrap().unwrap().file.unwrap().text_state }
    };
    assert_eq!(state("e1").await, TextState::Waiting);

    // The title is edited while the words are being read: both survive.
    let edited = draft(EvidenceKind::Document, "Standing order on night shifts", "", &["A.1.1"]);
    assert!(t.store.update_evidence("a1", "e1", &edited, 1, &lead.actor()).await.unwrap());
    assert!(
        t.store.record_text("a1", "e1", Some("The shift supervisor is named in the roster.")).await.unwrap()
    );
    assert!(!t.store.record_text("a1", "e1", Some("other words")).await.unwrap(), "recorded once only");
    assert_eq!(state("e1").await, TextState::Read);
    assert_eq!(found(&t.store, "a1", "night supervisor").await, ["Standing order on night shifts"]);

    // An edit after the words were read keeps them in the index.
    let again = draft(EvidenceKind::Document, "Standing order 12", "", &["A.1.1"]);
    assert!(t.store.update_evidence("a1", "e1", &again, 2, &lead.actor()).await.unwrap());
    assert_eq!(found(&t.store, "a1", "roster").await, ["Standing order 12"]);

    // A file that could not be read stays filed, marked, and searchable by its title.
    assert!(t.store.record_text("a1", "e2", None).await.unwrap());
    assert_eq!(state("e2").await, TextState::Unreadable);
    assert!(t.store.texts_to_read().await.unwrap().is_empty(), "nothing waits any more");
    let sha = sha256_hex(b"%PDF-1.4 scan.pdf");
    assert_eq!(t.store.file_piece(&sha, 0, 100).await.unwrap().unwrap(), b"%PDF-1.4 scan.pdf");
    assert_eq!(t.store.file_piece(&sha, 9, 4).await.unwrap().unwrap(), b"scan");
    assert_eq!(t.store.file_piece(&sha, 500, 4).await.unwrap().unwrap(), b"");
    assert!(t.store.file_piece("no-such-file", 0, 4).await.unwrap().is_none());
}
