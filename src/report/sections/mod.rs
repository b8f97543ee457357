//! The sections a report may hold, one file each. A section owns its data
//! (a serde struct its template lays out) and a builder that reads the
//! analysis, never another section's formatted output. The builder is a
//! method of [`Common`], what every section may read; any other source
//! (the register, the files read, the chart extent) it takes as an
//! argument, so that what a section reads is in its signature. Each is a value of
//! a type that implements [`Section`], listed once in [`SECTIONS`]: its
//! name there is the name `[report.sections]` uses, the `id` the report
//! model gives it and the name of its template, `sections/<name>.typ`.
//! Which sections a report holds, and in what order, is data:
//! `[report.sections]` in mognad.toml.
//!
//! Adding a section: a file here with its data, its builder and its
//! `impl Section`, a line in [`SECTIONS`], its template in
//! `report-templates/sections/`, and its texts in `src/defaults/lang/*.toml`
//! (see ARCHITECTURE.md).

use serde::Serialize;

use crate::analyse::GroupResult;
#[cfg(doc)]
use crate::report::Common;
use crate::report::Context;

pub mod conclusion;
pub mod inspiration;
pub mod key_figures;
mod labels;
pub mod method;
pub mod portfolio;
pub mod profile;
pub(crate) mod quadrant;
pub mod recommendations;
pub mod roles;
pub mod statements;
pub mod type_trend;
pub mod units;

/// What a report is about: its group, the group's previous shown year and,
/// in a unit report, the whole organisation.
pub struct Scope<'g> {
    pub g: &'g GroupResult,
    pub prev: Option<&'g GroupResult>,
    /// `Some` in a unit report.
    pub org: Option<&'g GroupResult>,
    /// The report's one ranked list of what to do (see
    /// `recommendations.toml`), decided once: the key figures page prints
    /// its head, the recommendations section all of it.
    pub actions: Vec<String>,
}

/// One section: its name, its template and its builder.
pub(crate) trait Section: Sync {
    /// The name `[report.sections]` and the report model use, e.g.
    /// "key_figures"; its template is `sections/key-figures.typ` and lays
    /// it out with the function `key-figures-section`.
    fn name(&self) -> &'static str;

    /// Its template's built-in text.
    fn template(&self) -> &'static str;

    /// The section's data for the report's group, for its template; `None`
    /// when it has nothing to show (no register, no recommendation, the
    /// units of a unit report). One line: the section's builder on
    /// `cx.common` with the sources it reads, e.g.
    /// `cx.common.statements(s, cx.files)`.
    fn build(&self, cx: &Context, s: &Scope) -> Option<serde_json::Value>;
}

/// Every section, in the order of the built-in reports.
pub(crate) static SECTIONS: &[&dyn Section] = &[
    &key_figures::Entry,
    &conclusion::Entry,
    &profile::Entry,
    &type_trend::Entry,
    &statements::Entry,
    &units::Entry,
    &roles::Entry,
    &portfolio::Entry,
    &inspiration::Entry,
    &recommendations::Entry,
    &method::Entry,
];

/// The section of that name.
pub(crate) fn named(name: &str) -> Option<&'static dyn Section> {
    SECTIONS.iter().copied().find(|s| s.name() == name.trim())
}

/// A section's template's file name and the function that lays it out:
/// `sections/key-figures.typ`, `key-figures-section`.
pub(crate) fn template_names(section: &dyn Section) -> (String, String) {
    let stem = section.name().replace('_', "-");
    (format!("sections/{stem}.typ"), format!("{stem}-section"))
}

/// A section's data as its template receives it.
pub(crate) fn data(section: impl Serialize) -> Option<serde_json::Value> {
    // a report model that does not serialise is a bug, never the input's
    serde_json::to_value(section).ok()
}

/// One section as the templates receive it: `{"id": ..., "data": {...}}`.
#[derive(Debug, Clone, Serialize)]
pub struct SectionData {
    /// The section's name.
    pub id: &'static str,
    /// What its builder made of the analysis.
    pub data: serde_json::Value,
}

/// Checks a list of section names; the error names the first unknown one
/// and lists the known ones.
pub fn check(names: &[String]) -> Result<(), String> {
    match names.iter().find(|n| named(n).is_none()) {
        None => Ok(()),
        Some(bad) => Err(format!(
            "\"{bad}\" is not a section; the sections are {}",
            SECTIONS
                .iter()
                .map(|s| s.name())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The template that lays out every section by its id: an import of each
/// section's template and a dictionary from name to function, made from
/// [`SECTIONS`] (`report-templates/sections.typ` when exported).
pub(crate) fn dispatch_template() -> String {
    let mut text = String::from(
        "// mognad: the sections a report may hold, by the id the report model gives\n\
         // each (`[report.sections]` in mognad.toml orders them). Made from the\n\
         // list of sections in src/report/sections/mod.rs; a section's layout is in\n\
         // its own file in sections/.\n",
    );
    for s in SECTIONS {
        let (file, function) = template_names(*s);
        text.push_str(&format!("#import \"{file}\": {function}\n"));
    }
    text.push_str("\n#let sections = (\n");
    for s in SECTIONS {
        let (_, function) = template_names(*s);
        text.push_str(&format!("  {}: {function},\n", s.name()));
    }
    text.push_str(
        ")\n\n// Every section of the report, in order.\n\
         #let report-sections(r) = {\n  for s in r.sections {\n    (sections.at(s.id))(r, s.data)\n  }\n}\n",
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_names_are_checked() {
        let ok: Vec<String> = SECTIONS.iter().map(|s| s.name().to_string()).collect();
        assert_eq!(check(&ok), Ok(()));
        let err = check(&["profile".into(), "profil".into()]).unwrap_err();
        assert!(err.starts_with("\"profil\" is not a section"), "{err}");
        assert!(err.contains("key_figures"), "{err}");
        // the built-in config lists only known sections
        let config = crate::config::Config::builtin();
        assert_eq!(check(&config.report.sections.organisation), Ok(()));
        assert_eq!(check(&config.report.sections.unit), Ok(()));
    }

    #[test]
    fn every_section_has_a_template_with_its_function() {
        let mut names = std::collections::BTreeSet::new();
        for s in SECTIONS {
            assert!(names.insert(s.name()), "{} twice", s.name());
            let (_, function) = template_names(*s);
            assert!(
                s.template().contains(&format!("#let {function}(r, s)")),
                "{}: no {function}(r, s)",
                s.name()
            );
        }
        let dispatch = dispatch_template();
        assert!(dispatch.contains("#import \"sections/key-figures.typ\": key-figures-section"));
        assert!(dispatch.contains("  type_and_trend: type-and-trend-section,"));
    }
}
