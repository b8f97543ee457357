//! What a reader checks on the page: differences that are the
//! subtraction of the printed figures, verdicts that agree with the
//! printed value. Run on the sample's reports, both languages.

use std::path::{Path, PathBuf};

use crate::common::*;

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

/// Every row "a % b % [benchmark %] ±d p.e." (or "pp") on the page: this
/// year's and the previous year's printed index (the first two
/// percentages of the row) and the change printed after them.
fn printed_changes(text: &str) -> Vec<(f64, f64, f64, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        // "43,0 %" in Swedish, "43.0%" in English
        let spaced = line.replace('%', " %");
        let t: Vec<&str> = spaced.split_whitespace().collect();
        let Some(j) = (1..t.len()).find(|&j| {
            let unit = t[j].trim_end_matches('*');
            (unit == "p.e." || unit == "pp") && number(t[j - 1]).is_some()
        }) else {
            continue;
        };
        let percents: Vec<f64> = (0..j.saturating_sub(1))
            .filter(|&i| t[i + 1] == "%")
            .filter_map(|i| number(t[i]))
            .collect();
        if percents.len() >= 2 {
            out.push((
                percents[0],
                percents[1],
                number(t[j - 1]).unwrap(),
                line.trim().to_string(),
            ));
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

#[test]
fn alpha_verdicts_agree_with_the_printed_alpha() {
    let (_tmp, out) = run_ok(&input_sample(), &[]);
    let text = pdf_text(&first_pdf(&out.join("2025")));
    let mut checked = 0;
    for line in text.lines() {
        let t: Vec<&str> = line.split_whitespace().collect();
        for w in t.windows(2) {
            let Some(alpha) = number(w[0]).filter(|_| w[0].len() == 4 && w[0].contains(',')) else {
                continue;
            };
            let expected = if alpha >= 0.8 {
                "god"
            } else if alpha >= 0.7 {
                "godtagbar"
            } else {
                "låg"
            };
            if ["god", "godtagbar", "låg"].contains(&w[1]) {
                assert_eq!(w[1], expected, "\"{}\"", line.trim());
                checked += 1;
            }
        }
    }
    assert!(checked >= 8, "only {checked} alpha rows found");
}

/// The data of a report model's section.
fn section<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    &report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no section {id}"))["data"]
}

#[test]
fn strongest_and_weakest_are_only_categories_that_stand_out() {
    let (org, _) = exported_reports(&input_sample());
    let key = &section(&org, "key_figures")["key"];
    let shown = |v: &serde_json::Value| {
        number(
            v["text"]
                .as_str()
                .unwrap()
                .trim_end_matches(['%', '\u{a0}']),
        )
        .unwrap()
    };
    let total = shown(&key["total"]);
    // the sample's categories, as printed, from the indices table
    let (_run, out) = run_ok(&input_sample(), &[]);
    let cats: Vec<f64> = read_csv(&out.join("2025/indices.csv"))
        .into_iter()
        .filter(|r| r["level"] == "category" && r["unit"].is_empty())
        .map(|r| (r["index"].parse::<f64>().unwrap() * 10.0).round() / 10.0)
        .collect();
    assert_eq!(cats.len(), 6);
    for (list, sign) in [("strongest", 1.0), ("weakest", -1.0)] {
        let items = key[list].as_array().unwrap();
        for it in items {
            let d = sign * (shown(&it["value"]) - total);
            assert!(
                d >= 3.0 - 1e-9,
                "{list}: {it} is only {d} points from {total}"
            );
        }
        let standing_out = cats
            .iter()
            .filter(|v| sign * (*v - total) >= 3.0 - 1e-9)
            .count();
        assert_eq!(items.len(), standing_out.min(3), "{list}");
    }
    // the sample: Effektivitet 63,9 and Användare 61,7 above 56,8; Innovation
    // 43,0 below; Balansering 59,3 (+2,5) and Teknik 54,4 (−2,4) do not
    assert_eq!(key["strongest"].as_array().unwrap().len(), 2);
    assert_eq!(key["weakest"].as_array().unwrap().len(), 1);
}

/// Each report of a run's year (organisation: unit ""), with its text.
fn reports(year_dir: &Path) -> Vec<(String, String)> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(year_dir.join("manifest.json")).unwrap()).unwrap();
    manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"].as_str().unwrap().ends_with("_report"))
        .map(|f| {
            (
                f["unit"].as_str().unwrap_or("").to_string(),
                pdf_text(&year_dir.join(f["path"].as_str().unwrap())),
            )
        })
        .collect()
}

