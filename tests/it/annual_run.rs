//! The annual run end to end on a small fixture whose every index was
//! computed by hand (see tests/fixtures/small).

use crate::common::*;
use std::collections::BTreeMap;

/// Index of a mean on the 1-6 scale.
fn idx(mean: f64) -> f64 {
    (mean - 1.0) / 5.0 * 100.0
}

fn run_small() -> (tempfile::TempDir, std::path::PathBuf) {
    run_ok(&fixture("small"), &[])
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
    // S1 in Alfa: scores 100, 60, 80, 40 -> mean 70, sd sqrt(2000/3),
    // 95 % CI 70 ± t(0.975, 3) · sd / √4; the mean answer 4,5
    let s1 = lookup(&rows, "Alfa", "statement", "S1");
    let sd = (2000.0f64 / 3.0).sqrt();
    let half = 3.182446305284263 * sd / 2.0;
    close(s1["sd"].parse().unwrap(), sd);
    close(s1["ci_low"].parse().unwrap(), 70.0 - half);
    close(s1["ci_high"].parse().unwrap(), 70.0 + half);
    close(s1["mean"].parse().unwrap(), 4.5);
    // don't-know shares: S2 one of four answers, S4 two of four
    close(
        lookup(&rows, "Alfa", "statement", "S2")["dont_know_share"]
            .parse()
            .unwrap(),
        0.25,
    );
    close(
        lookup(&rows, "Alfa", "statement", "S4")["dont_know_share"]
            .parse()
            .unwrap(),
        0.5,
    );
    // one year, no benchmark file: no change, no benchmark
    let t = lookup(&rows, "", "total", "total");
    assert_eq!(
        (
            t["change"].as_str(),
            t["benchmark"].as_str(),
            t["percentile"].as_str()
        ),
        ("", "", "")
    );
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
            for col in [
                "mean",
                "sd",
                "ci_low",
                "ci_high",
                "dont_know_share",
                "change",
                "diff_benchmark",
            ] {
                assert_eq!(r[col], "", "{unit} {} leaks its {col}", r["key"]);
            }
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
            crate::common::sha256_hex(&bytes)
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
    let text = pdf_text(&first_pdf(&year));
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
    let (_tmp, out) = run_ok(&fixture("small"), &["--lang", "en"]);
    let text = pdf_text(&first_pdf(&out.join("2025")));
    assert!(text.contains("Key figures") && text.contains("Digital maturity 2025"));
}

#[test]
fn an_equally_weighted_framework_reproduces_its_composite() {
    // six dimension scores on 0-1; the composite is their mean
    let (_tmp, out) = run_ok(&fixture("oecd"), &[]);
    let rows = read_csv(&out.join("2019/indices.csv"));
    let composite = (0.838 + 0.756 + 0.728 + 0.667 + 0.739 + 0.584) / 6.0;
    let total = index_of(&rows, "", "total", "total");
    assert!(
        (total / 100.0 - composite).abs() < 1e-12,
        "{total} vs {composite}"
    );
    assert!((index_of(&rows, "", "dimension", "GAP") - 72.8).abs() < 1e-9);
    // every sentence about the model comes from the model: its six
    // dimensions on the cover, its continuous 0-1 scale without don't know
    let text = pdf_text(&first_pdf(&out.join("2019"))).replace(['\n', '\u{a0}'], " ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("The survey builds on Digital Government Index (structure), with 6 dimensions: digital by design, data-driven public sector, government as a platform, open by default, user-driven and proactiveness."),
        "{text}"
    );
    assert!(
        text.contains("Each statement is scored with a number from 0 to 1."),
        "{text}"
    );
    for wrong in ["digital legacy", "six-point", "does not fit at all"] {
        assert!(
            !text.to_lowercase().contains(wrong),
            "\"{wrong}\" in {text}"
        );
    }
}

