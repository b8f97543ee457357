//! `mognad bench`: the scale benchmark. Generates one of the two reference
//! inputs with `synth`, runs the whole pipeline on it and reports the time
//! per stage, the time per report and the peak memory of the process.
//! Run it from a release build; each case in its own process, so that the
//! peak memory is that case's.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use std::sync::{Arc, Mutex};

use crate::error::{Error, IoContext, Result};
use crate::pipeline::{self, Observer, Options, Stage};
use crate::synth::{self, Spec};

/// This process's CPU time (user and system, every thread) and peak
/// resident memory so far, from the operating system (`getrusage`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    /// CPU time so far.
    pub cpu: Duration,
    /// Peak resident memory so far, in bytes.
    pub peak: u64,
}

impl Usage {
    /// Now; `None` where the system does not tell.
    pub fn now() -> Option<Usage> {
        #[cfg(unix)]
        {
            // SAFETY: getrusage fills the struct it is given, nothing else
            let mut r: libc::rusage = unsafe { std::mem::zeroed() };
            if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut r) } != 0 {
                return None;
            }
            let time = |t: libc::timeval| {
                Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
            };
            Some(Usage {
                cpu: time(r.ru_utime) + time(r.ru_stime),
                // kibibytes on Linux
                peak: r.ru_maxrss as u64 * 1024,
            })
        }
        #[cfg(not(unix))]
        None
    }
}

/// A run's stages as `mognad bench` measures them: wall time, CPU time and
/// the peak memory at the end of each, listening to the pipeline.
#[derive(Debug, Default)]
pub struct Meter {
    marks: Mutex<Vec<(Instant, Option<Usage>)>>,
}

/// One stage as measured.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    /// Wall time.
    pub wall: Duration,
    /// CPU time, every thread.
    pub cpu: Option<Duration>,
    /// The process's peak memory at the stage's end, in bytes.
    pub peak: Option<u64>,
}

impl Observer for Meter {
    fn started(&self) {
        self.mark();
    }

    fn finished(&self, _stage: Stage) {
        self.mark();
    }
}

impl Meter {
    fn mark(&self) {
        let mark = (Instant::now(), Usage::now());
        self.marks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(mark);
    }

    /// The stages measured so far: read, analyse, render, each from the
    /// previous mark (the run's start for the first).
    pub fn stages(&self) -> Vec<Measured> {
        let marks = self.marks.lock().unwrap_or_else(|e| e.into_inner());
        marks
            .windows(2)
            .map(|w| {
                let ((t0, u0), (t1, u1)) = (w[0], w[1]);
                Measured {
                    wall: t1 - t0,
                    cpu: u0.zip(u1).map(|(a, b)| b.cpu.saturating_sub(a.cpu)),
                    peak: u1.map(|u| u.peak),
                }
            })
            .collect()
    }
}

fn cpu_time() -> Option<Duration> {
    Usage::now().map(|u| u.cpu)
}

