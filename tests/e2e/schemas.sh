#!/usr/bin/env bash
# schemas.sh: every JSON document tokensim writes (each command's files and
# its --json on stdout) validates against its JSON Schema in docs/schemas/,
# with python3-jsonschema (tests/schemas/validate.py); the schemas are valid
# draft 2020-12; and a document with a field renamed, removed or out of its
# range fails, so the check can fail. Small scenarios, few replications.
# Usage: bash tests/e2e/schemas.sh BIN
source "$(dirname "$0")/lib.sh" "$1"
# Debian's python3 first: python3-jsonschema is installed for it (make test-deps)
PY=python3
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null && PY=/usr/bin/python3
if ! "$PY" -c 'import jsonschema' 2>/dev/null; then
    echo "schemas: python3-jsonschema is missing (make test-deps)" >&2
    exit 1
fi
SCH=docs/schemas
V() { "$PY" tests/schemas/validate.py "$SCH" "$@"; }
# valid NAME SCHEMA FILE...: every FILE validates against SCHEMA.schema.json
valid() {
    local name=$1 schema=$2
    shift 2
    if out=$(V "$schema.schema.json" "$@" 2>&1); then ok; else bad "$name: $out"; fi
}
# invalid NAME SCHEMA FILE: FILE must fail (a broken copy)
invalid() {
    if V "$2.schema.json" "$3" > "$TMP/why" 2>&1; then bad "$1: a broken document validates"; else
        [ -s "$TMP/why" ] && ok || bad "$1: failed without saying why"; fi
}
D=scenarios/default.yaml
SF=tests/data/ok/solve_flat.yaml
Q=tests/data/ok/quota_hybrid.yaml
SM=(--replications 4 --set customers.initial=50 --set horizon_months=3)
O=$TMP/o

