//! `effects.csv`: the effect follow-up per group and level.

use polars::prelude::*;

use super::internal;
use crate::analyse::effects::Effect;
use crate::analyse::Analysis;
use crate::error::Result;

/// One row per group (the organisation, then each unit with initiatives
/// of its own) and level (statement, category) of the year's follow-up.
/// `result` is `estimate`, `too_few` (fewer than three items on a side) or
/// `hidden` (the group is hidden in the earlier year).
pub fn effects(analysis: &Analysis, year: i32) -> Result<DataFrame> {
    let rows: Vec<(Option<&str>, &'static str, &Effect)> =
        super::groups_of_year(&analysis.effects, year)
            .flat_map(|(unit, e)| {
                [("statement", &e[0]), ("category", &e[1])]
                    .into_iter()
                    .map(move |(level, e)| (unit, level, e))
            })
            .collect();
    let estimate = |f: &dyn Fn(&crate::analyse::effects::Estimate) -> f64| -> Vec<Option<f64>> {
        rows.iter()
            .map(|(_, _, e)| match e {
                Effect::Estimate(x) => Some(f(x)),
                _ => None,
            })
            .collect()
    };
    let counts = |targeted: bool| -> Vec<Option<u32>> {
        rows.iter()
            .map(|(_, _, e)| match e {
                Effect::Estimate(x) => Some(if targeted { x.targeted } else { x.others } as u32),
                Effect::TooFew {
                    targeted: t,
                    others,
                } => Some(if targeted { *t } else { *others } as u32),
                Effect::Hidden => None,
            })
            .collect()
    };
    DataFrame::new(
        rows.len(),
        vec![
            Column::new("year".into(), vec![year; rows.len()]),
            super::unit_column(rows.iter().map(|(u, _, _)| *u)),
            Column::new(
                "level".into(),
                rows.iter().map(|(_, l, _)| *l).collect::<Vec<_>>(),
            ),
            Column::new(
                "result".into(),
                rows.iter()
                    .map(|(_, _, e)| match e {
                        Effect::Estimate(_) => "estimate",
                        Effect::TooFew { .. } => "too_few",
                        Effect::Hidden => "hidden",
                    })
                    .collect::<Vec<_>>(),
            ),
            Column::new("targeted".into(), counts(true)),
            Column::new("others".into(), counts(false)),
            Column::new(
                "mean_change_targeted".into(),
                estimate(&|x| x.mean_targeted),
            ),
            Column::new("mean_change_others".into(), estimate(&|x| x.mean_others)),
            Column::new("difference".into(), estimate(&|x| x.difference)),
            Column::new("ci_low".into(), estimate(&|x| x.ci.0)),
            Column::new("ci_high".into(), estimate(&|x| x.ci.1)),
        ],
    )
    .map_err(internal)
}
