//! The machine-readable results: `indices.csv`, `indices.parquet` and
//! `indices.xlsx`, one row per year x organisation x unit x level x key.
//! Suppressed rows carry no figures at all. Text cells that a spreadsheet
//! would take for a formula are neutralised.

use std::collections::BTreeMap;

use polars::prelude::*;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

use crate::analyse::{Analysis, Figure, Group, GroupKey, GroupResult, Level};
use crate::benchmark::Benchmarks;
use crate::error::{Error, Result};
use crate::lang::Texts;

mod effects;
pub mod open_data;
mod overview;
mod peers;
mod portfolio;
mod published;
mod review;
use crate::model::Model;
use crate::organisations::{ByKey, PeerFigure};
pub use effects::effects;
pub use overview::overview;
pub use peers::peers;
pub use portfolio::{portfolio, portfolio_summary};
pub use published::{read_indices, IndexRow};
pub use review::statement_review;

/// The columns, in order (documented in the README).
pub const COLUMNS: [&str; 21] = [
    "year",
    "organisation",
    "unit",
    "level",
    "key",
    "index",
    "n",
    "suppressed",
    "mean",
    "sd",
    "ci_low",
    "ci_high",
    "dont_know_share",
    "change",
    "change_significant",
    "benchmark",
    "diff_benchmark",
    "percentile",
    "peer_group",
    "peer_benchmark",
    "peer_percentile",
];

/// A text cell made safe for spreadsheets: a leading `=`, `+`, `-`, `@`,
/// tab or carriage return gets a `'` in front, so it is never a formula.
pub fn safe_text(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

struct Builder<'a> {
    analysis: &'a Analysis,
    org: &'a str,
    /// Percentile ranks of the organisation among those in the input.
    ranks: Option<&'a ByKey<f64>>,
    /// Its peer groups' figures (the first large enough is reported).
    peers: Option<&'a ByKey<Vec<PeerFigure>>>,
    /// Role groups carry a `role` column and no change (roles are not
    /// followed between years).
    roles: bool,
    role: Vec<Option<String>>,
    year: Vec<i32>,
    organisation: Vec<String>,
    unit: Vec<Option<String>>,
    level: Vec<&'static str>,
    key: Vec<String>,
    index: Vec<Option<f64>>,
    n: Vec<Option<u64>>,
    suppressed: Vec<bool>,
    mean: Vec<Option<f64>>,
    sd: Vec<Option<f64>>,
    ci_low: Vec<Option<f64>>,
    ci_high: Vec<Option<f64>>,
    dont_know_share: Vec<Option<f64>>,
    change: Vec<Option<f64>>,
    change_significant: Vec<Option<bool>>,
    benchmark: Vec<Option<f64>>,
    diff_benchmark: Vec<Option<f64>>,
    percentile: Vec<Option<f64>>,
    peer_group: Vec<Option<String>>,
    peer_benchmark: Vec<Option<f64>>,
    peer_percentile: Vec<Option<f64>>,
}

impl<'a> Builder<'a> {
    fn new(analysis: &'a Analysis, org: &'a str) -> Self {
        Builder {
            analysis,
            org,
            ranks: None,
            peers: None,
            roles: false,
            role: Vec::new(),
            year: Vec::new(),
            organisation: Vec::new(),
            unit: Vec::new(),
            level: Vec::new(),
            key: Vec::new(),
            index: Vec::new(),
            n: Vec::new(),
            suppressed: Vec::new(),
            mean: Vec::new(),
            sd: Vec::new(),
            ci_low: Vec::new(),
            ci_high: Vec::new(),
            dont_know_share: Vec::new(),
            change: Vec::new(),
            change_significant: Vec::new(),
            benchmark: Vec::new(),
            diff_benchmark: Vec::new(),
            percentile: Vec::new(),
            peer_group: Vec::new(),
            peer_benchmark: Vec::new(),
            peer_percentile: Vec::new(),
        }
    }