# ---- the schemas themselves ---------------------------------------------------
V --check && ok || bad "a schema of $SCH is not valid draft 2020-12"
for f in "$SCH"/*.schema.json; do
    [ "$(jq -r '."$schema"' "$f")" = "https://json-schema.org/draft/2020-12/schema" ] && ok || bad "$f: not draft 2020-12"
done

# ---- run and compare: summary.json, provenance.json, --json --------------------
"$BIN" run $D "${SM[@]}" --no-plots --quiet --out "$O/run" || bad "run"
"$BIN" run $D "${SM[@]}" --no-plots --json --out "$O/runj" > "$O/run.json" || bad "run --json"
"$BIN" compare scenarios/textbook/pricing_models.yaml "${SM[@]}" --no-plots --quiet --out "$O/cmp" || bad "compare"
"$BIN" run scenarios/textbook/levers_caching.yaml "${SM[@]}" --no-plots --quiet --out "$O/lev" || bad "run with levers"
"$BIN" run $D --precision 0.5 --max-replications 8 "${SM[@]}" --no-plots --json --out "$O/prec" > "$O/prec.json" ||
    bad "run --precision"
"$BIN" run tests/coverage/cases/pareto.yaml --replications 4 --no-plots --json --out "$O/tail" > "$O/tail.json" ||
    bad "run with a heavy tail"
"$BIN" run $D "${SM[@]}" --replication 2 --no-plots --json --out "$O/one" > "$O/one.json" || bad "run --replication"
valid "run" summary "$O/run/summary.json" "$O/runj/summary.json" "$O/run.json" "$O/cmp/summary.json" \
    "$O/lev/summary.json" "$O/prec/summary.json" "$O/prec.json" "$O/tail.json" "$O/one.json"
valid "run provenance.json" provenance "$O/run/provenance.json" "$O/cmp/provenance.json" "$O/prec/provenance.json"
# the sections that only some runs have are there to be checked
expect_eq "levers section checked" "$(jq '.levers.waterfall | length > 1' "$O/lev/summary.json")" true
expect_eq "precision checked" "$(jq '.provenance.precision | type' "$O/prec.json")" '"object"'
expect_eq "heavy tail checked" "$(jq '.provenance.heavy_tail | type' "$O/tail.json")" '"object"'
expect_eq "plan switch checked" "$(jq '.plan_switch | length > 0' "$O/cmp/summary.json")" true
expect_eq "a null plan price checked" "$(jq '[.plans[].price] | any(. == null)' "$O/cmp/summary.json")" true
# every scenario shipped and every good test scenario: its summary.json (one
# validation for all: the messages name the file)
all=()
for f in scenarios/*.yaml scenarios/*/*.yaml tests/data/ok/*.yaml; do
    n=$(basename "$f" .yaml)
    "$BIN" run "$f" --replications 2 --set customers.initial=40 --no-plots --json --out "$O/all-$n" > "$O/all-$n.json" \
        2> /dev/null && all+=("$O/all-$n.json") || bad "run $f"
done
valid "run of every scenario" summary "${all[@]}"
expect_eq "every scenario run" "${#all[@]}" "$(ls scenarios/*.yaml scenarios/*/*.yaml tests/data/ok/*.yaml | wc -l)"
expect_eq "unit economics checked" "$(jq '.unit_economics.plans | length > 0' "$O/all-seed_unit_economics.json")" true
expect_eq "menu checked" "$(jq '.menu.plans | length > 0' "$O/all-writing_menu.json")" true
# a market where nobody signs up (per-customer figures null), and cash that runs out (runway_months not null)
"$BIN" run tests/data/demand/empty_market.yaml --replications 2 --no-plots --json --out "$O/em" > "$O/em.json" ||
    bad "run of an empty market"
"$BIN" run scenarios/investor/seed_unit_economics.yaml --replications 2 --set customers.initial=40 \
    --set finance.starting_cash=1000 --no-plots --json --out "$O/ro" > "$O/ro.json" || bad "run out of cash"
valid "empty menu, cash run out" summary "$O/em.json" "$O/ro.json"
expect_eq "empty menu checked" "$(jq '.menu.empty and (.menu.plans[0].revenue_per_customer_month == null)' "$O/em.json")" \
    true
# uncertain inputs: 8 replications, two draws of inner 4, so the variance is split
U=scenarios/investor/uncertain_chatbot.yaml
"$BIN" run $U --replications 8 --set customers.initial=40 --no-plots --json --out "$O/un" > "$O/un.json" ||
    bad "run with uncertain inputs"
valid "uncertain" summary "$O/un.json"
expect_eq "uncertain: the variance split checked" "$(jq '.uncertain.plans[0].horizon_margin_variance | has("inputs_share")' \
    "$O/un.json")" true
"$BIN" sobol $U --points 16 --replications 1 --set customers.initial=40 --set horizon_months=3 --no-plots --json \
    --out "$O/sob" > "$O/sobol.json" || bad "sobol"
valid "sobol" sobol "$O/sob/summary.json" "$O/sobol.json"
expect_eq "runway checked" "$(jq '.unit_economics.plans[0].runway_months.mean > 0' "$O/ro.json")" true

# ---- the analysis commands --------------------------------------------------
"$BIN" sweep $SF --vary plans.flat.price=2:6:2 --replications 4 --no-plots --quiet --out "$O/sw" || bad "sweep"
"$BIN" sweep $SF --vary plans.flat.price=2:6:2 --vary costs.infra_per_customer_month=0:1:1 --replications 4 \
    --no-plots --json --out "$O/sw2" > "$O/sweep.json" || bad "sweep --json"
valid "sweep provenance.json" provenance "$O/sw/provenance.json" "$O/sw2/provenance.json"
valid "sweep --json" sweep "$O/sweep.json"
"$BIN" stress $D "${SM[@]}" --no-plots --json --out "$O/st" > "$O/stress.json" || bad "stress"
valid "stress" stress "$O/st/summary.json" "$O/stress.json"
expect_eq "stress: shocks in time checked" "$(jq '[.stress[] | has("shocks_in_time")] | any' "$O/stress.json")" true
"$BIN" tornado $D "${SM[@]}" --no-plots --json --out "$O/to" > "$O/tornado.json" || bad "tornado"
valid "tornado" tornado "$O/to/summary.json" "$O/tornado.json"
"$BIN" solve $SF --replications 4 --json --out "$O/so" > "$O/solve.json" || bad "solve"
"$BIN" solve $SF --target 99.5 --range 1:100 --replications 4 --quiet --out "$O/so2" || bad "solve out of reach"
valid "solve" solve "$O/so/summary.json" "$O/solve.json" "$O/so2/summary.json"
"$BIN" quota $Q --replications 4 --json --out "$O/qu" > "$O/quota.json" || bad "quota"
valid "quota" quota "$O/qu/summary.json" "$O/quota.json"
# margin (P - 2) / P: 50% at most for P <= 4, so below 60 always (no point
# within the risk limit) but 40% from P = 10/3 on
"$BIN" optimize $SF --vary plans.flat.price=1:4:1 --replications 4 --risk-below 40 --no-plots --json \
    --out "$O/op" > "$O/optimize.json" || bad "optimize"
"$BIN" optimize $SF --vary plans.flat.price=1:4:1 --replications 4 --risk-below 60 --no-plots --quiet \
    --out "$O/op2" || bad "optimize with no feasible point"
valid "optimize" optimize "$O/op/summary.json" "$O/optimize.json" "$O/op2/summary.json"
expect_eq "optimize: best and least_risky both checked" \
    "$(jq -s -c 'map(.optimize | has("best")) | sort' "$O/op/summary.json" "$O/op2/summary.json")" '[false,true]'
for f in scenarios/textbook/exercise_*.yaml scenarios/textbook/support_chatbot.yaml; do
    n=$(basename "$f" .yaml)
    "$BIN" exercise "$f" --quiet --out "$O/ex-$n" || { bad "exercise $f"; continue; }
    valid "exercise $f" exercise "$O/ex-$n/exercise.json"
done
for f in tests/data/logs/spend_logs.csv tests/data/logs/daily_user_spend.csv tests/data/logs/openai_usage.jsonl \
         tests/data/logs/trace.csv; do
    n=$(basename "$f")
    "$BIN" fit "$f" --no-plots --json --out "$O/fit-$n" > "$O/fit-$n.json" || { bad "fit $f"; continue; }
    valid "fit $f" fit "$O/fit-$n/fit.json" "$O/fit-$n.json"
done
"$BIN" replay tests/data/logs/replay.csv tests/data/ok/replay_plans.yaml --json --out "$O/rp" > "$O/replay.json" ||
    bad "replay"
"$BIN" replay tests/data/logs/replay.csv tests/data/ok/replay_levers.yaml --quiet --out "$O/rl" || bad "replay with levers"
valid "replay" replay "$O/rp/replay.json" "$O/replay.json" "$O/rl/replay.json"
expect_eq "replay: lever steps checked" "$(jq '.levers.steps | length > 0' "$O/rl/replay.json")" true

for f in scenarios/pricing/survey_gg.csv scenarios/pricing/survey_vw.csv; do
    n=$(basename "$f" .csv)
    "$BIN" survey "$f" --no-plots --json --out "$O/$n" > "$O/$n.json" || { bad "survey $f"; continue; }
    valid "survey $f" survey "$O/$n/summary.json" "$O/$n.json"
done

# ---- compare across files, and diff --------------------------------------------------
# solve_flat and stress_shocks share their customers (a pair), ramp.yaml does not
"$BIN" compare $SF tests/data/ok/stress_shocks.yaml tests/data/shocks/ramp.yaml --replications 4 --json \
    --out "$O/cf" > "$O/cf.json" || bad "compare across files"
valid "compare across files" compare_files "$O/cf/summary.json" "$O/cf.json"
expect_eq "compare across files: paired and unpaired checked" "$(jq -c '[.files[].paired_with_first]' "$O/cf.json")" \
    '[true,true,false]'
"$BIN" run $SF --replications 4 --no-plots --quiet --out "$O/da" || bad "run for diff"
"$BIN" run tests/data/ok/stress_shocks.yaml --replications 4 --no-plots --quiet --out "$O/db" || bad "run for diff"
"$BIN" run $SF --replications 4 --set plans.flat.price=30 --no-plots --quiet --out "$O/dc" || bad "run with --set"
"$BIN" diff "$O/da/summary.json" "$O/db/summary.json" --json > "$O/diff.json" || bad "diff --json"
"$BIN" diff "$O/da/summary.json" "$O/dc/summary.json" --json > "$O/diff2.json" || bad "diff --json of a --set run"
valid "diff" diff "$O/diff.json" "$O/diff2.json"
expect_eq "diff: keys compared and not, both checked" "$(jq -s -c 'map(.keys_compared)' "$O/diff.json" "$O/diff2.json")" \
    '[true,false]'

# ---- every JSON file written above has a schema it was checked against ----------
unchecked=$(find "$O" -name '*.json' ! -name summary.json ! -name provenance.json ! -name exercise.json \
            ! -name fit.json ! -name replay.json -path "$O/*/*" | sed "s|$O/||")
