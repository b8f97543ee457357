//! What a brief starts from besides the register: the organisation's
//! figures of its latest survey year, from the survey exports or from a
//! published `indices.csv`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::Options;
use crate::analyse::{self, Figure, GroupResult, Level};
use crate::config::Config;
use crate::error::{Error, Location, Result};
use crate::ingest::Answers;
use crate::model::Model;
use crate::tables::IndexRow;

/// What a brief starts from besides the register.
pub(super) struct Source {
    /// The organisation's name.
    pub(super) organisation: String,
    /// Its figures in the latest survey year.
    pub(super) group: GroupResult,
    /// The units a register row may name.
    pub(super) known_units: BTreeSet<String>,
    /// The input's register files.
    pub(super) registers: Vec<(String, PathBuf)>,
}

/// The organisation's latest year's figures and its units, from the
/// survey.
pub(super) fn from_survey(run: &Options, config: &Config, model: &Model) -> Result<Source> {
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
    let answers = latest_of_one_organisation(&ingested.answers, run.org.as_deref())?;
    let orgs = crate::organisations::analyse_all(
        &answers,
        model,
        config.report.anonymity_threshold,
        &population,
        config.organisation.name.trim(),
        1,
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
    units.extend(
        org.analysis
            .units(year)
            .filter_map(|g| g.group.unit().map(str::to_string)),
    );
    Ok(Source {
        organisation: org.name.clone(),
        group,
        known_units: units,
        registers: found.registers,
    })
}

/// The answers of the organisation a brief is for (all of them with one
/// organisation in the input, else those of `--org`, required) in its
/// latest survey year: one copy of those respondents only.
fn latest_of_one_organisation(answers: &Answers, wanted: Option<&str>) -> Result<Answers> {
    let mut names: Vec<String> = answers.organisations().to_vec();
    names.sort();
    let name = match names.len() {
        0 | 1 => None,
        _ => Some(pick(&names, wanted)?.as_str()),
    };
    let of_it: Vec<usize> = (0..answers.respondents())
        .filter(|&r| name.is_none() || answers.organisation(r) == name)
        .collect();
    let latest = of_it.iter().map(|&r| answers.year(r)).max();
    let keys: Vec<u32> = of_it
        .into_iter()
        .filter(|&r| Some(answers.year(r)) == latest)
        .map(|r| r as u32)
        .collect();
    Ok(answers.select(&keys))
}

/// The one organisation a brief is for: the only one, or `--org` (its
/// name in any case, or its folder name, as `run --org` takes it).
pub(super) fn pick<'a>(names: &'a [String], wanted: Option<&str>) -> Result<&'a String> {
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

/// The organisation whose figures the brief is of: the one `--org` names,
/// or the one mognad.toml names (`named`), and no other's.
fn which_organisation(
    path: &Path,
    orgs: &[String],
    wanted: Option<&str>,
    named: &str,
) -> Result<String> {
    Ok(match (orgs.is_empty(), wanted) {
        (true, _) => named.to_string(),
        (false, Some(_)) => pick(orgs, wanted)?.clone(),
        // the organisation mognad.toml names, and no other's figures
        (false, None) if named.is_empty() => pick(orgs, None)?.clone(),
        (false, None) => orgs
            .iter()
            .find(|o| o.trim().eq_ignore_ascii_case(named))
            .cloned()
            .ok_or_else(|| {
                Error::input(
                    Location::file(path).column("organisation"),
                    format!(
                        "holds the figures of {}, not of {named}, which mognad.toml names; give {named}'s indices.csv, or name the organisation with --org",
                        orgs.join(", ")
                    ),
                )
            })?,
    })
}

/// The organisation's figures in `year` from the rows of an indices.csv,
/// and the units the rows name.
fn organisation_figures(
    rows: &[IndexRow],
    org: &str,
    year: i32,
) -> (GroupResult, BTreeSet<String>) {
    let mut group = GroupResult {
        year,
        group: analyse::Group::Organisation,
        respondents: 0,
        suppression: None,
        statements: Default::default(),
        categories: Default::default(),
        dimensions: Default::default(),
        total: Figure::default(),
    };
    let mut units = BTreeSet::new();
    let mine = |r: &&IndexRow| r.organisation.as_deref().is_none_or(|o| o == org);
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
    (group, units)
}

/// The organisation's latest year's figures from a published
/// `indices.csv`: its whole-organisation rows (unit empty).
pub(super) fn from_indices(
    path: &Path,
    run: &Options,
    config: &Config,
    model: &Model,
) -> Result<Source> {
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
    let org = which_organisation(path, &orgs, wanted, config.organisation.name.trim())?;
    let mine = |r: &&IndexRow| r.organisation.as_deref().is_none_or(|o| o == org);
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
    let (group, mut units) = organisation_figures(&rows, &org, year);
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