    fn push(&mut self, g: &GroupResult, level: Level, key: &str, f: &Figure, bench: Option<f64>) {
        let (a, org) = (self.analysis, self.org);
        let (unit, role) = match &g.group {
            Group::Organisation => (None, None),
            Group::Unit(u) => (Some(u), None),
            Group::Role(r) => (None, Some(r)),
            Group::UnitRole { unit, role } => (Some(unit), Some(role)),
        };
        if self.roles {
            self.role.push(role.map(|r| safe_text(r)));
        }
        let shown = g.shown();
        let keep = |v: Option<f64>| if shown { v } else { None };
        // roles have no change (`Analysis::change`)
        let change = if shown {
            a.change(g.year, &g.group, level, key)
        } else {
            None
        };
        self.year.push(g.year);
        self.organisation.push(safe_text(org));
        self.unit.push(unit.map(|u| safe_text(u)));
        self.level.push(level.as_str());
        self.key.push(safe_text(key));
        self.index.push(keep(f.index));
        self.n.push(shown.then_some(f.n as u64));
        self.suppressed.push(!shown);
        self.mean.push(keep(f.mean));
        self.sd.push(keep(f.sd));
        self.ci_low.push(keep(f.ci.map(|c| c.0)));
        self.ci_high.push(keep(f.ci.map(|c| c.1)));
        self.dont_know_share.push(keep(f.dont_know_share()));
        self.change.push(change.map(|c| c.value));
        self.change_significant
            .push(change.and_then(|c| c.significant));
        self.benchmark.push(bench);
        self.diff_benchmark
            .push(keep(f.index.zip(bench).map(|(i, b)| i - b)));
        let rank = match (self.ranks, &g.group) {
            (Some(ranks), Group::Organisation) if shown => {
                ranks.get(&(g.year, level, key.to_string())).copied()
            }
            _ => None,
        };
        self.percentile.push(rank);
        let peer = match (self.peers, &g.group) {
            (Some(peers), Group::Organisation) if shown => peers
                .get(&(g.year, level, key.to_string()))
                .and_then(|f| crate::organisations::default_peer(f)),
            _ => None,
        };
        self.peer_group.push(peer.map(|p| safe_text(&p.label())));
        self.peer_benchmark.push(peer.and_then(|p| p.benchmark));
        self.peer_percentile.push(peer.and_then(|p| p.percentile));
    }

    fn frame(self) -> PolarsResult<DataFrame> {
        let height = self.year.len();
        let role = self.roles.then(|| Column::new("role".into(), self.role));
        DataFrame::new(
            height,
            [
                Column::new("year".into(), self.year),
                Column::new("organisation".into(), self.organisation),
                Column::new("unit".into(), self.unit),
                Column::new("level".into(), self.level),
                Column::new("key".into(), self.key),
                Column::new("index".into(), self.index),
                Column::new("n".into(), self.n),
                Column::new("suppressed".into(), self.suppressed),
                Column::new("mean".into(), self.mean),
                Column::new("sd".into(), self.sd),
                Column::new("ci_low".into(), self.ci_low),
                Column::new("ci_high".into(), self.ci_high),
                Column::new("dont_know_share".into(), self.dont_know_share),
                Column::new("change".into(), self.change),
                Column::new("change_significant".into(), self.change_significant),
                Column::new("benchmark".into(), self.benchmark),
                Column::new("diff_benchmark".into(), self.diff_benchmark),
                Column::new("percentile".into(), self.percentile),
                Column::new("peer_group".into(), self.peer_group),
                Column::new("peer_benchmark".into(), self.peer_benchmark),
                Column::new("peer_percentile".into(), self.peer_percentile),
            ]
            .into_iter()
            .chain(role)
            .collect(),
        )
    }
}

impl Builder<'_> {
    /// Every level of one group, in model order.
    fn group(&mut self, g: &GroupResult, model: &Model, benchmarks: &Benchmarks) {
        for (level, key) in crate::analyse::keys(model) {
            if let Some(f) = g.figure(level, &key) {
                let bench = benchmarks.get(g.year, level, &key);
                self.push(g, level, &key, f, bench);
            }
        }
    }
}

/// The groups of one year in a map keyed by group (the organisation
/// first, then the units in order), as the unit's name (`None` for the
/// organisation) and the value.
fn groups_of_year<V>(
    map: &BTreeMap<GroupKey, V>,
    year: i32,
) -> impl Iterator<Item = (Option<&str>, &V)> {
    let (first, next) = (
        GroupKey::new(year, Group::Organisation),
        GroupKey::new(year + 1, Group::Organisation),
    );
    map.range(first..next).map(|(k, v)| (k.group.unit(), v))
}

/// The `unit` column: empty for the whole organisation.
fn unit_column<'a>(units: impl Iterator<Item = Option<&'a str>>) -> Column {
    Column::new(
        "unit".into(),
        units.map(|u| u.map(safe_text)).collect::<Vec<_>>(),
    )
}

