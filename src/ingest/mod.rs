//! Ingest: read every discovered survey export into one compact table of
//! answers ([`Answers`]): each respondent's year, organisation, unit (aliases
//! resolved) and role, and its answers as (statement, scale value or
//! don't-know). Unanswered cells are not kept. Every problem found on the
//! way is collected with file, row and column ([`quality`]).

mod answers;
mod delimited;
mod detect;
mod layout;
pub mod quality;
mod rows;
mod scale;
mod sheet;
pub mod side;
mod table;
mod text;
mod years;

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::config::{builtin_presets, Config, Preset, ReadSettings};
use crate::discover::SurveyFile;
use crate::error::{Error, Location, Result};
use crate::model::Model;
use answers::{Answer, AnswerMap};
use layout::Field;
use quality::{Kind, Problem};
use rows::{Collected, FileInput, FileReader};
use sheet::Sheet;
pub use sheet::{read as read_sheet, Sheet as TextSheet, Source};
pub use table::Answers;
#[cfg(test)]
pub(crate) use table::AnswersForTest;
use table::{Kept, Names, Runs};
use years::Years;

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
    /// How the file was read: tool, encoding, delimiter or sheet.
    pub format: String,
    /// The survey tool whose export layout the file has, if recognised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
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
    let mut out = Collected {
        runs: Runs::with_capacity(room(files, config)),
        ..Collected::default()
    };
    let mut summaries = Vec::with_capacity(files.len());
    let presets: Vec<Preset> = config
        .presets
        .iter()
        .chain(builtin_presets())
        .cloned()
        .collect();
    // the clock only checks the data (tomorrow: any time zone's today)
    let latest_date = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    for (index, file) in files.iter().enumerate() {
        let settings = config.settings_for(&file.relative)?;
        let answer_map = AnswerMap::new(model, &settings).map_err(|msg| {
            Error::input(
                Location::file(config.source.clone().unwrap_or_default()),
                format!("{msg} (for {})", file.relative),
            )
        })?;
        let reading = Reading {
            index,
            file,
            model,
            settings: &settings,
            answers: &answer_map,
            presets: &presets,
            limits: &config.limits,
            latest_date,
        };
        if let Some(summary) = reading.read(&mut out) {
            summaries.push(summary);
        }
    }
    Ok(finish(out, summaries, files, model, config))
}

/// Room for the answers before reading: a text file cannot hold more
/// answers than half its bytes (a character and a delimiter each); a
/// workbook may, and the runs then grow, as they do past the cap (a
/// reservation the system would refuse whole) or for files over the size
/// limit, which are not read.
fn room(files: &[SurveyFile], config: &Config) -> usize {
    let cap = config.limits.max_file_mb.saturating_mul(1_000_000);
    files
        .iter()
        .filter_map(|f| std::fs::metadata(&f.path).ok())
        .filter(|m| m.len() <= cap)
        .map(|m| m.len() as usize / 2)
        .sum::<usize>()
        .min(MAX_ROOM)
}

/// One survey file to read, with what reading it needs.
struct Reading<'a> {
    index: usize,
    file: &'a SurveyFile,
    model: &'a Model,
    settings: &'a ReadSettings,
    answers: &'a AnswerMap,
    presets: &'a [Preset],
    limits: &'a crate::config::Limits,
    latest_date: NaiveDate,
}

