#!/usr/bin/env bash
# End-to-end tests of the cost levers, the world's changes, the savings
# waterfall and the price catalog: each lever on a deterministic product
# worked by hand (tests/data/ok/levers_base.yaml: $0.027 an interaction,
# 100 a month), the chapter's routing and caching examples, bad input, and
# the import of a LiteLLM price file. Usage: tests/e2e/levers.sh PATH/TO/tokensim
source "$(dirname "$0")/lib.sh" "$1"
BASE=tests/data/ok/levers_base.yaml

# with SECTION: the base product plus a levers or world section, run; prints
# the monthly inference costs
with() {
    { cat $BASE; printf '%s\n' "$1"; } > "$TMP/s.yaml"
    "$BIN" run "$TMP/s.yaml" --json --no-plots --out "$TMP/o" > "$TMP/o.json" || echo "run failed" >&2
    jq -c '[.plans[0].months[].inference_cost.mean | . * 1e9 | round / 1e9]' "$TMP/o.json"
}
L() { with "levers: [ $1 ]"; }

expect_eq "no lever: 100 x 0.027" "$(with '')" "[2.7,2.7,2.7,2.7]"
# half the calls to small: 0.5 x 0.027 + 0.5 x 0.00225 = 0.014625
expect_eq "routing" "$(L '{ type: routing, to: small, share: 0.5 }')" "[1.4625,1.4625,1.4625,1.4625]"
# from month 2 over 2 months: strength 0, 1/2, 1, 1; at 1/2 a quarter moves: 0.75 x 0.027 + 0.25 x 0.00225
expect_eq "routing with a ramp" "$(L '{ type: routing, to: small, share: 0.5, start_month: 2, ramp_months: 2 }')" \
    "[2.7,2.08125,1.4625,1.4625]"
# every call split 70/30 between small and big: 0.7 x 0.225 + 0.3 x 2.70
expect_eq "split" "$(L '{ type: split, split: [ { model: small, share: 0.7 }, { model: big, share: 0.3 } ] }')" \
    "[0.9675,0.9675,0.9675,0.9675]"
# a classifier at $0.001 an interaction on top
expect_eq "routing with a classifier" "$(L '{ type: routing, to: small, share: 0.5, classifier_cost: 0.001 }')" \
    "[1.5625,1.5625,1.5625,1.5625]"
# small first, 20% escalated: 0.00225 + 0.2 x 0.027 = 0.00765
expect_eq "cascade" "$(L '{ type: cascade, to: small, escalate: 0.2 }')" "[0.765,0.765,0.765,0.765]"
# 30% answered from cache; every query embeds 50 tokens ($0.000005) and looks up ($0.0001): 0.7 x 0.027 + 0.000105
expect_eq "semantic cache" "$(L '{ type: semantic_cache, hit_rate: 0.3, embed_tokens: 50, lookup_cost: 0.0001 }')" \
    "[1.9005,1.9005,1.9005,1.9005]"
# a support product's typical hit rate, 42.5%: 0.575 x 2.70
expect_eq "semantic cache by product type" "$(L '{ type: semantic_cache, product: support }')" \
    "[1.5525,1.5525,1.5525,1.5525]"
# 40% of calls at half price: 0.027 x 0.8
expect_eq "batch" "$(L '{ type: batch, share: 0.4 }')" "[2.16,2.16,2.16,2.16]"
# output 500 -> 350: 0.0195 + 0.00525
expect_eq "output limit" "$(L '{ type: output_limit, reduction: 0.3 }')" "[2.475,2.475,2.475,2.475]"
# system, user and context cut by 20%: 800 + 2,000 + 400 + 2,400 = 5,600 x 3 / 1e6 + 0.0075
expect_eq "compression" "$(L '{ type: compression, reduction: 0.2 }')" "[2.43,2.43,2.43,2.43]"
# history 2,000 -> 500, plus 0.1 summary calls of 2,000 in and 200 out on small: 0.0225 + 0.000075
expect_eq "history summary" "$(L '{ type: history_summary, reduction: 0.75, summary_model: small, summary_calls: 0.1,
    summary_input: 2000, summary_output: 200 }')" "[2.2575,2.2575,2.2575,2.2575]"
