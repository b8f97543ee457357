//! Property tests of the index computation: invariants that must hold for
//! any answers, checked on generated data (proptest).

use proptest::prelude::*;

use super::*;
use crate::ingest::AnswersForTest;

/// A two-dimension model on a 1-5 scale with uneven weights.
fn model() -> Model {
    Model::parse(
        r#"
id = "p"
name = { sv = "p" }
[scale]
min = 1
max = 5
dont_know = ["x"]
[[dimensions]]
code = "D1"
name = { sv = "D1" }
[[dimensions]]
code = "D2"
name = { sv = "D2" }
weight = 2
[[categories]]
code = "C1"
dimension = "D1"
name = { sv = "C1" }
[[categories]]
code = "C2"
dimension = "D1"
name = { sv = "C2" }
weight = 3
[[categories]]
code = "C3"
dimension = "D2"
name = { sv = "C3" }
[[statements]]
code = "S1"
category = "C1"
text = { sv = "s1" }
[[statements]]
code = "S2"
category = "C2"
text = { sv = "s2" }
weight = 2
[[statements]]
code = "S3"
category = "C2"
text = { sv = "s3" }
[[statements]]
code = "S4"
category = "C3"
text = { sv = "s4" }
"#,
        std::path::Path::new("p.toml"),
    )
    .expect("the test model is valid")
}

const STATEMENTS: [&str; 4] = ["S1", "S2", "S3", "S4"];
const UNITS: [Option<&str>; 4] = [Some("A"), Some("B"), Some("C"), None];

/// One answer cell: not answered, don't know, or a value on the scale.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cell {
    Missing,
    DontKnow,
    Value(u8),
}

fn cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        1 => Just(Cell::Missing),
        1 => Just(Cell::DontKnow),
        6 => (1u8..=5).prop_map(Cell::Value),
    ]
}

/// A respondent: unit (index into UNITS) and one cell per statement.
type Person = (usize, [Cell; 4]);

fn people() -> impl Strategy<Value = Vec<Person>> {
    prop::collection::vec(
        (0usize..UNITS.len(), [cell(), cell(), cell(), cell()]),
        1..40,
    )
}

/// The long answer rows of `people`, in the given row order.
fn rows(people: &[Person]) -> Vec<(String, Option<&'static str>, &'static str, Option<f64>)> {
    let mut out = Vec::new();
    for (i, (unit, cells)) in people.iter().enumerate() {
        for (s, c) in STATEMENTS.iter().zip(cells) {
            match c {
                Cell::Missing => {}
                Cell::DontKnow => out.push((format!("r{i}"), UNITS[*unit], *s, None)),
                Cell::Value(v) => {
                    out.push((format!("r{i}"), UNITS[*unit], *s, Some(f64::from(*v))))
                }
            }
        }
    }
    out
}

fn run(
    rows: &[(String, Option<&'static str>, &'static str, Option<f64>)],
    threshold: usize,
) -> Option<Analysis> {
    if rows.is_empty() {
        return None;
    }
    let mut a = AnswersForTest::default();
    for (r, u, s, v) in rows {
        a.push(2025, r, *u, s, *v);
    }
    Some(
        analyse(
            &a.build(&model()),
            &model(),
            threshold,
            &Population::default(),
        )
        .expect("analyses"),
    )
}

/// Every (group, level, key) index, for comparing two analyses.
fn indices(a: &Analysis) -> Vec<(Group, Level, String, Option<f64>)> {
    let model = model();
    let mut out = Vec::new();
    for g in a.groups.values() {
        for (level, key) in keys(&model) {
            out.push((g.group.clone(), level, key.clone(), g.index(level, &key)));
        }
    }
    out
}

fn same(a: &Analysis, b: &Analysis) -> bool {
    let (x, y) = (indices(a), indices(b));
    x.len() == y.len()
        && x.iter().zip(&y).all(|(p, q)| {
            p.0 == q.0
                && p.1 == q.1
                && p.2 == q.2
                && match (p.3, q.3) {
                    (Some(u), Some(v)) => (u - v).abs() < 1e-9,
                    (None, None) => true,
                    _ => false,
                }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_index_lies_within_0_and_100(people in people()) {
        if let Some(a) = run(&rows(&people), 1) {
            for (unit, level, key, v) in indices(&a) {
                if let Some(v) = v {
                    prop_assert!((0.0..=100.0).contains(&v), "{unit:?} {level:?} {key}: {v}");
                }
            }
        }
    }

    #[test]
    fn the_order_of_the_rows_changes_nothing(
        (people, order) in people().prop_flat_map(|p| {
            let n = rows(&p).len();
            (Just(p), Just((0..n).collect::<Vec<_>>()).prop_shuffle())
        })
    ) {
        let rows = rows(&people);
        let shuffled: Vec<_> = order.iter().map(|&i| rows[i].clone()).collect();
        if let (Some(a), Some(b)) = (run(&rows, 2), run(&shuffled, 2)) {
            prop_assert!(same(&a, &b));
        }
    }

    #[test]
    fn adding_a_dont_know_changes_no_index(
        people in people(),
        who in any::<prop::sample::Index>(),
        which in 0usize..4,
    ) {
        let before = rows(&people);
        let mut more = people.clone();
        let i = who.index(more.len());
        if more[i].1[which] != Cell::Missing {
            return Ok(());
        }
        more[i].1[which] = Cell::DontKnow;
        if let (Some(a), Some(b)) = (run(&before, 1), run(&rows(&more), 1)) {
            prop_assert!(same(&a, &b));
        }
    }

    #[test]
    fn suppression_never_reveals_a_group_under_the_threshold(
        people in people(),
        threshold in 2usize..8,
    ) {
        if let Some(a) = run(&rows(&people), threshold) {
            let org = a.organisation(2025).expect("the organisation");
            let units: Vec<&GroupResult> =
                a.units(2025).collect();
            for g in &units {
                // a small unit is never shown
                prop_assert!(g.respondents >= threshold || !g.shown(), "{:?}", g.group);
            }
            if org.respondents < threshold {
                prop_assert!(!org.shown() && units.iter().all(|g| !g.shown()));
            } else {
                // what the shown units leave of the organisation is empty or
                // large enough: no hidden group follows by subtraction
                let shown: usize = units.iter().filter(|g| g.shown()).map(|g| g.respondents).sum();
                let rest = org.respondents - shown;
                prop_assert!(
                    rest == 0 || rest >= threshold || units.iter().all(|g| !g.shown()),
                    "organisation {} - shown units {} = {} under {}",
                    org.respondents, shown, rest, threshold
                );
            }
        }
    }
}
