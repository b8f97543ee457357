//! Delimited text (CSV, TSV): the delimiter and encoding detected, and a large export read a part
//! at a time ([`super::sheet::read_in_parts`]), so that a file of millions
//! of answers is never held as one table of text cells.

use std::io::Cursor;

use polars::prelude::*;

use super::quality::{Kind, Problem};
use super::sheet::{beyond_limit, Sheet, Source};
use super::text::{decode, delimiter_name, detect_delimiter, find_ragged_row, part_starts};
use crate::config::Limits;

/// The size of one part of a delimited-text file read in parts: about
/// 8 000 rows of a wide export, some 7 MB as text cells.
pub(super) const PART_BYTES: usize = 1 << 20;

/// The rest of a delimited-text file read in parts.
pub(super) struct Parts {
    /// The decoded text of the whole file.
    text: Vec<u8>,
    /// Where each part begins in `text`.
    starts: Vec<usize>,
    /// The part to read next.
    next: usize,
    delimiter: u8,
    /// Every column as text, named as the first part's.
    schema: SchemaRef,
    relative: String,
    max_rows: usize,
}

impl std::fmt::Debug for Parts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Parts({} of {})", self.next, self.starts.len())
    }
}

impl Sheet {
    /// Replaces the rows held by the next part's; `false` when every part
    /// has been read (a file read whole has one). A part that cannot be
    /// parsed, or rows beyond the limit, are the file's problem.
    pub fn next_part(&mut self) -> Result<bool, Problem> {
        let Some(parts) = self.parts.as_mut() else {
            return Ok(false);
        };
        let Some(&from) = parts.starts.get(parts.next) else {
            self.parts = None;
            return Ok(false);
        };
        let to = parts
            .starts
            .get(parts.next + 1)
            .copied()
            .unwrap_or(parts.text.len());
        parts.next += 1;
        self.rows_before += self.df.height();
        // the rows held go before the next part is parsed
        self.df = DataFrame::empty();
        self.df = parse_csv(
            &parts.text[from..to],
            parts.delimiter,
            Some(parts.schema.clone()),
        )
        .map_err(|e| unparsable(&parts.text, parts.delimiter, &parts.relative, e))?;
        if self.rows_before + self.df.height() > parts.max_rows {
            return Err(beyond_limit(
                &parts.relative,
                &format!("has more than {} rows", parts.max_rows),
                &parts.max_rows.to_string(),
                "max_rows",
            ));
        }
        if parts.next == parts.starts.len() {
            // the last part: the text is no longer needed
            self.parts = None;
        }
        Ok(true)
    }
}

/// Every cell of delimited `text` as text; with `schema`, its columns
/// (a later part of a file), else as many as the first record has.
fn parse_csv(text: &[u8], delimiter: u8, schema: Option<SchemaRef>) -> PolarsResult<DataFrame> {
    CsvReadOptions::default()
        .with_has_header(false)
        .with_infer_schema_length(Some(0))
        .with_schema(schema)
        .map_parse_options(|p| p.with_separator(delimiter))
        .into_reader_with_file_handle(Cursor::new(text))
        .finish()
}

/// The problem of a file the parser refused: the first ragged row, if
/// that is why; else the parser's reason, with the column it names.
fn unparsable(text: &[u8], delimiter: u8, relative: &str, e: PolarsError) -> Problem {
    let unreadable = |msg: String| Problem::error(Kind::Unreadable, relative, msg);
    let d = delimiter_name(delimiter);
    if let Some((row, expected, found)) = find_ragged_row(text, delimiter) {
        return unreadable(format!(
            "this row has {found} fields but the header has {expected}; are quotes missing around a field that contains a {d}, or is there a stray {d} at the end?"
        ))
        .row(row);
    }
    let said = crate::model::one_line(&e.to_string());
    let problem = unreadable(format!(
        "cannot be read as {d}-separated text ({said}); check that every field holding a {d}, a quote or a line break is quoted, or open the file in a spreadsheet and save it again as CSV (UTF-8)"
    ));
    match parser_column(&said).and_then(|c| header_field(text, delimiter, c)) {
        Some(header) => problem.row(1).column(header),
        None => problem,
    }
}

