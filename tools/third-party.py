#!/usr/bin/env python3
"""Prints THIRD-PARTY.md: every crate compiled into the mognad binary (normal
dependencies, for the x86_64 Linux target) with its version and licence, from
`cargo tree`. The fonts' licence (SIL OFL 1.1) is shipped as fonts-OFL.txt.
Usage: tools/third-party.py > THIRD-PARTY.md"""
import subprocess

out = subprocess.run(
    ["cargo", "tree", "--locked", "-e", "normal", "--prefix", "none",
     "--target", "x86_64-unknown-linux-gnu", "--format", "{p}\t{l}"],
    check=True, capture_output=True, text=True).stdout
crates = {}
for line in out.splitlines():
    if "\t" not in line:
        continue
    package, licence = line.split("\t", 1)
    words = package.replace(" (*)", "").split()
    if len(words) < 2 or words[0] == "mognad":
        continue
    crates[(words[0], words[1])] = licence.strip() or "see the crate"
print("# Third-party software in mognad\n")
print("The mognad binary is built from these crates (crates.io), each under")
print("its own licence; their licence texts are in each crate's source. The")
print("embedded Inter fonts are under the SIL Open Font License 1.1")
print("(fonts-OFL.txt).\n")
print("| crate | version | licence |\n|---|---|---|")
for (name, version), licence in sorted(crates.items()):
    print(f"| {name} | {version.lstrip('v')} | {licence} |")
