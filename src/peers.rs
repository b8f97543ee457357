//! The organisations file: one row per organisation of a national input,
//! keyed by the same name as the answers' organisation column, with its
//! type (municipality, region, agency, ...), its size (inhabitants or
//! employees), its county, whether it shares its initiatives with the
//! others, and any further grouping column (e.g. SKR's municipal groups).
//! A file in the input folder named `organisationer*` or `organisations.*`
//! (`[discovery] organisations`); its columns are found by name
//! (`[peers.columns]`). Which columns form peer groups is `[peers] groups`;
//! the size becomes classes by `[peers] size_bounds`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::config::{Names, PeersConfig};
use crate::ingest::quality::{Kind, Problem};
use crate::ingest::side::SideTable;

/// One organisation's row.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationInfo {
    /// As in the answers' organisation column.
    pub name: String,
    /// Municipality, region, agency, company, ...
    pub kind: Option<String>,
    /// Inhabitants or employees.
    pub size: Option<f64>,
    pub county: Option<String>,
    /// Whether its initiatives may be shown to the other organisations.
    pub shares: bool,
    /// Every column's value by its header in lower case (the grouping
    /// columns among them).
    pub columns: BTreeMap<String, String>,
    /// Where it was read, for messages.
    pub file: String,
    pub row: usize,
}

/// Every organisation of the organisations files.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub organisations: Vec<OrganisationInfo>,
    pub files: Vec<String>,
    /// The size column counts employees (its header says so: "anställda",
    /// "employees", "personal", "staff"), not inhabitants; the reports word
    /// the size classes accordingly.
    pub size_counts_employees: bool,
}

/// What a `[peers] groups` entry refers to.
#[derive(Debug, Clone, PartialEq)]
pub enum GroupColumn {
    /// The type column.
    Kind,
    /// The size column, as classes.
    Size,
    /// The county column.
    County,
    /// Another column, by its header in lower case.
    Other(String),
}

impl Directory {
    /// The organisation of that name (any case).
    pub fn get(&self, name: &str) -> Option<&OrganisationInfo> {
        let name = name.to_lowercase();
        self.organisations
            .iter()
            .find(|o| o.name.to_lowercase() == name)
    }

    /// An organisation's value in a peer-group column; `None` when its
    /// cell is empty.
    pub fn group_value(
        &self,
        info: &OrganisationInfo,
        column: &GroupColumn,
        size_bounds: &[f64],
    ) -> Option<String> {
        match column {
            GroupColumn::Kind => info.kind.clone(),
            GroupColumn::County => info.county.clone(),
            GroupColumn::Size => info.size.map(|s| size_class(s, size_bounds)),
            GroupColumn::Other(header) => {
                info.columns.get(header).filter(|v| !v.is_empty()).cloned()
            }
        }
    }
}

/// What a `[peers] groups` entry names: the type, size or county column
/// by any of their names, else a column of the file by its header.
pub fn group_column(entry: &str, config: &PeersConfig) -> GroupColumn {
    let c = &config.columns;
    if c.kind.matches(entry) {
        GroupColumn::Kind
    } else if c.size.matches(entry)
        || entry.eq_ignore_ascii_case("storlek")
        || entry.eq_ignore_ascii_case("size")
    {
        GroupColumn::Size
    } else if c.county.matches(entry) {
        GroupColumn::County
    } else {
        GroupColumn::Other(entry.trim().to_lowercase())
    }
}

/// The size class of `size` by ascending `bounds`: "0-9999",
/// "10000-49999", ..., "200000+" (whole numbers; language-neutral, as in
/// the tables).
pub fn size_class(size: f64, bounds: &[f64]) -> String {
    let whole = |b: f64| format!("{}", b.round() as i64);
    let mut lower = 0.0;
    for b in bounds {
        if size < *b {
            return format!("{}-{}", whole(lower), whole(b - 1.0));
        }
        lower = *b;
    }
    format!("{}+", whole(lower))
}

/// A sharing flag: ja/nej, yes/no, true/false, 1/0 (any case); `None`
/// when it is none of them.
fn flag(cell: &str) -> Option<bool> {
    match cell.trim().to_lowercase().as_str() {
        "ja" | "yes" | "true" | "1" | "j" | "y" | "sant" => Some(true),
        "nej" | "no" | "false" | "0" | "n" | "falskt" => Some(false),
        _ => None,
    }
}

