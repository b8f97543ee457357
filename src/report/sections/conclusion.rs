//! The conclusion on the key figures page: a few sentences from the rules
//! in `src/defaults/conclusions.toml` (so that organisations with different
//! profiles read differently), and the three most important actions: the
//! head of the report's one ranked list (`recommendations.toml`).

use serde::{Deserialize, Serialize};

use super::recommendations::{metric, Metrics};
use super::Scope;
use crate::analyse::{GroupResult, Level};
use crate::format;
use crate::portfolio::findings::{holds, sentence, Rule};
use crate::report::{Common, Context};

const DEFAULT_RULES: &str = include_str!("../../defaults/conclusions.toml");

/// How many actions the conclusion names at most.
pub(crate) const ACTIONS: usize = 3;

/// The section's data.
#[derive(Debug, Clone, Serialize)]
pub struct ConclusionSection {
    /// The conclusion, sentence by sentence.
    pub conclusion: Vec<String>,
    /// The most important actions, the most important first: the head of
    /// the report's one ranked list, word for word as the recommendations
    /// section prints it.
    pub actions: Vec<String>,
    /// Why fewer than three actions are named, when they are.
    pub actions_fewer: Option<String>,
    /// Unit report: the statements where the unit differs significantly
    /// from the rest of the organisation (Welch, Holm-adjusted), largest
    /// first.
    pub differences: Vec<String>,
}

/// The conclusion's rules and how many sentences it holds at most.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub max: usize,
    pub conclusions: Vec<Rule>,
}

/// The built-in rules.
pub fn default_rules() -> Rules {
    toml::from_str(DEFAULT_RULES).expect("the built-in conclusions are valid (unit test)")
}

/// The section's entry in [`super::SECTIONS`].
pub(crate) struct Entry;

impl super::Section for Entry {
    fn name(&self) -> &'static str {
        "conclusion"
    }

    fn template(&self) -> &'static str {
        include_str!("../../../report-templates/sections/conclusion.typ")
    }

    fn build(&self, cx: &Context, s: &Scope) -> Option<serde_json::Value> {
        super::data(cx.common.conclusion(s))
    }
}

