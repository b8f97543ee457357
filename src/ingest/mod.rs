//! Ingest: read every discovered survey export into one tidy long table of
//! answers, one row per respondent and statement:
//!
//! | column       | type          | meaning                                   |
//! |--------------|---------------|-------------------------------------------|
//! | `year`       | i32           | survey year                               |
//! | `respondent` | str           | respondent key, unique within a year      |
//! | `unit`       | str, nullable | unit as written in the export (trimmed)   |
//! | `role`       | str, nullable | role                                      |
//! | `statement`  | str           | statement code as spelled in the model    |
//! | `value`      | f64, nullable | scale value; null for don't-know          |
//! | `dont_know`  | bool          | the answer was a don't-know code          |
//!
//! Unanswered cells produce no row.

mod text;
mod wide;

use polars::prelude::*;

use crate::config::Config;
use crate::discover::SurveyFile;
use crate::error::{Error, Location, Result};
use crate::model::Model;

pub use text::{delimiter_name as delimiter_label, Encoding};

/// Column names of the answers table.
pub mod cols {
    pub const YEAR: &str = "year";
    pub const RESPONDENT: &str = "respondent";
    pub const UNIT: &str = "unit";
    pub const ROLE: &str = "role";
    pub const STATEMENT: &str = "statement";
    pub const VALUE: &str = "value";
    pub const DONT_KNOW: &str = "dont_know";
}

/// How one file was read, for the method appendix and `check`.
#[derive(Debug, Clone, PartialEq)]
pub struct FileSummary {
    pub relative: String,
    pub encoding: Encoding,
    pub delimiter: u8,
    pub rows: usize,
    pub respondents: usize,
    pub answers: usize,
    pub years: Vec<i32>,
    pub ignored_columns: Vec<String>,
    /// The latest submit date in the file's date column, if it has one.
    pub latest_date: Option<chrono::NaiveDate>,
}

/// Everything ingest produces.
#[derive(Debug)]
pub struct Ingested {
    pub answers: DataFrame,
    pub files: Vec<FileSummary>,
    pub warnings: Vec<String>,
}

/// Column-wise buffers for the answers table.
#[derive(Debug, Default)]
pub(crate) struct AnswerColumns {
    pub year: Vec<i32>,
    pub respondent: Vec<String>,
    pub unit: Vec<Option<String>>,
    pub role: Vec<Option<String>>,
    pub statement: Vec<String>,
    pub value: Vec<Option<f64>>,
    pub dont_know: Vec<bool>,
}

impl AnswerColumns {
    fn into_frame(self) -> Result<DataFrame> {
        let height = self.year.len();
        DataFrame::new(
            height,
            vec![
                Column::new(cols::YEAR.into(), self.year),
                Column::new(cols::RESPONDENT.into(), self.respondent),
                Column::new(cols::UNIT.into(), self.unit),
                Column::new(cols::ROLE.into(), self.role),
                Column::new(cols::STATEMENT.into(), self.statement),
                Column::new(cols::VALUE.into(), self.value),
                Column::new(cols::DONT_KNOW.into(), self.dont_know),
            ],
        )
        .map_err(|e| Error::Usage(format!("internal error building the answers table: {e}")))
    }
}

/// Where each (year, respondent id) was first seen: file and row.
pub(crate) type SeenRespondents = std::collections::BTreeMap<(i32, String), (String, usize)>;

/// Reads every survey file. Stops at the first file with errors; the error
/// names the file, row and column.
pub fn ingest(files: &[SurveyFile], model: &Model, config: &Config) -> Result<Ingested> {
    let mut columns = AnswerColumns::default();
    let mut summaries = Vec::with_capacity(files.len());
    let mut warnings = Vec::new();
    let mut seen = SeenRespondents::new();
    for file in files {
        let bytes = std::fs::read(&file.path).map_err(|e| {
            Error::input(
                Location::file(&file.relative),
                format!("cannot read the file: {e}"),
            )
        })?;
        let summary = wide::read_wide(
            &bytes,
            file,
            model,
            config,
            &mut columns,
            &mut seen,
            &mut warnings,
        )?;
        summaries.push(summary);
    }
    Ok(Ingested {
        answers: columns.into_frame()?,
        files: summaries,
        warnings,
    })
}

/// Builds answer tables by hand in unit tests (`None` = don't know).
#[cfg(test)]
#[derive(Default)]
pub(crate) struct AnswerColumnsForTest(AnswerColumns);

#[cfg(test)]
impl AnswerColumnsForTest {
    pub fn push(
        &mut self,
        year: i32,
        respondent: &str,
        unit: Option<&str>,
        statement: &str,
        value: Option<f64>,
    ) {
        let c = &mut self.0;
        c.year.push(year);
        c.respondent.push(respondent.into());
        c.unit.push(unit.map(Into::into));
        c.role.push(None);
        c.statement.push(statement.into());
        c.value.push(value);
        c.dont_know.push(value.is_none());
    }

    pub fn frame(self) -> DataFrame {
        self.0.into_frame().unwrap()
    }
}
