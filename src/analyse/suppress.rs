//! Anonymity: which groups may not be shown, decided once over everything
//! a year publishes about an organisation.
//!
//! mognad publishes, per year, the organisation, each unit, each role of
//! the organisation and each role within a unit, every one with its number
//! of respondents and its figures at every level of the model. These tables
//! are linked: the organisation is the sum of its units and of its roles, a
//! unit the sum of its roles, a role of the organisation the sum of the same
//! role in every unit. Respondents without a unit or a role are in the
//! organisation's figures but in no published part. A reader who holds
//! every table can add and subtract them.
//!
//! **The guarantee.** No sum or difference of published figures of a year
//! isolates a group of 1 to k-1 respondents (k = the anonymity threshold)
//! that is not itself published: not the organisation minus its units, not
//! a role of the organisation minus the same role in the shown units, not
//! any combination of them (organisation minus a unit minus a role plus
//! that role within the unit, and so on). It holds at every level the
//! tables carry a count for (respondents, the total, each dimension,
//! category and statement, where non-response and "don't know" make each
//! count differ). [`complement`] does the same for a table of one
//! relation only (the complete cases `reliability.csv` gives per unit).
//!
//! **How.** Primary suppression hides every group with fewer than k
//! respondents. Complementary suppression then audits the table and, while
//! some combination isolates a small group, hides one more group: the
//! smallest whose hiding joins more respondents to that combination (a role
//! within a unit first, then a role of the organisation, then a unit and
//! its report), ties by name. A hidden unit or role hides all its roles-within-units with it.
//!
//! **The audit.** Seen from the reader, the hidden cells of the unit x role
//! table (a hidden unit's or role's cells merged into one row or column, as
//! nothing published tells them apart) form a bipartite graph of rows and
//! columns. A sum of hidden cells can be derived exactly when it is the set
//! of edges that leave a set U of rows and columns from a row in U to a
//! column outside it, where no edge enters U from a column in U to a row
//! outside it (potentials `p_row + q_col`, which the published margins leave
//! free, that are 0 or 1 on every hidden cell). For a set of columns B the
//! rows U must hold are those adjacent to B; any other row adds its own
//! hidden cells. So every derivable sum is checked by enumerating the column
//! sets (roles are few) and every row on its own.

use std::collections::{BTreeMap, HashSet};

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

/// More shown roles than this and the roles are not published for the
/// year: the audit enumerates sets of roles.
pub const MAX_ROLES: usize = 10;

/// The counts of one organisation's year: per cell of the unit x role
/// table (the last row and column are "no unit" and "no role"), how many
/// respondents each measure counts (respondents, then each level's n).
#[derive(Debug, Clone)]
pub struct Table {
    units: Vec<String>,
    roles: Vec<String>,
    measures: usize,
    counts: Vec<u32>,
}

impl Table {
    /// An empty table of these units and roles (each sorted, distinct)
    /// with `measures` counts per cell.
    pub fn new(units: Vec<String>, roles: Vec<String>, measures: usize) -> Self {
        let cells = (units.len() + 1) * (roles.len() + 1);
        Table {
            counts: vec![0; cells * measures],
            units,
            roles,
            measures,
        }
    }

    fn measures(&self) -> usize {
        self.measures
    }

    fn cell(&self, unit: usize, role: usize) -> usize {
        unit * (self.roles.len() + 1) + role
    }

    /// Adds one respondent: its unit and role (`None` = none) and, per
    /// measure in order, whether the measure counts it. The first full
    /// measure must count every respondent.
    pub fn add(
        &mut self,
        unit: Option<&str>,
        role: Option<&str>,
        counted: impl Iterator<Item = bool>,
    ) {
        let u = unit
            .and_then(|u| self.units.binary_search_by(|x| x.as_str().cmp(u)).ok())
            .unwrap_or(self.units.len());
        let r = role
            .and_then(|r| self.roles.binary_search_by(|x| x.as_str().cmp(r)).ok())
            .unwrap_or(self.roles.len());
        let base = self.cell(u, r) * self.measures();
        for (m, yes) in counted.enumerate().take(self.measures()) {
            self.counts[base + m] += u32::from(yes);
        }
    }

    fn count(&self, unit: usize, role: usize, m: usize) -> u64 {
        u64::from(self.counts[self.cell(unit, role) * self.measures() + m])
    }

    /// Respondents of a unit (`None` = all), of a role (`None` = all).
    fn respondents(&self, unit: Option<usize>, role: Option<usize>) -> u64 {
        let units = unit.map_or(0..self.units.len() + 1, |u| u..u + 1);
        units
            .flat_map(|u| {
                let roles = role.map_or(0..self.roles.len() + 1, |r| r..r + 1);
                roles.map(move |r| (u, r))
            })
            .map(|(u, r)| self.count(u, r, 0))
            .sum()
    }
}