fn peak_memory() -> Option<u64> {
    Usage::now().map(|u| u.peak)
}

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
    let (root, temporary) = workspace(dir)?;
    let (input, output) = (root.join("input"), root.join("output"));
    let started = Instant::now();
    let answers = synth::write(&input, &spec)?;
    let synth_time = started.elapsed();
    let meter = Arc::new(Meter::default());
    let opts = Options {
        input,
        output,
        jobs,
        observer: Some(meter.clone()),
        ..Options::default()
    };
    if case == "brief" {
        let text = briefs(&opts, &spec, answers);
        if temporary {
            let _ = std::fs::remove_dir_all(&root);
        }
        return text;
    }
    // the run's own peak memory, not the generator's: the peak is reset
    // to the resident memory at the start, which it then is
    // (without the reset, the read stage's rise is not told)
    let resident = reset_peak_memory().then(peak_memory).flatten();
    let started = Instant::now();
    let cpu_before = cpu_time();
    let outcome = pipeline::run(&opts);
    let cpu = cpu_time().zip(cpu_before).map(|(a, b)| a - b);
    // the first run's stages (the web edition's runs below measure too)
    let measured = meter.stages();
    let total = started.elapsed();
    let peak = peak_memory();
    // typst alone on the same reports, for the municipality (the national
    // case's reports are the same kinds, many more times)
    let alone = match (&outcome, case) {
        (Ok(o), "municipality") => {
            let years: Vec<i32> = o.years.iter().map(|y| y.year).collect();
            Some(typst_alone(&opts, &years))
        }
        _ => None,
    };
    // and what the web edition adds: the run with --html against the run
    // without, each timed twice in turn, the faster of each (wall, CPU)
    let web = match (&outcome, case) {
        (Ok(_), "municipality") => Some(web_cost(&opts, &root, (total, cpu))),
        _ => None,
    };
    if temporary {
        let _ = std::fs::remove_dir_all(&root);
    }
    let outcome = outcome?;
    let web = web.transpose()?;
    let reports: usize = outcome.years.iter().map(|y| y.reports).sum();
    let failed: usize = outcome.years.iter().map(|y| y.failed.len()).sum();
    let [read, analyse, render] = match measured[..] {
        [a, b, c] => [a, b, c],
        _ => {
            return Err(Error::internal(
                "the benchmark",
                "a run without three stages",
            ))
        }
    };
    let mib = |b: Option<u64>| b.map_or("unknown".to_string(), |b| format!("{:.0} MiB", mib(b)));
    let jobs = jobs.map_or("every core".to_string(), |j| j.to_string());
    let mut lines = vec![
        format!("case            {case}"),
        format!(
            "input           {} organisation(s) x {} respondents x {} years, {} answers, {} initiatives",
            spec.orgs, spec.respondents, spec.years, answers, spec.initiatives
        ),
        format!("machine         {}", machine()),
        format!("jobs            {jobs}"),
        format!("synth           {:.2} s (not counted)", secs(synth_time)),
        format!("read            {}", stage(read.wall, read.cpu)),
        format!("analyse         {}", stage(analyse.wall, analyse.cpu)),
        format!("render+publish  {}", stage(render.wall, render.cpu)),
        format!("whole run       {:.2} s", secs(total)),
        format!("reports         {reports} written, {failed} failed"),
    ];
    if reports > 0 {
        lines.push(format!(
            "per report      {:.1} ms wall (render+publish / reports)",
            1000.0 * secs(render.wall) / reports as f64
        ));
    }
    lines.push(format!(
        "peak memory     {} (the run's own; after reading {}, after analysing {})",
        mib(peak),
        mib(read.peak),
        mib(analyse.peak)
    ));
    lines.extend(read_memory(resident, read.peak, answers));
    if let Some(web) = web {
        lines.push(web_line(web));
    }
    // mognad's CPU: the web line's figure without --html, the less of the
    // run above and a second one
    let cpu = match web {
        Some((_, Some([without, _]))) => Some(without),
        _ => cpu,
    };
    if let (Some(alone), Some(cpu)) = (alone, cpu) {
        lines.extend(against_typst_alone(&alone?, cpu, reports));
    }
    let text = lines.join("\n") + "\n";
    Ok(text)
}

/// The folder the benchmark writes its input and output in: `dir`, or a
/// temporary one (`true`) that is removed afterwards. A generated input
/// left by an earlier benchmark is removed first.
fn workspace(dir: Option<&Path>) -> Result<(PathBuf, bool)> {
    let (root, temporary) = match dir {
        Some(d) => (d.to_path_buf(), false),
        None => (
            std::env::temp_dir().join(format!("mognad-bench-{}", std::process::id())),
            true,
        ),
    };
    let input = root.join("input");
    if input.exists() {
        std::fs::remove_dir_all(&input).at(&input)?;
    }
    Ok((root, temporary))
}

/// The lines comparing mognad's CPU per report (`cpu` for `reports`)
/// with typst alone's on the same reports.
fn against_typst_alone(alone: &Alone, cpu: Duration, reports: usize) -> Vec<String> {
    let per = |cpu: Duration, n: usize| 1000.0 * secs(cpu) / n.max(1) as f64;
    let (mognad, typst) = (per(cpu, reports), per(alone.cpu, alone.reports));
    vec![
        format!(
            "mognad CPU      {mognad:.1} ms per report (whole run's CPU time / reports, the less of two runs)"
        ),
        format!(
            "typst alone     {typst:.1} ms per report, {:.1} ms per page ({} reports' data as `templates export` writes it, {} pages, compiled by typst alone, one after another; the less of two rounds)",
            per(alone.cpu, alone.pages),
            alone.reports,
            alone.pages
        ),
        format!("ratio           {:.2}x typst alone's CPU", mognad / typst),
    ]
}

