//! `mognad send`: every report to the people the recipients file names for
//! it, exactly once.
//!
//! The plan comes from the run's manifest (which reports exist, their
//! checksums, units without a report) and the recipients file in the input
//! folder (who gets which unit's report; nothing else is ever an address).
//! By default nothing is sent: the messages are written as `.eml` files to
//! `OUTPUT/<year>/outbox/` for review. With `--really-send` they go out over
//! SMTP, and every accepted message is appended to
//! `OUTPUT/send-log-<year>.jsonl` at once, so a run that stops midway is
//! continued by the next one and nothing is sent twice. The log lives beside
//! the year folder, not in it, so that a new `mognad run` keeps it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{Config, MailConfig};
use crate::error::{Error, IoContext, Location, Result};
use crate::format::slug;
use crate::publish::{sha256_hex, Manifest, YearIndex, INDEX};
use crate::recipients::{self, Recipient, Recipients};

mod deliver;
mod message;

pub use deliver::{send, write_outbox};
use message::Headlines;

/// What the command line asks for.
#[derive(Debug, Clone, Default)]
pub struct SendOptions {
    pub output: PathBuf,
    pub year: i32,
    pub input: PathBuf,
    pub config: Option<PathBuf>,
    /// The organisation's folder in a multi-organisation output.
    pub org: Option<String>,
    pub really_send: bool,
    pub resend_changed: bool,
    /// Only this unit's report ("organisation" for the organisation report).
    pub only: Option<String>,
    /// Every message to this address instead (for trying it out).
    pub to_test: Option<String>,
}

/// What happens to one (report, recipient) pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Not sent before: goes out.
    Send,
    /// Sent before with the same file: not again.
    AlreadySent,
    /// Sent before, but the report has changed since.
    Changed { resend: bool },
    /// Not sent, and why.
    Skipped(String),
}

impl Status {
    pub fn goes_out(&self) -> bool {
        matches!(self, Status::Send | Status::Changed { resend: true })
    }

    fn describe(&self) -> String {
        match self {
            Status::Send => "to send".into(),
            Status::AlreadySent => "already sent".into(),
            Status::Changed { resend: true } => "changed since sent: sending again".into(),
            Status::Changed { resend: false } => {
                "changed since sent: not sent (--resend-changed sends it)".into()
            }
            Status::Skipped(why) => format!("skipped: {why}"),
        }
    }
}

/// One line of the plan.
#[derive(Debug, Clone)]
pub struct Planned {
    /// `None` for the organisation report.
    pub unit: Option<String>,
    /// The report, relative to the year folder (empty when there is none).
    pub file: String,
    pub sha256: String,
    pub language: String,
    /// `None` when nobody is named.
    pub recipient: Option<Recipient>,
    pub status: Status,
}

/// A line of the send log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sent {
    pub time: String,
    pub organisation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub file: String,
    pub sha256: String,
    pub to: String,
    pub message_id: String,
    pub response: String,
    /// Sent with --to-test: does not count as delivered to the recipient.
    #[serde(default)]
    pub test: bool,
}

/// The send log of a year: `OUTPUT/send-log-<year>.jsonl`.
pub fn log_path(output: &Path, year: i32) -> PathBuf {
    output.join(format!("send-log-{year}.jsonl"))
}

fn read_log(path: &Path) -> Result<Vec<Sent>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::output(path, e)),
    };
    let mut sent = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Sent>(line) {
            Ok(s) => sent.push(s),
            // a line cut short by a crash mid-write is the last one; any
            // other damage is reported, since the log decides what is sent
            Err(_) if i + 1 == text.lines().count() && !text.ends_with('\n') => {}
            Err(e) => {
                return Err(Error::input(
                    Location::file(path).row(i + 1),
                    format!("not a send-log line: {e}; repair or remove the line"),
                ))
            }
        }
    }
    Ok(sent)
}

/// Everything `send` prepared: the plan and what it needs to build messages.
pub struct Prepared {
    pub folder: PathBuf,
    pub organisation: String,
    pub plan: Vec<Planned>,
    /// Warnings from the recipients file (invalid addresses, ...).
    pub warnings: Vec<String>,
    mail: MailConfig,
    log: PathBuf,
    headlines: Headlines,
    /// Held from reading the log to the last delivery: a second `send`
    /// (or a `run`) on the same output waits for it.
    _lock: crate::publish::OutputLock,
}

