//! Rendering: the report model into PDF with typst-as-lib. One engine (fonts
//! and template sources parsed once) serves every report of a run.
//!
//! Built-in templates live in `report-templates/` of the source tree and are
//! embedded in the binary; a template folder given by the config (or
//! `./report-templates` when present) overrides them file by file.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Dict, Smart, Value};
use typst::{World, WorldExt};
use typst_as_lib::TypstEngine;
use typst_html::{HtmlDocument, HtmlOptions};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::error::{Error, IoContext, Location, Result};
use crate::report::Printable;

pub mod layout;
mod pool;
mod web;
pub use pool::{render_all, Job};
pub use web::{BUILTIN_STYLE, WEB_STYLE_FILE};

/// The report templates that are not a section's.
const BASE_TEMPLATES: [(&str, &str); 6] = [
    ("lib.typ", include_str!("../../report-templates/lib.typ")),
    (
        "brief.typ",
        include_str!("../../report-templates/brief.typ"),
    ),
    (
        "overview.typ",
        include_str!("../../report-templates/overview.typ"),
    ),
    (
        "organisation.typ",
        include_str!("../../report-templates/organisation.typ"),
    ),
    ("unit.typ", include_str!("../../report-templates/unit.typ")),
    (
        "index.typ",
        include_str!("../../report-templates/index.typ"),
    ),
];

/// Every built-in template by its path in the template folder: the base
/// templates, `sections.typ` (made from the list of sections) and each
/// section's own, `sections/<name>.typ`.
pub fn templates() -> Vec<(String, Cow<'static, str>)> {
    use crate::report::sections::{dispatch_template, template_names, SECTIONS};
    BASE_TEMPLATES
        .iter()
        .map(|(name, text)| (name.to_string(), Cow::Borrowed(*text)))
        .chain([("sections.typ".to_string(), Cow::Owned(dispatch_template()))])
        .chain(
            SECTIONS
                .iter()
                .map(|s| (template_names(*s).0, Cow::Borrowed(s.template()))),
        )
        .collect()
}

/// Fonts embedded in the binary and in every PDF (never system fonts).
pub(crate) const FONTS: [&[u8]; 4] = [
    include_bytes!("../defaults/fonts/Inter-Regular.otf"),
    include_bytes!("../defaults/fonts/Inter-Italic.otf"),
    include_bytes!("../defaults/fonts/Inter-SemiBold.otf"),
    include_bytes!("../defaults/fonts/Inter-Bold.otf"),
];

/// comemo's cache is process-wide: keep recent entries, drop older ones.
const EVICT_MAX_AGE: usize = 4;

/// The file `name` of the template folder that overrides a built-in one
/// (`what` it is, for the error), with its path, if there is one.
fn overriding(dir: Option<&Path>, name: &str, what: &str) -> Result<Option<(PathBuf, String)>> {
    let Some(dir) = dir else { return Ok(None) };
    let path = dir.join(name);
    if !path.is_file() {
        return Ok(None);
    }
    confined(dir, &path)?;
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::input(
            Location::file(&path),
            format!("cannot read the {what}: {e}"),
        )
    })?;
    Ok(Some((path, text)))
}

/// A template file must lie in the template folder: a link out of it is
/// refused. (Templates read nothing else: typst sees only the templates
/// and the logo, never the file system.)
fn confined(dir: &Path, file: &Path) -> Result<()> {
    let inside = match (std::fs::canonicalize(dir), std::fs::canonicalize(file)) {
        (Ok(d), Ok(f)) => f.starts_with(d),
        _ => false,
    };
    if inside {
        Ok(())
    } else {
        Err(Error::input(
            Location::file(file),
            "leads out of the template folder (a symbolic link?); templates are read only from that folder",
        ))
    }
}

/// The typst engine with the templates, fonts and assets loaded once, shared by
/// every report of a run.
pub struct Renderer {
    engine: TypstEngine,
    /// For error messages: where each template came from.
    origins: Vec<(String, PathBuf)>,
    /// The logo's virtual file name, when there is one.
    logo: Option<String>,
    /// PDF/UA-1: Swedish public bodies must publish accessible documents.
    standards: PdfStandards,
    /// The web edition's style sheet with its fonts, when reports also get
    /// an HTML file (`[report] formats`).
    web: Option<String>,
}

