#!/usr/bin/env bash
# survey.sh: `tokensim survey` on small surveys worked by hand (the four Van
# Westendorp points, the curves of four respondents, a linear demand curve's
# revenue optimum in closed form), its files and flags, the example surveys
# of scenarios/pricing, and the bad-input messages with their place.
# Usage: bash tests/e2e/survey.sh BIN
source "$(dirname "$0")/lib.sh" "$1"

# ---- Van Westendorp curves --------------------------------------------------
# PMC: too_cheap - (1 - cheap) = .5 at 10, -.3 at 20 -> 10 + .5/.8 x 10 = 16.25
# OPP: too_cheap - too_expensive = .1 at 20, -.4 at 30 -> 20 + .1/.5 x 10 = 22
# IPP: cheap - expensive = .2 at 20, -.6 at 30 -> 20 + .2/.8 x 10 = 22.5
# PME: (1 - expensive) - too_expensive = .6 at 20, -.1 at 30 -> 20 + 6/7 x 10
cat > "$TMP/curves.csv" <<'CSV'
Price,Too Cheap,Cheap,Expensive,Too Expensive
10,.6,.9,0,0
20,.2,.5,.3,.1
30,0,.1,.7,.4
40,0,0,1,.8
CSV
"$BIN" survey "$TMP/curves.csv" --out "$TMP/c" > "$TMP/c.txt" && ok || bad "survey of curves"
J="$TMP/c/summary.json"
expect_eq "kind from the header (case, spaces)" "$(jq -r .kind "$J")" "van westendorp curves"
expect_rel "PMC by hand" "$(jq .points.pmc "$J")" 16.25
expect_rel "OPP by hand" "$(jq .points.opp "$J")" 22
expect_rel "IPP by hand" "$(jq .points.ipp "$J")" 22.5
expect_rel "PME by hand" "$(jq .points.pme "$J")" 28.571428571428571
expect_eq "schema_version" "$(jq .schema_version "$J")" 1
grep -q 'point of marginal cheapness (PMC) *\$16.25' "$TMP/c.txt" && ok || bad "table: $(cat "$TMP/c.txt")"
grep -q 'range of acceptable prices *\$16.25 to \$28.57' "$TMP/c.txt" && ok || bad "table range"
# the WTP law 1 - (expensive + too_expensive)/2 = 1, .8, .45, .1: mean 10 + 9 + 6.25 + 2.75 = 28,
# revenue p (1.5 - .035 p) on [20, 40] peaks at 150/7
expect_rel "mean WTP by hand" "$(jq .wtp.mean "$J")" 28
expect_near "revenue-maximising price by hand" "$(jq .revenue_maximising.price "$J")" 21.4285714 1e-5
expect_eq "survey.csv header" "$(head -1 "$TMP/c/survey.csv")" \
    "price,too_cheap,cheap,expensive,too_expensive,not_cheap,not_expensive,wtp_survival"
expect_eq "survey.csv row at 20" "$(sed -n 3p "$TMP/c/survey.csv")" "20,0.2,0.5,0.3,0.1,0.5,0.7,0.8"
[ -f "$TMP/c/MANIFEST" ] && ok || bad "no MANIFEST: not written through outset"

# ---- Van Westendorp answers -------------------------------------------------
# too_cheap >= p at 5 10 15 20: 4 2 0 0 of 4; cheap >= p: 4 4 2 0, so PMC is
# where .5 - 0 (at 10) meets 0 - .5 (at 15): 12.5. With weight 2 on the first
# respondent the counts are of 5: too_cheap(10) = 2/5, cheap(15) = 2/5, and
# too_cheap - (1 - cheap) = 2/5 - 0 at 10, 0 - 3/5 at 15 -> 10 + (2/5)/1 x 5 = 12
cat > "$TMP/answers.csv" <<'CSV'
id,too_cheap,cheap,expensive,too_expensive
a,5,10,15,20
b,10,15,20,25
c,5,10,20,30
d,10,15,25,30
CSV
"$BIN" survey "$TMP/answers.csv" --json --no-plots --out "$TMP/a" > "$TMP/a.json" && ok || bad "survey of answers"
expect_rel "PMC of four respondents by hand" "$(jq .points.pmc "$TMP/a.json")" 12.5
expect_eq "respondents" "$(jq .respondents "$TMP/a.json")" 4
cmp -s "$TMP/a.json" <(cat "$TMP/a/summary.json"; echo) && ok || bad "--json is not summary.json"
[ -d "$TMP/a/plots" ] && bad "--no-plots wrote plots" || ok
sed 's/^id,/weight,/; s/^a,/2,/; s/^[bcd],/1,/' "$TMP/answers.csv" > "$TMP/weighted.csv"
"$BIN" survey "$TMP/weighted.csv" --json --no-plots --out "$TMP/w" > "$TMP/w.json" && ok || bad "weighted answers"
expect_rel "weighted PMC by hand" "$(jq .points.pmc "$TMP/w.json")" 12
expect_eq "weighted respondents" "$(jq .respondents "$TMP/w.json")" 5

