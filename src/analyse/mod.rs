//! Analysis: maturity indices at every level of the model, for the whole
//! organisation and for each unit, per year, with anonymity applied.
//!
//! Aggregation (documented in the README):
//! - statement index = `(mean of valid answers - min) / (max - min) * 100`;
//!   don't-know answers never enter the mean;
//! - category index = weighted mean of its statements' indices;
//! - dimension index = weighted mean of its categories' indices;
//! - total = weighted mean of the dimensions' indices.
//!
//! Weights come from the model (default 1). An item without any valid answer
//! drops out and the remaining weights are renormalised. `n` is the number of
//! respondents with at least one valid answer at that level.

mod aggregate;
pub(crate) mod brief;
mod compare;
pub(crate) mod effects;
mod extent;
pub mod formulas;
mod group;
mod groups;
pub(crate) mod portfolio;
pub(crate) mod review;
pub mod scores;
pub mod stats;
pub mod suppress;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Result;
use crate::ingest::Answers;
use crate::model::Model;
use aggregate::aggregate;
pub use compare::{Gap, GapVerdict, StatementDifference};
pub use extent::Extent;
use formulas::share;
pub use group::{Group, GroupKey, ScopeKey};
use groups::build_groups;
pub use suppress::Suppression;

/// The levels of the model, from the finest to the whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The total index.
    Total,
    /// A dimension of the model.
    Dimension,
    /// A category of the model.
    Category,
    /// A statement of the model.
    Statement,
}

impl Level {
    /// The level's name in the tables ("total", "dimension", ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Total => "total",
            Level::Dimension => "dimension",
            Level::Category => "category",
            Level::Statement => "statement",
        }
    }
}

/// Every (level, key) of the model in report order: the total, then the
/// dimensions, categories and statements as the model lists them.
pub fn keys(model: &Model) -> Vec<(Level, String)> {
    std::iter::once((Level::Total, "total".to_string()))
        .chain(
            model
                .dimensions
                .iter()
                .map(|d| (Level::Dimension, d.code.clone())),
        )
        .chain(
            model
                .categories
                .iter()
                .map(|c| (Level::Category, c.code.clone())),
        )
        .chain(
            model
                .statements
                .iter()
                .map(|s| (Level::Statement, s.code.clone())),
        )
        .collect()
}

/// One figure of a group at one level: the index and everything about its
/// uncertainty. Suppressed groups keep their figures here but never show
/// them (see `GroupResult::shown`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Figure {
    /// 0-100.
    pub index: Option<f64>,
    /// The index on the answer scale: `min + index/100 · (max - min)`.
    pub mean: Option<f64>,
    /// Respondents with at least one valid answer at this level.
    pub n: usize,
    /// Valid answers at this level.
    pub answers: usize,
    /// Don't-know answers at this level.
    pub dont_know: usize,
    /// Standard deviation of the respondents' scores, in index points.
    pub sd: Option<f64>,
    /// Mean of the respondents' scores (for tests between years).
    pub score_mean: Option<f64>,
    /// 95 % confidence interval of the index, in index points.
    pub ci: Option<(f64, f64)>,
}

impl Figure {
    /// Don't-know answers as a share of all answers at this level.
    pub fn dont_know_share(&self) -> Option<f64> {
        share(self.dont_know, self.answers + self.dont_know)
    }

    fn summary(&self) -> Option<stats::Summary> {
        Some(stats::Summary {
            n: self.n,
            mean: self.score_mean?,
            sd: self.sd,
        })
    }
}

/// Kept for readability where a statement is meant.
pub type StatementFigure = Figure;

/// A change between two years, with Welch's test on the respondents' scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    /// The year compared with.
    pub from_year: i32,
    /// Index points.
    pub value: f64,
    /// The earlier index the change is from.
    pub before: f64,
    /// `None` when the test cannot be done (fewer than two respondents).
    pub significant: Option<bool>,
    /// The test's two-sided p-value.
    pub p: Option<f64>,
}

/// Everything computed for one group in a year.
#[derive(Debug, Clone, Serialize)]
pub struct GroupResult {
    /// The survey year.
    pub year: i32,
    /// Whom the figures are about.
    pub group: Group,
    /// Respondents with at least one answer.
    pub respondents: usize,
    /// Why the group is hidden; `None` when it is shown.
    pub suppression: Option<Suppression>,
    /// Figures per statement code.
    pub statements: BTreeMap<String, Figure>,
    /// Figures per category code.
    pub categories: BTreeMap<String, Figure>,
    /// Figures per dimension code.
    pub dimensions: BTreeMap<String, Figure>,
    /// The total index.
    pub total: Figure,
}

