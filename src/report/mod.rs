//! The report model: plain serde structs holding everything a page shows,
//! already computed and formatted for the report's language. Templates only
//! lay these out; they compute nothing.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

mod portfolio;

use crate::analyse::{Analysis, GroupResult, Level, Suppression};
use crate::format::{self, Lang};
use crate::ingest::FileSummary;
use crate::lang::Texts;
use crate::model::Model;

/// A formatted value with its position on a 0-1 bar (`None`: not shown)
/// and its 95 % confidence interval on the same bar.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Value {
    pub text: String,
    pub frac: Option<f64>,
    pub ci: Option<[f64; 2]>,
}

/// A change in percentage points and whether it is statistically
/// significant (Welch's t-test, 5 %).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Delta {
    pub text: String,
    pub significant: bool,
}

/// A point of the quadrant chart (fractions of the axes, 0-1).
#[derive(Debug, Clone, Serialize)]
pub struct QuadrantPoint {
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub current: bool,
}

/// The four organisation types and the group's path through them.
#[derive(Debug, Clone, Serialize)]
pub struct Quadrant {
    pub x_label: String,
    pub y_label: String,
    pub x_threshold: f64,
    pub y_threshold: f64,
    /// Bottom-left, bottom-right, top-left, top-right.
    pub names: [String; 4],
    pub path: Vec<QuadrantPoint>,
    /// Unit report: the whole organisation this year.
    pub organisation: Option<QuadrantPoint>,
    pub type_name: String,
    pub type_text: String,
    pub intro: String,
    /// The axis ends, formatted (the axes are zoomed to the data).
    pub x_range: [String; 2],
    pub y_range: [String; 2],
    /// Alternative text: what the chart shows, in words.
    pub alt: String,
}

/// The profile as a radar: one spoke per category, polygons for this
/// year, the previous year and (unit reports) the organisation. Points are
/// in 0..1 of the chart square, the centre at (0.5, 0.5).
#[derive(Debug, Clone, Serialize)]
pub struct Radar {
    /// Spoke ends and label positions with the category names.
    pub spokes: Vec<(f64, f64, String)>,
    /// Rings at 25, 50, 75 and 100 %.
    pub rings: Vec<Vec<(f64, f64)>>,
    pub now: Vec<(f64, f64)>,
    pub previous: Option<Vec<(f64, f64)>>,
    pub organisation: Option<Vec<(f64, f64)>>,
    pub alt: String,
    pub legend: String,
}

/// One line of the trend chart.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub name: String,
    /// Marker shape: "circle", "square", "diamond" ..., so lines differ by
    /// more than colour.
    pub marker: &'static str,
    pub points: Vec<TrendPoint>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendPoint {
    pub x: f64,
    pub y: f64,
    pub text: String,
}

/// Index over the years: total and dimensions, on a zoomed y axis.
#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    pub series: Vec<Series>,
    /// Year labels and their x positions.
    pub years: Vec<(String, f64)>,
    /// Axis labels and their y positions.
    pub ticks: Vec<(String, f64)>,
    pub alt: String,
}

/// A perception gap row: one category, both sides and the difference.
#[derive(Debug, Clone, Serialize)]
pub struct GapRow {
    pub name: String,
    pub leadership: String,
    pub others: String,
    pub gap: Delta,
    /// The gap on a -1..1 bar (±20 points at the ends).
    pub frac: f64,
}

