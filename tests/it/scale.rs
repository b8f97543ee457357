//! Runs at scale: shards and their merge, the closing summary, synth's
//! reference inputs.

use crate::common::*;

fn run_to(tmp: &std::path::Path, out: &str, extra: &[&str]) -> std::process::Output {
    mognad(["run"])
        .input(fixture("multi"))
        .output(tmp.join(out))
        .args(extra)
        .dir(tmp)
        .run()
}

/// `mognad merge` of the shard outputs `shards` (folders in `t`) into
/// `merged`.
fn merge_shards(
    t: &std::path::Path,
    merged: &std::path::Path,
    shards: [&str; 2],
) -> std::process::Output {
    mognad(["merge"])
        .output(merged)
        .args(shards.map(|s| t.join(s)))
        .dir(t)
        .run()
}

fn folders(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[test]
fn two_shards_plus_merge_give_the_same_files_as_one_unsharded_run() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    for (out, extra) in [
        ("whole", vec![]),
        ("s1", vec!["--shard", "1/2"]),
        ("s2", vec!["--shard", "2/2"]),
    ] {
        let o = run_to(t, out, &extra);
        assert!(o.status.success(), "{out}: {}", stderr(&o));
    }
    // the split is fixed by the folder names (sha256, see src/shard.rs)
    // every shard writes the year-level files (the same in each)
    let year_files = ["index.json", "open-data", "overview.csv", "overview.pdf"];
    assert_eq!(
        folders(&t.join("s1/2025")),
        [&["cirka-region"][..], &year_files].concat()
    );
    assert_eq!(
        folders(&t.join("s2/2025")),
        [&["alby-kommun", "bruka-kommun"][..], &year_files].concat()
    );
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(t.join("s2/2025/index.json")).unwrap()).unwrap();
    assert_eq!(index["shard"], "2/2");
    assert_eq!(index["organisations"].as_array().unwrap().len(), 2);

    let merged = t.join("merged");
    let o = merge_shards(t, &merged, ["s2", "s1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (whole, merged) = (snapshot(&t.join("whole")), snapshot(&merged));
    assert_eq!(
        whole.keys().collect::<Vec<_>>(),
        merged.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &whole {
        assert!(bytes == &merged[name], "{name} differs after the merge");
    }
    let index: serde_json::Value = serde_json::from_slice(&whole["2025/index.json"]).unwrap();
    assert!(index.get("shard").is_none());
    let orgs: Vec<&str> = index["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["organisation"].as_str().unwrap())
        .collect();
    assert_eq!(orgs, ["Alby kommun", "Bruka kommun", "Cirka region"]);
}

#[test]
fn merge_refuses_a_missing_shard_and_a_damaged_file_and_leaves_its_output_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    for (out, shard) in [("s1", "1/2"), ("s2", "2/2")] {
        assert!(run_to(t, out, &["--shard", shard]).status.success());
    }
    let merged = t.join("merged");
    let merge = |shards: &[&str]| {
        let mut args = vec!["merge", "--output", merged.to_str().unwrap()];
        let paths: Vec<String> = shards
            .iter()
            .map(|s| t.join(s).to_str().unwrap().to_string())
            .collect();
        args.extend(paths.iter().map(String::as_str));
        mognad(&args).dir(t).run()
    };
    assert!(merge(&["s1", "s2"]).status.success());
    let before = snapshot(&merged);

    let o = merge(&["s1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("shard 2/2 missing"), "{}", stderr(&o));

    let o = merge(&["s1", "s1", "s2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("given twice"), "{}", stderr(&o));

    // a report damaged on its way from a shard's machine
    let csv = t.join("s2/2025/alby-kommun/indices.csv");
    let mut bytes = std::fs::read(&csv).unwrap();
    bytes.push(b'x');
    std::fs::write(&csv, bytes).unwrap();
    let o = merge(&["s1", "s2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("indices.csv") && stderr(&o).contains("checksum"),
        "{}",
        stderr(&o)
    );
    assert_eq!(snapshot(&merged), before, "a refused merge changes nothing");
}

#[test]
fn a_shard_of_a_single_organisation_input_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let o = mognad(["run"])
        .input(fixture("small"))
        .output(&out)
        .args(["--shard", "1/2"])
        .dir(tmp.path())
        .run();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("one organisation"), "{}", stderr(&o));
    let o = mognad(["run", "--shard", "3/2"]).dir(tmp.path()).run();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn org_after_a_full_run_keeps_the_year_index_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    assert!(run_to(t, "out", &[]).status.success());
    let before = std::fs::read(t.join("out/2025/index.json")).unwrap();
    assert!(run_to(t, "out", &["--org", "Bruka kommun"])
        .status
        .success());
    assert_eq!(
        std::fs::read(t.join("out/2025/index.json")).unwrap(),
        before,
        "the same input renders the same organisation: the index is unchanged"
    );
}

#[test]
fn the_closing_summary_counts_reports_suppressed_units_and_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = mognad(["run"])
        .input(input_sample())
        .output(&out)
        .dir(tmp.path())
        .run();
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("2025/manifest.json")).unwrap()).unwrap();
    let reports = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"].as_str().unwrap().ends_with("_report"))
        .count();
    let suppressed = m["units_without_report"].as_array().unwrap().len();
    assert!(suppressed > 0, "the sample has a small unit");
    assert!(
        text.contains(&format!("2025: {reports} reports written to")),
        "{text}"
    );
    let unit_word = if suppressed == 1 { "unit" } else { "units" };
    assert!(
        text.contains(&format!("; {suppressed} {unit_word} suppressed")),
        "{text}"
    );
    assert!(text.contains("done in "), "{text}");
    // quiet prints nothing at all, and no progress bar reaches a pipe
    let o = mognad(["run"])
        .input(input_sample())
        .output(&out)
        .arg("--quiet")
        .dir(tmp.path())
        .run();
    assert!(o.status.success());
    assert!(o.stdout.is_empty() && o.stderr.is_empty());
}

#[test]
fn synth_makes_the_municipality_reference_input() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    let o = mognad([
        "synth",
        "--respondents",
        "120",
        "--units",
        "40",
        "--initiatives",
        "300",
        "--out",
        dir.to_str().unwrap(),
    ])
    .dir(tmp.path())
    .run();
    assert!(o.status.success(), "{}", stderr(&o));
    let survey = std::fs::read_to_string(dir.join("2025/enkat-2025.csv")).unwrap();
    let units: std::collections::BTreeSet<&str> = survey
        .lines()
        .skip(1)
        .map(|l| l.split(';').nth(2).unwrap())
        .collect();
    assert_eq!(units.len(), 40);
    let register = std::fs::read_to_string(dir.join("initiativ.csv")).unwrap();
    assert_eq!(register.lines().count(), 1 + 300);
}

/// Peer groups checked against an independent computation: from every
/// organisation's published total and the organisations file, the mean
/// and the mid-rank percentile of each organisation's type and size-class
/// groups (at least 5 organisations, itself counted).
#[test]
fn peer_benchmarks_and_percentiles_match_an_independent_computation() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = synth_and_run(tmp.path(), "1");
    // the organisations file: name -> (type, size class)
    let text = std::fs::read_to_string(input.join("organisationer.csv")).unwrap();
    let class = |size: f64| match size {
        s if s < 10000.0 => "0-9999",
        s if s < 50000.0 => "10000-49999",
        s if s < 200000.0 => "50000-199999",
        _ => "200000+",
    };
    let info: std::collections::BTreeMap<String, (String, String)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(';').collect();
            (
                f[0].to_string(),
                (f[1].to_string(), class(f[2].parse().unwrap()).to_string()),
            )
        })
        .collect();
    // every organisation's total from its own indices.csv
    let mut totals = std::collections::BTreeMap::new();
    for name in info.keys() {
        let folder = name.to_lowercase().replace(' ', "-");
        let rows = read_csv(&out.join("2025").join(&folder).join("indices.csv"));
        let total = rows
            .iter()
            .find(|r| r["unit"].is_empty() && r["level"] == "total")
            .unwrap();
        if !total["index"].is_empty() {
            totals.insert(
                name.clone(),
                (
                    folder,
                    total["index"].parse::<f64>().unwrap(),
                    total.clone(),
                ),
            );
        }
    }
    let mut checked = 0;
    for (name, (folder, value, row)) in &totals {
        let peers = read_csv(&out.join("2025").join(folder).join("peers.csv"));
        let mut first_large = None;
        for (group, pick) in [("typ", 0), ("storlek", 1)] {
            let mine = |n: &String| if pick == 0 { &info[n].0 } else { &info[n].1 };
            let members: Vec<f64> = totals
                .iter()
                .filter(|(n, _)| mine(n) == mine(name))
                .map(|(_, (_, v, _))| *v)
                .collect();
            let line = peers
                .iter()
                .find(|r| r["level"] == "total" && r["group"] == group)
                .unwrap();
            assert_eq!(&line["group_value"], mine(name));
            assert_eq!(
                line["n"].parse::<usize>().unwrap(),
                members.len(),
                "{name} {group}"
            );
            if members.len() >= 5 {
                let mean = members.iter().sum::<f64>() / members.len() as f64;
                let below = members.iter().filter(|v| **v < *value).count() as f64;
                let equal = members.iter().filter(|v| **v == *value).count() as f64;
                let pct = 100.0 * (below + equal / 2.0) / members.len() as f64;
                assert!((line["benchmark"].parse::<f64>().unwrap() - mean).abs() < 1e-9);
                assert!((line["percentile"].parse::<f64>().unwrap() - pct).abs() < 1e-9);
                first_large.get_or_insert((
                    format!("{group}={}", mine(name)),
                    mean,
                    pct,
                    members.clone(),
                ));
                checked += 1;
            } else {
                assert!(line["benchmark"].is_empty() && line["percentile"].is_empty());
            }
        }
        // indices.csv reports the first group large enough, and the report
        // compares with it and places the organisation among all and among
        // its peers
        let pdf = out
            .join("2025")
            .join(folder)
            .join(format!("digital-mognad-2025-{folder}.pdf"));
        let text = pdf_words(&pdf);
        let shown = |v: f64, d: usize| format!("{v:.d$}").replace('.', ",");
        let all = row["percentile"].parse::<f64>().unwrap();
        // the lowest or highest place (alone there) is said in words, not
        // as a percentile: judged from the values themselves
        let place = |members: &[f64], lowest: &str, highest: &str, other: String| {
            let others = || members.iter().filter(|v| **v != *value);
            let alone = members.iter().filter(|v| **v == *value).count() == 1;
            if alone && others().all(|v| *v > *value) {
                lowest.to_string()
            } else if alone && others().all(|v| *v < *value) {
                highest.to_string()
            } else {
                other
            }
        };
        let n_all = totals.len();
        let all_values: Vec<f64> = totals.values().map(|(_, v, _)| *v).collect();
        assert!(
            text.contains(&place(
                &all_values,
                &format!("Lägst av de {n_all} organisationerna i underlaget"),
                &format!("Högst av de {n_all} organisationerna i underlaget"),
                format!(
                    "Percentil {} bland de {n_all} organisationerna i underlaget",
                    shown(all, 0)
                ),
            )),
            "{name}: {text}"
        );
        match first_large {
            Some((label, mean, pct, members)) => {
                assert_eq!(row["peer_group"], label);
                assert!((row["peer_benchmark"].parse::<f64>().unwrap() - mean).abs() < 1e-9);
                assert!((row["peer_percentile"].parse::<f64>().unwrap() - pct).abs() < 1e-9);
                let (group, value) = label.split_once('=').unwrap();
                // a size class in words
                let thousands = |v: &str| {
                    let digits: Vec<char> = v.chars().collect();
                    let mut out = String::new();
                    for (i, c) in digits.iter().enumerate() {
                        if i > 0 && (digits.len() - i).is_multiple_of(3) {
                            out.push('\u{a0}');
                        }
                        out.push(*c);
                    }
                    out
                };
                let value = match value.strip_suffix('+') {
                    Some(low) => format!("{} invånare eller fler", thousands(low)),
                    None => match value.split_once('-') {
                        Some(("0", high)) => {
                            let below = (high.parse::<usize>().unwrap() + 1).to_string();
                            format!("färre än {} invånare", thousands(&below))
                        }
                        Some((low, high)) if group == "storlek" => {
                            format!("{}–{} invånare", thousands(low), thousands(high))
                        }
                        _ => value.to_string(),
                    },
                };
                let n = peers
                    .iter()
                    .find(|r| r["level"] == "total" && r["group"] == group)
                    .unwrap()["n"]
                    .clone();
                assert!(
                    text.contains(&format!(
                        "Jämförelse: de {n} organisationerna med samma {group} ({value}) 2025: {} %",
                        shown(mean, 1)
                    )),
                    "{name}: {text}"
                );
                assert!(
                    text.contains(&place(
                        &members,
                        &format!(", lägst av de {n} med samma {group} ({value})"),
                        &format!(", högst av de {n} med samma {group} ({value})"),
                        format!(
                            ", {} bland de {n} med samma {group} ({value})",
                            shown(pct, 0)
                        ),
                    )),
                    "{name}: {text}"
                );
            }
            None => assert!(row["peer_group"].is_empty()),
        }
    }
    assert!(checked >= 10, "only {checked} large groups: a weak test");
    // a population the config names is compared with instead of the peers
    let config = input.join("mognad.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}\n[benchmark]\npopulation = \"alla\"\n"),
    )
    .unwrap();
    let o = mognad(["run"])
        .input(&input)
        .output(&out)
        .args(["-q", "--org", "Organisation 0002"])
        .dir(tmp.path())
        .run();
    assert!(o.status.success(), "{}", stderr(&o));
    let folder = &totals["Organisation 0002"].0;
    let pdf = out
        .join("2025")
        .join(folder)
        .join(format!("digital-mognad-2025-{folder}.pdf"));
    let text = pdf_words(&pdf);
    assert!(
        text.contains("Jämförelse: alla organisationer 2025"),
        "{text}"
    );
    assert!(!text.contains("organisationerna med samma"));
}

