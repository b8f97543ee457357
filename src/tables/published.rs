//! `indices.csv` read back: `send` takes its mail bodies' figures from it,
//! `brief --indices` the organisation's figures. The columns are the
//! writer's ([`super::COLUMNS`]).

use std::path::Path;

use polars::prelude::*;

use crate::error::{Error, Location, Result};

/// One row of a published `indices.csv`: the figures read back.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRow {
    pub year: Option<i32>,
    pub organisation: Option<String>,
    /// `None` for the whole organisation.
    pub unit: Option<String>,
    pub level: String,
    pub key: String,
    pub index: Option<f64>,
    pub n: Option<usize>,
    pub change: Option<f64>,
    pub benchmark: Option<f64>,
}

/// Every row of the `indices.csv` at `path`. A column that is missing
/// reads as empty; a file that is not CSV is the user's to fix.
pub fn read_indices(path: &Path) -> Result<Vec<IndexRow>> {
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
        .map_err(|e| Error::input(Location::file(path), e.to_string()))?;
    let text = |name: &str| -> Vec<Option<String>> {
        df.column(name)
            .ok()
            .and_then(|c| c.str().ok().cloned())
            .map(|c| c.iter().map(|v| v.map(str::to_string)).collect())
            .unwrap_or_else(|| vec![None; df.height()])
    };
    let number = |name: &str| -> Vec<Option<f64>> {
        text(name)
            .into_iter()
            .map(|v| v.and_then(|s| s.parse().ok()))
            .collect()
    };
    let (year, organisation, unit, level, key) = (
        text("year"),
        text("organisation"),
        text("unit"),
        text("level"),
        text("key"),
    );
    let (index, n, change, benchmark) = (
        number("index"),
        number("n"),
        number("change"),
        number("benchmark"),
    );
    Ok((0..df.height())
        .map(|i| IndexRow {
            year: year[i].as_deref().and_then(|y| y.parse().ok()),
            organisation: organisation[i].clone(),
            unit: unit[i].clone().filter(|u| !u.is_empty()),
            level: level[i].clone().unwrap_or_default(),
            key: key[i].clone().unwrap_or_default(),
            index: index[i],
            n: n[i].map(|v| v as usize),
            change: change[i],
            benchmark: benchmark[i],
        })
        .collect())
}
