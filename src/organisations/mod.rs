//! Inputs with several organisations (a national run): the answers are
//! split by the `organisation` column and each organisation is analysed on
//! its own, one per core at a time. The organisations then form a benchmark population of their own
//! ("input": the mean of their indices) and each gets its percentile rank
//! among them.

pub mod inspiration;

use std::collections::BTreeMap;

use crate::analyse::{self, Analysis, Extent, Level, Population};
use crate::benchmark::{BenchmarkRow, INPUT_POPULATION};
use crate::error::{Error, Result};
use crate::ingest::Answers;
use crate::model::Model;

/// An organisation's figures keyed by year, level and key.
pub type ByKey<T> = BTreeMap<(i32, Level, String), T>;

/// One figure of an organisation against one of its peer groups.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerFigure {
    /// The `[peers] groups` entry ("typ", "storlek", ...).
    pub group: String,
    /// What that entry refers to (the type, size or county column, or
    /// another).
    pub column: crate::peers::GroupColumn,
    /// A size class that counts employees rather than inhabitants.
    pub employees: bool,
    /// The organisation's value in it ("kommun", "10000-49999", ...).
    pub value: String,
    /// Organisations of the group with the figure, itself counted.
    pub n: usize,
    /// The unweighted mean of their indices; `None` below `[peers]
    /// min_size`.
    pub benchmark: Option<f64>,
    /// Its percentile rank among them; `None` below `min_size`.
    pub percentile: Option<f64>,
}

impl PeerFigure {
    /// The group as the tables name it: "typ=kommun".
    pub fn label(&self) -> String {
        format!("{}={}", self.group, self.value)
    }
}

/// A shown unit's indices in a year, in the order of [`analyse::keys`].
#[derive(Debug, Clone, PartialEq)]
pub struct UnitFigures {
    pub year: i32,
    pub unit: String,
    pub respondents: usize,
    pub indices: Vec<Option<f64>>,
}

/// The first of a figure's peer groups that is large enough: the one the
/// tables and reports compare with.
pub fn default_peer(figures: &[PeerFigure]) -> Option<&PeerFigure> {
    figures.iter().find(|f| f.benchmark.is_some())
}

/// One organisation's analysis.
pub struct Organisation {
    pub name: String,
    /// The subfolder of its outputs; `None` when the input holds only one.
    pub folder: Option<String>,
    /// The full analysis, or (in a multi-organisation input, see
    /// [`analyse_all`]) only the whole organisation's figures per year.
    pub analysis: Analysis,
    /// Its respondents' keys in the answers table (multi-organisation
    /// inputs; empty with one organisation).
    pub respondents: Vec<u32>,
    /// Percentile rank among the organisations per (year, level, key).
    pub ranks: ByKey<f64>,
    /// Its peer groups' figures per (year, level, key), in the order of
    /// `[peers] groups` (empty without an organisations file).
    pub peers: ByKey<Vec<PeerFigure>>,
    /// Per year, its two weakest categories with the initiatives of peers
    /// that lead there (see [`crate::organisations::inspiration`]).
    pub inspiration: BTreeMap<i32, Vec<crate::organisations::inspiration::Inspiration>>,
    /// Its shown units' indices, kept when the analysis is slimmed (the
    /// open-data package of a multi-organisation run).
    pub units: Vec<UnitFigures>,
    /// The spread of its full analysis (units included), kept when the
    /// analysis is slimmed, for the run's common chart axes.
    pub extent: Extent,
}

impl Organisation {
    /// Whether `name` names this organisation: its name (any case) or its
    /// output folder.
    pub fn is_named(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
            || self
                .folder
                .as_deref()
                .is_some_and(|f| f == crate::format::slug(name))
    }
}

/// The percentile rank of `value` among `all` (which includes it):
/// `100 · (below + ½ · equal) / n`, the mid-rank definition.
pub fn percentile_rank(value: f64, all: &[f64]) -> f64 {
    let below = all.iter().filter(|v| **v < value).count() as f64;
    let equal = all.iter().filter(|v| **v == value).count() as f64;
    100.0 * (below + 0.5 * equal) / all.len() as f64
}

