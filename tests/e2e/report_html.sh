#!/usr/bin/env bash
# report_html.sh: the report a strategist forwards. report.html and
# report.md open with the answer (the winning plans, the paired interval,
# the P5 downside, red flags) whose figures agree with summary.json; the
# plan-switch analysis is in the report and in summary.json; money has
# thousands separators; tables sort without an external file and the plots
# are SVG data images; compare prints plan terms whole. In headless
# Chromium the page fits 1280 and 390 pixels wide (no horizontal scrolling,
# nothing cut) and a click on a header sorts its table.
# usage: bash tests/e2e/report_html.sh bin/tokensim
source "$(dirname "$0")/lib.sh" "$1"

# five plan types on the same customers, and one plan alone whose name
# holds HTML and an underscore (user text, escaped in the page)
"$BIN" compare scenarios/textbook/pricing_models.yaml --set replications=40 --out "$TMP/c" > "$TMP/c.txt" 2> /dev/null
expect_eq "compare: status" $? 0
sed 's|name: starter,|name: "st<b>ar</b>_\&amp;",|; /name: pro,/d' scenarios/default.yaml > "$TMP/one.yaml"
"$BIN" run "$TMP/one.yaml" --set replications=20 --out "$TMP/r" --quiet > /dev/null
expect_eq "run, one plan: status" $? 0

# The answer and the switch against summary.json: every figure the opening
# prints recomputed from the JSON with the same rounding.
check_answer() {   # DIR: prints one line per problem, nothing when all agree
    python3 - "$1" <<'PY'
import json, re, sys
d = sys.argv[1]
sm = json.load(open(d + "/summary.json"))
md = open(d + "/report.md").read()
plans = sm["plans"]
tot = lambda p, k: p["totals"][k]
money = lambda v: ("-" if round(v) < 0 else "") + "${:,.0f}".format(abs(v))
heads = re.findall(r"^## (.*)$", md, re.M)
if not heads or heads[0] != "The answer":
    print("the first section is not the answer: %s" % heads[:2])
ans = md.split("## The answer", 1)[-1].split("\n## ", 1)[0]
def want(s):
    if s not in ans:
        print("answer lacks: " + s)
def best(k, skip=None):
    c = [p for p in plans if p is not skip and tot(p, k)["mean"] is not None]
    return max(c, key=lambda p: tot(p, k)["mean"])
def vs(a, b, k):
    return next(v for v in a["versus"] if v["plan"] == b["name"])[k]
if len(plans) > 1:
    w, r = best("gross_margin_pct"), best("gross_margin_pct", best("gross_margin_pct"))
    m, dm = tot(w, "gross_margin_pct"), vs(w, r, "margin_difference_pts")
    want("On gross margin, %s wins:** %.1f%% (95%% CI %.1f%% to %.1f%%)" % (w["name"], m["mean"], m["ci95"][0], m["ci95"][1]))
    want("%.2f points above %s (paired 95%% CI %.2f to %.2f points)" % (dm["mean"], r["name"], dm["ci95"][0], dm["ci95"][1]))
    want("its gross margin is %.1f%% or less and its gross profit %s or less" % (m["p5"], money(tot(w, "gross_profit")["p5"])))
    wp = best("gross_profit"); rp = best("gross_profit", wp)
    dp = vs(wp, rp, "gross_profit_difference")
    want("On gross profit, %s wins:** %s" % (wp["name"], money(tot(wp, "gross_profit")["mean"])))
    want("%s more than %s (paired 95%% CI %s to %s)" % (money(dp["mean"]), rp["name"], money(dp["ci95"][0]), money(dp["ci95"][1])))
    for p in plans:
        if tot(p, "gross_margin_pct")["mean"] < 0:
            want("Red flag: plan %s loses money" % p["name"])
        if tot(p, "losing_customers_pct")["mean"] >= 20:
            want("Red flag: under plan %s, %.1f%% of customer-months" % (p["name"], tot(p, "losing_customers_pct")["mean"]))
    sw = sm.get("plan_switch", [])
    if [s["to"] for s in sw] != [p["name"] for p in plans[1:]] or any(s["from"] != plans[0]["name"] for s in sw):
        print("plan_switch: not one entry per plan after the first")
    for s in sw:
        if abs(s["pct_pay_more"] + s["pct_pay_less"] + s["pct_pay_same"] - 100) > 1e-9:
            print("plan_switch %s: shares do not add to 100" % s["to"])
        if sum(g["customers"] for g in s["segments"]) != s["customers"]:
            print("plan_switch %s: segment customers do not add up" % s["to"])
        q = s["bill_change"]
        if not q["p5"] <= q["p25"] <= q["p50"] <= q["p75"] <= q["p95"]:
            print("plan_switch %s: quantiles out of order" % s["to"])
        # the horizon change is the paired difference of the two plans
        to = next(p for p in plans if p["name"] == s["to"])
        if s["horizon"]["gross_profit_difference"]["mean"] != vs(to, plans[0], "gross_profit_difference")["mean"]:
            print("plan_switch %s: horizon profit is not the paired difference" % s["to"])
        sec = "## If every customer switched from %s to %s" % (plans[0]["name"], s["to"])
        if sec not in md:
            print("report lacks: " + sec)
        elif "%.1f%% would pay more, %.1f%% less" % (s["pct_pay_more"], s["pct_pay_less"]) not in md.split(sec)[1]:
            print("report: switch to %s does not give the JSON's shares" % s["to"])
else:
    p = plans[0]; m = tot(p, "gross_margin_pct")
    if "plan_switch" in sm:
        print("one plan: summary.json has a plan_switch")
    want("a gross margin of %.1f%% (95%% CI %.1f%% to %.1f%%)** over the horizon, a gross profit of %s"
         % (m["mean"], m["ci95"][0], m["ci95"][1], money(tot(p, "gross_profit")["mean"])))
    want("its gross margin is %.1f%% or less" % m["p5"])
if not re.search(r"^(Red flag: |No red flag\.)", ans, re.M):
    print("answer: no red-flag line")
# money in tables: thousands separated, one unit per column
for row in re.findall(r"^\|.*\|$", md, re.M):
    if re.search(r"\| -?\$?\d{4,}(\.\d+)? ", row) or re.search(r"\$\d{4,}", row.split("|", 3)[-1]):
        print("table cell without thousands separators: " + row[:100])
PY
}
for d in c r; do
    out=$(check_answer "$TMP/$d" 2>&1 || echo "the check itself failed")
    [ -z "$out" ] && ok || bad "$d: $out"
