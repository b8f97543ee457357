//! Numbers and dates formatted for the report's language. Typst has no
//! locale-aware formatting, so every figure reaches the templates as text.
//!
//! Swedish: decimal comma, a non-breaking space before `%` and as thousands
//! separator, percentage points as "p.e.", dates as "26 november 2026".

use chrono::{Datelike, NaiveDate};

/// Non-breaking space.
pub const NBSP: char = '\u{a0}';
/// The typographic minus sign.
pub const MINUS: char = '\u{2212}';

/// A report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Swedish.
    Sv,
    /// English.
    En,
}

impl Lang {
    /// The language of a code ("sv", "en").
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }
}

/// A number with `decimals` decimals in the language's style, with a
/// typographic minus and no "-0".
pub fn number(value: f64, decimals: usize, lang: Lang) -> String {
    let rounded = format!("{:.*}", decimals, value.abs());
    let is_zero = rounded.chars().all(|c| c == '0' || c == '.');
    let (int, frac) = match rounded.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rounded.as_str(), None),
    };
    let sep = match lang {
        Lang::Sv => NBSP,
        Lang::En => ',',
    };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(sep);
        }
        grouped.push(ch);
    }
    let mut out = String::new();
    if value < 0.0 && !is_zero {
        out.push(MINUS);
    }
    out.push_str(&grouped);
    if let Some(frac) = frac {
        out.push(match lang {
            Lang::Sv => ',',
            Lang::En => '.',
        });
        out.push_str(frac);
    }
    out
}

/// An index or share on 0-100 as a percentage: "57,3 %" / "57.3%".
pub fn percent(value: f64, decimals: usize, lang: Lang) -> String {
    let n = number(value, decimals, lang);
    match lang {
        Lang::Sv => format!("{n}{NBSP}%"),
        Lang::En => format!("{n}%"),
    }
}

/// A change in percentage points, signed unless it rounds to zero:
/// "+2,1 p.e." / "−0.4 pp" / "0,0 p.e.".
pub fn points(change: f64, decimals: usize, lang: Lang) -> String {
    let n = number(change, decimals, lang);
    let signed = if n.starts_with(MINUS) || is_zero_text(&n) {
        n
    } else {
        format!("+{n}")
    };
    match lang {
        Lang::Sv => format!("{signed}{NBSP}p.e."),
        Lang::En => format!("{signed}{NBSP}pp"),
    }
}

fn is_zero_text(n: &str) -> bool {
    n.chars().all(|c| matches!(c, '0' | ',' | '.'))
}

/// `value` as it is printed with `decimals` decimals, back as a number.
pub fn displayed(value: f64, decimals: usize) -> f64 {
    format!("{value:.decimals$}").parse().unwrap_or(value)
}

/// A name as it reads within a sentence: its first letter in lower case
/// ("Digitalt arv" -> "digitalt arv").
pub fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect::<String>())
        .unwrap_or_default()
}

/// "a, b and c": `items` joined with commas and `and` (the language's
/// word) before the last.
pub fn and_list(items: &[impl AsRef<str>], and: &str) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {and} {last}", rest.join(", ")),
        _ => items.join(""),
    }
}

/// A value for rounding into parts: not finite or negative counts as 0.
fn non_negative(v: f64) -> f64 {
    if v.is_finite() {
        v.max(0.0)
    } else {
        0.0
    }
}

/// Whole units for `exact` amounts that add up to `total`: each rounded
/// down, then one more for the largest remainders, ties to the first
/// (Hamilton's method). The one rounding of parts to a whole, for
/// [`whole_percents`].
fn largest_remainder(exact: &[f64], total: u64) -> Vec<u64> {
    let mut units: Vec<u64> = exact.iter().map(|v| v.floor() as u64).collect();
    let left = total.saturating_sub(units.iter().sum()) as usize;
    let mut order: Vec<usize> = (0..exact.len()).collect();
    order.sort_by(|&a, &b| {
        let rem = |i: usize| exact[i] - exact[i].floor();
        rem(b).total_cmp(&rem(a)).then(a.cmp(&b))
    });
    for &i in order.iter().take(left) {
        units[i] += 1;
    }
    units
}

/// Shares of a whole (each 0-1) as whole per cent that sum to 100, so that
/// a split printed as 67 / 17 / 17 never adds up to 101: each is rounded
/// down, then those with the largest remainders get one more, ties to the
/// first (Hamilton's largest-remainder method). Shares that sum to nothing
/// stay 0.
pub fn whole_percents(shares: &[f64]) -> Vec<u32> {
    let sum: f64 = shares.iter().map(|v| non_negative(*v)).sum();
    if sum <= 0.0 {
        return vec![0; shares.len()];
    }
    let exact: Vec<f64> = shares
        .iter()
        .map(|v| non_negative(*v) / sum * 100.0)
        .collect();
    largest_remainder(&exact, 100)
        .into_iter()
        .map(|p| p as u32)
        .collect()
}

