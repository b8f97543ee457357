//! One survey file read, in steps: its bytes, the sheet, the tool that
//! wrote it (and so its header rows), the header's columns, the scale of its
//! answers, its rows and its years.

use chrono::NaiveDate;

use super::answers::AnswerMap;
use super::layout::{self, Field};
use super::quality::{Kind, Problem};
use super::rows::{Collected, FileInput, FileReader};
use super::sheet::{self, Sheet};
use super::years::Years;
use super::{detect, read_capped, scale, FileSummary, Response};
use crate::config::{Preset, ReadSettings};
use crate::discover::SurveyFile;
use crate::model::Model;

/// One survey file to read, with what reading it needs.
pub(super) struct Reading<'a> {
    pub index: usize,
    pub file: &'a SurveyFile,
    pub model: &'a Model,
    pub settings: &'a ReadSettings,
    pub answers: &'a AnswerMap,
    pub presets: &'a [Preset],
    pub limits: &'a crate::config::Limits,
    pub latest_date: NaiveDate,
}

impl Reading<'_> {
    /// The file's path relative to the input folder.
    pub(super) fn relative(&self) -> &str {
        self.file.relative.as_str()
    }

    /// Reads the file into `out`, in steps: the sheet, the tool that wrote
    /// it (and so its header rows), the header's columns, the scale of its
    /// answers, its rows. A problem that makes the file unusable leaves it
    /// out (`None`), with nothing else said of it.
    pub(super) fn read(&self, out: &mut Collected) -> Option<FileSummary> {
        let rel = self.relative();
        let (mut sheet, tool) = self.sheet().map_err(|p| out.problems.push(p)).ok()?;
        let settings = match tool {
            Some(preset) => detect::settings_for(self.settings, preset),
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
        out.problems.extend(not_used(&plan.ignored, rel));
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
            reading: self,
            plan: &plan,
            settings: &settings,
            matcher: layout::Matcher::new(self.model, &settings),
            years: Years {
                column: plan.find(Field::Year),
                date: plan.find(Field::Date),
                fixed: settings.ingest.year,
                fallback: self.file.year_from_name,
            },
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
        if input.years.column.is_none() && input.years.fixed.is_none() {
            out.problems.extend(split_years(&years, read, rel));
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
            scale: self.answers.rescaled().then(|| {
                let (low, high) = self.answers.scale();
                [low, high]
            }),
            latest_date: read
                .iter()
                .filter_map(|r| r.submitted)
                .max()
                .map(|d| d.date()),
        })
    }
}

impl Reading<'_> {
    /// The file's sheet, its header rows taken by the tool that wrote it.
    fn sheet(&self) -> Result<(Sheet, Option<&Preset>), Problem> {
        let rel = self.relative();
        let bytes = read_capped(rel, &self.file.path, self.limits)?;
        let mut sheet = sheet::read_in_parts(
            &bytes,
            rel,
            self.settings.ingest.sheet.as_deref(),
            self.limits,
            sheet::PART_BYTES,
        )?;
        drop(bytes);
        let tool = detect::tool(&sheet, self.presets, self.settings, rel)?;
        if let Some(preset) = tool {
            let rows = detect::header_rows(&sheet, preset);
            sheet.take_header_rows(rows, preset.fill_headers, &preset.response_texts);
            sheet.format = format!("{}, {}", preset.name, sheet.format);
        }
        Ok((sheet, tool))
    }
}

/// The warning naming the columns not used, if any.
fn not_used(ignored: &[String], relative: &str) -> Option<Problem> {
    (!ignored.is_empty()).then(|| {
        let names: Vec<String> = ignored.iter().map(|h| format!("\"{h}\"")).collect();
        Problem::warning(
            Kind::IgnoredColumn,
            relative,
            format!("column(s) not used: {}", names.join(", ")),
        )
    })
}

/// The warning of a file whose answers fall in several years by their
/// dates: perhaps one survey that ran over the new year.
fn split_years(years: &[i32], read: &[Response], relative: &str) -> Option<Problem> {
    if years.len() < 2 {
        return None;
    }
    let counts: Vec<String> = years
        .iter()
        .map(|y| format!("{y} ({})", read.iter().filter(|r| r.year == *y).count()))
        .collect();
    Some(Problem::warning(
        Kind::SplitYears,
        relative,
        format!(
            "by their dates the answers fall in {}: they are read as {} surveys; if the file is one survey that ran over the new year, set year = {} under [ingest] (or under [[files]] for this file) in mognad.toml",
            counts.join(", "),
            years.len(),
            years[0]
        ),
    ))
}
