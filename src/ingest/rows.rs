//! Reading a sheet's rows into responses, once its header is mapped
//! ([`super::layout::Plan`]): a row at a time, part after part, each row
//! through the same steps: blank or incomplete, its answers, its date and
//! year, then a new response (wide) or answers added to one (long).

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, Timelike};

use super::answers::AnswerError;
use super::file::Reading;
use super::layout::{self, Field, Plan};
use super::quality::{Kind, Problem};
use super::sheet::Sheet;
use super::table::{Names, Runs};
use super::years::{NoYear, Years};
use super::{Given, Response};
use crate::config::{Incomplete, ReadSettings};

/// What reading a file needs to know: the file, its mapped header and how
/// answers are read.
pub(super) struct FileInput<'a> {
    /// The file being read: its path, position, model, answer labels and
    /// latest possible date.
    pub reading: &'a Reading<'a>,
    pub plan: &'a Plan,
    /// The file's settings, with its tool's preset applied.
    pub settings: &'a ReadSettings,
    pub matcher: layout::Matcher<'a>,
    /// Where the rows take their year from.
    pub years: Years,
}

/// What reading files gives, file after file.
#[derive(Debug, Default)]
pub(super) struct Collected {
    pub problems: Vec<Problem>,
    /// The answers given, as they are read.
    pub runs: Runs,
    /// The names of organisations, units and roles.
    pub names: Names,
    /// The responses, in reading order.
    pub responses: Vec<Response>,
}

/// Reads the rows of one sheet into [`Collected`].
pub(super) struct FileReader<'a, 'b> {
    pub input: &'b FileInput<'a>,
    pub sheet: &'b mut Sheet,
    pub out: &'b mut Collected,
}

/// A long layout's rows add to earlier responses: their answers are
/// gathered here and go into the runs at the end of the file.
#[derive(Default)]
struct LongRows {
    /// The answers of each response read from the file, in order.
    answers: Vec<Vec<Given>>,
    /// Each (year, respondent id)'s response, by position in the output.
    index: BTreeMap<(i32, String), usize>,
}

