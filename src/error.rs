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
    /// A bug in mognad: never the user's input.
    pub const INTERNAL: i32 = 4;
}

/// Where in a file a problem is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: PathBuf,
    /// The row, 1-based with the header as row 1.
    pub row: Option<usize>,
    /// The column's header.
    pub column: Option<String>,
}

impl Location {
    /// A whole file.
    pub fn file(file: impl AsRef<Path>) -> Self {
        Self {
            file: file.as_ref().to_path_buf(),
            ..Self::default()
        }
    }

    /// The same place narrowed to a row.
    pub fn row(mut self, row: usize) -> Self {
        self.row = Some(row);
        self
    }

    /// The same place narrowed to a column.
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

/// What went wrong, and (through [`Error::exit_code`]) whose fault it was.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input data, configuration or model file.
    #[error("{at}: {message}")]
    Input {
        /// Where.
        at: Location,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A wrong command line or a missing folder.
    #[error("{0}")]
    Usage(String),
    /// A report template failed to compile.
    #[error("{0}")]
    Render(String),
    /// Writing the output failed.
    #[error("{path}: {message}")]
    Output {
        /// The file or folder.
        path: PathBuf,
        /// The system's reason.
        message: String,
        /// The file system's error, kept for its kind and chain.
        #[source]
        source: Option<std::io::Error>,
    },
    /// The mail server failed or refused (`mognad send`): a partial
    /// failure, run the same command again to send the rest.
    #[error("{0}")]
    Mail(String),
    /// A bug in mognad (an internal invariant broke, a library failed on
    /// data mognad built itself): never blamed on the input.
    #[error("internal error: {0}. This is a bug in mognad, not a problem with your input; please report it with the command you ran and mognad's version")]
    Internal(String),
}

impl Error {
    /// Bad input at a place in a file.
    pub fn input(at: Location, message: impl Into<String>) -> Self {
        Error::Input {
            at,
            message: message.into(),
        }
    }

    /// Writing `path` failed, for a reason that is not the file system's
    /// (a lock held, an encoder's error); file-system errors go through
    /// [`IoContext::at`], which keeps them as the source.
    pub fn output(path: impl AsRef<Path>, err: impl fmt::Display) -> Self {
        Error::Output {
            path: path.as_ref().to_path_buf(),
            message: err.to_string(),
            source: None,
        }
    }

    /// An internal error from anything displayable, with what was being
    /// done: `Error::internal("building the answers table", e)`.
    pub fn internal(doing: &str, err: impl fmt::Display) -> Self {
        Error::Internal(format!("{doing}: {err}"))
    }

    /// The exit code: whose fault it was (see [`exit`]).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input { .. } | Error::Usage(_) => exit::INPUT,
            Error::Render(_) | Error::Mail(_) => exit::SOME_FAILED,
            Error::Output { .. } => exit::OUTPUT,
            Error::Internal(_) => exit::INTERNAL,
        }
    }
}

/// mognad's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The one way a file-system error becomes mognad's: `.at(path)` names the
/// file or folder and keeps the system's error as the source.
pub trait IoContext<T> {
    /// The error, if any, as an output error at `path`.
    fn at(self, path: impl AsRef<Path>) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn at(self, path: impl AsRef<Path>) -> Result<T> {
        self.map_err(|e| Error::Output {
            path: path.as_ref().to_path_buf(),
            message: e.to_string(),
            source: Some(e),
        })
    }
}
