//! Chart labels placed from the points' laid-out positions: each label
//! beside its point on the side where it covers no other label and no
//! point and stays within the chart's frame. The quadrant charts (a
//! group's path through the maturity types, the units' types) and the
//! initiative map's numbers use it.

use super::quadrant::{QuadrantFrame, QuadrantPoint};

/// The quadrant chart's side in the reports (the frame's `side`, which the
/// templates draw), and its labels' type size: the placement reckons with
/// them.
pub(crate) const QUADRANT_SIDE_PT: f64 = 5.6 / 2.54 * 72.0;
const LABEL_PT: f64 = 6.5;

/// A label's box in fractions of the chart, y upwards: x0, y0, x1, y1.
type LabelBox = [f64; 4];

/// The width of `text` in `LABEL_PT` type as a fraction of a chart of
/// `side` points: a character reckoned at 0.6 em, wider than the average,
/// so that the estimate errs on the safe side.
fn text_width(text: &str, side: f64) -> f64 {
    text.chars().count() as f64 * 0.6 * LABEL_PT / side
}

/// A label to place: its point (fractions of the chart), its text, and its
/// distance from the point in points (the template's `anchored` `gap`).
struct Label<'a> {
    at: (f64, f64),
    text: &'a str,
    gap: f64,
}

/// The distance of a quadrant label from its point, in points.
const GAP_PT: f64 = 5.0;

/// The box of `label` at `anchor` on a chart of `side` points (see
/// [`text_width`]), the label `gap` from the point sideways and half that
/// up or down.
fn label_box(label: &Label, anchor: &str, side: f64) -> LabelBox {
    let (x, y) = label.at;
    let w = text_width(label.text, side);
    let h = 1.2 * LABEL_PT / side;
    let gap = label.gap / side;
    let (x0, x1) = if anchor.contains('w') {
        (x - gap - w, x - gap)
    } else {
        (x + gap, x + gap + w)
    };
    // "2": one line further from the point
    let further = if anchor.ends_with('2') { h } else { 0.0 };
    let (y0, y1) = if anchor.starts_with('s') {
        (y - gap / 2.0 - h - further, y - gap / 2.0 - further)
    } else {
        (y + gap / 2.0 + further, y + gap / 2.0 + h + further)
    };
    [x0, y0, x1, y1]
}

fn overlap(a: &LabelBox, b: &LabelBox) -> f64 {
    let w = (a[2].min(b[2]) - a[0].max(b[0])).max(0.0);
    let h = (a[3].min(b[3]) - a[1].max(b[1])).max(0.0);
    w * h
}

/// The labels as laid out: each one's box, whether every label is clear
/// (within the frame, on no other label, no name and no point) and
/// whether each can be read (clear but for points), in order.
pub(crate) struct Placed {
    /// Each label's box (the tests check them; the reports need only
    /// the flags and the anchors).
    #[cfg_attr(not(test), allow(dead_code))]
    pub boxes: Vec<LabelBox>,
    #[cfg_attr(not(test), allow(dead_code))]
    pub clear: bool,
    pub readable: Vec<bool>,
}

/// Chooses each label's anchor, in order, on the chart of `frame.side`
/// points: of ne, se, nw, sw (and the same one line further out) the one
/// whose box stays within the frame and covers no earlier label, no
/// type's name in the frame's corners and no point (a point is a box of
/// its marker's size; `dots` are points without a label), or failing
/// that covers least; among equals, the first that keeps 2 pt from the
/// earlier labels. Deterministic.
pub(crate) fn place_labels(
    points: &mut [&mut QuadrantPoint],
    dots: &[(f64, f64)],
    frame: &QuadrantFrame,
) -> Placed {
    let side = frame.side;
    let r = 4.0 / side;
    let markers: Vec<LabelBox> = points
        .iter()
        .map(|p| (p.x, p.y))
        .chain(dots.iter().copied())
        .map(|(x, y)| [x - r, y - r, x + r, y + r])
        .collect();
    let labels: Vec<Label> = points
        .iter()
        .map(|p| Label {
            at: (p.x, p.y),
            text: p.label.as_str(),
            gap: GAP_PT,
        })
        .collect();
    let names = name_boxes(frame);
    let (anchors, placed) = place(&labels, &markers, &names, side, 1.0);
    for (p, a) in points.iter_mut().zip(anchors) {
        p.anchor = a;
    }
    placed
}

