#!/usr/bin/env bash
# End-to-end tests of the progress line: every command that runs the engine
# many times shows "tokensim: simulation N of M (P%), T s, about L s left" on
# stderr when stderr is a terminal (util-linux's `script` gives it one),
# with no escape code when TERM is dumb, nothing with --quiet or when stderr
# is a file; and `sweep --json` prints the grid as JSON.
# Usage: tests/e2e/progress.sh PATH/TO/tokensim
source "$(dirname "$0")/lib.sh" "$1"
F=scenarios/default.yaml
R="--replications 8 --no-plots"
# under_tty TERM LOG COMMAND...: runs COMMAND with a terminal for stdout and stderr
under_tty() {
    local term=$1 log=$2
    shift 2
    TERM=$term script -qfec "$(printf '%q ' "$@")" "$log" > /dev/null 2>&1 < /dev/null
}
ESC=$'\e'
declare -A cmds=(
    [sweep]="sweep $F --vary plans.starter.price=10:20:10 $R"
    [stress]="stress $F $R"
    [tornado]="tornado $F --param plans.starter.price --plan starter $R"
    [solve]="solve $F --plan starter --target 0.5 $R"
    [quota]="quota $F --plan starter $R"
    [optimize]="optimize $F --plan starter --vary plans.starter.price=10:20:10 $R"
    [sampling]="sampling $F --replications 8"
)
for name in "${!cmds[@]}"; do
    read -ra args <<< "${cmds[$name]}"
    out="$TMP/o_$name"
    [[ $name == sampling ]] || args+=(--out "$out")
    under_tty xterm "$TMP/$name.xterm" "$BIN" "${args[@]}"
    grep -aqE "tokensim: simulation [0-9]+ of [0-9]+ \([0-9]+%\), [0-9.]+ s, about [0-9]+ s left" "$TMP/$name.xterm" \
        && ok || bad "$name: no progress line on a terminal"
    grep -aqF "${ESC}[K" "$TMP/$name.xterm" && ok || bad "$name: the line is not erased with an escape code on xterm"
    under_tty dumb "$TMP/$name.dumb" "$BIN" "${args[@]}"
    grep -aq "tokensim: simulation" "$TMP/$name.dumb" && ok || bad "$name: no progress line with TERM=dumb"
    grep -aqF "$ESC" "$TMP/$name.dumb" && bad "$name: an escape code with TERM=dumb" || ok
    under_tty xterm "$TMP/$name.quiet" "$BIN" "${args[@]}" --quiet
    grep -aq "tokensim: simulation" "$TMP/$name.quiet" && bad "$name: a progress line with --quiet" || ok
    # stderr a file, stdout a terminal: nothing on stderr
    TERM=xterm script -qfec "$(printf '%q ' "$BIN" "${args[@]}") 2> $TMP/$name.err" "$TMP/$name.log" > /dev/null 2>&1 < /dev/null
    [ -e "$TMP/$name.err" ] && [ ! -s "$TMP/$name.err" ] && ok || bad "$name: stderr not empty when it is a file"
done
# run counts replications on the same line
under_tty xterm "$TMP/run.xterm" "$BIN" run $F --replications 8 --no-plots --out "$TMP/o_run"
grep -aqE "tokensim: replication [0-9]+ of 8" "$TMP/run.xterm" && ok || bad "run: no progress line"
# the results start on a clean line: after the last progress line comes
# the erase, then the table's heading
tail=$(tr '\r' '\n' < "$TMP/sweep.xterm" | grep -av '^$' | grep -a -A1 "simulation" | tail -1)
case "$tail" in *"tokensim "*sweep*) ok ;; *) bad "sweep: the results do not follow the erased line: '$tail'" ;; esac

# sweep --json: the grid on stdout, one point per value and plan, the figures of sweep.csv
"$BIN" sweep $F --vary plans.starter.price=10:20:10 $R --out "$TMP/sj" --json > "$TMP/sweep.json" 2> "$TMP/e"
[ $? = 0 ] && ok || bad "sweep --json: exit status"
jq -e '.axes[0].path == "plans.starter.price" and .axes[0].n == 2' "$TMP/sweep.json" > /dev/null && ok \
    || bad "sweep --json: axes"
# two values times the default scenario's two plans, starter and pro
expect_eq "sweep --json: points" "$(jq -c '[.points[] | [.x, .plan]]' "$TMP/sweep.json")" \
    '[[10,"starter"],[10,"pro"],[20,"starter"],[20,"pro"]]'
csv_mean=$(grep -v '^#' "$TMP/sj/sweep.csv" | awk -F, 'NR == 2 { print $3 }')
expect_rel "sweep --json: first margin as in sweep.csv" "$(jq '.points[0].margin.mean' "$TMP/sweep.json")" "$csv_mean"
grep -q "sweep of" "$TMP/sweep.json" && bad "sweep --json: the table is printed too" || ok
finish progress
