#!/usr/bin/env bash
# users.sh: what a user reads first. Plan terms in words (never "$0.00 per
# customer-month"), names never cut and never turned into gnuplot subscripts,
# segment margins "-" where the revenue is too small, money in one format,
# optimize refusing to guess a plan and saying when its objective is flat,
# stress columns within the horizon, tornado parameters in words and only
# for the models the product calls.
# usage: bash tests/e2e/users.sh bin/tokensim
source "$(dirname "$0")/lib.sh" "$1"

N=tests/data/ok/names.yaml
PM=scenarios/textbook/pricing_models.yaml

# ---- run: the plan header and summary.json give the terms ---------------
"$BIN" run $PM --replications 10 --out "$TMP/pm" > "$TMP/pm.txt" 2>&1
expect_eq "run: exit" $? 0
grep -q "per customer-month, target" "$TMP/pm.txt" && bad "run: header still says '\$X per customer-month'" || ok
# the chapter's own terms: usage at $0.05, hybrid $20 with 200 included
grep -q "^plan 'usage' (usage): \$0.05 per interaction, target margin 60%$" "$TMP/pm.txt" && ok || bad "run: usage terms"
grep -q "^plan 'hybrid' (hybrid): \$20.00 a month + \$0.05 per interaction over 200, target" "$TMP/pm.txt" \
    && ok || bad "run: hybrid terms"
expect_eq "summary: usage price is null" "$(jq -r '.plans[1].price' "$TMP/pm/summary.json")" null
expect_eq "summary: flat price" "$(jq -r '.plans[0].price' "$TMP/pm/summary.json")" 20
expect_eq "summary: usage terms" "$(jq -r '.plans[1].terms' "$TMP/pm/summary.json")" '$0.05 per interaction'

# ---- segments: the tiered plan's light users pay ~nothing (free tier) ------
# light users (P0-P50, 24.5 interactions) sit in the free tier of 50: revenue
# is cents against $0.53 of AI cost, under 10% of cost, so no margin
awk '/^plan .tiered/ { on = 1 } on && $1 == "light" { print $7; exit }' "$TMP/pm.txt" > "$TMP/light"
expect_eq "run: tiered light margin is '-'" "$(cat "$TMP/light")" "-"
grep -q '^| light | .* | - |$' "$TMP/pm/report.md" && ok || bad "report.md: tiered light margin not '-'"
# columns: plan, segment, then five statistics each of share, interactions, AI cost, revenue, profit, margin
m=$(awk -F, '$1 == "\"tiered\"" && $2 == "\"light\"" { print $28 }' "$TMP/pm/segments.csv")
expect_eq "segments.csv: tiered light margin_mean empty" "$m" ""
grep -q '^"light"' "$TMP/pm/plots/segments_tiered.gp" && bad "segment plot draws the light bar" || ok
grep -q '^nseg = 3$' "$TMP/pm/plots/segments_tiered.gp" && ok || bad "segment plot: nseg not 3"
grep -q '^"light"' "$TMP/pm/plots/segments_flat.gp" && ok || bad "segment plot: flat light bar missing"
# one money format: thousands separators, no "$64.0k" or "$1.2M"
grep -Eq '\$[0-9.]+[kM]\b' "$TMP/pm/report.md" && bad "report.md: money with k/M suffix" || ok
grep -Eq '\$[0-9]{4,}' "$TMP/pm/report.md" && bad "report.md: money without thousands separators" || ok
grep -Eq '\$[0-9]{1,3}(,[0-9]{3})+ ' "$TMP/pm/report.md" && ok || bad "report.md: no separated money"

# ---- names: whole, and never enhanced text --------------------------------
"$BIN" compare $N --out "$TMP/n" > "$TMP/n.txt" 2>&1
expect_eq "compare names: exit" $? 0
grep -Eq '^base10_overage_plan_x +[0-9,]+ ' "$TMP/n.txt" && ok || bad "compare: long plan name cut"
grep -Eq '^  base10_overage_plan_x +\$20.00 flat$' "$TMP/n.txt" && ok || bad "compare: terms legend lacks the long name"
grep -q '^base10_overage_plan_x - pay^2{per}_use ' "$TMP/n.txt" && ok || bad "compare: pair names cut"
"$BIN" sweep $N --vary customers.churn_monthly=0.02:0.04:0.02 --out "$TMP/sw" > "$TMP/sw.txt" 2>&1 \
    && ok || bad "sweep names"
