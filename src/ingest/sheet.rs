//! Reading any supported file into a [`Sheet`]: a table of text cells with
//! its headers. Formats: CSV/TSV (delimiter and encoding detected,
//! Qualtrics' three header rows recognised), XLSX, Parquet, JSON and NDJSON.

use std::io::Cursor;

use polars::prelude::*;

use super::quality::{Kind, Problem};
use super::text::{decode, delimiter_name, detect_delimiter, find_ragged_row, Encoding};

/// The kind of file a sheet came from, for the reports' wording.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Source {
    Text {
        delimiter: String,
        encoding: String,
        qualtrics: bool,
    },
    Excel {
        sheet: String,
    },
    Parquet,
    Json,
    Ndjson,
}

/// A file read into text cells.
#[derive(Debug)]
pub struct Sheet {
    /// One String column per file column, named `c0`, `c1`, ...
    pub df: DataFrame,
    /// The header of each column, trimmed.
    pub headers: Vec<String>,
    /// A second header per column (Qualtrics' question text), if any.
    pub texts: Vec<Option<String>>,
    /// The row number, in the file, of the first data row (header = 1).
    pub first_row: usize,
    /// How the file was read, for people.
    pub format: String,
    pub source: Source,
    pub encoding: Option<Encoding>,
}

impl Sheet {
    pub fn column(&self, i: usize) -> &StringChunked {
        self.df.columns()[i]
            .as_materialized_series()
            .str()
            .expect("sheet columns are strings")
    }

    pub fn height(&self) -> usize {
        self.df.height()
    }
}

/// Reads `bytes` of the file `relative`; `sheet` names a workbook sheet.
pub fn read(bytes: &[u8], relative: &str, sheet: Option<&str>) -> Result<Sheet, Problem> {
    let unreadable = |msg: String| Problem::error(Kind::Unreadable, relative, msg);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(unreadable(
            "the file is empty; expected a survey export with a header row and one row per respondent".into(),
        ));
    }
    let ext = relative
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let is_parquet = bytes.starts_with(b"PAR1");
    match ext.as_str() {
        "xlsx" | "xlsm" => read_xlsx(bytes, relative, sheet),
        "parquet" => read_polars(bytes, relative, "Parquet"),
        "json" => {
            let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
            let format = if first == Some(b'{') { "NDJSON" } else { "JSON" };
            read_polars(bytes, relative, format)
        }
        "ndjson" | "jsonl" => read_polars(bytes, relative, "NDJSON"),
        _ if is_zip => Err(unreadable(
            "the file is a zip archive or an Excel workbook, not text; save it as .xlsx (or export CSV)".into(),
        )),
        _ if is_parquet => Err(unreadable("the file is Parquet, not text; name it .parquet".into())),
        _ => read_csv(bytes, relative),
    }
}

fn to_frame(columns: Vec<Vec<String>>, height: usize) -> PolarsResult<DataFrame> {
    DataFrame::new(
        height,
        columns
            .into_iter()
            .enumerate()
            .map(|(i, c)| Column::new(format!("c{i}").into(), c))
            .collect(),
    )
}

