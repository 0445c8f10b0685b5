#!/usr/bin/env python3
"""bounds_only.py: do two output trees differ only in 95% interval bounds and
heavy-tail warnings? (tests/coverage/bounds_only.sh runs it over the
commands of tests/identical.sh.)

    python3 bounds_only.py BASE_DIR NEW_DIR

Masks, in both trees: JSON members named ci95, *ci_lo/*ci_hi, *ci95_lo/hi
and the heavy_tail object; CSV columns named so and '# warning' lines;
in text, '[a, b]' pairs, 'a to b', 'CI ... a..b', 'm +-h', the warning lines, blank lines and
the interval columns of `tokensim sampling`. Prints what still differs;
exit 1 if anything does."""
import json, re, sys, os, csv, io
def strip_json(o):
    if isinstance(o, dict):
        return {k: strip_json(v) for k, v in o.items() if k not in ("ci95", "heavy_tail") and not re.search(r"ci(95)?_(lo|hi)$", k)}
    if isinstance(o, list):
        return [strip_json(v) for v in o]
    return o
def norm_text(t):
    # the warning lines, and blank lines (a warning may bring one along)
    t = re.sub(r"(?m)^.*[Ww]arning: heavy tail.*\n", "", t)
    t = re.sub(r"\n\s*\n", "\n", t)
    t = re.sub(r"(CI[^\d\n]{0,20})[-+]?[\d,.]+\.\.[-+]?[\d,.]+", r"\1A..B", t)
    t = re.sub(r"(?m)^((random|stratified|antithetic|stratified\+antithetic) +[-\d.]+) +[\d.]+( +[\d.]+) +[\d.]+x$", r"\1 HW\3 WORTH", t)
    t = re.sub(r"\[\s*[-+]?[\d,.]+,\s*[-+]?[\d,.]+\]", "[CI]", t)
    t = re.sub(r"(\d) \+-[\d.]+ ", r"\1 +-HW ", t)   # solve's table: mean +- half-width
    t = re.sub(r"\(\s*[-+]?[\d,.]+\.\.[-+]?[\d,.]+\)", "(CI)", t)
    t = re.sub(r"[-+]?\$?[\d,.]+%? to [-+]?\$?[\d,.]+%?", "A to B", t)
    return t
def norm_csv(t):
    lines = [l for l in t.split("\n") if not l.startswith("# warning")]
    rows = [l for l in lines if not l.startswith("#")]
    if not rows: return "\n".join(lines)
    r = list(csv.reader(io.StringIO("\n".join(rows))))
    hdr = r[0]
    keep = [i for i, h in enumerate(hdr) if not re.search(r"ci(95)?_(lo|hi)$", h)]
    out = [l for l in lines if l.startswith("#")] + [",".join(row[i] for i in keep if i < len(row)) for row in r]
    return "\n".join(out)
def norm(path):
    t = open(path, errors="replace").read()
    if path.endswith(".json") or t.lstrip().startswith("{"):
        try: return json.dumps(strip_json(json.loads(t)), sort_keys=True, indent=1)
        except Exception: pass
    if path.endswith(".csv"): return norm_csv(t)
    return norm_text(t)
a, b = sys.argv[1], sys.argv[2]
bad = 0
for root, _, files in os.walk(a):
    for f in files:
        pa = os.path.join(root, f); pb = os.path.join(b, os.path.relpath(pa, a))
        if f.endswith((".png", ".svg", ".pdf", ".log")): continue
        if not os.path.exists(pb): print("missing", pb); bad += 1; continue
        if norm(pa) != norm(pb):
            bad += 1; print("DIFF", os.path.relpath(pa, a))
            import difflib
            for l in list(difflib.unified_diff(norm(pa).split("\n"), norm(pb).split("\n"), lineterm="", n=0))[:8]: print("   ", l[:200])
sys.exit(1 if bad else 0)
