#!/usr/bin/env bash
# data.sh: `tokensim fit` on usage data: every preset on the small
# hand-made files of tests/data/logs (plain, gzip and zstd), bad input (exit
# 2 naming file and line), odd rows counted, the shipped Azure trace against
# its own quantiles, SQLite, and PostgreSQL on a throwaway cluster started
# here (initdb and pg_ctl in a temporary folder, a Unix socket only).
# Usage: bash tests/e2e/data.sh BIN
source "$(dirname "$0")/lib.sh" "$1"
L=tests/data/logs
fit() { "$BIN" fit "$@" --no-plots --out "$TMP/out"; }
j() { jq -r "$1" "$TMP/out/fit.json"; }

# ---- presets: each recognised from its header, rows and totals by hand ----
fit $L/spend_logs.csv >/dev/null
expect_eq "spend logs preset" "$(j .provenance.preset)" litellm-spend-logs
expect_eq "spend logs rows" "$(j .rows.read)" 5
expect_eq "spend logs zero-token request (r3)" "$(j .rows.zero_token_requests)" 1
expect_eq "spend logs model not in catalog (mystery-model)" "$(j .rows.model_not_in_catalog)" 1
expect_eq "spend logs customers (alice, bob, carol)" "$(j .customers.count)" 3
expect_eq "spend logs logged spend" "$(j .customers.logged_cost)" 0.0156
# at catalog 2026-03 (gpt-4o 2.5/10, gpt-4o-mini 0.15/0.6 per Mtok):
# r1 1000*2.5e-6+500*1e-5 = 0.0075, r5 300*2.5e-6+100*1e-5 = 0.00175, r2 200*0.15e-6+100*0.6e-6 = 0.00009
expect_near "spend logs catalog cost" "$(j .customers.catalog_cost)" 0.00934 1e-12
# input tokens of the four requests with tokens: (1000+200+100+300)/4
expect_near "spend logs mean input" "$(j .tokens_per_request.input.mean)" 400 1e-9

fit $L/daily_user_spend.csv >/dev/null
expect_eq "daily spend preset" "$(j .provenance.preset)" litellm-daily-user-spend
expect_eq "daily spend interactions (10+4+6 api_requests)" "$(j .customers.interactions)" 20
expect_eq "daily spend: no per-request token laws from totals" "$(j '.tokens_per_request // "none"')" none

fit $L/openai_usage.jsonl >/dev/null
expect_eq "openai preset (JSON lines)" "$(j .provenance.format)/$(j .provenance.preset)" jsonl/openai-usage
expect_eq "openai requests (7+2)" "$(j .customers.interactions)" 9
expect_eq "openai cached tokens read" "$(j '.models[0].cached_tokens')" 2000

fit $L/monthly.csv >/dev/null
expect_eq "monthly preset" "$(j .provenance.preset)" monthly
expect_eq "monthly interactions (10+20+5)" "$(j .customers.interactions)" 35

fit $L/values.txt >/dev/null
expect_eq "values preset (no header)" "$(j .provenance.preset)/$(j .rows.read)" values/8

fit $L/trace.csv >/dev/null
expect_eq "trace preset" "$(j .provenance.preset)" trace
expect_eq "trace input P50 of 100,200,300" "$(j .tokens_per_request.input.quantiles.p50)" 200

# --map over no preset: the same spend log with renamed columns
sed '1s/.*/id,kind,key,cost_usd,tt,inp,outp,ts,te,m,who,eu/' $L/spend_logs.csv >"$TMP/renamed.csv"
fit "$TMP/renamed.csv" --map customer=who,time=ts,model=m,input=inp,output=outp,cost=cost_usd >/dev/null
expect_eq "--map customers" "$(j .customers.count)/$(j .provenance.preset)" 3/map

# ---- compressed: the same answer from gzip and zstd ----
gzip -c $L/spend_logs.csv >"$TMP/s.csv.gz"
zstd -q -c $L/spend_logs.csv >"$TMP/s.csv.zst"
for f in s.csv.gz s.csv.zst; do
    fit "$TMP/$f" >/dev/null
    expect_eq "$f compression" "$(j .provenance.compression)/$(j .customers.count)/$(j .rows.read)" \
        "$([ $f = s.csv.gz ] && echo gzip || echo zstd)/3/5"
