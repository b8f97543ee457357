//! Publishing: every run writes into a fresh staging folder next to the
//! target and moves it into place only when complete, so a failed run leaves
//! the previous `OUTPUT/<year>` exactly as it was. `manifest.json` lists
//! every file written with its sha256.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, IoContext, Result};
use crate::format::slug;

/// What an output file is, as the manifest names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputKind {
    /// `indices.csv`, `.parquet`, `.xlsx`.
    Indices,
    /// `roles.csv`.
    Roles,
    /// `reliability.csv`.
    Reliability,
    /// `portfolio.csv`, `portfolio-summary.csv`.
    Portfolio,
    /// The organisation's report.
    OrganisationReport,
    /// A unit's report.
    UnitReport,
    /// The national overview: `overview.pdf`, `overview.csv`.
    Overview,
    /// A file of the open-data package.
    OpenData,
    /// A page of the web edition: a report as HTML, or a folder's
    /// `index.html`.
    Web,
}

impl OutputKind {
    /// Whether the file is a report (a PDF someone receives).
    pub fn is_report(self) -> bool {
        matches!(
            self,
            OutputKind::OrganisationReport | OutputKind::UnitReport
        )
    }
}

/// Why a unit has no report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoReportReason {
    /// Fewer respondents than the anonymity threshold.
    BelowThreshold,
    /// Hidden so that a suppressed unit cannot be worked out by subtraction.
    SecondarySuppression,
}

impl NoReportReason {
    /// The reason in words, for the manifest's `detail`.
    pub fn detail(self, threshold: usize) -> String {
        match self {
            NoReportReason::BelowThreshold => format!("fewer than {threshold} respondents"),
            NoReportReason::SecondarySuppression => {
                "hidden so that a suppressed unit cannot be worked out by subtraction".into()
            }
        }
    }
}

/// The file names of one organisation's reports in a year folder:
/// `<dir><title>-<organisation>.pdf` and `<dir>enheter/<title>-<unit>.pdf`,
/// made file-name safe, a number added where two units' names meet.
pub struct FileNames {
    dir: String,
    prefix: String,
    used: std::collections::BTreeSet<String>,
}

impl FileNames {
    /// `dir` is the organisation's subfolder ("" or "name/"), `title` the
    /// report title ("Digital mognad 2025").
    pub fn new(dir: &str, title: &str) -> Self {
        FileNames {
            dir: dir.to_string(),
            prefix: slug(title),
            used: Default::default(),
        }
    }

    pub fn organisation_report(&mut self, organisation: &str) -> String {
        format!("{}{}-{}.pdf", self.dir, self.prefix, slug(organisation))
    }

    pub fn unit_report(&mut self, unit: &str) -> String {
        let (dir, prefix, name) = (&self.dir, &self.prefix, slug(unit));
        let mut file = format!("{dir}enheter/{prefix}-{name}.pdf");
        let mut i = 2;
        while !self.used.insert(file.clone()) {
            file = format!("{dir}enheter/{prefix}-{name}-{i}.pdf");
            i += 1;
        }
        file
    }
}

/// One file of `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub path: String,
    pub kind: OutputKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub bytes: usize,
    pub sha256: String,
    /// Reports: their language, page count and recipients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<usize>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<crate::recipients::Recipient>,
}

/// A report that failed to render, with the reason.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FailedReport {
    /// `None` for the organisation report.
    pub unit: Option<String>,
    pub reason: String,
}

/// A unit without a report, and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnitWithoutReport {
    pub unit: String,
    /// Who would have received it, so that the office can tell them why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<crate::recipients::Recipient>,
    pub reason: NoReportReason,
    pub detail: String,
}

/// `manifest.json`: every file a run wrote for one organisation and year,
/// with its checksum. Written by a run, read back by `send`, `merge` and
/// the year's `index.json`: this one type serves all of them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    /// Reports that failed to render, with the reason; the others are written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<FailedReport>,
    pub organisation: String,
    pub year: i32,
    pub language: String,
    pub report_date: String,
    pub files: Vec<ManifestFile>,
    #[serde(default)]
    pub units_without_report: Vec<UnitWithoutReport>,
}

