//! The answers table that ingest hands the analysis, in compact form.
//!
//! One entry per respondent (its key is its position): the survey year and
//! the organisation, unit and role as codes into name lists. Beside it, each
//! respondent's answers in a run of two columns: the statement's index in
//! the model (`u16`) and the value, as a one-byte code into the distinct
//! values of the input (a scale's handful, and a code for a don't-know).
//! That is 3 bytes per answer (10 if an input has more than 255 distinct
//! values, which are then kept as they are), where a table with a text column for each of
//! the organisation, unit, role and statement took about 80: a national
//! input's answers fit in memory many times over.
//!
//! Unanswered cells have no entry, and every respondent has at least one
//! answer.
//!
//! While the files are read, the answers go straight into those two
//! columns ([`Runs`]), one run per response, before it is known which
//! responses are kept (duplicates are dropped across files); the table is
//! then made in the same columns ([`Answers::from_runs`]). So reading never
//! holds the answers twice.

use std::collections::HashMap;
use std::ops::Range;

/// Every respondent's answers (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct Answers {
    year: Vec<i32>,
    organisation: Vec<Option<u32>>,
    unit: Vec<Option<u32>>,
    role: Vec<Option<u32>>,
    /// Respondent `r`'s answers are at `start[r]..start[r + 1]`.
    start: Vec<usize>,
    answers: Runs,
    organisations: Names,
    units: Names,
    roles: Names,
}

/// The distinct names of one column, each with its code (its position,
/// in order of first appearance).
#[derive(Debug, Clone, Default)]
pub(super) struct Names {
    list: Vec<String>,
    code: HashMap<String, u32>,
}

impl Names {
    pub(super) fn code(&mut self, name: Option<&str>) -> Option<u32> {
        let name = name?;
        if let Some(&c) = self.code.get(name) {
            return Some(c);
        }
        let c = self.list.len() as u32;
        self.list.push(name.to_string());
        self.code.insert(name.to_string(), c);
        Some(c)
    }

    pub(super) fn get(&self, code: Option<u32>) -> Option<&str> {
        code.map(|c| self.list[c as usize].as_str())
    }
}

/// Answers as they are read: each response's answers as a run of the two
/// columns that become the table's (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct Runs {
    statement: Vec<u16>,
    value: Values,
}

/// The column of values: each a one-byte code into the distinct values
/// seen (a scale has a handful), or, once more than [`Values::CODES`]
/// distinct values have come, the values themselves. Values are told
/// apart by their bits, so each comes back exactly as it went in.
#[derive(Debug, Clone)]
enum Values {
    Coded {
        code: Vec<u8>,
        /// The value of each code below [`Values::DONT_KNOW`].
        values: Vec<f64>,
    },
    /// The values themselves; NaN for a don't-know.
    Plain(Vec<f64>),
}

impl Default for Values {
    fn default() -> Values {
        Values::with_capacity(0)
    }
}

impl Values {
    /// The code of a don't-know.
    const DONT_KNOW: u8 = u8::MAX;
    /// How many distinct values have codes.
    const CODES: usize = Values::DONT_KNOW as usize;

    fn with_capacity(answers: usize) -> Values {
        Values::Coded {
            code: Vec::with_capacity(answers),
            values: Vec::new(),
        }
    }

    /// Adds a value; a NaN is a don't-know, as `None` is.
    fn push(&mut self, value: Option<f64>) {
        let value = value.filter(|v| !v.is_nan());
        match self {
            Values::Coded { code, values } => {
                let c = match value {
                    None => Values::DONT_KNOW,
                    Some(v) => match values.iter().position(|w| w.to_bits() == v.to_bits()) {
                        Some(c) => c as u8,
                        None if values.len() < Values::CODES => {
                            values.push(v);
                            (values.len() - 1) as u8
                        }
                        None => {
                            self.widen();
                            return self.push(value);
                        }
                    },
                };
                code.push(c);
            }
            Values::Plain(plain) => plain.push(value.unwrap_or(f64::NAN)),
        }
    }

    /// Turns the codes into the values themselves (in room as large).
    fn widen(&mut self) {
        if let Values::Coded { code, values } = self {
            let mut plain = Vec::with_capacity(code.capacity());
            plain.extend(code.iter().map(|&c| match c {
                Values::DONT_KNOW => f64::NAN,
                c => values[c as usize],
            }));
            *self = Values::Plain(plain);
        }
    }

    fn get(&self, i: usize) -> Option<f64> {
        match self {
            Values::Coded { code, values } => match code[i] {
                Values::DONT_KNOW => None,
                c => Some(values[c as usize]),
            },
            Values::Plain(plain) => Some(plain[i]).filter(|v| !v.is_nan()),
        }
    }

