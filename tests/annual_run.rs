//! The annual run end to end on a small fixture whose every index was
//! computed by hand (see tests/fixtures/small).

mod common;

use common::*;
use std::collections::BTreeMap;

/// Index of a mean on the 1-6 scale.
fn idx(mean: f64) -> f64 {
    (mean - 1.0) / 5.0 * 100.0
}

fn run_small() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = run_in(
        tmp.path(),
        &[
            "run",
            "--input",
            fixture("small").to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "run failed: {}", stderr(&o));
    (tmp, out)
}

fn lookup<'a>(
    rows: &'a [BTreeMap<String, String>],
    unit: &str,
    level: &str,
    key: &str,
) -> &'a BTreeMap<String, String> {
    rows.iter()
        .find(|r| r["unit"] == unit && r["level"] == level && r["key"] == key)
        .unwrap_or_else(|| panic!("no row {unit}/{level}/{key}"))
}

fn index_of(rows: &[BTreeMap<String, String>], unit: &str, level: &str, key: &str) -> f64 {
    lookup(rows, unit, level, key)["index"].parse().unwrap()
}

#[test]
fn indices_csv_matches_the_hand_computation() {
    let (_tmp, out) = run_small();
    let rows = read_csv(&out.join("2025/indices.csv"));
    let header: Vec<&str> = rows[0].keys().map(String::as_str).collect();
    for col in [
        "year",
        "organisation",
        "unit",
        "level",
        "key",
        "index",
        "n",
        "suppressed",
    ] {
        assert!(header.contains(&col), "missing column {col}");
    }
    let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-9, "{a} != {b}");

    // Unit Alfa (4 respondents). S2 has one "vet ej", S3 one blank, S4 two "vet ej".
    close(
        index_of(&rows, "Alfa", "statement", "S1"),
        idx((6.0 + 4.0 + 5.0 + 3.0) / 4.0),
    ); // 70
    close(
        index_of(&rows, "Alfa", "statement", "S2"),
        idx((5.0 + 4.0 + 3.0) / 3.0),
    ); // 60
    close(
        index_of(&rows, "Alfa", "statement", "S3"),
        idx((4.0 + 3.0 + 2.0) / 3.0),
    ); // 40
    close(
        index_of(&rows, "Alfa", "statement", "S4"),
        idx((2.0 + 3.0) / 2.0),
    ); // 30
    close(
        index_of(&rows, "Alfa", "category", "C1"),
        (70.0 + 3.0 * 60.0) / 4.0,
    ); // S2 weighs 3
    close(
        index_of(&rows, "Alfa", "dimension", "D1"),
        (62.5 + 2.0 * 40.0) / 3.0,
    ); // C2 weighs 2
    close(index_of(&rows, "Alfa", "dimension", "D2"), 30.0);
    close(
        index_of(&rows, "Alfa", "total", "total"),
        (47.5 + 30.0) / 2.0,
    );
    assert_eq!(lookup(&rows, "Alfa", "statement", "S4")["n"], "2");
    assert_eq!(lookup(&rows, "Alfa", "total", "total")["n"], "4");

    // Delta: d5 answered only "vet ej": a respondent, but in no n.
    close(index_of(&rows, "Delta", "total", "total"), idx(2.5));
    assert_eq!(lookup(&rows, "Delta", "statement", "S1")["n"], "4");

    // The organisation: all 13 respondents, Beta and Gamma included.
    let s1 = idx(43.0 / 12.0);
    let s2 = idx(37.0 / 11.0);
    let s3 = idx(34.0 / 11.0);
    let s4 = idx(30.0 / 10.0); // Alfa 2+3, Beta 9, Gamma 6, Delta 10: ten valid answers
    close(index_of(&rows, "", "statement", "S1"), s1);
    close(index_of(&rows, "", "statement", "S4"), s4);
    let c1 = (s1 + 3.0 * s2) / 4.0;
    let d1 = (c1 + 2.0 * s3) / 3.0;
    close(index_of(&rows, "", "category", "C1"), c1);
    close(index_of(&rows, "", "dimension", "D1"), d1);
    close(index_of(&rows, "", "total", "total"), (d1 + s4) / 2.0);
    assert_eq!(lookup(&rows, "", "total", "total")["n"], "12");
    assert_eq!(
        lookup(&rows, "", "total", "total")["organisation"],
        "Testkommun"
    );

    // Gamma (1 respondent) is below the threshold of 3; Beta (3) is hidden
    // with it, or Gamma's answers would follow by subtraction.
    for unit in ["Gamma", "Beta"] {
        for r in rows.iter().filter(|r| r["unit"] == unit) {
            assert_eq!(r["suppressed"], "true", "{unit} {}", r["key"]);
            assert_eq!(r["index"], "", "{unit} {} leaks its index", r["key"]);
            assert_eq!(r["n"], "", "{unit} {} leaks its n", r["key"]);
        }
    }
    assert!(rows
        .iter()
        .filter(|r| r["unit"] == "Alfa")
        .all(|r| r["suppressed"] == "false"));
    // one row per group x (total + 2 dimensions + 3 categories + 4 statements)
    assert_eq!(rows.len(), 5 * 10);
}