fn tidy(cell: &str) -> Option<String> {
    let t = cell.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

/// A date and time at the start of a cell, in the common export forms: ISO
/// (`2025-03-04 10:12:33`, `2025/03/04 ...`), and day, month and year with
/// slashes as tools write them in the United States (`3/4/2025 10:12:33
/// AM`, month first) and in Europe (`04/03/2025 10:12`, day first). A
/// slashed date whose order cannot be told (`03/04/2025` without AM or PM)
/// gives no date; its year is still read.
pub(super) fn parse_datetime(cell: &str) -> Option<NaiveDateTime> {
    let c = cell.trim();
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%SZ",
        "%Y/%m/%d %H:%M:%S",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(c, f) {
            return Some(d);
        }
    }
    if let Some(d) = slashed(c) {
        return Some(d);
    }
    let head = c.get(..10)?.replace('/', "-");
    NaiveDate::parse_from_str(&head, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// A `d/m/Y` or `m/d/Y` date, with a time or not (see [`parse_datetime`]).
fn slashed(cell: &str) -> Option<NaiveDateTime> {
    let (date, time) = cell.split_once(' ').unwrap_or((cell, ""));
    let parts: Vec<u32> = date
        .split('/')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [a, b, year] = parts[..] else { return None };
    let upper = time.to_uppercase();
    let meridiem = upper.contains("AM") || upper.contains("PM");
    let (month, day) = match (a, b) {
        _ if meridiem => (a, b),
        (a, b) if a > 12 => (b, a),
        (a, b) if b > 12 => (a, b),
        _ => return None,
    };
    let year = i32::try_from(year)
        .ok()
        .filter(|y| crate::discover::YEARS.contains(y))?;
    let day = NaiveDate::from_ymd_opt(year, month, day)?;
    let time = time.split_whitespace().next().unwrap_or("");
    let clock = ["%H:%M:%S", "%H:%M"]
        .iter()
        .find_map(|f| chrono::NaiveTime::parse_from_str(time, f).ok())
        .unwrap_or_default();
    let clock = match (upper.contains("PM"), clock.hour()) {
        (true, h) if h < 12 => clock + chrono::Duration::hours(12),
        (false, 12) if meridiem => clock - chrono::Duration::hours(12),
        _ => clock,
    };
    Some(day.and_time(clock))
}

impl FileReader<'_, '_> {
    fn cell(&self, col: Option<usize>, r: usize) -> Option<String> {
        col.and_then(|c| self.sheet.column(c).get(r)).and_then(tidy)
    }

    fn header(&self, col: usize) -> &str {
        self.sheet.headers[col].trim()
    }

    fn problem(&mut self, p: Problem) {
        self.out.problems.push(p);
    }

    /// Reads the file's responses, part after part; a part that cannot be
    /// read is the file's problem.
    pub fn read(&mut self) -> Result<(), Problem> {
        let rel = self.input.reading.relative();
        if !self.input.years.is_possible() {
            self.problem(Problem::error(
                Kind::NoYear,
                rel,
                "cannot tell the survey year: name it in the folder or file name (2025/enkat.csv, enkat-2025.csv), give the file a year or date column, or set year under [[files]] in mognad.toml",
            ));
            // the rest is still parsed: its rows are counted, and a part
            // that cannot be read is still the file's problem
            while self.sheet.next_part()? {}
            return Ok(());
        }
        let mut incomplete = 0;
        let first = self.out.responses.len();
        let mut long = LongRows::default();
        loop {
            for r in 0..self.sheet.height() {
                if self.sheet.is_blank(r) {
                    // a blank line (LimeSurvey ends some exports with one)
                    // is not a response, not even an incomplete one
                    continue;
                }
                if self.is_incomplete(r) {
                    incomplete += 1;
                    if self.input.settings.ingest.incomplete == Incomplete::Skip {
                        continue;
                    }
                }
                self.row(r, first, &mut long);
            }
            if !self.sheet.next_part()? {
                break;
            }
        }
        for (response, answers) in self.out.responses[first..].iter_mut().zip(long.answers) {
            response.answers = self.out.runs.push(answers.iter().map(Given::pair));
        }
        if incomplete > 0 {
            let what = match self.input.settings.ingest.incomplete {
                Incomplete::Skip => "left out",
                Incomplete::Keep => "kept, as [ingest] incomplete = \"keep\" asks",
            };
            self.problem(
                Problem::warning(
                    Kind::Incomplete,
                    rel,
                    format!("{incomplete} incomplete response(s) (no submit date, or not finished) {what}"),
                )
                .count(incomplete),
            );
        }
        Ok(())
    }

    /// Reads data row `r` of the part held (not blank, not an incomplete
    /// response left out).
    fn row(&mut self, r: usize, first: usize, long: &mut LongRows) {
        let rel = self.input.reading.relative();
        let plan = self.input.plan;
        let row = self.sheet.first_row() + r;
        let answers = if plan.long {
            self.long_answer(r, row).map(|a| a.into_iter().collect())
        } else {
            self.wide_answers(r, row)
        };
        let Some(answers) = answers else { return };
        if answers.is_empty() {
            if !plan.long {
                self.problem(
                    Problem::warning(Kind::EmptyRow, rel, "no answers in this row; left out")
                        .row(row),
                );
            }
            return;
        }
        let Some((year, submitted)) = self.when(r, row) else {
            return;
        };
        let explicit = self.cell(plan.find(Field::Respondent), r);
        if plan.long {
            let Some(id) = explicit.clone() else {
                self.problem(
                    Problem::error(
                        Kind::Unreadable,
                        rel,
                        "a long layout needs a respondent id in every row",
                    )
                    .row(row),
                );
                return;
            };
            if let Some(&i) = long.index.get(&(year, id.clone())) {
                self.add_long(&mut long.answers[i - first], answers, row);
                let resp = &mut self.out.responses[i];
                resp.submitted = resp.submitted.max(submitted);
                return;
            }
            long.index.insert((year, id), self.out.responses.len());
        }
        let answers = if plan.long {
            long.answers.push(answers);
            0..0
        } else {
            self.out.runs.push(answers.iter().map(Given::pair))
        };
        let mut name = |field| {
            let cell = self.cell(plan.find(field), r);
            self.out.names.code(cell.as_deref())
        };
        let (organisation, unit, role) = (
            name(Field::Organisation),
            name(Field::Unit),
            name(Field::Role),
        );
        self.out.responses.push(Response {
            organisation,
            year,
            id: explicit.map(String::into_boxed_str),
            unit,
            role,
            submitted,
            file: self.input.reading.index,
            row,
            answers,
        });
    }

    /// A later long row's answers for a respondent read before: a
    /// statement answered twice keeps the later answer.
    fn add_long(&mut self, earlier: &mut Vec<Given>, answers: Vec<Given>, row: usize) {
        for given in answers {
            if let Some(prev) = earlier.iter_mut().find(|p| p.statement == given.statement) {
                self.out.problems.push(
                    Problem::warning(
                        Kind::DuplicateRespondent,
                        self.input.reading.relative(),
                        format!("this respondent (same id as an earlier row) answered {} twice; the later row is kept", self.input.reading.model.statements[given.statement as usize].code),
                    )
                    .row(row),
                );
                *prev = given;
            } else {
                earlier.push(given);
            }
        }
    }

    /// The row's survey year and submit time; `None` (reported) for a date
    /// in the future or no year.
    fn when(&mut self, r: usize, row: usize) -> Option<(i32, Option<NaiveDateTime>)> {
        let rel = self.input.reading.relative();
        let years = self.input.years;
        let date = self.cell(years.date, r);
        let submitted = date.as_deref().and_then(parse_datetime);
        if let (Some(d), Some(t)) = (date.as_deref(), submitted) {
            if t.date() > self.input.reading.latest_date {
                let column = self.header(years.date.unwrap_or(0)).to_string();
                self.problem(
                    Problem::error(
                        Kind::OutOfRange,
                        rel,
                        format!("the date \"{d}\" is in the future; expected when the answer was submitted"),
                    )
                    .row(row)
                    .column(column),
                );
                return None;
            }
        }
        let cell = self.cell(years.column, r);
        match years.of(cell.as_deref(), date.as_deref()) {
            Ok(year) => Some((year, submitted)),
            Err(NoYear::NotAYear(y)) => {
                let column = self.header(years.column.unwrap_or(0)).to_string();
                self.problem(
                    Problem::error(
                        Kind::NoYear,
                        rel,
                        format!("\"{y}\" is not a year; expected four digits such as 2025"),
                    )
                    .row(row)
                    .column(column),
                );
                None
            }
            Err(NoYear::Missing) => {
                self.problem(
                    Problem::error(
                        Kind::NoYear,
                        rel,
                        "no year: the date cell is empty and the file name names no year",
                    )
                    .row(row),
                );
                None
            }
        }
    }

    /// Whether row `r` is an incomplete response.
    fn is_incomplete(&self, r: usize) -> bool {
        let plan = self.input.plan;
        let unsubmitted = plan.submitted.is_some() && self.cell(plan.submitted, r).is_none();
        let unfinished = self.cell(plan.finished, r).is_some_and(|f| {
            matches!(
                f.to_lowercase().as_str(),
                "false" | "0" | "no" | "nej" | "partial"
            )
        });
        unsubmitted || unfinished
    }

    fn answer_problem(&mut self, e: AnswerError, row: usize, col: usize) {
        let (kind, msg) = match e {
            AnswerError::Unknown(m) => (Kind::UnknownAnswer, m),
            AnswerError::OutOfRange(m) => (Kind::OutOfRange, m),
        };
        let header = self.header(col).to_string();
        self.problem(
            Problem::error(kind, self.input.reading.relative(), msg)
                .row(row)
                .column(header),
        );
    }

    /// The answers of a wide row; `None` if any cell is bad (reported).
    fn wide_answers(&mut self, r: usize, row: usize) -> Option<Vec<Given>> {
        let mut out = Vec::with_capacity(self.input.reading.model.statements.len());
        let mut ok = true;
        let plan = self.input.plan;
        for (col, s) in plan.statements() {
            let raw = self.sheet.column(col).get(r).unwrap_or("");
            match self.input.reading.answers.parse(raw) {
                Ok(a) => out.extend(Given::of(s, a)),
                Err(e) => {
                    ok = false;
                    self.answer_problem(e, row, col);
                }
            }
        }
        ok.then_some(out)
    }

    /// The one answer of a long row (`Some(None)` for a blank).
    fn long_answer(&mut self, r: usize, row: usize) -> Option<Option<Given>> {
        let plan = self.input.plan;
        let scol = plan.find(Field::StatementName)?;
        let vcol = plan.find(Field::Value)?;
        let name = self.cell(Some(scol), r)?;
        let model = self.input.reading.model;
        let Some(s) = model
            .statement_index(&name)
            .or_else(|| self.input.matcher.statement(&name, None))
        else {
            let header = self.header(scol).to_string();
            self.problem(
                Problem::error(
                    Kind::UnknownStatement,
                    self.input.reading.relative(),
                    format!(
                        "\"{name}\" is not a statement of the model ({})",
                        layout::code_range(model)
                    ),
                )
                .row(row)
                .column(header),
            );
            return None;
        };
        let raw = self.sheet.column(vcol).get(r).unwrap_or("");
        match self.input.reading.answers.parse(raw) {
            Ok(a) => Some(Given::of(s, a)),
            Err(e) => {
                self.answer_problem(e, row, vcol);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Option<String> {
        parse_datetime(s).map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
    }

    #[test]
    fn dates_as_tools_write_them() {
        assert_eq!(
            at("2025-03-04 10:12:33").as_deref(),
            Some("2025-03-04 10:12:33")
        );
        assert_eq!(
            at("2022/03/26 11:00:19 PM AST").as_deref(),
            Some("2022-03-26 00:00:00")
        );
        // SurveyMonkey, Google Forms in the United States: month first
        assert_eq!(
            at("07/15/2021 01:55:24 PM").as_deref(),
            Some("2021-07-15 13:55:24")
        );
        assert_eq!(
            at("03/04/2021 12:05:00 AM").as_deref(),
            Some("2021-03-04 00:05:00")
        );
        assert_eq!(
            at("3/23/2022 11:12:53").as_deref(),
            Some("2022-03-23 11:12:53")
        );
        // Europe: day first
        assert_eq!(
            at("23/03/2022 11:12").as_deref(),
            Some("2022-03-23 11:12:00")
        );
        // which is the month cannot be told
        assert_eq!(at("03/04/2021 10:00"), None);
        assert_eq!(at("13/13/2021"), None);
        // a two-digit year is no year
        assert_eq!(at("3/14/25 10:00"), None);
        assert_eq!(at("igår"), None);
    }
}
