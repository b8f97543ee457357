//! The stages wired together: discover -> ingest -> analyse -> report model
//! -> render -> publish.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::analyse::{self, Analysis};
use crate::benchmark::{self, Benchmarks};
use crate::config::{Config, Format};
use crate::discover::{self, Discovered};
use crate::error::{Error, Result};
use crate::format::Lang;
use crate::ingest::{self, Ingested};
use crate::lang::Texts;
use crate::model::Model;
use crate::organisations::{self, Organisation};
use crate::portfolio::{self, Register};
use crate::progress::Progress;
use crate::publish;
use crate::recipients::{self, Recipients};
use crate::render::Renderer;
use crate::shard::Shard;

mod brief;
mod export;
mod organisation;
mod year;
mod years;
pub use brief::{brief, prepare as brief_documents, BriefOptions, BriefOutcome};
pub use export::{logo_file, report_data, template_files};
pub use organisation::documents;

/// What the command line asks for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The input folder.
    pub input: PathBuf,
    /// The output folder: reports go to `OUTPUT/<year>/`.
    pub output: PathBuf,
    /// A config file instead of `INPUT/mognad.toml`.
    pub config: Option<PathBuf>,
    /// A model file instead of the config's or the built-in one.
    pub model: Option<PathBuf>,
    /// The survey year to report; default the latest.
    pub year: Option<i32>,
    /// Report every year of the input.
    pub all_years: bool,
    /// The report language; default the config's.
    pub lang: Option<String>,
    /// Reports rendered at once; default: every core.
    pub jobs: Option<usize>,
    /// Only this organisation (by name or folder name), in a
    /// multi-organisation input.
    pub org: Option<String>,
    /// Only this shard of the organisations.
    pub shard: Option<Shard>,
    /// Add the web edition to the formats the config asks for.
    pub html: bool,
    /// The progress display (hidden by default).
    pub progress: Progress,
    /// Told of the run's stages (`mognad bench`); `None` by default.
    pub observer: Option<std::sync::Arc<dyn Observer>>,
}

impl Options {
    fn jobs(&self) -> usize {
        self.jobs
            .unwrap_or_else(|| {
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(1)
            })
            .max(1)
    }
}

/// Input read and analysed, before anything is rendered.
pub struct Loaded {
    /// The configuration in force.
    pub config: Config,
    /// The model in force.
    pub model: Model,
    /// The files found in the input folder.
    pub discovered: Discovered,
    /// The answers read, with the files' summaries and data problems.
    pub ingested: Ingested,
    pub(crate) benchmarks: Benchmarks,
    /// The initiative register (empty without register files).
    pub(crate) register: Register,
    /// The distribution list (empty without a recipients file).
    pub(crate) recipients: Recipients,
    /// The organisations file (empty without one).
    pub(crate) directory: crate::peers::Directory,
    /// One per organisation in the input, once the data had no errors.
    pub(crate) organisations: Vec<Organisation>,
}

impl Loaded {
    /// The (first) organisation's analysis.
    pub fn analysis(&self) -> &Analysis {
        &self
            .organisations
            .first()
            .expect("load() analyses the data")
            .analysis
    }

    /// The run's common chart extent: every organisation's, units and
    /// years included, whatever `--org`, `--year` or `--shard` render.
    pub(crate) fn extent(&self) -> analyse::Extent {
        self.organisations
            .iter()
            .fold(analyse::Extent::default(), |e, o| e.union(o.extent))
    }

    /// An organisation's initiative register: the whole register in a
    /// single-organisation input, else its own initiatives.
    pub(crate) fn register_of(&self, org: &Organisation) -> std::borrow::Cow<'_, Register> {
        match org.folder {
            None => std::borrow::Cow::Borrowed(&self.register),
            Some(_) => std::borrow::Cow::Owned(self.register.of_organisation(&org.name)),
        }
    }

    /// Every year any organisation has answers for.
    pub fn years(&self) -> Vec<i32> {
        let years: std::collections::BTreeSet<i32> = self
            .organisations
            .iter()
            .flat_map(|o| o.analysis.years.iter().copied())
            .collect();
        years.into_iter().collect()
    }
}

