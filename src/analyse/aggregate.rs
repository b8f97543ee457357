//! Group-wise sums in one pass over the respondents: per year and group the
//! respondents, per statement the valid answers, their sum and the
//! don't-knows, and per category, dimension and in total the respondents
//! with a valid answer, each group with its members.

use std::collections::BTreeMap;

use super::scores::Respondent;
use super::{Group, GroupKey};
use crate::model::Model;

/// Raw sums of one group, by position in the model.
#[derive(Debug, Default)]
pub(super) struct Sums {
    /// Respondents with at least one answer.
    pub(super) respondents: usize,
    /// Per statement: valid answers, their sum, don't-knows.
    pub(super) statements: Vec<(usize, f64, usize)>,
    /// Per category: respondents with a valid answer in it.
    pub(super) categories: Vec<usize>,
    /// Per dimension: respondents with a valid answer in it.
    pub(super) dimensions: Vec<usize>,
    /// Respondents with any valid answer.
    pub(super) total: usize,
    /// The members' positions in the respondents, ascending.
    pub(super) members: Vec<usize>,
}

impl Sums {
    fn new(model: &Model) -> Self {
        Sums {
            statements: vec![(0, 0.0, 0); model.statements.len()],
            categories: vec![0; model.categories.len()],
            dimensions: vec![0; model.dimensions.len()],
            ..Sums::default()
        }
    }

    fn add(&mut self, i: usize, r: &Respondent) {
        self.respondents += 1;
        self.members.push(i);
        for (s, (raw, dk)) in self
            .statements
            .iter_mut()
            .zip(r.raw.iter().zip(&r.dont_know))
        {
            if let Some(v) = raw {
                s.0 += 1;
                s.1 += v;
            }
            s.2 += usize::from(*dk);
        }
        // weights are positive: a level has a score exactly when one of
        // its statements has a valid answer
        for (n, score) in self.categories.iter_mut().zip(&r.categories) {
            *n += usize::from(score.is_some());
        }
        for (n, score) in self.dimensions.iter_mut().zip(&r.dimensions) {
            *n += usize::from(score.is_some());
        }
        self.total += usize::from(r.total.is_some());
    }
}

/// The sums per year and group: the organisation, each unit, each role,
/// and each role within a unit (of respondents with both).
pub(super) fn aggregate(respondents: &[Respondent], model: &Model) -> BTreeMap<GroupKey, Sums> {
    let mut out: BTreeMap<GroupKey, Sums> = BTreeMap::new();
    for (i, r) in respondents.iter().enumerate() {
        let unit = r.unit.as_ref().map(|u| Group::Unit(u.clone()));
        let role = r.role.as_ref().map(|x| Group::Role(x.clone()));
        let both = r
            .unit
            .as_ref()
            .zip(r.role.as_ref())
            .map(|(u, x)| Group::UnitRole {
                unit: u.clone(),
                role: x.clone(),
            });
        for group in std::iter::once(Group::Organisation)
            .chain(unit)
            .chain(role)
            .chain(both)
        {
            out.entry(GroupKey::new(r.year, group))
                .or_insert_with(|| Sums::new(model))
                .add(i, r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three respondents on the built-in model, by hand.
    #[test]
    fn sums_and_members_by_hand() {
        let model = Model::builtin();
        let k = model.statements.len();
        let person = |year: i32, unit: Option<&str>, role: Option<&str>, first: Option<f64>| {
            let mut raw = vec![None; k];
            raw[0] = first;
            let mut dont_know = vec![false; k];
            dont_know[1] = first.is_none();
            let scored = |v: Option<f64>| vec![v.map(|_| 50.0); 1];
            Respondent {
                year,
                unit: unit.map(str::to_string),
                role: role.map(str::to_string),
                raw,
                dont_know,
                statements: Vec::new(),
                categories: [scored(first), vec![None; model.categories.len() - 1]].concat(),
                dimensions: [scored(first), vec![None; model.dimensions.len() - 1]].concat(),
                total: first.map(|_| 50.0),
            }
        };
        let respondents = vec![
            person(2025, Some("A"), Some("chef"), Some(5.0)),
            person(2025, Some("A"), None, Some(2.0)),
            person(2025, None, Some("chef"), None),
        ];
        let sums = aggregate(&respondents, &model);
        let key = |group: Group| GroupKey::new(2025, group);
        let all = &sums[&key(Group::Organisation)];
        // statement 0: two valid answers, 5 + 2; statement 1: one don't-know
        assert_eq!(all.statements[0], (2, 7.0, 0));
        assert_eq!(all.statements[1], (0, 0.0, 1));
        assert_eq!((all.respondents, all.total, all.categories[0]), (3, 2, 2));
        assert_eq!(all.members, vec![0, 1, 2]);
        let a = &sums[&key(Group::Unit("A".into()))];
        assert_eq!((a.respondents, a.members.clone()), (2, vec![0, 1]));
        assert_eq!(sums[&key(Group::Role("chef".into()))].members, vec![0, 2]);
        let pair = Group::UnitRole {
            unit: "A".into(),
            role: "chef".into(),
        };
        assert_eq!(sums[&key(pair)].members, vec![0]);
        // the organisation, unit A, role chef, and A x chef
        assert_eq!(sums.len(), 4);
    }
}
