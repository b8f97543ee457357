//! Reading any supported file into a [`Sheet`]: a table of text cells with
//! its headers. Formats: CSV/TSV (delimiter and encoding detected), XLSX,
//! Parquet, JSON and NDJSON.

use std::io::Cursor;

use polars::prelude::*;

pub(super) use super::delimited::PART_BYTES;
use super::delimited::{self, Parts};
use super::quality::{Kind, Problem};
use super::text::Encoding;
use crate::config::Limits;

/// The kind of file a sheet came from, for the reports' wording.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Source {
    /// Delimited text.
    Text {
        /// The delimiter, by name.
        delimiter: String,
        /// The encoding, by name.
        encoding: String,
    },
    /// A workbook.
    Excel {
        /// The sheet read.
        sheet: String,
    },
    /// Apache Parquet.
    Parquet,
    /// A JSON array of objects.
    Json,
    /// One JSON object per line.
    Ndjson,
}

/// A file read into text cells: whole, or (a large export read with
/// [`read_in_parts`]) one part of its rows at a time, so that a file of
/// millions of answers is never held as one table of text cells.
#[derive(Debug)]
pub struct Sheet {
    /// One String column per file column, named `c0`, `c1`, ...: the rows
    /// of the part held.
    pub df: DataFrame,
    /// The header of each column, trimmed.
    pub headers: Vec<String>,
    /// A second header per column (Qualtrics' question text), if any.
    pub texts: Vec<Option<String>>,
    /// The row number, in the file, of the first data row (header = 1).
    pub(super) data_row: usize,
    /// The data rows of the parts before the one held.
    pub(super) rows_before: usize,
    /// At least as many as the file's data rows (its lines, for text).
    pub(super) rows_at_most: usize,
    /// The parts not yet read, if the file is read in parts.
    pub(super) parts: Option<Parts>,
    /// How the file was read, for people.
    pub format: String,
    /// The kind of file.
    pub source: Source,
    /// The text encoding, for text files.
    pub encoding: Option<Encoding>,
}

impl Sheet {
    /// Column `i`'s cells.
    pub fn column(&self, i: usize) -> &StringChunked {
        self.df.columns()[i]
            .as_materialized_series()
            .str()
            .expect("sheet columns are strings")
    }

    /// The number of data rows held (in the part held).
    pub fn height(&self) -> usize {
        self.df.height()
    }

    /// The row number, in the file, of the first row held (header = 1).
    pub fn first_row(&self) -> usize {
        self.data_row + self.rows_before
    }

    /// The number of data rows read so far: all of them once
    /// [`Sheet::next_part`] has returned `false`.
    pub fn rows_read(&self) -> usize {
        self.rows_before + self.height()
    }

    /// At least as many as the file's data rows, before they are read.
    pub fn rows_at_most(&self) -> usize {
        self.rows_at_most
    }

    /// Takes the first `n` rows held as header rows, not answers: the first
    /// (unless it begins with "{", an import id) holds each column's text.
    /// With `fill`, an empty header takes the header before it, and each
    /// column of such a group whose text is not one of `plain` is named
    /// `Question [text]`.
    pub(super) fn take_header_rows(&mut self, n: usize, fill: bool, plain: &[String]) {
        let n = n.min(self.height());
        if n == 0 || self.rows_before > 0 {
            return;
        }
        let texts: Vec<Option<String>> = (0..self.headers.len())
            .map(|c| {
                let t = self.column(c).get(0).unwrap_or("").trim();
                (!t.is_empty() && !t.starts_with('{')).then(|| t.to_string())
            })
            .collect();
        if fill {
            let question = self.headers.clone();
            let grouped = |c: usize| {
                question[c].is_empty() || question.get(c + 1).is_some_and(String::is_empty)
            };
            let (mut last, mut nth) = (String::new(), 0);
            for c in 0..self.headers.len() {
                if question[c].is_empty() {
                    nth += 1;
                } else {
                    last = question[c].clone();
                    nth = 0;
                }
                let sub = texts[c]
                    .as_deref()
                    .filter(|t| !plain.iter().any(|p| p.eq_ignore_ascii_case(t)));
                // a later column of a group without a row text of its own is
                // numbered, so that no two columns are named alike
                self.headers[c] = match sub {
                    Some(t) if grouped(c) && !last.is_empty() => format!("{last} [{t}]"),
                    Some(t) if last.is_empty() => t.to_string(),
                    _ if nth > 0 && !last.is_empty() => format!("{last} [{}]", nth + 1),
                    _ => last.clone(),
                };
            }
        }
        self.texts = texts;
        self.df = self.df.slice(n as i64, self.height() - n);
        self.data_row += n;
        self.rows_at_most = self.rows_at_most.saturating_sub(n);
    }

