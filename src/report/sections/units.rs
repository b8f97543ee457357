//! The units as a heat map: total, dimensions and categories per unit,
//! hidden units marked (organisation report).

use serde::Serialize;

use super::quadrant::{QuadrantFrame, QuadrantPoint};
use super::Scope;
use crate::analyse::Suppression;
use crate::analyse::{GroupResult, Level};
use crate::format;
use crate::report::{Common, Context, Delta, Value};

/// The section's data.
#[derive(Debug, Clone, Serialize)]
pub struct UnitsSection {
    /// Headers of the table: total, dimensions, categories.
    pub unit_columns: Vec<String>,
    pub units: Vec<UnitRow>,
    pub units_intro: String,
    /// Whether the table has a change column (any unit has a change).
    pub has_change: bool,
    /// Every unit shown on one maturity-type quadrant.
    pub quadrant: Option<UnitsQuadrant>,
}

/// The units shown on one quadrant, with the organisation, and the units
/// listed by type (the list, not the chart, names them: 40 labels would
/// cover each other).
#[derive(Debug, Clone, Serialize)]
pub struct UnitsQuadrant {
    #[serde(flatten)]
    pub frame: QuadrantFrame,
    pub points: Vec<QuadrantPoint>,
    pub organisation: Option<QuadrantPoint>,
    /// The most mature type first: its name with the count, and its units.
    pub by_type: Vec<TypeUnits>,
    /// Where the units lie too close to be numbered: where to read each
    /// one's place (the table's two dimension columns).
    pub unnumbered: Option<String>,
    pub alt: String,
}

/// The units of one maturity type.
#[derive(Debug, Clone, Serialize)]
pub struct TypeUnits {
    pub name: String,
    pub units: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitRow {
    pub name: String,
    pub respondents: String,
    pub suppressed: bool,
    pub note: String,
    /// The reference row (the whole organisation, or the unit of a unit
    /// report's roles) that the colours compare with.
    pub reference: bool,
    /// The total's change since the group's previous shown year.
    pub change: Option<Delta>,
    /// Total, then the dimensions, then the categories (see `unit_columns`).
    pub cells: Vec<Value>,
    /// Each cell's difference from the reference row, in printed points
    /// (the cell's colour: above or below, and how far).
    pub diffs: Vec<Option<f64>>,
}

/// The section's entry in [`super::SECTIONS`].
pub(crate) struct Entry;

impl super::Section for Entry {
    fn name(&self) -> &'static str {
        "units"
    }

    fn template(&self) -> &'static str {
        include_str!("../../../report-templates/sections/units.typ")
    }

    fn build(&self, cx: &Context, s: &Scope) -> Option<serde_json::Value> {
        super::data(cx.common.units(s, cx.extent)?)
    }
}

