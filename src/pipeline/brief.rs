//! `mognad brief`: the preparation brief of each proposal in the register
//! (or of a package of proposals), between surveys. The same stages as a
//! run, shortened: discover -> ingest (register; the survey, or a published
//! `indices.csv`) -> analyse (the organisation's latest year, the brief's
//! figures) -> report model -> render -> `OUTPUT/briefs/`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{template_dir, Options};
use crate::analyse::{self, Analysis, Figure, GroupResult, Level};
use crate::config::Config;
use crate::error::{Error, Location, Result};
use crate::format::Lang;
use crate::lang::Texts;
use crate::model::Model;
use crate::portfolio::{self, Initiative, Register};
use crate::publish;
use crate::render::Renderer;
use crate::render::{render_all, Job};
use crate::report::brief::{Basis, BriefDoc, Subject};
use crate::report::Context;

/// What `mognad brief` is asked for.
#[derive(Debug, Clone, Default)]
pub struct BriefOptions {
    /// Input, config, model, output, language, organisation and jobs, as
    /// for a run.
    pub run: Options,
    /// Only these proposals (by id); empty: every proposal.
    pub ids: Vec<String>,
    /// The organisation's figures from this published `indices.csv`
    /// instead of the survey.
    pub indices: Option<PathBuf>,
    /// One brief for the whole package of proposals in this register file.
    pub what_if: Option<PathBuf>,
    /// The brief's date (default: today).
    pub date: Option<NaiveDate>,
}

/// The briefs written.
#[derive(Debug)]
pub struct BriefOutcome {
    /// The PDFs, in the order of the proposals.
    pub written: Vec<PathBuf>,
}

/// Writes the briefs `opts` asks for into `OUTPUT/briefs/`.
pub fn brief(opts: &BriefOptions) -> Result<BriefOutcome> {
    let run = &opts.run;
    let (config, jobs) = prepare(opts)?;
    let _lock = publish::OutputLock::acquire(&run.output)?;
    let logo = match &config.branding.logo {
        Some(l) => Some(config.asset(l, "branding.logo")?),
        None => None,
    };
    let renderer = Renderer::new(template_dir(&config).as_deref(), logo.as_deref())?;
    let dir = run.output.join("briefs");
    std::fs::create_dir_all(&dir).map_err(|e| Error::output(&dir, e))?;
    let results = render_all(
        &renderer,
        &jobs,
        run.jobs(),
        |(_, job)| job,
        |(stem, _), outcome| {
            let (pdf, _pages) = outcome?;
            let path = dir.join(format!("{stem}.pdf"));
            publish::write_atomically(&path, &pdf)?;
            Ok(path)
        },
    );
    let written = results.into_iter().collect::<Result<Vec<_>>>()?;
    Ok(BriefOutcome { written })
}

/// The briefs to render, each with its file stem.
pub type BriefJobs = Vec<(String, Job<BriefDoc>)>;