impl GroupResult {
    /// The group and year as a key of the analysis's maps.
    pub fn key(&self) -> GroupKey {
        GroupKey::new(self.year, self.group.clone())
    }

    /// Whether the group's figures may be shown (not suppressed).
    pub fn shown(&self) -> bool {
        self.suppression.is_none()
    }

    /// The figure at a level and key (`key` is ignored for the total).
    pub fn figure(&self, level: Level, key: &str) -> Option<&Figure> {
        match level {
            Level::Total => Some(&self.total),
            Level::Dimension => self.dimensions.get(key),
            Level::Category => self.categories.get(key),
            Level::Statement => self.statements.get(key),
        }
    }

    /// The categories that have an index, weakest first: (index, position
    /// in the model), ties in model order.
    pub fn categories_ascending(&self, model: &Model) -> Vec<(f64, usize)> {
        let mut cats: Vec<(f64, usize)> = model
            .categories
            .iter()
            .enumerate()
            .filter_map(|(i, c)| self.index(Level::Category, &c.code).map(|v| (v, i)))
            .collect();
        cats.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        cats
    }

    /// Whether the 95 % confidence interval of a figure lies on both sides
    /// of `at` (a boundary between maturity types): the side it falls on
    /// is uncertain. One test for every report that says so.
    pub fn interval_spans(&self, level: Level, key: &str, at: f64) -> bool {
        self.figure(level, key)
            .and_then(|f| f.ci)
            .is_some_and(|(lo, hi)| lo < at && at < hi)
    }

    /// The index at a level and key (`key` is ignored for the total).
    pub fn index(&self, level: Level, key: &str) -> Option<f64> {
        self.figure(level, key).and_then(|f| f.index)
    }
}

/// The analysis of all years in the input.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// The anonymity threshold the analysis applied.
    pub threshold: usize,
    /// The survey years, ascending.
    pub years: Vec<i32>,
    /// Every group's figures: the organisation, its units, its roles and
    /// the roles within its units, per year.
    pub groups: BTreeMap<GroupKey, GroupResult>,
    /// Respondents without a unit, per year.
    pub without_unit: BTreeMap<i32, usize>,
    /// Every respondent's scores, for comparisons between groups.
    pub respondents: Vec<scores::Respondent>,
    /// Cronbach's alpha per year, group (the organisation and each shown
    /// unit), level (category, dimension) and key, with the complete cases
    /// it rests on.
    pub reliability: BTreeMap<ScopeKey, Reliability>,
    /// The initiative portfolio's figures per year and group (the
    /// organisation and the units with initiatives): filled by
    /// [`portfolio::attach`].
    pub(crate) portfolio: BTreeMap<GroupKey, portfolio::PortfolioFigures>,
    /// The statement review per year and group (the organisation, and the
    /// shown units with initiatives of their own): filled by
    /// [`portfolio::attach`].
    pub(crate) review: BTreeMap<GroupKey, Vec<review::StatementReview>>,
    /// The effect follow-up per year (with a previous survey) and group
    /// of the review: on statements, then on categories.
    pub(crate) effects: BTreeMap<GroupKey, [effects::Effect; 2]>,
}

/// Cronbach's alpha of one category or dimension.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Reliability {
    /// Cronbach's alpha; `None` with too few complete cases or items.
    pub alpha: Option<f64>,
    /// Respondents with a valid answer to every item.
    pub complete_cases: usize,
    /// The items (statements or categories) it rests on.
    pub items: usize,
}

impl Analysis {
    /// A group's figures in a year.
    pub fn group(&self, year: i32, group: &Group) -> Option<&GroupResult> {
        self.groups.get(&GroupKey::new(year, group.clone()))
    }

    /// Cronbach's alpha of a dimension or category for a group (the
    /// organisation or a shown unit) in a year.
    pub fn reliability_of(
        &self,
        year: i32,
        group: &Group,
        level: Level,
        key: &str,
    ) -> Option<&Reliability> {
        self.reliability.get(&ScopeKey {
            group: GroupKey::new(year, group.clone()),
            level,
            key: key.to_string(),
        })
    }

