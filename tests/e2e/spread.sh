#!/usr/bin/env bash
# spread.sh: a feature whose calls spread around their mean tokens is priced
# by the lognormal's partial expectations (features[].spread), computed here
# independently in Python, and a run pays exactly that per interaction; the
# empirical law reads the shipped trace; fit writes the spread it measured.
# Usage: bash tests/e2e/spread.sh BIN
source "$(dirname "$0")/lib.sh" "$1"
D=tests/data

# tests/data/ok/spread.yaml: 3,000 input tokens a call (sigma 1.1), long rates ($6 / $22.50
# for $3 / $15) above 8,000, 400 output tokens (sigma 0.9) cut at 600
want=$(python3 -c '
from math import erf, log, sqrt
P = lambda z: 0.5 * (1 + erf(z / sqrt(2)))
si, so, tin, tout, a, L = 1.1, 0.9, 3000.0, 400.0, 8000.0, 600.0
mi, mo = log(tin) - si * si / 2, log(tout) - so * so / 2
low = P((log(a) - mi) / si)
inlow = tin * P((log(a) - mi - si * si) / si)
out = tout * P((log(L) - mo - so * so) / so) + L * (1 - P((log(L) - mo) / so))
print("%.15g" % ((3 * inlow + 6 * (tin - inlow) + out * (15 * low + 22.5 * (1 - low))) / 1e6))')
"$BIN" run $D/ok/spread.yaml --no-plots --quiet --out "$TMP/sp" && ok || bad "run with a spread"
head=$(grep '^plan,' "$TMP/sp/monthly.csv")
col() { echo "$head" | tr ',' '\n' | grep -nx "$1" | cut -d: -f1; }
row=$(grep '^"flat",1,' "$TMP/sp/monthly.csv")
got=$(awk -v c="$(echo "$row" | cut -d, -f"$(col model_cost_mean)")" \
          -v n="$(echo "$row" | cut -d, -f"$(col interactions_mean)")" 'BEGIN { printf "%.15g", c / n }')
expect_rel "model cost per interaction = the closed form" "$got" "$want"
# the mean call alone would pay 3,000 x 3 + 400 x 15 = $0.015: the spread costs more
awk -v g="$got" 'BEGIN { exit !(g > 0.0165) }' && ok || bad "the spread did not raise the price: $got"
# without the spread the run pays the mean call exactly
"$BIN" run $D/ok/spread.yaml --set features.0.spread.law=fixed --set features.0.spread.input_sigma=0 \
    --set features.0.spread.output_sigma=0 --set features.0.max_output_tokens=0 --no-plots --quiet --out "$TMP/sp0" \
    && ok || bad "run without the spread"
row=$(grep '^"flat",1,' "$TMP/sp0/monthly.csv")
got=$(awk -v c="$(echo "$row" | cut -d, -f"$(col model_cost_mean)")" \
          -v n="$(echo "$row" | cut -d, -f"$(col interactions_mean)")" 'BEGIN { printf "%.15g", c / n }')
expect_rel "no spread: the mean call's price" "$got" 0.015

# the empirical law on the shipped trace: at its own means, below the long-context threshold
# and with no output limit, a linear price of the mean call
"$BIN" run $D/ok/spread.yaml --set features.0.spread.law=empirical --set features.0.spread.input_sigma=0 \
    --set features.0.spread.output_sigma=0 --set features.0.spread.data=$D/traces/azure_llm_code_2023.csv \
    --set features.0.spread.input_column=ContextTokens --set features.0.spread.output_column=GeneratedTokens \
    --set features.0.max_output_tokens=0 --set prices.models.m.long_context_above=0 \
    --no-plots --quiet --out "$TMP/spe" && ok || bad "run with the empirical token law"
row=$(grep '^"flat",1,' "$TMP/spe/monthly.csv")
got=$(awk -v c="$(echo "$row" | cut -d, -f"$(col model_cost_mean)")" \
          -v n="$(echo "$row" | cut -d, -f"$(col interactions_mean)")" 'BEGIN { printf "%.15g", c / n }')
expect_rel "empirical, linear prices: the mean call's price" "$got" 0.015

# fit writes the spread it measured into the scenario it emits, and that scenario loads
"$BIN" fit $D/traces/azure_llm_code_2023.csv --no-plots --quiet --out "$TMP/fit" --emit-scenario > /dev/null && ok || bad "fit"
grep -q 'spread: { law: lognormal, input_sigma: [0-9.]*, output_sigma: [0-9.]* }' "$TMP/fit/scenario.yaml" && ok \
    || bad "fit's scenario has no spread"
"$BIN" validate "$TMP/fit/scenario.yaml" > /dev/null && ok || bad "fit's scenario does not load"
finish spread