/// The briefs' models, each with its file stem, and the config in force:
/// everything but the rendering (`templates export` writes the first as
/// `brief.json`).
pub fn prepare(opts: &BriefOptions) -> Result<(Config, BriefJobs)> {
    let run = &opts.run;
    let config = Config::load(run.config.as_deref(), &run.input)?;
    let model = match (&run.model, &config.model) {
        (Some(path), _) => Model::load(path)?,
        (None, Some(path)) => Model::load(&config.resolve(path))?,
        (None, None) => Model::builtin(),
    };
    let Source {
        organisation,
        group,
        known_units,
        registers,
    } = match &opts.indices {
        Some(path) => from_indices(path, run, &config, &model)?,
        None => from_survey(run, &config, &model)?,
    };
    let (register, problems) = portfolio::read(&registers, &model, &config, &known_units);
    if let Some(err) = crate::ingest::quality::first_error(&problems) {
        return Err(err);
    }
    if register.files.is_empty() {
        return Err(Error::Usage(format!(
            "no initiative register found in {}; a brief assesses the register's proposals (name the file e.g. initiativ.csv)",
            run.input.display()
        )));
    }
    let lang_code = run
        .lang
        .clone()
        .unwrap_or_else(|| config.report.language.clone());
    let lang = Lang::parse(&lang_code)
        .ok_or_else(|| Error::Usage(format!("--lang {lang_code}: expected \"sv\" or \"en\"")))?;
    let register_year = register
        .initiatives
        .iter()
        .map(|i| i.year)
        .max()
        .or_else(|| register.proposals.iter().map(|i| i.year).max())
        .unwrap_or(group.year);
    let current: Vec<&Initiative> = register.of_year(register_year).collect();
    let package = match &opts.what_if {
        Some(path) => Some(read_package(path, &model, &config, &known_units)?),
        None => None,
    };
    let in_portfolio = |id: &str| current.iter().find(|i| i.id == id).copied();
    let package_items: Vec<&Initiative> = package.iter().flat_map(|(_, items)| items).collect();
    if package.is_some() {
        if let Some((p, i)) = package_items
            .iter()
            .find_map(|p| Some((p, in_portfolio(&p.id)?)))
        {
            return Err(Error::input(
                Location::file(&p.file).row(p.row),
                format!(
                    "{} is already in the {register_year} portfolio ({}, {} row {}); a what-if package holds proposals only",
                    p.id,
                    i.status.as_str(),
                    i.file,
                    i.row
                ),
            ));
        }
    }
    let subjects: Vec<(String, Subject)> = match &package {
        Some((name, _)) => vec![(
            format!("what-if-{name}"),
            Subject::Package {
                name,
                items: &package_items,
            },
        )],
        None => {
            let chosen = proposals(&register, &opts.ids, &in_portfolio)?;
            let stems = unique_stems(chosen.iter().map(|p| p.id.as_str()));
            stems
                .into_iter()
                .zip(chosen)
                .map(|(stem, p)| (stem, Subject::Proposal(p)))
                .collect()
        }
    };
    let texts = Texts::new(lang);
    let analysis = Analysis {
        years: vec![group.year],
        groups: [((group.year, None), group.clone())].into(),
        ..Analysis::default()
    };
    let benchmarks = crate::benchmark::Benchmarks::default();
    // a brief is a working paper: dated today unless told otherwise
    let date = opts
        .date
        .or(config.report.date)
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let ctx = Context {
        organisation: &organisation,
        model: &model,
        analysis: &analysis,
        files: &[],
        problems: &[],
        benchmarks: &benchmarks,
        register: &register,
        extent: analyse::Extent::default(),
        thresholds: &config.thresholds,
        roles: &config.roles,
        accent: &config.branding.accent,
        population: &config.population,
        benchmark_names: &config.benchmark,
        sections: &config.report.sections,
        texts: &texts,
        date,
        year: group.year,
    };
    let margin = config.stands_out();
    let shown = group.shown().then_some(&group);
    let basis = Basis {
        group: Some(&group),
        register_year,
        current: &current,
    };
    let jobs: BriefJobs = subjects
        .iter()
        .map(|(stem, subject)| {
            let items = match subject {
                Subject::Proposal(p) => vec![*p],
                Subject::Package { items, .. } => items.to_vec(),
            };
            let assessment = analyse::brief::assess(&current, &items, &model, shown, margin);
            let doc = ctx.brief(subject, &assessment, &basis);
            let ident = format!("mognad-brief-{}-{stem}", crate::format::slug(&organisation));
            (
                stem.clone(),
                Job {
                    template: "brief.typ",
                    ident,
                    doc,
                },
            )
        })
        .collect();
    Ok((config, jobs))
}

/// What a brief starts from besides the register.
struct Source {
    /// The organisation's name.
    organisation: String,
    /// Its figures in the latest survey year.
    group: GroupResult,
    /// The units a register row may name.
    known_units: BTreeSet<String>,
    /// The input's register files.
    registers: Vec<(String, PathBuf)>,
}

/// The organisation's latest year's figures and its units, from the
/// survey.
fn from_survey(run: &Options, config: &Config, model: &Model) -> Result<Source> {
    let found = crate::discover::discover(&run.input, config)?;
    let ingested = crate::ingest::ingest(&found.surveys, model, config)?;
    if let Some(err) = crate::ingest::quality::first_error(&ingested.problems) {
        return Err(err);
    }
    let population = analyse::Population {
        total: config.population.total,
        units: config.population.units.clone(),
    };
    // one organisation's answers of its latest year: a brief needs no
    // other figures, and the analysis is most of its time
    let answers = one_organisation(&ingested.answers, run.org.as_deref())?;
    let answers = latest_year(&answers)?;
    let orgs = crate::organisations::analyse_all(
        &answers,
        model,
        config.report.anonymity_threshold,
        &population,
        config.organisation.name.trim(),
    )?;
    let [org] = orgs.as_slice() else {
        return Err(Error::Internal(format!(
            "{} organisations after selecting one",
            orgs.len()
        )));
    };
    let year = org.analysis.years.last().copied().ok_or_else(|| {
        Error::Usage(format!(
            "the survey exports in {} hold no answers",
            run.input.display()
        ))
    })?;
    let group = org
        .analysis
        .organisation(year)
        .cloned()
        .ok_or_else(|| Error::Internal(format!("no figures for {} in {year}", org.name)))?;
    let mut units: BTreeSet<String> = config.units.list.iter().cloned().collect();
    units.extend(org.analysis.units(year).filter_map(|g| g.unit.clone()));
    Ok(Source {
        organisation: org.name.clone(),
        group,
        known_units: units,
        registers: found.registers,
    })
}

