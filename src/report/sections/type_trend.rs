//! The profile as a radar, the maturity type (the quadrant of capability
//! and legacy, with the path over the years) and the trend.

use serde::Serialize;

use super::labels::place_labels;
use super::quadrant::{QuadrantFrame, QuadrantPoint};

use super::Scope;
use crate::analyse::{GroupResult, Level};
use crate::format;
use crate::report::{Common, Context};

/// The radar's rings, as shares of 100 %.
const RINGS: [f64; 4] = [0.25, 0.5, 0.75, 1.0];

/// The section's data: each chart where the model and the data allow it.
#[derive(Debug, Clone, Serialize)]
pub struct TypeAndTrendSection {
    pub radar: Option<Radar>,
    pub quadrant: Option<Quadrant>,
    pub trend: Option<Trend>,
}

/// The four organisation types and the group's path through them.
#[derive(Debug, Clone, Serialize)]
pub struct Quadrant {
    #[serde(flatten)]
    pub frame: QuadrantFrame,
    pub path: Vec<QuadrantPoint>,
    /// Unit report: the whole organisation this year.
    pub organisation: Option<QuadrantPoint>,
    pub type_name: String,
    pub type_text: String,
    /// When a confidence interval crosses a boundary: the type is uncertain.
    pub near_boundary: Option<String>,
    pub intro: String,
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
    /// The rings' values ("25 %" .. "100 %"), drawn along the first spoke.
    pub ring_labels: Vec<String>,
    pub now: Vec<(f64, f64)>,
    pub previous: Option<Vec<(f64, f64)>>,
    pub organisation: Option<Vec<(f64, f64)>>,
    /// The benchmark's category figures, where it has them all.
    pub benchmark: Option<Vec<(f64, f64)>>,
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

/// The section's entry in [`super::SECTIONS`].
pub(crate) struct Entry;

impl super::Section for Entry {
    fn name(&self) -> &'static str {
        "type_and_trend"
    }

    fn template(&self) -> &'static str {
        include_str!("../../../report-templates/sections/type-and-trend.typ")
    }

    fn build(&self, cx: &Context, s: &Scope) -> Option<serde_json::Value> {
        super::data(cx.common.type_and_trend(s, cx.extent)?)
    }
}

