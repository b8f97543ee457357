//! Recommendations: what to do next, from the rules in
//! `src/defaults/recommendations.toml` (the rule language of the
//! portfolio's findings), tested on the analysis's figures, never on
//! another section's formatted text. The most important come first.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Scope;
use crate::analyse::portfolio::PortfolioFigures;
use crate::analyse::{GroupResult, Level};
use crate::format;
use crate::portfolio::findings::{holds, sentence, Metric, Rule};
use crate::report::Context;

const DEFAULT_RULES: &str = include_str!("../../defaults/recommendations.toml");

/// The section's data.
#[derive(Debug, Clone, Serialize)]
pub struct RecommendationsSection {
    pub recommendations: Vec<String>,
}

/// The recommendation rules and how many sentences a report holds at most.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub max: usize,
    pub recommendations: Vec<Rule>,
}

/// The built-in rules.
pub fn default_rules() -> Rules {
    toml::from_str(DEFAULT_RULES).expect("the built-in recommendations are valid (unit test)")
}

pub(crate) type Metrics = BTreeMap<String, Metric>;

pub(crate) fn metric(value: Option<f64>, text: String) -> Metric {
    Metric { value, text }
}

/// The section's entry in [`super::SECTIONS`].
pub(crate) struct Entry;

impl super::Section for Entry {
    fn name(&self) -> &'static str {
        "recommendations"
    }

    fn template(&self) -> &'static str {
        include_str!("../../../report-templates/sections/recommendations.typ")
    }

    fn build(&self, cx: &Context, s: &Scope) -> Option<serde_json::Value> {
        super::data(cx.recommendations(s)?)
    }
}

