# The long tail: the share of customers whose monthly inference cost is at
# least x, on log-log axes, with the power-law tail fitted by the Hill
# estimator on the costliest customers. Data $ccdf: cost share.
set title title_text noenhanced
set xlabel "monthly inference cost of a customer ($)"
set ylabel "share of customers costing at least x"
set logscale xy
set format y "10^{%L}"
set grid xtics ytics mxtics mytics lc rgb "#eeeeee"
set key top right noenhanced
tail(x) = x >= fit_xk ? fit_frac * (x / fit_xk)**(-alpha) : 1/0
set samples 200
plot $ccdf using 1:2 with points pt 7 ps 0.5 lc rgb "#2171b5" title "customers", \
     tail(x) with lines lw 2.5 dt 2 lc rgb "#a50f15" title fit_label
