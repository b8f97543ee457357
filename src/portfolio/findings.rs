//! Findings in plain words from rules in a data file
//! (`src/defaults/findings.toml`): each rule tests one metric of the
//! portfolio and, when it holds, gives a sentence with the figures it rests
//! on.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::format::Lang;

const DEFAULT_RULES: &str = include_str!("../defaults/findings.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The rule's name, unique in its file (the tests find rules by it).
    #[cfg_attr(not(test), allow(dead_code))]
    pub id: String,
    pub metric: String,
    /// `<`, `<=`, `>`, `>=`, `==`, `abs<=` / `abs>=` on the absolute
    /// value, or `between` (both ends included) with two bounds.
    pub op: String,
    /// A number, the name of a threshold in `[thresholds]`, or two of them
    /// for `between`.
    pub value: RuleValue,
    pub sv: String,
    pub en: String,
    /// Test every item of a kind ("priority", "statement", "category"),
    /// one sentence per item that holds (recommendations).
    #[serde(default)]
    pub each: Option<String>,
    /// "organisation": only in the organisation's report.
    #[serde(default)]
    pub scope: Option<String>,
}

/// A bound of a rule: a number, or the name of a threshold in the config's
/// `[thresholds]` (so that one notion has one threshold everywhere).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Bound {
    /// A number.
    Number(f64),
    /// A threshold's name.
    Named(String),
}

/// What a rule compares with.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum RuleValue {
    /// One bound.
    One(Bound),
    /// The low and high bounds of `between`.
    Range([Bound; 2]),
}

/// Named thresholds, from the config's `[thresholds]`.
pub type Thresholds = BTreeMap<String, f64>;

impl Bound {
    fn resolve(&self, thresholds: &Thresholds) -> Option<f64> {
        match self {
            Bound::Number(v) => Some(*v),
            Bound::Named(name) => thresholds.get(name).copied(),
        }
    }
}

impl RuleValue {
    /// The bounds, one or two.
    pub fn bounds(&self) -> &[Bound] {
        match self {
            RuleValue::One(b) => std::slice::from_ref(b),
            RuleValue::Range(r) => r,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rules {
    findings: Vec<Rule>,
}

/// A metric: a number (for tests) and its text (for sentences).
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub value: Option<f64>,
    pub text: String,
}

pub fn default_rules() -> Vec<Rule> {
    toml::from_str::<Rules>(DEFAULT_RULES)
        .expect("the built-in findings are valid (unit test)")
        .findings
}

/// Whether a rule holds for the metrics (a missing metric, or a threshold
/// the config does not have, never holds).
pub fn holds(rule: &Rule, metrics: &BTreeMap<String, Metric>, thresholds: &Thresholds) -> bool {
    let Some(v) = metrics.get(&rule.metric).and_then(|m| m.value) else {
        return false;
    };
    let bounds: Option<Vec<f64>> = rule
        .value
        .bounds()
        .iter()
        .map(|b| b.resolve(thresholds))
        .collect();
    match (rule.op.as_str(), bounds.as_deref()) {
        ("<", Some(&[x])) => v < x,
        ("<=", Some(&[x])) => v <= x,
        (">", Some(&[x])) => v > x,
        (">=", Some(&[x])) => v >= x,
        ("==", Some(&[x])) => (v - x).abs() < 1e-9,
        ("abs<=", Some(&[x])) => v.abs() <= x,
        ("abs>=", Some(&[x])) => v.abs() >= x,
        ("between", Some(&[lo, hi])) => lo <= v && v <= hi,
        _ => false,
    }
}

/// The sentences of every rule that holds, placeholders filled.
pub fn findings(
    rules: &[Rule],
    metrics: &BTreeMap<String, Metric>,
    thresholds: &Thresholds,
    lang: Lang,
) -> Vec<String> {
    rules
        .iter()
        .filter(|r| holds(r, metrics, thresholds))
        .map(|r| sentence(r, metrics, lang))
        .collect()
}

/// A rule's sentence in `lang` with its `{placeholders}` filled.
pub fn sentence(rule: &Rule, metrics: &BTreeMap<String, Metric>, lang: Lang) -> String {
    let mut text = match lang {
        Lang::Sv => rule.sv.clone(),
        Lang::En => rule.en.clone(),
    };
    for (name, m) in metrics {
        text = text.replace(&format!("{{{name}}}"), &m.text);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn th() -> Thresholds {
        crate::config::Config::builtin().thresholds
    }

    fn metrics(pairs: &[(&str, f64)]) -> BTreeMap<String, Metric> {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    Metric {
                        value: Some(*v),
                        text: format!("{v}"),
                    },
                )
            })
            .collect()
    }

