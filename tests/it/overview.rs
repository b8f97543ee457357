//! The year-level files of a multi-organisation run: the national
//! overview (its figures against the organisations' own and against its
//! PDF), the open-data package (valid Frictionless Data, nothing hidden,
//! no budgets unless asked for) and the inspiration from peers.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;

/// A hand-made input of three organisations and the small model: Alby has
/// a unit of one respondent (hidden; with the threshold 2 a second unit
/// is hidden with it, so that it cannot be derived), and registers with
/// budgets.
fn hand_made(dir: &Path, extra_config: &str) {
    let model = fixture("small").join("model.toml");
    std::fs::write(
        dir.join("mognad.toml"),
        format!(
            "model = \"{}\"\n[report]\nanonymity_threshold = 2\ndate = \"2026-02-01\"\n[peers]\nmin_size = 2\n{extra_config}",
            model.display()
        ),
    )
    .unwrap();
    let mut svar = String::from("organisation,respondent,enhet,S1,S2,S3,S4\n");
    let rows: [(&str, &str, [u8; 4]); 14] = [
        ("Alby kommun", "Stab", [6, 5, 4, 3]),
        ("Alby kommun", "Stab", [5, 5, 4, 4]),
        ("Alby kommun", "Stab", [4, 4, 4, 4]),
        ("Alby kommun", "Ekonomi", [3, 3, 3, 3]),
        ("Alby kommun", "Ekonomi", [2, 3, 4, 5]),
        ("Alby kommun", "Ekonomi", [3, 4, 3, 4]),
        ("Alby kommun", "Hemlig", [1, 1, 1, 1]),
        ("Bruka kommun", "Stab", [5, 5, 5, 5]),
        ("Bruka kommun", "Stab", [6, 6, 5, 5]),
        ("Cirka region", "Stab", [2, 2, 3, 3]),
        ("Cirka region", "Stab", [3, 3, 2, 2]),
        // hidden (one respondent) and not in the organisations file
        ("Dolda orten", "Stab", [6, 6, 6, 6]),
        // shown, not in the organisations file: a participant of no type
        ("Eka stiftelse", "Stab", [4, 4, 5, 5]),
        ("Eka stiftelse", "Stab", [5, 5, 4, 4]),
    ];
    for (i, (org, unit, a)) in rows.iter().enumerate() {
        svar.push_str(&format!(
            "{org},r{i},{unit},{},{},{},{}\n",
            a[0], a[1], a[2], a[3]
        ));
    }
    std::fs::create_dir_all(dir.join("2025")).unwrap();
    std::fs::write(dir.join("2025/svar.csv"), svar).unwrap();
    std::fs::write(
        dir.join("organisationer.csv"),
        "Organisation;Typ;Invånare;Län;Dela_initiativ\nAlby kommun;kommun;12000;Skåne;ja\nBruka kommun;kommun;80000;Skåne;nej\nCirka region;region;400000;Uppsala;ja\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("initiativ.csv"),
        "Organisation;Id;Namn;Status;Budget;Stärker;Effektivitet-innovation;Operativ-strategisk;Intern-extern;År\n\
         Alby kommun;A1;Hemligt projekt Alfa;Pågående;1000000;S1;-2;0;1;2025\n\
         Alby kommun;A2;Hemligt projekt Beta;Planerad;500000;S3;2;1;1;2025\n\
         Cirka region;C1;Hemligt projekt Gamma;Genomförd;250000;S4;0;-1;-2;2025\n\
         Dolda orten;D1;Hemligt projekt Delta;Pågående;777000;S2;1;1;1;2025\n",
    )
    .unwrap();
}

/// The hand-made input run: its folder and the run's (keep both alive),
/// and the year folder.
fn run_hand_made(extra_config: &str) -> (tempfile::TempDir, tempfile::TempDir, std::path::PathBuf) {
    let input = tempfile::tempdir().unwrap();
    hand_made(input.path(), extra_config);
    let (tmp, out) = run_ok(input.path(), &["-q"]);
    (input, tmp, out.join("2025"))
}

