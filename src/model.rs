//! The maturity model: dimensions -> categories -> statements, the answer
//! scale and the don't-know codes. Data, never code: the built-in model is
//! `src/defaults/model.toml`, embedded in the binary; `--model FILE` or
//! `model = "..."` in the config loads another one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};

/// The built-in model, as shipped.
pub const DEFAULT_MODEL: &str = include_str!("defaults/model.toml");

/// A text in several languages, keyed by language code (`sv`, `en`, ...).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Localized(pub BTreeMap<String, String>);

impl Localized {
    /// Whether no language has a text.
    pub fn is_empty(&self) -> bool {
        self.0.values().all(|t| t.trim().is_empty())
    }

    /// The text in `lang`, else Swedish, else English, else any.
    pub fn get(&self, lang: &str) -> &str {
        self.0
            .get(lang)
            .or_else(|| self.0.get("sv"))
            .or_else(|| self.0.get("en"))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// A label for one scale value; every other key is a language code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScaleLabel {
    /// The scale value labelled.
    pub value: i64,
    /// The label per language code.
    #[serde(flatten)]
    pub text: BTreeMap<String, String>,
}

/// The answer scale.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// The lowest answer (index 0).
    pub min: i64,
    /// The highest answer (index 100).
    pub max: i64,
    /// Whether any number between min and max is an answer (scores such as
    /// the OECD index's 0-1), rather than only whole steps.
    #[serde(default)]
    pub continuous: bool,
    /// Answer codes and labels that mean don't know.
    #[serde(default)]
    pub dont_know: Vec<String>,
    /// Labels of scale values, per language.
    #[serde(default)]
    pub labels: Vec<ScaleLabel>,
}

fn one() -> f64 {
    1.0
}

/// A dimension of the model.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// Its code.
    pub code: String,
    /// Its name per language.
    pub name: Localized,
    /// Its weight in the total (default 1).
    #[serde(default = "one")]
    pub weight: f64,
}

/// A category of statements within a dimension.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Its code.
    pub code: String,
    /// The code of its dimension.
    pub dimension: String,
    /// Its name per language.
    pub name: Localized,
    /// Its weight in its dimension (default 1).
    #[serde(default = "one")]
    pub weight: f64,
}

/// A statement of the survey.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// Its code (the column header of a wide export).
    pub code: String,
    /// The code of its category.
    pub category: String,
    /// Its text per language.
    pub text: Localized,
    /// Its weight in its category (default 1).
    #[serde(default = "one")]
    pub weight: f64,
}

/// One of the four organisation types.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeText {
    /// The type's name per language.
    pub name: Localized,
    /// A sentence describing the type, per language.
    #[serde(default)]
    pub text: Localized,
    /// The sentence when the categories of `[types] balance` differ by more
    /// than `[thresholds] type_balance` points (for a type whose sentence
    /// speaks of their balance); empty: `text` always.
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub text_unbalanced: Localized,
}

/// The four organisation types: the 2x2 of two dimensions.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Types {
    /// The capability dimension (x axis).
    pub capability: String,
    /// The legacy dimension (y axis).
    pub legacy: String,
    /// Two category codes whose balance a type's sentence may speak of
    /// (see [`TypeText::text_unbalanced`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub balance: Vec<String>,
    /// The capability index at which a group counts as high.
    pub capability_threshold: f64,
    /// The legacy index at which a group counts as enabling.
    pub legacy_threshold: f64,
    /// Low capability, limiting legacy.
    pub low_limiting: TypeText,
    /// High capability, limiting legacy.
    pub high_limiting: TypeText,
    /// Low capability, enabling legacy.
    pub low_enabling: TypeText,
    /// High capability, enabling legacy.
    pub high_enabling: TypeText,
}

impl Types {
    /// The type of a group with these two indices.
    pub fn classify(&self, capability: f64, legacy: f64) -> &TypeText {
        match (
            capability >= self.capability_threshold,
            legacy >= self.legacy_threshold,
        ) {
            (false, false) => &self.low_limiting,
            (true, false) => &self.high_limiting,
            (false, true) => &self.low_enabling,
            (true, true) => &self.high_enabling,
        }
    }

    /// The other types a group at these indices may be of, when the
    /// confidence interval of its capability (`capability_spans`) or of
    /// its legacy spans that dimension's threshold: the types across each
    /// spanned threshold, and across both where both are spanned.
    pub fn across(
        &self,
        capability: f64,
        legacy: f64,
        capability_spans: bool,
        legacy_spans: bool,
    ) -> Vec<&TypeText> {
        // each value, and one just across its threshold where spanned
        let sides = |v: f64, at: f64, spans: bool| match spans {
            true => vec![v, if v >= at { at - 1e-6 } else { at }],
            false => vec![v],
        };
        let own = self.classify(capability, legacy);
        let mut out: Vec<&TypeText> = Vec::new();
        for x in sides(capability, self.capability_threshold, capability_spans) {
            for y in sides(legacy, self.legacy_threshold, legacy_spans) {
                let t = self.classify(x, y);
                if !std::ptr::eq(t, own) && !out.iter().any(|o| std::ptr::eq(*o, t)) {
                    out.push(t);
                }
            }
        }
        out
    }
}

