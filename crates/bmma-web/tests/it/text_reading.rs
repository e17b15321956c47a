//! Reading the words of uploads outside the server: hostile and broken files end their own
//! reading process, never the server; filing answers before the words are read; what a
//! stopped server was reading is read after the next start.

use std::io::Write;

use axum::http::StatusCode;
use bmma_core::evidence::{EvidenceDraft, EvidenceKind, TextState};

use crate::scoring::{Team, team};

/// A PDF file of the given objects (numbered from 1; the first is the catalog), with a
/// correct cross-reference table, so that a reader takes it at its word.
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut file = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (n, object) in objects.iter().enumerate() {
        offsets.push(file.len());
        file.extend_from_slice(format!("{} 0 obj\n", n + 1).as_bytes());
        file.extend_from_slice(object);
        file.extend_from_slice(b"\nendobj\n");
    }
    let xref = file.len();
    file.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        file.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    file.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1)
            .as_bytes(),
    );
    file
}

fn object(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

fn stream(dictionary: &str, content: &[u8]) -> Vec<u8> {
    let mut object = format!("<< {dictionary} /Length {} >>\nstream\n", content.len()).into_bytes();
    object.extend_from_slice(content);
    object.extend_from_slice(b"\nendstream");
    object
}

const CATALOG: &str = "<< /Type /Catalog /Pages 2 0 R >>";
const PAGES: &str = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
const FONT: &str = "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>";

/// A page whose content draws form X1 (object 4), which draws itself.
fn self_drawing_form() -> Vec<u8> {
    pdf(&[
        object(CATALOG),
        object(PAGES),
        object(&format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X1 4 0 R >> {FONT} >> /Contents 5 0 R >>"
        )),
        stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /X1 4 0 R >> >>",
            b"BT /F1 11 Tf (loop) Tj ET /X1 Do",
        ),
        stream("", b"/X1 Do"),
    ])
}

/// Two forms that draw each other.
fn mutually_drawing_forms() -> Vec<u8> {
    pdf(&[
        object(CATALOG),
        object(PAGES),
        object(&format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /A 4 0 R >> {FONT} >> /Contents 5 0 R >>"
        )),
        stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /B 6 0 R >> >>",
            b"/B Do",
        ),
        stream("", b"/A Do"),
        stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /A 4 0 R >> >>",
            b"/A Do",
        ),
    ])
}

/// A page that is its own parent, so that looking up what it inherits never reaches the root.
fn self_parented_page() -> Vec<u8> {
    pdf(&[
        object(CATALOG),
        object(PAGES),
        object("<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"),
        stream("", b"BT /F1 11 Tf (parent) Tj ET"),
    ])
}

/// A content stream of under a megabyte that inflates to 768 MB of spaces.
fn compression_bomb() -> Vec<u8> {
    let mut deflate = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..768 {
        deflate.write_all(&spaces).unwrap();
    }
    let packed = deflate.finish().unwrap();
    assert!(packed.len() < 1_000_000, "the bomb is small: {} bytes", packed.len());
    pdf(&[
        object(CATALOG),
        object(PAGES),
        object(&format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << {FONT} >> /Contents 4 0 R >>"
        )),
        stream("/Filter /FlateDecode", &packed),
    ])
}

/// Graphics states saved four million times over, and an array nested half a million deep.
fn deep_nesting() -> Vec<u8> {
    let mut content = b"q ".repeat(4_000_000);
    content.extend_from_slice(b"BT /F1 11 Tf (deep) Tj ET");
    let arrays = format!("{}0{}", "[".repeat(500_000), "]".repeat(500_000));
    pdf(&[
        object(CATALOG),
        object(PAGES),
        object(&format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << {FONT} >> /Contents 4 0 R /Nested 5 0 R >>"
        )),
        stream("", &content),
        object(&arrays),
    ])
}

async fn file(t: &Team, title: &str, name: &str, bytes: &[u8]) {
    let fields = [("kind", "document"), ("title", title), ("indicators", "ADM.1.2")];
    let filed = t
        .app
        .upload_as(
            &t.ada,
            &format!("/api/v1/assessments/{}/evidence", t.id),
            &fields,
            Some((name, bytes)),
            true,
        )
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{title}: {}", filed.body);
    assert_eq!(filed.json()["file"]["text_state"], "waiting", "{title}: filed before its words are read");
}