expect_eq "no JSON file of another name" "$unchecked" ""
for f in $(find "$O" -name '*.json'); do
    [ "$(jq '.schema_version' "$f")" = 1 ] && ok || bad "$f: no schema_version 1"
done

# ---- broken copies fail: a field renamed, removed, or out of range ------------------
b() { jq "$2" "$3" > "$TMP/broken.json" && invalid "$1" "$4" "$TMP/broken.json"; }
b "summary: a metric renamed" '.plans[0].months[0] |= (.revenu = .revenue | del(.revenue))' "$O/run.json" summary
b "summary: a total removed" 'del(.plans[0].totals.gross_profit)' "$O/run.json" summary
b "summary: a statistic renamed" '.plans[0].totals.revenue |= (.p96 = .p95 | del(.p95))' "$O/run.json" summary
b "summary: a share above 100" '.plans[0].months[0].top1_cost_share_pct.mean = 101' "$O/run.json" summary
b "summary: a probability above 1" '.plans[0].prob_margin_below_0 = 1.5' "$O/run.json" summary
b "summary: an unknown section" '.extra = {}' "$O/run.json" summary
b "summary: schema_version 2" '.schema_version = 2' "$O/run.json" summary
b "summary: the hash not hex" '.provenance.scenario_hash = "xyz"' "$O/run.json" summary
b "summary: the waterfall's stage renamed" '.levers.waterfall[0] |= (.name = .stage | del(.stage))' \
    "$O/lev/summary.json" summary
