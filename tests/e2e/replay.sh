#!/usr/bin/env bash
# replay.sh: the empirical usage law through the loader and the engine,
# `tokensim generate-logs` (deterministic, as many requests as the engine's
# interactions, fit recovers the alpha it was generated with) and
# `tokensim replay` on hand-made logs worked by hand.
# Usage: bash tests/e2e/replay.sh BIN
source "$(dirname "$0")/lib.sh" "$1"
D=tests/data

# ---- the empirical law --------------------------------------------------------
# values.txt is 3 1 4 1 5 9 2 6; above xmin 5 (5, 6, 9: p = 3/8) a tail of alpha 2
# with mean 2 x 5 / (2 - 1) = 10; the body 1 1 2 3 4 has mean 11/5; so a customer
# makes 5/8 x 11/5 + 3/8 x 10 = 5.125 interactions a month, 200 customers 1025.
"$BIN" run $D/ok/empirical.yaml --no-plots --quiet --out "$TMP/emp" && ok || bad "run with the empirical law"
row=$(grep '^"flat",1,' "$TMP/emp/monthly.csv")
head=$(grep '^plan,' "$TMP/emp/monthly.csv")
col() { echo "$head" | tr ',' '\n' | grep -nx "$1" | cut -d: -f1; }
m=$(echo "$row" | cut -d, -f"$(col interactions_mean)")
se=$(echo "$row" | cut -d, -f"$(col interactions_se)")
expect_near "empirical: month 1 interactions within 4 se of 1025" "$m" 1025 "$(awk -v s="$se" 'BEGIN { print 4 * s }')"
"$BIN" run $D/ok/empirical.yaml --set usage.data=$D/logs/nope.txt --no-plots --quiet --out "$TMP/x" 2> "$TMP/e"
expect_eq "empirical: missing data file exit" $? 2
grep -q "invalid value for 'usage.data': cannot open usage data" "$TMP/e" && ok || bad "missing data file message: $(cat "$TMP/e")"

# ---- generate-logs ------------------------------------------------------------
P=$D/ok/pareto_logs.yaml
"$BIN" generate-logs $P --replication 2 --out "$TMP/a.csv" > "$TMP/sum" && ok || bad "generate-logs"
"$BIN" generate-logs $P --replication 2 > "$TMP/b.csv" && ok || bad "generate-logs to stdout"
cmp -s "$TMP/a.csv" "$TMP/b.csv" && ok || bad "generate-logs is not deterministic"
"$BIN" generate-logs $P --replication 3 --quiet --out "$TMP/c.csv"
cmp -s "$TMP/a.csv" "$TMP/c.csv" && bad "replication had no effect" || ok
expect_eq "header: LiteLLM's spend-log export" "$(head -1 "$TMP/a.csv")" \
    "request_id,call_type,api_key,spend,total_tokens,prompt_tokens,completion_tokens,startTime,endTime,model,user,end_user"
# one feature of share 1: a row per interaction, as many as the engine's run of the same replication
rows=$(($(wc -l < "$TMP/a.csv") - 1))
"$BIN" run $P --replication 2 --no-plots --quiet --out "$TMP/run"
h=$(grep '^plan,' "$TMP/run/replication-2/monthly.csv")
n=$(grep '^"flat",1,' "$TMP/run/replication-2/monthly.csv" | cut -d, -f"$(echo "$h" | tr ',' '\n' | grep -nx interactions_mean | cut -d: -f1)")
expect_eq "log rows = the engine's interactions of replication 2" "$rows" "$n"
# 200 + 100 input and 300 output tokens at 1 and 4 $/Mtok: 0.0003 + 0.0012
expect_eq "a row's spend by hand" "$(sed -n 2p "$TMP/a.csv" | cut -d, -f4,6,7,10)" "0.0015,300,300,small"
# every time inside March 2026 (prices.date), customers from 1 to 1500
expect_eq "times in month 0 = prices.date's month" "$(tail -n +2 "$TMP/a.csv" | cut -d, -f8 | cut -c1-7 | sort -u)" 2026-03
expect_eq "customers" "$(tail -n +2 "$TMP/a.csv" | cut -d, -f11 | sort -u | wc -l)" 1500
# fit recovers the generating law: CSN's alpha = tokensim's 1.5 + 1, within one standard error
"$BIN" fit "$TMP/a.csv" --no-plots --out "$TMP/fit" > /dev/null && ok || bad "fit the generated log"
a=$(jq -r .power_law.alpha "$TMP/fit/fit.json")
s=$(jq -r .power_law.alpha_se "$TMP/fit/fit.json")
expect_near "fit's alpha within its standard error of 2.5" "$a" 2.5 "$s"
"$BIN" generate-logs $P --replication 4 2> "$TMP/e" > /dev/null
expect_eq "replication past the scenario's exit" $? 2