/// The read stage's line on memory: the rise of the peak over the
/// resident memory at the start (`start` and `read`, in bytes), per
/// answer.
fn read_memory(start: Option<u64>, read: Option<u64>, answers: usize) -> Option<String> {
    let (start, read) = (start?, read?);
    let rise = read.saturating_sub(start);
    Some(format!(
        "read memory     {:.0} MiB over {:.0} MiB at the start: {:.1} bytes per answer (the rise of peak memory over the read stage / answers)",
        mib(rise),
        mib(start),
        rise as f64 / answers.max(1) as f64
    ))
}

/// Seconds, for the lines.
fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Mebibytes, for the lines.
fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// A stage's line: its wall time, and its CPU time as a share of one
/// core (200 % is two cores busy throughout).
fn stage(wall: Duration, cpu: Option<Duration>) -> String {
    match cpu {
        Some(cpu) if !wall.is_zero() => format!(
            "{:.2} s, CPU {:.2} s ({:.0} %)",
            secs(wall),
            secs(cpu),
            100.0 * secs(cpu) / secs(wall)
        ),
        _ => format!("{:.2} s", secs(wall)),
    }
}

/// Resets the process's peak resident memory to its present size (Linux
/// 4.0 and later); whether it could.
fn reset_peak_memory() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// What the web edition adds to a run: ([wall without, wall with], [CPU
/// without, CPU with]), the faster of two runs each, without and with
/// --html in turn; the first run without is `first`.
fn web_cost(
    opts: &Options,
    root: &Path,
    first: (Duration, Option<Duration>),
) -> Result<([Duration; 2], Option<[Duration; 2]>)> {
    let with = Options {
        output: root.join("output-html"),
        html: true,
        ..opts.clone()
    };
    let timed = |o: &Options| -> Result<(Duration, Option<Duration>)> {
        let (started, cpu) = (Instant::now(), cpu_time());
        pipeline::run(o)?;
        Ok((started.elapsed(), cpu_time().zip(cpu).map(|(a, b)| a - b)))
    };
    let mut runs = [vec![first], Vec::new()];
    for _ in 0..2 {
        runs[1].push(timed(&with)?);
        if runs[0].len() < 2 {
            runs[0].push(timed(opts)?);
        }
    }
    let best = |r: &[(Duration, Option<Duration>)]| {
        let wall = r.iter().map(|x| x.0).min().unwrap_or_default();
        let cpu = r.iter().map(|x| x.1).min().flatten();
        (wall, cpu)
    };
    let ((w0, c0), (w1, c1)) = (best(&runs[0]), best(&runs[1]));
    Ok(([w0, w1], c0.zip(c1).map(|(a, b)| [a, b])))
}

/// The bench's line on what the web edition adds (see [`web_cost`]).
fn web_line(([without, with], cpus): ([Duration; 2], Option<[Duration; 2]>)) -> String {
    let more = |a: Duration, b: Duration| 100.0 * (secs(b) / secs(a) - 1.0);
    let cpu = match cpus {
        Some([a, b]) => format!(
            ", CPU {:.2} s against {:.2} s: +{:.0} %",
            secs(b),
            secs(a),
            more(a, b)
        ),
        None => String::new(),
    };
    format!(
        "web edition     whole run {:.2} s with --html against {:.2} s without: +{:.0} %{cpu} (an HTML file beside each PDF, and the index; the faster of two runs each)",
        secs(with),
        secs(without),
        more(without, with)
    )
}

