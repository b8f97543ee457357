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
//!   (`[thresholds] stands_out` below the total);
//! - the key explains the significance mark only where a change bears it,
//!   and the profile's key names the benchmark only where its table has
//!   a benchmark column;
//! - the coverage table's completed initiatives per category are those
//!   the statement pages list as completed under its statements;
//! - an initiative's share of its budget reads the same under every
//!   statement it strengthens;
//! - no run of text is printed over another or leaves its page, read from
//!   typst's layout of the same reports (`render::layout`).

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
    /// The coverage table's heading and the last word of its header.
    coverage: (&'static str, &'static str),
    /// The statements table's first column, after a category's name.
    statement_head: &'static str,
    /// A statement's completed initiatives, and what may end their list.
    /// "Genomförda sedan 2024:" or, in a first survey, "Genomförda:".
    completed: (&'static str, &'static str),
    after_completed: [&'static str; 4],
    /// "and 3 more".
    more: (&'static str, &'static str),
    /// The key's note on significance, and a change marked significant.
    significance: (&'static str, &'static str),
    /// The profile table's first words and its key's last, the table's
    /// benchmark column and the key's benchmark entry.
    profile_key: (&'static str, &'static str, &'static str, &'static str),
    /// The units' quadrant's note when its units are too close to number.
    unnumbered: &'static str,
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
    coverage: ("Täckning per kategori", "Planerade "),
    statement_head: " Påstående ",
    completed: ("Genomförda", " sedan "),
    after_completed: [". Pågående:", ". Planerade:", " · ", " → "],
    more: (" och ", " till "),
    significance: ("Welchs t-test, 5 %", "p.e.*"),
    profile_key: (
        "Nivå Index ",
        "95 % konfidensintervall",
        "Jämf.",
        "Jämförelse:",
    ),
    unnumbered: "för tätt för att numreras",
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
    coverage: ("Coverage per category", "Planned "),
    statement_head: " Statement ",
    completed: ("Completed", " since "),
    after_completed: [". Ongoing:", ". Planned:", " · ", " → "],
    more: (" and ", " more "),
    significance: ("Welch's t-test, 5%", "pp*"),
    profile_key: (
        "Level Index ",
        "95% confidence interval",
        "Bench.",
        "Benchmark:",
    ),
    unnumbered: "too close together to be numbered",
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

/// The coverage table's rows: each category's name and its count of
/// initiatives completed since the previous survey (the first column).
fn coverage(text: &str, w: &Words) -> Vec<(String, u32)> {
    let Some((_, table)) = text.split_once(w.coverage.0) else {
        return Vec::new();
    };
    let Some((_, rows)) = table.split_once(w.coverage.1) else {
        return Vec::new();
    };
    let words: Vec<&str> = rows.split(' ').collect();
    let number = |k: usize| words.get(k).and_then(|t| t.parse::<u32>().ok());
    // a cell: "0", or "13 · 10,1 mnkr" / "13 · SEK 10.1m"
    let cell = |k: usize| -> Option<(u32, usize)> {
        let n = number(k)?;
        match words.get(k + 1) {
            Some(&"·") => Some((n, k + 4)),
            _ if n == 0 => Some((0, k + 1)),
            _ => None,
        }
    };
    let mut out = Vec::new();
    let mut k = 0;
    loop {
        let start = k;
        while k < words.len() && cell(k).is_none() {
            k += 1;
        }
        let name = words[start..k].join(" ");
        let Some((first, next)) = cell(k) else { break };
        let Some((_, next)) = cell(next) else { break };
        let Some((_, next)) = cell(next) else { break };
        if name.is_empty() || name.split(' ').count() > 4 {
            break;
        }
        out.push((name, first));
        k = next;
    }
    out
}

/// The initiatives the statement pages list as completed under each of
/// `categories`: the ids named, and how many more are only counted ("och
/// 3 till").
fn reviewed(text: &str, w: &Words, categories: &[String]) -> Vec<(Vec<String>, u32)> {
    let starts: Vec<Option<usize>> = categories
        .iter()
        .map(|c| text.find(&format!(" {c}{}", w.statement_head)))
        .collect();
    let mut out = Vec::new();
    for (k, start) in starts.iter().enumerate() {
        let Some(start) = *start else {
            out.push((Vec::new(), 0));
            continue;
        };
        let end = starts[k + 1..]
            .iter()
            .flatten()
            .copied()
            .filter(|&e| e > start)
            .min()
            .or_else(|| text[start..].find(w.coverage.0).map(|e| start + e))
            .unwrap_or(text.len());
        let chunk = &text[start..end];
        let (mut ids, mut more) = (Vec::new(), 0);
        for part in chunk.split(w.completed.0).skip(1) {
            // the status's label: "Genomförda:" or "Genomförda sedan 2024:"
            let part = match part.strip_prefix(':') {
                Some(p) => p,
                None => match part
                    .strip_prefix(w.completed.1)
                    .and_then(|p| p.split_once(':'))
                    .filter(|(year, _)| year.len() == 4 && year.parse::<u32>().is_ok())
                {
                    Some((_, p)) => p,
                    None => continue,
                },
            };
            let stop = w
                .after_completed
                .iter()
                .filter_map(|a| part.find(a))
                .min()
                .unwrap_or(part.len());
            let list = &part[..stop];
            // "Namn (I2023-07, 0,2 mnkr)" or, without a budget, "Namn
            // (I2023-07)": the id after "(", up to "," or ")"; a name's
            // own brackets hold words, not an id
            for piece in list.split('(').skip(1) {
                let inside = piece.split_once(')').map_or(piece, |(i, _)| i);
                let id = inside.split(", ").next().unwrap_or("");
                if !id.is_empty() && !id.contains(' ') {
                    ids.push(id.to_string());
                }
            }
            if let Some((_, tail)) = list.rsplit_once(w.more.0) {
                if let Some((n, _)) = tail.split_once(w.more.1) {
                    more += n.parse::<u32>().unwrap_or(0);
                }
            }
        }
        ids.sort();
        ids.dedup();
        out.push((ids, more));
    }
    out
}

/// Every amount printed beside an initiative's id ("Namn (I2023-07, 0,2
/// mnkr)"), by id, in the order they appear.
fn shares_by_id(text: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for piece in text.split('(').skip(1) {
        let Some((inside, _)) = piece.split_once(')') else {
            continue;
        };
        let Some((id, amount)) = inside.split_once(", ") else {
            continue;
        };
        let money =
            amount.ends_with(" mnkr") || (amount.starts_with("SEK ") && amount.ends_with('m'));
        if money && !id.contains(' ') && !id.is_empty() {
            out.entry(id.to_string())
                .or_default()
                .push(amount.to_string());
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
        // the key explains the asterisk only where one is drawn
        if text.contains(w.significance.0) {
            assert!(
                text.contains(w.significance.1),
                "{} {name}: the key explains significance, yet no change is marked",
                w.lang
            );
        }
        // a unit said once ("3,0 p.e. p.e." once came of a text that
        // named the unit beside a figure that carries it)
        for unit in ["p.e.", "pp", "mnkr", "%"] {
            let twice = format!(" {unit} {unit} ");
            assert!(!text.contains(&twice), "{} {name}: \"{twice}\"", w.lang);
        }
        // an initiative's share reads the same under every statement
        for (id, amounts) in shares_by_id(&text) {
            assert!(
                amounts.windows(2).all(|p| p[0] == p[1]),
                "{} {name}: {id} is given {amounts:?}",
                w.lang
            );
        }
        // the profile's key names the benchmark where its table has one
        if let Some((_, table)) = text.split_once(w.profile_key.0) {
            let (table, _) = table.split_once(w.profile_key.1).unwrap_or((table, ""));
            let header: String = table.split(' ').take(8).collect::<Vec<_>>().join(" ");
            assert_eq!(
                table.contains(w.profile_key.3),
                header.contains(w.profile_key.2),
                "{} {name}: the profile's key and its benchmark column disagree: {header} ... {table}",
                w.lang
            );
        }
        // the coverage table's completed initiatives are the statement
        // pages' completed ones, category by category
        let table = coverage(&text, w);
        let names: Vec<String> = table.iter().map(|(n, _)| n.clone()).collect();
        for ((category, count), (ids, more)) in table.iter().zip(reviewed(&text, w, &names)) {
            let named = ids.len() as u32;
            assert!(
                named <= *count && *count <= named + more,
                "{} {name}: {category}: coverage counts {count} completed, the statements name {named} ({ids:?}) and {more} more",
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
        assert_eq!(laid_out_cleanly(&input_sample(), w.lang), 8);
        // the checks above found what they check: the organisation
        // report's six categories of coverage, initiatives named under
        // several statements, a significance note
        let (_, org) = reports(&out)
            .into_iter()
            .find(|(p, _)| !p.parent().unwrap().ends_with("enheter"))
            .unwrap();
        assert_eq!(coverage(&org, w).len(), 6, "{}", w.lang);
        assert!(shares_by_id(&org).values().any(|a| a.len() >= 2));
        assert!(org.contains(w.significance.0) && org.contains(w.profile_key.3));
        // seven units are numbered on their quadrant: no note says otherwise
        for (pdf, text) in reports(&out) {
            assert!(!text.contains(w.unnumbered), "{}", pdf.display());
        }
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
    for (input, w) in [
        (&municipality, &SV),
        (&municipality, &EN),
        (&country, &SV),
        (&country, &EN),
    ] {
        let (_run, out) = run_ok(input, &["--lang", w.lang, "-q"]);
        checked += check(&out, w);
        assert!(laid_out_cleanly(input, w.lang) > 0);
        // forty units lie too close to number: the chart says where to
        // read each one's place
        if input == &municipality {
            let org = reports(&out)
                .into_iter()
                .find(|(p, _)| !p.parent().unwrap().ends_with("enheter"))
                .unwrap();
            assert!(org.1.contains(w.unnumbered), "{}", org.0.display());
        }
    }
    assert!(checked >= 90, "only {checked} reports with actions");
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
    let text =
        "x Effektivitet Påstående Index EF1 Text. Genomförda sedan 2024: A (I-1, 0,2 mnkr), \
                B (fas 2) (I-2, 0,1 mnkr) och 2 till (0,3 mnkr). Pågående: C (I-3, 0,2 mnkr) EF2 Text. \
                Genomförda: A (I-1, 0,1 mnkr), D (I-5) · sammanlagt här \
                Digitala tjänster Påstående Index DT1 Planerade: D (I-4, 1,0 mnkr) \
                Täckning per kategori Text. Genomförda sedan 2024 Pågående Planerade \
                Effektivitet 4 · 0,6 mnkr 1 · 0,2 mnkr 0 Digitala tjänster 0 0 1 · 1,0 mnkr \
                Rekommendationer";
    let table = coverage(text, w);
    assert_eq!(
        table,
        [
            ("Effektivitet".to_string(), 4),
            ("Digitala tjänster".to_string(), 0)
        ]
    );
    let shares = shares_by_id(
        "x A (I-1, 0,2 mnkr), B (I-2, SEK 1.3m) C (I-1, 0,1 mnkr) (se sidan 4, 5) (95 %)",
    );
    assert_eq!(shares.len(), 2, "{shares:?}");
    assert_eq!(shares["I-1"], ["0,2 mnkr", "0,1 mnkr"]);
    let names: Vec<String> = table.into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        reviewed(text, w, &names),
        [
            (
                vec!["I-1".to_string(), "I-2".to_string(), "I-5".to_string()],
                2
            ),
            (vec![], 0)
        ]
    );
}

/// No run of text in the reports of `input` (the first organisation's,
/// its latest year) is printed over another, from where typst lays them
/// out, and none leaves its page.
fn laid_out_cleanly(input: &Path, lang: &str) -> usize {
    use mognad::pipeline::{documents, load, Options};
    use mognad::render::layout::{overprints, text_boxes};
    let loaded = load(&Options {
        input: input.to_path_buf(),
        ..Options::default()
    })
    .unwrap();
    let texts = mognad::lang::Texts::new(mognad::format::Lang::parse(lang).unwrap());
    // with the config's logo, as a run draws the cover
    let logo = (loaded.config.branding.logo.as_deref())
        .map(|l| loaded.config.asset(l, "branding.logo").unwrap());
    let renderer = mognad::render::Renderer::new(None, logo.as_deref()).unwrap();
    let year = *loaded.years().last().unwrap();
    let mut checked = 0;
    for (template, doc) in documents(&loaded, &texts, year).unwrap() {
        let laid = renderer.layout(template, &doc).unwrap();
        let boxes = text_boxes(&laid);
        let name = format!(
            "{lang} {template} {}",
            doc.header.unit.as_deref().unwrap_or("")
        );
        let over: Vec<String> = overprints(&boxes)
            .iter()
            .map(|(a, b)| format!("page {}: \"{}\" over \"{}\"", a.page, a.text, b.text))
            .collect();
        assert!(over.is_empty(), "{name}: text over text: {over:?}");
        for b in &boxes {
            let page = laid.pages()[b.page - 1].frame.size();
            let (w, h) = (page.x.to_pt(), page.y.to_pt());
            assert!(
                b.rect[0] >= 0.0 && b.rect[1] >= 0.0 && b.rect[2] <= w && b.rect[3] <= h,
                "{name}: \"{}\" leaves page {}: {:?}",
                b.text,
                b.page,
                b.rect
            );
        }
        checked += 1;
    }
    checked
}