#[test]
fn the_maturity_type_says_when_it_is_uncertain_and_follows_the_profile() {
    let (_tmp, out) = run_ok(&input_sample(), &[]);
    let year = out.join("2025");
    let rows = read_csv(&year.join("indices.csv"));
    let row = |unit: &str, key: &str| {
        rows.iter()
            .find(|r| r["unit"] == unit && r["key"] == key)
            .unwrap_or_else(|| panic!("no {unit}/{key}"))
            .clone()
    };
    let num =
        |r: &std::collections::BTreeMap<String, String>, c: &str| r[c].parse::<f64>().unwrap();
    let (mut uncertain, mut unbalanced) = (0, 0);
    for (unit, text) in reports(&year) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // the built-in model's boundary is 50 on both dimensions
        let spanned = ["DF", "DA"]
            .iter()
            .filter(|k| {
                let r = row(&unit, k);
                num(&r, "ci_low") < 50.0 && 50.0 < num(&r, "ci_high")
            })
            .count();
        let spans = spanned > 0;
        assert_eq!(
            text.contains("(nära gränsen mellan typerna)"),
            spans,
            "{unit:?}: the key figures' type"
        );
        // the key figures name every type the intervals reach: two across
        // one boundary, all four across both
        if spans {
            let (_, named) = text.split_once("Mognadstyp: ").unwrap();
            let (named, _) = named.split_once(" (nära gränsen").unwrap();
            assert_eq!(
                named.matches("Typ ").count(),
                1 << spanned,
                "{unit:?}: {named}"
            );
        }
        assert_eq!(
            text.contains("Nära gränsen:"),
            spans,
            "{unit:?}: the quadrant"
        );
        uncertain += spans as usize;
        // type D speaks of balance only when efficiency and innovation are
        // within 10 points of each other
        if text.contains("Mognadstyp: Typ D") {
            let shown = |k: &str| (num(&row(&unit, k), "index") * 10.0).round() / 10.0;
            let apart = (shown("EFF") - shown("INN")).abs() > 10.0;
            assert_eq!(
                text.contains("inte i balans"),
                apart,
                "{unit:?}: EFF {} INN {}",
                shown("EFF"),
                shown("INN")
            );
            assert!(!(apart && text.contains("med balans mellan")), "{unit:?}");
            unbalanced += apart as usize;
        }
    }
    // the sample has both cases (Socialförvaltningen: 50,2 % capability,
    // efficiency 59,1 % against innovation 38,6 %)
    assert!(
        uncertain >= 1 && unbalanced >= 1,
        "{uncertain} {unbalanced}"
    );
}

#[test]
fn every_report_of_a_run_draws_its_charts_on_the_same_axes() {
    let charts = |report: &serde_json::Value| -> serde_json::Value {
        let s = section(report, "type_and_trend");
        serde_json::json!([
            s["quadrant"]["x_range"],
            s["quadrant"]["y_range"],
            s["trend"]["ticks"]
        ])
    };
    let (org, unit) = exported_reports(&input_sample());
    let (org, unit) = (charts(&org), charts(&unit));
    assert!(!org[0].is_null() && !org[2].is_null(), "{org}");
    assert_eq!(org, unit);
}

