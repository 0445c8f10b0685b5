#!/usr/bin/env bash
# End-to-end tests of the CSV and JSON files every command writes, on names
# that must be quoted (tests/data/ok/quoting.yaml: plans a"b, c and x,y, a
# feature, segments, a lever and a shock with commas and double quotes):
# each CSV is read back with Python's csv module (RFC 4180), the names must
# come back exactly and every row must have the header's number of fields;
# each JSON file must parse and give the names back. The provenance comment
# must stay one record whatever the scenario file or a plan is called.
# Usage: tests/e2e/quoting.sh PATH/TO/tokensim
source "$(dirname "$0")/lib.sh" "$1"
command -v python3 >/dev/null || { echo "quoting: python3 is needed" >&2; exit 1; }
Q=tests/data/ok/quoting.yaml
A='a"b, c'
X='x,y'

# check.py CSV COLUMN NAME...: the first record is the header (no comment
# line: provenance is in summary.json or provenance.json); every row has
# the header's width; the values of COLUMN are exactly the NAMEs (as a set).
cat > "$TMP/check.py" <<'EOF'
import csv, io, sys
path, column, want = sys.argv[1], sys.argv[2], set(sys.argv[3:])
text = open(path, newline="").read()
first_line = text.split("\n", 1)[0]
try:
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
except csv.Error as e:
    sys.exit("%s: not RFC 4180: %s" % (path, e))
problems = []
if first_line.startswith("#"):
    problems.append("a comment line before the header: %r" % first_line)
header, body = rows[0], rows[1:]
if not body:
    problems.append("no rows")
for i, r in enumerate(body):
    if len(r) != len(header):
        problems.append("row %d has %d fields, the header %d" % (i + 1, len(r), len(header)))
if column not in header:
    problems.append("no column %r in %r" % (column, header))
else:
    got = {r[header.index(column)] for r in body if len(r) == len(header)}
    if got != want:
        problems.append("column %r holds %r, expected %r" % (column, sorted(got), sorted(want)))
for p in problems:
    print(path + ": " + p)