    #[test]
    fn each_finding_appears_exactly_when_its_rule_holds() {
        let rules = default_rules();
        let rule = |id: &str| rules.iter().find(|r| r.id == id).unwrap();
        // one verdict on the efficiency-innovation axis for each lean
        // (`AxisBalance::lean` decides it from count and budget together)
        let which = |lean: f64| -> Vec<&str> {
            let m = metrics(&[("balance_efficiency_innovation", lean)]);
            rules
                .iter()
                .filter(|r| holds(r, &m, &th()))
                .map(|r| r.id.as_str())
                .collect()
        };
        assert_eq!(which(1.0), ["leans_efficiency"]);
        assert_eq!(which(0.0), ["balanced"]);
        assert_eq!(which(-1.0), ["leans_innovation"]);
        assert_eq!(which(2.0), ["split_efficiency_innovation"]);
        let m = metrics(&[("count_share_innovation", 0.2)]);
        assert!(
            !holds(rule("weakest_without_investment"), &m, &th()),
            "missing metric never holds"
        );
        assert!(holds(
            rule("weakest_without_investment"),
            &metrics(&[("weakest_category_active", 0.0)]),
            &th()
        ));
    }

    #[test]
    fn change_of_balance_rules() {
        let rules = default_rules();
        let rule = |id: &str| rules.iter().find(|r| r.id == id).unwrap();
        let up = metrics(&[("budget_share_innovation_change", 0.05)]);
        assert!(holds(rule("more_innovation_than_last_year"), &up, &th()));
        assert!(!holds(rule("less_innovation_than_last_year"), &up, &th()));
        let flat = metrics(&[("budget_share_innovation_change", 0.04)]);
        assert!(!holds(rule("more_innovation_than_last_year"), &flat, &th()));
        assert!(!holds(rule("less_innovation_than_last_year"), &flat, &th()));
        let down = metrics(&[("budget_share_innovation_change", -0.2)]);
        assert!(holds(rule("less_innovation_than_last_year"), &down, &th()));
    }

    #[test]
    fn sentences_carry_their_figures() {
        let rules = default_rules();
        let mut m = metrics(&[("weakest_category_active", 0.0)]);
        m.insert(
            "weakest_category".into(),
            Metric {
                value: None,
                text: "Innovation".into(),
            },
        );
        m.insert(
            "weakest_category_index".into(),
            Metric {
                value: Some(43.0),
                text: "43,0 %".into(),
            },
        );
        let out = findings(&rules, &m, &th(), Lang::Sv);
        assert_eq!(out, ["Den svagaste kategorin, Innovation (43,0 %), har inget pågående eller planerat initiativ."]);
    }

    #[test]
    fn every_threshold_a_built_in_rule_names_is_in_the_defaults() {
        let th = th();
        let recs = crate::report::sections::recommendations::default_rules().recommendations;
        for rule in default_rules().iter().chain(&recs) {
            for b in rule.value.bounds() {
                if let Bound::Named(name) = b {
                    assert!(th.contains_key(name), "{}: no threshold {name}", rule.id);
                }
            }
        }
    }
}
