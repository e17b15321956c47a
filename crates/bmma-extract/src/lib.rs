//! Reads the words out of uploaded evidence so the search index can hold them: the text of
//! a PDF's pages, or a text file as it is.
//!
//! Kept in its own crate because the PDF reader is a heavy dependency that nothing else
//! needs. The server never calls it: it runs in the reading process (`child`), which the
//! server starts for each upload. Reading never fails an upload: a file whose words cannot
//! be read is still stored, and only its title and notes are searchable.

pub mod child;

use bmma_core::evidence::FileType;

/// The most text kept from one file, in bytes.
pub use bmma_core::evidence::DOCUMENT_TEXT_MAX as TEXT_MAX;

/// The words of `bytes`, of the given type; None when the type holds no text bmma reads, or
/// the file could not be read.
pub fn text_of(file_type: FileType, bytes: &[u8]) -> Option<String> {
    let text = match file_type {
        FileType::PlainText | FileType::Csv => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            String::from_utf8_lossy(bytes).into_owned()
        }
        // The reader may panic on a malformed file; a panic is a file we cannot read.
        FileType::Pdf => std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes)).ok()?.ok()?,
        _ => return None,
    };
    Some(cut(text, TEXT_MAX))
}

/// A one-page PDF with `lines` in Helvetica: for the demo's documents and for tests that
/// need a real PDF to read back. Characters outside Windows-1252 become '?'.
pub fn one_page_pdf(lines: &[&str]) -> Vec<u8> {
    let mut content = String::from("BT /F1 11 Tf 56 780 Td 15 TL");
    for line in lines {
        content.push_str(" (");
        for c in line.chars() {
            match c {
                '(' | ')' | '\\' => {
                    content.push('\\');
                    content.push(c);
                }
                ' '..='~' => content.push(c),
                // Latin-1 letters keep their code in Windows-1252, written as octal escapes.
                '\u{a0}'..='\u{ff}' => content.push_str(&format!("\\{:03o}", u32::from(c))),
                _ => content.push('?'),
            }
        }
        content.push_str(") Tj T*");
    }
    content.push_str(" ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (n, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{object}\nendobj\n", n + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for offset in offsets {
        pdf.push_str(&format!("{offset:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    pdf.into_bytes()
}

fn cut(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_files_are_read_as_they_are() {
        let text = text_of(FileType::PlainText, "\u{FEFF}Poste de Kalvor: entrée".as_bytes());
        assert_eq!(text.as_deref(), Some("Poste de Kalvor: entrée"));
    }

    #[test]
    fn the_words_of_a_pdf_are_read() {
        let pdf = one_page_pdf(&[
            "Standing orders (extract)",
            "Night shift supervisor: named in writing",
            "Entrée contrôlée",
        ]);
        let text = text_of(FileType::Pdf, &pdf).expect("the PDF is read");
        for expected in ["Standing orders (extract)", "Night shift supervisor", "Entrée contrôlée"] {
            assert!(text.contains(expected), "{expected:?} missing from {text:?}");
        }
    }

    #[test]
    fn images_hold_no_words_to_read() {
        assert_eq!(text_of(FileType::Png, b"\x89PNG\r\n\x1a\n"), None);
    }

    #[test]
    fn a_broken_pdf_is_not_read_and_does_not_panic() {
        assert_eq!(text_of(FileType::Pdf, b"%PDF-1.7\nthis is not a PDF body"), None);
    }

    #[test]
    fn long_text_is_cut_on_a_character_boundary() {
        assert_eq!(cut("ééé".to_string(), 3), "é");
    }
}
