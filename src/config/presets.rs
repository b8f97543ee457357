//! Survey tools' export layouts (`[[presets]]`): what a tool's header row
//! looks like and which of its columns hold what. The built-in tools live
//! in `src/defaults/presets.toml`; a config's own come first.

use serde::{Deserialize, Serialize};

use super::Names;

/// The built-in presets, with their comments.
pub const BUILTIN_PRESETS: &str = include_str!("../defaults/presets.toml");

/// One survey tool's export layout (see `src/defaults/presets.toml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// The tool, as reports and `check` name it.
    pub name: String,
    /// Header sets: the header row holds every header of one of them (any
    /// case); a header beginning with `^` must be the first column.
    #[serde(default)]
    pub signatures: Vec<Vec<String>>,
    /// A cell beginning so, in a row under the header, is the tool's too.
    #[serde(default)]
    pub row_prefix: Option<String>,
    /// Cells the row under the header must hold as well as a signature
    /// (any case): a signature of common names needs them.
    #[serde(default)]
    pub label_row: Vec<String>,
    /// The column whose cell tells answers from further header rows.
    #[serde(default)]
    pub marker: Option<String>,
    /// An empty header cell takes the header before it, and a column of
    /// such a group is named `Question [text]` by its text row.
    #[serde(default)]
    pub fill_headers: bool,
    /// Texts in the text row that name no sub-question ("Response").
    #[serde(default)]
    pub response_texts: Vec<String>,
    /// The tool's names for the respondent id column.
    #[serde(default)]
    pub respondent: Vec<String>,
    /// The tool's names for the submit date column.
    #[serde(default)]
    pub date: Vec<String>,
    /// The tool's names for a column that is empty for incomplete responses.
    #[serde(default)]
    pub submitted: Vec<String>,
    /// The tool's names for a column that is false for unfinished responses.
    #[serde(default)]
    pub finished: Vec<String>,
    /// The tool's other columns: not used, not reported.
    #[serde(default)]
    pub metadata: Vec<String>,
}

#[derive(Deserialize)]
struct PresetFile {
    presets: Vec<Preset>,
}

/// The built-in presets, read once.
pub fn builtin() -> &'static [Preset] {
    static PRESETS: std::sync::OnceLock<Vec<Preset>> = std::sync::OnceLock::new();
    PRESETS.get_or_init(|| {
        toml::from_str::<PresetFile>(BUILTIN_PRESETS)
            .expect("the built-in presets are valid")
            .presets
    })
}

impl Preset {
    /// Whether a header row (trimmed headers) holds one of the signatures.
    pub fn matches_header(&self, headers: &[String]) -> bool {
        let has = |wanted: &str| match wanted.strip_prefix('^') {
            Some(first) => headers
                .first()
                .is_some_and(|h| h.trim().eq_ignore_ascii_case(first)),
            None => headers
                .iter()
                .any(|h| h.trim().eq_ignore_ascii_case(wanted)),
        };
        self.signatures
            .iter()
            .any(|set| !set.is_empty() && set.iter().all(|w| has(w)))
    }

    /// `names` with the tool's own added after them; none where `[columns]`
    /// gives an empty list, which turns the column off for tools too.
    pub fn extend(names: &Names, own: &[String]) -> Names {
        if names.as_slice().is_empty() {
            return names.clone();
        }
        let mut all = names.as_slice().to_vec();
        all.extend(own.iter().cloned());
        Names::Many(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_builtin_tools_are_told_by_their_headers() {
        let find = |h: &[&str]| {
            builtin()
                .iter()
                .find(|p| p.matches_header(&headers(h)))
                .map(|p| p.name.as_str())
        };
        assert_eq!(
            find(&[
                "StartDate",
                "EndDate",
                "Status",
                "Finished",
                "ResponseId",
                "Q1"
            ]),
            Some("Qualtrics")
        );
        assert_eq!(
            find(&["V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9", "V10", "Q1"]),
            Some("Qualtrics (legacy)")
        );
        assert_eq!(find(&["Timestamp", "Enhet", "Q"]), Some("Google Forms"));
        // a timestamp that is not the first column is not Google's
        assert_eq!(find(&["Enhet", "Timestamp"]), None);
        assert_eq!(
            find(&["id", "submitdate", "lastpage", "startlanguage", "seed"]),
            Some("LimeSurvey")
        );
        assert_eq!(find(&["enhet", "roll", "EF1"]), None);
    }
}
