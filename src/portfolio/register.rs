//! Reading and validating initiative registers (CSV, TSV or XLSX).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};

use super::{Initiative, Register, Status};
use crate::config::{Config, RegisterConfig};
use crate::discover::year_in;
use crate::ingest::quality::{Kind, Problem};
use crate::ingest::side::SideTable;
use crate::model::Model;

/// The largest budget taken as one (10^12 kr, more than a national budget
/// line): beyond it an amount is a mistake, and sums of such stay finite.
const MAX_BUDGET: f64 = 1e12;

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

/// What reading a register needs besides the file: the config's scales
/// and labels, the model and the survey's units.
struct Reader<'a> {
    config: &'a RegisterConfig,
    model: &'a Model,
    /// The axis scale's middle and half width.
    mid: f64,
    half: f64,
    labels: BTreeMap<String, f64>,
    statuses: BTreeMap<String, &'a str>,
    /// The survey's units by lower-case name.
    units: BTreeMap<String, &'a String>,
    /// (year, id) -> the row that used it first.
    seen: BTreeMap<(i32, String), usize>,
}

/// The columns of one register file.
struct Columns {
    id: usize,
    status: usize,
    name: Option<usize>,
    unit: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    budget: Option<usize>,
    statements: Option<usize>,
    year: Option<usize>,
    organisation: Option<usize>,
    axes: [Option<usize>; 3],
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
    let mut reader = Reader {
        config: rc,
        model,
        mid: (rc.axis_min + rc.axis_max) / 2.0,
        half: (rc.axis_max - rc.axis_min) / 2.0,
        labels: rc
            .axis_labels
            .iter()
            .map(|(k, v)| (k.trim().to_lowercase(), *v))
            .collect(),
        statuses: rc
            .status
            .iter()
            .map(|(k, v)| (k.trim().to_lowercase(), v.as_str()))
            .collect(),
        units: known_units.iter().map(|u| (u.to_lowercase(), u)).collect(),
        seen: BTreeMap::new(),
    };
    let mut register = Register::default();
    let mut problems = Vec::new();
    register.files = files.iter().map(|(relative, _)| relative.clone()).collect();
    SideTable::each(files, &mut problems, |table, problems| {
        reader.file(table, &mut register, problems);
    });
    (register, problems)
}

