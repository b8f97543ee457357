//! Disclosure control from the outside: random organisations are run
//! through the binary, and an attacker in the test reads what was
//! published (`indices.csv`, `roles.csv`, `reliability.csv`) and forms every
//! whole-minus-parts difference across the tables, and the inclusion and
//! exclusion of a set of units and a set of roles. None may isolate 1 to
//! k-1 respondents at any level (the respondents' answers are known to the
//! test, so it can tell a clean group from a mixed sum).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::*;
use proptest::prelude::*;

const STATEMENTS: [&str; 4] = ["S1", "S2", "S3", "S4"];
const CATEGORY: [&str; 4] = ["C1", "C1", "C2", "C3"];
const DIMENSION: [&str; 4] = ["D1", "D1", "D1", "D2"];

/// One respondent: unit and role ("" for none) and answers (None: no
/// answer or "vet ej").
struct Person {
    unit: String,
    role: String,
    answers: [Option<u8>; 4],
}

/// A cell of the unit x role table.
type Cell = (String, String);

/// What the published row of a (level, key) counts for one respondent.
fn counts(p: &Person, level: &str, key: &str) -> bool {
    let any = |f: &dyn Fn(usize) -> bool| (0..4).any(|i| f(i) && p.answers[i].is_some());
    match level {
        "total" => any(&|_| true),
        "dimension" => any(&|i| DIMENSION[i] == key),
        "category" => any(&|i| CATEGORY[i] == key),
        _ => any(&|i| STATEMENTS[i] == key),
    }
}

/// The published `n` of a file's rows: (unit, role, level, key) -> n for
/// shown rows ("" for the organisation and for no role column).
type Published = BTreeMap<(String, String, String, String), i64>;

fn published(path: &Path, count: &str) -> Published {
    let mut out = Published::new();
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    for row in r.records() {
        let row = row.unwrap();
        let get = |name: &str| col(name).map_or("", |i| &row[i]).to_string();
        if get("suppressed") == "true" || get(count).is_empty() {
            continue;
        }
        out.insert(
            (get("unit"), get("role"), get("level"), get("key")),
            get(count).parse().unwrap(),
        );
    }
    out
}

