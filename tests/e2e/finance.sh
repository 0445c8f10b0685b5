#!/usr/bin/env bash
# End-to-end tests of unit economics and cash (docs/finance.md) against
# hand calculations on tests/data/finance/ltv.yaml, where every billed
# customer-month earns exactly g = $46.50: the simulated LTV against its
# closed form, retention curves against (1-c)^t, net revenue retention,
# cash, CAC payback, runway, a marketing budget's sign-ups; the files and
# their absence without finance keys; the same bytes at any thread count.
# Usage: tests/e2e/finance.sh PATH/TO/tokensim
source "$(dirname "$0")/lib.sh" "$1"
F=tests/data/finance/ltv.yaml

# fig DIR PLAN FIGURE COLUMN: a figure of unit_economics.csv (columns: plan,
# month, figure, mean, se, p5, p50, p95)
fig() { awk -F, -v p="\"$2\"" -v f="$3" -v c="$4" '$1 == p && $2 == "" && $3 == f { print $c }' "$1/unit_economics.csv"; }
# within NAME GOT SE WANT: |GOT - WANT| <= 4 SE (+ 1e-9 for rounding)
within() { expect_near "$1" "$2" "$4" "$(awk -v s="$3" 'BEGIN { print 4 * s + 1e-9 }')"; }

"$BIN" run $F --no-plots --threads 2 --out "$TMP/a" > "$TMP/a.txt" || bad "run: exit status"
for f in cohorts.csv unit_economics.csv; do
    [ -s "$TMP/a/$f" ] && ok || bad "run: no $f"
done
grep -q "^unit economics (mean, p5..p95" "$TMP/a.txt" && ok || bad "run: no unit-economics block"
grep -q "cohorts.csv, unit_economics.csv" "$TMP/a.txt" && ok || bad "run: the wrote line does not list the new files"

# ---- LTV: g (1+d)/(c+d) (1 - q^24), q = (1-c)/(1+d), d = 1.1^(1/12) - 1 --------
read -r closed forever < <(awk 'BEGIN { g = 46.5; c = 0.05; d = exp(log(1.1) / 12) - 1; q = (1 - c) / (1 + d);
                                        l = g * (1 + d) / (c + d); printf "%.10f %.10f\n", l * (1 - q ^ 24), l }')
expect_rel "closed form over the horizon" "$(fig "$TMP/a" flat ltv_closed_form_horizon 4)" "$closed"
expect_rel "closed form for ever" "$(fig "$TMP/a" flat ltv_closed_form 4)" "$forever"
within "simulated LTV = closed form" "$(fig "$TMP/a" flat ltv 4)" "$(fig "$TMP/a" flat ltv 5)" "$closed"
expect_rel "g = m * ARPU" "$(fig "$TMP/a" flat gross_profit_per_customer 4)" 46.5

# ---- retention of the month-1 cohort: 100 (1 - c)^age, each age within 4 se ----
awk -F, '$1 == "\"flat\"" && $2 == 1 && $5 == "retention_pct" && $4 > 0 {
             want = 100 * 0.95 ^ $4; d = $6 - want; if (d < 0) d = -d;
             n++; if (d > 4 * $7 + 1e-9) { bad++; print "age " $4 ": " $6 " against " want > "/dev/stderr" } }
         END { exit !(n == 23 && bad == 0) }' "$TMP/a/cohorts.csv" && ok || bad "retention curve against (1-c)^t"
# a flat plan: revenue retention follows customer retention exactly
awk -F, '$2 == 1 && $5 == "retention_pct" { r[$3] = $6 } $2 == 1 && $5 == "revenue_retention_pct" { v[$3] = $6 }
         END { for (m in r) { n++; d = r[m] - v[m]; if (d < 0) d = -d; if (d > 1e-6) bad++ } exit !(n == 24 && !bad) }' \
    "$TMP/a/cohorts.csv" && ok || bad "revenue retention = retention on a flat plan"
expect_eq "cohort of month 1 has 1,000 sign-ups" \
    "$(awk -F, '$2 == 1 && $3 == 1 && $5 == "customers" { print $6 }' "$TMP/a/cohorts.csv")" 1000

# ---- revenue retention from month 12 to 24: 0.95^12; no expansion: GRR = NRR ----
within "net revenue retention" "$(fig "$TMP/a" flat net_revenue_retention_pct 4)" \
    "$(fig "$TMP/a" flat net_revenue_retention_pct 5)" "$(awk 'BEGIN { print 100 * 0.95 ^ 12 }')"
expect_eq "GRR = NRR on a flat plan" "$(fig "$TMP/a" flat gross_revenue_retention_pct 4)" \
    "$(fig "$TMP/a" flat net_revenue_retention_pct 4)"

