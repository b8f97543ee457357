//! The command line: parses arguments, runs a command, prints a summary and
//! turns errors into one clear line and an exit code.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::error::{exit, Error, Result};
use crate::model::Model;
use crate::pipeline::{self, Options, RunOutcome};
use crate::progress::Progress;

#[derive(Debug, Parser)]
#[command(
    name = "mognad",
    version,
    about = "Digital maturity survey + initiative register -> annual PDF reports",
    after_help = "Examples:\n  mognad run                          read ./input, write ./output/<year>/\n  mognad run --input data --year 2024 write the 2024 reports from ./data\n  mognad check --input data           read and validate without rendering\n  mognad init indata                  a ready input folder to fill
  mognad model > model.toml           the built-in model, to edit
  mognad templates export my-layout   the built-in templates, to edit\n\nExit codes: 0 ok, 1 partial failure (some reports failed, or the mail server failed), 2 bad input or command line (nothing written), 3 output could not be written, 4 internal error (a bug in mognad)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read the input folder, compute the indices and write reports.
    Run(RunArgs),
    /// Read and validate the input without rendering anything; list every
    /// problem with file, row and column.
    Check(CheckArgs),
    /// Create a ready input folder: a commented mognad.toml, the model to
    /// edit, and templates for the initiative register and the recipients.
    Init {
        dir: PathBuf,
        /// Overwrite files that exist.
        #[arg(long)]
        force: bool,
    },
    /// Write a realistic, deterministic input folder (surveys, register,
    /// benchmarks) for benchmarks and demos.
    Synth {
        #[arg(long, default_value_t = 1)]
        orgs: usize,
        #[arg(long, default_value_t = 400)]
        respondents: usize,
        #[arg(long, default_value_t = 3)]
        years: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Units per organisation (default: 4 to 10, varying).
        #[arg(long)]
        units: Option<usize>,
        /// Initiatives in the register, over all years (default: 30 a year).
        #[arg(long)]
        initiatives: Option<usize>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Between surveys: a one-page preparation brief per proposal in the
    /// register (status "förslag" or "under beredning"): where it sits on
    /// the three axes beside the portfolio, the balance before and after,
    /// the weak and priority categories and statements it covers or leaves,
    /// and the portfolio findings that would change. Written to
    /// OUTPUT/briefs/<id>.pdf.
    Brief(BriefArgs),
    /// E-mail every report to the people the recipients file names for it.
    /// By default a dry run: the messages are written to OUTPUT/<year>/outbox/
    /// for review and nothing is sent.
    Send(SendArgs),
    /// Combine the output folders of sharded runs (`run --shard K/N`) into
    /// one output folder, checking every file against its manifest.
    Merge {
        /// Where the combined output goes: OUTPUT/<year>/.
        #[arg(long)]
        output: PathBuf,
        /// The shards' output folders.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
    },
    /// Time a whole run on generated data and print the time per stage, per
    /// report and the peak memory.
    Bench {
        /// municipality: 1 500 respondents, 40 units, 3 years, 300
        /// initiatives; national: 300 organisations x 400 respondents x 3 years;
        /// brief: the municipality with 500 initiatives and 20 proposals, briefed.
        #[arg(long, value_parser = ["municipality", "national", "brief"])]
        case: String,
        /// Where to write the generated input and output (default: a
        /// temporary folder, removed afterwards).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Reports rendered at once (default: every core).
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Work with the report templates.
    Templates {
        #[command(subcommand)]
        action: TemplatesAction,
    },
    /// Print the maturity model in use (the built-in one, or --model FILE).
    Model {
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Print a shell completion script, e.g.
    /// `mognad completions bash > ~/.local/share/bash-completion/completions/mognad`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `mognad man > ~/.local/share/man/man1/mognad.1`.
    Man,
}

#[derive(Debug, Subcommand)]
enum TemplatesAction {
    /// Write the built-in templates into DIR for editing; point
    /// `[report] templates` at DIR (or name it report-templates) to use them.
    /// With an input folder, the data of its organisation report, of one
    /// unit report and of its first proposal's brief are written beside
    /// them (organisation.json, unit.json, brief.json, the logo), so that
    /// the templates compile on their own with typst (`typst watch
    /// organisation.typ`).
    Export {
        dir: PathBuf,
        /// Overwrite files that exist in DIR.
        #[arg(long)]
        force: bool,
        /// The input folder whose latest year gives the data.
        #[arg(long, default_value = "input")]
        input: PathBuf,
    },
}

#[derive(Debug, Args)]
struct CommonArgs {
    /// The folder with the survey exports (and optionally mognad.toml).
    #[arg(long, default_value = "input")]
    input: PathBuf,
    /// A config file instead of INPUT/mognad.toml.
    #[arg(long)]
    config: Option<PathBuf>,
    /// A model file instead of the built-in model (or the config's).
    #[arg(long)]
    model: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct SendArgs {
    /// The --output of the run whose reports to send.
    #[arg(long, default_value = "output")]
    output: PathBuf,
    /// The year whose reports to send (default: the latest in OUTPUT).
    #[arg(long)]
    year: Option<i32>,
    /// The input folder: its recipients file and mognad.toml ([mail]).
    #[arg(long, default_value = "input")]
    input: PathBuf,
    /// A config file instead of INPUT/mognad.toml.
    #[arg(long)]
    config: Option<PathBuf>,
    /// The organisation, in a multi-organisation output.
    #[arg(long)]
    org: Option<String>,
    /// Send over SMTP instead of writing the outbox.
    #[arg(long)]
    really_send: bool,
    /// Send a report again to whoever got an earlier version of it.
    #[arg(long)]
    resend_changed: bool,
    /// Only this unit's report ("organisation" for the organisation report).
    #[arg(long)]
    only: Option<String>,
    /// Send every message to this address instead, marked TEST (not logged
    /// as delivered).
    #[arg(long)]
    to_test: Option<String>,
}

#[derive(Debug, Args)]
struct BriefArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Where the briefs go: OUTPUT/briefs/.
    #[arg(long, default_value = "output")]
    output: PathBuf,
    /// Only these proposals (by the register's id); default: every one.
    #[arg(long = "id", value_name = "ID", num_args = 1..)]
    ids: Vec<String>,
    /// One brief for the package of proposals in this register file
    /// (OUTPUT/briefs/what-if-<file name>.pdf), for the budget round.
    #[arg(long, value_name = "FILE", conflicts_with = "ids")]
    what_if: Option<PathBuf>,
    /// Take the organisation's figures from a published indices.csv
    /// instead of the survey exports (the input then needs no survey).
    #[arg(long, value_name = "FILE")]
    indices: Option<PathBuf>,
    /// Brief language: sv or en (default: the config's, else sv).
    #[arg(long)]
    lang: Option<String>,
    /// The organisation, in a multi-organisation input.
    #[arg(long)]
    org: Option<String>,
    /// The brief's date, YYYY-MM-DD (default: today); the same inputs and
    /// date give byte-identical PDFs.
    #[arg(long)]
    date: Option<chrono::NaiveDate>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Also write data-quality.json and data-quality.txt into this folder.
    #[arg(long)]
    write: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct RunArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Where the reports go: OUTPUT/<year>/.
    #[arg(long, default_value = "output")]
    output: PathBuf,
    /// The survey year to report (default: the latest in the input).
    #[arg(long, conflicts_with = "all_years")]
    year: Option<i32>,
    /// Report every year in the input.
    #[arg(long)]
    all_years: bool,
    /// Report language: sv or en (default: the config's, else sv).
    #[arg(long)]
    lang: Option<String>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
    /// Reports rendered at once (default: every core).
    #[arg(long)]
    jobs: Option<usize>,
    /// Only this organisation (name or folder name) of a multi-organisation input.
    #[arg(long)]
    org: Option<String>,
    /// Render only shard K of N (e.g. 2/8): a stable share of the
    /// organisations, for spreading a national run over machines.
    #[arg(long, value_parser = crate::shard::Shard::parse, conflicts_with = "org")]
    shard: Option<crate::shard::Shard>,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match execute(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            err.exit_code()
        }
    }
}

fn execute(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Run(args) => run(args),
        Command::Check(args) => check(args),
        Command::Init { dir, force } => init(&dir, force),
        Command::Synth {
            orgs,
            respondents,
            years,
            seed,
            units,
            initiatives,
            out,
        } => {
            if orgs == 0 || respondents == 0 || years == 0 {
                return Err(Error::Usage(
                    "--orgs, --respondents and --years must be at least 1".into(),
                ));
            }
            let spec = crate::synth::Spec {
                orgs,
                respondents,
                years,
                seed,
                units,
                initiatives: initiatives.unwrap_or(30 * years),
                proposals: 0,
            };
            let answers = crate::synth::write(&out, &spec)?;
            println!("{}: {orgs} organisation(s), {respondents} respondents each, {years} year(s), {answers} answers", out.display());
            Ok(exit::OK)
        }
        Command::Brief(args) => brief(args),
        Command::Send(args) => send(args),
        Command::Merge { output, shards } => {
            for m in crate::merge::merge(&output, &shards)? {
                println!(
                    "{}: {} organisation(s), {} report(s) merged into {}{}",
                    m.year,
                    m.organisations,
                    m.reports,
                    m.folder.display(),
                    if m.failed > 0 {
                        format!("; {} report(s) had failed in the shards", m.failed)
                    } else {
                        String::new()
                    }
                );
            }
            Ok(exit::OK)
        }
        Command::Bench { case, dir, jobs } => {
            print!("{}", crate::bench::run(&case, dir.as_deref(), jobs)?);
            Ok(exit::OK)
        }
        Command::Templates {
            action: TemplatesAction::Export { dir, force, input },
        } => {
            export_templates(&dir, force, &input)?;
            Ok(exit::OK)
        }
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "mognad", &mut std::io::stdout());
            Ok(exit::OK)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .map_err(|e| Error::internal("writing the manual page", e))?;
            use std::io::Write as _;
            std::io::stdout()
                .write_all(&page)
                .map_err(|e| Error::output("standard output", e))?;
            Ok(exit::OK)
        }
        Command::Model { model } => {
            // The built-in model is printed as shipped, comments included.
            match model {
                Some(path) => print!("{}", Model::load(&path)?.to_toml()),
                None => print!("{}", crate::model::DEFAULT_MODEL),
            }
            Ok(exit::OK)
        }
    }
}

