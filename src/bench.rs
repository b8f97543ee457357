//! `mognad bench`: the scale benchmark. Generates one of the two reference
//! inputs with `synth`, runs the whole pipeline on it and reports the time
//! per stage, the time per report and the peak memory of the process.
//! Run it from a release build; each case in its own process, so that the
//! peak memory is that case's.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::{Error, Result};
use crate::pipeline::{self, peak_memory, Options};
use crate::synth::{self, Spec};

/// The reference inputs of the benchmark.
pub fn spec(case: &str) -> Option<Spec> {
    match case {
        // one municipality: 1 500 respondents, 40 units, 3 years, 300 initiatives
        "municipality" => Some(Spec {
            orgs: 1,
            respondents: 1500,
            years: 3,
            seed: 1,
            units: Some(40),
            initiatives: 300,
            proposals: 0,
        }),
        // the municipality with a register of 500 initiatives and 20
        // proposals: `mognad brief` for one proposal and for all
        "brief" => Some(Spec {
            orgs: 1,
            respondents: 1500,
            years: 3,
            seed: 1,
            units: Some(40),
            initiatives: 500,
            proposals: 20,
        }),
        // every municipality and region
        "national" => Some(Spec {
            orgs: 300,
            respondents: 400,
            years: 3,
            seed: 1,
            units: None,
            initiatives: 18,
            proposals: 0,
        }),
        // the national case at the scale of every public organisation:
        // how time and memory grow with the input
        "country" => Some(Spec {
            orgs: 1000,
            ..spec("national")?
        }),
        _ => None,
    }
}

fn machine() -> String {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cores} cores, {cpu}")
}

/// Runs one case and returns the report as text.
pub fn run(case: &str, dir: Option<&Path>, jobs: Option<usize>) -> Result<String> {
    let spec = spec(case).ok_or_else(|| {
        Error::Usage(format!(
            "--case {case}: expected \"municipality\", \"national\", \"country\" or \"brief\""
        ))
    })?;
    let (root, temporary): (PathBuf, bool) = match dir {
        Some(d) => (d.to_path_buf(), false),
        None => (
            std::env::temp_dir().join(format!("mognad-bench-{}", std::process::id())),
            true,
        ),
    };
    let input = root.join("input");
    let output = root.join("output");
    if input.exists() {
        std::fs::remove_dir_all(&input).map_err(|e| Error::output(&input, e))?;
    }
    let started = Instant::now();
    let answers = synth::write(&input, &spec)?;
    let synth_time = started.elapsed();
    let opts = Options {
        input,
        output,
        jobs,
        ..Options::default()
    };
    if case == "brief" {
        let text = briefs(&opts, &spec, answers);
        if temporary {
            let _ = std::fs::remove_dir_all(&root);
        }
        return text;
    }
    let started = Instant::now();
    let outcome = pipeline::run(&opts);
    let total = started.elapsed();
    let peak = peak_memory();
    if temporary {
        let _ = std::fs::remove_dir_all(&root);
    }
    let outcome = outcome?;
    let reports: usize = outcome.years.iter().map(|y| y.reports).sum();
    let failed: usize = outcome.years.iter().map(|y| y.failed.len()).sum();
    let t = outcome.timings;
    let secs = |d: std::time::Duration| d.as_secs_f64();
    let mut text = String::new();
    let line = |text: &mut String, s: String| {
        text.push_str(&s);
        text.push('\n');
    };
    line(&mut text, format!("case            {case}"));
    line(
        &mut text,
        format!(
            "input           {} organisation(s) x {} respondents x {} years, {} answers, {} initiatives",
            spec.orgs, spec.respondents, spec.years, answers, spec.initiatives
        ),
    );
    line(&mut text, format!("machine         {}", machine()));
    line(
        &mut text,
        format!(
            "jobs            {}",
            jobs.map_or("every core".to_string(), |j| j.to_string())
        ),
    );
    line(
        &mut text,
        format!("synth           {:.2} s (not counted)", secs(synth_time)),
    );
    line(&mut text, format!("read            {:.2} s", secs(t.read)));
    line(
        &mut text,
        format!("analyse         {:.2} s", secs(t.analyse)),
    );
    line(
        &mut text,
        format!("render+publish  {:.2} s", secs(t.render)),
    );
    line(&mut text, format!("whole run       {:.2} s", secs(total)));
    line(
        &mut text,
        format!("reports         {reports} written, {failed} failed"),
    );
    if reports > 0 {
        line(
            &mut text,
            format!(
                "per report      {:.1} ms wall (render+publish / reports)",
                1000.0 * secs(t.render) / reports as f64
            ),
        );
    }
    let mib = |b: Option<u64>| {
        b.map_or("unknown".to_string(), |b| {
            format!("{:.0} MiB", b as f64 / (1024.0 * 1024.0))
        })
    };
    line(
        &mut text,
        format!(
            "peak memory     {} (after reading {}, after analysing {})",
            mib(peak),
            mib(t.peak_memory[0]),
            mib(t.peak_memory[1])
        ),
    );
    Ok(text)
}

/// The brief case: `mognad brief` for the first proposal alone, then for
/// every proposal, each timed from the input folder to the PDFs written
/// (the survey read and analysed each time).
fn briefs(opts: &Options, spec: &Spec, answers: usize) -> Result<String> {
    let first = format!("P{}-00", 2025 + 1);
    let mut timed = Vec::new();
    for ids in [vec![first], Vec::new()] {
        let brief = pipeline::BriefOptions {
            run: opts.clone(),
            ids,
            date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1),
            ..pipeline::BriefOptions::default()
        };
        let started = Instant::now();
        let outcome = pipeline::brief(&brief)?;
        timed.push((outcome.written.len(), started.elapsed().as_secs_f64()));
    }
    let mut text = String::new();
    text.push_str("case            brief\n");
    text.push_str(&format!(
        "input           1 organisation x {} respondents x {} years, {answers} answers, {} initiatives, {} proposals\n",
        spec.respondents, spec.years, spec.initiatives, spec.proposals
    ));
    text.push_str(&format!("machine         {}\n", machine()));
    for (n, secs) in timed {
        text.push_str(&format!(
            "brief           {n} proposal(s): {secs:.2} s (read, analyse, render, write)\n"
        ));
    }
    text.push_str(&format!(
        "peak memory     {:.0} MiB\n",
        peak_memory().unwrap_or(0) as f64 / (1024.0 * 1024.0)
    ));
    Ok(text)
}
