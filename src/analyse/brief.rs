//! The preparation brief's figures: what approving a proposal (or a
//! package of proposals) would do to the portfolio. The portfolio before
//! is the register's latest year; after, the same with the proposals added
//! as planned initiatives. Both are computed by the portfolio's own
//! functions ([`super::portfolio`], [`super::review`]), so a brief's
//! figures are the figures the next report would print.

use super::portfolio::{figures, priorities, PortfolioFigures, PRIORITY_MAX_ACTIVE};
use super::review::{self, StatementFigures, StatementReview};
use super::{GroupResult, Level};
use crate::format::at_least_above;
use crate::model::Model;
use crate::portfolio::{Initiative, Status};

/// Where a category stands against the organisation's total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// At least the weak margin below the total, as printed.
    Weak,
    /// Within the margin of the total (or no index).
    Middle,
    /// At least the margin above the total.
    Strong,
}

/// One category of the model before and after approval.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryShift {
    pub code: String,
    pub index: Option<f64>,
    pub standing: Standing,
    /// Among the categories with the most ongoing and planned initiatives
    /// today: the top third of the categories (ties included), and at
    /// least [`CROWDED_MIN`].
    pub crowded: bool,
    /// Ongoing and planned initiatives strengthening it, before and after.
    pub active: [usize; 2],
    /// A portfolio priority (weak, little invested) before and after.
    pub priority: [bool; 2],
    /// Whether the proposals strengthen it.
    pub covered: bool,
}

/// One statement of the model before and after approval.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementShift {
    pub code: String,
    pub category: String,
    pub index: Option<f64>,
    /// In the weakest third of the statements.
    pub weak: bool,
    /// Ongoing and planned initiatives strengthening it, before and after.
    pub active: [usize; 2],
    /// Weak with nothing ongoing or planned (the review's mark), before
    /// and after.
    pub weak_uncovered: [bool; 2],
    /// Whether the proposals strengthen it.
    pub covered: bool,
}

/// A category needs at least this many ongoing and planned initiatives to
/// count as crowded.
pub const CROWDED_MIN: usize = 2;

/// The brief's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// The portfolio today and with the proposals approved.
    pub before: PortfolioFigures,
    pub after: PortfolioFigures,
    /// Every category of the model, in model order.
    pub categories: Vec<CategoryShift>,
    /// Every statement of the model, in model order.
    pub statements: Vec<StatementShift>,
}

/// Today's portfolio with its figures and its statement review, computed
/// once for every proposal a run assesses against it, with the
/// organisation's figures `group` (`None`: no survey figures, so no
/// standing, priorities or weak statements). `weak_margin` is the
/// reports' `[thresholds] stands_out`.
pub struct Baseline<'a> {
    current: &'a [&'a Initiative],
    model: &'a Model,
    group: Option<&'a GroupResult>,
    weak_margin: f64,
    /// What makes one of the group's statements weak.
    weakness: review::Weakness,
    before: PortfolioFigures,
    /// Every statement of the model with the group's index, in model order.
    statements: Vec<StatementFigures>,
    reviewed: Vec<StatementReview>,
}

