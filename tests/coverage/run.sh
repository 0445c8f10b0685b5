#!/usr/bin/env bash
# run.sh: coverage of tokensim's 95% intervals on scenarios whose expected
# values are known exactly (`make coverage`; minutes, so not in `make test`).
#
#   bash tests/coverage/run.sh COVERAGE_BINARY [SEEDS] [--compare]
#
# Each case runs SEEDS seeds (2,000 by default) of 20 replications of a
# tests/coverage/cases scenario (2,000 customers, $1 an interaction) and
# prints the share of runs whose interval holds the truth, with its
# binomial standard error. The truths, in closed form:
#   Pareto(alpha, m) capped at H, Z = 1 - (m/H)^alpha:
#     E X = alpha m^alpha (H^(1-alpha) - m^(1-alpha)) / ((1 - alpha) Z)
#   lognormal: E X = its mean parameter (30)
#   cost:  month 1's inference cost      = 2000 E X
#   pair:  flat minus metered profit     = 60000 - 3 x 2000 E X
#   total, 3 months with monthly churn c (exponential lifetimes, hazard
#          h = -ln(1 - c)): 2000 E X (1 - e^(-3h)) / h, plus, with L sign-ups
#          a month at uniform times in month j, each expected to stay
#          (1/h) (1 - (e^(-h(2-j)) - e^(-h(3-j))) / h) months of the horizon:
#          E X L sum_j of that
set -u
BIN=$(realpath "$1")
SEEDS=${2:-2000}
EXTRA=${3:-}
cd "$(dirname "$0")"
pareto=$(awk 'BEGIN { a = 1.5; m = 1; H = 20000; Z = 1 - (m / H)^a
                      printf "%.12g", a * m^a * (H^(1 - a) - m^(1 - a)) / ((1 - a) * Z) }')
churned=$(awk -v e="$pareto" 'BEGIN { h = -log(0.9); printf "%.12g", 2000 * e * (1 - exp(-3 * h)) / h }')
# E X, monthly churn c, L sign-ups a month: the 3 months' expected demand
flow() {
    awk -v e="$1" -v c="$2" -v l="$3" 'BEGIN { h = -log(1 - c); t = 2000 * (1 - exp(-3 * h)) / h
        for (j = 0; j < 3; j++) t += l * (1 - (exp(-h * (2 - j)) - exp(-h * (3 - j))) / h) / h
        printf "%.12g", e * t }'
}
cost() { awk -v e="$1" 'BEGIN { printf "%.12g", 2000 * e }'; }
pair() { awk -v e="$1" 'BEGIN { printf "%.12g", 60000 - 6000 * e }'; }

row() {
    local name=$1 file=$2 metric=$3 truth=$4
    shift 4
    local sets=()
    for s in "$@"; do sets+=(--set "$s"); done
    echo "== $name"
    # shellcheck disable=SC2086
    "$BIN" "cases/$file" "$metric" "$truth" "$SEEDS" "${sets[@]}" $EXTRA
}

echo "coverage of the 95% interval of the mean, $SEEDS seeds x 20 replications"
row "lognormal sigma 0.5, random" light.yaml cost "$(cost 30)"
row "lognormal sigma 0.5, stratified" light.yaml cost "$(cost 30)" sampling.intensities=stratified
row "lognormal sigma 0.5, antithetic" light.yaml cost "$(cost 30)" sampling.antithetic=true
row "lognormal sigma 2, random" lognormal.yaml cost "$(cost 30)"
row "lognormal sigma 2, stratified" lognormal.yaml cost "$(cost 30)" sampling.intensities=stratified
row "lognormal sigma 2, antithetic" lognormal.yaml cost "$(cost 30)" sampling.antithetic=true
row "Pareto 1.5 capped, random" pareto.yaml cost "$(cost "$pareto")"
row "Pareto 1.5 capped, stratified" pareto.yaml cost "$(cost "$pareto")" sampling.intensities=stratified
row "Pareto 1.5 capped, antithetic" pareto.yaml cost "$(cost "$pareto")" sampling.antithetic=true
row "Pareto 1.5 capped, stratified and antithetic" pareto.yaml cost "$(cost "$pareto")" \
    sampling.intensities=stratified sampling.antithetic=true
row "Pareto 1.5 capped, paired difference of two plans" pareto.yaml pair "$(pair "$pareto")"
row "Pareto 1.5 capped, 3 months, 10% monthly churn, horizon total" pareto.yaml total "$churned" \
    horizon_months=3 customers.churn_monthly=0.1
row "Pareto 1.5 capped, antithetic, 3 months, 10% churn, 200 sign-ups a month" pareto.yaml total \
    "$(flow "$pareto" 0.1 200)" horizon_months=3 customers.churn_monthly=0.1 customers.new_per_month=200 \
    sampling.antithetic=true
row "Pareto 1.5 capped, stratified, 3 months, 10% churn, 200 sign-ups a month" pareto.yaml total \
    "$(flow "$pareto" 0.1 200)" horizon_months=3 customers.churn_monthly=0.1 customers.new_per_month=200 \
    sampling.intensities=stratified
row "lognormal sigma 0.5, antithetic, 3 months, 30% churn, 200 sign-ups a month" light.yaml total \
    "$(flow 30 0.3 200)" horizon_months=3 customers.churn_monthly=0.3 customers.new_per_month=200 \
    sampling.antithetic=true
