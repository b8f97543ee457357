//! Work spread over threads with results in a fixed order, whatever order
//! the threads finish in: the same output on one core or many.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::{Error, Result};

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