impl<'a> Baseline<'a> {
    /// The baseline of `current`.
    pub fn new(
        current: &'a [&'a Initiative],
        model: &'a Model,
        group: Option<&'a GroupResult>,
        weak_margin: f64,
    ) -> Self {
        let mut before = figures(current, current, None, model, group, weak_margin);
        // an empty portfolio has priorities too: every weak category
        if let (Some(g), true) = (group, current.is_empty()) {
            before.priorities = priorities(current, model, g, PRIORITY_MAX_ACTIVE, weak_margin);
        }
        let statements: Vec<StatementFigures> = model
            .statements
            .iter()
            .map(|s| StatementFigures {
                statement: s.code.clone(),
                category: s.category.clone(),
                index: group.and_then(|g| g.index(Level::Statement, &s.code)),
                change: None,
            })
            .collect();
        let weakness = review::Weakness {
            total: group.and_then(|g| g.total.index),
            margin: weak_margin,
        };
        let reviewed = review::review(&statements, current, weakness);
        Baseline {
            current,
            model,
            group,
            weak_margin,
            weakness,
            before,
            statements,
            reviewed,
        }
    }

    /// What approving `proposals` (as planned initiatives) would change.
    pub fn assess(&self, proposals: &[&Initiative]) -> Assessment {
        let approved: Vec<Initiative> = proposals
            .iter()
            .map(|p| Initiative {
                status: Status::Planned,
                ..(*p).clone()
            })
            .collect();
        let after_items: Vec<&Initiative> = self.current.iter().copied().chain(&approved).collect();
        let after = figures(
            &after_items,
            &after_items,
            None,
            self.model,
            self.group,
            self.weak_margin,
        );
        let categories = categories(
            &self.before,
            &after,
            proposals,
            self.model,
            self.group,
            self.weak_margin,
        );
        let statements = self.statement_shifts(&after_items, proposals);
        Assessment {
            before: self.before.clone(),
            after,
            categories,
            statements,
        }
    }

    /// Every statement before and after approval.
    fn statement_shifts(
        &self,
        after: &[&Initiative],
        proposals: &[&Initiative],
    ) -> Vec<StatementShift> {
        let then = review::review(&self.statements, after, self.weakness);
        let active = |r: &StatementReview| r.initiatives[1].len() + r.initiatives[2].len();
        let weak = review::weakest_third(self.statements.iter().map(|f| f.index), self.weakness);
        self.statements
            .iter()
            .enumerate()
            .map(|(k, f)| StatementShift {
                code: f.statement.clone(),
                category: f.category.clone(),
                index: f.index,
                weak: weak.contains(&k),
                active: [active(&self.reviewed[k]), active(&then[k])],
                weak_uncovered: [self.reviewed[k].weak_uncovered, then[k].weak_uncovered],
                covered: proposals
                    .iter()
                    .any(|p| p.statements.contains(&f.statement)),
            })
            .collect()
    }
}

/// Ongoing and planned initiatives of every category, in model order.
fn active_per_category(f: &PortfolioFigures, model: &Model) -> Vec<usize> {
    model
        .categories
        .iter()
        .map(|c| f.category(&c.code).map_or(0, |c| c.count[1] + c.count[2]))
        .collect()
}

