//! Wide survey exports: one row per respondent, one column per statement.

use std::io::Cursor;

use polars::prelude::*;

use super::text::{decode, delimiter_name, detect_delimiter};
use super::{AnswerColumns, FileSummary, SeenRespondents};
use crate::config::Config;
use crate::discover::{year_in, SurveyFile};
use crate::error::{Error, Location, Result};
use crate::model::Model;

/// What a column of the export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Respondent,
    Unit,
    Role,
    Year,
    Date,
    Statement(usize),
}

/// One answer cell, parsed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Answer {
    Missing,
    DontKnow,
    Value(f64),
}

/// Parses one answer against the model's scale and don't-know codes.
pub(crate) fn parse_answer(raw: &str, model: &Model) -> std::result::Result<Answer, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(Answer::Missing);
    }
    if model.is_dont_know(raw) {
        return Ok(Answer::DontKnow);
    }
    let (min, max) = (model.scale.min, model.scale.max);
    let number: f64 = match raw.replace(',', ".").parse() {
        Ok(n) => n,
        Err(_) => {
            return Err(format!(
                "\"{raw}\" is not an answer on the scale; expected a whole number from {min} to {max} or a don't-know code ({})",
                dont_know_list(model)
            ))
        }
    };
    if !number.is_finite() || number.fract() != 0.0 {
        return Err(format!(
            "\"{raw}\" is not a whole number; the scale has whole steps from {min} to {max}"
        ));
    }
    if number < min as f64 || number > max as f64 {
        return Err(format!("value {raw} is outside the scale {min}-{max}"));
    }
    Ok(Answer::Value(number))
}

