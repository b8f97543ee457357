//! Group-wise sums in one pass over the respondents: per year and group the
//! respondents, per statement the valid answers, their sum and the
//! don't-knows, and per category, dimension and in total the respondents
//! with a valid answer, each group with its members.

use std::collections::BTreeMap;

use super::scores::Respondent;
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

pub(super) type GroupKey = (i32, Option<String>);

/// The separator of the unit x role key "unit\u{1f}role".
pub(super) const SEP: char = '\u{1f}';

/// The sums per year (key `(year, None)`) and per year and group (`(year,
/// Some(group))`, where `group` names the respondent's group; respondents
/// without one come back under the group "").
pub(super) fn aggregate(
    respondents: &[Respondent],
    model: &Model,
    group: impl Fn(&Respondent) -> Option<String>,
) -> BTreeMap<GroupKey, Sums> {
    let mut out: BTreeMap<GroupKey, Sums> = BTreeMap::new();
    for (i, r) in respondents.iter().enumerate() {
        for key in [None, Some(group(r).unwrap_or_default())] {
            out.entry((r.year, key))
                .or_insert_with(|| Sums::new(model))
                .add(i, r);
        }
    }
    out
}

/// A respondent's unit x role key, where both exist.
pub(super) fn unit_role(r: &Respondent) -> Option<String> {
    Some(format!("{}{SEP}{}", r.unit.as_deref()?, r.role.as_deref()?))
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
        let by_unit = aggregate(&respondents, &model, |r| r.unit.clone());
        let all = &by_unit[&(2025, None)];
        // statement 0: two valid answers, 5 + 2; statement 1: one don't-know
        assert_eq!(all.statements[0], (2, 7.0, 0));
        assert_eq!(all.statements[1], (0, 0.0, 1));
        assert_eq!((all.respondents, all.total, all.categories[0]), (3, 2, 2));
        assert_eq!(all.members, vec![0, 1, 2]);
        let a = &by_unit[&(2025, Some("A".into()))];
        assert_eq!((a.respondents, a.members.clone()), (2, vec![0, 1]));
        // the respondent without a unit comes back under ""
        assert_eq!(by_unit[&(2025, Some(String::new()))].members, vec![2]);
        let pairs = aggregate(&respondents, &model, unit_role);
        assert_eq!(pairs[&(2025, Some(format!("A{SEP}chef")))].members, vec![0]);
        assert_eq!(pairs[&(2025, Some(String::new()))].members, vec![1, 2]);
        assert_eq!(pairs.len(), 3);
    }
}
