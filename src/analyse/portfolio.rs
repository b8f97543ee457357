//! Portfolio analytics: the balance on each axis by count and by budget,
//! the coverage of the model by initiatives, and the priorities where a
//! weak category has little or no ongoing or planned investment. Computed
//! once per year and group ([`attach`]); the tables and the report's
//! sections read [`Analysis::portfolio`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{review, Analysis, Group, GroupKey, GroupResult, Level};
use crate::model::Model;
use crate::portfolio::{Initiative, Register, Status};

/// At most this many ongoing or planned initiatives make a weak category a
/// priority.
pub const PRIORITY_MAX_ACTIVE: usize = 1;

/// The portfolio's figures for one group (the organisation or one unit's
/// own initiatives) in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioFigures {
    /// Initiatives in the year's register.
    pub initiatives: usize,
    /// Ongoing and planned among them.
    pub active: usize,
    /// Their budget.
    pub budget: f64,
    /// The balance of each axis, per subset: all initiatives, completed,
    /// ongoing, planned (the order of [`SUBSETS`]).
    pub balance: [[AxisBalance; 3]; 4],
    /// The latest earlier register year and the balance of the group's
    /// initiatives in it.
    pub previous: Option<(i32, [AxisBalance; 3])>,
    /// Coverage of every dimension, category and statement.
    pub coverage: Vec<Coverage>,
    /// Weak categories with little investment (empty without initiatives
    /// or without the group's figures).
    pub priorities: Vec<Priority>,
}

/// The subsets of [`PortfolioFigures::balance`].
pub const SUBSETS: [&str; 4] = ["all", "completed", "ongoing", "planned"];

impl PortfolioFigures {
    /// The balance of all the group's initiatives.
    pub fn all(&self) -> &[AxisBalance; 3] {
        &self.balance[0]
    }

    /// The coverage of one category, if the model has it.
    pub fn category(&self, code: &str) -> Option<&Coverage> {
        self.coverage
            .iter()
            .find(|c| c.level == Level::Category && c.key == code)
    }
}

/// The figures of `items` (one group's initiatives in `year`).
pub(crate) fn figures(
    items: &[&Initiative],
    since_survey: &[&Initiative],
    previous: Option<(i32, Vec<&Initiative>)>,
    model: &Model,
    group: Option<&GroupResult>,
    weak_margin: f64,
) -> PortfolioFigures {
    let axes = |items: &[&Initiative]| [0, 1, 2].map(|k| balance(items, k));
    let subset = |s: Status| -> Vec<&Initiative> {
        items.iter().copied().filter(|i| i.status == s).collect()
    };
    PortfolioFigures {
        initiatives: items.len(),
        active: items
            .iter()
            .filter(|i| i.status != Status::Completed)
            .count(),
        budget: items.iter().filter_map(|i| i.budget).sum(),
        balance: [
            axes(items),
            axes(&subset(Status::Completed)),
            axes(&subset(Status::Ongoing)),
            axes(&subset(Status::Planned)),
        ],
        previous: previous.map(|(y, before)| (y, axes(&before))),
        // completed means completed since the previous survey, as in the
        // statement review
        coverage: coverage(since_survey, model),
        priorities: match group {
            Some(g) if !items.is_empty() => {
                priorities(items, model, g, PRIORITY_MAX_ACTIVE, weak_margin)
            }
            _ => Vec::new(),
        },
    }
}

/// What the portfolio's figures, the statement review and the effect
/// follow-up are computed from, besides the analysis.
pub struct Inputs<'a> {
    pub register: &'a Register,
    pub model: &'a Model,
    /// Each survey year's latest submit date: the review's periods.
    pub survey_dates: &'a BTreeMap<i32, NaiveDate>,
    /// A category is weak (a priority when little is invested in it) at
    /// this many points or more below the group's total, as printed: the
    /// reports' notion of the weakest categories (`[thresholds]
    /// stands_out`).
    pub weak_margin: f64,
    /// The organisation's name: seeds the follow-up's bootstrap.
    pub organisation: &'a str,
}