b "summary: a plan switch's share renamed" '.plan_switch[0] |= (.pct_more = .pct_pay_more | del(.pct_pay_more))' \
    "$O/cmp/summary.json" summary
b "summary: a unit economics figure renamed" '.unit_economics.plans[0] |= (.ltv_cac = .ltv_to_cac | del(.ltv_to_cac))' \
    "$O/all-seed_unit_economics.json" summary
b "summary: gross revenue retention above 100" '.unit_economics.plans[0].gross_revenue_retention_pct.mean = 101' \
    "$O/all-seed_unit_economics.json" summary
b "summary: a month of cash without its p50" 'del(.unit_economics.plans[0].cash[0].p50)' \
    "$O/all-seed_unit_economics.json" summary
b "summary: a runway before month 1" '.unit_economics.plans[0].runway_months.p5 = 0' "$O/ro.json" summary
b "summary: the menu's no_plan removed" 'del(.menu.no_plan)' "$O/all-writing_menu.json" summary
b "summary: a menu plan's cost per customer negative" '.menu.plans[0].inference_cost_per_customer_month = -1' \
    "$O/all-writing_menu.json" summary
b "summary: an uncertain input's law removed" 'del(.uncertain.inputs[0].law)' "$O/un.json" summary
b "summary: a rank correlation above 1" '.uncertain.plans[0].rank_correlation_with_horizon_margin["usage.alpha"] = 1.5' \
    "$O/un.json" summary
