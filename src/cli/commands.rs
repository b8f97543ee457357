//! The commands' bodies: each turns its parsed arguments into a call of
//! the pipeline and prints what it did.

use super::*;

/// `mognad brief`: every brief written, or an error.
pub(super) fn brief(args: BriefArgs) -> Result<i32> {
    let quiet = args.quiet;
    let opts = pipeline::BriefOptions {
        run: Options {
            input: args.common.input,
            output: args.output,
            config: args.common.config,
            model: args.common.model,
            lang: args.lang,
            org: args.org,
            ..Options::default()
        },
        ids: args.ids,
        indices: args.indices,
        what_if: args.what_if,
        date: args.date,
    };
    let outcome = pipeline::brief(&opts)?;
    if !quiet {
        for path in &outcome.written {
            println!("{}", path.display());
        }
    }
    Ok(exit::OK)
}

/// `mognad run`: the exit code says whether every report was written.
pub(super) fn run(args: RunArgs) -> Result<i32> {
    let opts = Options {
        input: args.common.input,
        output: args.output,
        config: args.common.config,
        model: args.common.model,
        year: args.year,
        all_years: args.all_years,
        lang: args.lang,
        jobs: args.jobs,
        org: args.org,
        shard: args.shard,
        html: args.html,
        progress: Progress::new(!args.quiet),
        observer: None,
    };
    let started = std::time::Instant::now();
    let outcome = pipeline::run(&opts)?;
    if !args.quiet {
        print!("{}", summary(&outcome, started.elapsed()));
    }
    let failed: Vec<_> = outcome
        .years
        .iter()
        .flat_map(|o| o.failed.iter().map(move |f| (o.year, f)))
        .collect();
    for (year, f) in &failed {
        let what = f
            .report
            .unit
            .as_deref()
            .unwrap_or("the organisation report");
        eprintln!(
            "error: {year}: {}: {what}: {}",
            f.organisation, f.report.reason
        );
    }
    if let Some(why) = outcome.nothing_written() {
        eprintln!("error: {why}");
        return Ok(exit::SOME_FAILED);
    }
    Ok(if failed.is_empty() {
        exit::OK
    } else {
        exit::SOME_FAILED
    })
}

/// `mognad check`: the data-quality report, exit 2 on any error.
pub(super) fn check(args: CheckArgs) -> Result<i32> {
    let opts = Options {
        input: args.common.input,
        config: args.common.config,
        model: args.common.model,
        ..Options::default()
    };
    let loaded = pipeline::read(&opts)?;
    let report = crate::check::Report::new(&loaded);
    print!("{}", report.text());
    if let Some(dir) = args.write {
        report.write(&dir)?;
        println!(
            "written: {}, {}",
            dir.join("data-quality.json").display(),
            dir.join("data-quality.txt").display()
        );
    }
    Ok(if report.errors() > 0 {
        exit::INPUT
    } else {
        exit::OK
    })
}

/// `mognad init`: a config, the model and empty side files to fill in.
pub(super) fn init(dir: &std::path::Path, force: bool) -> Result<i32> {
    let config = crate::config::DEFAULT_CONFIG
        .replacen("# model = \"model.toml\"", "model = \"model.toml\"", 1)
        .replacen("name = \"\"", "name = \"Vår organisation\"", 1);
    let files: [(&str, &str); 4] = [
        ("mognad.toml", &config),
        ("model.toml", crate::model::DEFAULT_MODEL),
        (
            "initiativ.csv",
            "Id;Namn;Förvaltning;Status;Startdatum;Slutdatum;Budget;Stärker;Effektivitet-innovation;Operativ-strategisk;Intern-extern;År\n",
        ),
        ("mottagare.csv", "enhet;namn;e-post\n"),
    ];
    std::fs::create_dir_all(dir).at(dir)?;
    for (name, _) in &files {
        if dir.join(name).exists() && !force {
            return Err(Error::Usage(format!(
                "{} exists; pass --force to overwrite it",
                dir.join(name).display()
            )));
        }
    }
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).at(&path)?;
        println!("{}", path.display());
    }
    println!(
        "Put the survey exports in {}/<year>/ and run `mognad check --input {}`.",
        dir.display(),
        dir.display()
    );
    Ok(exit::OK)
}

