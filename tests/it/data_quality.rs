//! Each data problem `mognad check` finds, with the file, row and column
//! it names, and whether it is an error (exit 2) or a warning (exit 0).

use crate::common::*;
use serde_json::Value;

/// A copy of the small fixture: the folder that holds it, and the input.
fn small_input() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_tree(&fixture("small"), &input);
    (tmp, input)
}

/// Runs `check --write` on a copy of the small fixture whose answers are
/// `csv` (plus `extra_config` appended to mognad.toml); returns the exit
/// code and the problems of data-quality.json.
fn check(csv: &str, extra_config: &str) -> (i32, Vec<Value>) {
    let (code, json) = check_report(csv, extra_config);
    (code, json["problems"].as_array().unwrap().clone())
}

/// As [`check`], with the whole of data-quality.json.
fn check_report(csv: &str, extra_config: &str) -> (i32, Value) {
    let (_tmp, input) = small_input();
    std::fs::write(input.join("2025/svar.csv"), csv).unwrap();
    if !extra_config.is_empty() {
        let mut cfg = std::fs::read_to_string(input.join("mognad.toml")).unwrap();
        cfg.push_str(extra_config);
        std::fs::write(input.join("mognad.toml"), cfg).unwrap();
    }
    check_json(&input)
}

fn find<'a>(problems: &'a [Value], kind: &str) -> &'a Value {
    problems
        .iter()
        .find(|p| p["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {problems:#?}"))
}

const HEAD: &str = "respondent,enhet,roll,S1,S2,S3,S4\n";

fn rows(extra: &str) -> String {
    format!("{HEAD}a1,Alfa,Chef,6,5,4,3\na2,Alfa,Chef,4,2,3,2\n{extra}")
}

#[test]
fn duplicate_respondent_keeps_the_latest_submission() {
    let csv = "respondent,enhet,datum,S1,S2,S3,S4\n\
               a1,Alfa,2025-03-01,6,5,4,3\n\
               a2,Alfa,2025-03-01,4,2,3,2\n\
               a1,Alfa,2025-03-09,2,2,3,1\n";
    let (code, problems) = check(csv, "");
    assert_eq!(code, 0, "a duplicate is a warning");
    let p = find(&problems, "duplicate_respondent");
    assert_eq!(p["severity"], "warning");
    assert_eq!(p["file"], "2025/svar.csv");
    assert_eq!(p["row"], 2, "the earlier submission is the one left out");
    assert!(p["message"].as_str().unwrap().contains("row 4"), "{p}");
}

#[test]
fn straight_lining_is_flagged() {
    // five statements are needed to judge straight-lining: use the built-in model
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(input.join("2025")).unwrap();
    let codes = ["EF1", "EF2", "EF3", "EF4", "EF5", "IN1"];
    let mut text = format!("respondent,enhet,{}\n", codes.join(","));
    text.push_str("p1,Alfa,4,4,4,4,4,4\np2,Alfa,4,5,3,4,4,2\n");
    std::fs::write(input.join("2025/svar.csv"), text).unwrap();
    let (code, json) = check_json(&input);
    assert_eq!(code, 0);
    let problems = json["problems"].as_array().unwrap();
    let p = find(problems, "straight_lining");
    assert_eq!(
        (p["file"].as_str(), p["row"].as_u64()),
        (Some("2025/svar.csv"), Some(2))
    );
    assert_eq!(
        problems
            .iter()
            .filter(|p| p["kind"] == "straight_lining")
            .count(),
        1
    );
    // statements nobody answered are listed, each with its column
    let never: Vec<&str> = problems
        .iter()
        .filter(|p| p["kind"] == "never_answered")
        .map(|p| p["column"].as_str().unwrap())
        .collect();
    assert_eq!(never.len(), 30 - 6);
    assert!(never.contains(&"TE5"));
}

#[test]
fn empty_row_is_reported_with_its_row() {
    let (code, problems) = check(&rows("a3,Alfa,Chef,,,,\n"), "");
    assert_eq!(code, 0);
    let p = find(&problems, "empty_row");
    assert_eq!(
        (p["file"].as_str(), p["row"].as_u64()),
        (Some("2025/svar.csv"), Some(4))
    );
}

#[test]
fn unit_outside_the_unit_list_is_an_error() {
    let (code, problems) = check(
        &rows("a3,Alfaa,Chef,1,2,3,4\n"),
        "[units]\nlist = [\"Alfa\", \"Beta\"]\n",
    );
    assert_eq!(code, 2);
    let p = find(&problems, "unknown_unit");
    assert_eq!(p["severity"], "error");
    assert_eq!(
        (p["file"].as_str(), p["row"].as_u64()),
        (Some("2025/svar.csv"), Some(4))
    );
    assert!(p["message"].as_str().unwrap().contains("\"Alfaa\""));
}