/// Every small group the attacker isolates, described.
fn attack(people: &[Person], out: &Path, k: i64) -> Vec<String> {
    let year = out.join("2025");
    let indices = published(&year.join("indices.csv"), "n");
    let roles = published(&year.join("roles.csv"), "n");
    let reliability = published(&year.join("reliability.csv"), "complete_cases");
    let units: BTreeSet<String> = people.iter().map(|p| p.unit.clone()).collect();
    let role_names: BTreeSet<String> = people.iter().map(|p| p.role.clone()).collect();
    let mut found = Vec::new();
    let levels: Vec<(&str, &str)> = std::iter::once(("total", "total"))
        .chain(["D1", "D2"].map(|d| ("dimension", d)))
        .chain(["C1", "C2", "C3"].map(|c| ("category", c)))
        .chain(STATEMENTS.map(|s| ("statement", s)))
        .collect();
    for (level, key) in levels {
        let n = |unit: &str, role: &str, table: &Published| {
            table
                .get(&(unit.into(), role.into(), level.into(), key.into()))
                .copied()
        };
        // the truth: respondents counted per cell
        let mut truth: BTreeMap<Cell, i64> = BTreeMap::new();
        for p in people.iter().filter(|p| counts(p, level, key)) {
            *truth.entry((p.unit.clone(), p.role.clone())).or_default() += 1;
        }
        let Some(whole) = n("", "", &indices) else {
            continue;
        };
        let unit_n = |u: &str| {
            if u.is_empty() {
                None
            } else {
                n(u, "", &indices)
            }
        };
        let role_n = |r: &str| if r.is_empty() { None } else { n("", r, &roles) };
        let cell_n = |c: &Cell| {
            if c.0.is_empty() || c.1.is_empty() {
                None
            } else {
                n(&c.0, &c.1, &roles)
            }
        };
        let hidden = |c: &Cell| truth.contains_key(c) && cell_n(c).is_none();
        // a group that is itself published: the organisation, or a shown
        // unit or role all of whose counted cells are hidden
        let is_published = |group: &BTreeSet<Cell>| {
            *group == truth.keys().cloned().collect()
                || units.iter().any(|u| {
                    unit_n(u).is_some()
                        && *group == truth.keys().filter(|c| &c.0 == u).cloned().collect()
                })
                || role_names.iter().any(|r| {
                    role_n(r).is_some()
                        && *group == truth.keys().filter(|c| &c.1 == r).cloned().collect()
                })
        };
        let mut check = |what: String, value: i64, group: BTreeSet<Cell>| {
            if value > 0 && value < k && !is_published(&group) {
                found.push(format!("{level} {key}: {what} = {value}"));
            }
        };
        // a unit minus its shown roles; a role minus its shown units
        for u in units.iter().filter(|u| unit_n(u).is_some()) {
            let parts: Vec<Cell> = role_names.iter().map(|r| (u.clone(), r.clone())).collect();
            let shown: i64 = parts.iter().filter_map(&cell_n).sum();
            let group = parts.into_iter().filter(|c| hidden(c)).collect();
            if shown > 0 {
                check(
                    format!("unit {u} minus its roles"),
                    unit_n(u).unwrap() - shown,
                    group,
                );
            }
        }
        for r in role_names.iter().filter(|r| role_n(r).is_some()) {
            let parts: Vec<Cell> = units.iter().map(|u| (u.clone(), r.clone())).collect();
            let shown: i64 = parts.iter().filter_map(&cell_n).sum();
            let group = parts.into_iter().filter(|c| hidden(c)).collect();
            if shown > 0 {
                check(
                    format!("role {r} minus its units"),
                    role_n(r).unwrap() - shown,
                    group,
                );
            }
        }
        // the organisation minus the units in A minus the roles in B plus
        // the shown cells of both, minus the shown cells of neither
        let shown_units: Vec<&String> = units.iter().filter(|u| unit_n(u).is_some()).collect();
        let shown_roles: Vec<&String> = role_names.iter().filter(|r| role_n(r).is_some()).collect();
        for a in 0..1usize << shown_units.len() {
            for b in 0..1usize << shown_roles.len() {
                let in_a = |u: &String| {
                    shown_units
                        .iter()
                        .position(|x| *x == u)
                        .is_some_and(|i| a & (1 << i) != 0)
                };
                let in_b = |r: &String| {
                    shown_roles
                        .iter()
                        .position(|x| *x == r)
                        .is_some_and(|i| b & (1 << i) != 0)
                };
                // hidden respondents in both A and B make a mixed sum
                if truth.keys().any(|c| in_a(&c.0) && in_b(&c.1) && hidden(c)) {
                    continue;
                }
                let mut value = whole;
                value -= shown_units
                    .iter()
                    .filter(|u| in_a(u))
                    .map(|u| unit_n(u).unwrap())
                    .sum::<i64>();
                value -= shown_roles
                    .iter()
                    .filter(|r| in_b(r))
                    .map(|r| role_n(r).unwrap())
                    .sum::<i64>();
                for c in truth.keys() {
                    match cell_n(c) {
                        Some(v) if in_a(&c.0) && in_b(&c.1) => value += v,
                        Some(v) if !in_a(&c.0) && !in_b(&c.1) => value -= v,
                        _ => {}
                    }
                }
                let group = truth
                    .keys()
                    .filter(|c| !in_a(&c.0) && !in_b(&c.1) && hidden(c))
                    .cloned()
                    .collect();
                check(
                    format!("organisation - units {a:b} - roles {b:b}"),
                    value,
                    group,
                );
            }
        }
    }
    // complete cases: the organisation's minus the shown units'
    for (level, key) in [
        ("dimension", "D1"),
        ("dimension", "D2"),
        ("category", "C1"),
        ("category", "C2"),
        ("category", "C3"),
    ] {
        let Some(whole) = reliability.get(&("".into(), "".into(), level.into(), key.into())) else {
            continue;
        };
        let shown: i64 = reliability
            .iter()
            .filter(|((u, _, l, k), _)| !u.is_empty() && l == level && k == key)
            .map(|(_, v)| v)
            .sum();
        let left = whole - shown;
        if shown > 0 && left > 0 && left < k {
            found.push(format!(
                "complete cases {level} {key}: organisation minus units = {left}"
            ));
        }
    }
    found
}

