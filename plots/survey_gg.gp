# A Gabor-Granger demand curve: the share who would buy at each price
# (the points asked, and the monotone cubic through them) and the revenue
# per potential customer, price x share, on the right axis, with its
# maximum marked. Data $points: price share revenue; $curve: the same on a grid.
set title title_text noenhanced
set xlabel "price ($ a month)"
set ylabel "share who would buy"
set y2label "revenue per potential customer ($)"
set yrange [0:1]
set y2range [0:*]
set ytics nomirror
set y2tics
set grid xtics ytics lc rgb "#eeeeee"
set key outside right top vertical noenhanced
set arrow from best_price, graph 0 to best_price, graph 1 nohead dt 3 lc rgb "#a50f15"
plot $curve using 1:2 with lines lw 2 lc rgb "#2171b5" title "demand (monotone cubic)", \
     $points using 1:2 with points pt 7 ps 1 lc rgb "#08306b" title "share asked", \
     $curve using 1:3 axes x1y2 with lines lw 2 lc rgb "#a50f15" title "revenue", \
     $points using 1:3 axes x1y2 with points pt 5 ps 0.8 lc rgb "#a50f15" notitle, \
     best_revenue axes x1y2 with lines dt 3 lc rgb "#a50f15" title sprintf("best price $%.2f", best_price)
