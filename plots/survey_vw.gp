# A Van Westendorp price-sensitivity chart: the four cumulative curves
# (too cheap and cheap fall with the price, expensive and too expensive
# rise), "not cheap" and "not expensive" dashed, the four crossings marked
# and the range of acceptable prices shaded. Data $curves: price too_cheap
# cheap expensive too_expensive not_cheap not_expensive; $points: x y label.
set title title_text noenhanced
set xlabel "price ($ a month)"
set ylabel "share of respondents"
set yrange [0:1]
set ytics ("0%%" 0, "20%%" 0.2, "40%%" 0.4, "60%%" 0.6, "80%%" 0.8, "100%%" 1)
set grid xtics ytics lc rgb "#eeeeee"
set key outside right top vertical noenhanced
set object 1 rect from range_lo, graph 0 to range_hi, graph 1 behind fc rgb "#f0f0f0" fs solid 1.0 noborder
plot $curves using 1:2 with lines lw 2 lc rgb "#2171b5" title "too cheap", \
     $curves using 1:3 with lines lw 2 lc rgb "#6baed6" title "cheap", \
     $curves using 1:4 with lines lw 2 lc rgb "#fd8d3c" title "expensive", \
     $curves using 1:5 with lines lw 2 lc rgb "#a50f15" title "too expensive", \
     $curves using 1:6 with lines lw 1.5 dt 2 lc rgb "#6baed6" title "not cheap", \
     $curves using 1:7 with lines lw 1.5 dt 2 lc rgb "#fd8d3c" title "not expensive", \
     $points using 1:2 with points pt 7 ps 1.2 lc rgb "#000000" notitle, \
     $points using 1:2:3 with labels offset 0,1.2 font ",9" noenhanced notitle
