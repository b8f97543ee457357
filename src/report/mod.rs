//! The report model: plain serde structs holding everything a page shows,
//! already computed and formatted for the report's language. Templates only
//! lay these out; they compute nothing.
//!
//! A report is a short header (titles, date, language, the translation
//! table) and an ordered list of [`sections`], each built from the analysis
//! by its own file; which sections a report holds is `[report.sections]`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

pub mod brief;
pub mod overview;
pub mod sections;
pub mod web;

use crate::analyse::{Analysis, GroupResult, Level};
use crate::config::SectionsConfig;
use crate::format::{self, Lang};
use crate::ingest::FileSummary;
use crate::lang::Texts;
use crate::model::Model;
use sections::{Scope, SectionData};

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

/// One report: the organisation's or a unit's.
#[derive(Debug, Clone, Serialize)]
pub struct ReportDoc {
    /// Kind "organisation" or "unit".
    #[serde(flatten)]
    pub header: DocHeader,
    pub year: i32,
    pub previous_year: Option<i32>,
    /// Whether a benchmark is drawn (for the legends).
    pub has_benchmark: bool,
    /// What the benchmark is, for every legend that shows it: the
    /// population and the year ("Jämförelse: alla organisationer 2025").
    pub benchmark_label: String,
    /// The report's sections, in order.
    pub sections: Vec<SectionData>,
}

/// What every document's cover, running header and PDF metadata print:
/// the part of [`ReportDoc`], `BriefDoc` and `OverviewDoc` that the
/// templates' `setup` and `cover` read.
#[derive(Debug, Clone, Serialize)]
pub struct DocHeader {
    /// "organisation", "unit", "brief", "overview".
    pub kind: &'static str,
    pub lang: &'static str,
    /// The PDF's document title.
    pub title: String,
    /// The cover's title line, e.g. "Digital mognad 2025".
    pub headline: String,
    pub subtitle: String,
    /// The cover's date line.
    pub generated: String,
    /// The running header's left part.
    pub organisation: String,
    /// The running header's unit, if any.
    pub unit: Option<String>,
    pub date: String,
    /// The document's date as numbers, for the PDF metadata.
    pub date_ymd: [u32; 3],
    /// The language table.
    pub t: BTreeMap<String, String>,
    /// What the model measures (the cover).
    pub model_description: String,
    /// The accent colour, "#RRGGBB".
    pub accent: String,
}

impl DocHeader {
    /// A header of `kind` dated `date` in the texts' language, with the
    /// texts' table and the usual date line; title, headline, subtitle
    /// and organisation empty.
    pub fn dated(kind: &'static str, texts: &Texts, date: NaiveDate, accent: &str) -> DocHeader {
        use chrono::Datelike;
        let lang = texts.lang;
        DocHeader {
            kind,
            lang: lang.code(),
            title: String::new(),
            headline: String::new(),
            subtitle: String::new(),
            generated: texts.fill("generated", &[("date", &format::date(date, lang))]),
            organisation: String::new(),
            unit: None,
            date: format::date(date, lang),
            date_ymd: [date.year() as u32, date.month(), date.day()],
            t: texts.all().clone(),
            model_description: String::new(),
            accent: accent.to_string(),
        }
    }
}

/// Why a group is not shown, in the report's words: fewer respondents
/// than `threshold`, or (`secondary`) hidden so that a hidden group cannot
/// be worked out.
pub(crate) fn hidden_because(texts: &Texts, secondary: bool, threshold: usize) -> String {
    if secondary {
        texts.get("suppressed_secondary")
    } else {
        texts.fill(
            "suppressed_primary",
            &[("threshold", &threshold.to_string())],
        )
    }
}

/// A document the renderer takes: serialised into the template's inputs,
/// dated for the PDF's metadata.
pub trait Printable: Serialize {
    /// The document's header.
    fn header(&self) -> &DocHeader;
}

impl Printable for ReportDoc {
    fn header(&self) -> &DocHeader {
        &self.header
    }
}

impl Printable for brief::BriefDoc {
    fn header(&self) -> &DocHeader {
        &self.header
    }
}

/// The lang keys of the three axes' poles (low, high), in the order of
/// [`crate::portfolio::AXES`].
pub(crate) const AXIS_POLES: [(&str, &str); 3] = [
    ("axis_efficiency", "axis_innovation"),
    ("axis_operational", "axis_strategic"),
    ("axis_internal", "axis_external"),
];

/// The organisation's place among all organisations of the input.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// Its percentile ranks per year, level and key.
    pub ranks: &'a crate::organisations::ByKey<f64>,
    /// Its peer groups' figures per year, level and key.
    pub peers: &'a crate::organisations::ByKey<Vec<crate::organisations::PeerFigure>>,
}

