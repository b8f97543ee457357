//! The units as a heat map: total, dimensions and categories per unit,
//! hidden units marked (organisation report).

use serde::Serialize;

use super::Scope;
use crate::analyse::Suppression;
use crate::analyse::{GroupResult, Level};
use crate::format;
use crate::report::{Context, Value};

/// The section's data.
#[derive(Debug, Clone, Serialize)]
pub struct UnitsSection {
    /// Headers of the table: total, dimensions, categories.
    pub unit_columns: Vec<String>,
    pub units: Vec<UnitRow>,
    pub units_intro: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitRow {
    pub name: String,
    pub respondents: String,
    pub suppressed: bool,
    pub note: String,
    /// Total, then the dimensions, then the categories (see `unit_columns`).
    pub cells: Vec<Value>,
}

impl Context<'_> {
    /// Every unit of the year (organisation report only).
    pub(crate) fn units(&self, s: &Scope) -> Option<UnitsSection> {
        if s.org.is_some() {
            return None;
        }
        let threshold = self.analysis.threshold.to_string();
        Some(UnitsSection {
            unit_columns: self.unit_columns(),
            units: self
                .analysis
                .units(self.year)
                .map(|u| self.unit_row(u))
                .collect(),
            units_intro: self.texts.fill("units_intro", &[("threshold", &threshold)]),
        })
    }

    /// The heat map's column headers: total, dimensions, categories.
    pub(crate) fn unit_columns(&self) -> Vec<String> {
        let lc = self.lang().code();
        std::iter::once(self.texts.get("total_short"))
            .chain(
                self.model
                    .dimensions
                    .iter()
                    .map(|d| d.name.get(lc).to_string()),
            )
            .chain(
                self.model
                    .categories
                    .iter()
                    .map(|c| c.name.get(lc).to_string()),
            )
            .collect()
    }

    pub(crate) fn unit_row(&self, u: &GroupResult) -> UnitRow {
        let t = self.texts;
        let threshold = self.analysis.threshold.to_string();
        let hidden = |_: Option<f64>| Value {
            text: t.get("suppressed"),
            frac: None,
            ci: None,
        };
        let cell = |v: Option<f64>| if u.shown() { self.value(v) } else { hidden(v) };
        UnitRow {
            name: u.unit.clone().unwrap_or_default(),
            respondents: if u.shown() {
                format::count(u.respondents, self.lang())
            } else {
                t.get("suppressed")
            },
            suppressed: !u.shown(),
            note: match u.suppression {
                None => String::new(),
                Some(Suppression::Primary) => {
                    t.fill("suppressed_primary", &[("threshold", &threshold)])
                }
                Some(Suppression::Secondary) => t.get("suppressed_secondary"),
            },
            cells: std::iter::once(cell(u.total.index))
                .chain(
                    self.model
                        .dimensions
                        .iter()
                        .map(|d| cell(u.index(Level::Dimension, &d.code))),
                )
                .chain(
                    self.model
                        .categories
                        .iter()
                        .map(|c| cell(u.index(Level::Category, &c.code))),
                )
                .collect(),
        }
    }
}
