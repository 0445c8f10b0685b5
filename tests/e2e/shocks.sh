#!/usr/bin/env bash
# shocks.sh: shocks in time (the scenario's `shocks:` list and the stress
# battery's timed rows) against hand calculations and closed forms.
#
#   bash tests/e2e/shocks.sh bin/tokensim
source "$(dirname "$0")/lib.sh" "$1"

R=tests/data/shocks/ramp.yaml
T=tests/data/shocks/top.yaml
col() {   # col FILE COLUMN MONTH: a month's value of a monthly.csv column
    awk -F, -v c="$2" -v m="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } $2 == m { print $k }' "$1"
}

# ---- a ramp, an end and a price rise, worked by hand (ramp.yaml) -----------
"$BIN" run $R --no-plots --quiet --out "$TMP/r" || bad "run $R"
want_n=(2000 4000 6000 6000 2000 2000)        # 20 x 100 x 1, 2, 3, 3, 1, 1
want_c=(21 42 63 94.5 31.5 31.5)              # interactions x $0.0105, x1.5 from month 4
for m in 1 2 3 4 5 6; do
    expect_rel "ramp: month $m interactions" "$(col "$TMP/r/monthly.csv" interactions_mean $m)" "${want_n[m - 1]}"
    expect_rel "ramp: month $m model cost" "$(col "$TMP/r/monthly.csv" model_cost_mean $m)" "${want_c[m - 1]}"
done

# ---- the same under Poisson counts: month t's mean within 4 standard errors ---
"$BIN" run $R --set usage.counts=poisson --replications 200 --no-plots --quiet --out "$TMP/p" || bad "run poisson"
for m in 1 2 3 5; do
    got=$(col "$TMP/p/monthly.csv" interactions_mean $m)
    se=$(col "$TMP/p/monthly.csv" interactions_se $m)
    expect_near "poisson ramp: month $m interactions" "$got" "${want_n[m - 1]}" "$(awk -v s="$se" 'BEGIN { print 4 * s }')"
done
# same bytes whatever the thread count
"$BIN" run $R --set usage.counts=poisson --replications 20 --threads 1 --no-plots --quiet --out "$TMP/p1"
"$BIN" run $R --set usage.counts=poisson --replications 20 --threads 2 --no-plots --quiet --out "$TMP/p2"
cmp -s "$TMP/p1/replications.csv" "$TMP/p2/replications.csv" && ok || bad "shocks: output differs between 1 and 2 threads"

# ---- the heaviest X% times k: usage rises by (k - 1) S(X) --------------------
# Per replication, z = shocked - base - (k - 1) S base has mean 0: fail
# beyond 4 standard errors of its mean. Both runs draw the same customers
# (fixed counts), so z is small.
top_z() {   # FILE SHARE_S K: "mean(z) 4se(z) mean_rise" over the replications
    "$BIN" run "$1" --no-plots --quiet --out "$TMP/s1" || bad "$1: shocked run"
    "$BIN" run "$1" --set shocks.0.factor=1 --no-plots --quiet --out "$TMP/s0" || bad "$1: base run"
    awk -F, -v S="$2" -v k="$3" '
        FNR == 1 { for (i = 1; i <= NF; i++) if ($i == "interactions") c = i; next }
        FILENAME ~ /s0/ { b[$2] += $c; next }
        { s[$2] += $c }
        END { for (r in b) { z = s[r] - b[r] - (k - 1) * S * b[r]; n++; sum += z; sq += z * z; rel += (s[r] - b[r]) / b[r] }
              m = sum / n; sd = sqrt((sq - n * m * m) / (n - 1)); printf "%.10g %.10g %.6f", m, 4 * sd / sqrt(n), rel / n }' \
        "$TMP/s0/replications.csv" "$TMP/s1/replications.csv"
}
# Pareto alpha 3: S(0.05) = 0.05^(1 - 1/3) = 0.1357208808 (hand: exp(ln 0.05 x 2/3))
set -- $(top_z $T 0.1357208808 2)
expect_near "pareto top 5% x2: extra usage minus S x base (mean rise $3, closed form 0.1357)" "$1" 0 "$2"
# the check can fail: a share 20% off is more than 4 standard errors away
set -- $(top_z $T 0.1629 2)
if awk -v m="$1" -v t="$2" 'BEGIN { exit !(m < -t || m > t) }'; then ok; else bad "top check accepts a wrong share"; fi
# lognormal sigma 1: S(0.1) = Phi(sigma - z_0.9) = Phi(1 - 1.2815516) = 0.3891442 (normal table)
set -- $(top_z tests/data/shocks/top_lognormal.yaml 0.3891442 3)
expect_near "lognormal top 10% x3: extra usage minus 2 S x base (mean rise $3, closed form 0.7783)" "$1" 0 "$2"

# ---- the stress battery's timed rows -------------------------------------------
# stress_shocks.yaml over 12 months: $2.00 of cost a customer-month, $1.05 of
# it model cost; prices x1.5 in month 12 only: (48 - 11 x 2 - 2.525) / 48
"$BIN" stress tests/data/ok/stress_shocks.yaml --set horizon_months=12 --json --no-plots --out "$TMP/st" > "$TMP/st.json"
expect_near "stress: prices up 50% from month 12" \
    "$(jq -r '.stress[] | select(.shock == "prices_up_50_m12") | .plans[0].margin_mean' "$TMP/st.json")" 48.90625 1e-9
expect_eq "stress: the timed row says what it adds" \
    "$(jq -r '.stress[] | select(.shock == "prices_up_50_m12") | .shocks_in_time[0]' "$TMP/st.json")" \
    "model prices x1.5 from month 12"
expect_eq "stress: a constant intensity has no top 5%" \
    "$(jq -r '.stress[] | select(.shock == "top5_x2") | .applicable' "$TMP/st.json")" false
# the top 5% doubling on a Pareto law: the margin falls
"$BIN" stress $T --set shocks.0.factor=1 --replications 20 --json --no-plots --out "$TMP/st2" > "$TMP/st2.json"
d=$(jq -r '.stress[] | select(.shock == "top5_x2") | .plans[0].vs_baseline.ci95_hi' "$TMP/st2.json")
if awk -v d="$d" 'BEGIN { exit !(d < 0) }'; then ok; else bad "stress: top5_x2 does not lower the margin ($d)"; fi

finish shocks