done

# ---- bad input: exit 2, file and line named, nothing written ----
bad_case() {   # NAME FILE WANT-IN-MESSAGE
    rm -rf "$TMP/out"
    local msg rc
    msg=$("$BIN" fit "$2" --no-plots --out "$TMP/out" 2>&1 >/dev/null)
    rc=$?
    expect_eq "$1: exit" "$rc" 2
    case "$msg" in *"$3"*) ok ;; *) bad "$1: message '$msg' lacks '$3'" ;; esac
    [ -e "$TMP/out/fit.json" ] && bad "$1: fit.json written" || ok
}
sed '3s/,200,100,/,-200,100,/' $L/spend_logs.csv >"$TMP/neg.csv"
# the columns below are counted by hand: prompt_tokens after "r2,acompletion,k1,0.0021,300," (29 characters),
# startTime after "r1,acompletion,k1,0.0105,1500,1000,500," (39), user of r5 after 87
bad_case "negative tokens" "$TMP/neg.csv" "$TMP/neg.csv:3:30: invalid count (a number >= 0 expected) in column 'prompt_tokens': found '-200'"
sed '3s/,200,100,/,200,many,/' $L/spend_logs.csv >"$TMP/nan.csv"
# completion_tokens starts after "r2,acompletion,k1,0.0021,300,200," (33 characters)
bad_case "non-numeric tokens" "$TMP/nan.csv" "$TMP/nan.csv:3:34: invalid count (a number >= 0 expected) in column 'completion_tokens': found 'many'"
sed '2s/2024-05-01T10:00:00Z/yesterday/' $L/spend_logs.csv >"$TMP/time.csv"
bad_case "bad timestamp" "$TMP/time.csv" "$TMP/time.csv:2:40: invalid timestamp (ISO 8601 or Unix seconds expected) in column 'startTime': found 'yesterday'"
sed '6s/,carol,/,,/' $L/spend_logs.csv >"$TMP/empty.csv"
bad_case "empty customer" "$TMP/empty.csv" "$TMP/empty.csv:6:88: empty customer id in column 'user'"
rm -rf "$TMP/out"
msg=$("$BIN" fit $L/spend_logs.csv --map customer=usr --no-plots --out "$TMP/out" 2>&1)
expect_eq "missing mapped column: exit" "$?" 2
expect_eq "missing mapped column: message" "$msg" \
    "tokensim: $L/spend_logs.csv:1:1: missing column 'usr' for customer in the header (did you mean 'user'?)"
head -c 150 "$TMP/s.csv.gz" >"$TMP/cut.csv.gz"
bad_case "truncated gzip" "$TMP/cut.csv.gz" "truncated gzip data"
head -c 150 "$TMP/s.csv.zst" >"$TMP/cut.csv.zst"
bad_case "truncated zstd" "$TMP/cut.csv.zst" "truncated zstd data"

# ---- the Azure trace: the token laws against the data's own quantiles ----
T=tests/data/traces/azure_llm_code_2023.csv
fit $T >/dev/null
expect_eq "azure: preset" "$(j .provenance.preset)/$(j .rows.read)" trace/8819
# the data README's figures, and python's reading of the same file (the
# observed value x_(floor((n-1)p)) of the sorted column)
want=$(python3 -c "
import csv
r = list(csv.DictReader(open('$T')))
for c in ('ContextTokens', 'GeneratedTokens'):
    v = sorted(int(x[c]) for x in r)
    print(*[v[int((len(v) - 1) * p)] for p in (0.5, 0.9)])")
got=$(printf '%s %s\n%s %s' "$(j .tokens_per_request.input.quantiles.p50)" "$(j .tokens_per_request.input.quantiles.p90)" \
      "$(j .tokens_per_request.output.quantiles.p50)" "$(j .tokens_per_request.output.quantiles.p90)")
expect_eq "azure: quantiles against python" "$got" "$want"
expect_eq "azure: quantiles against the README" "$got" "$(printf '1469 5186\n13 55')"

# ---- the emitted blocks run as they are ----
fit $L/spend_logs.csv >/dev/null
"$BIN" validate "$TMP/out/scenario.yaml" >/dev/null && ok || bad "emitted scenario does not validate"

# ---- SQLite: the spend log as a table ----
if command -v sqlite3 >/dev/null; then
    sqlite3 "$TMP/db.sqlite" ".mode csv" ".import $L/spend_logs.csv LiteLLM_SpendLogs"
    fit --db "$TMP/db.sqlite" --table LiteLLM_SpendLogs >/dev/null
    expect_eq "sqlite: preset and customers" "$(j .provenance.format)/$(j .provenance.preset)/$(j .customers.count)" \
        sqlite/litellm-spend-logs/3
    msg=$("$BIN" fit --db "$TMP/db.sqlite" --table NoSuchTable --no-plots --out "$TMP/o2" 2>&1)
    expect_eq "sqlite: missing table exit" "$?" 2
    case "$msg" in *"no such table: NoSuchTable"*) ok ;; *) bad "sqlite missing table: $msg" ;; esac
