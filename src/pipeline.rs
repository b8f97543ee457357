//! The stages wired together: discover -> ingest -> analyse -> report model
//! -> render -> publish.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::analyse::{self, Analysis, Suppression};
use crate::benchmark::{self, Benchmarks};
use crate::config::Config;
use crate::discover::{self, Discovered};
use crate::error::{Error, Result};
use crate::format::Lang;
use crate::ingest::{self, Ingested};
use crate::lang::Texts;
use crate::model::Model;
use crate::organisations::{self, Organisation};
use crate::portfolio::{self, Register};
use crate::publish::{self, FailedReport, Manifest, Staging, UnitWithoutReport};
use crate::recipients::{self, Recipients};
use crate::render::Renderer;
use crate::report::Context;
use crate::tables;

/// What the command line asks for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub input: PathBuf,
    pub output: PathBuf,
    pub config: Option<PathBuf>,
    pub model: Option<PathBuf>,
    pub year: Option<i32>,
    pub all_years: bool,
    pub lang: Option<String>,
}

/// Input read and analysed, before anything is rendered.
pub struct Loaded {
    pub config: Config,
    pub model: Model,
    pub discovered: Discovered,
    pub ingested: Ingested,
    pub benchmarks: Benchmarks,
    /// The initiative register (empty without register files).
    pub register: Register,
    /// The distribution list (empty without a recipients file).
    pub recipients: Recipients,
    /// One per organisation in the input, once the data had no errors.
    pub organisations: Vec<Organisation>,
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
    if !opts.input.is_dir() {
        // discovery gives the precise message
        discover::discover(&opts.input, &Config::builtin())?;
    }
    let config = Config::load(opts.config.as_deref(), &opts.input)?;
    let model = match (&opts.model, &config.model) {
        (Some(path), _) => Model::load(path)?,
        (None, Some(path)) => Model::load(&config.resolve(path))?,
        (None, None) => Model::builtin(),
    };
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
    if let Ok(units) = ingested
        .answers
        .column(ingest::cols::UNIT)
        .and_then(|c| c.str().cloned())
    {
        known_units.extend(units.iter().flatten().map(str::to_string));
    }
    let (register, problems) =
        portfolio::read(&discovered.registers, &model, &config, &known_units);
    ingested.problems.extend(problems);
    let (distribution, problems) = recipients::read(&discovered.recipients);
    ingested.problems.extend(problems);
    Ok(Loaded {
        config,
        model,
        discovered,
        ingested,
        benchmarks,
        register,
        recipients: distribution,
        organisations: Vec::new(),
    })
}

/// `read` plus the analysis; any data error stops here.
pub fn load(opts: &Options) -> Result<Loaded> {
    let mut loaded = read(opts)?;
    if let Some(err) = ingest::quality::first_error(&loaded.ingested.problems) {
        return Err(err);
    }
    let ingested = &loaded.ingested;
    if ingested.answers.height() == 0 {
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
    )?;
    let computed = organisations::computed_benchmarks(&loaded.organisations, &loaded.model);
    loaded.benchmarks.add_computed(computed);
    Ok(loaded)
}

/// What one year's run produced.
#[derive(Debug, Clone)]
pub struct YearOutcome {
    pub year: i32,
    pub folder: PathBuf,
    pub reports: usize,
    pub units_without_report: usize,
    /// Reports that failed to render: (organisation, unit, reason).
    pub failed: Vec<(String, Option<String>, String)>,
}

/// The whole run: every requested year rendered and published.
pub fn run(opts: &Options) -> Result<Vec<YearOutcome>> {
    let loaded = load(opts)?;
    let years = select_years(opts, &loaded.years())?;
    let lang_code = opts
        .lang
        .clone()
        .unwrap_or_else(|| loaded.config.report.language.clone());
    let lang = Lang::parse(&lang_code)
        .ok_or_else(|| Error::Usage(format!("--lang {lang_code}: expected \"sv\" or \"en\"")))?;
    let texts = Texts::new(lang);
    let templates = template_dir(&loaded.config);
    let _lock = publish::OutputLock::acquire(&opts.output)?;
    let logo = loaded
        .config
        .branding
        .logo
        .as_ref()
        .map(|l| loaded.config.resolve(l));
    let renderer = Renderer::new(templates.as_deref(), logo.as_deref())?;
    years
        .into_iter()
        .map(|year| run_year(opts, &loaded, &renderer, &texts, year))
        .collect()
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
        loaded
            .ingested
            .files
            .iter()
            .filter(|f| f.years.contains(&year))
            .filter_map(|f| f.latest_date)
            .max()
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default())
    })
}

