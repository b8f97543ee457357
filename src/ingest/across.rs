//! What is checked across files once every file is read: duplicate
//! respondents, unit names and their spellings, and the answers' patterns.

use std::collections::BTreeMap;

use super::answers::linear;
use super::quality::{self, Kind, Problem};
use super::rows::Collected;
use super::table::{Kept, Names, Runs};
use super::{Answers, FileSummary, Ingested, Response};
use crate::config::Config;
use crate::discover::SurveyFile;
use crate::model::Model;

/// What is checked across files once every file is read: duplicate
/// respondents, unit names, and the answers' patterns.
pub(super) fn finish(
    out: Collected,
    mut summaries: Vec<FileSummary>,
    files: &[SurveyFile],
    model: &Model,
    config: &Config,
) -> Ingested {
    let Collected {
        problems,
        runs,
        mut names,
        responses,
    } = out;
    let mut problems = problems;
    let responses = deduplicate(responses, files, &mut problems);
    let responses = resolve_units(responses, &mut names, config, files, &mut problems);
    for s in &mut summaries {
        let kept = responses.iter().filter(|r| r.file == s.index);
        s.respondents = kept.clone().count();
        s.answers = kept.map(|r| r.answers.len()).sum();
    }
    check_direction_controls(&responses, &names, files, &mut problems);
    check_straight_lining(&responses, &runs, files, &summaries, model, &mut problems);
    check_never_answered(&responses, &runs, model, files, &mut problems);
    let problems = quality::group(problems);
    let answers = Answers::from_runs(
        runs,
        responses.iter().map(|r| Kept {
            year: r.year,
            organisation: names.get(r.organisation),
            unit: names.get(r.unit),
            role: names.get(r.role),
            run: r.answers.clone(),
        }),
    );
    Ingested {
        answers,
        files: summaries,
        problems,
    }
}

/// Duplicate respondent ids within a year: the latest submission is kept
/// (by submit date, else the later row), the others are reported.
fn deduplicate(
    responses: Vec<Response>,
    files: &[SurveyFile],
    problems: &mut Vec<Problem>,
) -> Vec<Response> {
    // the responses with an id, by (organisation, year, id) and then in
    // reading order: positions, not copies of the keys, as there may be
    // hundreds of thousands
    let key = |i: u32| {
        let r = &responses[i as usize];
        (r.organisation, r.year, r.id.as_deref())
    };
    let mut order: Vec<u32> = (0..responses.len() as u32)
        .filter(|&i| responses[i as usize].id.is_some())
        .collect();
    order.sort_by(|a, b| key(*a).cmp(&key(*b)).then(a.cmp(b)));
    // the winner of each id: the last of its latest submissions
    let mut winner: Vec<Option<u32>> = vec![None; responses.len()];
    for same in order.chunk_by(|a, b| key(*a) == key(*b)) {
        let mut best = same[0];
        for &i in &same[1..] {
            if responses[i as usize].submitted >= responses[best as usize].submitted {
                best = i;
            }
        }
        for &i in same {
            if i != best {
                winner[i as usize] = Some(best);
            }
        }
    }
    // the later submissions are reported in reading order, and dropped
    for (r, w) in responses.iter().zip(&winner) {
        let Some(w) = w else { continue };
        let w = &responses[*w as usize];
        problems.push(
            Problem::warning(
                Kind::DuplicateRespondent,
                &files[r.file].relative,
                format!(
                    "the same respondent id answers again in {} at {}, row {}; that later submission is kept and this one left out (ids are never printed)",
                    r.year, files[w.file].relative, w.row
                ),
            )
            .row(r.row),
        );
    }
    responses
        .into_iter()
        .zip(winner)
        .filter(|(_, w)| w.is_none())
        .map(|(r, _)| r)
        .collect()
}

/// Unit aliases, and the unit list when the config gives one.
fn resolve_units(
    mut responses: Vec<Response>,
    names: &mut Names,
    config: &Config,
    files: &[SurveyFile],
    problems: &mut Vec<Problem>,
) -> Vec<Response> {
    let aliases: BTreeMap<String, &String> = config
        .units
        .aliases
        .iter()
        .map(|(k, v)| (k.trim().to_lowercase(), v))
        .collect();
    let list: BTreeMap<String, &String> = config
        .units
        .list
        .iter()
        .map(|u| (u.trim().to_lowercase(), u))
        .collect();
    // each unit named is resolved once: to its name's code, and whether
    // the list knows it
    let mut resolved: BTreeMap<u32, (Option<u32>, bool)> = BTreeMap::new();
    let mut unknown: BTreeMap<(usize, String), (usize, usize)> = BTreeMap::new();
    for r in &mut responses {
        let Some(code) = r.unit else { continue };
        let (unit, known) = *resolved.entry(code).or_insert_with(|| {
            let unit = names.get(Some(code)).unwrap_or_default().to_string();
            let unit = aliases
                .get(&unit.to_lowercase())
                .map(|u| u.to_string())
                .unwrap_or(unit);
            let (unit, known) = match list.get(&unit.to_lowercase()) {
                Some(canonical) => (canonical.to_string(), true),
                None => (unit, list.is_empty()),
            };
            (names.code(Some(&unit)), known)
        });
        if !known {
            let name = names.get(unit).unwrap_or_default().to_string();
            let e = unknown.entry((r.file, name)).or_insert((r.row, 0));
            e.1 += 1;
        }
        r.unit = unit;
    }
    merge_letter_case(&mut responses, names, files, problems);
    for ((file, unit), (row, count)) in unknown {
        problems.push(
            Problem::error(
                Kind::UnknownUnit,
                &files[file].relative,
                format!(
                    "unit \"{unit}\" ({count} respondent(s)) is not in the unit list of mognad.toml; fix the spelling, add it under [units] aliases, or add it to [units] list"
                ),
            )
            .row(row),
        );
    }
    responses
}

