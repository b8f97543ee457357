//! The web edition's page furniture: the house style sheet (`web.css`,
//! overridable like the templates) and the fonts, inlined into every HTML
//! file so that it needs no other file and asks no other host.

use std::path::Path;

use base64::Engine as _;

use crate::error::Result;

/// The style sheet's file name in the template folder.
pub const WEB_STYLE_FILE: &str = "web.css";

/// The built-in style sheet.
pub const BUILTIN_STYLE: &str = include_str!("../../report-templates/web.css");

/// Inter, subset to Latin and the report's symbols, as WOFF2 (see
/// `src/defaults/fonts/web/README.md`): (weight, file).
const WEB_FONTS: [(u16, &[u8]); 3] = [
    (
        400,
        include_bytes!("../defaults/fonts/web/Inter-Regular.woff2"),
    ),
    (
        600,
        include_bytes!("../defaults/fonts/web/Inter-SemiBold.woff2"),
    ),
    (
        700,
        include_bytes!("../defaults/fonts/web/Inter-Bold.woff2"),
    ),
];

/// The fonts as `@font-face` rules with data URLs, then the style sheet:
/// `web.css` from `override_dir` when it has one.
pub fn style(override_dir: Option<&Path>) -> Result<String> {
    let sheet = match super::overriding(override_dir, WEB_STYLE_FILE, "style sheet")? {
        Some((path, text)) => {
            if let Some((line, what)) = foreign_reference(&text) {
                return Err(crate::error::Error::input(
                    crate::error::Location::file(&path).row(line),
                    format!(
                        "{what}: the web edition asks no other host and needs no other file; embed images and fonts as data: URLs, or leave the rule out"
                    ),
                ));
            }
            text
        }
        None => BUILTIN_STYLE.to_string(),
    };
    let mut css = String::new();
    for (weight, bytes) in WEB_FONTS {
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        css.push_str(&format!(
            "@font-face{{font-family:\"Inter\";font-weight:{weight};font-style:normal;\
             src:url(data:font/woff2;base64,{data}) format(\"woff2\")}}\n"
        ));
    }
    css.push_str(&sheet);
    Ok(css)
}

/// The first reference in a style sheet to anything but itself, with its
/// line: an `@import`, a `url(...)` or an image function's string that is
/// not a `data:` URL or a fragment, and any `//` (another host) in a string.
/// Comments and CSS escapes are undone first, so that neither hides one.
fn foreign_reference(css: &str) -> Option<(usize, String)> {
    // comments out (kept as spaces, so that lines still count), read as a
    // browser reads them: "/*" inside a string starts no comment
    let mut plain = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (_, '\\') => {
                plain.push(c);
                plain.extend(chars.next());
            }
            (Some(q), _) if c == q || c == '\n' => {
                quote = None;
                plain.push(c);
            }
            (None, '"' | '\'') => {
                quote = Some(c);
                plain.push(c);
            }
            (None, '/') if chars.peek() == Some(&'*') => {
                chars.next();
                plain.push_str("  ");
                let mut last = ' ';
                for c in chars.by_ref() {
                    plain.push(if c == '\n' { '\n' } else { ' ' });
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            _ => plain.push(c),
        }
    }
    // escapes undone: "\75 rl(" and "u\rl(" are "url("
    let mut text = String::with_capacity(plain.len());
    let mut chars = plain.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.extend(c.to_lowercase());
            continue;
        }
        let mut hex = String::new();
        while hex.len() < 6 && chars.peek().is_some_and(char::is_ascii_hexdigit) {
            hex.extend(chars.next());
        }
        if hex.is_empty() {
            text.extend(chars.next().into_iter().flat_map(char::to_lowercase));
        } else {
            if chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            let c = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
            text.extend(c.unwrap_or('\u{fffd}').to_lowercase());
        }
    }
    let line_of = |at: usize| 1 + text[..at].matches('\n').count();
    if let Some(at) = text.find("@import") {
        return Some((line_of(at), "an @import".into()));
    }
    let local = |value: &str| {
        let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
        v.starts_with("data:") || v.starts_with('#')
    };
    for name in ["url(", "image(", "image-set(", "cross-fade(", "src("] {
        let mut from = 0;
        while let Some(i) = text[from..].find(name) {
            let at = from + i;
            let args = &text[at + name.len()..];
            let args = &args[..args.find(')').unwrap_or(args.len())];
            // url() takes one argument (a data: URL has commas); the
            // others a list, whose strings are addresses
            let mut list = args.split(if name == "url(" { '\u{0}' } else { ',' });
            if list.any(|a| {
                let a = a.trim();
                !a.is_empty() && (name == "url(" || a.starts_with(['"', '\''])) && !local(a)
            }) {
                return Some((
                    line_of(at),
                    format!(
                        "a reference to another file or host, {name}{})",
                        args.trim()
                    ),
                ));
            }
            from = at + name.len();
        }
    }
    // any string that names another host, wherever it stands
    for quote in ['"', '\''] {
        let mut parts = text.split(quote);
        let mut at = parts.next().map_or(0, |p| p.len() + 1);
        let mut inside = true;
        for part in parts {
            if inside && part.contains("//") && !local(part) {
                return Some((
                    line_of(at),
                    format!("a string that names another host, \"{part}\""),
                ));
            }
            at += part.len() + 1;
            inside = !inside;
        }
    }
    None
}

