//! Every statement, grouped by category, with the distribution of its
//! answers.

use serde::Serialize;

use super::Scope;
use crate::analyse::review::StatementReview;
use crate::analyse::{GroupResult, Level};
use crate::format;
use crate::ingest::FileSummary;
use crate::report::{Common, Context, Delta, Value};

/// The section's data.
#[derive(Debug, Clone, Serialize)]
pub struct StatementsSection {
    /// How statements are answered, from the model's scale.
    pub scale_intro: String,
    /// The scale's ends as printed in the distribution's key.
    pub scale_min: String,
    pub scale_max: String,
    pub statements: Vec<CategoryGroup>,
    /// How to read the initiatives under the statements and the marks;
    /// `None` without a statement review for the group.
    pub review_note: Option<String>,
    /// Did it work: the effect follow-up in words (statements, and
    /// categories where they give an estimate); empty without one.
    pub effects: Vec<String>,
    /// The targeted statements' change against the budget of the
    /// initiatives completed on them; `None` without an estimate.
    pub effect_chart: Option<EffectChart>,
}

/// The change of each statement that completed initiatives strengthened
/// against their budget split to it: one point per statement, positions
/// as fractions of the chart.
#[derive(Debug, Clone, Serialize)]
pub struct EffectChart {
    pub points: Vec<[f64; 2]>,
    /// Where the change 0 lies, 0-1 from the bottom.
    pub zero: f64,
    /// Where the other statements' mean change lies, with its label.
    pub others: f64,
    pub others_label: String,
    /// The axes' ends, formatted: budget 0 and the largest; the lowest
    /// and highest change.
    pub x_range: [String; 2],
    pub y_range: [String; 2],
    pub x_label: String,
    pub y_label: String,
    /// What the chart shows, statement by statement.
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatementRow {
    pub code: String,
    pub text: String,
    pub category: String,
    pub value: Value,
    pub previous: Option<Value>,
    pub change: Option<Delta>,
    pub organisation: Option<Value>,
    pub dont_know: String,
    pub n: String,
    /// The answers per scale value and don't know as shares of all answers
    /// (for the diverging bar), with its alternative text.
    pub distribution: Option<Distribution>,
    /// The initiatives strengthening it, by status, with the budget split
    /// among their statements (the statement review).
    pub initiatives: Option<String>,
    /// The review's marks, each a short sentence.
    pub marks: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Distribution {
    /// Shares of each scale value, lowest first.
    pub values: Vec<f64>,
    /// Share of don't know.
    pub dont_know: f64,
    /// How many of the lowest values lie left of the middle.
    pub low: usize,
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryGroup {
    pub name: String,
    pub statements: Vec<StatementRow>,
}

/// How many initiatives of a status a statement's review line names; the
/// rest are counted.
const NAMED_PER_STATUS: usize = 4;

/// The section's entry in [`super::SECTIONS`].
pub(crate) struct Entry;

impl super::Section for Entry {
    fn name(&self) -> &'static str {
        "statements"
    }

    fn template(&self) -> &'static str {
        include_str!("../../../report-templates/sections/statements.typ")
    }

    fn build(&self, cx: &Context, s: &Scope) -> Option<serde_json::Value> {
        super::data(cx.common.statements(s, cx.files))
    }
}

impl Common<'_> {
    /// Every statement of the group, by category.
    pub(crate) fn statements(&self, s: &Scope, files: &[FileSummary]) -> StatementsSection {
        let (g, prev, org) = (s.g, s.prev, s.org);
        let lang = self.lang();
        let lc = lang.code();
        let prev_index = |level: Level, key: &str| prev.and_then(|p| p.index(level, key));
        let review = self.analysis.review.get(&g.key());
        let statements = self
            .model
            .categories
            .iter()
            .map(|c| CategoryGroup {
                name: c.name.get(lc).to_string(),
                statements: self
                    .model
                    .statements_of(&c.code)
                    .map(|s| {
                        let fig = g.statements.get(&s.code).copied().unwrap_or_default();
                        let reviewed =
                            review.and_then(|r| r.iter().find(|r| r.statement == s.code));
                        StatementRow {
                            code: s.code.clone(),
                            text: s.text.get(lc).to_string(),
                            category: c.name.get(lc).to_string(),
                            value: self.figure(g, Level::Statement, &s.code),
                            previous: prev
                                .map(|_| self.value(prev_index(Level::Statement, &s.code))),
                            change: self.delta(g, Level::Statement, &s.code),
                            organisation: org
                                .map(|o| self.value(o.index(Level::Statement, &s.code))),
                            dont_know: fig
                                .dont_know_share()
                                .map(|s| format::percent(s * 100.0, 0, lang))
                                .unwrap_or_else(|| "–".into()),
                            n: format::count(fig.n + fig.dont_know, lang),
                            distribution: self.distribution(g, &s.code),
                            initiatives: reviewed
                                .and_then(|r| self.review_line(r, prev.map(|p| p.year))),
                            marks: reviewed.map(|r| self.review_marks(r)).unwrap_or_default(),
                        }
                    })
                    .collect(),
            })
            .collect();
        let end = |v: i64| format::number(v as f64, 0, self.lang());
        let effect_chart = review.and_then(|r| self.effect_chart(g, r));
        let mut effects = self.effect_sentences(g, prev.map(|p| p.year));
        if effect_chart.is_some() {
            effects.push(self.texts.get("effect_chart_note"));
        }
        StatementsSection {
            scale_intro: self.scale_intro(files),
            scale_min: end(self.model.scale.min),
            scale_max: end(self.model.scale.max),
            statements,
            review_note: review.map(|_| {
                let margin = self.stands_out_text();
                // a first survey has no previous one to count from, nor a
                // rise to miss
                let key = match prev {
                    Some(_) => "review_note",
                    None => "review_note_first",
                };
                self.texts.fill(key, &[("margin", &margin)])
            }),
            effects,
            effect_chart,
        }
    }

