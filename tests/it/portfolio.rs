//! The initiative register: reading, normalising and validating.

use crate::common::*;
use serde_json::Value;

/// A copy of the small fixture with `register` as its initiative register.
fn with_register(register: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    std::fs::write(tmp.path().join("initiativ-2025.csv"), register).unwrap();
    tmp
}

#[test]
fn portfolio_csv_normalises_axes_and_links_categories() {
    let input =
        with_register(&std::fs::read_to_string(fixture("register/initiativ-2025.csv")).unwrap());
    let (_tmp, out) = run_ok(input.path(), &[]);
    let rows = read_rows(&out.join("2025/portfolio.csv"));
    assert_eq!(
        rows[0],
        [
            "year",
            "id",
            "name",
            "unit",
            "status",
            "start",
            "end",
            "budget",
            "efficiency_innovation",
            "operational_strategic",
            "internal_external",
            "statements",
            "categories"
        ]
    );
    // -2..2 mapped to -1..1: -2 -> -1, -1 -> -0.5, 2 -> 1
    assert_eq!(&rows[1][..5], ["2025", "I1", "E-tjänst", "Alfa", "ongoing"]);
    assert_eq!(
        &rows[1][7..],
        ["1200000.0", "-1.0", "-0.5", "1.0", "S1;S3", "C1;C2"]
    );
    // a category named by its name ("Effektivitet" = C1), budget "450 000 kr"
    assert_eq!(&rows[3][7..], ["450000.0", "-0.5", "0.0", "-1.0", "", "C1"]);
    assert_eq!(rows[2][4], "planned");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("2025/manifest.json")).unwrap()).unwrap();
    assert!(manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["path"] == "portfolio.csv"));
}

#[test]
fn every_register_problem_names_file_row_and_column() {
    let register = "Id;Namn;Förvaltning;Status;Startdatum;Slutdatum;Budget;Stärker;Effektivitet-innovation;Operativ-strategisk;Intern-extern\n\
                    I1;A;Alfa;Pågående;2025-01-01;2025-12-31;100;S1;-2;-1;2\n\
                    I1;B;Alfa;Pågående;2025-01-01;2025-12-31;100;S1;-2;-1;2\n\
                    I3;C;Alfa;Pågående;2025-01-01;2025-12-31;100;S9;-2;-1;2\n\
                    I4;D;Omega;Pågående;2025-01-01;2025-12-31;100;S1;-2;-1;2\n\
                    I5;E;Alfa;Pågående;2025-01-01;2025-12-31;100;S1;;-1;2\n\
                    I6;F;Alfa;Pågående;2025-06-01;2025-01-31;100;S1;-2;-1;2\n\
                    I7;G;Alfa;Pågående;2025-01-01;2025-12-31;-500;S1;-2;-1;2\n\
                    I8;H;Alfa;Kanske;2025-01-01;2025-12-31;100;S1;-2;-1;2\n\
                    I9;I;Alfa;Pågående;2025-01-01;2025-12-31;1e308;S1;-2;-1;2\n";
    let input = with_register(register);
    let (code, json) = check_json(input.path());
    assert_eq!(code, 2, "errors stop the run");
    let problems = json["problems"].as_array().unwrap();
    let find = |kind: &str| {
        problems
            .iter()
            .find(|p| p["kind"] == kind && p["file"] == "initiativ-2025.csv")
            .unwrap_or_else(|| panic!("no {kind}: {problems:#?}"))
    };
    let at = |p: &Value| {
        (
            p["severity"].as_str().unwrap().to_string(),
            p["row"].as_u64().unwrap(),
            p["column"].as_str().unwrap_or("").to_string(),
        )
    };
    assert_eq!(at(find("duplicate_id")), ("error".into(), 3, "Id".into()));
    assert_eq!(
        at(find("unknown_statement")),
        ("error".into(), 4, "Stärker".into())
    );
    assert_eq!(
        at(find("unknown_unit")),
        ("warning".into(), 5, "Förvaltning".into())
    );
    assert_eq!(
        at(find("missing_value")),
        ("warning".into(), 6, "Effektivitet-innovation".into())
    );
    assert_eq!(
        at(find("dates_reversed")),
        ("error".into(), 7, "Slutdatum".into())
    );
    assert_eq!(
        at(find("negative_budget")),
        ("error".into(), 8, "Budget".into())
    );
    assert_eq!(
        at(find("unknown_status")),
        ("error".into(), 9, "Status".into())
    );
    // an amount no initiative has (two of them summed to inf)
    let huge = problems
        .iter()
        .find(|p| p["kind"] == "out_of_range" && p["row"] == 10)
        .unwrap_or_else(|| panic!("no budget problem: {problems:#?}"));
    assert_eq!(at(huge), ("error".into(), 10, "Budget".into()));
    assert!(
        huge["message"].as_str().unwrap().contains("1e308"),
        "{huge}"
    );
}

