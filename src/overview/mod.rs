//! The national overview of a multi-organisation input: everyone's results
//! in one year, computed once from the organisations' own figures (their
//! totals, dimensions and categories, never a respondent's answers). The
//! overview report, `overview.csv` and the open-data package all read
//! these figures.
//!
//! Only shown figures count: an organisation whose total is hidden (fewer
//! respondents than the anonymity threshold) is counted among the
//! participants, never in a mean, a spread or the quadrant. No statistic
//! rests on fewer organisations than `[peers] min_size`: a type with fewer
//! is counted under "other types" (`kind` `None`), and a group or year
//! that stays below it gives no spread or mean at all.

use std::collections::BTreeMap;

use crate::analyse::{self, Change, Level};
use crate::model::Model;
use crate::organisations::Organisation;
use crate::peers::Directory;
use crate::portfolio::Register;

/// The distribution of one figure over organisations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub n: usize,
    pub mean: f64,
    pub min: f64,
    /// The quartiles (linear interpolation between order statistics,
    /// as spreadsheets' QUARTILE.INC).
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: f64,
}

impl Spread {
    /// The spread of `values`; `None` when there are none.
    pub fn of(values: &[f64]) -> Option<Spread> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        Some(Spread {
            n: v.len(),
            mean: v.iter().sum::<f64>() / v.len() as f64,
            min: v[0],
            q1: quantile(&v, 0.25),
            median: quantile(&v, 0.5),
            q3: quantile(&v, 0.75),
            max: v[v.len() - 1],
        })
    }

    /// The statistics by the names `overview.csv` gives them.
    pub fn named(&self) -> [(&'static str, f64); 7] {
        [
            ("n", self.n as f64),
            ("mean", self.mean),
            ("min", self.min),
            ("q1", self.q1),
            ("median", self.median),
            ("q3", self.q3),
            ("max", self.max),
        ]
    }
}

/// The `p` quantile of sorted values: position `p · (n − 1)`, linearly
/// interpolated.
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let pos = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (pos - lo as f64) * (sorted[hi] - sorted[lo])
}

/// One participating organisation in the year.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgRow {
    pub name: String,
    /// Its type and county in the organisations file.
    pub kind: Option<String>,
    /// The type its figures count under in the overview's statistics: its
    /// own, or `None` ("other types") when too few share it.
    pub counted_as: Option<String>,
    pub county: Option<String>,
    pub respondents: usize,
    /// `None` when hidden; else its index per [`analyse::keys`] (total,
    /// dimensions, categories, statements).
    pub indices: Option<Vec<Option<f64>>>,
    /// Its place in the quadrant (capability, legacy) when shown.
    pub quadrant: Option<(f64, f64)>,
    /// The change of its total since its previous shown year.
    pub change: Option<Change>,
    /// A type boundary lies within the confidence interval of its
    /// capability or legacy index: its maturity type is uncertain.
    pub near_boundary: bool,
}

impl OrgRow {
    /// Whether its total fell significantly since its previous year.
    pub fn declined(&self) -> bool {
        self.change
            .is_some_and(|c| c.significant == Some(true) && c.value < 0.0)
    }
}

/// Organisations and respondents of one type or county.
#[derive(Debug, Clone, PartialEq)]
pub struct Participation {
    /// The type or county; `None` when the organisations file does not
    /// say.
    pub key: Option<String>,
    pub organisations: usize,
    /// The respondents of its shown organisations.
    pub respondents: usize,
    /// Organisations whose figures are hidden.
    pub hidden: usize,
}

/// The totals and dimensions of one type of organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeSpread {
    pub kind: Option<String>,
    /// The total, then each dimension in model order.
    pub spreads: Vec<Option<Spread>>,
}

/// Mean totals per year: (year, mean, organisations).
pub type YearMeans = Vec<(i32, f64, usize)>;

/// The mean total of one type per year.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    /// `None`: every organisation.
    pub kind: Option<String>,
    pub points: YearMeans,
}

/// The initiatives of every register of the input in the year.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioOverview {
    /// Organisations with at least one initiative.
    pub organisations: usize,
    pub initiatives: usize,
    pub budget: f64,
    /// The balance of each axis over them all.
    pub balance: [crate::analyse::portfolio::AxisBalance; 3],
    /// Initiatives per category (model order) that strengthen it.
    pub per_category: Vec<usize>,
}