/// Whether `higher` lies at least `margin` points above `lower` as both
/// are printed (one decimal): 3.0 points printed is 3.0 points, whatever
/// the hidden decimals. The one test of "stands out" (`[thresholds]
/// stands_out`) for the strongest and weakest categories and the
/// portfolio's weak ones.
pub fn at_least_above(higher: f64, lower: f64, margin: f64) -> bool {
    displayed(higher, 1) - displayed(lower, 1) >= margin - 1e-9
}

/// The difference of two figures as the reader can check it on the page:
/// computed from the printed (rounded) values, so that 43,0 % against
/// 40,6 % reads +2,4 p.e. even when the exact difference is 2,45.
pub fn points_between(now: f64, before: f64, decimals: usize, lang: Lang) -> String {
    points(
        displayed(now, decimals) - displayed(before, decimals),
        decimals,
        lang,
    )
}

/// A whole count with thousands separators.
pub fn count(n: usize, lang: Lang) -> String {
    number(n as f64, 0, lang)
}

const MONTHS_SV: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date in words: "26 november 2026" / "26 November 2026".
pub fn date(d: NaiveDate, lang: Lang) -> String {
    let months = match lang {
        Lang::Sv => &MONTHS_SV,
        Lang::En => &MONTHS_EN,
    };
    format!("{} {} {}", d.day(), months[d.month0() as usize], d.year())
}

/// The web edition's file name beside a PDF's: `a/b.pdf` -> `a/b.html`.
pub fn web_name(pdf: &str) -> String {
    format!("{}.html", pdf.strip_suffix(".pdf").unwrap_or(pdf))
}

/// Whether a character turns the direction of the text around it (the
/// Unicode bidi controls: embeddings, overrides, isolates and marks).
pub fn is_direction_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// A text whose direction controls stay within it: wrapped in FIRST STRONG
/// ISOLATE ... POP DIRECTIONAL ISOLATE, which ends whatever the text
/// opened, so that a name cannot turn the words after it around.
pub fn isolate(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_direction_control) {
        format!("\u{2068}{text}\u{2069}").into()
    } else {
        text.into()
    }
}

/// A text without direction controls (for mail headers, which have no
/// isolation).
pub fn without_direction_controls(text: &str) -> String {
    text.chars().filter(|c| !is_direction_control(*c)).collect()
}

/// The longest slug: a file name of a report holds two (the title's and
/// the unit's), far below the 255 bytes a file system allows.
const MAX_SLUG: usize = 80;

/// A file-name-safe form of a name: lower case, å/ä → a, ö → o, other
/// characters to `-`; cut at 80 characters with a short hash of the whole
/// name, so that long names that begin alike stay apart.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for ch in name.chars().flat_map(char::to_lowercase) {
        let c = match ch {
            'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("enhet");
    }
    if out.len() > MAX_SLUG {
        // the slug is ASCII: any byte is a character boundary
        out.truncate(MAX_SLUG - 9);
        while out.ends_with('-') {
            out.pop();
        }
        out.push('-');
        out.push_str(&sha256_hex(name.as_bytes())[..8]);
    }
    out
}