#[test]
fn no_figure_of_a_suppressed_unit_reaches_parquet_or_excel() {
    use calamine::{open_workbook_auto, Data, Reader};
    use polars::prelude::*;
    let (_tmp, out) = run_small();
    let year = out.join("2025");
    let df = ParquetReader::new(std::fs::File::open(year.join("indices.parquet")).unwrap())
        .finish()
        .unwrap();
    assert_eq!(df.height(), 50);
    let unit = df.column("unit").unwrap().str().unwrap().clone();
    let numeric = [
        "index",
        "n",
        "mean",
        "sd",
        "ci_low",
        "ci_high",
        "dont_know_share",
        "change",
        "diff_benchmark",
    ];
    let mut hidden = 0;
    for i in 0..df.height() {
        if matches!(unit.get(i), Some("Beta" | "Gamma")) {
            hidden += 1;
            for c in numeric {
                assert!(
                    df.column(c).unwrap().get(i).unwrap().is_null(),
                    "parquet leaks {c} of {:?}",
                    unit.get(i)
                );
            }
        }
    }
    assert_eq!(hidden, 20);
    // the index of Alfa's total is there, so the check above can fail
    let alfa_total = (0..df.height())
        .find(|&i| unit.get(i) == Some("Alfa"))
        .map(|i| {
            df.column("index")
                .unwrap()
                .get(i)
                .unwrap()
                .extract::<f64>()
                .unwrap()
        })
        .unwrap();
    assert!((alfa_total - 38.75).abs() < 1e-9);

    let mut book = open_workbook_auto(year.join("indices.xlsx")).unwrap();
    let sheets = book.sheet_names();
    assert_eq!(
        sheets,
        ["Totalt", "Dimensioner", "Kategorier", "Påståenden"]
    );
    let mut seen = 0;
    for name in sheets {
        let range = book.worksheet_range(&name).unwrap();
        let mut rows = range.rows();
        let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
        let col = |n: &str| header.iter().position(|h| h == n).unwrap();
        for row in rows {
            if matches!(row[col("unit")].to_string().as_str(), "Beta" | "Gamma") {
                seen += 1;
                for c in numeric {
                    assert_eq!(row[col(c)], Data::Empty, "excel leaks {c} in sheet {name}");
                }
            }
        }
    }
    assert_eq!(seen, 20);
}

#[test]
fn roles_are_suppressed_like_units_and_the_leadership_gap_is_hand_computed() {
    use mognad::pipeline::{load, Options};
    let loaded = load(&Options {
        input: fixture("small"),
        ..Options::default()
    })
    .unwrap();
    let a = loaded.analysis();
    // Ledning has 1 respondent (< 3): hidden; Chef (4) goes with it so that
    // Ledning cannot be derived from the whole; Medarbetare (8) is shown.
    let shown: Vec<(&str, bool)> = a
        .roles(2025)
        .map(|g| (g.group.name().unwrap_or_default(), g.shown()))
        .collect();
    assert_eq!(
        shown,
        [("Chef", false), ("Ledning", false), ("Medarbetare", true)]
    );
    // Leadership (Ledning + Chef: a1 a4 b3 c1 d3) against the rest, in C3
    // (S4 alone): leaders 60, 100, 40 (a1 and a4 said "vet ej") -> 66.67;
    // the rest 20, 40, 20, 40, 0, 20, 60 -> 200/7.
    let leaders = |r: &str| r == "Ledning" || r == "Chef";
    let gaps = a.perception_gap(2025, &loaded.model, &leaders).unwrap();
    let c3 = gaps.iter().find(|g| g.key == "C3").unwrap();
    assert_eq!((c3.a.n, c3.b.n), (3, 7));
    assert!((c3.a.mean - 200.0 / 3.0).abs() < 1e-9);
    assert!((c3.b.mean - 200.0 / 7.0).abs() < 1e-9);
    assert!((c3.diff - (200.0 / 3.0 - 200.0 / 7.0)).abs() < 1e-9);
    // with a threshold above the leaders' 5, no gap is shown at all
    let only_one = |r: &str| r == "Ledning";
    assert!(a.perception_gap(2025, &loaded.model, &only_one).is_none());
}

#[test]
fn roles_csv_hides_small_roles_within_units() {
    let (_tmp, out) = run_small();
    let rows = read_csv(&out.join("2025/roles.csv"));
    let total = |unit: &str, role: &str| {
        rows.iter()
            .find(|r| r["unit"] == unit && r["role"] == role && r["level"] == "total")
            .unwrap_or_else(|| panic!("no row {unit}/{role}"))
            .clone()
    };
    // the organisation's roles: Medarbetare (8) shown, Ledning (1) and Chef (4, its complement) hidden
    // 8 Medarbetare; d5 answered only "vet ej", so 7 have a valid answer
    assert_eq!(total("", "Medarbetare")["n"], "7");
    assert_eq!(total("", "Ledning")["suppressed"], "true");
    assert_eq!(total("", "Chef")["suppressed"], "true");
    // within Delta: Chef (1) hidden, so Medarbetare (4) with it; within Alfa all three below 3
    for (unit, role) in [
        ("Delta", "Chef"),
        ("Delta", "Medarbetare"),
        ("Alfa", "Ledning"),
        ("Alfa", "Medarbetare"),
        ("Alfa", "Chef"),
    ] {
        assert_eq!(total(unit, role)["suppressed"], "true", "{unit}/{role}");
    }
    // no hidden row carries a figure
    for r in rows.iter().filter(|r| r["suppressed"] == "true") {
        for c in [
            "index",
            "n",
            "mean",
            "sd",
            "ci_low",
            "ci_high",
            "dont_know_share",
        ] {
            assert_eq!(r[c], "", "{}/{} leaks {c}", r["unit"], r["role"]);
        }
    }
}

