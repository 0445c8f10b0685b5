#!/usr/bin/env bash
# End-to-end tests of the tokensim command line: the textbook's figures,
# every corrupted scenario with its expected message, exit statuses,
# reproducibility across threads, single replications, atomic outputs and
# Ctrl-C. Usage: tests/e2e/run.sh PATH/TO/tokensim   (TS_QUICK=1: lighter)
source "$(dirname "$0")/lib.sh" "$1"

# json FILE-ARGS... -- JQ: run tokensim run --json and query
runjson() {
    local q=$1; shift
    "$BIN" run "$@" --json --no-plots --out "$TMP/j" | jq -r "$q"
}

# ---- the textbook, chapter 26 (hand arithmetic beside each value) -------------
T=scenarios/textbook
# 4,000 x $15/M + 800 x $75/M + 4,000 x $0.10/M + $0.0001 = $0.1205
expect_near "document summary: cost per interaction" "$(runjson .cost_per_interaction.total $T/document_summary.yaml)" 0.1205 1e-12
# 30,000 a month (1,000 a day) x 0.1205 = 3,615 (the chapter's 3,600 rounds the cost to 0.12)
for k in 1 10 100 1000; do
    n=$((k * 30000))
    want=$(awk -v n=$n 'BEGIN { printf "%.4f", n * 0.1205 }')
    expect_near "document summary at $((k * 1000))/day" \
        "$(runjson '.plans[0].months[0].inference_cost.mean' $T/document_summary.yaml --set usage.value=$n)" "$want" 1e-6
done
# 75,000 x (2,100 x 3 + 400 x 15)/1e6 = 922.50
C="$T/support_chatbot.yaml"
q='.plans[0].months[0].inference_cost.mean'
expect_near "support chatbot" "$(runjson "$q" $C)" 922.50 1e-6
RAG="--set features.chat.tokens.context=3000"
MEM="--set features.chat.tokens.history=5500"
OPUS="--set features.chat.routes.0.share=0.8 --set features.chat.routes.1.share=0.2"
FUP="--set features.chat.tokens.output=600"
# + 75,000 x 3,000 x 3/1e6 = 675 -> 1,597.50
expect_near "feature creep: RAG" "$(runjson "$q" $C $RAG)" 1597.50 1e-6
# + 75,000 x 4,000 x 3/1e6 = 900 -> 2,497.50
expect_near "feature creep: memory" "$(runjson "$q" $C $RAG $MEM)" 2497.50 1e-6
# 60,000 x (9,100 x 3 + 400 x 15)/1e6 + 15,000 x (9,100 x 15 + 400 x 75)/1e6 = 1,998 + 2,497.50 = 4,495.50
expect_near "feature creep: Opus for 20%" "$(runjson "$q" $C $RAG $MEM $OPUS)" 4495.50 1e-6
# 60,000 x (9,100 x 3 + 600 x 15)/1e6 + 15,000 x (9,100 x 15 + 600 x 75)/1e6 = 2,178 + 2,722.50 = 4,900.50
expect_near "feature creep: follow-ups" "$(runjson "$q" $C $RAG $MEM $OPUS $FUP)" 4900.50 1e-6
# margin trap: 1,000 users x (20 - 200 x 0.09 - 3) = -1,000; margin -1/20 = -5%
M=$T/margin_trap.yaml
expect_near "margin trap: profit per user" "$(runjson '.plans[0].months[0].gross_profit.mean / 1000' $M)" -1 1e-9
expect_near "margin trap: margin" "$(runjson '.plans[0].months[0].gross_margin_pct.mean' $M)" -5 1e-9
# segments at $0.09 per interaction and $20: cost 2.70/13.50/45/180, profit 17.30/6.50/-25/-160
S=$T/power_users.yaml
"$BIN" run $S --json --no-plots --out "$TMP/j" > "$TMP/seg.json"
i=0
for row in "light 2.70 17.30 86.5" "medium 13.50 6.50 32.5" "heavy 45 -25 -125" "power 180 -160 -800"; do
    set -- $row
    expect_eq "segment name $i" "$(jq -r ".plans[0].segments[$i].segment" "$TMP/seg.json")" "$1"
    expect_near "segment $1: AI cost" "$(jq -r ".plans[0].segments[$i].inference_cost.mean" "$TMP/seg.json")" "$2" 1e-9
    expect_near "segment $1: profit" "$(jq -r ".plans[0].segments[$i].gross_profit.mean" "$TMP/seg.json")" "$3" 1e-9
    expect_near "segment $1: margin" "$(jq -r ".plans[0].segments[$i].gross_margin_pct.mean" "$TMP/seg.json")" "$4" 1e-9
    i=$((i + 1))