/// Which groups of a year are hidden, and why; a group not named is shown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decision {
    /// The organisation itself (then everything is hidden).
    pub organisation: Option<Suppression>,
    /// Units by name.
    pub units: BTreeMap<String, Suppression>,
    /// Roles of the organisation by name.
    pub roles: BTreeMap<String, Suppression>,
    /// Roles within units by (unit, role).
    pub unit_roles: BTreeMap<(String, String), Suppression>,
}

/// The state of the search: per unit, role and cell whether it is hidden.
struct State {
    units: Vec<Option<Suppression>>,
    roles: Vec<Option<Suppression>>,
    /// Per real cell (unit x role, no "none"): hidden.
    cells: Vec<Option<Suppression>>,
}

impl State {
    fn cell_shown(&self, t: &Table, u: usize, r: usize) -> bool {
        u < t.units.len()
            && r < t.roles.len()
            && self.units[u].is_none()
            && self.roles[r].is_none()
            && self.cells[u * t.roles.len() + r].is_none()
    }
}

/// A hidden remainder that isolates a small group: the rows (graph nodes)
/// of U and the columns of B, and the measure.
struct Violation {
    rows: Vec<bool>,
    cols_in: Vec<bool>,
    measure: usize,
}

/// One measure's view: rows are node 0 (every hidden unit and "no unit")
/// and one node per shown unit; columns likewise for roles.
struct Graph {
    rows: usize,
    cols: usize,
    /// Hidden count per (row node, column node).
    w: Vec<u64>,
    /// Whether a node has a shown cell with a positive count.
    shown_in_row: Vec<bool>,
    shown_in_col: Vec<bool>,
}

impl Graph {
    fn w(&self, r: usize, c: usize) -> u64 {
        self.w[r * self.cols + c]
    }

    fn row_sum(&self, r: usize) -> u64 {
        (0..self.cols).map(|c| self.w(r, c)).sum()
    }

    fn col_sum(&self, c: usize) -> u64 {
        (0..self.rows).map(|r| self.w(r, c)).sum()
    }

    /// Whether the hidden cells from the rows `rows` to the columns not in
    /// `cols_in` are exactly what published groups give anyway: the
    /// organisation with nothing else shown, a shown unit or role all of
    /// whose cells are hidden, or several such roles.
    fn published(&self, rows: &[bool], cols_in: &[bool]) -> bool {
        let in_s = |r: usize, c: usize| rows[r] && !cols_in[c] && self.w(r, c) > 0;
        let edges = |f: &dyn Fn(usize, usize) -> bool| {
            (0..self.rows).all(|r| (0..self.cols).all(|c| self.w(r, c) == 0 || f(r, c)))
        };
        // the organisation: every hidden cell, and nothing shown
        if !self.shown_in_row.iter().any(|s| *s) && edges(&|r, c| in_s(r, c)) {
            return true;
        }
        // one shown unit, all of whose cells are hidden
        let chosen: Vec<usize> = (0..self.rows).filter(|r| rows[*r]).collect();
        if let [r] = chosen[..] {
            if r > 0
                && !self.shown_in_row[r]
                && (0..self.cols).all(|c| self.w(r, c) == 0 || !cols_in[c])
            {
                return true;
            }
        }
        // whole shown roles, all of whose cells are hidden
        (0..self.cols).all(|c| {
            let any = (0..self.rows).any(|r| in_s(r, c));
            !any || (c > 0
                && !self.shown_in_col[c]
                && (0..self.rows).all(|r| self.w(r, c) == 0 || in_s(r, c)))
        })
    }