    fn truncate(&mut self, len: usize) {
        match self {
            Values::Coded { code, .. } => code.truncate(len),
            Values::Plain(plain) => plain.truncate(len),
        }
    }

    fn copy_within(&mut self, from: Range<usize>, to: usize) {
        match self {
            Values::Coded { code, .. } => code.copy_within(from, to),
            Values::Plain(plain) => plain.copy_within(from, to),
        }
    }
}

impl Runs {
    /// Runs with room for `answers` answers. Room never written to is
    /// reserved, not used: asking for an upper bound spares the copies (and
    /// the moment of twice the memory) of a table that grows.
    pub fn with_capacity(answers: usize) -> Runs {
        Runs {
            statement: Vec::with_capacity(answers),
            value: Values::with_capacity(answers),
        }
    }

    /// Adds a response's answers, as (statement index, value; `None` for a
    /// don't-know), and returns where they are.
    pub fn push(
        &mut self,
        answers: impl IntoIterator<Item = (usize, Option<f64>)>,
    ) -> Range<usize> {
        let from = self.statement.len();
        for (s, v) in answers {
            debug_assert!(s < crate::model::MAX_STATEMENTS, "statement index {s}");
            self.statement.push(s as u16);
            self.value.push(v);
        }
        from..self.statement.len()
    }

    /// The number of answers held.
    pub fn len(&self) -> usize {
        self.statement.len()
    }

    /// Forgets every answer from `len` on (a file that was left out).
    pub fn truncate(&mut self, len: usize) {
        self.statement.truncate(len);
        self.value.truncate(len);
    }

    /// Moves the answers of `run` down to begin at `to` (at most where
    /// they are), over answers no longer wanted; returns where they end.
    fn move_down(&mut self, run: Range<usize>, to: usize) -> usize {
        let end = to + run.len();
        self.statement.copy_within(run.clone(), to);
        self.value.copy_within(run, to);
        end
    }

    /// The answers of `run`, as pushed.
    pub fn get(&self, run: Range<usize>) -> impl Iterator<Item = (usize, Option<f64>)> + '_ {
        run.map(|i| (self.statement[i] as usize, self.value.get(i)))
    }
}

/// A response kept for the table: who answered, and its run of answers.
pub struct Kept<'a> {
    pub year: i32,
    pub organisation: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub role: Option<&'a str>,
    pub run: Range<usize>,
}