/// Cronbach's alpha of a category or dimension, for the method appendix.
#[derive(Debug, Clone, Serialize)]
pub struct ReliabilityRow {
    pub name: String,
    pub dimension: bool,
    pub alpha: String,
    pub cases: String,
    pub items: String,
    pub verdict: String,
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
    pub benchmark_label: String,
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
    pub portfolio: Option<String>,
    /// The three strongest and three weakest categories.
    pub strongest: Vec<Named>,
    pub weakest: Vec<Named>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyDimension {
    pub name: String,
    pub value: Value,
    pub change: Option<Delta>,
    pub benchmark: Option<Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileRow {
    /// "dimension" or "category".
    pub level: &'static str,
    pub code: String,
    pub name: String,
    pub value: Value,
    pub previous: Option<Value>,
    pub change: Option<Delta>,
    /// Unit report: the organisation's figure.
    pub organisation: Option<Value>,
    pub benchmark: Option<Value>,
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

#[derive(Debug, Clone, Serialize)]
pub struct UnitRow {
    pub name: String,
    pub respondents: String,
    pub suppressed: bool,
    pub note: String,
    /// Total, then the dimensions, then the categories (see `unit_columns`).
    pub cells: Vec<Value>,
}

/// A named figure, for the strongest and weakest categories.
#[derive(Debug, Clone, Serialize)]
pub struct Named {
    pub name: String,
    pub value: Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileRow {
    pub name: String,
    pub encoding: String,
    pub rows: String,
    pub respondents: String,
}

/// One report: the organisation's or a unit's.
#[derive(Debug, Clone, Serialize)]
pub struct ReportDoc {
    pub kind: &'static str,
    pub lang: &'static str,
    /// The PDF's document title.
    pub title: String,
    /// The cover's title line, e.g. "Digital mognad 2025".
    pub headline: String,
    pub subtitle: String,
    /// The cover's date line.
    pub generated: String,
    pub organisation: String,
    pub unit: Option<String>,
    pub year: i32,
    pub previous_year: Option<i32>,
    pub date: String,
    /// The report date as numbers, for the PDF metadata.
    pub date_ymd: [u32; 3],
    pub t: BTreeMap<String, String>,
    pub key: KeyFigures,
    pub profile_intro: String,
    pub profile: Vec<ProfileRow>,
    pub statements: Vec<CategoryGroup>,
    /// Headers of the units table: total, dimensions, categories.
    pub unit_columns: Vec<String>,
    pub units: Vec<UnitRow>,
    pub units_intro: String,
    pub method: Vec<String>,
    /// The data-quality summary: what was left out or flagged, by kind.
    pub quality: Vec<String>,
    pub reliability: Vec<ReliabilityRow>,
    /// The accent colour, "#RRGGBB".
    pub accent: String,
    pub quadrant: Option<Quadrant>,
    pub radar: Option<Radar>,
    pub portfolio: Option<portfolio::PortfolioSection>,
    /// What to do next, in plain words, derived from the figures.
    pub recommendations: Vec<String>,
    /// Organisation report: one row per role, as the units table.
    pub roles: Vec<UnitRow>,
    pub gaps: Vec<GapRow>,
    pub gaps_intro: String,
    pub roles_intro: String,
    pub trend: Option<Trend>,
    /// Legend lines for the marks used in charts and tables.
    pub has_benchmark: bool,
    pub files: Vec<FileRow>,
}

/// What every report of a run shares.
pub struct Context<'a> {
    pub organisation: &'a str,
    pub model: &'a Model,
    pub analysis: &'a Analysis,
    pub files: &'a [FileSummary],
    pub problems: &'a [crate::ingest::quality::Problem],
    pub benchmarks: &'a crate::benchmark::Benchmarks,
    pub register: &'a crate::portfolio::Register,
    /// Which roles count as leadership.
    pub leadership: &'a crate::config::Names,
    pub accent: &'a str,
    pub population: &'a crate::config::PopulationConfig,
    pub texts: &'a Texts,
    pub date: NaiveDate,
    pub year: i32,
}

impl Context<'_> {
    fn lang(&self) -> Lang {
        self.texts.lang
    }

    fn value(&self, index: Option<f64>) -> Value {
        match index {
            Some(v) => Value {
                text: format::percent(v, 1, self.lang()),
                frac: Some((v / 100.0).clamp(0.0, 1.0)),
                ci: None,
            },
            None => Value {
                text: "–".into(),
                frac: None,
                ci: None,
            },
        }
    }

    /// A group's figure with its confidence interval.
    fn figure(&self, g: &GroupResult, level: Level, key: &str) -> Value {
        let f = g.figure(level, key);
        let mut v = self.value(f.and_then(|f| f.index));
        v.ci = f
            .and_then(|f| f.ci)
            .map(|(lo, hi)| [(lo / 100.0).clamp(0.0, 1.0), (hi / 100.0).clamp(0.0, 1.0)]);
        v
    }

    fn benchmark(&self, level: Level, key: &str) -> Option<Value> {
        self.benchmarks
            .get(self.year, level, key)
            .map(|b| self.value(Some(b)))
    }

    /// A difference between two figures, without a test.
    fn change(&self, now: Option<f64>, before: Option<f64>) -> Option<String> {
        Some(format::points(now? - before?, 1, self.lang()))
    }

    /// A group's change since its previous shown year, with Welch's test.
    fn delta(&self, g: &GroupResult, level: Level, key: &str) -> Option<Delta> {
        let c = self
            .analysis
            .change(self.year, g.unit.as_deref(), level, key)?;
        Some(Delta {
            text: format::points(c.value, 1, self.lang()),
            significant: c.significant == Some(true),
        })
    }

    fn year_files(&self) -> Vec<&FileSummary> {
        self.files
            .iter()
            .filter(|f| f.years.contains(&self.year))
            .collect()
    }

    /// The organisation's report. `None` when the organisation itself is
    /// below the anonymity threshold for the year.
    pub fn organisation_report(&self) -> Option<ReportDoc> {
        let org = self.analysis.organisation(self.year)?;
        if !org.shown() {
            return None;
        }
        let prev = self.analysis.previous(self.year, None);
        let t = self.texts;
        let units: Vec<&GroupResult> = self.analysis.units(self.year).collect();
        let shown = units.iter().filter(|u| u.shown()).count();
        let mut doc = self.base("organisation", org, prev, None);
        doc.subtitle = t.get("report_subtitle_org");
        doc.key.units_shown = Some(format::count(shown, self.lang()));
        doc.key.units_hidden = Some(format::count(units.len() - shown, self.lang()));
        doc.key.portfolio = doc
            .portfolio
            .as_ref()
            .and_then(|p| p.findings.first().cloned());
        doc.units = units.iter().map(|u| self.unit_row(u)).collect();
        doc.roles = self
            .analysis
            .roles
            .range((self.year, String::new())..)
            .take_while(|((y, _), _)| *y == self.year)
            .map(|(_, g)| self.unit_row(g))
            .collect();
        let is_leader = |r: &str| self.leadership.matches(r);
        match self
            .analysis
            .perception_gap(self.year, self.model, &is_leader)
        {
            Some(gaps) => {
                let lc = self.lang().code();
                doc.gaps = gaps
                    .iter()
                    .map(|g| GapRow {
                        name: self
                            .model
                            .category(&g.key)
                            .map(|c| c.name.get(lc).to_string())
                            .unwrap_or_default(),
                        leadership: format::percent(g.a.mean, 1, self.lang()),
                        others: format::percent(g.b.mean, 1, self.lang()),
                        gap: Delta {
                            text: format::points(g.diff, 1, self.lang()),
                            significant: g.significant == Some(true),
                        },
                        frac: (g.diff / 20.0).clamp(-1.0, 1.0),
                    })
                    .collect();
                let higher = gaps.iter().filter(|g| g.diff > 0.0).count();
                doc.gaps_intro = self.texts.fill(
                    "gaps_intro",
                    &[
                        ("higher", &higher.to_string()),
                        ("all", &gaps.len().to_string()),
                        (
                            "roles",
                            &self
                                .analysis
                                .roles
                                .keys()
                                .filter(|(y, r)| *y == self.year && self.leadership.matches(r))
                                .map(|(_, r)| r.to_lowercase())
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                    ],
                );
            }
            None => {
                doc.gaps_intro = self.texts.fill(
                    "gaps_hidden",
                    &[("threshold", &self.analysis.threshold.to_string())],
                )
            }
        }
        doc.recommendations = self.recommendations(org, &doc);
        Some(doc)
    }

    /// A unit's report; `None` when the unit is suppressed.
    pub fn unit_report(&self, unit: &str) -> Option<ReportDoc> {
        let g = self.analysis.unit(self.year, unit)?;
        let org = self.analysis.organisation(self.year)?;
        if !g.shown() || !org.shown() {
            return None;
        }
        let prev = self.analysis.previous(self.year, Some(unit));
        let mut doc = self.base("unit", g, prev, Some(org));
        doc.unit = Some(unit.to_string());
        doc.key.portfolio = doc
            .portfolio
            .as_ref()
            .and_then(|p| p.findings.first().cloned());
        doc.recommendations = self.recommendations(g, &doc);
        doc.roles = self
            .analysis
            .unit_roles
            .iter()
            .filter(|((y, u, _), _)| *y == self.year && u == unit)
            .map(|(_, g)| self.unit_row(g))
            .collect();
        doc.subtitle = self.texts.fill("report_subtitle_unit", &[("unit", unit)]);
        doc.title = format!("{} – {unit}", doc.title);
        Some(doc)
    }

    /// How a group answered a statement: shares per scale value and don't
    /// know, from the respondents' own answers.
    fn distribution(&self, g: &GroupResult, code: &str) -> Option<Distribution> {
        let counts = self
            .analysis
            .answer_counts(self.model, g.year, g.unit.as_deref(), code)?;
        let min = self.model.scale.min;
        let fig = g.statements.get(code)?;
        let total = counts.iter().sum::<usize>() + fig.dont_know;
        if total == 0 {
            return None;
        }
        let values: Vec<f64> = counts.iter().map(|c| *c as f64 / total as f64).collect();
        let dont_know = fig.dont_know as f64 / total as f64;
        let lang = self.lang();
        let parts: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                format!(
                    "{}: {}",
                    min + i as i64,
                    format::percent(v * 100.0, 0, lang)
                )
            })
            .chain(std::iter::once(format!(
                "{}: {}",
                self.texts.get("dont_know"),
                format::percent(dont_know * 100.0, 0, lang)
            )))
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

    fn radar(
        &self,
        g: &GroupResult,
        prev: Option<&GroupResult>,
        org: Option<&GroupResult>,
    ) -> Option<Radar> {
        let cats = &self.model.categories;
        let k = cats.len();
        if k < 3 {
            return None;
        }
        let lc = self.lang().code();
        let angle = |i: usize| {
            -std::f64::consts::FRAC_PI_2 + 2.0 * std::f64::consts::PI * i as f64 / k as f64
        };
        let at = |i: usize, r: f64| {
            (
                0.5 + 0.5 * r * angle(i).cos(),
                0.5 + 0.5 * r * angle(i).sin(),
            )
        };
        let polygon = |h: &GroupResult| -> Option<Vec<(f64, f64)>> {
            cats.iter()
                .enumerate()
                .map(|(i, c)| h.index(Level::Category, &c.code).map(|v| at(i, v / 100.0)))
                .collect()
        };
        let now = polygon(g)?;
        let values: Vec<String> = cats
            .iter()
            .map(|c| {
                format!(
                    "{} {}",
                    c.name.get(lc),
                    g.index(Level::Category, &c.code)
                        .map(|v| format::percent(v, 1, self.lang()))
                        .unwrap_or_default()
                )
            })
            .collect();
        Some(Radar {
            spokes: (0..k)
                .map(|i| {
                    let (x, y) = at(i, 1.0);
                    (x, y, cats[i].name.get(lc).to_string())
                })
                .collect(),
            rings: [0.25, 0.5, 0.75, 1.0]
                .iter()
                .map(|r| (0..k).map(|i| at(i, *r)).collect())
                .collect(),
            now,
            previous: prev.and_then(polygon),
            organisation: org.and_then(polygon),
            alt: self
                .texts
                .fill("alt_radar", &[("values", &values.join(", "))]),
            legend: {
                let mut parts = vec![self
                    .texts
                    .fill("radar_now", &[("year", &self.year.to_string())])];
                if let Some(p) = prev {
                    parts.push(
                        self.texts
                            .fill("radar_previous", &[("year", &p.year.to_string())]),
                    );
                }
                if org.is_some() {
                    parts.push(self.texts.get("radar_organisation"));
                }
                parts.join("; ")
            },
        })
    }

    /// Up to five recommendations, most important first: weak categories
    /// without investment, the weakest category, unclear statements, low
    /// reliability, a one-sided leadership view and an unbalanced budget.
    fn recommendations(&self, g: &GroupResult, doc: &ReportDoc) -> Vec<String> {
        let t = self.texts;
        let lang = self.lang();
        let lc = lang.code();
        let mut out: Vec<String> = Vec::new();
        let is_org = g.unit.is_none();
        if let Some(p) = &doc.portfolio {
            out.extend(
                p.priorities
                    .iter()
                    .map(|p| t.fill("rec_priority", &[("priority", p)])),
            );
        }
        let weakest = g
            .categories_ascending(self.model)
            .first()
            .map(|&(v, i)| (v, &self.model.categories[i]));
        if let Some((v, c)) = weakest {
            let name = c.name.get(lc);
            if !out.iter().any(|r| r.contains(name)) {
                out.push(t.fill(
                    "rec_weakest",
                    &[("category", name), ("index", &format::percent(v, 1, lang))],
                ));
            }
        }
        for s in &self.model.statements {
            let Some(share) = g.statements.get(&s.code).and_then(|f| f.dont_know_share()) else {
                continue;
            };
            if share >= 0.12 {
                out.push(t.fill(
                    "rec_unclear",
                    &[
                        ("code", &s.code),
                        ("share", &format::percent(share * 100.0, 0, lang)),
                    ],
                ));
            }
        }
        if is_org {
            for c in &self.model.categories {
                if let Some(a) = self
                    .analysis
                    .reliability
                    .get(&(self.year, Level::Category, c.code.clone()))
                    .and_then(|r| r.alpha)
                    .filter(|a| *a < 0.6)
                {
                    out.push(t.fill(
                        "rec_alpha",
                        &[
                            ("category", c.name.get(lc)),
                            ("alpha", &format::number(a, 2, lang)),
                        ],
                    ));
                }
            }
            let significant_higher = doc
                .gaps
                .iter()
                .filter(|x| x.gap.significant && x.frac > 0.0)
                .count();
            if !doc.gaps.is_empty() && significant_higher * 2 >= doc.gaps.len() {
                out.push(t.fill(
                    "rec_gap",
                    &[
                        ("n", &significant_higher.to_string()),
                        ("all", &doc.gaps.len().to_string()),
                    ],
                ));
            }
        }
        if doc.portfolio.as_ref().is_some_and(|p| {
            p.balance
                .first()
                .and_then(|b| b.budget)
                .is_some_and(|b| b[0] >= 0.5)
        }) {
            out.push(t.get("rec_balance"));
        }
        out.truncate(5);
        out
    }

    /// The years in which a group was shown, up to the report's year.
    fn history<'g>(&'g self, g: &GroupResult) -> Vec<&'g GroupResult> {
        self.analysis
            .years
            .iter()
            .filter(|y| **y <= self.year)
            .filter_map(|&y| match &g.unit {
                None => self.analysis.organisation(y),
                Some(u) => self.analysis.unit(y, u),
            })
            .filter(|h| h.shown())
            .collect()
    }

