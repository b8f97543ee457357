//! Reading the config: the built-in defaults, a user file merged over them
//! key by key, unknown keys named with a suggestion, and the per-file
//! settings.

use std::path::{Path, PathBuf};

use super::*;

/// The 1-based line of the config text where the key at `path` (dotted,
/// e.g. "report.anonymity_threshold") is set: under its table's header, or
/// as a dotted key; else the line of the table's header.
fn line_of(text: &str, path: &str) -> Option<usize> {
    let (table, key) = path.rsplit_once('.').unwrap_or(("", path));
    let mut current = String::new();
    let mut header = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix('[') {
            current = name
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string();
            if current == table {
                header = Some(i + 1);
            }
            continue;
        }
        let Some((left, _)) = line.split_once('=') else {
            continue;
        };
        let left = left.trim().trim_matches('"');
        let full = if current.is_empty() {
            left.to_string()
        } else {
            format!("{current}.{left}")
        };
        if full == path || (current == table && left == key) {
            return Some(i + 1);
        }
    }
    header
}

/// A key the built-in config does not know, with the closest key of its
/// table (from the built-in defaults) suggested.
fn unknown_key_message(path: &str, defaults: &toml::Table) -> String {
    let (table, key) = path.rsplit_once('.').unwrap_or(("", path));
    let mut known = Some(defaults);
    for part in table.split('.').filter(|p| !p.is_empty()) {
        known = known.and_then(|t| t.get(part)).and_then(|v| v.as_table());
    }
    let best = known
        .into_iter()
        .flat_map(|t| t.keys())
        .map(|e| (strsim::jaro_winkler(key, e), e))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, e)) => format!("unknown key \"{path}\"; did you mean \"{e}\"?"),
        None => format!("unknown key \"{path}\"; mognad init writes every key with its meaning"),
    }
}

/// Why a table could not be read: a key of the wrong type, or a key the
/// types do not know; each with its dotted path.
enum Unreadable {
    Type { path: String, message: String },
    Unknown { path: String },
}

impl Unreadable {
    fn path(&self) -> &str {
        match self {
            Unreadable::Type { path, .. } | Unreadable::Unknown { path } => path,
        }
    }

    fn message(&self) -> Result<String> {
        Ok(match self {
            Unreadable::Type { path, message } => format!("{path}: {message}"),
            Unreadable::Unknown { path } => {
                let defaults = DEFAULT_CONFIG
                    .parse::<toml::Table>()
                    .map_err(|e| Error::internal("reading the built-in config", e))?;
                unknown_key_message(path, &defaults)
            }
        })
    }
}

/// A config table read into its type: a type error names its key
/// (serde_path_to_error), and a key the type does not know is found as it
/// is read (serde_ignored), never from an error's wording.
fn read_table<T: serde::de::DeserializeOwned>(
    table: toml::Table,
) -> std::result::Result<T, Unreadable> {
    let mut unknown = Vec::new();
    let read: std::result::Result<T, _> = serde_path_to_error::deserialize(
        serde_ignored::Deserializer::new(toml::Value::Table(table), &mut |path| {
            unknown.push(path.to_string())
        }),
    );
    let value = read.map_err(|e| Unreadable::Type {
        path: e.path().to_string(),
        message: one_line(&e.inner().to_string()),
    })?;
    match unknown.into_iter().next() {
        Some(path) => Err(Unreadable::Unknown { path }),
        None => Ok(value),
    }
}

impl Config {
    /// `[thresholds] stands_out`: see [`super::stands_out`].
    pub fn stands_out(&self) -> f64 {
        super::stands_out(&self.thresholds)
    }

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

    /// Parses config text (merged over the defaults) as if read from `origin`.
    pub fn parse(text: &str, origin: &Path) -> Result<Self> {
        let base = origin.parent().unwrap_or(Path::new(".")).to_path_buf();
        Self::from_layers(Some(text), &base, Some(origin))
    }