impl Answers {
    /// The table of the responses `kept`, in that order, made in the runs'
    /// own columns: each kept run moves down over the runs left out, so
    /// no answer is copied elsewhere. The runs must come in the order they
    /// were pushed. A response without answers is left out.
    pub fn from_runs<'a>(mut runs: Runs, kept: impl IntoIterator<Item = Kept<'a>>) -> Answers {
        let mut out = Answers::with_capacity(0, 0);
        let mut end = 0;
        for k in kept {
            assert!(k.run.start >= end, "runs out of order");
            if k.run.is_empty() {
                continue;
            }
            end = runs.move_down(k.run, end);
            out.add(k.year, k.organisation, k.unit, k.role, end);
        }
        runs.truncate(end);
        out.answers = runs;
        out
    }

    /// Adds a respondent whose answers end at `end`.
    fn add(
        &mut self,
        year: i32,
        organisation: Option<&str>,
        unit: Option<&str>,
        role: Option<&str>,
        end: usize,
    ) {
        self.year.push(year);
        let organisation = self.organisations.code(organisation);
        self.organisation.push(organisation);
        let unit = self.units.code(unit);
        self.unit.push(unit);
        let role = self.roles.code(role);
        self.role.push(role);
        self.start.push(end);
    }

    /// An empty table with room for `respondents` and `answers`.
    pub fn with_capacity(respondents: usize, answers: usize) -> Answers {
        let mut start = Vec::with_capacity(respondents + 1);
        start.push(0);
        Answers {
            year: Vec::with_capacity(respondents),
            organisation: Vec::with_capacity(respondents),
            unit: Vec::with_capacity(respondents),
            role: Vec::with_capacity(respondents),
            start,
            answers: Runs::with_capacity(answers),
            ..Answers::default()
        }
    }

    /// Adds a respondent with its answers, as (statement index, value;
    /// `None` for a don't-know). A respondent without answers is left out.
    /// Statement indices are below [`MAX_STATEMENTS`](crate::model::MAX_STATEMENTS)
    /// (the model checks).
    pub fn push(
        &mut self,
        year: i32,
        organisation: Option<&str>,
        unit: Option<&str>,
        role: Option<&str>,
        answers: impl IntoIterator<Item = (usize, Option<f64>)>,
    ) {
        if self.start.is_empty() {
            self.start.push(0);
        }
        let run = self.answers.push(answers);
        if !run.is_empty() {
            self.add(year, organisation, unit, role, run.end);
        }
    }

    /// The number of respondents.
    pub fn respondents(&self) -> usize {
        self.year.len()
    }

    /// The number of answers (don't-knows included).
    pub fn len(&self) -> usize {
        self.answers.len()
    }

    /// Whether there are no answers.
    pub fn is_empty(&self) -> bool {
        self.answers.len() == 0
    }

    /// Respondent `r`'s survey year.
    pub fn year(&self, r: usize) -> i32 {
        self.year[r]
    }

    /// Respondent `r`'s organisation, if the input names one.
    pub fn organisation(&self, r: usize) -> Option<&str> {
        self.organisations.get(self.organisation[r])
    }

    /// Respondent `r`'s unit, if any.
    pub fn unit(&self, r: usize) -> Option<&str> {
        self.units.get(self.unit[r])
    }

    /// Respondent `r`'s role, if any.
    pub fn role(&self, r: usize) -> Option<&str> {
        self.roles.get(self.role[r])
    }

    /// Respondent `r`'s answers: (statement index, value; `None` for a
    /// don't-know).
    pub fn answers(&self, r: usize) -> impl Iterator<Item = (usize, Option<f64>)> + '_ {
        self.answers.get(self.start[r]..self.start[r + 1])
    }

    /// The number of respondent `r`'s answers.
    pub fn answers_of(&self, r: usize) -> usize {
        self.start[r + 1] - self.start[r]
    }

    /// The organisations named, in order of first appearance.
    pub fn organisations(&self) -> &[String] {
        &self.organisations.list
    }

    /// The units named, in order of first appearance.
    pub fn units(&self) -> &[String] {
        &self.units.list
    }

    /// A table of the respondents `keys` (in that order), keyed anew from 0.
    pub fn select(&self, keys: &[u32]) -> Answers {
        let answers = keys.iter().map(|&k| self.answers_of(k as usize)).sum();
        let mut out = Answers::with_capacity(keys.len(), answers);
        for &k in keys {
            let r = k as usize;
            out.push(
                self.year(r),
                self.organisation(r),
                self.unit(r),
                self.role(r),
                self.answers(r),
            );
        }
        out
    }
}

/// Builds answer tables by hand in unit tests: answers pushed one at a
/// time, by respondent id (`None` = don't know).
#[cfg(test)]
#[derive(Default)]
pub(crate) struct AnswersForTest {
    /// Each respondent's answers, by (year, order of the id's first use).
    respondents: std::collections::BTreeMap<(i32, u32), Respondent>,
    ids: std::collections::BTreeMap<String, u32>,
}

#[cfg(test)]
struct Respondent {
    unit: Option<String>,
    answers: Vec<(String, Option<f64>)>,
}

#[cfg(test)]
impl AnswersForTest {
    pub fn push(
        &mut self,
        year: i32,
        respondent: &str,
        unit: Option<&str>,
        statement: &str,
        value: Option<f64>,
    ) {
        let next = self.ids.len() as u32;
        let id = *self.ids.entry(respondent.to_string()).or_insert(next);
        self.respondents
            .entry((year, id))
            .or_insert_with(|| Respondent {
                unit: unit.map(str::to_string),
                answers: Vec::new(),
            })
            .answers
            .push((statement.to_string(), value));
    }

