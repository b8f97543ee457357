//! The run configuration (`mognad.toml`): organisation, report options,
//! column mapping and discovery rules. The built-in defaults live in
//! `src/defaults/mognad.toml`; a user file only names what it changes and is
//! merged over them key by key.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};
use crate::model::one_line;

pub const DEFAULT_CONFIG: &str = include_str!("defaults/mognad.toml");
/// The config file discovery looks for at the top of the input folder.
pub const CONFIG_FILE_NAME: &str = "mognad.toml";

/// One column name or a list of names to try.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Names {
    One(String),
    Many(Vec<String>),
}

impl Names {
    pub fn as_slice(&self) -> &[String] {
        match self {
            Names::One(one) => std::slice::from_ref(one),
            Names::Many(many) => many,
        }
    }

    /// Whether `header` is one of the names (trimmed, case-insensitive).
    pub fn matches(&self, header: &str) -> bool {
        let header = header.trim().to_lowercase();
        self.as_slice()
            .iter()
            .any(|n| n.trim().to_lowercase() == header)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationConfig {
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    pub language: String,
    pub date: Option<NaiveDate>,
    pub anonymity_threshold: usize,
    pub templates: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnsConfig {
    pub respondent: Names,
    pub unit: Names,
    pub role: Names,
    pub year: Names,
    pub date: Names,
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscoveryConfig {
    pub survey_extensions: Vec<String>,
    pub skip_prefixes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub organisation: OrganisationConfig,
    /// A model file (relative to the config file) instead of the built-in.
    pub model: Option<PathBuf>,
    pub report: ReportConfig,
    pub columns: ColumnsConfig,
    pub discovery: DiscoveryConfig,
    /// The folder the config file was read from (relative paths start here).
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// The file the config was read from, if any.
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

impl Config {
    /// The built-in defaults alone.
    pub fn builtin() -> Self {
        Self::from_layers(None, Path::new("."), None).expect("built-in config is valid")
    }

    /// Loads the config: `explicit` if given, else `mognad.toml` at the top of
    /// `input_dir` if present, else the defaults.
    pub fn load(explicit: Option<&Path>, input_dir: &Path) -> Result<Self> {
        let path = match explicit {
            Some(p) => {
                if !p.is_file() {
                    return Err(Error::Usage(format!(
                        "the config file {} does not exist",
                        p.display()
                    )));
                }
                Some(p.to_path_buf())
            }
            None => Some(input_dir.join(CONFIG_FILE_NAME)).filter(|p| p.is_file()),
        };
        match path {
            None => Self::from_layers(None, input_dir, None),
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    Error::input(Location::file(&path), format!("cannot read: {e}"))
                })?;
                let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
                Self::from_layers(Some(&text), &base, Some(&path))
            }
        }
    }

    fn from_layers(user: Option<&str>, base_dir: &Path, source: Option<&Path>) -> Result<Self> {
        let origin = source.unwrap_or(Path::new("<built-in config>"));
        let parse = |text: &str| -> Result<toml::Table> {
            text.parse::<toml::Table>().map_err(|e| {
                Error::input(
                    Location::file(origin),
                    format!("not valid TOML: {}", one_line(e.message())),
                )
            })
        };
        let mut merged = parse(DEFAULT_CONFIG)?;
        if let Some(user) = user {
            merge(&mut merged, parse(user)?);
        }
        let mut config: Config =
            toml::Value::Table(merged)
                .try_into()
                .map_err(|e: toml::de::Error| {
                    Error::input(Location::file(origin), one_line(e.message()))
                })?;
        config.base_dir = base_dir.to_path_buf();
        config.source = source.map(Path::to_path_buf);
        if config.report.anonymity_threshold == 0 {
            return Err(Error::input(
                Location::file(origin),
                "report.anonymity_threshold must be at least 1",
            ));
        }
        if !matches!(config.report.language.as_str(), "sv" | "en") {
            return Err(Error::input(
                Location::file(origin),
                format!(
                    "report.language is \"{}\"; expected \"sv\" or \"en\"",
                    config.report.language
                ),
            ));
        }
        Ok(config)
    }

    /// A path from the config, resolved against the config file's folder.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.base_dir.join(path)
        }
    }
}

/// Deep merge: tables merge key by key, anything else replaces.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse() {
        let c = Config::builtin();
        assert_eq!(c.report.anonymity_threshold, 5);
        assert_eq!(c.report.language, "sv");
        assert!(c.columns.unit.matches("Enhet"));
        assert!(c.columns.respondent.matches(" ID "));
    }

    #[test]
    fn user_keys_override_only_what_they_name() {
        let c = Config::from_layers(
            Some("[organisation]\nname = \"X kommun\"\n[columns]\nunit = \"Förvaltning/bolag\"\n[report]\nanonymity_threshold = 7"),
            Path::new("."),
            None,
        )
        .unwrap();
        assert_eq!(c.organisation.name, "X kommun");
        assert_eq!(c.report.anonymity_threshold, 7);
        assert_eq!(c.report.language, "sv");
        assert!(c.columns.unit.matches("förvaltning/BOLAG"));
        assert!(!c.columns.unit.matches("enhet"));
        assert!(c.columns.role.matches("roll"));
    }

    #[test]
    fn unknown_keys_are_rejected_with_the_key_named() {
        let err = Config::from_layers(
            Some("[report]\nlanguag = \"en\""),
            Path::new("."),
            Some(Path::new("in/mognad.toml")),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("in/mognad.toml") && err.contains("languag"),
            "{err}"
        );
    }
}
