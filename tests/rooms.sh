#!/usr/bin/env bash
# rooms.sh: the program's rooms include only the rooms below them.
#
# The order, lowest first, is the architecture (docs/architecture.md):
#   sim/core  models  sim/scenario  sim/engine  sim/output  plots  sim/analysis  sim/api  sim/cli
# A file may include files of its own room and of any room below; an
# include that points up is an arrow the wrong way, and with it import
# circles between rooms become possible. This reads every #include "..."
# line of the program (quoted includes only: system headers are not ours)
# and prints each one that points up, then the closing count line.
# include/tokensim.h, the public header, may be included by nothing inside
# but sim/api, the room that implements it.
set -u
cd "$(dirname "$0")/.."
order=(sim/core models sim/scenario sim/engine sim/output plots sim/analysis sim/api sim/cli)
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