    fn from_layers(user: Option<&str>, base_dir: &Path, source: Option<&Path>) -> Result<Self> {
        let origin = source.unwrap_or(Path::new("<built-in config>"));
        let parse = |text: &str| -> Result<toml::Table> {
            text.parse::<toml::Table>().map_err(|e| {
                let mut at = Location::file(origin);
                if let Some(span) = e.span() {
                    at = at.row(1 + text[..span.start.min(text.len())].matches('\n').count());
                }
                let mut message = format!("not valid TOML: {}", one_line(e.message()));
                if e.message().contains("unquoted key") {
                    message.push_str(
                        "; a key with letters outside a-z (å, ä, ö), spaces or dots must be quoted: \"Nämnd\" = ...",
                    );
                }
                Error::input(at, message)
            })
        };
        // the built-in defaults failing is a bug, never the user's file
        let mut merged = DEFAULT_CONFIG
            .parse::<toml::Table>()
            .map_err(|e| Error::internal("reading the built-in config", e))?;
        if let Some(user) = user {
            let user = parse(user)?;
            if user
                .get("mail")
                .and_then(|m| m.as_table())
                .is_some_and(|m| m.contains_key("password"))
            {
                return Err(Error::input(
                    Location::file(origin),
                    "[mail] password: a password is never read from the config file; set it in the environment variable that mail.password_env names (MOGNAD_SMTP_PASSWORD unless changed) and remove it from this file",
                ));
            }
            merge(&mut merged, user);
        }
        let mut config: Config = read_table(merged.clone()).map_err(|e| {
            let at = Location::file(origin);
            let at = match user.and_then(|text| line_of(text, e.path())) {
                Some(row) => at.row(row),
                None => at,
            };
            match e.message() {
                Ok(message) => Error::input(at, message),
                Err(bug) => bug,
            }
        })?;
        config.raw = merged;
        config.base_dir = base_dir.to_path_buf();
        config.source = source.map(Path::to_path_buf);
        config.validate(origin)?;
        Ok(config)
    }

    /// The checks that the types alone do not make: answer words, file
    /// entries, the accent colour, the formats, thresholds and language.
    fn validate(&self, origin: &Path) -> Result<()> {
        for (key, target) in &self.answers {
            if let AnswerTarget::Code(code) = target {
                if !is_dont_know_word(code) {
                    return Err(Error::input(
                        Location::file(origin),
                        format!(
                            "[answers] \"{key}\" = \"{code}\": expected a scale value (a number) or \"vet ej\" for don't know"
                        ),
                    ));
                }
            }
        }
        for (i, entry) in self.files.iter().enumerate() {
            let glob = entry.get("glob").and_then(|g| g.as_str()).ok_or_else(|| {
                Error::input(
                    Location::file(origin),
                    format!("[[files]] entry {} has no glob = \"...\"", i + 1),
                )
            })?;
            globset::Glob::new(glob).map_err(|e| {
                Error::input(
                    Location::file(origin),
                    format!("[[files]] glob \"{glob}\": {e}"),
                )
            })?;
            self.settings_from(&[entry]).map_err(|msg| {
                Error::input(
                    Location::file(origin),
                    format!("[[files]] glob = \"{glob}\": {msg}"),
                )
            })?;
        }
        let accent = &self.branding.accent;
        if !(accent.len() == 7
            && accent.starts_with('#')
            && accent[1..].chars().all(|c| c.is_ascii_hexdigit()))
        {
            return Err(Error::input(
                Location::file(origin),
                format!("branding.accent is \"{accent}\"; expected a colour as #RRGGBB, e.g. \"#0b4f8a\""),
            ));
        }
        if !self.report.formats.contains(&super::Format::Pdf) {
            return Err(Error::input(
                Location::file(origin),
                "report.formats must hold \"pdf\": the PDF is the report that is sent; add \"html\" for the web edition, e.g. formats = [\"pdf\", \"html\"]",
            ));
        }
        // every built-in threshold is there (merged over the defaults), and
        // none may be nan or inf, which TOML allows
        if let Some((name, v)) = self.thresholds.iter().find(|(_, v)| !v.is_finite()) {
            return Err(Error::input(
                Location::file(origin),
                format!("[thresholds] {name} = {v}: expected a finite number"),
            ));
        }
        if self.report.anonymity_threshold == 0 {
            return Err(Error::input(
                Location::file(origin),
                "report.anonymity_threshold must be at least 1",
            ));
        }
        if !matches!(self.report.language.as_str(), "sv" | "en") {
            return Err(Error::input(
                Location::file(origin),
                format!(
                    "report.language is \"{}\"; expected \"sv\" or \"en\"",
                    self.report.language
                ),
            ));
        }
        Ok(())
    }

