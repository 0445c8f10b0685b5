#!/usr/bin/env bash
# run.sh: runs one libFuzzer harness of tokensim.
#
#   bash tests/fuzz/run.sh BUILD_DIR NAME smoke|long
#
# smoke (make fuzz-smoke, part of make test): replays every file in
#   tests/fuzz/crashes/NAME/ (inputs that once crashed: each must now pass),
#   then fuzzes from the seeds with a fixed seed for FUZZ_RUNS executions
#   (default 30,000; at most FUZZ_SMOKE_SECONDS, default 6), so that a pass
#   stays a pass; new inputs go to a temporary folder.
# long (make fuzz): fuzzes for FUZZ_SECONDS, keeping new inputs in
#   BUILD_DIR/corpus_NAME and any crash as BUILD_DIR/crash-NAME-*.
# Prints executions per second and the coverage reached, then the closing
# "fuzz_NAME: N passed, M failed" line.
set -u
DIR=$1 NAME=$2 MODE=$3
cd "$(dirname "$0")/../.."
BIN=$DIR/fuzz_$NAME
SEEDS=(tests/fuzz/corpus_$NAME)
OPTS=(-timeout=5 -rss_limit_mb=1024 -print_final_stats=1)
case $NAME in
    scenario) SEEDS+=(scenarios tests/data/ok tests/data/bad); OPTS+=(-max_len=8192) ;;
    set) OPTS+=(-max_len=512) ;;
    catalog) OPTS+=(-max_len=8192) ;;
esac
pass=0
fail=0

if [ "$MODE" = smoke ]; then
    crashes=(tests/fuzz/crashes/"$NAME"/*)
    if [ -e "${crashes[0]}" ]; then
        if "$BIN" "${OPTS[@]}" "${crashes[@]}" > "$DIR/replay_$NAME.log" 2>&1; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "FAIL: fuzz_$NAME: a past crash crashes again (see $DIR/replay_$NAME.log)" >&2
        fi
    fi
    NEW=$(mktemp -d)
    trap 'rm -rf "$NEW"' EXIT
    OPTS+=(-seed=1 -runs="${FUZZ_RUNS:-30000}" -max_total_time="${FUZZ_SMOKE_SECONDS:-6}"
           -artifact_prefix="$DIR/smoke-crash-$NAME-")
else
    NEW=$DIR/corpus_$NAME
    mkdir -p "$NEW"
    OPTS+=(-max_total_time="${FUZZ_SECONDS:-60}" -artifact_prefix="$DIR/crash-$NAME-")
fi

start=$(date +%s.%N)
if "$BIN" "${OPTS[@]}" "$NEW" "${SEEDS[@]}" > "$DIR/fuzz_$NAME.log" 2>&1; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: fuzz_$NAME found a crash, a leak or a hang:" >&2
    grep -E 'ERROR|SUMMARY|fuzz_[a-z]+:|Test unit written' "$DIR/fuzz_$NAME.log" | head -8 >&2
fi
secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$DIR/fuzz_$NAME.log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$DIR/fuzz_$NAME.log")
cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$DIR/fuzz_$NAME.log" | tail -1)
echo "fuzz_$NAME: ${runs:-?} executions in $secs s (${rate:-?}/s), ${cov:-no coverage line}"
echo "fuzz_$NAME: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
