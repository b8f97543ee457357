//! Every format and survey-tool layout in tests/fixtures/formats holds the
//! same six responses; each must ingest to the same tidy answers table as
//! the clean CSV, without errors.

use crate::common::*;
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
    let (table, model) = (&loaded.ingested.answers, &loaded.model);
    let mut rows: Vec<String> = (0..table.respondents())
        .flat_map(|r| {
            table.answers(r).map(move |(s, value)| {
                format!(
                    "{} {:?} {:?} {} {:?}",
                    table.year(r),
                    table.unit(r),
                    table.role(r),
                    model.statements[s].code,
                    value
                )
            })
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
    let o = mognad([
        "check",
        "--input",
        fixture("formats")
            .join("limesurvey-codes")
            .to_str()
            .unwrap(),
        "--write",
        tmp.path().join("dq").to_str().unwrap(),
    ])
    .dir(tmp.path())
    .run();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}{}", stderr(&o));
    assert!(
        out.contains(
            "2025/results-survey123.csv: LimeSurvey, semicolon-separated text, UTF-8 (BOM), wide layout"
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

#[test]
fn a_named_sheet_is_read_and_a_missing_one_named() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("formats").join("msforms"), tmp.path());
    let cfg = tmp.path().join("mognad.toml");
    let text = std::fs::read_to_string(&cfg).unwrap().replace(
        "model = \"../model.toml\"",
        &format!(
            "model = {:?}",
            fixture("formats").join("model.toml").to_string_lossy()
        ),
    );
    std::fs::write(&cfg, format!("{text}[ingest]\nsheet = \"sheet1\"\n")).unwrap();
    let loaded = read(&Options {
        input: tmp.path().to_path_buf(),
        ..Options::default()
    })
    .unwrap();
    assert!(!loaded.ingested.has_errors());
    assert_eq!(loaded.ingested.answers.len(), 23);

    std::fs::write(&cfg, format!("{text}[ingest]\nsheet = \"Svar\"\n")).unwrap();
    let loaded = read(&Options {
        input: tmp.path().to_path_buf(),
        ..Options::default()
    })
    .unwrap();
    let p = loaded
        .ingested
        .problems
        .iter()
        .find(|p| p.is_error())
        .unwrap();
    assert!(
        p.message.contains("no sheet \"Svar\"") && p.message.contains("\"Sheet1\""),
        "{p}"
    );
}

#[test]
fn each_year_from_another_tool_by_file_globs() {
    let tmp = tempfile::tempdir().unwrap();
    let lime = fixture("formats").join("limesurvey-codes/2025/results-survey123.csv");
    let clean = fixture("formats").join("clean/2025/svar.csv");
    std::fs::create_dir_all(tmp.path().join("2024")).unwrap();
    std::fs::create_dir_all(tmp.path().join("2025")).unwrap();
    // the LimeSurvey export is dated 2025 inside; its folder says 2024 and
    // [[files]] sets the year, patterns and codes for that folder only
    std::fs::copy(&lime, tmp.path().join("2024/export.csv")).unwrap();
    std::fs::copy(&clean, tmp.path().join("2025/svar.csv")).unwrap();
    std::fs::write(
        tmp.path().join("mognad.toml"),
        format!(
            "model = {:?}\n[[files]]\nglob = \"2024/*.csv\"\ncolumns = {{ date = [], year = [] }}\nstatements = {{ patterns = [\"G01Q01[{{code}}]\"] }}\nanswers = {{ A1 = 1, A2 = 2, A3 = 3, A4 = 4, A5 = 5, A6 = 6, A7 = \"vet ej\" }}\n",
            fixture("formats").join("model.toml").to_string_lossy()
        ),
    )
    .unwrap();
    let loaded = read(&Options {
        input: tmp.path().to_path_buf(),
        ..Options::default()
    })
    .unwrap();
    let errors: Vec<String> = loaded
        .ingested
        .problems
        .iter()
        .filter(|p| p.is_error())
        .map(|p| p.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let years: Vec<Vec<i32>> = loaded
        .ingested
        .files
        .iter()
        .map(|f| f.years.clone())
        .collect();
    assert_eq!(years, [vec![2024], vec![2025]]);
    assert_eq!(loaded.ingested.answers.len(), 46);
}
