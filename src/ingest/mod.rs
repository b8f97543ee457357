//! Ingest: read every discovered survey export into one compact table of
//! answers ([`Answers`]): each respondent's year, organisation, unit (aliases
//! resolved) and role, and its answers as (statement, scale value or
//! don't-know). Unanswered cells are not kept. Every problem found on the
//! way is collected with file, row and column ([`quality`]).

mod answers;
mod delimited;
mod layout;
pub mod quality;
mod sheet;
pub mod side;
mod table;
mod text;

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::config::{Config, Incomplete, ReadSettings};
use crate::discover::{year_in, SurveyFile};
use crate::error::{Error, Location, Result};
use crate::model::Model;
use answers::{Answer, AnswerError, AnswerMap};
use layout::{Field, Plan};
use quality::{Kind, Problem};
use sheet::Sheet;
pub use sheet::{read as read_sheet, Sheet as TextSheet, Source};
pub use table::Answers;
#[cfg(test)]
pub(crate) use table::AnswersForTest;
use table::{Kept, Names, Runs};

/// Reads a side file (benchmark, register, recipients) into a sheet,
/// within the built-in limits; a file that cannot be read becomes the
/// problem to report.
pub fn read_file_sheet(
    relative: &str,
    path: &std::path::Path,
) -> std::result::Result<Sheet, Problem> {
    let limits = crate::config::Limits::default();
    let bytes = read_capped(relative, path, &limits)?;
    read_sheet(&bytes, relative, None, &limits)
}

/// The bytes of a file no larger than the limit.
pub fn read_capped(
    relative: &str,
    path: &std::path::Path,
    limits: &crate::config::Limits,
) -> std::result::Result<Vec<u8>, Problem> {
    let cannot = |e: std::io::Error| {
        Problem::error(
            Kind::Unreadable,
            relative,
            format!("cannot read the file: {e}"),
        )
    };
    let size = std::fs::metadata(path).map_err(cannot)?.len();
    let cap = limits.max_file_mb.saturating_mul(1_000_000);
    if size > cap {
        return Err(sheet::beyond_limit(
            relative,
            &format!("is {} MB", size / 1_000_000),
            &format!("{} MB", limits.max_file_mb),
            "max_file_mb",
        ));
    }
    std::fs::read(path).map_err(cannot)
}

pub use text::{delimiter_name as delimiter_label, Encoding};

/// How one file was read, for the method appendix and `check`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileSummary {
    /// Position among the discovered files.
    #[serde(skip)]
    pub index: usize,
    /// The path relative to the input folder.
    pub relative: String,
    /// How the file was read: layout, encoding, delimiter or sheet.
    pub format: String,
    /// The kind of file it was.
    pub source: Source,
    /// The text encoding, for text files.
    #[serde(skip)]
    pub encoding: Option<Encoding>,
    /// "wide" or "long".
    pub layout: &'static str,
    /// Data rows read.
    pub rows: usize,
    /// Respondents kept.
    pub respondents: usize,
    /// Answers kept (don't-knows included).
    pub answers: usize,
    /// The survey years found.
    pub years: Vec<i32>,
    /// Columns left out, by header.
    pub ignored_columns: Vec<String>,
    /// The latest submit date in the file's date column, if it has one.
    pub latest_date: Option<NaiveDate>,
}

/// Everything ingest produces.
#[derive(Debug)]
pub struct Ingested {
    /// Every respondent and its answers.
    pub answers: Answers,
    /// What was read from each file.
    pub files: Vec<FileSummary>,
    /// Every data problem found, errors and warnings.
    pub problems: Vec<Problem>,
}

impl Ingested {
    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// One respondent's answers, as read: the organisation, unit and role as
/// codes into the names read (a national input has hundreds of thousands).
#[derive(Debug, Clone)]
struct Response {
    organisation: Option<u32>,
    year: i32,
    /// The respondent id, if the file has one.
    id: Option<Box<str>>,
    unit: Option<u32>,
    role: Option<u32>,
    submitted: Option<NaiveDateTime>,
    file: usize,
    row: usize,
    /// Where the answers given are in the [`Runs`]: blanks are not kept.
    answers: std::ops::Range<usize>,
}

/// One answer given, as a row is read: a scale value or a don't-know.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Given {
    statement: u32,
    /// The scale value; NaN for a don't-know.
    value: f64,
}

