//! Errors that tell a user what to fix.
//!
//! Every error that stems from user data names the file and, where there is
//! one, the row (1-based, counting the header as row 1) and the column.

use std::fmt;
use std::path::{Path, PathBuf};

/// Exit codes, documented in the README.
pub mod exit {
    /// Everything written.
    pub const OK: i32 = 0;
    /// Input was read, but some reports failed to render.
    pub const SOME_FAILED: i32 = 1;
    /// Bad input, configuration, model or command line: nothing was written.
    pub const INPUT: i32 = 2;
    /// The output could not be written (disk, permissions, lock).
    pub const OUTPUT: i32 = 3;
}

/// Where in a file a problem is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub row: Option<usize>,
    pub column: Option<String>,
}

impl Location {
    pub fn file(file: impl AsRef<Path>) -> Self {
        Self {
            file: file.as_ref().to_path_buf(),
            ..Self::default()
        }
    }

    pub fn row(mut self, row: usize) -> Self {
        self.row = Some(row);
        self
    }

    pub fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column \"{column}\"")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input data, configuration or model file.
    #[error("{at}: {message}")]
    Input { at: Location, message: String },
    /// A wrong command line or a missing folder.
    #[error("{0}")]
    Usage(String),
    /// A report template failed to compile.
    #[error("{0}")]
    Render(String),
    /// Writing the output failed.
    #[error("{path}: {message}")]
    Output { path: PathBuf, message: String },
}

impl Error {
    pub fn input(at: Location, message: impl Into<String>) -> Self {
        Error::Input {
            at,
            message: message.into(),
        }
    }

    pub fn output(path: impl AsRef<Path>, err: impl fmt::Display) -> Self {
        Error::Output {
            path: path.as_ref().to_path_buf(),
            message: err.to_string(),
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input { .. } | Error::Usage(_) => exit::INPUT,
            Error::Render(_) => exit::SOME_FAILED,
            Error::Output { .. } => exit::OUTPUT,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
