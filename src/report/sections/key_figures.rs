//! Key figures: the total with its change and benchmark, the dimensions,
//! the maturity type, the response rate, the portfolio's headline and the
//! strongest and weakest categories.

use serde::Serialize;

use super::Scope;
use crate::analyse::{GroupResult, Level};
use crate::format;
use crate::report::{Common, Context, Delta, Value};

/// The section's data.
#[derive(Debug, Clone, Serialize)]
pub struct KeyFiguresSection {
    pub key: KeyFigures,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyFigures {
    pub total: Value,
    pub previous: Option<Value>,
    pub change: Option<Delta>,
    pub change_label: String,
    /// The benchmark population's total and the difference to it.
    pub benchmark: Option<Value>,
    pub benchmark_diff: Option<String>,
    pub respondents: String,
    /// Unit report: the organisation's total and the difference to it.
    pub organisation: Option<Value>,
    pub difference: Option<String>,
    pub units_shown: Option<String>,
    pub units_hidden: Option<String>,
    pub dimensions: Vec<KeyDimension>,
    /// The organisation type, the response rate (when the number invited
    /// is known) and the portfolio's headline.
    pub maturity_type: Option<String>,
    pub response_rate: Option<String>,
    /// Unit report: the unit's place among the units shown, by total.
    pub rank: Option<String>,
    /// Organisation report of a multi-organisation run: its percentile
    /// among all organisations and among its peers.
    pub placement: Option<String>,
    pub portfolio: Option<String>,
    /// At most three categories each that stand out above and below the
    /// total by at least `[thresholds] stands_out` points; none is forced.
    pub strongest: Vec<Named>,
    pub weakest: Vec<Named>,
    /// What the two lists hold (the margin), and what each says when empty.
    pub ranking_note: String,
    pub strongest_none: String,
    pub weakest_none: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyDimension {
    pub name: String,
    pub value: Value,
    pub change: Option<Delta>,
    pub benchmark: Option<Value>,
}

/// A named figure, for the strongest and weakest categories.
#[derive(Debug, Clone, Serialize)]
pub struct Named {
    pub name: String,
    pub value: Value,
}

/// The section's entry in [`super::SECTIONS`].
pub(crate) struct Entry;

impl super::Section for Entry {
    fn name(&self) -> &'static str {
        "key_figures"
    }

    fn template(&self) -> &'static str {
        include_str!("../../../report-templates/sections/key-figures.typ")
    }

    fn build(&self, cx: &Context, s: &Scope) -> Option<serde_json::Value> {
        super::data(cx.common.key_figures(s, cx.population))
    }
}

/// "_lowest" or "_highest" when a percentile rank (mid-rank, in per cent)
/// among `n` is the lowest or highest place, where "percentile 2" would
/// say less than "the lowest of 30"; else "".
fn extreme(percentile: f64, n: usize) -> &'static str {
    let half = 50.0 / n.max(1) as f64;
    if n < 2 {
        ""
    } else if percentile <= half + 1e-9 {
        "_lowest"
    } else if percentile >= 100.0 - half - 1e-9 {
        "_highest"
    } else {
        ""
    }
}