#[test]
fn balance_coverage_and_the_report_section_by_hand() {
    let input =
        with_register(&std::fs::read_to_string(fixture("register/initiativ-2025.csv")).unwrap());
    let (_tmp, out) = run_ok(input.path(), &[]);
    let rows = read_csv(&out.join("2025/portfolio-summary.csv"));
    // an empty sum is written 0.0, never -0.0
    assert!(
        rows.iter()
            .all(|r| r.values().all(|v| !v.starts_with("-0.0") || v.len() > 4)),
        "a -0.0 in portfolio-summary.csv"
    );
    let find = |unit: &str, kind: &str, key: &str, status: &str| {
        rows.iter()
            .find(|r| {
                r["unit"] == unit && r["kind"] == kind && r["key"] == key && r["status"] == status
            })
            .unwrap_or_else(|| panic!("no row {unit}/{kind}/{key}/{status}"))
            .clone()
    };
    let num =
        |r: &std::collections::BTreeMap<String, String>, c: &str| r[c].parse::<f64>().unwrap();
    let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-9, "{a} != {b}");
    // efficiency-innovation: I1 -1 (1 200 000), I2 0.5 (300 000), I3 -0.5 (450 000)
    let b = find("", "balance", "efficiency_innovation", "all");
    close(num(&b, "count"), 3.0);
    close(num(&b, "count_low"), 2.0 / 3.0);
    close(num(&b, "count_high"), 1.0 / 3.0);
    close(num(&b, "budget_low"), 1_650_000.0 / 1_950_000.0);
    close(num(&b, "budget_high"), 300_000.0 / 1_950_000.0);
    close(num(&b, "mean"), -1.0 / 3.0);
    close(
        num(&b, "budget_mean"),
        (-1_200_000.0 + 150_000.0 - 225_000.0) / 1_950_000.0,
    );
    // per status: the one planned initiative (I2) is all innovation
    close(
        num(
            &find("", "balance", "efficiency_innovation", "planned"),
            "count_high",
        ),
        1.0,
    );
    // coverage: C1 by I1 (ongoing, via S1) and I3 (completed, by name)
    let c1 = |st: &str| find("", "coverage", "category:C1", st);
    assert_eq!(
        (
            c1("completed")["count"].as_str(),
            c1("ongoing")["count"].as_str(),
            c1("planned")["count"].as_str()
        ),
        ("1.0", "1.0", "0.0")
    );
    close(num(&c1("completed"), "budget"), 450_000.0);
    close(
        num(&find("", "coverage", "category:C2", "planned"), "budget"),
        300_000.0,
    );
    // Alfa's own scope holds I1 and I3 only
    close(
        num(
            &find("Alfa", "balance", "efficiency_innovation", "all"),
            "count",
        ),
        2.0,
    );
    // the organisation report carries the section and its findings
    let text = pdf_text(&first_pdf(&out.join("2025")));
    assert!(text.contains("Initiativportföljen"), "no portfolio section");
    // one verdict on count and budget together: 2 of 3 initiatives and
    // 85 % of the budget toward efficiency
    let words = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("– ", "–");
    assert!(
        words.contains("Initiativen lutar mot effektivisering (axeln effektivisering–innovation): 67 % av dem och 85 % av budgeten är effektiviseringsinriktade, 33 % och 15 % innovationsinriktade."),
        "the efficiency finding (85 % of the budget) is missing: {words}"
    );
}

#[test]
fn an_xlsx_register_on_a_one_to_five_scale_reads_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    std::fs::copy(
        fixture("register/initiativ-1till5.xlsx"),
        tmp.path().join("initiativ-1till5.xlsx"),
    )
    .unwrap();
    let cfg = tmp.path().join("mognad.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    // 1..5 with 3 in the middle; "Strategisk" = 5
    std::fs::write(&cfg, format!("{text}[register]\naxis_min = 1\naxis_max = 5\naxis_labels = {{ \"strategisk\" = 5 }}\n")).unwrap();
    let (_out_tmp, out) = run_ok(tmp.path(), &[]);
    let rows = read_rows(&out.join("2025/portfolio.csv"));
    // the same normalised positions as the -2..2 CSV register
    assert_eq!(
        &rows[1][7..],
        ["1200000.0", "-1.0", "-0.5", "1.0", "S1;S3", "C1;C2"]
    );
    assert_eq!(&rows[2][7..11], ["300000.0", "0.5", "1.0", "0.0"]);
    assert_eq!(&rows[3][7..], ["450000.0", "-0.5", "0.0", "-1.0", "", "C1"]);
}

