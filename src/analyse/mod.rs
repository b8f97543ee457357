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

pub mod formulas;
pub mod suppress;

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::ingest::cols;
use crate::model::Model;
use formulas::{scale_index, share, weighted_mean};
pub use suppress::Suppression;

/// The levels of the model, from the finest to the whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Total,
    Dimension,
    Category,
    Statement,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Total => "total",
            Level::Dimension => "dimension",
            Level::Category => "category",
            Level::Statement => "statement",
        }
    }
}

/// One figure: an index (0-100) and the respondents behind it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Figure {
    pub index: Option<f64>,
    pub n: usize,
}

/// A statement's figure with its raw mean and don't-know count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct StatementFigure {
    pub index: Option<f64>,
    pub mean: Option<f64>,
    /// Valid answers.
    pub n: usize,
    /// Don't-know answers.
    pub dont_know: usize,
}

impl StatementFigure {
    /// Don't-know answers as a share of all answers to the statement.
    pub fn dont_know_share(&self) -> Option<f64> {
        share(self.dont_know, self.n + self.dont_know)
    }
}

/// Everything computed for one group (the organisation or a unit) in a year.
#[derive(Debug, Clone, Serialize)]
pub struct GroupResult {
    pub year: i32,
    /// `None` for the whole organisation.
    pub unit: Option<String>,
    pub respondents: usize,
    pub suppression: Option<Suppression>,
    pub statements: BTreeMap<String, StatementFigure>,
    pub categories: BTreeMap<String, Figure>,
    pub dimensions: BTreeMap<String, Figure>,
    pub total: Figure,
}

impl GroupResult {
    pub fn shown(&self) -> bool {
        self.suppression.is_none()
    }

    /// The index at a level and key (`key` is ignored for the total).
    pub fn index(&self, level: Level, key: &str) -> Option<f64> {
        match level {
            Level::Total => self.total.index,
            Level::Dimension => self.dimensions.get(key).and_then(|f| f.index),
            Level::Category => self.categories.get(key).and_then(|f| f.index),
            Level::Statement => self.statements.get(key).and_then(|f| f.index),
        }
    }
}

/// The analysis of all years in the input.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub threshold: usize,
    pub years: Vec<i32>,
    /// Keyed by year and unit (`None` = the whole organisation).
    pub groups: BTreeMap<(i32, Option<String>), GroupResult>,
    /// Respondents without a unit, per year.
    pub without_unit: BTreeMap<i32, usize>,
}

impl Analysis {
    pub fn organisation(&self, year: i32) -> Option<&GroupResult> {
        self.groups.get(&(year, None))
    }

    pub fn unit(&self, year: i32, unit: &str) -> Option<&GroupResult> {
        self.groups.get(&(year, Some(unit.to_string())))
    }

    /// The units of a year, by name.
    pub fn units(&self, year: i32) -> impl Iterator<Item = &GroupResult> {
        self.groups
            .range((year, Some(String::new()))..)
            .take_while(move |((y, _), _)| *y == year)
            .map(|(_, g)| g)
    }
}

/// Raw sums per group, read back from polars.
#[derive(Debug, Default)]
struct Sums {
    respondents: usize,
    statements: BTreeMap<String, (usize, f64, usize)>,
    categories: BTreeMap<String, usize>,
    dimensions: BTreeMap<String, usize>,
    total: usize,
}

type GroupKey = (i32, Option<String>);