# context 3,000 -> 1,000, plus 500 tokens embedded ($0.00005) and one search ($0.001): 0.021 + 0.00105
expect_eq "retrieval" "$(L '{ type: retrieval, context_tokens: 1000, embedding_tokens: 500, searches: 1 }')" \
    "[2.205,2.205,2.205,2.205]"
# half the input cached, 90% of it read: 6,500 x (0.5 x 3 + 0.45 x 0.3 + 0.05 x 3.75) / 1e6 + 0.0075
expect_eq "prompt cache" "$(L '{ type: prompt_cache, share: 0.5, hit_rate: 0.9 }')" \
    "[1.934625,1.934625,1.934625,1.934625]"
# all traffic to a fine-tuned small model: saves 2.475 a month; $5 pays back by month 3 (2.475, 4.95, 7.425)
L '{ type: fine_tune, to: small, share: 1, one_time_cost: 5 }' > /dev/null
expect_eq "fine-tuning: payback month" "$(jq '.levers.waterfall[1].payback_month' "$TMP/o.json")" 3
L '{ type: fine_tune, to: small, share: 1, one_time_cost: 50 }' > /dev/null
expect_eq "fine-tuning: no payback" "$(jq '.levers.waterfall[1].payback_month' "$TMP/o.json")" null

# self-hosting every call on GPUs at $1 a month: 700,000 tokens a month (100 x 7,000) fit 1 token/s x 30 days,
# so the month costs the GPUs alone; at a quarter of the month usable (648,000 tokens) the 52,000 above spill
# to small's API: 1 + 0.225 x 52,000 / 700,000
expect_eq "self-hosting within capacity" "$(L '{ type: self_host, to: small, share: 1, gpu_monthly: 1, capacity_tps: 1 }')" \
    "[1,1,1,1]"
want=$(awk 'BEGIN { v = 1 + 0.225 * 52000 / 700000; printf "[2.7,2.7,%.9f,%.9f]", v, v }' | sed 's/0*,/,/g; s/0*]/]/')
expect_eq "self-hosting past capacity, from month 3" "$(L '{ type: self_host, to: small, share: 1, gpu_monthly: 1,
    capacity_tps: 1, utilization: 0.25, start_month: 3 }')" "$want"
# from the catalog's entry: 2 nodes of llama-3.3-70b at $3 an hour for 720 hours = $4,320 a month, serving
# 2 x 2,500 tokens a second, far above one customer's 1.1 million tokens
cat > "$TMP/sh.yaml" <<'YAML'
name: self-hosting from the catalog
horizon_months: 1
replications: 1
prices: { catalog: 2026-03 }
customers: { initial: 1 }
usage: { distribution: constant, value: 1000, counts: fixed }
features: [ { name: f, model: claude-sonnet, tokens: { user: 1000, output: 100 } } ]
plans: [ { name: flat, price: 10 } ]
levers: [ { type: self_host, to: llama-3.3-70b, share: 1, gpus: 2 } ]
YAML
expect_near "self-hosting priced from the catalog" \
    "$("$BIN" run "$TMP/sh.yaml" --json --no-plots --out "$TMP/sh" | jq '.plans[0].months[0].inference_cost.mean')" 4320 1e-9
expect_near "self-hosting in the waterfall" "$(jq '.levers.waterfall[1].cost' "$TMP/o.json")" \
    "$(awk 'BEGIN { printf "%.10f", 5.4 + 2 * (1 + 0.225 * 52000 / 700000) }')" 1e-9

# ---- the world ----------------------------------------------------------------------
expect_eq "price cut at month 3" "$(with 'world: { price_changes: [ { month: 3, model: big, factor: 0.5 } ] }')" \
    "[2.7,2.7,1.35,1.35]"
# 30% a year: month m at 0.7^((m - 1) / 12)
want=$(awk 'BEGIN { printf "[2.7"; for (m = 2; m <= 4; m++) printf ",%.9f", 2.7 * 0.7 ^ ((m - 1) / 12); print "]" }' |
       sed 's/0*,/,/g; s/0*]/]/')
expect_eq "yearly deflation" "$(with 'world: { price_deflation_yearly: 0.3 }')" "$want"
# 1,000 more context tokens a call from month 2: 7,500 x 3 / 1e6 + 0.0075 = 0.03
expect_eq "a feature launch" "$(with 'world: { launches: [ { month: 2, feature: chat, tokens: { context: 1000 } } ] }')" \
    "[2.7,3,3,3]"