# ---- cash: g x expected customer-months = 46.5 x 1000 (1 - 0.95^24) / 0.05 ----
within "cash at the horizon" "$(fig "$TMP/a" flat cash_end 4)" "$(fig "$TMP/a" flat cash_end 5)" \
    "$(awk 'BEGIN { print 46.5 * 1000 * (1 - 0.95 ^ 24) / 0.05 }')"

# ---- CAC payback: $300 a sign-up / $46.50 a month = 6.4516 months, every replication
"$BIN" run $F --no-plots --set customers.new_per_month=50 --out "$TMP/b" > /dev/null || bad "payback run"
expect_rel "CAC" "$(fig "$TMP/b" flat cac 4)" 300
for c in 4 6 8; do
    expect_rel "payback months (column $c)" "$(fig "$TMP/b" flat cac_payback_months $c)" "$(awk 'BEGIN { printf "%.12g", 300 / 46.5 }')"
done

# ---- runway: no churn, $46,500 a month against $60,000 of fixed costs from $100,000:
# -13,500 a month, below 0 at the end of month 8 (100,000 - 8 x 13,500 = -8,000)
"$BIN" run $F --no-plots --set customers.churn_monthly=0 --set finance.fixed_costs=60000 \
    --set finance.starting_cash=100000 --out "$TMP/r" > "$TMP/r.txt" || bad "runway run"
expect_eq "runway month" "$(fig "$TMP/r" flat runway_months 4)" 8
expect_eq "everyone runs out" "$(fig "$TMP/r" flat out_of_cash_share 4)" 1
expect_eq "burn" "$(fig "$TMP/r" flat burn_last_month 4)" 13500
expect_eq "cash at the horizon" "$(fig "$TMP/r" flat cash_end 4)" "$((100000 - 24 * 13500))"
grep -q "100.0% of replications, at month 8..8" "$TMP/r.txt" && ok || bad "runway in the terminal"

# ---- a marketing budget: B = n CPA(n), CPA(n) = 300 (n/100): n = 100 sqrt(2) a month
"$BIN" run $F --no-plots --set finance.marketing_budget=60000 --set finance.acquisition_volume=100 \
    --set finance.acquisition_elasticity=1 --out "$TMP/m" > /dev/null || bad "budget run"
col=$(head -1 "$TMP/m/monthly.csv" | tr , '\n' | grep -n '^new_customers_mean$' | cut -d: -f1)
read -r got se < <(awk -F, -v c="$col" 'NR == 7 { print $c, $(c + 1) }' "$TMP/m/monthly.csv")
within "sign-ups the budget buys" "$got" "$se" "$(awk 'BEGIN { print 100 * sqrt(2) }')"
expect_eq "acquisition spend = budget" \
    "$(awk -F, '$2 == 5 && $3 == "acquisition_spend" { print $4 }' "$TMP/m/unit_economics.csv")" 60000

# ---- summary.json section; nothing without finance keys --------------------------------
expect_eq "summary.json: unit_economics" "$(jq '.unit_economics.plans[0] | has("ltv") and has("cash")' "$TMP/a/summary.json")" true
expect_eq "summary.json: schema_version unchanged" "$(jq .schema_version "$TMP/a/summary.json")" \
    "$("$BIN" run scenarios/default.yaml --replications 2 --no-plots --out "$TMP/n" > "$TMP/n.txt"; jq .schema_version "$TMP/n/summary.json")"
[ -e "$TMP/n/cohorts.csv" ] || [ -e "$TMP/n/unit_economics.csv" ] && bad "files without finance keys" || ok
expect_eq "no unit_economics without finance keys" "$(jq 'has("unit_economics")' "$TMP/n/summary.json")" false
grep -q "unit economics" "$TMP/n.txt" && bad "unit-economics block without finance keys" || ok
"$BIN" show $F | grep -q "^finance:" && ok || bad "show: no finance section"
"$BIN" show scenarios/default.yaml | grep -q "^finance:" && bad "show: a finance section nobody asked for" || ok

# ---- same bytes at any thread count ---------------------------------------------------
"$BIN" run $F --no-plots --threads 1 --set customers.new_per_month=50 --out "$TMP/t1" > /dev/null
"$BIN" run $F --no-plots --threads 2 --set customers.new_per_month=50 --out "$TMP/t2" > /dev/null
for f in cohorts.csv unit_economics.csv summary.json; do
    cmp -s "$TMP/t1/$f" "$TMP/t2/$f" && ok || bad "$f differs between 1 and 2 threads"
done

finish finance