    /// The chart of the statements' change against the budget completed
    /// on them, when the follow-up has an estimate for the statements.
    fn effect_chart(&self, g: &GroupResult, rows: &[StatementReview]) -> Option<EffectChart> {
        use crate::analyse::effects::Effect;
        let effects = self.analysis.effects.get(&g.key())?;
        let Effect::Estimate(estimate) = &effects[0] else {
            return None;
        };
        let targeted: Vec<(&str, f64, f64)> = rows
            .iter()
            .filter(|r| !r.initiatives[0].is_empty())
            .filter_map(|r| Some((r.statement.as_str(), r.budget[0], r.change?.value)))
            .collect();
        let max_budget = targeted.iter().map(|t| t.1).fold(0.0, f64::max);
        // the change axis: whole multiples of 5 points around every point,
        // the others' mean and 0
        let (lo, hi) = targeted
            .iter()
            .map(|t| t.2)
            .chain([estimate.mean_others])
            .fold((0.0_f64, 0.0_f64), |(lo, hi), c| (lo.min(c), hi.max(c)));
        let (lo, hi) = ((lo / 5.0).floor() * 5.0, (hi / 5.0).ceil() * 5.0);
        let (lo, hi) = if hi - lo < 5.0 {
            (lo, lo + 5.0)
        } else {
            (lo, hi)
        };
        let lang = self.lang();
        let t = self.texts;
        let points = targeted
            .iter()
            .map(|&(_, b, c)| {
                let x = if max_budget > 0.0 {
                    b / max_budget
                } else {
                    0.0
                };
                [x, (c - lo) / (hi - lo)]
            })
            .collect();
        let each: Vec<String> = targeted
            .iter()
            .map(|&(code, b, c)| {
                // the change as the statement's row prints it (the
                // difference of the printed figures)
                let change = self
                    .delta(g, Level::Statement, code)
                    .map(|d| d.text)
                    .unwrap_or_else(|| format::points(c, 1, lang));
                format!("{code} {} {change}", self.money(b))
            })
            .collect();
        Some(EffectChart {
            points,
            zero: -lo / (hi - lo),
            others: (estimate.mean_others - lo) / (hi - lo),
            others_label: t.fill(
                "effect_chart_others",
                &[("mean", &format::points(estimate.mean_others, 1, lang))],
            ),
            x_range: ["0".into(), self.money(max_budget)],
            y_range: [format::points(lo, 0, lang), format::points(hi, 0, lang)],
            x_label: t.get("effect_chart_x"),
            y_label: t.get("effect_chart_y"),
            alt: t.fill("effect_chart_alt", &[("points", &each.join("; "))]),
        })
    }

