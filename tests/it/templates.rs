//! `mognad templates export` writes templates that a designer can work on
//! with typst's own tools: compiled as the typst command line does (a plain
//! world over the exported folder, no inputs, nothing from mognad's
//! engine), they give the same pages and text as mognad's own PDF.

use std::path::{Path, PathBuf};

use crate::common::*;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// What `typst compile FILE --font-path FONTS --ignore-system-fonts` sees.
struct PlainWorld {
    root: PathBuf,
    main: FileId,
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl PlainWorld {
    fn new(root: &Path, main: &str, font_dir: &Path) -> PlainWorld {
        let mut fonts = Vec::new();
        let mut paths: Vec<PathBuf> = std::fs::read_dir(font_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "otf" || e == "ttf"))
            .collect();
        paths.sort();
        for p in paths {
            fonts.extend(Font::iter(Bytes::new(std::fs::read(p).unwrap())));
        }
        PlainWorld {
            root: root.to_path_buf(),
            main: id(main),
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    }

    fn read(&self, id: FileId) -> FileResult<Vec<u8>> {
        let path = id
            .vpath()
            .realize(&self.root)
            .map_err(|_| FileError::AccessDenied)?;
        std::fs::read(&path).map_err(|e| FileError::from_io(e, &path))
    }
}

fn id(name: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(name).unwrap()).intern()
}

impl World for PlainWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        let text = String::from_utf8(self.read(id)?).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text))
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        Ok(Bytes::new(self.read(id)?))
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }
    fn today(&self, _: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn exported_templates_compile_on_their_own_like_mognads_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_tree(&input_sample(), &input);
    let o = mognad(["templates", "export", "tpl"]).dir(tmp.path()).run();
    assert!(o.status.success(), "{}", stderr(&o));
    let tpl = tmp.path().join("tpl");
    for f in [
        "lib.typ",
        "organisation.typ",
        "unit.typ",
        "organisation.json",
        "unit.json",
        "brief.typ",
        "brief.json",
        "logo.svg",
    ] {
        assert!(tpl.join(f).is_file(), "{f} not exported");
    }
    let exported: Vec<(String, Vec<u8>)> = snapshot(&tpl).into_iter().collect();
    let (_run, out) = run_ok(&input, &[]);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("2025/manifest.json")).unwrap()).unwrap();
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/defaults/fonts");
    let unit_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tpl.join("unit.json")).unwrap()).unwrap();
    let unit = unit_json["report"]["unit"].as_str().unwrap();
    for (main, kind, unit) in [
        ("organisation.typ", "organisation_report", None),
        ("unit.typ", "unit_report", Some(unit)),
    ] {
        let world = PlainWorld::new(&tpl, main, &fonts);
        let doc = typst::compile::<typst_layout::PagedDocument>(&world)
            .output
            .unwrap_or_else(|e| panic!("{main} does not compile on its own: {e:?}"));
        let pdf = typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).unwrap();
        let stock = tmp.path().join(format!("{main}.pdf"));
        std::fs::write(&stock, pdf).unwrap();
        let file = manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["kind"] == kind && f["unit"].as_str() == unit)
            .unwrap();
        assert_eq!(
            doc.pages().len() as u64,
            file["pages"].as_u64().unwrap(),
            "{main}: pages"
        );
        // the benchmark's "typst alone" compiles the same files the same way
        assert_eq!(
            mognad::render::Renderer::compile_exported(&exported, main).unwrap(),
            doc.pages().len(),
            "{main}: typst alone in the benchmark"
        );
        let ours = pdf_text(&out.join("2025").join(file["path"].as_str().unwrap()));
        assert_eq!(words(&pdf_text(&stock)), words(&ours), "{main}: text");
    }
    // the first proposal's brief, as `mognad brief` writes it
    let world = PlainWorld::new(&tpl, "brief.typ", &fonts);
    let doc = typst::compile::<typst_layout::PagedDocument>(&world)
        .output
        .unwrap_or_else(|e| panic!("brief.typ does not compile on its own: {e:?}"));
    assert_eq!(doc.pages().len(), 1);
    let stock = tmp.path().join("brief.pdf");
    std::fs::write(
        &stock,
        typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).unwrap(),
    )
    .unwrap();
    let briefs = tmp.path().join("briefs");
    let o = mognad(["brief", "--id", "P2026-01"])
        .output(&briefs)
        .dir(tmp.path())
        .run();
    assert!(o.status.success(), "{}", stderr(&o));
    let ours = pdf_text(&briefs.join("briefs/P2026-01.pdf"));
    assert_eq!(words(&pdf_text(&stock)), words(&ours), "brief.typ: text");
}

#[test]
fn a_multi_organisation_input_exports_its_first_organisations_unit_report_too() {
    let (_, unit) = exported_reports(&fixture("multi"));
    assert!(
        unit["unit"].as_str().is_some_and(|u| !u.is_empty()),
        "unit.json names no unit"
    );
}
