//! Real exports of survey tools, as the tools wrote them (sources and
//! licences in tests/fixtures/wild/README.md). Each is read with a config
//! that says only which questions are which statements (and the unit
//! column, the scale and the year where the file cannot say): `check`
//! accepts it, and `run` writes statement indices equal to those computed
//! here from the file itself.

use crate::common::*;
use std::collections::BTreeMap;

/// What a test reads from an export: per statement code, the answers kept,
/// on the survey's scale (`None` for a blank or a don't-know).
type Expected = BTreeMap<&'static str, Vec<f64>>;

/// Runs `check` and `run` on a wild fixture and compares the statement
/// indices of `year` with those of `answers` on the scale `lo..=hi`.
fn reads_as_computed(tool: &str, year: &str, (lo, hi): (f64, f64), answers: Expected) {
    let input = fixture("wild").join(tool);
    let (code, json) = check_json(&input);
    assert_eq!(code, 0, "{tool}: check: {json:#}");
    assert_eq!(errors(&json).len(), 0);
    let (_tmp, out) = run_ok(&input, &[]);
    let rows = read_csv(&out.join(year).join("indices.csv"));
    for (code, values) in &answers {
        let row = rows
            .iter()
            .find(|r| r["level"] == "statement" && r["unit"].is_empty() && r["key"] == *code)
            .unwrap_or_else(|| panic!("{tool}: no row for {code}"));
        let n = values.len();
        assert_eq!(row["n"], n.to_string(), "{tool} {code}: n");
        let expected = values
            .iter()
            .map(|v| (v - lo) / (hi - lo) * 100.0)
            .sum::<f64>()
            / n as f64;
        let found: f64 = row["index"].parse().unwrap();
        assert!(
            (found - expected).abs() < 1e-9,
            "{tool} {code}: index {found}, computed {expected}"
        );
    }
}

/// The problems of a data-quality report that are errors.
fn errors(json: &serde_json::Value) -> Vec<&serde_json::Value> {
    json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == "error")
        .collect()
}

/// The first problem of a kind in a data-quality report, and its message.
fn problem<'a>(json: &'a serde_json::Value, kind: &str) -> (&'a serde_json::Value, &'a str) {
    let p = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} problem: {json:#}"));
    (p, p["message"].as_str().unwrap())
}

/// The rows of a CSV export as text cells (the csv crate).
fn rows(tool: &str, file: &str) -> Vec<Vec<String>> {
    read_rows(&fixture("wild").join(tool).join(file))
}

