//! The scale of a file's answers, told from the cells of its first part
//! before its rows are read. Labels that form a scale of another length
//! than the model's are refused once, naming both scales and how to
//! recode: a label is never fitted to another scale's point by its name.
//! Numbers that use only the lower part of the scale get a warning.

use std::collections::BTreeMap;

use super::answers::{AnswerMap, Cell};
use super::layout::{Field, Plan};
use super::quality::{Kind, Problem};
use super::sheet::Sheet;
use crate::model::Model;

/// At least this many numeric answers before a short range is suspected.
const ENOUGH_NUMBERS: usize = 100;

/// What the answer cells of a sheet's first part hold.
#[derive(Debug, Default)]
struct Seen {
    /// Labels by lower case: their first spelling, and whether known.
    labels: BTreeMap<String, (String, bool)>,
    /// The order labels came in (lower case).
    order: Vec<String>,
    numbers: usize,
    low: f64,
    high: f64,
}

impl Seen {
    fn of(sheet: &Sheet, plan: &Plan, answers: &AnswerMap) -> Seen {
        let columns: Vec<usize> = if plan.long {
            plan.find(Field::Value).into_iter().collect()
        } else {
            plan.statements().map(|(c, _)| c).collect()
        };
        let mut seen = Seen {
            low: f64::INFINITY,
            high: f64::NEG_INFINITY,
            ..Seen::default()
        };
        for c in columns {
            for raw in sheet.column(c).iter().flatten() {
                let known = match answers.cell(raw) {
                    Cell::Blank | Cell::DontKnow => continue,
                    Cell::Number(n) => {
                        seen.numbers += 1;
                        seen.low = seen.low.min(n);
                        seen.high = seen.high.max(n);
                        continue;
                    }
                    Cell::Label(_) => true,
                    Cell::Unknown => false,
                };
                let label = raw.trim();
                let key = label.to_lowercase();
                if !seen.labels.contains_key(&key) {
                    seen.order.push(key.clone());
                    seen.labels.insert(key, (label.to_string(), known));
                }
            }
        }
        seen
    }
}

/// Checks the scale of the answers in the part of `sheet` held: an error
/// (the file is left out) for labels of another scale's length, a warning
/// for numbers on part of the scale, else nothing.
pub fn check(
    sheet: &Sheet,
    plan: &Plan,
    answers: &AnswerMap,
    model: &Model,
    relative: &str,
) -> Result<Option<Problem>, Problem> {
    let seen = Seen::of(sheet, plan, answers);
    let (min, max) = answers.scale();
    let unknown = seen.labels.values().filter(|(_, known)| !known).count();
    let points = (max - min + 1.0) as usize;
    let n = seen.labels.len();
    // a scale: some labels the model knows beside others it does not (the
    // risk of a match by name), or three labels and more; not when every
    // point of the scale has its label (an extra label is a cell's error)
    let a_scale = unknown > 0 && (unknown < n || n >= 3) && n - unknown < points;
    if a_scale && !answers.rescaled() && !model.scale.continuous && n != points {
        let labels: Vec<String> = seen
            .order
            .iter()
            .map(|k| format!("\"{}\"", seen.labels[k].0))
            .collect();
        let model_labels: Vec<String> = model
            .scale
            .labels
            .iter()
            .filter_map(|l| {
                l.text
                    .values()
                    .next()
                    .map(|t| format!("{} \"{t}\"", l.value))
            })
            .collect();
        return Err(Problem::error(
            Kind::OtherScale,
            relative,
            format!(
                "the answers are labels of another scale than the model's: {n} labels ({}), where the model's scale has {points} points ({}); no label is matched to another scale's point by its name. Say in mognad.toml how the survey's scale maps onto the model's: set [ingest] scale = [1, N] for the survey's N points and give each label its place under [answers], 1 for the lowest (e.g. {} = 1), or map each label to a value of the model's scale under [answers]",
                labels.join(", "),
                model_labels.join(", "),
                labels[0]
            ),
        ));
    }
    let (low, high) = (seen.low, seen.high);
    if seen.labels.is_empty() && seen.numbers >= ENOUGH_NUMBERS && low == min && high < max {
        return Ok(Some(Problem::warning(
            Kind::PartOfScale,
            relative,
            format!(
                "the {} answers read run from {low} to {high} only, the scale from {min} to {max}; if the survey's scale was {low}-{high}, set [ingest] scale = [{low}, {high}] in mognad.toml to map it onto the model's. The answers are read as they are",
                seen.numbers
            ),
        )));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Limits};

    fn run(text: &str, scale: Option<[f64; 2]>) -> Result<Option<Problem>, Problem> {
        let model = Model::builtin();
        let mut settings = Config::builtin().settings_for("svar.csv").unwrap();
        settings.ingest.scale = scale;
        let sheet =
            super::super::sheet::read(text.as_bytes(), "svar.csv", None, &Limits::default())
                .unwrap();
        let plan = super::super::layout::plan(&sheet, "svar.csv", &model, &settings, None).unwrap();
        let answers = AnswerMap::new(&model, &settings).unwrap();
        check(&sheet, &plan, &answers, &model, "svar.csv")
    }

    #[test]
    fn five_labels_on_a_six_point_model_are_refused_once() {
        // four of five match the model's English labels by name
        let five = "EF1,EF2\nStrongly disagree,Somewhat disagree\nNeutral,Somewhat agree\nStrongly agree,Neutral\n";
        let e = run(five, None).unwrap_err();
        assert_eq!(e.kind, Kind::OtherScale);
        assert!(e.message.contains("5 labels"), "{}", e.message);
        assert!(e.message.contains("has 6 points"), "{}", e.message);
        assert!(
            e.message.contains("[ingest] scale = [1, N]"),
            "{}",
            e.message
        );
        // the model's own labels, and one unknown label among six: the
        // cells are reported one by one, not the scale
        let six = "EF1\nStämmer helt\nStämmer bra\nDisagree\nSomewhat agree\nAgree\nNeutral\n";
        assert_eq!(run(six, None), Ok(None));
        assert_eq!(run("EF1\nStämmer helt\nStämmer bra\n", None), Ok(None));
        // the model's six labels and one more: that cell is the error
        let seven = "EF1\nStämmer helt\nStämmer bra\nStämmer ganska bra\nStämmer ganska dåligt\nStämmer dåligt\nStämmer inte alls\nIngen åsikt\n";
        assert_eq!(run(seven, None), Ok(None));
        // two words the model does not know are no scale: each cell is
        // reported where it is
        assert_eq!(run("EF1\nbra\ndålig\n", None), Ok(None));
    }

    #[test]
    fn numbers_on_the_lower_part_of_the_scale_are_a_warning() {
        let mut text = String::from("EF1,EF2\n");
        for i in 0..60 {
            text.push_str(&format!("{},{}\n", 1 + i % 4, 4 - i % 4));
        }
        let w = run(&text, None).unwrap().unwrap();
        assert_eq!(w.kind, Kind::PartOfScale);
        assert!(w.message.contains("from 1 to 4 only"), "{}", w.message);
        // with the survey's scale given, all is well
        assert_eq!(run(&text, Some([1.0, 4.0])), Ok(None));
        // too few answers to tell
        assert_eq!(run("EF1\n1\n2\n", None), Ok(None));
    }
}
