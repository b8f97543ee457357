//! Data quality: every problem found while reading, with file, row and
//! column. Errors stop a run (exit code 2); warnings are reported and the
//! run goes on.

use serde::Serialize;

use crate::error::{Error, Location};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The run stops (exit 2).
    Error,
    /// Reported; the run goes on.
    Warning,
}

/// What kind of problem, as a stable code for tools reading
/// `data-quality.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The file cannot be read at all (empty, binary, broken workbook ...).
    Unreadable,
    /// No column could be matched to the model's statements.
    NoStatementColumns,
    /// A header that looks like a statement code the model does not have.
    UnknownStatement,
    /// Two columns hold the same thing.
    DuplicateColumn,
    /// An answer that is neither on the scale nor a known label or code.
    UnknownAnswer,
    /// A number outside the scale, or not a whole step.
    OutOfRange,
    /// Answer labels of a scale with another number of points than the
    /// model's.
    OtherScale,
    /// Numeric answers that use only part of the scale.
    PartOfScale,
    /// No survey year for a row.
    NoYear,
    /// One file's answers fall in several years by their dates.
    SplitYears,
    /// A respondent id that occurs more than once in a year.
    DuplicateRespondent,
    /// A respondent who gave the same answer to every statement.
    StraightLining,
    /// A row without any answer.
    EmptyRow,
    /// An incomplete response, left out.
    Incomplete,
    /// A unit not in the configured unit list.
    UnknownUnit,
    /// Units whose names differ only in letter case, counted as one.
    UnitSpelling,
    /// A name with characters that turn the direction of text (bidi
    /// controls), which could make it read as another name.
    DirectionControl,
    /// An organisation the answers or the organisations file do not know.
    UnknownOrganisation,
    /// A statement nobody answered in a year.
    NeverAnswered,
    /// A column that was not used.
    IgnoredColumn,
    /// An initiative id that occurs twice in a year.
    DuplicateId,
    /// A required value that is empty (initiative axis, name ...).
    MissingValue,
    /// An initiative that ends before it starts.
    DatesReversed,
    /// A negative budget.
    NegativeBudget,
    /// A status that is not mapped to completed / ongoing / planned.
    UnknownStatus,
}

/// One data problem, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem, for machines.
    pub kind: Kind,
    /// The file, relative to the input folder.
    pub file: String,
    /// The row, 1-based with the header as row 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// The column's header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
    /// How many cases the problem stands for (e.g. incomplete responses).
    pub count: usize,
}

impl Problem {
    /// An error in a file.
    pub fn error(kind: Kind, file: &str, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            kind,
            file: file.to_string(),
            row: None,
            column: None,
            message: message.into(),
            count: 1,
        }
    }

    /// A warning about a file.
    pub fn warning(kind: Kind, file: &str, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(kind, file, message)
        }
    }

    /// The same problem at a row.
    pub fn row(mut self, row: usize) -> Self {
        self.row = Some(row);
        self
    }

    /// The same problem standing for `count` cases.
    pub fn count(mut self, count: usize) -> Self {
        self.count = count;
        self
    }

    /// The same problem at a column.
    pub fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    /// Where the problem is, for an error message.
    pub fn location(&self) -> Location {
        Location {
            file: self.file.clone().into(),
            row: self.row,
            column: self.column.clone(),
        }
    }

    /// Whether it stops the run.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}: {}: {}", self.location(), self.message)
    }
}

/// How many places a grouped problem names.
const PLACES_NAMED: usize = 3;

/// Identical problems (the same message of the same kind in the same file,
/// at other rows or columns) as one: the count, and the first places. The
/// first one's place is the group's, where the first occurred.
pub fn group(problems: Vec<Problem>) -> Vec<Problem> {
    type Key = (Severity, Kind, String, String);
    let key = |p: &Problem| (p.severity, p.kind, p.file.clone(), p.message.clone());
    let mut groups: std::collections::HashMap<Key, Vec<usize>> = Default::default();
    for (i, p) in problems.iter().enumerate() {
        groups.entry(key(p)).or_default().push(i);
    }
    let mut out = Vec::with_capacity(problems.len());
    for (i, p) in problems.iter().enumerate() {
        let members = &groups[&key(p)];
        if members[0] != i {
            continue;
        }
        if members.len() == 1 {
            out.push(p.clone());
            continue;
        }
        let places: Vec<String> = members
            .iter()
            .take(PLACES_NAMED)
            .map(|&m| {
                let l = &problems[m];
                match (l.row, &l.column) {
                    (Some(r), Some(c)) => format!("row {r}, column \"{c}\""),
                    (Some(r), None) => format!("row {r}"),
                    (None, Some(c)) => format!("column \"{c}\""),
                    (None, None) => "the file".into(),
                }
            })
            .collect();
        let count: usize = members.iter().map(|&m| problems[m].count).sum();
        let mut first = p.clone();
        first.message = format!(
            "{} ({count} times; first at {}{})",
            p.message,
            places.join("; "),
            if members.len() > PLACES_NAMED {
                "; …"
            } else {
                ""
            }
        );
        first.count = count;
        out.push(first);
    }
    out
}

/// The first error as the run's error, with how many more there are.
pub fn first_error(problems: &[Problem]) -> Option<Error> {
    let mut errors = problems.iter().filter(|p| p.is_error());
    let first = errors.next()?;
    let more = errors.count();
    let message = if more > 0 {
        format!(
            "{} (and {more} more error(s); `mognad check` lists them all)",
            first.message
        )
    } else {
        first.message.clone()
    };
    Some(Error::input(first.location(), message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_problems_are_one_with_the_count_and_first_places() {
        let bad = |row, col: &str| {
            Problem::error(Kind::UnknownAnswer, "a.csv", "\"Neutral\" is not an answer")
                .row(row)
                .column(col)
        };
        let other = Problem::warning(Kind::EmptyRow, "a.csv", "no answers").row(3);
        let grouped = group(vec![
            bad(2, "Q1"),
            other.clone(),
            bad(2, "Q2"),
            bad(4, "Q1"),
            bad(5, "Q1"),
            Problem::error(Kind::UnknownAnswer, "b.csv", "\"Neutral\" is not an answer").row(2),
        ]);
        assert_eq!(grouped.len(), 3);
        assert_eq!(grouped[0].count, 4);
        assert_eq!(grouped[0].row, Some(2));
        assert_eq!(
            grouped[0].message,
            "\"Neutral\" is not an answer (4 times; first at row 2, column \"Q1\"; row 2, column \"Q2\"; row 4, column \"Q1\"; …)"
        );
        assert_eq!(grouped[1], other);
        assert_eq!(grouped[2].file, "b.csv");
        assert_eq!(grouped[2].count, 1);
    }
}
