//! The quadrant of capability and legacy that the type-and-trend section,
//! the units section and the overview draw: its frame, zoomed to the run's
//! common extent, and its points.

use serde::Serialize;

use crate::format;
use crate::report::Common;

/// A point of the quadrant chart (fractions of the axes, 0-1).
#[derive(Debug, Clone, Serialize)]
pub struct QuadrantPoint {
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub current: bool,
    /// The current point's 95 % confidence intervals on both axes, as
    /// fractions: x low, x high, y low, y high.
    pub ci: Option<[f64; 4]>,
    /// Where its label stands: "ne", "se", "nw" or "sw" of the point (with
    /// "2": a line further out), chosen by `labels::place_labels` so that
    /// no label covers another or a type's name, nor leaves the frame, and
    /// covers as few points as it can.
    pub anchor: &'static str,
}

/// The quadrant's frame: its axes, the boundaries between the types and
/// their names. The same in every quadrant of a run, for the axes span the
/// run's common extent.
#[derive(Debug, Clone, Serialize)]
pub struct QuadrantFrame {
    pub x_label: String,
    pub y_label: String,
    pub x_threshold: f64,
    pub y_threshold: f64,
    /// Bottom-left, bottom-right, top-left, top-right.
    pub names: [String; 4],
    /// The axis ends, formatted (the axes are zoomed to the data).
    pub x_range: [String; 2],
    pub y_range: [String; 2],
    /// The chart's side in points as the templates draw it; its labels
    /// are placed for that size.
    pub side: f64,
    /// The axis ends in index points.
    #[serde(skip)]
    x: (f64, f64),
    #[serde(skip)]
    y: (f64, f64),
}

impl QuadrantFrame {
    /// A frame with these type names (bottom-left, bottom-right, top-left,
    /// top-right) and thresholds, on axes 0-100: for tests.
    #[cfg(test)]
    pub(crate) fn named(names: [&str; 4], x_threshold: f64, y_threshold: f64) -> QuadrantFrame {
        QuadrantFrame {
            x_label: String::new(),
            y_label: String::new(),
            x_threshold,
            y_threshold,
            names: names.map(str::to_string),
            x_range: [String::new(), String::new()],
            y_range: [String::new(), String::new()],
            side: super::labels::QUADRANT_SIDE_PT,
            x: (0.0, 100.0),
            y: (0.0, 100.0),
        }
    }

    /// A point in index points as fractions of the axes.
    pub(crate) fn point(&self, (x, y): (f64, f64), label: String, current: bool) -> QuadrantPoint {
        QuadrantPoint {
            label,
            x: self.fx(x),
            y: self.fy(y),
            current,
            ci: None,
            anchor: "ne",
        }
    }

    pub(crate) fn fx(&self, v: f64) -> f64 {
        (v - self.x.0) / (self.x.1 - self.x.0)
    }

    pub(crate) fn fy(&self, v: f64) -> f64 {
        (v - self.y.0) / (self.y.1 - self.y.0)
    }
}

/// The quadrant's frame around `points` (index points) and the common
/// extent: at least 15 points either side of the threshold, 5 beyond the
/// data.
pub(crate) fn frame_around(
    model: &crate::model::Model,
    lang: crate::format::Lang,
    extent: crate::analyse::Extent,
    points: &[(f64, f64)],
) -> Option<QuadrantFrame> {
    let types = model.types.as_ref()?;
    let lc = lang.code();
    let (mut xs, mut ys): (Vec<f64>, Vec<f64>) = points.iter().copied().unzip();
    if let Some((lo, hi)) = extent.capability {
        xs.extend([lo, hi]);
    }
    if let Some((lo, hi)) = extent.legacy {
        ys.extend([lo, hi]);
    }
    let x = quadrant_axis(types.capability_threshold, &xs);
    let y = quadrant_axis(types.legacy_threshold, &ys);
    let pct = |v: f64| format::percent(v, 0, lang);
    let name = |code: &str| Some(model.dimension(code)?.name.get(lc).to_string());
    let mut frame = QuadrantFrame {
        x_label: name(&types.capability)?,
        y_label: name(&types.legacy)?,
        x_threshold: 0.0,
        y_threshold: 0.0,
        names: [
            &types.low_limiting,
            &types.high_limiting,
            &types.low_enabling,
            &types.high_enabling,
        ]
        .map(|t| t.name.get(lc).to_string()),
        x_range: [pct(x.0), pct(x.1)],
        y_range: [pct(y.0), pct(y.1)],
        side: super::labels::QUADRANT_SIDE_PT,
        x,
        y,
    };
    frame.x_threshold = frame.fx(types.capability_threshold);
    frame.y_threshold = frame.fy(types.legacy_threshold);
    Some(frame)
}

/// A quadrant axis zoomed to `values`: at least 15 points either side of
/// the threshold and 5 beyond the data, in steps of 5, within 0-100.
fn quadrant_axis(threshold: f64, values: &[f64]) -> (f64, f64) {
    let lo = values.iter().fold(threshold - 15.0, |a, v| a.min(v - 5.0));
    let hi = values.iter().fold(threshold + 15.0, |a, v| a.max(v + 5.0));
    (
        ((lo / 5.0).floor() * 5.0).max(0.0),
        ((hi / 5.0).ceil() * 5.0).min(100.0),
    )
}

impl Common<'_> {
    /// The quadrant's frame around `points` (index points) and the run's
    /// common extent: at least 15 points either side of the threshold, 5
    /// beyond the data.
    pub(crate) fn quadrant_frame(
        &self,
        points: &[(f64, f64)],
        extent: crate::analyse::Extent,
    ) -> Option<QuadrantFrame> {
        frame_around(self.model, self.lang(), extent, points)
    }
}