/// What every section may read: the model, the group's figures with
/// their benchmarks and places, the thresholds and roles that judge them,
/// and the words to say them in. A section's builder is a method of this;
/// what else it reads (the register, the files, the chart extent, ...) it
/// takes as arguments, picked from the [`Context`] by its entry in
/// [`sections::SECTIONS`].
pub struct Common<'a> {
    pub model: &'a Model,
    pub analysis: &'a Analysis,
    pub benchmarks: &'a crate::benchmark::Benchmarks,
    /// The organisation among the others (multi-organisation runs).
    pub place: Option<Place<'a>>,
    /// Named thresholds (`[thresholds]`).
    pub thresholds: &'a crate::portfolio::findings::Thresholds,
    /// Which roles count as leadership, and how roles are named.
    pub roles: &'a crate::config::RolesConfig,
    /// How benchmark populations are named in the report's language.
    pub benchmark_names: &'a crate::config::BenchmarkConfig,
    /// How peer groups' values are named per language.
    pub peers: &'a crate::config::PeersConfig,
    pub texts: &'a Texts,
    pub year: i32,
}

/// What every report of a run shares: [`Common`], and the sources only
/// some sections read.
pub struct Context<'a> {
    pub common: Common<'a>,
    pub organisation: &'a str,
    pub files: &'a [FileSummary],
    pub problems: &'a [crate::ingest::quality::Problem],
    pub register: &'a crate::portfolio::Register,
    /// The organisation's weakest categories with its leading peers'
    /// initiatives (multi-organisation runs with an organisations file).
    pub inspiration: Option<&'a [crate::organisations::inspiration::Inspiration]>,
    /// The run's common chart extent (every organisation, unit and year).
    pub extent: crate::analyse::Extent,
    pub accent: &'a str,
    pub population: &'a crate::config::PopulationConfig,
    /// Which sections each kind of report holds.
    pub sections: &'a SectionsConfig,
    pub date: NaiveDate,
}

impl<'a> std::ops::Deref for Context<'a> {
    type Target = Common<'a>;

    fn deref(&self) -> &Common<'a> {
        &self.common
    }
}

impl Common<'_> {
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

    /// A peer group's column in the report's language ("typ", "type").
    pub(crate) fn peer_group_name(&self, peer: &crate::organisations::PeerFigure) -> String {
        use crate::peers::GroupColumn;
        match peer.column {
            GroupColumn::Kind => self.texts.get("peer_group_kind"),
            GroupColumn::Size => self.texts.get("peer_group_size"),
            GroupColumn::County => self.texts.get("peer_group_county"),
            GroupColumn::Other(_) => peer.group.clone(),
        }
    }

    /// A peer group's value in the report's language: a size class in
    /// words ("200 000 invånare eller fler"), another value by `[peers.names]`.
    pub(crate) fn peer_value_name(&self, peer: &crate::organisations::PeerFigure) -> String {
        let lang = self.lang();
        let number = |v: &str| v.parse::<usize>().ok();
        let words = |n: usize| format::count(n, lang);
        // inhabitants, or employees where the size column counts them
        let key = |k: &str| match peer.employees {
            true => format!("{k}_employees"),
            false => k.to_string(),
        };
        if peer.column == crate::peers::GroupColumn::Size {
            if let Some(low) = peer.value.strip_suffix('+').and_then(number) {
                return self
                    .texts
                    .fill(&key("size_class_over"), &[("low", &words(low))]);
            }
            match peer
                .value
                .split_once('-')
                .and_then(|(a, b)| Some((number(a)?, number(b)?)))
            {
                Some((0, high)) => {
                    let below = words(high + 1);
                    return self
                        .texts
                        .fill(&key("size_class_under"), &[("high", &below)]);
                }
                Some((low, high)) => {
                    let (low, high) = (words(low), words(high));
                    return self
                        .texts
                        .fill(&key("size_class_range"), &[("low", &low), ("high", &high)]);
                }
                None => {}
            }
        }
        self.peers.display_name(&peer.value, lang.code())
    }

    /// The benchmark population's display name in the report's language
    /// ("alla organisationer"); empty without a benchmark.
    pub(crate) fn population_name(&self) -> String {
        let Some(p) = self.benchmarks.population.as_deref() else {
            return String::new();
        };
        match self.total_peer() {
            Some(peer) if p == crate::benchmark::PEERS_POPULATION => self.texts.fill(
                "peer_population",
                &[
                    ("group", &self.peer_group_name(peer)),
                    ("value", &self.peer_value_name(peer)),
                    ("n", &format::count(peer.n, self.lang())),
                ],
            ),
            _ => self.benchmark_names.display_name(p, self.lang().code()),
        }
    }

    /// The organisation's first peer group large enough for its total
    /// this year.
    pub(crate) fn total_peer(&self) -> Option<&crate::organisations::PeerFigure> {
        let peers = self.place?.peers;
        let figures = peers.get(&(self.year, Level::Total, "total".to_string()))?;
        crate::organisations::default_peer(figures)
    }

    /// What the benchmark is, for every place that shows it: "Jämförelse:
    /// alla organisationer 2025".
    pub(crate) fn benchmark_label(&self) -> String {
        self.texts.fill(
            "benchmark_label",
            &[
                ("population", &self.population_name()),
                ("year", &self.year.to_string()),
            ],
        )
    }

    /// A difference between two figures, without a test, as the reader
    /// computes it from the printed values.
    fn change(&self, now: Option<f64>, before: Option<f64>) -> Option<String> {
        Some(format::points_between(now?, before?, 1, self.lang()))
    }

    /// A group's change since its previous shown year, with Welch's test.
    pub(crate) fn delta(&self, g: &GroupResult, level: Level, key: &str) -> Option<Delta> {
        let c = self.analysis.change(self.year, &g.group, level, key)?;
        Some(Delta {
            text: format::points_between(g.index(level, key)?, c.before, 1, self.lang()),
            significant: c.significant == Some(true),
        })
    }

    /// The survey's own scale, when the year's answers were given on
    /// another scale than the model's and mapped onto it: the text that
    /// says so, for the method and the statements' scale.
    fn rescaled_text(&self, files: &[FileSummary], key: &str) -> Option<String> {
        let lang = self.lang();
        let scale = self.year_files(files).into_iter().find_map(|f| f.scale)?;
        let number = |v: f64| format::number(v, if v.fract() == 0.0 { 0 } else { 2 }, lang);
        Some(self.texts.fill(
            key,
            &[
                ("from", &number(scale[0])),
                ("to", &number(scale[1])),
                ("min", &self.model.scale.min.to_string()),
                ("max", &self.model.scale.max.to_string()),
            ],
        ))
    }

    fn year_files<'f>(&self, files: &'f [FileSummary]) -> Vec<&'f FileSummary> {
        files
            .iter()
            .filter(|f| f.years.contains(&self.year))
            .collect()
    }

    /// Items as the report's language lists them: "a, b och c".
    fn and_list(&self, items: &[impl AsRef<str>]) -> String {
        format::and_list(items, &self.texts.get("and"))
    }

    /// The model's own description, else a sentence naming its dimensions.
    fn model_description(&self) -> String {
        let lc = self.lang().code();
        if !self.model.description.is_empty() {
            return self.model.description.get(lc).to_string();
        }
        let names: Vec<String> = self
            .model
            .dimensions
            .iter()
            .map(|d| d.name.get(lc).to_lowercase())
            .collect();
        let dimensions = self.and_list(&names);
        self.texts.fill(
            "model_description",
            &[
                ("model", self.model.name.get(lc)),
                ("n", &names.len().to_string()),
                ("dimensions", &dimensions),
            ],
        )
    }
}