    /// Whether every cell of data row `r` is empty or white space.
    pub fn is_blank(&self, r: usize) -> bool {
        (0..self.headers.len()).all(|c| self.column(c).get(r).is_none_or(|v| v.trim().is_empty()))
    }
}

/// A file beyond one of the `[limits]`; `found` says what it holds and
/// `limit` the cap it passes.
pub(crate) fn beyond_limit(relative: &str, found: &str, limit: &str, key: &str) -> Problem {
    Problem::error(
        Kind::Unreadable,
        relative,
        format!("{found}, more than the limit of {limit}; raise [limits] {key} in mognad.toml if the file is right"),
    )
}

/// The first of columns and rows beyond its cap, as (what, found, cap,
/// key), for [`beyond_limit`].
fn shape_beyond(
    limits: &Limits,
    rows: usize,
    columns: usize,
) -> Option<(&'static str, usize, usize, &'static str)> {
    if columns > limits.max_columns {
        Some(("columns", columns, limits.max_columns, "max_columns"))
    } else if rows > limits.max_rows {
        Some(("rows", rows, limits.max_rows, "max_rows"))
    } else {
        None
    }
}

/// The longest header a column may have, in characters.
const MAX_HEADER_CHARS: usize = 1000;

/// Reads `bytes` of the file `relative`; `sheet` names a workbook sheet.
/// The sheet is checked against `limits` (and a header longer than
/// 1000 characters is refused: no export names a column so).
pub fn read(
    bytes: &[u8],
    relative: &str,
    sheet: Option<&str>,
    limits: &Limits,
) -> Result<Sheet, Problem> {
    read_in_parts(bytes, relative, sheet, limits, usize::MAX)
}

/// Reads a survey export as [`read`] does, but a delimited-text file of
/// more than `part_bytes` a part at a time (about `part_bytes` each;
/// [`PART_BYTES`] for a survey export): the sheet holds its first part,
/// and [`Sheet::next_part`] moves on. Other formats are read whole.
pub(super) fn read_in_parts(
    bytes: &[u8],
    relative: &str,
    sheet: Option<&str>,
    limits: &Limits,
    part_bytes: usize,
) -> Result<Sheet, Problem> {
    let sheet = read_any(bytes, relative, sheet, limits, part_bytes)?;
    if let Some((what, n, cap, key)) = shape_beyond(limits, sheet.height(), sheet.headers.len()) {
        return Err(beyond_limit(
            relative,
            &format!("has {n} {what}"),
            &cap.to_string(),
            key,
        ));
    }
    if let Some((i, h)) = sheet
        .headers
        .iter()
        .enumerate()
        .find(|(_, h)| h.chars().count() > MAX_HEADER_CHARS)
    {
        return Err(Problem::error(
            Kind::Unreadable,
            relative,
            format!(
                "column {} has a header of {} characters, beginning \"{}…\"; expected a header row of column names",
                i + 1,
                h.chars().count(),
                h.chars().take(40).collect::<String>()
            ),
        )
        .row(1));
    }
    Ok(sheet)
}

