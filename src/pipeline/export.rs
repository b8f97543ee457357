//! What `mognad templates export` writes: the templates, and with an input
//! folder the data of its organisation report, first unit report and first
//! brief beside them, so that a designer can preview them with typst alone.
//! The scale benchmark compiles the same data with typst alone.

use std::path::Path;

use serde::Serialize;

use super::{brief_documents, documents, load, BriefOptions, Loaded, Options};
use crate::error::{exit, Error, IoContext, Result};

/// The files to export, as (path relative to the export folder, bytes).
pub fn template_files(input: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files: Vec<(String, Vec<u8>)> = crate::render::templates()
        .into_iter()
        .map(|(name, text)| (name, text.as_bytes().to_vec()))
        .chain([(
            crate::render::WEB_STYLE_FILE.to_string(),
            crate::render::BUILTIN_STYLE.as_bytes().to_vec(),
        )])
        .collect();
    if !input.is_dir() {
        return Ok(files);
    }
    let opts = Options {
        input: input.to_path_buf(),
        ..Options::default()
    };
    let loaded = load(&opts)?;
    let lang = crate::format::Lang::parse(&loaded.config.report.language)
        .unwrap_or(crate::format::Lang::Sv);
    let texts = crate::lang::Texts::new(lang);
    let year = loaded.years().last().copied().unwrap_or_default();
    let docs = documents(&loaded, &texts, year)?;
    let logo = logo_file(&loaded)?;
    if let Some((name, bytes)) = &logo {
        files.push((name.to_string(), bytes.clone()));
    }
    let logo = logo.map(|(name, _)| name);
    for (template, file) in [
        ("organisation.typ", "organisation.json"),
        ("unit.typ", "unit.json"),
    ] {
        if let Some((_, doc)) = docs.iter().find(|(t, _)| *t == template) {
            files.push((file.to_string(), report_data(doc, logo)?));
        }
    }
    // the first proposal's brief, when the register holds proposals
    let brief = BriefOptions {
        run: opts,
        date: loaded.config.report.date,
        ..BriefOptions::default()
    };
    let briefs = match brief_documents(&brief) {
        Ok((_, jobs)) => jobs,
        // no register, or no proposal in it: no brief to export
        Err(e) if e.exit_code() == exit::INPUT => Vec::new(),
        Err(e) => return Err(e),
    };
    if let Some((_, job)) = briefs.first() {
        files.push(("brief.json".to_string(), report_data(&job.doc, logo)?));
    }
    Ok(files)
}

/// The configured logo, as the templates read it (`logo.svg` or
/// `logo.png`) and its bytes; `None` without one.
pub fn logo_file(loaded: &Loaded) -> Result<Option<(&'static str, Vec<u8>)>> {
    let Some(logo) = &loaded.config.branding.logo else {
        return Ok(None);
    };
    let path = loaded.config.asset(logo, "branding.logo")?;
    let bytes = std::fs::read(&path).at(&path)?;
    let svg = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    Ok(Some((if svg { "logo.svg" } else { "logo.png" }, bytes)))
}

/// A report's data as the templates read it without mognad
/// (`report-data` in `lib.typ`): `{"report": ..., "logo": ...}`, pretty,
/// with a final newline.
pub fn report_data(doc: &impl Serialize, logo: Option<&str>) -> Result<Vec<u8>> {
    let data = serde_json::json!({ "report": doc, "logo": logo });
    let mut json = serde_json::to_vec_pretty(&data)
        .map_err(|e| Error::internal("writing the report data", e))?;
    json.push(b'\n');
    Ok(json)
}
