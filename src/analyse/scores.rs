//! Respondent-level scores: each respondent's index at every level of the
//! model, computed the same way as the group indices (weighted means of what
//! the respondent answered). Their spread gives the standard deviations and
//! confidence intervals; complete cases give Cronbach's alpha.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::formulas::{scale_index, weighted_mean};
use super::{stats, Level, Reliability};
use crate::ingest::cols;
use crate::model::Model;

/// One respondent of one year.
#[derive(Debug, Clone)]
pub struct Respondent {
    /// The survey year.
    pub year: i32,
    /// The respondent's unit, if any.
    pub unit: Option<String>,
    /// The respondent's role, if any.
    pub role: Option<String>,
    /// Raw answers on the scale, by statement index; `None` = no valid answer.
    pub raw: Vec<Option<f64>>,
    /// Whether the answer was a don't-know, by statement index.
    pub dont_know: Vec<bool>,
    /// Scores on 0-100 by statement, category and dimension index.
    pub statements: Vec<Option<f64>>,
    /// Scores by category index.
    pub categories: Vec<Option<f64>>,
    /// Scores by dimension index.
    pub dimensions: Vec<Option<f64>>,
    /// The total score.
    pub total: Option<f64>,
}

/// Every respondent's scores, in a stable order (year, respondent key).
pub fn respondents(answers: &DataFrame, model: &Model) -> PolarsResult<Vec<Respondent>> {
    let (min, max) = (model.scale.min as f64, model.scale.max as f64);
    let code_index: std::collections::HashMap<&str, usize> = model
        .statements
        .iter()
        .enumerate()
        .map(|(i, s)| (s.code.as_str(), i))
        .collect();
    let year = answers.column(cols::YEAR)?.i32()?;
    let resp = answers.column(cols::RESPONDENT)?.u32()?;
    let unit = answers.column(cols::UNIT)?.str()?;
    let role = answers.column(cols::ROLE)?.str()?;
    let stmt = answers.column(cols::STATEMENT)?.str()?;
    let value = answers.column(cols::VALUE)?.f64()?;
    let dont_know = answers.column(cols::DONT_KNOW)?.bool()?;
    let mut by_key: BTreeMap<(i32, u32), Respondent> = BTreeMap::new();
    let rows = year
        .iter()
        .zip(resp.iter())
        .zip(stmt.iter())
        .zip(value.iter().zip(dont_know.iter()))
        .enumerate();
    for (i, (((y, r), s), (v, dk))) in rows {
        let (Some(y), Some(r), Some(s)) = (y, r, s) else {
            continue;
        };
        let entry = by_key.entry((y, r)).or_insert_with(|| Respondent {
            year: y,
            unit: unit.get(i).map(str::to_string),
            role: role.get(i).map(str::to_string),
            raw: vec![None; model.statements.len()],
            dont_know: vec![false; model.statements.len()],
            statements: Vec::new(),
            categories: Vec::new(),
            dimensions: Vec::new(),
            total: None,
        });
        if let Some(&si) = code_index.get(s) {
            if let Some(v) = v {
                entry.raw[si] = Some(v);
            }
            entry.dont_know[si] |= dk == Some(true);
        }
    }
    Ok(by_key
        .into_values()
        .map(|mut r| {
            r.statements = r
                .raw
                .iter()
                .map(|v| v.map(|v| scale_index(v, min, max)))
                .collect();
            r.categories = model
                .categories
                .iter()
                .map(|c| {
                    weighted_mean(
                        model
                            .statements
                            .iter()
                            .enumerate()
                            .filter(|(_, s)| s.category == c.code)
                            .map(|(i, s)| (r.statements[i], s.weight)),
                    )
                })
                .collect();
            r.dimensions = model
                .dimensions
                .iter()
                .map(|d| {
                    weighted_mean(
                        model
                            .categories
                            .iter()
                            .enumerate()
                            .filter(|(_, c)| c.dimension == d.code)
                            .map(|(i, c)| (r.categories[i], c.weight)),
                    )
                })
                .collect();
            r.total = weighted_mean(
                model
                    .dimensions
                    .iter()
                    .enumerate()
                    .map(|(i, d)| (r.dimensions[i], d.weight)),
            );
            r
        })
        .collect())
}

/// Cronbach's alpha of every category and dimension, per year, over the
/// respondents (of `unit`, or all) who gave a valid answer to every
/// statement in it.
pub fn reliability(
    respondents: &[Respondent],
    model: &Model,
    years: &[i32],
    unit: Option<&str>,
) -> BTreeMap<(i32, Level, String), Reliability> {
    let mut out = BTreeMap::new();
    let scopes = model
        .categories
        .iter()
        .map(|c| (Level::Category, c.code.clone(), vec![c.code.clone()]))
        .chain(model.dimensions.iter().map(|d| {
            (
                Level::Dimension,
                d.code.clone(),
                model
                    .categories_of(&d.code)
                    .map(|c| c.code.clone())
                    .collect(),
            )
        }));
    for (level, key, cats) in scopes {
        let items: Vec<usize> = model
            .statements
            .iter()
            .enumerate()
            .filter(|(_, s)| cats.contains(&s.category))
            .map(|(i, _)| i)
            .collect();
        for &year in years {
            let rows: Vec<Vec<f64>> = respondents
                .iter()
                .filter(|r| r.year == year && (unit.is_none() || r.unit.as_deref() == unit))
                .filter_map(|r| {
                    items
                        .iter()
                        .map(|&i| r.raw[i])
                        .collect::<Option<Vec<f64>>>()
                })
                .collect();
            out.insert(
                (year, level, key.clone()),
                Reliability {
                    alpha: stats::cronbach_alpha(&rows),
                    complete_cases: rows.len(),
                    items: items.len(),
                },
            );
        }
    }
    out
}
