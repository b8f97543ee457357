//! From sums to figures: every level's index, spread and confidence
//! interval per group, and the anonymity rules applied to the groups.

use std::collections::BTreeMap;

use super::aggregate::Sums;
use super::formulas::{scale_index, weighted_mean};
use super::{scores, stats, suppress, Figure, Group, GroupKey, GroupResult, Population};
use crate::model::Model;

/// Every group's figures from its sums and its members' scores.
pub(super) fn build_groups(
    sums: BTreeMap<GroupKey, Sums>,
    respondents: &[scores::Respondent],
    model: &Model,
    population: &Population,
) -> BTreeMap<GroupKey, GroupResult> {
    sums.into_iter()
        .map(|(key, s)| {
            let members: Vec<&scores::Respondent> =
                s.members.iter().map(|&i| &respondents[i]).collect();
            let invited = population.of(&key.group);
            let (statements, categories, dimensions, total) = figures(&s, &members, model, invited);
            let g = GroupResult {
                year: key.year,
                group: key.group.clone(),
                respondents: s.respondents,
                suppression: None,
                statements,
                categories,
                dimensions,
                total,
            };
            (key, g)
        })
        .collect()
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

/// What each respondent adds to the counts the tables publish: itself,
/// then a valid answer in total, per dimension, category and statement.
fn counted(r: &scores::Respondent) -> impl Iterator<Item = bool> + '_ {
    std::iter::once(true)
        .chain(std::iter::once(r.total.is_some()))
        .chain(r.dimensions.iter().map(Option::is_some))
        .chain(r.categories.iter().map(Option::is_some))
        .chain(r.raw.iter().map(Option::is_some))
}

/// Decides what a year shows (`suppress::decide`, over every table the
/// year publishes) and marks every group of the year: the organisation and
/// its units, its roles, and the roles within units.
pub(super) fn disclosure_control(
    year: i32,
    respondents: &[scores::Respondent],
    model: &Model,
    threshold: usize,
    groups: &mut BTreeMap<GroupKey, GroupResult>,
) {
    let in_year = || respondents.iter().filter(|r| r.year == year);
    let names = |pick: fn(&scores::Respondent) -> Option<&String>| {
        let set: std::collections::BTreeSet<String> = in_year().filter_map(pick).cloned().collect();
        set.into_iter().collect::<Vec<String>>()
    };
    let measures = 2 + model.dimensions.len() + model.categories.len() + model.statements.len();
    let mut table = suppress::Table::new(
        names(|r| r.unit.as_ref()),
        names(|r| r.role.as_ref()),
        measures,
    );
    for r in in_year() {
        table.add(r.unit.as_deref(), r.role.as_deref(), counted(r));
    }
    let d = suppress::decide(&table, threshold);
    let first = GroupKey::new(year, Group::Organisation);
    let next = GroupKey::new(year + 1, Group::Organisation);
    for (key, g) in groups.range_mut(first..next) {
        let own = match &key.group {
            Group::Organisation => None,
            Group::Unit(u) => d.units.get(u).copied(),
            Group::Role(r) => d.roles.get(r).copied(),
            Group::UnitRole { unit, role } => {
                d.unit_roles.get(&(unit.clone(), role.clone())).copied()
            }
        };
        g.suppression = own.or(d.organisation);
    }
}
