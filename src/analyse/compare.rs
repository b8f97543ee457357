//! Comparisons between sets of respondents in one year: a unit against
//! the rest of the organisation statement by statement, and the perception
//! gap between leadership and the other roles. Both read the respondents'
//! scores and test with Welch; both hold back what the anonymity threshold
//! protects.

use super::{scores, stats, Analysis};
use crate::model::Model;

/// One statement of a unit against the rest of the organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementDifference {
    /// The statement's code.
    pub key: String,
    /// The unit's respondents' scores.
    pub unit: stats::Summary,
    /// Every other respondent's.
    pub rest: stats::Summary,
    /// Welch's two-sided p-value.
    pub p: Option<f64>,
    /// The same, Holm-adjusted across the unit's statements.
    pub p_holm: Option<f64>,
}

impl StatementDifference {
    /// Whether the difference holds at 5 % after Holm's adjustment.
    pub fn significant(&self) -> bool {
        self.p_holm.is_some_and(|p| p < 0.05)
    }
}

/// A perception gap in one category between two sets of respondents.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    /// The category's code.
    pub key: String,
    /// The first set's scores (leadership).
    pub a: stats::Summary,
    /// The second set's scores (the other respondents).
    pub b: stats::Summary,
    /// Mean score of a minus mean score of b, in index points.
    pub diff: f64,
    /// Whether Welch's test finds the gap significant at 5 %; `None` when it
    /// cannot be done.
    pub significant: Option<bool>,
}

impl Analysis {
    /// The roles on each side of a perception gap: those that `is_a`, and
    /// the others. A side takes in only shown roles, unless it holds every
    /// hidden role and everyone has a role (it is then the organisation
    /// minus the other side, which tells nothing new): a side that took in
    /// some hidden roles would give them away by subtraction.
    pub fn gap_sides(&self, year: i32, is_a: &dyn Fn(&str) -> bool) -> [Vec<&str>; 2] {
        let roles = || {
            self.roles(year)
                .filter_map(|g| g.group.name().map(|r| (r, g.shown())))
        };
        let everyone_has_a_role = self
            .respondents
            .iter()
            .filter(|r| r.year == year)
            .all(|r| r.role.is_some());
        [true, false].map(|side| {
            let takes_hidden = everyone_has_a_role
                && roles()
                    .filter(|(_, shown)| !shown)
                    .all(|(r, _)| is_a(r) == side);
            roles()
                .filter(|(r, shown)| is_a(r) == side && (*shown || takes_hidden))
                .map(|(r, _)| r)
                .collect()
        })
    }