impl Manifest {
    /// Reads a manifest; a file that is not one is named in the error.
    pub fn read(path: &Path) -> Result<(Manifest, Vec<u8>)> {
        let bytes = std::fs::read(path).at(path)?;
        let manifest = serde_json::from_slice(&bytes).map_err(|e| {
            Error::input(
                crate::error::Location::file(path),
                format!("not a mognad manifest: {e}"),
            )
        })?;
        Ok((manifest, bytes))
    }
}

/// One organisation in a year's `index.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexEntry {
    pub organisation: String,
    pub folder: String,
    pub reports: usize,
    pub failed: usize,
    pub units_without_report: usize,
    /// The sha256 of the organisation's `manifest.json`.
    pub manifest_sha256: String,
}

/// `OUTPUT/<year>/index.json` of a multi-organisation run: every
/// organisation's folder and the checksum of its manifest. A sharded run
/// names its shard; `mognad merge` combines the shards' indexes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearIndex {
    pub tool: String,
    pub year: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    pub organisations: Vec<IndexEntry>,
    /// The year-level files (the overview, the open-data package), paths
    /// relative to the year folder.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<ManifestFile>,
    /// A shard's index: the folder of every organisation of the year in
    /// the whole run, whichever shard renders it, so that `merge` can tell
    /// that none is missing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub run_folders: Vec<String>,
}

pub const INDEX: &str = "index.json";

impl YearIndex {
    /// The index of the organisation folders (those with a manifest.json)
    /// in `year_dir`, in folder order.
    pub fn scan(year_dir: &Path, year: i32, shard: Option<String>) -> Result<YearIndex> {
        let entries = std::fs::read_dir(year_dir).at(year_dir)?;
        let mut folders: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().join("manifest.json").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        folders.sort();
        let mut organisations = Vec::with_capacity(folders.len());
        for folder in folders {
            let (m, bytes) = Manifest::read(&year_dir.join(&folder).join("manifest.json"))?;
            organisations.push(IndexEntry {
                reports: m.files.iter().filter(|f| f.kind.is_report()).count(),
                failed: m.failed.len(),
                units_without_report: m.units_without_report.len(),
                organisation: m.organisation,
                folder,
                manifest_sha256: sha256_hex(&bytes),
            });
        }
        Ok(YearIndex {
            tool: format!("mognad {}", env!("CARGO_PKG_VERSION")),
            year,
            shard,
            organisations,
            files: Vec::new(),
            run_folders: Vec::new(),
        })
    }

    pub fn read(path: &Path) -> Result<YearIndex> {
        let bytes = std::fs::read(path).at(path)?;
        serde_json::from_slice(&bytes).map_err(|e| {
            Error::input(
                crate::error::Location::file(path),
                format!("not a mognad index.json: {e}"),
            )
        })
    }

    /// Writes the index as `dir/index.json`, atomically.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let mut json = serde_json::to_vec_pretty(self)
            .map_err(|e| Error::internal("writing index.json", e))?;
        json.push(b'\n');
        write_atomically(&dir.join(INDEX), &json)
    }
}

/// The year folders (`<digits>`) of an output folder, in order.
pub fn year_folders(output: &Path) -> Result<Vec<i32>> {
    let mut years: Vec<i32> = std::fs::read_dir(output)
        .at(output)?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
        .collect();
    years.sort_unstable();
    Ok(years)
}

/// Writes a file by way of a temporary file beside it and a rename, so that
/// a reader sees the old file or the new one, never half of one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).at(&tmp)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::output(path, e)
    })
}

/// A lock on the output folder: one mognad process writes it at a time
/// (`run`, `merge`, `brief`, `send`). It is the operating system's advisory
/// lock on `OUTPUT/.mognad.lock` (flock), held as long as the file is open:
/// it dies with its process, whatever killed it, so a stale lock cannot
/// outlive a crash or refuse a restarted container whose process id came
/// back. The empty file stays behind: removing it would let a waiting
/// process and a new one lock two different files.
pub struct OutputLock {
    _file: std::fs::File,
}

impl OutputLock {
    /// Takes the lock, or says that another process holds it.
    pub fn acquire(output: &Path) -> Result<Self> {
        Self::take(output, false)
    }

    /// Takes the lock, waiting for another process that holds it (a second
    /// `send` waits for the first, then finds its deliveries in the log).
    pub fn wait(output: &Path) -> Result<Self> {
        Self::take(output, true)
    }

