//! `mognad send` against a real SMTP server on loopback (a small server in
//! `tests/common/mail.rs`, started and stopped by each test). Messages are
//! read back with a MIME parser, as a mail client would.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::common::mail::{read_eml, SmtpServer};
use crate::common::*;

/// The sample input with a [mail] section for `port`, its run output, and
/// the temporary folder holding both.
struct Setup {
    _tmp: tempfile::TempDir,
    input: PathBuf,
    output: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("input");
        copy_tree(&input_sample(), &input);
        // one recipient with an address that is not valid
        let mut recipients = std::fs::read_to_string(input.join("mottagare.csv")).unwrap();
        recipients.push_str("Servicecenter;Bo Fel;bo.fel(at)exempelby.example\n");
        std::fs::write(input.join("mottagare.csv"), recipients).unwrap();
        let output = tmp.path().join("output");
        let o = mognad(["run"])
            .input(&input)
            .output(&output)
            .arg("--quiet")
            .dir(tmp.path())
            .run();
        assert!(o.status.success(), "{}", stderr(&o));
        Setup {
            _tmp: tmp,
            input,
            output,
        }
    }

    /// The sample's config without its [mail] section.
    fn config_without_mail(&self) -> String {
        let path = self.input.join("mognad.toml");
        let mut config = std::fs::read_to_string(path).unwrap();
        let start = config.find("\n[mail]").unwrap_or(config.len());
        config.truncate(start);
        config
    }

    fn mail_config(&self, port: u16) {
        let path = self.input.join("mognad.toml");
        let mut config = self.config_without_mail();
        config.push_str(&format!(
            "\n[mail]\nfrom = \"Digitaliseringsenheten Exempelby <digital@exempelby.example>\"\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\nper_minute = 100000\n"
        ));
        std::fs::write(path, config).unwrap();
    }

    fn send(&self, extra: &[&str]) -> std::process::Output {
        let mut args = vec![
            "send",
            "--input",
            self.input.to_str().unwrap(),
            "--output",
            self.output.to_str().unwrap(),
            "--year",
            "2025",
        ];
        args.extend_from_slice(extra);
        mognad(&args).dir(self.input.parent().unwrap()).run()
    }

    /// (recipient address, report sha256) of every message that should go
    /// out: each report of the manifest to each valid recipient of its unit
    /// in the recipients file.
    fn expected(&self) -> Vec<(String, String)> {
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(self.output.join("2025/manifest.json")).unwrap())
                .unwrap();
        let text = std::fs::read_to_string(self.input.join("mottagare.csv")).unwrap();
        let mut by_unit: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split(';').collect();
            if f[2].contains('@') {
                let unit = if f[0] == "Ledningsgrupp" { "" } else { f[0] };
                by_unit
                    .entry(unit.to_string())
                    .or_default()
                    .push(f[2].to_string());
            }
        }
        let mut out = Vec::new();
        for f in m["files"].as_array().unwrap() {
            if !f["kind"].as_str().unwrap().ends_with("_report") {
                continue;
            }
            let unit = f["unit"].as_str().unwrap_or("");
            for to in by_unit.get(unit).into_iter().flatten() {
                out.push((to.clone(), f["sha256"].as_str().unwrap().to_string()));
            }
        }
        out.sort();
        out
    }
}

