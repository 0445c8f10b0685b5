# Plan against plan: each plan's gross margin over the horizon across
# replications (box P25-P75, whiskers P5-P95, line the median), with the
# 50% line. Data $plans: "name" p5 p25 p50 p75 p95 target.
set title title_text noenhanced
set ylabel "gross margin over the horizon (%)"
set grid ytics lc rgb "#e0e0e0"
set key outside right top vertical noenhanced
set style fill solid 0.6 border lc rgb "#000000"
set boxwidth 0.5
set xrange [-0.6:nplans - 0.4]
set yrange [ylo:yhi]
plot $plans using 0:3:2:6:5:xtic(1) with candlesticks whiskerbars lc rgb "#4292c6" title "P5-P95, P25-P75", \
     $plans using 0:4:4:4:4 with candlesticks lw 3 lc rgb "#08306b" title "median", \
     $plans using 0:7 with points pt 9 ps 2 lc rgb "#000000" title "target", \
     50 with lines dt 2 lw 2 lc rgb "#a50f15" title "50%"