/// A shard's index.json is untrusted: an organisation folder that leaves
/// the year folder, an absolute one, one in the wrong shard and one left
/// out are each refused (exit 2, naming the shard), and nothing is written
/// outside the merged output.
#[test]
fn merge_refuses_a_shard_index_that_lies() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    for (out, shard) in [("s1", "1/2"), ("s2", "2/2")] {
        assert!(run_to(t, out, &["--shard", shard]).status.success());
    }
    let merged = t.join("merged");
    let index_of = |shard: &str| t.join(shard).join("2025/index.json");
    let read = |shard: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(index_of(shard)).unwrap()).unwrap()
    };
    let original = read("s2");
    // each lie, with what the message must say
    let evil = t.join("s2/EVIL");
    copy_tree(&t.join("s2/2025/alby-kommun"), &evil);
    type Lie = Box<dyn Fn(&mut serde_json::Value)>;
    let lies: Vec<(Lie, &str)> = vec![
        (
            Box::new(|i| i["organisations"][0]["folder"] = "../EVIL".into()),
            "not that organisation's folder name",
        ),
        (
            Box::new(move |i| {
                i["organisations"][0]["folder"] = evil.to_str().unwrap().into();
            }),
            "not that organisation's folder name",
        ),
        (
            Box::new(|i| {
                i["organisations"].as_array_mut().unwrap().remove(1);
            }),
            "missing from their shard, first bruka-kommun",
        ),
    ];
    for (lie, says) in lies {
        let mut index = original.clone();
        lie(&mut index);
        std::fs::write(index_of("s2"), serde_json::to_vec_pretty(&index).unwrap()).unwrap();
        let o = merge_shards(t, &merged, ["s1", "s2"]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(says), "{}", stderr(&o));
        assert!(stderr(&o).contains("s2"), "names the shard: {}", stderr(&o));
        assert!(!t.join("EVIL").exists() && !merged.join("EVIL").exists());
        assert!(!merged.join("2025").exists());
    }
    // an organisation of shard 2 presented by shard 1
    let mut s1 = read("s1");
    let mut s2 = original.clone();
    let moved = s2["organisations"].as_array_mut().unwrap().remove(0);
    s1["organisations"].as_array_mut().unwrap().push(moved);
    copy_tree(
        &t.join("s2/2025/alby-kommun"),
        &t.join("s1/2025/alby-kommun"),
    );
    std::fs::write(index_of("s1"), serde_json::to_vec_pretty(&s1).unwrap()).unwrap();
    std::fs::write(index_of("s2"), serde_json::to_vec_pretty(&s2).unwrap()).unwrap();
    let o = merge_shards(t, &merged, ["s1", "s2"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("belongs to another shard"),
        "{}",
        stderr(&o)
    );
}

/// Shards written without the list of the run's organisations (an older
/// version, or the field removed) cannot show that none is missing: refused.
#[test]
fn merge_refuses_a_shard_index_without_the_runs_organisations() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    for (out, shard) in [("s1", "1/2"), ("s2", "2/2")] {
        assert!(run_to(t, out, &["--shard", shard]).status.success());
        let path = t.join(out).join("2025/index.json");
        let mut index: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        index.as_object_mut().unwrap().remove("run_folders");
        std::fs::write(&path, serde_json::to_vec_pretty(&index).unwrap()).unwrap();
    }
    let merged = t.join("merged");
    let o = merge_shards(t, &merged, ["s1", "s2"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("run_folders"), "{}", stderr(&o));
}