    /// The gap per category between the respondents whose role `is_a` and
    /// those with another role (e.g. leadership vs the rest), from the
    /// respondents' category scores, with Welch's test; each side holds
    /// the roles [`Analysis::gap_sides`] gives it. `None` when either side
    /// has fewer respondents than the anonymity threshold.
    pub fn perception_gap(
        &self,
        year: i32,
        model: &Model,
        is_a: &dyn Fn(&str) -> bool,
    ) -> Option<Vec<Gap>> {
        let [a_roles, b_roles] = self.gap_sides(year, is_a);
        let side = |roles: &[&str]| -> Vec<&scores::Respondent> {
            self.respondents
                .iter()
                .filter(|r| r.year == year && r.role.as_deref().is_some_and(|x| roles.contains(&x)))
                .collect()
        };
        let (a, b) = (side(&a_roles), side(&b_roles));
        if a.len() < self.threshold || b.len() < self.threshold {
            return None;
        }
        Some(
            model
                .categories
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let side = |g: &[&scores::Respondent]| {
                        stats::summary(
                            &g.iter().filter_map(|r| r.categories[i]).collect::<Vec<_>>(),
                        )
                    };
                    let (sa, sb) = (side(&a)?, side(&b)?);
                    let test = stats::welch(&sa, &sb);
                    Some(Gap {
                        key: c.code.clone(),
                        a: sa,
                        b: sb,
                        diff: sa.mean - sb.mean,
                        significant: test.map(|w| w.p < 0.05),
                    })
                })
                .collect(),
        )
    }

    /// Each statement of a unit against the rest of the organisation (every
    /// other respondent of the year) with Welch's test, Holm-adjusted across
    /// the statements. Empty when either side has fewer respondents than the
    /// anonymity threshold.
    pub fn unit_vs_rest(&self, year: i32, unit: &str, model: &Model) -> Vec<StatementDifference> {
        let in_year = || self.respondents.iter().filter(|r| r.year == year);
        let mine: Vec<&scores::Respondent> = in_year()
            .filter(|r| r.unit.as_deref() == Some(unit))
            .collect();
        let rest: Vec<&scores::Respondent> = in_year()
            .filter(|r| r.unit.as_deref() != Some(unit))
            .collect();
        if mine.len() < self.threshold || rest.len() < self.threshold {
            return Vec::new();
        }
        let mut out: Vec<StatementDifference> = model
            .statements
            .iter()
            .enumerate()
            .filter_map(|(i, st)| {
                let side = |g: &[&scores::Respondent]| {
                    stats::summary(&g.iter().filter_map(|r| r.statements[i]).collect::<Vec<_>>())
                };
                let (a, b) = (side(&mine)?, side(&rest)?);
                Some(StatementDifference {
                    key: st.code.clone(),
                    unit: a,
                    rest: b,
                    p: stats::welch(&a, &b).map(|w| w.p),
                    p_holm: None,
                })
            })
            .collect();
        let tested: Vec<usize> = (0..out.len()).filter(|i| out[*i].p.is_some()).collect();
        let ps: Vec<f64> = tested.iter().filter_map(|i| out[*i].p).collect();
        for (i, adjusted) in tested.into_iter().zip(stats::holm(&ps)) {
            out[i].p_holm = Some(adjusted);
        }
        out
    }
}

/// The perception gap's judgements, decided once for every page that
/// mentions them: in how many categories the first set rates maturity
/// significantly higher, and the largest such gap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GapVerdict<'a> {
    /// Categories where the first set rates significantly higher.
    pub higher_significant: usize,
    /// Categories compared.
    pub categories: usize,
    /// The largest significant gap in the first set's favour (ties by code).
    pub largest: Option<&'a Gap>,
}

impl Gap {
    /// The verdict over a set of category gaps.
    pub fn verdict(gaps: &[Gap]) -> GapVerdict<'_> {
        let higher = || {
            gaps.iter()
                .filter(|g| g.significant == Some(true) && g.diff > 0.0)
        };
        GapVerdict {
            higher_significant: higher().count(),
            categories: gaps.len(),
            largest: higher().min_by(|a, b| b.diff.total_cmp(&a.diff).then(a.key.cmp(&b.key))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gap(key: &str, diff: f64, significant: Option<bool>) -> Gap {
        let s = stats::Summary {
            n: 10,
            mean: 50.0,
            sd: Some(1.0),
        };
        Gap {
            key: key.into(),
            a: s,
            b: s,
            diff,
            significant,
        }
    }

    #[test]
    fn the_verdict_counts_only_significant_gaps_in_leaderships_favour() {
        let gaps = [
            gap("C1", 6.0, Some(true)),
            gap("C2", 9.0, Some(false)), // larger, not significant
            gap("C3", -7.0, Some(true)), // significant, the other way
            gap("C4", 8.0, Some(true)),
            gap("C5", 8.0, Some(true)), // a tie with C4: the code decides
            gap("C6", 3.0, None),
        ];
        let v = Gap::verdict(&gaps);
        assert_eq!(v.higher_significant, 3);
        assert_eq!(v.categories, 6);
        assert_eq!(v.largest.map(|g| g.key.as_str()), Some("C4"));
        let none = Gap::verdict(&gaps[1..3]);
        assert_eq!((none.higher_significant, none.largest), (0, None));
    }
}
