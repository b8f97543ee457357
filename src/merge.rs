//! `mognad merge`: the output folders of a sharded run (`run --shard K/N`
//! on N machines) combined into one, as if one machine had rendered them
//! all. Every shard of a year must be there exactly once, every file is
//! checked against its organisation's manifest and every manifest against
//! the shard's index, and the combined year folder is staged and moved into
//! place like a run's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, IoContext, Result};
use crate::publish::{sha256_hex, Manifest, OutputLock, Staging, YearIndex, INDEX};

/// What was merged for one year.
#[derive(Debug, Clone)]
pub struct Merged {
    pub year: i32,
    pub folder: PathBuf,
    pub organisations: usize,
    pub reports: usize,
    pub failed: usize,
}

/// The year folders of a shard's output folder.
fn years_in(dir: &Path) -> Result<Vec<i32>> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{}: no such output folder to merge",
            dir.display()
        )));
    }
    crate::publish::year_folders(dir)
}

/// Combines the shards' output folders into `output`.
pub fn merge(output: &Path, shards: &[PathBuf]) -> Result<Vec<Merged>> {
    // year -> (shard folder, its index)
    let mut by_year: BTreeMap<i32, Vec<(PathBuf, YearIndex)>> = BTreeMap::new();
    for dir in shards {
        let years = years_in(dir)?;
        if years.is_empty() {
            return Err(Error::Usage(format!(
                "{}: holds no year folder; is it the --output of a sharded run?",
                dir.display()
            )));
        }
        for year in years {
            let path = dir.join(year.to_string()).join(INDEX);
            if !path.is_file() {
                return Err(Error::Usage(format!(
                    "{}: missing; merge combines the output of multi-organisation runs (run --shard K/N)",
                    path.display()
                )));
            }
            by_year
                .entry(year)
                .or_default()
                .push((dir.join(year.to_string()), YearIndex::read(&path)?));
        }
    }
    for (year, parts) in &by_year {
        check_shards(*year, parts)?;
        check_year_files(*year, parts)?;
        check_organisations(*year, parts)?;
    }
    let _lock = OutputLock::acquire(output)?;
    let mut merged = Vec::new();
    for (year, parts) in by_year {
        let staging = Staging::new(output, &year.to_string())?;
        let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
        let (mut reports, mut failed) = (0, 0);
        for (dir, index) in &parts {
            for entry in &index.organisations {
                if let Some(other) = seen.insert(entry.folder.clone(), dir.clone()) {
                    return Err(Error::Usage(format!(
                        "{} is in two shards ({} and {}); each organisation must be rendered by one shard",
                        entry.folder,
                        other.display(),
                        dir.display()
                    )));
                }
                copy_checked(
                    &dir.join(&entry.folder),
                    &staging.dir().join(&entry.folder),
                    &entry.manifest_sha256,
                )?;
                reports += entry.reports;
                failed += entry.failed;
            }
        }
        let files = year_files(&parts, staging.dir())?;
        let mut index = YearIndex::scan(staging.dir(), year, None)?;
        index.files = files;
        let organisations = index.organisations.len();
        index.write(staging.dir())?;
        let folder = staging.commit()?;
        merged.push(Merged {
            year,
            folder,
            organisations,
            reports,
            failed,
        });
    }
    Ok(merged)
}

/// Whether the shards of a year agree on the year-level files (the
/// overview, the open-data package): every shard computed them from the
/// same organisations' figures.
fn check_year_files(year: i32, parts: &[(PathBuf, YearIndex)]) -> Result<()> {
    let Some((first_dir, first)) = parts.first() else {
        return Ok(());
    };
    match parts.iter().find(|(_, i)| i.files != first.files) {
        None => Ok(()),
        Some((dir, _)) => Err(Error::Usage(format!(
            "{year}: the year-level files (overview, open data, web pages) of {} differ from those of {}; were the shards run with the same input, config and version?",
            dir.display(),
            first_dir.display()
        ))),
    }
}

/// The year-level files of the first shard, copied into `to`, each checked
/// against its checksum (the shards agree: [`check_year_files`]).
fn year_files(
    parts: &[(PathBuf, YearIndex)],
    to: &Path,
) -> Result<Vec<crate::publish::ManifestFile>> {
    let Some((first_dir, first)) = parts.first() else {
        return Ok(Vec::new());
    };
    for file in &first.files {
        if !stays_inside(&file.path) {
            return Err(Error::Usage(format!(
                "{}: lists the path \"{}\", which leaves the year folder",
                first_dir.join(INDEX).display(),
                file.path
            )));
        }
        let source = first_dir.join(&file.path);
        let bytes = std::fs::read(&source).at(&source)?;
        if sha256_hex(&bytes) != file.sha256 {
            return Err(Error::Usage(format!(
                "{}: does not match the checksum in the shard's index.json; the shard's output was changed or damaged",
                source.display()
            )));
        }
        let target = to.join(&file.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).at(parent)?;
        }
        std::fs::write(&target, &bytes).at(&target)?;
    }
    Ok(first.files.clone())
}

