//! Where the laid-out text of a document stands: every run of text with
//! its box on its page, from typst's layout (the positions the PDF is
//! written from), and the runs printed over one another. What a chart
//! placed badly shows as "Hela organisa2025tionen" a reader sees here as
//! two overlapping boxes.

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst_layout::PagedDocument;

/// A run of text on a page (from 1): its text and its box in points from
/// the page's top left, `[x0, y0, x1, y1]`, as wide as its glyphs'
/// advances and from its baseline up to 0.7 em (about the cap height).
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    /// The page, from 1.
    pub page: usize,
    /// The run's text.
    pub text: String,
    /// Its box: left, top, right, bottom.
    pub rect: [f64; 4],
}

/// Every run of text of a document, page by page, in layout order.
pub fn text_boxes(document: &PagedDocument) -> Vec<TextBox> {
    let mut out = Vec::new();
    for (i, page) in document.pages().iter().enumerate() {
        collect(&page.frame, Transform::identity(), i + 1, &mut out);
    }
    out
}

fn collect(frame: &Frame, ts: Transform, page: usize, out: &mut Vec<TextBox>) {
    for (pos, item) in frame.items() {
        let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
        match item {
            FrameItem::Group(group) => {
                collect(&group.frame, here.pre_concat(group.transform), page, out)
            }
            FrameItem::Text(text) => {
                let (w, h) = (text.width(), text.size * 0.7);
                let corners = [
                    Point::new(Abs::zero(), Abs::zero()),
                    Point::new(w, Abs::zero()),
                    Point::new(Abs::zero(), -h),
                    Point::new(w, -h),
                ]
                .map(|p| p.transform(here));
                let xs = corners.map(|p| p.x.to_pt());
                let ys = corners.map(|p| p.y.to_pt());
                let lo = |v: [f64; 4]| v.into_iter().fold(f64::INFINITY, f64::min);
                let hi = |v: [f64; 4]| v.into_iter().fold(f64::NEG_INFINITY, f64::max);
                out.push(TextBox {
                    page,
                    text: text.text.to_string(),
                    rect: [lo(xs), lo(ys), hi(xs), hi(ys)],
                });
            }
            _ => {}
        }
    }
}

/// Pairs of runs of visible text on one page whose boxes overlap by more
/// than a fifth of the smaller: text printed over text. Runs that only
/// touch (the parts of one line) do not count.
pub fn overprints(boxes: &[TextBox]) -> Vec<(&TextBox, &TextBox)> {
    let visible: Vec<&TextBox> = boxes.iter().filter(|b| !b.text.trim().is_empty()).collect();
    let area = |r: &[f64; 4]| (r[2] - r[0]) * (r[3] - r[1]);
    let mut out = Vec::new();
    for (i, a) in visible.iter().enumerate() {
        for b in visible[i + 1..].iter().take_while(|b| b.page == a.page) {
            let w = a.rect[2].min(b.rect[2]) - a.rect[0].max(b.rect[0]);
            let h = a.rect[3].min(b.rect[3]) - a.rect[1].max(b.rect[1]);
            if w > 0.0 && h > 0.0 && w * h > 0.2 * area(&a.rect).min(area(&b.rect)) {
                out.push((*a, *b));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(page: usize, text: &str, rect: [f64; 4]) -> TextBox {
        TextBox {
            page,
            text: text.into(),
            rect,
        }
    }

    /// `body` laid out by typst on a page 200 pt wide, no margins.
    fn laid_out(body: &str) -> Vec<TextBox> {
        let main = format!(
            "#set page(width: 200pt, height: 100pt, margin: 0pt)\n#set text(size: 10pt)\n{body}"
        );
        let engine = typst_as_lib::TypstEngine::builder()
            .main_file(main)
            .fonts(crate::render::FONTS)
            .build();
        let doc = engine.compile::<PagedDocument>().output.expect("compiles");
        text_boxes(&doc)
    }

    #[test]
    fn boxes_are_where_typst_puts_the_text() {
        // a rotated label, a placed one and a line of text
        let boxes = laid_out(
            "#place(dx: 20pt, dy: 30pt)[Hela organisationen]\n\
             #place(dx: 60pt, dy: 26pt)[2025]\n\
             #place(dx: 150pt, dy: 10pt, rotate(90deg, origin: top + left)[Uppåt])",
        );
        let find = |t: &str| boxes.iter().find(|b| b.text == t).unwrap().rect;
        let name = find("Hela organisationen");
        // placed at 20 pt; its baseline (the box's bottom) below the
        // place's top by the font's ascent, under one em of 10 pt
        assert!((name[0] - 20.0).abs() < 0.01, "{name:?}");
        assert!(name[3] > 30.0 && name[3] < 40.0, "{name:?}");
        assert!(
            name[2] - name[0] > 80.0 && name[2] - name[0] < 110.0,
            "{name:?}"
        );
        assert!((name[3] - name[1] - 7.0).abs() < 0.01, "{name:?}");
        // turned a quarter about its top left at (150, 10): tall and
        // narrow, running down from 10 pt and within an em left of 150
        let up = find("Uppåt");
        assert!(up[3] - up[1] > 20.0 && up[2] - up[0] < 8.0, "{up:?}");
        assert!(
            (up[1] - 10.0).abs() < 0.5 && up[0] > 140.0 && up[2] <= 150.5,
            "{up:?}"
        );
        let over = overprints(&boxes);
        assert_eq!(over.len(), 1, "{over:?}");
        assert_eq!(over[0].1.text, "2025");
        // apart, nothing
        let apart = laid_out(
            "#place(dx: 20pt, dy: 30pt)[Hela organisationen]\n#place(dx: 60pt, dy: 50pt)[2025]",
        );
        assert!(overprints(&apart).is_empty());
    }

    #[test]
    fn overlapping_runs_are_found_and_touching_ones_are_not() {
        let boxes = [
            // one line in two runs that touch
            at(1, "Hela ", [10.0, 0.0, 30.0, 7.0]),
            at(1, "organisationen", [30.0, 0.0, 90.0, 7.0]),
            // a year label over the middle of the name: half its box
            at(1, "2025", [50.0, 2.0, 66.0, 9.0]),
            // the same place on another page
            at(2, "2025", [50.0, 2.0, 66.0, 9.0]),
            // a corner grazing another by less than a fifth
            at(2, "a", [60.0, 8.0, 70.0, 15.0]),
            at(2, " ", [50.0, 2.0, 66.0, 9.0]),
        ];
        let found = overprints(&boxes);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].0.text.as_str(), found[0].1.text.as_str()),
            ("organisationen", "2025")
        );
    }
}
