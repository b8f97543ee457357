//! Publishing: every run writes into a fresh staging folder next to the
//! target and moves it into place only when complete, so a failed run leaves
//! the previous `OUTPUT/<year>` exactly as it was. `manifest.json` lists
//! every file written with its sha256.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Serialize)]
pub struct ManifestFile {
    pub path: String,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub bytes: usize,
    pub sha256: String,
    /// Reports: their language, page count and recipients.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<crate::recipients::Recipient>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FailedReport {
    /// `None` for the organisation report.
    pub unit: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitWithoutReport {
    pub unit: String,
    /// Who would have received it, so that the office can tell them why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<crate::recipients::Recipient>,
    pub reason: &'static str,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub tool: String,
    /// Reports that failed to render, with the reason; the others are written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<FailedReport>,
    pub organisation: String,
    pub year: i32,
    pub language: String,
    pub report_date: String,
    pub files: Vec<ManifestFile>,
    pub units_without_report: Vec<UnitWithoutReport>,
}

/// A folder being filled; dropped without `commit`, it is removed.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    files: Vec<ManifestFile>,
    committed: bool,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Staging {
    /// Starts a staging folder for `output/<name>`.
    pub fn new(output: &Path, name: &str) -> Result<Self> {
        std::fs::create_dir_all(output).map_err(|e| Error::output(output, e))?;
        let dir = output.join(format!(".mognad-staging-{name}-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::output(&dir, e))?;
        }
        std::fs::create_dir(&dir).map_err(|e| Error::output(&dir, e))?;
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
        kind: &'static str,
        unit: Option<&str>,
    ) -> Result<()> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::output(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::output(&path, e))?;
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

    /// Writes a report and records its language, pages and recipients.
    pub fn write_report(
        &mut self,
        relative: &str,
        bytes: &[u8],
        kind: &'static str,
        unit: Option<&str>,
        (language, pages): (&str, usize),
        recipients: Vec<crate::recipients::Recipient>,
    ) -> Result<()> {
        self.write(relative, bytes, kind, unit)?;
        if let Some(f) = self.files.last_mut() {
            f.language = Some(language.to_string());
            f.pages = Some(pages);
            f.recipients = recipients;
        }
        Ok(())
    }

    pub fn files(&self) -> &[ManifestFile] {
        &self.files
    }

    /// Writes `manifest.json` into the folder `prefix` ("" for the top)
    /// listing the files written under it so far, paths relative to it.
    pub fn write_manifest(&mut self, prefix: &str, mut manifest: Manifest) -> Result<()> {
        let (mine, rest): (Vec<ManifestFile>, Vec<ManifestFile>) = std::mem::take(&mut self.files)
            .into_iter()
            .partition(|f| f.path.starts_with(prefix));
        self.files = rest;
        manifest.files = mine
            .into_iter()
            .map(|mut f| {
                f.path = f.path[prefix.len()..].to_string();
                f
            })
            .collect();
        let mut json =
            serde_json::to_vec_pretty(&manifest).map_err(|e| Error::output(&self.dir, e))?;
        json.push(b'\n');
        let path = self.dir.join(prefix).join("manifest.json");
        std::fs::write(&path, json).map_err(|e| Error::output(&path, e))
    }

    /// Moves the folder into place, replacing the previous one only after
    /// the new one is complete.
    pub fn commit(mut self) -> Result<PathBuf> {
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
            std::fs::rename(&self.target, &old).map_err(|e| Error::output(&self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::output(&self.target, e));
        }
        self.committed = true;
        if had_old {
            std::fs::remove_dir_all(&old).map_err(|e| Error::output(&old, e))?;
        }
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A file-name-safe form of a name: lower case, å/ä → a, ö → o, other
/// characters to `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for ch in name.chars().flat_map(char::to_lowercase) {
        let c = match ch {
            'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("enhet");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Barn- och utbildningsförvaltningen"),
            "barn-och-utbildningsforvaltningen"
        );
        assert_eq!(slug("  Överförmyndare & Co "), "overformyndare-co");
        assert_eq!(slug("***"), "enhet");
    }

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_dropped_staging_leaves_the_previous_output_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = Staging::new(tmp.path(), "2025").unwrap();
        s.write("a.txt", b"one", "test", None).unwrap();
        s.write_manifest(
            "",
            Manifest {
                tool: "t".into(),
                failed: vec![],
                organisation: "o".into(),
                year: 2025,
                language: "sv".into(),
                report_date: "2025-12-31".into(),
                files: vec![],
                units_without_report: vec![],
            },
        )
        .unwrap();
        s.commit().unwrap();
        let mut s = Staging::new(tmp.path(), "2025").unwrap();
        s.write("a.txt", b"two", "test", None).unwrap();
        drop(s);
        assert_eq!(
            std::fs::read(tmp.path().join("2025/a.txt")).unwrap(),
            b"one"
        );
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no staging folder left behind");
    }
}
