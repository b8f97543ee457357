//! The render pool: many reports rendered at once on scoped threads with
//! large stacks (typst recurses deeply, and a rayon worker waiting inside
//! typst would pick up another report on the same small stack).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::Renderer;
use crate::error::{Error, Result};
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
/// (PDF bytes and page count). Results come back in item order.
pub fn render_all<I, F, T, D>(
    renderer: &Renderer,
    items: &[I],
    threads: usize,
    job: impl Fn(&I) -> &Job<D> + Sync,
    done: F,
) -> Vec<Result<T>>
where
    I: Sync,
    F: Fn(&I, Result<(Vec<u8>, usize)>) -> Result<T> + Sync,
    T: Send,
    D: Printable + Sync,
{
    map_ordered(items, threads, |item| {
        let j = job(item);
        done(item, renderer.render(j.template, &j.doc, &j.ident))
    })
}

/// `f` of every item on `threads` threads with large stacks, each taking
/// the next item from a shared counter (so the items should come largest
/// first); the results in item order, whatever order they finished in.
pub fn map_ordered<I, T>(
    items: &[I],
    threads: usize,
    f: impl Fn(&I) -> Result<T> + Sync,
) -> Vec<Result<T>>
where
    I: Sync,
    T: Send,
{
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Result<T>>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let threads = threads.clamp(1, items.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let work = || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let value = f(item);
                *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(value);
            };
            std::thread::Builder::new()
                .stack_size(64 << 20)
                .spawn_scoped(scope, work)
                .expect("a worker thread starts");
        }
    });
    results
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .unwrap_or_else(|| Err(Error::Internal("a worker thread stopped".into())))
        })
        .collect()
}
