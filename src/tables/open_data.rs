//! The open-data package of a multi-organisation run
//! (`OUTPUT/<year>/open-data/`): the aggregated, suppressed figures as CSV
//! files, described by a `datapackage.json` in the Frictionless Data
//! standard (Data Package v1 with tabular data resources). Nothing below
//! the anonymity threshold (hidden organisations and units are left out),
//! no free text, and initiative budgets only when `[open_data] budgets`.
//!
//! Each table's schema is built from the same columns as its CSV file, so
//! that the two cannot disagree.

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::{internal, safe_text, to_csv};
use crate::analyse::{self, Level};
use crate::error::Result;
use crate::model::Model;
use crate::organisations::Organisation;
use crate::overview::Overview;

/// `datapackage.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Package {
    pub profile: String,
    pub name: String,
    pub title: String,
    pub description: String,
    pub resources: Vec<Resource>,
}

/// One CSV file of the package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    pub profile: String,
    pub name: String,
    pub path: String,
    pub title: String,
    pub description: String,
    pub format: String,
    pub mediatype: String,
    pub encoding: String,
    pub schema: Schema,
}

/// A Table Schema: the columns in order; an empty cell is a missing value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    pub fields: Vec<Field>,
    #[serde(rename = "missingValues")]
    pub missing_values: Vec<String>,
}

/// One column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    /// `integer`, `number` or `string`.
    #[serde(rename = "type")]
    pub kind: String,
    pub description: String,
}

/// A column's values.
enum Values {
    Int(Vec<i64>),
    Num(Vec<Option<f64>>),
    /// Empty text is written as an empty cell (a missing value).
    Text(Vec<Option<String>>),
}

/// A column being built: name, description and values.
struct Col {
    name: &'static str,
    description: &'static str,
    values: Values,
}

impl Col {
    fn int(name: &'static str, description: &'static str) -> Col {
        Col {
            name,
            description,
            values: Values::Int(Vec::new()),
        }
    }
    fn num(name: &'static str, description: &'static str) -> Col {
        Col {
            name,
            description,
            values: Values::Num(Vec::new()),
        }
    }
    fn text(name: &'static str, description: &'static str) -> Col {
        Col {
            name,
            description,
            values: Values::Text(Vec::new()),
        }
    }
}

/// A row's cell for [`Table::row`].
enum Cell<'a> {
    I(i64),
    N(Option<f64>),
    T(&'a str),
}

/// One table of the package.
struct Table {
    name: &'static str,
    title: &'static str,
    description: &'static str,
    cols: Vec<Col>,
}

impl Table {
    fn row(&mut self, cells: &[Cell]) {
        for (col, cell) in self.cols.iter_mut().zip(cells) {
            match (&mut col.values, cell) {
                (Values::Int(v), Cell::I(x)) => v.push(*x),
                (Values::Num(v), Cell::N(x)) => v.push(*x),
                (Values::Text(v), Cell::T(x)) => {
                    v.push(Some(safe_text(x)).filter(|x| !x.is_empty()))
                }
                // a programming error, caught by the tests
                _ => debug_assert!(false, "cell of the wrong type in {}", col.name),
            }
        }
    }

    /// The CSV file and its description.
    fn finish(self) -> Result<(Resource, Vec<u8>)> {
        let height = self.cols.first().map_or(0, |c| match &c.values {
            Values::Int(v) => v.len(),
            Values::Num(v) => v.len(),
            Values::Text(v) => v.len(),
        });
        let mut fields = Vec::new();
        let mut columns = Vec::new();
        for c in self.cols {
            let (kind, column) = match c.values {
                Values::Int(v) => ("integer", Column::new(c.name.into(), v)),
                Values::Num(v) => ("number", Column::new(c.name.into(), v)),
                Values::Text(v) => ("string", Column::new(c.name.into(), v)),
            };
            fields.push(Field {
                name: c.name.to_string(),
                kind: kind.to_string(),
                description: c.description.to_string(),
            });
            columns.push(column);
        }
        let mut df = DataFrame::new(height, columns).map_err(internal)?;
        let csv = to_csv(&mut df)?;
        Ok((
            Resource {
                profile: "tabular-data-resource".into(),
                name: self.name.into(),
                path: format!("{}.csv", self.name),
                title: self.title.into(),
                description: self.description.into(),
                format: "csv".into(),
                mediatype: "text/csv".into(),
                encoding: "utf-8".into(),
                schema: Schema {
                    fields,
                    missing_values: vec![String::new()],
                },
            },
            csv,
        ))
    }
}

const YEAR: &str = "The survey year.";
const ORGANISATION: &str = "The organisation, as its survey export names it.";
const LEVEL: &str = "total, dimension, category or statement.";
const KEY: &str =
    "The code of the dimension, category or statement in the model (total for the total index).";
const INDEX: &str = "The maturity index, 0-100 (the mean answer rescaled from the answer scale).";

