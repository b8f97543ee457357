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
        Some((_, text)) => text,
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

/// `html` with `style` as a `<style>` element at the end of its head.
/// A sheet cannot close the element early: `</` inside it is escaped.
pub fn with_style(html: &str, style: &str) -> String {
    let safe = style.replace("</", "<\\/");
    match html.find("</head>") {
        Some(at) => format!("{}<style>{safe}</style>{}", &html[..at], &html[at..]),
        None => html.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_style_goes_at_the_end_of_the_head() {
        let html = "<html><head><title>T</title></head><body></body></html>";
        assert_eq!(
            with_style(html, "p{color:red}"),
            "<html><head><title>T</title><style>p{color:red}</style></head><body></body></html>"
        );
    }

    #[test]
    fn a_sheet_cannot_close_the_style_element() {
        let out = with_style("<head></head>", "a{}</style><script>x</script>");
        assert!(!out.contains("</style><script>"), "{out}");
        assert_eq!(out.matches("</style>").count(), 1);
    }

    #[test]
    fn the_built_in_sheet_carries_the_fonts() {
        let css = style(None).unwrap();
        assert_eq!(css.matches("@font-face").count(), 3);
        assert!(css.contains("font-weight:600"));
        assert!(css.ends_with(BUILTIN_STYLE));
    }
}
