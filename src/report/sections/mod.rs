//! The sections a report may hold, one file each. A section owns its data
//! (a serde struct the template of the same name lays out) and a builder
//! that reads the analysis, never another section's formatted output.
//! Which sections a report holds, and in what order, is data:
//! `[report.sections]` in mognad.toml.
//!
//! Adding a section: a file here with its struct and builder, a variant of
//! [`Section`] and [`SectionId`], a Typst file in
//! `report-templates/sections/` and a line in `report-templates/sections.typ`,
//! and its texts in `src/defaults/lang/*.toml` (see ARCHITECTURE.md).

use serde::Serialize;

use crate::analyse::GroupResult;
use crate::report::Context;

pub mod conclusion;
pub mod inspiration;
pub mod key_figures;
pub mod method;
pub mod portfolio;
pub mod profile;
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
}

/// One section as the templates receive it: `{"id": ..., "data": {...}}`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "id", content = "data", rename_all = "snake_case")]
pub enum Section {
    KeyFigures(key_figures::KeyFiguresSection),
    Conclusion(conclusion::ConclusionSection),
    Profile(profile::ProfileSection),
    TypeAndTrend(type_trend::TypeAndTrendSection),
    Statements(statements::StatementsSection),
    Units(units::UnitsSection),
    Roles(roles::RolesSection),
    Portfolio(portfolio::PortfolioSection),
    Inspiration(inspiration::InspirationSection),
    Recommendations(recommendations::RecommendationsSection),
    Method(method::MethodSection),
}

/// The sections by the names `[report.sections]` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionId {
    KeyFigures,
    Conclusion,
    Profile,
    TypeAndTrend,
    Statements,
    Units,
    Roles,
    Portfolio,
    Inspiration,
    Recommendations,
    Method,
}

impl SectionId {
    /// Every section, by name.
    pub const ALL: [(&'static str, SectionId); 11] = [
        ("key_figures", SectionId::KeyFigures),
        ("conclusion", SectionId::Conclusion),
        ("profile", SectionId::Profile),
        ("type_and_trend", SectionId::TypeAndTrend),
        ("statements", SectionId::Statements),
        ("units", SectionId::Units),
        ("roles", SectionId::Roles),
        ("portfolio", SectionId::Portfolio),
        ("inspiration", SectionId::Inspiration),
        ("recommendations", SectionId::Recommendations),
        ("method", SectionId::Method),
    ];

    /// The section a name in `[report.sections]` names.
    pub fn parse(name: &str) -> Option<SectionId> {
        Self::ALL
            .iter()
            .find(|(n, _)| *n == name.trim())
            .map(|(_, id)| *id)
    }

    /// Checks a list of section names; the error names the first unknown
    /// one and lists the known ones.
    pub fn check(names: &[String]) -> Result<(), String> {
        match names.iter().find(|n| Self::parse(n).is_none()) {
            None => Ok(()),
            Some(bad) => Err(format!(
                "\"{bad}\" is not a section; the sections are {}",
                Self::ALL.map(|(n, _)| n).join(", ")
            )),
        }
    }
}

impl Context<'_> {
    /// The section `id` for the report's group; `None` when it has nothing
    /// to show (no register, no recommendation, the units of a unit report).
    pub(crate) fn section(&self, id: SectionId, s: &Scope) -> Option<Section> {
        Some(match id {
            SectionId::KeyFigures => Section::KeyFigures(self.key_figures(s)),
            SectionId::Conclusion => Section::Conclusion(self.conclusion(s)),
            SectionId::Profile => Section::Profile(self.profile(s)),
            SectionId::TypeAndTrend => Section::TypeAndTrend(self.type_and_trend(s)?),
            SectionId::Statements => Section::Statements(self.statements(s)),
            SectionId::Units => Section::Units(self.units(s)?),
            SectionId::Roles => Section::Roles(self.roles(s)),
            SectionId::Portfolio => Section::Portfolio(self.portfolio_section(s)?),
            SectionId::Inspiration => Section::Inspiration(self.inspiration_section(s)?),
            SectionId::Recommendations => Section::Recommendations(self.recommendations(s)?),
            SectionId::Method => Section::Method(self.method(s)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_names_are_checked() {
        let ok: Vec<String> = SectionId::ALL.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(SectionId::check(&ok), Ok(()));
        let err = SectionId::check(&["profile".into(), "profil".into()]).unwrap_err();
        assert!(err.starts_with("\"profil\" is not a section"), "{err}");
        assert!(err.contains("key_figures"), "{err}");
        // the built-in config lists only known sections
        let config = crate::config::Config::builtin();
        assert_eq!(
            SectionId::check(&config.report.sections.organisation),
            Ok(())
        );
        assert_eq!(SectionId::check(&config.report.sections.unit), Ok(()));
    }
}
