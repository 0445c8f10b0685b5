# Cash at each month's end for one plan: the median across replications with
# its P5-P95 band, and the zero line where the runway ends. Data $cash:
# month p5 p50 p95 mean, in thousands of dollars.
set title title_text noenhanced
set xlabel "month"
set ylabel "thousand $"
set xrange [months > 1 ? 1 : 0.5 : months > 1 ? months : 1.5]
set grid ytics lc rgb "#e0e0e0"
set key outside right top vertical noenhanced
set style fill solid 1.0 noborder
plot $cash using 1:2:4 with filledcurves lc rgb "#c6dbef" title "P5-P95 of replications", \
     $cash using 1:3 with lines lw 3 lc rgb "#08306b" title "median", \
     0 with lines dt 2 lw 2 lc rgb "#a50f15" title "no cash left"