    /// The whole organisation's figures in a year.
    pub fn organisation(&self, year: i32) -> Option<&GroupResult> {
        self.group(year, &Group::Organisation)
    }

    /// The portfolio's figures of a group (the organisation or a unit) in
    /// a year.
    pub(crate) fn portfolio_of(
        &self,
        year: i32,
        group: &Group,
    ) -> Option<&portfolio::PortfolioFigures> {
        self.portfolio.get(&GroupKey::new(year, group.clone()))
    }

    /// A unit's figures in a year.
    pub fn unit(&self, year: i32, unit: &str) -> Option<&GroupResult> {
        self.group(year, &Group::Unit(unit.to_string()))
    }

    /// The latest earlier year in which this group was shown.
    pub fn previous(&self, year: i32, group: &Group) -> Option<&GroupResult> {
        self.years
            .iter()
            .rev()
            .filter(|y| **y < year)
            .find_map(|&y| self.group(y, group).filter(|g| g.shown()))
    }

    /// The change of a figure since the group's previous shown year, and
    /// whether Welch's test finds it significant at 5 %. Roles are not
    /// followed between years: `None` for them.
    pub fn change(&self, year: i32, group: &Group, level: Level, key: &str) -> Option<Change> {
        if !group.is_organisation_or_unit() {
            return None;
        }
        let now = self.group(year, group)?;
        let before = self.previous(year, group)?;
        let (a, b) = (now.figure(level, key)?, before.figure(level, key)?);
        let (now_index, before_index) = (a.index?, b.index?);
        let value = now_index - before_index;
        let test = a
            .summary()
            .zip(b.summary())
            .and_then(|(x, y)| stats::welch(&x, &y));
        Some(Change {
            from_year: before.year,
            value,
            before: before_index,
            significant: test.map(|w| w.p < 0.05),
            p: test.map(|w| w.p),
        })
    }

    /// The groups of a kind in a year (`Group::Unit` or `Group::Role`),
    /// by name.
    fn of_kind(
        &self,
        year: i32,
        kind: fn(String) -> Group,
    ) -> impl Iterator<Item = &GroupResult> + '_ {
        let next = match kind(String::new()) {
            Group::Unit(_) => GroupKey::first(year, Group::Role),
            _ => GroupKey::new(
                year,
                Group::UnitRole {
                    unit: String::new(),
                    role: String::new(),
                },
            ),
        };
        self.groups
            .range(GroupKey::first(year, kind)..next)
            .map(|(_, g)| g)
    }

    /// The units of a year, by name.
    pub fn units(&self, year: i32) -> impl Iterator<Item = &GroupResult> + '_ {
        self.of_kind(year, Group::Unit)
    }

    /// The roles of the whole organisation in a year, by name.
    pub fn roles(&self, year: i32) -> impl Iterator<Item = &GroupResult> + '_ {
        self.of_kind(year, Group::Role)
    }

    /// The roles within every unit in a year, by unit and role.
    pub fn unit_roles(&self, year: i32) -> impl Iterator<Item = &GroupResult> + '_ {
        let first = GroupKey::new(
            year,
            Group::UnitRole {
                unit: String::new(),
                role: String::new(),
            },
        );
        self.groups
            .range(first..GroupKey::new(year + 1, Group::Organisation))
            .map(|(_, g)| g)
    }

    /// The roles within one unit in a year, by role.
    pub fn roles_in<'a>(
        &'a self,
        year: i32,
        unit: &'a str,
    ) -> impl Iterator<Item = &'a GroupResult> + 'a {
        self.unit_roles(year)
            .filter(move |g| matches!(&g.group, Group::UnitRole { unit: u, .. } if u == unit))
    }

    /// How many respondents of a group (unit `None` = the organisation)
    /// gave each scale value to a statement, lowest value first; `None`
    /// where the answers are not whole steps of the scale.
    pub fn answer_counts(
        &self,
        model: &Model,
        year: i32,
        unit: Option<&str>,
        code: &str,
    ) -> Option<Vec<usize>> {
        let si = model.statements.iter().position(|s| s.code == code)?;
        let (min, max) = (model.scale.min, model.scale.max);
        if model.scale.continuous || max - min > 10 {
            return None;
        }
        let mut counts = vec![0usize; (max - min + 1) as usize];
        let members = self
            .respondents
            .iter()
            .filter(|r| r.year == year && (unit.is_none() || r.unit.as_deref() == unit));
        for r in members {
            if let Some(v) = r.raw[si] {
                // a survey on another scale, mapped onto this one, has
                // answers between the steps: no counts per step
                if v.fract() != 0.0 {
                    return None;
                }
                counts[(v as i64 - min) as usize] += 1;
            }
        }
        Some(counts)
    }
}

