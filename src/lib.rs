//! mognad: a yearly digital-maturity survey and initiative register in,
//! annual PDF reports out.
//!
//! The stages, each a module with a narrow interface:
//! [`discover`] -> [`ingest`] -> [`analyse`] -> `report` -> [`render`] ->
//! `publish`, wired together in [`pipeline`] and driven by [`cli`]. See
//! `ARCHITECTURE.md` for the map.
//!
//! The library surface is what the binary, the integration tests and the
//! benchmarks use: running the pipeline ([`pipeline`]), its inputs
//! ([`config`], [`model`], [`discover`], [`ingest`]), the figures
//! ([`analyse`]), rendering ([`render`]) and the helpers they share. The
//! rest is crate-private.

#![warn(missing_docs)]

pub mod analyse;
pub mod bench;
pub(crate) mod benchmark;
pub(crate) mod check;
pub mod cli;
pub mod config;
pub mod discover;
pub mod error;
pub mod format;
pub mod ingest;
pub mod lang;
pub(crate) mod merge;
pub mod model;
pub(crate) mod organisations;
pub(crate) mod overview;
pub(crate) mod parallel;
pub(crate) mod peers;
pub mod pipeline;
pub(crate) mod portfolio;
pub mod progress;
pub(crate) mod publish;
pub(crate) mod recipients;
pub mod render;
pub(crate) mod report;
pub(crate) mod send;
pub mod shard;
pub mod synth;
pub(crate) mod tables;
