//! The preparation brief's model: one page per proposal (or per package
//! of proposals) saying what approving it would do to the portfolio: where
//! it sits on the three axes, the balance before and after, the weak and
//! priority categories and statements it strengthens or leaves, and the
//! portfolio findings that would change. Figures come from
//! [`crate::analyse::brief::Assessment`]; this only words and formats them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Context;
use crate::analyse::brief::{Assessment, CategoryShift, Standing};
use crate::analyse::portfolio::{AxisBalance, PortfolioFigures};
use crate::analyse::GroupResult;
use crate::format;
use crate::portfolio::findings;
use crate::portfolio::Initiative;

/// One brief.
#[derive(Debug, Clone, Serialize)]
pub struct BriefDoc {
    pub kind: &'static str,
    pub lang: &'static str,
    /// The PDF's document title.
    pub title: String,
    /// "Beredningsunderlag".
    pub headline: String,
    /// The proposal's name, or the package's.
    pub subtitle: String,
    /// What the brief rests on: the survey and register years.
    pub generated: String,
    pub model_description: String,
    pub organisation: String,
    /// Always `None`: the page header's unit.
    pub unit: Option<String>,
    pub date: String,
    pub date_ymd: [u32; 3],
    pub accent: String,
    pub t: BTreeMap<String, String>,
    /// The proposal's particulars: label and value.
    pub facts: Vec<[String; 2]>,
    /// A package's proposals, one line each (empty for one proposal).
    pub package: Vec<String>,
    /// The verdict: a summary, then one sentence per category it
    /// strengthens, then what it leaves.
    pub verdict: Vec<String>,
    pub axes: Vec<AxisPosition>,
    pub balance: Vec<BalanceShift>,
    /// The headings of the two lists below, naming the proposal or the
    /// package.
    pub strengthens_heading: String,
    pub leaves_heading: String,
    /// How to read the lines of `strengthens`.
    pub strengthens_note: String,
    /// The categories it strengthens, each with its statements, one line
    /// each.
    pub strengthens: Vec<String>,
    /// The priorities and weak statements left without anything ongoing
    /// or planned, one line each.
    pub leaves: Vec<String>,
    /// Portfolio findings that would appear or go.
    pub findings: Vec<FindingChange>,
}

/// The proposals and the current portfolio on one axis, as fractions of
/// the axis (0 = the low pole, 1 = the high pole).
#[derive(Debug, Clone, Serialize)]
pub struct AxisPosition {
    pub low: String,
    pub high: String,
    /// The current initiatives with a value on the axis, stacked by
    /// position: the histogram under the axis.
    pub portfolio: Vec<Stack>,
    /// The portfolio's budget-weighted mean.
    pub mean: Option<f64>,
    /// The proposals with a value on the axis.
    pub proposals: Vec<f64>,
    pub alt: String,
}

/// The initiatives at one position of an axis.
#[derive(Debug, Clone, Serialize)]
pub struct Stack {
    /// The position, 0-1 of the axis.
    pub x: f64,
    /// The count relative to the tallest stack of the axis.
    pub height: f64,
    pub n: usize,
}

/// One axis's balance before and after approval, by count and by budget.
#[derive(Debug, Clone, Serialize)]
pub struct BalanceShift {
    pub low: String,
    pub high: String,
    /// Before, after: shares of low, middle, high.
    pub count: [Option<[f64; 3]>; 2],
    pub count_text: [[String; 3]; 2],
    pub budget: [Option<[f64; 3]>; 2],
    pub budget_text: [[String; 3]; 2],
    pub alt: String,
}

/// A portfolio finding that approval would bring or remove.
#[derive(Debug, Clone, Serialize)]
pub struct FindingChange {
    /// "new" or "gone".
    pub change: &'static str,
    pub text: String,
}

/// What a brief is about: one proposal, or a package from a file.
pub enum Subject<'a> {
    Proposal(&'a Initiative),
    Package {
        name: &'a str,
        items: &'a [&'a Initiative],
    },
}

impl Subject<'_> {
    fn items(&self) -> Vec<&Initiative> {
        match self {
            Subject::Proposal(p) => vec![*p],
            Subject::Package { items, .. } => items.to_vec(),
        }
    }

    /// The word for it in the brief's sentences: "Förslaget", "Paketet".
    fn word(&self, t: &crate::lang::Texts) -> [(&'static str, String); 2] {
        let key = match self {
            Subject::Proposal(_) => "brief_subject",
            Subject::Package { .. } => "brief_subject_package",
        };
        let word = t.get(key);
        let lower = word.to_lowercase();
        [("subject", word), ("subject_lc", lower)]
    }
}

/// What the brief rests on, for its basis line.
pub struct Basis<'a> {
    /// The organisation's figures (the latest survey year); `None`
    /// without survey figures.
    pub group: Option<&'a GroupResult>,
    /// The register year of the current portfolio.
    pub register_year: i32,
    /// The current portfolio.
    pub current: &'a [&'a Initiative],
}

