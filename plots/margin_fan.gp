# Gross margin per month for one plan: the median across replications with
# the P25-P75 and P5-P95 bands, the 50% line investors look for, and the
# plan's target. Data $fan: month p5 p25 p50 p75 p95 mean.
set title title_text noenhanced
set xlabel "month"
set ylabel "gross margin (%)"
set xrange [months > 1 ? 1 : 0.5 : months > 1 ? months : 1.5]
set yrange [ylo:yhi]
set grid ytics lc rgb "#e0e0e0"
set key outside right top vertical noenhanced
set style fill solid 1.0 noborder
plot $fan using 1:2:6 with filledcurves lc rgb "#c6dbef" title "P5-P95 of replications", \
     $fan using 1:3:5 with filledcurves lc rgb "#6baed6" title "P25-P75", \
     $fan using 1:4 with lines lw 3 lc rgb "#08306b" title "median", \
     50 with lines dt 2 lw 2 lc rgb "#a50f15" title "50% (venture-fundable)", \
     target with lines dt 3 lw 2 lc rgb "#000000" title sprintf("target %.0f%%", target)
