#!/usr/bin/env python3
"""Writes the sample input of the fictional municipality "Exempelby kommun".

Deterministic (fixed seed): running it again gives the committed files.
Usage: python3 tools/make-sample.py [input-folder]

The three years come in three export dialects on purpose:
  2023: comma-separated UTF-8
  2024: semicolon-separated Windows-1252 (what Swedish Excel writes)
  2025: semicolon-separated UTF-8 with BOM, CRLF, with a submit date column
"""
import os
import random
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "input"
rng = random.Random(20251)

CATS = {  # category -> (statements, effect on the 1-6 scale)
    "EFF": (["EF1", "EF2", "EF3", "EF4", "EF5"], 0.35),
    "INN": (["IN1", "IN2", "IN3", "IN4", "IN5"], -0.75),  # the weak category
    "BAL": (["BA1", "BA2", "BA3", "BA4", "BA5"], -0.15),
    "ORG": (["OR1", "OR2", "OR3", "OR4", "OR5"], 0.0),
    "ANV": (["AN1", "AN2", "AN3", "AN4", "AN5"], 0.2),
    "TEK": (["TE1", "TE2", "TE3", "TE4", "TE5"], -0.3),
}
# unit -> (respondents per year, effect)
UNITS = {
    "Kommunledningsförvaltningen": (26, 0.35),
    "Barn- och utbildningsförvaltningen": (38, -0.1),
    "Socialförvaltningen": (33, -0.25),
    "Vård- och omsorgsförvaltningen": (29, -0.35),
    "Samhällsbyggnadsförvaltningen": (22, 0.15),
    "Kultur- och fritidsförvaltningen": (12, 0.05),
    "Miljö- och hälsoskyddskontoret": (9, -0.05),
    "Servicecenter": (15, 0.25),
    "Överförmyndarkansliet": (3, 0.0),  # below the anonymity threshold
}
# role -> (share, effect): leadership rates higher than staff
ROLES = [("Ledning", 0.12, 0.55), ("Chef", 0.25, 0.25), ("Verksamhetsutvecklare", 0.15, 0.0),
         ("Strateg", 0.08, 0.05), ("IT", 0.1, 0.1), ("Medarbetare", 0.3, -0.35)]
YEARS = {2023: -0.25, 2024: -0.05, 2025: 0.12}
UNCLEAR = {"TE3": 0.14, "BA1": 0.12, "OR4": 0.10}  # items with many "vet ej"
ITEM = {s: rng.gauss(0, 0.2) for stmts, _ in CATS.values() for s in stmts}


def role():
    x, acc = rng.random(), 0.0
    for name, share, effect in ROLES:
        acc += share
        if x <= acc:
            return name, effect
    return ROLES[-1][0], ROLES[-1][2]


def rows(year):
    out = []
    i = 0
    for unit, (n, ueff) in UNITS.items():
        n = max(1, n + rng.randint(-2, 2)) if n > 5 else n
        for _ in range(n):
            i += 1
            rname, reff = role()
            person = rng.gauss(0, 0.45)
            answers = {}
            for cat, (stmts, ceff) in CATS.items():
                # innovation improves slowly, technology catches up in 2025
                trend = YEARS[year] * (0.4 if cat == "INN" else 1.0)
                if cat == "TEK" and year == 2025:
                    trend += 0.2
                for s in stmts:
                    if rng.random() < UNCLEAR.get(s, 0.035):
                        answers[s] = "vet ej"
                        continue
                    mu = 3.75 + ueff + reff + ceff + trend + person + ITEM[s]
                    v = int(round(rng.gauss(mu, 0.85)))
                    answers[s] = str(min(6, max(1, v)))
                    if rng.random() < 0.01:
                        answers[s] = ""  # skipped question
            out.append((f"R{year}-{i:04d}", unit, rname, answers))
    rng.shuffle(out)
    return out


STMTS = [s for stmts, _ in CATS.values() for s in stmts]


