//! Side tables: the small files beside the survey exports (benchmark
//! figures, initiative registers, the distribution list). One reader serves
//! them all: the file is read within the limits, its columns are found by
//! name, cells come back tidied, and every problem names the file, the row
//! and the column.

use std::path::Path;

use super::quality::{Kind, Problem};
use super::sheet::Sheet;
use crate::config::Names;

/// A side table read into text cells.
pub struct SideTable {
    relative: String,
    sheet: Sheet,
}

impl SideTable {
    /// Reads `path` (named `relative` in messages) within the built-in
    /// limits; a file that cannot be read is the problem to report.
    pub fn read(relative: &str, path: &Path) -> Result<SideTable, Problem> {
        Ok(SideTable {
            relative: relative.to_string(),
            sheet: super::read_file_sheet(relative, path)?,
        })
    }

    /// Reads every side file of a kind, in order, and hands each table
    /// that could be read to `f`; a file that could not be read is a
    /// problem in its place among the others.
    pub fn each(
        files: &[(String, std::path::PathBuf)],
        problems: &mut Vec<Problem>,
        mut f: impl FnMut(&SideTable, &mut Vec<Problem>),
    ) {
        for (relative, path) in files {
            match SideTable::read(relative, path) {
                Ok(table) => f(&table, problems),
                Err(p) => problems.push(p),
            }
        }
    }

    /// The file's name, relative to the input folder.
    pub fn relative(&self) -> &str {
        &self.relative
    }

    /// The first column whose header is one of `names` (any case).
    pub fn find(&self, names: &Names) -> Option<usize> {
        self.sheet.headers.iter().position(|h| names.matches(h))
    }

    /// The data rows, by index (see [`SideTable::row`] for file rows).
    pub fn rows(&self) -> std::ops::Range<usize> {
        0..self.sheet.height()
    }

    /// The file row of data row `r` (the header is row 1).
    pub fn row(&self, r: usize) -> usize {
        self.sheet.first_row() + r
    }

    /// The cell of data row `r` in column `c`, runs of white space made one
    /// space; empty when the column is absent.
    pub fn cell(&self, r: usize, c: Option<usize>) -> String {
        c.and_then(|c| self.sheet.column(c).get(r))
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Whether every cell of data row `r` is empty.
    pub fn is_blank(&self, r: usize) -> bool {
        self.sheet.is_blank(r)
    }

    /// The number of columns.
    pub fn width(&self) -> usize {
        self.sheet.headers.len()
    }

    /// The header of column `c`, trimmed.
    pub fn header(&self, c: usize) -> &str {
        self.sheet.headers[c].trim()
    }

    /// An error at data row `r`, in column `c` where there is one.
    pub fn error(&self, kind: Kind, r: usize, c: Option<usize>, msg: String) -> Problem {
        self.at(Problem::error(kind, &self.relative, msg), r, c)
    }

    /// A warning at data row `r`, in column `c` where there is one.
    pub fn warning(&self, kind: Kind, r: usize, c: Option<usize>, msg: String) -> Problem {
        self.at(Problem::warning(kind, &self.relative, msg), r, c)
    }

    /// A file-level error about its columns (at the header row).
    pub fn columns_error(&self, msg: impl Into<String>) -> Problem {
        Problem::error(Kind::Unreadable, &self.relative, msg).row(1)
    }

    /// A file-level warning about its columns (at the header row).
    pub fn columns_warning(&self, msg: impl Into<String>) -> Problem {
        Problem::warning(Kind::IgnoredColumn, &self.relative, msg).row(1)
    }

    fn at(&self, p: Problem, r: usize, c: Option<usize>) -> Problem {
        let p = p.row(self.row(r));
        match c {
            Some(c) => p.column(self.header(c)),
            None => p,
        }
    }
}