/// The answers of the organisation a brief is for: all of them with one
/// organisation in the input, else those of `--org` (required).
fn one_organisation(
    answers: &polars::prelude::DataFrame,
    wanted: Option<&str>,
) -> Result<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let internal = |e: PolarsError| Error::internal("selecting the organisation", e);
    let column = answers
        .column(crate::ingest::cols::ORGANISATION)
        .map_err(internal)?
        .str()
        .map_err(internal)?;
    let names: Vec<String> = column
        .iter()
        .flatten()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(str::to_string)
        .collect();
    if names.len() <= 1 {
        return Ok(answers.clone());
    }
    let name = pick(&names, wanted)?;
    answers
        .clone()
        .lazy()
        .filter(col(crate::ingest::cols::ORGANISATION).eq(lit(name.as_str())))
        .collect()
        .map_err(internal)
}

/// The answers of the latest year in `answers`.
fn latest_year(answers: &polars::prelude::DataFrame) -> Result<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let internal = |e: PolarsError| Error::internal("selecting the latest survey year", e);
    let year = answers
        .column(crate::ingest::cols::YEAR)
        .map_err(internal)?
        .as_materialized_series()
        .max::<i64>()
        .map_err(internal)?;
    let Some(year) = year else {
        return Ok(answers.clone());
    };
    answers
        .clone()
        .lazy()
        .filter(
            col(crate::ingest::cols::YEAR)
                .cast(DataType::Int64)
                .eq(lit(year)),
        )
        .collect()
        .map_err(internal)
}

/// The one organisation a brief is for: the only one, or `--org` (its
/// name in any case, or its folder name, as `run --org` takes it).
fn pick<'a>(names: &'a [String], wanted: Option<&str>) -> Result<&'a String> {
    let list = || names.join(", ");
    match (wanted, names) {
        (None, [one]) => Ok(one),
        (None, _) => Err(Error::Usage(format!(
            "the input holds several organisations; name the one the brief is for with --org ({})",
            list()
        ))),
        (Some(w), _) => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(w) || crate::format::slug(n) == w)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "--org {w}: no such organisation; there are {}",
                    list()
                ))
            }),
    }
}