/// The small fixture plus a 2024 survey and a benchmark file.
fn two_years(benchmark: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    std::fs::create_dir_all(tmp.path().join("2024")).unwrap();
    // 2024: Alfa's four answered S1 with 2, 2, 3, 3 (mean 2.5 -> 30) and
    // the others as in 2025 except lower
    std::fs::write(
        tmp.path().join("2024/svar.csv"),
        "respondent,enhet,S1,S2,S3,S4\n\
         a1,Alfa,2,2,2,2\na2,Alfa,2,3,2,2\na3,Alfa,3,2,2,2\na4,Alfa,3,3,3,3\n\
         d1,Delta,1,1,1,1\nd2,Delta,2,2,2,2\nd3,Delta,1,1,1,1\nd4,Delta,2,2,2,2\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("benchmark.csv"), benchmark).unwrap();
    tmp
}

#[test]
fn change_is_tested_with_welch_and_benchmarks_are_subtracted() {
    use mognad::analyse::stats::{summary, welch};
    let input = two_years("year,population,level,key,index\n2025,alla,total,total,40\n2025,alla,statement,S1,50\n2025,kommuner,total,total,99\n");
    let (_tmp, out) = run_ok(input.path(), &[]);
    let rows = read_csv(&out.join("2025/indices.csv"));
    let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-9, "{a} != {b}");
    // Alfa S1: 2025 scores 100, 60, 80, 40 (index 70); 2024 scores 20, 20, 40, 40 (index 30)
    let s1 = lookup(&rows, "Alfa", "statement", "S1");
    close(s1["change"].parse().unwrap(), 40.0);
    let w = welch(
        &summary(&[100.0, 60.0, 80.0, 40.0]).unwrap(),
        &summary(&[20.0, 20.0, 40.0, 40.0]).unwrap(),
    )
    .unwrap();
    assert_eq!(
        s1["change_significant"],
        if w.p < 0.05 { "true" } else { "false" },
        "p = {}",
        w.p
    );
    // the benchmark population "alla" is chosen over "kommuner"
    close(s1["benchmark"].parse().unwrap(), 50.0);
    close(s1["diff_benchmark"].parse().unwrap(), 20.0);
    let total = lookup(&rows, "", "total", "total");
    close(
        total["diff_benchmark"].parse::<f64>().unwrap(),
        total["index"].parse::<f64>().unwrap() - 40.0,
    );
    // suppressed units show neither change nor benchmark difference
    assert_eq!(
        lookup(&rows, "Gamma", "total", "total")["diff_benchmark"],
        ""
    );
}

#[test]
fn a_bad_benchmark_row_is_named() {
    let input = two_years("year,population,level,key,index\n2025,alla,category,NOPE,40\n");
    let tmp = tempfile::tempdir().unwrap();
    let o = mognad(["run"])
        .input(input.path())
        .output(tmp.path().join("o"))
        .dir(tmp.path())
        .run();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("benchmark.csv, row 2, column \"key\"") && err.contains("NOPE"),
        "{err}"
    );
}

