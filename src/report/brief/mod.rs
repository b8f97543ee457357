//! The preparation brief's model: one page per proposal (or per package
//! of proposals) saying what approving it would do to the portfolio: where
//! it sits on the three axes, the balance before and after, the weak and
//! priority categories and statements it strengthens or leaves, and the
//! portfolio findings that would change. Figures come from
//! [`crate::analyse::brief::Assessment`]; this only words and formats them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Context;

mod verdict;
use crate::analyse::brief::Assessment;
use crate::analyse::portfolio::{PortfolioFigures, Shares};
use crate::analyse::GroupResult;
use crate::format;
use crate::lang::Texts;
use crate::portfolio::Initiative;

/// One brief.
#[derive(Debug, Clone, Serialize)]
pub struct BriefDoc {
    /// Kind "brief"; headline "Beredningsunderlag"; subtitle the
    /// proposal's name or the package's; the date line what the brief
    /// rests on (the survey and register years); the language table with
    /// `{subject}` filled, so that the headings and intros name the
    /// proposal or the package.
    #[serde(flatten)]
    pub header: super::DocHeader,
    /// The proposal's particulars: label and value.
    pub facts: Vec<[String; 2]>,
    /// A package's proposals, one line each (empty for one proposal).
    pub package: Vec<String>,
    /// The verdict: a summary, then one sentence per category it
    /// strengthens, then what it leaves.
    pub verdict: Vec<String>,
    pub axes: Vec<AxisPosition>,
    pub balance: Vec<BalanceShift>,
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
    /// The proposals it is about: one, or the package's.
    pub fn items(&self) -> Vec<&Initiative> {
        match self {
            Subject::Proposal(p) => vec![*p],
            Subject::Package { items, .. } => items.to_vec(),
        }
    }
}

/// The language table with the brief's subject in every text: `{subject}`
/// and `{subject_lc}` are "Förslaget" and "förslaget", or "Paketet" and
/// "paketet" (`brief_subject*`).
struct Words<'t> {
    texts: &'t Texts,
    subject: [(&'static str, String); 2],
}

impl<'t> Words<'t> {
    fn new(texts: &'t Texts, subject: &Subject) -> Self {
        let key = match subject {
            Subject::Proposal(_) => "brief_subject",
            Subject::Package { .. } => "brief_subject_package",
        };
        Words {
            texts,
            subject: [
                ("subject", texts.get(key)),
                ("subject_lc", texts.get(&format!("{key}_lc"))),
            ],
        }
    }

    fn get(&self, key: &str) -> String {
        self.fill(key, &[])
    }

    fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut all = values.to_vec();
        all.extend(self.subject.iter().map(|(k, v)| (*k, v.as_str())));
        self.texts.fill(key, &all)
    }

    fn fill_count(&self, key: &str, n: usize, values: &[(&str, &str)]) -> String {
        let mut all = values.to_vec();
        all.extend(self.subject.iter().map(|(k, v)| (*k, v.as_str())));
        self.texts.fill_count(key, n, &all)
    }

    /// The whole table, the subject filled, for the template.
    fn table(&self) -> BTreeMap<String, String> {
        self.texts
            .all()
            .keys()
            .map(|k| (k.clone(), self.get(k)))
            .collect()
    }
}

/// What the brief rests on, for its basis line.
pub struct Basis<'a> {
    /// The organisation's figures (the latest survey year), hidden or
    /// not; `None` without survey figures.
    pub group: Option<&'a GroupResult>,
    /// The register year of the current portfolio.
    pub register_year: i32,
    /// The current portfolio.
    pub current: &'a [&'a Initiative],
}