b "summary: the variance split half there" 'del(.uncertain.plans[0].horizon_margin_variance.usage)' "$O/un.json" summary
b "sobol: an index renamed" '.outputs[0].inputs[0] |= (.s_total = .st | del(.st))' "$O/sobol.json" sobol
b "sobol: an unknown output" '.outputs[0].output = "margin"' "$O/sobol.json" sobol
b "sobol: no schema_version" 'del(.schema_version)' "$O/sobol.json" sobol
b "provenance: seed as a number" '.provenance.seed = 1' "$O/run/provenance.json" provenance
b "sweep: margin renamed" '.points[0] |= (.margins = .margin | del(.margin))' "$O/sweep.json" sweep
b "stress: vs_baseline renamed" '.stress[0].plans[0].vs_baseline |= (.ci_lo = .ci95_lo | del(.ci95_lo))' \
    "$O/stress.json" stress
b "stress: shocks in time as one text" '(.stress[] | select(has("shocks_in_time")) | .shocks_in_time) |= join("; ")' \
    "$O/stress.json" stress
b "compare across files: vs_first on the first plan" '.plans[0].vs_first = .plans[1].vs_first' "$O/cf.json" compare_files
b "compare across files: a later plan without vs_first" 'del(.plans[1].vs_first)' "$O/cf.json" compare_files
b "compare across files: paired renamed" '.files[0] |= (.paired = .paired_with_first | del(.paired_with_first))' \
    "$O/cf.json" compare_files
b "compare across files: no schema_version" 'del(.schema_version)' "$O/cf.json" compare_files
b "diff: a figure's change renamed" '.figures[0] |= (.delta = .change | del(.change))' "$O/diff.json" diff
b "diff: an unknown figure" '.figures[0].figure = "revenu"' "$O/diff.json" diff
b "diff: keys not compared without a note" 'del(.keys_note)' "$O/diff2.json" diff
b "diff: no schema_version" 'del(.schema_version)' "$O/diff.json" diff
b "tornado: swing removed" 'del(.tornado.parameters[0].swing)' "$O/tornado.json" tornado
b "solve: value renamed" '.solve |= (.price = .value | del(.value))' "$O/solve.json" solve
b "quota: budget as text" '.quota.budget = "100"' "$O/quota.json" quota
b "optimize: best and feasible disagree" '.optimize.feasible = false' "$O/optimize.json" optimize
b "exercise: tiers renamed" '.tiers_ = .tiers | del(.tiers)' "$O/ex-exercise_code_assistant/exercise.json" exercise
b "exercise: a lever renamed" '.levers |= (.routing = .["model routing"] | del(.["model routing"]))' \
    "$O/ex-exercise_code_assistant/exercise.json" exercise
b "survey: a Van Westendorp point renamed" '.points |= (.pmx = .pme | del(.pme))' "$O/survey_vw.json" survey
b "survey: a Gabor-Granger share above 1" '.points[0].share = 1.2' "$O/survey_gg.json" survey
b "fit: rows renamed" '.rows |= (.read_rows = .read | del(.read))' "$O/fit-spend_logs.csv.json" fit
b "replay: a plan's revenue removed" 'del(.plans[0].revenue)' "$O/replay.json" replay
b "replay: a lever step's saving renamed" '.levers.steps[0] |= (.savings = .saving | del(.saving))' \
    "$O/rl/replay.json" replay

# ---- the JSON examples of docs/outputs.md, each under a <!-- schema: NAME --> line ----------
awk '/^<!-- schema: [a-z_]+ -->$/ { name = $3; next }
     name && /^```json$/ { n++; file = sprintf("%s/doc-%d-%s.json", dir, n, name); inside = 1; next }
     inside && /^```$/ { inside = 0; name = ""; next }
     inside { print > file }' dir="$TMP" docs/outputs.md
for f in "$TMP"/doc-*.json; do
    [ -e "$f" ] || continue
    s=${f##*-}
    valid "docs/outputs.md example ${f##*/}" "${s%.json}" "$f"
done

finish schemas
