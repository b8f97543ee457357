//! The command-line and configuration references of the user guide
//! (`docs/reference/`), generated from the binary's own definitions: the
//! clap commands, and the built-in configuration with its comments. A test
//! fails when the committed pages differ from what this prints.

use std::fmt::Write as _;

use clap::CommandFactory;

use super::Cli;

/// The command-line reference, in Markdown.
pub(super) fn cli() -> String {
    let mut root = Cli::command();
    root.build();
    let mut out = String::from(
        "# Command-line reference\n\nGenerated from the binary by `mognad reference cli`; do not edit by hand.\n",
    );
    if let Some(about) = root.get_long_about().or(root.get_about()) {
        let _ = write!(out, "\n{about}\n");
    }
    for sub in root.get_subcommands().filter(|s| shown(s)) {
        command(&mut out, "mognad", sub);
    }
    out
}

fn command(out: &mut String, parent: &str, cmd: &clap::Command) {
    // `parent` names the command in headings; the usage line names it too
    let name = format!("{parent} {}", cmd.get_name());
    let _ = write!(out, "\n## `{name}`\n\n");
    if let Some(about) = cmd.get_long_about().or(cmd.get_about()) {
        let _ = writeln!(out, "{}\n", prose(about.to_string().trim()));
    }
    let mut usage = cmd.clone();
    let usage = usage.render_usage().to_string();
    let usage = usage.trim().trim_start_matches("Usage: ");
    let _ = writeln!(out, "```\n{usage}\n```");
    let args: Vec<&clap::Arg> = cmd
        .get_arguments()
        .filter(|a| !a.is_hide_set() && a.get_id() != "help" && a.get_id() != "version")
        .collect();
    if !args.is_empty() {
        let _ = writeln!(out, "\n| argument | what it does |\n|---|---|");
        for a in args {
            let _ = writeln!(out, "| `{}` | {} |", spelling(a), help(a));
        }
    }
    for sub in cmd.get_subcommands().filter(|s| shown(s)) {
        command(out, &name, sub);
    }
}

/// Whether a command has a place in the reference (not hidden, not clap's
/// own `help`).
fn shown(cmd: &clap::Command) -> bool {
    !cmd.is_hide_set() && cmd.get_name() != "help"
}

/// Help text as Markdown prose: `<year>` is no HTML tag, `|` no table
/// cell's end.
fn prose(text: &str) -> String {
    text.replace('<', "\\<").replace('|', "\\|")
}

/// How an argument is written: `--year <YEAR>`, `-q, --quiet`, `<DIR>`.
fn spelling(a: &clap::Arg) -> String {
    let value = a
        .get_value_names()
        .map(|v| {
            v.iter()
                .map(|n| format!("<{n}>"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|_| a.get_num_args().is_none_or(|n| n.takes_values()))
        .unwrap_or_default();
    let mut names = Vec::new();
    if let Some(s) = a.get_short() {
        names.push(format!("-{s}"));
    }
    if let Some(l) = a.get_long() {
        names.push(format!("--{l}"));
    }
    match (names.is_empty(), value.is_empty()) {
        (true, _) => format!("<{}>", a.get_id().as_str().to_uppercase()),
        (false, true) => names.join(", "),
        (false, false) => format!("{} {value}", names.join(", ")),
    }
}

/// An argument's help on one line, with its default and choices.
fn help(a: &clap::Arg) -> String {
    let text = a
        .get_long_help()
        .or(a.get_help())
        .map(|h| h.to_string())
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut text = prose(&text);
    if !text.is_empty() && !text.ends_with(['.', ')']) {
        text.push('.');
    }
    let choices: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| format!("`{}`", v.get_name()))
        .collect();
    if !choices.is_empty() && a.get_action().takes_values() {
        let _ = write!(text, " One of {}.", choices.join(", "));
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && a.get_action().takes_values() {
        let _ = write!(text, " Default: `{}`.", defaults.join(" "));
    }
    text.trim().to_string()
}

/// The configuration reference, in Markdown: the built-in configuration,
/// table by table, each with the comments that introduce it.
pub(super) fn config() -> String {
    let mut out = String::from(
        "# Configuration reference\n\nGenerated from the built-in configuration (`src/defaults/mognad.toml`) by `mognad reference config`; do not edit by hand. A `mognad.toml` names only what it changes: every other key keeps the value below. `mognad init` writes this file, comments and all, to start from.\n",
    );
    let mut title = String::from("Top level");
    let mut lines: Vec<&str> = Vec::new();
    let flush = |title: &str, lines: &mut Vec<&str>, out: &mut String| {
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        // the comments just above the next header belong to it
        if !lines.iter().any(|l| !l.trim().is_empty()) {
            lines.clear();
            return;
        }
        let _ = write!(out, "\n## {title}\n\n```toml\n{}\n```\n", lines.join("\n"));
        lines.clear();
    };
    for line in crate::config::DEFAULT_CONFIG.lines() {
        if line.starts_with('[') {
            // move the comment block just above the header to the header
            let mut keep = lines.len();
            while keep > 0 && lines[keep - 1].starts_with('#') {
                keep -= 1;
            }
            let intro: Vec<&str> = lines.split_off(keep);
            flush(&title, &mut lines, &mut out);
            title = format!("`{}`", line.trim());
            lines.extend(intro);
        }
        lines.push(line);
    }
    flush(&title, &mut lines, &mut out);
    let _ = write!(
        out,
        "\n## The built-in survey tools (`[[presets]]`)\n\nThe export layouts mognad recognises by their header (`src/defaults/presets.toml`). A config's own `[[presets]]`, with the same keys, are tried first.\n\n```toml\n{}\n```\n",
        crate::config::BUILTIN_PRESETS.trim_end()
    );
    out
}
