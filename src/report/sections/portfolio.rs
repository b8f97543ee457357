//! The portfolio section of a report: findings, the scatter of initiatives,
//! the balance per axis, coverage of the categories and the priorities.
//! Everything positioned and formatted here; the template only draws.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Scope, Section};
use crate::analyse::portfolio::{AxisBalance, Lean, PortfolioFigures, Priority, Shares};
use crate::analyse::{GroupResult, Level};
use crate::config::SectionsConfig;
use crate::format;
use crate::portfolio::findings::{self, Metric};
use crate::portfolio::{Initiative, Register};
use crate::report::{Common, Context};

#[derive(Debug, Clone, Serialize)]
pub struct ScatterPoint {
    /// Efficiency (0) .. innovation (1).
    pub x: f64,
    /// Operational (0) .. strategic (1).
    pub y: f64,
    /// Marker radius in points, by budget.
    pub r: f64,
    /// completed / ongoing / planned: drawn as circle, square, triangle.
    pub status: &'static str,
    /// The number of one of the largest initiatives, as listed in
    /// [`Portfolio::named`].
    pub label: Option<String>,
    /// Where the number stands beside the marker ("ne", "sw2", ...),
    /// chosen by [`super::labels::place_numbers`].
    pub anchor: &'static str,
}

/// A marker size of the scatter's key and the budget it stands for.
#[derive(Debug, Clone, Serialize)]
pub struct SizeKey {
    pub r: f64,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BalanceRow {
    /// Alternative text of the two bars.
    pub alt: String,
    pub low: String,
    pub high: String,
    /// Shares low, middle, high (0-1) and their texts.
    pub count: Option<[f64; 3]>,
    pub count_text: [String; 3],
    pub budget: Option<[f64; 3]>,
    pub budget_text: [String; 3],
}

#[derive(Debug, Clone, Serialize)]
pub struct CoverageRow {
    pub name: String,
    /// Completed, ongoing, planned: "3 · 1,2 mnkr".
    pub cells: [String; 3],
    pub counts: [usize; 3],
}

/// The section's data.
#[derive(Debug, Clone, Serialize)]
pub struct PortfolioSection {
    pub portfolio: Portfolio,
}

/// The portfolio of the group's initiatives, positioned and formatted.
#[derive(Debug, Clone, Serialize)]
pub struct Portfolio {
    pub intro: String,
    pub findings: Vec<String>,
    pub points: Vec<ScatterPoint>,
    /// The largest initiatives by budget, numbered as on the scatter:
    /// "1 Name (1,2 mnkr)".
    pub named: Vec<String>,
    /// The scatter's marker sizes with the budgets they stand for.
    pub size_key: Vec<SizeKey>,
    pub balance: Vec<BalanceRow>,
    pub coverage: Vec<CoverageRow>,
    /// Weak categories with few initiatives; `None` when the report's
    /// recommendations name them.
    pub priorities: Option<Vec<String>>,
    /// The statuses' names in the scatter's key (the register's year).
    pub status_names: [String; 3],
    /// The coverage table's column headers: completed since the previous
    /// survey, as in the statement review, ongoing, planned.
    pub coverage_names: [String; 3],
    /// The coverage table's lead: what "completed" counts, where there is a
    /// previous survey to count from.
    pub coverage_intro: String,
    /// Alternative text of the scatter.
    pub scatter_alt: String,
    /// The map's side in points as the template draws it; its numbers are
    /// placed for that size.
    pub map_side: f64,
    /// The margin inside its frame, in points, that the points' fractions
    /// leave out each side.
    pub map_pad: f64,
}

/// How many of the largest initiatives the scatter names.
const NAMED_INITIATIVES: usize = 3;

/// The initiative map's side in points: 4.2 cm for up to 12 initiatives
/// (a unit report keeps its pages), else 6 cm.
fn map_side(points: usize) -> f64 {
    let cm = if points <= 12 { 4.2 } else { 6.0 };
    cm / 2.54 * 72.0
}

/// The margin inside the map's frame that keeps the largest marker off
/// it, in points each side: the points' fractions span the rest.
const MAP_PAD: f64 = 11.0;

/// The section's entry in [`super::SECTIONS`].
pub(crate) struct Entry;

impl super::Section for Entry {
    fn name(&self) -> &'static str {
        "portfolio"
    }