/// The folder holding the manifest: the year folder, or an organisation's
/// folder in it.
fn report_folder(opts: &SendOptions) -> Result<PathBuf> {
    let year_dir = opts.output.join(opts.year.to_string());
    if !year_dir.is_dir() {
        return Err(Error::Usage(format!(
            "{}: no reports for {}; run `mognad run --year {}` first",
            year_dir.display(),
            opts.year,
            opts.year
        )));
    }
    let index = year_dir.join(INDEX);
    match (&opts.org, index.is_file()) {
        (None, false) => Ok(year_dir),
        (Some(org), true) => {
            let index = YearIndex::read(&index)?;
            index
                .organisations
                .iter()
                .find(|o| o.folder == slug(org) || o.organisation.eq_ignore_ascii_case(org))
                .map(|o| year_dir.join(&o.folder))
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "--org {org}: not in {}",
                        year_dir.join(INDEX).display()
                    ))
                })
        }
        (None, true) => Err(Error::Usage(format!(
            "{} holds several organisations' reports; send them one organisation at a time with --org NAME and that organisation's --input (its recipients file)",
            year_dir.display()
        ))),
        (Some(_), false) => Err(Error::Usage(format!(
            "--org: {} holds one organisation's reports; leave --org out",
            year_dir.display()
        ))),
    }
}

/// Reads the manifest, the recipients and the log, and plans every message.
pub fn prepare(opts: &SendOptions) -> Result<Prepared> {
    let folder = report_folder(opts)?;
    let lock = crate::publish::OutputLock::wait(&opts.output)?;
    let manifest_path = folder.join("manifest.json");
    if !manifest_path.is_file() {
        return Err(Error::Usage(format!(
            "{}: missing; is this the --output of `mognad run`?",
            manifest_path.display()
        )));
    }
    let (manifest, _) = Manifest::read(&manifest_path)?;
    if manifest.year != opts.year {
        return Err(Error::input(
            Location::file(&manifest_path),
            format!("is for {}, not {}", manifest.year, opts.year),
        ));
    }
    let config = Config::load(opts.config.as_deref(), &opts.input)?;
    if !opts.input.is_dir() {
        return Err(Error::Usage(format!(
            "--input {}: no such folder; send reads the recipients file from the input folder",
            opts.input.display()
        )));
    }
    let discovered = crate::discover::discover(&opts.input, &config)?;
    if discovered.recipients.is_empty() {
        return Err(Error::Usage(format!(
            "{} has no recipients file (mottagare.csv or recipients.csv with the columns unit, name and e-mail); nobody to send to",
            opts.input.display()
        )));
    }
    let (list, problems) = recipients::read(&discovered.recipients);
    if let Some(err) = crate::ingest::quality::first_error(&problems) {
        return Err(err);
    }
    let warnings: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    if let Some(test) = &opts.to_test {
        if !recipients::valid_email(test) {
            return Err(Error::Usage(format!(
                "--to-test {test}: not a valid e-mail address"
            )));
        }
    }
    let log = log_path(&opts.output, opts.year);
    let sent = read_log(&log)?;
    let plan = plan(opts, &manifest, &folder, &list, &sent)?;
    let headlines = Headlines::read(&folder.join("indices.csv"))?;
    Ok(Prepared {
        folder,
        organisation: manifest.organisation,
        plan,
        warnings,
        mail: config.mail,
        log,
        headlines,
        _lock: lock,
    })
}