#[test]
fn one_organisation_alone_gets_the_same_pages_as_in_the_whole_run() {
    let input = fixture("multi");
    let (_all_tmp, all) = run_ok(&input, &[]);
    let year = std::fs::read_dir(&all)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    let org = std::fs::read_dir(&year)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .min()
        .unwrap();
    let folder = org.file_name().unwrap().to_str().unwrap().to_string();
    let (_one_tmp, one) = run_ok(&input, &["--org", &folder]);
    let whole = snapshot(&org);
    let alone = snapshot(&one.join(year.file_name().unwrap()).join(&folder));
    let pdfs: Vec<&String> = whole.keys().filter(|k| k.ends_with(".pdf")).collect();
    assert!(!pdfs.is_empty());
    for k in pdfs {
        assert!(
            alone.get(k) == whole.get(k),
            "{folder}/{k} differs with --org"
        );
    }
}

#[test]
fn the_units_page_compares_with_the_organisation_and_marks_hidden_units_apart() {
    let (org, _) = exported_reports(&input_sample());
    let units = section(&org, "units")["units"].as_array().unwrap().clone();
    assert_eq!(units[0]["reference"], true, "the organisation comes first");
    assert_eq!(units[0]["name"], "Hela organisationen");
    let total = |u: &serde_json::Value| {
        number(
            u["cells"][0]["text"]
                .as_str()
                .unwrap()
                .trim_end_matches(['%', '\u{a0}']),
        )
    };
    let shown: Vec<f64> = units[1..]
        .iter()
        .filter(|u| u["suppressed"] == false)
        .map(|u| total(u).unwrap())
        .collect();
    assert!(
        shown.windows(2).all(|w| w[0] >= w[1]),
        "sorted by total: {shown:?}"
    );
    let first_hidden = units.iter().position(|u| u["suppressed"] == true).unwrap();
    assert!(
        units[first_hidden..]
            .iter()
            .all(|u| u["suppressed"] == true),
        "hidden last"
    );
    // a cell's colour is its printed difference from the organisation
    let org = total(&units[0]).unwrap();
    for u in units[1..].iter().filter(|u| u["suppressed"] == false) {
        let d = u["diffs"][0].as_f64().unwrap();
        assert!((d - (total(u).unwrap() - org)).abs() < 1e-9, "{u}");
    }
    // the dagger marks hidden units; * is kept for significance
    let (_run, out) = run_ok(&input_sample(), &[]);
    let text = pdf_text(&first_pdf(&out.join("2025")));
    for u in units.iter().filter(|u| u["suppressed"] == true) {
        let name = u["name"].as_str().unwrap();
        assert!(
            text.contains(&format!("† {name}")),
            "no dagger note for {name}"
        );
        assert!(!text.contains(&format!("{name}*")), "{name} marked with *");
    }
}

#[test]
fn recommendations_are_actions_and_method_caveats_quote_the_statements() {
    let (org, _) = exported_reports(&input_sample());
    let recs = section(&org, "recommendations")["recommendations"].to_string();
    assert!(
        !recs.contains("försiktighet") && !recs.contains("vet ej"),
        "{recs}"
    );
    // no statement code such as "BA1" in a recommendation
    let codes = recs
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            let c: Vec<char> = w.chars().collect();
            c.len() == 3 && c[..2].iter().all(|c| c.is_ascii_uppercase()) && c[2].is_ascii_digit()
        })
        .count();
    assert_eq!(codes, 0, "{recs}");
    // every statement with 12 % don't know or more is named by its text
    let caveats = section(&org, "method")["dont_know"].to_string();
    let (_run, out) = run_ok(&input_sample(), &[]);
    let many: Vec<String> = read_csv(&out.join("2025/indices.csv"))
        .into_iter()
        .filter(|r| r["level"] == "statement" && r["unit"].is_empty())
        .filter(|r| (r["dont_know_share"].parse::<f64>().unwrap() * 100.0).round() >= 12.0)
        .map(|r| r["key"].clone())
        .collect();
    assert!(!many.is_empty(), "the sample has such statements");
    let model = mognad::model::Model::builtin();
    for code in many {
        let text = &model
            .statements
            .iter()
            .find(|s| s.code == code)
            .unwrap()
            .text;
        let sv = text.get("sv").trim_end_matches('.');
        assert!(
            caveats.contains(sv),
            "{code} not among the caveats: {caveats}"
        );
    }
}

