//! `mognad synth`: a realistic, deterministic input folder for benchmarks
//! and demos: survey exports (one CSV per year with an organisation column),
//! an initiative register and a benchmark file. The same seed gives the same
//! files.

use std::fmt::Write as _;
use std::path::Path;

use crate::error::{IoContext, Result};
use crate::model::Model;

/// A small deterministic generator (splitmix64), for synthetic data and
/// the fuzz harness.
pub struct Rng(pub u64);

impl Rng {
    /// The next number (splitmix64).
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        crate::analyse::effects::splitmix64(&mut self.0)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Roughly normal (sum of uniforms), mean 0, sd 1.
    fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.unit()).sum::<f64>() - 6.0
    }

    /// Uniform in 0..n (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const UNITS: [&str; 10] = [
    "Kommunledning",
    "Barn och utbildning",
    "Socialtjänst",
    "Vård och omsorg",
    "Samhällsbyggnad",
    "Kultur och fritid",
    "Miljö",
    "Service",
    "Ekonomi",
    "HR",
];
const ROLES: [&str; 6] = [
    "Ledning",
    "Chef",
    "Verksamhetsutvecklare",
    "Strateg",
    "IT",
    "Medarbetare",
];

/// What `mognad synth` generates.
pub struct Spec {
    /// Organisations.
    pub orgs: usize,
    /// Respondents per organisation and year.
    pub respondents: usize,
    /// Survey years, ending with 2025.
    pub years: usize,
    /// The random seed: the same seed gives the same files.
    pub seed: u64,
    /// Units per organisation; default: 4 to 10, varying by organisation.
    pub units: Option<usize>,
    /// Initiatives in the register, spread over the years; with several
    /// organisations, per organisation (the register then has an
    /// organisation column).
    pub initiatives: usize,
    /// Proposals (status "Förslag") for the year after the last survey,
    /// after the initiatives: what `mognad brief` assesses.
    pub proposals: usize,
}

/// The name of unit `i`: the ten common ones first, then numbered ones.
fn unit_name(i: usize) -> String {
    match UNITS.get(i) {
        Some(name) => (*name).to_string(),
        None => format!("Enhet {:02}", i + 1),
    }
}

/// The counties organisations are spread over.
const COUNTIES: [&str; 8] = [
    "Stockholm",
    "Uppsala",
    "Västra Götaland",
    "Skåne",
    "Östergötland",
    "Jönköping",
    "Västerbotten",
    "Norrbotten",
];

/// SKR's municipal groups (a selection).
const MUNICIPAL_GROUPS: [&str; 5] = [
    "A1 Storstäder",
    "A2 Pendlingskommun nära storstad",
    "B3 Större stad",
    "B5 Lågpendlingskommun nära större stad",
    "C9 Landsbygdskommun med besöksnäring",
];

/// The organisations file of a national input: mostly municipalities of
/// every size class, some regions and agencies, spread over the counties;
/// most share their initiatives. Its own random stream (from the seed), so
/// that the answers are the same with or without it.
fn organisations_file(names: &[String], seed: u64) -> String {
    let mut rng = Rng(seed ^ 0x6f72_6761_6e69_7361);
    let mut text = String::from("Organisation;Typ;Invånare;Län;Kommungrupp;Dela_initiativ\n");
    for name in names {
        let kind = *rng.pick(&[
            "kommun",
            "kommun",
            "kommun",
            "kommun",
            "kommun",
            "kommun",
            "region",
            "myndighet",
        ]);
        // sizes from about 2 500 to 900 000, evenly on a log scale
        let size = (2500.0 * (360.0_f64).powf(rng.unit())).round() as u64;
        let county = *rng.pick(&COUNTIES);
        let group = if kind == "kommun" {
            *rng.pick(&MUNICIPAL_GROUPS)
        } else {
            ""
        };
        let share = if rng.below(10) < 7 { "ja" } else { "nej" };
        let _ = writeln!(text, "{name};{kind};{size};{county};{group};{share}");
    }
    text
}

