#!/usr/bin/env python3
"""Sums a typst timing trace (Chrome's trace format, as
`MOGNAD_TYPST_TIMINGS=trace.json mognad bench --case municipality` writes
it) by scope and template line: where the templates spend typst's time.

    python3 tools/typst-timings.py trace.json [--top 25]

Prints, for the scopes with the most self time (time not spent in a nested
scope), their self time, their total time (nested scopes included, counted
once when a scope recurses) and how often they ran.
"""

import argparse
import json
from collections import defaultdict


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trace")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    with open(args.trace, encoding="utf-8") as f:
        events = json.load(f)
    own = defaultdict(float)
    total = defaultdict(float)
    count = defaultdict(int)
    # one stack of open scopes per thread: [key, start, time in children]
    stacks = defaultdict(list)
    for e in events:
        where = e.get("args") or {}
        key = (e["name"], where.get("file", ""), where.get("line", 0))
        stack = stacks[e["tid"]]
        if e["ph"] == "B":
            stack.append([key, e["ts"], 0.0])
            continue
        if not stack:
            continue
        key, start, children = stack.pop()
        spent = e["ts"] - start
        own[key] += spent - children
        count[key] += 1
        if all(k != key for k, _, _ in stack):
            total[key] += spent
        if stack:
            stack[-1][2] += spent
    whole = sum(own.values()) or 1.0
    print(f"{'self ms':>10} {'share':>6} {'total ms':>10} {'calls':>8}  scope")
    for key in sorted(own, key=own.get, reverse=True)[: args.top]:
        name, file, line = key
        at = f" {file}:{line}" if file else ""
        print(
            f"{own[key] / 1000:10.1f} {100 * own[key] / whole:5.1f}% "
            f"{total[key] / 1000:10.1f} {count[key]:8d}  {name}{at}"
        )


if __name__ == "__main__":
    main()