impl Context<'_> {
    /// The recommendations for the report's group; `None` when no rule
    /// holds.
    pub(crate) fn recommendations(&self, s: &Scope) -> Option<RecommendationsSection> {
        let out = self.recommend(s.g, &default_rules());
        (!out.is_empty()).then_some(RecommendationsSection {
            recommendations: out,
        })
    }

    /// Every rule's sentences, in rule order, at most `rules.max`.
    pub(crate) fn recommend(&self, g: &GroupResult, rules: &Rules) -> Vec<String> {
        let lang = self.lang();
        let is_org = g.group.is_organisation();
        let portfolio = self.analysis.portfolio_of(self.year, &g.group);
        let priorities = portfolio.map_or(&[][..], |f| &f.priorities);
        let global = self.group_metrics(g, portfolio);
        let mut out = Vec::new();
        for rule in &rules.recommendations {
            if rule.scope.as_deref() == Some("organisation") && !is_org {
                continue;
            }
            let each: Vec<Metrics> = match rule.each.as_deref() {
                None => vec![global.clone()],
                Some("priority") => self
                    .priority_texts(priorities)
                    .into_iter()
                    .map(|text| {
                        let mut m = global.clone();
                        m.insert("priority".into(), metric(None, text));
                        m.insert("priority_count".into(), metric(Some(1.0), "1".into()));
                        m
                    })
                    .collect(),
                Some("statement") => self.statement_metrics(g, &global),
                Some("category") => self.category_metrics(&global),
                Some(_) => Vec::new(),
            };
            out.extend(
                each.iter()
                    .filter(|m| holds(rule, m, self.thresholds))
                    .map(|m| sentence(rule, m, lang)),
            );
        }
        out.truncate(rules.max);
        out
    }

    /// The figures of the group the rules without `each` test.
    pub(crate) fn group_metrics(
        &self,
        g: &GroupResult,
        portfolio: Option<&PortfolioFigures>,
    ) -> Metrics {
        let priorities = portfolio.map_or(&[][..], |f| &f.priorities);
        let lang = self.lang();
        let mut m = Metrics::new();
        if let Some(&(v, i)) = g.categories_ascending(self.model).first() {
            let c = &self.model.categories[i];
            let is_priority = priorities.iter().any(|p| p.category == c.code);
            m.insert(
                "weakest_category".into(),
                metric(None, c.name.get(lang.code()).to_string()),
            );
            m.insert(
                "weakest_category_index".into(),
                metric(Some(v), format::percent(v, 1, lang)),
            );
            let flag = if is_priority { 1.0 } else { 0.0 };
            m.insert(
                "weakest_category_is_priority".into(),
                metric(Some(flag), flag.to_string()),
            );
        }
        if let Some(b) = portfolio.and_then(|f| f.all()[0].by_budget) {
            m.insert(
                "budget_share_efficiency".into(),
                metric(
                    Some(super::portfolio::shown(b.low)),
                    format::percent(b.low * 100.0, 0, lang),
                ),
            );
        }
        if g.group.is_organisation() {
            let gaps = self.leadership_gaps().unwrap_or_default();
            if !gaps.is_empty() {
                let higher = gaps
                    .iter()
                    .filter(|x| x.significant == Some(true) && x.diff > 0.0)
                    .count();
                m.insert(
                    "leadership_higher_significant".into(),
                    metric(Some(higher as f64), higher.to_string()),
                );
                m.insert(
                    "leadership_gap_categories".into(),
                    metric(Some(gaps.len() as f64), gaps.len().to_string()),
                );
                let share = higher as f64 / gaps.len() as f64;
                m.insert(
                    "leadership_higher_share".into(),
                    metric(Some(share), format::percent(share * 100.0, 0, lang)),
                );
            }
        }
        m
    }

    /// One set of metrics per statement: code, text, don't-know share.
    fn statement_metrics(&self, g: &GroupResult, global: &Metrics) -> Vec<Metrics> {
        let lang = self.lang();
        self.model
            .statements
            .iter()
            .filter_map(|st| {
                let share = g.statements.get(&st.code)?.dont_know_share()?;
                let mut m = global.clone();
                m.insert("code".into(), metric(None, st.code.clone()));
                m.insert(
                    "text".into(),
                    metric(None, st.text.get(lang.code()).to_string()),
                );
                m.insert(
                    "dont_know_share".into(),
                    metric(Some(share), format::percent(share * 100.0, 0, lang)),
                );
                Some(m)
            })
            .collect()
    }

    /// One set of metrics per category: name and (the organisation's)
    /// Cronbach's alpha.
    fn category_metrics(&self, global: &Metrics) -> Vec<Metrics> {
        let lang = self.lang();
        self.model
            .categories
            .iter()
            .map(|c| {
                let mut m = global.clone();
                m.insert(
                    "category".into(),
                    metric(None, c.name.get(lang.code()).to_string()),
                );
                let alpha = self
                    .analysis
                    .reliability_of(
                        self.year,
                        &crate::analyse::Group::Organisation,
                        Level::Category,
                        &c.code,
                    )
                    .and_then(|r| r.alpha);
                m.insert(
                    "alpha".into(),
                    // tested as printed, two decimals
                    metric(
                        alpha.map(|a| format::displayed(a, 2)),
                        alpha
                            .map(|a| format::number(a, 2, lang))
                            .unwrap_or_default(),
                    ),
                );
                m
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule<'a>(rules: &'a Rules, id: &str) -> &'a Rule {
        rules
            .recommendations
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("no rule {id}"))
    }

    fn th() -> crate::portfolio::findings::Thresholds {
        crate::config::Config::builtin().thresholds
    }

    fn one(name: &str, v: f64) -> Metrics {
        [(name.to_string(), metric(Some(v), v.to_string()))].into()
    }

    #[test]
    fn the_built_in_rules_load_and_each_holds_at_its_edge() {
        let rules = default_rules();
        assert_eq!(rules.max, 5);
        for id in [
            "weak_category_without_initiatives",
            "weakest_category",
            "one_sided_leadership_view",
            "unbalanced_budget",
        ] {
            let r = rule(&rules, id);
            assert!(!r.sv.is_empty() && !r.en.is_empty(), "{id}");
        }
        let r = rule(&rules, "one_sided_leadership_view");
        assert!(
            holds(r, &one("leadership_higher_share", 0.5), &th()),
            "half is one-sided"
        );
        assert!(!holds(r, &one("leadership_higher_share", 0.49), &th()));
        let r = rule(&rules, "unbalanced_budget");
        assert!(holds(r, &one("budget_share_efficiency", 0.61), &th()));
        assert!(
            !holds(r, &one("budget_share_efficiency", 0.6), &th()),
            "60 % is still balanced"
        );
        let r = rule(&rules, "weakest_category");
        assert!(holds(r, &one("weakest_category_is_priority", 0.0), &th()));
        assert!(!holds(r, &one("weakest_category_is_priority", 1.0), &th()));
        let r = rule(&rules, "weak_category_without_initiatives");
        assert!(holds(r, &one("priority_count", 1.0), &th()));
        assert_eq!(r.each.as_deref(), Some("priority"));
    }

    #[test]
    fn no_recommendation_contradicts_a_finding() {
        let recs = default_rules();
        let unbalanced = rule(&recs, "unbalanced_budget");
        let findings = crate::portfolio::findings::default_rules();
        let balanced = findings.iter().find(|r| r.id == "balanced").unwrap();
        for pct in 0..=100 {
            let m = one("budget_share_efficiency", pct as f64 / 100.0);
            assert!(
                !(holds(unbalanced, &m, &th()) && holds(balanced, &m, &th())),
                "{pct} % is both balanced and to be balanced"
            );
        }
    }

    #[test]
    fn sentences_carry_the_item_figures() {
        // a user's rule over each statement, quoting its text
        let rules: Rules = toml::from_str(
            r#"
max = 5
[[recommendations]]
id = "unclear"
each = "statement"
metric = "dont_know_share"
op = ">="
value = 0.12
sv = "Förtydliga ”{text}”: {dont_know_share} svarade ”vet ej”."
en = "Clarify “{text}”: {dont_know_share} answered “don't know”."
"#,
        )
        .unwrap();
        let r = rule(&rules, "unclear");
        let mut m = one("dont_know_share", 0.2);
        m.insert("text".into(), metric(None, "Vi mäter nyttan".into()));
        m.get_mut("dont_know_share").unwrap().text = "20 %".into();
        assert!(holds(r, &m, &th()));
        assert!(!holds(r, &one("dont_know_share", 0.1199), &th()));
        assert_eq!(
            sentence(r, &m, crate::format::Lang::Sv),
            "Förtydliga ”Vi mäter nyttan”: 20 % svarade ”vet ej”."
        );
    }
}
