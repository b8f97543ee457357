//! Bad input: one clear line naming the file (row, column) and what was
//! expected, exit code 2, and nothing written.

use crate::common::*;
use std::path::Path;

/// Runs on `input` and expects failure with code 2, a message containing
/// every one of `needles`, and an earlier output left exactly as it was:
/// the same output folder first gets a good run of the small fixture.
fn expect_input_error(input: &Path, needles: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = |input: &Path| {
        mognad(["run"])
            .input(input)
            .output(&out)
            .dir(tmp.path())
            .run()
    };
    assert!(run(&fixture("small")).status.success());
    let before = snapshot(&out);
    let o = run(input);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "exit code; stderr: {err}");
    assert!(!err.contains("panicked"), "panic: {err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(err.len() < 2000, "a short message: {} bytes", err.len());
    for n in needles {
        assert!(err.contains(n), "message lacks {n:?}: {err}");
    }
    assert!(snapshot(&out) == before, "the earlier output changed");
}

/// A copy of the small fixture with `svar.csv` replaced.
fn with_answers(csv: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    std::fs::write(tmp.path().join("2025/svar.csv"), csv).unwrap();
    tmp
}

#[test]
fn missing_input_folder() {
    let tmp = tempfile::tempdir().unwrap();
    expect_input_error(&tmp.path().join("nowhere"), &["nowhere", "does not exist"]);
}

#[test]
fn empty_input_folder() {
    let tmp = tempfile::tempdir().unwrap();
    expect_input_error(tmp.path(), &["no survey exports found"]);
}

#[test]
fn file_without_recognisable_columns() {
    let t = with_answers("namn,adress\nAnna,Storgatan 1\n");
    expect_input_error(
        t.path(),
        &["2025/svar.csv", "row 1", "no recognisable columns", "S1"],
    );
}

#[test]
fn value_outside_the_scale() {
    let t = with_answers("respondent,enhet,S1,S2,S3,S4\na1,Alfa,6,5,4,3\na2,Alfa,4,7,3,2\n");
    expect_input_error(
        t.path(),
        &[
            "2025/svar.csv",
            "row 3",
            "column \"S2\"",
            "outside the scale 1-6",
        ],
    );
}

#[test]
fn unknown_statement_code() {
    let t = with_answers("respondent,enhet,S1,S2,S3,S4,S9\na1,Alfa,6,5,4,3,2\n");
    expect_input_error(
        t.path(),
        &["2025/svar.csv", "column \"S9\"", "no such statement"],
    );
}

#[test]
fn unknown_answer_label() {
    let t = with_answers("respondent,enhet,S1,S2,S3,S4\na1,Alfa,6,Stämmer helt,4,3\n");
    expect_input_error(
        t.path(),
        &["row 2", "column \"S2\"", "\"Stämmer helt\"", "vet ej"],
    );
}

#[test]
fn empty_file_and_header_only() {
    let t = with_answers("");
    expect_input_error(t.path(), &["2025/svar.csv", "empty"]);
    let t = with_answers("respondent,enhet,S1,S2,S3,S4\n");
    expect_input_error(t.path(), &["2025/svar.csv", "no rows"]);
}

#[test]
fn binary_junk_named_csv() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    std::fs::write(
        tmp.path().join("2025/svar.csv"),
        [0u8, 159, 146, 150, 0, 1, 2, 255],
    )
    .unwrap();
    expect_input_error(tmp.path(), &["2025/svar.csv", "binary"]);
}

#[test]
fn a_failed_run_leaves_the_previous_output_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_tree(&fixture("small"), &input);
    let out = tmp.path().join("out");
    let args = [
        "run",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    assert!(mognad(args).dir(tmp.path()).run().status.success());
    let before = snapshot(&out);
    std::fs::write(
        input.join("2025/svar.csv"),
        "respondent,enhet,S1\na1,Alfa,9\n",
    )
    .unwrap();
    let o = mognad(args).dir(tmp.path()).run();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(snapshot(&out), before, "the earlier output changed");
}