/// One rendered document: the PDF, its pages and, when the run asks for
/// the web edition, the same document as one self-contained HTML file.
pub struct Rendered {
    /// The PDF.
    pub pdf: Vec<u8>,
    /// The PDF's number of pages.
    pub pages: usize,
    /// The web edition, when the renderer was built `with_web`.
    pub html: Option<Vec<u8>>,
    /// Why the web edition failed, when it did (the PDF is still there).
    pub web_failed: Option<String>,
}

/// Every text of the report model with its direction controls kept within
/// it ([`crate::format::isolate`]): a name from the data cannot turn the
/// PDF's or the web page's words after it around.
fn isolate_strings(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => {
            if let std::borrow::Cow::Owned(isolated) = crate::format::isolate(s) {
                *s = isolated;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(isolate_strings),
        serde_json::Value::Object(map) => map.values_mut().for_each(isolate_strings),
        _ => {}
    }
}

impl Renderer {
    /// Builds the engine; templates found in `override_dir` replace the
    /// built-in ones of the same name.
    /// `logo` is the organisation's logo file (SVG or PNG), if any.
    pub fn new(override_dir: Option<&Path>, logo: Option<&Path>) -> Result<Self> {
        let mut sources: Vec<(String, String)> = Vec::new();
        let mut origins = Vec::new();
        for (name, builtin) in templates() {
            let (origin, text) = match overriding(override_dir, &name, "template")? {
                Some(found) => found,
                None => (
                    PathBuf::from(format!("<built-in {name}>")),
                    builtin.to_string(),
                ),
            };
            origins.push((name.clone(), origin));
            sources.push((name, text));
        }
        let mut files: Vec<(&'static str, Vec<u8>)> = Vec::new();
        let mut logo_name = None;
        if let Some(path) = logo {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if !["svg", "png"].contains(&ext.as_str()) {
                return Err(Error::input(
                    Location::file(path),
                    "the logo must be an SVG or PNG file",
                ));
            }
            let bytes = std::fs::read(path).map_err(|e| {
                Error::input(Location::file(path), format!("cannot read the logo: {e}"))
            })?;
            let name = if ext == "svg" { "logo.svg" } else { "logo.png" };
            files.push((name, bytes));
            logo_name = Some(name.to_string());
        }
        let engine = TypstEngine::builder()
            .with_static_source_file_resolver(
                sources
                    .iter()
                    .map(|(name, text)| (name.as_str(), text.clone())),
            )
            .with_static_file_resolver(files)
            .fonts(FONTS)
            .build();
        Ok(Renderer {
            engine,
            origins,
            logo: logo_name,
            standards: ua1()?,
            web: None,
        })
    }

    /// Renders every document's web edition as well, styled by `web.css`
    /// from `override_dir` when there is one (else the built-in sheet).
    pub fn with_web(mut self, override_dir: Option<&Path>) -> Result<Self> {
        self.web = Some(web::style(override_dir)?);
        Ok(self)
    }

    /// Renders one report with the template `main` ("organisation.typ" or
    /// "unit.typ"). `ident` is a stable document identifier.
    /// Returns the PDF, its number of pages and, when asked for, the web
    /// edition; a web edition that fails leaves the PDF (`web_failed`).
    pub fn render(&self, main: &str, doc: &impl Printable, ident: &str) -> Result<Rendered> {
        let inputs = self.inputs(doc)?;
        let (pdf, pages) = self.compile(main, inputs.clone(), doc.header().date_ymd, ident)?;
        // second, with the same inputs: typst evaluates the report once
        // for both (the templates choose the edition in context)
        let (mut html, mut web_failed) = (None, None);
        if let Some(style) = &self.web {
            match self.compile_html(main, inputs, style) {
                Ok(page) => html = Some(page),
                Err(e) => web_failed = Some(format!("web edition: {e}")),
            }
        }
        Ok(Rendered {
            pdf,
            pages,
            html,
            web_failed,
        })
    }

    /// Whether documents get a web edition too.
    pub fn has_web(&self) -> bool {
        self.web.is_some()
    }

    /// The web edition alone (an index page has no PDF).
    pub fn render_html(&self, main: &str, doc: &impl Printable) -> Result<Vec<u8>> {
        let style = self.web.as_deref().ok_or_else(|| {
            Error::internal("rendering a web page", "the renderer has no web edition")
        })?;
        self.compile_html(main, self.inputs(doc)?, style)
    }

    /// Compiles `main` for HTML (`target()` is "html") and puts the style
    /// sheet into the page's head.
    fn compile_html(&self, main: &str, inputs: Dict, style: &str) -> Result<Vec<u8>> {
        let world = self.world(main, inputs)?;
        let result = typst::compile::<HtmlDocument>(&world);
        typst::comemo::evict(EVICT_MAX_AGE);
        let document = result
            .output
            .map_err(|diags| Error::Render(self.describe(&world, &diags)))?;
        let html = typst_html::html(&document, &HtmlOptions::default())
            .map_err(|diags| Error::Render(self.describe(&world, diags.as_slice())))?;
        Ok(web::with_style(&html, style).into_bytes())
    }

    fn world(&self, main: &str, inputs: Dict) -> Result<typst_as_lib::TypstWorld<'_>> {
        self.engine
            .world_builder(main)
            .with_inputs(inputs)
            .build()
            .map_err(|e| Error::Render(format!("{main}: {e}")))
    }

    /// The report model as typst inputs (`sys.inputs`).
    pub fn inputs(&self, doc: &impl Printable) -> Result<Dict> {
        let mut json = serde_json::to_value(doc)
            .map_err(|e| Error::internal("passing the report to the template", e))?;
        isolate_strings(&mut json);
        let value: Value = serde_json::from_value(json)
            .map_err(|e| Error::internal("passing the report to the template", e))?;
        let mut inputs = Dict::new();
        inputs.insert("report".into(), value);
        inputs.insert(
            "logo".into(),
            self.logo
                .clone()
                .map(|l| Value::Str(l.into()))
                .unwrap_or(Value::None),
        );
        Ok(inputs)
    }

    /// typst's part: compile the template with prepared inputs and write
    /// the PDF (timestamp from the report date).
    pub fn compile(
        &self,
        main: &str,
        inputs: Dict,
        date_ymd: [u32; 3],
        ident: &str,
    ) -> Result<(Vec<u8>, usize)> {
        let world = self.world(main, inputs)?;
        let document = self.lay_out(&world)?;
        let [y, m, d] = date_ymd;
        let options = PdfOptions {
            ident: Smart::Custom(ident.to_string()),
            timestamp: Datetime::from_ymd(y as i32, m as u8, d as u8).map(Timestamp::new_utc),
            standards: self.standards.clone(),
            ..PdfOptions::default()
        };
        let pages = document.pages().len();
        typst_pdf::pdf(&document, &options)
            .map(|pdf| (pdf, pages))
            .map_err(|diags| Error::Render(self.describe(&world, diags.as_slice())))
    }

    /// A document laid out as its PDF would be, for checks of where its
    /// text stands ([`layout::text_boxes`]).
    pub fn layout(&self, main: &str, doc: &impl Printable) -> Result<PagedDocument> {
        let world = self.world(main, self.inputs(doc)?)?;
        self.lay_out(&world)
    }

    fn lay_out(&self, world: &typst_as_lib::TypstWorld<'_>) -> Result<PagedDocument> {
        let result = typst::compile::<PagedDocument>(world);
        // with a web edition to follow, its compile evicts for both
        if self.web.is_none() {
            typst::comemo::evict(EVICT_MAX_AGE);
        }
        result
            .output
            .map_err(|diags| Error::Render(self.describe(world, &diags)))
    }

    /// typst alone, for the benchmark's comparison: compiles `main` from the
    /// files `mognad templates export` writes (templates and the report's
    /// data as JSON, no `sys.inputs`), in a fresh engine with the same
    /// fonts, PDF/UA-1, cache eviction and compile as a run, as the stock
    /// compiler would. Returns the PDF's number of pages.
    pub fn compile_exported(files: &[(String, Vec<u8>)], main: &str) -> Result<usize> {
        let (sources, data): (Vec<_>, Vec<_>) =
            files.iter().partition(|(name, _)| name.ends_with(".typ"));
        let engine =
            TypstEngine::builder()
                .with_static_source_file_resolver(sources.into_iter().map(|(name, text)| {
                    (name.as_str(), String::from_utf8_lossy(text).into_owned())
                }))
                .with_static_file_resolver(
                    data.into_iter()
                        .map(|(name, bytes)| (name.as_str(), bytes.clone())),
                )
                .fonts(FONTS)
                .build();
        let alone = Renderer {
            engine,
            origins: files
                .iter()
                .map(|(name, _)| (name.clone(), PathBuf::from(name)))
                .collect(),
            logo: None,
            standards: ua1()?,
            web: None,
        };
        // no inputs: the templates read the report's data from the files
        let (_, pages) = alone.compile(main, Dict::new(), [2026, 1, 1], main)?;
        Ok(pages)
    }

    /// The first error as "template:line:column: message"; later errors
    /// mostly follow from the first (an unclosed bracket), so they are
    /// only counted.
    fn describe(&self, world: &dyn World, diags: &[SourceDiagnostic]) -> String {
        let errors: Vec<&SourceDiagnostic> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let Some(d) = errors.first() else {
            return "the template failed without a message".into();
        };
        let place = d.span.id().and_then(|id| {
            let source = world.source(id).ok()?;
            let range = world.range(d.span)?;
            let (line, col) = source.lines().byte_to_line_column(range.start)?;
            let name = id.vpath().get_without_slash().to_string();
            let origin = self
                .origins
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, p)| p.display().to_string())
                .unwrap_or(name);
            Some(format!("{origin}:{}:{}", line + 1, col + 1))
        });
        let mut msg = format!(
            "{}: {}",
            place.unwrap_or_else(|| "template".into()),
            d.message
        );
        for hint in &d.hints {
            msg.push_str(&format!(" (hint: {})", hint.v));
        }
        if errors.len() > 1 {
            msg.push_str(&format!(
                " (and {} more error(s) that may follow from it)",
                errors.len() - 1
            ));
        }
        msg
    }
}

