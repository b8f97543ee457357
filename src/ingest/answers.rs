//! Answers: a cell of an export into a scale value, a don't-know or nothing.
//! Known without configuration: whole numbers on the scale, the model's
//! scale labels (every language) and its don't-know codes. The config's
//! `[answers]` adds labels and codes (LimeSurvey's `A1`, Forms' label text).

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

pub struct AnswerMap {
    /// Keys as written and lower-cased.
    map: BTreeMap<String, Answer>,
    min: f64,
    max: f64,
    continuous: bool,
    hint: String,
}

impl AnswerMap {
    pub fn new(model: &Model, settings: &ReadSettings) -> Result<Self, String> {
        let (min, max) = (model.scale.min as f64, model.scale.max as f64);
        let mut map = BTreeMap::new();
        let mut insert = |key: &str, a: Answer| {
            let key = key.trim();
            map.insert(key.to_string(), a);
            map.insert(key.to_lowercase(), a);
        };
        for code in &model.scale.dont_know {
            insert(code, Answer::DontKnow);
        }
        for label in &model.scale.labels {
            for text in label.text.values() {
                insert(text, Answer::Value(label.value as f64));
            }
        }
        for (key, target) in &settings.answers {
            let answer = match target {
                AnswerTarget::Value(v) if v.fract() == 0.0 && *v >= min && *v <= max => {
                    Answer::Value(*v)
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
            insert(key, answer);
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
            continuous: model.scale.continuous,
            hint,
        })
    }

    pub fn parse(&self, raw: &str) -> Result<Answer, AnswerError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(Answer::Missing);
        }
        if let Some(a) = self.map.get(raw) {
            return Ok(*a);
        }
        let number = if raw.contains(',') {
            raw.replace(',', ".").parse::<f64>()
        } else {
            raw.parse::<f64>()
        };
        match number {
            Ok(n) if n.is_finite() => {
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
                    Ok(Answer::Value(n))
                }
            }
            _ => match self.map.get(&raw.to_lowercase()) {
                Some(a) => Ok(*a),
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
    fn config_targets_are_checked() {
        let mut s = Config::builtin().settings_for("x.csv").unwrap();
        s.answers.insert("A9".into(), AnswerTarget::Value(9.0));
        assert!(AnswerMap::new(&Model::builtin(), &s).is_err());
    }
}
