#!/usr/bin/env bash
# End-to-end tests of `tokensim exercise` on the three textbook products:
# it runs, writes its three files, and the spreadsheet's formulas, with the
# values tokensim cached in them stripped, recompute (gnumeric's ssconvert)
# to the figures tokensim printed in exercise.json.
# Usage: tests/e2e/exercise.sh PATH/TO/tokensim
source "$(dirname "$0")/lib.sh" "$1"
# cell SHEET_CSV LABEL COLUMN: the value in the row whose first cell is LABEL
cell() { awk -F, -v l="$2" -v c="$3" '{ k = $1; gsub(/"/, "", k) } k == l { print $c; exit }' "$1"; }

for name in support_chatbot code_assistant document_summariser; do
    f=scenarios/textbook/exercise_$name.yaml
    out="$TMP/$name"
    "$BIN" exercise "$f" --out "$out" > "$TMP/stdout" 2> "$TMP/stderr"
    [ $? = 0 ] && ok || bad "$name: exit status"
    for s in "Step 1" "Step 2" "Step 3" "Step 4" "Step 5" "Recommendation:"; do
        grep -q "$s" "$TMP/stdout" && ok || bad "$name: no '$s' in the output"
    done
    for x in exercise.md exercise.json exercise.xlsx; do [ -s "$out/$x" ] && ok || bad "$name: $x missing"; done
    # strip the cached values, recompute, compare
    mkdir -p "$TMP/x_$name" && (cd "$TMP/x_$name" && unzip -q "$out/exercise.xlsx" &&
        sed -i 's|</f><v>[^<]*</v>|</f>|g' xl/worksheets/*.xml && zip -q -r "$TMP/$name.xlsx" .)
    grep -q '</f><v>' "$TMP/x_$name"/xl/worksheets/*.xml && bad "$name: cached values left" || ok
    ssconvert --recalc -S "$TMP/$name.xlsx" "$TMP/${name}_%n.csv" > /dev/null 2>&1
    J="$out/exercise.json"
    U="$TMP/${name}_2.csv"; O="$TMP/${name}_3.csv"; P="$TMP/${name}_4.csv"
    expect_rel "$name: cost per interaction" "$(cell "$U" "cost of an average interaction" 2)" "$(jq .cost_per_interaction "$J")"
    i=0
    for who in "light (P25)" "medium (P50)" "heavy (P90)"; do
        expect_rel "$name: $who AI cost" "$(cell "$U" "$who" 3)" "$(jq ".ai_cost[$i]" "$J")"
        expect_rel "$name: $who margin" "$(cell "$U" "$who" 6)" "$(jq ".margin[$i]" "$J")"
        expect_rel "$name: $who optimised margin" "$(cell "$U" "$who" 8)" "$(jq ".margin_optimised[$i]" "$J")"
        i=$((i + 1))
    done
    for lever in "model routing" "prompt caching" "semantic caching" "batching" "output length limits"; do
        expect_rel "$name: $lever" "$(cell "$O" "$lever" 2)" "$(jq ".levers[\"$lever\"]" "$J")"
    done
    expect_rel "$name: all levers" "$(cell "$O" "all together" 2)" "$(jq .cost_per_interaction_optimised "$J")"
    expect_rel "$name: break-even" "$(cell "$P" "flat price breaks even at (interactions)" 2)" "$(jq .break_even_interactions "$J")"
    for t in 0 1 2; do
        expect_rel "$name: tier $t quota" "$(cell "$P" "tier $((t + 1)) quota" 2)" "$(jq ".tiers[$t].quota" "$J")"
        expect_rel "$name: tier $t price" "$(cell "$P" "tier $((t + 1)) price" 2)" "$(jq ".tiers[$t].price" "$J")"
    done
    expect_rel "$name: usage price" "$(cell "$P" "usage-based: price per interaction" 2)" "$(jq .usage_price "$J")"
    j=0
    for opt in "flat (the current plan)" "usage-based" "tiered subscription" "hybrid (base + overage)"; do
        for i in 0 1 2; do
            expect_rel "$name: $opt revenue $i" "$(cell "$P" "$opt" $((2 + i)))" "$(jq ".options[$j].revenue[$i]" "$J")"
            expect_rel "$name: $opt margin $i" "$(cell "$P" "$opt" $((5 + i)))" "$(jq ".options[$j].margin[$i]" "$J")"
        done
        j=$((j + 1))
    done
done
# each product gets the recommendation its numbers call for
expect() { r=$(jq -r .recommendation "$TMP/$1/exercise.json"); [ "$r" = "$2" ] && ok || bad "$1: recommended '$r', expected '$2'"; }
expect support_chatbot "tiered subscription"
expect code_assistant "usage-based"
expect document_summariser "hybrid (base + overage)"
# every textbook product the exercise accepts reads sensibly: no nan or
# inf, no note or terms cut (each appears whole in the terminal and in
# exercise.md), tiers ordered, and each tier priced above the AI cost of
# its P90 user with a positive margin
for f in scenarios/textbook/*.yaml; do
    name=$(basename "$f" .yaml)
    out="$TMP/all_$name"
    "$BIN" exercise "$f" --out "$out" > "$TMP/stdout" 2> "$TMP/stderr" || { bad "$name: refused ($(cat "$TMP/stderr"))"; continue; }
    J="$out/exercise.json"
    if grep -Eiwq 'nan|-?inf(inity)?' "$TMP/stdout" "$out/exercise.md" "$J"; then bad "$name: nan or inf in the output"; else ok; fi
    jq -e '[.options[] | .margin[] | select(. == null)] | length <= 3' "$J" > /dev/null && ok || bad "$name: null margins"
    while IFS= read -r s; do
        grep -qF -- "$s" "$TMP/stdout" && grep -qF -- "$s" "$out/exercise.md" && ok || bad "$name: cut: '$s'"
    done < <(jq -r '(.options[].terms), (.lever_notes[] | select(. != "")), .why' "$J")
    jq -e '.tiers as $t | $t[0].quota < $t[1].quota and $t[1].quota < $t[2].quota and
           $t[0].price < $t[1].price and $t[1].price < $t[2].price' "$J" > /dev/null && ok || bad "$name: tiers unordered"
    jq -e '. as $x | all(.tiers[]; .p90_interactions <= .quota and .p90_interactions * $x.cost_per_interaction_optimised < .price
           and .margin > 0)' "$J" > /dev/null && ok || bad "$name: a tier at or under its P90 user's cost"
    jq -e '.price > 0 and .margin[2] != null' "$J" > /dev/null && ok || bad "$name: no price or no margin"
    grep -q "routed to $(jq -r .routing_model "$J") (the cheapest model)" "$TMP/stdout" && ok || bad "$name: routing model unnamed"
done
# by hand, the $29 chatbot (payment 2.9% + $0.30, infrastructure $1, target
# 70%): tier 2's cost floor is at most (120 x 0.021653 + 1.30) / 0.271 =
# $14.38 even before the levers, so the tier is the price doubled, $58; its
# P90 user (at most 120 interactions) costs at most 120 x 0.021653 + 1 +
# 0.029 x 58 + 0.30 = $5.58 with no lever
J="$TMP/support_chatbot/exercise.json"
jq -e '.tiers[1].price == 58 and .tiers[0].price == 29 and .tiers[2].price == 116' "$J" > /dev/null && ok \
    || bad "chatbot tiers: $(jq -c '[.tiers[].price]' "$J"), expected [29,58,116]"
# by hand, the priceless Sonnet chatbot: 15 interactions of 2,100 input
# tokens at $3 and 400 output at $15 per million = 15 x 0.0123 = $0.1845,
# at a 50% target: $0.369, so $0.37
J="$TMP/all_support_chatbot/exercise.json"
jq -e '.price == 0.37 and .price_recommended' "$J" > /dev/null && ok || bad "priceless chatbot: price $(jq .price "$J"), expected 0.37"
grep -q "The scenario gives no price" "$TMP/all_support_chatbot/exercise.md" && ok || bad "priceless chatbot: not said"
# the spreadsheet carries a break-even chart of three series
unzip -p "$TMP/support_chatbot/exercise.xlsx" xl/charts/chart1.xml > "$TMP/chart.xml" 2> /dev/null
[ "$(grep -o '<c:ser>' "$TMP/chart.xml" | wc -l)" = 3 ] && ok || bad "break-even chart: not three series"
grep -q "Break-even" "$TMP/chart.xml" && ok || bad "break-even chart: no title"
# bad input
"$BIN" exercise scenarios/textbook/exercise_code_assistant.yaml --plan nope --out "$TMP/n" 2> "$TMP/e"
[ $? = 2 ] && ok || bad "unknown --plan: exit status"
grep -q "unknown plan 'nope'" "$TMP/e" && ok || bad "unknown --plan: message"
"$BIN" exercise scenarios/textbook/exercise_code_assistant.yaml --set plans.pro.target_margin=0.99 --out "$TMP/n" 2> "$TMP/e"
[ $? = 2 ] && ok || bad "unreachable target: exit status"
# the spreadsheet is the same bytes from one run to the next: its creation time is the
# price table's date (2026-03-01 for the embedded catalog), not the clock's
"$BIN" exercise scenarios/textbook/support_chatbot.yaml --out "$TMP/x1" > /dev/null
sleep 1.1
"$BIN" exercise scenarios/textbook/support_chatbot.yaml --out "$TMP/x2" > /dev/null
cmp -s "$TMP/x1/exercise.xlsx" "$TMP/x2/exercise.xlsx" && ok || bad "exercise.xlsx differs between two runs"
unzip -p "$TMP/x1/exercise.xlsx" docProps/core.xml | grep -q '<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-01T00:00:00Z' \
    && ok || bad "exercise.xlsx: creation time is not the price date"
finish exercise
