#!/usr/bin/env bash
# End-to-end tests of the investor's and strategist's commands (stress,
# tornado, solve, quota, optimize) on deterministic cases worked by hand,
# their bad input, and their reproducibility across threads.
# Usage: tests/e2e/analysis.sh PATH/TO/tokensim   (TS_QUICK=1: without the runs of many replications)
source "$(dirname "$0")/lib.sh" "$1"
SF=tests/data/ok/solve_flat.yaml      # $2.00 of cost a customer-month: margin (P - 2) / P
SS=tests/data/ok/stress_shocks.yaml   # the same at P = $4
Q=tests/data/ok/quota_hybrid.yaml

# ---- solve: (P - 2) / P = m  =>  P = 2 / (1 - m) ------------------------------
sj() { "$BIN" solve "$@" --json --out "$TMP/so"; }
expect_near "solve: break-even price" "$(sj $SF --target 0 | jq .solve.value)" 2 1e-6
expect_near "solve: 50% margin" "$(sj $SF | jq .solve.value)" 4 1e-6
expect_near "solve: 75% margin" "$(sj $SF --target 75 | jq .solve.value)" 8 1e-5
# (P - 2) / P = 0.6 at P = 5 for the infra key: (4 - 1.05 - x) / 4 = 0.6 => x = 0.55
expect_near "solve: any path (infra for 60% at \$4)" \
    "$(sj $SF --set plans.flat.price=4 --for costs.infra_per_customer_month --target 60 | jq .solve.value)" 0.55 1e-6
# out of reach: at most (100 - 2) / 100 = 98% in the range
out=$(sj $SF --target 99.5 --range 1:100)
expect_eq "solve: unreachable target said so" "$(echo "$out" | jq .solve.reached)" false
expect_near "solve: the best value reached" "$(echo "$out" | jq .solve.margin)" 98 1e-9
"$BIN" solve $SF --target 99.5 --range 1:100 --out "$TMP/so" | grep -q "no value in the range meets the target" && ok \
    || bad "solve: the unreachable message"
# a P5 target needs at least the price of a mean target (P5 <= mean)
D=scenarios/default.yaml
if [ -z "${TS_QUICK:-}" ]; then
    pm=$(sj $D --replications 30 | jq .solve.value)
    p5=$(sj $D --replications 30 --stat p5 | jq .solve.value)
    if awk -v a="$pm" -v b="$p5" 'BEGIN { exit !(b >= a) }'; then ok; else bad "solve: p5 price $p5 below mean price $pm"; fi
fi

# ---- stress: hand figures ------------------------------------------------------
"$BIN" stress $SS --json --no-plots --out "$TMP/st" > "$TMP/st.json"
sm() { jq -r --arg k "$1" '.stress[] | select(.shock == $k) | .plans[0].margin_mean' "$TMP/st.json"; }
expect_near "stress: baseline (4 - 2) / 4" "$(sm baseline)" 50 1e-9
# model prices x1.5: inference 1.575: (4 - 1.575 - 0.95) / 4
expect_near "stress: prices up 50%" "$(sm prices_up_50)" 36.875 1e-9
expect_near "stress: prices down 80%" "$(sm prices_down_80)" 71 1e-9
# usage x 1.03^t: 100 (1.03^3 - 1) / ln 1.03 interactions in 3 months
want=$(awk 'BEGIN { n = 100 * (1.03^3 - 1) / log(1.03); c = 0.0105 * n + 0.95 * 3; printf "%.10f", 100 * (12 - c) / 12 }')
expect_near "stress: usage growth by the integral of 1.03^t" "$(sm usage_growth)" "$want" 1e-9
expect_near "stress: own shock, times" "$(sm price_cut)" 0 1e-9
expect_near "stress: own shock, plus" "$(sm infra_up)" 48.75 1e-9
# output at $30/Mtok: 0.003 + 0.015 = 0.018 an interaction: (4 - 1.8 - 0.95) / 4
expect_near "stress: own shock, to, over a wildcard" "$(sm all_prices_to)" 31.25 1e-9
expect_eq "stress: nothing to shock is not applicable" \
    "$(jq -c '[.stress[] | select(.applicable == false) | .shock]' "$TMP/st.json")" \
    '["heavier_tail","power_users_x2","cache_hits_halved","churn_doubled","top5_x2","prices_up_50_m12"]'