impl Given {
    /// The answer to `statement`, unless the cell was blank.
    fn of(statement: usize, answer: Answer) -> Option<Given> {
        let value = match answer {
            Answer::Value(v) => v,
            Answer::DontKnow => f64::NAN,
            Answer::Missing => return None,
        };
        Some(Given {
            statement: statement as u32,
            value,
        })
    }

    /// The statement's index and the scale value (`None` for a
    /// don't-know), as the answers table takes them.
    fn pair(&self) -> (usize, Option<f64>) {
        (
            self.statement as usize,
            (!self.value.is_nan()).then_some(self.value),
        )
    }
}

/// The most answers reserved before reading (2,5 GB): more than any
/// national input holds.
const MAX_ROOM: usize = 1 << 28;

/// Reads every survey file and collects every problem. Fails only for
/// configuration errors; data errors are in `problems`.
pub fn ingest(files: &[SurveyFile], model: &Model, config: &Config) -> Result<Ingested> {
    let mut responses = Vec::new();
    // a text file cannot hold more answers than half its bytes (a
    // character and a delimiter each); a workbook may, and the runs then
    // grow, as they do past the cap (a reservation the system would refuse
    // whole) or for files over the size limit, which are not read
    let cap = config.limits.max_file_mb.saturating_mul(1_000_000);
    let room = files
        .iter()
        .filter_map(|f| std::fs::metadata(&f.path).ok())
        .filter(|m| m.len() <= cap)
        .map(|m| m.len() as usize / 2)
        .sum::<usize>()
        .min(MAX_ROOM);
    let mut runs = Runs::with_capacity(room);
    let mut names = Names::default();
    let mut summaries = Vec::with_capacity(files.len());
    // the clock only checks the data (tomorrow: any time zone's today)
    let latest_date = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    let mut problems = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let settings = config.settings_for(&file.relative)?;
        let answer_map = AnswerMap::new(model, &settings).map_err(|msg| {
            Error::input(
                Location::file(config.source.clone().unwrap_or_default()),
                format!("{msg} (for {})", file.relative),
            )
        })?;
        let bytes = match read_capped(&file.relative, &file.path, &config.limits) {
            Ok(b) => b,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let mut sheet = match sheet::read_in_parts(
            &bytes,
            &file.relative,
            settings.ingest.sheet.as_deref(),
            &config.limits,
            sheet::PART_BYTES,
        ) {
            Ok(s) => s,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        drop(bytes);
        // what a later part's failure takes back: everything said of the
        // file after its first part was parsed
        let before = (problems.len(), runs.len(), responses.len());
        if sheet.height() == 0 {
            problems.push(Problem::error(
                Kind::Unreadable,
                &file.relative,
                "the file has a header but no rows; expected one row per respondent",
            ));
            continue;
        }
        let plan = match layout::plan(&sheet, &file.relative, model, &settings) {
            Ok(p) => p,
            Err(ps) => {
                problems.extend(ps);
                continue;
            }
        };
        if !plan.ignored.is_empty() {
            problems.push(Problem::warning(
                Kind::IgnoredColumn,
                &file.relative,
                format!(
                    "column(s) not used: {}",
                    plan.ignored
                        .iter()
                        .map(|h| format!("\"{h}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        // room for the file's responses before it is read: the responses of
        // earlier files move once now, not at the peak after its last row
        responses.reserve_exact(sheet.rows_at_most());
        let mut reader = FileReader {
            file,
            index,
            sheet: &mut sheet,
            plan: &plan,
            settings: &settings,
            answers: &answer_map,
            matcher: layout::Matcher::new(model, &settings),
            model,
            problems: &mut problems,
            runs: &mut runs,
            names: &mut names,
            out: &mut responses,
            latest_date,
        };
        if let Err(p) = reader.read() {
            // a later part of the file could not be read: the file is left
            // out, with that one problem, as if it had been read whole
            problems.truncate(before.0);
            runs.truncate(before.1);
            responses.truncate(before.2);
            problems.push(p);
            continue;
        }
        let read = &responses[before.2..];
        let mut years: Vec<i32> = read.iter().map(|r| r.year).collect();
        years.sort_unstable();
        years.dedup();
        summaries.push(FileSummary {
            index,
            relative: file.relative.clone(),
            format: sheet.format.clone(),
            source: sheet.source.clone(),
            encoding: sheet.encoding,
            layout: if plan.long { "long" } else { "wide" },
            rows: sheet.rows_read(),
            // both counted again once duplicates are resolved
            respondents: read.len(),
            answers: 0,
            years,
            ignored_columns: plan.ignored.clone(),
            latest_date: read
                .iter()
                .filter_map(|r| r.submitted)
                .max()
                .map(|d| d.date()),
        });
    }
    let responses = deduplicate(responses, files, &mut problems);
    let responses = resolve_units(responses, &mut names, config, files, &mut problems);
    for s in &mut summaries {
        let kept = responses.iter().filter(|r| r.file == s.index);
        s.respondents = kept.clone().count();
        s.answers = kept.map(|r| r.answers.len()).sum();
    }
    check_direction_controls(&responses, &names, files, &mut problems);
    check_straight_lining(&responses, &runs, files, &mut problems);
    check_never_answered(&responses, &runs, model, files, &mut problems);
    let answers = Answers::from_runs(
        runs,
        responses.iter().map(|r| Kept {
            year: r.year,
            organisation: names.get(r.organisation),
            unit: names.get(r.unit),
            role: names.get(r.role),
            run: r.answers.clone(),
        }),
    );
    Ok(Ingested {
        answers,
        files: summaries,
        problems,
    })
}

/// Reads the rows of one sheet into responses.
struct FileReader<'a> {
    file: &'a SurveyFile,
    index: usize,
    sheet: &'a mut Sheet,
    plan: &'a Plan,
    settings: &'a ReadSettings,
    answers: &'a AnswerMap,
    matcher: layout::Matcher<'a>,
    model: &'a Model,
    problems: &'a mut Vec<Problem>,
    /// Where the answers go, as they are read.
    runs: &'a mut Runs,
    /// The names of organisations, units and roles.
    names: &'a mut Names,
    /// Where the responses go: after those of the files before.
    out: &'a mut Vec<Response>,
    /// Dates after this are in the future: an export cannot hold them.
    latest_date: chrono::NaiveDate,
}

fn tidy(cell: &str) -> Option<String> {
    let t = cell.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

/// A date and time at the start of a cell, in the common export forms.
fn parse_datetime(cell: &str) -> Option<NaiveDateTime> {
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
    let head = c.get(..10)?.replace('/', "-");
    NaiveDate::parse_from_str(&head, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

impl FileReader<'_> {
    fn cell(&self, col: Option<usize>, r: usize) -> Option<String> {
        col.and_then(|c| self.sheet.column(c).get(r)).and_then(tidy)
    }

    fn header(&self, col: usize) -> &str {
        self.sheet.headers[col].trim()
    }

    /// Reads the file's responses, part after part; a part that cannot be
    /// read is the file's problem.
    fn read(&mut self) -> std::result::Result<(), Problem> {
        let rel = self.file.relative.as_str();
        let year_col = self.plan.find(Field::Year);
        let date_col = self.plan.find(Field::Date);
        let fallback_year = self.settings.ingest.year.or(self.file.year_from_name);
        if year_col.is_none() && date_col.is_none() && fallback_year.is_none() {
            self.problems.push(Problem::error(
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
        let first = self.out.len();
        // a long layout's rows add to earlier responses: their answers are
        // gathered here and go into the runs at the end of the file
        let mut long_answers: Vec<Vec<Given>> = Vec::new();
        let mut long_index: BTreeMap<(i32, String), usize> = BTreeMap::new();
        let mut rows = 0..self.sheet.height();
        loop {
            let Some(r) = rows.next() else {
                if self.sheet.next_part()? {
                    rows = 0..self.sheet.height();
                    continue;
                }
                break;
            };
            let row = self.sheet.first_row() + r;
            if self.sheet.is_blank(r) {
                // a blank line (LimeSurvey ends some exports with one) is
                // not a response, not even an incomplete one
                continue;
            }
            if self.is_incomplete(r) {
                incomplete += 1;
                if self.settings.ingest.incomplete == Incomplete::Skip {
                    continue;
                }
            }
            let answers = if self.plan.long {
                self.long_answer(r, row).map(|a| a.into_iter().collect())
            } else {
                self.wide_answers(r, row)
            };
            let Some(answers) = answers else { continue };
            if answers.is_empty() {
                if !self.plan.long {
                    self.problems.push(
                        Problem::warning(Kind::EmptyRow, rel, "no answers in this row; left out")
                            .row(row),
                    );
                }
                continue;
            }
            let date = self.cell(date_col, r);
            if let Some(d) = date.as_deref() {
                if parse_datetime(d).is_some_and(|t| t.date() > self.latest_date) {
                    self.problems.push(
                        Problem::error(
                            Kind::OutOfRange,
                            rel,
                            format!("the date \"{d}\" is in the future; expected when the answer was submitted"),
                        )
                        .row(row)
                        .column(self.header(date_col.unwrap_or(0))),
                    );
                    continue;
                }
            }
            let year = match (self.cell(year_col, r), &date, fallback_year) {
                (Some(y), _, _) => {
                    match y
                        .parse::<i32>()
                        .ok()
                        .filter(|y| crate::discover::YEARS.contains(y))
                    {
                        Some(y) => y,
                        None => {
                            self.problems.push(
                                Problem::error(
                                    Kind::NoYear,
                                    rel,
                                    format!(
                                        "\"{y}\" is not a year; expected four digits such as 2025"
                                    ),
                                )
                                .row(row)
                                .column(self.header(year_col.unwrap_or(0))),
                            );
                            continue;
                        }
                    }
                }
                (None, Some(d), _) if year_in(d).is_some() => year_in(d).unwrap_or_default(),
                (_, _, Some(y)) => y,
                _ => {
                    self.problems.push(
                        Problem::error(
                            Kind::NoYear,
                            rel,
                            "no year: the date cell is empty and the file name names no year",
                        )
                        .row(row),
                    );
                    continue;
                }
            };
            let explicit = self.cell(self.plan.find(Field::Respondent), r);
            let submitted = date.as_deref().and_then(parse_datetime);
            if self.plan.long {
                let Some(id) = explicit.clone() else {
                    self.problems.push(
                        Problem::error(
                            Kind::Unreadable,
                            rel,
                            "a long layout needs a respondent id in every row",
                        )
                        .row(row),
                    );
                    continue;
                };
                if let Some(&i) = long_index.get(&(year, id.clone())) {
                    let resp = &mut self.out[i];
                    for given in answers {
                        if let Some(prev) = long_answers[i - first]
                            .iter_mut()
                            .find(|p| p.statement == given.statement)
                        {
                            self.problems.push(
                                Problem::warning(
                                    Kind::DuplicateRespondent,
                                    rel,
                                    format!("this respondent (same id as an earlier row) answered {} twice; the later row is kept", self.model.statements[given.statement as usize].code),
                                )
                                .row(row),
                            );
                            *prev = given;
                        } else {
                            long_answers[i - first].push(given);
                        }
                    }
                    resp.submitted = resp.submitted.max(submitted);
                    continue;
                }
                long_index.insert((year, id), self.out.len());
            }
            let answers = if self.plan.long {
                long_answers.push(answers);
                0..0
            } else {
                self.runs.push(answers.iter().map(Given::pair))
            };
            let mut name = |field| {
                let cell = self.cell(self.plan.find(field), r);
                self.names.code(cell.as_deref())
            };
            let (organisation, unit, role) = (
                name(Field::Organisation),
                name(Field::Unit),
                name(Field::Role),
            );
            self.out.push(Response {
                organisation,
                year,
                id: explicit.map(String::into_boxed_str),
                unit,
                role,
                submitted,
                file: self.index,
                row,
                answers,
            });
        }
        for (response, answers) in self.out[first..].iter_mut().zip(long_answers) {
            response.answers = self.runs.push(answers.iter().map(Given::pair));
        }
        if incomplete > 0 {
            let what = match self.settings.ingest.incomplete {
                Incomplete::Skip => "left out",
                Incomplete::Keep => "kept, as [ingest] incomplete = \"keep\" asks",
            };
            self.problems.push(Problem::warning(
                Kind::Incomplete,
                rel,
                format!("{incomplete} incomplete response(s) (no submit date, or not finished) {what}"),
            )
            .count(incomplete));
        }
        Ok(())
    }

    fn is_incomplete(&self, r: usize) -> bool {
        let unsubmitted =
            self.plan.submitted.is_some() && self.cell(self.plan.submitted, r).is_none();
        let unfinished = self
            .cell(self.plan.finished, r)
            .is_some_and(|f| matches!(f.to_lowercase().as_str(), "false" | "0" | "no" | "nej"));
        unsubmitted || unfinished
    }

    fn answer_problem(&mut self, e: AnswerError, row: usize, col: usize) {
        let (kind, msg) = match e {
            AnswerError::Unknown(m) => (Kind::UnknownAnswer, m),
            AnswerError::OutOfRange(m) => (Kind::OutOfRange, m),
        };
        let header = self.header(col).to_string();
        self.problems.push(
            Problem::error(kind, &self.file.relative, msg)
                .row(row)
                .column(header),
        );
    }

    /// The answers of a wide row; `None` if any cell is bad (reported).
    fn wide_answers(&mut self, r: usize, row: usize) -> Option<Vec<Given>> {
        let mut out = Vec::with_capacity(self.model.statements.len());
        let mut ok = true;
        // a copy of the reference: the loop borrows the plan, not self
        let plan = self.plan;
        for (col, s) in plan.statements() {
            let raw = self.sheet.column(col).get(r).unwrap_or("");
            match self.answers.parse(raw) {
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
        let scol = self.plan.find(Field::StatementName)?;
        let vcol = self.plan.find(Field::Value)?;
        let name = self.cell(Some(scol), r)?;
        let Some(s) = self
            .model
            .statement_index(&name)
            .or_else(|| self.matcher.statement(&name, None))
        else {
            let header = self.header(scol).to_string();
            self.problems.push(
                Problem::error(
                    Kind::UnknownStatement,
                    &self.file.relative,
                    format!(
                        "\"{name}\" is not a statement of the model ({})",
                        layout::code_range(self.model)
                    ),
                )
                .row(row)
                .column(header),
            );
            return None;
        };
        let raw = self.sheet.column(vcol).get(r).unwrap_or("");
        match self.answers.parse(raw) {
            Ok(a) => Some(Given::of(s, a)),
            Err(e) => {
                self.answer_problem(e, row, vcol);
                None
            }
        }
    }
}

/// Duplicate respondent ids within a year: the latest submission is kept
/// (by submit date, else the later row), the others are reported.
fn deduplicate(
    responses: Vec<Response>,
    files: &[SurveyFile],
    problems: &mut Vec<Problem>,
) -> Vec<Response> {
    // the responses with an id, by (organisation, year, id) and then in
    // reading order: positions, not copies of the keys, as there may be
    // hundreds of thousands
    let key = |i: u32| {
        let r = &responses[i as usize];
        (r.organisation, r.year, r.id.as_deref())
    };
    let mut order: Vec<u32> = (0..responses.len() as u32)
        .filter(|&i| responses[i as usize].id.is_some())
        .collect();
    order.sort_by(|a, b| key(*a).cmp(&key(*b)).then(a.cmp(b)));
    // the winner of each id: the last of its latest submissions
    let mut winner: Vec<Option<u32>> = vec![None; responses.len()];
    for same in order.chunk_by(|a, b| key(*a) == key(*b)) {
        let mut best = same[0];
        for &i in &same[1..] {
            if responses[i as usize].submitted >= responses[best as usize].submitted {
                best = i;
            }
        }
        for &i in same {
            if i != best {
                winner[i as usize] = Some(best);
            }
        }
    }
    // the later submissions are reported in reading order, and dropped
    for (r, w) in responses.iter().zip(&winner) {
        let Some(w) = w else { continue };
        let w = &responses[*w as usize];
        problems.push(
            Problem::warning(
                Kind::DuplicateRespondent,
                &files[r.file].relative,
                format!(
                    "the same respondent id answers again in {} at {}, row {}; that later submission is kept and this one left out (ids are never printed)",
                    r.year, files[w.file].relative, w.row
                ),
            )
            .row(r.row),
        );
    }
    responses
        .into_iter()
        .zip(winner)
        .filter(|(_, w)| w.is_none())
        .map(|(r, _)| r)
        .collect()
}

/// Unit aliases, and the unit list when the config gives one.
fn resolve_units(
    mut responses: Vec<Response>,
    names: &mut Names,
    config: &Config,
    files: &[SurveyFile],
    problems: &mut Vec<Problem>,
) -> Vec<Response> {
    let aliases: BTreeMap<String, &String> = config
        .units
        .aliases
        .iter()
        .map(|(k, v)| (k.trim().to_lowercase(), v))
        .collect();
    let list: BTreeMap<String, &String> = config
        .units
        .list
        .iter()
        .map(|u| (u.trim().to_lowercase(), u))
        .collect();
    // each unit named is resolved once: to its name's code, and whether
    // the list knows it
    let mut resolved: BTreeMap<u32, (Option<u32>, bool)> = BTreeMap::new();
    let mut unknown: BTreeMap<(usize, String), (usize, usize)> = BTreeMap::new();
    for r in &mut responses {
        let Some(code) = r.unit else { continue };
        let (unit, known) = *resolved.entry(code).or_insert_with(|| {
            let unit = names.get(Some(code)).unwrap_or_default().to_string();
            let unit = aliases
                .get(&unit.to_lowercase())
                .map(|u| u.to_string())
                .unwrap_or(unit);
            let (unit, known) = match list.get(&unit.to_lowercase()) {
                Some(canonical) => (canonical.to_string(), true),
                None => (unit, list.is_empty()),
            };
            (names.code(Some(&unit)), known)
        });
        if !known {
            let name = names.get(unit).unwrap_or_default().to_string();
            let e = unknown.entry((r.file, name)).or_insert((r.row, 0));
            e.1 += 1;
        }
        r.unit = unit;
    }
    merge_letter_case(&mut responses, names, files, problems);
    for ((file, unit), (row, count)) in unknown {
        problems.push(
            Problem::error(
                Kind::UnknownUnit,
                &files[file].relative,
                format!(
                    "unit \"{unit}\" ({count} respondent(s)) is not in the unit list of mognad.toml; fix the spelling, add it under [units] aliases, or add it to [units] list"
                ),
            )
            .row(row),
        );
    }
    responses
}

/// Units whose names differ only in letter case (or surrounding spaces)
/// are one unit, typed twice: each takes the spelling most respondents
/// used (ties: the first in sort order), with a warning. Reports, file
/// names and the send log then know it once.
fn merge_letter_case(
    responses: &mut [Response],
    names: &Names,
    files: &[SurveyFile],
    problems: &mut Vec<Problem>,
) {
    // per folded name: each spelling's code, respondents and first row
    type Spellings = BTreeMap<String, (u32, usize, (usize, usize))>;
    let mut by_fold: BTreeMap<String, Spellings> = BTreeMap::new();
    for r in responses.iter() {
        let Some(code) = r.unit else { continue };
        let name = names.get(Some(code)).unwrap_or_default().to_string();
        let e = by_fold
            .entry(name.trim().to_lowercase())
            .or_default()
            .entry(name)
            .or_insert((code, 0, (r.file, r.row)));
        e.1 += 1;
    }
    let mut to: BTreeMap<u32, Option<u32>> = BTreeMap::new();
    for spellings in by_fold.values().filter(|s| s.len() > 1) {
        let (chosen, (code, ..)) = spellings
            .iter()
            .max_by(|a, b| a.1 .1.cmp(&b.1 .1).then_with(|| b.0.cmp(a.0)))
            .expect("two spellings or more");
        for (_, (other, ..)) in spellings.iter().filter(|(_, v)| v.0 != *code) {
            to.insert(*other, Some(*code));
        }
        let (file, row) = spellings.values().map(|v| v.2).min().unwrap_or_default();
        let listed: Vec<String> = spellings
            .iter()
            .map(|(name, (_, n, _))| format!("\"{name}\" ({n})"))
            .collect();
        problems.push(
            Problem::warning(
                Kind::UnitSpelling,
                &files[file].relative,
                format!(
                    "units {} differ only in letter case: counted as one unit, \"{chosen}\"; write the name one way in the survey, or map the others under [units] aliases",
                    listed.join(", ")
                ),
            )
            .row(row),
        );
    }
    if to.is_empty() {
        return;
    }
    for r in responses.iter_mut() {
        if let Some(new) = r.unit.and_then(|c| to.get(&c)) {
            r.unit = *new;
        }
    }
}

/// A name (organisation, unit, role) with characters that turn the
/// direction of text could read as another name: a warning, once per name.
/// The reports keep such a name isolated, the mail headers strip them.
fn check_direction_controls(
    responses: &[Response],
    names: &Names,
    files: &[SurveyFile],
    problems: &mut Vec<Problem>,
) {
    let mut seen = std::collections::BTreeSet::new();
    for r in responses {
        for code in [r.organisation, r.unit, r.role] {
            let Some(name) = names.get(code) else {
                continue;
            };
            if name.chars().any(crate::format::is_direction_control) && seen.insert(code) {
                problems.push(
                    Problem::warning(
                        Kind::DirectionControl,
                        &files[r.file].relative,
                        format!(
                            "\"{}\" holds characters that turn the direction of text (bidi controls), so it may read as another name; the reports isolate them and the mail headers leave them out, but write the name without them",
                            crate::format::without_direction_controls(name)
                        ),
                    )
                    .row(r.row),
                );
            }
        }
    }
}

/// A respondent who gave the same scale value to every statement (at least
/// five, no don't-know) probably did not read them.
fn check_straight_lining(
    responses: &[Response],
    runs: &Runs,
    files: &[SurveyFile],
    problems: &mut Vec<Problem>,
) {
    for r in responses {
        let values: Vec<f64> = runs.get(r.answers.clone()).filter_map(|(_, v)| v).collect();
        if values.len() >= 5
            && values.len() == r.answers.len()
            && values.iter().all(|v| *v == values[0])
        {
            problems.push(
                Problem::warning(
                    Kind::StraightLining,
                    &files[r.file].relative,
                    format!("every answer in this row is {}; kept, but check that the respondent read the statements", values[0]),
                )
                .row(r.row),
            );
        }
    }
}

/// Statements nobody answered in a year.
fn check_never_answered(
    responses: &[Response],
    runs: &Runs,
    model: &Model,
    files: &[SurveyFile],
    problems: &mut Vec<Problem>,
) {
    let mut by_year: BTreeMap<i32, (Vec<bool>, usize)> = BTreeMap::new();
    for r in responses {
        let e = by_year
            .entry(r.year)
            .or_insert_with(|| (vec![false; model.statements.len()], r.file));
        for (statement, _) in runs.get(r.answers.clone()) {
            e.0[statement] = true;
        }
    }
    for (year, (seen, file)) in by_year {
        for (s, answered) in seen.iter().enumerate() {
            if !answered {
                problems.push(
                    Problem::warning(
                        Kind::NeverAnswered,
                        &files[file].relative,
                        format!(
                            "nobody answered statement {} in {year}",
                            model.statements[s].code
                        ),
                    )
                    .column(model.statements[s].code.clone()),
                );
            }
        }
    }
}
