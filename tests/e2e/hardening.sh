#!/usr/bin/env bash
# End-to-end tests of the bounds on input: every shape of scenario file
# (huge, endless, deep, aliased, wide, with many keys, badly encoded) and
# of price file (truncated, not an object, hostile names, impossible
# prices) is refused or accepted within 5 s and 500 MB, with a message that
# shows which limit stopped it. The files are generated here, in a temporary
# folder. Usage: tests/e2e/hardening.sh PATH/TO/tokensim
source "$(dirname "$0")/lib.sh" "$1"

# Sanitizer builds are slower and use more memory; the messages stay exact.
MAX_KB=500000
case "$BIN" in *asan*) MAX_KB=2000000 ;; esac

# bounded NAME STATUS MESSAGE ARGS...: runs tokensim ARGS with stdin from
# /dev/null; checks the exit status, the one line on stderr, and that it took
# under 5 s and (when /usr/bin/time is there) under MAX_KB of memory.
bounded() {
    local name=$1 want_rc=$2 want=$3
    shift 3
    local rc
    if [ -x /usr/bin/time ]; then
        timeout 5 /usr/bin/time -f %M -o "$TMP/mem" "$BIN" "$@" < /dev/null > /dev/null 2> "$TMP/err"
        rc=$?
        local kb
        kb=$(tail -1 "$TMP/mem" 2>/dev/null)
        if [ "$rc" != 124 ] && [ -n "$kb" ] && [ "$kb" -lt "$MAX_KB" ]; then ok; else bad "$name: $kb KB"; fi
    else
        timeout 5 "$BIN" "$@" < /dev/null > /dev/null 2> "$TMP/err"
        rc=$?
    fi
    expect_eq "$name: exit status (124: over 5 s)" "$rc" "$want_rc"
    expect_eq "$name: message" "$(head -1 "$TMP/err")" "$want"
}

LIMIT="set TOKENSIM_MAX_INPUT to a larger size (such as 64M) to read it"

# ---- bounded reading -----------------------------------------------------------
bounded "/dev/zero" 2 "tokensim: /dev/zero: scenario too large: more than 4 MiB; $LIMIT" validate /dev/zero
# an endless pipe: stops one byte past the limit
timeout 5 bash -c "yes 'a: 1' | \"$BIN\" validate /dev/stdin" > /dev/null 2> "$TMP/err"
expect_eq "endless pipe: exit status" $? 2
expect_eq "endless pipe: message" "$(head -1 "$TMP/err")" "tokensim: /dev/stdin: scenario too large: more than 4 MiB; $LIMIT"
# 200 MB (sparse: no disk used) is refused from its size, before any read
truncate -s 200M "$TMP/huge.yaml"
bounded "200 MB file" 2 "tokensim: $TMP/huge.yaml: scenario too large: more than 4 MiB; $LIMIT" validate "$TMP/huge.yaml"
# one byte over the limit is refused, the limit itself is read (and, being
# 4 MiB of one plain scalar, is no mapping)
head -c 4194304 /dev/zero | tr '\0' 'a' > "$TMP/at_limit.yaml"
bounded "exactly 4 MiB" 2 "tokensim: $TMP/at_limit.yaml:1:1: expected a mapping of scenario keys at the top of the file" \
    validate "$TMP/at_limit.yaml"
printf a >> "$TMP/at_limit.yaml"
bounded "4 MiB + 1" 2 "tokensim: $TMP/at_limit.yaml: scenario too large: more than 4 MiB; $LIMIT" validate "$TMP/at_limit.yaml"
# the limit moves with TOKENSIM_MAX_INPUT; a wrong value is named
export TOKENSIM_MAX_INPUT=1K
bounded "TOKENSIM_MAX_INPUT=1K" 2 \
    "tokensim: scenarios/default.yaml: scenario too large: more than 1 KiB; $LIMIT" validate scenarios/default.yaml
