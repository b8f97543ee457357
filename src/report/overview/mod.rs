//! The national overview's report model (`overview.typ`): the figures of
//! [`crate::overview::Overview`] formatted for the report's language and
//! placed for the charts. Layout only in the template.

use chrono::NaiveDate;
use serde::Serialize;

mod charts;

use super::sections::quadrant::QuadrantFrame;
use super::sections::type_trend::Trend;
use crate::format::{self, Lang};
use crate::lang::Texts;
use crate::model::Model;
use crate::overview::{Overview, Spread};

/// The overview's file name in the year folder (its web page beside it).
pub const FILE: &str = "overview.pdf";

/// Markers of the trend chart's series (and the quadrant's types), so
/// that lines and points differ by more than colour.
const MARKERS: [&str; 4] = ["circle", "square", "diamond", "triangle"];

/// The overview as the template receives it.
#[derive(Debug, Clone, Serialize)]
pub struct OverviewDoc {
    /// Kind "overview"; the running header's left part names all
    /// participating organisations.
    #[serde(flatten)]
    pub header: super::DocHeader,
    pub year: i32,
    pub intro: String,
    /// Where the country stands, its change, the gap to the target and who
    /// needs attention, sentence by sentence.
    pub conclusion: Vec<String>,
    pub key_figures: Vec<KeyFigure>,
    pub by_type: Vec<ParticipationRow>,
    pub by_county: Vec<ParticipationRow>,
    /// The spread per type: the columns' names (total, dimensions).
    pub figures: Vec<String>,
    pub spreads: Vec<BoxGroup>,
    pub ticks: Vec<(String, f64)>,
    pub spreads_alt: String,
    pub quadrant: Option<OverviewQuadrant>,
    pub trend: Option<Trend>,
    /// The target line's height in the trend chart and its label.
    pub target: Option<(f64, String)>,
    pub profile: Vec<BoxRow>,
    pub profile_ticks: Vec<(String, f64)>,
    pub profile_alt: String,
    pub changed_text: String,
    pub changed: Vec<ChangedRow>,
    pub portfolio: Option<PortfolioView>,
    /// Every organisation (only with `[overview] names`).
    pub organisations: Vec<OrgLine>,
    pub organisations_intro: String,
    pub method: Vec<String>,
}

