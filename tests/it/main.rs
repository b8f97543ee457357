//! The integration tests, in one binary (one link instead of one per
//! file): each module runs the real binary on fixtures and checks the
//! numbers in its outputs. `common` holds the helpers.

mod common;

mod annual_run;
mod bad_input;
mod coherence;
mod data_quality;
mod disclosure;
mod docs;
mod editorial;
mod formats;
mod fuzz;
mod overview;
mod portfolio;
mod privacy;
mod readme;
mod scale;
mod send;
mod templates;
mod web;
mod wild;