pub(crate) fn internal(e: PolarsError) -> Error {
    Error::internal("building a results table", e)
}

/// The indices of one year: the organisation first, then units by name;
/// within a group total, dimensions, categories, statements in model order.
pub fn indices(
    analysis: &Analysis,
    model: &Model,
    benchmarks: &Benchmarks,
    (ranks, peers): (&ByKey<f64>, &ByKey<Vec<PeerFigure>>),
    organisation: &str,
    year: i32,
) -> Result<DataFrame> {
    let mut b = Builder::new(analysis, organisation);
    b.ranks = Some(ranks);
    b.peers = Some(peers);
    for g in analysis
        .organisation(year)
        .into_iter()
        .chain(analysis.units(year))
    {
        b.group(g, model, benchmarks);
    }
    b.frame().map_err(internal)
}

/// `roles.csv`: the same columns plus `role`, for every role of the
/// organisation (unit empty) and every role within a unit.
pub fn roles(
    analysis: &Analysis,
    model: &Model,
    benchmarks: &Benchmarks,
    organisation: &str,
    year: i32,
) -> Result<DataFrame> {
    let mut b = Builder::new(analysis, organisation);
    b.roles = true;
    for g in analysis.roles(year).chain(analysis.unit_roles(year)) {
        b.group(g, model, benchmarks);
    }
    b.frame().map_err(internal)
}

/// `reliability.csv`: Cronbach's alpha of every dimension and category
/// (each dimension followed by its categories, in model order), for the
/// organisation (unit empty) and then each shown unit by name, with the
/// complete cases it rests on and the number of statements.
pub fn reliability(
    analysis: &Analysis,
    model: &Model,
    organisation: &str,
    year: i32,
) -> Result<DataFrame> {
    let scopes: Vec<(Level, &str)> = model
        .dimensions
        .iter()
        .flat_map(|d| {
            std::iter::once((Level::Dimension, d.code.as_str())).chain(
                model
                    .categories_of(&d.code)
                    .map(|c| (Level::Category, c.code.as_str())),
            )
        })
        .collect();
    // per group, each scope's figures where shown (a unit's scope may be
    // left out so that the hidden units' complete cases stay protected)
    type Found<'r> = Vec<Option<&'r crate::analyse::Reliability>>;
    let mut groups: Vec<(Option<&str>, Found)> = Vec::new();
    let shown = analysis
        .organisation(year)
        .into_iter()
        .chain(analysis.units(year))
        .filter(|g| g.shown());
    for g in shown {
        let found = scopes
            .iter()
            .map(|(level, key)| analysis.reliability_of(year, &g.group, *level, key))
            .collect();
        groups.push((g.group.unit(), found));
    }
    let (mut units, mut levels, mut keys) = (Vec::new(), Vec::new(), Vec::new());
    let (mut alpha, mut cases, mut items) = (Vec::new(), Vec::new(), Vec::new());
    for (unit, found) in &groups {
        for ((level, key), r) in scopes.iter().zip(found) {
            let Some(r) = r else { continue };
            units.push(unit.map(safe_text));
            levels.push(level.as_str());
            keys.push(safe_text(key));
            alpha.push(r.alpha);
            cases.push(r.complete_cases as u64);
            items.push(r.items as u64);
        }
    }
    let n = units.len();
    DataFrame::new(
        n,
        vec![
            Column::new("year".into(), vec![year; n]),
            Column::new("organisation".into(), vec![safe_text(organisation); n]),
            Column::new("unit".into(), units),
            Column::new("level".into(), levels),
            Column::new("key".into(), keys),
            Column::new("alpha".into(), alpha),
            Column::new("complete_cases".into(), cases),
            Column::new("items".into(), items),
        ],
    )
    .map_err(internal)
}

/// A table as CSV. A sum over nothing is -0.0 in floating point; every
/// table writes it as 0.0.
pub fn to_csv(df: &mut DataFrame) -> Result<Vec<u8>> {
    let floats: Vec<PlSmallStr> = df
        .columns()
        .iter()
        .filter(|c| c.dtype() == &DataType::Float64)
        .map(|c| c.name().clone())
        .collect();
    for name in floats {
        let zeroed = df
            .column(&name)
            .and_then(|c| c.f64().map(|v| v.apply_values(|x| x + 0.0)))
            .map_err(internal)?;
        df.with_column(zeroed.into_series().into_column())
            .map_err(internal)?;
    }
    let mut out = Vec::new();
    CsvWriter::new(&mut out)
        .include_header(true)
        .finish(df)
        .map_err(|e| Error::output("indices.csv", e))?;
    Ok(out)
}