#[test]
fn unit_aliases_merge_spellings() {
    let (code, problems) = check(
        &rows("a3,alfa förv.,Chef,1,2,3,4\n"),
        "[units]\nlist = [\"Alfa\"]\naliases = { \"Alfa förv.\" = \"Alfa\" }\n",
    );
    assert_eq!(code, 0, "{problems:#?}");
}

#[test]
fn statement_never_answered_names_the_statement() {
    let (code, problems) = check(
        &format!("{HEAD}a1,Alfa,Chef,6,5,4,\na2,Alfa,Chef,4,2,3,\n"),
        "",
    );
    assert_eq!(code, 0);
    let p = find(&problems, "never_answered");
    assert_eq!(p["column"], "S4");
    assert_eq!(p["file"], "2025/svar.csv");
}

#[test]
fn every_bad_cell_is_listed_not_only_the_first() {
    let (code, problems) = check(&rows("a3,Alfa,Chef,9,Ja,3,4\n"), "");
    assert_eq!(code, 2);
    let out = find(&problems, "out_of_range");
    assert_eq!(
        (out["row"].as_u64(), out["column"].as_str()),
        (Some(4), Some("S1"))
    );
    let unknown = find(&problems, "unknown_answer");
    assert_eq!(
        (unknown["row"].as_u64(), unknown["column"].as_str()),
        (Some(4), Some("S2"))
    );
}

#[test]
fn statement_like_column_missing_from_the_model() {
    let (code, problems) = check("respondent,enhet,S1,S2,S3,S4,S5\na1,Alfa,1,2,3,4,5\n", "");
    assert_eq!(code, 2);
    let p = find(&problems, "unknown_statement");
    assert_eq!(
        (p["row"].as_u64(), p["column"].as_str()),
        (Some(1), Some("S5"))
    );
}

