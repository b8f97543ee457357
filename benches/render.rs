//! Rendering benchmark: where the time of a report goes, on the sample
//! municipality (1 organisation report + 7 unit reports).
//!
//! Run: `cargo bench --bench render`. It times, per report, (a) building the
//! report model, (b) turning it into typst inputs, and (c) typst's own
//! compile and PDF export of the same template and data. mognad's overhead
//! is (a + b) / c; the target is under 30 %.

use std::path::PathBuf;
use std::time::Instant;

use mognad::format::Lang;
use mognad::lang::Texts;
use mognad::pipeline::{documents, load, Options};
use mognad::render::Renderer;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let input = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("input");
    let loaded = load(&Options {
        input: input.clone(),
        ..Options::default()
    })
    .expect("the sample loads");
    let texts = Texts::new(Lang::Sv);
    let year = *loaded.years().last().unwrap();
    let logo = loaded
        .config
        .branding
        .logo
        .as_ref()
        .map(|l| loaded.config.resolve(l));
    let renderer = Renderer::new(None, logo.as_deref()).unwrap();
    let (mut model, mut inputs, mut typst) = (Vec::new(), Vec::new(), Vec::new());
    let mut reports = 0;
    for round in 0..6 {
        // every round from a cold cache, as a yearly run compiles each
        // report once (typst would otherwise reuse the identical layouts)
        typst::comemo::evict(0);
        let t = Instant::now();
        let docs = documents(&loaded, &texts, year).expect("the report models");
        let t_model = t.elapsed().as_secs_f64();
        let (mut t_inputs, mut t_typst) = (0.0, 0.0);
        for (template, doc) in &docs {
            let t = Instant::now();
            let dict = renderer.inputs(doc).unwrap();
            t_inputs += t.elapsed().as_secs_f64();
            let t = Instant::now();
            let (pdf, _) = renderer
                .compile(template, dict, doc.header.date_ymd, "bench")
                .unwrap();
            t_typst += t.elapsed().as_secs_f64();
            assert!(pdf.len() > 1000);
        }
        reports = docs.len();
        if round > 0 {
            // the first round pays one-off costs (fonts, parsing) and is left out
            model.push(t_model);
            inputs.push(t_inputs);
            typst.push(t_typst);
        }
    }
    let (m, i, c) = (median(model), median(inputs), median(typst));
    println!(
        "render: {reports} reports; per report: model {:.1} ms, inputs {:.1} ms, typst compile + PDF {:.1} ms; mognad's overhead {:.1} % of typst's time (target < 30 %)",
        1000.0 * m / reports as f64,
        1000.0 * i / reports as f64,
        1000.0 * c / reports as f64,
        100.0 * (m + i) / c
    );
}
