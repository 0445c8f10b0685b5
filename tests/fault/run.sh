#!/usr/bin/env bash
# Fault injection (tests/fault/shim.c, loaded with LD_PRELOAD): a small run
# is repeated with its Nth allocation failing, then with its Nth write
# failing, for every write and for the allocations of the output phase (the
# last ones) plus an even sample of the rest. For each N the program must
# either succeed with a whole new output set, or exit 1 with a message and
# leave the earlier set exactly as it was; never crash, never leave a
# staging folder behind.
#   bash tests/fault/run.sh PATH/TO/tokensim
# TS_FAULT_SAMPLE (default 80) sets how many of the earlier allocations.
source "$(dirname "$0")/../e2e/lib.sh" "$1"
SHIM=$TMP/shim.so
cc -shared -fPIC -O1 -Wall -Wextra tests/fault/shim.c -o "$SHIM" -ldl || { echo "fault: cannot build the shim" >&2; exit 1; }
ARGS=(run scenarios/default.yaml --replications 2 --threads 1 --set customers.initial=50 --set horizon_months=3
      --no-plots --quiet)
OUT=$TMP/set/out
start=$SECONDS

# the earlier set, and what the run needs
"$BIN" "${ARGS[@]}" --set seed=1 --out "$OUT" || { echo "fault: the first run failed" >&2; exit 1; }
digest() { (cd "$1" && find . -type f | sort | xargs sha256sum | sha256sum); }
before=$(digest "$OUT")
TS_FAULT_COUNT=$TMP/count LD_PRELOAD=$SHIM "$BIN" "${ARGS[@]}" --out "$TMP/probe" || { echo "fault: the counting run failed" >&2; exit 1; }
read -r nallocs nwrites < "$TMP/count"

# one run with fault KIND at N: the set is all old (exit 1 with a message) or all new (exit 0)
try() {
    local kind=$1 n=$2 rc
    env "TS_FAULT_$kind=$n" LD_PRELOAD="$SHIM" "$BIN" "${ARGS[@]}" --out "$OUT" > /dev/null 2> "$TMP/err"
    rc=$?
    if [ $rc -ge 128 ]; then
        bad "$kind $n: crashed (status $rc): $(head -c 300 "$TMP/err")"
    elif ls -a "$TMP/set" | grep -q '\.staging\.\|\.old\.\|\.lock$'; then
        bad "$kind $n: left $(ls -a "$TMP/set" | grep '^\.out\.' | head -1) behind"
    elif [ $rc -eq 0 ]; then
        if (cd "$OUT" && sha256sum -c --strict --quiet MANIFEST > /dev/null 2>&1); then
            ok; before=$(digest "$OUT")
        else
            bad "$kind $n: exit 0 but the new set does not match its MANIFEST"
        fi
    elif [ $rc -eq 1 ] && grep -q 'error writing standard output' "$TMP/err"; then
        # stdout fails after the swap: the new set must be whole
        (cd "$OUT" && sha256sum -c --strict --quiet MANIFEST > /dev/null 2>&1) && ok && before=$(digest "$OUT") ||
            bad "$kind $n: stdout failed and the set does not match its MANIFEST"
    elif [ $rc -ne 1 ]; then
        bad "$kind $n: exit $rc, expected 1: $(head -c 300 "$TMP/err")"
    elif ! grep -q '^tokensim: \|^libgomp: ' "$TMP/err"; then
        bad "$kind $n: exit 1 without a message"
    elif [ "$(digest "$OUT")" != "$before" ]; then
        bad "$kind $n: exit 1 and the earlier set changed"
    else
        ok
    fi
}

for ((n = 1; n <= nwrites + 1; n++)); do try WRITE $n; done
sample=${TS_FAULT_SAMPLE:-80}
last=150
step=$(( (nallocs - last) / sample )); [ $step -lt 1 ] && step=1
tried=0
for ((n = 1; n <= nallocs - last; n += step)); do try ALLOC $n; tried=$((tried + 1)); done
for ((n = nallocs - last + 1; n <= nallocs + 1; n++)); do [ $n -ge 1 ] && try ALLOC $n && tried=$((tried + 1)); done
echo "fault: $nwrites writes, $tried of $nallocs allocations tried in $((SECONDS - start)) s" >&2
finish fault
