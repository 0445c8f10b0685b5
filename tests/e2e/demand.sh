#!/usr/bin/env bash
# End-to-end tests of demand (docs/pricing.md): optimize finds the
# closed-form optimum of a linear and a constant-elasticity demand, a menu
# is byte-identical across thread counts, a market where nobody buys warns
# and writes zero customers, and the unlimited plan of the writing
# assistant draws the heaviest users.
# Usage: tests/e2e/demand.sh PATH/TO/tokensim
source "$(dirname "$0")/lib.sh" "$1"
D=tests/data/demand

best() { "$BIN" optimize "$@" --no-plots --json --out "$TMP/opt" 2>/dev/null | jq -r '.optimize.best.values["plans.a.price"]'; }

# The tolerances: with N = 40,000 customers (20 x 2,000) the profit lost a
# distance d from the optimum must pass 4 standard errors of the paired
# difference (the buyers between the two prices, and the count of buyers
# times d). Linear: loss N d^2 / 100 = 400 d^2 against
# 4 (50 sqrt(N d / 100) + sqrt(N / 4) d) = 4 (1000 sqrt(d) + 100 d): d = 5.4.
expect_near "linear demand: revenue-maximising price a/(2b)" \
    "$(best $D/linear_demand.yaml --plan a --vary plans.a.price=20:80)" 50 5.4
# Constant elasticity: profit N 25 (p - 10) / p^2, curvature -0.003125 N at
# 20, loss 62.5 d^2; noise 4 (10 sqrt(N 0.00625 d) + sqrt(N 0.0625 0.9375) d)
# = 4 (158 sqrt(d) + 48 d): d = 7.
expect_near "constant elasticity: profit-maximising price c e/(e-1)" \
    "$(best $D/constant_elasticity.yaml --plan a --vary plans.a.price=12:40)" 20 7

# ---- sweep draws the demand curve: customers 2,000 (1 - p/100) at price p,
# within 4 binomial standard errors of the mean of 20 replications
"$BIN" sweep $D/linear_demand.yaml --vary plans.a.price=20:80:30 --no-plots --out "$TMP/sw" > /dev/null 2>&1
for p in 20 50 80; do
    got=$(awk -F, -v p=$p 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "customers_mean") c = i }
                           NR > 1 && $1 == p && $2 == "\"a\"" { print $c }' "$TMP/sw/sweep.csv")
    tol=$(awk -v p=$p 'BEGIN { s = 1 - p / 100; printf "%.6f", 4 * sqrt(2000 * s * (1 - s) / 20) }')
    expect_near "sweep demand curve at \$$p" "$got" "$((2000 * (100 - p) / 100))" "$tol"
done

# ---- same seed, same menu at any thread count --------------------------------
M=scenarios/pricing/writing_menu.yaml
for t in 1 2 3; do
    "$BIN" run $M --replications 6 --threads $t --no-plots --out "$TMP/t$t" > /dev/null 2>&1 || bad "menu run --threads $t"
done
for f in menu.csv monthly.csv summary.json; do
    cmp -s "$TMP/t1/$f" "$TMP/t2/$f" && cmp -s "$TMP/t1/$f" "$TMP/t3/$f" && ok || bad "$f of a menu differs across --threads"
done
# the menu's rows: every month has each plan and "(no plan)"
expect_eq "menu.csv rows" "$(tail -n +2 "$TMP/t1/menu.csv" | wc -l)" $((12 * 4))

# ---- adverse selection: Pro's customers use and cost the most ----------------
q='.menu.plans | map(.interactions_per_customer_month) | (.[2] > 3 * .[1]) and (.[1] > .[0])'
expect_eq "the unlimited plan draws the heaviest users" "$(jq -r "$q" "$TMP/t1/summary.json")" true

# ---- a market where nobody buys ---------------------------------------------
"$BIN" run $D/empty_market.yaml --no-plots --out "$TMP/none" > "$TMP/none.out" 2> "$TMP/none.err"
expect_eq "empty market: exit status" $? 0
grep -q "warning: no arrival chose any plan" "$TMP/none.out" && ok || bad "empty market: no warning"
expect_eq "empty market: menu.empty" "$(jq -r .menu.empty "$TMP/none/summary.json")" true
expect_eq "empty market: customers" "$(jq -r '[.plans[].months[].customers.mean] | add' "$TMP/none/summary.json")" 0
# every arrival declined
expect_near "empty market: arrivals all declined" "$(jq -r '.menu.no_plan.mean - .menu.arrivals' "$TMP/none/summary.json")" 0 1e-9