/// A maturity model: dimensions, categories and statements with their weights,
/// the answer scale and optionally the four types.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// A short identifier of the model.
    pub id: String,
    /// Its name per language.
    pub name: Localized,
    /// What the model measures, in a sentence per language (the reports'
    /// cover); when absent, a sentence naming its dimensions is made.
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub description: Localized,
    /// The question stem shown before the statements, per language.
    #[serde(default)]
    pub stem: Localized,
    /// The answer scale.
    pub scale: Scale,
    /// The dimensions, in order.
    pub dimensions: Vec<Dimension>,
    /// The categories, in order.
    pub categories: Vec<Category>,
    /// The statements, in order.
    pub statements: Vec<Statement>,
    /// Optional: the four organisation types.
    #[serde(default)]
    pub types: Option<Types>,
}

/// The most statements a model may have: the answers table stores a
/// statement's index in 16 bits.
pub const MAX_STATEMENTS: usize = u16::MAX as usize + 1;

impl Model {
    /// The built-in model.
    pub fn builtin() -> Self {
        Self::parse(DEFAULT_MODEL, Path::new("<built-in model>"))
            .expect("the built-in model is valid (checked by a unit test)")
    }

    /// Reads and validates a model file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::input(
                Location::file(path),
                format!("cannot read the model file: {e}"),
            )
        })?;
        Self::parse(&text, path)
    }

    /// Parses and validates a model from TOML text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<Self> {
        let model: Model = toml::from_str(text).map_err(|e| {
            Error::input(
                Location::file(origin),
                format!("not a valid model file: {}", one_line(e.message())),
            )
        })?;
        model.validate(origin)?;
        Ok(model)
    }

    fn validate(&self, origin: &Path) -> Result<()> {
        let fail = |msg: String| Err(Error::input(Location::file(origin), msg));
        if self.scale.min >= self.scale.max {
            return fail(format!(
                "scale.min ({}) must be smaller than scale.max ({})",
                self.scale.min, self.scale.max
            ));
        }
        for label in &self.scale.labels {
            if label.value < self.scale.min || label.value > self.scale.max {
                return fail(format!(
                    "scale label for value {} lies outside the scale {}-{}",
                    label.value, self.scale.min, self.scale.max
                ));
            }
        }
        if self.dimensions.is_empty() {
            return fail("the model has no [[dimensions]]".into());
        }
        if self.statements.len() > MAX_STATEMENTS {
            return fail(format!(
                "the model has {} statements; at most {MAX_STATEMENTS} are supported",
                self.statements.len()
            ));
        }
        let mut seen = BTreeSet::new();
        let codes = self
            .dimensions
            .iter()
            .map(|d| (&d.code, d.weight, "dimension"))
            .chain(
                self.categories
                    .iter()
                    .map(|c| (&c.code, c.weight, "category")),
            )
            .chain(
                self.statements
                    .iter()
                    .map(|s| (&s.code, s.weight, "statement")),
            );
        for (code, weight, kind) in codes {
            if code.trim().is_empty() {
                return fail(format!("a {kind} has an empty code"));
            }
            if !seen.insert(code.to_lowercase()) {
                return fail(format!(
                    "the code \"{code}\" is used twice; every dimension, category and statement needs its own code"
                ));
            }
            if !(weight.is_finite() && weight > 0.0) {
                return fail(format!(
                    "{kind} \"{code}\" has weight {weight}; weights must be positive numbers (they are relative: only their ratios matter)"
                ));
            }
        }
        for c in &self.categories {
            if !self.dimensions.iter().any(|d| d.code == c.dimension) {
                return fail(format!(
                    "category \"{}\" names dimension \"{}\", which the model does not define",
                    c.code, c.dimension
                ));
            }
        }
        for s in &self.statements {
            if !self.categories.iter().any(|c| c.code == s.category) {
                return fail(format!(
                    "statement \"{}\" names category \"{}\", which the model does not define",
                    s.code, s.category
                ));
            }
        }
        if let Some(t) = &self.types {
            for code in [&t.capability, &t.legacy] {
                if self.dimension(code).is_none() {
                    return fail(format!(
                        "[types] names dimension \"{code}\", which the model does not define"
                    ));
                }
            }
        }
        for d in &self.dimensions {
            if !self.categories.iter().any(|c| c.dimension == d.code) {
                return fail(format!("dimension \"{}\" has no category", d.code));
            }
        }
        for c in &self.categories {
            if !self.statements.iter().any(|s| s.category == c.code) {
                return fail(format!("category \"{}\" has no statement", c.code));
            }
        }
        Ok(())
    }

    /// Index of the statement with this code (case-insensitive).
    pub fn statement_index(&self, code: &str) -> Option<usize> {
        let code = code.trim();
        self.statements
            .iter()
            .position(|s| s.code.eq_ignore_ascii_case(code))
    }

    /// The category with this code.
    pub fn category(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// The dimension with this code.
    pub fn dimension(&self, code: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.code == code)
    }

    /// The categories of a dimension, in order.
    pub fn categories_of<'a>(&'a self, dimension: &'a str) -> impl Iterator<Item = &'a Category> {
        self.categories
            .iter()
            .filter(move |c| c.dimension == dimension)
    }

    /// The statements of a category, in order.
    pub fn statements_of<'a>(&'a self, category: &'a str) -> impl Iterator<Item = &'a Statement> {
        self.statements
            .iter()
            .filter(move |s| s.category == category)
    }

    /// Whether a raw answer is one of the don't-know codes.
    pub fn is_dont_know(&self, raw: &str) -> bool {
        let raw = raw.trim().to_lowercase();
        self.scale
            .dont_know
            .iter()
            .any(|code| code.trim().to_lowercase() == raw)
    }

    /// The model as TOML, for `mognad model`.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }
}