impl Reader<'_> {
    /// One register file.
    fn file(&mut self, table: &SideTable, register: &mut Register, problems: &mut Vec<Problem>) {
        let relative = table.relative();
        let c = &self.config.columns;
        let (Some(id), Some(status)) = (table.find(&c.id), table.find(&c.status)) else {
            problems.push(table.columns_error(
                "an initiative register needs at least an id column and a status column (see [register.columns])",
            ));
            return;
        };
        let cols = Columns {
            id,
            status,
            name: table.find(&c.name),
            unit: table.find(&c.unit),
            start: table.find(&c.start),
            end: table.find(&c.end),
            budget: table.find(&c.budget),
            statements: table.find(&c.statements),
            year: table.find(&c.year),
            organisation: table.find(&c.organisation),
            axes: [
                table.find(&c.efficiency_innovation),
                table.find(&c.operational_strategic),
                table.find(&c.internal_external),
            ],
        };
        let file_year = year_in(relative);
        let mut no_year: Vec<usize> = Vec::new();
        for r in table.rows() {
            if let Some(i) = self.row(table, &cols, r, file_year, &mut no_year, problems) {
                if i.status == Status::Proposed {
                    register.proposals.push(i);
                } else {
                    register.initiatives.push(i);
                }
            }
        }
        // one message per file and cause, not one per row
        if let (Some(&first), n) = (no_year.first(), no_year.len()) {
            let rows = match n {
                1 => format!("row {first} has"),
                _ => format!("{n} rows have (the first is row {first})"),
            };
            problems.push(
                Problem::error(
                    Kind::NoYear,
                    relative,
                    format!("{rows} no year: give the register a year column, name the file by year (initiativ-2025.csv), or give every initiative a start date"),
                )
                .row(first)
                .count(n),
            );
        }
    }

    /// One row: the initiative, or `None` (its problems reported).
    fn row(
        &mut self,
        table: &SideTable,
        c: &Columns,
        r: usize,
        file_year: Option<i32>,
        no_year: &mut Vec<usize>,
        problems: &mut Vec<Problem>,
    ) -> Option<Initiative> {
        let cell = |col: Option<usize>| table.cell(r, col);
        let id = cell(Some(c.id));
        if id.is_empty() {
            if !table.is_blank(r) {
                problems.push(table.error(
                    Kind::MissingValue,
                    r,
                    Some(c.id),
                    "the initiative has no id".into(),
                ));
            }
            return None;
        }
        let status_raw = cell(Some(c.status));
        let status = match self.statuses.get(&status_raw.to_lowercase()).copied() {
            Some("completed") => Status::Completed,
            Some("ongoing") => Status::Ongoing,
            Some("planned") => Status::Planned,
            Some("proposed") => Status::Proposed,
            _ => {
                problems.push(table.error(
                    Kind::UnknownStatus,
                    r,
                    Some(c.status),
                    format!("status \"{status_raw}\" is not known; map it to completed, ongoing, planned or proposed under [register] status"),
                ));
                return None;
            }
        };
        let (start, end) = self.dates(table, c, r, problems);
        let Some(year) = cell(c.year)
            .parse::<i32>()
            .ok()
            .filter(|y| crate::discover::YEARS.contains(y))
            .or(file_year)
            .or(start.map(|s| s.year()))
        else {
            no_year.push(table.row(r));
            return None;
        };
        let budget = self.budget(table, c, r, problems);
        let axes = self.axes(table, c, r, problems);
        let (statements, categories) = self.links(table, c, r, problems);
        let unit = self.unit(table, c, r, problems);
        if let Some(first) = self.seen.insert((year, id.clone()), table.row(r)) {
            problems.push(table.error(
                Kind::DuplicateId,
                r,
                Some(c.id),
                format!("initiative id \"{id}\" is used twice in {year} (also row {first}); every initiative needs its own id"),
            ));
            return None;
        }
        let name = cell(c.name);
        if name.chars().any(crate::format::is_direction_control) {
            problems.push(table.warning(
                Kind::DirectionControl,
                r,
                c.name,
                format!(
                    "\"{}\" holds characters that turn the direction of text (bidi controls), so it may read as another name; write it without them",
                    crate::format::without_direction_controls(&name)
                ),
            ));
        }
        Some(Initiative {
            year,
            id,
            name,
            unit,
            organisation: Some(cell(c.organisation)).filter(|o| !o.is_empty()),
            status,
            start,
            end,
            budget: budget.filter(|b| *b >= 0.0),
            statements,
            categories,
            axes,
            file: table.relative().to_string(),
            row: table.row(r),
        })
    }

    /// The start and end dates; a date that cannot be read, or an end
    /// before the start, is reported.
    fn dates(
        &self,
        table: &SideTable,
        c: &Columns,
        r: usize,
        problems: &mut Vec<Problem>,
    ) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let start = parse_date(&table.cell(r, c.start));
        let end = parse_date(&table.cell(r, c.end));
        for (col, parsed) in [(c.start, start), (c.end, end)] {
            let raw = table.cell(r, col);
            if !raw.is_empty() && parsed.is_none() {
                problems.push(table.error(
                    Kind::OutOfRange,
                    r,
                    col,
                    format!("\"{raw}\" is not a date; expected YYYY-MM-DD"),
                ));
            }
        }
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                problems.push(table.error(
                    Kind::DatesReversed,
                    r,
                    c.end,
                    format!("the initiative ends ({e}) before it starts ({s})"),
                ));
            }
        }
        (start, end)
    }

    /// The budget; one that is not an amount, or is negative, is reported.
    fn budget(
        &self,
        table: &SideTable,
        c: &Columns,
        r: usize,
        problems: &mut Vec<Problem>,
    ) -> Option<f64> {
        let raw = table.cell(r, c.budget);
        if raw.is_empty() {
            return None;
        }
        let budget = parse_amount(&raw);
        match budget {
            None => problems.push(table.error(
                Kind::OutOfRange,
                r,
                c.budget,
                format!("\"{raw}\" is not an amount"),
            )),
            Some(b) if b < 0.0 => problems.push(table.error(
                Kind::NegativeBudget,
                r,
                c.budget,
                format!("the budget {raw} is negative"),
            )),
            Some(b) if b > MAX_BUDGET => problems.push(table.error(
                Kind::OutOfRange,
                r,
                c.budget,
                format!(
                    "the budget {raw} is larger than any initiative's can be (at most 10^12 kr); write it in kronor"
                ),
            )),
            _ => {}
        }
        budget.filter(|b| *b <= MAX_BUDGET)
    }

    /// The three axes mapped to -1..1; a missing value is a warning, a
    /// value off the scale an error.
    fn axes(
        &self,
        table: &SideTable,
        c: &Columns,
        r: usize,
        problems: &mut Vec<Problem>,
    ) -> [Option<f64>; 3] {
        let rc = self.config;
        let mut axes = [None; 3];
        for (k, col) in c.axes.iter().enumerate() {
            let raw = table.cell(r, *col);
            if raw.is_empty() {
                let msg = match col {
                    Some(_) => format!("no value on the axis {}; the initiative is left out of that axis's balance", super::AXES[k]),
                    None => format!("the register has no column for the axis {}", super::AXES[k]),
                };
                let mut p = table.warning(Kind::MissingValue, r, *col, msg);
                if col.is_none() {
                    // the warning names the (absent) column as empty
                    p = p.column("");
                }
                problems.push(p);
                continue;
            }
            let value = self
                .labels
                .get(&raw.to_lowercase())
                .copied()
                .or_else(|| raw.replace(',', ".").parse::<f64>().ok());
            match value {
                Some(v) if v >= rc.axis_min && v <= rc.axis_max => {
                    axes[k] = Some((v - self.mid) / self.half)
                }
                _ => problems.push(table.error(
                    Kind::OutOfRange,
                    r,
                    *col,
                    format!("\"{raw}\" is not on the axis scale {} to {} (or a label under [register] axis_labels)", rc.axis_min, rc.axis_max),
                )),
            }
        }
        axes
    }

    /// The statements and categories it strengthens (a statement links its
    /// category too); an unknown code is reported.
    fn links(
        &self,
        table: &SideTable,
        c: &Columns,
        r: usize,
        problems: &mut Vec<Problem>,
    ) -> (Vec<String>, Vec<String>) {
        let model = self.model;
        let mut statements = BTreeSet::new();
        let mut categories = BTreeSet::new();
        for token in table
            .cell(r, c.statements)
            .split([';', ',', '|'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if let Some(s) = model.statement_index(token) {
                statements.insert(model.statements[s].code.clone());
                categories.insert(model.statements[s].category.clone());
            } else if let Some(cat) = model.categories.iter().find(|cat| {
                cat.code.eq_ignore_ascii_case(token)
                    || cat.name.0.values().any(|n| n.eq_ignore_ascii_case(token))
            }) {
                categories.insert(cat.code.clone());
            } else {
                problems.push(table.error(
                    Kind::UnknownStatement,
                    r,
                    c.statements,
                    format!("\"{token}\" is neither a statement nor a category of the model"),
                ));
            }
        }
        (
            statements.into_iter().collect(),
            categories.into_iter().collect(),
        )
    }

    /// The owning unit as the survey spells it; a unit the survey does not
    /// know is a warning (the initiative counts for the organisation only).
    fn unit(
        &self,
        table: &SideTable,
        c: &Columns,
        r: usize,
        problems: &mut Vec<Problem>,
    ) -> Option<String> {
        let u = table.cell(r, c.unit);
        if u.is_empty() {
            return None;
        }
        Some(match self.units.get(&u.to_lowercase()) {
            Some(known) => known.to_string(),
            None => {
                if !self.units.is_empty() {
                    problems.push(table.warning(
                        Kind::UnknownUnit,
                        r,
                        c.unit,
                        format!("unit \"{u}\" is not a unit of the survey; the initiative counts for the whole organisation only"),
                    ));
                }
                u
            }
        })
    }
}

