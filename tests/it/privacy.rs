//! Privacy: a run over answers that carry respondent ids, respondents'
//! e-mail addresses, free-text comments and a unit below the anonymity
//! threshold, with unit and initiative names planted as spreadsheet
//! formulas. Every output is scanned: PDFs (text and bytes), CSV, Parquet,
//! Excel (every XML part), manifests, data-quality files and what the run
//! prints.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::common::*;

const RESPONDENT_IDS: [&str; 4] = ["RESP-7731-A", "RESP-7731-B", "RESP-9902-L", "RESP-9903-L"];
const FREE_TEXT: &str = "Min chef lyssnar aldrig";

/// Writes the input: units "=Alfa" (5), "+Beta" (5), Gamma (5) and Liten
/// (3, below the threshold of 4).
fn input(dir: &Path, threshold: usize) {
    std::fs::create_dir_all(dir.join("2025")).unwrap();
    std::fs::copy(fixture("small/model.toml"), dir.join("model.toml")).unwrap();
    std::fs::write(
        dir.join("mognad.toml"),
        format!(
            "model = \"model.toml\"\n[organisation]\nname = \"Integritetsby kommun\"\n[report]\nanonymity_threshold = {threshold}\ndate = \"2026-02-01\"\n"
        ),
    )
    .unwrap();
    let mut csv = String::from("respondent,e-post,enhet,roll,S1,S2,S3,S4,Övriga synpunkter\n");
    let units = [
        ("=Alfa", 5, 0),
        ("+Beta", 5, 1),
        ("Gamma", 5, 2),
        ("Liten", 3, 3),
    ];
    let mut n = 0;
    for (unit, count, shift) in units {
        for i in 0..count {
            n += 1;
            let id = match (unit, i) {
                ("=Alfa", 0) => RESPONDENT_IDS[0].to_string(),
                ("=Alfa", 1) => RESPONDENT_IDS[1].to_string(),
                ("Liten", 0) => RESPONDENT_IDS[2].to_string(),
                ("Liten", 1) => RESPONDENT_IDS[3].to_string(),
                _ => format!("RESP-{n:04}-X"),
            };
            // Liten answers low, in thirds (index 6.67 at every level:
            // a figure no other group has), the others high
            let v = |k: usize| {
                if unit == "Liten" {
                    [[1, 1, 2, 1], [1, 2, 1, 1], [2, 1, 1, 2]][i][k]
                } else {
                    3 + (i + k + shift) % 4
                }
            };
            let comment = if i == 0 { FREE_TEXT } else { "" };
            csv.push_str(&format!(
                "{id},person{n}@privat.example,\"{unit}\",{},{},{},{},{},{comment}\n",
                if i % 2 == 0 { "Chef" } else { "Medarbetare" },
                v(0),
                v(1),
                v(2),
                v(3)
            ));
        }
    }
    std::fs::write(dir.join("2025/svar.csv"), csv).unwrap();
    std::fs::write(
        dir.join("initiativ.csv"),
        "Id;Namn;Förvaltning;Status;Budget;Stärker;Effektivitet-innovation;Operativ-strategisk;Intern-extern;År\n\
         I1;@SUM(A1:A9);=Alfa;Pågående;100000;S1;1;0;0;2025\n\
         I2;-2+3;Gamma;Planerad;50000;S2;-1;1;1;2025\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("mottagare.csv"),
        "enhet;namn;e-post\nLedningsgrupp;Eva Ek;eva.ek@integritetsby.example\n=Alfa;Alf Al;alf@integritetsby.example\nLiten;Lis Lund;lis@integritetsby.example\n",
    )
    .unwrap();
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Every output as text to search: PDFs as their text (pdf-extract) and
/// their bytes, Parquet as its table, Excel as every XML part, the rest as
/// they are.
fn texts(dir: &Path) -> BTreeMap<String, String> {
    let mut files = Vec::new();
    files_under(dir, &mut files);
    let mut out = BTreeMap::new();
    for path in files {
        let name = path.strip_prefix(dir).unwrap().display().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "pdf" => {
                out.insert(format!("{name} (text)"), pdf_text(&path));
                out.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
            "parquet" => {
                use polars::prelude::*;
                let df = ParquetReader::new(std::io::Cursor::new(bytes))
                    .finish()
                    .unwrap();
                out.insert(name, format!("{df:?}\n{}", table_text(&df)));
            }
            "xlsx" => {
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
                for i in 0..zip.len() {
                    let mut part = zip.by_index(i).unwrap();
                    let mut text = String::new();
                    part.read_to_string(&mut text).unwrap();
                    out.insert(format!("{name}:{}", part.name().unwrap()), text);
                }
            }
            _ => {
                out.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    out
}

/// Every cell of a frame, as text, one per line.
fn table_text(df: &polars::prelude::DataFrame) -> String {
    use polars::prelude::*;
    let mut text = String::new();
    for col in df.columns() {
        let s = col.cast(&DataType::String).unwrap();
        for v in s.str().unwrap().iter().flatten() {
            text.push_str(v);
            text.push('\n');
        }
    }
    text
}

/// Runs mognad and returns (output folder, what it printed).
fn run(input: &Path, out: &Path) -> String {
    let o = mognad(["run"])
        .input(input)
        .output(out)
        .dir(input.parent().unwrap())
        .run();
    assert!(o.status.success(), "{}", stderr(&o));
    format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o))
}

fn looks_like_email(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || "\"'<>(),;[]{}".contains(c))
        .find(|w| {
            let mut parts = w.split('@');
            matches!(
                (parts.next(), parts.next(), parts.next()),
                (Some(a), Some(b), None) if !a.is_empty() && b.contains('.')
                    && a.chars().all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
                    && b.chars().all(|c| c.is_ascii_alphanumeric() || ".-".contains(c))
                    // a top-level domain of two letters or more: not a
                    // chance run of bytes in a compressed stream ("6P@V.X")
                    && b.rsplit('.').next().is_some_and(|tld| {
                        tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
                    })
            )
        })
        .map(str::to_string)
}

#[test]
fn an_address_is_told_from_a_run_of_bytes() {
    assert_eq!(
        looks_like_email("x <eva.ek@integritetsby.example> y").as_deref(),
        Some("eva.ek@integritetsby.example")
    );
    assert_eq!(looks_like_email("stream 6P@V.X endstream"), None);
    assert_eq!(looks_like_email("a@b. c@d"), None);
}

#[test]
fn no_output_holds_ids_addresses_free_text_or_a_suppressed_groups_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let (inp, out) = (tmp.path().join("input"), tmp.path().join("out"));
    input(&inp, 4);
    let printed = run(&inp, &out);
    // check's files are outputs too
    let o = mognad(["check"])
        .input(&inp)
        .args(["--write", out.join("dq").to_str().unwrap()])
        .dir(tmp.path())
        .run();
    assert!(o.status.success(), "{}", stderr(&o));
    let mut all = texts(&out);
    all.insert("printed by run".into(), printed);
    all.insert(
        "printed by check".into(),
        format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o)),
    );
    assert!(all.keys().any(|k| k.ends_with(".pdf (text)")));
    assert!(all.keys().any(|k| k.ends_with(".parquet")));
    assert!(all.keys().any(|k| k.contains(".xlsx:")));
    assert!(all.keys().any(|k| k.ends_with("manifest.json")));

    // the figures of every hidden unit, from a run that hides none
    let open_in = tmp.path().join("open");
    input(&open_in, 1);
    let open_out = tmp.path().join("open-out");
    run(&open_in, &open_out);
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("2025/manifest.json")).unwrap()).unwrap();
    let hidden: Vec<String> = m["units_without_report"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit"].as_str().unwrap().to_string())
        .collect();
    assert!(hidden.contains(&"Liten".to_string()), "{hidden:?}");
    let open_rows = read_csv(&open_out.join("2025/indices.csv"));
    let mut secrets: Vec<(String, String)> = Vec::new();
    for row in open_rows.iter().filter(|r| hidden.contains(&r["unit"])) {
        let v: f64 = row["index"].parse().unwrap();
        // as the tables write it, and as a report prints it
        if (v * 2.0).fract() != 0.0 {
            secrets.push((
                format!("{} {}", row["unit"], row["key"]),
                row["index"].clone(),
            ));
        }
        for shown in [format!("{v:.1}").replace('.', ","), format!("{v:.1}")] {
            secrets.push((format!("{} {} printed", row["unit"], row["key"]), shown));
        }
    }
    assert!(secrets.len() >= 6, "{secrets:?}");

    for (file, text) in &all {
        for id in RESPONDENT_IDS {
            assert!(!text.contains(id), "{file} holds the respondent id {id}");
        }
        assert!(!text.contains("RESP-"), "{file} holds a respondent id");
        assert!(!text.contains(FREE_TEXT), "{file} holds a free-text answer");
        if let Some(address) = looks_like_email(text) {
            panic!("{file} holds the e-mail address {address}");
        }
        for (what, secret) in &secrets {
            let is_pdf_text = file.ends_with("(text)") || file.starts_with("printed");
            let hit = if what.ends_with("printed") {
                if !is_pdf_text {
                    continue;
                }
                // whole tokens only: "12,5" is not found inside "112,5"
                text.split(|c: char| c.is_whitespace() || c == '%')
                    .any(|t| t == secret)
            } else {
                text.contains(secret.as_str())
            };
            assert!(!hit, "{file} holds {what} of a hidden unit: {secret}");
        }
    }
}

