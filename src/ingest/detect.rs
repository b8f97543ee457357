//! The first step of reading a sheet: which survey tool wrote it (by the
//! signatures of `[[presets]]`), and so which rows under the header are
//! header rows too. What the tool's layout says is turned into read
//! settings: its id, date and completion columns join `[columns]`.

use super::quality::{Kind, Problem};
use super::sheet::Sheet;
use crate::config::{Preset, ReadSettings};

/// The most rows under the header that may be header rows.
const MAX_HEADER_ROWS: usize = 3;

/// The tool a sheet's layout is, by `[ingest] tool`: told by the header
/// ("auto"), none, or named. A name no preset has is the config's error.
pub fn tool<'p>(
    sheet: &Sheet,
    presets: &'p [Preset],
    settings: &ReadSettings,
    relative: &str,
) -> Result<Option<&'p Preset>, Problem> {
    let wanted = settings.ingest.tool.trim();
    if wanted.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    if !wanted.eq_ignore_ascii_case("auto") {
        return presets
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(wanted))
            .map(Some)
            .ok_or_else(|| {
                Problem::error(
                    Kind::Unreadable,
                    relative,
                    format!(
                        "[ingest] tool = \"{wanted}\" is no tool mognad knows; use \"auto\", \"none\" or one of {}",
                        presets
                            .iter()
                            .map(|p| format!("\"{}\"", p.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            });
    }
    let rows = sheet.height().min(MAX_HEADER_ROWS);
    let has_prefix = |prefix: &str| (0..rows).any(|r| row_has_prefix(sheet, r, prefix));
    // the cells of the row under the header, for a preset's label row
    let labels: Vec<String> = (0..sheet.headers.len())
        .filter(|_| sheet.height() > 0)
        .filter_map(|c| sheet.column(c).get(0).map(|v| v.trim().to_lowercase()))
        .collect();
    let labelled = |p: &Preset| {
        p.label_row
            .iter()
            .all(|l| labels.contains(&l.trim().to_lowercase()))
    };
    Ok(presets.iter().find(|p| {
        (p.matches_header(&sheet.headers) && labelled(p))
            || p.row_prefix.as_deref().is_some_and(has_prefix)
    }))
}

/// Whether a cell of data row `r` (below the sheet's height) begins with
/// `prefix`.
fn row_has_prefix(sheet: &Sheet, r: usize, prefix: &str) -> bool {
    (0..sheet.headers.len()).any(|c| {
        sheet
            .column(c)
            .get(r)
            .is_some_and(|v| v.trim().starts_with(prefix))
    })
}

/// How many rows under the header are header rows of the tool: those
/// holding its row prefix, and those whose marker cell holds no digit or
/// begins with "{" (a label, a blank, an import id), up to the first answer.
pub fn header_rows(sheet: &Sheet, preset: &Preset) -> usize {
    let marker = preset.marker.as_deref().and_then(|m| {
        sheet
            .headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(m))
    });
    let prefixed = |r: usize| {
        preset
            .row_prefix
            .as_deref()
            .is_some_and(|prefix| row_has_prefix(sheet, r, prefix))
    };
    let label = |r: usize| {
        marker.is_some_and(|c| {
            let cell = sheet.column(c).get(r).unwrap_or("").trim();
            cell.starts_with('{') || !cell.chars().any(|ch| ch.is_ascii_digit())
        })
    };
    let rows = sheet.height().min(MAX_HEADER_ROWS);
    // the last row (up to three) that is a header row: rows before it are too
    (0..rows)
        .rev()
        .find(|&r| prefixed(r) || (label(r) && (0..r).all(label)))
        .map_or(0, |r| r + 1)
}

/// The settings that read a file of `preset`'s tool: its names for the
/// respondent, date, submitted and finished columns after those of
/// `[columns]`, and its metadata as such.
pub fn settings_for(settings: &ReadSettings, preset: &Preset) -> ReadSettings {
    let mut s = settings.clone();
    let c = &mut s.columns;
    c.respondent = Preset::extend(&c.respondent, &preset.respondent);
    c.date = Preset::extend(&c.date, &preset.date);
    c.submitted = Preset::extend(&c.submitted, &preset.submitted);
    c.finished = Preset::extend(&c.finished, &preset.finished);
    // the tool's metadata, but for a column the config maps itself (a
    // custom field as the unit, say)
    let mapped = |name: &str| {
        let c = &settings.columns;
        [
            &c.organisation,
            &c.respondent,
            &c.unit,
            &c.role,
            &c.year,
            &c.date,
            &c.statement,
            &c.value,
        ]
        .iter()
        .any(|names| names.matches(name))
            || settings
                .statements
                .headers
                .keys()
                .any(|k| k.trim().eq_ignore_ascii_case(name.trim()))
    };
    let own: Vec<String> = preset
        .metadata
        .iter()
        .filter(|m| !mapped(m))
        .cloned()
        .collect();
    s.columns.metadata.extend(own);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{builtin_presets, Config, Limits};

    fn sheet(text: &str) -> Sheet {
        super::super::sheet::read(text.as_bytes(), "svar.csv", None, &Limits::default()).unwrap()
    }

    fn detect(text: &str) -> (Option<String>, usize) {
        let s = sheet(text);
        let settings = Config::builtin().settings_for("svar.csv").unwrap();
        let tool = tool(&s, builtin_presets(), &settings, "svar.csv").unwrap();
        let rows = tool.map_or(0, |p| header_rows(&s, p));
        (tool.map(|p| p.name.clone()), rows)
    }

    #[test]
    fn header_rows_end_at_the_first_answer() {
        let qualtrics = "StartDate,EndDate,Finished,ResponseId,Q1\nStart Date,End Date,Finished,Response ID,Vi har en strategi\n\"{\"\"ImportId\"\":\"\"startDate\"\",\"\"timeZone\"\":\"\"America/Denver\"\"}\",x,x,x,x\n2025-03-01 10:00:00,2025-03-01 10:05:00,True,R_1,4\n";
        assert_eq!(detect(qualtrics), (Some("Qualtrics".into()), 2));
        // without the import-id row, and without any
        let two = "StartDate,EndDate,Finished,ResponseId,Q1\nStart Date,End Date,Finished,Response ID,Text\n2025-03-01 10:00:00,x,True,R_1,4\n";
        assert_eq!(detect(two).1, 1);
        let none = "StartDate,EndDate,Finished,ResponseId,Q1\n2025-03-01 10:00:00,x,True,R_1,4\n";
        assert_eq!(detect(none).1, 0);
        // an import-id row alone names the tool
        let bare = "ResponseId,Q1\nResponse ID,Text\n\"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\"\nR_1,4\n";
        assert_eq!(detect(bare), (Some("Qualtrics".into()), 2));
        let legacy = "V1,V2,V3,V4,V5,V6,V7,V8,V9,V10,Q1\nResponseID,ResponseSet,Name,ExternalDataReference,EmailAddress,IPAddress,Status,StartDate,EndDate,Finished,Text\nR_1,Default,Anonymous,,,1.2.3.4,0,2015-03-01 10:00:00,2015-03-01 10:05:00,1,4\n";
        assert_eq!(detect(legacy), (Some("Qualtrics (legacy)".into()), 1));
        let monkey = "Respondent ID,Collector ID,Start Date,End Date,Fråga,\n,,,,Påstående A,Påstående B\n1234,99,03/04/2019 10:12:33 AM,03/04/2019 10:15:00 AM,4,5\n";
        assert_eq!(detect(monkey), (Some("SurveyMonkey".into()), 1));
        assert_eq!(detect("enhet,EF1\nSkola,4\n"), (None, 0));
        // V1 ... V10 of a statistics program's table are no Qualtrics
        let frame = "V1,V2,V3,V4,V5,V6,V7,V8,V9,V10\n1,2,3,4,5,6,7,8,9,10\n";
        assert_eq!(detect(frame), (None, 0));
    }

    #[test]
    fn a_matrix_is_named_by_its_rows_and_no_two_columns_alike() {
        let text = "Respondent ID,Collector ID,Start Date,End Date,Custom Data 1,Fråga,,,Roll\n,,,,,Rad A,Response,,Response\n1,9,x1,x1,Skola,4,5,6,Chef\n";
        let mut s = sheet(text);
        let settings = Config::builtin().settings_for("svar.csv").unwrap();
        let p = tool(&s, builtin_presets(), &settings, "svar.csv")
            .unwrap()
            .unwrap();
        s.take_header_rows(header_rows(&s, p), p.fill_headers, &p.response_texts);
        assert_eq!(
            s.headers[5..],
            ["Fråga [Rad A]", "Fråga [2]", "Fråga [3]", "Roll"].map(String::from)
        );
        // a tool's metadata column the config maps is the config's
        let mut own = settings.clone();
        own.columns.unit = crate::config::Names::One("Custom Data 1".into());
        let read = settings_for(&own, p);
        assert!(!read.columns.skipped("Custom Data 1"));
        assert!(settings_for(&settings, p).columns.skipped("Custom Data 1"));
    }
}
