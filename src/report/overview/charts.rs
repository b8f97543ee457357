//! The overview's charts: box plots on a common scale, the maturity-type
//! quadrant and the trend against the target, placed as fractions of
//! their axes for `overview.typ`.

use super::{BoxGroup, BoxRow, OverviewContext, OverviewQuadrant, MARKERS};
use crate::analyse::Extent;
use crate::format;
use crate::overview::{Overview, Spread};
use crate::report::sections::quadrant::frame_around;
use crate::report::sections::type_trend::{Series, Trend, TrendPoint};

impl OverviewContext<'_> {
    /// A box plot row on the scale `lo..hi`.
    pub(super) fn box_row(
        &self,
        label: String,
        s: Option<&Spread>,
        (lo, hi): (f64, f64),
    ) -> BoxRow {
        let f = |v: f64| ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
        match s {
            Some(s) => BoxRow {
                label,
                at: Some([f(s.min), f(s.q1), f(s.median), f(s.q3), f(s.max), f(s.mean)]),
                median: self.pct(s.median),
                mean: self.pct(s.mean),
                quartiles: format!("{}–{}", self.pct(s.q1), self.pct(s.q3)),
                range: format!("{}–{}", self.pct(s.min), self.pct(s.max)),
                n: self.count(s.n),
            },
            None => BoxRow {
                label,
                at: None,
                median: "–".into(),
                mean: "–".into(),
                quartiles: "–".into(),
                range: "–".into(),
                n: "0".into(),
            },
        }
    }

    /// A scale in tens around every value, and its ticks.
    pub(super) fn scale(
        &self,
        values: impl Iterator<Item = f64>,
    ) -> ((f64, f64), Vec<(String, f64)>) {
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        let (lo, hi) = if lo.is_finite() {
            (
                ((lo / 10.0).floor() * 10.0).max(0.0),
                ((hi / 10.0).ceil() * 10.0).min(100.0),
            )
        } else {
            (0.0, 100.0)
        };
        let hi = if hi <= lo { lo + 10.0 } else { hi };
        let ticks = (0..=10)
            .map(|i| lo + i as f64 * 10.0)
            .take_while(|v| *v <= hi + 1e-9)
            .map(|v| (format::percent(v, 0, self.lang()), (v - lo) / (hi - lo)))
            .collect();
        ((lo, hi), ticks)
    }

    /// The box plots per type, then of all, on one scale.
    pub(super) fn spreads(
        &self,
        o: &Overview,
        figures: &[String],
    ) -> (Vec<BoxGroup>, Vec<(String, f64)>, String) {
        let every = o
            .spreads
            .iter()
            .flat_map(|s| s.spreads.iter().flatten())
            .chain(o.all.iter().flatten())
            .flat_map(|s| [s.min, s.max]);
        let (range, ticks) = self.scale(every);
        let t = self.texts;
        let mut alt = Vec::new();
        let named = o
            .spreads
            .iter()
            .map(|ts| (self.kind_name(&ts.kind), &ts.spreads))
            .chain(std::iter::once((t.get("overview_all"), &o.all)));
        let groups = named
            .map(|(name, spreads)| {
                let total = spreads.first().copied().flatten();
                if let Some(s) = total {
                    alt.push(format!(
                        "{name}: {} {}",
                        t.get("overview_median"),
                        self.pct(s.median)
                    ));
                }
                BoxGroup {
                    n: t.fill(
                        "overview_n",
                        &[("n", &self.count(total.map_or(0, |s| s.n)))],
                    ),
                    name,
                    rows: figures
                        .iter()
                        .zip(spreads)
                        .map(|(f, s)| self.box_row(f.clone(), s.as_ref(), range))
                        .collect(),
                }
            })
            .collect();
        (
            groups,
            ticks,
            t.fill("overview_spreads_alt", &[("medians", &alt.join("; "))]),
        )
    }

    pub(super) fn profile(&self, o: &Overview) -> (Vec<BoxRow>, Vec<(String, f64)>, String) {
        let lc = self.lang().code();
        let (range, ticks) = self.scale(o.profile.iter().flatten().flat_map(|s| [s.min, s.max]));
        let rows: Vec<BoxRow> = self
            .model
            .categories
            .iter()
            .zip(&o.profile)
            .map(|(c, s)| self.box_row(c.name.get(lc).to_string(), s.as_ref(), range))
            .collect();
        let alt = rows
            .iter()
            .map(|r| format!("{} {}", r.label, r.median))
            .collect::<Vec<_>>()
            .join(", ");
        (
            rows,
            ticks,
            self.texts
                .fill("overview_profile_alt", &[("medians", &alt)]),
        )
    }

    /// Every shown organisation in the quadrant, each type with the marker
    /// and colour of its line in the trend chart.
    pub(super) fn quadrant(&self, o: &Overview) -> Option<OverviewQuadrant> {
        let counts = o.quadrant_counts?;
        let points: Vec<(f64, f64)> = o.organisations.iter().filter_map(|r| r.quadrant).collect();
        if points.is_empty() {
            return None;
        }
        let mut frame = frame_around(self.model, self.lang(), Extent::default(), &points)?;
        // the overview's quadrant is larger: a page's chart of its own
        frame.side = 7.5 / 2.54 * 72.0;
        // each type with a spread, then "other types" if its organisations
        // are too few for one (their points are drawn all the same)
        let mut kinds: Vec<&Option<String>> = o.spreads.iter().map(|s| &s.kind).collect();
        for r in o.organisations.iter().filter(|r| r.quadrant.is_some()) {
            if !kinds.contains(&&r.counted_as) {
                kinds.push(&r.counted_as);
            }
        }
        let placed = o
            .organisations
            .iter()
            .filter_map(|r| {
                let p = frame.point(r.quadrant?, String::new(), false);
                // the trend's series: every organisation first, then the types
                let series = 1 + kinds.iter().position(|k| **k == r.counted_as).unwrap_or(0);
                Some((p.x, p.y, series))
            })
            .collect();
        let t = self.texts;
        let counted: Vec<String> = frame
            .names
            .iter()
            .zip(counts)
            .map(|(name, n)| format!("{name}: {}", self.count(n)))
            .collect();
        let types = self.model.types.as_ref()?;
        let lower = format::lower_first;
        let whole = |v: f64| format::percent(v, 0, self.lang());
        let intro = t.fill(
            "overview_quadrant_intro",
            &[
                ("x", &lower(&frame.x_label)),
                ("y", &lower(&frame.y_label)),
                ("x_threshold", &whole(types.capability_threshold)),
                ("y_threshold", &whole(types.legacy_threshold)),
            ],
        );
        Some(OverviewQuadrant {
            intro,
            alt: t.fill("overview_quadrant_alt", &[("counts", &counted.join("; "))]),
            counts: counts.map(|n| t.fill("overview_n", &[("n", &self.count(n))])),
            points: placed,
            kinds: kinds
                .iter()
                .enumerate()
                .map(|(i, k)| (self.kind_name(k), MARKERS[(i + 1) % MARKERS.len()], i + 1))
                .collect(),
            frame,
        })
    }

    /// The trend chart's scale: every mean and the target, in tens.
    pub(super) fn trend_scale(&self, o: &Overview) -> Option<(f64, f64)> {
        let values: Vec<f64> = o
            .trends
            .iter()
            .flat_map(|t| &t.points)
            .chain(&o.trend_all)
            .map(|p| p.1)
            .chain(o.target)
            .collect();
        if values.is_empty() {
            return None;
        }
        let ((lo, hi), _) = self.scale(
            values
                .iter()
                .map(|v| v - 5.0)
                .chain(values.iter().map(|v| v + 5.0)),
        );
        Some((lo, hi))
    }

    /// The mean total per year: every organisation first (drawn boldest),
    /// then each type.
    pub(super) fn trend(&self, o: &Overview) -> Option<Trend> {
        let years: std::collections::BTreeSet<i32> = o.trend_all.iter().map(|p| p.0).collect();
        let years: Vec<i32> = years.into_iter().collect();
        if years.len() < 2 {
            return None;
        }
        let (lo, hi) = self.trend_scale(o)?;
        let (_, ticks) = self.scale([lo, hi].into_iter());
        let x = |y: i32| {
            years.iter().position(|v| *v == y).unwrap_or(0) as f64 / (years.len() - 1) as f64
        };
        let lines: Vec<(String, &crate::overview::YearMeans)> =
            std::iter::once((self.texts.get("overview_all"), &o.trend_all))
                .chain(
                    o.trends
                        .iter()
                        .map(|t| (self.kind_name(&t.kind), &t.points)),
                )
                .collect();
        let alt = lines
            .iter()
            .map(|(name, points)| {
                let pts: Vec<String> = points
                    .iter()
                    .map(|(y, m, _)| format!("{y} {}", self.pct(*m)))
                    .collect();
                format!("{name}: {}", pts.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ");
        let series = lines
            .into_iter()
            .enumerate()
            .map(|(i, (name, points))| Series {
                name,
                marker: MARKERS[i % MARKERS.len()],
                points: points
                    .iter()
                    .map(|(y, mean, _)| TrendPoint {
                        x: x(*y),
                        y: (mean - lo) / (hi - lo),
                        text: self.pct(*mean),
                    })
                    .collect(),
            })
            .collect();
        Some(Trend {
            series,
            years: years.iter().map(|y| (y.to_string(), x(*y))).collect(),
            ticks,
            alt: self.texts.fill("alt_trend", &[("series", &alt)]),
        })
    }
}