#[test]
fn a_second_run_on_the_same_output_is_refused_while_the_first_holds_the_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let run = || {
        mognad(["run"])
            .input(fixture("small"))
            .output(&out)
            .dir(tmp.path())
            .run()
    };
    // this test process stands in for a run that is still writing: it
    // holds the operating system's lock on the lock file
    let held = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(out.join(".mognad.lock"))
        .unwrap();
    held.lock().unwrap();
    let o = run();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("another mognad run"), "{err}");
    assert!(!out.join("2025").exists());
    // once the lock is let go the run goes through
    drop(held);
    let o = run();
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A lock file left by a killed run names a process id; after a container
/// restart a new process may have that id (here: this test's own, which is
/// alive). The file holds no lock, so it bars nothing.
#[test]
fn a_lock_file_naming_a_live_process_but_holding_no_lock_is_no_bar() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join(".mognad.lock"), std::process::id().to_string()).unwrap();
    let o = mognad(["run"])
        .input(fixture("small"))
        .output(&out)
        .dir(tmp.path())
        .run();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("2025/manifest.json").is_file());
}

#[test]
fn password_protected_xlsx() {
    // an encrypted workbook is an OLE compound file, not a zip archive
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    std::fs::remove_file(tmp.path().join("2025/svar.csv")).unwrap();
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend(std::iter::repeat_n(0u8, 4096));
    std::fs::write(tmp.path().join("2025/svar.xlsx"), bytes).unwrap();
    expect_input_error(tmp.path(), &["2025/svar.xlsx", "password-protected"]);
}

/// An .xlsx whose one sheet is `size` bytes of XML padding: it packs to a
/// few kB.
fn packed_workbook(size: usize) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(size > u32::MAX as usize / 2);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let chunk = vec![b' '; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len());
        zip.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn an_xlsx_that_unpacks_beyond_the_limit_is_refused_before_unpacking() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    std::fs::remove_file(tmp.path().join("2025/svar.csv")).unwrap();
    // 3 GB of padding in 3 MB: beyond the default limit of 2 048 MB
    let bomb = packed_workbook(3_000_000_000);
    assert!(bomb.len() < 5_000_000, "{}", bomb.len());
    std::fs::write(tmp.path().join("2025/svar.xlsx"), bomb).unwrap();
    expect_input_error(
        tmp.path(),
        &["2025/svar.xlsx", "unpacks to 3000 MB", "max_unpacked_mb"],
    );
}

#[test]
fn limits_on_file_size_rows_and_columns_are_configurable_and_named() {
    let config = |extra: &str| {
        let tmp = tempfile::tempdir().unwrap();
        copy_tree(&fixture("small"), tmp.path());
        let path = tmp.path().join("mognad.toml");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(extra);
        std::fs::write(path, text).unwrap();
        tmp
    };
    let t = config("\n[limits]\nmax_rows = 3\n");
    expect_input_error(t.path(), &["2025/svar.csv", "max_rows"]);
    let t = config("\n[limits]\nmax_columns = 4\n");
    expect_input_error(t.path(), &["2025/svar.csv", "7 columns", "max_columns"]);
    let t = config("\n[limits]\nmax_file_mb = 0\n");
    expect_input_error(t.path(), &["2025/svar.csv", "max_file_mb"]);
}

#[test]
fn mixed_encodings_name_the_rows() {
    let t = with_answers("");
    let mut bytes = b"respondent,enhet,S1,S2,S3,S4\n".to_vec();
    bytes.extend_from_slice("a1,Vård,1,2,3,4\n".as_bytes());
    bytes.extend_from_slice(b"a2,V\xE5rd,1,2,3,4\n");
    std::fs::write(t.path().join("2025/svar.csv"), bytes).unwrap();
    expect_input_error(t.path(), &["2025/svar.csv", "row 3", "row 2 is UTF-8"]);
}

#[test]
fn a_very_long_single_line() {
    // 20 MB without a line break or a delimiter: one absurd header
    let t = with_answers("");
    std::fs::write(t.path().join("2025/svar.csv"), vec![b'x'; 20_000_000]).unwrap();
    expect_input_error(t.path(), &["2025/svar.csv", "row 1", "20000000 characters"]);
}