done

# the HTML: the answer first, escaped user text, sortable tables with no
# external file, every plot an SVG data image with its PNG still on disk
H="$TMP/c/report.html"
expect_eq "html: first h2" "$(grep -o '<h2>[^<]*</h2>' "$H" | head -1)" "<h2>The answer</h2>"
grep -q '<p><strong>On gross margin, hybrid wins:</strong>' "$H" && ok || bad "html: the answer is not bold"
grep -q '<h2>If every customer switched from flat to usage</h2>' "$H" && ok || bad "html: no plan-switch section"
expect_eq "html: no external file" "$(grep -cE '(src|href)="(https?:|//|[a-z]+\.(js|css))' "$H")" 0
grep -q "<script>(function(){" "$H" && ok || bad "html: no sorting script"
expect_eq "html: plots as SVG" "$(grep -o 'src="data:image/svg+xml;base64,' "$H" | wc -l)" "$(ls "$TMP/c/plots/"*.png | wc -l)"
expect_eq "html: no PNG embedded beside the SVGs" "$(grep -c 'data:image/png' "$H")" 0
expect_eq "html: no inline svg element" "$(grep -c '<svg' "$H")" 0
grep -q 'st&lt;b&gt;ar&lt;/b&gt;_&amp;amp;' "$TMP/r/report.html" && ok || bad "html: plan name not escaped"
expect_eq "html: no raw tag from the plan name" "$(grep -c '<b>ar' "$TMP/r/report.html")" 0

# compare's terminal: every plan's terms whole (as summary.json gives them)
# under the table, and nothing past column 100 in the plans table and legend
python3 - "$TMP/c/summary.json" "$TMP/c.txt" > "$TMP/terms.txt" <<'PY'
import json, sys
sm = json.load(open(sys.argv[1]))
txt = open(sys.argv[2]).read()
legend = txt.split("\nterms:\n", 1)
if len(legend) < 2:
    print("no terms legend")
    sys.exit()
block = legend[1].split("\n\n", 1)[0]
flat = " ".join(block.split())
for p in sm["plans"]:
    if " ".join((p["name"] + " " + p["terms"]).split()) not in flat:
        print("terms of %s not whole: %s" % (p["name"], p["terms"]))
for line in (legend[0].split("\n\n")[-1] + "\n" + block).splitlines():
    if len(line) > 100:
        print("line over 100 columns: " + line)
PY
[ $? -eq 0 ] || echo "the check itself failed" >> "$TMP/terms.txt"
expect_eq "compare: terms legend" "$(cat "$TMP/terms.txt")" ""

# Headless Chromium: the page in a frame 1280 and 390 pixels wide (a window
# cannot be narrower than 500 here); a script in the page measures, after
# load, the document's width against the frame's and every element's right
# edge, and elements that cut their content; then clicks the key-figures
# table's margin header twice and reads the top plan. The frame posts the
# result to the page Chromium dumps.
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
    echo "report_html: chromium not found, the rendering checks are skipped (make test-deps installs it)"
else
    # the levers' roadmap too: the waterfall, the dashboard's eight columns
    # and lever names with underscores
    "$BIN" run scenarios/textbook/roadmap.yaml --set replications=6 --out "$TMP/l" --quiet > /dev/null
    for page in c:1280 c:390 l:390; do
        d=${page%%:*} w=${page#*:}
        cp "$TMP/$d/report.html" "$TMP/c/probe.html"
        cat >> "$TMP/c/probe.html" <<'JS'
<script>window.addEventListener('load',function(){
var W=document.documentElement.clientWidth,bad=[];
document.querySelectorAll('body *').forEach(function(e){var r=e.getBoundingClientRect();
if(r.width>0&&(r.right>W+1||r.left<-1))bad.push(e.tagName+'@'+Math.round(r.left)+'-'+Math.round(r.right));
var o=getComputedStyle(e).overflowX;if(o!=='visible'&&e.scrollWidth>e.clientWidth+1)bad.push('cut:'+e.tagName)});
var t=document.querySelectorAll('table')[0],th=t.rows[0].cells[2];th.click();th.click();
var msg='width='+document.documentElement.scrollWidth+'/'+W+' bad='+bad.length+' '+bad.slice(0,5).join(',')+
' top='+t.rows[1].cells[0].textContent+' sort='+th.getAttribute('aria-sort');
parent.postMessage(msg,'*')});</script>
JS
        printf '<!DOCTYPE html><html><body style="margin:0"><iframe src="probe.html" style="border:0;width:%spx;height:1500px"></iframe><script>addEventListener("message",function(e){var p=document.createElement("pre");p.id="result";p.textContent=e.data;document.body.appendChild(p)})</script></body></html>' "$w" > "$TMP/c/frame.html"
        timeout 60 "$CHROME" --headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
            --disable-component-update --disable-sync --user-data-dir="$TMP/chrome" --window-size=$((w + 40)),1600 \
            --virtual-time-budget=5000 --dump-dom "file://$TMP/c/frame.html" 2> /dev/null > "$TMP/dom$w.html"
        res=$(grep -o '<pre id="result">[^<]*' "$TMP/dom$w.html" | sed 's/.*>//')
        [ -n "$res" ] && ok || bad "chromium $page: no measurement"
        sw=$(echo "$res" | sed -n 's/^width=\([0-9]*\)\/.*/\1/p'); cw=$(echo "$res" | sed -n 's/^width=[0-9]*\/\([0-9]*\) .*/\1/p')
        [ -n "$sw" ] && [ "$sw" -le "$cw" ] && ok || bad "chromium $page: horizontal scrolling ($res)"
        echo "$res" | grep -q ' bad=0 ' && ok || bad "chromium $page: content past the edge or cut ($res)"
        if [ "$d" = c ]; then
            echo "$res" | grep -q ' top=hybrid sort=descending$' && ok || bad "chromium $page: sorting by margin ($res)"
        fi
    done
fi

finish report_html
