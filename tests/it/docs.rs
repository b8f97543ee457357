//! The user guide stays true: its generated references are those the
//! binary prints, every relative link resolves (file and heading), and no
//! user-facing document reads as a diary of work sessions.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// README, CHANGELOG, ARCHITECTURE and every page of the guide.
fn documents() -> Vec<PathBuf> {
    let mut docs = vec![
        root().join("README.md"),
        root().join("CHANGELOG.md"),
        root().join("ARCHITECTURE.md"),
    ];
    let mut stack = vec![root().join("docs")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                docs.push(p);
            }
        }
    }
    docs.sort();
    docs
}

#[test]
fn the_references_are_what_the_binary_prints() {
    for (page, file) in [("cli", "cli.md"), ("config", "config.md")] {
        let o = mognad(["reference", page]).ok();
        let printed = String::from_utf8(o.stdout).unwrap();
        let committed = std::fs::read_to_string(root().join("docs/reference").join(file)).unwrap();
        assert!(
            printed == committed,
            "docs/reference/{file} is out of date: run `cargo run -- reference {page} > docs/reference/{file}`"
        );
    }
}

/// A heading's anchor as GitHub and mdBook make it.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The lines of a Markdown text outside its code blocks.
fn prose(text: &str) -> Vec<&str> {
    let mut fence = false;
    text.lines()
        .filter(|line| {
            if line.starts_with("```") {
                fence = !fence;
                return false;
            }
            !fence
        })
        .collect()
}

/// The anchors of a Markdown file's headings.
fn anchors(text: &str) -> BTreeSet<String> {
    prose(text)
        .into_iter()
        .filter(|l| l.starts_with('#'))
        .map(|l| anchor(l.trim_start_matches('#')))
        .collect()
}

/// The targets of the inline links of a Markdown text.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in prose(text) {
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(end) = after.find(')') else { break };
            out.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn every_relative_link_resolves() {
    let mut broken = Vec::new();
    for doc in documents() {
        let text = std::fs::read_to_string(&doc).unwrap();
        for link in links(&text) {
            if link.starts_with("http") || link.starts_with("mailto:") || link.is_empty() {
                continue;
            }
            let (path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (link.as_str(), None),
            };
            let target = if path.is_empty() {
                doc.clone()
            } else {
                doc.parent().unwrap().join(path)
            };
            if !target.exists() {
                broken.push(format!("{}: {link}", doc.display()));
                continue;
            }
            if let Some(f) = fragment {
                let text = std::fs::read_to_string(&target).unwrap_or_default();
                if !anchors(&text).contains(f) {
                    broken.push(format!("{}: {link} (no such heading)", doc.display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

/// No prose line names a work session, an issue number (`#17`) or a
/// commit: history lives in git and the changelog.
#[test]
fn no_document_reads_as_a_diary() {
    let words = ["session", "issue #", "stop 3", "commit "];
    let mut found = Vec::new();
    for doc in documents()
        .iter()
        .filter(|d| !d.ends_with("ARCHITECTURE.md"))
    {
        let text = std::fs::read_to_string(doc).unwrap().to_lowercase();
        for (n, line) in prose(&text).into_iter().enumerate() {
            // code spans name columns (`#41`) and colours (`#0b4f8a`)
            let line: String = line.split('`').step_by(2).collect();
            let line = line.as_str();
            let numbered = line
                .match_indices('#')
                .any(|(i, _)| line[i + 1..].starts_with(|c: char| c.is_ascii_digit()));
            if numbered || words.iter().any(|w| line.contains(w)) {
                found.push(format!("{} (prose line {}): {line}", doc.display(), n + 1));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_readme_is_a_landing_page() {
    let text = std::fs::read_to_string(root().join("README.md")).unwrap();
    let lines = text.lines().count();
    assert!(lines <= 300, "README.md has {lines} lines");
    for page in ["getting-started.md", "your-survey.md", "troubleshooting.md"] {
        assert!(text.contains(&format!("docs/{page}")), "{page}");
    }
    assert!(Path::new(&root().join("docs/SUMMARY.md")).is_file());
}