# heavy users growing heavier: only the customers above the P85 drift
"$BIN" run tests/data/ok/drift_heavy.yaml --json --no-plots --out "$TMP/dh" > "$TMP/dh.json"
expect_eq "drift: the light segment stays" "$(jq '.plans[0].segments[0].interactions.mean' "$TMP/dh.json")" 10
expect_near "drift: the heavy segment grows" "$(jq '.plans[0].segments[1].interactions.mean' "$TMP/dh.json")" \
    "$(awk 'BEGIN { printf "%.10f", 100 * (1.1^2 - 1) / (2 * log(1.1)) }')" 1e-9

# a soft limit at 50 interactions switches the rest to small: 50 x 0.027 + 50 x 0.00225 = 1.4625; the
# switched interactions follow small's price cut (50 x 0.001125) and the others big's (50 x 0.0135)
{ sed 's/  - { name: flat, price: 10 }/  - { name: flat, price: 10, quota: 50, soft_at: 1, soft_model: small }/' $BASE
  echo 'world: { price_changes: [ { month: 3, model: small, factor: 0.5 } ] }'; } > "$TMP/sl.yaml"
expect_eq "soft limit under a price cut of its model" \
    "$("$BIN" run "$TMP/sl.yaml" --json --no-plots --out "$TMP/sl" | jq -c '[.plans[0].months[].inference_cost.mean]')" \
    "[1.4625,1.4625,1.40625,1.40625]"
sed -i 's/model: small, factor: 0.5/model: big, factor: 0.5/' "$TMP/sl.yaml"
expect_eq "soft limit under a price cut of the plan's own model" \
    "$("$BIN" run "$TMP/sl.yaml" --json --no-plots --out "$TMP/sl" | jq -c '[.plans[0].months[].inference_cost.mean]')" \
    "[1.4625,1.4625,0.7875,0.7875]"

# ---- the waterfall adds up, in order -------------------------------------------------------
with 'levers:
  - { name: route, type: routing, to: small, share: 0.5 }
  - { name: cache, type: semantic_cache, hit_rate: 0.3 }
  - { name: short, type: output_limit, reduction: 0.3, start_month: 3 }' > /dev/null
expect_eq "waterfall: stages" "$(jq -c '[.levers.waterfall[].stage]' "$TMP/o.json")" '["no lever","route","cache","short"]'
sum=$(jq '.levers.waterfall as $w | $w[0].cost - ([$w[1:][].saving] | add) - $w[-1].cost | fabs' "$TMP/o.json")
if awk -v d="$sum" 'BEGIN { exit !(d < 1e-9) }'; then ok; else bad "waterfall: parts off by $sum"; fi
expect_near "waterfall: the last stage is the cost billed" "$(jq '.levers.waterfall[-1].cost' "$TMP/o.json")" \
    "$(jq '.plans[0].totals.inference_cost.mean' "$TMP/o.json")" 1e-9
# routing first saves 10.8 x 0.5 x (1 - 0.00225 / 0.027) = 4.95 of the 10.80
expect_near "waterfall: the first lever's saving" "$(jq '.levers.waterfall[1].saving' "$TMP/o.json")" 4.95 1e-9
# on a random scenario too: the stages add up and the last one is what the plans pay
{ cat scenarios/default.yaml; cat <<'YAML'
levers:
  - { name: route, type: routing, to: haiku, share: 0.5, start_month: 3, ramp_months: 6 }
  - { name: cache, type: semantic_cache, hit_rate: 0.25, embed_tokens: 30, lookup_cost: 0.00005 }
  - { name: batch, type: output_limit, reduction: 0.2 }
YAML
} > "$TMP/d.yaml"
sed -i 's/^replications: .*/replications: 8/' "$TMP/d.yaml"
"$BIN" run "$TMP/d.yaml" --json --no-plots --out "$TMP/d" > "$TMP/d.json"
sum=$(jq '.levers.waterfall as $w | $w[0].cost - ([$w[1:][].saving] | add) - $w[-1].cost | fabs' "$TMP/d.json")
if awk -v d="$sum" 'BEGIN { exit !(d < 1e-6) }'; then ok; else bad "waterfall on the default scenario: off by $sum"; fi
expect_near "waterfall: billed cost on a random scenario" "$(jq '.levers.waterfall[-1].cost' "$TMP/d.json")" \
    "$(jq '.plans[0].totals.inference_cost.mean' "$TMP/d.json")" 1e-6