#[test]
fn reports_manifest_and_the_pdf_show_the_same_figures() {
    let (_tmp, out) = run_small();
    let year = out.join("2025");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(year.join("manifest.json")).unwrap()).unwrap();
    let files = manifest["files"].as_array().unwrap();
    // every file listed exists with the listed sha256
    for f in files {
        let bytes = std::fs::read(year.join(f["path"].as_str().unwrap())).unwrap();
        assert_eq!(
            f["sha256"].as_str().unwrap(),
            mognad::publish::sha256_hex(&bytes)
        );
    }
    let units: Vec<&str> = files.iter().filter_map(|f| f["unit"].as_str()).collect();
    assert_eq!(units, ["Alfa", "Delta"]);
    let without: Vec<(&str, &str)> = manifest["units_without_report"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["unit"].as_str().unwrap(), u["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        without,
        [
            ("Beta", "secondary_suppression"),
            ("Gamma", "below_threshold")
        ]
    );

    let org_pdf = files
        .iter()
        .find(|f| f["kind"] == "organisation_report")
        .map(|f| year.join(f["path"].as_str().unwrap()))
        .unwrap();
    let text = pdf_text(&org_pdf).replace('\u{a0}', " ");
    let rows = read_csv(&year.join("indices.csv"));
    let total = index_of(&rows, "", "total", "total");
    let swedish = format!("{:.1} %", total).replace('.', ",");
    assert!(
        text.contains(&swedish),
        "the organisation PDF lacks the total {swedish}"
    );
    assert!(text.contains("Testkommun"));
    assert!(text.contains("Alfa") && text.contains("Delta"));
    // the unit report shows the unit's total
    let alfa = files.iter().find(|f| f["unit"] == "Alfa").unwrap();
    let alfa_text = pdf_text(&year.join(alfa["path"].as_str().unwrap())).replace('\u{a0}', " ");
    assert!(
        alfa_text.contains("38,8 %"),
        "Alfa's total 38.75 shown as 38,8 %"
    );
}

#[test]
fn no_figure_of_a_suppressed_unit_reaches_the_organisation_report() {
    let (_tmp, out) = run_small();
    let year = out.join("2025");
    let pdf = std::fs::read_dir(&year)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap();
    let text = pdf_text(&pdf);
    let line = |unit: &str| {
        text.lines()
            .find(|l| l.contains(unit))
            .map(str::to_string)
            .unwrap()
    };
    // Gamma's own total would be 100,0 %, Beta's 40,0 %: neither line holds a %.
    for unit in ["Gamma", "Beta"] {
        let l = line(unit);
        assert!(!l.contains('%'), "suppressed unit shows a figure: {l}");
    }
}

#[test]
fn two_runs_give_byte_identical_files() {
    let (_a, out_a) = run_small();
    let (_b, out_b) = run_small();
    let a = snapshot(&out_a);
    let b = snapshot(&out_b);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between runs");
    }
    assert!(a.keys().any(|k| k.ends_with(".pdf")));
}

#[test]
fn english_reports_use_english_formatting() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = run_in(
        tmp.path(),
        &[
            "run",
            "--input",
            fixture("small").to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--lang",
            "en",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = std::fs::read_dir(out.join("2025"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap();
    let text = pdf_text(&pdf);
    assert!(text.contains("Key figures") && text.contains("Digital maturity 2025"));
}
