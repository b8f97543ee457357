//! `statement-review.csv`: every statement of the review per group, with
//! the initiatives that strengthen it by status and their split budgets.

use polars::prelude::*;

use super::{internal, safe_text};
use crate::analyse::Analysis;
use crate::error::Result;

/// One row per group (the organisation, then each unit with initiatives
/// of its own) and statement of the year's review.
pub fn statement_review(analysis: &Analysis, year: i32) -> Result<DataFrame> {
    let rows: Vec<(Option<&str>, &crate::analyse::review::StatementReview)> =
        super::groups_of_year(&analysis.review, year)
            .flat_map(|(unit, rows)| rows.iter().map(move |r| (unit, r)))
            .collect();
    let count = |k: usize| -> Vec<u32> {
        rows.iter()
            .map(|(_, r)| r.initiatives[k].len() as u32)
            .collect()
    };
    let budget = |k: usize| -> Vec<f64> { rows.iter().map(|(_, r)| r.budget[k]).collect() };
    DataFrame::new(
        rows.len(),
        vec![
            Column::new("year".into(), vec![year; rows.len()]),
            super::unit_column(rows.iter().map(|(u, _)| *u)),
            Column::new(
                "statement".into(),
                rows.iter()
                    .map(|(_, r)| r.statement.clone())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "category".into(),
                rows.iter()
                    .map(|(_, r)| r.category.clone())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "index".into(),
                rows.iter().map(|(_, r)| r.index).collect::<Vec<_>>(),
            ),
            Column::new(
                "change".into(),
                rows.iter()
                    .map(|(_, r)| r.change.as_ref().map(|c| c.value))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "change_significant".into(),
                rows.iter()
                    .map(|(_, r)| r.change.as_ref().and_then(|c| c.significant))
                    .collect::<Vec<_>>(),
            ),
            Column::new("completed".into(), count(0)),
            Column::new("ongoing".into(), count(1)),
            Column::new("planned".into(), count(2)),
            Column::new("budget_completed".into(), budget(0)),
            Column::new("budget_ongoing".into(), budget(1)),
            Column::new("budget_planned".into(), budget(2)),
            Column::new(
                "initiatives".into(),
                rows.iter()
                    .map(|(_, r)| {
                        let ids: Vec<String> = r
                            .initiatives
                            .iter()
                            .flatten()
                            .map(|l| safe_text(&l.id))
                            .collect();
                        Some(ids.join(";")).filter(|s| !s.is_empty())
                    })
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "weak_uncovered".into(),
                rows.iter()
                    .map(|(_, r)| r.weak_uncovered)
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "costly_without_rise".into(),
                rows.iter()
                    .map(|(_, r)| r.costly_without_rise)
                    .collect::<Vec<_>>(),
            ),
        ],
    )
    .map_err(internal)
}
