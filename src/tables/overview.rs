//! `overview.csv`: every figure of the national overview, one per row:
//! section, group, year, key, statistic, value.

use polars::prelude::*;

use super::{internal, safe_text};
use crate::error::Result;
use crate::model::Model;
use crate::overview::{Overview, Spread};

/// The rows of `overview.csv`, in the overview's order. Organisations are
/// named only when `names` (`[overview] names`).
pub fn overview(o: &Overview, model: &Model, names: bool) -> Result<DataFrame> {
    let mut rows = Rows::default();
    let year = o.year;
    let group = |what: &str, value: &Option<String>| {
        format!("{what}={}", value.as_deref().unwrap_or_default())
    };
    for (what, list) in [("type", &o.by_type), ("county", &o.by_county)] {
        for p in list {
            let g = group(what, &p.key);
            rows.push(
                "participation",
                &g,
                year,
                "",
                "organisations",
                p.organisations as f64,
            );
            rows.push(
                "participation",
                &g,
                year,
                "",
                "respondents",
                p.respondents as f64,
            );
            rows.push("participation", &g, year, "", "hidden", p.hidden as f64);
        }
    }
    let figures = crate::overview::figure_keys(model);
    for ts in &o.spreads {
        let g = group("type", &ts.kind);
        for ((_, key), s) in figures.iter().zip(&ts.spreads) {
            rows.spread("spread", &g, year, key, s.as_ref());
        }
    }
    for ((_, key), s) in figures.iter().zip(&o.all) {
        rows.spread("spread", "all", year, key, s.as_ref());
    }
    for (c, s) in model.categories.iter().zip(&o.profile) {
        rows.spread("profile", "all", year, &c.code, s.as_ref());
    }
    let trends = o
        .trends
        .iter()
        .map(|t| (group("type", &t.kind), &t.points))
        .chain(std::iter::once(("all".to_string(), &o.trend_all)));
    for (g, points) in trends {
        for (y, mean, n) in points {
            rows.push("trend", &g, *y, "total", "mean", *mean);
            rows.push("trend", &g, *y, "total", "organisations", *n as f64);
        }
    }
    if let (Some(target), Some(n)) = (o.target, o.at_target) {
        rows.push("trend", "all", year, "total", "target", target);
        rows.push("trend", "all", year, "total", "at_target", n as f64);
    }
    if let (Some(types), Some(counts)) = (&model.types, o.quadrant_counts) {
        for (key, n) in [
            "low_limiting",
            "high_limiting",
            "low_enabling",
            "high_enabling",
        ]
        .iter()
        .zip(counts)
        {
            rows.push("quadrant", "all", year, key, "organisations", n as f64);
        }
        if names {
            for r in &o.organisations {
                if let Some((x, y)) = r.quadrant {
                    let g = format!("organisation={}", r.name);
                    rows.push("quadrant", &g, year, &types.capability, "index", x);
                    rows.push("quadrant", &g, year, &types.legacy, "index", y);
                }
            }
        }
    }
    let (with_change, up, down) = o.changed_counts();
    rows.push(
        "changed",
        "all",
        year,
        "total",
        "compared",
        with_change as f64,
    );
    rows.push("changed", "all", year, "total", "up", up as f64);
    rows.push("changed", "all", year, "total", "down", down as f64);
    if names {
        for r in o.changed() {
            if let Some(c) = r.change {
                let g = format!("organisation={}", r.name);
                rows.push("changed", &g, year, "total", "before", c.before);
                rows.push("changed", &g, year, "total", "index", c.before + c.value);
                rows.push("changed", &g, year, "total", "change", c.value);
                if let Some(p) = c.p {
                    rows.push("changed", &g, year, "total", "p", p);
                }
            }
        }
        // the annex: every shown organisation's total and dimensions
        for r in &o.organisations {
            let Some(indices) = &r.indices else { continue };
            let g = format!("organisation={}", r.name);
            rows.push(
                "organisations",
                &g,
                year,
                "",
                "respondents",
                r.respondents as f64,
            );
            for (i, (_, key)) in figures.iter().enumerate() {
                if let Some(v) = indices.get(i).copied().flatten() {
                    rows.push("organisations", &g, year, key, "index", v);
                }
            }
        }
    }
    if let Some(p) = &o.portfolio {
        rows.push(
            "portfolio",
            "all",
            year,
            "",
            "organisations",
            p.organisations as f64,
        );
        rows.push(
            "portfolio",
            "all",
            year,
            "",
            "initiatives",
            p.initiatives as f64,
        );
        rows.push("portfolio", "all", year, "", "budget", p.budget);
        for (axis, b) in crate::portfolio::AXES.iter().zip(&p.balance) {
            for (name, shares) in [("count", b.by_count), ("budget", b.by_budget)] {
                if let Some(s) = shares {
                    rows.push(
                        "portfolio",
                        "all",
                        year,
                        axis,
                        &format!("{name}_low"),
                        s.low,
                    );
                    rows.push(
                        "portfolio",
                        "all",
                        year,
                        axis,
                        &format!("{name}_middle"),
                        s.middle,
                    );
                    rows.push(
                        "portfolio",
                        "all",
                        year,
                        axis,
                        &format!("{name}_high"),
                        s.high,
                    );
                }
            }
        }
        for (c, n) in model.categories.iter().zip(&p.per_category) {
            rows.push("portfolio", "all", year, &c.code, "initiatives", *n as f64);
        }
    }
    rows.frame()
}

/// The columns being filled.
#[derive(Default)]
struct Rows {
    section: Vec<&'static str>,
    group: Vec<String>,
    year: Vec<i32>,
    /// `None` (an empty cell) where the figure has no key.
    key: Vec<Option<String>>,
    statistic: Vec<String>,
    value: Vec<f64>,
}

impl Rows {
    fn push(
        &mut self,
        section: &'static str,
        group: &str,
        year: i32,
        key: &str,
        statistic: &str,
        value: f64,
    ) {
        self.section.push(section);
        self.group.push(safe_text(group));
        self.year.push(year);
        self.key
            .push(Some(safe_text(key)).filter(|k| !k.is_empty()));
        self.statistic.push(statistic.to_string());
        self.value.push(value);
    }

    fn spread(
        &mut self,
        section: &'static str,
        group: &str,
        year: i32,
        key: &str,
        s: Option<&Spread>,
    ) {
        for (name, v) in s.map(Spread::named).into_iter().flatten() {
            self.push(section, group, year, key, name, v);
        }
    }

    fn frame(self) -> Result<DataFrame> {
        DataFrame::new(
            self.section.len(),
            vec![
                Column::new("section".into(), self.section),
                Column::new("group".into(), self.group),
                Column::new("year".into(), self.year),
                Column::new("key".into(), self.key),
                Column::new("statistic".into(), self.statistic),
                Column::new("value".into(), self.value),
            ],
        )
        .map_err(internal)
    }
}