fn delivered(server: &SmtpServer) -> Vec<(String, String)> {
    let mut got: Vec<(String, String)> = server
        .received()
        .iter()
        .map(|m| {
            assert_eq!(m["attachments"].as_array().unwrap().len(), 1);
            assert_eq!(m["envelope_to"], m["to_address"], "envelope matches To");
            (
                m["envelope_to"].as_str().unwrap().to_string(),
                m["attachments"][0]["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    got
}

fn log_lines(setup: &Setup) -> Vec<serde_json::Value> {
    std::fs::read_to_string(setup.output.join("send-log-2025.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn the_dry_run_writes_standard_mime_messages_for_review_and_sends_nothing() {
    let setup = Setup::new();
    let tmp = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(tmp.path(), None);
    setup.mail_config(server.port);
    let o = setup.send(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = String::from_utf8_lossy(&o.stdout);
    // the table says who gets what, and what is skipped and why
    assert!(
        table.contains("Karin Holm <karin.holm@exempelby.example>"),
        "{table}"
    );
    assert!(
        table.contains("skipped: no report for this unit"),
        "{table}"
    );
    assert!(
        stderr(&o).contains("bo.fel(at)exempelby.example"),
        "{}",
        stderr(&o)
    );
    assert!(server.received().is_empty(), "a dry run sends nothing");

    let mut files: Vec<PathBuf> = std::fs::read_dir(setup.output.join("2025/outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let messages = read_eml(&files);
    let mut got: Vec<(String, String)> = messages
        .iter()
        .map(|m| {
            (
                m["to_address"].as_str().unwrap().to_string(),
                m["attachments"][0]["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(got, setup.expected());
    // UTF-8 names and subjects survive encoding; the raw file is 7-bit MIME
    let ake = messages
        .iter()
        .find(|m| m["to_address"] == "ake.oberg@exempelby.example")
        .unwrap();
    assert_eq!(ake["to_name"], "Digitaliseringschef Åke Öberg");
    assert_eq!(
        ake["subject"],
        "Digital mognad 2025: Exempelby kommun (fiktiv)"
    );
    assert_eq!(ake["ascii"], true);
    assert_eq!(ake["attachments"][0]["type"], "application/pdf");
    let vard = messages
        .iter()
        .find(|m| m["to_address"] == "nils.as@exempelby.example")
        .unwrap();
    assert_eq!(
        vard["subject"],
        "Digital mognad 2025: Vård- och omsorgsförvaltningen"
    );
    assert_eq!(vard["to_name"], "Nils Ås");
    // the body carries the unit's headline figure as indices.csv has it
    let rows = read_csv(&setup.output.join("2025/indices.csv"));
    let org_index: f64 = rows
        .iter()
        .find(|r| r["unit"].is_empty() && r["level"] == "total")
        .unwrap()["index"]
        .parse()
        .unwrap();
    let shown = format!("{:.1}", org_index).replace('.', ",");
    assert!(
        ake["body"]
            .as_str()
            .unwrap()
            .contains(&format!("Digital mognad totalt: {shown}\u{a0}%")),
        "{}",
        ake["body"]
    );
}

#[test]
fn every_message_arrives_once_and_a_rerun_sends_nothing() {
    let setup = Setup::new();
    let tmp = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(tmp.path(), None);
    setup.mail_config(server.port);
    let o = setup.send(&["--really-send"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let expected = setup.expected();
    assert_eq!(delivered(&server), expected);
    // the attachment is the report file, byte for byte
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(setup.output.join("2025/manifest.json")).unwrap())
            .unwrap();
    for f in m["files"].as_array().unwrap() {
        if f["kind"].as_str().unwrap().ends_with("_report") {
            let bytes =
                std::fs::read(setup.output.join("2025").join(f["path"].as_str().unwrap())).unwrap();
            assert_eq!(
                crate::common::sha256_hex(&bytes),
                f["sha256"].as_str().unwrap()
            );
        }
    }
    let log = log_lines(&setup);
    assert_eq!(log.len(), expected.len());
    assert!(log
        .iter()
        .all(|l| l["response"].as_str().unwrap().starts_with("250")));

    let o = setup.send(&["--really-send"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("already sent"));
    assert_eq!(
        delivered(&server).len(),
        expected.len(),
        "a re-run sends nothing"
    );

    // a new run leaves the log beside the year folder
    let o = mognad(["run"])
        .input(&setup.input)
        .output(&setup.output)
        .arg("--quiet")
        .dir(setup.input.parent().unwrap())
        .run();
    assert!(o.status.success());
    assert_eq!(log_lines(&setup).len(), expected.len());
    let _ = setup.send(&["--really-send"]);
    assert_eq!(
        delivered(&server).len(),
        expected.len(),
        "same reports: nothing again"
    );
}

#[test]
fn a_server_failing_midway_leaves_a_log_from_which_the_next_run_sends_exactly_the_rest() {
    let setup = Setup::new();
    let tmp = tempfile::tempdir().unwrap();
    let expected = setup.expected();
    {
        let server = SmtpServer::start(&tmp.path().join("a"), Some(3));
        setup.mail_config(server.port);
        let o = setup.send(&["--really-send"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("sends the rest"), "{}", stderr(&o));
        assert_eq!(delivered(&server).len(), 3);
        assert_eq!(log_lines(&setup).len(), 3);
    }
    let server = SmtpServer::start(&tmp.path().join("b"), None);
    setup.mail_config(server.port);
    let o = setup.send(&["--really-send"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first: Vec<(String, String)> = log_lines(&setup)[..3]
        .iter()
        .map(|l| {
            (
                l["to"].as_str().unwrap().to_string(),
                l["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut all = delivered(&server);
    assert_eq!(all.len(), expected.len() - 3, "exactly the rest");
    all.extend(first);
    all.sort();
    assert_eq!(all, expected, "together: everything, once");
}

#[test]
fn a_changed_report_goes_again_only_with_resend_changed() {
    let setup = Setup::new();
    let tmp = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(tmp.path(), None);
    setup.mail_config(server.port);
    let only = ["--only", "Socialförvaltningen"];
    let mut args = vec!["--really-send"];
    args.extend(only);
    assert!(setup.send(&args).status.success());
    assert_eq!(delivered(&server).len(), 1);
    // the report changes: rendered in English this time
    let o = mognad(["run"])
        .input(&setup.input)
        .output(&setup.output)
        .args(["--lang", "en", "--quiet"])
        .dir(setup.input.parent().unwrap())
        .run();
    assert!(o.status.success());
    let o = setup.send(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("--resend-changed"));
    assert_eq!(
        delivered(&server).len(),
        1,
        "not again without --resend-changed"
    );
    args.push("--resend-changed");
    assert!(setup.send(&args).status.success());
    let got = server.received();
    assert_eq!(got.len(), 2);
    assert_eq!(
        got[1]["subject"],
        "Digital maturity 2025: Socialförvaltningen"
    );
    assert_eq!(got[1]["to_address"], "karin.holm@exempelby.example");
}

#[test]
fn to_test_sends_everything_to_one_address_and_does_not_count_as_delivered() {
    let setup = Setup::new();
    let tmp = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(tmp.path(), None);
    setup.mail_config(server.port);
    let o = setup.send(&[
        "--really-send",
        "--to-test",
        "test@exempelby.example",
        "--only",
        "organisation",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let got = server.received();
    assert_eq!(
        got.len(),
        2,
        "the two recipients of the organisation report"
    );
    for m in &got {
        assert_eq!(m["envelope_to"], "test@exempelby.example");
        assert!(m["subject"].as_str().unwrap().starts_with("[TEST] "));
    }
    assert!(log_lines(&setup).iter().all(|l| l["test"] == true));
    // the real send still sends everything
    let o = setup.send(&["--really-send"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(server.received().len(), 2 + setup.expected().len());
}

#[test]
fn refusals_name_the_problem() {
    let setup = Setup::new();
    // no [mail] at all: the dry run refuses for want of a sender, and
    // leaves no outbox behind
    let path = setup.input.join("mognad.toml");
    std::fs::write(&path, setup.config_without_mail()).unwrap();
    let o = setup.send(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("[mail] from"), "{}", stderr(&o));
    assert!(
        !setup.output.join("2025/outbox").exists(),
        "a failed dry run leaves an outbox"
    );
    // no [mail] host: the real send refuses before connecting
    let o = setup.send(&["--really-send"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("[mail]"), "{}", stderr(&o));
    // a password in the config file is refused
    let mut config = setup.config_without_mail();
    config.push_str("\n[mail]\npassword = \"hemligt\"\n");
    std::fs::write(&path, config).unwrap();
    let o = setup.send(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("MOGNAD_SMTP_PASSWORD"),
        "{}",
        stderr(&o)
    );
    // a report changed after the run is not sent
    let setup = Setup::new();
    let pdf = std::fs::read_dir(setup.output.join("2025/enheter"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&pdf, b"%PDF-1.7 not the report").unwrap();
    let o = setup.send(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("differs from its manifest"),
        "{}",
        stderr(&o)
    );
    // an unknown unit for --only
    let setup = Setup::new();
    let o = setup.send(&["--only", "Ingen sådan"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_multi_organisation_output_is_sent_one_organisation_at_a_time() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_tree(&fixture("multi"), &input);
    // the fixture's config names its model as ../small/model.toml
    copy_tree(&fixture("small"), &tmp.path().join("small"));
    let out = tmp.path().join("out");
    let o = mognad(["run"])
        .input(&input)
        .output(&out)
        .arg("--quiet")
        .dir(tmp.path())
        .run();
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(
        input.join("mottagare.csv"),
        "enhet;namn;e-post\nLedningsgrupp;Åsa Alby;asa@alby.example\n",
    )
    .unwrap();
    let path = input.join("mognad.toml");
    let config = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("{config}\n[mail]\nfrom = \"Alby digital <digital@alby.example>\"\n"),
    )
    .unwrap();
    let send = |extra: &[&str]| {
        let mut args = vec![
            "send",
            "--input",
            input.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        mognad(&args).dir(tmp.path()).run()
    };
    // without --org: refused, naming the way
    let o = send(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--org"), "{}", stderr(&o));
    let o = send(&["--org", "Alby kommun"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let outbox = out.join("2025/alby-kommun/outbox");
    let files: Vec<PathBuf> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let messages = read_eml(&files);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["to_name"], "Åsa Alby");
    assert_eq!(messages[0]["subject"], "Digital mognad 2025: Alby kommun");
    // the year's index still lists exactly the organisations
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("2025/index.json")).unwrap()).unwrap();
    assert_eq!(index["organisations"].as_array().unwrap().len(), 3);
}

/// Two senders started together: the second waits for the first's lock,
/// then finds every delivery in the log and sends nothing.
#[test]
fn two_senders_at_once_deliver_each_message_once() {
    let setup = Setup::new();
    let tmp = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(tmp.path(), None);
    setup.mail_config(server.port);
    let start = || {
        mognad(["send"])
            .input(&setup.input)
            .output(&setup.output)
            .args(["--year", "2025", "--really-send"])
            .command()
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (start(), start());
    for child in [a, b] {
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(delivered(&server), setup.expected(), "each message once");
    assert_eq!(log_lines(&setup).len(), setup.expected().len());
}

/// One mailbox listed twice for a unit, with another name and other letter
/// case: one message.
#[test]
fn a_mailbox_listed_twice_gets_one_message() {
    let setup = Setup::new();
    let expected = setup.expected();
    let path = setup.input.join("mottagare.csv");
    let mut recipients = std::fs::read_to_string(&path).unwrap();
    recipients.push_str("Servicecenter;I. Berg;INA.Berg@Exempelby.example\n");
    recipients.push_str("servicecenter;Ina Berg;ina.berg@exempelby.example\n");
    std::fs::write(&path, recipients).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(tmp.path(), None);
    setup.mail_config(server.port);
    let o = setup.send(&["--really-send"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("listed again"), "{}", stderr(&o));
    let got: Vec<(String, String)> = delivered(&server)
        .into_iter()
        .map(|(to, sha)| (to.to_lowercase(), sha))
        .collect();
    assert_eq!(got, expected, "one message per mailbox and report");
}
