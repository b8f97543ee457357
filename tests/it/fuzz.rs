//! A fuzz harness on stable Rust: arbitrary and mutated bytes for the
//! readers of untrusted input (CSV survey exports through the whole ingest,
//! Excel workbooks, mognad.toml, model.toml), for a bounded time each.
//!
//! Every input must give a value or an error, never a panic. A panicking
//! input is saved under `target/fuzz-crashes/` and the test fails naming it.
//!
//! Time per reader: `MOGNAD_FUZZ_SECONDS` (default 3, as CI runs it). For a
//! long run: `MOGNAD_FUZZ_SECONDS=600 cargo test --release --test fuzz`.
//! `MOGNAD_FUZZ_SEED` changes the random sequence.

use std::io::{Read, Write};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mognad::config::Config;
use mognad::model::Model;
use mognad::synth::Rng;

/// Tokens that matter to the readers, spliced in by the mutator.
const TOKENS: &[&[u8]] = &[
    b",",
    b";",
    b"\t",
    b"\"",
    b"\"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b"\0",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xe5",
    b"\xc3\xa5",
    b"vet ej",
    b"-1",
    b"7",
    b"2.5",
    b"3,5",
    b"1e308",
    b"NaN",
    b"-0",
    b"2099-12-31",
    b"2025",
    b"=",
    b"[",
    b"]",
    b"[[",
    b"{",
    b"}",
    b"= \"",
    b"weight = ",
    b"[[dimensions]]",
    b"[[categories]]",
    b"[[statements]]",
    b"code = \"X\"",
    b"\"\"\"",
    b"respondent",
    b"enhet",
    b"organisation",
    b"year",
    b"<",
    b"/>",
    b"<c r=\"XFD1048576\">",
    b"<v>",
    b"</v>",
    b"&amp;",
    b"99999999999999999999",
];

fn mutate(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8], max_len: usize) {
    for _ in 0..1 + rng.below(6) {
        let len = data.len();
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = rng.next() as u8;
            }
            2 => {
                let i = rng.below(len + 1);
                data.insert(i, rng.next() as u8);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                data.drain(i..i + n);
            }
            4 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(256));
                let chunk = data[i..i + n].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, chunk);
            }
            5 | 6 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                let i = rng.below(len + 1);
                data.splice(i..i, t.iter().copied());
            }
            7 if len > 0 => data.truncate(rng.below(len)),
            8 if !other.is_empty() => {
                let i = rng.below(other.len());
                let n = 1 + rng.below((other.len() - i).min(512));
                let at = rng.below(len + 1);
                data.splice(at..at, other[i..i + n].iter().copied());
            }
            _ => {}
        }
    }
    data.truncate(max_len);
}

fn budget() -> Duration {
    let secs = std::env::var("MOGNAD_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(3.0);
    Duration::from_secs_f64(secs)
}

fn seed() -> u64 {
    std::env::var("MOGNAD_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6d6f_676e_6164)
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
}

fn corpus(ext: &str) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files_under(&root.join("tests/fixtures"), ext, &mut paths);
    files_under(&root.join("input"), ext, &mut paths);
    if ext == "toml" {
        files_under(&root.join("src/defaults"), ext, &mut paths);
    }
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// Feeds mutated corpus entries (and now and then pure noise) to `target`
/// until the time is up; panics name the saved input.
fn fuzz(name: &str, seeds: Vec<Vec<u8>>, max_len: usize, mut target: impl FnMut(&mut Rng, &[u8])) {
    assert!(!seeds.is_empty(), "{name}: no seed files");
    let mut rng = Rng(seed() ^ name.len() as u64);
    let started = Instant::now();
    let mut runs = 0u64;
    // quiet the default hook: a panic is reported once, below
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut crash = None;
    while started.elapsed() < budget() || runs < 20 {
        let base = &seeds[rng.below(seeds.len())];
        let other = &seeds[rng.below(seeds.len())];
        let input = if rng.below(20) == 0 {
            (0..rng.below(2048)).map(|_| rng.next() as u8).collect()
        } else {
            let mut d = base.clone();
            mutate(&mut rng, &mut d, other, max_len);
            d
        };
        let mut inner = Rng(rng.next());
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| target(&mut inner, &input)));
        runs += 1;
        if let Err(payload) = outcome {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            crash = Some((input, message));
            break;
        }
    }
    std::panic::set_hook(hook);
    if let Some((input, message)) = crash {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!(
            "{name}-{}.bin",
            &{
                use sha2::Digest as _;
                format!("{:x}", sha2::Sha256::digest(&input))
            }[..16]
        ));
        std::fs::write(&path, &input).unwrap();
        panic!(
            "{name}: the reader panicked ({message}) on {}",
            path.display()
        );
    }
    eprintln!(
        "fuzz {name}: {runs} inputs in {:.1} s, no panic",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn csv_exports_through_the_whole_ingest() {
    let model = Model::builtin();
    let small =
        Model::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/small/model.toml"))
            .unwrap();
    let config = Config::builtin();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("2025")).unwrap();
    let path = tmp.path().join("2025/svar.csv");
    fuzz("csv", corpus("csv"), 64 << 10, |rng, bytes| {
        std::fs::write(&path, bytes).unwrap();
        let file = mognad::discover::SurveyFile {
            path: path.clone(),
            relative: "2025/svar.csv".into(),
            year_from_name: Some(2025),
        };
        let model = if rng.below(2) == 0 { &model } else { &small };
        if let Ok(ingested) = mognad::ingest::ingest(&[file], model, &config) {
            if !ingested.problems.iter().any(|p| p.is_error()) && !ingested.answers.is_empty() {
                let _ = mognad::analyse::analyse(
                    &ingested.answers,
                    model,
                    1 + rng.below(5),
                    &mognad::analyse::Population::default(),
                );
            }
        }
    });
}

/// The members of a zip archive.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

fn rezip(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in members {
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn excel_workbooks() {
    let seeds = corpus("xlsx");
    let unpacked: Vec<Vec<(String, Vec<u8>)>> = seeds.iter().map(|s| unzip(s)).collect();
    let limits = mognad::config::Limits::default();
    fuzz("xlsx", seeds, 1 << 20, |rng, bytes| {
        // half the time: raw bytes (zip structure); else a valid zip whose
        // XML is mutated (the workbook structure)
        let input = if rng.below(2) == 0 {
            bytes.to_vec()
        } else {
            let mut members = unpacked[rng.below(unpacked.len())].clone();
            if !members.is_empty() {
                let i = rng.below(members.len());
                let other = members[rng.below(members.len())].1.clone();
                mutate(rng, &mut members[i].1, &other, 1 << 20);
            }
            rezip(&members)
        };
        let _ = mognad::ingest::read_sheet(&input, "2025/svar.xlsx", None, &limits);
    });
}

#[test]
fn config_files() {
    let origin = Path::new("fuzz/mognad.toml");
    fuzz("config", corpus("toml"), 64 << 10, |_, bytes| {
        let _ = Config::parse(&String::from_utf8_lossy(bytes), origin);
    });
}

#[test]
fn model_files() {
    let origin = Path::new("fuzz/model.toml");
    fuzz("model", corpus("toml"), 64 << 10, |_, bytes| {
        if let Ok(model) = Model::parse(&String::from_utf8_lossy(bytes), origin) {
            let _ = model.to_toml();
        }
    });
}