#[test]
fn formulas_planted_in_names_are_neutralised_in_csv_and_excel() {
    let tmp = tempfile::tempdir().unwrap();
    let (inp, out) = (tmp.path().join("input"), tmp.path().join("out"));
    input(&inp, 4);
    run(&inp, &out);
    let dangerous = |s: &str| s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    for name in [
        "indices.csv",
        "roles.csv",
        "portfolio.csv",
        "portfolio-summary.csv",
    ] {
        let text = std::fs::read_to_string(out.join("2025").join(name)).unwrap();
        assert!(
            text.contains("'=Alfa") || name.starts_with("portfolio-"),
            "{name}"
        );
        // every cell as a spreadsheet reads it (quotes taken off by the reader)
        for row in read_rows(&out.join("2025").join(name)) {
            for cell in &row {
                assert!(
                    !dangerous(cell) || cell.parse::<f64>().is_ok(),
                    "{name}: {cell}"
                );
            }
        }
    }
    let portfolio = std::fs::read_to_string(out.join("2025/portfolio.csv")).unwrap();
    assert!(portfolio.contains("'@SUM(A1:A9)"), "{portfolio}");
    assert!(portfolio.contains("'-2+3"), "{portfolio}");
    // every text cell of the workbook, as Excel reads it
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook(out.join("2025/indices.xlsx")).unwrap();
    let mut strings = 0;
    for sheet in book.sheet_names() {
        let range = book.worksheet_range(&sheet).unwrap();
        for cell in range.used_cells() {
            if let Data::String(s) = cell.2 {
                strings += 1;
                assert!(!dangerous(s), "indices.xlsx, sheet {sheet}: {s}");
            }
        }
        assert!(book.worksheet_formula(&sheet).unwrap().used_cells().count() == 0);
    }
    assert!(strings > 0);
}

