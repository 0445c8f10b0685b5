#!/usr/bin/env bash
# mpi.sh: the MPI build (bin/tokensim-mpi) under `mpirun -np 2` and `-np 3`
# writes the same bytes as the threaded program: run (levers, antithetic
# pairs, a replication count the ranks do not divide, fewer replications
# than ranks, --precision's batches), compare, sweep, stress, tornado,
# solve and optimize. A rank that fails stops the job with its number, exit 1, and
# the earlier outputs stay as they were. Skipped (0 checks) without mpirun.
# Usage: tests/e2e/mpi.sh PATH/TO/tokensim PATH/TO/tokensim-mpi
source "$(dirname "$0")/lib.sh"
MPIBIN=$(realpath "$2")
if ! command -v mpirun >/dev/null; then
    echo "mpi: skipped, no mpirun"
    finish mpi
    exit
fi
# root in a container: OpenMPI wants both the flag and the variables, and
# shared memory without the single-copy mechanism the container may forbid
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_rmaps_base_oversubscribe=1
mkdir -p "$TMP/scratch"
export TMPDIR=$TMP/scratch
mpi() { local np=$1; shift; mpirun --oversubscribe --allow-run-as-root -np "$np" "$MPIBIN" "$@"; }

# same NAME ARGS...: the threaded run and the runs on 2 and 3 ranks write
# the same files and print the same tables (OUT stands for the folder)
same() {
    local name=$1; shift
    local args="$*"
    # shellcheck disable=SC2086
    "$BIN" ${args//OUT/$TMP/out} >"$TMP/t.stdout" 2>/dev/null
    echo "$?" >>"$TMP/t.stdout"
    rm -rf "$TMP/one"; mv "$TMP/out" "$TMP/one"
    [ -n "$(ls "$TMP/one")" ] || bad "$name: the threaded run wrote nothing"
    for np in 2 3; do
        # shellcheck disable=SC2086
        mpi "$np" ${args//OUT/$TMP/out} >"$TMP/m.stdout" 2>"$TMP/m.stderr"
        echo "$?" >>"$TMP/m.stdout"
        if diff -r "$TMP/one" "$TMP/out" >"$TMP/diff" && cmp -s "$TMP/t.stdout" "$TMP/m.stdout"; then
            ok
        else
            bad "$name on $np ranks differs from the threaded run: $(head -5 "$TMP/diff"; head -3 "$TMP/m.stderr")"
        fi
        rm -rf "$TMP/out"
    done
}

D=scenarios/default.yaml
same "run" run $D --replications 7 --threads 2 --no-plots --out OUT
same "run, fewer replications than ranks" run $D --replications 2 --no-plots --out OUT
same "run, one replication alone" run $D --replication 3 --replications 5 --no-plots --out OUT
same "run with levers" run scenarios/textbook/levers_routing.yaml --replications 5 --no-plots --out OUT
same "run, antithetic pairs" run $D --replications 6 --set sampling.antithetic=true --no-plots --out OUT
same "run, precision batches" run $D --replications 4 --precision 1 --json --no-plots --out OUT
same "run with plots" run $D --replications 4 --out OUT
same "compare" compare scenarios/textbook/pricing_models.yaml --replications 6 --no-plots --out OUT
same "sweep" sweep $D --vary plans.starter.price=10:30:10 --replications 4 --no-plots --out OUT
same "stress" stress scenarios/stress/hybrid_quotas.yaml --replications 4 --no-plots --out OUT
same "tornado" tornado $D --replications 3 --no-plots --out OUT
same "solve" solve $D --plan pro --target 80 --replications 3 --out OUT
same "optimize" optimize $D --plan starter --vary plans.starter.price=10:30 --points 4 --replications 4 --risk-below 70 --no-plots \
    --out OUT

# the other ranks leave no scratch folder behind
expect_eq "no scratch folders left" "$(ls "$TMP/scratch" | wc -l)" 0

# a failed rank: its number and words, exit 1, the earlier outputs intact
"$BIN" run $D --replications 4 --no-plots --quiet --out "$TMP/keep"
before=$(cd "$TMP/keep" && cat ./* | md5sum)
for r in 1 2; do
    TOKENSIM_TEST_FAIL_RANK=$r mpi 3 run $D --replications 4 --no-plots --quiet --out "$TMP/keep" \
        >"$TMP/f.out" 2>"$TMP/f.err"
    expect_eq "failed rank $r: exit status" "$?" 1
    grep -q "^tokensim: rank $r failed: failure injected by TOKENSIM_TEST_FAIL_RANK$" "$TMP/f.err" && ok \
        || bad "failed rank $r: message: $(head -3 "$TMP/f.err")"
    expect_eq "failed rank $r: earlier outputs intact" "$(cd "$TMP/keep" && cat ./* | md5sum)" "$before"
done
finish mpi