/// One year: every organisation's files in one staging folder, moved
/// into place together. With several organisations each gets a subfolder
/// (`OUTPUT/<year>/<organisation>/`) with its own manifest.
fn run_year(
    opts: &Options,
    loaded: &Loaded,
    renderer: &Renderer,
    texts: &Texts,
    year: i32,
) -> Result<YearOutcome> {
    let mut staging = Staging::new(&opts.output, &year.to_string())?;
    let (mut reports, mut units_without_report, mut failed) = (0, 0, Vec::new());
    for org in loaded
        .organisations
        .iter()
        .filter(|o| o.analysis.years.contains(&year))
    {
        let (r, u, f) = run_organisation(loaded, org, renderer, texts, year, &mut staging)?;
        reports += r;
        units_without_report += u;
        failed.extend(f.into_iter().map(|f| (org.name.clone(), f.unit, f.reason)));
    }
    let folder = staging.commit()?;
    Ok(YearOutcome {
        year,
        folder,
        reports,
        units_without_report,
        failed,
    })
}

/// One organisation's reports, tables and manifest for a year.
fn run_organisation(
    loaded: &Loaded,
    org: &Organisation,
    renderer: &Renderer,
    texts: &Texts,
    year: i32,
    staging: &mut Staging,
) -> Result<(usize, usize, Vec<FailedReport>)> {
    let organisation = if org.name.is_empty() {
        texts.get("default_organisation")
    } else {
        org.name.clone()
    };
    let dir = org
        .folder
        .as_ref()
        .map(|f| format!("{f}/"))
        .unwrap_or_default();
    let analysis = &org.analysis;
    let date = report_date(loaded, year);
    let ctx = context(loaded, &org.analysis, &organisation, texts, year);
    let mut table = tables::indices(
        analysis,
        &loaded.model,
        &loaded.benchmarks,
        &org.ranks,
        &organisation,
        year,
    )?;
    staging.write(
        &format!("{dir}indices.csv"),
        &tables::to_csv(&mut table)?,
        "indices",
        None,
    )?;
    staging.write(
        &format!("{dir}indices.parquet"),
        &tables::to_parquet(&mut table)?,
        "indices",
        None,
    )?;
    staging.write(
        &format!("{dir}indices.xlsx"),
        &tables::to_xlsx(&table, &loaded.model, texts, date)?,
        "indices",
        None,
    )?;
    let mut roles = tables::roles(
        analysis,
        &loaded.model,
        &loaded.benchmarks,
        &organisation,
        year,
    )?;
    staging.write(
        &format!("{dir}roles.csv"),
        &tables::to_csv(&mut roles)?,
        "roles",
        None,
    )?;
    if org.folder.is_none() && !loaded.register.files.is_empty() {
        let mut portfolio = tables::portfolio(&loaded.register, year)?;
        staging.write(
            &format!("{dir}portfolio.csv"),
            &tables::to_csv(&mut portfolio)?,
            "portfolio",
            None,
        )?;
        let mut summary = tables::portfolio_summary(&loaded.register, &loaded.model, year)?;
        staging.write(
            &format!("{dir}portfolio-summary.csv"),
            &tables::to_csv(&mut summary)?,
            "portfolio",
            None,
        )?;
    }

    let prefix = publish::slug(&texts.fill("report_title", &[("year", &year.to_string())]));
    let mut reports = 0;
    let mut failed: Vec<FailedReport> = Vec::new();
    if let Some(doc) = ctx.organisation_report() {
        let name = format!("{dir}{prefix}-{}.pdf", publish::slug(&organisation));
        match renderer.render(
            "organisation.typ",
            &doc,
            &format!("mognad/{organisation}/{year}"),
        ) {
            Ok((pdf, pages)) => {
                let lang = texts.lang.code();
                staging.write_report(
                    &name,
                    &pdf,
                    "organisation_report",
                    None,
                    (lang, pages),
                    loaded.recipients.of(None),
                )?;
                reports += 1;
            }
            Err(e) => failed.push(FailedReport {
                unit: None,
                reason: e.to_string(),
            }),
        }
    }
    let mut without = Vec::new();
    let mut used_names = std::collections::BTreeSet::new();
    for unit in analysis.units(year) {
        let name = unit.unit.clone().unwrap_or_default();
        match ctx.unit_report(&name) {
            Some(doc) => {
                let mut file = format!("{dir}enheter/{prefix}-{}.pdf", publish::slug(&name));
                let mut i = 2;
                while !used_names.insert(file.clone()) {
                    file = format!("{dir}enheter/{prefix}-{}-{i}.pdf", publish::slug(&name));
                    i += 1;
                }
                match renderer.render(
                    "unit.typ",
                    &doc,
                    &format!("mognad/{organisation}/{year}/{name}"),
                ) {
                    Ok((pdf, pages)) => {
                        let lang = texts.lang.code();
                        let to = loaded.recipients.of(Some(&name));
                        staging.write_report(
                            &file,
                            &pdf,
                            "unit_report",
                            Some(&name),
                            (lang, pages),
                            to,
                        )?;
                        reports += 1;
                    }
                    // one report failing does not stop the others
                    Err(e) => failed.push(FailedReport {
                        unit: Some(name.clone()),
                        reason: e.to_string(),
                    }),
                }
            }
            None => {
                let threshold = analysis.threshold;
                let (reason, detail) = match unit.suppression {
                    Some(Suppression::Secondary) => (
                        "secondary_suppression",
                        "hidden so that a suppressed unit cannot be worked out by subtraction"
                            .to_string(),
                    ),
                    _ => (
                        "below_threshold",
                        format!("fewer than {threshold} respondents"),
                    ),
                };
                without.push(UnitWithoutReport {
                    recipients: loaded.recipients.of(Some(&name)),
                    unit: name,
                    reason,
                    detail,
                });
            }
        }
    }
    let units_without_report = without.len();
    staging.write_manifest(
        &dir,
        Manifest {
            tool: format!("mognad {}", env!("CARGO_PKG_VERSION")),
            failed: failed.clone(),
            organisation,
            year,
            language: texts.lang.code().to_string(),
            report_date: date.to_string(),
            files: Vec::new(),
            units_without_report: without,
        },
    )?;
    Ok((reports, units_without_report, failed))
}

