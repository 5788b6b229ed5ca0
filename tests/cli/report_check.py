#!/usr/bin/env python3
"""Checks an HTML report of `mcmc report` (tests/cli/report_test.cpp):
report_check.py REPORT.html CHAINS_DRAWN CSV_FILES...

- the page parses as XML (and so does every SVG in it) and as HTML;
- it fetches nothing: no URL, no <script>, <link>, <img> or url(...);
- every trace plot has one line per chain drawn, and as many divergence marks as the files have
  divergent transitions (sum of divergent__), or every k-th of them beyond 2000;
- every trace's y tick labels cover the quantity's range in the files;
- the pairs plot's panels each mark every divergent draw.
Prints one line per failed check and exits 1, or prints 'ok' plus counts."""
import csv
import html.parser
import sys
import xml.etree.ElementTree as ET

report, drawn, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
text = open(report, encoding="utf-8").read()
failures = []

# The draws, as the files hold them (Stan CSV: '#' comment lines, header, rows).
columns = {}
for f in files:
    rows = csv.reader(line for line in open(f) if not line.startswith("#") and line.strip())
    header = next(rows)
    for row in rows:
        for name, value in zip(header, row):
            columns.setdefault(name, []).append(float(value))
divergences = int(sum(columns.get("divergent__", [])))
# At most 2000 marks per plot (report::PlotBudget): every k-th divergence beyond that.
every = max(1, -(-divergences // 2000))
marks_expected = -(-divergences // every)

root = ET.fromstring(text.replace("<!DOCTYPE html>", "", 1))  # raises on malformed XML


class Html(html.parser.HTMLParser):
    pass


Html().feed(text)

lower = text.lower()
for bad in ("http:", "https:", "//cdn", "<script", "<link", "<img", "url(", "@import", "src="):
    if bad in lower:
        failures.append(f"the page holds '{bad}': it must fetch nothing")

traces = [s for s in root.iter("svg") if s.get("data-plot") == "trace"]
if not traces:
    failures.append("no trace plot")
for svg in traces:
    title = svg.find("title").text
    name = title.split(" ")[2].rstrip(";")
    lines = [p for p in svg.iter("polyline") if p.get("class") == "chain"]
    if len(lines) != drawn:
        failures.append(f"{title}: {len(lines)} chain lines, expected {drawn}")
    marks = [c for c in svg.iter("circle") if c.get("class") == "div"]
    if len(marks) != marks_expected:
        failures.append(f"{title}: {len(marks)} divergence marks, the files have {divergences} (marks expected: {marks_expected})")
    ticks = []
    for g in svg.iter("g"):
        if g.get("class") == "yticks":
            ticks = [float(t.text) for t in g.iter("text")]
    values = columns.get(name)
    if values is None:
        failures.append(f"{title}: no column {name} in the files")
    elif not ticks or min(ticks) > min(values) or max(ticks) < max(values):
        failures.append(f"{title}: y ticks {ticks} do not cover [{min(values)}, {max(values)}]")

for svg in root.iter("svg"):
    if svg.get("data-plot") != "pairs":
        continue
    marks = [c for c in svg.iter("circle") if c.get("class") == "div"]
    k = len([g for g in svg.iter("g") if g.get("class") == "points"])  # scatter panels
    if len(marks) != k * marks_expected:
        failures.append(f"pairs: {len(marks)} divergence marks in {k} panels, expected {k * marks_expected}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"ok: {len(traces)} traces, {divergences} divergences, {marks_expected} marked")