fn plan(
    opts: &SendOptions,
    manifest: &Manifest,
    folder: &Path,
    list: &Recipients,
    sent: &[Sent],
) -> Result<Vec<Planned>> {
    let wanted = |unit: Option<&str>| match (&opts.only, unit) {
        (None, _) => true,
        (Some(only), None) => recipients::names_organisation(only),
        (Some(only), Some(u)) => u.eq_ignore_ascii_case(only),
    };
    // the last real (not test) delivery per (unit, address): a report
    // rendered anew (another language, corrected data) is the same report
    let key = |unit: Option<&str>, to: &str| (unit.map(str::to_lowercase), to.to_lowercase());
    let mut delivered: BTreeMap<(Option<String>, String), String> = BTreeMap::new();
    for s in sent.iter().filter(|s| !s.test) {
        if s.organisation == manifest.organisation {
            delivered.insert(key(s.unit.as_deref(), &s.to), s.sha256.clone());
        }
    }
    let mut plan = Vec::new();
    let mut units_seen = std::collections::BTreeSet::new();
    for f in manifest.files.iter().filter(|f| f.kind.is_report()) {
        units_seen.insert(f.unit.as_deref().map(str::to_lowercase));
        if !wanted(f.unit.as_deref()) {
            continue;
        }
        // the file must be the one the manifest describes
        let path = folder.join(&f.path);
        let bytes = std::fs::read(&path).at(&path)?;
        if sha256_hex(&bytes) != f.sha256 {
            return Err(Error::Usage(format!(
                "{}: differs from its manifest (sha256); it was changed after the run. Run `mognad run` again before sending",
                path.display()
            )));
        }
        let to = list.of(f.unit.as_deref());
        let language = f.language.clone().unwrap_or_else(|| "sv".into());
        if to.is_empty() {
            plan.push(Planned {
                unit: f.unit.clone(),
                file: f.path.clone(),
                sha256: f.sha256.clone(),
                language,
                recipient: None,
                status: Status::Skipped("no recipient in the recipients file".into()),
            });
            continue;
        }
        for r in to {
            let status = match delivered.get(&key(f.unit.as_deref(), &r.email)) {
                _ if opts.to_test.is_some() => Status::Send,
                None => Status::Send,
                Some(sha) if *sha == f.sha256 => Status::AlreadySent,
                Some(_) => Status::Changed {
                    resend: opts.resend_changed,
                },
            };
            plan.push(Planned {
                unit: f.unit.clone(),
                file: f.path.clone(),
                sha256: f.sha256.clone(),
                language: language.clone(),
                recipient: Some(r),
                status,
            });
        }
    }
    for w in &manifest.units_without_report {
        units_seen.insert(Some(w.unit.to_lowercase()));
        if !wanted(Some(&w.unit)) {
            continue;
        }
        for r in list.of(Some(&w.unit)) {
            plan.push(Planned {
                unit: Some(w.unit.clone()),
                file: String::new(),
                sha256: String::new(),
                language: String::new(),
                recipient: Some(r),
                status: Status::Skipped(format!("no report for this unit ({})", w.detail)),
            });
        }
    }
    // recipients of units this year's output does not know
    for (unit, people) in &list.by_unit {
        if units_seen.contains(unit) || !wanted(unit.as_deref()) {
            continue;
        }
        for r in people {
            plan.push(Planned {
                unit: unit.clone(),
                file: String::new(),
                sha256: String::new(),
                language: String::new(),
                recipient: Some(r.clone()),
                status: Status::Skipped("the reports have no unit of this name".into()),
            });
        }
    }
    if let Some(only) = &opts.only {
        if plan.is_empty() {
            return Err(Error::Usage(format!(
                "--only {only}: no report or recipient for a unit of that name"
            )));
        }
    }
    Ok(plan)
}

impl Prepared {
    /// Where the dry run writes: beside the manifest (the year folder, or
    /// the organisation's folder in a multi-organisation output).
    pub fn outbox(&self) -> PathBuf {
        self.folder.join("outbox")
    }

    /// The table of who gets what.
    pub fn table(&self) -> String {
        let rows: Vec<[String; 4]> = self
            .plan
            .iter()
            .map(|p| {
                [
                    p.unit.clone().unwrap_or_else(|| "(organisation)".into()),
                    p.recipient
                        .as_ref()
                        .map(|r| {
                            if r.name.is_empty() {
                                r.email.clone()
                            } else {
                                format!("{} <{}>", r.name, r.email)
                            }
                        })
                        .unwrap_or_else(|| "-".into()),
                    if p.file.is_empty() {
                        "-".into()
                    } else {
                        p.file.clone()
                    },
                    p.status.describe(),
                ]
            })
            .collect();
        let header = ["unit", "recipient", "report", "status"].map(String::from);
        let mut widths = [0usize; 4];
        for row in std::iter::once(&header).chain(&rows) {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut text = String::new();
        for row in std::iter::once(&header).chain(&rows) {
            for (i, (w, cell)) in widths.iter().zip(row).enumerate() {
                text.push_str(cell);
                if i < 3 {
                    text.push_str(&" ".repeat(w - cell.chars().count() + 2));
                }
            }
            text.push('\n');
        }
        text
    }
}