# ---- the chapter's examples ----------------------------------------------------------------
T=scenarios/textbook
"$BIN" run $T/levers_routing.yaml --json --no-plots --out "$TMP/r" > "$TMP/r.json"
# 10,000 x 1,000 x 15 / 1e6 = $150 a day; 70/20/10: $22.75 a day (30-day months, 2 months)
expect_near "routing example: all Opus" "$(jq '.levers.waterfall[0].cost / 60' "$TMP/r.json")" 150 1e-9
expect_near "routing example: 70/20/10" "$(jq '.levers.waterfall[-1].cost / 60' "$TMP/r.json")" 22.75 1e-9
"$BIN" run $T/levers_caching.yaml --json --no-plots --out "$TMP/c" > "$TMP/c.json"
expect_near "caching example: without" "$(jq '.levers.waterfall[0].cost' "$TMP/c.json")" 30 1e-9
expect_near "caching example: with the write premium" "$(jq '.levers.waterfall[-1].cost' "$TMP/c.json")" 3.0345 1e-9
"$BIN" run $T/levers_caching.yaml --set prices.models.claude-opus.cache_write_per_mtok=15 --json --no-plots \
    --out "$TMP/c" > "$TMP/c.json"
expect_near "caching example: the chapter's write at the input price" "$(jq '.levers.waterfall[-1].cost' "$TMP/c.json")" \
    3.027 1e-9

# the roadmap's phases land in the ranges it promises from a 55% start: 62-67% after the quick wins
# (month 3), 67-73% after the structural ones (month 6), 73-80% at scale (month 12)
"$BIN" run $T/roadmap.yaml --json --no-plots --out "$TMP/rm" > "$TMP/rm.json"
m() { jq ".plans[0].months[$1].gross_margin_pct.mean" "$TMP/rm.json"; }
inside() { if awk -v v="$2" -v a="$3" -v b="$4" 'BEGIN { exit !(v >= a && v <= b) }'; then ok; else bad "$1: $2 not in [$3, $4]"; fi; }
inside "roadmap: the start" "$(m 0)" 54 58
inside "roadmap: after phase 2" "$(m 2)" 62 67.5
inside "roadmap: after phase 3" "$(m 5)" 67 73
inside "roadmap: at scale" "$(m 11)" 73 80
# it saves about $23,150 over months 5-18, some $1,650 a month: $2,000 is covered in its second month
expect_eq "roadmap: the fine-tuning pays back" "$(jq '.levers.waterfall[] | select(.stage == "fine_tune") | .payback_month' "$TMP/rm.json")" 6

# ---- the catalog --------------------------------------------------------------------------
"$BIN" catalog list | grep -q '^2026-03 .*claude-opus' && ok || bad "catalog list"
"$BIN" catalog import tests/data/litellm_prices.json --date 2026-11-01 --out "$TMP/cat.yaml" 2> "$TMP/imp.err"
expect_eq "import: the models converted" "$(grep -c '^  - { name:' "$TMP/cat.yaml")" 3
grep -q 'name: "claude-sonnet-test", input_per_mtok: 3, output_per_mtok: 15, cached_input_per_mtok: 0.3, cache_write_per_mtok: 3.75, batch_discount: 0.5, long_context_above: 200000, long_input_per_mtok: 6, long_output_per_mtok: 22.5, long_cached_input_per_mtok: 0.6' \
    "$TMP/cat.yaml" && ok || bad "import: the sonnet entry: $(grep sonnet "$TMP/cat.yaml")"
grep -q 'skipped 1 chat model without an input or output price.*priceless-chat-test' "$TMP/imp.err" && ok \
    || bad "import: the model without an output price is reported"