impl Context<'_> {
    /// The organisation's report. `None` when the organisation itself is
    /// below the anonymity threshold for the year.
    pub fn organisation_report(&self) -> Option<ReportDoc> {
        let org = self.analysis.organisation(self.year)?;
        if !org.shown() {
            return None;
        }
        let scope = Scope {
            g: org,
            prev: self
                .analysis
                .previous(self.year, &crate::analyse::Group::Organisation),
            org: None,
            actions: self.recommend(org, &sections::recommendations::default_rules()),
        };
        let mut doc = self.report("organisation", &scope, &self.sections.organisation);
        doc.header.subtitle = self.texts.get("report_subtitle_org");
        Some(doc)
    }

    /// A unit's report; `None` when the unit is suppressed.
    pub fn unit_report(&self, unit: &str) -> Option<ReportDoc> {
        let g = self.analysis.unit(self.year, unit)?;
        let org = self.analysis.organisation(self.year)?;
        if !g.shown() || !org.shown() {
            return None;
        }
        let scope = Scope {
            g,
            prev: self.analysis.previous(self.year, &g.group),
            org: Some(org),
            actions: self.recommend(g, &sections::recommendations::default_rules()),
        };
        let mut doc = self.report("unit", &scope, &self.sections.unit);
        let h = &mut doc.header;
        h.unit = Some(unit.to_string());
        h.subtitle = self.texts.fill("report_subtitle_unit", &[("unit", unit)]);
        h.title = format!("{} – {}", h.title, crate::format::isolate(unit));
        Some(doc)
    }

    /// A report's header and the sections `names` lists (checked when the
    /// config is loaded; an unknown name is passed over).
    fn report(&self, kind: &'static str, scope: &Scope, names: &[String]) -> ReportDoc {
        let t = self.texts;
        let year = self.year.to_string();
        let bench_total = self.benchmarks.get(self.year, Level::Total, "total");
        ReportDoc {
            header: DocHeader {
                title: format!(
                    "{} – {}",
                    t.fill("report_title", &[("year", &year)]),
                    crate::format::isolate(self.organisation)
                ),
                headline: t.fill("report_title", &[("year", &year)]),
                organisation: self.organisation.to_string(),
                model_description: self.model_description(),
                ..DocHeader::dated(kind, t, self.date, self.accent)
            },
            year: self.year,
            previous_year: scope.prev.map(|p| p.year),
            has_benchmark: self.benchmarks.population.is_some() && bench_total.is_some(),
            benchmark_label: self.benchmark_label(),
            sections: names
                .iter()
                .filter_map(|n| sections::named(n))
                .filter_map(|section| {
                    Some(SectionData {
                        id: section.name(),
                        data: section.build(self, scope)?,
                    })
                })
                .collect(),
        }
    }
}