#[test]
fn a_register_without_years_gives_one_error_per_file() {
    // 40 initiatives, no year column, no year in the file name, no start date
    let mut register = String::from("Id;Namn;Status\n");
    for i in 1..=40 {
        register.push_str(&format!("I{i};Initiativ {i};Pågående\n"));
    }
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    std::fs::write(tmp.path().join("initiativ.csv"), register).unwrap();
    let (code, json) = check_json(tmp.path());
    assert_eq!(code, 2);
    let no_year: Vec<&Value> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "no_year")
        .collect();
    assert_eq!(no_year.len(), 1, "one error for the file: {no_year:#?}");
    let p = no_year[0];
    assert_eq!(p["file"], "initiativ.csv");
    assert_eq!(p["row"], 2, "the first row without a year");
    assert!(
        p["message"].as_str().unwrap().starts_with("40 rows have"),
        "{p}"
    );
}

#[test]
fn the_statement_review_by_hand() {
    let input =
        with_register(&std::fs::read_to_string(fixture("register/initiativ-2025.csv")).unwrap());
    let (_tmp, out) = run_ok(input.path(), &[]);
    let rows = read_csv(&out.join("2025/statement-review.csv"));
    let org: Vec<_> = rows.iter().filter(|r| r["unit"].is_empty()).collect();
    assert_eq!(
        org.iter()
            .map(|r| r["statement"].as_str())
            .collect::<Vec<_>>(),
        ["S1", "S2", "S3", "S4"]
    );
    // I1 (ongoing, 1 200 000) strengthens S1 and S3: 600 000 each; I2 and
    // I3 name categories only, no statement
    let get = |code: &str| org.iter().find(|r| r["statement"] == code).unwrap();
    for code in ["S1", "S3"] {
        let r = get(code);
        assert_eq!(
            (
                r["completed"].as_str(),
                r["ongoing"].as_str(),
                r["planned"].as_str()
            ),
            ("0", "1", "0")
        );
        assert_eq!(r["budget_ongoing"].parse::<f64>().unwrap(), 600_000.0);
        assert_eq!(r["initiatives"], "I1");
        // the two covered statements have the same budget: none above the median
        assert_eq!(r["costly_without_rise"], "false");
    }
    for code in ["S2", "S4"] {
        assert_eq!(get(code)["initiatives"], "");
        assert_eq!(get(code)["budget_ongoing"].parse::<f64>().unwrap(), 0.0);
    }
    // the weakest third of four statements is the lowest two, weak when
    // 3.0 points or more below the total as printed ([thresholds]
    // stands_out); marked when nothing ongoing or planned strengthens
    // them (S1 and S3 have I1)
    let indices = read_csv(&out.join("2025/indices.csv"));
    let printed = |v: f64| (v * 10.0).round() / 10.0;
    let total: f64 = indices
        .iter()
        .find(|r| r["unit"].is_empty() && r["level"] == "total")
        .unwrap()["index"]
        .parse()
        .unwrap();
    let mut by_index: Vec<(String, f64)> = indices
        .iter()
        .filter(|r| r["unit"].is_empty() && r["level"] == "statement")
        .map(|r| (r["key"].clone(), r["index"].parse().unwrap()))
        .collect();
    by_index.sort_by(|a, b| a.1.total_cmp(&b.1));
    for r in &org {
        let weak = by_index[..2]
            .iter()
            .any(|(k, v)| *k == r["statement"] && printed(total) - printed(*v) >= 3.0 - 1e-9);
        let active = r["ongoing"] != "0" || r["planned"] != "0";
        assert_eq!(
            r["weak_uncovered"] == "true",
            weak && !active,
            "{}",
            r["statement"]
        );
    }
    // the unit Alfa has I1 and I3 of its own: the same statement rows
    let alfa: Vec<_> = rows.iter().filter(|r| r["unit"] == "Alfa").collect();
    assert_eq!(alfa.len(), 4);
    assert_eq!(
        alfa.iter().find(|r| r["statement"] == "S3").unwrap()["initiatives"],
        "I1"
    );
}

