//! Recommendations: what to do next, from the rules in
//! `src/defaults/recommendations.toml` (the rule language of the
//! portfolio's findings), tested on the analysis's figures, never on
//! another section's formatted text. The most important come first.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Scope;
use crate::analyse::portfolio::{PortfolioFigures, Priority};
use crate::analyse::{Gap, GroupResult, Level};
use crate::format;
use crate::portfolio::findings::{holds, sentence, Metric, Rule};
use crate::report::{Common, Context};

const DEFAULT_RULES: &str = include_str!("../../defaults/recommendations.toml");

/// The section's data.
#[derive(Debug, Clone, Serialize)]
pub struct RecommendationsSection {
    pub recommendations: Vec<String>,
    /// The section's lead: the list is the key figures page's, or begins
    /// with it.
    pub lead: String,
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
        super::data(cx.common.recommendations(s)?)
    }
}

impl Common<'_> {
    /// The recommendations for the report's group; `None` when no rule
    /// holds.
    pub(crate) fn recommendations(&self, s: &Scope) -> Option<RecommendationsSection> {
        let intro = match s.actions.len() {
            n if n <= super::conclusion::ACTIONS => "recommendations_intro_same",
            _ => "recommendations_intro",
        };
        (!s.actions.is_empty()).then(|| RecommendationsSection {
            recommendations: s.actions.clone(),
            lead: self.texts.get(intro),
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
                Some("priority") => self.priority_metrics(priorities, &global),
                Some("decline") => self.decline_metrics(g, &global),
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

    /// Whether `actions`, the report's ranked list, names each of the
    /// group's portfolio priorities (a long list is cut at `max`, and a
    /// priority no rule speaks of is named nowhere): then the portfolio
    /// section need not list them again.
    pub(crate) fn lists_every_priority(&self, g: &GroupResult, actions: &[String]) -> bool {
        let rules = default_rules();
        let portfolio = self.analysis.portfolio_of(self.year, &g.group);
        let priorities = portfolio.map_or(&[][..], |f| &f.priorities);
        let global = self.group_metrics(g, portfolio);
        self.priority_metrics(priorities, &global).iter().all(|m| {
            rules
                .recommendations
                .iter()
                .filter(|r| r.each.as_deref() == Some("priority"))
                .filter(|r| holds(r, m, self.thresholds))
                .any(|r| actions.contains(&sentence(r, m, self.lang())))
        })
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
        // the weakest category as the key figures name it: only one that
        // stands out below the total (`[thresholds] stands_out`)
        let stands_out = |v: f64| {
            g.total.index.is_some_and(|total| {
                format::at_least_above(total, v, crate::config::stands_out(self.thresholds))
            })
        };
        if let Some(&(v, i)) = g
            .categories_ascending(self.model)
            .first()
            .filter(|(v, _)| stands_out(*v))
        {
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
        if let Some(lean) = portfolio.and_then(|f| self.lean(&f.all()[0])) {
            m.insert(
                "balance_efficiency_innovation".into(),
                metric(Some(lean.value()), String::new()),
            );
        }
        if g.group.is_organisation() {
            let gaps = self.leadership_gaps().unwrap_or_default();
            if !gaps.is_empty() {
                let v = Gap::verdict(&gaps);
                let higher = v.higher_significant;
                m.insert(
                    "leadership_higher_significant".into(),
                    metric(Some(higher as f64), higher.to_string()),
                );
                m.insert(
                    "leadership_gap_categories".into(),
                    metric(Some(v.categories as f64), v.categories.to_string()),
                );
                let share = higher as f64 / v.categories as f64;
                m.insert(
                    "leadership_higher_share".into(),
                    metric(Some(share), format::percent(share * 100.0, 0, lang)),
                );
                if let Some(x) = v.largest {
                    m.insert(
                        "leadership_gap_largest".into(),
                        metric(None, self.category_name(&x.key)),
                    );
                    m.insert(
                        "leadership_gap_largest_points".into(),
                        metric(
                            Some(x.diff),
                            format::points_between(x.a.mean, x.b.mean, 1, lang)
                                .trim_start_matches('+')
                                .to_string(),
                        ),
                    );
                }
            }
        }
        m
    }

    /// A category's name in the report's language (its code if the model
    /// has no such category).
    pub(crate) fn category_name(&self, code: &str) -> String {
        self.model
            .category(code)
            .map_or(code, |c| c.name.get(self.lang().code()))
            .to_string()
    }

    /// One set of metrics per priority (a weak category with at most one
    /// ongoing or planned initiative): category, index, ongoing_planned,
    /// and priority (the portfolio section's sentence).
    fn priority_metrics(&self, priorities: &[Priority], global: &Metrics) -> Vec<Metrics> {
        let lang = self.lang();
        priorities
            .iter()
            .map(|p| {
                let mut m = global.clone();
                let text = self.priority_texts(std::slice::from_ref(p)).concat();
                m.insert("priority".into(), metric(None, text));
                m.insert("priority_count".into(), metric(Some(1.0), "1".into()));
                m.insert(
                    "category".into(),
                    metric(None, self.category_name(&p.category)),
                );
                m.insert(
                    "index".into(),
                    metric(Some(p.index), format::percent(p.index, 1, lang)),
                );
                m.insert(
                    "ongoing_planned".into(),
                    metric(
                        Some(p.ongoing_planned as f64),
                        p.ongoing_planned.to_string(),
                    ),
                );
                m
            })
            .collect()
    }

    /// One set of metrics per category whose index fell significantly since
    /// the previous survey (as printed), the largest fall first: category,
    /// change.
    fn decline_metrics(&self, g: &GroupResult, global: &Metrics) -> Vec<Metrics> {
        let lang = self.lang();
        let mut declines: Vec<(f64, Metrics)> = self
            .model
            .categories
            .iter()
            .filter_map(|c| {
                let ch = self
                    .analysis
                    .change(self.year, &g.group, Level::Category, &c.code)?;
                let now = g.index(Level::Category, &c.code)?;
                let shown = format::displayed(now, 1) - format::displayed(ch.before, 1);
                (ch.significant == Some(true) && shown < 0.0).then(|| {
                    let mut m = global.clone();
                    m.insert("category".into(), metric(None, self.category_name(&c.code)));
                    m.insert(
                        "change".into(),
                        metric(Some(shown), format::points_between(now, ch.before, 1, lang)),
                    );
                    (shown, m)
                })
            })
            .collect();
        declines.sort_by(|a, b| a.0.total_cmp(&b.0));
        declines.into_iter().map(|(_, m)| m).collect()
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
            "weak_category_with_one_initiative",
            "significant_decline",
            "leadership_gap",
            "unbalanced_portfolio",
        ] {
            let r = rule(&rules, id);
            assert!(!r.sv.is_empty() && !r.en.is_empty(), "{id}");
        }
        let r = rule(&rules, "leadership_gap");
        assert!(holds(r, &one("leadership_higher_significant", 1.0), &th()));
        assert!(!holds(r, &one("leadership_higher_significant", 0.0), &th()));
        let r = rule(&rules, "significant_decline");
        assert_eq!(r.each.as_deref(), Some("decline"));
        assert!(holds(r, &one("change", -0.1), &th()));
        let r = rule(&rules, "unbalanced_portfolio");
        assert!(holds(r, &one("balance_efficiency_innovation", 1.0), &th()));
        for other in [0.0, -1.0, 2.0] {
            assert!(!holds(
                r,
                &one("balance_efficiency_innovation", other),
                &th()
            ));
        }
        let r = rule(&rules, "weakest_category");
        assert!(holds(r, &one("weakest_category_is_priority", 0.0), &th()));
        assert!(!holds(r, &one("weakest_category_is_priority", 1.0), &th()));
        let r = rule(&rules, "weak_category_without_initiatives");
        assert!(holds(r, &one("ongoing_planned", 0.0), &th()));
        assert!(!holds(r, &one("ongoing_planned", 1.0), &th()));
        assert_eq!(r.each.as_deref(), Some("priority"));
    }

    #[test]
    fn no_recommendation_contradicts_a_finding() {
        let recs = default_rules();
        let unbalanced = rule(&recs, "unbalanced_portfolio");
        let findings = crate::portfolio::findings::default_rules();
        for lean in [1.0, 0.0, -1.0, 2.0] {
            let m = one("balance_efficiency_innovation", lean);
            let said: Vec<&str> = findings
                .iter()
                .filter(|r| r.metric == "balance_efficiency_innovation" && holds(r, &m, &th()))
                .map(|r| r.id.as_str())
                .collect();
            // exactly one verdict, and the recommendation only with "leans
            // to efficiency"
            assert_eq!(said.len(), 1, "{lean}: {said:?}");
            assert_eq!(holds(unbalanced, &m, &th()), said == ["leans_efficiency"]);
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
