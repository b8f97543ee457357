//! `mognad brief`: the preparation brief of each proposal in the register
//! (or of a package of proposals), between surveys. The same stages as a
//! run, shortened: discover -> ingest (register; the survey, or a published
//! `indices.csv`) -> analyse (the organisation's latest year, the brief's
//! figures) -> report model -> render -> `OUTPUT/briefs/`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{template_dir, Options};

mod source;
use crate::analyse::{self, Analysis};
use crate::config::Config;
use crate::error::{Error, IoContext, Location, Result};
use crate::lang::Texts;
use crate::model::Model;
use crate::portfolio::{self, Initiative, Register};
use crate::publish;
use crate::render::Renderer;
use crate::render::{render_all, Job};
use crate::report::brief::{Basis, BriefDoc, Subject};
use crate::report::Context;
use source::{from_indices, from_survey, Source};

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
    std::fs::create_dir_all(&dir).at(&dir)?;
    let results = render_all(
        &renderer,
        &jobs,
        run.jobs(),
        |(_, job)| job,
        |(stem, _), outcome| {
            let brief = outcome?;
            let path = dir.join(format!("{stem}.pdf"));
            publish::write_atomically(&path, &brief.pdf)?;
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
    let (config, model) = super::config_and_model(run)?;
    let Source {
        organisation,
        group,
        known_units,
        registers,
    } = match &opts.indices {
        Some(path) => from_indices(path, run, &config, &model)?,
        None => from_survey(run, &config, &model)?,
    };
    let register = own_register(
        &registers,
        (&model, &config, &known_units),
        &organisation,
        run,
    )?;
    let lang = super::lang_of(run, &config)?;
    let register_year = register.latest_year().unwrap_or(group.year);
    let current: Vec<&Initiative> = register.of_year(register_year).collect();
    let in_portfolio = |id: &str| current.iter().find(|i| i.id == id).copied();
    let package = match &opts.what_if {
        Some(path) => Some(read_package(
            path,
            (&model, &config, &known_units),
            &in_portfolio,
            register_year,
        )?),
        None => None,
    };
    let package_items: Vec<&Initiative> = package.iter().flat_map(|(_, items)| items).collect();
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
        groups: [(
            crate::analyse::GroupKey::new(group.year, crate::analyse::Group::Organisation),
            group.clone(),
        )]
        .into(),
        ..Analysis::default()
    };
    let benchmarks = crate::benchmark::Benchmarks::default();
    // a brief is a working paper: dated today unless told otherwise
    let date = opts
        .date
        .or(config.report.date)
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let ctx = Context {
        common: crate::report::Common {
            model: &model,
            analysis: &analysis,
            benchmarks: &benchmarks,
            place: None,
            thresholds: &config.thresholds,
            roles: &config.roles,
            benchmark_names: &config.benchmark,
            peers: &config.peers,
            texts: &texts,
            year: group.year,
        },
        organisation: &organisation,
        files: &[],
        problems: &[],
        inspiration: None,
        register: &register,
        extent: analyse::Extent::default(),
        accent: &config.branding.accent,
        population: &config.population,
        sections: &config.report.sections,
        date,
    };
    let shown = group.shown().then_some(&group);
    let baseline = analyse::brief::Baseline::new(&current, &model, shown, config.stands_out());
    let basis = Basis {
        group: Some(&group),
        register_year,
        current: &current,
    };
    let jobs: BriefJobs = subjects
        .iter()
        .map(|(stem, subject)| {
            let assessment = baseline.assess(&subject.items());
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

/// The register's rows of `organisation` (a register may hold several
/// organisations'); an error when the input has no register.
fn own_register(
    registers: &[(String, PathBuf)],
    (model, config, known_units): (&Model, &Config, &BTreeSet<String>),
    organisation: &str,
    run: &Options,
) -> Result<Register> {
    let (mut register, problems) = portfolio::read(registers, model, config, known_units);
    if let Some(err) = crate::ingest::quality::first_error(&problems) {
        return Err(err);
    }
    // a register of several organisations: only this one's rows
    let theirs = |i: &Initiative| {
        i.organisation
            .as_deref()
            .is_some_and(|o| !o.eq_ignore_ascii_case(organisation))
    };
    register.initiatives.retain(|i| !theirs(i));
    register.proposals.retain(|i| !theirs(i));
    if register.files.is_empty() {
        return Err(Error::Usage(format!(
            "no initiative register found in {}; a brief assesses the register's proposals (name the file e.g. initiativ.csv)",
            run.input.display()
        )));
    }
    Ok(register)
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
fn read_package<'r>(
    path: &Path,
    (model, config, known_units): (&Model, &Config, &BTreeSet<String>),
    in_portfolio: &dyn Fn(&str) -> Option<&'r Initiative>,
    register_year: i32,
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
    if let Some((p, i)) = items.iter().find_map(|p| Some((p, in_portfolio(&p.id)?))) {
        return Err(Error::input(
            Location::file(path).row(p.row),
            format!(
                "{} is already in the {register_year} portfolio ({}, {} row {}); a what-if package holds proposals only",
                p.id,
                i.status.as_str(),
                i.file,
                i.row
            ),
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
