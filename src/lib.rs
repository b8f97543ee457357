//! mognad: a yearly digital-maturity survey and initiative register in,
//! annual PDF reports out.
//!
//! The stages, each a module with a narrow interface:
//! [`discover`] -> [`ingest`] -> [`analyse`] -> [`report`] -> [`render`] ->
//! [`publish`], wired together in [`pipeline`] and driven by [`cli`].

pub mod analyse;
pub mod bench;
pub mod benchmark;
pub mod check;
pub mod cli;
pub mod config;
pub mod discover;
pub mod error;
pub mod format;
pub mod ingest;
pub mod lang;
pub mod merge;
pub mod model;
pub mod organisations;
pub mod pipeline;
pub mod portfolio;
pub mod progress;
pub mod publish;
pub mod recipients;
pub mod render;
pub mod report;
pub mod send;
pub mod shard;
pub mod synth;
pub mod tables;