/// The number of people invited to answer, for the finite population
/// correction; `None` where unknown.
#[derive(Debug, Clone, Default)]
pub struct Population {
    /// The people invited in the whole organisation.
    pub total: Option<usize>,
    /// The people invited per unit.
    pub units: BTreeMap<String, usize>,
}

impl Population {
    /// The people invited to a group: known for the organisation and its
    /// units only.
    fn of(&self, group: &Group) -> Option<usize> {
        match group {
            Group::Organisation => self.total,
            Group::Unit(u) => self.units.get(u).copied(),
            Group::Role(_) | Group::UnitRole { .. } => None,
        }
    }
}

/// The complete cases of `reliability.csv` add up too: the organisation's
/// minus those of the shown units is the hidden units' (and those without a
/// unit). Where that leaves 1 to k-1, the smallest shown units' rows of
/// that scope are left out until it does not (`suppress::complement`).
fn protect_complete_cases(reliability: &mut BTreeMap<ScopeKey, Reliability>, threshold: usize) {
    let wholes: Vec<(ScopeKey, usize)> = reliability
        .iter()
        .filter(|(s, _)| s.group.group == Group::Organisation)
        .map(|(s, r)| (s.clone(), r.complete_cases))
        .collect();
    for (whole, cases) in wholes {
        let unit_of = |s: &ScopeKey| {
            (s.group.year == whole.group.year && s.level == whole.level && s.key == whole.key)
                .then(|| s.group.group.unit().map(str::to_string))
                .flatten()
        };
        let parts: BTreeMap<String, usize> = reliability
            .iter()
            .filter_map(|(s, r)| Some((unit_of(s)?, r.complete_cases)))
            .collect();
        let hidden = cases.saturating_sub(parts.values().sum());
        for unit in suppress::complement(&parts, hidden, threshold) {
            reliability.remove(&ScopeKey {
                group: GroupKey::new(whole.group.year, Group::Unit(unit)),
                ..whole.clone()
            });
        }
    }
}

/// Computes every index for every year and group.
pub fn analyse(
    answers: &Answers,
    model: &Model,
    threshold: usize,
    population: &Population,
) -> Result<Analysis> {
    let respondents = scores::respondents(answers, model);
    let sums = aggregate(&respondents, model);
    let mut groups = build_groups(sums, &respondents, model, population);
    let mut without_unit: BTreeMap<i32, usize> = BTreeMap::new();
    for r in respondents.iter().filter(|r| r.unit.is_none()) {
        *without_unit.entry(r.year).or_default() += 1;
    }
    let years: Vec<i32> = {
        let mut y: Vec<i32> = groups.keys().map(|k| k.year).collect();
        y.dedup();
        y
    };
    for &year in &years {
        groups::disclosure_control(year, &respondents, model, threshold, &mut groups);
    }
    let mut reliability = scores::reliability(&respondents, model, &years, None);
    for (key, g) in &groups {
        let Some(u) = key.group.unit().filter(|_| g.shown()) else {
            continue;
        };
        reliability.extend(scores::reliability(
            &respondents,
            model,
            &[key.year],
            Some(u),
        ));
    }
    protect_complete_cases(&mut reliability, threshold);
    Ok(Analysis {
        threshold,
        years,
        groups,
        without_unit,
        reliability,
        portfolio: BTreeMap::new(),
        review: BTreeMap::new(),
        effects: BTreeMap::new(),
        respondents,
    })
}

