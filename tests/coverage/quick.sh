#!/usr/bin/env bash
# quick.sh: the fixed-seed coverage check `make test` runs (a few seconds):
# the heavy-tailed cases of run.sh with 600 seeds each (seeds 1..600, so the
# result never changes unless the intervals do). Each must cover its truth
# 93-97% of the time, give or take what 600 runs allow: the band widened by
# 2 binomial standard errors at 95%, sqrt(0.95 x 0.05 / 600) = 0.89 points.
#
#   bash tests/coverage/quick.sh COVERAGE_BINARY
source "$(dirname "$0")/../e2e/lib.sh"
SEEDS=600
# Pareto(1.5, 1) capped at 20,000: E X = 1.5 (20000^-0.5 - 1) / (-0.5 (1 - 20000^-1.5)), times 2,000 customers
pareto=$(awk 'BEGIN { a = 1.5; H = 20000; printf "%.12g", 2000 * a * (H^(1 - a) - 1) / ((1 - a) * (1 - H^-a)) }')
check() {
    local name=$1 file=$2 truth=$3
    shift 3
    local sets=()
    for s in "$@"; do sets+=(--set "$s"); done
    local got
    got=$("$BIN" "tests/coverage/cases/$file" cost "$truth" "$SEEDS" "${sets[@]}" | awk '{ print $2 + 0 }')
    if awk -v g="$got" -v n="$SEEDS" 'BEGIN { se = 100 * sqrt(0.95 * 0.05 / n); exit !(g >= 93 - 2 * se && g <= 97 + 2 * se) }'
    then ok; else bad "$name: coverage $got%, expected 93-97% within 2 standard errors"; fi
}
check "Pareto, random" pareto.yaml "$pareto"
check "Pareto, stratified" pareto.yaml "$pareto" sampling.intensities=stratified
check "lognormal sigma 2, antithetic" lognormal.yaml 60000 sampling.antithetic=true
finish coverage