/// Everything the overview shows for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    pub year: i32,
    /// The anonymity threshold in force.
    pub threshold: usize,
    /// Every organisation with answers this year, by name.
    pub organisations: Vec<OrgRow>,
    pub by_type: Vec<Participation>,
    pub by_county: Vec<Participation>,
    /// Totals and dimensions per type (organisations without one last).
    pub spreads: Vec<TypeSpread>,
    /// The same over every organisation ([`figure_keys`] order).
    pub all: Vec<Option<Spread>>,
    /// Each category's spread over the organisations (model order).
    pub profile: Vec<Option<Spread>>,
    /// The mean total over the years up to this one, per type.
    pub trends: Vec<Trend>,
    /// The same over every organisation: (year, mean, organisations).
    pub trend_all: YearMeans,
    /// The target line (`[overview] target`).
    pub target: Option<f64>,
    /// Shown organisations whose total reaches the target.
    pub at_target: Option<usize>,
    /// Organisations per maturity type ([`quadrant_of`]); `None` without
    /// types in the model.
    pub quadrant_counts: Option<[usize; 4]>,
    /// `None` without registers.
    pub portfolio: Option<PortfolioOverview>,
}

/// The figures the overview spreads per type: the total, then each
/// dimension.
pub fn figure_keys(model: &Model) -> Vec<(Level, &str)> {
    std::iter::once((Level::Total, "total"))
        .chain(
            model
                .dimensions
                .iter()
                .map(|d| (Level::Dimension, d.code.as_str())),
        )
        .collect()
}

/// The maturity type of a point (capability, legacy): 0 low capability
/// and limiting legacy, 1 high and limiting, 2 low and enabling, 3 high
/// and enabling.
pub fn quadrant_of(types: &crate::model::Types, (x, y): (f64, f64)) -> usize {
    usize::from(x >= types.capability_threshold) + 2 * usize::from(y >= types.legacy_threshold)
}

/// The organisations the overview's conclusion says need attention,
/// decided once: those of the lowest maturity type (low capability, a
/// limiting legacy), those whose type is uncertain (a boundary within
/// their interval) and those whose total fell significantly. Shown
/// organisations only, by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attention<'a> {
    pub lowest_type: Vec<&'a OrgRow>,
    pub near_boundary: Vec<&'a OrgRow>,
    pub declined: Vec<&'a OrgRow>,
}

impl Overview {
    /// See [`Attention`]; `types` is the model's maturity types.
    pub fn attention(&self, types: Option<&crate::model::Types>) -> Attention<'_> {
        let shown = || self.organisations.iter().filter(|r| r.indices.is_some());
        Attention {
            lowest_type: match types {
                Some(t) => shown()
                    .filter(|r| r.quadrant.is_some_and(|q| quadrant_of(t, q) == 0))
                    .collect(),
                None => Vec::new(),
            },
            near_boundary: shown().filter(|r| r.near_boundary).collect(),
            declined: shown().filter(|r| r.declined()).collect(),
        }
    }

    /// Organisations with an earlier year to compare with, and of them
    /// those whose total rose and fell significantly.
    pub fn changed_counts(&self) -> (usize, usize, usize) {
        let with = self
            .organisations
            .iter()
            .filter(|r| r.change.is_some())
            .count();
        let changed = self.changed();
        let down = changed.iter().filter(|r| r.declined()).count();
        (with, changed.len() - down, down)
    }

    /// The organisations whose total changed significantly (Welch's test
    /// at 5 %), the largest change first.
    pub fn changed(&self) -> Vec<&OrgRow> {
        let mut out: Vec<&OrgRow> = self
            .organisations
            .iter()
            .filter(|o| o.change.is_some_and(|c| c.significant == Some(true)))
            .collect();
        out.sort_by(|a, b| {
            let v = |o: &OrgRow| o.change.map(|c| c.value.abs()).unwrap_or_default();
            v(b).total_cmp(&v(a)).then_with(|| a.name.cmp(&b.name))
        });
        out
    }
}

