# Gross margin per customer-month in each usage segment for one plan: the
# mean across replications, with the P5-P95 spread. Data $seg: "name" mean
# p5 p95.
set title title_text noenhanced
set ylabel "gross margin (%)"
set grid ytics lc rgb "#e0e0e0"
set key outside right top vertical noenhanced
set style fill solid 0.85 border lc rgb "#000000"
set boxwidth 0.6
set xrange [-0.6:nseg - 0.4]
set xzeroaxis lt -1
plot $seg using 0:2:xtic(1) with boxes lc rgb "#4292c6" title "mean margin", \
     $seg using 0:2:3:4 with yerrorbars lc rgb "#000000" pt 1 ps 0 lw 1.5 title "P5-P95 of replications"
