//! The extent of the figures the charts draw, so that every report of a
//! run can share its axes.

use super::{Analysis, Level};
use crate::model::Model;

/// The spread of the figures the charts draw, over every shown group (the
/// organisation, units) and year: the maturity-type quadrant's two axes
/// and the trend's scale. A run draws every report's charts on the union
/// of its organisations' extents, so that reports compare side by side.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Extent {
    /// The lowest and highest capability index (the model's types).
    pub capability: Option<(f64, f64)>,
    /// The same for legacy.
    pub legacy: Option<(f64, f64)>,
    /// The lowest and highest total or dimension index.
    pub trend: Option<(f64, f64)>,
}

impl Extent {
    pub(super) fn widen(range: &mut Option<(f64, f64)>, v: f64) {
        *range = Some(match *range {
            None => (v, v),
            Some((lo, hi)) => (lo.min(v), hi.max(v)),
        });
    }

    /// Both extents together.
    pub fn union(mut self, other: Extent) -> Extent {
        for (mine, theirs) in [
            (&mut self.capability, other.capability),
            (&mut self.legacy, other.legacy),
            (&mut self.trend, other.trend),
        ] {
            if let Some((lo, hi)) = theirs {
                Self::widen(mine, lo);
                Self::widen(mine, hi);
            }
        }
        self
    }
}

impl Analysis {
    /// The extent of the figures of the organisation and every shown unit,
    /// all years (the charts draw no role).
    pub fn extent(&self, model: &Model) -> Extent {
        let mut e = Extent::default();
        let drawn = self
            .groups
            .values()
            .filter(|g| g.shown() && g.group.is_organisation_or_unit());
        for g in drawn {
            if let Some(types) = &model.types {
                if let Some(v) = g.index(Level::Dimension, &types.capability) {
                    Extent::widen(&mut e.capability, v);
                }
                if let Some(v) = g.index(Level::Dimension, &types.legacy) {
                    Extent::widen(&mut e.legacy, v);
                }
            }
            let dims = model
                .dimensions
                .iter()
                .map(|d| g.index(Level::Dimension, &d.code));
            for v in std::iter::once(g.total.index).chain(dims).flatten() {
                Extent::widen(&mut e.trend, v);
            }
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extents_join() {
        let a = Extent {
            capability: Some((40.0, 55.0)),
            legacy: None,
            trend: Some((30.0, 60.0)),
        };
        let b = Extent {
            capability: Some((35.0, 50.0)),
            legacy: Some((45.0, 70.0)),
            trend: None,
        };
        assert_eq!(
            a.union(b),
            Extent {
                capability: Some((35.0, 55.0)),
                legacy: Some((45.0, 70.0)),
                trend: Some((30.0, 60.0)),
            }
        );
    }
}