/// Reads every organisations file; problems name file, row and column.
pub fn read(files: &[(String, PathBuf)], config: &PeersConfig) -> (Directory, Vec<Problem>) {
    let mut out = Directory::default();
    let mut problems = Vec::new();
    let c = &config.columns;
    out.files = files.iter().map(|(relative, _)| relative.clone()).collect();
    SideTable::each(files, &mut problems, |table, problems| {
        let relative = table.relative();
        let Some(name_col) = table.find(&c.name) else {
            problems.push(table.columns_error(format!(
                "an organisations file needs a column naming the organisation ({})",
                c.name.describe()
            )));
            return;
        };
        let (kind, size, county, share) = (
            table.find(&c.kind),
            table.find(&c.size),
            table.find(&c.county),
            table.find(&c.share),
        );
        let headers: Vec<String> = (0..table.width())
            .map(|k| table.header(k).to_lowercase())
            .collect();
        if let Some(k) = size {
            let h = &headers[k];
            out.size_counts_employees |= ["anställd", "employee", "personal", "staff"]
                .iter()
                .any(|w| h.contains(w));
        }
        let present = [kind, size, county].map(|c| c.is_some());
        problems.extend(missing_groups(config, present, &headers, table));
        for r in table.rows() {
            if table.is_blank(r) {
                continue;
            }
            let name = table.cell(r, Some(name_col));
            if name.is_empty() {
                problems.push(table.error(
                    Kind::MissingValue,
                    r,
                    Some(name_col),
                    "the organisation's name is empty".into(),
                ));
                continue;
            }
            if let Some(first) = out.get(&name) {
                problems.push(table.error(
                    Kind::DuplicateId,
                    r,
                    Some(name_col),
                    format!(
                        "\"{name}\" is listed twice (also {} row {}); one row per organisation",
                        first.file, first.row
                    ),
                ));
                continue;
            }
            let size_cell = table.cell(r, size);
            let size_value = if size_cell.is_empty() {
                None
            } else {
                // a whole number, spaces allowed ("12 500"); "12,500" or
                // "12.500" would be read wrongly in one language or the other
                let digits: String = size_cell.chars().filter(|ch| !ch.is_whitespace()).collect();
                match digits.parse::<u64>() {
                    Ok(v) if v > 0 => Some(v as f64),
                    _ => {
                        problems.push(table.error(
                            Kind::OutOfRange,
                            r,
                            size,
                            format!("\"{size_cell}\" is not a size: write a whole number of inhabitants or employees, e.g. 12500 or 12 500"),
                        ));
                        None
                    }
                }
            };
            let share_cell = table.cell(r, share);
            let shares = if share_cell.is_empty() {
                false
            } else {
                flag(&share_cell).unwrap_or_else(|| {
                    problems.push(table.error(
                        Kind::OutOfRange,
                        r,
                        share,
                        format!("\"{share_cell}\" is not a sharing flag; write ja or nej (yes/no, true/false, 1/0)"),
                    ));
                    false
                })
            };
            let text = |col: Option<usize>| Some(table.cell(r, col)).filter(|v| !v.is_empty());
            out.organisations.push(OrganisationInfo {
                kind: text(kind),
                size: size_value,
                county: text(county),
                shares,
                columns: headers
                    .iter()
                    .enumerate()
                    .map(|(k, h)| (h.clone(), table.cell(r, Some(k))))
                    .collect(),
                name,
                file: relative.to_string(),
                row: table.row(r),
            });
        }
    });
    (out, problems)
}

/// A warning for each `[peers] groups` entry naming a column the file
/// lacks (`present`: whether it has the type, size and county columns):
/// that peer group is never formed.
fn missing_groups(
    config: &PeersConfig,
    [kind, size, county]: [bool; 3],
    headers: &[String],
    table: &SideTable,
) -> Vec<Problem> {
    config
        .groups
        .iter()
        .filter(|entry| match group_column(entry, config) {
            GroupColumn::Kind => !kind,
            GroupColumn::Size => !size,
            GroupColumn::County => !county,
            GroupColumn::Other(h) => !headers.contains(&h),
        })
        .map(|entry| {
            table.columns_warning(format!(
                "[peers] groups names \"{entry}\", but the file has no such column; that peer group is not formed"
            ))
        })
        .collect()
}

/// `Names` of a column, for messages: "organisation, namn, ...".
trait Describe {
    fn describe(&self) -> String;
}

