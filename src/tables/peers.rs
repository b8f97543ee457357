//! `peers.csv`: an organisation's figures against every one of its peer
//! groups (the organisations sharing its type, size class, ... in the
//! organisations file), large enough or not.

use polars::prelude::*;

use super::{internal, safe_text};
use crate::error::Result;
use crate::organisations::Organisation;

/// One row per year, level, key and peer group of `org` in `year`: year,
/// organisation, level, key, group (the `[peers] groups` entry),
/// group_value, n, benchmark, percentile (empty below `[peers] min_size`).
pub fn peers(org: &Organisation, organisation: &str, year: i32) -> Result<DataFrame> {
    let (mut years, mut levels, mut keys) = (Vec::new(), Vec::new(), Vec::new());
    let (mut groups, mut values) = (Vec::new(), Vec::new());
    let (mut ns, mut benchmarks, mut percentiles) = (Vec::new(), Vec::new(), Vec::new());
    let first = (year, crate::analyse::Level::Total, String::new());
    for ((y, level, key), list) in org.peers.range(first..) {
        if *y != year {
            break;
        }
        for f in list {
            years.push(*y);
            levels.push(level.as_str());
            keys.push(safe_text(key));
            groups.push(safe_text(&f.group));
            values.push(safe_text(&f.value));
            ns.push(f.n as u64);
            benchmarks.push(f.benchmark);
            percentiles.push(f.percentile);
        }
    }
    let height = years.len();
    DataFrame::new(
        height,
        vec![
            Column::new("year".into(), years),
            Column::new("organisation".into(), vec![safe_text(organisation); height]),
            Column::new("level".into(), levels),
            Column::new("key".into(), keys),
            Column::new("group".into(), groups),
            Column::new("group_value".into(), values),
            Column::new("n".into(), ns),
            Column::new("benchmark".into(), benchmarks),
            Column::new("percentile".into(), percentiles),
        ],
    )
    .map_err(internal)
}