expect_eq "stress: below the 40% target to the end" \
    "$(jq -r '.stress[] | select(.shock == "prices_up_50") | .plans[0].recover_month' "$TMP/st.json")" null
expect_eq "stress: never below" \
    "$(jq -r '.stress[] | select(.shock == "prices_down_80") | .plans[0].recover_month' "$TMP/st.json")" 0
expect_near "stress: paired difference" \
    "$(jq -r '.stress[] | select(.shock == "prices_up_50") | .plans[0].vs_baseline.mean' "$TMP/st.json")" -13.125 1e-9
# the same figures whatever the number of threads
"$BIN" stress $D --replications 12 --threads 1 --no-plots --quiet --out "$TMP/t1"
"$BIN" stress $D --replications 12 --threads 2 --no-plots --quiet --out "$TMP/t2"
cmp -s "$TMP/t1/stress.csv" "$TMP/t2/stress.csv" && ok || bad "stress: output differs between 1 and 2 threads"
# on a random scenario every standard shock moves the margin the way it must
"$BIN" stress $D --replications 20 --json --no-plots --out "$TMP/sd" > "$TMP/sd.json"
for k in heavier_tail power_users_x2 prices_up_50 usage_growth; do
    d=$(jq -r --arg k $k '.stress[] | select(.shock == $k) | .plans[0].vs_baseline.ci95_hi' "$TMP/sd.json")
    if awk -v d="$d" 'BEGIN { exit !(d < 0) }'; then ok; else bad "stress: $k does not lower the margin ($d)"; fi
done
d=$(jq -r '.stress[] | select(.shock == "prices_down_80") | .plans[0].vs_baseline.ci95_lo' "$TMP/sd.json")
if awk -v d="$d" 'BEGIN { exit !(d > 0) }'; then ok; else bad "stress: cheaper models do not raise the margin"; fi
[ -s "$TMP/sd/stress.html" ] && [ -s "$TMP/sd/stress.md" ] && ok || bad "stress: report missing"

# cache hits halved reach the levers: a support product's semantic cache (42.5% -> 21.25%) over a prompt
# cache of half the input read 90% of the time (-> 45%): per interaction (1 - H) x the cached call, the
# call 6,500 x (0.5 x 3 + r x 0.3 + w x 3.75) / 1e6 + 0.0075 with r, w = 0.45, 0.05 then 0.225, 0.275
{ cat tests/data/ok/levers_base.yaml; echo 'levers: [ { type: prompt_cache, share: 0.5, hit_rate: 0.9 },
    { type: semantic_cache, product: support } ]'; } > "$TMP/cache.yaml"
"$BIN" stress "$TMP/cache.yaml" --json --no-plots --out "$TMP/sc" > "$TMP/sc.json"
for k in baseline cache_hits_halved; do
    case $k in baseline) h=0.425 r=0.45 w=0.05 ;; *) h=0.2125 r=0.225 w=0.275 ;; esac
    want=$(awk -v h=$h -v r=$r -v w=$w 'BEGIN { c = 100 * (1 - h) * (6500 * (1.5 + r * 0.3 + w * 3.75) / 1e6 + 0.0075);
                                              printf "%.10f", 100 * (10 - c) / 10 }')
    expect_near "stress: $k with cache levers" \
        "$(jq -r --arg k $k '.stress[] | select(.shock == $k) | .plans[0].margin_mean' "$TMP/sc.json")" "$want" 1e-9
done

# ---- tornado: hand swings at $4 ---------------------------------------------------
"$BIN" tornado $SS --param plans.flat.price=3:5 --param costs.infra_per_customer_month \
    --param 'prices.models.*.output_per_mtok' --json --no-plots --out "$TMP/to" > "$TMP/to.json"
tq() { jq -r ".tornado.parameters[$1].$2" "$TMP/to.json"; }
# (5 - 2) / 5 - (3 - 2) / 3 = 60 - 33.33
expect_eq "tornado: ranked by swing" "$(jq -c '[.tornado.parameters[].path]' "$TMP/to.json")" \
    '["plans.flat.price","costs.infra_per_customer_month","prices.models.*.output_per_mtok"]'
