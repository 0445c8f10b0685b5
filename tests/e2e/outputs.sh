#!/usr/bin/env bash
# End-to-end tests of run's tidy outputs: metrics.csv in long form that a
# CSV reader loads with no options and that holds monthly.csv's figures;
# provenance.json beside the outputs; schema_version in summary.json.
# Usage: tests/e2e/outputs.sh PATH/TO/tokensim
source "$(dirname "$0")/lib.sh" "$1"
O="$TMP/run"
"$BIN" run scenarios/default.yaml --replications 6 --no-plots --quiet --out "$O"
[ $? = 0 ] && ok || bad "run: exit status"
expect_eq "metrics.csv: header" "$(head -1 "$O/metrics.csv")" "plan,month,metric,statistic,value"
grep -q '^#' "$O/metrics.csv" && bad "metrics.csv: a comment line" || ok
# every figure of monthly.csv, once, at the same value: monthly.csv has
# 2 + 5 x metrics columns and one row per plan and month
python3 - "$O" > "$TMP/py" 2>&1 <<'PY'
import csv, sys
d = sys.argv[1]
with open(d + "/monthly.csv") as f:
    lines = [l for l in f if not l.startswith("#")]
wide = list(csv.DictReader(lines))
long = list(csv.DictReader(open(d + "/metrics.csv")))
problems = []
nmetrics = (len(wide[0]) - 2) // 5
if len(long) != len(wide) * nmetrics * 5:
    problems.append("rows: %d, expected %d x %d x 5" % (len(long), len(wide), nmetrics))
idx = {(r["plan"], r["month"], r["metric"], r["statistic"]): r["value"] for r in long}
for w in wide:
    for k, v in w.items():
        if k in ("plan", "month"):
            continue
        metric, stat = k.rsplit("_", 1)
        if idx.get((w["plan"], w["month"], metric, stat)) != v:
            problems.append("%s %s %s: %r vs %r" % (w["plan"], w["month"], k, idx.get((w["plan"], w["month"], metric, stat)), v))
print("\n".join(problems[:5]) if problems else "ok")
PY
expect_eq "metrics.csv: the figures of monthly.csv" "$(cat "$TMP/py")" "ok"
expect_eq "summary.json: schema_version" "$(jq .schema_version "$O/summary.json")" "1"
expect_eq "provenance.json: schema_version" "$(jq .schema_version "$O/provenance.json")" "1"
expect_eq "provenance.json: summary.json's provenance" "$(jq -cS .provenance "$O/provenance.json")" \
    "$(jq -cS .provenance "$O/summary.json")"
expect_eq "provenance.json: the seed of the scenario" "$(jq -r .provenance.seed "$O/provenance.json")" \
    "$(awk '/^seed:/ { print $2 }' scenarios/default.yaml)"
for f in metrics.csv provenance.json; do
    grep -qF "$f" "$O/MANIFEST" && ok || bad "MANIFEST: no $f"
done
finish outputs