    fn template(&self) -> &'static str {
        include_str!("../../../report-templates/sections/portfolio.typ")
    }

    fn build(&self, cx: &Context, s: &Scope) -> Option<serde_json::Value> {
        super::data(cx.common.portfolio_section(s, cx.register, cx.sections)?)
    }
}

impl Common<'_> {
    pub(crate) fn money(&self, amount: f64) -> String {
        self.texts.fill(
            "money_millions",
            &[("amount", &format::number(amount / 1e6, 1, self.lang()))],
        )
    }

    /// An axis's lean as the findings and recommendations test it, within
    /// `[thresholds] balanced_min` and `balanced_max`: only where budgets
    /// are given, for the verdict's sentences quote count and budget.
    pub(crate) fn lean(&self, axis: &AxisBalance) -> Option<Lean> {
        let balanced = (
            crate::config::threshold(self.thresholds, "balanced_min"),
            crate::config::threshold(self.thresholds, "balanced_max"),
        );
        axis.by_budget.and(axis.lean(balanced))
    }

    /// "Completed since {year}" (the previous survey's), or "Completed"
    /// without one: the coverage table and the statement review say it
    /// alike.
    pub(crate) fn completed_label(&self, previous_survey: Option<i32>) -> String {
        match previous_survey {
            Some(y) => self
                .texts
                .fill("review_completed", &[("year", &y.to_string())]),
            None => self.texts.get("review_completed_first"),
        }
    }

    /// Whole per cent as printed, e.g. "54 %".
    pub(crate) fn pct(&self, p: u32) -> String {
        format::percent(p as f64, 0, self.lang())
    }

    /// The portfolio section of the report's group. Its priorities are left out when the
    /// report's recommendations name each of them already (not when the
    /// list was cut before naming them all), and a unit
    /// report's coverage matrix when its statement pages show the review.
    pub(crate) fn portfolio_section(
        &self,
        s: &Scope,
        register: &Register,
        sections: &SectionsConfig,
    ) -> Option<PortfolioSection> {
        let mut section = self.portfolio(s.g, register)?;
        let sections = match s.org {
            Some(_) => &sections.unit,
            None => &sections.organisation,
        };
        let holds = |other: &dyn Section| sections.iter().any(|n| n.trim() == other.name());
        if holds(&super::recommendations::Entry) && self.lists_every_priority(s.g, &s.actions) {
            section.portfolio.priorities = None;
        }
        // a unit report's statement pages show the coverage statement by
        // statement (the review): the category matrix would repeat it
        let reviewed = self.analysis.review.contains_key(&s.g.key());
        if s.org.is_some() && reviewed && holds(&super::statements::Entry) {
            section.portfolio.coverage.clear();
        }
        Some(section)
    }

    /// The initiatives of a group in a year: all of them for the whole
    /// organisation, a unit's own for a unit.
    pub(crate) fn initiatives_of<'r>(
        &self,
        g: &GroupResult,
        year: i32,
        register: &'r Register,
    ) -> Vec<&'r Initiative> {
        register
            .of_year(year)
            .filter(|i| g.group.is_organisation() || i.unit.as_deref() == g.group.unit())
            .collect()
    }

    /// The section for a group: the whole organisation, or one unit's
    /// initiatives. `None` without a register or initiatives that year.
    pub(crate) fn portfolio(
        &self,
        g: &GroupResult,
        register: &Register,
    ) -> Option<PortfolioSection> {
        let f = self
            .analysis
            .portfolio_of(self.year, &g.group)
            .filter(|f| f.initiatives > 0)?;
        let items = self.initiatives_of(g, self.year, register);
        let t = self.texts;
        let lc = self.lang().code();
        let balances = f.all();
        let (points, named, size_key) = self.scatter(&items);
        let previous_survey = self.analysis.previous(self.year, &g.group).map(|p| p.year);
        let map_side = map_side(points.len());
        let balance = balance_rows(balances, t);
        let coverage = f
            .coverage
            .iter()
            .filter(|c| c.level == Level::Category)
            .filter_map(|c| {
                let cat = self.model.category(&c.key)?;
                Some(CoverageRow {
                    name: cat.name.get(lc).to_string(),
                    cells: [0, 1, 2].map(|s| {
                        if c.count[s] == 0 {
                            "0".to_string()
                        } else {
                            format!("{} · {}", c.count[s], self.money(c.budget[s]))
                        }
                    }),
                    counts: c.count,
                })
            })
            .collect();
        let priorities = self.priority_texts(&f.priorities);
        Some(PortfolioSection {
            portfolio: Portfolio {
                // "varav 20" of 20 reads as a slip: all of them, or one
                intro: t.fill_count(
                    match f.active == f.initiatives {
                        true => "portfolio_intro_all",
                        false => "portfolio_intro",
                    },
                    f.active,
                    &[
                        ("n", &format::count(f.initiatives, self.lang())),
                        ("active", &format::count(f.active, self.lang())),
                        ("budget", &self.money(f.budget)),
                        ("year", &self.year.to_string()),
                    ],
                ),
                findings: self.portfolio_findings(g, f),
                points,
                named,
                size_key,
                balance,
                coverage,
                priorities: Some(priorities),
                status_names: [
                    t.get("status_completed"),
                    t.get("status_ongoing"),
                    t.get("status_planned"),
                ],
                coverage_intro: match previous_survey {
                    Some(_) => t.get("portfolio_coverage_intro"),
                    None => t.get("portfolio_coverage_intro_first"),
                },
                coverage_names: [
                    self.completed_label(previous_survey),
                    t.get("status_ongoing"),
                    t.get("status_planned"),
                ],
                scatter_alt: self.scatter_alt(&items),
                map_side,
                map_pad: MAP_PAD,
            },
        })
    }

    /// What the portfolio's findings say of a group's initiatives, in the
    /// order of `findings.toml`.
    pub(crate) fn portfolio_findings(&self, g: &GroupResult, f: &PortfolioFigures) -> Vec<String> {
        let m = self.portfolio_metrics(g, f);
        findings::findings(&findings::default_rules(), &m, self.thresholds, self.lang())
    }

    /// The figures the portfolio's findings test, by name. Shares are
    /// tested as printed (whole per cent), so that a verdict never
    /// disagrees with the figure beside it.
    pub(crate) fn portfolio_metrics(
        &self,
        g: &GroupResult,
        f: &PortfolioFigures,
    ) -> BTreeMap<String, Metric> {
        let balances = f.all();
        let mut m: BTreeMap<String, Metric> = BTreeMap::new();
        let mut put = |name: &str, value: Option<f64>, text: String| {
            m.insert(name.to_string(), Metric { value, text });
        };
        for (k, (low, high)) in [
            ("efficiency", "innovation"),
            ("operational", "strategic"),
            ("internal", "external"),
        ]
        .iter()
        .enumerate()
        {
            if let Some(lean) = self.lean(&balances[k]) {
                put(
                    &format!("balance_{low}_{high}"),
                    Some(lean.value()),
                    String::new(),
                );
            }
            for (kind, shares) in [
                ("count", balances[k].by_count),
                ("budget", balances[k].by_budget),
            ] {
                if let Some(s) = shares {
                    let [l, _, h] = s.percents();
                    put(
                        &format!("{kind}_share_{low}"),
                        Some(l as f64 / 100.0),
                        self.pct(l),
                    );
                    put(
                        &format!("{kind}_share_{high}"),
                        Some(h as f64 / 100.0),
                        self.pct(h),
                    );
                }
            }
        }
        if let Some(s) = balances[0].by_budget {
            let [l, _, h] = s.percents();
            put(
                "budget_share_gap_efficiency_innovation",
                Some((l as f64 - h as f64) / 100.0),
                self.pct(l.abs_diff(h)),
            );
        }
        let before = f.previous.and_then(|(y, b)| Some((y, b[0].by_budget?)));
        if let (Some(now), Some((y, before))) = (balances[0].by_budget, before) {
            put("previous_year", Some(y as f64), y.to_string());
            let (h, h0) = (now.percents()[2], before.percents()[2]);
            put(
                "budget_share_innovation_previous",
                Some(h0 as f64 / 100.0),
                self.pct(h0),
            );
            put(
                "budget_share_innovation_change",
                Some((h as f64 - h0 as f64) / 100.0),
                format::points(h as f64 - h0 as f64, 0, self.lang()),
            );
        }
        if let Some(mean) = balances[0].budget_mean {
            put(
                "budget_mean_efficiency_innovation",
                Some(mean),
                format::number(mean, 2, self.lang()),
            );
        }
        put(
            "initiatives",
            Some(f.initiatives as f64),
            format::count(f.initiatives, self.lang()),
        );
        put(
            "active",
            Some(f.active as f64),
            format::count(f.active, self.lang()),
        );
        put("budget_total", Some(f.budget), self.money(f.budget));
        put(
            "priorities",
            Some(f.priorities.len() as f64),
            f.priorities.len().to_string(),
        );
        let weakest = g
            .categories_ascending(self.model)
            .first()
            .map(|&(v, i)| (v, &self.model.categories[i]));
        if let Some((index, c)) = weakest {
            let n = f.category(&c.code).map_or(0, |c| c.count[1] + c.count[2]);
            put(
                "weakest_category",
                None,
                c.name.get(self.lang().code()).to_string(),
            );
            put(
                "weakest_category_index",
                Some(index),
                format::percent(index, 1, self.lang()),
            );
            put("weakest_category_active", Some(n as f64), n.to_string());
        }
        m
    }

    /// The weak categories with little investment, in words.
    pub(crate) fn priority_texts(&self, priorities: &[Priority]) -> Vec<String> {
        let (t, lc) = (self.texts, self.lang().code());
        priorities
            .iter()
            .filter_map(|p| {
                let name = self.model.category(&p.category)?.name.get(lc);
                let index = format::percent(p.index, 1, self.lang());
                Some(match p.ongoing_planned {
                    0 => t.fill("priority_none", &[("category", name), ("index", &index)]),
                    n => t.fill(
                        "priority_few",
                        &[
                            ("category", name),
                            ("index", &index),
                            ("n", &n.to_string()),
                            ("budget", &self.money(p.budget)),
                        ],
                    ),
                })
            })
            .collect()
    }

    /// The scatter's points, the largest initiatives named (numbered on
    /// the chart) and the key of marker sizes. Initiatives on the same
    /// spot are spread on a small spiral (golden angle) around it so that
    /// none hides another; positions stay deterministic.
    fn scatter(&self, items: &[&Initiative]) -> (Vec<ScatterPoint>, Vec<String>, Vec<SizeKey>) {
        let max_budget = items.iter().filter_map(|i| i.budget).fold(0.0, f64::max);
        let radius = |budget: f64| 2.5 + 5.0 * (budget / max_budget.max(1.0)).sqrt();
        // the largest, by budget then register order
        let mut largest: Vec<usize> = (0..items.len())
            .filter(|&k| {
                items[k].budget.is_some_and(|b| b > 0.0)
                    && items[k].axes[0].is_some()
                    && items[k].axes[1].is_some()
            })
            .collect();
        largest.sort_by(|&a, &b| {
            let budget = |k: usize| items[k].budget.unwrap_or(0.0);
            budget(b).total_cmp(&budget(a)).then(a.cmp(&b))
        });
        largest.truncate(NAMED_INITIATIVES);
        let mut taken: BTreeMap<(i64, i64), usize> = BTreeMap::new();
        let mut points = items
            .iter()
            .enumerate()
            .filter_map(|(k, i)| {
                let (x, y) = ((i.axes[0]? + 1.0) / 2.0, (i.axes[1]? + 1.0) / 2.0);
                let n = taken
                    .entry(((x * 1000.0) as i64, (y * 1000.0) as i64))
                    .or_insert(0);
                let (angle, spread) = (*n as f64 * 2.399_963, 0.035 * (*n as f64).sqrt());
                *n += 1;
                Some(ScatterPoint {
                    x: (x + spread * angle.cos()).clamp(0.0, 1.0),
                    y: (y + spread * angle.sin()).clamp(0.0, 1.0),
                    r: radius(i.budget.unwrap_or(0.0)),
                    status: i.status.as_str(),
                    label: largest
                        .iter()
                        .position(|&l| l == k)
                        .map(|p| (p + 1).to_string()),
                    anchor: "ne",
                })
            })
            .collect::<Vec<_>>();
        let inner = map_side(points.len()) - 2.0 * MAP_PAD;
        super::labels::place_numbers(&mut points, inner);
        let named = largest
            .iter()
            .enumerate()
            .map(|(p, &k)| {
                let i = items[k];
                format!(
                    "{} {} ({})",
                    p + 1,
                    i.name,
                    self.money(i.budget.unwrap_or(0.0))
                )
            })
            .collect();
        // the largest and a quarter of it, unless that rounds to nothing
        let size_key = if max_budget > 0.0 {
            [max_budget, max_budget / 4.0]
                .into_iter()
                .map(|b| SizeKey {
                    r: radius(b),
                    text: self.money(b),
                })
                .filter(|k| k.text != self.money(0.0))
                .collect()
        } else {
            Vec::new()
        };
        (points, named, size_key)
    }

    /// The scatter's alternative text: how many initiatives lean each way.
    fn scatter_alt(&self, items: &[&Initiative]) -> String {
        let side = |k: usize, f: &dyn Fn(f64) -> bool| {
            items
                .iter()
                .filter(|i| i.axes[k].is_some_and(f))
                .count()
                .to_string()
        };
        self.texts.fill(
            "alt_scatter",
            &[
                ("n", &items.len().to_string()),
                ("efficiency", &side(0, &|v| v < 0.0)),
                ("innovation", &side(0, &|v| v > 0.0)),
                ("operational", &side(1, &|v| v < 0.0)),
                ("strategic", &side(1, &|v| v > 0.0)),
            ],
        )
    }
}