#[test]
fn the_effect_follow_up_compares_the_statements_completed_initiatives_strengthened() {
    let (_tmp, out) = run_ok(&input_sample(), &[]);
    let year = out.join("2025");
    let review = read_csv(&year.join("statement-review.csv"));
    let effects = read_csv(&year.join("effects.csv"));
    let org = effects
        .iter()
        .find(|r| r["unit"].is_empty() && r["level"] == "statement")
        .unwrap();
    assert_eq!(org["result"], "estimate");
    // the point estimate is the mean index change of each side, by hand
    // from the review's rows
    let rows: Vec<_> = review.iter().filter(|r| r["unit"].is_empty()).collect();
    let (t, o): (Vec<_>, Vec<_>) = rows.iter().partition(|r| r["completed"] != "0");
    let mean = |v: &[&&std::collections::BTreeMap<String, String>]| {
        v.iter()
            .map(|r| r["change"].parse::<f64>().unwrap())
            .sum::<f64>()
            / v.len() as f64
    };
    let num = |k: &str| org[k].parse::<f64>().unwrap();
    assert_eq!(num("targeted") as usize, t.len());
    assert_eq!(num("others") as usize, o.len());
    assert!((num("mean_change_targeted") - mean(&t)).abs() < 1e-9);
    assert!((num("mean_change_others") - mean(&o)).abs() < 1e-9);
    assert!((num("difference") - (mean(&t) - mean(&o))).abs() < 1e-9);
    assert!(num("ci_low") <= num("difference") && num("difference") <= num("ci_high"));
    // too few: a side with fewer than three items has no figures
    for r in effects.iter().filter(|r| r["result"] == "too_few") {
        let (a, b): (usize, usize) = (r["targeted"].parse().unwrap(), r["others"].parse().unwrap());
        assert!(a < 3 || b < 3, "{r:?}");
        assert!(r["difference"].is_empty());
    }
    // reruns draw the same resamples
    let (_tmp2, again) = run_ok(&input_sample(), &[]);
    assert_eq!(
        std::fs::read(year.join("effects.csv")).unwrap(),
        std::fs::read(again.join("2025/effects.csv")).unwrap()
    );
    // the report says it, with the caveat
    let text = pdf_text(&year.join("digital-mognad-2025-exempelby-kommun-fiktiv.pdf"));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(&format!(
        "De {} påståenden som initiativ genomförda sedan 2024 stärkte",
        t.len()
    )));
    assert!(flat.contains("Det är ett samband, inte ett bevis"));
    // the chart: one point per targeted statement, its budget completed
    // on it against the largest, its change on an axis of whole 5 points
    // around 0 and every change
    let (report, _) = exported_reports(&input_sample());
    let section = report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["data"]["effect_chart"].is_object())
        .expect("the statements section has the chart");
    let chart = &section["data"]["effect_chart"];
    let points = chart["points"].as_array().unwrap();
    assert_eq!(points.len(), t.len());
    let field =
        |r: &&&std::collections::BTreeMap<String, String>, k: &str| r[k].parse::<f64>().unwrap();
    let max = t
        .iter()
        .map(|r| field(r, "budget_completed"))
        .fold(0.0, f64::max);
    // the axis also holds the others' mean change
    let others = num("mean_change_others");
    let changes = || t.iter().map(|r| field(r, "change")).chain([others]);
    let lo = (changes().fold(0.0, f64::min) / 5.0).floor() * 5.0;
    let hi = (changes().fold(0.0, f64::max) / 5.0).ceil() * 5.0;
    for (p, r) in points.iter().zip(&t) {
        let [x, y] = [0, 1].map(|k| p[k].as_f64().unwrap());
        assert!((x - field(r, "budget_completed") / max).abs() < 1e-9);
        assert!((y - (field(r, "change") - lo) / (hi - lo)).abs() < 1e-9);
    }
    // its text alternative gives each statement's change as the
    // statement's row prints it
    let printed = |code: &str| -> String {
        report["sections"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["data"]["statements"].as_array().into_iter().flatten())
            .flat_map(|g| g["statements"].as_array().unwrap())
            .find(|s| s["code"] == code)
            .map(|s| s["change"]["text"].as_str().unwrap().to_string())
            .unwrap()
    };
    let alt = chart["alt"].as_str().unwrap();
    let listed = &alt[alt.find('(').unwrap() + 1..alt.rfind(')').unwrap()];
    let parts: Vec<&str> = listed.split("; ").collect();
    assert_eq!(parts.len(), t.len(), "{alt}");
    for part in parts {
        let code = part.split(' ').next().unwrap();
        assert!(
            part.ends_with(&printed(code)),
            "{part} against {}",
            printed(code)
        );
    }
    assert!(alt.ends_with(").") && !alt.contains(".."), "{alt}");
    assert!((chart["zero"].as_f64().unwrap() - (-lo / (hi - lo))).abs() < 1e-12);
    assert!((chart["others"].as_f64().unwrap() - (others - lo) / (hi - lo)).abs() < 1e-12);
    // the sample's interval includes zero, and the report says so
    assert!(num("ci_low") < 0.0 && num("ci_high") > 0.0);
    assert!(flat.contains("Intervallet omfattar noll: någon skillnad är inte säkerställd."));
}

