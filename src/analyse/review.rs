//! The statement review: every statement of the model with its index, its
//! change, and the initiatives that strengthen it: completed between the
//! previous survey and this one, ongoing, planned. Two marks point where
//! to look: a weak statement that nothing ongoing or planned strengthens,
//! and a statement that has had more budget than most without a
//! significant rise. Computed once per year and group (with the
//! portfolio, [`super::portfolio::attach`]); the statements section and
//! `statement-review.csv` read [`Analysis::review`](super::Analysis).

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::portfolio::Inputs;
use super::{effects, Analysis, Change, GroupKey, Level};
use crate::model::Model;
use crate::portfolio::{Initiative, Register, Status};

/// The statement review and the effect follow-up of every year and group
/// with figures: the whole organisation, and each shown unit with
/// initiatives of its own.
pub fn attach(analysis: &mut Analysis, inputs: &Inputs) {
    let (register, model) = (inputs.register, inputs.model);
    let keys: Vec<GroupKey> = analysis
        .groups
        .iter()
        .filter(|(key, g)| {
            g.shown()
                && key.group.is_organisation_or_unit()
                && key.group.unit().is_none_or(|u| {
                    register
                        .initiatives
                        .iter()
                        .any(|i| i.unit.as_deref() == Some(u))
                })
        })
        .map(|(k, _)| k.clone())
        .collect();
    // the reviews first (cheap), then every group's bootstrap on its own
    // thread share: each has its own seed, so the figures do not depend on
    // how the groups are spread over the threads
    let mut follow_ups = Vec::new();
    let mut reviews = Vec::new();
    for key in keys {
        let (year, unit) = (key.year, key.group.unit().map(str::to_string));
        let previous = analysis.previous(year, &key.group).map(|p| p.year);
        let window = window(previous, year, inputs);
        let mine = |i: &Initiative| unit.is_none() || i.unit == unit;
        let items = counted(register, year, window, &mine);
        let Some(g) = analysis.groups.get(&key) else {
            continue;
        };
        let statements: Vec<StatementFigures> = model
            .statements
            .iter()
            .map(|s| StatementFigures {
                statement: s.code.clone(),
                category: s.category.clone(),
                index: g.index(Level::Statement, &s.code),
                change: analysis.change(year, &key.group, Level::Statement, &s.code),
            })
            .collect();
        let weak = Weakness {
            total: g.total.index,
            margin: inputs.weak_margin,
        };
        let rows = review(&statements, &items, weak);
        if let Some(p) = previous {
            follow_ups.push((reviews.len(), p, items));
        }
        reviews.push((key, rows));
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = follow_ups.len().div_ceil(threads).max(1);
    let done: Vec<(GroupKey, [effects::Effect; 2])> = {
        let analysis = &*analysis;
        let reviews = &reviews;
        std::thread::scope(|scope| {
            let handles: Vec<_> = follow_ups
                .chunks(chunk)
                .map(|jobs| {
                    scope.spawn(move || {
                        jobs.iter()
                            .map(|(review, before, items)| {
                                let (key, rows) = &reviews[*review];
                                let unit = key.group.unit();
                                let seed = effects::seed(inputs.organisation, unit, key.year);
                                let e = effects_of(
                                    analysis,
                                    model,
                                    (*before, key.year),
                                    unit,
                                    rows,
                                    items,
                                    seed,
                                );
                                (key.clone(), e)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    };
    analysis.effects.extend(done);
    analysis.review.extend(reviews);
}

/// The effect follow-up of a group between two survey years, on
/// statements and on categories: targeted are those the initiatives
/// completed in the period strengthen. No estimate when the group is
/// hidden in the earlier year.
fn effects_of(
    analysis: &Analysis,
    model: &Model,
    (before, after): (i32, i32),
    unit: Option<&str>,
    rows: &[StatementReview],
    items: &[&Initiative],
    seed: u64,
) -> [effects::Effect; 2] {
    let hidden = analysis
        .group(before, &super::Group::of_unit(unit))
        .is_none_or(|g| !g.shown());
    if hidden {
        return [effects::Effect::Hidden; 2];
    }
    let of_year = |year: i32| {
        analysis
            .respondents
            .iter()
            .filter(move |r| r.year == year && (unit.is_none() || r.unit.as_deref() == unit))
    };
    let scores = |year: i32, level: Level| -> Vec<Vec<Option<f64>>> {
        of_year(year)
            .map(|r| match level {
                Level::Category => r.categories.clone(),
                _ => r.statements.clone(),
            })
            .collect()
    };
    let statements: Vec<bool> = model
        .statements
        .iter()
        .map(|s| {
            rows.iter()
                .any(|r| r.statement == s.code && !r.initiatives[0].is_empty())
        })
        .collect();
    let completed: BTreeSet<&str> = items
        .iter()
        .filter(|i| i.status == Status::Completed)
        .flat_map(|i| i.categories.iter().map(String::as_str))
        .collect();
    let categories: Vec<bool> = model
        .categories
        .iter()
        .map(|c| completed.contains(c.code.as_str()))
        .collect();
    [
        (Level::Statement, statements),
        (Level::Category, categories),
    ]
    .map(|(level, targeted)| {
        effects::follow_up(
            &scores(before, level),
            &scores(after, level),
            &targeted,
            effects::RESAMPLES,
            seed,
        )
    })
}

/// The statuses of a review row, in the order of its arrays.
pub const STATUSES: [Status; 3] = [Status::Completed, Status::Ongoing, Status::Planned];

/// One statement of the review.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementReview {
    /// The statement's code.
    pub statement: String,
    /// Its category's code.
    pub category: String,
    /// The group's index this year.
    pub index: Option<f64>,
    /// The change since the group's previous survey.
    pub change: Option<Change>,
    /// The initiatives strengthening it, by status (completed between the
    /// surveys, ongoing, planned), each in register order.
    pub initiatives: [Vec<Linked>; 3],
    /// Their budget by status, each initiative's budget split equally
    /// among the statements it strengthens.
    pub budget: [f64; 3],
    /// In the weakest third of the statements, with nothing ongoing or
    /// planned strengthening it.
    pub weak_uncovered: bool,
    /// A completed and ongoing budget above the median of the statements
    /// with such initiatives, and no significant rise (planned money has
    /// had no chance to move it).
    pub costly_without_rise: bool,
}

impl StatementReview {
    /// The budget of the completed and ongoing initiatives: what could
    /// have moved the statement by now.
    pub fn spent_budget(&self) -> f64 {
        self.budget[0] + self.budget[1]
    }

    /// Whether any initiative strengthens it.
    pub fn covered(&self) -> bool {
        self.initiatives.iter().any(|l| !l.is_empty())
    }
}

/// An initiative as the review lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Linked {
    pub id: String,
    pub name: String,
    /// Its whole budget.
    pub budget: Option<f64>,
    /// The part of its budget counted at this statement: the budget split
    /// equally among the statements it strengthens.
    pub share: Option<f64>,
}

/// A statement's figures the review starts from.
#[derive(Debug, Clone)]
pub struct StatementFigures {
    pub statement: String,
    pub category: String,
    pub index: Option<f64>,
    pub change: Option<Change>,
}

/// The period of `year`'s review: after the latest submit date of the
/// group's previous survey (`previous`), up to this year's.
pub(crate) fn window(
    previous: Option<i32>,
    year: i32,
    inputs: &Inputs,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    (
        previous.and_then(|y| inputs.survey_dates.get(&y).copied()),
        inputs.survey_dates.get(&year).copied(),
    )
}

/// The initiatives of a group that count in `year`'s review: completed
/// between the surveys (an end date after the previous survey's latest
/// submit date and on or before this one's, from a register row of any
/// year; without an end date, a row of this year marking it completed),
/// then this year's ongoing and planned rows. Each id once, the first row
/// found. `mine` picks the group's initiatives.
pub fn counted<'r>(
    register: &'r Register,
    year: i32,
    window: (Option<NaiveDate>, Option<NaiveDate>),
    mine: &dyn Fn(&Initiative) -> bool,
) -> Vec<&'r Initiative> {
    let (after, until) = window;
    let completed_between = |i: &Initiative| match i.end {
        Some(end) => after.is_none_or(|a| end > a) && until.is_none_or(|u| end <= u),
        None => i.year == year,
    };
    let mut seen = BTreeSet::new();
    register
        .initiatives
        .iter()
        .filter(|i| mine(i))
        .filter(|i| match i.status {
            Status::Completed => completed_between(i),
            Status::Ongoing | Status::Planned => i.year == year,
            Status::Proposed => false,
        })
        .filter(|i| seen.insert((i.status.as_str(), i.id.as_str())))
        .collect()
}

/// What makes a statement weak: it is in the weakest third of the group's
/// statements and lies at least `margin` points below the group's total
/// index, as printed, as a category must to be the weakest or a priority
/// (`[thresholds] stands_out`). A group that is strong throughout has no
/// weak statement.
#[derive(Debug, Clone, Copy)]
pub struct Weakness {
    /// The group's total index.
    pub total: Option<f64>,
    /// Points below it.
    pub margin: f64,
}

/// The review of `statements` (in model order) with the group's counted
/// initiatives.
pub fn review(
    statements: &[StatementFigures],
    items: &[&Initiative],
    weak: Weakness,
) -> Vec<StatementReview> {
    let mut rows: Vec<StatementReview> = statements
        .iter()
        .map(|s| {
            let mut initiatives: [Vec<Linked>; 3] = Default::default();
            let mut budget = [0.0; 3];
            for i in items.iter().filter(|i| i.statements.contains(&s.statement)) {
                let k = STATUSES.iter().position(|st| *st == i.status).unwrap_or(0);
                let share = i.budget.map(|b| b / i.statements.len().max(1) as f64);
                initiatives[k].push(Linked {
                    id: i.id.clone(),
                    name: i.name.clone(),
                    budget: i.budget,
                    share,
                });
                budget[k] += share.unwrap_or(0.0);
            }
            StatementReview {
                statement: s.statement.clone(),
                category: s.category.clone(),
                index: s.index,
                change: s.change,
                initiatives,
                budget,
                weak_uncovered: false,
                costly_without_rise: false,
            }
        })
        .collect();
    mark(&mut rows, weak);
    rows
}

/// Sets the two marks of every row.
fn mark(rows: &mut [StatementReview], weak: Weakness) {
    for k in weakest_third(rows.iter().map(|r| r.index), weak) {
        let r = &mut rows[k];
        r.weak_uncovered = r.initiatives[1].is_empty() && r.initiatives[2].is_empty();
    }
    // money that could have moved the statement: completed and ongoing,
    // not planned
    let worked_on =
        |r: &StatementReview| !r.initiatives[0].is_empty() || !r.initiatives[1].is_empty();
    let spent: Vec<f64> = rows
        .iter()
        .filter(|r| worked_on(r))
        .map(StatementReview::spent_budget)
        .collect();
    if let Some(median) = median(&spent) {
        for r in rows.iter_mut().filter(|r| worked_on(r)) {
            let rose = r
                .change
                .as_ref()
                .is_some_and(|c| c.value > 0.0 && c.significant == Some(true));
            // a rise needs a previous survey to rise from: without one,
            // no statement is marked for the lack of it
            r.costly_without_rise = r.change.is_some() && r.spent_budget() > median && !rose;
        }
    }
}

/// The positions of the weak among `indices` (see [`Weakness`]): the
/// lowest ceil(n / 3) of those with an index, with every one tied with
/// the last of them as printed (no tie is broken by the model's order),
/// that lie `weak.margin` below the total. In ascending order of index.
pub fn weakest_third(indices: impl Iterator<Item = Option<f64>>, weak: Weakness) -> Vec<usize> {
    let mut by_index: Vec<(usize, f64)> = indices
        .enumerate()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
    by_index.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let third = by_index.len().div_ceil(3);
    let printed = |v: f64| crate::format::displayed(v, 1);
    let cut = by_index
        .get(third.saturating_sub(1))
        .map(|(_, v)| printed(*v));
    by_index
        .into_iter()
        .take_while(|(_, v)| cut.is_some_and(|c| printed(*v) <= c))
        .filter(|(_, v)| {
            weak.total
                .is_some_and(|t| crate::format::at_least_above(t, *v, weak.margin))
        })
        .map(|(k, _)| k)
        .collect()
}

/// The median of `values`; `None` when empty.
fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn initiative(
        id: &str,
        year: i32,
        status: Status,
        end: Option<&str>,
        budget: Option<f64>,
        statements: &[&str],
    ) -> Initiative {
        Initiative {
            year,
            id: id.into(),
            name: format!("Initiative {id}"),
            unit: None,
            organisation: None,
            status,
            start: None,
            end: end.map(|d| d.parse().unwrap()),
            budget,
            statements: statements.iter().map(|s| s.to_string()).collect(),
            categories: Vec::new(),
            axes: [None; 3],
            file: "initiativ.csv".into(),
            row: 2,
        }
    }

    fn change(value: f64, significant: bool) -> Option<Change> {
        Some(Change {
            from_year: 2024,
            value,
            before: 50.0,
            significant: Some(significant),
            p: None,
        })
    }

    fn figures(code: &str, index: f64, change: Option<Change>) -> StatementFigures {
        StatementFigures {
            statement: code.into(),
            category: code[..2].into(),
            index: Some(index),
            change,
        }
    }

    #[test]
    fn completed_between_the_surveys_by_end_date_else_by_the_rows_year() {
        let register = Register {
            initiatives: vec![
                // ended after the 2024 survey, listed in 2024's register
                initiative("A", 2024, Status::Completed, Some("2024-09-30"), None, &[]),
                // ended before the 2024 survey: not this period's
                initiative("B", 2025, Status::Completed, Some("2024-03-01"), None, &[]),
                // ends after the 2025 survey
                initiative("C", 2025, Status::Completed, Some("2025-06-30"), None, &[]),
                // no end date: the 2025 row says completed
                initiative("D", 2025, Status::Completed, None, None, &[]),
                // no end date, a 2024 row: counted in 2024, not 2025
                initiative("E", 2024, Status::Completed, None, None, &[]),
                // ongoing: only this year's rows
                initiative("F", 2024, Status::Ongoing, None, None, &[]),
                initiative("G", 2025, Status::Ongoing, None, None, &[]),
                // the same id twice: once
                initiative("G", 2025, Status::Ongoing, None, None, &[]),
                // on the day of the survey: counted
                initiative("H", 2025, Status::Completed, Some("2025-03-31"), None, &[]),
            ],
            proposals: Vec::new(),
            files: vec!["initiativ.csv".into()],
        };
        let window = (
            Some("2024-03-31".parse().unwrap()),
            Some("2025-03-31".parse().unwrap()),
        );
        let ids: Vec<&str> = counted(&register, 2025, window, &|_| true)
            .iter()
            .map(|i| i.id.as_str())
            .collect();
        assert_eq!(ids, ["A", "D", "G", "H"]);
    }

    #[test]
    fn budgets_are_split_among_statements_and_the_marks_follow_the_rules() {
        // six statements: indices 40, 45, 50, 60, 70, 80; weakest third = S1, S2
        let statements = vec![
            figures("S1", 40.0, change(1.0, false)),
            figures("S2", 45.0, change(1.0, false)),
            figures("S3", 50.0, change(5.0, true)),
            figures("S4", 60.0, change(2.0, false)),
            figures("S5", 70.0, change(-1.0, false)),
            figures("S6", 80.0, None),
        ];
        let items = [
            // 3.0 split over S2, S3, S4: 1.0 each
            initiative(
                "P",
                2025,
                Status::Planned,
                None,
                Some(3.0),
                &["S2", "S3", "S4"],
            ),
            // 4.0 to S4 alone
            initiative("O", 2025, Status::Ongoing, None, Some(4.0), &["S4"]),
            // 0.5 each to S1 and S5, completed
            initiative("C", 2025, Status::Completed, None, Some(1.0), &["S1", "S5"]),
            // no budget
            initiative("N", 2025, Status::Ongoing, None, None, &["S6"]),
        ];
        let refs: Vec<&Initiative> = items.iter().collect();
        // the group's total 57.5: S1 and S2 lie 3 points or more below it
        let weak = Weakness {
            total: Some(57.5),
            margin: 3.0,
        };
        let rows = review(&statements, &refs, weak);
        let budget = |k: usize| rows[k].budget;
        assert_eq!(budget(0), [0.5, 0.0, 0.0]);
        assert_eq!(budget(1), [0.0, 0.0, 1.0]);
        assert_eq!(budget(3), [0.0, 4.0, 1.0]);
        assert_eq!(budget(5), [0.0, 0.0, 0.0]);
        assert_eq!(rows[3].initiatives[1][0].id, "O");
        assert_eq!(rows[3].initiatives[2][0].id, "P");
        // S1 is weak with only a completed initiative: marked; S2 has a
        // planned one: not marked
        let weak: Vec<bool> = rows.iter().map(|r| r.weak_uncovered).collect();
        assert_eq!(weak, [true, false, false, false, false, false]);
        // completed and ongoing budgets: S1 0.5, S4 4, S5 0.5 (S2 and S3
        // have only planned money, S6 an ongoing one without a budget: 0)
        // -> median of 0.5, 4, 0.5, 0 is 0.5; above it S4 alone. S2's
        // planned 1.0 does not count.
        let costly: Vec<bool> = rows.iter().map(|r| r.costly_without_rise).collect();
        assert_eq!(costly, [false, false, false, true, false, false]);
    }

    #[test]
    fn the_weak_are_the_lowest_third_with_their_ties_and_below_the_total() {
        let weak = |total: f64| Weakness {
            total: Some(total),
            margin: 3.0,
        };
        let of = |v: &[f64]| v.iter().map(|x| Some(*x)).collect::<Vec<_>>();
        // six: the third is two; the 50 tied with the second comes too,
        // in order of index
        let tied = of(&[50.0, 40.0, 60.0, 50.0, 70.0, 80.0]);
        assert_eq!(weakest_third(tied.into_iter(), weak(58.3)), [1, 0, 3]);
        // ties as printed: 49.96 and 50.04 both print 50.0
        let printed = of(&[49.96, 40.0, 60.0, 50.04, 70.0, 80.0]);
        assert_eq!(weakest_third(printed.into_iter(), weak(58.3)), [1, 0, 3]);
        // a strong group: its lowest third lies within 3 points of the
        // total (92.5 - 90.0 = 2.5), so nothing is weak
        let strong = of(&[90.0, 91.0, 92.0, 93.0, 94.0, 95.0]);
        assert!(weakest_third(strong.clone().into_iter(), weak(92.5)).is_empty());
        // 89.5 is 3.0 below as printed: weak; without a total, none
        let edge = of(&[89.5, 91.0, 92.0, 93.0, 94.0, 95.0]);
        assert_eq!(weakest_third(edge.clone().into_iter(), weak(92.5)), [0]);
        let none = Weakness {
            total: None,
            margin: 3.0,
        };
        assert!(weakest_third(edge.into_iter(), none).is_empty());
        // missing indices are passed over; one of one is the third
        assert_eq!(
            weakest_third([None, Some(10.0)].into_iter(), weak(50.0)),
            [1]
        );
    }

    #[test]
    fn the_median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }
}
