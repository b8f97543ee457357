//! The web edition (`mognad run --html`): beside every PDF an HTML file
//! with the same headings, generated sentences and figures; an index per
//! folder; every file in the manifest; byte-identical on a rerun. Its
//! accessibility is checked in a real browser by tools/web-check/check.sh.

use std::path::{Path, PathBuf};

use crate::common::*;

/// The text a reader of the page gets: the body without the charts'
/// drawings (glyphs as paths, not text) but with their text alternatives
/// (what a screen reader reads), tags removed, entities decoded, one space
/// between words.
fn html_words(html: &str) -> String {
    let mut s = html.to_string();
    while let (Some(a), Some(b)) = (s.find("<svg"), s.find("</svg>")) {
        s.replace_range(a..b + "</svg>".len(), " ");
    }
    if let Some(body) = s.find("<body") {
        s = s[body..].to_string();
    }
    let mut text = String::new();
    let mut tag: Option<String> = None;
    for c in s.chars() {
        match (c, &mut tag) {
            ('<', None) => tag = Some(String::new()),
            ('>', Some(t)) => {
                if let Some(i) = t.find("aria-label=\"") {
                    let label = &t[i + "aria-label=\"".len()..];
                    text.push(' ');
                    text.push_str(&label[..label.find('"').unwrap_or(label.len())]);
                }
                text.push(' ');
                tag = None;
            }
            (_, Some(t)) => t.push(c),
            (_, None) => text.push(c),
        }
    }
    words(&decode(&text))
}

