//! The year-level files of a multi-organisation run, beside the
//! organisations' folders: the national overview (`overview.pdf`,
//! `overview.csv`), the open-data package (`open-data/`) and, with the web
//! edition, `overview.html` and the year's `index.html`. They are
//! computed from every organisation's figures, which every shard of a
//! sharded run holds, so each shard writes the same files and `merge`
//! takes them over once it has checked that the shards agree.

use super::{report_date, Loaded};
use crate::error::Result;
use crate::lang::Texts;
use crate::overview;
use crate::publish::{OutputKind, Staging};
use crate::render::Renderer;
use crate::report::overview::{self as overview_doc, OverviewContext};
use crate::report::web;
use crate::tables;

/// Writes the year's overview and open-data package into the staging
/// folder (nothing with a single organisation), and with the web edition
/// the year's `index.html` of the organisations.
pub(super) fn write_year_files(
    loaded: &Loaded,
    renderer: &Renderer,
    texts: &Texts,
    year: i32,
    staging: &mut Staging,
) -> Result<()> {
    let config = &loaded.config;
    let Some(figures) = overview::compute(
        &loaded.organisations,
        &loaded.model,
        &loaded.directory,
        &loaded.register,
        (
            year,
            config.report.anonymity_threshold,
            config.overview.target,
        ),
        config.peers.min_size,
    ) else {
        return write_year_index(loaded, renderer, texts, year, staging, false);
    };
    let mut csv = tables::overview(&figures, &loaded.model, config.overview.names)?;
    staging.write(
        "overview.csv",
        &tables::to_csv(&mut csv)?,
        OutputKind::Overview,
        None,
    )?;
    let files = tables::open_data::package(
        &figures,
        &loaded.organisations,
        &loaded.model,
        config.open_data.budgets,
    )?;
    for (name, bytes) in files {
        staging.write(
            &format!("open-data/{name}"),
            &bytes,
            OutputKind::OpenData,
            None,
        )?;
    }
    let doc = OverviewContext {
        model: &loaded.model,
        texts,
        date: report_date(loaded, year),
        accent: &config.branding.accent,
        names: config.overview.names,
        peers: &config.peers,
    }
    .doc(&figures);
    let report = renderer.render("overview.typ", &doc, &format!("mognad/overview/{year}"))?;
    staging.write_report(
        overview_doc::FILE,
        &report,
        OutputKind::Overview,
        None,
        texts.lang.code(),
        Vec::new(),
    )?;
    write_year_index(loaded, renderer, texts, year, staging, true)
}

/// The web edition's index of the year folder: the overview, if written,
/// and every organisation with a report for the year (one shown for the
/// year: the same in every shard of a sharded run, so that `merge` finds
/// them equal).
fn write_year_index(
    loaded: &Loaded,
    renderer: &Renderer,
    texts: &Texts,
    year: i32,
    staging: &mut Staging,
    overview: bool,
) -> Result<()> {
    if !renderer.has_web() {
        return Ok(());
    }
    let mut organisations: Vec<(&str, &str)> = loaded
        .organisations
        .iter()
        .filter(|o| o.analysis.organisation(year).is_some_and(|g| g.shown()))
        .filter_map(|o| Some((o.name.as_str(), o.folder.as_deref()?)))
        .collect();
    organisations.sort();
    let accent = &loaded.config.branding.accent;
    let date = report_date(loaded, year);
    let doc = web::year_index(texts, (date, accent, year), overview, &organisations);
    let html = renderer.render_html("index.typ", &doc)?;
    staging.write("index.html", &html, OutputKind::Web, None)
}
