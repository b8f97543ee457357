//! Answers: a cell of an export into a scale value, a don't-know or nothing.
//! Known without configuration: whole numbers on the scale, the model's
//! scale labels (every language) and its don't-know codes. The config's
//! `[answers]` adds labels and codes (LimeSurvey's `A1`, Forms' label text).
//!
//! A survey on another scale (`[ingest] scale = [1, 5]` on a 1-6 model) is
//! read on its own scale and mapped linearly onto the model's; the model's
//! labels are then not known, so that no label is matched to another
//! scale's point by its name.

use std::collections::BTreeMap;

use crate::config::{is_dont_know_word, AnswerTarget, ReadSettings};
use crate::model::Model;

/// One answer cell, parsed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Answer {
    Missing,
    DontKnow,
    Value(f64),
}

/// Why a cell is not an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerError {
    /// Text that is no known label or code.
    Unknown(String),
    /// A number off the scale or between its steps.
    OutOfRange(String),
}

/// `v` on the scale `from` mapped linearly onto the scale `to`, the ends
/// onto the ends; as it is when the scales are one.
pub(super) fn linear(v: f64, from: (f64, f64), to: (f64, f64)) -> f64 {
    if from == to {
        return v;
    }
    to.0 + (v - from.0) * (to.1 - to.0) / (from.1 - from.0)
}

/// Where a known answer comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The model's labels and don't-know codes.
    Model,
    /// The config's `[answers]`.
    Config,
}

/// What a cell holds, before it is read as an answer: for telling the
/// scale of a file's answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    Blank,
    /// A number, on the file's scale.
    Number(f64),
    /// A don't-know code.
    DontKnow,
    /// A known label.
    Label(Origin),
    /// Text that is no known label.
    Unknown,
}

pub struct AnswerMap {
    /// Keys as written and lower-cased; values on the model's scale.
    map: BTreeMap<String, (Answer, Origin)>,
    /// The file's scale: the model's, or `[ingest] scale`.
    min: f64,
    max: f64,
    /// The model's scale, where the file's is mapped to.
    model: (f64, f64),
    continuous: bool,
    hint: String,
}

impl AnswerMap {
    pub fn new(model: &Model, settings: &ReadSettings) -> Result<Self, String> {
        let to = (model.scale.min as f64, model.scale.max as f64);
        let (min, max) = match settings.ingest.scale {
            Some([a, b]) if a.is_finite() && b.is_finite() && a < b => (a, b),
            Some([a, b]) => {
                return Err(format!(
                    "[ingest] scale = [{a}, {b}]: expected the survey's lowest and highest answer, lowest first"
                ))
            }
            None => to,
        };
        let rescaled = (min, max) != to;
        let onto = |v: f64| linear(v, (min, max), to);
        let mut map = BTreeMap::new();
        let mut insert = |key: &str, a: Answer, origin: Origin| {
            let key = key.trim();
            map.insert(key.to_string(), (a, origin));
            map.insert(key.to_lowercase(), (a, origin));
        };
        for code in &model.scale.dont_know {
            // a survey scale of its own may hold the code's number (0 on a
            // 0-10 scale): there it is an answer
            let on_scale = code
                .trim()
                .parse::<f64>()
                .is_ok_and(|n| rescaled && n >= min && n <= max);
            if !on_scale {
                insert(code, Answer::DontKnow, Origin::Model);
            }
        }
        if !rescaled {
            for label in &model.scale.labels {
                for text in label.text.values() {
                    insert(text, Answer::Value(label.value as f64), Origin::Model);
                }
            }
        }
        let steps = |v: f64| v.fract() == 0.0 || model.scale.continuous || rescaled;
        for (key, target) in &settings.answers {
            let answer = match target {
                AnswerTarget::Value(v) if steps(*v) && *v >= min && *v <= max => {
                    Answer::Value(onto(*v))
                }
                AnswerTarget::Value(v) if rescaled => {
                    return Err(format!(
                        "[answers] \"{key}\" = {v}: the survey's scale ([ingest] scale) runs from {min} to {max}"
                    ))
                }
                AnswerTarget::Value(v) => {
                    return Err(format!(
                        "[answers] \"{key}\" = {v}: the scale has whole steps from {min} to {max}"
                    ))
                }
                AnswerTarget::Code(c) if is_dont_know_word(c) => Answer::DontKnow,
                AnswerTarget::Code(c) => {
                    return Err(format!(
                        "[answers] \"{key}\" = \"{c}\": expected a scale value or \"vet ej\""
                    ))
                }
            };
            insert(key, answer, Origin::Config);
        }
        let dk = model
            .scale
            .dont_know
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = format!(
            "expected a whole number from {min} to {max}, a scale label or a don't-know code ({dk}); map other labels under [answers] in mognad.toml"
        );
        Ok(AnswerMap {
            map,
            min,
            max,
            model: to,
            continuous: model.scale.continuous,
            hint,
        })
    }