# ---- replay -------------------------------------------------------------------
# replay.csv, by hand (m: 1 and 2 $/Mtok, cheap: 0.1 and 0.2; the file is out of time order):
# alice in May: a1 1000 in + 500 out = 0.002, a2 3000 in = 0.003, a3 1000 out = 0.002;
# bob 2000 in + 1000 out = 0.004 in May and in June. Three customer-months, infra $1 each.
#   flat $10:               revenue 30, model cost 0.007 + 0.008 = 0.015
#   capped $5, 2 then refuse: alice's a3 refused: 15, 0.005 + 0.008 = 0.013
#   soft $8, after 1 on cheap: alice's a2 and a3 on cheap, 0.0003 + 0.0002: 24, 0.0025 + 0.008 = 0.0105
"$BIN" replay $D/logs/replay.csv $D/ok/replay_plans.yaml --out "$TMP/rp" --quiet && ok || bad "replay"
r() { jq -r "$1" "$TMP/rp/replay.json"; }
expect_eq "replay customer-months" "$(r .rows.customer_months)" 3
expect_eq "replay flat revenue" "$(r '.plans[0].revenue')" 30
expect_near "replay flat model cost" "$(r '.plans[0].model_cost')" 0.015 1e-12
expect_near "replay flat other cost" "$(r '.plans[0].other_cost')" 3 1e-12
expect_eq "replay capped revenue" "$(r '.plans[1].revenue')" 15
expect_near "replay capped model cost (the last request refused)" "$(r '.plans[1].model_cost')" 0.013 1e-12
expect_eq "replay capped refused" "$(r '.plans[1].refused')" 1
expect_eq "replay soft revenue" "$(r '.plans[2].revenue')" 24
expect_near "replay soft model cost" "$(r '.plans[2].model_cost')" 0.0105 1e-12
expect_eq "replay soft downgraded" "$(r '.plans[2].downgraded')" 2
# bills against flat: capped alice 5 - 10, bob 2 x (5 - 10): mean -7.5, bob the largest fall
expect_near "replay bill change" "$(r '.plans[1].bill_change_per_customer')" -7.5 1e-12
expect_eq "replay largest fall" "$(r '.plans[1].largest_falls[0].customer')" bob
# margin (30 - 0.015 - 3) / 30
expect_near "replay flat margin" "$(r '.plans[0].gross_margin_pct')" 89.95 1e-9
grep -q '^"capped",15,' "$TMP/rp/replay.csv" && ok || bad "replay.csv row"
"$BIN" replay $D/logs/replay.csv $D/ok/replay_plans.yaml --out "$TMP/rp2" --quiet
cmp -s "$TMP/rp/replay.json" "$TMP/rp2/replay.json" && ok || bad "replay is not deterministic"
"$BIN" replay $D/logs/replay.csv $D/ok/tier_moves.yaml --out "$TMP/x" 2> "$TMP/e"
expect_eq "replay of a plan keeping tiers: exit" $? 2
grep -q "cannot replay plan" "$TMP/e" && ok || bad "replay tiers message: $(cat "$TMP/e")"
"$BIN" replay $D/logs/replay.csv 2> /dev/null
expect_eq "replay without a scenario: exit" $? 2

# a generated log replayed gives the scenario's own run on the same customers: one month,
# every customer with requests, one feature: revenue and model cost exactly those of the run
"$BIN" replay "$TMP/a.csv" $P --bootstrap 0 --out "$TMP/rg" --quiet && ok || bad "replay a generated log"
mc=$(grep '^"flat",1,' "$TMP/run/replication-2/monthly.csv" | cut -d, -f"$(echo "$h" | tr ',' '\n' | grep -nx model_cost_mean | cut -d: -f1)")
rv=$(grep '^"flat",1,' "$TMP/run/replication-2/monthly.csv" | cut -d, -f"$(echo "$h" | tr ',' '\n' | grep -nx revenue_mean | cut -d: -f1)")
expect_rel "replayed model cost = the run's" "$(jq -r '.plans[0].model_cost' "$TMP/rg/replay.json")" "$mc"
expect_rel "replayed revenue = the run's" "$(jq -r '.plans[0].revenue' "$TMP/rg/replay.json")" "$rv"

