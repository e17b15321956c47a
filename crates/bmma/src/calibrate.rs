//! `bmma framework packet` and `bmma framework calibrate`: a framework measured on a
//! calibration set. The packet is what a rater reads (descriptors and write-ups, never the
//! intended levels); the report compares the element scores computed from raters' ratings
//! with the intended levels, and the raters with each other.

use std::fmt::Write as _;

use bmma_core::calibration::{Agreement, CalibrationSet, Half, Intended, Measure, RaterResult, WriteUp};
use bmma_core::framework::Framework;

/// Which write-ups of a set a command works on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    Development,
    HeldOut,
    All,
}

impl Part {
    pub fn keeps(self, writeup: &WriteUp) -> bool {
        match self {
            Part::Development => writeup.half == Half::Development,
            Part::HeldOut => writeup.half == Half::HeldOut,
            Part::All => true,
        }
    }
}

/// The rater's packet, in Markdown: the framework's rules, then each write-up with the
/// descriptors of its element's indicators and the shape of the answer expected.
pub fn packet(framework: &Framework, set: &CalibrationSet, part: Part) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Rating packet: {} on {}\n", framework.reference(), set.country);
    let _ = writeln!(
        out,
        "Rate each indicator of each write-up, on your own, from the write-up alone: a level, or \
         `insufficient`, `not-applicable` (only where the indicator says when it does not apply).\n"
    );
    let _ = writeln!(out, "## The scale\n");
    for level in &framework.scale {
        let _ = writeln!(out, "- **{} {}**: {}", level.level, level.name, level.meaning);
    }
    if !framework.quantifiers.is_empty() {
        let _ = writeln!(out, "\n## Words with a fixed meaning\n");
        for q in &framework.quantifiers {
            let _ = writeln!(out, "- **{}**: {}", q.term, q.meaning);
        }
    }
    let rules = &framework.rules;
    if !rules.is_empty() {
        let _ = writeln!(out, "\n## Rules for every indicator\n");
        for (name, text) in [
            ("Sampling", &rules.sampling),
            ("Thin evidence", &rules.thin_evidence),
            ("Periods", &rules.periods),
        ] {
            if !text.is_empty() {
                let _ = writeln!(out, "- **{name}**: {text}");
            }
        }
    }
    for writeup in set.writeups.iter().filter(|w| part.keeps(w)) {
        let Some(element) = framework.elements().find(|e| e.code == writeup.element) else { continue };
        let _ =
            writeln!(out, "\n---\n\n## Write-up {}: element {} {}\n", writeup.id, element.code, element.name);
        let _ = writeln!(out, "{}\n", writeup.text);
        let _ = writeln!(out, "### Indicators of {}\n", element.code);
        for indicator in &element.indicators {
            let _ = writeln!(out, "#### {} {}\n\n{}\n", indicator.code, indicator.title, indicator.question);
            for level in &indicator.levels {
                let _ = writeln!(out, "- {}: {}", level.level, level.text);
            }
            if let Some(when) = &indicator.not_applicable {
                let _ = writeln!(out, "- not applicable: {when}");
            }
            if let Some(list) = &indicator.reference_list {
                let _ = writeln!(out, "- {}: {}", list.name, list.items.join("; "));
            }
            if !indicator.evidence.does_not_count.is_empty() {
                let _ = writeln!(out, "- does not count: {}", indicator.evidence.does_not_count.join("; "));
            }
            let _ = writeln!(out);
        }
        let _ = writeln!(out, "Answer for {}:\n\n```yaml\n  {}:", writeup.id, writeup.id);
        for indicator in &element.indicators {
            let _ = writeln!(out, "    {}: ", indicator.code);
        }
        let _ = writeln!(out, "```");
    }
    out
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "–".into()
    } else {
        format!("{:.0}% ({part}/{whole})", 100.0 * part as f64 / whole as f64)
    }
}

fn decimal(value: Option<f64>, signed: bool) -> String {
    match value {
        Some(v) if signed => format!("{v:+.2}"),
        Some(v) => format!("{v:.2}"),
        None => "–".into(),
    }
}

fn intended(value: Intended) -> String {
    match value {
        Intended::Level(level) => level.to_string(),
        Intended::InsufficientEvidence => "insufficient".into(),
    }
}

/// The measured calibration, in Markdown: element scores against the intended levels per
/// rater and pooled, agreement between raters per component, and each write-up's scores.
pub fn report(measure: &Measure, part: Part) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### {} on the {} write-ups ({})\n",
        measure.framework,
        match part {
            Part::Development => "development",
            Part::HeldOut => "held-out",
            Part::All => "all",
        },
        measure.writeups.len()
    );
    let _ = writeln!(out, "| rater | element score = intended | mean difference |\n|---|---|---|");
    let row = |out: &mut String, r: &RaterResult| {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            r.rater,
            percent(r.matched, r.rated),
            decimal(r.mean_difference, true)
        );
    };
    for rater in &measure.raters {
        row(&mut out, rater);
    }
    row(&mut out, &measure.pooled);
    let _ = writeln!(
        out,
        "\n| component | indicator ratings compared | exact agreement | Cohen's kappa | weighted kappa |\n|---|---|---|---|---|"
    );
    let agreement_row = |out: &mut String, name: &str, a: &Agreement| {
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} |",
            a.pairs,
            percent(a.exact, a.pairs),
            decimal(a.kappa, false),
            decimal(a.weighted_kappa, false)
        );
    };
    for (component, a) in &measure.agreement_by_component {
        agreement_row(&mut out, component, a);
    }
    agreement_row(&mut out, "all", &measure.agreement);
    let _ = writeln!(out, "\n| write-up | element | intended | computed, by rater |\n|---|---|---|---|");
    for w in &measure.writeups {
        let computed: Vec<String> = w
            .computed
            .iter()
            .map(|c| match c {
                None => "–".into(),
                Some((aggregate, comparison)) => {
                    let score = aggregate.score.map_or("–".to_string(), |s| s.to_string());
                    let flag = if aggregate.insufficient_evidence { " (insufficient evidence)" } else { "" };
                    let mark = if comparison.matches { "" } else { " ✗" };
                    format!("{score}{flag}{mark}")
                }
            })
            .collect();
        let borderline = if w.borderline { " (borderline)" } else { "" };
        let _ = writeln!(
            out,
            "| {}{borderline} | {} | {} | {} |",
            w.id,
            w.element,
            intended(w.intended),
            computed.join(" · ")
        );
    }
    out
}