/// Initiatives as offices name them, for the registers of a national
/// input.
const INITIATIVES: [&str; 16] = [
    "E-tjänst för ansökan",
    "Digital signering",
    "Gemensam ärendehantering",
    "Automatiserad fakturahantering",
    "Kompetenslyft digitalisering",
    "Öppna data-portal",
    "Invånarpanel för tjänsteutveckling",
    "Ny intranätplattform",
    "Välfärdsteknik i hemtjänsten",
    "Informationssäkerhetsprogram",
    "Dataplattform för uppföljning",
    "Innovationslabb",
    "Digital närvaro i skolan",
    "Chattfunktion för kontaktcenter",
    "Robotiserad processautomation",
    "Digital samverkan med näringslivet",
];

/// The register of a national input: `spec.initiatives` initiatives per
/// organisation over the years, each with an organisation column. Its own
/// random stream, so that the answers are the same with or without it.
fn national_register(org_names: &[String], spec: &Spec, model: &Model) -> String {
    let mut rng = Rng(spec.seed ^ 0x7265_6769_7374_6572);
    let first_year = 2026 - spec.years as i32;
    let per_year = spec.initiatives.div_ceil(spec.years.max(1));
    let mut reg = String::from("Organisation;Id;Namn;Status;Budget;Stärker;Effektivitet-innovation;Operativ-strategisk;Intern-extern;År\n");
    for (o, org) in org_names.iter().enumerate() {
        // each organisation leans toward a few categories of its own
        let focus: Vec<&str> = (0..3)
            .map(|_| rng.pick(&model.categories).code.as_str())
            .collect();
        for y in 0..spec.years {
            let year = first_year + y as i32;
            let last = y + 1 == spec.years;
            for i in 0..per_year.min(spec.initiatives.saturating_sub(y * per_year)) {
                let category = *rng.pick(&focus);
                let of_category: Vec<&str> = model
                    .statements
                    .iter()
                    .filter(|s| s.category == category)
                    .map(|s| s.code.as_str())
                    .collect();
                let statement = *rng.pick(&of_category);
                let status = if last {
                    *rng.pick(&["Pågående", "Pågående", "Planerad"])
                } else {
                    "Genomförd"
                };
                let _ = writeln!(
                    reg,
                    "{org};O{o:04}-{year}-{i:02};{};{status};{};{statement};{};{};{};{year}",
                    rng.pick(&INITIATIVES),
                    (1 + rng.next() % 40) * 100_000,
                    *rng.pick(&[-2, -2, -1, -1, 0, 1, 2]),
                    *rng.pick(&[-2, -1, 0, 1, 2]),
                    *rng.pick(&[-2, -1, 0, 1, 2]),
                );
            }
        }
    }
    reg
}

/// The benchmark file: a national total per year.
fn benchmark_file(first_year: i32, years: usize) -> String {
    let mut bench = String::from("year,population,level,key,index\n");
    for y in 0..years {
        let _ = writeln!(
            bench,
            "{},alla,total,total,{:.1}",
            first_year + y as i32,
            47.0 + y as f64
        );
    }
    bench
}

/// The config of every synthetic input.
const SYNTH_CONFIG: &str = "# Generated by `mognad synth`: fictional organisations and answers.\n[organisation]\nname = \"Syntetisk organisation\"\n";