#[tokio::test]
async fn hostile_pdfs_end_their_reader_not_the_server_and_are_kept_marked_unreadable() {
    let t = team().await;
    let hostile = [
        ("A form that draws itself", self_drawing_form()),
        ("Two forms drawing each other", mutually_drawing_forms()),
        ("A page that is its own parent", self_parented_page()),
        ("A compression bomb", compression_bomb()),
        ("Deeply nested states", deep_nesting()),
    ];
    for (title, bytes) in &hostile {
        file(&t, title, &format!("{}.pdf", title.to_lowercase().replace(' ', "-")), bytes).await;
    }
    let good = bmma_extract::one_page_pdf(&["Duty roster for the night shift at Harren Bridge"]);
    file(&t, "An honest roster", "roster.pdf", &good).await;

    // The server answers throughout, while the readers fail one by one.
    let started = std::time::Instant::now();
    loop {
        let health = t.app.get("/health").await;
        assert_eq!(health.status, StatusCode::OK, "{}", health.body);
        let items = t.app.store.evidence(&t.id).await.unwrap();
        if items.iter().all(|i| i.file.as_ref().unwrap().text_state != TextState::Waiting) {
            break;
        }
        assert!(started.elapsed().as_secs() < 120, "uploads still waiting after two minutes");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let items = t.app.store.evidence(&t.id).await.unwrap();
    for (title, bytes) in &hostile {
        let item = items.iter().find(|i| i.title == *title).unwrap();
        let stored = item.file.as_ref().unwrap();
        assert_eq!(stored.text_state, TextState::Unreadable, "{title}");
        let (_, _, content) = t.app.store.evidence_file(&t.id, &item.id).await.unwrap().unwrap();
        assert_eq!(&content, bytes, "{title}: the upload itself is kept");
    }
    let honest = items.iter().find(|i| i.title == "An honest roster").unwrap();
    assert_eq!(
        honest.file.as_ref().unwrap().text_state,
        TextState::Read,
        "a good file filed beside them is read"
    );

    let page = t.app.get_as(&t.ada, &format!("/assessments/{}/evidence?q=harren", t.id)).await;
    assert!(page.body.contains("An honest roster"), "{}", page.body);
    let register = t.app.get_as(&t.ada, &format!("/assessments/{}/evidence", t.id)).await;
    assert!(register.body.contains("text could not be read: the file is damaged or too complex"));
}

#[tokio::test]
async fn uploads_a_stopped_server_was_reading_are_shown_waiting_and_read_after_the_next_start() {
    let t = team().await;
    // As a server that stopped before reading it would have left it: stored, waiting.
    let draft = EvidenceDraft {
        kind: EvidenceKind::Document,
        title: "Standing orders".into(),
        notes: String::new(),
        indicators: vec!["ADM.1.2".into()],
    };
    let upload = bmma_store::Upload {
        name: "orders.pdf".into(),
        media_type: "application/pdf".into(),
        content: bmma_store::Content::Bytes(bmma_extract::one_page_pdf(&[
            "The post commander reports daily to the regional duty officer",
        ])),
        holds_text: true,
    };
    t.app
        .store
        .create_evidence(&t.id, "left-waiting", &draft, Some(upload), &t.ada.user.actor())
        .await
        .unwrap();
    let register = t.app.get_as(&t.ada, &format!("/assessments/{}/evidence", t.id)).await;
    assert!(register.body.contains("text being read"), "{}", register.body);

    let restarted = crate::state_over(&t.app.store, t.app.state.settings.clone()).await;
    assert_eq!(restarted.app.resume_reading().await.unwrap(), 1, "the waiting upload is picked up");
    let items = t.app.wait_for_texts(&t.id).await;
    assert_eq!(items[0].file.as_ref().unwrap().text_state, TextState::Read);
    let found = t.app.get_as(&t.ada, &format!("/assessments/{}/evidence?q=regional+duty", t.id)).await;
    assert!(found.body.contains("Standing orders"), "{}", found.body);
}
