//! One organisation in one year: its tables, its reports planned and
//! rendered on the pool, and its manifest, all into the year's staging
//! folder.

use std::sync::Mutex;

use super::years::Run;
use super::{report_date, Loaded};
use crate::analyse::Level;
use crate::analyse::Suppression;
use crate::benchmark::{BenchmarkRow, Benchmarks, PEERS_POPULATION};
use crate::error::Result;
use crate::lang::Texts;
use crate::organisations::{default_peer, Organisation};
use crate::publish::{
    self, FailedReport, Manifest, NoReportReason, OutputKind, Staging, UnitWithoutReport,
};
use crate::render::{render_all, Job};
use crate::report::{hidden_because, web, Context};
use crate::tables;

/// What one organisation's year produced.
pub(super) struct OrganisationYear {
    /// Reports written.
    pub(super) reports: usize,
    /// Units without a report (hidden for anonymity).
    pub(super) units_without_report: usize,
    /// Reports that failed to render.
    pub(super) failed: Vec<FailedReport>,
}

/// One organisation's reports (rendered on `threads` threads), tables and
/// manifest for a year.
pub(super) fn run_organisation(
    run: &Run,
    org: &Organisation,
    year: i32,
    staging: &Mutex<Staging>,
    threads: usize,
) -> Result<OrganisationYear> {
    let (opts, loaded, renderer, texts) = (run.opts, run.loaded, run.renderer, run.texts);
    let organisation = if org.name.is_empty() {
        texts.get("default_organisation")
    } else {
        org.name.clone()
    };
    // the organisation's subfolder, unless the staging folder is it (--org)
    let dir = match (&org.folder, opts.org.is_some()) {
        (Some(f), false) => format!("{f}/"),
        _ => String::new(),
    };
    let date = report_date(loaded, year);
    let stage = || staging.lock().unwrap_or_else(|e| e.into_inner());
    for (name, kind, bytes) in tables(loaded, org, &organisation, texts, year)? {
        stage().write(&format!("{dir}{name}"), &bytes, kind, None)?;
    }
    let inputs = ContextInputs::new(loaded, org, year);
    let ctx = inputs.context(loaded, org, &organisation, texts, year);
    let title = texts.fill("report_title", &[("year", &year.to_string())]);
    let mut names = publish::FileNames::new(&dir, &title);
    let (planned, without) = plan_reports(loaded, &ctx, &mut names, &organisation, year);
    let lang = texts.lang.code();
    opts.progress.reports(planned.len());
    let results = render_all(
        renderer,
        &planned,
        threads,
        |p| &p.job,
        |p, result| {
            opts.progress.report_done();
            match result {
                Ok(report) => {
                    let to = loaded.recipients.of(p.unit.as_deref());
                    stage().write_report(&p.file, &report, p.kind, p.unit.as_deref(), lang, to)?;
                    // the PDF is written; its web edition, if it failed,
                    // counts as a failure of its own
                    Ok(report.web_failed.map(|reason| FailedReport {
                        unit: p.unit.clone(),
                        reason,
                    }))
                }
                // one report failing does not stop the others
                Err(e) => Ok(Some(FailedReport {
                    unit: p.unit.clone(),
                    reason: e.to_string(),
                })),
            }
        },
    );
    let (mut written, mut failed) = (Vec::new(), Vec::new());
    for (p, r) in planned.iter().zip(results) {
        match r? {
            Some(f) => failed.push(f),
            None => written.push(p),
        }
    }
    let reports = written.len();
    if renderer.has_web() {
        let listed: Vec<(Option<&str>, &str)> = written
            .iter()
            .map(|p| (p.unit.as_deref(), &p.file[dir.len()..]))
            .collect();
        let threshold = loaded.config.report.anonymity_threshold;
        let hidden: Vec<(String, String)> = without
            .iter()
            .map(|u| {
                let secondary = u.reason == NoReportReason::SecondarySuppression;
                (u.unit.clone(), hidden_because(texts, secondary, threshold))
            })
            .collect();
        let accent = &loaded.config.branding.accent;
        let doc =
            web::organisation_index(texts, (date, accent, year), &organisation, &listed, &hidden);
        let html = renderer.render_html("index.typ", &doc)?;
        stage().write(&format!("{dir}index.html"), &html, OutputKind::Web, None)?;
    }
    let units_without_report = without.len();
    stage().write_manifest(
        &dir,
        Manifest {
            tool: format!("mognad {}", env!("CARGO_PKG_VERSION")),
            failed: failed.clone(),
            organisation,
            year,
            language: lang.to_string(),
            report_date: date.to_string(),
            files: Vec::new(),
            units_without_report: without,
        },
    )?;
    Ok(OrganisationYear {
        reports,
        units_without_report,
        failed,
    })
}

