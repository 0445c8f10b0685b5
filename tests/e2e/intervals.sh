#!/usr/bin/env bash
# End-to-end tests of the 95% intervals under heavy tails: the warning every
# output carries (and only when the tail is heavy), --precision's minimum
# replications, the sweep's intervals, and compare's unpaired interval when
# the paired difference never varies.
# Usage: tests/e2e/intervals.sh PATH/TO/tokensim
source "$(dirname "$0")/lib.sh" "$1"
P=tests/coverage/cases/pareto.yaml      # the heaviest 0.1% make 9.36% of the usage: heavy
L=tests/coverage/cases/light.yaml       # lognormal, sigma 0.5: 0.48%

# ---- the warning, in every output of a heavy-tailed run, in none of a light one
"$BIN" run $P --no-plots --out "$TMP/p" > "$TMP/p.txt"
grep -q "^warning: heavy tail: the heaviest 0.1% of customers make 9.36% of the usage" "$TMP/p.txt" && ok \
    || bad "run: no warning in the terminal"
# CSVs carry no comment line: the warning is in the provenance beside them
for f in provenance.json summary.json; do
    jq -r .provenance.heavy_tail.warning "$TMP/p/$f" | grep -q "^heavy tail: the heaviest 0.1%" && ok \
        || bad "run: no warning in $f"
done
head -1 "$TMP/p/monthly.csv" | grep -q '^#' && bad "run: monthly.csv starts with a comment" || ok
grep -q "^Red flag: heavy tail" "$TMP/p/report.md" && ok || bad "run: no warning in report.md"
need=$(jq .provenance.heavy_tail.replications_needed "$TMP/p/summary.json")
if awk -v n="$need" 'BEGIN { exit !(n > 20) }'; then ok; else bad "run: replications needed '$need'"; fi
grep -q "needs about $need replications (this run has 20)" "$TMP/p.txt" && ok || bad "run: the count in the warning"
"$BIN" compare $P --out "$TMP/c" | grep -q "^warning: heavy tail" && ok || bad "compare: no warning"
"$BIN" sweep $P --vary plans.flat.price=20:30:10 --no-plots --out "$TMP/w" | grep -q "^warning: heavy tail" && ok \
    || bad "sweep: no warning"
"$BIN" run $L --no-plots --out "$TMP/l" > "$TMP/l.txt"
expect_eq "light tail: no warning" "$(grep -ci warning "$TMP/l.txt" "$TMP/l"/*.csv "$TMP/l/report.md" | awk -F: '{ s += $2 } END { print s }')" 0
expect_eq "light tail: no heavy_tail in summary.json" "$(jq '.provenance | has("heavy_tail")' "$TMP/l/summary.json")" false

# ---- every interval holds its mean ---------------------------------------------------
holds=$(jq '[.. | objects | select(has("ci95")) | select(.ci95[0] != null)
             | (.ci95[0] <= .mean + 1e-9 * (if .mean < 0 then -.mean else .mean end + 1)
                and .mean <= .ci95[1] + 1e-9 * (if .mean < 0 then -.mean else .mean end + 1))] | all' "$TMP/p/summary.json")
expect_eq "run: every interval holds its mean" "$holds" true

# ---- the sweep's intervals -----------------------------------------------------------
awk -F, '!/^#/ && NR > 3 { if (!($12 <= $3 && $3 <= $13)) bad = 1; if ($13 > $12) wide = 1 } END { exit bad || !wide }' \
    "$TMP/w/sweep.csv" \
    && ok || bad "sweep: margin_ci_lo <= margin_mean <= margin_ci_hi"

# ---- --precision waits for the replications the tail needs -----------------------------
"$BIN" run $P --precision 5 --json --no-plots --out "$TMP/q" > "$TMP/q.json"
n=$(jq .provenance.replications "$TMP/q.json")
need=$(jq .provenance.heavy_tail.replications_needed "$TMP/q.json")
if awk -v n="$n" -v k="$need" 'BEGIN { exit !(n >= k && k > 20) }'; then ok; else bad "precision: $n replications, the tail needs $need"; fi
expect_eq "precision: reached" "$(jq .provenance.precision.reached "$TMP/q.json")" true
"$BIN" run $P --precision 5 --no-plots --out "$TMP/q2" | grep -q "and at least [0-9]* replications for the heavy tail" \
    && ok || bad "precision: the minimum not said"

# ---- compare: a paired difference that never varies ------------------------------------
cat > "$TMP/twins.yaml" <<'YAML'
name: twin plans
horizon_months: 2
replications: 10
prices: { models: [ { name: m, input_per_mtok: 1, output_per_mtok: 1 } ] }
customers: { initial: 200, new_per_month: 0, churn_monthly: 0 }
usage: { distribution: lognormal, mean: 30, sigma: 1 }
features: [ { name: f, model: m, tokens: { user: 100000 } } ]
plans:
  - { name: a, type: flat, price: 20 }
  - { name: b, type: flat, price: 20, target_margin: 0.8 }
YAML
row=$("$BIN" compare "$TMP/twins.yaml" --out "$TMP/t" | grep '^a - b ')
# the same margins: the paired interval is a point, the unpaired one the plans' own widths
echo "$row" | grep -q '\[  +0.00,   +0.00\]    \[  -[0-9.]*, *+[0-9.]*\]' && ! echo "$row" | grep -q '\[  +0.00,   +0.00\].*\[  +0.00,   +0.00\]' \
    && ok || bad "compare: unpaired interval of a zero-variance difference: '$row'"
finish intervals