pub fn to_parquet(df: &mut DataFrame) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    ParquetWriter::new(&mut out)
        .finish(df)
        .map_err(|e| Error::output("indices.parquet", e))?;
    Ok(out)
}

/// An Excel workbook with one sheet per level, names beside the codes.
pub fn to_xlsx(
    df: &DataFrame,
    model: &Model,
    texts: &Texts,
    date: chrono::NaiveDate,
) -> Result<Vec<u8>> {
    use chrono::Datelike;
    let err = |e: rust_xlsxwriter::XlsxError| Error::output("indices.xlsx", e);
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)
        .map_err(err)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_title("mognad indices"),
    );
    let bold = Format::new().set_bold();
    let lc = texts.lang.code();
    let name_of = |level: &str, key: &str| -> String {
        match level {
            "dimension" => model.dimension(key).map(|d| d.name.get(lc).to_string()),
            "category" => model.category(key).map(|c| c.name.get(lc).to_string()),
            "statement" => model
                .statements
                .iter()
                .find(|s| s.code == key)
                .map(|s| s.text.get(lc).to_string()),
            _ => Some(texts.get("total_short")),
        }
        .unwrap_or_default()
    };
    let levels = df
        .column("level")
        .and_then(|c| c.str().cloned())
        .map_err(|e| Error::output("indices.xlsx", e))?;
    for (level, sheet_key) in [
        ("total", "sheet_total"),
        ("dimension", "sheet_dimension"),
        ("category", "sheet_category"),
        ("statement", "sheet_statement"),
    ] {
        let sheet = book.add_worksheet();
        sheet.set_name(texts.get(sheet_key)).map_err(err)?;
        let mut headers: Vec<&str> = COLUMNS.to_vec();
        headers.insert(5, "name");
        for (c, h) in headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(err)?;
        }
        let mut row = 1u32;
        for i in 0..df.height() {
            if levels.get(i) != Some(level) {
                continue;
            }
            let mut c = 0u16;
            for name in COLUMNS {
                if c == 5 {
                    let key = df
                        .column("key")
                        .ok()
                        .and_then(|k| k.str().ok().and_then(|k| k.get(i).map(str::to_string)))
                        .unwrap_or_default();
                    sheet
                        .write_string(
                            row,
                            c,
                            safe_text(&name_of(level, key.trim_start_matches('\''))).as_str(),
                        )
                        .map_err(err)?;
                    c += 1;
                }
                let value = df
                    .column(name)
                    .and_then(|col| col.get(i))
                    .map_err(|e| Error::output("indices.xlsx", e))?;
                match value {
                    AnyValue::Null => {}
                    AnyValue::Boolean(b) => {
                        sheet.write_boolean(row, c, b).map_err(err)?;
                    }
                    AnyValue::String(s) => {
                        sheet.write_string(row, c, s).map_err(err)?;
                    }
                    v => {
                        if let Some(x) = v.extract::<f64>() {
                            sheet.write_number(row, c, x).map_err(err)?;
                        }
                    }
                }
                c += 1;
            }
            row += 1;
        }
        sheet.set_freeze_panes(1, 0).map_err(err)?;
        sheet.autofit();
    }
    book.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_sum_is_written_as_zero() {
        let empty: f64 = std::iter::empty::<f64>().sum();
        assert!(empty.is_sign_negative(), "the sum of nothing is -0.0");
        let mut df = DataFrame::new(
            2,
            vec![
                Column::new("budget".into(), [empty, -1.5]),
                Column::new("n".into(), [0i64, 2]),
            ],
        )
        .unwrap();
        let csv = String::from_utf8(to_csv(&mut df).unwrap()).unwrap();
        assert_eq!(csv, "budget,n\n0.0,0\n-1.5,2\n");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(safe_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_text("+1"), "'+1");
        assert_eq!(safe_text("-2"), "'-2");
        assert_eq!(safe_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_text("\tx"), "'\tx");
        assert_eq!(safe_text("Socialförvaltningen"), "Socialförvaltningen");
    }
}