/// The answers of the data rows (from `first`) in the columns whose
/// header in row `header_row` is each of `columns`, mapped by `value`.
fn gather(
    rows: &[Vec<String>],
    header_row: usize,
    first: usize,
    columns: &[(&str, &'static str)],
    keep: impl Fn(&[String]) -> bool,
    value: impl Fn(&str) -> Option<f64>,
) -> Expected {
    let mut out = Expected::new();
    for (header, code) in columns {
        let c = rows[header_row]
            .iter()
            .position(|h| h.trim() == *header)
            .unwrap_or_else(|| panic!("no column {header}"));
        let values = rows[first..]
            .iter()
            .filter(|r| keep(r))
            .filter_map(|r| value(r.get(c).map_or("", |v| v.trim())))
            .collect();
        out.insert(code, values);
    }
    out
}

#[test]
fn qualtrics_three_header_rows_and_a_five_point_agreement_scale() {
    let rows = rows("qualtrics", "0723qualtrics.csv");
    let scale = [
        "stronlgy disagree",
        "somewhat disagree",
        "neutral",
        "somewhat agree",
        "strongly agree",
    ];
    let value = |v: &str| scale.iter().position(|s| *s == v).map(|p| p as f64 + 1.0);
    let columns = [
        ("legitimacy_1_1", "EF1"),
        ("legitimacy_1_2", "EF2"),
        ("legitimacy_1_3", "EF3"),
        ("legitimacy_1_4", "EF4"),
        ("legitimacy_2_1", "IN1"),
        ("legitimacy_2_2", "IN2"),
        ("legitimacy_2_3", "IN3"),
        ("legitimacy_2_4", "IN4"),
    ];
    let answers = gather(&rows, 0, 3, &columns, |_| true, value);
    assert_eq!(answers["EF1"].len(), 12);
    reads_as_computed("qualtrics", "2021", (1.0, 5.0), answers);
    // the report says the survey's scale was mapped onto the model's
    let (_tmp, out) = run_ok(&fixture("wild/qualtrics"), &[]);
    let words = pdf_words(&first_pdf(&out.join("2021")));
    assert!(
        words.contains("Enkäten använde en skala från 1 till 5; svaren har räknats om linjärt till modellens skala från 1 till 6"),
        "{words}"
    );
    // the 22 statements the survey did not ask are one line of check's
    let o = mognad(["check"]).input(fixture("wild/qualtrics")).run();
    let out = String::from_utf8_lossy(&o.stdout);
    let never: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("nobody answered"))
        .collect();
    assert_eq!(never.len(), 1, "{out}");
    assert!(
        never[0].contains("statements EF5, IN5, BA1"),
        "{}",
        never[0]
    );
    assert!(never[0].contains("(22 statements;"), "{}", never[0]);
}

#[test]
fn qualtrics_legacy_label_row_and_reversed_codes() {
    let rows = rows("qualtrics-legacy", "No_Basis_for_Evaluation (Legacy).csv");
    // 1 "Like" is the best, 3 "Dislike" the worst, -1 "No opinion"
    let value = |v: &str| match v {
        "1" => Some(3.0),
        "2" => Some(2.0),
        "3" => Some(1.0),
        _ => None,
    };
    let columns = [
        ("Q3_1", "EF1"),
        ("Q3_2", "EF2"),
        ("Q3_3", "EF3"),
        ("Q3_4", "EF4"),
    ];
    let answers = gather(&rows, 0, 2, &columns, |_| true, value);
    // the label row is no respondent: 15 rows, 10 with an opinion on Q3_1
    assert_eq!(answers["EF1"].len(), 10);
    reads_as_computed("qualtrics-legacy", "2016", (1.0, 3.0), answers);
}

#[test]
fn surveymonkey_two_header_rows_and_matrix_rows_by_their_text() {
    let rows = rows(
        "surveymonkey",
        "SY21-22 End-of-Course Participant Feedback Survey.csv",
    );
    // "(5) Strongly agree": the number in brackets
    let value = |v: &str| v.strip_prefix('(')?.get(..1)?.parse::<f64>().ok();
    let columns = [
        (
            "I am satisfied with the overall quality of this course.",
            "EF1",
        ),
        ("I am satisfied with how the course was facilitated.", "EF2"),
        (
            "The strategies I’ve learned in the course are easy to implement.",
            "IN3",
        ),
    ];
    let answers = gather(&rows, 1, 2, &columns, |_| true, value);
    assert_eq!(answers["EF1"].len(), 23);
    reads_as_computed("surveymonkey", "2021", (1.0, 5.0), answers);
    // the site column is the unit: one unit, with a report of its own
    let (_tmp, out) = run_ok(&fixture("wild").join("surveymonkey"), &[]);
    let units: Vec<String> = read_csv(&out.join("2021/indices.csv"))
        .into_iter()
        .filter(|r| r["level"] == "total")
        .map(|r| r["unit"].clone())
        .collect();
    assert_eq!(units, ["", "Delaware Department of Education, DE"]);
}

#[test]
fn google_forms_timestamp_and_numbers_on_a_five_point_scale() {
    let rows = rows(
        "google-forms",
        "Parents Feedback (Responses) - Form Responses 1.csv",
    );
    let columns = [
        ("How satisfied are you with school", "EF1"),
        ("Schools focus on each student", "EF3"),
        ("Steps taken to spread awareness about mental health", "IN1"),
    ];
    let answers = gather(&rows, 0, 1, &columns, |_| true, |v| v.parse().ok());
    assert_eq!(answers["EF3"], [2.0, 1.0, 3.0]);
    reads_as_computed("google-forms", "2022", (1.0, 5.0), answers);
}

#[test]
fn limesurvey_workbook_with_a_fused_top_label() {
    use calamine::{Data, Reader, Xlsx};
    let path = fixture("wild").join("limesurvey/results-survey54231.xlsx");
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let range = book.worksheet_range("Artifact Evaluation Survey").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    let submitted = rows[0].iter().position(|h| h == "submitdate").unwrap();
    let value = |v: &str| match v {
        "Very helpful10" => Some(10.0),
        v => v.parse().ok(),
    };
    let answers = gather(
        &rows,
        0,
        1,
        &[("g2[SQ001]", "EF1")],
        |r| !r[submitted].trim().is_empty(),
        value,
    );
    assert!(answers["EF1"].contains(&10.0));
    reads_as_computed("limesurvey", "2019", (1.0, 10.0), answers);
}

#[test]
fn alchemer_partial_responses_left_out_and_labels_of_two_scales() {
    let rows = rows("alchemer", "20160115235816-SurveyExport.csv");
    let often = ["Less often than monthly", "Monthly", "Weekly", "Daily"];
    let years = ["Less than 1 year", "1 year", "2-5 years", "5+ years"];
    let value = |v: &str| {
        often
            .iter()
            .position(|s| *s == v)
            .or_else(|| years.iter().position(|s| *s == v))
            .map(|p| p as f64 + 1.0)
    };
    let status = rows[0].iter().position(|h| h == "Status").unwrap();
    let columns = [
        ("How often do you use Jupyter Notebook?", "EF1"),
        ("How many years have you been in this role?", "EF2"),
    ];
    let answers = gather(&rows, 0, 1, &columns, |r| r[status] == "Complete", value);
    reads_as_computed("alchemer", "2015", (1.0, 4.0), answers);
    // without [ingest] year, the survey over the new year is two, and
    // check says so
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("wild/alchemer"), tmp.path());
    let config = tmp.path().join("mognad.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("year = 2015\n", "")).unwrap();
    let (code, json) = check_json(tmp.path());
    assert_eq!(code, 0);
    let (_, message) = problem(&json, "split_years");
    assert!(message.contains("2015 (578), 2016 (195)"), "{message}");
    assert_eq!(json["files"][0]["years"], serde_json::json!([2015, 2016]));
}

/// The Qualtrics fixture with its line ends made `\r\r\n`, as a file
/// passed through Windows once more has them.
#[test]
fn a_stray_carriage_return_before_each_line_end_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("wild/qualtrics"), tmp.path());
    let file = tmp.path().join("0723qualtrics.csv");
    let text = std::fs::read(&file).unwrap();
    let mut doubled = Vec::new();
    for (i, b) in text.iter().enumerate() {
        if *b == b'\n' && i > 0 && text[i - 1] == b'\r' {
            doubled.push(b'\r');
        }
        doubled.push(*b);
    }
    assert!(doubled.windows(3).any(|w| w == b"\r\r\n"));
    std::fs::write(&file, doubled).unwrap();
    let o = mognad(["check"]).input(tmp.path()).run();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.contains("12 rows, 12 respondents, 96 answers"), "{out}");
}

