//! The distribution list: who receives which report. A file in the input
//! folder named `recipients*` or `mottagare*` (.csv, .tsv, .xlsx) with the
//! columns unit, name and e-mail; a row whose unit is empty or names the
//! organisation (`organisation`, `hela organisationen`, `ledningsgrupp`)
//! receives the organisation report. A unit may have several recipients.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::config::Names;
use crate::ingest::quality::{Kind, Problem};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Recipient {
    pub name: String,
    /// Never written to an output: `mognad send` reads the address from
    /// the recipients file itself.
    #[serde(skip_serializing)]
    pub email: String,
}

/// Recipients by unit; the key `None` is the organisation report.
#[derive(Debug, Clone, Default)]
pub struct Recipients {
    pub by_unit: BTreeMap<Option<String>, Vec<Recipient>>,
    pub files: Vec<String>,
}

impl Recipients {
    pub fn of(&self, unit: Option<&str>) -> Vec<Recipient> {
        let key = unit.map(|u| u.to_lowercase());
        self.by_unit.get(&key).cloned().unwrap_or_default()
    }
}

/// Whether a unit cell (or `send --only`) means the organisation report.
pub fn names_organisation(unit: &str) -> bool {
    matches!(
        unit.trim().to_lowercase().as_str(),
        "organisation" | "hela organisationen" | "ledningsgrupp" | "ledningsgruppen"
    )
}

pub fn is_recipients_file(name: &str) -> bool {
    let name = name.to_lowercase();
    (name.starts_with("recipients") || name.starts_with("mottagare"))
        && [".csv", ".tsv", ".xlsx"].iter().any(|e| name.ends_with(e))
}

/// A plausible e-mail address: one @, a dot after it, no spaces.
pub fn valid_email(s: &str) -> bool {
    let mut parts = s.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
        }
        _ => false,
    }
}

pub fn read(files: &[(String, PathBuf)]) -> (Recipients, Vec<Problem>) {
    let mut out = Recipients::default();
    let mut problems = Vec::new();
    let unit_names = Names::Many(vec!["unit".into(), "enhet".into(), "förvaltning".into()]);
    let name_names = Names::Many(vec![
        "name".into(),
        "namn".into(),
        "chef".into(),
        "mottagare".into(),
    ]);
    let email_names = Names::Many(vec![
        "email".into(),
        "e-mail".into(),
        "e-post".into(),
        "epost".into(),
        "mail".into(),
    ]);
    for (relative, path) in files {
        out.files.push(relative.clone());
        let sheet = match crate::ingest::read_file_sheet(relative, path) {
            Ok(s) => s,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let find = |n: &Names| sheet.headers.iter().position(|h| n.matches(h));
        let (Some(u), Some(e)) = (find(&unit_names), find(&email_names)) else {
            problems.push(
                Problem::error(
                    Kind::Unreadable,
                    relative,
                    "a recipients file needs a unit column and an e-mail column",
                )
                .row(1),
            );
            continue;
        };
        let n = find(&name_names);
        for r in 0..sheet.height() {
            let cell = |c: usize| sheet.column(c).get(r).unwrap_or("").trim().to_string();
            let (unit, email) = (cell(u), cell(e));
            if email.is_empty() && unit.is_empty() {
                continue;
            }
            if !valid_email(&email) {
                problems.push(
                    Problem::warning(
                        Kind::OutOfRange,
                        relative,
                        format!(
                            "\"{email}\" is not a valid e-mail address; this recipient is left out"
                        ),
                    )
                    .row(sheet.first_row + r)
                    .column(sheet.headers[e].trim()),
                );
                continue;
            }
            let key = if unit.is_empty() || names_organisation(&unit) {
                None
            } else {
                Some(unit.to_lowercase())
            };
            out.by_unit.entry(key).or_default().push(Recipient {
                name: n.map(cell).unwrap_or_default(),
                email,
            });
        }
    }
    for list in out.by_unit.values_mut() {
        list.sort();
        list.dedup();
    }
    (out, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses() {
        assert!(valid_email("anna.andersson@exempelby.se"));
        assert!(!valid_email("anna.andersson"));
        assert!(!valid_email("anna@exempelby"));
        assert!(!valid_email("anna @exempelby.se"));
        assert!(!valid_email("a@b@c.se"));
    }
}
