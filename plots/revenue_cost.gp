# Revenue and cost per month for one plan (means across replications), cost
# stacked by component from the bottom: model tokens, embedding and search,
# infrastructure, payment processing. Data $cost: month model retrieval
# infra payment revenue, in thousands of dollars.
set title title_text noenhanced
set xlabel "month"
set ylabel "thousand $ per month"
set xrange [months > 1 ? 1 : 0.5 : months > 1 ? months : 1.5]
set yrange [0:*]
set grid ytics lc rgb "#e0e0e0"
set key outside right top vertical noenhanced
set style fill solid 1.0 noborder
plot $cost using 1:(0):2 with filledcurves lc rgb "#08306b" title "model tokens", \
     $cost using 1:2:($2+$3) with filledcurves lc rgb "#4292c6" title "embedding and search", \
     $cost using 1:($2+$3):($2+$3+$4) with filledcurves lc rgb "#9ecae1" title "infrastructure", \
     $cost using 1:($2+$3+$4):($2+$3+$4+$5) with filledcurves lc rgb "#deebf7" title "payment processing", \
     $cost using 1:6 with lines lw 3 dt 1 lc rgb "#a50f15" title "revenue"
