//! From sums to figures: every level's index, spread and confidence
//! interval per group, and the anonymity rules applied to the groups.

use std::collections::BTreeMap;

use super::aggregate::{GroupKey, Sums};
use super::formulas::{scale_index, weighted_mean};
use super::{scores, stats, suppress, Figure, GroupResult, Population, Suppression};
use crate::model::Model;

/// Figures for the whole organisation and every group of a breakdown (the
/// group's name is in `GroupResult::unit`), and per year the respondents
/// who belong to no group.
pub(super) fn build_groups(
    sums: BTreeMap<GroupKey, Sums>,
    respondents: &[scores::Respondent],
    model: &Model,
    population: &Population,
) -> (BTreeMap<GroupKey, GroupResult>, BTreeMap<i32, usize>) {
    let mut groups = BTreeMap::new();
    let mut without_unit = BTreeMap::new();
    for ((year, unit), s) in sums {
        if unit.as_deref() == Some("") {
            // respondents without a unit: counted for suppression only
            without_unit.insert(year, s.respondents);
            continue;
        }
        let members: Vec<&scores::Respondent> =
            s.members.iter().map(|&i| &respondents[i]).collect();
        let invited = population.of(unit.as_deref());
        let (statements, categories, dimensions, total) = figures(&s, &members, model, invited);
        groups.insert(
            (year, unit.clone()),
            GroupResult {
                year,
                unit,
                respondents: s.respondents,
                suppression: None,
                statements,
                categories,
                dimensions,
                total,
            },
        );
    }
    (groups, without_unit)
}

/// Figures by statement, category or dimension code.
type Figures = BTreeMap<String, Figure>;

/// Every level's figures of one group from its sums and its members'
/// scores: statements, categories, dimensions and the total.
fn figures(
    s: &Sums,
    members: &[&scores::Respondent],
    model: &Model,
    invited: Option<usize>,
) -> (Figures, Figures, Figures, Figure) {
    let (min, max) = (model.scale.min as f64, model.scale.max as f64);
    let mean_of = |index: Option<f64>| index.map(|i| min + i / 100.0 * (max - min));
    let spread = |pick: &dyn Fn(&scores::Respondent) -> Option<f64>, fig: &mut Figure| {
        let values: Vec<f64> = members.iter().filter_map(|r| pick(r)).collect();
        if let Some(summary) = stats::summary(&values) {
            fig.sd = summary.sd;
            fig.score_mean = Some(summary.mean);
            fig.ci = fig
                .index
                .and_then(|i| stats::confidence_interval(i, &summary, invited, 0.95));
        }
    };
    let mut statements: BTreeMap<String, Figure> = BTreeMap::new();
    for (si, st) in model.statements.iter().enumerate() {
        let (n, sum, dk) = s.statements[si];
        let mean = (n > 0).then(|| sum / n as f64);
        let mut fig = Figure {
            index: mean.map(|m| scale_index(m, min, max)),
            mean,
            n,
            answers: n,
            dont_know: dk,
            ..Figure::default()
        };
        spread(&|r| r.statements[si], &mut fig);
        statements.insert(st.code.clone(), fig);
    }
    let mut categories: BTreeMap<String, Figure> = BTreeMap::new();
    for (ci, c) in model.categories.iter().enumerate() {
        let index = weighted_mean(
            model
                .statements_of(&c.code)
                .map(|st| (statements[&st.code].index, st.weight)),
        );
        let mut fig = Figure {
            index,
            mean: mean_of(index),
            n: s.categories[ci],
            answers: model
                .statements_of(&c.code)
                .map(|st| statements[&st.code].answers)
                .sum(),
            dont_know: model
                .statements_of(&c.code)
                .map(|st| statements[&st.code].dont_know)
                .sum(),
            ..Figure::default()
        };
        spread(&|r| r.categories[ci], &mut fig);
        categories.insert(c.code.clone(), fig);
    }
    let mut dimensions: BTreeMap<String, Figure> = BTreeMap::new();
    for (di, d) in model.dimensions.iter().enumerate() {
        let index = weighted_mean(
            model
                .categories_of(&d.code)
                .map(|c| (categories[&c.code].index, c.weight)),
        );
        let mut fig = Figure {
            index,
            mean: mean_of(index),
            n: s.dimensions[di],
            answers: model
                .categories_of(&d.code)
                .map(|c| categories[&c.code].answers)
                .sum(),
            dont_know: model
                .categories_of(&d.code)
                .map(|c| categories[&c.code].dont_know)
                .sum(),
            ..Figure::default()
        };
        spread(&|r| r.dimensions[di], &mut fig);
        dimensions.insert(d.code.clone(), fig);
    }
    let index = weighted_mean(
        model
            .dimensions
            .iter()
            .map(|d| (dimensions[&d.code].index, d.weight)),
    );
    let mut total = Figure {
        index,
        mean: mean_of(index),
        n: s.total,
        answers: dimensions.values().map(|f| f.answers).sum(),
        dont_know: dimensions.values().map(|f| f.dont_know).sum(),
        ..Figure::default()
    };
    spread(&|r| r.total, &mut total);
    (statements, categories, dimensions, total)
}