/// The column (0-based) a CSV parser's message names ("column number 204").
fn parser_column(message: &str) -> Option<usize> {
    let (_, rest) = message.split_once("column number ")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse::<usize>().ok()?.checked_sub(1)
}

/// The header of column `c`, read from the text's first record.
fn header_field(text: &[u8], delimiter: u8, c: usize) -> Option<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text);
    let mut record = csv::StringRecord::new();
    reader.read_record(&mut record).ok()?;
    record.get(c).map(|h| h.trim().to_string())
}

pub(super) fn read_csv(
    bytes: &[u8],
    relative: &str,
    limits: &Limits,
    part_bytes: usize,
) -> Result<Sheet, Problem> {
    let unreadable = |msg: String| Problem::error(Kind::Unreadable, relative, msg);
    if bytes.contains(&0) {
        return Err(unreadable(
            "the file holds binary data, not text; expected a CSV export (comma, semicolon or tab separated)".into(),
        ));
    }
    if let Some((utf8, other)) = super::text::mixed_encoding(bytes) {
        return Err(unreadable(format!(
            "the file mixes two encodings: row {utf8} is UTF-8, row {other} is not (Windows-1252?); open it in a spreadsheet or editor and save it again as UTF-8"
        ))
        .row(other));
    }
    let (text, encoding) = decode(bytes);
    let delimiter = detect_delimiter(&text);
    // Cheap counts before parsing: lines (an upper bound on rows) and the
    // header's fields (an upper bound on columns), so that an oversized
    // file is refused before it is held as a table.
    let lines = text.iter().filter(|b| **b == b'\n').count();
    if lines > limits.max_rows.saturating_add(3) {
        return Err(beyond_limit(
            relative,
            &format!("has {lines} lines"),
            &format!("{} rows", limits.max_rows),
            "max_rows",
        ));
    }
    let header = text.split(|b| *b == b'\n').next().unwrap_or_default();
    let fields = header.iter().filter(|b| **b == delimiter).count() + 1;
    if fields > limits.max_columns {
        return Err(beyond_limit(
            relative,
            &format!("has {fields} columns"),
            &limits.max_columns.to_string(),
            "max_columns",
        )
        .row(1));
    }
    let starts = if text.len() > part_bytes {
        part_starts(&text, delimiter, part_bytes).unwrap_or_default()
    } else {
        Vec::new()
    };
    let first_end = starts.get(1).copied().unwrap_or(text.len());
    let raw = parse_csv(&text[..first_end], delimiter, None)
        .map_err(|e| unparsable(&text, delimiter, relative, e))?;
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
    let mut df = raw.slice(1, raw.height().saturating_sub(1));
    let names: Vec<PlSmallStr> = (0..width).map(|i| format!("c{i}").into()).collect();
    df.set_column_names(&names)
        .map_err(|e| unreadable(e.to_string()))?;
    let parts = (starts.len() > 1).then(|| Parts {
        text: text.into_owned(),
        starts,
        next: 1,
        delimiter,
        schema: df.schema().clone(),
        relative: relative.to_string(),
        max_rows: limits.max_rows,
    });
    let format = format!(
        "{}-separated text, {}",
        delimiter_name(delimiter),
        encoding.name()
    );
    Ok(Sheet {
        df,
        headers,
        texts: vec![None; width],
        data_row: 2,
        rows_before: 0,
        rows_at_most: lines,
        parts,
        format,
        source: Source::Text {
            delimiter: delimiter_name(delimiter).to_string(),
            encoding: encoding.name().to_string(),
        },
        encoding: Some(encoding),
    })
}

