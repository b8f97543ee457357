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
    // read as strictly as a survey: every value within what mognad writes
    for (values, column, lo, hi, whole) in [
        (&year, "year", 1900.0, 2200.0, true),
        (&index, "index", 0.0, 100.0, false),
        (&benchmark, "benchmark", 0.0, 100.0, false),
        (&change, "change", -100.0, 100.0, false),
        (&n, "n", 0.0, 1e9, true),
    ] {
        within(path, &text(column), values, column, (lo, hi), whole)?;
    }
    check_rows(path, &year, [&organisation, &unit, &level, &key])?;
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

/// The writer's spreadsheet guard (`safe_text`) undone.
fn unguarded(v: Vec<Option<String>>) -> Vec<Option<String>> {
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
}

/// Every value of `column` finite and within `lo..=hi` (a whole number if
/// `whole`), else an error naming its row; `raw` is the text as written.
fn within(
    path: &Path,
    raw: &[Option<String>],
    values: &[Option<f64>],
    column: &str,
    (lo, hi): (f64, f64),
    whole: bool,
) -> Result<()> {
    for (i, v) in values.iter().enumerate() {
        let Some(v) = *v else { continue };
        if !v.is_finite() || v < lo || v > hi || (whole && v.fract() != 0.0) {
            return Err(Error::input(
                Location::file(path).row(i + 2).column(column),
                format!(
                    "\"{}\" is not {} from {lo} to {hi}; is this an indices.csv as mognad wrote it?",
                    raw[i].as_deref().unwrap_or_default().trim(),
                    if whole { "a whole number" } else { "a value" }
                ),
            ));
        }
    }
    Ok(())
}

/// Every row of a known level, and no two rows for the same year,
/// organisation, unit, level and key.
fn check_rows(
    path: &Path,
    year: &[Option<f64>],
    [organisation, unit, level, key]: [&[Option<String>]; 4],
) -> Result<()> {
    let at = |i: usize, column: &str| Location::file(path).row(i + 2).column(column);
    let levels = ["total", "dimension", "category", "statement"];
    let mut seen: std::collections::BTreeMap<_, usize> = std::collections::BTreeMap::new();
    for i in 0..year.len() {
        let lv = level[i].as_deref().unwrap_or_default();
        if !levels.contains(&lv) {
            return Err(Error::input(
                at(i, "level"),
                format!("\"{lv}\" is no level; mognad writes {}", levels.join(", ")),
            ));
        }
        let row_key = (
            year[i].map(|y| y as i64),
            &organisation[i],
            &unit[i],
            lv,
            &key[i],
        );
        if let Some(first) = seen.insert(row_key, i) {
            return Err(Error::input(
                at(i, "key"),
                format!(
                    "the same year, organisation, unit, level and key as row {}; keep one of them",
                    first + 2
                ),
            ));
        }
    }
    Ok(())
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
    fn values_out_of_what_mognad_writes_are_refused_with_row_and_column() {
        let head = "year,organisation,unit,level,key,index,n,suppressed\n";
        for (row, column) in [
            ("2025,O,,total,total,NaN,40,false", "index"),
            ("2025,O,,total,total,inf,40,false", "index"),
            ("2025,O,,total,total,1e308,40,false", "index"),
            ("2025,O,,total,total,-50,40,false", "index"),
            ("2025,O,,total,total,150,40,false", "index"),
            ("2025,O,,total,total,50,4.5,false", "n"),
            ("2025,O,,total,total,50,-3,false", "n"),
            ("1e308,O,,total,total,50,40,false", "year"),
            ("2025,O,,sum,total,50,40,false", "level"),
        ] {
            let err = read(&format!("{head}{row}\n")).unwrap_err();
            let msg = err.to_string();
            assert!(
                msg.contains("row 2") && msg.contains(column),
                "{row}: {msg}"
            );
            assert_eq!(err.exit_code(), crate::error::exit::INPUT);
        }
        // the same row twice, even with other figures
        let err = read(&format!(
            "{head}2025,O,,total,total,50,40,false\n2025,O,,total,total,60,40,false\n"
        ))
        .unwrap_err();
        assert!(
            err.to_string().contains("row 3") && err.to_string().contains("row 2"),
            "{err}"
        );
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