/// The page's content security policy: no script, and nothing from any
/// other file or host (styles inline, images and fonts as data: URLs), so
/// that the page asks no other host whatever a template or sheet says.
pub const CONTENT_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

/// `html` with its content security policy first in its head and `style`
/// as a `<style>` element at the end of it. A sheet cannot close the
/// element early: `</` inside it is escaped.
pub fn with_style(html: &str, style: &str) -> String {
    let safe = style.replace("</", "<\\/");
    let (Some(open), Some(close)) = (html.find("<head>"), html.find("</head>")) else {
        return html.to_string();
    };
    let open = open + "<head>".len();
    format!(
        "{}<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_POLICY}\">{}<style>{safe}</style>{}",
        &html[..open],
        &html[open..close],
        &html[close..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_style_goes_at_the_end_of_the_head() {
        let html = "<html><head><title>T</title></head><body></body></html>";
        assert_eq!(
            with_style(html, "p{color:red}"),
            format!("<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_POLICY}\"><title>T</title><style>p{{color:red}}</style></head><body></body></html>")
        );
    }

    #[test]
    fn a_sheet_cannot_close_the_style_element() {
        let out = with_style("<head></head>", "a{}</style><script>x</script>");
        assert!(!out.contains("</style><script>"), "{out}");
        assert_eq!(out.matches("</style>").count(), 1);
    }

    #[test]
    fn a_sheet_may_refer_to_nothing_outside_itself() {
        for bad in [
            "@import url(https://evil.example/x.css);",
            "@import 'x.css';",
            "@IMPORT \"x.css\";",
            "body { background: url(https://evil.example/p.png) }",
            "body { background: url( '//evil.example/p.png' ) }",
            "body { background: url(p.png) }",
            "body { background: u\\72l(https://evil.example/p.png) }",
            "body { background: \\75 rl(https://evil.example/p.png) }",
            "@im/**/port url(x.css);",
            "body { background-image: image-set(\"https://evil.example/a.png\" 1x) }",
            "@font-face { src: local(x), url(https://evil.example/f.woff2) }",
            // a "/*" in a string starts no comment
            "a::before{content:\"/*\"} body{background:url(https://evil.example/p.png)} /* x */",
        ] {
            assert!(foreign_reference(bad).is_some(), "{bad}");
        }
        for good in [
            BUILTIN_STYLE,
            "a { color: red } /* see https://example.org */",
            "b { background: url(data:image/png;base64,ab//cd==) }",
            "c { fill: url(#gradient) }",
            "d { content: \"→\" }",
        ] {
            assert_eq!(foreign_reference(good), None, "{good}");
        }
        assert_eq!(
            foreign_reference("a{}\nb{}\nc{background:url(http://x.example/i.png)}")
                .map(|(line, _)| line),
            Some(3)
        );
    }

    #[test]
    fn the_built_in_sheet_carries_the_fonts() {
        let css = style(None).unwrap();
        assert_eq!(css.matches("@font-face").count(), 3);
        assert!(css.contains("font-weight:600"));
        assert!(css.ends_with(BUILTIN_STYLE));
    }
}