#[test]
fn the_conclusion_differs_by_profile_and_ranks_the_actions() {
    let (_tmp, out) = run_ok(&input_sample(), &[]);
    let year = out.join("2025");
    let flat = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let all = reports(&year);
    let text_of = |unit: &str| flat(&all.iter().find(|(u, _)| u == unit).unwrap().1);
    let org = text_of("");
    let social = text_of("Socialförvaltningen");
    // the organisation rose significantly; the unit's change is not
    // significant; the leadership gap (6 of 6 categories) is in the
    // organisation's conclusion
    assert!(org.contains(
        "Den digitala mognaden är 56,8 % och har ökat säkerställt sedan 2024 (+4,2 p.e.)."
    ));
    assert!(
        social.contains("Den digitala mognaden är 51,1 %, utan säkerställd förändring sedan 2024")
    );
    assert!(org.contains(
        "Chefer och ledning ser mognaden som säkerställt högre än övriga i 6 av 6 kategorier"
    ));
    // actions: a weak category with little investment comes first
    let first = social.split("Viktigast att göra 1. ").nth(1).unwrap();
    assert!(
        first.starts_with("Förstärk satsningen på Innovation")
            || first.starts_with("Starta initiativ för"),
        "{}",
        &first[..80]
    );
    // the organisation has no priority and no decline: the leadership gap,
    // once, naming its largest category
    // (the text extraction may join the heading and the list's "1.")
    let first = org
        .split("Viktigast att göra")
        .nth(1)
        .unwrap()
        .trim_start()
        .trim_start_matches("1.")
        .trim_start();
    assert!(
        first.starts_with("Gå igenom resultatet tillsammans, ledningen och övriga: chefer och ledning ser mognaden som säkerställt högre än övriga i 6 av 6 kategorier, mest för Användare"),
        "{}",
        &first[..80]
    );
    // once among the actions, once in the recommendations: one list
    assert_eq!(org.matches("Gå igenom resultatet tillsammans").count(), 2);
}

#[test]
fn a_unit_report_gives_the_units_place_among_the_units_shown() {
    let (_tmp, out) = run_ok(&input_sample(), &[]);
    let year = out.join("2025");
    let totals: Vec<(String, f64)> = read_csv(&year.join("indices.csv"))
        .into_iter()
        .filter(|r| r["level"] == "total" && !r["unit"].is_empty() && r["suppressed"] == "false")
        .map(|r| {
            (
                r["unit"].clone(),
                (r["index"].parse::<f64>().unwrap() * 10.0).round() / 10.0,
            )
        })
        .collect();
    let mut checked = 0;
    for (unit, text) in reports(&year).into_iter().filter(|(u, _)| !u.is_empty()) {
        let mine = totals.iter().find(|(u, _)| *u == unit).unwrap().1;
        let place = 1 + totals.iter().filter(|(_, t)| *t > mine).count();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let expected = format!("plats {place} av {} redovisade enheter", totals.len());
        assert!(flat.contains(&expected), "{unit}: {expected}");
        checked += 1;
    }
    assert_eq!(checked, totals.len());
}

