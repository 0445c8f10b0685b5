#!/usr/bin/env bash
# make bench: customer-months per second, wall seconds and peak memory of
# the benchmark scenario, and the three scaling checks of the design:
#  - 1 thread against 2 (target: at least 1.8 times faster),
#  - ten times more interactions per customer (target: at most 1.3 times
#    the time),
#  - peak memory with 1,000,000 customers (target: under 300 MB),
#  - three plans billed on the same customers against one,
#  - every lever on against none (target: at most twice the time).
# Usage: bench/run.sh PATH/TO/tokensim [REPLICATIONS]
set -eu
BIN=$(realpath "$1")
R=${2:-32}
cd "$(dirname "$0")/.."
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
S=bench/benchmark.yaml

# run NAME ARGS...: prints "seconds peak_kb customer_months"
run() {
    local name=$1; shift
    /usr/bin/time -f "%e %M" -o "$TMP/time" "$BIN" run "$@" --quiet --no-plots --out "$TMP/$name"
    local cm
    cm=$(jq -r '.plans[0].totals.customer_months.mean * .provenance.replications' "$TMP/$name/summary.json")
    echo "$(cat "$TMP/time") $cm"
}

printf 'tokensim benchmark: %s, %s replications, %s\n' "$S" "$R" "$(nproc) cores"
read -r t1 m1 cm <<< "$(run one $S --replications $R --threads 1)"
read -r t2 m2 _ <<< "$(run two $S --replications $R --threads 2)"
read -r t10 m10 _ <<< "$(run heavy $S --replications $R --threads 1 --set usage.min=100 --set usage.cap=200000)"
read -r t3 m3 _ <<< "$(run plans bench/benchmark_plans.yaml --replications $R --threads 1)"
read -r tl ml _ <<< "$(run levers bench/benchmark_levers.yaml --replications $R --threads 1)"
read -r tm mm cmm <<< "$(run million $S --replications 2 --threads 2 --set customers.initial=1000000 \
    --set customers.new_per_month=30000 --set horizon_months=12)"
awk -v tl="$tl" -v t3="$t3" -v t1="$t1" -v t2="$t2" -v t10="$t10" -v m1="$m1" -v m2="$m2" -v mm="$mm" -v cm="$cm" -v tm="$tm" -v cmm="$cmm" 'BEGIN {
    printf "  1 thread:   %7.2f s  %6.2f million customer-months/s  peak %6.1f MB\n", t1, cm / t1 / 1e6, m1 / 1024
    printf "  2 threads:  %7.2f s  %6.2f million customer-months/s  peak %6.1f MB  speed-up %.2fx (target >= 1.8)\n", t2, cm / t2 / 1e6, m2 / 1024, t1 / t2
    printf "  10x interactions per customer, 1 thread: %.2f s, %.2fx the time (target <= 1.3)\n", t10, t10 / t1
    printf "  three plans on the same customers, 1 thread: %.2f s, %.2fx the time of one plan (%.2f million customer-months/s)\n", t3, t3 / t1, cm / t3 / 1e6
    printf "  every lever and world change on, 1 thread: %.2f s, %.2fx the time without (target <= 2)\n", tl, tl / t1
    printf "  1,000,000 customers, 12 months, 2 replications, 2 threads: %.2f s, peak %.1f MB (target < 300)\n", tm, mm / 1024
    printf "  customer-months simulated: %.0f (main run), %.0f (million run)\n", cm, cmm
}'

