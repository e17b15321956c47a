//! Times as pages show them, and text made safe for a URL.

/// A time as (its day, its whole RFC 3339 form): "2026-11-26" for the text, the rest for a
/// `<time datetime>`.
pub(crate) fn date(t: time::OffsetDateTime) -> (String, String) {
    let iso = t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    (iso.chars().take(10).collect(), iso)
}

/// A time to the minute, as refusals and "last saved" lines show it: "2026-11-26 19:20 UTC".
pub(crate) fn minute_utc(t: time::OffsetDateTime) -> String {
    let (day, iso) = date(t);
    format!("{day} {} UTC", iso.get(11..16).unwrap_or(""))
}

/// Percent-encodes a query parameter value.
pub(crate) fn encode_component(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