const POLES: [(&str, &str); 3] = [
    ("axis_efficiency", "axis_innovation"),
    ("axis_operational", "axis_strategic"),
    ("axis_internal", "axis_external"),
];

impl Context<'_> {
    /// The brief of `subject`, assessed as `a`.
    pub fn brief(&self, subject: &Subject, a: &Assessment, basis: &Basis) -> BriefDoc {
        let (t, lang) = (self.texts, self.lang());
        let items = subject.items();
        let (subtitle, package) = match subject {
            Subject::Proposal(p) => (p.name.clone(), Vec::new()),
            Subject::Package { name, items } => (
                t.fill("brief_package", &[("name", name)]),
                items.iter().map(|p| self.proposal_line(p)).collect(),
            ),
        };
        let headline = t.get("brief_headline");
        let word = subject.word(t);
        let active = basis
            .current
            .iter()
            .filter(|i| i.status != crate::portfolio::Status::Completed)
            .count();
        let generated = match basis.group {
            Some(g) => t.fill(
                "brief_basis",
                &[
                    ("survey", &g.year.to_string()),
                    ("register", &basis.register_year.to_string()),
                    ("n", &format::count(basis.current.len(), lang)),
                    ("active", &format::count(active, lang)),
                ],
            ),
            None => t.fill(
                "brief_basis_no_survey",
                &[
                    ("register", &basis.register_year.to_string()),
                    ("n", &format::count(basis.current.len(), lang)),
                    ("active", &format::count(active, lang)),
                ],
            ),
        };
        BriefDoc {
            kind: "brief",
            lang: lang.code(),
            title: format!("{headline}: {subtitle} – {}", self.organisation),
            headline,
            subtitle,
            generated,
            model_description: String::new(),
            organisation: self.organisation.to_string(),
            unit: None,
            date: format::date(self.date, lang),
            date_ymd: {
                use chrono::Datelike;
                [self.date.year() as u32, self.date.month(), self.date.day()]
            },
            accent: self.accent.to_string(),
            t: t.all().clone(),
            facts: self.facts(&items),
            package,
            verdict: self
                .verdict(a, basis.group)
                .into_iter()
                .map(|v| with_subject(&v, &word))
                .collect(),
            strengthens_heading: with_subject(&t.get("brief_strengthens"), &word),
            leaves_heading: with_subject(&t.get("brief_leaves"), &word),
            strengthens_note: with_subject(&t.get("brief_weak_note"), &word),
            axes: self.axes(basis.current, &items),
            balance: self.balance_shift(&a.before, &a.after),
            strengthens: self.strengthens(a),
            leaves: self.leaves(a),
            findings: self.changed_findings(a, basis.group),
        }
    }

    /// A package's proposal in a line: name, id, budget.
    fn proposal_line(&self, p: &Initiative) -> String {
        match p.budget {
            Some(b) => format!("{} ({}, {})", p.name, p.id, self.money(b)),
            None => format!("{} ({})", p.name, p.id),
        }
    }

    fn facts(&self, items: &[&Initiative]) -> Vec<[String; 2]> {
        let t = self.texts;
        let mut facts = Vec::new();
        if let [p] = items {
            facts.push([t.get("brief_id"), p.id.clone()]);
            if let Some(u) = &p.unit {
                facts.push([t.get("brief_unit"), u.clone()]);
            }
        }
        let budget: f64 = items.iter().filter_map(|p| p.budget).sum();
        if items.iter().any(|p| p.budget.is_some()) {
            facts.push([t.get("brief_budget"), self.money(budget)]);
        }
        let mut statements: Vec<&str> = items
            .iter()
            .flat_map(|p| p.statements.iter().map(String::as_str))
            .collect();
        statements.sort_unstable();
        statements.dedup();
        let lc = self.lang().code();
        let categories: Vec<&str> = self
            .model
            .categories
            .iter()
            .filter(|c| items.iter().any(|p| p.categories.contains(&c.code)))
            .map(|c| c.name.get(lc))
            .collect();
        let linked = if categories.is_empty() {
            t.get("brief_nothing_linked")
        } else if statements.is_empty() {
            self.and_list(&categories)
        } else {
            format!("{} ({})", statements.join(", "), self.and_list(&categories))
        };
        facts.push([t.get("brief_linked"), linked]);
        facts
    }

    /// The verdict: the summary, a sentence per category strengthened, and
    /// the priorities it leaves.
    fn verdict(&self, a: &Assessment, group: Option<&GroupResult>) -> Vec<String> {
        let t = self.texts;
        let covered: Vec<&CategoryShift> = a.categories.iter().filter(|c| c.covered).collect();
        if covered.is_empty() {
            return vec![t.get("brief_summary_unlinked")];
        }
        let Some(total) = group.and_then(|g| g.total.index) else {
            return vec![t.get("brief_summary_no_survey")];
        };
        let summary = if covered.iter().any(|c| c.priority[0]) {
            "brief_summary_priority"
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
        let mut out = vec![t.get(summary)];
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

    fn category_name(&self, code: &str) -> String {
        self.model
            .category(code)
            .map_or(code, |c| c.name.get(self.lang().code()))
            .to_string()
    }

    /// Each axis: the portfolio's initiatives, its mean and the proposals.
    fn axes(&self, current: &[&Initiative], items: &[&Initiative]) -> Vec<AxisPosition> {
        let (t, lang) = (self.texts, self.lang());
        let frac = |v: f64| ((v + 1.0) / 2.0).clamp(0.0, 1.0);
        POLES
            .iter()
            .enumerate()
            .map(|(k, (low, high))| {
                let b = crate::analyse::portfolio::balance(current, k);
                let proposals: Vec<f64> = items.iter().filter_map(|p| p.axes[k]).collect();
                let position = |v: f64| format::number(v, 2, lang);
                AxisPosition {
                    alt: t.fill(
                        "brief_alt_axis",
                        &[
                            ("low", &t.get(low)),
                            ("high", &t.get(high)),
                            (
                                "proposal",
                                &proposals
                                    .iter()
                                    .map(|v| position(*v))
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            ),
                            ("mean", &b.budget_mean.map_or("–".into(), position)),
                        ],
                    ),
                    low: t.get(low),
                    high: t.get(high),
                    portfolio: stacks(current.iter().filter_map(|i| i.axes[k]).map(frac)),
                    mean: b.budget_mean.map(frac),
                    proposals: proposals.into_iter().map(frac).collect(),
                }
            })
            .collect()
    }

    fn balance_shift(
        &self,
        before: &PortfolioFigures,
        after: &PortfolioFigures,
    ) -> Vec<BalanceShift> {
        let t = self.texts;
        let three =
            |s: Option<crate::analyse::portfolio::Shares>| s.map(|s| [s.low, s.middle, s.high]);
        let texts = |s: Option<crate::analyse::portfolio::Shares>| match s {
            Some(s) => [self.share(s.low), self.share(s.middle), self.share(s.high)],
            None => ["–".into(), "–".into(), "–".into()],
        };
        POLES
            .iter()
            .enumerate()
            .map(|(k, (low, high))| {
                let pair =
                    |f: &dyn Fn(&AxisBalance) -> Option<crate::analyse::portfolio::Shares>| {
                        [f(&before.all()[k]), f(&after.all()[k])]
                    };
                let count = pair(&|b| b.by_count);
                let budget = pair(&|b| b.by_budget);
                let [bc, ac] = count.map(texts);
                let [bb, ab] = budget.map(texts);
                BalanceShift {
                    alt: t.fill(
                        "brief_alt_balance",
                        &[
                            ("low", &t.get(low)),
                            ("high", &t.get(high)),
                            (
                                "count_before",
                                &format!("{} / {} / {}", bc[0], bc[1], bc[2]),
                            ),
                            ("count_after", &format!("{} / {} / {}", ac[0], ac[1], ac[2])),
                            (
                                "budget_before",
                                &format!("{} / {} / {}", bb[0], bb[1], bb[2]),
                            ),
                            (
                                "budget_after",
                                &format!("{} / {} / {}", ab[0], ab[1], ab[2]),
                            ),
                        ],
                    ),
                    low: t.get(low),
                    high: t.get(high),
                    count: count.map(three),
                    count_text: [bc, ac],
                    budget: budget.map(three),
                    budget_text: [bb, ab],
                }
            })
            .collect()
    }

    /// The categories the proposals strengthen, each with the statements
    /// of it they strengthen.
    fn strengthens(&self, a: &Assessment) -> Vec<String> {
        let (t, lang) = (self.texts, self.lang());
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
    fn leaves(&self, a: &Assessment) -> Vec<String> {
        let (t, lang) = (self.texts, self.lang());
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
    fn changed_findings(&self, a: &Assessment, group: Option<&GroupResult>) -> Vec<FindingChange> {
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

/// Positions counted: one stack per distinct position (to 1/1000 of the
/// axis), heights relative to the tallest.
fn stacks(positions: impl Iterator<Item = f64>) -> Vec<Stack> {
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for x in positions {
        *counts.entry((x * 1000.0).round() as i64).or_default() += 1;
    }
    let tallest = counts.values().copied().max().unwrap_or(1) as f64;
    counts
        .into_iter()
        .map(|(x, n)| Stack {
            x: x as f64 / 1000.0,
            height: n as f64 / tallest,
            n,
        })
        .collect()
}

/// A sentence with `{subject}` and `{subject_lc}` filled.
fn with_subject(text: &str, word: &[(&'static str, String); 2]) -> String {
    word.iter().fold(text.to_string(), |t, (k, v)| {
        t.replace(&format!("{{{k}}}"), v)
    })
}