export TOKENSIM_MAX_INPUT=8M
bounded "TOKENSIM_MAX_INPUT=8M" 2 "tokensim: $TMP/at_limit.yaml:1:1: expected a mapping of scenario keys at the top of the file" \
    validate "$TMP/at_limit.yaml"
export TOKENSIM_MAX_INPUT=lots
bounded "TOKENSIM_MAX_INPUT=lots" 2 \
    "tokensim: invalid TOKENSIM_MAX_INPUT 'lots': expected a size in bytes, such as 4194304, 4096K or 4M" \
    validate scenarios/default.yaml
unset TOKENSIM_MAX_INPUT

# ---- limits enforced while parsing ---------------------------------------------
# one 100 KB scalar aliased 100,000 times (10 GB expanded): each alias adds
# 100,000 bytes, so the 42nd crosses 4,194,304 (41 x 100,000 = 4,100,000);
# "b: [" is 4 characters and each "*a, " 4 more: the 42nd is at column 5 + 41 x 4 = 169
python3 -c "print('a: &a \"' + 'x' * 100000 + '\"'); print('b: [' + ', '.join(['*a'] * 100000) + ']')" > "$TMP/alias.yaml"
bounded "100 KB aliased 100,000 times" 2 \
    "tokensim: $TMP/alias.yaml:2:169: document too large: aliases expand to more than 4194304 bytes of text (the input limit; TOKENSIM_MAX_INPUT raises it)" \
    validate "$TMP/alias.yaml"
# 100,000 nested flow lists: the k-th '[' is at depth k and column 3 + k, so
# level 65 is refused at column 68
python3 -c "print('a: ' + '[' * 100000 + ']' * 100000)" > "$TMP/deep.yaml"
bounded "100,000 deep (flow)" 2 "tokensim: $TMP/deep.yaml:1:68: document nested deeper than 64 levels (a recursive alias?)" \
    validate "$TMP/deep.yaml"
# 100,000 nested block lists on one line: the k-th '-' is at column 3 + 2(k - 1): 131 for k = 65
python3 -c "print('a:'); print('  ' + '- ' * 100000 + 'x')" > "$TMP/deep2.yaml"
bounded "100,000 deep (block)" 2 "tokensim: $TMP/deep2.yaml:2:131: document nested deeper than 64 levels (a recursive alias?)" \
    validate "$TMP/deep2.yaml"
# 300,000 items in one list: the root and the list are nodes 1 and 2, so
# item 199,999 is node 200,001, at column 5 + 2 x 199,998 = 400,001
python3 -c "print('a: [' + ','.join(['1'] * 300000) + ']')" > "$TMP/wide.yaml"
bounded "300,000 items" 2 "tokensim: $TMP/wide.yaml:1:400001: document too large: more than 200000 nodes once aliases are expanded" \
    validate "$TMP/wide.yaml"
# a billion laughs: nine levels of ten aliases each; the node budget stops it
python3 - "$TMP/laughs.yaml" <<'PY'
import sys
with open(sys.argv[1], 'w') as f:
    f.write('l0: &l0 "lol"\n')
    for i in range(1, 10):
        f.write('l%d: &l%d [%s]\n' % (i, i, ', '.join(['*l%d' % (i - 1)] * 10)))
PY
# l6 would be node 123,458 onwards but only 76,543 fit: counting through
# l6 > l5 > l4 > l3 > l2 > l1 copies, node 76,544 of l6 is the 8th "lol" of
# an l1, which keeps the mark of the scalar it copies, whose anchor starts
# it: line 1, column 5
bounded "billion laughs" 2 "tokensim: $TMP/laughs.yaml:1:5: document too large: more than 200000 nodes once aliases are expanded" \
    validate "$TMP/laughs.yaml"