fn validator(schema: &str) -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schemas")
        .join(schema);
    let schema: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid(v: &jsonschema::Validator, doc: &serde_json::Value, what: &str) {
    let errors: Vec<String> = v.iter_errors(doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{what}: {errors:?}");
}

#[test]
fn the_open_data_package_is_valid_frictionless_data_and_holds_nothing_hidden() {
    let (_input, _tmp, year) = run_hand_made("");
    let dir = year.join("open-data");
    let package: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("datapackage.json")).unwrap()).unwrap();
    assert_valid(
        &validator("datapackage-v1.json"),
        &package,
        "datapackage.json",
    );
    assert_eq!(package["profile"], "tabular-data-package");
    let (resource, table) = (
        validator("dataresource-v1.json"),
        validator("tableschema-v1.json"),
    );
    let resources = package["resources"].as_array().unwrap();
    let names: Vec<&str> = resources
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["organisations", "units", "national", "portfolio"]);
    let text = std::fs::read_to_string(dir.join("organisations.csv")).unwrap();
    assert!(text.contains("Eka stiftelse") && !text.contains("Dolda orten"));
    for r in resources {
        let name = r["name"].as_str().unwrap();
        assert_valid(&resource, r, name);
        assert_valid(&table, &r["schema"], name);
        assert_eq!(r["profile"], "tabular-data-resource");
        // the header is the schema's fields, every row as wide
        let fields: Vec<&str> = r["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        let rows = read_rows(&dir.join(r["path"].as_str().unwrap()));
        assert_eq!(rows[0], fields);
        assert!(rows.iter().all(|row| row.len() == fields.len()), "{name}");
    }
    // every listed file is in the year's index with its checksum
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(year.join("index.json")).unwrap()).unwrap();
    let files: BTreeMap<&str, &str> = index["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["sha256"].as_str().unwrap()))
        .collect();
    for name in ["datapackage.json", "units.csv", "portfolio.csv"] {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        assert_eq!(
            files[format!("open-data/{name}").as_str()],
            sha256_hex(&bytes)
        );
    }
    assert!(files.contains_key("overview.pdf") && files.contains_key("overview.csv"));

    // Alby's hidden units (the one of one respondent, and the one hidden
    // with it) are nowhere in the package; its shown unit is
    let alby = read_csv(&year.join("alby-kommun/indices.csv"));
    let hidden: std::collections::BTreeSet<&str> = alby
        .iter()
        .filter(|r| !r["unit"].is_empty() && r["suppressed"] == "true")
        .map(|r| r["unit"].as_str())
        .collect();
    assert_eq!(hidden, ["Ekonomi", "Hemlig"].into());
    let units = read_csv(&dir.join("units.csv"));
    for h in &hidden {
        assert!(
            units
                .iter()
                .all(|r| r["organisation"] != "Alby kommun" || r["unit"] != *h),
            "Alby's {h} is in units.csv"
        );
    }
    let shown: std::collections::BTreeSet<&str> = alby
        .iter()
        .filter(|r| !r["unit"].is_empty() && r["suppressed"] == "false")
        .map(|r| r["unit"].as_str())
        .collect();
    assert_eq!(shown, ["Stab"].into());
    for s in shown {
        let row = units
            .iter()
            .find(|r| r["organisation"] == "Alby kommun" && r["unit"] == s && r["level"] == "total")
            .unwrap();
        let mine = alby
            .iter()
            .find(|r| r["unit"] == s && r["level"] == "total")
            .unwrap();
        assert_eq!(row["index"], mine["index"]);
    }
    // no free text, no budgets, nothing of the hidden organisation
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains("Hemligt projekt"), "initiative names");
        let header = text.lines().next().unwrap_or_default();
        assert!(!header.contains("budget"), "a budget column");
        assert!(!text.contains("\"budget"), "a budget field");
        assert!(!text.contains("1000000") && !text.contains("1500000"));
        assert!(!text.contains("Dolda orten"), "the hidden organisation");
    }
    // the organisation of no type counts in "all", under no type
    let national = read_csv(&dir.join("national.csv"));
    let all_total = national
        .iter()
        .find(|r| r["type"].is_empty() && r["level"] == "total")
        .unwrap();
    assert_eq!(all_total["organisations"], "4", "Alby, Bruka, Cirka, Eka");
    // the one region is too few for a statistic of its own ([peers]
    // min_size 2): it counts among the other types
    assert_eq!(
        national
            .iter()
            .filter(|r| r["level"] == "total")
            .map(|r| r["type"].as_str())
            .collect::<Vec<_>>(),
        ["kommun", ""]
    );
    // every figure of overview.csv once, and no organisation named
    let overview = read_csv(&year.join("overview.csv"));
    let keys: std::collections::BTreeSet<String> = overview
        .iter()
        .map(|r| {
            format!(
                "{}|{}|{}|{}|{}",
                r["section"], r["group"], r["year"], r["key"], r["statistic"]
            )
        })
        .collect();
    assert_eq!(keys.len(), overview.len(), "a figure twice in overview.csv");
    assert!(overview
        .iter()
        .all(|r| !r["group"].starts_with("organisation=")));
    let participation = |group: &str, statistic: &str| {
        overview
            .iter()
            .find(|r| {
                r["section"] == "participation"
                    && r["group"] == group
                    && r["statistic"] == statistic
            })
            .unwrap()["value"]
            .clone()
    };
    // Dolda orten and Eka stiftelse are of no type; one of them hidden
    assert_eq!(participation("type=", "organisations"), "2.0");
    assert_eq!(participation("type=", "hidden"), "1.0");
    // only the shown one's respondents (Eka's two): Dolda orten's one is
    // no more told here than in its own tables
    assert_eq!(participation("type=", "respondents"), "2.0");
    // the national portfolio counts the hidden organisation's initiative
    // in the totals only (4 initiatives, 3 organisations)
    let portfolio_total = overview
        .iter()
        .find(|r| {
            r["section"] == "portfolio" && r["statistic"] == "initiatives" && r["key"].is_empty()
        })
        .unwrap();
    assert_eq!(portfolio_total["value"], "4.0");
    let portfolio = read_csv(&dir.join("portfolio.csv"));
    let alby_axis = portfolio
        .iter()
        .find(|r| r["organisation"] == "Alby kommun" && r["axis"] == "efficiency_innovation")
        .unwrap();
    // A1 at -2 (efficiency), A2 at 2 (innovation): half each
    assert_eq!(
        (
            alby_axis["initiatives"].as_str(),
            alby_axis["share_low"].as_str(),
            alby_axis["share_high"].as_str()
        ),
        ("2", "0.5", "0.5")
    );

    // with names asked for, the shown organisations are named in the
    // overview and its table, the hidden one nowhere
    let (_input, _tmp, named) = run_hand_made("[overview]\nnames = true\n");
    let overview = read_csv(&named.join("overview.csv"));
    let annexed: std::collections::BTreeSet<&str> = overview
        .iter()
        .filter(|r| r["section"] == "organisations")
        .map(|r| r["group"].as_str())
        .collect();
    assert_eq!(
        annexed,
        [
            "organisation=Alby kommun",
            "organisation=Bruka kommun",
            "organisation=Cirka region",
            "organisation=Eka stiftelse"
        ]
        .into()
    );
    let text = pdf_text(&named.join("overview.pdf"));
    assert!(
        text.contains("Eka stiftelse") && !text.contains("Dolda orten"),
        "{text}"
    );

    // with budgets asked for, the budget columns come
    let (_input, _tmp, year) = run_hand_made("[open_data]\nbudgets = true\n");
    let portfolio = read_csv(&year.join("open-data/portfolio.csv"));
    let alby_axis = portfolio
        .iter()
        .find(|r| r["organisation"] == "Alby kommun" && r["axis"] == "efficiency_innovation")
        .unwrap();
    assert_eq!(alby_axis["budget"], "1500000.0");
    // 1 000 000 toward efficiency of 1 500 000
    assert!((alby_axis["budget_share_low"].parse::<f64>().unwrap() - 2.0 / 3.0).abs() < 1e-12);
}