sys.exit(1 if problems else 0)
EOF
check_csv() {
    local name=$1
    shift
    local out
    if out=$(python3 "$TMP/check.py" "$@" 2>&1); then ok; else bad "$name: $out"; fi
}
# json_eq NAME FILE EXPR WANT: the JSON file parses and EXPR (Python over `d`) gives WANT
json_eq() {
    local got
    got=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$2" "$3" 2>&1)
    expect_eq "$1" "$got" "$4"
}
# every JSON file under a folder parses
json_all() {
    local f
    for f in "$1"/*.json; do
        python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$f" 2>/dev/null && ok || bad "$f does not parse"
    done
}

# ---- run and compare: monthly, segments, replications, summary.json ------------
for cmd in run compare; do
    "$BIN" $cmd $Q --no-plots --quiet --out "$TMP/$cmd"
    check_csv "$cmd: monthly.csv" "$TMP/$cmd/monthly.csv" plan "$A" "$X"
    check_csv "$cmd: segments.csv plans" "$TMP/$cmd/segments.csv" plan "$A" "$X"
    check_csv "$cmd: segments.csv segments" "$TMP/$cmd/segments.csv" segment 'light, "casual"' 'heavy,"pro"'
    check_csv "$cmd: replications.csv" "$TMP/$cmd/replications.csv" plan "$A" "$X"
    json_all "$TMP/$cmd"
    json_eq "$cmd: plans in summary.json" "$TMP/$cmd/summary.json" '"|".join(p["name"] for p in d["plans"])' "$A|$X"
    json_eq "$cmd: feature in summary.json" "$TMP/$cmd/summary.json" \
        'd["cost_per_interaction"]["features"][0]["feature"]' 'chat, "fast", then ""more"", done'
    json_eq "$cmd: lever in summary.json" "$TMP/$cmd/summary.json" 'd["levers"]["waterfall"][1]["stage"]' \
        'route, "cheap"'
    json_eq "$cmd: dashboard in summary.json" "$TMP/$cmd/summary.json" 'd["dashboard"]["plans"][1]["plan"]' "$X"
done

# ---- sweep: a path with a comma heads a column ----------------------------------
"$BIN" sweep $Q --vary "plans.$X.price=2:6:2" --no-plots --quiet --out "$TMP/sw"
check_csv "sweep: plans" "$TMP/sw/sweep.csv" plan "$A" "$X"
check_csv "sweep: the swept values" "$TMP/sw/sweep.csv" "plans.$X.price" 2 4 6

# ---- stress ---------------------------------------------------------------------
"$BIN" stress $Q --no-plots --quiet --out "$TMP/st"
check_csv "stress: plans" "$TMP/st/stress.csv" plan "$A" "$X"
mapfile -t want < <(jq -r '.stress[].shock' "$TMP/st/summary.json")
check_csv "stress: every shock" "$TMP/st/stress.csv" shock "${want[@]}"
expect_eq "stress: the scenario's own shock among them" "$(printf '%s\n' "${want[@]}" | grep -cxF 'cut, "deep"')" 1
json_all "$TMP/st"
json_eq "stress: shock in summary.json" "$TMP/st/summary.json" 'd["stress"][-1]["shock"]' 'cut, "deep"'
json_eq "stress: its description" "$TMP/st/summary.json" 'd["stress"][-1]["description"]' 'the price of "x,y" halved'

# ---- tornado: the plan's price path holds its name ------------------------------
"$BIN" tornado $Q --plan "$A" --no-plots --quiet --out "$TMP/to"
paths=$(jq -r '.tornado.parameters[].path' "$TMP/to/summary.json")
mapfile -t want <<< "$paths"
check_csv "tornado: parameters" "$TMP/to/tornado.csv" parameter "${want[@]}"
expect_eq "tornado: the plan's price among them" "$(grep -cxF "plans.$A.price" <<< "$paths")" 1
json_all "$TMP/to"
json_eq "tornado: plan in summary.json" "$TMP/to/summary.json" 'd["tornado"]["plan"]' "$A"

# ---- solve, optimize, quota, exercise -------------------------------------------
"$BIN" solve $Q --plan "$X" --target 50 --quiet --out "$TMP/so"
n=$(jq '.solve.evaluations' "$TMP/so/summary.json")
vals=$(python3 -c 'import csv, sys; r = list(csv.reader(open(sys.argv[1])))[1:]; print("\n".join(x[0] for x in r))' \
    "$TMP/so/solve.csv")
mapfile -t want <<< "$vals"
check_csv "solve: the path heads the value column" "$TMP/so/solve.csv" "plans.$X.price" "${want[@]}"
expect_eq "solve: one row per evaluation" "${#want[@]}" "$n"
json_eq "solve: plan in summary.json" "$TMP/so/summary.json" 'd["solve"]["plan"]' "$X"

"$BIN" optimize $Q --plan "$X" --vary "plans.$X.price=2:8:2" --no-plots --quiet --out "$TMP/op"
check_csv "optimize: the grid" "$TMP/op/optimize.csv" "plans.$X.price" 2 4 6 8
json_all "$TMP/op"
json_eq "optimize: the path as a key" "$TMP/op/summary.json" 'sorted(d["optimize"]["frontier"][0]["values"])[0]' \
    "plans.$X.price"

"$BIN" quota $Q --plan "$A" --quiet --out "$TMP/qu"
json_all "$TMP/qu"
json_eq "quota: plan in summary.json" "$TMP/qu/summary.json" 'd["quota"]["plan"]' "$A"

"$BIN" exercise $Q --quiet --out "$TMP/ex"
json_all "$TMP/ex"
json_eq "exercise: plan in exercise.json" "$TMP/ex/exercise.json" 'd["plan"]' "$A"
json_eq "exercise: scenario in exercise.json" "$TMP/ex/exercise.json" 'd["scenario"]' 'quoting "names", of all kinds'

# ---- a file's or a plan's name cannot break a CSV or the provenance -------------
# a comma then a quote would open a quoted field; a newline would start a row
mkdir -p "$TMP/odd"
for f in 'one,"two.yaml' $'new\nline.yaml'; do
    cp $Q "$TMP/odd/$f"
    "$BIN" run "$TMP/odd/$f" --no-plots --quiet --out "$TMP/odd/run"
    check_csv "run from a file named $(printf %q "$f")" "$TMP/odd/run/monthly.csv" plan "$A" "$X"
    json_eq "its name in summary.json" "$TMP/odd/run/summary.json" 'd["provenance"]["scenario_file"]' "$TMP/odd/$f"
    "$BIN" sweep "$TMP/odd/$f" --vary "plans.$X.price=2:4:2" --no-plots --quiet --out "$TMP/odd/sw"
    check_csv "sweep from a file named $(printf %q "$f")" "$TMP/odd/sw/sweep.csv" plan "$A" "$X"
    json_eq "its name in the sweep's provenance.json" "$TMP/odd/sw/provenance.json" 'd["provenance"]["scenario_file"]' \
        "$TMP/odd/$f"
done
# a plan named with a newline: quoted in tornado's rows
sed -e "s/'x,y'/\"x\\\\ny\"/" -e '/^stress:/,$d' $Q > "$TMP/odd/nl.yaml"
"$BIN" tornado "$TMP/odd/nl.yaml" --plan $'x\ny' --no-plots --quiet --out "$TMP/odd/to"
python3 - "$TMP/odd/to/tornado.csv" "$TMP/odd/to/summary.json" <<'EOF' && ok || bad "tornado: a plan named with a newline"
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
paths = [p["path"] for p in json.load(open(sys.argv[2]))["tornado"]["parameters"]]
assert rows[0][0] == "rank", rows[0]
assert [r[1] for r in rows[1:]] == paths, ([r[1] for r in rows[1:]], paths)
assert "plans.x\ny.price" in paths, paths
assert all(len(r) == len(rows[0]) for r in rows[1:])
EOF

finish quoting
