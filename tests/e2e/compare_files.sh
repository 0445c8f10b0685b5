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

# ---- compare across files -----------------------------------------------------
# Poisson counts, so that the runs have noise for the pairing to remove.
sed 's/counts: fixed/counts: poisson/' "$A" > "$TMP/pa.yaml"
sed 's/counts: fixed/counts: poisson/' "$B" > "$TMP/pb.yaml"
# the same customers on another law: alpha 2.5
sed 's/alpha: 3,/alpha: 2.5,/' "$TMP/pa.yaml" > "$TMP/pc.yaml"
"$BIN" compare "$TMP/pa.yaml" "$TMP/pb.yaml" "$TMP/pc.yaml" --replications 30 --json --out "$TMP/cf" > "$TMP/cf.json"
expect_eq "compare files: exit status" $? 0
expect_eq "compare files: plans named FILE:PLAN when names collide" "$(jq -c '[.plans[].label]' "$TMP/cf.json")" \
    '["pa:flat","pb:flat","pc:flat"]'
expect_eq "compare files: a price apart, the same customers" "$(jq -r '.files[1].paired_with_first' "$TMP/cf.json")" true
expect_eq "compare files: another alpha, other customers, and which key" \
    "$(jq -c '[.files[2].paired_with_first, .files[2].customer_keys_differing]' "$TMP/cf.json")" '[false,["usage.alpha"]]'
v() { jq -r --arg l "$1" ".plans[] | select(.label == \$l) | .vs_first$2" "$TMP/cf.json"; }
expect_eq "compare files: pb paired" "$(v pb:flat .paired)" true
expect_eq "compare files: pc unpaired" "$(v pc:flat .paired)" false
# $5 more on 4,000 customer-months (2,000 customers, 2 months, no churn)
expect_near "compare files: revenue difference 5 x 4,000" "$(v pb:flat .revenue.mean)" 20000 1e-6
expect_near "compare files: and no spread in it, paired" \
    "$(jq -r '.plans[1].vs_first.revenue.ci95 | .[1] - .[0]' "$TMP/cf.json")" 0 1e-6
pw=$(jq -r '.plans[1].vs_first.margin_pts.ci95 | .[1] - .[0]' "$TMP/cf.json")
uw=$(jq -r '.plans[1].vs_first.margin_pts_unpaired_ci95 | .[1] - .[0]' "$TMP/cf.json")
if awk -v p="$pw" -v u="$uw" 'BEGIN { exit !(p > 0 && p < u / 2) }'; then ok; else
    bad "compare files: paired interval ($pw) not narrower than half the unpaired ($uw)"; fi
# the unpaired file's interval is the unpaired one
expect_eq "compare files: unpaired interval for pc" \
    "$(jq -c '.plans[2].vs_first | [.margin_pts.ci95 == .margin_pts_unpaired_ci95]' "$TMP/cf.json")" '[true]'
[ -s "$TMP/cf/compare.csv" ] && head -1 "$TMP/cf/compare.csv" | grep -q '^file,plan,label,paired' && ok \
    || bad "compare files: compare.csv"
# same bytes whatever the thread count
"$BIN" compare "$TMP/pa.yaml" "$TMP/pb.yaml" --replications 12 --threads 1 --quiet --out "$TMP/t1"
"$BIN" compare "$TMP/pa.yaml" "$TMP/pb.yaml" --replications 12 --threads 2 --quiet --out "$TMP/t2"
cmp -s "$TMP/t1/compare.csv" "$TMP/t2/compare.csv" && ok || bad "compare files: output differs between 1 and 2 threads"
# a file the loader refuses: exit 2, located
"$BIN" compare "$TMP/pa.yaml" tests/data/bad/shock_after_horizon.yaml --quiet --out "$TMP/bad" 2> "$TMP/e"
expect_eq "compare files: bad file: exit status" $? 2
grep -q "shock_after_horizon.yaml:13:70:" "$TMP/e" && ok || bad "compare files: message: $(cat "$TMP/e")"

"$BIN" compare "$TMP/pa.yaml" "$TMP/pb.yaml" --replication 2 --quiet --out "$TMP/bad2" 2> "$TMP/e"
expect_eq "compare files: --replication refused: exit status" $? 2

finish compare_files