# ---- replay: levers, the logged spend, segments, the report ---------------------
# replay_levers.yaml: half of the calls from m to cheap (a tenth of m's prices: a call
# costs 0.5 + 0.05 = 0.55 of its price on m) from May, prompts 20% shorter from June.
# The log's input costs 0.001 + 0.003 + 0.002 + 0.002 = 0.008 and output 0.007:
# routed, 0.55 x 0.015 = 0.00825 (a saving of 0.00675, 45%); compressed, only b2's
# input in June, 0.55 x 0.002 x 0.2 = 0.00022; after both 0.00803.
L=$D/ok/replay_levers.yaml
"$BIN" replay $D/logs/replay.csv $L --out "$TMP/rl" > "$TMP/rl.txt" && ok || bad "replay with levers"
l() { jq -r "$1" "$TMP/rl/replay.json"; }
expect_near "levers: cost before" "$(l .levers.model_cost_before)" 0.015 1e-12
expect_near "levers: routing saves 0.45 of it" "$(l '.levers.steps[0].saving')" 0.00675 1e-12
expect_near "levers: compression from month 2 only (June)" "$(l '.levers.steps[1].saving')" 0.00022 1e-12
expect_near "levers: after both" "$(l .levers.model_cost_after)" 0.00803 1e-12
expect_near "levers: flat plan's model cost" "$(l '.plans[0].model_cost_levers')" 0.00803 1e-12
# capped refuses alice's a3 (0.002 on m, 0.0011 routed, May: not compressed)
expect_near "levers: capped plan's model cost" "$(l '.plans[1].model_cost_levers')" 0.00693 1e-12
expect_near "levers: flat profit 30 - 3 - 0.00803" "$(l '.plans[0].gross_profit_levers')" 26.99197 1e-9
expect_near "levers: model cost without levers unchanged" "$(l '.plans[0].model_cost')" 0.015 1e-12
# a lever at zero strength leaves each request at its plain price: the spec and the
# row's price agree
"$BIN" replay $D/logs/replay.csv $L --set levers.0.share=0 --set levers.1.reduction=0 --quiet --out "$TMP/rl0" \
    && ok || bad "replay with levers at zero"
expect_near "levers at zero: model cost = plain" "$(jq -r '.plans[0].model_cost_levers' "$TMP/rl0/replay.json")" 0.015 1e-15
# every row logs $0.90: 4.50 against the 0.015 recomputed
expect_eq "reconciliation: rows" "$(l '.reconciliation[0].rows')" 5
expect_near "reconciliation: logged" "$(l '.reconciliation[0].logged')" 4.5 1e-12
expect_near "reconciliation: recomputed" "$(l '.reconciliation[0].recomputed')" 0.015 1e-12
grep -q '^m  *5  *\$4.50  *\$0.01  *-99.67$' "$TMP/rl.txt" && ok || bad "reconciliation row in the terminal"
# segments: bob makes 1 request a month (2 in 2 months), alice 3 (in 1); the median of
# (1, 3) is 1, so bob is below it and alice between the median and P90 (3).
# capped against flat: bob 2 x (5 - 10) = -10, alice 5 - 10 = -5
expect_eq "segments: below median" "$(l '.segments[0].segment') $(l '.segments[0].customers') $(l '.segments[0].requests_per_month')" "below median 1 1"
expect_eq "segments: median to P90" "$(l '.segments[1].segment') $(l '.segments[1].requests_per_month')" "median to P90 3"
expect_eq "segments: bob's change under capped" "$(l '.segments[0].plans[1].bill_change_per_customer')" -10
expect_eq "segments: alice's change under capped" "$(l '.segments[1].plans[1].bill_change_per_customer')" -5
# bob's flat bill 20 against 2 x 1 infra + 0.004 + 0.004: (20 - 2.008) / 20
expect_near "segments: bob's flat margin" "$(l '.segments[0].plans[0].gross_margin_pct')" 89.96 1e-9
expect_eq "segments.csv rows" "$(($(wc -l < "$TMP/rl/segments.csv") - 1))" 4
grep -q '^below median,1,1,1,"capped",10,2.008,79.92,-10,0$' "$TMP/rl/segments.csv" && ok || bad "segments.csv row"
# the report opens with the answer and holds each part
grep -q 'flat has the highest gross margin on the logged requests, 89.95%; flat the highest gross profit' "$TMP/rl/report.md" && ok \
    || bad "report: the answer first"
for h in "Plans on the logged requests" "The scenario's levers on these requests" \
         "Logged spend against the scenario's prices" "By segment of usage"; do
    grep -q "## $h" "$TMP/rl/report.md" && grep -q "$h" "$TMP/rl/report.html" && ok || bad "report section: $h"
done
test -f "$TMP/rl/MANIFEST" && (cd "$TMP/rl" && sha256sum -c --quiet MANIFEST) && ok || bad "replay's MANIFEST"
# a failing replay into the same folder leaves the earlier set whole
cp "$TMP/rl/replay.json" "$TMP/rl.json"
"$BIN" replay $D/logs/replay.csv $D/ok/tier_moves.yaml --out "$TMP/rl" 2> /dev/null
expect_eq "failed replay: exit" $? 2
cmp -s "$TMP/rl.json" "$TMP/rl/replay.json" && ok || bad "a failed replay changed the earlier set"

finish replay