expect_near "tornado: price swing" "$(tq 0 swing)" "$(awk 'BEGIN { printf "%.10f", 60 - 100 / 3 }')" 1e-9
# infra 0.76 and 1.14: (4 - 1.81) / 4 - ... = -9.5 points
expect_near "tornado: infra +-20%" "$(tq 1 swing)" -9.5 1e-9
# output 12 and 18 $/Mtok: 0.6 and 0.9 a month: -7.5 points
expect_near "tornado: wildcard +-20%" "$(tq 2 swing)" -7.5 1e-9
"$BIN" tornado $D --replications 10 --quiet --no-plots --out "$TMP/td" && [ -s "$TMP/td/tornado.csv" ] && ok \
    || bad "tornado: standard set"

# ---- quota: the P75-P80 rule and the P90 check ----------------------------------
"$BIN" quota $Q --json --out "$TMP/q" > "$TMP/q.json"
# P80 on the lognormal through P50 = 100 and P90 = 300: exp(ln 100 + z80 / z90 ln 3) = 205.75
expect_eq "quota: budget at the P80" "$(jq .quota.budget "$TMP/q.json")" 206
# at P90: revenue 20 + 0.05 x (300 - 206) = 24.70, cost 300 x 0.0105 + 0.95 = 4.10
expect_near "quota: margin at the P90" "$(jq .quota.margin_at_check "$TMP/q.json")" \
    "$(awk 'BEGIN { printf "%.10f", 100 * (24.7 - 4.1) / 24.7 }')" 1e-9
# an 85% target: revenue (3.15 + 0.95) / 0.15 = 27.333 from an overage over 94 interactions
"$BIN" quota $Q --target 85 --out "$TMP/q" | grep -q 'overage price of \$0.0780 per interaction' && ok \
    || bad "quota: the overage that meets the target"

# ---- optimize: the chance constraint on a grid ---------------------------------------
"$BIN" optimize $SF --vary plans.flat.price=1:10:1 --risk-below 60 --max-risk 0 --json --no-plots \
    --out "$TMP/op" > "$TMP/op.json"
expect_eq "optimize: the most profitable feasible price" \
    "$(jq '.optimize.best.values["plans.flat.price"]' "$TMP/op.json")" 10
# 60% needs P >= 5; at $10 the profit is 20 customers x 3 months x 8
expect_near "optimize: its profit" "$(jq .optimize.best.gross_profit_mean "$TMP/op.json")" 480 1e-9
"$BIN" optimize $SF --vary plans.flat.price=1:4:1 --risk-below 60 --json --no-plots --out "$TMP/op" > "$TMP/op2.json"
expect_eq "optimize: none feasible, said so" "$(jq .optimize.feasible "$TMP/op2.json")" false
# on a random scenario the frontier holds no point beaten on both counts
"$BIN" optimize $D --plan starter --vary plans.starter.price=10:30 --points 8 --replications 10 --risk-below 70 --json --no-plots \
    --out "$TMP/od" > "$TMP/od.json"
n=$(awk -F, 'NR > 1 && $7 == 1 { print $2, $5 }' "$TMP/od/optimize.csv" | while read -r p r; do
        awk -F, -v p="$p" -v r="$r" 'NR > 1 && $5 <= r && $2 > p' "$TMP/od/optimize.csv"; done | wc -l)
expect_eq "optimize: the frontier is not dominated" "$n" 0

# ---- bad input -----------------------------------------------------------------------
experr() {   # NAME STATUS PATTERN -- ARGS
    local name=$1 st=$2 pat=$3; shift 4
    out=$("$BIN" "$@" --out "$TMP/bad" 2>&1 >/dev/null); rc=$?
    if [ "$rc" = "$st" ] && echo "$out" | grep -q -- "$pat"; then ok; else bad "$name: status $rc, message '$out'"; fi
}
experr "solve: bad range" 2 "expected LO:HI with LO < HI" -- solve $SF --range 5:1
experr "solve: bad statistic" 2 "expected one of: mean, p5, p50" -- solve $SF --stat p7
experr "solve: unknown path" 2 "unknown path 'plans.flat.prise'.*did you mean 'price'" -- solve $SF --for plans.flat.prise
experr "solve: tiered needs --for" 2 "no single price to solve for" -- solve scenarios/cases/tiers_unit_economics.yaml
experr "tornado: unknown parameter" 2 "unknown path 'usage.alfa'" -- tornado $SF --param usage.alfa
experr "tornado: a value the scenario refuses" 2 "parameter 'customers.churn_monthly' at 2" -- \
    tornado $SF --param customers.churn_monthly=0:2