/// Discovery and ingest, with every data problem collected (for `check`).
pub fn read(opts: &Options) -> Result<Loaded> {
    opts.progress.stage("reading");
    if !opts.input.is_dir() {
        // discovery gives the precise message
        discover::discover(&opts.input, &Config::builtin())?;
    }
    let config = Config::load(opts.config.as_deref(), &opts.input)?;
    let sections = &config.report.sections;
    for (key, names) in [
        ("organisation", &sections.organisation),
        ("unit", &sections.unit),
    ] {
        crate::report::sections::check(names).map_err(|msg| {
            Error::input(
                crate::error::Location::file(config.source.clone().unwrap_or_default()),
                format!("[report.sections] {key}: {msg}"),
            )
        })?;
    }
    let model = model_of(opts, &config)?;
    let discovered = discover::discover(&opts.input, &config)?;
    let mut ingested = ingest::ingest(&discovered.surveys, &model, &config)?;
    let (benchmarks, problems) = benchmark::read(
        &discovered.benchmarks,
        &model,
        config.benchmark.population.as_deref(),
    );
    ingested.problems.extend(problems);
    let mut known_units: std::collections::BTreeSet<String> =
        config.units.list.iter().cloned().collect();
    known_units.extend(ingested.answers.units().iter().cloned());
    let (mut register, problems) =
        portfolio::read(&discovered.registers, &model, &config, &known_units);
    ingested.problems.extend(problems);
    let names = organisation_names(&ingested.answers);
    ingested
        .problems
        .extend(portfolio::assign_organisations(&mut register, &names));
    let (distribution, problems) = recipients::read(&discovered.recipients);
    ingested.problems.extend(problems);
    let (directory, problems) = crate::peers::read(&discovered.organisations, &config.peers);
    ingested.problems.extend(problems);
    ingested
        .problems
        .extend(unlisted_organisations(&ingested.answers, &directory));
    Ok(Loaded {
        config,
        model,
        discovered,
        ingested,
        benchmarks,
        register,
        recipients: distribution,
        directory,
        organisations: Vec::new(),
    })
}

/// The organisations the answers name.
fn organisation_names(answers: &ingest::Answers) -> std::collections::BTreeSet<String> {
    answers.organisations().iter().cloned().collect()
}

/// A warning for each organisation of the answers that the organisations
/// file (when there is one) does not list: it belongs to no peer group.
fn unlisted_organisations(
    answers: &ingest::Answers,
    directory: &crate::peers::Directory,
) -> Vec<crate::ingest::quality::Problem> {
    use crate::ingest::quality::{Kind, Problem};
    let Some(file) = directory.files.first() else {
        return Vec::new();
    };
    let names: std::collections::BTreeSet<&str> =
        answers.organisations().iter().map(String::as_str).collect();
    names
        .into_iter()
        .filter(|n| directory.get(n).is_none())
        .map(|n| {
            Problem::warning(
                Kind::UnknownOrganisation,
                file,
                format!("the answers' organisation \"{n}\" is not listed; it belongs to no peer group and its initiatives are not shared"),
            )
        })
        .collect()
}

/// The report language: `--lang`, else the config's.
fn lang_of(opts: &Options, config: &Config) -> Result<Lang> {
    let code = opts
        .lang
        .clone()
        .unwrap_or_else(|| config.report.language.clone());
    Lang::parse(&code)
        .ok_or_else(|| Error::Usage(format!("--lang {code}: expected \"sv\" or \"en\"")))
}

/// The model in force: `--model`, else the config's, else the built-in.
fn model_of(opts: &Options, config: &Config) -> Result<Model> {
    match (&opts.model, &config.model) {
        (Some(path), _) => Model::load(path),
        (None, Some(path)) => Model::load(&config.resolve(path)),
        (None, None) => Ok(Model::builtin()),
    }
}

/// The config and the model in force, without checking the report
/// sections (for commands that write no report).
fn config_and_model(opts: &Options) -> Result<(Config, Model)> {
    let config = Config::load(opts.config.as_deref(), &opts.input)?;
    let model = model_of(opts, &config)?;
    Ok((config, model))
}

/// `read` plus the analysis; any data error stops here.
pub fn load(opts: &Options) -> Result<Loaded> {
    analyse_loaded(opts, read(opts)?)
}