impl Common<'_> {
    /// The organisation's percentile among all organisations of the input
    /// and, when it has a peer group large enough, among its peers.
    fn placement(&self) -> Option<String> {
        let ranks = self.place?.ranks;
        let key = (self.year, Level::Total, "total".to_string());
        let all = *ranks.get(&key)?;
        let n_all = self
            .benchmarks
            .rows
            .iter()
            .find(|r| {
                r.population == crate::benchmark::INPUT_POPULATION
                    && r.year == self.year
                    && r.level == Level::Total
            })
            .and_then(|r| r.n)?;
        let lang = self.lang();
        let whole = |p: f64| format::number(p, 0, lang);
        let mut text = self.texts.fill(
            &format!("placement_all{}", extreme(all, n_all)),
            &[
                ("percentile", &whole(all)),
                ("n", &format::count(n_all, lang)),
            ],
        );
        if let Some(peer) = self.total_peer() {
            if let Some(p) = peer.percentile {
                text.push_str(&self.texts.fill(
                    &format!("placement_peers{}", extreme(p, peer.n)),
                    &[
                        ("percentile", &whole(p)),
                        ("n", &format::count(peer.n, lang)),
                        ("group", &self.peer_group_name(peer)),
                        ("value", &self.peer_value_name(peer)),
                    ],
                ));
            }
        }
        Some(text)
    }

    /// The key figures of the group.
    pub(crate) fn key_figures(
        &self,
        s: &Scope,
        population: &crate::config::PopulationConfig,
    ) -> KeyFiguresSection {
        let (g, prev, org) = (s.g, s.prev, s.org);
        let t = self.texts;
        let lang = self.lang();
        let lc = lang.code();
        let prev_year = prev.map(|p| p.year);
        let bench_total = self.benchmarks.get(self.year, Level::Total, "total");
        let margin = self.stands_out_text();
        // the organisation report counts its units
        let (units_shown, units_hidden) = match org {
            Some(_) => (None, None),
            None => {
                let units: Vec<&GroupResult> = self.analysis.units(self.year).collect();
                let shown = units.iter().filter(|u| u.shown()).count();
                (
                    Some(format::count(shown, lang)),
                    Some(format::count(units.len() - shown, lang)),
                )
            }
        };
        let key = KeyFigures {
            total: self.figure(g, Level::Total, "total"),
            previous: prev.map(|p| self.value(p.total.index)),
            change: self.delta(g, Level::Total, "total"),
            change_label: match prev_year {
                Some(y) => t.fill("change_since", &[("year", &y.to_string())]),
                None => t.fill("no_previous", &[("year", &(self.year - 1).to_string())]),
            },
            benchmark: bench_total.map(|b| self.value(Some(b))),
            benchmark_diff: self.change(g.total.index, bench_total),
            respondents: format::count(g.respondents, lang),
            organisation: org.map(|o| self.value(o.total.index)),
            difference: org.and_then(|o| self.change(g.total.index, o.total.index)),
            units_shown,
            units_hidden,
            dimensions: self
                .model
                .dimensions
                .iter()
                .map(|d| KeyDimension {
                    name: d.name.get(lc).to_string(),
                    value: self.figure(g, Level::Dimension, &d.code),
                    change: self.delta(g, Level::Dimension, &d.code),
                    benchmark: self.benchmark(Level::Dimension, &d.code),
                })
                .collect(),
            maturity_type: self.model.types.as_ref().and_then(|types| {
                let x = g.index(Level::Dimension, &types.capability)?;
                let y = g.index(Level::Dimension, &types.legacy)?;
                let name = types.classify(x, y).name.get(lc).to_string();
                // near a boundary, the type and those across it, so that
                // no uncertain type is named alone
                let spans = |code: &str, at: f64| g.interval_spans(Level::Dimension, code, at);
                let others: Vec<&str> = types
                    .across(
                        x,
                        y,
                        spans(&types.capability, types.capability_threshold),
                        spans(&types.legacy, types.legacy_threshold),
                    )
                    .into_iter()
                    .map(|t| t.name.get(lc))
                    .collect();
                Some(match others.is_empty() {
                    true => name,
                    false => t.fill(
                        "type_near_boundary_short",
                        &[
                            ("type", &name),
                            ("others", &format::and_list(&others, &t.get("or"))),
                        ],
                    ),
                })
            }),
            response_rate: self.response_rate(g, population),
            rank: org.and_then(|_| self.unit_rank(g)),
            placement: org.is_none().then(|| self.placement()).flatten(),
            portfolio: self
                .analysis
                .portfolio_of(self.year, &g.group)
                .filter(|f| f.initiatives > 0)
                .and_then(|f| self.portfolio_findings(g, f).into_iter().next()),
            strongest: self.ranked(g, true),
            weakest: self.ranked(g, false),
            ranking_note: t.fill("ranking_note", &[("margin", &margin)]),
            strongest_none: t.fill("strongest_none", &[("margin", &margin)]),
            weakest_none: t.fill("weakest_none", &[("margin", &margin)]),
        };
        KeyFiguresSection { key }
    }

    /// "64 % of 300 invited", when the number invited is known.
    fn response_rate(
        &self,
        g: &GroupResult,
        population: &crate::config::PopulationConfig,
    ) -> Option<String> {
        let lang = self.lang();
        match g.group.unit() {
            None => population.total,
            Some(u) => population.units.get(u).copied(),
        }
        .filter(|n| *n > 0)
        .map(|invited| {
            self.texts.fill(
                "response_rate_value",
                &[
                    (
                        "rate",
                        &format::percent(100.0 * g.respondents as f64 / invited as f64, 0, lang),
                    ),
                    ("invited", &format::count(invited, lang)),
                ],
            )
        })
    }

    /// "Plats 3 av 7": a unit's place among the year's units shown, by
    /// total as printed (tied units share a place).
    fn unit_rank(&self, g: &GroupResult) -> Option<String> {
        let shown = |u: &GroupResult| u.total.index.map(|t| format::displayed(t, 1));
        let mine = shown(g)?;
        let totals: Vec<f64> = self
            .analysis
            .units(self.year)
            .filter(|u| u.shown())
            .filter_map(shown)
            .collect();
        let place = 1 + totals.iter().filter(|t| **t > mine).count();
        Some(self.texts.fill(
            "unit_rank_value",
            &[
                ("rank", &place.to_string()),
                ("n", &totals.len().to_string()),
            ],
        ))
    }

    /// How far (index points) a category must be from the total to count
    /// as among the strongest or weakest.
    pub(crate) fn stands_out(&self) -> f64 {
        crate::config::stands_out(self.thresholds)
    }

    /// [`Self::stands_out`] as the texts quote it: "3,0 p.e.".
    pub(crate) fn stands_out_text(&self) -> String {
        format::points(self.stands_out(), 1, self.lang())
            .trim_start_matches('+')
            .to_string()
    }

    /// At most three categories of a group that stand out above (or below)
    /// its total by at least [`Self::stands_out`] points, as printed (one
    /// decimal); the furthest first, ties in the model's order.
    pub(crate) fn ranked(&self, g: &GroupResult, strongest: bool) -> Vec<Named> {
        let lc = self.lang().code();
        let Some(total) = g.total.index else {
            return Vec::new();
        };
        let margin = self.stands_out();
        let mut cats = g.categories_ascending(self.model);
        if strongest {
            // strongest first, ties still in model order
            cats.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        cats.into_iter()
            .filter(|(v, _)| {
                if strongest {
                    format::at_least_above(*v, total, margin)
                } else {
                    format::at_least_above(total, *v, margin)
                }
            })
            .take(3)
            .map(|(v, i)| Named {
                name: self.model.categories[i].name.get(lc).to_string(),
                value: self.value(Some(v)),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lowest_and_highest_places_are_named() {
        // mid-rank percentiles of 30 distinct values: 1.67 .. 98.33
        assert_eq!(extreme(50.0 / 30.0, 30), "_lowest");
        assert_eq!(extreme(100.0 - 50.0 / 30.0, 30), "_highest");
        assert_eq!(extreme(150.0 / 30.0, 30), "");
        // a tie for the lowest place is not "the lowest"
        assert_eq!(extreme(100.0 / 30.0, 30), "");
        assert_eq!(extreme(50.0, 1), "");
    }
}
