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
use crate::ingest::quality::{Kind, Problem};
use crate::model::Model;

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
            self.population = Some(crate::organisations::INPUT_POPULATION.to_string());
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
    for (relative, path) in files {
        out.files.push(relative.clone());
        let sheet = match crate::ingest::read_file_sheet(relative, path) {
            Ok(s) => s,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let col = |name: &str| {
            sheet
                .headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let needed = ["year", "population", "level", "key", "index"];
        let missing: Vec<&str> = needed
            .iter()
            .copied()
            .filter(|n| col(n).is_none())
            .collect();
        if !missing.is_empty() {
            problems.push(
                Problem::error(
                    Kind::Unreadable,
                    relative,
                    format!(
                        "a benchmark file needs the columns year, population, level, key, index (and optionally n); missing: {}",
                        missing.join(", ")
                    ),
                )
                .row(1),
            );
            continue;
        }
        let [y, p, l, k, i] = needed.map(|n| col(n).unwrap_or(0));
        let n_col = col("n");
        for r in 0..sheet.height() {
            let row = sheet.first_row + r;
            let cell = |c: usize| sheet.column(c).get(r).unwrap_or("").trim().to_string();
            let bad = |c: usize, msg: String| {
                Problem::error(Kind::OutOfRange, relative, msg)
                    .row(row)
                    .column(sheet.headers[c].trim())
            };
            let Some(year) = cell(y)
                .parse::<i32>()
                .ok()
                .filter(|v| (1990..=2100).contains(v))
            else {
                problems.push(bad(y, format!("\"{}\" is not a year", cell(y))));
                continue;
            };
            let Some(level) = parse_level(&cell(l)) else {
                problems.push(bad(
                    l,
                    format!(
                        "\"{}\" is not a level; expected total, dimension, category or statement",
                        cell(l)
                    ),
                ));
                continue;
            };
            let key = cell(k);
            let known = match level {
                Level::Total => key.eq_ignore_ascii_case("total"),
                Level::Dimension => model.dimension(&key).is_some(),
                Level::Category => model.category(&key).is_some(),
                Level::Statement => model.statements.iter().any(|s| s.code == key),
            };
            if !known {
                problems.push(bad(
                    k,
                    format!("the model has no {} \"{key}\"", level.as_str()),
                ));
                continue;
            }
            let Some(index) = cell(i)
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|v| (0.0..=100.0).contains(v))
            else {
                problems.push(bad(
                    i,
                    format!("\"{}\" is not an index from 0 to 100", cell(i)),
                ));
                continue;
            };
            out.rows.push(BenchmarkRow {
                year,
                population: cell(p),
                level,
                key: if level == Level::Total {
                    "total".into()
                } else {
                    key
                },
                index,
                n: n_col.and_then(|c| cell(c).parse().ok()),
                file: relative.clone(),
            });
        }
    }
    let populations: Vec<&String> = out.rows.iter().map(|r| &r.population).collect();
    out.population = match wanted {
        Some(w) => {
            if !populations.iter().any(|p| p.as_str() == w)
                && !out.rows.is_empty()
                && w != crate::organisations::INPUT_POPULATION
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

/// Benchmark files are found by name among the input's files.
pub fn is_benchmark_file(name: &str) -> bool {
    let name = name.to_lowercase();
    (name.starts_with("benchmark")
        || name.starts_with("jämförelse")
        || name.starts_with("jamforelse"))
        && [".csv", ".tsv", ".xlsx"].iter().any(|e| name.ends_with(e))
}