fi

# ---- PostgreSQL: a throwaway cluster on a Unix socket ----
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -n "$pgbin" ] && [ -x "$pgbin/initdb" ]; then
    P="$TMP/pg"
    mkdir -p "$P"
    chmod 777 "$TMP" "$P"
    as=()
    [ "$(id -u)" -eq 0 ] && as=(runuser -u nobody --)
    "${as[@]}" "$pgbin/initdb" -D "$P/data" -A trust -U tokensim >/dev/null 2>&1 || bad "initdb failed"
    "${as[@]}" "$pgbin/pg_ctl" -D "$P/data" -l "$P/log" -w -o "-c listen_addresses='' -k $P" start >/dev/null 2>&1 \
        || bad "pg_ctl start failed: $(cat "$P/log" 2>/dev/null | tail -3)"
    url="postgresql://tokensim@/postgres?host=$P"
    # timestamptz takes no Unix seconds: r4's become the same instant in ISO 8601
    sed 's/1717243200/2024-06-01T12:00:00Z/; s/1717243201/2024-06-01T12:00:01Z/' $L/spend_logs.csv >"$P/spend.csv"
    chmod 644 "$P/spend.csv"
    "${as[@]}" "$pgbin/psql" -q -v ON_ERROR_STOP=1 -h "$P" -U tokensim -d postgres >/dev/null 2>&1 <<SQL || bad "loading the table failed"
CREATE TABLE "LiteLLM_SpendLogs" (request_id text PRIMARY KEY, call_type text, api_key text, spend double precision,
  total_tokens integer, prompt_tokens integer, completion_tokens integer, "startTime" timestamptz, "endTime" timestamptz,
  model text, "user" text, end_user text);
\copy "LiteLLM_SpendLogs" FROM '$P/spend.csv' WITH (FORMAT csv, HEADER true)
SQL
    fit --db "$url" --table LiteLLM_SpendLogs >/dev/null
    expect_eq "postgres: preset, customers, rows" \
        "$(j .provenance.format)/$(j .provenance.preset)/$(j .customers.count)/$(j .rows.read)" postgresql/litellm-spend-logs/3/5
    expect_near "postgres: catalog cost as from the file" "$(j .customers.catalog_cost)" 0.00934 1e-12
    fit --db "$url" --query 'SELECT "user", "startTime", prompt_tokens, completion_tokens, spend, request_id FROM "LiteLLM_SpendLogs" WHERE "user" <> '"'"'bob'"'" >/dev/null
    expect_eq "postgres: a query" "$(j .customers.count)" 2
    msg=$("$BIN" fit --db "$url" --table NoSuchTable --no-plots --out "$TMP/o3" 2>&1)
    expect_eq "postgres: missing table exit" "$?" 2
    case "$msg" in *'cannot read table NoSuchTable'*'does not exist'*) ok ;; *) bad "postgres missing table: $msg" ;; esac
    "${as[@]}" "$pgbin/pg_ctl" -D "$P/data" -w stop >/dev/null 2>&1 || bad "pg_ctl stop failed"
    msg=$("$BIN" fit --db "$url" --table LiteLLM_SpendLogs --no-plots --out "$TMP/o4" 2>&1)
    expect_eq "postgres: unreachable exit" "$?" 1
    case "$msg" in "tokensim: cannot reach the database: "*) ok ;; *) bad "postgres unreachable: $msg" ;; esac
else
    echo "data: PostgreSQL not installed (make test-deps): its checks skipped" >&2
fi

finish data