/// The Qualtrics fixture without its scale mapping: the five labels, four
/// of which name points of the model's six by their English names, are
/// refused once, not fitted by name nor refused cell by cell.
#[test]
fn a_five_point_scale_is_refused_once_and_never_fitted_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("wild/qualtrics"), tmp.path());
    let config = tmp.path().join("mognad.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let mapping = text.split("\n[ingest]").next().unwrap();
    // the labels as the model spells them, to tempt a match by name
    let csv = tmp.path().join("0723qualtrics.csv");
    let answers = std::fs::read_to_string(&csv)
        .unwrap()
        .replace("stronlgy disagree", "Strongly disagree")
        .replace("somewhat disagree", "Somewhat disagree")
        .replace("somewhat agree", "Somewhat agree")
        .replace("strongly agree", "Strongly agree");
    std::fs::write(&csv, answers).unwrap();
    std::fs::write(&config, mapping).unwrap();
    let (code, json) = check_json(tmp.path());
    assert_eq!(code, 2);
    let errors = errors(&json);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let message = errors[0]["message"].as_str().unwrap();
    assert_eq!(errors[0]["kind"], "other_scale");
    for needle in ["5 labels", "\"neutral\"", "6 points", "[ingest] scale"] {
        assert!(message.contains(needle), "{needle}: {message}");
    }
}

/// Helper for the tests below: an input folder with one export and a
/// config.
fn input_with(file: &str, text: &str, config: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("2025")).unwrap();
    std::fs::write(tmp.path().join("2025").join(file), text).unwrap();
    std::fs::write(tmp.path().join("mognad.toml"), config).unwrap();
    tmp
}