# ---- a competitor's price is the outside option -------------------------------
# constant WTP $40, plan a at $20 (surplus 20), competitor at $25 ("no plan"
# worth 15): every one of the 2,000 customers signs up; at $15 (worth 25)
# none does (tests/data/demand/competitor.yaml)
C=$D/competitor.yaml
signed() { jq -r '.menu.arrivals - .menu.no_plan.mean' "$1/summary.json"; }
"$BIN" run $C --no-plots --out "$TMP/c25" > /dev/null 2>&1 || bad "competitor run"
expect_near "competitor at \$25: everyone signs up" "$(signed "$TMP/c25")" 2000 1e-9
"$BIN" run $C --set wtp.competitor_price=15 --no-plots --out "$TMP/c15" > /dev/null 2>&1
expect_near "competitor at \$15: no one signs up" "$(signed "$TMP/c15")" 0 1e-9
# with logit scale 10 the share on a is e^0.5 / (1 + e^0.5 + e^-97.5) =
# 0.622459; the mean of 20 replications of 2,000 has a binomial standard
# error sqrt(2000 p (1 - p) / 20) = 4.85, tolerance 4 of them
"$BIN" run $C --set wtp.logit_scale=10 --no-plots --out "$TMP/cl" > /dev/null 2>&1
expect_near "competitor with logit noise: the softmax share" "$(signed "$TMP/cl")" 1244.92 19.4
# a price war as a shock in time (0.7 x 25 = 17.5, "no plan" worth 22.5 > 20)
{ cat $C; echo 'shocks: [ { type: competitor_price, factor: 0.7 } ]'; } > "$TMP/war.yaml"
"$BIN" run "$TMP/war.yaml" --no-plots --out "$TMP/cw" > /dev/null 2>&1 || bad "competitor_price shock refused"
expect_near "price war shock: no one signs up" "$(signed "$TMP/cw")" 0 1e-9
# with logit noise it lowers the share: e^-0.25 / (1 + e^-0.25) = 0.437823
"$BIN" run "$TMP/war.yaml" --set wtp.logit_scale=10 --no-plots --out "$TMP/cwl" > /dev/null 2>&1
expect_near "price war with logit noise" "$(signed "$TMP/cwl")" 875.65 19.9
# the stress battery's price_war row: plan a's profit goes from 2,000 x $20 to 0
"$BIN" stress $C --no-plots --out "$TMP/cs" > /dev/null 2>&1 || bad "stress of a menu with a competitor"
expect_eq "stress price_war row" "$(awk -F, '$1 == "\"price_war\"" && $2 == "\"a\"" { print $3 "/" $13 }' "$TMP/cs/stress.csv")" 1/0
expect_eq "stress baseline profit" "$(awk -F, '$1 == "\"baseline\"" && $2 == "\"a\"" { print $13 }' "$TMP/cs/stress.csv")" 40000
# no price_war row without a competitor
"$BIN" stress $D/linear_demand.yaml --no-plots --out "$TMP/ls" > /dev/null 2>&1
expect_eq "no price_war row without a competitor" "$(grep -c price_war "$TMP/ls/stress.csv")" 0

# ---- the battery's demand rows (a wtp block): WTP x 0.8 and elasticity x 1.5
# linear demand, plan a at $30: buyers 2,000 (1 - 30/100) = 1,400, revenue
# 42,000; with WTP x 0.8 those with 0.8 v > 30, 2,000 (1 - 37.5/100) = 1,250,
# revenue 37,500; standard error of 20 replications' mean revenue 30
# sqrt(2000 p (1 - p) / 20) = 145, tolerance 4 of them
row() { awk -F, -v k="\"$2\"" '$1 == k && $2 == "\"a\"" { print $3 "/" $13 }' "$1/stress.csv"; }
"$BIN" stress $D/linear_demand.yaml --no-plots --out "$TMP/ws" > /dev/null 2>&1 || bad "stress of linear demand"
r=$(row "$TMP/ws" wtp_down_20)
expect_eq "wtp_down_20 applicable" "${r%%/*}" 1
expect_near "wtp_down_20: revenue of 0.8 x WTP" "${r#*/}" 37500 580
expect_eq "elasticity_x1_5 not applicable without usage elasticity" "$(row "$TMP/ws" elasticity_x1_5)" 0/
# usage at unit price = reference price falls by 2^-1 at elasticity 1 and by
# 2^-1.5 at 1.5: revenue 1,000 customers x 100 x 2^-1.5 x $0.02 = 707.1068
cat > "$TMP/el.yaml" <<'YAML'
name: elastic usage
horizon_months: 1
replications: 4
prices: { models: [ { name: m, input_per_mtok: 0, output_per_mtok: 0 } ] }
customers: { initial: 1000, new_per_month: 0 }
usage: { distribution: constant, value: 100, counts: fixed }
features: [ { name: f, model: m, tokens: { user: 100, output: 100 } } ]
wtp: { distribution: constant, value: 30, plan_choice: menu, usage_elasticity: 1, usage_reference_price: 0.02 }
plans:
  - { name: a, type: usage, unit: interaction, unit_price: 0.02 }
  - { name: b, price: 100 }
YAML
"$BIN" stress "$TMP/el.yaml" --no-plots --out "$TMP/es" > /dev/null 2>&1 || bad "stress of elastic usage"
r=$(row "$TMP/es" elasticity_x1_5)
expect_near "elasticity_x1_5: usage x 2^-1.5" "${r#*/}" 707.1068 1e-3
expect_near "baseline: usage x 2^-1" "$(row "$TMP/es" baseline | cut -d/ -f2)" 1000 1e-9
# no demand row without a wtp block
"$BIN" stress scenarios/default.yaml --replications 2 --no-plots --out "$TMP/ds" > /dev/null 2>&1
expect_eq "no demand rows without a wtp block" "$(grep -c 'wtp_down_20\|elasticity_x1_5' "$TMP/ds/stress.csv")" 0

# ---- the resolved scenario reads back, in a menu and out of one --------------
for f in scenarios/pricing/*.yaml $D/*.yaml; do
    "$BIN" show "$f" > "$TMP/rt.yaml" && "$BIN" validate "$TMP/rt.yaml" > /dev/null 2>&1 && ok || bad "show $f does not read back"
done
"$BIN" show $D/linear_demand.yaml --set wtp.plan_choice=all > "$TMP/rt.yaml" 2>/dev/null
"$BIN" validate "$TMP/rt.yaml" > /dev/null 2>&1 && ok || bad "show without a menu does not read back"

# ---- without a wtp block nothing of the menu appears --------------------------
"$BIN" run scenarios/default.yaml --replications 2 --no-plots --out "$TMP/plain" > "$TMP/plain.out"
[ ! -e "$TMP/plain/menu.csv" ] && ok || bad "menu.csv without a menu"
expect_eq "no menu key without a menu" "$(jq -r 'has("menu")' "$TMP/plain/summary.json")" false

finish demand
