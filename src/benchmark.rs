//! Benchmarks: national and peer figures from a file in the input folder
//! (`benchmark*.csv` or `jämförelse*.csv`, also `.xlsx`), with the columns
//! `year, population, level, key, index` and optionally `n`:
//!
//! ```csv
//! year,population,level,key,index,n
//! 2025,alla,total,total,49.1,212
//! 2025,kommuner,dimension,DF,47.8,160
//! ```
//!
//! One population is compared against: `[benchmark] population` in the
//! config, else "alla" when present, else the first in the file.

use crate::analyse::Level;
use crate::config::Names;
use crate::ingest::quality::{Kind, Problem};
use crate::ingest::side::SideTable;
use crate::model::Model;

/// The benchmark population computed from the organisations in the input.
pub const INPUT_POPULATION: &str = "input";

/// The population of an organisation's peers: the first of its peer groups
/// (`[peers] groups`) large enough, figure by figure.
pub const PEERS_POPULATION: &str = "peers";

#[derive(Debug, Clone, PartialEq)]
pub struct BenchmarkRow {
    pub year: i32,
    pub population: String,
    pub level: Level,
    pub key: String,
    pub index: f64,
    pub n: Option<usize>,
    pub file: String,
}

#[derive(Debug, Clone, Default)]
pub struct Benchmarks {
    pub rows: Vec<BenchmarkRow>,
    /// The population compared against.
    pub population: Option<String>,
    pub files: Vec<String>,
}

impl Benchmarks {
    /// Adds the population computed from the organisations in the input;
    /// it is compared with when nothing else is chosen.
    pub fn add_computed(&mut self, rows: Vec<BenchmarkRow>) {
        if !rows.is_empty() && self.population.is_none() {
            self.population = Some(INPUT_POPULATION.to_string());
        }
        self.rows.extend(rows);
    }

    /// The benchmark index for a figure, if the file has one.
    pub fn get(&self, year: i32, level: Level, key: &str) -> Option<f64> {
        let population = self.population.as_ref()?;
        self.rows
            .iter()
            .find(|r| {
                r.year == year && r.level == level && r.key == key && &r.population == population
            })
            .map(|r| r.index)
    }
}

/// One benchmark row from its cells (year, population, level, key, index,
/// n), or the column at fault and why.
fn row(
    cell: &dyn Fn(Option<usize>) -> String,
    model: &Model,
    relative: &str,
    [y, p, l, k, i, n]: [Option<usize>; 6],
) -> Result<BenchmarkRow, (Option<usize>, String)> {
    let year = cell(y)
        .parse::<i32>()
        .ok()
        .filter(|v| crate::discover::YEARS.contains(v))
        .ok_or_else(|| (y, format!("\"{}\" is not a year", cell(y))))?;
    let level = parse_level(&cell(l)).ok_or_else(|| {
        (
            l,
            format!(
                "\"{}\" is not a level; expected total, dimension, category or statement",
                cell(l)
            ),
        )
    })?;
    let key = cell(k);
    let known = match level {
        Level::Total => key.eq_ignore_ascii_case("total"),
        Level::Dimension => model.dimension(&key).is_some(),
        Level::Category => model.category(&key).is_some(),
        Level::Statement => model.statements.iter().any(|s| s.code == key),
    };
    if !known {
        return Err((k, format!("the model has no {} \"{key}\"", level.as_str())));
    }
    let index = cell(i)
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| (0.0..=100.0).contains(v))
        .ok_or_else(|| (i, format!("\"{}\" is not an index from 0 to 100", cell(i))))?;
    Ok(BenchmarkRow {
        year,
        population: cell(p),
        level,
        key: if level == Level::Total {
            "total".into()
        } else {
            key
        },
        index,
        n: cell(n).parse().ok(),
        file: relative.to_string(),
    })
}

fn parse_level(s: &str) -> Option<Level> {
    match s.trim().to_lowercase().as_str() {
        "total" | "totalt" => Some(Level::Total),
        "dimension" => Some(Level::Dimension),
        "category" | "kategori" => Some(Level::Category),
        "statement" | "påstående" => Some(Level::Statement),
        _ => None,
    }
}

/// Reads the benchmark files; problems name file, row and column.
pub fn read(
    files: &[(String, std::path::PathBuf)],
    model: &Model,
    wanted: Option<&str>,
) -> (Benchmarks, Vec<Problem>) {
    let mut out = Benchmarks::default();
    let mut problems = Vec::new();
    out.files = files.iter().map(|(relative, _)| relative.clone()).collect();
    SideTable::each(files, &mut problems, |table, problems| {
        let relative = table.relative();
        let col = |name: &str| table.find(&Names::One(name.to_string()));
        let needed = ["year", "population", "level", "key", "index"];
        let missing: Vec<&str> = needed
            .iter()
            .copied()
            .filter(|n| col(n).is_none())
            .collect();
        if !missing.is_empty() {
            problems.push(table.columns_error(format!(
                "a benchmark file needs the columns year, population, level, key, index (and optionally n); missing: {}",
                missing.join(", ")
            )));
            return;
        }
        let [y, p, l, k, i] = needed.map(col);
        let n_col = col("n");
        for r in table.rows() {
            let cell = |c: Option<usize>| table.cell(r, c);
            let bad = |c: Option<usize>, msg: String| table.error(Kind::OutOfRange, r, c, msg);
            match row(&cell, model, relative, [y, p, l, k, i, n_col]) {
                Ok(b) => out.rows.push(b),
                Err((c, msg)) => problems.push(bad(c, msg)),
            }
        }
    });
    // "input" and "peers" are computed from the input: rows of a file that
    // use those names would be taken for them
    for reserved in [INPUT_POPULATION, PEERS_POPULATION] {
        if out.rows.iter().any(|r| r.population == reserved) {
            problems.push(Problem::error(
                Kind::OutOfRange,
                &out.files.join(", "),
                format!("the population \"{reserved}\" is computed by mognad from the input; name the file's population otherwise"),
            ));
            out.rows.retain(|r| r.population != reserved);
        }
    }
    // "peers" is chosen per organisation (pipeline): the run's population
    // is then the file's default, as without a choice
    let wanted = wanted.filter(|w| *w != PEERS_POPULATION);
    let populations: Vec<&String> = out.rows.iter().map(|r| &r.population).collect();
    out.population = match wanted {
        Some(w) => {
            if !populations.iter().any(|p| p.as_str() == w)
                && !out.rows.is_empty()
                && w != INPUT_POPULATION
            {
                problems.push(Problem::error(
                    Kind::Unreadable,
                    &out.files.join(", "),
                    format!("[benchmark] population = \"{w}\", but the benchmark file has no such population"),
                ));
            }
            Some(w.to_string())
        }
        None => populations
            .iter()
            .find(|p| p.as_str() == "alla")
            .or(populations.first())
            .map(|p| p.to_string()),
    };
    (out, problems)
}