#[test]
fn several_organisations_get_their_own_reports_benchmark_and_percentile() {
    let (_tmp, out) = run_ok(&fixture("multi"), &[]);
    let year = out.join("2025");
    // each respondent gave one value to every statement, so an
    // organisation's index is idx(mean): Alby 17/3, Bruka 3, Cirka 4
    let expected = [
        (
            "alby-kommun",
            "Alby kommun",
            idx(17.0 / 3.0),
            100.0 * 2.5 / 3.0,
        ),
        ("bruka-kommun", "Bruka kommun", idx(3.0), 100.0 * 0.5 / 3.0),
        ("cirka-region", "Cirka region", idx(4.0), 100.0 * 1.5 / 3.0),
    ];
    let mean = expected.iter().map(|e| e.2).sum::<f64>() / 3.0;
    for (folder, name, index, percentile) in expected {
        let dir = year.join(folder);
        let rows = read_csv(&dir.join("indices.csv"));
        let total = lookup(&rows, "", "total", "total");
        assert_eq!(total["organisation"], name);
        let num = |c: &str| {
            total[c]
                .parse::<f64>()
                .unwrap_or_else(|_| panic!("{folder} {c}: {:?}", total[c]))
        };
        assert!((num("index") - index).abs() < 1e-9, "{folder}");
        assert!((num("benchmark") - mean).abs() < 1e-9, "{folder}");
        assert!((num("percentile") - percentile).abs() < 1e-9, "{folder}");
        // unit rows get no percentile
        assert_eq!(lookup(&rows, "Stab", "total", "total")["percentile"], "");
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        assert_eq!(manifest["organisation"], name);
        for f in manifest["files"].as_array().unwrap() {
            assert!(
                dir.join(f["path"].as_str().unwrap()).is_file(),
                "{folder}: {f}"
            );
        }
        assert!(pdf_text(&first_pdf(&dir)).contains(name));
    }
}

#[test]
fn a_year_in_which_a_unit_was_hidden_never_feeds_a_later_change() {
    // 2023: Delta shown (4); 2024: Delta hidden (2 respondents < 3);
    // 2025: Delta shown again. Its 2025 change must be against 2023.
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    for (year, csv) in [
        ("2023", "respondent,enhet,S1,S2,S3,S4\nd1,Delta,1,1,1,1\nd2,Delta,1,1,1,1\nd3,Delta,2,2,2,2\nd4,Delta,2,2,2,2\na1,Alfa,3,3,3,3\na2,Alfa,3,3,3,3\na3,Alfa,3,3,3,3\n"),
        ("2024", "respondent,enhet,S1,S2,S3,S4\nd1,Delta,6,6,6,6\nd2,Delta,6,6,6,6\na1,Alfa,3,3,3,3\na2,Alfa,3,3,3,3\na3,Alfa,3,3,3,3\na4,Alfa,3,3,3,3\n"),
    ] {
        std::fs::create_dir_all(tmp.path().join(year)).unwrap();
        std::fs::write(tmp.path().join(year).join("svar.csv"), csv).unwrap();
    }
    let (_out_tmp, out) = run_ok(tmp.path(), &["--all-years"]);
    let y2024 = read_csv(&out.join("2024/indices.csv"));
    assert_eq!(
        lookup(&y2024, "Delta", "total", "total")["suppressed"],
        "true"
    );
    let y2025 = read_csv(&out.join("2025/indices.csv"));
    // Delta 2023: mean 1.5 -> 10; 2025: mean 2.5 -> 30 (d5 answered only "vet ej")
    let change: f64 = lookup(&y2025, "Delta", "total", "total")["change"]
        .parse()
        .unwrap();
    assert!(
        (change - (idx(2.5) - idx(1.5))).abs() < 1e-9,
        "change {change} is not against 2023"
    );
    // the hidden 2024 figure (100 %) appears nowhere in the 2025 Delta report
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("2025/manifest.json")).unwrap()).unwrap();
    let delta = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["unit"] == "Delta")
        .unwrap();
    let text =
        pdf_text(&out.join("2025").join(delta["path"].as_str().unwrap())).replace('\u{a0}', " ");
    assert!(
        !text.contains("2024"),
        "the hidden year shows in the unit report"
    );
    assert!(text.contains("2023"));
}