/// The balance of each axis as the charts draw it: the shares toward the
/// low pole, the middle and the high pole, by count and by budget, with
/// their texts and the bars' alternative text. The portfolio section and
/// the national overview both show it.
pub(crate) fn balance_rows(
    balances: &[crate::analyse::portfolio::AxisBalance; 3],
    t: &crate::lang::Texts,
) -> Vec<BalanceRow> {
    let three = |s: Option<Shares>| s.map(|s| [s.low, s.middle, s.high]);
    // the parts of a split as printed sum to 100
    let texts = |s: Option<Shares>| match s {
        Some(s) => s.percents().map(|p| format::percent(p as f64, 0, t.lang)),
        None => ["–".into(), "–".into(), "–".into()],
    };
    crate::report::AXIS_POLES
        .iter()
        .zip(balances)
        .map(|((low, high), b)| {
            let [c, g] = [texts(b.by_count), texts(b.by_budget)];
            BalanceRow {
                alt: t.fill(
                    "alt_balance",
                    &[
                        ("low", &t.get(low)),
                        ("high", &t.get(high)),
                        ("count", &format!("{} / {} / {}", c[0], c[1], c[2])),
                        ("budget", &format!("{} / {} / {}", g[0], g[1], g[2])),
                    ],
                ),
                low: t.get(low),
                high: t.get(high),
                count: three(b.by_count),
                count_text: c,
                budget: three(b.by_budget),
                budget_text: g,
            }
        })
        .collect()
}