    /// The table, with statements looked up in `model`.
    pub fn build(self, model: &crate::model::Model) -> Answers {
        let mut out = Answers::default();
        for ((year, _), r) in self.respondents {
            let answers = r.answers.iter().map(|(code, v)| {
                let s = model
                    .statement_index(code)
                    .unwrap_or_else(|| panic!("{code} is no statement of the model"));
                (s, *v)
            });
            out.push(year, None, r.unit.as_deref(), None, answers);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn respondents_answers_and_codes() {
        let mut t = Answers::with_capacity(3, 4);
        t.push(
            2025,
            Some("A"),
            Some("U"),
            None,
            [(0, Some(5.0)), (2, None)],
        );
        // no answers: left out
        t.push(2025, Some("B"), None, None, []);
        t.push(2024, Some("B"), Some("U"), Some("chef"), [(1, Some(1.0))]);
        t.push(2025, Some("A"), Some("V"), None, [(0, Some(2.0))]);
        assert_eq!(t.respondents(), 3);
        assert_eq!(t.len(), 4);
        assert_eq!(t.organisations(), ["A", "B"]);
        assert_eq!(t.units(), ["U", "V"]);
        assert_eq!(
            t.answers(0).collect::<Vec<_>>(),
            [(0, Some(5.0)), (2, None)]
        );
        assert_eq!(
            (t.year(1), t.organisation(1), t.role(1)),
            (2024, Some("B"), Some("chef"))
        );
        assert_eq!((t.unit(2), t.answers_of(2)), (Some("V"), 1));
        let s = t.select(&[2, 0]);
        assert_eq!(s.respondents(), 2);
        assert_eq!(s.len(), 3);
        assert_eq!(s.unit(0), Some("V"));
        assert_eq!(s.units(), ["V", "U"]);
        assert_eq!(
            s.answers(1).collect::<Vec<_>>(),
            [(0, Some(5.0)), (2, None)]
        );
    }

    #[test]
    fn values_are_coded_until_there_are_too_many() {
        let mut runs = Runs::with_capacity(4);
        let first = runs.push([(0, Some(4.0)), (1, None), (2, Some(-0.0)), (3, Some(0.0))]);
        // a NaN is a don't-know, as it was when the column held NaN for one
        let nan = runs.push([(4, Some(f64::NAN))]);
        assert_eq!(runs.get(nan).collect::<Vec<_>>(), [(4, None)]);
        runs.push([(0, Some(4.0)), (1, Some(0.5))]);
        match &runs.value {
            // 4, -0, 0 and 0.5: one code each, told apart by their bits
            Values::Coded { code, values } => {
                assert_eq!(code, &[0, Values::DONT_KNOW, 1, 2, Values::DONT_KNOW, 0, 3]);
                assert_eq!(values.len(), 4);
            }
            Values::Plain(_) => panic!("widened too soon"),
        }
        // 251 more distinct values fill the codes; the next one widens
        let more = runs.push((0..251).map(|i| (5, Some(100.0 + i as f64))));
        assert!(matches!(runs.value, Values::Coded { .. }));
        let last = runs.push([(6, Some(-1.5)), (7, None)]);
        assert!(matches!(runs.value, Values::Plain(_)));
        let got: Vec<_> = runs.get(first).collect();
        assert_eq!(
            got,
            [(0, Some(4.0)), (1, None), (2, Some(-0.0)), (3, Some(0.0))]
        );
        assert!(got[2].1.unwrap().is_sign_negative() && got[3].1.unwrap().is_sign_positive());
        assert_eq!(runs.get(more.clone()).nth(250), Some((5, Some(350.0))));
        assert_eq!(
            runs.get(last).collect::<Vec<_>>(),
            [(6, Some(-1.5)), (7, None)]
        );
        assert_eq!(runs.len(), 7 + 251 + 2);
        // a wide column moves and shortens as a coded one does
        let end = runs.move_down(more.end..runs.len(), 2);
        runs.truncate(end);
        assert_eq!(
            runs.get(0..4).collect::<Vec<_>>(),
            [(0, Some(4.0)), (1, None), (6, Some(-1.5)), (7, None)]
        );
    }

    #[test]
    fn the_table_is_made_in_the_runs_columns() {
        let mut runs = Runs::default();
        let a = runs.push([(0, Some(5.0)), (2, None)]);
        let dropped = runs.push([(1, Some(3.0))]);
        let b = runs.push([(1, Some(1.0)), (0, Some(2.0))]);
        assert_eq!((a.clone(), dropped.clone(), b.clone()), (0..2, 2..3, 3..5));
        assert_eq!(runs.get(dropped).collect::<Vec<_>>(), [(1, Some(3.0))]);
        let late = runs.push([(3, Some(4.0))]);
        runs.truncate(late.start);
        assert_eq!(runs.len(), 5);
        let kept = |year, unit, run| Kept {
            year,
            organisation: Some("A"),
            unit,
            role: None,
            run,
        };
        let t = Answers::from_runs(runs, [kept(2025, Some("V"), a), kept(2024, None, b)]);
        assert_eq!((t.respondents(), t.len()), (2, 4));
        assert_eq!(
            t.answers(0).collect::<Vec<_>>(),
            [(0, Some(5.0)), (2, None)]
        );
        // moved down over the run left out
        assert_eq!(
            t.answers(1).collect::<Vec<_>>(),
            [(1, Some(1.0)), (0, Some(2.0))]
        );
        assert_eq!((t.year(1), t.unit(0), t.unit(1)), (2024, Some("V"), None));
        assert_eq!(t.organisations(), ["A"]);
    }
}