/// Units whose names differ only in letter case (or surrounding spaces)
/// are one unit, typed twice: each takes the spelling most respondents
/// used (ties: the first in sort order), with a warning. Reports, file
/// names and the send log then know it once.
fn merge_letter_case(
    responses: &mut [Response],
    names: &Names,
    files: &[SurveyFile],
    problems: &mut Vec<Problem>,
) {
    // per folded name: each spelling's code, respondents and first row
    type Spellings = BTreeMap<String, (u32, usize, (usize, usize))>;
    let mut by_fold: BTreeMap<String, Spellings> = BTreeMap::new();
    for r in responses.iter() {
        let Some(code) = r.unit else { continue };
        let name = names.get(Some(code)).unwrap_or_default().to_string();
        let e = by_fold
            .entry(name.trim().to_lowercase())
            .or_default()
            .entry(name)
            .or_insert((code, 0, (r.file, r.row)));
        e.1 += 1;
    }
    let mut to: BTreeMap<u32, Option<u32>> = BTreeMap::new();
    for spellings in by_fold.values().filter(|s| s.len() > 1) {
        let (chosen, (code, ..)) = spellings
            .iter()
            .max_by(|a, b| a.1 .1.cmp(&b.1 .1).then_with(|| b.0.cmp(a.0)))
            .expect("two spellings or more");
        for (_, (other, ..)) in spellings.iter().filter(|(_, v)| v.0 != *code) {
            to.insert(*other, Some(*code));
        }
        let (file, row) = spellings.values().map(|v| v.2).min().unwrap_or_default();
        let listed: Vec<String> = spellings
            .iter()
            .map(|(name, (_, n, _))| format!("\"{name}\" ({n})"))
            .collect();
        problems.push(
            Problem::warning(
                Kind::UnitSpelling,
                &files[file].relative,
                format!(
                    "units {} differ only in letter case: counted as one unit, \"{chosen}\"; write the name one way in the survey, or map the others under [units] aliases",
                    listed.join(", ")
                ),
            )
            .row(row),
        );
    }
    if to.is_empty() {
        return;
    }
    for r in responses.iter_mut() {
        if let Some(new) = r.unit.and_then(|c| to.get(&c)) {
            r.unit = *new;
        }
    }
}

/// A name (organisation, unit, role) with characters that turn the
/// direction of text could read as another name: a warning, once per name.
/// The reports keep such a name isolated, the mail headers strip them.
fn check_direction_controls(
    responses: &[Response],
    names: &Names,
    files: &[SurveyFile],
    problems: &mut Vec<Problem>,
) {
    let mut seen = std::collections::BTreeSet::new();
    for r in responses {
        for code in [r.organisation, r.unit, r.role] {
            let Some(name) = names.get(code) else {
                continue;
            };
            if name.chars().any(crate::format::is_direction_control) && seen.insert(code) {
                problems.push(
                    Problem::warning(
                        Kind::DirectionControl,
                        &files[r.file].relative,
                        format!(
                            "\"{}\" holds characters that turn the direction of text (bidi controls), so it may read as another name; the reports isolate them and the mail headers leave them out, but write the name without them",
                            crate::format::without_direction_controls(name)
                        ),
                    )
                    .row(r.row),
                );
            }
        }
    }
}

/// A respondent who gave the same scale value to every statement (at least
/// five, no don't-know) probably did not read them.
fn check_straight_lining(
    responses: &[Response],
    runs: &Runs,
    files: &[SurveyFile],
    summaries: &[FileSummary],
    model: &Model,
    problems: &mut Vec<Problem>,
) {
    // the value as the survey wrote it: on its own scale, if it had one
    let scales: BTreeMap<usize, [f64; 2]> = summaries
        .iter()
        .filter_map(|s| Some((s.index, s.scale?)))
        .collect();
    let (min, max) = (model.scale.min as f64, model.scale.max as f64);
    for r in responses {
        let values: Vec<f64> = runs.get(r.answers.clone()).filter_map(|(_, v)| v).collect();
        if values.len() >= 5
            && values.len() == r.answers.len()
            && values.iter().all(|v| *v == values[0])
        {
            let value = match scales.get(&r.file) {
                Some(&[lo, hi]) => linear(values[0], (min, max), (lo, hi)),
                None => values[0],
            };
            problems.push(
                Problem::warning(
                    Kind::StraightLining,
                    &files[r.file].relative,
                    format!("every answer in this row is {value}; kept, but check that the respondent read the statements"),
                )
                .row(r.row),
            );
        }
    }
}

/// Statements nobody answered in a year.
fn check_never_answered(
    responses: &[Response],
    runs: &Runs,
    model: &Model,
    files: &[SurveyFile],
    problems: &mut Vec<Problem>,
) {
    let mut by_year: BTreeMap<i32, (Vec<bool>, usize)> = BTreeMap::new();
    for r in responses {
        let e = by_year
            .entry(r.year)
            .or_insert_with(|| (vec![false; model.statements.len()], r.file));
        for (statement, _) in runs.get(r.answers.clone()) {
            e.0[statement] = true;
        }
    }
    for (year, (seen, file)) in by_year {
        for (s, answered) in seen.iter().enumerate() {
            if !answered {
                problems.push(
                    Problem::warning(
                        Kind::NeverAnswered,
                        &files[file].relative,
                        format!(
                            "nobody answered statement {} in {year}",
                            model.statements[s].code
                        ),
                    )
                    .column(model.statements[s].code.clone()),
                );
            }
        }
    }
}
