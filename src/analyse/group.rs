//! Whom a figure is about: the organisation, a unit, a role of the
//! organisation or a role within a unit, in a year. Every per-group map
//! of the analysis is keyed by [`GroupKey`], so that a group is one typed
//! value wherever it goes (suppression, tables, reports).

use serde::Serialize;

use super::Level;

/// A group of respondents whose figures are published.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// The whole organisation.
    Organisation,
    /// One unit.
    Unit(String),
    /// One role, over the whole organisation.
    Role(String),
    /// One role within one unit.
    UnitRole {
        /// The unit.
        unit: String,
        /// The role within it.
        role: String,
    },
}

impl Group {
    /// A unit, or the organisation (`None`).
    pub fn of_unit(unit: Option<&str>) -> Group {
        match unit {
            Some(u) => Group::Unit(u.to_string()),
            None => Group::Organisation,
        }
    }

    /// Whether the group is the whole organisation.
    pub fn is_organisation(&self) -> bool {
        *self == Group::Organisation
    }

    /// The unit's name of a unit; `None` for every other group.
    pub fn unit(&self) -> Option<&str> {
        match self {
            Group::Unit(u) => Some(u),
            _ => None,
        }
    }

    /// The name a table row gives the group: the unit's or the role's;
    /// `None` for the organisation.
    pub fn name(&self) -> Option<&str> {
        match self {
            Group::Organisation => None,
            Group::Unit(name) | Group::Role(name) => Some(name),
            Group::UnitRole { role, .. } => Some(role),
        }
    }

    /// Whether the group is the organisation or one of its units (the
    /// groups with reports, changes between years and reliability).
    pub fn is_organisation_or_unit(&self) -> bool {
        matches!(self, Group::Organisation | Group::Unit(_))
    }
}

/// A group in a survey year.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupKey {
    /// The survey year.
    pub year: i32,
    /// The group.
    pub group: Group,
}

impl GroupKey {
    /// The group in the year.
    pub fn new(year: i32, group: Group) -> GroupKey {
        GroupKey { year, group }
    }

    /// The first key of a kind of group in a year, for ranges: every unit
    /// of the year lies between `first(year, Unit)` and `first(year, Role)`.
    pub(crate) fn first(year: i32, kind: fn(String) -> Group) -> GroupKey {
        GroupKey::new(year, kind(String::new()))
    }
}

/// A level and key of the model for a group in a year (the key of
/// Cronbach's alpha per dimension and category).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ScopeKey {
    /// The group and year.
    pub group: GroupKey,
    /// The level (dimension or category).
    pub level: Level,
    /// The dimension's or category's code.
    pub key: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_years_groups_sort_by_kind_then_name() {
        let mut keys = [
            GroupKey::new(2025, Group::Role("Chef".into())),
            GroupKey::new(
                2025,
                Group::UnitRole {
                    unit: "A".into(),
                    role: "Chef".into(),
                },
            ),
            GroupKey::new(2025, Group::Unit("B".into())),
            GroupKey::new(2024, Group::Unit("Z".into())),
            GroupKey::new(2025, Group::Organisation),
            GroupKey::new(2025, Group::Unit("A".into())),
        ];
        keys.sort();
        let names: Vec<(i32, Option<&str>)> =
            keys.iter().map(|k| (k.year, k.group.name())).collect();
        assert_eq!(
            names,
            [
                (2024, Some("Z")),
                (2025, None),
                (2025, Some("A")),
                (2025, Some("B")),
                (2025, Some("Chef")),
                (2025, Some("Chef")),
            ]
        );
        // a year's units lie between the first unit key and the first role
        let units = GroupKey::first(2025, Group::Unit)..GroupKey::first(2025, Group::Role);
        assert!(units.contains(&keys[2]) && units.contains(&keys[3]));
        assert!(!units.contains(&keys[1]) && !units.contains(&keys[4]));
    }
}
