#!/usr/bin/env bash
# End-to-end tests of the output side of tokensim's promises
# (docs/reliability.md, "Outputs"): output sets all old or all new, with a
# MANIFEST; the lock on a folder; leftovers cleaned; --out that is a file;
# Ctrl-C before the swap; stdout errors; option and list limits; gnuplot
# scripts safe from user text; the resource guard and non-finite results.
# Usage: tests/e2e/reliability.sh PATH/TO/tokensim
source "$(dirname "$0")/lib.sh" "$1"
D=scenarios/default.yaml
SM=(--replications 2 --threads 1 --set customers.initial=100 --set horizon_months=3)

# ---- output sets ---------------------------------------------------------------
"$BIN" run $D "${SM[@]}" --no-plots --quiet --out "$TMP/o"; expect_eq "run status" $? 0
(cd "$TMP/o" && sha256sum -c --strict --quiet MANIFEST) && ok || bad "MANIFEST does not check out"
expect_eq "MANIFEST lists every file" "$(grep -vc '^#' "$TMP/o/MANIFEST")" "$(find "$TMP/o" -type f ! -name MANIFEST | wc -l)"
# sizes in the comment lines are the files' sizes (checked with stat)
expect_eq "MANIFEST size of monthly.csv" "$(awk '$3 == "monthly.csv" { print $2 }' "$TMP/o/MANIFEST")" \
    "$(stat -c %s "$TMP/o/monthly.csv")"
ls -a "$TMP" | grep -q '^\.o\.' && bad "staging or lock left beside the set: $(ls -a "$TMP" | grep '^\.o\.')" || ok
# the same run twice gives the same MANIFEST (determinism)
cp "$TMP/o/MANIFEST" "$TMP/m1"
"$BIN" run $D "${SM[@]}" --no-plots --quiet --out "$TMP/o"
cmp -s "$TMP/m1" "$TMP/o/MANIFEST" && ok || bad "MANIFEST differs between identical runs"
# a later run without plots replaces the set whole: no stale plots remain
"$BIN" run $D "${SM[@]}" --quiet --out "$TMP/p" 2>/dev/null
[ -d "$TMP/p/plots" ] && ok || bad "plots not written"
"$BIN" run $D "${SM[@]}" --no-plots --quiet --out "$TMP/p"
[ -d "$TMP/p/plots" ] && bad "stale plots kept beside a new set" || ok
# leftovers of a killed run are removed by the next one
mkdir -p "$TMP/.o.staging.99999/plots" && touch "$TMP/.o.staging.99999/monthly.csv" "$TMP/o/summary.json.tmp.99999"
"$BIN" run $D "${SM[@]}" --no-plots --quiet --out "$TMP/o"
[ -e "$TMP/.o.staging.99999" ] || [ -e "$TMP/o/summary.json.tmp.99999" ] && bad "leftovers not cleaned" || ok
# --out that is a regular file: exit 2 at once, before the simulation
touch "$TMP/file"
start=$(date +%s%N)
"$BIN" run $D --replications 100000 --out "$TMP/file" --quiet 2> "$TMP/e"; expect_eq "--out a file: status" $? 2
[ $(( ($(date +%s%N) - start) / 1000000 )) -lt 2000 ] && ok || bad "--out a file was refused only after the simulation"
grep -q "found a regular file, expected a folder" "$TMP/e" && ok || bad "--out a file: message: $(cat "$TMP/e")"
# a folder of other files is not replaced
mkdir -p "$TMP/mine" && echo keep > "$TMP/mine/notes.txt"
"$BIN" run $D "${SM[@]}" --no-plots --quiet --out "$TMP/mine" 2> "$TMP/e"; expect_eq "foreign folder: status" $? 2
[ -f "$TMP/mine/notes.txt" ] && grep -q "holds 'notes.txt'" "$TMP/e" && ok || bad "foreign folder: $(cat "$TMP/e")"
# every command that writes files writes a set
"$BIN" sweep $D --vary plans.pro.price=10:20:10 "${SM[@]}" --no-plots --quiet --out "$TMP/sw" &&
    (cd "$TMP/sw" && sha256sum -c --strict --quiet MANIFEST) && ok || bad "sweep: no valid MANIFEST"
