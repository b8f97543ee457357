//! Anonymity: which groups may not be shown.
//!
//! Primary suppression hides every unit with fewer respondents than the
//! threshold. Secondary (complementary) suppression then makes sure the
//! hidden part of the organisation cannot be worked out by subtraction from
//! the organisation's figures and the units that are shown: while the hidden
//! respondents together (suppressed units plus respondents with no unit)
//! number at least one but fewer than the threshold, the smallest shown unit
//! is hidden too (ties broken by name).

use std::collections::BTreeMap;

use serde::Serialize;

/// Why a group is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Suppression {
    /// Fewer respondents than the threshold.
    Primary,
    /// Hidden so that a suppressed group cannot be derived by subtraction.
    Secondary,
}

/// Decides suppression for the units of one organisation and year.
/// `units` maps unit -> respondents; `without_unit` counts respondents that
/// belong to the organisation but to no unit.
pub fn suppress_units(
    units: &BTreeMap<String, usize>,
    without_unit: usize,
    threshold: usize,
) -> BTreeMap<String, Suppression> {
    let mut hidden: BTreeMap<String, Suppression> = units
        .iter()
        .filter(|(_, &n)| n < threshold)
        .map(|(u, _)| (u.clone(), Suppression::Primary))
        .collect();
    loop {
        let hidden_n: usize = without_unit + hidden.keys().map(|u| units[u]).sum::<usize>();
        if hidden_n == 0 || hidden_n >= threshold {
            break;
        }
        let next = units
            .iter()
            .filter(|(u, _)| !hidden.contains_key(*u))
            .min_by(|a, b| a.1.cmp(b.1).then_with(|| a.0.cmp(b.0)));
        match next {
            Some((u, _)) => {
                hidden.insert(u.clone(), Suppression::Secondary);
            }
            None => break,
        }
    }
    hidden
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(list: &[(&str, usize)]) -> BTreeMap<String, usize> {
        list.iter().map(|(u, n)| (u.to_string(), *n)).collect()
    }

    #[test]
    fn nothing_hidden_when_all_units_are_large_enough() {
        assert!(suppress_units(&units(&[("A", 5), ("B", 9)]), 0, 5).is_empty());
    }

    #[test]
    fn one_small_unit_takes_the_smallest_other_with_it() {
        let s = suppress_units(&units(&[("A", 3), ("B", 12), ("C", 8), ("D", 8)]), 0, 5);
        assert_eq!(s.get("A"), Some(&Suppression::Primary));
        // C and D tie on 8: the first by name goes
        assert_eq!(s.get("C"), Some(&Suppression::Secondary));
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn two_small_units_that_together_reach_the_threshold_suffice() {
        let s = suppress_units(&units(&[("A", 3), ("B", 2), ("C", 20)]), 0, 5);
        assert_eq!(s.len(), 2);
        assert!(!s.contains_key("C"));
    }

    #[test]
    fn respondents_without_a_unit_count_as_hidden() {
        let s = suppress_units(&units(&[("A", 10), ("B", 20)]), 2, 5);
        assert_eq!(s.get("A"), Some(&Suppression::Secondary));
        assert_eq!(s.len(), 1);
        // enough people without unit: they are protected by their number
        assert!(suppress_units(&units(&[("A", 10), ("B", 20)]), 6, 5).is_empty());
    }
}