/// Computes the portfolio's figures of every year of the analysis: the
/// whole organisation's (every year, when there is a register) and each
/// unit's with initiatives of its own; then the statement review and the
/// effect follow-up of the same groups ([`review::attach`]). Replaces any
/// earlier figures.
pub fn attach(analysis: &mut Analysis, inputs: &Inputs) {
    let (register, model) = (inputs.register, inputs.model);
    analysis.portfolio.clear();
    analysis.review.clear();
    analysis.effects.clear();
    if register.files.is_empty() {
        return;
    }
    review::attach(analysis, inputs);
    for &year in &analysis.years {
        let all: Vec<&Initiative> = register.of_year(year).collect();
        let mut units: Vec<Option<&String>> = vec![None];
        let named: std::collections::BTreeSet<&String> =
            all.iter().filter_map(|i| i.unit.as_ref()).collect();
        units.extend(named.into_iter().map(Some));
        let previous_year = register.previous_year(year);
        for unit in units {
            let mine = |i: &&Initiative| unit.is_none() || i.unit.as_ref() == unit;
            let items: Vec<&Initiative> = all.iter().copied().filter(mine).collect();
            let previous = previous_year.map(|y| (y, register.of_year(y).filter(mine).collect()));
            let key = GroupKey::new(year, Group::of_unit(unit.map(String::as_str)));
            let surveyed = analysis.previous(year, &key.group).map(|p| p.year);
            let window = review::window(surveyed, year, inputs);
            let since_survey = review::counted(register, year, window, &|i: &Initiative| {
                unit.is_none() || i.unit.as_ref() == unit
            });
            let f = figures(
                &items,
                &since_survey,
                previous,
                model,
                analysis.groups.get(&key),
                inputs.weak_margin,
            );
            analysis.portfolio.insert(key, f);
        }
    }
}

/// Shares of the two poles and the middle of one axis (0-1 each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Shares {
    /// Efficiency / operational / internal (values below 0).
    pub low: f64,
    /// Exactly in the middle.
    pub middle: f64,
    /// Innovation / strategic / external (values above 0).
    pub high: f64,
}

impl Shares {
    /// The shares as the reports print them: whole per cent, low, middle
    /// and high, summing to 100 (`format::whole_percents`).
    pub fn percents(&self) -> [u32; 3] {
        match crate::format::whole_percents(&[self.low, self.middle, self.high])[..] {
            [l, m, h] => [l, m, h],
            _ => [0; 3],
        }
    }
}

/// The balance of one axis among a set of initiatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct AxisBalance {
    /// Initiatives with a value on the axis.
    pub n: usize,
    pub by_count: Option<Shares>,
    /// Shares of the budget of the initiatives with a value and a budget.
    pub by_budget: Option<Shares>,
    /// The mean position, -1..1.
    pub mean: Option<f64>,
    /// The budget-weighted mean position.
    pub budget_mean: Option<f64>,
    /// The budget of the initiatives with a value on the axis.
    pub budget: f64,
}

/// Which way an axis of the portfolio leans, judged on the count of
/// initiatives and their budget together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Lean {
    /// Toward the low pole (efficiency, operational, internal).
    Low,
    /// Balanced by count and by budget.
    Balanced,
    /// Toward the high pole (innovation, strategic, external).
    High,
    /// Count and budget lean opposite ways.
    Split,
}

impl Lean {
    /// The value the findings and recommendation rules test: 1 low, 0
    /// balanced, -1 high, 2 split.
    pub fn value(self) -> f64 {
        match self {
            Lean::Low => 1.0,
            Lean::Balanced => 0.0,
            Lean::High => -1.0,
            Lean::Split => 2.0,
        }
    }
}