#[test]
fn ragged_rows_and_duplicate_headers() {
    let t = with_answers("respondent,enhet,S1,S2,S3,S4\na1,Alfa,1,2,3,4\na2,Alfa,1,2,3,4,5,6\n");
    expect_input_error(t.path(), &["2025/svar.csv", "row 3", "fields"]);
    let t = with_answers("respondent,enhet,S1,S1,S2,S3,S4\na1,Alfa,1,2,3,4,5\n");
    expect_input_error(t.path(), &["2025/svar.csv", "column \"S1\"", "same thing"]);
}

#[test]
fn a_statement_column_with_only_text() {
    let t = with_answers("respondent,enhet,S1,S2,S3,S4\na1,Alfa,bra,2,3,4\na2,Alfa,dålig,2,3,4\n");
    expect_input_error(
        t.path(),
        &["2025/svar.csv", "row 2", "column \"S1\"", "\"bra\""],
    );
}

#[test]
fn negative_and_fractional_scale_values() {
    let t = with_answers("respondent,enhet,S1,S2,S3,S4\na1,Alfa,-1,2,3,4\n");
    expect_input_error(
        t.path(),
        &["row 2", "column \"S1\"", "-1 is outside the scale 1-6"],
    );
    let t = with_answers("respondent,enhet,S1,S2,S3,S4\na1,Alfa,4,2.5,3,4\n");
    expect_input_error(t.path(), &["row 2", "column \"S2\"", "not a whole number"]);
}

#[test]
fn a_date_in_the_future() {
    let t = with_answers(
        "respondent,enhet,datum,S1,S2,S3,S4\na1,Alfa,2025-03-01,1,2,3,4\na2,Alfa,2999-01-01,1,2,3,4\n",
    );
    expect_input_error(
        t.path(),
        &["row 3", "column \"datum\"", "2999-01-01", "future"],
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_input_folder_or_in_a_loop() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("hemlig.csv"),
        "respondent,enhet,S1\nx,Alfa,1\n",
    )
    .unwrap();
    let t = with_answers(&std::fs::read_to_string(fixture("small/2025/svar.csv")).unwrap());
    symlink(
        outside.path().join("hemlig.csv"),
        t.path().join("2025/extra.csv"),
    )
    .unwrap();
    expect_input_error(t.path(), &["extra.csv", "outside the input folder"]);

    let t = with_answers(&std::fs::read_to_string(fixture("small/2025/svar.csv")).unwrap());
    symlink(t.path().join("2025/b.csv"), t.path().join("2025/a.csv")).unwrap();
    symlink(t.path().join("2025/a.csv"), t.path().join("2025/b.csv")).unwrap();
    expect_input_error(t.path(), &["a.csv", "cannot be followed"]);

    // a link to a file inside the folder is read like the file
    let t = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), t.path());
    std::fs::rename(
        t.path().join("2025/svar.csv"),
        t.path().join("svar-2025.txt.keep"),
    )
    .unwrap();
    symlink(
        t.path().join("svar-2025.txt.keep"),
        t.path().join("2025/svar.csv"),
    )
    .unwrap();
    let (_o, out) = run_ok(t.path(), &[]);
    assert!(out.join("2025/indices.csv").is_file());
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let t = with_answers(&std::fs::read_to_string(fixture("small/2025/svar.csv")).unwrap());
    let name = std::ffi::OsStr::from_bytes(b"svar-\xE5r.csv");
    std::fs::write(t.path().join("2025").join(name), "x").unwrap();
    expect_input_error(t.path(), &["svar-", "not valid UTF-8"]);
}

#[test]
fn an_unknown_config_key_gets_a_suggestion_and_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    std::fs::write(
        tmp.path().join("mognad.toml"),
        "model = \"model.toml\"\n[report]\nanonymity = 3\n",
    )
    .unwrap();
    expect_input_error(
        tmp.path(),
        &[
            "mognad.toml, row 3",
            "\"report.anonymity\"",
            "did you mean \"anonymity_threshold\"",
        ],
    );
}