# ---- duplicate keys in linear time -----------------------------------------------
# 190,000 distinct keys load (the binder then names the first unknown one);
# one more, repeating k000005, is found at its own line, 190,001
python3 -c "
import sys
sys.stdout.write(''.join('k%06d: 1\n' % i for i in range(190000)))" > "$TMP/keys.yaml"
bounded "190,000 keys" 2 "tokensim: $TMP/keys.yaml:1:1: unknown key 'k000000' (known keys here: name, description, horizon_months, replications, seed, prices, customers, usage, wtp, features, costs, plans, exercise, stress, sensitivity, sampling, levers, world, finance, shocks, uncertain)" \
    validate "$TMP/keys.yaml"
echo 'k000005: 2' >> "$TMP/keys.yaml"
bounded "190,001 keys, one repeated" 2 "tokensim: $TMP/keys.yaml:190001:1: duplicate key 'k000005'" validate "$TMP/keys.yaml"

# ---- encoding errors at their own place (more in tests/data/bad) -----------------
# "x: ab" then a nul: line 2, column 6
printf 'name: n\nx: ab\0c\n' > "$TMP/nul.yaml"
bounded "nul byte" 2 "tokensim: $TMP/nul.yaml:2:6: invalid yaml: control characters are not allowed (found a nul byte)" \
    validate "$TMP/nul.yaml"
# a stray continuation byte after "é" (two bytes, one character): column 8 of "name: é"
printf 'name: \xc3\xa9\x80\n' > "$TMP/utf.yaml"
bounded "stray UTF-8 byte" 2 "tokensim: $TMP/utf.yaml:1:8: invalid yaml: invalid leading UTF-8 octet (found byte 0x80)" \
    validate "$TMP/utf.yaml"
# CR LF counts as one line break, as libyaml counts it
printf 'name: n\r\nx: \x01\r\n' > "$TMP/crlf.yaml"
bounded "CR LF lines" 2 "tokensim: $TMP/crlf.yaml:2:4: invalid yaml: control characters are not allowed (found U+0001)" \
    validate "$TMP/crlf.yaml"

# ---- numbers: a subnormal is a number ----------------------------------------------
"$BIN" validate scenarios/default.yaml --set plans.starter.price=1e-320 > /dev/null 2> "$TMP/err"
expect_eq "1e-320 is a price >= 0" "$?:$(cat "$TMP/err")" "0:"
"$BIN" show scenarios/default.yaml --set usage.alpha=1e-320 > /dev/null 2> "$TMP/err"
expect_eq "1e-320 is a number > 0" "$?:$(cat "$TMP/err")" "0:"
bounded "1e999 is not a number" 2 \
    "tokensim: usage.alpha=1e999: invalid value for 'usage.alpha': found '1e999', expected a number > 0" \
    validate scenarios/default.yaml --set usage.alpha=1e999

# a number too long for the binder's buffer is refused, not cut to another
# number (a 1 and 200 zeros used to be read as 1e126)
LONGNUM=1$(printf '0%.0s' $(seq 200))
"$BIN" validate scenarios/default.yaml --set plans.starter.price=$LONGNUM > /dev/null 2>&1
expect_eq "a 201-digit number is refused" $? 2
# a --set path longer than the buffer is refused, not cut to another path
LONGPATH=$(printf 'k.%.0s' $(seq 300))k
# (the message names the argument as its source, in the first 255 characters the error object keeps)
ARG="$LONGPATH=1"
bounded "601-character --set path" 2 "tokensim: ${ARG:0:255}: invalid --set: the path has 601 characters, expected at most 511" \
    validate scenarios/default.yaml --set "$LONGPATH=1"

# ---- a catalog named by a scenario must be a regular file -------------------------
sed 's|^prices:|prices:\n  catalog: /dev/stdin|' scenarios/default.yaml > "$TMP/stdin_catalog.yaml"
bounded "catalog from a pipe" 2 \
    "tokensim: $TMP/stdin_catalog.yaml:14:12: cannot read catalog '/dev/stdin' in 'prices.catalog': expected a regular file" \
    validate "$TMP/stdin_catalog.yaml"