#[test]
fn truncated_xlsx_is_a_clear_error() {
    let (tmp, input) = small_input();
    std::fs::remove_file(input.join("2025/svar.csv")).unwrap();
    let xlsx =
        std::fs::read(fixture("formats").join("msforms/2025/Digital mognad 2025.xlsx")).unwrap();
    std::fs::write(input.join("2025/svar.xlsx"), &xlsx[..xlsx.len() / 2]).unwrap();
    let o = mognad(["run"])
        .input(&input)
        .output(tmp.path().join("o"))
        .dir(tmp.path())
        .run();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("2025/svar.xlsx") && err.contains("Excel workbook"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn ragged_row_is_named() {
    let (code, problems) = check(&rows("a3,Alfa,Chef,1,2,3,4,5\n"), "");
    assert_eq!(code, 2);
    let p = find(&problems, "unreadable");
    assert_eq!(p["row"], 4);
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .contains("8 fields but the header has 7"),
        "{p}"
    );
}

#[test]
fn a_blank_line_at_the_end_is_not_a_response() {
    // LimeSurvey ends some exports with a blank line (seen in its public
    // test data): quoted fields, `;`, CRLF and a submitdate column.
    let csv = "\"id\";\"submitdate\";\"enhet\";\"S1\";\"S2\";\"S3\";\"S4\"\r\n\
               \"1\";\"2025-03-03 09:12:00\";\"Alfa\";\"6\";\"5\";\"4\";\"3\"\r\n\
               \"2\";\"2025-03-04 10:00:00\";\"Alfa\";\"4\";\"2\";\"3\";\"2\"\r\n\
               \"3\";\"\";\"Alfa\";\"4\";\"\";\"\";\"\"\r\n\
               \r\n";
    let (code, problems) = check(csv, "");
    assert_eq!(code, 0, "{problems:#?}");
    let p = find(&problems, "incomplete");
    assert!(
        p["message"].as_str().unwrap().starts_with("1 incomplete"),
        "only the response without a submit date is incomplete: {p}"
    );
    assert!(
        !problems.iter().any(|p| p["kind"] == "empty_row"),
        "a blank line is not an empty response: {problems:#?}"
    );
}

/// An export of `n` respondents (about 25 bytes a row), large enough to
/// be read in parts (a part is about a megabyte).
fn large_export(n: usize) -> String {
    let mut csv = HEAD.to_string();
    for i in 0..n {
        let v = 1 + i % 6;
        csv.push_str(&format!("p{i},Alfa,Chef,{v},{},4,3\n", 1 + (i + 1) % 6));
    }
    csv
}

#[test]
fn a_large_export_is_read_in_parts_as_a_whole() {
    // p0 answers again in the last row, two parts after its first answer:
    // the later submission is kept
    let mut csv = large_export(60_000);
    assert!(csv.len() > 1_300_000, "{} bytes", csv.len());
    csv.push_str("p0,Alfa,Chef,1,1,2,2\n");
    let (code, json) = check_report(&csv, "");
    let problems = json["problems"].as_array().unwrap();
    assert_eq!(code, 0, "{problems:#?}");
    let p = find(problems, "duplicate_respondent");
    assert_eq!(p["row"], 2);
    assert!(p["message"].as_str().unwrap().contains("row 60002"), "{p}");
    let file = &json["files"][0];
    assert_eq!(
        (&file["rows"], &file["respondents"], &file["answers"]),
        (&60_001.into(), &60_000.into(), &240_000.into())
    );
}

#[test]
fn a_bad_row_in_a_later_part_leaves_the_whole_file_out() {
    // a value off the scale in the first part and a ragged row in the last:
    // the file is refused for its ragged row alone, as if read whole
    let mut csv = large_export(60_000).replacen("p1,Alfa,Chef,2,3,", "p1,Alfa,Chef,9,3,", 1);
    csv.push_str("p60000,Alfa,Chef,1,2,3,4,5\n");
    let (code, problems) = check(&csv, "");
    assert_eq!(code, 2);
    let errors: Vec<&Value> = problems
        .iter()
        .filter(|p| p["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        (&errors[0]["kind"], &errors[0]["row"]),
        (&"unreadable".into(), &60_002.into())
    );
}

#[test]
fn a_large_export_without_a_year_is_still_read_to_its_end() {
    // no year in the name nor in the file: that is the error, unless a later
    // part cannot be read at all, which is the file's problem as a whole
    let (_tmp, input) = small_input();
    std::fs::remove_dir_all(input.join("2025")).unwrap();
    let csv = large_export(60_000);
    std::fs::write(input.join("svar.csv"), &csv).unwrap();
    let (code, json) = check_json(&input);
    assert_eq!(code, 2);
    assert_eq!(json["problems"][0]["kind"], "no_year");
    assert_eq!(
        json["files"][0]["rows"], 60_000,
        "every part's rows counted"
    );
    std::fs::write(
        input.join("svar.csv"),
        format!("{csv}x,Alfa,Chef,1,2,3,4,5\n"),
    )
    .unwrap();
    let (code, json) = check_json(&input);
    assert_eq!(code, 2);
    let problems = json["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(
        (&problems[0]["kind"], &problems[0]["row"]),
        (&"unreadable".into(), &60_002.into())
    );
}

/// Units typed twice, differing only in letter case: one unit (the
/// spelling most respondents used), one report, and a warning that names
/// both spellings.
#[test]
fn units_that_differ_only_in_letter_case_are_one_unit() {
    let csv = format!(
        "{HEAD}a1,Alfa,Chef,6,5,4,3\na2,Alfa,Chef,4,2,3,2\na3,ALFA ,Chef,4,4,4,4\nb1,Beta,Chef,3,3,3,3\nb2,Beta,Chef,2,2,2,2\nb3,Beta,Chef,5,5,5,5\n"
    );
    let (code, problems) = check(&csv, "");
    assert_eq!(code, 0, "a warning");
    let p = find(&problems, "unit_spelling");
    let message = p["message"].as_str().unwrap();
    assert!(
        message.contains("\"Alfa\" (2)") && message.contains("\"ALFA\" (1)"),
        "{message}"
    );
    let (_tmp, input) = small_input();
    std::fs::write(input.join("2025/svar.csv"), csv).unwrap();
    let (_out_tmp, out) = run_ok(&input, &["-q"]);
    let rows = read_csv(&out.join("2025/indices.csv"));
    let units: std::collections::BTreeSet<&str> = rows
        .iter()
        .filter(|r| r["level"] == "total" && !r["unit"].is_empty())
        .map(|r| r["unit"].as_str())
        .collect();
    assert_eq!(units.into_iter().collect::<Vec<_>>(), ["Alfa", "Beta"]);
    let alfa = rows
        .iter()
        .find(|r| r["unit"] == "Alfa" && r["level"] == "total")
        .unwrap();
    assert_eq!(alfa["n"], "3");
}
