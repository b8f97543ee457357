//! Respondent-level scores: each respondent's index at every level of the
//! model, computed the same way as the group indices (weighted means of what
//! the respondent answered). Their spread gives the standard deviations and
//! confidence intervals; complete cases give Cronbach's alpha.

use std::collections::BTreeMap;

use super::formulas::{scale_index, weighted_mean};
use super::{stats, Group, GroupKey, Level, Reliability, ScopeKey};
use crate::ingest::Answers;
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
pub fn respondents(answers: &Answers, model: &Model) -> Vec<Respondent> {
    let (min, max) = (model.scale.min as f64, model.scale.max as f64);
    let mut keys: Vec<usize> = (0..answers.respondents()).collect();
    keys.sort_by_key(|&r| (answers.year(r), r));
    keys.into_iter()
        .map(|r| {
            let mut raw = vec![None; model.statements.len()];
            let mut dont_know = vec![false; model.statements.len()];
            for (s, v) in answers.answers(r) {
                raw[s] = v;
                dont_know[s] = v.is_none();
            }
            Respondent {
                year: answers.year(r),
                unit: answers.unit(r).map(str::to_string),
                role: answers.role(r).map(str::to_string),
                raw,
                dont_know,
                statements: Vec::new(),
                categories: Vec::new(),
                dimensions: Vec::new(),
                total: None,
            }
        })
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
        .collect()
}

/// Cronbach's alpha of every category and dimension, per year, over the
/// respondents (of `unit`, or all) who gave a valid answer to every
/// statement in it.
pub fn reliability(
    respondents: &[Respondent],
    model: &Model,
    years: &[i32],
    unit: Option<&str>,
) -> BTreeMap<ScopeKey, Reliability> {
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
                ScopeKey {
                    group: GroupKey::new(year, Group::of_unit(unit)),
                    level,
                    key: key.clone(),
                },
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