/// Every stream of a PDF inflated, joined with the raw file.
fn pdf_objects(path: &std::path::Path) -> Vec<u8> {
    use std::io::Read;
    let raw = std::fs::read(path).unwrap();
    let mut out = raw.clone();
    let mut i = 0;
    while let Some(start) = raw[i..]
        .windows(6)
        .position(|w| w == b"stream")
        .map(|p| p + i + 6)
    {
        let body = start + if raw.get(start) == Some(&b'\r') { 2 } else { 1 };
        let Some(end) = raw[body..]
            .windows(9)
            .position(|w| w == b"endstream")
            .map(|p| p + body)
        else {
            break;
        };
        let mut inflated = Vec::new();
        if flate2::read::ZlibDecoder::new(&raw[body..end])
            .read_to_end(&mut inflated)
            .is_ok()
        {
            out.extend_from_slice(&inflated);
        }
        i = end + 9;
    }
    out
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

#[test]
fn reports_are_pdf_ua_tagged_and_every_chart_has_alternative_text() {
    let (_tmp, out) = run_ok(&input_sample(), &[]);
    let year = out.join("2025");
    let org = first_pdf(&year);
    let unit = first_pdf(&year.join("enheter"));
    for pdf in [&org, &unit] {
        let all = pdf_objects(pdf);
        assert!(
            count(&all, b"pdfuaid:part>1<") == 1,
            "{}: no PDF/UA-1 declaration",
            pdf.display()
        );
        assert!(
            count(&all, b"/StructTreeRoot") >= 1,
            "{}: not tagged",
            pdf.display()
        );
        assert!(
            count(&all, b"/Lang") >= 1 && count(&all, b"/Title") >= 1,
            "{}: no language or title",
            pdf.display()
        );
        let figures = count(&all, b"/Figure");
        assert!(figures >= 2, "{}: only {figures} figures", pdf.display());
        assert_eq!(
            count(&all, b"/Alt"),
            figures,
            "{}: a figure without alternative text",
            pdf.display()
        );
    }
}

#[test]
fn exported_templates_are_used_and_a_template_error_names_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("layout");
    let o = mognad(["templates", "export", dir.to_str().unwrap()])
        .dir(tmp.path())
        .run();
    assert!(o.status.success(), "{}", stderr(&o));
    for name in ["lib.typ", "organisation.typ", "unit.typ"] {
        assert!(dir.join(name).is_file(), "{name} not exported");
    }
    // a second export refuses to overwrite
    assert_eq!(
        mognad(["templates", "export", dir.to_str().unwrap()])
            .dir(tmp.path())
            .run()
            .status
            .code(),
        Some(2)
    );

    // an edit shows in the report
    let input = tmp.path().join("in");
    copy_tree(&fixture("small"), &input);
    let cfg = input.join("mognad.toml");
    let text = std::fs::read_to_string(&cfg).unwrap().replace(
        "[report]\n",
        &format!("[report]\ntemplates = {:?}\n", dir.to_string_lossy()),
    );
    std::fs::write(&cfg, text).unwrap();
    let org = dir.join("organisation.typ");
    let edited = std::fs::read_to_string(&org).unwrap().replace(
        "#report-sections(r)",
        "Egen rubrik från kommunen\n\n#report-sections(r)",
    );
    std::fs::write(&org, &edited).unwrap();
    let (_t, out) = run_ok(&input, &[]);
    assert!(pdf_text(&first_pdf(&out.join("2025"))).contains("Egen rubrik från kommunen"));

    // a broken template: the error names the template file, line and column
    std::fs::write(
        &org,
        edited.replace("#report-sections(r)\n", "#report-sections(r)\n#let x = (\n"),
    )
    .unwrap();
    let o = mognad(["run"])
        .input(&input)
        .output(tmp.path().join("o2"))
        .dir(tmp.path())
        .run();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("organisation.typ:") && !err.contains("panicked"),
        "{err}"
    );
    let place = err.split("organisation.typ:").nth(1).unwrap();
    let mut parts = place.split(':');
    assert!(
        parts.next().unwrap().parse::<usize>().is_ok()
            && parts.next().unwrap().trim().parse::<usize>().is_ok(),
        "no line:column in {err}"
    );
}

