#!/usr/bin/env bash
# uncertain.sh: the `uncertain:` section end to end. A law that can only
# draw the current value leaves every figure as it was (the replication's
# copy of the scenario is the scenario, its customers the same streams);
# draws do not depend on the thread count or on which replications run;
# Latin hypercube puts one draw in each stratum; a drawn price is the price
# billed; the variance split finds an input that matters and one that does
# not; the nearest matrix offered for an invalid one is valid.
source "$(dirname "$0")/lib.sh"

small() {   # small NAME: a small flat-plan scenario, then the rest from stdin
    cat > "$TMP/$1.yaml" <<'YAML'
name: small
replications: 40
horizon_months: 6
prices: { models: [ { name: m, input_per_mtok: 3, output_per_mtok: 15 } ] }
customers: { initial: 150, new_per_month: 10, churn_monthly: 0.05 }
usage: { distribution: pareto, alpha: 2, min: 20, cap: 2000 }
features: [ { name: f, model: m, tokens: { user: 1000, output: 300 } } ]
plans: [ { name: flat, price: 20 }, { name: pro, price: 35 } ]
YAML
    cat >> "$TMP/$1.yaml"
}

# ---- a law of one value, the current one: every figure unchanged -----------
for f in scenarios/default.yaml scenarios/textbook/levers_caching.yaml; do
    cp "$f" "$TMP/plain.yaml"
    { cat "$f"; printf '\nuncertain:\n  inputs:\n    - { path: customers.churn_monthly, op: times, dist: discrete, values: "1" }\n'; } > "$TMP/same.yaml"
    "$BIN" run "$TMP/plain.yaml" --replications 6 --no-plots --out "$TMP/p0" > /dev/null
    "$BIN" run "$TMP/same.yaml" --replications 6 --no-plots --out "$TMP/p1" > /dev/null
    expect_eq "$f: exit status with a one-value law" $? 0
    for c in monthly.csv replications.csv segments.csv metrics.csv; do
        cmp -s "$TMP/p0/$c" "$TMP/p1/$c" && ok || bad "$f: $c changed under a one-value law"
    done
    [ -s "$TMP/p1/inputs.csv" ] && [ ! -e "$TMP/p0/inputs.csv" ] && ok || bad "$f: inputs.csv only with uncertain inputs"
done

# ---- same bytes at any thread count, and for a replication run alone -------
small corr <<'YAML'
uncertain:
  sampling: latin_hypercube
  inputs:
    - { path: usage.alpha, dist: pert, min: 1.6, mode: 2, max: 2.6, correlations: "1 -0.6" }
    - { path: customers.churn_monthly, dist: triangular, min: 0.02, mode: 0.04, max: 0.1, correlations: "-0.6 1" }
YAML
"$BIN" run "$TMP/corr.yaml" --threads 1 --no-plots --out "$TMP/t1" > /dev/null
"$BIN" run "$TMP/corr.yaml" --threads 2 --no-plots --out "$TMP/t2" > /dev/null
for c in monthly.csv replications.csv inputs.csv summary.json; do
    cmp -s "$TMP/t1/$c" "$TMP/t2/$c" && ok || bad "$c differs between 1 and 2 threads"
done
"$BIN" run "$TMP/corr.yaml" --replication 7 --no-plots --out "$TMP/r7" > /dev/null
expect_eq "replication 7 alone draws what the full run drew" "$(sed -n 2p "$TMP/r7/replication-7/inputs.csv")" \
    "$(sed -n 8p "$TMP/t1/inputs.csv")"