/// One space between words; a no-break space is a space.
fn words(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn decode(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').unwrap_or(0);
        let entity = &tail[1..end.max(1)];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "nbsp" => Some(' '),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match (c, end) {
            (Some(c), e) if e > 0 => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The page's headings below its title (`<h2>`, `<h3>`), in order.
fn html_headings(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<h") {
        let tail = &rest[i..];
        let level = tail.as_bytes().get(2).copied();
        if matches!(level, Some(b'2') | Some(b'3')) {
            let open = tail.find('>').unwrap();
            let close = tail.find("</h").unwrap();
            out.push(html_words(&tail[open + 1..close]));
            rest = &tail[close..];
        } else {
            rest = &tail[2..];
        }
    }
    out
}

/// The PDF's headings: its outline (bookmarks), in order.
fn pdf_headings(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).unwrap();
    doc.get_toc()
        .unwrap()
        .toc
        .into_iter()
        .map(|t| words(&t.title))
        .collect()
}

fn html_of(pdf: &Path) -> PathBuf {
    pdf.with_extension("html")
}

/// Every string the model prints as a figure: each `text` of a value that
/// has a `frac` (an index), each change's `text`.
fn figures(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(serde_json::Value::String(t)) = m.get("text") {
                if m.contains_key("frac") || m.contains_key("significant") {
                    out.push(t.clone());
                }
            }
            m.values().for_each(|x| figures(x, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| figures(x, out)),
        _ => {}
    }
}

/// The sentences the analysis writes: the conclusion, the actions, the
/// recommendations and the portfolio's findings.
fn sentences(report: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    for s in report["sections"].as_array().unwrap() {
        let d = &s["data"];
        for key in ["conclusion", "actions", "recommendations"] {
            for x in d[key].as_array().into_iter().flatten() {
                out.push(x.as_str().unwrap().to_string());
            }
        }
        for x in d["portfolio"]["findings"].as_array().into_iter().flatten() {
            out.push(x.as_str().unwrap().to_string());
        }
    }
    out
}

#[test]
fn the_web_edition_says_what_the_pdf_says() {
    let input = input_sample();
    let (_tmp, out) = run_ok(&input, &["--html"]);
    let year = out.join("2025");
    let (org, unit) = exported_reports(&input);
    let unit_name = unit["unit"].as_str().unwrap();
    let org_pdf = first_pdf(&year);
    let unit_pdf = std::fs::read_dir(year.join("enheter"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf") && pdf_words(p).contains(unit_name))
        .expect("the exported unit's PDF");
    for (pdf, model, back) in [
        (org_pdf, &org, "index.html"),
        (unit_pdf, &unit, "../index.html"),
    ] {
        let html = std::fs::read_to_string(html_of(&pdf)).unwrap();
        let (web, print) = (html_words(&html), words(&pdf_words(&pdf)));
        let name = pdf.display();
        // the same sections, in the same order
        let headings = pdf_headings(&pdf);
        assert!(headings.len() >= 8, "{name}: {headings:?}");
        assert_eq!(html_headings(&html), headings, "{name}");
        // the same generated sentences
        let said = sentences(model);
        assert!(said.len() >= 3, "{name}: {said:?}");
        for s in &said {
            let s = words(s);
            assert!(web.contains(&s), "{name}: the web edition lacks {s:?}");
            assert!(print.contains(&s), "{name}: the PDF lacks {s:?}");
        }
        // the same figures: every figure of the model that the PDF prints
        // (some, like a trend's middle years, are only in a chart's text
        // alternative) is on the web page too
        let mut figs = Vec::new();
        figures(model, &mut figs);
        let printed: Vec<String> = figs
            .iter()
            .map(|f| words(f))
            .filter(|f| print.contains(f.as_str()))
            .collect();
        assert!(
            printed.len() >= 50,
            "{name}: {} of {}",
            printed.len(),
            figs.len()
        );
        for f in &printed {
            assert!(
                web.contains(f.as_str()),
                "{name}: the web edition lacks the figure {f:?}"
            );
        }
        // a page of its own: language, title, no scripts, nothing fetched
        let lang = model["lang"].as_str().unwrap();
        assert!(html.starts_with(&format!("<!DOCTYPE html><html lang=\"{lang}\">")));
        assert!(html.contains("<title>"), "{name}");
        assert!(!html.contains("<script"), "{name}");
        // and a policy that lets the browser fetch nothing, whatever a
        // template or style sheet says
        assert!(
            html.contains("<head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:\">"),
            "{name}: no content security policy first in the head"
        );
        for fetch in ["src=\"http", "href=\"http", "url(http", "@import"] {
            assert!(!html.contains(fetch), "{name}: {fetch}");
        }
        assert!(html.contains("@font-face"), "{name}: fonts inline");
        assert!(html.contains("@media print"), "{name}: a print style");
        // data tables with header cells, each captioned by its heading
        let tables = html.matches("<table>").count();
        assert!(tables >= 5, "{name}: {tables} tables");
        assert!(html.matches("<th>").count() >= tables * 3, "{name}");
        let captions: Vec<String> = html
            .split("<figcaption>")
            .skip(1)
            .map(|c| html_words(&c[..c.find("</figcaption>").unwrap()]))
            .collect();
        assert!(captions.len() >= tables - 1, "{name}: {captions:?}");
        for c in &captions {
            assert!(headings.contains(c), "{name}: caption {c:?} is no heading");
        }
        // a way back to the folder's index
        assert!(html.contains(&format!("<a href=\"{back}\">")), "{name}");
        // the heat maps keep their colours (the units' in the organisation's)
        if model["kind"] == "organisation" {
            assert!(
                html.contains("class=\"fill\" style=\"background-color: #"),
                "{name}"
            );
        }
        // every chart with a text alternative
        let charts = html.matches("role=\"img\" aria-label=\"").count();
        assert!(charts >= 3, "{name}: {charts} labelled charts");
        // and every picture with a size: one laid out in an unbounded
        // width would be drawn, but take no room in its table cell
        assert!(
            !html.contains("<svg style=\"overflow: visible; width: 0em"),
            "{name}: a picture of no width"
        );
    }
}

#[test]
fn every_web_page_is_listed_indexed_and_the_same_on_a_rerun() {
    let input = input_sample();
    let (_a, first) = run_ok(&input, &["--html"]);
    let (_b, again) = run_ok(&input, &["--html"]);
    let year = first.join("2025");
    let files = snapshot(&year);
    let pages: Vec<&String> = files.keys().filter(|p| p.ends_with(".html")).collect();
    let pdfs = files.keys().filter(|p| p.ends_with(".pdf")).count();
    // one page per PDF, and the folder's index
    assert_eq!(pages.len(), pdfs + 1, "{pages:?}");
    for p in files.keys().filter(|p| p.ends_with(".pdf")) {
        assert!(files.contains_key(&p.replace(".pdf", ".html")), "{p}");
    }
    // the manifest lists each with its checksum
    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    for page in &pages {
        let entry = manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == page.as_str())
            .unwrap_or_else(|| panic!("{page} is not in the manifest"));
        assert_eq!(entry["kind"], "web");
        assert_eq!(
            entry["sha256"],
            sha256_hex(&files[*page]).as_str(),
            "{page}"
        );
    }
    // the index links every report's page and PDF, and they exist
    let index = String::from_utf8(files["index.html"].clone()).unwrap();
    for p in files.keys().filter(|p| p.ends_with(".pdf")) {
        assert!(index.contains(&format!("href=\"{p}\"")), "{p}");
        assert!(
            index.contains(&format!("href=\"{}\"", p.replace(".pdf", ".html"))),
            "{p}"
        );
    }
    // the units without a report are named, with the reason in Swedish
    assert!(
        html_words(&index).contains("färre än 5 svarande"),
        "{index}"
    );
    // byte-identical on a rerun
    let second = snapshot(&again.join("2025"));
    for page in &pages {
        assert!(files[*page] == second[*page], "{page} differs on a rerun");
    }
    // without --html (and the config's default formats) no page is written
    let (_c, plain) = run_ok(&input, &[]);
    assert!(!snapshot(&plain.join("2025"))
        .keys()
        .any(|p| p.ends_with(".html")));
}

#[test]
fn a_multi_organisation_year_indexes_its_organisations_and_the_overview() {
    let (_tmp, out) = run_ok(&fixture("multi"), &["--html"]);
    let year = out.join("2025");
    let index = std::fs::read_to_string(year.join("index.html")).unwrap();
    assert!(index.contains("href=\"overview.html\""), "{index}");
    assert!(year.join("overview.html").is_file());
    let listed: serde_json::Value =
        serde_json::from_slice(&std::fs::read(year.join("index.json")).unwrap()).unwrap();
    let orgs = listed["organisations"].as_array().unwrap();
    assert!(orgs.len() >= 2);
    for o in orgs {
        let folder = o["folder"].as_str().unwrap();
        assert!(
            index.contains(&format!("href=\"{folder}/index.html\"")),
            "{folder}"
        );
        assert!(year.join(folder).join("index.html").is_file(), "{folder}");
    }
    // the year's own pages are listed with their checksums
    for page in ["index.html", "overview.html"] {
        let entry = listed["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == page)
            .unwrap_or_else(|| panic!("{page} is not in index.json"));
        let bytes = std::fs::read(year.join(page)).unwrap();
        assert_eq!(entry["sha256"], sha256_hex(&bytes).as_str());
    }
}

#[test]
fn the_config_can_ask_for_the_web_edition_but_not_drop_the_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_tree(&input_sample(), &input);
    let config = input.join("mognad.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let with = text.replace("[report]", "[report]\nformats = [\"pdf\", \"html\"]");
    assert_ne!(with, text, "the sample's config has a [report] table");
    std::fs::write(&config, &with).unwrap();
    let (_a, out) = run_ok(&input, &[]);
    assert!(out.join("2025/index.html").is_file());
    std::fs::write(
        &config,
        text.replace("[report]", "[report]\nformats = [\"html\"]"),
    )
    .unwrap();
    let o = mognad(["run"])
        .input(&input)
        .args(["--output", "out"])
        .dir(tmp.path())
        .run();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("report.formats must hold \"pdf\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_web_edition_that_fails_leaves_its_pdf_and_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_tree(&input_sample(), &input);
    // templates whose web edition fails (every report centres something)
    let o = mognad(["templates", "export", "report-templates"])
        .dir(tmp.path())
        .run();
    assert!(o.status.success(), "{}", stderr(&o));
    let lib = tmp.path().join("report-templates/lib.typ");
    let text = std::fs::read_to_string(&lib).unwrap();
    let broken = text.replace(
        "#let centred(body) = context if target() == \"html\" { body }",
        "#let centred(body) = context if target() == \"html\" { panic(\"web broken\") }",
    );
    assert_ne!(broken, text);
    std::fs::write(&lib, broken).unwrap();
    let o = mognad(["run", "--html", "--input", "input", "--output", "out"])
        .dir(tmp.path())
        .run();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let year = tmp.path().join("out/2025");
    let files = snapshot(&year);
    let pdfs: Vec<&String> = files.keys().filter(|p| p.ends_with(".pdf")).collect();
    assert!(pdfs.len() >= 5, "{pdfs:?}");
    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let failed = manifest["failed"].as_array().unwrap();
    assert_eq!(failed.len(), pdfs.len(), "{failed:?}");
    for f in failed {
        let reason = f["reason"].as_str().unwrap();
        assert!(
            reason.starts_with("web edition: ") && reason.contains("web broken"),
            "{reason}"
        );
    }
    // every PDF is written and listed; no page of a failed edition, and
    // the index links none
    let listed: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    for pdf in &pdfs {
        assert!(!files.contains_key(&pdf.replace(".pdf", ".html")), "{pdf}");
        assert!(listed.contains(&pdf.as_str()), "{pdf}");
    }
    let index = String::from_utf8(files["index.html"].clone()).unwrap();
    assert!(!index.contains(".pdf\""), "{index}");
}