# ---- Gabor-Granger ------------------------------------------------------------
# S = 1 - p/50 at 10..40: the monotone cubic is exact on collinear points, so
# p S(p) peaks at 25 with S = .5 and revenue 12.5
printf 'price,share\n10,0.8\n20,0.6\n30,0.4\n40,0.2\n' > "$TMP/gg.csv"
"$BIN" survey "$TMP/gg.csv" --json --out "$TMP/g" > "$TMP/g.json" && ok || bad "survey of shares"
expect_eq "kind" "$(jq -r .kind "$TMP/g.json")" "gabor-granger shares"
expect_near "best price of linear demand: a/(2b) = 25" "$(jq .revenue_maximising.price "$TMP/g.json")" 25 1e-6
expect_near "its share" "$(jq .revenue_maximising.share "$TMP/g.json")" 0.5 1e-6
expect_near "its revenue" "$(jq .revenue_maximising.revenue_per_customer "$TMP/g.json")" 12.5 1e-9
# bought / asked: 172/200 = .86
"$BIN" survey scenarios/pricing/survey_gg.csv --no-plots --out "$TMP/gc" > "$TMP/gc.txt" && ok || bad "example GG"
expect_eq "share = bought / asked" "$(sed -n 2p "$TMP/gc/survey.csv")" "10,0.86,200,172,8.6"
grep -q 'revenue-maximising price' "$TMP/gc.txt" && ok || bad "GG table"

# ---- the example survey --------------------------------------------------------
"$BIN" survey scenarios/pricing/survey_vw.csv --out "$TMP/ex" > "$TMP/ex.txt" && ok || bad "example VW survey"
J="$TMP/ex/summary.json"
expect_eq "200 respondents" "$(jq .respondents "$J")" 200
# the law's median is where expensive + too_expensive = 1, which is the PME's equation
expect_near "median WTP = PME" "$(jq .wtp.median "$J")" "$(jq .points.pme "$J")" 1e-9
awk -v a="$(jq .points.pmc "$J")" -v b="$(jq .points.opp "$J")" -v c="$(jq .points.pme "$J")" \
    'BEGIN { exit !(a < b && b < c) }' && ok || bad "PMC < OPP < PME"
if command -v gnuplot > /dev/null; then
    [ -s "$TMP/ex/plots/survey_vw.png" ] && [ -s "$TMP/ex/plots/survey_vw.svg" ] && ok || bad "no VW chart"
fi

# ---- bad input: exit 2, located ------------------------------------------------
# expect_bad NAME CONTENT MESSAGE: the message whole, after "tokensim: FILE:"
expect_bad() {
    printf "$2" > "$TMP/bad.csv"
    "$BIN" survey "$TMP/bad.csv" --out "$TMP/bad" > /dev/null 2> "$TMP/e"
    expect_eq "$1: exit" $? 2
    expect_eq "$1: message" "$(cat "$TMP/e")" "tokensim: $TMP/bad.csv:$3"
}
expect_bad "GG shares rising" 'price,share\n10,.8\n20,.6\n30,.7\n' \
    "4:4: gabor-granger share rises from 0.6 at price 20 to 0.7 at price 30: expected shares that fall as the price rises"
expect_bad "GG share above 1" 'price,share\n10,1.2\n20,.6\n' \
    "2:4: gabor-granger share 1.2 at price 10 is outside [0, 1]"
expect_bad "GG bought above asked" 'price,asked,bought\n10,100,90\n20,100,120\n' \
    "3:8: bought 120 at price 20 of 100 asked: expected a count from 0 to the number asked"
expect_bad "too cheap above cheap" 'price,too_cheap,cheap,expensive,too_expensive\n10,.6,.9,0,0\n20,.6,.5,.3,.1\n' \
    "3:4: van westendorp curves inconsistent at price 20: 'too_cheap' 0.6 is above 'cheap' 0.5; expected too_cheap <= cheap (whoever finds a price too cheap finds it cheap)"
expect_bad "expensive not rising" 'price,too_cheap,cheap,expensive,too_expensive\n10,.6,.9,.4,0\n20,.2,.5,.3,.1\n' \
    "3:10: van westendorp share of 'expensive' falls from 0.4 at price 10 to 0.3 at price 20: expected shares that rise as the price rises"
expect_bad "answers out of order" 'too_cheap,cheap,expensive,too_expensive\n5,10,15,20\n5,10,25,20\n' \
    "3:9: van westendorp answers out of order: 'too_expensive' 20 is below 'expensive' 25; expected too_cheap <= cheap <= expensive <= too_expensive"
expect_bad "not a number" 'price,share\n10,.8\nten,.5\n' "3:1: price 'ten' is not a number"
expect_bad "prices out of order" 'price,share\n20,.8\n10,.5\n' \
    "3:1: gabor-granger price 10 comes after 20: expected prices in increasing order"
expect_bad "typo in a column" 'too_cheap,cheap,expensive,too_expensiv\n5,10,15,20\n' \
    "1:27: unknown column 'too_expensiv' (did you mean 'too_expensive'?)"
expect_bad "no survey in the header" 'a,b\n1,2\n' \
    "1:1: cannot tell the kind of survey from the header: expected the columns too_cheap, cheap, expensive, too_expensive (Van Westendorp answers, with an optional weight, or curves with price), or price, share or price, asked, bought (Gabor-Granger)"
expect_bad "header alone" 'price,share\n' " no rows after the header: expected a survey's rows"
"$BIN" survey "$TMP/none.csv" > /dev/null 2>&1
rc=$?
[ "$rc" -eq 2 ] || [ "$rc" -eq 1 ] && ok || bad "missing file: exit $rc"

finish survey
