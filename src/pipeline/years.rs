//! The run over every requested year: all years staged at once, each
//! organisation analysed in full once and given a core of its own (the
//! largest first), or a single organisation's reports spread over every
//! core; then each year's own files, and the years moved into place.

use std::path::PathBuf;
use std::sync::Mutex;

use super::organisation::run_organisation;
use super::{Loaded, Options, YearOutcome};
use crate::error::Result;
use crate::lang::Texts;
use crate::organisations::Organisation;
use crate::publish::{Staging, YearIndex};
use crate::render::Renderer;

/// What every organisation and year of a run shares.
pub(super) struct Run<'a> {
    pub(super) opts: &'a Options,
    pub(super) loaded: &'a Loaded,
    pub(super) renderer: &'a Renderer,
    pub(super) texts: &'a Texts,
}

/// Every requested year: each year's files in one staging folder, moved
/// into place together, year by year. With several organisations each gets
/// a subfolder (`OUTPUT/<year>/<organisation>/`) with its own manifest; the
/// organisations are analysed in full once each and take a core each, so
/// that every core is busy until the last organisation.
pub(super) fn run_years(run: &Run, years: &[i32]) -> Result<Vec<YearOutcome>> {
    let (opts, loaded) = (run.opts, run.loaded);
    // With --org in a multi-organisation input only that organisation's
    // folder is staged and swapped: the others' earlier output stays.
    let single = opts.org.as_ref().and_then(|w| {
        loaded
            .organisations
            .iter()
            .find(|o| o.is_named(w))
            .and_then(|o| o.folder.clone())
    });
    let stagings = years
        .iter()
        .map(|year| {
            let staging = match &single {
                Some(folder) => Staging::new(&opts.output.join(year.to_string()), folder)?,
                None => Staging::new(&opts.output, &year.to_string())?,
            };
            Ok(Mutex::new(staging))
        })
        .collect::<Result<Vec<_>>>()?;
    let wanted = |o: &&Organisation| {
        opts.org.as_ref().is_none_or(|w| o.is_named(w))
            && opts
                .shard
                .is_none_or(|s| o.folder.as_deref().is_none_or(|f: &str| s.contains(f)))
            && years.iter().any(|y| o.analysis.years.contains(y))
    };
    let mut orgs: Vec<&Organisation> = loaded.organisations.iter().filter(wanted).collect();
    // the largest first, so that no long organisation finishes alone at
    // the end (ties in name order); the outcomes are gathered by name below
    orgs.sort_by_key(|o| std::cmp::Reverse(o.respondents.len()));
    // one organisation per core, or one organisation's reports on every core
    let (outer, inner) = match orgs.len() {
        0 | 1 => (1, opts.jobs()),
        _ => (opts.jobs(), 1),
    };
    let done = crate::parallel::map_ordered(&orgs, outer, |slim| {
        let full = super::in_full(loaded, slim)?;
        let org = full.as_ref().unwrap_or(slim);
        let mut out = Vec::new();
        for (i, &year) in years.iter().enumerate() {
            if org.analysis.years.contains(&year) {
                let staging = &stagings[i];
                let result = run_organisation(run, org, year, staging, inner)?;
                out.push((i, result));
            }
        }
        Ok(out)
    });
    let mut outcomes: Vec<YearOutcome> = years
        .iter()
        .map(|&year| YearOutcome {
            year,
            folder: PathBuf::new(),
            reports: 0,
            respondents: 0,
            units_without_report: 0,
            failed: Vec::new(),
        })
        .collect();
    let mut done: Vec<_> = orgs.iter().zip(done).collect();
    done.sort_by(|(a, _), (b, _)| a.name.cmp(&b.name).then(a.folder.cmp(&b.folder)));
    for (org, result) in done {
        for (i, r) in result? {
            let outcome = &mut outcomes[i];
            outcome.reports += r.reports;
            outcome.respondents += org
                .analysis
                .organisation(outcome.year)
                .map_or(0, |g| g.respondents);
            outcome.units_without_report += r.units_without_report;
            outcome
                .failed
                .extend(r.failed.into_iter().map(|report| super::RunFailure {
                    organisation: org.name.clone(),
                    report,
                }));
        }
    }
    for ((year, staging), outcome) in years.iter().zip(stagings).zip(&mut outcomes) {
        let staging = staging.into_inner().unwrap_or_else(|e| e.into_inner());
        outcome.folder = finish_year(run, *year, staging, &single)?;
    }
    Ok(outcomes)
}

/// A year's own files (the overview and open data of a multi-organisation
/// run) and its index, and the staging folder moved into place.
fn finish_year(
    run: &Run,
    year: i32,
    mut staging: Staging,
    single: &Option<String>,
) -> Result<PathBuf> {
    let (opts, loaded) = (run.opts, run.loaded);
    let several = loaded.organisations.iter().any(|o| o.folder.is_some());
    let shard = opts.shard.map(|s| s.to_string());
    if several && single.is_none() {
        super::year::write_year_files(loaded, run.renderer, run.texts, year, &mut staging)?;
        let mut index = YearIndex::scan(staging.dir(), year, shard.clone())?;
        index.files = staging.take_files();
        if shard.is_some() {
            let mut all: Vec<String> = loaded
                .organisations
                .iter()
                .filter(|o| o.analysis.years.contains(&year))
                .filter_map(|o| o.folder.clone())
                .collect();
            all.sort();
            index.run_folders = all;
        }
        index.write(staging.dir())?;
    }
    let mut folder = staging.commit()?;
    if single.is_some() {
        // --org swapped one organisation's folder: index the year anew,
        // keeping the year-level files the run did not touch
        folder = opts.output.join(year.to_string());
        let kept = YearIndex::read(&folder.join(crate::publish::INDEX))
            .map(|i| i.files)
            .unwrap_or_default();
        let mut index = YearIndex::scan(&folder, year, shard)?;
        index.files = kept;
        index.write(&folder)?;
    }
    Ok(folder)
}