#[cfg(test)]
mod tests {
    use super::super::sheet::read_in_parts;
    use super::*;

    /// A data row: its row number in the file, and its cells.
    type Row = (usize, Vec<Option<String>>);

    /// Every data row of a sheet, part after part, and how many parts.
    fn rows(mut sheet: Sheet) -> (usize, Vec<Row>) {
        let mut out = Vec::new();
        let mut parts = 0;
        loop {
            parts += 1;
            for r in 0..sheet.height() {
                let cells = (0..sheet.headers.len())
                    .map(|c| sheet.column(c).get(r).map(str::to_string))
                    .collect();
                out.push((sheet.first_row() + r, cells));
            }
            if !sheet.next_part().unwrap() {
                break;
            }
        }
        assert_eq!(sheet.rows_read(), out.len());
        (parts, out)
    }

    #[test]
    fn a_file_read_in_parts_gives_the_rows_of_the_whole() {
        let limits = Limits::default();
        let plain = "id;enhet;D1\nr1;\"Vård\noch omsorg\";4\nr2;Skola;\"5\"\nr3;;\n\nr4;Skola;1\r\nr5;Kultur;2\nr6;Kultur\n";
        let qualtrics = "ResponseId,Q1\nSvarets id,\"Vi har en strategi\"\n\"{\"\"ImportId\"\":\"\"r\"\"}\",\"{\"\"ImportId\"\":\"\"q1\"\"}\"\nR_1,4\nR_2,3\nR_3,\n";
        for text in [plain, qualtrics] {
            let whole =
                read_in_parts(text.as_bytes(), "svar.csv", None, &limits, usize::MAX).unwrap();
            let parted = read_in_parts(text.as_bytes(), "svar.csv", None, &limits, 1).unwrap();
            assert_eq!(parted.headers, whole.headers);
            assert_eq!(parted.texts, whole.texts);
            let (one, expected) = rows(whole);
            let (many, found) = rows(parted);
            assert_eq!(one, 1);
            assert!(many > 2, "{many} parts");
            assert_eq!(found, expected);
        }
        // the quoted line break is one cell, the short last row is padded
        let (_, rows) =
            rows(read_in_parts(plain.as_bytes(), "svar.csv", None, &limits, 1).unwrap());
        assert_eq!(rows[0].1[1].as_deref(), Some("Vård\noch omsorg"));
        assert_eq!(rows.last().unwrap().0, 8);
    }

    #[test]
    fn a_parser_message_names_the_column() {
        assert_eq!(
            parser_column(
                "could not parse `x` as dtype `str` at column 'column_204' (column number 204)"
            ),
            Some(203)
        );
        assert_eq!(parser_column("something else"), None);
        assert_eq!(
            header_field(b"a;\"b;c\";d\n1;2;3\n", b';', 1).as_deref(),
            Some("b;c")
        );
    }

    #[test]
    fn a_later_part_beyond_the_limits_is_the_files_problem() {
        let limits = Limits {
            max_rows: 4,
            ..Limits::default()
        };
        let text = "a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n";
        let mut sheet = read_in_parts(text.as_bytes(), "svar.csv", None, &limits, 1).unwrap();
        let mut outcome = Ok(true);
        while outcome == Ok(true) {
            outcome = sheet.next_part();
        }
        assert!(outcome.unwrap_err().to_string().contains("max_rows"));
        let ragged = "a,b\n1,2\n3,4\n5,6\n7,8,9\n";
        let mut sheet =
            read_in_parts(ragged.as_bytes(), "svar.csv", None, &Limits::default(), 1).unwrap();
        let mut outcome = Ok(true);
        while outcome == Ok(true) {
            outcome = sheet.next_part();
        }
        let problem = outcome.unwrap_err().to_string();
        assert!(
            problem.contains("3 fields but the header has 2"),
            "{problem}"
        );
    }
}