#[cfg(test)]
mod properties;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::AnswersForTest;

    /// A tiny hand-computed case on a two-statement model.
    #[test]
    fn indices_by_hand() {
        let model = Model::parse(
            r#"
id = "t"
name = { sv = "t" }
[scale]
min = 1
max = 5
dont_know = ["x"]
[[dimensions]]
code = "D"
name = { sv = "D" }
[[categories]]
code = "C1"
dimension = "D"
name = { sv = "C1" }
[[categories]]
code = "C2"
dimension = "D"
name = { sv = "C2" }
weight = 3
[[statements]]
code = "S1"
category = "C1"
text = { sv = "s1" }
[[statements]]
code = "S2"
category = "C2"
text = { sv = "s2" }
"#,
            std::path::Path::new("t.toml"),
        )
        .unwrap();
        let mut a = AnswersForTest::default();
        // unit U: r1 S1=5 S2=3, r2 S1=3 S2=dk
        a.push(2025, "r1", Some("U"), "S1", Some(5.0));
        a.push(2025, "r1", Some("U"), "S2", Some(3.0));
        a.push(2025, "r2", Some("U"), "S1", Some(3.0));
        a.push(2025, "r2", Some("U"), "S2", None);
        // no unit: r3 S2=1
        a.push(2025, "r3", None, "S2", Some(1.0));
        let res = analyse(&a.build(&model), &model, 1, &Population::default()).unwrap();
        let org = res.organisation(2025).unwrap();
        // S1: mean 4 -> (4-1)/4 = 75 ; S2: mean 2 -> 25 ; dk 1 of 3
        assert_eq!(org.statements["S1"].index, Some(75.0));
        assert_eq!(org.statements["S2"].index, Some(25.0));
        assert_eq!(org.statements["S2"].dont_know, 1);
        assert_eq!(org.statements["S2"].dont_know_share(), Some(1.0 / 3.0));
        // dimension D = (1*75 + 3*25)/4 = 37.5 = total
        assert_eq!(org.dimensions["D"].index, Some(37.5));
        assert_eq!(org.total.index, Some(37.5));
        assert_eq!((org.respondents, org.total.n), (3, 3));
        assert_eq!(org.categories["C2"].n, 2);
        let u = res.unit(2025, "U").unwrap();
        // U: S1 mean 4 -> 75, S2 mean 3 -> 50 ; total (75 + 150)/4 = 56.25
        assert_eq!(u.total.index, Some(56.25));
        assert_eq!(u.respondents, 2);
        assert_eq!(res.without_unit.get(&2025), Some(&1));
        assert_eq!(res.units(2025).count(), 1);
    }

    #[test]
    fn a_unit_against_the_rest_statement_by_statement_with_holm() {
        let model = Model::builtin();
        let k = model.statements.len();
        let person = |unit: &str, s0: f64, s1: f64| scores::Respondent {
            year: 2025,
            unit: Some(unit.to_string()),
            role: None,
            raw: vec![None; k],
            dont_know: vec![false; k],
            statements: {
                let mut v = vec![None; k];
                v[0] = Some(s0);
                v[1] = Some(s1);
                v
            },
            categories: vec![None; model.categories.len()],
            dimensions: vec![None; model.dimensions.len()],
            total: None,
        };
        let respondents = vec![
            person("A", 80.0, 50.0),
            person("A", 90.0, 60.0),
            person("A", 85.0, 40.0),
            person("B", 20.0, 50.0),
            person("B", 30.0, 60.0),
            person("B", 25.0, 40.0),
            person("C", 22.0, 55.0),
        ];
        let analysis = Analysis {
            threshold: 3,
            years: vec![2025],
            groups: BTreeMap::new(),
            without_unit: BTreeMap::new(),
            respondents,
            reliability: BTreeMap::new(),
            portfolio: BTreeMap::new(),
            review: BTreeMap::new(),
            effects: BTreeMap::new(),
        };
        let d = analysis.unit_vs_rest(2025, "A", &model);
        assert_eq!(d.len(), 2, "two statements have answers on both sides");
        // statement 0: 85 against (20+30+25+22)/4 = 24.25, far apart
        assert_eq!(d[0].unit.mean, 85.0);
        assert!((d[0].rest.mean - 24.25).abs() < 1e-12);
        let (p0, p1) = (d[0].p.unwrap(), d[1].p.unwrap());
        // Holm over two: the smaller p doubled, the larger kept at least that
        assert!((d[0].p_holm.unwrap() - (2.0 * p0).min(1.0)).abs() < 1e-12);
        assert!((d[1].p_holm.unwrap() - p1.max(2.0 * p0).min(1.0)).abs() < 1e-12);
        assert!(d[0].significant());
        assert!(!d[1].significant(), "50 against 51.25 is no difference");
        // fewer than the threshold on the unit's side: nothing is tested
        assert!(analysis.unit_vs_rest(2025, "C", &model).is_empty());
    }
}
