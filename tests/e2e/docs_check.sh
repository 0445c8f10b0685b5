#!/usr/bin/env bash
# The docs are tested like code: docs/scenarios.md holds exactly what
# `tokensim keys` prints, and every command in a ```sh block of README.md and
# docs/*.md runs with the exit status written after it ("# exit N", else 0).
source "$(dirname "$0")/lib.sh" "$1"

"$BIN" keys > "$TMP/keys.md"
sed -n '/<!-- keys:begin -->/,/<!-- keys:end -->/p' docs/scenarios.md | sed '1d;$d' > "$TMP/doc_keys.md"
if cmp -s "$TMP/keys.md" "$TMP/doc_keys.md"; then
    ok
else
    fail=$((fail + 1))
    echo "FAIL: docs/scenarios.md is out of date with 'tokensim keys' (run 'make docs'):" >&2
    diff "$TMP/doc_keys.md" "$TMP/keys.md" | head -20 >&2
fi

for doc in README.md docs/*.md; do
    awk '/^```sh$/ { on = 1; next } /^```/ { on = 0 } on && /^(\.\/bin\/)?tokensim / { print }' "$doc" > "$TMP/cmds"
    while IFS= read -r line; do
        want=0
        case "$line" in *"# exit "*) want=${line##*# exit }; line=${line%%#*} ;; esac
        cmd=${line#./bin/}
        cmd=${cmd#tokensim }
        eval "set -- $cmd"
        "$BIN" "$@" > "$TMP/out" 2>&1 < /dev/null
        rc=$?
        if [ "$rc" = "$want" ]; then
            ok
        else
            fail=$((fail + 1))
            echo "FAIL: $doc: 'tokensim $cmd' exited $rc, expected $want" >&2
            tail -3 "$TMP/out" >&2
        fi
    done < "$TMP/cmds"
done
finish docs