grep -q 'skipped 1 entry that is not' "$TMP/imp.err" && ok || bad "import: the embedding model is reported"
grep -q 'not converted.*input_cost_per_audio_token (1).*output_cost_per_reasoning_token (1)' "$TMP/imp.err" && ok \
    || bad "import: unconverted cost fields are reported: $(cat "$TMP/imp.err")"
# an imported catalog used by path, overridden by name
cat > "$TMP/uses.yaml" <<YAML
name: uses an imported catalog
horizon_months: 1
replications: 1
prices: { catalog: cat.yaml, models: [ { name: gpt-mini-test, output_per_mtok: 1 } ] }
customers: { initial: 1 }
usage: { distribution: constant, value: 1000, counts: fixed }
features: [ { name: f, model: gpt-mini-test, tokens: { user: 1000, output: 100 } } ]
plans: [ { name: flat, price: 10 } ]
YAML
# 1,000 x (1,000 x 0.15 + 100 x 1) / 1e6 = 0.25
expect_near "catalog by path, entry overridden" \
    "$("$BIN" run "$TMP/uses.yaml" --json --no-plots --out "$TMP/u" | jq '.plans[0].months[0].inference_cost.mean')" 0.25 1e-12
# long context from the imported entry: 250,000 input tokens at $6 and 1,000 out at $22.5 = $1.5225
sed -i 's/model: gpt-mini-test, tokens: { user: 1000, output: 100 }/model: claude-sonnet-test, tokens: { user: 250000, output: 1000 }/; s/value: 1000,/value: 1,/' "$TMP/uses.yaml"
expect_near "long context from the catalog" \
    "$("$BIN" run "$TMP/uses.yaml" --json --no-plots --out "$TMP/u" | jq '.plans[0].months[0].inference_cost.mean')" 1.5225 1e-12
echo '{"x": 1}' > "$TMP/bad.json"
"$BIN" catalog import "$TMP/bad.json" > /dev/null 2> "$TMP/e"; expect_eq "import: not a price file" $? 2
grep -q "no chat model with input and output prices" "$TMP/e" && ok || bad "import: message $(cat "$TMP/e")"


# ---- the dashboard, agents and red flags ---------------------------------------------------
L '{ type: routing, to: small, share: 0.5 }, { type: semantic_cache, hit_rate: 0.3 }' > /dev/null
expect_eq "dashboard: calls by model size and cache hits, month 1" \
    "$(jq -c '.dashboard.plans[0].months[0] | [.calls_small_pct, .calls_large_pct, .semantic_cache_hit_pct]' "$TMP/o.json")" \
    "[50,50,30]"
# 0.7 x 1.4625 = 1.02375 of $10: 10.2375% of revenue
expect_near "dashboard: inference as a share of revenue" \
    "$(jq '.dashboard.plans[0].months[0].inference_pct_of_revenue' "$TMP/o.json")" 10.2375 1e-9
expect_eq "dashboard: no red flag" "$(jq '.dashboard.red_flags | length' "$TMP/o.json")" 0
# an agent of 5 steps, 20% retried, 1,000 more tokens a step: 6.25 calls of 3,000 in and 100 out on big,
# 6.25 x (9,000 + 1,500) / 1e6 = 0.065625 a task against 0.0045 for one call: 14.6 times
sed '/^features:/,/^  - { name: chat/d' $BASE > "$TMP/agent.yaml"
sed -i 's/^plans:/features:\n  - { name: chat, model: big, agent_steps: 5, agent_retry: 0.2, agent_context_growth: 1000, tokens: { user: 1000, output: 100 } }\nplans:/' "$TMP/agent.yaml"
"$BIN" run "$TMP/agent.yaml" --json --no-plots --out "$TMP/a" > "$TMP/a.json"
expect_near "agent: cost per task" "$(jq '.plans[0].months[0].inference_cost.mean / 100' "$TMP/a.json")" 0.065625 1e-12
jq -r '.dashboard.red_flags[].detail' "$TMP/a.json" | grep -q 'a task costs \$0.0656, 14.6 times a single-shot call (\$0.0045)' \
    && ok || bad "agent: the red flag, $(jq -c '.dashboard.red_flags' "$TMP/a.json")"