/// The analysis of what `read` read; any data error stops here.
fn analyse_loaded(opts: &Options, mut loaded: Loaded) -> Result<Loaded> {
    opts.progress.stage("analysing");
    if let Some(err) = ingest::quality::first_error(&loaded.ingested.problems) {
        return Err(err);
    }
    let ingested = &loaded.ingested;
    if ingested.answers.is_empty() {
        return Err(Error::Usage(format!(
            "the survey exports in {} hold no answers",
            opts.input.display()
        )));
    }
    let population = analyse::Population {
        total: loaded.config.population.total,
        units: loaded.config.population.units.clone(),
    };
    let default_name = loaded.config.organisation.name.trim().to_string();
    loaded.organisations = organisations::analyse_all(
        &ingested.answers,
        &loaded.model,
        loaded.config.report.anonymity_threshold,
        &population,
        &default_name,
        opts.jobs(),
    )?;
    let (dates, margin) = (survey_dates(&loaded), loaded.config.stands_out());
    for i in 0..loaded.organisations.len() {
        let register = loaded.register_of(&loaded.organisations[i]).into_owned();
        let org = &mut loaded.organisations[i];
        let inputs = analyse::portfolio::Inputs {
            register: &register,
            model: &loaded.model,
            survey_dates: &dates,
            weak_margin: margin,
            organisation: &org.name,
        };
        analyse::portfolio::attach(&mut org.analysis, &inputs);
    }
    organisations::attach_peers(
        &mut loaded.organisations,
        &loaded.model,
        &loaded.directory,
        &loaded.config.peers,
    );
    crate::organisations::inspiration::attach(
        &mut loaded.organisations,
        &loaded.model,
        &loaded.directory,
        &loaded.register,
    );
    let computed = organisations::computed_benchmarks(&loaded.organisations, &loaded.model);
    loaded.benchmarks.add_computed(computed);
    // Memory: with several organisations only their totals stay (each is
    // analysed again, one at a time, when rendered), so the answers stay;
    // with one, its analysis is all that is needed and the answers go.
    if loaded
        .organisations
        .iter()
        .all(|o| o.respondents.is_empty())
    {
        loaded.ingested.answers = ingest::Answers::default();
    }
    Ok(loaded)
}

/// The stages of a run, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Discovery and ingest of every file.
    Read,
    /// Indices, statistics, benchmarks.
    Analyse,
    /// Report models, rendering, tables and publishing.
    Render,
}

/// Whoever listens to a run (`mognad bench` measures there): told when
/// the run starts and when each stage ends. The pipeline measures nothing
/// itself.
pub trait Observer: std::fmt::Debug + Send + Sync {
    /// The run starts.
    fn started(&self) {}

    /// A stage has ended.
    fn finished(&self, _stage: Stage) {}
}

/// What one year's run produced.
#[derive(Debug, Clone)]
pub struct YearOutcome {
    /// The survey year.
    pub year: i32,
    /// The year's output folder.
    pub folder: PathBuf,
    /// Reports written.
    pub reports: usize,
    /// The respondents of the year's organisations that were run.
    pub respondents: usize,
    /// Units without a report (hidden for anonymity).
    pub units_without_report: usize,
    /// Reports that failed to render.
    pub failed: Vec<RunFailure>,
}

/// A report that failed to render in a run, and whose it was.
#[derive(Debug, Clone)]
pub struct RunFailure {
    /// The organisation the report is for.
    pub organisation: String,
    /// Which report and why.
    pub report: publish::FailedReport,
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// Every year reported, ascending.
    pub years: Vec<YearOutcome>,
    /// Warnings found in the input (listed by `mognad check`).
    pub warnings: usize,
    /// The anonymity threshold the run used.
    pub threshold: usize,
}

impl RunOutcome {
    /// Why nothing was written though the input has answers: every group
    /// was below the anonymity threshold. A run that writes no report is
    /// a failure a schedule must notice.
    pub fn nothing_written(&self) -> Option<String> {
        let reports: usize = self.years.iter().map(|y| y.reports).sum();
        let failed = self.years.iter().any(|y| !y.failed.is_empty());
        let respondents: usize = self.years.iter().map(|y| y.respondents).sum();
        if reports > 0 || failed || respondents == 0 {
            return None;
        }
        let k = self.threshold;
        let years: Vec<String> = self
            .years
            .iter()
            .map(|y| format!("{} respondent(s) in {}", y.respondents, y.year))
            .collect();
        Some(format!(
            "no report written: the input has {}, and no group (the organisation, a unit) has the {k} respondents the anonymity threshold asks for; collect more answers, or, if your organisation's rules allow, lower [report] anonymity_threshold in mognad.toml",
            years.join(", ")
        ))
    }
}

