//! The web edition's index pages: the reports of a folder as links, for
//! the intranet. An organisation's folder lists its organisation report
//! and every unit report; a multi-organisation year folder lists the
//! organisations and the national overview. Rendered by `index.typ`.

use chrono::NaiveDate;
use serde::Serialize;

use super::{DocHeader, Printable};
use crate::lang::Texts;

/// One index page.
#[derive(Debug, Clone, Serialize)]
pub struct IndexDoc {
    /// Kind "index".
    #[serde(flatten)]
    pub header: DocHeader,
    /// The lists of links, each under its heading.
    pub groups: Vec<IndexGroup>,
}

impl Printable for IndexDoc {
    fn header(&self) -> &DocHeader {
        &self.header
    }
}

/// A heading and its links (or, with none, its lines of text).
#[derive(Debug, Clone, Serialize)]
pub struct IndexGroup {
    pub heading: String,
    pub links: Vec<IndexLink>,
    /// Plain lines (units without a report, and why).
    pub lines: Vec<String>,
}

/// A link to a page of the web edition, and to its PDF when it has one.
#[derive(Debug, Clone, Serialize)]
pub struct IndexLink {
    pub label: String,
    /// Relative to the index page.
    pub href: String,
    pub pdf: Option<String>,
    /// What the PDF link says to a screen reader ("PDF: <label>").
    pub pdf_label: Option<String>,
}

impl IndexLink {
    /// A report: its web page and its PDF, both given by the PDF's path.
    pub fn report(texts: &Texts, label: &str, pdf: &str) -> IndexLink {
        IndexLink {
            label: label.to_string(),
            href: crate::format::web_name(pdf),
            pdf: Some(pdf.to_string()),
            pdf_label: Some(texts.fill("web_pdf_of", &[("name", label)])),
        }
    }
}

/// What both kinds of index share: the header of a page dated `date`.
fn header(texts: &Texts, date: NaiveDate, accent: &str, year: i32) -> DocHeader {
    let mut h = DocHeader::dated("index", texts, date, accent);
    h.headline = texts.fill("report_title", &[("year", &year.to_string())]);
    h.subtitle = texts.get("web_index_subtitle");
    h
}

/// The index of an organisation's folder: its own report (when it has
/// one), its units' reports, and its units without a report with the
/// reason. `reports` are (unit, PDF path relative to the folder) in the
/// reports' order, the organisation's own with no unit.
pub fn organisation_index(
    texts: &Texts,
    (date, accent, year): (NaiveDate, &str, i32),
    organisation: &str,
    reports: &[(Option<&str>, &str)],
    without: &[(String, String)],
) -> IndexDoc {
    let mut h = header(texts, date, accent, year);
    h.organisation = organisation.to_string();
    h.title = format!("{} – {}", h.headline, crate::format::isolate(organisation));
    let mut own = Vec::new();
    let mut units = Vec::new();
    for (unit, pdf) in reports {
        match unit {
            None => own.push(IndexLink::report(texts, organisation, pdf)),
            Some(u) => units.push(IndexLink::report(texts, u, pdf)),
        }
    }
    let mut groups = Vec::new();
    if !own.is_empty() {
        groups.push(group(texts.get("web_organisation_report"), own));
    }
    if !units.is_empty() {
        groups.push(group(texts.get("web_unit_reports"), units));
    }
    if !without.is_empty() {
        groups.push(IndexGroup {
            heading: texts.get("web_units_without"),
            links: Vec::new(),
            lines: without
                .iter()
                .map(|(u, why)| format!("{}: {why}", crate::format::isolate(u)))
                .collect(),
        });
    }
    IndexDoc { header: h, groups }
}

/// The index of a multi-organisation year folder: the national overview
/// (when there is one) and every organisation's index, as (name, folder).
pub fn year_index(
    texts: &Texts,
    (date, accent, year): (NaiveDate, &str, i32),
    overview: bool,
    organisations: &[(&str, &str)],
) -> IndexDoc {
    let mut h = header(texts, date, accent, year);
    h.organisation = texts.get("web_all_organisations");
    h.title = format!("{} – {}", h.headline, h.organisation);
    let mut groups = Vec::new();
    if overview {
        let label = texts.fill("overview_title", &[("year", &year.to_string())]);
        groups.push(group(
            texts.get("web_overview"),
            vec![IndexLink::report(texts, &label, super::overview::FILE)],
        ));
    }
    let links = organisations
        .iter()
        .map(|(name, folder)| IndexLink {
            label: name.to_string(),
            href: format!("{folder}/index.html"),
            pdf: None,
            pdf_label: None,
        })
        .collect();
    groups.push(group(texts.get("web_organisations"), links));
    IndexDoc { header: h, groups }
}

fn group(heading: String, links: Vec<IndexLink>) -> IndexGroup {
    IndexGroup {
        heading,
        links,
        lines: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Lang;

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 31).unwrap()
    }

    #[test]
    fn an_organisation_lists_its_report_then_its_units() {
        let texts = Texts::new(Lang::Sv);
        let doc = organisation_index(
            &texts,
            (date(), "#0b4f8a", 2025),
            "Exempelby kommun",
            &[(None, "rapport.pdf"), (Some("Skola"), "enheter/skola.pdf")],
            &[("IT".into(), "färre än 5 svarande".into())],
        );
        assert_eq!(doc.header.title, "Digital mognad 2025 – Exempelby kommun");
        assert_eq!(doc.groups.len(), 3);
        assert_eq!(doc.groups[0].links[0].href, "rapport.html");
        assert_eq!(doc.groups[0].links[0].pdf.as_deref(), Some("rapport.pdf"));
        assert_eq!(doc.groups[1].links[0].label, "Skola");
        assert_eq!(doc.groups[1].links[0].href, "enheter/skola.html");
        assert_eq!(
            doc.groups[1].links[0].pdf_label.as_deref(),
            Some("PDF: Skola")
        );
        assert_eq!(doc.groups[2].lines, ["IT: färre än 5 svarande"]);
    }

    #[test]
    fn a_year_lists_the_overview_then_the_organisations() {
        let texts = Texts::new(Lang::En);
        let doc = year_index(
            &texts,
            (date(), "#0b4f8a", 2025),
            true,
            &[("A kommun", "a-kommun"), ("B region", "b-region")],
        );
        assert_eq!(doc.groups[0].links[0].href, "overview.html");
        assert_eq!(doc.groups[0].links[0].label, "National overview 2025");
        let orgs: Vec<&str> = doc.groups[1]
            .links
            .iter()
            .map(|l| l.href.as_str())
            .collect();
        assert_eq!(orgs, ["a-kommun/index.html", "b-region/index.html"]);
        assert!(doc.groups[1].links[0].pdf.is_none());
    }
}
