//! The roles as a heat map, and (organisation report) the perception gap
//! between leadership and the other respondents per category.

use serde::Serialize;

use super::units::UnitRow;
use super::Scope;
use crate::analyse::Gap;
use crate::format;
use crate::report::{Common, Context, Delta};

/// The section's data.
#[derive(Debug, Clone, Serialize)]
pub struct RolesSection {
    /// Headers of the table: total, dimensions, categories.
    pub unit_columns: Vec<String>,
    /// The group itself, then its shown roles.
    pub roles: Vec<UnitRow>,
    pub roles_intro: String,
    /// The roles not shown, named in one sentence (no table row of
    /// dashes); `None` when every role is shown.
    pub hidden: Option<String>,
    /// Organisation report: leadership against the others.
    pub gaps: Vec<GapRow>,
    pub gaps_intro: String,
}

/// A perception gap row: one category, both sides and the difference.
#[derive(Debug, Clone, Serialize)]
pub struct GapRow {
    pub name: String,
    pub leadership: String,
    pub others: String,
    pub gap: Delta,
    /// The gap on a -1..1 bar (±20 points at the ends).
    pub frac: f64,
}

/// The section's entry in [`super::SECTIONS`].
pub(crate) struct Entry;

impl super::Section for Entry {
    fn name(&self) -> &'static str {
        "roles"
    }

    fn template(&self) -> &'static str {
        include_str!("../../../report-templates/sections/roles.typ")
    }

    fn build(&self, cx: &Context, s: &Scope) -> Option<serde_json::Value> {
        super::data(cx.common.roles(s))
    }
}

impl Common<'_> {
    /// Every role of the group (of the unit, in a unit report).
    pub(crate) fn roles(&self, s: &Scope) -> RolesSection {
        // the group itself first: the roles' colours compare with it
        let mut roles: Vec<UnitRow> = vec![self.reference_row(s.g)];
        match s.g.group.unit() {
            None => roles.extend(
                self.analysis
                    .roles(self.year)
                    .map(|g| self.unit_row(g, s.g)),
            ),
            Some(unit) => roles.extend(
                self.analysis
                    .roles_in(self.year, unit)
                    .map(|g| self.unit_row(g, s.g)),
            ),
        };
        // the reference row keeps its name; roles by their display names
        for r in roles.iter_mut().skip(1) {
            r.name = self.roles.display_name(&r.name, self.lang().code());
        }
        let threshold = self.analysis.threshold.to_string();
        let hidden_names: Vec<&str> = roles
            .iter()
            .filter(|r| r.suppressed)
            .map(|r| r.name.as_str())
            .collect();
        let hidden = (!hidden_names.is_empty()).then(|| {
            self.texts.fill(
                "roles_hidden",
                &[
                    ("threshold", &threshold),
                    ("roles", &hidden_names.join(", ")),
                ],
            )
        });
        roles.retain(|r| !r.suppressed);
        // no role shown: the note is all the section says of them
        let (roles_intro, hidden) = match hidden {
            Some(note) if roles.len() <= 1 => (note, None),
            hidden => (self.texts.get("roles_intro"), hidden),
        };
        let (gaps, gaps_intro) = match s.g.group.unit() {
            Some(_) => (Vec::new(), String::new()),
            None => match self.leadership_gaps() {
                Some(gaps) => (self.gap_rows(&gaps), self.gaps_intro(&gaps)),
                None => (
                    Vec::new(),
                    self.texts.fill("gaps_hidden", &[("threshold", &threshold)]),
                ),
            },
        };
        RolesSection {
            unit_columns: self.unit_columns(),
            roles,
            roles_intro,
            hidden,
            gaps,
            gaps_intro,
        }
    }

    /// Leadership against the others per category, for the year; `None`
    /// when either side is below the anonymity threshold.
    pub(crate) fn leadership_gaps(&self) -> Option<Vec<Gap>> {
        let is_leader = |r: &str| self.roles.leadership.matches(r);
        self.analysis
            .perception_gap(self.year, self.model, &is_leader)
    }

    fn gap_rows(&self, gaps: &[Gap]) -> Vec<GapRow> {
        let lc = self.lang().code();
        gaps.iter()
            .map(|g| GapRow {
                name: self
                    .model
                    .category(&g.key)
                    .map(|c| c.name.get(lc).to_string())
                    .unwrap_or_default(),
                leadership: format::percent(g.a.mean, 1, self.lang()),
                others: format::percent(g.b.mean, 1, self.lang()),
                gap: Delta {
                    text: format::points_between(g.a.mean, g.b.mean, 1, self.lang()),
                    significant: g.significant == Some(true),
                },
                frac: (g.diff / 20.0).clamp(-1.0, 1.0),
            })
            .collect()
    }

    fn gaps_intro(&self, gaps: &[Gap]) -> String {
        let higher = Gap::verdict(gaps).higher_significant;
        let is_leader = |r: &str| self.roles.leadership.matches(r);
        let roles = self.analysis.gap_sides(self.year, &is_leader)[0]
            .iter()
            .map(|r| {
                self.roles
                    .display_name(r, self.lang().code())
                    .to_lowercase()
            })
            .collect::<Vec<_>>()
            .join(", ");
        self.texts.fill(
            "gaps_intro",
            &[
                ("higher", &higher.to_string()),
                ("all", &gaps.len().to_string()),
                ("roles", &roles),
            ],
        )
    }
}