    /// The file's scale, lowest and highest.
    pub fn scale(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    /// Whether the file's answers are mapped from a scale of their own.
    pub fn rescaled(&self) -> bool {
        (self.min, self.max) != self.model
    }

    /// A value on the file's scale, on the model's.
    fn onto(&self, v: f64) -> f64 {
        linear(v, (self.min, self.max), self.model)
    }

    fn known(&self, raw: &str) -> Option<(Answer, Origin)> {
        self.map
            .get(raw)
            .or_else(|| self.map.get(&raw.to_lowercase()))
            .copied()
    }

    fn number(raw: &str) -> Option<f64> {
        let number = if raw.contains(',') {
            raw.replace(',', ".").parse::<f64>()
        } else {
            raw.parse::<f64>()
        };
        number.ok().filter(|n| n.is_finite())
    }

    /// What a cell holds (see [`Cell`]).
    pub fn cell(&self, raw: &str) -> Cell {
        let raw = raw.trim();
        if raw.is_empty() {
            return Cell::Blank;
        }
        match self.known(raw) {
            Some((Answer::DontKnow, _)) => Cell::DontKnow,
            Some((_, origin)) => Cell::Label(origin),
            None => Self::number(raw).map_or(Cell::Unknown, Cell::Number),
        }
    }

    pub fn parse(&self, raw: &str) -> Result<Answer, AnswerError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(Answer::Missing);
        }
        if let Some((a, _)) = self.map.get(raw) {
            return Ok(*a);
        }
        match Self::number(raw).ok_or(()) {
            Ok(n) => {
                if n.fract() != 0.0 && !self.continuous {
                    Err(AnswerError::OutOfRange(format!(
                        "\"{raw}\" is not a whole number; the scale has whole steps from {} to {}",
                        self.min, self.max
                    )))
                } else if n < self.min || n > self.max {
                    Err(AnswerError::OutOfRange(format!(
                        "value {raw} is outside the scale {}-{}",
                        self.min, self.max
                    )))
                } else {
                    Ok(Answer::Value(self.onto(n)))
                }
            }
            _ => match self.map.get(&raw.to_lowercase()) {
                Some((a, _)) => Ok(*a),
                None => Err(AnswerError::Unknown(format!(
                    "\"{raw}\" is not an answer: {}",
                    self.hint
                ))),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn map(extra: &[(&str, AnswerTarget)]) -> AnswerMap {
        let mut s = Config::builtin().settings_for("x.csv").unwrap();
        for (k, v) in extra {
            s.answers.insert(k.to_string(), v.clone());
        }
        AnswerMap::new(&Model::builtin(), &s).unwrap()
    }

    #[test]
    fn numbers_labels_and_dont_know() {
        let m = map(&[
            ("A7", AnswerTarget::Code("vet ej".into())),
            ("A3", AnswerTarget::Value(3.0)),
        ]);
        assert_eq!(m.parse(" 4 "), Ok(Answer::Value(4.0)));
        assert_eq!(m.parse("6,0"), Ok(Answer::Value(6.0)));
        assert_eq!(m.parse(""), Ok(Answer::Missing));
        assert_eq!(m.parse("Vet ej"), Ok(Answer::DontKnow));
        assert_eq!(m.parse("0"), Ok(Answer::DontKnow));
        assert_eq!(m.parse("Stämmer helt"), Ok(Answer::Value(6.0)));
        assert_eq!(m.parse("stämmer HELT"), Ok(Answer::Value(6.0)));
        assert_eq!(m.parse("Disagree"), Ok(Answer::Value(2.0)));
        assert_eq!(m.parse("A7"), Ok(Answer::DontKnow));
        assert_eq!(m.parse("a3"), Ok(Answer::Value(3.0)));
    }

    #[test]
    fn off_the_scale() {
        let m = map(&[]);
        assert!(
            matches!(m.parse("7"), Err(AnswerError::OutOfRange(s)) if s.contains("outside the scale 1-6"))
        );
        assert!(matches!(m.parse("-1"), Err(AnswerError::OutOfRange(_))));
        assert!(
            matches!(m.parse("4,5"), Err(AnswerError::OutOfRange(s)) if s.contains("whole number"))
        );
        assert!(
            matches!(m.parse("Stämmer nästan"), Err(AnswerError::Unknown(s)) if s.contains("[answers]"))
        );
        assert!(matches!(m.parse("NaN"), Err(AnswerError::Unknown(_))));
    }

    #[test]
    fn another_scale_is_mapped_linearly_and_the_models_labels_are_not_known() {
        let mut s = Config::builtin().settings_for("x.csv").unwrap();
        s.ingest.scale = Some([1.0, 5.0]);
        s.answers.insert("Neutral".into(), AnswerTarget::Value(3.0));
        s.answers
            .insert("Strongly agree".into(), AnswerTarget::Value(5.0));
        let m = AnswerMap::new(&Model::builtin(), &s).unwrap();
        // 1..5 onto 1..6: steps of 5/4
        assert_eq!(m.parse("1"), Ok(Answer::Value(1.0)));
        assert_eq!(m.parse("2"), Ok(Answer::Value(2.25)));
        assert_eq!(m.parse("neutral"), Ok(Answer::Value(3.5)));
        assert_eq!(m.parse("Strongly agree"), Ok(Answer::Value(6.0)));
        assert!(matches!(m.parse("6"), Err(AnswerError::OutOfRange(_))));
        // the model's label of 2 is not a label of this scale
        assert!(matches!(m.parse("Disagree"), Err(AnswerError::Unknown(_))));
        assert_eq!(m.cell("Disagree"), Cell::Unknown);
        assert_eq!(m.cell("Neutral"), Cell::Label(Origin::Config));
        assert_eq!(m.cell(" 4 "), Cell::Number(4.0));
        assert_eq!(m.cell("vet ej"), Cell::DontKnow);
        assert_eq!(map(&[]).cell("Stämmer helt"), Cell::Label(Origin::Model));
        s.ingest.scale = Some([5.0, 1.0]);
        assert!(AnswerMap::new(&Model::builtin(), &s).is_err());
        // on a 0-10 survey, 0 is an answer, not the model's don't-know code
        s.ingest.scale = Some([0.0, 10.0]);
        let m = AnswerMap::new(&Model::builtin(), &s).unwrap();
        assert_eq!(m.parse("0"), Ok(Answer::Value(1.0)));
        assert_eq!(m.parse("vet ej"), Ok(Answer::DontKnow));
    }

    #[test]
    fn config_targets_are_checked() {
        let mut s = Config::builtin().settings_for("x.csv").unwrap();
        s.answers.insert("A9".into(), AnswerTarget::Value(9.0));
        assert!(AnswerMap::new(&Model::builtin(), &s).is_err());
    }
}