impl Reading<'_> {
    /// Reads the file into `out`, in steps: the sheet, the tool that wrote
    /// it (and so its header rows), the header's columns, the scale of its
    /// answers, its rows. A problem that makes the file unusable leaves it
    /// out (`None`), with nothing else said of it.
    fn read(&self, out: &mut Collected) -> Option<FileSummary> {
        let rel = self.file.relative.as_str();
        let bytes = read_capped(rel, &self.file.path, self.limits)
            .map_err(|p| out.problems.push(p))
            .ok()?;
        let mut sheet = sheet::read_in_parts(
            &bytes,
            rel,
            self.settings.ingest.sheet.as_deref(),
            self.limits,
            sheet::PART_BYTES,
        )
        .map_err(|p| out.problems.push(p))
        .ok()?;
        drop(bytes);
        let tool = detect::tool(&sheet, self.presets, self.settings, rel)
            .map_err(|p| out.problems.push(p))
            .ok()?;
        let settings = match tool {
            Some(preset) => {
                let rows = detect::header_rows(&sheet, preset);
                sheet.take_header_rows(rows, preset.fill_headers, &preset.response_texts);
                sheet.format = format!("{}, {}", preset.name, sheet.format);
                detect::settings_for(self.settings, preset)
            }
            None => self.settings.clone(),
        };
        // what a later part's failure takes back: everything said of the
        // file after its first part was parsed
        let before = (out.problems.len(), out.runs.len(), out.responses.len());
        if sheet.height() == 0 {
            out.problems.push(Problem::error(
                Kind::Unreadable,
                rel,
                "the file has a header but no rows; expected one row per respondent",
            ));
            return None;
        }
        let plan = layout::plan(
            &sheet,
            rel,
            self.model,
            &settings,
            tool.map(|p| p.name.as_str()),
        )
        .map_err(|ps| out.problems.extend(ps))
        .ok()?;
        if !plan.ignored.is_empty() {
            out.problems.push(Problem::warning(
                Kind::IgnoredColumn,
                rel,
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
        match scale::check(&sheet, &plan, self.answers, self.model, rel) {
            Ok(warning) => out.problems.extend(warning),
            Err(p) => {
                out.problems.push(p);
                return None;
            }
        }
        // room for the file's responses before it is read: the responses of
        // earlier files move once now, not at the peak after its last row
        out.responses.reserve_exact(sheet.rows_at_most());
        let input = FileInput {
            relative: rel,
            index: self.index,
            plan: &plan,
            settings: &settings,
            answers: self.answers,
            matcher: layout::Matcher::new(self.model, &settings),
            model: self.model,
            years: Years {
                column: plan.find(Field::Year),
                date: plan.find(Field::Date),
                fixed: settings.ingest.year,
                fallback: self.file.year_from_name,
            },
            latest_date: self.latest_date,
        };
        let mut reader = FileReader {
            input: &input,
            sheet: &mut sheet,
            out,
        };
        if let Err(p) = reader.read() {
            // a later part of the file could not be read: the file is left
            // out, with that one problem, as if it had been read whole
            out.problems.truncate(before.0);
            out.runs.truncate(before.1);
            out.responses.truncate(before.2);
            out.problems.push(p);
            return None;
        }
        let read = &out.responses[before.2..];
        let mut years: Vec<i32> = read.iter().map(|r| r.year).collect();
        years.sort_unstable();
        years.dedup();
        if input.years.column.is_none() && input.years.fixed.is_none() && years.len() > 1 {
            let counts: Vec<String> = years
                .iter()
                .map(|y| format!("{y} ({})", read.iter().filter(|r| r.year == *y).count()))
                .collect();
            out.problems.push(Problem::warning(
                Kind::SplitYears,
                rel,
                format!(
                    "by their dates the answers fall in {}: they are read as {} surveys; if the file is one survey that ran over the new year, set year = {} under [ingest] (or under [[files]] for this file) in mognad.toml",
                    counts.join(", "),
                    years.len(),
                    years[0]
                ),
            ));
        }
        Some(FileSummary {
            index: self.index,
            relative: rel.to_string(),
            format: sheet.format.clone(),
            tool: tool.map(|p| p.name.clone()),
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
        })
    }
}

/// What is checked across files once every file is read: duplicate
/// respondents, unit names, and the answers' patterns.
fn finish(
    out: Collected,
    mut summaries: Vec<FileSummary>,
    files: &[SurveyFile],
    model: &Model,
    config: &Config,
) -> Ingested {
    let Collected {
        problems,
        runs,
        mut names,
        responses,
    } = out;
    let mut problems = quality::group(problems);
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
    Ingested {
        answers,
        files: summaries,
        problems,
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