    /// The first combination that isolates 1 to k-1 of this measure's
    /// respondents, if any.
    fn audit(&self, k: u64) -> Option<(Vec<bool>, Vec<bool>)> {
        let small = |s: u64| s > 0 && s < k;
        let none_in = vec![false; self.cols];
        // each row on its own: a unit, or every hidden unit together
        for r in 0..self.rows {
            if small(self.row_sum(r)) {
                let mut rows = vec![false; self.rows];
                rows[r] = true;
                if !self.published(&rows, &none_in) {
                    return Some((rows, none_in));
                }
            }
        }
        // every nonempty set of columns B with the rows adjacent to it
        let words = self.rows.div_ceil(64);
        let adjacent: Vec<Vec<u64>> = (0..self.cols)
            .map(|c| {
                let mut bits = vec![0u64; words];
                for r in (0..self.rows).filter(|r| self.w(*r, c) > 0) {
                    bits[r / 64] |= 1 << (r % 64);
                }
                bits
            })
            .collect();
        let row_sums: Vec<u64> = (0..self.rows).map(|r| self.row_sum(r)).collect();
        let col_sums: Vec<u64> = (0..self.cols).map(|c| self.col_sum(c)).collect();
        let sets = 1usize << self.cols;
        let mut forced: Vec<Vec<u64>> = vec![vec![0; words]; sets];
        for b in 1..sets {
            let low = b.trailing_zeros() as usize;
            let rest = b & (b - 1);
            let bits: Vec<u64> = forced[rest]
                .iter()
                .zip(&adjacent[low])
                .map(|(x, y)| x | y)
                .collect();
            let mut cost: u64 = 0;
            for (w, word) in bits.iter().enumerate() {
                let mut word = *word;
                while word != 0 {
                    cost += row_sums[w * 64 + word.trailing_zeros() as usize];
                    word &= word - 1;
                }
            }
            let in_b: u64 = (0..self.cols)
                .filter(|c| b & (1 << c) != 0)
                .map(|c| col_sums[c])
                .sum();
            forced[b] = bits;
            // every edge of a column in B comes from a forced row
            let cost = cost - in_b;
            if small(cost) {
                let rows: Vec<bool> = (0..self.rows)
                    .map(|r| forced[b][r / 64] & (1 << (r % 64)) != 0)
                    .collect();
                let cols_in: Vec<bool> = (0..self.cols).map(|c| b & (1 << c) != 0).collect();
                if !self.published(&rows, &cols_in) {
                    return Some((rows, cols_in));
                }
            }
        }
        None
    }
}

/// Row and column nodes of the graph: 0 for hidden, else 1 + position
/// among the shown.
fn nodes(hidden: &[Option<Suppression>]) -> (Vec<usize>, usize) {
    let mut next = 1;
    let map = hidden
        .iter()
        .map(|h| match h {
            Some(_) => 0,
            None => {
                next += 1;
                next - 1
            }
        })
        .chain(std::iter::once(0))
        .collect();
    (map, next)
}

/// The graph of one measure in the current state.
fn graph(t: &Table, s: &State, m: usize) -> Graph {
    let (row_of, rows) = nodes(&s.units);
    let (col_of, cols) = nodes(&s.roles);
    let mut g = Graph {
        rows,
        cols,
        w: vec![0; rows * cols],
        shown_in_row: vec![false; rows],
        shown_in_col: vec![false; cols],
    };
    for (u, &rn) in row_of.iter().enumerate() {
        for (r, &cn) in col_of.iter().enumerate() {
            let n = t.count(u, r, m);
            if n == 0 {
                continue;
            }
            if s.cell_shown(t, u, r) {
                g.shown_in_row[rn] = true;
                g.shown_in_col[cn] = true;
            } else {
                g.w[rn * cols + cn] += n;
            }
        }
    }
    g
}

/// What makes two measures' graphs alike: the hidden counts, the shown
/// cells' rows and columns, and the number of columns.
type GraphKey = (Vec<u64>, Vec<bool>, Vec<bool>, usize);

/// The first violation over every measure, if any.
fn audit(t: &Table, s: &State, k: u64) -> Option<Violation> {
    let mut seen: HashSet<GraphKey> = HashSet::new();
    for m in 0..t.measures() {
        let g = graph(t, s, m);
        // measures alike in every count need one audit
        if !seen.insert((
            g.w.clone(),
            g.shown_in_row.clone(),
            g.shown_in_col.clone(),
            g.cols,
        )) {
            continue;
        }
        if let Some((rows, cols_in)) = g.audit(k) {
            return Some(Violation {
                rows,
                cols_in,
                measure: m,
            });
        }
    }
    None
}

/// What to hide next, in order of preference: a role within a unit costs
/// least, then a role of the organisation (its rows in the units' tables
/// go with it), then a unit (its whole report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Hide {
    /// A role within a unit (unit, role positions).
    Cell(usize, usize),
    Role(usize),
    Unit(usize),
}

impl Hide {
    fn rank(self) -> u8 {
        match self {
            Hide::Cell(..) => 0,
            Hide::Role(_) => 1,
            Hide::Unit(_) => 2,
        }
    }
}