/// Splits the answers by organisation and analyses each. With no
/// organisation column (or one organisation), the whole input is one
/// organisation named `default_name`, fully analysed. With several, each
/// keeps only its totals (for the shared benchmark and the percentiles) and
/// its respondents: [`Organisation::full`] analyses it again when it is rendered,
/// so that a national run holds one organisation's analysis per core
/// (`jobs`) at a time.
pub fn analyse_all(
    answers: &Answers,
    model: &Model,
    threshold: usize,
    population: &Population,
    default_name: &str,
    jobs: usize,
) -> Result<Vec<Organisation>> {
    // One pass over the respondents for each organisation's keys
    let mut keys: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut missing = 0;
    for r in 0..answers.respondents() {
        match answers.organisation(r) {
            Some(name) => keys.entry(name).or_default().push(r as u32),
            None => missing += answers.answers_of(r),
        }
    }
    if keys.len() > 1 && missing > 0 {
        return Err(Error::Usage(format!(
            "the input holds several organisations, but {missing} answers have no organisation; fill the organisation column in every row"
        )));
    }
    if keys.len() <= 1 {
        let name = keys
            .keys()
            .next()
            .map(|n| n.to_string())
            .unwrap_or_else(|| default_name.to_string());
        let analysis = analyse::analyse(answers, model, threshold, population)?;
        return Ok(vec![Organisation {
            name,
            folder: None,
            respondents: Vec::new(),
            extent: analysis.extent(model),
            analysis,
            ranks: BTreeMap::new(),
            peers: BTreeMap::new(),
            inspiration: BTreeMap::new(),
            units: Vec::new(),
        }]);
    }
    // the year folder's own entries are no organisation's
    let mut folders: std::collections::BTreeSet<String> =
        ["open-data".to_string(), "index.json".to_string()].into();
    let named: Vec<(&str, String, Vec<u32>)> = keys
        .into_iter()
        .map(|(name, idx)| {
            let mut folder = crate::format::slug(name);
            let mut i = 2;
            while !folders.insert(folder.clone()) {
                folder = format!("{}-{i}", crate::format::slug(name));
                i += 1;
            }
            (name, folder, idx)
        })
        .collect();
    // one organisation per core; its answers taken out, analysed and
    // dropped, so that few copies exist beside the whole; the slimmed
    // results in name order
    let analysed = crate::parallel::map_ordered(&named, jobs, |(name, folder, idx)| {
        let analysis = analyse_rows(answers, idx, model, threshold)?;
        let mut org = Organisation {
            extent: analysis.extent(model),
            analysis,
            name: name.to_string(),
            folder: Some(folder.clone()),
            respondents: idx.clone(),
            ranks: BTreeMap::new(),
            peers: BTreeMap::new(),
            inspiration: BTreeMap::new(),
            units: Vec::new(),
        };
        // only its totals (and its units' indices) stay: see Organisation::slim
        org.slim(model);
        Ok(org)
    });
    let mut orgs = analysed.into_iter().collect::<Result<Vec<_>>>()?;
    rank(&mut orgs, model);
    Ok(orgs)
}

impl Organisation {
    /// Drops all but the whole organisation's figures per year: what the
    /// shared benchmark, the percentile ranks and the choice of years need.
    /// [`Organisation::full`] computes the rest again when it is rendered,
    /// so that a national run holds one organisation's analysis at a time.
    fn slim(&mut self, model: &Model) {
        let keys = analyse::keys(model);
        self.units = self
            .analysis
            .groups
            .values()
            .filter(|g| g.shown())
            .filter_map(|g| {
                Some(UnitFigures {
                    year: g.year,
                    unit: g.group.unit()?.to_string(),
                    respondents: g.respondents,
                    indices: keys.iter().map(|(l, k)| g.index(*l, k)).collect(),
                })
            })
            .collect();
        let a = &mut self.analysis;
        a.groups
            .retain(|key, _| key.group == analyse::Group::Organisation);
        a.respondents = Vec::new();
        a.reliability.clear();
    }

    /// The full analysis of a slimmed organisation, from the answers table
    /// it was split from (the same computation as [`analyse_all`]'s).
    pub fn full(&self, answers: &Answers, model: &Model, threshold: usize) -> Result<Organisation> {
        Ok(Organisation {
            name: self.name.clone(),
            folder: self.folder.clone(),
            analysis: analyse_rows(answers, &self.respondents, model, threshold)?,
            respondents: Vec::new(),
            ranks: self.ranks.clone(),
            peers: self.peers.clone(),
            inspiration: self.inspiration.clone(),
            units: self.units.clone(),
            extent: self.extent,
        })
    }
}