fn read_any(
    bytes: &[u8],
    relative: &str,
    sheet: Option<&str>,
    limits: &Limits,
    part_bytes: usize,
) -> Result<Sheet, Problem> {
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
        "xlsx" | "xlsm" => read_xlsx(bytes, relative, sheet, limits),
        "parquet" => {
            // a few kB of run-length encoded Parquet can declare billions of
            // rows: check what the footer declares before reading
            let mut reader = ParquetReader::new(Cursor::new(bytes));
            let declared = reader
                .num_rows()
                .and_then(|rows| Ok((rows, reader.schema()?.len())));
            if let Some((what, n, cap, key)) =
                declared.ok().and_then(|(rows, cols)| shape_beyond(limits, rows, cols))
            {
                return Err(beyond_limit(
                    relative,
                    &format!("declares {n} {what}"),
                    &cap.to_string(),
                    key,
                ));
            }
            read_polars(bytes, relative, "Parquet")
        }
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
        _ => delimited::read_csv(bytes, relative, limits, part_bytes),
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

/// Checks an .xlsx before it is unpacked: a zip archive whose members
/// together unpack to no more than the limit. Encrypted (password-protected)
/// workbooks are OLE files, not zip archives, and get their own message.
fn check_workbook(bytes: &[u8], relative: &str, limits: &Limits) -> Result<(), Problem> {
    let unreadable = |msg: String| Problem::error(Kind::Unreadable, relative, msg);
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(unreadable(
            "the workbook is password-protected (encrypted) or an old .xls file; open it in Excel, remove the password (or save as .xlsx) and save it again".into(),
        ));
    }
    let mut archive = ::zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        unreadable(format!(
            "cannot be read as an Excel workbook ({e}); is it damaged, cut short or another format?"
        ))
    })?;
    let cap = limits.max_unpacked_mb.saturating_mul(1_000_000);
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let member = archive.by_index_raw(i).map_err(|e| {
            unreadable(format!(
                "cannot be read as an Excel workbook ({e}); is it damaged or cut short?"
            ))
        })?;
        total = total.saturating_add(member.size());
    }
    if total > cap {
        return Err(beyond_limit(
            relative,
            &format!("the workbook unpacks to {} MB", total / 1_000_000),
            &format!("{} MB", limits.max_unpacked_mb),
            "max_unpacked_mb",
        ));
    }
    Ok(())
}

/// A workbook cell as text.
fn cell_text(d: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef;
    match d {
        DataRef::Empty => String::new(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            s.trim().to_string()
        }
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) => dt
            .as_datetime()
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| dt.as_f64().to_string()),
        DataRef::Error(e) => format!("#{e}"),
    }
}

/// Reads a sheet cell by cell (never as one dense grid: a workbook with one
/// cell at A1 and one at XFD1048576 would otherwise ask for 17 billion).
fn read_xlsx(
    bytes: &[u8],
    relative: &str,
    wanted: Option<&str>,
    limits: &Limits,
) -> Result<Sheet, Problem> {
    use calamine::{Reader, Xlsx};
    let unreadable = |msg: String| Problem::error(Kind::Unreadable, relative, msg);
    check_workbook(bytes, relative, limits)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
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
    let cannot = |e: calamine::XlsxError| unreadable(format!("cannot read sheet \"{name}\": {e}"));
    let mut cells_reader = book.worksheet_cells_reader(&name).map_err(cannot)?;
    // (row, column, text) of every non-empty cell, within the limits
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    let (mut first_row, mut first_col) = (u32::MAX, u32::MAX);
    let (mut last_row, mut last_col) = (0u32, 0u32);
    while let Some(cell) = cells_reader.next_cell().map_err(cannot)? {
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        let (r, c) = cell.get_position();
        first_row = first_row.min(r);
        first_col = first_col.min(c);
        last_row = last_row.max(r);
        last_col = last_col.max(c);
        let rows = (last_row - first_row) as usize;
        let cols = (last_col - first_col) as usize + 1;
        if let Some((what, n, cap, key)) = shape_beyond(limits, rows, cols) {
            return Err(beyond_limit(
                relative,
                &format!("sheet \"{name}\" spans at least {n} {what}"),
                &cap.to_string(),
                key,
            ));
        }
        cells.push((r, c, text));
    }
    if cells.is_empty() {
        return Err(unreadable(format!("sheet \"{name}\" is empty")));
    }
    let width = (last_col - first_col) as usize + 1;
    let height = (last_row - first_row) as usize;
    let mut headers = vec![String::new(); width];
    let mut columns: Vec<Vec<String>> = vec![vec![String::new(); height]; width];
    for (r, c, text) in cells {
        let c = (c - first_col) as usize;
        match (r - first_row) as usize {
            0 => headers[c] = text,
            r => columns[c][r - 1] = text,
        }
    }
    let df = to_frame(columns, height).map_err(|e| unreadable(e.to_string()))?;
    Ok(Sheet {
        df,
        headers,
        texts: vec![None; width],
        data_row: first_row as usize + 2,
        rows_before: 0,
        rows_at_most: height,
        parts: None,
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
    let height = df.height();
    Ok(Sheet {
        df,
        headers,
        texts: vec![None; width],
        data_row: 1,
        rows_before: 0,
        rows_at_most: height,
        parts: None,
        format: format.to_string(),
        source: match format {
            "Parquet" => Source::Parquet,
            "NDJSON" => Source::Ndjson,
            _ => Source::Json,
        },
        encoding: None,
    })
}
