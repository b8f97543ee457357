//! Bad input: one clear line naming the file (row, column) and what was
//! expected, exit code 2, and nothing written.

mod common;

use common::*;
use std::path::Path;

/// Runs on `input` and expects failure with code 2, no output folder, and
/// a message containing every one of `needles`.
fn expect_input_error(input: &Path, needles: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = run_in(
        tmp.path(),
        &[
            "run",
            "--input",
            input.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "exit code; stderr: {err}");
    assert!(!err.contains("panicked"), "panic: {err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    for n in needles {
        assert!(err.contains(n), "message lacks {n:?}: {err}");
    }
    assert!(
        !out.join("2025").exists(),
        "output written despite the error"
    );
}

/// A copy of the small fixture with `svar.csv` replaced.
fn with_answers(csv: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    std::fs::write(tmp.path().join("2025/svar.csv"), csv).unwrap();
    tmp
}

#[test]
fn missing_input_folder() {
    let tmp = tempfile::tempdir().unwrap();
    expect_input_error(&tmp.path().join("nowhere"), &["nowhere", "does not exist"]);
}

#[test]
fn empty_input_folder() {
    let tmp = tempfile::tempdir().unwrap();
    expect_input_error(tmp.path(), &["no survey exports found"]);
}

#[test]
fn file_without_recognisable_columns() {
    let t = with_answers("namn,adress\nAnna,Storgatan 1\n");
    expect_input_error(
        t.path(),
        &["2025/svar.csv", "row 1", "no recognisable columns", "S1"],
    );
}

#[test]
fn value_outside_the_scale() {
    let t = with_answers("respondent,enhet,S1,S2,S3,S4\na1,Alfa,6,5,4,3\na2,Alfa,4,7,3,2\n");
    expect_input_error(
        t.path(),
        &[
            "2025/svar.csv",
            "row 3",
            "column \"S2\"",
            "outside the scale 1-6",
        ],
    );
}

#[test]
fn unknown_statement_code() {
    let t = with_answers("respondent,enhet,S1,S2,S3,S4,S9\na1,Alfa,6,5,4,3,2\n");
    expect_input_error(
        t.path(),
        &["2025/svar.csv", "column \"S9\"", "no such statement"],
    );
}

#[test]
fn unknown_answer_label() {
    let t = with_answers("respondent,enhet,S1,S2,S3,S4\na1,Alfa,6,Stämmer helt,4,3\n");
    expect_input_error(
        t.path(),
        &["row 2", "column \"S2\"", "\"Stämmer helt\"", "vet ej"],
    );
}

#[test]
fn empty_file_and_header_only() {
    let t = with_answers("");
    expect_input_error(t.path(), &["2025/svar.csv", "empty"]);
    let t = with_answers("respondent,enhet,S1,S2,S3,S4\n");
    expect_input_error(t.path(), &["2025/svar.csv", "no rows"]);
}

#[test]
fn binary_junk_named_csv() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    std::fs::write(
        tmp.path().join("2025/svar.csv"),
        [0u8, 159, 146, 150, 0, 1, 2, 255],
    )
    .unwrap();
    expect_input_error(tmp.path(), &["2025/svar.csv", "binary"]);
}

#[test]
fn a_failed_run_leaves_the_previous_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_tree(&fixture("small"), &input);
    let out = tmp.path().join("out");
    let args = [
        "run",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    assert!(run_in(tmp.path(), &args).status.success());
    let before = snapshot(&out);
    std::fs::write(
        input.join("2025/svar.csv"),
        "respondent,enhet,S1\na1,Alfa,9\n",
    )
    .unwrap();
    let o = run_in(tmp.path(), &args);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(snapshot(&out), before, "the earlier output changed");
}

#[test]
fn unknown_config_key_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    std::fs::write(
        tmp.path().join("mognad.toml"),
        "model = \"model.toml\"\n[report]\nanonymity = 3\n",
    )
    .unwrap();
    expect_input_error(tmp.path(), &["mognad.toml", "anonymity"]);
}

#[test]
fn a_second_run_on_the_same_output_is_refused_while_the_first_holds_the_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // this test process stands in for a run that is still writing
    std::fs::write(out.join(".mognad.lock"), std::process::id().to_string()).unwrap();
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
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("another mognad run"), "{err}");
    assert!(!out.join("2025").exists());
    // once the lock is gone the run goes through, and leaves no lock behind
    std::fs::remove_file(out.join(".mognad.lock")).unwrap();
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
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join(".mognad.lock").exists());
}