/// Where the frame's four type names stand (the template's
/// `quadrant-frame`): each in its quadrant's left corner at the frame's
/// top or bottom edge, 4 pt in and 3 pt from the edge, wrapped to the
/// quadrant's width less 8 pt, at most two lines of 6.5 pt type; in
/// fractions of the chart, y upwards.
fn name_boxes(frame: &QuadrantFrame) -> Vec<LabelBox> {
    let side = frame.side;
    let tx = frame.x_threshold.clamp(0.0, 1.0);
    let line = 1.2 * LABEL_PT / side;
    let (inset, edge) = (4.0 / side, 3.0 / side);
    // bottom-left, bottom-right, top-left, top-right
    let quadrants = [
        (0.0, tx, false),
        (tx, 1.0, false),
        (0.0, tx, true),
        (tx, 1.0, true),
    ];
    frame
        .names
        .iter()
        .zip(quadrants)
        .map(|(name, (x0, x1, top))| {
            let room = (x1 - x0 - 2.0 * inset).max(1.0 / 2.54 * 72.0 / side);
            let width = text_width(name, side);
            let lines = (width / room).ceil().clamp(1.0, 2.0);
            let (y0, y1) = match top {
                true => (1.0 - edge - lines * line, 1.0 - edge),
                false => (edge, edge + lines * line),
            };
            [x0 + inset, y0, x0 + inset + width.min(room), y1]
        })
        .collect()
}

/// The initiative map's numbers (the points with a label): each just off
/// its own marker (1 pt beyond its radius), where it covers no other
/// number and stays within the map, and covers as few markers as it can (a
/// crowded map has no clear place; the numbers stand on a white ground).
/// `side`: the map's inner side in points, which the points' fractions
/// span.
pub(crate) fn place_numbers(points: &mut [super::portfolio::ScatterPoint], side: f64) -> Placed {
    let markers: Vec<LabelBox> = points
        .iter()
        .map(|p| {
            let r = p.r / side;
            [p.x - r, p.y - r, p.x + r, p.y + r]
        })
        .collect();
    let numbered: Vec<usize> = (0..points.len())
        .filter(|&k| points[k].label.is_some())
        .collect();
    let labels: Vec<Label> = numbered
        .iter()
        .map(|&k| Label {
            at: (points[k].x, points[k].y),
            text: points[k].label.as_deref().unwrap_or(""),
            gap: points[k].r + 1.0,
        })
        .collect();
    let (anchors, placed) = place(&labels, &markers, &[], side, 10.0);
    for (k, a) in numbered.into_iter().zip(anchors) {
        points[k].anchor = a;
    }
    placed
}