impl Common<'_> {
    /// The charts of the group; `None` when there is none to draw.
    pub(crate) fn type_and_trend(
        &self,
        s: &Scope,
        extent: crate::analyse::Extent,
    ) -> Option<TypeAndTrendSection> {
        let section = TypeAndTrendSection {
            radar: self.radar(s.g, s.prev, s.org),
            quadrant: self.quadrant(s.g, s.org, extent),
            trend: self.trend(s.g, extent),
        };
        (section.radar.is_some() || section.quadrant.is_some() || section.trend.is_some())
            .then_some(section)
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
        let benchmark: Option<Vec<(f64, f64)>> = cats
            .iter()
            .enumerate()
            .map(|(i, c)| {
                self.benchmarks
                    .get(self.year, Level::Category, &c.code)
                    .map(|v| at(i, v / 100.0))
            })
            .collect();
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
            rings: RINGS
                .iter()
                .map(|r| (0..k).map(|i| at(i, *r)).collect())
                .collect(),
            ring_labels: RINGS
                .iter()
                .map(|r| format::percent(r * 100.0, 0, self.lang()))
                .collect(),
            now,
            previous: prev.and_then(polygon),
            organisation: org.and_then(polygon),
            benchmark: benchmark.clone(),
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
                if benchmark.is_some() {
                    parts.push(self.texts.fill(
                        "radar_benchmark",
                        &[
                            ("population", &self.population_name()),
                            ("year", &self.year.to_string()),
                        ],
                    ));
                }
                parts.join("; ")
            },
        })
    }

    /// The years in which a group was shown, up to the report's year.
    fn history<'g>(&'g self, g: &GroupResult) -> Vec<&'g GroupResult> {
        self.analysis
            .years
            .iter()
            .filter(|y| **y <= self.year)
            .filter_map(|&y| self.analysis.group(y, &g.group))
            .filter(|h| h.shown())
            .collect()
    }

    /// A point's capability and legacy, in index points.
    pub(crate) fn quadrant_xy(&self, h: &GroupResult) -> Option<(f64, f64)> {
        let types = self.model.types.as_ref()?;
        Some((
            h.index(Level::Dimension, &types.capability)?,
            h.index(Level::Dimension, &types.legacy)?,
        ))
    }

    fn quadrant(
        &self,
        g: &GroupResult,
        org: Option<&GroupResult>,
        extent: crate::analyse::Extent,
    ) -> Option<Quadrant> {
        let types = self.model.types.as_ref()?;
        let lc = self.lang().code();
        let history: Vec<(&GroupResult, (f64, f64))> = self
            .history(g)
            .into_iter()
            .filter_map(|h| self.quadrant_xy(h).map(|p| (h, p)))
            .collect();
        let org_now = org.and_then(|o| self.quadrant_xy(o));
        // the group's own points lie within the run's common extent
        let all: Vec<(f64, f64)> = history.iter().map(|(_, p)| *p).chain(org_now).collect();
        let frame = self.quadrant_frame(&all, extent)?;
        let ci_of = |code: &str| g.figure(Level::Dimension, code).and_then(|f| f.ci);
        let (x_ci, y_ci) = (ci_of(&types.capability), ci_of(&types.legacy));
        let clamp = |v: f64| v.clamp(0.0, 1.0);
        let path: Vec<QuadrantPoint> = history
            .iter()
            .map(|(h, p)| {
                let mut q = frame.point(*p, h.year.to_string(), h.year == self.year);
                if q.current {
                    q.ci = x_ci.zip(y_ci).map(|((xl, xh), (yl, yh))| {
                        [
                            clamp(frame.fx(xl)),
                            clamp(frame.fx(xh)),
                            clamp(frame.fy(yl)),
                            clamp(frame.fy(yh)),
                        ]
                    });
                }
                q
            })
            .collect();
        let (_, now) = history.iter().find(|(h, _)| h.year == self.year)?;
        let kind = types.classify(now.0, now.1);
        let crossing = self.boundary_crossings(g);
        let near_boundary = (!crossing.is_empty()).then(|| {
            self.texts.fill(
                "type_near_boundary",
                &[("dimensions", &self.and_list(&crossing))],
            )
        });
        let type_text = self.type_text(g, kind);
        // "Digital förmåga (vågrätt) och digitalt arv (lodrätt)"
        let lower_first = format::lower_first;
        // a path needs two years; one point has none to show
        let intro_key = match path.len() {
            0 | 1 => "maturity_type_intro_single",
            _ => "maturity_type_intro",
        };
        let intro = self.texts.fill(
            intro_key,
            &[
                ("year", &self.year.to_string()),
                ("x", &frame.x_label),
                ("y", &lower_first(&frame.y_label)),
            ],
        );
        let mut path = path;
        let mut organisation =
            org_now.map(|p| frame.point(p, self.texts.get("organisation_short"), false));
        // the current year's label first: it matters most
        let mut labelled: Vec<&mut QuadrantPoint> = path.iter_mut().rev().collect();
        labelled.extend(organisation.as_mut());
        place_labels(&mut labelled, &[], &frame);
        Some(Quadrant {
            organisation,
            type_name: kind.name.get(lc).to_string(),
            type_text,
            near_boundary,
            intro,
            alt: self.quadrant_alt(&history, kind)?,
            path,
            frame,
        })
    }

    /// The quadrant's alternative text: the axes, the path year by year and
    /// the type.
    fn quadrant_alt(
        &self,
        history: &[(&GroupResult, (f64, f64))],
        kind: &crate::model::TypeText,
    ) -> Option<String> {
        let types = self.model.types.as_ref()?;
        let lc = self.lang().code();
        let pct1 = |v: f64| format::percent(v, 1, self.lang());
        let points = history
            .iter()
            .map(|(h, (x, y))| format!("{}: {} / {}", h.year, pct1(*x), pct1(*y)))
            .collect::<Vec<_>>()
            .join("; ");
        Some(self.texts.fill(
            "alt_quadrant",
            &[
                ("x", self.model.dimension(&types.capability)?.name.get(lc)),
                ("y", self.model.dimension(&types.legacy)?.name.get(lc)),
                ("points", &points),
                ("type", kind.name.get(lc)),
            ],
        ))
    }

    /// The dimensions (lower-case names) whose confidence interval spans
    /// the boundary between the types: empty when the type is clear.
    pub(crate) fn boundary_crossings(&self, g: &GroupResult) -> Vec<String> {
        let Some(types) = self.model.types.as_ref() else {
            return Vec::new();
        };
        let lc = self.lang().code();
        [
            (&types.capability, types.capability_threshold),
            (&types.legacy, types.legacy_threshold),
        ]
        .into_iter()
        .filter(|(code, t)| g.interval_spans(Level::Dimension, code, *t))
        .filter_map(|(code, _)| Some(self.model.dimension(code)?.name.get(lc).to_lowercase()))
        .collect()
    }

    /// The type's sentence, following the profile: a type whose sentence
    /// speaks of balance between two categories (the model's `[types]
    /// balance`) gets its `text_unbalanced` when they differ by more than
    /// `[thresholds] type_balance` points.
    fn type_text(&self, g: &GroupResult, kind: &crate::model::TypeText) -> String {
        let lc = self.lang().code();
        let types = self.model.types.as_ref();
        let pair = types.map(|t| t.balance.as_slice()).unwrap_or_default();
        let limit = Some(crate::config::threshold(self.thresholds, "type_balance"));
        let unbalanced = match (pair, limit) {
            ([a, b], Some(limit)) => g
                .index(Level::Category, a)
                .zip(g.index(Level::Category, b))
                .is_some_and(|(x, y)| {
                    (format::displayed(x, 1) - format::displayed(y, 1)).abs() > limit
                }),
            _ => false,
        };
        if unbalanced && !kind.text_unbalanced.is_empty() {
            kind.text_unbalanced.get(lc).to_string()
        } else {
            kind.text.get(lc).to_string()
        }
    }

    fn trend(&self, g: &GroupResult, extent: crate::analyse::Extent) -> Option<Trend> {
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
        // the run's common scale (the group's own values lie within it)
        let common = extent.trend.map(|(lo, hi)| [lo, hi]);
        let all: Vec<f64> = lines
            .iter()
            .flat_map(|(_, v)| v.iter().flatten().copied())
            .chain(common.into_iter().flatten())
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
}
