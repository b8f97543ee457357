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
mod peers;
mod presets;

pub use peers::{OpenDataConfig, OverviewConfig, PeersColumns, PeersConfig};
pub use presets::{builtin as builtin_presets, Preset, BUILTIN_PRESETS};

/// The built-in defaults, comments included (what `mognad init` writes).
pub const DEFAULT_CONFIG: &str = include_str!("../defaults/mognad.toml");
/// The config file discovery looks for at the top of the input folder.
pub const CONFIG_FILE_NAME: &str = "mognad.toml";

/// One column name or a list of names to try.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Names {
    /// One name.
    One(String),
    /// Names to try, in order.
    Many(Vec<String>),
}

impl Default for Names {
    fn default() -> Self {
        Names::Many(Vec::new())
    }
}

impl Names {
    /// The names, one or many.
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

/// `[organisation]`: who the reports are for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrganisationConfig {
    /// The organisation's name as it appears on the reports.
    pub name: String,
}

/// `[report]`: language, date, anonymity and the sections of each report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportConfig {
    /// Report language: "sv" (default) or "en".
    pub language: String,
    /// The date printed on the reports (YYYY-MM-DD). When absent: the latest
    /// submit date in the data, else 31 December of the survey year. Never the
    /// clock, so that reruns give identical files.
    pub date: Option<NaiveDate>,
    /// Groups (units) with fewer respondents than this are never shown.
    pub anonymity_threshold: usize,
    /// A folder with templates that override the built-in ones, file by file
    /// (relative to the config file). When absent, ./report-templates is
    /// used if present.
    pub templates: Option<PathBuf>,
    /// The sections of each report, in order.
    pub sections: SectionsConfig,
    /// What each report is written as: "pdf" always; "html" adds the web
    /// edition beside it.
    pub formats: Vec<Format>,
}

/// A format a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// The PDF (PDF/UA-1), the report that is sent.
    Pdf,
    /// The web edition: one self-contained HTML file per report.
    Html,
}

/// Which sections each kind of report holds, in order (by name; see the
/// built-in defaults for the names).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SectionsConfig {
    /// The organisation report's sections.
    pub organisation: Vec<String>,
    /// A unit report's sections.
    pub unit: Vec<String>,
}

/// `[columns]`: which columns of a survey export hold what.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ColumnsConfig {
    /// Several organisations in one input (a national run): the organisation
    /// column.
    pub organisation: Names,
    /// The respondent's id (one row per respondent in a wide export).
    pub respondent: Names,
    /// The respondent's unit.
    pub unit: Names,
    /// The respondent's role.
    pub role: Names,
    /// The survey year.
    pub year: Names,
    /// A date column: the year and the report date are taken from it.
    pub date: Names,
    /// A column that is empty for incomplete responses (LimeSurvey's
    /// submitdate).
    pub submitted: Names,
    /// A column that is false/0 for unfinished responses (Qualtrics' Finished).
    pub finished: Names,
    /// Long layout (one row per answer): the statement column.
    pub statement: Names,
    /// Long layout: the answer column.
    pub value: Names,
    /// Columns to ignore silently (any other unknown column is reported).
    pub ignore: Vec<String>,
    /// Metadata columns of common survey tools (LimeSurvey, Microsoft Forms,
    /// Google Forms, Qualtrics), ignored silently as well. Personal data among
    /// them (e-mail, name, IP address) is never read.
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

/// `[statements]`: how statement columns are found.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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
    /// A value on the model's scale.
    Value(f64),
    /// Must be a don't-know word ("vet ej", "dont_know", ...).
    Code(String),
}

/// `[units]`: the organisation's units and other spellings of them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UnitsConfig {
    /// The organisation's units. When given, a unit not in the list is an
    /// error.
    #[serde(default)]
    pub list: Vec<String>,
    /// Spellings mapped to the unit's name, e.g. "Soc" = "Socialförvaltningen".
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
}

/// The initiative register: which files, columns and labels.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegisterConfig {
    /// The scale of the three axis columns in the register; values are mapped
    /// linearly to -1 (efficiency, operational, internal benefit) .. 1
    /// (innovation, strategic, external benefit).
    pub axis_min: f64,
    /// The top of the axis columns' scale (see `axis_min`).
    pub axis_max: f64,
    /// Axis values given as labels instead of numbers (on the scale above).
    pub axis_labels: BTreeMap<String, f64>,
    /// Status labels mapped to completed / ongoing / planned / proposed.
    pub status: BTreeMap<String, String>,
    /// Which columns of a register hold what.
    pub columns: RegisterColumns,
}

