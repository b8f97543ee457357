//! The conclusion on the key figures page: a few sentences from the rules
//! in `src/defaults/conclusions.toml` (so that organisations with different
//! profiles read differently), and the three most important actions,
//! ranked: weak categories without ongoing or planned initiatives first,
//! then significant declines, then the largest significant gaps between
//! leadership and the others.

use serde::{Deserialize, Serialize};

use super::recommendations::{metric, Metrics};
use super::Scope;
use crate::analyse::{GroupResult, Level};
use crate::format;
use crate::portfolio::findings::{holds, sentence, Rule};
use crate::report::Context;

const DEFAULT_RULES: &str = include_str!("../../defaults/conclusions.toml");

/// How many actions the conclusion names at most.
const ACTIONS: usize = 3;

/// The section's data.
#[derive(Debug, Clone, Serialize)]
pub struct ConclusionSection {
    /// The conclusion, sentence by sentence.
    pub conclusion: Vec<String>,
    /// The most important actions, the most important first.
    pub actions: Vec<String>,
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
        super::data(cx.conclusion(s))
    }
}

impl Context<'_> {
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
        ConclusionSection {
            conclusion,
            actions: self.actions(s.g),
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

    /// The most important actions, ranked: weak categories without ongoing
    /// or planned initiatives, significant declines, then the significant
    /// leadership gap (one action, naming its largest category).
    fn actions(&self, g: &GroupResult) -> Vec<String> {
        let (t, lang) = (self.texts, self.lang());
        let lc = lang.code();
        let name = |code: &str| {
            self.model
                .category(code)
                .map(|c| c.name.get(lc).to_string())
                .unwrap_or_default()
        };
        let mut out = Vec::new();
        if let Some(f) = self.analysis.portfolio_of(self.year, &g.group) {
            for p in &f.priorities {
                let key = if p.ongoing_planned == 0 {
                    "action_priority"
                } else {
                    "action_priority_few"
                };
                out.push(t.fill(
                    key,
                    &[
                        ("category", &name(&p.category)),
                        ("index", &format::percent(p.index, 1, lang)),
                    ],
                ));
            }
        }
        let mut declines: Vec<(f64, String, String)> = self
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
                    (
                        shown,
                        c.name.get(lc).to_string(),
                        format::points_between(now, ch.before, 1, lang),
                    )
                })
            })
            .collect();
        declines.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (_, category, change) in declines {
            out.push(t.fill(
                "action_decline",
                &[("category", &category), ("change", &change)],
            ));
        }
        if g.group.is_organisation() {
            let mut gaps: Vec<_> = self
                .leadership_gaps()
                .unwrap_or_default()
                .into_iter()
                .filter(|x| x.significant == Some(true) && x.diff > 0.0)
                .collect();
            gaps.sort_by(|a, b| b.diff.total_cmp(&a.diff).then(a.key.cmp(&b.key)));
            // one action for the gap, naming the largest: the same advice
            // for every category is said once
            if let Some(x) = gaps.first() {
                let all = self.leadership_gaps().map_or(0, |g| g.len());
                out.push(
                    t.fill(
                        "action_gap",
                        &[
                            ("n", &gaps.len().to_string()),
                            ("all", &all.to_string()),
                            ("category", &name(&x.key)),
                            (
                                "gap",
                                format::points_between(x.a.mean, x.b.mean, 1, lang)
                                    .trim_start_matches('+'),
                            ),
                        ],
                    ),
                );
            }
        }
        out.truncate(ACTIONS);
        out
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