impl Describe for Names {
    fn describe(&self) -> String {
        match self {
            Names::One(n) => n.clone(),
            Names::Many(v) => v.join(", "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_classes_by_the_bounds() {
        let b = [10000.0, 50000.0, 200000.0];
        assert_eq!(size_class(9999.0, &b), "0-9999");
        assert_eq!(size_class(10000.0, &b), "10000-49999");
        assert_eq!(size_class(49999.0, &b), "10000-49999");
        assert_eq!(size_class(150000.0, &b), "50000-199999");
        assert_eq!(size_class(200000.0, &b), "200000+");
        assert_eq!(size_class(5.0, &[]), "0+");
    }

    #[test]
    fn sharing_flags_in_both_languages() {
        for yes in ["ja", "Ja", "yes", "TRUE", "1"] {
            assert_eq!(flag(yes), Some(true), "{yes}");
        }
        for no in ["nej", "No", "false", "0"] {
            assert_eq!(flag(no), Some(false), "{no}");
        }
        assert_eq!(flag("kanske"), None);
    }

    fn read_text(text: &str) -> (Directory, Vec<Problem>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("organisationer.csv");
        std::fs::write(&path, text).unwrap();
        let config = crate::config::Config::builtin().peers;
        read(&[("organisationer.csv".into(), path)], &config)
    }

    #[test]
    fn a_size_column_of_employees_is_known_by_its_header() {
        // (no "kommungrupp" column: a warning, not the point here)
        let (d, _) = read_text("Organisation;Typ;Anställda\nVerket;myndighet;1200\n");
        assert!(d.size_counts_employees);
        assert_eq!(d.organisations[0].size, Some(1200.0));
        let (d, _) = read_text("Organisation;Typ;Invånare\nÅlby;kommun;12500\n");
        assert!(!d.size_counts_employees);
    }

    #[test]
    fn an_organisations_file_by_hand() {
        let (d, problems) = read_text(
            "Organisation;Typ;Invånare;Län;Dela_initiativ;Kommungrupp\n\
             Ålby kommun;kommun;12 500;Uppsala;ja;B5 Lågpendlingskommun nära större stad\n\
             Bruka kommun;kommun;250000;Stockholm;nej;A1 Storstäder\n\
             Cirka region;region;;Skåne;;\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(d.organisations.len(), 3);
        // any case, å included
        let alby = d.get("ÅLBY KOMMUN").unwrap();
        assert_eq!(
            (alby.kind.as_deref(), alby.size, alby.shares),
            (Some("kommun"), Some(12500.0), true)
        );
        assert_eq!(alby.row, 2);
        let config = crate::config::Config::builtin().peers;
        let bounds = &config.size_bounds;
        let value = |name: &str, entry: &str| {
            d.group_value(d.get(name).unwrap(), &group_column(entry, &config), bounds)
        };
        assert_eq!(value("Ålby kommun", "typ").as_deref(), Some("kommun"));
        assert_eq!(
            value("Ålby kommun", "storlek").as_deref(),
            Some("10000-49999")
        );
        assert_eq!(value("Bruka kommun", "storlek").as_deref(), Some("200000+"));
        assert_eq!(
            value("Bruka kommun", "kommungrupp").as_deref(),
            Some("A1 Storstäder")
        );
        // empty cells: no size class, no group, not sharing
        assert_eq!(value("Cirka region", "storlek"), None);
        assert_eq!(value("Cirka region", "kommungrupp"), None);
        assert!(!d.get("Cirka region").unwrap().shares);
    }

    #[test]
    fn every_problem_names_row_and_column() {
        let (_, problems) = read_text(
            "Organisation;Typ;Invånare;Dela_initiativ\n\
             Ålby kommun;kommun;12,500;ja\n\
             ålby kommun;kommun;100;nej\n\
             Bruka kommun;kommun;100;kanske\n",
        );
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let find = |needle: &str| {
            text.iter()
                .find(|t| t.contains(needle))
                .unwrap_or_else(|| panic!("no problem with {needle}: {text:?}"))
        };
        let size = find("\"12,500\" is not a size");
        assert!(
            size.contains("row 2") && size.contains("Invånare"),
            "{size}"
        );
        assert!(find("listed twice").contains("row 3"));
        assert!(find("\"kanske\" is not a sharing flag").contains("row 4"));
        // kommungrupp is a default peer group the file lacks: a warning
        assert!(find("\"kommungrupp\"").contains("not formed"));
        assert!(problems.iter().filter(|p| p.is_error()).count() == 3);
    }
}