/// Computes every index for every year and group.
pub fn analyse(answers: &DataFrame, model: &Model, threshold: usize) -> Result<Analysis> {
    let sums = aggregate(answers, model)
        .map_err(|e| Error::Usage(format!("internal error in the analysis: {e}")))?;
    let (min, max) = (model.scale.min as f64, model.scale.max as f64);
    let mut groups = BTreeMap::new();
    let mut without_unit = BTreeMap::new();
    for ((year, unit), s) in sums {
        if unit.as_deref() == Some("") {
            // respondents without a unit: counted for suppression only
            without_unit.insert(year, s.respondents);
            continue;
        }
        let statements: BTreeMap<String, StatementFigure> = model
            .statements
            .iter()
            .map(|st| {
                let (n, sum, dk) = s.statements.get(&st.code).copied().unwrap_or_default();
                let mean = (n > 0).then(|| sum / n as f64);
                let fig = StatementFigure {
                    index: mean.map(|m| scale_index(m, min, max)),
                    mean,
                    n,
                    dont_know: dk,
                };
                (st.code.clone(), fig)
            })
            .collect();
        let categories: BTreeMap<String, Figure> = model
            .categories
            .iter()
            .map(|c| {
                let index = weighted_mean(
                    model
                        .statements_of(&c.code)
                        .map(|st| (statements[&st.code].index, st.weight)),
                );
                let n = s.categories.get(&c.code).copied().unwrap_or(0);
                (c.code.clone(), Figure { index, n })
            })
            .collect();
        let dimensions: BTreeMap<String, Figure> = model
            .dimensions
            .iter()
            .map(|d| {
                let index = weighted_mean(
                    model
                        .categories_of(&d.code)
                        .map(|c| (categories[&c.code].index, c.weight)),
                );
                let n = s.dimensions.get(&d.code).copied().unwrap_or(0);
                (d.code.clone(), Figure { index, n })
            })
            .collect();
        let total = Figure {
            index: weighted_mean(
                model
                    .dimensions
                    .iter()
                    .map(|d| (dimensions[&d.code].index, d.weight)),
            ),
            n: s.total,
        };
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
    let years: Vec<i32> = {
        let mut y: Vec<i32> = groups.keys().map(|(y, _)| *y).collect();
        y.dedup();
        y
    };
    for &year in &years {
        apply_suppression(
            &mut groups,
            year,
            without_unit.get(&year).copied().unwrap_or(0),
            threshold,
        );
    }
    Ok(Analysis {
        threshold,
        years,
        groups,
        without_unit,
    })
}

fn apply_suppression(
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

/// Group-wise sums with polars: per (year[, unit]) the respondents, per
/// statement the valid answers, their sum and the don't-knows, and per
/// category, dimension and in total the respondents with a valid answer.
/// Respondents without a unit come back under the unit "".
fn aggregate(answers: &DataFrame, model: &Model) -> PolarsResult<BTreeMap<GroupKey, Sums>> {
    let map = DataFrame::new(
        model.statements.len(),
        vec![
            Column::new(
                cols::STATEMENT.into(),
                model
                    .statements
                    .iter()
                    .map(|s| s.code.as_str())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "category".into(),
                model
                    .statements
                    .iter()
                    .map(|s| s.category.as_str())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "dimension".into(),
                model
                    .statements
                    .iter()
                    .map(|s| {
                        model
                            .category(&s.category)
                            .map(|c| c.dimension.as_str())
                            .unwrap_or("")
                    })
                    .collect::<Vec<_>>(),
            ),
        ],
    )?;
    let lf = answers
        .clone()
        .lazy()
        .with_column(col(cols::UNIT).fill_null(lit("")))
        .join(
            map.lazy(),
            [col(cols::STATEMENT)],
            [col(cols::STATEMENT)],
            JoinArgs::new(JoinType::Left),
        );
    let valid = || col(cols::VALUE).is_not_null();
    let n_resp = || {
        col(cols::RESPONDENT)
            .n_unique()
            .cast(DataType::Float64)
            .alias("n")
    };
    let mut out: BTreeMap<GroupKey, Sums> = BTreeMap::new();
    for by_unit in [false, true] {
        let keys = |extra: Option<&str>| {
            let mut k = vec![col(cols::YEAR)];
            if by_unit {
                k.push(col(cols::UNIT));
            }
            if let Some(e) = extra {
                k.push(col(e));
            }
            k
        };
        let respondents = lf.clone().group_by(keys(None)).agg([n_resp()]).collect()?;
        for (key, _, v) in read_rows(&respondents, by_unit, None, &["n"])? {
            out.entry(key).or_default().respondents = v[0] as usize;
        }
        let statements = lf
            .clone()
            .group_by(keys(Some(cols::STATEMENT)))
            .agg([
                valid().cast(DataType::Float64).sum().alias("n"),
                col(cols::VALUE).sum().cast(DataType::Float64).alias("sum"),
                col(cols::DONT_KNOW)
                    .cast(DataType::Float64)
                    .sum()
                    .alias("dk"),
            ])
            .collect()?;
        for (key, code, v) in read_rows(
            &statements,
            by_unit,
            Some(cols::STATEMENT),
            &["n", "sum", "dk"],
        )? {
            out.entry(key)
                .or_default()
                .statements
                .insert(code, (v[0] as usize, v[1], v[2] as usize));
        }
        for level in ["category", "dimension"] {
            let df = lf
                .clone()
                .filter(valid())
                .group_by(keys(Some(level)))
                .agg([n_resp()])
                .collect()?;
            for (key, code, v) in read_rows(&df, by_unit, Some(level), &["n"])? {
                let sums = out.entry(key).or_default();
                let target = if level == "category" {
                    &mut sums.categories
                } else {
                    &mut sums.dimensions
                };
                target.insert(code, v[0] as usize);
            }
        }
        let total = lf
            .clone()
            .filter(valid())
            .group_by(keys(None))
            .agg([n_resp()])
            .collect()?;
        for (key, _, v) in read_rows(&total, by_unit, None, &["n"])? {
            out.entry(key).or_default().total = v[0] as usize;
        }
    }
    Ok(out)
}

type Row = (GroupKey, String, Vec<f64>);

fn read_rows(
    df: &DataFrame,
    by_unit: bool,
    key: Option<&str>,
    values: &[&str],
) -> PolarsResult<Vec<Row>> {
    let years = df.column(cols::YEAR)?.i32()?.clone();
    let units = if by_unit {
        Some(df.column(cols::UNIT)?.str()?.clone())
    } else {
        None
    };
    let keys = match key {
        Some(k) => Some(df.column(k)?.str()?.clone()),
        None => None,
    };
    let vals = values
        .iter()
        .map(|v| Ok(df.column(v)?.cast(&DataType::Float64)?.f64()?.clone()))
        .collect::<PolarsResult<Vec<_>>>()?;
    Ok((0..df.height())
        .map(|i| {
            let unit = units.as_ref().map(|u| u.get(i).unwrap_or("").to_string());
            let code = keys
                .as_ref()
                .and_then(|k| k.get(i))
                .unwrap_or("")
                .to_string();
            let v = vals.iter().map(|c| c.get(i).unwrap_or(0.0)).collect();
            ((years.get(i).unwrap_or(0), unit), code, v)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::AnswerColumnsForTest;

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
        let mut a = AnswerColumnsForTest::default();
        // unit U: r1 S1=5 S2=3, r2 S1=3 S2=dk
        a.push(2025, "r1", Some("U"), "S1", Some(5.0));
        a.push(2025, "r1", Some("U"), "S2", Some(3.0));
        a.push(2025, "r2", Some("U"), "S1", Some(3.0));
        a.push(2025, "r2", Some("U"), "S2", None);
        // no unit: r3 S2=1
        a.push(2025, "r3", None, "S2", Some(1.0));
        let res = analyse(&a.frame(), &model, 1).unwrap();
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
}