/// Matches every initiative's organisation to the answers' spelling of it
/// (any case), in a multi-organisation input (`names` holds more than
/// one): an initiative without an organisation is an error, one of an
/// organisation the answers do not have a warning (it counts for nobody).
/// In a single-organisation input every initiative is that
/// organisation's, whatever the column says.
pub fn assign_organisations(register: &mut Register, names: &BTreeSet<String>) -> Vec<Problem> {
    let mut problems = Vec::new();
    if names.len() < 2 {
        let only = names.iter().next().cloned();
        for i in register
            .initiatives
            .iter_mut()
            .chain(&mut register.proposals)
        {
            i.organisation = only.clone();
        }
        return problems;
    }
    let by_lower: BTreeMap<String, &String> = names.iter().map(|n| (n.to_lowercase(), n)).collect();
    // file -> rows without an organisation
    let mut missing: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for i in register
        .initiatives
        .iter_mut()
        .chain(&mut register.proposals)
    {
        match i.organisation.take() {
            None => missing.entry(i.file.clone()).or_default().push(i.row),
            Some(o) => match by_lower.get(&o.to_lowercase()) {
                Some(known) => i.organisation = Some((*known).clone()),
                None => problems.push(
                    Problem::warning(
                        Kind::UnknownOrganisation,
                        &i.file,
                        format!("organisation \"{o}\" has no answers in the input; initiative \"{}\" counts for nobody", i.id),
                    )
                    .row(i.row),
                ),
            },
        }
    }
    for (file, mut rows) in missing {
        rows.sort_unstable();
        let what = match rows.len() {
            1 => format!("row {} has", rows[0]),
            n => format!("{n} rows have (the first is row {})", rows[0]),
        };
        problems.push(
            Problem::error(
                Kind::MissingValue,
                &file,
                format!("{what} no organisation: the input holds several organisations, so every initiative needs one (an organisation column, see [register.columns])"),
            )
            .row(rows[0])
            .count(rows.len()),
        );
    }
    problems
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

    #[test]
    fn organisations_matched_to_the_answers_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("initiativ-2025.csv");
        std::fs::write(
            &path,
            "Organisation;Id;Status\nKOMMUN A;1;Pågående\n;2;Pågående\nKommun Ö;3;Planerad\n;4;Genomförd\n",
        )
        .unwrap();
        let files = vec![("initiativ-2025.csv".to_string(), path)];
        let config = Config::builtin();
        let (mut register, problems) = read(&files, &Model::builtin(), &config, &BTreeSet::new());
        assert!(!problems.iter().any(Problem::is_error), "{problems:?}");
        let names: BTreeSet<String> = ["Kommun A", "Kommun B"].map(String::from).into();
        let problems = assign_organisations(&mut register, &names);
        let orgs: Vec<Option<&str>> = register
            .initiatives
            .iter()
            .map(|i| i.organisation.as_deref())
            .collect();
        assert_eq!(orgs, [Some("Kommun A"), None, None, None]);
        // one warning for the unknown organisation, one error for both rows
        // without one (rows 3 and 5 of the file)
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(!problems[0].is_error() && problems[0].message.contains("Kommun Ö"));
        assert!(
            problems[1].is_error()
                && problems[1]
                    .message
                    .starts_with("2 rows have (the first is row 3) no organisation")
        );
        // one organisation: every initiative is its
        let one: BTreeSet<String> = ["Kommun A".to_string()].into();
        assert!(assign_organisations(&mut register, &one).is_empty());
        assert!(register
            .initiatives
            .iter()
            .all(|i| i.organisation.as_deref() == Some("Kommun A")));
    }
}