/// The organisation's latest year's figures from a published
/// `indices.csv`: its whole-organisation rows (unit empty).
fn from_indices(path: &Path, run: &Options, config: &Config, model: &Model) -> Result<Source> {
    let wanted = run.org.as_deref();
    if !path.is_file() {
        return Err(Error::Usage(format!(
            "--indices {}: no such file; give the indices.csv of a run (OUTPUT/<year>/indices.csv)",
            path.display()
        )));
    }
    let rows = crate::tables::read_indices(path)?;
    let orgs: Vec<String> = rows
        .iter()
        .filter_map(|r| r.organisation.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let org = if orgs.is_empty() {
        config.organisation.name.trim().to_string()
    } else {
        pick(&orgs, wanted)?.clone()
    };
    let mine = |r: &&crate::tables::IndexRow| r.organisation.as_deref().is_none_or(|o| o == org);
    let year = rows
        .iter()
        .filter(mine)
        .filter(|r| r.unit.is_none() && (r.index.is_some() || r.suppressed))
        .filter_map(|r| r.year)
        .max()
        .ok_or_else(|| {
            Error::input(
                Location::file(path),
                "holds no figures for the whole organisation (rows with an empty unit and an index); is it a mognad indices.csv?",
            )
        })?;
    let mut group = GroupResult {
        year,
        unit: None,
        respondents: 0,
        suppression: None,
        statements: Default::default(),
        categories: Default::default(),
        dimensions: Default::default(),
        total: Figure::default(),
    };
    let mut units = BTreeSet::new();
    for r in rows.iter().filter(mine).filter(|r| r.year == Some(year)) {
        let Some(unit) = &r.unit else {
            let figure = Figure {
                index: r.index,
                n: r.n.unwrap_or(0),
                ..Figure::default()
            };
            let level = r.level.as_str();
            if level == Level::Total.as_str() {
                group.total = figure;
                group.respondents = figure.n;
                if r.suppressed {
                    group.suppression = Some(analyse::Suppression::Primary);
                }
            } else if let Some(map) = [
                (Level::Dimension, &mut group.dimensions),
                (Level::Category, &mut group.categories),
                (Level::Statement, &mut group.statements),
            ]
            .into_iter()
            .find_map(|(l, map)| (l.as_str() == level).then_some(map))
            {
                map.insert(r.key.clone(), figure);
            }
            continue;
        };
        units.insert(unit.clone());
    }
    if !group.shown() {
        // a hidden organisation's rows carry no figures: the brief says so
        return Ok(Source {
            organisation: org,
            group,
            known_units: units,
            registers: crate::discover::scan(&run.input, config)?.registers,
        });
    }
    let missing: Vec<&str> = model
        .categories
        .iter()
        .filter(|c| group.index(Level::Category, &c.code).is_none())
        .map(|c| c.code.as_str())
        .chain(
            model
                .statements
                .iter()
                .filter(|s| group.index(Level::Statement, &s.code).is_none())
                .map(|s| s.code.as_str()),
        )
        .collect();
    if !missing.is_empty() {
        return Err(Error::input(
            Location::file(path),
            format!(
                "has no figures for {} of the model in use ({}{}); was it written with another model (--model)?",
                missing.len(),
                missing.iter().take(6).copied().collect::<Vec<_>>().join(", "),
                if missing.len() > 6 { ", ..." } else { "" }
            ),
        ));
    }
    units.extend(config.units.list.iter().cloned());
    Ok(Source {
        organisation: org,
        group,
        known_units: units,
        registers: crate::discover::scan(&run.input, config)?.registers,
    })
}

/// The proposals to brief: those named by `ids` (in that order, each
/// once), else every proposal not already in the portfolio; each id once,
/// its latest row. A proposal named by `--id` that is already in the
/// portfolio is an error: it would be counted twice.
fn proposals<'r>(
    register: &'r Register,
    ids: &[String],
    in_portfolio: &dyn Fn(&str) -> Option<&'r Initiative>,
) -> Result<Vec<&'r Initiative>> {
    let mut latest: Vec<&Initiative> = Vec::new();
    for p in &register.proposals {
        match latest.iter_mut().find(|q| q.id == p.id) {
            Some(q) if q.year <= p.year => *q = p,
            Some(_) => {}
            None => latest.push(p),
        }
    }
    if latest.is_empty() {
        return Err(Error::Usage(
            "the register holds no proposals: give a proposal the status \"förslag\" or \"under beredning\" (proposed)".into(),
        ));
    }
    if ids.is_empty() {
        return Ok(latest
            .into_iter()
            .filter(|p| in_portfolio(&p.id).is_none())
            .collect());
    }
    let mut seen = BTreeSet::new();
    ids.iter()
        .filter(|id| seen.insert(id.as_str()))
        .map(|id| {
            let p = latest.iter().copied().find(|p| &p.id == id).ok_or_else(|| {
                Error::Usage(format!(
                    "--id {id}: the register has no proposal with that id; its proposals are {}",
                    latest
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            match in_portfolio(id) {
                Some(i) => Err(Error::input(
                    Location::file(&i.file).row(i.row),
                    format!(
                        "--id {id}: {id} is also in the portfolio as {}; remove the proposal's row, or give the approved initiative another id",
                        i.status.as_str()
                    ),
                )),
                None => Ok(p),
            }
        })
        .collect()
}

/// A what-if package: every row of a register file, whatever its status,
/// named by the file's stem.
fn read_package(
    path: &Path,
    model: &Model,
    config: &Config,
    known_units: &BTreeSet<String>,
) -> Result<(String, Vec<Initiative>)> {
    if !path.is_file() {
        return Err(Error::Usage(format!(
            "--what-if {}: no such file; give a register file of the proposals in the package",
            path.display()
        )));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (register, problems) =
        portfolio::read(&[(name, path.to_path_buf())], model, config, known_units);
    if let Some(err) = crate::ingest::quality::first_error(&problems) {
        return Err(err);
    }
    let items: Vec<Initiative> = register
        .proposals
        .into_iter()
        .chain(register.initiatives)
        .collect();
    if items.is_empty() {
        return Err(Error::input(
            Location::file(path),
            "holds no proposals; a what-if package is a register file with one row per proposal",
        ));
    }
    let mut seen = BTreeSet::new();
    if let Some(p) = items.iter().find(|p| !seen.insert(p.id.as_str())) {
        return Err(Error::input(
            Location::file(path).row(p.row),
            format!("{} is in the package twice; each proposal once", p.id),
        ));
    }
    let stem = path
        .file_stem()
        .map(|s| file_stem(&s.to_string_lossy()))
        .unwrap_or_else(|| "package".into());
    Ok((stem, items))
}

/// File stems for ids, in order: each id as a file name, numbered when
/// two would give the same name ("P-1", "P-1-2").
fn unique_stems<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut taken = BTreeSet::new();
    ids.map(|id| {
        let stem = file_stem(id);
        let mut unique = stem.clone();
        let mut k = 2;
        while !taken.insert(unique.to_lowercase()) {
            unique = format!("{stem}-{k}");
            k += 1;
        }
        unique
    })
    .collect()
}

/// A name as a file name: kept when it is plain (letters, digits, `.`,
/// `_`, `-`), else its slug.
fn file_stem(name: &str) -> String {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if plain {
        name.to_string()
    } else {
        crate::format::slug(name)
    }
}