/// The whole run: every requested year rendered and published.
pub fn run(opts: &Options) -> Result<RunOutcome> {
    let tell = |stage: Stage| {
        if let Some(o) = &opts.observer {
            o.finished(stage);
        }
    };
    if let Some(o) = &opts.observer {
        o.started();
    }
    let loaded = read(opts)?;
    tell(Stage::Read);
    let loaded = analyse_loaded(opts, loaded)?;
    tell(Stage::Analyse);
    let warnings = loaded
        .ingested
        .problems
        .iter()
        .filter(|p| !p.is_error())
        .count();
    if let Some(shard) = opts.shard {
        if loaded.organisations.iter().all(|o| o.folder.is_none()) {
            return Err(Error::Usage(format!(
                "--shard {shard}: the input holds one organisation; shards split a multi-organisation input"
            )));
        }
    }
    if let Some(wanted) = &opts.org {
        let matches = |o: &Organisation| o.is_named(wanted);
        if !loaded.organisations.iter().any(matches) {
            return Err(Error::Usage(format!(
                "--org {wanted}: the input has no such organisation; it has {}",
                loaded
                    .organisations
                    .iter()
                    .map(|o| o.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let years = select_years(opts, &loaded.years())?;
    let texts = Texts::new(lang_of(opts, &loaded.config)?);
    let templates = template_dir(&loaded.config);
    let _lock = publish::OutputLock::acquire(&opts.output)?;
    let logo = match &loaded.config.branding.logo {
        Some(l) => Some(loaded.config.asset(l, "branding.logo")?),
        None => None,
    };
    let mut renderer = Renderer::new(templates.as_deref(), logo.as_deref())?;
    if opts.html || loaded.config.report.formats.contains(&Format::Html) {
        renderer = renderer.with_web(templates.as_deref())?;
    }
    let run = years::Run {
        opts,
        loaded: &loaded,
        renderer: &renderer,
        texts: &texts,
    };
    let years = years::run_years(&run, &years)?;
    opts.progress.finish();
    tell(Stage::Render);
    Ok(RunOutcome {
        years,
        warnings,
        threshold: loaded.config.report.anonymity_threshold,
    })
}

fn select_years(opts: &Options, available: &[i32]) -> Result<Vec<i32>> {
    match opts.year {
        Some(y) if available.contains(&y) => Ok(vec![y]),
        Some(y) => Err(Error::Usage(format!(
            "--year {y}: the input has no answers for {y}; it has {}",
            available
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        None if opts.all_years => Ok(available.to_vec()),
        None => Ok(available.last().copied().into_iter().collect()),
    }
}

fn template_dir(config: &Config) -> Option<PathBuf> {
    match &config.report.templates {
        Some(dir) => Some(config.resolve(dir)),
        None => Some(PathBuf::from("report-templates")).filter(|p| p.is_dir()),
    }
}

/// The report date: the config's, else the latest submit date of the
/// year's files, else 31 December of the year. Never the clock.
fn report_date(loaded: &Loaded, year: i32) -> NaiveDate {
    loaded.config.report.date.unwrap_or_else(|| {
        latest_submit_date(&loaded.ingested.files, year)
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default())
    })
}

/// The latest submit date of a survey year: of the files holding only
/// that year, else of any file holding it.
fn latest_submit_date(files: &[crate::ingest::FileSummary], year: i32) -> Option<NaiveDate> {
    let of = |only: bool| {
        files
            .iter()
            .filter(|f| f.years.contains(&year) && (!only || f.years.len() == 1))
            .filter_map(|f| f.latest_date)
            .max()
    };
    of(true).or_else(|| of(false))
}

/// Every survey year's latest submit date, where the files have dates:
/// the statement review's periods run from one to the next.
fn survey_dates(loaded: &Loaded) -> BTreeMap<i32, NaiveDate> {
    let years: std::collections::BTreeSet<i32> = loaded
        .ingested
        .files
        .iter()
        .flat_map(|f| f.years.iter().copied())
        .collect();
    years
        .into_iter()
        .filter_map(|y| latest_submit_date(&loaded.ingested.files, y).map(|d| (y, d)))
        .collect()
}

/// An organisation of a multi-organisation input analysed in full from its
/// respondents (with its portfolio); `None` when its analysis is already
/// full (a single-organisation input).
fn in_full(loaded: &Loaded, org: &Organisation) -> Result<Option<Organisation>> {
    if org.respondents.is_empty() {
        return Ok(None);
    }
    let mut full = org.full(
        &loaded.ingested.answers,
        &loaded.model,
        loaded.config.report.anonymity_threshold,
    )?;
    let dates = survey_dates(loaded);
    let register = loaded.register_of(org);
    let inputs = analyse::portfolio::Inputs {
        register: &register,
        model: &loaded.model,
        survey_dates: &dates,
        weak_margin: loaded.config.stands_out(),
        organisation: &full.name,
    };
    analyse::portfolio::attach(&mut full.analysis, &inputs);
    Ok(Some(full))
}
