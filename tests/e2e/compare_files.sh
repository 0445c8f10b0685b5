#!/usr/bin/env bash
# compare_files.sh: `tokensim diff` between two runs and `tokensim compare`
# across scenario files, against hand calculations.
#
#   bash tests/e2e/compare_files.sh bin/tokensim
source "$(dirname "$0")/lib.sh" "$1"

# Two files that differ in one key: the flat plan's price, $20 and $25.
# 2,000 customers for 2 months, no churn: 4,000 customer-months, so the
# revenue moves by 5 x 4,000 = $20,000 and nothing else moves.
A=$TMP/a.yaml
B=$TMP/b.yaml
cp tests/data/shocks/top.yaml "$A"
sed 's/price: 20 }/price: 25 }/' tests/data/shocks/top.yaml > "$B"

# ---- diff ------------------------------------------------------------------------
"$BIN" run "$A" --replications 20 --no-plots --quiet --out "$TMP/oa" || bad "run A"
"$BIN" run "$B" --replications 20 --no-plots --quiet --out "$TMP/ob" || bad "run B"
"$BIN" diff "$TMP/oa/summary.json" "$TMP/ob/summary.json" --json > "$TMP/d.json"
expect_eq "diff: exit status" $? 0
expect_eq "diff: keys compared" "$(jq -r .keys_compared "$TMP/d.json")" true
expect_eq "diff: the one scenario key that differs" \
    "$(jq -c '[.inputs[] | select(.key | startswith("provenance.") | not)]' "$TMP/d.json")" \
    '[{"key":"plans.flat.price","a":"20","b":"25"}]'
fig() { jq -r --arg f "$1" --arg k "$2" '.figures[] | select(.figure == $f) | .[$k]' "$TMP/d.json"; }
expect_near "diff: revenue change 5 x 4,000" "$(fig revenue change)" 20000 1e-6
expect_eq "diff: revenue change beyond the intervals" "$(fig revenue beyond)" true
expect_near "diff: interactions unchanged" "$(fig interactions change)" 0 1e-9
expect_eq "diff: interactions not beyond" "$(fig interactions beyond)" false
# combined interval: 1.96 sqrt(seA^2 + seB^2) of the two summaries' own standard errors
sa=$(jq -r '.plans[0].totals.inference_cost.se' "$TMP/oa/summary.json")
sb=$(jq -r '.plans[0].totals.inference_cost.se' "$TMP/ob/summary.json")
expect_near "diff: combined half-width" "$(fig inference_cost ci95_half)" \
    "$(awk -v a="$sa" -v b="$sb" 'BEGIN { printf "%.10g", 1.959963984540054 * sqrt(a * a + b * b) }')" 1e-6
"$BIN" diff "$TMP/oa/summary.json" "$TMP/ob/summary.json" > "$TMP/d.txt"
grep -q "plans.flat.price *20 *25" "$TMP/d.txt" && ok || bad "diff: table lacks the price row"
grep -Eq "revenue .*\+\\\$20,000 .* yes" "$TMP/d.txt" && ok || bad "diff: table lacks the revenue change"
# a run with a --set cannot be traced to keys: said so, terms compared instead
"$BIN" run "$A" --replications 20 --set plans.flat.price=30 --no-plots --quiet --out "$TMP/oc"
"$BIN" diff "$TMP/oa/summary.json" "$TMP/oc/summary.json" --json > "$TMP/d2.json"
expect_eq "diff: --set run: keys not compared" "$(jq -r .keys_compared "$TMP/d2.json")" false
expect_eq "diff: --set run: the plan's price from its terms" \
    "$(jq -r '.inputs[] | select(.key == "plans.flat.price") | .b' "$TMP/d2.json")" 30
# bad input: exit 2 with the file named
"$BIN" diff "$A" "$TMP/ob/summary.json" 2> "$TMP/e"
expect_eq "diff: not a summary: exit status" $? 2
grep -q "^tokensim: $A: not a tokensim summary" "$TMP/e" && ok || bad "diff: message: $(cat "$TMP/e")"
"$BIN" diff "$TMP/oa/summary.json" 2> /dev/null
expect_eq "diff: one file: exit status" $? 2

finish compare_files