/// The package's files: `(path in open-data/, bytes)`, datapackage.json
/// last.
pub fn package(
    overview: &Overview,
    orgs: &[Organisation],
    model: &Model,
    budgets: bool,
) -> Result<Vec<(String, Vec<u8>)>> {
    let year = overview.year;
    let keys = analyse::keys(model);
    let mut tables = vec![
        organisations(overview, &keys),
        units(orgs, &keys, year),
        national(overview, model),
    ];
    if overview.portfolio.is_some() {
        tables.push(portfolio(orgs, year, budgets));
    }
    let mut files = Vec::new();
    let mut resources = Vec::new();
    for t in tables {
        let (resource, csv) = t.finish()?;
        files.push((resource.path.clone(), csv));
        resources.push(resource);
    }
    let package = Package {
        profile: "tabular-data-package".into(),
        name: format!("mognad-{year}"),
        title: format!("Digital maturity {year}: aggregated survey results"),
        description: format!(
            "Maturity indices of every participating organisation and its units in {year}, the national spread per type of organisation{}. Groups with fewer than {} respondents, and groups hidden so that they cannot be derived from the others, are left out. Written by mognad {}.",
            if overview.portfolio.is_some() { " and the balance of the organisations' initiative portfolios" } else { "" },
            overview.threshold,
            env!("CARGO_PKG_VERSION"),
        ),
        resources,
    };
    let mut json = serde_json::to_vec_pretty(&package)
        .map_err(|e| crate::error::Error::internal("writing datapackage.json", e))?;
    json.push(b'\n');
    files.push(("datapackage.json".into(), json));
    Ok(files)
}

fn organisations(overview: &Overview, keys: &[(Level, String)]) -> Table {
    let mut t = Table {
        name: "organisations",
        title: "Indices per organisation",
        description: "Every shown organisation's indices at every level of the model.",
        cols: vec![
            Col::int("year", YEAR),
            Col::text("organisation", ORGANISATION),
            Col::text(
                "type",
                "Its type in the organisations file (empty when not given).",
            ),
            Col::text(
                "county",
                "Its county in the organisations file (empty when not given).",
            ),
            Col::int("respondents", "Respondents with at least one answer."),
            Col::text("level", LEVEL),
            Col::text("key", KEY),
            Col::num("index", INDEX),
        ],
    };
    for o in &overview.organisations {
        let Some(indices) = &o.indices else { continue };
        for ((level, key), v) in keys.iter().zip(indices) {
            t.row(&[
                Cell::I(overview.year.into()),
                Cell::T(&o.name),
                Cell::T(o.kind.as_deref().unwrap_or_default()),
                Cell::T(o.county.as_deref().unwrap_or_default()),
                Cell::I(o.respondents as i64),
                Cell::T(level.as_str()),
                Cell::T(key),
                Cell::N(*v),
            ]);
        }
    }
    t
}

fn units(orgs: &[Organisation], keys: &[(Level, String)], year: i32) -> Table {
    let mut t = Table {
        name: "units",
        title: "Indices per unit",
        description: "Every shown unit's indices at every level of the model; units below the anonymity threshold, or hidden so that they cannot be derived, are left out.",
        cols: vec![
            Col::int("year", YEAR),
            Col::text("organisation", ORGANISATION),
            Col::text("unit", "The unit, as the survey export names it."),
            Col::int("respondents", "Respondents with at least one answer."),
            Col::text("level", LEVEL),
            Col::text("key", KEY),
            Col::num("index", INDEX),
        ],
    };
    let mut named: Vec<&Organisation> = orgs.iter().collect();
    named.sort_by(|a, b| a.name.cmp(&b.name));
    for o in named {
        // shown organisations only: a unit of a hidden one is hidden too
        if !o.analysis.organisation(year).is_some_and(|g| g.shown()) {
            continue;
        }
        let mut units: Vec<_> = o.units.iter().filter(|u| u.year == year).collect();
        units.sort_by(|a, b| a.unit.cmp(&b.unit));
        for u in units {
            for ((level, key), v) in keys.iter().zip(&u.indices) {
                t.row(&[
                    Cell::I(year.into()),
                    Cell::T(&o.name),
                    Cell::T(&u.unit),
                    Cell::I(u.respondents as i64),
                    Cell::T(level.as_str()),
                    Cell::T(key),
                    Cell::N(*v),
                ]);
            }
        }
    }
    t
}

