#!/usr/bin/env bash
# identical.sh: are the outputs of this build byte-identical to those of an
# earlier one? A refactoring must not move a single figure, so this runs the
# same commands (every scenario in scenarios/ and tests/data/ok, and each
# analysis command once) with both binaries and compares every file they
# write and everything they print.
#
#   bash tests/identical.sh NEW_BINARY [BASE_REF]
#
# BASE_REF (default HEAD) is built in a temporary git worktree. Set
# BASE_BIN=path to compare against a binary already built instead.
# Exit 0 when every output matches, 1 otherwise (the differing files listed).
set -u
NEW=$(realpath "$1")
REF=${2:-HEAD}
cd "$(dirname "$0")/.."
TOP=$(pwd)
WORK=$(mktemp -d)
trap 'git -C "$TOP" worktree remove --force "$WORK/base" >/dev/null 2>&1; rm -rf "$WORK"' EXIT

if [ -n "${BASE_BIN:-}" ]; then
    BASE=$(realpath "$BASE_BIN")
else
    git worktree add --detach "$WORK/base" "$REF" >/dev/null 2>&1 || { echo "identical: cannot check out $REF" >&2; exit 1; }
    make -C "$WORK/base" -j"$(nproc)" bin/tokensim >/dev/null || { echo "identical: cannot build $REF" >&2; exit 1; }
    BASE=$WORK/base/bin/tokensim
fi

# Each line: a name, then the command's arguments; OUT stands for its output folder.
commands() {
    for f in scenarios/*.yaml scenarios/*/*.yaml tests/data/ok/*.yaml; do
        n=$(echo "$f" | tr '/.' '__')
        echo "run_$n run $f --replications 6 --threads 2 --out OUT"
    done
    echo "compare compare scenarios/textbook/pricing_models.yaml --replications 6 --out OUT"
    echo "sweep sweep scenarios/default.yaml --vary plans.starter.price=10:30:10 --replications 4 --out OUT"
    echo "stress stress scenarios/stress/hybrid_quotas.yaml --replications 4 --out OUT"
    echo "tornado tornado scenarios/default.yaml --replications 4 --out OUT"
    echo "solve solve scenarios/default.yaml --plan pro --target 80 --replications 4 --out OUT"
    echo "quota quota scenarios/textbook/pricing_models.yaml --plan hybrid --replications 4 --out OUT"
    echo "exercise exercise scenarios/textbook/exercise_code_assistant.yaml --out OUT"
    echo "cost cost scenarios/default.yaml"
    echo "show show scenarios/textbook/pricing_models.yaml"
    echo "keys keys"
}

fail=0
count=0
while read -r name args; do
    count=$((count + 1))
    for side in base new; do
        bin=$BASE; [ $side = new ] && bin=$NEW
        # both sides write to the same path, since outputs may name it
        out=$WORK/run
        rm -rf "$out"; mkdir -p "$out"
        # shellcheck disable=SC2086
        "$bin" ${args//OUT/$out/files} >"$out/stdout" 2>"$out/stderr"
        echo $? >"$out/status"
        # the new builds' MANIFEST (the output set's hashes) is set aside when
        # it checks out against the very files compared next, and lists them all
        if [ -f "$out/files/MANIFEST" ] && (cd "$out/files" && sha256sum -c --strict --quiet MANIFEST >/dev/null) &&
           [ "$(grep -vc '^#' "$out/files/MANIFEST")" = "$(find "$out/files" -type f ! -name MANIFEST | wc -l)" ]; then
            rm "$out/files/MANIFEST"
        fi
        rm -f "$out/files/plots/gnuplot.log"
        mkdir -p "$WORK/out/$side"
        mv "$out" "$WORK/out/$side/$name"
    done
    if ! diff -r "$WORK/out/base/$name" "$WORK/out/new/$name" >"$WORK/diff" 2>&1; then
        fail=$((fail + 1))
        echo "identical: $name differs:" >&2
        head -20 "$WORK/diff" >&2
    fi
done < <(commands)
echo "identical: $((count - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
