//! The maturity profile: every dimension and category with its confidence
//! interval, previous year, benchmark and (unit reports) the organisation.

use serde::Serialize;

use super::Scope;
use crate::analyse::Level;
use crate::report::{Common, Context, Delta, Value};

/// The section's data.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileSection {
    pub profile_intro: String,
    pub profile: Vec<ProfileRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileRow {
    /// "dimension" or "category".
    pub level: &'static str,
    pub code: String,
    pub name: String,
    pub value: Value,
    pub previous: Option<Value>,
    pub change: Option<Delta>,
    /// Unit report: the organisation's figure.
    pub organisation: Option<Value>,
    pub benchmark: Option<Value>,
}

/// The section's entry in [`super::SECTIONS`].
pub(crate) struct Entry;

impl super::Section for Entry {
    fn name(&self) -> &'static str {
        "profile"
    }

    fn template(&self) -> &'static str {
        include_str!("../../../report-templates/sections/profile.typ")
    }

    fn build(&self, cx: &Context, s: &Scope) -> Option<serde_json::Value> {
        super::data(cx.common.profile(s))
    }
}

impl Common<'_> {
    /// The profile of the group.
    pub(crate) fn profile(&self, s: &Scope) -> ProfileSection {
        let (g, prev, org) = (s.g, s.prev, s.org);
        let t = self.texts;
        let lc = self.lang().code();
        let year = self.year.to_string();
        let prev_index = |level: Level, key: &str| prev.and_then(|p| p.index(level, key));
        let row = |level: Level, code: &str, name: String| ProfileRow {
            level: if level == Level::Dimension {
                "dimension"
            } else {
                "category"
            },
            code: code.to_string(),
            name,
            value: self.figure(g, level, code),
            previous: prev.map(|_| self.value(prev_index(level, code))),
            change: self.delta(g, level, code),
            organisation: org.map(|o| self.value(o.index(level, code))),
            benchmark: self.benchmark(level, code),
        };
        let mut profile = Vec::new();
        for d in &self.model.dimensions {
            profile.push(row(Level::Dimension, &d.code, d.name.get(lc).to_string()));
            for c in self.model.categories_of(&d.code) {
                profile.push(row(Level::Category, &c.code, c.name.get(lc).to_string()));
            }
        }
        let profile_intro = match (org.is_some(), prev.map(|p| p.year)) {
            (true, _) => t.fill("profile_intro_unit", &[("year", &year)]),
            (_, Some(p)) => t.fill(
                "profile_intro",
                &[("year", &year), ("previous", &p.to_string())],
            ),
            (_, None) => t.fill("profile_intro_no_previous", &[("year", &year)]),
        };
        ProfileSection {
            profile_intro,
            profile,
        }
    }
}