/// How far down each page its body text reaches, as a share of the text
/// area (A4, 2.3 cm top and 2.2 cm bottom margin; the running header and
/// footer lie outside it and are not counted).
fn page_fill(path: &Path) -> Vec<f64> {
    use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
    const CM: f64 = 72.0 / 2.54;
    struct Lowest {
        height: f64,
        pages: Vec<f64>,
    }
    impl OutputDev for Lowest {
        fn begin_page(
            &mut self,
            _: u32,
            media: &MediaBox,
            _: Option<(f64, f64, f64, f64)>,
        ) -> Result<(), OutputError> {
            self.height = media.ury - media.lly;
            self.pages.push(0.0);
            Ok(())
        }
        fn end_page(&mut self) -> Result<(), OutputError> {
            Ok(())
        }
        fn output_character(
            &mut self,
            trm: &Transform,
            _: f64,
            _: f64,
            _: f64,
            _: &str,
        ) -> Result<(), OutputError> {
            // the baseline's distance from the top of the page
            let from_top = self.height - trm.m32;
            let (top, bottom) = (2.3 * CM, self.height - 2.2 * CM);
            if from_top > top && from_top < bottom {
                let fill = (from_top - top) / (bottom - top);
                let last = self.pages.last_mut().unwrap();
                *last = last.max(fill);
            }
            Ok(())
        }
        fn begin_word(&mut self) -> Result<(), OutputError> {
            Ok(())
        }
        fn end_word(&mut self) -> Result<(), OutputError> {
            Ok(())
        }
        fn end_line(&mut self) -> Result<(), OutputError> {
            Ok(())
        }
    }
    let doc = pdf_extract::Document::load_mem(&std::fs::read(path).unwrap()).unwrap();
    let mut lowest = Lowest {
        height: 0.0,
        pages: Vec::new(),
    };
    pdf_extract::output_doc(&doc, &mut lowest).unwrap();
    lowest.pages
}

#[test]
fn a_unit_report_fits_six_pages_and_no_page_is_left_nearly_empty() {
    for lang in ["sv", "en"] {
        let (_tmp, out) = run_ok(&input_sample(), &["--lang", lang]);
        let all = pdfs(&out.join("2025"));
        assert_eq!(all.len(), 8, "the organisation and 7 units");
        for pdf in all {
            let name = pdf.file_name().unwrap().to_string_lossy().to_string();
            let unit = pdf.parent().unwrap().ends_with("enheter");
            let fill = page_fill(&pdf);
            let limit = if unit { 6 } else { 10 };
            assert!(fill.len() <= limit, "{lang} {name}: {} pages", fill.len());
            // the organisation report's cover stands alone; the last page
            // may be short
            let first = if unit { 0 } else { 1 };
            for (k, f) in fill.iter().enumerate().take(fill.len() - 1).skip(first) {
                assert!(
                    *f >= 1.0 / 3.0,
                    "{lang} {name}: page {} only {:.0} % full",
                    k + 1,
                    f * 100.0
                );
            }
        }
    }
}