    /// A statement's initiatives in a line: by status, each with its id
    /// and the part of its budget counted at the statement, then their sum. `None` when no
    /// initiative strengthens it.
    fn review_line(&self, r: &StatementReview, previous_year: Option<i32>) -> Option<String> {
        if !r.covered() {
            return None;
        }
        let t = self.texts;
        let completed = self.completed_label(previous_year);
        let labels = [completed, t.get("review_ongoing"), t.get("review_planned")];
        // each initiative with its id and the part of its budget counted
        // here, rounded on its own, so that an initiative's share reads the
        // same under every statement it strengthens; the sum printed after
        // them is the sum of what is printed
        struct Part<'a> {
            label: &'a str,
            named: Vec<&'a crate::analyse::review::Linked>,
            rest: Vec<&'a crate::analyse::review::Linked>,
        }
        let parts: Vec<Part> = labels
            .iter()
            .zip(&r.initiatives)
            .filter(|(_, items)| !items.is_empty())
            .map(|(label, items)| {
                // the largest few by name, the rest counted: a line, not a list
                let mut largest: Vec<&crate::analyse::review::Linked> = items.iter().collect();
                largest.sort_by(|a, b| {
                    b.share
                        .unwrap_or(0.0)
                        .total_cmp(&a.share.unwrap_or(0.0))
                        .then(a.id.cmp(&b.id))
                });
                let rest = largest.split_off(NAMED_PER_STATUS.min(largest.len()));
                Part {
                    label,
                    named: largest,
                    rest,
                }
            })
            .collect();
        let share =
            |i: &crate::analyse::review::Linked| format::displayed(i.share.unwrap_or(0.0) / 1e6, 1);
        let printed: Vec<f64> = parts
            .iter()
            .flat_map(|p| {
                p.named
                    .iter()
                    .map(|i| share(i))
                    .chain(std::iter::once(p.rest.iter().map(|i| share(i)).sum()))
            })
            .collect();
        let mut rounded = printed.iter().copied();
        let mut lines: Vec<String> = parts
            .iter()
            .map(|p| {
                let names: Vec<String> = p
                    .named
                    .iter()
                    .map(|i| {
                        let amount = rounded.next().unwrap_or_default();
                        // a share that rounds to nothing is named without one
                        match amount > 0.0 {
                            true => {
                                format!("{} ({}, {})", i.name, i.id, self.money(amount * 1e6))
                            }
                            _ => format!("{} ({})", i.name, i.id),
                        }
                    })
                    .collect();
                let rest_amount = rounded.next().unwrap_or_default();
                let mut line = format!("{}: {}", p.label, names.join(", "));
                if !p.rest.is_empty() {
                    line.push(' ');
                    let more = p.rest.len().to_string();
                    line.push_str(&t.fill("review_more", &[("n", &more)]));
                    if p.rest.iter().any(|i| i.share.is_some_and(|b| b > 0.0)) {
                        line.push_str(&format!(" ({})", self.money(rest_amount * 1e6)));
                    }
                }
                line
            })
            .collect();
        let total: f64 = printed.iter().sum();
        if total > 0.0 {
            let budget = t.fill("review_budget", &[("budget", &self.money(total * 1e6))]);
            if let Some(last) = lines.last_mut() {
                last.push_str(&format!(" · {budget}"));
            }
        }
        Some(lines.join(". "))
    }

    /// The effect follow-up of the group in words: the statements'
    /// estimate (or why there is none), the categories' where there is one.
    fn effect_sentences(&self, g: &GroupResult, previous_year: Option<i32>) -> Vec<String> {
        use crate::analyse::effects::Effect;
        let (Some(effects), Some(year)) = (self.analysis.effects.get(&g.key()), previous_year)
        else {
            return Vec::new();
        };
        let (t, lang) = (self.texts, self.lang());
        let p = |v: f64| format::points(v, 1, lang);
        let year = year.to_string();
        let mut out = Vec::new();
        for (k, effect) in effects.iter().enumerate() {
            let level = if k == 0 { "statements" } else { "categories" };
            match effect {
                Effect::Estimate(e) => out.push(t.fill(
                    &format!("effect_{level}"),
                    &[
                        ("year", &year),
                        ("targeted", &e.targeted.to_string()),
                        ("others", &e.others.to_string()),
                        ("mean_targeted", &p(e.mean_targeted)),
                        ("mean_others", &p(e.mean_others)),
                        // the difference of the printed means
                        (
                            "difference",
                            &format::points_between(e.mean_targeted, e.mean_others, 1, lang),
                        ),
                        ("low", &p(e.ci.0)),
                        ("high", &p(e.ci.1)),
                    ],
                )),
                Effect::TooFew { targeted, .. } if k == 0 => out.push(t.fill(
                    "effect_too_few",
                    &[("year", &year), ("targeted", &targeted.to_string())],
                )),
                Effect::Hidden if k == 0 => out.push(t.fill("effect_hidden", &[("year", &year)])),
                _ => {}
            }
        }
        if let Effect::Estimate(e) = &effects[0] {
            // whether the interval settles it, right after the estimate
            let key = if e.ci.0 > 0.0 {
                "effect_verdict_more"
            } else if e.ci.1 < 0.0 {
                "effect_verdict_less"
            } else {
                "effect_verdict_none"
            };
            out.insert(1, t.get(key));
            out.push(t.get("effect_caveat"));
        }
        out
    }

    /// The review's marks of a statement, in words.
    fn review_marks(&self, r: &StatementReview) -> Vec<String> {
        let mut marks = Vec::new();
        if r.weak_uncovered {
            marks.push(self.texts.get("review_weak_uncovered"));
        }
        if r.costly_without_rise {
            marks.push(self.texts.get("review_costly"));
        }
        marks
    }

    /// How a group answered a statement: shares per scale value and don't
    /// know, from the respondents' own answers.
    fn distribution(&self, g: &GroupResult, code: &str) -> Option<Distribution> {
        let counts = self
            .analysis
            .answer_counts(self.model, g.year, g.group.unit(), code)?;
        let min = self.model.scale.min;
        let fig = g.statements.get(code)?;
        let total = counts.iter().sum::<usize>() + fig.dont_know;
        if total == 0 {
            return None;
        }
        let values: Vec<f64> = counts.iter().map(|c| *c as f64 / total as f64).collect();
        let dont_know = fig.dont_know as f64 / total as f64;
        let lang = self.lang();
        // the parts as printed sum to 100
        let shares: Vec<f64> = values.iter().copied().chain([dont_know]).collect();
        let printed = format::whole_percents(&shares);
        let parts: Vec<String> = printed
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let label = if i < values.len() {
                    (min + i as i64).to_string()
                } else {
                    self.texts.get("dont_know")
                };
                format!("{label}: {}", format::percent(*p as f64, 0, lang))
            })
            .collect();
        Some(Distribution {
            low: values.len() / 2,
            alt: self
                .texts
                .fill("alt_distribution", &[("parts", &parts.join(", "))]),
            values,
            dont_know,
        })
    }

    /// The scale in a sentence: its ends, their labels where the model has
    /// them, and don't know where the model has such codes.
    fn scale_intro(&self, files: &[FileSummary]) -> String {
        let lc = self.lang().code();
        let scale = &self.model.scale;
        let (min, max) = (scale.min.to_string(), scale.max.to_string());
        let label = |v: i64| {
            scale
                .labels
                .iter()
                .find(|l| l.value == v)
                .and_then(|l| l.text.get(lc).or_else(|| l.text.values().next()))
                .map(|t| {
                    let mut c = t.chars();
                    c.next()
                        .map(|f| f.to_lowercase().chain(c).collect::<String>())
                        .unwrap_or_default()
                })
        };
        let mut text = match (scale.continuous, label(scale.min), label(scale.max)) {
            (true, _, _) => self
                .texts
                .fill("scale_intro_continuous", &[("min", &min), ("max", &max)]),
            (false, Some(low), Some(high)) => {
                // "a six-point scale" where the language has a word for it
                let points = format!("scale_points_{}", scale.max - scale.min + 1);
                let key = if self.texts.has(&points) {
                    "scale_intro_points"
                } else {
                    "scale_intro_labels"
                };
                self.texts.fill(
                    key,
                    &[
                        ("min", &min),
                        ("max", &max),
                        ("low", &low),
                        ("high", &high),
                        ("points", &self.texts.get(&points)),
                    ],
                )
            }
            _ => self
                .texts
                .fill("scale_intro", &[("min", &min), ("max", &max)]),
        };
        if scale.dont_know.is_empty() {
            text.push('.');
        } else {
            text.push_str(&self.texts.get("scale_intro_dont_know"));
        }
        if let Some(rescaled) = self.rescaled_text(files, "scale_intro_rescaled") {
            text.push(' ');
            text.push_str(&rescaled);
        }
        text
    }
}