"$BIN" exercise scenarios/textbook/exercise_code_assistant.yaml --quiet --out "$TMP/ex" &&
    (cd "$TMP/ex" && sha256sum -c --strict --quiet MANIFEST) && ok || bad "exercise: no valid MANIFEST"

# ---- the lock: a second run into the same folder is refused -----------------
"$BIN" run $D --replications 100000 --threads 1 --no-plots --quiet --out "$TMP/o" 2>/dev/null &
pid=$!
for _ in $(seq 50); do [ -e "$TMP/.o.lock" ] && break; sleep 0.1; done
"$BIN" run $D "${SM[@]}" --no-plots --quiet --out "$TMP/o" 2> "$TMP/e"; expect_eq "locked: status" $? 1
grep -q "another tokensim is writing to this folder" "$TMP/e" && ok || bad "locked: message: $(cat "$TMP/e")"
# ---- Ctrl-C and SIGTERM: exit 130, the earlier set intact ------------------------
before=$(cat "$TMP/o/MANIFEST")
kill -TERM $pid; wait $pid; expect_eq "SIGTERM status" $? 130
expect_eq "set intact after SIGTERM" "$(cat "$TMP/o/MANIFEST")" "$before"
(cd "$TMP/o" && sha256sum -c --strict --quiet MANIFEST) && ok || bad "set changed after SIGTERM"
ls -a "$TMP" | grep -q '^\.o\.' && bad "staging left after SIGTERM" || ok
# Ctrl-C during the output phase (a slow gnuplot) still means 130
printf '#!/bin/sh\nsleep 1\nexec gnuplot "$@"\n' > "$TMP/slowplot" && chmod +x "$TMP/slowplot"
TOKENSIM_GNUPLOT=$TMP/slowplot "$BIN" run $D "${SM[@]}" --quiet --out "$TMP/o" 2>/dev/null &
pid=$!
sleep 1.5
kill -INT $pid; wait $pid; expect_eq "Ctrl-C while plotting: status" $? 130
expect_eq "set intact after a late Ctrl-C" "$(cat "$TMP/o/MANIFEST")" "$before"

# ---- stdout ------------------------------------------------------------------------
for cmd in "keys" "show $D" "cost $D" "catalog show 2026-03" "catalog list" \
           "run $D ${SM[*]} --no-plots --out $TMP/so"; do
    # shellcheck disable=SC2086
    "$BIN" $cmd > /dev/full 2> "$TMP/e"; rc=$?
    [ $rc = 1 ] && grep -q "error writing standard output" "$TMP/e" && ok || bad "$cmd > /dev/full: status $rc, $(cat "$TMP/e")"
done
"$BIN" catalog import tests/data/litellm_prices.json > /dev/full 2> "$TMP/e"
expect_eq "catalog import > /dev/full" "$?:$(grep -c 'error writing standard output' "$TMP/e")" "1:1"
# a closed pipe ends quietly
"$BIN" run $D "${SM[@]}" --no-plots --json --out "$TMP/so" 2> "$TMP/e" | head -c 10 > /dev/null
[ ! -s "$TMP/e" ] && ok || bad "| head printed: $(cat "$TMP/e")"

# ---- option and list limits ------------------------------------------------------------------------------
"$BIN" sweep $D --vary plans.pro.price=10:20:10 --vary usage.alpha=1.5:1.6:0.1 --vary customers.initial=100:200:100 \
    --no-plots --out "$TMP/x" 2> "$TMP/e"; expect_eq "three --vary: status (was SIGSEGV)" $? 2