#[test]
fn every_unit_shown_is_on_one_quadrant_and_the_largest_initiatives_are_named() {
    let (org, _) = exported_reports(&input_sample());
    let units = section(&org, "units");
    let shown: Vec<&str> = units["units"].as_array().unwrap()[1..]
        .iter()
        .filter(|u| u["suppressed"] == false)
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    let q = &units["quadrant"];
    assert_eq!(q["points"].as_array().unwrap().len(), shown.len());
    // each unit shown is listed under exactly one type, hidden ones never
    let listed: Vec<String> = q["by_type"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| {
            t["units"]
                .as_str()
                .unwrap()
                .split(", ")
                // numbered as on the chart; a unit near a type boundary is
                // marked so
                .map(|u| {
                    let u = u.trim_end_matches(" (nära en typgräns)");
                    u.split_once(' ')
                        .filter(|(n, _)| n.parse::<usize>().is_ok())
                        .map_or(u, |(_, name)| name)
                        .to_string()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let marked = q["by_type"].to_string().matches("nära en typgräns").count();
    assert!(
        marked >= 2,
        "the sample's units on the C/D boundary are marked"
    );
    let mut sorted_listed = listed.clone();
    sorted_listed.sort();
    let mut sorted_shown: Vec<String> = shown.iter().map(|s| s.to_string()).collect();
    sorted_shown.sort();
    assert_eq!(sorted_listed, sorted_shown);
    // the counts in the type names add up
    let counted: usize = q["by_type"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let name = t["name"].as_str().unwrap();
            let n = &name[name.rfind('(').unwrap() + 1..name.len() - 1];
            n.parse::<usize>().unwrap()
        })
        .sum();
    assert_eq!(counted, shown.len());

    // the initiative map numbers the three largest by budget, as listed
    let p = &section(&org, "portfolio")["portfolio"];
    let named: Vec<&str> = p["named"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(named.len(), 3, "{named:?}");
    for (k, n) in named.iter().enumerate() {
        assert!(n.starts_with(&format!("{} ", k + 1)), "{n}");
    }
    let labels: Vec<&str> = p["points"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|pt| pt["label"].as_str())
        .collect();
    assert_eq!(labels.len(), 3);
    // the first named has the largest budget of the year's register
    let register = std::fs::read_to_string(input_sample().join("initiativ.csv")).unwrap();
    let (largest, budget) = register
        .lines()
        .skip(1)
        .map(|l| l.split(';').collect::<Vec<_>>())
        .filter(|f| f[11] == "2025")
        .map(|f| {
            (
                f[1].to_string(),
                f[6].replace(' ', "").parse::<f64>().unwrap_or(0.0),
            )
        })
        .fold((String::new(), -1.0), |a, b| if b.1 > a.1 { b } else { a });
    assert!(budget > 0.0);
    let first_budget = |n: &str| n[n.rfind('(').unwrap()..].to_string();
    assert_eq!(
        first_budget(named[0]),
        format!(
            "({} mnkr)",
            format!("{:.1}", budget / 1e6).replace('.', ",")
        ),
        "{named:?}, largest {largest}"
    );
    assert_eq!(p["size_key"].as_array().unwrap().len(), 2);
    // every point lies inside the frame
    for pt in p["points"].as_array().unwrap() {
        for axis in ["x", "y"] {
            let v = pt[axis].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&v), "{pt}");
        }
    }
}

#[test]
fn the_statement_pages_show_the_review_of_statement_review_csv() {
    let (org, unit) = exported_reports(&input_sample());
    let (_tmp, out) = run_ok(&input_sample(), &[]);
    let csv = read_csv(&out.join("2025/statement-review.csv"));
    let register = std::fs::read_to_string(input_sample().join("initiativ.csv")).unwrap();
    let names: std::collections::BTreeMap<String, String> = register
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(';').collect();
            (f[0].to_string(), f[1].to_string())
        })
        .collect();
    let check = |report: &serde_json::Value, unit: &str| {
        let rows: Vec<_> = csv.iter().filter(|r| r["unit"] == unit).collect();
        assert_eq!(rows.len(), 30, "{unit}");
        let section = section(report, "statements");
        assert!(section["review_note"].is_string(), "{unit}");
        for g in section["statements"].as_array().unwrap() {
            for s in g["statements"].as_array().unwrap() {
                let code = s["code"].as_str().unwrap();
                let r = rows.iter().find(|r| r["statement"] == code).unwrap();
                let covered = ["completed", "ongoing", "planned"]
                    .iter()
                    .any(|k| r[*k] != "0");
                assert_eq!(s["initiatives"].is_string(), covered, "{unit} {code}");
                let marks = s["marks"].as_array().unwrap().len();
                let flags = [&r["weak_uncovered"], &r["costly_without_rise"]]
                    .iter()
                    .filter(|f| f.as_str() == "true")
                    .count();
                assert_eq!(marks, flags, "{unit} {code}");
                // the row's initiatives are named in the line, at most four
                // per status, the rest counted ("och 3 till")
                if covered {
                    let line = s["initiatives"].as_str().unwrap();
                    let ids: Vec<&str> = r["initiatives"].split(';').collect();
                    let named = ids
                        .iter()
                        .filter(|id| line.contains(names[**id].as_str()))
                        .count();
                    let per_status = ["completed", "ongoing", "planned"]
                        .iter()
                        .map(|k| r[*k].parse::<usize>().unwrap().min(4))
                        .sum::<usize>();
                    assert!(named >= per_status, "{code}: {named} of {ids:?} in {line}");
                    assert_eq!(named == ids.len(), !line.contains(" till"), "{line}");
                }
            }
        }
    };
    check(&org, "");
    // the exported unit report: its own initiatives
    let name = unit["unit"].as_str().unwrap().to_string();
    assert!(csv.iter().any(|r| r["unit"] == name), "{name}");
    check(&unit, &name);
}