#[test]
fn the_manifest_records_recipient_language_and_pages_of_every_report() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    std::fs::write(
        tmp.path().join("mottagare.csv"),
        "enhet;namn;e-post\nLedningsgrupp;Eva Ek;eva@test.example\nAlfa;Åsa Öst;asa@test.example\nGamma;Gun Gran;gun@test.example\nDelta;Dan;inte-en-adress\n",
    )
    .unwrap();
    let (_t, out) = run_ok(tmp.path(), &[]);
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("2025/manifest.json")).unwrap()).unwrap();
    let files = m["files"].as_array().unwrap();
    let report = |kind: &str, unit: Option<&str>| {
        files
            .iter()
            .find(|f| f["kind"] == kind && f["unit"].as_str() == unit)
            .unwrap_or_else(|| panic!("no {kind} {unit:?}"))
            .clone()
    };
    let org = report("organisation_report", None);
    assert_eq!(org["recipients"][0]["name"], "Eva Ek");
    // names only: e-mail addresses never reach an output (send reads them)
    assert!(org["recipients"][0].get("email").is_none());
    assert_eq!(org["language"], "sv");
    let alfa = report("unit_report", Some("Alfa"));
    assert_eq!(
        (
            alfa["recipients"][0]["name"].as_str(),
            alfa["language"].as_str()
        ),
        (Some("Åsa Öst"), Some("sv"))
    );
    // the page count is the PDF's own
    let pages = alfa["pages"].as_u64().unwrap();
    // (read with the PDF crate the tests use: no poppler on a fresh machine)
    let pdf = std::fs::read(out.join("2025").join(alfa["path"].as_str().unwrap())).unwrap();
    let counted = pdf_extract::Document::load_mem(&pdf)
        .unwrap()
        .get_pages()
        .len();
    assert_eq!(pages, counted as u64);
    // Delta's address is invalid: no recipient, never guessed
    assert!(report("unit_report", Some("Delta"))
        .get("recipients")
        .is_none());
    // Gamma gets no report; the manifest says why and whom it concerns
    let gamma = m["units_without_report"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "Gamma")
        .unwrap()
        .clone();
    assert_eq!(
        (
            gamma["reason"].as_str(),
            gamma["recipients"][0]["name"].as_str()
        ),
        (Some("below_threshold"), Some("Gun Gran"))
    );
}

#[test]
fn answer_counts_by_hand() {
    use mognad::pipeline::{load, Options};
    let loaded = load(&Options {
        input: fixture("small"),
        ..Options::default()
    })
    .unwrap();
    let a = loaded.analysis();
    // S1 for the organisation: 6 4 5 3 | 2 3 4 | 6 | 1 2 3 4 (d5 "vet ej")
    assert_eq!(
        a.answer_counts(&loaded.model, 2025, None, "S1").unwrap(),
        [1, 2, 3, 3, 1, 2]
    );
    // S4 in Alfa: 2 and 3; a1 and a4 said "vet ej"
    assert_eq!(
        a.answer_counts(&loaded.model, 2025, Some("Alfa"), "S4")
            .unwrap(),
        [0, 1, 1, 0, 0, 0]
    );
}

#[test]
fn the_sample_report_text_matches_indices_csv_and_names_its_recommendations() {
    let (_tmp, out) = run_ok(&input_sample(), &[]);
    let year = out.join("2025");
    let rows = read_csv(&year.join("indices.csv"));
    let text = pdf_text(&first_pdf(&year)).replace('\u{a0}', " ");
    let sv = |v: f64| format!("{:.1} %", v).replace('.', ",");
    let total = lookup(&rows, "", "total", "total");
    let (index, bench): (f64, f64) = (
        total["index"].parse().unwrap(),
        total["benchmark"].parse().unwrap(),
    );
    assert!(text.contains(&sv(index)), "total {}", sv(index));
    assert!(
        text.contains(&format!("alla organisationer 2025: {}", sv(bench))),
        "benchmark {}",
        sv(bench)
    );
    let diff = format!(
        "+{} p.e.",
        format!("{:.1}", index - bench).replace('.', ",")
    );
    assert!(text.contains(&diff), "difference {diff}");
    // every unit of indices.csv is named; shown ones with their total
    for r in rows
        .iter()
        .filter(|r| r["level"] == "total" && !r["unit"].is_empty())
    {
        assert!(text.contains(r["unit"].as_str()), "unit {}", r["unit"]);
    }
    // the recommendations follow from the figures: the weakest category is
    // Innovation; BA1 and TE3 have 13-14 % "vet ej", named by their text
    // among the method's caveats, not as recommendations
    let innovation: f64 = lookup(&rows, "", "category", "INN")["index"]
        .parse()
        .unwrap();
    assert!(text.contains(&format!(
        "Rikta utvecklingsinsatser mot Innovation, den svagaste kategorin ({})",
        sv(innovation)
    )));
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let model = mognad::model::Model::builtin();
    for code in ["BA1", "TE3", "EF5"] {
        let share: f64 = lookup(&rows, "", "statement", code)["dont_know_share"]
            .parse()
            .unwrap();
        let statement = model.statements.iter().find(|s| s.code == code).unwrap();
        let quoted = format!("”{}”: ", statement.text.get("sv").trim_end_matches('.'));
        // EF5 has few "vet ej": no caveat about it
        assert_eq!(text.contains(&quoted), share >= 0.12, "{code}");
        assert!(
            !text.contains(&format!("påstående {code}")),
            "{code} by its code"
        );
    }
}

