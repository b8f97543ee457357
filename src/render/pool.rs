//! The render pool: many reports rendered at once on scoped threads with
//! large stacks (typst recurses deeply, and a rayon worker waiting inside
//! typst would pick up another report on the same small stack).

use super::{Rendered, Renderer};
use crate::error::Result;
use crate::report::{Printable, ReportDoc};

/// One document to render: a report, or a brief.
pub struct Job<D = ReportDoc> {
    /// The main template, e.g. `organisation.typ`.
    pub template: &'static str,
    /// A stable document identifier for the PDF.
    pub ident: String,
    /// The model the template reads.
    pub doc: D,
}

/// Renders every item's job on `threads` threads that take the next item
/// from a shared counter, and hands each result to `done` as it completes
/// (the PDF, its page count and the web edition if asked for). Results
/// come back in item order.
pub fn render_all<I, F, T, D>(
    renderer: &Renderer,
    items: &[I],
    threads: usize,
    job: impl Fn(&I) -> &Job<D> + Sync,
    done: F,
) -> Vec<Result<T>>
where
    I: Sync,
    F: Fn(&I, Result<Rendered>) -> Result<T> + Sync,
    T: Send,
    D: Printable + Sync,
{
    crate::parallel::map_ordered(items, threads, |item| {
        let j = job(item);
        done(item, renderer.render(j.template, &j.doc, &j.ident))
    })
}