/// typst alone on every report of the first organisation that the run
/// wrote (in `years`; the municipality case has one organisation): each
/// report's data written as `mognad templates export` writes it, then
/// compiled from those files by typst, without mognad, one after another.
/// Returns the number of reports, their pages and the CPU time of their
/// compilation, the less of two rounds.
fn typst_alone(opts: &Options, years: &[i32]) -> Result<Alone> {
    let loaded = pipeline::load(opts)?;
    let lang = crate::format::Lang::parse(&loaded.config.report.language)
        .unwrap_or(crate::format::Lang::Sv);
    let texts = crate::lang::Texts::new(lang);
    let mut templates: Vec<(String, Vec<u8>)> = crate::render::templates()
        .into_iter()
        .map(|(name, text)| (name, text.as_bytes().to_vec()))
        .collect();
    let logo = pipeline::logo_file(&loaded)?;
    if let Some((name, bytes)) = &logo {
        templates.push((name.to_string(), bytes.clone()));
    }
    let logo = logo.map(|(name, _)| name);
    let mut jobs = Vec::new();
    for &year in years {
        // every template reads the organisation report's data (its accent
        // colour), as beside an export
        let mut organisation = None;
        for (template, doc) in pipeline::documents(&loaded, &texts, year)? {
            let data = pipeline::report_data(&doc, logo)?;
            let mut files = templates.clone();
            if template == "organisation.typ" {
                organisation = Some(data.clone());
            } else if let Some(o) = &organisation {
                files.push(("organisation.json".to_string(), o.clone()));
            }
            files.push((template.replace(".typ", ".json"), data));
            jobs.push((template, files));
        }
    }
    drop(loaded);
    // typst's own timings of these compilations, for the templates' profile
    let mut trace = std::env::var_os("MOGNAD_TYPST_TIMINGS").map(std::path::PathBuf::from);
    if trace.is_some() {
        typst_timing::enable();
    }
    let mut rounds = Vec::new();
    for _ in 0..2 {
        let (before, mut pages) = (cpu_time(), 0);
        for (template, files) in &jobs {
            pages += crate::render::Renderer::compile_exported(files, template)?;
        }
        let cpu = cpu_time().zip(before).map(|(a, b)| a - b);
        // the trace is of the first round
        if let Some(path) = trace.take() {
            typst_timing::disable();
            crate::render::write_timings(&path)?;
        }
        let cpu = cpu.ok_or_else(|| Error::Internal("no CPU time from getrusage".into()))?;
        rounds.push((cpu, pages));
    }
    let (cpu, pages) = rounds.into_iter().min().unwrap_or_default();
    Ok(Alone {
        reports: jobs.len(),
        pages,
        cpu,
    })
}

/// typst alone on a run's reports (see [`typst_alone`]).
struct Alone {
    reports: usize,
    pages: usize,
    cpu: Duration,
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
        timed.push((outcome.written.len(), secs(started.elapsed())));
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
        mib(peak_memory().unwrap_or(0))
    ));
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_line_gives_its_cpu_as_a_share_of_one_core() {
        let ms = Duration::from_millis;
        assert_eq!(
            stage(ms(2000), Some(ms(3800))),
            "2.00 s, CPU 3.80 s (190 %)"
        );
        assert_eq!(stage(ms(500), Some(ms(400))), "0.50 s, CPU 0.40 s (80 %)");
        // no CPU figure, or no time to share it over
        assert_eq!(stage(ms(1250), None), "1.25 s");
        assert_eq!(stage(ms(0), Some(ms(10))), "0.00 s");
    }

    #[test]
    fn mognad_and_typst_alone_are_compared_per_report_and_per_page() {
        let alone = Alone {
            reports: 4,
            pages: 20,
            cpu: Duration::from_millis(400),
        };
        let lines = against_typst_alone(&alone, Duration::from_millis(500), 4);
        // 500 ms / 4 reports, 400 ms / 4 reports and / 20 pages, 125 / 100
        assert!(lines[0].starts_with("mognad CPU      125.0 ms per report"));
        assert!(lines[1].starts_with("typst alone     100.0 ms per report, 20.0 ms per page"));
        assert_eq!(lines[2], "ratio           1.25x typst alone's CPU");
    }

    #[test]
    fn the_read_stage_is_measured_by_the_rise_of_its_peak_per_answer() {
        let mib = 1024 * 1024;
        // 105 MiB over 50 MiB at the start: 110 100 480 bytes / 11 010 048
        // answers = 10 bytes an answer
        let line = read_memory(Some(50 * mib), Some(155 * mib), 11_010_048);
        assert_eq!(
            line.as_deref(),
            Some("read memory     105 MiB over 50 MiB at the start: 10.0 bytes per answer (the rise of peak memory over the read stage / answers)")
        );
        assert_eq!(read_memory(None, Some(mib), 1), None);
    }
}