#[test]
fn a_report_that_fails_leaves_every_other_report_written_and_exit_code_1() {
    let tmp = tempfile::tempdir().unwrap();
    let layout = tmp.path().join("layout");
    assert!(mognad(["templates", "export", layout.to_str().unwrap()])
        .dir(tmp.path())
        .run()
        .status
        .success());
    // unit.typ breaks for Alfa only
    let unit = layout.join("unit.typ");
    let text = std::fs::read_to_string(&unit).unwrap();
    std::fs::write(
        &unit,
        format!("{text}\n#if r.unit == \"Alfa\" {{ panic(\"trasig mall\") }}\n"),
    )
    .unwrap();
    let input = tmp.path().join("in");
    copy_tree(&fixture("small"), &input);
    let cfg = input.join("mognad.toml");
    let c = std::fs::read_to_string(&cfg).unwrap().replace(
        "[report]\n",
        &format!("[report]\ntemplates = {:?}\n", layout.to_string_lossy()),
    );
    std::fs::write(&cfg, c).unwrap();
    let out = tmp.path().join("out");
    let o = mognad(["run"])
        .input(&input)
        .output(&out)
        .dir(tmp.path())
        .run();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("Alfa") && err.contains("trasig mall"), "{err}");
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("2025/manifest.json")).unwrap()).unwrap();
    let kinds: Vec<(&str, Option<&str>)> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["unit"].as_str()))
        .collect();
    assert!(kinds.contains(&("organisation_report", None)));
    assert!(kinds.contains(&("unit_report", Some("Delta"))));
    assert!(!kinds.contains(&("unit_report", Some("Alfa"))));
    assert_eq!(m["failed"][0]["unit"], "Alfa");
    assert!(m["failed"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("unit.typ"));
}

#[test]
fn parallel_rendering_gives_the_same_files_as_one_thread() {
    let (_a, one) = run_ok(&fixture("small"), &["--jobs", "1"]);
    let (_b, two) = run_ok(&fixture("small"), &["--jobs", "2"]);
    let (a, b) = (snapshot(&one), snapshot(&two));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(
            bytes == &b[name],
            "{name} differs between --jobs 1 and --jobs 2"
        );
    }
}

#[test]
fn synth_is_deterministic_and_its_output_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for dir in [&a, &b] {
        let o = mognad([
            "synth",
            "--orgs",
            "3",
            "--respondents",
            "12",
            "--years",
            "2",
            "--seed",
            "7",
            "--out",
            dir.to_str().unwrap(),
        ])
        .dir(tmp.path())
        .run();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(snapshot(&a), snapshot(&b), "same seed, same files");
    let (_t, out) = run_ok(&a, &["--jobs", "2"]);
    let years: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(years, ["2025"]);
    // three organisations, each with its own folder and percentile ranks
    for org in [
        "organisation-0001",
        "organisation-0002",
        "organisation-0003",
    ] {
        let rows = read_csv(&out.join("2025").join(org).join("indices.csv"));
        let p: f64 = lookup(&rows, "", "total", "total")["percentile"]
            .parse()
            .unwrap();
        assert!(
            [100.0 / 6.0, 50.0, 500.0 / 6.0]
                .iter()
                .any(|x| (p - x).abs() < 1e-9),
            "{org}: {p}"
        );
    }
}

#[test]
fn init_writes_a_ready_input_folder_that_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("indata");
    let o = mognad(["init", dir.to_str().unwrap()])
        .dir(tmp.path())
        .run();
    assert!(o.status.success(), "{}", stderr(&o));
    for name in [
        "mognad.toml",
        "model.toml",
        "initiativ.csv",
        "mottagare.csv",
    ] {
        assert!(dir.join(name).is_file(), "{name}");
    }
    // a second init refuses to overwrite
    assert_eq!(
        mognad(["init", dir.to_str().unwrap()])
            .dir(tmp.path())
            .run()
            .status
            .code(),
        Some(2)
    );
    // with one survey export it runs: the config and model it wrote are valid
    std::fs::create_dir_all(dir.join("2025")).unwrap();
    std::fs::copy(
        fixture("formats/clean/2025/svar.csv"),
        dir.join("2025/svar.csv"),
    )
    .unwrap();
    let mut csv = String::from("respondent,enhet,EF1,EF2\n");
    for i in 0..6 {
        csv.push_str(&format!("r{i},Stab,{},{}\n", 1 + i % 6, 6 - i % 6));
    }
    std::fs::write(dir.join("2025/svar.csv"), csv).unwrap();
    let (_t, out) = run_ok(&dir, &[]);
    let rows = read_csv(&out.join("2025/indices.csv"));
    assert_eq!(
        lookup(&rows, "", "total", "total")["organisation"],
        "Vår organisation"
    );
}

