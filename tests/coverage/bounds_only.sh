#!/usr/bin/env bash
# bounds_only.sh: the commands of tests/identical.sh (with 6 replications,
# so that the new intervals apply) run by two binaries, whose outputs must
# differ only in interval bounds and heavy-tail warnings (bounds_only.py).
#
#   bash tests/coverage/bounds_only.sh BASE_BINARY NEW_BINARY
set -u
BASE=$(realpath "$1")
NEW=$(realpath "$2")
cd "$(dirname "$0")/../.."
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
commands() {
    for f in scenarios/*.yaml scenarios/*/*.yaml tests/data/ok/*.yaml; do
        echo "run_$(echo "$f" | tr '/.' '__') run $f --replications 6 --threads 2 --out OUT"
    done
    echo "compare compare scenarios/textbook/pricing_models.yaml --replications 6 --out OUT"
    echo "sweep sweep scenarios/default.yaml --vary plans.starter.price=10:30:10 --replications 6 --out OUT"
    echo "stress stress scenarios/stress/hybrid_quotas.yaml --replications 6 --out OUT"
    echo "tornado tornado scenarios/default.yaml --replications 6 --out OUT"
    echo "solve solve scenarios/default.yaml --plan pro --target 80 --replications 6 --out OUT"
    echo "quota quota scenarios/textbook/pricing_models.yaml --plan hybrid --replications 6 --out OUT"
    echo "sampling sampling scenarios/default.yaml --replications 10"
}
fail=0
count=0
while read -r name args; do
    count=$((count + 1))
    for side in base new; do
        bin=$BASE; [ $side = new ] && bin=$NEW
        out=$W/$side/$name
        mkdir -p "$out"
        # shellcheck disable=SC2086
        "$bin" ${args//OUT/$W/run} >"$out/stdout" 2>"$out/stderr"
        echo $? >"$out/status"
        [ -d "$W/run" ] && mv "$W/run" "$out/files"
        rm -f "$out/files/plots/gnuplot.log"
        # MANIFEST hashes the files, whose bounds differ; tests/identical.sh checks it
        rm -f "$out/files/MANIFEST"
    done
    python3 tests/coverage/bounds_only.py "$W/base/$name" "$W/new/$name" >"$W/diff" || {
        fail=$((fail + 1))
        echo "bounds-only: $name differs beyond interval bounds:" >&2
        head -20 "$W/diff" >&2
    }
done < <(commands)
echo "bounds-only: $((count - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