# ---- catalog import: located JSON errors ------------------------------------------
imp() { # NAME MESSAGE JSON-TEXT: import exits 2 with MESSAGE
    printf '%s' "$3" > "$TMP/p.json"
    bounded "import: $1" 2 "tokensim: $TMP/p.json$2" catalog import "$TMP/p.json"
}
# the text stops after the comma at column 32 of line 2 (2 spaces, 22 for
# the quoted key, ': ', 5 for 1e-06): reported one past it
imp "truncated" ":2:33: invalid json: the text ends inside an object (is the file cut short?)" \
    "{\"m\": {\"mode\": \"chat\",
  \"input_cost_per_token\": 1e-06,"
imp "array" ":2:3: not a LiteLLM price file: found a JSON array, expected a JSON object of models keyed by name" $'\n  [1, 2]'
imp "null" ":1:1: not a LiteLLM price file: found JSON null, expected a JSON object of models keyed by name" "null"
imp "garbage after the object" ":2:1: invalid json: unexpected 'x'" $'{}\nxyz'
imp "garbage" ":1:1: invalid json: unexpected '<'" "<html>"
imp "empty" ": not a LiteLLM price file: the file is empty, expected a JSON object of models" $'  \n'
# ---- catalog import: impossible prices and repeated names --------------------------
M='"output_cost_per_token": 2e-06'
imp "infinite price" ":3:3: invalid price for model 'big': 'input_cost_per_token' is a number too large to hold, expected a finite number >= 0" \
    "{
  \"ok\": {\"input_cost_per_token\": 1e-06, $M},
  \"big\": {\"input_cost_per_token\": 1e999, $M}
}"
imp "negative price" ":2:3: invalid price for model 'neg': 'cache_read_input_token_cost' is -1e-07, expected a finite number >= 0" \
    "{
  \"neg\": {\"input_cost_per_token\": 1e-06, $M, \"cache_read_input_token_cost\": -1e-07}
}"
imp "repeated name" ":4:3: duplicate model 'a': first given at line 2, expected each name once" \
    "{
  \"a\": {\"input_cost_per_token\": 1e-06, $M},
  \"b\": {\"input_cost_per_token\": 1e-06, $M},
  \"a\": {\"input_cost_per_token\": 3e-06, $M}
}"
# ---- catalog import: names that YAML must quote read back as themselves ------------
# a name with a quote, a backslash, a line break and a tab; the price file's
# own name has a line break too (it goes into a comment)
NAME=$'say "hi"\\\nnow\tok'
jq -n --arg n "$NAME" '{($n): {input_cost_per_token: 1e-06, output_cost_per_token: 2e-06}}' > "$TMP/odd"$'\n'"name.json"
"$BIN" catalog import "$TMP/odd"$'\n'"name.json" --date $'2026"\n' --out "$TMP/odd.yaml" 2> /dev/null
expect_eq "import: odd names: exit status" $? 0
cat > "$TMP/uses_odd.yaml" <<'YAML'
name: uses a model whose name needs quotes
horizon_months: 1
replications: 1
prices: { catalog: odd.yaml }
customers: { initial: 1 }
usage: { distribution: constant, value: 1000, counts: fixed }
features: [ { name: f, model: "say \"hi\"\\\nnow\tok", tokens: { user: 1000, output: 100 } } ]
plans: [ { name: flat, price: 10 } ]
YAML
# 1,000 x (1,000 x $1 + 100 x $2) / 1e6 = $1.20
expect_near "import: the odd name reads back and prices a run" \
    "$("$BIN" run "$TMP/uses_odd.yaml" --json --no-plots --out "$TMP/u" | jq '.plans[0].months[0].inference_cost.mean')" 1.2 1e-12
expect_eq "import: the date reads back" "$(grep -c '^date: "2026\\"\\n"$' "$TMP/odd.yaml")" 1

finish hardening