#[test]
fn proposals_are_read_and_listed_but_never_counted_in_the_portfolio() {
    let base = std::fs::read_to_string(fixture("register/initiativ-2025.csv")).unwrap();
    let without = with_register(&base);
    // a proposal strengthening S2 with a large budget, in the Swedish words
    let with = with_register(&format!(
        "{base}I9;Förslag om AI-stöd;Alfa;Under beredning;;;5 000 000;S2;2;2;2\n"
    ));
    let (_a, out_without) = run_ok(without.path(), &[]);
    let (_b, out_with) = run_ok(with.path(), &[]);
    for file in [
        "portfolio-summary.csv",
        "statement-review.csv",
        "effects.csv",
    ] {
        assert_eq!(
            std::fs::read(out_without.join("2025").join(file)).unwrap(),
            std::fs::read(out_with.join("2025").join(file)).unwrap(),
            "{file} changed by a proposal"
        );
    }
    let rows = read_csv(&out_with.join("2025/portfolio.csv"));
    let proposal = rows.iter().find(|r| r["id"] == "I9").unwrap();
    assert_eq!(proposal["status"], "proposed");
    assert_eq!(proposal["statements"], "S2");
    assert_eq!(rows.iter().filter(|r| r["status"] != "proposed").count(), 3);
}

/// A brief's input: the small fixture's model and config, a register of
/// three initiatives and two proposals, and hand-made figures in an
/// `indices.csv` (total 50; C1 60 strong, C2 40 and C3 44 weak; S3 40 and
/// S4 44 the weakest third of the statements).
fn brief_input() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for f in ["model.toml", "mognad.toml"] {
        std::fs::copy(fixture("small").join(f), tmp.path().join(f)).unwrap();
    }
    let base = std::fs::read_to_string(fixture("register/initiativ-2025.csv")).unwrap();
    std::fs::write(
        tmp.path().join("initiativ-2025.csv"),
        format!(
            "{base}P1;Teknikplattform;Alfa;Förslag;;;1 000 000;S4;2;2;2\n\
             P2;Effektiviseringsprojekt;Alfa;Under beredning;;;2 000 000;S1;-2;-2;-2\n"
        ),
    )
    .unwrap();
    let mut csv = String::from("year,organisation,unit,level,key,index,n\n");
    for (level, key, index) in [
        ("total", "total", 50.0),
        ("dimension", "D1", 50.0),
        ("dimension", "D2", 44.0),
        ("category", "C1", 60.0),
        ("category", "C2", 40.0),
        ("category", "C3", 44.0),
        ("statement", "S1", 62.0),
        ("statement", "S2", 58.0),
        ("statement", "S3", 40.0),
        ("statement", "S4", 44.0),
    ] {
        csv.push_str(&format!("2025,Testkommun,,{level},{key},{index},40\n"));
    }
    std::fs::write(tmp.path().join("indices.csv"), csv).unwrap();
    tmp
}

