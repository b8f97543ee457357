//! The initiative portfolio: the register of digitalisation initiatives
//! (completed, ongoing, planned), each placed on three axes and linked to
//! the statements and categories it strengthens.

pub mod findings;
mod register;

use chrono::NaiveDate;
use serde::Serialize;

pub use register::{assign_organisations, read};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Completed,
    Ongoing,
    Planned,
    /// Being prepared, not yet decided: assessed on the axes and linked
    /// like any initiative, but never counted in a year's portfolio.
    Proposed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Completed => "completed",
            Status::Ongoing => "ongoing",
            Status::Planned => "planned",
            Status::Proposed => "proposed",
        }
    }
}

/// The three axes, each normalised to -1..1.
pub const AXES: [&str; 3] = [
    "efficiency_innovation",
    "operational_strategic",
    "internal_external",
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Initiative {
    pub year: i32,
    pub id: String,
    pub name: String,
    pub unit: Option<String>,
    /// Whose initiative it is, in a multi-organisation input (the answers'
    /// spelling once [`Register::assign`] has matched it).
    pub organisation: Option<String>,
    pub status: Status,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub budget: Option<f64>,
    /// Statement codes it strengthens (directly linked).
    pub statements: Vec<String>,
    /// Category codes it strengthens: linked directly or through a statement.
    pub categories: Vec<String>,
    /// Efficiency (-1) .. innovation (1), operational .. strategic,
    /// internal .. external benefit; `None` where the register is empty.
    pub axes: [Option<f64>; 3],
    pub file: String,
    pub row: usize,
}

/// Every initiative of every register, in file and row order.
#[derive(Debug, Clone, Default)]
pub struct Register {
    /// Completed, ongoing and planned initiatives: the portfolio.
    pub initiatives: Vec<Initiative>,
    /// Proposals (status `proposed`), kept apart so that no portfolio
    /// figure counts them.
    pub proposals: Vec<Initiative>,
    pub files: Vec<String>,
}

impl Register {
    /// The latest earlier year with initiatives.
    pub fn previous_year(&self, year: i32) -> Option<i32> {
        self.initiatives
            .iter()
            .map(|i| i.year)
            .filter(|y| *y < year)
            .max()
    }

    /// The latest year of the portfolio (else of the proposals).
    pub fn latest_year(&self) -> Option<i32> {
        let latest = |items: &[Initiative]| items.iter().map(|i| i.year).max();
        latest(&self.initiatives).or_else(|| latest(&self.proposals))
    }

    /// One organisation's initiatives and proposals (those whose
    /// organisation is `name`), from the same files.
    pub fn of_organisation(&self, name: &str) -> Register {
        let mine = |items: &[Initiative]| {
            items
                .iter()
                .filter(|i| i.organisation.as_deref() == Some(name))
                .cloned()
                .collect()
        };
        Register {
            initiatives: mine(&self.initiatives),
            proposals: mine(&self.proposals),
            files: self.files.clone(),
        }
    }

    /// The initiatives of a year.
    pub fn of_year(&self, year: i32) -> impl Iterator<Item = &Initiative> {
        self.initiatives.iter().filter(move |i| i.year == year)
    }
}