impl AxisBalance {
    /// The axis's lean, one rule for count and budget: for each (budget
    /// only where budgets are given), the low pole's share of the
    /// initiatives at either pole, from the printed whole per cent, is
    /// balanced from `min` to `max` (`[thresholds] balanced_min`,
    /// `balanced_max`); above it the measure leans low, below it high. The
    /// axis leans where a measure leans and the other does not lean the
    /// other way; it is split when they lean opposite ways. `None` when no
    /// initiative sits at either pole.
    pub fn lean(&self, (min, max): (f64, f64)) -> Option<Lean> {
        let side = |s: Option<Shares>| -> Option<i8> {
            let [low, _, high] = s?.percents();
            if low + high == 0 {
                return None;
            }
            let share = low as f64 / (low + high) as f64;
            Some(if share > max {
                1
            } else if share < min {
                -1
            } else {
                0
            })
        };
        let sides: Vec<i8> = [side(self.by_count), side(self.by_budget)]
            .into_iter()
            .flatten()
            .collect();
        if sides.is_empty() {
            return None;
        }
        Some(match (sides.contains(&1), sides.contains(&-1)) {
            (true, true) => Lean::Split,
            (true, false) => Lean::Low,
            (false, true) => Lean::High,
            (false, false) => Lean::Balanced,
        })
    }
}

/// Initiatives and budget per status for one statement, category or
/// dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub level: Level,
    pub key: String,
    /// Completed, ongoing, planned.
    pub count: [usize; 3],
    pub budget: [f64; 3],
}

/// A weak category with little investment behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Priority {
    pub category: String,
    pub index: f64,
    /// Ongoing and planned initiatives strengthening it.
    pub ongoing_planned: usize,
    pub budget: f64,
}

fn status_index(s: Status) -> usize {
    match s {
        Status::Completed => 0,
        Status::Ongoing => 1,
        // proposals are kept out of the portfolio (`Register::proposals`)
        Status::Planned | Status::Proposed => 2,
    }
}

/// The balance of axis `k` (0 efficiency-innovation, 1 operational-
/// strategic, 2 internal-external).
pub fn balance(items: &[&Initiative], k: usize) -> AxisBalance {
    let with: Vec<(f64, Option<f64>)> = items
        .iter()
        .filter_map(|i| i.axes[k].map(|v| (v, i.budget)))
        .collect();
    let n = with.len();
    let shares = |weights: &[(f64, f64)]| -> Option<Shares> {
        let total: f64 = weights.iter().map(|(_, w)| w).sum();
        (total > 0.0).then(|| {
            let part = |f: &dyn Fn(f64) -> bool| {
                weights
                    .iter()
                    .filter(|(v, _)| f(*v))
                    .map(|(_, w)| w)
                    .sum::<f64>()
                    / total
            };
            Shares {
                low: part(&|v| v < 0.0),
                middle: part(&|v| v == 0.0),
                high: part(&|v| v > 0.0),
            }
        })
    };
    let counted: Vec<(f64, f64)> = with.iter().map(|(v, _)| (*v, 1.0)).collect();
    let budgeted: Vec<(f64, f64)> = with
        .iter()
        .filter_map(|(v, b)| b.map(|b| (*v, b)))
        .collect();
    let weighted_mean = |pairs: &[(f64, f64)]| {
        let total: f64 = pairs.iter().map(|(_, w)| w).sum();
        (total > 0.0).then(|| pairs.iter().map(|(v, w)| v * w).sum::<f64>() / total)
    };
    AxisBalance {
        n,
        budget: budgeted.iter().map(|(_, b)| b).sum(),
        by_count: shares(&counted),
        by_budget: shares(&budgeted),
        mean: weighted_mean(&counted),
        budget_mean: weighted_mean(&budgeted),
    }
}