/// The report context of one organisation and year.
fn context<'a>(
    loaded: &'a Loaded,
    analysis: &'a Analysis,
    organisation: &'a str,
    texts: &'a Texts,
    year: i32,
) -> Context<'a> {
    Context {
        organisation,
        model: &loaded.model,
        analysis,
        files: &loaded.ingested.files,
        problems: &loaded.ingested.problems,
        benchmarks: &loaded.benchmarks,
        register: &loaded.register,
        leadership: &loaded.config.roles.leadership,
        accent: &loaded.config.branding.accent,
        population: &loaded.config.population,
        texts,
        date: report_date(loaded, year),
        year,
    }
}

/// Every report of the first organisation for a year, as (template, report
/// model): what `run` renders. For benchmarks and tools.
pub fn documents(
    loaded: &Loaded,
    texts: &Texts,
    year: i32,
) -> Vec<(&'static str, crate::report::ReportDoc)> {
    let Some(org) = loaded.organisations.first() else {
        return Vec::new();
    };
    let organisation = if org.name.is_empty() {
        texts.get("default_organisation")
    } else {
        org.name.clone()
    };
    let ctx = context(loaded, &org.analysis, &organisation, texts, year);
    let mut docs: Vec<(&'static str, crate::report::ReportDoc)> = ctx
        .organisation_report()
        .map(|d| ("organisation.typ", d))
        .into_iter()
        .collect();
    for unit in org.analysis.units(year) {
        if let Some(d) = unit.unit.as_deref().and_then(|u| ctx.unit_report(u)) {
            docs.push(("unit.typ", d));
        }
    }
    docs
}
