//! Every format and survey-tool layout in tests/fixtures/formats holds the
//! same six responses; each must ingest to the same tidy answers table as
//! the clean CSV, without errors.

mod common;

use common::*;
use mognad::pipeline::{read, Options};

/// The answers table as sorted rows, without the respondent key (which is
/// the tool's own id, or none at all in Google Forms).
fn answers(variant: &str) -> Vec<String> {
    let loaded = read(&Options {
        input: fixture("formats").join(variant),
        ..Options::default()
    })
    .unwrap_or_else(|e| panic!("{variant}: {e}"));
    let errors: Vec<String> = loaded
        .ingested
        .problems
        .iter()
        .filter(|p| p.is_error())
        .map(|p| p.to_string())
        .collect();
    assert!(errors.is_empty(), "{variant}: {errors:#?}");
    let df = &loaded.ingested.answers;
    let get = |name: &str| df.column(name).unwrap().as_materialized_series().clone();
    let (year, unit, role, stmt, value, dk) = (
        get("year"),
        get("unit"),
        get("role"),
        get("statement"),
        get("value"),
        get("dont_know"),
    );
    let mut rows: Vec<String> = (0..df.height())
        .map(|i| {
            format!(
                "{} {} {} {} {} {}",
                year.get(i).unwrap(),
                unit.get(i).unwrap(),
                role.get(i).unwrap(),
                stmt.get(i).unwrap(),
                value.get(i).unwrap(),
                dk.get(i).unwrap()
            )
        })
        .collect();
    rows.sort();
    rows
}

fn same_as_clean(variant: &str) {
    let clean = answers("clean");
    assert_eq!(
        clean.len(),
        23,
        "six respondents x four statements, one blank"
    );
    assert_eq!(
        answers(variant),
        clean,
        "{variant} differs from the clean CSV"
    );
}

#[test]
fn limesurvey_with_answer_codes() {
    same_as_clean("limesurvey-codes");
}

#[test]
fn limesurvey_with_answer_labels() {
    same_as_clean("limesurvey-labels");
}

#[test]
fn microsoft_forms_xlsx() {
    same_as_clean("msforms");
}

#[test]
fn google_forms_csv() {
    same_as_clean("googleforms");
}

#[test]
fn qualtrics_csv() {
    same_as_clean("qualtrics");
}

#[test]
fn windows_1252_semicolon_csv_with_decimal_comma() {
    same_as_clean("excel-1252");
}

#[test]
fn tab_separated() {
    same_as_clean("tsv");
}

#[test]
fn long_format_parquet() {
    same_as_clean("parquet-long");
}

#[test]
fn json_and_ndjson() {
    same_as_clean("json");
    same_as_clean("ndjson-long");
}

#[test]
fn incomplete_responses_are_left_out_and_reported() {
    for variant in ["limesurvey-codes", "qualtrics"] {
        let loaded = read(&Options {
            input: fixture("formats").join(variant),
            ..Options::default()
        })
        .unwrap();
        let p = loaded
            .ingested
            .problems
            .iter()
            .find(|p| p.kind == mognad::ingest::quality::Kind::Incomplete)
            .unwrap_or_else(|| panic!("{variant}: no incomplete warning"));
        assert_eq!(p.count, 1, "{variant}");
    }
}

#[test]
fn check_describes_how_each_file_was_read() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_in(
        tmp.path(),
        &[
            "check",
            "--input",
            fixture("formats")
                .join("limesurvey-codes")
                .to_str()
                .unwrap(),
            "--write",
            tmp.path().join("dq").to_str().unwrap(),
        ],
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}{}", stderr(&o));
    assert!(
        out.contains(
            "2025/results-survey123.csv: semicolon-separated text, UTF-8 (BOM), wide layout"
        ),
        "{out}"
    );
    assert!(out.contains("6 respondents"), "{out}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("dq/data-quality.json")).unwrap())
            .unwrap();
    assert_eq!(json["errors"], 0);
    assert_eq!(json["files"][0]["respondents"], 6);
    assert!(tmp.path().join("dq/data-quality.txt").is_file());
}