/// Whether a path from a manifest or index stays inside its folder.
fn stays_inside(relative: &str) -> bool {
    !relative.is_empty()
        && Path::new(relative)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// A shard's index is untrusted input: every organisation folder it names
/// is one plain path component, the organisation's own folder name (its
/// slug, or the slug and a number where two names meet), and belongs to
/// that shard; every organisation the run assigned to a shard is in it.
fn check_organisations(year: i32, parts: &[(PathBuf, YearIndex)]) -> Result<()> {
    let wrong = |dir: &Path, what: String| {
        Error::Usage(format!(
            "{year}: {}: {what}; the shard's output was changed or damaged, or is not a mognad run's",
            dir.join(INDEX).display()
        ))
    };
    let mut all: Option<&Vec<String>> = None;
    let mut seen = std::collections::BTreeSet::new();
    for (dir, index) in parts {
        let shard = index
            .shard
            .as_deref()
            .and_then(|s| crate::shard::Shard::parse(s).ok())
            .ok_or_else(|| wrong(dir, "names no shard".into()))?;
        for entry in &index.organisations {
            let folder = entry.folder.as_str();
            let slug = crate::format::slug(&entry.organisation);
            let numbered = folder
                .strip_prefix(slug.as_str())
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if !stays_inside(folder) || folder.contains('/') || (folder != slug && !numbered) {
                return Err(wrong(
                    dir,
                    format!(
                        "the folder \"{folder}\" of {} is not that organisation's folder name (\"{slug}\")",
                        entry.organisation
                    ),
                ));
            }
            if !shard.contains(folder) {
                return Err(wrong(
                    dir,
                    format!("{folder} belongs to another shard than {shard}"),
                ));
            }
            seen.insert(folder.to_string());
        }
        if index.run_folders.is_empty() {
            return Err(wrong(
                dir,
                "lists no organisations of the run (run_folders); run the shards again with this version of mognad".into(),
            ));
        }
        match all {
            None => all = Some(&index.run_folders),
            Some(first) if *first != index.run_folders => {
                return Err(wrong(
                    dir,
                    "lists other organisations of the run than the other shards do".into(),
                ))
            }
            Some(_) => {}
        }
    }
    let missing: Vec<&String> = all
        .into_iter()
        .flatten()
        .filter(|f| !seen.contains(*f))
        .collect();
    if let Some(folder) = missing.first() {
        let count = parts
            .first()
            .and_then(|(_, i)| i.shard.as_deref())
            .and_then(|s| crate::shard::Shard::parse(s).ok())
            .map_or(1, |s| s.count);
        let k = crate::shard::Shard::of(folder, count);
        let holder = parts
            .iter()
            .find(|(_, i)| {
                i.shard
                    .as_deref()
                    .and_then(|s| crate::shard::Shard::parse(s).ok())
                    .is_some_and(|s| s.index == k)
            })
            .map_or_else(|| Path::new("?").to_path_buf(), |(d, _)| d.clone());
        return Err(wrong(
            &holder,
            format!(
                "{} organisation(s) of the run are missing from their shard, first {folder} (shard {k}/{count})",
                missing.len()
            ),
        ));
    }
    Ok(())
}

/// Every shard 1..N of a year once, all with the same N.
fn check_shards(year: i32, parts: &[(PathBuf, YearIndex)]) -> Result<()> {
    let mut declared: BTreeMap<usize, &Path> = BTreeMap::new();
    let mut count = None;
    for (dir, index) in parts {
        let shard = index
            .shard
            .as_deref()
            .and_then(|s| crate::shard::Shard::parse(s).ok())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "{}: not the output of a sharded run (its index.json names no shard)",
                    dir.display()
                ))
            })?;
        if *count.get_or_insert(shard.count) != shard.count {
            return Err(Error::Usage(format!(
                "{year}: the shards were cut differently ({} is shard {shard}, another is of {})",
                dir.display(),
                count.unwrap_or_default()
            )));
        }
        if let Some(other) = declared.insert(shard.index, dir) {
            return Err(Error::Usage(format!(
                "{year}: shard {shard} given twice ({} and {})",
                other.display(),
                dir.display()
            )));
        }
    }
    let n = count.unwrap_or_default();
    let missing: Vec<String> = (1..=n)
        .filter(|k| !declared.contains_key(k))
        .map(|k| format!("{k}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "{year}: shard {} missing; give the output folder of every shard",
            missing.join(", ")
        )));
    }
    Ok(())
}

/// Copies an organisation's folder and checks its manifest's checksum (as
/// the index records it) and every file's checksum (as the manifest records
/// it), so that a file damaged in transfer between machines is caught.
fn copy_checked(from: &Path, to: &Path, manifest_sha256: &str) -> Result<()> {
    let manifest_path = from.join("manifest.json");
    let (m, manifest) = Manifest::read(&manifest_path)?;
    if sha256_hex(&manifest) != manifest_sha256 {
        return Err(Error::Usage(format!(
            "{}: does not match the checksum in the shard's index.json; the shard's output was changed or damaged",
            manifest_path.display()
        )));
    }
    std::fs::create_dir_all(to).at(to)?;
    std::fs::write(to.join("manifest.json"), &manifest).at(to)?;
    for file in &m.files {
        let relative = file.path.as_str();
        if !stays_inside(relative) {
            return Err(Error::Usage(format!(
                "{}: lists the path \"{relative}\", which leaves the organisation's folder",
                manifest_path.display()
            )));
        }
        let source = from.join(relative);
        let bytes = std::fs::read(&source).at(&source)?;
        if file.sha256 != sha256_hex(&bytes) {
            return Err(Error::Usage(format!(
                "{}: does not match the checksum in its manifest; the shard's output was changed or damaged",
                source.display()
            )));
        }
        let target = to.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).at(parent)?;
        }
        std::fs::write(&target, &bytes).at(&target)?;
    }
    Ok(())
}