fn brief(input: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> std::process::Output {
    mognad(["brief"])
        .input(input)
        .output(out)
        .arg("--indices")
        .arg(input.join("indices.csv"))
        .args(["--date", "2026-11-27"])
        .args(extra)
        .dir(input)
        .run()
}

/// The text of a one-page brief, on one line.
fn brief_text(path: &std::path::Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let pages = pdf_extract::Document::load_mem(&bytes)
        .unwrap()
        .get_pages()
        .len();
    assert_eq!(pages, 1, "{} is one page", path.display());
    pdf_text(path)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_brief_for_a_weak_priority_and_one_for_a_strong_category_by_hand() {
    let input = brief_input();
    let out = input.path().join("out");
    let o = brief(input.path(), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // P1 strengthens S4 (44, weakest third, nothing ongoing or planned) in
    // C3 (44, weak, no active initiative: a priority). Budget by the
    // efficiency pole: I1 1.2 M and I3 0.45 M of 1.95 M = 85 %; with P1's
    // 1 M toward innovation 1.65 / 2.95 = 56 %, so "leans to efficiency"
    // goes and "broadly balanced" comes; the operational share 1.2 / 1.95
    // = 62 % falls to 1.2 / 2.95 = 41 %.
    let p1 = brief_text(&out.join("briefs/P1.pdf"));
    assert!(
        p1.contains("Förslaget går dit portföljen behöver det mest"),
        "{p1}"
    );
    assert!(p1.contains(
        "Teknik (44,0 % mot totalindex 50,0 %) hör till de svagaste kategorierna och har inget pågående eller planerat initiativ"
    ));
    assert!(p1.contains("Teknik (44,0 %), en prioritering: 0 → 1"));
    assert!(p1.contains("S4 (44,0 %, svag) 0 → 1"));
    // what it strengthens is not among what it leaves
    assert!(!p1.contains("Prioriteringen Teknik"), "{p1}");
    assert!(p1.contains("Inga prioriteringar och inga svaga påståenden står utan"));
    // (the text extraction may break the line after the axis's dash)
    let p1 = p1.replace("– ", "–");
    assert!(p1.contains("Gäller inte längre: Initiativen lutar mot effektivisering (axeln effektivisering–innovation): 67 % av dem och 85 % av budgeten"), "{p1}");
    assert!(p1.contains(
        "Tillkommer: Initiativen är i stort sett i balans (axeln effektivisering–innovation): 50 % av dem och 56 % av budgeten"
    ), "{p1}");
    assert!(p1.contains("Gäller inte längre: 62 % av budgeten går till operativt inriktade"));
    // P2 strengthens S1 (62) in C1 (60, strong, one active: not crowded)
    // and leaves the priority C3 and the weak S4; its budget to the
    // internal pole makes 0.45 + 2 of 3.95 = 62 % internal
    let p2 = brief_text(&out.join("briefs/P2.pdf"));
    assert!(p2.contains(
        "Förslaget förstärker där organisationen redan är stark eller där mycket redan görs"
    ));
    assert!(p2.contains("Effektivitet (60,0 % mot totalindex 50,0 %) hör till de starkaste kategorierna; ett initiativ pågår eller planeras där"));
    assert!(p2.contains("Portföljens prioritering Teknik får inget av förslaget"));
    assert!(p2.contains("Svaga påståenden utan pågående eller planerat initiativ: S4 (44,0 %)"));
    assert!(p2
        .contains("Tillkommer: 62 % av budgeten går till initiativ med främst intern nytta; 30 %"));
    assert!(!p2.contains("Gäller inte längre"));
    // the proposal's particulars
    assert!(p2.contains("Id P2"));
    assert!(p2.contains("Budget 2,0 mnkr"));
    // the same inputs and date give the same bytes; --id picks one
    let again = input.path().join("again");
    let o = brief(input.path(), &again, &["--id", "P2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(again.join("briefs/P2.pdf")).unwrap(),
        std::fs::read(out.join("briefs/P2.pdf")).unwrap()
    );
    assert!(!again.join("briefs/P1.pdf").exists());
}

#[test]
fn a_what_if_package_is_briefed_at_once_and_bad_requests_are_the_users_to_fix() {
    let input = brief_input();
    let out = input.path().join("out");
    let package = input.path().join("budget-2026.csv");
    std::fs::write(
        &package,
        "Id;Namn;Status;Budget;Stärker;Effektivitet-innovation;Operativ-strategisk;Intern-extern;År\n\
         W1;Ett;Förslag;1 000 000;S4;2;2;2;2026\n\
         W2;Två;Förslag;500 000;S3;1;0;0;2026\n",
    )
    .unwrap();
    let o = brief(
        input.path(),
        &out,
        &["--what-if", package.to_str().unwrap(), "--lang", "en"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = brief_text(&out.join("briefs/what-if-budget-2026.pdf"));
    assert!(text.contains("Package: budget-2026"), "{text}");
    // both proposals listed, their budgets summed: 1.5 M
    assert!(text.contains("Ett (W1, SEK 1.0m)") && text.contains("Två (W2, SEK 0.5m)"));
    assert!(text.contains("Budget SEK 1.5m"));
    assert!(text.contains("The package goes where the portfolio needs it most"));
    // S3 had I1 ongoing: 1 -> 2; S4 0 -> 1
    assert!(text.contains("S3 (40.0%, weak) 1 → 2"));
    assert!(text.contains("S4 (44.0%, weak) 0 → 1"));
    // no proposal of that id: exit 2, naming the proposals there are
    let o = brief(input.path(), &out, &["--id", "P9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("its proposals are P1, P2"),
        "{}",
        stderr(&o)
    );
    // a register without proposals
    let plain = tempfile::tempdir().unwrap();
    copy_tree(input.path(), plain.path());
    std::fs::write(
        plain.path().join("initiativ-2025.csv"),
        std::fs::read_to_string(fixture("register/initiativ-2025.csv")).unwrap(),
    )
    .unwrap();
    let o = brief(plain.path(), &plain.path().join("out"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("holds no proposals"), "{}", stderr(&o));
    // an id named twice gives one brief
    let twice = input.path().join("twice");
    let o = brief(input.path(), &twice, &["--id", "P1", "--id", "P1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(snapshot(&twice.join("briefs")).len(), 1);
    // a package naming a proposal twice, or an initiative of the
    // portfolio, is refused with its row
    for (rows, says) in [
        (
            "W1;Ett;Förslag;1;S4;2;2;2;2026\nW1;Ett igen;Förslag;1;S3;2;2;2;2027\n",
            "W1 is in the package twice",
        ),
        (
            "I1;Redan;Förslag;1;S4;2;2;2;2026\n",
            "I1 is already in the 2025 portfolio",
        ),
    ] {
        std::fs::write(
            &package,
            format!("Id;Namn;Status;Budget;Stärker;Effektivitet-innovation;Operativ-strategisk;Intern-extern;År\n{rows}"),
        )
        .unwrap();
        let o = brief(
            input.path(),
            &out,
            &["--what-if", package.to_str().unwrap()],
        );
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(says), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("row 2") || stderr(&o).contains("row 3"),
            "{}",
            stderr(&o)
        );
    }
    // published figures of another model are refused, naming what is missing
    let other = input.path().join("other.csv");
    std::fs::write(&other, "year,organisation,unit,level,key,index\n2025,Testkommun,,total,total,50\n2025,Testkommun,,category,C1,60\n").unwrap();
    let o = mognad(["brief"])
        .input(input.path())
        .output(&out)
        .args(["--indices", other.to_str().unwrap()])
        .dir(input.path())
        .run();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("has no figures for 6 of the model in use (C2, C3, S1, S2, S3, S4)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_brief_for_an_organisation_hidden_below_the_threshold_says_so() {
    let input = brief_input();
    let out = input.path().join("out");
    std::fs::write(
        input.path().join("indices.csv"),
        "year,organisation,unit,level,key,index,n,suppressed\n2025,Testkommun,,total,total,,,true\n",
    )
    .unwrap();
    let o = brief(input.path(), &out, &["--id", "P1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = brief_text(&out.join("briefs/P1.pdf"));
    assert!(
        text.contains("Enkäten 2025 hade för få svarande för att redovisas"),
        "{text}"
    );
    assert!(
        text.contains("Utan enkätresultat kan förslaget inte bedömas"),
        "{text}"
    );
    // no category is called weak or strong without figures
    assert!(!text.contains("svagaste kategorierna") && !text.contains("starkaste"));
}

#[test]
fn the_samples_briefs_from_the_survey_equal_those_from_its_indices() {
    let tmp = tempfile::tempdir().unwrap();
    let (_run, out) = run_ok(&input_sample(), &[]);
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let sample = input_sample();
    let common = [
        "brief",
        "--input",
        sample.to_str().unwrap(),
        "--date",
        "2026-11-27",
        "-q",
    ];
    let o = mognad([&common[..], &["--output", a.to_str().unwrap()]].concat())
        .dir(tmp.path())
        .run();
    assert!(o.status.success(), "{}", stderr(&o));
    let indices = out.join("2025/indices.csv");
    let o = mognad(
        [
            &common[..],
            &[
                "--output",
                b.to_str().unwrap(),
                "--indices",
                indices.to_str().unwrap(),
            ],
        ]
        .concat(),
    )
    .dir(tmp.path())
    .run();
    assert!(o.status.success(), "{}", stderr(&o));
    let briefs = snapshot(&a.join("briefs"));
    assert_eq!(briefs.len(), 3, "the sample's three proposals");
    assert_eq!(briefs, snapshot(&b.join("briefs")));
    // the weak category and the strong, crowded one read differently
    let weak = brief_text(&a.join("briefs/P2026-01.pdf"));
    let strong = brief_text(&a.join("briefs/P2026-02.pdf"));
    assert!(weak.contains("Förslaget fyller en lucka"));
    assert!(weak.contains(
        "Påståendena IN1 och IN5 hör till de svagaste och får med förslaget sitt första"
    ));
    assert!(weak.contains("Innovation (43,0 % mot totalindex 56,8 %) hör till de svagaste"));
    assert!(strong.contains("Förslaget förstärker där organisationen redan är stark"));
    assert!(strong
        .contains("har redan 11 pågående eller planerade initiativ, bland de flesta i portföljen"));
    // the sample's package fits one page in both languages
    let package = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/what-if/budgetrunda-2027.csv");
    for lang in ["sv", "en"] {
        let dir = tmp.path().join(lang);
        let o = mognad(
            [
                &common[..],
                &[
                    "--output",
                    dir.to_str().unwrap(),
                    "--lang",
                    lang,
                    "--what-if",
                    package.to_str().unwrap(),
                ],
            ]
            .concat(),
        )
        .dir(tmp.path())
        .run();
        assert!(o.status.success(), "{}", stderr(&o));
        brief_text(&dir.join("briefs/what-if-budgetrunda-2027.pdf"));
    }
}

/// `brief --indices` reads a published file as strictly as a survey: no
/// NaN, infinite, absurd or out-of-range figure, no conflicting duplicate,
/// no other organisation's figures, no year like 1e308; each refused with
/// exit 2, the row and the column.
#[test]
fn brief_refuses_a_hostile_indices_file_with_row_and_column() {
    let input = brief_input();
    let out = input.path().join("out");
    let good = std::fs::read_to_string(input.path().join("indices.csv")).unwrap();
    let total = "2025,Testkommun,,total,total,50,40";
    for (bad, says) in [
        ("2025,Testkommun,,total,total,NaN,40", "row 2"),
        ("2025,Testkommun,,total,total,inf,40", "row 2"),
        ("2025,Testkommun,,total,total,1e308,40", "row 2"),
        ("2025,Testkommun,,total,total,-50,40", "row 2"),
        ("2025,Testkommun,,total,total,150,40", "row 2"),
        ("1e308,Testkommun,,total,total,50,40", "column \"year\""),
        ("2025,Testkommun,,total,total,50,4.5", "column \"n\""),
    ] {
        std::fs::write(input.path().join("indices.csv"), good.replace(total, bad)).unwrap();
        let o = brief(input.path(), &out, &["--id", "P1"]);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{bad}: {}", stderr(&o));
        assert!(!stderr(&o).contains("NaN %"), "{}", stderr(&o));
    }
    // the same row twice with other figures
    std::fs::write(
        input.path().join("indices.csv"),
        format!("{good}2025,Testkommun,,total,total,70.0,40\n"),
    )
    .unwrap();
    let o = brief(input.path(), &out, &["--id", "P1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("same year, organisation, unit, level and key as row 2"),
        "{}",
        stderr(&o)
    );
    // another organisation's file, while mognad.toml names Testkommun
    std::fs::write(
        input.path().join("indices.csv"),
        good.replace("Testkommun", "Annanby"),
    )
    .unwrap();
    let o = brief(input.path(), &out, &["--id", "P1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Annanby, not of Testkommun"),
        "{}",
        stderr(&o)
    );
    assert!(!out.join("briefs").exists());
}

/// A model of 18 categories with one statement each, answered so that
/// category k scores higher than k - 1, and a register with one initiative
/// on the strongest: six weak categories without initiatives are six
/// portfolio priorities, more than the five actions the ranked list holds.
fn many_priorities() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let mut model = String::from(
        "id = \"many\"\nname = { sv = \"Många\", en = \"Many\" }\n[scale]\nmin = 1\nmax = 6\n\
         [[dimensions]]\ncode = \"D1\"\nname = { sv = \"Förmåga\", en = \"Capability\" }\n\
         [[dimensions]]\ncode = \"D2\"\nname = { sv = \"Arv\", en = \"Legacy\" }\n",
    );
    for k in 1..=18 {
        let dim = if k <= 9 { "D1" } else { "D2" };
        model.push_str(&format!(
            "[[categories]]\ncode = \"C{k:02}\"\ndimension = \"{dim}\"\n\
             name = {{ sv = \"Kategori {k}\", en = \"Category {k}\" }}\n\
             [[statements]]\ncode = \"S{k:02}\"\ncategory = \"C{k:02}\"\n\
             text = {{ sv = \"Påstående {k}\", en = \"Statement {k}\" }}\n"
        ));
    }
    std::fs::write(tmp.path().join("model.toml"), model).unwrap();
    std::fs::write(
        tmp.path().join("mognad.toml"),
        "model = \"model.toml\"\n[organisation]\nname = \"Prioby\"\n[report]\ndate = \"2025-06-01\"\n",
    )
    .unwrap();
    let mut survey = String::from("respondent,enhet");
    for k in 1..=18 {
        survey.push_str(&format!(",S{k:02}"));
    }
    survey.push('\n');
    for r in 0..30 {
        survey.push_str(&format!("r{r},Alfa"));
        for k in 1..=18 {
            // 1-6, rising with the category, with some spread
            let v = 1 + (k * 5 / 18 + r % 2).min(5);
            survey.push_str(&format!(",{v}"));
        }
        survey.push('\n');
    }
    std::fs::create_dir(tmp.path().join("2025")).unwrap();
    std::fs::write(tmp.path().join("2025/svar.csv"), survey).unwrap();
    std::fs::write(
        tmp.path().join("initiativ.csv"),
        "Id;Namn;Förvaltning;Status;Startdatum;Slutdatum;Budget;Stärker;Effektivitet-innovation;Operativ-strategisk;Intern-extern\n\
         I1;Starkt;Alfa;Pågående;2025-01-01;2025-12-31;100000;S18;0;0;0\n",
    )
    .unwrap();
    tmp
}

#[test]
fn priorities_the_ranked_list_cannot_hold_stay_in_the_portfolio_section() {
    let input = many_priorities();
    let (_tmp, out) = run_ok(input.path(), &["-q"]);
    let pdf = std::fs::read_dir(out.join("2025"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap();
    let text = pdf_words(&pdf);
    let (_, recommendations) = text.rsplit_once("Rekommendationer ").unwrap();
    let started = recommendations.matches("Starta initiativ för").count();
    assert_eq!(started, 5, "the list holds five: {recommendations}");
    // the sixth priority, Kategori 6, is named in the portfolio section
    let (portfolio, _) = text.rsplit_once("Rekommendationer ").unwrap();
    assert!(
        portfolio.contains("Prioriteringar") && portfolio.contains("Kategori 6 ("),
        "{portfolio}"
    );
}
