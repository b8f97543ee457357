//! Helpers shared by the integration tests: run the real binary, read CSV.
#![allow(dead_code)]

pub mod mail;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// One way to run the binary under test, a builder:
/// `mognad(["run"]).input(&i).output(&o).arg("--year").arg("2025").ok()`.
/// `MOGNAD_TEST_BIN` names another build (to show that a test fails on an
/// earlier one).
pub fn mognad<I, S>(args: I) -> Mognad
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = match std::env::var_os("MOGNAD_TEST_BIN") {
        Some(other) => Command::new(other),
        None => Command::new(env!("CARGO_BIN_EXE_mognad")),
    };
    cmd.args(args);
    Mognad { cmd }
}

/// A command line of the binary under test being built (see [`mognad`]).
pub struct Mognad {
    cmd: Command,
}

impl Mognad {
    /// `--input PATH`.
    pub fn input(mut self, path: impl AsRef<Path>) -> Self {
        self.cmd.arg("--input").arg(path.as_ref());
        self
    }

    /// `--output PATH`.
    pub fn output(mut self, path: impl AsRef<Path>) -> Self {
        self.cmd.arg("--output").arg(path.as_ref());
        self
    }

    /// One more argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.cmd.arg(arg);
        self
    }

    /// More arguments.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd.args(args);
        self
    }

    /// Runs in `dir` (where a relative `mognad.toml` or `input/` is found).
    pub fn dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    /// Sets an environment variable for the run.
    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.cmd.env(key, value);
        self
    }

    /// The command, to spawn it or pipe into it.
    pub fn command(self) -> Command {
        self.cmd
    }

    /// Runs and returns what the process did.
    pub fn run(mut self) -> Output {
        self.cmd.output().expect("the binary runs")
    }

    /// Runs and expects success.
    pub fn ok(self) -> Output {
        let o = self.run();
        assert!(o.status.success(), "mognad failed: {}", stderr(&o));
        o
    }

    /// Runs and returns the exit code.
    pub fn code(self) -> Option<i32> {
        self.run().status.code()
    }
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
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

/// A CSV file as rows of named fields, read with the `csv` crate (quoted
/// fields with commas, quotes and line breaks as any reader sees them).
pub fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            header
                .iter()
                .map(str::to_string)
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// A CSV file as rows of fields, the header row first.
pub fn read_rows(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
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
    mognad(["run"])
        .input(input)
        .output(&out)
        .args(extra)
        .dir(tmp.path())
        .ok();
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
    let o = mognad(["check"])
        .input(input)
        .args(["--write", dq.to_str().unwrap()])
        .dir(tmp.path())
        .run();
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
    let o = mognad(["templates", "export", "tpl"])
        .input(input)
        .dir(tmp.path())
        .run();
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
    let o = mognad([
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
    ])
    .dir(dir)
    .run();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = mognad(["run"])
        .input(&input)
        .output(&out)
        .arg("-q")
        .dir(dir)
        .run();
    assert!(o.status.success(), "{}", stderr(&o));
    (input, out)
}