/// Writes the input: one organisation, its respondents in `people`.
fn write_input(dir: &Path, people: &[Person], k: usize) {
    std::fs::create_dir_all(dir.join("2025")).unwrap();
    std::fs::copy(fixture("small/model.toml"), dir.join("model.toml")).unwrap();
    std::fs::write(
        dir.join("mognad.toml"),
        format!(
            "model = \"model.toml\"\n[organisation]\nname = \"Slumpby\"\n[report]\nanonymity_threshold = {k}\ndate = \"2026-02-01\"\n[report.sections]\norganisation = [\"roles\"]\nunit = [\"roles\"]\n"
        ),
    )
    .unwrap();
    let mut csv = String::from("respondent,enhet,roll,S1,S2,S3,S4\n");
    for (i, p) in people.iter().enumerate() {
        let a: Vec<String> = p
            .answers
            .iter()
            .enumerate()
            .map(|(j, v)| match v {
                Some(v) => v.to_string(),
                None if (i + j) % 2 == 0 => "vet ej".into(),
                None => String::new(),
            })
            .collect();
        csv.push_str(&format!("r{i},{},{},{}\n", p.unit, p.role, a.join(",")));
    }
    std::fs::write(dir.join("2025/svar.csv"), csv).unwrap();
}

/// Respondents from cell sizes: `sizes[u][r]` people of unit u (the last:
/// none) and role r (the last: none), each statement left unanswered with
/// probability `gap` / 10 (a small generator seeded by `seed`).
fn people(sizes: &[Vec<u8>], gap: u64, seed: u64) -> Vec<Person> {
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (units, roles) = (sizes.len() - 1, sizes[0].len() - 1);
    let mut out = Vec::new();
    for (u, row) in sizes.iter().enumerate() {
        for (r, n) in row.iter().enumerate() {
            for _ in 0..*n {
                let mut answers = [None; 4];
                for a in &mut answers {
                    if next() % 10 >= gap {
                        *a = Some((next() % 6 + 1) as u8);
                    }
                }
                out.push(Person {
                    unit: if u < units {
                        format!("Enhet {u:02}")
                    } else {
                        String::new()
                    },
                    role: if r < roles {
                        format!("Roll {r}")
                    } else {
                        String::new()
                    },
                    answers,
                });
            }
        }
    }
    out
}

/// Cell sizes: mostly small, some large, so that suppression has work.
fn sizes() -> impl Strategy<Value = Vec<Vec<u8>>> {
    (2usize..=12, 2usize..=5).prop_flat_map(|(units, roles)| {
        let cell = prop_oneof![3 => 0u8..4, 2 => 0u8..9, 1 => 0u8..=30];
        let edge = prop_oneof![3 => Just(0u8), 1 => 0u8..4];
        (
            proptest::collection::vec(proptest::collection::vec(cell, roles), units),
            proptest::collection::vec(edge.clone(), roles + 1),
            proptest::collection::vec(edge, units),
        )
            .prop_map(|(mut rows, none_unit, none_role)| {
                for (row, extra) in rows.iter_mut().zip(none_role) {
                    row.push(extra);
                }
                rows.push(none_unit);
                rows
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn nothing_published_isolates_a_small_group(
        sizes in sizes(),
        gap in 0u64..3,
        seed in any::<u64>(),
        k in 3usize..=6,
    ) {
        let people = people(&sizes, gap, seed);
        prop_assume!(people.len() >= k);
        let tmp = tempfile::tempdir().unwrap();
        let (input, out) = (tmp.path().join("input"), tmp.path().join("out"));
        write_input(&input, &people, k);
        let o = mognad(["run", "-q"]).input(&input).output(&out).dir(tmp.path()).run();
        prop_assert!(o.status.success(), "{}", stderr(&o));
        let found = attack(&people, &out, k as i64);
        prop_assert!(found.is_empty(), "{} small groups, first: {:?}", found.len(), &found[..found.len().min(5)]);
    }
}

/// The sample's attack: the organisation's "Medarbetare" minus those of
/// every shown unit was one respondent of a hidden unit.
#[test]
fn the_samples_roles_give_nobody_away() {
    let (_tmp, out) = run_ok(&input_sample(), &["-q"]);
    let year = out.join("2025");
    let roles = published(&year.join("roles.csv"), "n");
    for ((unit, role, level, key), whole) in roles.iter().filter(|((u, ..), _)| u.is_empty()) {
        let parts: i64 = roles
            .iter()
            .filter(|((u, r, l, k), _)| !u.is_empty() && r == role && l == level && k == key)
            .map(|(_, n)| n)
            .sum();
        let left = whole - parts;
        assert!(
            left == 0 || left >= 5,
            "{role} {level} {key}: the organisation's {whole} minus the shown units' {parts} leaves {left} ({unit})"
        );
    }
}