/// `mognad templates export`: the templates, and the data of the input's
/// organisation report and first unit report (latest year) beside them.
pub(super) fn export_templates(
    dir: &std::path::Path,
    force: bool,
    input: &std::path::Path,
) -> Result<()> {
    let files = pipeline::template_files(input)?;
    std::fs::create_dir_all(dir).at(dir)?;
    for (name, _) in &files {
        let path = dir.join(name);
        if path.exists() && !force {
            return Err(Error::Usage(format!(
                "{} exists; pass --force to overwrite it",
                path.display()
            )));
        }
    }
    for (name, bytes) in &files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).at(parent)?;
        }
        std::fs::write(&path, bytes).at(&path)?;
        println!("{}", path.display());
    }
    if !input.is_dir() {
        println!(
            "No input folder {}: templates only. Pass --input DIR to write report data beside them for a preview with typst.",
            input.display()
        );
    }
    Ok(())
}

fn latest_year(output: &std::path::Path) -> Result<i32> {
    crate::publish::year_folders(output)
        .ok()
        .and_then(|years| years.last().copied())
        .ok_or_else(|| {
            Error::Usage(format!(
                "{}: no reports to send; run `mognad run --output {}` first",
                output.display(),
                output.display()
            ))
        })
}

pub(super) fn send(args: SendArgs) -> Result<i32> {
    let opts = crate::send::SendOptions {
        year: match args.year {
            Some(y) => y,
            None => latest_year(&args.output)?,
        },
        output: args.output,
        input: args.input,
        config: args.config,
        org: args.org,
        really_send: args.really_send,
        resend_changed: args.resend_changed,
        only: args.only,
        to_test: args.to_test,
    };
    let prepared = crate::send::prepare(&opts)?;
    print!("{}", prepared.table());
    for w in &prepared.warnings {
        eprintln!("warning: {w}");
    }
    let going = prepared.plan.iter().filter(|p| p.status.goes_out()).count();
    if !opts.really_send {
        let outcome = crate::send::write_outbox(&prepared, &opts)?;
        println!(
            "{} message(s) written to {} for review; nothing was sent. Send them with --really-send.",
            outcome.written,
            prepared.outbox().display()
        );
        return Ok(exit::OK);
    }
    let outcome = crate::send::send(&prepared, &opts)?;
    println!(
        "{} of {going} message(s) sent; log: {}",
        outcome.sent,
        crate::send::log_path(&opts.output, opts.year).display()
    );
    for r in &outcome.refused {
        eprintln!("error: {r}");
    }
    if let Some(why) = &outcome.stopped {
        eprintln!("error: {why}");
    }
    Ok(if outcome.refused.is_empty() && outcome.stopped.is_none() {
        exit::OK
    } else {
        exit::SOME_FAILED
    })
}

/// The closing summary of a run.
fn summary(outcome: &RunOutcome, took: std::time::Duration) -> String {
    let mut text = String::new();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    for y in &outcome.years {
        text.push_str(&format!(
            "{}: {} written to {}",
            y.year,
            plural(y.reports, "report", "reports"),
            y.folder.display()
        ));
        if y.units_without_report > 0 {
            text.push_str(&format!(
                "; {} suppressed (no report, see manifest.json)",
                plural(y.units_without_report, "unit", "units")
            ));
        }
        if !y.failed.is_empty() {
            text.push_str(&format!(
                "; {} FAILED",
                plural(y.failed.len(), "report", "reports")
            ));
        }
        text.push('\n');
    }
    text.push_str(&format!("done in {:.1} s", took.as_secs_f64()));
    if outcome.warnings > 0 {
        text.push_str(&format!(
            "; {} in the input (`mognad check` lists them)",
            plural(outcome.warnings, "warning", "warnings")
        ));
    }
    text.push('\n');
    text
}

impl From<clap::Error> for Error {
    fn from(e: clap::Error) -> Self {
        Error::Usage(e.to_string())
    }
}