#[test]
fn a_model_with_weights_that_are_not_positive() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    let model = std::fs::read_to_string(tmp.path().join("model.toml")).unwrap();
    let bad = model.replacen("weight = 2", "weight = -2", 1);
    assert_ne!(bad, model, "the fixture model sets weights");
    std::fs::write(tmp.path().join("model.toml"), bad).unwrap();
    expect_input_error(tmp.path(), &["model.toml", "weight -2", "positive"]);
}

#[test]
fn templates_and_assets_are_read_only_from_their_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let layout = tmp.path().join("layout");
    assert!(mognad(["templates", "export", layout.to_str().unwrap()])
        .dir(tmp.path())
        .run()
        .status
        .success());
    let input = tmp.path().join("in");
    copy_tree(&fixture("small"), &input);
    let cfg = input.join("mognad.toml");
    let base = std::fs::read_to_string(&cfg).unwrap();
    let with = |extra: &str| {
        std::fs::write(
            &cfg,
            base.replace("[report]\n", &format!("[report]\n{extra}\n")),
        )
        .unwrap();
    };
    with(&format!("templates = {:?}", layout.to_string_lossy()));
    // a template that reaches for a file outside: typst sees no file system
    std::fs::write(tmp.path().join("hemlig.txt"), "HEMLIGT-INNEHALL").unwrap();
    let org = layout.join("organisation.typ");
    let text = std::fs::read_to_string(&org).unwrap();
    std::fs::write(
        &org,
        text.replace(
            "#report-sections(r)",
            &format!(
                "#report-sections(r)\n#read({:?})",
                tmp.path().join("hemlig.txt").to_string_lossy()
            ),
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = mognad(["run"])
        .input(&input)
        .output(&out)
        .dir(tmp.path())
        .run();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("organisation.typ"), "{}", stderr(&o));
    for (name, bytes) in snapshot(&out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("HEMLIGT"),
            "{name}"
        );
    }
    // a template that is a link out of the template folder
    std::fs::remove_file(&org).unwrap();
    std::fs::write(tmp.path().join("elsewhere.typ"), text).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(tmp.path().join("elsewhere.typ"), &org).unwrap();
        expect_input_error(
            &input,
            &["organisation.typ", "leads out of the template folder"],
        );
        std::fs::remove_file(&org).unwrap();
    }
    // a logo outside the config's folder, by .. or by an absolute path
    std::fs::write(
        tmp.path().join("logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    with("");
    let cfg_text = std::fs::read_to_string(&cfg).unwrap();
    for logo in [
        "../logo.svg".to_string(),
        tmp.path().join("logo.svg").to_string_lossy().into_owned(),
    ] {
        std::fs::write(&cfg, format!("{cfg_text}\n[branding]\nlogo = {logo:?}\n")).unwrap();
        expect_input_error(
            &input,
            &[
                "mognad.toml",
                "branding.logo",
                "only from the config's folder",
            ],
        );
    }
}

#[test]
fn a_parquet_file_declaring_more_rows_than_the_limit_is_refused_before_reading() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    std::fs::remove_file(tmp.path().join("2025/svar.csv")).unwrap();
    std::fs::copy(
        fixture("formats/parquet-long/2025/svar.parquet"),
        tmp.path().join("2025/svar.parquet"),
    )
    .unwrap();
    let path = tmp.path().join("mognad.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(path, format!("{text}\n[limits]\nmax_rows = 5\n")).unwrap();
    expect_input_error(tmp.path(), &["2025/svar.parquet", "declares", "rows"]);
}

#[test]
fn a_truncated_xlsx() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("small"), tmp.path());
    std::fs::remove_file(tmp.path().join("2025/svar.csv")).unwrap();
    let whole = std::fs::read(fixture("formats/msforms/2025/Digital mognad 2025.xlsx")).unwrap();
    std::fs::write(tmp.path().join("2025/svar.xlsx"), &whole[..whole.len() / 2]).unwrap();
    expect_input_error(
        tmp.path(),
        &["2025/svar.xlsx", "Excel workbook", "cut short"],
    );
}

