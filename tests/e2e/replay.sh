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

finish replay
