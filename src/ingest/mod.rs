//! Ingest: read every discovered survey export into one compact table of
//! answers ([`Answers`]): each respondent's year, organisation, unit (aliases
//! resolved) and role, and its answers as (statement, scale value or
//! don't-know). Unanswered cells are not kept. Every problem found on the
//! way is collected with file, row and column ([`quality`]).

mod across;
mod answers;
mod delimited;
mod detect;
mod file;
mod layout;
pub mod quality;
mod rows;
mod scale;
mod sheet;
pub mod side;
mod table;
mod text;
mod years;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::config::{builtin_presets, Config, Preset};
use crate::discover::SurveyFile;
use crate::error::{Error, Location, Result};
use crate::model::Model;
use across::finish;
use answers::{Answer, AnswerMap};
use file::Reading;
use quality::{Kind, Problem};
use rows::Collected;
use sheet::Sheet;
pub use sheet::{read as read_sheet, Sheet as TextSheet, Source};
pub use table::Answers;
#[cfg(test)]
pub(crate) use table::AnswersForTest;
use table::Runs;

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
    /// The survey's own scale, lowest and highest, when it was mapped onto
    /// the model's (`[ingest] scale`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<[f64; 2]>,
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
