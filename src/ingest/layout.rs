//! What each column of a sheet holds, and whether the sheet is wide (one
//! row per respondent) or long (one row per answer).
//!
//! A header is matched, in this order, by: `[columns] ignore`; the exact
//! headers of `[statements] headers`; a statement code; the metadata
//! columns of `[columns]`; a `[statements] patterns` template such as
//! `G01Q01[{code}]`; a bracketed sub-question (`Question [Row]`) holding a
//! code or a statement text; the statement's own text in any language
//! (Microsoft Forms), also after " - " in Qualtrics' question-text row.

use std::collections::{BTreeMap, BTreeSet};

use super::quality::{Kind, Problem};
use super::sheet::Sheet;
use crate::config::{Layout, ReadSettings};
use crate::model::Model;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The organisation (inputs with several organisations).
    Organisation,
    /// The respondent id.
    Respondent,
    Unit,
    /// The respondent's role (leadership, staff, IT ...).
    Role,
    Year,
    Date,
    /// Long layout: the statement of each answer.
    StatementName,
    /// Long layout: the answer.
    Value,
    Statement(usize),
}

#[derive(Debug, Default)]
pub struct Plan {
    pub roles: Vec<(usize, Field)>,
    pub submitted: Option<usize>,
    pub finished: Option<usize>,
    pub ignored: Vec<String>,
    pub long: bool,
}

impl Plan {
    pub fn find(&self, role: Field) -> Option<usize> {
        self.roles.iter().find(|(_, r)| *r == role).map(|(i, _)| *i)
    }

    pub fn statements(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.roles.iter().filter_map(|(i, r)| match r {
            Field::Statement(s) => Some((*i, *s)),
            _ => None,
        })
    }
}

/// Lower case, letters and digits only, single spaces.
pub fn normalise(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Finds statements by code, pattern, sub-question or text.
pub struct Matcher<'a> {
    model: &'a Model,
    settings: &'a ReadSettings,
    texts: BTreeMap<String, usize>,
}

impl<'a> Matcher<'a> {
    pub fn new(model: &'a Model, settings: &'a ReadSettings) -> Self {
        let mut texts = BTreeMap::new();
        for (i, s) in model.statements.iter().enumerate() {
            for t in s.text.0.values() {
                texts.insert(normalise(t), i);
            }
        }
        Matcher {
            model,
            settings,
            texts,
        }
    }

    fn by_code_or_text(&self, s: &str) -> Option<usize> {
        self.model
            .statement_index(s)
            .or_else(|| self.texts.get(&normalise(s)).copied())
    }

    fn by_pattern(&self, header: &str) -> Option<usize> {
        let lower = header.to_lowercase();
        self.settings.statements.patterns.iter().find_map(|p| {
            let (pre, post) = p.split_once("{code}")?;
            let (pre, post) = (pre.to_lowercase(), post.to_lowercase());
            if lower.len() >= pre.len() + post.len()
                && lower.starts_with(&pre)
                && lower.ends_with(&post)
            {
                // the lower case may differ in length: cut the lower case
                lower
                    .get(pre.len()..lower.len() - post.len())
                    .and_then(|code| self.model.statement_index(code))
            } else {
                None
            }
        })
    }

    /// The statement a header (and second header) stands for.
    pub fn statement(&self, header: &str, text: Option<&str>) -> Option<usize> {
        if let Some(p) = self.by_pattern(header) {
            return Some(p);
        }
        if let (Some(open), true) = (header.rfind('['), header.ends_with(']')) {
            if let Some(s) = self.by_code_or_text(&header[open + 1..header.len() - 1]) {
                return Some(s);
            }
        }
        if let Some(&s) = self.texts.get(&normalise(header)) {
            return Some(s);
        }
        let text = text?;
        self.texts
            .get(&normalise(text))
            .or_else(|| {
                text.rsplit_once(" - ")
                    .and_then(|(_, t)| self.texts.get(&normalise(t)))
            })
            .copied()
    }