grep -q "too many --vary options" "$TMP/e" && ok || bad "three --vary: $(cat "$TMP/e")"
"$BIN" optimize $D --vary a=1:2 --vary b=1:2 --vary c=1:2 --vary d=1:2 --vary e=1:2 --out "$TMP/x" 2> "$TMP/e"
expect_eq "five --vary to optimize" $? 2
args=(); for i in $(seq 17); do args+=(--param usage.alpha); done
"$BIN" tornado $D "${args[@]}" --out "$TMP/x" 2> "$TMP/e"; expect_eq "17 --param" $? 2
args=(); for i in $(seq 257); do args+=(--set seed=1); done
"$BIN" validate $D "${args[@]}" 2> "$TMP/e"; expect_eq "257 --set" $? 2
# every list of the scenario refuses one item over its limit, at its place
list_over() {   # NAME MAX ITEM-YAML KEY-PREFIX...
    local name=$1 max=$2 item=$3; shift 3
    { sed -n '1,/^plans:/p' $D | sed '$d'; printf '%s\n' "$@"; for i in $(seq $((max + 1))); do printf "$item\n" "$i"; done; } > "$TMP/l.yaml"
    grep -q '^plans:' "$TMP/l.yaml" || printf 'plans:\n  - { name: pro, type: flat, price: 39 }\n' >> "$TMP/l.yaml"
    "$BIN" validate "$TMP/l.yaml" 2> "$TMP/e"; rc=$?
    [ $rc = 2 ] && grep -q "too many items in '$name': found $((max + 1)), expected at most $max" "$TMP/e" && ok ||
        bad "$name over $max: status $rc, $(cat "$TMP/e")"
}
list_over plans 8 '  - { name: p%d, type: flat, price: 20 }' 'plans:'
list_over levers 12 '  - { name: l%d, type: prompt_compression, reduction: 0.1 }' 'levers:'
list_over plans.u.usage_tiers 8 '      - { up_to: %d00, price: 0.01 }' 'plans:' '  - name: u' '    type: usage' '    usage_tiers:'
list_over stress.shocks 16 '    - { name: s%d, changes: [ { path: usage.alpha, to: 1.5 } ] }' 'stress:' '  shocks:'
list_over sensitivity.params 16 '    - { path: usage.alpha }' 'sensitivity:' '  params:'

# ---- gnuplot scripts: user text cannot run commands -------------------------------------
mkdir -p "$TMP/odd"
bad_name=$'x\nsystem(\'touch PWNED\')\n.yaml'
sed -e "s/name: pro, /name: \"p'q\\\\\"r\\\\nEOD\\\\nsystem('touch PWNED2')\", /" $D > "$TMP/odd/$bad_name"
"$BIN" run "$TMP/odd/$bad_name" "${SM[@]}" --quiet --out "$TMP/odd/run" 2> "$TMP/e"; expect_eq "odd names: status" $? 0
find "$TMP" -name 'PWNED*' | grep -q . && bad "a name ran a command through gnuplot" || ok
[ ! -s "$TMP/e" ] && ok || bad "odd names: gnuplot complained: $(cat "$TMP/e")"
grep -c '^system' "$TMP"/odd/run/plots/*.gp | grep -qv ':0$' && bad "a name spliced as a gnuplot command" || ok
expect_eq "plans.gp rows" "$(sed -n '/^\$plans << EOD/,/^EOD/p' "$TMP/odd/run/plots/plans.gp" | wc -l)" 4

# ---- resource guard and non-finite results ---------------------------------------------------------------
for set in customers.growth_rate=10 customers.initial=1e8 customers.new_per_month=1e7; do
    key=${set%%=*}
    start=$(date +%s%N)
    "$BIN" run $D --set "$set" --no-plots --quiet --out "$TMP/g" 2> "$TMP/e"; rc=$?
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    [ $rc = 2 ] && [ $ms -lt 2000 ] && grep -q "run too large: .* of memory .*; $key drives it" "$TMP/e" && ok ||
        bad "$set: status $rc after $ms ms: $(cat "$TMP/e")"
done
"$BIN" run $D "${SM[@]}" --max-memory 100K --no-plots --quiet --out "$TMP/g" 2> "$TMP/e"
expect_eq "--max-memory 100K" "$?:$(grep -c 'allowed by --max-memory' "$TMP/e")" "2:1"
"$BIN" run $D "${SM[@]}" --max-memory 1G --no-plots --quiet --out "$TMP/g"; expect_eq "--max-memory 1G" $? 0
"$BIN" run $D "${SM[@]}" --set plans.pro.price=1e308 --no-plots --quiet --out "$TMP/g" 2> "$TMP/e"; rc=$?
[ $rc = 1 ] && grep -q "result not a number: revenue is inf .* plan 'pro'.*plans\.\*\.price" "$TMP/e" && ok ||
    bad "price 1e308: status $rc, $(cat "$TMP/e")"

finish reliability