grep -q ' base10_overage_plan_x ' "$TMP/sw.txt" && ok || bad "sweep: long plan name cut"
"$BIN" stress $N --replications 4 --out "$TMP/st" > "$TMP/st.txt" 2>&1 && ok || bad "stress names"
"$BIN" tornado $N --plan 'pay^2{per}_use' --replications 4 --out "$TMP/to" > "$TMP/to.txt" 2>&1 \
    && ok || bad "tornado names"
"$BIN" optimize $N --plan 'team@acme & co' --vary 'plans.team@acme & co.price=15:25:5' --replications 4 \
    --out "$TMP/op" > "$TMP/op.txt" 2>&1 && ok || bad "optimize names: $(tail -1 "$TMP/op.txt")"
ngp=0
for gp in "$TMP"/{n,sw,st,to,op}/plots/*.gp; do
    ngp=$((ngp + 1))
    if grep '^set terminal' "$gp" | grep -v -q ' noenhanced '; then bad "$gp: an enhanced terminal"; else ok; fi
    grep -Eq '(^| )enhanced' "$gp" && bad "$gp: enhanced text" || ok
done
[ "$ngp" -ge 20 ] && ok || bad "only $ngp plot scripts"
# gnuplot draws the name as written: the SVG holds it as plain text
if command -v gnuplot > /dev/null; then
    grep -q 'base10_overage_plan_x' "$TMP/n/plots/plans.svg" && ok || bad "plans.svg: name not drawn as written"
    grep -q 'pay^2{per}_use' "$TMP/n/plots/plans.svg" && ok || bad "plans.svg: ^ { } name not as written"
    grep -q 'team@acme &amp; co' "$TMP/n/plots/plans.svg" && ok || bad "plans.svg: @ & name not as written"
fi

# ---- optimize: no guessing, and a flat objective said so --------------------
"$BIN" optimize scenarios/default.yaml --vary plans.starter.price=10:30 --no-plots --out "$TMP/od" \
    > /dev/null 2> "$TMP/e"
expect_eq "optimize several plans: exit" $? 2
expect_eq "optimize several plans: message" "$(cat "$TMP/e")" \
    "tokensim: optimize needs --plan: the scenario has 2 plans ('starter', 'pro')"
# the target margin changes no bill and no cost: every point earns the same
"$BIN" optimize tests/data/ok/solve_flat.yaml --vary plans.flat.target_margin=0.1:0.9:0.1 --no-plots --json \
    --out "$TMP/of" > "$TMP/of.json"
expect_eq "optimize flat: flag" "$(jq .optimize.flat "$TMP/of.json")" true
"$BIN" optimize tests/data/ok/solve_flat.yaml --vary plans.flat.target_margin=0.1:0.9:0.1 --no-plots \
    --out "$TMP/of" > "$TMP/of.txt"
grep -q "^the objective is flat" "$TMP/of.txt" && ok || bad "optimize flat: not said"
grep -q "^best:" "$TMP/of.txt" && bad "optimize flat: still names a best point" || ok
"$BIN" optimize tests/data/ok/solve_flat.yaml --vary plans.flat.price=1:4:1 --json --no-plots --out "$TMP/op3" \
    > "$TMP/op3.json"
expect_eq "optimize not flat: flag" "$(jq .optimize.flat "$TMP/op3.json")" false

# ---- stress: only months within the 12-month horizon ------------------------
grep -q "month 24\|month 36" "$TMP/st.txt" && bad "stress: columns past the horizon" || ok
grep -q "in month 12; over the horizon" "$TMP/st.txt" && ok || bad "stress: month 12 column"
head -2 "$TMP/st/stress.csv" | grep -q "m24_" && bad "stress.csv: m24 columns on 12 months" || ok

# ---- tornado: models the product calls, in words ------------------------------
grep -q "opus" "$TMP/to.txt" && bad "tornado: lists the unused opus" || ok
grep -q " sonnet output price " "$TMP/to.txt" && ok || bad "tornado: no 'sonnet output price'"
grep -q " churn rate " "$TMP/to.txt" && ok || bad "tornado: no 'churn rate'"
grep -q " unit price of plan pay^2{per}_use " "$TMP/to.txt" && ok || bad "tornado: plan price label"
expect_eq "tornado json: label beside path" \
    "$(jq -r '.tornado.parameters[] | select(.path == "customers.churn_monthly") | .label' "$TMP/to/summary.json")" \
    "churn rate"

finish users
