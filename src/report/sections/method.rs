//! The method appendix: the model, the computation, anonymity,
//! uncertainty, the benchmark's source, Cronbach's alpha, data quality and
//! the files read.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Scope;
use crate::analyse::Level;
use crate::format;
use crate::ingest::FileSummary;
use crate::report::{Common, Context};

/// The section's data.
#[derive(Debug, Clone, Serialize)]
pub struct MethodSection {
    pub method: Vec<String>,
    /// The data-quality summary: what was left out or flagged, by kind.
    pub quality: Vec<String>,
    /// What to read with care, introducing `dont_know`, with the threshold.
    pub dont_know_intro: String,
    /// The statements with many don't-know answers, quoted by their text,
    /// each with its share.
    pub dont_know: Vec<String>,
    /// Further things to read with care: the categories whose statements
    /// hang together weakly, each a sentence.
    pub caveats: Vec<String>,
    /// What alpha is, with the thresholds of its verdicts.
    pub reliability_intro: String,
    pub reliability: Vec<ReliabilityRow>,
    pub files: Vec<FileRow>,
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
pub struct FileRow {
    pub name: String,
    pub encoding: String,
    pub rows: String,
    pub respondents: String,
}

/// The section's entry in [`super::SECTIONS`].
pub(crate) struct Entry;

impl super::Section for Entry {
    fn name(&self) -> &'static str {
        "method"
    }

    fn template(&self) -> &'static str {
        include_str!("../../../report-templates/sections/method.typ")
    }

    fn build(&self, cx: &Context, s: &Scope) -> Option<serde_json::Value> {
        super::data(cx.common.method(s, cx.files, cx.problems))
    }
}