done

# ---- corrupted scenarios: exit 2 and exactly the expected message ----------
for f in tests/data/bad/*.yaml; do
    want="tokensim: $(head -n 1 "$f" | sed 's/^# expect: //')"
    got=$(timeout 10 "$BIN" validate "$f" 2>&1 >/dev/null)
    rc=$?
    expect_eq "$f: exit status" "$rc" 2
    expect_eq "$f: message" "$got" "$want"
done

# ---- command line ----------------------------------------------------------
"$BIN" --version | grep -q '^tokensim [0-9]' && ok || bad "--version"
for c in run validate show cost keys compare sweep exercise; do
    "$BIN" $c --help > "$TMP/h" && grep -q "usage: tokensim $c" "$TMP/h" && ok || bad "$c --help"
done
for o in --out --replications --seed --threads --set --replication --json --quiet --no-progress --no-plots --pdf; do
    grep -q -- "$o" <("$BIN" run --help) && ok || bad "run --help lacks $o"
done
"$BIN" frobnicate 2> "$TMP/e"; expect_eq "unknown command status" $? 2
expect_eq "unknown command message" "$(head -1 "$TMP/e")" "tokensim: unknown command 'frobnicate'"
"$BIN" rn 2> "$TMP/e"; expect_eq "near command" "$(head -1 "$TMP/e")" "tokensim: unknown command 'rn' (did you mean 'run'?)"
"$BIN" run scenarios/default.yaml --sed 3 2> "$TMP/e"; expect_eq "unknown option status" $? 2
expect_eq "unknown option message" "$(head -1 "$TMP/e")" "tokensim: unknown option '--sed' (did you mean '--seed'?)"
"$BIN" run scenarios/default.yaml --threads many 2> "$TMP/e"; expect_eq "bad --threads" $? 2
"$BIN" run 2> "$TMP/e"; expect_eq "missing file status" $? 2
"$BIN" validate /nonexistent.yaml 2> "$TMP/e"; expect_eq "missing file" "$(cat "$TMP/e")" \
    "tokensim: /nonexistent.yaml: cannot open scenario: No such file or directory"
"$BIN" validate tests 2> "$TMP/e"; expect_eq "directory as scenario" "$(cat "$TMP/e")" \
    "tokensim: tests: cannot read scenario (is it a directory?)"
"$BIN" run scenarios/default.yaml --set usage.alpha=abc 2> "$TMP/e"; expect_eq "bad --set status" $? 2
expect_eq "bad --set message" "$(cat "$TMP/e")" \
    "tokensim: usage.alpha=abc: invalid value for 'usage.alpha': found 'abc', expected a number > 0"
"$BIN" run scenarios/default.yaml --replications 0 2> "$TMP/e"; expect_eq "zero replications" $? 2
"$BIN" validate scenarios/default.yaml > /dev/null; expect_eq "validate default" $? 0
for f in scenarios/*.yaml scenarios/*/*.yaml tests/data/ok/*.yaml; do
    "$BIN" validate "$f" > /dev/null 2>&1 && ok || bad "validate $f"
    # the resolved scenario reloads to the same hash
    "$BIN" show "$f" > "$TMP/show.yaml" && h1=$(head -1 "$TMP/show.yaml" | awk '{print $NF}') &&
    h2=$("$BIN" validate "$TMP/show.yaml" | awk '{print $NF}') && expect_eq "$f: show reloads" "$h2" "$h1"
done

# ---- reproducibility: byte-identical outputs for any thread count -----------
R=10; [ "${TS_QUICK:-0}" = 1 ] && R=4
SM="--replications $R --set customers.initial=300 --set horizon_months=6"
"$BIN" run scenarios/default.yaml $SM --threads 1 --out "$TMP/t1" --quiet
"$BIN" run scenarios/default.yaml $SM --threads 2 --out "$TMP/t2" --quiet
"$BIN" run scenarios/default.yaml $SM --threads 3 --out "$TMP/t3" --quiet
for f in monthly.csv segments.csv replications.csv summary.json plots/margin_starter.gp plots/lorenz.gp plots/plans.gp; do
    cmp -s "$TMP/t1/$f" "$TMP/t2/$f" && cmp -s "$TMP/t1/$f" "$TMP/t3/$f" && ok || bad "$f differs across --threads"
done
# replication 3 alone gives exactly its rows of the full run
"$BIN" run scenarios/default.yaml $SM --replication 3 --out "$TMP/t1" --quiet
awk -F, 'NR > 1 && $2 == 3' "$TMP/t1/replications.csv" > "$TMP/full3"
awk -F, 'NR > 1' "$TMP/t1/replication-3/replications.csv" > "$TMP/one3"
[ -s "$TMP/one3" ] && cmp -s "$TMP/full3" "$TMP/one3" && ok || bad "--replication 3 differs from the full run's rows"
# a different seed changes the figures; the same seed keeps them
"$BIN" run scenarios/default.yaml $SM --seed 7 --out "$TMP/s7" --quiet
cmp -s "$TMP/t2/monthly.csv" "$TMP/s7/monthly.csv" && bad "seed had no effect" || ok
expect_eq "seed in summary.json" "$(jq -r .provenance.seed "$TMP/s7/summary.json")" 7
head -1 "$TMP/s7/monthly.csv" | grep -q '^plan,month,' && ok || bad "monthly.csv: the header on line 1"
expect_eq "provenance.json: seed 7" "$(jq -r .provenance.seed "$TMP/s7/provenance.json")" 7

# ---- outputs are atomic; failures say so -----------------------------------
mkdir -p "$TMP/ro" && touch "$TMP/ro/blocker"
"$BIN" run scenarios/default.yaml $SM --out "$TMP/ro/blocker/x" --quiet 2> "$TMP/e"; expect_eq "unwritable out status" $? 1
grep -q "cannot create output folder" "$TMP/e" && ok || bad "unwritable out message: $(cat "$TMP/e")"
ls "$TMP"/t1/*.tmp.* > /dev/null 2>&1 && bad "temporary files left behind" || ok
# Ctrl-C: exit 130, earlier outputs untouched, no temporary file left
digest() { find "$1" -type f | sort | xargs cat | md5sum; }
before=$(digest "$TMP/t2")
"$BIN" run scenarios/default.yaml --replications 100000 --threads 2 --out "$TMP/t2" --quiet 2> "$TMP/e" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
expect_eq "interrupted status" $? 130
expect_eq "outputs intact after Ctrl-C" "$(digest "$TMP/t2")" "$before"
find "$TMP/t2" -name '*.tmp.*' | grep -q . && bad "temporary files after Ctrl-C" || ok

# ---- plans side by side ------------------------------------------------------------
PM=scenarios/textbook/pricing_models.yaml
"$BIN" compare $PM --replications 20 --no-plots --out "$TMP/cmp" > "$TMP/cmp.txt"
expect_eq "compare: status" $? 0
for plan in flat usage tiered hybrid outcome; do
    grep -q "^$plan " "$TMP/cmp.txt" && ok || bad "compare: no row for $plan"
done
grep -q "^flat - hybrid " "$TMP/cmp.txt" && ok || bad "compare: no paired difference flat - hybrid"
grep -q "switching every customer from 'flat' to 'hybrid'" "$TMP/cmp.txt" && ok || bad "compare: no switch analysis"
# common random numbers: the paired interval of flat - hybrid is narrower than
# the plans' own intervals would give (the plans' revenues move together)
J="$TMP/cmp/summary.json"
paired=$(jq '.plans[0].versus[] | select(.plan == "hybrid") | .margin_difference_pts.se' "$J")
unpaired=$(jq '[.plans[0].totals.gross_margin_pct.se, .plans[3].totals.gross_margin_pct.se] | (.[0]*.[0] + .[1]*.[1]) | sqrt' "$J")
awk -v a="$paired" -v b="$unpaired" 'BEGIN { exit !(a < b) }' && ok || bad "compare: paired se $paired not below unpaired $unpaired"
# flat and hybrid differ only above 200 interactions: hybrid never earns less
expect_eq "hybrid >= flat revenue in every replication" "$(awk -F, 'NR > 1 && $1 == "\"flat\"" { f[$2","$3] = $9 }
    NR > 1 && $1 == "\"hybrid\"" { if ($9 + 1e-9 < f[$2","$3]) bad++ } END { print bad + 0 }' "$TMP/cmp/replications.csv")" 0
# the usage plan's revenue is exactly $0.05 per interaction, month by month
expect_eq "usage revenue = 0.05 x interactions" "$(awk -F, 'NR > 1 && $1 == "\"usage\"" {
    d = $9 - 0.05 * $7; if (d < 0) d = -d; if (d > 1e-6 * $9 + 1e-9) bad++ } END { print bad + 0 }' "$TMP/cmp/replications.csv")" 0

# ---- the case studies (docs/cases.md): the claims marked (tested) ---------------------
cs() { "$BIN" run "scenarios/cases/$1.yaml" --replications 10 --no-plots --quiet --out "$TMP/case_$1" && ok || bad "case $1 runs"; }
for c in perplexity_pro cursor copilot chatgpt_pro tiers_unit_economics; do cs $c; done
cj() { jq -r "$2" "$TMP/case_$1/summary.json"; }
loss=$(cj copilot '.plans[0].totals | .gross_profit.mean / .customer_months.mean')
awk -v l="$loss" 'BEGIN { exit !(l >= -22 && l <= -18) }' && ok || bad "copilot: loss per user-month $loss, expected -22..-18"
awk -v a="$(cj cursor '.plans[1].totals.gross_margin_pct.mean')" -v b="$(cj cursor '.plans[0].totals.gross_margin_pct.mean')" \
    'BEGIN { exit !(a > b) }' && ok || bad "cursor: the 500-request cap does not raise the margin"
expect_near "tiers: pro margin 26.90/29" "$(cj tiers_unit_economics '.plans[0].segments[1].gross_margin_pct.mean')" 92.76 0.5
expect_near "tiers: enterprise margin 481.50/500" "$(cj tiers_unit_economics '.plans[0].segments[2].gross_margin_pct.mean')" 96.3 0.5

# ---- quotas, by hand (tests/data/ok/quotas.yaml): 10 customers x 300 interactions,
# $0.006 each on big, $0.0005 on small
"$BIN" run tests/data/ok/quotas.yaml --json --no-plots --out "$TMP/q" > "$TMP/q.json"
qv() { jq -r ".plans[] | select(.name == \"$1\") | .months[0].$2.mean" "$TMP/q.json"; }
expect_near "quota: no quota, cost 3,000 x 0.006" "$(qv open inference_cost)" 18 1e-9
expect_near "quota: hard cap, cost 2,000 x 0.006" "$(qv capped inference_cost)" 12 1e-9
expect_near "quota: hard cap, refused 10 x 100" "$(qv capped refused_interactions)" 1000 1e-9
expect_near "quota: hard cap, all capped" "$(qv capped capped_customers_pct)" 100 1e-9
expect_near "quota: soft limit, 2,000 x 0.006 + 1,000 x 0.0005" "$(qv slowed inference_cost)" 12.5 1e-9
expect_near "quota: soft limit, none refused" "$(qv slowed refused_interactions)" 0 1e-9
expect_near "quota: soft at half then cap, 1,000 x 0.006 + 1,000 x 0.0005" "$(qv both inference_cost)" 6.5 1e-9
expect_near "quota: usage bills served only, 2,000 x 0.01" "$(qv both revenue)" 20 1e-9
expect_near "quota: past 90% of quota" "$(qv both quota_90pct_customers_pct)" 100 1e-9
expect_near "quota: open plan has no warnings" "$(qv open quota_75pct_customers_pct)" 0 1e-9
expect_near "quota: a delay keeps half of the 100 past the limit, 2,500 x 0.006" "$(qv delayed inference_cost)" 15 1e-9
expect_near "quota: the deterred half counted, 10 x 50" "$(qv delayed refused_interactions)" 500 1e-9
expect_near "quota: the cap reached on day 20 (200th of 300)" "$(qv capped limit_reached_day)" 20 1e-9
expect_near "quota: the soft limit at half reached on day 10" "$(qv both limit_reached_day)" 10 1e-9

# ---- a free tier, by hand (tests/data/ok/free_tier.yaml): free customers get 100
# interactions on small ($0.0005) and pay nothing; with conversion 1 they all
# pay from the second month
"$BIN" run tests/data/ok/free_tier.yaml --json --no-plots --out "$TMP/ft" > "$TMP/ft.json"
fv() { jq -r ".plans[] | select(.name == \"$1\") | .months[$2].$3.mean" "$TMP/ft.json"; }
expect_near "free: no revenue" "$(fv never 1 revenue)" 0 1e-12
expect_near "free: 1,000 x 0.0005" "$(fv never 1 inference_cost)" 0.5 1e-9
expect_near "free: 10 x 200 refused" "$(fv never 1 refused_interactions)" 2000 1e-9
expect_near "free: all its cost is free" "$(fv never 0 free_cost_share_pct)" 100 1e-9
expect_near "converted: 10 at the first month's end" "$(fv always 0 conversions)" 10 1e-12
expect_near "converted: pays 10 x 20" "$(fv always 1 revenue)" 200 1e-9
expect_near "converted: full demand, 3,000 x 0.006" "$(fv always 1 inference_cost)" 18 1e-9

# ---- prepaid credits, by hand (tests/data/ok/credits.yaml): 540 credits a customer
"$BIN" run tests/data/ok/credits.yaml --json --no-plots --out "$TMP/cr" > "$TMP/cr.json"
crv() { jq -r ".plans[] | select(.name == \"$1\") | .months[0].$2.mean" "$TMP/cr.json"; }
expect_near "credits: 2 packs of 500 at \$10, 10 customers" "$(crv packs revenue)" 200 1e-9
expect_near "credits: 460 credits expire, at \$0.02" "$(crv packs credit_breakage)" 92 1e-9
expect_near "credits: one pack of 2,000 at \$30" "$(crv big_packs revenue)" 300 1e-9
expect_near "credits: 1,460 expire at \$0.015" "$(crv big_packs credit_breakage)" 219 1e-9
expect_near "credits: cost 2,400 x 0.0005 + 600 x 0.006" "$(crv packs inference_cost)" 4.8 1e-9

# ---- an acquisition schedule: no sign-ups in months 1-2, then 100 a month (Poisson)
"$BIN" run tests/data/ok/plan_change.yaml --set customers.churn_monthly=0.01 --replications 20 --json --no-plots \
    --out "$TMP/sch" --set 'customers.schedule=' > /dev/null 2>&1 && bad "an empty schedule value was accepted" || ok
cat > "$TMP/sched.yaml" <<'YAML'
name: schedule
horizon_months: 4
replications: 20
prices: { models: [ { name: m, input_per_mtok: 1, output_per_mtok: 1 } ] }
customers:
  initial: 10
  schedule: [ { from_month: 1, new_per_month: 0 }, { from_month: 3, new_per_month: 100 } ]
usage: { distribution: constant, value: 1 }
features: [ { name: f, model: m, tokens: { user: 10 } } ]
plans: [ { name: p, price: 1 } ]
YAML
"$BIN" run "$TMP/sched.yaml" --json --no-plots --out "$TMP/sch" > "$TMP/sch.json"
expect_eq "schedule: no sign-ups in month 2" "$(jq '.plans[0].months[1].new_customers.p95' "$TMP/sch.json")" 0
for m in 2 3; do
    expect_near "schedule: 100 a month in month $((m + 1))" "$(jq ".plans[0].months[$m].new_customers.mean" "$TMP/sch.json")" 100 \
        "$(jq ".plans[0].months[$m].new_customers.se * 4" "$TMP/sch.json")"
done

# ---- assigned tiers and an upgrade, by hand (tests/data/ok/tier_moves.yaml) -------------
"$BIN" run tests/data/ok/tier_moves.yaml --json --no-plots --out "$TMP/tm" > "$TMP/tm.json"
expect_eq "tiers: pro + 100 over, then enterprise" "$(jq -c '[.plans[0].months[].revenue.mean]' "$TMP/tm.json")" \
    "[240,240,1500,1500]"
expect_eq "tiers: 10 upgrades at the end of month 2" "$(jq -c '[.plans[0].months[].upgrades.mean]' "$TMP/tm.json")" "[0,10,0,0]"

# ---- customers one plan loses and the others keep, by hand (tests/data/ok/plan_churn.yaml)
"$BIN" run tests/data/ok/plan_churn.yaml --json --no-plots --out "$TMP/pch" > "$TMP/pch.json"
pch() { jq -c "[.plans[] | select(.name == \"$1\") | .months[].$2.mean]" "$TMP/pch.json"; }
expect_eq "plan churn: the open plan keeps everyone" "$(pch open customers)" "[10,10,10]"
expect_eq "plan churn: refused customers leave the capped plan" "$(pch capped customers)" "[10,0,0]"
expect_eq "plan churn: a doubled bill loses its customers" "$(pch doubled customers)" "[10,10,0]"
expect_eq "plan churn: losses counted" "$(pch doubled customers_lost_to_plan)" "[0,10,0]"

# ---- a credit wallet that rolls over, by hand (tests/data/ok/wallet.yaml) ------------
"$BIN" run tests/data/ok/wallet.yaml --json --no-plots --out "$TMP/wl" > "$TMP/wl.json"
expect_eq "wallet: expired credits, 10 x 200 and 10 x 300 at \$0.02" \
    "$(jq -c '[.plans[0].months[].credit_breakage.mean]' "$TMP/wl.json")" "[0,0,0,40,60]"
expect_eq "wallet: without rollover, 300 expire every month" \
    "$(jq -c '[.plans[1].months[].credit_breakage.mean]' "$TMP/wl.json")" "[60,60,60,60,60]"

# ---- committed spend, by hand (tests/data/ok/commit.yaml) --------------------------
"$BIN" run tests/data/ok/commit.yaml --json --no-plots --out "$TMP/cm" > "$TMP/cm.json"
expect_eq "commit: revenue with the true-ups" "$(jq -c '[.plans[0].months[].revenue.mean]' "$TMP/cm.json")" "[30,30,60,30,30,60]"
expect_eq "commit: true-ups in months 3 and 6" "$(jq -c '[.plans[0].months[].commit_trueup.mean]' "$TMP/cm.json")" "[0,0,30,0,0,30]"

# ---- a pricing change at month 3, by hand (tests/data/ok/plan_change.yaml) ------------
"$BIN" run tests/data/ok/plan_change.yaml --json --no-plots --out "$TMP/pc" > "$TMP/pc.json"
pcv() { jq -c "[.plans[] | select(.name == \"$1\") | .months[].revenue.mean]" "$TMP/pc.json"; }
expect_eq "change: everyone migrated from month 3" "$(pcv migrated)" "[200,200,250,250]"
expect_eq "change: existing customers keep their price" "$(pcv grandfathered)" "[200,200,200,200]"
# with sign-ups, only the new customers pay the new price: revenue lies between
"$BIN" run tests/data/ok/plan_change.yaml --set customers.new_per_month=5 --set usage.counts=poisson \
    --replications 5 --json --no-plots --out "$TMP/pc2" > "$TMP/pc2.json"
between=$(jq '[range(2; 4) as $m | (.plans[1].months[$m].revenue.mean) as $g
              | $g > 20 * .plans[1].months[$m].customers.mean and $g < .plans[0].months[$m].revenue.mean] | all' "$TMP/pc2.json")
expect_eq "change: grandfathered revenue between old and new" "$between" true

# ---- sweeps -------------------------------------------------------------------------
# the margin trap over its price, by hand: (P - 18 - 3) / P
"$BIN" sweep $M --vary plans.standard.price=10:30:5 --out "$TMP/sw" --quiet
expect_eq "sweep: margins by hand" "$(awk -F, 'NR > 1 { printf "%s%s", sep, $3; sep = " " }' "$TMP/sw/sweep.csv")" \
    "-110 -40 -5 16 30"
# common random numbers: over a price, the mean and the P5 margin rise at every step
"$BIN" sweep scenarios/default.yaml --vary plans.starter.price=10:38.5:1.5 --replications 6 --set horizon_months=4 \
    --set customers.initial=300 --out "$TMP/sw2" --quiet
expect_eq "sweep: 20 points" "$(awk -F, 'NR > 1 && $2 == "\"starter\""' "$TMP/sw2/sweep.csv" | wc -l)" 20
expect_eq "sweep: monotone under common random numbers" "$(awk -F, 'NR > 1 && $2 == "\"starter\"" {
    if (n++ && ($3 <= m || $5 <= p5)) bad++; m = $3; p5 = $5 } END { print bad + 0 }' "$TMP/sw2/sweep.csv")" 0
# and smooth: the price leaves the customers and their cost alone, so the mean margin is 1 - 0.029 - K/P
# (2.9% of revenue to payments) with one K at every point, to the 10 digits of the CSV
expect_eq "sweep: one cost under every price" "$(awk -F, 'NR > 1 && $2 == "\"starter\"" { k = $1 * (97.1 - $3) / 100;
    if (n++ && (k - k0 > 1e-8 * k0 || k0 - k > 1e-8 * k0)) bad++; if (n == 1) k0 = k } END { print bad + 0 }' \
    "$TMP/sw2/sweep.csv")" 0
# a grid of two values: every pair, every plan
"$BIN" sweep $M --vary plans.standard.price=15:25:5 --vary costs.infra_per_customer_month=0:3:3 --out "$TMP/sw3" --quiet
expect_eq "sweep: 3 x 2 grid" "$(($(wc -l < "$TMP/sw3/sweep.csv") - 1))" 6
expect_eq "sweep: grid point by hand, P 25 and no infra: (25 - 18)/25" \
    "$(awk -F, '$1 == 25 && $2 == 0 { print $4 }' "$TMP/sw3/sweep.csv")" 28
"$BIN" sweep $M --vary plans.standard.price=30:10:5 --out "$TMP/sw4" 2> "$TMP/e"; expect_eq "sweep: empty range" $? 2
"$BIN" sweep $M --vary customers.churn_monthly=0.5:1.5:0.5 --out "$TMP/sw4" 2> "$TMP/e"; expect_eq "sweep: out of range" $? 2
grep -q "customers.churn_monthly=1: invalid value" "$TMP/e" && ok || bad "sweep: out-of-range message: $(cat "$TMP/e")"
"$BIN" sweep $M --vary usage.valeu=1:2:1 --out "$TMP/sw4" 2> "$TMP/e"; expect_eq "sweep: unknown path" $? 2
grep -q "did you mean 'usage.value'" "$TMP/e" && ok || bad "sweep: unknown path message: $(cat "$TMP/e")"
"$BIN" sweep $M --out "$TMP/sw4" 2> /dev/null; expect_eq "sweep: no --vary" $? 2
if [ "${TS_QUICK:-0}" != 1 ]; then
    expect_eq "sweep: line plot is a PNG" "$(head -c 8 "$TMP/sw2/plots/sweep.png" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a"
    for series in starter pro "50%"; do
        grep -qF ">$series<" "$TMP/sw2/plots/sweep.svg" && ok || bad "sweep.svg lacks '$series'"
    done
    expect_eq "sweep: heatmap is a PNG" "$(head -c 8 "$TMP/sw3/plots/sweep_heatmap.png" | od -An -tx1 | tr -d ' \n')" \
        "89504e470d0a1a0a"
fi

# ---- plots --------------------------------------------------------------------
P="--replications 8 --set customers.initial=400 --set horizon_months=6"
if [ "${TS_QUICK:-0}" != 1 ]; then
    "$BIN" run scenarios/default.yaml $P --out "$TMP/p" --quiet 2> "$TMP/e"
    expect_eq "plots: run status" $? 0
    expect_eq "plots: no warning" "$(cat "$TMP/e")" ""
    for name in margin_starter margin_pro revenue_cost_starter revenue_cost_pro segments_starter segments_pro \
                cost_ccdf lorenz plans; do
        f="$TMP/p/plots/$name"
        expect_eq "$name.png is a PNG" "$(head -c 8 "$f.png" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a"
        grep -q '</svg>' "$f.svg" && ok || bad "$name.svg incomplete"
        [ -s "$f.gp" ] && ok || bad "$name.gp missing"
    done
    # each picture carries its series: legend texts in the SVG
    for series in "P5-P95 of replications" "P25-P75" "median" "50% (venture-fundable)" "target 60%"; do
        grep -qF "$series" "$TMP/p/plots/margin_starter.svg" && ok || bad "margin_starter.svg lacks '$series'"
    done
    for series in "model tokens" "embedding and search" "infrastructure" "payment processing" "revenue"; do
        grep -qF "$series" "$TMP/p/plots/revenue_cost_starter.svg" && ok || bad "revenue_cost_starter.svg lacks '$series'"
    done
    grep -qF "power-law tail: slope -" "$TMP/p/plots/cost_ccdf.svg" && ok || bad "cost_ccdf.svg has no fitted slope"
    grep -qF "the heaviest 5% of customers:" "$TMP/p/plots/lorenz.svg" && ok || bad "lorenz.svg has no top-5% mark"
    for seg in light medium heavy power; do
        grep -qF ">$seg<" "$TMP/p/plots/segments_starter.svg" && ok || bad "segments_starter.svg lacks $seg"
    done
    ls "$TMP"/p/plots/*.tmp.* > /dev/null 2>&1 && bad "temporary plot files left" || ok
    # without gnuplot: the run succeeds, warns once, leaves scripts that render later
    TOKENSIM_GNUPLOT=/nonexistent/gnuplot "$BIN" run scenarios/default.yaml $P --out "$TMP/ng" --quiet 2> "$TMP/e"
    expect_eq "no gnuplot: status" $? 0
    expect_eq "no gnuplot: one warning" "$(wc -l < "$TMP/e")" 1
    grep -q "gnuplot not found" "$TMP/e" && ok || bad "no gnuplot: message: $(cat "$TMP/e")"
    ls "$TMP"/ng/plots/*.png > /dev/null 2>&1 && bad "no gnuplot: PNG appeared" || ok
    (cd "$TMP/ng/plots" && gnuplot lorenz.gp) && [ -s "$TMP/ng/plots/lorenz.png" ] && ok || bad "saved lorenz.gp does not render"
    # a gnuplot that fails, and one that hangs: warned, not fatal, not hung
    printf '#!/bin/sh\nexit 3\n' > "$TMP/fail.sh"; chmod +x "$TMP/fail.sh"
    printf '#!/bin/sh\nexec sleep 600\n' > "$TMP/hang.sh"; chmod +x "$TMP/hang.sh"
    TOKENSIM_GNUPLOT="$TMP/fail.sh" "$BIN" run scenarios/default.yaml $P --out "$TMP/gf" --quiet 2> "$TMP/e"
    expect_eq "failing gnuplot: status" $? 0
    grep -q "gnuplot failed on" "$TMP/e" && ok || bad "failing gnuplot: message: $(cat "$TMP/e")"
    start=$(date +%s)
    TOKENSIM_GNUPLOT="$TMP/hang.sh" TOKENSIM_GNUPLOT_TIMEOUT=1 "$BIN" run scenarios/default.yaml $P --set plans.pro.price=39 \
        --out "$TMP/gh" --quiet 2> "$TMP/e"
    expect_eq "hanging gnuplot: status" $? 0
    grep -q "did not finish" "$TMP/e" && ok || bad "hanging gnuplot: message: $(cat "$TMP/e")"
    [ $(( $(date +%s) - start )) -lt 30 ] && ok || bad "hanging gnuplot held the run"
    "$BIN" run scenarios/default.yaml $P --out "$TMP/pdf" --quiet --pdf --set plans.pro.price=40
    expect_eq "--pdf: lorenz.pdf" "$(head -c 5 "$TMP/pdf/plots/lorenz.pdf")" "%PDF-"
    "$BIN" run scenarios/default.yaml $P --out "$TMP/np" --quiet --no-plots
    [ -d "$TMP/np/plots" ] && bad "--no-plots wrote plots" || ok

    # the report: every picture embedded, every linked file there, and a
    # browser renders it to a page with content (a blank page is a few KB)
    expect_eq "report.html embeds the 9 plots (SVG)" "$(grep -o 'data:image/svg+xml;base64' "$TMP/p/report.html" | wc -l)" 9
    for f in $(grep -o '](plots/[^)]*)' "$TMP/p/report.md" | tr -d '()]'); do
        [ -s "$TMP/p/$f" ] && ok || bad "report.md links a missing $f"
    done
    grep -q "^| starter | \$20.00 flat | " "$TMP/p/report.md" && ok || bad "report.md lacks the key-figure row"
    grep -c "<img" "$TMP/np/report.html" | grep -qx 0 && ok || bad "report without plots still has images"
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --user-data-dir="$TMP/chrome" --hide-scrollbars \
        --window-size=1100,2400 --screenshot="$TMP/shot.png" "file://$TMP/p/report.html" > /dev/null 2>&1
    expect_eq "report screenshot is a PNG" "$(head -c 8 "$TMP/shot.png" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a"
    [ "$(stat -c %s "$TMP/shot.png")" -gt 60000 ] && ok || bad "report screenshot looks blank ($(stat -c %s "$TMP/shot.png") bytes)"
fi

finish e2e