/// PDF/UA-1: Swedish public bodies must publish accessible documents.
fn ua1() -> Result<PdfStandards> {
    PdfStandards::new(&[PdfStandard::Ua_1])
        .map_err(|e| Error::internal("PDF/UA-1 is not available", e.message()))
}

/// Writes typst's own timings (`typst_timing`, recording since
/// `typst_timing::enable`) as a Chrome trace, each timed scope with its
/// template file and line: the templates' profile
/// (`tools/typst-timings.py` sums it by line).
pub fn write_timings(path: &Path) -> Result<()> {
    use typst::syntax::{RootedPath, Source, Span, VirtualPath, VirtualRoot};
    let sources: Vec<Source> = templates()
        .into_iter()
        .filter_map(|(name, text)| {
            let path = VirtualPath::new(&name).ok()?;
            let id = RootedPath::new(VirtualRoot::Project, path).intern();
            Some(Source::new(id, text.to_string()))
        })
        .collect();
    let file = std::fs::File::create(path).at(path)?;
    typst_timing::export_json(std::io::BufWriter::new(file), |raw| {
        let span = Span::from_raw(raw);
        span.id()
            .and_then(|id| sources.iter().find(|s| s.id() == id))
            .and_then(|s| {
                let start = s.find(span)?.offset();
                let line = s.lines().byte_to_line(start)? + 1;
                Some((s.id().vpath().get_without_slash().to_string(), line as u32))
            })
            .unwrap_or_default()
    })
    .map_err(|e| Error::output(path, std::io::Error::other(e)))
}
