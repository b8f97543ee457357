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
    /// Hidden below the anonymity threshold (no figures then).
    pub suppressed: bool,
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
    if df.column("role").is_ok() {
        return Err(Error::input(
            Location::file(path),
            "has a role column: it is a roles.csv; give the indices.csv beside it",
        ));
    }
    // a number that does not parse (a decimal comma from a spreadsheet)
    // is the user's to fix, by row and column
    let number = |name: &str| -> Result<Vec<Option<f64>>> {
        text(name)
            .into_iter()
            .enumerate()
            .map(|(i, v)| match v.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(s) => s.parse().map(Some).map_err(|_| {
                    Error::input(
                        Location::file(path).row(i + 2).column(name),
                        format!("\"{s}\" is not a number (write decimals with a point, as mognad wrote them)"),
                    )
                }),
            })
            .collect()
    };
    // the writer's spreadsheet guard (`safe_text`) undone
    let unguarded = |v: Vec<Option<String>>| -> Vec<Option<String>> {
        v.into_iter()
            .map(|c| {
                c.map(|c| match c.strip_prefix('\'') {
                    Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
                        rest.to_string()
                    }
                    _ => c,
                })
            })
            .collect()
    };
    let suppressed = text("suppressed");
    let (year, organisation, unit, level, key) = (
        number("year")?,
        unguarded(text("organisation")),
        unguarded(text("unit")),
        text("level"),
        unguarded(text("key")),
    );
    let (index, n, change, benchmark) = (
        number("index")?,
        number("n")?,
        number("change")?,
        number("benchmark")?,
    );
    Ok((0..df.height())
        .map(|i| IndexRow {
            year: year[i].map(|y| y as i32),
            organisation: organisation[i].clone(),
            unit: unit[i].clone().filter(|u| !u.is_empty()),
            level: level[i].clone().unwrap_or_default(),
            key: key[i].clone().unwrap_or_default(),
            index: index[i],
            suppressed: suppressed[i].as_deref() == Some("true"),
            n: n[i].map(|v| v as usize),
            change: change[i],
            benchmark: benchmark[i],
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<IndexRow>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("indices.csv");
        std::fs::write(&path, text).unwrap();
        read_indices(&path)
    }

    #[test]
    fn rows_read_back_with_the_writers_guard_undone() {
        let rows = read(
            "year,organisation,unit,level,key,index,n,suppressed\n\
             2025,'-Minus kommun,,total,total,56.5,40,false\n\
             2025,'-Minus kommun,'=Enhet,total,total,,,true\n",
        )
        .unwrap();
        assert_eq!(rows[0].organisation.as_deref(), Some("-Minus kommun"));
        assert_eq!(
            (rows[0].year, rows[0].index, rows[0].n),
            (Some(2025), Some(56.5), Some(40))
        );
        assert_eq!(rows[0].unit, None);
        assert!(!rows[0].suppressed);
        assert_eq!(rows[1].unit.as_deref(), Some("=Enhet"));
        assert!(rows[1].suppressed && rows[1].index.is_none());
        // a column left out reads as empty
        assert_eq!(rows[0].benchmark, None);
    }

    #[test]
    fn a_number_that_does_not_parse_names_row_and_column_and_roles_csv_is_refused() {
        let err = read("year,level,key,index\n2025,total,total,\"56,5\"\n").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("row 2") && msg.contains("index") && msg.contains("56,5"),
            "{msg}"
        );
        assert_eq!(err.exit_code(), crate::error::exit::INPUT);
        let err = read("year,level,key,index,role\n2025,total,total,50,Chefer\n").unwrap_err();
        assert!(err.to_string().contains("roles.csv"), "{err}");
    }
}
