//! The stages wired together: discover -> ingest -> analyse -> report model
//! -> render -> publish.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::*;

use crate::analyse::{self, Analysis, Level, Suppression};
use crate::config::Config;
use crate::discover::{self, Discovered};
use crate::error::{Error, Result};
use crate::format::Lang;
use crate::ingest::{self, Ingested};
use crate::lang::Texts;
use crate::model::Model;
use crate::publish::{self, Manifest, Staging, UnitWithoutReport};
use crate::render::Renderer;
use crate::report::Context;

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
    /// Present once the data had no errors.
    pub analysis: Option<Analysis>,
}

impl Loaded {
    pub fn analysis(&self) -> &Analysis {
        self.analysis.as_ref().expect("load() analyses the data")
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
    let ingested = ingest::ingest(&discovered.surveys, &model, &config)?;
    Ok(Loaded {
        config,
        model,
        discovered,
        ingested,
        analysis: None,
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
    loaded.analysis = Some(analyse::analyse(
        &ingested.answers,
        &loaded.model,
        loaded.config.report.anonymity_threshold,
        &population,
    )?);
    Ok(loaded)
}

/// What one year's run produced.
#[derive(Debug, Clone)]
pub struct YearOutcome {
    pub year: i32,
    pub folder: PathBuf,
    pub reports: usize,
    pub units_without_report: usize,
}

/// The whole run: every requested year rendered and published.
pub fn run(opts: &Options) -> Result<Vec<YearOutcome>> {
    let loaded = load(opts)?;
    let years = select_years(opts, loaded.analysis())?;
    let lang_code = opts
        .lang
        .clone()
        .unwrap_or_else(|| loaded.config.report.language.clone());
    let lang = Lang::parse(&lang_code)
        .ok_or_else(|| Error::Usage(format!("--lang {lang_code}: expected \"sv\" or \"en\"")))?;
    let texts = Texts::new(lang);
    let templates = template_dir(&loaded.config);
    let renderer = Renderer::new(templates.as_deref())?;
    years
        .into_iter()
        .map(|year| run_year(opts, &loaded, &renderer, &texts, year))
        .collect()
}

fn select_years(opts: &Options, analysis: &Analysis) -> Result<Vec<i32>> {
    let available = &analysis.years;
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
        None if opts.all_years => Ok(available.clone()),
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

fn organisation_name(loaded: &Loaded, texts: &Texts) -> String {
    let name = loaded.config.organisation.name.trim();
    if name.is_empty() {
        texts.get("default_organisation")
    } else {
        name.to_string()
    }
}

fn run_year(
    opts: &Options,
    loaded: &Loaded,
    renderer: &Renderer,
    texts: &Texts,
    year: i32,
) -> Result<YearOutcome> {
    let organisation = organisation_name(loaded, texts);
    let date = report_date(loaded, year);
    let ctx = Context {
        organisation: &organisation,
        model: &loaded.model,
        analysis: loaded.analysis(),
        files: &loaded.ingested.files,
        problems: &loaded.ingested.problems,
        texts,
        date,
        year,
    };
    let mut staging = Staging::new(&opts.output, &year.to_string())?;
    let csv = indices_csv(loaded.analysis(), &loaded.model, &organisation, year)?;
    staging.write("indices.csv", &csv, "indices", None)?;

    let prefix = publish::slug(&texts.fill("report_title", &[("year", &year.to_string())]));
    let mut reports = 0;
    if let Some(doc) = ctx.organisation_report() {
        let name = format!("{prefix}-{}.pdf", publish::slug(&organisation));
        let pdf = renderer.render(
            "organisation.typ",
            &doc,
            &format!("mognad/{organisation}/{year}"),
        )?;
        staging.write(&name, &pdf, "organisation_report", None)?;
        reports += 1;
    }
    let mut without = Vec::new();
    let mut used_names = std::collections::BTreeSet::new();
    for unit in loaded.analysis().units(year) {
        let name = unit.unit.clone().unwrap_or_default();
        match ctx.unit_report(&name) {
            Some(doc) => {
                let mut file = format!("enheter/{prefix}-{}.pdf", publish::slug(&name));
                let mut i = 2;
                while !used_names.insert(file.clone()) {
                    file = format!("enheter/{prefix}-{}-{i}.pdf", publish::slug(&name));
                    i += 1;
                }
                let pdf = renderer.render(
                    "unit.typ",
                    &doc,
                    &format!("mognad/{organisation}/{year}/{name}"),
                )?;
                staging.write(&file, &pdf, "unit_report", Some(&name))?;
                reports += 1;
            }
            None => {
                let threshold = loaded.analysis().threshold;
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
                    unit: name,
                    reason,
                    detail,
                });
            }
        }
    }
    let units_without_report = without.len();
    let folder = staging.commit(Manifest {
        tool: format!("mognad {}", env!("CARGO_PKG_VERSION")),
        organisation,
        year,
        language: texts.lang.code().to_string(),
        report_date: date.to_string(),
        files: Vec::new(),
        units_without_report: without,
    })?;
    Ok(YearOutcome {
        year,
        folder,
        reports,
        units_without_report,
    })
}

/// `indices.csv`: one row per organisation x unit x level x key for the
/// year; suppressed rows carry no index and no n.
pub fn indices_csv(
    analysis: &Analysis,
    model: &Model,
    organisation: &str,
    year: i32,
) -> Result<Vec<u8>> {
    let mut years = Vec::new();
    let mut orgs = Vec::new();
    let mut units = Vec::new();
    let mut levels = Vec::new();
    let mut keys = Vec::new();
    let mut indices: Vec<Option<f64>> = Vec::new();
    let mut ns: Vec<Option<u64>> = Vec::new();
    let mut suppressed = Vec::new();
    let groups = analysis
        .organisation(year)
        .into_iter()
        .chain(analysis.units(year));
    for g in groups {
        let mut push = |level: Level, key: &str, index: Option<f64>, n: usize| {
            years.push(year);
            orgs.push(organisation.to_string());
            units.push(g.unit.clone());
            levels.push(level.as_str());
            keys.push(key.to_string());
            indices.push(if g.shown() { index } else { None });
            ns.push(g.shown().then_some(n as u64));
            suppressed.push(!g.shown());
        };
        push(Level::Total, "total", g.total.index, g.total.n);
        for d in &model.dimensions {
            let f = g.dimensions[&d.code];
            push(Level::Dimension, &d.code, f.index, f.n);
        }
        for c in &model.categories {
            let f = g.categories[&c.code];
            push(Level::Category, &c.code, f.index, f.n);
        }
        for s in &model.statements {
            let f = g.statements[&s.code];
            push(Level::Statement, &s.code, f.index, f.n);
        }
    }
    let height = years.len();
    let mut df = DataFrame::new(
        height,
        vec![
            Column::new("year".into(), years),
            Column::new("organisation".into(), orgs),
            Column::new("unit".into(), units),
            Column::new("level".into(), levels),
            Column::new("key".into(), keys),
            Column::new("index".into(), indices),
            Column::new("n".into(), ns),
            Column::new("suppressed".into(), suppressed),
        ],
    )
    .map_err(|e| Error::Usage(format!("internal error building indices.csv: {e}")))?;
    let mut out = Vec::new();
    CsvWriter::new(&mut out)
        .include_header(true)
        .finish(&mut df)
        .map_err(|e| Error::output(Path::new("indices.csv"), e))?;
    Ok(out)
}
