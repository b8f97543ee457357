//! The initiative register: reading, normalising and validating.

mod common;

use common::*;
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
    let text = std::fs::read_to_string(out.join("2025/portfolio.csv")).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
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
                    I8;H;Alfa;Kanske;2025-01-01;2025-12-31;100;S1;-2;-1;2\n";
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
}