# The floor: the plain C loop of the same model (bench/reference.c) on the
# same number of customer-months' worth of replications, 1 thread; user CPU
# seconds on both sides, so that a loaded machine counts less.
REF=$(dirname "$BIN")/bench-reference
if [ -x "$REF" ]; then
    /usr/bin/time -f "%U" -o "$TMP/time" "$REF" 100000 36 "$R" >"$TMP/ref.out"
    read -r rcm _ < "$TMP/ref.out"
    "$BIN" run $S --replications "$R" --threads 1 --quiet --no-plots --out "$TMP/one" 2>/dev/null
    /usr/bin/time -f "%U" -o "$TMP/time1" "$BIN" run $S --replications "$R" --threads 1 --quiet --no-plots --out "$TMP/one"
    awk -v ru="$(cat "$TMP/time")" -v rcm="$rcm" -v eu="$(cat "$TMP/time1")" -v cm="$cm" 'BEGIN {
        printf "  plain C reference loop (Poisson, 3-model multinomial, flat price), 1 thread: %.2f million customer-months/s;\n", rcm / ru / 1e6
        printf "    the engine, user CPU: %.2f million/s, %.2fx the floor'"'"'s time per customer-month\n", cm / eu / 1e6, (eu / cm) / (ru / rcm)
    }'
fi

# MPI (bin/tokensim-mpi beside the program, and mpirun): 1, 2 and 3 ranks
# of 1 thread each. Strong scaling runs the same R replications on each;
# weak scaling R/4 replications per rank. Each run gives its wall seconds
# (start-up included) and the user CPU seconds of its busiest rank: on a
# machine shared with other work, or of fewer cores than ranks, the wall
# time measures the sharing, and the busiest rank's CPU time what the
# ranks would take on cores of their own.
MPIBIN=$(dirname "$BIN")/tokensim-mpi
if [ -x "$MPIBIN" ] && command -v mpirun >/dev/null; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_rmaps_base_oversubscribe=1
    # ranks waiting in the gather yield their core instead of spinning on it
    export OMPI_MCA_mpi_yield_when_idle=1
    mrun() {   # NP REPLICATIONS: prints "wall_seconds busiest_rank_cpu_seconds"
        rm -f "$TMP"/rank.*
        /usr/bin/time -f "%e" -o "$TMP/time" mpirun --allow-run-as-root -np "$1" sh -c \
            '/usr/bin/time -f %U -o "$0/rank.$OMPI_COMM_WORLD_RANK" "$@"' "$TMP" "$MPIBIN" run $S \
            --replications "$2" --threads 1 --quiet --no-plots --out "$TMP/mpi" >/dev/null
        echo "$(cat "$TMP/time") $(sort -g "$TMP"/rank.* | tail -1)"
    }
    w=$((R / 4 > 0 ? R / 4 : 1))
    read -r s1 c1 <<< "$(mrun 1 "$R")"; read -r s2 c2 <<< "$(mrun 2 "$R")"; read -r s3 c3 <<< "$(mrun 3 "$R")"
    read -r w1 d1 <<< "$(mrun 1 "$w")"; read -r w2 d2 <<< "$(mrun 2 $((2 * w)))"; read -r w3 d3 <<< "$(mrun 3 $((3 * w)))"
    awk -v s1="$s1" -v s2="$s2" -v s3="$s3" -v c1="$c1" -v c2="$c2" -v c3="$c3" -v w1="$w1" -v w2="$w2" -v w3="$w3" \
        -v d1="$d1" -v d2="$d2" -v d3="$d3" -v cm="$cm" -v R="$R" -v w="$w" 'BEGIN {
        printf "  MPI strong scaling (%d replications, 1 thread per rank), wall / busiest rank CPU:\n", R
        printf "    1 rank %.2f / %.2f s, 2 ranks %.2f / %.2f s (%.2fx / %.2fx, target >= 1.8), 3 ranks %.2f / %.2f s (%.2fx / %.2fx)\n", s1, c1, s2, c2, s1 / s2, c1 / c2, s3, c3, s1 / s3, c1 / c3
        printf "  MPI weak scaling (%d replications per rank), wall / busiest rank CPU, efficiency:\n", w
        printf "    1 rank %.2f / %.2f s, 2 ranks %.2f / %.2f s (%.2f / %.2f), 3 ranks %.2f / %.2f s (%.2f / %.2f)\n", w1, d1, w2, d2, w1 / w2, d1 / d2, w3, d3, w1 / w3, d1 / d3
    }'
fi