/// A unit named with a right-to-left override: `check` warns, the web
/// edition keeps the override within the name (FSI ... PDI), and the mail
/// subject carries none.
#[test]
fn direction_controls_in_names_are_isolated_in_html_and_stripped_from_mail() {
    const RLO: char = '\u{202E}';
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_tree(&fixture("small"), &input);
    let unit = format!("Delta{RLO}gnineD");
    let csv = std::fs::read_to_string(input.join("2025/svar.csv"))
        .unwrap()
        .replace(",Delta,", &format!(",{unit},"));
    std::fs::write(input.join("2025/svar.csv"), csv).unwrap();
    std::fs::write(
        input.join("mottagare.csv"),
        format!("enhet;namn;e-post\n{unit};Dag{RLO}reD;dag@delta.example\n"),
    )
    .unwrap();
    let cfg = input.join("mognad.toml");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str("\n[mail]\nfrom = \"Test <test@example.org>\"\nhost = \"127.0.0.1\"\n");
    std::fs::write(&cfg, text).unwrap();
    let (code, json) = check_json(&input);
    assert_eq!(code, 0);
    assert!(
        json["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kind"] == "direction_control"),
        "{json}"
    );
    let (_run, out) = run_ok(&input, &["--html", "-q"]);
    let mut pages = Vec::new();
    files_under(&out.join("2025"), &mut pages);
    let html: Vec<String> = pages
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let with_unit: Vec<&String> = html.iter().filter(|h| h.contains(RLO)).collect();
    assert!(!with_unit.is_empty(), "the unit's name is on some page");
    for page in with_unit {
        let opened = page.matches(RLO).count();
        let isolated = page
            .matches(&format!("\u{2068}Delta{RLO}gnineD\u{2069}"))
            .count();
        assert_eq!(opened, isolated, "an override outside an isolate");
    }
    let o = mognad(["send"])
        .input(&input)
        .output(&out)
        .args(["--year", "2025"])
        .dir(tmp.path())
        .run();
    assert!(o.status.success(), "{}", stderr(&o));
    let mut eml = Vec::new();
    files_under(&out.join("2025/outbox"), &mut eml);
    let messages = crate::common::mail::read_eml(&eml);
    let to_delta = messages
        .iter()
        .find(|m| m["to_address"] == "dag@delta.example")
        .expect("the unit's message");
    let subject = to_delta["subject"].as_str().unwrap();
    assert!(
        subject.contains("DeltagnineD") && !subject.contains(RLO),
        "{subject}"
    );
    assert!(!to_delta["to_name"].as_str().unwrap().contains(RLO));
}
