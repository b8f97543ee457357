//! Turning raw bytes into UTF-8 text a CSV parser can read: the encoding
//! (UTF-8, UTF-8 with BOM, Windows-1252) and the field delimiter.

use std::borrow::Cow;

/// The encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8.
    Utf8,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// Windows-1252 (what older Excel versions write).
    Windows1252,
}

impl Encoding {
    /// The encoding's name, for people.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (BOM)",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Decodes bytes to UTF-8: a BOM is dropped; bytes that are not valid UTF-8
/// are read as Windows-1252, which is what Swedish Excel writes. Line ends
/// with a stray carriage return (`\r\r\n`, as a Qualtrics export passed
/// through Windows once more has) become one line end.
pub fn decode(bytes: &[u8]) -> (Cow<'_, [u8]>, Encoding) {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (Cow::Borrowed(rest), Encoding::Utf8Bom)
    } else if std::str::from_utf8(bytes).is_ok() {
        (Cow::Borrowed(bytes), Encoding::Utf8)
    } else {
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
        (
            Cow::Owned(text.into_owned().into_bytes()),
            Encoding::Windows1252,
        )
    };
    (single_line_ends(text), encoding)
}

/// The text with every run of carriage returns before a line feed made one.
fn single_line_ends(text: Cow<'_, [u8]>) -> Cow<'_, [u8]> {
    if !text.windows(3).any(|w| w == b"\r\r\n") {
        return text;
    }
    let mut out = Vec::with_capacity(text.len());
    // carriage returns seen and not yet written
    let mut returns = 0usize;
    for &b in text.iter() {
        match b {
            b'\r' => returns += 1,
            b'\n' => {
                if returns > 0 {
                    out.push(b'\r');
                }
                returns = 0;
                out.push(b);
            }
            _ => {
                out.extend(std::iter::repeat_n(b'\r', returns));
                returns = 0;
                out.push(b);
            }
        }
    }
    out.extend(std::iter::repeat_n(b'\r', returns));
    Cow::Owned(out)
}

/// A file that is not UTF-8 as a whole, yet has lines that are (with
/// letters beyond ASCII) beside lines that are not: two encodings mixed,
/// typically rows pasted from another export. Returns the first row
/// (1-based) of each kind: (UTF-8, other).
pub fn mixed_encoding(bytes: &[u8]) -> Option<(usize, usize)> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if std::str::from_utf8(body).is_ok() {
        return None;
    }
    let (mut utf8, mut other) = (None, None);
    for (i, line) in body.split(|b| *b == b'\n').enumerate() {
        if line.is_ascii() {
            continue;
        }
        if std::str::from_utf8(line).is_ok() {
            utf8.get_or_insert(i + 1);
        } else {
            other.get_or_insert(i + 1);
        }
        if let (Some(u), Some(o)) = (utf8, other) {
            return Some((u, o));
        }
    }
    None
}

/// The delimiter of a delimited text file, judged from its first line
/// (outside quotes): the most frequent of `;`, tab and `,`; `,` on a tie.
pub fn detect_delimiter(text: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let candidates = [b',', b';', b'\t'];
    let mut quoted = false;
    for &b in text {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = candidates.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

/// Where a delimited text may be cut into parts of about `part_bytes` each,
/// so that a large export is parsed a part at a time: the byte offset at
/// which each part begins, 0 first. A cut falls only between two records
/// that are not blank, and the first part holds at least four records (the
/// header rows of any export). `None` when the quoting is irregular (a quote
/// inside an unquoted field, or text after a closing quote): the parser's
/// own reading of such a file is kept by reading it whole.
pub fn part_starts(text: &[u8], delimiter: u8, part_bytes: usize) -> Option<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        /// A quote inside a quoted field: its end, or the first of `""`.
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let mut starts = vec![0];
    let (mut records, mut record_start) = (0usize, 0usize);
    let blank = |from: usize, to: usize| text[from..to].iter().all(|b| *b == b'\r');
    for (i, &b) in text.iter().enumerate() {
        state = match (state, b) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') | (State::FieldStart, b'"') => State::Quoted,
            (State::Unquoted, b'"') => return None,
            (_, b'\n') => {
                records += 1;
                let next = i + 1;
                let last = *starts.last().unwrap_or(&0);
                if records >= 4
                    && next - last >= part_bytes
                    && !blank(record_start, i)
                    && text.get(next).is_some_and(|c| *c != b'\n' && *c != b'\r')
                {
                    starts.push(next);
                }
                record_start = next;
                State::FieldStart
            }
            (_, d) if d == delimiter => State::FieldStart,
            (State::QuoteInQuoted, b'\r') => State::Unquoted,
            (State::QuoteInQuoted, _) => return None,
            (_, _) => State::Unquoted,
        };
    }
    Some(starts)
}

