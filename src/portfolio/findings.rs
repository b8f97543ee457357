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
    /// `<`, `<=`, `>`, `>=`, `==`, or `abs<=` / `abs>=` on the absolute value.
    pub op: String,
    pub value: f64,
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

/// Whether a rule holds for the metrics (a missing metric never holds).
pub fn holds(rule: &Rule, metrics: &BTreeMap<String, Metric>) -> bool {
    let Some(v) = metrics.get(&rule.metric).and_then(|m| m.value) else {
        return false;
    };
    match rule.op.as_str() {
        "<" => v < rule.value,
        "<=" => v <= rule.value,
        ">" => v > rule.value,
        ">=" => v >= rule.value,
        "==" => (v - rule.value).abs() < 1e-9,
        "abs<=" => v.abs() <= rule.value,
        "abs>=" => v.abs() >= rule.value,
        _ => false,
    }
}

/// The sentences of every rule that holds, placeholders filled.
pub fn findings(rules: &[Rule], metrics: &BTreeMap<String, Metric>, lang: Lang) -> Vec<String> {
    rules
        .iter()
        .filter(|r| holds(r, metrics))
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
        let m = metrics(&[
            ("budget_share_efficiency", 0.5),
            ("count_share_innovation", 0.25),
            ("budget_share_gap_efficiency_innovation", -0.1),
        ]);
        assert!(holds(rule("budget_efficiency_heavy"), &m), "0.5 >= 0.5");
        assert!(
            !holds(rule("few_innovation_initiatives"), &m),
            "0.25 is not < 0.25"
        );
        assert!(holds(rule("balanced"), &m), "|-0.1| <= 0.1");
        let m = metrics(&[
            ("budget_share_efficiency", 0.49),
            ("count_share_innovation", 0.2),
            ("budget_share_gap_efficiency_innovation", 0.19),
        ]);
        assert!(!holds(rule("budget_efficiency_heavy"), &m));
        assert!(holds(rule("few_innovation_initiatives"), &m));
        assert!(!holds(rule("balanced"), &m));
        assert!(
            !holds(rule("weakest_without_investment"), &m),
            "missing metric never holds"
        );
        assert!(holds(
            rule("weakest_without_investment"),
            &metrics(&[("weakest_category_active", 0.0)])
        ));
    }

    #[test]
    fn change_of_balance_rules() {
        let rules = default_rules();
        let rule = |id: &str| rules.iter().find(|r| r.id == id).unwrap();
        let up = metrics(&[("budget_share_innovation_change", 0.05)]);
        assert!(holds(rule("more_innovation_than_last_year"), &up));
        assert!(!holds(rule("less_innovation_than_last_year"), &up));
        let flat = metrics(&[("budget_share_innovation_change", 0.04)]);
        assert!(!holds(rule("more_innovation_than_last_year"), &flat));
        assert!(!holds(rule("less_innovation_than_last_year"), &flat));
        let down = metrics(&[("budget_share_innovation_change", -0.2)]);
        assert!(holds(rule("less_innovation_than_last_year"), &down));
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
        let out = findings(&rules, &m, Lang::Sv);
        assert_eq!(out, ["Den svagaste kategorin, Innovation (43,0 %), har inget pågående eller planerat initiativ."]);
    }
}