/// Coverage of every dimension, category and statement.
pub fn coverage(items: &[&Initiative], model: &Model) -> Vec<Coverage> {
    let mut out = Vec::new();
    let mut add = |level: Level, key: &str, linked: &dyn Fn(&Initiative) -> bool| {
        let mut c = Coverage {
            level,
            key: key.to_string(),
            count: [0; 3],
            budget: [0.0; 3],
        };
        for i in items.iter().filter(|i| linked(i)) {
            let s = status_index(i.status);
            c.count[s] += 1;
            c.budget[s] += i.budget.unwrap_or(0.0);
        }
        out.push(c);
    };
    for d in &model.dimensions {
        let cats: Vec<&str> = model
            .categories_of(&d.code)
            .map(|c| c.code.as_str())
            .collect();
        add(Level::Dimension, &d.code, &|i| {
            i.categories.iter().any(|c| cats.contains(&c.as_str()))
        });
    }
    for c in &model.categories {
        add(Level::Category, &c.code, &|i| {
            i.categories.contains(&c.code)
        });
    }
    for s in &model.statements {
        add(Level::Statement, &s.code, &|i| {
            i.statements.contains(&s.code)
        });
    }
    out
}

/// The categories in the weakest third of the group's profile (rounded
/// up) that have at most `max_initiatives` ongoing or planned initiatives.
pub fn priorities(
    items: &[&Initiative],
    model: &Model,
    group: &GroupResult,
    max_initiatives: usize,
    weak_margin: f64,
) -> Vec<Priority> {
    let Some(total) = group.total.index else {
        return Vec::new();
    };
    group
        .categories_ascending(model)
        .into_iter()
        .filter(|(index, _)| crate::format::at_least_above(total, *index, weak_margin))
        .filter_map(|(index, i)| {
            let code = &model.categories[i].code;
            let active: Vec<&&Initiative> = items
                .iter()
                .filter(|x| x.categories.contains(code) && x.status != Status::Completed)
                .collect();
            (active.len() <= max_initiatives).then(|| Priority {
                category: code.clone(),
                index,
                ongoing_planned: active.len(),
                budget: active.iter().filter_map(|x| x.budget).sum(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn initiative(
        status: Status,
        budget: Option<f64>,
        eff: Option<f64>,
        cats: &[&str],
    ) -> Initiative {
        Initiative {
            year: 2025,
            id: "x".into(),
            name: "x".into(),
            unit: None,
            organisation: None,
            status,
            start: None,
            end: None,
            budget,
            statements: vec![],
            categories: cats.iter().map(|c| c.to_string()).collect(),
            axes: [eff, None, None],
            file: String::new(),
            row: 0,
        }
    }

    #[test]
    fn the_lean_is_judged_on_count_and_budget_together() {
        let shares = |low: f64, middle: f64, high: f64| Some(Shares { low, middle, high });
        let axis = |count, budget| AxisBalance {
            by_count: count,
            by_budget: budget,
            ..AxisBalance::default()
        };
        let th = (0.4, 0.6);
        // 54 % / 17 % / 29 % of the budget: 54 of 83 at the poles is 65 %,
        // beyond 60 %: not "broadly balanced" as the budget share alone said
        let budget = shares(0.54, 0.17, 0.29);
        assert_eq!(
            axis(shares(0.5, 0.0, 0.5), budget).lean(th),
            Some(Lean::Low)
        );
        // the count leans the other way: split
        assert_eq!(
            axis(shares(0.2, 0.2, 0.6), budget).lean(th),
            Some(Lean::Split)
        );
        // 60 of 100 at the poles is still balanced; 61 is not
        assert_eq!(
            axis(shares(0.6, 0.0, 0.4), None).lean(th),
            Some(Lean::Balanced)
        );
        assert_eq!(
            axis(shares(0.61, 0.0, 0.39), None).lean(th),
            Some(Lean::Low)
        );
        assert_eq!(
            axis(shares(0.39, 0.0, 0.61), shares(0.5, 0.0, 0.5)).lean(th),
            Some(Lean::High)
        );
        // nothing at either pole
        assert_eq!(axis(shares(0.0, 1.0, 0.0), None).lean(th), None);
        assert_eq!(axis(None, None).lean(th), None);
    }

    #[test]
    fn balance_by_count_and_budget_by_hand() {
        let a = initiative(Status::Ongoing, Some(300.0), Some(-1.0), &[]);
        let b = initiative(Status::Ongoing, Some(100.0), Some(0.5), &[]);
        let c = initiative(Status::Planned, None, Some(0.0), &[]);
        let d = initiative(Status::Planned, Some(50.0), None, &[]);
        let items = vec![&a, &b, &c, &d];
        let bal = balance(&items, 0);
        assert_eq!(bal.n, 3, "d has no value on the axis");
        // by count: one low, one middle, one high
        assert_eq!(
            bal.by_count,
            Some(Shares {
                low: 1.0 / 3.0,
                middle: 1.0 / 3.0,
                high: 1.0 / 3.0
            })
        );
        // by budget: a 300 low, b 100 high; c has no budget
        assert_eq!(
            bal.by_budget,
            Some(Shares {
                low: 0.75,
                middle: 0.0,
                high: 0.25
            })
        );
        // mean (-1 + 0.5 + 0) / 3; budget-weighted (-300 + 50) / 400
        assert!((bal.mean.unwrap() - (-0.5 / 3.0)).abs() < 1e-12);
        assert!((bal.budget_mean.unwrap() - (-250.0 / 400.0)).abs() < 1e-12);
        assert_eq!(balance(&[], 0).by_count, None);
    }

    #[test]
    fn coverage_and_priorities_by_hand() {
        let model = crate::model::Model::builtin();
        let a = initiative(Status::Ongoing, Some(300.0), Some(-1.0), &["EFF"]);
        let b = initiative(Status::Completed, Some(100.0), Some(0.5), &["INN"]);
        let c = initiative(Status::Planned, Some(50.0), Some(0.0), &["EFF", "TEK"]);
        let items = vec![&a, &b, &c];
        let cov = coverage(&items, &model);
        let eff = cov.iter().find(|c| c.key == "EFF").unwrap();
        assert_eq!((eff.count, eff.budget), ([0, 1, 1], [0.0, 300.0, 50.0]));
        let df = cov.iter().find(|c| c.key == "DF").unwrap();
        assert_eq!(df.count, [1, 1, 1], "EFF and INN belong to DF");
        // a group whose weakest third (2 of 6) is INN (30) and TEK (40)
        let mut g = crate::analyse::GroupResult {
            year: 2025,
            group: Group::Organisation,
            respondents: 10,
            suppression: None,
            statements: Default::default(),
            categories: Default::default(),
            dimensions: Default::default(),
            total: Default::default(),
        };
        for (code, v) in [
            ("EFF", 70.0),
            ("INN", 30.0),
            ("BAL", 60.0),
            ("ORG", 55.0),
            ("ANV", 65.0),
            ("TEK", 40.0),
        ] {
            g.categories.insert(
                code.into(),
                crate::analyse::Figure {
                    index: Some(v),
                    ..Default::default()
                },
            );
        }
        // total 53.3: INN and TEK are 3 points or more below it, ORG (55) not
        g.total.index = Some(53.3);
        // INN: only a completed initiative -> 0 active -> priority;
        // TEK: one planned -> 1 active -> priority when at most 1 is allowed, not when 0
        let p1: Vec<String> = priorities(&items, &model, &g, 1, 3.0)
            .into_iter()
            .map(|p| p.category)
            .collect();
        assert_eq!(p1, ["INN", "TEK"]);
        let p0: Vec<String> = priorities(&items, &model, &g, 0, 3.0)
            .into_iter()
            .map(|p| p.category)
            .collect();
        assert_eq!(p0, ["INN"]);
    }
}