    fn quadrant(&self, g: &GroupResult, org: Option<&GroupResult>) -> Option<Quadrant> {
        let types = self.model.types.as_ref()?;
        let lc = self.lang().code();
        // Raw points in index units first, then the axes zoomed to them:
        // at least 15 points either side of the threshold, 5 beyond the data.
        let raw = |h: &GroupResult| -> Option<(f64, f64)> {
            Some((
                h.index(Level::Dimension, &types.capability)?,
                h.index(Level::Dimension, &types.legacy)?,
            ))
        };
        let history: Vec<(&GroupResult, (f64, f64))> = self
            .history(g)
            .into_iter()
            .filter_map(|h| raw(h).map(|p| (h, p)))
            .collect();
        let org_now = org.and_then(raw);
        let axis = |threshold: f64, values: Vec<f64>| -> (f64, f64) {
            let lo = values
                .iter()
                .copied()
                .fold(threshold - 15.0, |a, v| a.min(v - 5.0));
            let hi = values
                .iter()
                .copied()
                .fold(threshold + 15.0, |a, v| a.max(v + 5.0));
            (
                ((lo / 5.0).floor() * 5.0).max(0.0),
                ((hi / 5.0).ceil() * 5.0).min(100.0),
            )
        };
        let all = history.iter().map(|(_, p)| *p).chain(org_now);
        let (xs, ys): (Vec<f64>, Vec<f64>) = all.unzip();
        let (x_lo, x_hi) = axis(types.capability_threshold, xs);
        let (y_lo, y_hi) = axis(types.legacy_threshold, ys);
        let fx = |v: f64| (v - x_lo) / (x_hi - x_lo);
        let fy = |v: f64| (v - y_lo) / (y_hi - y_lo);
        let point = |(x, y): (f64, f64), label: String, current: bool| QuadrantPoint {
            label,
            x: fx(x),
            y: fy(y),
            current,
        };
        let path: Vec<QuadrantPoint> = history
            .iter()
            .map(|(h, p)| point(*p, h.year.to_string(), h.year == self.year))
            .collect();
        let (_, now) = history.iter().find(|(h, _)| h.year == self.year)?;
        let kind = types.classify(now.0, now.1);
        let pct = |v: f64| format::percent(v, 0, self.lang());
        let pct1 = |v: f64| format::percent(v, 1, self.lang());
        Some(Quadrant {
            x_label: self
                .model
                .dimension(&types.capability)?
                .name
                .get(lc)
                .to_string(),
            y_label: self
                .model
                .dimension(&types.legacy)?
                .name
                .get(lc)
                .to_string(),
            x_threshold: fx(types.capability_threshold),
            y_threshold: fy(types.legacy_threshold),
            x_range: [pct(x_lo), pct(x_hi)],
            y_range: [pct(y_lo), pct(y_hi)],
            names: [
                &types.low_limiting,
                &types.high_limiting,
                &types.low_enabling,
                &types.high_enabling,
            ]
            .map(|t| t.name.get(lc).to_string()),
            organisation: org_now.map(|p| point(p, self.texts.get("organisation_short"), false)),
            type_name: kind.name.get(lc).to_string(),
            type_text: kind.text.get(lc).to_string(),
            intro: self
                .texts
                .fill("maturity_type_intro", &[("year", &self.year.to_string())]),
            alt: self.texts.fill(
                "alt_quadrant",
                &[
                    ("x", self.model.dimension(&types.capability)?.name.get(lc)),
                    ("y", self.model.dimension(&types.legacy)?.name.get(lc)),
                    (
                        "points",
                        &history
                            .iter()
                            .map(|(h, (x, y))| format!("{}: {} / {}", h.year, pct1(*x), pct1(*y)))
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                    ("type", kind.name.get(lc)),
                ],
            ),
            path,
        })
    }

    fn trend(&self, g: &GroupResult) -> Option<Trend> {
        let history = self.history(g);
        if history.len() < 2 {
            return None;
        }
        let lc = self.lang().code();
        let mut lines: Vec<(String, Vec<Option<f64>>)> = vec![(
            self.texts.get("total_short"),
            history.iter().map(|h| h.total.index).collect(),
        )];
        for d in &self.model.dimensions {
            lines.push((
                d.name.get(lc).to_string(),
                history
                    .iter()
                    .map(|h| h.index(Level::Dimension, &d.code))
                    .collect(),
            ));
        }
        let all: Vec<f64> = lines
            .iter()
            .flat_map(|(_, v)| v.iter().flatten().copied())
            .collect();
        let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lo = ((lo - 5.0) / 10.0).floor().max(0.0) * 10.0;
        let hi = ((hi + 5.0) / 10.0).ceil().min(10.0) * 10.0;
        let y = |v: f64| (v - lo) / (hi - lo);
        let x = |i: usize| i as f64 / (history.len() - 1) as f64;
        const MARKERS: [&str; 4] = ["circle", "square", "diamond", "triangle"];
        let alt = self.texts.fill(
            "alt_trend",
            &[(
                "series",
                &lines
                    .iter()
                    .map(|(name, values)| {
                        let pts: Vec<String> = values
                            .iter()
                            .zip(&history)
                            .filter_map(|(v, h)| {
                                v.map(|v| {
                                    format!("{} {}", h.year, format::percent(v, 1, self.lang()))
                                })
                            })
                            .collect();
                        format!("{name}: {}", pts.join(", "))
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            )],
        );
        Some(Trend {
            alt,
            series: lines
                .into_iter()
                .enumerate()
                .map(|(i, (name, values))| Series {
                    name,
                    marker: MARKERS[i % MARKERS.len()],
                    points: values
                        .iter()
                        .enumerate()
                        .filter_map(|(j, v)| {
                            v.map(|v| TrendPoint {
                                x: x(j),
                                y: y(v),
                                text: format::percent(v, 1, self.lang()),
                            })
                        })
                        .collect(),
                })
                .collect(),
            years: history
                .iter()
                .enumerate()
                .map(|(j, h)| (h.year.to_string(), x(j)))
                .collect(),
            ticks: (0..)
                .map(|k| lo + 10.0 * k as f64)
                .take_while(|v| *v <= hi + 1e-9)
                .map(|v| (format::percent(v, 0, self.lang()), y(v)))
                .collect(),
        })
    }

    /// Cronbach's alpha of every dimension and category for the year.
    fn reliability_rows(&self) -> Vec<ReliabilityRow> {
        let lc = self.lang().code();
        let t = self.texts;
        let mut rows = Vec::new();
        for d in &self.model.dimensions {
            let scopes =
                std::iter::once((Level::Dimension, d.code.clone(), d.name.get(lc).to_string()))
                    .chain(
                        self.model
                            .categories_of(&d.code)
                            .map(|c| (Level::Category, c.code.clone(), c.name.get(lc).to_string())),
                    );
            for (level, code, name) in scopes {
                let Some(r) = self.analysis.reliability.get(&(self.year, level, code)) else {
                    continue;
                };
                rows.push(ReliabilityRow {
                    name,
                    dimension: level == Level::Dimension,
                    alpha: r
                        .alpha
                        .map(|a| format::number(a, 2, self.lang()))
                        .unwrap_or_else(|| "–".into()),
                    cases: format::count(r.complete_cases, self.lang()),
                    items: r.items.to_string(),
                    verdict: match r.alpha {
                        Some(a) if a >= 0.8 => t.get("alpha_good"),
                        Some(a) if a >= 0.7 => t.get("alpha_acceptable"),
                        Some(_) => t.get("alpha_low"),
                        None => t.get("alpha_none"),
                    },
                });
            }
        }
        rows
    }

    /// How a file was read, in the report's language.
    fn source_text(&self, source: &crate::ingest::Source) -> String {
        use crate::ingest::Source;
        let t = self.texts;
        match source {
            Source::Text {
                delimiter,
                encoding,
                qualtrics,
            } => {
                let text = t.fill(
                    "format_text",
                    &[
                        ("delimiter", &t.get(&format!("delimiter_{delimiter}"))),
                        ("encoding", encoding),
                    ],
                );
                if *qualtrics {
                    format!("Qualtrics, {text}")
                } else {
                    text
                }
            }
            Source::Excel { sheet } => t.fill("format_excel", &[("sheet", sheet)]),
            Source::Parquet => "Parquet".into(),
            Source::Json => "JSON".into(),
            Source::Ndjson => "NDJSON".into(),
        }
    }

    /// One line per kind of data-quality warning in the year's files,
    /// with counts only: no ids, rows or values reach a report.
    fn quality_lines(&self) -> Vec<String> {
        use crate::ingest::quality::Kind;
        let names: Vec<&str> = self
            .year_files()
            .iter()
            .map(|f| f.relative.as_str())
            .collect();
        let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
        for p in self
            .problems
            .iter()
            .filter(|p| names.contains(&p.file.as_str()))
        {
            *counts.entry(p.kind).or_default() += p.count;
        }
        let lines: Vec<String> = counts
            .into_iter()
            .filter_map(|(kind, n)| {
                let key = match kind {
                    Kind::DuplicateRespondent => "quality_duplicates",
                    Kind::StraightLining => "quality_straight",
                    Kind::EmptyRow => "quality_empty",
                    Kind::Incomplete => "quality_incomplete",
                    Kind::NeverAnswered => "quality_never",
                    Kind::IgnoredColumn => "quality_ignored",
                    _ => return None,
                };
                Some(
                    self.texts
                        .fill(key, &[("n", &format::count(n, self.lang()))]),
                )
            })
            .collect();
        if lines.is_empty() {
            vec![self.texts.get("quality_none")]
        } else {
            lines
        }
    }

    /// The three strongest (or weakest) categories of a group; ties keep
    /// the model's order.
    fn ranked(&self, g: &GroupResult, strongest: bool) -> Vec<Named> {
        let lc = self.lang().code();
        let mut cats = g.categories_ascending(self.model);
        if strongest {
            // strongest first, ties still in model order
            cats.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        cats.into_iter()
            .take(3)
            .map(|(v, i)| Named {
                name: self.model.categories[i].name.get(lc).to_string(),
                value: self.value(Some(v)),
            })
            .collect()
    }

    fn unit_row(&self, u: &GroupResult) -> UnitRow {
        let t = self.texts;
        let threshold = self.analysis.threshold.to_string();
        let hidden = |_: Option<f64>| Value {
            text: t.get("suppressed"),
            frac: None,
            ci: None,
        };
        let cell = |v: Option<f64>| if u.shown() { self.value(v) } else { hidden(v) };
        UnitRow {
            name: u.unit.clone().unwrap_or_default(),
            respondents: if u.shown() {
                format::count(u.respondents, self.lang())
            } else {
                t.get("suppressed")
            },
            suppressed: !u.shown(),
            note: match u.suppression {
                None => String::new(),
                Some(Suppression::Primary) => {
                    t.fill("suppressed_primary", &[("threshold", &threshold)])
                }
                Some(Suppression::Secondary) => t.get("suppressed_secondary"),
            },
            cells: std::iter::once(cell(u.total.index))
                .chain(
                    self.model
                        .dimensions
                        .iter()
                        .map(|d| cell(u.index(Level::Dimension, &d.code))),
                )
                .chain(
                    self.model
                        .categories
                        .iter()
                        .map(|c| cell(u.index(Level::Category, &c.code))),
                )
                .collect(),
        }
    }

    fn base(
        &self,
        kind: &'static str,
        g: &GroupResult,
        prev: Option<&GroupResult>,
        org: Option<&GroupResult>,
    ) -> ReportDoc {
        let t = self.texts;
        let lang = self.lang();
        let lc = lang.code();
        let year = self.year.to_string();
        let prev_year = prev.map(|p| p.year);
        let prev_index = |level: Level, key: &str| prev.and_then(|p| p.index(level, key));
        let org_value = |level: Level, key: &str| org.map(|o| self.value(o.index(level, key)));

        let row = |level: Level, code: &str, name: String| ProfileRow {
            level: if level == Level::Dimension {
                "dimension"
            } else {
                "category"
            },
            code: code.to_string(),
            name,
            value: self.figure(g, level, code),
            previous: prev.map(|_| self.value(prev_index(level, code))),
            change: self.delta(g, level, code),
            organisation: org_value(level, code),
            benchmark: self.benchmark(level, code),
        };
        let mut profile = Vec::new();
        for d in &self.model.dimensions {
            profile.push(row(Level::Dimension, &d.code, d.name.get(lc).to_string()));
            for c in self.model.categories_of(&d.code) {
                profile.push(row(Level::Category, &c.code, c.name.get(lc).to_string()));
            }
        }

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
                        StatementRow {
                            code: s.code.clone(),
                            text: s.text.get(lc).to_string(),
                            category: c.name.get(lc).to_string(),
                            value: self.figure(g, Level::Statement, &s.code),
                            previous: prev
                                .map(|_| self.value(prev_index(Level::Statement, &s.code))),
                            change: self.delta(g, Level::Statement, &s.code),
                            organisation: org_value(Level::Statement, &s.code),
                            dont_know: fig
                                .dont_know_share()
                                .map(|s| format::percent(s * 100.0, 0, lang))
                                .unwrap_or_else(|| "–".into()),
                            n: format::count(fig.n + fig.dont_know, lang),
                            distribution: self.distribution(g, &s.code),
                        }
                    })
                    .collect(),
            })
            .collect();

        let population = match self.benchmarks.population.as_deref() {
            Some(crate::organisations::INPUT_POPULATION) => t.get("population_input"),
            other => other.unwrap_or_default().to_string(),
        };
        let bench_total = self.benchmarks.get(self.year, Level::Total, "total");
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
            benchmark_label: t.fill(
                "benchmark_label",
                &[("population", &population), ("year", &year)],
            ),
            respondents: format::count(g.respondents, lang),
            organisation: org.map(|o| self.value(o.total.index)),
            difference: org.and_then(|o| self.change(g.total.index, o.total.index)),
            units_shown: None,
            units_hidden: None,
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
                Some(types.classify(x, y).name.get(lc).to_string())
            }),
            response_rate: match &g.unit {
                None => self.population.total,
                Some(u) => self.population.units.get(u).copied(),
            }
            .filter(|n| *n > 0)
            .map(|invited| {
                t.fill(
                    "response_rate_value",
                    &[
                        (
                            "rate",
                            &format::percent(
                                100.0 * g.respondents as f64 / invited as f64,
                                0,
                                lang,
                            ),
                        ),
                        ("invited", &format::count(invited, lang)),
                    ],
                )
            }),
            portfolio: None,
            strongest: self.ranked(g, true),
            weakest: self.ranked(g, false),
        };

        let profile_intro = match (kind, prev_year) {
            ("unit", _) => t.fill("profile_intro_unit", &[("year", &year)]),
            (_, Some(p)) => t.fill(
                "profile_intro",
                &[("year", &year), ("previous", &p.to_string())],
            ),
            (_, None) => t.fill("profile_intro_no_previous", &[("year", &year)]),
        };

        let files = self.year_files();
        let threshold = self.analysis.threshold.to_string();
        let (min, max) = (
            self.model.scale.min.to_string(),
            self.model.scale.max.to_string(),
        );
        let org_all = self.analysis.organisation(self.year);
        let method = vec![
            t.fill(
                "method_model",
                &[
                    ("model", self.model.name.get(lc)),
                    ("min", &min),
                    ("max", &max),
                ],
            ),
            t.fill("method_index", &[("min", &min), ("max", &max)]),
            t.fill("method_anonymity", &[("threshold", &threshold)]),
            t.get("method_uncertainty"),
            t.fill(
                "method_sources",
                &[
                    ("files", &files.len().to_string()),
                    (
                        "respondents",
                        &format::count(org_all.map(|o| o.respondents).unwrap_or(0), lang),
                    ),
                    (
                        "answers",
                        &format::count(
                            org_all
                                .map(|o| o.statements.values().map(|s| s.n + s.dont_know).sum())
                                .unwrap_or(0),
                            lang,
                        ),
                    ),
                    ("year", &year),
                ],
            ),
        ];
        let mut method = method;
        match self.benchmarks.population.as_deref() {
            Some(crate::organisations::INPUT_POPULATION) => {
                method.push(t.get("method_benchmark_input"))
            }
            Some(population) => method.push(t.fill(
                "method_benchmark",
                &[
                    ("population", population),
                    ("files", &self.benchmarks.files.join(", ")),
                ],
            )),
            None => {}
        }
        let quality = self.quality_lines();

        ReportDoc {
            kind,
            lang: lc,
            title: format!(
                "{} – {}",
                t.fill("report_title", &[("year", &year)]),
                self.organisation
            ),
            headline: t.fill("report_title", &[("year", &year)]),
            subtitle: String::new(),
            generated: t.fill("generated", &[("date", &format::date(self.date, lang))]),
            organisation: self.organisation.to_string(),
            unit: None,
            year: self.year,
            previous_year: prev_year,
            date: format::date(self.date, lang),
            date_ymd: {
                use chrono::Datelike;
                [self.date.year() as u32, self.date.month(), self.date.day()]
            },
            t: t.all().clone(),
            key,
            profile_intro,
            profile,
            statements,
            unit_columns: std::iter::once(t.get("total_short"))
                .chain(
                    self.model
                        .dimensions
                        .iter()
                        .map(|d| d.name.get(lc).to_string()),
                )
                .chain(
                    self.model
                        .categories
                        .iter()
                        .map(|c| c.name.get(lc).to_string()),
                )
                .collect(),
            units: Vec::new(),
            units_intro: t.fill("units_intro", &[("threshold", &threshold)]),
            method,
            quality,
            reliability: self.reliability_rows(),
            accent: self.accent.to_string(),
            quadrant: self.quadrant(g, org),
            radar: self.radar(g, prev, org),
            portfolio: self.portfolio(g),
            recommendations: Vec::new(),
            roles: Vec::new(),
            gaps: Vec::new(),
            gaps_intro: String::new(),
            roles_intro: t.fill("roles_intro", &[("threshold", &threshold)]),
            trend: self.trend(g),
            has_benchmark: self.benchmarks.population.is_some() && bench_total.is_some(),
            files: files
                .iter()
                .map(|f| FileRow {
                    name: f.relative.clone(),
                    encoding: self.source_text(&f.source),
                    rows: format::count(f.rows, lang),
                    respondents: format::count(f.respondents, lang),
                })
                .collect(),
        }
    }
}