fn national(overview: &Overview, model: &Model) -> Table {
    let mut t = Table {
        name: "national",
        title: "The spread between organisations",
        description: "The spread of the shown organisations' indices: the total and dimensions per type of organisation, and (type empty) the total, dimensions and categories of all.",
        cols: vec![
            Col::int("year", YEAR),
            Col::text("type", "The type of organisation; empty for all organisations."),
            Col::text("level", "total, dimension or category."),
            Col::text("key", KEY),
            Col::int("organisations", "Organisations with the index."),
            Col::num("mean", "The unweighted mean of their indices."),
            Col::num("min", "The lowest."),
            Col::num("q1", "The lower quartile (linear interpolation)."),
            Col::num("median", "The median."),
            Col::num("q3", "The upper quartile (linear interpolation)."),
            Col::num("max", "The highest."),
        ],
    };
    let figures = crate::overview::figure_keys(model);
    let year = overview.year.into();
    let push =
        |t: &mut Table, kind: &str, (level, key): (Level, &str), s: &crate::overview::Spread| {
            t.row(&[
                Cell::I(year),
                Cell::T(kind),
                Cell::T(level.as_str()),
                Cell::T(key),
                Cell::I(s.n as i64),
                Cell::N(Some(s.mean)),
                Cell::N(Some(s.min)),
                Cell::N(Some(s.q1)),
                Cell::N(Some(s.median)),
                Cell::N(Some(s.q3)),
                Cell::N(Some(s.max)),
            ]);
        };
    // organisations without a type count in "all" only
    for ts in &overview.spreads {
        let Some(kind) = &ts.kind else { continue };
        for (f, s) in figures.iter().zip(&ts.spreads) {
            if let Some(s) = s {
                push(&mut t, kind, *f, s);
            }
        }
    }
    for (f, s) in figures.iter().zip(&overview.all) {
        if let Some(s) = s {
            push(&mut t, "", *f, s);
        }
    }
    for (c, s) in model.categories.iter().zip(&overview.profile) {
        if let Some(s) = s {
            push(&mut t, "", (Level::Category, &c.code), s);
        }
    }
    t
}

fn portfolio(orgs: &[Organisation], year: i32, budgets: bool) -> Table {
    let mut cols = vec![
        Col::int("year", YEAR),
        Col::text("organisation", ORGANISATION),
        Col::int(
            "initiatives",
            "Initiatives in the year's portfolio (completed, ongoing, planned).",
        ),
        Col::int("active", "Of those, ongoing and planned."),
        Col::text(
            "axis",
            "efficiency_innovation, operational_strategic or internal_external.",
        ),
        Col::int("assessed", "Initiatives with a value on the axis."),
        Col::num(
            "share_low",
            "Share of them toward efficiency, operational or internal benefit (0-1).",
        ),
        Col::num("share_middle", "Share of them in the middle (0-1)."),
        Col::num(
            "share_high",
            "Share of them toward innovation, strategic or external benefit (0-1).",
        ),
    ];
    if budgets {
        cols.extend([
            Col::num(
                "budget",
                "The budget of the assessed initiatives, in kronor.",
            ),
            Col::num(
                "budget_share_low",
                "Share of that budget toward the low end (0-1).",
            ),
            Col::num(
                "budget_share_middle",
                "Share of that budget in the middle (0-1).",
            ),
            Col::num(
                "budget_share_high",
                "Share of that budget toward the high end (0-1).",
            ),
        ]);
    }
    let mut t = Table {
        name: "portfolio",
        title: "The balance of each organisation's initiatives",
        description: if budgets {
            "Per organisation and axis: how its initiatives of the year lean, by count and by budget."
        } else {
            "Per organisation and axis: how its initiatives of the year lean, by count (budgets are not published)."
        },
        cols,
    };
    let mut named: Vec<&Organisation> = orgs.iter().collect();
    named.sort_by(|a, b| a.name.cmp(&b.name));
    for o in named {
        // a hidden organisation's initiatives are not published
        if !o.analysis.organisation(year).is_some_and(|g| g.shown()) {
            continue;
        }
        let Some(p) = o
            .analysis
            .portfolio_of(year, &crate::analyse::Group::Organisation)
            .filter(|p| p.initiatives > 0)
        else {
            continue;
        };
        for (axis, b) in crate::portfolio::AXES.iter().zip(p.all()) {
            let share = |s: Option<crate::analyse::portfolio::Shares>,
                         f: fn(&crate::analyse::portfolio::Shares) -> f64| {
                s.as_ref().map(f)
            };
            let mut cells = vec![
                Cell::I(year.into()),
                Cell::T(&o.name),
                Cell::I(p.initiatives as i64),
                Cell::I(p.active as i64),
                Cell::T(axis),
                Cell::I(b.n as i64),
                Cell::N(share(b.by_count, |s| s.low)),
                Cell::N(share(b.by_count, |s| s.middle)),
                Cell::N(share(b.by_count, |s| s.high)),
            ];
            if budgets {
                cells.extend([
                    Cell::N(Some(b.budget)),
                    Cell::N(share(b.by_budget, |s| s.low)),
                    Cell::N(share(b.by_budget, |s| s.middle)),
                    Cell::N(share(b.by_budget, |s| s.high)),
                ]);
            }
            t.row(&cells);
        }
    }
    t
}
