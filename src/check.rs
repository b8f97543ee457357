//! `mognad check`: how every file was read and every problem found, for
//! people (text) and for tools (`data-quality.json`).

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, IoContext, Result};
use crate::ingest::quality::{Kind, Problem, Severity};
use crate::ingest::FileSummary;
use crate::pipeline::Loaded;

#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub files: &'a [FileSummary],
    /// Initiative registers, benchmark, organisations and recipients
    /// files, with what they held.
    pub other_files: Vec<String>,
    pub not_read: Vec<NotRead<'a>>,
    pub errors: usize,
    pub warnings: usize,
    pub problems: &'a [Problem],
}

#[derive(Debug, Serialize)]
pub struct NotRead<'a> {
    pub file: &'a str,
    pub reason: &'a str,
}

/// The statements nobody answered, one line per file and year (a survey
/// mapped to a few of the model's statements leaves many): each problem's
/// message with its statement's code left out tells the groups apart.
fn never_answered_lines(never: &[&Problem]) -> Vec<String> {
    let mut groups: Vec<(String, String, Vec<&str>)> = Vec::new();
    for p in never {
        let code = p.column.as_deref().unwrap_or_default();
        let shape = p.message.replacen(code, "{}", 1);
        match groups
            .iter_mut()
            .find(|(file, s, _)| *file == p.file && *s == shape)
        {
            Some((_, _, codes)) => codes.push(code),
            None => groups.push((p.file.clone(), shape, vec![code])),
        }
    }
    groups
        .into_iter()
        .map(|(file, shape, codes)| match codes.as_slice() {
            [one] => format!("warning: {file}: {}", shape.replacen("{}", one, 1)),
            many => format!(
                "warning: {file}: {} ({} statements; data-quality.json lists each)",
                shape.replacen("statement {}", "statements {}", 1).replacen(
                    "{}",
                    &many.join(", "),
                    1
                ),
                many.len()
            ),
        })
        .collect()
}

impl<'a> Report<'a> {
    pub fn new(loaded: &'a Loaded) -> Self {
        let problems = &loaded.ingested.problems;
        let errors = problems.iter().filter(|p| p.is_error()).count();
        let register = &loaded.register;
        let mut other_files: Vec<String> = register
            .files
            .iter()
            .map(|f| {
                let items: Vec<_> = register
                    .initiatives
                    .iter()
                    .filter(|i| &i.file == f)
                    .collect();
                let mut years: Vec<i32> = items.iter().map(|i| i.year).collect();
                years.sort_unstable();
                years.dedup();
                format!(
                    "{f}: initiative register; {} initiatives; year(s) {}",
                    items.len(),
                    years
                        .iter()
                        .map(i32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect();
        other_files.extend(loaded.benchmarks.files.iter().map(|f| {
            let n = loaded
                .benchmarks
                .rows
                .iter()
                .filter(|r| &r.file == f)
                .count();
            format!("{f}: benchmark file; {n} figures")
        }));
        other_files.extend(loaded.directory.files.iter().map(|f| {
            let n = loaded
                .directory
                .organisations
                .iter()
                .filter(|o| &o.file == f)
                .count();
            format!("{f}: organisations file; {n} organisations")
        }));
        let recipients = &loaded.recipients;
        if !recipients.files.is_empty() {
            // the addresses of every list together: lists are merged
            let addresses: usize = recipients.by_unit.values().map(Vec::len).sum();
            let units = recipients.by_unit.keys().filter(|u| u.is_some()).count();
            let organisation = if recipients.by_unit.contains_key(&None) {
                " and the organisation report"
            } else {
                ""
            };
            other_files.push(format!(
                "{}: distribution list; {addresses} address(es) for {units} unit(s){organisation}",
                recipients.files.join(", ")
            ));
        }
        Report {
            files: &loaded.ingested.files,
            other_files,
            not_read: loaded
                .discovered
                .ignored
                .iter()
                .map(|(file, reason)| NotRead { file, reason })
                .collect(),
            errors,
            warnings: problems.len() - errors,
            problems,
        }
    }

    pub fn errors(&self) -> usize {
        self.errors
    }

    /// The human-readable form.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for f in self.files {
            let _ = writeln!(
                out,
                "{}: {}, {} layout; year(s) {}; {} rows, {} respondents, {} answers",
                f.relative,
                f.format,
                f.layout,
                f.years
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                f.rows,
                f.respondents,
                f.answers
            );
        }
        for o in &self.other_files {
            let _ = writeln!(out, "{o}");
        }
        for n in &self.not_read {
            let _ = writeln!(out, "{}: not read ({})", n.file, n.reason);
        }
        let mut sorted: Vec<&Problem> = self.problems.iter().collect();
        sorted.sort_by_key(|p| p.severity == Severity::Warning);
        let (never, others): (Vec<&Problem>, Vec<&Problem>) = sorted
            .into_iter()
            .partition(|p| p.kind == Kind::NeverAnswered && p.column.is_some());
        for p in others {
            let _ = writeln!(out, "{p}");
        }
        for line in never_answered_lines(&never) {
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(
            out,
            "{} file(s) read: {} error(s), {} warning(s){}",
            self.files.len(),
            self.errors,
            self.warnings,
            if self.errors > 0 {
                "; fix the errors before `mognad run`"
            } else {
                ""
            }
        );
        out
    }

    /// Writes `data-quality.json` and `data-quality.txt` into `dir`.
    pub fn write(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).at(dir)?;
        let mut json = serde_json::to_vec_pretty(self)
            .map_err(|e| Error::internal("writing data-quality.json", e))?;
        json.push(b'\n');
        let path = dir.join("data-quality.json");
        std::fs::write(&path, json).at(&path)?;
        let path = dir.join("data-quality.txt");
        std::fs::write(&path, self.text()).at(&path)
    }
}