/// The SHA-256 of `bytes` in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_name_within_a_sentence() {
        assert_eq!(lower_first("Digitalt arv"), "digitalt arv");
        assert_eq!(lower_first("Ärende"), "ärende");
        assert_eq!(lower_first(""), "");
    }

    #[test]
    fn whole_percents_sum_to_a_hundred() {
        // 2/3, 1/6, 1/6: 66.67, 16.67, 16.67 round to 67 / 17 / 17 = 101;
        // floors 66 / 16 / 16 leave 2 points for the largest remainders
        // (equal to the last bit: the first two)
        assert_eq!(
            whole_percents(&[4.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0]),
            [67, 17, 16]
        );
        // 37.4, 15.3, 47.3 round to 37 / 15 / 47 = 99: the largest
        // remainder (.4) gets the missing point
        assert_eq!(whole_percents(&[0.374, 0.153, 0.473]), [38, 15, 47]);
        assert_eq!(whole_percents(&[1.0, 0.0, 0.0]), [100, 0, 0]);
        assert_eq!(whole_percents(&[0.0, 0.0, 0.0]), [0, 0, 0]);
        // thirds: one of them gets the extra point, the first
        assert_eq!(whole_percents(&[1.0, 1.0, 1.0]), [34, 33, 33]);
        // not normalised (counts) works the same
        assert_eq!(whole_percents(&[2.0, 1.0, 1.0]), [50, 25, 25]);
    }

    use super::*;

    #[test]
    fn direction_controls_are_isolated_or_stripped() {
        let evil = "Ekonomi\u{202E}gnineD";
        assert_eq!(isolate(evil), "\u{2068}Ekonomi\u{202E}gnineD\u{2069}");
        assert_eq!(isolate("Ekonomi"), "Ekonomi");
        assert_eq!(without_direction_controls(evil), "EkonomignineD");
    }

    #[test]
    fn a_long_name_is_cut_with_a_hash_of_the_whole() {
        let long = "Förvaltningen för ".repeat(14);
        let a = slug(&format!("{long}A"));
        let b = slug(&format!("{long}B"));
        assert!(a.len() <= 80 && b.len() <= 80, "{a}");
        assert_ne!(a, b, "names that differ at the end stay apart");
        assert!(a.starts_with("forvaltningen-for-forvaltningen"), "{a}");
        assert_eq!(slug("Socialförvaltningen"), "socialforvaltningen");
    }

    #[test]
    fn a_web_page_sits_beside_its_pdf() {
        assert_eq!(web_name("enheter/a-b.pdf"), "enheter/a-b.html");
        assert_eq!(web_name("index"), "index.html");
    }

    #[test]
    fn standing_out_is_judged_on_the_printed_figures() {
        // 56,0 against 53,0 as printed: 3,0 points, though 2,92 exactly
        assert!(at_least_above(55.96, 53.04, 3.0));
        // 55,9 against 53,0: 2,9 points
        assert!(!at_least_above(55.94, 53.0, 3.0));
        assert!(!at_least_above(53.0, 56.0, 3.0));
    }

    #[test]
    fn swedish_numbers() {
        assert_eq!(percent(57.34, 1, Lang::Sv), "57,3\u{a0}%");
        assert_eq!(percent(57.35, 0, Lang::Sv), "57\u{a0}%");
        assert_eq!(percent(100.0, 1, Lang::Sv), "100,0\u{a0}%");
        assert_eq!(number(1500.0, 0, Lang::Sv), "1\u{a0}500");
        assert_eq!(number(-3.25, 1, Lang::Sv), "\u{2212}3,2");
        assert_eq!(number(-0.04, 1, Lang::Sv), "0,0");
        assert_eq!(count(1234567, Lang::Sv), "1\u{a0}234\u{a0}567");
    }

    #[test]
    fn english_numbers() {
        assert_eq!(percent(57.34, 1, Lang::En), "57.3%");
        assert_eq!(count(1500, Lang::En), "1,500");
    }

    #[test]
    fn percentage_points_are_signed() {
        assert_eq!(points(2.06, 1, Lang::Sv), "+2,1\u{a0}p.e.");
        assert_eq!(points(-1.44, 1, Lang::Sv), "\u{2212}1,4\u{a0}p.e.");
        assert_eq!(points(0.01, 1, Lang::Sv), "0,0\u{a0}p.e.");
        assert_eq!(points(-0.01, 1, Lang::Sv), "0,0\u{a0}p.e.");
        assert_eq!(points(-0.4, 1, Lang::En), "\u{2212}0.4\u{a0}pp");
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Barn- och utbildningsförvaltningen"),
            "barn-och-utbildningsforvaltningen"
        );
        assert_eq!(slug("  Överförmyndare & Co "), "overformyndare-co");
        assert_eq!(slug("***"), "enhet");
    }

    #[test]
    fn dates_in_words() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(date(d, Lang::Sv), "26 november 2026");
        assert_eq!(date(d, Lang::En), "26 November 2026");
    }

    #[test]
    fn differences_are_those_of_the_printed_values() {
        // 43.04 and 40.56 print as 43,0 and 40,6: the page says +2,4, not +2,5
        assert_eq!(points_between(43.04, 40.56, 1, Lang::Sv), "+2,4\u{a0}p.e.");
        assert_eq!(points(43.04 - 40.56, 1, Lang::Sv), "+2,5\u{a0}p.e.");
        // 51.25 vs 51.15 print as 51,2 (half to even on the binary value)
        // and 51,1 or 51,2: whatever they print as, the difference follows
        let (a, b) = (51.25, 51.15);
        let shown = displayed(a, 1) - displayed(b, 1);
        assert_eq!(
            points_between(a, b, 1, Lang::En),
            points(shown, 1, Lang::En)
        );
        assert_eq!(points_between(0.5, 0.5, 0, Lang::En), "0\u{a0}pp");
        assert_eq!(displayed(2.449, 1), 2.4);
        assert_eq!(displayed(-0.04, 1), -0.0);
    }
}
