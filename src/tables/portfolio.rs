//! The register's tables: `portfolio.csv` (every initiative of a year) and
//! `portfolio-summary.csv` (the analysis's portfolio figures).

use std::collections::BTreeMap;

use polars::prelude::*;

use super::{internal, safe_text};
use crate::analyse::Analysis;
use crate::error::Result;

/// `portfolio.csv`: one row per initiative of the year, axes normalised to
/// -1..1 and the statements and categories it strengthens; then the year's
/// proposals (status `proposed`), which no portfolio figure counts.
pub fn portfolio(register: &crate::portfolio::Register, year: i32) -> Result<DataFrame> {
    let items: Vec<&crate::portfolio::Initiative> = register
        .of_year(year)
        .chain(register.proposals.iter().filter(|p| p.year == year))
        .collect();
    let text = |f: &dyn Fn(&crate::portfolio::Initiative) -> String| -> Vec<String> {
        items.iter().map(|i| safe_text(&f(i))).collect()
    };
    // a list of codes, or empty (null, so that CSV shows an empty field)
    let joined =
        |f: &dyn Fn(&crate::portfolio::Initiative) -> &Vec<String>| -> Vec<Option<String>> {
            items
                .iter()
                .map(|i| Some(f(i).join(";")).filter(|s| !s.is_empty()))
                .collect()
        };
    let axis = |k: usize| -> Vec<Option<f64>> { items.iter().map(|i| i.axes[k]).collect() };
    DataFrame::new(
        items.len(),
        vec![
            Column::new(
                "year".into(),
                items.iter().map(|i| i.year).collect::<Vec<_>>(),
            ),
            Column::new("id".into(), text(&|i| i.id.clone())),
            Column::new("name".into(), text(&|i| i.name.clone())),
            Column::new(
                "unit".into(),
                items
                    .iter()
                    .map(|i| i.unit.as_deref().map(safe_text))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "status".into(),
                items.iter().map(|i| i.status.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "start".into(),
                items
                    .iter()
                    .map(|i| i.start.map(|d| d.to_string()))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "end".into(),
                items
                    .iter()
                    .map(|i| i.end.map(|d| d.to_string()))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "budget".into(),
                items.iter().map(|i| i.budget).collect::<Vec<_>>(),
            ),
            Column::new("efficiency_innovation".into(), axis(0)),
            Column::new("operational_strategic".into(), axis(1)),
            Column::new("internal_external".into(), axis(2)),
            Column::new("statements".into(), joined(&|i| &i.statements)),
            Column::new("categories".into(), joined(&|i| &i.categories)),
        ],
    )
    .map_err(internal)
}

/// `portfolio-summary.csv`: per scope (the organisation, then each unit
/// with initiatives) the balance of each axis for all initiatives and per
/// status (shares by count and by budget, mean positions), and the coverage
/// of every dimension, category and statement per status.
pub fn portfolio_summary(analysis: &Analysis, year: i32) -> Result<DataFrame> {
    use crate::analyse::portfolio::{AxisBalance, SUBSETS};
    use crate::portfolio::AXES;
    let mut cols: BTreeMap<&str, Vec<Option<f64>>> = BTreeMap::new();
    let (mut unit, mut kind, mut key, mut status) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    const NUM: [&str; 10] = [
        "count",
        "budget",
        "count_low",
        "count_middle",
        "count_high",
        "budget_low",
        "budget_middle",
        "budget_high",
        "mean",
        "budget_mean",
    ];
    let mut row = |u: Option<&str>,
                   k: &'static str,
                   key_: String,
                   st: &'static str,
                   values: [Option<f64>; 10]| {
        unit.push(u.map(safe_text));
        kind.push(k);
        key.push(key_);
        status.push(st);
        for (name, v) in NUM.iter().zip(values) {
            cols.entry(name).or_default().push(v);
        }
    };
    let shares = |b: &AxisBalance| {
        let three = |s: Option<crate::analyse::portfolio::Shares>| {
            s.map_or([None; 3], |s| [Some(s.low), Some(s.middle), Some(s.high)])
        };
        let [c, w] = [three(b.by_count), three(b.by_budget)];
        [c[0], c[1], c[2], w[0], w[1], w[2], b.mean, b.budget_mean]
    };
    for (u, f) in super::groups_of_year(&analysis.portfolio, year) {
        for (st, balances) in SUBSETS.iter().zip(&f.balance) {
            for (axis, b) in AXES.iter().zip(balances) {
                let [a, b2, c, d, e, g, h, i] = shares(b);
                row(
                    u,
                    "balance",
                    axis.to_string(),
                    st,
                    [Some(b.n as f64), Some(b.budget), a, b2, c, d, e, g, h, i],
                );
            }
        }
        // the change of the balance since the previous register year
        if let Some((prev_year, before)) = &f.previous {
            for ((axis, a), b) in AXES.iter().zip(f.all()).zip(before) {
                let (now, then) = (shares(a), shares(b));
                let d: [Option<f64>; 8] = std::array::from_fn(|k| Some(now[k]? - then[k]?));
                row(
                    u,
                    "balance_change",
                    axis.to_string(),
                    "all",
                    [
                        Some(*prev_year as f64),
                        None,
                        d[0],
                        d[1],
                        d[2],
                        d[3],
                        d[4],
                        d[5],
                        d[6],
                        d[7],
                    ],
                );
            }
        }
        for cov in &f.coverage {
            for (s, st) in SUBSETS[1..].iter().enumerate() {
                let mut values = [None; 10];
                values[0] = Some(cov.count[s] as f64);
                values[1] = Some(cov.budget[s]);
                row(
                    u,
                    "coverage",
                    format!("{}:{}", cov.level.as_str(), cov.key),
                    st,
                    values,
                );
            }
        }
    }
    let n = kind.len();
    let mut columns = vec![
        Column::new("year".into(), vec![year; n]),
        Column::new("unit".into(), unit),
        Column::new("kind".into(), kind),
        Column::new("key".into(), key),
        Column::new("status".into(), status),
    ];
    for name in NUM {
        columns.push(Column::new(
            name.into(),
            cols.remove(name).unwrap_or_default(),
        ));
    }
    DataFrame::new(n, columns).map_err(internal)
}
