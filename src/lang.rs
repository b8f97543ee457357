//! Translation tables: every text a report shows, one TOML file per
//! language (`src/defaults/lang/*.toml`), placeholders in `{braces}`.

use std::collections::BTreeMap;

use crate::format::Lang;

const SV: &str = include_str!("defaults/lang/sv.toml");
const EN: &str = include_str!("defaults/lang/en.toml");

/// Every fixed text of the reports and mails in one language.
#[derive(Debug, Clone)]
pub struct Texts {
    /// The language.
    pub lang: Lang,
    map: BTreeMap<String, String>,
}

impl Texts {
    /// The built-in texts of a language.
    pub fn new(lang: Lang) -> Self {
        let source = match lang {
            Lang::Sv => SV,
            Lang::En => EN,
        };
        let map =
            toml::from_str(source).expect("built-in translation tables are valid (unit test)");
        Texts { lang, map }
    }

    /// The text for `key`; a missing key shows as `[key]` so it is seen.
    pub fn get(&self, key: &str) -> String {
        self.map
            .get(key)
            .cloned()
            .unwrap_or_else(|| format!("[{key}]"))
    }

    /// Whether the table has a text for `key`.
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// The text for `key` with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut text = self.get(key);
        for (name, value) in values {
            // a value that turns the direction of text keeps it to itself
            text = text.replace(&format!("{{{name}}}"), &crate::format::isolate(value));
        }
        text
    }

    /// [`Texts::fill`] for a sentence about `n` things: the text of
    /// `{key}_one` when `n` is 1, of `{key}_none` when it is 0 and the table
    /// has them, so that no sentence says "1 file(s)" or "0 initiatives".
    pub fn fill_count(&self, key: &str, n: usize, values: &[(&str, &str)]) -> String {
        let special = match n {
            0 => format!("{key}_none"),
            1 => format!("{key}_one"),
            _ => String::new(),
        };
        if !special.is_empty() && self.has(&special) {
            self.fill(&special, values)
        } else {
            self.fill(key, values)
        }
    }

    /// The whole table, for the templates.
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        let sv = Texts::new(Lang::Sv);
        let en = Texts::new(Lang::En);
        let a: Vec<_> = sv.all().keys().collect();
        let b: Vec<_> = en.all().keys().collect();
        assert_eq!(a, b);
        assert_eq!(
            sv.fill("report_title", &[("year", "2025")]),
            "Digital mognad 2025"
        );
        assert_eq!(en.get("no_such_key"), "[no_such_key]");
    }

    #[test]
    fn one_thing_is_singular() {
        let t = Texts::new(Lang::Sv);
        let n = |n: usize| t.fill_count("quality_never", n, &[("n", &n.to_string())]);
        assert_eq!(n(1), "1 påstående besvarades inte av någon.");
        assert_eq!(n(2), "2 påståenden besvarades inte av någon.");
        // none: the `_none` text where there is one
        let p = |n: usize| {
            t.fill_count(
                "brief_leaves_priority",
                n,
                &[
                    ("category", "Teknik"),
                    ("index", "44,0 %"),
                    ("n", &n.to_string()),
                ],
            )
        };
        assert_eq!(
            p(0),
            "Prioriteringen Teknik (44,0 %): inget pågående eller planerat initiativ"
        );
        assert_eq!(
            p(1),
            "Prioriteringen Teknik (44,0 %): ett pågående eller planerat initiativ"
        );
        assert_eq!(
            p(2),
            "Prioriteringen Teknik (44,0 %): 2 pågående eller planerade initiativ"
        );
        assert_eq!(n(0), "0 påståenden besvarades inte av någon.");
        for lang in [Lang::Sv, Lang::En] {
            for (k, v) in Texts::new(lang).all() {
                assert!(
                    !v.contains("(s)") && !v.contains("(er)") && !v.contains("(n)"),
                    "{k}: {v}"
                );
            }
        }
    }
}