fn dont_know_list(model: &Model) -> String {
    model
        .scale
        .dont_know
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether an unknown header looks like a statement code (letters then
/// digits, e.g. `IN7`, `Q12`), which means the model lacks it.
fn looks_like_code(header: &str) -> bool {
    let h = header.trim();
    let letters = h.chars().take_while(|c| c.is_ascii_alphabetic()).count();
    let digits = h[letters..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .count();
    (1..=4).contains(&letters) && (1..=3).contains(&digits) && letters + digits == h.len()
}

fn tidy(cell: &str) -> Option<String> {
    let t = cell.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

pub(crate) fn read_wide(
    bytes: &[u8],
    file: &SurveyFile,
    model: &Model,
    config: &Config,
    out: &mut AnswerColumns,
    seen: &mut SeenRespondents,
    warnings: &mut Vec<String>,
) -> Result<FileSummary> {
    let at = || Location::file(&file.relative);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::input(
            at(),
            "the file is empty; expected a survey export with a header row and one row per respondent",
        ));
    }
    if bytes.contains(&0) {
        return Err(Error::input(
            at(),
            "the file holds binary data, not text; expected a CSV export (comma, semicolon or tab separated)",
        ));
    }
    let (text, encoding) = decode(bytes);
    let delimiter = detect_delimiter(&text);
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .map_parse_options(|p| p.with_separator(delimiter))
        .into_reader_with_file_handle(Cursor::new(text.into_owned()))
        .finish()
        .map_err(|e| {
            Error::input(
                at(),
                format!(
                    "cannot be read as {}-separated CSV: {}",
                    delimiter_name(delimiter),
                    crate::model::one_line(&e.to_string())
                ),
            )
        })?;

    // Classify the columns.
    let headers: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|h| h.to_string())
        .collect();
    let mut roles: Vec<(usize, Role)> = Vec::new();
    let mut ignored = Vec::new();
    let c = &config.columns;
    for (i, header) in headers.iter().enumerate() {
        let h = header.trim();
        let role = if c.ignore.iter().any(|n| n.trim().eq_ignore_ascii_case(h)) {
            None
        } else if let Some(s) = model.statement_index(h) {
            Some(Role::Statement(s))
        } else if c.respondent.matches(h) {
            Some(Role::Respondent)
        } else if c.unit.matches(h) {
            Some(Role::Unit)
        } else if c.role.matches(h) {
            Some(Role::Role)
        } else if c.year.matches(h) {
            Some(Role::Year)
        } else if c.date.matches(h) {
            Some(Role::Date)
        } else if looks_like_code(h) {
            return Err(Error::input(
                at().row(1).column(h),
                format!(
                    "\"{h}\" looks like a statement code, but the model has no such statement (it has {}); add it to the model, or list the column under [columns] ignore in mognad.toml",
                    code_range(model)
                ),
            ));
        } else {
            if !c.ignore.iter().any(|n| n.trim().eq_ignore_ascii_case(h)) {
                ignored.push(h.to_string());
            }
            None
        };
        if let Some(role) = role {
            if let Some((other, _)) = roles.iter().find(|(_, r)| *r == role) {
                return Err(Error::input(
                    at().row(1).column(h),
                    format!(
                        "column \"{h}\" holds the same thing as column \"{}\"; keep one of them or list the other under [columns] ignore",
                        headers[*other].trim()
                    ),
                ));
            }
            roles.push((i, role));
        }
    }
    if !roles.iter().any(|(_, r)| matches!(r, Role::Statement(_))) {
        return Err(Error::input(
            at().row(1),
            format!(
                "no recognisable columns: none of the {} column headers is a statement code of the model ({}); name the answer columns by statement code",
                headers.len(),
                code_range(model)
            ),
        ));
    }
    if !ignored.is_empty() {
        warnings.push(format!(
            "{}: ignored column(s) {}",
            file.relative,
            ignored
                .iter()
                .map(|h| format!("\"{h}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if df.height() == 0 {
        return Err(Error::input(
            at(),
            "the file has a header but no rows; expected one row per respondent",
        ));
    }

    let column = |i: usize| -> Result<StringChunked> {
        Ok(df.columns()[i]
            .as_materialized_series()
            .str()
            .map_err(|e| Error::input(at().column(headers[i].trim()), e.to_string()))?
            .clone())
    };
    let find = |role: Role| roles.iter().find(|(_, r)| *r == role).map(|(i, _)| *i);
    let id_col = find(Role::Respondent).map(column).transpose()?;
    let unit_col = find(Role::Unit).map(column).transpose()?;
    let role_col = find(Role::Role).map(column).transpose()?;
    let year_col = find(Role::Year).map(column).transpose()?;
    let date_col = find(Role::Date).map(column).transpose()?;
    let statements: Vec<(usize, String, StringChunked)> = roles
        .iter()
        .filter_map(|(i, r)| match r {
            Role::Statement(s) => Some((*s, headers[*i].trim().to_string(), *i)),
            _ => None,
        })
        .map(|(s, h, i)| column(i).map(|c| (s, h, c)))
        .collect::<Result<_>>()?;

    let cell = |col: &Option<StringChunked>, r: usize| -> Option<String> {
        col.as_ref().and_then(|c| c.get(r)).and_then(tidy)
    };

    let mut years = std::collections::BTreeSet::new();
    let mut latest_date: Option<chrono::NaiveDate> = None;
    let mut respondents = 0;
    let mut answers = 0;
    let mut first_error: Option<Error> = None;
    let mut more_errors = 0usize;
    for r in 0..df.height() {
        let row_no = r + 2;
        let parsed: Vec<_> = statements
            .iter()
            .map(|(s, h, col)| (*s, h, parse_answer(col.get(r).unwrap_or(""), model)))
            .collect();
        let mut row_answers = Vec::with_capacity(parsed.len());
        for (s, h, p) in parsed {
            match p {
                Ok(a) => row_answers.push((s, a)),
                Err(msg) => {
                    if first_error.is_none() {
                        first_error = Some(Error::input(at().row(row_no).column(h.as_str()), msg));
                    } else {
                        more_errors += 1;
                    }
                }
            }
        }
        if row_answers.iter().all(|(_, a)| *a == Answer::Missing) {
            if first_error.is_none() {
                warnings.push(format!(
                    "{}, row {row_no}: no answers; row left out",
                    file.relative
                ));
            }
            continue;
        }
        let year = match (cell(&year_col, r), cell(&date_col, r), file.year_from_name) {
            (Some(y), _, _) => y.parse::<i32>().ok().filter(|y| (1990..=2100).contains(y)).ok_or_else(|| {
                Error::input(
                    at().row(row_no).column(headers[find(Role::Year).unwrap_or(0)].trim()),
                    format!("\"{y}\" is not a year; expected four digits such as 2025"),
                )
            })?,
            (None, Some(d), _) if year_in(&d).is_some() => year_in(&d).unwrap_or_default(),
            (_, _, Some(y)) => y,
            _ => {
                return Err(Error::input(
                    at().row(row_no),
                    "cannot tell the survey year: name it in the folder or file name (2025/enkat.csv, enkat-2025.csv) or give the file a year or date column",
                ))
            }
        };
        years.insert(year);
        if let Some(d) = cell(&date_col, r).and_then(|d| parse_date(&d)) {
            latest_date = latest_date.max(Some(d));
        }
        let id = cell(&id_col, r).unwrap_or_else(|| format!("{}#{row_no}", file.relative));
        if let Some((other_file, other_row)) = seen.get(&(year, id.clone())) {
            return Err(Error::input(
                at().row(row_no).column(headers[find(Role::Respondent).unwrap_or(0)].trim()),
                format!(
                    "respondent id \"{id}\" for {year} was already read at {other_file}, row {other_row}; each respondent may answer once a year"
                ),
            ));
        }
        seen.insert((year, id.clone()), (file.relative.clone(), row_no));
        respondents += 1;
        let unit = cell(&unit_col, r);
        let role = cell(&role_col, r);
        for (s, a) in row_answers {
            let (value, dont_know) = match a {
                Answer::Missing => continue,
                Answer::DontKnow => (None, true),
                Answer::Value(v) => (Some(v), false),
            };
            out.year.push(year);
            out.respondent.push(id.clone());
            out.unit.push(unit.clone());
            out.role.push(role.clone());
            out.statement.push(model.statements[s].code.clone());
            out.value.push(value);
            out.dont_know.push(dont_know);
            answers += 1;
        }
    }
    if let Some(Error::Input { at, message }) = first_error {
        let message = if more_errors > 0 {
            format!("{message} (and {more_errors} more invalid answers in this file)")
        } else {
            message
        };
        return Err(Error::Input { at, message });
    }
    Ok(FileSummary {
        relative: file.relative.clone(),
        encoding,
        delimiter,
        rows: df.height(),
        respondents,
        answers,
        years: years.into_iter().collect(),
        ignored_columns: ignored,
        latest_date,
    })
}

/// A date at the start of a cell: `2025-03-14`, `2025-03-14 10:22:01`, ...
fn parse_date(cell: &str) -> Option<chrono::NaiveDate> {
    let head = cell.trim().get(..10)?;
    chrono::NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

fn code_range(model: &Model) -> String {
    let codes: Vec<&str> = model.statements.iter().map(|s| s.code.as_str()).collect();
    match codes.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [a, b] => format!("{a}, {b}"),
        [a, b, .., z] => format!("{a}, {b}, …, {z}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_answers_against_the_scale() {
        let m = Model::builtin();
        assert_eq!(parse_answer(" 4 ", &m), Ok(Answer::Value(4.0)));
        assert_eq!(parse_answer("6,0", &m), Ok(Answer::Value(6.0)));
        assert_eq!(parse_answer("", &m), Ok(Answer::Missing));
        assert_eq!(parse_answer("Vet ej", &m), Ok(Answer::DontKnow));
        assert_eq!(parse_answer("0", &m), Ok(Answer::DontKnow));
        assert!(parse_answer("7", &m)
            .unwrap_err()
            .contains("outside the scale 1-6"));
        assert!(parse_answer("-1", &m).unwrap_err().contains("outside"));
        assert!(parse_answer("4,5", &m)
            .unwrap_err()
            .contains("whole number"));
        assert!(parse_answer("Stämmer helt", &m)
            .unwrap_err()
            .contains("not an answer"));
        assert!(parse_answer("NaN", &m).is_err());
    }

    #[test]
    fn code_like_headers() {
        assert!(looks_like_code("IN7"));
        assert!(looks_like_code("q12"));
        assert!(!looks_like_code("enhet"));
        assert!(!looks_like_code("G01Q01[SQ001]"));
        assert!(!looks_like_code("2025"));
    }
}
