//! Helpers shared by the integration tests: run the real binary, read CSV.
#![allow(dead_code)]

pub mod mail;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary under test; `MOGNAD_TEST_BIN` names another build (to
/// show that a test fails on an earlier one).
pub fn bin() -> Command {
    match std::env::var_os("MOGNAD_TEST_BIN") {
        Some(other) => Command::new(other),
        None => Command::new(env!("CARGO_BIN_EXE_mognad")),
    }
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs `mognad` with `args` in `dir` and returns its output.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Copies a folder tree (for tests that change their input).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A CSV file as rows of named fields (simple: no quoted separators).
pub fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_string))
                .collect()
        })
        .collect()
}

/// The text of a PDF as a reader's copy-and-paste gives it (the
/// `pdf-extract` crate: text through the fonts' ToUnicode maps, a line per
/// baseline), so that a test finds what a person reads.
pub fn pdf_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    pdf_extract::extract_text_from_mem(&bytes)
        .unwrap_or_else(|e| panic!("cannot read the text of {}: {e}", path.display()))
}

/// The text of a PDF as one line of words (see [`pdf_text`]), so that a
/// phrase is found whatever line breaks the layout put in it.
pub fn pdf_words(path: &Path) -> String {
    pdf_text(path)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// All files under a folder with their bytes, by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
    }
    out
}

/// Runs `mognad run --input INPUT --output TMP/out [extra]` and expects
/// success; returns the temporary folder (keep it alive) and the output.
pub fn run_ok(input: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut args = vec![
        "run",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = run_in(tmp.path(), &args);
    assert!(o.status.success(), "run failed: {}", stderr(&o));
    (tmp, out)
}

/// The first PDF directly in a folder.
pub fn first_pdf(dir: &Path) -> PathBuf {
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    pdfs.into_iter().next().expect("a PDF")
}

/// Runs `mognad check --input INPUT --write TMP/dq` and returns the exit
/// code and the parsed data-quality.json.
pub fn check_json(input: &Path) -> (i32, serde_json::Value) {
    let tmp = tempfile::tempdir().unwrap();
    let dq = tmp.path().join("dq");
    let o = run_in(
        tmp.path(),
        &[
            "check",
            "--input",
            input.to_str().unwrap(),
            "--write",
            dq.to_str().unwrap(),
        ],
    );
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    let json =
        serde_json::from_slice(&std::fs::read(dq.join("data-quality.json")).unwrap()).unwrap();
    (o.status.code().unwrap(), json)
}

/// The sample municipality in input/.
pub fn input_sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("input")
}

/// The SHA-256 of `bytes` in lower-case hex, computed independently of
/// mognad's own helper.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The report models `templates export --input INPUT` writes (what the
/// templates receive): the organisation report's and one unit report's
/// (`null` when there is none).
pub fn exported_reports(input: &Path) -> (serde_json::Value, serde_json::Value) {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_in(
        tmp.path(),
        &[
            "templates",
            "export",
            "tpl",
            "--input",
            input.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let read = |f: &str| -> serde_json::Value {
        match std::fs::read(tmp.path().join("tpl").join(f)) {
            Ok(bytes) => {
                serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["report"].clone()
            }
            Err(_) => serde_json::Value::Null,
        }
    };
    (read("organisation.json"), read("unit.json"))
}

/// A synthetic national input in `dir` (16 organisations of 12 respondents
/// in 2 units each, `years` years, with its organisations file and
/// registers) and its run: (input, output).
pub fn synth_and_run(dir: &Path, years: &str) -> (PathBuf, PathBuf) {
    let (input, out) = (dir.join("input"), dir.join("out"));
    let o = run_in(
        dir,
        &[
            "synth",
            "--orgs",
            "16",
            "--respondents",
            "12",
            "--years",
            years,
            "--units",
            "2",
            "--out",
            input.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run_in(
        dir,
        &[
            "run",
            "--input",
            input.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "-q",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    (input, out)
}