fn read_csv(bytes: &[u8], relative: &str) -> Result<Sheet, Problem> {
    let unreadable = |msg: String| Problem::error(Kind::Unreadable, relative, msg);
    if bytes.contains(&0) {
        return Err(unreadable(
            "the file holds binary data, not text; expected a CSV export (comma, semicolon or tab separated)".into(),
        ));
    }
    let (text, encoding) = decode(bytes);
    let delimiter = detect_delimiter(&text);
    let raw = CsvReadOptions::default()
        .with_has_header(false)
        .with_infer_schema_length(Some(0))
        .map_parse_options(|p| p.with_separator(delimiter))
        .into_reader_with_file_handle(Cursor::new(text.to_vec()))
        .finish()
        .map_err(|e| match find_ragged_row(&text, delimiter) {
            Some((row, expected, found)) => unreadable(format!(
                "this row has {found} fields but the header has {expected}; are quotes missing around a field that contains a {d}, or is there a stray {d} at the end?",
                d = delimiter_name(delimiter)
            ))
            .row(row),
            None => unreadable(format!(
                "cannot be read as {}-separated text: {}",
                delimiter_name(delimiter),
                crate::model::one_line(&e.to_string())
            )),
        })?;
    let cell = |row: usize, col: usize| -> String {
        raw.columns()[col]
            .as_materialized_series()
            .str()
            .ok()
            .and_then(|c| c.get(row))
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let width = raw.width();
    let headers: Vec<String> = (0..width).map(|c| cell(0, c)).collect();
    // Qualtrics: variable names, question texts, then {"ImportId": ...}.
    let qualtrics =
        raw.height() >= 3 && (0..width).any(|c| cell(2, c).starts_with("{\"ImportId\""));
    let (skip, texts) = if qualtrics {
        (
            3,
            (0..width)
                .map(|c| Some(cell(1, c)).filter(|t| !t.is_empty()))
                .collect(),
        )
    } else {
        (1, vec![None; width])
    };
    let mut df = raw.slice(skip as i64, raw.height().saturating_sub(skip));
    let names: Vec<PlSmallStr> = (0..width).map(|i| format!("c{i}").into()).collect();
    df.set_column_names(&names)
        .map_err(|e| unreadable(e.to_string()))?;
    let format = format!(
        "{}{}-separated text, {}",
        if qualtrics { "Qualtrics, " } else { "" },
        delimiter_name(delimiter),
        encoding.name()
    );
    Ok(Sheet {
        df,
        headers,
        texts,
        first_row: skip + 1,
        format,
        source: Source::Text {
            delimiter: delimiter_name(delimiter).to_string(),
            encoding: encoding.name().to_string(),
            qualtrics,
        },
        encoding: Some(encoding),
    })
}

fn read_xlsx(bytes: &[u8], relative: &str, wanted: Option<&str>) -> Result<Sheet, Problem> {
    use calamine::{open_workbook_auto_from_rs, Data, Reader};
    let unreadable = |msg: String| Problem::error(Kind::Unreadable, relative, msg);
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        unreadable(format!(
            "cannot be read as an Excel workbook ({e}); is it damaged, password-protected or another format?"
        ))
    })?;
    let names = book.sheet_names();
    let name = match wanted {
        Some(w) => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(w))
            .cloned()
            .ok_or_else(|| {
                unreadable(format!(
                    "the workbook has no sheet \"{w}\"; it has {}",
                    names
                        .iter()
                        .map(|n| format!("\"{n}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| unreadable("the workbook has no sheets".into()))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| unreadable(format!("cannot read sheet \"{name}\": {e}")))?;
    let (start_row, _) = range.start().unwrap_or((0, 0));
    let text = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
            Data::Int(i) => i.to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(dt) => dt
                .as_datetime()
                .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_else(|| dt.as_f64().to_string()),
            Data::Error(e) => format!("#{e}"),
        }
    };
    let mut rows = range.rows();
    let headers: Vec<String> = match rows.next() {
        Some(r) => r.iter().map(text).collect(),
        None => return Err(unreadable(format!("sheet \"{name}\" is empty"))),
    };
    let width = headers.len();
    let mut columns: Vec<Vec<String>> = vec![Vec::new(); width];
    let mut height = 0;
    for row in rows {
        for (c, col) in columns.iter_mut().enumerate() {
            col.push(row.get(c).map(text).unwrap_or_default());
        }
        height += 1;
    }
    let df = to_frame(columns, height).map_err(|e| unreadable(e.to_string()))?;
    Ok(Sheet {
        df,
        headers,
        texts: vec![None; width],
        first_row: start_row as usize + 2,
        format: format!("Excel workbook, sheet \"{name}\""),
        source: Source::Excel {
            sheet: name.clone(),
        },
        encoding: None,
    })
}

fn read_polars(bytes: &[u8], relative: &str, format: &str) -> Result<Sheet, Problem> {
    let unreadable = |msg: String| Problem::error(Kind::Unreadable, relative, msg);
    let cursor = Cursor::new(bytes.to_vec());
    let df = match format {
        "Parquet" => ParquetReader::new(cursor).finish(),
        "NDJSON" => JsonReader::new(cursor)
            .with_json_format(JsonFormat::JsonLines)
            .finish(),
        _ => JsonReader::new(cursor).finish(),
    }
    .map_err(|e| {
        unreadable(format!(
            "cannot be read as {format}: {}",
            crate::model::one_line(&e.to_string())
        ))
    })?;
    let headers: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let width = headers.len();
    let mut columns = Vec::with_capacity(width);
    for (i, col) in df.columns().iter().enumerate() {
        let as_text = col.cast(&DataType::String).map_err(|_| {
            unreadable(format!(
                "column \"{}\" holds {} values; expected plain text or numbers",
                headers[i],
                col.dtype()
            ))
        })?;
        columns.push(as_text.with_name(format!("c{i}").into()));
    }
    let df = DataFrame::new(df.height(), columns).map_err(|e| unreadable(e.to_string()))?;
    Ok(Sheet {
        df,
        headers,
        texts: vec![None; width],
        first_row: 1,
        format: format.to_string(),
        source: match format {
            "Parquet" => Source::Parquet,
            "NDJSON" => Source::Ndjson,
            _ => Source::Json,
        },
        encoding: None,
    })
}
