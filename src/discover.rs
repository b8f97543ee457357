//! Discovery: walk the input folder (walkdir, sorted, no symlinks followed)
//! and sort what is there into survey exports, the config and the rest.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::{Config, DiscoveryConfig, CONFIG_FILE_NAME};
use crate::error::{Error, Location, Result};

/// A survey export found under the input folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyFile {
    /// The file's path.
    pub path: PathBuf,
    /// The path relative to the input folder, with `/` separators.
    pub relative: String,
    /// The year taken from the file or folder name, if any.
    pub year_from_name: Option<i32>,
}

/// Every file of the input folder, sorted by what it is.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Survey exports, in path order.
    pub surveys: Vec<SurveyFile>,
    /// Benchmark files: relative name and path.
    pub benchmarks: Vec<(String, PathBuf)>,
    /// Initiative registers: relative name and path.
    pub registers: Vec<(String, PathBuf)>,
    /// Distribution lists: relative name and path.
    pub recipients: Vec<(String, PathBuf)>,
    /// Organisations files: relative name and path.
    pub organisations: Vec<(String, PathBuf)>,
    /// Files left alone, with the reason.
    pub ignored: Vec<(String, &'static str)>,
}

/// Finds survey exports under `input`. Errors when the folder is missing or
/// holds no survey export at all.
pub fn discover(input: &Path, config: &Config) -> Result<Discovered> {
    let found = scan(input, config)?;
    if found.surveys.is_empty() {
        return Err(Error::Usage(format!(
            "no survey exports found in {} (looked for files ending in {}); put the exports there, e.g. {}/2025/enkat.csv",
            input.display(),
            config
                .discovery
                .survey_extensions
                .iter()
                .map(|e| format!(".{e}"))
                .collect::<Vec<_>>()
                .join(", "),
            input.display()
        )));
    }
    Ok(found)
}

/// Every file of the input folder by what it is, survey exports or not
/// (`brief --indices` needs only the register). Errors when the folder is
/// missing or cannot be read.
pub fn scan(input: &Path, config: &Config) -> Result<Discovered> {
    if !input.exists() {
        return Err(Error::Usage(format!(
            "the input folder {} does not exist; put the survey exports there or name another folder with --input",
            input.display()
        )));
    }
    if !input.is_dir() {
        return Err(Error::Usage(format!(
            "{} is not a folder; --input takes the folder that holds the survey exports",
            input.display()
        )));
    }
    let mut found = Discovered::default();
    let root = std::fs::canonicalize(input).map_err(|e| {
        Error::Usage(format!(
            "cannot read the input folder {}: {e}",
            input.display()
        ))
    })?;
    let walker = WalkDir::new(input)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            Error::Usage(format!(
                "cannot read the input folder {}: {e}",
                e.path().unwrap_or(input).display()
            ))
        })?;
        let path = entry.path();
        if entry.file_name().to_str().is_none() {
            return Err(Error::input(
                Location::file(path),
                "the name is not valid UTF-8 (written on another system?); rename it, or move it out of the input folder",
            ));
        }
        if entry.path_is_symlink() {
            match std::fs::canonicalize(path) {
                Err(e) => {
                    return Err(Error::input(
                        Location::file(path),
                        format!("a symbolic link that cannot be followed ({e}): a loop, or its target is gone; remove it"),
                    ))
                }
                Ok(target) if !target.starts_with(&root) => {
                    return Err(Error::input(
                        Location::file(path),
                        format!(
                            "a symbolic link to {}, outside the input folder; mognad reads only what is inside it: copy the file in instead",
                            target.display()
                        ),
                    ))
                }
                // a link to a file inside the folder is read; a link to a
                // folder inside is not followed (it would be read twice)
                Ok(target) if !target.is_file() => continue,
                Ok(_) => {}
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        let relative = relative_name(input, path);
        let name = entry.file_name().to_string_lossy().to_lowercase();
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let d = &config.discovery;
        if entry.depth() == 1 && name == CONFIG_FILE_NAME {
            found.ignored.push((relative, "configuration"));
        } else if let Some(side) = side_table(d, &name) {
            if !has_extension(&d.side_extensions, &ext) {
                found.ignored.push((
                    relative,
                    "named as a side table, but not of a side-table file type",
                ));
                continue;
            }
            let list = match side {
                Side::Recipients => &mut found.recipients,
                Side::Benchmark => &mut found.benchmarks,
                Side::Register => &mut found.registers,
                Side::Organisations => &mut found.organisations,
            };
            list.push((relative, path.to_path_buf()));
        } else if !has_extension(&d.survey_extensions, &ext) {
            found.ignored.push((relative, "not a survey file type"));
        } else if d
            .skip_prefixes
            .iter()
            .any(|p| name.starts_with(&p.to_lowercase()))
        {
            found.ignored.push((relative, "named as a non-survey file"));
        } else {
            let year_from_name = year_from_path(Path::new(&relative));
            found.surveys.push(SurveyFile {
                path: path.to_path_buf(),
                relative,
                year_from_name,
            });
        }
    }
    Ok(found)
}

/// The side tables discovery tells apart by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Recipients,
    Benchmark,
    Register,
    Organisations,
}

/// Which side table a (lower-case) file name names, by `[discovery]`.
fn side_table(d: &DiscoveryConfig, name: &str) -> Option<Side> {
    let starts = |prefixes: &[String]| prefixes.iter().any(|p| name.starts_with(&p.to_lowercase()));
    if starts(&d.recipients) {
        Some(Side::Recipients)
    } else if starts(&d.benchmarks) {
        Some(Side::Benchmark)
    } else if starts(&d.registers) {
        Some(Side::Register)
    } else if starts(&d.organisations) {
        Some(Side::Organisations)
    } else {
        None
    }
}

fn has_extension(list: &[String], ext: &str) -> bool {
    list.iter().any(|e| e.eq_ignore_ascii_case(ext))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn relative_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The survey year named by a path: the file name first, then the folders
/// from the nearest outwards. A year is four digits from 1990 to 2100 that
/// do not stand inside a longer run of digits.
pub fn year_from_path(path: &Path) -> Option<i32> {
    let mut parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(file) = parts.pop() {
        let stem = Path::new(&file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(file);
        parts.push(stem);
    }
    parts.iter().rev().find_map(|p| year_in(p))
}

/// The survey years mognad accepts anywhere a year is read (file names,
/// year columns, benchmark and register rows).
pub const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

pub(crate) fn year_in(text: &str) -> Option<i32> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                let year: i32 = text[start..i].parse().ok()?;
                if YEARS.contains(&year) {
                    return Some(year);
                }
            }
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_from_file_name_then_folders() {
        assert_eq!(year_from_path(Path::new("2025/enkat.csv")), Some(2025));
        assert_eq!(year_from_path(Path::new("enkat-2024.csv")), Some(2024));
        assert_eq!(year_from_path(Path::new("2023/enkat-2024.csv")), Some(2024));
        assert_eq!(year_from_path(Path::new("a/b/enkat.csv")), None);
        assert_eq!(year_from_path(Path::new("export_20250131.csv")), None);
        assert_eq!(year_from_path(Path::new("v1234/enkat.csv")), None);
        assert_eq!(
            year_from_path(Path::new("mätning 2022/svar.csv")),
            Some(2022)
        );
    }
}
