//! One voice: what a report says in two places it says the same way, read
//! from the PDFs' text as a reader gets it. Over the sample (Swedish and
//! English), a synthetic municipality of 40 units and 30 synthetic
//! organisations:
//!
//! - the key figures page's actions are, word for word and in order, the
//!   first of the recommendations;
//! - every count of the leadership gap in a report is one number;
//! - every split of the portfolio's balance that is shown sums to 100;
//! - a category is called the weakest only where the key figures name one
//!   (`[thresholds] stands_out` below the total).

use crate::common::*;
use std::path::{Path, PathBuf};

/// The words of a language's reports this test looks for.
struct Words {
    lang: &'static str,
    actions: &'static str,
    /// What may follow the actions: why there are fewer, the differences.
    fewer: [&'static str; 3],
    recommendations: &'static str,
    after_recommendations: &'static str,
    gap: (&'static str, &'static str, &'static str),
    split_rows: [&'static str; 2],
    /// The key figures' words when no category stands out below the total,
    /// and a recommendation's words for the weakest category.
    weakest: (&'static str, &'static str),
}

const SV: Words = Words {
    lang: "sv",
    actions: "Viktigast att göra",
    fewer: [
        "Fler åtgärder föreslås inte",
        "Ingen åtgärd föreslås",
        "Skiljer sig säkerställt från resten",
    ],
    recommendations: "Rekommendationer ",
    after_recommendations: " Metod ",
    gap: (" i ", " av ", " kategorier"),
    split_rows: ["Antal", "Budget"],
    weakest: ("Ingen kategori ligger", "den svagaste kategorin"),
};

const EN: Words = Words {
    lang: "en",
    actions: "What to do first",
    fewer: [
        "No further actions are proposed",
        "No action is proposed",
        "Significantly different from the rest",
    ],
    recommendations: "Recommendations ",
    after_recommendations: " Method ",
    gap: (" in ", " of ", " categories"),
    split_rows: ["Count", "Budget"],
    weakest: ("No category is", "the weakest category ("),
};

/// Every report PDF under a run's output, with its text on one line.
fn reports(out: &Path) -> Vec<(PathBuf, String)> {
    let mut all: Vec<PathBuf> = snapshot(out)
        .into_keys()
        .filter(|k| k.ends_with(".pdf") && !k.contains("overview") && !k.contains("brief"))
        .map(|k| out.join(k))
        .collect();
    all.sort();
    all.into_iter()
        .map(|p| {
            let words = pdf_words(&p);
            (p, words)
        })
        .collect()
}

/// An item without the page's footer and header that a page break put
/// after it ("31 mars 2025 Sida 9 / 10 ...").
fn without_furniture(item: &str) -> String {
    let mut item = item;
    for page in [" Sida ", " Page "] {
        if let Some(i) = item.find(page) {
            item = &item[..i];
        }
    }
    // the footer's date: day, month, year
    let words: Vec<&str> = item.split(' ').collect();
    let n = words.len();
    let date = n > 3
        && words[n - 3].parse::<u32>().is_ok()
        && words[n - 2].chars().all(char::is_alphabetic)
        && words[n - 1].len() == 4
        && words[n - 1].parse::<u32>().is_ok();
    if date {
        words[..n - 3].join(" ")
    } else {
        item.to_string()
    }
}

/// The numbered items ("1. ...", "2. ...") at the start of `text`.
fn items(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    let mut k = 1;
    while let Some(body) = rest.strip_prefix(&format!("{k}. ")) {
        let next = format!(" {}. ", k + 1);
        match body.find(&next) {
            Some(i) => {
                out.push(without_furniture(body[..i].trim()));
                rest = &body[i + 1..];
            }
            None => {
                out.push(without_furniture(body.trim()));
                break;
            }
        }
        k += 1;
    }
    out
}

/// The report's page-2 actions and its recommendations, as lists.
fn actions_and_recommendations(text: &str, w: &Words) -> (Vec<String>, Vec<String>) {
    let actions = text
        .split_once(w.actions)
        .map(|(_, after)| {
            // up to the note on why there are fewer, or the page's end
            let end = w
                .fewer
                .iter()
                .filter_map(|f| after.find(f))
                .chain(after.find(" Sida "))
                .chain(after.find(" Page "))
                .min()
                .unwrap_or(after.len());
            items(&after[..end])
        })
        .unwrap_or_default();
    let recommendations = text
        .split_once(w.recommendations)
        .map(|(_, after)| {
            // past the intro sentence (which has no digits), from "1. "
            let after = after.find("1. ").map_or("", |i| &after[i..]);
            let end = after.find(w.after_recommendations).unwrap_or(after.len());
            items(&after[..end])
        })
        .unwrap_or_default();
    (actions, recommendations)
}

/// Every "N of M categories" in the text.
fn gap_counts(text: &str, w: &Words) -> Vec<(u32, u32)> {
    let (before, of, after) = w.gap;
    let mut out = Vec::new();
    for (i, _) in text.match_indices(after) {
        let head = &text[..i];
        let Some((left, m)) = head.rsplit_once(of) else {
            continue;
        };
        let Some((_, n)) = left.rsplit_once(before) else {
            continue;
        };
        if let (Ok(n), Ok(m)) = (n.trim().parse(), m.trim().parse()) {
            out.push((n, m));
        }
    }
    out
}

/// Each split row of the balance ("Antal 17 % 17 % 66 %") as its parts.
fn splits(text: &str, w: &Words) -> Vec<Vec<u32>> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if !w.split_rows.contains(t) {
            continue;
        }
        // "67 %" (sv, two tokens) or "67%" (en, one)
        let mut parts = Vec::new();
        let mut j = i + 1;
        while j < tokens.len() {
            let t = tokens[j];
            if let Some(n) = t.strip_suffix('%').and_then(|n| n.parse().ok()) {
                parts.push(n);
                j += 1;
            } else if tokens.get(j + 1) == Some(&"%") {
                match t.parse() {
                    Ok(n) => parts.push(n),
                    Err(_) => break,
                }
                j += 2;
            } else {
                break;
            }
        }
        if parts.len() >= 2 {
            out.push(parts);
        }
    }
    out
}

fn check(out: &Path, w: &Words) -> usize {
    let mut checked = 0;
    for (pdf, text) in reports(out) {
        let name = pdf.display();
        let (actions, recs) = actions_and_recommendations(&text, w);
        assert!(
            actions.len() <= 3,
            "{} {name}: {} actions",
            w.lang,
            actions.len()
        );
        if !actions.is_empty() {
            assert_eq!(
                actions,
                recs[..actions.len().min(recs.len())],
                "{} {name}: page 2's actions are not the first recommendations: {}",
                w.lang,
                text.split_once(w.recommendations).map_or("", |(_, a)| a)
            );
            checked += 1;
        }
        if actions.len() < 3 {
            assert!(
                w.fewer[..2].iter().any(|f| text.contains(f)) || !text.contains(w.actions),
                "{} {name}: fewer than three actions without saying why",
                w.lang
            );
        }
        assert!(
            !(text.contains(w.weakest.0) && text.contains(w.weakest.1)),
            "{} {name}: no category stands out as weak, yet one is called the weakest",
            w.lang
        );
        let counts = gap_counts(&text, w);
        assert!(
            counts.windows(2).all(|p| p[0] == p[1]),
            "{} {name}: the leadership gap counted differently: {counts:?}",
            w.lang
        );
        for parts in splits(&text, w) {
            assert_eq!(
                parts.iter().sum::<u32>(),
                100,
                "{} {name}: a split of {parts:?}",
                w.lang
            );
        }
    }
    checked
}

#[test]
fn the_sample_says_each_thing_once_in_both_languages() {
    for w in [&SV, &EN] {
        let (_tmp, out) = run_ok(&input_sample(), &["--lang", w.lang, "-q"]);
        let checked = check(&out, w);
        assert!(
            checked >= 8,
            "{}: only {checked} reports with actions",
            w.lang
        );
    }
}

#[test]
fn small_organisations_call_no_category_the_weakest_unless_it_stands_out() {
    for w in [&SV, &EN] {
        let (_tmp, out) = run_ok(&fixture("multi"), &["--lang", w.lang, "-q"]);
        check(&out, w);
    }
}

#[test]
fn synthetic_organisations_say_each_thing_once() {
    let tmp = tempfile::tempdir().unwrap();
    let municipality = tmp.path().join("forty");
    let country = tmp.path().join("thirty");
    for (dir, args) in [
        (
            &municipality,
            [
                "--orgs",
                "1",
                "--respondents",
                "1500",
                "--units",
                "40",
                "--initiatives",
                "300",
            ],
        ),
        (
            &country,
            [
                "--orgs",
                "30",
                "--respondents",
                "40",
                "--units",
                "3",
                "--initiatives",
                "8",
            ],
        ),
    ] {
        mognad(["synth"])
            .args(args)
            .args(["--years", "2"])
            .arg("--out")
            .arg(dir)
            .dir(tmp.path())
            .ok();
    }
    let mut checked = 0;
    for (input, w) in [(&municipality, &SV), (&municipality, &EN), (&country, &SV)] {
        let (_run, out) = run_ok(input, &["--lang", w.lang, "-q"]);
        checked += check(&out, w);
    }
    assert!(checked >= 60, "only {checked} reports with actions");
}

#[test]
fn the_readers_of_this_test_read_what_they_should() {
    let w = &SV;
    let text = "x Viktigast att göra 1. Gör A (4,0 %). 2. Gör B. Fler åtgärder föreslås inte: y \
                Rekommendationer Det viktigaste först; de tre första står också där. 1. Gör A (4,0 %). \
                2. Gör B. Metod z i 2 av 6 kategorier, i 2 av 6 kategorier Antal 17 % 17 % 66 % \
                Innovationsinriktat Budget 10 % 90 % Intern";
    let (a, r) = actions_and_recommendations(text, w);
    assert_eq!(a, ["Gör A (4,0 %).", "Gör B."]);
    assert_eq!(r, a);
    assert_eq!(gap_counts(text, w), [(2, 6), (2, 6)]);
    assert_eq!(splits(text, w), [vec![17, 17, 66], vec![10, 90]]);
    assert_eq!(splits("Count 67% 33% Innovation", &EN), [vec![67, 33]]);
    assert_eq!(
        items("1. Gör A. 2. Gör B. 31 mars 2025 Sida 9 / 10 Exempelby"),
        ["Gör A.", "Gör B."]
    );
}