/// The first record (1-based, header = 1, blank lines counted as the
/// sheet counts them) with more fields than the header, the header's
/// count and its own; quotes are respected.
pub fn find_ragged_row(text: &[u8], delimiter: u8) -> Option<(usize, usize, usize)> {
    let mut expected = None;
    let (mut record, mut fields, mut quoted) = (1usize, 1usize, false);
    let mut check = |record: usize, fields: usize, empty: bool| -> Option<(usize, usize, usize)> {
        match expected {
            None => {
                expected = Some(fields);
                None
            }
            Some(e) if fields > e && !empty => Some((record, e, fields)),
            _ => None,
        }
    };
    let mut line_empty = true;
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                if let Some(found) = check(record, fields, line_empty) {
                    return Some(found);
                }
                record += 1;
                fields = 1;
                line_empty = true;
                continue;
            }
            b'\r' if !quoted && text.get(i + 1) == Some(&b'\n') => continue,
            _ if b == delimiter && !quoted => fields += 1,
            _ => {}
        }
        line_empty = false;
    }
    check(record, fields, line_empty)
}

/// A delimiter for messages.
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b';' => "semicolon",
        b'\t' => "tab",
        _ => "comma",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_utf8_and_windows_1252() {
        let (t, e) = decode(b"\xEF\xBB\xBFenhet;v\xC3\xA5rd");
        assert_eq!(
            (t.as_ref(), e),
            ("enhet;vård".as_bytes(), Encoding::Utf8Bom)
        );
        let (t, e) = decode(b"enhet;v\xE5rd");
        assert_eq!(
            (t.as_ref(), e),
            ("enhet;vård".as_bytes(), Encoding::Windows1252)
        );
        let (_, e) = decode("enhet,vård".as_bytes());
        assert_eq!(e, Encoding::Utf8);
    }

    #[test]
    fn a_stray_carriage_return_before_a_line_end_is_dropped() {
        let (t, _) = decode(b"a,b\r\r\n1,\"x\ry\"\r\r\r\n2,3\n");
        assert_eq!(t.as_ref(), b"a,b\r\n1,\"x\ry\"\r\n2,3\n");
        let (t, _) = decode(b"a,b\r\n1,2\r\n");
        assert!(matches!(t, Cow::Borrowed(_)));
    }

    #[test]
    fn mixed_encodings_are_found_by_row() {
        // row 2 UTF-8 "å", row 3 Windows-1252 "å"
        let mixed = b"enhet;v\nv\xC3\xA5rd;1\nv\xE5rd;2\n";
        assert_eq!(mixed_encoding(mixed), Some((2, 3)));
        assert_eq!(mixed_encoding(b"enhet;v\nv\xE5rd;2\n"), None);
        assert_eq!(mixed_encoding("enhet;v\nvård;2\n".as_bytes()), None);
    }

    #[test]
    fn finds_the_first_ragged_row() {
        assert_eq!(find_ragged_row(b"a,b\n1,2\n1,2,3\n", b','), Some((3, 2, 3)));
        assert_eq!(find_ragged_row(b"a,b\r\n\"1,x\",2\r\n", b','), None);
        assert_eq!(find_ragged_row(b"a;b\n1;2\n", b';'), None);
        // a quoted line break is inside its record
        assert_eq!(
            find_ragged_row(b"a,b\n\"x\ny\",2\n1,2,3\n", b','),
            Some((3, 2, 3))
        );
    }

    #[test]
    fn cuts_fall_between_records_outside_quotes() {
        let text = b"h1,h2\nq,x\ni,y\n1,\"a\nb\"\n2,\"c\"\"d\"\r\n3,e\n\n4,f\n5,g";
        // every record may end a part from the fourth on, but not around the
        // blank one, nor inside the quoted line break
        assert_eq!(part_starts(text, b',', 1), Some(vec![0, 22, 32, 41]));
        assert_eq!(&text[32..41], b"3,e\n\n4,f\n");
        // at most one part per 15 bytes
        assert_eq!(part_starts(text, b',', 15), Some(vec![0, 22, 41]));
        assert_eq!(part_starts(text, b',', 1000), Some(vec![0]));
        // a quote inside an unquoted field: read whole
        assert_eq!(part_starts(b"a,b\n1,5\" x\n2,3\n", b',', 1), None);
        assert_eq!(part_starts(b"a,b\n\"1\"x,2\n", b',', 1), None);
    }

    #[test]
    fn detects_delimiters_outside_quotes() {
        assert_eq!(detect_delimiter(b"a;b;c\n1,5;2;3"), b';');
        assert_eq!(detect_delimiter(b"a,b,c\n"), b',');
        assert_eq!(detect_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter(b"\"a;x\",b,c\n"), b',');
    }
}
