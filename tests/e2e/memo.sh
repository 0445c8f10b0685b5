#!/usr/bin/env bash
# memo.sh: the investor memo. Its figures equal those the commands it
# stands for write in their summary.json for the same seed (run for the
# base case and the downside, stress for the worst shocks, tornado or sobol
# for the drivers, run's unit_economics); a scenario without uncertain: or
# finance: still gives a memo whose sections say what is missing; in
# headless Chromium memo.html fits 1280 and 390 pixels wide.
# usage: bash tests/e2e/memo.sh bin/tokensim
source "$(dirname "$0")/lib.sh" "$1"

R=6
D=scenarios/default.yaml U=scenarios/investor/uncertain_chatbot.yaml F=scenarios/investor/seed_unit_economics.yaml
for x in d:$D u:$U f:$F; do
    k=${x%%:*} f=${x#*:}
    "$BIN" memo "$f" --set replications=$R --out "$TMP/$k" --quiet 2> "$TMP/$k.err"
    expect_eq "memo $f: status" $? 0
    [ -s "$TMP/$k/memo.md" ] && [ -s "$TMP/$k/memo.html" ] && ok || bad "memo $f: no memo.md or memo.html"
    "$BIN" run "$f" --set replications=$R --out "$TMP/$k-run" --quiet --no-plots
done
"$BIN" stress $D --set replications=$R --out "$TMP/d-stress" --quiet --no-plots
"$BIN" tornado $D --set replications=$R --out "$TMP/d-tornado" --quiet --no-plots
# the memo's Sobol design: 16 base samples of 2 replications each
"$BIN" sobol $U --points 16 --replications 2 --out "$TMP/u-sobol" --quiet --no-plots

# every figure the memo prints, recomputed from the commands' JSON with the
# memo's rounding; one line per problem
check() {   # KIND MEMO_DIR RUN_DIR [DRIVERS_DIR [STRESS_DIR]]
    python3 - "$@" <<'PY'
import json, sys
kind, md_dir, run_dir = sys.argv[1:4]
md = open(md_dir + "/memo.md").read()
money = lambda v: ("-" if round(v) < 0 else "") + "${:,.0f}".format(abs(v))
def sec(title):
    parts = md.split("\n## " + title, 1)
    if len(parts) < 2:
        print("no section: " + title); return ""
    return parts[1].split("\n## ", 1)[0]
def want(where, s, text):
    if s not in text:
        print("%s lacks: %s" % (where, s))
run = json.load(open(run_dir + "/summary.json"))
base, down = sec("Base case"), sec("Downside")
for p in run["plans"]:
    m, g = p["totals"]["gross_margin_pct"], p["totals"]["gross_profit"]
    want("base case", "| %s | %.1f%% (%.1f%% to %.1f%%) | %s (%s to %s) |" % (p["name"], m["mean"], m["ci95"][0],
         m["ci95"][1], money(g["mean"]), money(g["ci95"][0]), money(g["ci95"][1])), base)
    want("downside", "| %s | %.1f%% | %s | %.1f%% |" % (p["name"], m["p5"], money(g["p5"]),
         100 * p["prob_margin_below_0"]), down)
plan = run["plans"][0]["name"]
drv = sec("What drives the margin of plan " + plan)
if kind == "d":
    t = json.load(open(sys.argv[4] + "/summary.json"))["tornado"]
    for r in t["parameters"][:3]:
        want("drivers", "| %s | %.2f (%.2f to %.2f) |" % (r["label"], r["swing"], r["swing_ci95_lo"],
             r["swing_ci95_hi"]), drv)
    st = json.load(open(sys.argv[5] + "/summary.json"))["stress"]
    rows = [(s["shock"], next(q for q in s["plans"] if q["plan"] == plan)) for s in st[1:] if s["applicable"]]
    rows = sorted(rows, key=lambda r: r[1]["vs_baseline"]["mean"])[:3]
    ss = sec("Stress: the worst shocks")
    for name, q in rows:
        v = q["vs_baseline"]
        want("stress", "| %s | %.1f%% | %.2f (%.2f to %.2f) |" % (name, q["margin_mean"], v["mean"], v["ci95_lo"],
             v["ci95_hi"]), ss)
    if ss.count("\n| ") != 4:
        print("stress: not a header and three shocks")
    want("unit economics", "it has no finance: section", sec("Unit economics and cash"))
if kind == "u":
    so = json.load(open(sys.argv[4] + "/summary.json"))["outputs"]
    ins = next(o for o in so if o["output"] == "horizon_margin_pct")["inputs"]
    for i in sorted(ins, key=lambda i: -i["st"])[:3]:
        want("drivers", "| %s | %.3f (%.3f to %.3f) |" % (i["input"], i["st"], i["st_lo"], i["st_hi"]), drv)
    if drv.count("\n| ") != 4:
        print("drivers: not a header and three inputs")
if kind == "f":
    ue = sec("Unit economics and cash")
    for p in run["unit_economics"]["plans"]:
        want("unit economics", "| ARR $ | %s |" % money(p["arr"]["mean"]), ue.split("Plan %s:" % p["name"], 1)[-1])
want("assumptions", "| seed | %s |" % run["provenance"]["seed"], sec("Assumptions"))
want("assumptions", "| model prices as of | %s |" % run["provenance"]["price_table_date"], sec("Assumptions"))
want("assumptions", "| replications | %d |" % run["provenance"]["replications"], sec("Assumptions"))
PY
}
for args in "d $TMP/d $TMP/d-run $TMP/d-tornado $TMP/d-stress" "u $TMP/u $TMP/u-run $TMP/u-sobol" "f $TMP/f $TMP/f-run"; do
    out=$(check $args 2>&1 || echo "the check itself failed")
    [ -z "$out" ] && ok || bad "${args%% *}: $out"
done

# the same seed gives the same memo, whatever the thread count
"$BIN" memo $D --set replications=$R --threads 1 --out "$TMP/d1" --quiet 2> /dev/null
cmp -s "$TMP/d/memo.md" "$TMP/d1/memo.md" && ok || bad "memo.md differs with one thread"

# bad input: an unknown plan, exit 2 and nothing written
"$BIN" memo $D --plan nosuch --out "$TMP/bad" --quiet 2> "$TMP/bad.err"
expect_eq "unknown plan: status" $? 2
[ -e "$TMP/bad/memo.md" ] && bad "unknown plan: memo written" || ok

# Headless Chromium, as tests/e2e/report_html.sh does: the page in a frame
# 1280 and 390 pixels wide; a script measures the document's width and every
# element's right edge, and elements that cut their content.
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
    echo "memo: chromium not found, the rendering checks are skipped (make test-deps installs it)"
else
    for page in f:1280 f:390 u:390; do
        d=${page%%:*} w=${page#*:}
        cp "$TMP/$d/memo.html" "$TMP/probe.html"
        cat >> "$TMP/probe.html" <<'JS'
<script>window.addEventListener('load',function(){
var W=document.documentElement.clientWidth,bad=[];
document.querySelectorAll('body *').forEach(function(e){var r=e.getBoundingClientRect();
if(r.width>0&&(r.right>W+1||r.left<-1))bad.push(e.tagName+'@'+Math.round(r.left)+'-'+Math.round(r.right));
var o=getComputedStyle(e).overflowX;if(o!=='visible'&&e.scrollWidth>e.clientWidth+1)bad.push('cut:'+e.tagName)});
var msg='width='+document.documentElement.scrollWidth+'/'+W+' bad='+bad.length+' '+bad.slice(0,5).join(',');
parent.postMessage(msg,'*')});</script>
JS
        printf '<!DOCTYPE html><html><body style="margin:0"><iframe src="probe.html" style="border:0;width:%spx;height:1500px"></iframe><script>addEventListener("message",function(e){var p=document.createElement("pre");p.id="result";p.textContent=e.data;document.body.appendChild(p)})</script></body></html>' "$w" > "$TMP/frame.html"
        timeout 60 "$CHROME" --headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
            --disable-component-update --disable-sync --user-data-dir="$TMP/chrome" --window-size=$((w + 40)),1600 \
            --virtual-time-budget=5000 --dump-dom "file://$TMP/frame.html" 2> /dev/null > "$TMP/dom$w.html"
        res=$(grep -o '<pre id="result">[^<]*' "$TMP/dom$w.html" | sed 's/.*>//')
        [ -n "$res" ] && ok || bad "chromium $page: no measurement"
        sw=$(echo "$res" | sed -n 's/^width=\([0-9]*\)\/.*/\1/p'); cw=$(echo "$res" | sed -n 's/^width=[0-9]*\/\([0-9]*\) .*/\1/p')
        [ -n "$sw" ] && [ "$sw" -le "$cw" ] && ok || bad "chromium $page: horizontal scrolling ($res)"
        echo "$res" | grep -q ' bad=0 ' && ok || bad "chromium $page: content past the edge or cut ($res)"
    done
fi

finish memo