fn categories(
    before: &PortfolioFigures,
    after: &PortfolioFigures,
    proposals: &[&Initiative],
    model: &Model,
    group: Option<&GroupResult>,
    margin: f64,
) -> Vec<CategoryShift> {
    let (now, then) = (
        active_per_category(before, model),
        active_per_category(after, model),
    );
    // the crowded: at least the active count of the top third's last
    let mut sorted = now.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let third = sorted.len().div_ceil(3);
    let bar = sorted
        .get(third.saturating_sub(1))
        .copied()
        .unwrap_or(0)
        .max(CROWDED_MIN);
    let total = group.and_then(|g| g.total.index);
    let priority =
        |f: &PortfolioFigures, code: &str| f.priorities.iter().any(|p| p.category == code);
    model
        .categories
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let index = group.and_then(|g| g.index(Level::Category, &c.code));
            let standing = match (index, total) {
                (Some(i), Some(t)) if at_least_above(t, i, margin) => Standing::Weak,
                (Some(i), Some(t)) if at_least_above(i, t, margin) => Standing::Strong,
                _ => Standing::Middle,
            };
            CategoryShift {
                code: c.code.clone(),
                index,
                standing,
                crowded: now[k] >= bar,
                active: [now[k], then[k]],
                priority: [priority(before, &c.code), priority(after, &c.code)],
                covered: proposals.iter().any(|p| p.categories.contains(&c.code)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::Figure;

    fn initiative(status: Status, cats: &[&str]) -> Initiative {
        Initiative {
            year: 2025,
            id: "x".into(),
            name: "x".into(),
            unit: None,
            organisation: None,
            status,
            start: None,
            end: None,
            budget: Some(100.0),
            statements: vec![],
            categories: cats.iter().map(|c| c.to_string()).collect(),
            axes: [Some(0.0); 3],
            file: String::new(),
            row: 0,
        }
    }

    #[test]
    fn standing_crowding_and_priorities_before_and_after_by_hand() {
        let model = Model::builtin();
        let mut g = GroupResult {
            year: 2025,
            group: crate::analyse::Group::Organisation,
            respondents: 40,
            suppression: None,
            statements: Default::default(),
            categories: Default::default(),
            dimensions: Default::default(),
            total: Figure {
                index: Some(50.0),
                ..Default::default()
            },
        };
        for (code, v) in [
            ("EFF", 60.0),
            ("INN", 40.0),
            ("BAL", 50.0),
            ("ORG", 52.9),
            ("ANV", 47.1),
            ("TEK", 45.0),
        ] {
            let figure = Figure {
                index: Some(v),
                ..Default::default()
            };
            g.categories.insert(code.into(), figure);
        }
        // active (ongoing + planned) per category: EFF 3, BAL 2, TEK 2,
        // ORG 1, INN 0, ANV 0; a completed one in INN does not count
        let current = [
            initiative(Status::Ongoing, &["EFF", "BAL"]),
            initiative(Status::Planned, &["EFF", "TEK"]),
            initiative(Status::Ongoing, &["EFF", "BAL", "TEK"]),
            initiative(Status::Planned, &["ORG"]),
            initiative(Status::Completed, &["INN"]),
        ];
        let proposals = [
            initiative(Status::Proposed, &["INN"]),
            initiative(Status::Proposed, &["INN", "EFF"]),
        ];
        let current: Vec<&Initiative> = current.iter().collect();
        let proposals: Vec<&Initiative> = proposals.iter().collect();
        let a = Baseline::new(&current, &model, Some(&g), 3.0).assess(&proposals);
        let by = |code: &str| a.categories.iter().find(|c| c.code == code).unwrap();
        // 60 is 10 above 50: strong; 40 and 45 at least 3 below: weak;
        // 52.9 and 47.1 within 3 (2.9 as printed): middle
        let standing: Vec<Standing> = a.categories.iter().map(|c| c.standing).collect();
        use Standing::*;
        assert_eq!(standing, [Strong, Weak, Middle, Middle, Middle, Weak]);
        // the top third of six is two categories: counts 3 and 2, so the
        // bar is 2 and the tie at 2 is crowded too
        let crowded: Vec<&str> = a
            .categories
            .iter()
            .filter(|c| c.crowded)
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(crowded, ["EFF", "BAL", "TEK"]);
        assert_eq!(by("INN").active, [0, 2]);
        assert_eq!(by("EFF").active, [3, 4]);
        assert_eq!(by("TEK").active, [2, 2]);
        // INN is weak with nothing active: a priority; with two planned it
        // is not (at most one makes a priority). TEK has two: never.
        assert_eq!(by("INN").priority, [true, false]);
        assert_eq!(by("TEK").priority, [false, false]);
        assert!(by("INN").covered && by("EFF").covered && !by("TEK").covered);
        // the portfolio after counts the proposals as planned
        assert_eq!(a.before.initiatives, 5);
        assert_eq!(a.after.initiatives, 7);
        assert_eq!(a.after.active, 6);
        // no survey figures: nothing is weak or strong, no priorities
        let blind = Baseline::new(&current, &model, None, 3.0).assess(&proposals);
        assert!(blind
            .categories
            .iter()
            .all(|c| c.standing == Middle && c.priority == [false, false]));
    }

    #[test]
    fn crowding_needs_at_least_two_active_initiatives() {
        let model = Model::builtin();
        let current = [initiative(Status::Ongoing, &["EFF"])];
        let current: Vec<&Initiative> = current.iter().collect();
        let a = Baseline::new(&current, &model, None, 3.0).assess(&[]);
        // EFF tops the count with 1, below the minimum of 2
        assert!(a.categories.iter().all(|c| !c.crowded));
        assert_eq!(a.before, a.after);
    }
}