/// `[register.columns]`: the names each register column may have.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegisterColumns {
    /// The names of the register's id column.
    pub id: Names,
    /// The names of the register's name column.
    pub name: Names,
    /// The names of the register's unit column.
    pub unit: Names,
    /// The names of the register's status column.
    pub status: Names,
    /// The names of the register's start column.
    pub start: Names,
    /// The names of the register's end column.
    pub end: Names,
    /// The names of the register's budget column.
    pub budget: Names,
    /// The names of the register's statements column.
    pub statements: Names,
    /// The names of the register's year column.
    pub year: Names,
    /// The names of the register's organisation column (multi-organisation
    /// inputs: whose initiative it is).
    pub organisation: Names,
    /// The names of the register's efficiency innovation column.
    pub efficiency_innovation: Names,
    /// The names of the register's operational strategic column.
    pub operational_strategic: Names,
    /// The names of the register's internal external column.
    pub internal_external: Names,
}

/// Logo and accent colour.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BrandingConfig {
    /// A logo (SVG or PNG, relative to the config file) on the cover.
    pub logo: Option<PathBuf>,
    /// The accent colour of headings and charts ("#RRGGBB").
    pub accent: String,
}

/// Which roles count as leadership.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RolesConfig {
    /// The role column's values that count as leadership.
    pub leadership: Names,
    /// Display names of roles per language code, keyed by the role
    /// column's value (any case), e.g. `medarbetare = { en = "Staff" }`.
    #[serde(default)]
    pub names: BTreeMap<String, crate::model::Localized>,
}

impl RolesConfig {
    /// How a role is named in a report's language: its display name in
    /// that language, else the value as the survey wrote it.
    pub fn display_name(&self, role: &str, lang: &str) -> String {
        let key = role.trim().to_lowercase();
        self.names
            .iter()
            .find(|(k, _)| k.trim().to_lowercase() == key)
            .and_then(|(_, n)| n.0.get(lang))
            .filter(|n| !n.trim().is_empty())
            .cloned()
            .unwrap_or_else(|| role.to_string())
    }
}

/// Which benchmark population to compare with.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BenchmarkConfig {
    /// The population to compare with; default "alla" if the file has it, else
    /// the first population in the file.
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
pub struct PopulationConfig {
    /// The people invited in the whole organisation.
    pub total: Option<usize>,
    /// The people invited per unit.
    #[serde(default)]
    pub units: BTreeMap<String, usize>,
}

/// What to do with incomplete responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Incomplete {
    /// Leave them out (counted in the data-quality report).
    Skip,
    /// Keep their valid answers.
    Keep,
}

/// How a survey export is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// Wide when statement columns are found, else long.
    Auto,
    /// One row per respondent, one column per statement.
    Wide,
    /// One row per answer: respondent, statement, value.
    Long,
}

/// `[ingest]`: how a survey export is read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IngestConfig {
    /// Which sheet of a workbook to read; default the first.
    pub sheet: Option<String>,
    /// Incomplete responses (empty submitted column, finished = false): "skip"
    /// or "keep".
    pub incomplete: Incomplete,
    /// "auto" (default), "wide" (one row per respondent) or "long" (one row per
    /// answer).
    pub layout: Layout,
    /// The survey year of the file(s): before their dates (a survey that
    /// ran over the new year is one survey), after a year column.
    pub year: Option<i32>,
    /// The survey tool whose export layout the file has: "auto" (told by
    /// the header, see `[[presets]]`), "none", or a tool's name.
    pub tool: String,
    /// The file's answers are on this scale ([lowest, highest]), not the
    /// model's: they (and `[answers]` values) are mapped linearly onto the
    /// model's scale, and the model's own labels are not used.
    pub scale: Option<[f64; 2]>,
}

/// The settings that read one file: the config's, with the `[[files]]`
/// entries that match the file merged over them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReadSettings {
    /// The columns, with any per-file settings merged in.
    pub columns: ColumnsConfig,
    /// How statement columns are found.
    #[serde(default)]
    pub statements: StatementsConfig,
    /// Answer labels and codes.
    #[serde(default)]
    pub answers: BTreeMap<String, AnswerTarget>,
    /// Sheet, incomplete responses and layout.
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
    /// STARTTLS, usually on port 587.
    Starttls,
    /// TLS from the start, usually on port 465.
    Tls,
    /// No encryption: only for a server on the same machine.
    None,
}

/// `[mail]`: the sender and the SMTP server of `mognad send`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MailConfig {
    /// The sender, e.g. "Digitaliseringsenheten <digital@exempelby.se>".
    pub from: String,
    /// Replies go here instead of to the sender (optional).
    pub reply_to: String,
    /// The SMTP server; security is "starttls" (port 587), "tls" (port 465) or
    /// "none" (only for a server on the same machine).
    pub host: String,
    /// The SMTP port.
    pub port: u16,
    /// How the connection is secured.
    pub security: MailSecurity,
    /// Leave user empty for a server that needs no login.
    pub user: String,
    /// The environment variable holding the SMTP password.
    pub password_env: String,
    /// At most this many messages a minute (mail servers throttle bulk
    /// senders).
    pub per_minute: f64,
    /// How long to wait for the server, in seconds.
    pub timeout_seconds: u64,
}