experr "stress: a shock out of range" 2 "shock 'boom' makes an invalid scenario" -- \
    stress tests/data/shock_out_of_range.yaml
experr "optimize: empty range" 2 "empty range in --vary" -- optimize $SF --vary plans.flat.price=5:1
experr "optimize: no --vary" 2 "missing --vary" -- optimize $SF
experr "quota: a usage plan" 2 "quota sizes the budget of a flat or hybrid plan" -- \
    quota scenarios/textbook/pricing_models.yaml --plan usage
experr "an option of another command" 2 "option '--vary' does not apply to 'tokensim stress'" -- stress $SF --vary x=1:2

# ---- precision on demand and variance reduction (not under TS_QUICK: many replications) ----
if [ -z "${TS_QUICK:-}" ]; then
"$BIN" run $D --replications 10 --precision 0.1 --json --no-plots --threads 1 --out "$TMP/p1" > "$TMP/p1.json"
n=$(jq .provenance.replications "$TMP/p1.json")
expect_eq "precision: reached" "$(jq .provenance.precision.reached "$TMP/p1.json")" true
hw=$(jq .provenance.precision.halfwidth "$TMP/p1.json")
if awk -v h="$hw" 'BEGIN { exit !(h <= 0.1) }'; then ok; else bad "precision: half-width $hw over 0.1"; fi
# the batches double the count from 10: the count is 10 x 2^k
expect_eq "precision: doubling batches" "$(awk -v n="$n" 'BEGIN { while (n > 10 && n % 2 == 0) n /= 2; print n }')" 10
"$BIN" run $D --replications 10 --precision 0.1 --json --no-plots --threads 2 --out "$TMP/p2" > /dev/null
"$BIN" run $D --replications "$n" --json --no-plots --out "$TMP/p3" > /dev/null
grep -v '^#' "$TMP/p1/replications.csv" > "$TMP/a.csv"
grep -v '^#' "$TMP/p2/replications.csv" > "$TMP/b.csv"
grep -v '^#' "$TMP/p3/replications.csv" > "$TMP/c.csv"
cmp -s "$TMP/a.csv" "$TMP/b.csv" && ok || bad "precision: differs between 1 and 2 threads"
cmp -s "$TMP/a.csv" "$TMP/c.csv" && ok || bad "precision: differs from one run of $n replications"
# stratified intensities narrow the interval of the mean margin on the same replications
se() { "$BIN" run $D --replications 40 --json --no-plots --out "$TMP/v" "$@" | jq '.plans[0].totals.gross_margin_pct.se'; }
plain=$(se); strat=$(se --set sampling.intensities=stratified); anti=$(se --set sampling.antithetic=true)
if awk -v a="$plain" -v b="$strat" 'BEGIN { exit !(b < 0.6 * a) }'; then ok; else bad "stratified se $strat vs plain $plain"; fi
if awk -v a="$plain" -v b="$anti" 'BEGIN { exit !(b < a) }'; then ok; else bad "antithetic se $anti vs plain $plain"; fi
"$BIN" sampling $D --replications 30 > "$TMP/sampling.txt"
w=$(awk '$1 == "stratified" { print $5; exit }' "$TMP/sampling.txt" | tr -d x)
if awk -v w="$w" 'BEGIN { exit !(w > 2) }'; then ok; else bad "sampling: stratified worth only ${w}x"; fi
expect_eq "sampling: four modes per plan" "$(grep -c '^random \|^stratified \|^antithetic \|^stratified+antithetic ' "$TMP/sampling.txt")" 8
fi
experr "precision: --stat alone" 2 "--stat goes with --precision" -- run $SF --stat p5
experr "precision: with --replication" 2 "does not combine with --replication" -- run $SF --precision 1 --replication 2
experr "precision: bad statistic" 2 "expected one of: mean, p5" -- run $SF --precision 1 --stat p9
finish analysis
