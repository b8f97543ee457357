//! Reading and validating initiative registers (CSV, TSV or XLSX).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};

use super::{Initiative, Register, Status};
use crate::config::{Config, Names};
use crate::discover::year_in;
use crate::ingest::quality::{Kind, Problem};
use crate::model::Model;

/// A number as offices write it: spaces as thousands separators, decimal
/// comma, an optional "kr"/"sek".
fn parse_amount(s: &str) -> Option<f64> {
    let t: String = s
        .to_lowercase()
        .replace("sek", "")
        .replace("kr", "")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    let t = if t.contains(',') && !t.contains('.') {
        t.replace(',', ".")
    } else {
        t.replace(',', "")
    };
    t.parse().ok().filter(|v: &f64| v.is_finite())
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim().get(..10)?, "%Y-%m-%d").ok()
}

/// Reads every register; problems name file, row and column.
/// `known_units` are the survey's units (and the config's unit list).
pub fn read(
    files: &[(String, PathBuf)],
    model: &Model,
    config: &Config,
    known_units: &BTreeSet<String>,
) -> (Register, Vec<Problem>) {
    let rc = &config.register;
    let mut register = Register::default();
    let mut problems = Vec::new();
    let (mid, half) = (
        (rc.axis_min + rc.axis_max) / 2.0,
        (rc.axis_max - rc.axis_min) / 2.0,
    );
    let labels: BTreeMap<String, f64> = rc
        .axis_labels
        .iter()
        .map(|(k, v)| (k.trim().to_lowercase(), *v))
        .collect();
    let statuses: BTreeMap<String, &str> = rc
        .status
        .iter()
        .map(|(k, v)| (k.trim().to_lowercase(), v.as_str()))
        .collect();
    let units: BTreeMap<String, &String> =
        known_units.iter().map(|u| (u.to_lowercase(), u)).collect();
    let mut seen: BTreeMap<(i32, String), usize> = BTreeMap::new();
    for (relative, path) in files {
        register.files.push(relative.clone());
        let sheet = match crate::ingest::read_file_sheet(relative, path) {
            Ok(s) => s,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let find = |names: &Names| sheet.headers.iter().position(|h| names.matches(h));
        let c = &rc.columns;
        let (Some(id_col), Some(status_col)) = (find(&c.id), find(&c.status)) else {
            problems.push(
                Problem::error(
                    Kind::Unreadable,
                    relative,
                    "an initiative register needs at least an id column and a status column (see [register.columns])",
                )
                .row(1),
            );
            continue;
        };
        let cols = [
            find(&c.efficiency_innovation),
            find(&c.operational_strategic),
            find(&c.internal_external),
        ];
        let (name_col, unit_col, start_col, end_col, budget_col, stmt_col, year_col) = (
            find(&c.name),
            find(&c.unit),
            find(&c.start),
            find(&c.end),
            find(&c.budget),
            find(&c.statements),
            find(&c.year),
        );
        let file_year = year_in(relative);
        for r in 0..sheet.height() {
            let row = sheet.first_row + r;
            let cell = |col: Option<usize>| -> String {
                col.and_then(|c| sheet.column(c).get(r))
                    .unwrap_or("")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let header = |col: Option<usize>| {
                col.map(|c| sheet.headers[c].trim().to_string())
                    .unwrap_or_default()
            };
            let problem = |kind, msg: String, col: Option<usize>| {
                let p = Problem::error(kind, relative, msg).row(row);
                if col.is_some() {
                    p.column(header(col))
                } else {
                    p
                }
            };
            let id = cell(Some(id_col));
            if id.is_empty() {
                if (0..sheet.headers.len()).all(|c| cell(Some(c)).is_empty()) {
                    continue;
                }
                problems.push(problem(
                    Kind::MissingValue,
                    "the initiative has no id".into(),
                    Some(id_col),
                ));
                continue;
            }
            let status_raw = cell(Some(status_col));
            let status = match statuses.get(&status_raw.to_lowercase()).copied() {
                Some("completed") => Status::Completed,
                Some("ongoing") => Status::Ongoing,
                Some("planned") => Status::Planned,
                _ => {
                    problems.push(problem(
                        Kind::UnknownStatus,
                        format!("status \"{status_raw}\" is not known; map it to completed, ongoing or planned under [register] status"),
                        Some(status_col),
                    ));
                    continue;
                }
            };
            let start = parse_date(&cell(start_col));
            let end = parse_date(&cell(end_col));
            for (col, raw, parsed) in [
                (start_col, cell(start_col), start),
                (end_col, cell(end_col), end),
            ] {
                if !raw.is_empty() && parsed.is_none() {
                    problems.push(problem(
                        Kind::OutOfRange,
                        format!("\"{raw}\" is not a date; expected YYYY-MM-DD"),
                        col,
                    ));
                }
            }
            if let (Some(s), Some(e)) = (start, end) {
                if e < s {
                    problems.push(problem(
                        Kind::DatesReversed,
                        format!("the initiative ends ({e}) before it starts ({s})"),
                        end_col,
                    ));
                }
            }
            let year = match cell(year_col)
                .parse::<i32>()
                .ok()
                .or(file_year)
                .or(start.map(|s| s.year()))
            {
                Some(y) => y,
                None => {
                    problems.push(problem(
                        Kind::NoYear,
                        "no year: give the register a year column, name the file by year, or give a start date".into(),
                        None,
                    ));
                    continue;
                }
            };
            let budget_raw = cell(budget_col);
            let budget = if budget_raw.is_empty() {
                None
            } else {
                parse_amount(&budget_raw)
            };
            match budget {
                None if !budget_raw.is_empty() => {
                    problems.push(problem(
                        Kind::OutOfRange,
                        format!("\"{budget_raw}\" is not an amount"),
                        budget_col,
                    ));
                }
                Some(b) if b < 0.0 => {
                    problems.push(problem(
                        Kind::NegativeBudget,
                        format!("the budget {budget_raw} is negative"),
                        budget_col,
                    ));
                }
                _ => {}
            }
            let mut axes = [None; 3];
            for (k, col) in cols.iter().enumerate() {
                let raw = cell(*col);
                if raw.is_empty() {
                    let msg = match col {
                        Some(_) => format!("no value on the axis {}; the initiative is left out of that axis's balance", super::AXES[k]),
                        None => format!("the register has no column for the axis {}", super::AXES[k]),
                    };
                    problems.push(
                        Problem::warning(Kind::MissingValue, relative, msg)
                            .row(row)
                            .column(header(*col)),
                    );
                    continue;
                }
                let value = labels
                    .get(&raw.to_lowercase())
                    .copied()
                    .or_else(|| raw.replace(',', ".").parse::<f64>().ok());
                match value {
                    Some(v) if v >= rc.axis_min && v <= rc.axis_max => axes[k] = Some((v - mid) / half),
                    _ => problems.push(problem(
                        Kind::OutOfRange,
                        format!("\"{raw}\" is not on the axis scale {} to {} (or a label under [register] axis_labels)", rc.axis_min, rc.axis_max),
                        *col,
                    )),
                }
            }
            let mut statements = BTreeSet::new();
            let mut categories = BTreeSet::new();
            for token in cell(stmt_col)
                .split([';', ',', '|'])
                .map(str::trim)
                .filter(|t| !t.is_empty())
            {
                if let Some(s) = model.statement_index(token) {
                    statements.insert(model.statements[s].code.clone());
                    categories.insert(model.statements[s].category.clone());
                } else if let Some(c) = model.categories.iter().find(|c| {
                    c.code.eq_ignore_ascii_case(token)
                        || c.name.0.values().any(|n| n.eq_ignore_ascii_case(token))
                }) {
                    categories.insert(c.code.clone());
                } else {
                    problems.push(problem(
                        Kind::UnknownStatement,
                        format!("\"{token}\" is neither a statement nor a category of the model"),
                        stmt_col,
                    ));
                }
            }
            let unit = Some(cell(unit_col)).filter(|u| !u.is_empty()).map(|u| match units.get(&u.to_lowercase()) {
                Some(known) => known.to_string(),
                None => {
                    if !units.is_empty() {
                        problems.push(
                            Problem::warning(
                                Kind::UnknownUnit,
                                relative,
                                format!("unit \"{u}\" is not a unit of the survey; the initiative counts for the whole organisation only"),
                            )
                            .row(row)
                            .column(header(unit_col)),
                        );
                    }
                    u
                }
            });
            if let Some(first) = seen.insert((year, id.clone()), row) {
                problems.push(problem(
                    Kind::DuplicateId,
                    format!("initiative id \"{id}\" is used twice in {year} (also row {first}); every initiative needs its own id"),
                    Some(id_col),
                ));
                continue;
            }
            register.initiatives.push(Initiative {
                year,
                id,
                name: cell(name_col),
                unit,
                status,
                start,
                end,
                budget: budget.filter(|b| *b >= 0.0),
                statements: statements.into_iter().collect(),
                categories: categories.into_iter().collect(),
                axes,
                file: relative.clone(),
                row,
            });
        }
    }
    (register, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_offices_write_them() {
        assert_eq!(parse_amount("1 200 000"), Some(1_200_000.0));
        assert_eq!(parse_amount("1\u{a0}200\u{a0}000 kr"), Some(1_200_000.0));
        assert_eq!(parse_amount("350000,50"), Some(350_000.5));
        assert_eq!(parse_amount("1,200,000.25"), Some(1_200_000.25));
        assert_eq!(parse_amount("-5000"), Some(-5000.0));
        assert_eq!(parse_amount("mycket"), None);
    }
}
