# The optimiser's trade-off: every evaluated point by its risk (probability
# that the margin ends below the threshold) and its expected gross profit,
# the points no other beats on both (the frontier), the risk limit and the
# chosen point. Data $p: risk profit feasible; $f: the frontier; $b: best.
set title title_text noenhanced
set xlabel xlabel_text noenhanced
set ylabel "expected gross profit over the horizon ($)"
set grid lc rgb "#e0e0e0"
set key outside right top vertical noenhanced
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
plot $p using 1:($3 > 0 ? $2 : 1/0) with points pt 7 ps 0.8 lc rgb "#3182bd" title "meets the limit", \
     $p using 1:($3 > 0 ? 1/0 : $2) with points pt 6 ps 0.8 lc rgb "#969696" title "over the limit", \
     $f using 1:2 with linespoints lw 2 pt 7 lc rgb "#e6550d" title "profit-risk frontier", \
     $b using 1:2 with points pt 3 ps 3 lw 2 lc rgb "black" title "chosen", \
     $lim using 1:2 with lines dt 2 lw 2 lc rgb "#a50f15" title sprintf("risk limit %g", max_risk)