/// The analysis of one organisation of a multi-organisation input: its
/// respondents, taken out of the answers table and analysed on their own.
fn analyse_rows(
    answers: &Answers,
    respondents: &[u32],
    model: &Model,
    threshold: usize,
) -> Result<Analysis> {
    let part = answers.select(respondents);
    // invited counts are per organisation and not known here
    analyse::analyse(&part, model, threshold, &Population::default())
}

/// The organisations' shown indices per (year, level, key).
fn indices(
    orgs: &[Organisation],
    model: &Model,
) -> BTreeMap<(i32, Level, String), Vec<(usize, f64)>> {
    let mut out: BTreeMap<(i32, Level, String), Vec<(usize, f64)>> = BTreeMap::new();
    for (i, o) in orgs.iter().enumerate() {
        for &year in &o.analysis.years {
            let Some(g) = o.analysis.organisation(year).filter(|g| g.shown()) else {
                continue;
            };
            for (level, key) in analyse::keys(model) {
                if let Some(v) = g.index(level, &key) {
                    out.entry((year, level, key)).or_default().push((i, v));
                }
            }
        }
    }
    out
}

fn rank(orgs: &mut [Organisation], model: &Model) {
    for (key, values) in indices(orgs, model) {
        let all: Vec<f64> = values.iter().map(|(_, v)| *v).collect();
        for (i, v) in values {
            orgs[i].ranks.insert(key.clone(), percentile_rank(v, &all));
        }
    }
}

/// Every organisation's figures against each of its peer groups: for each
/// `[peers] groups` column, the organisations sharing its value there (in
/// the organisations file) and holding the figure that year; their
/// unweighted mean and its percentile rank among them, when they are at
/// least `[peers] min_size`.
pub fn attach_peers(
    orgs: &mut [Organisation],
    model: &Model,
    directory: &crate::peers::Directory,
    config: &crate::config::PeersConfig,
) {
    if directory.organisations.is_empty() {
        return;
    }
    let columns: Vec<(&str, crate::peers::GroupColumn)> = config
        .groups
        .iter()
        .map(|g| (g.as_str(), crate::peers::group_column(g, config)))
        .collect();
    // each organisation's value in each group column
    let values: Vec<Vec<Option<String>>> = orgs
        .iter()
        .map(|o| {
            let info = directory.get(&o.name);
            columns
                .iter()
                .map(|(_, c)| info.and_then(|i| directory.group_value(i, c, &config.size_bounds)))
                .collect()
        })
        .collect();
    for (key, figures) in indices(orgs, model) {
        for (c, (group, column)) in columns.iter().enumerate() {
            let mut members: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
            for (i, v) in &figures {
                if let Some(value) = &values[*i][c] {
                    members.entry(value).or_default().push(*v);
                }
            }
            for (i, v) in &figures {
                let Some(value) = &values[*i][c] else {
                    continue;
                };
                let all = &members[value.as_str()];
                let large = all.len() >= config.min_size;
                let figure = PeerFigure {
                    group: group.to_string(),
                    column: column.clone(),
                    employees: *column == crate::peers::GroupColumn::Size
                        && directory.size_counts_employees,
                    value: value.clone(),
                    n: all.len(),
                    benchmark: large.then(|| all.iter().sum::<f64>() / all.len() as f64),
                    percentile: large.then(|| percentile_rank(*v, all)),
                };
                orgs[*i].peers.entry(key.clone()).or_default().push(figure);
            }
        }
    }
}

/// The mean of the organisations' indices as benchmark rows.
pub fn computed_benchmarks(orgs: &[Organisation], model: &Model) -> Vec<BenchmarkRow> {
    if orgs.len() < 2 {
        return Vec::new();
    }
    indices(orgs, model)
        .into_iter()
        .map(|((year, level, key), values)| BenchmarkRow {
            year,
            population: INPUT_POPULATION.to_string(),
            level,
            key,
            index: values.iter().map(|(_, v)| v).sum::<f64>() / values.len() as f64,
            n: Some(values.len()),
            file: String::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_ranks_by_hand() {
        let all = [40.0, 50.0, 50.0, 70.0];
        // 40: none below, itself equal -> 100 * 0.5 / 4
        assert_eq!(percentile_rank(40.0, &all), 12.5);
        // 50: one below, two equal -> 100 * (1 + 1) / 4
        assert_eq!(percentile_rank(50.0, &all), 50.0);
        // 70: three below -> 100 * 3.5 / 4
        assert_eq!(percentile_rank(70.0, &all), 87.5);
    }
}