def write(path, year, sep, encoding, bom=False, crlf=False, date=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    nl = "\r\n" if crlf else "\n"
    header = ["respondent", "enhet", "roll"] + (["datum"] if date else []) + STMTS
    lines = [sep.join(header)]
    data = rows(year)
    if year == 2025:
        # what real exports hold: one respondent who submitted twice (the
        # later answers count) and one who answered 4 to everything
        rid, unit, rname, ans = data[10]
        data.append((rid, unit, rname, {s: ("5" if v == "4" else v) for s, v in ans.items()}))
        data[20] = (data[20][0], data[20][1], data[20][2], {s: "4" for s in STMTS})
    if year == 2024:
        data.insert(40, (f"R{year}-9999", "Socialförvaltningen", "Chef", {s: "" for s in STMTS}))
    for k, (rid, unit, rname, ans) in enumerate(data):
        fields = [rid, unit, rname]
        if date:
            fields.append(f"{year}-0{2 + k % 2}-{10 + k % 18:02d} 0{8 + k % 2}:{k % 60:02d}"
                          if k < len(data) - 1 else f"{year}-03-31 16:45")
        fields += [ans[s] for s in STMTS]
        lines.append(sep.join(fields))
    data = nl.join(lines) + nl
    with open(path, "wb") as f:
        if bom:
            f.write(b"\xef\xbb\xbf")
        f.write(data.encode(encoding))


write(os.path.join(OUT, "2023", "enkat-2023.csv"), 2023, ",", "utf-8")
write(os.path.join(OUT, "2024", "enkat-2024.csv"), 2024, ";", "cp1252")
write(os.path.join(OUT, "2025", "enkat-2025.csv"), 2025, ";", "utf-8", bom=True, crlf=True, date=True)


# The initiative register: dozens of initiatives over the three years,
# skewed toward efficiency ("models and methods"), little innovation work.
NAMES = [
    ("E-tjänst för bygglov", "Samhällsbyggnadsförvaltningen"), ("Robotiserad fakturahantering", "Servicecenter"),
    ("Gemensam projektmodell", "Kommunledningsförvaltningen"), ("Digital signering av avtal", "Servicecenter"),
    ("Nytt verksamhetssystem för skolan", "Barn- och utbildningsförvaltningen"), ("Mobil dokumentation i hemtjänsten", "Vård- och omsorgsförvaltningen"),
    ("Automatiserad ekonomiuppföljning", "Kommunledningsförvaltningen"), ("Processkartläggning försörjningsstöd", "Socialförvaltningen"),
    ("Digitala trygghetslarm", "Vård- och omsorgsförvaltningen"), ("Självservice för lönefrågor", "Servicecenter"),
    ("Informationssäkerhetsprogram", "Kommunledningsförvaltningen"), ("Integrationsplattform", "Kommunledningsförvaltningen"),
    ("Bokningssystem för lokaler", "Kultur- och fritidsförvaltningen"), ("Digital ansökan om försörjningsstöd", "Socialförvaltningen"),
    ("Nytt ärendehanteringssystem", "Samhällsbyggnadsförvaltningen"), ("Digitalt bibliotekskort", "Kultur- och fritidsförvaltningen"),
    ("AI-stöd för handläggning", "Socialförvaltningen"), ("Innovationslabb med invånare", "Kommunledningsförvaltningen"),
    ("Öppna data för kollektivtrafik", "Samhällsbyggnadsförvaltningen"), ("Välfärdsteknik i särskilt boende", "Vård- och omsorgsförvaltningen"),
]
CAT_CODES = {"EFF": ["EF1", "EF2", "EF3", "EF4", "EF5"], "INN": ["IN1", "IN2", "IN3", "IN4", "IN5"], "BAL": ["BA1", "BA2", "BA3"],
             "ORG": ["OR2", "OR3"], "ANV": ["AN2", "AN4", "AN5"], "TEK": ["TE1", "TE2", "TE3", "TE4"]}
STATUS = {2023: ["Genomförd", "Genomförd", "Pågående"], 2024: ["Genomförd", "Pågående", "Pågående", "Planerad"], 2025: ["Pågående", "Pågående", "Planerad", "Planerad"]}
reg = ["Id;Namn;Förvaltning;Status;Startdatum;Slutdatum;Budget;Stärker;Effektivitet-innovation;Operativ-strategisk;Intern-extern;År"]
k = 0
for year in (2023, 2024, 2025):
    for i in range(20):
        k += 1
        name, unit = NAMES[(i * 7 + year) % len(NAMES)]
        innovative = "AI" in name or "Innovation" in name or "Öppna data" in name or "Välfärdsteknik" in name
        eff = rng.choice([1, 2]) if innovative else rng.choice([-2, -2, -1, -1, -1, 0])
        ops = rng.choice([-2, -1, -1, 0, 1]) if not innovative else rng.choice([0, 1, 2])
        ext = rng.choice([-2, -1, 0, 1, 2])
        cats = ["INN"] if innovative else rng.sample(["EFF", "EFF", "EFF", "TEK", "ANV", "BAL", "ORG"], 2)
        links = sorted({rng.choice(CAT_CODES[c]) for c in cats})
        start = f"{year - rng.choice([0, 1])}-{rng.randint(1, 9):02d}-01"
        end = f"{year + rng.choice([0, 1, 2])}-12-31"
        budget = rng.choice([150, 300, 450, 800, 1200, 2500, 4000]) * 1000
        status = rng.choice(STATUS[year])
        reg.append(";".join([f"I{year}-{i + 1:02d}", name, unit, status, start, end, f"{budget:,}".replace(",", " "), ", ".join(links), str(eff), str(ops), str(ext), str(year)]))
with open(os.path.join(OUT, "initiativ.csv"), "w", encoding="utf-8") as f:
    f.write("\n".join(reg) + "\n")