/// Writes the input folder; returns the number of answers written.
pub fn write(out: &Path, spec: &Spec) -> Result<usize> {
    let model = Model::builtin();
    let mut rng = Rng(spec.seed);
    let first_year = 2026 - spec.years as i32;
    let org_names: Vec<String> = (1..=spec.orgs)
        .map(|i| format!("Organisation {i:04}"))
        .collect();
    let org_effect: Vec<f64> = org_names.iter().map(|_| 0.5 * rng.normal()).collect();
    let cat_effect: Vec<f64> = model
        .categories
        .iter()
        .map(|_| 0.4 * rng.normal())
        .collect();
    let write_file = |path: &Path, text: &str| -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).at(dir)?;
        }
        std::fs::write(path, text).at(path)
    };
    let mut answers = 0;
    for y in 0..spec.years {
        let year = first_year + y as i32;
        let mut csv = String::from("organisation;respondent;enhet;roll");
        for s in &model.statements {
            csv.push(';');
            csv.push_str(&s.code);
        }
        csv.push('\n');
        for (o, org) in org_names.iter().enumerate() {
            let units = spec.units.unwrap_or(4 + (o % 7)).max(1);
            for r in 0..spec.respondents {
                let unit = unit_name(r % units);
                let role = *rng.pick(&ROLES);
                let person = 0.45 * rng.normal() + if role == "Ledning" { 0.5 } else { 0.0 };
                let _ = write!(csv, "{org};R{year}-{o:04}-{r:05};{unit};{role}");
                for s in &model.statements {
                    let c = model
                        .categories
                        .iter()
                        .position(|c| c.code == s.category)
                        .unwrap_or(0);
                    let mu = 3.6 + org_effect[o] + cat_effect[c] + person + 0.12 * y as f64;
                    let cell = if rng.unit() < 0.04 {
                        "vet ej".to_string()
                    } else {
                        ((mu + 0.9 * rng.normal()).round().clamp(1.0, 6.0) as i64).to_string()
                    };
                    csv.push(';');
                    csv.push_str(&cell);
                    answers += 1;
                }
                csv.push('\n');
            }
        }
        write_file(&out.join(format!("{year}/enkat-{year}.csv")), &csv)?;
    }
    let bench = benchmark_file(first_year, spec.years);
    write_file(&out.join("benchmark.csv"), &bench)?;
    // register: a few initiatives per year, skewed toward efficiency
    let mut reg = String::from("Id;Namn;Förvaltning;Status;Budget;Stärker;Effektivitet-innovation;Operativ-strategisk;Intern-extern;År\n");
    let units = spec.units.unwrap_or(4).max(1);
    let per_year = spec.initiatives.div_ceil(spec.years);
    for y in 0..spec.years {
        for i in 0..per_year.min(spec.initiatives - (y * per_year).min(spec.initiatives)) {
            let s = rng.pick(&model.statements).code.clone();
            let eff = *rng.pick(&[-2, -2, -1, -1, 0, 1, 2]);
            let _ = writeln!(
                reg,
                "I{}-{i:03};Initiativ {i};{};{};{};{s};{eff};{};{};{}",
                first_year + y as i32,
                unit_name(i % units),
                rng.pick(&["Genomförd", "Pågående", "Planerad"]),
                (1 + rng.next() % 40) * 100_000,
                *rng.pick(&[-2, -1, 0, 1, 2]),
                *rng.pick(&[-2, -1, 0, 1, 2]),
                first_year + y as i32
            );
        }
    }
    let next = first_year + spec.years as i32;
    for i in 0..spec.proposals {
        let s = rng.pick(&model.statements).code.clone();
        let _ = writeln!(
            reg,
            "P{next}-{i:02};Förslag {i};{};Förslag;{};{s};{};{};{};{next}",
            unit_name(i % units),
            (1 + rng.next() % 40) * 100_000,
            *rng.pick(&[-2, -1, 0, 1, 2]),
            *rng.pick(&[-2, -1, 0, 1, 2]),
            *rng.pick(&[-2, -1, 0, 1, 2]),
        );
    }
    if spec.orgs > 1 {
        write_file(
            &out.join("organisationer.csv"),
            &organisations_file(&org_names, spec.seed),
        )?;
    }
    if spec.orgs == 1 {
        write_file(&out.join("initiativ.csv"), &reg)?;
    } else if spec.initiatives > 0 {
        let reg = national_register(&org_names, spec, &model);
        write_file(&out.join("initiativ.csv"), &reg)?;
    }
    write_file(
        &out.join("mognad.toml"),
        &if spec.orgs > 1 {
            format!("{SYNTH_CONFIG}\n[overview]\n# the national goal\ntarget = 55\n")
        } else {
            SYNTH_CONFIG.to_string()
        },
    )?;
    Ok(answers)
}