    fn take(output: &Path, wait: bool) -> Result<Self> {
        std::fs::create_dir_all(output).at(output)?;
        let path = output.join(".mognad.lock");
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .at(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) if wait => {
                eprintln!(
                    "waiting for another mognad process to finish with {} ...",
                    output.display()
                );
                file.lock().at(&path)?;
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::output(
                    &path,
                    "another mognad run is writing this output folder; wait for it to finish",
                ));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::output(&path, e)),
        }
        // a lock file of an earlier version held its owner's process id
        file.set_len(0).at(&path)?;
        recover(output)?;
        Ok(OutputLock { _file: file })
    }
}

/// Cleans up after a killed run (called while holding the lock): staging
/// folders are removed, and a previous output caught between the two renames
/// of a commit is put back.
pub(crate) fn recover(output: &Path) -> Result<()> {
    let entries = std::fs::read_dir(output).at(output)?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let path = output.join(&name);
        if name.starts_with(".mognad-staging-") {
            std::fs::remove_dir_all(&path).at(&path)?;
        } else if let Some(rest) = name.strip_prefix(".mognad-old-") {
            let target = rest.rsplit_once('-').map(|(t, _)| t).unwrap_or(rest);
            let target = output.join(target);
            if target.exists() {
                std::fs::remove_dir_all(&path).at(&path)?;
            } else {
                std::fs::rename(&path, &target).at(&path)?;
            }
        }
    }
    Ok(())
}

/// A folder being filled; dropped without `commit`, it is removed.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    files: Vec<ManifestFile>,
    committed: bool,
}

pub use crate::format::sha256_hex;

impl Staging {
    /// Starts a staging folder for `output/<name>`.
    pub fn new(output: &Path, name: &str) -> Result<Self> {
        std::fs::create_dir_all(output).at(output)?;
        let dir = output.join(format!(".mognad-staging-{name}-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).at(&dir)?;
        }
        std::fs::create_dir(&dir).at(&dir)?;
        Ok(Staging {
            target: output.join(name),
            dir,
            files: Vec::new(),
            committed: false,
        })
    }

    /// Writes one file (path relative to the year folder) and records it.
    pub fn write(
        &mut self,
        relative: &str,
        bytes: &[u8],
        kind: OutputKind,
        unit: Option<&str>,
    ) -> Result<()> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).at(parent)?;
        }
        std::fs::write(&path, bytes).at(&path)?;
        self.files.push(ManifestFile {
            path: relative.to_string(),
            kind,
            unit: unit.map(str::to_string),
            bytes: bytes.len(),
            sha256: sha256_hex(bytes),
            language: None,
            pages: None,
            recipients: Vec::new(),
        });
        Ok(())
    }

    /// Writes a report (`relative` names its PDF) and records its
    /// language, pages and recipients; its web edition, if rendered, goes
    /// beside it with the same name ending in `.html`.
    pub fn write_report(
        &mut self,
        relative: &str,
        report: &crate::render::Rendered,
        kind: OutputKind,
        unit: Option<&str>,
        language: &str,
        recipients: Vec<crate::recipients::Recipient>,
    ) -> Result<()> {
        self.write(relative, &report.pdf, kind, unit)?;
        if let Some(f) = self.files.last_mut() {
            f.language = Some(language.to_string());
            f.pages = Some(report.pages);
            f.recipients = recipients;
        }
        if let Some(html) = &report.html {
            let page = crate::format::web_name(relative);
            self.write(&page, html, OutputKind::Web, unit)?;
            if let Some(f) = self.files.last_mut() {
                f.language = Some(language.to_string());
            }
        }
        Ok(())
    }

    /// The files written so far that no manifest lists yet, in path
    /// order (the year-level files, once every organisation's manifest is
    /// written).
    pub fn take_files(&mut self) -> Vec<ManifestFile> {
        let mut files = std::mem::take(&mut self.files);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }

    /// The staging folder itself.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `manifest.json` into the folder `prefix` ("" for the top)
    /// listing the files written under it so far, paths relative to it.
    pub fn write_manifest(&mut self, prefix: &str, mut manifest: Manifest) -> Result<()> {
        let (mine, rest): (Vec<ManifestFile>, Vec<ManifestFile>) = std::mem::take(&mut self.files)
            .into_iter()
            .partition(|f| f.path.starts_with(prefix));
        self.files = rest;
        let mut mine = mine;
        // reports render in parallel: list the files in a stable order
        mine.sort_by(|a, b| a.path.cmp(&b.path));
        manifest.files = mine
            .into_iter()
            .map(|mut f| {
                f.path = f.path[prefix.len()..].to_string();
                f
            })
            .collect();
        let mut json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| Error::internal("writing manifest.json", e))?;
        json.push(b'\n');
        let path = self.dir.join(prefix).join("manifest.json");
        std::fs::write(&path, json).at(&path)
    }

    /// Moves the folder into place, replacing the previous one only after
    /// the new one is complete. Where the system can (Linux), the new
    /// folder and the old one change places in one atomic step, so that no
    /// moment is without one of them; elsewhere the old one is renamed
    /// aside first and a crash between the two renames leaves it under
    /// `.mognad-old-*`, which the next run puts back ([`recover`]).
    pub fn commit(mut self) -> Result<PathBuf> {
        if self.target.exists() && exchange(&self.dir, &self.target) {
            // the old output is now where the staging folder was: a crash
            // before it is removed leaves it to the next run's recovery
            self.committed = true;
            // the new output is in place: an old tree that will not go is
            // left to the next run's recovery, not a failed run
            let _ = std::fs::remove_dir_all(&self.dir);
            return Ok(self.target.clone());
        }
        let old = self.target.with_file_name(format!(
            ".mognad-old-{}-{}",
            self.target
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old).at(&self.target)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::output(&self.target, e));
        }
        self.committed = true;
        if had_old {
            std::fs::remove_dir_all(&old).at(&old)?;
        }
        Ok(self.target.clone())
    }
}