/// Each label's anchor in order, costed by how far its box leaves the
/// frame (tenfold), how much of the earlier labels and the `names` it
/// covers (weighed by `label_weight`) and how much of the `markers`; among
/// equal costs, by how much of the 2 pt around earlier labels it takes.
fn place(
    labels: &[Label],
    markers: &[LabelBox],
    names: &[LabelBox],
    side: f64,
    label_weight: f64,
) -> (Vec<&'static str>, Placed) {
    let mut placed: Vec<LabelBox> = Vec::new();
    let mut anchors = Vec::new();
    let (mut clear, mut readable) = (true, Vec::new());
    // the space a label prefers to keep around earlier ones, so that two
    // labels do not read as one ("Hela organisationen 3")
    let space = 2.0 / side;
    for label in labels {
        // what keeps a label from being read: off the frame, on another
        // label or on a name
        let unreadable = |b: &LabelBox| -> f64 {
            let outside = (0.0 - b[0]).max(0.0)
                + (b[2] - 1.0).max(0.0)
                + (0.0 - b[1]).max(0.0)
                + (b[3] - 1.0).max(0.0);
            let on_labels: f64 = placed.iter().chain(names).map(|o| overlap(b, o)).sum();
            outside * 10.0 + on_labels * label_weight
        };
        let cost = |b: &LabelBox| -> (f64, f64) {
            let on_labels: f64 = placed.iter().map(|o| overlap(b, o)).sum();
            let near_labels: f64 = placed
                .iter()
                .map(|o| overlap(b, &[o[0] - space, o[1] - space, o[2] + space, o[3] + space]))
                .sum();
            let on_markers: f64 = markers.iter().map(|o| overlap(b, o)).sum();
            (unreadable(b) + on_markers, near_labels - on_labels)
        };
        let (anchor, b) = ["ne", "se", "nw", "sw", "ne2", "se2", "nw2", "sw2"]
            .into_iter()
            .map(|a| (a, label_box(label, a, side)))
            .min_by(|(_, a), (_, b)| {
                let (a, b) = (cost(a), cost(b));
                a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1))
            })
            .expect("eight candidates");
        clear &= cost(&b).0 == 0.0;
        readable.push(unreadable(&b) == 0.0);
        anchors.push(anchor);
        placed.push(b);
    }
    (
        anchors,
        Placed {
            boxes: placed,
            clear,
            readable,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sections::quadrant::QuadrantPoint;

    fn pt(label: &str, x: f64, y: f64) -> QuadrantPoint {
        QuadrantPoint {
            label: label.into(),
            x,
            y,
            current: false,
            ci: None,
            anchor: "ne",
        }
    }

    #[test]
    fn labels_cover_no_label_nor_point_and_stay_in_the_frame() {
        let unnamed = QuadrantFrame::named(["", "", "", ""], 0.5, 0.5);
        // the path of a unit that barely moved, the organisation beside it
        // and near the right edge: every label's first choice would collide
        let mut pts = [
            pt("2025", 0.90, 0.60),
            pt("2024", 0.86, 0.56),
            pt("2023", 0.84, 0.63),
            pt("Hela organisationen", 0.93, 0.66),
        ];
        let mut refs: Vec<&mut QuadrantPoint> = pts.iter_mut().collect();
        let placed = place_labels(&mut refs, &[], &unnamed);
        assert!(placed.clear);
        let boxes = placed.boxes;
        let r = 4.0 / QUADRANT_SIDE_PT;
        for (i, b) in boxes.iter().enumerate() {
            assert!(
                b[0] >= 0.0 && b[1] >= 0.0 && b[2] <= 1.0 && b[3] <= 1.0,
                "label {i} leaves the frame: {b:?}"
            );
            for (j, o) in boxes.iter().enumerate().filter(|(j, _)| *j != i) {
                assert_eq!(overlap(b, o), 0.0, "labels {i} and {j} overlap");
            }
            for p in &pts {
                let m = [p.x - r, p.y - r, p.x + r, p.y + r];
                assert_eq!(
                    overlap(b, &m),
                    0.0,
                    "label {i} covers the point {}",
                    p.label
                );
            }
        }
        // the organisation's long label goes left, out of the right edge
        assert!(pts[3].anchor.contains('w'), "{}", pts[3].anchor);
        // a crowd cannot be labelled clear
        let mut crowd: Vec<QuadrantPoint> = (0..30)
            .map(|i| pt(&i.to_string(), 0.5 + 0.002 * i as f64, 0.5))
            .collect();
        let mut refs: Vec<&mut QuadrantPoint> = crowd.iter_mut().collect();
        assert!(!place_labels(&mut refs, &[], &unnamed).clear);
        // an uncrowded point keeps the first choice
        let mut one = [pt("2025", 0.3, 0.3)];
        let mut refs: Vec<&mut QuadrantPoint> = one.iter_mut().collect();
        place_labels(&mut refs, &[], &unnamed);
        assert_eq!(one[0].anchor, "ne");
    }

    #[test]
    fn labels_keep_off_the_types_names_and_the_dots() {
        let frame = QuadrantFrame::named(
            [
                "Type A: Constrained",
                "Type B: Held back",
                "Type C: Untapped potential",
                "Type D: Digitally mature",
            ],
            0.5,
            0.5,
        );
        let side = QUADRANT_SIDE_PT;
        let names = name_boxes(&frame);
        // the top-right name starts 4 pt right of the threshold, 3 pt down
        assert!(
            (names[3][0] - (0.5 + 4.0 / side)).abs() < 1e-9,
            "{:?}",
            names[3]
        );
        assert!(
            (names[3][3] - (1.0 - 3.0 / side)).abs() < 1e-9,
            "{:?}",
            names[3]
        );
        // a point just under the top-right name: the name rules out the
        // labels above it
        let mut org = pt("Org", 0.56, 0.86);
        let mut refs = vec![&mut org];
        let placed = place_labels(&mut refs, &[], &frame);
        let b = placed.boxes[0];
        for n in &names {
            assert_eq!(overlap(&b, n), 0.0, "the label {b:?} covers a name {n:?}");
        }
        assert!(placed.clear, "{b:?} {}", org.anchor);
        let first = org.anchor;
        assert!(first.starts_with('s'), "{first}");
        // a dot at the far end of where that label stood moves it to the
        // other side, clear of both
        let r = 4.0 / side;
        let far = if first.contains('w') {
            b[0] + r
        } else {
            b[2] - r
        };
        let dot = (far, (b[1] + b[3]) / 2.0);
        let mut org = pt("Org", 0.56, 0.86);
        let mut refs = vec![&mut org];
        let placed = place_labels(&mut refs, &[dot], &frame);
        let b = placed.boxes[0];
        assert_ne!(org.anchor, first);
        assert_eq!(
            overlap(&b, &[dot.0 - r, dot.1 - r, dot.0 + r, dot.1 + r]),
            0.0
        );
        for n in &names {
            assert_eq!(overlap(&b, n), 0.0, "the label {b:?} covers a name {n:?}");
        }
    }

    #[test]
    fn the_maps_numbers_stand_clear_of_each_other_and_in_the_map() {
        use crate::report::sections::portfolio::ScatterPoint;
        let at = |x: f64, y: f64, r: f64, label: Option<&str>| ScatterPoint {
            x,
            y,
            r,
            status: "ongoing",
            label: label.map(str::to_string),
            anchor: "ne",
        };
        // the first and third largest a marker apart, the second at the
        // top right corner, among unnumbered markers, on the map of up to
        // 12 initiatives (4.2 cm less its margins)
        let side = 4.2 / 2.54 * 72.0 - 22.0;
        let mut pts = vec![
            at(0.50, 0.50, 7.5, Some("1")),
            at(0.47, 0.51, 3.0, None),
            at(0.97, 0.98, 6.0, Some("2")),
            at(0.52, 0.50, 7.0, Some("3")),
            at(0.55, 0.55, 3.0, None),
        ];
        let placed = place_numbers(&mut pts, side);
        let boxes = placed.boxes;
        assert_eq!(boxes.len(), 3);
        for (i, b) in boxes.iter().enumerate() {
            assert!(
                b[0] >= 0.0 && b[1] >= 0.0 && b[2] <= 1.0 && b[3] <= 1.0,
                "number {i} leaves the map: {b:?}"
            );
            for o in &boxes[i + 1..] {
                assert_eq!(overlap(b, o), 0.0, "numbers overlap: {b:?} {o:?}");
            }
        }
        // the corner's number turns inwards; each stands off its own
        // marker (1 pt beyond its radius)
        assert!(pts[2].anchor.starts_with("sw"), "{}", pts[2].anchor);
        for (b, p) in boxes.iter().zip([&pts[0], &pts[2], &pts[3]]) {
            let r = p.r / side;
            let own = [p.x - r, p.y - r, p.x + r, p.y + r];
            assert_eq!(
                overlap(b, &own),
                0.0,
                "{} on its own marker",
                p.label.as_deref().unwrap()
            );
        }
    }
}