/// The machine-readable tables of one organisation and year: file name,
/// kind and bytes.
fn tables(
    loaded: &Loaded,
    org: &Organisation,
    organisation: &str,
    texts: &Texts,
    year: i32,
) -> Result<Vec<(&'static str, OutputKind, Vec<u8>)>> {
    let (analysis, model, benchmarks) = (&org.analysis, &loaded.model, &loaded.benchmarks);
    let date = report_date(loaded, year);
    let mut indices = tables::indices(
        analysis,
        model,
        benchmarks,
        (&org.ranks, &org.peers),
        organisation,
        year,
    )?;
    let mut roles = tables::roles(analysis, model, benchmarks, organisation, year)?;
    let mut reliability = tables::reliability(analysis, model, organisation, year)?;
    let mut out = vec![
        (
            "indices.csv",
            OutputKind::Indices,
            tables::to_csv(&mut indices)?,
        ),
        (
            "indices.parquet",
            OutputKind::Indices,
            tables::to_parquet(&mut indices)?,
        ),
        (
            "indices.xlsx",
            OutputKind::Indices,
            tables::to_xlsx(&indices, model, texts, date)?,
        ),
        ("roles.csv", OutputKind::Roles, tables::to_csv(&mut roles)?),
        (
            "reliability.csv",
            OutputKind::Reliability,
            tables::to_csv(&mut reliability)?,
        ),
    ];
    if !org.peers.is_empty() {
        let mut peers = tables::peers(org, organisation, year)?;
        out.push((
            "peers.csv",
            OutputKind::Indices,
            tables::to_csv(&mut peers)?,
        ));
    }
    if !loaded.register.files.is_empty() {
        let register = loaded.register_of(org);
        let mut portfolio = tables::portfolio(&register, year)?;
        let mut summary = tables::portfolio_summary(analysis, year)?;
        out.push((
            "portfolio.csv",
            OutputKind::Portfolio,
            tables::to_csv(&mut portfolio)?,
        ));
        out.push((
            "portfolio-summary.csv",
            OutputKind::Portfolio,
            tables::to_csv(&mut summary)?,
        ));
        let mut review = tables::statement_review(analysis, year)?;
        out.push((
            "statement-review.csv",
            OutputKind::Portfolio,
            tables::to_csv(&mut review)?,
        ));
        let mut effects = tables::effects(analysis, year)?;
        out.push((
            "effects.csv",
            OutputKind::Portfolio,
            tables::to_csv(&mut effects)?,
        ));
    }
    Ok(out)
}

/// A report planned for rendering: what to render and where it goes.
struct PlannedReport {
    job: Job,
    file: String,
    kind: OutputKind,
    unit: Option<String>,
}

/// The organisation's reports to render (its own and every shown unit's),
/// and the units without a report with the reason.
fn plan_reports(
    loaded: &Loaded,
    ctx: &Context,
    names: &mut publish::FileNames,
    organisation: &str,
    year: i32,
) -> (Vec<PlannedReport>, Vec<UnitWithoutReport>) {
    let mut planned = Vec::new();
    if let Some(doc) = ctx.organisation_report() {
        planned.push(PlannedReport {
            job: Job {
                template: "organisation.typ",
                ident: format!("mognad/{organisation}/{year}"),
                doc,
            },
            file: names.organisation_report(organisation),
            kind: OutputKind::OrganisationReport,
            unit: None,
        });
    }
    let mut without = Vec::new();
    let analysis = ctx.analysis;
    for unit in analysis.units(year) {
        let name = unit.group.unit().unwrap_or_default().to_string();
        match ctx.unit_report(&name) {
            Some(doc) => planned.push(PlannedReport {
                job: Job {
                    template: "unit.typ",
                    ident: format!("mognad/{organisation}/{year}/{name}"),
                    doc,
                },
                file: names.unit_report(&name),
                kind: OutputKind::UnitReport,
                unit: Some(name),
            }),
            None => {
                let reason = match unit.suppression {
                    Some(Suppression::Secondary) => NoReportReason::SecondarySuppression,
                    _ => NoReportReason::BelowThreshold,
                };
                without.push(UnitWithoutReport {
                    recipients: loaded.recipients.of(Some(&name)),
                    unit: name,
                    reason,
                    detail: reason.detail(analysis.threshold),
                });
            }
        }
    }
    (planned, without)
}

