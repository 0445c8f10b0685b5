#!/usr/bin/env bash
# End-to-end test of the library as its users get it: `make install` into a
# temporary PREFIX; the public header compiled on its own (C99 with
# -pedantic, and C++); examples/margin.c built against the installed
# library through pkg-config, and its margins equal, bit for bit, to those
# `tokensim run --json` prints for the same scenario, seed and replications
# (same engine, same seed); docs/library.md's example built and run; then
# install and uninstall under DESTDIR.
# Usage: tests/e2e/library.sh PATH/TO/tokensim
source "$(dirname "$0")/lib.sh" "$1"
PREFIX=$TMP/prefix
SCN=scenarios/default.yaml

if make --no-print-directory -s install PREFIX="$PREFIX" >"$TMP/install.log" 2>&1; then ok; else
    bad "make install PREFIX=$PREFIX: $(tail -3 "$TMP/install.log")"; fi
for f in bin/tokensim lib/libtokensim.a include/tokensim.h lib/pkgconfig/tokensim.pc \
         share/tokensim/scenarios/default.yaml share/doc/tokensim/library.md; do
    if [ -f "$PREFIX/$f" ]; then ok; else bad "make install: no $f under PREFIX"; fi
done

export PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig
version=$("$BIN" --version)
expect_eq "pkg-config --modversion" "$(pkg-config --modversion tokensim 2>&1)" "${version#tokensim }"
expect_eq "pkg-config --cflags names the installed header" \
    "$(pkg-config --cflags tokensim | tr ' ' '\n' | grep -c -x -- "-I$PREFIX/include")" "1"
for dep in -ltokensim -fopenmp -lgsl -lyaml -lcjson -lxlsxwriter -lm; do
    if pkg-config --static --libs tokensim | tr ' ' '\n' | grep -q -x -- "$dep"; then ok; else
        bad "pkg-config --static --libs tokensim: no $dep"; fi
done

# the header alone, as a C99 and as a C++ program includes it
printf '#include <tokensim.h>\nint main(void) { ts_error e; ts_error_clear(&e); return e.code; }\n' > "$TMP/h.c"
if cc -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only $(pkg-config --cflags tokensim) "$TMP/h.c" \
    2>"$TMP/h.log"; then ok; else bad "tokensim.h alone in C99: $(head -3 "$TMP/h.log")"; fi
if command -v c++ >/dev/null; then
    if c++ -Wall -Wextra -Werror -fsyntax-only -x c++ $(pkg-config --cflags tokensim) "$TMP/h.c" \
        2>"$TMP/h.log"; then ok; else bad "tokensim.h in C++: $(head -3 "$TMP/h.log")"; fi
fi

# the example, built out of the tree against the installed library
cp -r examples "$TMP/ex"
if make --no-print-directory -s -C "$TMP/ex" >"$TMP/ex.log" 2>&1; then ok; else
    bad "building examples/margin.c: $(tail -3 "$TMP/ex.log")"; fi
"$TMP/ex/margin" "$SCN" > "$TMP/margin.out" 2>"$TMP/margin.err"
expect_eq "margin exits 0" "$?" "0"
"$TMP/ex/margin" > /dev/null 2>&1
expect_eq "margin without a file exits 2" "$?" "2"
"$TMP/ex/margin" "$TMP/none.yaml" 2>"$TMP/none.err"
expect_eq "margin on a missing file exits 2" "$?" "2"
if grep -q "^margin: $TMP/none.yaml: cannot open scenario" "$TMP/none.err"; then ok; else
    bad "margin's message on a missing file: $(cat "$TMP/none.err")"; fi

# the example's margins against the program's, as doubles compared with ==
sed -n 's/^plan \([^:]*\): margin \([^%]*\)%, 95% interval \(.*\) to \(.*\), P5..P95 \(.*\) to \(.*\)$/\1 \2 \3 \4 \5 \6/p' \
    "$TMP/margin.out" > "$TMP/lib.tsv"
cli_margins() {
    "$BIN" run "$SCN" --replications "$1" --json --no-plots --out "$TMP/run$1" |
        jq -r '.plans[] | .name + " " + ([.totals.gross_margin_pct | .mean, .ci95[0], .ci95[1], .p5, .p95]
               | map(tostring) | join(" "))'
}
cli_margins 20 > "$TMP/cli.tsv"
expect_eq "plans printed by margin" "$(wc -l < "$TMP/lib.tsv")" "$(jq '.plans | length' "$TMP/run20/summary.json")"
equal_rows() {
    paste -d' ' "$1" "$2" | awk '{ if ($1 != $7) differ = 1; for (i = 2; i <= 6; i++) if ($i + 0 != $(i + 6) + 0) differ = 1 }
                                  END { exit differ || NR == 0 }'
}
if equal_rows "$TMP/lib.tsv" "$TMP/cli.tsv"; then ok; else
    bad "margins differ from tokensim run's:"; paste "$TMP/lib.tsv" "$TMP/cli.tsv" >&2; fi
# and the comparison can tell: 19 replications give other margins
cli_margins 19 > "$TMP/cli19.tsv"
if equal_rows "$TMP/lib.tsv" "$TMP/cli19.tsv"; then bad "margins of 20 and 19 replications compare equal"; else ok; fi

# docs/library.md's complete example, as printed there
awk '/^```c$/ { on = 1; next } /^```/ { on = 0 } on' docs/library.md > "$TMP/whatif.c"
if cc -Wall -Wextra -Werror $(pkg-config --cflags tokensim) "$TMP/whatif.c" -o "$TMP/whatif" \
    $(pkg-config --libs --static tokensim) 2>"$TMP/whatif.log"; then ok; else
    bad "docs/library.md's example does not build: $(head -3 "$TMP/whatif.log")"; fi
"$TMP/whatif" "$SCN" usage.alpha=1.1 > "$TMP/whatif.out" 2>&1
expect_eq "whatif exits 0" "$?" "0"
expect_eq "whatif prints every plan twice" "$(grep -c '^  [a-z]* *margin' "$TMP/whatif.out")" \
    "$((2 * $(jq '.plans | length' "$TMP/run20/summary.json")))"
"$TMP/whatif" "$SCN" usage.alfa=1.1 > /dev/null 2> "$TMP/whatif.err"
expect_eq "whatif with a bad change exits 2" "$?" "2"
expect_eq "whatif's message" "$(cat "$TMP/whatif.err")" \
    "whatif: usage.alfa=1.1: unknown key 'usage.alfa' (did you mean 'usage.alpha'?)"

# DESTDIR: everything under it, the pkg-config file naming PREFIX alone;
# uninstall leaves no file behind
D=$TMP/dest
make --no-print-directory -s install DESTDIR="$D" PREFIX=/opt/tokensim >"$TMP/dinstall.log" 2>&1
expect_eq "install with DESTDIR" "$?" "0"
expect_eq "tokensim.pc's prefix" "$(grep '^prefix=' "$D/opt/tokensim/lib/pkgconfig/tokensim.pc")" "prefix=/opt/tokensim"
if [ -x "$D/opt/tokensim/bin/tokensim" ] && [ -f "$D/opt/tokensim/include/tokensim.h" ]; then ok; else
    bad "install with DESTDIR: files missing"; fi
make --no-print-directory -s uninstall DESTDIR="$D" PREFIX=/opt/tokensim >/dev/null 2>&1
expect_eq "files left after uninstall" "$(find "$D" -type f | wc -l)" "0"

finish library
