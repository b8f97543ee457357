//! The command line: parses arguments, runs a command, prints a summary and
//! turns errors into one clear line and an exit code.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::error::{exit, Error, Result};
use crate::model::Model;
use crate::pipeline::{self, Options};

#[derive(Debug, Parser)]
#[command(
    name = "mognad",
    version,
    about = "Digital maturity survey + initiative register -> annual PDF reports",
    after_help = "Examples:\n  mognad run                          read ./input, write ./output/<year>/\n  mognad run --input data --year 2024 write the 2024 reports from ./data\n  mognad check --input data           read and validate without rendering\n  mognad init indata                  a ready input folder to fill
  mognad model > model.toml           the built-in model, to edit
  mognad templates export my-layout   the built-in templates, to edit\n\nExit codes: 0 ok, 1 some reports failed, 2 bad input or command line (nothing written), 3 output could not be written."
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
        #[arg(long)]
        out: PathBuf,
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
}

#[derive(Debug, Subcommand)]
enum TemplatesAction {
    /// Write the built-in templates into DIR for editing; point
    /// `[report] templates` at DIR (or name it report-templates) to use them.
    Export {
        dir: PathBuf,
        /// Overwrite templates that exist in DIR.
        #[arg(long)]
        force: bool,
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
        Command::Run(args) => {
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
            };
            let outcomes = pipeline::run(&opts)?;
            if !args.quiet {
                for o in &outcomes {
                    println!(
                        "{}: {} report(s) written to {}; {} unit(s) without a report (see manifest.json)",
                        o.year,
                        o.reports,
                        o.folder.display(),
                        o.units_without_report
                    );
                }
            }
            let failed: Vec<_> = outcomes
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
        Command::Check(args) => {
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
        Command::Init { dir, force } => {
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
            std::fs::create_dir_all(&dir).map_err(|e| Error::output(&dir, e))?;
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
        Command::Synth {
            orgs,
            respondents,
            years,
            seed,
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
            };
            let answers = crate::synth::write(&out, &spec)?;
            println!("{}: {orgs} organisation(s), {respondents} respondents each, {years} year(s), {answers} answers", out.display());
            Ok(exit::OK)
        }
        Command::Templates {
            action: TemplatesAction::Export { dir, force },
        } => {
            std::fs::create_dir_all(&dir).map_err(|e| Error::output(&dir, e))?;
            for (name, text) in crate::render::TEMPLATES {
                let path = dir.join(name);
                if path.exists() && !force {
                    return Err(Error::Usage(format!(
                        "{} exists; pass --force to overwrite it",
                        path.display()
                    )));
                }
                std::fs::write(&path, text).map_err(|e| Error::output(&path, e))?;
                println!("{}", path.display());
            }
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

impl From<clap::Error> for Error {
    fn from(e: clap::Error) -> Self {
        Error::Usage(e.to_string())
    }
}
