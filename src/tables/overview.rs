//! `overview.csv`: every figure of the national overview, one per row:
//! section, group, year, key, statistic, value.

use polars::prelude::*;

use super::{internal, safe_text};
use crate::error::Result;
use crate::model::Model;
use crate::overview::{figure_keys, Overview, Spread};

/// The rows of `overview.csv`, in the overview's order. Organisations are
/// named only when `names` (`[overview] names`).
pub fn overview(o: &Overview, model: &Model, names: bool) -> Result<DataFrame> {
    let mut rows = Rows::new(o.year);
    participation(&mut rows, o);
    spreads(&mut rows, o, model);
    trends(&mut rows, o);
    quadrant(&mut rows, o, model, names);
    changed(&mut rows, o, names);
    if names {
        annex(&mut rows, o, model);
    }
    portfolio(&mut rows, o, model);
    rows.frame()
}

/// "type=kommun", "county=" (not given).
fn group(what: &str, value: &Option<String>) -> String {
    format!("{what}={}", value.as_deref().unwrap_or_default())
}

fn participation(rows: &mut Rows, o: &Overview) {
    rows.section = "participation";
    for (what, list) in [("type", &o.by_type), ("county", &o.by_county)] {
        for p in list {
            let g = group(what, &p.key);
            rows.add(&g, "", "organisations", p.organisations as f64);
            rows.add(&g, "", "respondents", p.respondents as f64);
            rows.add(&g, "", "hidden", p.hidden as f64);
        }
    }
}

fn spreads(rows: &mut Rows, o: &Overview, model: &Model) {
    rows.section = "spread";
    let figures = figure_keys(model);
    for ts in &o.spreads {
        let g = group("type", &ts.kind);
        for ((_, key), s) in figures.iter().zip(&ts.spreads) {
            rows.spread(&g, key, s.as_ref());
        }
    }
    for ((_, key), s) in figures.iter().zip(&o.all) {
        rows.spread("all", key, s.as_ref());
    }
    rows.section = "profile";
    for (c, s) in model.categories.iter().zip(&o.profile) {
        rows.spread("all", &c.code, s.as_ref());
    }
}

fn trends(rows: &mut Rows, o: &Overview) {
    rows.section = "trend";
    let trends = o
        .trends
        .iter()
        .map(|t| (group("type", &t.kind), &t.points))
        .chain(std::iter::once(("all".to_string(), &o.trend_all)));
    for (g, points) in trends {
        for (y, mean, n) in points {
            rows.add_in(*y, &g, "total", "mean", *mean);
            rows.add_in(*y, &g, "total", "organisations", *n as f64);
        }
    }
    if let (Some(target), Some(n)) = (o.target, o.at_target) {
        rows.add("all", "total", "target", target);
        rows.add("all", "total", "at_target", n as f64);
    }
}

fn quadrant(rows: &mut Rows, o: &Overview, model: &Model, names: bool) {
    let (Some(types), Some(counts)) = (&model.types, o.quadrant_counts) else {
        return;
    };
    rows.section = "quadrant";
    let kinds = [
        "low_limiting",
        "high_limiting",
        "low_enabling",
        "high_enabling",
    ];
    for (key, n) in kinds.iter().zip(counts) {
        rows.add("all", key, "organisations", n as f64);
    }
    if names {
        for r in &o.organisations {
            if let Some((x, y)) = r.quadrant {
                let g = format!("organisation={}", r.name);
                rows.add(&g, &types.capability, "index", x);
                rows.add(&g, &types.legacy, "index", y);
            }
        }
    }
}

fn changed(rows: &mut Rows, o: &Overview, names: bool) {
    rows.section = "changed";
    let (with_change, up, down) = o.changed_counts();
    rows.add("all", "total", "compared", with_change as f64);
    rows.add("all", "total", "up", up as f64);
    rows.add("all", "total", "down", down as f64);
    if !names {
        return;
    }
    for r in o.changed() {
        if let Some(c) = r.change {
            let g = format!("organisation={}", r.name);
            rows.add(&g, "total", "before", c.before);
            rows.add(&g, "total", "index", c.before + c.value);
            rows.add(&g, "total", "change", c.value);
            if let Some(p) = c.p {
                rows.add(&g, "total", "p", p);
            }
        }
    }
}

/// Every shown organisation's respondents, total and dimensions.
fn annex(rows: &mut Rows, o: &Overview, model: &Model) {
    rows.section = "organisations";
    let figures = figure_keys(model);
    for r in &o.organisations {
        let Some(indices) = &r.indices else { continue };
        let g = format!("organisation={}", r.name);
        rows.add(&g, "", "respondents", r.respondents as f64);
        for (i, (_, key)) in figures.iter().enumerate() {
            if let Some(v) = indices.get(i).copied().flatten() {
                rows.add(&g, key, "index", v);
            }
        }
    }
}

fn portfolio(rows: &mut Rows, o: &Overview, model: &Model) {
    let Some(p) = &o.portfolio else { return };
    rows.section = "portfolio";
    rows.add("all", "", "organisations", p.organisations as f64);
    rows.add("all", "", "initiatives", p.initiatives as f64);
    rows.add("all", "", "budget", p.budget);
    for (axis, b) in crate::portfolio::AXES.iter().zip(&p.balance) {
        for (name, shares) in [("count", b.by_count), ("budget", b.by_budget)] {
            if let Some(s) = shares {
                rows.add("all", axis, &format!("{name}_low"), s.low);
                rows.add("all", axis, &format!("{name}_middle"), s.middle);
                rows.add("all", axis, &format!("{name}_high"), s.high);
            }
        }
    }
    for (c, n) in model.categories.iter().zip(&p.per_category) {
        rows.add("all", &c.code, "initiatives", *n as f64);
    }
}

/// The columns being filled, and the section and year the rows are of.
struct Rows {
    section: &'static str,
    year: i32,
    sections: Vec<&'static str>,
    group: Vec<String>,
    years: Vec<i32>,
    /// `None` (an empty cell) where the figure has no key.
    key: Vec<Option<String>>,
    statistic: Vec<String>,
    value: Vec<f64>,
}

impl Rows {
    fn new(year: i32) -> Rows {
        Rows {
            section: "",
            year,
            sections: Vec::new(),
            group: Vec::new(),
            years: Vec::new(),
            key: Vec::new(),
            statistic: Vec::new(),
            value: Vec::new(),
        }
    }

    /// A figure of the overview's year.
    fn add(&mut self, group: &str, key: &str, statistic: &str, value: f64) {
        self.add_in(self.year, group, key, statistic, value);
    }

    /// A figure of another year (the trend).
    fn add_in(&mut self, year: i32, group: &str, key: &str, statistic: &str, value: f64) {
        self.sections.push(self.section);
        self.group.push(safe_text(group));
        self.years.push(year);
        self.key
            .push(Some(safe_text(key)).filter(|k| !k.is_empty()));
        self.statistic.push(statistic.to_string());
        self.value.push(value);
    }

    fn spread(&mut self, group: &str, key: &str, s: Option<&Spread>) {
        for (name, v) in s.map(Spread::named).into_iter().flatten() {
            self.add(group, key, name, v);
        }
    }

    fn frame(self) -> Result<DataFrame> {
        DataFrame::new(
            self.sections.len(),
            vec![
                Column::new("section".into(), self.sections),
                Column::new("group".into(), self.group),
                Column::new("year".into(), self.years),
                Column::new("key".into(), self.key),
                Column::new("statistic".into(), self.statistic),
                Column::new("value".into(), self.value),
            ],
        )
        .map_err(internal)
    }
}