impl super::Printable for OverviewDoc {
    fn header(&self) -> &super::DocHeader {
        &self.header
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyFigure {
    pub label: String,
    pub value: String,
    pub sub: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParticipationRow {
    pub name: String,
    pub organisations: String,
    pub respondents: String,
    pub hidden: String,
}

/// One type's boxes, one per figure.
#[derive(Debug, Clone, Serialize)]
pub struct BoxGroup {
    pub name: String,
    pub n: String,
    pub rows: Vec<BoxRow>,
}

/// One box plot: positions as fractions of the chart's scale, and the
/// figures as text (the table beside the chart).
#[derive(Debug, Clone, Serialize)]
pub struct BoxRow {
    pub label: String,
    /// min, q1, median, q3, max, mean.
    pub at: Option<[f64; 6]>,
    pub median: String,
    pub mean: String,
    pub quartiles: String,
    pub range: String,
    pub n: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OverviewQuadrant {
    #[serde(flatten)]
    pub frame: QuadrantFrame,
    /// (x, y, the series of its type in the trend chart).
    pub points: Vec<(f64, f64, usize)>,
    /// Each type's name, marker and series in the trend chart.
    pub kinds: Vec<(String, &'static str, usize)>,
    /// Organisations per quadrant: bottom-left, bottom-right, top-left,
    /// top-right.
    pub counts: [String; 4],
    pub intro: String,
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangedRow {
    pub name: String,
    pub kind: String,
    pub before: String,
    pub now: String,
    pub change: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PortfolioView {
    pub text: String,
    pub balance: Vec<crate::report::sections::portfolio::BalanceRow>,
    pub categories: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrgLine {
    pub name: String,
    pub kind: String,
    pub county: String,
    pub respondents: String,
    pub total: String,
    pub dimensions: Vec<String>,
}

/// What the overview's model is built from besides the figures.
pub struct OverviewContext<'a> {
    pub model: &'a Model,
    pub texts: &'a Texts,
    pub date: NaiveDate,
    pub accent: &'a str,
    /// Whether organisations are named (`[overview] names`).
    pub names: bool,
    /// How organisation types are named per language (`[peers.names]`).
    pub peers: &'a crate::config::PeersConfig,
}

impl OverviewContext<'_> {
    fn lang(&self) -> Lang {
        self.texts.lang
    }

    fn pct(&self, v: f64) -> String {
        format::percent(v, 1, self.lang())
    }

    fn count(&self, n: usize) -> String {
        format::count(n, self.lang())
    }

    /// A type of organisation in the report's language.
    fn kind_name(&self, kind: &Option<String>) -> String {
        match kind {
            Some(k) => self.peers.display_name(k, self.lang().code()),
            None => self.texts.get("overview_unknown"),
        }
    }

    /// The report model of the overview.
    pub fn doc(&self, o: &Overview) -> OverviewDoc {
        let (t, lang) = (self.texts, self.lang());
        let lc = lang.code();
        let year = o.year.to_string();
        let shown = o
            .organisations
            .iter()
            .filter(|r| r.indices.is_some())
            .count();
        // the shown organisations' respondents: a hidden one's n is not told
        let respondents: usize = o
            .organisations
            .iter()
            .filter(|r| r.indices.is_some())
            .map(|r| r.respondents)
            .sum();
        let total = o.all.first().copied().flatten();
        let figures: Vec<String> = crate::overview::figure_keys(self.model)
            .into_iter()
            .map(|(level, key)| match level {
                crate::analyse::Level::Total => t.get("total_short"),
                _ => self
                    .model
                    .dimension(key)
                    .map_or_else(|| key.to_string(), |d| d.name.get(lc).to_string()),
            })
            .collect();
        let (spreads, ticks, spreads_alt) = self.spreads(o, &figures);
        let (profile, profile_ticks, profile_alt) = self.profile(o);
        let (changed_text, changed) = self.changed(o);
        OverviewDoc {
            header: super::DocHeader {
                title: t.fill("overview_title", &[("year", &year)]),
                headline: t.fill("overview_title", &[("year", &year)]),
                subtitle: t.fill(
                    "overview_subtitle",
                    &[
                        ("n", &self.count(o.organisations.len())),
                        ("respondents", &self.count(respondents)),
                    ],
                ),
                organisation: t.get("overview_header"),
                ..super::DocHeader::dated("overview", t, self.date, self.accent)
            },
            year: o.year,
            intro: self.intro(o),
            conclusion: self.conclusion(o, total),
            key_figures: self.key_figures(o, shown, respondents, total),
            by_type: o.by_type.iter().map(|p| self.participation(p)).collect(),
            by_county: o.by_county.iter().map(|p| self.participation(p)).collect(),
            figures,
            spreads,
            ticks,
            spreads_alt,
            quadrant: self.quadrant(o),
            trend: self.trend(o),
            target: o.target.zip(self.trend_scale(o)).map(|(v, (lo, hi))| {
                (
                    (v - lo) / (hi - lo),
                    t.fill(
                        "overview_target",
                        &[("target", &format::percent(v, 0, lang))],
                    ),
                )
            }),
            profile,
            profile_ticks,
            profile_alt,
            changed_text,
            changed,
            portfolio: self.portfolio(o),
            organisations: if self.names {
                self.lines(o)
            } else {
                Vec::new()
            },
            organisations_intro: t.fill("overview_every_intro", &[("year", &year)]),
            method: vec![
                t.fill(
                    "overview_method_figures",
                    &[("threshold", &o.threshold.to_string())],
                ),
                t.get("overview_method_spread"),
                t.get("overview_method_change"),
            ],
        }
    }

    /// The overview's conclusion: where the country stands, the change of
    /// the mean since the previous year, the gap to the target, and the
    /// organisations that need attention (named with `[overview] names`,
    /// else counted per type).
    fn conclusion(&self, o: &Overview, total: Option<Spread>) -> Vec<String> {
        let t = self.texts;
        let lang = self.lang();
        let mut out = Vec::new();
        let Some(total) = total else {
            return out;
        };
        out.push(t.fill(
            "overview_stands",
            &[
                ("mean", &self.pct(total.mean)),
                ("q1", &self.pct(total.q1)),
                ("q3", &self.pct(total.q3)),
            ],
        ));
        // the mean over the organisations of each year, as the trend draws it
        if let [.., (y0, m0, _), (y1, m1, _)] = o.trend_all[..] {
            if y1 == o.year {
                let change = format::points_between(m1, m0, 1, lang);
                out.push(t.fill(
                    "overview_change",
                    &[
                        ("year", &y0.to_string()),
                        ("before", &self.pct(m0)),
                        ("change", &change),
                    ],
                ));
            }
        }
        if let (Some(target), Some(at)) = (o.target, o.at_target) {
            let shown = o
                .organisations
                .iter()
                .filter(|r| r.indices.is_some())
                .count();
            let gap = format::displayed(total.mean, 1) - format::displayed(target, 1);
            let key = if gap < 0.0 {
                "overview_target_below"
            } else {
                "overview_target_above"
            };
            let gap = format::points(gap.abs(), 1, lang)
                .trim_start_matches('+')
                .to_string();
            out.push(t.fill(
                key,
                &[
                    ("at", &self.count(at)),
                    ("n", &self.count(shown)),
                    ("target", &format::percent(target, 0, lang)),
                    ("gap", &gap),
                ],
            ));
        }
        let attention = o.attention(self.model.types.as_ref());
        for (key, rows) in [
            ("overview_attention_lowest", &attention.lowest_type),
            ("overview_attention_declined", &attention.declined),
            ("overview_attention_boundary", &attention.near_boundary),
        ] {
            if rows.is_empty() {
                continue;
            }
            let who = if self.names {
                let names: Vec<String> = rows
                    .iter()
                    .map(|r| format::isolate(&r.name).into_owned())
                    .collect();
                format::and_list(&names, &t.get("and"))
            } else {
                // counted per type, the largest first
                let mut per: std::collections::BTreeMap<String, usize> = Default::default();
                for r in rows.iter() {
                    *per.entry(self.kind_name(&r.kind)).or_default() += 1;
                }
                let mut per: Vec<(String, usize)> = per.into_iter().collect();
                per.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                per.into_iter()
                    .map(|(k, n)| format!("{k} {}", self.count(n)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let lowest = self.model.types.as_ref().map_or(String::new(), |t| {
                t.low_limiting.name.get(lang.code()).to_string()
            });
            out.push(t.fill(
                key,
                &[
                    ("n", &self.count(rows.len())),
                    ("who", &who),
                    ("type", &lowest),
                ],
            ));
        }
        out
    }

    /// The introduction, with where the country is weakest and strongest.
    fn intro(&self, o: &Overview) -> String {
        let t = self.texts;
        let mut text = t.fill(
            "overview_intro",
            &[
                ("threshold", &o.threshold.to_string()),
                ("year", &o.year.to_string()),
            ],
        );
        let lc = self.lang().code();
        let medians: Vec<(&str, f64)> = self
            .model
            .categories
            .iter()
            .zip(&o.profile)
            .filter_map(|(c, s)| Some((c.name.get(lc), s.as_ref()?.median)))
            .collect();
        let weakest = medians.iter().min_by(|a, b| a.1.total_cmp(&b.1));
        let strongest = medians.iter().max_by(|a, b| a.1.total_cmp(&b.1));
        if let (Some(w), Some(s)) = (weakest, strongest) {
            if w.0 != s.0 {
                text.push(' ');
                text.push_str(&t.fill(
                    "overview_strongest",
                    &[
                        ("weakest", w.0),
                        ("weakest_median", &self.pct(w.1)),
                        ("strongest", s.0),
                        ("strongest_median", &self.pct(s.1)),
                    ],
                ));
            }
        }
        text
    }

    fn key_figures(
        &self,
        o: &Overview,
        shown: usize,
        respondents: usize,
        total: Option<Spread>,
    ) -> Vec<KeyFigure> {
        let t = self.texts;
        let mut out = vec![
            KeyFigure {
                label: t.get("overview_kf_organisations"),
                value: self.count(o.organisations.len()),
                sub: (shown < o.organisations.len()).then(|| {
                    t.fill(
                        "overview_kf_hidden",
                        &[("n", &self.count(o.organisations.len() - shown))],
                    )
                }),
            },
            KeyFigure {
                label: t.get("overview_kf_respondents"),
                value: self.count(respondents),
                sub: None,
            },
        ];
        if let Some(s) = total {
            out.push(KeyFigure {
                label: t.get("overview_kf_mean"),
                value: self.pct(s.mean),
                sub: Some(t.fill(
                    "overview_kf_quartiles",
                    &[("q1", &self.pct(s.q1)), ("q3", &self.pct(s.q3))],
                )),
            });
            if let (Some(target), Some(above)) = (o.target, o.at_target) {
                out.push(KeyFigure {
                    label: t.fill(
                        "overview_kf_target",
                        &[("target", &format::percent(target, 0, self.lang()))],
                    ),
                    value: self.count(above),
                    sub: Some(t.fill("overview_kf_of", &[("n", &self.count(s.n))])),
                });
            }
        }
        out
    }

    fn participation(&self, p: &crate::overview::Participation) -> ParticipationRow {
        ParticipationRow {
            name: self.kind_name(&p.key),
            organisations: self.count(p.organisations),
            respondents: self.count(p.respondents),
            hidden: self.count(p.hidden),
        }
    }

    fn changed(&self, o: &Overview) -> (String, Vec<ChangedRow>) {
        let (with_change, up, down) = o.changed_counts();
        let text = self.texts.fill(
            "overview_changed",
            &[
                ("n", &self.count(with_change)),
                // Welch's test at 5 %: one in twenty by chance
                (
                    "expected",
                    &self.count((with_change as f64 * 0.05).round() as usize),
                ),
                ("up", &self.count(up)),
                ("down", &self.count(down)),
            ],
        );
        let rows = if self.names {
            o.changed()
                .iter()
                .filter_map(|r| {
                    let c = r.change?;
                    Some(ChangedRow {
                        name: r.name.clone(),
                        kind: self.kind_name(&r.kind),
                        before: format!("{} ({})", self.pct(c.before), c.from_year),
                        now: self.pct(c.before + c.value),
                        change: format::points_between(
                            c.before + c.value,
                            c.before,
                            1,
                            self.lang(),
                        ),
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        (text, rows)
    }

    fn portfolio(&self, o: &Overview) -> Option<PortfolioView> {
        let p = o.portfolio.as_ref()?;
        let (t, lang) = (self.texts, self.lang());
        let lc = lang.code();
        let balance = crate::report::sections::portfolio::balance_rows(&p.balance, t);
        Some(PortfolioView {
            text: t.fill(
                "overview_portfolio",
                &[
                    ("initiatives", &self.count(p.initiatives)),
                    ("organisations", &self.count(p.organisations)),
                    ("year", &o.year.to_string()),
                ],
            ),
            balance,
            categories: self
                .model
                .categories
                .iter()
                .zip(&p.per_category)
                .map(|(c, n)| (c.name.get(lc).to_string(), self.count(*n)))
                .collect(),
        })
    }

    fn lines(&self, o: &Overview) -> Vec<OrgLine> {
        let dims = self.model.dimensions.len();
        o.organisations
            .iter()
            .filter(|r| r.indices.is_some())
            .map(|r| {
                let v = |i: usize| {
                    r.indices
                        .as_ref()
                        .and_then(|x| x.get(i).copied().flatten())
                        .map_or_else(|| "–".to_string(), |v| self.pct(v))
                };
                OrgLine {
                    name: r.name.clone(),
                    kind: self.kind_name(&r.kind),
                    county: r.county.clone().unwrap_or_default(),
                    respondents: self.count(r.respondents),
                    total: v(0),
                    dimensions: (1..=dims).map(v).collect(),
                }
            })
            .collect()
    }
}
