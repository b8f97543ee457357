//! The command line: parses arguments, runs a command, prints a summary and
//! turns errors into one clear line and an exit code.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::error::{exit, Error, IoContext, Result};
use crate::model::Model;
use crate::pipeline::{self, Options, RunOutcome};
use crate::progress::Progress;

mod commands;
mod reference;
use commands::{brief, check, export_templates, init, run, send};

#[derive(Debug, Parser)]
#[command(
    name = "mognad",
    version,
    about = "Digital maturity survey + initiative register -> annual PDF reports",
    after_help = "Examples:\n  mognad run                          read ./input, write ./output/<year>/\n  mognad run --input data --year 2024 write the 2024 reports from ./data\n  mognad check --input data           read and validate without rendering\n  mognad init indata                  a ready input folder to fill
  mognad model > model.toml           the built-in model, to edit
  mognad templates export my-layout   the built-in templates, to edit\n\nExit codes: 0 ok, 1 partial failure (some reports failed, every group was below the anonymity threshold so nothing was written, or the mail server failed), 2 bad input or command line (nothing written), 3 output could not be written, 4 internal error (a bug in mognad)."
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
        /// Initiatives in the register, over all years (default: 30 a year;
        /// with several organisations, per organisation, default 6 a year).
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
        /// country: 1 000 organisations x 400 respondents x 3 years;
        /// brief: the municipality with 500 initiatives and 20 proposals, briefed.
        #[arg(long, value_parser = ["municipality", "national", "country", "brief"])]
        case: String,
        /// Where to write the generated input and output (default: a
        /// temporary folder, removed afterwards).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Reports rendered at once (default: every core).
        #[arg(long, value_parser = at_least_one)]
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
    /// Print a reference page of the user guide (docs/reference/).
    #[command(hide = true)]
    Reference {
        #[arg(value_enum)]
        page: ReferencePage,
    },
}

/// The generated pages of the user guide.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ReferencePage {
    /// Every command and option.
    Cli,
    /// The built-in configuration, table by table.
    Config,
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
    #[arg(long, value_parser = at_least_one)]
    jobs: Option<usize>,
    /// Only this organisation (name or folder name) of a multi-organisation input.
    #[arg(long)]
    org: Option<String>,
    /// Render only shard K of N (e.g. 2/8): a stable share of the
    /// organisations, for spreading a national run over machines.
    #[arg(long, value_parser = crate::shard::Shard::parse, conflicts_with = "org")]
    shard: Option<crate::shard::Shard>,
    /// Also write the web edition: a self-contained .html beside each PDF
    /// and an index.html per folder (adds "html" to `[report] formats`).
    #[arg(long)]
    html: bool,
}

/// A count of at least one (`--jobs`): none at all would render nothing.
fn at_least_one(text: &str) -> std::result::Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1 (leave --jobs out to use every core)".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// Makes a write beyond the file-size limit (`ulimit -f`) fail as a write
/// error, which the run reports with exit code 3 and the earlier output
/// intact, instead of the signal killing the process midway.
pub fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to "ignore" before any thread
    // starts; no handler runs.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
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
                initiatives: initiatives.unwrap_or(if orgs == 1 { 30 } else { 6 } * years),
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
        Command::Reference { page } => {
            let text = match page {
                ReferencePage::Cli => reference::cli(),
                ReferencePage::Config => reference::config(),
            };
            print!("{text}");
            Ok(exit::OK)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .map_err(|e| Error::internal("writing the manual page", e))?;
            use std::io::Write as _;
            std::io::stdout().write_all(&page).at("standard output")?;
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
