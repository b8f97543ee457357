//! Ingest benchmark: 1,000,020 answers (33,334 respondents x 30 statements)
//! in one semicolon-separated CSV, read by discovery + ingest.
//!
//! Run: `cargo bench --bench ingest` (release profile). Prints the best and
//! median of five runs; the target is under 2 seconds on 2 cores.

use std::time::Instant;

use mognad::pipeline::{read, Options};

fn main() {
    let respondents = 33_334;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let input = dir.path().join("input/2025");
    std::fs::create_dir_all(&input).unwrap();
    let model = mognad::model::Model::builtin();
    let codes: Vec<&str> = model.statements.iter().map(|s| s.code.as_str()).collect();
    let mut csv = format!("respondent;enhet;roll;{}\n", codes.join(";"));
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        // xorshift64*: deterministic, good enough for answers
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    for r in 0..respondents {
        csv.push_str(&format!("R{r:06};Enhet {};Roll {}", r % 40, r % 6));
        for _ in &codes {
            let x = next() % 20;
            let cell = if x == 0 {
                "vet ej".to_string()
            } else {
                (1 + x % 6).to_string()
            };
            csv.push(';');
            csv.push_str(&cell);
        }
        csv.push('\n');
    }
    std::fs::write(input.join("enkat.csv"), &csv).unwrap();
    let opts = Options {
        input: dir.path().join("input"),
        ..Options::default()
    };
    let mut times = Vec::new();
    let mut answers = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let loaded = read(&opts).expect("the generated input reads");
        times.push(start.elapsed().as_secs_f64());
        answers = loaded.ingested.answers.len();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "ingest: {answers} answers from a {:.1} MB CSV: best {:.3} s, median {:.3} s (target < 2 s)",
        csv.len() as f64 / 1e6,
        times[0],
        times[2]
    );
}