impl Common<'_> {
    /// Every unit of the year (organisation report only).
    pub(crate) fn units(&self, s: &Scope, extent: crate::analyse::Extent) -> Option<UnitsSection> {
        if s.org.is_some() {
            return None;
        }
        let threshold = self.analysis.threshold.to_string();
        // the organisation first, as the reference; then the units shown,
        // highest total first; then the hidden ones
        let mut units: Vec<&GroupResult> = self.analysis.units(self.year).collect();
        units.sort_by(|a, b| {
            b.shown()
                .cmp(&a.shown())
                .then(
                    b.total
                        .index
                        .unwrap_or(0.0)
                        .total_cmp(&a.total.index.unwrap_or(0.0)),
                )
                .then(a.group.cmp(&b.group))
        });
        let with_change = |mut row: UnitRow, g: &GroupResult| {
            if g.shown() {
                row.change = self.delta(g, Level::Total, "total");
            }
            row
        };
        let quadrant = self.units_quadrant(s.g, &units, extent);
        let mut rows = vec![with_change(self.reference_row(s.g), s.g)];
        rows.extend(
            units
                .into_iter()
                .map(|u| with_change(self.unit_row(u, s.g), u)),
        );
        Some(UnitsSection {
            unit_columns: self.unit_columns(),
            has_change: rows.iter().any(|r| r.change.is_some()),
            units: rows,
            units_intro: self.texts.fill("units_intro", &[("threshold", &threshold)]),
            quadrant,
        })
    }

    /// The shown units (highest total first) on one quadrant.
    fn units_quadrant(
        &self,
        org: &GroupResult,
        units: &[&GroupResult],
        extent: crate::analyse::Extent,
    ) -> Option<UnitsQuadrant> {
        let types = self.model.types.as_ref()?;
        let lc = self.lang().code();
        let placed: Vec<(&GroupResult, (f64, f64))> = units
            .iter()
            .filter(|u| u.shown())
            .filter_map(|u| self.quadrant_xy(u).map(|p| (*u, p)))
            .collect();
        if placed.is_empty() {
            return None;
        }
        let org_now = self.quadrant_xy(org);
        let all: Vec<(f64, f64)> = placed.iter().map(|(_, p)| *p).chain(org_now).collect();
        let frame = self.quadrant_frame(&all, extent)?;
        let kinds = [
            &types.high_enabling,
            &types.low_enabling,
            &types.high_limiting,
            &types.low_limiting,
        ];
        // each unit numbered on the chart, in the order of the list beside
        // it (the most mature type first), so that a crowd of points can
        // be read; when the numbers cannot be placed clear of each other
        // (a tight cluster), the chart shows dots and the list names
        let of_kind = |kind: &crate::model::TypeText| -> Vec<(&GroupResult, (f64, f64))> {
            placed
                .iter()
                .filter(|(_, (x, y))| std::ptr::eq(types.classify(*x, *y), kind))
                .copied()
                .collect()
        };
        let numbered: Vec<(&GroupResult, (f64, f64))> =
            kinds.iter().flat_map(|k| of_kind(k)).collect();
        let mut points: Vec<QuadrantPoint> = numbered
            .iter()
            .enumerate()
            .map(|(k, (_, p))| frame.point(*p, (k + 1).to_string(), false))
            .collect();
        let mut organisation =
            org_now.map(|p| frame.point(p, self.texts.get("organisation_short"), false));
        let numbers = number_units(&mut points, &mut organisation, &frame);
        let mut k = 0;
        let by_type: Vec<TypeUnits> = kinds
            .iter()
            .filter_map(|kind| {
                // a unit whose interval spans a boundary is marked, as its
                // own report says its type is uncertain
                let names: Vec<String> = of_kind(kind)
                    .iter()
                    .filter_map(|(u, _)| {
                        let name = u.group.unit()?;
                        k += 1;
                        let mut text = match numbers {
                            true => format!("{k} {name}"),
                            false => name.to_string(),
                        };
                        if !self.boundary_crossings(u).is_empty() {
                            text.push_str(&format!(" ({})", self.texts.get("near_boundary_mark")));
                        }
                        Some(text)
                    })
                    .collect();
                (!names.is_empty()).then(|| TypeUnits {
                    name: format!("{} ({})", kind.name.get(lc), names.len()),
                    units: names.join(", "),
                })
            })
            .collect();
        let alt = self.texts.fill(
            "alt_units_quadrant",
            &[
                ("n", &placed.len().to_string()),
                ("x", &frame.x_label),
                ("y", &frame.y_label),
                (
                    "types",
                    &by_type
                        .iter()
                        .map(|t| t.name.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ],
        );
        let unnumbered = (!numbers).then(|| {
            self.texts.fill(
                "units_quadrant_unnumbered",
                &[
                    ("x", &crate::format::lower_first(&frame.x_label)),
                    ("y", &crate::format::lower_first(&frame.y_label)),
                ],
            )
        });
        Some(UnitsQuadrant {
            points,
            organisation,
            by_type,
            unnumbered,
            alt,
            frame,
        })
    }

    /// The heat map's column headers: total, dimensions, categories.
    pub(crate) fn unit_columns(&self) -> Vec<String> {
        let lc = self.lang().code();
        std::iter::once(self.texts.get("total_short"))
            .chain(
                self.model
                    .dimensions
                    .iter()
                    .map(|d| d.name.get(lc).to_string()),
            )
            .chain(
                self.model
                    .categories
                    .iter()
                    .map(|c| c.name.get(lc).to_string()),
            )
            .collect()
    }

    /// The row of the group the others are compared with.
    pub(crate) fn reference_row(&self, reference: &GroupResult) -> UnitRow {
        let mut row = self.unit_row(reference, reference);
        row.name = match reference.group.name() {
            None => self.texts.get("organisation_total"),
            Some(u) => u.to_string(),
        };
        row.reference = true;
        row.diffs = vec![None; row.cells.len()];
        row
    }

    /// A unit's or role's row, its cells compared with `reference`.
    pub(crate) fn unit_row(&self, u: &GroupResult, reference: &GroupResult) -> UnitRow {
        let t = self.texts;
        let hidden = |_: Option<f64>| Value {
            text: t.get("suppressed"),
            frac: None,
            ci: None,
        };
        let cell = |v: Option<f64>| if u.shown() { self.value(v) } else { hidden(v) };
        UnitRow {
            name: u.group.name().unwrap_or_default().to_string(),
            respondents: if u.shown() {
                format::count(u.respondents, self.lang())
            } else {
                t.get("suppressed")
            },
            suppressed: !u.shown(),
            note: u.suppression.map_or_else(String::new, |s| {
                crate::report::hidden_because(
                    t,
                    s == Suppression::Secondary,
                    self.analysis.threshold,
                )
            }),
            reference: false,
            change: None,
            cells: self.columns(u).into_iter().map(cell).collect(),
            diffs: self
                .columns(u)
                .into_iter()
                .zip(self.columns(reference))
                .map(|(a, b)| {
                    let shown = |v: f64| format::displayed(v, 1);
                    u.shown().then_some(())?;
                    Some(shown(a?) - shown(b?))
                })
                .collect(),
        }
    }

    /// A group's figures in the order of [`Self::unit_columns`].
    fn columns(&self, g: &GroupResult) -> Vec<Option<f64>> {
        std::iter::once(g.total.index)
            .chain(
                self.model
                    .dimensions
                    .iter()
                    .map(|d| g.index(Level::Dimension, &d.code)),
            )
            .chain(
                self.model
                    .categories
                    .iter()
                    .map(|c| g.index(Level::Category, &c.code)),
            )
            .collect()
    }
}

/// Numbers the units' points where each number can be read beside its dot
/// (a number may touch a neighbour's dot, on its white ground); the
/// organisation's label, placed first, does not decide for them. Too tight
/// for numbers: dots, and the organisation's label placed again among
/// them. Whether the units are numbered.
fn number_units(
    points: &mut [QuadrantPoint],
    organisation: &mut Option<QuadrantPoint>,
    frame: &QuadrantFrame,
) -> bool {
    use super::labels::place_labels;
    let mut labelled: Vec<&mut QuadrantPoint> = organisation.iter_mut().collect();
    let first = labelled.len();
    labelled.extend(points.iter_mut());
    let laid = place_labels(&mut labelled, &[], frame);
    let numbers = laid.readable.iter().skip(first).all(|r| *r);
    if !numbers {
        points.iter_mut().for_each(|p| p.label.clear());
        let dots: Vec<(f64, f64)> = points.iter().map(|p| (p.x, p.y)).collect();
        let mut alone: Vec<&mut QuadrantPoint> = organisation.iter_mut().collect();
        place_labels(&mut alone, &dots, frame);
    }
    numbers
}