impl Common<'_> {
    /// The method appendix. A unit report keeps a short note and the
    /// unit's own don't-know caveats, and refers to the organisation
    /// report for the rest, whose reliability, data quality and files are
    /// the organisation's.
    pub(crate) fn method(
        &self,
        s: &Scope,
        files: &[FileSummary],
        problems: &[crate::ingest::quality::Problem],
    ) -> MethodSection {
        if s.org.is_some() {
            return self.unit_method(s);
        }
        let t = self.texts;
        let lang = self.lang();
        let lc = lang.code();
        let year = self.year.to_string();
        let all_files = files;
        let files = self.year_files(all_files);
        let threshold = self.analysis.threshold.to_string();
        let (min, max) = (
            self.model.scale.min.to_string(),
            self.model.scale.max.to_string(),
        );
        let org_all = self.analysis.organisation(self.year);
        let mut method = vec![
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
            // the significance of a change only where there is one
            match s.prev {
                Some(_) => format!("{} {}", t.get("method_uncertainty"), t.get("method_change")),
                None => t.get("method_uncertainty"),
            },
            t.fill_count(
                "method_sources",
                files.len(),
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
        method.extend(self.rescaled_text(all_files, "method_rescaled"));
        match self.benchmarks.population.as_deref() {
            Some(crate::benchmark::INPUT_POPULATION) => {
                method.push(t.get("method_benchmark_input"))
            }
            Some(crate::benchmark::PEERS_POPULATION) => {
                let (group, value) = self
                    .total_peer()
                    .map(|p| (self.peer_group_name(p), self.peer_value_name(p)))
                    .unwrap_or_default();
                method.push(t.fill(
                    "method_benchmark_peers",
                    &[("group", &group), ("value", &value)],
                ))
            }
            Some(p) => method.push(t.fill(
                "method_benchmark",
                &[
                    ("population", &self.benchmark_names.display_name(p, lc)),
                    ("files", &self.benchmarks.files.join(", ")),
                ],
            )),
            None => {}
        }
        MethodSection {
            method,
            quality: self.quality_lines(all_files, problems),
            reliability_intro: {
                let at = |name: &str| {
                    let v = crate::config::threshold(self.thresholds, name);
                    let decimals = if (v * 10.0).fract().abs() < 1e-9 {
                        1
                    } else {
                        2
                    };
                    format::number(v, decimals, lang)
                };
                self.texts.fill(
                    "reliability_intro",
                    &[
                        ("acceptable", &at("alpha_acceptable")),
                        ("good", &at("alpha_good")),
                    ],
                )
            },
            dont_know_intro: self.dont_know_intro(),
            dont_know: self.dont_know_caveats(s.g),
            caveats: self.alpha_caveats(),
            reliability: self.reliability_rows(),
            files: files
                .iter()
                .map(|f| FileRow {
                    name: f.relative.clone(),
                    encoding: self.source_text(f),
                    rows: format::count(f.rows, lang),
                    respondents: format::count(f.respondents, lang),
                })
                .collect(),
        }
    }

    /// The unit report's short method note.
    fn unit_method(&self, s: &Scope) -> MethodSection {
        let t = self.texts;
        MethodSection {
            method: vec![t.get("method_unit")],
            quality: Vec::new(),
            dont_know_intro: self.dont_know_intro(),
            dont_know: self.dont_know_caveats(s.g),
            caveats: Vec::new(),
            reliability_intro: String::new(),
            reliability: Vec::new(),
            files: Vec::new(),
        }
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
                let org = &crate::analyse::Group::Organisation;
                let Some(r) = self.analysis.reliability_of(self.year, org, level, &code) else {
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
                    verdict: t.get(self.alpha_verdict(r.alpha)),
                });
            }
        }
        rows
    }

    /// The categories whose alpha is low (as printed), in one sentence.
    fn alpha_caveats(&self) -> Vec<String> {
        let lang = self.lang();
        let lc = lang.code();
        let low: Vec<&str> = self
            .model
            .categories
            .iter()
            .filter(|c| {
                self.analysis
                    .reliability_of(
                        self.year,
                        &crate::analyse::Group::Organisation,
                        Level::Category,
                        &c.code,
                    )
                    .is_some_and(|r| self.alpha_verdict(r.alpha) == "alpha_low")
            })
            .map(|c| c.name.get(lc))
            .collect();
        if low.is_empty() {
            return Vec::new();
        }
        let categories = self.and_list(&low);
        let acceptable = crate::config::threshold(self.thresholds, "alpha_acceptable");
        vec![self.texts.fill(
            "caveat_alpha",
            &[
                ("categories", &categories),
                ("acceptable", &format::number(acceptable, 2, lang)),
            ],
        )]
    }

    /// The lead-in of the don't-know caveats, with the threshold.
    fn dont_know_intro(&self) -> String {
        let high = crate::config::threshold(self.thresholds, "dont_know_high");
        self.texts.fill(
            "caveat_dont_know",
            &[("share", &format::percent(high * 100.0, 0, self.lang()))],
        )
    }

    /// The statements whose don't-know share is at least `[thresholds]
    /// dont_know_high`, as printed: each its quoted text and share.
    fn dont_know_caveats(&self, g: &crate::analyse::GroupResult) -> Vec<String> {
        let (t, lang) = (self.texts, self.lang());
        let lc = lang.code();
        let high = crate::config::threshold(self.thresholds, "dont_know_high");
        self.model
            .statements
            .iter()
            .filter_map(|st| {
                let share = g.statements.get(&st.code)?.dont_know_share()?;
                let shown = format::displayed(share * 100.0, 0) / 100.0;
                (shown >= high).then(|| {
                    t.fill(
                        "caveat_dont_know_item",
                        &[
                            // the quote closes the sentence: no period before the share
                            ("text", st.text.get(lc).trim_end_matches('.')),
                            ("share", &format::percent(share * 100.0, 0, lang)),
                        ],
                    )
                })
            })
            .collect()
    }

    /// The verdict on an alpha, judged as printed (two decimals) so that
    /// the label agrees with the figure beside it: the key of its text.
    pub(crate) fn alpha_verdict(&self, alpha: Option<f64>) -> &'static str {
        let at_least = |name: &str, a: f64| a >= crate::config::threshold(self.thresholds, name);
        match alpha.map(|a| format::displayed(a, 2)) {
            Some(a) if at_least("alpha_good", a) => "alpha_good",
            Some(a) if at_least("alpha_acceptable", a) => "alpha_acceptable",
            Some(_) => "alpha_low",
            None => "alpha_none",
        }
    }

    /// How a file was read, in the report's language.
    fn source_text(&self, file: &FileSummary) -> String {
        use crate::ingest::Source;
        let t = self.texts;
        let text = match &file.source {
            Source::Text {
                delimiter,
                encoding,
            } => t.fill(
                "format_text",
                &[
                    ("delimiter", &t.get(&format!("delimiter_{delimiter}"))),
                    ("encoding", encoding),
                ],
            ),
            Source::Excel { sheet } => t.fill("format_excel", &[("sheet", sheet)]),
            Source::Parquet => "Parquet".into(),
            Source::Json => "JSON".into(),
            Source::Ndjson => "NDJSON".into(),
        };
        match &file.tool {
            Some(tool) => format!("{tool}, {text}"),
            None => text,
        }
    }

    /// One line per kind of data-quality warning in the year's files,
    /// with counts only: no ids, rows or values reach a report.
    fn quality_lines(
        &self,
        files: &[FileSummary],
        problems: &[crate::ingest::quality::Problem],
    ) -> Vec<String> {
        use crate::ingest::quality::Kind;
        let names: Vec<&str> = self
            .year_files(files)
            .iter()
            .map(|f| f.relative.as_str())
            .collect();
        let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
        for p in problems.iter().filter(|p| names.contains(&p.file.as_str())) {
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
                        .fill_count(key, n, &[("n", &format::count(n, self.lang()))]),
                )
            })
            .collect();
        if lines.is_empty() {
            vec![self.texts.get("quality_none")]
        } else {
            lines
        }
    }
}