/// toml's messages can run over several lines; keep the first.
pub(crate) fn one_line(msg: &str) -> String {
    msg.lines().next().unwrap_or("").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_model_is_valid_and_has_the_domain_structure() {
        let m = Model::builtin();
        assert_eq!(m.dimensions.len(), 2);
        assert_eq!(m.categories.len(), 6);
        assert_eq!(m.statements.len(), 30);
        assert_eq!((m.scale.min, m.scale.max), (1, 6));
        for c in &m.categories {
            assert_eq!(m.statements_of(&c.code).count(), 5, "{}", c.code);
        }
        for s in &m.statements {
            assert!(!s.text.get("sv").is_empty() && s.text.0.contains_key("en"));
        }
        assert!(m.is_dont_know("Vet ej"));
        assert!(m.is_dont_know(" VET EJ "));
        assert!(!m.is_dont_know("3"));
    }

    #[test]
    fn rejects_dangling_references_and_bad_weights() {
        let bad = DEFAULT_MODEL.replace("category = \"TEK\"", "category = \"TEKX\"");
        let err = Model::parse(&bad, Path::new("m.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("m.toml") && err.contains("TEKX"), "{err}");

        let bad = DEFAULT_MODEL.replace("code = \"DF\"\nname", "code = \"DF\"\nweight = -1\nname");
        let err = Model::parse(&bad, Path::new("m.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("weight -1"), "{err}");
    }

    #[test]
    fn types_by_thresholds() {
        let m = Model::builtin();
        let t = m.types.as_ref().unwrap();
        assert!(t.classify(40.0, 40.0).name.get("sv").starts_with("Typ A"));
        assert!(t.classify(60.0, 40.0).name.get("sv").starts_with("Typ B"));
        assert!(t.classify(40.0, 50.0).name.get("sv").starts_with("Typ C"));
        assert!(t.classify(50.0, 50.0).name.get("sv").starts_with("Typ D"));
    }

    #[test]
    fn the_types_across_a_spanned_threshold() {
        let m = Model::builtin();
        let t = m.types.as_ref().unwrap();
        let names = |v: Vec<&TypeText>| -> Vec<String> {
            v.iter()
                .map(|t| t.name.get("sv")[..5].to_string())
                .collect()
        };
        // type D at (55, 52): nothing spanned, no other type
        assert!(t.across(55.0, 52.0, false, false).is_empty());
        // capability spanned: C across it
        assert_eq!(names(t.across(55.0, 52.0, true, false)), ["Typ C"]);
        // legacy spanned: B across it
        assert_eq!(names(t.across(55.0, 52.0, false, true)), ["Typ B"]);
        // both: B, C and A, in the order the sides are tried
        assert_eq!(
            names(t.across(55.0, 52.0, true, true)),
            ["Typ B", "Typ C", "Typ A"]
        );
        // a value on the threshold counts as above it: across is below
        assert_eq!(names(t.across(50.0, 52.0, true, false)), ["Typ C"]);
        // from below: type A at (45, 45) with capability spanned is B
        assert_eq!(names(t.across(45.0, 45.0, true, false)), ["Typ B"]);
    }

    #[test]
    fn rejects_unknown_keys() {
        let bad = DEFAULT_MODEL.replace("[scale]\n", "[scale]\nmaximum = 7\n");
        let err = Model::parse(&bad, Path::new("m.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("maximum"), "{err}");
    }
}