pub(super) fn apply_suppression(
    groups: &mut BTreeMap<GroupKey, GroupResult>,
    year: i32,
    without_unit: usize,
    threshold: usize,
) {
    let org_hidden = groups
        .get(&(year, None))
        .is_some_and(|g| g.respondents < threshold);
    let units: BTreeMap<String, usize> = groups
        .values()
        .filter(|g| g.year == year)
        .filter_map(|g| g.unit.clone().map(|u| (u, g.respondents)))
        .collect();
    let hidden = suppress::suppress_units(&units, without_unit, threshold);
    for g in groups.values_mut().filter(|g| g.year == year) {
        g.suppression = match &g.unit {
            None => org_hidden.then_some(Suppression::Primary),
            Some(_) if org_hidden => Some(Suppression::Primary),
            Some(u) => hidden.get(u).copied(),
        };
    }
}

/// Roles of the whole organisation in a year: hidden below the threshold,
/// with complements so that none can be derived from the total, and all
/// when the organisation is hidden.
pub(super) fn suppress_roles(
    groups: &BTreeMap<GroupKey, GroupResult>,
    roles: &mut BTreeMap<(i32, String), GroupResult>,
    year: i32,
    without_role: usize,
    threshold: usize,
) {
    let counts: BTreeMap<String, usize> = roles
        .iter()
        .filter(|((y, _), _)| *y == year)
        .map(|((_, r), g)| (r.clone(), g.respondents))
        .collect();
    let hidden = suppress::suppress_units(&counts, without_role, threshold);
    let org_hidden = groups.get(&(year, None)).is_none_or(|g| !g.shown());
    for ((_, r), g) in roles.iter_mut().filter(|((y, _), _)| *y == year) {
        g.suppression = if org_hidden {
            Some(Suppression::Primary)
        } else {
            hidden.get(r).copied()
        };
    }
}

/// Roles within each unit: hidden below the threshold, with complements so
/// that none can be derived from the unit, and all with a hidden unit.
pub(super) fn suppress_unit_roles(
    groups: &BTreeMap<GroupKey, GroupResult>,
    unit_roles: &mut BTreeMap<(i32, String, String), GroupResult>,
    threshold: usize,
) {
    let unit_keys: std::collections::BTreeSet<(i32, String)> =
        unit_roles.keys().map(|(y, u, _)| (*y, u.clone())).collect();
    for (year, unit) in unit_keys {
        let parent = groups.get(&(year, Some(unit.clone())));
        let unit_hidden = parent.is_none_or(|g| !g.shown());
        let unit_n = parent.map(|g| g.respondents).unwrap_or(0);
        let counts: BTreeMap<String, usize> = unit_roles
            .iter()
            .filter(|((y, u, _), _)| *y == year && *u == unit)
            .map(|((_, _, r), g)| (r.clone(), g.respondents))
            .collect();
        let without = unit_n.saturating_sub(counts.values().sum());
        let hidden = suppress::suppress_units(&counts, without, threshold);
        for ((_, _, r), g) in unit_roles
            .iter_mut()
            .filter(|((y, u, _), _)| *y == year && *u == unit)
        {
            g.suppression = if unit_hidden {
                Some(Suppression::Primary)
            } else {
                hidden.get(r).copied()
            };
        }
    }
}