/// The group whose hiding adds respondents of the violation's measure to
/// the isolated sum: a role within a unit, else a role, else a unit, the
/// smallest first, ties by name; failing any, the smallest shown unit,
/// then role.
fn choose(t: &Table, s: &State, v: &Violation) -> Option<Hide> {
    let m = v.measure;
    let (row_of, _) = nodes(&s.units);
    let (col_of, _) = nodes(&s.roles);
    let in_u = |u: usize| v.rows[row_of[u]];
    let out_b = |r: usize| !v.cols_in[col_of[r]];
    let mut cells: Vec<(u64, Hide)> = Vec::new();
    {
        // the unit's hidden cells to the columns outside B
        let hidden_out = |u: usize| {
            (0..=t.roles.len()).any(|r| out_b(r) && !s.cell_shown(t, u, r) && t.count(u, r, m) > 0)
        };
        for u in 0..t.units.len() {
            for r in 0..t.roles.len() {
                if !s.cell_shown(t, u, r) || t.count(u, r, m) == 0 {
                    continue;
                }
                // a cell from U to outside B joins the sum; a cell from
                // outside U into B brings its unit's hidden cells into U
                if (in_u(u) && out_b(r)) || (!in_u(u) && !out_b(r) && hidden_out(u)) {
                    cells.push((t.respondents(Some(u), Some(r)), Hide::Cell(u, r)));
                }
            }
        }
    }
    if let Some(best) = cells.into_iter().min() {
        return Some(best.1);
    }
    let mut groups: Vec<(u64, Hide)> = Vec::new();
    let r_star_in = v.rows[0];
    for u in (0..t.units.len()).filter(|u| s.units[*u].is_none()) {
        // the unit's cells then count from the hidden row
        let adds = (0..=t.roles.len()).any(|r| {
            t.count(u, r, m) > 0
                && out_b(r)
                && if in_u(u) {
                    s.cell_shown(t, u, r)
                } else {
                    r_star_in
                }
        });
        if adds {
            groups.push((t.respondents(Some(u), None), Hide::Unit(u)));
        }
    }
    // a hidden role joins the hidden column; while that is outside B,
    // what the role had from the rows of U joins the sum (all of it for a
    // role in B, its shown cells for one outside)
    if !v.cols_in[0] {
        for r in (0..t.roles.len()).filter(|r| s.roles[*r].is_none()) {
            let adds = (0..=t.units.len())
                .any(|u| in_u(u) && t.count(u, r, m) > 0 && (!out_b(r) || s.cell_shown(t, u, r)));
            if adds {
                groups.push((t.respondents(None, Some(r)), Hide::Role(r)));
            }
        }
    }
    if let Some(best) = groups.into_iter().min_by_key(|(n, h)| (h.rank(), *n, *h)) {
        return Some(best.1);
    }
    let smallest = |hidden: &[Option<Suppression>], n: &dyn Fn(usize) -> u64| {
        (0..hidden.len())
            .filter(|i| hidden[*i].is_none())
            .min_by_key(|i| (n(*i), *i))
    };
    smallest(&s.units, &|u| t.respondents(Some(u), None))
        .map(Hide::Unit)
        .or_else(|| smallest(&s.roles, &|r| t.respondents(None, Some(r))).map(Hide::Role))
}

/// Decides what a year may show: primary suppression below `k`
/// respondents, then complementary suppression until no combination of
/// published figures isolates 1 to k-1 respondents at any measure.
pub fn decide(t: &Table, k: usize) -> Decision {
    let k64 = k as u64;
    let (nu, nr) = (t.units.len(), t.roles.len());
    let mut d = Decision::default();
    if t.respondents(None, None) < k64 {
        d.organisation = Some(Suppression::Primary);
        d.units = t
            .units
            .iter()
            .map(|u| (u.clone(), Suppression::Primary))
            .collect();
        d.roles = t
            .roles
            .iter()
            .map(|r| (r.clone(), Suppression::Primary))
            .collect();
        for u in 0..nu {
            for r in 0..nr {
                if t.respondents(Some(u), Some(r)) > 0 {
                    d.unit_roles.insert(
                        (t.units[u].clone(), t.roles[r].clone()),
                        Suppression::Primary,
                    );
                }
            }
        }
        return d;
    }
    let primary = |n: u64| (n < k64).then_some(Suppression::Primary);
    let mut s = State {
        units: (0..nu)
            .map(|u| primary(t.respondents(Some(u), None)))
            .collect(),
        roles: (0..nr)
            .map(|r| primary(t.respondents(None, Some(r))))
            .collect(),
        cells: (0..nu * nr)
            .map(|i| primary(t.respondents(Some(i / nr.max(1)), Some(i % nr.max(1)))))
            .collect(),
    };
    if s.roles.iter().filter(|r| r.is_none()).count() > MAX_ROLES {
        for r in s.roles.iter_mut().filter(|r| r.is_none()) {
            *r = Some(Suppression::Secondary);
        }
    }
    while let Some(v) = audit(t, &s, k64) {
        match choose(t, &s, &v) {
            Some(Hide::Cell(u, r)) => s.cells[u * nr + r] = Some(Suppression::Secondary),
            Some(Hide::Unit(u)) => s.units[u] = Some(Suppression::Secondary),
            Some(Hide::Role(r)) => s.roles[r] = Some(Suppression::Secondary),
            // unreachable: with every unit and role hidden the one hidden
            // cell is the organisation's, which is published
            None => break,
        }
    }
    for u in 0..nu {
        if let Some(h) = s.units[u] {
            d.units.insert(t.units[u].clone(), h);
        }
        for r in 0..nr {
            if t.respondents(Some(u), Some(r)) == 0 {
                continue;
            }
            let own = s.cells[u * nr + r];
            let hidden = match own {
                Some(Suppression::Primary) => own,
                _ if s.units[u].is_some() || s.roles[r].is_some() => Some(Suppression::Secondary),
                _ => own,
            };
            if let Some(h) = hidden {
                d.unit_roles
                    .insert((t.units[u].clone(), t.roles[r].clone()), h);
            }
        }
    }
    for r in 0..nr {
        if let Some(h) = s.roles[r] {
            d.roles.insert(t.roles[r].clone(), h);
        }
    }
    d
}