/// The median and quartiles as the overview defines them (linear
/// interpolation between order statistics).
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let pos = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (pos - lo as f64) * (sorted[hi] - sorted[lo])
}

#[test]
fn the_overview_matches_the_organisations_own_figures_and_its_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = synth_and_run(tmp.path(), "2");
    let year = out.join("2025");
    // the organisations file: name -> (type, county, shares)
    let text = std::fs::read_to_string(input.join("organisationer.csv")).unwrap();
    let info: BTreeMap<String, (String, String, bool)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(';').collect();
            (
                f[0].to_string(),
                (f[1].to_string(), f[3].to_string(), f[5] == "ja"),
            )
        })
        .collect();
    // every organisation's published total, respondents and change
    let mut totals: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    let mut before = Vec::new();
    for name in info.keys() {
        let folder = name.to_lowercase().replace(' ', "-");
        let rows = read_csv(&year.join(&folder).join("indices.csv"));
        let total = rows
            .iter()
            .find(|r| r["unit"].is_empty() && r["level"] == "total")
            .unwrap();
        let index: f64 = total["index"].parse().unwrap();
        totals.insert(name.clone(), (index, total["n"].parse().unwrap()));
        let change: f64 = total["change"].parse().unwrap();
        before.push(index - change);
    }
    let csv = read_csv(&year.join("overview.csv"));
    let figure = |section: &str, group: &str, key: &str, statistic: &str| -> f64 {
        csv.iter()
            .find(|r| {
                r["section"] == section
                    && r["group"] == group
                    && r["key"] == key
                    && r["statistic"] == statistic
                    && r["year"] == "2025"
            })
            .unwrap_or_else(|| panic!("{section} {group} {key} {statistic}"))["value"]
            .parse()
            .unwrap()
    };
    let mut all: Vec<f64> = totals.values().map(|(v, _)| *v).collect();
    all.sort_by(f64::total_cmp);
    let mean = all.iter().sum::<f64>() / all.len() as f64;
    assert!((figure("spread", "all", "total", "mean") - mean).abs() < 1e-9);
    assert!((figure("spread", "all", "total", "median") - quantile(&all, 0.5)).abs() < 1e-9);
    assert!((figure("spread", "all", "total", "q1") - quantile(&all, 0.25)).abs() < 1e-9);
    assert!((figure("spread", "all", "total", "q3") - quantile(&all, 0.75)).abs() < 1e-9);
    assert_eq!(figure("spread", "all", "total", "n"), 16.0);
    // participation per type, and each type's median; a type of fewer
    // than five organisations ([peers] min_size) has no statistic of its
    // own: it counts under "type=" (other types)
    let kinds: std::collections::BTreeSet<&String> = info.values().map(|(k, _, _)| k).collect();
    let has = |section: &str, group: &str| {
        csv.iter()
            .any(|r| r["section"] == section && r["group"] == group && r["year"] == "2025")
    };
    let mut other: Vec<f64> = Vec::new();
    for kind in kinds {
        let members: Vec<&String> = info
            .iter()
            .filter(|(_, i)| &i.0 == kind)
            .map(|(n, _)| n)
            .collect();
        let group = format!("type={kind}");
        assert_eq!(
            figure("participation", &group, "", "organisations"),
            members.len() as f64
        );
        let respondents: usize = members.iter().map(|n| totals[*n].1).sum();
        assert_eq!(
            figure("participation", &group, "", "respondents"),
            respondents as f64
        );
        let mut v: Vec<f64> = members.iter().map(|n| totals[*n].0).collect();
        if v.len() < 5 {
            assert!(!has("spread", &group), "{group}: {} organisations", v.len());
            assert!(!has("trend", &group), "{group}: {} organisations", v.len());
            other.extend(v);
            continue;
        }
        v.sort_by(f64::total_cmp);
        assert!((figure("spread", &group, "total", "median") - quantile(&v, 0.5)).abs() < 1e-9);
    }
    other.sort_by(f64::total_cmp);
    if other.len() >= 5 {
        assert!(
            (figure("spread", "type=", "total", "median") - quantile(&other, 0.5)).abs() < 1e-9
        );
        assert_eq!(figure("spread", "type=", "total", "n"), other.len() as f64);
    } else {
        assert!(!has("spread", "type="), "other types: {other:?}");
    }
    // the trend's 2024 mean from the organisations' 2024 totals (2025's
    // less the change)
    let mean_2024 = before.iter().sum::<f64>() / before.len() as f64;
    let trend_2024 = csv
        .iter()
        .find(|r| {
            r["section"] == "trend"
                && r["group"] == "all"
                && r["year"] == "2024"
                && r["statistic"] == "mean"
        })
        .unwrap()["value"]
        .parse::<f64>()
        .unwrap();
    assert!((trend_2024 - mean_2024).abs() < 1e-9);
    assert_eq!(figure("trend", "all", "total", "target"), 55.0);

    // the PDF prints the same figures, formatted
    let pdf = pdf_words(&year.join("overview.pdf"));
    let pct = |v: f64| format!("{v:.1} %").replace('.', ",");
    assert!(pdf.contains("Nationell översikt 2025"), "{pdf}");
    let compact: String = pdf.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        compact.contains(&format!(
            "Medelvärde,totalindex{}",
            pct(mean).replace(' ', "")
        )),
        "{pdf}"
    );
    assert!(
        pdf.contains(&format!(
            "Totalt {} {} {}–{}",
            pct(quantile(&all, 0.5)),
            pct(mean),
            pct(quantile(&all, 0.25)),
            pct(quantile(&all, 0.75))
        )),
        "{pdf}"
    );
    assert!(
        pdf.contains(&format!("Alla organisationer {}", pct(mean))),
        "{pdf}"
    );
    assert!(pdf.contains("Mål 55 %"), "{pdf}");
    // organisations are not named unless [overview] names says so
    assert!(!pdf.contains("Organisation 0001"), "{pdf}");

    // inspiration: an organisation that does not share never appears in
    // another's report; one that shares may
    let mut mentioned = std::collections::BTreeSet::new();
    for name in info.keys() {
        let folder = name.to_lowercase().replace(' ', "-");
        let text = pdf_text(
            &year
                .join(&folder)
                .join(format!("digital-mognad-2025-{folder}.pdf")),
        );
        for other in info.keys().filter(|o| *o != name) {
            if text.contains(other.as_str()) {
                mentioned.insert(other.clone());
            }
        }
    }
    assert!(!mentioned.is_empty(), "no peer's initiative in any report");
    for m in &mentioned {
        assert!(
            info[m].2,
            "{m} does not share its initiatives but is named in a report"
        );
    }
}
