//! What a reader checks on the page: differences that are the
//! subtraction of the printed figures, verdicts that agree with the
//! printed value. Run on the sample's reports, both languages.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// Every PDF under a folder, in path order.
fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = snapshot(dir)
        .into_keys()
        .filter(|k| k.ends_with(".pdf"))
        .map(|k| dir.join(k))
        .collect();
    out.sort();
    out
}

/// A printed number ("43,0", "−2.4", "+1,5") as f64.
fn number(token: &str) -> Option<f64> {
    let t = token
        .trim_start_matches('+')
        .replace('\u{2212}', "-")
        .replace(',', ".");
    t.parse().ok()
}

/// Every "a % b % ±d p.e." (or "pp") on the page: two printed indices and
/// the change printed beside them.
fn printed_changes(text: &str) -> Vec<(f64, f64, f64, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        // "43,0 %" in Swedish, "43.0%" in English
        let spaced = line.replace('%', " %");
        let t: Vec<&str> = spaced.split_whitespace().collect();
        for w in t.windows(6) {
            let unit = w[5].trim_end_matches('*');
            if w[1] != "%" || w[3] != "%" || !(unit == "p.e." || unit == "pp") {
                continue;
            }
            if let (Some(a), Some(b), Some(d)) = (number(w[0]), number(w[2]), number(w[4])) {
                out.push((a, b, d, line.trim().to_string()));
            }
        }
    }
    out
}

#[test]
fn every_printed_change_is_the_difference_of_the_printed_figures() {
    for lang in ["sv", "en"] {
        let (_tmp, out) = run_ok(&input_sample(), &["--lang", lang]);
        let mut checked = 0;
        // the organisation report prints this year's and the previous
        // year's index beside the change (a unit report prints the
        // organisation's instead)
        let pdf = first_pdf(&out.join("2025"));
        {
            for (a, b, d, line) in printed_changes(&pdf_text(&pdf)) {
                let shown = ((a - b) * 10.0).round() / 10.0;
                assert!(
                    (shown - d).abs() < 1e-9,
                    "{}: \"{line}\": {a} - {b} is not {d}",
                    pdf.display()
                );
                checked += 1;
            }
        }
        // the profile table's eight rows at least
        assert!(checked >= 8, "{lang}: only {checked} changes found");
    }
}

#[test]
fn a_change_that_rounds_to_nothing_has_no_sign() {
    let (_tmp, out) = run_ok(&input_sample(), &[]);
    for pdf in pdfs(&out.join("2025")) {
        let text = pdf_text(&pdf);
        assert!(!text.contains('±'), "{}: a ± sign", pdf.display());
    }
}