/// `mognad brief`: every brief written, or an error.
fn brief(args: BriefArgs) -> Result<i32> {
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
fn run(args: RunArgs) -> Result<i32> {
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
        progress: Progress::new(!args.quiet),
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
    for (year, (org, unit, reason)) in &failed {
        let what = unit.as_deref().unwrap_or("the organisation report");
        eprintln!("error: {year}: {org}: {what}: {reason}");
    }
    Ok(if failed.is_empty() {
        exit::OK
    } else {
        exit::SOME_FAILED
    })
}

/// `mognad check`: the data-quality report, exit 2 on any error.
fn check(args: CheckArgs) -> Result<i32> {
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
fn init(dir: &std::path::Path, force: bool) -> Result<i32> {
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
        ("mottagare.csv", "enhet;namn;e-post\nLedningsgrupp;;\n"),
    ];
    std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
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
        std::fs::write(&path, text).map_err(|e| Error::output(&path, e))?;
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
fn export_templates(dir: &std::path::Path, force: bool, input: &std::path::Path) -> Result<()> {
    let mut files: Vec<(String, Vec<u8>)> = crate::render::TEMPLATES
        .iter()
        .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
        .collect();
    if input.is_dir() {
        let opts = Options {
            input: input.to_path_buf(),
            ..Options::default()
        };
        let loaded = pipeline::load(&opts)?;
        let lang = crate::format::Lang::parse(&loaded.config.report.language)
            .unwrap_or(crate::format::Lang::Sv);
        let texts = crate::lang::Texts::new(lang);
        let year = loaded.years().last().copied().unwrap_or_default();
        let docs = pipeline::documents(&loaded, &texts, year)?;
        let logo = match &loaded.config.branding.logo {
            Some(l) => {
                let path = loaded.config.asset(l, "branding.logo")?;
                let bytes = std::fs::read(&path).map_err(|e| Error::output(&path, e))?;
                let svg = path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
                let name = if svg { "logo.svg" } else { "logo.png" };
                files.push((name.to_string(), bytes));
                Some(name)
            }
            None => None,
        };
        for (template, file) in [
            ("organisation.typ", "organisation.json"),
            ("unit.typ", "unit.json"),
        ] {
            if let Some((_, doc)) = docs.iter().find(|(t, _)| *t == template) {
                let data = serde_json::json!({ "report": doc, "logo": logo });
                let mut json = serde_json::to_vec_pretty(&data)
                    .map_err(|e| Error::internal("writing the report data", e))?;
                json.push(b'\n');
                files.push((file.to_string(), json));
            }
        }
        // the first proposal's brief, when the register holds proposals
        let brief = pipeline::BriefOptions {
            run: opts,
            date: loaded.config.report.date,
            ..pipeline::BriefOptions::default()
        };
        let briefs = match pipeline::brief_documents(&brief) {
            Ok((_, jobs)) => jobs,
            // no register, or no proposal in it: no brief to export
            Err(e) if e.exit_code() == exit::INPUT => Vec::new(),
            Err(e) => return Err(e),
        };
        {
            if let Some((_, job)) = briefs.first() {
                let data = serde_json::json!({ "report": job.doc, "logo": logo });
                let mut json = serde_json::to_vec_pretty(&data)
                    .map_err(|e| Error::internal("writing the brief's data", e))?;
                json.push(b'\n');
                files.push(("brief.json".to_string(), json));
            }
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
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
            std::fs::create_dir_all(parent).map_err(|e| Error::output(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::output(&path, e))?;
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

fn send(args: SendArgs) -> Result<i32> {
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