impl Common<'_> {
    /// The conclusion and actions of the report's group.
    pub(crate) fn conclusion(&self, s: &Scope) -> ConclusionSection {
        let rules = default_rules();
        let m = self.conclusion_metrics(s.g);
        let mut conclusion: Vec<String> = rules
            .conclusions
            .iter()
            .filter(|r| holds(r, &m, self.thresholds))
            .map(|r| sentence(r, &m, self.lang()))
            .collect();
        conclusion.truncate(rules.max);
        let actions: Vec<String> = s.actions.iter().take(ACTIONS).cloned().collect();
        let fewer = (actions.len() < ACTIONS).then(|| {
            let key = if actions.is_empty() {
                "actions_none"
            } else {
                "actions_fewer"
            };
            self.texts.get(key)
        });
        ConclusionSection {
            conclusion,
            actions,
            actions_fewer: fewer,
            differences: self.differences(s.g),
        }
    }

    /// The figures the conclusion's rules test, as printed.
    fn conclusion_metrics(&self, g: &GroupResult) -> Metrics {
        let lang = self.lang();
        let portfolio = self.analysis.portfolio_of(self.year, &g.group);
        let mut m = self.group_metrics(g, portfolio);
        let total = g.total.index.unwrap_or_default();
        m.insert(
            "total_index".into(),
            metric(Some(total), format::percent(total, 1, lang)),
        );
        let change = self
            .analysis
            .change(self.year, &g.group, Level::Total, "total");
        m.insert(
            "has_previous".into(),
            metric(Some(change.is_some() as u8 as f64), String::new()),
        );
        if let Some(c) = change {
            let shown = format::displayed(total, 1) - format::displayed(c.before, 1);
            let direction = match c.significant {
                Some(true) if shown > 0.0 => 1.0,
                Some(true) if shown < 0.0 => -1.0,
                _ => 0.0,
            };
            m.insert(
                "previous_year".into(),
                metric(Some(c.from_year as f64), c.from_year.to_string()),
            );
            m.insert(
                "total_change".into(),
                metric(
                    Some(shown),
                    format::points_between(total, c.before, 1, lang),
                ),
            );
            m.insert(
                "total_change_significant".into(),
                metric(Some(direction), String::new()),
            );
        }
        if let Some(b) = self.benchmarks.get(self.year, Level::Total, "total") {
            let diff = format::displayed(total, 1) - format::displayed(b, 1);
            let population = self.population_name();
            m.insert(
                "benchmark".into(),
                metric(Some(b), format::percent(b, 1, lang)),
            );
            m.insert("benchmark_population".into(), metric(None, population));
            m.insert(
                "benchmark_diff".into(),
                metric(Some(diff), format::points(diff, 1, lang)),
            );
            m.insert(
                "benchmark_diff_abs".into(),
                metric(
                    Some(diff.abs()),
                    format::points(diff.abs(), 1, lang)
                        .trim_start_matches('+')
                        .to_string(),
                ),
            );
        }
        let (strong, weak) = (self.ranked(g, true), self.ranked(g, false));
        if let (Some(s), Some(w)) = (strong.first(), weak.first()) {
            m.insert(
                "has_strongest_and_weakest".into(),
                metric(Some(1.0), String::new()),
            );
            m.insert("strongest_category".into(), metric(None, s.name.clone()));
            m.insert(
                "strongest_category_index".into(),
                metric(None, s.value.text.clone()),
            );
            // the weakest that stands out (group_metrics' is the lowest)
            m.insert("weakest_category".into(), metric(None, w.name.clone()));
            m.insert(
                "weakest_category_index".into(),
                metric(None, w.value.text.clone()),
            );
        }
        m
    }

    /// A unit's statements that differ significantly from the rest of the
    /// organisation, largest difference first, in words.
    fn differences(&self, g: &GroupResult) -> Vec<String> {
        let Some(unit) = g.group.unit() else {
            return Vec::new();
        };
        let lang = self.lang();
        let mut found: Vec<_> = self
            .analysis
            .unit_vs_rest(self.year, unit, self.model)
            .into_iter()
            .filter(|d| d.significant())
            .collect();
        found.sort_by(|a, b| {
            let gap = |d: &crate::analyse::StatementDifference| (d.unit.mean - d.rest.mean).abs();
            gap(b).total_cmp(&gap(a)).then(a.key.cmp(&b.key))
        });
        found
            .iter()
            .filter_map(|d| {
                let st = self.model.statements.iter().find(|s| s.code == d.key)?;
                Some(self.texts.fill(
                    "difference_statement",
                    &[
                        ("text", st.text.get(lang.code())),
                        ("unit", &format::percent(d.unit.mean, 1, lang)),
                        ("rest", &format::percent(d.rest.mean, 1, lang)),
                    ],
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_rules_load_and_name_known_thresholds() {
        let rules = default_rules();
        assert_eq!(rules.max, 3);
        let th = crate::config::Config::builtin().thresholds;
        let one = |name: &str, v: f64| -> Metrics {
            [(name.to_string(), metric(Some(v), v.to_string()))].into()
        };
        let rule = |id: &str| rules.conclusions.iter().find(|r| r.id == id).unwrap();
        // exactly one of rose / fell / steady for a direction
        for (dir, id) in [(1.0, "rose"), (-1.0, "fell"), (0.0, "steady")] {
            let m = one("total_change_significant", dir);
            let held: Vec<&str> = ["rose", "fell", "steady"]
                .into_iter()
                .filter(|i| holds(rule(i), &m, &th))
                .collect();
            assert_eq!(held, [id]);
        }
        assert!(holds(
            rule("above_benchmark"),
            &one("benchmark_diff", 0.1),
            &th
        ));
        assert!(
            !holds(rule("above_benchmark"), &one("benchmark_diff", 0.0), &th),
            "0,0 is neither"
        );
        assert!(!holds(
            rule("below_benchmark"),
            &one("benchmark_diff", 0.0),
            &th
        ));
    }
}