impl Context<'_> {
    /// The brief of `subject`, assessed as `a`.
    pub fn brief(&self, subject: &Subject, a: &Assessment, basis: &Basis) -> BriefDoc {
        let lang = self.lang();
        let w = Words::new(self.texts, subject);
        let items = subject.items();
        let (subtitle, package) = match subject {
            Subject::Proposal(p) => (p.name.clone(), Vec::new()),
            Subject::Package { name, items } => (
                w.fill("brief_package", &[("name", name)]),
                items.iter().map(|p| self.proposal_line(p)).collect(),
            ),
        };
        let headline = w.get("brief_headline");
        let register = basis.register_year.to_string();
        let (n, active) = (
            format::count(a.before.initiatives, lang),
            format::count(a.before.active, lang),
        );
        let mut values = vec![
            ("register", register.as_str()),
            ("n", n.as_str()),
            ("active", active.as_str()),
        ];
        let survey = basis.group.map(|g| g.year.to_string()).unwrap_or_default();
        values.push(("survey", &survey));
        let generated = match basis.group {
            Some(g) if g.shown() => w.fill("brief_basis", &values),
            Some(_) => w.fill("brief_basis_hidden", &values),
            None => w.fill("brief_basis_no_survey", &values),
        };
        let shown = basis.group.filter(|g| g.shown());
        BriefDoc {
            header: super::DocHeader {
                title: w.fill(
                    "brief_title",
                    &[
                        ("headline", &headline),
                        ("name", &subtitle),
                        ("organisation", self.organisation),
                    ],
                ),
                headline,
                subtitle,
                generated,
                organisation: self.organisation.to_string(),
                t: w.table(),
                ..super::DocHeader::dated("brief", self.texts, self.date, self.accent)
            },
            facts: self.facts(&w, &items),
            package,
            verdict: self.verdict(&w, a, shown),
            axes: self.axes(&w, a, basis.current, &items),
            balance: self.balance_shift(&w, &a.before, &a.after),
            strengthens: self.strengthens(&w, a),
            leaves: self.leaves(&w, a),
            findings: self.changed_findings(a, shown),
        }
    }

    /// A package's proposal in a line: name, id, budget.
    fn proposal_line(&self, p: &Initiative) -> String {
        match p.budget {
            Some(b) => format!("{} ({}, {})", p.name, p.id, self.money(b)),
            None => format!("{} ({})", p.name, p.id),
        }
    }

    fn facts(&self, t: &Words, items: &[&Initiative]) -> Vec<[String; 2]> {
        let mut facts = Vec::new();
        if let [p] = items {
            facts.push([t.get("brief_id"), p.id.clone()]);
            if let Some(u) = &p.unit {
                facts.push([t.get("brief_unit"), u.clone()]);
            }
        }
        let budgets: Vec<f64> = items.iter().filter_map(|p| p.budget).collect();
        let budget = self.money(budgets.iter().sum());
        if budgets.len() == items.len() {
            facts.push([t.get("brief_budget"), budget]);
        } else if !budgets.is_empty() {
            let (n, of) = (budgets.len().to_string(), items.len().to_string());
            facts.push([
                t.get("brief_budget"),
                t.fill(
                    "brief_budget_partial",
                    &[("budget", &budget), ("n", &n), ("of", &of)],
                ),
            ]);
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

    /// Each axis: the portfolio's initiatives, its mean and the proposals.
    fn axes(
        &self,
        t: &Words,
        a: &Assessment,
        current: &[&Initiative],
        items: &[&Initiative],
    ) -> Vec<AxisPosition> {
        let lang = self.lang();
        let frac = |v: f64| ((v + 1.0) / 2.0).clamp(0.0, 1.0);
        super::AXIS_POLES
            .iter()
            .enumerate()
            .map(|(k, (low, high))| {
                let b = &a.before.all()[k];
                let proposals: Vec<f64> = items.iter().filter_map(|p| p.axes[k]).collect();
                let position = |v: f64| format::number(v, 2, lang);
                let placed: Vec<String> = proposals.iter().map(|v| position(*v)).collect();
                let placed = if placed.is_empty() {
                    t.get("brief_no_position")
                } else {
                    self.and_list(&placed)
                };
                AxisPosition {
                    alt: t.fill(
                        "brief_alt_axis",
                        &[
                            ("low", &t.get(low)),
                            ("high", &t.get(high)),
                            ("proposal", &placed),
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
        t: &Words,
        before: &PortfolioFigures,
        after: &PortfolioFigures,
    ) -> Vec<BalanceShift> {
        let three = |s: Option<Shares>| s.map(|s| [s.low, s.middle, s.high]);
        let texts = |s: Option<Shares>| match s {
            Some(s) => s.percents().map(|p| self.pct(p)),
            None => ["–".into(), "–".into(), "–".into()],
        };
        let joined = |s: &[String; 3]| format!("{} / {} / {}", s[0], s[1], s[2]);
        super::AXIS_POLES
            .iter()
            .enumerate()
            .map(|(k, (low, high))| {
                let count = [before, after].map(|f| f.all()[k].by_count);
                let budget = [before, after].map(|f| f.all()[k].by_budget);
                let [bc, ac] = count.map(texts);
                let [bb, ab] = budget.map(texts);
                BalanceShift {
                    alt: t.fill(
                        "brief_alt_balance",
                        &[
                            ("low", &t.get(low)),
                            ("high", &t.get(high)),
                            ("count_before", &joined(&bc)),
                            ("count_after", &joined(&ac)),
                            ("budget_before", &joined(&bb)),
                            ("budget_after", &joined(&ab)),
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