    /// The read settings for a file (path relative to the input folder).
    pub fn settings_for(&self, relative: &str) -> Result<ReadSettings> {
        let matching: Vec<&toml::Table> = self
            .files
            .iter()
            .filter(|entry| {
                entry
                    .get("glob")
                    .and_then(|g| g.as_str())
                    .and_then(|g| globset::Glob::new(g).ok())
                    .is_some_and(|g| g.compile_matcher().is_match(relative))
            })
            .collect();
        self.settings_from(&matching).map_err(|msg| {
            Error::input(
                Location::file(self.source.clone().unwrap_or_default()),
                format!("settings for {relative}: {msg}"),
            )
        })
    }

    fn settings_from(
        &self,
        overrides: &[&toml::Table],
    ) -> std::result::Result<ReadSettings, String> {
        let mut table = toml::Table::new();
        for key in ["columns", "statements", "answers", "ingest"] {
            if let Some(v) = self.raw.get(key) {
                table.insert(key.to_string(), v.clone());
            }
        }
        for entry in overrides {
            let mut entry = (*entry).clone();
            entry.remove("glob");
            merge(&mut table, entry);
        }
        read_table(table).map_err(|e| e.message().unwrap_or_else(|bug| bug.to_string()))
    }

    /// A path from the config, resolved against the config file's folder.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.base_dir.join(path)
        }
    }

    /// An asset the config names (`key`, e.g. the logo), which must lie in
    /// the config's folder: no absolute path, no `..` out of it, no link
    /// that leads out of it.
    pub fn asset(&self, path: &Path, key: &str) -> Result<PathBuf> {
        let at = || Location::file(self.source.clone().unwrap_or_default());
        let full = self.resolve(path);
        let inside = match (
            std::fs::canonicalize(&self.base_dir),
            std::fs::canonicalize(&full),
        ) {
            (Ok(base), Ok(target)) => target.starts_with(base),
            (_, Err(e)) => {
                return Err(Error::input(
                    at(),
                    format!("{key} = \"{}\": cannot be read ({e})", path.display()),
                ))
            }
            (Err(_), _) => false,
        };
        if !inside {
            return Err(Error::input(
                at(),
                format!(
                    "{key} = \"{}\": assets are read only from the config's folder; put the file beside mognad.toml and name it relative to it",
                    path.display()
                ),
            ));
        }
        Ok(full)
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
    fn roles_are_named_in_the_reports_language_else_as_written() {
        let c = Config::builtin();
        // matched in any case; a language without a name keeps the value
        assert_eq!(c.roles.display_name("Medarbetare", "en"), "Staff");
        assert_eq!(c.roles.display_name(" CHEF ", "en"), "Managers");
        assert_eq!(c.roles.display_name("Medarbetare", "sv"), "Medarbetare");
        assert_eq!(
            c.roles.display_name("Förvaltningschef", "en"),
            "Heads of department"
        );
        assert_eq!(c.roles.display_name("Nämnd", "en"), "Nämnd");
        // a user's file adds names beside the built-in ones
        let c = Config::parse(
            "[roles.names]\n\"nämnd\" = { en = \"Board\", sv = \"Nämnd\" }\n",
            Path::new("mognad.toml"),
        )
        .unwrap();
        assert_eq!(c.roles.display_name("Nämnd", "en"), "Board");
        assert_eq!(c.roles.display_name("Medarbetare", "en"), "Staff");
        // an unquoted Swedish key: the line, and how to fix it
        let err = Config::parse(
            "[roles]\n\n[roles.names]\nnämnd = { en = \"Board\" }\n",
            Path::new("mognad.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("mognad.toml, row 4: not valid TOML"),
            "{err}"
        );
        assert!(err.contains("must be quoted"), "{err}");
    }

    #[test]
    fn defaults_parse() {
        let c = Config::builtin();
        assert_eq!(c.report.anonymity_threshold, 5);
        assert_eq!(c.report.language, "sv");
        assert_eq!(c.report.formats, [super::super::Format::Pdf]);
        assert!(c.columns.unit.matches("Enhet"));
        assert!(c.columns.respondent.matches(" ID "));
    }

    #[test]
    fn formats_add_the_web_edition_but_keep_the_pdf() {
        use super::super::Format;
        let c = Config::from_layers(
            Some("[report]\nformats = [\"pdf\", \"html\"]"),
            Path::new("."),
            None,
        )
        .unwrap();
        assert_eq!(c.report.formats, [Format::Pdf, Format::Html]);
        let err = Config::from_layers(Some("[report]\nformats = [\"html\"]"), Path::new("."), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("report.formats must hold \"pdf\""), "{err}");
        let err = Config::from_layers(Some("[report]\nformats = [\"docx\"]"), Path::new("."), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("docx"), "{err}");
    }

    #[test]
    fn every_built_in_threshold_is_there_and_none_is_nan() {
        // a config that sets one threshold keeps every other built-in one
        let c = Config::from_layers(Some("[thresholds]\nstands_out = 5"), Path::new("."), None)
            .unwrap();
        assert_eq!(super::super::stands_out(&c.thresholds), 5.0);
        let builtin = Config::builtin();
        for name in builtin.thresholds.keys() {
            assert!(c.thresholds.contains_key(name), "{name}");
        }
        for bad in ["nan", "inf", "-inf"] {
            let err = Config::from_layers(
                Some(&format!("[thresholds]\nstands_out = {bad}")),
                Path::new("."),
                None,
            )
            .unwrap_err()
            .to_string();
            assert!(err.contains("[thresholds] stands_out"), "{err}");
        }
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
    fn per_file_settings_merge_over_the_base() {
        let c = Config::from_layers(
            Some("[answers]\n\"Stämmer helt\" = 6\n[[files]]\nglob = \"2023/*\"\ningest = { sheet = \"Svar\" }\nanswers = { \"A7\" = \"vet ej\" }\n"),
            Path::new("."),
            None,
        )
        .unwrap();
        let s = c.settings_for("2023/enkat.xlsx").unwrap();
        assert_eq!(s.ingest.sheet.as_deref(), Some("Svar"));
        assert_eq!(s.answers.len(), 2);
        let s = c.settings_for("2024/enkat.xlsx").unwrap();
        assert_eq!(s.ingest.sheet, None);
        assert_eq!(s.answers["Stämmer helt"], AnswerTarget::Value(6.0));
    }

    #[test]
    fn bad_answer_targets_and_file_entries_are_named() {
        let err = Config::from_layers(Some("[answers]\nA7 = \"maybe\""), Path::new("."), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("A7") && err.contains("vet ej"), "{err}");
        let err = Config::from_layers(
            Some("[[files]]\nglob = \"x\"\ningest = { sheeet = 1 }"),
            Path::new("."),
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("sheeet"), "{err}");
    }

    #[test]
    fn the_accent_colour_must_be_rrggbb() {
        assert!(Config::from_layers(
            Some("[branding]\naccent = \"#12ab9F\""),
            Path::new("."),
            None
        )
        .is_ok());
        let err = Config::from_layers(Some("[branding]\naccent = \"blue\""), Path::new("."), None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("branding.accent") && err.contains("#RRGGBB"),
            "{err}"
        );
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
            err.contains("in/mognad.toml, row 2")
                && err.contains("unknown key \"report.languag\"; did you mean \"language\"?"),
            "{err}"
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_key_and_line() {
        let err = Config::from_layers(
            Some("[organisation]\nname = \"X\"\n\n[report]\nanonymity_threshold = \"5\""),
            Path::new("."),
            Some(Path::new("in/mognad.toml")),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("in/mognad.toml, row 5")
                && err.contains("report.anonymity_threshold: invalid type: string \"5\""),
            "{err}"
        );
        // a dotted key at the top level is found too
        let err = Config::from_layers(
            Some("mail.port = \"x\""),
            Path::new("."),
            Some(Path::new("m.toml")),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("m.toml, row 1") && err.contains("mail.port"),
            "{err}"
        );
    }
}