    /// An explicit `[statements] headers` entry for the header, for the
    /// sub-question in its brackets (`Question [Row]`), or for the column's
    /// text (a tool's second header row: a question's text or a matrix
    /// row's).
    fn explicit(&self, header: &str, text: Option<&str>) -> Option<Result<usize, String>> {
        let sub = header
            .strip_suffix(']')
            .and_then(|h| h.rfind('[').map(|open| &h[open + 1..]));
        // the header first, then its sub-question, then its text
        let headers = &self.settings.statements.headers;
        let (key, code) = [Some(header), sub, text]
            .into_iter()
            .flatten()
            .find_map(|name| {
                headers
                    .iter()
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case(name.trim()))
            })?;
        Some(self.model.statement_index(code).ok_or_else(|| {
            format!(
                "[statements] headers maps \"{key}\" to \"{code}\", which the model does not have"
            )
        }))
    }
}

/// Whether an unknown header looks like a statement code (letters then
/// digits, e.g. `IN7`, `Q12`), which means the model lacks it.
pub fn looks_like_code(header: &str) -> bool {
    let h = header.trim();
    let letters = h.chars().take_while(|c| c.is_ascii_alphabetic()).count();
    let digits = h[letters..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .count();
    (1..=4).contains(&letters) && (1..=3).contains(&digits) && letters + digits == h.len()
}

/// Classifies the columns. Problems that make the file unusable are errors.
/// In a known tool's export (`tool`), a column that is no statement, no
/// metadata and nothing `[columns]` names is one of the tool's own
/// questions: not used, however it looks.
pub fn plan(
    sheet: &Sheet,
    relative: &str,
    model: &Model,
    settings: &ReadSettings,
    tool: Option<&str>,
) -> Result<Plan, Vec<Problem>> {
    let c = &settings.columns;
    let matcher = Matcher::new(model, settings);
    let mut plan = Plan::default();
    let mut problems = Vec::new();
    // headers like statement codes the model lacks: one problem for all
    let mut code_like: Vec<&str> = Vec::new();
    for (i, header) in sheet.headers.iter().enumerate() {
        let h = header.trim();
        let text = sheet.texts[i].as_deref();
        if c.submitted.matches(h) {
            plan.submitted = Some(i);
        }
        if c.finished.matches(h) {
            plan.finished = Some(i);
        }
        // a column may also be named by its position, "#41", where its
        // header is another column's too (a tool's repeated block)
        let position = format!("#{}", i + 1);
        let role = if c.skipped(h) || c.skipped(&position) {
            continue;
        } else if let Some(found) = matcher
            .explicit(&position, None)
            .or_else(|| matcher.explicit(h, text))
        {
            match found {
                Ok(s) => Some(Field::Statement(s)),
                Err(msg) => {
                    problems.push(
                        Problem::error(Kind::UnknownStatement, relative, msg)
                            .row(1)
                            .column(h),
                    );
                    continue;
                }
            }
        } else if let Some(s) = model.statement_index(h) {
            Some(Field::Statement(s))
        } else if c.organisation.matches(h) {
            Some(Field::Organisation)
        } else if c.respondent.matches(h) {
            Some(Field::Respondent)
        } else if c.unit.matches(h) {
            Some(Field::Unit)
        } else if c.role.matches(h) {
            Some(Field::Role)
        } else if c.year.matches(h) {
            Some(Field::Year)
        } else if c.date.matches(h) {
            Some(Field::Date)
        } else if c.statement.matches(h) {
            Some(Field::StatementName)
        } else if c.value.matches(h) {
            Some(Field::Value)
        } else if let Some(s) = matcher.statement(h, text) {
            Some(Field::Statement(s))
        } else if tool.is_none() && looks_like_code(h) {
            code_like.push(h);
            continue;
        } else {
            let seen = plan.ignored.iter().any(|o| o == h);
            if Some(i) != plan.submitted && Some(i) != plan.finished && !h.is_empty() && !seen {
                plan.ignored.push(h.to_string());
            }
            continue;
        };
        let role = role.expect("every branch above names a role or continues");
        if let Some(other) = plan.find(role) {
            problems.push(
                Problem::error(
                    Kind::DuplicateColumn,
                    relative,
                    format!(
                        "column {} (\"{h}\") holds the same thing as column {} (\"{}\"); keep one of them: list the other by its position under [columns] ignore (ignore = [\"#{}\"]), or map each by its position under [statements] headers (\"#{}\" = \"...\")",
                        i + 1,
                        other + 1,
                        sheet.headers[other].trim(),
                        i + 1,
                        other + 1
                    ),
                )
                .row(1)
                .column(h),
            );
            continue;
        }
        plan.roles.push((i, role));
    }
    problems.extend(unknown_codes(&code_like, relative, model));
    choose_layout(
        &mut plan,
        sheet,
        relative,
        model,
        settings,
        tool,
        &mut problems,
    );
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    Ok(plan)
}

/// The error of headers that look like statement codes the model lacks,
/// at the first of them.
fn unknown_codes(headers: &[&str], relative: &str, model: &Model) -> Option<Problem> {
    let (first, more) = headers.split_first()?;
    let codes = code_range(model);
    let message = if more.is_empty() {
        format!(
            "\"{first}\" looks like a statement code, but the model has no such statement (it has {codes}); add it to the model, map the column under [statements] headers, or list it under [columns] ignore"
        )
    } else {
        let all: Vec<String> = headers.iter().map(|h| format!("\"{h}\"")).collect();
        format!(
            "{} look like statement codes, but the model has no such statements (it has {codes}); add them to the model, map each column under [statements] headers, or list them under [columns] ignore",
            all.join(", ")
        )
    };
    Some(
        Problem::error(Kind::UnknownStatement, relative, message)
            .row(1)
            .column(*first),
    )
}

/// Long or wide, as configured or (auto) as the columns suggest, with a
/// problem when the sheet cannot be read either way.
fn choose_layout(
    plan: &mut Plan,
    sheet: &Sheet,
    relative: &str,
    model: &Model,
    settings: &ReadSettings,
    tool: Option<&str>,
    problems: &mut Vec<Problem>,
) {
    let has_statements = plan.statements().next().is_some();
    let can_be_long =
        plan.find(Field::StatementName).is_some() && plan.find(Field::Value).is_some();
    plan.long = match settings.ingest.layout {
        Layout::Long => true,
        Layout::Wide => false,
        Layout::Auto => !has_statements && can_be_long,
    };
    if plan.long && !can_be_long {
        problems.push(
            Problem::error(
                Kind::NoStatementColumns,
                relative,
                "a long layout needs a statement column and a value column (see [columns] statement and value)",
            )
            .row(1),
        );
    }
    if !plan.long && !has_statements && problems.is_empty() {
        let opening = match tool {
            // a tool's export: its questions are there, under its own names
            Some(tool) => format!(
                "this is a {tool} export, but none of its columns is mapped to a statement of the model ({})",
                code_range(model)
            ),
            None => format!(
                "no recognisable columns: none of the {} column headers is a statement of the model ({}) by code, text or configured pattern",
                sheet.headers.len(),
                code_range(model)
            ),
        };
        let message = format!("{opening}; {}", what_to_map(plan, sheet, model));
        problems.push(Problem::error(Kind::NoStatementColumns, relative, message).row(1));
    }
}

/// Which columns to map, for a sheet with no statement found: those whose
/// answers look like points on a scale (labels first: counts are numbers
/// too), else the columns not used.
fn what_to_map(plan: &Plan, sheet: &Sheet, model: &Model) -> String {
    let candidates: Vec<(Scale, BTreeSet<String>, &str)> = (0..sheet.headers.len())
        .filter(|&c| plan.ignored.contains(&sheet.headers[c]))
        .filter_map(|c| {
            let (scale, values) = scale_like(sheet, c)?;
            Some((scale, values, sheet.headers[c].as_str()))
        })
        .collect();
    // labels before numbers (counts are numbers too), and among them the
    // questions that share their labels with others (a matrix, a battery)
    let shared = |values: &BTreeSet<String>| {
        candidates
            .iter()
            .filter(|(_, other, _)| other.intersection(values).count() >= 2)
            .count()
    };
    let mut scored: Vec<(usize, bool, &str)> = candidates
        .iter()
        .map(|(scale, values, h)| (shared(values), *scale == Scale::Labels, *h))
        .collect();
    scored.sort_by_key(|(shared, labels, _)| (!labels, std::cmp::Reverse(*shared)));
    let mut shown: Vec<&str> = scored.into_iter().map(|(_, _, h)| h).collect();
    let what = if shown.is_empty() {
        shown = plan.ignored.iter().map(String::as_str).collect();
        "its other columns are"
    } else {
        "its columns with answers that look like points on a scale are"
    };
    let code = model.statements.first().map_or("", |s| s.code.as_str());
    let Some(first) = shown.first() else {
        return "name the answer columns by statement code or map them under [statements] in mognad.toml".into();
    };
    let more = if shown.len() > SHOWN { ", …" } else { "" };
    let listed: Vec<String> = shown
        .iter()
        .take(SHOWN)
        .map(|h| format!("\"{h}\""))
        .collect();
    format!(
        "{what} {}{more}: map each that holds one of the model's statements under [statements] headers in mognad.toml, e.g. \"{first}\" = \"{code}\"",
        listed.join(", ")
    )
}

/// What the answers of a column that looks like a scale question are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scale {
    Labels,
    Numbers,
}