/// The overview of `year`; `None` unless the input holds several
/// organisations.
pub fn compute(
    orgs: &[Organisation],
    model: &Model,
    directory: &Directory,
    register: &Register,
    (year, threshold, target): (i32, usize, Option<f64>),
    min_size: usize,
) -> Option<Overview> {
    let keys = analyse::keys(model);
    let kind_of: Vec<Option<String>> = orgs
        .iter()
        .map(|o| directory.get(&o.name).and_then(|i| i.kind.clone()))
        .collect();
    let mut rows: Vec<OrgRow> = orgs
        .iter()
        .zip(&kind_of)
        .filter_map(|(o, kind)| org_row(o, kind, directory, model, &keys, year))
        .collect();
    if rows.len() < 2 {
        return None;
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    let (grouped, kinds) = group_types(&mut rows, min_size);
    let group_of = |r: &OrgRow| r.counted_as.clone();
    // an organisation of a type absent this year is in no type's trend
    let stat_kind_of: Vec<Option<Option<String>>> =
        kind_of.iter().map(|k| grouped.get(k).cloned()).collect();
    // each figure's position among the keys
    let position =
        |level: Level, code: &str| keys.iter().position(|(l, k)| *l == level && k == code);
    let values = |rows: &[&OrgRow], at: Option<usize>| -> Vec<f64> {
        rows.iter()
            .filter_map(|r| r.indices.as_ref()?.get(at?).copied().flatten())
            .collect()
    };
    let figure_positions: Vec<Option<usize>> = figure_keys(model)
        .into_iter()
        .map(|(level, key)| position(level, key))
        .collect();
    // no spread of fewer organisations than min_size, whichever figure
    let enough = |s: Option<Spread>| s.filter(|s| s.n >= min_size.max(1));
    let spread_of = |members: &[&OrgRow]| -> Vec<Option<Spread>> {
        figure_positions
            .iter()
            .map(|p| enough(Spread::of(&values(members, *p))))
            .collect()
    };
    let all: Vec<&OrgRow> = rows.iter().collect();
    let spreads = kinds
        .iter()
        .map(|k| {
            let members: Vec<&OrgRow> = rows.iter().filter(|r| &group_of(r) == k).collect();
            TypeSpread {
                kind: k.clone(),
                spreads: spread_of(&members),
            }
        })
        .collect();
    let profile = model
        .categories
        .iter()
        .map(|c| {
            enough(Spread::of(&values(
                &all,
                position(Level::Category, &c.code),
            )))
        })
        .collect();
    let trends = kinds
        .iter()
        .map(|k| Trend {
            kind: k.clone(),
            points: trend(orgs, &stat_kind_of, year, Some(k), min_size),
        })
        .collect();
    let totals = values(&all, Some(0));
    let quadrant_counts = model.types.as_ref().map(|types| {
        let mut counts = [0usize; 4];
        for p in rows.iter().filter_map(|r| r.quadrant) {
            counts[quadrant_of(types, p)] += 1;
        }
        counts
    });
    let names: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    Some(Overview {
        year,
        threshold,
        by_type: participation(&rows, |r| r.kind.clone()),
        by_county: participation(&rows, |r| r.county.clone()),
        portfolio: portfolio(register, model, year, &names),
        all: spread_of(&all),
        spreads,
        profile,
        trends,
        trend_all: trend(orgs, &vec![None; orgs.len()], year, None, min_size),
        target,
        at_target: target.map(|t| totals.iter().filter(|v| **v >= t).count()),
        quadrant_counts,
        organisations: rows,
    })
}

/// One organisation's row of the overview; `None` when it has no answers
/// in `year`.
fn org_row(
    o: &Organisation,
    kind: &Option<String>,
    directory: &Directory,
    model: &Model,
    keys: &[(Level, String)],
    year: i32,
) -> Option<OrgRow> {
    let g = o.analysis.organisation(year)?;
    let shown = g.shown();
    let quadrant = model.types.as_ref().and_then(|t| {
        Some((
            g.index(Level::Dimension, &t.capability)?,
            g.index(Level::Dimension, &t.legacy)?,
        ))
    });
    // a boundary within either interval: the type could be the neighbour
    let near_boundary = model.types.as_ref().is_some_and(|t| {
        g.interval_spans(Level::Dimension, &t.capability, t.capability_threshold)
            || g.interval_spans(Level::Dimension, &t.legacy, t.legacy_threshold)
    });
    Some(OrgRow {
        name: o.name.clone(),
        kind: kind.clone(),
        counted_as: None,
        county: directory.get(&o.name).and_then(|i| i.county.clone()),
        respondents: g.respondents,
        indices: shown.then(|| keys.iter().map(|(l, k)| g.index(*l, k)).collect()),
        quadrant: quadrant.filter(|_| shown),
        change: shown
            .then(|| {
                o.analysis
                    .change(year, &analyse::Group::Organisation, Level::Total, "total")
            })
            .flatten(),
        near_boundary: shown && near_boundary,
    })
}

/// Which type each organisation's statistics count under: a type with fewer
/// shown organisations than `min_size` gives no statistic of its own, and
/// its organisations count under "other" (`None`). Sets each row's
/// `counted_as`; returns the map from type to the type counted, and the
/// types (with "other") that have enough shown organisations for a
/// statistic.
#[allow(clippy::type_complexity)]
fn group_types(
    rows: &mut [OrgRow],
    min_size: usize,
) -> (
    BTreeMap<Option<String>, Option<String>>,
    Vec<Option<String>>,
) {
    let shown_of = |rows: &[OrgRow], kind: &Option<String>| {
        rows.iter()
            .filter(|r| &r.kind == kind && r.indices.is_some())
            .count()
    };
    let grouped: BTreeMap<Option<String>, Option<String>> =
        distinct(rows.iter().map(|r| r.kind.clone()))
            .into_iter()
            .map(|k| {
                let own = k.is_some() && shown_of(rows, &k) >= min_size.max(1);
                (k.clone(), if own { k } else { None })
            })
            .collect();
    for r in rows.iter_mut() {
        r.counted_as = grouped[&r.kind].clone();
    }
    let kinds = distinct(rows.iter().map(|r| r.counted_as.clone()))
        .into_iter()
        .filter(|k| {
            let shown = rows
                .iter()
                .filter(|r| &r.counted_as == k && r.indices.is_some())
                .count();
            shown >= min_size.max(1)
        })
        .collect();
    (grouped, kinds)
}

/// The distinct values, in order, `None` (not given) last.
fn distinct(values: impl Iterator<Item = Option<String>>) -> Vec<Option<String>> {
    let set: std::collections::BTreeSet<Option<String>> = values.collect();
    let (none, some): (Vec<_>, Vec<_>) = set.into_iter().partition(Option::is_none);
    some.into_iter().chain(none).collect()
}

fn participation(rows: &[OrgRow], key: impl Fn(&OrgRow) -> Option<String>) -> Vec<Participation> {
    let mut by: BTreeMap<Option<String>, Participation> = BTreeMap::new();
    for r in rows {
        let k = key(r);
        let p = by.entry(k.clone()).or_insert(Participation {
            key: k,
            organisations: 0,
            respondents: 0,
            hidden: 0,
        });
        p.organisations += 1;
        // a hidden organisation's respondents are no more shown here than
        // in its own tables: it is counted, its n is not
        match r.indices {
            Some(_) => p.respondents += r.respondents,
            None => p.hidden += 1,
        }
    }
    let (none, some): (Vec<_>, Vec<_>) = by.into_values().partition(|p| p.key.is_none());
    some.into_iter().chain(none).collect()
}

/// The mean shown total of the organisations of a type (`None`: of all;
/// `kind_of` gives each organisation's group, `None` for one in no group)
/// in each year up to `last`, for the years with at least `min_size` of
/// them.
fn trend(
    orgs: &[Organisation],
    kind_of: &[Option<Option<String>>],
    last: i32,
    kind: Option<&Option<String>>,
    min_size: usize,
) -> YearMeans {
    let mut by_year: BTreeMap<i32, Vec<f64>> = BTreeMap::new();
    for (o, k) in orgs.iter().zip(kind_of) {
        if kind.is_some_and(|want| k.as_ref() != Some(want)) {
            continue;
        }
        for &year in o.analysis.years.iter().filter(|y| **y <= last) {
            if let Some(v) = o
                .analysis
                .organisation(year)
                .filter(|g| g.shown())
                .and_then(|g| g.total.index)
            {
                by_year.entry(year).or_default().push(v);
            }
        }
    }
    by_year
        .into_iter()
        .filter(|(_, v)| v.len() >= min_size.max(1))
        .map(|(y, v)| (y, v.iter().sum::<f64>() / v.len() as f64, v.len()))
        .collect()
}

/// The national portfolio of the year: the initiatives of the
/// organisations taking part that year (`names`).
fn portfolio(
    register: &Register,
    model: &Model,
    year: i32,
    names: &std::collections::BTreeSet<&str>,
) -> Option<PortfolioOverview> {
    if register.files.is_empty() {
        return None;
    }
    let items: Vec<&crate::portfolio::Initiative> = register
        .of_year(year)
        .filter(|i| i.organisation.as_deref().is_some_and(|o| names.contains(o)))
        .collect();
    let organisations: std::collections::BTreeSet<&str> = items
        .iter()
        .filter_map(|i| i.organisation.as_deref())
        .collect();
    Some(PortfolioOverview {
        organisations: organisations.len(),
        initiatives: items.len(),
        budget: items.iter().filter_map(|i| i.budget).sum(),
        balance: [0, 1, 2].map(|k| crate::analyse::portfolio::balance(&items, k)),
        per_category: model
            .categories
            .iter()
            .map(|c| {
                items
                    .iter()
                    .filter(|i| i.categories.contains(&c.code))
                    .count()
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_by_hand() {
        // sorted 10, 20, 40, 50, 80: q1 at 1 -> 20, median at 2 -> 40, q3
        // at 3 -> 50; mean 200 / 5
        let s = Spread::of(&[50.0, 10.0, 80.0, 20.0, 40.0]).unwrap();
        assert_eq!(
            (s.n, s.mean, s.min, s.q1, s.median, s.q3, s.max),
            (5, 40.0, 10.0, 20.0, 40.0, 50.0, 80.0)
        );
        // four values 1, 2, 3, 4: q1 at 0.75 -> 1.75, median 2.5, q3 3.25
        let s = Spread::of(&[4.0, 3.0, 2.0, 1.0]).unwrap();
        assert_eq!((s.q1, s.median, s.q3), (1.75, 2.5, 3.25));
        assert_eq!(Spread::of(&[]), None);
    }

    #[test]
    fn unknown_types_last() {
        let d = distinct(
            [Some("region"), None, Some("kommun"), Some("region")]
                .into_iter()
                .map(|s| s.map(String::from)),
        );
        assert_eq!(d, vec![Some("kommun".into()), Some("region".into()), None]);
    }

    #[test]
    fn attention_goes_to_the_lowest_type_the_uncertain_and_the_declining() {
        let types = crate::model::Model::builtin().types.unwrap();
        let (cx, ly) = (types.capability_threshold, types.legacy_threshold);
        let change = |value: f64, significant: bool| Change {
            from_year: 2024,
            value,
            before: 50.0,
            significant: Some(significant),
            p: None,
        };
        let row =
            |name: &str, q: (f64, f64), change: Option<Change>, near: bool, shown: bool| OrgRow {
                name: name.into(),
                kind: None,
                counted_as: None,
                county: None,
                respondents: 10,
                indices: shown.then(Vec::new),
                quadrant: Some(q),
                change,
                near_boundary: near,
            };
        let overview = Overview {
            year: 2025,
            threshold: 5,
            organisations: vec![
                // low capability and limiting legacy: the lowest type
                row("A", (cx - 10.0, ly - 10.0), None, false, true),
                // high capability: not the lowest; a significant fall
                row(
                    "B",
                    (cx + 10.0, ly - 10.0),
                    Some(change(-3.0, true)),
                    false,
                    true,
                ),
                // a fall that is not significant, a rise that is
                row(
                    "C",
                    (cx + 10.0, ly + 10.0),
                    Some(change(-3.0, false)),
                    true,
                    true,
                ),
                row(
                    "D",
                    (cx + 10.0, ly + 10.0),
                    Some(change(4.0, true)),
                    false,
                    true,
                ),
                // hidden: never named
                row(
                    "E",
                    (cx - 10.0, ly - 10.0),
                    Some(change(-9.0, true)),
                    true,
                    false,
                ),
            ],
            by_type: Vec::new(),
            by_county: Vec::new(),
            spreads: Vec::new(),
            all: Vec::new(),
            profile: Vec::new(),
            trends: Vec::new(),
            trend_all: Vec::new(),
            target: None,
            at_target: None,
            quadrant_counts: None,
            portfolio: None,
        };
        let a = overview.attention(Some(&types));
        let names = |rows: &[&OrgRow]| rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&a.lowest_type), ["A"]);
        assert_eq!(names(&a.declined), ["B"]);
        assert_eq!(names(&a.near_boundary), ["C"]);
        assert!(overview.attention(None).lowest_type.is_empty());
    }
}