# Latin hypercube: the 40 draws of alpha fall one in each of 40 strata of
# equal probability; PERT(1.6, 2, 2.6) is 1.6 + Beta(2.6, 3.4), so the
# stratum of x is floor(40 F(x)), F from the draw's own rank here: the
# check is that no two draws share a stratum of the uniform scale, which
# inputs.csv cannot show directly; instead, the sorted draws of churn must
# interleave the triangular law's 41 quantiles (one per stratum):
# F^-1(u) = a + sqrt(u (b-a)(c-a)) below Fc = 1/4, b - sqrt((1-u)(b-a)(b-c)) above
awk -F, 'NR > 1 { print $4 }' "$TMP/t1/inputs.csv" | sort -g > "$TMP/churn"
strata=$(awk 'function q(u) { return u <= 0.25 ? 0.02 + sqrt(u * 0.08 * 0.02) : 0.1 - sqrt((1 - u) * 0.08 * 0.06) }
    { x[NR] = $1 } END { bad = 0; for (i = 1; i <= NR; i++) if (x[i] < q((i - 1) / 40) - 1e-12 || x[i] > q(i / 40) + 1e-12) bad++; print NR, bad }' "$TMP/churn")
expect_eq "latin hypercube: one churn draw per stratum" "$strata" "40 0"
# the rank correlation asked for, -0.6, shows in the draws (Iman-Conover);
# Fisher's z of 40 draws has standard error sqrt(1.06 / 37) = 0.17
rho=$(awk -F, 'NR > 1 { a[NR-1] = $3; b[NR-1] = $4; n = NR - 1 }
    function rank(v, r,   i, j, c) { for (i = 1; i <= n; i++) { c = 1; for (j = 1; j <= n; j++) if (v[j] < v[i]) c++; r[i] = c } }
    END { rank(a, ra); rank(b, rb); m = (n + 1) / 2; for (i = 1; i <= n; i++) { s += (ra[i]-m)*(rb[i]-m); sa += (ra[i]-m)^2; sb += (rb[i]-m)^2 }
          printf "%.4f", s / sqrt(sa * sb) }' "$TMP/t1/inputs.csv")
z=$(awk -v r="$rho" 'BEGIN { printf "%.4f", 0.5 * log((1 + r) / (1 - r)) }')
expect_near "iman-conover: Fisher z of the draws' rank correlation" "$z" -0.6931 0.69

# ---- a drawn price is the price billed --------------------------------------
small price <<'YAML'
uncertain:
  inputs:
    - { path: plans.flat.price, dist: discrete, values: "15 25", weights: "1 3" }
YAML
"$BIN" run "$TMP/price.yaml" --no-plots --out "$TMP/pr" > /dev/null
# revenue_per_customer of plan flat, month 1, against the draw of its replication
mism=$(awk -F, 'NR == FNR { if (FNR > 1) p[$1] = $3; next }
    FNR == 1 { for (i = 1; i <= NF; i++) if ($i == "revenue_per_customer") c = i; next }
    $1 == "\"flat\"" && $3 == 1 { n++; d = $c - p[$2]; if (d < -1e-9 || d > 1e-9) bad++ } END { print n + 0, bad + 0 }' \
    "$TMP/pr/inputs.csv" "$TMP/pr/replications.csv")
expect_eq "flat plan bills the drawn price (replications checked, mismatches)" "$mism" "40 0"

# ---- the variance split -------------------------------------------------------
# the price of plan flat moves its margin a lot: most of the variance is the input's
small split <<'YAML'
uncertain:
  inner: 4
  inputs:
    - { path: plans.flat.price, dist: uniform, min: 12, max: 40 }
YAML
"$BIN" run "$TMP/split.yaml" --json > "$TMP/split.json"
share=$(jq '.uncertain.plans[0].horizon_margin_variance.inputs_share' "$TMP/split.json")
awk -v s="$share" 'BEGIN { exit !(s > 0.9) }' && ok || bad "price uncertainty: inputs share $share, expected above 0.9"
rank=$(jq '.uncertain.plans[0].rank_correlation_with_horizon_margin["plans.flat.price"]' "$TMP/split.json")
awk -v s="$rank" 'BEGIN { exit !(s > 0.8) }' && ok || bad "price and margin: rank correlation $rank, expected above 0.8"
# an input the run never reads: its part is zero in expectation. Under that
# null B = W/m chi2(G-1)/(G-1), so V_param = B - W/m has standard deviation
# (W/m) sqrt(2/(G-1)); 4 of them bound it
small null <<'YAML'
uncertain:
  inner: 4
  inputs:
    - { path: exercise.routing_share, dist: uniform, min: 0.1, max: 0.9 }
YAML
"$BIN" run "$TMP/null.yaml" --replications 80 --json > "$TMP/null.json"
jq -r '.uncertain.plans[0].horizon_margin_variance | "\(.inputs) \(.usage) \(.draws)"' "$TMP/null.json" > "$TMP/nv"
read -r vp w g < "$TMP/nv"
expect_eq "null input: draws of 4 replications" "$g" 20
awk -v v="$vp" -v w="$w" -v g="$g" 'BEGIN { sd = w / 4 * sqrt(2 / (g - 1)); d = v < 0 ? -v : v; exit !(w > 0 && d <= 4 * sd) }' \
    && ok || bad "null input: inputs variance $vp, usage $w: expected 0 within 4 sd"

# ---- the nearest valid matrix offered for an invalid one is valid ------------
"$BIN" validate tests/data/bad/uncertain_not_pd.yaml 2> "$TMP/e"
expect_eq "not positive definite: exit status" $? 2
rows=$(grep -o "rows '.*'" "$TMP/e" | sed "s/^rows //")
IFS=, read -r r1 r2 r3 <<< "$rows"
r1=$(echo "$r1" | tr -d "'" | xargs); r2=$(echo "$r2" | tr -d "'" | xargs); r3=$(echo "$r3" | tr -d "'" | xargs)
awk -v a="$r1" -v b="$r2" -v c="$r3" '/correlations:/ { n++; v = n == 1 ? a : n == 2 ? b : c; sub(/correlations: "[^"]*"/, "correlations: \"" v "\"") } { print }' \
    tests/data/bad/uncertain_not_pd.yaml > "$TMP/near.yaml"
"$BIN" validate "$TMP/near.yaml" > /dev/null 2>&1
expect_eq "the offered nearest matrix validates" $? 0

# ---- tokensim sobol ----------------------------------------------------------
# With common random numbers an input the run never reads leaves every
# evaluation unchanged when it alone moves: f(A_B) = f(A) row by row, so
# both its indices are exactly 0 (Jansen's sum of squares and the first
# order's differences vanish); the plan's own price explains nearly all of
# its margin's variance.
small sob <<'YAML'
uncertain:
  inputs:
    - { path: exercise.routing_share, dist: uniform, min: 0.1, max: 0.9 }
    - { path: plans.flat.price, dist: uniform, min: 12, max: 40 }
YAML
"$BIN" sobol "$TMP/sob.yaml" --points 16 --replications 2 --threads 1 --out "$TMP/so1" > "$TMP/so1.txt"
expect_eq "sobol: exit status" $? 0
"$BIN" sobol "$TMP/sob.yaml" --points 16 --replications 2 --threads 2 --out "$TMP/so2" > /dev/null
for f in sobol.csv sobol_convergence.csv summary.json; do
    cmp -s "$TMP/so1/$f" "$TMP/so2/$f" && ok || bad "sobol: $f differs between 1 and 2 threads"
done
expect_eq "sobol: the unread input's indices and intervals"     "$(awk -F, '$1 == "horizon_margin_pct" && $2 == "\"exercise.routing_share\"" { print $4, $5, $6, $7, $8, $9 }' "$TMP/so1/sobol.csv")"     "0 0 0 0 0 0"
st=$(awk -F, '$1 == "horizon_margin_pct" && $2 == "\"plans.flat.price\"" { print $7 }' "$TMP/so1/sobol.csv")
awk -v s="$st" 'BEGIN { exit !(s > 0.9 && s < 1.1) }' && ok || bad "sobol: total index of the price $st, expected about 1"
expect_eq "sobol: design of 16 base samples, 2 inputs" "$(jq '.evaluations' "$TMP/so1/summary.json")" 64
"$BIN" sobol "$TMP/corr.yaml" --points 8 --out "$TMP/so3" 2> "$TMP/e"
expect_eq "sobol: --points below 16" $? 2
"$BIN" sobol scenarios/default.yaml --points 16 --out "$TMP/so4" 2> "$TMP/e"
expect_eq "sobol: no uncertain inputs, exit status" $? 2
grep -q "no uncertain inputs in the scenario" "$TMP/e" && ok || bad "sobol: no uncertain inputs: $(cat "$TMP/e")"

# 12 replications of 4 inner ones: 3 draws for 6 inputs, too few to correlate (the
# scores' correlation is singular): the draws stay independent, the run goes on
"$BIN" run scenarios/investor/uncertain_chatbot.yaml --set customers.initial=40 --replications 12 --no-plots --quiet \
    --out "$TMP/few" && ok || bad "fewer draws than inputs: the run failed"
# the stress battery's timed shocks (a model price rise) on a scenario with uncertain
# inputs: each replication's copy of the scenario, written and read back, keeps only the
# keys of the shock's type
"$BIN" stress scenarios/investor/uncertain_chatbot.yaml --replications 8 --set customers.initial=40 --no-plots --quiet \
    --out "$TMP/unc_stress" && ok || bad "stress with uncertain inputs failed"
finish uncertain
