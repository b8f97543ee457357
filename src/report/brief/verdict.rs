//! The brief's words: the verdict, what the proposal strengthens and
//! leaves, and the portfolio findings that change.

use super::{FindingChange, Words};
use crate::analyse::brief::{Assessment, CategoryShift, Standing};
use crate::analyse::GroupResult;
use crate::format;
use crate::portfolio::findings;
use crate::report::Common;

impl Common<'_> {
    /// The verdict: the summary, a sentence per category strengthened, and
    /// the priorities it leaves.
    pub(super) fn verdict(
        &self,
        t: &Words,
        a: &Assessment,
        group: Option<&GroupResult>,
    ) -> Vec<String> {
        let covered: Vec<&CategoryShift> = a.categories.iter().filter(|c| c.covered).collect();
        if covered.is_empty() {
            return vec![t.get("brief_summary_unlinked")];
        }
        let Some(total) = group.and_then(|g| g.total.index) else {
            return vec![t.get("brief_summary_no_survey")];
        };
        // the weak statements nothing ongoing or planned strengthens today,
        // which it would
        let gaps: Vec<String> = a
            .statements
            .iter()
            .filter(|s| s.weak_uncovered[0] && !s.weak_uncovered[1])
            .map(|s| s.code.clone())
            .collect();
        let summary = if covered.iter().any(|c| c.priority[0]) {
            "brief_summary_priority"
        } else if !gaps.is_empty() {
            "brief_summary_gap"
        } else if covered.iter().any(|c| c.standing == Standing::Weak) {
            "brief_summary_weak"
        } else if covered
            .iter()
            .all(|c| c.standing == Standing::Strong || c.crowded)
        {
            "brief_summary_strong"
        } else {
            "brief_summary_middle"
        };
        let mut out = vec![t.fill_count(summary, covered.len(), &[])];
        let lang = self.lang();
        for c in covered {
            let key = match (c.priority[0], c.standing, c.crowded) {
                (true, _, _) => "brief_priority",
                (_, Standing::Weak, _) => "brief_weak",
                (_, Standing::Strong, true) => "brief_strong_crowded",
                (_, Standing::Strong, false) => "brief_strong",
                (_, Standing::Middle, true) => "brief_crowded",
                (_, Standing::Middle, false) => "brief_middle",
            };
            let mut s = t.fill_count(
                key,
                c.active[0],
                &[
                    ("category", &self.category_name(&c.code)),
                    (
                        "index",
                        &c.index.map_or("–".into(), |v| format::percent(v, 1, lang)),
                    ),
                    ("total", &format::percent(total, 1, lang)),
                    ("n", &format::count(c.active[0], lang)),
                ],
            );
            if c.priority[0] && !c.priority[1] {
                s.push(' ');
                s.push_str(&t.get("brief_priority_met"));
            }
            out.push(s);
        }
        if !gaps.is_empty() {
            out.push(t.fill_count(
                "brief_gaps",
                gaps.len(),
                &[("statements", &self.and_list(&gaps))],
            ));
        }
        let left: Vec<String> = a
            .categories
            .iter()
            .filter(|c| c.priority[1] && !c.covered)
            .map(|c| self.category_name(&c.code))
            .collect();
        if !left.is_empty() {
            out.push(t.fill_count(
                "brief_priorities_left",
                left.len(),
                &[("categories", &self.and_list(&left))],
            ));
        }
        out
    }

    /// The categories the proposals strengthen, each with the statements
    /// of it they strengthen.
    pub(super) fn strengthens(&self, t: &Words, a: &Assessment) -> Vec<String> {
        let lang = self.lang();
        let index = |v: Option<f64>| v.map_or("–".into(), |v| format::percent(v, 1, lang));
        a.categories
            .iter()
            .filter(|c| c.covered)
            .map(|c| {
                let key = if c.priority[0] {
                    "brief_line_category_priority"
                } else {
                    "brief_line_category"
                };
                let mut line = t.fill(
                    key,
                    &[
                        ("category", &self.category_name(&c.code)),
                        ("index", &index(c.index)),
                        ("before", &c.active[0].to_string()),
                        ("after", &c.active[1].to_string()),
                    ],
                );
                let statements: Vec<String> = a
                    .statements
                    .iter()
                    .filter(|s| s.covered && s.category == c.code)
                    .map(|s| {
                        let key = if s.weak {
                            "brief_line_statement_weak"
                        } else {
                            "brief_line_statement"
                        };
                        t.fill(
                            key,
                            &[
                                ("code", &s.code),
                                ("index", &index(s.index)),
                                ("before", &s.active[0].to_string()),
                                ("after", &s.active[1].to_string()),
                            ],
                        )
                    })
                    .collect();
                if !statements.is_empty() {
                    line.push_str("; ");
                    line.push_str(&statements.join(", "));
                }
                line
            })
            .collect()
    }

    /// The priorities the proposals do not strengthen, and the weak
    /// statements that still have nothing ongoing or planned after
    /// approval.
    pub(super) fn leaves(&self, t: &Words, a: &Assessment) -> Vec<String> {
        let lang = self.lang();
        let index = |v: Option<f64>| v.map_or("–".into(), |v| format::percent(v, 1, lang));
        let mut out: Vec<String> = a
            .categories
            .iter()
            .filter(|c| c.priority[1] && !c.covered)
            .map(|c| {
                t.fill_count(
                    "brief_leaves_priority",
                    c.active[1],
                    &[
                        ("category", &self.category_name(&c.code)),
                        ("index", &index(c.index)),
                        ("n", &c.active[1].to_string()),
                    ],
                )
            })
            .collect();
        let weak: Vec<String> = a
            .statements
            .iter()
            .filter(|s| s.weak_uncovered[1])
            .map(|s| format!("{} ({})", s.code, index(s.index)))
            .collect();
        if !weak.is_empty() {
            out.push(t.fill(
                "brief_leaves_statements",
                &[("statements", &self.and_list(&weak))],
            ));
        }
        out
    }

    /// The portfolio findings that hold after approval and not before
    /// ("new", worded with the figures after) and the other way round
    /// ("gone", with the figures before).
    pub(super) fn changed_findings(
        &self,
        a: &Assessment,
        group: Option<&GroupResult>,
    ) -> Vec<FindingChange> {
        let Some(g) = group else {
            return Vec::new();
        };
        let rules = findings::default_rules();
        let [before, after] = [&a.before, &a.after].map(|f| self.portfolio_metrics(g, f));
        let lang = self.lang();
        let mut out = Vec::new();
        for rule in &rules {
            let (was, is) = (
                findings::holds(rule, &before, self.thresholds),
                findings::holds(rule, &after, self.thresholds),
            );
            match (was, is) {
                (false, true) => out.push(FindingChange {
                    change: "new",
                    text: findings::sentence(rule, &after, lang),
                }),
                (true, false) => out.push(FindingChange {
                    change: "gone",
                    text: findings::sentence(rule, &before, lang),
                }),
                _ => {}
            }
        }
        out
    }
}
