//! Group-wise sums with polars: respondents, valid answers, their sums and
//! the don't-knows per year and group, read back into plain maps.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::ingest::cols;
use crate::model::Model;

/// Raw sums per group, read back from polars.
#[derive(Debug, Default)]
pub(super) struct Sums {
    pub(super) respondents: usize,
    pub(super) statements: BTreeMap<String, (usize, f64, usize)>,
    pub(super) categories: BTreeMap<String, usize>,
    pub(super) dimensions: BTreeMap<String, usize>,
    pub(super) total: usize,
}

pub(super) type GroupKey = (i32, Option<String>);

/// The column and separator of the unit x role key.
pub(super) const UNIT_ROLE: &str = "unit_role";
pub(super) const SEP: char = '\u{1f}';

/// The answers with a `unit_role` column: "unit\u{1f}role" where both exist.
pub(super) fn with_unit_role(answers: &DataFrame) -> PolarsResult<DataFrame> {
    let unit = answers.column(cols::UNIT)?.str()?;
    let role = answers.column(cols::ROLE)?.str()?;
    let key: Vec<Option<String>> = unit
        .iter()
        .zip(role.iter())
        .map(|(u, r)| Some(format!("{}{SEP}{}", u?, r?)))
        .collect();
    let mut out = answers.clone();
    out.with_column(Column::new(UNIT_ROLE.into(), key))?;
    Ok(out)
}

/// Group-wise sums with polars: per (year[, unit]) the respondents, per
/// statement the valid answers, their sum and the don't-knows, and per
/// category, dimension and in total the respondents with a valid answer.
/// Respondents without a unit come back under the unit "".
pub(super) fn aggregate(
    answers: &DataFrame,
    model: &Model,
    by: &str,
) -> PolarsResult<BTreeMap<GroupKey, Sums>> {
    let map = statement_map(model)?;
    let lf = answers
        .clone()
        .lazy()
        .with_column(col(by).fill_null(lit("")))
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
                k.push(col(by));
            }
            if let Some(e) = extra {
                k.push(col(e));
            }
            k
        };
        let respondents = lf.clone().group_by(keys(None)).agg([n_resp()]).collect()?;
        for (key, _, v) in read_rows(&respondents, by_unit, by, None, &["n"])? {
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
            by,
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
            for (key, code, v) in read_rows(&df, by_unit, by, Some(level), &["n"])? {
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
        for (key, _, v) in read_rows(&total, by_unit, by, None, &["n"])? {
            out.entry(key).or_default().total = v[0] as usize;
        }
    }
    Ok(out)
}

/// Each statement's category and dimension, to join onto the answers.
fn statement_map(model: &Model) -> PolarsResult<DataFrame> {
    DataFrame::new(
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
    )
}

type Row = (GroupKey, String, Vec<f64>);

fn read_rows(
    df: &DataFrame,
    by_unit: bool,
    by: &str,
    key: Option<&str>,
    values: &[&str],
) -> PolarsResult<Vec<Row>> {
    let years = df.column(cols::YEAR)?.i32()?.clone();
    let units = if by_unit {
        Some(df.column(by)?.str()?.clone())
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
