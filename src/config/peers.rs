//! The config of several organisations: peer groups from the
//! organisations file (`[peers]`), the national overview (`[overview]`)
//! and the open-data package (`[open_data]`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Names;

/// `[peers]`: peer groups from the organisations file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PeersConfig {
    /// The columns that form peer groups, in order of preference: the
    /// type, size (as classes) or county column by any of their names, or
    /// another column of the file by its header.
    pub groups: Vec<String>,
    /// The size classes' lower bounds after the first, ascending.
    pub size_bounds: Vec<f64>,
    /// A peer group with fewer organisations (the organisation itself
    /// counted) is not used.
    pub min_size: usize,
    /// Which columns of the organisations file hold what.
    pub columns: PeersColumns,
    /// How the reports name a peer group's value (e.g. a type) per
    /// language, keyed by the value as the organisations file writes it
    /// (any case); a language left out prints the value as it is.
    #[serde(default)]
    pub names: BTreeMap<String, crate::model::Localized>,
}

impl PeersConfig {
    /// A peer group's value in a report's language.
    pub fn display_name(&self, value: &str, lang: &str) -> String {
        let key = value.trim().to_lowercase();
        self.names
            .iter()
            .find(|(k, _)| k.trim().to_lowercase() == key)
            .and_then(|(_, n)| n.0.get(lang))
            .filter(|n| !n.trim().is_empty())
            .map_or_else(|| value.to_string(), String::clone)
    }
}

/// `[overview]`: the national overview of a multi-organisation input.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OverviewConfig {
    /// Whether organisations are named in the overview report and
    /// `overview.csv` (else they are counted only).
    pub names: bool,
    /// A target line for the mean total, in percent (e.g. a national goal).
    #[serde(default)]
    pub target: Option<f64>,
}

/// `[open_data]`: the open-data package of a multi-organisation input.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OpenDataConfig {
    /// Whether initiative budgets (and the budget shares of the axes) are
    /// published.
    pub budgets: bool,
}

/// `[peers.columns]`: the names each column of the organisations file may
/// have.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PeersColumns {
    /// The organisation's name, as in the answers.
    pub name: Names,
    /// Its type (municipality, region, agency, ...).
    #[serde(rename = "type")]
    pub kind: Names,
    /// Inhabitants or employees.
    pub size: Names,
    /// The county.
    pub county: Names,
    /// Whether its initiatives may be shown to others.
    pub share: Names,
}
