//! The distribution list: who receives which report. A file in the input
//! folder named `recipients*` or `mottagare*` (.csv, .tsv, .xlsx) with the
//! columns unit, name and e-mail; a row whose unit is empty or names the
//! organisation (`organisation`, `hela organisationen`, `ledningsgrupp`)
//! receives the organisation report. A unit may have several recipients.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::config::Names;
use crate::ingest::quality::{Kind, Problem};
use crate::ingest::side::SideTable;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Recipient {
    pub name: String,
    /// Never written to an output: `mognad send` reads the address from
    /// the recipients file itself.
    #[serde(skip_serializing, default)]
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
    out.files = files.iter().map(|(relative, _)| relative.clone()).collect();
    SideTable::each(files, &mut problems, |table, problems| {
        let (Some(u), Some(e)) = (table.find(&unit_names), table.find(&email_names)) else {
            problems.push(
                table.columns_error("a recipients file needs a unit column and an e-mail column"),
            );
            return;
        };
        let n = table.find(&name_names);
        for r in table.rows() {
            let (unit, email) = (table.cell(r, Some(u)), table.cell(r, Some(e)));
            if email.is_empty() && unit.is_empty() {
                continue;
            }
            if !valid_email(&email) {
                problems.push(table.warning(
                    Kind::OutOfRange,
                    r,
                    Some(e),
                    format!(
                        "\"{email}\" is not a valid e-mail address; this recipient is left out"
                    ),
                ));
                continue;
            }
            let key = if unit.is_empty() || names_organisation(&unit) {
                None
            } else {
                Some(unit.trim().to_lowercase())
            };
            let list = out.by_unit.entry(key).or_default();
            // one message per mailbox: addresses compare without regard
            // to letter case
            if list
                .iter()
                .any(|x| x.email.to_lowercase() == email.to_lowercase())
            {
                problems.push(table.warning(
                    Kind::DuplicateId,
                    r,
                    Some(e),
                    format!(
                        "\"{email}\" is listed again for {}; it gets one message",
                        if unit.is_empty() {
                            "the organisation report"
                        } else {
                            unit.as_str()
                        }
                    ),
                ));
                continue;
            }
            list.push(Recipient {
                name: table.cell(r, n),
                email,
            });
        }
    });
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
