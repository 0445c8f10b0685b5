# lib.sh: what every end-to-end script shares. Source it with the program's
# path as $1: it sets BIN, moves to the project's top, makes TMP (removed on
# exit) and gives the counting checks; `finish NAME` prints the closing
# "NAME: N passed, M failed" line and sets the exit status.
set -u
BIN=$(realpath "$1")
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

expect_eq() { if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', expected '$3'"; fi; }

# expect_near NAME GOT WANT TOL: |GOT - WANT| <= TOL
expect_near() {
    if awk -v g="$2" -v w="$3" -v t="$4" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(g != "" && d <= t) }'; then
        ok
    else
        bad "$1: got '$2', expected $3 (tolerance $4)"
    fi
}

# expect_rel NAME GOT WANT: within a relative 1e-9
expect_rel() {
    if awk -v g="$2" -v w="$3" 'BEGIN { d = g - w; if (d < 0) d = -d; s = w < 0 ? -w : w; if (s < 1e-12) s = 1e-12;
                                        exit !(g != "" && d <= 1e-9 * s) }'; then ok; else bad "$1: got '$2', expected $3"; fi
}

finish() {
    echo "$1: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