/// The benchmarks one organisation's reports of `year` compare with: the
/// run's, or, when the organisation's total has a peer group large enough
/// that year and `[benchmark] population` names no other population (none,
/// or `peers`), that group's means, figure by figure and year by year
/// (only where the same group is large enough, so that the label names
/// what is drawn). The file's national figures stay in `indices.csv`'s
/// `benchmark`, the peers' in `peer_benchmark`.
fn benchmarks_of(loaded: &Loaded, org: &Organisation, year: i32) -> Option<Benchmarks> {
    let chosen = loaded.config.benchmark.population.as_deref();
    if chosen.is_some_and(|p| p != PEERS_POPULATION) {
        return None;
    }
    let total = org.peers.get(&(year, Level::Total, "total".to_string()))?;
    let group = default_peer(total)?.group.clone();
    let rows: Vec<BenchmarkRow> = org
        .peers
        .iter()
        .filter_map(|((year, level, key), figures)| {
            let peer = figures.iter().find(|f| f.group == group)?;
            Some(BenchmarkRow {
                year: *year,
                population: PEERS_POPULATION.to_string(),
                level: *level,
                key: key.clone(),
                index: peer.benchmark?,
                n: Some(peer.n),
                file: String::new(),
            })
        })
        .collect();
    let mut b = loaded.benchmarks.clone();
    b.rows.extend(rows);
    b.population = Some(PEERS_POPULATION.to_string());
    Some(b)
}

/// What an organisation's report context borrows that is made for it:
/// its peers' benchmarks (see [`benchmarks_of`]) and its register.
struct ContextInputs<'l> {
    peers: Option<Benchmarks>,
    register: std::borrow::Cow<'l, crate::portfolio::Register>,
}

impl<'l> ContextInputs<'l> {
    fn new(loaded: &'l Loaded, org: &Organisation, year: i32) -> Self {
        ContextInputs {
            peers: benchmarks_of(loaded, org, year),
            register: loaded.register_of(org),
        }
    }

    /// The report context of one organisation and year.
    fn context<'a>(
        &'a self,
        loaded: &'a Loaded,
        org: &'a Organisation,
        organisation: &'a str,
        texts: &'a Texts,
        year: i32,
    ) -> Context<'a> {
        Context {
            common: crate::report::Common {
                model: &loaded.model,
                analysis: &org.analysis,
                benchmarks: self.peers.as_ref().unwrap_or(&loaded.benchmarks),
                place: Some(crate::report::Place {
                    ranks: &org.ranks,
                    peers: &org.peers,
                }),
                thresholds: &loaded.config.thresholds,
                roles: &loaded.config.roles,
                benchmark_names: &loaded.config.benchmark,
                peers: &loaded.config.peers,
                texts,
                year,
            },
            organisation,
            files: &loaded.ingested.files,
            problems: &loaded.ingested.problems,
            inspiration: org.inspiration.get(&year).map(Vec::as_slice),
            register: &self.register,
            extent: loaded.extent(),
            accent: &loaded.config.branding.accent,
            population: &loaded.config.population,
            sections: &loaded.config.report.sections,
            date: report_date(loaded, year),
        }
    }
}

/// Every report of the first organisation for a year, as (template, report
/// model): what `run` renders. For benchmarks and tools.
pub fn documents(
    loaded: &Loaded,
    texts: &Texts,
    year: i32,
) -> Result<Vec<(&'static str, crate::report::ReportDoc)>> {
    let Some(slim) = loaded.organisations.first() else {
        return Ok(Vec::new());
    };
    let full = super::in_full(loaded, slim)?;
    let org = full.as_ref().unwrap_or(slim);
    let organisation = if org.name.is_empty() {
        texts.get("default_organisation")
    } else {
        org.name.clone()
    };
    let inputs = ContextInputs::new(loaded, org, year);
    let ctx = inputs.context(loaded, org, &organisation, texts, year);
    let mut docs: Vec<(&'static str, crate::report::ReportDoc)> = ctx
        .organisation_report()
        .map(|d| ("organisation.typ", d))
        .into_iter()
        .collect();
    for unit in org.analysis.units(year) {
        if let Some(d) = unit.group.unit().and_then(|u| ctx.unit_report(u)) {
            docs.push(("unit.typ", d));
        }
    }
    Ok(docs)
}