/// Swaps two paths in one atomic step (renameat2 with RENAME_EXCHANGE);
/// `false` where the system or the file system cannot.
fn exchange(a: &Path, b: &Path) -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::ffi::OsStrExt;
        let (Ok(a), Ok(b)) = (
            std::ffi::CString::new(a.as_os_str().as_bytes()),
            std::ffi::CString::new(b.as_os_str().as_bytes()),
        ) else {
            return false;
        };
        // SAFETY: two valid NUL-terminated paths; the call reads them only.
        let done = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        done == 0
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        let _ = (a, b);
        false
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_file_names_are_slugs_and_never_collide() {
        let mut names = FileNames::new("alby/", "Digital mognad 2025");
        assert_eq!(
            names.organisation_report("Alby kommun"),
            "alby/digital-mognad-2025-alby-kommun.pdf"
        );
        assert_eq!(
            names.unit_report("Socialförvaltningen"),
            "alby/enheter/digital-mognad-2025-socialforvaltningen.pdf"
        );
        // two spellings with one slug
        assert_eq!(
            names.unit_report("Socialförvaltningen!"),
            "alby/enheter/digital-mognad-2025-socialforvaltningen-2.pdf"
        );
    }

    /// A manifest of organisation "o" for 2025 with these files.
    fn manifest(files: Vec<ManifestFile>, without: Vec<UnitWithoutReport>) -> Manifest {
        Manifest {
            tool: "t".into(),
            failed: vec![],
            organisation: "o".into(),
            year: 2025,
            language: "sv".into(),
            report_date: "2025-12-31".into(),
            files,
            units_without_report: without,
        }
    }

    #[test]
    fn the_manifest_reads_back_what_was_written() {
        let m = manifest(
            vec![ManifestFile {
                path: "a.pdf".into(),
                kind: OutputKind::UnitReport,
                unit: Some("U".into()),
                bytes: 3,
                sha256: "x".into(),
                language: Some("sv".into()),
                pages: Some(2),
                recipients: vec![],
            }],
            vec![UnitWithoutReport {
                unit: "V".into(),
                recipients: vec![],
                reason: NoReportReason::SecondarySuppression,
                detail: NoReportReason::SecondarySuppression.detail(5),
            }],
        );
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.contains("\"kind\":\"unit_report\""), "{json}");
        assert!(
            json.contains("\"reason\":\"secondary_suppression\""),
            "{json}"
        );
        let back: Manifest = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
        assert!(back.files[0].kind.is_report());
    }

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_held_lock_stops_a_second_run_and_a_file_naming_a_live_process_does_not() {
        let tmp = tempfile::tempdir().unwrap();
        let first = OutputLock::acquire(tmp.path()).unwrap();
        let err = OutputLock::acquire(tmp.path()).err().unwrap().to_string();
        assert!(err.contains("another mognad run"), "{err}");
        drop(first);
        // a lock file left behind names a process that is alive (this one,
        // as after a container restart): it holds no lock, so it is no bar
        std::fs::write(
            tmp.path().join(".mognad.lock"),
            std::process::id().to_string(),
        )
        .unwrap();
        let again = OutputLock::acquire(tmp.path()).unwrap();
        // a waiter gets the lock once the holder lets go
        let waiter = {
            let dir = tmp.path().to_path_buf();
            std::thread::spawn(move || OutputLock::wait(&dir).is_ok())
        };
        std::thread::sleep(std::time::Duration::from_millis(100));
        drop(again);
        assert!(waiter.join().unwrap());
    }

    #[test]
    fn a_commit_replaces_the_previous_folder_in_one_step() {
        let tmp = tempfile::tempdir().unwrap();
        for content in ["one", "two"] {
            let mut s = Staging::new(tmp.path(), "2025").unwrap();
            s.write("a.txt", content.as_bytes(), OutputKind::Indices, None)
                .unwrap();
            let staged = s.dir().to_path_buf();
            s.commit().unwrap();
            assert!(!staged.exists());
        }
        assert_eq!(
            std::fs::read(tmp.path().join("2025/a.txt")).unwrap(),
            b"two"
        );
        // the swap itself: both paths exist after it, with their contents
        // exchanged, and neither was missing in between
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(a.join("x"), "a").unwrap();
        if exchange(&a, &b) {
            assert_eq!(std::fs::read(b.join("x")).unwrap(), b"a");
            assert!(a.exists() && !a.join("x").exists());
        }
    }

    /// A reader watching the year folder while runs replace it never
    /// finds it missing (with two renames it did, between them).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn the_year_folder_never_goes_missing_while_it_is_replaced() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("2025");
        let stop = AtomicBool::new(false);
        let missing = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    // "seen" is written after the first commit: once it is
                    // there (looked at first), the folder must be too
                    let seen = tmp.path().join("seen").exists();
                    if seen && !target.exists() {
                        missing.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
            for i in 0..400 {
                let mut s = Staging::new(tmp.path(), "2025").unwrap();
                s.write("a.txt", i.to_string().as_bytes(), OutputKind::Indices, None)
                    .unwrap();
                s.commit().unwrap();
                if i == 0 {
                    std::fs::write(tmp.path().join("seen"), "").unwrap();
                }
            }
            stop.store(true, Ordering::Relaxed);
        });
        assert_eq!(missing.load(Ordering::Relaxed), 0);
        assert_eq!(std::fs::read(target.join("a.txt")).unwrap(), b"399");
    }

    #[test]
    fn recovery_after_a_killed_run() {
        let tmp = tempfile::tempdir().unwrap();
        // killed while staging: the half-written folder goes
        std::fs::create_dir_all(tmp.path().join(".mognad-staging-2025-77/enheter")).unwrap();
        // killed between the renames: the previous 2024 output comes back
        std::fs::create_dir_all(tmp.path().join(".mognad-old-2024-77")).unwrap();
        std::fs::write(tmp.path().join(".mognad-old-2024-77/indices.csv"), "old").unwrap();
        let _lock = OutputLock::acquire(tmp.path()).unwrap();
        assert!(!tmp.path().join(".mognad-staging-2025-77").exists());
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("2024/indices.csv")).unwrap(),
            "old"
        );
    }

    #[test]
    fn a_dropped_staging_leaves_the_previous_output_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = Staging::new(tmp.path(), "2025").unwrap();
        s.write("a.txt", b"one", OutputKind::Indices, None).unwrap();
        s.write_manifest("", manifest(vec![], vec![])).unwrap();
        s.commit().unwrap();
        let mut s = Staging::new(tmp.path(), "2025").unwrap();
        s.write("a.txt", b"two", OutputKind::Indices, None).unwrap();
        drop(s);
        assert_eq!(
            std::fs::read(tmp.path().join("2025/a.txt")).unwrap(),
            b"one"
        );
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no staging folder left behind");
    }
}