/// A Qualtrics export's own question ids that the config does not map are
/// "not used", in one warning, not refused as unknown statement codes.
#[test]
fn a_tools_own_question_ids_are_not_used_without_a_word_each() {
    let mut text = String::from(
        "StartDate,EndDate,Status,Progress,Finished,RecordedDate,ResponseId,Q1,Q4,Q7_1,Q7_2\n\
         Start Date,End Date,Response Type,Progress,Finished,Recorded Date,Response ID,Enhet,Kommentar,Vi har en strategi,Vi mäter nyttan\n\
         \"{\"\"ImportId\"\":\"\"startDate\"\"}\",x,x,x,x,x,x,x,x,x,x\n",
    );
    for i in 0..6 {
        text.push_str(&format!(
            "2025-03-0{d} 10:00:00,2025-03-0{d} 10:05:00,0,100,True,2025-03-0{d} 10:05:00,R_{i},Skola,bra,{a},{b}\n",
            d = i + 1,
            a = 1 + i % 6,
            b = 6 - i % 6
        ));
    }
    let input = input_with(
        "qualtrics.csv",
        &text,
        "[columns]\nunit = \"Q1\"\n[statements.headers]\nQ7_1 = \"EF1\"\nQ7_2 = \"IN1\"\n",
    );
    let (code, json) = check_json(input.path());
    assert_eq!(code, 0, "{json:#}");
    let unused = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "ignored_column")
        .count();
    assert_eq!(unused, 1);
    let (_, message) = problem(&json, "ignored_column");
    assert!(message.contains("\"Q4\""), "{message}");
    assert_eq!(json["files"][0]["respondents"], 6);
    assert_eq!(json["files"][0]["tool"], "Qualtrics");
}

/// The same unknown label in many cells is one problem with the count and
/// the first places.
#[test]
fn the_same_problem_in_many_cells_is_said_once() {
    let mut text = String::from("enhet,EF1,EF2,EF3\n");
    for _ in 0..40 {
        text.push_str("Skola,4,Nästan,5\n");
    }
    let input = input_with("svar.csv", &text, "");
    let (code, json) = check_json(input.path());
    assert_eq!(code, 2);
    let errors = errors(&json);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0]["count"], 40);
    assert_eq!(errors[0]["row"], 2);
    assert_eq!(errors[0]["column"], "EF2");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("\"Nästan\""), "{message}");
    assert!(
        message.contains("40 times; first at row 2, column \"EF2\"; row 3"),
        "{message}"
    );
}

/// Numbers on only the lower part of the scale: a warning that says how to
/// give the survey's scale.
#[test]
fn numbers_on_part_of_the_scale_are_a_warning() {
    let mut text = String::from("enhet,EF1,EF2,EF3\n");
    for i in 0..40 {
        text.push_str(&format!(
            "Skola,{},{},{}\n",
            1 + i % 4,
            4 - i % 4,
            2 + i % 3
        ));
    }
    let input = input_with("svar.csv", &text, "");
    let (code, json) = check_json(input.path());
    assert_eq!(code, 0);
    let (_, message) = problem(&json, "part_of_scale");
    assert!(message.contains("[ingest] scale = [1, 4]"), "{message}");
}

/// A run in which every group is below the anonymity threshold writes no
/// report: it says why and exits 1, so that a scheduled run is noticed.
#[test]
fn a_run_that_writes_nothing_says_why_and_fails() {
    let input = input_with(
        "svar.csv",
        "enhet,EF1,EF2\nSkola,4,5\nSkola,3,2\nVård,5,5\n",
        "",
    );
    let tmp = tempfile::tempdir().unwrap();
    let o = mognad(["run"])
        .input(input.path())
        .output(tmp.path().join("out"))
        .dir(tmp.path())
        .run();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for needle in [
        "no report written",
        "3 respondent(s) in 2025",
        "anonymity_threshold",
    ] {
        assert!(err.contains(needle), "{needle}: {err}");
    }
}

/// `check` names the distribution list it read, with what it holds.
#[test]
fn check_lists_the_distribution_list() {
    let o = mognad(["check"]).input(input_sample()).run();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("mottagare.csv: distribution list; 11 address(es) for 9 unit(s) and the organisation report"),
        "{out}"
    );
}
