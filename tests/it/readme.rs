//! The walk-throughs on the sample work as printed: every line of each
//! marked block (`<!-- sample-commands ... -->`) of the README and the user
//! guide is run, in order, in a folder holding a copy of the sample as
//! `input/`.

use crate::common::*;

/// The commands of a document's marked block, comments dropped.
fn sample_commands(document: &str) -> Vec<String> {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(document))
            .unwrap();
    let start = readme
        .find("<!-- sample-commands")
        .unwrap_or_else(|| panic!("{document} marks its sample commands"));
    let block = &readme[start..];
    let open = block.find("```sh\n").unwrap() + "```sh\n".len();
    let close = block[open..].find("```").unwrap();
    block[open..open + close]
        .lines()
        .map(|l| l.split(" # ").next().unwrap().trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_readme_walk_through_works_on_the_sample() {
    walk_through("README.md");
}

#[test]
fn the_guides_walk_through_works_on_the_sample() {
    walk_through("docs/getting-started.md");
}

#[test]
fn the_guides_briefs_work_on_the_sample() {
    let commands = sample_commands("docs/register.md");
    assert!(commands
        .iter()
        .any(|c| c.starts_with("mognad brief --indices")));
    run_on_sample(&commands);
}

/// Runs the commands, in order, in a new folder holding a copy of the
/// sample as `input/`; each must succeed. Returns the folder.
fn run_on_sample(commands: &[String]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&input_sample(), &tmp.path().join("input"));
    for line in commands {
        let (command, redirect) = match line.split_once(" > ") {
            Some((c, file)) => (c, Some(file.trim())),
            None => (line.as_str(), None),
        };
        let words: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(words[0], "mognad", "{line}");
        let o = mognad(&words[1..]).dir(tmp.path()).run();
        assert!(
            o.status.success(),
            "`{line}` failed ({:?}): {}",
            o.status.code(),
            stderr(&o)
        );
        if let Some(file) = redirect {
            std::fs::write(tmp.path().join(file), &o.stdout).unwrap();
        }
    }
    tmp
}

fn walk_through(document: &str) {
    let commands = sample_commands(document);
    assert!(commands.len() >= 8, "{commands:?}");
    let tmp = run_on_sample(&commands);
    // what the walk-through promises is there
    let root = tmp.path();
    assert!(root.join("output/2025/manifest.json").is_file());
    let outbox: Vec<_> = std::fs::read_dir(root.join("output/2025/outbox"))
        .unwrap()
        .collect();
    assert!(!outbox.is_empty(), "the dry run wrote no message");
    assert!(root.join("my-templates/organisation.typ").is_file());
    mognad::model::Model::load(&root.join("model.toml")).expect("the printed model loads");
    assert!(root.join("my-input/mognad.toml").is_file());
    let index: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root.join("national-output/2025/index.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(index["organisations"].as_array().unwrap().len(), 4);
}

#[test]
fn completions_and_the_manual_page_are_printed() {
    let tmp = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = mognad(["completions", shell]).dir(tmp.path()).run();
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let text = String::from_utf8(o.stdout).unwrap();
        assert!(text.contains("mognad") && text.contains("merge"), "{shell}");
    }
    let o = mognad(["man"]).dir(tmp.path()).run();
    assert!(o.status.success());
    let page = String::from_utf8(o.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH mognad"),
        "{page}"
    );
    assert!(page.contains("send"));
}
