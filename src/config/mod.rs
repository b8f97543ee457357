//! The run configuration (`mognad.toml`): organisation, report options,
//! column mapping and discovery rules. The built-in defaults live in
//! `src/defaults/mognad.toml`; a user file only names what it changes and is
//! merged over them key by key.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};
use crate::model::one_line;

mod load;

pub const DEFAULT_CONFIG: &str = include_str!("../defaults/mognad.toml");
/// The config file discovery looks for at the top of the input folder.
pub const CONFIG_FILE_NAME: &str = "mognad.toml";

/// One column name or a list of names to try.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Names {
    One(String),
    Many(Vec<String>),
}

impl Default for Names {
    fn default() -> Self {
        Names::Many(Vec::new())
    }
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
    pub sections: SectionsConfig,
}

/// Which sections each kind of report holds, in order (by name; see the
/// built-in defaults for the names).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionsConfig {
    pub organisation: Vec<String>,
    pub unit: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnsConfig {
    pub organisation: Names,
    pub respondent: Names,
    pub unit: Names,
    pub role: Names,
    pub year: Names,
    pub date: Names,
    pub submitted: Names,
    pub finished: Names,
    pub statement: Names,
    pub value: Names,
    pub ignore: Vec<String>,
    pub metadata: Vec<String>,
}

impl ColumnsConfig {
    /// Whether a header is to be skipped without a word.
    pub fn skipped(&self, header: &str) -> bool {
        let h = header.trim();
        self.ignore
            .iter()
            .chain(&self.metadata)
            .any(|n| n.trim().eq_ignore_ascii_case(h))
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementsConfig {
    /// Exact header -> statement code.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Header templates with `{code}`.
    #[serde(default)]
    pub patterns: Vec<String>,
}

/// What an answer label or code stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnswerTarget {
    Value(f64),
    /// Must be a don't-know word ("vet ej", "dont_know", ...).
    Code(String),
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitsConfig {
    #[serde(default)]
    pub list: Vec<String>,
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
}

/// The initiative register: which files, columns and labels.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterConfig {
    pub axis_min: f64,
    pub axis_max: f64,
    pub axis_labels: BTreeMap<String, f64>,
    pub status: BTreeMap<String, String>,
    pub columns: RegisterColumns,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterColumns {
    pub id: Names,
    pub name: Names,
    pub unit: Names,
    pub status: Names,
    pub start: Names,
    pub end: Names,
    pub budget: Names,
    pub statements: Names,
    pub year: Names,
    pub efficiency_innovation: Names,
    pub operational_strategic: Names,
    pub internal_external: Names,
}

/// Logo and accent colour.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandingConfig {
    pub logo: Option<PathBuf>,
    pub accent: String,
}

/// Which roles count as leadership.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolesConfig {
    pub leadership: Names,
}

/// Which benchmark population to compare with.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchmarkConfig {
    pub population: Option<String>,
    /// Display names of populations per language code, e.g. `alla = { sv =
    /// "alla organisationer", en = "all organisations" }`.
    #[serde(default)]
    pub names: BTreeMap<String, crate::model::Localized>,
}

impl BenchmarkConfig {
    /// How a population is named in a report's language: its display name,
    /// else its name in the benchmark file.
    pub fn display_name(&self, population: &str, lang: &str) -> String {
        match self.names.get(population) {
            Some(names) if !names.is_empty() => names.get(lang).to_string(),
            _ => population.to_string(),
        }
    }
}

/// People invited to answer, for the finite population correction.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationConfig {
    pub total: Option<usize>,
    #[serde(default)]
    pub units: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Incomplete {
    Skip,
    Keep,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    Auto,
    Wide,
    Long,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestConfig {
    pub sheet: Option<String>,
    pub incomplete: Incomplete,
    pub layout: Layout,
    /// The survey year of the file(s), when neither names nor columns say.
    pub year: Option<i32>,
}

/// The settings that read one file: the config's, with the `[[files]]`
/// entries that match the file merged over them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadSettings {
    pub columns: ColumnsConfig,
    #[serde(default)]
    pub statements: StatementsConfig,
    #[serde(default)]
    pub answers: BTreeMap<String, AnswerTarget>,
    pub ingest: IngestConfig,
}

/// The words that, as an answer target, mean "don't know".
pub fn is_dont_know_word(s: &str) -> bool {
    matches!(
        s.trim().to_lowercase().as_str(),
        "vet ej" | "vet inte" | "dont_know" | "don't know" | "dont know" | "dk"
    )
}

/// Caps on what one input file may hold, so that no input can make a run
/// use unbounded memory.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest input file, in MB (10^6 bytes).
    pub max_file_mb: u64,
    /// Largest total an Excel workbook may unpack to, in MB.
    pub max_unpacked_mb: u64,
    /// Most data rows in one file or sheet.
    pub max_rows: usize,
    /// Most columns in one file or sheet.
    pub max_columns: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_mb: 512,
            max_unpacked_mb: 2048,
            max_rows: 2_000_000,
            max_columns: 2_000,
        }
    }
}

/// How `mognad send` reaches the mail server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailSecurity {
    Starttls,
    Tls,
    None,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    pub from: String,
    pub reply_to: String,
    pub host: String,
    pub port: u16,
    pub security: MailSecurity,
    pub user: String,
    pub password_env: String,
    pub per_minute: f64,
    pub timeout_seconds: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscoveryConfig {
    /// File endings read as survey exports.
    pub survey_extensions: Vec<String>,
    /// File endings read as side tables (benchmarks, registers, recipients).
    pub side_extensions: Vec<String>,
    /// Name starts of benchmark files.
    pub benchmarks: Vec<String>,
    /// Name starts of initiative registers.
    pub registers: Vec<String>,
    /// Name starts of distribution lists.
    pub recipients: Vec<String>,
    /// Name starts of other files that are not survey exports.
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
    #[serde(default)]
    pub statements: StatementsConfig,
    #[serde(default)]
    pub answers: BTreeMap<String, AnswerTarget>,
    #[serde(default)]
    pub units: UnitsConfig,
    #[serde(default)]
    pub population: PopulationConfig,
    #[serde(default)]
    pub benchmark: BenchmarkConfig,
    pub roles: RolesConfig,
    pub register: RegisterConfig,
    pub branding: BrandingConfig,
    pub ingest: IngestConfig,
    pub discovery: DiscoveryConfig,
    pub mail: MailConfig,
    pub limits: Limits,
    /// Per-file settings: `glob` plus `columns`/`statements`/`answers`/`ingest`.
    #[serde(default)]
    pub files: Vec<toml::Table>,
    /// The merged TOML, for per-file settings.
    #[serde(skip)]
    raw: toml::Table,
    /// The folder the config file was read from (relative paths start here).
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// The file the config was read from, if any.
    #[serde(skip)]
    pub source: Option<PathBuf>,
}