/// Complementary suppression in a table of one relation (a whole and its
/// parts, such as the organisation's complete cases and its units'): the
/// parts to hide, beyond those already hidden (`hidden`, their count
/// together), so that the whole minus the shown parts is 0 or at least
/// `k`. The smallest part goes first, ties by name; a part's own count is
/// never a reason to hide it.
pub fn complement(parts: &BTreeMap<String, usize>, hidden: usize, k: usize) -> Vec<String> {
    let mut left = hidden;
    let mut order: Vec<(&usize, &String)> = parts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(p, n)| (n, p))
        .collect();
    order.sort();
    let mut out = Vec::new();
    for (n, part) in order {
        if left == 0 || left >= k {
            break;
        }
        left += n;
        out.push(part.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table from (unit, role, respondents) with one measure, each
    /// respondent counted; "" is no unit or no role.
    fn table(cells: &[(&str, &str, u32)]) -> Table {
        let mut units: Vec<String> = cells
            .iter()
            .filter(|c| !c.0.is_empty())
            .map(|c| c.0.to_string())
            .collect();
        let mut roles: Vec<String> = cells
            .iter()
            .filter(|c| !c.1.is_empty())
            .map(|c| c.1.to_string())
            .collect();
        units.sort();
        units.dedup();
        roles.sort();
        roles.dedup();
        let mut t = Table::new(units, roles, 1);
        for (u, r, n) in cells {
            for _ in 0..*n {
                let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
                t.add(opt(u).as_deref(), opt(r).as_deref(), std::iter::once(true));
            }
        }
        t
    }

    fn units_only(list: &[(&str, u32)]) -> Table {
        table(&list.iter().map(|(u, n)| (*u, "", *n)).collect::<Vec<_>>())
    }

    #[test]
    fn nothing_hidden_when_all_units_are_large_enough() {
        assert_eq!(
            decide(&units_only(&[("A", 5), ("B", 9)]), 5),
            Decision::default()
        );
    }

    #[test]
    fn one_small_unit_takes_the_smallest_other_with_it() {
        let d = decide(&units_only(&[("A", 3), ("B", 12), ("C", 8), ("D", 8)]), 5);
        assert_eq!(d.units.get("A"), Some(&Suppression::Primary));
        // C and D tie on 8: the first by name goes
        assert_eq!(d.units.get("C"), Some(&Suppression::Secondary));
        assert_eq!(d.units.len(), 2);
    }

    #[test]
    fn two_small_units_that_together_reach_the_threshold_suffice() {
        let d = decide(&units_only(&[("A", 3), ("B", 2), ("C", 20)]), 5);
        assert_eq!(d.units.len(), 2);
        assert!(!d.units.contains_key("C"));
    }

    #[test]
    fn respondents_without_a_unit_count_as_hidden() {
        let d = decide(&units_only(&[("A", 10), ("B", 20), ("", 2)]), 5);
        assert_eq!(d.units.get("A"), Some(&Suppression::Secondary));
        assert_eq!(d.units.len(), 1);
        // enough people without unit: they are protected by their number
        assert_eq!(
            decide(&units_only(&[("A", 10), ("B", 20), ("", 6)]), 5),
            Decision::default()
        );
    }

    #[test]
    fn complement_in_one_relation() {
        let parts: BTreeMap<String, usize> = [
            ("A".into(), 9),
            ("B".into(), 2),
            ("C".into(), 2),
            ("D".into(), 0),
        ]
        .into();
        // 1 hidden: B and C (2 each, B first) bring it to 5
        assert_eq!(
            complement(&parts, 1, 5),
            vec!["B".to_string(), "C".to_string()]
        );
        assert_eq!(complement(&parts, 3, 5), vec!["B".to_string()]);
        assert!(complement(&parts, 0, 5).is_empty());
        assert!(complement(&parts, 5, 5).is_empty());
        // nothing left to hide: as far as it goes
        assert_eq!(complement(&parts, 1, 50).len(), 3);
    }

    #[test]
    fn more_roles_than_the_audit_enumerates_are_not_published() {
        let names: Vec<String> = (0..=MAX_ROLES).map(|r| format!("R{r:02}")).collect();
        let cells: Vec<(&str, &str, u32)> = names.iter().map(|r| ("A", r.as_str(), 6)).collect();
        let d = decide(&table(&cells), 5);
        assert_eq!(d.roles.len(), MAX_ROLES + 1);
        assert!(d.roles.values().all(|s| *s == Suppression::Secondary));
        assert!(d.units.is_empty(), "the unit itself is shown");
        // one role fewer and they are shown
        let d = decide(&table(&cells[1..]), 5);
        assert!(d.roles.is_empty());
    }

    #[test]
    fn a_small_organisation_hides_everything() {
        let d = decide(&table(&[("A", "x", 2), ("B", "y", 1)]), 5);
        assert_eq!(d.organisation, Some(Suppression::Primary));
        assert_eq!(
            (d.units.len(), d.roles.len(), d.unit_roles.len()),
            (2, 2, 2)
        );
    }

    /// The attack seen on the sample: a role of the organisation minus the
    /// same role in every shown unit leaves the one respondent of that role
    /// in a hidden unit.
    #[test]
    fn a_role_minus_its_shown_units_isolates_nobody() {
        let t = table(&[
            ("A", "Chef", 5),
            ("A", "Medarbetare", 10),
            ("B", "Chef", 5),
            ("B", "Medarbetare", 10),
            ("C", "Chef", 5),
            ("C", "Medarbetare", 12),
            // the small unit: one respondent of a role
            ("Liten", "Medarbetare", 1),
            ("Liten", "Chef", 3),
        ]);
        let d = decide(&t, 5);
        assert_eq!(d.units.get("Liten"), Some(&Suppression::Primary));
        // the organisation minus the shown units must leave 0 or >= 5: a
        // second unit goes (A, the smallest with B, first by name)
        assert_eq!(d.units.get("A"), Some(&Suppression::Secondary));
        assert_eq!(d.units.len(), 2);
        // Medarbetare of the organisation minus B's and C's = A's 10 + 1,
        // Chef = A's 5 + 3: nothing small is left
        assert!(d.roles.is_empty());
        let unchecked = attack(&t, &d, 5);
        assert!(unchecked.is_empty(), "{unchecked:?}");
    }

    /// Organisation minus a unit minus a role plus that role in the unit:
    /// the respondents in neither, found by no single subtraction.
    #[test]
    fn inclusion_and_exclusion_isolates_nobody() {
        // rows A (shown), B and C (hidden); roles Staff (shown), Chef and
        // Strateg (small). Outside A and Staff there is one respondent.
        let t = table(&[
            ("A", "Staff", 17),
            ("A", "Chef", 3),
            ("A", "Strateg", 3),
            ("B", "Staff", 2),
            ("B", "Chef", 1),
            ("C", "Staff", 6),
        ]);
        let d = decide(&t, 5);
        let unchecked = attack(&t, &d, 5);
        assert!(unchecked.is_empty(), "{unchecked:?}\n{d:?}");
    }

    #[test]
    fn every_measure_is_its_own_relation() {
        // two measures: respondents, and a statement most of B's answer
        let mut t = Table::new(vec!["A".into(), "B".into(), "C".into()], vec![], 2);
        for (unit, n, answered) in [("A", 3, 3), ("B", 9, 3), ("C", 9, 9)] {
            for i in 0..n {
                t.add(Some(unit), None, [true, i < answered].into_iter());
            }
        }
        // A is hidden; by respondents B (9) goes with it to 12, but the
        // statement's hidden answers are then 3 + 3: still >= 5
        let d = decide(&t, 5);
        assert_eq!(d.units.len(), 2);
        // with k = 7 the statement needs a third unit: 3 + 3 < 7
        let d = decide(&t, 7);
        assert_eq!(d.units.len(), 3, "{d:?}");
    }

    /// Every sum of published figures a reader can form over the
    /// respondents: each relation's whole minus its shown parts, and the
    /// organisation minus a set of shown units minus a set of shown roles
    /// plus the shown cells of both. Returns the small groups found that
    /// are not a published group themselves.
    fn attack(t: &Table, d: &Decision, k: u64) -> Vec<String> {
        let (nu, nr) = (t.units.len(), t.roles.len());
        let unit_shown = |u: usize| u < nu && !d.units.contains_key(&t.units[u]);
        let role_shown = |r: usize| r < nr && !d.roles.contains_key(&t.roles[r]);
        let cell_shown = |u: usize, r: usize| {
            unit_shown(u)
                && role_shown(r)
                && !d
                    .unit_roles
                    .contains_key(&(t.units[u].clone(), t.roles[r].clone()))
        };
        let cells: Vec<(usize, usize)> = (0..=nu)
            .flat_map(|u| (0..=nr).map(move |r| (u, r)))
            .filter(|(u, r)| t.count(*u, *r, 0) > 0)
            .collect();
        let published: Vec<Vec<(usize, usize)>> = (0..nu)
            .filter(|u| unit_shown(*u))
            .map(|u| cells.iter().copied().filter(|c| c.0 == u).collect())
            .chain(
                (0..nr)
                    .filter(|r| role_shown(*r))
                    .map(|r| cells.iter().copied().filter(|c| c.1 == r).collect()),
            )
            .collect();
        let mut found = Vec::new();
        let mut check = |what: String, group: Vec<(usize, usize)>| {
            let n: u64 = group.iter().map(|(u, r)| t.count(*u, *r, 0)).sum();
            if n > 0 && n < k && !published.contains(&group) {
                found.push(format!("{what}: {n}"));
            }
        };
        let hidden = |c: &(usize, usize)| !cell_shown(c.0, c.1);
        for u in (0..nu).filter(|u| unit_shown(*u)) {
            let g = cells
                .iter()
                .copied()
                .filter(|c| c.0 == u && hidden(c))
                .collect();
            check(format!("unit {u} - its shown roles"), g);
        }
        for r in (0..nr).filter(|r| role_shown(*r)) {
            let g = cells
                .iter()
                .copied()
                .filter(|c| c.1 == r && hidden(c))
                .collect();
            check(format!("role {r} - its shown units"), g);
        }
        let shown_units: Vec<usize> = (0..nu).filter(|u| unit_shown(*u)).collect();
        let shown_roles: Vec<usize> = (0..nr).filter(|r| role_shown(*r)).collect();
        for a in 0..1usize << shown_units.len() {
            for b in 0..1usize << shown_roles.len() {
                let in_a = |u: usize| {
                    shown_units
                        .iter()
                        .position(|x| *x == u)
                        .is_some_and(|i| a & (1 << i) != 0)
                };
                let in_b = |r: usize| {
                    shown_roles
                        .iter()
                        .position(|x| *x == r)
                        .is_some_and(|i| b & (1 << i) != 0)
                };
                // hidden respondents counted twice must be none
                let inner = cells.iter().any(|c| in_a(c.0) && in_b(c.1) && hidden(c));
                if inner {
                    continue;
                }
                let g = cells
                    .iter()
                    .copied()
                    .filter(|c| !in_a(c.0) && !in_b(c.1) && hidden(c))
                    .collect();
                check(format!("organisation - units {a:b} - roles {b:b}"), g);
            }
        }
        found
    }

    /// Whether `target` lies in the span of `rows` (Gaussian elimination;
    /// the entries are small integers, so a tolerance is exact enough).
    fn in_span(rows: &[Vec<f64>], target: &[f64]) -> bool {
        let rank = |m: &[Vec<f64>]| {
            let mut m: Vec<Vec<f64>> = m.to_vec();
            let cols = target.len();
            let mut rank = 0;
            for c in 0..cols {
                let Some(p) = (rank..m.len()).find(|r| m[*r][c].abs() > 1e-9) else {
                    continue;
                };
                m.swap(rank, p);
                for r in 0..m.len() {
                    if r != rank && m[r][c].abs() > 1e-9 {
                        let f = m[r][c] / m[rank][c];
                        let pivot = m[rank].clone();
                        for (x, p) in m[r].iter_mut().zip(pivot) {
                            *x -= f * p;
                        }
                    }
                }
                rank += 1;
            }
            rank
        };
        let mut with = rows.to_vec();
        with.push(target.to_vec());
        rank(rows) == rank(&with)
    }

    /// The exact attacker on one measure: every set of hidden cells whose
    /// sum any linear combination of the published groups gives, with a
    /// count of 1 to k-1, that is not a published group itself.
    fn exact_attack(t: &Table, d: &Decision, k: u64, m: usize) -> Vec<Vec<(usize, usize)>> {
        let (nu, nr) = (t.units.len(), t.roles.len());
        if d.organisation.is_some() {
            return Vec::new();
        }
        let unit_shown = |u: usize| u < nu && !d.units.contains_key(&t.units[u]);
        let role_shown = |r: usize| r < nr && !d.roles.contains_key(&t.roles[r]);
        let cell_shown = |u: usize, r: usize| {
            unit_shown(u)
                && role_shown(r)
                && !d
                    .unit_roles
                    .contains_key(&(t.units[u].clone(), t.roles[r].clone()))
        };
        let positive: Vec<(usize, usize)> = (0..=nu)
            .flat_map(|u| (0..=nr).map(move |r| (u, r)))
            .filter(|(u, r)| t.count(*u, *r, m) > 0)
            .collect();
        let hidden: Vec<(usize, usize)> = positive
            .iter()
            .copied()
            .filter(|(u, r)| !cell_shown(*u, *r))
            .collect();
        // the published groups as sets of cells, restricted to the hidden
        let groups: Vec<Vec<(usize, usize)>> = std::iter::once(positive.clone())
            .chain(
                (0..nu)
                    .filter(|u| unit_shown(*u))
                    .map(|u| positive.iter().copied().filter(|c| c.0 == u).collect()),
            )
            .chain(
                (0..nr)
                    .filter(|r| role_shown(*r))
                    .map(|r| positive.iter().copied().filter(|c| c.1 == r).collect()),
            )
            .collect();
        let vector = |set: &[(usize, usize)]| -> Vec<f64> {
            hidden
                .iter()
                .map(|c| if set.contains(c) { 1.0 } else { 0.0 })
                .collect()
        };
        let rows: Vec<Vec<f64>> = groups.iter().map(|g| vector(g)).collect();
        let published: Vec<Vec<(usize, usize)>> = groups
            .iter()
            .map(|g| g.iter().copied().filter(|c| hidden.contains(c)).collect())
            .filter(|g: &Vec<(usize, usize)>| {
                // a group with all of its cells hidden is itself published
                groups.iter().any(|full| full == g)
            })
            .collect();
        let mut found = Vec::new();
        // every set of hidden cells with a count under k
        fn walk(
            at: usize,
            hidden: &[(usize, usize)],
            n: &dyn Fn(&(usize, usize)) -> u64,
            k: u64,
            chosen: &mut Vec<(usize, usize)>,
            sum: u64,
            out: &mut Vec<Vec<(usize, usize)>>,
        ) {
            if at == hidden.len() {
                if sum > 0 {
                    out.push(chosen.clone());
                }
                return;
            }
            walk(at + 1, hidden, n, k, chosen, sum, out);
            let add = n(&hidden[at]);
            if sum + add < k {
                chosen.push(hidden[at]);
                walk(at + 1, hidden, n, k, chosen, sum + add, out);
                chosen.pop();
            }
        }
        let mut small = Vec::new();
        walk(
            0,
            &hidden,
            &|c| t.count(c.0, c.1, m),
            k,
            &mut Vec::new(),
            0,
            &mut small,
        );
        // a set that is some of these groups side by side tells nothing
        // they do not tell one by one
        let union_of_published = |set: &Vec<(usize, usize)>| {
            (0..1usize << published.len()).any(|pick| {
                let mut cells: Vec<(usize, usize)> = (0..published.len())
                    .filter(|i| pick & (1 << i) != 0)
                    .flat_map(|i| published[i].iter().copied())
                    .collect();
                cells.sort();
                let n = cells.len();
                cells.dedup();
                n == cells.len() && &cells == set
            })
        };
        for set in small {
            if !union_of_published(&set) && in_span(&rows, &vector(&set)) {
                found.push(set);
            }
        }
        found
    }

    /// The attacker finds what primary suppression alone leaves: the one
    /// Medarbetare of the hidden unit, and (inclusion and exclusion) the
    /// one respondent outside A and Staff.
    #[test]
    fn the_exact_attacker_finds_what_primary_suppression_leaves() {
        let t = table(&[
            ("A", "Chef", 5),
            ("A", "Medarbetare", 10),
            ("B", "Chef", 5),
            ("B", "Medarbetare", 10),
            ("Liten", "Medarbetare", 1),
            ("Liten", "Chef", 4),
        ]);
        let primary = Decision {
            units: [("Liten".to_string(), Suppression::Primary)].into(),
            unit_roles: [
                (
                    ("Liten".to_string(), "Medarbetare".to_string()),
                    Suppression::Primary,
                ),
                (
                    ("Liten".to_string(), "Chef".to_string()),
                    Suppression::Primary,
                ),
            ]
            .into(),
            ..Decision::default()
        };
        let found = exact_attack(&t, &primary, 6, 0);
        // Liten x Medarbetare (1), Liten x Chef (4), and both (5)
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(exact_attack(&t, &decide(&t, 6), 6, 0).is_empty());
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Random small organisations, two measures (respondents and a
        /// statement some leave unanswered): no linear combination of what
        /// is published isolates 1 to k-1 respondents of either.
        #[test]
        fn no_combination_of_published_figures_isolates_a_small_group(
            cells in proptest::collection::vec((0usize..5, 0usize..4, 0u32..9, 0u32..3), 1..18),
            k in 3usize..6,
        ) {
            let mut t = Table::new(
                (0..4).map(|u| format!("U{u}")).collect(),
                (0..3).map(|r| format!("R{r}")).collect(),
                2,
            );
            for (u, r, n, skip) in cells {
                let unit = (u < 4).then(|| format!("U{u}"));
                let role = (r < 3).then(|| format!("R{r}"));
                for i in 0..n {
                    t.add(unit.as_deref(), role.as_deref(), [true, i >= skip].into_iter());
                }
            }
            let d = decide(&t, k);
            for m in 0..2 {
                let found = exact_attack(&t, &d, k as u64, m);
                prop_assert!(found.is_empty(), "measure {}: {:?}\n{:?}", m, found, d);
            }
        }
    }
}