/// How many columns a message lists.
const SHOWN: usize = 12;

/// Whether a column's cells (in the part held) look like answers on a
/// scale: a few short values (2 to 11 distinct), each twice on average,
/// and no fractions; whether they are labels or numbers, and the values.
fn scale_like(sheet: &Sheet, c: usize) -> Option<(Scale, BTreeSet<String>)> {
    let mut distinct = BTreeSet::new();
    let (mut filled, mut labels) = (0, false);
    for v in sheet.column(c).iter().flatten() {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        let number = v.parse::<f64>().ok();
        if v.chars().count() > 60 || number.is_some_and(|n| n.fract() != 0.0) {
            return None;
        }
        labels |= number.is_none();
        filled += 1;
        distinct.insert(v.to_lowercase());
        if distinct.len() > 11 {
            return None;
        }
    }
    let kind = if labels {
        Scale::Labels
    } else {
        Scale::Numbers
    };
    (distinct.len() >= 2 && filled >= 2 * distinct.len()).then_some((kind, distinct))
}

pub fn code_range(model: &Model) -> String {
    let codes: Vec<&str> = model.statements.iter().map(|s| s.code.as_str()).collect();
    match codes.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [a, b] => format!("{a}, {b}"),
        [a, b, .., z] => format!("{a}, {b}, …, {z}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn code_like_headers() {
        assert!(looks_like_code("IN7"));
        assert!(looks_like_code("q12"));
        assert!(!looks_like_code("enhet"));
        assert!(!looks_like_code("G01Q01[SQ001]"));
        assert!(!looks_like_code("2025"));
    }

    #[test]
    fn statements_by_pattern_bracket_and_text() {
        let model = Model::builtin();
        let mut s = Config::builtin().settings_for("x").unwrap();
        s.statements.patterns.push("G01Q01[{code}]".into());
        let m = Matcher::new(&model, &s);
        let idx = |c: &str| model.statement_index(c);
        assert_eq!(m.statement("G01Q01[EF2]", None), idx("EF2"));
        assert_eq!(m.statement("g01q01[ef2]", None), idx("EF2"));
        assert_eq!(m.statement("Hur väl stämmer det? [TE1]", None), idx("TE1"));
        assert_eq!(
            m.statement(
                "Hur väl stämmer det? [Vår IT-infrastruktur är stabil, säker och tillgänglig.]",
                None
            ),
            idx("TE2")
        );
        assert_eq!(
            m.statement(
                "We follow up whether initiatives deliver the benefits we expected",
                None
            ),
            idx("BA3")
        );
        assert_eq!(
            m.statement("Q5_3", Some("Hur väl stämmer följande? - Våra regler och rutiner underlättar digitala arbetssätt.")),
            idx("OR3")
        );
        assert_eq!(m.statement("Kommentar", None), None);
    }

    #[test]
    fn statements_mapped_by_header_sub_question_or_text() {
        let model = Model::builtin();
        let mut s = Config::builtin().settings_for("x").unwrap();
        for (k, v) in [
            ("Q7", "EF1"),
            ("Statistik ist trocken.", "EF2"),
            ("Row text", "EF3"),
        ] {
            s.statements.headers.insert(k.into(), v.into());
        }
        let m = Matcher::new(&model, &s);
        let idx = |c: &str| model.statement_index(c).map(Ok);
        assert_eq!(m.explicit("q7", None), idx("EF1"));
        assert_eq!(
            m.explicit("Beurteile: [Statistik ist trocken.]", None),
            idx("EF2")
        );
        assert_eq!(m.explicit("Question", Some("Row text")), idx("EF3"));
        assert_eq!(m.explicit("Q8", Some("Other")), None);
    }

    #[test]
    fn normalise_folds_case_punctuation_and_space() {
        assert_eq!(
            normalise("  Vi MÄTER, hur\n(digitaliseringen)  påverkar. "),
            "vi mäter hur digitaliseringen påverkar"
        );
    }
}