# ten equal customers: the costliest 20% are two of them, $2.70 of inference and $10 of revenue each
"$BIN" run $BASE --set customers.initial=10 --json --no-plots --out "$TMP/t" > "$TMP/t.json"
expect_eq "dashboard: the costliest 20%, ties broken to two customers" \
    "$(jq -c '.dashboard.plans[0].months[0] | [.top20_inference_cost, .top20_revenue]' "$TMP/t.json")" "[5.4,20]"
# a $1 price for $2.70 of inference: the costliest customers lose money
"$BIN" run $BASE --set plans.flat.price=1 --json --no-plots --out "$TMP/f" > "$TMP/f.json"
expect_eq "red flag: the heaviest customers lose money" \
    "$(jq -r '.dashboard.red_flags[].flag' "$TMP/f.json")" "heaviest customers lose money"
# a free tier that never converts: all the inference cost is free customers'
"$BIN" run $BASE --set plans.flat.free_tier=true --json --no-plots --out "$TMP/f" > "$TMP/f.json"
jq -r '.dashboard.red_flags[].flag' "$TMP/f.json" | grep -q "free tier over 10% of AI spend" && ok \
    || bad "red flag: free tier, $(jq -c '.dashboard.red_flags' "$TMP/f.json")"

# ---- bad input ----------------------------------------------------------------------------
badlever() {   # NAME PATTERN SECTION [SED-EXPRESSION on the base]
    { sed "${4:-}" $BASE; printf '%s\n' "$3"; } > "$TMP/b.yaml"
    out=$("$BIN" validate "$TMP/b.yaml" 2>&1); rc=$?
    if [ "$rc" = 2 ] && echo "$out" | grep -q -- "$2"; then ok; else bad "$1: status $rc, message '$out'"; fi
}
badlever "a routing target not in the table" "unknown model 'smal' in 'levers.routing.to' (did you mean 'small'?)" \
    'levers: [ { type: routing, to: smal, share: 0.5 } ]'
badlever "an unknown feature" "unknown feature 'caht'.*did you mean 'chat'" \
    'levers: [ { type: output_limit, feature: caht, reduction: 0.2 } ]'
badlever "a hit rate over 1" "expected a number in \[0, 1\]" 'levers: [ { type: semantic_cache, hit_rate: 1.5 } ]'
badlever "a key the lever needs" "missing key 'levers.routing.share': a routing lever needs it" \
    'levers: [ { type: routing, to: small } ]'
badlever "a key of another lever" "key 'levers.batch.escalate' does not apply to a batch lever" \
    'levers: [ { type: batch, share: 0.5, escalate: 0.1 } ]'
badlever "batching without a batch price" "model 'small' has no 'batch_discount'" \
    'levers: [ { type: batch, share: 0.5 } ]' 's/name: chat, model: big/name: chat, model: small/'
badlever "two levers with one name" "duplicate lever name 'routing'" \
    'levers: [ { type: routing, to: small, share: 0.5 }, { type: routing, to: big, share: 0.5 } ]'
badlever "a price change for an unknown model" "unknown model 'bog' in 'world.price_changes' (did you mean 'big'?)" \
    'world: { price_changes: [ { month: 2, model: bog, factor: 0.5 } ] }'
badlever "split shares that do not add up" "the shares of lever 'split' add up to 0.9, expected 1" \
    'levers: [ { type: split, split: [ { model: small, share: 0.7 }, { model: big, share: 0.2 } ] } ]'
badlever "two self-hosted models" "a second self-hosting lever" \
    'levers: [ { name: a, type: self_host, to: small, share: 0.5, gpu_monthly: 1, capacity_tps: 1 },
      { name: b, type: self_host, to: small, share: 0.5, gpu_monthly: 1, capacity_tps: 1 } ]'
badlever "self-hosting without capacity" "self-hosted model 'small' of lever 'self_host' has no capacity" \
    'levers: [ { type: self_host, to: small, share: 0.5, gpu_monthly: 1 } ]'
badlever "self-hosting without a GPU price" "has no 'gpu_monthly' and model 'small' no 'gpu_per_hour'" \
    'levers: [ { type: self_host, to: small, share: 0.5, capacity_tps: 1 } ]'
badlever "self-hosting at zero capacity" "capacity_tps.*expected a number > 0" \
    'levers: [ { type: self_host, to: small, share: 0.5, gpu_monthly: 1, capacity_tps: 0 } ]'
finish levers