#[test]
fn org_renders_one_organisation_and_names_the_choices_when_unknown() {
    let (_t, out) = run_ok(&fixture("multi"), &["--org", "Bruka kommun"]);
    let folders: Vec<String> = std::fs::read_dir(out.join("2025"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut folders = folders;
    folders.sort();
    assert_eq!(folders, ["bruka-kommun", "index.json"]);
    let tmp = tempfile::tempdir().unwrap();
    let o = mognad(["run"])
        .input(fixture("multi"))
        .output(tmp.path().join("o"))
        .args(["--org", "Okänd"])
        .dir(tmp.path())
        .run();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("Alby kommun, Bruka kommun, Cirka region"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn org_after_a_full_run_replaces_only_that_organisations_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let full = tmp.path().join("out");
    let (input, output) = (fixture("multi"), full.to_str().unwrap().to_string());
    let base = [
        "run",
        "--input",
        input.to_str().unwrap(),
        "--output",
        output.as_str(),
    ];
    assert!(mognad(base).dir(tmp.path()).run().status.success());
    let alby = std::fs::read(full.join("2025/alby-kommun/indices.csv")).unwrap();
    let mut only = base.to_vec();
    only.extend(["--org", "bruka-kommun"]);
    let o = mognad(&only).dir(tmp.path()).run();
    assert!(o.status.success(), "{}", stderr(&o));
    let mut folders: Vec<String> = std::fs::read_dir(full.join("2025"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    // the year-level files of the full run stay as they were
    assert_eq!(
        folders,
        [
            "alby-kommun",
            "bruka-kommun",
            "cirka-region",
            "index.json",
            "open-data",
            "overview.csv",
            "overview.pdf"
        ]
    );
    assert_eq!(
        std::fs::read(full.join("2025/alby-kommun/indices.csv")).unwrap(),
        alby
    );
    assert!(full.join("2025/bruka-kommun/manifest.json").is_file());
}

#[test]
fn reliability_csv_holds_alpha_for_the_organisation_and_each_shown_unit() {
    let (_tmp, out) = run_small();
    let rows = read_csv(&out.join("2025/reliability.csv"));
    let text = std::fs::read_to_string(out.join("2025/reliability.csv")).unwrap();
    assert_eq!(
        text.lines().next().unwrap(),
        "year,organisation,unit,level,key,alpha,complete_cases,items"
    );
    // the organisation, then the shown units Alfa and Delta (Gamma is
    // below the threshold, Beta hidden with it); each D1, C1, C2, D2, C3
    let order: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r["unit"].clone(), r["key"].clone()))
        .collect();
    let keys = ["D1", "C1", "C2", "D2", "C3"];
    let expected: Vec<(String, String)> = ["", "Alfa", "Delta"]
        .iter()
        .flat_map(|u| keys.iter().map(move |k| (u.to_string(), k.to_string())))
        .collect();
    assert_eq!(order, expected);
    // D1 (S1-S3) by hand over the 10 complete cases: item variances
    // 2.7111, 2.2333, 2.1, variance of the sums 20.4:
    // 3/2 * (1 - 7.0444/20.4) = 0.98203
    let d1 = &rows[0];
    let alpha: f64 = d1["alpha"].parse().unwrap();
    assert!((alpha - 0.982_026_143_790_849_6).abs() < 1e-9, "{alpha}");
    assert_eq!(
        (d1["complete_cases"].as_str(), d1["items"].as_str()),
        ("10", "3")
    );
    assert_eq!(d1["level"], "dimension");
    // Delta's four complete cases answer 1,1,1 .. 4,4,4: alpha exactly 1
    let delta = rows
        .iter()
        .find(|r| r["unit"] == "Delta" && r["key"] == "D1")
        .unwrap();
    let alpha: f64 = delta["alpha"].parse().unwrap();
    assert!((alpha - 1.0).abs() < 1e-12, "{alpha}");
    assert_eq!(delta["complete_cases"], "4");
    // C3 has one statement: no alpha
    assert_eq!(rows[4]["alpha"], "");
}