/// The binary under test, run by `sh` under a file-size limit (`ulimit -f`,
/// in blocks of 512 or 1024 bytes as the shell counts them).
fn run_limited(dir: &Path, blocks: u32, args: &[&str]) -> std::process::Output {
    let program = std::env::var("MOGNAD_TEST_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_mognad").to_string());
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -f {blocks} && exec \"$0\" \"$@\""))
        .arg(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// A write beyond the file-size limit is a write error (exit 3, the
/// earlier output intact), not death by SIGXFSZ midway; so is a dry-run
/// send's outbox, which is staged and moved into place whole.
#[test]
fn a_file_size_limit_fails_the_run_cleanly_and_keeps_the_earlier_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let input = tmp.path().join("input");
    copy_tree(&input_sample(), &input);
    let args = [
        "run",
        "-q",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    let o = mognad(args).dir(tmp.path()).run();
    assert!(o.status.success(), "{}", stderr(&o));
    let before = snapshot(&out);
    // the sample's reports are larger than 64 blocks
    let o = run_limited(tmp.path(), 64, &args);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before, "the earlier output changed");
    // a dry-run send: its messages carry the reports, so they are too
    let send = [
        "send",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--year",
        "2025",
    ];
    let o = run_limited(tmp.path(), 64, &send);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(!out.join("2025/outbox").exists(), "half an outbox");
    assert_eq!(snapshot(&out), before);
}

/// A unit name of some 230 characters made every report fail (file name
/// too long) although `check` passed: file names are cut, names in the
/// reports stay whole.
#[test]
fn a_very_long_unit_name_gets_a_report() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_tree(&fixture("small"), &input);
    let long = format!(
        "Förvaltningen för {}slut",
        "mycket lång verksamhet och ".repeat(8)
    );
    let csv = std::fs::read_to_string(input.join("2025/svar.csv"))
        .unwrap()
        .replace(",Delta,", &format!(",{long},"));
    std::fs::write(input.join("2025/svar.csv"), csv).unwrap();
    let (_tmp, out) = run_ok(&input, &["-q"]);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("2025/manifest.json")).unwrap()).unwrap();
    let report = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["unit"] == long.as_str())
        .expect("the long unit's report");
    let path = report["path"].as_str().unwrap();
    let name = Path::new(path).file_name().unwrap().to_str().unwrap();
    assert!(name.len() <= 200, "{name}");
    assert!(out.join("2025").join(path).is_file());
}

/// The web edition promises to ask no other host: an overriding web.css
/// that imports or points at another host is refused (exit 2, file and
/// line), and the earlier output stays.
#[test]
fn a_style_sheet_that_reaches_for_another_host_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_tree(&fixture("small"), &input);
    let (_run, out) = run_ok(&input, &["--html", "-q"]);
    let before = snapshot(&out);
    let layout = input.join("layout");
    std::fs::create_dir_all(&layout).unwrap();
    let cfg = input.join("mognad.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace("[report]\n", "[report]\ntemplates = \"layout\"\n"),
    )
    .unwrap();
    for sheet in [
        "body { color: black }\n@import url(https://evil.example/track.css);\n",
        "body { color: black }\nh1 { background: url(\"https://evil.example/p.png\") }\n",
    ] {
        std::fs::write(layout.join("web.css"), sheet).unwrap();
        let o = mognad(["run", "--html"])
            .input(&input)
            .output(&out)
            .dir(tmp.path())
            .run();
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("web.css") && stderr(&o).contains("row 2"),
            "{}",
            stderr(&o)
        );
        assert_eq!(snapshot(&out), before);
    }
}

/// `--jobs 0` would render nothing: refused as a usage error.
#[test]
fn jobs_zero_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let o = mognad(["run", "--jobs", "0"])
        .input(fixture("small"))
        .output(tmp.path().join("out"))
        .dir(tmp.path())
        .run();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("at least 1"), "{}", stderr(&o));
    assert!(!tmp.path().join("out").exists());
}
