# The fitted usage law: the share of customers (or values) at least x, on
# log-log axes, with the power law and its alternatives fitted above xmin
# (each scaled to the tail's share of the sample). Data $ccdf: x share;
# $fits: x power-law lognormal exponential stretched cutoff.
set title title_text noenhanced
set xlabel xlabel_text noenhanced
set ylabel "share at least x"
set logscale xy
set format y "10^{%L}"
set grid xtics ytics mxtics mytics lc rgb "#eeeeee"
set key bottom left noenhanced
set arrow from xmin_fit, graph 0 to xmin_fit, graph 1 nohead dt 3 lc rgb "#777777"
plot $ccdf using 1:2 with points pt 7 ps 0.5 lc rgb "#2171b5" title "data", \
     $fits using 1:2 with lines lw 2.5 lc rgb "#a50f15" title pl_label, \
     $fits using 1:3 with lines lw 1.5 dt 2 lc rgb "#238b45" title "lognormal", \
     $fits using 1:4 with lines lw 1.5 dt 3 lc rgb "#6a51a3" title "exponential", \
     $fits using 1:5 with lines lw 1.5 dt 4 lc rgb "#d94801" title "stretched exponential", \
     $fits using 1:6 with lines lw 1.5 dt 5 lc rgb "#525252" title "power law with cutoff"
