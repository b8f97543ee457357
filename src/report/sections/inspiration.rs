//! Inspiration from peers (organisation reports of a multi-organisation
//! input with an organisations file): for each of the two weakest
//! categories, initiatives of peers in the group's top third there that
//! share their initiatives.

use serde::Serialize;

use super::Scope;
use crate::format;
use crate::portfolio::{Initiative, Status};
use crate::report::{Common, Context};

/// The section's data.
#[derive(Debug, Clone, Serialize)]
pub struct InspirationSection {
    pub intro: String,
    pub categories: Vec<InspirationCategory>,
}

/// One weak category and what leading peers do there.
#[derive(Debug, Clone, Serialize)]
pub struct InspirationCategory {
    pub heading: String,
    /// How many peers lead and share; why there is no table when there is
    /// none.
    pub summary: String,
    pub rows: Vec<IdeaRow>,
}

/// One peer's initiative.
#[derive(Debug, Clone, Serialize)]
pub struct IdeaRow {
    pub organisation: String,
    pub name: String,
    pub status: String,
    /// The poles the initiative leans to on the three axes.
    pub direction: String,
    /// The peer's index in the category.
    pub index: String,
    /// Its lead over the organisation.
    pub lead: String,
}

/// The section's entry in [`super::SECTIONS`].
pub(crate) struct Entry;

impl super::Section for Entry {
    fn name(&self) -> &'static str {
        "inspiration"
    }

    fn template(&self) -> &'static str {
        include_str!("../../../report-templates/sections/inspiration.typ")
    }

    fn build(&self, cx: &Context, s: &Scope) -> Option<serde_json::Value> {
        super::data(cx.common.inspiration_section(s, cx.inspiration)?)
    }
}

impl Common<'_> {
    /// The section; `None` in unit reports and without peer figures.
    pub(crate) fn inspiration_section(
        &self,
        s: &Scope,
        inspiration: Option<&[crate::organisations::inspiration::Inspiration]>,
    ) -> Option<InspirationSection> {
        if s.org.is_some() {
            return None;
        }
        let list = inspiration?;
        let first = list.first()?;
        let (t, lang) = (self.texts, self.lang());
        // the group in the report's words (the organisation's own peer
        // group, which the inspiration draws on)
        let (group, value) = match self.total_peer() {
            Some(p) if (&p.group, &p.value) == (&first.group.0, &first.group.1) => {
                (self.peer_group_name(p), self.peer_value_name(p))
            }
            _ => first.group.clone(),
        };
        let intro = t.fill("inspiration_intro", &[("group", &group), ("value", &value)]);
        let categories = list
            .iter()
            .map(|c| {
                let name = self
                    .model
                    .category(&c.category)
                    .map(|x| x.name.get(lang.code()).to_string())
                    .unwrap_or_else(|| c.category.clone());
                let summary = match (c.leaders, c.sharing, c.ideas.is_empty()) {
                    (0, _, _) => t.get("inspiration_no_leaders"),
                    (_, sharing, no_ideas) => {
                        let mut text = t.fill(
                            "inspiration_summary",
                            &[
                                ("leaders", &format::count(c.leaders, lang)),
                                ("n", &format::count(c.n, lang)),
                                ("sharing", &format::count(c.sharing, lang)),
                            ],
                        );
                        if sharing > 0 && no_ideas {
                            text.push(' ');
                            text.push_str(
                                &t.fill("inspiration_none", &[("year", &self.year.to_string())]),
                            );
                        }
                        text
                    }
                };
                InspirationCategory {
                    heading: t.fill(
                        "inspiration_heading",
                        &[
                            ("category", &name),
                            ("index", &format::percent(c.index, 1, lang)),
                        ],
                    ),
                    summary,
                    rows: c
                        .ideas
                        .iter()
                        .map(|i| IdeaRow {
                            organisation: i.organisation.clone(),
                            name: i.initiative.name.clone(),
                            status: t.get(match i.initiative.status {
                                Status::Completed => "inspiration_completed",
                                Status::Ongoing => "inspiration_ongoing",
                                Status::Planned => "inspiration_planned",
                                // never in a year's portfolio
                                Status::Proposed => "inspiration_proposed",
                            }),
                            direction: self.direction(&i.initiative),
                            index: format::percent(i.index, 1, lang),
                            lead: format::points(i.lead, 1, lang),
                        })
                        .collect(),
                }
            })
            .collect();
        Some(InspirationSection { intro, categories })
    }

    /// The poles an initiative leans to ("Innovation · Strategiskt"); the
    /// middle and empty axes are left out.
    fn direction(&self, i: &Initiative) -> String {
        let poles: Vec<String> = i
            .axes
            .iter()
            .zip(crate::report::AXIS_POLES)
            .filter_map(|(v, (low, high))| match v {
                Some(v) if *v < 0.0 => Some(self.texts.get(low)),
                Some(v) if *v > 0.0 => Some(self.texts.get(high)),
                _ => None,
            })
            .collect();
        if poles.is_empty() {
            "–".into()
        } else {
            poles.join(" · ")
        }
    }
}