/// `[discovery]`: which files in the input folder are read, and as what.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// Name starts of organisations files (peer groups, sharing).
    pub organisations: Vec<String>,
    /// Name starts of other files that are not survey exports.
    pub skip_prefixes: Vec<String>,
}

/// The whole configuration: the built-in defaults with the user's file merged
/// over them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// Who the reports are for.
    pub organisation: OrganisationConfig,
    /// A model file (relative to the config file) instead of the built-in.
    pub model: Option<PathBuf>,
    /// Language, date, anonymity threshold and sections.
    pub report: ReportConfig,
    /// Which columns of a survey export hold what. Each key takes one column
    /// name or a list of names to try; names are compared case-insensitively.
    pub columns: ColumnsConfig,
    /// How statement columns are found, besides a header equal to the statement
    /// code and a header equal to the statement's text (in any language).
    #[serde(default)]
    pub statements: StatementsConfig,
    /// Answer labels or codes mapped to scale values or to don't-know.
    #[serde(default)]
    pub answers: BTreeMap<String, AnswerTarget>,
    /// The organisation's units.
    #[serde(default)]
    pub units: UnitsConfig,
    /// How many people were invited to answer, for the finite population
    /// correction of the confidence intervals. Leave out what you do not know.
    #[serde(default)]
    pub population: PopulationConfig,
    /// Benchmarks: a benchmark*.csv (or jämförelse*.csv) file in the input
    /// folder with the columns year, population, level, key, index[, n].
    #[serde(default)]
    pub benchmark: BenchmarkConfig,
    /// Roles: which of the role column's values count as leadership, for the
    /// perception gap between leadership and the other respondents.
    pub roles: RolesConfig,
    /// The register of digitalisation initiatives (files named as `[discovery]`
    /// registers says).
    pub register: RegisterConfig,
    /// Peer groups from the organisations file.
    pub peers: PeersConfig,
    /// The national overview (multi-organisation inputs).
    pub overview: OverviewConfig,
    /// The open-data package (multi-organisation inputs).
    pub open_data: OpenDataConfig,
    /// The reports' look: a logo (SVG or PNG, relative to the config file) on the
    /// cover, and the accent colour of headings and charts ("#RRGGBB").
    pub branding: BrandingConfig,
    /// How survey exports are read.
    pub ingest: IngestConfig,
    /// Which files are read, and as what.
    pub discovery: DiscoveryConfig,
    /// Distribution by e-mail (`mognad send`). The password is never read from
    /// the config file: it comes from the environment variable named by
    /// password_env.
    pub mail: MailConfig,
    /// Caps on one input file (survey export, register, benchmark, recipients):
    /// a file beyond them is refused with a message naming it, so that no input
    /// can make a run use unbounded memory. Raise them for very large exports.
    pub limits: Limits,
    /// One threshold per notion, by name: the report's verdicts, the
    /// strongest and weakest lists, and the rules of the findings and
    /// recommendations (which name them) all read these.
    pub thresholds: BTreeMap<String, f64>,
    /// Per-file settings: `glob` plus `columns`/`statements`/`answers`/`ingest`.
    #[serde(default)]
    pub files: Vec<toml::Table>,
    /// Survey tools' export layouts, tried before the built-in ones.
    #[serde(default)]
    pub presets: Vec<Preset>,
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

/// A threshold the built-in config defines, by name. Its value lives in
/// `src/defaults/mognad.toml` only: every config is merged over the
/// built-in one, which the loader checks for each name, so the name is
/// always there.
pub fn threshold(thresholds: &std::collections::BTreeMap<String, f64>, name: &str) -> f64 {
    thresholds
        .get(name)
        .copied()
        .unwrap_or_else(|| panic!("[thresholds] {name} is in the built-in config"))
}

/// How far (index points, as printed) a category must be from the total to
/// stand out as among the strongest or weakest, or to be weak:
/// `[thresholds] stands_out`. One notion for key figures, priorities, the
/// portfolio and briefs.
pub fn stands_out(thresholds: &std::collections::BTreeMap<String, f64>) -> f64 {
    threshold(thresholds, "stands_out")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_peer_value_is_named_in_the_language_it_has_a_name_in_only() {
        let peers = Config::builtin().peers;
        assert_eq!(peers.display_name("Kommun", "en"), "municipality");
        // no Swedish name: the value as the file writes it, never English
        assert_eq!(peers.display_name("kommun", "sv"), "kommun");
        assert_eq!(peers.display_name("Bolag AB", "en"), "Bolag AB");
        let roles = Config::builtin().roles;
        assert_eq!(roles.display_name("Strateg", "en"), "Strategists");
        assert_eq!(roles.display_name("Strateg", "sv"), "Strateg");
    }
}
