#!/usr/bin/env bash
# rooms.sh: the program's rooms include only the rooms below them.
#
# The order, lowest first, is the architecture (docs/architecture.md):
#   sim/core  models  sim/scenario  sim/data  sim/engine  sim/output  plots  sim/analysis  sim/api  sim/cli
# A file may include files of its own room and of any room below; an
# include that points up is an arrow the wrong way, and with it import
# circles between rooms become possible. This reads every #include "..."
# line of the program (quoted includes only: system headers are not ours)
# and prints each one that points up, then the closing count line.
# include/tokensim.h, the public header, may be included by nothing inside
# but sim/api, the room that implements it.
#
# `rooms.sh --self-test` first checks the checker: in a scratch tree, an
# engine file that includes the CLI must be caught, and a clean tree pass.
set -u
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--self-test" ]; then
    t=$(mktemp -d)
    trap 'rm -rf "$t"' EXIT
    mkdir -p "$t/tests" "$t/sim/engine" "$t/sim/cli" "$t/models"
    cp "$0" "$t/tests/rooms.sh"
    printf '#include "models/a.h"\n#include "b.h"\n' >"$t/sim/engine/x.c"
    touch "$t/models/a.h" "$t/sim/engine/b.h" "$t/sim/cli/cli.h"
    bash "$t/tests/rooms.sh" >/dev/null 2>&1 || { echo "rooms: self-test: a clean tree failed" >&2; exit 1; }
    echo '#include "sim/cli/cli.h"' >>"$t/sim/engine/x.c"
    if bash "$t/tests/rooms.sh" >/dev/null 2>&1; then
        echo "rooms: self-test: an include pointing up was not caught" >&2
        exit 1
    fi
    exec bash "$0"
fi
order=(sim/core models sim/scenario sim/data sim/engine sim/output plots sim/analysis sim/api sim/cli)
rank() {
    local i
    for i in "${!order[@]}"; do
        [ "${order[$i]}" = "$1" ] && { echo "$i"; return; }
    done
    echo -1
}
pass=0
fail=0
for room in "${order[@]}"; do
    r=$(rank "$room")
    for f in "$room"/*.[ch]; do
        [ -e "$f" ] || continue
        while IFS= read -r inc; do
            # a same-folder include names no room; anything else is root-relative
            if [[ "$inc" != */* ]]; then
                if [ -e "$room/$inc" ]; then pass=$((pass + 1)); continue; fi
                echo "rooms: $f includes \"$inc\", which is not in its folder" >&2
                fail=$((fail + 1)); continue
            fi
            if [ "$inc" = include/tokensim.h ]; then
                if [ "$room" = sim/api ]; then pass=$((pass + 1)); continue; fi
                echo "rooms: $f includes the public header \"$inc\": only sim/api may" >&2
                fail=$((fail + 1)); continue
            fi
            target=$(dirname "$inc")
            t=$(rank "$target")
            if [ "$t" -lt 0 ]; then
                echo "rooms: $f includes \"$inc\", outside every room" >&2
                fail=$((fail + 1))
            elif [ "$t" -gt "$r" ]; then
                echo "rooms: $f ($room) includes \"$inc\" ($target), a room above it" >&2
                fail=$((fail + 1))
            else
                pass=$((pass + 1))
            fi
        done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
    done
done
echo "rooms: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
